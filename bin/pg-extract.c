/*
 * pg-extract: write the database's records for a period as a record stream.
 *
 * Reads the tables pg-load writes, in one READ ONLY, REPEATABLE READ
 * transaction (one consistent snapshot even while a load runs), and writes
 * JSON Lines on standard output: collection_run records, then every row
 * version of the object and relationship tables that overlaps
 * [--since, --until) with "valid_from" and "valid_to" added, then the
 * event-like records inside the period.  Rows stream out of COPY TO
 * STDOUT straight to the output, so memory stays flat.
 *
 * Exit: 0 written; 1 database or write error; 2 usage or configuration
 * error; 75 the database cannot be reached or the connection dropped.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg.h"
#include "pgextract.h"
#include "rtime.h"
#include "util.h"

/* Which of pgext_types are wanted (--types). */
static unsigned char wanted[64];

static struct {
	const char	*conninfo;
	const char	*role;
	char		 since[RTIME_BUFSIZE], until[RTIME_BUFSIZE],
			 at[RTIME_BUFSIZE];
	int		 has_since, has_at;
} opt;

static void
usage(void)
{
	printf("Usage: %s [OPTION]...\n"
	    "Write the records of a period from PostgreSQL as a record stream.\n"
	    "\n"
	    "  -d, --dbname=CONNINFO  database: conninfo string or URI\n"
	    "                         (default: the PG* environment)\n"
	    "  -s, --since=TIME       start of the period (default: all history)\n"
	    "  -u, --until=TIME       end of the period, exclusive (default: now)\n"
	    "  -a, --at=TIME          the state at one instant: object and\n"
	    "                         relationship versions valid then\n"
	    "  -t, --types=LIST       only these record types (comma separated;\n"
	    "                         collection_run and other included)\n"
	    "  -r, --role=ROLE        read as this role (e.g. moc_reporter)\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show the version and exit\n"
	    "\n"
	    "TIME is RFC 3339 (2019-03-01T00:00:00Z) or a date (2019-03-01).\n"
	    "Exit status: 0 written, 1 database or write error, 2 usage error,\n"
	    "75 database unreachable (try again).\n", moc_progname());
}

static void
parse_time(const char *name, const char *s, char out[RTIME_BUFSIZE])
{
	int64_t t;

	if (rtime_parse_date_or_time(s, strlen(s), &t) == -1)
		moc_usage_error("bad time for --%s: %s", name, s);
	rtime_format(t, out);
}

static void
select_types(char *list)
{
	char *tok, *save = NULL;
	size_t i;

	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < pgext_ntypes; i++)
			if (strcmp(pgext_types[i].type, tok) == 0)
				break;
		if (i == pgext_ntypes)
			moc_usage_error("unknown record type in --types: %s",
			    tok);
		wanted[i] = 1;
	}
}

static void
parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "dbname", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "role", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "types", required_argument, NULL, 't' },
		{ "until", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, any_type = 0;
	size_t i;

	rtime_format((int64_t)time(NULL), opt.until);
	while ((c = getopt_long(argc, argv, "a:d:hr:s:t:u:V", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'a':
			parse_time("at", optarg, opt.at);
			opt.has_at = 1;
			break;
		case 'd':
			opt.conninfo = optarg;
			break;
		case 'h':
			usage();
			moc_close_stdout();
			exit(EXIT_OK);
		case 'r':
			opt.role = optarg;
			break;
		case 's':
			parse_time("since", optarg, opt.since);
			opt.has_since = 1;
			break;
		case 't':
			select_types(optarg);
			any_type = 1;
			break;
		case 'u':
			parse_time("until", optarg, opt.until);
			break;
		case 'V':
			moc_print_version();
		default:
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", moc_progname());
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		moc_usage_error("unexpected argument: %s", argv[optind]);
	if (opt.has_at && opt.has_since)
		moc_usage_error("--at excludes --since and --until");
	if (!opt.has_since)
		strcpy(opt.since, "-infinity");
	if (!any_type)
		for (i = 0; i < pgext_ntypes; i++)
			wanted[i] = 1;
}

int
main(int argc, char **argv)
{
	PGconn *conn;
	size_t i;

	moc_setprogname(argv[0]);
	setlocale(LC_CTYPE, "");
	parse_options(argc, argv);

	conn = pgx_connect(opt.conninfo, "pg-extract");
	if (opt.has_at) {
		/* The instant as a period of one second, for runs and events;
		 * versions are those valid at that instant. */
		int64_t t;

		rtime_parse(opt.at, strlen(opt.at), &t);
		rtime_format(t + 1, opt.until);
		strcpy(opt.since, opt.at);
	}
	pgext_begin(conn, opt.role, opt.since, opt.until,
	    opt.has_at ? opt.at : NULL);
	for (i = 0; i < pgext_ntypes; i++) {
		if (!wanted[i])
			continue;
		/* The state at an instant is objects and relationships. */
		if (opt.has_at && pgext_types[i].kind != PGEXT_VERSIONED)
			continue;
		pgext_copy(conn, &pgext_types[i], stdout, "standard output");
	}
	pgx_exec(conn, "COMMIT");
	pgx_finish(conn);
	moc_close_stdout();
	return EXIT_OK;
}
