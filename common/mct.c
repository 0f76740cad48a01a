/*
 * common/mct.c - the error convention, checked allocation, buffers, time,
 * hashing and small path helpers shared by every component.
 *
 * Allocation helpers abort on failure: mcthermo is a batch tool and an
 * out-of-memory condition in bookkeeping code has no useful recovery; large
 * allocations driven by outside input (bodies, texts) are bounded by the
 * configured limits before they reach these helpers.
 */
#include "mct.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

mct_status mct_fail(mct_err *err, mct_status code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int mct_exit_code(mct_status st)
{
	switch (st) {
	case MCT_OK:
		return MCT_EXIT_OK;
	case MCT_ERR_USAGE:
	case MCT_ERR_CONFIG:
		return MCT_EXIT_USAGE;
	case MCT_ERR_BUSY:
		return MCT_EXIT_BUSY;
	case MCT_ERR_INTERRUPTED:
		return MCT_EXIT_INTERRUPTED;
	default:
		return MCT_EXIT_INTERNAL;
	}
}

const char *mct_status_name(mct_status st)
{
	static const char *names[] = {"ok",
	                              "usage error",
	                              "configuration error",
	                              "I/O error",
	                              "database error",
	                              "out of memory",
	                              "parse error",
	                              "network error",
	                              "busy",
	                              "limit reached",
	                              "interrupted",
	                              "internal error"};
	if ((size_t)st < sizeof names / sizeof names[0])
		return names[st];
	return "unknown error";
}

static void oom(size_t n)
{
	fprintf(stderr, "mcthermo: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *mct_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *mct_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *mct_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *mct_xstrdup(const char *s)
{
	return mct_xstrndup(s, strlen(s));
}

char *mct_xstrndup(const char *s, size_t n)
{
	char *p = mct_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *mct_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	char *p = mct_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void mct_buf_init(mct_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void mct_buf_free(mct_buf *b)
{
	free(b->data);
	mct_buf_init(b);
}

void mct_buf_reset(mct_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

void mct_buf_reserve(mct_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = mct_xrealloc(b->data, cap);
	b->data[b->len] = 0; /* a fresh buffer reads as "" */
	b->cap = cap;
}

void mct_buf_append(mct_buf *b, const void *data, size_t n)
{
	mct_buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = 0;
}

void mct_buf_puts(mct_buf *b, const char *s)
{
	mct_buf_append(b, s, strlen(s));
}

void mct_buf_putc(mct_buf *b, char c)
{
	mct_buf_append(b, &c, 1);
}

void mct_buf_printf(mct_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	mct_buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void mct_buf_csv_field(mct_buf *b, const char *s)
{
	if (!s)
		return;
	int formula = s[0] && strchr("=+-@", s[0]);
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		mct_buf_puts(b, s);
		return;
	}
	mct_buf_putc(b, '"');
	if (formula)
		mct_buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			mct_buf_putc(b, '"');
		mct_buf_putc(b, *p);
	}
	mct_buf_putc(b, '"');
}

char *mct_buf_steal(mct_buf *b)
{
	char *p = b->data ? b->data : mct_xstrdup("");
	mct_buf_init(b);
	return p;
}

mct_status mct_read_file(const char *path, size_t max_bytes, mct_buf *out, mct_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mct_fail(err, MCT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	mct_buf_reset(out);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (max_bytes && out->len + n > max_bytes) {
			fclose(f);
			return mct_fail(err, MCT_ERR_LIMIT, "%s: larger than %zu bytes", path,
			                max_bytes);
		}
		mct_buf_append(out, chunk, n);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return mct_fail(err, MCT_ERR_IO, "%s: read error", path);
	mct_buf_reserve(out, 0);
	return MCT_OK;
}

void mct_now_utc(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void mct_today_utc(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Days from civil date (proleptic Gregorian), after H. Hinnant's algorithm. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int mct_parse_date(const char *s, long *days)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3)
		return -1;
	if (s[4] != '-' || s[7] != '-' || (s[10] && s[10] != 'T' && s[10] != ' '))
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return -1;
	if (days)
		*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

void mct_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL);
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = 0;
}

/* Fold "." and "dir/.." segments (lexically: links are not followed), so
 * that paths shown to users read "/srv/demo-out/x" rather than
 * "/srv/config/../demo-out/x". */
static char *path_tidy(char *p)
{
	int abs = p[0] == '/';
	char **seg = mct_xcalloc(strlen(p) / 2 + 2, sizeof *seg);
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(p, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..") && n && strcmp(seg[n - 1], ".."))
			n--;
		else if (!strcmp(t, "..") && abs && !n)
			continue; /* "/.." is "/" */
		else
			seg[n++] = t;
	}
	mct_buf b;
	mct_buf_init(&b);
	if (abs)
		mct_buf_putc(&b, '/');
	for (size_t i = 0; i < n; i++) {
		if (i)
			mct_buf_putc(&b, '/');
		mct_buf_puts(&b, seg[i]);
	}
	if (!b.len)
		mct_buf_putc(&b, '.');
	free(seg);
	free(p);
	return mct_buf_steal(&b);
}

char *mct_path_resolve(const char *dir, const char *rel)
{
	if (!rel)
		return NULL;
	if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
		return path_tidy(mct_xstrdup(rel));
	return path_tidy(mct_xasprintf("%s/%s", dir, rel));
}

char *mct_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return mct_xstrdup(".");
	if (slash == path)
		return mct_xstrdup("/");
	return mct_xstrndup(path, (size_t)(slash - path));
}

size_t mct_utf8_char(const char *str, size_t n, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return 0;
	unsigned c = s[0];
	size_t k = c < 0x80                 ? 1
	           : c >= 0xc2 && c <= 0xdf ? 2
	           : c >= 0xe0 && c <= 0xef ? 3
	           : c >= 0xf0 && c <= 0xf4 ? 4
	                                    : 0;
	if (k == 0 || k > n)
		return 0;
	unsigned v = k == 1 ? c : c & (0x7f >> k);
	for (size_t j = 1; j < k; j++) {
		if ((s[j] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[j] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((k == 3 && v < 0x800) || (k == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return k;
}

char *mct_sanitize_for_terminal(const char *s, size_t n)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_reserve(&b, n);
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		if (c == 0x1b) {
			/* Drop an escape sequence: ESC [ ... final byte, or ESC x. */
			i++;
			if (i < n && u[i] == '[') {
				i++;
				while (i < n && !(u[i] >= 0x40 && u[i] <= 0x7e))
					i++;
			}
			if (i < n)
				i++;
			continue;
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			i++;
			continue;
		}
		unsigned cp = 0;
		size_t k = mct_utf8_char(s + i, n - i, &cp);
		if (k == 0) {
			/* A stray byte: 0x9b alone is CSI to an 8-bit terminal. */
			mct_buf_puts(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		/* C1 controls (CSI, OSC ... as UTF-8), and the bidirectional
		 * overrides and isolates that make a terminal show text in an
		 * order other than its own. */
		int drop = (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		           (cp >= 0x2066 && cp <= 0x2069);
		if (!drop)
			mct_buf_append(&b, u + i, k);
		i += k;
	}
	return mct_buf_steal(&b);
}
