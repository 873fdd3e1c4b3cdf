/*
 * report.c: service units, the project tree, funding shares, the axes and
 * the allocation of cents, and the records written.
 *
 * Exact agreement across axes: every object's whole SU-hours are summed
 * into each axis, so hours agree by construction.  Cents cannot simply be
 * rounded per row (the sum of rounded rows drifts from the rounded sum),
 * so for each SU type and month the total is rate x total SU-hours rounded
 * half up once, and each axis hands it out to its rows by largest
 * remainder: every row gets its exact amount rounded down, and the cents
 * left over go to the rows with the largest remainders (ties by id).  A
 * row is thus never more than one cent from its own exact amount, and the
 * rows of every axis add up to the same total.  Institutions receive a
 * project's whole hours the same way, in proportion to the SU-seconds
 * each funded.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jwrite.h"
#include "rtime.h"
#include "ua.h"
#include "util.h"

enum axis { AX_INSTANCE, AX_USER, AX_PROJECT, AX_INSTITUTION, AX_N };
static const char *axis_name[AX_N] = {
	"instance", "user", "project", "institution"
};

struct sudef {
	int		 known;
	struct dec	 per[3];	/* vCPUs, RAM MiB, GPUs in one SU */
	int		 has_rate;
	struct dec	 rate;
	char		*rate_text;
};

static struct sudef *sudefs;	/* [su * nmonths + mon] */
static struct jw out;

/* Index 0's empty id is written as null. */
static const char *
nz(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* --- cells -------------------------------------------------------------- */

struct cell *
cells_at(struct cells *cs, uint32_t ent, uint32_t su, uint32_t mon,
    uint32_t ent2)
{
	uint64_t key;
	uint32_t ix;

	if (ent >= (1u << 24) || su >= (1u << 10) || mon >= (1u << 10) ||
	    ent2 >= (1u << 20))
		moc_die(EXIT_DATA, "too many objects, SU types or months");
	key = (uint64_t)ent << 40 | (uint64_t)su << 30 | (uint64_t)mon << 20 |
	    ent2;
	if (u64map_get(&cs->idx, key, &ix))
		return &cs->v[ix];
	cs->v = ua_grow(cs->v, &cs->cap, cs->n, sizeof(*cs->v));
	memset(&cs->v[cs->n], 0, sizeof(*cs->v));
	cs->v[cs->n].ent = ent;
	cs->v[cs->n].su = su;
	cs->v[cs->n].mon = mon;
	cs->v[cs->n].ent2 = ent2;
	u64map_put(&cs->idx, key, (uint32_t)cs->n);
	return &cs->v[cs->n++];
}

void
cells_free(struct cells *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->v[i].w);
	free(cs->v);
	u64map_free(&cs->idx);
	memset(cs, 0, sizeof(*cs));
}

void
fig_add(struct fig *a, const struct fig *b)
{
	a->inst_h += b->inst_h;
	a->su_h += b->su_h;
	a->vcpu_h += b->vcpu_h;
	a->ram_mib_h += b->ram_mib_h;
	a->disk_h += b->disk_h;
	a->gpu_h += b->gpu_h;
	a->vol_h += b->vol_h;
	a->fip_h += b->fip_h;
	a->inferred_s += b->inferred_s;
	a->unknown_s += b->unknown_s;
	a->cents += b->cents;
	a->su_nh += b->su_nh;
	a->split |= b->split;
}

static int
fig_zero(const struct fig *f)
{
	return f->inst_h == 0 && f->su_h == 0 && f->vol_h == 0 &&
	    f->fip_h == 0 && f->inferred_s == 0 && f->unknown_s == 0 &&
	    f->su_nh == 0 && f->cents == 0;
}

/* --- SU types and definitions ------------------------------------------- */

uint32_t
ua_su_type(const char *name)
{
	uint32_t ix;
	char label[300];

	if (smap_get(&M.su_ix, name, strlen(name), &ix))
		return ix;
	M.sus = ua_grow(M.sus, &M.capsus, M.nsus, sizeof(*M.sus));
	M.sus[M.nsus].name = moc_xstrdup(name);
	snprintf(label, sizeof(label), "OpenStack %s", name);
	M.sus[M.nsus].label = *name ? moc_xstrdup(label) : NULL;
	smap_put(&M.su_ix, name, strlen(name), (uint32_t)M.nsus);
	return (uint32_t)M.nsus++;
}

/* "GPU" and the alias in capitals without punctuation: a100-sxm4 gives
 * GPUA100SXM4, the name used by the rates file. */
static uint32_t
gpu_su_type(const char *alias)
{
	char name[128] = "GPU";
	size_t n = 3;

	for (; alias != NULL && *alias && n + 1 < sizeof(name); alias++) {
		char c = *alias;

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			name[n++] = c;
	}
	name[n] = '\0';
	return ua_su_type(name);
}

void
ua_resolve_shapes(void)
{
	size_t i;
	uint32_t f;

	for (i = 0; i < M.nshapes; i++) {
		struct shape *s = &M.shapes[i];

		if (!s->resolved && s->flavor_id != NULL &&
		    smap_get(&M.flavor_ix, s->flavor_id, strlen(s->flavor_id),
		    &f)) {
			s->vcpus = M.flavors[f].vcpus;
			s->ram_mb = M.flavors[f].ram_mb;
			s->disk_gb = M.flavors[f].disk_gb;
			s->gpus = M.flavors[f].gpus;
			if (s->alias == NULL && M.flavors[f].alias != NULL)
				s->alias = moc_xstrdup(M.flavors[f].alias);
			s->resolved = 1;
		} else if (!s->resolved && i != 0)
			moc_warn("flavor %s: no sizes and no flavor record; "
			    "counted as 0 SUs", s->flavor_id ? s->flavor_id :
			    "(none)");
		s->su = s->gpus > 0 ? gpu_su_type(s->alias) :
		    ua_su_type("CPU");
	}
}

static void
need_dec(const char *name, size_t mon, struct dec *d, int required)
{
	const struct month *m = &M.months[mon];
	enum rate_type t;
	const char *v = rates_lookup(M.rates, name, m->year, m->mon, &t);

	if (v == NULL || t != RATE_DECIMAL || dec_parse(v, strlen(v), d) ==
	    -1) {
		if (!required) {
			d->m = 0;
			d->scale = 0;
			return;
		}
		moc_die(EXIT_USAGE, "%s: no Decimal \"%s\" for %04d-%02d",
		    M.rates_file, name, m->year, m->mon);
	}
}

static struct sudef *
sudef(uint32_t su, size_t mon)
{
	struct sudef *d;
	char name[300];

	if (sudefs == NULL)
		sudefs = moc_xcalloc(1024 * M.nmonths, sizeof(*sudefs));
	d = &sudefs[su * M.nmonths + mon];
	if (d->known)
		return d;
	snprintf(name, sizeof(name), "vCPUs in %s SU", M.sus[su].name);
	need_dec(name, mon, &d->per[0], 1);
	snprintf(name, sizeof(name), "RAM in %s SU", M.sus[su].name);
	need_dec(name, mon, &d->per[1], 1);
	snprintf(name, sizeof(name), "GPUs in %s SU", M.sus[su].name);
	need_dec(name, mon, &d->per[2], 0);
	d->known = 1;
	return d;
}

static struct sudef *
surate(uint32_t su, size_t mon)
{
	struct sudef *d = sudef(su, mon);
	char name[300];

	if (!d->has_rate) {
		snprintf(name, sizeof(name), "%s SU Rate", M.sus[su].name);
		need_dec(name, mon, &d->rate, 1);
		d->rate_text = moc_xmalloc(DEC_BUFSIZE);
		dec_format(d->rate, d->rate_text);
		d->has_rate = 1;
	}
	return d;
}

/* floor(x / per), per = m / 10^scale > 0. */
static int64_t
units_of(int64_t x, struct dec per)
{
	static const int64_t p10[] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000, 10000000000LL,
	    100000000000LL, 1000000000000LL, 10000000000000LL,
	    100000000000000LL, 1000000000000000LL, 10000000000000000LL,
	    100000000000000000LL, 1000000000000000000LL };

	return (int64_t)((ua_i128)x * p10[per.scale] / per.m);
}

/* Service units of a flavor in a month: the largest of vCPUs, RAM and
 * GPUs each divided by what one SU of its type holds, truncated. */
int64_t
ua_sus(const struct shape *s, size_t mon)
{
	const struct sudef *d = sudef(s->su, mon);
	int64_t x[3] = { s->vcpus, s->ram_mb, s->gpus }, best = 0, v;
	int i;

	for (i = 0; i < 3; i++)
		if (d->per[i].m > 0 && (v = units_of(x[i], d->per[i])) > best)
			best = v;
	return best;
}

/* The institution of a user: explicit, else from the e-mail domain or
 * a parent domain of it. */
static uint32_t
user_inst(uint32_t u)
{
	const char *at, *d;
	uint32_t ix;

	if (M.users[u].inst != NONE_IDX || M.users[u].email == NULL)
		return M.users[u].inst;
	if ((at = strrchr(M.users[u].email, '@')) == NULL)
		return NONE_IDX;
	for (d = at + 1; d != NULL; d = strchr(d, '.')) {
		char buf[256];
		size_t i, n;

		if (*d == '.')
			d++;
		n = strlen(d);
		if (n == 0 || n >= sizeof(buf))
			break;
		for (i = 0; i <= n; i++)
			buf[i] = (char)(d[i] >= 'A' && d[i] <= 'Z' ?
			    d[i] - 'A' + 'a' : d[i]);
		if (smap_get(&M.domain_inst, buf, n, &ix))
			return ix;
	}
	return NONE_IDX;
}

void
ua_resolve_users(void)
{
	size_t i;

	for (i = 1; i < M.nusers; i++)
		M.users[i].inst = user_inst((uint32_t)i);
}

/* --- project tree --------------------------------------------------------- */

static uint32_t
lookup_project(const char *id)
{
	uint32_t ix;

	if (id == NULL || !smap_get(&M.proj_ix, id, strlen(id), &ix) ||
	    !M.projs[ix].seen)
		return UINT32_MAX;
	return ix;
}

static void
set_parent(uint32_t i)
{
	struct project *p = &M.projs[i];
	uint32_t par;

	p->parent = 0;
	if (p->is_domain)
		return;
	if (!p->seen) {
		moc_warn("project %s: no project record; counted under the "
		    "root", p->id);
		return;
	}
	if (p->parent_id != NULL) {
		par = lookup_project(p->parent_id);
		if (par == UINT32_MAX && p->domain_id != NULL &&
		    strcmp(p->parent_id, p->domain_id) == 0)
			par = lookup_project(p->domain_id);
		if (par == UINT32_MAX) {
			moc_warn("project %s: parent %s unknown; counted "
			    "under the root", p->id, p->parent_id);
			return;
		}
		p->parent = par;
		return;
	}
	if (p->domain_id != NULL &&
	    (par = lookup_project(p->domain_id)) != UINT32_MAX)
		p->parent = par;
}

/* A loop in parent_id would make the tree endless: cut it at the project
 * where it closes and hang that project under the root. */
static void
break_cycles(void)
{
	size_t i;
	uint32_t j;

	for (i = 1; i < M.nprojs; i++) {
		for (j = (uint32_t)i; j != 0 && M.projs[j].mark != (int)i;
		    j = M.projs[j].parent)
			M.projs[j].mark = (int)i;
		if (j != 0) {
			moc_warn("project %s: cycle in the project tree; "
			    "counted under the root", M.projs[j].id);
			M.projs[j].parent = 0;
		}
	}
}

static const char *
proj_name(const struct project *p)
{
	return p->name != NULL ? p->name : p->id;
}

static const char *
path_of(uint32_t i)
{
	struct project *p = &M.projs[i];
	const char *pp;
	size_t n;

	if (p->path != NULL)
		return p->path;
	if (i == 0) {
		p->path = moc_xstrdup(M.root_name);
		return p->path;
	}
	pp = path_of(p->parent);
	p->depth = M.projs[p->parent].depth + 1;
	n = strlen(pp) + strlen(proj_name(p)) + 4;
	p->path = moc_xmalloc(n);
	snprintf(p->path, n, "%s / %s", pp, proj_name(p));
	return p->path;
}

static int
cmp_kid(const void *a, const void *b)
{
	const struct project *x = &M.projs[*(const uint32_t *)a];
	const struct project *y = &M.projs[*(const uint32_t *)b];
	int c = strcmp(proj_name(x), proj_name(y));

	return c != 0 ? c : strcmp(x->id, y->id);
}

void
ua_build_tree(void)
{
	size_t i, *cap;

	for (i = 1; i < M.nprojs; i++)
		set_parent((uint32_t)i);
	for (i = 0; i < M.nprojs; i++)
		M.projs[i].mark = -1;
	break_cycles();
	cap = moc_xcalloc(M.nprojs, sizeof(*cap));
	for (i = 1; i < M.nprojs; i++) {
		struct project *par = &M.projs[M.projs[i].parent];
		size_t pi = M.projs[i].parent;

		par->kids = ua_grow(par->kids, &cap[pi], par->nkids,
		    sizeof(*par->kids));
		par->kids[par->nkids++] = (uint32_t)i;
	}
	free(cap);
	for (i = 0; i < M.nprojs; i++) {
		ua_qsort(M.projs[i].kids, M.projs[i].nkids, sizeof(uint32_t),
		    cmp_kid);
		path_of((uint32_t)i);
	}
}

/* --- funding shares ------------------------------------------------------- */

/* Shares sorted by project, declaration and institution; the shares of
 * project p are share_at[p] .. share_at[p + 1]. */
static size_t *share_at;

/* The shares declared for a project that are in force at t: among the
 * records valid at t, those of the latest declaration (valid_from). */
static size_t
own_shares(uint32_t project, int64_t t, uint32_t *inst, int64_t *ppb,
    size_t max, int64_t *next)
{
	int64_t best = INT64_MIN;
	size_t i, n = 0, lo = share_at[project], hi = share_at[project + 1];
	int found = 0;

	for (i = lo; i < hi; i++) {
		const struct share *s = &M.shares[i];

		if (s->from > t && s->from < *next)
			*next = s->from;
		if (s->to > t && s->to < *next)
			*next = s->to;
		if (s->from <= t && t < s->to && (!found || s->from > best)) {
			best = s->from;
			found = 1;
		}
	}
	if (!found)
		return 0;
	for (i = lo; i < hi && n < max; i++) {
		const struct share *s = &M.shares[i];

		if (s->from == best && t < s->to) {
			inst[n] = s->inst;
			ppb[n++] = s->ppb;
		}
	}
	return n;
}

size_t
ua_shares_at(uint32_t project, int64_t t, uint32_t *inst, int64_t *ppb,
    size_t max, int64_t *next)
{
	size_t n = 0, hops;

	*next = T_INF;
	/* A project with no shares of its own takes its nearest
	 * ancestor's. */
	for (hops = 0; hops <= M.nprojs; hops++) {
		if ((n = own_shares(project, t, inst, ppb, max, next)) > 0 ||
		    project == 0)
			break;
		project = M.projs[project].parent;
	}
	return n;
}

static int
cmp_share(const void *a, const void *b)
{
	const struct share *x = a, *y = b;

	if (x->project != y->project)
		return (x->project > y->project) - (x->project < y->project);
	if (x->from != y->from)
		return (x->from > y->from) - (x->from < y->from);
	if (x->inst != y->inst)
		return (x->inst > y->inst) - (x->inst < y->inst);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort and index the shares; a record read again (the same project,
 * institution and valid_from) replaces the earlier one. */
static void
index_shares(void)
{
	size_t i, n = 0;

	ua_qsort(M.shares, M.nshares, sizeof(*M.shares), cmp_share);
	for (i = 0; i < M.nshares; i++) {
		if (n > 0 && M.shares[n - 1].project == M.shares[i].project &&
		    M.shares[n - 1].from == M.shares[i].from &&
		    M.shares[n - 1].inst == M.shares[i].inst) {
			free(M.shares[n - 1].text);
			free(M.shares[n - 1].where);
			M.shares[n - 1] = M.shares[i];
			continue;
		}
		M.shares[n++] = M.shares[i];
	}
	M.nshares = n;
	share_at = moc_xcalloc(M.nprojs + 2, sizeof(*share_at));
	for (i = 0; i < M.nshares; i++)
		share_at[M.shares[i].project + 1]++;
	for (i = 1; i <= M.nprojs; i++)
		share_at[i] += share_at[i - 1];
}

/* Shares declared together (one project, one valid_from) sum to 1. */
void
ua_check_shares(void)
{
	size_t i, j;
	int bad = 0;

	index_shares();
	for (i = 0; i < M.nshares; i = j) {
		int64_t sum = 0;

		for (j = i; j < M.nshares &&
		    M.shares[j].project == M.shares[i].project &&
		    M.shares[j].from == M.shares[i].from; j++)
			sum += M.shares[j].ppb;
		if (sum != 1000000000) {
			char d[DEC_BUFSIZE];
			struct dec x = { sum, 9 };

			dec_format(x, d);
			moc_warn("%s: shares of project %s sum to %s, "
			    "not 1, in field \"share\": \"%s\"",
			    M.shares[i].where, M.projs[M.shares[i].project].id,
			    d, M.shares[i].text);
			bad = 1;
		}
	}
	if (bad)
		moc_die(EXIT_DATA, "funding shares do not sum to 1");
}

/* --- allocation ------------------------------------------------------------ */

struct alloc {
	int64_t		 floor, rem;
	size_t		 ix;
	const char	*key;
};

static int
cmp_alloc(const void *a, const void *b)
{
	const struct alloc *x = a, *y = b;

	if (x->rem != y->rem)
		return (x->rem < y->rem) - (x->rem > y->rem);
	return strcmp(x->key, y->key);
}

typedef const char *(*key_fn)(const struct cell *);

/*
 * Hand out round_half_up(rate x total SU-hours) cents of each (SU type,
 * month) group to the cells of one axis by largest remainder.
 */
static void
allocate_cents(struct cells *cs, key_fn key)
{
	struct alloc *a = moc_xcalloc(cs->n + 1, sizeof(*a));
	char *done = moc_xcalloc(cs->n + 1, 1);
	size_t i, j, n;

	for (i = 0; i < cs->n; i++) {
		struct sudef *d;
		int64_t total = 0, cents, given = 0, den;

		if (done[i] || cs->v[i].su == 0)
			continue;
		d = NULL;
		n = 0;
		for (j = i; j < cs->n; j++) {
			struct cell *c = &cs->v[j];

			if (done[j] || c->su != cs->v[i].su ||
			    c->mon != cs->v[i].mon)
				continue;
			done[j] = 1;
			if (c->f.su_h == 0)
				continue;
			if (d == NULL)
				d = surate(c->su, c->mon);
			total += c->f.su_h;
			if (dec_mul_split(d->rate, c->f.su_h, &a[n].floor,
			    &a[n].rem, &den) == -1)
				moc_die(EXIT_DATA, "cost out of range");
			a[n].ix = j;
			a[n].key = key(c);
			given += a[n++].floor;
		}
		if (n == 0)
			continue;
		if (dec_mul_cents(d->rate, total, &cents) == -1)
			moc_die(EXIT_DATA, "cost out of range");
		ua_qsort(a, n, sizeof(*a), cmp_alloc);
		for (j = 0; j < n; j++)
			cs->v[a[j].ix].f.cents = a[j].floor +
			    (j < (size_t)(cents - given));
	}
	free(a);
	free(done);
}

/* total x w[i] / sum(w), by largest remainder, into out[]. */
static void
split_int(int64_t total, const struct weight *w, size_t n, int64_t *out)
{
	ua_i128 sum = 0, *rem = moc_xcalloc(n + 1, sizeof(*rem));
	int64_t given = 0;
	size_t i, j, k;

	for (i = 0; i < n; i++)
		sum += w[i].w;
	for (i = 0; i < n; i++) {
		ua_i128 x = (ua_i128)total * w[i].w;

		out[i] = sum > 0 ? (int64_t)(x / sum) : 0;
		rem[i] = sum > 0 ? x % sum : 0;
		given += out[i];
	}
	if (sum == 0 && n > 0) {
		out[0] = total;
		given = total;
	}
	/* The few units left go to the largest remainders; n is small. */
	for (k = 0; given < total; k++, given++) {
		j = 0;
		for (i = 1; i < n; i++)
			if (rem[i] > rem[j] || (rem[i] == rem[j] &&
			    strcmp(M.insts[w[i].inst].id,
			    M.insts[w[j].inst].id) < 0))
				j = i;
		out[j]++;
		rem[j] = -1;
	}
	free(rem);
}

#define NANO 1000000000LL

/* The figures split among institutions: every hour count and the cents
 * already allocated to the project. */
#define NFIGS 11
static int64_t *
fig_field(struct fig *f, int k)
{
	int64_t *p[NFIGS] = { &f->inst_h, &f->su_h, &f->vcpu_h, &f->ram_mib_h,
	    &f->disk_h, &f->gpu_h, &f->vol_h, &f->fip_h, &f->inferred_s,
	    &f->unknown_s, &f->cents };

	return p[k];
}

/* Weigh a project's funding in a portion (project, institution) over
 * the months: w[0] the institution's weight, w[1] every funder's. */
static void
portion_weigh(struct cell *pc, ua_i128 mine, ua_i128 all)
{
	if (pc->w == NULL) {
		pc->w = moc_xcalloc(2, sizeof(*pc->w));
		pc->nw = 2;
	}
	pc->w[0].w += mine;
	pc->w[1].w += all;
}

/*
 * Each project cell's figures, cents included, divided among its
 * institutions by largest remainder within the project: the parts add
 * up to the project's own figures exactly, and a project with a single
 * funder hands it all of them.  inv gets a cell per (project, SU type,
 * month, institution), portions one per (project, SU type,
 * institution) summed over the months.
 */
static void
split_projects(struct cells *inv, struct cells *portions)
{
	size_t i, j;
	int k;

	for (i = 0; i < M.pcells.n; i++) {
		struct cell *c = &M.pcells.v[i];
		struct weight none = { NONE_IDX, 1 };
		const struct weight *w = c->nw > 0 ? c->w : &none;
		size_t nw = c->nw > 0 ? c->nw : 1;
		int64_t *part = moc_xcalloc(nw, sizeof(*part));
		ua_i128 all = 0;

		for (j = 0; j < nw; j++) {
			cells_at(inv, c->ent, c->su, c->mon, w[j].inst);
			all += w[j].w;
		}
		for (j = 0; j < nw; j++)
			portion_weigh(cells_at(portions, c->ent, c->su, 0,
			    w[j].inst), w[j].w, all);
		if (c->f.su_h > INT64_MAX / NANO)
			moc_die(EXIT_DATA, "SU-hours out of range");
		split_int(c->f.su_h * NANO, w, nw, part);
		for (j = 0; j < nw; j++) {
			struct fig *a = &cells_at(inv, c->ent, c->su, c->mon,
			    w[j].inst)->f;
			struct fig *b = &cells_at(portions, c->ent, c->su, 0,
			    w[j].inst)->f;

			a->su_nh += part[j];
			b->su_nh += part[j];
			a->split = b->split = 1;
		}
		for (k = 0; k < NFIGS; k++) {
			split_int(*fig_field(&c->f, k), w, nw, part);
			for (j = 0; j < nw; j++) {
				*fig_field(&cells_at(inv, c->ent, c->su, c->mon,
				    w[j].inst)->f, k) += part[j];
				*fig_field(&cells_at(portions, c->ent, c->su, 0,
				    w[j].inst)->f, k) += part[j];
			}
		}
		free(part);
	}
}

/* --- output ----------------------------------------------------------------- */

static const char *
obj_key(const struct cell *c)
{
	return M.objs[c->ent].id;
}

static const char *
user_key(const struct cell *c)
{
	return M.users[c->ent].id;
}

static const char *
proj_key(const struct cell *c)
{
	return M.projs[c->ent].id;
}

static void
hours_field(const char *key, int64_t seconds)
{
	char b[DEC_BUFSIZE];

	dec_format_ratio(seconds, 3600, 2, b);
	jw_key(&out, key);
	jw_number_text(&out, b, strlen(b));
}

static const char *
rate_text(uint32_t su)
{
	const char *r = NULL;
	size_t m;

	if (su == 0)
		return NULL;
	for (m = 0; m < M.nmonths; m++) {
		const char *x = surate(su, m)->rate_text;

		if (r != NULL && strcmp(r, x) != 0)
			return NULL;	/* changed within the period */
		r = x;
	}
	return r;
}

/* Whole SU-hours, or the exact part of a project's (see split_projects). */
static void
su_hours_field(const struct fig *f)
{
	char b[DEC_BUFSIZE];

	if (!f->split) {
		jw_kv_int(&out, "su_hours", f->su_h);
		return;
	}
	dec_format_ratio(f->su_nh, NANO, 9, b);
	jw_key(&out, "su_hours");
	jw_number_text(&out, b, strlen(b));
}

static void
write_figs(const struct fig *f, uint32_t su)
{
	char b[DEC_BUFSIZE];

	jw_kv_int(&out, "instance_hours", f->inst_h);
	su_hours_field(f);
	jw_kv_int(&out, "vcpu_hours", f->vcpu_h);
	dec_format_ratio(f->ram_mib_h, 1024, 10, b);
	jw_key(&out, "ram_gib_hours");
	jw_number_text(&out, b, strlen(b));
	jw_kv_int(&out, "disk_gib_hours", f->disk_h);
	jw_kv_int(&out, "gpu_hours", f->gpu_h);
	jw_kv_int(&out, "volume_gib_hours", f->vol_h);
	jw_kv_int(&out, "floating_ip_hours", f->fip_h);
	hours_field("inferred_hours", f->inferred_s);
	hours_field("unknown_hours", f->unknown_s);
	jw_kv_string(&out, "rate", rate_text(su));
	if (su == 0)
		jw_kv_string(&out, "cost", NULL);
	else {
		dec_format_cents(f->cents, b);
		jw_kv_string(&out, "cost", b);
	}
}

static void
row_begin(enum axis ax, const char *id, const char *name, uint32_t su)
{
	jw_object_begin(&out);
	jw_kv_string(&out, "type", "usage");
	jw_kv_string(&out, "axis", axis_name[ax]);
	jw_kv_string(&out, "id", nz(id));
	jw_kv_string(&out, "name", name);
	jw_kv_string(&out, "su_type", M.sus[su].label);
}

static void
row_end(const struct fig *f, uint32_t su)
{
	write_figs(f, su);
	jw_object_end(&out);
	jw_end_record(&out);
}

/* Cells summed over months into rows (ent, su), ready to print. */
static void
to_rows(const struct cells *cs, struct cells *rows)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		fig_add(&cells_at(rows, cs->v[i].ent, cs->v[i].su, 0,
		    0)->f, &cs->v[i].f);
}

static int
cmp_su(uint32_t a, uint32_t b)
{
	/* Storage (no SU type) last, the others by label. */
	if (a == 0 || b == 0)
		return (a == 0) - (b == 0);
	return strcmp(M.sus[a].label, M.sus[b].label);
}

/* The SU types in the order rows are written; free() the result. */
static uint32_t *
su_order(void)
{
	uint32_t *order = moc_xcalloc(M.nsus + 1, sizeof(*order));
	size_t i, j;

	for (i = 0; i < M.nsus; i++)
		order[i] = (uint32_t)i;
	for (i = 1; i < M.nsus; i++)	/* few SU types: insertion sort */
		for (j = i; j > 0 && cmp_su(order[j], order[j - 1]) < 0; j--) {
			uint32_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	return order;
}

static const char *(*row_sort_key)(uint32_t);

static int
cmp_row(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	int c = strcmp(row_sort_key(x->ent), row_sort_key(y->ent));

	if (c != 0)
		return c;
	if (x->ent != y->ent)
		return (x->ent > y->ent) - (x->ent < y->ent);
	return cmp_su(x->su, y->su);
}

static const char *
obj_sort(uint32_t e)
{
	return M.objs[e].id;
}

static const char *
user_sort(uint32_t e)
{
	return M.users[e].id;
}

static const char *
inst_sort(uint32_t e)
{
	return M.insts[e].id;
}

static void
sort_rows(struct cells *rows, const char *(*key)(uint32_t))
{
	row_sort_key = key;
	ua_qsort(rows->v, rows->n, sizeof(*rows->v), cmp_row);
}

static void
write_instance_rows(const struct cells *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct cell *c = &rows->v[i];
		const struct obj *o = &M.objs[c->ent];

		if (fig_zero(&c->f))
			continue;
		row_begin(AX_INSTANCE, o->id, o->name, c->su);
		jw_kv_string(&out, "kind", o->kind == OBJ_INSTANCE ?
		    "instance" : o->kind == OBJ_VOLUME ? "volume" :
		    "floating_ip");
		jw_kv_string(&out, "project_id", nz(M.projs[o->project].id));
		jw_kv_string(&out, "user_id", nz(M.users[o->user].id));
		row_end(&c->f, c->su);
	}
}

static void
write_user_rows(const struct cells *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct cell *c = &rows->v[i];
		const struct user *u = &M.users[c->ent];
		uint32_t in = u->inst;

		if (fig_zero(&c->f))
			continue;
		row_begin(AX_USER, u->id, u->name, c->su);
		jw_kv_string(&out, "user_id", nz(u->id));
		jw_kv_string(&out, "email", u->email);
		jw_kv_string(&out, "institution_id", nz(M.insts[in].id));
		jw_kv_string(&out, "institution_name", M.insts[in].name);
		row_end(&c->f, c->su);
	}
}

/* Portions by institution, then project path, then SU type. */
static int
cmp_portion(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	int c = strcmp(M.insts[x->ent2].id, M.insts[y->ent2].id);

	if (c != 0)
		return c;
	if (x->ent2 != y->ent2)
		return (x->ent2 > y->ent2) - (x->ent2 < y->ent2);
	if ((c = strcmp(M.projs[x->ent].path, M.projs[y->ent].path)) != 0)
		return c;
	if (x->ent != y->ent)
		return (x->ent > y->ent) - (x->ent < y->ent);
	return cmp_su(x->su, y->su);
}

/*
 * The share an institution held in a project over the period: its
 * weight over all funders' (SU-seconds under each share), to nine
 * places.  With one declaration in force all period this is the
 * declared share exactly.
 */
static void
portion_share(const struct cell *pc, char buf[DEC_BUFSIZE])
{
	ua_i128 mine = pc->w[0].w, all = pc->w[1].w;
	int64_t ppb = all > 0 ?
	    (int64_t)((mine * 2000000000 + all) / (all * 2)) : 1000000000;

	dec_format_ratio(ppb, 1000000000, 9, buf);
}

/* An institution's part of one project: the institution axis row with
 * project_id and share. */
static void
write_portion(const struct cell *pc)
{
	const struct inst *in = &M.insts[pc->ent2];
	const struct project *p = &M.projs[pc->ent];
	char b[DEC_BUFSIZE];

	row_begin(AX_INSTITUTION, in->id, in->name, pc->su);
	jw_kv_string(&out, "institution_id", nz(in->id));
	jw_kv_string(&out, "institution_name", in->name);
	jw_kv_string(&out, "project_id", pc->ent == 0 ? NULL : p->id);
	jw_kv_string(&out, "project_name", proj_name(p));
	jw_kv_string(&out, "path", p->path);
	portion_share(pc, b);
	jw_kv_string(&out, "share", b);
	row_end(&pc->f, pc->su);
}

/* Each institution's rows, then its part of each project it funds. */
static void
write_inst_rows(const struct cells *rows, struct cells *portions)
{
	size_t i, k = 0;

	ua_qsort(portions->v, portions->n, sizeof(*portions->v),
	    cmp_portion);
	for (i = 0; i < rows->n; i++) {
		const struct cell *c = &rows->v[i];
		const struct inst *in = &M.insts[c->ent];

		if (!fig_zero(&c->f)) {
			row_begin(AX_INSTITUTION, in->id, in->name, c->su);
			jw_kv_string(&out, "institution_id", nz(in->id));
			jw_kv_string(&out, "institution_name", in->name);
			row_end(&c->f, c->su);
		}
		if (i + 1 < rows->n && rows->v[i + 1].ent == c->ent)
			continue;
		for (; k < portions->n && portions->v[k].ent2 == c->ent; k++)
			if (!fig_zero(&portions->v[k].f))
				write_portion(&portions->v[k]);
	}
}

/* Subtree figures: own plus every descendant's, per SU type. */
static void
subtree(uint32_t p, struct cells *own, struct cells *sub)
{
	size_t i, k;

	for (k = 0; k < M.projs[p].nkids; k++) {
		uint32_t kid = M.projs[p].kids[k];

		subtree(kid, own, sub);
		for (i = 0; i < M.nsus; i++) {
			struct fig f;
			uint32_t ix;
			uint64_t key = (uint64_t)kid << 40 |
			    (uint64_t)i << 30;

			if (!u64map_get(&sub->idx, key, &ix))
				continue;
			f = sub->v[ix].f;	/* cells_at may move it */
			fig_add(&cells_at(sub, p, (uint32_t)i, 0, 0)->f, &f);
		}
	}
	for (i = 0; i < M.nsus; i++) {
		uint32_t ix;
		uint64_t key = (uint64_t)p << 40 | (uint64_t)i << 30;

		if (u64map_get(&own->idx, key, &ix)) {
			struct fig f = own->v[ix].f;

			fig_add(&cells_at(sub, p, (uint32_t)i, 0, 0)->f, &f);
		}
	}
}

static void
write_project(uint32_t p, struct cells *own, struct cells *sub)
{
	const struct project *pr = &M.projs[p];
	uint32_t *order = su_order();
	size_t i, k;
	int s;

	for (i = 0; i < M.nsus; i++)
		for (s = 0; s < 2; s++) {
			struct cells *cs = s == 0 ? own : sub;
			uint64_t key = (uint64_t)p << 40 |
			    (uint64_t)order[i] << 30;
			uint32_t ix;

			if (!u64map_get(&cs->idx, key, &ix) ||
			    fig_zero(&cs->v[ix].f))
				continue;
			row_begin(AX_PROJECT, p == 0 ? NULL : pr->id,
			    proj_name(pr), order[i]);
			jw_kv_string(&out, "scope", s == 0 ? "own" :
			    "subtree");
			jw_kv_string(&out, "path", pr->path);
			jw_kv_int(&out, "depth", pr->depth);
			jw_kv_string(&out, "parent_id", p == 0 ? NULL :
			    nz(M.projs[pr->parent].id));
			jw_kv_string(&out, "pi", pr->pi);
			row_end(&cs->v[ix].f, order[i]);
		}
	free(order);
	for (k = 0; k < pr->nkids; k++)
		write_project(pr->kids[k], own, sub);
}

static void
write_totals(enum axis ax, const struct cells *rows, int64_t *su_h,
    int64_t *cents)
{
	size_t i, k;
	uint32_t s, *order;
	int64_t *nano = moc_xcalloc(M.nsus + 1, sizeof(*nano));

	memset(su_h, 0, M.nsus * sizeof(*su_h));
	memset(cents, 0, M.nsus * sizeof(*cents));
	for (i = 0; i < rows->n; i++) {
		su_h[rows->v[i].su] += rows->v[i].f.su_h;
		cents[rows->v[i].su] += rows->v[i].f.cents;
		nano[rows->v[i].su] += rows->v[i].f.su_nh;
	}
	/* The exact parts add up to the whole hours, or the split is
	 * wrong. */
	for (s = 0; s < M.nsus; s++)
		if (ax == AX_INSTITUTION && nano[s] != su_h[s] * NANO)
			moc_die(EXIT_DATA, "internal error: institutions' "
			    "SU-hours do not add up");
	free(nano);
	order = su_order();
	for (k = 0; k < M.nsus; k++) {
		char b[DEC_BUFSIZE];

		if ((s = order[k]) == 0 || su_h[s] == 0)
			continue;
		jw_object_begin(&out);
		jw_kv_string(&out, "type", "usage_total");
		jw_kv_string(&out, "axis", axis_name[ax]);
		jw_kv_string(&out, "su_type", M.sus[s].label);
		jw_kv_int(&out, "su_hours", su_h[s]);
		dec_format_cents(cents[s], b);
		jw_kv_string(&out, "cost", b);
		jw_object_end(&out);
		jw_end_record(&out);
	}
	free(order);
}

static void
write_meta(const char *by, const struct fig *all)
{
	size_t i, complete = 0;

	for (i = 0; i < M.nslots; i++)
		complete += M.slot_seen[i];
	jw_object_begin(&out);
	jw_kv_string(&out, "type", "usage_meta");
	jw_kv_string(&out, "cloud", M.cloud);
	jw_kv_time(&out, "since", M.since);
	jw_kv_time(&out, "until", M.until);
	jw_kv_string(&out, "tz", M.tz);
	jw_kv_string(&out, "by", by);
	jw_kv_time(&out, "generated_at", M.generated_at);
	jw_kv_string(&out, "rates_file", M.rates_file);
	jw_kv_string(&out, "rates_sha256", M.rates_sha256);
	jw_kv_string(&out, "outages_file", M.outages_file);
	/* One value when every month of the period agrees, else null. */
	jw_key(&out, "charge_stopped");
	for (i = 1; i < M.nmonths; i++)
		if (M.months[i].charge_stopped != M.months[0].charge_stopped)
			break;
	if (i < M.nmonths)
		jw_null(&out);
	else
		jw_bool(&out, M.months[0].charge_stopped);
	jw_kv_int(&out, "coverage_slots", (int64_t)M.nslots);
	jw_kv_int(&out, "coverage_complete_slots", (int64_t)complete);
	hours_field("inferred_hours", all->inferred_s);
	hours_field("unknown_hours", all->unknown_s);
	jw_kv_value(&out, "consistency", NULL);
	jw_object_end(&out);
	jw_end_record(&out);
}

static void
write_invoice(const struct cells *inv)
{
	char gen[RTIME_BUFSIZE], b[DEC_BUFSIZE], month[16];
	size_t i;

	rtime_format(M.generated_at, gen);
	for (i = 0; i < inv->n; i++) {
		const struct cell *c = &inv->v[i];
		const struct project *p = &M.projs[c->ent];
		const struct inst *in = &M.insts[c->ent2];
		const struct month *m = &M.months[c->mon];

		/* A part of a project may round to no whole SU-hour yet
		 * carry cents: it is still billed. */
		if (c->su == 0 || (c->f.su_nh == 0 && c->f.cents == 0))
			continue;
		snprintf(month, sizeof(month), "%04d-%02d", m->year, m->mon);
		jw_object_begin(&out);
		jw_kv_string(&out, "type", "invoice_line");
		jw_kv_string(&out, "invoice_month", month);
		jw_kv_time(&out, "report_start", m->start);
		jw_kv_time(&out, "report_end", m->end);
		/* "Project - Allocation": the allocation's name when the
		 * administrator gave one. */
		jw_kv_string(&out, "project_name", p->allocation != NULL ?
		    p->allocation : proj_name(p));
		jw_kv_string(&out, "project_id", c->ent == 0 ? NULL : p->id);
		jw_kv_string(&out, "pi", p->pi);
		jw_kv_string(&out, "cluster_name", M.cluster);
		jw_kv_string(&out, "invoice_email", in->email);
		jw_kv_string(&out, "invoice_address", in->address);
		jw_kv_string(&out, "institution", in->name);
		jw_kv_string(&out, "institution_code", in->code);
		su_hours_field(&c->f);
		jw_kv_string(&out, "su_type", M.sus[c->su].label);
		jw_kv_string(&out, "rate", surate(c->su, c->mon)->rate_text);
		dec_format_cents(c->f.cents, b);
		jw_kv_string(&out, "cost", b);
		jw_kv_string(&out, "generated_at", gen);
		jw_object_end(&out);
		jw_end_record(&out);
	}
}

static int
cmp_inv(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	int c;

	if (x->mon != y->mon)
		return (x->mon > y->mon) - (x->mon < y->mon);
	if ((c = strcmp(M.projs[x->ent].path, M.projs[y->ent].path)) != 0)
		return c;
	if (x->ent != y->ent)
		return (x->ent > y->ent) - (x->ent < y->ent);
	if ((c = strcmp(M.insts[x->ent2].id, M.insts[y->ent2].id)) != 0)
		return c;
	return cmp_su(x->su, y->su);
}

static int
wants(const char *by, const char *axis)
{
	size_t n = strlen(axis);
	const char *p;

	for (p = by; (p = strstr(p, axis)) != NULL; p += n)
		if ((p == by || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

void
ua_report(const char *by)
{
	struct cells users = { 0 }, inv = { 0 }, insts = { 0 };
	struct cells portions = { 0 };
	struct cells rows[AX_N] = { { 0 } }, sub = { 0 };
	int64_t *su_h[AX_N], *cents[AX_N];
	struct fig all;
	size_t i;
	int ax;

	/* The axes, each from the same object cells. */
	for (i = 0; i < M.units.n; i++) {
		const struct cell *c = &M.units.v[i];

		fig_add(&cells_at(&users, M.objs[c->ent].user, c->su, c->mon,
		    0)->f, &c->f);
	}
	allocate_cents(&M.units, obj_key);
	allocate_cents(&users, user_key);
	allocate_cents(&M.pcells, proj_key);
	/* Institutions share out each project's cents, not the total's:
	 * see split_projects. */
	split_projects(&inv, &portions);
	for (i = 0; i < inv.n; i++)
		fig_add(&cells_at(&insts, inv.v[i].ent2, inv.v[i].su,
		    inv.v[i].mon, 0)->f, &inv.v[i].f);

	to_rows(&M.units, &rows[AX_INSTANCE]);
	to_rows(&users, &rows[AX_USER]);
	to_rows(&M.pcells, &rows[AX_PROJECT]);
	to_rows(&insts, &rows[AX_INSTITUTION]);
	memset(&all, 0, sizeof(all));
	for (i = 0; i < rows[AX_INSTANCE].n; i++)
		fig_add(&all, &rows[AX_INSTANCE].v[i].f);

	jw_init(&out, stdout, "standard output");
	write_meta(by, &all);
	if (wants(by, "instance")) {
		sort_rows(&rows[AX_INSTANCE], obj_sort);
		write_instance_rows(&rows[AX_INSTANCE]);
	}
	if (wants(by, "user")) {
		sort_rows(&rows[AX_USER], user_sort);
		write_user_rows(&rows[AX_USER]);
	}
	if (wants(by, "project")) {
		/* Subtree rows are built from a copy: the own rows are
		 * looked up by key while the tree is walked. */
		subtree(0, &rows[AX_PROJECT], &sub);
		write_project(0, &rows[AX_PROJECT], &sub);
	}
	if (wants(by, "institution")) {
		sort_rows(&rows[AX_INSTITUTION], inst_sort);
		write_inst_rows(&rows[AX_INSTITUTION], &portions);
	}
	for (ax = 0; ax < AX_N; ax++) {
		su_h[ax] = moc_xcalloc(M.nsus + 1, sizeof(int64_t));
		cents[ax] = moc_xcalloc(M.nsus + 1, sizeof(int64_t));
		write_totals((enum axis)ax, &rows[ax], su_h[ax], cents[ax]);
	}
	/* The axes must agree; if they do not, the report is wrong. */
	for (ax = 1; ax < AX_N; ax++)
		if (memcmp(su_h[ax], su_h[0], M.nsus * sizeof(int64_t)) != 0 ||
		    memcmp(cents[ax], cents[0], M.nsus * sizeof(int64_t)) != 0)
			moc_die(EXIT_DATA, "internal error: the %s axis does "
			    "not add up to the instance axis", axis_name[ax]);
	ua_qsort(inv.v, inv.n, sizeof(*inv.v), cmp_inv);
	write_invoice(&inv);
	jw_flush(&out);

	for (ax = 0; ax < AX_N; ax++) {
		free(su_h[ax]);
		free(cents[ax]);
		cells_free(&rows[ax]);
	}
	cells_free(&portions);
	cells_free(&users);
	cells_free(&inv);
	cells_free(&insts);
	cells_free(&sub);
	jw_free(&out);
}
