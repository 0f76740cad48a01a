/*
 * tests/unit/test_score.c - the method on hand-built evidence sets, each
 * expected number worked out by hand in the test: the saturation curve,
 * de-duplication of sentences, the rank discount that keeps many weak
 * mentions below one decree, review factors, age decay, indicator and
 * dimension weights, gaps from negative evidence, low confidence and the
 * bands, and determinism.
 *
 * The configuration is built here, not loaded, so that every number the
 * expectations use is visible in this file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../rules/rules.h"
#include "../../score/score.h"

#define DAY_2026_03_01 20513L /* days since 1970-01-01 */
#define DATE           "2026-03-01"

static void near_(double got, double want, const char *expr, int line)
{
	if (!(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want)))) {
		print_error("line %d: %s = %.12g, expected %.12g\n", line, expr, got, want);
		fail();
	}
}
#define assert_near(got, want) near_((got), (want), #got, __LINE__)

/* The shipped defaults (config/mcthermo.ini [score]). */
static mct_score_config shipped(void)
{
	mct_score_config c = {
	    .dimension_weight = {0.35, 0.25, 0.20, 0.20},
	    .kind_authority = {1.0, 0.9, 0.8, 0.6, 0.3},
	    .pending_share = 0.5,
	    .half_life_days = 1095,
	    .saturation = 8,
	    .quiet_threshold = 2,
	    .low_confidence_ok_share = 0.5,
	};
	return c;
}

static mct_score_part ev(int64_t id, const char *indicator, mct_source_kind kind, double weight,
                         const char *sentence, mct_review review)
{
	mct_score_part p = {0};
	p.id = id;
	p.indicator = mct_indicator_find(indicator);
	assert_true(p.indicator >= 0);
	p.kind = kind;
	p.weight = weight;
	p.sentence_key = (char *)sentence;
	p.first_seen = DAY_2026_03_01;
	p.review = review;
	return p;
}

static mct_score_reading score(const mct_score_config *cfg, const mct_score_part *items, size_t n,
                               int ok, int total)
{
	mct_score_reading r;
	mct_err err = {0};
	assert_int_equal(mct_score_compute(cfg, "ES", DATE, items, n, ok, total, &r, &err), MCT_OK);
	return r;
}

static const mct_score_indicator *ind(const mct_score_reading *r, const char *id)
{
	int k = mct_indicator_find(id);
	assert_true(k >= 0);
	return &r->indicators[k];
}

static const mct_score_part *part(const mct_score_reading *r, int64_t id)
{
	for (size_t i = 0; i < r->nparts; i++)
		if (r->parts[i].id == id)
			return &r->parts[i];
	fail_msg("evidence %lld not in the reading", (long long)id);
	return NULL;
}

static double curve(double sum, double saturation)
{
	return 100.0 * (1.0 - exp(-sum / saturation));
}

static int indicators_in(int dimension)
{
	int n = 0;
	for (size_t k = 0; k < mct_indicator_count; k++)
		n += mct_indicators[k].dimension == dimension;
	return n;
}

static void test_one_confirmed_decree_follows_the_saturation_curve(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[] = {
	    ev(1, "policy.definition", MCT_KIND_POLICY, 5, "s1", MCT_REVIEW_CONFIRMED)};
	mct_score_reading r = score(&cfg, items, 1, 4, 4);
	/* strength = 5 x 1.0 (policy) x 1 (confirmed) x 1 (seen today) */
	assert_near(part(&r, 1)->strength, 5.0);
	assert_near(ind(&r, "policy.definition")->sum, 5.0);
	/* 100 x (1 - e^(-5/8)) = 46.47 */
	assert_near(ind(&r, "policy.definition")->score, 46.4738571481);
	/* policy has 7 indicators of weight 1: 46.47/7; temperature = 0.35 x that */
	assert_int_equal(indicators_in(0), 7);
	assert_near(r.row.dimension[0], 46.4738571481 / 7);
	assert_near(r.row.dimension[1], 0);
	assert_near(r.row.temperature, 0.35 * 46.4738571481 / 7);
	assert_string_equal(r.row.band, "frozen");
	assert_string_equal(r.row.method_version, MCT_METHOD_VERSION);
	assert_int_equal(r.row.evidence_count, 1);
	assert_int_equal(r.row.evidence_confirmed, 1);
	mct_score_reading_free(&r);
}

static void test_same_sentence_on_many_pages_counts_once(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	/* The same sentence (one sentence_key) found on three pages: a gazette,
	 * a QA agency and a news site.  Only the strongest copy counts. */
	mct_score_part items[] = {
	    ev(7, "policy.funding", MCT_KIND_NEWS, 5, "same", MCT_REVIEW_PENDING),
	    ev(3, "policy.funding", MCT_KIND_POLICY, 5, "same", MCT_REVIEW_PENDING),
	    ev(5, "policy.funding", MCT_KIND_QA, 5, "same", MCT_REVIEW_PENDING),
	};
	mct_score_reading r = score(&cfg, items, 3, 1, 1);
	/* strongest: 5 x 1.0 x 0.5 = 2.5 (the others 2.25 and 0.75 do not add) */
	assert_near(ind(&r, "policy.funding")->sum, 2.5);
	assert_int_equal(ind(&r, "policy.funding")->counted, 1);
	assert_int_equal(part(&r, 3)->rank, 1);
	assert_int_equal(part(&r, 5)->duplicate_of, 3);
	assert_int_equal(part(&r, 7)->duplicate_of, 3);
	assert_near(part(&r, 5)->contribution, 0);
	/* every copy is still evidence the reading stands on */
	assert_int_equal(r.row.evidence_count, 3);
	assert_int_equal(r.row.evidence_pending, 3);
	mct_score_reading_free(&r);
}

static void test_many_rules_hitting_one_sentence_count_once_with_the_strongest(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	/* Three rules of one indicator found one sentence (weights 1, 5, 3). */
	mct_score_part items[] = {
	    ev(1, "infra.portal", MCT_KIND_PLATFORM, 1, "k", MCT_REVIEW_CONFIRMED),
	    ev(2, "infra.portal", MCT_KIND_PLATFORM, 5, "k", MCT_REVIEW_CONFIRMED),
	    ev(3, "infra.portal", MCT_KIND_PLATFORM, 3, "k", MCT_REVIEW_CONFIRMED),
	};
	mct_score_reading r = score(&cfg, items, 3, 1, 1);
	/* 5 x 0.8 (platform) = 4 */
	assert_near(ind(&r, "infra.portal")->sum, 4.0);
	assert_near(ind(&r, "infra.portal")->score, curve(4.0, 8));
	assert_int_equal(part(&r, 2)->rank, 1);
	assert_int_equal(part(&r, 1)->duplicate_of, 2);
	mct_score_reading_free(&r);
}

static void test_the_same_sentence_counts_for_each_indicator_it_supports(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[] = {
	    ev(1, "policy.definition", MCT_KIND_POLICY, 5, "decree", MCT_REVIEW_CONFIRMED),
	    ev(2, "policy.funding", MCT_KIND_POLICY, 5, "decree", MCT_REVIEW_CONFIRMED),
	};
	mct_score_reading r = score(&cfg, items, 2, 1, 1);
	assert_near(ind(&r, "policy.definition")->sum, 5.0);
	assert_near(ind(&r, "policy.funding")->sum, 5.0);
	mct_score_reading_free(&r);
}

static void test_distinct_sentences_add_up_with_the_rank_discount(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[] = {
	    ev(1, "policy.qa", MCT_KIND_QA, 3, "a", MCT_REVIEW_CONFIRMED),     /* 2.7 */
	    ev(2, "policy.qa", MCT_KIND_POLICY, 5, "b", MCT_REVIEW_CONFIRMED), /* 5 */
	    ev(3, "policy.qa", MCT_KIND_HE, 3, "c", MCT_REVIEW_CONFIRMED),     /* 1.8 */
	};
	mct_score_reading r = score(&cfg, items, 3, 1, 1);
	/* ranked 5, 2.7, 1.8: 5 + 0.75 x 2.7 + 0.5625 x 1.8 = 8.0375 */
	assert_near(ind(&r, "policy.qa")->sum, 8.0375);
	assert_near(ind(&r, "policy.qa")->score, curve(8.0375, 8));
	assert_int_equal(part(&r, 2)->rank, 1);
	assert_int_equal(part(&r, 1)->rank, 2);
	assert_int_equal(part(&r, 3)->rank, 3);
	assert_near(part(&r, 1)->contribution, 2.025);
	assert_near(part(&r, 3)->contribution, 1.0125);
	mct_score_reading_free(&r);
}

static void test_ten_weak_mentions_do_not_outweigh_one_decree(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[101];
	char keys[101][16];
	items[0] =
	    ev(1000, "policy.definition", MCT_KIND_POLICY, 5, "decree", MCT_REVIEW_CONFIRMED);
	for (int i = 0; i < 100; i++) {
		snprintf(keys[i], sizeof keys[i], "m%d", i);
		items[1 + i] =
		    ev(i + 1, "policy.strategy", MCT_KIND_NEWS, 1, keys[i], MCT_REVIEW_CONFIRMED);
	}
	/* ten mentions: 0.3 x (1 - 0.75^10) / 0.25 = 1.1324 */
	mct_score_reading r = score(&cfg, items, 11, 1, 1);
	double ten = 0.3 * (1 - pow(0.75, 10)) / 0.25;
	assert_near(ind(&r, "policy.strategy")->sum, ten);
	assert_true(ind(&r, "policy.strategy")->score < ind(&r, "policy.definition")->score);
	mct_score_reading_free(&r);
	/* a hundred mentions (a plain sum would give 30 against 5) still stay
	 * below 4 x 0.3 = 1.2, far under the decree's 5 */
	r = score(&cfg, items, 101, 1, 1);
	assert_true(ind(&r, "policy.strategy")->sum < 1.2);
	assert_true(ind(&r, "policy.strategy")->score < ind(&r, "policy.definition")->score / 3);
	mct_score_reading_free(&r);
}

static void test_review_factors_confirmed_full_pending_share_rejected_zero(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	cfg.pending_share = 0.4;
	mct_score_part items[] = {
	    ev(1, "usage.enrolment", MCT_KIND_POLICY, 5, "a", MCT_REVIEW_CONFIRMED),
	    ev(2, "usage.issued", MCT_KIND_POLICY, 5, "b", MCT_REVIEW_PENDING),
	    ev(3, "usage.target_groups", MCT_KIND_POLICY, 5, "c", MCT_REVIEW_REJECTED),
	};
	mct_score_reading r = score(&cfg, items, 3, 1, 1);
	assert_near(ind(&r, "usage.enrolment")->sum, 5.0);
	assert_near(ind(&r, "usage.issued")->sum, 2.0);
	assert_near(ind(&r, "usage.target_groups")->sum, 0);
	assert_near(ind(&r, "usage.target_groups")->score, 0);
	assert_int_equal(part(&r, 3)->rank, 0);
	/* rejected evidence is not evidence the reading stands on */
	assert_int_equal(r.row.evidence_count, 2);
	assert_int_equal(r.row.evidence_confirmed, 1);
	assert_int_equal(r.row.evidence_pending, 1);
	mct_score_reading_free(&r);
}

static void test_a_rejected_copy_silences_unreviewed_copies_unless_one_is_confirmed(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[] = {
	    ev(1, "infra.ects", MCT_KIND_POLICY, 3, "x", MCT_REVIEW_PENDING),
	    ev(2, "infra.ects", MCT_KIND_HE, 3, "x", MCT_REVIEW_REJECTED),
	};
	mct_score_reading r = score(&cfg, items, 2, 1, 1);
	assert_near(ind(&r, "infra.ects")->sum, 0);
	assert_int_equal(part(&r, 1)->silenced_by, 2);
	mct_score_reading_free(&r);
	/* a confirmed copy overrules the rejection, and the strongest copy not
	 * rejected counts: the confirmed one from a university, 3 x 0.6 x 1 =
	 * 1.8, over the pending one from the ministry, 3 x 1.0 x 0.5 = 1.5 */
	mct_score_part more[] = {
	    items[0],
	    items[1],
	    ev(3, "infra.ects", MCT_KIND_HE, 3, "x", MCT_REVIEW_CONFIRMED),
	};
	r = score(&cfg, more, 3, 1, 1);
	assert_near(ind(&r, "infra.ects")->sum, 1.8);
	assert_int_equal(part(&r, 3)->rank, 1);
	assert_int_equal(part(&r, 1)->duplicate_of, 3);
	assert_int_equal(part(&r, 1)->silenced_by, 0);
	mct_score_reading_free(&r);
}

static void test_age_decay_halves_strength_every_half_life(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	cfg.half_life_days = 100;
	mct_score_part items[] = {
	    ev(1, "ecosystem.pilots", MCT_KIND_POLICY, 4, "a", MCT_REVIEW_CONFIRMED),
	    ev(2, "ecosystem.industry", MCT_KIND_POLICY, 4, "b", MCT_REVIEW_CONFIRMED),
	    ev(3, "ecosystem.governance", MCT_KIND_POLICY, 4, "c", MCT_REVIEW_CONFIRMED),
	    ev(4, "ecosystem.alliances", MCT_KIND_POLICY, 4, "d", MCT_REVIEW_CONFIRMED),
	};
	items[0].first_seen = DAY_2026_03_01 - 100; /* one half-life: 2 */
	items[1].first_seen = DAY_2026_03_01 - 250; /* 2.5 half-lives: 4 x 2^-2.5 */
	items[2].first_seen = DAY_2026_03_01 + 30;  /* seen after the date: no decay */
	items[3].first_seen = -1;                   /* unknown: no decay */
	mct_score_reading r = score(&cfg, items, 4, 1, 1);
	assert_near(part(&r, 1)->strength, 2.0);
	assert_near(part(&r, 2)->strength, 4 * pow(2, -2.5));
	assert_near(part(&r, 3)->strength, 4.0);
	assert_near(part(&r, 4)->strength, 4.0);
	mct_score_reading_free(&r);
	cfg.half_life_days = 0; /* no decay at all */
	r = score(&cfg, items, 4, 1, 1);
	assert_near(part(&r, 2)->strength, 4.0);
	mct_score_reading_free(&r);
}

static void test_indicator_and_dimension_weights_make_weighted_means(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	cfg.dimension_weight[0] = 3; /* policy */
	cfg.dimension_weight[1] = 1; /* ecosystem */
	cfg.dimension_weight[2] = 0;
	cfg.dimension_weight[3] = 0;
	struct mct_indicator_weight w[] = {{(char *)"policy.funding", 2.0, 1},
	                                   {(char *)"policy.nqf", 0.0, 2}};
	cfg.indicator_weights = w;
	cfg.n_indicator_weights = 2;
	mct_score_part items[] = {
	    ev(1, "policy.funding", MCT_KIND_POLICY, 8, "a", MCT_REVIEW_CONFIRMED),
	    ev(2, "policy.nqf", MCT_KIND_POLICY, 8, "b", MCT_REVIEW_CONFIRMED),
	    ev(3, "ecosystem.pilots", MCT_KIND_POLICY, 8, "c", MCT_REVIEW_CONFIRMED),
	};
	mct_score_reading r = score(&cfg, items, 3, 1, 1);
	double s8 = curve(8, 8); /* 63.21 */
	assert_near(ind(&r, "policy.funding")->score, s8);
	assert_near(ind(&r, "policy.nqf")->score, s8);
	/* policy: funding weighs 2, nqf 0, the five others 1: 2 x s8 / 7 */
	assert_near(r.row.dimension[0], 2 * s8 / 7);
	/* ecosystem: one of six indicators of weight 1 */
	assert_near(r.row.dimension[1], s8 / 6);
	/* temperature: (3 x policy + 1 x ecosystem) / 4 */
	assert_near(r.row.temperature, (3 * (2 * s8 / 7) + s8 / 6) / 4);
	assert_near(r.dimension_share[0], 0.75);
	/* nqf weighs nothing, so it accounts for no degree */
	assert_near(part(&r, 2)->degrees, 0);
	assert_near(part(&r, 1)->degrees, 0.75 * 2.0 / 7 * s8);
	mct_score_reading_free(&r);
}

static void test_negative_evidence_never_adds_and_becomes_a_gap(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[] = {
	    ev(1, "infra.portal", MCT_KIND_POLICY, 3, "p", MCT_REVIEW_CONFIRMED),
	    ev(2, "infra.portal", MCT_KIND_POLICY, 5, "n1", MCT_REVIEW_CONFIRMED),
	    ev(3, "infra.portal", MCT_KIND_NEWS, 5, "n2", MCT_REVIEW_PENDING),
	    ev(4, "policy.definition", MCT_KIND_POLICY, 5, "n3", MCT_REVIEW_CONFIRMED),
	    ev(5, "policy.definition", MCT_KIND_POLICY, 5, "n3", MCT_REVIEW_PENDING),
	    ev(6, "policy.recognition", MCT_KIND_POLICY, 5, "n4", MCT_REVIEW_REJECTED),
	};
	for (int i = 1; i < 6; i++)
		items[i].negative = 1;
	mct_score_reading with = score(&cfg, items, 6, 1, 1);
	mct_score_reading without = score(&cfg, items, 1, 1, 1);
	assert_near(ind(&with, "infra.portal")->sum, 3.0);
	assert_near(with.row.temperature, without.row.temperature);
	assert_int_equal(ind(&with, "infra.portal")->negative, 2);
	/* one sentence twice is one gap; a rejected gap is no gap */
	assert_int_equal(ind(&with, "policy.definition")->negative, 1);
	assert_int_equal(ind(&with, "policy.recognition")->negative, 0);
	assert_near(ind(&with, "policy.definition")->score, 0);
	assert_int_equal(with.row.evidence_negative, 4);
	assert_int_equal(with.row.evidence_count, 5);
	for (size_t i = 0; i < with.nparts; i++)
		if (with.parts[i].negative) {
			assert_near(with.parts[i].contribution, 0);
			assert_near(with.parts[i].degrees, 0);
		}
	mct_score_reading_free(&with);
	mct_score_reading_free(&without);
}

static void test_low_confidence_when_most_sources_failed_reads_unknown_not_frozen(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_reading r = score(&cfg, NULL, 0, 1, 4);
	assert_true(r.row.low_confidence);
	assert_near(r.row.temperature, 0);
	assert_string_equal(r.row.band, "unknown");
	assert_int_equal(r.row.sources_ok, 1);
	assert_int_equal(r.row.sources_total, 4);
	mct_score_reading_free(&r);
	/* half read is not "most failed" */
	r = score(&cfg, NULL, 0, 2, 4);
	assert_false(r.row.low_confidence);
	assert_string_equal(r.row.band, "frozen");
	mct_score_reading_free(&r);
	/* no source of its own: low confidence */
	r = score(&cfg, NULL, 0, 0, 0);
	assert_true(r.row.low_confidence);
	mct_score_reading_free(&r);
	/* evidence only adds, so what was found is a floor: a low-confidence
	 * reading that is already warm keeps its band */
	cfg.dimension_weight[1] = cfg.dimension_weight[2] = cfg.dimension_weight[3] = 0;
	mct_score_part items[7];
	char keys[7][16];
	for (size_t k = 0; k < 7; k++) {
		snprintf(keys[k], sizeof keys[k], "k%zu", k);
		items[k] = ev((int64_t)k + 1, mct_indicators[k].id, MCT_KIND_POLICY, 5, keys[k],
		              MCT_REVIEW_CONFIRMED);
	}
	r = score(&cfg, items, 7, 0, 3);
	assert_near(r.row.temperature, curve(5, 8));
	assert_true(r.row.low_confidence);
	assert_string_equal(r.row.band, "warm");
	mct_score_reading_free(&r);
}

static void test_bands_follow_the_domain_scale(void **state)
{
	(void)state;
	assert_string_equal(mct_score_band(0, 0), "frozen");
	assert_string_equal(mct_score_band(19.94, 0), "frozen");
	assert_string_equal(mct_score_band(19.96, 0), "cold"); /* shown as 20.0 */
	assert_string_equal(mct_score_band(20, 0), "cold");
	assert_string_equal(mct_score_band(39.9, 0), "cold");
	assert_string_equal(mct_score_band(40, 0), "warm");
	assert_string_equal(mct_score_band(60, 0), "hot");
	assert_string_equal(mct_score_band(79.9, 0), "hot");
	assert_string_equal(mct_score_band(80, 0), "boiling");
	assert_string_equal(mct_score_band(100, 0), "boiling");
	assert_string_equal(mct_score_band(19.9, 1), "unknown");
	assert_string_equal(mct_score_band(25, 1), "cold");
}

static void test_same_evidence_in_any_order_gives_identical_numbers(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	enum { N = 40 };
	mct_score_part items[N], shuffled[N];
	char keys[N][16];
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "s%d", i % 13);
		items[i] = ev(i + 1, mct_indicators[(size_t)(i * 7) % mct_indicator_count].id,
		              (mct_source_kind)(i % MCT_KIND_COUNT), 1 + i % 5, keys[i],
		              (mct_review)(i % 3));
		items[i].first_seen = DAY_2026_03_01 - 37 * i;
		items[i].negative = i % 11 == 0;
	}
	for (int i = 0; i < N; i++)
		shuffled[i] = items[(i * 17 + 5) % N]; /* 17 is prime to 40: a permutation */
	mct_score_reading a = score(&cfg, items, N, 3, 4);
	mct_score_reading b = score(&cfg, shuffled, N, 3, 4);
	assert_memory_equal(&a.row.temperature, &b.row.temperature, sizeof(double));
	assert_memory_equal(a.row.dimension, b.row.dimension, sizeof a.row.dimension);
	assert_memory_equal(a.indicators, b.indicators, mct_indicator_count * sizeof *a.indicators);
	assert_int_equal(a.nparts, b.nparts);
	for (size_t i = 0; i < a.nparts; i++) {
		assert_int_equal(a.parts[i].id, b.parts[i].id);
		assert_memory_equal(&a.parts[i].degrees, &b.parts[i].degrees, sizeof(double));
	}
	mct_score_reading_free(&a);
	mct_score_reading_free(&b);
}

static void test_degrees_of_the_evidence_add_up_to_the_temperature(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[] = {
	    ev(1, "policy.definition", MCT_KIND_POLICY, 5, "a", MCT_REVIEW_CONFIRMED),
	    ev(2, "policy.definition", MCT_KIND_QA, 3, "b", MCT_REVIEW_PENDING),
	    ev(3, "infra.open_badges", MCT_KIND_HE, 3, "c", MCT_REVIEW_CONFIRMED),
	    ev(4, "usage.enrolment", MCT_KIND_NEWS, 1, "d", MCT_REVIEW_PENDING),
	    ev(5, "ecosystem.hei_offer", MCT_KIND_HE, 3, "e", MCT_REVIEW_CONFIRMED),
	};
	mct_score_reading r = score(&cfg, items, 5, 1, 1);
	double sum = 0;
	for (size_t i = 0; i < r.nparts; i++)
		sum += r.parts[i].degrees;
	assert_true(r.row.temperature > 0);
	assert_near(sum, r.row.temperature);
	/* an indicator's share is split by contribution: 5 and 0.75 x 1.35 */
	const mct_score_indicator *d = ind(&r, "policy.definition");
	assert_near(part(&r, 1)->degrees, d->degrees * 5 / (5 + 0.75 * 1.35));
	mct_score_reading_free(&r);
}

static void test_parts_are_listed_counted_first_then_uncounted_then_gaps(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_part items[] = {
	    ev(9, "policy.qa", MCT_KIND_POLICY, 1, "n", MCT_REVIEW_PENDING),
	    ev(8, "policy.qa", MCT_KIND_POLICY, 1, "dup", MCT_REVIEW_PENDING),
	    ev(7, "policy.qa", MCT_KIND_POLICY, 5, "dup", MCT_REVIEW_PENDING),
	    ev(6, "policy.qa", MCT_KIND_POLICY, 3, "other", MCT_REVIEW_PENDING),
	    ev(1, "policy.definition", MCT_KIND_NEWS, 1, "z", MCT_REVIEW_PENDING),
	};
	items[0].negative = 1;
	mct_score_reading r = score(&cfg, items, 5, 1, 1);
	int64_t want[] = {1, 7, 6, 8, 9};
	assert_int_equal(r.nparts, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(r.parts[i].id, want[i]);
	mct_score_reading_free(&r);
}

static void test_a_date_that_is_not_a_date_is_refused(void **state)
{
	(void)state;
	mct_score_config cfg = shipped();
	mct_score_reading r;
	mct_err err = {0};
	assert_int_equal(mct_score_compute(&cfg, "ES", "2026-02-30", NULL, 0, 1, 1, &r, &err),
	                 MCT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "YYYY-MM-DD"));
	assert_int_equal(mct_score_compute(&cfg, "ES", "2026-3-1", NULL, 0, 1, 1, &r, &err),
	                 MCT_ERR_USAGE);
}

static void test_noteworthy_when_moved_beyond_the_threshold_or_evidence_appeared(void **state)
{
	(void)state;
	mct_score_config cfg = shipped(); /* quiet_threshold 2 */
	mct_score_reading r = {0};
	r.row.temperature = 41.0;
	assert_false(mct_score_noteworthy(&cfg, &r)); /* first reading, nothing found */
	r.has_previous = 1;
	r.previous_temperature = 39.5;
	assert_false(mct_score_noteworthy(&cfg, &r)); /* moved 1.5 */
	r.previous_temperature = 38.9;
	assert_true(mct_score_noteworthy(&cfg, &r)); /* moved 2.1 */
	r.previous_temperature = 43.5;
	assert_true(mct_score_noteworthy(&cfg, &r)); /* fell 2.5 */
	r.previous_temperature = 41.0;
	r.appeared = 1;
	assert_true(mct_score_noteworthy(&cfg, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_confirmed_decree_follows_the_saturation_curve),
	    cmocka_unit_test(test_same_sentence_on_many_pages_counts_once),
	    cmocka_unit_test(test_many_rules_hitting_one_sentence_count_once_with_the_strongest),
	    cmocka_unit_test(test_the_same_sentence_counts_for_each_indicator_it_supports),
	    cmocka_unit_test(test_distinct_sentences_add_up_with_the_rank_discount),
	    cmocka_unit_test(test_ten_weak_mentions_do_not_outweigh_one_decree),
	    cmocka_unit_test(test_review_factors_confirmed_full_pending_share_rejected_zero),
	    cmocka_unit_test(
	        test_a_rejected_copy_silences_unreviewed_copies_unless_one_is_confirmed),
	    cmocka_unit_test(test_age_decay_halves_strength_every_half_life),
	    cmocka_unit_test(test_indicator_and_dimension_weights_make_weighted_means),
	    cmocka_unit_test(test_negative_evidence_never_adds_and_becomes_a_gap),
	    cmocka_unit_test(test_low_confidence_when_most_sources_failed_reads_unknown_not_frozen),
	    cmocka_unit_test(test_bands_follow_the_domain_scale),
	    cmocka_unit_test(test_same_evidence_in_any_order_gives_identical_numbers),
	    cmocka_unit_test(test_degrees_of_the_evidence_add_up_to_the_temperature),
	    cmocka_unit_test(test_parts_are_listed_counted_first_then_uncounted_then_gaps),
	    cmocka_unit_test(test_a_date_that_is_not_a_date_is_refused),
	    cmocka_unit_test(test_noteworthy_when_moved_beyond_the_threshold_or_evidence_appeared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
