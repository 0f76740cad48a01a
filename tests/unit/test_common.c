/*
 * tests/unit/test_common.c - the shared helpers: buffers, paths, dates,
 * hashes and the terminal sanitiser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/mct.h"

static void test_fresh_reserved_buffer_reads_as_empty_string(void **state)
{
	(void)state;
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_reserve(&b, 100);
	assert_string_equal(b.data, "");
	mct_buf_printf(&b, "%d-%s", 42, "x");
	assert_string_equal(b.data, "42-x");
	assert_int_equal(b.len, 4);
	mct_buf_free(&b);
}

static void test_paths_resolve_against_folder_and_fold_dots(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
	    {"/srv/config", "../demo-out/x.html", "/srv/demo-out/x.html"},
	    {"/srv/config", "/abs/file", "/abs/file"},
	    {"/a/b", "./c/./d/../e", "/a/b/c/e"},
	    {".", "../x", "../x"},
	    {"/", "../x", "/x"},
	    {"/a", "b/../../..", "/"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *r = mct_path_resolve(cases[i][0], cases[i][1]);
		assert_string_equal(r, cases[i][2]);
		free(r);
	}
	char *d = mct_path_dirname("/x/y/z.ini");
	assert_string_equal(d, "/x/y");
	free(d);
	d = mct_path_dirname("z.ini");
	assert_string_equal(d, ".");
	free(d);
}

static void test_dates_are_validated(void **state)
{
	(void)state;
	long a, b;
	assert_int_equal(mct_parse_date("2026-01-15", &a), 0);
	assert_int_equal(mct_parse_date("2026-03-15", &b), 0);
	assert_int_equal(b - a, 59);
	assert_int_equal(mct_parse_date("1970-01-01", &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(mct_parse_date("2024-02-29", NULL), 0);
	assert_int_not_equal(mct_parse_date("2026-02-29", NULL), 0);
	assert_int_not_equal(mct_parse_date("2026-13-01", NULL), 0);
	assert_int_not_equal(mct_parse_date("15.01.2026", NULL), 0);
	assert_int_not_equal(mct_parse_date("2026-01-15x", NULL), 0);
}

static void test_sha256_of_known_input(void **state)
{
	(void)state;
	char hex[65];
	mct_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_terminal_sanitiser_strips_escapes_and_controls(void **state)
{
	(void)state;
	const char in[] = "ok\x1b[31mred\x1b[0m\x07 bell\r\n\xc2\x9b"
	                  "csi tab\there ā";
	char *out = mct_sanitize_for_terminal(in, sizeof in - 1);
	assert_string_equal(out, "okred bell\ncsi tab\there ā");
	free(out);
	out = mct_sanitize_for_terminal("", 0);
	assert_string_equal(out, "");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fresh_reserved_buffer_reads_as_empty_string),
	    cmocka_unit_test(test_paths_resolve_against_folder_and_fold_dots),
	    cmocka_unit_test(test_dates_are_validated),
	    cmocka_unit_test(test_sha256_of_known_input),
	    cmocka_unit_test(test_terminal_sanitiser_strips_escapes_and_controls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
