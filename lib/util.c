/*
 * util.c: messages, exit codes, strict option values, checked stdout.
 */
/* F_SETPIPE_SZ is Linux's, declared under _GNU_SOURCE. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *progname = "moc";

void
moc_setprogname(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	progname = slash != NULL ? slash + 1 : argv0;
}

const char *
moc_progname(void)
{
	return progname;
}

static void
vmessage(int errnum, const char *fmt, va_list ap)
{
	/* Whatever the tool already wrote goes out before the message. */
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (errnum != 0)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void
moc_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(0, fmt, ap);
	va_end(ap);
	exit(status);
}

void
moc_die_sys(int status, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vmessage(saved, fmt, ap);
	va_end(ap);
	exit(status);
}

void
moc_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(0, fmt, ap);
	va_end(ap);
}

void
moc_warn_sys(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vmessage(saved, fmt, ap);
	va_end(ap);
}

void
moc_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	exit(EXIT_USAGE);
}

int
moc_parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
split_number_suffix(const char *s, unsigned long long *num, const char **suffix)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*num = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	*suffix = end;
	return 0;
}

int
moc_parse_size(const char *s, size_t *out)
{
	unsigned long long n, mult = 1;
	const char *suf;

	if (split_number_suffix(s, &n, &suf) == -1)
		return -1;
	switch (*suf) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1024ULL;
		break;
	case 'm': case 'M':
		mult = 1024ULL * 1024;
		break;
	case 'g': case 'G':
		mult = 1024ULL * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (*suf != '\0' && suf[1] != '\0')
		return -1;
	if (n > SIZE_MAX / mult)
		return -1;
	*out = (size_t)(n * mult);
	return 0;
}

int
moc_parse_duration(const char *s, int64_t *seconds)
{
	unsigned long long n, mult = 1;
	const char *suf;

	if (split_number_suffix(s, &n, &suf) == -1)
		return -1;
	switch (*suf) {
	case '\0': case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	case 'w':
		mult = 7 * 86400;
		break;
	default:
		return -1;
	}
	if (*suf != '\0' && suf[1] != '\0')
		return -1;
	if (n > (unsigned long long)INT64_MAX / mult)
		return -1;
	*seconds = (int64_t)(n * mult);
	return 0;
}

void
moc_close_stdout(void)
{
	int failed;

	failed = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		failed = 1;
	if (failed) {
		int e = errno != 0 ? errno : EIO;
		fprintf(stderr, "%s: write error on standard output: %s\n",
		    progname, strerror(e));
		exit(EXIT_DATA);
	}
}

void *
moc_xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		moc_die_sys(EXIT_DATA, "out of memory");
	return p;
}

void *
moc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n != 0 ? n : 1);

	if (q == NULL)
		moc_die_sys(EXIT_DATA, "out of memory");
	return q;
}

void *
moc_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n != 0 ? n : 1, m != 0 ? m : 1);

	if (p == NULL)
		moc_die_sys(EXIT_DATA, "out of memory");
	return p;
}

char *
moc_xstrdup(const char *s)
{
	return moc_xstrndup(s, strlen(s));
}

char *
moc_xstrndup(const char *s, size_t n)
{
	char *p = moc_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
moc_print_version(void)
{
	printf("%s (%s) %s\n", progname, PACKAGE_NAME, PACKAGE_VERSION);
	moc_close_stdout();
	exit(EXIT_OK);
}

/*
 * A pipe's default 64 kB makes a writer of megabytes wait on its reader
 * every 64 kB, a context switch each; a larger one lets both run.  Only
 * a hint: where it cannot be had (not a pipe, not Linux, over
 * /proc/sys/fs/pipe-max-size), nothing changes.
 */
void
moc_widen_pipe(int fd, int size)
{
#ifdef F_SETPIPE_SZ
	(void)fcntl(fd, F_SETPIPE_SZ, size);
#else
	(void)fd;
	(void)size;
#endif
}
