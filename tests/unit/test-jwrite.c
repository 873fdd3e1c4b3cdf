/* Unit tests for lib/jwrite.c: structure, escaping, round trip. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "jwrite.h"

int
main(void)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp = open_memstream(&out, &outlen);
	struct jw w;
	struct json_parser *p = json_parser_new();
	const struct json_value *v;
	const char *in = "{\"a\":[1,2.50,{\"b\":null}],\"c\":\"q\\\"\\\\\\t\","
	    "\"d\":true}";

	jw_init(&w, fp, "memory");
	jw_object_begin(&w);
	jw_kv_string(&w, "type", "x");
	jw_kv_int(&w, "n", -5);
	jw_key(&w, "arr");
	jw_array_begin(&w);
	jw_int(&w, 1);
	jw_cstring(&w, "two");
	jw_null(&w);
	jw_array_end(&w);
	jw_kv_string(&w, "esc", "a\"b\\c\n\x01\xc3\xa9");
	jw_kv_time(&w, "t", 1551398400);
	jw_kv_string(&w, "none", NULL);
	jw_object_end(&w);
	jw_end_record(&w);

	v = json_parse(p, in, strlen(in));
	jw_value(&w, v);
	jw_end_record(&w);
	jw_raw_line(&w, "{}", 2);
	jw_flush(&w);
	fclose(fp);

	CHECK_STR(out,
	    "{\"type\":\"x\",\"n\":-5,\"arr\":[1,\"two\",null],"
	    "\"esc\":\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\","
	    "\"t\":\"2019-03-01T00:00:00Z\",\"none\":null}\n"
	    "{\"a\":[1,2.50,{\"b\":null}],\"c\":\"q\\\"\\\\\\t\",\"d\":true}\n"
	    "{}\n");
	free(out);
	jw_free(&w);

	/* Escapes at every offset of the eight-byte scan, and the extremes
	 * of integers and times: what is written parses back to the same. */
	{
		char src[300], *buf = NULL;
		size_t blen = 0, i, k;
		FILE *mf;

		for (k = 0; k < 24; k++) {
			for (i = 0; i < sizeof(src); i++)
				src[i] = (char)('a' + i % 26);
			for (i = k; i < sizeof(src); i += 11)
				src[i] = (char)(i % 3 == 0 ? '"' : i % 3 == 1 ?
				    '\\' : (char)(i % 32));
			mf = open_memstream(&buf, &blen);
			jw_init(&w, mf, "memory");
			jw_string(&w, src, sizeof(src) - k);
			jw_end_record(&w);
			jw_flush(&w);
			fclose(mf);
			v = json_parse(p, buf, blen);
			CHECK(v != NULL && v->type == JSON_STRING &&
			    v->len == sizeof(src) - k &&
			    memcmp(v->u.text, src, v->len) == 0);
			free(buf);
			buf = NULL;
			jw_free(&w);
		}
		mf = open_memstream(&buf, &blen);
		jw_init(&w, mf, "memory");
		jw_array_begin(&w);
		jw_int(&w, INT64_MIN);
		jw_int(&w, INT64_MAX);
		jw_int(&w, 0);
		jw_time(&w, 0);
		jw_time(&w, 253402300799);	/* 9999-12-31T23:59:59Z */
		jw_time(&w, -86400);
		jw_array_end(&w);
		jw_end_record(&w);
		jw_flush(&w);
		fclose(mf);
		CHECK_STR(buf, "[-9223372036854775808,9223372036854775807,0,"
		    "\"1970-01-01T00:00:00Z\",\"9999-12-31T23:59:59Z\","
		    "\"1969-12-31T00:00:00Z\"]\n");
		free(buf);
		jw_free(&w);
	}
	json_parser_free(p);
	return check_done();
}
