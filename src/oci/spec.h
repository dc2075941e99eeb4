/* The default config.json that `berth spec` writes, matching runc's. */
#ifndef BERTH_OCI_SPEC_H
#define BERTH_OCI_SPEC_H

#include <stdbool.h>

/* JSON text of the default spec (rootless: user namespace with the caller's
 * id mapped, no network namespace, rootless-friendly mounts). Caller frees. */
char *oci_spec_default(bool rootless);

#endif
