/*
 * rec.c: the record reader.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rec.h"
#include "util.h"

#define READ_CHUNK	(256 * 1024)

struct rec_reader {
	int			 fd;
	char			*name;
	size_t			 max_len;
	char			*buf;		/* read buffer */
	size_t			 start, end;	/* unread bytes: buf[start..end) */
	int			 eof;
	char			*line;		/* assembled long line */
	size_t			 line_cap;
	const char		*cur;		/* current line */
	size_t			 cur_len;
	size_t			 lineno;
	unsigned long long	 bytes;
	struct json_parser	*parser;
	char			 error[320];
	char			 where[512];
};

struct rec_reader *
rec_open(int fd, const char *name, size_t max_len)
{
	struct rec_reader *r = moc_xcalloc(1, sizeof(*r));

	r->fd = fd;
	r->name = moc_xstrdup(name != NULL ? name : "<stdin>");
	r->max_len = max_len != 0 ? max_len : REC_DEFAULT_MAX;
	r->buf = moc_xmalloc(READ_CHUNK);
	r->parser = json_parser_new();
	return r;
}

void
rec_close(struct rec_reader *r)
{
	if (r == NULL)
		return;
	json_parser_free(r->parser);
	free(r->buf);
	free(r->line);
	free(r->name);
	free(r);
}

/* Refill the read buffer; returns bytes read, 0 at end of input. */
static size_t
fill(struct rec_reader *r)
{
	ssize_t n;

	r->start = r->end = 0;
	if (r->eof)
		return 0;
	do
		n = read(r->fd, r->buf, READ_CHUNK);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		moc_die_sys(EXIT_DATA, "%s: read error", r->name);
	if (n == 0)
		r->eof = 1;
	r->end = (size_t)n;
	r->bytes += (unsigned long long)n;
	return (size_t)n;
}

static void
line_append(struct rec_reader *r, size_t *len, const char *s, size_t n)
{
	if (*len + n > r->line_cap) {
		size_t cap = r->line_cap ? r->line_cap : READ_CHUNK;
		while (cap < *len + n)
			cap *= 2;
		r->line = moc_xrealloc(r->line, cap);
		r->line_cap = cap;
	}
	memcpy(r->line + *len, s, n);
	*len += n;
}

enum rec_status
rec_read_line(struct rec_reader *r, const char **line, size_t *len)
{
	size_t have = 0;
	int too_long = 0, got_any = 0;

	r->error[0] = '\0';
	for (;;) {
		char *nl;
		size_t avail;

		if (r->start == r->end && fill(r) == 0)
			break;
		got_any = 1;
		avail = r->end - r->start;
		nl = memchr(r->buf + r->start, '\n', avail);
		if (nl != NULL) {
			size_t n = (size_t)(nl - (r->buf + r->start));
			const char *s = r->buf + r->start;

			r->start += n + 1;
			r->lineno++;
			if (too_long || have + n > r->max_len)
				goto long_line;
			if (have == 0) {
				/* In place: the common, copy-free case. */
				r->cur = s;
				r->cur_len = n;
			} else {
				line_append(r, &have, s, n);
				r->cur = r->line;
				r->cur_len = have;
			}
			*line = r->cur;
			*len = r->cur_len;
			return REC_OK;
		}
		if (!too_long && have + avail > r->max_len)
			too_long = 1;
		if (!too_long)
			line_append(r, &have, r->buf + r->start, avail);
		r->start = r->end;
	}
	if (!got_any && have == 0 && !too_long)
		return REC_EOF;
	/* An unterminated last line. */
	r->lineno++;
	if (too_long)
		goto long_line;
	r->cur = r->line;
	r->cur_len = have;
	*line = r->cur;
	*len = r->cur_len;
	return REC_OK;

long_line:
	r->cur = "";
	r->cur_len = 0;
	snprintf(r->error, sizeof(r->error),
	    "record longer than the limit of %zu bytes", r->max_len);
	return REC_TOO_LONG;
}

enum rec_status
rec_next(struct rec_reader *r, const struct json_value **rec)
{
	const char *line;
	size_t len, i;
	enum rec_status st;

	for (;;) {
		st = rec_read_line(r, &line, &len);
		if (st != REC_OK)
			return st;
		for (i = 0; i < len; i++)
			if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				break;
		if (i < len)
			break;
	}
	*rec = json_parse(r->parser, line, len);
	if (*rec == NULL) {
		snprintf(r->error, sizeof(r->error), "bad JSON at byte %zu: %s",
		    json_parser_offset(r->parser) + 1,
		    json_parser_error(r->parser));
		return REC_BAD_JSON;
	}
	if ((*rec)->type != JSON_OBJECT) {
		snprintf(r->error, sizeof(r->error),
		    "record is a JSON %s, not an object",
		    json_type_name((*rec)->type));
		return REC_NOT_OBJECT;
	}
	return REC_OK;
}

const char *
rec_line(const struct rec_reader *r, size_t *len)
{
	*len = r->cur_len;
	return r->cur;
}

size_t
rec_lineno(const struct rec_reader *r)
{
	return r->lineno;
}

const char *
rec_name(const struct rec_reader *r)
{
	return r->name;
}

const char *
rec_error(const struct rec_reader *r)
{
	return r->error;
}

const char *
rec_where(struct rec_reader *r)
{
	snprintf(r->where, sizeof(r->where), "%s:%zu", r->name, r->lineno);
	return r->where;
}

unsigned long long
rec_bytes(const struct rec_reader *r)
{
	return r->bytes;
}

const char *
rec_type(const struct json_value *rec)
{
	return json_get_string(rec, "type");
}
