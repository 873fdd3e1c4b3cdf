/*
 * sha256.h: SHA-256 (FIPS 180-4) for manifests and raw-input digests.
 */
#ifndef MOC_SHA256_H
#define MOC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_HEX_LEN		65	/* with the NUL */

struct sha256 {
	uint32_t	state[8];
	uint64_t	count;		/* bytes */
	unsigned char	block[64];
	size_t		fill;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char out[SHA256_DIGEST_LEN]);
void	sha256_final_hex(struct sha256 *, char out[SHA256_HEX_LEN]);

#endif
