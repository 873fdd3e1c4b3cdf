/*
 * http.c: a queue of requests run through libcurl's multi interface.
 *
 * Requests wait in a FIFO until a slot is free (the parallel cap), and in a
 * delayed list while they back off.  Easy handles are kept and reused, so
 * connections stay open across requests to the same host.
 */
/* strptime(3) for Retry-After dates. */
#define _XOPEN_SOURCE 700
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__linux__)
#include <sys/sendfile.h>
#endif

#include <curl/curl.h>

#include "http.h"
#include "util.h"

/* Bytes libcurl reads from a socket at once (its default is 16 KB). */
#define RECV_BUFFER (256L * 1024)

struct http_client {
	struct http_opts o;
	CURLM *multi;
	CURL **idle; /* easy handles ready for reuse */
	int nidle;
	struct http_req *head, *tail; /* waiting for a slot */
	struct http_req *delayed;     /* backing off */
	int active;
	unsigned long queued;
	char *auth_name, *auth_value;
	unsigned auth_gen;
	uint64_t rng;
	struct http_stats st;
	char *scratch; /* a filtered piece on its way to a spool file */
	size_t scratchsize;
	/* Body buffers of answers done with, kept for the next answers. */
	struct pooled {
		char *p;
		size_t cap;
	} *pool;
	int npool;
};

int64_t
http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct http_client *
http_new(const struct http_opts *o)
{
	struct http_client *c;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		moc_die(EXIT_DATA, "cannot initialise libcurl");
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
	/*
	 * Bodies are megabytes, allocated and freed all run long.  glibc
	 * raises its mmap threshold to the size of each large block freed,
	 * after which such blocks come from the heap, which fragments and
	 * keeps what it grew to: a fixed threshold hands every one back.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
	c = moc_xcalloc(1, sizeof(*c));
	c->o = *o;
	if (c->o.parallel < 1)
		c->o.parallel = 1;
	c->multi = curl_multi_init();
	if (c->multi == NULL)
		moc_die(EXIT_DATA, "cannot initialise libcurl");
	/* Connections are per host: let all the slots reach one host. */
	curl_multi_setopt(
	    c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->o.parallel);
	curl_multi_setopt(
	    c->multi, CURLMOPT_MAXCONNECTS, (long)c->o.parallel + 4);
	c->idle = moc_xcalloc((size_t)c->o.parallel, sizeof(*c->idle));
	c->pool = moc_xcalloc((size_t)c->o.parallel, sizeof(*c->pool));
	c->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
	    (uint64_t)http_now_ms();
	return c;
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		volatile char *p = s;
		while (*p != '\0')
			*p++ = '\0';
		free(s);
	}
}

void
http_free(struct http_client *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nidle; i++)
		curl_easy_cleanup(c->idle[i]);
	free(c->idle);
	for (i = 0; i < c->npool; i++)
		free(c->pool[i].p);
	free(c->pool);
	curl_multi_cleanup(c->multi);
	free(c->auth_name);
	wipe_free(c->auth_value);
	free(c->scratch);
	free(c);
	curl_global_cleanup();
}

struct http_req *
http_req_new(const char *url, void *data)
{
	struct http_req *r = moc_xcalloc(1, sizeof(*r));

	r->url = moc_xstrdup(url);
	r->data = data;
	r->retry_after_ms = -1;
	return r;
}

/*
 * Body buffers are megabytes (a page of a thousand servers), one per
 * answer, and above the mmap threshold each would come fresh from the
 * kernel, page-faulted and zeroed, and go back to it when freed.  Up to
 * one per request in flight is kept instead: the same bound on memory
 * as the answers in flight themselves.
 */
static char *
pool_take(struct http_client *c, size_t need, size_t *cap)
{
	int i, best = -1;
	char *p;

	for (i = 0; i < c->npool; i++)
		if (c->pool[i].cap >= need &&
		    (best < 0 || c->pool[i].cap < c->pool[best].cap))
			best = i;
	if (best < 0) {
		/* None is large enough: grow the largest rather than add
		 * one, so that the pool holds no more buffers than were
		 * ever in use at once. */
		if (c->npool == 0)
			return NULL;
		for (i = 1, best = 0; i < c->npool; i++)
			if (c->pool[i].cap > c->pool[best].cap)
				best = i;
		p = moc_xrealloc(c->pool[best].p, need);
		*cap = need;
		c->pool[best] = c->pool[--c->npool];
		return p;
	}
	p = c->pool[best].p;
	*cap = c->pool[best].cap;
	c->pool[best] = c->pool[--c->npool];
	return p;
}

static void
pool_give(struct http_client *c, char *p, size_t cap)
{
	int i, small = 0;

	if (c->npool < c->o.parallel) {
		c->pool[c->npool].p = p;
		c->pool[c->npool++].cap = cap;
		return;
	}
	/* Full: keep the larger of this one and the smallest kept. */
	for (i = 1; i < c->npool; i++)
		if (c->pool[i].cap < c->pool[small].cap)
			small = i;
	if (c->npool > 0 && c->pool[small].cap < cap) {
		free(c->pool[small].p);
		c->pool[small].p = p;
		c->pool[small].cap = cap;
	} else
		free(p);
}

/* The body buffer goes back to the pool (or is freed). */
static void
release_body(struct http_req *r)
{
	if (r->body != NULL && r->client != NULL && r->cap > 0)
		pool_give(r->client, r->body, r->cap);
	else
		free(r->body);
	r->body = NULL;
	r->cap = 0;
}

static void
drop_body(struct http_req *r)
{
	release_body(r);
	r->len = r->cap = 0;
	if (r->spool != NULL) {
		fclose(r->spool);
		r->spool = NULL;
	}
}

static void
reset_answer(struct http_req *r)
{
	drop_body(r);
	wipe_free(r->subject_token);
	r->subject_token = NULL;
	free(r->api_version);
	r->api_version = NULL;
	r->status = 0;
	r->error[0] = '\0';
	r->retry_after_ms = -1;
	r->filtered = -1;
}

void
http_req_free(struct http_req *r)
{
	if (r == NULL)
		return;
	reset_answer(r);
	free(r->url);
	if (r->post != NULL) {
		/* A token request's body holds a password or a secret. */
		volatile char *p = r->post;
		size_t i;
		for (i = 0; i < r->postlen; i++)
			p[i] = '\0';
		free(r->post);
	}
	free(r->header);
	wipe_free(r->hdr_token);
	free(r);
}

void
http_set_auth_header(struct http_client *c, const char *name, const char *value)
{
	free(c->auth_name);
	wipe_free(c->auth_value);
	c->auth_name = moc_xstrdup(name);
	c->auth_value = moc_xstrdup(value);
	c->auth_gen++;
}

unsigned
http_auth_gen(const struct http_client *c)
{
	return c->auth_gen;
}

/*
 * At the tail, or at the head for a request marked first: the pages of a
 * listing come one after the other, so each next page is the long pole and
 * should not wait behind the many short requests queued meanwhile.
 */
static void
enqueue(struct http_client *c, struct http_req *r)
{
	c->queued++;
	if (r->first && c->head != NULL) {
		r->next = c->head;
		c->head = r;
		return;
	}
	r->next = NULL;
	if (c->tail != NULL)
		c->tail->next = r;
	else
		c->head = r;
	c->tail = r;
}

void
http_submit(struct http_client *c, struct http_req *r)
{
	r->attempts = 0;
	r->temporary = 0;
	reset_answer(r);
	enqueue(c, r);
}

static uint64_t
rng_next(struct http_client *c)
{
	/* xorshift64*: jitter only, nothing secret. */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 2685821657736338717ULL;
}

/*
 * Exponential backoff with jitter: somewhere in the upper half of
 * base * 2^(attempt-1), so clients that failed together do not return
 * together; never sooner than the server's Retry-After.
 */
static long
backoff_ms(struct http_client *c, const struct http_req *r)
{
	long b = c->o.backoff_ms;
	int i;

	for (i = 1; i < r->attempts && b < c->o.max_wait_ms; i++)
		b *= 2;
	if (b > c->o.max_wait_ms)
		b = c->o.max_wait_ms;
	if (b > 1)
		b = b / 2 + (long)(rng_next(c) % (uint64_t)(b / 2 + 1));
	if (r->retry_after_ms > b)
		b = r->retry_after_ms > c->o.max_wait_ms ? c->o.max_wait_ms
		                                         : r->retry_after_ms;
	return b;
}

/* Queue another attempt if one is left; 0 if queued. */
static int
schedule_retry(struct http_client *c, struct http_req *r)
{
	if (r->attempts > c->o.retries)
		return -1;
	r->not_before = http_now_ms() + backoff_ms(c, r);
	r->next = c->delayed;
	c->delayed = r;
	c->st.retries++;
	return 0;
}

int
http_retry(struct http_client *c, struct http_req *r, const char *why)
{
	snprintf(r->error, sizeof(r->error), "%s", why);
	if (schedule_retry(c, r) != 0) {
		r->temporary = 1;
		return -1;
	}
	drop_body(r);
	return 0;
}

/*
 * A body larger than spool_over moves to an unlinked temporary file, so
 * that an unpaged listing (Keystone's) costs disk, not memory.
 */
static int
spool_start(struct http_req *r)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *fp;
	int fd;

	/* tmpfile(3) would ignore TMPDIR. */
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/moc-http.XXXXXX", dir) >=
	    (int)sizeof(path))
		return -1;
	if ((fd = mkstemp(path)) < 0)
		return -1;
	unlink(path);
	if ((fp = fdopen(fd, "w+")) == NULL) {
		close(fd);
		return -1;
	}
	if (r->len > 0 && fwrite(r->body, 1, r->len, fp) != r->len) {
		fclose(fp);
		return -1;
	}
	release_body(r);
	r->spool = fp;
	return 0;
}

/* A 2xx answer with a filter goes through it from its first piece on. */
static void
start_filter(struct http_req *r)
{
	long code = 0;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	r->filtered = r->filter != NULL && code >= 200 && code < 300;
	if (r->filtered)
		r->filter->begin(r->filter_arg);
}

/*
 * The body's length as the answer announced it, on its first piece: a body
 * that will not stay in memory goes to its file from the start, rather
 * than after a buffer as large as spool_over was filled.
 */
static size_t
announced(const struct http_req *r)
{
	curl_off_t cl = -1;

	if (r->len > 0 || r->cap > 0)
		return 0;
	curl_easy_getinfo(r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
	return cl > 0 && (uint64_t)cl < SIZE_MAX ? (size_t)cl : 0;
}

static char *
scratch(struct http_client *c, size_t n)
{
	if (n > c->scratchsize) {
		free(c->scratch);
		c->scratch = moc_xmalloc(n);
		c->scratchsize = n;
	}
	return c->scratch;
}

/* Room for n more bytes (and a NUL) in the body buffer. */
static void
reserve(struct http_req *r, size_t n, size_t over)
{
	if (r->cap == 0) {
		/* Size the buffer once when the length is announced. */
		curl_off_t cl = -1;
		curl_easy_getinfo(
		    r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
		if (cl > 0 && (uint64_t)cl < SIZE_MAX / 2 && (size_t)cl >= n &&
		    (over == 0 || r->no_spool || (size_t)cl <= over)) {
			r->body = r->client != NULL
			    ? pool_take(r->client, (size_t)cl + 1, &r->cap)
			    : NULL;
			if (r->body == NULL) {
				r->cap = (size_t)cl + 1;
				r->body = moc_xmalloc(r->cap);
			}
		}
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 16384;
		while (cap < r->len + n + 1)
			cap *= 2;
		r->body = moc_xrealloc(r->body, cap);
		r->cap = cap;
	}
}

static size_t
on_body(char *ptr, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	struct http_client *c = r->client;
	size_t len = size * n, over = c->o.spool_over, keep = len;
	const char *src = ptr;

	c->st.bytes += len;
	if (r->filtered < 0)
		start_filter(r);
	if (r->spool == NULL && over > 0 && !r->no_spool &&
	    (r->len + len > over || announced(r) > over) &&
	    spool_start(r) != 0) {
		snprintf(r->error, sizeof(r->error),
		    "cannot keep a large body in a temporary file");
		return 0;
	}
	if (r->spool != NULL) {
		if (r->filtered) {
			char *out = scratch(c, len);
			keep = r->filter->piece(r->filter_arg, ptr, len, out);
			src = out;
		}
		if (fwrite(src, 1, keep, r->spool) != keep) {
			snprintf(r->error, sizeof(r->error),
			    "cannot keep a large body in a temporary file");
			return 0;
		}
		r->len += keep;
		return len;
	}
	reserve(r, len, over);
	if (r->filtered)
		keep =
		    r->filter->piece(r->filter_arg, ptr, len, r->body + r->len);
	else
		memcpy(r->body + r->len, ptr, len);
	r->len += keep;
	r->body[r->len] = '\0';
	return len;
}

int
http_body_chunks(
    struct http_req *r, int (*fn)(char *, size_t, void *), void *arg)
{
	char buf[65536];
	size_t n;
	int rc;

	if (r->spool == NULL)
		return fn(r->body != NULL ? r->body : buf, r->len, arg);
	if (fflush(r->spool) != 0 || fseek(r->spool, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), r->spool)) > 0)
		if ((rc = fn(buf, n, arg)) != 0)
			return rc;
	return ferror(r->spool) ? -1 : 0;
}

/* All n bytes to fd: 0, or -1 with errno set. */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
http_body_write(struct http_req *r, int fd)
{
	char buf[65536];
	off_t off = 0;
	ssize_t n = 0;

	if (r->spool == NULL)
		return write_all(fd, r->body != NULL ? r->body : "", r->len);
	if (fflush(r->spool) != 0)
		return -1;
#if defined(__linux__)
	/* The kernel copies from the file: it is not read into memory. */
	while ((size_t)off < r->len) {
		n = sendfile(fd, fileno(r->spool), &off, r->len - (size_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	if (n < 0 && errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	/* Where sendfile cannot write to fd, or is not there. */
	while ((size_t)off < r->len) {
		size_t want = r->len - (size_t)off;
		n = pread(fileno(r->spool), buf,
		    want < sizeof(buf) ? want : sizeof(buf), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO; /* the file is shorter than the body */
		if (n <= 0 || write_all(fd, buf, (size_t)n) != 0)
			return -1;
		off += n;
	}
	return 0;
}

/* Value of a "Name: value" header line if it is the named one. */
static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *v, *end;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	v = line + n + 1;
	end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return moc_xstrndup(v, (size_t)(end - v));
}

/* Retry-After: delta-seconds or an HTTP date. */
static long
parse_retry_after(const char *v)
{
	long long secs;
	struct tm tm;
	char *end;

	if (moc_parse_int(v, 0, 86400 * 7, &secs) == 0)
		return (long)secs * 1000;
	memset(&tm, 0, sizeof(tm));
	end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end != NULL && *end == '\0') {
		time_t when = timegm(&tm), now = time(NULL);
		return when > now ? (long)(when - now) * 1000 : 0;
	}
	return -1;
}

static size_t
on_header(char *ptr, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * n;
	char *v;

	/* A new status line (a 100 Continue before the answer) resets. */
	if (len > 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		free(r->api_version);
		r->api_version = NULL;
		r->retry_after_ms = -1;
		return len;
	}
	if ((v = header_value(ptr, len, "X-Subject-Token")) != NULL) {
		wipe_free(r->subject_token);
		r->subject_token = v;
	} else if ((v = header_value(ptr, len, "OpenStack-API-Version")) !=
	        NULL ||
	    (v = header_value(ptr, len, "X-OpenStack-Nova-API-Version")) !=
	        NULL) {
		free(r->api_version);
		r->api_version = v;
	} else if ((v = header_value(ptr, len, "Retry-After")) != NULL) {
		r->retry_after_ms = parse_retry_after(v);
		free(v);
	}
	return len;
}

static CURL *
take_easy(struct http_client *c)
{
	CURL *e;

	if (c->nidle > 0) {
		e = c->idle[--c->nidle];
		curl_easy_reset(e);
		return e;
	}
	e = curl_easy_init();
	if (e == NULL)
		moc_die(EXIT_DATA, "cannot initialise libcurl");
	return e;
}

static struct curl_slist *
build_headers(struct http_client *c, struct http_req *r)
{
	struct curl_slist *h = NULL;

	h = curl_slist_append(h, "Accept: application/json");
	if (r->post != NULL)
		h = curl_slist_append(h, "Content-Type: application/json");
	/* libcurl would otherwise wait for a 100 Continue on POST. */
	h = curl_slist_append(h, "Expect:");
	if (r->header != NULL)
		h = curl_slist_append(h, r->header);
	if (!r->no_auth && c->auth_name != NULL) {
		size_t n = strlen(c->auth_name) + strlen(c->auth_value) + 3;
		wipe_free(r->hdr_token);
		r->hdr_token = moc_xmalloc(n);
		snprintf(
		    r->hdr_token, n, "%s: %s", c->auth_name, c->auth_value);
		h = curl_slist_append(h, r->hdr_token);
	}
	return h;
}

static void
start(struct http_client *c, struct http_req *r)
{
	CURL *e = take_easy(c);
	struct curl_slist *h;

	r->easy = e;
	r->client = c;
	r->attempts++;
	r->auth_gen = c->auth_gen;
	reset_answer(r);
	h = build_headers(c, r);
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)r);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->o.timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->o.timeout_ms);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	/*
	 * A listing page is megabytes: read it in large pieces, not 16 KB
	 * ones, each of which costs a poll, a recv and a filter call.
	 */
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, RECV_BUFFER);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(
	    e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	if (c->o.max_body > 0)
		curl_easy_setopt(
		    e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->o.max_body);
	if (c->o.user_agent != NULL)
		curl_easy_setopt(e, CURLOPT_USERAGENT, c->o.user_agent);
	if (c->o.cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->o.cacert);
	if (c->o.insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (r->post != NULL) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->post);
		curl_easy_setopt(
		    e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->postlen);
	} else
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	/* The header list must outlive the transfer. */
	r->hdrs = h;
	if (curl_multi_add_handle(c->multi, e) != CURLM_OK)
		moc_die(EXIT_DATA, "cannot start a request to %s", r->url);
	c->active++;
	c->st.requests++;
}

static int
retryable_status(long st)
{
	return st == 408 || st == 429 || st == 500 || st == 502 || st == 503 ||
	    st == 504;
}

static int
retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* One transfer ended: retry it, or hand it to the caller. */
static void
finish(
    struct http_client *c, CURL *e, CURLcode rc, http_done_fn *done, void *arg)
{
	struct http_req *r;
	int retry = 0;
	long status = 0;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
	curl_multi_remove_handle(c->multi, e);
	c->active--;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
		/* An empty 2xx body is one the filter has to see too. */
		if (r->filtered < 0)
			start_filter(r);
	}
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
	wipe_free(r->hdr_token);
	r->hdr_token = NULL;
	if (c->nidle < c->o.parallel)
		c->idle[c->nidle++] = e;
	else
		curl_easy_cleanup(e);
	r->easy = NULL;

	if (rc != CURLE_OK) {
		r->status = 0;
		if (rc == CURLE_FILESIZE_EXCEEDED)
			snprintf(r->error, sizeof(r->error),
			    "body larger than %zu bytes", c->o.max_body);
		else if (rc == CURLE_WRITE_ERROR && r->error[0] != '\0')
			; /* on_body said why */
		else
			snprintf(r->error, sizeof(r->error), "%s",
			    curl_easy_strerror(rc));
		retry = retryable_curl(rc);
	} else {
		r->status = status;
		if (retryable_status(r->status)) {
			snprintf(r->error, sizeof(r->error), "HTTP status %ld",
			    r->status);
			retry = 1;
		}
	}
	if (retry) {
		if (schedule_retry(c, r) == 0)
			return;
		r->temporary = 1;
	}
	done(c, r, arg);
}

/* Move requests whose backoff is over to the queue; ms to the next one. */
static long
wake_delayed(struct http_client *c)
{
	struct http_req **pp = &c->delayed, *r;
	int64_t now = http_now_ms();
	long wait = 1000;

	while ((r = *pp) != NULL) {
		if (r->not_before <= now) {
			*pp = r->next;
			enqueue(c, r);
		} else {
			if (r->not_before - now < wait)
				wait = (long)(r->not_before - now);
			pp = &r->next;
		}
	}
	return wait;
}

void
http_run(
    struct http_client *c, http_done_fn *done, http_tick_fn *tick, void *arg)
{
	for (;;) {
		long wait = wake_delayed(c);
		int running, left;
		CURLMsg *m;

		/* The caller may hold work back and feed it in here. */
		if (tick != NULL)
			tick(c, arg);
		while (c->active < c->o.parallel && c->head != NULL) {
			struct http_req *r = c->head;
			c->head = r->next;
			c->queued--;
			if (c->head == NULL)
				c->tail = NULL;
			start(c, r);
		}
		if (c->active == 0 && c->head == NULL && c->delayed == NULL)
			break;
		curl_multi_perform(c->multi, &running);
		while ((m = curl_multi_info_read(c->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE)
				finish(c, m->easy_handle, m->data.result, done,
				    arg);
		if (c->head != NULL && c->active < c->o.parallel)
			continue;
		if (c->active > 0 || c->delayed != NULL)
			curl_multi_poll(c->multi, NULL, 0,
			    c->active > 0 && wait > 100 ? 100 : (int)wait,
			    NULL);
	}
}

void
http_stats(const struct http_client *c, struct http_stats *st)
{
	*st = c->st;
	st->in_flight = (unsigned long)c->active;
	st->queued = c->queued;
}

char *
http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i, j = 0;
	char *out = moc_xmalloc(n * 3 + 1);

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '~')
			out[j++] = (char)ch;
		else {
			out[j++] = '%';
			out[j++] = hex[ch >> 4];
			out[j++] = hex[ch & 15];
		}
	}
	out[j] = '\0';
	return out;
}
