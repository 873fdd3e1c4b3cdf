/*
 * timeline.c: what each instance, volume and floating IP did in the
 * period, piece by piece, and the whole hours that are billed for it.
 *
 * The period is cut at every instant where something may change (an
 * action, the start or end of what was observed, a month, an outage,
 * a gap in collection); in each piece the state, the flavor and who
 * vouches for them are constant:
 *   - an action (or deleted_at) vouches for the state from its time on;
 *   - an observation that contradicts the last action, first seen later
 *     than --grace after it, shows that an action is missing: from then
 *     on the observation decides and the time is "inferred";
 *   - with no action, observations decide (inferred as well);
 *   - with neither, time inside a gap in collection is "unknown" (never
 *     billed, always reported), and time inside a complete collection in
 *     which the object was absent is time it no longer existed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ua.h"
#include "util.h"

#define MAX_SHARES	64

struct bucket {
	uint32_t	 mon, shape;
	int64_t		 sec, inferred, unknown;
	struct weight	*w;
	size_t		 nw, capw;
};

static struct bucket	*bk;
static size_t		 nbk, capbk;
static int64_t		*cuts;
static size_t		 ncuts, capcuts;

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_act(const void *a, const void *b)
{
	const struct act *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static int
cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	if (x->from != y->from)
		return (x->from > y->from) - (x->from < y->from);
	return (x->version < y->version) - (x->version > y->version);
}

size_t
ua_month_of(int64_t t)
{
	size_t i;

	for (i = 1; i < M.nmonths; i++)
		if (t < M.months[i].start)
			return i - 1;
	return M.nmonths - 1;
}

/*
 * Complete collection runs vouch for the time from one to the next when
 * they are at most --max-gap apart, and for --interval after the last.
 */
void
ua_coverage(void)
{
	size_t i;

	ua_qsort(M.runs_at, M.nruns_at, sizeof(*M.runs_at), cmp_i64);
	M.cov_from = moc_xcalloc(M.nruns_at + 1, sizeof(int64_t));
	M.cov_to = moc_xcalloc(M.nruns_at + 1, sizeof(int64_t));
	for (i = 0; i < M.nruns_at; i++) {
		int64_t s = M.runs_at[i];

		if (s >= M.since && s < M.until)
			M.slot_seen[(s - M.since) / M.interval] = 1;
		if (M.ncov > 0 && s - M.cov_to[M.ncov - 1] + M.interval <=
		    M.max_gap) {
			if (s + M.interval > M.cov_to[M.ncov - 1])
				M.cov_to[M.ncov - 1] = s + M.interval;
			continue;
		}
		M.cov_from[M.ncov] = s;
		M.cov_to[M.ncov++] = s + M.interval;
	}
}

/* Whether the collection vouches for instant t. */
static int
collected(int64_t t)
{
	size_t lo = 0, hi = M.ncov;

	if (!M.have_runs)
		return t >= M.since && t < M.until &&
		    M.slot_seen[(t - M.since) / M.interval];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (M.cov_from[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && t < M.cov_to[lo - 1];
}

static int
in_outage(int64_t t)
{
	size_t i;

	for (i = 0; i < M.nout; i++)
		if (t >= M.out_from[i] && t < M.out_to[i])
			return 1;
	return 0;
}

static void
cut(int64_t t)
{
	if (t <= M.since || t >= M.until)
		return;
	cuts = ua_grow(cuts, &capcuts, ncuts, sizeof(*cuts));
	cuts[ncuts++] = t;
}

/* Observation runs end where the next begins when that is close, else
 * one --interval after they were last seen. */
static void
run_ends(struct obj *o)
{
	uint32_t i;

	ua_qsort(o->runs, o->nruns, sizeof(*o->runs), cmp_run);
	for (i = 0; i < o->nruns; i++) {
		struct run *r = &o->runs[i];

		if (r->version)
			continue;
		r->end = r->last + M.interval;
		if (i + 1 < o->nruns) {
			int64_t nf = o->runs[i + 1].from;

			if (nf - r->last <= M.max_gap || nf < r->end)
				r->end = nf > r->last ? nf : r->last + 1;
		}
	}
}

static const struct run *
run_at(const struct obj *o, int64_t t, uint32_t *ix)
{
	uint32_t i;

	for (i = o->nruns; i-- > 0;) {
		const struct run *r = &o->runs[i];

		if (r->from > t || t >= r->end)
			continue;
		/* A row version counts only where the collection ran. */
		if (r->version && M.have_runs && !collected(t))
			continue;
		*ix = i;
		return r;
	}
	return NULL;
}

static const struct act *
act_at(const struct obj *o, int64_t t)
{
	uint32_t i;

	for (i = o->nacts; i-- > 0;)
		if (o->acts[i].t <= t && o->acts[i].state != ST_NONE)
			return &o->acts[i];
	return NULL;
}

/* The shape in force at t: the observed one, moved to the moment a
 * resize (or its revert) completed when that lies just before the
 * observation that first showed the new flavor. */
static uint32_t
shape_at(const struct obj *o, int64_t t, const struct run *r, uint32_t ri)
{
	uint32_t i, j;

	if (r == NULL) {
		for (i = o->nruns; i-- > 0;)
			if (o->runs[i].from <= t)
				return o->runs[i].shape;
		return o->nruns > 0 ? o->runs[0].shape : o->shape;
	}
	for (i = ri + 1; i < o->nruns; i++) {
		const struct run *n = &o->runs[i];
		int64_t lo;

		if (n->shape == r->shape)
			continue;
		lo = r->last < n->from - M.max_gap ? r->last :
		    n->from - M.max_gap;
		for (j = 0; j < o->nacts; j++)
			if (o->acts[j].resize && o->acts[j].tf >= lo &&
			    o->acts[j].tf <= n->from && o->acts[j].tf <= t)
				return n->shape;
		break;
	}
	return r->shape;
}

/* State at t and who vouches: 0 an action, 1 observations (inferred). */
static uint8_t
state_at(const struct obj *o, int64_t t, int64_t start, int *inferred,
    uint32_t *shape)
{
	const struct act *a = act_at(o, t);
	const struct run *r;
	uint32_t ri = 0;

	r = run_at(o, t, &ri);
	*shape = shape_at(o, t, r, ri);
	*inferred = 0;
	/* deleted_at or terminated_at of an instance without a delete
	 * action ends it as an action would. */
	if (t >= o->deleted)
		return ST_DELETED;
	if (r != NULL && (a == NULL || (r->state != a->state &&
	    r->from > a->t + M.grace && r->state != ST_UNKNOWN))) {
		*inferred = 1;
		return r->state;
	}
	/* After the last collection nobody can vouch for anything: an action
	 * log read then says nothing of what came later. */
	if (M.have_runs && M.ncov > 0 && t >= M.cov_to[M.ncov - 1])
		return ST_UNKNOWN;
	if (a != NULL) {
		/* Gone from complete collections after it was last seen. */
		if (M.have_runs && o->nruns > 0 &&
		    t >= o->runs[o->nruns - 1].end && collected(t) &&
		    a->state != ST_DELETED) {
			*inferred = 1;
			return ST_DELETED;
		}
		return a->state;
	}
	if (t < start)
		return ST_NONE;
	if (t >= o->deleted)
		return ST_DELETED;
	if (collected(t) || o->nruns == 0)
		return o->nruns == 0 ? ST_UNKNOWN : ST_NONE;
	return ST_UNKNOWN;
}

static struct bucket *
bucket(uint32_t mon, uint32_t shape)
{
	size_t i;

	for (i = 0; i < nbk; i++)
		if (bk[i].mon == mon && bk[i].shape == shape)
			return &bk[i];
	if (nbk == capbk) {
		capbk = capbk ? capbk * 2 : 8;
		bk = moc_xrealloc(bk, capbk * sizeof(*bk));
		memset(bk + nbk, 0, (capbk - nbk) * sizeof(*bk));
	}
	bk[nbk].mon = mon;
	bk[nbk].shape = shape;
	bk[nbk].sec = bk[nbk].inferred = bk[nbk].unknown = 0;
	bk[nbk].nw = 0;
	return &bk[nbk++];
}

static void
add_weight(struct weight **w, size_t *nw, size_t *capw, uint32_t inst,
    ua_i128 amount)
{
	size_t i;

	for (i = 0; i < *nw; i++)
		if ((*w)[i].inst == inst) {
			(*w)[i].w += amount;
			return;
		}
	*w = ua_grow(*w, capw, *nw, sizeof(**w));
	(*w)[*nw].inst = inst;
	(*w)[(*nw)++].w = amount;
}

/* Split a billable piece among the institutions funding the project. */
static void
split_piece(struct bucket *b, const struct obj *o, int64_t x, int64_t y)
{
	uint32_t inst[MAX_SHARES];
	int64_t ppb[MAX_SHARES], next;
	size_t n, i;

	while (x < y) {
		int64_t e;

		n = ua_shares_at(o->project, x, inst, ppb, MAX_SHARES, &next);
		e = next < y ? next : y;
		if (n == 0)
			add_weight(&b->w, &b->nw, &b->capw, M.users[o->user].inst,
			    (ua_i128)(e - x) * 1000000000);
		for (i = 0; i < n; i++)
			add_weight(&b->w, &b->nw, &b->capw, inst[i],
			    (ua_i128)(e - x) * ppb[i]);
		x = e;
	}
}

static void
cut_object(const struct obj *o, int64_t start)
{
	size_t i;

	ncuts = 0;
	cut(M.since);
	cut(M.until);
	for (i = 0; i < M.nmonths; i++)
		cut(M.months[i].start);
	for (i = 0; i < M.nout; i++) {
		cut(M.out_from[i]);
		cut(M.out_to[i]);
	}
	for (i = 0; i < o->nacts; i++) {
		cut(o->acts[i].t);
		cut(o->acts[i].tf);
	}
	for (i = 0; i < o->nruns; i++) {
		cut(o->runs[i].from);
		cut(o->runs[i].end);
		if (o->runs[i].version && M.have_runs) {
			size_t k;

			for (k = 0; k < M.ncov; k++)
				if (M.cov_to[k] > o->runs[i].from &&
				    M.cov_from[k] < o->runs[i].end) {
					cut(M.cov_from[k]);
					cut(M.cov_to[k]);
				}
		}
	}
	if (start != INT64_MIN)
		cut(start);
	if (o->deleted != T_INF)
		cut(o->deleted);
	if (o->nruns > 0 && !M.have_runs) {
		/* Gaps in collection start and end at slot boundaries. */
		for (i = 0; i < M.nslots; i++)
			if (i == 0 || M.slot_seen[i] != M.slot_seen[i - 1])
				cut(M.since + (int64_t)i * M.interval);
	}
	cuts = ua_grow(cuts, &capcuts, ncuts + 2, sizeof(*cuts));
	cuts[ncuts++] = M.since;
	cuts[ncuts++] = M.until;
	ua_qsort(cuts, ncuts, sizeof(*cuts), cmp_i64);
}

static int64_t
obj_start(const struct obj *o)
{
	int64_t s = o->created;

	if (s == INT64_MIN) {
		s = T_INF;
		if (o->nacts > 0)
			s = o->acts[0].t;
		if (o->nruns > 0 && o->runs[0].from < s)
			s = o->runs[0].from;
	}
	return s;
}

/*
 * Whole hours per bucket.  An object's billable seconds in a month are
 * rounded up to whole hours once; when its flavor changed, each flavor
 * gets its whole hours and the hours left over go to the flavors with the
 * largest remainders, so the object's hours are never more than one above
 * the truth and every hour is counted with the flavor it was used with.
 */
static void
whole_hours(int64_t *hours)
{
	size_t i, j, best;
	uint32_t mon;

	for (i = 0; i < nbk; i++)
		hours[i] = -1;
	for (i = 0; i < nbk; i++) {
		int64_t total = 0, given = 0;

		if (hours[i] != -1)
			continue;
		mon = bk[i].mon;
		for (j = i; j < nbk; j++)
			if (bk[j].mon == mon) {
				total += bk[j].sec;
				hours[j] = bk[j].sec / 3600;
				given += hours[j];
			}
		for (total = (total + 3599) / 3600; given < total; given++) {
			best = nbk;
			for (j = i; j < nbk; j++)
				if (bk[j].mon == mon && bk[j].sec % 3600 > 0 &&
				    hours[j] * 3600 < bk[j].sec &&
				    (best == nbk || bk[j].sec % 3600 >
				    bk[best].sec % 3600))
					best = j;
			hours[best]++;
		}
	}
}

/* Fold one object's buckets into its cells. */
static void
fold(uint32_t oix, const struct obj *o)
{
	int64_t *hours = moc_xcalloc(nbk + 1, sizeof(*hours));
	size_t i, j;

	whole_hours(hours);
	for (i = 0; i < nbk; i++) {
		const struct bucket *b = &bk[i];
		const struct shape *s = &M.shapes[b->shape];
		int64_t h = hours[i];
		int64_t sus = o->kind == OBJ_INSTANCE ? ua_sus(s, b->mon) : 0;
		uint32_t su = o->kind == OBJ_INSTANCE ? s->su : 0;
		struct fig f;
		struct cell *c;
		int64_t unit;

		memset(&f, 0, sizeof(f));
		if (o->kind == OBJ_INSTANCE) {
			f.inst_h = h;
			f.su_h = h * sus;
			f.vcpu_h = h * s->vcpus;
			f.ram_mib_h = h * s->ram_mb;
			f.disk_h = h * s->disk_gb;
			f.gpu_h = h * s->gpus;
		} else if (o->kind == OBJ_VOLUME)
			f.vol_h = h * s->disk_gb;
		else
			f.fip_h = h;
		f.inferred_s = b->inferred;
		f.unknown_s = b->unknown;
		fig_add(&cells_at(&M.units, oix, su, b->mon, 0)->f, &f);
		c = cells_at(&M.pcells, o->project, su, b->mon, 0);
		fig_add(&c->f, &f);
		/* Institutions weigh in by SU-seconds (size-seconds for
		 * volumes) under each share. */
		unit = o->kind == OBJ_INSTANCE ? (sus > 0 ? sus : 1) :
		    o->kind == OBJ_VOLUME ? (s->disk_gb > 0 ? s->disk_gb : 1) :
		    1;
		for (j = 0; j < b->nw; j++) {
			size_t cw = c->nw;

			add_weight(&c->w, &c->nw, &cw, b->w[j].inst,
			    b->w[j].w * unit);
		}
	}
	free(hours);
}

static void
account(uint32_t oix)
{
	struct obj *o = &M.objs[oix];
	int64_t start;
	size_t i;

	ua_qsort(o->acts, o->nacts, sizeof(*o->acts), cmp_act);
	run_ends(o);
	if (o->kind == OBJ_INSTANCE && o->nruns == 0)
		moc_warn("instance %s: actions but no instance record; its "
		    "flavor, project and user are unknown", o->id);
	if (o->has_delete)
		o->deleted = T_INF;
	start = obj_start(o);
	cut_object(o, start);
	nbk = 0;
	for (i = 0; i + 1 < ncuts; i++) {
		int64_t x = cuts[i], y = cuts[i + 1];
		size_t mon;
		uint32_t shape;
		int inferred, billable;
		uint8_t st;
		struct bucket *b;

		if (x == y)
			continue;
		mon = ua_month_of(x);
		st = state_at(o, x, start, &inferred, &shape);
		if (M.piece != NULL) {
			M.piece(oix, x, y, st, inferred);
			continue;
		}
		billable = st == ST_RUNNING || (st == ST_STOPPED &&
		    o->kind == OBJ_INSTANCE && M.months[mon].charge_stopped);
		if (st == ST_UNKNOWN) {
			bucket((uint32_t)mon, shape)->unknown += y - x;
			continue;
		}
		if (!billable || in_outage(x))
			continue;
		b = bucket((uint32_t)mon, shape);
		b->sec += y - x;
		if (inferred)
			b->inferred += y - x;
		split_piece(b, o, x, y);
	}
	if (M.piece == NULL)
		fold(oix, o);
}

void
ua_account_all(void)
{
	size_t i;

	for (i = 0; i < M.nobjs; i++)
		account((uint32_t)i);
	for (i = 0; i < capbk; i++)
		free(bk[i].w);
	free(bk);
	free(cuts);
	bk = NULL;
	cuts = NULL;
	capbk = capcuts = 0;
}
