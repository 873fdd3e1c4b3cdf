/*
 * totals.c: the report check.  usage-aggregate's output must add up to
 * the same totals on every axis, exactly (decimals, never binary floating
 * point):
 *   - usage_total: su_hours and cost of each SU type equal on every axis;
 *   - the rows of each kind present add up to that total: instances, users,
 *     institutions, institutions' parts of projects (rows with a
 *     project_id), projects' own usage, the tree's root (depth 0, the
 *     subtree) and invoice lines.
 * The reference is the instance axis's total when there is one.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cc.h"
#include "decimal.h"
#include "ua.h"
#include "util.h"

enum group {
	G_INSTANCE, G_USER, G_PROJECT_OWN, G_PROJECT_ROOT, G_INSTITUTION,
	G_PORTION, G_INVOICE, G_N
};
static const char *const gnames[G_N] = {
	"instance rows", "user rows", "projects' own rows",
	"the project tree's root row", "institution rows",
	"institutions' parts of projects", "invoice lines"
};
static const char *const axes[] = { "instance", "user", "project",
	"institution" };
#define NAXES	4

struct sum {
	dec_wide	 h, c;
	int		 seen;
};

struct su {
	char		*name;
	struct sum	 total[NAXES], group[G_N];
};
static struct su	*sus;
static size_t		 nsus, capsus;
static struct smap	 su_ix;
static size_t		 nrows;

static struct su *
su_of(const char *name)
{
	uint32_t ix;

	if (smap_get(&su_ix, name, strlen(name), &ix))
		return &sus[ix];
	sus = ua_grow(sus, &capsus, nsus, sizeof(*sus));
	memset(&sus[nsus], 0, sizeof(*sus));
	sus[nsus].name = moc_xstrdup(name);
	smap_put(&su_ix, name, strlen(name), (uint32_t)nsus);
	return &sus[nsus++];
}

static dec_wide
dec_field(const struct json_value *rec, const char *field)
{
	const char *t = cc_number_text(rec, field);
	dec_wide v;
	int places;

	if (t == NULL)
		moc_die(EXIT_USAGE, "%s: missing field \"%s\"", cc_where(),
		    field);
	if (decw_parse(t, &v, &places) == -1)
		cc_bad_field(field, json_get(rec, field), "not a decimal");
	return v;
}

static void
add(struct sum *s, const struct json_value *rec)
{
	s->h += dec_field(rec, "su_hours");
	s->c += dec_field(rec, "cost");
	s->seen = 1;
}

static int
axis_of(const char *axis)
{
	int i;

	for (i = 0; i < NAXES; i++)
		if (axis != NULL && strcmp(axis, axes[i]) == 0)
			return i;
	return -1;
}

static int
group_of(const struct json_value *rec, int axis)
{
	const char *scope;
	const struct json_value *depth;

	switch (axis) {
	case 0:
		return G_INSTANCE;
	case 1:
		return G_USER;
	case 3:
		return json_present(json_get(rec, "project_id")) ? G_PORTION :
		    G_INSTITUTION;
	default:
		break;
	}
	scope = cc_str(rec, "scope");
	if (scope != NULL && strcmp(scope, "own") == 0)
		return G_PROJECT_OWN;
	depth = json_get(rec, "depth");
	if (depth != NULL && depth->type == JSON_NUMBER &&
	    strcmp(depth->u.text, "0") == 0)
		return G_PROJECT_ROOT;
	return -1;
}

static void
on_record(const struct json_value *rec, const char *type, void *arg)
{
	const char *su;
	int axis, g;

	(void)arg;
	if (strcmp(type, "usage") != 0 && strcmp(type, "usage_total") != 0 &&
	    strcmp(type, "invoice_line") != 0)
		return;
	/* Storage rows have no SU type and no SU-hours. */
	if ((su = cc_str(rec, "su_type")) == NULL)
		return;
	nrows++;
	if (strcmp(type, "invoice_line") == 0) {
		add(&su_of(su)->group[G_INVOICE], rec);
		return;
	}
	if ((axis = axis_of(cc_str(rec, "axis"))) == -1)
		cc_bad_field("axis", json_get(rec, "axis"), "unknown axis");
	if (strcmp(type, "usage_total") == 0)
		add(&su_of(su)->total[axis], rec);
	else if ((g = group_of(rec, axis)) != -1)
		add(&su_of(su)->group[g], rec);
}

static void
fmt_sum(const struct sum *s, char *buf, size_t n)
{
	char h[DECW_BUFSIZE], c[DECW_BUFSIZE];

	decw_format(s->h, decw_places(s->h, 0), 0, h);
	decw_format(s->c, decw_places(s->c, 2), 0, c);
	snprintf(buf, n, "%s SU-hours, cost %s", h, c);
}

static size_t
compare_su(const struct su *s)
{
	char subject[400], e[200], a[200];
	const struct sum *ref = NULL;
	const char *ref_axis = NULL;
	size_t i, bad = 0;

	for (i = 0; i < NAXES && ref == NULL; i++)
		if (s->total[i].seen) {
			ref = &s->total[i];
			ref_axis = axes[i];
		}
	if (ref == NULL) {
		snprintf(subject, sizeof(subject), "%s", s->name);
		cc_finding(CK_REPORT, SEV_ERROR, subject, "a usage_total",
		    "none", "rows of this SU type but no total");
		return 1;
	}
	fmt_sum(ref, e, sizeof(e));
	for (i = 0; i < NAXES; i++) {
		if (!s->total[i].seen || (s->total[i].h == ref->h &&
		    s->total[i].c == ref->c))
			continue;
		snprintf(subject, sizeof(subject), "%s, %s axis total",
		    s->name, axes[i]);
		fmt_sum(&s->total[i], a, sizeof(a));
		cc_finding(CK_REPORT, SEV_ERROR, subject, e, a,
		    "usage_total differs from the %s axis's", ref_axis);
		bad++;
	}
	for (i = 0; i < G_N; i++) {
		const struct sum *g = &s->group[i];

		/* usage-aggregate writes every axis's total but only the
		 * rows of the axes asked for (--by). */
		if (!g->seen || (g->h == ref->h && g->c == ref->c))
			continue;
		snprintf(subject, sizeof(subject), "%s, %s", s->name,
		    gnames[i]);
		fmt_sum(g, a, sizeof(a));
		cc_finding(CK_REPORT, SEV_ERROR, subject, e, a,
		    "the rows do not add up to the %s axis's usage_total",
		    ref_axis);
		bad++;
	}
	return bad;
}

void
report_run(void)
{
	size_t i, bad = 0;
	int fd = strcmp(CO.summaries, "-") == 0 ? STDIN_FILENO :
	    open(CO.summaries, O_RDONLY);

	if (fd == -1)
		moc_die_sys(EXIT_USAGE, "%s", CO.summaries);
	cc_read_records(fd, fd == STDIN_FILENO ? "<stdin>" : CO.summaries,
	    on_record, NULL);
	if (fd != STDIN_FILENO)
		close(fd);
	if (nsus == 0)
		cc_finding(CK_REPORT, SEV_ERROR, CO.summaries,
		    "usage_total records", "none",
		    "no usage, usage_total or invoice_line with an SU type");
	for (i = 0; i < nsus; i++)
		bad += compare_su(&sus[i]);
	cc_note(CK_REPORT, "%zu SU type%s, %zu rows, %zu sums differ", nsus,
	    nsus == 1 ? "" : "s", nrows, bad);
}
