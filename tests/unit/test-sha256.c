/* Unit tests for lib/sha256.c against the FIPS 180-4 examples. */
#include "config.h"

#include <string.h>

#include "check.h"
#include "sha256.h"

static const char *
hex(const char *s, size_t chunk)
{
	static char out[SHA256_HEX_LEN];
	struct sha256 c;
	size_t n = strlen(s), i;

	sha256_init(&c);
	for (i = 0; i < n; i += chunk)
		sha256_update(&c, s + i, n - i < chunk ? n - i : chunk);
	sha256_final_hex(&c, out);
	return out;
}

int
main(void)
{
	static const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmn"
	    "lmnomnopnopq";
	size_t chunk;

	CHECK_STR(hex("", 1), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	CHECK_STR(hex("abc", 1), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	for (chunk = 1; chunk <= 70; chunk++)
		CHECK_STR(hex(two, chunk), "248d6a61d20638b8e5c026930c3e6039"
		    "a33ce45964ff2167f6ecedd419db06c1");
	{
		static char million[1000001];
		memset(million, 'a', 1000000);
		CHECK_STR(hex(million, 4096), "cdc76e5c9914fb9281a1c7e284d73e67"
		    "f1809a48a497200e046d39ccc7112cd0");
	}
	return check_done();
}
