/* A small table-driven decoder from json-c trees into C structs: one table
 * per JSON object lists each member's name, kind and offsets, so that type,
 * range and presence checks (and freeing) are written once, not per field.
 * Errors name the full JSON path of the offending value. */
#ifndef BERTH_OCI_DECODE_H
#define BERTH_OCI_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "util/error.h"

/* Marks "no has_* flag / no count" in dec_field.aux and dec_table.key_off. */
#define DEC_NONE ((size_t)-1)

enum dec_kind {
	DK_STRING, /* char *; aux: unused */
	DK_BOOL,   /* bool; aux: has_* flag or DEC_NONE */
	DK_I32,    /* int; aux: has_* flag or DEC_NONE */
	DK_U16,    /* uint16_t; ditto */
	DK_U32,    /* uint32_t; ditto */
	DK_I64,    /* int64_t; ditto */
	DK_U64,    /* uint64_t; ditto */
	DK_STRV,   /* char ** NULL-terminated; aux: size_t count or DEC_NONE */
	DK_U32V,   /* uint32_t *; aux: size_t count */
	DK_OBJ,    /* struct embedded at off (off 0 with parent offsets in sub:
		      the members land in the parent); aux: has_* flag or DEC_NONE */
	DK_OBJPTR, /* pointer to a new struct of sub->size */
	DK_OBJARR, /* array of sub->size elements; aux: size_t count */
	DK_KVMAP,  /* JSON object of strings into struct oci_kv[]; aux: count */
	DK_OBJMAP, /* JSON object of objects into an array of sub->size elements,
		      the key stored at sub->key_off; aux: count */
	DK_CUSTOM, /* conv() decodes into base + off; aux: has_* flag or DEC_NONE.
		      conv must not allocate: the free walker knows nothing of it */
};

struct dec_ctx;
struct dec_table;

/* Converts v (never JSON null) into dst; on failure reports through
 * dec_fail and returns -1. */
typedef int (*dec_conv_fn)(struct dec_ctx *d, struct json_object *v, void *dst);

struct dec_field {
	const char *name; /* JSON member name */
	enum dec_kind kind;
	size_t off;
	size_t aux;
	bool required;
	const struct dec_table *sub; /* DK_OBJ, DK_OBJPTR, DK_OBJARR, DK_OBJMAP */
	dec_conv_fn conv;            /* DK_CUSTOM */
};

struct dec_table {
	const struct dec_field *fields;
	size_t n_fields;
	size_t size;                 /* sizeof the struct, for DK_OBJPTR/ARR/MAP */
	void (*init)(void *obj);     /* sets defaults before decoding; may be NULL */
	size_t key_off;              /* DK_OBJMAP elements: offset of char *key */
};

#define DEC_TABLE(type, arr, initfn, keyoff) \
	{ .fields = (arr), .n_fields = sizeof(arr) / sizeof((arr)[0]), .size = sizeof(type), \
	  .init = (initfn), .key_off = (keyoff) }

/* Field constructors: st is the struct type the table describes. */
#define F_STR(st, n, m, req) { (n), DK_STRING, offsetof(st, m), DEC_NONE, (req), NULL, NULL }
#define F_SCALAR(st, n, k, m, req) { (n), (k), offsetof(st, m), DEC_NONE, (req), NULL, NULL }
#define F_OPT(st, n, k, m, has) { (n), (k), offsetof(st, m), offsetof(st, has), false, NULL, NULL }
#define F_STRV(st, n, m, req) { (n), DK_STRV, offsetof(st, m), DEC_NONE, (req), NULL, NULL }
#define F_STRVN(st, n, m, cnt, req) { (n), DK_STRV, offsetof(st, m), offsetof(st, cnt), (req), NULL, NULL }
#define F_U32V(st, n, m, cnt) { (n), DK_U32V, offsetof(st, m), offsetof(st, cnt), false, NULL, NULL }
#define F_OBJ(st, n, m, sub) { (n), DK_OBJ, offsetof(st, m), DEC_NONE, false, (sub), NULL }
#define F_OBJH(st, n, m, has, sub) { (n), DK_OBJ, offsetof(st, m), offsetof(st, has), false, (sub), NULL }
/* An object whose members live directly in st (sub uses st's offsets). */
#define F_INLINE(st, n, has, sub) { (n), DK_OBJ, 0, offsetof(st, has), false, (sub), NULL }
#define F_INLINE_REQ(n, sub) { (n), DK_OBJ, 0, DEC_NONE, true, (sub), NULL }
#define F_OBJPTR(st, n, m, sub) { (n), DK_OBJPTR, offsetof(st, m), DEC_NONE, false, (sub), NULL }
#define F_OBJARR(st, n, m, cnt, sub) { (n), DK_OBJARR, offsetof(st, m), offsetof(st, cnt), false, (sub), NULL }
#define F_KVMAP(st, n, m, cnt) { (n), DK_KVMAP, offsetof(st, m), offsetof(st, cnt), false, NULL, NULL }
#define F_OBJMAP(st, n, m, cnt, sub) { (n), DK_OBJMAP, offsetof(st, m), offsetof(st, cnt), false, (sub), NULL }
#define F_CUSTOM(st, n, m, fn, req) { (n), DK_CUSTOM, offsetof(st, m), DEC_NONE, (req), NULL, (fn) }
#define F_CUSTOMH(st, n, m, has, fn) { (n), DK_CUSTOM, offsetof(st, m), offsetof(st, has), false, NULL, (fn) }

/* Decoding state: the JSON path of the value being decoded ("process.user")
 * and where the first error goes. */
struct dec_ctx {
	char path[512];
	size_t len;
	berth_err **err;
};

/* Starts a context whose paths begin with root ("" for a whole config). */
void dec_init(struct dec_ctx *d, const char *root, berth_err **err);

/* Path stack: push ".name" (or "name" at the root) / "[i]"; pop restores the
 * previous length, which push returns. */
size_t dec_push_name(struct dec_ctx *d, const char *name);
size_t dec_push_index(struct dec_ctx *d, size_t i);
void dec_pop(struct dec_ctx *d, size_t saved);

/* Sets the error "<path>: <message>" (just the message at the root).
 * Returns -1. */
int dec_fail(struct dec_ctx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Decodes JSON object o into base (already zeroed and initialised) by table
 * t. Members not in t are ignored; JSON null counts as absent. On failure the
 * struct may be partly filled: dec_free still releases it correctly. */
int dec_object(struct dec_ctx *d, struct json_object *o, const struct dec_table *t, void *base);

/* Frees every member of base that t owns (not base itself). */
void dec_free(const struct dec_table *t, void *base);

/* Converts an integral JSON number into [min, max] (dec_int64) or [0, max]
 * (dec_uint64). Floats with a fraction, non-numbers and values out of range
 * fail naming the current path. */
int dec_int64(struct dec_ctx *d, struct json_object *v, int64_t min, int64_t max, int64_t *out);
int dec_uint64(struct dec_ctx *d, struct json_object *v, uint64_t max, uint64_t *out);

/* Requires v to be a string; *out borrows json-c's storage. */
int dec_string(struct dec_ctx *d, struct json_object *v, const char **out);

/* Human name of a JSON value's type for messages ("string", "number"...). */
const char *dec_type_name(struct json_object *v);

/* Parses JSON text (not necessarily NUL-terminated) into a tree. A syntax
 * error reads "invalid JSON at line L column C: <description>". The root
 * must be an object. */
struct json_object *dec_parse_text(const char *json, size_t len, berth_err **err);

#endif
