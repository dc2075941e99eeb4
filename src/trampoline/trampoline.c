/* berth's last step into a container: a program of a few KiB that the init
 * (and an exec'd process) runs from a sealed memfd just before the
 * container's own program, which it then executes. Whatever the container
 * runs next resolves /proc/self/exe to this sealed copy, never to the
 * host's runtime binary (CVE-2019-5736), and no copy of the whole runtime
 * is needed. argv[0] is the program's path, the rest its argv. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char e[128];

	if (argc < 2)
		return 127;
	execve(argv[0], argv + 1, environ);
	/* Lower case, as the runtime's own messages (and runc's) are. */
	strncpy(e, strerror(errno), sizeof(e) - 1);
	e[sizeof(e) - 1] = '\0';
	if (e[0] >= 'A' && e[0] <= 'Z' && e[1] >= 'a' && e[1] <= 'z')
		e[0] = (char)(e[0] - 'A' + 'a');
	/* One write: the message reaches a pipe or a terminal whole. */
	{
		char msg[512];
		size_t n = 0, l;
		const char *parts[] = {"berth: exec ", argv[0], ": ", e, "\n"};

		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
			l = strlen(parts[i]);
			if (l > sizeof(msg) - n)
				l = sizeof(msg) - n;
			memcpy(msg + n, parts[i], l);
			n += l;
		}
		if (write(2, msg, n) < 0)
			return 127;
	}
	return 127;
}
