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

#endif
