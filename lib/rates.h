/*
 * rates.h: the rates and outages files in the format of nerc-rates
 * (rates.yaml, outages.yaml), read with libyaml and validated as that
 * project validates them.
 *
 * rates.yaml is a list of items {name, type, history}; type is one of
 * "Decimal", "bool", "int", "str"; history is a list of {value, from,
 * until} with months "YYYY-MM", until inclusive and optional on the last
 * entry.  outages.yaml is a list of {url, timeframes} with timeframes
 * {from, until, affected_services}; times must carry a zone.
 *
 * Loading reports every problem as "file:line: what" and then exits 2
 * (a configuration error): a bill is never made from a file half read.
 */
#ifndef MOC_RATES_H
#define MOC_RATES_H

#include <stddef.h>
#include <stdint.h>

enum rate_type { RATE_STR, RATE_DECIMAL, RATE_BOOL, RATE_INT };

struct rates;

struct outage {
	char		*url;
	int64_t		 from, until;	/* [from, until), UTC seconds */
	char		**services;
	size_t		 nservices;
	int		 line;
};

struct outages {
	struct outage	*v;
	size_t		 n;
};

struct rates	*rates_load(const char *path);
void		 rates_free(struct rates *);
/* The value in force in a month (months 1-12), or NULL when none. */
const char	*rates_lookup(const struct rates *, const char *name, int year,
		    int month, enum rate_type *type);

struct outages	*outages_load(const char *path);
void		 outages_free(struct outages *);
/* Whether an outage lists the service (exact, case-insensitive). */
int		 outage_affects(const struct outage *, const char *service);

#endif
