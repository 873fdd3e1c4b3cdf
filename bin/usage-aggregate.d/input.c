/*
 * input.c: reading the record stream into the model.
 *
 * Object records come either as row versions (pg-extract: valid_from,
 * valid_to) or as observations (os-normalize: observed_at).  Consecutive
 * observations that agree are merged into one run as they arrive, so
 * memory grows with the number of objects and of changes, not with the
 * number of polls.
 */
/* memmem(3): glibc declares it only for _GNU_SOURCE. */
#define _GNU_SOURCE
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "rec.h"
#include "rtime.h"
#include "ua.h"
#include "util.h"

struct model M;

static struct rec_reader *rd;
static struct json_parser *jp;

/* What do_instance saw last, for the fast path's template. */
static struct obj *last_obj;
static uint8_t last_state;
static int64_t last_to;

/* --- tables ------------------------------------------------------------ */

static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
smap_slot(const struct smap *m, const char *key, size_t len)
{
	size_t i = (size_t)hash_bytes(key, len) & (m->cap - 1);

	while (m->keys[i] != NULL && (strncmp(m->keys[i], key, len) != 0 ||
	    m->keys[i][len] != '\0'))
		i = (i + 1) & (m->cap - 1);
	return i;
}

int
smap_get(const struct smap *m, const char *key, size_t len, uint32_t *val)
{
	size_t i;

	if (m->cap == 0)
		return 0;
	i = smap_slot(m, key, len);
	if (m->keys[i] == NULL)
		return 0;
	*val = m->vals[i];
	return 1;
}

void
smap_put(struct smap *m, const char *key, size_t len, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct smap old = *m;

		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = moc_xcalloc(m->cap, sizeof(*m->keys));
		m->vals = moc_xcalloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i] != NULL) {
				size_t j = smap_slot(m, old.keys[i],
				    strlen(old.keys[i]));

				m->keys[j] = old.keys[i];
				m->vals[j] = old.vals[i];
				m->n++;
			}
		free(old.keys);
		free(old.vals);
	}
	i = smap_slot(m, key, len);
	if (m->keys[i] == NULL) {
		m->keys[i] = moc_xstrndup(key, len);
		m->n++;
	}
	m->vals[i] = val;
}

void
smap_free(struct smap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static size_t
u64_slot(const struct u64map *m, uint64_t key)
{
	uint64_t h = key + 1;
	size_t i;

	/* splitmix64's finalizer: packed keys differ in their high bits. */
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
	h ^= h >> 31;
	i = (size_t)h & (m->cap - 1);

	/* Key 0 would be ambiguous with an empty slot: keys are stored + 1. */
	while (m->keys[i] != 0 && m->keys[i] != key + 1)
		i = (i + 1) & (m->cap - 1);
	return i;
}

int
u64map_get(const struct u64map *m, uint64_t key, uint32_t *val)
{
	size_t i;

	if (m->cap == 0)
		return 0;
	i = u64_slot(m, key);
	if (m->keys[i] == 0)
		return 0;
	*val = m->vals[i];
	return 1;
}

void
u64map_put(struct u64map *m, uint64_t key, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct u64map old = *m;

		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = moc_xcalloc(m->cap, sizeof(*m->keys));
		m->vals = moc_xcalloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i] != 0) {
				size_t j = u64_slot(m, old.keys[i] - 1);

				m->keys[j] = old.keys[i];
				m->vals[j] = old.vals[i];
				m->n++;
			}
		free(old.keys);
		free(old.vals);
	}
	i = u64_slot(m, key);
	if (m->keys[i] == 0) {
		m->keys[i] = key + 1;
		m->n++;
	}
	m->vals[i] = val;
}

void
u64map_free(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

void *
ua_grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return moc_xrealloc(v, *cap * size);
}

/* --- field access: a wrong type is a data error naming its place -------- */

static void
bad_field(const char *what, const char *field, const struct json_value *v)
{
	const char *text = v != NULL && (v->type == JSON_STRING ||
	    v->type == JSON_NUMBER) ? v->u.text : json_type_name(v->type);

	moc_die(EXIT_DATA, "%s: %s in field \"%s\": %s%s%s", rec_where(rd),
	    what, field, v->type == JSON_STRING ? "\"" : "", text,
	    v->type == JSON_STRING ? "\"" : "");
}

static const char *
vstr(const struct json_value *v, const char *field)
{
	if (v == NULL || v->type == JSON_NULL)
		return NULL;
	if (v->type != JSON_STRING)
		bad_field("not a string", field, v);
	return v->u.text;
}

static const char *
fstr(const struct json_value *rec, const char *field)
{
	return vstr(json_get(rec, field), field);
}

static const char *
fstr_req(const struct json_value *rec, const char *field)
{
	const char *s = fstr(rec, field);

	if (s == NULL)
		moc_die(EXIT_DATA, "%s: missing field \"%s\"", rec_where(rd),
		    field);
	return s;
}

static int
vtime(const struct json_value *v, const char *field, int64_t *out)
{
	if (v == NULL || v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_STRING || rtime_parse(v->u.text, v->len, out) == -1)
		bad_field("bad time", field, v);
	return 1;
}

static int
ftime(const struct json_value *rec, const char *field, int64_t *out)
{
	return vtime(json_get(rec, field), field, out);
}

static int
vint(const struct json_value *v, const char *field, int64_t *out)
{
	if (v == NULL || v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_NUMBER || json_int64(v, out) == -1 || *out < 0)
		bad_field("not a whole number >= 0", field, v);
	return 1;
}

static int
fint(const struct json_value *rec, const char *field, int64_t *out)
{
	return vint(json_get(rec, field), field, out);
}

/*
 * The members of a record named in names[], found in one pass (the hot
 * path reads every field of every instance observation).
 */
static void
pick(const struct json_value *rec, const char *const *names,
    const size_t *lens, size_t n, const struct json_value **out)
{
	size_t i, j;

	memset(out, 0, n * sizeof(*out));
	for (i = 0; i < rec->len; i++) {
		const struct json_member *m = &rec->u.members[i];

		for (j = 0; j < n; j++)
			if (out[j] == NULL && m->key[0] == names[j][0] &&
			    m->keylen == lens[j] &&
			    memcmp(m->key, names[j], m->keylen) == 0) {
				out[j] = &m->value;
				break;
			}
	}
}

static int
fbool(const struct json_value *rec, const char *field)
{
	const struct json_value *v = json_get(rec, field);

	if (v == NULL || v->type == JSON_NULL || v->type == JSON_FALSE)
		return 0;
	if (v->type != JSON_TRUE)
		bad_field("not a boolean", field, v);
	return 1;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? moc_xstrdup(s) : NULL;
}

static void
replace(char **dst, const char *s)
{
	free(*dst);
	*dst = dup_or_null(s);
}

/*
 * When a record holds: valid_from for a row version, observed_at for an
 * observation.  *to is valid_to (T_INF when still valid) or -1 for an
 * observation.
 */
static int64_t
vwhen(const struct json_value *vf, const struct json_value *vt,
    const struct json_value *oa, int64_t *to)
{
	int64_t t;

	if (vtime(vf, "valid_from", &t)) {
		if (!vtime(vt, "valid_to", to))
			*to = T_INF;
		else if (*to < t)
			moc_die(EXIT_DATA, "%s: \"valid_to\" before "
			    "\"valid_from\"", rec_where(rd));
		return t;
	}
	*to = -1;
	if (vtime(oa, "observed_at", &t))
		return t;
	moc_die(EXIT_DATA, "%s: missing field \"observed_at\" (or "
	    "\"valid_from\")", rec_where(rd));
}

static int64_t
rec_when(const struct json_value *rec, int64_t *to)
{
	return vwhen(json_get(rec, "valid_from"), json_get(rec, "valid_to"),
	    json_get(rec, "observed_at"), to);
}

/* Whether a version or observation is the one to take names from: the
 * latest that began before the end of the period. */
static int
newer(int64_t t, int64_t *have)
{
	if (t >= M.until && *have != INT64_MIN && *have < M.until)
		return 0;
	if (*have != INT64_MIN && t < *have && *have < M.until)
		return 0;
	*have = t;
	return 1;
}

/* --- entities ----------------------------------------------------------- */

uint32_t
ua_project(const char *id)
{
	uint32_t ix;

	if (id == NULL)
		return NONE_IDX;
	if (smap_get(&M.proj_ix, id, strlen(id), &ix))
		return ix;
	M.projs = ua_grow(M.projs, &M.capprojs, M.nprojs, sizeof(*M.projs));
	memset(&M.projs[M.nprojs], 0, sizeof(*M.projs));
	M.projs[M.nprojs].id = moc_xstrdup(id);
	M.projs[M.nprojs].t = INT64_MIN;
	smap_put(&M.proj_ix, id, strlen(id), (uint32_t)M.nprojs);
	return (uint32_t)M.nprojs++;
}

uint32_t
ua_user(const char *id)
{
	uint32_t ix;

	if (id == NULL)
		return NONE_IDX;
	if (smap_get(&M.user_ix, id, strlen(id), &ix))
		return ix;
	M.users = ua_grow(M.users, &M.capusers, M.nusers, sizeof(*M.users));
	memset(&M.users[M.nusers], 0, sizeof(*M.users));
	M.users[M.nusers].id = moc_xstrdup(id);
	M.users[M.nusers].t = INT64_MIN;
	M.users[M.nusers].inst_t = INT64_MIN;
	smap_put(&M.user_ix, id, strlen(id), (uint32_t)M.nusers);
	return (uint32_t)M.nusers++;
}

uint32_t
ua_inst(const char *id)
{
	uint32_t ix;

	if (id == NULL)
		return NONE_IDX;
	if (smap_get(&M.inst_ix, id, strlen(id), &ix))
		return ix;
	M.insts = ua_grow(M.insts, &M.capinsts, M.ninsts, sizeof(*M.insts));
	memset(&M.insts[M.ninsts], 0, sizeof(*M.insts));
	M.insts[M.ninsts].id = moc_xstrdup(id);
	smap_put(&M.inst_ix, id, strlen(id), (uint32_t)M.ninsts);
	return (uint32_t)M.ninsts++;
}

static struct obj *
get_obj(const char *id, enum okind kind)
{
	static struct smap ix_of[3];
	size_t n = strlen(id);
	uint32_t ix;
	struct obj *o;

	if (smap_get(&ix_of[kind], id, n, &ix))
		return &M.objs[ix];
	M.objs = ua_grow(M.objs, &M.capobjs, M.nobjs, sizeof(*M.objs));
	o = &M.objs[M.nobjs];
	memset(o, 0, sizeof(*o));
	o->id = moc_xstrdup(id);
	o->kind = (uint8_t)kind;
	o->created = INT64_MIN;
	o->deleted = T_INF;
	o->name_t = INT64_MIN;
	smap_put(&ix_of[kind], id, n, (uint32_t)M.nobjs++);
	return o;
}

static int
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static uint32_t
get_shape(int64_t vcpus, int64_t ram, int64_t disk, int64_t gpus,
    const char *alias, const char *flavor_id, int resolved, uint32_t last)
{
	char key[512];
	int n;
	uint32_t ix;
	struct shape *s = &M.shapes[last];

	/* Most observations repeat the object's last shape. */
	if (last != 0 && s->vcpus == vcpus && s->ram_mb == ram &&
	    s->disk_gb == disk && s->gpus == gpus &&
	    s->resolved == resolved && same_str(s->alias, alias) &&
	    (resolved || same_str(s->flavor_id, flavor_id)))
		return last;

	n = snprintf(key, sizeof(key), "%d:%lld:%lld:%lld:%lld:%s:%s",
	    resolved, (long long)vcpus, (long long)ram, (long long)disk,
	    (long long)gpus, alias ? alias : "",
	    resolved ? "" : (flavor_id ? flavor_id : ""));
	if (n < 0 || (size_t)n >= sizeof(key))
		moc_die(EXIT_DATA, "%s: flavor identifier too long",
		    rec_where(rd));
	if (smap_get(&M.shape_ix, key, (size_t)n, &ix))
		return ix;
	M.shapes = ua_grow(M.shapes, &M.capshapes, M.nshapes,
	    sizeof(*M.shapes));
	s = &M.shapes[M.nshapes];
	memset(s, 0, sizeof(*s));
	s->vcpus = vcpus;
	s->ram_mb = ram;
	s->disk_gb = disk;
	s->gpus = gpus;
	s->alias = dup_or_null(alias);
	s->flavor_id = dup_or_null(flavor_id);
	s->resolved = resolved;
	smap_put(&M.shape_ix, key, (size_t)n, (uint32_t)M.nshapes);
	return (uint32_t)M.nshapes++;
}

/* Name, project and user from the latest record; unchanged values (the
 * usual case when polling) cost no lookup. */
static void
set_owner(struct obj *o, const char *name, const char *pid, const char *uid)
{
	if (!same_str(o->name, name))
		replace(&o->name, name);
	if (o->project == NONE_IDX || pid == NULL ||
	    strcmp(M.projs[o->project].id, pid) != 0)
		o->project = ua_project(pid);
	if (o->user == NONE_IDX || uid == NULL ||
	    strcmp(M.users[o->user].id, uid) != 0)
		o->user = ua_user(uid);
}

/* --- runs of observations ----------------------------------------------- */

static void
add_run(struct obj *o, int64_t t, int64_t to, uint8_t state, uint32_t shape)
{
	struct run *r, *prev = NULL, *next = NULL;
	uint32_t i;

	if (to < 0 && o->nruns > 0) {
		/* Fast path: an observation in order that agrees with the
		 * last one extends it. */
		r = &o->runs[o->nruns - 1];
		if (!r->version && r->state == state && r->shape == shape &&
		    t >= r->from && t - r->last <= M.max_gap) {
			if (t > r->last)
				r->last = t;
			return;
		}
		/* Otherwise only the runs just before and just after it in
		 * time may take it: an observation never bridges another. */
		for (i = 0; i < o->nruns; i++) {
			r = &o->runs[i];
			if (r->version)
				continue;
			if (r->from <= t && (prev == NULL || r->from > prev->from))
				prev = r;
			if (r->from > t && (next == NULL || r->from < next->from))
				next = r;
		}
		if (prev != NULL && prev->state == state &&
		    prev->shape == shape && t - prev->last <= M.max_gap) {
			if (t > prev->last)
				prev->last = t;
			return;
		}
		if (next != NULL && next->state == state &&
		    next->shape == shape && next->from - t <= M.max_gap &&
		    (prev == NULL || prev->last < t)) {
			next->from = t;
			return;
		}
	}
	if (o->nruns == o->capruns) {
		o->capruns = o->capruns ? o->capruns * 2 : 4;
		o->runs = moc_xrealloc(o->runs, o->capruns * sizeof(*o->runs));
	}
	r = &o->runs[o->nruns++];
	r->from = t;
	r->last = to < 0 ? t : to;
	r->end = to;
	r->state = state;
	r->shape = shape;
	r->version = to >= 0;
}

static void
add_act(struct obj *o, int64_t t, int64_t tf, uint8_t state, uint8_t resize)
{
	struct act *a;

	if (o->nacts == o->capacts) {
		o->capacts = o->capacts ? o->capacts * 2 : 4;
		o->acts = moc_xrealloc(o->acts, o->capacts * sizeof(*o->acts));
	}
	a = &o->acts[o->nacts++];
	a->t = t;
	a->tf = tf;
	a->state = state;
	a->resize = resize;
}

/* Mark the period's --interval slot of a time as collected. */
static void
slot_seen(int64_t t)
{
	if (t >= M.since && t < M.until)
		M.slot_seen[(t - M.since) / M.interval] = 1;
}

/* --- record types ------------------------------------------------------- */

static uint8_t
status_state(const char *status)
{
	static const struct {
		const char	*status;
		uint8_t		 state;
	} tab[] = {
		{ "ACTIVE", ST_RUNNING }, { "PAUSED", ST_RUNNING },
		{ "SUSPENDED", ST_RUNNING }, { "RESIZE", ST_RUNNING },
		{ "VERIFY_RESIZE", ST_RUNNING }, { "REVERT_RESIZE", ST_RUNNING },
		{ "REBOOT", ST_RUNNING }, { "HARD_REBOOT", ST_RUNNING },
		{ "MIGRATING", ST_RUNNING }, { "REBUILD", ST_RUNNING },
		{ "PASSWORD", ST_RUNNING }, { "RESCUE", ST_RUNNING },
		{ "SHUTOFF", ST_STOPPED }, { "STOPPED", ST_STOPPED },
		{ "SHELVED", ST_SHELVED }, { "SHELVED_OFFLOADED", ST_SHELVED },
		{ "ERROR", ST_ERROR }, { "DELETED", ST_DELETED },
		{ "SOFT_DELETED", ST_DELETED }, { "BUILD", ST_NONE },
	};
	size_t i;

	if (strcmp(status, "ACTIVE") == 0)	/* by far the most common */
		return ST_RUNNING;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(status, tab[i].status) == 0)
			return tab[i].state;
	return ST_UNKNOWN;
}

enum {
	I_ID, I_STATUS, I_VCPUS, I_RAM, I_DISK, I_GPUS, I_ALIAS, I_FLAVOR,
	I_NAME, I_PROJECT, I_USER, I_CREATED, I_DELETED, I_TERMINATED,
	I_VFROM, I_VTO, I_OBSERVED, I_N
};
static const char *const inames[I_N] = {
	"id", "status", "vcpus", "ram_mb", "disk_gb", "gpu_count",
	"gpu_alias", "flavor_id", "name", "project_id", "user_id",
	"created_at", "deleted_at", "terminated_at", "valid_from",
	"valid_to", "observed_at"
};
static size_t ilens[I_N];

static void
do_instance(const struct json_value *rec)
{
	const struct json_value *f[I_N];
	const char *id, *status;
	struct obj *o;
	int64_t t, to, v = 0, r = 0, d = 0, g = 0, dt;
	int sized;
	uint8_t st;
	size_t k;

	if (ilens[0] == 0)
		for (k = 0; k < I_N; k++)
			ilens[k] = strlen(inames[k]);
	pick(rec, inames, ilens, I_N, f);
	if ((id = vstr(f[I_ID], "id")) == NULL)
		moc_die(EXIT_DATA, "%s: missing field \"id\"", rec_where(rd));
	status = vstr(f[I_STATUS], "status");
	o = get_obj(id, OBJ_INSTANCE);
	t = vwhen(f[I_VFROM], f[I_VTO], f[I_OBSERVED], &to);
	sized = vint(f[I_VCPUS], "vcpus", &v) & vint(f[I_RAM], "ram_mb", &r);
	vint(f[I_DISK], "disk_gb", &d);
	vint(f[I_GPUS], "gpu_count", &g);
	o->shape = get_shape(v, r, d, g, vstr(f[I_ALIAS], "gpu_alias"),
	    vstr(f[I_FLAVOR], "flavor_id"), sized, o->shape);
	if (newer(t, &o->name_t))
		set_owner(o, vstr(f[I_NAME], "name"),
		    vstr(f[I_PROJECT], "project_id"),
		    vstr(f[I_USER], "user_id"));
	if (vtime(f[I_CREATED], "created_at", &dt) &&
	    (o->created == INT64_MIN || dt < o->created))
		o->created = dt;
	if ((vtime(f[I_DELETED], "deleted_at", &dt) ||
	    vtime(f[I_TERMINATED], "terminated_at", &dt)) && dt < o->deleted)
		o->deleted = dt;
	st = status != NULL ? status_state(status) : ST_UNKNOWN;
	if (st == ST_UNKNOWN && status != NULL)
		moc_warn("%s: unknown status in field \"status\": \"%s\"",
		    rec_where(rd), status);
	add_run(o, t, to, st, o->shape);
	if (to < 0)
		slot_seen(t);
	last_obj = o;
	last_state = st;
	last_to = to;
}

/* What an action does to the state; ST_NONE: nothing (pause, reboot...). */
static uint8_t
action_state(const char *a, uint8_t *resize)
{
	static const struct {
		const char	*action;
		uint8_t		 state, resize;
	} tab[] = {
		{ "create", ST_RUNNING, 0 }, { "start", ST_RUNNING, 0 },
		{ "unshelve", ST_RUNNING, 0 }, { "restore", ST_RUNNING, 0 },
		{ "rebuild", ST_NONE, 0 },
		{ "stop", ST_STOPPED, 0 }, { "shelve", ST_SHELVED, 0 },
		{ "shelveOffload", ST_SHELVED, 0 },
		{ "delete", ST_DELETED, 0 }, { "forceDelete", ST_DELETED, 0 },
		{ "softDelete", ST_DELETED, 0 },
		{ "resize", ST_NONE, 1 }, { "revertResize", ST_NONE, 1 },
		{ "confirmResize", ST_NONE, 1 }, { "migrate", ST_NONE, 1 },
	};
	size_t i;

	*resize = 0;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(a, tab[i].action) == 0) {
			*resize = tab[i].resize;
			return tab[i].state;
		}
	return ST_NONE;
}

static void
do_action(const struct json_value *rec)
{
	const char *iid = fstr_req(rec, "instance_id");
	const char *action = fstr_req(rec, "action");
	const char *msg = fstr(rec, "message");
	struct obj *o;
	int64_t t, tf;
	uint8_t st, resize;

	if (!ftime(rec, "start_time", &t))
		moc_die(EXIT_DATA, "%s: missing field \"start_time\"",
		    rec_where(rd));
	if (!ftime(rec, "finish_time", &tf) || tf < t)
		tf = t;
	st = action_state(action, &resize);
	/* A failed action leaves the instance in error, whatever it was
	 * meant to do. */
	if (msg != NULL && strcmp(msg, "Error") == 0) {
		st = ST_ERROR;
		resize = 0;
	}
	if (st == ST_NONE && !resize)
		return;
	o = get_obj(iid, OBJ_INSTANCE);
	if (st == ST_DELETED)
		o->has_delete = 1;
	add_act(o, t, tf, st, resize);
}

static void
do_flavor(const struct json_value *rec)
{
	const char *id = fstr_req(rec, "id");
	struct flavor *f;
	uint32_t ix;
	int64_t t, to;

	t = rec_when(rec, &to);
	if (!smap_get(&M.flavor_ix, id, strlen(id), &ix)) {
		M.flavors = ua_grow(M.flavors, &M.capflavors, M.nflavors,
		    sizeof(*M.flavors));
		ix = (uint32_t)M.nflavors++;
		memset(&M.flavors[ix], 0, sizeof(*M.flavors));
		M.flavors[ix].t = INT64_MIN;
		smap_put(&M.flavor_ix, id, strlen(id), ix);
	}
	f = &M.flavors[ix];
	if (!newer(t, &f->t))
		return;
	f->vcpus = f->ram_mb = f->disk_gb = f->gpus = 0;
	fint(rec, "vcpus", &f->vcpus);
	fint(rec, "ram_mb", &f->ram_mb);
	fint(rec, "disk_gb", &f->disk_gb);
	fint(rec, "gpu_count", &f->gpus);
	replace(&f->alias, fstr(rec, "gpu_alias"));
}

static void
do_project(const struct json_value *rec, int is_domain_rec)
{
	uint32_t ix_ = ua_project(fstr_req(rec, "id"));
	struct project *p = &M.projs[ix_];
	int64_t t, to;

	t = rec_when(rec, &to);
	p->seen = 1;
	if (!newer(t, &p->t))
		return;
	replace(&p->name, fstr(rec, "name"));
	if (is_domain_rec) {
		p->is_domain = 1;
		return;
	}
	replace(&p->domain_id, fstr(rec, "domain_id"));
	replace(&p->parent_id, fstr(rec, "parent_id"));
	p->is_domain = fbool(rec, "is_domain");
}

static void
do_user(const struct json_value *rec)
{
	uint32_t ix_ = ua_user(fstr_req(rec, "id"));
	struct user *u = &M.users[ix_];
	int64_t t, to;

	t = rec_when(rec, &to);
	if (!newer(t, &u->t))
		return;
	replace(&u->name, fstr(rec, "name"));
	replace(&u->email, fstr(rec, "email"));
}

static void
do_institution(const struct json_value *rec)
{
	uint32_t ix_ = ua_inst(fstr_req(rec, "id"));
	struct inst *in = &M.insts[ix_];

	replace(&in->name, fstr(rec, "name"));
	replace(&in->code, fstr(rec, "code"));
	replace(&in->email, fstr(rec, "invoice_email"));
	replace(&in->address, fstr(rec, "invoice_address"));
}

static void
do_user_institution(const struct json_value *rec)
{
	uint32_t ix_ = ua_user(fstr_req(rec, "user_id"));
	struct user *u = &M.users[ix_];
	int64_t t = INT64_MIN + 1, to = T_INF;

	ftime(rec, "valid_from", &t);
	ftime(rec, "valid_to", &to);
	/* The assignment in force at the end of the period wins. */
	if (t >= M.until || to < M.until || t < u->inst_t)
		return;
	u->inst_t = t;
	u->inst = ua_inst(fstr_req(rec, "institution_id"));
}

static void
do_project_institution(const struct json_value *rec)
{
	struct share *s;
	const char *text = fstr_req(rec, "share");
	struct dec d;

	M.shares = ua_grow(M.shares, &M.capshares, M.nshares,
	    sizeof(*M.shares));
	s = &M.shares[M.nshares++];
	memset(s, 0, sizeof(*s));
	s->project = ua_project(fstr_req(rec, "project_id"));
	s->inst = ua_inst(fstr_req(rec, "institution_id"));
	s->from = INT64_MIN;
	s->to = T_INF;
	ftime(rec, "valid_from", &s->from);
	ftime(rec, "valid_to", &s->to);
	if (dec_parse(text, strlen(text), &d) == -1 ||
	    dec_rescale(d, 9, &s->ppb) == -1 || s->ppb <= 0 ||
	    s->ppb > 1000000000)
		moc_die(EXIT_DATA, "%s: not a share in (0, 1] with at most "
		    "9 decimals in field \"share\": \"%s\"", rec_where(rd),
		    text);
	s->text = moc_xstrdup(text);
	s->where = moc_xstrdup(rec_where(rd));
	s->seq = M.nshares - 1;
}

static void
do_email_domain(const struct json_value *rec)
{
	const char *dom = fstr_req(rec, "domain");
	uint32_t inst = ua_inst(fstr_req(rec, "institution_id"));
	char *low = moc_xstrdup(dom), *p;

	for (p = low; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	smap_put(&M.domain_inst, low, strlen(low), inst);
	free(low);
}

static void
do_project_attr(const struct json_value *rec)
{
	uint32_t ix_ = ua_project(fstr_req(rec,
	    "project_id"));
	struct project *p = &M.projs[ix_];

	replace(&p->pi, fstr(rec, "pi"));
	replace(&p->allocation, fstr(rec, "allocation_name"));
}

static void
do_storage(const struct json_value *rec, enum okind kind)
{
	struct obj *o = get_obj(fstr_req(rec, "id"), kind);
	const char *status = fstr(rec, "status");
	int64_t t, to, size = 0, dt;
	uint8_t st = ST_RUNNING;

	t = rec_when(rec, &to);
	if (kind == OBJ_VOLUME && !fint(rec, "size_gb", &size))
		moc_die(EXIT_DATA, "%s: missing field \"size_gb\"",
		    rec_where(rd));
	if (newer(t, &o->name_t))
		set_owner(o, kind == OBJ_VOLUME ? fstr(rec, "name") :
		    fstr(rec, "floating_ip_address"), fstr(rec, "project_id"),
		    fstr(rec, "user_id"));
	if (ftime(rec, "created_at", &dt) && (o->created == INT64_MIN ||
	    dt < o->created))
		o->created = dt;
	/* A volume being deleted or that failed to be created holds no
	 * space that is billed. */
	if (status != NULL && (strcasecmp(status, "deleting") == 0 ||
	    strcasecmp(status, "deleted") == 0 ||
	    strcasecmp(status, "error") == 0 ||
	    strcasecmp(status, "creating") == 0))
		st = ST_NONE;
	o->shape = get_shape(0, 0, size, 0, NULL, NULL, 1, o->shape);
	add_run(o, t, to, st, o->shape);
}

static void
do_collection_run(const struct json_value *rec)
{
	int64_t t;

	M.have_runs = 1;
	if (!fbool(rec, "complete"))
		return;
	if (!ftime(rec, "started_at", &t))
		moc_die(EXIT_DATA, "%s: missing field \"started_at\"",
		    rec_where(rd));
	M.runs_at = ua_grow(M.runs_at, &M.capruns_at, M.nruns_at,
	    sizeof(*M.runs_at));
	M.runs_at[M.nruns_at++] = t;
}

/* os-fetch's run_start and run_end passed through os-normalize: a
 * complete run vouches for its time as a collection_run does. */
static void
do_run_start(const struct json_value *rec)
{
	static size_t cap;
	int64_t t;
	const char *id = fstr_req(rec, "run_id");

	if (!ftime(rec, "started_at", &t))
		moc_die(EXIT_DATA, "%s: missing field \"started_at\"",
		    rec_where(rd));
	M.run_starts = ua_grow(M.run_starts, &cap, M.nrun_starts,
	    sizeof(*M.run_starts));
	M.run_starts[M.nrun_starts] = t;
	smap_put(&M.run_ix, id, strlen(id), (uint32_t)M.nrun_starts++);
}

static void
do_run_end(const struct json_value *rec)
{
	const char *id = fstr_req(rec, "run_id");
	uint32_t ix;

	M.have_runs = 1;
	if (!fbool(rec, "complete") ||
	    !smap_get(&M.run_ix, id, strlen(id), &ix))
		return;
	M.runs_at = ua_grow(M.runs_at, &M.capruns_at, M.nruns_at,
	    sizeof(*M.runs_at));
	M.runs_at[M.nruns_at++] = M.run_starts[ix];
}

static void
dispatch(const struct json_value *rec, const char *type)
{
	static const struct {
		const char	*type;
		int		 kind;
	} tab[] = {
		{ "instance", 1 }, { "instance_action", 2 }, { "flavor", 3 },
		{ "project", 4 }, { "domain", 5 }, { "user", 6 },
		{ "institution", 7 }, { "user_institution", 8 },
		{ "project_institution", 9 },
		{ "email_domain_institution", 10 }, { "project_attr", 11 },
		{ "volume", 12 }, { "floating_ip", 13 },
		{ "collection_run", 14 }, { "run_start", 15 },
		{ "run_end", 16 },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(type, tab[i].type) == 0)
			break;
	switch (i < sizeof(tab) / sizeof(tab[0]) ? tab[i].kind : 0) {
	case 1: do_instance(rec); break;
	case 2: do_action(rec); break;
	case 3: do_flavor(rec); break;
	case 4: do_project(rec, 0); break;
	case 5: do_project(rec, 1); break;
	case 6: do_user(rec); break;
	case 7: do_institution(rec); break;
	case 8: do_user_institution(rec); break;
	case 9: do_project_institution(rec); break;
	case 10: do_email_domain(rec); break;
	case 11: do_project_attr(rec); break;
	case 12: do_storage(rec, OBJ_VOLUME); break;
	case 13: do_storage(rec, OBJ_FIP); break;
	case 14: do_collection_run(rec); break;
	case 15: do_run_start(rec); break;
	case 16: do_run_end(rec); break;
	default: break;		/* other types do not count */
	}
}

/*
 * The fast path for repeated polls.  Polling a stable cloud yields, for
 * each instance, the same record every 15 minutes but for its observed_at
 * and run_id.  Such a line is recognised without a parse: it must equal,
 * byte for byte, the instance's last fully parsed observation with those
 * two string values cut out, and the new values must be a valid time and
 * plain printable ASCII.  The line is then valid JSON because the one it
 * repeats was, and it means what that one meant at another time.
 */
struct cut {
	size_t	 s, e;		/* the value between the quotes */
};

static struct u64map fast_ix;
static unsigned long long nfast, nparsed;

static int
find_value(const char *line, size_t len, const char *pat, struct cut *c)
{
	size_t plen = strlen(pat);
	const char *p = memmem(line, len, pat, plen), *q;

	if (p == NULL || p == line || (p[-1] != ',' && p[-1] != '{'))
		return 0;
	c->s = (size_t)(p - line) + plen;
	if ((q = memchr(line + c->s, '"', len - c->s)) == NULL)
		return 0;
	c->e = (size_t)(q - line);
	/* Only one such key: no room for doubt about which one it is. */
	return memmem(line + c->e, len - c->e, pat, plen) == NULL;
}

/* The cuts of a line, in order; 0 when it has no usable observed_at. */
static int
find_cuts(const char *line, size_t len, struct cut c[2], size_t *obs)
{
	struct cut o, r;
	int n = 1;

	if (!find_value(line, len, "\"observed_at\":\"", &o))
		return 0;
	if (memmem(line, len, "\"run_id\":\"", 10) != NULL) {
		if (!find_value(line, len, "\"run_id\":\"", &r))
			return 0;
		n = 2;
	}
	memset(&r, 0, n == 1 ? sizeof(r) : 0);
	if (n == 2 && r.s < o.s) {
		c[0] = r;
		c[1] = o;
		*obs = 1;
	} else {
		c[0] = o;
		c[1] = r;
		*obs = 0;
	}
	return n;
}

#define FAST_KEY_LEN	64	/* the line's head that finds its template */

/* A word-at-a-time hash of the line's first FAST_KEY_LEN bytes. */
static uint64_t
fast_key(const char *line)
{
	uint64_t h = 0x243F6A8885A308D3ULL, w;
	size_t i;

	for (i = 0; i < FAST_KEY_LEN; i += 8) {
		memcpy(&w, line + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	return h;
}

static int
plain_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '\\')
			return 0;
	return 1;
}

/* The end of a cut value: where its closing quote is, or 0. */
static size_t
value_end(const char *line, size_t len, size_t from)
{
	const char *q = memchr(line + from, '"', len - from);

	return q != NULL ? (size_t)(q - line) : 0;
}

static int
fast_line(const char *line, size_t len)
{
	struct cut c[2];
	uint32_t ix;
	struct obj *o;
	size_t mid;
	int64_t t;
	int i;

	if (len < FAST_KEY_LEN || !u64map_get(&fast_ix, fast_key(line), &ix))
		return 0;
	o = &M.objs[ix];
	if (o->tpl == NULL || len < o->tpl_a ||
	    memcmp(line, o->tpl, o->tpl_a) != 0)
		return 0;
	/* Outside the values the line is the template, so the keys sit
	 * where they sat in it and cannot occur a second time. */
	c[0].s = o->tpl_a;
	if ((c[0].e = value_end(line, len, c[0].s)) == 0)
		return 0;
	mid = o->tpl_b - o->tpl_a;
	if (o->tpl_cuts == 2) {
		c[1].s = c[0].e + mid;
		if (c[1].s > len || memcmp(line + c[0].e, o->tpl + o->tpl_a,
		    mid) != 0 || (c[1].e = value_end(line, len, c[1].s)) == 0)
			return 0;
	} else
		c[1] = c[0];
	if (len - c[1].e != o->tpl_len - o->tpl_b ||
	    memcmp(line + c[1].e, o->tpl + o->tpl_b, len - c[1].e) != 0)
		return 0;
	for (i = 0; i < o->tpl_cuts; i++)
		if (!plain_ascii(line + c[i].s, c[i].e - c[i].s))
			return 0;
	if (rtime_parse(line + c[o->tpl_obs].s, c[o->tpl_obs].e -
	    c[o->tpl_obs].s, &t) == -1)
		return 0;
	newer(t, &o->name_t);
	add_run(o, t, -1, o->tpl_state, o->tpl_shape);
	slot_seen(t);
	o->tpl_hits = 1;
	return 1;
}

/* The table keeps only each object's current template: rebuilt when old
 * keys outnumber the objects, so it grows with objects, not lines. */
static void
fast_index(struct obj *o, uint64_t key)
{
	size_t i;

	o->tpl_key = key;
	u64map_put(&fast_ix, key, (uint32_t)(o - M.objs));
	if (fast_ix.n < 2 * M.nobjs + 1024)
		return;
	u64map_free(&fast_ix);
	for (i = 0; i < M.nobjs; i++)
		if (M.objs[i].tpl != NULL)
			u64map_put(&fast_ix, M.objs[i].tpl_key, (uint32_t)i);
}

/* Keep a parsed instance observation as its object's template. */
static void
keep_template(const char *line, size_t len, const struct json_value *rec)
{
	struct obj *o = last_obj;
	struct cut c[2];
	size_t obs, masked;
	int n;
	const char *v;
	char *tpl;

	if (last_to >= 0 || (o->tpl_tries >= 4 && o->tpl_hits == 0))
		return;		/* a stream whose lines do not repeat */
	if (o->tpl_tries < UINT8_MAX)
		o->tpl_tries++;
	if ((n = find_cuts(line, len, c, &obs)) == 0 || c[0].s < FAST_KEY_LEN)
		return;
	/* The cut bytes must be exactly the values the parser saw. */
	v = json_get_string(rec, "observed_at");
	if (v == NULL || strlen(v) != c[obs].e - c[obs].s ||
	    memcmp(v, line + c[obs].s, strlen(v)) != 0)
		return;
	if (n == 2 && ((v = json_get_string(rec, "run_id")) == NULL ||
	    strlen(v) != c[1 - obs].e - c[1 - obs].s ||
	    memcmp(v, line + c[1 - obs].s, strlen(v)) != 0))
		return;
	masked = len - (c[0].e - c[0].s) - (n == 2 ? c[1].e - c[1].s : 0);
	tpl = moc_xmalloc(masked + 1);
	memcpy(tpl, line, c[0].s);
	if (n == 1)
		memcpy(tpl + c[0].s, line + c[0].e, len - c[0].e);
	else {
		memcpy(tpl + c[0].s, line + c[0].e, c[1].s - c[0].e);
		memcpy(tpl + c[0].s + (c[1].s - c[0].e), line + c[1].e,
		    len - c[1].e);
	}
	free(o->tpl);
	o->tpl = tpl;
	o->tpl_len = (uint32_t)masked;
	o->tpl_a = (uint32_t)c[0].s;
	o->tpl_b = (uint32_t)(c[0].s + (n == 2 ? c[1].s - c[0].e : 0));
	o->tpl_cuts = (uint8_t)n;
	o->tpl_obs = (uint8_t)obs;
	o->tpl_state = last_state;
	o->tpl_shape = o->shape;
	fast_index(o, fast_key(line));
}

/* Index 0 of each table stands for "none": the root project, no user,
 * no institution, no SU type (storage). */
void
ua_init_tables(void)
{
	ua_project("");
	M.projs[0].name = moc_xstrdup(M.root_name);
	M.projs[0].seen = 1;
	ua_user("");
	ua_inst("");
	M.insts[0].name = moc_xstrdup("(unassigned)");
	ua_su_type("");
	M.shapes = moc_xcalloc(1, sizeof(*M.shapes));
	M.capshapes = M.nshapes = 1;
	M.shapes[0].resolved = 1;
	M.nslots = (size_t)((M.until - M.since + M.interval - 1) / M.interval);
	M.slot_seen = moc_xcalloc(M.nslots + 1, 1);
}

static int
blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return 0;
	return 1;
}

void
ua_read(int fd, const char *name, size_t max)
{
	const struct json_value *rec;
	enum rec_status st;
	const char *type, *line;
	size_t len;

	rd = rec_open(fd, name, max);
	if (jp == NULL)
		jp = json_parser_new();
	while ((st = rec_read_line(rd, &line, &len)) != REC_EOF) {
		if (st == REC_TOO_LONG)
			moc_die(EXIT_DATA, "%s: record longer than %zu bytes",
			    rec_where(rd), max);
		if (blank(line, len))
			continue;
		if (fast_line(line, len)) {
			nfast++;
			continue;
		}
		nparsed++;
		if ((rec = json_parse(jp, line, len)) == NULL)
			moc_die(EXIT_DATA, "%s: bad JSON at byte %zu: %s",
			    rec_where(rd), json_parser_offset(jp) + 1,
			    json_parser_error(jp));
		if (rec->type != JSON_OBJECT)
			moc_die(EXIT_DATA, "%s: not a JSON object",
			    rec_where(rd));
		if ((type = rec_type(rec)) == NULL)
			moc_die(EXIT_DATA, "%s: missing field \"type\"",
			    rec_where(rd));
		last_obj = NULL;
		dispatch(rec, type);
		if (last_obj != NULL)
			keep_template(line, len, rec);
	}
	if (getenv("USAGE_AGGREGATE_DEBUG") != NULL)
		moc_warn("%s: %llu records parsed, %llu repeated polls "
		    "recognised", name, nparsed, nfast);
	rec_close(rd);
	rd = NULL;
}
