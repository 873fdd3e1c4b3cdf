/* Unit tests for lib/rec.c: lines, numbers, limits, bad records. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rec.h"

static int
pipe_with(const char *data, size_t len)
{
	char path[] = "/tmp/test-rec.XXXXXX";
	int fd = mkstemp(path);

	if (fd == -1 || write(fd, data, len) != (ssize_t)len)
		exit(2);
	unlink(path);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

int
main(void)
{
	const char *data = "{\"type\":\"a\"}\n\n  \n{\"type\":\"b\",\"x\":1}\n"
	    "[1]\n{bad\n{\"type\":\"c\"}";
	int fd = pipe_with(data, strlen(data));
	struct rec_reader *r = rec_open(fd, "input.jsonl", 0);
	const struct json_value *v;
	const char *line;
	size_t len;

	CHECK(rec_next(r, &v) == REC_OK);
	CHECK_STR(rec_type(v), "a");
	CHECK(rec_lineno(r) == 1);
	CHECK(rec_next(r, &v) == REC_OK);
	CHECK_STR(rec_type(v), "b");
	CHECK(rec_lineno(r) == 4);
	line = rec_line(r, &len);
	CHECK(len == 18 && memcmp(line, "{\"type\":\"b\",\"x\":1}", 18) == 0);
	CHECK(rec_next(r, &v) == REC_NOT_OBJECT);
	CHECK(rec_lineno(r) == 5);
	CHECK(rec_next(r, &v) == REC_BAD_JSON);
	CHECK(strstr(rec_error(r), "bad JSON") != NULL);
	CHECK_STR(rec_where(r), "input.jsonl:6");
	CHECK(rec_next(r, &v) == REC_OK);	/* unterminated last line */
	CHECK_STR(rec_type(v), "c");
	CHECK(rec_next(r, &v) == REC_EOF);
	rec_close(r);
	close(fd);

	/* A line over the limit is skipped whole; the next one reads. */
	{
		size_t n = 3 * 256 * 1024, i;
		char *big = malloc(n + 64);
		for (i = 0; i < n; i++)
			big[i] = 'x';
		memcpy(big + n, "\n{\"type\":\"after\"}\n", 19);
		fd = pipe_with(big, n + 19);
		r = rec_open(fd, "big", 1000);
		CHECK(rec_read_line(r, &line, &len) == REC_TOO_LONG);
		CHECK(strstr(rec_error(r), "1000 bytes") != NULL);
		CHECK(rec_next(r, &v) == REC_OK);
		CHECK_STR(rec_type(v), "after");
		CHECK(rec_lineno(r) == 2);
		rec_close(r);
		close(fd);

		/* Lines that span read buffers are assembled whole. */
		memcpy(big, "{\"type\":\"long\",\"pad\":\"", 22);
		memcpy(big + n - 2, "\"}", 2);
		fd = pipe_with(big, n + 19);
		r = rec_open(fd, "big", 0);
		CHECK(rec_next(r, &v) == REC_OK);
		CHECK_STR(rec_type(v), "long");
		CHECK(json_get(v, "pad")->len == n - 24);
		CHECK(rec_next(r, &v) == REC_OK);
		CHECK_STR(rec_type(v), "after");
		CHECK(rec_bytes(r) == n + 19);
		rec_close(r);
		close(fd);
		free(big);
	}
	return check_done();
}
