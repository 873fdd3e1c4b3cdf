/*
 * rtime.h: RFC 3339 times as seconds since the epoch, UTC.
 *
 * The suite writes "YYYY-MM-DDTHH:MM:SSZ" only.  It reads what OpenStack
 * writes: a 'T' or a space between date and time, optional fractional
 * seconds (dropped: the suite counts whole seconds), and 'Z', an offset
 * (+HH:MM, +HHMM) or no zone at all, which OpenStack means as UTC.
 */
#ifndef MOC_RTIME_H
#define MOC_RTIME_H

#include <stddef.h>
#include <stdint.h>

#define RTIME_BUFSIZE	32

/* 0 and *out set on success, -1 for anything that is not a valid time. */
int	rtime_parse(const char *s, size_t len, int64_t *out);
/* Like rtime_parse, and a bare date "YYYY-MM-DD" means its midnight UTC. */
int	rtime_parse_date_or_time(const char *s, size_t len, int64_t *out);
/* "YYYY-MM" as the first second of that month, UTC. */
int	rtime_parse_month(const char *s, size_t len, int *year, int *month);
void	rtime_format(int64_t t, char buf[RTIME_BUFSIZE]);

int64_t	rtime_days_from_civil(int64_t y, unsigned m, unsigned d);
void	rtime_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
int	rtime_days_in_month(int64_t y, unsigned m);
/* Seconds at the start of a month (month 13 is January of the next year). */
int64_t	rtime_month_start(int64_t y, unsigned m);

#endif
