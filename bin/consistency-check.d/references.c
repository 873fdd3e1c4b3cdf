/*
 * references.c: what the records point at exists, the project tree has
 * no cycle, each project's funding shares add up to exactly 1 on every
 * date they change, and every user has exactly one institution.
 *
 * "Exists" means: some version of the object is in the records read (for
 * pg-extract's output, a version overlapping the period).  A project's
 * parent may be a project or a domain (Keystone's top-level projects have
 * their domain as parent).  Shares are exact decimals; a user's
 * institution is explicit (user_institution) or derived from the e-mail
 * domain, or a parent domain of it (email_domain_institution).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "decimal.h"
#include "rtime.h"
#include "ua.h"
#include "util.h"

enum rkind {
	R_INSTANCE_PROJECT, R_PROJECT_PARENT, R_ATTACHMENT_VOLUME,
	R_ATTACHMENT_SERVER, R_SHARE_PROJECT, R_SHARE_INSTITUTION,
	R_USER_INSTITUTION, R_DOMAIN_INSTITUTION, R_N
};

static const struct {
	const char	*from, *field, *to;
	int		 table;		/* index into sets[] */
} rdef[R_N] = {
	{ "instance", "project_id", "project", 0 },
	{ "project", "parent_id", "project or domain", 0 },
	{ "volume_attachment", "volume_id", "volume", 2 },
	{ "volume_attachment", "server_id", "instance", 1 },
	{ "project_institution", "project_id", "project", 0 },
	{ "project_institution", "institution_id", "institution", 3 },
	{ "user_institution", "institution_id", "institution", 3 },
	{ "email_domain_institution", "institution_id", "institution", 3 },
};

/* The ids of projects and domains, instances, volumes, institutions, and
 * of the users who own an instance or a volume. */
static struct smap	 sets[5];

struct ref {
	uint8_t		 kind;
	char		*from, *to;
};
static struct ref	*refs;
static size_t		 nrefs, caprefs;
static struct smap	 ref_seen;

struct proj {
	char		*id, *parent;
	int64_t		 t;
	int		 mark;
};
static struct proj	*projs;
static size_t		 nprojs, capprojs;
static struct smap	 proj_ix;

struct pshare {
	char		*id, *project, *inst, *text, *where;
	int64_t		 from, to;
	int		 has_to;
};
static struct pshare	*shares;
static size_t		 nshares, capshares;

struct cuser {
	char		*id, *name, *email;
	int64_t		 t;
};
static struct cuser	*users;
static size_t		 nusers, capusers;
static struct smap	 user_ix, domain_ix;

struct uinst {
	char		*user, *inst;
	int64_t		 from;
};
static struct uinst	*uinsts;
static size_t		 nuinsts, capuinsts;

static void
set_add(int table, const char *id)
{
	smap_put(&sets[table], id, strlen(id), 1);
}

static int
set_has(int table, const char *id)
{
	uint32_t v;

	return smap_get(&sets[table], id, strlen(id), &v);
}

static void
add_ref(enum rkind kind, const char *from, const char *to)
{
	char key[1024];
	int n;

	if (to == NULL)
		return;
	n = snprintf(key, sizeof(key), "%d\x1f%s\x1f%s", (int)kind, from, to);
	if (n < 0 || (size_t)n >= sizeof(key))
		n = sizeof(key) - 1;
	if (smap_get(&ref_seen, key, (size_t)n, &(uint32_t){ 0 }))
		return;
	smap_put(&ref_seen, key, (size_t)n, 1);
	refs = ua_grow(refs, &caprefs, nrefs, sizeof(*refs));
	refs[nrefs].kind = (uint8_t)kind;
	refs[nrefs].from = moc_xstrdup(from);
	refs[nrefs++].to = moc_xstrdup(to);
}

/* A version's time: valid_from, else observed_at. */
static int64_t
version_time(const struct json_value *rec)
{
	int64_t t;

	if (cc_time(rec, "valid_from", &t) || cc_time(rec, "observed_at", &t))
		return t;
	return INT64_MIN;
}

static void
do_project(const struct json_value *rec)
{
	const char *id = cc_str_req(rec, "id"), *parent = cc_str(rec,
	    "parent_id");
	int64_t t = version_time(rec);
	uint32_t ix;
	struct proj *p;

	set_add(0, id);
	add_ref(R_PROJECT_PARENT, id, parent);
	if (!smap_get(&proj_ix, id, strlen(id), &ix)) {
		projs = ua_grow(projs, &capprojs, nprojs, sizeof(*projs));
		p = &projs[nprojs];
		memset(p, 0, sizeof(*p));
		p->id = moc_xstrdup(id);
		p->t = INT64_MIN;
		smap_put(&proj_ix, id, strlen(id), (uint32_t)nprojs++);
	} else
		p = &projs[ix];
	/* The tree is that of the latest version. */
	if (t >= p->t) {
		free(p->parent);
		p->parent = parent != NULL ? moc_xstrdup(parent) : NULL;
		p->t = t;
	}
}

static void
do_share(const struct json_value *rec)
{
	const char *text = cc_number_text(rec, "share");
	const struct json_value *vt = json_get(rec, "valid_to");
	struct pshare *s;

	shares = ua_grow(shares, &capshares, nshares, sizeof(*shares));
	s = &shares[nshares++];
	s->id = moc_xstrdup(cc_str_req(rec, "id"));
	s->project = moc_xstrdup(cc_str_req(rec, "project_id"));
	s->inst = moc_xstrdup(cc_str_req(rec, "institution_id"));
	if (text == NULL)
		moc_die(EXIT_USAGE, "%s: missing field \"share\"", cc_where());
	s->text = moc_xstrdup(text);
	s->where = moc_xstrdup(cc_where());
	if (!cc_time(rec, "valid_from", &s->from))
		s->from = INT64_MIN;
	/* pg-extract gives each version's end; an administrator's file
	 * does not, and a later entry of the same id replaces it. */
	s->has_to = vt != NULL;
	if (!cc_time(rec, "valid_to", &s->to))
		s->to = INT64_MAX;
	add_ref(R_SHARE_PROJECT, s->id, s->project);
	add_ref(R_SHARE_INSTITUTION, s->id, s->inst);
}

static void
do_user(const struct json_value *rec)
{
	const char *id = cc_str_req(rec, "id");
	int64_t t = version_time(rec);
	uint32_t ix;
	struct cuser *u;

	if (!smap_get(&user_ix, id, strlen(id), &ix)) {
		users = ua_grow(users, &capusers, nusers, sizeof(*users));
		u = &users[nusers];
		memset(u, 0, sizeof(*u));
		u->id = moc_xstrdup(id);
		u->t = INT64_MIN;
		smap_put(&user_ix, id, strlen(id), (uint32_t)nusers++);
	} else
		u = &users[ix];
	if (t >= u->t) {
		const char *email = cc_str(rec, "email"), *name =
		    cc_str(rec, "name");

		free(u->email);
		free(u->name);
		u->email = email != NULL ? moc_xstrdup(email) : NULL;
		u->name = name != NULL ? moc_xstrdup(name) : NULL;
		u->t = t;
	}
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

void
ref_record(const struct json_value *rec, const char *type)
{
	if (strcmp(type, "project") == 0)
		do_project(rec);
	else if (strcmp(type, "domain") == 0)
		set_add(0, cc_str_req(rec, "id"));
	else if (strcmp(type, "instance") == 0) {
		const char *id = cc_str_req(rec, "id");

		set_add(1, id);
		if (cc_str(rec, "user_id") != NULL)
			set_add(4, cc_str(rec, "user_id"));
		add_ref(R_INSTANCE_PROJECT, id, cc_str(rec, "project_id"));
		if (cc_str(rec, "project_id") == NULL)
			add_ref(R_INSTANCE_PROJECT, id, "");
	} else if (strcmp(type, "volume") == 0) {
		set_add(2, cc_str_req(rec, "id"));
		if (cc_str(rec, "user_id") != NULL)
			set_add(4, cc_str(rec, "user_id"));
	}
	else if (strcmp(type, "volume_attachment") == 0) {
		const char *id = cc_str_req(rec, "id");

		add_ref(R_ATTACHMENT_VOLUME, id, cc_str(rec, "volume_id"));
		add_ref(R_ATTACHMENT_SERVER, id, cc_str(rec, "server_id"));
	} else if (strcmp(type, "institution") == 0)
		set_add(3, cc_str_req(rec, "id"));
	else if (strcmp(type, "project_institution") == 0)
		do_share(rec);
	else if (strcmp(type, "user") == 0)
		do_user(rec);
	else if (strcmp(type, "user_institution") == 0) {
		struct uinst *ui;

		uinsts = ua_grow(uinsts, &capuinsts, nuinsts, sizeof(*uinsts));
		ui = &uinsts[nuinsts++];
		ui->user = moc_xstrdup(cc_str_req(rec, "user_id"));
		ui->inst = moc_xstrdup(cc_str_req(rec, "institution_id"));
		if (!cc_time(rec, "valid_from", &ui->from))
			ui->from = INT64_MIN;
		add_ref(R_USER_INSTITUTION, ui->user, ui->inst);
	} else if (strcmp(type, "email_domain_institution") == 0) {
		char *d = moc_xstrdup(cc_str_req(rec, "domain"));

		lower(d);
		smap_put(&domain_ix, d, strlen(d), 1);
		add_ref(R_DOMAIN_INSTITUTION, d,
		    cc_str_req(rec, "institution_id"));
		free(d);
	}
}

/* --- the checks --------------------------------------------------------- */

static void
check_refs(void)
{
	char subject[600], expected[600];
	size_t i;

	for (i = 0; i < nrefs; i++) {
		const struct ref *r = &refs[i];

		if (*r->to != '\0' && set_has(rdef[r->kind].table, r->to))
			continue;
		snprintf(subject, sizeof(subject), "%s %s", rdef[r->kind].from,
		    r->from);
		snprintf(expected, sizeof(expected), "%s %s",
		    rdef[r->kind].to, r->to);
		cc_finding(CK_REFERENCES, SEV_ERROR, subject,
		    *r->to ? expected : "a project", *r->to ?
		    "not in the records" : "none",
		    "field \"%s\" refers to no %s%s", rdef[r->kind].field,
		    rdef[r->kind].to, CO.has_since ? " in the period" : "");
	}
}

static struct proj *
parent_of(const struct proj *p)
{
	uint32_t ix;

	if (p->parent == NULL || !smap_get(&proj_ix, p->parent,
	    strlen(p->parent), &ix))
		return NULL;
	return &projs[ix];
}

/* Walk up from each project; meeting the walk's own path is a cycle. */
static size_t
check_cycles(void)
{
	struct proj **path = moc_xcalloc(nprojs + 1, sizeof(*path));
	char chain[1024], subject[300];
	size_t i, k, n, cycles = 0;

	for (i = 0; i < nprojs; i++) {
		struct proj *p = &projs[i];

		for (n = 0; p != NULL && p->mark == 0; p = parent_of(p)) {
			p->mark = 1;
			path[n++] = p;
		}
		if (p != NULL && p->mark == 1) {
			size_t len = 0;

			for (k = 0; k < n && path[k] != p; k++)
				;
			for (; k < n && len < sizeof(chain) - 1; k++)
				len += (size_t)snprintf(chain + len,
				    sizeof(chain) - len, "%s > ", path[k]->id);
			if (len < sizeof(chain))
				snprintf(chain + len, sizeof(chain) - len,
				    "%s", p->id);
			snprintf(subject, sizeof(subject), "project %s", p->id);
			cc_finding(CK_REFERENCES, SEV_ERROR, subject,
			    "a tree (no cycle)", "a cycle",
			    "parents: %s", chain);
			cycles++;
		}
		for (k = 0; k < n; k++)
			path[k]->mark = 2;
	}
	free(path);
	return cycles;
}

static int
cmp_share(const void *a, const void *b)
{
	const struct pshare *x = a, *y = b;
	int c = strcmp(x->project, y->project);

	if (c != 0)
		return c;
	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return (x->from > y->from) - (x->from < y->from);
}

/* The shares of one project (entries [lo, hi)) on each date they change. */
static int
project_shares(size_t lo, size_t hi)
{
	char sum_text[DECW_BUFSIZE], when[RTIME_BUFSIZE], subject[300],
	    detail[700];
	size_t i, j, len;
	int bad = 0;

	for (i = lo; i < hi; i++)
		if (!shares[i].has_to)
			shares[i].to = i + 1 < hi && strcmp(shares[i + 1].id,
			    shares[i].id) == 0 ? shares[i + 1].from : INT64_MAX;
	for (i = lo; i < hi; i++) {
		int64_t t = shares[i].from;
		dec_wide sum = 0, v;
		int places;

		for (j = lo; j < i; j++)
			if (shares[j].from == t)
				break;
		if (j < i)
			continue;	/* date done */
		len = 0;
		detail[0] = '\0';
		for (j = lo; j < hi; j++) {
			if (shares[j].from > t || shares[j].to <= t)
				continue;
			if (decw_parse(shares[j].text, &v, &places) == -1)
				moc_die(EXIT_USAGE, "%s: bad decimal in field "
				    "\"share\": %s", shares[j].where,
				    shares[j].text);
			sum += v;
			if (len < sizeof(detail))
				len += (size_t)snprintf(detail + len,
				    sizeof(detail) - len, "%s%s %s",
				    len ? ", " : "", shares[j].inst,
				    shares[j].text);
		}
		if (sum == DECW_ONE)
			continue;
		decw_format(sum, decw_places(sum, 0), 0, sum_text);
		if (t == INT64_MIN)
			strcpy(when, "the start");
		else
			rtime_format(t, when);
		snprintf(subject, sizeof(subject), "project %s",
		    shares[lo].project);
		cc_finding(CK_REFERENCES, SEV_ERROR, subject,
		    "shares summing to 1", sum_text, "shares from %s: %s",
		    when, detail);
		bad = 1;
	}
	return bad;
}

static size_t
check_shares(void)
{
	size_t lo, hi, bad = 0;

	ua_qsort(shares, nshares, sizeof(*shares), cmp_share);
	for (lo = 0; lo < nshares; lo = hi) {
		for (hi = lo + 1; hi < nshares && strcmp(shares[hi].project,
		    shares[lo].project) == 0; hi++)
			;
		bad += (size_t)project_shares(lo, hi);
	}
	return bad;
}

/* The e-mail domain or a parent domain with an institution. */
static int
domain_institution(const char *email)
{
	const char *at = email != NULL ? strrchr(email, '@') : NULL, *d;
	char buf[256];
	uint32_t v;

	if (at == NULL)
		return 0;
	for (d = at + 1; d != NULL; d = strchr(d, '.')) {
		if (*d == '.')
			d++;
		if (*d == '\0' || strlen(d) >= sizeof(buf))
			break;
		strcpy(buf, d);
		lower(buf);
		if (smap_get(&domain_ix, buf, strlen(buf), &v))
			return 1;
	}
	return 0;
}

static int
cmp_uinst(const void *a, const void *b)
{
	const struct uinst *x = a, *y = b;
	int c = strcmp(x->user, y->user);

	if (c != 0)
		return c;
	return (x->from > y->from) - (x->from < y->from);
}

/* Two explicit institutions from the same date: which one is meant? */
static size_t
check_explicit(struct smap *explicit)
{
	char subject[300], actual[600];
	size_t i, bad = 0;

	ua_qsort(uinsts, nuinsts, sizeof(*uinsts), cmp_uinst);
	for (i = 0; i < nuinsts; i++) {
		smap_put(explicit, uinsts[i].user, strlen(uinsts[i].user), 1);
		if (i == 0 || strcmp(uinsts[i].user, uinsts[i - 1].user) != 0
		    || uinsts[i].from != uinsts[i - 1].from ||
		    strcmp(uinsts[i].inst, uinsts[i - 1].inst) == 0)
			continue;
		snprintf(subject, sizeof(subject), "user %s", uinsts[i].user);
		snprintf(actual, sizeof(actual), "%s and %s",
		    uinsts[i - 1].inst, uinsts[i].inst);
		cc_finding(CK_REFERENCES, SEV_ERROR, subject,
		    "exactly one institution", actual,
		    "two user_institution records from the same date");
		bad++;
	}
	return bad;
}

static size_t
check_users(void)
{
	struct smap explicit;
	char subject[600];
	size_t i, bad;
	uint32_t v;
	int owner;

	memset(&explicit, 0, sizeof(explicit));
	bad = check_explicit(&explicit);
	for (i = 0; i < nusers; i++) {
		const struct cuser *u = &users[i];

		if (smap_get(&explicit, u->id, strlen(u->id), &v) ||
		    domain_institution(u->email))
			continue;
		snprintf(subject, sizeof(subject), "user %s%s%s%s", u->id,
		    u->name ? " (" : "", u->name ? u->name : "",
		    u->name ? ")" : "");
		/* A service account that owns nothing bills nobody. */
		owner = set_has(4, u->id);
		cc_finding(CK_REFERENCES, owner ? SEV_ERROR : SEV_WARNING,
		    subject, "exactly one institution", "none",
		    "no user_institution record, and %s%s%s%s", u->email ?
		    "no email_domain_institution for " : "no e-mail address",
		    u->email ? "the domain of " : "", u->email ? u->email :
		    "", owner ? "; owns instances or volumes" :
		    "; owns no instance or volume");
		bad += (size_t)owner;
	}
	smap_free(&explicit);
	return bad;
}

void
ref_run(void)
{
	size_t cycles, shares_bad, users_bad;

	check_refs();
	cycles = check_cycles();
	shares_bad = check_shares();
	users_bad = check_users();
	cc_note(CK_REFERENCES, "%zu references, %zu projects (%zu in a cycle), "
	    "%zu projects with shares not summing to 1, %zu of %zu users "
	    "owning usage without one institution",
	    nrefs, nprojs, cycles, shares_bad, users_bad, nusers);
}
