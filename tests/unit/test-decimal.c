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

/* Wide decimals: parsed, then written to 'places' (grouped or not). */
static const char *
wide(const char *s, int places, int grouped)
{
	static char buf[DECW_BUFSIZE];
	dec_wide v;
	int p;

	if (decw_parse(s, &v, &p) == -1)
		return "error";
	decw_format(v, places < 0 ? p : places, grouped, buf);
	return buf;
}

/* v x f rounded half up to 'places', written with those places. */
static const char *
wide_mul(const char *v, const char *f, int places)
{
	static char buf[DECW_BUFSIZE];
	dec_wide a, b;
	int p;

	if (decw_parse(v, &a, &p) == -1 || decw_parse(f, &b, &p) == -1)
		return "error";
	decw_format(decw_mul_round(a, b, places), places, 0, buf);
	return buf;
}

static void
test_wide(void)
{
	dec_wide v, a, b, sum = 0;
	int p, i;
	char buf[DECW_BUFSIZE], g[32];

	/* As given, places kept; grouped by thousands, sign first. */
	CHECK_STR(wide("1234567.50", -1, 1), "1,234,567.50");
	CHECK_STR(wide("-1234567.5", -1, 1), "-1,234,567.5");
	CHECK_STR(wide("999", -1, 1), "999");
	CHECK_STR(wide("1000", -1, 1), "1,000");
	CHECK_STR(wide("0.000000000000000001", -1, 0),
	    "0.000000000000000001");
	CHECK_STR(wide("1.23456", 2, 0), "1.23");	/* truncated */
	CHECK_STR(wide("9999999999999999999.999999999999999999", -1, 1),
	    "9,999,999,999,999,999,999.999999999999999999");
	CHECK_STR(wide("10000000000000000000", -1, 0), "error");
	CHECK_STR(wide("0.1234567890123456789", -1, 0), "error");
	CHECK_STR(wide("1.", -1, 0), "error");
	CHECK_STR(wide("-", -1, 0), "error");
	CHECK_STR(wide("1e3", -1, 0), "error");
	CHECK_STR(wide("", -1, 0), "error");
	CHECK(decw_parse("0.50", &v, &p) == 0 && p == 2 &&
	    v == DECW_ONE / 2);
	/* Shares: 27.45 x 0.5 = 13.725, half up 13.73; negative away from
	 * zero; a share of a third to 9 places. */
	CHECK_STR(wide_mul("27.45", "0.5", 2), "13.73");
	CHECK_STR(wide_mul("-27.45", "0.5", 2), "-13.73");
	CHECK_STR(wide_mul("2112", "0.333333333", 0), "704");
	CHECK_STR(wide_mul("2112", "0.333333333", 9), "703.999999296");
	CHECK_STR(wide_mul("9999999999999999999", "1", 2),
	    "9999999999999999999.00");
	CHECK(decw_parse("0.125", &v, &p) == 0 && decw_places(v, 2) == 3);
	CHECK(decw_parse("0.5", &v, &p) == 0 && decw_places(v, 2) == 2);
	CHECK(decw_parse("3", &v, &p) == 0 && decw_places(v, 0) == 0);
	/* Sums of a million figures with differing places stay exact. */
	CHECK(decw_parse("0.1", &a, &p) == 0);
	CHECK(decw_parse("1234.000000000000000001", &b, &p) == 0);
	for (i = 0; i < 1000000; i++)
		sum += i % 2 ? a : b;
	decw_format(sum, 18, 1, buf);
	CHECK_STR(buf, "617,050,000.000000000000500000");
	dec_group("-12345.678", g);
	CHECK_STR(g, "-12,345.678");
}

int
main(void)
{
	struct dec d;
	int64_t f, r, den, x;

	test_wide();
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
