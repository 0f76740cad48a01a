/*
 * cli/cmd_history.c - `mcthermo history CC [--json | --csv]`: every reading
 * of one country, oldest first, each with its change since the one before.
 *
 * On a terminal the table is followed by a small chart: one bar per
 * reading on the 0-100 scale with the band limits marked, drawn with
 * eighth-blocks so that a move of half a degree is visible.  Piped output
 * gets the table only, so scripts never parse drawing characters.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "reading_out.h"

enum { FMT_TABLE, FMT_JSON, FMT_CSV };

#define CHART_WIDTH 50 /* cells for 0-100: 2 degrees each */

typedef struct {
	mct_store_reading *v;
	size_t n;
} series;

static mct_status collect(void *ctx, const mct_store_reading *r, mct_err *err)
{
	(void)err;
	series *s = ctx;
	s->v = mct_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = *r; /* listings carry no detail: nothing to own */
	return MCT_OK;
}

static void bar(double temperature)
{
	static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	int units = (int)lround(fmin(100, fmax(0, temperature)) / 100 * CHART_WIDTH * 8);
	int full = units / 8, used = full;
	for (int i = 0; i < full; i++)
		fputs("█", stdout);
	if (units % 8) {
		fputs(eighths[units % 8], stdout);
		used++;
	}
	printf("%*s", CHART_WIDTH - used, "");
}

static void chart(const series *s)
{
	printf("\n%-10s  0         20        40        60        80        100\n", "");
	printf("%-10s  |frozen   |cold     |warm     |hot      |boiling  |\n", "");
	for (size_t i = 0; i < s->n; i++) {
		printf("%-10s  ", s->v[i].date);
		bar(s->v[i].temperature);
		printf("  %5.1f %s\n", mct_out_round1(s->v[i].temperature), s->v[i].band);
	}
}

static void print(const series *s, int fmt)
{
	if (fmt == FMT_JSON)
		printf("[");
	else if (fmt == FMT_CSV)
		mct_out_reading_csv_header(stdout);
	else {
		char name[96];
		mct_out_country(name, sizeof name, s->v[0].country);
		printf("%s: %zu reading%s\n\n", name, s->n, s->n == 1 ? "" : "s");
		mct_out_table_header(stdout, 0);
	}
	for (size_t i = 0; i < s->n; i++) {
		const mct_store_reading *prev = i ? &s->v[i - 1] : NULL;
		if (fmt == FMT_JSON) {
			printf("%s\n  {", i ? "," : "");
			mct_out_reading_json(stdout, &s->v[i], prev);
			printf("}");
		} else if (fmt == FMT_CSV) {
			mct_out_reading_csv(stdout, &s->v[i], prev);
		} else {
			mct_out_table_row(stdout, &s->v[i], prev, 0);
		}
	}
	if (fmt == FMT_JSON)
		printf("\n]\n");
	else if (fmt == FMT_TABLE && isatty(STDOUT_FILENO))
		chart(s);
}

int cmd_history(mct_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'}, {"csv", no_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
	int fmt = FMT_TABLE, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j' && c != 'c')
			return mct_cli_usage(argv[0], "unknown option '%s'", argv[optind - 1]);
		if (fmt != FMT_TABLE)
			return mct_cli_usage(argv[0], "give --json or --csv, not both");
		fmt = c == 'j' ? FMT_JSON : FMT_CSV;
	}
	if (optind != argc - 1)
		return mct_cli_usage(argv[0], "give one country code (ES, LV ...)");
	const char *cc = argv[optind];
	int bad = mct_out_country_arg(argv[0], cc);
	if (bad)
		return bad;
	mct_store *st;
	int rc = mct_cli_store(cli, MCT_STORE_READONLY, &st);
	if (rc)
		return rc;
	series s = {0};
	mct_err err = {0};
	if (mct_store_readings_each(st, cc, 0, collect, &s, &err))
		rc = mct_cli_error(&err);
	else if (!s.n)
		rc = (fprintf(stderr,
		              "mcthermo history: no readings of %s; `mcthermo score` makes one per "
		              "configured country\n",
		              cc),
		      MCT_EXIT_USAGE);
	else
		print(&s, fmt);
	free(s.v);
	mct_store_close(st);
	return rc;
}
