/*
 * rates.c: reading and validating nerc-rates' rates.yaml and outages.yaml.
 *
 * The whole document is loaded with libyaml's document API so that every
 * node keeps its line for messages.  Validation follows nerc-rates'
 * models: names unique, values of the declared type, "until" not before
 * "from", history ranges that do not overlap, outage times with a zone and
 * "until" after "from".
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "decimal.h"
#include "rates.h"
#include "rtime.h"
#include "util.h"

struct rate_value {
	char	*value;
	int	 from, until;	/* year*12 + month-1; until INT32_MAX: open */
};

struct rate_item {
	char			*name;
	enum rate_type		 type;
	struct rate_value	*hist;
	size_t			 nhist;
};

struct rates {
	struct rate_item	*items;
	size_t			 n;
};

struct yfile {
	const char	*path;
	yaml_document_t	 doc;
	int		 errors;
};

static void
yerr(struct yfile *f, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
yerr(struct yfile *f, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	moc_warn("%s:%lu: %s", f->path,
	    node != NULL ? (unsigned long)node->start_mark.line + 1 : 1UL,
	    msg);
	f->errors++;
}

static void
yload(struct yfile *f, const char *path)
{
	yaml_parser_t parser;
	FILE *fp;

	f->path = path;
	f->errors = 0;
	if ((fp = fopen(path, "r")) == NULL)
		moc_die_sys(EXIT_USAGE, "%s", path);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &f->doc))
		moc_die(EXIT_USAGE, "%s:%lu: %s", path,
		    (unsigned long)parser.problem_mark.line + 1,
		    parser.problem != NULL ? parser.problem : "bad YAML");
	yaml_parser_delete(&parser);
	fclose(fp);
}

static yaml_node_t *
ynode(struct yfile *f, int id)
{
	return yaml_document_get_node(&f->doc, id);
}

/* The scalar text of a node, or NULL (with a message) for anything else. */
static const char *
yscalar(struct yfile *f, yaml_node_t *n, const char *what)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		yerr(f, n, "\"%s\" must be a scalar", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* A mapping's value for key, or NULL. */
static yaml_node_t *
yget(struct yfile *f, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		yaml_node_t *k = ynode(f, p->key);

		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return ynode(f, p->value);
	}
	return NULL;
}

static int
ymonth(struct yfile *f, yaml_node_t *n, const char *what, int *out)
{
	const char *s = yscalar(f, n, what);
	int y, m;

	if (s == NULL)
		return -1;
	if (rtime_parse_month(s, strlen(s), &y, &m) == -1) {
		yerr(f, n, "\"%s\" is not a month YYYY-MM: \"%s\"", what, s);
		return -1;
	}
	*out = y * 12 + (m - 1);
	return 0;
}

static int
check_typed(struct yfile *f, yaml_node_t *n, enum rate_type t, const char *s)
{
	struct dec d;
	long long v;

	switch (t) {
	case RATE_DECIMAL:
		if (dec_parse(s, strlen(s), &d) == 0)
			return 0;
		yerr(f, n, "value is not a Decimal: \"%s\"", s);
		return -1;
	case RATE_BOOL:
		if (strcmp(s, "True") == 0 || strcmp(s, "False") == 0 ||
		    strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
			return 0;
		yerr(f, n, "value is not a bool (True or False): \"%s\"", s);
		return -1;
	case RATE_INT:
		if (moc_parse_int(s, -(1LL << 62), 1LL << 62, &v) == 0)
			return 0;
		yerr(f, n, "value is not an int: \"%s\"", s);
		return -1;
	case RATE_STR:
		return 0;
	}
	return -1;
}

static int
parse_type(const char *s, enum rate_type *t)
{
	if (strcmp(s, "Decimal") == 0)
		*t = RATE_DECIMAL;
	else if (strcmp(s, "bool") == 0)
		*t = RATE_BOOL;
	else if (strcmp(s, "int") == 0)
		*t = RATE_INT;
	else if (strcmp(s, "str") == 0)
		*t = RATE_STR;
	else
		return -1;
	return 0;
}

static void
load_history(struct yfile *f, struct rate_item *it, yaml_node_t *hist)
{
	yaml_node_item_t *i;
	size_t cap;

	cap = (size_t)(hist->data.sequence.items.top -
	    hist->data.sequence.items.start);
	it->hist = moc_xcalloc(cap ? cap : 1, sizeof(*it->hist));
	for (i = hist->data.sequence.items.start;
	    i < hist->data.sequence.items.top; i++) {
		yaml_node_t *e = ynode(f, *i), *v, *u;
		struct rate_value rv = { NULL, 0, INT32_MAX };
		const char *s;

		if (e == NULL || e->type != YAML_MAPPING_NODE) {
			yerr(f, e, "history entry of \"%s\" is not a mapping",
			    it->name);
			continue;
		}
		v = yget(f, e, "value");
		if (v == NULL) {
			yerr(f, e, "history entry of \"%s\" has no \"value\"",
			    it->name);
			continue;
		}
		if ((s = yscalar(f, v, "value")) == NULL ||
		    check_typed(f, v, it->type, s) == -1)
			continue;
		if (yget(f, e, "from") == NULL) {
			yerr(f, e, "history entry of \"%s\" has no \"from\"",
			    it->name);
			continue;
		}
		if (ymonth(f, yget(f, e, "from"), "from", &rv.from) == -1)
			continue;
		if ((u = yget(f, e, "until")) != NULL) {
			if (ymonth(f, u, "until", &rv.until) == -1)
				continue;
			if (rv.until < rv.from) {
				yerr(f, u, "\"until\" is before \"from\" in "
				    "\"%s\"", it->name);
				continue;
			}
		}
		rv.value = moc_xstrdup(s);
		it->hist[it->nhist++] = rv;
	}
}

static int
cmp_hist(const void *a, const void *b)
{
	const struct rate_value *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

static void
check_overlaps(struct yfile *f, struct rate_item *it, yaml_node_t *hist)
{
	size_t j;

	qsort(it->hist, it->nhist, sizeof(*it->hist), cmp_hist);
	for (j = 1; j < it->nhist; j++)
		if (it->hist[j].from <= it->hist[j - 1].until)
			yerr(f, hist, "history of \"%s\" has overlapping "
			    "ranges (%04d-%02d)", it->name,
			    it->hist[j].from / 12, it->hist[j].from % 12 + 1);
}

static void
load_item(struct yfile *f, struct rates *r, yaml_node_t *n)
{
	struct rate_item *it = &r->items[r->n];
	yaml_node_t *name, *type, *hist;
	const char *s;
	size_t j;

	if (n == NULL || n->type != YAML_MAPPING_NODE) {
		yerr(f, n, "an item is not a mapping");
		return;
	}
	name = yget(f, n, "name");
	type = yget(f, n, "type");
	hist = yget(f, n, "history");
	if (name == NULL || type == NULL || hist == NULL) {
		yerr(f, n, "an item needs \"name\", \"type\" and \"history\"");
		return;
	}
	if ((s = yscalar(f, name, "name")) == NULL)
		return;
	for (j = 0; j < r->n; j++)
		if (strcmp(r->items[j].name, s) == 0) {
			yerr(f, name, "duplicate name \"%s\"", s);
			return;
		}
	if ((s = yscalar(f, type, "type")) == NULL)
		return;
	if (parse_type(s, &it->type) == -1) {
		yerr(f, type, "unknown type \"%s\" (Decimal, bool, int, str)",
		    s);
		return;
	}
	if (hist->type != YAML_SEQUENCE_NODE) {
		yerr(f, hist, "\"history\" must be a list");
		return;
	}
	it->name = moc_xstrdup((const char *)name->data.scalar.value);
	load_history(f, it, hist);
	check_overlaps(f, it, hist);
	r->n++;
}

struct rates *
rates_load(const char *path)
{
	struct yfile f;
	struct rates *r;
	yaml_node_t *root;
	yaml_node_item_t *i;

	yload(&f, path);
	root = yaml_document_get_root_node(&f.doc);
	if (root == NULL || root->type != YAML_SEQUENCE_NODE)
		moc_die(EXIT_USAGE, "%s:1: the rates file must be a list of "
		    "items", path);
	r = moc_xcalloc(1, sizeof(*r));
	r->items = moc_xcalloc((size_t)(root->data.sequence.items.top -
	    root->data.sequence.items.start) + 1, sizeof(*r->items));
	for (i = root->data.sequence.items.start;
	    i < root->data.sequence.items.top; i++)
		load_item(&f, r, ynode(&f, *i));
	yaml_document_delete(&f.doc);
	if (f.errors > 0)
		moc_die(EXIT_USAGE, "%s: %d error%s", path, f.errors,
		    f.errors == 1 ? "" : "s");
	return r;
}

void
rates_free(struct rates *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->items[i].nhist; j++)
			free(r->items[i].hist[j].value);
		free(r->items[i].hist);
		free(r->items[i].name);
	}
	free(r->items);
	free(r);
}

const char *
rates_lookup(const struct rates *r, const char *name, int year, int month,
    enum rate_type *type)
{
	int key = year * 12 + (month - 1);
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->items[i].name, name) != 0)
			continue;
		if (type != NULL)
			*type = r->items[i].type;
		for (j = 0; j < r->items[i].nhist; j++)
			if (r->items[i].hist[j].from <= key &&
			    key <= r->items[i].hist[j].until)
				return r->items[i].hist[j].value;
		return NULL;
	}
	return NULL;
}

/* An outage time: RFC 3339 with a zone ('Z' or an offset), nothing else. */
static int
ytime(struct yfile *f, yaml_node_t *n, const char *what, int64_t *out)
{
	const char *s = yscalar(f, n, what);
	size_t len;

	if (s == NULL)
		return -1;
	len = strlen(s);
	if (len < 20 || !(s[len - 1] == 'Z' || s[len - 1] == 'z' ||
	    s[len - 6] == '+' || s[len - 6] == '-')) {
		yerr(f, n, "\"%s\" has no time zone: \"%s\"", what, s);
		return -1;
	}
	if (rtime_parse(s, len, out) == -1) {
		yerr(f, n, "\"%s\" is not a time: \"%s\"", what, s);
		return -1;
	}
	return 0;
}

static void
load_services(struct yfile *f, struct outage *o, yaml_node_t *n)
{
	yaml_node_item_t *i;

	if (n == NULL)
		return;
	if (n->type != YAML_SEQUENCE_NODE) {
		yerr(f, n, "\"affected_services\" must be a list");
		return;
	}
	o->services = moc_xcalloc((size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start) + 1, sizeof(char *));
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	    i++) {
		const char *s = yscalar(f, ynode(f, *i), "affected_services");

		if (s != NULL)
			o->services[o->nservices++] = moc_xstrdup(s);
	}
}

static void
load_outage(struct yfile *f, struct outages *os, yaml_node_t *n, size_t *cap)
{
	yaml_node_t *url, *tfs;
	yaml_node_item_t *i;

	if (n == NULL || n->type != YAML_MAPPING_NODE) {
		yerr(f, n, "an outage is not a mapping");
		return;
	}
	url = yget(f, n, "url");
	tfs = yget(f, n, "timeframes");
	if (tfs == NULL || tfs->type != YAML_SEQUENCE_NODE) {
		yerr(f, n, "an outage needs a list \"timeframes\"");
		return;
	}
	for (i = tfs->data.sequence.items.start;
	    i < tfs->data.sequence.items.top; i++) {
		yaml_node_t *tf = ynode(f, *i), *fr, *un;
		struct outage o;

		memset(&o, 0, sizeof(o));
		if (tf == NULL || tf->type != YAML_MAPPING_NODE) {
			yerr(f, tf, "a timeframe is not a mapping");
			continue;
		}
		fr = yget(f, tf, "from");
		un = yget(f, tf, "until");
		if (fr == NULL || un == NULL) {
			yerr(f, tf, "a timeframe needs \"from\" and \"until\"");
			continue;
		}
		if (ytime(f, fr, "from", &o.from) == -1 ||
		    ytime(f, un, "until", &o.until) == -1)
			continue;
		if (o.until <= o.from) {
			yerr(f, un, "\"until\" is not after \"from\"");
			continue;
		}
		if (url != NULL && url->type == YAML_SCALAR_NODE)
			o.url = moc_xstrdup((const char *)url->data.scalar.value);
		o.line = (int)tf->start_mark.line + 1;
		load_services(f, &o, yget(f, tf, "affected_services"));
		if (os->n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			os->v = moc_xrealloc(os->v, *cap * sizeof(*os->v));
		}
		os->v[os->n++] = o;
	}
}

struct outages *
outages_load(const char *path)
{
	struct yfile f;
	struct outages *os;
	yaml_node_t *root;
	yaml_node_item_t *i;
	size_t cap = 0;

	yload(&f, path);
	os = moc_xcalloc(1, sizeof(*os));
	root = yaml_document_get_root_node(&f.doc);
	/* A file of comments only is an empty list: no outages. */
	if (root != NULL && !(root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0)) {
		if (root->type != YAML_SEQUENCE_NODE)
			moc_die(EXIT_USAGE, "%s:%lu: the outages file must be "
			    "a list", path,
			    (unsigned long)root->start_mark.line + 1);
		for (i = root->data.sequence.items.start;
		    i < root->data.sequence.items.top; i++)
			load_outage(&f, os, ynode(&f, *i), &cap);
	}
	yaml_document_delete(&f.doc);
	if (f.errors > 0)
		moc_die(EXIT_USAGE, "%s: %d error%s", path, f.errors,
		    f.errors == 1 ? "" : "s");
	return os;
}

void
outages_free(struct outages *os)
{
	size_t i, j;

	if (os == NULL)
		return;
	for (i = 0; i < os->n; i++) {
		for (j = 0; j < os->v[i].nservices; j++)
			free(os->v[i].services[j]);
		free(os->v[i].services);
		free(os->v[i].url);
	}
	free(os->v);
	free(os);
}

int
outage_affects(const struct outage *o, const char *service)
{
	size_t i;

	for (i = 0; i < o->nservices; i++)
		if (strcasecmp(o->services[i], service) == 0)
			return 1;
	return 0;
}
