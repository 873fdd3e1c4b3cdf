/*
 * rtime.c: civil calendar arithmetic (proleptic Gregorian, no time zone
 * database needed for UTC) and RFC 3339 parsing and formatting.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rtime.h"

/* Howard Hinnant's days_from_civil: exact for every year of int64 range
 * that matters here, and independent of the C library's time zone state. */
int64_t
rtime_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
rtime_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int
rtime_days_in_month(int64_t y, unsigned m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

int64_t
rtime_month_start(int64_t y, unsigned m)
{
	while (m > 12) {
		m -= 12;
		y++;
	}
	return rtime_days_from_civil(y, m, 1) * 86400;
}

static int
digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
parse_date(const char *s, size_t len, int *y, int *mo, int *d)
{
	if (len < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, mo) || digits(s + 8, 2, d))
		return -1;
	if (*mo < 1 || *mo > 12 || *d < 1 || *d > rtime_days_in_month(*y,
	    (unsigned)*mo))
		return -1;
	return 0;
}

static int
parse_zone(const char *s, size_t len, int *offset)
{
	int hh, mm;

	*offset = 0;
	if (len == 0)
		return 0;			/* no zone: UTC */
	if (len == 1 && (s[0] == 'Z' || s[0] == 'z'))
		return 0;
	if (s[0] != '+' && s[0] != '-')
		return -1;
	if (len == 6 && s[3] == ':') {
		if (digits(s + 1, 2, &hh) || digits(s + 4, 2, &mm))
			return -1;
	} else if (len == 5) {
		if (digits(s + 1, 2, &hh) || digits(s + 3, 2, &mm))
			return -1;
	} else if (len == 3) {
		if (digits(s + 1, 2, &hh))
			return -1;
		mm = 0;
	} else
		return -1;
	if (hh > 23 || mm > 59)
		return -1;
	*offset = (hh * 60 + mm) * 60 * (s[0] == '-' ? -1 : 1);
	return 0;
}

int
rtime_parse(const char *s, size_t len, int64_t *out)
{
	int y, mo, d, h, mi, sec, offset;
	size_t i;

	if (len < 19 || parse_date(s, len, &y, &mo, &d) == -1)
		return -1;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	if (s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
	    digits(s + 17, 2, &sec))
		return -1;
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	i = 19;
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return -1;
	}
	if (parse_zone(s + i, len - i, &offset) == -1)
		return -1;
	*out = rtime_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - offset;
	return 0;
}

int
rtime_parse_date_or_time(const char *s, size_t len, int64_t *out)
{
	int y, mo, d;

	if (len == 10) {
		if (parse_date(s, len, &y, &mo, &d) == -1)
			return -1;
		*out = rtime_days_from_civil(y, (unsigned)mo, (unsigned)d) *
		    86400;
		return 0;
	}
	return rtime_parse(s, len, out);
}

int
rtime_parse_month(const char *s, size_t len, int *year, int *month)
{
	if (len != 7 || s[4] != '-')
		return -1;
	if (digits(s, 4, year) || digits(s + 5, 2, month))
		return -1;
	return *month >= 1 && *month <= 12 ? 0 : -1;
}

static void
put_digits(char *out, unsigned v, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
rtime_format(int64_t t, char buf[RTIME_BUFSIZE])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400, y;
	unsigned m, d;

	rtime_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, RTIME_BUFSIZE, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
		    (long long)y, m, d, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60));
		return;
	}
	/* The common case by hand: formatting times is hot in os-normalize. */
	put_digits(buf, (unsigned)y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = 'T';
	put_digits(buf + 11, (unsigned)(secs / 3600), 2);
	buf[13] = ':';
	put_digits(buf + 14, (unsigned)(secs / 60 % 60), 2);
	buf[16] = ':';
	put_digits(buf + 17, (unsigned)(secs % 60), 2);
	buf[19] = 'Z';
	buf[20] = '\0';
}
