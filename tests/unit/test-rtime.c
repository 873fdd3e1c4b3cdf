/* Unit tests for lib/rtime.c: the forms OpenStack writes, and calendar edges. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "check.h"
#include "rtime.h"

static int64_t
t(const char *s)
{
	int64_t v;

	return rtime_parse(s, strlen(s), &v) == 0 ? v : -1;
}

static const char *
fmt(int64_t v)
{
	static char buf[RTIME_BUFSIZE];

	rtime_format(v, buf);
	return buf;
}

int
main(void)
{
	int64_t v;
	int y, m;

	CHECK(t("1970-01-01T00:00:00Z") == 0);
	CHECK(t("2019-03-01T00:00:00Z") == 1551398400);
	CHECK(t("2019-03-01T00:00:00") == 1551398400);
	CHECK(t("2019-03-01 00:00:00") == 1551398400);
	CHECK(t("2019-03-01T00:00:00.123456") == 1551398400);
	CHECK(t("2019-03-01T00:00:00.000000+00:00") == 1551398400);
	CHECK(t("2019-03-01T01:30:00+01:30") == 1551398400);
	CHECK(t("2019-02-28T19:00:00-0500") == 1551398400);
	CHECK(t("2024-02-29T12:00:00Z") == 1709208000);
	CHECK(t("2023-02-29T12:00:00Z") == -1);
	CHECK(t("2019-13-01T00:00:00Z") == -1);
	CHECK(t("2019-03-01T24:00:00Z") == -1);
	CHECK(t("2019-03-01T00:00Z") == -1);
	CHECK(t("2019-03-01T00:00:00.Z") == -1);
	CHECK(t("2019-03-01T00:00:00Q") == -1);
	CHECK(t("x019-03-01T00:00:00Z") == -1);
	CHECK(t("") == -1);
	CHECK_STR(fmt(1551398400), "2019-03-01T00:00:00Z");
	CHECK_STR(fmt(0), "1970-01-01T00:00:00Z");
	CHECK_STR(fmt(-1), "1969-12-31T23:59:59Z");
	CHECK_STR(fmt(4102444799), "2099-12-31T23:59:59Z");
	CHECK(rtime_parse_date_or_time("2019-03-01", 10, &v) == 0 &&
	    v == 1551398400);
	CHECK(rtime_parse_month("2023-06", 7, &y, &m) == 0 && y == 2023 &&
	    m == 6);
	CHECK(rtime_parse_month("2023-6", 6, &y, &m) == -1);
	CHECK(rtime_month_start(2023, 13) == t("2024-01-01T00:00:00Z"));
	CHECK(rtime_days_in_month(2000, 2) == 29);
	CHECK(rtime_days_in_month(1900, 2) == 28);

	/* Every day of four centuries round-trips through format and parse. */
	{
		int64_t d;
		int bad = 0;
		for (d = -50000; d < 100000; d += 7) {
			char buf[RTIME_BUFSIZE];
			int64_t back;
			rtime_format(d * 86400 + 3723, buf);
			if (rtime_parse(buf, strlen(buf), &back) != 0 ||
			    back != d * 86400 + 3723)
				bad++;
		}
		CHECK(bad == 0);
	}
	return check_done();
}
