/*
 * cli/cmd_extract.c - `mcthermo extract [--all]`: re-apply the current rules
 * to the stored texts, without fetching.
 */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int mct_cli_extract(mct_cli *cli, const mct_ruleset *given, mct_store *st, int64_t run_id, int all,
                    mct_extract_stats *stats)
{
	mct_err err = {0};
	mct_ruleset *rs = NULL;
	memset(stats, 0, sizeof *stats);
	if (!given && mct_rules_load(cli->cfg->rules_path, &rs, &err))
		return mct_cli_error(&err);
	if (given)
		rs = (mct_ruleset *)given;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	mct_status rc = mct_extract(cli->cfg->rules_path, rs, st, run_id, all, &mct_cli_stop,
	                            cli->verbose ? stderr : NULL, stats, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!given)
		mct_rules_free(rs);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc && rc != MCT_ERR_INTERRUPTED)
		return mct_cli_error(&err);
	if (!cli->quiet)
		printf(
		    "extract: %zu texts (%zu matched, %zu unchanged); evidence: %zu new, %zu seen "
		    "again, %zu gone, %zu superseded; %.1f MB in %.2f s%s\n",
		    stats->texts, stats->texts_extracted, stats->texts_unchanged,
		    stats->evidence_new, stats->evidence_seen, stats->evidence_gone,
		    stats->evidence_superseded, (double)stats->bytes / 1e6, secs,
		    stats->limits_hit ? " (some matches cut off by limits)" : "");
	return rc == MCT_ERR_INTERRUPTED ? MCT_EXIT_INTERRUPTED : 0;
}

int cmd_extract(mct_cli *cli, int argc, char **argv)
{
	int all = 0;
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			all = 1;
		else
			return mct_cli_usage("extract", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return mct_cli_usage("extract", "unexpected argument '%s'", argv[optind]);
	mct_store *st;
	int rc = mct_cli_store(cli, MCT_STORE_READWRITE, &st);
	if (rc)
		return rc;
	mct_cli_catch_signals();
	mct_err err = {0};
	int64_t run_id;
	if (mct_store_run_start(st, "extract", &run_id, &err)) {
		mct_store_close(st);
		return mct_cli_error(&err);
	}
	mct_extract_stats stats;
	rc = mct_cli_extract(cli, NULL, st, run_id, all, &stats);
	char summary[200];
	snprintf(summary, sizeof summary, "%zu texts, %zu new evidence, %zu gone", stats.texts,
	         stats.evidence_new, stats.evidence_gone);
	mct_run_status status = rc == 0                      ? MCT_RUN_OK
	                        : rc == MCT_EXIT_INTERRUPTED ? MCT_RUN_INTERRUPTED
	                                                     : MCT_RUN_FAILED;
	if (mct_store_run_finish(st, run_id, status, rc ? NULL : summary, &err) && !rc)
		rc = mct_cli_error(&err);
	mct_store_close(st);
	return rc;
}
