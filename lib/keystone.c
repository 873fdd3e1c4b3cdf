/*
 * keystone.c: asking Keystone v3 for a token, reading its catalog.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwrite.h"
#include "keystone.h"
#include "util.h"

static char *
strip_slashes(const char *url)
{
	char *s = moc_xstrdup(url);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

char *
keystone_v3_root(const char *url)
{
	char *s = strip_slashes(url), *r;
	size_t n;

	if (ends_with(s, "/v3"))
		return s;
	/* An auth_url naming another version ("/v2.0") still means v3. */
	if (ends_with(s, "/v2.0"))
		s[strlen(s) - 5] = '\0';
	n = strlen(s) + 4;
	r = moc_xmalloc(n);
	snprintf(r, n, "%s/v3", s);
	free(s);
	return r;
}

char *
keystone_token_url(const char *auth_url)
{
	char *root = keystone_v3_root(auth_url), *r;
	size_t n = strlen(root) + 13;

	r = moc_xmalloc(n);
	snprintf(r, n, "%s/auth/tokens", root);
	free(root);
	return r;
}

/* {"id": ...} or {"name": ...}, the way Keystone names a domain. */
static void
domain(struct jw *w, const char *id, const char *name)
{
	jw_key(w, "domain");
	jw_object_begin(w);
	if (id != NULL)
		jw_kv_string(w, "id", id);
	else if (name != NULL)
		jw_kv_string(w, "name", name);
	else
		jw_kv_string(w, "id", "default");
	jw_object_end(w);
}

static void
user(struct jw *w, const struct cloudconf *c)
{
	jw_key(w, "user");
	jw_object_begin(w);
	if (c->user_id != NULL)
		jw_kv_string(w, "id", c->user_id);
	else {
		jw_kv_string(w, "name", c->username);
		domain(w, c->user_domain_id, c->user_domain_name);
	}
}

static int
is_app_cred(const struct cloudconf *c)
{
	return strstr(c->auth_type, "application") != NULL;
}

static void
scope(struct jw *w, const struct cloudconf *c)
{
	if (is_app_cred(c))
		return; /* the credential carries its own scope */
	if (c->system_scope != NULL) {
		jw_key(w, "scope");
		jw_object_begin(w);
		jw_key(w, "system");
		jw_object_begin(w);
		jw_key(w, "all");
		jw_bool(w, 1);
		jw_object_end(w);
		jw_object_end(w);
	} else if (c->project_id != NULL || c->project_name != NULL) {
		jw_key(w, "scope");
		jw_object_begin(w);
		jw_key(w, "project");
		jw_object_begin(w);
		if (c->project_id != NULL)
			jw_kv_string(w, "id", c->project_id);
		else {
			jw_kv_string(w, "name", c->project_name);
			domain(w,
			    c->project_domain_id != NULL ? c->project_domain_id
			        : c->project_domain_name ? NULL
			                                 : c->user_domain_id,
			    c->project_domain_name ? c->project_domain_name
			                           : c->user_domain_name);
		}
		jw_object_end(w);
		jw_object_end(w);
	} else if (c->domain_id != NULL || c->domain_name != NULL) {
		jw_key(w, "scope");
		jw_object_begin(w);
		domain(w, c->domain_id, c->domain_name);
		jw_object_end(w);
	}
}

char *
keystone_token_body(const struct cloudconf *c, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	struct jw w;

	if (fp == NULL)
		moc_die_sys(EXIT_DATA, "open_memstream");
	jw_init(&w, fp, "token request");
	jw_object_begin(&w);
	jw_key(&w, "auth");
	jw_object_begin(&w);
	jw_key(&w, "identity");
	jw_object_begin(&w);
	jw_key(&w, "methods");
	jw_array_begin(&w);
	jw_cstring(&w, is_app_cred(c) ? "application_credential" : "password");
	jw_array_end(&w);
	if (is_app_cred(c)) {
		jw_key(&w, "application_credential");
		jw_object_begin(&w);
		if (c->app_cred_id != NULL)
			jw_kv_string(&w, "id", c->app_cred_id);
		else {
			jw_kv_string(&w, "name", c->app_cred_name);
			user(&w, c);
			jw_object_end(&w);
		}
		jw_kv_string(&w, "secret", c->app_cred_secret);
		jw_object_end(&w);
	} else {
		jw_key(&w, "password");
		jw_object_begin(&w);
		user(&w, c);
		jw_kv_string(&w, "password", c->password);
		jw_object_end(&w);
		jw_object_end(&w);
	}
	jw_object_end(&w); /* identity */
	scope(&w, c);
	jw_object_end(&w); /* auth */
	jw_object_end(&w);
	jw_flush(&w);
	/* The writer's buffer held the secret too. */
	memset(w.buf, 0, w.cap);
	jw_free(&w);
	if (fclose(fp) != 0)
		moc_die_sys(EXIT_DATA, "token request");
	*len = size;
	return buf;
}

static int
region_matches(const struct json_value *ep, const char *region)
{
	const char *r = json_get_string(ep, "region_id");
	const char *n = json_get_string(ep, "region");

	return (r != NULL && strcmp(r, region) == 0) ||
	    (n != NULL && strcmp(n, region) == 0);
}

char *
keystone_endpoint(const struct json_value *body, const char *const *types,
    const char *interface, char **region)
{
	const struct json_value *cat =
	    json_get(json_get(body, "token"), "catalog");
	size_t i, j;

	if (cat == NULL || cat->type != JSON_ARRAY)
		return NULL;
	for (; *types != NULL; types++) {
		for (i = 0; i < cat->len; i++) {
			const struct json_value *svc = &cat->u.items[i];
			const struct json_value *eps =
			    json_get(svc, "endpoints");
			const char *t = json_get_string(svc, "type");

			if (t == NULL || strcmp(t, *types) != 0 ||
			    eps == NULL || eps->type != JSON_ARRAY)
				continue;
			for (j = 0; j < eps->len; j++) {
				const struct json_value *ep = &eps->u.items[j];
				const char *in =
				    json_get_string(ep, "interface");
				const char *url = json_get_string(ep, "url");
				const char *r;

				if (in == NULL || url == NULL ||
				    strcmp(in, interface) != 0)
					continue;
				if (*region != NULL) {
					if (!region_matches(ep, *region))
						continue;
				} else {
					r = json_get_string(ep, "region_id");
					if (r == NULL)
						r = json_get_string(
						    ep, "region");
					if (r != NULL)
						*region = moc_xstrdup(r);
				}
				return strip_slashes(url);
			}
		}
	}
	return NULL;
}
