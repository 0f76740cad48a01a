/*
 * cli/cmd_explain.c - `mcthermo explain CC [--date D] [--json]`: why a
 * country has its temperature, down to the sentence.
 *
 * For each dimension and indicator it shows the score and the degrees of
 * the temperature it accounts for, the evidence that produced it (id,
 * strength, what it added, status, source, rule, sentence, URL), the
 * evidence that did not count and why (a copy of a sentence counted once,
 * rejected, silenced by a rejected copy), and the gaps: negative evidence,
 * and indicators with no evidence at all.  Everything comes from the stored
 * reading (score/load.c), so an old reading is explained as it was made.
 *
 * Sentences and URLs come from strangers' pages: they go through
 * mct_print_safe on the way to a terminal and through the JSON escaper
 * otherwise.
 */
#include <getopt.h>
#include <string.h>

#include "../rules/rules.h"
#include "../score/score.h"
#include "cli.h"
#include "reading_out.h"

static void print_provenance(const mct_score_part *p)
{
	printf("         \"");
	mct_print_safe(stdout, p->snippet);
	printf("\"\n         ");
	mct_print_safe(stdout, p->url);
	if (p->page > 1)
		printf(" (page %d)", p->page);
	if (p->state && strcmp(p->state, "active"))
		printf("  [%s since]", p->state);
	printf("\n");
}

static void print_part(const mct_score_part *p)
{
	const char *who = p->source_id ? p->source_id : "?";
	if (p->negative) {
		printf("    gap #%lld  %s  %s, rule %s\n", (long long)p->id,
		       mct_review_name(p->review), who, p->rule_id ? p->rule_id : "?");
	} else if (p->rank) {
		printf("    #%-5lld %+6.2f°  strength %.2f", (long long)p->id, p->degrees,
		       p->strength);
		if (p->rank > 1)
			printf(", counts %.2f (rank %d)", p->contribution, p->rank);
		printf("  %s  %s, rule %s\n", mct_review_name(p->review), who,
		       p->rule_id ? p->rule_id : "?");
	} else {
		printf("    #%-5lld   not counted: ", (long long)p->id);
		if (p->duplicate_of)
			printf("same sentence as #%lld (counted once)", (long long)p->duplicate_of);
		else if (p->silenced_by)
			printf("a copy of this sentence (#%lld) was rejected",
			       (long long)p->silenced_by);
		else if (p->review == MCT_REVIEW_REJECTED)
			printf("rejected by review");
		else
			printf("no strength (its source kind or rule weighs 0)");
		printf("  %s\n", who);
		return;
	}
	print_provenance(p);
}

static void print_text(const mct_score_reading *r)
{
	char name[96], conf[128];
	mct_out_country(name, sizeof name, r->row.country);
	mct_out_confidence(conf, sizeof conf, &r->row);
	printf("%s, reading of %s: %.1f° %s (method %s)\n", name, r->row.date,
	       mct_out_round1(r->row.temperature), r->row.band, r->row.method_version);
	printf("  confidence: %s; %d pending, %d negative\n", conf, r->row.evidence_pending,
	       r->row.evidence_negative);
	if (r->has_previous) {
		mct_store_reading prev = {.temperature = r->previous_temperature};
		char change[32];
		mct_out_change(change, sizeof change, &r->row, &prev);
		printf("  previous:   %.1f° %s on %s (%s)\n",
		       mct_out_round1(r->previous_temperature), r->previous_band, r->previous_date,
		       change);
	}
	size_t i = 0;
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		printf("\n%s: %.1f x %.0f%% = %.1f°\n", mct_dimension_names[d],
		       mct_out_round1(r->row.dimension[d]), r->dimension_share[d] * 100,
		       mct_out_round1(r->row.dimension[d] * r->dimension_share[d]));
		for (size_t k = 0; k < mct_indicator_count; k++) {
			if (mct_indicators[k].dimension != d)
				continue;
			const mct_score_indicator *si = &r->indicators[k];
			printf("  %-28s %-30s %5.1f", mct_indicators[k].id, mct_indicators[k].name,
			       mct_out_round1(si->score));
			if (si->weight != 1)
				printf("  (weight %g)", si->weight);
			if (si->counted)
				printf("  = %.2f°\n", si->degrees);
			else
				printf("  gap: no evidence\n");
			for (; i < r->nparts && r->parts[i].indicator < (int)k; i++)
				;
			for (; i < r->nparts && r->parts[i].indicator == (int)k; i++)
				print_part(&r->parts[i]);
		}
	}
}

static void json_id_or_null(const char *key, int64_t id)
{
	printf(", \"%s\": ", key);
	if (id)
		printf("%lld", (long long)id);
	else
		printf("null");
}

static void json_part(const mct_score_part *p, int first)
{
	printf("%s{\"id\": %lld, \"status\": \"%s\", \"strength\": ", first ? "" : ", ",
	       (long long)p->id, mct_review_name(p->review));
	mct_out_num(stdout, p->strength);
	if (!p->negative) {
		printf(", \"contribution\": ");
		mct_out_num(stdout, p->contribution);
		printf(", \"degrees\": ");
		mct_out_num(stdout, p->degrees);
		printf(", \"rank\": %d", p->rank);
		json_id_or_null("duplicate_of", p->duplicate_of);
		json_id_or_null("silenced_by", p->silenced_by);
	}
	printf(", \"source\": ");
	mct_json_str(stdout, p->source_id);
	printf(", \"kind\": ");
	mct_json_str(stdout, mct_kind_name(p->kind));
	printf(", \"rule\": ");
	mct_json_str(stdout, p->rule_id);
	printf(", \"url\": ");
	mct_json_str(stdout, p->url);
	if (p->page > 0)
		printf(", \"page\": %d", p->page);
	else
		printf(", \"page\": null");
	printf(", \"state\": ");
	mct_json_str(stdout, p->state);
	printf(", \"snippet\": ");
	mct_json_str(stdout, p->snippet);
	printf("}");
}

/* The evidence (negative = 0) or the gaps (negative = 1) of indicator k. */
static void json_parts(const mct_score_reading *r, size_t k, int negative)
{
	int first = 1;
	for (size_t i = 0; i < r->nparts; i++)
		if (r->parts[i].indicator == (int)k && r->parts[i].negative == negative) {
			json_part(&r->parts[i], first);
			first = 0;
		}
}

static void print_json(const mct_score_reading *r)
{
	mct_store_reading prev = {0};
	if (r->has_previous) {
		memcpy(prev.date, r->previous_date, sizeof prev.date);
		prev.temperature = r->previous_temperature;
		memcpy(prev.band, r->previous_band, sizeof prev.band);
	}
	printf("{");
	mct_out_reading_json(stdout, &r->row, r->has_previous ? &prev : NULL);
	printf(",\n \"breakdown\": [");
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		printf("%s\n  {\"dimension\": \"%s\", \"name\": ", d ? "," : "",
		       mct_dimension_ids[d]);
		mct_json_str(stdout, mct_dimension_names[d]);
		printf(", \"score\": ");
		mct_out_num(stdout, r->row.dimension[d]);
		printf(", \"weight\": ");
		mct_out_num(stdout, r->dimension_weight[d]);
		printf(", \"share\": ");
		mct_out_num(stdout, r->dimension_share[d]);
		printf(", \"degrees\": ");
		mct_out_num(stdout, r->row.dimension[d] * r->dimension_share[d]);
		printf(", \"indicators\": [");
		int first = 1;
		for (size_t k = 0; k < mct_indicator_count; k++) {
			if (mct_indicators[k].dimension != d)
				continue;
			const mct_score_indicator *si = &r->indicators[k];
			printf("%s\n   {\"indicator\": \"%s\", \"name\": ", first ? "" : ",",
			       mct_indicators[k].id);
			first = 0;
			mct_json_str(stdout, mct_indicators[k].name);
			printf(", \"score\": ");
			mct_out_num(stdout, si->score);
			printf(", \"weight\": ");
			mct_out_num(stdout, si->weight);
			printf(", \"sum\": ");
			mct_out_num(stdout, si->sum);
			printf(", \"degrees\": ");
			mct_out_num(stdout, si->degrees);
			printf(", \"gap\": %s, \"evidence\": [", si->counted ? "false" : "true");
			json_parts(r, k, 0);
			printf("], \"gaps\": [");
			json_parts(r, k, 1);
			printf("]}");
		}
		printf("]}");
	}
	printf("\n]}\n");
}

int cmd_explain(mct_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *date = NULL;
	int json = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			date = optarg;
		else if (c == 'j')
			json = 1;
		else
			return mct_cli_usage(argv[0], "unknown option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return mct_cli_usage(argv[0], "give one country code (ES, LV ...)");
	const char *cc = argv[optind];
	int bad = mct_out_country_arg(argv[0], cc);
	if (bad)
		return bad;
	char day[11];
	int rc = date ? mct_out_date_arg(argv[0], date, day) : 0;
	if (rc)
		return rc;
	mct_store *st;
	if ((rc = mct_cli_store(cli, MCT_STORE_READONLY, &st)))
		return rc;
	mct_score_reading r;
	int found;
	mct_err err = {0};
	if (mct_score_load(st, cc, date ? day : NULL, &r, &found, &err)) {
		rc = mct_cli_error(&err);
	} else if (!found) {
		fprintf(stderr,
		        "mcthermo explain: no reading of %s%s%s; see `mcthermo history %s`\n", cc,
		        date ? " on " : "", date ? day : "", cc);
		rc = MCT_EXIT_USAGE;
	} else {
		if (json)
			print_json(&r);
		else
			print_text(&r);
		mct_score_reading_free(&r);
	}
	mct_store_close(st);
	return rc;
}
