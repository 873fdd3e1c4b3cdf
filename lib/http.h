/*
 * http.h: many HTTP requests at once over libcurl's multi interface, with a
 * cap on how many are in flight, per-request timeouts, and retries with
 * exponential backoff and jitter for what is worth retrying (timeouts,
 * resets, cut bodies, 429 and 5xx), honouring Retry-After.
 *
 * Linked only into the tools that talk HTTP (libmochttp.a), so the rest of
 * the suite does not depend on libcurl.  Never turns on libcurl's verbose
 * trace: request headers carry tokens and bodies carry passwords.
 */
#ifndef MOC_HTTP_H
#define MOC_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct http_opts {
	int parallel;       /* requests in flight at most */
	long timeout_ms;    /* one attempt, connect included */
	int retries;        /* extra attempts after the first */
	long backoff_ms;    /* first backoff; doubles each time */
	long max_wait_ms;   /* cap on one wait (Retry-After too) */
	size_t max_body;    /* larger bodies are refused */
	size_t spool_over;  /* larger bodies wait in a temporary file */
	const char *cacert; /* CA bundle, or NULL for the system's */
	int insecure;       /* skip TLS verification (asked for) */
	const char *user_agent;
};

/*
 * A filter for the body of a 2xx answer: each piece passes through it as
 * it arrives, and what it writes to out (at most n bytes) is what is kept,
 * so a body can be checked and trimmed while the transfer is still going
 * rather than read again at the end.  begin runs before the first piece of
 * every attempt (and for an empty body too).
 */
struct http_filter {
	void (*begin)(void *arg);
	size_t (*piece)(void *arg, const char *in, size_t n, char *out);
};

struct http_req {
	/* Set by the caller. */
	char *url;  /* owned: freed by http_req_free */
	char *post; /* owned; NULL for GET */
	size_t postlen;
	char *header; /* owned; one extra "Name: value" or NULL */
	int no_auth;  /* leave out the client's auth header */
	int no_spool; /* keep the body in memory, however large */
	int first;    /* jump the queue (the next page of a listing) */
	const struct http_filter *filter; /* NULL: keep bodies as they come */
	void *filter_arg;
	void *data; /* the caller's */

	/* The outcome, set before the done callback runs. */
	long status;     /* HTTP status; 0 when there was none */
	char error[256]; /* why there was no usable answer */
	int temporary;   /* failed after every retry */
	int attempts;
	unsigned auth_gen; /* auth header generation it was sent with */
	char *body;   /* NULL when the body is spooled: see http_body_chunks */
	size_t len;   /* bytes of body, in memory or spooled */
	int filtered; /* 1: the body kept is the filter's output */
	char *subject_token; /* X-Subject-Token (Keystone) */
	char *api_version;   /* OpenStack-API-Version */

	/* The client's own. */
	long retry_after_ms;
	int64_t not_before;
	size_t cap;
	struct http_req *next;
	void *easy;
	void *hdrs;
	void *spool; /* FILE * */
	struct http_client *client;
	char *hdr_token;
};

struct http_client;

typedef void http_done_fn(struct http_client *, struct http_req *, void *);
typedef void http_tick_fn(struct http_client *, void *);

struct http_client *http_new(const struct http_opts *);
void http_free(struct http_client *);

/* A request with a copy of url; the caller fills the rest. */
struct http_req *http_req_new(const char *url, void *data);
void http_req_free(struct http_req *);

/*
 * The header sent with every request that has no no_auth flag (a token).
 * Each change bumps the generation recorded in req->auth_gen, so a caller
 * can tell a rejection of an old token from one of the current token.  The
 * value is wiped from memory when replaced.
 */
void http_set_auth_header(
    struct http_client *, const char *name, const char *value);
unsigned http_auth_gen(const struct http_client *);

void http_submit(struct http_client *, struct http_req *);
/*
 * Another attempt for a request whose answer the caller could not use (a
 * malformed body), after a backoff.  0 when queued, -1 when it has had all
 * its attempts.
 */
int http_retry(struct http_client *, struct http_req *, const char *why);

/*
 * Runs until no request is left.  done gets each request once it has a
 * final answer: a status that is not retried, or a failure after the last
 * retry (status 0 or the last status, with error and temporary set).  done
 * may submit more requests; it owns the request it is given.  tick, if not
 * NULL, runs once per turn of the loop, before the exit test: it may submit
 * requests held back (so a queue stays short) and show progress.
 */
void http_run(
    struct http_client *, http_done_fn *done, http_tick_fn *tick, void *arg);

/*
 * The body, in order, in pieces the callback may modify: one piece when it
 * is in memory, 64 KB pieces read back from its temporary file when it was
 * larger than spool_over.  Stops early when fn returns non-zero and returns
 * that; -1 when the file cannot be read.
 */
int http_body_chunks(
    struct http_req *, int (*fn)(char *, size_t, void *), void *arg);

/*
 * The body, whole, to the descriptor fd: from memory, or straight from its
 * temporary file (the kernel copies it where it can).  0, or -1 with errno
 * set.
 */
int http_body_write(struct http_req *, int fd);

/* Counters for progress and reports. */
struct http_stats {
	unsigned long requests, retries, in_flight, queued;
	unsigned long long bytes;
};
void http_stats(const struct http_client *, struct http_stats *);

/* Percent-encoding of one path segment or query value (owned result). */
char *http_escape(const char *s);
/* Milliseconds of a monotonic clock. */
int64_t http_now_ms(void);

#endif
