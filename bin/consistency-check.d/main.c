/*
 * consistency-check: check that what the suite collected, stored, dumped
 * and reported agrees with itself and with OpenStack's own records.
 *
 * Reads a record stream (pg-extract's output: FILE operands or standard
 * input) or the database itself (-d, in one READ ONLY, REPEATABLE READ
 * transaction, the rows pg-extract gives for the period), and optionally
 * a csv-emit folder (--dump), usage-aggregate's output (--summaries) and
 * os-fetch's raw pages (--raw).  Writes "finding" records and one
 * "check_summary" on standard output, one line per check on standard
 * error.
 *
 * Exit: 0 every check passed; 1 a check failed (an error finding); 2
 * usage or input trouble (malformed input, a check without its input);
 * 75 the database cannot be reached.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cc.h"
#include "jwrite.h"
#include "pg.h"
#include "pgextract.h"
#include "rtime.h"
#include "util.h"

struct check cc_checks[CK_N] = {
	{ "coverage", 0, 0, 0, 0, 0, "" },
	{ "references", 0, 0, 0, 0, 0, "" },
	{ "nova-usage", 0, 0, 0, 0, 0, "" },
	{ "dump", 0, 0, 0, 0, 0, "" },
	{ "report", 0, 0, 0, 0, 0, "" },
	{ "raw", 0, 0, 0, 0, 0, "" },
};
struct cc_opts CO;

static struct jw out;
static struct rec_reader *cur;
static int quiet, explicit_checks;
static const char *conninfo, *role;
static FILE *records;		/* the records, for a second reading */
static const char *records_name, *records_path;

static void
usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	    "Check that collection, storage, dumps and reports agree.\n"
	    "\n"
	    "  -c, --check=LIST       run these checks (comma separated):\n"
	    "                         coverage, references, nova-usage, dump,\n"
	    "                         report, raw (default: every check whose\n"
	    "                         input is given)\n"
	    "  -s, --since=TIME       start of the period\n"
	    "  -u, --until=TIME       end of the period, exclusive\n"
	    "  -m, --month=YYYY-MM    the period is this month (UTC)\n"
	    "  -d, --dbname=CONNINFO  read the records from the database\n"
	    "  -r, --role=ROLE        read as this role (e.g. moc_reporter)\n"
	    "      --dump=DIR         a csv-emit -d folder (dump check)\n"
	    "      --summaries=FILE   usage-aggregate output (report check)\n"
	    "      --raw=FILE         os-fetch raw pages, .gz read through\n"
	    "                         gzip -dc (raw check)\n"
	    "  -t, --tolerance=DUR    nova-usage tolerance (default 1h)\n"
	    "      --slot=DUR         coverage slot (default 15m)\n"
	    "  -q, --quiet            no summary on standard error\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show the version and exit\n"
	    "\n"
	    "FILE is a record stream (pg-extract output); '-' is standard\n"
	    "input, which is read by default when neither -d nor --dump,\n"
	    "--summaries or --raw is given.\n"
	    "Exit status: 0 all checks pass, 1 a check failed, 2 usage or\n"
	    "input trouble, 75 database unreachable (try again).\n",
	    moc_progname());
}

/* --- findings ----------------------------------------------------------- */

void
cc_finding(enum check_id ck, enum sev sev, const char *subject,
    const char *expected, const char *actual, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info" };
	char detail[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (sev == SEV_ERROR)
		cc_checks[ck].errors++;
	else if (sev == SEV_WARNING)
		cc_checks[ck].warnings++;
	else
		cc_checks[ck].infos++;
	jw_object_begin(&out);
	jw_kv_string(&out, "type", "finding");
	jw_kv_string(&out, "check", cc_checks[ck].name);
	jw_kv_string(&out, "severity", names[sev]);
	jw_kv_string(&out, "subject", subject);
	jw_kv_string(&out, "expected", expected);
	jw_kv_string(&out, "actual", actual);
	jw_kv_string(&out, "detail", detail);
	jw_object_end(&out);
	jw_end_record(&out);
}

void
cc_note(enum check_id ck, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cc_checks[ck].note, sizeof(cc_checks[ck].note), fmt, ap);
	va_end(ap);
}

/* --- fields ------------------------------------------------------------- */

void
cc_reader(struct rec_reader *r)
{
	cur = r;
}

const char *
cc_where(void)
{
	return cur != NULL ? rec_where(cur) : "<input>";
}

void
cc_bad_field(const char *field, const struct json_value *v, const char *what)
{
	if (v != NULL && v->type == JSON_STRING)
		moc_die(EXIT_USAGE, "%s: %s in field \"%s\": \"%.80s\"",
		    cc_where(), what, field, v->u.text);
	if (v != NULL && v->type == JSON_NUMBER)
		moc_die(EXIT_USAGE, "%s: %s in field \"%s\": %.80s",
		    cc_where(), what, field, v->u.text);
	moc_die(EXIT_USAGE, "%s: %s in field \"%s\"", cc_where(), what,
	    field);
}

const char *
cc_str(const struct json_value *rec, const char *field)
{
	const struct json_value *v = json_get(rec, field);

	if (v == NULL || v->type == JSON_NULL)
		return NULL;
	if (v->type != JSON_STRING)
		cc_bad_field(field, v, "not a string");
	return v->u.text;
}

const char *
cc_str_req(const struct json_value *rec, const char *field)
{
	const char *s = cc_str(rec, field);

	if (s == NULL)
		moc_die(EXIT_USAGE, "%s: missing field \"%s\"", cc_where(),
		    field);
	return s;
}

int
cc_time(const struct json_value *rec, const char *field, int64_t *t)
{
	const struct json_value *v = json_get(rec, field);

	if (v == NULL || v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_STRING || rtime_parse(v->u.text, v->len, t) == -1)
		cc_bad_field(field, v, "bad time");
	return 1;
}

const char *
cc_number_text(const struct json_value *rec, const char *field)
{
	const struct json_value *v = json_get(rec, field);

	if (v == NULL || v->type == JSON_NULL)
		return NULL;
	if (v->type != JSON_STRING && v->type != JSON_NUMBER)
		cc_bad_field(field, v, "not a number");
	return v->u.text;
}

/* Hours with two decimals, from seconds: "12.25 h". */
void
cc_fmt_hours(int64_t s, char *buf, size_t n)
{
	int64_t c = (s < 0 ? -s : s) * 100 / 3600;

	snprintf(buf, n, "%s%lld.%02lld h", s < 0 ? "-" : "",
	    (long long)(c / 100), (long long)(c % 100));
}

/* --- reading ------------------------------------------------------------ */

void
cc_read_records(int fd, const char *name,
    void (*fn)(const struct json_value *, const char *, void *), void *arg)
{
	struct rec_reader *r = rec_open(fd, name, REC_DEFAULT_MAX);
	const struct json_value *rec;
	enum rec_status st;
	const char *type;

	cc_reader(r);
	while ((st = rec_next(r, &rec)) != REC_EOF) {
		switch (st) {
		case REC_TOO_LONG:
			moc_die(EXIT_USAGE, "%s: record longer than %lu bytes",
			    rec_where(r), REC_DEFAULT_MAX);
		case REC_BAD_JSON:
			moc_die(EXIT_USAGE, "%s: %s", rec_where(r),
			    rec_error(r));
		case REC_NOT_OBJECT:
			moc_die(EXIT_USAGE, "%s: not a JSON object",
			    rec_where(r));
		default:
			break;
		}
		if ((type = rec_type(rec)) == NULL)
			moc_die(EXIT_USAGE, "%s: missing field \"type\"",
			    rec_where(r));
		fn(rec, type, arg);
	}
	cc_reader(NULL);
	rec_close(r);
}

/* The stream goes to every collector; kept in spool when nova-usage reads
 * it a second time through usage-aggregate's reader. */
static void
stream_record(const struct json_value *rec, const char *type, void *arg)
{
	FILE *spool = arg;

	if (cc_checks[CK_COVERAGE].selected)
		cov_record(rec, type);
	if (cc_checks[CK_REFERENCES].selected)
		ref_record(rec, type);
	if (cc_checks[CK_NOVA].selected)
		nova_record(rec, type);
	if (cc_checks[CK_DUMP].selected)
		dump_record(rec, type);
	if (cc_checks[CK_RAW].selected)
		raw_record(rec, type);
	if (spool != NULL) {
		size_t len;
		const char *line = rec_line(cur, &len);

		if (fwrite(line, 1, len, spool) != len ||
		    putc('\n', spool) == EOF)
			moc_die_sys(EXIT_DATA, "temporary file");
	}
}

static FILE *
temp_file(void)
{
	FILE *fp = tmpfile();

	if (fp == NULL)
		moc_die_sys(EXIT_DATA, "temporary file");
	return fp;
}

/* The rows pg-extract gives for the period, into a temporary file. */
static FILE *
from_database(void)
{
	char since[RTIME_BUFSIZE], until[RTIME_BUFSIZE];
	FILE *fp = temp_file();
	PGconn *conn;
	size_t i;

	strcpy(since, "-infinity");
	if (CO.has_since)
		rtime_format(CO.since, since);
	rtime_format(CO.has_until ? CO.until : (int64_t)time(NULL), until);
	conn = pgx_connect(conninfo, "consistency-check");
	pgext_begin(conn, role, since, until, NULL);
	for (i = 0; i < pgext_ntypes; i++)
		pgext_copy(conn, &pgext_types[i], fp, "temporary file");
	pgx_exec(conn, "COMMIT");
	pgx_finish(conn);
	if (fflush(fp) == EOF || ferror(fp))
		moc_die_sys(EXIT_DATA, "temporary file");
	return fp;
}

static int
open_input(const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(path, O_RDONLY)) == -1)
		moc_die_sys(EXIT_USAGE, "%s", path);
	return fd;
}

/*
 * Read the records once for every collector.  nova-usage reads them again
 * through usage-aggregate's own reader, so they are kept in a temporary
 * file (the database's rows are in one already).
 */
static void
read_stream(int nfiles, char **files)
{
	FILE *spool = NULL, *db = NULL;
	const char *name = "<stdin>";
	struct stat sb;
	int i, fd;

	if (conninfo != NULL) {
		db = from_database();
		name = "<database>";
		fd = dup(fileno(db));
		if (fd == -1 || lseek(fd, 0, SEEK_SET) == -1)
			moc_die_sys(EXIT_DATA, "temporary file");
		cc_read_records(fd, name, stream_record, NULL);
		close(fd);
	} else {
		/* One named file is read again from where it is. */
		if (nfiles == 1 && strcmp(files[0], "-") != 0 &&
		    stat(files[0], &sb) == 0 && S_ISREG(sb.st_mode))
			records_path = files[0];
		else if (cc_checks[CK_NOVA].selected)
			spool = temp_file();
		if (nfiles == 0)
			cc_read_records(STDIN_FILENO, "<stdin>", stream_record,
			    spool);
		for (i = 0; i < nfiles; i++) {
			fd = open_input(files[i]);
			name = fd == STDIN_FILENO ? "<stdin>" : files[i];
			cc_read_records(fd, name, stream_record, spool);
			if (fd != STDIN_FILENO)
				close(fd);
		}
		if (nfiles > 1)
			name = "<records>";
		if (spool != NULL && fflush(spool) == EOF)
			moc_die_sys(EXIT_DATA, "temporary file");
		db = spool;
	}
	records = db;
	records_name = name;
}

/* nova-usage reads the records again, from the temporary file. */
static void
nova_check(void)
{
	int fd;

	if (records_path != NULL)
		fd = open_input(records_path);
	else if (records == NULL)
		moc_die(EXIT_DATA, "internal error: no records kept");
	else if ((fd = dup(fileno(records))) == -1 ||
	    lseek(fd, 0, SEEK_SET) == -1)
		moc_die_sys(EXIT_DATA, "temporary file");
	nova_run(fd, records_name);
	close(fd);
}

/* --- options ------------------------------------------------------------ */

static void
select_checks(char *list)
{
	char *tok, *save = NULL;
	size_t i;

	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < CK_N; i++)
			if (strcmp(cc_checks[i].name, tok) == 0)
				break;
		if (i == CK_N)
			moc_usage_error("unknown check in --check: %s", tok);
		cc_checks[i].selected = 1;
	}
	explicit_checks = 1;
}

static int64_t
time_opt(const char *name, const char *s)
{
	int64_t t;

	if (rtime_parse_date_or_time(s, strlen(s), &t) == -1)
		moc_usage_error("bad time for --%s: %s", name, s);
	return t;
}

static void
month_opt(const char *s)
{
	int y, m;

	if (rtime_parse_month(s, strlen(s), &y, &m) == -1)
		moc_usage_error("bad month for --month: %s", s);
	CO.since = rtime_month_start(y, (unsigned)m);
	CO.until = rtime_month_start(y, (unsigned)m + 1);
	CO.has_since = CO.has_until = 1;
}

static int64_t
duration_opt(const char *name, const char *s, int64_t min)
{
	int64_t v;

	if (moc_parse_duration(s, &v) == -1 || v < min)
		moc_usage_error("bad duration for --%s: %s", name, s);
	return v;
}

enum { O_DUMP = 256, O_SUMMARIES, O_RAW, O_SLOT };

static void
parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", required_argument, NULL, 'c' },
		{ "dbname", required_argument, NULL, 'd' },
		{ "dump", required_argument, NULL, O_DUMP },
		{ "help", no_argument, NULL, 'h' },
		{ "month", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "raw", required_argument, NULL, O_RAW },
		{ "role", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "slot", required_argument, NULL, O_SLOT },
		{ "summaries", required_argument, NULL, O_SUMMARIES },
		{ "tolerance", required_argument, NULL, 't' },
		{ "until", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, month = 0, span = 0;

	CO.tolerance = 3600;
	CO.slot = 15 * 60;
	while ((c = getopt_long(argc, argv, "c:d:hm:qr:s:t:u:V", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			select_checks(optarg);
			break;
		case 'd':
			conninfo = optarg;
			break;
		case 'h':
			usage();
			moc_close_stdout();
			exit(EXIT_OK);
		case 'm':
			month_opt(optarg);
			month = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			role = optarg;
			break;
		case 's':
			CO.since = time_opt("since", optarg);
			CO.has_since = span = 1;
			break;
		case 't':
			CO.tolerance = duration_opt("tolerance", optarg, 0);
			break;
		case 'u':
			CO.until = time_opt("until", optarg);
			CO.has_until = span = 1;
			break;
		case 'V':
			moc_print_version();
		case O_DUMP:
			CO.dump = optarg;
			break;
		case O_RAW:
			CO.raw = optarg;
			break;
		case O_SLOT:
			CO.slot = duration_opt("slot", optarg, 1);
			break;
		case O_SUMMARIES:
			CO.summaries = optarg;
			break;
		default:
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", moc_progname());
			exit(EXIT_USAGE);
		}
	}
	if (month && span)
		moc_usage_error("--month excludes --since and --until");
	if (CO.has_since && CO.has_until && CO.until <= CO.since)
		moc_usage_error("--until is not after --since");
	if (role != NULL && conninfo == NULL)
		moc_usage_error("--role needs -d");
}

/*
 * Without --check every check whose input is given runs; an explicit
 * check without its input is a usage error.
 */
static void
decide_checks(int nfiles, char **files)
{
	const char *need[CK_N];
	size_t i;
	int k, stdin_users, stdin_operand = 0;

	for (k = 0; k < nfiles; k++)
		stdin_operand |= strcmp(files[k], "-") == 0;

	CO.have_stream = nfiles > 0 || conninfo != NULL ||
	    (CO.dump == NULL && CO.summaries == NULL && CO.raw == NULL);
	if (nfiles > 0 && conninfo != NULL)
		moc_usage_error("FILE operands exclude -d");
	stdin_users = (CO.summaries != NULL && strcmp(CO.summaries, "-") == 0)
	    + (CO.raw != NULL && strcmp(CO.raw, "-") == 0) +
	    (CO.have_stream && conninfo == NULL && (nfiles == 0 ||
	    stdin_operand));
	if (stdin_users > 1)
		moc_usage_error("standard input given as two inputs");
	need[CK_COVERAGE] = need[CK_REFERENCES] = need[CK_NOVA] =
	    CO.have_stream ? NULL : "a record stream (FILE, '-' or -d)";
	need[CK_DUMP] = CO.dump != NULL ? NULL : "--dump DIR";
	need[CK_REPORT] = CO.summaries != NULL ? NULL : "--summaries FILE";
	need[CK_RAW] = CO.raw == NULL ? "--raw FILE" : !CO.have_stream ?
	    "a record stream (FILE, '-' or -d)" : NULL;
	for (i = 0; i < CK_N; i++) {
		if (explicit_checks && cc_checks[i].selected &&
		    need[i] != NULL)
			moc_usage_error("--check %s needs %s",
			    cc_checks[i].name, need[i]);
		if (!explicit_checks)
			cc_checks[i].selected = need[i] == NULL;
	}
}

/*
 * The period, when not given: the span of the collection runs read, each
 * run's slot included.
 */
static void
resolve_period(void)
{
	int64_t first, last;

	if (CO.has_since && CO.has_until)
		return;
	if (!cov_span(&first, &last))
		return;
	if (!CO.has_since) {
		CO.since = first - (first % CO.slot + CO.slot) % CO.slot;
		CO.has_since = 1;
	}
	if (!CO.has_until) {
		CO.until = last - (last % CO.slot + CO.slot) % CO.slot +
		    CO.slot;
		CO.has_until = 1;
	}
}

/* --- summary ------------------------------------------------------------ */

static void
kv_period(const char *key, int has, int64_t t)
{
	if (has)
		jw_kv_time(&out, key, t);
	else {
		jw_key(&out, key);
		jw_null(&out);
	}
}

static int
summarize(void)
{
	size_t i, failed = 0, ran = 0;

	jw_object_begin(&out);
	jw_kv_string(&out, "type", "check_summary");
	for (i = 0; i < CK_N; i++) {
		ran += cc_checks[i].ran;
		failed += cc_checks[i].ran && cc_checks[i].errors > 0;
	}
	jw_kv_string(&out, "verdict", failed > 0 ? "fail" : "pass");
	jw_key(&out, "checks");
	jw_array_begin(&out);
	for (i = 0; i < CK_N; i++)
		if (cc_checks[i].ran)
			jw_cstring(&out, cc_checks[i].name);
	jw_array_end(&out);
	jw_key(&out, "failed");
	jw_array_begin(&out);
	for (i = 0; i < CK_N; i++)
		if (cc_checks[i].ran && cc_checks[i].errors > 0)
			jw_cstring(&out, cc_checks[i].name);
	jw_array_end(&out);
	jw_key(&out, "skipped");
	jw_array_begin(&out);
	for (i = 0; i < CK_N; i++)
		if (!cc_checks[i].ran)
			jw_cstring(&out, cc_checks[i].name);
	jw_array_end(&out);
	kv_period("since", CO.has_since, CO.since);
	kv_period("until", CO.has_until, CO.until);
	jw_object_end(&out);
	jw_end_record(&out);
	jw_flush(&out);

	if (quiet)
		return failed > 0;
	for (i = 0; i < CK_N; i++) {
		const struct check *c = &cc_checks[i];

		if (!c->ran)
			fprintf(stderr, "%-11s skipped\n", c->name);
		else
			fprintf(stderr, "%-11s %-4s %lu error%s, %lu "
			    "warning%s; %s\n", c->name, c->errors ? "FAIL" :
			    "pass", c->errors, c->errors == 1 ? "" : "s",
			    c->warnings, c->warnings == 1 ? "" : "s", c->note);
	}
	fprintf(stderr, "verdict     %s: %zu of %zu check%s failed\n",
	    failed ? "FAIL" : "pass", failed, ran, ran == 1 ? "" : "s");
	return failed > 0;
}

static void
run(enum check_id ck, void (*fn)(void))
{
	if (!cc_checks[ck].selected)
		return;
	fn();
	cc_checks[ck].ran = 1;
}

int
main(int argc, char **argv)
{
	int failed;

	moc_setprogname(argv[0]);
	setlocale(LC_CTYPE, "");
	parse_options(argc, argv);
	decide_checks(argc - optind, argv + optind);
	jw_init(&out, stdout, "standard output");

	if (cc_checks[CK_COVERAGE].selected || cc_checks[CK_REFERENCES].selected
	    || cc_checks[CK_NOVA].selected || cc_checks[CK_RAW].selected ||
	    (cc_checks[CK_DUMP].selected && CO.have_stream))
		read_stream(argc - optind, argv + optind);
	resolve_period();
	run(CK_COVERAGE, cov_run);
	run(CK_REFERENCES, ref_run);
	run(CK_NOVA, nova_check);
	run(CK_DUMP, dump_run);
	run(CK_REPORT, report_run);
	run(CK_RAW, raw_run);
	failed = summarize();
	if (records != NULL)
		fclose(records);
	jw_free(&out);
	moc_close_stdout();
	return failed ? EXIT_DATA : EXIT_OK;
}
