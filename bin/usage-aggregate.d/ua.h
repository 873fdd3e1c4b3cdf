/*
 * ua.h: usage-aggregate's model of the cloud, shared by its files:
 *   input.c     reading the record stream into the model
 *   timeline.c  each instance's states and flavors over the period
 *   report.c    service units, axes, allocation of cents, output
 *   main.c      options and the order of the work
 */
#ifndef UA_H
#define UA_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decimal.h"
#include "rates.h"

__extension__ typedef __int128 ua_i128;

/* qsort(3) with nothing to sort may get a null pointer, which it must
 * not. */
static inline void
ua_qsort(void *v, size_t n, size_t size, int (*cmp)(const void *,
    const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

#define NONE_IDX	0u	/* index 0 of every table: "none/unknown" */
#define T_INF		INT64_MAX

/* A string-keyed table of indexes (open addressing). */
struct smap {
	char		**keys;
	uint32_t	*vals;
	size_t		 cap, n;
};
int		 smap_get(const struct smap *, const char *key, size_t len,
		    uint32_t *val);
void		 smap_put(struct smap *, const char *key, size_t len,
		    uint32_t val);
void		 smap_free(struct smap *);

/* A 64-bit-keyed table of indexes. */
struct u64map {
	uint64_t	*keys;
	uint32_t	*vals;
	size_t		 cap, n;
};
int		 u64map_get(const struct u64map *, uint64_t key, uint32_t *val);
void		 u64map_put(struct u64map *, uint64_t key, uint32_t val);
void		 u64map_free(struct u64map *);

enum state {
	ST_NONE,	/* not (yet) existing */
	ST_RUNNING,
	ST_STOPPED,
	ST_SHELVED,
	ST_ERROR,
	ST_DELETED,
	ST_UNKNOWN	/* existing, but nobody vouches for the state */
};

enum okind { OBJ_INSTANCE, OBJ_VOLUME, OBJ_FIP };

/* One instance action that matters: a state change, a resize or both. */
struct act {
	int64_t	 t;		/* start_time: when the state changes */
	int64_t	 tf;		/* finish_time (or start): flavor change */
	uint8_t	 state;		/* ST_NONE: no state change */
	uint8_t	 resize;	/* resize, revertResize, migrate */
};

/*
 * What the collector saw: consecutive observations of the same state and
 * shape merged into one run, or one row version (valid_from, valid_to).
 */
struct run {
	int64_t	 from, last, end;	/* end: computed for observations */
	uint32_t shape;
	uint8_t	 state;
	uint8_t	 version;
};

struct obj {
	char		*id, *name;
	uint32_t	 project, user, shape;	/* shape: latest seen */
	int64_t		 created, deleted, name_t;
	struct act	*acts;
	struct run	*runs;
	uint32_t	 nacts, capacts, nruns, capruns;
	uint8_t		 kind, has_delete;
	/* The last observation's line without its observed_at and run_id
	 * values (input.c's fast path). */
	char		*tpl;
	uint32_t	 tpl_len, tpl_a, tpl_b, tpl_shape;
	uint8_t		 tpl_cuts, tpl_state, tpl_obs;
	uint8_t		 tpl_tries, tpl_hits;	/* give up on unique lines */
	uint64_t	 tpl_key;
};

/* A flavor as it counts: sizes and GPUs (volumes: size in disk_gb). */
struct shape {
	int64_t		 vcpus, ram_mb, disk_gb, gpus;
	char		*alias, *flavor_id;
	int		 resolved;	/* sizes known */
	uint32_t	 su;		/* SU type index */
};

struct flavor {
	int64_t		 vcpus, ram_mb, disk_gb, gpus, t;
	char		*alias;
};

struct project {
	char		*id, *name, *domain_id, *parent_id, *pi, *path;
	char		*allocation;	/* project_attr's allocation_name */
	int64_t		 t;
	uint32_t	 parent;
	int		 depth, is_domain, seen, mark;
	uint32_t	*kids;
	size_t		 nkids;
};

struct user {
	char		*id, *name, *email;
	int64_t		 t, inst_t;
	uint32_t	 inst;		/* explicit, NONE_IDX if not set */
};

struct inst {
	char		*id, *name, *code, *email, *address;
};

struct share {
	uint32_t	 project, inst;
	int64_t		 ppb;		/* parts per 10^9 */
	int64_t		 from, to;
	char		*text;
	char		*where;		/* input:line */
	size_t		 seq;		/* order read */
};

struct month {
	int64_t		 start, end;	/* clipped to the period */
	int		 year, mon;
	int		 charge_stopped;
};

struct sutype {
	char		*name;		/* "CPU", "GPUA100", "" for storage */
	char		*label;		/* "OpenStack CPU" */
};

/* Figures of one cell; hours are whole (rounded per object). */
struct fig {
	int64_t	inst_h, su_h, vcpu_h, ram_mib_h, disk_h, gpu_h, vol_h, fip_h;
	int64_t	inferred_s, unknown_s;
	int64_t	cents;
	/* A project's part funded by one institution: SU-hours in
	 * billionths, split exactly (split set); su_h is then its whole
	 * hours by largest remainder. */
	int64_t	su_nh;
	int	split;
};

/* Institution weights of one project cell. */
struct weight {
	uint32_t	 inst;
	ua_i128		 w;
};

/* Usage of one object (or project, user...) in one SU type and month. */
struct cell {
	uint32_t	 ent, su, mon, ent2;
	struct fig	 f;
	struct weight	*w;
	size_t		 nw;
};

struct cells {
	struct cell	*v;
	size_t		 n, cap;
	struct u64map	 idx;
};
struct cell	*cells_at(struct cells *, uint32_t ent, uint32_t su,
		    uint32_t mon, uint32_t ent2);
void		 cells_free(struct cells *);
void		 fig_add(struct fig *, const struct fig *);

struct model {
	/* options */
	int64_t		 since, until, interval, max_gap, grace;
	const char	*tz, *cloud, *root_name, *service, *cluster;
	const char	*rates_file, *outages_file;
	char		 rates_sha256[65];
	int		 charge_stopped;	/* -1: from the rates file */
	int64_t		 generated_at;

	struct rates	*rates;
	struct outages	*outages;
	int64_t		*out_from, *out_to;	/* merged, for the service */
	size_t		 nout;

	struct smap	 shape_ix, flavor_ix, proj_ix, user_ix,
			 inst_ix, domain_inst, su_ix;
	struct obj	*objs;
	size_t		 nobjs, capobjs;
	struct shape	*shapes;
	size_t		 nshapes, capshapes;
	struct flavor	*flavors;
	size_t		 nflavors, capflavors;
	struct project	*projs;
	size_t		 nprojs, capprojs;
	struct user	*users;
	size_t		 nusers, capusers;
	struct inst	*insts;
	size_t		 ninsts, capinsts;
	struct share	*shares;
	size_t		 nshares, capshares;
	struct sutype	*sus;
	size_t		 nsus, capsus;
	struct month	*months;
	size_t		 nmonths;

	int64_t		*run_starts;	/* run_start records by run_id */
	size_t		 nrun_starts;
	struct smap	 run_ix;
	int64_t		*runs_at;	/* complete collection runs */
	size_t		 nruns_at, capruns_at;
	int64_t		*cov_from, *cov_to;	/* merged coverage */
	size_t		 ncov;
	int		 have_runs;
	unsigned char	*slot_seen;	/* per --interval slot of the period */
	size_t		 nslots;

	/*
	 * When set, ua_account_all hands every piece of every object's
	 * timeline (its state from x to y, and whether observations rather
	 * than actions vouch for it) to this function instead of billing it:
	 * consistency-check compares the timelines with nova's own figures.
	 */
	void		(*piece)(uint32_t oix, int64_t x, int64_t y,
			    uint8_t state, int inferred);

	/* results */
	struct cells	 units;		/* per object, su, month */
	struct cells	 pcells;	/* per project (own), su, month */
};

extern struct model M;

/* input.c */
void		 ua_init_tables(void);
void		 ua_read(int fd, const char *name, size_t max);
uint32_t	 ua_project(const char *id);
uint32_t	 ua_user(const char *id);
uint32_t	 ua_inst(const char *id);
void		*ua_grow(void *v, size_t *cap, size_t n, size_t size);

/* timeline.c */
void		 ua_coverage(void);
void		 ua_account_all(void);
size_t		 ua_month_of(int64_t t);

/* report.c */
void		 ua_resolve_shapes(void);
uint32_t	 ua_su_type(const char *name);
void		 ua_build_tree(void);
void		 ua_resolve_users(void);
void		 ua_check_shares(void);
size_t		 ua_shares_at(uint32_t project, int64_t t, uint32_t *inst,
		    int64_t *ppb, size_t max, int64_t *next);
int64_t		 ua_sus(const struct shape *, size_t mon);
void		 ua_report(const char *by);

#endif
