/*
 * tests/unit/test_extract.c - evidence identity across runs: extraction of a
 * stored text creates evidence; the same sentence found again keeps its id
 * and reviews; a sentence that leaves the page is marked gone and comes back
 * with its reviews; an unchanged body is not matched again; a rule change
 * supersedes what the old rule found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../extract/extract.h"
#include "../support/testutil.h"

static const char rules_v1[] = "[define MC]\n"
                               "pattern = micro-?credentials?\n"
                               "pattern = mikrokvalifikācij\\w*\n"
                               "\n"
                               "[rule infra.portal.test]\n"
                               "indicator = infra.portal\n"
                               "weight = 3\n"
                               "lang = en lv\n"
                               "pattern = \\b(?:portal|register|portāl\\w*)\\b\n"
                               "match = The national portal lists every micro-credential.\n"
                               "nomatch = The national portal lists every course.\n"
                               "\n"
                               "[rule policy.funding.test]\n"
                               "indicator = policy.funding\n"
                               "weight = 5\n"
                               "lang = en\n"
                               "pattern = \\bfunding\\b\n"
                               "match = New funding for micro-credentials was announced.\n"
                               "\n"
                               "[negation en]\n"
                               "pattern = \\bno\\b\n"
                               "pattern = \\bnot yet\\b\n"
                               "match = There is no portal.\n"
                               "nomatch = There is a portal.\n";

typedef struct {
	char *dir, *rules, *db;
	mct_store *st;
	mct_ruleset *rs;
	int64_t run;
} fx;

static void write_rules(fx *f, const char *text)
{
	char *p = tu_write(f->rules, "test.rules", text);
	free(p);
	mct_rules_free(f->rs);
	f->rs = NULL;
	mct_err err = {0};
	if (mct_rules_load(f->rules, &f->rs, &err))
		fail_msg("rules: %s", err.msg);
}

static int setup(void **state)
{
	fx *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	f->rules = mct_xasprintf("%s/rules", f->dir);
	f->db = mct_xasprintf("%s/t.db", f->dir);
	char *cmd = mct_xasprintf("mkdir -p '%s'", f->rules);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	write_rules(f, rules_v1);
	mct_err err = {0};
	if (mct_store_open(f->db, MCT_STORE_READWRITE, &f->st, &err))
		return -1;
	mct_store_source src = {"lv-test", "LV", "policy", "https://example.lv/", "lv", 1};
	if (mct_store_source_put(f->st, &src, &err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	mct_rules_free(f->rs);
	mct_store_close(f->st);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->rules);
	free(f->db);
	free(f);
	return 0;
}

/* Store a capture of the page with `text` (the body is the text itself) in
 * a new run, then extract. */
static mct_extract_stats crawl_and_extract(fx *f, const char *text, const char *when)
{
	mct_err err = {0};
	assert_int_equal(mct_store_run_start(f->st, "run", &f->run, &err), MCT_OK);
	mct_capture c = {.run_id = f->run,
	                 .source_id = "lv-test",
	                 .url = "https://example.lv/page",
	                 .fetched_at = when,
	                 .outcome = MCT_CAPTURE_NEW,
	                 .http_status = 200,
	                 .text_type = "txt",
	                 .extractor = "test"};
	assert_int_equal(
	    mct_store_capture_add(f->st, &c, text, strlen(text), text, strlen(text), &err), MCT_OK);
	mct_extract_stats stats;
	if (mct_extract(f->rules, f->rs, f->st, f->run, 0, NULL, NULL, &stats, &err))
		fail_msg("extract: %s", err.msg);
	assert_int_equal(mct_store_run_finish(f->st, f->run, MCT_RUN_OK, NULL, &err), MCT_OK);
	return stats;
}

static int64_t q(fx *f, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(mct_store_db(f->st), sql, -1, &s, NULL), SQLITE_OK);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return v;
}

static const char page_a[] = "# Micro-credentials in Latvia\n"
                             "The national portal lists every micro-credential offered.\n"
                             "New funding for micro-credentials was announced in 2026.\n";
static const char page_b[] = "# Micro-credentials in Latvia\n"
                             "New funding for micro-credentials was announced in 2026.\n"
                             "There is no register of micro-credentials yet.\n";

static void test_extraction_creates_signed_evidence(void **state)
{
	fx *f = *state;
	mct_extract_stats s = crawl_and_extract(f, page_b, "2026-11-01T02:00:00Z");
	assert_int_equal(s.evidence_new, 2);
	assert_int_equal(q(f, "SELECT count(*) FROM evidence WHERE indicator = 'policy.funding' "
	                      "AND polarity = 'positive' AND country = 'LV'"),
	                 1);
	assert_int_equal(q(f, "SELECT count(*) FROM evidence WHERE indicator = 'infra.portal' AND "
	                      "polarity = 'negative'"),
	                 1);
	/* provenance: offsets point at the match in the stored text */
	assert_int_equal(q(f, "SELECT offset_start FROM evidence WHERE indicator = "
	                      "'policy.funding'"),
	                 (int64_t)(strstr(page_b, "funding") - page_b));
}

static void test_same_sentence_found_again_keeps_id_and_updates_last_seen(void **state)
{
	fx *f = *state;
	crawl_and_extract(f, page_a, "2026-11-01T02:00:00Z");
	int64_t id = q(f, "SELECT id FROM evidence WHERE indicator = 'policy.funding'");
	/* the page changes elsewhere: the funding sentence is still there */
	mct_extract_stats s = crawl_and_extract(f, page_b, "2026-11-02T02:00:00Z");
	assert_int_equal(q(f, "SELECT id FROM evidence WHERE indicator = 'policy.funding'"), id);
	assert_int_equal(q(f, "SELECT count(*) FROM evidence WHERE indicator = 'policy.funding'"),
	                 1);
	assert_int_equal(q(f, "SELECT last_seen = '2026-11-02T02:00:00Z' AND first_seen = "
	                      "'2026-11-01T02:00:00Z' FROM evidence WHERE indicator = "
	                      "'policy.funding'"),
	                 1);
	assert_true(s.evidence_seen >= 1);
}

static void test_sentence_leaving_the_page_is_gone_and_comes_back_with_reviews(void **state)
{
	fx *f = *state;
	mct_err err = {0};
	crawl_and_extract(f, page_a, "2026-11-01T02:00:00Z");
	int64_t portal = q(f, "SELECT id FROM evidence WHERE indicator = 'infra.portal' AND "
	                      "polarity = 'positive'");
	assert_true(portal > 0);
	assert_int_equal(
	    mct_store_review_add(f->st, portal, MCT_VERDICT_CONFIRMED, "ana", "ok", NULL, &err),
	    MCT_OK);
	mct_extract_stats s = crawl_and_extract(f, page_b, "2026-11-02T02:00:00Z");
	assert_int_equal(s.evidence_gone, 1);
	char *sql =
	    mct_xasprintf("SELECT state = 'gone' FROM evidence WHERE id = %lld", (long long)portal);
	assert_int_equal(q(f, sql), 1);
	free(sql);
	/* never deleted; back when the sentence returns, with its review */
	crawl_and_extract(f, page_a, "2026-11-03T02:00:00Z");
	sql = mct_xasprintf("SELECT state = 'active' FROM evidence WHERE id = %lld",
	                    (long long)portal);
	assert_int_equal(q(f, sql), 1);
	free(sql);
	sql = mct_xasprintf("SELECT " MCT_EVIDENCE_STATUS_SQL " = 'confirmed' FROM evidence WHERE "
	                    "id = %lld",
	                    (long long)portal);
	assert_int_equal(q(f, sql), 1);
	free(sql);
}

static void test_unchanged_body_is_not_matched_again(void **state)
{
	fx *f = *state;
	crawl_and_extract(f, page_a, "2026-11-01T02:00:00Z");
	mct_extract_stats s = crawl_and_extract(f, page_a, "2026-11-02T02:00:00Z");
	assert_int_equal(s.texts, 1);
	assert_int_equal(s.texts_extracted, 0);
	assert_int_equal(s.texts_unchanged, 1);
	assert_int_equal(q(f, "SELECT count(*) FROM evidence WHERE last_seen = "
	                      "'2026-11-02T02:00:00Z'"),
	                 2);
}

static void test_rule_change_supersedes_what_the_old_rule_found(void **state)
{
	fx *f = *state;
	crawl_and_extract(f, page_a, "2026-11-01T02:00:00Z");
	/* the portal rule no longer knows the word "portal" */
	char *v2 = mct_xstrdup(rules_v1);
	char *p = strstr(v2, "(?:portal|register|");
	memcpy(p, "(?:xxxxxx|register|", strlen("(?:xxxxxx|register|"));
	char *m = strstr(v2, "match = The national portal");
	memcpy(m, "match = The national regis", strlen("match = The national regis"));
	write_rules(f, v2);
	free(v2);
	mct_err err = {0};
	mct_extract_stats s;
	int64_t run;
	assert_int_equal(mct_store_run_start(f->st, "extract", &run, &err), MCT_OK);
	assert_int_equal(mct_extract(f->rules, f->rs, f->st, run, 0, NULL, NULL, &s, &err), MCT_OK);
	assert_int_equal(s.texts_extracted, 1);
	assert_int_equal(s.evidence_superseded, 1);
	assert_int_equal(q(f, "SELECT count(*) FROM evidence WHERE state = 'superseded' AND "
	                      "indicator = 'infra.portal'"),
	                 1);
	/* the funding evidence is untouched by the change */
	assert_int_equal(q(f,
	                   "SELECT count(*) FROM evidence WHERE state = 'active' AND indicator = "
	                   "'policy.funding'"),
	                 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_extraction_creates_signed_evidence, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_same_sentence_found_again_keeps_id_and_updates_last_seen, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_sentence_leaving_the_page_is_gone_and_comes_back_with_reviews, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_unchanged_body_is_not_matched_again, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_rule_change_supersedes_what_the_old_rule_found,
	                                    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
