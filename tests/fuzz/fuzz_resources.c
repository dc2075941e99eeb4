/* libFuzzer target: the linux.resources object of `update --resources
 * FILE`, decoded by oci_resources_parse. */
#include <stddef.h>
#include <stdint.h>

#include "oci/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	berth_err *err = NULL;
	struct oci_resources *r = oci_resources_parse((const char *)data, size, &err);

	if ((r == NULL) == (err == NULL))
		__builtin_trap();
	oci_resources_free(r);
	berth_err_free(err);
	return 0;
}
