/* sha256.h — SHA-256 for cache keys (src/util/sha256.c). */
#ifndef BERTH_UTIL_SHA256_H
#define BERTH_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t buf[64];
	size_t n;
};

/* Streaming digest: init, any number of updates, final (32 bytes out). */
void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, uint8_t out[32]);

/* The digest of one buffer as 64 lower-case hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
