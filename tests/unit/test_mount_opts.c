/* Unit tests for src/linux/mount_opts: option words become the right flags,
 * cleared flags, propagation and bind/recursive bits, and everything else is
 * passed on as filesystem data in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "linux/mount_opts.h"
#include "test.h"
#include "util/cleanup.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

/* Parses a NULL-terminated list given inline. */
#define PARSE(o, err, ...) mount_opts_parse((char *const[]){ __VA_ARGS__, NULL }, (o), (err))

TEST(runc_default_tmpfs)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "nosuid", "strictatime", "mode=755", "size=65536k") == 0);
	CHECK(o.flags == (MS_NOSUID | MS_STRICTATIME));
	CHECK(o.clear_flags == 0);
	CHECK(o.propagation == 0 && !o.bind && !o.recursive && !mount_opts_has_recursive(&o));
	CHECK_STR(o.data, "mode=755,size=65536k");
	mount_opts_clear(&o);
	CHECK(o.data == NULL);
}

TEST(devpts_data_keeps_order)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5") == 0);
	CHECK(o.flags == (MS_NOSUID | MS_NOEXEC));
	CHECK_STR(o.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
	mount_opts_clear(&o);
}

TEST(no_options)
{
	struct mount_opts o;

	CHECK(mount_opts_parse(NULL, &o, NULL) == 0);
	CHECK(o.flags == 0 && o.clear_flags == 0 && o.data == NULL && !o.bind);
	CHECK(PARSE(&o, NULL, "defaults") == 0);
	CHECK(o.flags == 0 && o.data == NULL);
	mount_opts_clear(&o);
}

TEST(set_and_clear_flags)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "ro", "nodev", "noexec", "nosuid", "sync", "dirsync", "mand", "noatime", "nodiratime",
		    "relatime", "lazytime", "silent", "iversion", "nosymfollow", "remount") == 0);
	CHECK(o.flags == (MS_RDONLY | MS_NODEV | MS_NOEXEC | MS_NOSUID | MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK |
			  MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_LAZYTIME | MS_SILENT | MS_I_VERSION |
			  MS_NOSYMFOLLOW | MS_REMOUNT));
	CHECK(o.clear_flags == 0 && o.data == NULL);
	mount_opts_clear(&o);

	CHECK(PARSE(&o, NULL, "rw", "dev", "exec", "suid", "async", "nomand", "atime", "diratime", "norelatime",
		    "nostrictatime", "nolazytime", "loud", "noiversion") == 0);
	CHECK(o.flags == 0);
	CHECK(o.clear_flags == (MS_RDONLY | MS_NODEV | MS_NOEXEC | MS_NOSUID | MS_SYNCHRONOUS | MS_MANDLOCK |
				MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_SILENT |
				MS_I_VERSION));
	mount_opts_clear(&o);
}

TEST(last_word_wins)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "ro", "rw") == 0);
	CHECK(!(o.flags & MS_RDONLY) && (o.clear_flags & MS_RDONLY));
	CHECK(PARSE(&o, NULL, "rw", "nosuid", "ro") == 0);
	CHECK((o.flags & MS_RDONLY) && !(o.clear_flags & MS_RDONLY) && (o.flags & MS_NOSUID));
}

TEST(bind_and_propagation)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "bind", "ro") == 0);
	CHECK(o.bind && !o.recursive && o.flags == MS_RDONLY && o.propagation == 0);
	CHECK(PARSE(&o, NULL, "rbind", "rprivate") == 0);
	CHECK(o.bind && o.recursive && o.propagation == (MS_PRIVATE | MS_REC));
	CHECK(o.flags == 0);
	CHECK(PARSE(&o, NULL, "shared") == 0 && o.propagation == MS_SHARED);
	CHECK(PARSE(&o, NULL, "rshared") == 0 && o.propagation == (MS_SHARED | MS_REC));
	CHECK(PARSE(&o, NULL, "slave") == 0 && o.propagation == MS_SLAVE);
	CHECK(PARSE(&o, NULL, "rslave") == 0 && o.propagation == (MS_SLAVE | MS_REC));
	CHECK(PARSE(&o, NULL, "private") == 0 && o.propagation == MS_PRIVATE);
	CHECK(PARSE(&o, NULL, "unbindable") == 0 && o.propagation == MS_UNBINDABLE);
	CHECK(PARSE(&o, NULL, "runbindable") == 0 && o.propagation == (MS_UNBINDABLE | MS_REC));
	/* Repeating the same propagation is harmless. */
	CHECK(PARSE(&o, NULL, "rslave", "rbind", "rslave") == 0 && o.propagation == (MS_SLAVE | MS_REC));
}

TEST(recursive_attributes)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "rbind", "rro") == 0);
	CHECK(mount_opts_has_recursive(&o) && o.recursive && o.rec_flags == MS_RDONLY && o.flags == 0);
	CHECK(PARSE(&o, NULL, "bind", "rnosuid", "rnodev", "rnoexec", "rnoatime", "rnosymfollow") == 0);
	CHECK(mount_opts_has_recursive(&o) && !o.recursive);
	CHECK(o.rec_flags == (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NOSYMFOLLOW));
	CHECK(o.rec_atime == MOUNT_ATIME_NOATIME && o.atime == MOUNT_ATIME_KEEP);
	CHECK(PARSE(&o, NULL, "bind", "rrw", "rsuid", "rdev", "rexec", "ratime") == 0);
	CHECK(mount_opts_has_recursive(&o) && o.rec_flags == 0);
	CHECK(o.rec_clear_flags == (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME));
	CHECK(PARSE(&o, NULL, "rrelatime") == 0 && o.rec_flags == MS_RELATIME && o.rec_atime == MOUNT_ATIME_RELATIME);
	CHECK(PARSE(&o, NULL, "rstrictatime") == 0 && o.rec_flags == MS_STRICTATIME);
	CHECK(PARSE(&o, NULL, "rnodiratime") == 0 && o.rec_flags == MS_NODIRATIME);
	CHECK(PARSE(&o, NULL, "ro") == 0 && !mount_opts_has_recursive(&o));
	/* Recursive and plain words are kept apart: "rro" then "rw" is a
	 * read-write top over a read-only subtree, which the recursive
	 * attribute, applied last, makes read-only too. */
	CHECK(PARSE(&o, NULL, "rbind", "rro", "rw") == 0);
	CHECK(o.rec_flags == MS_RDONLY && o.clear_flags == MS_RDONLY && o.flags == 0);
	CHECK(PARSE(&o, NULL, "rbind", "rro", "nosymfollow") == 0);
	CHECK(o.rec_flags == MS_RDONLY && o.flags == MS_NOSYMFOLLOW);
}

TEST(atime_modes)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "noatime") == 0 && o.atime == MOUNT_ATIME_NOATIME);
	CHECK(PARSE(&o, NULL, "noatime", "atime") == 0 && o.atime == MOUNT_ATIME_RELATIME);
	CHECK(PARSE(&o, NULL, "relatime") == 0 && o.atime == MOUNT_ATIME_RELATIME);
	CHECK(PARSE(&o, NULL, "strictatime") == 0 && o.atime == MOUNT_ATIME_STRICT);
	CHECK(PARSE(&o, NULL, "strictatime", "atime") == 0 && o.atime == MOUNT_ATIME_STRICT);
	CHECK(PARSE(&o, NULL, "norelatime") == 0 && o.atime == MOUNT_ATIME_KEEP);
	CHECK(PARSE(&o, NULL, "nostrictatime") == 0 && o.atime == MOUNT_ATIME_KEEP);
	CHECK(PARSE(&o, NULL, "nodiratime") == 0 && o.atime == MOUNT_ATIME_KEEP);
}

TEST(user_space_words)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "X-mount.mkdir", "size=1m", "x-systemd.automount") == 0);
	CHECK_STR(o.data, "size=1m");
	mount_opts_clear(&o);
}

TEST(special_words)
{
	struct mount_opts o;

	CHECK(PARSE(&o, NULL, "tmpcopyup", "mode=700") == 0);
	CHECK(o.tmpcopyup && o.flags == 0);
	CHECK_STR(o.data, "mode=700");
	mount_opts_clear(&o);
	CHECK(PARSE(&o, NULL, "bind", "idmap") == 0 && o.idmap && !o.recursive);
	CHECK(PARSE(&o, NULL, "rbind", "ridmap") == 0 && o.idmap && o.recursive);
	/* Unknown words, with or without '=', go to the filesystem. */
	CHECK(PARSE(&o, NULL, "nfsvers=4", "ro", "context=\"a,b\"", "uid=1000") == 0);
	CHECK(o.flags == MS_RDONLY);
	CHECK_STR(o.data, "nfsvers=4,context=\"a,b\",uid=1000");
	mount_opts_clear(&o);
	/* Words are matched exactly: "RO" is not "ro". */
	CHECK(PARSE(&o, NULL, "RO") == 0 && o.flags == 0);
	CHECK_STR(o.data, "RO");
	mount_opts_clear(&o);
}

TEST(malformed)
{
	struct mount_opts o = { 0 };
	_cleanup_err_ berth_err *err = NULL;

	CHECK(PARSE(&o, &err, "nosuid", "size=1m", "") < 0);
	CHECK_CONTAINS(err ? err->msg : NULL, "empty mount option");
	CHECK(o.data == NULL); /* out untouched on failure, nothing leaked */
	berth_err_clear(&err);
	CHECK(PARSE(&o, &err, "rshared", "rbind", "private") < 0);
	CHECK_CONTAINS(err ? err->msg : NULL, "conflicting propagation options \"rshared\" and \"private\"");
}

TEST(propagation_names)
{
	CHECK(mount_propagation_from_name("shared") == MS_SHARED);
	CHECK(mount_propagation_from_name("rslave") == (MS_SLAVE | MS_REC));
	CHECK(mount_propagation_from_name("private") == MS_PRIVATE);
	CHECK(mount_propagation_from_name("runbindable") == (MS_UNBINDABLE | MS_REC));
	CHECK(mount_propagation_from_name("ro") == 0);
	CHECK(mount_propagation_from_name("bogus") == 0);
	CHECK(mount_propagation_from_name(NULL) == 0);
}

TEST(known_list)
{
	const char *const *k = mount_opts_known();
	size_t n = 0;
	int seen_rro = 0, seen_rprivate = 0, seen_tmpcopyup = 0;

	for (; k[n]; n++) {
		CHECK(strcmp(k[n], "idmap") != 0 && strcmp(k[n], "ridmap") != 0);
		seen_rro |= strcmp(k[n], "rro") == 0;
		seen_rprivate |= strcmp(k[n], "rprivate") == 0;
		seen_tmpcopyup |= strcmp(k[n], "tmpcopyup") == 0;
	}
	CHECK(n > 50);
	CHECK(seen_rro && seen_rprivate && seen_tmpcopyup);
	/* Every listed word is recognised, i.e. never passed on as data. */
	for (size_t i = 0; i < n; i++) {
		struct mount_opts o;
		char *const one[] = { (char *)k[i], NULL };
		CHECK(mount_opts_parse(one, &o, NULL) == 0);
		CHECK(o.data == NULL);
		mount_opts_clear(&o);
	}
}

int main(void)
{
	RUN(runc_default_tmpfs);
	RUN(devpts_data_keeps_order);
	RUN(no_options);
	RUN(set_and_clear_flags);
	RUN(last_word_wins);
	RUN(bind_and_propagation);
	RUN(recursive_attributes);
	RUN(atime_modes);
	RUN(user_space_words);
	RUN(special_words);
	RUN(malformed);
	RUN(propagation_names);
	RUN(known_list);
	TEST_EXIT();
}
