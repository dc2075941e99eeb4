/* JSON without json-c: string quoting (quotes, backslashes and control
 * characters escaped; bytes >= 0x80 pass through, UTF-8 stays UTF-8) and a
 * one-pass reader for flat objects of scalars that allocates one buffer. */
#include "util/json_str.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *json_quote(const char *s)
{
	size_t n = strlen(s), j = 0;
	char *o = malloc(n * 6 + 3);

	if (o == NULL)
		berth_abort();
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

/* ------------------------------------------------------------ flat reader */

struct flat {
	const char *p, *end;
	char *buf; /* decoded strings, len + 1 bytes: never longer than the text */
	size_t used;
};

static void flat_ws(struct flat *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' || *f->p == '\n' || *f->p == '\r'))
		f->p++;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;

	if (end - p < 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decodes the string at f->p (on its opening quote) into f->buf; returns
 * its start there. A \uXXXX escape is 6 bytes of text and at most 3 of
 * UTF-8, a surrogate pair 12 and 4: the decoded text never outgrows the
 * input, so buf (len + 1) cannot overflow. */
static const char *flat_string(struct flat *f)
{
	char *o = f->buf + f->used, *start = o;

	f->p++;
	while (f->p < f->end && *f->p != '"') {
		unsigned char c = (unsigned char)*f->p++;
		unsigned cp, lo;

		if (c < 0x20)
			return NULL;
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		if (f->p >= f->end)
			return NULL;
		switch (*f->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (hex4(f->p, f->end, &cp) < 0 || cp == 0)
				return NULL;
			f->p += 4;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return NULL;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (f->end - f->p < 6 || f->p[0] != '\\' || f->p[1] != 'u' ||
				    hex4(f->p + 2, f->end, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
					return NULL;
				f->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			o += put_utf8(o, cp);
			break;
		default:
			return NULL;
		}
	}
	if (f->p >= f->end)
		return NULL;
	f->p++;
	*o++ = '\0';
	f->used = (size_t)(o - f->buf);
	return start;
}

static int flat_number(struct flat *f, struct json_flat_value *v)
{
	const char *s = f->p;

	v->type = JSON_FLAT_INT;
	v->neg = f->p < f->end && *f->p == '-';
	if (v->neg)
		f->p++;
	if (f->p >= f->end || *f->p < '0' || *f->p > '9')
		return -1;
	if (*f->p == '0' && f->p + 1 < f->end && f->p[1] >= '0' && f->p[1] <= '9')
		return -1; /* no leading zeros in JSON */
	for (; f->p < f->end && *f->p >= '0' && *f->p <= '9'; f->p++) {
		unsigned d = (unsigned)(*f->p - '0');
		if (v->u > (UINT64_MAX - d) / 10)
			return -1;
		v->u = v->u * 10 + d;
	}
	if (f->p < f->end && (*f->p == '.' || *f->p == 'e' || *f->p == 'E'))
		return -1;
	if (v->neg && v->u > (uint64_t)INT64_MAX + 1)
		return -1;
	v->i = v->neg ? (int64_t)(0 - v->u) : (int64_t)v->u;
	return f->p > s ? 0 : -1;
}

static int flat_word(struct flat *f, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(f->end - f->p) < n || memcmp(f->p, w, n) != 0)
		return -1;
	f->p += n;
	return 0;
}

int json_flat_parse(const char *txt, size_t len, json_flat_fn fn, void *ud)
{
	struct flat f = {.p = txt, .end = txt + len};
	char small[1024];
	int r = -1;

	/* A state.json is a few hundred bytes: no allocation for it. */
	f.buf = len < sizeof(small) ? small : malloc(len + 1);
	if (f.buf == NULL)
		return -1;
	flat_ws(&f);
	if (f.p >= f.end || *f.p++ != '{')
		goto out;
	flat_ws(&f);
	if (f.p < f.end && *f.p == '}') {
		f.p++;
		goto done;
	}
	for (;;) {
		struct json_flat_value v = {0};
		const char *key;

		f.used = 0;
		flat_ws(&f);
		if (f.p >= f.end || *f.p != '"' || (key = flat_string(&f)) == NULL)
			goto out;
		flat_ws(&f);
		if (f.p >= f.end || *f.p++ != ':')
			goto out;
		flat_ws(&f);
		if (f.p >= f.end)
			goto out;
		if (*f.p == '"') {
			v.type = JSON_FLAT_STRING;
			if ((v.str = flat_string(&f)) == NULL)
				goto out;
		} else if (*f.p == 't' || *f.p == 'f') {
			v.type = JSON_FLAT_BOOL;
			v.b = *f.p == 't';
			if (flat_word(&f, v.b ? "true" : "false") < 0)
				goto out;
		} else if (*f.p == 'n') {
			v.type = JSON_FLAT_NULL;
			if (flat_word(&f, "null") < 0)
				goto out;
		} else if (flat_number(&f, &v) < 0) {
			goto out;
		}
		fn(key, &v, ud);
		flat_ws(&f);
		if (f.p >= f.end)
			goto out;
		if (*f.p == '}') {
			f.p++;
			break;
		}
		if (*f.p++ != ',')
			goto out;
	}
done:
	flat_ws(&f);
	r = f.p == f.end ? 0 : -1;
out:
	if (f.buf != small)
		free(f.buf);
	return r;
}
