/*
 * cli/cmd_report.c - `mcthermo report --out DIR`: write the static
 * dashboard (report/report.h) from the store.
 *
 * The pages and evidence.csv are the report component's.  The readings
 * files are formatted here with the very functions behind `mcthermo
 * readings --json`, `readings --csv` and `history --csv` (reading_out.h),
 * so readings.json, readings.csv and history.csv keep those contracts
 * exactly; the report writes them atomically beside the pages.
 *
 * The store is opened read-only and without the run lock: a report can be
 * written while the nightly run works, and never changes the database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/report.h"
#include "cli.h"
#include "reading_out.h"

/* An in-memory stream for one data file. */
typedef struct {
	FILE *f;
	char *data;
	size_t len;
} memfile;

static void memfile_open(memfile *m)
{
	m->data = NULL;
	m->len = 0;
	m->f = open_memstream(&m->data, &m->len);
	if (!m->f) {
		fputs("mcthermo: out of memory\n", stderr);
		abort();
	}
}

typedef struct {
	mct_store *st;
	memfile json, csv, history;
	size_t n;
	mct_store_reading prev; /* the reading before, in history order */
	int has_prev;
} data_ctx;

/* Latest readings: as `readings --json` and `readings --csv` print them. */
static mct_status latest_row(void *ctx, const mct_store_reading *r, mct_err *err)
{
	data_ctx *c = ctx;
	mct_store_reading prev;
	int has_prev;
	mct_status rc = mct_store_reading_before(c->st, r->country, r->date, &prev, &has_prev, err);
	if (rc)
		return rc;
	fprintf(c->json.f, "%s\n  {", c->n++ ? "," : "");
	mct_out_reading_json(c->json.f, r, has_prev ? &prev : NULL);
	fputc('}', c->json.f);
	mct_out_reading_csv(c->csv.f, r, has_prev ? &prev : NULL);
	mct_store_reading_clear(&prev);
	return MCT_OK;
}

/* Every reading, by country then date, each with the one before it. */
static mct_status history_row(void *ctx, const mct_store_reading *r, mct_err *err)
{
	(void)err;
	data_ctx *c = ctx;
	int same = c->has_prev && strcmp(c->prev.country, r->country) == 0;
	mct_out_reading_csv(c->history.f, r, same ? &c->prev : NULL);
	c->prev = *r;
	c->prev.detail = NULL;
	c->has_prev = 1;
	return MCT_OK;
}

static mct_status data_files(mct_store *st, data_ctx *c, mct_err *err)
{
	memset(c, 0, sizeof *c);
	c->st = st;
	memfile_open(&c->json);
	memfile_open(&c->csv);
	memfile_open(&c->history);
	fputc('[', c->json.f);
	mct_out_reading_csv_header(c->csv.f);
	mct_out_reading_csv_header(c->history.f);
	mct_status rc = mct_store_readings_each(st, NULL, 1, latest_row, c, err);
	if (!rc)
		rc = mct_store_readings_each(st, NULL, 0, history_row, c, err);
	fprintf(c->json.f, "%s]\n", c->n ? "\n" : "");
	memfile *all[] = {&c->json, &c->csv, &c->history};
	for (size_t i = 0; i < 3; i++)
		if (fclose(all[i]->f) != 0 && !rc)
			rc = mct_fail(err, MCT_ERR_NOMEM, "out of memory formatting the readings");
	return rc;
}

int cmd_report(mct_cli *cli, int argc, char **argv)
{
	const char *out = NULL;
	static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else
			return mct_cli_usage("report", "unknown or incomplete option '%s'",
			                     argv[optind - 1]);
	}
	if (optind < argc)
		return mct_cli_usage("report", "unexpected argument '%s'", argv[optind]);
	if (!out || !*out)
		return mct_cli_usage("report", "say where to write the site: --out DIR");
	mct_store *st;
	int rc = mct_cli_store(cli, MCT_STORE_READONLY, &st);
	if (rc)
		return rc;
	mct_err err = {0};
	data_ctx d;
	mct_report_stats stats = {0};
	mct_status s = data_files(st, &d, &err);
	if (!s) {
		mct_report_file files[] = {{"readings.json", d.json.data, d.json.len},
		                           {"readings.csv", d.csv.data, d.csv.len},
		                           {"history.csv", d.history.data, d.history.len}};
		s = mct_report_write(st, out, files, 3, &stats, &err);
	}
	if (s) {
		rc = mct_cli_error(&err);
	} else if (!stats.readings) {
		fprintf(
		    stderr,
		    "mcthermo report: %s holds no readings yet; run `mcthermo run` (or `score`) "
		    "first. Wrote %s/index.html saying so.\n",
		    mct_store_path(st), out);
	} else if (!cli->quiet) {
		printf("report: %zu countr%s, %zu readings up to %s, %zu evidence items; %zu files "
		       "in %s (open %s/index.html)\n",
		       stats.countries, stats.countries == 1 ? "y" : "ies", stats.readings,
		       stats.latest, stats.evidence, stats.files, out, out);
	}
	free(d.json.data);
	free(d.csv.data);
	free(d.history.data);
	mct_store_close(st);
	return rc;
}
