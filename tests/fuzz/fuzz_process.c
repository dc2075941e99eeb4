/* libFuzzer target: the process object of `exec --process FILE`, decoded
 * and validated by oci_process_parse. */
#include <stddef.h>
#include <stdint.h>

#include "oci/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	berth_err *err = NULL;
	struct oci_process *p = oci_process_parse((const char *)data, size, &err);

	if ((p == NULL) == (err == NULL))
		__builtin_trap();
	oci_process_free(p);
	berth_err_free(err);
	return 0;
}
