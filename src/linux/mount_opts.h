/* Mount option strings of config.json ("ro", "nosuid", "rbind", "rslave",
 * "size=64m", ...) decoded by a table into mount(2) flags, propagation and
 * the data string for the filesystem. */
#ifndef BERTH_LINUX_MOUNT_OPTS_H
#define BERTH_LINUX_MOUNT_OPTS_H

#include <stdbool.h>

#include "util/error.h"

/* How a word sets access-time updates: what mount_setattr(2) needs, a mode
 * replacing the whole atime field (mount(2) takes the MS_* flags). */
enum mount_atime {
	MOUNT_ATIME_KEEP,     /* no word, or one that only drops a flag */
	MOUNT_ATIME_RELATIME, /* "relatime", "atime" (the kernel's default) */
	MOUNT_ATIME_NOATIME,
	MOUNT_ATIME_STRICT,
};

struct mount_opts {
	unsigned long flags;       /* MS_RDONLY, MS_NOSUID, ... to set */
	unsigned long clear_flags; /* flags explicitly cleared ("rw", "suid", ...) */
	enum mount_atime atime;
	/* The recursive attributes ("rro", "rnosuid", "rrw", ...), kept apart:
	 * on a bind they go to every mount of the subtree after the plain ones
	 * went to its top (mount_setattr AT_RECURSIVE), as with runc. */
	unsigned long rec_flags;
	unsigned long rec_clear_flags;
	enum mount_atime rec_atime;
	unsigned long propagation; /* MS_SHARED / MS_SLAVE / MS_PRIVATE / MS_UNBINDABLE,
				      | MS_REC for the r* forms; 0 if none */
	bool bind;                 /* "bind" or "rbind" */
	bool recursive;            /* "rbind": the bind takes the whole subtree */
	bool tmpcopyup;            /* "tmpcopyup": a tmpfs starts with the image's content */
	bool idmap;                /* "idmap" / "ridmap" */
	char *data;                /* remaining "key=value" and unknown options joined
				      with ',' for the filesystem; NULL if none */
};

/* Whether any recursive attribute was given. */
bool mount_opts_has_recursive(const struct mount_opts *o);

/* Decodes options (NULL-terminated, may be NULL). Unknown words are passed to
 * the filesystem in data, as runc does, except "x-" and "X-" words, which are
 * for user space (mount(8) drops them). Fails only on a malformed entry
 * (empty string, or a propagation option repeated inconsistently). */
int mount_opts_parse(char *const *options, struct mount_opts *out, berth_err **err);

void mount_opts_clear(struct mount_opts *o);

/* Propagation word ("shared", "rslave", ...) to flags, 0 when unknown. */
unsigned long mount_propagation_from_name(const char *name);

/* Every option word the table recognises (for `features`), NULL-terminated. */
const char *const *mount_opts_known(void);

#endif
