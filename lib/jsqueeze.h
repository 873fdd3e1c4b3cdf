/*
 * jsqueeze.h: check one JSON document as it streams past, in pieces cut
 * anywhere, and copy it without the whitespace between its tokens.
 *
 * It accepts what yajl accepts with its defaults (one value, nothing but
 * whitespace after it, no comments, UTF-8 checked the way yajl checks it),
 * so a body it passes is one the suite's yajl readers take too.  It builds
 * nothing and decodes only the strings its caller asks for, which makes it
 * several times faster than a yajl parse with callbacks: os-fetch runs every
 * byte of a collection through it as the byte arrives.
 */
#ifndef MOC_JSQUEEZE_H
#define MOC_JSQUEEZE_H

#include <stddef.h>

enum jsq_scalar { JSQ_NULL, JSQ_FALSE, JSQ_TRUE, JSQ_NUMBER, JSQ_STRING };

/* Events, in document order; any may be NULL. */
struct jsq_callbacks {
	/*
	 * '{' or '[': non-zero to hear nothing from inside this container
	 * until its end (which is reported), so a caller pays for the events
	 * of the parts of a document it reads, not of every token.
	 */
	int (*start)(void *ctx);
	void (*end_map)(void *ctx);
	void (*end_array)(void *ctx);
	/* An object's key, escapes decoded. */
	void (*key)(void *ctx, const char *s, size_t len);
	/* A string value begins: non-zero to have it decoded for string(). */
	int (*want)(void *ctx);
	void (*string)(void *ctx, const char *s, size_t len);
	/* Any other value, and the strings that were not wanted. */
	void (*scalar)(void *ctx, enum jsq_scalar);
};

struct jsq;

struct jsq *jsq_new(const struct jsq_callbacks *, void *ctx);
void jsq_free(struct jsq *);
/* Ready for a new document (the callbacks stay). */
void jsq_reset(struct jsq *);

/*
 * The next n bytes of the document.  What is kept (everything but ' ', tab,
 * CR and LF between tokens) goes to out, which has room for n bytes and may
 * be in itself (the text only moves back).  Returns the bytes written.
 * After an error nothing more is read or written.
 */
size_t jsq_feed(struct jsq *, const char *in, size_t n, char *out);

/*
 * The end of the document: 0 when it was one whole valid JSON value, -1
 * when not (jsq_error says why).
 */
int jsq_finish(struct jsq *);

/* Why the document is not valid, with the byte offset; NULL when it is. */
const char *jsq_error(const struct jsq *);

#endif
