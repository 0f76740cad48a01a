/*
 * cli/cmd_diff.c - `mcthermo diff CC D1 D2`: what evidence appeared,
 * disappeared or changed review status between the readings of two dates,
 * and how many degrees each change moved the temperature.
 *
 * The degrees come from the two stored readings (score/diff.c): each
 * change is worth its share of the later temperature minus its share of the
 * earlier one, and the line "other movement" holds what evidence that did
 * not change contributed to the move (age decay, re-ranking), so the lines
 * add up to the difference of the temperatures.  When the two readings
 * were made by different methods, it says so: part of the move is then the
 * method's, not the evidence's.
 */
#include <string.h>

#include "../rules/rules.h"
#include "../score/score.h"
#include "cli.h"
#include "reading_out.h"

static void print_change(const mct_score_change *c)
{
	const mct_score_part *p = c->after ? c->after : c->before;
	printf("  %+6.2f°  #%lld  %s%s  ", c->degrees, (long long)p->id,
	       p->negative ? "gap in " : "", mct_indicators[p->indicator].id);
	if (c->kind == MCT_CHANGE_REVIEWED)
		printf("%s -> %s", mct_review_name(c->before->review),
		       mct_review_name(c->after->review));
	else
		printf("%s", mct_review_name(p->review));
	printf("  %s\n           \"", p->source_id ? p->source_id : "?");
	mct_print_safe(stdout, p->snippet);
	printf("\"\n           ");
	mct_print_safe(stdout, p->url);
	printf("\n");
}

static void print_diff(const mct_score_reading *a, const mct_score_reading *b)
{
	char name[96], change[32];
	mct_out_country(name, sizeof name, a->row.country);
	mct_out_change(change, sizeof change, &b->row, &a->row);
	printf("%s: %.1f° %s on %s -> %.1f° %s on %s (%s)\n", name,
	       mct_out_round1(a->row.temperature), a->row.band, a->row.date,
	       mct_out_round1(b->row.temperature), b->row.band, b->row.date, change);
	for (int d = 0; d < MCT_DIMENSIONS; d++)
		printf("%s%s %.1f -> %.1f", d ? ", " : "  ", mct_dimension_ids[d],
		       mct_out_round1(a->row.dimension[d]), mct_out_round1(b->row.dimension[d]));
	printf("\n");
	if (strcmp(a->row.method_version, b->row.method_version))
		printf("  note: made by different methods (%s, %s): part of the move is the "
		       "method's\n",
		       a->row.method_version, b->row.method_version);
	mct_score_diff d;
	mct_score_diff_compute(a, b, &d);
	static const char *const titles[] = {"Appeared", "Disappeared", "Review status changed"};
	for (int kind = 0; kind < 3; kind++) {
		size_t n = 0;
		for (size_t i = 0; i < d.n; i++)
			n += (int)d.changes[i].kind == kind;
		if (!n)
			continue;
		printf("\n%s (%zu):\n", titles[kind], n);
		for (size_t i = 0; i < d.n; i++)
			if ((int)d.changes[i].kind == kind)
				print_change(&d.changes[i]);
	}
	if (!d.n)
		printf("\nNo evidence appeared, disappeared or changed review status.\n");
	printf("\n  %+6.2f°  other movement (age decay, re-ranking of unchanged evidence)\n",
	       d.other);
	printf("  %+6.2f°  in all\n", d.total);
	mct_score_diff_free(&d);
}

static int load(mct_store *st, const char *cc, const char *date, mct_score_reading *r)
{
	int found;
	mct_err err = {0};
	if (mct_score_load(st, cc, date, r, &found, &err))
		return mct_cli_error(&err);
	if (!found) {
		fprintf(stderr,
		        "mcthermo diff: no reading of %s on %s; see `mcthermo history %s`, or make "
		        "one with `mcthermo score --date %s`\n",
		        cc, date, cc, date);
		return MCT_EXIT_USAGE;
	}
	return 0;
}

int cmd_diff(mct_cli *cli, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return mct_cli_usage(argv[0], "unknown option '%s'", argv[i]);
	if (argc != 4)
		return mct_cli_usage(argv[0], "give a country code and two dates");
	const char *cc = argv[1];
	int bad = mct_out_country_arg(argv[0], cc);
	if (bad)
		return bad;
	char d1[11], d2[11];
	int rc = mct_out_date_arg(argv[0], argv[2], d1);
	if (!rc)
		rc = mct_out_date_arg(argv[0], argv[3], d2);
	if (rc)
		return rc;
	mct_store *st;
	if ((rc = mct_cli_store(cli, MCT_STORE_READONLY, &st)))
		return rc;
	mct_score_reading a = {0}, b = {0};
	if (!(rc = load(st, cc, d1, &a)) && !(rc = load(st, cc, d2, &b)))
		print_diff(&a, &b);
	mct_score_reading_free(&a);
	mct_score_reading_free(&b);
	mct_store_close(st);
	return rc;
}
