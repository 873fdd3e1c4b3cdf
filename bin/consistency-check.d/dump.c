/*
 * dump.c: a csv-emit -d folder against its own MANIFEST (rows, bytes,
 * SHA-256 of each file) and SHA256SUMS, and, when records are given too,
 * the rows of each table against the records of each type.
 *
 * MANIFEST is CSV with the header "file,type,rows,bytes,sha256"; rows are
 * counted as RFC 4180 records after the header (a quoted field may hold
 * line breaks).  A CSV file in the folder that the manifest does not list
 * is a warning.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "sha256.h"
#include "ua.h"
#include "util.h"

struct entry {
	char		*file, *type;
	long long	 rows, bytes;
	char		*sha;
	int		 in_sums;
};
static struct entry	*ents;
static size_t		 nents, capents;
static struct smap	 file_ix;

/* Records per type in the stream. */
static struct smap	 type_ix;
static char		**tnames;
static unsigned long long *tcounts;
static size_t		 ntypes, captypes, captcounts;

void
dump_record(const struct json_value *rec, const char *type)
{
	uint32_t ix;

	(void)rec;
	if (!smap_get(&type_ix, type, strlen(type), &ix)) {
		tnames = ua_grow(tnames, &captypes, ntypes, sizeof(*tnames));
		tcounts = ua_grow(tcounts, &captcounts, ntypes,
		    sizeof(*tcounts));
		tnames[ntypes] = moc_xstrdup(type);
		tcounts[ntypes] = 0;
		ix = (uint32_t)ntypes++;
		smap_put(&type_ix, type, strlen(type), ix);
	}
	tcounts[ix]++;
}

static FILE *
open_in_dir(const char *name, int must)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", CO.dump, name);
	if ((fp = fopen(path, "rb")) == NULL && (must || errno != ENOENT))
		moc_die_sys(EXIT_USAGE, "%s", path);
	return fp;
}

/* One CSV line's fields (quotes as RFC 4180); returns the count. */
static size_t
split_csv(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *w, *r = line;

	while (n < max) {
		f[n++] = w = r;
		if (*r == '"') {
			for (r++; *r != '\0'; r++) {
				if (*r == '"' && r[1] == '"')
					r++;
				else if (*r == '"') {
					r++;
					break;
				}
				*w++ = *r;
			}
		}
		while (*r != ',' && *r != '\0' && *r != '\r' && *r != '\n')
			*w++ = *r++;
		if (*r != ',') {
			*w = '\0';
			break;
		}
		*w = '\0';
		r++;
	}
	return n;
}

static void
read_manifest(void)
{
	FILE *fp = open_in_dir("MANIFEST", 0);
	char *line = NULL, *f[6], *end;
	size_t cap = 0, lineno = 0;
	struct entry *e;

	if (fp == NULL) {
		cc_finding(CK_DUMP, SEV_ERROR, "MANIFEST", "present",
		    "missing", "%s has no MANIFEST", CO.dump);
		return;
	}
	while (getline(&line, &cap, fp) != -1) {
		if (++lineno == 1) {
			if (strncmp(line, "file,type,rows,bytes,sha256", 27))
				moc_die(EXIT_USAGE, "%s/MANIFEST:1: not a "
				    "csv-emit manifest", CO.dump);
			continue;
		}
		if (split_csv(line, f, 6) != 5)
			moc_die(EXIT_USAGE, "%s/MANIFEST:%zu: not 5 fields",
			    CO.dump, lineno);
		ents = ua_grow(ents, &capents, nents, sizeof(*ents));
		e = &ents[nents];
		memset(e, 0, sizeof(*e));
		e->file = moc_xstrdup(f[0]);
		e->type = moc_xstrdup(f[1]);
		e->rows = strtoll(f[2], &end, 10);
		if (*end != '\0' || end == f[2])
			moc_die(EXIT_USAGE, "%s/MANIFEST:%zu: bad number in "
			    "field \"rows\": %s", CO.dump, lineno, f[2]);
		e->bytes = strtoll(f[3], &end, 10);
		if (*end != '\0' || end == f[3])
			moc_die(EXIT_USAGE, "%s/MANIFEST:%zu: bad number in "
			    "field \"bytes\": %s", CO.dump, lineno, f[3]);
		e->sha = moc_xstrdup(f[4]);
		smap_put(&file_ix, e->file, strlen(e->file), (uint32_t)nents++);
	}
	free(line);
	fclose(fp);
}

/* SHA-256, bytes and RFC 4180 records (after the header) of a file. */
static int
scan_csv(const char *name, char hex[SHA256_HEX_LEN], long long *bytes,
    long long *rows)
{
	FILE *fp = open_in_dir(name, 0);
	unsigned char buf[65536];
	struct sha256 h;
	size_t n, i;
	int quoted = 0, last = '\n';

	if (fp == NULL)
		return -1;
	sha256_init(&h);
	*bytes = *rows = 0;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		sha256_update(&h, buf, n);
		*bytes += (long long)n;
		for (i = 0; i < n; i++) {
			if (buf[i] == '"')
				quoted = !quoted;
			else if (buf[i] == '\n' && !quoted)
				(*rows)++;
			last = buf[i];
		}
	}
	if (ferror(fp))
		moc_die_sys(EXIT_USAGE, "%s/%s", CO.dump, name);
	fclose(fp);
	if (last != '\n')
		(*rows)++;		/* an unterminated last record */
	if (*rows > 0)
		(*rows)--;		/* the header */
	sha256_final_hex(&h, hex);
	return 0;
}

static void
mismatch(const char *file, const char *what, long long want, long long got)
{
	char e[32], a[32];

	snprintf(e, sizeof(e), "%lld", want);
	snprintf(a, sizeof(a), "%lld", got);
	cc_finding(CK_DUMP, SEV_ERROR, file, e, a, "%s in MANIFEST and in "
	    "the file differ", what);
}

static void
check_entries(char (*hexes)[SHA256_HEX_LEN])
{
	long long bytes, rows;
	size_t i;

	for (i = 0; i < nents; i++) {
		const struct entry *e = &ents[i];

		hexes[i][0] = '\0';
		if (scan_csv(e->file, hexes[i], &bytes, &rows) == -1) {
			cc_finding(CK_DUMP, SEV_ERROR, e->file, "present",
			    "missing", "listed in MANIFEST, not in %s",
			    CO.dump);
			continue;
		}
		if (rows != e->rows)
			mismatch(e->file, "rows", e->rows, rows);
		if (bytes != e->bytes)
			mismatch(e->file, "bytes", e->bytes, bytes);
		if (strcmp(hexes[i], e->sha) != 0)
			cc_finding(CK_DUMP, SEV_ERROR, e->file, e->sha,
			    hexes[i], "SHA-256 in MANIFEST and of the file "
			    "differ");
	}
}

static void
check_sums(char (*hexes)[SHA256_HEX_LEN])
{
	FILE *fp = open_in_dir("SHA256SUMS", 0);
	char *line = NULL, *name;
	size_t cap = 0, lineno = 0, i;
	ssize_t len;
	uint32_t ix;

	if (fp == NULL) {
		cc_finding(CK_DUMP, SEV_ERROR, "SHA256SUMS", "present",
		    "missing", "%s has no SHA256SUMS", CO.dump);
		return;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len < 67 || line[64] != ' ' || (line[65] != ' ' &&
		    line[65] != '*'))
			moc_die(EXIT_USAGE, "%s/SHA256SUMS:%zu: not a "
			    "sha256sum line", CO.dump, lineno);
		line[64] = '\0';
		name = line + 66;
		if (!smap_get(&file_ix, name, strlen(name), &ix)) {
			cc_finding(CK_DUMP, SEV_ERROR, name,
			    "listed in MANIFEST", "only in SHA256SUMS",
			    "SHA256SUMS line %zu", lineno);
			continue;
		}
		ents[ix].in_sums = 1;
		if (hexes[ix][0] != '\0' && strcmp(line, hexes[ix]) != 0)
			cc_finding(CK_DUMP, SEV_ERROR, name, line, hexes[ix],
			    "SHA-256 in SHA256SUMS and of the file differ");
	}
	free(line);
	fclose(fp);
	for (i = 0; i < nents; i++)
		if (!ents[i].in_sums)
			cc_finding(CK_DUMP, SEV_ERROR, ents[i].file,
			    "listed in SHA256SUMS", "only in MANIFEST", "%s",
			    "every file of the manifest has its checksum");
}

/* CSV files the manifest does not know: left over, or added later. */
static void
unlisted_files(void)
{
	DIR *d = opendir(CO.dump);
	struct dirent *de;
	uint32_t ix;

	if (d == NULL)
		moc_die_sys(EXIT_USAGE, "%s", CO.dump);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 4 || strcmp(de->d_name + n - 4, ".csv") != 0 ||
		    smap_get(&file_ix, de->d_name, n, &ix))
			continue;
		cc_finding(CK_DUMP, SEV_WARNING, de->d_name,
		    "listed in MANIFEST", "not listed",
		    "a CSV file in %s that the manifest does not know",
		    CO.dump);
	}
	closedir(d);
}

/* Rows per table against the records of each type. */
static void
against_records(void)
{
	char e[32], a[32], subject[300];
	size_t i;
	uint32_t ix;
	long long rows;
	struct smap dtype;

	memset(&dtype, 0, sizeof(dtype));
	for (i = 0; i < nents; i++)
		smap_put(&dtype, ents[i].type, strlen(ents[i].type),
		    (uint32_t)i);
	for (i = 0; i < ntypes; i++) {
		rows = smap_get(&dtype, tnames[i], strlen(tnames[i]), &ix) ?
		    ents[ix].rows : 0;
		if ((unsigned long long)rows == tcounts[i])
			continue;
		snprintf(subject, sizeof(subject), "table %s", tnames[i]);
		snprintf(e, sizeof(e), "%llu", tcounts[i]);
		snprintf(a, sizeof(a), "%lld", rows);
		cc_finding(CK_DUMP, SEV_ERROR, subject, e, a, "records of "
		    "type %s read, against rows in the dump", tnames[i]);
	}
	for (i = 0; i < nents; i++) {
		if (smap_get(&type_ix, ents[i].type, strlen(ents[i].type), &ix)
		    || ents[i].rows == 0)
			continue;
		snprintf(subject, sizeof(subject), "table %s", ents[i].type);
		snprintf(a, sizeof(a), "%lld", ents[i].rows);
		cc_finding(CK_DUMP, SEV_ERROR, subject, "0", a, "rows in the "
		    "dump, no record of type %s read", ents[i].type);
	}
	smap_free(&dtype);
}

void
dump_run(void)
{
	char (*hexes)[SHA256_HEX_LEN];
	unsigned long long rows = 0;
	size_t i;
	DIR *d;

	if ((d = opendir(CO.dump)) == NULL)
		moc_die_sys(EXIT_USAGE, "%s", CO.dump);
	closedir(d);
	read_manifest();
	hexes = moc_xcalloc(nents + 1, sizeof(*hexes));
	check_entries(hexes);
	check_sums(hexes);
	unlisted_files();
	free(hexes);
	for (i = 0; i < nents; i++)
		rows += (unsigned long long)ents[i].rows;
	if (CO.have_stream)
		against_records();
	cc_note(CK_DUMP, "%zu files, %llu rows%s", nents, rows,
	    CO.have_stream ? ", compared with the records" : "");
}
