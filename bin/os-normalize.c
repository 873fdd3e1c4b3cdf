/*
 * os-normalize: raw OpenStack API pages in, normalized records out.
 *
 * Reads the page envelopes that os-fetch writes (one JSON object per line:
 * run_start, page, run_end) from the files named as operands or from
 * standard input, and writes one record per OpenStack object (instance,
 * flavor, project, volume, ...) in the vocabulary of moc-records(5).
 * run_start, run_end and record types it does not handle pass through
 * unchanged; so does a page of a service or resource it does not know.
 *
 * A line, page or item that cannot be normalized is skipped with a warning
 * naming input, line and field; the run it belongs to then ends with
 * "complete": false.  Exit status: 0 all normalized; 1 something was
 * skipped (or, fatal, a read or write error, or any skip under --strict);
 * 2 usage error or an input that cannot be opened.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "json.h"
#include "jwrite.h"
#include "rec.h"
#include "rtime.h"
#include "sha256.h"
#include "util.h"

/* Reasons kept per run for the rewritten run_end; the count is exact. */
#define MAX_REASONS	20
/* Distinct unknown resources reported; later ones are passed silently. */
#define MAX_UNKNOWN	64
#define MSG_MAX		512

struct run {
	char		*id;
	char		*region;
	unsigned long	 failures;
	size_t		 nreasons;
	char		*reasons[MAX_REASONS];
	struct run	*next;
};

/* One page being normalized: where it came from and what it carries. */
struct page {
	struct rec_reader	*r;
	const char		*service, *resource;
	const char		*region, *run_id;
	int64_t			 observed;
	const struct json_value	*env;		/* the whole envelope */
	const char		*list;		/* "servers" while walking one */
	size_t			 index;
	const char		*sub;		/* "attachments" inside an item */
	size_t			 subindex;
	const char		*prefix;	/* "flavor." for nested fields */
	int			 damaged;
};

static struct {
	struct jw		 out;
	int			 strict;
	size_t			 max_len;
	struct run		*runs;
	struct run		*open_run;	/* the last run_start not ended */
	unsigned long		 skipped;	/* lines, pages or items lost */
	char			*unknown[MAX_UNKNOWN];
	size_t			 nunknown;
	struct json_parser	*inner;		/* for oslo.message strings */
} G;

/* ---- runs ---------------------------------------------------------- */

static struct run *
run_find(const char *id, int create)
{
	struct run *r;

	if (id == NULL)
		return G.open_run;
	for (r = G.runs; r != NULL; r = r->next)
		if (strcmp(r->id, id) == 0)
			return r;
	if (!create)
		return NULL;
	r = moc_xcalloc(1, sizeof(*r));
	r->id = moc_xstrdup(id);
	r->next = G.runs;
	G.runs = r;
	return r;
}

/* Runs are forgotten at their run_end, so memory does not grow with the
 * number of runs in a long stream. */
static void
run_drop(struct run *victim)
{
	struct run **pp;
	size_t i;

	for (pp = &G.runs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == victim) {
			*pp = victim->next;
			break;
		}
	if (G.open_run == victim)
		G.open_run = NULL;
	for (i = 0; i < victim->nreasons; i++)
		free(victim->reasons[i]);
	free(victim->id);
	free(victim->region);
	free(victim);
}

/* Something was lost: count it, charge it to its run, and under --strict
 * stop here.  msg is the full message without the program name. */
static void
lose(const char *run_id, const char *msg)
{
	struct run *r = run_find(run_id, 1);

	G.skipped++;
	if (G.strict) {
		jw_flush(&G.out);
		moc_die(EXIT_DATA, "%s (--strict)", msg);
	}
	moc_warn("%s", msg);
	if (r == NULL)
		return;
	r->failures++;
	if (r->nreasons < MAX_REASONS)
		r->reasons[r->nreasons++] = moc_xstrdup(msg);
}

/* ---- messages ------------------------------------------------------ */

/* A short rendering of a bad value for a message. */
static void
show_value(char *buf, size_t size, const struct json_value *v)
{
	if (v == NULL)
		snprintf(buf, size, "(absent)");
	else if (v->type == JSON_STRING)
		snprintf(buf, size, "\"%.60s%s\"", v->u.text,
		    v->len > 60 ? "..." : "");
	else if (v->type == JSON_NUMBER)
		snprintf(buf, size, "%.60s", v->u.text);
	else
		snprintf(buf, size, "%s", json_type_name(v->type));
}

/* "<input>:<line>: page <service>/<resource>: servers[3]: " */
static int
page_prefix(struct page *pg, char *buf, size_t size)
{
	int n;

	n = snprintf(buf, size, "%s: page %s/%s: ", rec_where(pg->r),
	    pg->service, pg->resource);
	if (pg->list != NULL && n >= 0 && (size_t)n < size) {
		if (pg->index != (size_t)-1)
			n += snprintf(buf + n, size - (size_t)n, "%s[%zu]: ",
			    pg->list, pg->index);
		else
			n += snprintf(buf + n, size - (size_t)n, "%s: ",
			    pg->list);
	}
	if (pg->sub != NULL && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "%s[%zu]: ", pg->sub,
		    pg->subindex);
	return n;
}

static void page_fail(struct page *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Part of the page was lost (an item, or a field set to null). */
static void
page_fail(struct page *pg, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	int n = page_prefix(pg, msg, sizeof(msg));

	if (n >= 0 && (size_t)n < sizeof(msg)) {
		va_start(ap, fmt);
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	pg->damaged = 1;
	lose(pg->run_id, msg);
}

static void
field_fail(struct page *pg, const char *what, const char *field,
    const struct json_value *v)
{
	char val[80];
	const char *pre = pg->prefix != NULL ? pg->prefix : "";

	if (v == NULL) {
		page_fail(pg, "missing field \"%s%s\"", pre, field);
		return;
	}
	show_value(val, sizeof(val), v);
	page_fail(pg, "%s in field \"%s%s\": %s", what, pre, field, val);
}

/* ---- writing records ----------------------------------------------- */

/* Identifiers are strings; old APIs give some (hypervisors) as integers. */
static const char *
item_id(struct page *pg, const struct json_value *item, const char *key,
    size_t *len)
{
	const struct json_value *v = json_get(item, key);

	if (v != NULL && (v->type == JSON_STRING || (v->type == JSON_NUMBER &&
	    strspn(v->u.text, "0123456789") == v->len)) && v->len > 0) {
		*len = v->len;
		return v->u.text;
	}
	if (v == NULL || v->type == JSON_NULL)
		page_fail(pg, "missing identifier in field \"%s\"", key);
	else
		field_fail(pg, "bad identifier", key, v);
	return NULL;
}

static void
record_begin(struct page *pg, const char *type, const char *id, size_t len)
{
	struct jw *w = &G.out;

	jw_object_begin(w);
	jw_kv_string(w, "type", type);
	jw_key(w, "id");
	jw_string(w, id, len);
	jw_kv_string(w, "region", pg->region);
	jw_kv_time(w, "observed_at", pg->observed);
	jw_kv_string(w, "run_id", pg->run_id);
}

/* An item's record starts with its "id"; an item without one is skipped. */
static int
item_begin(struct page *pg, const struct json_value *it, const char *type)
{
	size_t n;
	const char *id = item_id(pg, it, "id", &n);

	if (id == NULL)
		return 0;
	record_begin(pg, type, id, n);
	return 1;
}

static void
record_end(void)
{
	jw_object_end(&G.out);
	jw_end_record(&G.out);
}

static int
is_null(const struct json_value *v)
{
	return v == NULL || v->type == JSON_NULL;
}

/* A string field; anything but a string or null is reported and nulled. */
static void
f_str(struct page *pg, const char *out, const struct json_value *obj,
    const char *key)
{
	const struct json_value *v = json_get(obj, key);

	jw_key(&G.out, out);
	if (v != NULL && v->type == JSON_STRING)
		jw_string(&G.out, v->u.text, v->len);
	else {
		if (!is_null(v))
			field_fail(pg, "not a string", key, v);
		jw_null(&G.out);
	}
}

/* Like f_str, and "" (how nova and cinder say "none") is null. */
static void
f_str_nonempty(struct page *pg, const char *out, const struct json_value *obj,
    const char *key)
{
	const struct json_value *v = json_get(obj, key);

	if (v != NULL && v->type == JSON_STRING && v->len == 0) {
		jw_key(&G.out, out);
		jw_null(&G.out);
	} else
		f_str(pg, out, obj, key);
}

/* A time in any of OpenStack's forms, written as RFC 3339 UTC; "" is null. */
static void
time_value(struct page *pg, const char *out, const struct json_value *v,
    const char *key)
{
	int64_t t;

	jw_key(&G.out, out);
	if (v != NULL && v->type == JSON_STRING && v->len > 0 &&
	    rtime_parse(v->u.text, v->len, &t) == 0) {
		jw_time(&G.out, t);
		return;
	}
	if (!is_null(v) && !(v->type == JSON_STRING && v->len == 0))
		field_fail(pg, "bad timestamp", key, v);
	jw_null(&G.out);
}

static void
f_time(struct page *pg, const char *out, const struct json_value *obj,
    const char *key)
{
	time_value(pg, out, json_get(obj, key), key);
}

static void
int_value(struct page *pg, const char *out, const struct json_value *v,
    const char *key)
{
	int64_t n;

	jw_key(&G.out, out);
	if (json_int64(v, &n) == 0)
		jw_int(&G.out, n);
	else {
		if (!is_null(v))
			field_fail(pg, "not an integer", key, v);
		jw_null(&G.out);
	}
}

static void
f_int(struct page *pg, const char *out, const struct json_value *obj,
    const char *key)
{
	int_value(pg, out, json_get(obj, key), key);
}

/* A number kept as its text (nova's hours are fractions). */
static void
f_num(struct page *pg, const char *out, const struct json_value *obj,
    const char *key)
{
	const struct json_value *v = json_get(obj, key);

	jw_key(&G.out, out);
	if (v != NULL && v->type == JSON_NUMBER)
		jw_number_text(&G.out, v->u.text, v->len);
	else {
		if (!is_null(v))
			field_fail(pg, "not a number", key, v);
		jw_null(&G.out);
	}
}

/* A boolean; cinder writes some as the strings "true" and "false". */
static void
f_bool(struct page *pg, const char *out, const struct json_value *obj,
    const char *key)
{
	const struct json_value *v = json_get(obj, key);
	const char *s = json_string(v);

	jw_key(&G.out, out);
	if (v != NULL && (v->type == JSON_TRUE || v->type == JSON_FALSE))
		jw_bool(&G.out, v->type == JSON_TRUE);
	else if (s != NULL && strcasecmp(s, "true") == 0)
		jw_bool(&G.out, 1);
	else if (s != NULL && strcasecmp(s, "false") == 0)
		jw_bool(&G.out, 0);
	else {
		if (!is_null(v))
			field_fail(pg, "not a boolean", key, v);
		jw_null(&G.out);
	}
}

/* Any JSON value as it is (extra_specs). */
static void
f_raw(const char *out, const struct json_value *obj, const char *key)
{
	jw_kv_value(&G.out, out, json_get(obj, key));
}

/* The first of several keys that is present (tenant_id vs project_id). */
static const char *
first_key(const struct json_value *obj, const char *a, const char *b)
{
	return json_present(json_get(obj, a)) ? a : b;
}

/* The "id" member of a nested object ({"image": {"id": ...}}), or null. */
static void
f_nested_id(struct page *pg, const char *out, const struct json_value *obj,
    const char *key)
{
	const struct json_value *v = json_get(obj, key);

	if (v != NULL && v->type == JSON_OBJECT)
		f_str(pg, out, v, "id");
	else {
		/* Nova says "" for an instance booted from a volume. */
		if (!is_null(v) && !(v->type == JSON_STRING && v->len == 0))
			field_fail(pg, "not an object", key, v);
		jw_key(&G.out, out);
		jw_null(&G.out);
	}
}

/* ---- GPU facts from flavor extra specs ----------------------------- */

struct gpu {
	int	 known;		/* extra specs were given */
	int	 bad;
	int64_t	 count;
	char	 alias[128];
};

static void
gpu_add_alias(struct gpu *g, const char *s, size_t n)
{
	size_t have = strlen(g->alias);

	if (have + n + 2 > sizeof(g->alias))
		return;
	if (have > 0)
		g->alias[have++] = ',';
	memcpy(g->alias + have, s, n);
	g->alias[have + n] = '\0';
}

/* "a100:2" or "a100:2, v100:1": nova's alias_name:count list. */
static int
gpu_parse_alias(struct gpu *g, const char *s)
{
	while (*s != '\0') {
		const char *name, *colon, *end;
		size_t n;
		long long c = 1;

		s += strspn(s, " ");
		name = s;
		end = s + strcspn(s, ",");
		colon = memchr(s, ':', (size_t)(end - s));
		n = (size_t)((colon != NULL ? colon : end) - name);
		while (n > 0 && name[n - 1] == ' ')
			n--;
		if (n == 0)
			return -1;
		if (colon != NULL) {
			char num[24];
			size_t cl = (size_t)(end - colon - 1);

			while (cl > 0 && colon[cl] == ' ')
				cl--;
			if (cl == 0 || cl >= sizeof(num))
				return -1;
			memcpy(num, colon + 1, cl);
			num[cl] = '\0';
			if (moc_parse_int(num, 0, 1000000, &c) == -1)
				return -1;
		}
		g->count += c;
		gpu_add_alias(g, name, n);
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static void
gpu_from_specs(struct page *pg, const struct json_value *specs, struct gpu *g)
{
	const struct json_value *alias, *vgpu;
	long long c;

	memset(g, 0, sizeof(*g));
	if (specs == NULL || specs->type != JSON_OBJECT)
		return;
	g->known = 1;
	alias = json_get(specs, "pci_passthrough:alias");
	if (alias != NULL && (alias->type != JSON_STRING ||
	    gpu_parse_alias(g, alias->u.text) == -1)) {
		field_fail(pg, "bad GPU alias list",
		    "extra_specs.pci_passthrough:alias", alias);
		g->bad = 1;
		return;
	}
	vgpu = json_get(specs, "resources:VGPU");
	if (vgpu != NULL) {
		if (vgpu->type != JSON_STRING ||
		    moc_parse_int(vgpu->u.text, 0, 1000000, &c) == -1) {
			field_fail(pg, "bad vGPU count",
			    "extra_specs.resources:VGPU", vgpu);
			g->bad = 1;
			return;
		}
		g->count += c;
		if (g->alias[0] == '\0' && c > 0)
			gpu_add_alias(g, "VGPU", 4);
	}
}

static void
write_gpu(const struct gpu *g)
{
	jw_key(&G.out, "gpu_count");
	if (g->known && !g->bad)
		jw_int(&G.out, g->count);
	else
		jw_null(&G.out);
	jw_key(&G.out, "gpu_alias");
	jw_cstring(&G.out, g->known && !g->bad && g->alias[0] != '\0' ?
	    g->alias : NULL);
}

/* ---- identity ------------------------------------------------------ */

static void
do_region(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "region"))
		return;
	f_str(pg, "description", it, "description");
	f_str(pg, "parent_region_id", it, "parent_region_id");
	record_end();
}

static void
do_domain(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "domain"))
		return;
	f_str(pg, "name", it, "name");
	f_bool(pg, "enabled", it, "enabled");
	f_str(pg, "description", it, "description");
	record_end();
}

static void do_project(struct page *, const struct json_value *);

/* parents_as_list / subtree_as_list: [{"project": {...}}, ...]; the
 * as_ids forms carry no project facts and are left alone. */
static void
project_relatives(struct page *pg, const struct json_value *it,
    const char *key)
{
	const struct json_value *v = json_get(it, key);
	size_t i;

	if (v == NULL || v->type != JSON_ARRAY)
		return;
	for (i = 0; i < v->len; i++) {
		const struct json_value *p = json_get(&v->u.items[i],
		    "project");

		if (p != NULL && p->type == JSON_OBJECT)
			do_project(pg, p);
	}
}

static void
do_project(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "project"))
		return;
	f_str(pg, "name", it, "name");
	f_str(pg, "domain_id", it, "domain_id");
	f_str(pg, "parent_id", it, "parent_id");
	f_bool(pg, "is_domain", it, "is_domain");
	f_bool(pg, "enabled", it, "enabled");
	f_str(pg, "description", it, "description");
	record_end();
	project_relatives(pg, it, "parents");
	project_relatives(pg, it, "subtree");
}

static void
do_user(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "user"))
		return;
	f_str(pg, "name", it, "name");
	f_str(pg, "domain_id", it, "domain_id");
	f_str(pg, "email", it, "email");
	f_bool(pg, "enabled", it, "enabled");
	f_str(pg, "default_project_id", it, "default_project_id");
	record_end();
}

/* The id of a member object ({"user": {"id": "x"}}), or NULL. */
static const char *
member_id(const struct json_value *obj, const char *key)
{
	return json_get_string(json_get(obj, key), "id");
}

static void
do_role_assignment(struct page *pg, const struct json_value *it)
{
	const struct json_value *scope = json_get(it, "scope");
	const char *role = member_id(it, "role");
	const char *user = member_id(it, "user");
	const char *group = member_id(it, "group");
	const char *project = member_id(scope, "project");
	const char *domain = member_id(scope, "domain");
	const char *kind, *scope_id, *actor;
	char *id;
	size_t len;
	int inherited;

	if (project != NULL)
		kind = "project", scope_id = project;
	else if (domain != NULL)
		kind = "domain", scope_id = domain;
	else if (json_get(scope, "system") != NULL)
		kind = "system", scope_id = "all";
	else {
		page_fail(pg, "no project, domain or system in field "
		    "\"scope\"");
		return;
	}
	if (role == NULL) {
		page_fail(pg, "missing identifier in field \"role.id\"");
		return;
	}
	if (user == NULL && group == NULL) {
		page_fail(pg, "missing identifier in field \"user.id\" "
		    "(or \"group.id\")");
		return;
	}
	actor = user != NULL ? user : group;
	inherited = json_present(json_get(scope, "OS-INHERIT:inherited_to"));
	len = strlen(kind) + strlen(scope_id) + strlen(actor) + strlen(role) +
	    32;
	id = moc_xmalloc(len);
	/* An inherited assignment and a direct one of the same role, actor
	 * and scope are two assignments: the id says which. */
	len = (size_t)snprintf(id, len, "%s:%s:%s:%s:%s%s", kind, scope_id,
	    user != NULL ? "user" : "group", actor, role,
	    inherited ? ":inherited" : "");
	record_begin(pg, "role_assignment", id, len);
	free(id);
	jw_kv_string(&G.out, "role_id", role);
	jw_kv_string(&G.out, "role_name",
	    json_get_string(json_get(it, "role"), "name"));
	jw_kv_string(&G.out, "user_id", user);
	jw_kv_string(&G.out, "group_id", group);
	jw_kv_string(&G.out, "project_id", project);
	jw_kv_string(&G.out, "domain_id", domain);
	jw_key(&G.out, "inherited");
	jw_bool(&G.out, inherited);
	record_end();
}

/* ---- compute ------------------------------------------------------- */

static void
do_flavor(struct page *pg, const struct json_value *it)
{
	const struct json_value *specs = json_get(it, "extra_specs");
	const struct json_value *swap = json_get(it, "swap");
	struct gpu g;

	if (!item_begin(pg, it, "flavor"))
		return;
	f_str(pg, "name", it, "name");
	f_int(pg, "vcpus", it, "vcpus");
	f_int(pg, "ram_mb", it, "ram");
	f_int(pg, "disk_gb", it, "disk");
	f_int(pg, "ephemeral_gb", it,
	    first_key(it, "OS-FLV-EXT-DATA:ephemeral", "ephemeral"));
	/* Nova writes "" for a flavor without swap. */
	if (swap != NULL && swap->type == JSON_STRING && swap->len == 0)
		jw_kv_int(&G.out, "swap_mb", 0);
	else
		int_value(pg, "swap_mb", swap, "swap");
	f_bool(pg, "is_public", it, "os-flavor-access:is_public");
	gpu_from_specs(pg, specs, &g);
	write_gpu(&g);
	if (specs == NULL || specs->type == JSON_OBJECT)
		f_raw("extra_specs", it, "extra_specs");
	else {
		field_fail(pg, "not an object", "extra_specs", specs);
		jw_kv_value(&G.out, "extra_specs", NULL);
	}
	record_end();
}

/* The flavor of a server: {id, links} up to 2.46, embedded from 2.47. */
static void
server_flavor(struct page *pg, const struct json_value *it)
{
	const struct json_value *fl = json_get(it, "flavor");
	struct gpu g;

	memset(&g, 0, sizeof(g));
	if (fl != NULL && fl->type != JSON_OBJECT) {
		field_fail(pg, "not an object", "flavor", fl);
		fl = NULL;
	}
	pg->prefix = "flavor.";
	f_str(pg, "flavor_id", fl, "id");
	f_str(pg, "flavor_name", fl, "original_name");
	f_int(pg, "vcpus", fl, "vcpus");
	f_int(pg, "ram_mb", fl, "ram");
	f_int(pg, "disk_gb", fl, "disk");
	f_int(pg, "ephemeral_gb", fl, "ephemeral");
	pg->prefix = NULL;
	gpu_from_specs(pg, json_get(fl, "extra_specs"), &g);
	write_gpu(&g);
}

static int
str_eq_ci(const struct json_value *v, const char *s)
{
	return v != NULL && v->type == JSON_STRING && strcasecmp(v->u.text,
	    s) == 0;
}

static void
do_server(struct page *pg, const struct json_value *it)
{
	size_t n;
	const char *id = item_id(pg, it, "id", &n);
	int deleted;

	if (id == NULL)
		return;
	record_begin(pg, "instance", id, n);
	f_str(pg, "name", it, "name");
	f_str(pg, "project_id", it, first_key(it, "tenant_id", "project_id"));
	f_str(pg, "user_id", it, "user_id");
	f_str(pg, "status", it, "status");
	f_str(pg, "vm_state", it, "OS-EXT-STS:vm_state");
	f_str(pg, "task_state", it, "OS-EXT-STS:task_state");
	f_int(pg, "power_state", it, "OS-EXT-STS:power_state");
	server_flavor(pg, it);
	f_time(pg, "created_at", it, "created");
	f_time(pg, "updated_at", it, "updated");
	f_time(pg, "launched_at", it, "OS-SRV-USG:launched_at");
	f_time(pg, "terminated_at", it, "OS-SRV-USG:terminated_at");
	/* The API has no deletion time; a deleted server's termination is
	 * its deletion. */
	deleted = str_eq_ci(json_get(it, "status"), "DELETED") ||
	    str_eq_ci(json_get(it, "OS-EXT-STS:vm_state"), "deleted");
	if (deleted)
		f_time(pg, "deleted_at", it, "OS-SRV-USG:terminated_at");
	else
		jw_kv_value(&G.out, "deleted_at", NULL);
	f_str(pg, "host", it, "OS-EXT-SRV-ATTR:host");
	f_str(pg, "availability_zone", it, "OS-EXT-AZ:availability_zone");
	f_nested_id(pg, "image_id", it, "image");
	record_end();
}

/* An action has finished when every event has; then it finished with the
 * last of them. */
static void
action_finish(const struct json_value *events)
{
	int64_t last = INT64_MIN, t;
	size_t i;

	jw_key(&G.out, "finish_time");
	if (events == NULL || events->type != JSON_ARRAY || events->len == 0) {
		jw_null(&G.out);
		return;
	}
	for (i = 0; i < events->len; i++) {
		const struct json_value *f = json_get(&events->u.items[i],
		    "finish_time");

		if (f == NULL || f->type != JSON_STRING ||
		    rtime_parse(f->u.text, f->len, &t) == -1) {
			jw_null(&G.out);
			return;
		}
		if (t > last)
			last = t;
	}
	jw_time(&G.out, last);
}

static void
action_events(struct page *pg, const struct json_value *events)
{
	size_t i;

	jw_key(&G.out, "events");
	if (events == NULL || events->type != JSON_ARRAY) {
		if (events != NULL)
			field_fail(pg, "not an array", "events", events);
		jw_null(&G.out);
		return;
	}
	jw_array_begin(&G.out);
	pg->sub = "events";
	for (i = 0; i < events->len; i++) {
		const struct json_value *e = &events->u.items[i];

		pg->subindex = i;
		if (e->type != JSON_OBJECT) {
			field_fail(pg, "not an object", "events", e);
			continue;
		}
		jw_object_begin(&G.out);
		f_str(pg, "event", e, "event");
		f_time(pg, "start_time", e, "start_time");
		f_time(pg, "finish_time", e, "finish_time");
		f_str(pg, "result", e, "result");
		jw_object_end(&G.out);
	}
	pg->sub = NULL;
	jw_array_end(&G.out);
}

static void
do_instance_action(struct page *pg, const struct json_value *it)
{
	const struct json_value *events = json_get(it, "events");
	const char *server = json_get_string(json_get(pg->env, "context"),
	    "server_id");
	size_t n;
	const char *id = item_id(pg, it, "request_id", &n);

	if (id == NULL)
		return;
	record_begin(pg, "instance_action", id, n);
	/* The server the page was asked about, where an action omits it. */
	if (!json_present(json_get(it, "instance_uuid")) &&
	    server != NULL)
		jw_kv_string(&G.out, "instance_id", server);
	else
		f_str(pg, "instance_id", it, "instance_uuid");
	f_str(pg, "action", it, "action");
	f_str(pg, "request_id", it, "request_id");
	f_time(pg, "start_time", it, "start_time");
	action_finish(events);
	f_time(pg, "updated_at", it, "updated_at");
	f_str(pg, "user_id", it, "user_id");
	f_str(pg, "project_id", it, "project_id");
	f_str(pg, "message", it, "message");
	action_events(pg, events);
	record_end();
}

/* The usage window: what os-fetch asked for (the page's context), else
 * what nova says it used. */
static int
usage_window(struct page *pg, const struct json_value *tu, int64_t *start,
    int64_t *end)
{
	const struct json_value *ctx = json_get(pg->env, "context");
	const struct json_value *s = json_get(ctx, "start");
	const struct json_value *e = json_get(ctx, "end");
	const char *sk = "context.start", *ek = "context.end";

	if (s == NULL) {
		s = json_get(tu, "start");
		sk = "start";
	}
	if (e == NULL) {
		e = json_get(tu, "stop");
		ek = "stop";
	}
	if (s == NULL || s->type != JSON_STRING ||
	    rtime_parse(s->u.text, s->len, start) == -1) {
		field_fail(pg, "bad usage window start", sk, s);
		return -1;
	}
	if (e == NULL || e->type != JSON_STRING ||
	    rtime_parse(e->u.text, e->len, end) == -1) {
		field_fail(pg, "bad usage window end", ek, e);
		return -1;
	}
	return 0;
}

static void
do_server_usage(struct page *pg, const struct json_value *su, int64_t ws,
    int64_t we)
{
	char sbuf[RTIME_BUFSIZE], ebuf[RTIME_BUFSIZE], *id;
	size_t n, len;
	const char *iid = item_id(pg, su, "instance_id", &n);

	if (iid == NULL)
		return;
	rtime_format(ws, sbuf);
	rtime_format(we, ebuf);
	len = n + strlen(sbuf) + strlen(ebuf) + 3;
	id = moc_xmalloc(len);
	len = (size_t)snprintf(id, len, "%.*s:%s:%s", (int)n, iid, sbuf, ebuf);
	record_begin(pg, "tenant_usage", id, len);
	free(id);
	f_str(pg, "instance_id", su, "instance_id");
	f_str(pg, "project_id", su, "tenant_id");
	f_str(pg, "name", su, "name");
	f_str(pg, "flavor_name", su, "flavor");
	f_int(pg, "vcpus", su, "vcpus");
	f_int(pg, "ram_mb", su, "memory_mb");
	f_int(pg, "disk_gb", su, "local_gb");
	f_num(pg, "hours", su, "hours");
	f_time(pg, "started_at", su, "started_at");
	f_time(pg, "ended_at", su, "ended_at");
	f_str(pg, "state", su, "state");
	jw_kv_time(&G.out, "window_start", ws);
	jw_kv_time(&G.out, "window_end", we);
	record_end();
}

/* One tenant's usage; without ?detailed=1 an index has only totals, and
 * totals are not per-instance facts, so nothing is written for them. */
static void
do_tenant_usage(struct page *pg, const struct json_value *tu)
{
	const struct json_value *sus = json_get(tu, "server_usages");
	int64_t ws, we;
	size_t i;

	if (sus == NULL)
		return;
	if (sus->type != JSON_ARRAY) {
		field_fail(pg, "not an array", "server_usages", sus);
		return;
	}
	if (usage_window(pg, tu, &ws, &we) == -1)
		return;
	pg->sub = "server_usages";
	for (i = 0; i < sus->len; i++) {
		pg->subindex = i;
		if (sus->u.items[i].type != JSON_OBJECT)
			field_fail(pg, "not an object", "server_usages",
			    &sus->u.items[i]);
		else
			do_server_usage(pg, &sus->u.items[i], ws, we);
	}
	pg->sub = NULL;
}

static void
do_hypervisor(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "hypervisor"))
		return;
	f_str(pg, "hypervisor_hostname", it, "hypervisor_hostname");
	f_str(pg, "state", it, "state");
	f_str(pg, "status", it, "status");
	f_int(pg, "vcpus", it, "vcpus");
	f_int(pg, "memory_mb", it, "memory_mb");
	record_end();
}

/* ---- network ------------------------------------------------------- */

static void
do_network(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "network"))
		return;
	f_str(pg, "name", it, "name");
	f_str(pg, "project_id", it, first_key(it, "project_id", "tenant_id"));
	f_str(pg, "status", it, "status");
	f_bool(pg, "shared", it, "shared");
	f_bool(pg, "router_external", it, "router:external");
	f_time(pg, "created_at", it, "created_at");
	f_time(pg, "updated_at", it, "updated_at");
	record_end();
}

static void
do_subnet(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "subnet"))
		return;
	f_str(pg, "name", it, "name");
	f_str(pg, "network_id", it, "network_id");
	f_str(pg, "project_id", it, first_key(it, "project_id", "tenant_id"));
	f_str(pg, "cidr", it, "cidr");
	f_int(pg, "ip_version", it, "ip_version");
	f_time(pg, "created_at", it, "created_at");
	record_end();
}

static void
do_router(struct page *pg, const struct json_value *it)
{
	const struct json_value *gw = json_get(it, "external_gateway_info");

	if (!item_begin(pg, it, "router"))
		return;
	f_str(pg, "name", it, "name");
	f_str(pg, "project_id", it, first_key(it, "project_id", "tenant_id"));
	f_str(pg, "status", it, "status");
	if (gw != NULL && gw->type != JSON_OBJECT && gw->type != JSON_NULL) {
		field_fail(pg, "not an object", "external_gateway_info", gw);
		gw = NULL;
	}
	f_str(pg, "external_network_id", gw, "network_id");
	f_time(pg, "created_at", it, "created_at");
	record_end();
}

static void
do_floatingip(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "floating_ip"))
		return;
	f_str(pg, "floating_ip_address", it, "floating_ip_address");
	f_str(pg, "floating_network_id", it, "floating_network_id");
	f_str(pg, "project_id", it, first_key(it, "project_id", "tenant_id"));
	f_str(pg, "port_id", it, "port_id");
	f_str(pg, "router_id", it, "router_id");
	f_str(pg, "fixed_ip_address", it, "fixed_ip_address");
	f_str(pg, "status", it, "status");
	f_time(pg, "created_at", it, "created_at");
	f_time(pg, "updated_at", it, "updated_at");
	record_end();
}

static void
do_port(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "port"))
		return;
	f_str(pg, "name", it, "name");
	f_str(pg, "network_id", it, "network_id");
	f_str(pg, "project_id", it, first_key(it, "project_id", "tenant_id"));
	f_str_nonempty(pg, "device_id", it, "device_id");
	f_str_nonempty(pg, "device_owner", it, "device_owner");
	f_str(pg, "status", it, "status");
	f_str(pg, "mac_address", it, "mac_address");
	f_time(pg, "created_at", it, "created_at");
	record_end();
}

/* ---- block storage ------------------------------------------------- */

/* An attachment, from a volume's "attachments" or from the attachments
 * API (where the server is "instance" and the device is not given). */
static void
write_attachment(struct page *pg, const struct json_value *a,
    const char *volume_id)
{
	const char *idkey = json_present(json_get(a, "attachment_id")) ?
	    "attachment_id" : "id";
	size_t n;
	const char *id = item_id(pg, a, idkey, &n);

	if (id == NULL)
		return;
	record_begin(pg, "volume_attachment", id, n);
	if (volume_id != NULL && !json_present(json_get(a, "volume_id")))
		jw_kv_string(&G.out, "volume_id", volume_id);
	else
		f_str(pg, "volume_id", a, "volume_id");
	f_str(pg, "server_id", a, first_key(a, "server_id", "instance"));
	f_str(pg, "device", a, "device");
	f_str(pg, "host_name", a, "host_name");
	f_time(pg, "attached_at", a, "attached_at");
	record_end();
}

static void
do_volume(struct page *pg, const struct json_value *it)
{
	const struct json_value *att = json_get(it, "attachments");
	size_t n, i;
	const char *id = item_id(pg, it, "id", &n);
	char *vid;

	if (id == NULL)
		return;
	record_begin(pg, "volume", id, n);
	f_str(pg, "name", it, "name");
	f_str(pg, "project_id", it, "os-vol-tenant-attr:tenant_id");
	f_str(pg, "user_id", it, "user_id");
	f_int(pg, "size_gb", it, "size");
	f_str(pg, "status", it, "status");
	f_str(pg, "volume_type", it, "volume_type");
	f_bool(pg, "bootable", it, "bootable");
	f_str(pg, "availability_zone", it, "availability_zone");
	f_time(pg, "created_at", it, "created_at");
	f_time(pg, "updated_at", it, "updated_at");
	record_end();
	if (att == NULL || att->type == JSON_NULL)
		return;
	if (att->type != JSON_ARRAY) {
		field_fail(pg, "not an array", "attachments", att);
		return;
	}
	vid = moc_xstrndup(id, n);
	pg->sub = "attachments";
	for (i = 0; i < att->len; i++) {
		pg->subindex = i;
		if (att->u.items[i].type != JSON_OBJECT)
			field_fail(pg, "not an object", "attachments",
			    &att->u.items[i]);
		else
			write_attachment(pg, &att->u.items[i], vid);
	}
	pg->sub = NULL;
	free(vid);
}

static void
do_attachment(struct page *pg, const struct json_value *it)
{
	write_attachment(pg, it, NULL);
}

static void
do_snapshot(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "snapshot"))
		return;
	f_str(pg, "volume_id", it, "volume_id");
	f_str(pg, "project_id", it, "os-extended-snapshot-attributes:project_id");
	f_int(pg, "size_gb", it, "size");
	f_str(pg, "status", it, "status");
	f_time(pg, "created_at", it, "created_at");
	record_end();
}

static void
do_volume_type(struct page *pg, const struct json_value *it)
{
	if (!item_begin(pg, it, "volume_type"))
		return;
	f_str(pg, "name", it, "name");
	f_bool(pg, "is_public", it,
	    first_key(it, "is_public", "os-volume-type-access:is_public"));
	f_str(pg, "description", it, "description");
	record_end();
}

/* ---- versioned notifications ---------------------------------------- */

/* A stable digest of a value, for notifications that carry no message_id
 * (nova's samples): the same message always gets the same event id. */
static void
hash_value(struct sha256 *h, const struct json_value *v)
{
	unsigned char tag = (unsigned char)v->type;
	size_t i;

	sha256_update(h, &tag, 1);
	switch (v->type) {
	case JSON_NUMBER:
	case JSON_STRING:
		sha256_update(h, v->u.text, v->len + 1);
		break;
	case JSON_ARRAY:
		for (i = 0; i < v->len; i++)
			hash_value(h, &v->u.items[i]);
		sha256_update(h, "]", 1);
		break;
	case JSON_OBJECT:
		for (i = 0; i < v->len; i++) {
			sha256_update(h, v->u.members[i].key,
			    v->u.members[i].keylen + 1);
			hash_value(h, &v->u.members[i].value);
		}
		sha256_update(h, "}", 1);
		break;
	default:
		break;
	}
}

/* The data of a nova versioned object, or the value itself. */
static const struct json_value *
ovo_data(const struct json_value *v)
{
	const struct json_value *d = json_get(v, "nova_object.data");

	return d != NULL ? d : v;
}

/* instance.<action>.<phase>: "create" and "end" of instance.create.end;
 * instance.update and instance.exists have no phase. */
static void
event_action(const char *type, char *action, size_t asize, char *phase,
    size_t psize)
{
	const char *a, *dot;

	action[0] = phase[0] = '\0';
	if (strncmp(type, "instance.", 9) != 0)
		return;
	a = type + 9;
	dot = strrchr(a, '.');
	if (dot != NULL && (strcmp(dot + 1, "start") == 0 ||
	    strcmp(dot + 1, "end") == 0 || strcmp(dot + 1, "error") == 0)) {
		snprintf(action, asize, "%.*s", (int)(dot - a), a);
		snprintf(phase, psize, "%s", dot + 1);
	} else
		snprintf(action, asize, "%s", a);
}

static void
event_instance(struct page *pg, const struct json_value *d, int is_instance)
{
	const struct json_value *fl = NULL, *audit = NULL, *upd = NULL;
	struct gpu g;

	memset(&g, 0, sizeof(g));
	if (!is_instance)
		d = NULL;
	else {
		fl = ovo_data(json_get(d, "flavor"));
		audit = ovo_data(json_get(d, "audit_period"));
		upd = ovo_data(json_get(d, "state_update"));
	}
	pg->prefix = "payload.";
	f_str(pg, "instance_id", d, "uuid");
	f_str(pg, "project_id", d, "tenant_id");
	f_str(pg, "user_id", d, "user_id");
	f_str(pg, "state", d, "state");
	f_str(pg, "old_state", upd, "old_state");
	f_str(pg, "task_state", d, "task_state");
	f_str(pg, "power_state", d, "power_state");
	f_str(pg, "request_id", d, "request_id");
	pg->prefix = "payload.flavor.";
	f_str(pg, "flavor_id", fl, "flavorid");
	f_str(pg, "flavor_name", fl, "name");
	f_int(pg, "vcpus", fl, "vcpus");
	f_int(pg, "ram_mb", fl, "memory_mb");
	f_int(pg, "disk_gb", fl, "root_gb");
	f_int(pg, "ephemeral_gb", fl, "ephemeral_gb");
	pg->prefix = NULL;
	gpu_from_specs(pg, json_get(fl, "extra_specs"), &g);
	write_gpu(&g);
	pg->prefix = "payload.";
	f_str(pg, "host", d, "host");
	f_str(pg, "availability_zone", d, "availability_zone");
	f_time(pg, "created_at", d, "created_at");
	f_time(pg, "launched_at", d, "launched_at");
	f_time(pg, "terminated_at", d, "terminated_at");
	f_time(pg, "deleted_at", d, "deleted_at");
	f_time(pg, "audit_period_beginning", audit, "audit_period_beginning");
	f_time(pg, "audit_period_ending", audit, "audit_period_ending");
	pg->prefix = NULL;
}

/* An oslo.messaging v2 envelope carries the message as a JSON string. */
static const struct json_value *
unwrap_oslo(struct page *pg, const struct json_value *body)
{
	const struct json_value *s = json_get(body, "oslo.message");
	const struct json_value *m;

	if (s == NULL)
		return body;
	if (s->type != JSON_STRING) {
		field_fail(pg, "not a string", "oslo.message", s);
		return NULL;
	}
	m = json_parse(G.inner, s->u.text, s->len);
	if (m == NULL || m->type != JSON_OBJECT) {
		page_fail(pg, "bad JSON in field \"oslo.message\": %s",
		    m == NULL ? json_parser_error(G.inner) : "not an object");
		return NULL;
	}
	return m;
}

static void
body_notification(struct page *pg, const struct json_value *body)
{
	const struct json_value *msg = unwrap_oslo(pg, body);
	const struct json_value *et, *mid, *data;
	char action[64], phase[16], hex[SHA256_HEX_LEN];
	int is_instance;

	if (msg == NULL)
		return;
	et = json_get(msg, "event_type");
	if (et == NULL || et->type != JSON_STRING || et->len == 0) {
		field_fail(pg, "no event type", "event_type", et);
		return;
	}
	data = ovo_data(json_get(msg, "payload"));
	is_instance = strncmp(et->u.text, "instance.", 9) == 0 &&
	    json_get(data, "uuid") != NULL;
	mid = json_get(msg, "message_id");
	if (mid != NULL && mid->type == JSON_STRING && mid->len > 0)
		record_begin(pg, "event", mid->u.text, mid->len);
	else {
		struct sha256 h;

		sha256_init(&h);
		hash_value(&h, msg);
		sha256_final_hex(&h, hex);
		record_begin(pg, "event", hex, strlen(hex));
	}
	jw_key(&G.out, "event_type");
	jw_string(&G.out, et->u.text, et->len);
	f_time(pg, "generated", msg, "timestamp");
	f_str(pg, "publisher_id", msg, "publisher_id");
	f_str(pg, "priority", msg, "priority");
	event_action(et->u.text, action, sizeof(action), phase, sizeof(phase));
	jw_kv_string(&G.out, "action", action[0] != '\0' ? action : NULL);
	jw_kv_string(&G.out, "phase", phase[0] != '\0' ? phase : NULL);
	event_instance(pg, data, is_instance);
	record_end();
}

/* ---- pages --------------------------------------------------------- */

struct handler {
	const char	*service, *resource;
	const char	*list_key, *one_key;	/* "servers", "server" */
	void		(*item)(struct page *, const struct json_value *);
	void		(*body)(struct page *, const struct json_value *);
};

static const struct handler handlers[] = {
	{ "identity", "domains", "domains", "domain", do_domain, NULL },
	{ "identity", "projects", "projects", "project", do_project, NULL },
	{ "identity", "users", "users", "user", do_user, NULL },
	{ "identity", "role_assignments", "role_assignments", NULL,
	    do_role_assignment, NULL },
	{ "identity", "regions", "regions", "region", do_region, NULL },
	{ "compute", "flavors", "flavors", "flavor", do_flavor, NULL },
	{ "compute", "servers", "servers", "server", do_server, NULL },
	{ "compute", "instance_actions", "instanceActions", NULL,
	    do_instance_action, NULL },
	{ "compute", "instance_action", NULL, "instanceAction",
	    do_instance_action, NULL },
	{ "compute", "tenant_usage", "tenant_usages", "tenant_usage",
	    do_tenant_usage, NULL },
	{ "compute", "hypervisors", "hypervisors", "hypervisor",
	    do_hypervisor, NULL },
	{ "network", "networks", "networks", "network", do_network, NULL },
	{ "network", "subnets", "subnets", "subnet", do_subnet, NULL },
	{ "network", "routers", "routers", "router", do_router, NULL },
	{ "network", "floatingips", "floatingips", "floatingip",
	    do_floatingip, NULL },
	{ "network", "ports", "ports", "port", do_port, NULL },
	{ "block-storage", "volumes", "volumes", "volume", do_volume, NULL },
	{ "block-storage", "snapshots", "snapshots", "snapshot", do_snapshot,
	    NULL },
	{ "block-storage", "types", "volume_types", "volume_type",
	    do_volume_type, NULL },
	{ "block-storage", "attachments", "attachments", "attachment",
	    do_attachment, NULL },
	{ "notification", "versioned", NULL, NULL, NULL, body_notification },
};

static const struct handler *
find_handler(const char *service, const char *resource)
{
	size_t i;

	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].service, service) == 0 &&
		    strcmp(handlers[i].resource, resource) == 0)
			return &handlers[i];
	return NULL;
}

/* List body ({"servers": [...]}) or a single object ({"server": {...}}). */
static void
walk_body(struct page *pg, const struct handler *h,
    const struct json_value *body)
{
	const struct json_value *list = NULL, *one = NULL;
	size_t i;

	if (h->list_key != NULL)
		list = json_get(body, h->list_key);
	if (list == NULL && h->one_key != NULL)
		one = json_get(body, h->one_key);
	if (list != NULL) {
		pg->list = h->list_key;
		if (list->type != JSON_ARRAY) {
			pg->index = (size_t)-1;
			pg->list = NULL;
			page_fail(pg, "\"%s\" is not an array", h->list_key);
			return;
		}
		for (i = 0; i < list->len; i++) {
			pg->index = i;
			if (list->u.items[i].type != JSON_OBJECT)
				page_fail(pg, "item is a JSON %s, not an "
				    "object", json_type_name(
				    list->u.items[i].type));
			else
				h->item(pg, &list->u.items[i]);
		}
	} else if (one != NULL) {
		pg->list = h->one_key;
		pg->index = (size_t)-1;
		if (one->type != JSON_OBJECT) {
			pg->list = NULL;
			page_fail(pg, "\"%s\" is not an object", h->one_key);
			return;
		}
		h->item(pg, one);
	} else if (h->list_key != NULL && h->one_key != NULL)
		page_fail(pg, "body has neither \"%s\" nor \"%s\"",
		    h->list_key, h->one_key);
	else
		page_fail(pg, "body has no \"%s\"",
		    h->list_key != NULL ? h->list_key : h->one_key);
	pg->list = NULL;
}

/* A page of a service or resource not known here goes through as it is,
 * reported once per kind so that a nightly run is not flooded. */
static void
unknown_page(struct rec_reader *r, const char *service, const char *resource)
{
	char kind[256];
	size_t i, len;
	const char *line;

	snprintf(kind, sizeof(kind), "%s/%s", service, resource);
	for (i = 0; i < G.nunknown; i++)
		if (strcmp(G.unknown[i], kind) == 0)
			break;
	if (i == G.nunknown && G.nunknown < MAX_UNKNOWN) {
		G.unknown[G.nunknown++] = moc_xstrdup(kind);
		moc_warn("%s: page %s: unknown service or resource, passed "
		    "through unchanged (further pages of it not reported)",
		    rec_where(r), kind);
	}
	line = rec_line(r, &len);
	jw_raw_line(&G.out, line, len);
}

/* Check the envelope; NULL on success, else the offending field. */
static const char *
envelope(struct page *pg, const struct json_value *rec, const char **why,
    const struct json_value **bad)
{
	const struct json_value *v;
	struct run *run;

	*why = "missing";
	pg->service = json_get_string(rec, "service");
	pg->resource = json_get_string(rec, "resource");
	if (pg->service == NULL) {
		*bad = json_get(rec, "service");
		return "service";
	}
	if (pg->resource == NULL) {
		*bad = json_get(rec, "resource");
		return "resource";
	}
	pg->run_id = json_get_string(rec, "run_id");
	pg->region = json_get_string(rec, "region");
	run = run_find(pg->run_id, 0);
	if (pg->run_id == NULL && run != NULL)
		pg->run_id = run->id;
	if (pg->region == NULL && run != NULL)
		pg->region = run->region;
	v = json_get(rec, "fetched_at");
	*bad = v;
	if (v == NULL || v->type != JSON_STRING ||
	    rtime_parse(v->u.text, v->len, &pg->observed) == -1) {
		*why = v == NULL ? "missing" : "bad timestamp";
		return "fetched_at";
	}
	return NULL;
}

static void
do_page(struct rec_reader *r, const struct json_value *rec)
{
	struct page pg;
	const struct handler *h;
	const struct json_value *body, *status, *bad;
	const char *field, *why;
	int64_t st;

	memset(&pg, 0, sizeof(pg));
	pg.r = r;
	pg.env = rec;
	pg.service = "?";
	pg.resource = "?";
	pg.index = (size_t)-1;
	field = envelope(&pg, rec, &why, &bad);
	if (field != NULL && (strcmp(field, "service") == 0 ||
	    strcmp(field, "resource") == 0)) {
		if (pg.service == NULL)
			pg.service = "?";
		if (pg.resource == NULL)
			pg.resource = "?";
		field_fail(&pg, "not a string", field, bad);
		return;
	}
	h = find_handler(pg.service, pg.resource);
	if (h == NULL) {
		unknown_page(r, pg.service, pg.resource);
		return;
	}
	if (field != NULL) {
		field_fail(&pg, why, field, bad);
		return;
	}
	status = json_get(rec, "status");
	if (json_int64(status, &st) == -1) {
		field_fail(&pg, "bad HTTP status", "status", status);
		return;
	}
	if (st < 200 || st > 299) {
		/* An error page carries no facts, and its listing is not
		 * complete. */
		page_fail(&pg, "HTTP status %" PRId64 " in field \"status\", "
		    "page skipped", st);
		return;
	}
	body = json_get(rec, "body");
	if (body == NULL || body->type != JSON_OBJECT) {
		field_fail(&pg, "not an object", "body", body);
		return;
	}
	if (h->body != NULL)
		h->body(&pg, body);
	else
		walk_body(&pg, h, body);
}

/* ---- the run bracket ----------------------------------------------- */

static void
do_run_start(struct rec_reader *r, const struct json_value *rec)
{
	const char *id = json_get_string(rec, "run_id");
	const char *region = json_get_string(rec, "region");
	struct run *run;
	size_t len;
	const char *line;

	if (id != NULL) {
		run = run_find(id, 1);
		free(run->region);
		run->region = region != NULL ? moc_xstrdup(region) : NULL;
		G.open_run = run;
	} else
		moc_warn("%s: run_start without a \"run_id\"", rec_where(r));
	line = rec_line(r, &len);
	jw_raw_line(&G.out, line, len);
}

/* A run_end is passed as it is, unless pages of its run were lost: then
 * "complete" is false and the reasons are added. */
static void
do_run_end(struct rec_reader *r, const struct json_value *rec)
{
	const char *id = json_get_string(rec, "run_id");
	struct run *run = id != NULL ? run_find(id, 0) : G.open_run;
	size_t i, len;
	const char *line;

	if (run == NULL || run->failures == 0) {
		line = rec_line(r, &len);
		jw_raw_line(&G.out, line, len);
		if (run != NULL)
			run_drop(run);
		return;
	}
	jw_object_begin(&G.out);
	for (i = 0; i < rec->len; i++) {
		const struct json_member *m = &rec->u.members[i];

		if (strcmp(m->key, "complete") == 0 ||
		    strcmp(m->key, "normalize_errors") == 0 ||
		    strcmp(m->key, "normalize_failed") == 0)
			continue;
		jw_keyn(&G.out, m->key, m->keylen);
		jw_value(&G.out, &m->value);
	}
	jw_key(&G.out, "complete");
	jw_bool(&G.out, 0);
	jw_kv_int(&G.out, "normalize_errors", (int64_t)run->failures);
	jw_key(&G.out, "normalize_failed");
	jw_array_begin(&G.out);
	for (i = 0; i < run->nreasons; i++)
		jw_cstring(&G.out, run->reasons[i]);
	jw_array_end(&G.out);
	record_end();
	run_drop(run);
}

/* ---- main loop ----------------------------------------------------- */

static void
process(struct rec_reader *r)
{
	const struct json_value *rec;
	enum rec_status st;
	const char *type, *line;
	size_t len;
	char msg[MSG_MAX];

	while ((st = rec_next(r, &rec)) != REC_EOF) {
		if (st != REC_OK) {
			/* yajl ends some messages with a full stop. */
			const char *e = rec_error(r);
			int n = (int)strlen(e);

			if (n > 0 && e[n - 1] == '.')
				n--;
			snprintf(msg, sizeof(msg), "%s: %.*s; line skipped",
			    rec_where(r), n, e);
			lose(NULL, msg);
			continue;
		}
		type = rec_type(rec);
		if (type != NULL && strcmp(type, "page") == 0)
			do_page(r, rec);
		else if (type != NULL && strcmp(type, "run_start") == 0)
			do_run_start(r, rec);
		else if (type != NULL && strcmp(type, "run_end") == 0)
			do_run_end(r, rec);
		else {
			/* Records of other kinds are not ours to judge. */
			line = rec_line(r, &len);
			jw_raw_line(&G.out, line, len);
		}
	}
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: os-normalize [OPTION]... [FILE]...\n"
	    "Turn raw OpenStack API pages (os-fetch output) into normalized "
	    "records.\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "\n"
	    "  -m, --max-record-size=SIZE  longest input line accepted "
	    "(default 64M;\n"
	    "                              K, M, G suffixes)\n"
	    "  -s, --strict                any skipped line, page or item is "
	    "fatal\n"
	    "  -h, --help                  show this help and exit\n"
	    "  -V, --version               show the version and exit\n"
	    "\n"
	    "Exit status: 0 all normalized, 1 something skipped or failed, "
	    "2 usage error.\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",		no_argument,		NULL, 'h' },
		{ "max-record-size",	required_argument,	NULL, 'm' },
		{ "strict",		no_argument,		NULL, 's' },
		{ "version",		no_argument,		NULL, 'V' },
		{ NULL,			0,			NULL, 0 }
	};
	int c, i, nfiles, *fds;
	size_t j;

	moc_setprogname(argv[0]);
	setlocale(LC_CTYPE, "");
	G.max_len = REC_DEFAULT_MAX;
	while ((c = getopt_long(argc, argv, "hm:sV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			moc_close_stdout();
			return EXIT_OK;
		case 'm':
			if (moc_parse_size(optarg, &G.max_len) == -1 ||
			    G.max_len == 0)
				moc_usage_error("bad record size: '%s'",
				    optarg);
			break;
		case 's':
			G.strict = 1;
			break;
		case 'V':
			moc_print_version();
		default:
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", moc_progname());
			return EXIT_USAGE;
		}
	}

	/* Open every input first, so a mistyped name costs no output. */
	nfiles = argc - optind;
	fds = moc_xcalloc(nfiles > 0 ? (size_t)nfiles : 1, sizeof(*fds));
	for (i = 0; i < nfiles; i++) {
		const char *name = argv[optind + i];

		if (strcmp(name, "-") == 0)
			fds[i] = STDIN_FILENO;
		else if ((fds[i] = open(name, O_RDONLY)) == -1)
			moc_die_sys(EXIT_USAGE, "%s", name);
	}

	jw_init(&G.out, stdout, NULL);
	G.inner = json_parser_new();
	if (nfiles == 0) {
		struct rec_reader *r = rec_open(STDIN_FILENO, "<stdin>",
		    G.max_len);
		process(r);
		rec_close(r);
	}
	for (i = 0; i < nfiles; i++) {
		const char *name = argv[optind + i];
		struct rec_reader *r = rec_open(fds[i], strcmp(name, "-") == 0 ?
		    "<stdin>" : name, G.max_len);

		process(r);
		rec_close(r);
		if (fds[i] != STDIN_FILENO)
			close(fds[i]);
	}
	jw_flush(&G.out);
	jw_free(&G.out);
	json_parser_free(G.inner);
	while (G.runs != NULL)
		run_drop(G.runs);
	for (j = 0; j < G.nunknown; j++)
		free(G.unknown[j]);
	free(fds);
	moc_close_stdout();
	if (G.skipped > 0) {
		moc_warn("%lu line(s), page(s) or item(s) skipped",
		    G.skipped);
		return EXIT_DATA;
	}
	return EXIT_OK;
}
