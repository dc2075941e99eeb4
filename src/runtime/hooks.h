/* OCI hooks (config.md "POSIX-platform Hooks"): each hook runs with the
 * container state JSON on stdin, its own args and env, and an optional
 * timeout after which it is killed. */
#ifndef BERTH_RUNTIME_HOOKS_H
#define BERTH_RUNTIME_HOOKS_H

#include "oci/config.h"
#include "util/error.h"

/* Runs the hooks of list in order; stops at the first failure (non-zero
 * exit, signal or timeout) with an error naming the hook kind and path and
 * including what the hook wrote to stderr. */
int hooks_run(const struct oci_hook_list *list, const char *kind, const char *state_json, berth_err **err);

/* Like hooks_run but a failing hook only logs a warning and the others
 * still run (poststart, poststop). */
void hooks_run_warn(const struct oci_hook_list *list, const char *kind, const char *state_json);

#endif
