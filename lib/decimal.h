/*
 * decimal.h: exact decimal numbers for money, rates and shares.
 *
 * A value is an integer mantissa and a count of decimal places, so
 * "0.0000087890625" and "1.803" are held exactly; products are taken in
 * 128-bit integers and rounded once, half up, where the rule says so.
 * Binary floating point is never involved.
 */
#ifndef MOC_DECIMAL_H
#define MOC_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define DEC_MAX_SCALE	18
#define DEC_BUFSIZE	48

struct dec {
	int64_t	m;	/* value = m / 10^scale */
	int	scale;
};

/* "[-]digits[.digits]" exactly; -1 for anything else or an overflow. */
int	dec_parse(const char *s, size_t len, struct dec *out);
/* The shortest exact text (trailing zeros of the fraction dropped). */
void	dec_format(struct dec d, char buf[DEC_BUFSIZE]);
int	dec_cmp(struct dec a, struct dec b);
/* d scaled to 'scale' places; -1 when that loses digits or overflows. */
int	dec_rescale(struct dec d, int scale, int64_t *out);

/*
 * d x n in cents: *floor_cents the whole cents (rounded toward minus
 * infinity), *rem what is left, in units of 1/10^(d.scale) cent (0 <= rem
 * < *den).  dec_mul_cents rounds half up.  -1 on overflow.
 */
int	dec_mul_split(struct dec d, int64_t n, int64_t *floor_cents,
	    int64_t *rem, int64_t *den);
int	dec_mul_cents(struct dec d, int64_t n, int64_t *cents);
/* Cents as "1234.50" (a minus sign when negative). */
void	dec_format_cents(int64_t cents, char buf[DEC_BUFSIZE]);
/* num/den written exactly when den's prime factors are 2 and 5, else to
 * 'places' decimals rounded half up; trailing zeros dropped. */
void	dec_format_ratio(int64_t num, int64_t den, int places,
	    char buf[DEC_BUFSIZE]);

/*
 * Wide decimals: a value in units of 10^-18 in 128 bits, so figures given
 * with differing places (RAM GiB-hours, shares, money) are held exactly
 * and many of them add up without overflow or binary floating point.
 * Up to 19 integer digits and 18 places are read.
 */
__extension__ typedef __int128 dec_wide;
#define DECW_PLACES	18
#define DECW_ONE	((dec_wide)1000000000000000000LL)
#define DECW_BUFSIZE	64

/* "123", "-4.5", "1234.50", NUL-terminated, no exponent; *places the
 * count of decimals given.  -1 for anything else. */
int	decw_parse(const char *s, dec_wide *out, int *places);
/* v to 'places' decimals (truncated), with thousands separators when
 * 'grouped': "-1,234,567.50". */
void	decw_format(dec_wide v, int places, int grouped,
	    char buf[DECW_BUFSIZE]);
/* v x f rounded half up (away from zero) to 'places' decimals; f of at
 * most a little more than 1 (a share) cannot overflow. */
dec_wide decw_mul_round(dec_wide v, dec_wide f, int places);
/* The places v needs, but at least 'min': 0.50, 0.125. */
int	decw_places(dec_wide v, int min);
/* A decimal text with thousands separators: out must hold
 * strlen(text) + strlen(text) / 3 + 2 bytes. */
void	dec_group(const char *text, char *out);

#endif
