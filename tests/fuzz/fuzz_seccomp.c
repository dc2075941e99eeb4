/* libFuzzer target: seccomp profiles. The input is a config.json; when it
 * decodes and has linux.seccomp, the profile is checked with
 * seccomp_profile_validate. Nothing is compiled or loaded: the fuzzer must
 * not filter itself. */
#include <stddef.h>
#include <stdint.h>

#include "linux/seccomp.h"
#include "oci/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	berth_err *err = NULL;
	struct oci_config *c = oci_config_parse((const char *)data, size, &err);

	if (c != NULL && c->linux != NULL && c->linux->seccomp != NULL) {
		if (seccomp_profile_validate(c->linux->seccomp, &err) < 0 && err == NULL)
			__builtin_trap();
	}
	oci_config_free(c);
	berth_err_free(err);
	return 0;
}
