/* Unit tests for lib/util.c: strict numbers, sizes and durations. */
#include "config.h"

#include <stdint.h>

#include "check.h"
#include "util.h"

int
main(void)
{
	long long n;
	size_t sz;
	int64_t secs;

	CHECK(moc_parse_int("42", 0, 100, &n) == 0 && n == 42);
	CHECK(moc_parse_int("-1", 0, 100, &n) == -1);
	CHECK(moc_parse_int("101", 0, 100, &n) == -1);
	CHECK(moc_parse_int("4x", 0, 100, &n) == -1);
	CHECK(moc_parse_int("", 0, 100, &n) == -1);
	CHECK(moc_parse_int("99999999999999999999", 0, 100, &n) == -1);
	CHECK(moc_parse_size("64M", &sz) == 0 && sz == 64UL << 20);
	CHECK(moc_parse_size("1k", &sz) == 0 && sz == 1024);
	CHECK(moc_parse_size("10", &sz) == 0 && sz == 10);
	CHECK(moc_parse_size("10MB", &sz) == -1);
	CHECK(moc_parse_size("-1", &sz) == -1);
	CHECK(moc_parse_duration("400d", &secs) == 0 && secs == 400 * 86400);
	CHECK(moc_parse_duration("36h", &secs) == 0 && secs == 36 * 3600);
	CHECK(moc_parse_duration("90m", &secs) == 0 && secs == 5400);
	CHECK(moc_parse_duration("15", &secs) == 0 && secs == 15);
	CHECK(moc_parse_duration("2y", &secs) == -1);
	CHECK(moc_parse_duration("d", &secs) == -1);
	return check_done();
}
