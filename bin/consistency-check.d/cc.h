/*
 * cc.h: consistency-check's pieces, shared by its files:
 *   main.c        options, reading the inputs, findings, the summary
 *   coverage.c    a complete collection run in every slot of the period
 *   references.c  references resolve, the project tree, shares, users
 *   nova.c        our instance hours against nova's tenant usage
 *   dump.c        a csv-emit folder against its manifest and the records
 *   totals.c      usage-aggregate's totals on every axis (report)
 *   raw.c         raw pages of a run against the records stored for it
 */
#ifndef CC_H
#define CC_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "rec.h"

enum sev { SEV_ERROR, SEV_WARNING, SEV_INFO };

enum check_id {
	CK_COVERAGE, CK_REFERENCES, CK_NOVA, CK_DUMP, CK_REPORT, CK_RAW, CK_N
};

struct check {
	const char	*name;
	int		 selected, ran;
	unsigned long	 errors, warnings, infos;
	char		 note[200];	/* what was compared (stderr) */
};
extern struct check cc_checks[CK_N];

struct cc_opts {
	int64_t		 since, until;	/* the period once known */
	int		 has_since, has_until;
	int64_t		 tolerance, slot;
	const char	*dump, *summaries, *raw;
	int		 have_stream;	/* a stream or -d given */
};
extern struct cc_opts CO;

void	cc_finding(enum check_id, enum sev, const char *subject,
	    const char *expected, const char *actual, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
void	cc_note(enum check_id, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Fields of the record being read; a value of the wrong type is input
 * trouble (exit 2) named by input, line and field.
 */
void		 cc_reader(struct rec_reader *);
const char	*cc_where(void);
void		 cc_bad_field(const char *field, const struct json_value *v,
		    const char *what) __attribute__((noreturn));
const char	*cc_str(const struct json_value *rec, const char *field);
const char	*cc_str_req(const struct json_value *rec, const char *field);
/* 1 and *t set for a time, 0 when absent or null. */
int		 cc_time(const struct json_value *rec, const char *field,
		    int64_t *t);
/* A number or a decimal string as text, NULL when absent or null. */
const char	*cc_number_text(const struct json_value *rec,
		    const char *field);
void		 cc_fmt_hours(int64_t seconds, char *buf, size_t n);

/* Reading a JSON Lines file or "-" with the shared reader; calls fn for
 * every record.  Bad JSON or a line over the limit: exit 2. */
void	cc_read_records(int fd, const char *name,
	    void (*fn)(const struct json_value *rec, const char *type,
	    void *arg), void *arg);

/* The record stream, handed to each check's collector. */
void	cov_record(const struct json_value *, const char *type);
void	ref_record(const struct json_value *, const char *type);
void	nova_record(const struct json_value *, const char *type);
void	dump_record(const struct json_value *, const char *type);
void	raw_record(const struct json_value *, const char *type);

/* The span of the collection runs seen (0 when none). */
int	cov_span(int64_t *first, int64_t *last);

void	cov_run(void);
void	ref_run(void);
void	nova_run(int fd, const char *name);
void	dump_run(void);
void	report_run(void);
void	raw_run(void);

#endif
