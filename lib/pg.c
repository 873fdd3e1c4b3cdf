/*
 * pg.c: libpq helpers: connect, run, COPY in and out (see pg.h).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "util.h"

/*
 * COPY data goes out in messages of this size.  The server reads a whole
 * message before it parses any row of it, so a message larger than the
 * socket's buffer keeps the sender waiting while the server works, and the
 * two take turns instead of working at once: with 256kB messages a bulk
 * load took a third longer than with 32kB.
 */
#define COPY_CHUNK	(32 * 1024)

/*
 * Chunks made and not yet handed to libpq, at most this many bytes.  With
 * only the socket's buffer (about 200 kB) between them, the sender and
 * the server took turns: the server waited for rows while the sender
 * parsed, and the sender waited on a full socket while the server wrote
 * pages.  The connection is non-blocking during COPY: a chunk goes to
 * libpq when it has sent the last one, the sender goes on making rows,
 * and it waits only when this much is queued (so the queue's memory is
 * bounded, whatever the size of the load).
 */
#define COPY_QUEUE	(16 * 1024 * 1024)

struct chunk {
	struct chunk	*next;
	size_t		 len;
	char		 data[COPY_CHUNK];
};

struct pgx_copy {
	PGconn		*conn;
	struct chunk	*cur;		/* being filled */
	struct chunk	*head, *tail;	/* made, not yet handed to libpq */
	struct chunk	*spare;		/* one sent chunk, for reuse */
	size_t		 queued;	/* bytes from head to tail */
	int		 pending;	/* libpq holds unsent data */
};

const char *
pgx_error(PGconn *conn)
{
	static char msg[1024];
	const char *m = conn != NULL ? PQerrorMessage(conn) : "out of memory";
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == '\r'))
		n--;
	if (n >= sizeof(msg))
		n = sizeof(msg) - 1;
	memcpy(msg, m, n);
	msg[n] = '\0';
	return msg;
}

int
pgx_failure_status(PGconn *conn)
{
	return conn == NULL || PQstatus(conn) == CONNECTION_BAD ?
	    EXIT_TEMPFAIL : EXIT_DATA;
}

static void
die_pg(PGconn *conn, const char *what)
{
	moc_die(pgx_failure_status(conn), "%s: %s", what, pgx_error(conn));
}

PGconn *
pgx_connect(const char *conninfo, const char *appname)
{
	const char *keys[3] = { "dbname", "fallback_application_name", NULL };
	const char *vals[3] = { conninfo, appname, NULL };
	PQconninfoOption *opts;
	char *err = NULL;
	PGconn *conn;

	/* A conninfo that does not parse is the caller's mistake, not ours. */
	if (conninfo != NULL) {
		opts = PQconninfoParse(conninfo, &err);
		if (opts == NULL) {
			size_t n = err != NULL ? strlen(err) : 0;

			while (n > 0 && err[n - 1] == '\n')
				err[--n] = '\0';
			moc_die(EXIT_USAGE, "bad connection string: %s",
			    err != NULL ? err : "out of memory");
		}
		PQconninfoFree(opts);
	}
	/* expand_dbname: dbname may be a whole conninfo or URI. */
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
		moc_die(EXIT_TEMPFAIL, "cannot connect to the database: %s",
		    pgx_error(conn));
	return conn;
}

void
pgx_finish(PGconn *conn)
{
	if (conn != NULL)
		PQfinish(conn);
}

static void
check_result(PGconn *conn, PGresult *res, const char *sql)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return;
	/* The first line of the statement is enough to say which failed. */
	moc_die(pgx_failure_status(conn), "%s (in: %.60s)", pgx_error(conn),
	    sql);
}

void
pgx_exec(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	check_result(conn, res, sql);
	PQclear(res);
}

PGresult *
pgx_query(PGconn *conn, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res;

	res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	check_result(conn, res, sql);
	return res;
}

void
pgx_command(PGconn *conn, const char *sql, int nparams,
    const char *const *params)
{
	PQclear(pgx_query(conn, sql, nparams, params));
}

struct pgx_copy *
pgx_copy_begin(PGconn *conn, const char *sql)
{
	struct pgx_copy *c;
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_IN)
		check_result(conn, res, sql);
	PQclear(res);
	c = moc_xcalloc(1, sizeof(*c));
	c->conn = conn;
	c->cur = moc_xmalloc(sizeof(*c->cur));
	c->cur->len = 0;
	if (PQsetnonblocking(conn, 1) != 0)
		die_pg(conn, "COPY");
	return c;
}

static void
free_chunks(struct chunk *k)
{
	while (k != NULL) {
		struct chunk *next = k->next;
		free(k);
		k = next;
	}
}

/* Hand libpq what the socket takes now, without waiting. */
static void
copy_pump(struct pgx_copy *c)
{
	for (;;) {
		struct chunk *k;

		if (c->pending) {
			int r = PQflush(c->conn);
			if (r < 0)
				die_pg(c->conn, "COPY");
			c->pending = r;
			if (c->pending)
				return;
		}
		if ((k = c->head) == NULL)
			return;
		if (PQputCopyData(c->conn, k->data, (int)k->len) != 1)
			die_pg(c->conn, "COPY");
		c->pending = 1;
		c->head = k->next;
		if (c->head == NULL)
			c->tail = NULL;
		c->queued -= k->len;
		if (c->spare == NULL)
			c->spare = k;
		else
			free(k);
	}
}

/* Wait until the socket takes more, then pump. */
static void
copy_wait(struct pgx_copy *c)
{
	struct pollfd pfd;

	pfd.fd = PQsocket(c->conn);
	pfd.events = POLLOUT | POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0)
		die_pg(c->conn, "COPY");
	if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
		moc_die_sys(EXIT_TEMPFAIL, "COPY: poll");
	/* Input too: a server that hangs up or reports an error. */
	if ((pfd.revents & POLLIN) && PQconsumeInput(c->conn) == 0)
		die_pg(c->conn, "COPY");
	copy_pump(c);
}

/* The chunk being filled joins the queue. */
static void
copy_flush(struct pgx_copy *c)
{
	struct chunk *k = c->cur;

	if (k->len == 0)
		return;
	k->next = NULL;
	if (c->tail != NULL)
		c->tail->next = k;
	else
		c->head = k;
	c->tail = k;
	c->queued += k->len;
	if (c->spare != NULL) {
		c->cur = c->spare;
		c->spare = NULL;
	} else
		c->cur = moc_xmalloc(sizeof(*c->cur));
	c->cur->len = 0;
	copy_pump(c);
	while (c->queued > COPY_QUEUE)
		copy_wait(c);
}

/* Everything queued handed to libpq and sent; blocking again. */
static void
copy_drain(struct pgx_copy *c)
{
	copy_flush(c);
	copy_pump(c);
	while (c->head != NULL || c->pending)
		copy_wait(c);
	if (PQsetnonblocking(c->conn, 0) != 0)
		die_pg(c->conn, "COPY");
}

static void
copy_free(struct pgx_copy *c)
{
	free_chunks(c->head);
	free(c->cur);
	free(c->spare);
	free(c);
}

void
pgx_copy_write(struct pgx_copy *c, const char *buf, size_t len)
{
	size_t n;

	while (len > 0) {
		if (c->cur->len == COPY_CHUNK)
			copy_flush(c);
		n = COPY_CHUNK - c->cur->len;
		if (n > len)
			n = len;
		memcpy(c->cur->data + c->cur->len, buf, n);
		c->cur->len += n;
		buf += n;
		len -= n;
	}
}

void
pgx_copy_field(struct pgx_copy *c, const char *s, size_t len)
{
	size_t i, start = 0;
	char esc[2] = { '\\', 0 };

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\\': esc[1] = '\\'; break;
		case '\t': esc[1] = 't'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		default: continue;
		}
		pgx_copy_write(c, s + start, i - start);
		pgx_copy_write(c, esc, 2);
		start = i + 1;
	}
	pgx_copy_write(c, s + start, len - start);
}

/* Always read every result: libpq expects it before the next command. */
static unsigned long long
copy_finish(PGconn *conn, int want_ok)
{
	PGresult *res;
	unsigned long long rows = 0;
	int failed = 0;
	char msg[1024] = "";

	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			rows = strtoull(PQcmdTuples(res), NULL, 10);
		else if (!failed) {
			failed = 1;
			snprintf(msg, sizeof(msg), "%s", pgx_error(conn));
		}
		PQclear(res);
		if (PQstatus(conn) == CONNECTION_BAD)
			break;
	}
	if (want_ok && (failed || PQstatus(conn) == CONNECTION_BAD))
		moc_die(pgx_failure_status(conn), "COPY: %s",
		    *msg != '\0' ? msg : pgx_error(conn));
	return rows;
}

unsigned long long
pgx_copy_end(struct pgx_copy *c)
{
	PGconn *conn = c->conn;

	copy_drain(c);
	copy_free(c);
	if (PQputCopyEnd(conn, NULL) != 1)
		die_pg(conn, "COPY");
	return copy_finish(conn, 1);
}

void
pgx_copy_abort(struct pgx_copy *c, const char *reason)
{
	PGconn *conn = c->conn;

	/* What was queued is dropped: the COPY is ending in an error. */
	copy_free(c);
	while (PQflush(conn) > 0) {
		struct pollfd pfd = { PQsocket(conn), POLLOUT, 0 };
		if (pfd.fd < 0 || poll(&pfd, 1, -1) < 0)
			break;
	}
	(void)PQsetnonblocking(conn, 0);
	(void)PQputCopyEnd(conn, reason);
	(void)copy_finish(conn, 0);
}

unsigned long long
pgx_copy_out(PGconn *conn, const char *sql, FILE *fp, const char *fpname)
{
	PGresult *res = PQexec(conn, sql);
	unsigned long long rows = 0;
	char *buf;
	int n;

	if (PQresultStatus(res) != PGRES_COPY_OUT)
		check_result(conn, res, sql);
	PQclear(res);
	while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
		if (fwrite(buf, 1, (size_t)n, fp) != (size_t)n) {
			PQfreemem(buf);
			moc_die_sys(EXIT_DATA, "write error on %s", fpname);
		}
		PQfreemem(buf);
		rows++;
	}
	if (n == -2)
		die_pg(conn, "COPY");
	(void)copy_finish(conn, 1);
	return rows;
}
