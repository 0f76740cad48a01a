/*
 * tests/unit/test_crawl_links.c - URL resolution, normalisation and
 * de-duplication (crawler/links.c), sitemap parsing (crawler/sitemap.c), and
 * the small helpers of the fetcher: private address ranges and size words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../crawler/crawl_internal.h"

static const char *BASE = "http://Example.ORG:80/a/b/c.html?x=1#frag";

/* Resolve and compare; NULL expected means "refused". */
static void resolves(const char *base, const char *href, const char *want)
{
	const char *why = NULL;
	char *got = mct_url_resolve(base, href, &why);
	if (!want) {
		if (got)
			fail_msg("'%s' resolved to '%s', expected a refusal", href, got);
		assert_non_null(why);
		return;
	}
	if (!got)
		fail_msg("'%s' was refused (%s), expected '%s'", href, why ? why : "?", want);
	assert_string_equal(got, want);
	free(got);
}

static void refused_because(const char *href, const char *reason)
{
	const char *why = NULL;
	char *got = mct_url_resolve(BASE, href, &why);
	assert_null(got);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void test_relative_references_resolve_against_the_base(void **state)
{
	(void)state;
	resolves(BASE, "d.html", "http://example.org/a/b/d.html");
	resolves(BASE, "../d.html", "http://example.org/a/d.html");
	resolves(BASE, "../../../../d.html", "http://example.org/d.html");
	resolves(BASE, "/top.html", "http://example.org/top.html");
	resolves(BASE, "?q=2", "http://example.org/a/b/c.html?q=2");
	resolves(BASE, "/x?", "http://example.org/x");
	resolves(BASE, "//other.example/p", "http://other.example/p");
	resolves(BASE, "https://secure.example/x", "https://secure.example/x");
}

static void test_empty_and_fragment_only_references_are_the_base_document(void **state)
{
	(void)state;
	resolves(BASE, "", "http://example.org/a/b/c.html?x=1");
	resolves(BASE, "#section", "http://example.org/a/b/c.html?x=1");
	resolves(BASE, "   ", "http://example.org/a/b/c.html?x=1");
}

static void test_fragments_are_dropped(void **state)
{
	(void)state;
	resolves(BASE, "d.html#part-2", "http://example.org/a/b/d.html");
	resolves(BASE, "/x?y=1#z", "http://example.org/x?y=1");
}

static void test_scheme_and_host_are_lower_cased(void **state)
{
	(void)state;
	resolves(BASE, "HTTP://WWW.Example.ORG/Path/File.HTML",
	         "http://www.example.org/Path/File.HTML");
}

static void test_default_ports_are_dropped_and_others_kept(void **state)
{
	(void)state;
	resolves(BASE, "http://example.org:80/x", "http://example.org/x");
	resolves(BASE, "https://example.org:443/x", "https://example.org/x");
	resolves(BASE, "http://example.org:8080/x", "http://example.org:8080/x");
	resolves(BASE, "https://example.org:80/x", "https://example.org:80/x");
}

static void test_dot_segments_are_removed(void **state)
{
	(void)state;
	resolves(BASE, "./e/./f/../g.html", "http://example.org/a/b/e/g.html");
	resolves("https://example.org/", "https://example.org/a/./b/../c",
	         "https://example.org/a/c");
}

static void test_percent_escapes_are_normalised(void **state)
{
	(void)state;
	/* unreserved characters decoded, other escapes in one case (curl's) */
	resolves(BASE, "/%7Euser/a%2Fb%3f?q=%7e%2B", "http://example.org/~user/a%2fb%3f?q=~%2b");
	resolves(BASE, "/%41%42c", "http://example.org/ABc");
	/* a '%' that starts no escape is escaped itself, so that normalising
	 * again cannot make a new escape of it */
	resolves(BASE, "/100%/a%4%43", "http://example.org/100%25/a%254C");
	char *once = mct_url_normalize("http://example.org/a%4%43", NULL);
	char *twice = mct_url_normalize(once, NULL);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	/* an escaped dot stays escaped: decoding it would make new dot segments */
	resolves(BASE, "/a/%2E%2e/b", "http://example.org/a/%2e%2e/b");
}

static void test_white_space_in_href_is_handled_as_browsers_do(void **state)
{
	(void)state;
	resolves(BASE, "  d.html \n", "http://example.org/a/b/d.html");
	resolves(BASE, "d\n.ht\tml", "http://example.org/a/b/d.html");
	resolves(BASE, "/with space.html", "http://example.org/with%20space.html");
}

static void test_non_ascii_paths_are_percent_encoded(void **state)
{
	(void)state;
	resolves(BASE, "/m\xc4\x81\x63\xc4\xab\x62\x61s.html",
	         "http://example.org/m%c4%81c%c4%abbas.html");
}

static void test_non_http_schemes_are_refused(void **state)
{
	(void)state;
	refused_because("mailto:office@example.org", "not an http(s) URL");
	refused_because("javascript:void(0)", "not an http(s) URL");
	refused_because("file:///etc/passwd", "not an http(s) URL");
	refused_because("ftp://example.org/file", "not an http(s) URL");
	refused_because("data:text/html,hello", "not an http(s) URL");
	refused_because("tel:+3712345678", "not an http(s) URL");
}

static void test_urls_with_credentials_are_refused(void **state)
{
	(void)state;
	refused_because("http://user:secret@example.org/", "URL with a user name or password");
	refused_because("http://user@example.org/", "URL with a user name or password");
}

static void test_overlong_urls_are_refused(void **state)
{
	(void)state;
	size_t n = MCT_URL_MAX + 10;
	char *href = malloc(n + 2);
	href[0] = '/';
	memset(href + 1, 'a', n);
	href[n + 1] = 0;
	refused_because(href, "URL too long");
	free(href);
}

static void test_malformed_urls_are_refused(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_null(mct_url_normalize("http://exa mple.org/", &why));
	assert_non_null(why);
	assert_null(mct_url_normalize("not a url at all", &why));
}

static void test_spellings_of_one_page_normalise_to_one_url(void **state)
{
	(void)state;
	const char *spellings[] = {
	    "http://EXAMPLE.org:80/a/./b.html#x", "http://example.org/a/b.html",
	    "http://example.org/a/c/../b.html", " http://example.org/a/b.html#"};
	mct_urlset set = {0};
	int added = 0;
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
		char *u = mct_url_normalize(spellings[i], NULL);
		assert_non_null(u);
		added += mct_urlset_add(&set, u);
		free(u);
	}
	assert_int_equal(added, 1);
	assert_int_equal(set.n, 1);
	assert_true(mct_urlset_has(&set, "http://example.org/a/b.html"));
	mct_urlset_free(&set);
}

static void test_url_set_keeps_every_url_once_as_it_grows(void **state)
{
	(void)state;
	mct_urlset set = {0};
	char url[64];
	for (int i = 0; i < 5000; i++) {
		snprintf(url, sizeof url, "http://example.org/page/%d", i);
		assert_int_equal(mct_urlset_add(&set, url), 1);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(url, sizeof url, "http://example.org/page/%d", i);
		assert_true(mct_urlset_has(&set, url));
		assert_int_equal(mct_urlset_add(&set, url), 0);
	}
	assert_false(mct_urlset_has(&set, "http://example.org/page/5000"));
	assert_int_equal(set.n, 5000);
	mct_urlset_free(&set);
	assert_false(mct_urlset_has(&set, "http://example.org/page/1"));
}

static void test_origin_names_scheme_host_and_port(void **state)
{
	(void)state;
	char *o = mct_url_origin("http://Example.org/x/y?z");
	assert_string_equal(o, "http://example.org:80");
	free(o);
	o = mct_url_origin("https://example.org:8443/");
	assert_string_equal(o, "https://example.org:8443");
	free(o);
	assert_null(mct_url_origin("file:///etc/passwd"));
	char *h = mct_url_host("https://WWW.Example.org:8443/a");
	assert_string_equal(h, "www.example.org");
	free(h);
}

/* ---- private addresses --------------------------------------------------- */

static int private4(const char *ip)
{
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	char text[64];
	int r = mct_addr_is_private((struct sockaddr *)&a, text, sizeof text);
	assert_string_equal(text, ip);
	return r;
}

static int private6(const char *ip)
{
	struct sockaddr_in6 a = {0};
	a.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	char text[64];
	return mct_addr_is_private((struct sockaddr *)&a, text, sizeof text);
}

static void test_private_and_loopback_addresses_are_recognised(void **state)
{
	(void)state;
	const char *priv[] = {"127.0.0.1",   "10.0.0.1",        "172.16.5.4", "172.31.255.255",
	                      "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
	                      "224.0.0.1",   "255.255.255.255"};
	for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++)
		if (!private4(priv[i]))
			fail_msg("%s should count as private", priv[i]);
	const char *pub[] = {"8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1", "1.1.1.1"};
	for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++)
		if (private4(pub[i]))
			fail_msg("%s should count as public", pub[i]);
	assert_true(private6("::1"));
	assert_true(private6("::"));
	assert_true(private6("fe80::1"));
	assert_true(private6("fd12:3456::1"));
	assert_true(private6("::ffff:10.1.2.3"));
	assert_true(private6("::ffff:127.0.0.1"));
	assert_false(private6("::ffff:8.8.8.8"));
	assert_false(private6("2a00:1450:4001::1"));
}

static void test_sizes_are_said_in_the_units_they_were_written_in(void **state)
{
	(void)state;
	char s[32];
	mct_size_words(20LL * 1000 * 1000, s, sizeof s);
	assert_string_equal(s, "20 MB");
	mct_size_words(500 * 1024, s, sizeof s);
	assert_string_equal(s, "500 KiB");
	mct_size_words(1500, s, sizeof s);
	assert_string_equal(s, "1.5 kB");
	mct_size_words(999, s, sizeof s);
	assert_string_equal(s, "999 bytes");
	mct_size_words(2000, s, sizeof s);
	assert_string_equal(s, "2 kB");
	mct_size_words(1234567, s, sizeof s);
	assert_string_equal(s, "1.2 MB");
}

/* ---- sitemaps --------------------------------------------------------------- */

static void test_sitemap_urlset_gives_its_locations(void **state)
{
	(void)state;
	const char *xml =
	    "<?xml version=\"1.0\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
	    "<url><loc> https://example.org/a.html </loc><lastmod>2024-01-01</lastmod></url>\n"
	    "<url><loc>https://example.org/b.html?x=1&amp;y=2</loc></url>\n"
	    "<url><priority>0.5</priority></url>\n"
	    "</urlset>\n";
	mct_sitemap sm;
	mct_err err = {0};
	assert_int_equal(mct_sitemap_parse(xml, strlen(xml), "test.xml", &sm, &err), MCT_OK);
	assert_int_equal(sm.nurls, 2);
	assert_int_equal(sm.nsitemaps, 0);
	assert_string_equal(sm.urls[0], "https://example.org/a.html");
	assert_string_equal(sm.urls[1], "https://example.org/b.html?x=1&y=2");
	mct_sitemap_free(&sm);
}

static void test_sitemap_index_gives_further_sitemaps(void **state)
{
	(void)state;
	const char *xml = "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
	                  "<sitemap><loc>https://example.org/s1.xml</loc></sitemap>"
	                  "<sitemap><loc>https://example.org/s2.xml</loc></sitemap>"
	                  "</sitemapindex>";
	mct_sitemap sm;
	mct_err err = {0};
	assert_int_equal(mct_sitemap_parse(xml, strlen(xml), "index.xml", &sm, &err), MCT_OK);
	assert_int_equal(sm.nurls, 0);
	assert_int_equal(sm.nsitemaps, 2);
	assert_string_equal(sm.sitemaps[1], "https://example.org/s2.xml");
	mct_sitemap_free(&sm);
}

static void test_sitemap_with_a_dtd_is_refused(void **state)
{
	(void)state;
	const char *xml =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE urlset [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n"
	    "<urlset><url><loc>&b;</loc></url></urlset>\n";
	mct_sitemap sm;
	mct_err err = {0};
	assert_int_equal(mct_sitemap_parse(xml, strlen(xml), "evil.xml", &sm, &err), MCT_ERR_PARSE);
	assert_non_null(strstr(err.msg, "evil.xml: sitemap with a DTD refused"));
	assert_int_equal(sm.nurls, 0);
}

static void test_non_sitemaps_are_reported(void **state)
{
	(void)state;
	mct_sitemap sm;
	mct_err err = {0};
	const char *html = "<html><body>not xml";
	assert_int_equal(mct_sitemap_parse(html, strlen(html), "page.html", &sm, &err),
	                 MCT_ERR_PARSE);
	assert_non_null(strstr(err.msg, "page.html: not a sitemap"));
	const char *feed = "<rss><channel/></rss>";
	assert_int_equal(mct_sitemap_parse(feed, strlen(feed), "feed.xml", &sm, &err),
	                 MCT_ERR_PARSE);
	assert_non_null(strstr(err.msg, "root element"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_relative_references_resolve_against_the_base),
	    cmocka_unit_test(test_empty_and_fragment_only_references_are_the_base_document),
	    cmocka_unit_test(test_fragments_are_dropped),
	    cmocka_unit_test(test_scheme_and_host_are_lower_cased),
	    cmocka_unit_test(test_default_ports_are_dropped_and_others_kept),
	    cmocka_unit_test(test_dot_segments_are_removed),
	    cmocka_unit_test(test_percent_escapes_are_normalised),
	    cmocka_unit_test(test_white_space_in_href_is_handled_as_browsers_do),
	    cmocka_unit_test(test_non_ascii_paths_are_percent_encoded),
	    cmocka_unit_test(test_non_http_schemes_are_refused),
	    cmocka_unit_test(test_urls_with_credentials_are_refused),
	    cmocka_unit_test(test_overlong_urls_are_refused),
	    cmocka_unit_test(test_malformed_urls_are_refused),
	    cmocka_unit_test(test_spellings_of_one_page_normalise_to_one_url),
	    cmocka_unit_test(test_url_set_keeps_every_url_once_as_it_grows),
	    cmocka_unit_test(test_origin_names_scheme_host_and_port),
	    cmocka_unit_test(test_private_and_loopback_addresses_are_recognised),
	    cmocka_unit_test(test_sizes_are_said_in_the_units_they_were_written_in),
	    cmocka_unit_test(test_sitemap_urlset_gives_its_locations),
	    cmocka_unit_test(test_sitemap_index_gives_further_sitemaps),
	    cmocka_unit_test(test_sitemap_with_a_dtd_is_refused),
	    cmocka_unit_test(test_non_sitemaps_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
