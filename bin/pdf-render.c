/*
 * pdf-render: the usage report as a PDF.
 *
 * Reads the usage summary records that usage-aggregate writes (usage_meta,
 * usage, usage_total, invoice_line) and the findings of consistency-check
 * (check_summary, finding) from a file or standard input, and writes one
 * PDF report to standard output or -o FILE, or with --split-by institution
 * one PDF per institution into -d DIR.  Other record types are ignored.
 *
 * The whole input is held in memory: the project tree can only be laid
 * out once every project's summary has been read.
 *
 * Exit status: 0 report written; 1 bad input, a libharu or write error;
 * 2 usage error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "decimal.h"
#include "json.h"
#include "rec.h"
#include "util.h"

/* A4 landscape: wide tables of figures read better across. */
#define PAGE_W		841.89
#define PAGE_H		595.28
#define MARGIN		36.0
#define TOP		(PAGE_H - 48.0)
#define BOTTOM		42.0
#define BODY_SIZE	9.0
#define TABLE_SIZE	7.0
#define MIN_TABLE_SIZE	4.5
#define CELL_PAD	3.0
#define MAX_LINES	3	/* a name longer than this is shortened */
#define INDENT_STEP	8.0

/* ---------------------------------------------------------------- input */

/* Figures are lib/decimal.h's wide decimals: 18 places in 128 bits. */

/* A decimal figure: its text as given and its value. */
struct fig {
	char	*text;
	dec_wide	 v;
	int	 places;
	int	 present;
};

enum {
	F_INSTANCE, F_SU, F_VCPU, F_RAM, F_DISK, F_GPU, F_VOLUME, F_FIP,
	F_INFERRED, F_UNKNOWN, F_RATE, F_COST, NFIG
};

static const struct {
	const char	*key;
	const char	*head;
} figdef[NFIG] = {
	{ "instance_hours", "Instance hours" },
	{ "su_hours", "SU hours" },
	{ "vcpu_hours", "vCPU hours" },
	{ "ram_gib_hours", "RAM GiB-hours" },
	{ "disk_gib_hours", "Disk GiB-hours" },
	{ "gpu_hours", "GPU hours" },
	{ "volume_gib_hours", "Volume GiB-hours" },
	{ "floating_ip_hours", "Floating IP hours" },
	{ "inferred_hours", "Inferred hours" },
	{ "unknown_hours", "Unknown hours" },
	{ "rate", "Rate" },
	{ "cost", "Cost" },
};

enum axis { AX_INSTANCE, AX_USER, AX_PROJECT, AX_INSTITUTION, NAXIS };
static const char *const axisname[NAXIS] = {
	"instance", "user", "project", "institution"
};

struct usage {
	enum axis	 axis;
	char		*id, *name, *su_type, *path, *parent_id;
	char		*inst_id, *inst_name, *email, *project_id;
	struct fig	 share;
	int		 own;		/* scope "own" (or no scope) */
	int		 depth;
	char		*key;		/* tree order */
	struct fig	 f[NFIG];
};

struct total {
	enum axis	 axis;
	char		*su_type;
	struct fig	 su, cost;
};

struct invoice {
	char		*month, *project, *project_id, *pi, *inst, *code;
	char		*su_type;
	struct fig	 su, rate, cost;
};

struct finding {
	char	*check, *severity, *subject, *expected, *actual, *detail;
};

struct outage {
	char	*from, *until, *what;
};

static struct {
	int		 seen;
	char		*cloud, *since, *until, *tz, *generated_at;
	char		*rates_file, *rates_sha256, *outages_file;
	int		 charge_stopped;	/* -1 unknown */
	struct fig	 slots, complete, inferred, unknown;
	char		*consistency;
	struct outage	*outage;
	size_t		 noutage;
} meta = { .charge_stopped = -1 };

static struct {
	int		 seen;
	char		*verdict, *checks, *failed;
} summary;

/* Administrator data: who funds a project, and institutions' names. */
struct pshare {
	char		*project, *inst, *from, *to;
	struct fig	 share;
};

struct institution {
	char	*id, *name;
};

static struct pshare		*pin;
static size_t			 npin, pin_cap;
static struct institution	*insts;
static size_t			 ninsts, insts_cap;

static struct usage	*use;
static size_t		 nuse, use_cap;
static struct total	*tot;
static size_t		 ntot, tot_cap;
static struct invoice	*inv;
static size_t		 ninv, inv_cap;
static struct finding	*fnd;
static size_t		 nfnd, fnd_cap;

#define GROW(arr, n, cap) do {						\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? 2 * (cap) : 64;				\
		(arr) = moc_xrealloc((arr), (cap) * sizeof(*(arr)));	\
	}								\
} while (0)

static struct rec_reader *in;

static void __attribute__((noreturn, format(printf, 2, 3)))
bad_field(const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	moc_die(EXIT_DATA, "%s: %s in field \"%s\"", rec_where(in), msg,
	    field);
}

/* The text of a value for a message, shortened. */
static const char *
shown(const struct json_value *v)
{
	static char buf[80];

	switch (v->type) {
	case JSON_STRING:
		snprintf(buf, sizeof(buf), "\"%.60s%s\"", v->u.text,
		    v->len > 60 ? "..." : "");
		return buf;
	case JSON_NUMBER:
		snprintf(buf, sizeof(buf), "%.60s", v->u.text);
		return buf;
	default:
		return json_type_name(v->type);
	}
}

/* A string field; numbers and booleans are taken as their text. */
static char *
get_str(const struct json_value *rec, const char *key)
{
	const struct json_value *v = json_get(rec, key);

	if (v == NULL || v->type == JSON_NULL)
		return NULL;
	switch (v->type) {
	case JSON_STRING:
	case JSON_NUMBER:
		return moc_xstrdup(v->u.text);
	case JSON_TRUE:
		return moc_xstrdup("true");
	case JSON_FALSE:
		return moc_xstrdup("false");
	default:
		bad_field(key, "expected a string, found %s",
		    json_type_name(v->type));
	}
}

/* consistency-check's check_summary lists the checks run and failed by
 * name (moc-records(5)); the cover shows how many. */
static char *
count_or_str(const struct json_value *rec, const char *key)
{
	const struct json_value *v = json_get(rec, key);
	char buf[32];

	if (v == NULL || v->type != JSON_ARRAY)
		return get_str(rec, key);
	snprintf(buf, sizeof(buf), "%zu", v->len);
	return moc_xstrdup(buf);
}

static void
get_fig(const struct json_value *rec, const char *key, struct fig *f)
{
	const struct json_value *v = json_get(rec, key);

	memset(f, 0, sizeof(*f));
	if (v == NULL || v->type == JSON_NULL)
		return;
	if (v->type != JSON_NUMBER && v->type != JSON_STRING)
		bad_field(key, "expected a number, found %s",
		    json_type_name(v->type));
	if (decw_parse(v->u.text, &f->v, &f->places) == -1)
		bad_field(key, "bad decimal number (at most 18 places): %s",
		    shown(v));
	f->text = moc_xstrdup(v->u.text);
	f->present = 1;
}

static char *
need_str(const struct json_value *rec, const char *key)
{
	char *s = get_str(rec, key);

	if (s == NULL)
		bad_field(key, "missing value");
	return s;
}

static enum axis
get_axis(const struct json_value *rec)
{
	char *s = need_str(rec, "axis");
	int i;

	for (i = 0; i < NAXIS; i++)
		if (strcmp(s, axisname[i]) == 0) {
			free(s);
			return (enum axis)i;
		}
	bad_field("axis", "unknown axis \"%s\"", s);
}

/*
 * Projects sort in tree order by their path: each " / " becomes a byte
 * below any printable one, so a parent comes before its children and
 * siblings come in name order.
 */
static char *
tree_key(const char *path)
{
	char *k = moc_xstrdup(path), *p;

	while ((p = strstr(k, " / ")) != NULL) {
		*p = '\x01';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	return k;
}

static int
path_depth(const char *path)
{
	int d = 0;
	const char *p = path;

	while ((p = strstr(p, " / ")) != NULL) {
		d++;
		p += 3;
	}
	return d;
}

static void
read_usage(const struct json_value *rec)
{
	struct usage *u;
	char *scope;
	int i;
	int64_t depth;
	const struct json_value *dv;

	GROW(use, nuse, use_cap);
	u = &use[nuse++];
	memset(u, 0, sizeof(*u));
	u->axis = get_axis(rec);
	u->id = get_str(rec, "id");
	if (u->axis == AX_USER && u->id == NULL)
		u->id = get_str(rec, "user_id");
	if (u->axis == AX_INSTITUTION && u->id == NULL)
		u->id = get_str(rec, "institution_id");
	if (u->id == NULL && u->axis == AX_PROJECT &&
	    !json_present(json_get(rec, "parent_id")))
		u->id = moc_xstrdup("");	/* the root: the whole cloud */
	/* Usage no user or institution answers for (a floating IP has no
	 * user; an unfunded project no institution) is a row of its own. */
	if (u->id == NULL && (u->axis == AX_USER ||
	    u->axis == AX_INSTITUTION) && json_get(rec, "id") != NULL &&
	    json_get(rec, "id")->type == JSON_NULL)
		u->id = moc_xstrdup("");
	if (u->id == NULL)
		bad_field("id", "missing value");
	u->name = get_str(rec, "name");
	if (u->name == NULL && *u->id == '\0' && u->axis == AX_USER)
		u->name = moc_xstrdup("(no user)");
	if (u->name == NULL && *u->id == '\0' && u->axis == AX_INSTITUTION)
		u->name = moc_xstrdup("(no institution)");
	u->su_type = get_str(rec, "su_type");
	if (u->su_type == NULL)
		u->su_type = moc_xstrdup("");
	u->path = get_str(rec, "path");
	u->parent_id = get_str(rec, "parent_id");
	u->inst_id = get_str(rec, "institution_id");
	u->inst_name = get_str(rec, "institution_name");
	u->email = get_str(rec, "email");
	u->project_id = get_str(rec, "project_id");
	get_fig(rec, "share", &u->share);
	u->own = 1;
	if ((scope = get_str(rec, "scope")) != NULL) {
		if (strcmp(scope, "subtree") == 0)
			u->own = 0;
		else if (strcmp(scope, "own") != 0)
			bad_field("scope", "expected \"own\" or \"subtree\": "
			    "\"%s\"", scope);
		free(scope);
	}
	for (i = 0; i < NFIG; i++)
		get_fig(rec, figdef[i].key, &u->f[i]);
	if (u->name == NULL)
		u->name = moc_xstrdup(u->id);
	if (u->path == NULL)
		u->path = moc_xstrdup(u->name);
	dv = json_get(rec, "depth");
	if (dv != NULL && dv->type != JSON_NULL) {
		if (json_int64(dv, &depth) == -1 || depth < 0 || depth > 1000)
			bad_field("depth", "expected a small integer: %s",
			    shown(dv));
		u->depth = (int)depth;
	} else
		u->depth = path_depth(u->path);
	u->key = tree_key(u->path);
}

static void
read_total(const struct json_value *rec)
{
	struct total *t;

	GROW(tot, ntot, tot_cap);
	t = &tot[ntot++];
	t->axis = get_axis(rec);
	t->su_type = get_str(rec, "su_type");
	if (t->su_type == NULL)
		t->su_type = moc_xstrdup("");
	get_fig(rec, "su_hours", &t->su);
	get_fig(rec, "cost", &t->cost);
}

static void
read_invoice(const struct json_value *rec)
{
	struct invoice *l;

	GROW(inv, ninv, inv_cap);
	l = &inv[ninv++];
	l->month = get_str(rec, "invoice_month");
	l->project = get_str(rec, "project_name");
	l->project_id = get_str(rec, "project_id");
	l->pi = get_str(rec, "pi");
	l->inst = get_str(rec, "institution");
	l->code = get_str(rec, "institution_code");
	l->su_type = get_str(rec, "su_type");
	get_fig(rec, "su_hours", &l->su);
	get_fig(rec, "rate", &l->rate);
	get_fig(rec, "cost", &l->cost);
}

static void
read_finding(const struct json_value *rec)
{
	struct finding *f;

	GROW(fnd, nfnd, fnd_cap);
	f = &fnd[nfnd++];
	f->check = get_str(rec, "check");
	f->severity = get_str(rec, "severity");
	f->subject = get_str(rec, "subject");
	f->expected = get_str(rec, "expected");
	f->actual = get_str(rec, "actual");
	f->detail = get_str(rec, "detail");
}

static void
read_project_institution(const struct json_value *rec)
{
	struct pshare *p;

	GROW(pin, npin, pin_cap);
	p = &pin[npin++];
	p->project = need_str(rec, "project_id");
	p->inst = need_str(rec, "institution_id");
	p->from = get_str(rec, "valid_from");
	p->to = get_str(rec, "valid_to");
	get_fig(rec, "share", &p->share);
	if (!p->share.present)
		bad_field("share", "missing value");
	if (p->share.v < 0 || p->share.v > DECW_ONE)
		bad_field("share", "not between 0 and 1: %s", p->share.text);
}

static void
read_institution(const struct json_value *rec)
{
	struct institution *in;

	GROW(insts, ninsts, insts_cap);
	in = &insts[ninsts++];
	in->id = need_str(rec, "id");
	in->name = get_str(rec, "name");
}

static void
read_outages(const struct json_value *rec)
{
	const struct json_value *a = json_get(rec, "outages");
	size_t i;

	if (a == NULL || a->type == JSON_NULL)
		return;
	if (a->type != JSON_ARRAY)
		bad_field("outages", "expected an array, found %s",
		    json_type_name(a->type));
	meta.outage = moc_xcalloc(a->len, sizeof(*meta.outage));
	for (i = 0; i < a->len; i++) {
		const struct json_value *o = &a->u.items[i];
		struct outage *out = &meta.outage[meta.noutage++];

		if (o->type != JSON_OBJECT)
			bad_field("outages", "item %zu is not an object", i + 1);
		out->from = get_str(o, "from");
		out->until = get_str(o, "until");
		out->what = get_str(o, "description");
		if (out->what == NULL)
			out->what = get_str(o, "name");
	}
}

static void
read_meta(const struct json_value *rec)
{
	const struct json_value *v;

	if (meta.seen)
		moc_die(EXIT_DATA, "%s: a second usage_meta record",
		    rec_where(in));
	meta.seen = 1;
	meta.cloud = get_str(rec, "cloud");
	meta.since = get_str(rec, "since");
	meta.until = get_str(rec, "until");
	meta.tz = get_str(rec, "tz");
	meta.generated_at = get_str(rec, "generated_at");
	meta.rates_file = get_str(rec, "rates_file");
	meta.rates_sha256 = get_str(rec, "rates_sha256");
	meta.outages_file = get_str(rec, "outages_file");
	meta.consistency = get_str(rec, "consistency");
	v = json_get(rec, "charge_stopped");
	if (v != NULL && v->type != JSON_NULL) {
		if (v->type != JSON_TRUE && v->type != JSON_FALSE)
			bad_field("charge_stopped", "expected true or false: %s",
			    shown(v));
		meta.charge_stopped = v->type == JSON_TRUE;
	}
	get_fig(rec, "coverage_slots", &meta.slots);
	get_fig(rec, "coverage_complete_slots", &meta.complete);
	get_fig(rec, "inferred_hours", &meta.inferred);
	get_fig(rec, "unknown_hours", &meta.unknown);
	read_outages(rec);
}

static void
read_input(void)
{
	const struct json_value *rec;
	enum rec_status st;
	const char *type;

	while ((st = rec_next(in, &rec)) == REC_OK) {
		if ((type = rec_type(rec)) == NULL)
			moc_die(EXIT_DATA, "%s: no string in field \"type\"",
			    rec_where(in));
		if (strcmp(type, "usage_meta") == 0)
			read_meta(rec);
		else if (strcmp(type, "usage") == 0)
			read_usage(rec);
		else if (strcmp(type, "usage_total") == 0)
			read_total(rec);
		else if (strcmp(type, "invoice_line") == 0)
			read_invoice(rec);
		else if (strcmp(type, "finding") == 0)
			read_finding(rec);
		else if (strcmp(type, "project_institution") == 0)
			read_project_institution(rec);
		else if (strcmp(type, "institution") == 0)
			read_institution(rec);
		else if (strcmp(type, "check_summary") == 0) {
			summary.seen = 1;
			summary.verdict = get_str(rec, "verdict");
			summary.checks = count_or_str(rec, "checks");
			summary.failed = count_or_str(rec, "failed");
		}
	}
	if (st != REC_EOF)
		moc_die(EXIT_DATA, "%s: %s", rec_where(in), rec_error(in));
}

/* ------------------------------------------------------------- numbers */

/* "-1234567.50" -> "-1,234,567.50" */
static char *
group(const char *text)
{
	size_t n = strlen(text);
	char *out = moc_xmalloc(n + n / 3 + 2);

	dec_group(text, out);
	return out;
}

static char *
fmt_dec(dec_wide v, int places)
{
	char buf[DECW_BUFSIZE];

	decw_format(v, places, 1, buf);
	return moc_xstrdup(buf);
}

static char *
fig_cell(const struct fig *f)
{
	return f->present ? group(f->text) : moc_xstrdup("");
}

struct sum {
	dec_wide	 v;
	int	 places, present;
};

static void
sum_add(struct sum *s, const struct fig *f)
{
	if (!f->present)
		return;
	s->v += f->v;
	if (f->places > s->places)
		s->places = f->places;
	s->present = 1;
}

/* ------------------------------------------------------------- drawing */

static jmp_buf hpdf_jmp;
static HPDF_STATUS hpdf_err, hpdf_detail;

static void
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
	(void)data;
	hpdf_err = error_no;
	hpdf_detail = detail_no;
	longjmp(hpdf_jmp, 1);
}

struct doc {
	HPDF_Doc	 pdf;
	HPDF_Font	 reg, bold;
	HPDF_Page	 page;
	HPDF_Page	*pages;
	size_t		 npages, pages_cap;
	double		 y;
	const char	*institution;	/* split mode: whose report */
	const char	*inst_name;
};

static const char *font_path = TTF_FONT;
static const char *bold_font_path = TTF_FONT_BOLD;
static int64_t epoch = -1;	/* SOURCE_DATE_EPOCH */

static double
text_w(HPDF_Font font, double size, const char *s, size_t len)
{
	HPDF_TextWidth tw;

	if (len == 0)
		return 0;
	tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
	return tw.width * size / 1000.0;
}

static void
text_at(struct doc *d, HPDF_Font font, double size, double x, double y,
    const char *s)
{
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, font, (HPDF_REAL)size);
	HPDF_Page_TextOut(d->page, (HPDF_REAL)x, (HPDF_REAL)y, s);
	HPDF_Page_EndText(d->page);
}

static void
grey(struct doc *d, double g)
{
	HPDF_Page_SetRGBFill(d->page, (HPDF_REAL)g, (HPDF_REAL)g,
	    (HPDF_REAL)g);
}

static int	wrap(HPDF_Font, double, const char *, double, int, char **);

static void
running_head(struct doc *d)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s usage report%s%s, %s to %s%s%s",
	    meta.cloud ? meta.cloud : "Cloud",
	    d->inst_name ? " for " : "", d->inst_name ? d->inst_name : "",
	    meta.since ? meta.since : "?", meta.until ? meta.until : "?",
	    meta.tz ? " " : "", meta.tz ? meta.tz : "");
	grey(d, 0.4);
	{
		char *l[1];

		/* one line, shortened visibly when the names are long */
		wrap(d->reg, 7, buf, PAGE_W - 2 * MARGIN, 1, l);
		text_at(d, d->reg, 7, MARGIN, PAGE_H - 24, l[0]);
		free(l[0]);
	}
	HPDF_Page_SetRGBStroke(d->page, 0.7f, 0.7f, 0.7f);
	HPDF_Page_SetLineWidth(d->page, 0.5f);
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)MARGIN, (HPDF_REAL)(PAGE_H - 29));
	HPDF_Page_LineTo(d->page, (HPDF_REAL)(PAGE_W - MARGIN),
	    (HPDF_REAL)(PAGE_H - 29));
	HPDF_Page_Stroke(d->page);
	grey(d, 0);
}

static void
new_page(struct doc *d)
{
	d->page = HPDF_AddPage(d->pdf);
	HPDF_Page_SetWidth(d->page, (HPDF_REAL)PAGE_W);
	HPDF_Page_SetHeight(d->page, (HPDF_REAL)PAGE_H);
	GROW(d->pages, d->npages, d->pages_cap);
	d->pages[d->npages++] = d->page;
	running_head(d);
	d->y = TOP;
}

/* Sections start at the top of a page, but never leave one blank. */
static void
fresh_page(struct doc *d)
{
	if (d->y < TOP)
		new_page(d);
}

static void
need_space(struct doc *d, double h)
{
	if (d->y - h < BOTTOM)
		new_page(d);
}

/*
 * Bytes of s that fit in width: at a space when one fits, else at a
 * character.  Never 0 for a non-empty s, so wrapping always advances.
 */
static size_t
fit(HPDF_Font font, double size, const char *s, size_t len, double width,
    int at_space)
{
	HPDF_REAL real;
	size_t n;

	if (text_w(font, size, s, len) <= width + 0.01)
		return len;
	n = 0;
	if (at_space)
		n = HPDF_Font_MeasureText(font, (const HPDF_BYTE *)s,
		    (HPDF_UINT)len, (HPDF_REAL)width, (HPDF_REAL)size, 0, 0,
		    HPDF_TRUE, &real);
	if (n == 0)
		n = HPDF_Font_MeasureText(font, (const HPDF_BYTE *)s,
		    (HPDF_UINT)len, (HPDF_REAL)width, (HPDF_REAL)size, 0, 0,
		    HPDF_FALSE, &real);
	if (n > len)
		n = len;
	/* never cut a UTF-8 sequence in two */
	while (n > 0 && n < len && (s[n] & 0xC0) == 0x80)
		n--;
	if (n == 0) {	/* not even one character: take one anyway */
		n = 1;
		while (n < len && (s[n] & 0xC0) == 0x80)
			n++;
	}
	return n;
}

#define ELLIPSIS "\xe2\x80\xa6"

/*
 * Break s into at most maxl lines of the width; a text that needs more
 * ends in an ellipsis, so a shortened name is visibly shortened.  Lines
 * are returned as allocated strings.
 */
static int
wrap(HPDF_Font font, double size, const char *s, double width, int maxl,
    char **line)
{
	size_t len = strlen(s), n;
	int k = 0;

	while (len > 0 && k < maxl) {
		n = fit(font, size, s, len, width, 1);
		if (k == maxl - 1 && n < len) {
			double ew = text_w(font, size, ELLIPSIS, 3);

			n = fit(font, size, s, len, width - ew, 0);
			line[k] = moc_xmalloc(n + 4);
			memcpy(line[k], s, n);
			memcpy(line[k] + n, ELLIPSIS, 4);
			return k + 1;
		}
		line[k++] = moc_xstrndup(s, n);
		s += n;
		len -= n;
		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
	}
	if (k == 0)
		line[k++] = moc_xstrdup("");
	return k;
}

/* A paragraph of body text, wrapped to the text width. */
static void
para(struct doc *d, HPDF_Font font, double size, double indent,
    const char *s)
{
	const char *p = s;
	size_t len = strlen(s), n;
	double w = PAGE_W - 2 * MARGIN - indent, lh = size * 1.35;

	while (len > 0) {
		char *l;

		n = fit(font, size, p, len, w, 1);
		need_space(d, lh);
		l = moc_xstrndup(p, n);
		text_at(d, font, size, MARGIN + indent, d->y - size, l);
		free(l);
		d->y -= lh;
		p += n;
		len -= n;
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
	}
	d->y -= size * 0.4;
}

static void
heading(struct doc *d, const char *s, double room)
{
	need_space(d, 30 + room);
	if (d->y < TOP)
		d->y -= 8;
	text_at(d, d->bold, 14, MARGIN, d->y - 14, s);
	d->y -= 24;
}

/* -------------------------------------------------------------- tables */

enum { LEFT, RIGHT };

struct tcol {
	const char	*head;
	int		 align;
	double		 want;	/* left columns: wished width; 0 = the flexible one */
	double		 w;
};

struct trow {
	char	**cell;
	int	  bold, shade;
	double	  indent;
};

struct table {
	const char	*title;
	struct tcol	 col[24];
	int		 ncol;
	struct trow	*row;
	size_t		 nrow, cap;
};

static void
tcol_add(struct table *t, const char *head, int align, double want)
{
	t->col[t->ncol].head = head;
	t->col[t->ncol].align = align;
	t->col[t->ncol].want = want;
	t->ncol++;
}

struct coldef {
	const char	*head;
	int		 align;
	double		 want;
};

static void
tcols_add(struct table *t, const struct coldef *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tcol_add(t, c[i].head, c[i].align, c[i].want);
}

#define TCOLS(t, defs) tcols_add((t), (defs), sizeof(defs) / sizeof(defs[0]))

/* Adds a row; cells are taken over (allocated strings). */
static struct trow *
trow_add(struct table *t, char **cells)
{
	struct trow *r;

	GROW(t->row, t->nrow, t->cap);
	r = &t->row[t->nrow++];
	memset(r, 0, sizeof(*r));
	r->cell = moc_xmalloc((size_t)t->ncol * sizeof(char *));
	memcpy(r->cell, cells, (size_t)t->ncol * sizeof(char *));
	return r;
}

static void
table_free(struct table *t)
{
	size_t i;
	int c;

	for (i = 0; i < t->nrow; i++) {
		for (c = 0; c < t->ncol; c++)
			free(t->row[i].cell[c]);
		free(t->row[i].cell);
	}
	free(t->row);
	t->row = NULL;
	t->nrow = t->cap = 0;
}

/*
 * Column widths: figures get what their widest cell needs; left columns
 * what they asked for; the flexible column the rest.  When the figures do
 * not leave the flexible column room enough, the whole table is set in a
 * smaller size, so nothing ever runs over the edge.
 */
static double
table_layout(struct doc *d, struct table *t)
{
	double avail = PAGE_W - 2 * MARGIN, fixed, size = TABLE_SIZE;
	double need[24], minflex = 150;
	int c, flex = -1;
	size_t i;

	for (c = 0; c < t->ncol; c++) {
		need[c] = 0;
		if (t->col[c].align == RIGHT) {
			const char *h = t->col[c].head, *sp;
			double hw = 0;

			/* header words wrap, so the longest word counts */
			while (*h != '\0') {
				sp = strchr(h, ' ');
				size_t n = sp ? (size_t)(sp - h) : strlen(h);
				double ww = text_w(d->bold, 1, h, n);

				if (ww > hw)
					hw = ww;
				h += n;
				while (*h == ' ')
					h++;
			}
			need[c] = hw;
			for (i = 0; i < t->nrow; i++) {
				double w = text_w(t->row[i].bold ? d->bold :
				    d->reg, 1, t->row[i].cell[c],
				    strlen(t->row[i].cell[c]));
				if (w > need[c])
					need[c] = w;
			}
		} else if (t->col[c].want == 0)
			flex = c;
	}
	for (;;) {
		fixed = 0;
		for (c = 0; c < t->ncol; c++) {
			if (t->col[c].align == RIGHT)
				t->col[c].w = need[c] * size + 2 * CELL_PAD +
				    0.5;
			else if (c != flex)
				t->col[c].w = t->col[c].want * size / TABLE_SIZE;
			if (c != flex)
				fixed += t->col[c].w;
		}
		if (avail - fixed >= minflex * size / TABLE_SIZE ||
		    size <= MIN_TABLE_SIZE)
			break;
		size -= 0.25;
	}
	if (flex >= 0)
		t->col[flex].w = avail - fixed > 40 ? avail - fixed : 40;
	return size;
}

static double
header_height(struct doc *d, struct table *t, double size, char *lines[][3],
    int *nl)
{
	int c, max = 1;

	for (c = 0; c < t->ncol; c++) {
		nl[c] = wrap(d->bold, size, t->col[c].head,
		    t->col[c].w - 2 * CELL_PAD, 3, lines[c]);
		if (nl[c] > max)
			max = nl[c];
	}
	return max * size * 1.2 + 2 * CELL_PAD;
}

static void
draw_header(struct doc *d, struct table *t, double size, double hh,
    char *lines[][3], int *nl)
{
	double x = MARGIN;
	int c, k;

	HPDF_Page_SetRGBFill(d->page, 0.16f, 0.29f, 0.48f);
	HPDF_Page_Rectangle(d->page, (HPDF_REAL)MARGIN, (HPDF_REAL)(d->y - hh),
	    (HPDF_REAL)(PAGE_W - 2 * MARGIN), (HPDF_REAL)hh);
	HPDF_Page_Fill(d->page);
	grey(d, 1);
	for (c = 0; c < t->ncol; c++) {
		for (k = 0; k < nl[c]; k++) {
			double tx = x + CELL_PAD;

			if (t->col[c].align == RIGHT)
				tx = x + t->col[c].w - CELL_PAD -
				    text_w(d->bold, size, lines[c][k],
				    strlen(lines[c][k]));
			text_at(d, d->bold, size, tx,
			    d->y - CELL_PAD - size * (1.2 * k + 0.95),
			    lines[c][k]);
		}
		x += t->col[c].w;
	}
	grey(d, 0);
	d->y -= hh;
}

static void
table_start_page(struct doc *d, struct table *t, double size, double hh,
    char *hl[][3], int *nl, int cont)
{
	if (cont) {
		char buf[300];

		snprintf(buf, sizeof(buf), "%s (continued)", t->title);
		text_at(d, d->bold, 10, MARGIN, d->y - 10, buf);
		d->y -= 16;
	}
	draw_header(d, t, size, hh, hl, nl);
}

static void
draw_row(struct doc *d, struct table *t, struct trow *r, double size,
    char *lines[][MAX_LINES], int *nl, double rh)
{
	HPDF_Font font = r->bold ? d->bold : d->reg;
	double x = MARGIN;
	int c, k;

	if (r->shade) {
		HPDF_Page_SetRGBFill(d->page, 0.92f, 0.94f, 0.97f);
		HPDF_Page_Rectangle(d->page, (HPDF_REAL)MARGIN,
		    (HPDF_REAL)(d->y - rh), (HPDF_REAL)(PAGE_W - 2 * MARGIN),
		    (HPDF_REAL)rh);
		HPDF_Page_Fill(d->page);
		grey(d, 0);
	}
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, font, (HPDF_REAL)size);
	for (c = 0; c < t->ncol; c++) {
		for (k = 0; k < nl[c]; k++) {
			double tx = x + CELL_PAD;

			if (t->col[c].align == RIGHT)
				tx = x + t->col[c].w - CELL_PAD -
				    text_w(font, size, lines[c][k],
				    strlen(lines[c][k]));
			else if (c == 0)
				tx += r->indent;
			HPDF_Page_TextOut(d->page, (HPDF_REAL)tx,
			    (HPDF_REAL)(d->y - CELL_PAD - size *
			    (1.2 * k + 0.95)), lines[c][k]);
		}
		x += t->col[c].w;
	}
	HPDF_Page_EndText(d->page);
	HPDF_Page_SetRGBStroke(d->page, 0.85f, 0.85f, 0.85f);
	HPDF_Page_SetLineWidth(d->page, 0.3f);
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)MARGIN, (HPDF_REAL)(d->y - rh));
	HPDF_Page_LineTo(d->page, (HPDF_REAL)(PAGE_W - MARGIN),
	    (HPDF_REAL)(d->y - rh));
	HPDF_Page_Stroke(d->page);
	d->y -= rh;
}

/* Draws the table from the current position, page after page. */
static void
table_draw(struct doc *d, struct table *t)
{
	char *hl[24][3], *lines[24][MAX_LINES];
	int hn[24], nl[24], c, k;
	double size, hh;
	size_t i;

	size = table_layout(d, t);
	hh = header_height(d, t, size, hl, hn);
	heading(d, t->title, hh + 3 * size * 1.2);
	draw_header(d, t, size, hh, hl, hn);
	for (i = 0; i < t->nrow; i++) {
		struct trow *r = &t->row[i];
		int max = 1;
		double rh;

		for (c = 0; c < t->ncol; c++) {
			if (t->col[c].align == RIGHT) {
				lines[c][0] = moc_xstrdup(r->cell[c]);
				nl[c] = 1;
			} else {
				nl[c] = wrap(r->bold ? d->bold : d->reg, size,
				    r->cell[c], t->col[c].w - 2 * CELL_PAD -
				    (c == 0 ? r->indent : 0), MAX_LINES,
				    lines[c]);
			}
			if (nl[c] > max)
				max = nl[c];
		}
		rh = max * size * 1.2 + 2 * CELL_PAD;
		if (d->y - rh < BOTTOM) {
			new_page(d);
			table_start_page(d, t, size, hh, hl, hn, 1);
		}
		draw_row(d, t, r, size, lines, nl, rh);
		for (c = 0; c < t->ncol; c++)
			for (k = 0; k < nl[c]; k++)
				free(lines[c][k]);
	}
	for (c = 0; c < t->ncol; c++)
		for (k = 0; k < hn[c]; k++)
			free(hl[c][k]);
	d->y -= 12;
	table_free(t);
}

/* ------------------------------------------------------------ sections */

/* Which figure columns have a value in at least one row. */
static void
present_figs(enum axis axis, int *has, const char *inst)
{
	size_t i;
	int f;

	memset(has, 0, NFIG * sizeof(int));
	for (i = 0; i < nuse; i++)
		if (use[i].axis == axis &&
		    (inst == NULL || use[i].inst_id == NULL ||
		    strcmp(use[i].inst_id, inst) == 0))
			for (f = 0; f < NFIG; f++)
				if (use[i].f[f].present)
					has[f] = 1;
}

static void
fig_cols(struct table *t, const int *has)
{
	int f;

	for (f = 0; f < NFIG; f++)
		if (has[f])
			tcol_add(t, figdef[f].head, RIGHT, 0);
}

static int
fig_cells(char **cell, int n, const int *has, const struct fig *fg)
{
	int f;

	for (f = 0; f < NFIG; f++)
		if (has[f])
			cell[n++] = fig_cell(&fg[f]);
	return n;
}

/* A "Total" row of sums; rates are not summed. */
static void
total_row(struct table *t, int lead, const int *has, struct sum *s,
    const char *label)
{
	char *cell[24];
	int n = 0, f;

	cell[n++] = moc_xstrdup(label);
	while (n < lead)
		cell[n++] = moc_xstrdup("");
	for (f = 0; f < NFIG; f++)
		if (has[f])
			cell[n++] = f == F_RATE || !s[f].present ?
			    moc_xstrdup("") : fmt_dec(s[f].v, s[f].places);
	trow_add(t, cell)->bold = 1;
}

static const char *
usage_inst(const struct usage *u)
{
	if (u->inst_name != NULL)
		return u->inst_name;
	return u->inst_id != NULL ? u->inst_id : "";
}

/* Institution of an institution-axis record that gives a project share. */
static int
is_portion(const struct usage *u)
{
	return u->axis == AX_INSTITUTION && u->project_id != NULL;
}

static int
cmp_tree(const void *a, const void *b)
{
	const struct usage *x = *(struct usage *const *)a;
	const struct usage *y = *(struct usage *const *)b;
	int c = strcmp(x->key, y->key);

	if (c == 0)
		c = strcmp(x->id, y->id);
	if (c == 0)
		c = strcmp(x->su_type, y->su_type);
	if (c == 0)
		c = y->own - x->own;
	return c;
}

static int
cmp_name(const void *a, const void *b)
{
	const struct usage *x = *(struct usage *const *)a;
	const struct usage *y = *(struct usage *const *)b;
	int c = strcmp(x->name, y->name);

	if (c == 0)
		c = strcmp(x->id, y->id);
	if (c == 0)
		c = strcmp(x->su_type, y->su_type);
	return c;
}

/* The records of one axis, sorted. */
static struct usage **
select_axis(enum axis axis, size_t *n, int (*cmp)(const void *,
    const void *))
{
	struct usage **v = moc_xmalloc((nuse + 1) * sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < nuse; i++)
		if (use[i].axis == axis && !is_portion(&use[i]))
			v[(*n)++] = &use[i];
	qsort(v, *n, sizeof(*v), cmp);
	return v;
}

/* ------------------------------------------------- funding (split mode) */

/*
 * Who funds which project, indexed once: a report for 50 institutions of
 * 5,000 projects must not scan every record for every row.
 */
struct fund {
	const char	*project, *inst, *from;
	dec_wide	 share;
	const struct usage *part;	/* usage-aggregate's portion row */
};

struct pnode {
	const char	*id, *parent, *path, *key;
};

static struct fund	*fund;
static size_t		 nfund;
static struct pnode	*pnode;
static size_t		 npnode;

static int
cmp_fund(const void *a, const void *b)
{
	const struct fund *x = a, *y = b;
	int c = strcmp(x->project, y->project);

	if (c == 0)
		c = strcmp(x->inst, y->inst);
	return c != 0 ? c : strcmp(x->from, y->from);
}

static int
cmp_pnode(const void *a, const void *b)
{
	return strcmp(((const struct pnode *)a)->id,
	    ((const struct pnode *)b)->id);
}

static void
index_funding(void)
{
	size_t i;

	if (fund != NULL || pnode != NULL)
		return;
	fund = moc_xmalloc((nuse + npin + 1) * sizeof(*fund));
	pnode = moc_xmalloc((nuse + 1) * sizeof(*pnode));
	for (i = 0; i < nuse; i++) {
		struct usage *u = &use[i];
		const char *project = NULL, *inst = NULL;

		if (is_portion(u)) {
			project = u->project_id;
			inst = u->id;
		} else if (u->axis == AX_PROJECT) {
			pnode[npnode].id = u->id;
			pnode[npnode].parent = u->parent_id;
			pnode[npnode].key = u->key;
			pnode[npnode++].path = u->path;
			project = u->id;
			inst = u->inst_id;
		}
		if (inst == NULL)
			continue;
		fund[nfund].project = project;
		fund[nfund].inst = inst;
		fund[nfund].part = is_portion(u) ? u : NULL;
		fund[nfund].from = "";
		fund[nfund++].share = u->share.present ? u->share.v : DECW_ONE;
	}
	/*
	 * Shares in force during the period (RFC 3339 UTC times compare as
	 * text); of several for one project and institution the latest
	 * counts, as share_of takes the last of a sorted run.
	 */
	for (i = 0; i < npin; i++) {
		struct pshare *p = &pin[i];

		if ((p->to != NULL && meta.since != NULL &&
		    strcmp(p->to, meta.since) <= 0) || (p->from != NULL &&
		    meta.until != NULL && strcmp(p->from, meta.until) >= 0))
			continue;
		fund[nfund].project = p->project;
		fund[nfund].inst = p->inst;
		fund[nfund].part = NULL;
		fund[nfund].from = p->from != NULL ? p->from : "";
		fund[nfund++].share = p->share.v;
	}
	qsort(fund, nfund, sizeof(*fund), cmp_fund);
	qsort(pnode, npnode, sizeof(*pnode), cmp_pnode);
}

/* The first funding entry of a project, or NULL. */
static const struct fund *
fund_first(const char *project)
{
	size_t lo = 0, hi = nfund;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(fund[mid].project, project) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nfund && strcmp(fund[lo].project, project) == 0 ?
	    &fund[lo] : NULL;
}

/* How many institutions fund a project directly. */
static size_t
funders(const char *project)
{
	const struct fund *first = fund_first(project), *f = first;
	size_t n = 0;

	for (; f != NULL && f < fund + nfund &&
	    strcmp(f->project, project) == 0; f++)
		if (f == first || strcmp(f->inst, f[-1].inst) != 0)
			n++;
	return n;
}

static const struct pnode *
project_node(const char *id)
{
	struct pnode key = { .id = id };

	return bsearch(&key, pnode, npnode, sizeof(*pnode), cmp_pnode);
}

/*
 * The share (millionths) institution inst holds in a project, or -1.  A
 * project with no shares of its own takes its nearest ancestor's.
 */
static dec_wide
share_of(const char *inst, const char *project)
{
	int depth;

	for (depth = 0; project != NULL && depth < 64; depth++) {
		const struct fund *f = fund_first(project), *end = fund + nfund;
		const struct pnode *p;

		if (f != NULL) {
			dec_wide share = -1;

			for (; f < end && strcmp(f->project, project) == 0; f++)
				if (strcmp(f->inst, inst) == 0)
					share = f->share;
			return share;
		}
		p = project_node(project);
		project = p != NULL ? p->parent : NULL;
	}
	return -1;
}

/*
 * usage-aggregate's part of a project for an institution and SU type:
 * its figures are the ones invoiced, remainders handed out within the
 * project, so they are shown as given rather than worked out again.
 */
static const struct usage *
portion_of(const char *project, const char *inst, const char *su_type)
{
	const struct fund *f = fund_first(project), *end = fund + nfund;

	for (; f != NULL && f < end && strcmp(f->project, project) == 0; f++)
		if (f->part != NULL && strcmp(f->inst, inst) == 0 &&
		    strcmp(f->part->su_type, su_type) == 0)
			return f->part;
	return NULL;
}

/* Whether the summaries give institutions' parts of projects: then the
 * shares shown are usage-aggregate's, not worked out here. */
static int
have_portions(void)
{
	size_t i;

	for (i = 0; i < nuse; i++)
		if (is_portion(&use[i]))
			return 1;
	return 0;
}

/* ------------------------------------------------------------- content */

static char *
xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = moc_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static const char *
verdict(void)
{
	if (meta.consistency != NULL)
		return meta.consistency;
	if (summary.seen && summary.verdict != NULL)
		return summary.verdict;
	return NULL;
}

/* A labelled line of the cover; an alarming value is set in red. */
static void
cover_line_as(struct doc *d, const char *label, const char *value,
    int alarm)
{
	char *l[MAX_LINES];
	int n, k;

	need_space(d, 18);
	grey(d, 0.35);
	text_at(d, d->reg, 10, MARGIN, d->y - 10, label);
	if (alarm)
		HPDF_Page_SetRGBFill(d->page, 0.75f, 0.05f, 0.05f);
	else
		grey(d, 0);
	n = wrap(alarm ? d->bold : d->reg, 11, value,
	    PAGE_W - 2 * MARGIN - 170, MAX_LINES, l);
	for (k = 0; k < n; k++) {
		text_at(d, alarm ? d->bold : d->reg, 11, MARGIN + 170,
		    d->y - 10, l[k]);
		free(l[k]);
		d->y -= 15;
	}
	grey(d, 0);
	d->y -= 3;
}

static void
cover_line(struct doc *d, const char *label, const char *value)
{
	cover_line_as(d, label, value, 0);
}

static char *
coverage_text(void)
{
	int64_t slots, done, pct;

	if (!meta.slots.present || !meta.complete.present)
		return moc_xstrdup("not given in the input");
	slots = (int64_t)(meta.slots.v / DECW_ONE);
	done = (int64_t)(meta.complete.v / DECW_ONE);
	if (slots <= 0)
		return moc_xstrdup("no 15-minute slots in the period");
	/* percent with two places, rounded half-up, in integers */
	pct = (done * 100000 / slots + 5) / 10;
	{
		char *a = group(meta.complete.text), *b = group(meta.slots.text);
		char *s = xasprintf("%lld.%02lld %% of 15-minute slots had a "
		    "complete collection (%s of %s)", (long long)(pct / 100),
		    (long long)(pct % 100), a, b);
		free(a);
		free(b);
		return s;
	}
}

static int
has_usage(const char *inst)
{
	size_t i;

	for (i = 0; i < nuse; i++)
		if (inst == NULL || (use[i].axis == AX_USER &&
		    use[i].inst_id != NULL &&
		    strcmp(use[i].inst_id, inst) == 0) ||
		    (use[i].axis == AX_INSTITUTION &&
		    strcmp(use[i].id, inst) == 0))
			return 1;
	return 0;
}

static void
render_time(char *buf, size_t n)
{
	time_t t = epoch >= 0 ? (time_t)epoch : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The facts a reader checks first: period, freshness, gaps, trust. */
static void
cover_facts(struct doc *d)
{
	char *s, when[32];
	const char *v;

	s = xasprintf("%s to %s (end excluded), time zone %s",
	    meta.since ? meta.since : "unknown",
	    meta.until ? meta.until : "unknown", meta.tz ? meta.tz : "UTC");
	cover_line(d, "Period", s);
	free(s);
	cover_line(d, "Summaries generated",
	    meta.generated_at ? meta.generated_at : "unknown");
	render_time(when, sizeof(when));
	cover_line(d, "Report rendered", when);
	s = coverage_text();
	cover_line(d, "Data coverage", s);
	free(s);
	if (meta.inferred.present && meta.unknown.present) {
		char *a = group(meta.inferred.text), *b = group(meta.unknown.text);

		s = xasprintf("%s hours inferred, %s hours unknown", a, b);
		free(a);
		free(b);
	} else
		s = moc_xstrdup("inferred and unknown hours not given in the "
		    "input");
	cover_line(d, "Gaps", s);
	free(s);
	v = verdict();
	if (v != NULL) {
		if (summary.seen && summary.checks && summary.failed)
			s = xasprintf("%s (%s checks, %s failed)", v,
			    summary.checks, summary.failed);
		else
			s = moc_xstrdup(v);
		/* a failed check must not pass unnoticed on the cover */
		cover_line_as(d, "Consistency check", s, strcmp(v, "pass"));
		free(s);
	} else
		cover_line(d, "Consistency check", "not run for this input");
	s = xasprintf("%s%s%s%s", meta.rates_file ? meta.rates_file : "none",
	    meta.rates_sha256 ? " (SHA-256 " : "",
	    meta.rates_sha256 ? meta.rates_sha256 : "",
	    meta.rates_sha256 ? ")" : "");
	cover_line(d, "Rates file", s);
	free(s);
}

/* The bottom line, by SU type, as the aggregate reported it. */
static void
cover_totals(struct doc *d)
{
	enum axis ax;
	size_t i;
	char *a, *b, *s;

	for (i = 0; i < ntot; i++)
		if (tot[i].axis == AX_PROJECT)
			break;
	ax = i < ntot ? AX_PROJECT : ntot > 0 ? tot[0].axis : AX_PROJECT;
	for (i = 0; i < ntot; i++) {
		if (tot[i].axis != ax)
			continue;
		a = fig_cell(&tot[i].su);
		b = fig_cell(&tot[i].cost);
		s = xasprintf("%s SU hours%s%s", a, b[0] ? ", cost " : "", b);
		cover_line(d, tot[i].su_type[0] ? tot[i].su_type : "Total", s);
		free(a);
		free(b);
		free(s);
	}
}

static void
cover(struct doc *d)
{
	char *s;

	new_page(d);
	d->y -= 40;
	text_at(d, d->bold, 26, MARGIN, d->y - 26,
	    d->inst_name ? "Usage report for an institution" : "Usage report");
	d->y -= 40;
	s = xasprintf("%s%s%s", meta.cloud ? meta.cloud : "Cloud",
	    d->inst_name ? ": " : "", d->inst_name ? d->inst_name : "");
	para(d, d->reg, 18, 0, s);
	free(s);
	d->y -= 20;
	if (!meta.seen && nuse == 0) {
		para(d, d->bold, 12, 0, "The input held no usage summary: "
		    "there is nothing to report.");
		d->y -= 6;
	} else if (!meta.seen) {
		para(d, d->bold, 12, 0, "The input has no usage_meta record: "
		    "the period, coverage and rates are not known.");
		d->y -= 6;
	}
	cover_facts(d);
	d->y -= 10;
	if ((meta.seen || nuse > 0) && !has_usage(d->institution))
		para(d, d->bold, 12, 0, "No usage was recorded in this period.");
	else if (d->institution == NULL)
		cover_totals(d);
}

/* Horizontal bars, one per institution, of cost (or SU-hours). */
static void
bar_chart(struct doc *d, struct usage **v, size_t n)
{
	const char **name = moc_xmalloc((n + 1) * sizeof(*name));
	dec_wide *val = moc_xcalloc(n + 1, sizeof(*val));
	size_t i, k = 0;
	int by_cost = 0, places = 0;
	dec_wide max = 0;
	double labw = 200, barw = PAGE_W - 2 * MARGIN - labw - 90;

	for (i = 0; i < n; i++)
		if (v[i]->f[F_COST].present)
			by_cost = 1;
	for (i = 0; i < n; i++) {
		const struct fig *f = &v[i]->f[by_cost ? F_COST : F_SU];

		if (k == 0 || strcmp(name[k - 1], v[i]->name) != 0)
			name[k++] = v[i]->name;
		if (f->present) {
			val[k - 1] += f->v;
			if (f->places > places)
				places = f->places;
		}
	}
	for (i = 0; i < k; i++)
		if (val[i] > max)
			max = val[i];
	heading(d, by_cost ? "Cost by institution" :
	    "SU hours by institution", 3 * 16);
	for (i = 0; i < k; i++) {
		char *l[1], *num;
		double len = max > 0 && val[i] > 0 ?
		    barw * (double)val[i] / (double)max : 0;

		need_space(d, 16);
		wrap(d->reg, 8, name[i], labw - 8, 1, l);
		text_at(d, d->reg, 8, MARGIN + labw - 6 -
		    text_w(d->reg, 8, l[0], strlen(l[0])), d->y - 10, l[0]);
		free(l[0]);
		HPDF_Page_SetRGBFill(d->page, 0.16f, 0.45f, 0.70f);
		HPDF_Page_Rectangle(d->page, (HPDF_REAL)(MARGIN + labw),
		    (HPDF_REAL)(d->y - 13), (HPDF_REAL)(len > 0.5 ? len : 0.5),
		    11);
		HPDF_Page_Fill(d->page);
		grey(d, 0);
		num = fmt_dec(val[i], places);
		text_at(d, d->reg, 8, MARGIN + labw + len + 5, d->y - 10, num);
		free(num);
		d->y -= 16;
	}
	HPDF_Page_SetRGBStroke(d->page, 0.3f, 0.3f, 0.3f);
	HPDF_Page_SetLineWidth(d->page, 0.6f);
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)(MARGIN + labw),
	    (HPDF_REAL)(d->y + 16.0 * (double)(k < 30 ? k : 1)));
	HPDF_Page_LineTo(d->page, (HPDF_REAL)(MARGIN + labw),
	    (HPDF_REAL)(d->y));
	HPDF_Page_Stroke(d->page);
	d->y -= 14;
	free(name);
	free(val);
}

static void
institutions(struct doc *d)
{
	struct table t = { .title = "Usage by institution" };
	struct usage **v;
	struct sum s[NFIG] = {{0}};
	size_t n, i, k = 0;
	int has[NFIG], f;
	char *cell[24];

	v = select_axis(AX_INSTITUTION, &n, cmp_name);
	for (i = 0; i < n; i++)
		if (d->institution == NULL ||
		    strcmp(v[i]->id, d->institution) == 0)
			v[k++] = v[i];
	n = k;
	if (n == 0) {
		free(v);
		return;
	}
	present_figs(AX_INSTITUTION, has, d->institution);
	tcol_add(&t, "Institution", LEFT, 0);
	tcol_add(&t, "SU type", LEFT, 95);
	fig_cols(&t, has);
	for (i = 0; i < n; i++) {
		int c = 0;

		cell[c++] = moc_xstrdup(v[i]->name);
		cell[c++] = moc_xstrdup(v[i]->su_type);
		fig_cells(cell, c, has, v[i]->f);
		trow_add(&t, cell)->shade = i % 2;
		for (f = 0; f < NFIG; f++)
			sum_add(&s[f], &v[i]->f[f]);
	}
	total_row(&t, 2, has, s, "Total");
	table_draw(d, &t);
	if (d->institution == NULL)
		bar_chart(d, v, n);
	free(v);
}

/* The name of an institution, from whatever record gives one. */
static const char *
institution_name(const char *id)
{
	size_t i;

	for (i = 0; i < ninsts; i++)
		if (strcmp(insts[i].id, id) == 0 && insts[i].name != NULL)
			return insts[i].name;
	for (i = 0; i < nuse; i++)
		if (use[i].axis == AX_INSTITUTION && strcmp(use[i].id, id) == 0)
			return use[i].name;
	for (i = 0; i < nuse; i++)
		if (use[i].inst_id != NULL && use[i].inst_name != NULL &&
		    strcmp(use[i].inst_id, id) == 0)
			return use[i].inst_name;
	return id;
}

struct jrow {
	const char	*path, *key, *inst, *su_type;
	char		*share, *su, *cost;
	int		 mine;
};

static int
cmp_jrow(const void *a, const void *b)
{
	const struct jrow *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c == 0)
		c = strcmp(x->su_type, y->su_type);
	return c != 0 ? c : strcmp(x->inst, y->inst);
}

/*
 * Portions as usage-aggregate wrote them: institution rows with a
 * project_id.
 */
static size_t
joint_given(struct doc *d, struct jrow *j)
{
	size_t i, n = 0;

	for (i = 0; i < nuse; i++) {
		struct usage *u = &use[i];
		const struct pnode *pn;

		if (!is_portion(u) || funders(u->project_id) < 2 ||
		    (d->institution != NULL &&
		    share_of(d->institution, u->project_id) < 0))
			continue;
		pn = project_node(u->project_id);
		j[n].path = strcmp(u->path, u->name) != 0 ? u->path :
		    pn != NULL ? pn->path : u->project_id;
		j[n].key = strcmp(u->path, u->name) != 0 ? u->key :
		    pn != NULL ? pn->key : u->project_id;
		j[n].inst = u->name;
		j[n].su_type = u->su_type;
		j[n].share = fig_cell(&u->share);
		j[n].su = fig_cell(&u->f[F_SU]);
		j[n].cost = fig_cell(&u->f[F_COST]);
		j[n++].mine = d->institution != NULL &&
		    strcmp(u->id, d->institution) == 0;
	}
	return n;
}

/*
 * An institution's part of a project as its invoice lines give it, added
 * over the months of the period: usage-aggregate hands out the rounding
 * remainders there, so the parts add up to the project to the cent.
 */
static int
invoiced_part(const char *project, const char *inst, const char *su_type,
    char **su, char **cost)
{
	struct sum s = { 0 }, c = { 0 };
	size_t i;

	for (i = 0; i < ninv; i++) {
		struct invoice *l = &inv[i];

		if (l->project_id == NULL || l->inst == NULL ||
		    l->su_type == NULL || strcmp(l->project_id, project) != 0 ||
		    strcmp(l->inst, inst) != 0 || strcmp(l->su_type, su_type) != 0)
			continue;
		sum_add(&s, &l->su);
		sum_add(&c, &l->cost);
	}
	if (!s.present && !c.present)
		return 0;
	*su = s.present ? fmt_dec(s.v, s.places) : moc_xstrdup("");
	*cost = c.present ? fmt_dec(c.v, c.places) : moc_xstrdup("");
	return 1;
}

/* A figure times a share, as a cell; blank when the figure is absent. */
static char *
shared_cell(const struct fig *f, dec_wide share, int places)
{
	if (!f->present)
		return moc_xstrdup("");
	return fmt_dec(decw_mul_round(f->v, share, places), places);
}

/*
 * Portions worked out here from the funding shares (project_institution
 * records or project rows' institution_id) and each project's own usage.
 */
static size_t
joint_derived(struct doc *d, struct jrow **jp, size_t *cap)
{
	size_t i, n = 0;
	struct jrow *j = *jp;
	const struct fund *f, *first;

	for (i = 0; i < nuse; i++) {
		struct usage *u = &use[i];

		if (u->axis != AX_PROJECT || !u->own || funders(u->id) < 2 ||
		    (d->institution != NULL &&
		    share_of(d->institution, u->id) < 0))
			continue;
		first = fund_first(u->id);
		for (f = first; f < fund + nfund &&
		    strcmp(f->project, u->id) == 0; f++) {
			int cp = u->f[F_COST].present ? u->f[F_COST].places : 2;

			/* the latest share of each institution only */
			if (f + 1 < fund + nfund &&
			    strcmp(f[1].project, u->id) == 0 &&
			    strcmp(f[1].inst, f->inst) == 0)
				continue;
			GROW(j, n, *cap);
			*jp = j;
			j[n].path = u->path;
			j[n].key = u->key;
			j[n].inst = institution_name(f->inst);
			j[n].su_type = u->su_type;
			j[n].share = fmt_dec(f->share, decw_places(f->share, 2));
			if (!invoiced_part(u->id, j[n].inst, u->su_type,
			    &j[n].su, &j[n].cost)) {
				j[n].su = shared_cell(&u->f[F_SU], f->share,
				    u->f[F_SU].places);
				j[n].cost = shared_cell(&u->f[F_COST], f->share,
				    cp);
			}
			j[n++].mine = d->institution != NULL &&
			    strcmp(f->inst, d->institution) == 0;
		}
	}
	return n;
}


/* Projects funded by several institutions and each institution's part. */
static void
joint_projects(struct doc *d)
{
	static const struct coldef cols[] = {
		{ "Project", LEFT, 0 },
		{ "Institution", LEFT, 150 },
		{ "SU type", LEFT, 95 },
		{ "Share", RIGHT, 0 },
		{ "SU hours", RIGHT, 0 },
		{ "Cost", RIGHT, 0 },
	};
	struct table t = { .title = "Jointly funded projects" };
	size_t cap = nuse + nfund + 1, n, i;
	struct jrow *j = moc_xmalloc(cap * sizeof(*j));
	char *cell[24];

	n = joint_given(d, j);
	if (n == 0)
		n = joint_derived(d, &j, &cap);
	if (n == 0) {
		free(j);
		return;
	}
	qsort(j, n, sizeof(*j), cmp_jrow);
	TCOLS(&t, cols);
	for (i = 0; i < n; i++) {
		cell[0] = moc_xstrdup(j[i].path);
		cell[1] = moc_xstrdup(j[i].inst);
		cell[2] = moc_xstrdup(j[i].su_type);
		cell[3] = j[i].share;
		cell[4] = j[i].su;
		cell[5] = j[i].cost;
		trow_add(&t, cell)->bold = j[i].mine;
	}
	table_draw(d, &t);
	free(j);
}

static int
has_children(struct usage **v, size_t n, size_t i)
{
	size_t j;

	for (j = i + 1; j < n; j++) {
		if (strcmp(v[j]->id, v[i]->id) == 0)
			continue;
		return v[j]->depth > v[i]->depth &&
		    strncmp(v[j]->key, v[i]->key, strlen(v[i]->key)) == 0;
	}
	return 0;
}

/*
 * The project rows of the report, in tree order, with the share each
 * holds for the institution of a split report (1 otherwise).
 */
static struct usage **
funded_projects(struct doc *d, size_t *np, dec_wide **sharep)
{
	struct usage **v;
	dec_wide *share;
	size_t n, i, k = 0;

	v = select_axis(AX_PROJECT, &n, cmp_tree);
	share = moc_xmalloc((n + 1) * sizeof(*share));
	for (i = 0; i < n; i++) {
		dec_wide sh = d->institution != NULL ?
		    share_of(d->institution, v[i]->id) : DECW_ONE;

		if (sh >= 0) {
			share[k] = sh;
			v[k++] = v[i];
		}
	}
	*np = k;
	*sharep = share;
	return v;
}

/* A split report's columns: the share and that share of SU-hours and cost. */
/* The institution's part of a project's own usage as usage-aggregate
 * gave it, when it did. */
static void
given_share_cells(char **cell, int c, const struct usage *p,
    struct sum *ps)
{
	cell[c++] = fig_cell(&p->share);
	cell[c++] = fig_cell(&p->f[F_SU]);
	cell[c++] = fig_cell(&p->f[F_COST]);
	sum_add(&ps[F_SU], &p->f[F_SU]);
	sum_add(&ps[F_COST], &p->f[F_COST]);
}

static void
share_cells(char **cell, int c, const struct usage *u, dec_wide share,
    const char *inst, struct sum *ps)
{
	int cp = u->f[F_COST].present ? u->f[F_COST].places : 2;
	int sp = u->f[F_SU].places;
	const struct usage *p;

	if (u->own && (p = portion_of(u->id, inst, u->su_type)) != NULL) {
		given_share_cells(cell, c, p, ps);
		return;
	}
	cell[c++] = fmt_dec(share, decw_places(share, 2));
	cell[c++] = shared_cell(&u->f[F_SU], share, sp);
	cell[c++] = shared_cell(&u->f[F_COST], share, cp);
	if (u->own) {
		ps[F_SU].v += decw_mul_round(u->f[F_SU].v, share, sp);
		if (sp > ps[F_SU].places)
			ps[F_SU].places = sp;
		ps[F_COST].v += decw_mul_round(u->f[F_COST].v, share, cp);
		ps[F_COST].places = cp;
		ps[F_SU].present = ps[F_COST].present = 1;
	}
}

static void
projects_total(struct table *t, const int *has, const struct sum *s,
    const struct sum *ps, int split)
{
	char *cell[24];
	int c = 0, f;

	cell[c++] = moc_xstrdup(split ? "Total of these projects' own usage" :
	    "Total (sum of own usage)");
	cell[c++] = moc_xstrdup("");
	cell[c++] = moc_xstrdup("");
	for (f = 0; f < NFIG; f++)
		if (has[f])
			cell[c++] = f == F_RATE || !s[f].present ?
			    moc_xstrdup("") : fmt_dec(s[f].v, s[f].places);
	if (split) {
		cell[c++] = moc_xstrdup("");
		cell[c++] = fmt_dec(ps[F_SU].v, ps[F_SU].places);
		cell[c++] = fmt_dec(ps[F_COST].v, ps[F_COST].places);
	}
	trow_add(t, cell)->bold = 1;
}

static void
projects(struct doc *d)
{
	static const struct coldef split_cols[] = {
		{ "Share", RIGHT, 0 },
		{ "Share of SU hours", RIGHT, 0 },
		{ "Share of cost", RIGHT, 0 },
	};
	struct table t = { .title = "Projects" };
	struct usage **v;
	struct sum s[NFIG] = {{0}}, ps[NFIG] = {{0}};
	size_t n, i;
	int has[NFIG], f, split = d->institution != NULL;
	dec_wide *share;
	char *cell[24];

	v = funded_projects(d, &n, &share);
	if (n == 0 && split) {
		heading(d, "Projects", 20);
		para(d, d->reg, BODY_SIZE, 0, "No project is funded by this "
		    "institution in the period.");
	}
	if (n == 0) {
		free(v);
		free(share);
		return;
	}
	fresh_page(d);
	present_figs(AX_PROJECT, has, NULL);
	tcol_add(&t, "Project (path)", LEFT, 0);
	tcol_add(&t, "SU type", LEFT, 95);
	tcol_add(&t, "Scope", LEFT, 40);
	fig_cols(&t, has);
	if (split)
		TCOLS(&t, split_cols);
	for (i = 0; i < n; i++) {
		struct usage *u = v[i];
		int c = 0;
		struct trow *r;

		cell[c++] = moc_xstrdup(u->path);
		cell[c++] = moc_xstrdup(u->su_type);
		cell[c++] = moc_xstrdup(u->own ? "own" : "subtree");
		c = fig_cells(cell, c, has, u->f);
		if (split)
			share_cells(cell, c, u, share[i], d->institution, ps);
		r = trow_add(&t, cell);
		r->indent = INDENT_STEP * (u->depth < 12 ? u->depth : 12);
		r->bold = !u->own && has_children(v, n, i);
		r->shade = u->depth == 0;
		if (u->own)
			for (f = 0; f < NFIG; f++)
				sum_add(&s[f], &u->f[f]);
	}
	projects_total(&t, has, s, ps, split);
	table_draw(d, &t);
	free(v);
	free(share);
}

static void
users(struct doc *d)
{
	struct table t = { .title = "Users" };
	struct usage **v;
	struct sum s[NFIG] = {{0}};
	size_t n, i, k = 0;
	int has[NFIG], f;
	char *cell[24];

	v = select_axis(AX_USER, &n, cmp_name);
	for (i = 0; i < n; i++)
		if (d->institution == NULL || (v[i]->inst_id != NULL &&
		    strcmp(v[i]->inst_id, d->institution) == 0))
			v[k++] = v[i];
	n = k;
	if (n == 0) {
		free(v);
		return;
	}
	fresh_page(d);
	present_figs(AX_USER, has, d->institution);
	tcol_add(&t, "User", LEFT, 0);
	tcol_add(&t, "Institution", LEFT, 140);
	tcol_add(&t, "SU type", LEFT, 95);
	fig_cols(&t, has);
	for (i = 0; i < n; i++) {
		int c = 0;

		cell[c++] = v[i]->email ? xasprintf("%s <%s>", v[i]->name,
		    v[i]->email) : moc_xstrdup(v[i]->name);
		cell[c++] = moc_xstrdup(usage_inst(v[i]));
		cell[c++] = moc_xstrdup(v[i]->su_type);
		fig_cells(cell, c, has, v[i]->f);
		trow_add(&t, cell)->shade = i % 2;
		for (f = 0; f < NFIG; f++)
			sum_add(&s[f], &v[i]->f[f]);
	}
	total_row(&t, 3, has, s, d->institution ? "Total of these users" :
	    "Total");
	table_draw(d, &t);
	free(v);
}

static void
instances(struct doc *d)
{
	struct table t = { .title = "Instances" };
	struct usage **v;
	size_t n, i;
	int has[NFIG];
	char *cell[24];

	if (d->institution != NULL)
		return;
	v = select_axis(AX_INSTANCE, &n, cmp_name);
	if (n == 0) {
		free(v);
		return;
	}
	present_figs(AX_INSTANCE, has, NULL);
	tcol_add(&t, "Instance", LEFT, 0);
	tcol_add(&t, "SU type", LEFT, 95);
	fig_cols(&t, has);
	for (i = 0; i < n; i++) {
		cell[0] = xasprintf("%s (%s)", v[i]->name, v[i]->id);
		cell[1] = moc_xstrdup(v[i]->su_type);
		fig_cells(cell, 2, has, v[i]->f);
		trow_add(&t, cell)->shade = i % 2;
	}
	table_draw(d, &t);
	free(v);
}

/* Cost by SU type: the aggregate's own totals, axis by axis. */
static void
su_types(struct doc *d)
{
	static const struct coldef cols[] = {
		{ "SU type", LEFT, 0 },
		{ "Axis", LEFT, 90 },
		{ "Rate", RIGHT, 0 },
		{ "SU hours", RIGHT, 0 },
		{ "Cost", RIGHT, 0 },
	};
	struct table t = { .title = "Totals by SU type" };
	char *cell[24];
	size_t i, j;

	if (ntot == 0 || d->institution != NULL)
		return;
	TCOLS(&t, cols);
	for (i = 0; i < ntot; i++) {
		const char *rate = "";

		for (j = 0; j < nuse; j++)
			if (use[j].f[F_RATE].present &&
			    strcmp(use[j].su_type, tot[i].su_type) == 0) {
				rate = use[j].f[F_RATE].text;
				break;
			}
		cell[0] = moc_xstrdup(tot[i].su_type);
		cell[1] = moc_xstrdup(axisname[tot[i].axis]);
		cell[2] = group(rate);
		cell[3] = fig_cell(&tot[i].su);
		cell[4] = fig_cell(&tot[i].cost);
		trow_add(&t, cell)->shade = i % 2;
	}
	table_draw(d, &t);
	para(d, d->reg, 8, 0, "Each axis (users, projects, institutions) "
	    "is added up separately by usage-aggregate; for one SU type the "
	    "totals of every axis must agree to the hour and to the cent.");
}

/* Cells of optional texts: an absent one is an empty cell. */
static void
text_cells(char **cell, const char *const *text, int n)
{
	int i;

	for (i = 0; i < n; i++)
		cell[i] = moc_xstrdup(text[i] != NULL ? text[i] : "");
}

static void
invoices(struct doc *d)
{
	static const struct coldef cols[] = {
		{ "Project", LEFT, 0 },
		{ "Manager (PI)", LEFT, 110 },
		{ "Institution", LEFT, 120 },
		{ "Code", LEFT, 50 },
		{ "Month", LEFT, 40 },
		{ "SU type", LEFT, 95 },
		{ "SU hours", RIGHT, 0 },
		{ "Rate", RIGHT, 0 },
		{ "Cost", RIGHT, 0 },
	};
	struct table t = { .title = "Invoice lines" };
	char *cell[24];
	size_t i;

	if (ninv == 0 || d->institution != NULL)
		return;
	TCOLS(&t, cols);
	for (i = 0; i < ninv; i++) {
		struct invoice *l = &inv[i];
		const char *text[] = { l->project ? l->project :
		    l->project_id, l->pi, l->inst, l->code, l->month,
		    l->su_type };

		text_cells(cell, text, 6);
		cell[6] = fig_cell(&l->su);
		cell[7] = fig_cell(&l->rate);
		cell[8] = fig_cell(&l->cost);
		trow_add(&t, cell)->shade = i % 2;
	}
	table_draw(d, &t);
}

static void
findings(struct doc *d)
{
	static const struct coldef cols[] = {
		{ "Check", LEFT, 110 },
		{ "Severity", LEFT, 50 },
		{ "Subject", LEFT, 150 },
		{ "Expected", LEFT, 80 },
		{ "Actual", LEFT, 80 },
		{ "Detail", LEFT, 0 },
	};
	struct table t = { .title = "Consistency findings" };
	char *cell[24];
	size_t i;

	if (nfnd == 0 || d->institution != NULL)
		return;
	TCOLS(&t, cols);
	for (i = 0; i < nfnd; i++) {
		struct finding *f = &fnd[i];
		const char *text[] = { f->check, f->severity, f->subject,
		    f->expected, f->actual, f->detail };

		text_cells(cell, text, 6);
		trow_add(&t, cell);
	}
	table_draw(d, &t);
}

static void
note(struct doc *d, const char *title, const char *text)
{
	need_space(d, 40);
	text_at(d, d->bold, 10, MARGIN, d->y - 10, title);
	d->y -= 15;
	para(d, d->reg, BODY_SIZE, 0, text);
}

static void
notes(struct doc *d)
{
	char *s;
	size_t i;

	heading(d, "Method notes", 80);
	s = xasprintf("Time in the Running state is billable. Time in the "
	    "Stopped state %s. Shelved, Error and Deleted time is never "
	    "billable; pause, suspend, reboot and migrations do not change "
	    "an instance's state.", meta.charge_stopped == 1 ? "is billable in "
	    "this period (the rates file charges for stopped instances)" :
	    meta.charge_stopped == 0 ? "is not billable in this period" :
	    "is billable only when the rates file says so for the month");
	note(d, "Billable states", s);
	free(s);
	s = xasprintf("Hours are exact seconds inside the period, its "
	    "end excluded. Per instance, billable seconds are rounded up to "
	    "whole hours over the period; SU-hours = hours x service units; "
	    "cost = rate x SU-hours, rounded half-up to cents. Money is "
	    "computed in exact decimal arithmetic. %s", have_portions() ?
	    "A jointly funded project's cost is shared out among its "
	    "institutions by largest remainder: each part is the project's "
	    "cost times the share rounded down to the cent, and the cents "
	    "left go to the largest remainders, so the parts add up to the "
	    "project's cost exactly." :
	    "A share of a jointly funded project is the project's figure "
	    "times the share, rounded half-up to the figure's own decimal "
	    "places.");
	note(d, "Rounding", s);
	free(s);
	s = xasprintf("A CPU SU is max(vCPUs, RAM in MiB / 4096), truncated "
	    "to a whole number. A GPU flavor counts its GPUs, and its SU type "
	    "comes from its GPU alias (for example OpenStack GPUA100). SU "
	    "definitions and rates for the month come from the rates file %s"
	    "%s%s.", meta.rates_file ? meta.rates_file : "(none given)",
	    meta.rates_sha256 ? ", SHA-256 " : "",
	    meta.rates_sha256 ? meta.rates_sha256 : "");
	note(d, "Service units and rates", s);
	free(s);
	if (meta.noutage > 0) {
		s = xasprintf("These outages from %s were subtracted from "
		    "billable time before rounding:", meta.outages_file ?
		    meta.outages_file : "the outages file");
		note(d, "Outages", s);
		free(s);
		for (i = 0; i < meta.noutage; i++) {
			s = xasprintf("- %s to %s: %s", meta.outage[i].from ?
			    meta.outage[i].from : "?", meta.outage[i].until ?
			    meta.outage[i].until : "?", meta.outage[i].what ?
			    meta.outage[i].what : "");
			para(d, d->reg, BODY_SIZE, 12, s);
			free(s);
		}
	} else if (meta.outages_file != NULL) {
		s = xasprintf("Outages listed in %s were subtracted from "
		    "billable time before rounding.", meta.outages_file);
		note(d, "Outages", s);
		free(s);
	} else
		note(d, "Outages", "No outages file was given: no time was "
		    "subtracted for outages.");
	note(d, "Data coverage", "The period is cut into 15-minute slots; "
	    "coverage is the share of slots in which a collection run read "
	    "every resource in full.");
	note(d, "Inferred and unknown hours", "Inferred hours are hours for "
	    "which no instance action was recorded, so the state was taken "
	    "from the 15-minute observations around them. Unknown hours are "
	    "hours nobody can vouch for: a gap in collection with no action "
	    "to fill it; they are reported, never guessed.");
	note(d, "Projects and institutions", "Projects form a tree under one "
	    "root that stands for the whole cloud; each project is labelled "
	    "with its path and shows its own usage and the total of its "
	    "subtree (itself and every sub-project). Usage by institution "
	    "splits each project's usage by its funding shares; a project "
	    "with no shares of its own takes those of its nearest ancestor. "
	    "A user belongs to one institution, set explicitly or derived "
	    "from the e-mail domain.");
}

static void
footers(struct doc *d)
{
	size_t i;
	char buf[64];

	for (i = 0; i < d->npages; i++) {
		d->page = d->pages[i];
		snprintf(buf, sizeof(buf), "page %zu of %zu", i + 1,
		    d->npages);
		grey(d, 0.4);
		text_at(d, d->reg, 7, PAGE_W - MARGIN -
		    text_w(d->reg, 7, buf, strlen(buf)), 20, buf);
		text_at(d, d->reg, 7, MARGIN, 20, "moc-reporting pdf-render "
		    PACKAGE_VERSION);
	}
}

/* ------------------------------------------------------------- output */

static void
set_info(struct doc *d)
{
	HPDF_Date dt;
	struct tm tm;
	time_t t = epoch >= 0 ? (time_t)epoch : time(NULL);
	char *title;

	gmtime_r(&t, &tm);
	memset(&dt, 0, sizeof(dt));
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.minutes = tm.tm_min;
	dt.seconds = tm.tm_sec;
	dt.ind = 'Z';
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_CREATION_DATE, dt);
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_MOD_DATE, dt);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "pdf-render (moc-reporting "
	    PACKAGE_VERSION ")");
	title = xasprintf("%s usage report%s%s", meta.cloud ? meta.cloud :
	    "Cloud", d->inst_name ? " for " : "", d->inst_name ?
	    d->inst_name : "");
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, title);
	free(title);
}

static void
write_all(int fd, const unsigned char *p, size_t n, const char *name)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			moc_die_sys(EXIT_DATA, "write error on %s", name);
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Through a temporary name and rename, so a reader never sees half. */
static void
save(HPDF_Doc pdf, const char *path)
{
	HPDF_UINT32 size;
	HPDF_BYTE *buf;
	char *tmp;
	int fd;

	HPDF_SaveToStream(pdf);
	size = HPDF_GetStreamSize(pdf);
	buf = moc_xmalloc(size);
	HPDF_GetContents(pdf, buf, &size);
	if (path == NULL) {
		write_all(STDOUT_FILENO, buf, size, "standard output");
		free(buf);
		return;
	}
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1)
		moc_die_sys(EXIT_DATA, "cannot create %s", tmp);
	if (fchmod(fd, 0644) == -1) {
		unlink(tmp);
		moc_die_sys(EXIT_DATA, "%s", tmp);
	}
	while (size > 0) {
		ssize_t w = write(fd, buf, size);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;

			unlink(tmp);
			errno = e;
			moc_die_sys(EXIT_DATA, "write error on %s", tmp);
		}
		size -= (HPDF_UINT32)w;
		memmove(buf, buf + w, size);
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		int e = errno;

		unlink(tmp);
		errno = e;
		moc_die_sys(EXIT_DATA, "cannot write %s", path);
	}
	free(tmp);
	free(buf);
}

static void
render(const char *inst, const char *inst_name, const char *path)
{
	struct doc d;
	const char *rn, *bn;

	memset(&d, 0, sizeof(d));
	d.institution = inst;
	d.inst_name = inst_name;
	if (setjmp(hpdf_jmp) != 0)
		moc_die(EXIT_DATA, "libharu error 0x%04X (detail %u)%s",
		    (unsigned)hpdf_err, (unsigned)hpdf_detail,
		    hpdf_err == HPDF_TTF_CANNOT_EMBEDDING_FONT ||
		    hpdf_err == HPDF_FILE_IO_ERROR ||
		    hpdf_err == HPDF_INVALID_TTC_FILE ||
		    hpdf_err == HPDF_TTF_MISSING_TABLE ||
		    hpdf_err == HPDF_TTF_INVALID_FOMAT ?
		    ": cannot use the font (see --font)" : "");
	d.pdf = HPDF_New(on_hpdf_error, NULL);
	if (d.pdf == NULL)
		moc_die(EXIT_DATA, "cannot start a PDF document");
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d.pdf);
	HPDF_SetCurrentEncoder(d.pdf, "UTF-8");
	rn = HPDF_LoadTTFontFromFile(d.pdf, font_path, HPDF_TRUE);
	bn = strcmp(bold_font_path, font_path) == 0 ? rn :
	    HPDF_LoadTTFontFromFile(d.pdf, bold_font_path, HPDF_TRUE);
	d.reg = HPDF_GetFont(d.pdf, rn, "UTF-8");
	d.bold = HPDF_GetFont(d.pdf, bn, "UTF-8");
	set_info(&d);

	cover(&d);
	if (has_usage(inst)) {
		su_types(&d);
		fresh_page(&d);
		institutions(&d);
		joint_projects(&d);
		projects(&d);
		users(&d);
		instances(&d);
		invoices(&d);
	}
	findings(&d);
	fresh_page(&d);
	notes(&d);
	footers(&d);
	save(d.pdf, path);
	HPDF_Free(d.pdf);
	free(d.pages);
}

/* One file per institution; its name is the institution's id, made safe. */
static void
split(const char *dir)
{
	struct usage **v;
	size_t n, i, j;

	v = moc_xmalloc((nuse + 1) * sizeof(*v));
	n = 0;
	for (i = 0; i < nuse; i++) {
		const char *id = use[i].axis == AX_INSTITUTION ? use[i].id :
		    use[i].inst_id;

		if (id == NULL || (use[i].axis != AX_INSTITUTION &&
		    use[i].axis != AX_USER && use[i].axis != AX_PROJECT))
			continue;
		for (j = 0; j < n; j++) {
			const char *o = v[j]->axis == AX_INSTITUTION ?
			    v[j]->id : v[j]->inst_id;
			if (strcmp(o, id) == 0)
				break;
		}
		if (j == n)
			v[n++] = &use[i];
		else if (use[i].axis == AX_INSTITUTION &&
		    v[j]->axis != AX_INSTITUTION)
			v[j] = &use[i];		/* its own name is best */
	}
	for (i = 0; i < n; i++) {
		const char *id = v[i]->axis == AX_INSTITUTION ? v[i]->id :
		    v[i]->inst_id;
		const char *name = v[i]->axis == AX_INSTITUTION ? v[i]->name :
		    v[i]->inst_name ? v[i]->inst_name : id;
		char *file = xasprintf("%s/%s.pdf", dir, id), *p;

		for (p = file + strlen(dir) + 1; *p != '\0'; p++)
			if (*p == '/' || (p == file + strlen(dir) + 1 &&
			    *p == '.') || (unsigned char)*p < 0x20)
				*p = '_';
		render(id, name, file);
		free(file);
	}
	free(v);
}

/* ------------------------------------------------------------- control */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * libharu trusts a font file's table directory and can crash on one that
 * is not a TrueType font, so the tables it reads are looked for first.
 */
static void
check_font(const char *path)
{
	static const char *const need[] = {
		"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name"
	};
	unsigned char hdr[12], *dir;
	size_t ntab, i, k, found = 0;
	struct stat st;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		moc_die_sys(EXIT_USAGE, "font %s", path);
	if (fstat(fileno(f), &st) == -1 || fread(hdr, 1, 12, f) != 12 ||
	    (be32(hdr) != 0x00010000 && memcmp(hdr, "true", 4) != 0))
		moc_die(EXIT_USAGE, "font %s: not a TrueType font", path);
	ntab = (size_t)hdr[4] << 8 | hdr[5];
	dir = moc_xmalloc(ntab * 16 + 1);
	if (ntab == 0 || fread(dir, 16, ntab, f) != ntab)
		moc_die(EXIT_USAGE, "font %s: truncated table directory", path);
	for (i = 0; i < ntab; i++) {
		uint32_t off = be32(dir + 16 * i + 8);
		uint32_t len = be32(dir + 16 * i + 12);

		if ((uint64_t)off + len > (uint64_t)st.st_size)
			moc_die(EXIT_USAGE, "font %s: table %.4s runs past the "
			    "end of the file", path, (char *)dir + 16 * i);
		for (k = 0; k < sizeof(need) / sizeof(need[0]); k++)
			if (memcmp(dir + 16 * i, need[k], 4) == 0)
				found++;
	}
	if (found < sizeof(need) / sizeof(need[0]))
		moc_die(EXIT_USAGE, "font %s: a TrueType table libharu needs "
		    "is missing", path);
	free(dir);
	fclose(f);
}

static void __attribute__((noreturn))
usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]\n"
	    "Render the usage summary records of FILE (or standard input) as "
	    "a PDF report.\n\n"
	    "  -o, --output=FILE       write the PDF to FILE (through a "
	    "temporary name)\n"
	    "                          instead of standard output\n"
	    "  -s, --split-by=institution\n"
	    "                          one PDF per institution, into the "
	    "folder of -d\n"
	    "  -d, --directory=DIR     where --split-by writes its files\n"
	    "      --font=FILE         TrueType font for text (default %s)\n"
	    "      --bold-font=FILE    TrueType font for headings (default "
	    "%s)\n"
	    "      --max-record-size=SIZE  refuse records longer than SIZE "
	    "(default 64M)\n"
	    "  -h, --help              show this help and exit\n"
	    "  -V, --version           show the version and exit\n\n"
	    "With SOURCE_DATE_EPOCH set, the same input gives the same PDF, "
	    "byte for byte.\n"
	    "Exit status: 0 report written, 1 bad input or write error, 2 "
	    "usage error.\n", moc_progname(), TTF_FONT, TTF_FONT_BOLD);
	moc_close_stdout();
	exit(EXIT_OK);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bold-font", required_argument, NULL, 'B' },
		{ "directory", required_argument, NULL, 'd' },
		{ "font", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "max-record-size", required_argument, NULL, 'M' },
		{ "output", required_argument, NULL, 'o' },
		{ "split-by", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL, *dir = NULL, *sde, *name = "<stdin>";
	size_t maxrec = REC_DEFAULT_MAX;
	int c, fd = STDIN_FILENO, bold_given = 0, by_inst = 0;
	long long ll;
	struct stat st;

	moc_setprogname(argv[0]);
	setlocale(LC_CTYPE, "");
	while ((c = getopt_long(argc, argv, "d:ho:s:V", longopts, NULL)) != -1)
		switch (c) {
		case 'B':
			bold_font_path = optarg;
			bold_given = 1;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'F':
			font_path = optarg;
			break;
		case 'h':
			usage();
		case 'M':
			if (moc_parse_size(optarg, &maxrec) == -1 ||
			    maxrec == 0)
				moc_usage_error("bad record size: %s", optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 's':
			if (strcmp(optarg, "institution") != 0)
				moc_usage_error("--split-by takes only "
				    "\"institution\", not \"%s\"", optarg);
			by_inst = 1;
			break;
		case 'V':
			moc_print_version();
		default:
			/* getopt_long has said what was wrong */
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", moc_progname());
			exit(EXIT_USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		moc_usage_error("too many arguments");
	if (by_inst && dir == NULL)
		moc_usage_error("--split-by needs -d DIR");
	if (!by_inst && dir != NULL)
		moc_usage_error("-d is only for --split-by");
	if (by_inst && output != NULL)
		moc_usage_error("-o and --split-by exclude each other");
	if (font_path != (const char *)TTF_FONT && !bold_given)
		bold_font_path = font_path;
	check_font(font_path);
	if (strcmp(bold_font_path, font_path) != 0)
		check_font(bold_font_path);
	if (dir != NULL && (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)))
		moc_usage_error("%s is not a folder", dir);
	if ((sde = getenv("SOURCE_DATE_EPOCH")) != NULL && *sde != '\0') {
		if (moc_parse_int(sde, 0, 253402300799LL, &ll) == -1)
			moc_usage_error("bad SOURCE_DATE_EPOCH: %s", sde);
		epoch = ll;
	}
	if (argc == 1 && strcmp(argv[0], "-") != 0) {
		name = argv[0];
		if ((fd = open(name, O_RDONLY)) == -1)
			moc_die_sys(EXIT_DATA, "%s", name);
	}
	in = rec_open(fd, name, maxrec);
	read_input();
	rec_close(in);
	index_funding();
	if (by_inst)
		split(dir);
	else
		render(NULL, NULL, output);
	moc_close_stdout();
	return EXIT_OK;
}
