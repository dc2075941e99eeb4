/* libFuzzer target: the flat JSON reader (json_flat_parse) against json-c.
 * Whatever the flat reader accepts, json-c must read as an object with the
 * same members, strings byte for byte and integers to the bit (the last of
 * repeated keys wins in both); what it refuses goes to json-c in berth, so
 * refusing is always safe and is not checked. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct member {
	char *key;
	struct json_flat_value v;
	char *str;
};

struct members {
	struct member m[64];
	size_t n;
	int overflow;
};

static void collect(const char *key, const struct json_flat_value *v, void *ud)
{
	struct members *ms = ud;
	struct member *m;

	if (ms->n == 64) {
		ms->overflow = 1;
		return;
	}
	m = &ms->m[ms->n++];
	m->key = strdup(key);
	m->v = *v;
	m->str = v->type == JSON_FLAT_STRING ? strdup(v->str) : NULL;
	m->v.str = NULL;
}

static void same(const struct member *m, json_object *o)
{
	json_object *v;

	if (!json_object_object_get_ex(o, m->key, &v))
		__builtin_trap();
	switch (m->v.type) {
	case JSON_FLAT_STRING:
		if (!json_object_is_type(v, json_type_string) || strcmp(json_object_get_string(v), m->str) != 0 ||
		    (size_t)json_object_get_string_len(v) != strlen(m->str))
			__builtin_trap();
		break;
	case JSON_FLAT_INT:
		if (!json_object_is_type(v, json_type_int))
			__builtin_trap();
		if (m->v.neg ? json_object_get_int64(v) != m->v.i : json_object_get_uint64(v) != m->v.u)
			__builtin_trap();
		break;
	case JSON_FLAT_BOOL:
		if (!json_object_is_type(v, json_type_boolean) || json_object_get_boolean(v) != m->v.b)
			__builtin_trap();
		break;
	case JSON_FLAT_NULL:
		if (v != NULL)
			__builtin_trap();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct members ms = {0};
	char *txt = malloc(size + 1);

	if (txt == NULL)
		return 0;
	memcpy(txt, data, size);
	txt[size] = '\0';
	if (json_flat_parse(txt, size, collect, &ms) == 0 && !ms.overflow) {
		json_object *o = json_tokener_parse(txt);
		if (o == NULL || !json_object_is_type(o, json_type_object))
			__builtin_trap();
		for (size_t k = 0; k < ms.n; k++) {
			int later = 0;
			for (size_t l = k + 1; l < ms.n; l++)
				later |= strcmp(ms.m[l].key, ms.m[k].key) == 0;
			if (!later)
				same(&ms.m[k], o);
		}
		json_object_put(o);
	}
	for (size_t k = 0; k < ms.n; k++) {
		free(ms.m[k].key);
		free(ms.m[k].str);
	}
	free(txt);
	return 0;
}
