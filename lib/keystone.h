/*
 * keystone.h: the Keystone v3 token request and the service catalog.
 */
#ifndef MOC_KEYSTONE_H
#define MOC_KEYSTONE_H

#include <stddef.h>

#include "cloudconf.h"
#include "json.h"

/* ".../v3/auth/tokens" from an auth_url with or without its version. */
char *keystone_token_url(const char *auth_url);
/* The identity API root (".../v3") from the same. */
char *keystone_v3_root(const char *url);

/*
 * The POST body asking for a token: password or application credential,
 * scoped as configured.  Holds a secret: the caller wipes it.
 */
char *keystone_token_body(const struct cloudconf *c, size_t *len);

/*
 * The endpoint of the first service of one of the types (NULL-ended list,
 * preferred first) with the interface, in *region (taken from the first
 * matching endpoint when *region is NULL).  NULL when there is none.
 */
char *keystone_endpoint(const struct json_value *token_body,
    const char *const *types, const char *interface, char **region);

#endif
