/*
 * pgextract.h: the records of a period read from PostgreSQL, as pg-extract
 * writes them and consistency-check reads them (one definition of what
 * "the records of a period" are).
 *
 * pgext_begin opens a READ ONLY, REPEATABLE READ transaction (one
 * consistent snapshot even while a load runs), optionally as a role, and
 * sets the period; pgext_copy then writes one record type's rows as JSON
 * Lines through COPY TO STDOUT (memory flat); the caller commits.
 */
#ifndef MOC_PGEXTRACT_H
#define MOC_PGEXTRACT_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

enum pgext_kind { PGEXT_RUN, PGEXT_VERSIONED, PGEXT_EVENT, PGEXT_OTHER };

struct pgext_type {
	const char	*type;
	const char	*table;
	enum pgext_kind	 kind;
};

/* Output order: runs, administrator data, objects, events. */
extern const struct pgext_type	pgext_types[];
extern const size_t		pgext_ntypes;

/*
 * since: RFC 3339 text or "-infinity"; until: RFC 3339 text.  at: NULL, or
 * the instant whose object and relationship versions are wanted (since and
 * until then bound runs and events to that second).  role may be NULL.
 */
void	pgext_begin(PGconn *, const char *role, const char *since,
	    const char *until, const char *at);
/* The rows of one type written to fp; returns the count. */
unsigned long long pgext_copy(PGconn *, const struct pgext_type *, FILE *fp,
	    const char *fpname);

#endif
