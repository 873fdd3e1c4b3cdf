/*
 * jwrite.c: JSON Lines writer with its own buffer.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jwrite.h"
#include "rtime.h"
#include "util.h"

#define JW_BUFSIZE	(256 * 1024)

void
jw_init(struct jw *w, FILE *fp, const char *name)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->name = name != NULL ? name : "standard output";
	w->cap = JW_BUFSIZE;
	w->buf = moc_xmalloc(w->cap);
}

void
jw_free(struct jw *w)
{
	free(w->buf);
	w->buf = NULL;
}

void
jw_flush(struct jw *w)
{
	if (w->len > 0 && fwrite(w->buf, 1, w->len, w->fp) != w->len)
		moc_die_sys(EXIT_DATA, "write error on %s", w->name);
	w->len = 0;
	if (fflush(w->fp) != 0)
		moc_die_sys(EXIT_DATA, "write error on %s", w->name);
}

/* Make room for n more bytes: the buffer is written out when full, and
 * grows only for a single piece larger than itself. */
static void
reserve_slow(struct jw *w, size_t n)
{
	if (w->len > 0) {
		if (fwrite(w->buf, 1, w->len, w->fp) != w->len)
			moc_die_sys(EXIT_DATA, "write error on %s", w->name);
		w->len = 0;
	}
	if (n > w->cap) {
		w->cap = n;
		w->buf = moc_xrealloc(w->buf, w->cap);
	}
}

static inline void
reserve(struct jw *w, size_t n)
{
	if (w->len + n > w->cap)
		reserve_slow(w, n);
}

static inline void
put(struct jw *w, const char *s, size_t n)
{
	reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void
putch(struct jw *w, char c)
{
	reserve(w, 1);
	w->buf[w->len++] = c;
}

/* Separator before a value: a comma between siblings, nothing after a key. */
static void
before_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth])
			putch(w, ',');
		w->need_comma[w->depth] = 1;
	}
}

/* Bytes that JSON strings must escape: control characters, '"', '\\'. */
static const unsigned char needs_escape[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* Whether any of 8 bytes needs escaping (a byte below 0x20, '"' or '\\'):
 * the zero-byte test of "Bit Twiddling Hacks", for three patterns. */
static inline int
word_needs_escape(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');

	return (((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) |
	    ((b - ONES) & ~b)) & HIGHS ? 1 : 0;
}

/* Clean bytes are copied eight at a time while they are checked; the
 * word holding a byte to escape is then done byte by byte.  Room for the
 * worst case (every byte as \u00XX) is made once, up front. */
static void
put_escaped(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o;
	size_t i = 0, end;
	uint64_t x;

	reserve(w, n * 6 + 2);
	o = w->buf + w->len;
	*o++ = '"';
	while (i < n) {
		while (i + 8 <= n) {
			memcpy(&x, s + i, 8);
			if (word_needs_escape(x))
				break;
			memcpy(o, &x, 8);
			o += 8;
			i += 8;
		}
		end = i + 8 <= n ? i + 8 : n;
		for (; i < end; i++) {
			unsigned char c = (unsigned char)s[i];

			if (!needs_escape[c]) {
				*o++ = (char)c;
				continue;
			}
			*o++ = '\\';
			switch (c) {
			case '"':	*o++ = '"'; break;
			case '\\':	*o++ = '\\'; break;
			case '\n':	*o++ = 'n'; break;
			case '\r':	*o++ = 'r'; break;
			case '\t':	*o++ = 't'; break;
			case '\b':	*o++ = 'b'; break;
			case '\f':	*o++ = 'f'; break;
			default:
				*o++ = 'u';
				*o++ = '0';
				*o++ = '0';
				*o++ = hex[c >> 4];
				*o++ = hex[c & 0xf];
			}
		}
	}
	*o++ = '"';
	w->len = (size_t)(o - w->buf);
}

static void
open_container(struct jw *w, char c)
{
	before_value(w);
	putch(w, c);
	if (w->depth + 1 >= JW_MAX_DEPTH)
		moc_die(EXIT_DATA, "output nested too deeply");
	w->depth++;
	w->need_comma[w->depth] = 0;
}

void
jw_object_begin(struct jw *w)
{
	open_container(w, '{');
}

void
jw_object_end(struct jw *w)
{
	w->depth--;
	putch(w, '}');
}

void
jw_array_begin(struct jw *w)
{
	open_container(w, '[');
}

void
jw_array_end(struct jw *w)
{
	w->depth--;
	putch(w, ']');
}

void
jw_keyn(struct jw *w, const char *key, size_t len)
{
	if (w->need_comma[w->depth])
		putch(w, ',');
	w->need_comma[w->depth] = 1;
	put_escaped(w, key, len);
	putch(w, ':');
	w->after_key = 1;
}

void
jw_key(struct jw *w, const char *key)
{
	jw_keyn(w, key, strlen(key));
}

void
jw_string(struct jw *w, const char *s, size_t len)
{
	before_value(w);
	put_escaped(w, s, len);
}

void
jw_cstring(struct jw *w, const char *s)
{
	if (s == NULL)
		jw_null(w);
	else
		jw_string(w, s, strlen(s));
}

void
jw_int(struct jw *w, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	/* Through uint64_t, so that INT64_MIN has a magnitude. */
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	before_value(w);
	put(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
jw_number_text(struct jw *w, const char *s, size_t len)
{
	before_value(w);
	put(w, s, len);
}

void
jw_bool(struct jw *w, int b)
{
	before_value(w);
	if (b)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void
jw_null(struct jw *w)
{
	before_value(w);
	put(w, "null", 4);
}

void
jw_time(struct jw *w, int64_t t)
{
	char buf[RTIME_BUFSIZE];
	size_t n;

	rtime_format(t, buf);
	n = strlen(buf);
	before_value(w);
	reserve(w, n + 2);
	w->buf[w->len++] = '"';
	memcpy(w->buf + w->len, buf, n);
	w->len += n;
	w->buf[w->len++] = '"';
}

void
jw_value(struct jw *w, const struct json_value *v)
{
	size_t i;

	if (v == NULL) {
		jw_null(w);
		return;
	}
	switch (v->type) {
	case JSON_NULL:
		jw_null(w);
		break;
	case JSON_FALSE:
		jw_bool(w, 0);
		break;
	case JSON_TRUE:
		jw_bool(w, 1);
		break;
	case JSON_NUMBER:
		jw_number_text(w, v->u.text, v->len);
		break;
	case JSON_STRING:
		jw_string(w, v->u.text, v->len);
		break;
	case JSON_ARRAY:
		jw_array_begin(w);
		for (i = 0; i < v->len; i++)
			jw_value(w, &v->u.items[i]);
		jw_array_end(w);
		break;
	case JSON_OBJECT:
		jw_object_begin(w);
		for (i = 0; i < v->len; i++) {
			jw_keyn(w, v->u.members[i].key, v->u.members[i].keylen);
			jw_value(w, &v->u.members[i].value);
		}
		jw_object_end(w);
		break;
	}
}

void
jw_kv_string(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_cstring(w, s);
}

void
jw_kv_int(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void
jw_kv_value(struct jw *w, const char *key, const struct json_value *v)
{
	jw_key(w, key);
	jw_value(w, v);
}

void
jw_kv_time(struct jw *w, const char *key, int64_t t)
{
	jw_key(w, key);
	jw_time(w, t);
}

void
jw_raw_line(struct jw *w, const char *line, size_t len)
{
	put(w, line, len);
	jw_end_record(w);
}

void
jw_end_record(struct jw *w)
{
	putch(w, '\n');
	w->depth = 0;
	w->after_key = 0;
	w->need_comma[0] = 0;
	if (w->len >= w->cap / 2) {
		if (fwrite(w->buf, 1, w->len, w->fp) != w->len)
			moc_die_sys(EXIT_DATA, "write error on %s", w->name);
		w->len = 0;
	}
}
