/*
 * json.h: a compact DOM for one JSON document at a time.
 *
 * A parser owns an arena that is reused for every document, so reading a
 * stream of records costs no allocation once the arena has grown to the
 * largest record.  Strings and numbers are kept as their text (numbers are
 * never converted to binary floating point behind the caller's back).
 */
#ifndef MOC_JSON_H
#define MOC_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json_member;

struct json_value {
	enum json_type	 type;
	size_t		 len;	/* bytes of text, or count of items/members */
	union {
		const char		*text;	/* string or number, NUL-ended */
		struct json_value	*items;
		struct json_member	*members;
	} u;
};

struct json_member {
	const char		*key;	/* NUL-ended */
	size_t			 keylen;
	struct json_value	 value;
};

struct json_parser;

struct json_parser	*json_parser_new(void);
void			 json_parser_free(struct json_parser *);

/*
 * Parse exactly one document from buf.  The result lives until the next call
 * on the same parser.  NULL on error; json_parser_error() then says why and
 * json_parser_offset() where (a byte offset into buf).
 */
const struct json_value	*json_parse(struct json_parser *, const char *buf,
			    size_t len);
const char		*json_parser_error(const struct json_parser *);
size_t			 json_parser_offset(const struct json_parser *);

/* Member lookup (NULL when obj is not an object or has no such key). */
const struct json_value	*json_get(const struct json_value *obj,
			    const char *key);
const struct json_value	*json_getn(const struct json_value *obj,
			    const char *key, size_t keylen);

/* The text of a string value, or NULL for any other type (or NULL v). */
const char		*json_string(const struct json_value *v);
/* A string member's text, or NULL. */
const char		*json_get_string(const struct json_value *obj,
			    const char *key);
/* An integer-valued number (no fraction, no exponent); -1 if not one. */
int			 json_int64(const struct json_value *v, int64_t *out);
/* Any JSON number, converted for display or comparison only. */
int			 json_double(const struct json_value *v, double *out);
/* Whether a value is present and not null. */
int			 json_present(const struct json_value *v);
const char		*json_type_name(enum json_type);

#endif
