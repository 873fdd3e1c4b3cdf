/* Unit tests for lib/jwrite.c: structure, escaping, round trip. */
#include "config.h"

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
	json_parser_free(p);
	jw_free(&w);
	return check_done();
}
