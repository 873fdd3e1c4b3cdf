/* test-decimal: exact decimal parsing, rounding and formatting. */
#include "config.h"

#include <string.h>

#include "check.h"
#include "decimal.h"

static const char *
fmt(const char *s)
{
	static char buf[DEC_BUFSIZE];
	struct dec d;

	if (dec_parse(s, strlen(s), &d) == -1)
		return "error";
	dec_format(d, buf);
	return buf;
}

static const char *
cents(const char *rate, int64_t n)
{
	static char buf[DEC_BUFSIZE];
	struct dec d;
	int64_t c;

	if (dec_parse(rate, strlen(rate), &d) == -1 ||
	    dec_mul_cents(d, n, &c) == -1)
		return "error";
	dec_format_cents(c, buf);
	return buf;
}

static const char *
ratio(int64_t n, int64_t d, int places)
{
	static char buf[DEC_BUFSIZE];

	dec_format_ratio(n, d, places, buf);
	return buf;
}

int
main(void)
{
	struct dec d;
	int64_t f, r, den, x;

	CHECK_STR(fmt("0.013"), "0.013");
	CHECK_STR(fmt("0.0000087890625"), "0.0000087890625");
	CHECK_STR(fmt("1.500"), "1.5");
	CHECK_STR(fmt("4"), "4");
	CHECK_STR(fmt("-2.50"), "-2.5");
	CHECK_STR(fmt("1."), "error");
	CHECK_STR(fmt(".5"), "error");
	CHECK_STR(fmt("1e3"), "error");
	CHECK_STR(fmt(""), "error");
	CHECK_STR(fmt("0.1234567890123456789"), "error");
	CHECK_STR(fmt("99999999999999999999"), "error");
	/* Half up: 0.013 x 1488 = 19.344; 0.013 x 1250 = 16.25 exactly;
	 * 0.005 x 1 = half a cent, which goes up. */
	CHECK_STR(cents("0.013", 1488), "19.34");
	CHECK_STR(cents("0.013", 1250), "16.25");
	CHECK_STR(cents("0.005", 1), "0.01");
	CHECK_STR(cents("0.0049", 1), "0.00");
	CHECK_STR(cents("1.803", 696), "1254.89");
	CHECK_STR(cents("4", 3), "12.00");
	CHECK_STR(cents("0.0000087890625", 1000000), "8.79");
	CHECK(dec_parse("0.013", 5, &d) == 0);
	CHECK(dec_mul_split(d, 7, &f, &r, &den) == 0);
	CHECK(f == 9 && r == 100 && den == 1000);	/* 9.1 cents */
	CHECK(dec_rescale(d, 9, &x) == 0 && x == 13000000);
	CHECK(dec_rescale(d, 2, &x) == -1);
	CHECK_STR(ratio(5952 * 1024, 1024, 10), "5952");
	CHECK_STR(ratio(1, 1024, 10), "0.0009765625");
	CHECK_STR(ratio(1, 3, 2), "0.33");
	CHECK_STR(ratio(2, 3, 2), "0.67");
	CHECK_STR(ratio(7199, 3600, 2), "2");
	return check_done();
}
