/*
 * decimal.c: exact decimal arithmetic (see decimal.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decimal.h"

__extension__ typedef __int128 i128;

static const int64_t pow10tab[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

int
dec_parse(const char *s, size_t len, struct dec *out)
{
	size_t i = 0;
	int neg = 0, scale = 0, digits = 0, frac = 0;
	int64_t m = 0;

	if (i < len && s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < len; i++) {
		if (s[i] == '.' && !frac) {
			frac = 1;
			if (digits == 0)
				return -1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (m > (INT64_MAX - 9) / 10)
			return -1;
		m = m * 10 + (s[i] - '0');
		digits++;
		if (frac && ++scale > DEC_MAX_SCALE)
			return -1;
	}
	if (digits == 0 || (frac && scale == 0))
		return -1;
	out->m = neg ? -m : m;
	out->scale = scale;
	return 0;
}

void
dec_format(struct dec d, char buf[DEC_BUFSIZE])
{
	int64_t m = d.m, p;
	int scale = d.scale;
	uint64_t a, ip, fp;
	char frac[24];
	int n;

	while (scale > 0 && m % 10 == 0) {
		m /= 10;
		scale--;
	}
	p = pow10tab[scale];
	a = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
	ip = a / (uint64_t)p;
	fp = a % (uint64_t)p;
	if (scale == 0) {
		snprintf(buf, DEC_BUFSIZE, "%s%llu", m < 0 ? "-" : "",
		    (unsigned long long)ip);
		return;
	}
	n = snprintf(frac, sizeof(frac), "%0*llu", scale,
	    (unsigned long long)fp);
	(void)n;
	snprintf(buf, DEC_BUFSIZE, "%s%llu.%s", m < 0 ? "-" : "",
	    (unsigned long long)ip, frac);
}

int
dec_rescale(struct dec d, int scale, int64_t *out)
{
	i128 v = d.m;

	if (scale < 0 || scale > DEC_MAX_SCALE)
		return -1;
	if (scale >= d.scale) {
		v *= pow10tab[scale - d.scale];
		if (v > INT64_MAX || v < INT64_MIN)
			return -1;
	} else {
		if (v % pow10tab[d.scale - scale] != 0)
			return -1;
		v /= pow10tab[d.scale - scale];
	}
	*out = (int64_t)v;
	return 0;
}

int
dec_cmp(struct dec a, struct dec b)
{
	i128 x = a.m, y = b.m;

	if (a.scale < b.scale)
		x *= pow10tab[b.scale - a.scale];
	else
		y *= pow10tab[a.scale - b.scale];
	return x < y ? -1 : x > y;
}

int
dec_mul_split(struct dec d, int64_t n, int64_t *floor_cents, int64_t *rem,
    int64_t *den)
{
	i128 v = (i128)d.m * n * 100, q, r;
	int64_t p = pow10tab[d.scale];

	q = v / p;
	r = v % p;
	if (r < 0) {		/* floor, not truncation */
		q -= 1;
		r += p;
	}
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*floor_cents = (int64_t)q;
	*rem = (int64_t)r;
	*den = p;
	return 0;
}

int
dec_mul_cents(struct dec d, int64_t n, int64_t *cents)
{
	int64_t f, r, p;

	if (dec_mul_split(d, n, &f, &r, &p) == -1)
		return -1;
	/* Half up: a remainder of at least half a cent goes up. */
	*cents = f + ((i128)r * 2 >= p);
	return 0;
}

void
dec_format_cents(int64_t cents, char buf[DEC_BUFSIZE])
{
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents :
	    (uint64_t)cents;

	snprintf(buf, DEC_BUFSIZE, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    (unsigned long long)(a / 100), (unsigned long long)(a % 100));
}

void
dec_format_ratio(int64_t num, int64_t den, int places, char buf[DEC_BUFSIZE])
{
	int neg = (num < 0) != (den < 0) && num != 0;
	uint64_t n = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num;
	uint64_t d = den < 0 ? (uint64_t)0 - (uint64_t)den : (uint64_t)den;
	uint64_t ip, r;
	char frac[32];
	int k = 0, i, carry;

	if (places > 24)
		places = 24;
	ip = n / d;
	r = n % d;
	while (r != 0 && k < places) {
		i128 x = (i128)r * 10;
		frac[k++] = (char)('0' + (int)(x / d));
		r = (uint64_t)(x % d);
	}
	/* Not exact within 'places': round the last kept digit half up. */
	if (r != 0 && (i128)r * 2 >= (i128)d) {
		carry = 1;
		for (i = k - 1; i >= 0 && carry; i--) {
			if (frac[i] == '9')
				frac[i] = '0';
			else {
				frac[i]++;
				carry = 0;
			}
		}
		ip += carry;
	}
	while (k > 0 && frac[k - 1] == '0')
		k--;
	frac[k] = '\0';
	snprintf(buf, DEC_BUFSIZE, "%s%llu%s%s", neg ? "-" : "",
	    (unsigned long long)ip, k ? "." : "", frac);
}

/* --- wide decimals ---------------------------------------------------- */

int
decw_parse(const char *s, dec_wide *out, int *places)
{
	dec_wide v = 0, scale = DECW_ONE;
	int neg = 0, np = 0, digits = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (digits == 19)	/* 10^19 x 10^18 still fits */
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	v *= DECW_ONE;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, np++) {
			if (np == DECW_PLACES)
				return -1;
			scale /= 10;
			v += (*s - '0') * scale;
		}
		if (np == 0)
			return -1;
	}
	if (*s != '\0')
		return -1;
	*out = neg ? -v : v;
	*places = np;
	return 0;
}

void
dec_group(const char *text, char *out)
{
	size_t ilen, i, o = 0;
	const char *p = text, *dot;

	if (*p == '-')
		out[o++] = *p++;
	dot = strchr(p, '.');
	ilen = dot != NULL ? (size_t)(dot - p) : strlen(p);
	for (i = 0; i < ilen; i++) {
		if (i > 0 && (ilen - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	strcpy(out + o, p + ilen);
}

void
decw_format(dec_wide v, int places, int grouped, char buf[DECW_BUFSIZE])
{
	char tmp[DECW_BUFSIZE], *p = tmp + sizeof(tmp);
	unsigned __int128 a = v < 0 ? -(unsigned __int128)v :
	    (unsigned __int128)v;
	unsigned __int128 ip = a / (unsigned __int128)DECW_ONE;
	unsigned __int128 frac = a % (unsigned __int128)DECW_ONE;
	int i;

	*--p = '\0';
	if (places > DECW_PLACES)
		places = DECW_PLACES;
	if (places < 0)
		places = 0;
	for (i = places; i < DECW_PLACES; i++)
		frac /= 10;
	for (i = 0; i < places; i++) {
		*--p = (char)('0' + (int)(frac % 10));
		frac /= 10;
	}
	if (places > 0)
		*--p = '.';
	do {
		*--p = (char)('0' + (int)(ip % 10));
		ip /= 10;
	} while (ip != 0);
	if (v < 0)
		*--p = '-';
	/* 40 digits, 13 separators, a sign and a point fit in 64. */
	if (grouped)
		dec_group(p, buf);
	else
		strcpy(buf, p);
}

/*
 * The product is taken in two parts so that it cannot overflow: with a
 * factor of at most 1 (or a little more) the remainder's product stays
 * far below 2^127.
 */
dec_wide
decw_mul_round(dec_wide v, dec_wide f, int places)
{
	dec_wide q = v / DECW_ONE, r = v % DECW_ONE, p, unit = 1;
	int i, neg = 0;

	p = q * f + r * f / DECW_ONE;
	for (i = places; i < DECW_PLACES; i++)
		unit *= 10;
	if (p < 0) {
		neg = 1;
		p = -p;
	}
	p = (p + unit / 2) / unit * unit;
	return neg ? -p : p;
}

int
decw_places(dec_wide v, int min)
{
	int p = DECW_PLACES;

	while (p > min && v % 10 == 0) {
		v /= 10;
		p--;
	}
	return p;
}
