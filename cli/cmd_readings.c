/*
 * cli/cmd_readings.c - `mcthermo readings [--json | --csv] [--country CC]`:
 * the latest reading of every country, with the change since its previous
 * reading and the confidence it stands on.
 *
 * Read-only: it works while a nightly run writes.  The previous reading is
 * the latest one dated before the latest, whatever the gap between them, so
 * the arrow always compares two real readings.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "reading_out.h"

enum { FMT_TABLE, FMT_JSON, FMT_CSV };

typedef struct {
	mct_store *st;
	int fmt;
	size_t n;
} list_ctx;

static mct_status show(void *ctx, const mct_store_reading *r, mct_err *err)
{
	list_ctx *c = ctx;
	mct_store_reading prev;
	int has_prev;
	mct_status rc = mct_store_reading_before(c->st, r->country, r->date, &prev, &has_prev, err);
	if (rc)
		return rc;
	const mct_store_reading *p = has_prev ? &prev : NULL;
	if (c->fmt == FMT_JSON) {
		printf("%s\n  {", c->n ? "," : "");
		mct_out_reading_json(stdout, r, p);
		printf("}");
	} else if (c->fmt == FMT_CSV) {
		mct_out_reading_csv(stdout, r, p);
	} else {
		if (!c->n)
			mct_out_table_header(stdout, 1);
		mct_out_table_row(stdout, r, p, 1);
	}
	c->n++;
	mct_store_reading_clear(&prev);
	return MCT_OK;
}

int cmd_readings(mct_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
	                                     {"csv", no_argument, NULL, 'c'},
	                                     {"country", required_argument, NULL, 'C'},
	                                     {NULL, 0, NULL, 0}};
	int fmt = FMT_TABLE, c;
	const char *country = NULL;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j' || c == 'c') {
			if (fmt != FMT_TABLE)
				return mct_cli_usage(argv[0], "give --json or --csv, not both");
			fmt = c == 'j' ? FMT_JSON : FMT_CSV;
		} else if (c == 'C') {
			country = optarg;
		} else {
			return mct_cli_usage(argv[0], "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return mct_cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
	int rc = country ? mct_out_country_arg(argv[0], country) : 0;
	if (rc)
		return rc;
	mct_store *st;
	if ((rc = mct_cli_store(cli, MCT_STORE_READONLY, &st)))
		return rc;
	list_ctx ctx = {st, fmt, 0};
	mct_err err = {0};
	if (fmt == FMT_JSON)
		printf("[");
	else if (fmt == FMT_CSV)
		mct_out_reading_csv_header(stdout);
	if (mct_store_readings_each(st, country, 1, show, &ctx, &err))
		rc = mct_cli_error(&err);
	if (fmt == FMT_JSON)
		printf("%s]\n", ctx.n ? "\n" : "");
	else if (fmt == FMT_TABLE && !ctx.n && !rc)
		printf("no readings%s%s yet; `mcthermo score` makes them\n", country ? " of " : "",
		       country ? country : "");
	mct_store_close(st);
	return rc;
}
