/*
 * json.c: yajl callbacks building an arena-backed DOM.
 *
 * Children of a container are first collected on a scratch stack (their
 * number is unknown until the container closes), then copied into the arena
 * in one piece.  One yajl handle is kept across documents with
 * yajl_allow_multiple_values, and replaced only after an error.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "json.h"
#include "util.h"

#define ARENA_BLOCK	(64 * 1024)
#define MAX_DEPTH	1024

struct arena_block {
	struct arena_block	*next;
	size_t			 size, used;
	char			 data[];
};

struct frame {
	size_t	 start;		/* first child on the scratch stack */
	long	 slot;		/* where the container sits: scratch index, -1 root */
	int	 is_object;
};

struct json_parser {
	yajl_handle		 yajl;
	struct arena_block	*blocks, *cur;
	struct json_member	*scratch;
	size_t			 nscratch, capscratch;
	struct frame		 frames[MAX_DEPTH];
	int			 depth;
	int			 roots;
	int			 failed;	/* a callback refused */
	const char		*cb_error;
	struct json_value	 root;
	char			 errbuf[256];
	size_t			 erroff;
};

static void *arena_alloc_slow(struct json_parser *, size_t);

/* Most allocations fit the current block: bump a pointer. */
static inline void *
arena_alloc(struct json_parser *p, size_t n)
{
	struct arena_block *b = p->cur;
	size_t need = (n + 15) & ~(size_t)15;

	if (b != NULL && b->size - b->used >= need) {
		void *r = b->data + b->used;
		b->used += need;
		return r;
	}
	return arena_alloc_slow(p, need);
}

static void *
arena_alloc_slow(struct json_parser *p, size_t need)
{
	struct arena_block *b;

	for (b = p->cur; b != NULL; b = b->next) {
		if (b->size - b->used >= need) {
			void *r = b->data + b->used;
			b->used += need;
			p->cur = b;
			return r;
		}
		/* Blocks after cur are empty (reset); try them in order. */
		if (b->next != NULL)
			b->next->used = 0;
	}
	b = moc_xmalloc(sizeof(*b) + (need > ARENA_BLOCK ? need : ARENA_BLOCK));
	b->size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
	b->used = need;
	b->next = NULL;
	if (p->cur != NULL) {
		/* Append after the last block. */
		struct arena_block *last = p->cur;
		while (last->next != NULL)
			last = last->next;
		last->next = b;
	} else
		p->blocks = b;
	p->cur = b;
	return b->data;
}

static void
arena_reset(struct json_parser *p)
{
	p->cur = p->blocks;
	if (p->cur != NULL)
		p->cur->used = 0;
}

static char *
arena_strdup(struct json_parser *p, const unsigned char *s, size_t n)
{
	char *r = arena_alloc(p, n + 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* The slot a new value goes into: a pending object member, a new array item,
 * or the root. */
static struct json_value *
value_slot(struct json_parser *p, long *index)
{
	struct frame *f;

	if (p->depth == 0) {
		p->roots++;
		*index = -1;
		return &p->root;
	}
	f = &p->frames[p->depth - 1];
	if (!f->is_object) {
		if (p->nscratch == p->capscratch) {
			p->capscratch = p->capscratch ? p->capscratch * 2 : 256;
			p->scratch = moc_xrealloc(p->scratch,
			    p->capscratch * sizeof(*p->scratch));
		}
		p->scratch[p->nscratch].key = NULL;
		p->scratch[p->nscratch].keylen = 0;
		p->nscratch++;
	}
	/* For an object, map_key already pushed the member. */
	*index = (long)p->nscratch - 1;
	return &p->scratch[p->nscratch - 1].value;
}

static int
scalar(struct json_parser *p, enum json_type t, const unsigned char *s,
    size_t n)
{
	long idx;
	struct json_value *v = value_slot(p, &idx);

	v->type = t;
	v->len = n;
	v->u.text = s != NULL ? arena_strdup(p, s, n) : NULL;
	return 1;
}

static int
cb_null(void *ctx)
{
	return scalar(ctx, JSON_NULL, NULL, 0);
}

static int
cb_boolean(void *ctx, int b)
{
	return scalar(ctx, b ? JSON_TRUE : JSON_FALSE, NULL, 0);
}

static int
cb_number(void *ctx, const char *s, size_t n)
{
	return scalar(ctx, JSON_NUMBER, (const unsigned char *)s, n);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t n)
{
	return scalar(ctx, JSON_STRING, s, n);
}

static int
open_container(struct json_parser *p, int is_object)
{
	long idx;
	struct json_value *v;
	struct frame *f;

	if (p->depth == MAX_DEPTH) {
		p->cb_error = "nesting too deep";
		p->failed = 1;
		return 0;
	}
	v = value_slot(p, &idx);
	v->type = is_object ? JSON_OBJECT : JSON_ARRAY;
	v->len = 0;
	v->u.items = NULL;
	f = &p->frames[p->depth++];
	f->start = p->nscratch;
	f->slot = idx;
	f->is_object = is_object;
	return 1;
}

static int
close_container(struct json_parser *p)
{
	struct frame *f = &p->frames[--p->depth];
	size_t n = p->nscratch - f->start;
	struct json_value *v;

	v = f->slot < 0 ? &p->root : &p->scratch[f->slot].value;
	v->len = n;
	if (f->is_object) {
		struct json_member *m = arena_alloc(p, n * sizeof(*m) + 1);
		memcpy(m, p->scratch + f->start, n * sizeof(*m));
		v->u.members = m;
	} else {
		struct json_value *items = arena_alloc(p, n * sizeof(*items) + 1);
		size_t i;
		for (i = 0; i < n; i++)
			items[i] = p->scratch[f->start + i].value;
		v->u.items = items;
	}
	p->nscratch = f->start;
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return open_container(ctx, 1);
}

static int
cb_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct json_parser *p = ctx;

	if (p->nscratch == p->capscratch) {
		p->capscratch = p->capscratch ? p->capscratch * 2 : 256;
		p->scratch = moc_xrealloc(p->scratch,
		    p->capscratch * sizeof(*p->scratch));
	}
	p->scratch[p->nscratch].key = arena_strdup(p, s, n);
	p->scratch[p->nscratch].keylen = n;
	p->scratch[p->nscratch].value.type = JSON_NULL;
	p->nscratch++;
	return 1;
}

static int
cb_end(void *ctx)
{
	return close_container(ctx);
}

static int
cb_start_array(void *ctx)
{
	return open_container(ctx, 0);
}

static const yajl_callbacks callbacks = {
	cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end
};

static void
new_handle(struct json_parser *p)
{
	if (p->yajl != NULL)
		yajl_free(p->yajl);
	p->yajl = yajl_alloc(&callbacks, NULL, p);
	if (p->yajl == NULL)
		moc_die(EXIT_DATA, "out of memory");
	yajl_config(p->yajl, yajl_allow_multiple_values, 1);
}

struct json_parser *
json_parser_new(void)
{
	struct json_parser *p = moc_xcalloc(1, sizeof(*p));

	new_handle(p);
	return p;
}

void
json_parser_free(struct json_parser *p)
{
	struct arena_block *b, *next;

	if (p == NULL)
		return;
	yajl_free(p->yajl);
	for (b = p->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(p->scratch);
	free(p);
}

static void
set_error(struct json_parser *p, const char *buf, size_t len, yajl_status st)
{
	const char *msg = NULL;
	unsigned char *ymsg = NULL;
	size_t n;

	if (p->failed && p->cb_error != NULL)
		msg = p->cb_error;
	else if (st == yajl_status_error) {
		ymsg = yajl_get_error(p->yajl, 0, (const unsigned char *)buf, len);
		msg = (const char *)ymsg;
		if (strncmp(msg, "parse error: ", 13) == 0)
			msg += 13;
		else if (strncmp(msg, "lexical error: ", 15) == 0)
			msg += 15;
	}
	snprintf(p->errbuf, sizeof(p->errbuf), "%s", msg ? msg : "bad JSON");
	/* yajl's messages end with a newline; ours are one line. */
	n = strlen(p->errbuf);
	while (n > 0 && (p->errbuf[n - 1] == '\n' || p->errbuf[n - 1] == ' '))
		p->errbuf[--n] = '\0';
	if (ymsg != NULL)
		yajl_free_error(p->yajl, ymsg);
	p->erroff = yajl_get_bytes_consumed(p->yajl);
	new_handle(p);
}

const struct json_value *
json_parse(struct json_parser *p, const char *buf, size_t len)
{
	yajl_status st;
	const char *ff;

	arena_reset(p);
	p->nscratch = 0;
	p->depth = 0;
	p->roots = 0;
	p->failed = 0;
	p->cb_error = NULL;
	p->errbuf[0] = '\0';
	p->erroff = 0;

	/* yajl takes a form feed for whitespace; RFC 8259 does not, and a raw
	 * control character is not allowed inside a string either. */
	ff = memchr(buf, '\f', len);
	if (ff != NULL) {
		snprintf(p->errbuf, sizeof(p->errbuf),
		    "form feed is not JSON whitespace");
		p->erroff = (size_t)(ff - buf);
		return NULL;
	}
	st = yajl_parse(p->yajl, (const unsigned char *)buf, len);
	if (st != yajl_status_ok) {
		set_error(p, buf, len, st);
		return NULL;
	}
	/* A separator ends a bare top-level number or literal.  An error only
	 * here means the input stopped inside a value (a string, a literal). */
	if (yajl_parse(p->yajl, (const unsigned char *)"\n", 1) !=
	    yajl_status_ok) {
		snprintf(p->errbuf, sizeof(p->errbuf), "premature end of input");
		p->erroff = len;
		new_handle(p);
		return NULL;
	}
	if (p->depth > 0 || p->roots == 0) {
		snprintf(p->errbuf, sizeof(p->errbuf), "%s",
		    p->roots == 0 && p->depth == 0 ? "no JSON value" :
		    "premature end of input");
		p->erroff = len;
		new_handle(p);
		return NULL;
	}
	if (p->roots > 1) {
		snprintf(p->errbuf, sizeof(p->errbuf),
		    "more than one JSON value");
		p->erroff = len;
		new_handle(p);
		return NULL;
	}
	return &p->root;
}

const char *
json_parser_error(const struct json_parser *p)
{
	return p->errbuf;
}

size_t
json_parser_offset(const struct json_parser *p)
{
	return p->erroff;
}

const struct json_value *
json_getn(const struct json_value *obj, const char *key, size_t keylen)
{
	size_t i;

	if (obj == NULL || obj->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->len; i++) {
		const struct json_member *m = &obj->u.members[i];
		if (m->keylen == keylen && (keylen == 0 || (m->key[0] == key[0] &&
		    memcmp(m->key, key, keylen) == 0)))
			return &m->value;
	}
	return NULL;
}

const struct json_value *
json_get(const struct json_value *obj, const char *key)
{
	return json_getn(obj, key, strlen(key));
}

const char *
json_string(const struct json_value *v)
{
	return v != NULL && v->type == JSON_STRING ? v->u.text : NULL;
}

const char *
json_get_string(const struct json_value *obj, const char *key)
{
	return json_string(json_get(obj, key));
}

int
json_int64(const struct json_value *v, int64_t *out)
{
	char *end;
	long long n;
	size_t i;

	if (v == NULL || v->type != JSON_NUMBER)
		return -1;
	/* Short plain integers (nearly all of them) without strtoll. */
	if (v->len > 0 && v->len < 19) {
		const char *t = v->u.text;
		int neg = t[0] == '-';
		int64_t acc = 0;

		for (i = (size_t)neg; i < v->len; i++) {
			if (t[i] < '0' || t[i] > '9')
				break;
			acc = acc * 10 + (t[i] - '0');
		}
		if (i == v->len && v->len > (size_t)neg) {
			*out = neg ? -acc : acc;
			return 0;
		}
	}
	errno = 0;
	n = strtoll(v->u.text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = n;
	return 0;
}

int
json_double(const struct json_value *v, double *out)
{
	char *end;

	if (v == NULL || v->type != JSON_NUMBER)
		return -1;
	errno = 0;
	*out = strtod(v->u.text, &end);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

int
json_present(const struct json_value *v)
{
	return v != NULL && v->type != JSON_NULL;
}

const char *
json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL:		return "null";
	case JSON_FALSE:	return "false";
	case JSON_TRUE:		return "true";
	case JSON_NUMBER:	return "number";
	case JSON_STRING:	return "string";
	case JSON_ARRAY:	return "array";
	case JSON_OBJECT:	return "object";
	}
	return "?";
}
