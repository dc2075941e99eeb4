/* Minimal JSON string quoting for the few places that emit JSON without
 * json-c (log lines, state output), so the hot path need not build trees. */
#ifndef BERTH_UTIL_JSON_STR_H
#define BERTH_UTIL_JSON_STR_H

/* Returns s as a quoted JSON string literal ("..."), escaped. Caller frees.
 * Aborts on out of memory. */
char *json_quote(const char *s);

#endif
