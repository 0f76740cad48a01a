/*
 * cli/cmd_run.c - `mcthermo run`: the nightly job, crawl -> extract -> score,
 * then a short summary.
 *
 * With -q the summary shrinks to what a cron mail should carry: the
 * readings whose temperature moved by more than [score] quiet_threshold, or
 * that gained evidence; nothing at all on a quiet night.  Errors always go to
 * stderr.  A failing source does not stop the run (exit 1 tells of it); an
 * interrupt keeps what was finished and records the run as interrupted.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../crawler/crawler.h"
#include "../score/score.h"
#include "cli.h"

/* The sources that failed in this run, with their reasons (at most `max`). */
static void print_failures(mct_store *st, int64_t run_id, size_t max)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(mct_store_db(st),
	                       "SELECT id, last_error FROM sources WHERE last_run = ?1 AND "
	                       "last_status NOT IN ('ok', 'unchanged') ORDER BY country, id",
	                       -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(s, 1, run_id);
	size_t n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n++ < max) {
			printf("  failed  %-34s ", (const char *)sqlite3_column_text(s, 0));
			mct_print_safe(stdout, (const char *)sqlite3_column_text(s, 1));
			putchar('\n');
		}
	}
	if (n > max)
		printf("  ... and %zu more: see `mcthermo sources`\n", n - max);
	sqlite3_finalize(s);
}

static void print_reading(const mct_score_reading *r)
{
	const mct_store_reading *x = &r->row;
	printf("  %s  %5.1f°  %-8s", x->country, x->temperature, x->band);
	if (r->has_previous) {
		double d = x->temperature - r->previous_temperature;
		printf("  %s %+.1f since %s",
		       d > 0.05    ? "↑"
		       : d < -0.05 ? "↓"
		                   : "→",
		       d, r->previous_date);
	} else {
		printf("  (first reading)");
	}
	printf("  %d/%d sources, %d evidence", x->sources_ok, x->sources_total, x->evidence_count);
	if (r->appeared)
		printf(", %zu new", r->appeared);
	if (x->low_confidence)
		printf(", low confidence");
	putchar('\n');
}

int cmd_run(mct_cli *cli, int argc, char **argv)
{
	const char *date = NULL;
	const char **only = NULL;
	size_t nonly = 0;
	static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
	                                     {"source", required_argument, NULL, 's'},
	                                     {NULL, 0, NULL, 0}};
	int c, rc;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd') {
			date = optarg;
		} else if (c == 's') {
			only = mct_xrealloc(only, (nonly + 1) * sizeof *only);
			only[nonly++] = optarg;
		} else {
			free(only);
			return mct_cli_usage("run", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		free(only);
		return mct_cli_usage("run", "unexpected argument '%s'", argv[optind]);
	}
	char today[11];
	mct_today_utc(today);
	if (date && mct_parse_date(date, NULL)) {
		free(only);
		return mct_cli_usage("run", "--date '%s': expected YYYY-MM-DD", date);
	}
	if (!date)
		date = today;
	if ((rc = mct_cli_config(cli))) {
		free(only);
		return rc;
	}
	for (size_t i = 0; i < nonly; i++)
		if (!mct_config_source(cli->cfg, only[i])) {
			rc = mct_cli_usage("run", "--source '%s': no such source in %s", only[i],
			                   cli->cfg->path);
			free(only);
			return rc;
		}
	/* The rules first: a broken rule file must not cost the night's crawl. */
	mct_err err = {0};
	mct_ruleset *rs = NULL;
	if (mct_rules_load(cli->cfg->rules_path, &rs, &err)) {
		free(only);
		return mct_cli_error(&err);
	}
	mct_store *st;
	if ((rc = mct_cli_store(cli, MCT_STORE_READWRITE, &st))) {
		mct_rules_free(rs);
		free(only);
		return rc;
	}
	mct_cli_catch_signals();
	/* Set before the first `goto out`, which frees them. */
	mct_score_results res = {0};
	mct_extract_stats es;
	memset(&es, 0, sizeof es);
	int64_t run_id;
	if (mct_store_run_start(st, "run", &run_id, &err)) {
		rc = mct_cli_error(&err);
		goto out;
	}
	/* 1. crawl */
	mct_crawl_stats cs;
	memset(&cs, 0, sizeof cs);
	mct_status s = mct_crawl(cli->cfg, st, run_id, only, nonly, &mct_cli_stop,
	                         cli->verbose ? stderr : NULL, &cs, &err);
	if (s && s != MCT_ERR_INTERRUPTED) {
		rc = mct_cli_error(&err);
		mct_store_run_finish(st, run_id, MCT_RUN_FAILED, err.msg, NULL);
		goto out;
	}
	if (!cli->quiet) {
		printf("crawl: %zu sources, %zu ok, %zu failed; pages: %zu new, %zu changed, %zu "
		       "unchanged, %zu failed, %zu skipped; %.1f MB downloaded\n",
		       cs.sources_total, cs.sources_ok, cs.sources_failed, cs.pages_new,
		       cs.pages_changed, cs.pages_unchanged, cs.pages_failed, cs.pages_skipped,
		       (double)cs.bytes_downloaded / 1e6);
		print_failures(st, run_id, 10);
	}
	/* 2. extract, 3. score: skipped when interrupted, finished work is kept. */
	if (s == MCT_OK) {
		int erc = mct_cli_extract(cli, rs, st, run_id, 0, &es);
		if (erc == MCT_EXIT_INTERRUPTED) {
			s = MCT_ERR_INTERRUPTED;
		} else if (erc) {
			mct_store_run_finish(st, run_id, MCT_RUN_FAILED, "extract failed", NULL);
			rc = erc;
			goto out;
		}
	}
	if (s == MCT_OK && !mct_cli_stop) {
		if (mct_score(cli->cfg, st, date, run_id, &res, &err)) {
			rc = mct_cli_error(&err);
			mct_store_run_finish(st, run_id, MCT_RUN_FAILED, err.msg, NULL);
			goto out;
		}
		int header = 0;
		for (size_t i = 0; i < res.n; i++) {
			if (cli->quiet && !mct_score_noteworthy(&cli->cfg->score, &res.readings[i]))
				continue;
			if (!header++)
				printf("readings of %s:\n", date);
			print_reading(&res.readings[i]);
		}
	}
	if (s == MCT_ERR_INTERRUPTED || mct_cli_stop) {
		mct_store_run_finish(st, run_id, MCT_RUN_INTERRUPTED, "interrupted by a signal",
		                     NULL);
		fprintf(stderr, "mcthermo run: interrupted; finished work is kept\n");
		rc = MCT_EXIT_INTERRUPTED;
		goto out;
	}
	char summary[256];
	snprintf(summary, sizeof summary,
	         "%zu/%zu sources ok, %zu pages new or changed, %zu new evidence, %zu readings",
	         cs.sources_ok, cs.sources_total, cs.pages_new + cs.pages_changed, es.evidence_new,
	         res.n);
	mct_run_status status = cs.sources_failed ? MCT_RUN_PARTIAL : MCT_RUN_OK;
	if (mct_store_run_finish(st, run_id, status, summary, &err)) {
		rc = mct_cli_error(&err);
		goto out;
	}
	rc = cs.sources_failed ? MCT_EXIT_PARTIAL : MCT_EXIT_OK;
out:
	mct_score_results_free(&res);
	mct_store_close(st);
	mct_rules_free(rs);
	free(only);
	return rc;
}
