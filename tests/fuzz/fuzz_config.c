/* libFuzzer target: config.json decoding. Any byte string is handed to
 * oci_config_parse, which must either return a config (freed again, so
 * LeakSanitizer sees every allocation the decoder makes) or an error. */
#include <stddef.h>
#include <stdint.h>

#include "oci/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	berth_err *err = NULL;
	struct oci_config *c = oci_config_parse((const char *)data, size, &err);

	/* Exactly one of the two outcomes: a config or an error, never both. */
	if ((c == NULL) == (err == NULL))
		__builtin_trap();
	oci_config_free(c);
	berth_err_free(err);
	return 0;
}
