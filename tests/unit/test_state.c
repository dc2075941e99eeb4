/* Unit tests for the state store: container ID rules, state.json round
 * trip, directory locking and the status derived from the live system. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/rootfs.h"
#include "runtime/state.h"
#include "test.h"
#include "util/cleanup.h"
#include "util/fs.h"

static char root[96];

TEST(id_rules)
{
	char longid[300];

	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	CHECK(state_validate_id("abc-1.2_x+y", NULL) == 0);
	CHECK(state_validate_id("", NULL) < 0);
	CHECK(state_validate_id("../x", NULL) < 0);
	CHECK(state_validate_id("a/b", NULL) < 0);
	CHECK(state_validate_id("..", NULL) < 0);
	CHECK(state_validate_id(".", NULL) < 0);
	CHECK(state_validate_id(longid, NULL) < 0);
	CHECK(state_validate_id("a b", NULL) < 0);
}

TEST(dir_create_is_0700_and_unique)
{
	_cleanup_close_ int rfd = state_root_open(root, true, NULL);
	_cleanup_err_ berth_err *err = NULL;
	char p[160];
	struct stat st;
	int fd, fd2;

	CHECK(rfd >= 0);
	fd = state_dir_create(rfd, "c1", NULL);
	CHECK(fd >= 0);
	snprintf(p, sizeof(p), "%s/c1", root);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(stat(root, &st) == 0 && (st.st_mode & 0777) == 0700);
	fd2 = state_dir_create(rfd, "c1", &err);
	CHECK(fd2 < 0);
	CHECK(err && strstr(err->msg, "already exists"));
	/* The lock is held: a non-blocking lock from another fd fails. */
	{
		int other = openat(rfd, "c1", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		CHECK(other >= 0 && flock(other, LOCK_EX | LOCK_NB) < 0);
		close(other);
	}
	close(fd);
	CHECK(state_dir_remove(rfd, "c1", NULL) == 0);
	CHECK(stat(p, &st) < 0);
}

TEST(state_round_trip_and_status)
{
	_cleanup_close_ int rfd = state_root_open(root, true, NULL);
	_cleanup_close_ int fd = state_dir_create(rfd, "c2", NULL);
	struct container_state s = {0}, r = {0};
	pid_t child;

	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	s.id = "c2";
	s.pid = child;
	s.pid_start = proc_start_time(child);
	s.bundle = "/b";
	s.rootfs = "/b/rootfs";
	s.created = "2026-01-01T00:00:00Z";
	s.owner = "";
	s.cgroup_path = "";
	s.own_pidns = true;
	CHECK(s.pid_start > 0);
	CHECK(state_write(fd, &s, NULL) == 0);
	CHECK(state_read(fd, &r, NULL) == 0);
	CHECK_STR(r.id, "c2");
	CHECK(r.pid == child);
	CHECK(r.pid_start == s.pid_start);
	CHECK_STR(r.rootfs, "/b/rootfs");
	CHECK(r.own_pidns);
	CHECK_STR(state_status(fd, &r), "running");
	CHECK(mkfifoat(fd, STATE_FIFO, 0600) == 0);
	CHECK_STR(state_status(fd, &r), "created");
	unlinkat(fd, STATE_FIFO, 0);
	/* A recycled pid (other start time) is not our container. */
	r.pid_start++;
	CHECK_STR(state_status(fd, &r), "stopped");
	r.pid_start--;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	CHECK_STR(state_status(fd, &r), "stopped");
	container_state_clear(&r);
	state_dir_remove(rfd, "c2", NULL);
}

/* Every field survives a write and a read, strings with characters JSON
 * must escape included (the flat reader decodes what json-c encoded), and a
 * state.json the flat reader refuses (a nested member, as a later berth
 * might write) is still read, by json-c. */
TEST(state_all_fields_round_trip)
{
	_cleanup_close_ int rfd = state_root_open(root, true, NULL);
	_cleanup_close_ int fd = state_dir_create(rfd, "c3", NULL);
	struct container_state s = {0}, r = {0};
	static const char nested[] = "{\"future\":{\"x\":[1,2]},\"id\":\"c3\",\"pid\":7,"
				     "\"bundle\":\"\\/b\",\"hooks\":1,\"cgroup_id\":5}";

	s.id = "c3";
	s.pid = 4242;
	s.pid_start = 123456789012ULL;
	s.bundle = "/tmp/a \"quoted\" \\ back/\xc3\xa9\ttab\nline";
	s.rootfs = "/tmp/r\x01oot";
	s.created = "2026-11-23T08:00:00.123456789Z";
	s.owner = "";
	s.owner_uid = 1000;
	s.cgroup_path = "/berth-test/c3";
	s.cgroup_id = 0xfffffffffffffff0ULL;
	s.systemd_cgroup = true;
	s.own_pidns = true;
	s.paused = true;
	s.hooks = STATE_HOOK_POSTSTOP;
	CHECK(state_write(fd, &s, NULL) == 0);
	CHECK(state_read(fd, &r, NULL) == 0);
	CHECK_STR(r.id, s.id);
	CHECK(r.pid == 4242);
	CHECK(r.pid_start == s.pid_start);
	CHECK_STR(r.bundle, s.bundle);
	CHECK_STR(r.rootfs, s.rootfs);
	CHECK_STR(r.created, s.created);
	CHECK_STR(r.owner, "");
	CHECK(r.owner_uid == 1000);
	CHECK_STR(r.cgroup_path, s.cgroup_path);
	CHECK(r.cgroup_id == s.cgroup_id);
	CHECK(r.systemd_cgroup && r.own_pidns && r.paused);
	CHECK(r.hooks == STATE_HOOK_POSTSTOP);
	container_state_clear(&r);

	CHECK(write_file_at(fd, STATE_FILE, nested, strlen(nested), O_CREAT | O_TRUNC, 0600, NULL) == 0);
	CHECK(state_read(fd, &r, NULL) == 0);
	CHECK_STR(r.id, "c3");
	CHECK(r.pid == 7);
	CHECK_STR(r.bundle, "/b");
	CHECK_STR(r.rootfs, "");
	CHECK(r.owner_uid == -1);
	CHECK(r.hooks == STATE_HOOK_POSTSTART);
	CHECK(r.cgroup_id == 5);
	container_state_clear(&r);

	/* Fields an older berth did not write: every hook assumed, no uid. */
	CHECK(write_file_at(fd, STATE_FILE, "{\"id\":\"c3\"}", 11, O_CREAT | O_TRUNC, 0600, NULL) == 0);
	CHECK(state_read(fd, &r, NULL) == 0);
	CHECK(r.hooks == (STATE_HOOK_POSTSTART | STATE_HOOK_POSTSTOP));
	CHECK(r.owner_uid == -1);
	CHECK_STR(r.bundle, "");
	container_state_clear(&r);
	CHECK(write_file_at(fd, STATE_FILE, "{\"id\":", 6, O_CREAT | O_TRUNC, 0600, NULL) == 0);
	CHECK(state_read(fd, &r, NULL) < 0);
	state_dir_remove(rfd, "c3", NULL);
}

/* The record of a container without a mount namespace: release detaches
 * what was stacked on the rootfs after the record, never what was there
 * before it; no record is nothing to do; a damaged record is an error. */
TEST(host_mounts_record)
{
	_cleanup_close_ int rfd = state_root_open(root, true, NULL);
	_cleanup_close_ int fd = state_dir_create(rfd, "c3", NULL);
	_cleanup_err_ berth_err *err = NULL;
	char dir[160];
	uint64_t before, base, id;

	snprintf(dir, sizeof(dir), "%s/../rootfs", root);
	CHECK(mkdir(dir, 0755) == 0);
	CHECK(state_host_mounts_release(fd, NULL) == 0); /* no record */
	CHECK(rootfs_mount_id(dir, &before, NULL) == 0);
	/* The bundle's own mount, there before create. */
	CHECK(mount(dir, dir, NULL, MS_BIND, NULL) == 0);
	CHECK(rootfs_mount_id(dir, &base, NULL) == 0);
	CHECK(base != before);
	CHECK(state_host_mounts_write(fd, dir, base, NULL) == 0);
	/* The container's: the rootfs bind, and another stacked on it. */
	CHECK(mount(dir, dir, NULL, MS_BIND, NULL) == 0);
	CHECK(mount("none", dir, "tmpfs", 0, "size=4k") == 0);
	CHECK(rootfs_mount_id(dir, &id, NULL) == 0 && id != base);
	CHECK(state_host_mounts_release(fd, NULL) == 0);
	CHECK(rootfs_mount_id(dir, &id, NULL) == 0 && id == base);
	CHECK(state_host_mounts_release(fd, NULL) == 0); /* again: nothing left to do */
	CHECK(rootfs_mount_id(dir, &id, NULL) == 0 && id == base);
	CHECK(umount(dir) == 0);
	CHECK(rootfs_mount_id(dir, &id, NULL) == 0 && id == before);
	/* Damaged records. */
	CHECK(write_file_at(fd, STATE_HOST_MOUNTS, "x\n/a\n", 5, O_CREAT | O_TRUNC, 0600, NULL) == 0);
	CHECK(state_host_mounts_release(fd, &err) < 0);
	CHECK(err && strstr(err->msg, "bad mount id"));
	berth_err_clear(&err);
	CHECK(write_file_at(fd, STATE_HOST_MOUNTS, "12\nrel\n", 7, O_CREAT | O_TRUNC, 0600, NULL) == 0);
	CHECK(state_host_mounts_release(fd, &err) < 0);
	CHECK(err && strstr(err->msg, "bad rootfs path"));
	state_dir_remove(rfd, "c3", NULL);
	rmdir(dir);
}

int main(void)
{
	char cmd[600];

	snprintf(root, sizeof(root), "/tmp/berth-unit-state.%d/root", (int)getpid());
	RUN(id_rules);
	RUN(dir_create_is_0700_and_unique);
	RUN(state_round_trip_and_status);
	RUN(state_all_fields_round_trip);
	RUN(host_mounts_record);
	snprintf(cmd, sizeof(cmd), "rm -rf /tmp/berth-unit-state.%d", (int)getpid());
	if (system(cmd) != 0)
		return 1;
	TEST_EXIT();
}
