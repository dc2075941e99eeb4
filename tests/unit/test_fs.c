/* Unit tests for src/util/fs: in-root resolution never leaves the root,
 * whatever symlinks the tree holds, and mkdir_in_root creates inside it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "util/cleanup.h"
#include "util/fs.h"

static char root[64];
static char outside[80];

static void setup(void)
{
	char cmd[2048];

	snprintf(root, sizeof(root), "/tmp/berth-unit-fs.%d", (int)getpid());
	snprintf(outside, sizeof(outside), "%s-outside", root);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s; mkdir -p %s/etc %s; echo inside > %s/etc/f; echo host > %s/f",
		 root, outside, root, outside, root, outside);
	if (system(cmd) != 0)
		abort();
}

static void teardown(void)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", root, outside);
	if (system(cmd) != 0)
		abort();
}

/* Reads the file behind fd (an O_PATH fd) through /proc. */
static char *read_via(int fd)
{
	char p[64];
	return read_file_at(AT_FDCWD, fd_path(fd, p, sizeof(p)), NULL, NULL);
}

TEST(absolute_symlink_stays_inside)
{
	_cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char link[512];
	int fd;
	_cleanup_free_ char *s = NULL;

	snprintf(link, sizeof(link), "%s/escape", root);
	CHECK(symlink(outside, link) == 0);
	/* "/escape/f" would be the host's file if the link were followed from
	 * the host's root; inside the root it points at <root><outside>/f. */
	fd = open_in_root(rfd, "/escape/f", O_PATH, 0, NULL);
	CHECK(fd < 0);
	snprintf(link, sizeof(link), "%s/abs", root);
	CHECK(symlink("/etc", link) == 0);
	fd = open_in_root(rfd, "/abs/f", O_PATH, 0, NULL);
	CHECK(fd >= 0);
	s = read_via(fd);
	CHECK_STR(s, "inside\n");
	close(fd);
}

TEST(dotdot_chain_stays_inside)
{
	_cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char link[512];
	_cleanup_free_ char *s = NULL;
	int fd;

	snprintf(link, sizeof(link), "%s/rel", root);
	CHECK(symlink("../../../../../../etc", link) == 0);
	fd = open_in_root(rfd, "rel/f", O_PATH, 0, NULL);
	CHECK(fd >= 0);
	s = read_via(fd);
	CHECK_STR(s, "inside\n");
	close(fd);
	fd = open_in_root(rfd, "/../../../etc/f", O_PATH, 0, NULL);
	CHECK(fd >= 0);
	close(fd);
}

TEST(mkdir_in_root_through_symlink)
{
	_cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char link[512], want[512];
	struct stat st;
	int fd;

	snprintf(link, sizeof(link), "%s/mnt", root);
	CHECK(symlink(outside, link) == 0); /* an image symlink pointing at a host path */
	fd = mkdir_in_root(rfd, "/mnt/new/dir", false, 0755, NULL);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	/* Created under <root><outside>/new/dir, never under <outside>/new. */
	snprintf(want, sizeof(want), "%s/new", outside);
	CHECK(stat(want, &st) < 0);
	snprintf(want, sizeof(want), "%s%s/new/dir", root, outside);
	CHECK(stat(want, &st) == 0 && S_ISDIR(st.st_mode));
	fd = mkdir_in_root(rfd, "/etc/newfile", true, 0644, NULL);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	snprintf(want, sizeof(want), "%s/etc/newfile", root);
	CHECK(stat(want, &st) == 0 && S_ISREG(st.st_mode));
}

TEST(atomic_write_and_read)
{
	_cleanup_close_ int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ char *s = NULL;
	size_t len = 0;

	CHECK(write_file_atomic_at(rfd, "state", "abc", 3, 0600, NULL) == 0);
	s = read_file_at(rfd, "state", &len, NULL);
	CHECK_STR(s, "abc");
	CHECK(len == 3);
}

/* Files past read_fd_all's stack page grow into the heap: every size
 * around the boundaries must come back whole. */
TEST(read_sizes_across_the_stack_page)
{
	static const size_t sizes[] = {0, 1, 4094, 4095, 4096, 4097, 8191, 8192, 20000};
	_cleanup_close_ int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ char *want = malloc(20001);

	if (want == NULL)
		return;
	for (size_t i = 0; i < 20000; i++)
		want[i] = (char)('a' + i % 23);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		_cleanup_free_ char *s = NULL;
		size_t len = 12345;
		CHECK(write_file_atomic_at(rfd, "big", want, sizes[k], 0600, NULL) == 0);
		s = read_file_at(rfd, "big", &len, NULL);
		CHECK(s != NULL && len == sizes[k] && memcmp(s, want, len) == 0 && s[len] == '\0');
	}
}

TEST(path_join_slashes)
{
	_cleanup_free_ char *a = path_join("/a/", "/b");
	_cleanup_free_ char *b = path_join("/a", "b");
	CHECK_STR(a, "/a/b");
	CHECK_STR(b, "/a/b");
}

int main(void)
{
	setup();
	RUN(absolute_symlink_stays_inside);
	RUN(dotdot_chain_stays_inside);
	RUN(mkdir_in_root_through_symlink);
	RUN(atomic_write_and_read);
	RUN(read_sizes_across_the_stack_page);
	RUN(path_join_slashes);
	teardown();
	TEST_EXIT();
}
