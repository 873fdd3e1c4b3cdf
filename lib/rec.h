/*
 * rec.h: reading a record stream (JSON Lines) with line numbers.
 *
 * Lines are read with read(2) into a reused buffer; a line that fits the
 * buffer is handed out in place, a longer one is assembled up to the
 * maximum record size.  A line over the maximum is skipped to its end and
 * reported, so an endless line cannot take the machine's memory.  An
 * unterminated last line is accepted.
 */
#ifndef MOC_REC_H
#define MOC_REC_H

#include <stddef.h>

#include "json.h"

#define REC_DEFAULT_MAX	(64UL * 1024 * 1024)

enum rec_status {
	REC_OK = 1,
	REC_EOF = 0,
	REC_TOO_LONG = -1,	/* the line was skipped */
	REC_BAD_JSON = -2,	/* rec_error() says why */
	REC_NOT_OBJECT = -3
};

struct rec_reader;

/* fd is read, never closed; name is used in messages ("<stdin>"). */
struct rec_reader	*rec_open(int fd, const char *name, size_t max_len);
void			 rec_close(struct rec_reader *);

/* The next line, without its newline. */
enum rec_status		 rec_read_line(struct rec_reader *, const char **line,
			    size_t *len);
/* The next line parsed as a JSON object; blank lines are skipped. */
enum rec_status		 rec_next(struct rec_reader *,
			    const struct json_value **rec);

/* The current line (as read by the last call) and its number. */
const char		*rec_line(const struct rec_reader *, size_t *len);
size_t			 rec_lineno(const struct rec_reader *);
const char		*rec_name(const struct rec_reader *);
const char		*rec_error(const struct rec_reader *);
/* "name:line: " prefix helper for messages: rec_where(r) */
const char		*rec_where(struct rec_reader *);
/* Total bytes read so far. */
unsigned long long	 rec_bytes(const struct rec_reader *);

/* A record's "type", or NULL when absent or not a string. */
const char		*rec_type(const struct json_value *rec);

#endif
