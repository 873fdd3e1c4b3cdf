/*
 * pg-load: store normalized records in PostgreSQL.
 *
 * Reads a record stream (moc-records(5)): collection runs bracketed by
 * run_start and run_end, and administrator records.  The whole stream is
 * one transaction under an advisory lock; each run's records are copied
 * into a temporary staging table and merged set-wise into the versioned
 * tables of sql/ (a new row version only where content changed; objects
 * absent from a complete run closed at the run's time).  Also creates and
 * migrates the schema (--init, --migrate) and prunes old versions
 * (--retain).
 *
 * Exit: 0 stored; 1 bad input or a database error (nothing stored);
 * 2 usage or configuration error; 75 the database cannot be reached or the
 * connection dropped (nothing stored, try again).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "pg.h"
#include "rec.h"
#include "rtime.h"
#include "sha256.h"
#include "util.h"

/* The schema version this program writes (the newest file in sql/). */
#define SCHEMA_VERSION	4
/* pg_advisory_xact_lock key shared by every pg-load: "moc" in ASCII. */
#define LOAD_LOCK_KEY	"7168867"

enum kind { K_OBJECT, K_ADMIN, K_EVENT, K_OTHER };

struct rtype {
	const char	*type;
	const char	*table;
	enum kind	 kind;
	/* run_start.resources entries whose complete read lists all of them */
	const char	*resources[3];
	/* event-like: the fields giving at_from, at_to, subject_id, kind */
	const char	*at_from, *at_to, *subject, *what;
	unsigned long long count;	/* records in the current run */
	unsigned long long staged;	/* of those, in the staging table */
	/* Objects: the run's records go straight into the table (see
	 * direct_ok); the ids sent there, to catch one sent twice. */
	int		 direct;
	struct idset	*seen;
};

#define OBJ(ty, tb, ...) { .type = ty, .table = tb, .kind = K_OBJECT, \
	.resources = { __VA_ARGS__ } }
#define ADMIN(ty) { .type = ty, .table = ty, .kind = K_ADMIN }
#define EVENT(ty, from, to, subj, verb) { .type = ty, .table = ty, \
	.kind = K_EVENT, .at_from = from, .at_to = to, .subject = subj, \
	.what = verb }

static struct rtype types[] = {
	OBJ("region", "region", "identity/regions"),
	OBJ("domain", "domain", "identity/domains"),
	OBJ("project", "project", "identity/projects"),
	OBJ("user", "user_account", "identity/users"),
	OBJ("role_assignment", "role_assignment", "identity/role_assignments"),
	OBJ("flavor", "flavor", "compute/flavors"),
	OBJ("instance", "instance", "compute/servers"),
	OBJ("hypervisor", "hypervisor", "compute/hypervisors"),
	OBJ("volume", "volume", "block-storage/volumes"),
	OBJ("volume_attachment", "volume_attachment",
	    "block-storage/attachments", "block-storage/volumes"),
	OBJ("snapshot", "snapshot", "block-storage/snapshots"),
	OBJ("volume_type", "volume_type", "block-storage/types"),
	OBJ("network", "network", "network/networks"),
	OBJ("subnet", "subnet", "network/subnets"),
	OBJ("router", "router", "network/routers"),
	OBJ("floating_ip", "floating_ip", "network/floatingips"),
	OBJ("port", "port", "network/ports"),
	ADMIN("institution"),
	ADMIN("user_institution"),
	ADMIN("project_institution"),
	ADMIN("email_domain_institution"),
	ADMIN("project_attr"),
	EVENT("instance_action", "start_time", "finish_time", "instance_id",
	    "action"),
	EVENT("event", "generated", "generated", "instance_id", "event_type"),
	EVENT("tenant_usage", "window_start", "window_end", "instance_id",
	    NULL),
	/* Must stay last: records of types this version does not know. */
	{ .type = NULL, .table = "other_record", .kind = K_OTHER,
	    .at_from = "observed_at", .at_to = "observed_at" },
};
#define NTYPES		(sizeof(types) / sizeof(types[0]))
#define OTHER_CODE	(NTYPES - 1)

static struct {
	const char	*conninfo;
	const char	*sqldir;
	int		 init, migrate, roles, partial, skip_bad, quiet;
	long long	 target_version;
	int64_t		 retain;	/* seconds; -1 when not asked */
	size_t		 max_record;
} opt = { NULL, NULL, 0, 0, 0, 0, 0, 0, SCHEMA_VERSION, -1,
	REC_DEFAULT_MAX };

/*
 * Ids already sent straight to a table in this run, as 64-bit hashes in
 * an open-addressing set.  A hash seen before means the id may repeat:
 * that record goes through the staging table instead, whose merge then
 * keeps the last of the two (a false alarm merely costs a staged row).
 * Past IDSET_MAX ids the set stops growing and the rest are staged.
 */
struct idset {
	uint64_t	*slot;
	size_t		 mask, n;
};
#define IDSET_MAX	((size_t)1 << 22)	/* at most 64MB */

struct idset;
static int idset_add(struct idset **, const char *, size_t);
static void idset_free(struct idset **);

/* State of the load: the open COPY, the current run. */
static PGconn *conn;
static const char *cur_input = "<stdin>";	/* for messages after merges */
static int staged_undated;	/* undated administrator records staged */
static struct pgx_copy *copy;
static struct rtype *copy_to;	/* the open COPY's table; NULL: staging */
static unsigned long long staged_rows, copy_switches;
static int64_t load_time;

struct run {
	int		 open;		/* between run_start and run_end */
	int		 skip;		/* already loaded: records ignored */
	int		 degraded;	/* a bad record was skipped */
	char		*id, *source, *cloud, *region, *resources_json;
	char		*start_line;
	int64_t		 started_at;
	char		**resources;
	size_t		 nresources;
	struct sha256	 digest;
	unsigned long long records;
};
static struct run run;

struct totals {
	unsigned long long runs, skipped_runs, records, warnings;
};
static struct totals totals;

static void
usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	    "Store normalized records (FILE, or standard input) in PostgreSQL.\n"
	    "\n"
	    "  -d, --dbname=CONNINFO    database: conninfo string or URI\n"
	    "                           (default: the PG* environment)\n"
	    "      --init               create the schema, then exit\n"
	    "      --migrate            bring the schema up to date, then exit\n"
	    "      --roles              create the moc_loader and moc_reporter roles\n"
	    "      --schema-version=N   with --init or --migrate: stop at version N\n"
	    "      --sql-dir=DIR        migrations (default: %s/sql)\n"
	    "      --partial            store a run without a complete run_end as\n"
	    "                           observations only (no deletions inferred)\n"
	    "      --skip-bad           skip bad records with a warning instead of\n"
	    "                           rejecting the stream\n"
	    "      --retain=DURATION    remove row versions that ended more than\n"
	    "                           DURATION ago (e.g. 400d), in a transaction\n"
	    "                           of its own\n"
	    "      --max-record=SIZE    longest record accepted (default 64M)\n"
	    "  -q, --quiet              no summary on standard error\n"
	    "  -h, --help               show this help and exit\n"
	    "  -V, --version            show the version and exit\n"
	    "\n"
	    "With --init, --migrate, --roles or --retain and no FILE, no records\n"
	    "are read; give - to read standard input as well.\n"
	    "Exit status: 0 stored, 1 bad input or database error (nothing\n"
	    "stored), 2 usage error, 75 database unreachable (try again).\n",
	    moc_progname(), DATADIR);
}

/*
 * A failure during the load: end the COPY so the server aborts it, then
 * exit; closing the connection rolls the transaction back.
 */
static void __attribute__((noreturn, format(printf, 2, 3)))
fail(int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (copy != NULL) {
		pgx_copy_abort(copy, "pg-load: input rejected");
		copy = NULL;
	}
	moc_die(status, "%s", msg);
}

/* ---- SQL files --------------------------------------------------------- */

static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (fp == NULL)
		moc_die_sys(EXIT_USAGE, "%s", path);
	for (;;) {
		if (cap - len < 4096)
			buf = moc_xrealloc(buf, cap = cap * 2 + 8192);
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp))
		moc_die_sys(EXIT_USAGE, "%s", path);
	fclose(fp);
	buf[len] = '\0';
	return buf;
}

/* The migration NNN-name.sql of that version, or NULL. */
static char *
migration_path(const char *dir, long long version)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char prefix[32], *path = NULL;
	size_t n;

	if (d == NULL)
		moc_die_sys(EXIT_USAGE, "sql folder %s", dir);
	snprintf(prefix, sizeof(prefix), "%03lld-", version);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, 4) == 0 && n > 8 &&
		    strcmp(e->d_name + n - 4, ".sql") == 0) {
			path = moc_xmalloc(strlen(dir) + n + 2);
			sprintf(path, "%s/%s", dir, e->d_name);
			break;
		}
	}
	closedir(d);
	return path;
}

static long long
schema_version(void)
{
	PGresult *res;
	long long v = 0;

	res = pgx_query(conn, "SELECT to_regclass('moc.schema_version') "
	    "IS NOT NULL", 0, NULL);
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		PQclear(res);
		res = pgx_query(conn, "SELECT coalesce(max(version), 0) "
		    "FROM moc.schema_version", 0, NULL);
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	}
	PQclear(res);
	return v;
}

/* Apply versions after `from` up to the target, each file as it is. */
static void
apply_migrations(long long from)
{
	long long v;
	char *path, *sql, num[24];
	const char *params[2];

	for (v = from + 1; v <= opt.target_version; v++) {
		path = migration_path(opt.sqldir, v);
		if (path == NULL) {
			if (v > SCHEMA_VERSION)
				break;
			moc_die(EXIT_USAGE, "%s: no migration %03lld-*.sql",
			    opt.sqldir, v);
		}
		sql = read_file(path);
		pgx_exec(conn, sql);
		snprintf(num, sizeof(num), "%lld", v);
		params[0] = num;
		params[1] = strrchr(path, '/') + 1;
		pgx_command(conn, "INSERT INTO moc.schema_version "
		    "(version, name) VALUES ($1, $2)", 2, params);
		if (!opt.quiet)
			fprintf(stderr, "%s: applied %s\n", moc_progname(),
			    params[1]);
		free(sql);
		free(path);
	}
}

static void
setup_schema(void)
{
	long long have;
	char *path, *sql;

	if (access(opt.sqldir, R_OK | X_OK) == -1)
		moc_die_sys(EXIT_USAGE, "sql folder %s", opt.sqldir);
	pgx_exec(conn, "BEGIN");
	pgx_exec(conn, "SELECT pg_advisory_xact_lock(" LOAD_LOCK_KEY ")");
	have = schema_version();
	if (opt.init && have > 0)
		moc_die(EXIT_USAGE, "the database already has the moc schema "
		    "(version %lld); use --migrate", have);
	if (opt.migrate && have == 0)
		moc_die(EXIT_USAGE, "the database has no moc schema; "
		    "use --init");
	if (opt.init || opt.migrate)
		apply_migrations(have);
	if (opt.roles) {
		path = moc_xmalloc(strlen(opt.sqldir) + 16);
		sprintf(path, "%s/roles.sql", opt.sqldir);
		sql = read_file(path);
		pgx_exec(conn, sql);
		free(sql);
		free(path);
	}
	pgx_exec(conn, "COMMIT");
}

/* ---- records ----------------------------------------------------------- */

static struct rtype *
find_type(const char *name)
{
	static size_t last;	/* records of one type come in runs */
	size_t i;

	if (last < OTHER_CODE && strcmp(types[last].type, name) == 0)
		return &types[last];
	for (i = 0; i < OTHER_CODE; i++)
		if (strcmp(types[i].type, name) == 0)
			return &types[last = i];
	return &types[OTHER_CODE];
}

/* Fields checked on every record (their values are kept anyway). */
enum field_kind { F_TIME = 1, F_NUMBER, F_BOOL };

struct field {
	const char	*name;
	enum field_kind	 kind;
};

/* Sorted by name, for bsearch. */
static const struct field fields[] = {
	{ "bootable", F_BOOL }, { "disk_gb", F_NUMBER },
	{ "enabled", F_BOOL }, { "ephemeral_gb", F_NUMBER },
	{ "finish_time", F_TIME }, { "generated", F_TIME },
	{ "gpu_count", F_NUMBER }, { "inherited", F_BOOL },
	{ "ip_version", F_NUMBER }, { "is_domain", F_BOOL },
	{ "is_public", F_BOOL }, { "memory_mb", F_NUMBER },
	{ "power_state", F_NUMBER }, { "ram_mb", F_NUMBER },
	{ "router_external", F_BOOL }, { "shared", F_BOOL },
	{ "size_gb", F_NUMBER }, { "start_time", F_TIME },
	{ "swap_mb", F_NUMBER }, { "valid_from", F_TIME },
	{ "valid_to", F_TIME }, { "vcpus", F_NUMBER },
	{ "window_end", F_TIME }, { "window_start", F_TIME },
};

static int
field_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct field *)elem)->name);
}

static enum field_kind
field_kind(const char *k, size_t n)
{
	const struct field *f;

	if (n > 3 && memcmp(k + n - 3, "_at", 3) == 0)
		return F_TIME;
	f = bsearch(k, fields, sizeof(fields) / sizeof(fields[0]),
	    sizeof(fields[0]), field_cmp);
	return f != NULL ? f->kind : 0;
}

static void
warn_rec(struct rec_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn_rec(struct rec_reader *r, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	moc_warn("%s: %s", rec_where(r), msg);
	totals.warnings++;
}

static void
print_value(char *buf, size_t size, const struct json_value *v)
{
	if (v->type == JSON_STRING)
		snprintf(buf, size, "\"%.80s\"", v->u.text);
	else if (v->type == JSON_NUMBER)
		snprintf(buf, size, "%.80s", v->u.text);
	else
		snprintf(buf, size, "%s", json_type_name(v->type));
}

static const unsigned char *shape_kinds(void);

/*
 * Wrong types and impossible times: warned about, kept as sent.  Called
 * after the record's content hash, whose shape (below) gives each field's
 * kind.
 */
static void
check_fields(struct rec_reader *r, const struct json_value *rec)
{
	const unsigned char *kinds = shape_kinds();
	const struct json_member *m;
	const struct json_value *v;
	char shown[100];
	int64_t t;
	size_t i;

	for (i = 0; i < rec->len; i++) {
		m = &rec->u.members[i];
		v = &m->value;
		if (v->type == JSON_NULL)
			continue;
		switch (kinds[i]) {
		case F_TIME:
			if (v->type == JSON_STRING && rtime_parse_date_or_time(
			    v->u.text, v->len, &t) == 0)
				break;
			print_value(shown, sizeof(shown), v);
			warn_rec(r, "bad timestamp in field \"%s\": %s "
			    "(kept as sent)", m->key, shown);
			break;
		case F_NUMBER:
			if (v->type == JSON_NUMBER)
				break;
			print_value(shown, sizeof(shown), v);
			warn_rec(r, "wrong type in field \"%s\": %s, not a "
			    "number (kept as sent)", m->key, shown);
			break;
		case F_BOOL:
			if (v->type == JSON_TRUE || v->type == JSON_FALSE)
				break;
			print_value(shown, sizeof(shown), v);
			warn_rec(r, "wrong type in field \"%s\": %s, not a "
			    "boolean (kept as sent)", m->key, shown);
			break;
		}
	}
}

/* A time field as seconds; absent, null or invalid: -1 (and *ok = 0). */
static int
get_time(const struct json_value *rec, const char *key, int64_t *t)
{
	const struct json_value *v = json_get(rec, key);

	if (v == NULL || v->type != JSON_STRING)
		return -1;
	return rtime_parse_date_or_time(v->u.text, v->len, t);
}

/* ---- content hash ------------------------------------------------------ */

/*
 * A record's content is written in a canonical form (object keys sorted,
 * every item tagged and length-prefixed) and hashed with MurmurHash3's
 * 128-bit mix.  It detects change, it does not guard against forgery: the
 * database trusts its loader, and SHA-256 would cost half the load time.
 */
struct canon {
	unsigned char	*p;
	size_t		 len, cap;
	int		 dup_key;	/* an object repeats a key */
};
static struct canon canon;

/* Room for n more bytes; the hash calls these for every item. */
static inline unsigned char *
canon_room(size_t n)
{
	if (canon.cap - canon.len < n) {
		canon.cap = (canon.cap + n) * 2;
		canon.p = moc_xrealloc(canon.p, canon.cap);
	}
	return canon.p + canon.len;
}

static inline void
canon_put(const void *s, size_t n)
{
	memcpy(canon_room(n), s, n);
	canon.len += n;
}

/* A tag, a 32-bit length and the bytes, reserved at once. */
static inline void
canon_bytes(char tag, const char *s, size_t len)
{
	uint32_t n = (uint32_t)len;
	unsigned char *p = canon_room(len + 5);

	p[0] = (unsigned char)tag;
	memcpy(p + 1, &n, sizeof(n));
	memcpy(p + 5, s, len);
	canon.len += len + 5;
}

static int
member_cmp(const void *a, const void *b)
{
	const struct json_member *x = *(const struct json_member *const *)a;
	const struct json_member *y = *(const struct json_member *const *)b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

/* Top-level observed_at and run_id change with every poll: left out. */
static int
left_out(const struct json_member *e)
{
	return strcmp(e->key, "observed_at") == 0 ||
	    strcmp(e->key, "run_id") == 0;
}

/*
 * The shape of the last top-level record: its keys in their order, and
 * what follows from the keys alone: the order in which the hash takes the
 * members, whether a key repeats, each field's kind.  Records of one type
 * come with the same keys in the same order, so most records skip the
 * sort and the field lookups (they cost a third of pg-load's time).
 */
static struct {
	char		*keys;		/* the keys, one after another */
	size_t		*keylen;
	size_t		*order;		/* members hashed, in key order */
	unsigned char	*kinds;		/* enum field_kind of each member */
	size_t		 n, norder, keys_len, cap, keys_cap;
	int		 dup_key;
} shape;

static int
shape_match(const struct json_value *v)
{
	const char *k = shape.keys;
	size_t i;

	if (v->len != shape.n || shape.keys == NULL)
		return 0;
	for (i = 0; i < v->len; i++) {
		const struct json_member *e = &v->u.members[i];

		if (e->keylen != shape.keylen[i] ||
		    memcmp(e->key, k, e->keylen) != 0)
			return 0;
		k += e->keylen;
	}
	return 1;
}

static void
shape_learn(const struct json_value *v)
{
	const struct json_member **m;
	size_t i, skipped = 0;

	if (v->len > shape.cap) {
		shape.cap = v->len * 2;
		shape.keylen = moc_xrealloc(shape.keylen,
		    shape.cap * sizeof(size_t));
		shape.order = moc_xrealloc(shape.order,
		    shape.cap * sizeof(size_t));
		shape.kinds = moc_xrealloc(shape.kinds, shape.cap);
	}
	m = moc_xmalloc((v->len + 1) * sizeof(*m));
	shape.n = v->len;
	shape.keys_len = shape.norder = 0;
	shape.dup_key = 0;
	for (i = 0; i < v->len; i++) {
		const struct json_member *e = &v->u.members[i];

		if (shape.keys_cap - shape.keys_len < e->keylen + 1) {
			shape.keys_cap = (shape.keys_cap + e->keylen) * 2;
			shape.keys = moc_xrealloc(shape.keys, shape.keys_cap);
		}
		memcpy(shape.keys + shape.keys_len, e->key, e->keylen);
		shape.keys_len += e->keylen;
		shape.keylen[i] = e->keylen;
		shape.kinds[i] = (unsigned char)field_kind(e->key, e->keylen);
		if (left_out(e))
			skipped++;
		else
			m[shape.norder++] = e;
	}
	qsort(m, shape.norder, sizeof(*m), member_cmp);
	for (i = 0; i < shape.norder; i++) {
		if (i > 0 && member_cmp(&m[i - 1], &m[i]) == 0)
			shape.dup_key = 1;
		shape.order[i] = (size_t)(m[i] - v->u.members);
	}
	/* Left out of the hash, but repeated all the same. */
	if (skipped > 2 || (skipped == 2 && (json_get(v, "observed_at") ==
	    NULL || json_get(v, "run_id") == NULL)))
		shape.dup_key = 1;
	free(m);
}

static const unsigned char *
shape_kinds(void)
{
	return shape.kinds;
}

static void canon_value(const struct json_value *, int);

static void
canon_top(const struct json_value *v)
{
	const struct json_member *e;
	size_t i;

	if (!shape_match(v))
		shape_learn(v);
	canon_put("{", 1);
	for (i = 0; i < shape.norder; i++) {
		e = &v->u.members[shape.order[i]];
		canon_bytes('k', e->key, e->keylen);
		canon_value(&e->value, 0);
	}
	canon_put("}", 1);
	if (shape.dup_key)
		canon.dup_key = 1;
}

static void
canon_value(const struct json_value *v, int top)
{
	const struct json_member *small[64], **m;
	size_t i;

	switch (v->type) {
	case JSON_NULL:
		canon_put("z", 1);
		break;
	case JSON_FALSE:
		canon_put("f", 1);
		break;
	case JSON_TRUE:
		canon_put("t", 1);
		break;
	case JSON_NUMBER:
		canon_bytes('n', v->u.text, v->len);
		break;
	case JSON_STRING:
		canon_bytes('s', v->u.text, v->len);
		break;
	case JSON_ARRAY:
		canon_put("[", 1);
		for (i = 0; i < v->len; i++)
			canon_value(&v->u.items[i], 0);
		canon_put("]", 1);
		break;
	case JSON_OBJECT:
		if (top) {
			canon_top(v);
			break;
		}
		m = v->len <= 64 ? small : moc_xmalloc(v->len * sizeof(*m));
		for (i = 0; i < v->len; i++)
			m[i] = &v->u.members[i];
		qsort(m, v->len, sizeof(*m), member_cmp);
		canon_put("{", 1);
		for (i = 0; i < v->len; i++) {
			if (i > 0 && member_cmp(&m[i - 1], &m[i]) == 0)
				canon.dup_key = 1;
			canon_bytes('k', m[i]->key, m[i]->keylen);
			canon_value(&m[i]->value, 0);
		}
		canon_put("}", 1);
		if (m != small)
			free(m);
		break;
	}
}

static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static void
murmur_block(uint64_t *h1, uint64_t *h2, const unsigned char *p)
{
	const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
	uint64_t k1, k2;

	memcpy(&k1, p, 8);
	memcpy(&k2, p + 8, 8);
	k1 *= c1;
	k1 = rotl64(k1, 31);
	k1 *= c2;
	*h1 ^= k1;
	*h1 = rotl64(*h1, 27) + *h2;
	*h1 = *h1 * 5 + 0x52dce729;
	k2 *= c2;
	k2 = rotl64(k2, 33);
	k2 *= c1;
	*h2 ^= k2;
	*h2 = rotl64(*h2, 31) + *h1;
	*h2 = *h2 * 5 + 0x38495ab5;
}

/* The record's content hash, 16 bytes. */
static void
content_hash(const struct json_value *rec, unsigned char out[16])
{
	uint64_t h1 = 0x6d6f632d7265706fULL, h2 = 0x72742d686173680aULL;
	unsigned char tail[16] = { 0 };
	size_t i;

	canon.len = 0;
	canon.dup_key = 0;
	canon_value(rec, 1);
	for (i = 0; i + 16 <= canon.len; i += 16)
		murmur_block(&h1, &h2, canon.p + i);
	memcpy(tail, canon.p + i, canon.len - i);
	murmur_block(&h1, &h2, tail);
	h1 ^= canon.len;
	h2 ^= canon.len;
	h1 += h2;
	h2 += h1;
	h1 = fmix64(h1);
	h2 = fmix64(h2);
	h1 += h2;
	h2 += h1;
	memcpy(out, &h1, 8);
	memcpy(out + 8, &h2, 8);
}

static void
hash_hex(const struct json_value *rec, unsigned char d[16], char out[33])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	content_hash(rec, d);
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[32] = '\0';
}

/* ---- ids sent straight to a table -------------------------------------- */

static uint64_t
id_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a, then mixed */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h = fmix64(h);
	return h != 0 ? h : 1;	/* 0 marks a free slot */
}

static void
idset_put(struct idset *set, uint64_t h)
{
	size_t i = (size_t)h & set->mask;

	while (set->slot[i] != 0 && set->slot[i] != h)
		i = (i + 1) & set->mask;
	if (set->slot[i] == 0) {
		set->slot[i] = h;
		set->n++;
	}
}

static void
idset_grow(struct idset *set)
{
	struct idset bigger;
	size_t i;

	bigger.mask = set->mask * 2 + 1;
	bigger.n = 0;
	bigger.slot = moc_xcalloc(bigger.mask + 1, sizeof(uint64_t));
	for (i = 0; i <= set->mask; i++)
		if (set->slot[i] != 0)
			idset_put(&bigger, set->slot[i]);
	free(set->slot);
	*set = bigger;
}

/* 1: the id is new; 0: it may have been seen, or the set is full. */
static int
idset_add(struct idset **setp, const char *id, size_t len)
{
	struct idset *set = *setp;
	uint64_t h = id_hash(id, len);
	size_t before;

	if (set == NULL) {
		set = *setp = moc_xcalloc(1, sizeof(*set));
		set->mask = 4095;
		set->slot = moc_xcalloc(set->mask + 1, sizeof(uint64_t));
	}
	if (set->n >= IDSET_MAX)
		return 0;
	if (set->n * 2 > set->mask)
		idset_grow(set);
	before = set->n;
	idset_put(set, h);
	return set->n > before;
}

static void
idset_free(struct idset **setp)
{
	if (*setp != NULL)
		free((*setp)->slot);
	free(*setp);
	*setp = NULL;
}

/* ---- staging ----------------------------------------------------------- */

static const char stage_ddl[] =
    "CREATE TEMP TABLE moc_stage ("
    " code integer NOT NULL, type text, region text NOT NULL,"
    " id text NOT NULL, vt timestamptz, dt timestamptz,"
    " at_from timestamptz, at_to timestamptz, subject text, kind text,"
    " hash bytea NOT NULL, run_id text, line bigint NOT NULL,"
    " dflt boolean NOT NULL, norm boolean NOT NULL,"
    " rec text NOT NULL) ON COMMIT DROP";

/*
 * A staged record as the tables keep it: its text as sent, or jsonb's
 * form of it when the text holds what jsonb reads differently or refuses
 * (see sql/003-json-records.sql and sql/004-text-records.sql).
 */
#define REC_TEXT "CASE WHEN s.norm THEN s.rec::jsonb::text ELSE s.rec END"

/*
 * Rows go out in COPY's binary format: the server then reads each field
 * by its length instead of scanning the text for escapes, and takes
 * numbers, times and the hash as they are instead of parsing them;
 * pg-load need not escape the record either.
 */
static const char copy_bin_header[19] = "PGCOPY\n\377\r\n\0"
    "\0\0\0\0" "\0\0\0\0";	/* signature, flags, no extension */

static void
copy_begin(void)
{
	copy = pgx_copy_begin(conn, "COPY moc_stage FROM STDIN (FORMAT binary)");
	copy_to = NULL;
	pgx_copy_write(copy, copy_bin_header, sizeof(copy_bin_header));
}

/* End the open COPY with its trailer (-1 as 16 bits). */
static void
copy_close(void)
{
	if (copy == NULL)
		return;
	pgx_copy_write(copy, "\377\377", 2);
	pgx_copy_end(copy);
	copy = NULL;
	copy_to = NULL;
}

/*
 * Send the next rows to t's table (NULL: the staging table).  A stream
 * whose types alternate would switch at every record: past SWITCH_MAX
 * switches in a run every record is staged.
 */
#define SWITCH_MAX	1000

static void
copy_switch(struct rtype *t)
{
	char sql[256];

	if (copy != NULL && copy_to == t)
		return;
	copy_close();
	copy_switches++;
	if (t == NULL) {
		copy_begin();
		return;
	}
	snprintf(sql, sizeof(sql), "COPY moc.%s (region, id, valid_from,"
	    " valid_to, hash, run_id, rec) FROM STDIN (FORMAT binary)",
	    t->table);
	copy = pgx_copy_begin(conn, sql);
	copy_to = t;
	pgx_copy_write(copy, copy_bin_header, sizeof(copy_bin_header));
}

/* Binary COPY: a 32-bit big-endian length, then the bytes (-1: NULL). */
static void
bin_u32(uint32_t n)
{
	unsigned char b[4] = { (unsigned char)(n >> 24),
	    (unsigned char)(n >> 16), (unsigned char)(n >> 8),
	    (unsigned char)n };

	pgx_copy_write(copy, (const char *)b, 4);
}

static void
bin_bytes(const void *p, size_t len)
{
	if (len > INT32_MAX)
		fail(EXIT_DATA, "%s: a field of %zu bytes is too long for "
		    "PostgreSQL; nothing stored", cur_input, len);
	bin_u32((uint32_t)len);
	pgx_copy_write(copy, p, len);
}

static void
bin_text(const char *s)
{
	if (s == NULL)
		bin_u32(UINT32_MAX);
	else
		bin_bytes(s, strlen(s));
}

/* An integer of `bytes` bytes, big-endian, with its length. */
static void
bin_int(uint64_t n, int bytes)
{
	unsigned char b[8];
	int i;

	for (i = bytes - 1; i >= 0; i--) {
		b[i] = (unsigned char)n;
		n >>= 8;
	}
	bin_u32((uint32_t)bytes);
	pgx_copy_write(copy, (const char *)b, (size_t)bytes);
}

/* timestamptz: microseconds since 2000-01-01 UTC (ok == 0: NULL). */
static void
bin_time(int ok, int64_t t)
{
	if (ok)
		bin_int((uint64_t)((t - 946684800) * 1000000), 8);
	else
		bin_u32(UINT32_MAX);
}

static void
bin_bool(int b)
{
	bin_u32(1);
	pgx_copy_write(copy, b ? "\1" : "\0", 1);
}

/* The number of fields that starts each row. */
static void
bin_row(int fields)
{
	unsigned char b[2] = { (unsigned char)(fields >> 8),
	    (unsigned char)fields };

	pgx_copy_write(copy, (const char *)b, 2);
}

/* A bad record: reject the stream, or with --skip-bad skip the record. */
static void
bad_record(struct rec_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
bad_record(struct rec_reader *r, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!opt.skip_bad)
		fail(EXIT_DATA, "%s: %s; nothing stored", rec_where(r), msg);
	warn_rec(r, "%s; record skipped", msg);
	/* Its absence must not read as a deletion. */
	run.degraded = 1;
}

/* The valid time of an object or administrator record. */
static int
valid_time(struct rec_reader *r, const struct json_value *rec,
    const struct rtype *t, int64_t *vt, int *dflt)
{
	const struct json_value *v;

	*dflt = 0;
	if (t->kind == K_ADMIN && get_time(rec, "valid_from", vt) == 0)
		return 0;
	v = json_get(rec, "observed_at");
	if (v == NULL || v->type == JSON_NULL) {
		/* Administrator data without a date: the first version holds
		 * since always (1970), a change from when it is loaded. */
		if (t->kind == K_ADMIN) {
			*vt = load_time;	/* made exact by the merge */
			*dflt = 1;
			staged_undated = 1;
			return 0;
		}
		bad_record(r, "missing field \"observed_at\"");
		return -1;
	}
	if (v->type != JSON_STRING || rtime_parse(v->u.text, v->len, vt) == -1) {
		char shown[100];

		print_value(shown, sizeof(shown), v);
		bad_record(r, "bad timestamp in field \"observed_at\": %s",
		    shown);
		return -1;
	}
	return 0;
}

/*
 * A \u0000 or UTF-16 surrogate escape in JSON text: json keeps them,
 * jsonb refuses \u0000 and a lone surrogate, and ->> reading them fails.
 */
static int
has_odd_escape(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		if (end - p >= 6 && p[1] == 'u' &&
		    (memcmp(p + 2, "0000", 4) == 0 ||
		    ((p[2] == 'd' || p[2] == 'D') && p[3] != '\0' &&
		    strchr("89abcdefABCDEF", p[3]) != NULL)))
			return 1;
		if (end - p < 2)
			break;
		p += 2;	/* past the escaped character */
	}
	return 0;
}

/*
 * An object row written straight into its table: what the merge would
 * insert for an object its table has no version of (a record reporting a
 * deletion is a version of no length).
 */
static void
copy_direct(const char *id, size_t idlen, const char *region, int64_t vt,
    int has_dt, const unsigned char hash[16], const char *run_id,
    const char *line, size_t len)
{
	bin_row(7);
	bin_text(region);
	bin_bytes(id, idlen);
	bin_time(1, vt);
	bin_time(has_dt, vt);
	bin_bytes(hash, 16);
	bin_text(run_id);
	bin_bytes(line, len);
}

/* Text that jsonb would read differently or refuse: see REC_TEXT. */
static int
needs_norm(const char *line, size_t len)
{
	return canon.dup_key || memchr(line, '\r', len) != NULL ||
	    has_odd_escape(line, len);
}

static void
stage_record(struct rec_reader *r, const struct json_value *rec,
    const char *type)
{
	struct rtype *t = find_type(type);
	const struct json_value *idv;
	const char *region, *id, *run_id;
	char hexid[33];
	unsigned char hash[16];
	const char *line;
	size_t len;
	int64_t vt = 0, dt = 0, from = 0, to = 0;
	int has_dt = 0, has_from = 0, has_to = 0, dflt = 0, norm;

	if (t->kind == K_OTHER)
		warn_rec(r, "unknown record type \"%.60s\" (kept in "
		    "moc.other_record)", type);
	else if (t->kind != K_ADMIN && !run.open) {
		bad_record(r, "record of type \"%s\" outside a run "
		    "(no run_start before it)", type);
		return;
	}
	idv = json_get(rec, "id");
	hash_hex(rec, hash, hexid);
	if (t->kind == K_OTHER) {
		id = hexid;
	} else if (idv == NULL || idv->type != JSON_STRING || idv->len == 0) {
		char shown[100] = "missing";

		if (idv != NULL)
			print_value(shown, sizeof(shown), idv);
		bad_record(r, "%s id in field \"id\": %s",
		    idv == NULL ? "missing" : "bad", shown);
		return;
	} else
		id = idv->u.text;
	check_fields(r, rec);
	if (t->kind == K_EVENT || t->kind == K_OTHER) {
		has_from = get_time(rec, t->at_from, &from) == 0;
		has_to = get_time(rec, t->at_to, &to) == 0;
		if (t->kind == K_OTHER && !has_from && run.open) {
			from = to = run.started_at;
			has_from = has_to = 1;
		}
	} else {
		if (valid_time(r, rec, t, &vt, &dflt) == -1)
			return;
		if (t->kind == K_OBJECT)
			has_dt = get_time(rec, "deleted_at", &dt) == 0 ||
			    get_time(rec, "terminated_at", &dt) == 0;
	}
	if (t->kind == K_ADMIN)
		region = "";	/* administrator data holds for every region */
	else if ((region = json_get_string(rec, "region")) == NULL)
		region = run.open ? run.region : "";
	run_id = json_get_string(rec, "run_id");
	if (run_id == NULL && run.open)
		run_id = run.id;
	line = rec_line(r, &len);
	/* Trailing blanks trimmed: pg-extract appends to the text's end. */
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
	    line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	norm = needs_norm(line, len);
	t->count++;
	run.records++;
	totals.records++;
	/* Every id of the run's region is remembered, so that an id sent
	 * straight to the table is always its first record. */
	if (t->direct && strcmp(region, run.region) == 0 &&
	    idset_add(&t->seen, id, idv->len) && !norm &&
	    copy_switches < SWITCH_MAX) {
		copy_switch(t);
		copy_direct(id, idv->len, region, vt, has_dt, hash, run_id,
		    line, len);
		return;
	}
	copy_switch(NULL);
	t->staged++;
	staged_rows++;
	bin_row(16);
	bin_int((uint64_t)(t - types), 4);
	bin_text(t->kind == K_OTHER ? type : NULL);
	bin_text(region);
	bin_text(id);
	bin_time(t->kind == K_OBJECT || t->kind == K_ADMIN, vt);
	bin_time(has_dt, dt);
	bin_time(has_from, from);
	bin_time(has_to, to);
	bin_text(t->subject != NULL ? json_get_string(rec, t->subject) : NULL);
	bin_text(t->what != NULL ? json_get_string(rec, t->what) : NULL);
	bin_bytes(hash, 16);
	bin_text(run_id);
	bin_int((uint64_t)rec_lineno(r), 8);
	bin_bool(dflt);
	bin_bool(norm);
	bin_bytes(line, len);
}

/* ---- merging ----------------------------------------------------------- */

static void
sqlf(char *buf, size_t size, const char *fmt, const char *table)
{
	/* Table names come from the types[] table above, never from input. */
	if ((size_t)snprintf(buf, size, fmt, table, table, table, table) >=
	    size)
		moc_die(EXIT_DATA, "internal error: statement too long");
}

/* Keep the last of several records of one object in one run. */
static void
dedup_stage(unsigned long long staged)
{
	/* Without statistics the planner guesses the stage's size and can
	 * pick a nested loop over the whole history.  The columns the merges
	 * join and group on are enough: sorting the records' text for their
	 * statistics took a quarter of a poll's time. */
	if (staged > 100)
		pgx_exec(conn, "ANALYZE moc_stage (code, region, id)");
	pgx_exec(conn, "DELETE FROM moc_stage s USING ("
	    " SELECT code, region, id, max(line) AS line FROM moc_stage"
	    " GROUP BY code, region, id HAVING count(*) > 1) d"
	    " WHERE s.code = d.code AND s.region = d.region"
	    " AND s.id = d.id AND s.line < d.line");
}

static void
merge_event(const struct rtype *t, const char *code)
{
	char sql[2048];
	const char *params[1] = { code };

	if (t->kind == K_OTHER)
		sqlf(sql, sizeof(sql),
		    "INSERT INTO moc.%s (region, id, at_from, at_to, hash,"
		    " run_id, rec, type)"
		    " SELECT region, id, at_from, at_to, hash, run_id, "
		    REC_TEXT ", type FROM moc_stage s WHERE code = $1"
		    " ON CONFLICT (region, id) DO NOTHING", t->table);
	else
		/* Appended once; an action first seen unfinished is
		 * completed when it is seen finished. */
		sqlf(sql, sizeof(sql),
		    "INSERT INTO moc.%s AS o (region, id, at_from, at_to,"
		    " subject_id, kind, hash, run_id, rec)"
		    " SELECT region, id, at_from, at_to, subject, kind, hash,"
		    " run_id, " REC_TEXT " FROM moc_stage s WHERE code = $1"
		    " ON CONFLICT (region, id) DO UPDATE SET"
		    " at_to = EXCLUDED.at_to, hash = EXCLUDED.hash,"
		    " rec = EXCLUDED.rec"
		    " WHERE o.at_to IS NULL AND EXCLUDED.at_to IS NOT NULL",
		    t->table);
	pgx_command(conn, sql, 1, params);
}

/* A dated administrator record older than the open version: ignored. */
static void
warn_backdated(const struct rtype *t, const char *code)
{
	char sql[1024];
	const char *params[1] = { code };
	PGresult *res;
	int i;

	sqlf(sql, sizeof(sql),
	    "SELECT s.line, s.id, to_char(o.valid_from AT TIME ZONE 'UTC',"
	    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM moc_stage s JOIN moc.%s o"
	    " ON o.region = s.region AND o.id = s.id AND o.valid_to IS NULL"
	    " WHERE s.code = $1 AND NOT s.dflt AND s.vt < o.valid_from"
	    " AND o.hash <> s.hash ORDER BY s.line", t->table);
	res = pgx_query(conn, sql, 1, params);
	for (i = 0; i < PQntuples(res); i++) {
		moc_warn("%s:%s: %s \"%s\" dated before its current version"
		    " (from %s) in field \"valid_from\"; ignored", cur_input,
		    PQgetvalue(res, i, 0), t->type, PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2));
		totals.warnings++;
	}
	PQclear(res);
}

static void
merge_object(const struct rtype *t, const char *code)
{
	char sql[2048];
	const char *params[1] = { code };

	/* Administrator records restating the date of a version correct
	 * it in place: an administrator fixing a share keeps its date. */
	if (t->kind == K_ADMIN) {
		sqlf(sql, sizeof(sql),
		    "UPDATE moc.%s o SET hash = s.hash, rec = " REC_TEXT ","
		    " run_id = s.run_id FROM moc_stage s WHERE s.code = $1"
		    " AND NOT s.dflt AND o.region = s.region AND o.id = s.id"
		    " AND o.valid_from = s.vt AND o.hash <> s.hash", t->table);
		pgx_command(conn, sql, 1, params);
		warn_backdated(t, code);
	}
	/* Content changed: close the open version (at the deletion time
	 * when the record reports one). */
	sqlf(sql, sizeof(sql),
	    "UPDATE moc.%s o SET valid_to = greatest(o.valid_from,"
	    " least(s.vt, coalesce(s.dt, s.vt)))"
	    " FROM moc_stage s WHERE s.code = $1 AND o.region = s.region"
	    " AND o.id = s.id AND o.valid_to IS NULL AND o.hash <> s.hash"
	    " AND s.vt > o.valid_from", t->table);
	pgx_command(conn, sql, 1, params);
	/* New content, or new objects.  A record that reports a deletion is
	 * kept as a version of no length, once. */
	sqlf(sql, sizeof(sql),
	    "INSERT INTO moc.%s (region, id, valid_from, valid_to, hash,"
	    " run_id, rec)"
	    " SELECT s.region, s.id, CASE WHEN s.dflt AND NOT EXISTS"
	    " (SELECT 1 FROM moc.%s o WHERE o.region = s.region AND"
	    " o.id = s.id) THEN '1970-01-01T00:00:00Z' ELSE s.vt END,"
	    " CASE WHEN s.dt IS NOT NULL"
	    " THEN s.vt END, s.hash, s.run_id, " REC_TEXT " FROM moc_stage s"
	    " WHERE s.code = $1 AND NOT EXISTS (SELECT 1 FROM moc.%s o"
	    " WHERE o.region = s.region AND o.id = s.id"
	    " AND (o.valid_to IS NULL OR o.valid_from = s.vt"
	    " OR (s.dt IS NOT NULL AND o.hash = s.hash)))",
	    t->table);
	pgx_command(conn, sql, 1, params);
}

static int
run_read(const struct rtype *t)
{
	size_t i, j;

	for (i = 0; i < 3 && t->resources[i] != NULL; i++)
		for (j = 0; j < run.nresources; j++)
			if (strcmp(run.resources[j], t->resources[i]) == 0)
				return 1;
	return 0;
}

/* Objects of a resource the run read in full, but not seen: gone. */
static void
close_absent(const struct rtype *t, const char *code)
{
	char sql[2048], when[RTIME_BUFSIZE];
	const char *params[3] = { code, run.region, when };
	const char *gone = "$3::timestamptz";

	rtime_format(run.started_at, when);
	/* A delete action, when nova recorded one, says when. */
	if (strcmp(t->type, "instance") == 0)
		gone = "coalesce((SELECT min(a.at_from) FROM"
		    " moc.instance_action a WHERE a.subject_id = o.id"
		    " AND a.kind = 'delete' AND a.region = o.region"
		    " AND a.at_from >= o.valid_from), $3::timestamptz)";
	if ((size_t)snprintf(sql, sizeof(sql),
	    "UPDATE moc.%s o SET valid_to = greatest(o.valid_from,"
	    " least($3::timestamptz, %s))"
	    " WHERE o.valid_to IS NULL AND o.region = $2"
	    " AND NOT EXISTS (SELECT 1 FROM moc_stage s WHERE s.code = $1"
	    " AND s.region = o.region AND s.id = o.id)",
	    t->table, gone) >= sizeof(sql))
		moc_die(EXIT_DATA, "internal error: statement too long");
	/*
	 * Every open version of the region is read whatever the plan, and the
	 * stage has no index: a hash anti-join is always the right one.  A
	 * table never analyzed yet (small, or grown by merges since) looks
	 * like a single row to the planner, which then picks a nested loop
	 * that scans the whole stage once per open version: 4.8 s instead of
	 * milliseconds for 4,785 role assignments.
	 */
	pgx_exec(conn, "SET LOCAL enable_nestloop = off");
	pgx_command(conn, sql, 3, params);
	pgx_exec(conn, "SET LOCAL enable_nestloop = on");
}

/*
 * A table that had nothing of the run's region before it holds only rows
 * sent straight by this run: one the staging table has a later record
 * of (an id seen twice) gives way to it, as merging keeps the last.
 */
static void
drop_superseded(const struct rtype *t, const char *code)
{
	char sql[512];
	const char *params[2] = { code, run.region };

	sqlf(sql, sizeof(sql), "DELETE FROM moc.%s o USING moc_stage s"
	    " WHERE s.code = $1 AND s.region = $2 AND o.region = $2"
	    " AND o.id = s.id", t->table);
	pgx_command(conn, sql, 2, params);
}

/*
 * Which object tables have no row of the run's region: their records in
 * this run are new objects, sent straight to the table by COPY instead
 * of staged and merged (the bulk of a first load).
 */
static void
find_direct(void)
{
	char sql[4096];
	const char *params[1] = { run.region };
	size_t i, len = 0;
	int col = 0;
	PGresult *res;

	len += (size_t)snprintf(sql, sizeof(sql), "SELECT true");
	for (i = 0; i < NTYPES; i++)
		if (types[i].kind == K_OBJECT)
			len += (size_t)snprintf(sql + len, sizeof(sql) - len,
			    ", NOT EXISTS (SELECT 1 FROM moc.%s WHERE"
			    " region = $1)", types[i].table);
	if (len >= sizeof(sql))
		moc_die(EXIT_DATA, "internal error: statement too long");
	res = pgx_query(conn, sql, 1, params);
	for (i = 0; i < NTYPES; i++)
		if (types[i].kind == K_OBJECT)
			types[i].direct = strcmp(PQgetvalue(res, 0, ++col),
			    "t") == 0;
	PQclear(res);
}

/*
 * A table that grew by a bulk of rows sent straight to it gets fresh
 * statistics before the next load plans its merges against it: with the
 * old ones a later poll's join reads the whole table instead of looking
 * its few ids up.  Only the table's owner (or a superuser) may do that.
 * The merges need the table's size, that ids are unique and that most
 * versions are open: a sample of 3,000 rows (statistics target 10) tells
 * as much as the default 30,000 at a tenth of the cost (ANALYZE took
 * longer than a tenth of a bulk load); autovacuum later analyzes with the
 * full target.
 */
#define ANALYZE_MIN	10000

static void
analyze_direct(void)
{
	char sql[256];
	const char *params[1];
	PGresult *res;
	size_t i;
	int may;

	for (i = 0; i < NTYPES; i++) {
		if (!types[i].direct ||
		    types[i].count - types[i].staged < ANALYZE_MIN)
			continue;
		snprintf(sql, sizeof(sql), "moc.%s", types[i].table);
		params[0] = sql;
		res = pgx_query(conn, "SELECT pg_has_role(relowner, 'USAGE')"
		    " OR (SELECT rolsuper FROM pg_roles WHERE rolname ="
		    " current_user) FROM pg_class WHERE oid = $1::regclass",
		    1, params);
		may = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (!may)
			continue;
		snprintf(sql, sizeof(sql), "SET LOCAL default_statistics_target"
		    " = 10; ANALYZE moc.%s; RESET default_statistics_target",
		    types[i].table);
		pgx_exec(conn, sql);
	}
}

static char *
counts_json(void)
{
	size_t i, cap = 64 + NTYPES * 48, len;
	char *s = moc_xmalloc(cap);

	len = (size_t)snprintf(s, cap, "{");
	for (i = 0; i < NTYPES; i++) {
		if (types[i].count == 0)
			continue;
		len += (size_t)snprintf(s + len, cap - len, "%s\"%s\": %llu",
		    len > 1 ? ", " : "", i == OTHER_CODE ? "other" :
		    types[i].type, types[i].count);
	}
	snprintf(s + len, cap - len, "}");
	return s;
}

/*
 * Merge what is staged.  in_run: the records of the current run (closing
 * absent objects only when deletions may be inferred).
 */
static void
merge_stage(int in_run, int infer_deletions)
{
	char code[8];
	size_t i;
	unsigned long long staged;

	copy_close();
	staged = staged_rows;
	staged_rows = 0;
	if (staged == 0 && !(in_run && infer_deletions))
		return;
	dedup_stage(staged);
	/* Undated administrator changes hold from this transaction's time,
	 * to the microsecond, so that two loads never share an instant. */
	if (staged_undated)
		pgx_exec(conn, "UPDATE moc_stage SET vt = now() WHERE dflt");
	staged_undated = 0;
	/* Actions first: a delete action dates a disappearance. */
	for (i = 0; i < NTYPES; i++) {
		if (types[i].kind != K_EVENT && types[i].kind != K_OTHER)
			continue;
		snprintf(code, sizeof(code), "%zu", i);
		if (types[i].staged > 0)
			merge_event(&types[i], code);
	}
	for (i = 0; i < NTYPES; i++) {
		if (types[i].kind != K_OBJECT && types[i].kind != K_ADMIN)
			continue;
		snprintf(code, sizeof(code), "%zu", i);
		if (types[i].staged > 0 && types[i].direct)
			drop_superseded(&types[i], code);
		if (types[i].staged > 0)
			merge_object(&types[i], code);
		/* A table that had nothing of the region before the run
		 * has nothing the run did not see. */
		if (in_run && infer_deletions && types[i].kind == K_OBJECT &&
		    run_read(&types[i]) && !types[i].direct)
			close_absent(&types[i], code);
	}
	analyze_direct();
	pgx_exec(conn, "TRUNCATE moc_stage");
}

static void
reset_counts(void)
{
	size_t i;

	for (i = 0; i < NTYPES; i++) {
		types[i].count = types[i].staged = 0;
		types[i].direct = 0;
		idset_free(&types[i].seen);
	}
	copy_switches = 0;
}

static void
free_run(void)
{
	size_t i;

	for (i = 0; i < run.nresources; i++)
		free(run.resources[i]);
	free(run.resources);
	free(run.id);
	free(run.source);
	free(run.cloud);
	free(run.region);
	free(run.resources_json);
	free(run.start_line);
	memset(&run, 0, sizeof(run));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? moc_xstrdup(s) : NULL;
}

static void
record_run(const char *end_line, size_t end_len, int complete,
    int64_t ended_at, int has_end)
{
	char digest[SHA256_HEX_LEN], ended[RTIME_BUFSIZE],
	    started[RTIME_BUFSIZE];
	char *counts = counts_json();
	const char *params[13];
	char *end = end_line != NULL ? moc_xstrndup(end_line, end_len) : NULL;

	sha256_final_hex(&run.digest, digest);
	rtime_format(run.started_at, started);
	rtime_format(ended_at, ended);
	params[0] = run.id;
	params[1] = run.source;
	params[2] = run.cloud;
	params[3] = run.region;
	params[4] = started;
	params[5] = has_end ? ended : NULL;
	params[6] = complete ? "true" : "false";
	params[7] = (!complete || run.degraded) ? "true" : "false";
	params[8] = run.resources_json;
	params[9] = counts;
	params[10] = digest;
	params[11] = run.start_line;
	params[12] = end;
	pgx_command(conn, "INSERT INTO moc.collection_run (id, source, cloud,"
	    " region, started_at, ended_at, complete, partial, resources,"
	    " counts, digest, run_start, run_end) VALUES ($1, $2, $3, $4,"
	    " $5, $6, $7, $8, $9, $10, $11, $12, $13)", 13, params);
	free(end);
	free(counts);
}

/*
 * A run older than one already loaded for its region cannot say what is
 * gone now: its observations are kept, no deletions inferred.
 */
static void
check_late(struct rec_reader *r)
{
	char when[RTIME_BUFSIZE];
	const char *params[2] = { run.region, when };
	PGresult *q;

	rtime_format(run.started_at, when);
	q = pgx_query(conn, "SELECT id FROM moc.collection_run WHERE"
	    " region = $1 AND started_at > $2::timestamptz AND NOT partial"
	    " ORDER BY started_at DESC LIMIT 1", 2, params);
	if (PQntuples(q) > 0) {
		run.degraded = 1;
		warn_rec(r, "run \"%s\" is older than run \"%s\", already "
		    "loaded; no deletions inferred from it", run.id,
		    PQgetvalue(q, 0, 0));
	}
	PQclear(q);
}

/* A JSON array of strings, for a jsonb parameter. */
static char *
string_array_json(char *const *v, size_t n)
{
	size_t i, k, len = 0, cap = 2;
	char *s;

	for (i = 0; i < n; i++)
		cap += 2 * strlen(v[i]) + 3;
	s = moc_xmalloc(cap + 1);
	s[len++] = '[';
	for (i = 0; i < n; i++) {
		if (i > 0)
			s[len++] = ',';
		s[len++] = '"';
		for (k = 0; v[i][k] != '\0'; k++) {
			if (v[i][k] == '"' || v[i][k] == '\\')
				s[len++] = '\\';
			s[len++] = v[i][k];
		}
		s[len++] = '"';
	}
	s[len++] = ']';
	s[len] = '\0';
	return s;
}

static void
start_run(struct rec_reader *r, const struct json_value *rec)
{
	const struct json_value *res = json_get(rec, "resources");
	const char *id = json_get_string(rec, "run_id");
	const char *region = json_get_string(rec, "region");
	const char *params[1];
	const char *line;
	size_t i, len;
	PGresult *q;

	if (run.open)
		fail(EXIT_DATA, "%s: run_start inside run \"%s\" (no run_end "
		    "before it); nothing stored", rec_where(r), run.id);
	if (id == NULL || *id == '\0')
		fail(EXIT_DATA, "%s: run_start without a run id in field "
		    "\"run_id\"; nothing stored", rec_where(r));
	if (region == NULL)
		fail(EXIT_DATA, "%s: run_start without a region in field "
		    "\"region\"; nothing stored", rec_where(r));
	if (get_time(rec, "started_at", &run.started_at) == -1)
		fail(EXIT_DATA, "%s: bad timestamp in field \"started_at\" "
		    "of run_start; nothing stored", rec_where(r));
	/* Merge what came before (administrator data) on its own. */
	merge_stage(0, 0);
	reset_counts();
	run.open = 1;
	run.id = moc_xstrdup(id);
	run.region = moc_xstrdup(region);
	run.source = dup_or_null(json_get_string(rec, "source"));
	run.cloud = dup_or_null(json_get_string(rec, "cloud"));
	line = rec_line(r, &len);
	run.start_line = moc_xstrndup(line, len);
	sha256_init(&run.digest);
	sha256_update(&run.digest, line, len);
	if (res != NULL && res->type == JSON_ARRAY) {
		run.resources = moc_xcalloc(res->len + 1, sizeof(char *));
		for (i = 0; i < res->len; i++)
			if (res->u.items[i].type == JSON_STRING)
				run.resources[run.nresources++] =
				    moc_xstrdup(res->u.items[i].u.text);
		run.resources_json = string_array_json(run.resources,
		    run.nresources);
	}
	params[0] = id;
	q = pgx_query(conn, "SELECT 1 FROM moc.collection_run WHERE id = $1",
	    1, params);
	run.skip = PQntuples(q) > 0;
	PQclear(q);
	if (!run.skip) {
		check_late(r);
		find_direct();
	}
	if (run.skip) {
		totals.skipped_runs++;
		if (!opt.quiet)
			moc_warn("%s: run \"%s\" is already loaded; skipped",
			    rec_where(r), id);
	}
	copy_begin();
}

static void
end_run(struct rec_reader *r, const struct json_value *rec, int at_eof)
{
	const struct json_value *c = rec != NULL ? json_get(rec, "complete") :
	    NULL;
	const char *id = rec != NULL ? json_get_string(rec, "run_id") : NULL;
	int complete = c != NULL && c->type == JSON_TRUE;
	int64_t ended = 0;
	int has_end;
	const char *line = NULL;
	size_t len = 0;

	if (!run.open)
		fail(EXIT_DATA, "%s: run_end without run_start; nothing stored",
		    rec_where(r));
	if (!at_eof && (id == NULL || strcmp(id, run.id) != 0))
		fail(EXIT_DATA, "%s: run_end of run \"%s\" in field \"run_id\" "
		    "ends run \"%s\"; nothing stored", rec_where(r),
		    id != NULL ? id : "(none)", run.id);
	if (!complete && !opt.partial)
		fail(EXIT_DATA, "%s: run \"%s\" is incomplete (%s); nothing "
		    "stored (use --partial to keep its observations)",
		    rec_where(r), run.id, at_eof ? "the stream ends without "
		    "run_end" : "run_end says \"complete\": false");
	has_end = rec != NULL && get_time(rec, "ended_at", &ended) == 0;
	if (rec != NULL)
		line = rec_line(r, &len);
	if (!run.skip) {
		merge_stage(1, complete && !run.degraded);
		record_run(line, len, complete, ended, has_end);
		totals.runs++;
	} else
		copy_close();
	reset_counts();
	free_run();
	copy_begin();
}

static void
load_file(int fd, const char *name)
{
	struct rec_reader *r = rec_open(fd, name, opt.max_record);
	const struct json_value *rec;
	enum rec_status st;
	const char *type, *line;
	size_t len;

	cur_input = name;
	while ((st = rec_next(r, &rec)) != REC_EOF) {
		if (st != REC_OK) {
			bad_record(r, "%s", rec_error(r));
			continue;
		}
		line = rec_line(r, &len);
		if (run.open)
			sha256_update(&run.digest, line, len);
		type = rec_type(rec);
		if (type == NULL) {
			bad_record(r, "missing record type in field \"type\"");
			continue;
		}
		if (strcmp(type, "run_start") == 0)
			start_run(r, rec);
		else if (strcmp(type, "run_end") == 0)
			end_run(r, rec, 0);
		else if (!run.skip)
			stage_record(r, rec, type);
	}
	if (run.open) {
		moc_warn("%s: the stream ends inside run \"%s\"", rec_where(r),
		    run.id);
		end_run(r, NULL, 1);
	}
	rec_close(r);
}

static void
load(char **files, int nfiles)
{
	int i, fd;

	pgx_exec(conn, "BEGIN");
	/* Two loads at once would interleave their merges: serialise. */
	pgx_exec(conn, "SELECT pg_advisory_xact_lock(" LOAD_LOCK_KEY ")");
	if (schema_version() != SCHEMA_VERSION)
		moc_die(EXIT_USAGE, "the database schema is version %lld, "
		    "this pg-load writes version %d; run pg-load --%s",
		    schema_version(), SCHEMA_VERSION,
		    schema_version() == 0 ? "init" : "migrate");
	pgx_exec(conn, stage_ddl);
	copy_begin();
	for (i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "-") == 0) {
			load_file(0, "<stdin>");
			continue;
		}
		fd = open(files[i], O_RDONLY);
		if (fd == -1)
			fail(EXIT_DATA, "%s: %s; nothing stored", files[i],
			    strerror(errno));
		load_file(fd, files[i]);
		close(fd);
	}
	merge_stage(0, 0);
	pgx_exec(conn, "COMMIT");
	if (!opt.quiet)
		fprintf(stderr, "%s: stored %llu records of %llu runs "
		    "(%llu runs already loaded), %llu warnings\n",
		    moc_progname(), totals.records, totals.runs,
		    totals.skipped_runs, totals.warnings);
}

/* ---- retention --------------------------------------------------------- */

static void
retain(void)
{
	char secs[32], sql[512];
	const char *params[1] = { secs };
	unsigned long long n, total = 0;
	PGresult *res;
	size_t i;

	snprintf(secs, sizeof(secs), "%lld", (long long)opt.retain);
	pgx_exec(conn, "BEGIN");
	pgx_exec(conn, "SELECT pg_advisory_xact_lock(" LOAD_LOCK_KEY ")");
	for (i = 0; i < NTYPES; i++) {
		if (types[i].kind != K_OBJECT && types[i].kind != K_ADMIN)
			continue;
		sqlf(sql, sizeof(sql), "DELETE FROM moc.%s WHERE valid_to <"
		    " now() - make_interval(secs => $1::double precision)",
		    types[i].table);
		res = pgx_query(conn, sql, 1, params);
		n = strtoull(PQcmdTuples(res), NULL, 10);
		PQclear(res);
		total += n;
		if (n > 0 && !opt.quiet)
			fprintf(stderr, "%s: --retain: removed %llu row "
			    "versions of %s\n", moc_progname(), n,
			    types[i].type);
	}
	pgx_exec(conn, "COMMIT");
	if (!opt.quiet)
		fprintf(stderr, "%s: --retain: removed %llu row versions that "
		    "ended more than %s seconds ago\n", moc_progname(), total,
		    secs);
}

/* ---- main -------------------------------------------------------------- */

enum {
	OPT_INIT = 256, OPT_MIGRATE, OPT_ROLES, OPT_SCHEMA_VERSION,
	OPT_SQL_DIR, OPT_PARTIAL, OPT_SKIP_BAD, OPT_RETAIN, OPT_MAX_RECORD
};

static const struct option longopts[] = {
	{ "dbname", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "init", no_argument, NULL, OPT_INIT },
	{ "max-record", required_argument, NULL, OPT_MAX_RECORD },
	{ "migrate", no_argument, NULL, OPT_MIGRATE },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "retain", required_argument, NULL, OPT_RETAIN },
	{ "roles", no_argument, NULL, OPT_ROLES },
	{ "schema-version", required_argument, NULL, OPT_SCHEMA_VERSION },
	{ "skip-bad", no_argument, NULL, OPT_SKIP_BAD },
	{ "sql-dir", required_argument, NULL, OPT_SQL_DIR },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
parse_options(int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "d:hqV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			opt.conninfo = optarg;
			break;
		case 'h':
			usage();
			moc_close_stdout();
			exit(EXIT_OK);
		case 'q':
			opt.quiet = 1;
			break;
		case 'V':
			moc_print_version();
		case OPT_INIT:
			opt.init = 1;
			break;
		case OPT_MIGRATE:
			opt.migrate = 1;
			break;
		case OPT_ROLES:
			opt.roles = 1;
			break;
		case OPT_SCHEMA_VERSION:
			if (moc_parse_int(optarg, 1, 999, &opt.target_version))
				moc_usage_error("bad --schema-version: %s",
				    optarg);
			break;
		case OPT_SQL_DIR:
			opt.sqldir = optarg;
			break;
		case OPT_PARTIAL:
			opt.partial = 1;
			break;
		case OPT_SKIP_BAD:
			opt.skip_bad = 1;
			break;
		case OPT_RETAIN:
			if (moc_parse_duration(optarg, &opt.retain) == -1)
				moc_usage_error("bad --retain duration: %s",
				    optarg);
			break;
		case OPT_MAX_RECORD:
			if (moc_parse_size(optarg, &opt.max_record) == -1 ||
			    opt.max_record == 0)
				moc_usage_error("bad --max-record size: %s",
				    optarg);
			break;
		default:
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", moc_progname());
			exit(EXIT_USAGE);
		}
	}
	if (opt.init && opt.migrate)
		moc_usage_error("--init and --migrate exclude each other");
	if (opt.sqldir == NULL)
		opt.sqldir = getenv("MOC_SQLDIR");
	if (opt.sqldir == NULL)
		opt.sqldir = DATADIR "/sql";
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "-" };
	char **files;
	int nfiles, maintenance;

	moc_setprogname(argv[0]);
	setlocale(LC_CTYPE, "");
	parse_options(argc, argv);
	files = argv + optind;
	nfiles = argc - optind;
	maintenance = opt.init || opt.migrate || opt.roles || opt.retain >= 0;
	if (nfiles == 0 && !maintenance) {
		files = stdin_only;
		nfiles = 1;
	}
	load_time = (int64_t)time(NULL);

	conn = pgx_connect(opt.conninfo, "pg-load");
	/* JIT compiles each big statement for longer than it runs; the
	 * staging table lives in temp_buffers (8MB by default), which
	 * must be set before it is first used; merges of a large run hash
	 * more than the default 4MB of work_mem.  A poll's merge looks its
	 * few ids up by index: at the default random_page_cost (made for
	 * spinning disks) the planner would rather read the whole table,
	 * every region of it, though the table is in memory. */
	pgx_exec(conn, "SET jit = off; SET temp_buffers = '128MB';"
	    " SET work_mem = '64MB'; SET random_page_cost = 1.1");
	if (opt.init || opt.migrate || opt.roles)
		setup_schema();
	if (nfiles > 0)
		load(files, nfiles);
	if (opt.retain >= 0)
		retain();
	pgx_finish(conn);
	moc_close_stdout();
	return EXIT_OK;
}
