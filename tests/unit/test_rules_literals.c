/*
 * tests/unit/test_rules_literals.c - the literal prefilter: which literals
 * a pattern is known to need, how patterns split into branches, and the
 * property everything rests on: whenever PCRE2 finds a match, one of the
 * pattern's literals is in the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../rules/rules_internal.h"

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int has(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* The literals of pattern, as a sorted "a|b|c" string ("-" for none). */
static char *literals_of(const char *pattern)
{
	size_t n = 0;
	char **v = mct_required_literals(pattern, &n);
	if (!v)
		return mct_xstrdup("-");
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(v[j], v[i]) < 0) {
				char *t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	mct_buf b;
	mct_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		mct_buf_printf(&b, "%s%s", i ? "|" : "", v[i]);
	free_list(v, n);
	return mct_buf_steal(&b);
}

static void expect_literals(const char *pattern, const char *want)
{
	char *got = literals_of(pattern);
	if (strcmp(got, want) != 0)
		fail_msg("%s: literals \"%s\", want \"%s\"", pattern, got, want);
	free(got);
}

static void literals_follow_sequences_options_and_alternatives(void **state)
{
	(void)state;
	expect_literals("micro[- ]?credentials?",
	                "micro credential|micro credentials|micro-credential|micro-credentials|"
	                "microcredential|microcredentials");
	expect_literals("\\bfund(?:s|ing|ed)?\\b", "fund|funded|funding|funds");
	expect_literals("Real Decreto \\d+/(?:19|20)\\d{2}", "real decreto ");
	expect_literals("(?-i:Act)\\s+\\d{4}", "act");
	expect_literals("[Kk]ey\\b", "key");
	expect_literals("[[:b]x", ":x|[x|bx");
	expect_literals("\\Qa.b\\E", "a.b");
	expect_literals("x\\Qa.b\\Ey", "xa.by");
	/* Quoted to the end of the pattern, and longer than a literal: its
	 * start is still required, nothing after it is read as pattern. */
	expect_literals("\\Qnot LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL \\bNavoica\\b",
	                "not llllllllllllllllllllllllllllllllllllllllllll");
	expect_literals("\\Qñandú\\E", "-");
	expect_literals("(?:grant|subsid)\\w*", "grant|subsid");
	/* Letters outside ASCII end a literal; symbols without case do not. */
	expect_literals("\\bfinanciación\\b", "financiaci");
	expect_literals("€\\s?\\d+", "€");
	/* The more selective of two required pieces is kept. */
	expect_literals("\\bno\\b.{0,20}\\bportal\\b", "portal");
	/* An optional piece multiplies out; a repeated one needs its own literal. */
	expect_literals("(?:national )?register", "national register|register");
	expect_literals("(?:ab)+c", "ab");
}

static void patterns_without_a_reliable_literal_are_unfiltered(void **state)
{
	(void)state;
	expect_literals("\\d{4}", "-");
	expect_literals("(a+)+$", "-");       /* one letter is not selective */
	expect_literals("foo|\\d+", "-");     /* one branch needs nothing */
	expect_literals("(?=abc)\\w+", "-");  /* lookaround consumes nothing */
	expect_literals("(ab)\\1", "-");      /* backreferences are not analysed */
	expect_literals("(?x) a b c", "-");   /* extended mode */
	expect_literals("(*UCP)abc", "-");    /* verbs */
	expect_literals("\\bμικρο\\w*", "-"); /* letters with case variants */
}

static void expect_split(const char *pattern, const char *want)
{
	size_t n = 0;
	char **v = mct_split_alternatives(pattern, &n);
	mct_buf b;
	mct_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		mct_buf_printf(&b, "%s%s", i ? " ; " : "", v[i]);
	if (strcmp(b.data, want) != 0)
		fail_msg("%s: split \"%s\", want \"%s\"", pattern, b.data, want);
	mct_buf_free(&b);
	free_list(v, n);
}

static void patterns_split_into_top_level_alternatives(void **state)
{
	(void)state;
	expect_split("(?:a|b)|c", "a ; b ; c");
	expect_split("((?:x|y))", "x ; y");
	expect_split("(?|p|q)", "p ; q");
	expect_split("a(?:b|c)", "a(?:b|c)");
	expect_split("[a|b]|c", "[a|b] ; c");
	expect_split("\\Qa|b\\E|c", "\\Qa|b\\E ; c");
	expect_split("a\\|b|c", "a\\|b ; c");
	expect_split("\\c|x|y", "\\c|x ; y"); /* \c| is the control character of | */
	expect_split("[\\c]|]x|y", "[\\c]|]x ; y");
	expect_split("[\\Q]|\\E]x|y", "[\\Q]|\\E]x ; y");
	expect_split("(*UCP)a|b", "(*UCP)a|b");
	/* "[:" starts a POSIX item only when PCRE2 says so */
	expect_split("[[:alpha:]|]x|y", "[[:alpha:]|]x ; y");
	expect_split("[a[:b]|c|d", "[a[:b] ; c ; d");
	expect_split("(?=x|y)z", "(?=x|y)z");
	expect_split("(?i:x|y)", "(?i:x|y)");
	/* Kept whole: an option setting reaching over later branches, and
	 * group numbers that splitting would change. */
	expect_split("(?i)a|b", "(?i)a|b");
	expect_split("(a)\\1|b", "(a)\\1|b");
	expect_split("(?:(a)|b)(?1)", "(?:(a)|b)(?1)");
}

/* The property the prefilter rests on, on patterns like the shipped ones
 * and texts that do or do not match them. */
static void every_match_holds_one_of_the_literals(void **state)
{
	(void)state;
	static const char *const patterns[] = {
	    "micro[- ]?credentials?",
	    "\\bfund(?:s|ing|ed)?\\b|\\bgrants?\\b",
	    "(?:€|EUR)\\s?\\d+(?:[.,]\\d+)*(?:\\s?(?:million|billion))?",
	    "\\b(?:real\\s+)?d[eé]cre(?:to|t)\\s+\\d+/\\d{4}",
	    "\\bmikro(?:-\\s*|\\s+)?k[vw]alifik[aā]c(?:ij|j)\\w*",
	    "(?-i:AIKA|HAKA)|\\baneca\\b",
	    "\\black of (?:an? )?(?:\\w+ ){0,2}definition",
	    "[Kk]ey(?:s|board)?|\\bschlüssel\\w*",
	    "\\bSpānij\\w*|\\bSpain\\b",
	    "(?:ab|cd)(?:ef|gh)\\b",
	};
	static const char *const texts[] = {
	    "The MICRO-CREDENTIALS were funded with EUR 5 million.",
	    "Real Decreto 822/2021 y decret 5/2022.",
	    "Mikrokvalifikācijas un MIKRO KWALIFIKACJE.",
	    "AIKA and aika, ANECA.",
	    "A lack of a national definition; KEYS; Schlüsselwort.",
	    "Spānijā, SPAIN, spānija.",
	    "abEF cdgh ABGH",
	    "nothing here at all",
	};
	mct_matcher m;
	mct_matcher_init(&m);
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		int ec;
		PCRE2_SIZE off;
		pcre2_code *c = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
		                              MCT_RE_OPTIONS, &ec, &off, NULL);
		assert_non_null(c);
		size_t n = 0;
		char **lits = mct_required_literals(patterns[i], &n);
		assert_non_null(lits);
		size_t matched = 0;
		for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
			size_t ms, me;
			if (mct_code_find(&m, c, texts[t], strlen(texts[t]), 0, &ms, &me, "p",
			                  "") != 1)
				continue;
			matched++;
			if (!mct_literals_in(lits, n, texts[t] + ms, me - ms))
				fail_msg("%s matches \"%.*s\" without any of its literals",
				         patterns[i], (int)(me - ms), texts[t] + ms);
		}
		assert_true(matched > 0);
		assert_true(has(lits, n, lits[0]));
		free_list(lits, n);
		pcre2_code_free(c);
	}
	mct_matcher_free(&m);
}

typedef struct {
	size_t at[16];
	size_t len[16];
	size_t n;
} scan_log;

static void log_hit(void *ctx, const mct_literal *l, size_t start, size_t end)
{
	scan_log *log = ctx;
	(void)l;
	if (log->n < 16) {
		log->at[log->n] = start;
		log->len[log->n++] = end - start;
	}
}

static void the_scan_finds_literals_case_folded_and_in_order(void **state)
{
	(void)state;
	mct_literal_index ix;
	memset(&ix, 0, sizeof ix);
	char *a[] = {"fund", "funding"}, *b[] = {"€"}, *c[] = {"fund"};
	mct_literal_index_add(&ix, 0, a, 2);
	mct_literal_index_add(&ix, 1, b, 1);
	mct_literal_index_add(&ix, 2, c, 1);
	mct_literal_index_finish(&ix);
	assert_int_equal(ix.nlits, 3);
	static const char text[] = "FUNDING of €5; Funds.";
	scan_log seen = {{0}, {0}, 0};
	mct_literal_scan(&ix, text, strlen(text), log_hit, &seen);
	/* fund@0 (targets 0 and 2), funding@0, €@11, fund@17 */
	assert_int_equal(seen.n, 4);
	for (size_t i = 1; i < seen.n; i++)
		assert_true(seen.at[i] >= seen.at[i - 1]);
	assert_int_equal(seen.at[2], 11);
	assert_int_equal(seen.len[2], 3);
	assert_int_equal(seen.at[3], 17);
	mct_literal_index_free(&ix);
}

/* KELVIN SIGN and LONG S match k and s caselessly: the scan sees them as
 * those letters and reports offsets in the original text. */
static void the_scan_sees_kelvin_sign_and_long_s_as_k_and_s(void **state)
{
	(void)state;
	mct_literal_index ix;
	memset(&ix, 0, sizeof ix);
	char *a[] = {"key"}, *b[] = {"spain"}, *c[] = {"fund"};
	mct_literal_index_add(&ix, 0, a, 1);
	mct_literal_index_add(&ix, 1, b, 1);
	mct_literal_index_add(&ix, 2, c, 1);
	mct_literal_index_finish(&ix);
	/* "\u212AEY: \u017Fpain fund" */
	static const char text[] = "\xe2\x84\xaa"
	                           "EY: \xc5\xbf"
	                           "pain fund";
	scan_log seen = {{0}, {0}, 0};
	mct_literal_scan(&ix, text, strlen(text), log_hit, &seen);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.at[0], 0); /* key: 3 + 2 bytes */
	assert_int_equal(seen.len[0], 5);
	assert_int_equal(seen.at[1], 7); /* spain: 2 + 4 bytes */
	assert_int_equal(seen.len[1], 6);
	assert_int_equal(seen.at[2], 14); /* fund, after both */
	assert_int_equal(seen.len[2], 4);
	assert_memory_equal(text + seen.at[2], "fund", 4);
	assert_true(mct_literals_in(a, 1, text, strlen(text)));
	assert_true(mct_literals_in(b, 1, text, strlen(text)));
	mct_literal_index_free(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(literals_follow_sequences_options_and_alternatives),
	    cmocka_unit_test(patterns_without_a_reliable_literal_are_unfiltered),
	    cmocka_unit_test(patterns_split_into_top_level_alternatives),
	    cmocka_unit_test(every_match_holds_one_of_the_literals),
	    cmocka_unit_test(the_scan_finds_literals_case_folded_and_in_order),
	    cmocka_unit_test(the_scan_sees_kelvin_sign_and_long_s_as_k_and_s),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
