/*
 * jsqueeze.c: a resumable JSON checker that copies what it checks, less
 * the whitespace between tokens.
 *
 * Two state variables say where a piece ended: the lexical state (between
 * tokens, inside a string, an escape, a UTF-8 sequence, a number or a
 * literal) and what the grammar expects next.  Most of a body is string
 * text, so a string's plain bytes are found 16 at a time where SSE2 exists
 * and copied with memcpy; everything else goes a byte at a time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "jsqueeze.h"
#include "util.h"

enum lex {
	L_TOKEN, /* between tokens */
	L_STRING,
	L_ESCAPE,
	L_HEX,  /* need: hex digits of a \u left */
	L_UTF8, /* need: continuation bytes left */
	L_NUMBER,
	L_LITERAL
};

enum expect {
	X_VALUE,       /* a value: at the start, after ':', after ',' in [] */
	X_FIRST_VALUE, /* a value or ']' */
	X_KEY,         /* a key, after ',' in {} */
	X_FIRST_KEY,   /* a key or '}' */
	X_COLON,
	X_NEXT, /* ',' or the container's end */
	X_DONE  /* the value is whole: whitespace only */
};

/* Where a number is: the states a number may end in are the *_END ones. */
enum num {
	N_MINUS,
	N_ZERO_END,
	N_INT_END,
	N_DOT,
	N_FRAC_END,
	N_E,
	N_ESIGN,
	N_EXP_END
};

struct jsq {
	const struct jsq_callbacks *cb;
	void *ctx;
	enum lex lex;
	enum expect expect;
	enum num num;
	int need;
	const char *lit; /* the rest of "true", "false" or "null" */
	enum jsq_scalar lit_kind;
	int in_key;  /* the string is a key */
	int capture; /* its text is wanted: a key reported, a wanted value */
	int escaped;
	size_t quiet; /* the depth of the container start() silenced, or 0 */
	/*
	 * A key or a wanted string is read where it lies in the output (from
	 * offset from) while it stays within one piece; it is copied to cap
	 * only when it spans pieces.
	 */
	int direct;
	size_t from;
	char *cap; /* a string being captured, raw */
	size_t caplen, capsize;
	unsigned char *stack; /* '{' or '[' per open container */
	size_t depth, stacksize;
	size_t off; /* bytes read before this piece */
	const char *err;
	size_t err_off;
	char msg[160];
};

struct jsq *
jsq_new(const struct jsq_callbacks *cb, void *ctx)
{
	struct jsq *z = moc_xcalloc(1, sizeof(*z));

	z->cb = cb;
	z->ctx = ctx;
	jsq_reset(z);
	return z;
}

void
jsq_free(struct jsq *z)
{
	if (z == NULL)
		return;
	free(z->cap);
	free(z->stack);
	free(z);
}

void
jsq_reset(struct jsq *z)
{
	z->lex = L_TOKEN;
	z->expect = X_VALUE;
	z->depth = 0;
	z->quiet = 0;
	z->off = 0;
	z->caplen = 0;
	z->err = NULL;
	z->msg[0] = '\0';
}

const char *
jsq_error(const struct jsq *z)
{
	return z->err != NULL ? z->msg : NULL;
}

static void
set_error(struct jsq *z, size_t at, const char *what)
{
	z->err = what;
	z->err_off = at;
	snprintf(z->msg, sizeof(z->msg), "%s at byte %zu", what, at);
}

/* Bytes from s that need no look: not '"', '\\', a control or non-ASCII. */
/* clang-format off */
static const unsigned char plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0),
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,    /* 0x20: '"' */
    R16(1), R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,    /* 0x50: '\\' */
    R16(1), R16(1),
    R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0)
#undef R16
};
/* clang-format on */

#if defined(__SSE2__) && defined(__GNUC__)
/* A mask of the bytes of v that need a look. */
static inline int
special16(__m128i v)
{
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(' ');

	/* Signed: bytes 0x80-0xff are negative, below ' ' too. */
	return _mm_movemask_epi8(_mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
	    _mm_cmplt_epi8(v, space)));
}
#endif

/* How many bytes from s need no look: not '"', '\\', a control or 8-bit. */
static size_t
plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__) && defined(__GNUC__)
	for (; i + 16 <= n; i += 16) {
		int bits = special16(
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
		if (bits != 0)
			return i + (size_t)__builtin_ctz((unsigned)bits);
	}
#endif
	while (i < n && plain[s[i]])
		i++;
	return i;
}

/*
 * The same, copying them to o on the way, 16 at a time: o must not
 * overlap s, and may get up to 15 bytes past the run (still within the n
 * bytes it has room for).
 */
static size_t
copy_run(const unsigned char *s, size_t n, char *o)
{
	size_t i = 0;

#if defined(__SSE2__) && defined(__GNUC__)
	for (; i + 16 <= n; i += 16) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		int bits = special16(v);
		_mm_storeu_si128((__m128i *)(void *)(o + i), v);
		if (bits != 0)
			return i + (size_t)__builtin_ctz((unsigned)bits);
	}
#endif
	while (i < n && plain[s[i]]) {
		o[i] = (char)s[i];
		i++;
	}
	return i;
}

static void
cap_add(struct jsq *z, const unsigned char *s, size_t n)
{
	if (z->caplen + n + 1 > z->capsize) {
		size_t size = z->capsize ? z->capsize : 64;
		while (size < z->caplen + n + 1)
			size *= 2;
		z->cap = moc_xrealloc(z->cap, size);
		z->capsize = size;
	}
	memcpy(z->cap + z->caplen, s, n);
	z->caplen += n;
}

static unsigned
hex4(const char *s)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];
		v = v * 16 +
		    (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The captured string's escapes decoded in place (the text only shrinks):
 * a surrogate pair becomes one character, a high surrogate without its
 * pair '?'.
 */
static void
unescape(struct jsq *z)
{
	char *s = z->cap, *o = z->cap;
	size_t i = 0, n = z->caplen;

	while (i < n) {
		char c = s[i++];
		unsigned cp;

		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = s[i++];
		switch (c) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			cp = hex4(s + i);
			i += 4;
			if ((cp & 0xfc00) == 0xd800) {
				unsigned lo;
				if (i + 6 > n || s[i] != '\\' ||
				    s[i + 1] != 'u' ||
				    ((lo = hex4(s + i + 2)) & 0xfc00) !=
				        0xdc00) {
					*o++ = '?';
					break;
				}
				i += 6;
				cp = 0x10000 + ((cp & 0x3ff) << 10) +
				    (lo & 0x3ff);
			}
			o += put_utf8(o, cp);
			break;
		default: /* '"', '\\' and '/' stand for themselves */
			*o++ = c;
			break;
		}
	}
	z->caplen = (size_t)(o - z->cap);
	z->cap[z->caplen] = '\0';
}

static void
value_done(struct jsq *z)
{
	z->expect = z->depth == 0 ? X_DONE : X_NEXT;
}

static void
scalar(struct jsq *z, enum jsq_scalar kind)
{
	if (z->quiet == 0 && z->cb->scalar != NULL)
		z->cb->scalar(z->ctx, kind);
	value_done(z);
}

/*
 * A string's closing quote; its text (the wanted ones') ends at out + k,
 * or is in cap.
 */
static void
string_end(struct jsq *z, const char *out, size_t k)
{
	const char *text;
	size_t len;

	z->lex = L_TOKEN;
	if (!z->capture) {
		if (z->in_key)
			z->expect = X_COLON;
		else
			scalar(z, JSQ_STRING);
		return;
	}
	if (z->direct && !z->escaped) {
		text = out + z->from;
		len = k - z->from;
	} else {
		if (z->direct)
			cap_add(z, (const unsigned char *)out + z->from,
			    k - z->from);
		z->direct = 0;
		if (z->escaped)
			unescape(z);
		text = z->cap != NULL ? z->cap : "";
		len = z->caplen;
	}
	if (z->in_key) {
		if (z->cb->key != NULL)
			z->cb->key(z->ctx, text, len);
		z->expect = X_COLON;
		return;
	}
	z->cb->string(z->ctx, text, len);
	value_done(z);
}

static int
expects_value(const struct jsq *z)
{
	return z->expect == X_VALUE || z->expect == X_FIRST_VALUE;
}

/* What yajl says of a token the grammar does not take here. */
static const char *
misplaced(const struct jsq *z)
{
	switch (z->expect) {
	case X_KEY:
	case X_FIRST_KEY:
		return "parse error: invalid object key (must be a string)";
	case X_COLON:
		return "parse error: object key and value must be separated "
		       "by a colon (':')";
	case X_NEXT:
		return z->stack[z->depth - 1] == '{'
		    ? "parse error: after key and value, inside map, I "
		      "expect ',' or '}'"
		    : "parse error: after array element, I expect ',' or ']'";
	case X_DONE:
		return "parse error: trailing garbage";
	default:
		return "parse error: unallowed token at this point in JSON "
		       "text";
	}
}

static void
push(struct jsq *z, unsigned char c)
{
	if (z->depth == z->stacksize) {
		z->stacksize = z->stacksize ? z->stacksize * 2 : 64;
		z->stack = moc_xrealloc(z->stack, z->stacksize);
	}
	z->stack[z->depth++] = c;
	if (z->quiet == 0 && z->cb->start != NULL && z->cb->start(z->ctx))
		z->quiet = z->depth;
	z->expect = c == '{' ? X_FIRST_KEY : X_FIRST_VALUE;
}

/* '}' or ']': 0, or -1 when it closes nothing open. */
static int
pop(struct jsq *z, unsigned char c)
{
	unsigned char open = c == '}' ? '{' : '[';

	if (z->depth == 0 || z->stack[z->depth - 1] != open)
		return -1;
	if (open == '{' && z->expect != X_FIRST_KEY && z->expect != X_NEXT)
		return -1;
	if (open == '[' && z->expect != X_FIRST_VALUE && z->expect != X_NEXT)
		return -1;
	/* The end of the container that start() silenced is reported. */
	if (z->quiet == z->depth)
		z->quiet = 0;
	z->depth--;
	if (z->quiet == 0 && open == '{' && z->cb->end_map != NULL)
		z->cb->end_map(z->ctx);
	else if (z->quiet == 0 && open == '[' && z->cb->end_array != NULL)
		z->cb->end_array(z->ctx);
	value_done(z);
	return 0;
}

/* A '"' between tokens: a key or a string value begins. */
static int
string_start(struct jsq *z)
{
	if (z->expect == X_KEY || z->expect == X_FIRST_KEY) {
		z->in_key = 1;
		z->capture = z->quiet == 0;
	} else if (expects_value(z)) {
		z->in_key = 0;
		z->capture = z->quiet == 0 && z->cb->want != NULL &&
		    z->cb->string != NULL && z->cb->want(z->ctx);
	} else
		return -1;
	z->lex = L_STRING;
	z->escaped = 0;
	z->caplen = 0;
	return 0;
}

/*
 * One character between tokens, c at offset at.  0 when taken, -1 on an
 * error; *keep says whether it goes to the output.
 */
static int
token(struct jsq *z, unsigned char c, size_t at, int *keep)
{
	*keep = 1;
	switch (c) {
	case ' ':
	case '\t':
	case '\n':
	case '\r':
		*keep = 0;
		return 0;
	case '\v':
	case '\f':
		return 0; /* whitespace to yajl, kept as it always was */
	case '{':
	case '[':
		if (!expects_value(z))
			break;
		push(z, c);
		return 0;
	case '}':
	case ']':
		if (pop(z, c) != 0)
			break;
		return 0;
	case ',':
		if (z->expect != X_NEXT)
			break;
		z->expect = z->stack[z->depth - 1] == '{' ? X_KEY : X_VALUE;
		return 0;
	case ':':
		if (z->expect != X_COLON)
			break;
		z->expect = X_VALUE;
		return 0;
	case '"':
		if (string_start(z) != 0)
			break;
		return 0;
	case 't':
	case 'f':
	case 'n':
		if (!expects_value(z))
			break;
		z->lex = L_LITERAL;
		z->lit = c == 't' ? "rue" : c == 'f' ? "alse" : "ull";
		z->lit_kind = c == 't' ? JSQ_TRUE
		    : c == 'f'         ? JSQ_FALSE
		                       : JSQ_NULL;
		return 0;
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		if (!expects_value(z))
			break;
		z->lex = L_NUMBER;
		z->num = c == '-' ? N_MINUS : c == '0' ? N_ZERO_END : N_INT_END;
		return 0;
	default:
		set_error(z, at, "lexical error: invalid char in json text");
		return -1;
	}
	set_error(z, at, misplaced(z));
	return -1;
}

static const char *
number_needs(enum num n)
{
	switch (n) {
	case N_MINUS:
		return "lexical error: malformed number, a digit is required "
		       "after the minus sign";
	case N_DOT:
		return "lexical error: malformed number, a digit is required "
		       "after the decimal point";
	default:
		return "lexical error: malformed number, a digit is required "
		       "after the exponent";
	}
}

/* 1 when c goes on the number, 0 when the number ended before it, -1. */
static int
number(struct jsq *z, unsigned char c, size_t at)
{
	int digit = c >= '0' && c <= '9';

	switch (z->num) {
	case N_MINUS:
		if (digit) {
			z->num = c == '0' ? N_ZERO_END : N_INT_END;
			return 1;
		}
		break;
	case N_ZERO_END:
	case N_INT_END:
		if (digit && z->num == N_INT_END)
			return 1;
		if (c == '.') {
			z->num = N_DOT;
			return 1;
		}
		if (c == 'e' || c == 'E') {
			z->num = N_E;
			return 1;
		}
		return 0;
	case N_DOT:
	case N_FRAC_END:
		if (digit) {
			z->num = N_FRAC_END;
			return 1;
		}
		if (z->num == N_DOT)
			break;
		if (c == 'e' || c == 'E') {
			z->num = N_E;
			return 1;
		}
		return 0;
	case N_E:
		if (c == '+' || c == '-') {
			z->num = N_ESIGN;
			return 1;
		}
		/* FALLTHROUGH */
	case N_ESIGN:
	case N_EXP_END:
		if (digit) {
			z->num = N_EXP_END;
			return 1;
		}
		if (z->num == N_EXP_END)
			return 0;
		break;
	}
	set_error(z, at, number_needs(z->num));
	return -1;
}

static int
number_may_end(enum num n)
{
	return n == N_ZERO_END || n == N_INT_END || n == N_FRAC_END ||
	    n == N_EXP_END;
}

/* A non-ASCII byte opening a UTF-8 sequence: continuation bytes, or -1. */
static int
utf8_need(unsigned char c)
{
	if ((c >> 5) == 0x6)
		return 1;
	if ((c >> 4) == 0xe)
		return 2;
	if ((c >> 3) == 0x1e)
		return 3;
	return -1;
}

/* One special byte inside a string (not a plain one): 0 or -1. */
static int
string_byte(struct jsq *z, unsigned char c, size_t at)
{
	switch (z->lex) {
	case L_STRING:
		if (c == '\\') {
			z->lex = L_ESCAPE;
			z->escaped = 1;
		} else if (c < 0x20) {
			set_error(z, at,
			    "lexical error: invalid character inside string");
			return -1;
		} else if ((z->need = utf8_need(c)) < 0) {
			set_error(z, at,
			    "lexical error: invalid bytes in UTF8 string");
			return -1;
		} else
			z->lex = L_UTF8;
		return 0;
	case L_ESCAPE:
		if (c == 'u') {
			z->lex = L_HEX;
			z->need = 4;
		} else if (strchr("\"\\/bfnrt", c) != NULL && c != '\0')
			z->lex = L_STRING;
		else {
			set_error(z, at,
			    "lexical error: inside a string, '\\' occurs "
			    "before a character which it may not");
			return -1;
		}
		return 0;
	case L_HEX:
		if (!((c >= '0' && c <= '9') ||
		        ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))) {
			set_error(z, at,
			    "lexical error: invalid (non-hex) character occurs "
			    "after '\\u' inside string");
			return -1;
		}
		if (--z->need == 0)
			z->lex = L_STRING;
		return 0;
	default: /* L_UTF8 */
		if ((c >> 6) != 0x2) {
			set_error(z, at,
			    "lexical error: invalid bytes in UTF8 string");
			return -1;
		}
		if (--z->need == 0)
			z->lex = L_STRING;
		return 0;
	}
}

/*
 * The length of "null", "true" or "false" when the whole word is at s, or
 * 0 (it may go on in the next piece, or be wrong: the byte-by-byte path
 * decides).
 */
static size_t
whole_literal(const unsigned char *s, size_t n)
{
	if (n >= 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "true", 4) == 0))
		return 4;
	if (n >= 5 && memcmp(s, "false", 5) == 0)
		return 5;
	return 0;
}

/* Whether a string is open: its text goes on in the next piece. */
static int
in_string(const struct jsq *z)
{
	return z->lex == L_STRING || z->lex == L_ESCAPE || z->lex == L_HEX ||
	    z->lex == L_UTF8;
}

size_t
jsq_feed(struct jsq *z, const char *in, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, k = 0;
	int keep;
	/* Output apart from input: runs are copied as they are scanned. */
	int apart = out + n <= in || in + n <= out;
	/*
	 * The hot state in locals: every byte written through out could be
	 * *z as far as the compiler knows, so fields would be read again
	 * after each.  Helpers see z, so it is synced around their calls.
	 */
	enum lex lex = z->lex;
	enum expect expect = z->expect;
	/* A wanted string that began in an earlier piece is copied to cap. */
	int copying = in_string(z) && !z->direct && z->capture;

#define SYNC_OUT() (z->lex = lex, z->expect = expect)
#define SYNC_IN() (lex = z->lex, expect = z->expect)
	if (z->err != NULL)
		return 0;
	while (i < n) {
		unsigned char c;

		switch (lex) {
		case L_STRING: {
			size_t run;
			if (apart)
				run = copy_run(s + i, n - i, out + k);
			else {
				run = plain_run(s + i, n - i);
				if (out + k != in + i)
					memmove(out + k, in + i, run);
			}
			/* From the output: in place, the input has moved. */
			if (copying)
				cap_add(z, (unsigned char *)out + k, run);
			k += run;
			i += run;
			if (i == n)
				continue;
			c = s[i];
			if (c == '"') {
				SYNC_OUT();
				string_end(z, out, k);
				SYNC_IN();
				copying = 0;
				out[k++] = '"';
				i++;
				continue;
			}
			break; /* a special byte: below */
		}
		case L_TOKEN:
			/* Token after token here, without the outer dispatch.
			 */
			do {
				c = s[i];
				/* The commonest first: json.dumps writes ", "
				 * and
				 * ": ". */
				if (c == ' ') {
					i++;
					continue;
				}
				if (c == ',' && expect == X_NEXT)
					expect = z->stack[z->depth - 1] == '{'
					    ? X_KEY
					    : X_VALUE;
				else if (c == ':' && expect == X_COLON)
					expect = X_VALUE;
				else if ((c == 'n' || c == 't' || c == 'f') &&
				    (expect == X_VALUE ||
				        expect == X_FIRST_VALUE) &&
				    whole_literal(s + i, n - i) > 0) {
					size_t len =
					    whole_literal(s + i, n - i);
					memmove(out + k, in + i, len);
					k += len;
					i += len;
					SYNC_OUT();
					scalar(z,
					    c == 'n'       ? JSQ_NULL
					        : c == 't' ? JSQ_TRUE
					                   : JSQ_FALSE);
					SYNC_IN();
					continue;
				} else {
					SYNC_OUT();
					if (token(z, c, z->off + i, &keep) != 0)
						goto failed;
					SYNC_IN();
					if (!keep) {
						i++;
						continue;
					}
				}
				out[k++] = (char)c;
				i++;
				if (lex == L_STRING) {
					z->direct = 1;
					z->from = k;
					copying = 0;
				}
			} while (lex == L_TOKEN && i < n);
			continue;
		case L_NUMBER:
			c = s[i];
			/* Digits after digits need no state change. */
			if (c >= '0' && c <= '9' &&
			    (z->num == N_INT_END || z->num == N_FRAC_END ||
			        z->num == N_EXP_END)) {
				do
					out[k++] = (char)s[i++];
				while (i < n && s[i] >= '0' && s[i] <= '9');
				continue;
			}
			SYNC_OUT();
			switch (number(z, c, z->off + i)) {
			case 1:
				out[k++] = (char)c;
				i++;
				continue;
			case 0: /* c is the next token's */
				z->lex = L_TOKEN;
				scalar(z, JSQ_NUMBER);
				SYNC_IN();
				continue;
			default:
				goto failed;
			}
		case L_LITERAL:
			c = s[i];
			if (c != (unsigned char)*z->lit) {
				set_error(z, z->off + i,
				    "lexical error: invalid string in json "
				    "text");
				goto failed;
			}
			out[k++] = (char)c;
			i++;
			if (*++z->lit == '\0') {
				SYNC_OUT();
				z->lex = L_TOKEN;
				scalar(z, z->lit_kind);
				SYNC_IN();
			}
			continue;
		default:
			c = s[i];
			break;
		}
		/* A byte of a string that is not plain text. */
		SYNC_OUT();
		if (string_byte(z, c, z->off + i) != 0)
			goto failed;
		SYNC_IN();
		out[k++] = (char)c;
		if (copying)
			cap_add(z, &c, 1);
		i++;
	}
	SYNC_OUT();
	/* A wanted string goes on in the next piece: keep what came. */
	if (z->direct && in_string(z)) {
		if (z->capture)
			cap_add(z, (unsigned char *)out + z->from, k - z->from);
		z->direct = 0;
	}
failed:
	z->off += n;
	return k;
#undef SYNC_OUT
#undef SYNC_IN
}

int
jsq_finish(struct jsq *z)
{
	if (z->err != NULL)
		return -1;
	if (z->lex == L_NUMBER) {
		if (!number_may_end(z->num)) {
			set_error(z, z->off, number_needs(z->num));
			return -1;
		}
		z->lex = L_TOKEN;
		scalar(z, JSQ_NUMBER);
	}
	if (z->lex != L_TOKEN || z->expect != X_DONE) {
		set_error(z, z->off, "parse error: premature EOF");
		return -1;
	}
	return 0;
}
