/*
 * tests/unit/test_config.c - the configuration loader: the shipped catalogue
 * loads, defaults and path resolution hold, and every kind of bad input is
 * refused with the file:line and the words a user needs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../config/config.h"
#include "../support/testutil.h"

static const char good_head[] = "[store]\n"
                                "path = data/test.db\n"
                                "[rules]\n"
                                "path = myrules\n"
                                "[crawler]\n"
                                "concurrency = 4\n"
                                "max_body_bytes = 2M\n"
                                "deny_private_networks = yes\n"
                                "[score]\n"
                                "weight.policy = 0.5\n"
                                "indicator.policy.funding = 2\n";

static void test_shipped_config_loads_with_sources_and_countries(void **state)
{
	(void)state;
	char *path = tu_top_path("config/mcthermo.ini");
	mct_config *cfg = NULL;
	mct_err err = {0};
	assert_int_equal(mct_config_load(path, &cfg, &err), MCT_OK);
	assert_true(cfg->nsources >= 40);
	/* at least 14 countries plus EU level */
	char seen[64][3];
	size_t nseen = 0;
	int eu = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		const mct_source *s = &cfg->sources[i];
		assert_non_null(s->url);
		assert_true(mct_country_valid(s->country));
		if (!strcmp(s->country, "EU")) {
			eu = 1;
			continue;
		}
		size_t j;
		for (j = 0; j < nseen; j++)
			if (!strcmp(seen[j], s->country))
				break;
		if (j == nseen && nseen < 64)
			memcpy(seen[nseen++], s->country, 3);
	}
	assert_true(eu);
	assert_true(nseen >= 14);
	/* relative paths resolve against the config's folder */
	size_t n = strlen(cfg->rules_path);
	assert_true(n > 11 && !strcmp(cfg->rules_path + n - 11, "/rules/defs"));
	assert_true(cfg->rules_path[0] == '/');
	mct_config_free(cfg);
	free(path);
}

static void test_defaults_and_relative_paths_resolve_against_config_folder(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char *text =
	    mct_xasprintf("%s[source:es-boe]\ncountry = ES\nkind = policy\n"
	                  "url = https://www.boe.es/x\n"
	                  "[source:local-pdf]\ncountry = LV\nkind = qa\nurl = file://docs/a.pdf\n"
	                  "enabled = no\n",
	                  good_head);
	char *path = tu_write(dir, "m.ini", text);
	mct_config *cfg = NULL;
	mct_err err = {0};
	assert_int_equal(mct_config_load(path, &cfg, &err), MCT_OK);
	char *want = mct_xasprintf("%s/data/test.db", dir);
	assert_string_equal(cfg->store_path, want);
	free(want);
	want = mct_xasprintf("file://%s/docs/a.pdf", dir);
	assert_string_equal(cfg->sources[1].url, want);
	free(want);
	assert_int_equal(cfg->crawler.concurrency, 4);
	assert_int_equal(cfg->crawler.per_host_connections, 1);
	assert_int_equal(cfg->crawler.max_body_bytes, 2000000);
	assert_int_equal(cfg->crawler.deny_private_networks, 1);
	assert_int_equal(cfg->sources[0].depth, 0);
	assert_int_equal(cfg->sources[0].enabled, 1);
	assert_int_equal(cfg->sources[1].enabled, 0);
	assert_true(cfg->score.dimension_weight[0] == 0.5);
	assert_int_equal(cfg->score.n_indicator_weights, 1);
	assert_string_equal(cfg->score.indicator_weights[0].indicator, "policy.funding");
	mct_config_free(cfg);
	free(text);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* One bad input: the text, the line the error must name, and a fragment of
 * the message. */
struct bad {
	const char *name;
	const char *text;
	int line;
	const char *fragment;
};

static const struct bad bad_inputs[] = {
    {"unknown key in crawler", "[crawler]\nconcurency = 4\n", 2, "unknown key 'concurency'"},
    {"unknown section", "[stor]\npath = x\n", 2, "unknown section [stor]"},
    {"bad integer", "[crawler]\ntimeout_s = soon\n", 2, "expected a whole number"},
    {"integer out of range", "[crawler]\nconcurrency = 0\n", 2, "from 1 to 256"},
    {"bad boolean", "[crawler]\ndeny_private_networks = maybe\n", 2, "expected yes or no"},
    {"bad size suffix", "[crawler]\nmax_body_bytes = 20 parsecs\n", 2, "whole number"},
    {"score number out of range", "[score]\npending_share = 1.5\n", 2, "from 0 to 1"},
    {"duplicate source id",
     "[source:a]\ncountry = ES\nkind = qa\nurl = https://a.es/\n[source:a]\ncountry = ES\n", 5,
     "duplicate source id 'a'"},
    {"missing url", "[source:a]\ncountry = ES\nkind = qa\n", 1, "missing 'url'"},
    {"missing country", "[source:a]\nkind = qa\nurl = https://a.es/\n", 1, "missing 'country'"},
    {"unknown country code", "[source:a]\ncountry = UK\nkind = qa\nurl = https://a.uk/\n", 2,
     "unknown country code"},
    {"lower-case country code", "[source:a]\ncountry = es\n", 2, "unknown country code"},
    {"unsupported scheme", "[source:a]\ncountry = ES\nkind = qa\nurl = ftp://a.es/x\n", 4,
     "unsupported scheme"},
    {"unknown kind", "[source:a]\ncountry = ES\nkind = blog\n", 3, "expected policy, qa"},
    {"bad source id", "[source:Bad Id]\ncountry = ES\n", 2, "source id 'Bad Id'"},
    {"empty source section", "[source:a]\n\n[store]\npath = x.db\n", 1, "has no keys"},
    {"key outside section", "path = x\n", 1, "outside any section"},
    {"duplicate key", "[store]\npath = a.db\npath = b.db\n", 3, "given twice"},
    {"line without equals", "[store]\njust some words\n", 2, "not a 'key = value' line"},
    {"bad lang", "[source:a]\ncountry = ES\nlang = spanish\n", 3, "ISO 639-1"},
    {"depth out of range", "[source:a]\ncountry = ES\ndepth = 99\n", 3, "from 0 to 10"},
    {"unknown source key", "[source:a]\ncountry = ES\nurll = https://x/\n", 3,
     "unknown key 'urll'"},
    {"url without host", "[source:a]\ncountry = ES\nurl = https://\n", 3, "no host"},
    {"all dimension weights zero",
     "[score]\nweight.policy = 0\nweight.ecosystem = 0\nweight.infra = 0\nweight.usage = 0\n", 0,
     "at least one dimension weight"},
};

static void test_bad_inputs_name_file_line_and_problem(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	for (size_t i = 0; i < sizeof bad_inputs / sizeof bad_inputs[0]; i++) {
		const struct bad *b = &bad_inputs[i];
		char *path = tu_write(dir, "bad.ini", b->text);
		mct_config *cfg = (mct_config *)1;
		mct_err err = {0};
		mct_status rc = mct_config_load(path, &cfg, &err);
		char *want = mct_xasprintf("%s:%d: ", path, b->line);
		if (rc != MCT_ERR_CONFIG || cfg != NULL ||
		    strncmp(err.msg, want, strlen(want)) != 0 || !strstr(err.msg, b->fragment))
			fail_msg("case '%s': got rc=%d msg='%s', wanted prefix '%s' and '%s'",
			         b->name, rc, err.msg, want, b->fragment);
		free(want);
		free(path);
	}
	tu_rmtree(dir);
	free(dir);
}

static void test_missing_file_is_a_config_error(void **state)
{
	(void)state;
	mct_config *cfg = NULL;
	mct_err err = {0};
	assert_int_equal(mct_config_load("/nonexistent/m.ini", &cfg, &err), MCT_ERR_CONFIG);
	assert_non_null(strstr(err.msg, "/nonexistent/m.ini"));
	assert_null(cfg);
}

static void test_long_lines_are_read_whole(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_puts(&b, "[source:long]\ncountry = EU\nkind = news\nurl = https://example.org/");
	for (int i = 0; i < 600; i++)
		mct_buf_putc(&b, 'a' + i % 26);
	mct_buf_puts(&b, "\n");
	char *path = tu_write(dir, "long.ini", b.data);
	mct_config *cfg = NULL;
	mct_err err = {0};
	assert_int_equal(mct_config_load(path, &cfg, &err), MCT_OK);
	assert_int_equal(strlen(cfg->sources[0].url), strlen("https://example.org/") + 600);
	mct_config_free(cfg);
	mct_buf_free(&b);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_locate_prefers_explicit_then_environment(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char *a = tu_write(dir, "a.ini", "[store]\npath = a.db\n");
	char *b = tu_write(dir, "b.ini", "[store]\npath = b.db\n");
	mct_err err = {0};
	setenv("MCTHERMO_CONFIG", b, 1);
	char *got = mct_config_locate(a, &err);
	assert_string_equal(got, a);
	free(got);
	got = mct_config_locate(NULL, &err);
	assert_string_equal(got, b);
	free(got);
	setenv("MCTHERMO_CONFIG", "/nonexistent.ini", 1);
	assert_null(mct_config_locate(NULL, &err));
	assert_non_null(strstr(err.msg, "MCTHERMO_CONFIG"));
	unsetenv("MCTHERMO_CONFIG");
	free(a);
	free(b);
	tu_rmtree(dir);
	free(dir);
}

static void test_country_codes(void **state)
{
	(void)state;
	assert_true(mct_country_valid("LV"));
	assert_true(mct_country_valid("EU"));
	assert_true(mct_country_valid("GR"));
	assert_false(mct_country_valid("UK"));
	assert_false(mct_country_valid("EL"));
	assert_false(mct_country_valid("lv"));
	assert_false(mct_country_valid("LVA"));
	assert_string_equal(mct_country_name("ES"), "Spain");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_config_loads_with_sources_and_countries),
	    cmocka_unit_test(test_defaults_and_relative_paths_resolve_against_config_folder),
	    cmocka_unit_test(test_bad_inputs_name_file_line_and_problem),
	    cmocka_unit_test(test_missing_file_is_a_config_error),
	    cmocka_unit_test(test_long_lines_are_read_whole),
	    cmocka_unit_test(test_locate_prefers_explicit_then_environment),
	    cmocka_unit_test(test_country_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
