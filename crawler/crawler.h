/*
 * crawler/crawler.h - the crawler component's contract.
 *
 * The crawler turns the configured sources into captures: it fetches each
 * enabled source (libcurl multi interface, polite per host, robots.txt per
 * RFC 9309, conditional requests), turns every body into UTF-8 text and
 * hands both to the store.  It never reads evidence or readings: data flows
 * config -> crawler -> store.
 *
 * Three pieces are public because commands use them on their own:
 *   - robots.txt evaluation (`mcthermo robots`),
 *   - content-to-text extraction (`mcthermo text`, and re-extraction),
 *   - the crawl itself (`mcthermo crawl`, `mcthermo run`).
 */
#ifndef MCT_CRAWLER_H
#define MCT_CRAWLER_H

#include <stddef.h>
#include <stdio.h>

#include <signal.h>
#include <stdint.h>

#include "../common/mct.h"
#include "../config/config.h"
#include "../store/store.h"

/* ---------------------------------------------------------------------
 * robots.txt (RFC 9309)
 * ------------------------------------------------------------------- */

/* Only the first MCT_ROBOTS_MAX_BYTES of a robots.txt are parsed. */
#define MCT_ROBOTS_MAX_BYTES (500 * 1024)

typedef struct mct_robots mct_robots;

/* Parse a robots.txt body.  Never fails on content (malformed lines are
 * ignored as the RFC says); returns NULL only when out of memory. */
mct_robots *mct_robots_parse(const char *data, size_t len);
void mct_robots_free(mct_robots *r);

typedef struct {
	int allowed;    /* 1 allowed, 0 disallowed */
	int line;       /* 1-based line of the deciding rule, 0 when no rule matched */
	char rule[256]; /* the deciding line as written ("Disallow: /private"), "" when none */
} mct_robots_verdict;

/* Evaluate `agent` (a product token such as "mcthermo"; matched
 * case-insensitively) for `path`, the URL's path plus "?query" (or a whole
 * absolute URL, whose path and query are then used). */
mct_robots_verdict mct_robots_check(const mct_robots *r, const char *agent, const char *path);

/* Sitemap URLs announced in the file, in order. */
size_t mct_robots_sitemap_count(const mct_robots *r);
const char *mct_robots_sitemap(const mct_robots *r, size_t i);

/* ---------------------------------------------------------------------
 * Content to text
 *
 * The text format every later stage relies on:
 *   - valid UTF-8 (invalid input sequences become U+FFFD);
 *   - one block per line: paragraphs, list items, table cells, headings,
 *     <br>-separated pieces each end with '\n'; white space inside a block is
 *     folded to single spaces; no empty lines;
 *   - a heading block starts with one '#' per level and a space
 *     ("## Funding"), so "nearest heading" can be found in the text itself;
 *   - PDF pages are separated by a form feed: the text of page N+1 starts
 *     right after the N-th '\f'.  The page of an offset is 1 + the number of
 *     '\f' before it.
 *   - no other control characters.
 * ------------------------------------------------------------------- */

typedef enum {
	MCT_TEXT_UNSUPPORTED = 0,
	MCT_TEXT_HTML,
	MCT_TEXT_PDF,
	MCT_TEXT_PLAIN
} mct_text_type;

/* Decide the type from the Content-Type header (may be NULL), the URL's
 * extension (may be NULL) and the first bytes of the body (magic numbers
 * win over a wrong header: "%PDF-" is a PDF whatever the server says). */
mct_text_type mct_text_type_detect(const char *content_type, const char *url, const void *body,
                                   size_t n);
const char *mct_text_type_name(mct_text_type t); /* "html", "pdf", "txt", "unsupported" */
/* Parse "html", "pdf", "txt"; returns MCT_TEXT_UNSUPPORTED for anything else. */
mct_text_type mct_text_type_parse(const char *name);

typedef struct {
	mct_buf text;     /* the text, in the format above */
	int pages;        /* PDF page count, 0 for other types */
	char charset[40]; /* charset the body was decoded from ("UTF-8", "windows-1257") */
	char *title;      /* <title> or PDF title, NULL when none */
	char *base_href;  /* <base href>, NULL when none */
	char **links;     /* raw href values of <a> elements, in document order */
	size_t nlinks;
} mct_text;

/* Extract text from a body.  `http_charset` is the charset parameter of the
 * Content-Type header (NULL when none): it wins over a <meta> declaration,
 * which wins over detection.  `force_charset` (NULL normally) overrides all.
 * On failure out is left empty and err says why ("PDF is encrypted",
 * "not a PDF"). */
mct_status mct_text_extract(mct_text_type type, const void *body, size_t n,
                            const char *http_charset, const char *force_charset, mct_text *out,
                            mct_err *err);
void mct_text_free(mct_text *t);

/* Version of the extractor; stored with each text so that a change to the
 * extractor can be told apart from a change to the page. */
#define MCT_TEXT_EXTRACTOR_VERSION "text-1"

/* ---------------------------------------------------------------------
 * The crawl
 * ------------------------------------------------------------------- */

typedef struct {
	size_t sources_total;  /* enabled sources */
	size_t sources_ok;     /* start page fetched (new, changed or unchanged) */
	size_t sources_failed; /* start page failed or was skipped */
	size_t pages_new, pages_changed, pages_unchanged, pages_failed, pages_skipped;
	size_t bytes_downloaded;
} mct_crawl_stats;

/* Fetch every enabled source of cfg (and the links they allow) and store
 * each fetch as a capture of run `run_id`, with its text.  A failing source
 * never stops the crawl: its reason goes to the capture and to the source's
 * status.  `only` (NULL = all) limits the crawl to the listed source ids.
 * When *stop becomes nonzero (SIGINT/SIGTERM) transfers are abandoned,
 * finished captures stay committed, and MCT_ERR_INTERRUPTED is returned.
 * `progress` (may be NULL) receives one line per finished fetch. */
mct_status mct_crawl(const mct_config *cfg, mct_store *st, int64_t run_id, const char *const *only,
                     size_t nonly, volatile sig_atomic_t *stop, FILE *progress,
                     mct_crawl_stats *stats, mct_err *err);

#endif
