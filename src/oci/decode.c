/* The table-driven JSON decoder engine behind every OCI document berth reads
 * (config.json, exec --process, update --resources): type and range checks,
 * path-naming errors, and a matching free walker. */
#include "oci/decode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci/config.h"
#include "util/cleanup.h"

void dec_init(struct dec_ctx *d, const char *root, berth_err **err)
{
	d->err = err;
	d->len = 0;
	d->path[0] = '\0';
	if (root && *root) {
		snprintf(d->path, sizeof(d->path), "%s", root);
		d->len = strlen(d->path);
	}
}

/* Appends the n bytes of s to the path (truncated at its end: a cut path is
 * still a useful prefix). Every field decoded passes here, so this is plain
 * copying, no formatting. */
static void dec_append(struct dec_ctx *d, const char *s, size_t n)
{
	size_t room = sizeof(d->path) - 1 - d->len;

	if (n > room)
		n = room;
	memcpy(d->path + d->len, s, n);
	d->len += n;
	d->path[d->len] = '\0';
}

size_t dec_push_name(struct dec_ctx *d, const char *name)
{
	size_t saved = d->len;

	if (d->len)
		dec_append(d, ".", 1);
	dec_append(d, name, strlen(name));
	return saved;
}

size_t dec_push_index(struct dec_ctx *d, size_t i)
{
	size_t saved = d->len;
	char buf[24];
	char *p = buf + sizeof(buf);

	*--p = ']';
	do
		*--p = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	*--p = '[';
	dec_append(d, p, (size_t)(buf + sizeof(buf) - p));
	return saved;
}

void dec_pop(struct dec_ctx *d, size_t saved)
{
	d->len = saved;
	d->path[saved] = '\0';
}

int dec_fail(struct dec_ctx *d, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		berth_abort();
	if (d->len)
		return berth_err_set(d->err, 0, "%s: %s", d->path, msg);
	return berth_err_set(d->err, 0, "%s", msg);
}

const char *dec_type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "boolean";
	case json_type_double:
	case json_type_int:
		return "number";
	case json_type_object:
		return "object";
	case json_type_array:
		return "array";
	case json_type_string:
		return "string";
	}
	return "unknown";
}

/* The integral value of v as sign and magnitude, so that the whole
 * [INT64_MIN, UINT64_MAX] range survives. */
static int dec_integral(struct dec_ctx *d, struct json_object *v, bool *neg, uint64_t *mag)
{
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		/* json-c saturates get_int64 at INT64_MAX for values stored as
		 * uint64. */
		if (i == INT64_MAX) {
			*neg = false;
			*mag = json_object_get_uint64(v);
		} else if (i < 0) {
			*neg = true;
			*mag = (uint64_t)(-(i + 1)) + 1;
		} else {
			*neg = false;
			*mag = (uint64_t)i;
		}
		return 0;
	}
	if (json_object_is_type(v, json_type_double)) {
		double x = json_object_get_double(v);

		/* NaN fails both comparisons; the casts below are exact for any
		 * in-range value, so a round trip tells an integral value. */
		if (!(x >= -9223372036854775808.0 && x < 18446744073709551616.0))
			return dec_fail(d, "value %s out of range", json_object_to_json_string(v));
		*neg = x < 0;
		*mag = *neg ? (uint64_t)(-x) : (uint64_t)x;
		if ((*neg ? -(double)*mag : (double)*mag) != x)
			return dec_fail(d, "expected integer, got %s", json_object_to_json_string(v));
		return 0;
	}
	return dec_fail(d, "expected integer, got %s", dec_type_name(v));
}

static int dec_range_fail(struct dec_ctx *d, bool neg, uint64_t mag, const char *range)
{
	return dec_fail(d, "value %s%llu out of range (%s)", neg ? "-" : "", (unsigned long long)mag, range);
}

int dec_int64(struct dec_ctx *d, struct json_object *v, int64_t min, int64_t max, int64_t *out)
{
	bool neg;
	uint64_t mag;
	char range[64];

	if (dec_integral(d, v, &neg, &mag) < 0)
		return -1;
	snprintf(range, sizeof(range), "%lld to %lld", (long long)min, (long long)max);
	if (neg) {
		/* -(min) as unsigned without overflowing. */
		uint64_t lim = min < 0 ? (uint64_t)(-(min + 1)) + 1 : 0;
		if (mag > lim)
			return dec_range_fail(d, neg, mag, range);
		*out = mag == 0 ? 0 : -(int64_t)(mag - 1) - 1;
	} else {
		if (max < 0 || mag > (uint64_t)max)
			return dec_range_fail(d, neg, mag, range);
		*out = (int64_t)mag;
	}
	if (*out < min)
		return dec_range_fail(d, neg, mag, range);
	return 0;
}

int dec_uint64(struct dec_ctx *d, struct json_object *v, uint64_t max, uint64_t *out)
{
	bool neg;
	uint64_t mag;
	char range[64];

	if (dec_integral(d, v, &neg, &mag) < 0)
		return -1;
	snprintf(range, sizeof(range), "0 to %llu", (unsigned long long)max);
	if ((neg && mag != 0) || mag > max)
		return dec_range_fail(d, neg, mag, range);
	*out = mag;
	return 0;
}

int dec_string(struct dec_ctx *d, struct json_object *v, const char **out)
{
	if (!json_object_is_type(v, json_type_string))
		return dec_fail(d, "expected string, got %s", dec_type_name(v));
	*out = json_object_get_string(v);
	return 0;
}

static int dec_expect(struct dec_ctx *d, struct json_object *v, enum json_type t, const char *want)
{
	if (!json_object_is_type(v, t))
		return dec_fail(d, "expected %s, got %s", want, dec_type_name(v));
	return 0;
}

static char *xstrdup(const char *s)
{
	char *r = strdup(s);
	if (r == NULL)
		berth_abort();
	return r;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (p == NULL)
		berth_abort();
	return p;
}

#define AT(base, off, type) ((type *)((char *)(base) + (off)))

static int dec_strv(struct dec_ctx *d, struct json_object *v, const struct dec_field *f, void *base)
{
	size_t n;
	char **arr;

	if (dec_expect(d, v, json_type_array, "array of strings") < 0)
		return -1;
	n = json_object_array_length(v);
	/* Stored before filling: a partial array is still NULL-terminated and
	 * freed by dec_free. */
	arr = xcalloc(n + 1, sizeof(char *));
	*AT(base, f->off, char **) = arr;
	for (size_t i = 0; i < n; i++) {
		const char *s;
		size_t saved = dec_push_index(d, i);

		if (dec_string(d, json_object_array_get_idx(v, i), &s) < 0)
			return -1;
		dec_pop(d, saved);
		arr[i] = xstrdup(s);
	}
	if (f->aux != DEC_NONE)
		*AT(base, f->aux, size_t) = n;
	return 0;
}

static int dec_u32v(struct dec_ctx *d, struct json_object *v, const struct dec_field *f, void *base)
{
	size_t n;
	uint32_t *arr;

	if (dec_expect(d, v, json_type_array, "array of integers") < 0)
		return -1;
	n = json_object_array_length(v);
	arr = xcalloc(n, sizeof(uint32_t));
	*AT(base, f->off, uint32_t *) = arr;
	*AT(base, f->aux, size_t) = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t u;
		size_t saved = dec_push_index(d, i);

		if (dec_uint64(d, json_object_array_get_idx(v, i), UINT32_MAX, &u) < 0)
			return -1;
		dec_pop(d, saved);
		arr[i] = (uint32_t)u;
	}
	return 0;
}

static void *dec_new_elems(const struct dec_table *t, size_t n)
{
	char *arr = xcalloc(n, t->size);

	if (t->init)
		for (size_t i = 0; i < n; i++)
			t->init(arr + i * t->size);
	return arr;
}

static int dec_objarr(struct dec_ctx *d, struct json_object *v, const struct dec_field *f, void *base)
{
	size_t n;
	char *arr;

	if (dec_expect(d, v, json_type_array, "array of objects") < 0)
		return -1;
	n = json_object_array_length(v);
	arr = dec_new_elems(f->sub, n);
	*AT(base, f->off, void *) = arr;
	*AT(base, f->aux, size_t) = n;
	for (size_t i = 0; i < n; i++) {
		size_t saved = dec_push_index(d, i);

		if (dec_object(d, json_object_array_get_idx(v, i), f->sub, arr + i * f->sub->size) < 0)
			return -1;
		dec_pop(d, saved);
	}
	return 0;
}

static int dec_kvmap(struct dec_ctx *d, struct json_object *v, const struct dec_field *f, void *base)
{
	struct oci_kv *kv;
	size_t i = 0;

	if (dec_expect(d, v, json_type_object, "object") < 0)
		return -1;
	kv = xcalloc((size_t)json_object_object_length(v), sizeof(*kv));
	*AT(base, f->off, struct oci_kv *) = kv;
	json_object_object_foreach(v, key, val)
	{
		const char *s;
		size_t saved = dec_push_name(d, key);

		if (dec_string(d, val, &s) < 0)
			return -1;
		dec_pop(d, saved);
		kv[i].key = xstrdup(key);
		kv[i].value = xstrdup(s);
		*AT(base, f->aux, size_t) = ++i;
	}
	return 0;
}

static int dec_objmap(struct dec_ctx *d, struct json_object *v, const struct dec_field *f, void *base)
{
	size_t n, i = 0;
	char *arr;

	if (dec_expect(d, v, json_type_object, "object") < 0)
		return -1;
	n = (size_t)json_object_object_length(v);
	arr = dec_new_elems(f->sub, n);
	*AT(base, f->off, void *) = arr;
	*AT(base, f->aux, size_t) = n;
	json_object_object_foreach(v, key, val)
	{
		void *elem = arr + i++ * f->sub->size;
		size_t saved = dec_push_name(d, key);

		*AT(elem, f->sub->key_off, char *) = xstrdup(key);
		if (dec_object(d, val, f->sub, elem) < 0)
			return -1;
		dec_pop(d, saved);
	}
	return 0;
}

static void dec_set_has(const struct dec_field *f, void *base)
{
	if (f->aux != DEC_NONE)
		*AT(base, f->aux, bool) = true;
}

static int dec_field_value(struct dec_ctx *d, struct json_object *v, const struct dec_field *f, void *base)
{
	void *dst = AT(base, f->off, char);
	int64_t i;
	uint64_t u;
	const char *s;

	switch (f->kind) {
	case DK_STRING:
		if (dec_string(d, v, &s) < 0)
			return -1;
		free(*(char **)dst);
		*(char **)dst = xstrdup(s);
		return 0;
	case DK_BOOL:
		if (dec_expect(d, v, json_type_boolean, "boolean") < 0)
			return -1;
		*(bool *)dst = json_object_get_boolean(v);
		break;
	case DK_I32:
		if (dec_int64(d, v, INT32_MIN, INT32_MAX, &i) < 0)
			return -1;
		*(int *)dst = (int)i;
		break;
	case DK_I64:
		if (dec_int64(d, v, INT64_MIN, INT64_MAX, &i) < 0)
			return -1;
		*(int64_t *)dst = i;
		break;
	case DK_U16:
		if (dec_uint64(d, v, UINT16_MAX, &u) < 0)
			return -1;
		*(uint16_t *)dst = (uint16_t)u;
		break;
	case DK_U32:
		if (dec_uint64(d, v, UINT32_MAX, &u) < 0)
			return -1;
		*(uint32_t *)dst = (uint32_t)u;
		break;
	case DK_U64:
		if (dec_uint64(d, v, UINT64_MAX, &u) < 0)
			return -1;
		*(uint64_t *)dst = u;
		break;
	case DK_STRV:
		return dec_strv(d, v, f, base);
	case DK_U32V:
		return dec_u32v(d, v, f, base);
	case DK_OBJ:
		if (dec_object(d, v, f->sub, dst) < 0)
			return -1;
		break;
	case DK_OBJPTR: {
		void *p = dec_new_elems(f->sub, 1);
		*(void **)dst = p;
		return dec_object(d, v, f->sub, p);
	}
	case DK_OBJARR:
		return dec_objarr(d, v, f, base);
	case DK_KVMAP:
		return dec_kvmap(d, v, f, base);
	case DK_OBJMAP:
		return dec_objmap(d, v, f, base);
	case DK_CUSTOM:
		if (f->conv(d, v, dst) < 0)
			return -1;
		break;
	}
	dec_set_has(f, base);
	return 0;
}

int dec_object(struct dec_ctx *d, struct json_object *o, const struct dec_table *t, void *base)
{
	if (dec_expect(d, o, json_type_object, "object") < 0)
		return -1;
	for (size_t i = 0; i < t->n_fields; i++) {
		const struct dec_field *f = &t->fields[i];
		struct json_object *v = NULL;
		size_t saved;

		if (f->name == NULL)
			continue;
		if (!json_object_object_get_ex(o, f->name, &v) || v == NULL) {
			if (f->required)
				return dec_fail(d, "missing required field \"%s\"", f->name);
			continue;
		}
		saved = dec_push_name(d, f->name);
		if (dec_field_value(d, v, f, base) < 0)
			return -1;
		dec_pop(d, saved);
	}
	return 0;
}

void dec_free(const struct dec_table *t, void *base)
{
	if (base == NULL)
		return;
	if (t->key_off != DEC_NONE)
		free(*AT(base, t->key_off, char *));
	for (size_t i = 0; i < t->n_fields; i++) {
		const struct dec_field *f = &t->fields[i];
		void *dst = AT(base, f->off, char);

		switch (f->kind) {
		case DK_STRING:
			free(*(char **)dst);
			break;
		case DK_STRV:
			cleanup_strvp((char ***)dst);
			break;
		case DK_U32V:
			free(*(void **)dst);
			break;
		case DK_OBJ:
			dec_free(f->sub, dst);
			break;
		case DK_OBJPTR:
			dec_free(f->sub, *(void **)dst);
			free(*(void **)dst);
			break;
		case DK_OBJARR:
		case DK_OBJMAP: {
			char *arr = *(char **)dst;
			size_t n = *AT(base, f->aux, size_t);

			for (size_t j = 0; arr && j < n; j++)
				dec_free(f->sub, arr + j * f->sub->size);
			free(arr);
			break;
		}
		case DK_KVMAP: {
			struct oci_kv *kv = *(struct oci_kv **)dst;
			size_t n = *AT(base, f->aux, size_t);

			for (size_t j = 0; kv && j < n; j++) {
				free(kv[j].key);
				free(kv[j].value);
			}
			free(kv);
			break;
		}
		default:
			break;
		}
	}
}

/* Whether the n digits at p name a number above lim (a digit string). */
static bool digits_above(const char *p, size_t n, const char *lim)
{
	size_t ln = strlen(lim);

	while (n > 1 && *p == '0')
		p++, n--;
	return n > ln || (n == ln && memcmp(p, lim, n) > 0);
}

/* What json-c would take without a word but the decoders must not: a NUL
 * byte with data after it (which json-c would never see), "\u0000" in a string or key (a C
 * string ends there, so "mounts\u0000" would be read as "mounts" and a
 * capability "CAP_SYS_ADMIN\u0000x" as CAP_SYS_ADMIN, where Go tools and
 * runc see other names), and an integer beyond 64 bits (json-c clamps it
 * to the limit). NULL when there is none; *at is where it is. */
static const char *text_problem(const char *json, size_t len, size_t *at)
{
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		char c = json[i];

		*at = i;
		if (c == '\0') {
			/* A C string's terminator counted in len is not data. */
			for (size_t k = i; k < len; k++)
				if (json[k] != '\0')
					return "a NUL byte";
			return in_str ? "a NUL byte" : NULL;
		}
		if (in_str) {
			if (c == '\\') {
				if (i + 5 < len && json[i + 1] == 'u' && memcmp(json + i + 2, "0000", 4) == 0)
					return "\\u0000 in a string";
				i++;
			} else if (c == '"') {
				in_str = false;
			}
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			bool neg = c == '-';
			size_t s = neg ? i + 1 : i, e = s;

			while (e < len && json[e] >= '0' && json[e] <= '9')
				e++;
			if (e < len && (json[e] == '.' || json[e] == 'e' || json[e] == 'E')) {
				while (e < len && strchr("0123456789.eE+-", json[e]))
					e++; /* a fraction or exponent: a double, range-checked later */
			} else if (digits_above(json + s, e - s, neg ? "9223372036854775808" : "18446744073709551615")) {
				return "an integer out of the 64-bit range";
			}
			i = e - 1;
		}
	}
	return NULL;
}

struct json_object *dec_parse_text(const char *json, size_t len, berth_err **err)
{
	struct json_tokener *tok;
	struct json_object *o = NULL;
	enum json_tokener_error jerr;
	size_t end, line = 1, col = 1;
	const char *desc;

	if (len > INT32_MAX)
		return berth_err_set(err, EFBIG, "JSON document too large"), NULL;
	if ((desc = text_problem(json, len, &end)) != NULL)
		goto syntax;
	tok = json_tokener_new();
	if (tok == NULL)
		berth_abort();
	o = json_tokener_parse_ex(tok, json, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o != NULL) {
		/* json-c stops after the first value; anything but whitespace after
		 * it is a second document. */
		while (end < len && json[end] != '\0' && strchr(" \t\r\n", json[end]))
			end++;
		if (end < len && json[end] != '\0') {
			desc = "unexpected data after the top-level value";
			goto syntax;
		}
		if (!json_object_is_type(o, json_type_object)) {
			berth_err_set(err, 0, "expected a JSON object, got %s", dec_type_name(o));
			json_object_put(o);
			return NULL;
		}
		return o;
	}
	if (jerr == json_tokener_continue) {
		desc = "unexpected end of input";
		if (end > len)
			end = len;
	} else {
		desc = json_tokener_error_desc(jerr);
	}
syntax:
	for (size_t i = 0; i < end && i < len; i++) {
		if (json[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	json_object_put(o);
	berth_err_set(err, 0, "invalid JSON at line %zu column %zu: %s", line, col, desc);
	return NULL;
}
