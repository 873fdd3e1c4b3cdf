/*
 * os-fetch: read an OpenStack cloud's usage facts through its REST APIs.
 *
 * Reads: clouds.yaml / secure.yaml / OS_* for the cloud and credentials,
 * then Keystone, Nova, Neutron and Cinder over HTTP (GET only, plus the
 * token POST).  Writes: raw page envelopes (moc-records(5)) on standard
 * output, one JSON object per line, bracketed by run_start and run_end.
 * Exit: 0 complete run; 1 incomplete run or runtime failure; 2 usage or
 * configuration error; 75 temporary failure (after every retry).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cloudconf.h"
#include "http.h"
#include "json.h"
#include "jsqueeze.h"
#include "jwrite.h"
#include "keystone.h"
#include "rtime.h"
#include "util.h"

#define DEFAULT_COMPUTE_MV "2.79"
#define DEFAULT_VOLUME_MV "3.50"
#define MAX_BODY ((size_t)512 * 1024 * 1024)
/* Servers may change while the last run read them: look back a little. */
#define STATE_MARGIN 300

enum svc { SVC_IDENTITY, SVC_COMPUTE, SVC_NETWORK, SVC_VOLUME, NSVC };

static const char *const svc_names[NSVC] = {
    "identity", "compute", "network", "block-storage"};
static const char *const identity_types[] = {"identity", NULL};
static const char *const compute_types[] = {"compute", NULL};
static const char *const network_types[] = {"network", NULL};
static const char *const volume_types[] = {
    "block-storage", "volumev3", "volume", NULL};
static const char *const *const svc_types[NSVC] = {
    identity_types, compute_types, network_types, volume_types};

enum rflag {
	R_PAGED = 1,   /* takes limit=N and pages */
	R_DEFAULT = 2, /* in the default selection */
	R_IMPLIED = 4, /* selected with the one before it */
	R_WINDOW = 8   /* needs --since and --until */
};

struct rdef {
	const char *name; /* "compute/servers" */
	enum svc svc;
	const char *path; /* after the endpoint; NULL: per server */
	int flags;
};

enum { R_SERVERS = 6, R_ACTIONS = 7, R_ACTION = 8 };

static const struct rdef rdefs[] = {
    {"identity/domains", SVC_IDENTITY, "/domains", R_DEFAULT},
    {"identity/projects", SVC_IDENTITY, "/projects", R_DEFAULT},
    {"identity/users", SVC_IDENTITY, "/users", R_DEFAULT},
    {"identity/role_assignments", SVC_IDENTITY,
        "/role_assignments?include_names=1", R_DEFAULT},
    {"identity/regions", SVC_IDENTITY, "/regions", 0},
    {"compute/flavors", SVC_COMPUTE, "/flavors/detail?is_public=None",
        R_PAGED | R_DEFAULT},
    {"compute/servers", SVC_COMPUTE, "/servers/detail?all_tenants=1",
        R_PAGED | R_DEFAULT},
    {"compute/instance_actions", SVC_COMPUTE, NULL, R_PAGED | R_DEFAULT},
    {"compute/instance_action", SVC_COMPUTE, NULL, R_IMPLIED},
    {"compute/tenant_usage", SVC_COMPUTE, "/os-simple-tenant-usage?detailed=1",
        R_PAGED | R_WINDOW},
    {"compute/hypervisors", SVC_COMPUTE, "/os-hypervisors/detail", R_PAGED},
    {"network/networks", SVC_NETWORK, "/networks", R_PAGED | R_DEFAULT},
    {"network/subnets", SVC_NETWORK, "/subnets", R_PAGED | R_DEFAULT},
    {"network/routers", SVC_NETWORK, "/routers", R_PAGED | R_DEFAULT},
    {"network/floatingips", SVC_NETWORK, "/floatingips", R_PAGED | R_DEFAULT},
    {"network/ports", SVC_NETWORK, "/ports", R_PAGED | R_DEFAULT},
    {"block-storage/volumes", SVC_VOLUME, "/volumes/detail?all_tenants=1",
        R_PAGED | R_DEFAULT},
    {"block-storage/snapshots", SVC_VOLUME, "/snapshots/detail?all_tenants=1",
        R_PAGED | R_DEFAULT},
    {"block-storage/types", SVC_VOLUME, "/types?is_public=None", R_DEFAULT},
    {"block-storage/attachments", SVC_VOLUME, "/attachments?all_tenants=1",
        R_PAGED},
};
#define NRES (sizeof(rdefs) / sizeof(rdefs[0]))

/* What happened to one resource in this run. */
struct rstate {
	int selected;
	int failed;
	int temporary; /* every failure was a temporary one */
	long status;
	char *error;
	unsigned long failures;
	unsigned long pages;
};

/*
 * What os-fetch needs from a page, taken while the body is checked as it
 * arrives, without building the document: the "next" link (Keystone's
 * links.next, or the rel "next" of a "links" or "*_links" array), the ids
 * of servers or the request ids of instance actions, and Keystone's
 * "truncated".
 */
struct scan {
	int depth;
	int kind; /* of the current top-level member */
	int top_keys;
	int truncated;
	int has_servers;
	const char *item_key; /* "id", "request_id" or NULL */
	char key[32];         /* the current key below the top */
	char *rel, *href, *next;
	char **ids;
	size_t nids, capids;
};

enum jkind { J_TOKEN, J_PAGE };

struct job {
	enum jkind kind;
	int res; /* index into rdefs */
	unsigned page;
	char *server_id;
	char *request_id;
	int changes; /* the changes-since server listing */
	struct job *next_parked;
	struct http_req *req;
	struct scan sc;  /* what the body said, as it came */
	struct jsq *jsq; /* its check */
};

static struct {
	/* options */
	const char *os_cloud, *region_opt, *interface_opt, *cacert;
	const char *state_file;
	const char *compute_mv, *volume_mv;
	int insecure, verbose, progress;
	long long page_size, parallel, retries;
	size_t spool_size;
	int64_t timeout_s;
	int64_t since, until, changes_since;
	int have_window, have_changes;

	/* the run */
	struct cloudconf conf;
	struct http_client *http;
	struct json_parser *json;
	struct jw out;
	struct rstate rs[NRES];
	char *endpoint[NSVC];
	char *region;
	char run_id[64];
	int64_t started_at;
	int64_t clock_shift; /* --now minus the real clock */
	int authenticated;   /* the first token came */
	int reauth_used;
	int reauth_pending;
	struct job *parked; /* waiting for a new token */
	char **waiting;     /* servers whose actions are to read */
	size_t nwaiting, nextwaiting, capwaiting;
	unsigned long pages;
	int64_t last_tick;
	int tick_shown;
} g;

static void
usage(void)
{
	printf(
	    "Usage: %s [OPTION]...\n"
	    "Read an OpenStack cloud's usage facts (GET only) and write raw "
	    "page\n"
	    "envelopes, one JSON object per line, between run_start and "
	    "run_end.\n"
	    "\n"
	    "  --os-cloud NAME          cloud in clouds.yaml (default: "
	    "$OS_CLOUD)\n"
	    "  --os-region-name REGION  region (default: region_name, "
	    "$OS_REGION_NAME)\n"
	    "  --os-interface IFACE     endpoint interface: public, internal, "
	    "admin\n"
	    "  --os-compute-api-version V  Nova microversion "
	    "(default " DEFAULT_COMPUTE_MV ")\n"
	    "  --os-volume-api-version V   Cinder microversion "
	    "(default " DEFAULT_VOLUME_MV ")\n"
	    "  --cacert FILE            CA bundle to verify TLS with\n"
	    "  --insecure               do not verify TLS certificates "
	    "(unsafe)\n"
	    "  -r, --resources LIST     comma-separated resources or services "
	    "to read\n"
	    "  --since TIME             start of the os-simple-tenant-usage "
	    "window\n"
	    "  --until TIME             end of that window\n"
	    "  --spool-size SIZE        keep larger bodies on disk (default "
	    "4M)\n"
	    "  --state FILE             remember the last complete run for "
	    "changes-since\n"
	    "  --changes-since TIME     servers changed since TIME (overrides "
	    "--state)\n"
	    "  --now TIME               stamp the run as if the clock read "
	    "TIME\n"
	    "  --page-size N            items per page asked for (default "
	    "1000)\n"
	    "  -j, --parallel N         requests in flight at most (default "
	    "8)\n"
	    "  --retries N              retries of a failed request (default "
	    "5)\n"
	    "  --timeout SECONDS        limit for one request (default 60)\n"
	    "  -v, --verbose            one line on standard error per "
	    "request\n"
	    "  -q, --quiet              no progress line, even on a terminal\n"
	    "  -h, --help               show this help and exit\n"
	    "  -V, --version            show the version and exit\n"
	    "\n"
	    "Resources: "
	    "identity/{domains,projects,users,role_assignments,regions},\n"
	    "compute/"
	    "{flavors,servers,instance_actions,tenant_usage,hypervisors},\n"
	    "network/{networks,subnets,routers,floatingips,ports},\n"
	    "block-storage/{volumes,snapshots,types,attachments}.\n"
	    "Passwords and secrets come from clouds.yaml, secure.yaml or OS_*\n"
	    "variables, never from the command line.\n"
	    "Exit status: 0 complete run, 1 incomplete run or error, 2 usage "
	    "or\n"
	    "configuration error, 75 temporary failure (try again later).\n",
	    moc_progname());
	moc_close_stdout();
	exit(EXIT_OK);
}

/* ---------------------------------------------------------------- */
/* Resource selection. */

static int
select_word(const char *w)
{
	size_t i, n = strlen(w);
	int hit = 0;

	for (i = 0; i < NRES; i++) {
		const char *name = rdefs[i].name;
		int whole = strcmp(name, w) == 0;
		int service = strncmp(name, w, n) == 0 && name[n] == '/' &&
		    ((rdefs[i].flags & R_DEFAULT) ||
		        ((rdefs[i].flags & R_WINDOW) && g.have_window));
		if (rdefs[i].flags & R_IMPLIED)
			continue;
		if (whole || service) {
			g.rs[i].selected = 1;
			hit = 1;
		}
	}
	return hit;
}

static void
select_resources(const char *list)
{
	size_t i;

	if (list == NULL) {
		for (i = 0; i < NRES; i++)
			g.rs[i].selected = (rdefs[i].flags & R_DEFAULT) ||
			    ((rdefs[i].flags & R_WINDOW) && g.have_window);
	} else {
		char *copy = moc_xstrdup(list), *save = NULL, *w;

		for (w = strtok_r(copy, ", ", &save); w != NULL;
		     w = strtok_r(NULL, ", ", &save))
			if (!select_word(w))
				moc_usage_error("unknown resource \"%s\"", w);
		free(copy);
	}
	g.rs[R_ACTION].selected = g.rs[R_ACTIONS].selected;
	if (g.rs[R_ACTIONS].selected && !g.rs[R_SERVERS].selected)
		moc_usage_error(
		    "compute/instance_actions needs "
		    "compute/servers (the servers to read them for)");
	for (i = 0; i < NRES; i++)
		if (g.rs[i].selected && (rdefs[i].flags & R_WINDOW) &&
		    !g.have_window)
			moc_usage_error(
			    "%s needs --since and --until", rdefs[i].name);
}

/* ---------------------------------------------------------------- */
/* Output. */

/*
 * The collector's clock, moved to --now when given: a replay of a recorded
 * or simulated cloud stamps its pages with the instant it stands for.
 */
static int64_t
clock_now(void)
{
	return (int64_t)time(NULL) + g.clock_shift;
}

static void
now_text(char buf[RTIME_BUFSIZE])
{
	rtime_format(clock_now(), buf);
}

static void
write_run_start(void)
{
	size_t i;

	jw_object_begin(&g.out);
	jw_kv_string(&g.out, "type", "run_start");
	jw_kv_string(&g.out, "run_id", g.run_id);
	jw_kv_string(&g.out, "source", "openstack");
	jw_kv_string(&g.out, "cloud", g.conf.cloud);
	jw_kv_string(&g.out, "region", g.region);
	jw_kv_time(&g.out, "started_at", g.started_at);
	jw_key(&g.out, "resources");
	jw_array_begin(&g.out);
	for (i = 0; i < NRES; i++)
		if (g.rs[i].selected)
			jw_cstring(&g.out, rdefs[i].name);
	jw_array_end(&g.out);
	if (g.have_window) {
		jw_kv_time(&g.out, "since", g.since);
		jw_kv_time(&g.out, "until", g.until);
	}
	if (g.have_changes)
		jw_kv_time(&g.out, "changes_since", g.changes_since);
	jw_object_end(&g.out);
	jw_end_record(&g.out);
	jw_flush(&g.out);
}

static int
run_complete(void)
{
	size_t i;

	for (i = 0; i < NRES; i++)
		if (g.rs[i].selected && g.rs[i].failed)
			return 0;
	return 1;
}

static void
write_run_end(void)
{
	char buf[RTIME_BUFSIZE];
	size_t i;

	now_text(buf);
	jw_object_begin(&g.out);
	jw_kv_string(&g.out, "type", "run_end");
	jw_kv_string(&g.out, "run_id", g.run_id);
	jw_kv_string(&g.out, "ended_at", buf);
	jw_key(&g.out, "complete");
	jw_bool(&g.out, run_complete());
	jw_kv_int(&g.out, "pages", (int64_t)g.pages);
	jw_key(&g.out, "failed");
	jw_array_begin(&g.out);
	for (i = 0; i < NRES; i++) {
		struct rstate *s = &g.rs[i];
		if (!s->selected || !s->failed)
			continue;
		jw_object_begin(&g.out);
		jw_kv_string(&g.out, "resource", rdefs[i].name);
		jw_key(&g.out, "status");
		if (s->status > 0)
			jw_int(&g.out, s->status);
		else
			jw_null(&g.out);
		jw_kv_string(&g.out, "error", s->error);
		jw_kv_int(&g.out, "failures", (int64_t)s->failures);
		jw_object_end(&g.out);
	}
	jw_array_end(&g.out);
	jw_object_end(&g.out);
	jw_end_record(&g.out);
	jw_flush(&g.out);
}

/* "compute 2.79" from the answer, else what was asked for. */
static const char *
microversion(const struct job *j, const struct http_req *r)
{
	const char *v = r->api_version;

	if (v != NULL) {
		const char *sp = strrchr(v, ' ');
		return sp != NULL ? sp + 1 : v;
	}
	if (rdefs[j->res].svc == SVC_COMPUTE)
		return g.compute_mv;
	if (rdefs[j->res].svc == SVC_VOLUME)
		return g.volume_mv;
	return NULL;
}

static void
write_context(const struct job *j)
{
	if (j->server_id == NULL && !j->changes &&
	    !(rdefs[j->res].flags & R_WINDOW))
		return;
	jw_key(&g.out, "context");
	jw_object_begin(&g.out);
	if (j->server_id != NULL)
		jw_kv_string(&g.out, "server_id", j->server_id);
	if (j->request_id != NULL)
		jw_kv_string(&g.out, "request_id", j->request_id);
	if (j->changes)
		jw_kv_time(&g.out, "changes_since", g.changes_since);
	if (rdefs[j->res].flags & R_WINDOW) {
		jw_kv_time(&g.out, "start", g.since);
		jw_kv_time(&g.out, "end", g.until);
	}
	jw_object_end(&g.out);
}

static int
write_chunk(char *buf, size_t n, void *arg)
{
	(void)arg;
	if (fwrite(buf, 1, n, stdout) != n)
		moc_die_sys(EXIT_DATA, "write error on standard output");
	return 0;
}

/* A page's envelope up to its body, which the caller writes next. */
static void
page_head(const struct job *j, struct http_req *r)
{
	char buf[RTIME_BUFSIZE];
	const char *slash = strchr(rdefs[j->res].name, '/');
	const char *mv = microversion(j, r);

	now_text(buf);
	jw_object_begin(&g.out);
	jw_kv_string(&g.out, "type", "page");
	jw_kv_string(&g.out, "run_id", g.run_id);
	jw_kv_string(&g.out, "service", svc_names[rdefs[j->res].svc]);
	jw_kv_string(&g.out, "resource", slash + 1);
	jw_kv_string(&g.out, "region", g.region);
	jw_kv_string(&g.out, "method", "GET");
	jw_kv_string(&g.out, "url", r->url);
	jw_kv_int(&g.out, "status", r->status);
	if (mv != NULL)
		jw_kv_string(&g.out, "microversion", mv);
	jw_kv_string(&g.out, "fetched_at", buf);
	jw_kv_int(&g.out, "page", j->page);
	write_context(j);
	jw_key(&g.out, "body");
}

static void
page_tail(const struct job *j)
{
	jw_object_end(&g.out);
	jw_end_record(&g.out);
	g.pages++;
	g.rs[j->res].pages++;
}

/* JSON text that follows a key, written as it is. */
static void
raw_value_begin(void)
{
	/* An empty value closes the key; the text follows it. */
	jw_number_text(&g.out, "", 0);
	jw_flush(&g.out);
}

/*
 * A checked body, already without the whitespace between its tokens (a
 * page is one line): it goes out as kept, straight from the answer's
 * buffer or temporary file, so a large page is never copied in memory or
 * read back into it.
 */
static void
write_page(const struct job *j, struct http_req *r)
{
	page_head(j, r);
	raw_value_begin();
	if (fflush(stdout) != 0 || http_body_write(r, STDOUT_FILENO) != 0)
		moc_die_sys(EXIT_DATA, "write error on standard output");
	page_tail(j);
}

/* ---------------------------------------------------------------- */
/* Progress and messages. */

static void
clear_progress(void)
{
	if (g.tick_shown) {
		fputs("\r\033[K", stderr);
		g.tick_shown = 0;
	}
}

static void feed_actions(struct http_client *);

static void
tick(struct http_client *c, void *arg)
{
	struct http_stats st;
	int64_t now = http_now_ms();

	(void)arg;
	feed_actions(c);
	if (!g.progress || now - g.last_tick < 200)
		return;
	g.last_tick = now;
	http_stats(c, &st);
	fprintf(stderr,
	    "\r%s: %lu pages, %lu requests, %lu in flight, "
	    "%lu queued, %lu retries, %.1f MB\033[K",
	    moc_progname(), g.pages, st.requests, st.in_flight, st.queued,
	    st.retries, (double)st.bytes / 1e6);
	g.tick_shown = 1;
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
warn(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	clear_progress();
	moc_warn("%s", buf);
}

/* ---------------------------------------------------------------- */
/* Reading a page as it arrives. */

enum { K_OTHER, K_LINKS, K_ITEMS, K_TRUNCATED };

static void
scan_reset_item(struct scan *sc)
{
	free(sc->rel);
	free(sc->href);
	sc->rel = sc->href = NULL;
}

static void
scan_free(struct scan *sc)
{
	size_t i;

	scan_reset_item(sc);
	free(sc->next);
	for (i = 0; i < sc->nids; i++)
		free(sc->ids[i]);
	free(sc->ids);
	memset(sc, 0, sizeof(*sc));
}

static int
key_is(const struct scan *sc, const char *k)
{
	return strcmp(sc->key, k) == 0;
}

/* The string value beginning is one to keep: a link or an item's id. */
static int
scan_want(void *ctx)
{
	const struct scan *sc = ctx;

	if (sc->kind == K_LINKS)
		return (sc->depth == 2 && key_is(sc, "next")) ||
		    (sc->depth == 3 &&
		        (key_is(sc, "rel") || key_is(sc, "href")));
	return sc->kind == K_ITEMS && sc->depth == 3 &&
	    key_is(sc, sc->item_key);
}

static void
scan_string(void *ctx, const char *v, size_t len)
{
	struct scan *sc = ctx;
	char **slot = NULL;

	if (sc->kind == K_LINKS) {
		if (sc->depth == 2)
			slot = &sc->next;
		else if (key_is(sc, "rel"))
			slot = &sc->rel;
		else
			slot = &sc->href;
	} else {
		if (sc->nids == sc->capids) {
			sc->capids = sc->capids ? sc->capids * 2 : 64;
			sc->ids = moc_xrealloc(
			    sc->ids, sc->capids * sizeof(*sc->ids));
		}
		sc->ids[sc->nids++] = moc_xstrndup(v, len);
	}
	if (slot != NULL) {
		free(*slot);
		*slot = moc_xstrndup(v, len);
	}
	sc->key[0] = '\0';
}

static void
scan_scalar(void *ctx, enum jsq_scalar kind)
{
	struct scan *sc = ctx;

	if (sc->depth == 1 && sc->kind == K_TRUNCATED && kind == JSQ_TRUE)
		sc->truncated = 1;
	sc->key[0] = '\0';
}

/*
 * What is inside a container that holds nothing os-fetch reads (a member
 * of the top object other than the links and the listed items; inside an
 * item or a link) is only checked and copied, not reported.
 */
static int
scan_start(void *ctx)
{
	struct scan *sc = ctx;

	sc->depth++;
	sc->key[0] = '\0';
	if (sc->depth == 3 && sc->kind == K_LINKS)
		scan_reset_item(sc);
	return sc->depth >= 4 || (sc->depth >= 2 && sc->kind == K_OTHER);
}

static void
scan_end_map(void *ctx)
{
	struct scan *sc = ctx;

	/* The end of one {"rel": ..., "href": ...} of a links array. */
	if (sc->depth == 3 && sc->kind == K_LINKS && sc->rel != NULL &&
	    sc->href != NULL && strcmp(sc->rel, "next") == 0) {
		free(sc->next);
		sc->next = sc->href;
		sc->href = NULL;
	}
	sc->depth--;
}

static void
scan_end_array(void *ctx)
{
	struct scan *sc = ctx;

	sc->depth--;
}

static int
ends_with_links(const char *k, size_t len)
{
	return (len == 5 && memcmp(k, "links", 5) == 0) ||
	    (len > 6 && memcmp(k + len - 6, "_links", 6) == 0);
}

static void
scan_key(void *ctx, const char *k, size_t len)
{
	struct scan *sc = ctx;

	if (sc->depth == 1) {
		sc->top_keys++;
		sc->kind = K_OTHER;
		if (ends_with_links(k, len))
			sc->kind = K_LINKS;
		else if (len == 9 && memcmp(k, "truncated", 9) == 0)
			sc->kind = K_TRUNCATED;
		else if (len == 7 && memcmp(k, "servers", 7) == 0) {
			sc->has_servers = 1;
			if (sc->item_key != NULL)
				sc->kind = K_ITEMS;
		} else if (len == 15 && memcmp(k, "instanceActions", 15) == 0 &&
		    sc->item_key != NULL)
			sc->kind = K_ITEMS;
		return;
	}
	if (len >= sizeof(sc->key))
		len = 0;
	memcpy(sc->key, k, len);
	sc->key[len] = '\0';
}

static const struct jsq_callbacks scan_callbacks = {scan_start, scan_end_map,
    scan_end_array, scan_key, scan_want, scan_string, scan_scalar};

static const char *item_key(const struct job *);

/* A new answer to the job's request: forget what an earlier one said. */
static void
body_begin(void *arg)
{
	struct job *j = arg;

	scan_free(&j->sc);
	j->sc.item_key = item_key(j);
	if (j->jsq == NULL)
		j->jsq = jsq_new(&scan_callbacks, &j->sc);
	else
		jsq_reset(j->jsq);
}

static size_t
body_piece(void *arg, const char *in, size_t n, char *out)
{
	struct job *j = arg;

	return jsq_feed(j->jsq, in, n, out);
}

/* Every 2xx body is checked, read and squeezed on its way in. */
static const struct http_filter body_filter = {body_begin, body_piece};

static const struct jsq_callbacks no_callbacks;

struct check_run {
	struct jsq *z;
	char *copy; /* where the squeezed text goes, or NULL: in place */
	size_t len;
};

static int
check_chunk(char *buf, size_t n, void *arg)
{
	struct check_run *cr = arg;
	char *out = cr->copy != NULL ? cr->copy + cr->len : buf;

	cr->len += jsq_feed(cr->z, buf, n, out);
	return 0;
}

static int
squeeze_chunk(char *buf, size_t n, void *arg)
{
	size_t k = jsq_feed(arg, buf, n, buf);

	return write_chunk(buf, k, NULL);
}

/*
 * An error page's body (kept as it came): as JSON when it is JSON, less
 * its whitespace, else as a string.  A body in memory is squeezed into a
 * copy; a spooled one is checked first, then squeezed a second time on its
 * way out.
 */
static void
write_error_page(const struct job *j, struct http_req *r)
{
	struct check_run cr;
	int json;

	cr.z = jsq_new(&no_callbacks, NULL);
	cr.copy = r->body != NULL ? moc_xmalloc(r->len + 1) : NULL;
	cr.len = 0;
	json =
	    http_body_chunks(r, check_chunk, &cr) == 0 && jsq_finish(cr.z) == 0;
	page_head(j, r);
	if (json && cr.copy != NULL) {
		raw_value_begin();
		write_chunk(cr.copy, cr.len, NULL);
	} else if (json) {
		raw_value_begin();
		jsq_reset(cr.z);
		if (http_body_chunks(r, squeeze_chunk, cr.z) != 0)
			moc_die_sys(EXIT_DATA, "cannot read a spooled body");
	} else if (r->body != NULL)
		jw_string(&g.out, r->body, r->len);
	else
		jw_cstring(&g.out, "(a large body that is not JSON)");
	page_tail(j);
	free(cr.copy);
	jsq_free(cr.z);
}

/* ---------------------------------------------------------------- */
/* Jobs. */

static void
job_free(struct job *j)
{
	if (j->req != NULL)
		http_req_free(j->req);
	free(j->server_id);
	free(j->request_id);
	scan_free(&j->sc);
	jsq_free(j->jsq);
	free(j);
}

static void fail(int res, long status, int temporary, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
fail(int res, long status, int temporary, const char *fmt, ...)
{
	struct rstate *s = &g.rs[res];
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->failures++;
	if (!s->failed) {
		s->failed = 1;
		s->temporary = temporary;
		s->status = status;
		s->error = moc_xstrdup(buf);
		warn("%s: %s", rdefs[res].name, buf);
	} else if (!temporary)
		s->temporary = 0;
}

static const char *
version_header(enum svc svc)
{
	static char compute[64], volume[64];

	if (svc == SVC_COMPUTE) {
		snprintf(compute, sizeof(compute),
		    "OpenStack-API-Version: compute %s", g.compute_mv);
		return compute;
	}
	if (svc == SVC_VOLUME) {
		snprintf(volume, sizeof(volume),
		    "OpenStack-API-Version: volume %s", g.volume_mv);
		return volume;
	}
	return NULL;
}

static struct job *
job_new(int res, const char *url)
{
	struct job *j = moc_xcalloc(1, sizeof(*j));
	const char *h = version_header(rdefs[res].svc);

	j->kind = J_PAGE;
	j->res = res;
	j->page = 1;
	j->req = http_req_new(url, j);
	j->req->filter = &body_filter;
	j->req->filter_arg = j;
	if (h != NULL)
		j->req->header = moc_xstrdup(h);
	return j;
}

/* endpoint + path, with limit=N on paged resources. */
static char *
resource_url(int res, const char *path)
{
	const char *ep = g.endpoint[rdefs[res].svc];
	size_t n = strlen(ep) + strlen(path) + 64;
	char *u = moc_xmalloc(n);

	if (rdefs[res].flags & R_PAGED)
		snprintf(u, n, "%s%s%climit=%lld", ep, path,
		    strchr(path, '?') != NULL ? '&' : '?', g.page_size);
	else
		snprintf(u, n, "%s%s", ep, path);
	return u;
}

static void
submit(struct job *j)
{
	http_submit(g.http, j->req);
}

static void
start_listing(int res, const char *extra, int changes)
{
	size_t n = strlen(rdefs[res].path) + (extra ? strlen(extra) : 0) + 1;
	char *path = moc_xmalloc(n), *url;
	struct job *j;

	snprintf(path, n, "%s%s", rdefs[res].path, extra ? extra : "");
	url = resource_url(res, path);
	j = job_new(res, url);
	j->changes = changes;
	submit(j);
	free(url);
	free(path);
}

/* Nova wants a naive UTC time ("2019-03-01T00:00:00"). */
static void
nova_time(int64_t t, char buf[RTIME_BUFSIZE])
{
	rtime_format(t, buf);
	buf[strlen(buf) - 1] = '\0';
}

/* "<sep>changes-since=<the time, escaped>" into q. */
static void
changes_since_param(char sep, char *q, size_t n)
{
	char t[RTIME_BUFSIZE], *e;

	rtime_format(g.changes_since, t);
	e = http_escape(t);
	snprintf(q, n, "%cchanges-since=%s", sep, e);
	free(e);
}

static void
start_resources(void)
{
	size_t i;

	/*
	 * The servers changed since the last run go first: the instance
	 * actions wait for them, request after request, while every other
	 * listing is a few requests of its own.
	 */
	if (g.rs[R_SERVERS].selected && g.endpoint[rdefs[R_SERVERS].svc] &&
	    g.have_changes) {
		char q[64];
		changes_since_param('&', q, sizeof(q));
		start_listing(R_SERVERS, q, 1);
	}
	for (i = 0; i < NRES; i++) {
		if (!g.rs[i].selected || rdefs[i].path == NULL)
			continue;
		if (g.endpoint[rdefs[i].svc] == NULL)
			continue;
		if (rdefs[i].flags & R_WINDOW) {
			char a[RTIME_BUFSIZE], b[RTIME_BUFSIZE], q[96];
			nova_time(g.since, a);
			nova_time(g.until, b);
			snprintf(q, sizeof(q), "&start=%s&end=%s", a, b);
			start_listing((int)i, q, 0);
		} else
			start_listing((int)i, NULL, 0);
	}
}

/* Whether the Nova microversion asked for is at least MAJOR.MINOR. */
static int
compute_mv_at_least(long major, long minor)
{
	const char *s = g.compute_mv;
	char *end;
	long a, b;

	if (strcmp(s, "latest") == 0)
		return 1;
	a = strtol(s, &end, 10);
	if (*end != '.')
		return 0;
	b = strtol(end + 1, &end, 10);
	if (*end != '\0')
		return 0;
	return a > major || (a == major && b >= minor);
}

/*
 * A server's actions: with a changes-since time (and Nova 2.58 or later,
 * which filters actions by their updated_at), only the actions begun or
 * changed since then.  Older ones were read, events and all, by the run
 * that saw them change; reading them again would cost a request each.
 */
static void
start_actions(const char *server_id)
{
	char *id = http_escape(server_id), *path, *url;
	char q[64] = "";
	size_t n;
	struct job *j;

	if (g.have_changes && compute_mv_at_least(2, 58))
		changes_since_param('?', q, sizeof(q));
	n = strlen(id) + strlen(q) + 40;
	path = moc_xmalloc(n);
	snprintf(path, n, "/servers/%s/os-instance-actions%s", id, q);
	url = resource_url(R_ACTIONS, path);
	j = job_new(R_ACTIONS, url);
	j->server_id = moc_xstrdup(server_id);
	submit(j);
	free(url);
	free(path);
	free(id);
}

static void
start_action(const char *server_id, const char *request_id)
{
	char *id = http_escape(server_id), *rq = http_escape(request_id);
	char *path, *url;
	size_t n = strlen(id) + strlen(rq) + 40;
	struct job *j;

	path = moc_xmalloc(n);
	snprintf(path, n, "/servers/%s/os-instance-actions/%s", id, rq);
	url = resource_url(R_ACTION, path);
	j = job_new(R_ACTION, url);
	j->server_id = moc_xstrdup(server_id);
	j->request_id = moc_xstrdup(request_id);
	submit(j);
	free(url);
	free(path);
	free(rq);
	free(id);
}

/* ---------------------------------------------------------------- */
/* Answers. */

/*
 * The next page: our own URL with the link's query.  Taking only the query
 * keeps the token on the endpoint the catalog named, even when a proxy
 * makes the service write links with another host or scheme.
 */
static void
follow(const struct job *j, const char *href)
{
	const char *q = strchr(href, '?');
	const char *cur = j->req->url, *curq = strchr(cur, '?');
	size_t base = curq != NULL ? (size_t)(curq - cur) : strlen(cur);
	size_t n;
	char *url;
	struct job *nj;

	if (q == NULL) {
		fail(j->res, j->req->status, 0,
		    "next link without a query: "
		    "%s",
		    href);
		return;
	}
	n = base + strlen(q) + 1;
	url = moc_xmalloc(n);
	snprintf(url, n, "%.*s%s", (int)base, cur, q);
	if (strcmp(url, cur) == 0) {
		fail(j->res, j->req->status, 0,
		    "pagination does not advance "
		    "at %s",
		    cur);
		free(url);
		return;
	}
	nj = job_new(j->res, url);
	nj->req->first = 1;
	nj->page = j->page + 1;
	nj->changes = j->changes;
	if (j->server_id != NULL)
		nj->server_id = moc_xstrdup(j->server_id);
	submit(nj);
	free(url);
}

/*
 * Servers whose instance actions this run reads: with a changes-since
 * time, those of the changes-since listing (new or changed since then);
 * on a first run, all.
 */
static void
servers_page(const struct job *j, struct scan *sc)
{
	size_t i;

	if (j->changes != g.have_changes)
		return;
	for (i = 0; i < sc->nids; i++) {
		if (g.nwaiting == g.capwaiting) {
			g.capwaiting = g.capwaiting ? g.capwaiting * 2 : 1024;
			g.waiting = moc_xrealloc(
			    g.waiting, g.capwaiting * sizeof(*g.waiting));
		}
		g.waiting[g.nwaiting++] = sc->ids[i];
		sc->ids[i] = NULL;
	}
}

/*
 * Servers wait as bare ids and become requests only as the queue drains,
 * so a first run over 10,000 servers holds 10,000 ids, not 10,000
 * requests and the tens of thousands of action requests behind them.
 */
static void
feed_actions(struct http_client *c)
{
	struct http_stats st;

	http_stats(c, &st);
	while (g.nextwaiting < g.nwaiting &&
	    st.queued < (unsigned long)g.parallel * 2) {
		char *id = g.waiting[g.nextwaiting];
		g.waiting[g.nextwaiting++] = NULL;
		start_actions(id);
		free(id);
		st.queued++;
	}
	if (g.nextwaiting == g.nwaiting)
		g.nextwaiting = g.nwaiting = 0;
}

static void
actions_page(const struct job *j, const struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nids; i++)
		start_action(j->server_id, sc->ids[i]);
}

static const char *
item_key(const struct job *j)
{
	if (j->res == R_SERVERS && g.rs[R_ACTIONS].selected &&
	    j->changes == g.have_changes)
		return "id";
	if (j->res == R_ACTIONS)
		return "request_id";
	return NULL;
}

static void
page_ok(struct job *j)
{
	struct http_req *r = j->req;
	struct scan *sc = &j->sc;
	char why[512];
	const char *err = NULL;

	/* The filter saw every 2xx body, an empty one too. */
	if (r->filtered != 1 || jsq_finish(j->jsq) != 0)
		err = r->filtered == 1 ? jsq_error(j->jsq) : "no body";
	else if (sc->top_keys == 0 || (j->res == R_SERVERS && !sc->has_servers))
		err = "not the expected object";
	if (err != NULL) {
		snprintf(why, sizeof(why), "malformed body from %s: %s", r->url,
		    err);
		if (http_retry(g.http, r, why) == 0)
			return;
		fail(j->res, r->status, 1, "%s", why);
		job_free(j);
		return;
	}
	write_page(j, r);
	if (sc->truncated)
		fail(j->res, r->status, 0,
		    "Keystone cut the list short "
		    "(its list_limit); raise it to read every item");
	if (j->res == R_SERVERS)
		servers_page(j, sc);
	else if (j->res == R_ACTIONS)
		actions_page(j, sc);
	if (sc->next != NULL)
		follow(j, sc->next);
	job_free(j);
}

static void
page_error(struct job *j)
{
	struct http_req *r = j->req;

	write_error_page(j, r);
	if (r->status == 404 && (j->res == R_ACTIONS || j->res == R_ACTION)) {
		/* The server went away between the listing and now. */
		job_free(j);
		return;
	}
	if (r->status == 403)
		fail(j->res, r->status, 0,
		    "403 Forbidden from %s: the account "
		    "needs the admin role (or a reader role with access to "
		    "all projects) to read this",
		    r->url);
	else
		fail(j->res, r->status, r->temporary, "HTTP status %ld from %s",
		    r->status, r->url);
	job_free(j);
}

static void start_token(void);

static void
park(struct job *j)
{
	j->next_parked = g.parked;
	g.parked = j;
}

static void
page_unauthorized(struct job *j)
{
	if (j->req->auth_gen != http_auth_gen(g.http)) {
		submit(j); /* sent with a token replaced since */
		return;
	}
	if (g.reauth_pending) {
		park(j);
		return;
	}
	if (!g.reauth_used) {
		g.reauth_used = 1;
		if (g.verbose)
			warn("token rejected; authenticating again");
		park(j);
		start_token();
		return;
	}
	fail(j->res, 401, 0,
	    "401 Unauthorized from %s, even with a new "
	    "token",
	    j->req->url);
	job_free(j);
}

static void
page_done(struct job *j)
{
	struct http_req *r = j->req;

	if (r->status == 0) {
		fail(j->res, 0, r->temporary, "%s: %s", r->url, r->error);
		job_free(j);
	} else if (r->status == 401)
		page_unauthorized(j);
	else if (r->status >= 200 && r->status < 300)
		page_ok(j);
	else
		page_error(j);
}

/* ---------------------------------------------------------------- */
/* Authentication. */

static void
auth_failed(struct job *j, const char *why, int status)
{
	struct job *p;

	if (!g.authenticated) {
		clear_progress();
		moc_die(status, "authentication at %s failed: %s", j->req->url,
		    why);
	}
	/* Mid-run: what waited for the new token fails with it. */
	while ((p = g.parked) != NULL) {
		g.parked = p->next_parked;
		fail(p->res, 401, status == EXIT_TEMPFAIL,
		    "cannot "
		    "authenticate again: %s",
		    why);
		job_free(p);
	}
	g.reauth_pending = 0;
}

static void
catalog(const struct json_value *body)
{
	int s;

	g.region =
	    g.conf.region_name != NULL ? moc_xstrdup(g.conf.region_name) : NULL;
	/* The compute endpoint decides the region when none is named. */
	g.endpoint[SVC_COMPUTE] =
	    keystone_endpoint(body, compute_types, g.conf.interface, &g.region);
	for (s = 0; s < NSVC; s++) {
		if (s != SVC_COMPUTE)
			g.endpoint[s] = keystone_endpoint(
			    body, svc_types[s], g.conf.interface, &g.region);
	}
	if (g.endpoint[SVC_IDENTITY] == NULL)
		g.endpoint[SVC_IDENTITY] = moc_xstrdup(g.conf.auth_url);
	{
		char *v3 = keystone_v3_root(g.endpoint[SVC_IDENTITY]);
		free(g.endpoint[SVC_IDENTITY]);
		g.endpoint[SVC_IDENTITY] = v3;
	}
	if (g.endpoint[SVC_NETWORK] != NULL) {
		const char *e = g.endpoint[SVC_NETWORK];
		size_t n = strlen(e);
		if (n < 5 || strcmp(e + n - 5, "/v2.0") != 0) {
			char *v = moc_xmalloc(n + 6);
			snprintf(v, n + 6, "%s/v2.0", e);
			free(g.endpoint[SVC_NETWORK]);
			g.endpoint[SVC_NETWORK] = v;
		}
	}
	if (g.region == NULL)
		g.region =
		    moc_xstrdup(g.conf.region_name != NULL ? g.conf.region_name
		                                           : "RegionOne");
}

/* Resources whose service is not in the catalog: skipped, run partial. */
static void
missing_services(void)
{
	size_t i;
	int s;

	for (s = 0; s < NSVC; s++) {
		if (g.endpoint[s] != NULL)
			continue;
		for (i = 0; i < NRES; i++)
			if (g.rs[i].selected && rdefs[i].svc == (enum svc)s)
				fail((int)i, 0, 0,
				    "no %s endpoint (interface "
				    "%s, region %s) in the service catalog; "
				    "skipped",
				    svc_names[s], g.conf.interface, g.region);
	}
}

static void
token_done(struct job *j)
{
	struct http_req *r = j->req;
	const struct json_value *body;
	struct job *p;
	char why[300];

	if (r->status == 0 || r->temporary) {
		/* A refused certificate is no reason to try again later. */
		snprintf(why, sizeof(why), "%s", r->error);
		auth_failed(j, why, r->temporary ? EXIT_TEMPFAIL : EXIT_DATA);
		job_free(j);
		return;
	}
	if (r->status != 201 && r->status != 200) {
		/* Keystone's message is not repeated: keep secrets out. */
		snprintf(why, sizeof(why), "HTTP status %ld%s", r->status,
		    r->status == 401 ? " (check the credentials)" : "");
		auth_failed(j, why,
		    r->status == 401 || r->status == 400 || r->status == 404
		        ? EXIT_USAGE
		        : EXIT_DATA);
		job_free(j);
		return;
	}
	body = json_parse(g.json, r->body != NULL ? r->body : "", r->len);
	if (r->subject_token == NULL || body == NULL) {
		if (http_retry(g.http, r, "no token in Keystone's answer") == 0)
			return;
		auth_failed(j, "no token in Keystone's answer", EXIT_TEMPFAIL);
		job_free(j);
		return;
	}
	http_set_auth_header(g.http, "X-Auth-Token", r->subject_token);
	if (!g.authenticated) {
		g.authenticated = 1;
		catalog(body);
		write_run_start();
		missing_services();
		start_resources();
	}
	g.reauth_pending = 0;
	while ((p = g.parked) != NULL) {
		g.parked = p->next_parked;
		submit(p);
	}
	job_free(j);
}

static void
start_token(void)
{
	struct job *j = moc_xcalloc(1, sizeof(*j));
	char *url = keystone_token_url(g.conf.auth_url);

	j->kind = J_TOKEN;
	j->req = http_req_new(url, j);
	j->req->post = keystone_token_body(&g.conf, &j->req->postlen);
	j->req->no_auth = 1;
	j->req->no_spool = 1; /* the catalog is read in memory */
	g.reauth_pending = 1;
	http_submit(g.http, j->req);
	free(url);
}

static void
done(struct http_client *c, struct http_req *r, void *arg)
{
	struct job *j = r->data;

	(void)c;
	(void)arg;
	if (g.verbose) {
		/* Method, URL and status only: never a header or a body. */
		if (r->status != 0)
			warn("%s %s -> %ld", r->post != NULL ? "POST" : "GET",
			    r->url, r->status);
		else
			warn("%s %s -> %s", r->post != NULL ? "POST" : "GET",
			    r->url, r->error);
	}
	if (j->kind == J_TOKEN)
		token_done(j);
	else
		page_done(j);
}

/* ---------------------------------------------------------------- */
/* State between runs. */

static void
read_state(void)
{
	FILE *fp = fopen(g.state_file, "r");
	char line[256];
	int64_t t;

	if (fp == NULL) {
		if (errno == ENOENT)
			return; /* the first run */
		moc_die_sys(EXIT_USAGE, "%s", g.state_file);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t n = strcspn(line, "\n");
		line[n] = '\0';
		if (strncmp(line, "last_complete_start ", 20) != 0)
			continue;
		if (rtime_parse(line + 20, n - 20, &t) != 0)
			moc_die(EXIT_USAGE, "%s: bad time \"%s\"", g.state_file,
			    line + 20);
		if (!g.have_changes) {
			g.changes_since = t - STATE_MARGIN;
			g.have_changes = 1;
		}
	}
	fclose(fp);
}

static void
write_state(void)
{
	size_t n = strlen(g.state_file) + 8;
	char *tmp = moc_xmalloc(n), t[RTIME_BUFSIZE];
	FILE *fp;

	snprintf(tmp, n, "%s.tmp", g.state_file);
	rtime_format(g.started_at, t);
	fp = fopen(tmp, "w");
	if (fp == NULL)
		moc_die_sys(EXIT_DATA, "%s", tmp);
	fprintf(fp,
	    "# os-fetch state: the start of the last complete run\n"
	    "cloud %s\nregion %s\nlast_complete_start %s\n",
	    g.conf.cloud, g.region, t);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || fclose(fp) != 0)
		moc_die_sys(EXIT_DATA, "%s", tmp);
	if (rename(tmp, g.state_file) != 0)
		moc_die_sys(EXIT_DATA, "%s", g.state_file);
	free(tmp);
}

/* ---------------------------------------------------------------- */

static void
make_run_id(void)
{
	unsigned char rnd[4] = {0, 0, 0, 0};
	char t[RTIME_BUFSIZE];
	int fd = open("/dev/urandom", O_RDONLY);
	size_t i, n;

	if (fd >= 0) {
		if (read(fd, rnd, sizeof(rnd)) != (ssize_t)sizeof(rnd))
			memset(rnd, 0, sizeof(rnd));
		close(fd);
	}
	rtime_format(g.started_at, t);
	/* "20190301T000000Z-1a2b3c4d": sortable, unique enough per cloud. */
	for (i = 0, n = 0; t[i] != '\0'; i++)
		if (t[i] != '-' && t[i] != ':')
			g.run_id[n++] = t[i];
	snprintf(g.run_id + n, sizeof(g.run_id) - n, "-%02x%02x%02x%02x",
	    rnd[0], rnd[1], rnd[2], rnd[3]);
}

static int64_t
parse_time_opt(const char *opt, const char *v)
{
	int64_t t;

	if (rtime_parse_date_or_time(v, strlen(v), &t) != 0)
		moc_usage_error("%s: not a time: \"%s\"", opt, v);
	return t;
}

enum {
	O_CLOUD = 256,
	O_REGION,
	O_IFACE,
	O_CMV,
	O_VMV,
	O_CACERT,
	O_INSECURE,
	O_SINCE,
	O_UNTIL,
	O_STATE,
	O_CHANGES,
	O_PAGE,
	O_RETRIES,
	O_TIMEOUT,
	O_SPOOL,
	O_NOW
};

static const struct option longopts[] = {
    {"cacert", required_argument, NULL, O_CACERT},
    {"changes-since", required_argument, NULL, O_CHANGES},
    {"help", no_argument, NULL, 'h'},
    {"insecure", no_argument, NULL, O_INSECURE},
    {"now", required_argument, NULL, O_NOW},
    {"os-cloud", required_argument, NULL, O_CLOUD},
    {"os-compute-api-version", required_argument, NULL, O_CMV},
    {"os-interface", required_argument, NULL, O_IFACE},
    {"os-region-name", required_argument, NULL, O_REGION},
    {"os-volume-api-version", required_argument, NULL, O_VMV},
    {"page-size", required_argument, NULL, O_PAGE},
    {"parallel", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},
    {"resources", required_argument, NULL, 'r'},
    {"retries", required_argument, NULL, O_RETRIES},
    {"since", required_argument, NULL, O_SINCE},
    {"spool-size", required_argument, NULL, O_SPOOL},
    {"state", required_argument, NULL, O_STATE},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"until", required_argument, NULL, O_UNTIL},
    {"verbose", no_argument, NULL, 'v'}, {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

/* The option's name only, never a value given with it. */
static void
bad_option(const char *what, const char *arg)
{
	if (arg != NULL && strncmp(arg, "--", 2) == 0)
		moc_usage_error("%s '%.*s'", what, (int)strcspn(arg, "="), arg);
	if (optopt != 0)
		moc_usage_error("%s '-%c'", what, optopt);
	moc_usage_error("%s", what);
}

static const char *
parse_options(int argc, char **argv)
{
	const char *resources = NULL;
	int ch, quiet = 0, have_since = 0, have_until = 0;

	g.page_size = 1000;
	g.spool_size = (size_t)4 * 1024 * 1024;
	g.parallel = 8;
	g.retries = 5;
	g.timeout_s = 60;
	/* getopt's own messages would repeat "--password=..." whole. */
	opterr = 0;
	while (
	    (ch = getopt_long(argc, argv, ":hj:qr:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case O_CACERT:
			g.cacert = optarg;
			break;
		case O_CHANGES:
			g.changes_since =
			    parse_time_opt("--changes-since", optarg);
			g.have_changes = 1;
			break;
		case 'h':
			usage();
			break;
		case O_INSECURE:
			g.insecure = 1;
			break;
		case O_NOW:
			g.clock_shift = parse_time_opt("--now", optarg) -
			    (int64_t)time(NULL);
			break;
		case O_CLOUD:
			g.os_cloud = optarg;
			break;
		case O_CMV:
			g.compute_mv = optarg;
			break;
		case O_IFACE:
			g.interface_opt = optarg;
			break;
		case O_REGION:
			g.region_opt = optarg;
			break;
		case O_VMV:
			g.volume_mv = optarg;
			break;
		case O_PAGE:
			if (moc_parse_int(optarg, 1, 100000, &g.page_size))
				moc_usage_error("--page-size: not a number "
				                "from 1 to 100000: \"%s\"",
				    optarg);
			break;
		case 'j':
			if (moc_parse_int(optarg, 1, 256, &g.parallel))
				moc_usage_error("--parallel: not a number "
				                "from 1 to 256: \"%s\"",
				    optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			resources = optarg;
			break;
		case O_RETRIES:
			if (moc_parse_int(optarg, 0, 100, &g.retries))
				moc_usage_error("--retries: not a number "
				                "from 0 to 100: \"%s\"",
				    optarg);
			break;
		case O_SINCE:
			g.since = parse_time_opt("--since", optarg);
			have_since = 1;
			break;
		case O_SPOOL:
			if (moc_parse_size(optarg, &g.spool_size) != 0 ||
			    g.spool_size < 1)
				moc_usage_error("--spool-size: not a size: "
				                "\"%s\"",
				    optarg);
			break;
		case O_STATE:
			g.state_file = optarg;
			break;
		case O_TIMEOUT:
			if (moc_parse_duration(optarg, &g.timeout_s) != 0 ||
			    g.timeout_s < 1)
				moc_usage_error("--timeout: not a duration: "
				                "\"%s\"",
				    optarg);
			break;
		case O_UNTIL:
			g.until = parse_time_opt("--until", optarg);
			have_until = 1;
			break;
		case 'v':
			g.verbose = 1;
			break;
		case 'V':
			moc_print_version();
			break;
		case ':':
			bad_option("option needs a value", argv[optind - 1]);
			break;
		default:
			bad_option("unrecognized option",
			    optopt != 0 ? NULL : argv[optind - 1]);
			break;
		}
	}
	/* Not quoted: it may be a password typed where it does not belong. */
	if (optind < argc)
		moc_usage_error(
		    "unexpected argument (os-fetch takes options "
		    "only; passwords and secrets belong in clouds.yaml, "
		    "secure.yaml or OS_* variables)");
	if (have_since != have_until)
		moc_usage_error("--since and --until go together");
	if (have_since && g.since >= g.until)
		moc_usage_error("--since must be before --until");
	g.have_window = have_since;
	g.progress = !quiet && !g.verbose && isatty(STDERR_FILENO);
	return resources;
}

static void
configure(void)
{
	char err[512];

	if (cloudconf_load(&g.conf, g.os_cloud, err, sizeof(err)) != 0 ||
	    cloudconf_check(&g.conf, err, sizeof(err)) != 0)
		moc_die(EXIT_USAGE, "%s", err);
	if (g.region_opt != NULL) {
		free(g.conf.region_name);
		g.conf.region_name = moc_xstrdup(g.region_opt);
	}
	if (g.interface_opt != NULL) {
		free(g.conf.interface);
		g.conf.interface = moc_xstrdup(g.interface_opt);
	}
	if (g.cacert != NULL) {
		free(g.conf.cacert);
		g.conf.cacert = moc_xstrdup(g.cacert);
	}
	if (g.insecure)
		g.conf.insecure = 1;
	if (g.compute_mv == NULL)
		g.compute_mv = g.conf.compute_api_version != NULL
		    ? g.conf.compute_api_version
		    : DEFAULT_COMPUTE_MV;
	if (g.volume_mv == NULL)
		g.volume_mv = g.conf.volume_api_version != NULL
		    ? g.conf.volume_api_version
		    : DEFAULT_VOLUME_MV;
	if (g.conf.insecure)
		moc_warn("warning: TLS certificates are not verified");
}

static int
exit_status(void)
{
	size_t i;
	int temp = 0;

	for (i = 0; i < NRES; i++) {
		if (!g.rs[i].selected || !g.rs[i].failed)
			continue;
		if (!g.rs[i].temporary)
			return EXIT_DATA;
		temp = 1;
	}
	return temp ? EXIT_TEMPFAIL : EXIT_OK;
}

/*
 * A closed standard output fails now, before a socket takes descriptor 1
 * and the pages go down it; closed 0 and 2 get /dev/null for that reason.
 */
static void
check_std_fds(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) == -1)
		moc_die_sys(EXIT_DATA, "write error on standard output");
	for (fd = 0; fd <= 2; fd += 2)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(EXIT_DATA);
}

int
main(int argc, char **argv)
{
	struct http_opts ho;
	const char *resources;
	size_t i;
	int status;

	moc_setprogname(argv[0]);
	setlocale(LC_CTYPE, "");
	check_std_fds();
	resources = parse_options(argc, argv);
	select_resources(resources);
	configure();
	if (g.state_file != NULL)
		read_state();

	memset(&ho, 0, sizeof(ho));
	ho.parallel = (int)g.parallel;
	ho.timeout_ms = (long)g.timeout_s * 1000;
	ho.retries = (int)g.retries;
	ho.backoff_ms = 500;
	ho.max_wait_ms = 60000;
	ho.max_body = MAX_BODY;
	ho.spool_over = g.spool_size;
	ho.cacert = g.conf.cacert;
	ho.insecure = g.conf.insecure;
	ho.user_agent = PACKAGE_NAME "-os-fetch/" PACKAGE_VERSION;
	g.http = http_new(&ho);
	g.json = json_parser_new();
	moc_widen_pipe(STDOUT_FILENO, 1 << 20);
	jw_init(&g.out, stdout, "standard output");
	g.started_at = clock_now();
	make_run_id();

	start_token();
	http_run(g.http, done, tick, NULL);
	clear_progress();

	write_run_end();
	status = exit_status();
	jw_free(&g.out);
	/* The state moves on only once the run is safely out. */
	moc_close_stdout();
	if (status == EXIT_OK && g.state_file != NULL)
		write_state();

	json_parser_free(g.json);
	http_free(g.http);
	for (i = 0; i < NRES; i++)
		free(g.rs[i].error);
	for (i = 0; i < NSVC; i++)
		free(g.endpoint[i]);
	free(g.region);
	free(g.waiting);
	cloudconf_free(&g.conf);
	return status;
}
