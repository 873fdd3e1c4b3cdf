/*
 * Unit tests for lib/jsqueeze.c, with yajl as the reference: for every
 * document (hand-written ones, then thousands of mutations of them) the
 * checker must agree with yajl on whether it is valid, report the same
 * events with the same decoded keys and strings, and write the text less
 * its whitespace, whatever the pieces it is fed in (every split point, and
 * one byte at a time).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "check.h"
#include "jsqueeze.h"

/* An event trace: "{", "}", "[", "]", "k:<key>", "s:<string>", "v". */
struct trace {
	char buf[8192];
	size_t len;
};

static void
add(struct trace *t, const char *what, const char *s, size_t n)
{
	size_t w = strlen(what);

	if (t->len + w + n + 2 > sizeof(t->buf))
		return;
	memcpy(t->buf + t->len, what, w);
	t->len += w;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len++] = '\n';
}

/* yajl's side. */
static int
y_null(void *c)
{
	add(c, "v", "", 0);
	return 1;
}
static int
y_bool(void *c, int b)
{
	(void)b;
	return y_null(c);
}
static int
y_number(void *c, const char *s, size_t n)
{
	(void)s;
	(void)n;
	return y_null(c);
}
static int
y_string(void *c, const unsigned char *s, size_t n)
{
	add(c, "s:", (const char *)s, n);
	return 1;
}
static int
y_start_map(void *c)
{
	add(c, "{", "", 0);
	return 1;
}
static int
y_key(void *c, const unsigned char *s, size_t n)
{
	add(c, "k:", (const char *)s, n);
	return 1;
}
static int
y_end_map(void *c)
{
	add(c, "}", "", 0);
	return 1;
}
static int
y_start_array(void *c)
{
	add(c, "[", "", 0);
	return 1;
}
static int
y_end_array(void *c)
{
	add(c, "]", "", 0);
	return 1;
}

static const yajl_callbacks ycb = {y_null, y_bool, NULL, NULL, y_number,
    y_string, y_start_map, y_key, y_end_map, y_start_array, y_end_array};

static int
yajl_ok(const char *s, size_t n, struct trace *t)
{
	yajl_handle h = yajl_alloc(&ycb, NULL, t);
	yajl_status st = yajl_parse(h, (const unsigned char *)s, n);

	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	yajl_free(h);
	return st == yajl_status_ok;
}

/*
 * yajl takes a string left open after the value ("{} \"abc") for nothing
 * at all; jsqueeze refuses it, since the text is not JSON.  Such a text
 * stays acceptable to yajl when one of these is added (whatever the open
 * string was in the middle of: plain text, an escape, \u digits or a UTF-8
 * sequence), while a complete value followed by any of them is refused.
 */
static int
open_string_after(const char *s, size_t n)
{
	static const char *const more[] = {
	    "x", "nx", "0000x", "\x80x", "\x80\x80x", "\x80\x80\x80x"};
	struct trace t;
	char buf[1024];
	size_t i, m;

	for (i = 0; i < sizeof(more) / sizeof(*more); i++) {
		m = strlen(more[i]);
		if (n + m > sizeof(buf))
			return 0;
		memcpy(buf, s, n);
		memcpy(buf + n, more[i], m);
		t.len = 0;
		if (yajl_ok(buf, n + m, &t))
			return 1;
	}
	return 0;
}

/* 0 when yajl takes the text as one whole value, else -1. */
static int
yajl_check(const char *s, size_t n, struct trace *t)
{
	return yajl_ok(s, n, t) && !open_string_after(s, n) ? 0 : -1;
}

/* jsqueeze's side: the same trace, every string asked for. */
static int
j_start(void *c)
{
	(void)c;
	return 0;
}
static void
j_end_map(void *c)
{
	add(c, "}", "", 0);
}
static void
j_end_array(void *c)
{
	add(c, "]", "", 0);
}
static void
j_key(void *c, const char *s, size_t n)
{
	add(c, "k:", s, n);
}
static int
j_want(void *c)
{
	(void)c;
	return 1;
}
static void
j_string(void *c, const char *s, size_t n)
{
	add(c, "s:", s, n);
}
static void
j_scalar(void *c, enum jsq_scalar k)
{
	(void)k;
	add(c, "v", "", 0);
}

static const struct jsq_callbacks jcb = {
    j_start, j_end_map, j_end_array, j_key, j_want, j_string, j_scalar};

/*
 * The start events carry no kind: fed one byte at a time, the byte being
 * read is the bracket that opened.
 */
struct jrun {
	struct trace t;
	char *out;
	size_t k;
	char c;
};

static struct jrun *cur;

static int
j_start_marked(void *c)
{
	(void)c;
	add(&cur->t, cur->c == '{' ? "{" : "[", "", 0);
	return 0;
}

static const struct jsq_callbacks jcb_marked = {
    j_start_marked, j_end_map, j_end_array, j_key, j_want, j_string, j_scalar};

/* Pieces of size step (0: split once at split). */
static int
jsq_check(const char *s, size_t n, size_t split, size_t step, struct jrun *r)
{
	struct jsq *z = jsq_new(&jcb_marked, &r->t);
	size_t i = 0;
	int rc;

	cur = r;
	r->out = malloc(n + 1);
	r->k = 0;
	while (i < n) {
		size_t m = step ? step : (i == 0 ? split : n - i);
		if (m > n - i)
			m = n - i;
		r->c = s[i];
		r->k += jsq_feed(z, s + i, m, r->out + r->k);
		i += m;
	}
	rc = jsq_finish(z);
	CHECK((rc == 0) == (jsq_error(z) == NULL));
	jsq_free(z);
	return rc;
}

/* The text less ' ', tab, CR, LF outside strings: the old squeeze. */
static size_t
squeezed(const char *s, size_t n, char *out)
{
	size_t i, k = 0;
	int in = 0, esc = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (in) {
			out[k++] = c;
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in = 0;
		} else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
			out[k++] = c;
			if (c == '"')
				in = 1;
		}
	}
	return k;
}

static int mismatches;

/* The trace less its "{" and "[" lines (jcb's start() writes none). */
static void
drop_starts(const struct trace *t, struct trace *out)
{
	size_t i = 0;

	out->len = 0;
	while (i < t->len) {
		const char *nl = memchr(t->buf + i, '\n', t->len - i);
		size_t n = (size_t)(nl - (t->buf + i)) + 1;
		if (!(n == 2 && (t->buf[i] == '{' || t->buf[i] == '['))) {
			memcpy(out->buf + out->len, t->buf + i, n);
			out->len += n;
		}
		i += n;
	}
}
static struct jsq *reused;
static struct trace reused_trace;

/*
 * A \u escape of a high surrogate: yajl joins it to whatever \u follows,
 * and eats the character after one left alone; jsqueeze writes '?' for one
 * without its pair.  Such strings are compared as text, not decoded.
 */
static int
high_surrogate(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 3 < n; i++)
		if (s[i] == '\\' && s[i + 1] == 'u' &&
		    (s[i + 2] == 'd' || s[i + 2] == 'D') &&
		    strchr("89abAB", s[i + 3]) != NULL && s[i + 3] != '\0')
			return 1;
	return 0;
}

/* One document, every way of feeding it; 0 valid, -1 not. */
static int
try_doc(const char *s, size_t n, int verbose)
{
	struct trace yt, yt_ends;
	struct jrun r;
	int yrc, jrc;
	size_t split;
	char *want = malloc(n + 1);
	size_t wantlen = squeezed(s, n, want);

	yt.len = 0;
	yrc = yajl_check(s, n, &yt);
	drop_starts(&yt, &yt_ends);
	/* One byte at a time, so the trace marks are exact. */
	r.t.len = 0;
	jrc = jsq_check(s, n, 0, 1, &r);
	if (jrc != yrc ||
	    (yrc == 0 && !high_surrogate(s, n) &&
	        (r.t.len != yt.len || memcmp(r.t.buf, yt.buf, yt.len))) ||
	    (yrc == 0 && (r.k != wantlen || memcmp(r.out, want, wantlen)))) {
		mismatches++;
		if (verbose || mismatches < 10)
			fprintf(stderr,
			    "mismatch (yajl %d, jsqueeze %d): %.*s\n", yrc, jrc,
			    (int)(n > 200 ? 200 : n), s);
	}
	free(r.out);
	/*
	 * Every split point, then whole, then in place, with one checker
	 * reset between documents as os-fetch reuses one between attempts.
	 */
	if (reused == NULL)
		reused = jsq_new(&jcb, &reused_trace);
	for (split = 1; split <= n; split++) {
		struct jsq *z = reused;
		char *out = malloc(n + 1);
		size_t k;
		jsq_reset(z);
		reused_trace.len = 0;
		k = jsq_feed(z, s, split, out);
		k += jsq_feed(z, s + split, n - split, out + k);
		jrc = jsq_finish(z);
		if (jrc != yrc ||
		    (yrc == 0 && (k != wantlen || memcmp(out, want, k) != 0)) ||
		    (yrc == 0 && !high_surrogate(s, n) &&
		        (reused_trace.len != yt_ends.len ||
		            memcmp(
		                reused_trace.buf, yt_ends.buf, yt_ends.len)))) {
			mismatches++;
			if (mismatches < 10)
				fprintf(stderr, "split %zu mismatch: %.*s\n",
				    split, (int)(n > 200 ? 200 : n), s);
		}
		free(out);
	}
	{
		struct jsq *z = jsq_new(&jcb, &r.t);
		char *copy = malloc(n + 1);
		size_t k;
		memcpy(copy, s, n);
		k = jsq_feed(z, copy, n, copy);
		jrc = jsq_finish(z);
		if (jrc != yrc ||
		    (yrc == 0 && (k != wantlen || memcmp(copy, want, k) != 0)))
			mismatches++;
		jsq_free(z);
		free(copy);
	}
	free(want);
	return yrc;
}

static const char *const docs[] = {
    "{}",
    "[]",
    " { } ",
    "{\"a\":1}",
    "{\"a\" : [1, 2.5, -3e10, 0, -0.0e+1]}",
    "{\"servers\": [{\"id\": \"x\", \"name\": \"n\\u00e9\\n\"}], "
    "\"servers_links\": [{\"rel\": \"next\", \"href\": \"h?marker=x\"}]}",
    "{\"links\": {\"next\": null, \"self\": \"s\"}, \"truncated\": true}",
    "[true, false, null, \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
    "\"\\ud83d\\ude00 \\u00e9\"",
    "\"\\udc00 \\ud800 x\"",
    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
    "1",
    "-1",
    "0",
    "1.5",
    "1e5",
    "1E+5",
    "1e-5",
    "\"\"",
    "null",
    "true",
    " \t\r\n{\"a\"\t:\n\"b c\" \r}\n ",
    "{\"a\":\v1\f}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "{\"a very long key that is longer than thirty-two bytes\": {\"b\": []}}",
    /* invalid */
    "",
    " ",
    "{",
    "}",
    "[",
    "]",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "[1,]",
    "[1 2]",
    "{\"a\":1 \"b\":2}",
    "{1:2}",
    "{\"a\"::1}",
    "01",
    "-",
    "-a",
    "1.",
    "1.e5",
    "1e",
    "1e+",
    ".5",
    "+1",
    "tru",
    "truex",
    "nul",
    "nulll",
    "falsy",
    "\"abc",
    "\"a\\x\"",
    "\"\\u12g4\"",
    "\"\\u12\"",
    "\"a\x01\"",
    "\"\x80\"",
    "\"\xc3\"",
    "\"\xc3(\"",
    "\"\xe2\x82\"",
    "\"\xf8\x80\x80\x80\x80\"",
    "\"\xff\"",
    "{} {}",
    "[] x",
    "{}}",
    "[]]",
    "[}",
    "{]",
    "/* c */ {}",
    "{\"a\":1}/",
    "\x00",
    "{\"a\":\"b\"\x00}",
    "[1,,2]",
    "[,1]",
    "{,}",
    "{\"a\":[1,{\"b\":[}]}",
    "nan",
    "Infinity",
    "[-]",
    "[1.5.3]",
    "[1e5e5]",
    "\"unterminated \\",
    "\"\\u",
    "[\"\\ud800\\u\"]",
};

/* A small deterministic generator for the mutations. */
static uint64_t rng = 88172645463325252ULL;
static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char alphabet[] = "{}[],:\" \\-0123456789.eE+tfnulrsa\x01\x80\xc3"
                               "\xa9\xe2\xf0\xff/\t\n";

static void
fuzz(void)
{
	size_t d, round;
	char buf[512];
	int valid = 0, invalid = 0;

	for (round = 0; round < 4000; round++) {
		const char *s =
		    docs[rnd((unsigned)(sizeof(docs) / sizeof(*docs)))];
		size_t n = strlen(s), m, e;
		if (n == 0 || n + 8 > sizeof(buf))
			continue;
		memcpy(buf, s, n);
		for (e = 0, m = 1 + rnd(3); e < m; e++) {
			size_t at = rnd((unsigned)n);
			char c = alphabet[rnd(sizeof(alphabet) - 1)];
			switch (rnd(3)) {
			case 0: /* replace */
				buf[at] = c;
				break;
			case 1: /* insert */
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = c;
				n++;
				break;
			default: /* delete */
				if (n > 1) {
					memmove(
					    buf + at, buf + at + 1, n - at - 1);
					n--;
				}
				break;
			}
		}
		d = (size_t)try_doc(buf, n, 0);
		if (d == 0)
			valid++;
		else
			invalid++;
	}
	/* The mutations must exercise both sides. */
	CHECK(valid > 100);
	CHECK(invalid > 100);
}

static char got[64];

static void
got_string(void *c, const char *s, size_t n)
{
	(void)c;
	snprintf(got, sizeof(got), "%.*s", (int)n, s);
}

static const struct jsq_callbacks decode_cb = {
    NULL, NULL, NULL, NULL, j_want, got_string, NULL};

/* Escapes decoded: a surrogate pair, a lone high surrogate, the rest. */
static void
decoding(void)
{
	static const char pair[] = "\"\\ud83d\\ude00\\u00e9\\/\\n\"";
	static const char lone[] = "\"a\\ud800b\"";
	struct jsq *z = jsq_new(&decode_cb, NULL);
	char out[64];

	jsq_feed(z, pair, strlen(pair), out);
	CHECK(jsq_finish(z) == 0);
	CHECK_STR(got, "\xf0\x9f\x98\x80\xc3\xa9/\n");
	jsq_reset(z);
	jsq_feed(z, lone, strlen(lone), out);
	CHECK(jsq_finish(z) == 0);
	CHECK_STR(got, "a?b");
	jsq_free(z);
}

/* A start() that silences the containers below the top one. */
static int quiet_depth;

static int
q_start(void *c)
{
	(void)c;
	return ++quiet_depth >= 2;
}

static void
q_end(void *c)
{
	add(c, "end", "", 0);
	quiet_depth--;
}

static const struct jsq_callbacks quiet_cb = {
    q_start, q_end, q_end, j_key, j_want, j_string, j_scalar};

/*
 * Nothing from inside a silenced container but its end; the document is
 * checked and copied all the same.
 */
static void
silenced(void)
{
	static const char doc[] =
	    "{\"a\": {\"b\": [1, {\"c\": \"d\"}], \"e\": \"f\"}, \"g\": \"h\","
	    " \"i\": [\"j\"], \"k\": 2}";
	static const char bad[] = "{\"a\": {\"b\": [1, {\"c\" \"d\"}]}}";
	struct trace t;
	struct jsq *z = jsq_new(&quiet_cb, &t);
	char out[sizeof(doc)];
	size_t k;

	t.len = 0;
	quiet_depth = 0;
	k = jsq_feed(z, doc, strlen(doc), out);
	CHECK(jsq_finish(z) == 0);
	CHECK(t.len == strlen("k:a\nend\nk:g\ns:h\nk:i\nend\nk:k\nv\nend\n") &&
	    memcmp(t.buf, "k:a\nend\nk:g\ns:h\nk:i\nend\nk:k\nv\nend\n",
	        t.len) == 0);
	CHECK(k == strlen(doc) - 12); /* its 12 spaces */
	jsq_reset(z);
	quiet_depth = 0;
	jsq_feed(z, bad, strlen(bad), out);
	CHECK(jsq_finish(z) == -1);
	jsq_free(z);
}

static void
no_error_after_error(void)
{
	struct trace t;
	struct jsq *z = jsq_new(&jcb, &t);
	char out[16];

	t.len = 0;
	CHECK(jsq_feed(z, "[x", 2, out) == 1);
	CHECK(jsq_feed(z, "]", 1, out) == 0);
	CHECK(jsq_finish(z) == -1);
	CHECK(strstr(jsq_error(z), "invalid char") != NULL);
	CHECK(strstr(jsq_error(z), "at byte 1") != NULL);
	jsq_reset(z);
	CHECK(jsq_error(z) == NULL);
	CHECK(jsq_feed(z, "[1]", 3, out) == 3);
	CHECK(jsq_finish(z) == 0);
	/* A NUL byte is no JSON character, in a string or out of one. */
	jsq_reset(z);
	jsq_feed(z, "[\0]", 3, out);
	CHECK(jsq_finish(z) == -1);
	jsq_reset(z);
	jsq_feed(z, "[\"\0\"]", 5, out);
	CHECK(jsq_finish(z) == -1);
	jsq_free(z);
}

int
main(void)
{
	size_t i;
	int valid = 0;

	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++)
		if (try_doc(docs[i], strlen(docs[i]), 1) == 0)
			valid++;
	/* The hand-written list is half valid, half not. */
	CHECK(valid == 25);
	no_error_after_error();
	decoding();
	silenced();
	fuzz();
	CHECK(mismatches == 0);
	jsq_free(reused);
	return check_done();
}
