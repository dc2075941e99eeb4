/* libFuzzer target: mount option strings. The input is split on ',' into
 * the NULL-terminated list config.json's "options" becomes, and decoded by
 * mount_opts_parse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linux/mount_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mount_opts o;
	berth_err *err = NULL;
	char *text, *p, *w, **opts;
	size_t n = 0, i;

	/* strndup stops at a NUL byte; JSON strings cannot carry one either. */
	text = strndup((const char *)data, size);
	if (text == NULL)
		return 0;
	for (i = 0; text[i]; i++)
		n += text[i] == ',';
	opts = calloc(n + 2, sizeof(*opts));
	if (opts == NULL) {
		free(text);
		return 0;
	}
	n = 0;
	p = text;
	while ((w = strsep(&p, ",")) != NULL)
		opts[n++] = w;
	opts[n] = NULL;

	memset(&o, 0, sizeof(o));
	if (mount_opts_parse(opts, &o, &err) == 0) {
		/* A bind without a recursive flag can never be "recursive". */
		if (o.recursive && !o.bind)
			__builtin_trap();
		mount_opts_clear(&o);
	} else if (err == NULL) {
		__builtin_trap();
	}
	berth_err_free(err);
	free(opts);
	free(text);
	return 0;
}
