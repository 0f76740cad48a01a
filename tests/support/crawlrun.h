/*
 * tests/support/crawlrun.h - run mct_crawl from a test: write a config into
 * a temp folder, open a fresh store there, crawl, and query what was stored.
 */
#ifndef MCT_TEST_CRAWLRUN_H
#define MCT_TEST_CRAWLRUN_H

#include <signal.h>

#include "../../crawler/crawler.h"

typedef struct {
	char *dir; /* the run's temp folder (config and database) */
	mct_config *cfg;
	mct_store *st;
	int64_t run_id; /* of the last crawl */
	mct_crawl_stats stats;
	mct_status rc; /* what mct_crawl returned */
	mct_err err;
	char *progress; /* the progress lines it printed */
	double seconds; /* how long it took */
} tc_run;

/* Write dir/mcthermo.ini from `crawler` (lines for [crawler]; fast test
 * defaults fill in the keys not given: timeout_s = 2, retries = 0,
 * per_host_delay_ms = 0, concurrency = 4, a fixed user_agent) and `sources`
 * ([source:ID] sections), load it, open dir/crawl.db and crawl once.
 * Returns 0, or -1 (with a message on stderr) when the config or the store
 * could not be set up; the crawl's own result is in r->rc. */
int tc_crawl(tc_run *r, const char *dir, const char *crawler, const char *sources);
/* tc_crawl without the crawl: config and store only. */
int tc_setup(tc_run *r, const char *dir, const char *crawler, const char *sources);
/* Crawl again with the same config and store: the next night's run.
 * `only`/`nonly` and `stop` are passed to mct_crawl. */
void tc_crawl_again(tc_run *r, const char *const *only, size_t nonly, volatile sig_atomic_t *stop);
void tc_close(tc_run *r);

/* The first column of the first row of a query, as a new string; NULL for
 * SQL NULL or no row.  fmt is sqlite3_mprintf's (%q quotes a string), so
 * it carries no printf format attribute. */
char *tc_str(tc_run *r, const char *fmt, ...);
/* The same as a number (-1 for NULL or no row). */
long long tc_int(tc_run *r, const char *fmt, ...);

#endif
