/* libFuzzer target: state files. state.json is written by berth itself, but
 * a crash or a full disk can leave it truncated and --root may be shared, so
 * state_read must cope with any content. The input is written to a private
 * temp dir's state.json and read back through the real file path. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int dirfd_ = -1;
static char dir_[64];

/* One directory for the whole run: creating one per input would measure
 * mkdir, not the reader. It is removed at exit. */
static void remove_dir(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/" STATE_FILE, dir_);
	unlink(p);
	rmdir(dir_);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct container_state s;
	berth_err *err = NULL;
	int fd, rc;

	if (dirfd_ < 0) {
		snprintf(dir_, sizeof(dir_), "/tmp/berth-fuzz-state.XXXXXX");
		if (mkdtemp(dir_) == NULL)
			abort();
		dirfd_ = open(dir_, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd_ < 0)
			abort();
		atexit(remove_dir);
	}
	fd = openat(dirfd_, STATE_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);

	rc = state_read(dirfd_, &s, &err);
	if (rc == 0) {
		/* Touch what callers use, so a dangling field would show. */
		if (s.id != NULL && strlen(s.id) > size)
			__builtin_trap();
		container_state_clear(&s);
	} else if (err == NULL) {
		__builtin_trap();
	}
	berth_err_free(err);
	return 0;
}
