/*
 * coverage.c: every slot of the period (--slot, 15 minutes by default)
 * has a complete collection run in every region that has runs at all.
 *
 * Runs come from collection_run records (pg-extract) or from run_start
 * and run_end records (os-normalize's stream).  A run vouches for the
 * slot it started in.  Consecutive slots without a complete run make one
 * finding with the gap's start and end; an incomplete run is a warning
 * of its own (its slot is then usually a gap as well).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "rtime.h"
#include "ua.h"
#include "util.h"

struct crun {
	char		*id;
	uint32_t	 region;
	int64_t		 start;
	int		 complete, ended;
};

static struct crun	*runs;
static size_t		 nruns, capruns;
static struct smap	 run_ix, region_ix;
static char		**regions;
static size_t		 nregions, capregions;

static uint32_t
region_of(const char *name)
{
	uint32_t ix;

	if (name == NULL)
		name = "";
	if (smap_get(&region_ix, name, strlen(name), &ix))
		return ix;
	regions = ua_grow(regions, &capregions, nregions, sizeof(*regions));
	regions[nregions] = moc_xstrdup(name);
	smap_put(&region_ix, name, strlen(name), (uint32_t)nregions);
	return (uint32_t)nregions++;
}

static struct crun *
run_of(const char *id)
{
	uint32_t ix;
	struct crun *r;

	if (smap_get(&run_ix, id, strlen(id), &ix))
		return &runs[ix];
	runs = ua_grow(runs, &capruns, nruns, sizeof(*runs));
	r = &runs[nruns];
	memset(r, 0, sizeof(*r));
	r->id = moc_xstrdup(id);
	r->start = INT64_MIN;
	smap_put(&run_ix, id, strlen(id), (uint32_t)nruns++);
	return r;
}

static int
bool_field(const struct json_value *rec, const char *field)
{
	const struct json_value *v = json_get(rec, field);

	if (v == NULL || v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_TRUE && v->type != JSON_FALSE)
		cc_bad_field(field, v, "not a boolean");
	return v->type == JSON_TRUE;
}

void
cov_record(const struct json_value *rec, const char *type)
{
	struct crun *r;
	int64_t t;

	if (strcmp(type, "collection_run") == 0) {
		r = run_of(cc_str_req(rec, "id"));
		if (!cc_time(rec, "started_at", &t))
			moc_die(EXIT_USAGE, "%s: missing field \"started_at\"",
			    cc_where());
		r->start = t;
		r->region = region_of(cc_str(rec, "region"));
		r->complete = bool_field(rec, "complete");
		r->ended = 1;
	} else if (strcmp(type, "run_start") == 0) {
		r = run_of(cc_str_req(rec, "run_id"));
		if (!cc_time(rec, "started_at", &t))
			moc_die(EXIT_USAGE, "%s: missing field \"started_at\"",
			    cc_where());
		r->start = t;
		r->region = region_of(cc_str(rec, "region"));
	} else if (strcmp(type, "run_end") == 0) {
		r = run_of(cc_str_req(rec, "run_id"));
		r->complete = bool_field(rec, "complete");
		r->ended = 1;
	}
}

int
cov_span(int64_t *first, int64_t *last)
{
	size_t i;
	int any = 0;

	for (i = 0; i < nruns; i++) {
		if (runs[i].start == INT64_MIN)
			continue;
		if (!any || runs[i].start < *first)
			*first = runs[i].start;
		if (!any || runs[i].start > *last)
			*last = runs[i].start;
		any = 1;
	}
	return any;
}

static void
gap(const char *region, int64_t from, int64_t to, size_t nslots)
{
	char a[RTIME_BUFSIZE], b[RTIME_BUFSIZE], subject[300], actual[100];

	rtime_format(from, a);
	rtime_format(to, b);
	snprintf(subject, sizeof(subject), "region %s", *region ? region :
	    "(none)");
	snprintf(actual, sizeof(actual), "none from %s to %s", a, b);
	cc_finding(CK_COVERAGE, SEV_ERROR, subject,
	    "a complete collection run in every slot", actual,
	    "gap of %zu slot%s of %llds: [%s, %s)", nslots, nslots == 1 ? "" :
	    "s", (long long)CO.slot, a, b);
}

/* One region's slots; returns the number of gaps. */
static size_t
region_gaps(uint32_t reg, unsigned char *seen, size_t nslots,
    size_t *complete)
{
	size_t i, start = 0, gaps = 0;
	int in_gap = 0;

	memset(seen, 0, nslots);
	for (i = 0; i < nruns; i++)
		if (runs[i].region == reg && runs[i].complete &&
		    runs[i].start >= CO.since && runs[i].start < CO.until)
			seen[(runs[i].start - CO.since) / CO.slot] = 1;
	for (i = 0; i <= nslots; i++) {
		if (i < nslots && seen[i])
			(*complete)++;
		if (i < nslots && !seen[i] && !in_gap) {
			in_gap = 1;
			start = i;
		} else if ((i == nslots || seen[i]) && in_gap) {
			int64_t to = CO.since + (int64_t)i * CO.slot;

			gap(regions[reg], CO.since + (int64_t)start * CO.slot,
			    to < CO.until ? to : CO.until, i - start);
			gaps++;
			in_gap = 0;
		}
	}
	return gaps;
}

static void
incomplete_runs(void)
{
	char t[RTIME_BUFSIZE], subject[300];
	size_t i;

	for (i = 0; i < nruns; i++) {
		const struct crun *r = &runs[i];

		if (r->complete || r->start < CO.since || r->start >= CO.until)
			continue;
		rtime_format(r->start, t);
		snprintf(subject, sizeof(subject), "run %s", r->id);
		cc_finding(CK_COVERAGE, SEV_WARNING, subject, "complete",
		    r->ended ? "incomplete" : "no end (run_end missing)",
		    "started at %s in region %s", t,
		    *regions[r->region] ? regions[r->region] : "(none)");
	}
}

void
cov_run(void)
{
	size_t nslots, gaps = 0, complete = 0, i;
	unsigned char *seen;

	if (!CO.has_since || !CO.has_until) {
		cc_finding(CK_COVERAGE, SEV_ERROR, "collection runs",
		    "a complete collection run in every slot",
		    "no collection run", "no period given and no run read");
		cc_note(CK_COVERAGE, "no collection run, no period");
		return;
	}
	nslots = (size_t)((CO.until - CO.since + CO.slot - 1) / CO.slot);
	if (nregions == 0) {
		/* No run at all: the whole period is one gap. */
		region_of(NULL);
	}
	seen = moc_xmalloc(nslots + 1);
	for (i = 0; i < nregions; i++)
		gaps += region_gaps((uint32_t)i, seen, nslots, &complete);
	free(seen);
	incomplete_runs();
	cc_note(CK_COVERAGE, "%zu slot%s of %llds in %zu region%s, %zu with a "
	    "complete run, %zu gap%s", nslots, nslots == 1 ? "" : "s",
	    (long long)CO.slot, nregions, nregions == 1 ? "" : "s", complete,
	    gaps, gaps == 1 ? "" : "s");
}
