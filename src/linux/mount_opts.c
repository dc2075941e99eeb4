/* Mount option words of config.json decoded by one table into mount(2)
 * flags, propagation and recursive attributes; words the table does not know
 * are filesystem data ("mode=755", "size=64m"), joined with ',' in order. */
#include "linux/mount_opts.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "util/cleanup.h"

#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

enum opt_kind {
	OPT_SET,   /* set flag */
	OPT_CLEAR, /* clear flag */
	OPT_RSET,  /* set flag, recursively (mount_setattr AT_RECURSIVE) */
	OPT_RCLEAR,
	OPT_PROPAGATION,
	OPT_BIND,
	OPT_RBIND,
	OPT_TMPCOPYUP,
	OPT_IDMAP,
	OPT_RIDMAP,
	OPT_IGNORE, /* "defaults": means nothing to mount(2) */
};

struct opt {
	const char *name;
	enum opt_kind kind;
	unsigned long flag;
};

static const struct opt opts[] = {
	{ "defaults", OPT_IGNORE, 0 },
	{ "ro", OPT_SET, MS_RDONLY },
	{ "rw", OPT_CLEAR, MS_RDONLY },
	{ "suid", OPT_CLEAR, MS_NOSUID },
	{ "nosuid", OPT_SET, MS_NOSUID },
	{ "dev", OPT_CLEAR, MS_NODEV },
	{ "nodev", OPT_SET, MS_NODEV },
	{ "exec", OPT_CLEAR, MS_NOEXEC },
	{ "noexec", OPT_SET, MS_NOEXEC },
	{ "sync", OPT_SET, MS_SYNCHRONOUS },
	{ "async", OPT_CLEAR, MS_SYNCHRONOUS },
	{ "dirsync", OPT_SET, MS_DIRSYNC },
	{ "remount", OPT_SET, MS_REMOUNT },
	{ "mand", OPT_SET, MS_MANDLOCK },
	{ "nomand", OPT_CLEAR, MS_MANDLOCK },
	/* The atime words also set a mode; see atime_of(). */
	{ "atime", OPT_CLEAR, MS_NOATIME },
	{ "noatime", OPT_SET, MS_NOATIME },
	{ "diratime", OPT_CLEAR, MS_NODIRATIME },
	{ "nodiratime", OPT_SET, MS_NODIRATIME },
	{ "relatime", OPT_SET, MS_RELATIME },
	{ "norelatime", OPT_CLEAR, MS_RELATIME },
	{ "strictatime", OPT_SET, MS_STRICTATIME },
	{ "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
	{ "lazytime", OPT_SET, MS_LAZYTIME },
	{ "nolazytime", OPT_CLEAR, MS_LAZYTIME },
	{ "silent", OPT_SET, MS_SILENT },
	{ "loud", OPT_CLEAR, MS_SILENT },
	{ "iversion", OPT_SET, MS_I_VERSION },
	{ "noiversion", OPT_CLEAR, MS_I_VERSION },
	{ "nosymfollow", OPT_SET, MS_NOSYMFOLLOW },
	{ "symfollow", OPT_CLEAR, MS_NOSYMFOLLOW },
	{ "bind", OPT_BIND, 0 },
	{ "rbind", OPT_RBIND, 0 },
	{ "shared", OPT_PROPAGATION, MS_SHARED },
	{ "rshared", OPT_PROPAGATION, MS_SHARED | MS_REC },
	{ "slave", OPT_PROPAGATION, MS_SLAVE },
	{ "rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC },
	{ "private", OPT_PROPAGATION, MS_PRIVATE },
	{ "rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC },
	{ "unbindable", OPT_PROPAGATION, MS_UNBINDABLE },
	{ "runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },
	{ "tmpcopyup", OPT_TMPCOPYUP, 0 },
	{ "idmap", OPT_IDMAP, 0 },
	{ "ridmap", OPT_RIDMAP, 0 },
	/* Recursive mount attributes (mount_setattr(2) with AT_RECURSIVE). */
	{ "rro", OPT_RSET, MS_RDONLY },
	{ "rrw", OPT_RCLEAR, MS_RDONLY },
	{ "rnosuid", OPT_RSET, MS_NOSUID },
	{ "rsuid", OPT_RCLEAR, MS_NOSUID },
	{ "rnodev", OPT_RSET, MS_NODEV },
	{ "rdev", OPT_RCLEAR, MS_NODEV },
	{ "rnoexec", OPT_RSET, MS_NOEXEC },
	{ "rexec", OPT_RCLEAR, MS_NOEXEC },
	{ "rnodiratime", OPT_RSET, MS_NODIRATIME },
	{ "rdiratime", OPT_RCLEAR, MS_NODIRATIME },
	{ "rrelatime", OPT_RSET, MS_RELATIME },
	{ "rnorelatime", OPT_RCLEAR, MS_RELATIME },
	{ "rnoatime", OPT_RSET, MS_NOATIME },
	{ "ratime", OPT_RCLEAR, MS_NOATIME },
	{ "rstrictatime", OPT_RSET, MS_STRICTATIME },
	{ "rnostrictatime", OPT_RCLEAR, MS_STRICTATIME },
	{ "rnosymfollow", OPT_RSET, MS_NOSYMFOLLOW },
	{ "rsymfollow", OPT_RCLEAR, MS_NOSYMFOLLOW },
};

static const struct opt *opt_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

/* Appends word to the ','-joined data string. */
static void data_append(char **data, const char *word)
{
	size_t old = *data ? strlen(*data) : 0, n = strlen(word);
	char *p = realloc(*data, old + n + 2);

	if (p == NULL)
		berth_abort();
	if (old)
		p[old++] = ',';
	memcpy(p + old, word, n + 1);
	*data = p;
}

static void apply_flag(unsigned long *flags, unsigned long *clear, unsigned long flag, bool set)
{
	/* The last word wins, as with mount(8): "ro,rw" is read-write. */
	if (set) {
		*flags |= flag;
		*clear &= ~flag;
	} else {
		*clear |= flag;
		*flags &= ~flag;
	}
}

/* The access-time mode a word asks for. "norelatime" and "nostrictatime"
 * only drop a flag: on a fresh mount the kernel then uses relatime, on a
 * bind (a remount) it keeps what the source had. */
static enum mount_atime atime_of(unsigned long flag, bool set, enum mount_atime cur)
{
	switch (flag) {
	case MS_NOATIME: return set ? MOUNT_ATIME_NOATIME : cur == MOUNT_ATIME_STRICT ? cur : MOUNT_ATIME_RELATIME;
	case MS_RELATIME: return set ? MOUNT_ATIME_RELATIME : cur;
	case MS_STRICTATIME: return set ? MOUNT_ATIME_STRICT : cur;
	default: return cur;
	}
}

bool mount_opts_has_recursive(const struct mount_opts *o)
{
	return o->rec_flags || o->rec_clear_flags || o->rec_atime != MOUNT_ATIME_KEEP;
}

int mount_opts_parse(char *const *options, struct mount_opts *out, berth_err **err)
{
	struct mount_opts o = { 0 };
	const char *prop_word = NULL;

	for (size_t i = 0; options && options[i]; i++) {
		const char *w = options[i];
		const struct opt *op;

		if (*w == '\0') {
			mount_opts_clear(&o);
			return berth_err_set(err, 0, "empty mount option at index %zu", i);
		}
		op = opt_find(w);
		if (op == NULL) {
			if ((w[0] == 'x' || w[0] == 'X') && w[1] == '-')
				continue; /* "x-systemd.automount", "X-mount.mkdir": user space's */
			data_append(&o.data, w);
			continue;
		}
		switch (op->kind) {
		case OPT_SET:
		case OPT_CLEAR:
			apply_flag(&o.flags, &o.clear_flags, op->flag, op->kind == OPT_SET);
			o.atime = atime_of(op->flag, op->kind == OPT_SET, o.atime);
			break;
		case OPT_RSET:
		case OPT_RCLEAR:
			apply_flag(&o.rec_flags, &o.rec_clear_flags, op->flag, op->kind == OPT_RSET);
			o.rec_atime = atime_of(op->flag, op->kind == OPT_RSET, o.rec_atime);
			break;
		case OPT_PROPAGATION:
			if (prop_word && o.propagation != op->flag) {
				berth_err_set(err, 0, "conflicting propagation options \"%s\" and \"%s\"", prop_word, w);
				mount_opts_clear(&o);
				return -1;
			}
			prop_word = w;
			o.propagation = op->flag;
			break;
		case OPT_BIND:
			o.bind = true;
			break;
		case OPT_RBIND:
			o.bind = true;
			o.recursive = true;
			break;
		case OPT_TMPCOPYUP:
			o.tmpcopyup = true;
			break;
		case OPT_IDMAP:
			o.idmap = true;
			break;
		case OPT_RIDMAP:
			/* Not o.recursive: that would turn a "bind" into an rbind. */
			o.idmap = true;
			break;
		case OPT_IGNORE:
			break;
		}
	}
	*out = o;
	return 0;
}

void mount_opts_clear(struct mount_opts *o)
{
	if (o == NULL)
		return;
	free(o->data);
	o->data = NULL;
}

unsigned long mount_propagation_from_name(const char *name)
{
	const struct opt *op;

	if (name == NULL)
		return 0;
	op = opt_find(name);
	return op && op->kind == OPT_PROPAGATION ? op->flag : 0;
}

const char *const *mount_opts_known(void)
{
	static const char *names[ARRAY_SIZE(opts) + 1];
	size_t k = 0;

	/* idmap and ridmap are recognised only to be refused with a clear
	 * error, so they are not offered. */
	if (names[0] == NULL)
		for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
			if (opts[i].kind != OPT_IDMAP && opts[i].kind != OPT_RIDMAP)
				names[k++] = opts[i].name;
	return names;
}
