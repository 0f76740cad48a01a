/*
 * common/mct.h - the conventions every mcthermo component shares.
 *
 * One error convention across the codebase: every fallible function returns
 * an mct_status and, when it fails, fills an mct_err whose message names the
 * file, line or URL at fault and says what to do.  Callers either pass the
 * error up unchanged or print it; they never invent a second message.
 *
 * Besides the error type this header holds the few helpers that every
 * component needs (a growable byte buffer, checked allocation, UTC time
 * stamps, sha256).  Anything more specific belongs to a component.
 */
#ifndef MCT_H
#define MCT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define MCT_VERSION "0.1.0"

typedef enum {
	MCT_OK = 0,
	MCT_ERR_USAGE,       /* bad command line */
	MCT_ERR_CONFIG,      /* bad configuration or rule file */
	MCT_ERR_IO,          /* file system */
	MCT_ERR_DB,          /* SQLite */
	MCT_ERR_NOMEM,       /* allocation failed */
	MCT_ERR_PARSE,       /* malformed outside input (page, robots.txt, CSV) */
	MCT_ERR_NET,         /* transfer failed */
	MCT_ERR_BUSY,        /* another run holds the database */
	MCT_ERR_LIMIT,       /* a size, time or match limit was hit */
	MCT_ERR_INTERRUPTED, /* SIGINT/SIGTERM */
	MCT_ERR_INTERNAL     /* a bug: an invariant did not hold */
} mct_status;

/* Process exit codes, documented in the man page and README. */
enum {
	MCT_EXIT_OK = 0,         /* success */
	MCT_EXIT_PARTIAL = 1,    /* finished, but some sources failed */
	MCT_EXIT_USAGE = 2,      /* usage or configuration error */
	MCT_EXIT_INTERNAL = 3,   /* database or internal error */
	MCT_EXIT_BUSY = 4,       /* another run holds the database */
	MCT_EXIT_INTERRUPTED = 5 /* stopped by SIGINT or SIGTERM */
};

typedef struct {
	mct_status code;
	char msg[1024];
} mct_err;

/* Record a failure in *err (may be NULL) and return code. printf-style. */
mct_status mct_fail(mct_err *err, mct_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Exit code a command returns for a status. */
int mct_exit_code(mct_status st);
const char *mct_status_name(mct_status st);

/* Checked allocation: abort with a message on out-of-memory.  Used where a
 * failed allocation leaves nothing sensible to do (small bookkeeping). */
void *mct_xmalloc(size_t n);
void *mct_xcalloc(size_t n, size_t size);
void *mct_xrealloc(void *p, size_t n);
char *mct_xstrdup(const char *s);
char *mct_xstrndup(const char *s, size_t n);
char *mct_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable byte buffer, always NUL-terminated (data[len] == 0). */
typedef struct {
	char *data;
	size_t len;
	size_t cap;
} mct_buf;

void mct_buf_init(mct_buf *b);
void mct_buf_free(mct_buf *b);
void mct_buf_reset(mct_buf *b);
void mct_buf_reserve(mct_buf *b, size_t extra);
void mct_buf_append(mct_buf *b, const void *data, size_t n);
void mct_buf_puts(mct_buf *b, const char *s);
void mct_buf_putc(mct_buf *b, char c);
void mct_buf_printf(mct_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the data to the caller (who frees it); the buffer is left empty. */
char *mct_buf_steal(mct_buf *b);

/* Append s as one CSV field (RFC 4180: quoted when it holds a comma, quote
 * or line break).  A field a spreadsheet would run as a formula (leading
 * = + - @) is quoted with a ' in front: CSV files carry strangers' text.
 * NULL appends nothing (an empty field). */
void mct_buf_csv_field(mct_buf *b, const char *s);

/* Read a whole file into *out (NUL-terminated). */
mct_status mct_read_file(const char *path, size_t max_bytes, mct_buf *out, mct_err *err);

/* Current time as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out[21]. */
void mct_now_utc(char out[21]);
/* Today's date as "YYYY-MM-DD" (UTC) into out[11]. */
void mct_today_utc(char out[11]);
/* Parse "YYYY-MM-DD"; returns 0 on success and the day number (days since
 * 1970-01-01) in *days. */
int mct_parse_date(const char *s, long *days);

/* sha256 of data as 64 lowercase hex digits plus NUL. */
void mct_sha256_hex(const void *data, size_t n, char out[65]);

/* Path helpers. */
/* Join dir and rel unless rel is absolute; returns a new string. */
char *mct_path_resolve(const char *dir, const char *rel);
/* Directory part of path ("." when none); returns a new string. */
char *mct_path_dirname(const char *path);

/* Strip what could act on a terminal from text about to be printed: ESC
 * sequences, C0 and C1 controls other than \n and \t, bidirectional
 * overrides; bytes that are not UTF-8 become U+FFFD.  Returns a new
 * string. */
char *mct_sanitize_for_terminal(const char *s, size_t n);

/* Length (1-4) of the well-formed UTF-8 character at s (n bytes available)
 * and its code point in *cp; 0 when the bytes there are not one. */
size_t mct_utf8_char(const char *s, size_t n, unsigned *cp);

#endif
