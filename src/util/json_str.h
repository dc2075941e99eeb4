/* Minimal JSON without json-c for the few hot places that need no tree:
 * quoting a string (log lines, state output) and reading a flat object of
 * scalars (berth's own state.json, read by every command and by list once
 * per container). */
#ifndef BERTH_UTIL_JSON_STR_H
#define BERTH_UTIL_JSON_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns s as a quoted JSON string literal ("..."), escaped. Caller frees.
 * Aborts on out of memory. */
char *json_quote(const char *s);

enum json_flat_type { JSON_FLAT_STRING, JSON_FLAT_INT, JSON_FLAT_BOOL, JSON_FLAT_NULL };

/* One member's value. str is decoded UTF-8, NUL-terminated, valid only
 * during the callback. An integer is in u with neg set when it had a minus
 * sign (i is the same value as int64_t when it fits). */
struct json_flat_value {
	enum json_flat_type type;
	const char *str;
	uint64_t u;
	int64_t i;
	bool neg;
	bool b;
};

typedef void (*json_flat_fn)(const char *key, const struct json_flat_value *v, void *ud);

/* Parses txt (len bytes) as one JSON object whose members are all strings,
 * integers, booleans or null, calling fn for each member in order (a
 * repeated key is called again: the last one wins where fn overwrites).
 * Returns 0, or -1 when txt is anything else: nested values, fractions or
 * exponents, integers past 64 bits, a string holding \u0000 or a lone
 * surrogate, bad syntax, trailing text, or no memory. After -1 fn may have
 * been called for some members; the caller falls back to a full parser. */
int json_flat_parse(const char *txt, size_t len, json_flat_fn fn, void *ud);

#endif
