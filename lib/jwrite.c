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

static void
reserve(struct jw *w, size_t n)
{
	if (w->len + n <= w->cap)
		return;
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

static void
put(struct jw *w, const char *s, size_t n)
{
	reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void
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

static void
put_escaped(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	putch(w, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"':	esc[1] = '"'; break;
		case '\\':	esc[1] = '\\'; break;
		case '\n':	esc[1] = 'n'; break;
		case '\r':	esc[1] = 'r'; break;
		case '\t':	esc[1] = 't'; break;
		case '\b':	esc[1] = 'b'; break;
		case '\f':	esc[1] = 'f'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			elen = 6;
		}
		put(w, esc, elen);
	}
	put(w, s + run, n - run);
	putch(w, '"');
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
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);

	before_value(w);
	put(w, tmp, (size_t)n);
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

	rtime_format(t, buf);
	jw_string(w, buf, strlen(buf));
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
