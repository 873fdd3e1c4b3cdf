/* Unit tests for lib/json.c: the DOM, lookups, errors, reuse. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "check.h"
#include "json.h"

static const struct json_value *
parse(struct json_parser *p, const char *s)
{
	return json_parse(p, s, strlen(s));
}

int
main(void)
{
	struct json_parser *p = json_parser_new();
	const struct json_value *v, *a;
	int64_t n;
	double d;

	v = parse(p, "{\"type\":\"server\",\"n\":42,\"f\":1.5e3,"
	    "\"a\":[1,\"x\",null,true,false,{\"k\":[]}],\"s\":\"\\u00e9\\n\"}");
	CHECK(v != NULL && v->type == JSON_OBJECT && v->len == 5);
	CHECK_STR(json_get_string(v, "type"), "server");
	CHECK(json_int64(json_get(v, "n"), &n) == 0 && n == 42);
	CHECK(json_int64(json_get(v, "f"), &n) == -1);
	CHECK(json_double(json_get(v, "f"), &d) == 0 && d == 1500.0);
	CHECK_STR(json_get(v, "f")->u.text, "1.5e3");
	a = json_get(v, "a");
	CHECK(a != NULL && a->type == JSON_ARRAY && a->len == 6);
	CHECK(a->u.items[0].type == JSON_NUMBER);
	CHECK_STR(json_string(&a->u.items[1]), "x");
	CHECK(a->u.items[2].type == JSON_NULL);
	CHECK(a->u.items[3].type == JSON_TRUE);
	CHECK(a->u.items[4].type == JSON_FALSE);
	CHECK(a->u.items[5].type == JSON_OBJECT);
	CHECK(json_get(&a->u.items[5], "k")->len == 0);
	CHECK_STR(json_get_string(v, "s"), "\xc3\xa9\n");
	CHECK(json_get(v, "missing") == NULL);
	CHECK(json_get(a, "type") == NULL);
	CHECK(!json_present(json_get(v, "missing")));
	CHECK(!json_present(&a->u.items[2]));

	/* Errors: each says something and the parser recovers afterwards. */
	CHECK(parse(p, "{\"a\":1") == NULL);
	/* Input that stops inside a string is placed at its end. */
	CHECK(parse(p, "{\"a\":\"bc") == NULL);
	CHECK_STR(json_parser_error(p), "premature end of input");
	CHECK(json_parser_offset(p) == 8);
	CHECK(strlen(json_parser_error(p)) > 0);
	CHECK(parse(p, "{\"a\":1}{}") == NULL);
	CHECK_STR(json_parser_error(p), "more than one JSON value");
	CHECK(parse(p, "[1,]") == NULL);
	CHECK(parse(p, "") == NULL);
	CHECK_STR(json_parser_error(p), "no JSON value");
	CHECK(parse(p, "\"\xff\"") == NULL);		/* invalid UTF-8 */
	CHECK(parse(p, "tru") == NULL);
	CHECK(parse(p, "[\"a\nb\"]") == NULL);
	v = parse(p, "  7 ");
	CHECK(v != NULL && v->type == JSON_NUMBER);
	v = parse(p, "{\"ok\":true}");
	CHECK(v != NULL && json_get(v, "ok")->type == JSON_TRUE);

	/* Deep nesting is refused, not a crash. */
	{
		static char deep[5000];
		memset(deep, '[', sizeof(deep) - 1);
		CHECK(parse(p, deep) == NULL);
	}

	/* A large document spans several arena blocks and reuses them. */
	{
		static char big[400000];
		size_t i, len = 0;
		int round;

		big[len++] = '[';
		for (i = 0; i < 20000; i++)
			len += (size_t)snprintf(big + len, sizeof(big) - len,
			    "%s\"item-%zu\"", i ? "," : "", i);
		big[len++] = ']';
		for (round = 0; round < 3; round++) {
			v = json_parse(p, big, len);
			CHECK(v != NULL && v->len == 20000);
			CHECK_STR(json_string(&v->u.items[19999]), "item-19999");
		}
	}
	/* A form feed is not JSON whitespace (yajl alone would accept it). */
	CHECK(parse(p, "[\f]") == NULL);
	CHECK(json_parser_offset(p) == 1);
	CHECK(parse(p, "[1]") != NULL);
	json_parser_free(p);
	return check_done();
}
