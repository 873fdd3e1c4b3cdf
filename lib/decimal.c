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
