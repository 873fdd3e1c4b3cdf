/*
 * pg.h: the libpq helpers of pg-load, pg-extract and consistency-check.
 *
 * Connections follow libpq's conventions: a conninfo string or URI (-d),
 * else the PG* variables, the service file and .pgpass.  Every failure is
 * fatal with libpq's message (its trailing newline stripped): exit 75 when
 * the server cannot be reached or the connection drops (try again later),
 * 1 for an error the server reported, 2 for a malformed conninfo.
 *
 * COPY data goes out in chunks with PQputCopyData, on a non-blocking
 * connection with a bounded queue (see pg.c); a local error ends the COPY
 * with PQputCopyEnd(conn, reason) so the server aborts it; results are
 * always drained.
 */
#ifndef MOC_PG_H
#define MOC_PG_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

/* conninfo may be NULL (environment only); appname sets application_name. */
PGconn		*pgx_connect(const char *conninfo, const char *appname);
void		 pgx_finish(PGconn *);

/* libpq's last error message without its trailing newline. */
const char	*pgx_error(PGconn *);
/* Exit status for a failed command: 75 if the connection is gone, else 1. */
int		 pgx_failure_status(PGconn *);

/* Run SQL (no parameters; several statements allowed); die on failure. */
void		 pgx_exec(PGconn *, const char *sql);
/* One statement with text parameters; the result (tuples or command). */
PGresult	*pgx_query(PGconn *, const char *sql, int nparams,
		    const char *const *params);
/* Like pgx_query, for statements whose result is not needed. */
void		 pgx_command(PGconn *, const char *sql, int nparams,
		    const char *const *params);

/* COPY ... FROM STDIN, buffered. */
struct pgx_copy;
struct pgx_copy	*pgx_copy_begin(PGconn *, const char *sql);
void		 pgx_copy_write(struct pgx_copy *, const char *buf, size_t len);
/* Text-format field escaping: backslash, tab, newline, carriage return. */
void		 pgx_copy_field(struct pgx_copy *, const char *s, size_t len);
/* Finish the COPY; returns the rows copied. */
unsigned long long pgx_copy_end(struct pgx_copy *);
/* Abort with a reason the server logs; the transaction is then failed. */
void		 pgx_copy_abort(struct pgx_copy *, const char *reason);

/*
 * COPY ... TO STDOUT, written to fp as it arrives (memory flat).  Returns
 * the rows written.  Write errors on fp are fatal (exit 1).  COPY takes no
 * parameters: pass values with set_config() and read them back with
 * current_setting() in the query.
 */
unsigned long long pgx_copy_out(PGconn *, const char *sql, FILE *fp,
		    const char *fpname);

#endif
