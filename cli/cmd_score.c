/*
 * cli/cmd_score.c - `mcthermo score [--date YYYY-MM-DD]`: store one reading
 * per country for the date.
 *
 * It is a run of its own in the runs table ("score"), holding the run lock
 * like any writer, so a score and a crawl never interleave.  The readings of
 * the date are written in one transaction by the scorer; a failure leaves
 * the previous readings of that date as they were and the run is recorded
 * as failed with the reason.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../score/score.h"
#include "cli.h"
#include "reading_out.h"

static void print_results(const mct_score_results *res, const char *date)
{
	mct_out_table_header(stdout, 1);
	for (size_t i = 0; i < res->n; i++) {
		const mct_score_reading *r = &res->readings[i];
		mct_store_reading prev = {0};
		if (r->has_previous) {
			memcpy(prev.date, r->previous_date, sizeof prev.date);
			prev.temperature = r->previous_temperature;
			memcpy(prev.band, r->previous_band, sizeof prev.band);
		}
		mct_out_table_row(stdout, &r->row, r->has_previous ? &prev : NULL, 1);
	}
	printf("\n%zu countr%s scored on %s (method %s)\n", res->n, res->n == 1 ? "y" : "ies", date,
	       MCT_METHOD_VERSION);
}

int cmd_score(mct_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
	                                     {NULL, 0, NULL, 0}};
	const char *date_arg = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'd')
			return mct_cli_usage(argv[0], "unknown option '%s'", argv[optind - 1]);
		date_arg = optarg;
	}
	if (optind < argc)
		return mct_cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
	char date[11];
	int rc = mct_out_date_arg(argv[0], date_arg, date);
	if (rc)
		return rc;
	mct_store *st;
	if ((rc = mct_cli_store(cli, MCT_STORE_READWRITE, &st)))
		return rc;
	mct_err err = {0};
	int64_t run_id = 0;
	mct_score_results res = {0};
	mct_status status = mct_store_run_start(st, "score", &run_id, &err);
	if (!status)
		status = mct_score(cli->cfg, st, date, run_id, &res, &err);
	if (status) {
		rc = mct_cli_error(&err);
		if (run_id) {
			mct_err ignored = {0};
			mct_store_run_finish(st, run_id, MCT_RUN_FAILED, err.msg, &ignored);
		}
		mct_store_close(st);
		return rc;
	}
	char *summary = mct_xasprintf("%zu countries scored on %s (method %s)", res.n, date,
	                              MCT_METHOD_VERSION);
	status = mct_store_run_finish(st, run_id, MCT_RUN_OK, summary, &err);
	free(summary);
	if (status)
		rc = mct_cli_error(&err);
	else if (!cli->quiet)
		print_results(&res, date);
	mct_score_results_free(&res);
	mct_store_close(st);
	return rc;
}
