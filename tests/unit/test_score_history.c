/*
 * tests/unit/test_score_history.c - scoring a store: two runs on different
 * dates make a history and a diff, a re-run of a date replaces its
 * readings, stored readings explain themselves, and the countries scored
 * are the configured ones (EU level apart) plus those that only EU-level
 * sources speak of.
 *
 * The database is made by the store itself (migrations) and filled with
 * hand-made sources, captures, rules, evidence and reviews in plain SQL, as
 * the crawl and extract steps would leave them.
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
#include "../support/testutil.h"

#define D1 "2026-01-10"
#define D2 "2026-02-10"

static const char ini[] =
    "[store]\n"
    "path = t.db\n"
    /* the figures below are worked out by hand with these parameters */
    "[score]\n"
    "saturation = 8\n"
    "pending_share = 0.5\n"
    "[source:es-boe]\ncountry = ES\nkind = policy\nurl = https://boe.example/\n"
    "[source:es-aneca]\ncountry = ES\nkind = qa\nurl = https://aneca.example/\n"
    "[source:es-uni]\ncountry = ES\nkind = he\nurl = https://uni.example/\n"
    "[source:lv-izm]\ncountry = LV\nkind = policy\nurl = https://izm.example/\n"
    "[source:lv-aic]\ncountry = LV\nkind = platform\nurl = https://aic.example/\n"
    "[source:eu-ec]\ncountry = EU\nkind = policy\nurl = https://ec.example/\n";

typedef struct {
	char *dir;
	mct_config *cfg;
	mct_store *st;
} fixture;

static void sql(mct_store *st, const char *q)
{
	mct_err err = {0};
	if (mct_store_exec(st, q, &err) != MCT_OK)
		fail_msg("%s: %s", q, err.msg);
}

static void put_source(mct_store *st, const mct_source *s, const char *status)
{
	mct_err err = {0};
	mct_store_source src = {s->id, s->country, mct_kind_name(s->kind), s->url, "", 1};
	assert_int_equal(mct_store_source_put(st, &src, &err), MCT_OK);
	assert_int_equal(
	    mct_store_source_status(st, s->id, 1, "2026-01-05T02:00:00Z", status, NULL, &err),
	    MCT_OK);
}

/* Evidence id, source, country, indicator, polarity, weight, sentence key,
 * first seen. */
static void put_evidence(mct_store *st, int id, const char *source, const char *country,
                         const char *indicator, const char *polarity, double weight,
                         const char *key, const char *first_seen)
{
	char dim[16];
	snprintf(dim, sizeof dim, "%.*s", (int)strcspn(indicator, "."), indicator);
	char *q = mct_xasprintf(
	    "INSERT OR IGNORE INTO rules (id, version, dimension, indicator, weight, definition, "
	    "first_loaded) VALUES ('r.%s', 'v1', '%s', '%s', %g, 'def', '2026-01-01T00:00:00Z');"
	    "INSERT INTO captures (run_id, source_id, url, fetched_at, outcome) VALUES "
	    "(1, '%s', 'https://%s.example/p%d', '%s', 'new');"
	    "INSERT INTO evidence (id, ekey, capture_id, source_id, url, rule_id, rule_version, "
	    "country, dimension, indicator, polarity, weight, match, snippet, sentence_key, "
	    "offset_start, offset_end, first_seen, last_seen) VALUES (%d, 'ek%d', "
	    "last_insert_rowid(), '%s', 'https://%s.example/p%d', 'r.%s', 'v1', '%s', '%s', '%s', "
	    "'%s', %g, 'microcredenciales', 'Sentence %d about microcredenciales.', '%s', 0, 10, "
	    "'%s', '%s')",
	    indicator, dim, indicator, weight, source, source, id, first_seen, id, id, source,
	    source, id, indicator, country, dim, indicator, polarity, weight, id, key, first_seen,
	    first_seen);
	sql(st, q);
	free(q);
}

static void review(mct_store *st, int id, const char *verdict)
{
	char *q = mct_xasprintf("INSERT INTO reviews (evidence_id, verdict, by, at) VALUES "
	                        "(%d, '%s', 'tester', '2026-02-01T10:00:00Z')",
	                        id, verdict);
	sql(st, q);
	free(q);
}

static int setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	char *path = tu_write(f->dir, "mcthermo.ini", ini);
	mct_err err = {0};
	assert_int_equal(mct_config_load(path, &f->cfg, &err), MCT_OK);
	free(path);
	assert_int_equal(mct_store_open(f->cfg->store_path, MCT_STORE_READWRITE, &f->st, &err),
	                 MCT_OK);
	int64_t run;
	assert_int_equal(mct_store_run_start(f->st, "crawl", &run, &err), MCT_OK);
	assert_int_equal(run, 1);
	const char *status[] = {"ok", "unchanged", "failed", "failed", "failed", "ok"};
	for (size_t i = 0; i < f->cfg->nsources; i++)
		put_source(f->st, &f->cfg->sources[i], status[i]);
	/* ES: a decree (on the gazette and copied by a university), a QA
	 * portal statement, and a gap; HU only in an EU-level source; one
	 * sentence about the EU itself. */
	put_evidence(f->st, 1, "es-boe", "ES", "policy.definition", "positive", 5, "k1",
	             "2026-01-05T02:00:00Z");
	put_evidence(f->st, 2, "es-uni", "ES", "policy.definition", "positive", 5, "k1",
	             "2026-01-05T02:00:00Z");
	put_evidence(f->st, 3, "es-aneca", "ES", "infra.portal", "positive", 3, "k3",
	             "2026-01-05T02:00:00Z");
	put_evidence(f->st, 4, "es-boe", "ES", "infra.portal", "negative", 3, "k4",
	             "2026-01-05T02:00:00Z");
	put_evidence(f->st, 5, "eu-ec", "HU", "policy.strategy", "positive", 3, "k5",
	             "2026-01-05T02:00:00Z");
	put_evidence(f->st, 6, "eu-ec", "EU", "policy.council_rec", "positive", 5, "k6",
	             "2026-01-05T02:00:00Z");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mct_store_close(f->st);
	mct_config_free(f->cfg);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static const mct_score_reading *country(const mct_score_results *res, const char *cc)
{
	for (size_t i = 0; i < res->n; i++)
		if (!strcmp(res->readings[i].row.country, cc))
			return &res->readings[i];
	return NULL;
}

static int64_t count(mct_store *st, const char *q)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(mct_store_db(st), q, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static double decay(const char *from, const char *to)
{
	long a, b;
	assert_int_equal(mct_parse_date(from, &a), 0);
	assert_int_equal(mct_parse_date(to, &b), 0);
	return exp2(-(double)(b - a) / 1095.0);
}

static void score_on(fixture *f, const char *date, mct_score_results *res)
{
	mct_err err = {0};
	if (mct_score(f->cfg, f->st, date, 0, res, &err) != MCT_OK)
		fail_msg("%s", err.msg);
}

static void test_every_configured_country_and_evidence_only_country_is_scored(void **state)
{
	fixture *f = *state;
	mct_score_results res;
	score_on(f, D1, &res);
	assert_int_equal(res.n, 3); /* ES, HU, LV: never EU */
	assert_string_equal(res.readings[0].row.country, "ES");
	assert_string_equal(res.readings[1].row.country, "HU");
	assert_string_equal(res.readings[2].row.country, "LV");
	const mct_score_reading *es = country(&res, "ES"), *hu = country(&res, "HU"),
	                        *lv = country(&res, "LV");
	/* ES: 2 of 3 sources read; decree pending: 5 x 1.0 x 0.5, 5 days old */
	assert_int_equal(es->row.sources_ok, 2);
	assert_int_equal(es->row.sources_total, 3);
	assert_false(es->row.low_confidence);
	double s1 = 2.5 * decay("2026-01-05", D1);
	assert_true(fabs(es->indicators[mct_indicator_find("policy.definition")].sum - s1) < 1e-12);
	assert_int_equal(es->row.evidence_count, 4);
	assert_int_equal(es->row.evidence_negative, 1);
	/* LV: nothing read, nothing found: unknown, not frozen */
	assert_int_equal(lv->row.sources_ok, 0);
	assert_true(lv->row.low_confidence);
	assert_string_equal(lv->row.band, "unknown");
	/* HU: no source of its own */
	assert_int_equal(hu->row.sources_total, 0);
	assert_true(hu->row.low_confidence);
	assert_int_equal(hu->row.evidence_count, 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM readings WHERE country = 'EU'"), 0);
	assert_int_equal(count(f->st, "SELECT count(*) FROM readings"), 3);
	assert_int_equal(count(f->st, "SELECT count(*) FROM reading_evidence"), 5);
	mct_score_results_free(&res);
}

static void test_rescoring_a_date_replaces_its_readings_with_identical_numbers(void **state)
{
	fixture *f = *state;
	mct_score_results a, b;
	score_on(f, D1, &a);
	score_on(f, D1, &b);
	assert_int_equal(count(f->st, "SELECT count(*) FROM readings"), 3);
	assert_int_equal(count(f->st, "SELECT count(*) FROM reading_evidence"), 5);
	for (size_t i = 0; i < a.n; i++) {
		assert_memory_equal(&a.readings[i].row.temperature, &b.readings[i].row.temperature,
		                    sizeof(double));
		assert_false(b.readings[i].has_previous); /* the same date is not "previous" */
	}
	mct_score_results_free(&a);
	mct_score_results_free(&b);
}

static void test_two_runs_on_different_dates_make_a_history_and_a_diff(void **state)
{
	fixture *f = *state;
	mct_score_results r1, r2;
	score_on(f, D1, &r1);
	/* Between the runs: the decree is confirmed, a funding call appears,
	 * the QA portal page is gone. */
	review(f->st, 1, "confirmed");
	put_evidence(f->st, 7, "es-boe", "ES", "usage.learner_support", "positive", 5, "k7",
	             "2026-02-09T02:00:00Z");
	sql(f->st, "UPDATE evidence SET state = 'gone' WHERE id = 3");
	score_on(f, D2, &r2);
	const mct_score_reading *es1 = country(&r1, "ES"), *es2 = country(&r2, "ES");
	assert_true(es2->has_previous);
	assert_string_equal(es2->previous_date, D1);
	assert_memory_equal(&es2->previous_temperature, &es1->row.temperature, sizeof(double));
	assert_int_equal(es2->appeared, 1);
	assert_true(mct_score_noteworthy(&f->cfg->score, es2));
	assert_false(mct_score_noteworthy(&f->cfg->score, country(&r2, "LV")));

	/* the history: two readings of ES, oldest first */
	assert_int_equal(count(f->st, "SELECT count(*) FROM readings WHERE country = 'ES'"), 2);

	/* explain and diff work from what was stored */
	mct_score_reading a, b;
	int found;
	mct_err err = {0};
	assert_int_equal(mct_score_load(f->st, "ES", D1, &a, &found, &err), MCT_OK);
	assert_true(found);
	assert_int_equal(mct_score_load(f->st, "ES", NULL, &b, &found, &err), MCT_OK);
	assert_true(found);
	assert_string_equal(b.row.date, D2);
	assert_true(b.has_previous);
	assert_memory_equal(&b.row.temperature, &es2->row.temperature, sizeof(double));
	assert_int_equal(b.nparts, es2->nparts);
	for (size_t i = 0; i < b.nparts; i++) {
		assert_int_equal(b.parts[i].id, es2->parts[i].id);
		assert_true(fabs(b.parts[i].degrees - es2->parts[i].degrees) < 1e-9);
		assert_int_equal(b.parts[i].rank, es2->parts[i].rank);
		assert_int_equal(b.parts[i].duplicate_of, es2->parts[i].duplicate_of);
	}
	assert_non_null(b.parts[0].snippet);
	assert_non_null(strstr(b.parts[0].url, "https://"));

	mct_score_diff d;
	mct_score_diff_compute(&a, &b, &d);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.changes[0].kind, MCT_CHANGE_APPEARED);
	assert_int_equal(d.changes[0].after->id, 7);
	assert_true(d.changes[0].degrees > 0);
	assert_int_equal(d.changes[1].kind, MCT_CHANGE_DISAPPEARED);
	assert_int_equal(d.changes[1].before->id, 3);
	assert_true(d.changes[1].degrees < 0);
	assert_int_equal(d.changes[2].kind, MCT_CHANGE_REVIEWED);
	assert_int_equal(d.changes[2].after->id, 1);
	assert_int_equal(d.changes[2].before->review, MCT_REVIEW_PENDING);
	assert_int_equal(d.changes[2].after->review, MCT_REVIEW_CONFIRMED);
	assert_true(d.changes[2].degrees > 0);
	assert_true(fabs(d.total - (b.row.temperature - a.row.temperature)) < 1e-12);
	/* every moved degree is accounted for by a listed change */
	assert_true(fabs(d.other) < 1e-8);
	/* the decree's share by hand: confirmed now, 5 x 2^(-36/1095), policy
	 * dimension 0.35 over 7 indicators */
	double s = 5 * decay("2026-01-05", D2);
	double deg = 0.35 / 7 * 100 * (1 - exp(-s / 8));
	assert_true(fabs(d.changes[2].after->degrees - deg) < 1e-8);
	mct_score_diff_free(&d);
	mct_score_reading_free(&a);
	mct_score_reading_free(&b);
	mct_score_results_free(&r1);
	mct_score_results_free(&r2);
}

static void test_a_reading_that_does_not_exist_is_not_found(void **state)
{
	fixture *f = *state;
	mct_score_reading r;
	int found = 1;
	mct_err err = {0};
	assert_int_equal(mct_score_load(f->st, "ES", D1, &r, &found, &err), MCT_OK);
	assert_false(found);
}

static void test_a_failed_scoring_leaves_the_previous_readings_untouched(void **state)
{
	fixture *f = *state;
	score_on(f, D1, NULL);
	mct_err err = {0};
	assert_int_equal(mct_score(f->cfg, f->st, "2026-13-01", 0, NULL, &err), MCT_ERR_USAGE);
	/* storing the third country fails after ES and HU were written: the
	 * whole scoring rolls back */
	sql(f->st, "CREATE TEMP TRIGGER fail BEFORE INSERT ON readings WHEN NEW.country = 'LV' "
	           "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
	assert_int_equal(mct_score(f->cfg, f->st, D2, 0, NULL, &err), MCT_ERR_DB);
	assert_non_null(strstr(err.msg, "injected failure"));
	assert_int_equal(count(f->st, "SELECT count(*) FROM readings"), 3);
	assert_int_equal(count(f->st, "SELECT count(*) FROM readings WHERE date = '" D2 "'"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_every_configured_country_and_evidence_only_country_is_scored, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_rescoring_a_date_replaces_its_readings_with_identical_numbers, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_two_runs_on_different_dates_make_a_history_and_a_diff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_reading_that_does_not_exist_is_not_found, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_a_failed_scoring_leaves_the_previous_readings_untouched, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
