/* Unit tests for SHA-256 (src/util/sha256.c), the key of the seccomp and
 * device program caches: FIPS 180-4's test vectors, whole and streamed. */
#include <string.h>

#include "test.h"
#include "util/sha256.h"

TEST(sha256_vectors)
{
	char hex[65];

	sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256_streamed_million_a)
{
	static const char *const want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	static const char hexd[] = "0123456789abcdef";
	char chunk[1000], hex[65];
	struct sha256 c;
	uint8_t d[32];

	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&c);
	/* Odd-sized pieces cross the 64-byte blocks at every offset. */
	for (size_t done = 0, k = 1; done < 1000000; k = k % 997 + 1) {
		size_t n = 1000000 - done < k ? 1000000 - done : k;
		sha256_update(&c, chunk, n);
		done += n;
	}
	sha256_final(&c, d);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = hexd[d[i] >> 4];
		hex[2 * i + 1] = hexd[d[i] & 15];
	}
	hex[64] = '\0';
	CHECK_STR(hex, want);
}

int main(void)
{
	RUN(sha256_vectors);
	RUN(sha256_streamed_million_a);
	TEST_EXIT();
}
