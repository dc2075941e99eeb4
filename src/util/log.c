/* The runtime's log file: text or JSON lines with RFC 3339 timestamps.
 * One write(2) per line (O_APPEND) so lines from concurrent runtime
 * processes never interleave. */
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/json_str.h"

static int log_fd = -1;
static enum log_format log_fmt = LOG_FORMAT_TEXT;
static bool log_dbg;

int log_init(const char *path, enum log_format fmt, bool debug)
{
	log_fmt = fmt;
	log_dbg = debug;
	if (path == NULL || *path == '\0')
		return 0;
	log_fd = openat(AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	return log_fd < 0 ? -1 : 0;
}

void log_move_above(int lowest)
{
	int fd;

	if (log_fd < 0 || log_fd >= lowest)
		return;
	fd = fcntl(log_fd, F_DUPFD_CLOEXEC, lowest);
	if (fd < 0)
		return;
	close(log_fd);
	log_fd = fd;
}

void log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

bool log_debug_enabled(void)
{
	return log_dbg;
}

bool log_to_file(void)
{
	return log_fd >= 0;
}

void log_time_rfc3339(char *buf, unsigned long size)
{
	struct timespec ts;
	long long days, secs, z, era, doe, yoe, y, doy, mp, d, m;

	/* Computed by hand: glibc's gmtime_r and strftime load /etc/localtime
	 * (tzset) on every container start for a UTC time needing no zone.
	 * Days to civil date: Howard Hinnant's public-domain algorithm. */
	clock_gettime(CLOCK_REALTIME, &ts);
	days = ts.tv_sec / 86400;
	secs = ts.tv_sec % 86400;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%09ldZ", y, m, d, secs / 3600,
		 (secs / 60) % 60, secs % 60, ts.tv_nsec);
}

void log_write(const char *level, const char *fmt, ...)
{
	char *msg = NULL, *line = NULL, ts[48];
	int fd = log_fd >= 0 ? log_fd : STDERR_FILENO;
	va_list ap;
	int r;

	if (strcmp(level, "debug") == 0 && !log_dbg)
		return;
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	log_time_rfc3339(ts, sizeof(ts));
	if (log_fmt == LOG_FORMAT_JSON) {
		char *qmsg = json_quote(msg);
		r = asprintf(&line, "{\"level\":\"%s\",\"msg\":%s,\"time\":\"%s\"}\n", level, qmsg, ts);
		free(qmsg);
	} else if (log_fd >= 0) {
		/* logrus's text form: the message quoted, so that a quote or a
		 * newline in it cannot end the field or forge a line. */
		char *qmsg = json_quote(msg);
		r = asprintf(&line, "time=\"%s\" level=%s msg=%s\n", ts, level, qmsg);
		free(qmsg);
	} else {
		r = asprintf(&line, "%s: %s\n", level, msg);
	}
	if (r >= 0) {
		ssize_t w = write(fd, line, strlen(line));
		(void)w;
	}
	free(line);
	free(msg);
}
