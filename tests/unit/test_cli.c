/*
 * tests/unit/test_cli.c - the command line as a user meets it: the built
 * binary is run as a child process and its exit codes and words checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/mct.h"
#include "../support/testutil.h"

static const char *const commands[] = {"run",     "crawl",    "extract", "score",   "readings",
                                       "history", "evidence", "review",  "explain", "diff",
                                       "sources", "rules",    "text",    "robots",  "report"};

static int run(const char *args, char **out, char **err)
{
	char *cmd = mct_xasprintf("'%s' %s", tu_mcthermo(), args);
	int rc = tu_run(cmd, out, err);
	free(cmd);
	return rc;
}

static void test_help_lists_every_command(void **state)
{
	(void)state;
	char *out, *err;
	assert_int_equal(run("--help", &out, &err), 0);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char *line = mct_xasprintf("\n  %s ", commands[i]);
		if (!strstr(out, line))
			fail_msg("--help does not list '%s'", commands[i]);
		free(line);
	}
	assert_non_null(strstr(out, "Exit codes"));
	free(out);
	free(err);
}

static void test_every_command_has_help(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char *out, *err;
		char *args = mct_xasprintf("%s --help", commands[i]);
		char *usage = mct_xasprintf("usage: mcthermo %s", commands[i]);
		if (run(args, &out, &err) != 0 || strncmp(out, usage, strlen(usage)) != 0)
			fail_msg("'%s' did not print its usage: %s", args, out);
		free(out);
		free(err);
		/* `help NAME` prints the same text */
		char *args2 = mct_xasprintf("help %s", commands[i]);
		char *out2;
		assert_int_equal(run(args2, &out2, &err), 0);
		assert_int_equal(strncmp(out2, usage, strlen(usage)), 0);
		free(out2);
		free(err);
		free(args2);
		free(args);
		free(usage);
	}
}

static void test_unknown_command_exits_2_and_says_so(void **state)
{
	(void)state;
	char *out, *err;
	assert_int_equal(run("frobnicate", &out, &err), 2);
	assert_non_null(strstr(err, "'frobnicate' is not a command"));
	free(out);
	free(err);
	assert_int_equal(run("help frobnicate", &out, &err), 2);
	free(out);
	free(err);
}

static void test_unknown_global_option_exits_2(void **state)
{
	(void)state;
	char *out, *err;
	assert_int_equal(run("--colour sources", &out, &err), 2);
	assert_non_null(strstr(err, "--colour"));
	free(out);
	free(err);
}

static void test_no_command_prints_usage_and_exits_2(void **state)
{
	(void)state;
	char *out, *err;
	assert_int_equal(run("", &out, &err), 2);
	assert_non_null(strstr(err, "usage: mcthermo"));
	free(out);
	free(err);
}

static void test_missing_arguments_exit_2(void **state)
{
	(void)state;
	static const char *const cases[] = {"robots", "robots only-one-arg", "text",
	                                    "rules",  "rules frob",          "evidence show"};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out, *err;
		int rc = run(cases[i], &out, &err);
		if (rc != 2 || !strstr(err, "Try 'mcthermo"))
			fail_msg("'%s' gave exit %d and '%s'", cases[i], rc, err);
		free(out);
		free(err);
	}
}

static void test_version_prints_version(void **state)
{
	(void)state;
	char *out, *err;
	assert_int_equal(run("--version", &out, &err), 0);
	assert_non_null(strstr(out, "mcthermo " MCT_VERSION));
	free(out);
	free(err);
}

static void test_refused_config_exits_2_and_creates_no_database(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char *cfg = tu_write(dir, "bad.ini",
	                     "[store]\npath = never.db\n[source:a]\ncountry = XX\nkind = qa\n"
	                     "url = https://a.example/\n");
	char *args = mct_xasprintf("--config '%s' extract", cfg);
	char *out, *err;
	assert_int_equal(run(args, &out, &err), 2);
	char *want = mct_xasprintf("%s:4:", cfg);
	assert_non_null(strstr(err, want));
	char *db = mct_xasprintf("%s/never.db", dir);
	assert_false(tu_exists(db));
	free(db);
	free(want);
	free(out);
	free(err);
	free(args);
	free(cfg);
	tu_rmtree(dir);
	free(dir);
}

static void test_missing_config_file_exits_2(void **state)
{
	(void)state;
	char *out, *err;
	assert_int_equal(run("--config /nonexistent/m.ini extract", &out, &err), 2);
	assert_non_null(strstr(err, "/nonexistent/m.ini"));
	free(out);
	free(err);
}

static void test_reading_a_missing_database_exits_3(void **state)
{
	(void)state;
	char *out, *err;
	assert_int_equal(run("--db /nonexistent/x.db evidence", &out, &err), 3);
	assert_non_null(strstr(err, "no database"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_help_lists_every_command),
	    cmocka_unit_test(test_every_command_has_help),
	    cmocka_unit_test(test_unknown_command_exits_2_and_says_so),
	    cmocka_unit_test(test_unknown_global_option_exits_2),
	    cmocka_unit_test(test_no_command_prints_usage_and_exits_2),
	    cmocka_unit_test(test_missing_arguments_exit_2),
	    cmocka_unit_test(test_version_prints_version),
	    cmocka_unit_test(test_refused_config_exits_2_and_creates_no_database),
	    cmocka_unit_test(test_missing_config_file_exits_2),
	    cmocka_unit_test(test_reading_a_missing_database_exits_3),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
