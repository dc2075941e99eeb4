/* Unit tests for the json-c-free JSON helpers: quoting, and the flat
 * object reader behind state.json (what it decodes, and every shape it must
 * refuse so that the caller falls back to json-c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/json_str.h"

struct seen {
	int n;
	char keys[8][32];
	char strs[8][64];
	struct json_flat_value v[8];
};

static void collect(const char *key, const struct json_flat_value *v, void *ud)
{
	struct seen *s = ud;

	if (s->n >= 8)
		return;
	snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
	s->v[s->n] = *v;
	if (v->type == JSON_FLAT_STRING)
		snprintf(s->strs[s->n], sizeof(s->strs[0]), "%s", v->str);
	s->n++;
}

static int parse(const char *txt, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return json_flat_parse(txt, strlen(txt), collect, s);
}

TEST(flat_scalars)
{
	struct seen s;

	CHECK(parse(" {\"a\":\"x\", \"b\" : -12,\"c\":true,\"d\":false,\"e\":null,"
		    "\"f\":18446744073709551615,\"g\":0}\n",
		    &s) == 0);
	CHECK(s.n == 7);
	CHECK_STR(s.keys[0], "a");
	CHECK(s.v[0].type == JSON_FLAT_STRING);
	CHECK_STR(s.strs[0], "x");
	CHECK(s.v[1].type == JSON_FLAT_INT && s.v[1].neg && s.v[1].i == -12);
	CHECK(s.v[2].type == JSON_FLAT_BOOL && s.v[2].b);
	CHECK(s.v[3].type == JSON_FLAT_BOOL && !s.v[3].b);
	CHECK(s.v[4].type == JSON_FLAT_NULL);
	CHECK(s.v[5].type == JSON_FLAT_INT && !s.v[5].neg && s.v[5].u == UINT64_MAX);
	CHECK(s.v[6].type == JSON_FLAT_INT && s.v[6].u == 0);
	CHECK(parse("{}", &s) == 0 && s.n == 0);
	CHECK(parse("{\"m\":-9223372036854775808}", &s) == 0 && s.v[0].i == INT64_MIN);
}

TEST(flat_string_escapes)
{
	struct seen s;

	/* json-c writes "/" as "\/" */
	CHECK(parse("{\"p\":\"\\/run\\/x \\\"q\\\" \\\\ \\t\\n\\r\\b\\f\"}", &s) == 0);
	CHECK_STR(s.strs[0], "/run/x \"q\" \\ \t\n\r\b\f");
	CHECK(parse("{\"u\":\"\\u00e9\\u20ac\\ud83d\\ude00A\"}", &s) == 0);
	CHECK_STR(s.strs[0], "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "A");
	CHECK(parse("{\"k\\u0041\":\"raw \xc3\xa9\"}", &s) == 0);
	CHECK_STR(s.keys[0], "kA");
	CHECK_STR(s.strs[0], "raw \xc3\xa9");
}

TEST(flat_refuses_what_it_cannot_read)
{
	static const char *bad[] = {
		"",
		"[]",
		"{\"a\":{}}",
		"{\"a\":[1]}",
		"{\"a\":1.5}",
		"{\"a\":1e3}",
		"{\"a\":01}",
		"{\"a\":18446744073709551616}",
		"{\"a\":-9223372036854775809}",
		"{\"a\":-}",
		"{\"a\":\"\\u0000\"}",
		"{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\udc00\"}",
		"{\"a\":\"\\ud800\\u0041\"}",
		"{\"a\":\"\\x\"}",
		"{\"a\":\"tab\there\"}",
		"{\"a\":\"open}",
		"{\"a\":tru}",
		"{\"a\":1,}",
		"{\"a\" 1}",
		"{a:1}",
		"{\"a\":1} x",
		"{\"a\":1",
	};
	struct seen s;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		if (parse(bad[k], &s) != -1) {
			fprintf(stderr, "  accepted: %s\n", bad[k]);
			CHECK(!"a bad text was accepted");
		}
	}
}

/* What json_quote writes, the flat reader reads back unchanged. */
TEST(quote_round_trip)
{
	const char *in = "a\"b\\c\n\x01\xc3\xa9/";
	char *q = json_quote(in), *doc;
	struct seen s;

	CHECK(asprintf(&doc, "{\"k\":%s}", q) > 0);
	CHECK(parse(doc, &s) == 0);
	CHECK_STR(s.strs[0], in);
	free(doc);
	free(q);
}

int main(void)
{
	RUN(flat_scalars);
	RUN(flat_string_escapes);
	RUN(flat_refuses_what_it_cannot_read);
	RUN(quote_round_trip);
	TEST_EXIT();
}
