/* The sealed copy of the runtime's executable: memfd_create, a sendfile of
 * /proc/self/exe into it, F_ADD_SEALS, and execveat of the memfd. A sealed
 * memfd cannot be written by anyone, so even a process allowed to open
 * /proc/PID/exe of the runtime gets nothing it can change on the host. */
#include "linux/sealed_exe.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

bool sealed_exe_active(void)
{
	_cleanup_close_ int fd = openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int seals;

	if (fd < 0)
		return false;
	seals = fcntl(fd, F_GET_SEALS);
	return seals >= 0 && (seals & SEALS) == SEALS;
}

/* How much of the executable the kernel needs: up to the end of the last
 * segment (PT_LOAD and the rest) and of the program headers. The section
 * headers and debug information after it are a good two thirds of the file
 * and never mapped. The whole file when it is not a 64-bit ELF we read. */
static off_t needed_size(int exe, off_t size)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[32];
	uint64_t end;

	if (pread(exe, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
	    eh.e_phnum > 32 ||
	    pread(exe, ph, eh.e_phnum * sizeof(Elf64_Phdr), (off_t)eh.e_phoff) !=
		    (ssize_t)(eh.e_phnum * sizeof(Elf64_Phdr)))
		return size;
	end = eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr);
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_offset + ph[i].p_filesz > end)
			end = ph[i].p_offset + ph[i].p_filesz;
	return end < (uint64_t)size ? (off_t)end : size;
}

/* The copy has no section headers: say so in its ELF header. */
static int drop_section_headers(int mfd)
{
	Elf64_Ehdr eh;

	if (pread(mfd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
		return -1;
	eh.e_shoff = 0;
	eh.e_shnum = 0;
	eh.e_shstrndx = SHN_UNDEF;
	return pwrite(mfd, &eh, sizeof(eh), 0) == (ssize_t)sizeof(eh) ? 0 : -1;
}

static int copy_self(berth_err **err)
{
	_cleanup_close_ int exe = openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int mfd;
	struct stat st;

	if (exe < 0 || fstat(exe, &st) < 0)
		return berth_err_set(err, errno, "open the runtime's executable");
	/* MFD_EXEC: kernels with vm.memfd_noexec would otherwise make the
	 * copy non-executable; older kernels do not know the flag. */
	mfd = memfd_create("berth", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (mfd < 0 && errno == EINVAL)
		mfd = memfd_create("berth", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return berth_err_set(err, errno, "memfd_create");
	off_t size = needed_size(exe, st.st_size);
	for (off_t off = 0; off < size;) {
		ssize_t n = sendfile(mfd, exe, &off, (size_t)(size - off));
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(mfd);
			return berth_err_set(err, e, "copy the runtime's executable");
		}
	}
	if (size < st.st_size && drop_section_headers(mfd) < 0) {
		int e = errno;
		close(mfd);
		return berth_err_set(err, e, "copy the runtime's executable");
	}
	if (fcntl(mfd, F_ADD_SEALS, SEALS) < 0) {
		int e = errno;
		close(mfd);
		return berth_err_set(err, e, "seal the copy of the runtime's executable");
	}
	return mfd;
}

/* argv as this process got it: NUL-separated in /proc/self/cmdline. */
static char **own_argv(char **text)
{
	size_t len = 0, n = 0, k = 0;
	char **argv;

	*text = read_file_at(AT_FDCWD, "/proc/self/cmdline", &len, NULL);
	if (*text == NULL || len == 0)
		return NULL;
	for (size_t i = 0; i < len; i++)
		n += (*text)[i] == '\0';
	argv = calloc(n + 1, sizeof(*argv));
	if (argv == NULL)
		return NULL;
	for (size_t i = 0; i < len && k < n; i += strlen(*text + i) + 1)
		argv[k++] = *text + i;
	return argv;
}

extern const char berth_trampoline[], berth_trampoline_end[];

int sealed_trampoline_open(berth_err **err)
{
	size_t len = (size_t)(berth_trampoline_end - berth_trampoline), off = 0;
	int mfd = memfd_create("berth-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (mfd < 0 && errno == EINVAL)
		mfd = memfd_create("berth-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return berth_err_set(err, errno, "memfd_create");
	while (off < len) {
		ssize_t n = write(mfd, berth_trampoline + off, len - off);
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(mfd);
			return berth_err_set(err, e, "write the exec trampoline");
		}
		off += (size_t)n;
	}
	if (fcntl(mfd, F_ADD_SEALS, SEALS) < 0) {
		int e = errno;
		close(mfd);
		return berth_err_set(err, e, "seal the exec trampoline");
	}
	return mfd;
}

void sealed_trampoline_exec(int fd, const char *path, char *const argv[], char *const envp[])
{
	size_t n = 0;
	char **v;
	char p[64];
	int e;

	while (argv && argv[n])
		n++;
	v = calloc(n + 2, sizeof(*v));
	if (v == NULL) {
		errno = ENOMEM;
		return;
	}
	/* The trampoline's argv: the program's path, then its argv. */
	v[0] = (char *)path;
	for (size_t i = 0; i < n; i++)
		v[i + 1] = argv[i];
	syscall(SYS_execveat, fd, "", v, envp, AT_EMPTY_PATH);
	e = errno;
	if (e == EPERM || e == EACCES || e == ENOSYS) {
		execve(fd_path(fd, p, sizeof(p)), v, envp);
		if (errno == ENOENT)
			errno = e; /* no /proc: the first refusal says more */
	}
	free(v);
}

int sealed_exe_ensure(berth_err **err)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_free_ char **argv = NULL;
	_cleanup_close_ int mfd = -1;

	if (sealed_exe_active())
		return 0;
	argv = own_argv(&text);
	if (argv == NULL)
		return berth_err_set(err, errno ? errno : EIO, "read /proc/self/cmdline");
	mfd = copy_self(err);
	if (mfd < 0)
		return -1;
	syscall(SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
	return berth_err_set(err, errno, "execute the sealed copy of the runtime");
}
