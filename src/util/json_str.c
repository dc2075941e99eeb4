/* JSON string quoting: escapes quotes, backslashes and control characters;
 * bytes >= 0x80 pass through (UTF-8 stays UTF-8). */
#include "util/json_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *json_quote(const char *s)
{
	size_t n = strlen(s), j = 0;
	char *o = malloc(n * 6 + 3);

	if (o == NULL)
		abort();
	o[j++] = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': o[j++] = '\\'; o[j++] = '"'; break;
		case '\\': o[j++] = '\\'; o[j++] = '\\'; break;
		case '\n': o[j++] = '\\'; o[j++] = 'n'; break;
		case '\r': o[j++] = '\\'; o[j++] = 'r'; break;
		case '\t': o[j++] = '\\'; o[j++] = 't'; break;
		default:
			if (*p < 0x20)
				j += (size_t)sprintf(o + j, "\\u%04x", *p);
			else
				o[j++] = (char)*p;
		}
	}
	o[j++] = '"';
	o[j] = '\0';
	return o;
}
