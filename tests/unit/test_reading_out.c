/*
 * tests/unit/test_reading_out.c - how readings are shown: numbers with at
 * most two decimals and never "-0", the change arrow that follows the delta
 * as shown, the confidence sentence, and the JSON object's contract keys in
 * their order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/reading_out.h"

/* What fn wrote to a memory stream. */
static char *capture_num(double x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	mct_out_num(f, x);
	fclose(f);
	return buf;
}

static void expect_num(double x, const char *want)
{
	char *got = capture_num(x);
	assert_string_equal(got, want);
	free(got);
}

static mct_store_reading reading(const char *date, double t)
{
	mct_store_reading r = {0};
	memcpy(r.country, "ES", 3);
	snprintf(r.date, sizeof r.date, "%s", date);
	r.temperature = t;
	snprintf(r.band, sizeof r.band, "warm");
	snprintf(r.method_version, sizeof r.method_version, "2026.1");
	r.dimension[0] = 58.25;
	r.evidence_count = 34;
	r.evidence_confirmed = 5;
	r.evidence_pending = 29;
	r.sources_ok = 12;
	r.sources_total = 15;
	return r;
}

static void test_numbers_have_at_most_two_decimals_and_no_negative_zero(void **state)
{
	(void)state;
	expect_num(46.473857, "46.47");
	expect_num(12.5, "12.5");
	expect_num(100, "100");
	expect_num(0, "0");
	expect_num(-0.004, "0");
	expect_num(0.004, "0");
	expect_num(-3.234, "-3.23");
	expect_num(19.999, "20");
}

static void test_the_arrow_follows_the_delta_as_shown(void **state)
{
	(void)state;
	mct_store_reading prev = reading("2026-01-01", 44.1);
	mct_store_reading up = reading("2026-02-01", 47.3);
	mct_store_reading flat = reading("2026-02-01", 44.14);
	mct_store_reading down = reading("2026-02-01", 43.0);
	char buf[32];
	mct_out_change(buf, sizeof buf, &up, &prev);
	assert_string_equal(buf, "↑ +3.2");
	mct_out_change(buf, sizeof buf, &flat, &prev);
	assert_string_equal(buf, "→ 0.0");
	mct_out_change(buf, sizeof buf, &down, &prev);
	assert_string_equal(buf, "↓ -1.1");
	mct_out_change(buf, sizeof buf, &up, NULL);
	assert_string_equal(buf, "new");
}

static void test_confidence_says_sources_and_evidence_and_low_confidence(void **state)
{
	(void)state;
	mct_store_reading r = reading("2026-02-01", 47.3);
	char buf[128];
	mct_out_confidence(buf, sizeof buf, &r);
	assert_string_equal(buf, "12/15 sources, 34 evidence (5 confirmed)");
	r.low_confidence = 1;
	mct_out_confidence(buf, sizeof buf, &r);
	assert_string_equal(buf, "12/15 sources, 34 evidence (5 confirmed), low confidence");
}

static void test_json_object_starts_with_the_contract_keys(void **state)
{
	(void)state;
	mct_store_reading r = reading("2026-02-01", 47.3333);
	mct_store_reading prev = reading("2026-01-01", 44.1);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fputc('{', f);
	mct_out_reading_json(f, &r, &prev);
	fputc('}', f);
	fclose(f);
	const char *keys[] = {"\"country\": \"ES\"",
	                      "\"date\": \"2026-02-01\"",
	                      "\"temperature\": 47.33",
	                      "\"band\": \"warm\"",
	                      "\"dimensions\": {\"policy\": 58.25, \"ecosystem\": 0, \"infra\": 0, "
	                      "\"usage\": 0}",
	                      "\"evidence_count\": 34",
	                      "\"sources_ok\": 12",
	                      "\"sources_total\": 15",
	                      "\"method_version\": \"2026.1\"",
	                      "\"previous\": {\"date\": \"2026-01-01\", \"temperature\": 44.1",
	                      "\"delta\": 3.23}"};
	const char *at = buf;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *hit = strstr(at, keys[i]);
		if (!hit)
			fail_msg("%s: no %s after position %td", buf, keys[i], at - buf);
		at = hit;
	}
	free(buf);
}

static void test_csv_row_has_as_many_fields_as_the_header(void **state)
{
	(void)state;
	mct_store_reading r = reading("2026-02-01", 47.3);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	mct_out_reading_csv_header(f);
	mct_out_reading_csv(f, &r, NULL);
	fclose(f);
	char *row = strstr(buf, "\r\n") + 2;
	size_t header_commas = 0, row_commas = 0;
	for (const char *p = buf; p < row; p++)
		header_commas += *p == ',';
	for (const char *p = row; *p; p++)
		row_commas += *p == ',';
	assert_int_equal(header_commas, row_commas);
	assert_non_null(strstr(row, "ES,2026-02-01,47.3,warm,58.25,"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers_have_at_most_two_decimals_and_no_negative_zero),
	    cmocka_unit_test(test_the_arrow_follows_the_delta_as_shown),
	    cmocka_unit_test(test_confidence_says_sources_and_evidence_and_low_confidence),
	    cmocka_unit_test(test_json_object_starts_with_the_contract_keys),
	    cmocka_unit_test(test_csv_row_has_as_many_fields_as_the_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
