/*
 * report/report.h - the report component's contract: the static dashboard.
 *
 * mct_report_write reads the store (readings, their explanation, evidence,
 * sources) and writes a static site into a folder: index.html with every
 * country's thermometer, one page per country laid out like a benchmarking
 * report, and the data beside them (evidence.csv, written here, and
 * readings.csv, readings.json and history.csv, which the caller formats).
 * The site opens from disk: no server, no
 * script, no external font, style sheet or image; the CSS is inlined in each
 * page so a single page can be mailed on its own.
 *
 * Everything that came from crawled pages (snippets, matches, URLs, source
 * errors) is escaped for the HTML context it lands in, and only http, https
 * and file URLs become links; anything else is shown as text.  The escaping
 * functions are part of the contract so that tests pin them directly.
 *
 * Every file is written to a temporary name in the folder and renamed over
 * the old one, so a reader never sees half a page and an interrupted report
 * leaves the previous one intact.
 */
#ifndef MCT_REPORT_H
#define MCT_REPORT_H

#include <stddef.h>

#include "../common/mct.h"
#include "../store/store.h"

typedef struct {
	size_t countries; /* country pages written */
	size_t files;     /* files written in total (pages and data) */
	size_t readings;  /* readings in the history */
	size_t evidence;  /* rows of evidence.csv */
	char latest[11];  /* date of the newest reading, "" when none */
} mct_report_stats;

/* A file the caller made, written into the site beside the pages (the
 * command line supplies readings.csv, readings.json and history.csv in the
 * formats of `mcthermo readings` and `history`, so they cannot drift from
 * them).  name is a plain file name: no '/', not starting with '.'. */
typedef struct {
	const char *name;
	const char *data;
	size_t len;
} mct_report_file;

/* Write the dashboard of the store into out_dir (created, with its parents,
 * when missing): index.html, one page per country, evidence.csv (the
 * columns of `mcthermo evidence --csv`) and the n extra files.  The pages
 * link readings.csv, readings.json, history.csv and evidence.csv.  A store
 * without readings still gets an index that says how to make some.  Errors
 * name the path at fault. */
mct_status mct_report_write(mct_store *st, const char *out_dir, const mct_report_file *extra,
                            size_t n, mct_report_stats *stats, mct_err *err);

/* ---- escaping ----------------------------------------------------------- */

/* Append s escaped for HTML text and for a double-quoted attribute value:
 * & < > " ' become entities, control characters become spaces and bytes
 * that are not UTF-8 become U+FFFD, so nothing in s can open a tag, close an
 * attribute or smuggle a character the page did not mean.  NULL appends
 * nothing. */
void mct_html_escape(mct_buf *b, const char *s);
/* The same for the first n bytes of s. */
void mct_html_escape_n(mct_buf *b, const char *s, size_t n);
/* 1 when url may be a link target: it starts with http://, https:// or
 * file:// (any case), has something after the scheme and holds no control
 * character.  Everything else (javascript:, data:, vbscript:, relative or
 * odd URLs) is not. */
int mct_html_url_ok(const char *url);
/* Append a link to url showing text (url itself when text is NULL), with
 * rel="noopener noreferrer nofollow" (spaces in the target become %20); when
 * url is not mct_html_url_ok, the text is appended as plain escaped text
 * inside <span class="url-text">. */
void mct_html_link(mct_buf *b, const char *url, const char *text);

#endif
