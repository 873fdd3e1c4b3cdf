#!/usr/bin/env python3
"""Check os-fetch's raw pages against the recorded Zed bodies.

  pages.py compare BASE PAGES INDEX_DIR [RESOURCE...]
      For every page os-fetch wrote, find the recording of the same request
      (same path and query, limit aside; same microversion) in
      INDEX_DIR/INDEX.tsv, and compare the bodies as JSON.  Prints one line
      per page and a count; exits 1 when a body differs or when one of the
      RESOURCEs (e.g. compute/servers) had no page matched to a recording.
  pages.py pair BASE PAGES INDEX_DIR OURS THEIRS
      Writes to OURS the pages that have a recording, and to THEIRS the
      same envelopes with the recorded bodies: the fixtures wrapped the way
      os-normalize reads them, to normalize directly.
  pages.py items PAGES
      "resource id" of every item of every listing page, sorted: what a
      run read, whatever the page size.
  pages.py check PAGES
      The envelope as moc-records(5) says: run_start first, run_end last,
      every page with its fields.  Prints what is wrong; exit 1 if anything.
"""

import json
import os
import sys
from urllib.parse import parse_qsl, urlsplit, unquote

PREFIXES = [
    ("/identity/v3", "http://127.0.0.1:5000/v3"),
    ("/compute", "http://127.0.0.1:8774"),
    ("/network", "http://127.0.0.1:9696"),
    ("/volume", "http://127.0.0.1:8776"),
]
# Query parameters that do not change the body of a one-page listing.
IGNORED = {"limit", "is_public"}


def key(url):
    u = urlsplit(url)
    q = sorted((k, unquote(v)) for k, v in parse_qsl(u.query, True)
               if k not in IGNORED)
    # Keystone reads include_names=1 and include_names=true alike.
    q = [(k, "1" if k == "include_names" else v) for k, v in q]
    return u.path, tuple(q)


def recorded_url(base, url):
    rest = url[len(base):]
    for ours, theirs in PREFIXES:
        if rest.startswith(ours):
            return theirs + rest[len(ours):]
    return None


def load_index(d):
    idx = {}
    with open(os.path.join(d, "INDEX.tsv")) as f:
        next(f)
        for line in f:
            name, method, url, status, mv = line.rstrip("\n").split("\t")[:5]
            if method != "GET" or status != "200":
                continue
            idx.setdefault((key(url), mv), name)
    return idx


def pages(path):
    with open(path) as f:
        for line in f:
            yield json.loads(line)


def recording(base, idx, d, page):
    url = recorded_url(base, page["url"])
    if url is None:
        return None, None
    mv = ""
    if page.get("microversion") and page["service"] in ("compute",
                                                         "block-storage"):
        mv = "%s %s" % ("compute" if page["service"] == "compute"
                        else "volume", page["microversion"])
    name = idx.get((key(url), mv))
    if name is None and mv:
        # Recorded without a version header: the body has no versions.
        name = idx.get((key(url), ""))
    if name is None:
        return None, None
    with open(os.path.join(d, name)) as f:
        text = f.read()
    # The test cloud writes its own address where Zed wrote its own.
    for ours, theirs in PREFIXES:
        text = text.replace(theirs, base + ours)
    return name, json.loads(text)["response"]["body"]


# Recorded under a name two actions share: the file holds the later one.
SHADOWED = {"req-3a92951b-fc72-4643-8924-d910cbbcf041",
            "req-0bbf374c-6b54-4432-be24-441b617b3efc"}


def without_paging(body):
    """The body less its top-level *_links: a listing asked for with a
    limit gets them (Neutron adds a "previous" link even to the one page),
    and the recordings were made without one."""
    if isinstance(body, dict):
        return {k: v for k, v in body.items() if not k.endswith("_links")}
    return body


def compare(base, path, d, wanted):
    idx = load_index(d)
    matched, bad = {}, 0
    for p in pages(path):
        if p.get("type") != "page":
            continue
        res = "%s/%s" % (p["service"], p["resource"])
        name, body = recording(base, idx, d, p)
        if name is None:
            print("no recording: %s %s" % (res, p["url"]))
            continue
        if p["url"].rsplit("/", 1)[-1] in SHADOWED:
            print("shadowed recording: %s %s" % (res, name))
            continue
        if without_paging(body) == without_paging(p["body"]):
            print("same: %s %s" % (res, name))
            matched[res] = matched.get(res, 0) + 1
        else:
            print("DIFFERS: %s %s (%s)" % (res, name, p["url"]))
            bad += 1
    for r in wanted:
        if r not in matched:
            print("MISSING: no page of %s matched a recording" % r)
            bad += 1
    print("%d pages the same as recorded, %d problems"
          % (sum(matched.values()), bad))
    return 1 if bad else 0


def pair(base, path, d, ours, theirs):
    idx = load_index(d)
    with open(ours, "w") as a, open(theirs, "w") as b:
        for p in pages(path):
            line = json.dumps(p, separators=(",", ":")) + "\n"
            if p.get("type") == "page":
                name, body = recording(base, idx, d, p)
                if name is None or p["url"].rsplit("/", 1)[-1] in SHADOWED:
                    continue
                a.write(line)
                p["body"] = body
                line = json.dumps(p, separators=(",", ":")) + "\n"
            else:
                a.write(line)
            b.write(line)
    return 0


def items(path):
    out = []
    for p in pages(path):
        if p.get("type") != "page" or not isinstance(p.get("body"), dict):
            continue
        for k, v in p["body"].items():
            if isinstance(v, list) and not k.endswith("links"):
                for it in v:
                    if isinstance(it, dict):
                        i = it.get("id") or it.get("request_id") or \
                            it.get("instance_id") or json.dumps(it,
                                                                sort_keys=True)
                        out.append("%s/%s %s" % (p["service"],
                                                 p["resource"], i))
    for line in sorted(out):
        print(line)
    return 0


PAGE_FIELDS = ("run_id", "service", "resource", "region", "method", "url",
               "status", "fetched_at", "page", "body")


def check(path):
    recs = list(pages(path))
    errs = []
    if not recs or recs[0].get("type") != "run_start":
        errs.append("first record is not run_start")
    if not recs or recs[-1].get("type") != "run_end":
        errs.append("last record is not run_end")
    run_id = recs[0].get("run_id") if recs else None
    for i, r in enumerate(recs, 1):
        if r.get("run_id") != run_id:
            errs.append("line %d: another run_id" % i)
        if r.get("type") == "page":
            for f in PAGE_FIELDS:
                if f not in r:
                    errs.append("line %d: page without %s" % (i, f))
            if r.get("method") != "GET":
                errs.append("line %d: method %s" % (i, r.get("method")))
    if recs and recs[-1].get("type") == "run_end":
        n = sum(1 for r in recs if r.get("type") == "page")
        if recs[-1].get("pages") != n:
            errs.append("run_end says %s pages, %d written"
                        % (recs[-1].get("pages"), n))
    for e in errs:
        print(e)
    return 1 if errs else 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "compare":
        return compare(argv[2], argv[3], argv[4], argv[5:])
    if len(argv) == 7 and argv[1] == "pair":
        return pair(*argv[2:7])
    if len(argv) == 3 and argv[1] == "items":
        return items(argv[2])
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
