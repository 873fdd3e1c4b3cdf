/*
 * usage-aggregate: what an OpenStack cloud was used for, and what it costs.
 *
 * Reads a record stream (pg-extract's row versions or os-normalize's
 * observations: instances, instance actions, flavors, projects, users,
 * volumes, floating IPs, institutions and funding shares, collection
 * runs) on standard input or from files, reconstructs each instance's
 * states and flavors over the period, counts billable hours and service
 * units with the rates file, and writes usage_meta, usage, usage_total and
 * invoice_line records (moc-records(5)).
 *
 * Exit status: 0 ok; 1 bad input data (named by file and line) or a
 * failure to write; 2 usage error or a bad rates or outages file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rec.h"
#include "rtime.h"
#include "sha256.h"
#include "ua.h"
#include "util.h"

static void
usage(void)
{
	printf("Usage: usage-aggregate [options] --rates FILE [FILE...]\n"
"Count the billable usage of an OpenStack cloud from a record stream.\n"
"\n"
"  -m, --month YYYY-MM     the period: one month in the time zone of --tz\n"
"  -s, --since TIME        the period's start (inclusive), with --until\n"
"  -u, --until TIME        the period's end (exclusive)\n"
"  -z, --tz ZONE           time zone of months and dates (default UTC)\n"
"  -b, --by AXES           instance, user, project, institution, or a\n"
"                          comma list of them (default project)\n"
"  -r, --rates FILE        rates file (nerc-rates rates.yaml format)\n"
"  -o, --outages FILE      outages file (nerc-rates outages.yaml format)\n"
"      --outage-service S  service whose outages count (NERC OpenStack)\n"
"      --charge-stopped Y  yes or no: overrides the rates file's\n"
"                          \"Charge for Stopped Instances\"\n"
"      --cloud NAME        name of the cloud (default openstack)\n"
"      --root-name NAME    name of the project tree's root (the cloud)\n"
"      --cluster NAME      invoice \"Cluster Name\" (the cloud)\n"
"      --interval DUR      collection interval (default 15m)\n"
"      --max-gap DUR       longest gap between polls that is not a gap in\n"
"                          collection (default 30m)\n"
"      --grace DUR         how long an observation may lag an action\n"
"                          (default 5m)\n"
"      --generated-at TIME the time written as generated_at\n"
"      --max-record SIZE   longest record accepted (default 64M)\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n");
}

static const struct option longopts[] = {
	{ "by", required_argument, NULL, 'b' },
	{ "charge-stopped", required_argument, NULL, 'C' },
	{ "cloud", required_argument, NULL, 'c' },
	{ "cluster", required_argument, NULL, 'K' },
	{ "generated-at", required_argument, NULL, 'G' },
	{ "grace", required_argument, NULL, 'g' },
	{ "help", no_argument, NULL, 'h' },
	{ "interval", required_argument, NULL, 'i' },
	{ "max-gap", required_argument, NULL, 'x' },
	{ "max-record", required_argument, NULL, 'X' },
	{ "month", required_argument, NULL, 'm' },
	{ "outage-service", required_argument, NULL, 'S' },
	{ "outages", required_argument, NULL, 'o' },
	{ "rates", required_argument, NULL, 'r' },
	{ "root-name", required_argument, NULL, 'R' },
	{ "since", required_argument, NULL, 's' },
	{ "tz", required_argument, NULL, 'z' },
	{ "until", required_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char	*month, *since, *until, *by;
	size_t		 max_record;
};

static int64_t
parse_time_opt(const char *opt, const char *s)
{
	int64_t t;

	if (rtime_parse_date_or_time(s, strlen(s), &t) == -1)
		moc_usage_error("--%s: not a time: %s", opt, s);
	return t;
}

/* A bare date is midnight in --tz, not in UTC. */
static int64_t
local_time_opt(const char *opt, const char *s)
{
	struct tm tm;
	int y, m, d;
	char c;
	time_t t;

	if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &c) ==
	    3) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		tm.tm_isdst = -1;
		if (m < 1 || m > 12 || d < 1 || d > 31 ||
		    (t = mktime(&tm)) == (time_t)-1)
			moc_usage_error("--%s: not a date: %s", opt, s);
		return (int64_t)t;
	}
	return parse_time_opt(opt, s);
}

static int64_t
month_start_local(int y, int m)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900 + (m - 1) / 12;
	tm.tm_mon = (m - 1) % 12;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;	/* let the zone say whether DST is on */
	return (int64_t)mktime(&tm);
}

/* The time zone is that of the system's tz database; a name it does not
 * know is an error, not a silent UTC. */
static void
set_tz(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	struct stat st;

	if (strcmp(tz, "UTC") != 0 && strcmp(tz, "Etc/UTC") != 0) {
		if (tz[0] == '/' || strstr(tz, "..") != NULL)
			moc_usage_error("--tz: not a zone name: %s", tz);
		snprintf(path, sizeof(path), "%s/%s",
		    dir != NULL ? dir : "/usr/share/zoneinfo", tz);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			moc_usage_error("--tz: unknown time zone: %s", tz);
	}
	if (setenv("TZ", tz, 1) == -1)
		moc_die_sys(EXIT_USAGE, "setenv");
	tzset();
}

static void
set_period(const struct opts *o)
{
	int y, m;

	if (o->month != NULL) {
		if (o->since != NULL || o->until != NULL)
			moc_usage_error("--month excludes --since and --until");
		if (rtime_parse_month(o->month, strlen(o->month), &y, &m) == -1)
			moc_usage_error("--month: not YYYY-MM: %s", o->month);
		M.since = month_start_local(y, m);
		M.until = month_start_local(y, m + 1);
	} else {
		if (o->since == NULL || o->until == NULL)
			moc_usage_error("give --month, or --since and --until");
		M.since = local_time_opt("since", o->since);
		M.until = local_time_opt("until", o->until);
	}
	if (M.until <= M.since)
		moc_usage_error("the period is empty: --until is not after "
		    "--since");
}

/* The months (in --tz) the period touches, each with its own rules. */
static void
set_months(void)
{
	time_t t = (time_t)M.since;
	struct tm tm;
	int y, m;
	size_t cap = 0;

	localtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	for (;;) {
		int64_t s = month_start_local(y, m), e;
		struct month *mo;

		if (s >= M.until)
			break;
		e = month_start_local(y, m + 1);
		M.months = ua_grow(M.months, &cap, M.nmonths,
		    sizeof(*M.months));
		mo = &M.months[M.nmonths++];
		mo->start = s > M.since ? s : M.since;
		mo->end = e < M.until ? e : M.until;
		mo->year = y;
		mo->mon = m;
		if (++m > 12) {
			m = 1;
			y++;
		}
		if (M.nmonths > 1000)
			moc_usage_error("the period is longer than 1000 months");
	}
}

static void
set_charge_stopped(void)
{
	size_t i;

	for (i = 0; i < M.nmonths; i++) {
		enum rate_type t;
		const char *v;

		if (M.charge_stopped >= 0) {
			M.months[i].charge_stopped = M.charge_stopped;
			continue;
		}
		v = rates_lookup(M.rates, "Charge for Stopped Instances",
		    M.months[i].year, M.months[i].mon, &t);
		M.months[i].charge_stopped = v != NULL && t == RATE_BOOL &&
		    (strcmp(v, "True") == 0 || strcmp(v, "true") == 0);
	}
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The outages of our service, merged into disjoint intervals. */
static void
set_outages(void)
{
	int64_t *pairs;
	size_t i, n = 0;

	if (M.outages == NULL)
		return;
	pairs = moc_xcalloc(2 * M.outages->n + 2, sizeof(*pairs));
	for (i = 0; i < M.outages->n; i++)
		if (outage_affects(&M.outages->v[i], M.service)) {
			pairs[2 * n] = M.outages->v[i].from;
			pairs[2 * n + 1] = M.outages->v[i].until;
			n++;
		}
	/* Sorting pairs by start: qsort on 2 x int64 records. */
	ua_qsort(pairs, n, 2 * sizeof(*pairs), cmp_i64);
	M.out_from = moc_xcalloc(n + 1, sizeof(int64_t));
	M.out_to = moc_xcalloc(n + 1, sizeof(int64_t));
	for (i = 0; i < n; i++) {
		if (M.nout > 0 && pairs[2 * i] <= M.out_to[M.nout - 1]) {
			if (pairs[2 * i + 1] > M.out_to[M.nout - 1])
				M.out_to[M.nout - 1] = pairs[2 * i + 1];
			continue;
		}
		M.out_from[M.nout] = pairs[2 * i];
		M.out_to[M.nout++] = pairs[2 * i + 1];
	}
	free(pairs);
}

static void
hash_file(const char *path, char hex[SHA256_HEX_LEN])
{
	struct sha256 h;
	char buf[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		moc_die_sys(EXIT_USAGE, "%s", path);
	sha256_init(&h);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_update(&h, buf, (size_t)n);
	if (n == -1)
		moc_die_sys(EXIT_USAGE, "%s", path);
	close(fd);
	sha256_final_hex(&h, hex);
}

static void
duration_opt(const char *opt, const char *s, int64_t *out, int64_t min)
{
	if (moc_parse_duration(s, out) == -1 || *out < min)
		moc_usage_error("--%s: not a duration of at least %llds: %s",
		    opt, (long long)min, s);
}

static void
check_by(const char *by)
{
	char *copy = moc_xstrdup(by), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, "instance") != 0 && strcmp(tok, "user") != 0 &&
		    strcmp(tok, "project") != 0 &&
		    strcmp(tok, "institution") != 0)
			moc_usage_error("--by: unknown axis: %s", tok);
	free(copy);
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "b:hm:o:r:s:u:Vz:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'b': o->by = optarg; check_by(optarg); break;
		case 'C':
			if (strcmp(optarg, "yes") == 0)
				M.charge_stopped = 1;
			else if (strcmp(optarg, "no") == 0)
				M.charge_stopped = 0;
			else
				moc_usage_error("--charge-stopped: yes or no");
			break;
		case 'c': M.cloud = optarg; break;
		case 'K': M.cluster = optarg; break;
		case 'G': M.generated_at = parse_time_opt("generated-at",
		    optarg); break;
		case 'g': duration_opt("grace", optarg, &M.grace, 0); break;
		case 'h': usage(); moc_close_stdout(); exit(EXIT_OK);
		case 'i': duration_opt("interval", optarg, &M.interval, 1);
			break;
		case 'x': duration_opt("max-gap", optarg, &M.max_gap, 1);
			break;
		case 'X':
			if (moc_parse_size(optarg, &o->max_record) == -1 ||
			    o->max_record < 1024)
				moc_usage_error("--max-record: not a size of "
				    "at least 1K: %s", optarg);
			break;
		case 'm': o->month = optarg; break;
		case 'S': M.service = optarg; break;
		case 'o': M.outages_file = optarg; break;
		case 'r': M.rates_file = optarg; break;
		case 'R': M.root_name = optarg; break;
		case 's': o->since = optarg; break;
		case 'u': o->until = optarg; break;
		case 'V': moc_print_version();
		case 'z': M.tz = optarg; break;
		default:
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", moc_progname());
			exit(EXIT_USAGE);
		}
	}
}

static void
defaults(struct opts *o)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long v;

	memset(o, 0, sizeof(*o));
	o->by = "project";
	o->max_record = REC_DEFAULT_MAX;
	M.tz = "UTC";
	M.cloud = "openstack";
	M.service = "NERC OpenStack";
	M.charge_stopped = -1;
	M.interval = 15 * 60;
	M.max_gap = 30 * 60;
	M.grace = 5 * 60;
	M.generated_at = INT64_MIN;
	/* Reproducible output, as for builds. */
	if (sde != NULL && moc_parse_int(sde, 0, 1LL << 40, &v) == 0)
		M.generated_at = v;
}

static void
read_inputs(int argc, char **argv, size_t max)
{
	int i, fd;

	if (argc == 0) {
		ua_read(STDIN_FILENO, "<stdin>", max);
		return;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			ua_read(STDIN_FILENO, "<stdin>", max);
			continue;
		}
		if ((fd = open(argv[i], O_RDONLY)) == -1)
			moc_die_sys(EXIT_DATA, "%s", argv[i]);
		ua_read(fd, argv[i], max);
		close(fd);
	}
}

int
main(int argc, char **argv)
{
	struct opts o;

	moc_setprogname(argv[0]);
	setlocale(LC_CTYPE, "");
	defaults(&o);
	parse_opts(argc, argv, &o);
	if (M.rates_file == NULL)
		moc_usage_error("--rates FILE is required");
	if (M.root_name == NULL)
		M.root_name = M.cloud;
	if (M.cluster == NULL)
		M.cluster = M.cloud;
	if (M.max_gap < M.interval)
		moc_usage_error("--max-gap is shorter than --interval");
	set_tz(M.tz);
	set_period(&o);
	if (M.generated_at == INT64_MIN)
		M.generated_at = (int64_t)time(NULL);

	M.rates = rates_load(M.rates_file);
	hash_file(M.rates_file, M.rates_sha256);
	if (M.outages_file != NULL)
		M.outages = outages_load(M.outages_file);
	set_months();
	set_charge_stopped();
	set_outages();
	ua_init_tables();

	read_inputs(argc - optind, argv + optind, o.max_record);

	ua_resolve_shapes();
	ua_build_tree();
	ua_resolve_users();
	ua_check_shares();
	ua_coverage();
	ua_account_all();
	ua_report(o.by);
	moc_close_stdout();
	return EXIT_OK;
}
