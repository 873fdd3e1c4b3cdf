/*
 * util.h: program name, messages, exit codes, option parsing and the checked
 * close of stdout shared by every tool of the suite.
 */
#ifndef MOC_UTIL_H
#define MOC_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The suite's exit statuses (see moc-records(5)). */
#define EXIT_OK		0
#define EXIT_DATA	1	/* data or runtime failure; failed check */
#define EXIT_USAGE	2	/* usage or configuration error */
#define EXIT_TEMPFAIL	75	/* temporary failure: try again later */

void		 moc_setprogname(const char *argv0);
const char	*moc_progname(void);

/* err(3)-style messages prefixed with the program name; *_sys appends errno. */
void	 moc_die(int status, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	 moc_die_sys(int status, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	 moc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 moc_warn_sys(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* One line naming the problem, then the pointer to --help; exits 2. */
void	 moc_usage_error(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/* Strict numbers: the whole string, within [min, max]; -1 on error. */
int	 moc_parse_int(const char *s, long long min, long long max,
	    long long *out);
/* A size with an optional K, M or G suffix (powers of 1024). */
int	 moc_parse_size(const char *s, size_t *out);
/* A duration such as 400d, 36h, 90m, 3600s or 3600 (seconds). */
int	 moc_parse_duration(const char *s, int64_t *seconds);

/* Flush and close stdout; a full disk or a closed pipe is fatal (exit 1). */
void	 moc_close_stdout(void);
void	 moc_widen_pipe(int fd, int size);

/* malloc family that cannot return NULL. */
void	*moc_xmalloc(size_t n);
void	*moc_xrealloc(void *p, size_t n);
void	*moc_xcalloc(size_t n, size_t m);
char	*moc_xstrdup(const char *s);
char	*moc_xstrndup(const char *s, size_t n);

/* Print the version line common to every tool and exit 0. */
void	 moc_print_version(void) __attribute__((noreturn));

#endif
