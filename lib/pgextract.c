/*
 * pgextract.c: the records of a period read from PostgreSQL (see
 * pgextract.h).  Shared by pg-extract and consistency-check so that the
 * checks read exactly the rows a dump of the same period holds.
 */
#include "config.h"

#include <stdio.h>

#include "pg.h"
#include "pgextract.h"
#include "util.h"

const struct pgext_type pgext_types[] = {
	{ "collection_run", "collection_run", PGEXT_RUN },
	{ "institution", "institution", PGEXT_VERSIONED },
	{ "user_institution", "user_institution", PGEXT_VERSIONED },
	{ "project_institution", "project_institution", PGEXT_VERSIONED },
	{ "email_domain_institution", "email_domain_institution",
	    PGEXT_VERSIONED },
	{ "project_attr", "project_attr", PGEXT_VERSIONED },
	{ "region", "region", PGEXT_VERSIONED },
	{ "domain", "domain", PGEXT_VERSIONED },
	{ "project", "project", PGEXT_VERSIONED },
	{ "user", "user_account", PGEXT_VERSIONED },
	{ "role_assignment", "role_assignment", PGEXT_VERSIONED },
	{ "flavor", "flavor", PGEXT_VERSIONED },
	{ "instance", "instance", PGEXT_VERSIONED },
	{ "hypervisor", "hypervisor", PGEXT_VERSIONED },
	{ "volume", "volume", PGEXT_VERSIONED },
	{ "volume_attachment", "volume_attachment", PGEXT_VERSIONED },
	{ "snapshot", "snapshot", PGEXT_VERSIONED },
	{ "volume_type", "volume_type", PGEXT_VERSIONED },
	{ "network", "network", PGEXT_VERSIONED },
	{ "subnet", "subnet", PGEXT_VERSIONED },
	{ "router", "router", PGEXT_VERSIONED },
	{ "floating_ip", "floating_ip", PGEXT_VERSIONED },
	{ "port", "port", PGEXT_VERSIONED },
	{ "instance_action", "instance_action", PGEXT_EVENT },
	{ "event", "event", PGEXT_EVENT },
	{ "tenant_usage", "tenant_usage", PGEXT_EVENT },
	{ "other", "other_record", PGEXT_OTHER },
};
const size_t pgext_ntypes = sizeof(pgext_types) / sizeof(pgext_types[0]);

/* RFC 3339 UTC text of a timestamptz column, whatever the session zone. */
#define FMT(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* The period: values set with set_config() by pgext_begin. */
#define SINCE	"current_setting('moc.since')::timestamptz"
#define UNTIL	"current_setting('moc.until')::timestamptz"
/*
 * CSV with a quote and a delimiter that JSON text cannot contain: the
 * server writes each jsonb value as it is, one per line, with nothing to
 * unescape (jsonb output has no raw control characters).
 */
#define RAW	" TO STDOUT (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"

static void
set_value(PGconn *conn, const char *name, const char *value)
{
	const char *params[2] = { name, value };

	pgx_command(conn, "SELECT set_config($1, $2, true)", 2, params);
}

void
pgext_begin(PGconn *conn, const char *role, const char *since,
    const char *until, const char *at)
{
	/* JIT compiles each big statement for longer than it runs. */
	pgx_exec(conn, "SET jit = off");
	pgx_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (role != NULL)
		set_value(conn, "role", role);
	set_value(conn, "moc.at", at != NULL ? at : "infinity");
	set_value(conn, "moc.since", since);
	set_value(conn, "moc.until", until);
}

unsigned long long
pgext_copy(PGconn *conn, const struct pgext_type *t, FILE *fp,
    const char *fpname)
{
	char sql[2048];
	int n;

	switch (t->kind) {
	case PGEXT_RUN:
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
	case PGEXT_VERSIONED:
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
	return pgx_copy_out(conn, sql, fp, fpname);
}
