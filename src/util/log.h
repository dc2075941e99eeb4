/* The runtime's log: --log FILE in text or JSON lines (containerd reads the
 * last {"level":"error",...} line), stderr when no file is set.
 * Configured once by src/cli; every layer may emit warnings and debug lines. */
#ifndef BERTH_UTIL_LOG_H
#define BERTH_UTIL_LOG_H

#include <stdbool.h>

enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* Opens path (append, O_CLOEXEC) as the log; NULL keeps stderr. Returns -1 and
 * sets errno when the file cannot be opened. */
int log_init(const char *path, enum log_format fmt, bool debug);

void log_close(void);

/* Moves the log file's fd to lowest or above (a range the caller keeps for
 * the fds it passes on); nothing when there is none or it is there. */
void log_move_above(int lowest);

bool log_debug_enabled(void);

/* Writes one line at level ("error", "warning", "info", "debug"). Debug lines
 * are dropped unless --debug was given. */
void log_write(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* RFC 3339 UTC time with nanoseconds into buf (at least 40 bytes). */
void log_time_rfc3339(char *buf, unsigned long size);

/* true when the log goes to a file (then cli also prints errors to stderr). */
bool log_to_file(void);

#define log_warn(...) log_write("warning", __VA_ARGS__)
#define log_debug(...)                                  \
	do {                                            \
		if (log_debug_enabled())                \
			log_write("debug", __VA_ARGS__); \
	} while (0)

#endif
