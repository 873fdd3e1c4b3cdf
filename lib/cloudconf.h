/*
 * cloudconf.h: where an OpenStack client finds a cloud and its credentials, the
 * way OpenStack's own clients do: a named cloud from clouds.yaml (with secrets
 * from secure.yaml beside it), then the OS_* variables on top.
 */
#ifndef MOC_CLOUDCONF_H
#define MOC_CLOUDCONF_H

struct cloudconf {
	char *cloud;     /* the cloud's name, "envvars" without one */
	char *file;      /* the clouds.yaml it came from, or NULL */
	char *auth_type; /* "password" or "v3applicationcredential" */
	char *auth_url;
	char *username, *user_id, *password;
	char *user_domain_name, *user_domain_id;
	char *project_name, *project_id;
	char *project_domain_name, *project_domain_id;
	char *domain_name, *domain_id; /* domain scope */
	char *system_scope;            /* "all" */
	char *app_cred_id, *app_cred_name, *app_cred_secret;
	char *region_name;
	char *interface; /* public, internal, admin */
	char *cacert;
	int insecure; /* verify: false */
	char *compute_api_version, *volume_api_version;
};

/*
 * Fill c for the named cloud (NULL: $OS_CLOUD, or none).  On a problem,
 * the message goes to err (never quoting a secret) and -1 is returned.
 */
int cloudconf_load(
    struct cloudconf *c, const char *cloud, char *err, size_t errlen);
/* Whether the configuration names what Keystone needs; why not in err. */
int cloudconf_check(const struct cloudconf *c, char *err, size_t errlen);
void cloudconf_free(struct cloudconf *c);

/* The files looked at, in order (for messages and the man page). */
int cloudconf_search_path(const char *base, char paths[][4096], int max);

#endif
