/*
 * tests/unit/test_robots.c - robots.txt parsing and evaluation.
 *
 * One test per rule of RFC 9309 section 2 (named test_2_x_... after the
 * section it pins), the examples of section 5, and the leniencies this
 * parser shares with Google's reference parser (missing colons, misspelled
 * record names, byte order marks).  Sections 2.3 (how robots.txt is fetched,
 * HTTP errors, redirects) and 2.4 (caching) belong to the fetcher and are
 * tested there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../crawler/crawler.h"

static mct_robots_verdict check(const char *txt, const char *agent, const char *url)
{
	mct_robots *r = mct_robots_parse(txt, strlen(txt));
	assert_non_null(r);
	mct_robots_verdict v = mct_robots_check(r, agent, url);
	mct_robots_free(r);
	return v;
}

static int allowed(const char *txt, const char *agent, const char *url)
{
	return check(txt, agent, url).allowed;
}

/* ---- 2.1 protocol definition ------------------------------------------ */

static void test_2_1_records_are_name_colon_value_and_unknown_names_are_ignored(void **state)
{
	(void)state;
	assert_false(allowed("user-agent: FooBot\ndisallow: /\n", "FooBot", "/x/y"));
	assert_true(allowed("foo: FooBot\nbar: /\n", "FooBot", "/x/y"));
	assert_true(allowed("user-agent: FooBot\ncrawl-delay: 10\n", "FooBot", "/x/y"));
}

static void test_2_1_rules_outside_any_group_are_ignored(void **state)
{
	(void)state;
	const char *txt = "disallow: /\n"
	                  "allow: /foo/\n"
	                  "\n"
	                  "user-agent: FooBot\n"
	                  "disallow: /private\n";
	assert_true(allowed(txt, "FooBot", "/public"));
	assert_true(allowed(txt, "OtherBot", "/anything"));
	assert_false(allowed(txt, "FooBot", "/private"));
}

static void test_2_1_record_names_are_case_insensitive(void **state)
{
	(void)state;
	const char *variants[] = {
	    "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n",
	    "user-agent: FooBot\nallow: /x/\ndisallow: /\n",
	    "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n",
	};
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		assert_true(allowed(variants[i], "FooBot", "/x/y"));
		assert_false(allowed(variants[i], "FooBot", "/a/b"));
	}
}

static void test_2_1_white_space_around_names_values_and_colon_is_tolerated(void **state)
{
	(void)state;
	const char *txt = "   User-agent   :   FooBot   \n"
	                  "\tDisallow\t:\t/tabbed\t\n"
	                  "Disallow:/tight\n"
	                  "  Allow :  /tight/open  \n";
	assert_false(allowed(txt, "FooBot", "/tabbed/page"));
	assert_false(allowed(txt, "FooBot", "/tight"));
	assert_true(allowed(txt, "FooBot", "/tight/open/x"));
	assert_true(allowed(txt, "FooBot", "/elsewhere"));
}

static void test_2_1_cr_lf_and_crlf_all_end_lines(void **state)
{
	(void)state;
	const char *files[] = {
	    "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /\n",
	    "User-Agent: foo\r\nAllow: /some/path\r\nUser-Agent: bar\r\n\r\n\r\nDisallow: /\r\n",
	    "User-Agent: foo\rAllow: /some/path\rUser-Agent: bar\r\r\rDisallow: /\r",
	    "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		mct_robots_verdict v = check(files[i], "bar", "/x");
		assert_false(v.allowed);
		assert_int_equal(v.line, 6);
		assert_string_equal(v.rule, "Disallow: /");
		/* foo's group ends where bar's begins */
		v = check(files[i], "foo", "/some/path");
		assert_true(v.allowed);
		assert_int_equal(v.line, 2);
	}
}

static void test_2_1_utf8_byte_order_mark_is_skipped(void **state)
{
	(void)state;
	const char *with_bom[] = {
	    "\xEF\xBB\xBFUser-Agent: foo\nDisallow: /x\n",
	    "\xEF\xBBUser-Agent: foo\nDisallow: /x\n", /* a cut BOM too */
	    "\357User-Agent: foo\nDisallow: /x\n",     /* 0xEF alone */
	};
	for (size_t i = 0; i < sizeof with_bom / sizeof with_bom[0]; i++) {
		mct_robots_verdict v = check(with_bom[i], "foo", "/x");
		assert_false(v.allowed);
		assert_int_equal(v.line, 2);
	}
	/* a broken BOM leaves garbage in line 1, so no group starts */
	assert_true(allowed("\xEF\x11\xBFUser-Agent: foo\nDisallow: /x\n", "foo", "/x"));
	/* a BOM is only skipped at the start of the file */
	assert_true(allowed("User-Agent: foo\n\xEF\xBB\xBF"
	                    "Disallow: /x\n",
	                    "foo", "/x"));
}

static void test_2_1_empty_lines_and_comments_do_not_end_a_group(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\n"
	                  "\n"
	                  "# BarBot shares the group\n"
	                  "user-agent: BarBot\n"
	                  "\n"
	                  "disallow: /a\n"
	                  "\n"
	                  "   \n"
	                  "disallow: /b\n";
	assert_false(allowed(txt, "FooBot", "/a"));
	assert_false(allowed(txt, "FooBot", "/b"));
	assert_false(allowed(txt, "BarBot", "/a"));
	assert_false(allowed(txt, "BarBot", "/b"));
}

static void test_2_1_a_user_agent_line_after_rules_starts_a_new_group(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\n"
	                  "disallow: /a\n"
	                  "user-agent: BarBot\n"
	                  "disallow: /b\n";
	assert_false(allowed(txt, "FooBot", "/a"));
	assert_true(allowed(txt, "FooBot", "/b"));
	assert_true(allowed(txt, "BarBot", "/a"));
	assert_false(allowed(txt, "BarBot", "/b"));
}

static void test_2_2_4_other_records_do_not_end_a_group(void **state)
{
	(void)state;
	const char *with_sitemap = "User-agent: BarBot\n"
	                           "Sitemap: https://example.org/sitemap.xml\n"
	                           "User-agent: *\n"
	                           "Disallow: /\n";
	assert_false(allowed(with_sitemap, "BarBot", "/"));
	assert_false(allowed(with_sitemap, "FooBot", "/"));
	const char *with_unknown = "User-agent: FooBot\n"
	                           "Invalid-Unknown-Line: unknown\n"
	                           "User-agent: *\n"
	                           "Disallow: /\n";
	assert_false(allowed(with_unknown, "FooBot", "/"));
	assert_false(allowed(with_unknown, "BarBot", "/"));
}

static void test_2_1_missing_colon_is_accepted_for_two_word_lines(void **state)
{
	(void)state;
	const char *txt = "user-agent FooBot\n"
	                  "disallow /\n"
	                  "allow /open extra words\n";
	assert_false(allowed(txt, "FooBot", "/x/y"));
	/* three words and no colon: the line is ignored */
	assert_false(allowed(txt, "FooBot", "/open"));
	mct_robots_verdict v = check(txt, "FooBot", "/x");
	assert_int_equal(v.line, 2);
	assert_string_equal(v.rule, "disallow /");
}

static void test_2_1_common_misspellings_of_record_names_are_accepted(void **state)
{
	(void)state;
	const char *ua[] = {"useragent", "user agent", "User-Agents"};
	for (size_t i = 0; i < sizeof ua / sizeof ua[0]; i++) {
		char txt[128];
		snprintf(txt, sizeof txt, "%s: FooBot\nDisallow: /\n", ua[i]);
		assert_false(allowed(txt, "FooBot", "/x"));
	}
	const char *dis[] = {"dissallow", "dissalow", "disalow", "diasllow", "disallaw"};
	for (size_t i = 0; i < sizeof dis / sizeof dis[0]; i++) {
		char txt[128];
		snprintf(txt, sizeof txt, "User-agent: FooBot\n%s: /\n", dis[i]);
		assert_false(allowed(txt, "FooBot", "/x"));
	}
	/* no misspelling of "allow" is known, and "alow" must not allow */
	assert_false(allowed("User-agent: FooBot\nDisallow: /\nAlow: /x\n", "FooBot", "/x"));
	const char *sitemap = "Site-map: https://example.org/s.xml\n";
	mct_robots *r = mct_robots_parse(sitemap, strlen(sitemap));
	assert_int_equal(mct_robots_sitemap_count(r), 1);
	assert_string_equal(mct_robots_sitemap(r, 0), "https://example.org/s.xml");
	mct_robots_free(r);
}

/* ---- 2.2.1 the user-agent line ---------------------------------------- */

static void test_2_2_1_product_token_matches_case_insensitively(void **state)
{
	(void)state;
	const char *files[] = {
	    "User-Agent: FOOBOT\nAllow: /x/\nDisallow: /\n",
	    "User-Agent: foobot\nAllow: /x/\nDisallow: /\n",
	    "User-Agent: FoObOt\nAllow: /x/\nDisallow: /\n",
	};
	const char *agents[] = {"FooBot", "foobot", "FOOBOT"};
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++) {
			assert_true(allowed(files[i], agents[j], "/x/y"));
			assert_false(allowed(files[i], agents[j], "/a/b"));
		}
}

static void test_2_2_1_product_token_is_the_leading_letters_dashes_and_underscores(void **state)
{
	(void)state;
	const char *txt = "User-agent: *\n"
	                  "Disallow: /\n"
	                  "\n"
	                  "User-agent: Foo-Bot_2/1.0 (+https://example.org)\n"
	                  "Allow: /foo/\n"
	                  "\n"
	                  "User-agent: Bar Baz\n"
	                  "Allow: /bar/\n";
	assert_true(allowed(txt, "foo-bot_", "/foo/x"));
	assert_true(allowed(txt, "foo-bot_2", "/foo/x")); /* "2" is not part of a token */
	assert_false(allowed(txt, "Foo-Bot", "/foo/x"));  /* the token is "Foo-Bot_" */
	assert_true(allowed(txt, "Bar", "/bar/x"));
	assert_false(allowed(txt, "Baz", "/bar/x"));
	/* the agent given to the check is reduced to its product token too */
	assert_true(allowed(txt, "Bar/3.1 (compatible)", "/bar/x"));
	assert_false(allowed(txt, "Foo", "/foo/x")); /* a prefix is not the token */
}

static void test_2_2_1_several_user_agent_lines_form_one_group(void **state)
{
	(void)state;
	const char *txt = "User-agent: BarBot\n"
	                  "User-agent: BazBot\n"
	                  "Disallow: /shared\n";
	assert_false(allowed(txt, "BarBot", "/shared"));
	assert_false(allowed(txt, "BazBot", "/shared"));
	assert_true(allowed(txt, "QuxBot", "/shared"));
}

static void test_2_2_1_groups_for_the_same_agent_are_merged(void **state)
{
	(void)state;
	/* the merge example of section 2.2.1 */
	const char *txt = "user-agent: ExampleBot\n"
	                  "disallow: /foo\n"
	                  "disallow: /bar\n"
	                  "\n"
	                  "user-agent: ExampleBot\n"
	                  "disallow: /baz\n";
	assert_false(allowed(txt, "ExampleBot", "/foo"));
	assert_false(allowed(txt, "ExampleBot", "/bar"));
	assert_false(allowed(txt, "ExampleBot", "/baz"));
	assert_true(allowed(txt, "ExampleBot", "/qux"));
	/* groups are merged wherever they are, and their rules compete by length */
	const char *apart = "user-agent: FooBot\n"
	                    "disallow: /\n"
	                    "user-agent: BarBot\n"
	                    "disallow: /y/\n"
	                    "user-agent: FooBot\n"
	                    "allow: /z/\n";
	assert_true(allowed(apart, "FooBot", "/z/d"));
	assert_false(allowed(apart, "FooBot", "/y/c"));
	assert_true(allowed(apart, "BarBot", "/z/d"));
	assert_int_equal(check(apart, "FooBot", "/z/d").line, 6);
}

static void test_2_2_1_star_group_applies_when_no_group_matches(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\n"
	                  "disallow: /foo\n"
	                  "user-agent: *\n"
	                  "disallow: /all\n";
	assert_false(allowed(txt, "OtherBot", "/all"));
	assert_true(allowed(txt, "OtherBot", "/foo"));
	assert_false(allowed(txt, "FooBot", "/foo"));
	/* the star group does not add to a matching group */
	assert_true(allowed(txt, "FooBot", "/all"));
}

static void test_2_2_1_star_groups_are_merged_too(void **state)
{
	(void)state;
	const char *txt = "user-agent: *\n"
	                  "disallow: /a\n"
	                  "user-agent: FooBot\n"
	                  "disallow: /\n"
	                  "user-agent: *\n"
	                  "disallow: /b\n";
	assert_false(allowed(txt, "OtherBot", "/a"));
	assert_false(allowed(txt, "OtherBot", "/b"));
	assert_true(allowed(txt, "OtherBot", "/c"));
}

static void test_2_2_1_star_followed_by_other_text_still_names_every_agent(void **state)
{
	(void)state;
	assert_false(allowed("User-agent: * everyone\nDisallow: /\n", "FooBot", "/x"));
	/* "*bot" is no product token and no star: it names nobody */
	assert_true(allowed("User-agent: *bot\nDisallow: /\n", "FooBot", "/x"));
}

static void test_2_2_1_a_matching_empty_group_allows_everything(void **state)
{
	(void)state;
	const char *txt = "User-agent: *\n"
	                  "Disallow: /\n"
	                  "\n"
	                  "User-agent: QuxBot\n";
	assert_true(allowed(txt, "QuxBot", "/anything"));
	assert_false(allowed(txt, "OtherBot", "/anything"));
}

static void test_2_2_1_without_matching_or_star_group_no_rules_apply(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\n"
	                  "disallow: /\n"
	                  "user-agent: BarBot\n"
	                  "disallow: /\n";
	assert_true(allowed(txt, "QuxBot", "/x/y"));
	assert_true(allowed("", "FooBot", "/x/y"));
	assert_true(allowed("# nothing but a comment\n", "FooBot", "/x/y"));
	/* an empty agent matches no named group */
	assert_true(allowed(txt, "", "/x/y"));
	assert_true(allowed("user-agent:\ndisallow: /\n", "", "/x/y"));
}

static void test_2_2_1_a_group_naming_star_and_an_agent_serves_both(void **state)
{
	(void)state;
	const char *txt = "user-agent: *\n"
	                  "user-agent: FooBot\n"
	                  "disallow: /shared\n"
	                  "user-agent: BarBot\n"
	                  "disallow: /bar\n";
	assert_false(allowed(txt, "FooBot", "/shared"));
	assert_false(allowed(txt, "OtherBot", "/shared"));
	assert_true(allowed(txt, "BarBot", "/shared"));
}

/* ---- 2.2.2 the allow and disallow lines ------------------------------- */

static void test_2_2_2_matching_starts_at_the_first_octet_of_the_path(void **state)
{
	(void)state;
	const char *txt = "user-agent: *\ndisallow: /x\n";
	assert_false(allowed(txt, "a", "/x"));
	assert_false(allowed(txt, "a", "/xyz/w"));
	assert_true(allowed(txt, "a", "/a/x"));
	/* a pattern without the leading slash can never match */
	assert_true(allowed("user-agent: *\ndisallow: x\n", "a", "/x"));
}

static void test_2_2_2_matching_is_case_sensitive(void **state)
{
	(void)state;
	assert_false(allowed("user-agent: FooBot\ndisallow: /x/\n", "FooBot", "/x/y"));
	assert_true(allowed("user-agent: FooBot\ndisallow: /X/\n", "FooBot", "/x/y"));
}

static void test_2_2_2_the_longest_matching_rule_wins(void **state)
{
	(void)state;
	const char *a = "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n";
	assert_false(allowed(a, "FooBot", "/x/page.html"));
	assert_true(allowed(a, "FooBot", "/x/other.html"));
	const char *b = "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n";
	assert_true(allowed(b, "FooBot", "/x/page.html"));
	assert_false(allowed(b, "FooBot", "/x/"));
	const char *c = "user-agent: FooBot\ndisallow: /x\nallow: /x/\n";
	assert_false(allowed(c, "FooBot", "/x"));
	assert_true(allowed(c, "FooBot", "/x/"));
	/* wildcards count as octets of the pattern */
	const char *d = "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n";
	assert_false(allowed(d, "FooBot", "/page.html"));
	assert_true(allowed(d, "FooBot", "/page"));
	const char *e = "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n";
	assert_true(allowed(e, "FooBot", "/x/page.html"));
	assert_false(allowed(e, "FooBot", "/x/y.html"));
	const char *f = "user-agent: FooBot\nallow: /$\ndisallow: /\n";
	assert_true(allowed(f, "FooBot", "/"));
	assert_false(allowed(f, "FooBot", "/page.html"));
}

static void test_2_2_2_allow_wins_when_rules_are_equally_long(void **state)
{
	(void)state;
	mct_robots_verdict v =
	    check("user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", "FooBot",
	          "/x/page.html");
	assert_true(v.allowed);
	assert_int_equal(v.line, 3);
	assert_true(allowed("user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "FooBot",
	                    "/folder/page"));
	assert_true(allowed("user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot", "/a"));
	/* different patterns of one length: still the allow */
	assert_true(allowed("user-agent: FooBot\ndisallow: /a*\nallow: /*c\n", "FooBot", "/abc"));
}

static void test_2_2_2_empty_disallow_disallows_nothing(void **state)
{
	(void)state;
	mct_robots_verdict v = check("user-agent: FooBot\ndisallow:\n", "FooBot", "/x");
	assert_true(v.allowed);
	assert_int_equal(v.line, 0);
	assert_string_equal(v.rule, "");
	assert_true(allowed("user-agent: FooBot\ndisallow: \nallow: \n", "FooBot", "/x"));
	/* but it still makes the group match, so the star group is not used */
	assert_true(
	    allowed("user-agent: *\ndisallow: /\nuser-agent: FooBot\ndisallow:\n", "FooBot", "/x"));
}

static void test_2_2_2_a_path_no_rule_matches_is_allowed(void **state)
{
	(void)state;
	mct_robots_verdict v = check("user-agent: *\ndisallow: /private\n", "FooBot", "/public");
	assert_true(v.allowed);
	assert_int_equal(v.line, 0);
	assert_string_equal(v.rule, "");
}

static void test_2_2_2_robots_txt_itself_is_always_allowed(void **state)
{
	(void)state;
	const char *txt = "user-agent: *\ndisallow: /\ndisallow: /robots.txt\n";
	assert_true(allowed(txt, "FooBot", "/robots.txt"));
	assert_true(allowed(txt, "FooBot", "https://example.org/robots.txt"));
	assert_true(allowed(txt, "FooBot", "/robots.txt?x=1"));
	assert_false(allowed(txt, "FooBot", "/robots.txt.bak"));
	assert_false(allowed(txt, "FooBot", "/dir/robots.txt"));
}

static void test_2_2_2_the_query_is_part_of_the_path(void **state)
{
	(void)state;
	const char *txt = "user-agent: *\n"
	                  "disallow: /search?q=\n"
	                  "disallow: /*?sort=\n";
	assert_false(allowed(txt, "a", "/search?q=x"));
	assert_true(allowed(txt, "a", "/search"));
	assert_false(allowed(txt, "a", "/list?sort=asc"));
	assert_true(allowed(txt, "a", "/list?page=2"));
}

/* RFC 9309 section 2.2.2: the examples of percent-encoding, one row each. */
static void test_2_2_2_percent_encoding_plain_query_is_compared_as_is(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\ndisallow: /\nallow: /foo/bar?baz=quz\n";
	assert_true(allowed(txt, "FooBot", "/foo/bar?baz=quz"));
	assert_false(allowed(txt, "FooBot", "/foo/bar?baz=qu"));
}

static void test_2_2_2_percent_encoding_reserved_characters_stay_encoded(void **state)
{
	(void)state;
	const char *enc = "user-agent: FooBot\ndisallow: /\n"
	                  "allow: /foo/bar?baz=https%3A%2F%2Ffoo.bar\n";
	assert_true(allowed(enc, "FooBot", "/foo/bar?baz=https%3A%2F%2Ffoo.bar"));
	assert_true(allowed(enc, "FooBot", "/foo/bar?baz=https%3a%2f%2ffoo.bar"));
	/* an encoded reserved octet is not the same as the raw delimiter */
	assert_true(allowed("user-agent: *\ndisallow: /a%2Fb\n", "x", "/a/b"));
	assert_false(allowed("user-agent: *\ndisallow: /a%2fb\n", "x", "/a%2Fb"));
	/* written raw on both sides, raw reserved characters match */
	const char *raw = "user-agent: FooBot\ndisallow: /\n"
	                  "allow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n";
	assert_true(allowed(raw, "FooBot", "/foo/bar?qux=taz&baz=http://foo.bar?tar&par"));
}

static void test_2_2_2_percent_encoding_non_ascii_pattern_is_encoded(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\ndisallow: /\nallow: /foo/bar/\xE3\x83\x84\n";
	assert_true(allowed(txt, "FooBot", "/foo/bar/%E3%83%84"));
	assert_true(allowed(txt, "FooBot", "/foo/bar/%e3%83%84"));
	/* the URL is encoded before comparison too */
	assert_true(allowed(txt, "FooBot", "/foo/bar/\xE3\x83\x84"));
	assert_false(allowed(txt, "FooBot", "/foo/bar/%E3%83"));
}

static void test_2_2_2_percent_encoding_encoded_non_ascii_pattern_matches(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\ndisallow: /\nallow: /foo/bar/%E3%83%84\n";
	assert_true(allowed(txt, "FooBot", "/foo/bar/%E3%83%84"));
	assert_true(allowed(txt, "FooBot", "/foo/bar/\xE3\x83\x84"));
	const char *lower = "user-agent: FooBot\ndisallow: /\nallow: /foo/bar/%e3%83%84\n";
	assert_true(allowed(lower, "FooBot", "/foo/bar/%E3%83%84"));
}

static void test_2_2_2_percent_encoding_unreserved_octets_are_decoded(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\ndisallow: /\nallow: /foo/bar/%62%61%7A\n";
	assert_true(allowed(txt, "FooBot", "/foo/bar/baz"));
	assert_true(allowed(txt, "FooBot", "/foo/bar/%62%61%7a"));
	const char *plain = "user-agent: FooBot\ndisallow: /\nallow: /~user/baz\n";
	assert_true(allowed(plain, "FooBot", "/%7Euser/%62az"));
	/* the decoded length counts for the longest match */
	mct_robots_verdict v =
	    check("user-agent: FooBot\nallow: /%61%62\ndisallow: /abc\n", "FooBot", "/abcd");
	assert_false(v.allowed);
	assert_int_equal(v.line, 3);
}

static void test_2_2_2_octets_that_cannot_stand_raw_in_a_url_are_encoded(void **state)
{
	(void)state;
	assert_false(allowed("user-agent: *\ndisallow: /100%\n", "x", "/100%25"));
	assert_false(allowed("user-agent: *\ndisallow: /a%20b\n", "x", "/a b"));
	assert_false(allowed("user-agent: *\ndisallow: /a|b\n", "x", "/a%7cb"));
}

/* ---- 2.2.3 special characters ----------------------------------------- */

static void test_2_2_3_star_matches_any_run_of_octets_including_slash(void **state)
{
	(void)state;
	const char *txt = "User-agent: FooBot\nDisallow: /\nAllow: /foo/*/qux\n";
	assert_true(allowed(txt, "FooBot", "/foo/bar/qux"));
	assert_true(allowed(txt, "FooBot", "/foo//qux"));
	assert_true(allowed(txt, "FooBot", "/foo/a/b/c/qux/more"));
	assert_false(allowed(txt, "FooBot", "/foo/qux"));
	const char *php = "user-agent: FooBot\ndisallow: /\nallow: /*.php\n";
	assert_true(allowed(php, "FooBot", "/filename.php"));
	assert_true(allowed(php, "FooBot", "/folder/any.php.file.html"));
	assert_true(allowed(php, "FooBot", "/index?f=filename.php/"));
	assert_false(allowed(php, "FooBot", "/windows.PHP"));
	/* "/fish*" is the same as "/fish" */
	const char *fish = "user-agent: FooBot\ndisallow: /\nallow: /fish*\n";
	assert_true(allowed(fish, "FooBot", "/fish"));
	assert_true(allowed(fish, "FooBot", "/fishheads/yummy.html"));
	assert_false(allowed(fish, "FooBot", "/catfish"));
	/* pieces are placed in order */
	const char *abc = "user-agent: *\ndisallow: /*a*b*c\n";
	assert_false(allowed(abc, "x", "/xaybzc"));
	assert_true(allowed(abc, "x", "/cba"));
	assert_false(allowed("user-agent: *\ndisallow: ***\n", "x", "/"));
}

static void test_2_2_3_dollar_anchors_the_end_of_the_pattern(void **state)
{
	(void)state;
	const char *txt = "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n";
	assert_true(allowed(txt, "FooBot", "/filename.php"));
	assert_true(allowed(txt, "FooBot", "/folder/filename.php"));
	assert_false(allowed(txt, "FooBot", "/filename.php?parameters"));
	assert_false(allowed(txt, "FooBot", "/filename.php/"));
	assert_false(allowed(txt, "FooBot", "/filename.php5"));
	const char *exact = "User-agent: FooBot\nDisallow: /foo/bar$\n";
	assert_false(allowed(exact, "FooBot", "/foo/bar"));
	assert_true(allowed(exact, "FooBot", "/foo/bar/"));
	assert_true(allowed(exact, "FooBot", "/foo/bar?x"));
	/* the last piece must end the path, even when it also occurs earlier */
	const char *late = "user-agent: *\ndisallow: /*ab$\n";
	assert_false(allowed(late, "x", "/ab/ab"));
	assert_true(allowed(late, "x", "/ab/a"));
	/* "$" alone can never match a path, which always starts with "/" */
	assert_true(allowed("user-agent: *\ndisallow: $\n", "x", "/"));
}

static void test_2_2_3_dollar_inside_a_pattern_is_a_literal(void **state)
{
	(void)state;
	const char *txt = "user-agent: *\ndisallow: /price$list\n";
	assert_false(allowed(txt, "x", "/price$list"));
	assert_false(allowed(txt, "x", "/price%24list.html"));
	assert_true(allowed(txt, "x", "/price"));
}

static void test_2_2_3_hash_starts_a_comment(void **state)
{
	(void)state;
	const char *txt = "User-agent: FooBot # our crawler\n"
	                  "# Disallow: /\n"
	                  "Disallow: /foo/quz#qux\n"
	                  "Allow: / # everything else\n";
	assert_true(allowed(txt, "FooBot", "/foo/bar"));
	assert_false(allowed(txt, "FooBot", "/foo/quz"));
	mct_robots_verdict v = check(txt, "FooBot", "/foo/quz");
	assert_string_equal(v.rule, "Disallow: /foo/quz");
}

static void test_2_2_3_percent_encoded_star_and_dollar_match_literally(void **state)
{
	(void)state;
	const char *star = "user-agent: *\ndisallow: /path/file-with-a-%2A.html\n";
	assert_false(allowed(star, "x", "https://www.example.com/path/file-with-a-*.html"));
	assert_false(allowed(star, "x", "/path/file-with-a-%2a.html"));
	assert_true(allowed(star, "x", "/path/file-with-a-b.html"));
	const char *dollar = "user-agent: *\ndisallow: /path/foo-%24\n";
	assert_false(allowed(dollar, "x", "https://www.example.com/path/foo-$"));
	assert_false(allowed(dollar, "x", "/path/foo-$/more"));
	assert_true(allowed(dollar, "x", "/path/foo-"));
	/* an encoded star is no wildcard */
	assert_true(allowed("user-agent: *\ndisallow: /a%2A\n", "x", "/ab"));
}

/* ---- 2.5 limits ------------------------------------------------------- */

/* A file of exactly `size` bytes: a group line, comment filler, then `tail`
 * placed so that it ends at byte `tail_end`. */
static char *padded_file(size_t size, const char *tail, size_t tail_end)
{
	const char *head = "User-agent: *\n";
	char *buf = malloc(size + 1);
	assert_non_null(buf);
	memset(buf, '#', size);
	memcpy(buf, head, strlen(head));
	size_t t = strlen(tail);
	buf[tail_end - t - 1] = '\n';
	memcpy(buf + tail_end - t, tail, t);
	if (tail_end < size)
		buf[tail_end] = '\n';
	buf[size] = '\0';
	return buf;
}

static void test_2_5_only_the_first_500_kib_are_parsed(void **state)
{
	(void)state;
	const size_t max = MCT_ROBOTS_MAX_BYTES;
	/* a rule that ends right at the limit counts */
	char *at = padded_file(max + 100, "Disallow: /in", max);
	mct_robots *r = mct_robots_parse(at, max + 100);
	assert_false(mct_robots_check(r, "x", "/in").allowed);
	mct_robots_free(r);
	free(at);
	/* a rule after the limit does not */
	char *after = padded_file(max + 100, "Disallow: /out", max + 50);
	r = mct_robots_parse(after, max + 100);
	assert_true(mct_robots_check(r, "x", "/out").allowed);
	mct_robots_free(r);
	free(after);
	/* a line cut in two by the limit is dropped, not read as its first half */
	char *cut = padded_file(max + 100, "Disallow: /cut-in-two", max + 5);
	r = mct_robots_parse(cut, max + 100);
	assert_true(mct_robots_check(r, "x", "/cu").allowed);
	assert_true(mct_robots_check(r, "x", "/cut-in-two").allowed);
	mct_robots_free(r);
	free(cut);
}

/* ---- the verdict ------------------------------------------------------ */

static void test_verdict_names_the_line_and_text_of_the_deciding_rule(void **state)
{
	(void)state;
	const char *txt = "# robots.txt for example.org\n"
	                  "User-agent: *\n"
	                  "Allow: /public\n"
	                  "   Disallow:   /private    # keep out\n";
	mct_robots_verdict v = check(txt, "mcthermo", "https://example.org/private/a.pdf");
	assert_false(v.allowed);
	assert_int_equal(v.line, 4);
	assert_string_equal(v.rule, "Disallow:   /private");
	v = check(txt, "mcthermo", "/public/x");
	assert_true(v.allowed);
	assert_int_equal(v.line, 3);
	assert_string_equal(v.rule, "Allow: /public");
}

static void test_verdict_rule_text_is_cut_at_a_character_boundary(void **state)
{
	(void)state;
	char txt[1024] = "User-agent: *\nDisallow: /x";
	size_t n = strlen(txt);
	while (n + 2 < 600) { /* two-octet characters from an even offset: 255 is inside one */
		txt[n++] = '\xC3';
		txt[n++] = '\xA9';
	}
	txt[n] = '\0';
	/* the path is the pattern itself, raw UTF-8 that the check encodes */
	mct_robots_verdict v = check(txt, "x", txt + strlen("User-agent: *\nDisallow: "));
	assert_false(v.allowed);
	size_t len = strlen(v.rule);
	assert_true(len < sizeof v.rule);
	assert_true(len >= sizeof v.rule - 4);
	assert_int_equal(len, sizeof v.rule - 2);
	assert_int_equal(strncmp(v.rule, "Disallow: /x\xC3\xA9", 14), 0);
	/* the last octet ends a character */
	assert_true(((unsigned char)v.rule[len - 1] & 0xC0) == 0x80);
	assert_true((unsigned char)v.rule[len - 2] == 0xC3);
}

/* ---- paths and URLs --------------------------------------------------- */

static void test_check_takes_path_and_query_of_a_full_url(void **state)
{
	(void)state;
	const char *txt = "user-agent: *\n"
	                  "disallow: /a/b?q\n"
	                  "allow: /$\n"
	                  "disallow: /\n";
	assert_false(allowed(txt, "x", "https://host.example/a/b?q=1#frag"));
	assert_false(allowed(txt, "x", "HTTP://host.example:8080/a/b?q"));
	assert_false(allowed(txt, "x", "/a/b?q#frag"));
	assert_false(allowed(txt, "x", "//host.example/a/b?q"));
	/* no path means "/" */
	assert_true(allowed(txt, "x", "https://host.example"));
	assert_true(allowed(txt, "x", "https://host.example#top"));
	assert_true(allowed(txt, "x", ""));
	assert_true(allowed(txt, "x", NULL));
	/* a query without a path gets its "/" */
	mct_robots_verdict v = check("user-agent: *\ndisallow: /?\n", "x", "https://h.example?x");
	assert_false(v.allowed);
	/* "://" inside the query is not a scheme */
	assert_false(allowed("user-agent: *\ndisallow: /r?u=http\n", "x", "/r?u=http://a/b"));
}

/* ---- sitemaps --------------------------------------------------------- */

static void test_sitemaps_are_collected_in_order_inside_and_outside_groups(void **state)
{
	(void)state;
	const char *txt = "Sitemap: https://example.org/one.xml\n"
	                  "User-agent: *\n"
	                  "sitemap:https://example.org/two.xml # comment\n"
	                  "Disallow: /x\n"
	                  "SITEMAP: \n"
	                  "Sitemap: https://example.org/three.xml\n";
	mct_robots *r = mct_robots_parse(txt, strlen(txt));
	assert_int_equal(mct_robots_sitemap_count(r), 3);
	assert_string_equal(mct_robots_sitemap(r, 0), "https://example.org/one.xml");
	assert_string_equal(mct_robots_sitemap(r, 1), "https://example.org/two.xml");
	assert_string_equal(mct_robots_sitemap(r, 2), "https://example.org/three.xml");
	assert_null(mct_robots_sitemap(r, 3));
	/* the sitemap line did not end the group */
	assert_false(mct_robots_check(r, "x", "/x").allowed);
	mct_robots_free(r);
}

/* ---- section 5 examples ----------------------------------------------- */

static const char rfc_5_1[] = "User-Agent: *\n"
                              "Disallow: *.gif$\n"
                              "Disallow: /example/\n"
                              "Allow: /publications/\n"
                              "\n"
                              "User-Agent: foobot\n"
                              "Disallow:/\n"
                              "Allow:/example/page.html\n"
                              "Allow:/example/allowed.gif\n"
                              "\n"
                              "User-Agent: barbot\n"
                              "User-Agent: bazbot\n"
                              "Disallow: /example/page.html\n"
                              "\n"
                              "User-Agent: quxbot\n"
                              "\n"
                              "EOF\n";

static void test_5_1_simple_example(void **state)
{
	(void)state;
	/* everybody else: no .gif, no /example/, yes /publications/ */
	assert_false(allowed(rfc_5_1, "otherbot", "/images/logo.gif"));
	assert_true(allowed(rfc_5_1, "otherbot", "/images/logo.gif?v=2"));
	assert_false(allowed(rfc_5_1, "otherbot", "/example/index.html"));
	assert_true(allowed(rfc_5_1, "otherbot", "/publications/report.pdf"));
	assert_true(allowed(rfc_5_1, "otherbot", "/about"));
	/* foobot: only two prefixes, whatever the order of the rules */
	assert_true(allowed(rfc_5_1, "foobot", "/example/page.html"));
	assert_true(allowed(rfc_5_1, "foobot", "/example/allowed.gif"));
	assert_false(allowed(rfc_5_1, "foobot", "/example/other.html"));
	assert_false(allowed(rfc_5_1, "foobot", "/publications/"));
	assert_false(allowed(rfc_5_1, "foobot", "/"));
	/* barbot and bazbot share a group */
	assert_false(allowed(rfc_5_1, "barbot", "/example/page.html"));
	assert_false(allowed(rfc_5_1, "bazbot", "/example/page.html"));
	assert_true(allowed(rfc_5_1, "bazbot", "/example/other.html"));
	assert_true(allowed(rfc_5_1, "barbot", "/images/logo.gif"));
	/* quxbot: an empty group at the end, everything allowed */
	assert_true(allowed(rfc_5_1, "quxbot", "/example/page.html"));
	assert_true(allowed(rfc_5_1, "quxbot", "/images/logo.gif"));
}

static void test_5_2_longest_match_example(void **state)
{
	(void)state;
	const char *txt = "User-Agent: foobot\n"
	                  "Allow: /example/page/\n"
	                  "Disallow: /example/page/disallowed.gif\n";
	assert_true(allowed(txt, "foobot", "/example/page/"));
	assert_true(allowed(txt, "foobot", "/example/page/allowed.gif"));
	mct_robots_verdict v = check(txt, "foobot", "/example/page/disallowed.gif");
	assert_false(v.allowed);
	assert_int_equal(v.line, 3);
	assert_string_equal(v.rule, "Disallow: /example/page/disallowed.gif");
}

/* ---- robustness ------------------------------------------------------- */

static void test_a_missing_robots_txt_allows_everything(void **state)
{
	(void)state;
	mct_robots_verdict v = mct_robots_check(NULL, "mcthermo", "/x");
	assert_true(v.allowed);
	assert_int_equal(v.line, 0);
	assert_int_equal(mct_robots_sitemap_count(NULL), 0);
	mct_robots *r = mct_robots_parse(NULL, 0);
	assert_non_null(r);
	assert_true(mct_robots_check(r, "mcthermo", "/x").allowed);
	mct_robots_free(r);
	mct_robots_free(NULL);
}

static void test_binary_garbage_and_nul_bytes_are_survived(void **state)
{
	(void)state;
	static const char txt[] = "User-agent: *\n\0\xFF\xFE:\x01\n"
	                          "Disallow: /a\0b\n"
	                          "Disallow: /c\n";
	mct_robots *r = mct_robots_parse(txt, sizeof txt - 1);
	assert_false(mct_robots_check(r, "x", "/c").allowed);
	assert_true(mct_robots_check(r, "x", "/a").allowed);
	assert_false(mct_robots_check(r, "x", "/a%00b").allowed);
	mct_robots_free(r);
}

static void test_many_wildcards_are_matched_quickly(void **state)
{
	(void)state;
	/* 200 KiB of "*a" against a 100 KiB path of 'a': a backtracking matcher
	 * would not finish. */
	size_t pieces = 100 * 1024, plen = 100 * 1024;
	char *txt = malloc(32 + 2 * pieces + 8);
	char *path = malloc(plen + 2);
	assert_non_null(txt);
	assert_non_null(path);
	strcpy(txt, "User-agent: *\nDisallow: /");
	size_t n = strlen(txt);
	for (size_t i = 0; i < pieces; i++) {
		txt[n++] = '*';
		txt[n++] = 'a';
	}
	strcpy(txt + n, "b$\n");
	path[0] = '/';
	memset(path + 1, 'a', plen);
	path[plen + 1] = '\0';
	mct_robots *r = mct_robots_parse(txt, strlen(txt));
	assert_true(mct_robots_check(r, "x", path).allowed);
	path[plen] = 'b';
	assert_true(mct_robots_check(r, "x", path).allowed); /* too few a's before the b */
	mct_robots_free(r);
	free(txt);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_2_1_records_are_name_colon_value_and_unknown_names_are_ignored),
	    cmocka_unit_test(test_2_1_rules_outside_any_group_are_ignored),
	    cmocka_unit_test(test_2_1_record_names_are_case_insensitive),
	    cmocka_unit_test(test_2_1_white_space_around_names_values_and_colon_is_tolerated),
	    cmocka_unit_test(test_2_1_cr_lf_and_crlf_all_end_lines),
	    cmocka_unit_test(test_2_1_utf8_byte_order_mark_is_skipped),
	    cmocka_unit_test(test_2_1_empty_lines_and_comments_do_not_end_a_group),
	    cmocka_unit_test(test_2_1_a_user_agent_line_after_rules_starts_a_new_group),
	    cmocka_unit_test(test_2_2_4_other_records_do_not_end_a_group),
	    cmocka_unit_test(test_2_1_missing_colon_is_accepted_for_two_word_lines),
	    cmocka_unit_test(test_2_1_common_misspellings_of_record_names_are_accepted),
	    cmocka_unit_test(test_2_2_1_product_token_matches_case_insensitively),
	    cmocka_unit_test(
	        test_2_2_1_product_token_is_the_leading_letters_dashes_and_underscores),
	    cmocka_unit_test(test_2_2_1_several_user_agent_lines_form_one_group),
	    cmocka_unit_test(test_2_2_1_groups_for_the_same_agent_are_merged),
	    cmocka_unit_test(test_2_2_1_star_group_applies_when_no_group_matches),
	    cmocka_unit_test(test_2_2_1_star_groups_are_merged_too),
	    cmocka_unit_test(test_2_2_1_star_followed_by_other_text_still_names_every_agent),
	    cmocka_unit_test(test_2_2_1_a_matching_empty_group_allows_everything),
	    cmocka_unit_test(test_2_2_1_without_matching_or_star_group_no_rules_apply),
	    cmocka_unit_test(test_2_2_1_a_group_naming_star_and_an_agent_serves_both),
	    cmocka_unit_test(test_2_2_2_matching_starts_at_the_first_octet_of_the_path),
	    cmocka_unit_test(test_2_2_2_matching_is_case_sensitive),
	    cmocka_unit_test(test_2_2_2_the_longest_matching_rule_wins),
	    cmocka_unit_test(test_2_2_2_allow_wins_when_rules_are_equally_long),
	    cmocka_unit_test(test_2_2_2_empty_disallow_disallows_nothing),
	    cmocka_unit_test(test_2_2_2_a_path_no_rule_matches_is_allowed),
	    cmocka_unit_test(test_2_2_2_robots_txt_itself_is_always_allowed),
	    cmocka_unit_test(test_2_2_2_the_query_is_part_of_the_path),
	    cmocka_unit_test(test_2_2_2_percent_encoding_plain_query_is_compared_as_is),
	    cmocka_unit_test(test_2_2_2_percent_encoding_reserved_characters_stay_encoded),
	    cmocka_unit_test(test_2_2_2_percent_encoding_non_ascii_pattern_is_encoded),
	    cmocka_unit_test(test_2_2_2_percent_encoding_encoded_non_ascii_pattern_matches),
	    cmocka_unit_test(test_2_2_2_percent_encoding_unreserved_octets_are_decoded),
	    cmocka_unit_test(test_2_2_2_octets_that_cannot_stand_raw_in_a_url_are_encoded),
	    cmocka_unit_test(test_2_2_3_star_matches_any_run_of_octets_including_slash),
	    cmocka_unit_test(test_2_2_3_dollar_anchors_the_end_of_the_pattern),
	    cmocka_unit_test(test_2_2_3_dollar_inside_a_pattern_is_a_literal),
	    cmocka_unit_test(test_2_2_3_hash_starts_a_comment),
	    cmocka_unit_test(test_2_2_3_percent_encoded_star_and_dollar_match_literally),
	    cmocka_unit_test(test_2_5_only_the_first_500_kib_are_parsed),
	    cmocka_unit_test(test_verdict_names_the_line_and_text_of_the_deciding_rule),
	    cmocka_unit_test(test_verdict_rule_text_is_cut_at_a_character_boundary),
	    cmocka_unit_test(test_check_takes_path_and_query_of_a_full_url),
	    cmocka_unit_test(test_sitemaps_are_collected_in_order_inside_and_outside_groups),
	    cmocka_unit_test(test_5_1_simple_example),
	    cmocka_unit_test(test_5_2_longest_match_example),
	    cmocka_unit_test(test_a_missing_robots_txt_allows_everything),
	    cmocka_unit_test(test_binary_garbage_and_nul_bytes_are_survived),
	    cmocka_unit_test(test_many_wildcards_are_matched_quickly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
