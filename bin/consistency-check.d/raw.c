/*
 * raw.c: the raw pages of a run (os-fetch's output, --raw) against the
 * records stored for it (collection_run.counts, as pg-load counts them:
 * records received per type).
 *
 * The objects of each page are counted the way os-normalize turns pages
 * into records: the items of the resource's list ("servers": [...]) or
 * its one object ("server": {...}); a volume's "attachments" give
 * volume_attachment records too; nova's tenant usage gives one record per
 * server usage.  Pages with an error status give none.  A run in the raw
 * pages without a collection_run is an error when it completed (pg-load
 * stores every complete run), a warning when it did not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cc.h"
#include "ua.h"
#include "util.h"

static const struct {
	const char	*resource, *type, *list, *one;
} res[] = {
	{ "identity/domains", "domain", "domains", "domain" },
	{ "identity/projects", "project", "projects", "project" },
	{ "identity/users", "user", "users", "user" },
	{ "identity/role_assignments", "role_assignment", "role_assignments",
	    NULL },
	{ "identity/regions", "region", "regions", "region" },
	{ "compute/flavors", "flavor", "flavors", "flavor" },
	{ "compute/servers", "instance", "servers", "server" },
	{ "compute/instance_actions", "instance_action", "instanceActions",
	    NULL },
	{ "compute/instance_action", "instance_action", NULL,
	    "instanceAction" },
	{ "compute/tenant_usage", "tenant_usage", "tenant_usages",
	    "tenant_usage" },
	{ "compute/hypervisors", "hypervisor", "hypervisors", "hypervisor" },
	{ "network/networks", "network", "networks", "network" },
	{ "network/subnets", "subnet", "subnets", "subnet" },
	{ "network/routers", "router", "routers", "router" },
	{ "network/floatingips", "floating_ip", "floatingips", "floatingip" },
	{ "network/ports", "port", "ports", "port" },
	{ "block-storage/volumes", "volume", "volumes", "volume" },
	{ "block-storage/snapshots", "snapshot", "snapshots", "snapshot" },
	{ "block-storage/types", "volume_type", "volume_types",
	    "volume_type" },
	{ "block-storage/attachments", "volume_attachment", "attachments",
	    "attachment" },
};
#define NRES	(sizeof(res) / sizeof(res[0]))

/* Counts per run and record type: key "run\x1ftype". */
struct count {
	char			*run, *type;
	unsigned long long	 raw, stored;
	int			 has_stored;
};
static struct count	*counts;
static size_t		 ncounts, capcounts;
static struct smap	 count_ix;

struct rawrun {
	char	*id;
	int	 ended, complete, stored;
};
static struct rawrun	*rruns;
static size_t		 nrruns, caprruns;
static struct smap	 rrun_ix, stored_ix;

static struct count *
count_of(const char *run, const char *type)
{
	char key[600];
	uint32_t ix;
	int n = snprintf(key, sizeof(key), "%s\x1f%s", run, type);

	if (n < 0 || (size_t)n >= sizeof(key))
		n = sizeof(key) - 1;
	if (smap_get(&count_ix, key, (size_t)n, &ix))
		return &counts[ix];
	counts = ua_grow(counts, &capcounts, ncounts, sizeof(*counts));
	memset(&counts[ncounts], 0, sizeof(*counts));
	counts[ncounts].run = moc_xstrdup(run);
	counts[ncounts].type = moc_xstrdup(type);
	smap_put(&count_ix, key, (size_t)n, (uint32_t)ncounts);
	return &counts[ncounts++];
}

static struct rawrun *
rawrun_of(const char *id)
{
	uint32_t ix;

	if (smap_get(&rrun_ix, id, strlen(id), &ix))
		return &rruns[ix];
	rruns = ua_grow(rruns, &caprruns, nrruns, sizeof(*rruns));
	memset(&rruns[nrruns], 0, sizeof(*rruns));
	rruns[nrruns].id = moc_xstrdup(id);
	smap_put(&rrun_ix, id, strlen(id), (uint32_t)nrruns);
	return &rruns[nrruns++];
}

/* collection_run records of the stream: what pg-load stored. */
void
raw_record(const struct json_value *rec, const char *type)
{
	const struct json_value *c;
	const char *run;
	size_t i;
	int64_t n;

	if (strcmp(type, "collection_run") != 0)
		return;
	run = cc_str_req(rec, "id");
	smap_put(&stored_ix, run, strlen(run), 1);
	if ((c = json_get(rec, "counts")) == NULL || c->type == JSON_NULL)
		return;
	if (c->type != JSON_OBJECT)
		cc_bad_field("counts", c, "not an object");
	for (i = 0; i < c->len; i++) {
		struct count *k;

		if (json_int64(&c->u.members[i].value, &n) == -1 || n < 0)
			cc_bad_field("counts", &c->u.members[i].value,
			    "not a count");
		k = count_of(run, c->u.members[i].key);
		k->stored += (unsigned long long)n;
		k->has_stored = 1;
	}
}

static size_t
objects(const struct json_value *v)
{
	size_t i, n = 0;

	if (v == NULL || v->type != JSON_ARRAY)
		return v != NULL && v->type == JSON_OBJECT;
	for (i = 0; i < v->len; i++)
		n += v->u.items[i].type == JSON_OBJECT;
	return n;
}

/* Server usages of a tenant_usage index (a list) or show (one). */
static size_t
server_usages(const struct json_value *v)
{
	size_t i, n = 0;

	if (v == NULL)
		return 0;
	if (v->type == JSON_OBJECT)
		return objects(json_get(v, "server_usages"));
	if (v->type != JSON_ARRAY)
		return 0;
	for (i = 0; i < v->len; i++)
		n += objects(json_get(&v->u.items[i], "server_usages"));
	return n;
}

/* Attachments inside a volume list or one volume. */
static size_t
attachments(const struct json_value *v)
{
	size_t i, n = 0;

	if (v == NULL)
		return 0;
	if (v->type == JSON_OBJECT)
		return objects(json_get(v, "attachments"));
	if (v->type != JSON_ARRAY)
		return 0;
	for (i = 0; i < v->len; i++)
		if (v->u.items[i].type == JSON_OBJECT)
			n += objects(json_get(&v->u.items[i], "attachments"));
	return n;
}

static void
page(const struct json_value *rec, const char *run)
{
	const char *svc = cc_str(rec, "service"), *rs = cc_str(rec,
	    "resource");
	const struct json_value *body = json_get(rec, "body"), *v = NULL;
	char name[300];
	int64_t status = 200;
	size_t i, n;

	if (svc == NULL || rs == NULL)
		return;
	if (json_present(json_get(rec, "status")) &&
	    json_int64(json_get(rec, "status"), &status) == -1)
		cc_bad_field("status", json_get(rec, "status"), "not a status");
	if (status >= 400 || body == NULL || body->type != JSON_OBJECT)
		return;
	snprintf(name, sizeof(name), "%s/%s", svc, rs);
	for (i = 0; i < NRES; i++)
		if (strcmp(res[i].resource, name) == 0)
			break;
	if (i == NRES)
		return;
	if (res[i].list != NULL)
		v = json_get(body, res[i].list);
	if (v == NULL && res[i].one != NULL)
		v = json_get(body, res[i].one);
	if (strcmp(res[i].type, "tenant_usage") == 0)
		n = server_usages(v);
	else
		n = objects(v);
	count_of(run, res[i].type)->raw += n;
	if (strcmp(res[i].type, "volume") == 0 &&
	    (n = attachments(v)) > 0)
		count_of(run, "volume_attachment")->raw += n;
}

static void
on_raw(const struct json_value *rec, const char *type, void *arg)
{
	const char *run;
	struct rawrun *r;

	(void)arg;
	if (strcmp(type, "run_start") == 0)
		rawrun_of(cc_str_req(rec, "run_id"));
	else if (strcmp(type, "page") == 0) {
		run = cc_str_req(rec, "run_id");
		rawrun_of(run);
		page(rec, run);
	} else if (strcmp(type, "run_end") == 0) {
		r = rawrun_of(cc_str_req(rec, "run_id"));
		r->ended = 1;
		r->complete = json_get(rec, "complete") != NULL &&
		    json_get(rec, "complete")->type == JSON_TRUE;
	}
}

/* A .gz file through gzip -dc; returns the reader's fd, *pid the child. */
static int
open_raw(pid_t *pid)
{
	size_t n = strlen(CO.raw);
	int fd, p[2];

	*pid = -1;
	if (strcmp(CO.raw, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(CO.raw, O_RDONLY)) == -1)
		moc_die_sys(EXIT_USAGE, "%s", CO.raw);
	if (n < 3 || strcmp(CO.raw + n - 3, ".gz") != 0)
		return fd;
	if (pipe(p) == -1 || (*pid = fork()) == -1)
		moc_die_sys(EXIT_DATA, "gzip");
	if (*pid == 0) {
		dup2(fd, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		close(fd);
		execlp("gzip", "gzip", "-dc", (char *)NULL);
		fprintf(stderr, "%s: gzip: %s\n", moc_progname(),
		    strerror(errno));
		_exit(127);
	}
	close(fd);
	close(p[1]);
	return p[0];
}

static void
read_raw(void)
{
	pid_t pid;
	int fd = open_raw(&pid), st;

	cc_read_records(fd, fd == STDIN_FILENO ? "<stdin>" : CO.raw, on_raw,
	    NULL);
	if (fd != STDIN_FILENO)
		close(fd);
	if (pid > 0 && (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0))
		moc_die(EXIT_USAGE, "%s: gzip -dc failed", CO.raw);
}

void
raw_run(void)
{
	char subject[300], e[32], a[32];
	size_t i, bad = 0, missing = 0;
	uint32_t v;

	read_raw();
	for (i = 0; i < nrruns; i++) {
		struct rawrun *r = &rruns[i];

		r->stored = smap_get(&stored_ix, r->id, strlen(r->id), &v);
		if (r->stored)
			continue;
		snprintf(subject, sizeof(subject), "run %s", r->id);
		cc_finding(CK_RAW, r->complete ? SEV_ERROR : SEV_WARNING,
		    subject, "a collection_run", "none",
		    r->complete ? "a complete run in the raw pages was not "
		    "stored" : "an incomplete run, not stored (as pg-load "
		    "does unless told to keep it)");
		missing += r->complete;
	}
	for (i = 0; i < ncounts; i++) {
		const struct count *k = &counts[i];

		if (!smap_get(&rrun_ix, k->run, strlen(k->run), &v) ||
		    !rruns[v].stored || k->raw == k->stored)
			continue;
		snprintf(subject, sizeof(subject), "run %s, %s", k->run,
		    k->type);
		snprintf(e, sizeof(e), "%llu", k->raw);
		snprintf(a, sizeof(a), "%llu", k->stored);
		cc_finding(CK_RAW, SEV_ERROR, subject, e, a, "objects in the "
		    "raw pages against records stored (collection_run.counts)");
		bad++;
	}
	cc_note(CK_RAW, "%zu run%s in the raw pages, %zu not stored, %zu "
	    "counts differ", nrruns, nrruns == 1 ? "" : "s", missing, bad);
}
