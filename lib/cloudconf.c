/*
 * cloudconf.c: clouds.yaml, secure.yaml and the OS_* variables.
 *
 * Follows openstacksdk: the first clouds.yaml found in the search path
 * (./, $XDG_CONFIG_HOME/openstack or ~/.config/openstack, /etc/openstack;
 * $OS_CLIENT_CONFIG_FILE first) holds the cloud; a secure.yaml found the
 * same way adds to it and wins where both set a value; OS_* variables
 * override both, as they do for the openstack command.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "cloudconf.h"
#include "util.h"

struct ydoc {
	yaml_document_t doc;
	int loaded;
	yaml_node_t *cloud; /* clouds.<name>, or NULL */
	char path[4096];
};

int
cloudconf_search_path(const char *base, char paths[][4096], int max)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *exts[] = {"yaml", "yml"};
	char dirs[3][3072];
	int nd = 0, n = 0, i, j;

	snprintf(dirs[nd++], sizeof(dirs[0]), ".");
	if (xdg != NULL && *xdg != '\0')
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s/openstack", xdg);
	else if (home != NULL && *home != '\0')
		snprintf(
		    dirs[nd++], sizeof(dirs[0]), "%s/.config/openstack", home);
	snprintf(dirs[nd++], sizeof(dirs[0]), "/etc/openstack");
	for (i = 0; i < nd; i++)
		for (j = 0; j < 2 && n < max; j++)
			if (snprintf(paths[n], 4096, "%s/%s.%s", dirs[i], base,
			        exts[j]) < 4096)
				n++;
	return n;
}

static yaml_node_t *
map_get(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static const char *
scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	/* "~" and an empty plain scalar are YAML's null. */
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (n->data.scalar.length == 0 ||
	        strcmp((const char *)n->data.scalar.value, "~") == 0 ||
	        strcmp((const char *)n->data.scalar.value, "null") == 0))
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* Load the first existing file of the search path; 0 none, -1 error. */
static int
load_first(const char *base, const char *envvar, struct ydoc *y, char *err,
    size_t errlen)
{
	char paths[8][4096];
	const char *env = getenv(envvar);
	int n = 0, i;

	if (env != NULL && *env != '\0')
		snprintf(paths[n++], sizeof(paths[0]), "%s", env);
	n += cloudconf_search_path(base, paths + n, 8 - n);
	for (i = 0; i < n; i++) {
		yaml_parser_t p;
		FILE *fp = fopen(paths[i], "r");

		if (fp == NULL) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			snprintf(
			    err, errlen, "%s: %s", paths[i], strerror(errno));
			return -1;
		}
		memcpy(y->path, paths[i], sizeof(y->path));
		yaml_parser_initialize(&p);
		yaml_parser_set_input_file(&p, fp);
		if (!yaml_parser_load(&p, &y->doc)) {
			snprintf(err, errlen, "%s:%lu:%lu: %s", paths[i],
			    (unsigned long)p.problem_mark.line + 1,
			    (unsigned long)p.problem_mark.column + 1,
			    p.problem != NULL ? p.problem : "YAML error");
			yaml_parser_delete(&p);
			fclose(fp);
			return -1;
		}
		yaml_parser_delete(&p);
		fclose(fp);
		y->loaded = 1;
		return 1;
	}
	return 0;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? moc_xstrdup(s) : NULL;
}

/* Set *field from the YAML (secure.yaml first), if either has it. */
static void
from_yaml(struct ydoc *ys, int nys, char **field, const char *section,
    const char *key)
{
	int i;

	for (i = 0; i < nys; i++) {
		struct ydoc *y = &ys[i];
		yaml_node_t *n = y->cloud;
		const char *v;

		if (n == NULL)
			continue;
		if (section != NULL)
			n = map_get(&y->doc, n, section);
		v = scalar(map_get(&y->doc, n, key));
		if (v != NULL) {
			free(*field);
			*field = moc_xstrdup(v);
			return;
		}
	}
}

static void
from_env(char **field, const char *name)
{
	const char *v = getenv(name);

	if (v != NULL && *v != '\0') {
		free(*field);
		*field = moc_xstrdup(v);
	}
}

/* The region: region_name, or the first of a "regions" list. */
static void
region_from_yaml(struct ydoc *ys, int nys, struct cloudconf *c)
{
	int i;

	from_yaml(ys, nys, &c->region_name, NULL, "region_name");
	for (i = 0; c->region_name == NULL && i < nys; i++) {
		yaml_node_t *l = map_get(&ys[i].doc, ys[i].cloud, "regions");
		yaml_node_t *first;

		if (l == NULL || l->type != YAML_SEQUENCE_NODE ||
		    l->data.sequence.items.start == l->data.sequence.items.top)
			continue;
		first = yaml_document_get_node(
		    &ys[i].doc, *l->data.sequence.items.start);
		if (first != NULL && first->type == YAML_MAPPING_NODE)
			first = map_get(&ys[i].doc, first, "name");
		c->region_name = dup_or_null(scalar(first));
	}
}

static int
is_false(const char *v)
{
	return v != NULL &&
	    (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
	        strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0);
}

static void
fields_from_yaml(struct ydoc *ys, int nys, struct cloudconf *c)
{
	char *verify = NULL;

	from_yaml(ys, nys, &c->auth_type, NULL, "auth_type");
	from_yaml(ys, nys, &c->auth_url, "auth", "auth_url");
	from_yaml(ys, nys, &c->username, "auth", "username");
	from_yaml(ys, nys, &c->user_id, "auth", "user_id");
	from_yaml(ys, nys, &c->password, "auth", "password");
	from_yaml(ys, nys, &c->user_domain_name, "auth", "user_domain_name");
	from_yaml(ys, nys, &c->user_domain_id, "auth", "user_domain_id");
	from_yaml(ys, nys, &c->project_name, "auth", "project_name");
	from_yaml(ys, nys, &c->project_id, "auth", "project_id");
	from_yaml(
	    ys, nys, &c->project_domain_name, "auth", "project_domain_name");
	from_yaml(ys, nys, &c->project_domain_id, "auth", "project_domain_id");
	from_yaml(ys, nys, &c->domain_name, "auth", "domain_name");
	from_yaml(ys, nys, &c->domain_id, "auth", "domain_id");
	from_yaml(ys, nys, &c->system_scope, "auth", "system_scope");
	from_yaml(
	    ys, nys, &c->app_cred_id, "auth", "application_credential_id");
	from_yaml(
	    ys, nys, &c->app_cred_name, "auth", "application_credential_name");
	from_yaml(ys, nys, &c->app_cred_secret, "auth",
	    "application_credential_secret");
	from_yaml(ys, nys, &c->interface, NULL, "interface");
	from_yaml(ys, nys, &c->cacert, NULL, "cacert");
	from_yaml(
	    ys, nys, &c->compute_api_version, NULL, "compute_api_version");
	from_yaml(ys, nys, &c->volume_api_version, NULL, "volume_api_version");
	from_yaml(ys, nys, &verify, NULL, "verify");
	c->insecure = is_false(verify);
	free(verify);
	region_from_yaml(ys, nys, c);
}

static void
fields_from_env(struct cloudconf *c)
{
	const char *ins = getenv("OS_INSECURE");

	from_env(&c->auth_type, "OS_AUTH_TYPE");
	from_env(&c->auth_url, "OS_AUTH_URL");
	from_env(&c->username, "OS_USERNAME");
	from_env(&c->user_id, "OS_USER_ID");
	from_env(&c->password, "OS_PASSWORD");
	from_env(&c->user_domain_name, "OS_USER_DOMAIN_NAME");
	from_env(&c->user_domain_id, "OS_USER_DOMAIN_ID");
	from_env(&c->project_name, "OS_TENANT_NAME");
	from_env(&c->project_name, "OS_PROJECT_NAME");
	from_env(&c->project_id, "OS_TENANT_ID");
	from_env(&c->project_id, "OS_PROJECT_ID");
	from_env(&c->project_domain_name, "OS_PROJECT_DOMAIN_NAME");
	from_env(&c->project_domain_id, "OS_PROJECT_DOMAIN_ID");
	from_env(&c->domain_name, "OS_DOMAIN_NAME");
	from_env(&c->domain_id, "OS_DOMAIN_ID");
	from_env(&c->system_scope, "OS_SYSTEM_SCOPE");
	from_env(&c->app_cred_id, "OS_APPLICATION_CREDENTIAL_ID");
	from_env(&c->app_cred_name, "OS_APPLICATION_CREDENTIAL_NAME");
	from_env(&c->app_cred_secret, "OS_APPLICATION_CREDENTIAL_SECRET");
	from_env(&c->region_name, "OS_REGION_NAME");
	from_env(&c->interface, "OS_ENDPOINT_TYPE");
	from_env(&c->interface, "OS_INTERFACE");
	from_env(&c->cacert, "OS_CACERT");
	from_env(&c->compute_api_version, "OS_COMPUTE_API_VERSION");
	from_env(&c->volume_api_version, "OS_VOLUME_API_VERSION");
	if (ins != NULL && *ins != '\0' && !is_false(ins))
		c->insecure = 1;
}

/* "publicURL" (the old form) means "public". */
static void
normalise(struct cloudconf *c)
{
	size_t n;

	if (c->interface == NULL)
		c->interface = moc_xstrdup("public");
	n = strlen(c->interface);
	if (n > 3 && strcmp(c->interface + n - 3, "URL") == 0)
		c->interface[n - 3] = '\0';
	if (c->auth_type == NULL)
		c->auth_type = moc_xstrdup(
		    c->app_cred_id != NULL || c->app_cred_name != NULL
		        ? "v3applicationcredential"
		        : "password");
}

int
cloudconf_load(struct cloudconf *c, const char *cloud, char *err, size_t errlen)
{
	struct ydoc ys[2];
	int r, i, rc = -1;

	memset(c, 0, sizeof(*c));
	memset(ys, 0, sizeof(ys));
	if (cloud == NULL || *cloud == '\0')
		cloud = getenv("OS_CLOUD");
	if (cloud != NULL && *cloud == '\0')
		cloud = NULL;
	c->cloud = moc_xstrdup(cloud != NULL ? cloud : "envvars");
	if (cloud != NULL) {
		/* ys[0] is secure.yaml (it wins), ys[1] clouds.yaml. */
		if ((r = load_first("clouds", "OS_CLIENT_CONFIG_FILE", &ys[1],
		         err, errlen)) < 0)
			goto out;
		if (r == 0) {
			snprintf(err, errlen,
			    "cloud \"%s\" asked for, but no "
			    "clouds.yaml was found",
			    cloud);
			goto out;
		}
		if (load_first("secure", "OS_CLIENT_SECURE_FILE", &ys[0], err,
		        errlen) < 0)
			goto out;
		for (i = 0; i < 2; i++) {
			yaml_node_t *root;

			if (!ys[i].loaded)
				continue;
			root = yaml_document_get_root_node(&ys[i].doc);
			ys[i].cloud = map_get(&ys[i].doc,
			    map_get(&ys[i].doc, root, "clouds"), cloud);
		}
		if (ys[1].cloud == NULL ||
		    ys[1].cloud->type != YAML_MAPPING_NODE) {
			snprintf(err, errlen,
			    "%s: no cloud \"%s\" under "
			    "\"clouds\"",
			    ys[1].path, cloud);
			goto out;
		}
		c->file = moc_xstrdup(ys[1].path);
		fields_from_yaml(ys, 2, c);
	}
	fields_from_env(c);
	normalise(c);
	rc = 0;
out:
	for (i = 0; i < 2; i++)
		if (ys[i].loaded)
			yaml_document_delete(&ys[i].doc);
	return rc;
}

int
cloudconf_check(const struct cloudconf *c, char *err, size_t errlen)
{
	if (c->auth_url == NULL) {
		snprintf(err, errlen,
		    "no auth_url: name a cloud with "
		    "--os-cloud or OS_CLOUD, or set OS_AUTH_URL");
		return -1;
	}
	if (strcmp(c->auth_type, "v3applicationcredential") == 0 ||
	    strcmp(c->auth_type, "applicationcredential") == 0 ||
	    strcmp(c->auth_type, "v3_application_credential") == 0) {
		if (c->app_cred_secret == NULL) {
			snprintf(err, errlen,
			    "application credential without "
			    "a secret (application_credential_secret or "
			    "OS_APPLICATION_CREDENTIAL_SECRET)");
			return -1;
		}
		if (c->app_cred_id == NULL &&
		    (c->app_cred_name == NULL ||
		        (c->username == NULL && c->user_id == NULL))) {
			snprintf(err, errlen,
			    "application credential needs "
			    "its id, or its name and the user");
			return -1;
		}
		return 0;
	}
	if (strcmp(c->auth_type, "password") != 0 &&
	    strcmp(c->auth_type, "v3password") != 0) {
		snprintf(err, errlen,
		    "auth_type \"%s\" is not supported "
		    "(password, v3applicationcredential)",
		    c->auth_type);
		return -1;
	}
	if (c->username == NULL && c->user_id == NULL) {
		snprintf(err, errlen,
		    "no user: set username (OS_USERNAME) "
		    "or user_id (OS_USER_ID)");
		return -1;
	}
	if (c->password == NULL) {
		snprintf(err, errlen,
		    "no password: set it in clouds.yaml, "
		    "secure.yaml or OS_PASSWORD");
		return -1;
	}
	return 0;
}

static void
wipe(char *s)
{
	if (s != NULL) {
		volatile char *p = s;
		while (*p != '\0')
			*p++ = '\0';
	}
	free(s);
}

void
cloudconf_free(struct cloudconf *c)
{
	free(c->cloud);
	free(c->file);
	free(c->auth_type);
	free(c->auth_url);
	free(c->username);
	free(c->user_id);
	wipe(c->password);
	free(c->user_domain_name);
	free(c->user_domain_id);
	free(c->project_name);
	free(c->project_id);
	free(c->project_domain_name);
	free(c->project_domain_id);
	free(c->domain_name);
	free(c->domain_id);
	free(c->system_scope);
	free(c->app_cred_id);
	free(c->app_cred_name);
	wipe(c->app_cred_secret);
	free(c->region_name);
	free(c->interface);
	free(c->cacert);
	free(c->compute_api_version);
	free(c->volume_api_version);
}
