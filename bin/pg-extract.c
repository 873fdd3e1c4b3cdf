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
#include "rtime.h"
#include "util.h"

enum kind { K_RUN, K_VERSIONED, K_EVENT, K_OTHER };

struct etype {
	const char	*type;
	const char	*table;
	enum kind	 kind;
	int		 wanted;
};

/* Output order: runs, administrator data, objects, events. */
static struct etype types[] = {
	{ "collection_run", "collection_run", K_RUN, 0 },
	{ "institution", "institution", K_VERSIONED, 0 },
	{ "user_institution", "user_institution", K_VERSIONED, 0 },
	{ "project_institution", "project_institution", K_VERSIONED, 0 },
	{ "email_domain_institution", "email_domain_institution", K_VERSIONED,
	    0 },
	{ "project_attr", "project_attr", K_VERSIONED, 0 },
	{ "region", "region", K_VERSIONED, 0 },
	{ "domain", "domain", K_VERSIONED, 0 },
	{ "project", "project", K_VERSIONED, 0 },
	{ "user", "user_account", K_VERSIONED, 0 },
	{ "role_assignment", "role_assignment", K_VERSIONED, 0 },
	{ "flavor", "flavor", K_VERSIONED, 0 },
	{ "instance", "instance", K_VERSIONED, 0 },
	{ "hypervisor", "hypervisor", K_VERSIONED, 0 },
	{ "volume", "volume", K_VERSIONED, 0 },
	{ "volume_attachment", "volume_attachment", K_VERSIONED, 0 },
	{ "snapshot", "snapshot", K_VERSIONED, 0 },
	{ "volume_type", "volume_type", K_VERSIONED, 0 },
	{ "network", "network", K_VERSIONED, 0 },
	{ "subnet", "subnet", K_VERSIONED, 0 },
	{ "router", "router", K_VERSIONED, 0 },
	{ "floating_ip", "floating_ip", K_VERSIONED, 0 },
	{ "port", "port", K_VERSIONED, 0 },
	{ "instance_action", "instance_action", K_EVENT, 0 },
	{ "event", "event", K_EVENT, 0 },
	{ "tenant_usage", "tenant_usage", K_EVENT, 0 },
	{ "other", "other_record", K_OTHER, 0 },
};
#define NTYPES	(sizeof(types) / sizeof(types[0]))

/* RFC 3339 UTC text of a timestamptz column, whatever the session zone. */
#define FMT(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* The period: values set with set_config() from the options. */
#define SINCE	"current_setting('moc.since')::timestamptz"
#define UNTIL	"current_setting('moc.until')::timestamptz"
/*
 * CSV with a quote and a delimiter that JSON text cannot contain: the
 * server writes each jsonb value as it is, one per line, with nothing to
 * unescape (jsonb output has no raw control characters).
 */
#define RAW	" TO STDOUT (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"

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
		for (i = 0; i < NTYPES; i++)
			if (strcmp(types[i].type, tok) == 0)
				break;
		if (i == NTYPES)
			moc_usage_error("unknown record type in --types: %s",
			    tok);
		types[i].wanted = 1;
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
		for (i = 0; i < NTYPES; i++)
			types[i].wanted = 1;
}

static void
set_value(PGconn *conn, const char *name, const char *value)
{
	const char *params[2] = { name, value };

	pgx_command(conn, "SELECT set_config($1, $2, true)", 2, params);
}

static void
extract(PGconn *conn, const struct etype *t)
{
	char sql[2048];
	int n;

	switch (t->kind) {
	case K_RUN:
		n = snprintf(sql, sizeof(sql), "COPY (SELECT jsonb_build_object("
		    "'type', 'collection_run', 'id', id, 'source', source,"
		    " 'cloud', cloud, 'region', region,"
		    " 'started_at', " FMT("started_at") ","
		    " 'ended_at', " FMT("ended_at") ", 'complete', complete,"
		    " 'partial', partial, 'resources', resources,"
		    " 'counts', counts, 'digest', digest)"
		    " FROM moc.collection_run WHERE started_at < " UNTIL
		    " AND coalesce(ended_at, started_at) >= " SINCE ")" RAW);
		break;
	case K_VERSIONED:
		/* The record's text with its validity appended before the
		 * closing brace (pg-load keeps no trailing blanks); one that
		 * may have its own valid_from or valid_to (administrator
		 * data) is merged through jsonb so the version's times win. */
		n = snprintf(sql, sizeof(sql), "COPY (SELECT CASE WHEN"
		    " strpos(rec::text, '\"valid_') = 0 THEN"
		    " left(rec::text, -1) || ', \"valid_from\": \"' || "
		    FMT("valid_from") " || '\", \"valid_to\": ' ||"
		    " coalesce('\"' || " FMT("valid_to") " || '\"', 'null')"
		    " || '}' ELSE (rec::jsonb ||"
		    " jsonb_build_object('valid_from', " FMT("valid_from") ","
		    " 'valid_to', " FMT("valid_to") "))::text END FROM moc.%s"
		    " WHERE valid_from < " UNTIL " AND (valid_to IS NULL OR"
		    " valid_to > " SINCE ") AND (valid_from <="
		    " current_setting('moc.at')::timestamptz AND (valid_to IS"
		    " NULL OR valid_to > current_setting('moc.at')::timestamptz"
		    " OR current_setting('moc.at') = 'infinity'))"
		    ")" RAW, t->table);
		break;
	default:
		n = snprintf(sql, sizeof(sql), "COPY (SELECT rec FROM moc.%s"
		    " WHERE at_from < " UNTIL " AND coalesce(at_to, at_from)"
		    " >= " SINCE ")" RAW, t->table);
		break;
	}
	if (n < 0 || (size_t)n >= sizeof(sql))
		moc_die(EXIT_DATA, "internal error: statement too long");
	pgx_copy_out(conn, sql, stdout, "standard output");
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
	/* JIT compiles each big statement for longer than it runs. */
	pgx_exec(conn, "SET jit = off");
	pgx_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (opt.role != NULL)
		set_value(conn, "role", opt.role);
	if (opt.has_at) {
		/* The instant as a period of one second, for runs and events;
		 * versions are those valid at that instant. */
		int64_t t;

		rtime_parse(opt.at, strlen(opt.at), &t);
		rtime_format(t + 1, opt.until);
		strcpy(opt.since, opt.at);
		set_value(conn, "moc.at", opt.at);
	} else
		set_value(conn, "moc.at", "infinity");
	set_value(conn, "moc.since", opt.since);
	set_value(conn, "moc.until", opt.until);
	for (i = 0; i < NTYPES; i++) {
		if (!types[i].wanted)
			continue;
		/* The state at an instant is objects and relationships. */
		if (opt.has_at && types[i].kind != K_VERSIONED)
			continue;
		extract(conn, &types[i]);
	}
	pgx_exec(conn, "COMMIT");
	pgx_finish(conn);
	moc_close_stdout();
	return EXIT_OK;
}
