/*
 * nova.c: per instance, our hours against nova's own
 * os-simple-tenant-usage (tenant_usage records) for the same window.
 *
 * Our side is usage-aggregate's timeline of each instance (its reader and
 * timeline.c, the same code that bills): state by state, from instance
 * actions, deleted_at and observations.  Nova's rule differs in known
 * ways: it counts from launch to termination, clipped to the window, and
 * ignores stops and shelves (it also uses the latest flavor, which moves
 * no hours).  So for each tenant_usage record:
 *   - our running time can never exceed nova's launch-to-termination
 *     time (started_at to ended_at within the window) by more than the
 *     tolerance: if it does, our actions or observations are wrong;
 *   - the time our timeline has the instance in existence (running,
 *     stopped, shelved, in error, or unknown) should equal nova's hours
 *     within the tolerance; where it does not and a gap in collection
 *     (unknown time) covers the difference, it is a warning;
 *   - an instance nova lists that we never saw is an error, and so is one
 *     we counted running in a window (more than the tolerance) that nova
 *     does not list.
 * A window whose end is after the moment it was fetched ends then.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "rtime.h"
#include "ua.h"
#include "util.h"

struct tu {
	char		*id, *instance, *where, *hours_text;
	int64_t		 ws, we, started, ended, observed;
	double		 hours;
};
static struct tu	*tus;
static size_t		 ntus, captus;
static struct smap	 tu_ix;

/* Each instance's timeline: pieces of constant state. */
struct piece {
	int64_t	 x, y;
	uint8_t	 state;
};
struct line {
	struct piece	*p;
	size_t		 n, cap;
};
static struct line	*lines;
static size_t		 nlines;

void
nova_record(const struct json_value *rec, const char *type)
{
	const char *id, *h;
	struct tu *u;
	uint32_t ix;
	int64_t obs = INT64_MIN;

	if (strcmp(type, "tenant_usage") != 0)
		return;
	id = cc_str_req(rec, "id");
	cc_time(rec, "observed_at", &obs);
	/* The same window fetched again later: the later figures. */
	if (smap_get(&tu_ix, id, strlen(id), &ix)) {
		if (obs < tus[ix].observed)
			return;
		u = &tus[ix];
		free(u->instance);
		free(u->where);
		free(u->hours_text);
	} else {
		tus = ua_grow(tus, &captus, ntus, sizeof(*tus));
		u = &tus[ntus];
		smap_put(&tu_ix, id, strlen(id), (uint32_t)ntus++);
		u->id = moc_xstrdup(id);
	}
	u->observed = obs;
	u->instance = moc_xstrdup(cc_str_req(rec, "instance_id"));
	u->where = moc_xstrdup(cc_where());
	if (!cc_time(rec, "window_start", &u->ws) ||
	    !cc_time(rec, "window_end", &u->we))
		moc_die(EXIT_USAGE, "%s: missing field \"window_%s\"",
		    cc_where(), json_get(rec, "window_start") ? "end" :
		    "start");
	if (u->we <= u->ws)
		moc_die(EXIT_USAGE, "%s: window_end is not after window_start",
		    cc_where());
	if (obs != INT64_MIN && obs < u->we && obs > u->ws)
		u->we = obs;
	if (!cc_time(rec, "started_at", &u->started))
		u->started = INT64_MAX;		/* never launched */
	if (!cc_time(rec, "ended_at", &u->ended))
		u->ended = INT64_MAX;
	/* Hours are compared with a tolerance, not added up: a double
	 * does. */
	u->hours = 0;
	if ((h = cc_number_text(rec, "hours")) != NULL) {
		char *end;

		u->hours = strtod(h, &end);
		if (*end != '\0' || end == h || u->hours < 0)
			cc_bad_field("hours", json_get(rec, "hours"),
			    "not a number of hours");
	}
	u->hours_text = moc_xstrdup(h != NULL ? h : "0");
}

static void
on_piece(uint32_t oix, int64_t x, int64_t y, uint8_t state, int inferred)
{
	struct line *l = &lines[oix];
	struct piece *last = l->n > 0 ? &l->p[l->n - 1] : NULL;

	(void)inferred;
	if (last != NULL && last->y == x && last->state == state) {
		last->y = y;
		return;
	}
	l->p = ua_grow(l->p, &l->cap, l->n, sizeof(*l->p));
	l->p[l->n].x = x;
	l->p[l->n].y = y;
	l->p[l->n++].state = state;
}

/* usage-aggregate's model over [since, until), one month, no rates. */
static void
build_timelines(int fd, const char *name)
{
	size_t i;

	M.since = INT64_MAX;
	M.until = INT64_MIN;
	for (i = 0; i < ntus; i++) {
		if (tus[i].ws < M.since)
			M.since = tus[i].ws;
		if (tus[i].we > M.until)
			M.until = tus[i].we;
	}
	M.interval = CO.slot;
	M.max_gap = 2 * CO.slot;
	M.grace = 5 * 60;
	M.root_name = "";
	M.nmonths = 1;
	M.months = moc_xcalloc(1, sizeof(*M.months));
	M.months[0].start = M.since;
	M.months[0].end = M.until;
	ua_init_tables();
	ua_read(fd, name, REC_DEFAULT_MAX);
	lines = moc_xcalloc(M.nobjs + 1, sizeof(*lines));
	nlines = M.nobjs;
	M.piece = on_piece;
	ua_coverage();
	ua_account_all();
}

/* Seconds of [a, b) in each kind of state. */
static void
seconds_in(const struct line *l, int64_t a, int64_t b, int64_t *run,
    int64_t *life, int64_t *unknown)
{
	size_t i;

	*run = *life = *unknown = 0;
	for (i = 0; i < l->n; i++) {
		int64_t x = l->p[i].x > a ? l->p[i].x : a;
		int64_t y = l->p[i].y < b ? l->p[i].y : b;

		if (y <= x)
			continue;
		switch (l->p[i].state) {
		case ST_RUNNING:
			*run += y - x;
			/* FALLTHROUGH */
		case ST_STOPPED:
		case ST_SHELVED:
		case ST_ERROR:
			*life += y - x;
			break;
		case ST_UNKNOWN:
			*life += y - x;
			*unknown += y - x;
			break;
		default:
			break;
		}
	}
}

static const struct obj *
instance(const char *id, struct smap *ix, uint32_t *oix)
{
	if (!smap_get(ix, id, strlen(id), oix))
		return NULL;
	return &M.objs[*oix];
}

static void
window_text(const struct tu *u, char *buf, size_t n)
{
	char a[RTIME_BUFSIZE], b[RTIME_BUFSIZE];

	rtime_format(u->ws, a);
	rtime_format(u->we, b);
	snprintf(buf, n, "[%s, %s)", a, b);
}

/* One tenant_usage record against our timeline; 1 if it disagrees. */
static int
compare(const struct tu *u, const struct line *l)
{
	char subject[300], win[100], exp[64], act[64];
	int64_t run, life, unknown, nova_s, span, a, b;
	int bad = 0;

	seconds_in(l, u->ws, u->we, &run, &life, &unknown);
	nova_s = (int64_t)(u->hours * 3600 + 0.5);
	a = u->started > u->ws ? u->started : u->ws;
	b = u->ended < u->we ? u->ended : u->we;
	span = b > a ? b - a : 0;
	snprintf(subject, sizeof(subject), "instance %s", u->instance);
	window_text(u, win, sizeof(win));
	if (run > span + CO.tolerance) {
		cc_fmt_hours(span, exp, sizeof(exp));
		cc_fmt_hours(run, act, sizeof(act));
		cc_finding(CK_NOVA, SEV_ERROR, subject, exp, act,
		    "window %s: we count more running time than nova's launch "
		    "to termination allows (tolerance %llds; %s)", win,
		    (long long)CO.tolerance, u->where);
		bad = 1;
	}
	if (life - nova_s > CO.tolerance || nova_s - life > CO.tolerance) {
		int64_t diff = life > nova_s ? life - nova_s : nova_s - life;

		cc_fmt_hours(nova_s, exp, sizeof(exp));
		cc_fmt_hours(life, act, sizeof(act));
		cc_finding(CK_NOVA, diff <= unknown + CO.tolerance ?
		    SEV_WARNING : SEV_ERROR, subject, exp, act,
		    "window %s: nova's hours (%s, launch to termination, stops "
		    "and shelves included) against the time our timeline has "
		    "the instance (running %lld s, unknown %lld s; %s)", win,
		    u->hours_text, (long long)run, (long long)unknown,
		    u->where);
		bad = 1;
	}
	return bad;
}

/* Instances we counted running in a window nova answered for, that nova
 * does not list. */
static size_t
unlisted(void)
{
	struct smap listed, windows;
	char key[600], subject[300], win[100], act[64];
	size_t i, j, n = 0;
	uint32_t v;

	memset(&listed, 0, sizeof(listed));
	memset(&windows, 0, sizeof(windows));
	for (i = 0; i < ntus; i++) {
		snprintf(key, sizeof(key), "%s %lld %lld", tus[i].instance,
		    (long long)tus[i].ws, (long long)tus[i].we);
		smap_put(&listed, key, strlen(key), 1);
	}
	for (i = 0; i < ntus; i++) {
		snprintf(key, sizeof(key), "%lld %lld", (long long)tus[i].ws,
		    (long long)tus[i].we);
		if (smap_get(&windows, key, strlen(key), &v))
			continue;
		smap_put(&windows, key, strlen(key), 1);
		for (j = 0; j < nlines; j++) {
			int64_t run, life, unknown;

			if (M.objs[j].kind != OBJ_INSTANCE)
				continue;
			seconds_in(&lines[j], tus[i].ws, tus[i].we, &run, &life,
			    &unknown);
			snprintf(key, sizeof(key), "%s %lld %lld", M.objs[j].id,
			    (long long)tus[i].ws, (long long)tus[i].we);
			if (run <= CO.tolerance)
				continue;
			if (smap_get(&listed, key, strlen(key), &v))
				continue;
			window_text(&tus[i], win, sizeof(win));
			snprintf(subject, sizeof(subject), "instance %s",
			    M.objs[j].id);
			cc_fmt_hours(run, act, sizeof(act));
			cc_finding(CK_NOVA, SEV_ERROR, subject,
			    "listed by nova's tenant usage", act,
			    "window %s: we count it running, nova does not "
			    "list it", win);
			n++;
		}
	}
	smap_free(&listed);
	smap_free(&windows);
	return n;
}

void
nova_run(int fd, const char *name)
{
	struct smap ix;
	size_t i, bad = 0, unseen = 0, missing;
	uint32_t oix;

	if (ntus == 0) {
		cc_finding(CK_NOVA, SEV_WARNING, "tenant_usage",
		    "nova's tenant usage for the period", "none",
		    "no tenant_usage record read: nothing to compare with");
		cc_note(CK_NOVA, "no tenant_usage records");
		return;
	}
	build_timelines(fd, name);
	memset(&ix, 0, sizeof(ix));
	for (i = 0; i < M.nobjs; i++)
		if (M.objs[i].kind == OBJ_INSTANCE)
			smap_put(&ix, M.objs[i].id, strlen(M.objs[i].id),
			    (uint32_t)i);
	for (i = 0; i < ntus; i++) {
		char subject[300], win[100];

		if (instance(tus[i].instance, &ix, &oix) == NULL) {
			snprintf(subject, sizeof(subject), "instance %s",
			    tus[i].instance);
			window_text(&tus[i], win, sizeof(win));
			cc_finding(CK_NOVA, SEV_ERROR, subject,
			    "known to our records", "never seen",
			    "window %s: nova lists it with %s hours (%s)", win,
			    tus[i].hours_text, tus[i].where);
			unseen++;
			continue;
		}
		bad += (size_t)compare(&tus[i], &lines[oix]);
	}
	missing = unlisted();
	smap_free(&ix);
	cc_note(CK_NOVA, "%zu tenant_usage records: %zu disagree, %zu never "
	    "seen by us, %zu not listed by nova (tolerance %llds)", ntus, bad,
	    unseen, missing, (long long)CO.tolerance);
}
