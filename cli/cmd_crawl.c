/*
 * cli/cmd_crawl.c - `mcthermo crawl [--source ID]...`: fetch the sources and
 * store every fetch as a capture, without extracting or scoring.
 *
 * Options:
 *   --source ID, -s ID  crawl only this source (repeatable); an unknown or
 *                       disabled source is a usage error, so a typo in a
 *                       cron line never silently crawls nothing
 * Global -v prints one line per fetch ("source  outcome  URL  (reason)") on
 * stderr, as does an interactive terminal; -q silences the summary.
 *
 * The command opens the store read-write (which takes the run lock), records
 * a run, crawls, and closes the run as ok, partial (some sources failed) or
 * interrupted.  SIGINT and SIGTERM set a flag the crawl polls; the handlers
 * are installed without SA_RESTART so a signal also wakes the transfer loop.
 * Exit: 0 all sources fetched, 1 some failed, 2 usage, 3 database error,
 * 4 another run holds the database, 5 interrupted.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../crawler/crawler.h"
#include "cli.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void size_words(size_t n, char *out, size_t outsz)
{
	if (n >= 1000 * 1000)
		snprintf(out, outsz, "%.1f MB", n / 1e6);
	else if (n >= 1000)
		snprintf(out, outsz, "%.1f kB", n / 1e3);
	else
		snprintf(out, outsz, "%zu bytes", n);
}

static char *summary_of(const mct_crawl_stats *s, double seconds)
{
	char size[32];
	size_words(s->bytes_downloaded, size, sizeof size);
	return mct_xasprintf("%zu source%s: %zu ok, %zu failed; pages: %zu new, %zu changed, "
	                     "%zu unchanged, %zu failed, %zu skipped; %s downloaded in %.1f s",
	                     s->sources_total, s->sources_total == 1 ? "" : "s", s->sources_ok,
	                     s->sources_failed, s->pages_new, s->pages_changed, s->pages_unchanged,
	                     s->pages_failed, s->pages_skipped, size, seconds);
}

/* The sources that failed in this run, with their reasons. */
static void print_failed(mct_store *st, int64_t run_id)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(
	        mct_store_db(st),
	        "SELECT id, last_status, last_error FROM sources WHERE last_run = ?1 "
	        "AND last_status IN ('failed', 'skipped') ORDER BY id",
	        -1, &q, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(q, 1, run_id);
	while (sqlite3_step(q) == SQLITE_ROW) {
		printf("  %s %s: ", (const char *)sqlite3_column_text(q, 0),
		       (const char *)sqlite3_column_text(q, 1));
		const char *e = (const char *)sqlite3_column_text(q, 2);
		if (e && *e)
			mct_print_safe(stdout, e);
		printf("\n");
	}
	sqlite3_finalize(q);
}

/* Check --source ids against the config before anything is opened. */
static int check_ids(const mct_config *cfg, char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const mct_source *s = mct_config_source(cfg, ids[i]);
		if (!s)
			return mct_cli_usage(
			    "crawl", "unknown source '%s'; `mcthermo sources` lists them", ids[i]);
		if (!s->enabled)
			return mct_cli_usage("crawl",
			                     "source '%s' is disabled (%s:%d sets enabled = no)",
			                     ids[i], cfg->path, s->line);
	}
	return 0;
}

static mct_run_status run_status(mct_status rc, const mct_crawl_stats *stats)
{
	if (rc == MCT_ERR_INTERRUPTED)
		return MCT_RUN_INTERRUPTED;
	if (rc)
		return MCT_RUN_FAILED;
	return stats->sources_failed ? MCT_RUN_PARTIAL : MCT_RUN_OK;
}

static int crawl(mct_cli *cli, char **ids, size_t nids)
{
	mct_store *st;
	int code = mct_cli_store(cli, MCT_STORE_READWRITE, &st);
	if (code)
		return code;
	mct_err err = {0};
	int64_t run_id;
	if (mct_store_run_start(st, "crawl", &run_id, &err)) {
		mct_store_close(st);
		return mct_cli_error(&err);
	}
	struct sigaction sa = {0}, old_int, old_term;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the transfer loop wakes up */
	stop_requested = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	FILE *progress = cli->verbose || (!cli->quiet && isatty(2)) ? stderr : NULL;
	mct_crawl_stats stats;
	double t0 = now_s();
	mct_status rc = mct_crawl(cli->cfg, st, run_id, (const char *const *)ids, nids,
	                          &stop_requested, progress, &stats, &err);
	double seconds = now_s() - t0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	char *summary = summary_of(&stats, seconds);
	mct_run_status status = run_status(rc, &stats);
	mct_err ferr = {0};
	mct_status frc = mct_store_run_finish(
	    st, run_id, status, rc && rc != MCT_ERR_INTERRUPTED ? err.msg : summary, &ferr);
	if (rc) {
		code = mct_cli_error(&err);
	} else if (frc) {
		code = mct_cli_error(&ferr);
	} else {
		code = stats.sources_failed ? MCT_EXIT_PARTIAL : MCT_EXIT_OK;
		if (!cli->quiet) {
			printf("crawl: %s\n", summary);
			print_failed(st, run_id);
		}
	}
	free(summary);
	mct_store_close(st);
	return code;
}

int cmd_crawl(mct_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"source", required_argument, NULL, 's'},
	                                     {NULL, 0, NULL, 0}};
	char **ids = NULL;
	size_t nids = 0;
	int c, code = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
		if (c == 's') {
			ids = mct_xrealloc(ids, (nids + 1) * sizeof *ids);
			ids[nids++] = optarg;
		} else {
			code = mct_cli_usage("crawl", "unknown or incomplete option '%s'",
			                     argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		code = mct_cli_usage("crawl", "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if ((code = mct_cli_config(cli)) || (code = check_ids(cli->cfg, ids, nids)))
		goto out;
	code = crawl(cli, ids, nids);
out:
	free(ids);
	return code;
}
