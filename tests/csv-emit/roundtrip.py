"""Round-trip checks of csv-emit's output, written apart from the C code.

  roundtrip.py gen SEED COUNT            records with awkward values, stdout
  roundtrip.py csv RECORDS DIR [OPTS]    read DIR/*.csv with the csv module
                                         and compare cell by cell
  roundtrip.py sql TYPE CSV              CREATE TABLE + \\copy for psql
  roundtrip.py pg RECORDS TYPE JSON      compare rows PostgreSQL gave back
                                         (json_agg output) with the records

OPTS: --no-neutralise, --crlf.  Exit 1 with a message on the first
difference.  The column rules and the neutralisation rule are restated
here from csv-emit(1), so a mistake in the program does not hide itself.
"""
import csv
import json
import random
import re
import sys

# The built-in lists of csv-emit(1) for the types the generator makes.
INSTANCE = ("id name project_id user_id status vm_state task_state "
            "power_state flavor_id flavor_name vcpus ram_mb disk_gb "
            "ephemeral_gb gpu_count gpu_alias created_at updated_at "
            "launched_at terminated_at deleted_at host availability_zone "
            "image_id region observed_at run_id valid_from valid_to").split()
INVOICE_FIELDS = ("invoice_month report_start report_end project_name "
                  "project_id pi cluster_name invoice_email invoice_address "
                  "institution institution_code su_hours su_type rate cost "
                  "generated_at").split()
INVOICE_HEADERS = [
    "Invoice Month", "Report Start Time", "Report End Time",
    "Project - Allocation", "Project - Allocation ID", "Manager (PI)",
    "Cluster Name", "Invoice Email", "Invoice Address", "Institution",
    "Institution - Specific Code", "SU Hours (GBhr or SUhr)", "SU Type",
    "Rate", "Cost", "Generated At"]
BUILTIN = {"instance": INSTANCE, "invoice_line": INVOICE_FIELDS}

NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")

AWKWARD = [
    "", " ", "plain", "a,b", 'say "hi"', '"', '""', "line\nbreak",
    "cr\rhere", "crlf\r\nend", "trailing\n", "=1+2", "+33 6 12", "-1+2",
    "-5", "-12.50", "+5", "@SUM(A1)", "\tTab", "\rCR", "=HYPERLINK(\"x\")",
    "'quoted already", "Zürich", "東京", "emoji 🎉", "مرحبا", "x" * 300,
    "null", "true", "1e5", "-1.5e3", "0", "-0", "--", "-", "=", "a\tb",
]


class Num(str):
    """A JSON number kept as its text."""


def load(line):
    return json.loads(line, parse_float=Num, parse_int=Num)


def rand_value(rng, depth=0):
    k = rng.randrange(10)
    if k < 4:
        return rng.choice(AWKWARD)
    if k == 4:
        return None
    if k == 5:
        return rng.choice([True, False])
    if k == 6:
        return rng.choice([0, -5, 42, 12345678901234567890, -0.5, 1.25,
                           3.0e-7])
    if k == 7 and depth < 2:
        return {rng.choice(AWKWARD[:12]) + str(i): rand_value(rng, depth + 1)
                for i in range(rng.randrange(3))}
    if k == 8 and depth < 2:
        return [rand_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return "".join(rng.choice("ab,\"\n=-é ") for _ in range(rng.randrange(8)))


def gen(seed, count):
    rng = random.Random(seed)
    extras = ["zeta", "alpha", "=danger", "Émile", "a,b", "x y", "id2"]
    out = sys.stdout
    for n in range(count):
        kind = rng.choice(["instance", "instance", "thing", "invoice_line"])
        rec = {"type": kind}
        if kind == "instance":
            fields = list(INSTANCE)
        elif kind == "invoice_line":
            fields = list(INVOICE_FIELDS)
        else:
            fields = ["name", "size", "nested"]
        rng.shuffle(fields)
        for f in fields[:rng.randrange(len(fields) + 1)]:
            rec[f] = rand_value(rng)
        if kind != "invoice_line":
            # Late extra fields too, so the rewrite path is covered.
            for f in rng.sample(extras, rng.randrange(3) if n > 5 else 0):
                rec[f] = rand_value(rng)
        if kind != "invoice_line":
            rec["id"] = "%s-%05d" % (kind, n)
        items = list(rec.items())
        rng.shuffle(items)
        out.write(json.dumps(dict(items), ensure_ascii=rng.random() < 0.5))
        out.write("\n")


def neutral(s, on):
    if on and s and s[0] in "=+-@\t\r" and not NUMBER.match(s):
        return "'" + s
    return s


def cell(v, on):
    """What the csv module must read back for a JSON value."""
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Num):
        return str(v)
    if isinstance(v, str):
        return neutral(v, on)
    return v  # nested: compared as JSON


def columns(kind, recs):
    names = set()
    for r in recs:
        names.update(k for k in r if k != "type")
    builtin = BUILTIN.get(kind)
    if kind == "invoice_line":
        return list(builtin)
    if builtin is None:
        rest = sorted(names - {"id"}, key=lambda s: s.encode())
        return (["id"] if "id" in names else []) + rest
    rest = sorted(names - set(builtin), key=lambda s: s.encode())
    return list(builtin) + rest


def read_records(path):
    by_type = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = load(line)
            by_type.setdefault(r["type"], []).append(r)
    return by_type


def die(msg):
    print("roundtrip: " + msg)
    sys.exit(1)


def plain(v):
    """A value with its numbers as Python numbers, for JSON comparison."""
    if isinstance(v, Num):
        return json.loads(v)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def same(kind, col, want, got, row):
    if isinstance(want, (dict, list)):
        if not got or json.loads(got) != plain(want):
            die("%s row %d column %s: got %r, want JSON %r"
                % (kind, row, col, got, want))
    elif got != want:
        die("%s row %d column %s: got %r, want %r" % (kind, row, col, got,
                                                       want))


def check_csv(records, folder, opts):
    on = "--no-neutralise" not in opts
    eol = b"\r\n" if "--crlf" in opts else b"\n"
    for kind, recs in read_records(records).items():
        path = "%s/%s.csv" % (folder, kind)
        raw = open(path, "rb").read()
        if not raw.endswith(eol) or (eol == b"\n" and b"\r\n" in
                                     raw.split(b"\n", 1)[0] + b"\n"):
            die("%s: rows do not end with %r" % (path, eol))
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f, strict=True))
        cols = columns(kind, recs)
        header = INVOICE_HEADERS if kind == "invoice_line" else \
            [neutral(c, on) for c in cols]
        if rows[0] != header:
            die("%s: header %r, want %r" % (path, rows[0], header))
        if len(rows) - 1 != len(recs):
            die("%s: %d rows, want %d" % (path, len(rows) - 1, len(recs)))
        for i, (rec, row) in enumerate(zip(recs, rows[1:]), 1):
            if len(row) != len(cols):
                die("%s row %d: %d cells, want %d" % (path, i, len(row),
                                                      len(cols)))
            for col, got in zip(cols, row):
                same(kind, col, cell(rec.get(col), on), got, i)
    print("roundtrip: %s matches %s" % (folder, records))


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def sql(kind, path):
    """A table made from the file's own header row, then COPY."""
    with open(path, newline="", encoding="utf-8") as f:
        cols = next(csv.reader(f))
    print("CREATE TABLE %s (%s);" % (ident(kind), ", ".join(
        ident(c) + " text" for c in cols)))
    print("\\copy %s FROM '%s' CSV HEADER" % (ident(kind), path))


def canon(v):
    """A cell in a form that compares by meaning."""
    if isinstance(v, (dict, list)):
        return json.dumps(plain(v), sort_keys=True)
    if isinstance(v, str) and v[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(v), sort_keys=True)
        except ValueError:
            return v
    return v


def check_pg(records, kind, dump, opts):
    on = "--no-neutralise" not in opts
    recs = read_records(records).get(kind, [])
    cols = columns(kind, recs)
    rows = json.load(open(dump, encoding="utf-8")) or []
    if len(rows) != len(recs):
        die("%s: PostgreSQL has %d rows, want %d" % (kind, len(rows),
                                                    len(recs)))
    names = INVOICE_HEADERS if kind == "invoice_line" else \
        [neutral(c, on) for c in cols]

    def want_row(rec):
        # NULL and the empty string stay apart through COPY.
        return [canon(None if rec.get(c) is None else cell(rec.get(c), on))
                for c in cols]

    def got_row(row):
        return [canon(row[n]) for n in names]

    # PostgreSQL does not promise COPY order back: compare sorted rows,
    # nested values by their JSON meaning.
    want = sorted(json.dumps(want_row(r)) for r in recs)
    got = sorted(json.dumps(got_row(r)) for r in rows)
    for w, g in zip(want, got):
        if w != g:
            die("%s: PostgreSQL has row\n  %s\nwant\n  %s" % (kind, g, w))
    print("roundtrip: PostgreSQL table %s matches (%d rows)" % (kind,
                                                               len(recs)))


def main(argv):
    if argv[1] == "gen":
        gen(int(argv[2]), int(argv[3]))
    elif argv[1] == "csv":
        check_csv(argv[2], argv[3], argv[4:])
    elif argv[1] == "sql":
        sql(argv[2], argv[3])
    elif argv[1] == "pg":
        check_pg(argv[2], argv[3], argv[4], argv[5:])
    else:
        die("unknown command " + argv[1])


main(sys.argv)
