/*
 * check.h: the few assertions the unit tests need.  A failed check prints
 * its place and the unit test exits 1 at the end, so one run reports every
 * failure.
 */
#ifndef MOC_CHECK_H
#define MOC_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		check_failures++;					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	check_count++;							\
	if (g_ == NULL || strcmp(g_, w_) != 0) {			\
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__, g_ ? g_ : "(null)", w_);	\
		check_failures++;					\
	}								\
} while (0)

static int
check_done(void)
{
	printf("%d checks, %d failed\n", check_count, check_failures);
	return check_failures == 0 && check_count > 0 ? 0 : 1;
}

#endif
