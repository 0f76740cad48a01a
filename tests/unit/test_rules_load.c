/*
 * tests/unit/test_rules_load.c - loading rule files: the indicator
 * catalogue, a good rule set (counts, parsed fields, versions), versions
 * that follow defines, and one malformed file per kind of mistake, each
 * reported at the exact file:line with a message saying what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../rules/rules.h"
#include "../../rules/rules_internal.h"

static char *fixture(const char *rel)
{
	const char *top = getenv("MCT_TOP");
	return mct_xasprintf("%s/tests/fixtures/rules/%s", top ? top : ".", rel);
}

static mct_ruleset *load_ok(const char *rel)
{
	char *dir = fixture(rel);
	mct_ruleset *rs = NULL;
	mct_err err = {0};
	mct_status st = mct_rules_load(dir, &rs, &err);
	if (st != MCT_OK)
		fail_msg("loading %s: %s", dir, err.msg);
	free(dir);
	return rs;
}

/* ---- the catalogue --------------------------------------------------------- */

static void catalogue_has_every_indicator_under_its_dimension(void **state)
{
	(void)state;
	assert_int_equal(mct_indicator_count, 25);
	for (size_t i = 0; i < mct_indicator_count; i++) {
		const mct_indicator *ind = &mct_indicators[i];
		const char *dim = mct_dimension_ids[ind->dimension];
		assert_memory_equal(ind->id, dim, strlen(dim));
		assert_int_equal(ind->id[strlen(dim)], '.');
		assert_true(strlen(ind->name) > 0);
		assert_true(strlen(ind->description) > 10);
		assert_int_equal(mct_indicator_find(ind->id), (int)i);
	}
	assert_int_equal(mct_indicator_find("policy.council_rec"), 3);
	assert_int_equal(mct_indicator_find("usage.mooc_platforms"), 24);
	assert_int_equal(mct_indicator_find("policy"), -1);
	assert_int_equal(mct_indicator_find(NULL), -1);
}

static void catalogue_names_four_dimensions(void **state)
{
	(void)state;
	static const char *const ids[] = {"policy", "ecosystem", "infra", "usage"};
	for (int i = 0; i < MCT_DIMENSIONS; i++) {
		assert_string_equal(mct_dimension_ids[i], ids[i]);
		assert_int_equal(mct_dimension_find(ids[i]), i);
	}
	assert_string_equal(mct_dimension_names[0], "Policy & Recognition");
	assert_string_equal(mct_dimension_names[1], "Ecosystem & Adoption");
	assert_string_equal(mct_dimension_names[2], "Infra & Standards");
	assert_string_equal(mct_dimension_names[3], "Usage & Market");
	assert_int_equal(mct_dimension_find("money"), -1);
}

/* ---- a good rule set ---------------------------------------------------------- */

static void good_set_loads_every_section_of_every_file(void **state)
{
	(void)state;
	mct_ruleset *rs = load_ok("good");
	assert_int_equal(mct_rules_count(rs), 18);
	assert_int_equal(rs->nnegations, 6);
	assert_int_equal(rs->ncountries, 6);
	assert_int_equal(rs->nfiles, 5); /* notes.txt is not a rule file */
	assert_int_equal(rs->nby_context[MCT_CONTEXT_SENTENCE], 13);
	assert_int_equal(rs->nby_context[MCT_CONTEXT_BLOCK], 1);
	assert_int_equal(rs->nby_context[MCT_CONTEXT_DOCUMENT], 1);
	assert_int_equal(rs->nby_context[MCT_CONTEXT_NONE], 3);
	assert_true(rs->has_mc);
	/* Rules keep file order, then order within the file. */
	assert_string_equal(mct_rules_get(rs, 0)->id, "policy.funding.amount");
	assert_string_equal(mct_rules_get(rs, 17)->id, "infra.portal.en");
	assert_null(mct_rules_get(rs, 18));
	assert_null(mct_rules_find(rs, "no.such.rule"));
	mct_rules_free(rs);
}

static void rule_fields_are_parsed_and_normalised(void **state)
{
	(void)state;
	mct_ruleset *rs = load_ok("good");
	const mct_rule_info *r = mct_rules_find(rs, "ecosystem.hei_offer.iberia");
	assert_non_null(r);
	assert_string_equal(r->indicator, "ecosystem.hei_offer");
	assert_int_equal(r->dimension, 1);
	assert_true(r->weight == 3.0);
	assert_string_equal(r->langs, "es pt");
	assert_string_equal(r->countries, "ES PT"); /* written "PT ES" */
	assert_int_equal(r->context, MCT_CONTEXT_SENTENCE);
	assert_int_equal(r->always_negative, 0);
	assert_non_null(strstr(r->file, "20-ecosystem-infra.rules"));
	assert_int_equal(r->line, 12);

	r = mct_rules_find(rs, "policy.definition.gap.en");
	assert_int_equal(r->always_negative, 1);
	assert_true(r->weight == 4.0);
	assert_string_equal(r->countries, "");
	r = mct_rules_find(rs, "infra.ects.any");
	assert_int_equal(r->context, MCT_CONTEXT_NONE);
	assert_string_equal(r->langs, "*");
	r = mct_rules_find(rs, "ecosystem.governance.en");
	assert_int_equal(r->context, MCT_CONTEXT_BLOCK);
	r = mct_rules_find(rs, "policy.definition.decree.es");
	assert_int_equal(r->context, MCT_CONTEXT_DOCUMENT);
	mct_rules_free(rs);
}

static int is_hex16(const char *v)
{
	if (strlen(v) != 16)
		return 0;
	for (int i = 0; i < 16; i++)
		if (!strchr("0123456789abcdef", v[i]))
			return 0;
	return 1;
}

static void versions_hash_the_canonical_definition(void **state)
{
	(void)state;
	mct_ruleset *a = load_ok("good");
	mct_ruleset *b = load_ok("good");
	for (size_t i = 0; i < mct_rules_count(a); i++) {
		const mct_rule_info *ra = mct_rules_get(a, i), *rb = mct_rules_get(b, i);
		assert_true(is_hex16(ra->version));
		assert_string_equal(ra->version, rb->version);
		char hex[65];
		mct_sha256_hex(ra->definition, strlen(ra->definition), hex);
		assert_memory_equal(ra->version, hex, 16);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ra->version, mct_rules_get(a, j)->version);
	}
	/* The definition holds the expanded patterns, defines within defines included. */
	const mct_rule_info *r = mct_rules_find(a, "policy.definition.decree.es");
	assert_non_null(
	    strstr(r->definition, "pattern = (?:Real Decreto \\d+/(?:(?:19|20)\\d{2}))\n"));
	assert_null(strstr(r->definition, "{{"));
	assert_non_null(strstr(r->definition, "indicator = policy.definition\n"));
	assert_non_null(strstr(r->definition, "weight = 5\n"));
	assert_non_null(strstr(r->definition, "context = document\n"));
	assert_non_null(strstr(r->definition, "polarity = auto\n"));
	r = mct_rules_find(a, "ecosystem.hei_offer.iberia");
	assert_non_null(strstr(r->definition, "countries = ES PT\n"));
	mct_rules_free(a);
	mct_rules_free(b);
}

/* ---- versions follow defines --------------------------------------------------- */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char *path = mct_xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* Remove the two files written to tmpdir, and tmpdir. */
static void remove_tmp(const char *a, const char *b)
{
	const char *names[] = {a, b};
	for (int i = 0; i < 2; i++) {
		char *p = mct_xasprintf("%s/%s", tmpdir, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(tmpdir);
}

static mct_ruleset *load_tmp(void)
{
	mct_ruleset *rs = NULL;
	mct_err err = {0};
	if (mct_rules_load(tmpdir, &rs, &err) != MCT_OK)
		fail_msg("%s", err.msg);
	return rs;
}

static const char rules_text[] = "[rule policy.funding.en]\n"
                                 "indicator = policy.funding\n"
                                 "weight = 3\n"
                                 "lang = en\n"
                                 "pattern = {{MONEY}} for {{MC}}\n"
                                 "match = %s\n"
                                 "\n"
                                 "[rule infra.ects.en]\n"
                                 "indicator = infra.ects\n"
                                 "weight = 2\n"
                                 "lang = en\n"
                                 "pattern = \\d+ ECTS\n"
                                 "match = The micro-credential is worth 5 ECTS.\n";

static void write_rules(const char *money, const char *example)
{
	char *defs = mct_xasprintf("[define MC]\npattern = micro-?credentials?\n\n"
	                           "[define MONEY]\npattern = %s\n",
	                           money);
	write_file("00-defines.rules", defs);
	char *rules = mct_xasprintf(rules_text, example);
	write_file("10-rules.rules", rules);
	free(defs);
	free(rules);
}

static void version_changes_when_a_define_changes(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mct-rules-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));

	write_rules("€\\d+", "€5 for micro-credentials.");
	mct_ruleset *a = load_tmp();
	write_rules("€\\d+ million", "€5 million for micro-credentials.");
	mct_ruleset *b = load_tmp();
	write_rules("€\\d+ million", "Here: €7 million for micro-credentials.");
	mct_ruleset *c = load_tmp();

	const mct_rule_info *fa = mct_rules_find(a, "policy.funding.en");
	const mct_rule_info *fb = mct_rules_find(b, "policy.funding.en");
	const mct_rule_info *fc = mct_rules_find(c, "policy.funding.en");
	assert_string_not_equal(fa->version, fb->version);
	/* Examples are not part of the definition. */
	assert_string_equal(fb->version, fc->version);
	/* A rule that does not use the define keeps its version. */
	assert_string_equal(mct_rules_find(a, "infra.ects.en")->version,
	                    mct_rules_find(b, "infra.ects.en")->version);
	mct_rules_free(a);
	mct_rules_free(b);
	mct_rules_free(c);
	remove_tmp("00-defines.rules", "10-rules.rules");
}

static void defines_may_be_used_before_they_are_written(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mct-rules-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	/* The rules file sorts first; its defines come from the later file. */
	write_file("a-rules.rules", "[rule policy.funding.en]\nindicator = policy.funding\n"
	                            "weight = 3\nlang = en\npattern = {{MONEY}} for {{MC}}\n"
	                            "match = €5 for micro-credentials.\n");
	write_file("z-defines.rules", "[define MONEY]\npattern = €\\d+\n"
	                              "[define MC]\npattern = micro-?credentials?\n");
	mct_ruleset *rs = load_tmp();
	assert_int_equal(mct_rules_count(rs), 1);
	assert_non_null(strstr(mct_rules_get(rs, 0)->definition, "pattern = (?:€\\d+) for "));
	mct_rules_free(rs);
	remove_tmp("a-rules.rules", "z-defines.rules");
}

/* ---- malformed files ------------------------------------------------------------ */

typedef struct {
	const char *dir;  /* under tests/fixtures/rules/bad/ */
	const char *file; /* NULL: the message names the folder */
	int line;
	const char *fragment;
} bad_case;

static const bad_case bad_cases[] = {
    {"line-not-understood", "a.rules", 7, "line not understood; expected '[kind name]'"},
    {"unknown-section", "a.rules", 4, "unknown section kind 'foo'; sections are [define NAME]"},
    {"unknown-key", "a.rules", 6,
     "unknown key 'colour' in a [rule] section; allowed keys: indicator, dimension"},
    {"missing-indicator", "a.rules", 5, "[rule policy.funding.en] has no 'indicator' line"},
    {"unknown-indicator", "a.rules", 5,
     "unknown indicator 'policy.money'; indicators of dimension 'policy': policy.definition, "
     "policy.strategy, policy.funding"},
    {"dimension-mismatch", "a.rules", 6,
     "dimension 'infra' does not match indicator 'policy.funding' (dimension 'policy')"},
    {"weight-not-number", "a.rules", 6, "weight 'heavy' is not a number with 0 < weight <= 10"},
    {"weight-out-of-range", "a.rules", 7, "weight '12' is not a number with 0 < weight <= 10"},
    {"bad-lang", "a.rules", 7, "'ES' is not an ISO 639-1 language code"},
    {"bad-country", "a.rules", 8, "'XX' is not an ISO 3166-1 alpha-2 country code"},
    {"bad-pattern", "a.rules", 9,
     "pattern does not compile: missing closing parenthesis at offset 13"},
    {"duplicate-id", "b.rules", 3, "duplicate rule id 'policy.funding.en'; first defined at "},
    {"bad-define-name", "a.rules", 1, "define name 'mc' is invalid"},
    {"duplicate-define", "a.rules", 4, "duplicate define 'MC'; first defined at "},
    {"unknown-define", "a.rules", 9, "unknown define {{MONEY}}"},
    {"no-rules-files", NULL, 0, "no .rules files in the rules folder"},
    {"no-match-example", "a.rules", 4, "[rule policy.funding.en] has no 'match' example"},
    {"define-cycle", "a.rules", 8, "{{A}} makes a cycle: define A uses itself"},
    {"key-outside-section", "a.rules", 2, "'pattern = ...' outside of a section"},
    {"bad-context", "a.rules", 8, "context 'paragraph' is not one of sentence, block"},
    {"repeated-key", "a.rules", 7, "key 'weight' given twice in [rule policy.funding.en]"},
    {"bad-country-section", "a.rules", 4, "country 'UK' is not an ISO 3166-1 alpha-2 code"},
    {"bad-negation-lang", "a.rules", 4, "language 'esp' is not an ISO 639-1 code"},
    {"invalid-utf8", "a.rules", 3, "not valid UTF-8"},
    {"no-mc-define", "a.rules", 1, "needs the micro-credential vocabulary [define MC]"},
    {"empty-match", "a.rules", 9, "pattern can match the empty string"},
    {"bad-define-reference", "a.rules", 8, "'{{Mc}}' is not a define reference"},
    {"named-group", "a.rules", 8, "named groups are not supported"},
    {"no-pattern", "a.rules", 4, "[negation en] has no 'pattern' line"},
};

static void malformed_files_fail_at_their_file_and_line(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const bad_case *c = &bad_cases[i];
		char *rel = mct_xasprintf("bad/%s", c->dir);
		char *dir = fixture(rel);
		char *where = c->file ? mct_xasprintf("%s/%s:%d: ", dir, c->file, c->line)
		                      : mct_xasprintf("%s: ", dir);
		mct_ruleset *rs = (mct_ruleset *)1;
		mct_err err = {0};
		mct_status st = mct_rules_load(dir, &rs, &err);
		if (st == MCT_OK)
			fail_msg("%s: loaded, expected \"%s\"", c->dir, c->fragment);
		assert_int_equal(st, MCT_ERR_CONFIG);
		assert_null(rs);
		if (strncmp(err.msg, where, strlen(where)) != 0 || !strstr(err.msg, c->fragment))
			fail_msg("%s: got \"%s\", expected \"%s...%s\"", c->dir, err.msg, where,
			         c->fragment);
		free(where);
		free(dir);
		free(rel);
	}
}

static void duplicate_id_names_the_first_definition(void **state)
{
	(void)state;
	char *dir = fixture("bad/duplicate-id");
	mct_ruleset *rs = NULL;
	mct_err err = {0};
	assert_int_equal(mct_rules_load(dir, &rs, &err), MCT_ERR_CONFIG);
	char *first = mct_xasprintf("first defined at %s/a.rules:4", dir);
	assert_non_null(strstr(err.msg, first));
	free(first);
	free(dir);
}

static void missing_folder_is_an_io_error_naming_it(void **state)
{
	(void)state;
	mct_ruleset *rs = NULL;
	mct_err err = {0};
	assert_int_equal(mct_rules_load("/nonexistent/rules", &rs, &err), MCT_ERR_IO);
	assert_null(rs);
	assert_non_null(strstr(err.msg, "/nonexistent/rules: cannot open the rules folder"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(catalogue_has_every_indicator_under_its_dimension),
	    cmocka_unit_test(catalogue_names_four_dimensions),
	    cmocka_unit_test(good_set_loads_every_section_of_every_file),
	    cmocka_unit_test(rule_fields_are_parsed_and_normalised),
	    cmocka_unit_test(versions_hash_the_canonical_definition),
	    cmocka_unit_test(version_changes_when_a_define_changes),
	    cmocka_unit_test(defines_may_be_used_before_they_are_written),
	    cmocka_unit_test(malformed_files_fail_at_their_file_and_line),
	    cmocka_unit_test(duplicate_id_names_the_first_definition),
	    cmocka_unit_test(missing_folder_is_an_io_error_naming_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
