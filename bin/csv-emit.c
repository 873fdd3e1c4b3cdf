/*
 * csv-emit: records to CSV, one file per record type.
 *
 * Reads:  record streams (JSON Lines, moc-records(5)) from the files named,
 *         or from standard input.
 * Writes: with -d DIR, DIR/<type>.csv for every record type, then
 *         DIR/MANIFEST (file, rows, bytes, SHA-256) and DIR/SHA256SUMS;
 *         with --type T, the CSV of that type on standard output (or -o FILE).
 *         Every file is written under a temporary name and renamed only
 *         when the whole input has been read and written.
 * Exit:   0 ok; 1 bad input or a write error (no final file was replaced);
 *         2 usage error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jwrite.h"
#include "rec.h"
#include "sha256.h"
#include "util.h"

#define OUT_BUFSIZE	(128 * 1024)
#define MAX_TYPES	256	/* two descriptors each at worst */
#define MAX_COLUMNS	4096	/* per type: bounds memory on hostile input */
#define MAX_TYPE_LEN	128
#define REWRITE_STEP	(16UL * 1024 * 1024)	/* a multiple of the page size */

/*
 * Built-in column lists, in the order of moc-records(5).  The file name
 * says the type, so "type" itself is never a column.  Fields a record
 * carries beyond its list are appended, sorted (see column_cmp).
 */
#define TAIL_OBSERVED	"region observed_at run_id"
#define TAIL_OBJECT	TAIL_OBSERVED " valid_from valid_to"

static const struct known_type {
	const char	*type;
	const char	*fields;	/* space-separated */
	const char	*tail;
} known_types[] = {
	{ "check_summary", "verdict checks failed since until", "" },
	{ "collection_run", "id source region started_at ended_at complete "
	    "counts digest", "" },
	{ "domain", "id name enabled description", TAIL_OBJECT },
	{ "email_domain_institution", "id domain institution_id",
	    "valid_from valid_to" },
	{ "event", "id event_type generated instance_id project_id user_id "
	    "state", TAIL_OBSERVED },
	{ "finding", "check severity subject expected actual detail", "" },
	{ "flavor", "id name vcpus ram_mb disk_gb ephemeral_gb swap_mb "
	    "is_public gpu_count gpu_alias extra_specs", TAIL_OBJECT },
	{ "floating_ip", "id floating_ip_address floating_network_id "
	    "project_id port_id router_id fixed_ip_address status created_at "
	    "updated_at", TAIL_OBJECT },
	{ "hypervisor", "id hypervisor_hostname state status vcpus memory_mb",
	    TAIL_OBJECT },
	{ "instance", "id name project_id user_id status vm_state task_state "
	    "power_state flavor_id flavor_name vcpus ram_mb disk_gb "
	    "ephemeral_gb gpu_count gpu_alias created_at updated_at "
	    "launched_at terminated_at deleted_at host availability_zone "
	    "image_id", TAIL_OBJECT },
	{ "instance_action", "id instance_id action request_id start_time "
	    "finish_time updated_at user_id project_id message events",
	    TAIL_OBSERVED },
	{ "institution", "id name code invoice_email invoice_address",
	    "valid_from valid_to" },
	{ "invoice_line", "invoice_month report_start report_end project_name "
	    "project_id pi cluster_name invoice_email invoice_address "
	    "institution institution_code su_hours su_type rate cost "
	    "generated_at", "" },
	{ "network", "id name project_id status shared router_external "
	    "created_at updated_at", TAIL_OBJECT },
	{ "page", "run_id service resource region method url status "
	    "microversion fetched_at page context body", "" },
	{ "port", "id name network_id project_id device_id device_owner "
	    "status mac_address created_at", TAIL_OBJECT },
	{ "project", "id name domain_id parent_id is_domain enabled "
	    "description", TAIL_OBJECT },
	{ "project_attr", "id project_id pi allocation_name",
	    "valid_from valid_to" },
	{ "project_institution", "id project_id institution_id share "
	    "valid_from", "valid_to" },
	{ "region", "id description parent_region_id", TAIL_OBJECT },
	{ "role_assignment", "id role_id role_name user_id group_id "
	    "project_id domain_id inherited", TAIL_OBJECT },
	{ "router", "id name project_id status external_network_id created_at",
	    TAIL_OBJECT },
	{ "run_end", "run_id ended_at complete pages failed", "" },
	{ "run_start", "run_id source cloud region started_at resources since "
	    "until", "" },
	{ "snapshot", "id volume_id project_id size_gb status created_at",
	    TAIL_OBJECT },
	{ "subnet", "id name network_id project_id cidr ip_version created_at",
	    TAIL_OBJECT },
	{ "tenant_usage", "id instance_id project_id name flavor_name vcpus "
	    "ram_mb disk_gb hours started_at ended_at state window_start "
	    "window_end", TAIL_OBSERVED },
	{ "usage", "axis id name su_type scope path depth parent_id "
	    "institution_id institution_name share user_id email kind "
	    "project_id project_name pi "
	    "instance_hours su_hours vcpu_hours ram_gib_hours disk_gib_hours "
	    "gpu_hours volume_gib_hours floating_ip_hours inferred_hours "
	    "unknown_hours rate cost", "" },
	{ "usage_meta", "cloud since until tz by generated_at rates_file "
	    "rates_sha256 outages_file charge_stopped coverage_slots "
	    "coverage_complete_slots inferred_hours unknown_hours consistency",
	    "" },
	{ "usage_total", "axis su_type su_hours cost", "" },
	{ "user", "id name domain_id email enabled default_project_id",
	    TAIL_OBJECT },
	{ "user_institution", "id user_id institution_id valid_from",
	    "valid_to" },
	{ "volume", "id name project_id user_id size_gb status volume_type "
	    "bootable availability_zone created_at updated_at", TAIL_OBJECT },
	{ "volume_attachment", "id volume_id server_id device host_name "
	    "attached_at", TAIL_OBJECT },
	{ "volume_type", "id name is_public description", TAIL_OBJECT },
};

/* The invoicing pipeline reads exactly these headers, in this order. */
#define INVOICE_TYPE	"invoice_line"
static const char *const invoice_headers[] = {
	"Invoice Month", "Report Start Time", "Report End Time",
	"Project - Allocation", "Project - Allocation ID", "Manager (PI)",
	"Cluster Name", "Invoice Email", "Invoice Address", "Institution",
	"Institution - Specific Code", "SU Hours (GBhr or SUhr)", "SU Type",
	"Rate", "Cost", "Generated At",
};

/* A buffered file with its digest, for one output. */
struct out {
	int		 fd;
	char		*path;		/* the temporary name, or NULL */
	const char	*label;		/* what messages call it */
	char		*buf;
	size_t		 len;
	unsigned long long bytes;
	int		 digest;	/* only the manifest needs one */
	struct sha256	 sha;
};

struct column {
	char		*name;
	size_t		 namelen;
	char		*header;	/* the header cell (the name but for invoices) */
	int		 builtin;	/* index in the built-in list, or -1 */
	int		 dropped;	/* invoice_line: a field with no column */
	size_t		 oldpos;	/* position in the file being rewritten */
	unsigned long	 stamp;		/* record that filled cells[] last */
};

struct table {
	char		*type;
	char		*final;		/* final path; NULL for standard output */
	const struct known_type *known;
	int		 strict;	/* invoice_line: no extra columns */
	struct column	*cols;
	size_t		 ncols;
	size_t		*hash;		/* column index + 1; 0 is empty */
	size_t		 hashcap;
	const struct json_value **cells;
	size_t		*order;		/* columns as written in the file */
	size_t		*guess;		/* column of the n-th field last time */
	size_t		 norder;
	int		 headed;	/* header written */
	int		 spilling;	/* a late field: rows go to the spill */
	struct out	 out;
	struct out	 spill;
	unsigned long long rows;
};

static struct {
	const char	*dir;
	const char	*output;
	char		**types;
	size_t		 ntypes;
	int		 neutralise;
	const char	*eol;
	size_t		 eol_len;
	size_t		 max_record;
} opt = { NULL, NULL, NULL, 0, 1, "\n", 1, REC_DEFAULT_MAX };

static struct table	*tables[MAX_TYPES];
static size_t		 ntables;
static unsigned long	 stamp;

/* Temporary names to remove when the run fails or is interrupted. */
static char *volatile	 temps[2 * MAX_TYPES + 4];

static void
temp_forget(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(temps) / sizeof(temps[0]); i++)
		if (temps[i] == path)
			temps[i] = NULL;
}

static void
temp_remember(char *path)
{
	size_t i;

	for (i = 0; i < sizeof(temps) / sizeof(temps[0]); i++)
		if (temps[i] == NULL) {
			temps[i] = path;
			return;
		}
	moc_die(EXIT_DATA, "too many temporary files");
}

static void
temps_remove(void)
{
	size_t i;

	for (i = 0; i < sizeof(temps) / sizeof(temps[0]); i++)
		if (temps[i] != NULL)
			unlink(temps[i]);
}

static void
on_signal(int sig)
{
	temps_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
usage(void)
{
	printf("Usage: csv-emit -d DIR [-t TYPE]... [OPTION]... [FILE]...\n"
	    "   or: csv-emit -t TYPE [-o FILE] [OPTION]... [FILE]...\n"
	    "Write records (JSON Lines) as CSV: one file per record type in DIR\n"
	    "with a MANIFEST and SHA256SUMS, or one type on standard output.\n"
	    "\n"
	    "  -d, --directory=DIR    write DIR/<type>.csv for every record type\n"
	    "  -t, --type=TYPE        only records of TYPE (repeatable with -d)\n"
	    "  -o, --output=FILE      with one --type: write FILE, not stdout\n"
	    "      --crlf             end rows with CR LF instead of LF\n"
	    "      --no-neutralise    keep cells starting with = + - @ TAB CR as is\n"
	    "  -m, --max-record=SIZE  longest input line accepted (default 64M)\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show the version and exit\n"
	    "\n"
	    "Exit status: 0 ok, 1 bad input or write error, 2 usage error.\n");
	moc_close_stdout();
	exit(EXIT_OK);
}

/* Output files. */

static void
out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			moc_die_sys(EXIT_DATA, "write error on %s", o->label);
		done += (size_t)n;
	}
	if (o->digest)
		sha256_update(&o->sha, o->buf, o->len);
	o->bytes += o->len;
	o->len = 0;
}

static inline void
out_put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUT_BUFSIZE) {
		out_flush(o);
		while (n > OUT_BUFSIZE) {
			memcpy(o->buf, s, OUT_BUFSIZE);
			o->len = OUT_BUFSIZE;
			out_flush(o);
			s += OUT_BUFSIZE;
			n -= OUT_BUFSIZE;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void
out_putc(struct out *o, char c)
{
	if (o->len == OUT_BUFSIZE)
		out_flush(o);
	o->buf[o->len++] = c;
}

/*
 * A temporary file beside where the result goes (the rename must stay in
 * one file system).  keep_name is 0 for files that never get a final name:
 * they are unlinked at once, so even SIGKILL leaves nothing behind.
 */
static void
out_open(struct out *o, const char *dir, const char *base, const char *label,
    int keep_name)
{
	size_t n = strlen(dir) + strlen(base) + 16;

	memset(o, 0, sizeof(*o));
	o->path = moc_xmalloc(n);
	snprintf(o->path, n, "%s/.%s.XXXXXX", dir, base);
	o->label = label;
	if ((o->fd = mkstemp(o->path)) == -1)
		moc_die_sys(EXIT_DATA, "cannot create a file in %s", dir);
	if (keep_name) {
		mode_t mask = umask(0);

		umask(mask);
		temp_remember(o->path);
		if (fchmod(o->fd, 0666 & ~mask) == -1)
			moc_die_sys(EXIT_DATA, "%s", o->path);
	} else {
		unlink(o->path);
		free(o->path);
		o->path = NULL;
	}
	o->buf = moc_xmalloc(OUT_BUFSIZE);
	o->digest = opt.dir != NULL;
	sha256_init(&o->sha);
}

static void
out_close(struct out *o)
{
	if (o->buf == NULL)
		return;
	if (o->fd != -1 && close(o->fd) == -1)
		moc_die_sys(EXIT_DATA, "write error on %s", o->label);
	o->fd = -1;
	free(o->buf);
	o->buf = NULL;
}

/* Flush, reach the disk, then take the final name. */
static void
out_commit_data(struct out *o)
{
	out_flush(o);
	if (fsync(o->fd) == -1 && errno != EINVAL)
		moc_die_sys(EXIT_DATA, "write error on %s", o->label);
}

static void
out_rename(struct out *o, const char *final)
{
	if (rename(o->path, final) == -1)
		moc_die_sys(EXIT_DATA, "cannot rename %s to %s", o->path, final);
	temp_forget(o->path);
	free(o->path);
	o->path = NULL;
}

/* Cells. */

/* Per byte: 1 needs quotes (RFC 4180), 2 starts a formula. */
#define CH_QUOTE	1
#define CH_FORMULA	2
static unsigned char char_class[256];

/* A spreadsheet reads a cell spelled as a JSON number as that number. */
static int
is_json_number(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else {
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i == n;
}

static int
is_formula(const char *s, size_t n)
{
	if (n == 0 || !(char_class[(unsigned char)s[0]] & CH_FORMULA))
		return 0;
	return !is_json_number(s, n);
}

/*
 * One text cell, RFC 4180: quoted when it holds a comma, a quote, CR or
 * LF, and an empty string is written "" so that it stays apart from null
 * (an empty, unquoted cell), as PostgreSQL's COPY ... CSV reads them.
 */
static void
put_text(struct out *o, const char *s, size_t n)
{
	const char *p, *end = s + n;
	int prefix = opt.neutralise && is_formula(s, n);
	int quote = n == 0;

	for (p = s; p < end && !quote; p++)
		quote = char_class[(unsigned char)*p] & CH_QUOTE;
	if (!quote) {
		if (prefix)
			out_putc(o, '\'');
		out_put(o, s, n);
		return;
	}
	out_putc(o, '"');
	if (prefix)
		out_putc(o, '\'');
	for (p = s; p < end; p++) {
		const char *q = memchr(p, '"', (size_t)(end - p));

		if (q == NULL) {
			out_put(o, p, (size_t)(end - p));
			break;
		}
		out_put(o, p, (size_t)(q - p + 1));
		out_putc(o, '"');
		p = q;
	}
	out_putc(o, '"');
}

/* Nested values become compact JSON text in one cell. */
static void
put_nested(struct out *o, const struct json_value *v)
{
	static struct jw w;
	static FILE *mem;
	static char *text;
	static size_t size;

	if (mem == NULL) {
		if ((mem = open_memstream(&text, &size)) == NULL)
			moc_die_sys(EXIT_DATA, "open_memstream");
		jw_init(&w, mem, "memory");
	}
	if (fseeko(mem, 0, SEEK_SET) == -1)
		moc_die_sys(EXIT_DATA, "memory stream");
	w.len = 0;
	w.depth = 0;
	w.after_key = 0;
	jw_value(&w, v);
	jw_flush(&w);
	put_text(o, text, size);
}

static void
put_value(struct out *o, const struct json_value *v)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case JSON_NULL:
		break;
	case JSON_FALSE:
		out_put(o, "false", 5);
		break;
	case JSON_TRUE:
		out_put(o, "true", 4);
		break;
	case JSON_NUMBER:
		/* As written: no binary floating point, never neutralised. */
		out_put(o, v->u.text, v->len);
		break;
	case JSON_STRING:
		put_text(o, v->u.text, v->len);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		put_nested(o, v);
		break;
	}
}

/* Columns. */

static size_t
hash_key(const char *s, size_t n)
{
	size_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static size_t
column_find(const struct table *t, const char *key, size_t n)
{
	size_t i = hash_key(key, n) & (t->hashcap - 1);

	for (;; i = (i + 1) & (t->hashcap - 1)) {
		size_t c = t->hash[i];

		if (c == 0)
			return (size_t)-1;
		if (t->cols[c - 1].namelen == n &&
		    memcmp(t->cols[c - 1].name, key, n) == 0)
			return c - 1;
	}
}

static void
hash_insert(struct table *t, size_t c)
{
	size_t i = hash_key(t->cols[c].name, t->cols[c].namelen) &
	    (t->hashcap - 1);

	while (t->hash[i] != 0)
		i = (i + 1) & (t->hashcap - 1);
	t->hash[i] = c + 1;
}

static size_t
column_add(struct table *t, const char *name, size_t n, int builtin)
{
	size_t c = t->ncols++;

	t->cols[c].name = moc_xstrndup(name, n);
	t->cols[c].namelen = n;
	t->cols[c].header = t->cols[c].name;
	t->cols[c].builtin = builtin;
	t->cols[c].dropped = 0;
	t->cols[c].stamp = 0;
	hash_insert(t, c);
	return c;
}

/*
 * The order of columns in a file: the built-in list, then every other
 * field sorted by its bytes; with no built-in list, "id" leads.  It depends
 * only on the set of fields, never on the order records came in.
 */
static const struct table *sort_table;

static int
column_rank(const struct column *c)
{
	if (c->builtin >= 0)
		return c->builtin;
	if (sort_table->known == NULL && c->namelen == 2 &&
	    memcmp(c->name, "id", 2) == 0)
		return -2;
	return -1;
}

static int
column_cmp(const void *a, const void *b)
{
	const struct column *x = &sort_table->cols[*(const size_t *)a];
	const struct column *y = &sort_table->cols[*(const size_t *)b];
	int rx = column_rank(x), ry = column_rank(y);
	size_t n;
	int d;

	if (rx == -2 || ry == -2)
		return (ry == -2) - (rx == -2);
	if (rx >= 0 || ry >= 0) {
		if (rx >= 0 && ry >= 0)
			return rx - ry;
		return rx >= 0 ? -1 : 1;
	}
	n = x->namelen < y->namelen ? x->namelen : y->namelen;
	if ((d = memcmp(x->name, y->name, n)) != 0)
		return d;
	return x->namelen < y->namelen ? -1 : x->namelen > y->namelen;
}

static void
order_columns(struct table *t)
{
	size_t c;

	t->norder = 0;
	for (c = 0; c < t->ncols; c++)
		if (!t->cols[c].dropped)
			t->order[t->norder++] = c;
	sort_table = t;
	qsort(t->order, t->norder, sizeof(t->order[0]), column_cmp);
}

/* Tables. */

static const struct known_type *
known_find(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(known_types) / sizeof(known_types[0]); i++)
		if (strcmp(known_types[i].type, type) == 0)
			return &known_types[i];
	return NULL;
}

static void
add_builtin_list(struct table *t, const char *list, int *rank)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, " ");

		column_add(t, p, n, (*rank)++);
		p += n;
		p += strspn(p, " ");
	}
}

static struct table *
table_new(const char *type)
{
	struct table *t = moc_xcalloc(1, sizeof(*t));
	int rank = 0;
	size_t i;

	t->type = moc_xstrdup(type);
	t->known = known_find(type);
	t->strict = strcmp(type, INVOICE_TYPE) == 0;
	t->cols = moc_xcalloc(MAX_COLUMNS, sizeof(t->cols[0]));
	t->hashcap = 2 * 8192;
	t->hash = moc_xcalloc(t->hashcap, sizeof(t->hash[0]));
	t->cells = moc_xcalloc(MAX_COLUMNS, sizeof(t->cells[0]));
	t->order = moc_xcalloc(MAX_COLUMNS, sizeof(t->order[0]));
	t->guess = moc_xcalloc(MAX_COLUMNS, sizeof(t->guess[0]));
	t->out.fd = t->spill.fd = -1;
	if (t->known != NULL) {
		add_builtin_list(t, t->known->fields, &rank);
		add_builtin_list(t, t->known->tail, &rank);
	}
	if (t->strict)
		for (i = 0; i < t->ncols; i++)
			t->cols[i].header = (char *)invoice_headers[i];
	return t;
}

/* A type names a file: letters, digits, "_", "-" and "." (not leading). */
static int
type_is_file_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MAX_TYPE_LEN || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

static int
type_selected(const char *type)
{
	size_t i;

	if (opt.ntypes == 0)
		return 1;
	for (i = 0; i < opt.ntypes; i++)
		if (strcmp(opt.types[i], type) == 0)
			return 1;
	return 0;
}

static char *
path_join(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *p = moc_xmalloc(n);

	snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return moc_xstrdup(".");
	if (slash == path)
		return moc_xstrdup("/");
	return moc_xstrndup(path, (size_t)(slash - path));
}

static void
table_open(struct table *t)
{
	if (opt.dir != NULL) {
		char base[MAX_TYPE_LEN + 8];

		snprintf(base, sizeof(base), "%s.csv", t->type);
		t->final = path_join(opt.dir, t->type, ".csv");
		out_open(&t->out, opt.dir, base, t->final, 1);
	} else if (opt.output != NULL) {
		char *dir = dir_of(opt.output);
		const char *slash = strrchr(opt.output, '/');

		t->final = moc_xstrdup(opt.output);
		out_open(&t->out, dir, slash ? slash + 1 : opt.output,
		    t->final, 1);
		free(dir);
	} else {
		const char *tmp = getenv("TMPDIR");

		out_open(&t->out, tmp != NULL && *tmp != '\0' ? tmp : "/tmp",
		    "csv-emit", "a temporary file", 0);
	}
}

static struct table *
table_for(const char *type)
{
	static struct table *last;
	size_t i;

	if (last != NULL && strcmp(last->type, type) == 0)
		return last;
	for (i = 0; i < ntables; i++)
		if (strcmp(tables[i]->type, type) == 0)
			return last = tables[i];
	if (ntables == MAX_TYPES)
		return NULL;
	tables[ntables] = table_new(type);
	table_open(tables[ntables]);
	return last = tables[ntables++];
}

static void
write_eol(struct out *o)
{
	out_put(o, opt.eol, opt.eol_len);
}

static void
write_header(struct table *t)
{
	size_t i;

	order_columns(t);
	for (i = 0; i < t->norder; i++) {
		const char *h = t->cols[t->order[i]].header;

		if (i > 0)
			out_putc(&t->out, ',');
		put_text(&t->out, h, strlen(h));
	}
	write_eol(&t->out);
	t->headed = 1;
}

static void
write_row(struct table *t)
{
	size_t i;

	for (i = 0; i < t->norder; i++) {
		size_t c = t->order[i];

		if (i > 0)
			out_putc(&t->out, ',');
		if (t->cols[c].stamp == stamp)
			put_value(&t->out, t->cells[c]);
	}
	write_eol(&t->out);
}

/* Records. */

static void
warn_dropped(struct rec_reader *r, struct table *t, const struct json_member *m)
{
	size_t c = column_add(t, m->key, m->keylen, -1);

	t->cols[c].dropped = 1;
	moc_warn("%s: no column for this field in %s.csv, not written, "
	    "in field \"%s\"", rec_where(r), t->type, t->cols[c].name);
}

/*
 * Records of a type mostly list their fields in the same order: try the
 * column the same position held last time before hashing.
 */
static size_t
column_guess(const struct table *t, size_t i, const struct json_member *m)
{
	if (i < MAX_COLUMNS) {
		const struct column *c = &t->cols[t->guess[i]];

		if (t->guess[i] < t->ncols && c->namelen == m->keylen &&
		    memcmp(c->name, m->key, m->keylen) == 0)
			return t->guess[i];
	}
	return column_find(t, m->key, m->keylen);
}

/* Sort a record's fields into the table's cells; 1 if one is new. */
static int
fill_cells(struct rec_reader *r, struct table *t, const struct json_value *rec)
{
	int fresh = 0, seen_type = 0;
	size_t i;

	stamp++;
	for (i = 0; i < rec->len; i++) {
		const struct json_member *m = &rec->u.members[i];
		size_t c;

		if (m->keylen == 4 && memcmp(m->key, "type", 4) == 0) {
			if (seen_type++)
				moc_die(EXIT_DATA, "%s: duplicate key in field "
				    "\"type\"", rec_where(r));
			continue;
		}
		c = column_guess(t, i, m);
		if (c == (size_t)-1) {
			if (t->strict) {
				warn_dropped(r, t, m);
				continue;
			}
			if (t->ncols == MAX_COLUMNS)
				moc_die(EXIT_DATA, "%s: more than %d fields in "
				    "type %s, in field \"%s\"", rec_where(r),
				    MAX_COLUMNS, t->type, m->key);
			c = column_add(t, m->key, m->keylen, -1);
			fresh = 1;
		}
		if (t->cols[c].stamp == stamp)
			moc_die(EXIT_DATA, "%s: duplicate key in field \"%s\"",
			    rec_where(r), m->key);
		t->cols[c].stamp = stamp;
		t->cells[c] = &m->value;
		if (i < MAX_COLUMNS)
			t->guess[i] = c;
	}
	return fresh;
}

/*
 * A field first seen after the header was written cannot get a column in
 * the file as it stands.  From then on the type's records go, as they
 * came, to a spill file; at the end the file is rewritten once with every
 * column (see table_rewrite).
 */
static void
start_spill(struct table *t)
{
	const char *tmp = opt.dir;
	char *dir = NULL;

	if (tmp == NULL && opt.output != NULL)
		tmp = dir = dir_of(opt.output);
	if (tmp == NULL && ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0'))
		tmp = "/tmp";
	out_open(&t->spill, tmp, "csv-emit-spill", "a spill file", 0);
	free(dir);
	t->spilling = 1;
}

static void
take_record(struct rec_reader *r, const struct json_value *rec)
{
	const struct json_value *tv = json_get(rec, "type");
	struct table *t;
	const char *line;
	size_t len;

	if (tv == NULL)
		moc_die(EXIT_DATA, "%s: no record type in field \"type\"",
		    rec_where(r));
	if (tv->type != JSON_STRING)
		moc_die(EXIT_DATA, "%s: not a string in field \"type\": %s",
		    rec_where(r), json_type_name(tv->type));
	if (!type_selected(tv->u.text))
		return;
	if (opt.dir != NULL && !type_is_file_name(tv->u.text, tv->len))
		moc_die(EXIT_DATA, "%s: not usable as a file name in field "
		    "\"type\": \"%.*s\"", rec_where(r),
		    tv->len > 64 ? 64 : (int)tv->len, tv->u.text);
	if ((t = table_for(tv->u.text)) == NULL)
		moc_die(EXIT_DATA, "%s: more than %d record types, in field "
		    "\"type\": \"%s\"", rec_where(r), MAX_TYPES, tv->u.text);
	if (fill_cells(r, t, rec) && t->headed && !t->spilling)
		start_spill(t);
	t->rows++;
	if (t->spilling) {
		line = rec_line(r, &len);
		out_put(&t->spill, line, len);
		out_putc(&t->spill, '\n');
		return;
	}
	if (!t->headed)
		write_header(t);
	write_row(t);
}

static void
read_input(int fd, const char *name)
{
	struct rec_reader *r = rec_open(fd, name, opt.max_record);
	const struct json_value *rec;
	enum rec_status st;

	while ((st = rec_next(r, &rec)) != REC_EOF) {
		if (st != REC_OK)
			moc_die(EXIT_DATA, "%s: %s", rec_where(r), rec_error(r));
		take_record(r, rec);
	}
	rec_close(r);
}

/* The rewrite after a late field. */

/* Skip one cell of a file this program wrote; returns its end. */
static const char *
skip_cell(const char *p, const char *end)
{
	if (p < end && *p == '"') {
		for (p++; p < end; p++)
			if (*p == '"') {
				if (p + 1 < end && p[1] == '"')
					p++;
				else
					return p + 1;
			}
		return end;
	}
	while (p < end && *p != ',' && *p != '\n' && *p != '\r')
		p++;
	return p;
}

/* Find the cells of one row; returns where the next row starts. */
static const char *
split_row(const char *p, const char *end, size_t oldn, const char **cell,
    size_t *cellen)
{
	size_t i;

	for (i = 0; i < oldn; i++) {
		const char *q = skip_cell(p, end);

		cell[i] = p;
		cellen[i] = (size_t)(q - p);
		p = q < end && *q == ',' ? q + 1 : q;
	}
	return p + opt.eol_len;
}

/* The cells of an old row, already encoded, in the new order. */
static void
copy_row(struct table *t, const char **cell, const size_t *cellen)
{
	size_t i;

	for (i = 0; i < t->norder; i++) {
		size_t old = t->cols[t->order[i]].oldpos;

		if (i > 0)
			out_putc(&t->out, ',');
		if (old != (size_t)-1)
			out_put(&t->out, cell[old], cellen[old]);
	}
	write_eol(&t->out);
}

static void
copy_old_rows(struct table *t, int fd, unsigned long long size, size_t oldn)
{
	const char **cell = moc_xcalloc(oldn + 1, sizeof(*cell));
	size_t *cellen = moc_xcalloc(oldn + 1, sizeof(*cellen));
	const char *base, *p, *end, *done;
	void *map;

	write_header(t);
	if (size == 0)
		goto done;
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		moc_die_sys(EXIT_DATA, "cannot read back %s", t->out.label);
	base = done = map;
	end = base + size;
	p = split_row(base, end, oldn, cell, cellen);	/* the old header */
	while (p < end) {
		p = split_row(p, end, oldn, cell, cellen);
		copy_row(t, cell, cellen);
		/* Pages read are dropped, so memory stays flat here too. */
		if ((size_t)(p - done) >= REWRITE_STEP) {
			madvise((void *)done, REWRITE_STEP, MADV_DONTNEED);
			done += REWRITE_STEP;
		}
	}
	munmap(map, (size_t)size);
done:
	free(cell);
	free(cellen);
}

static void
replay_spill(struct table *t)
{
	struct rec_reader *r;
	const struct json_value *rec;
	enum rec_status st;

	out_flush(&t->spill);
	if (lseek(t->spill.fd, 0, SEEK_SET) == -1)
		moc_die_sys(EXIT_DATA, "spill file of %s", t->type);
	r = rec_open(t->spill.fd, "spill file", opt.max_record);
	while ((st = rec_next(r, &rec)) == REC_OK) {
		fill_cells(r, t, rec);
		write_row(t);
	}
	if (st != REC_EOF)
		moc_die(EXIT_DATA, "%s: %s", rec_where(r), rec_error(r));
	rec_close(r);
	out_close(&t->spill);
}

static void
table_rewrite(struct table *t)
{
	struct out old = t->out;
	size_t i, oldn = t->norder;
	char *dir;

	for (i = 0; i < t->ncols; i++)
		t->cols[i].oldpos = (size_t)-1;
	for (i = 0; i < oldn; i++)
		t->cols[t->order[i]].oldpos = i;
	out_flush(&old);
	dir = t->final != NULL ? dir_of(t->final) : NULL;
	if (dir != NULL) {
		const char *slash = strrchr(t->final, '/');

		out_open(&t->out, dir, slash ? slash + 1 : t->final, t->final,
		    1);
	} else
		table_open(t);
	free(dir);
	order_columns(t);
	copy_old_rows(t, old.fd, old.bytes, oldn);
	replay_spill(t);
	if (old.path != NULL) {
		unlink(old.path);
		temp_forget(old.path);
		free(old.path);
	}
	out_close(&old);
	t->spilling = 0;
}

static void
table_finish(struct table *t)
{
	if (t->spilling)
		table_rewrite(t);
	if (!t->headed && t->ncols > 0)
		write_header(t);
	if (t->final != NULL)
		out_commit_data(&t->out);
	else
		out_flush(&t->out);
}

/*
 * Standard output mode: the finished file goes out in one piece, by
 * sendfile(2) where the kernel can (no copy through this process).
 */
static void
copy_to_stdout(struct table *t)
{
	char *buf = t->out.buf;
	unsigned long long left = t->out.bytes;
	off_t off = 0;
	ssize_t n;

	if (fflush(stdout) != 0)
		moc_die_sys(EXIT_DATA, "write error on standard output");
	while (left > 0) {
		n = sendfile(STDOUT_FILENO, t->out.fd, &off,
		    left > (1UL << 30) ? (1UL << 30) : (size_t)left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EINVAL || errno == ENOSYS))
			break;
		if (n == -1)
			moc_die_sys(EXIT_DATA, "write error on standard output");
		if (n == 0)
			moc_die(EXIT_DATA, "temporary file: short read");
		left -= (unsigned long long)n;
	}
	if (left == 0)
		return;
	if (lseek(t->out.fd, off, SEEK_SET) == -1)
		moc_die_sys(EXIT_DATA, "temporary file");
	while ((n = read(t->out.fd, buf, OUT_BUFSIZE)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			moc_die_sys(EXIT_DATA, "temporary file");
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			moc_die_sys(EXIT_DATA, "write error on standard output");
	}
}

/* Manifest. */

static int
table_name_cmp(const void *a, const void *b)
{
	return strcmp((*(struct table *const *)a)->type,
	    (*(struct table *const *)b)->type);
}

static void
put_manifest_line(struct out *m, struct out *sums, const struct table *t)
{
	char digest[SHA256_HEX_LEN], line[512];
	struct sha256 sha = t->out.sha;
	int n;

	sha256_final_hex(&sha, digest);
	n = snprintf(line, sizeof(line), "%s.csv,%s,%llu,%llu,%s\n", t->type,
	    t->type, t->rows, t->out.bytes, digest);
	out_put(m, line, (size_t)n);
	n = snprintf(line, sizeof(line), "%s  %s.csv\n", digest, t->type);
	out_put(sums, line, (size_t)n);
}

static void
write_manifest(void)
{
	struct out m, sums;
	char *mpath = path_join(opt.dir, "MANIFEST", "");
	char *spath = path_join(opt.dir, "SHA256SUMS", "");
	static const char head[] = "file,type,rows,bytes,sha256\n";
	size_t i;

	out_open(&m, opt.dir, "MANIFEST", mpath, 1);
	out_open(&sums, opt.dir, "SHA256SUMS", spath, 1);
	out_put(&m, head, sizeof(head) - 1);
	for (i = 0; i < ntables; i++)
		put_manifest_line(&m, &sums, tables[i]);
	out_commit_data(&m);
	out_commit_data(&sums);
	/* Data first, manifest last: a swap cut short shows as a mismatch. */
	for (i = 0; i < ntables; i++)
		out_rename(&tables[i]->out, tables[i]->final);
	out_rename(&m, mpath);
	out_rename(&sums, spath);
	out_close(&m);
	out_close(&sums);
	free(mpath);
	free(spath);
}

static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd == -1)
		return;
	if (fsync(fd) == -1 && errno != EINVAL)
		moc_die_sys(EXIT_DATA, "cannot sync %s", dir);
	close(fd);
}

static void
finish(void)
{
	size_t i;

	/* Selected types get their file even when no record had them. */
	for (i = 0; i < opt.ntypes; i++)
		if (table_for(opt.types[i]) == NULL)
			moc_die(EXIT_DATA, "more than %d record types",
			    MAX_TYPES);
	qsort(tables, ntables, sizeof(tables[0]), table_name_cmp);
	for (i = 0; i < ntables; i++)
		table_finish(tables[i]);
	if (opt.dir != NULL) {
		write_manifest();
		sync_dir(opt.dir);
	} else if (opt.output != NULL) {
		char *dir = dir_of(opt.output);

		out_rename(&tables[0]->out, tables[0]->final);
		sync_dir(dir);
		free(dir);
	} else
		copy_to_stdout(tables[0]);
	for (i = 0; i < ntables; i++)
		out_close(&tables[i]->out);
}

/* Options. */

static void
parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "crlf",		no_argument,		NULL, 'C' },
		{ "directory",		required_argument,	NULL, 'd' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "max-record",		required_argument,	NULL, 'm' },
		{ "no-neutralise",	no_argument,		NULL, 'N' },
		{ "no-neutralize",	no_argument,		NULL, 'N' },
		{ "output",		required_argument,	NULL, 'o' },
		{ "type",		required_argument,	NULL, 't' },
		{ "version",		no_argument,		NULL, 'V' },
		{ NULL,			0,			NULL, 0 }
	};
	int ch;

	opt.types = moc_xcalloc((size_t)argc, sizeof(opt.types[0]));
	while ((ch = getopt_long(argc, argv, "d:hm:o:t:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			opt.eol = "\r\n";
			opt.eol_len = 2;
			break;
		case 'd':
			opt.dir = optarg;
			break;
		case 'h':
			usage();
			break;
		case 'm':
			if (moc_parse_size(optarg, &opt.max_record) == -1 ||
			    opt.max_record == 0)
				moc_usage_error("invalid --max-record: %s",
				    optarg);
			break;
		case 'N':
			opt.neutralise = 0;
			break;
		case 'o':
			opt.output = optarg;
			break;
		case 't':
			if (*optarg == '\0')
				moc_usage_error("empty --type");
			opt.types[opt.ntypes++] = optarg;
			break;
		case 'V':
			moc_print_version();
			break;
		default:
			/* getopt_long has said what was wrong. */
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", moc_progname());
			exit(EXIT_USAGE);
		}
	}
	if (opt.dir != NULL && opt.output != NULL)
		moc_usage_error("--directory and --output exclude each other");
	if (opt.dir == NULL && opt.ntypes != 1)
		moc_usage_error("give --directory, or exactly one --type");
	if (opt.dir != NULL) {
		size_t i;

		for (i = 0; i < opt.ntypes; i++)
			if (!type_is_file_name(opt.types[i],
			    strlen(opt.types[i])))
				moc_usage_error("--type %s: not usable as a "
				    "file name", opt.types[i]);
	}
}

static void
open_directory(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) == -1 && errno != EEXIST)
		moc_die_sys(EXIT_DATA, "cannot create %s", dir);
	if (stat(dir, &st) == -1)
		moc_die_sys(EXIT_DATA, "%s", dir);
	if (!S_ISDIR(st.st_mode))
		moc_die(EXIT_DATA, "%s: not a directory", dir);
	if (access(dir, W_OK | X_OK) == -1)
		moc_die_sys(EXIT_DATA, "cannot write in %s", dir);
}

static void
catch_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int
main(int argc, char **argv)
{
	int i;

	moc_setprogname(argv[0]);
	argv[0] = (char *)moc_progname();	/* getopt's messages too */
	setlocale(LC_CTYPE, "");
	parse_options(argc, argv);
	char_class[','] = char_class['"'] = char_class['\n'] = CH_QUOTE;
	char_class['\r'] = CH_QUOTE | CH_FORMULA;
	char_class['='] = char_class['+'] = char_class['-'] = CH_FORMULA;
	char_class['@'] = char_class['\t'] = CH_FORMULA;
	if (opt.dir != NULL)
		open_directory(opt.dir);
	atexit(temps_remove);
	catch_signals();

	if (optind == argc)
		read_input(STDIN_FILENO, "<stdin>");
	for (i = optind; i < argc; i++) {
		int fd;

		if (strcmp(argv[i], "-") == 0) {
			read_input(STDIN_FILENO, "<stdin>");
			continue;
		}
		if ((fd = open(argv[i], O_RDONLY)) == -1)
			moc_die_sys(EXIT_DATA, "%s", argv[i]);
		read_input(fd, argv[i]);
		close(fd);
	}
	finish();
	moc_close_stdout();
	return EXIT_OK;
}
