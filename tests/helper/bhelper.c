/*
 * bhelper: a small static multi-tool for berth's integration tests.
 *
 * The tests copy it into the container's rootfs (as /bin/bhelper) and run
 * it inside to observe what the runtime set up (fds, capabilities, ids,
 * namespaces, rlimits, umask, tty, seccomp results...), and run it on the
 * host as a console-socket server (`recvtty`) for `create --console-socket`.
 * It only uses libc and prints plain, line-oriented text that the shell
 * tests compare.  Run `bhelper help` for the list of subcommands.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

static int die(const char *what)
{
	fprintf(stderr, "bhelper: %s: %s (%s)\n", what, strerror(errno), errname(errno));
	return 1;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* fds: "N TARGET" for every open fd, sorted, including the one used to list. */
static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return die("opendir /proc/self/fd");
	int fds[4096], n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 4096) {
		if (e->d_name[0] == '.')
			continue;
		fds[n++] = atoi(e->d_name);
	}
	qsort(fds, n, sizeof(int), cmp_int);
	for (int i = 0; i < n; i++) {
		char p[64], t[PATH_MAX];
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fds[i]);
		ssize_t l = readlink(p, t, sizeof(t) - 1);
		if (l < 0)
			snprintf(t, sizeof(t), "?");
		else
			t[l] = 0;
		printf("%d %s%s\n", fds[i], t, fds[i] == dirfd(d) ? " (listing)" : "");
	}
	closedir(d);
	return 0;
}

/* Prints the lines of /proc/self/status whose key is in keys. */
static int status_lines(const char *const *keys)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return die("open /proc/self/status");
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		for (const char *const *k = keys; *k; k++) {
			size_t kl = strlen(*k);
			if (!strncmp(line, *k, kl) && line[kl] == ':') {
				fputs(line, stdout);
				break;
			}
		}
	}
	fclose(f);
	return 0;
}

static int cmd_caps(void)
{
	static const char *const k[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", NULL};
	return status_lines(k);
}

static int cmd_status(void)
{
	static const char *const k[] = {"Uid", "Gid", "Groups", "NoNewPrivs", "Seccomp",
					"Seccomp_filters", NULL};
	return status_lines(k);
}

static int cmd_sigmask(void)
{
	static const char *const k[] = {"SigBlk", "SigIgn", "SigCgt", NULL};
	return status_lines(k);
}

/* nsinode: "NAME INODE" for each /proc/self/ns entry ("NAME -" if absent). */
static int cmd_nsinode(void)
{
	static const char *const ns[] = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
					 "time", "time_for_children", "user", "uts", NULL};
	for (const char *const *n = ns; *n; n++) {
		char p[64];
		struct stat st;
		snprintf(p, sizeof(p), "/proc/self/ns/%s", *n);
		if (stat(p, &st) < 0)
			printf("%s -\n", *n);
		else
			printf("%s %llu\n", *n, (unsigned long long)st.st_ino);
	}
	return 0;
}

static const struct {
	const char *name;
	int res;
} rlimits[] = {
	{"CPU", RLIMIT_CPU},	     {"FSIZE", RLIMIT_FSIZE},	   {"DATA", RLIMIT_DATA},
	{"STACK", RLIMIT_STACK},     {"CORE", RLIMIT_CORE},	   {"RSS", RLIMIT_RSS},
	{"NPROC", RLIMIT_NPROC},     {"NOFILE", RLIMIT_NOFILE},	   {"MEMLOCK", RLIMIT_MEMLOCK},
	{"AS", RLIMIT_AS},	     {"LOCKS", RLIMIT_LOCKS},	   {"SIGPENDING", RLIMIT_SIGPENDING},
	{"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},	   {"RTPRIO", RLIMIT_RTPRIO},
	{"RTTIME", RLIMIT_RTTIME},
};

static void print_lim(rlim_t v)
{
	if (v == RLIM_INFINITY)
		printf("unlimited");
	else
		printf("%llu", (unsigned long long)v);
}

/* rlimit NAME: "SOFT HARD" (NAME as NOFILE or RLIMIT_NOFILE). */
static int cmd_rlimit(const char *name)
{
	if (!strncmp(name, "RLIMIT_", 7))
		name += 7;
	for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++) {
		if (strcasecmp(name, rlimits[i].name))
			continue;
		struct rlimit rl;
		if (getrlimit(rlimits[i].res, &rl) < 0)
			return die("getrlimit");
		print_lim(rl.rlim_cur);
		putchar(' ');
		print_lim(rl.rlim_max);
		putchar('\n');
		return 0;
	}
	fprintf(stderr, "bhelper: unknown rlimit %s\n", name);
	return 2;
}

static int cmd_umask(void)
{
	mode_t m = umask(0);
	umask(m);
	printf("%04o\n", (unsigned)m);
	return 0;
}

static volatile sig_atomic_t got_sig;

static void on_sig(int s)
{
	got_sig = s;
}

/* sleep-forever: waits; SIGTERM (or SIGINT) ends it with status 0. */
static int cmd_sleep_forever(void)
{
	struct sigaction sa = {.sa_handler = on_sig};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!got_sig)
		pause();
	return 0;
}

/* signal-exit: prints "ready", waits for any catchable signal, exits 100+signo. */
static int cmd_signal_exit(void)
{
	struct sigaction sa = {.sa_handler = on_sig};
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++) {
		if (s == SIGKILL || s == SIGSTOP || s == SIGCHLD)
			continue;
		sigaction(s, &sa, NULL);
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	printf("ready\n");
	fflush(stdout);
	while (!got_sig)
		pause();
	printf("signal %d\n", (int)got_sig);
	fflush(stdout);
	return 100 + got_sig;
}

/* swap A B [A2 B2 ...]: host side, for the symlink-exchange race tests
 * (CVE-2021-30465 class). Exchanges each pair with renameat2
 * RENAME_EXCHANGE, pair after pair, as fast as it can, until SIGTERM or
 * SIGINT; it then stops once every pair is back as it began and prints
 * "swaps N failed M" (exchanges done and refused). */
static int cmd_swap(int n, char **paths)
{
	struct sigaction sa = {.sa_handler = on_sig};
	unsigned long long swaps = 0, failed = 0, done[32] = {0};
	int np = n / 2, tries_after_sig = 0;

	if (n < 2 || n % 2 || np > 32) {
		fprintf(stderr, "usage: bhelper swap A B [A2 B2 ...] (at most 32 pairs)\n");
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int odd = 0;
		for (int i = 0; i < np; i++) {
			/* After the signal, only the pairs still swapped move. */
			if (got_sig && done[i] % 2 == 0)
				continue;
			if (renameat2(AT_FDCWD, paths[2 * i], AT_FDCWD, paths[2 * i + 1], RENAME_EXCHANGE) == 0) {
				swaps++;
				done[i]++;
			} else if (failed++ == 0) {
				fprintf(stderr, "bhelper: swap %s %s: %s\n", paths[2 * i], paths[2 * i + 1],
					strerror(errno));
			}
			odd += done[i] % 2;
		}
		if (got_sig && (odd == 0 || ++tries_after_sig > 1000))
			break;
	}
	printf("swaps %llu failed %llu\n", swaps, failed);
	return 0;
}

/* syscall NAME: tries one syscall and prints "OK" or "ERRNAME ERRNO". */
static int cmd_syscall(const char *name)
{
	long r;
	char buf[PATH_MAX];
	errno = 0;
	if (!strcmp(name, "mkdir")) {
		r = mkdir("/tmp/bhelper-mkdir", 0755);
		if (r == 0)
			rmdir("/tmp/bhelper-mkdir");
	} else if (!strcmp(name, "getcwd")) {
		r = getcwd(buf, sizeof(buf)) ? 0 : -1;
	} else if (!strcmp(name, "unshare")) {
		r = unshare(CLONE_NEWUTS);
	} else if (!strcmp(name, "personality")) {
		r = personality(0xffffffff);
	} else if (!strcmp(name, "personality-linux32")) {
		r = personality(PER_LINUX32);
	} else if (!strcmp(name, "chmod")) {
		r = chmod("/", 0755);
	} else if (!strcmp(name, "getpid")) {
		r = syscall(SYS_getpid);
	} else if (!strcmp(name, "uname")) {
		struct utsname u;
		r = uname(&u);
	} else if (!strcmp(name, "mount")) {
		r = mount("none", "/tmp", "tmpfs", 0, NULL);
		if (r == 0)
			umount("/tmp");
	} else if (!strcmp(name, "chroot")) {
		r = chroot("/");
	} else if (!strcmp(name, "socket")) {
		r = socket(AF_INET, SOCK_STREAM, 0);
		if (r >= 0)
			close((int)r);
	} else if (!strcmp(name, "socket-unix")) {
		r = socket(AF_UNIX, SOCK_STREAM, 0);
		if (r >= 0)
			close((int)r);
	} else if (!strcmp(name, "keyctl")) {
		r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
	} else if (!strcmp(name, "setuid")) {
		r = setuid(getuid());
	} else if (!strcmp(name, "kill0")) {
		r = kill(getpid(), 0);
	} else if (!strcmp(name, "sethostname")) {
		r = sethostname("bhelper", 7);
	} else if (!strcmp(name, "clock_settime")) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		r = clock_settime(CLOCK_REALTIME, &ts);
	} else {
		fprintf(stderr, "bhelper: unknown syscall %s\n", name);
		return 2;
	}
	if (r < 0)
		printf("%s %d\n", errname(errno), errno);
	else
		printf("OK\n");
	return 0;
}

/* write FILE TEXT: writes TEXT (no newline added); on failure prints errno name. */
static int cmd_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		printf("%s %d\n", errname(errno), errno);
		return 1;
	}
	close(fd);
	printf("OK\n");
	return 0;
}

/* stat [-L] PATH: "TYPE MODE MAJOR:MINOR UID GID" (lstat unless -L). */
static int cmd_stat(int follow, const char *path)
{
	struct stat st;
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		printf("%s %d\n", errname(errno), errno);
		return 1;
	}
	const char *t = S_ISREG(st.st_mode)    ? "reg"
			: S_ISDIR(st.st_mode)  ? "dir"
			: S_ISCHR(st.st_mode)  ? "chr"
			: S_ISBLK(st.st_mode)  ? "blk"
			: S_ISLNK(st.st_mode)  ? "lnk"
			: S_ISFIFO(st.st_mode) ? "fifo"
			: S_ISSOCK(st.st_mode) ? "sock"
					       : "?";
	unsigned ma = 0, mi = 0;
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		ma = major(st.st_rdev);
		mi = minor(st.st_rdev);
	}
	printf("%s %04o %u:%u %u %u\n", t, (unsigned)(st.st_mode & 07777), ma, mi,
	       (unsigned)st.st_uid, (unsigned)st.st_gid);
	return 0;
}

static int cmd_cwd(void)
{
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)))
		return die("getcwd");
	printf("%s\n", buf);
	return 0;
}

static int cat_file(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return die(path);
	ssize_t n;
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) < 0)
			break;
	close(fd);
	return 0;
}

/* isatty: per fd 0..2 "fdN tty TTYNAME ROWS COLS" or "fdN notty". */
static int cmd_isatty(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (!isatty(fd)) {
			printf("fd%d notty\n", fd);
			continue;
		}
		char name[PATH_MAX];
		if (ttyname_r(fd, name, sizeof(name)))
			snprintf(name, sizeof(name), "?");
		struct winsize ws = {0};
		ioctl(fd, TIOCGWINSZ, &ws);
		printf("fd%d tty %s %u %u\n", fd, name, ws.ws_row, ws.ws_col);
	}
	/* Is it our controlling terminal too? */
	int ct = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
	printf("ctty %s\n", ct >= 0 ? "yes" : "no");
	if (ct >= 0)
		close(ct);
	fflush(stdout);
	return 0;
}

static int copy_once(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));
	if (n <= 0)
		return -1;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += w;
	}
	return 0;
}

/*
 * recvtty PATH [--once] [--no-stdin]: console-socket server for the host.
 * Listens on PATH (the socket appears under PATH only once it listens),
 * accepts one connection, receives the pty master over SCM_RIGHTS and copies
 * the pty to stdout (and stdin to the pty) until the pty reports EOF/EIO.
 * Without --once it then goes back to accept the next connection.
 */
static int cmd_recvtty(int argc, char **argv)
{
	const char *path = NULL;
	int once = 0, use_stdin = 1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--once"))
			once = 1;
		else if (!strcmp(argv[i], "--no-stdin"))
			use_stdin = 0;
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: bhelper recvtty PATH [--once] [--no-stdin]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0)
		return die("socket");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char tmp[sizeof(sa.sun_path)];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "bhelper: socket path too long\n");
		return 1;
	}
	unlink(tmp);
	memcpy(sa.sun_path, tmp, strlen(tmp) + 1);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return die("bind");
	if (listen(ls, 4) < 0)
		return die("listen");
	if (rename(tmp, path) < 0)
		return die("rename");
	for (;;) {
		int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			return die("accept");
		}
		char data[256];
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
		ssize_t n = recvmsg(c, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0)
			return die("recvmsg");
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) {
			fprintf(stderr, "bhelper: no fd received\n");
			return 1;
		}
		int master;
		memcpy(&master, CMSG_DATA(cm), sizeof(int));
		close(c);
		struct stat st;
		if (fstat(master, &st) == 0)
			fprintf(stderr, "bhelper: received fd type %s name '%.*s'\n",
				S_ISCHR(st.st_mode) ? "chr" : "other", (int)n, data);
		int in_open = use_stdin;
		for (;;) {
			struct pollfd p[2] = {{.fd = master, .events = POLLIN},
					      {.fd = in_open ? 0 : -1, .events = POLLIN}};
			if (poll(p, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (p[1].revents) {
				if (copy_once(0, master) < 0)
					in_open = 0;
			}
			if (p[0].revents) {
				if (copy_once(master, 1) < 0)
					break;
			}
		}
		close(master);
		if (once)
			break;
	}
	close(ls);
	unlink(path);
	return 0;
}

static int cmd_uname(void)
{
	struct utsname u;
	if (uname(&u) < 0)
		return die("uname");
	printf("%s %s\n", u.nodename, u.domainname);
	return 0;
}

/* clocks: "MONOTONIC_SECONDS BOOTTIME_SECONDS" (for time namespace offsets). */
static int cmd_clocks(void)
{
	struct timespec m, b;
	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	printf("%lld %lld\n", (long long)m.tv_sec, (long long)b.tv_sec);
	return 0;
}

static int cmd_ids(void)
{
	gid_t g[256];
	int n = getgroups(256, g);
	printf("uid=%u euid=%u gid=%u egid=%u groups=", (unsigned)getuid(), (unsigned)geteuid(),
	       (unsigned)getgid(), (unsigned)getegid());
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", (unsigned)g[i]);
	printf("\n");
	return 0;
}

static void usage(void)
{
	puts("usage: bhelper CMD [ARGS]\n"
	     "  fds                  open fds as 'N TARGET'\n"
	     "  caps                 CapInh/CapPrm/CapEff/CapBnd/CapAmb lines\n"
	     "  status               Uid/Gid/Groups/NoNewPrivs/Seccomp lines\n"
	     "  sigmask              SigBlk/SigIgn/SigCgt lines\n"
	     "  ids                  uid/euid/gid/egid/groups on one line\n"
	     "  nsinode              'NAME INODE' for each /proc/self/ns entry\n"
	     "  rlimit NAME          'SOFT HARD'\n"
	     "  umask                the umask in octal\n"
	     "  exit N               exits with N\n"
	     "  sleep-forever        waits; exits 0 on SIGTERM/SIGINT\n"
	     "  signal-exit          prints ready, exits 100+signo on a signal\n"
	     "  syscall NAME         'OK' or 'ERRNAME ERRNO'\n"
	     "  write FILE TEXT      'OK' or 'ERRNAME ERRNO'\n"
	     "  stat [-L] PATH       'TYPE MODE MAJ:MIN UID GID'\n"
	     "  cwd                  the working directory\n"
	     "  oom_score_adj        /proc/self/oom_score_adj\n"
	     "  uname                'NODENAME DOMAINNAME'\n"
	     "  pid                  'PID PPID'\n"
	     "  clocks               'MONOTONIC BOOTTIME' in seconds\n"
	     "  isatty               tty state of fds 0..2 and winsize\n"
	     "  recvtty PATH [--once] [--no-stdin]  console-socket server (host side)\n"
	     "  swap A B [A2 B2 ...] exchanges each pair (renameat2) until SIGTERM (host side)");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		usage();
		return 2;
	}
	const char *c = argv[1];
	if (!strcmp(c, "fds"))
		return cmd_fds();
	if (!strcmp(c, "caps"))
		return cmd_caps();
	if (!strcmp(c, "status"))
		return cmd_status();
	if (!strcmp(c, "sigmask"))
		return cmd_sigmask();
	if (!strcmp(c, "ids"))
		return cmd_ids();
	if (!strcmp(c, "nsinode"))
		return cmd_nsinode();
	if (!strcmp(c, "rlimit") && argc > 2)
		return cmd_rlimit(argv[2]);
	if (!strcmp(c, "umask"))
		return cmd_umask();
	if (!strcmp(c, "exit") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(c, "sleep-forever"))
		return cmd_sleep_forever();
	if (!strcmp(c, "signal-exit"))
		return cmd_signal_exit();
	if (!strcmp(c, "syscall") && argc > 2)
		return cmd_syscall(argv[2]);
	if (!strcmp(c, "write") && argc > 3)
		return cmd_write(argv[2], argv[3]);
	if (!strcmp(c, "stat") && argc > 3 && !strcmp(argv[2], "-L"))
		return cmd_stat(1, argv[3]);
	if (!strcmp(c, "stat") && argc > 2)
		return cmd_stat(0, argv[2]);
	if (!strcmp(c, "cwd"))
		return cmd_cwd();
	if (!strcmp(c, "oom_score_adj"))
		return cat_file("/proc/self/oom_score_adj");
	if (!strcmp(c, "uname"))
		return cmd_uname();
	if (!strcmp(c, "pid")) {
		printf("%d %d\n", (int)getpid(), (int)getppid());
		return 0;
	}
	if (!strcmp(c, "clocks"))
		return cmd_clocks();
	if (!strcmp(c, "isatty"))
		return cmd_isatty();
	if (!strcmp(c, "recvtty"))
		return cmd_recvtty(argc - 2, argv + 2);
	if (!strcmp(c, "swap"))
		return cmd_swap(argc - 2, argv + 2);
	if (!strcmp(c, "help")) {
		usage();
		return 0;
	}
	usage();
	return 2;
}
