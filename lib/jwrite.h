/*
 * jwrite.h: buffered JSON Lines writer.
 *
 * Commas and key/value separators are placed by the writer; the caller only
 * says what comes next.  Write errors (a full disk, a closed pipe) are fatal
 * with exit status 1 and a message naming the output.
 */
#ifndef MOC_JWRITE_H
#define MOC_JWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"

#define JW_MAX_DEPTH	256

struct jw {
	FILE		*fp;
	const char	*name;		/* for messages: "standard output" */
	char		*buf;
	size_t		 len, cap;
	int		 depth;
	int		 after_key;
	unsigned char	 need_comma[JW_MAX_DEPTH];
};

void	jw_init(struct jw *, FILE *, const char *name);
void	jw_free(struct jw *);

void	jw_object_begin(struct jw *);
void	jw_object_end(struct jw *);
void	jw_array_begin(struct jw *);
void	jw_array_end(struct jw *);
void	jw_key(struct jw *, const char *key);
void	jw_keyn(struct jw *, const char *key, size_t len);

void	jw_string(struct jw *, const char *s, size_t len);
void	jw_cstring(struct jw *, const char *s);	/* NULL writes null */
void	jw_int(struct jw *, int64_t);
void	jw_number_text(struct jw *, const char *s, size_t len);
void	jw_bool(struct jw *, int);
void	jw_null(struct jw *);
void	jw_time(struct jw *, int64_t t);	/* RFC 3339 UTC string */
void	jw_value(struct jw *, const struct json_value *); /* NULL: null */

/* Convenience: key and value together. */
void	jw_kv_string(struct jw *, const char *key, const char *s);
void	jw_kv_int(struct jw *, const char *key, int64_t);
void	jw_kv_value(struct jw *, const char *key, const struct json_value *);
void	jw_kv_time(struct jw *, const char *key, int64_t t);

/* A line already in record form, written as it is (newline added). */
void	jw_raw_line(struct jw *, const char *line, size_t len);
/* End the current record: newline, and flush when the buffer is full. */
void	jw_end_record(struct jw *);
void	jw_flush(struct jw *);

#endif
