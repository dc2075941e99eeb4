/* Mount option strings of config.json ("ro", "nosuid", "rbind", "rslave",
 * "size=64m", ...) decoded by a table into mount(2) flags, propagation and
 * the data string for the filesystem. */
#ifndef BERTH_LINUX_MOUNT_OPTS_H
#define BERTH_LINUX_MOUNT_OPTS_H

#include <stdbool.h>

#include "util/error.h"

struct mount_opts {
	unsigned long flags;       /* MS_RDONLY, MS_NOSUID, ... to set */
	unsigned long clear_flags; /* flags explicitly cleared ("rw", "suid", ...) */
	unsigned long propagation; /* MS_SHARED / MS_SLAVE / MS_PRIVATE / MS_UNBINDABLE,
				      | MS_REC for the r* forms; 0 if none */
	bool bind;                 /* "bind" or "rbind" */
	bool recursive;            /* "rbind": the bind takes the whole subtree */
	bool recursive_ro;         /* "rro" or another recursive attribute ("rnosuid",
				      "rrw", ...): flags/clear_flags are applied
				      recursively (mount_setattr AT_RECURSIVE) */
	bool tmpcopyup;            /* "tmpcopyup" (accepted, copies image content) */
	bool idmap;                /* "idmap" / "ridmap" */
	char *data;                /* remaining "key=value" and unknown options joined
				      with ',' for the filesystem; NULL if none */
};

/* Decodes options (NULL-terminated, may be NULL). Unknown words are passed to
 * the filesystem in data, as runc does. Fails only on a malformed entry
 * (empty string, or a propagation option repeated inconsistently). */
int mount_opts_parse(char *const *options, struct mount_opts *out, berth_err **err);

void mount_opts_clear(struct mount_opts *o);

/* Propagation word ("shared", "rslave", ...) to flags, 0 when unknown. */
unsigned long mount_propagation_from_name(const char *name);

/* Every option word the table recognises (for `features`), NULL-terminated. */
const char *const *mount_opts_known(void);

#endif
