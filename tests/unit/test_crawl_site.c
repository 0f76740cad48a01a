/*
 * tests/unit/test_crawl_site.c - the crawl against a real web server.
 *
 * nginx serves the fixture site (tests/fixtures/site) on a free port of
 * 127.0.0.1 with ETags, Last-Modified, gzip, a 301, a PDF, a mislabelled
 * PDF, and windows-1257 and ISO-8859-2 pages with and without a charset in
 * the header.  Each test crawls into a fresh database and checks what was
 * stored and, from nginx's access log, what was asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../crawler/crawler.h"
#include "../support/crawlrun.h"
#include "../support/servers.h"
#include "../support/testutil.h"

static char *tmp;
static ts_server web;
static int nrun;

static int start_site(void **state)
{
	(void)state;
	tmp = tu_tempdir();
	char *site = tu_top_path("tests/fixtures/site");
	int rc = ts_nginx_start(site, tmp, &web);
	free(site);
	return rc;
}

static int stop_site(void **state)
{
	(void)state;
	ts_server_stop(&web);
	tu_rmtree(tmp);
	free(tmp);
	return 0;
}

/* A fresh folder for one crawl. */
static char *run_dir(void)
{
	char *d = mct_xasprintf("%s/run%d", tmp, ++nrun);
	assert_int_equal(mkdir(d, 0700), 0);
	return d;
}

/* Crawl `sources` (printf-style, %1$s is the site's base URL) with the
 * crawler lines given. */
static void crawl(tc_run *r, const char *crawler, const char *sources)
{
	char *dir = run_dir();
	char *src = mct_xasprintf(sources, web.base);
	if (tc_crawl(r, dir, crawler, src) != 0)
		fail_msg("could not set up the crawl");
	free(src);
	free(dir);
}

static const char *one_source = "[source:site]\n"
                                "country = LV\n"
                                "kind = policy\n"
                                "url = %1$s/index.html\n";

/* The outcome of the capture of a path in the last run, or NULL. */
static char *outcome(tc_run *r, const char *path)
{
	return tc_str(r,
	              "SELECT outcome FROM captures WHERE run_id = %lld AND url = '%q%q' "
	              "ORDER BY id DESC LIMIT 1",
	              (long long)r->run_id, web.base, path);
}

static void assert_outcome(tc_run *r, const char *path, const char *want)
{
	char *got = outcome(r, path);
	if (!want && got)
		fail_msg("%s: expected no capture, got %s", path, got);
	if (want && (!got || strcmp(got, want) != 0))
		fail_msg("%s: expected %s, got %s", path, want, got ? got : "no capture");
	free(got);
}

static char *capture_field(tc_run *r, const char *field, const char *path)
{
	return tc_str(r, "SELECT %s FROM captures WHERE run_id = %lld AND url = '%q%q'", field,
	              (long long)r->run_id, web.base, path);
}

static char *text_of(tc_run *r, const char *path)
{
	char *sha = capture_field(r, "sha256", path);
	assert_non_null(sha);
	mct_buf b;
	mct_buf_init(&b);
	mct_err err = {0};
	assert_int_equal(mct_store_text(r->st, sha, &b, &err), MCT_OK);
	free(sha);
	return mct_buf_steal(&b);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay ? hay : "(null)");
}

static void assert_field(tc_run *r, const char *field, const char *path, const char *want)
{
	char *got = capture_field(r, field, path);
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s of %s: expected '%s', got '%s'", field, path, want,
		         got ? got : "NULL");
	free(got);
}

/* ---- the start page ------------------------------------------------------ */

static void test_crawl_start_page_is_captured_with_its_text(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL, one_source);
	assert_int_equal(r.rc, MCT_OK);
	assert_outcome(&r, "/index.html", "new");
	assert_field(&r, "http_status", "/index.html", "200");
	assert_field(&r, "text_type", "/index.html", "html");
	assert_field(&r, "title", "/index.html", "Ministry of Learning: micro-credentials");
	char *ext =
	    tc_str(&r, "SELECT extractor FROM texts t JOIN captures c ON c.sha256 = t.sha256");
	assert_string_equal(ext, MCT_TEXT_EXTRACTOR_VERSION);
	free(ext);
	char *etag = capture_field(&r, "etag", "/index.html");
	char *lm = capture_field(&r, "last_modified", "/index.html");
	assert_non_null(etag);
	assert_non_null(lm);
	free(etag);
	free(lm);
	char *text = text_of(&r, "/index.html");
	assert_contains(text, "# Micro-credentials in Fixtureland\n");
	free(text);
	assert_int_equal(r.stats.sources_total, 1);
	assert_int_equal(r.stats.sources_ok, 1);
	assert_int_equal(r.stats.pages_new, 1);
	assert_true(r.stats.bytes_downloaded > 0);
	/* depth 0: nothing else was asked for */
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures"), 1);
	tc_close(&r);
}

static void test_crawl_source_status_is_stored(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:good]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n\n"
	      "[source:gone]\ncountry = ES\nkind = qa\nurl = %1$s/no-such-page.html\n");
	char *s = tc_str(&r, "SELECT last_status || '|' || coalesce(last_error, '-') || '|' || "
	                     "last_run FROM sources WHERE id = 'good'");
	char *want = mct_xasprintf("ok|-|%lld", (long long)r.run_id);
	assert_string_equal(s, want);
	free(s);
	free(want);
	s = tc_str(&r, "SELECT last_status || '|' || last_error FROM sources WHERE id = 'gone'");
	assert_string_equal(s, "failed|HTTP 404");
	free(s);
	assert_int_equal(r.stats.sources_ok, 1);
	assert_int_equal(r.stats.sources_failed, 1);
	assert_int_equal(r.stats.pages_failed, 1);
	tc_close(&r);
}

static void test_crawl_stores_every_configured_source_even_disabled(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:on]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n\n"
	      "[source:off]\ncountry = PL\nkind = news\nurl = %1$s/about.html\nenabled = no\n");
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM sources"), 2);
	assert_int_equal(tc_int(&r, "SELECT enabled FROM sources WHERE id = 'off'"), 0);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures WHERE source_id = 'off'"), 0);
	assert_null(tc_str(&r, "SELECT last_status FROM sources WHERE id = 'off'"));
	assert_int_equal(r.stats.sources_total, 1);
	tc_close(&r);
}

static void test_crawl_only_the_sources_asked_for(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:a]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n\n"
	      "[source:b]\ncountry = PL\nkind = news\nurl = %1$s/about.html\n");
	const char *only[] = {"b"};
	tc_crawl_again(&r, only, 1, NULL);
	assert_int_equal(r.rc, MCT_OK);
	assert_int_equal(
	    tc_int(&r, "SELECT count(*) FROM captures WHERE run_id = %lld", (long long)r.run_id),
	    1);
	assert_outcome(&r, "/about.html", "unchanged");
	assert_int_equal(r.stats.sources_total, 1);
	const char *unknown[] = {"nope"};
	tc_crawl_again(&r, unknown, 1, NULL);
	assert_int_equal(r.rc, MCT_ERR_USAGE);
	assert_contains(r.err.msg, "unknown source 'nope'");
	tc_close(&r);
}

static void test_crawl_prints_one_progress_line_per_fetch(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n\n"
	      "[source:gone]\ncountry = ES\nkind = qa\nurl = %1$s/no-such-page.html\n");
	char *line = mct_xasprintf("site  new  %s/index.html\n", web.base);
	assert_contains(r.progress, line);
	free(line);
	line = mct_xasprintf("gone  failed  %s/no-such-page.html  (HTTP 404)\n", web.base);
	assert_contains(r.progress, line);
	free(line);
	tc_close(&r);
}

/* ---- robots.txt ---------------------------------------------------------- */

static void test_crawl_robots_disallow_recorded(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n"
	      "depth = 1\nfollow = .\n");
	assert_outcome(&r, "/private/secret.html", "skipped");
	assert_field(&r, "error", "/private/secret.html",
	             "disallowed by robots.txt line 7 (Disallow: /private/)");
	assert_int_equal(ts_log_count(web.access_log, "/private/"), 0);
	tc_close(&r);
}

static void test_crawl_robots_group_is_chosen_by_the_user_agent_product_token(void **state)
{
	(void)state;
	tc_run r;
	/* Another robot falls in the "*" group, which disallows everything. */
	crawl(&r, "user_agent = otherbot/2.0 (+https://example.invalid)", one_source);
	assert_outcome(&r, "/index.html", "skipped");
	assert_field(&r, "error", "/index.html", "disallowed by robots.txt line 4 (Disallow: /)");
	char *s = tc_str(&r, "SELECT last_status FROM sources WHERE id = 'site'");
	assert_string_equal(s, "skipped");
	free(s);
	assert_int_equal(r.stats.sources_failed, 1);
	tc_close(&r);
}

static void test_crawl_robots_txt_fetched_once_per_host_per_run(void **state)
{
	(void)state;
	int before = ts_log_count(web.access_log, "/robots.txt ");
	tc_run r;
	crawl(&r, NULL,
	      "[source:a]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 2\n"
	      "follow = .\n\n"
	      "[source:b]\ncountry = LV\nkind = policy\nurl = %1$s/about.html\n");
	assert_true(r.stats.pages_new >= 5);
	assert_int_equal(ts_log_count(web.access_log, "/robots.txt ") - before, 1);
	tc_close(&r);
}

/* ---- following links ---------------------------------------------------------- */

static void test_crawl_follows_links_down_to_the_depth(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n"
	      "depth = 2\nfollow = .\n");
	assert_outcome(&r, "/about.html", "new");
	assert_outcome(&r, "/policy/strategy.html", "new");
	assert_outcome(&r, "/policy/deep/level3.html", "new");
	assert_outcome(&r, "/policy/deep/level4.html", NULL); /* depth 3 */
	/* about.html links the folder "policy/", which nginx refuses: the source
	 * is ok, and its status says which linked page failed */
	assert_outcome(&r, "/policy/", "failed");
	char *status = tc_str(&r, "SELECT last_status || '|' || last_error FROM sources");
	char *want =
	    mct_xasprintf("ok|1 linked page failed (first: %s/policy/: HTTP 403)", web.base);
	assert_string_equal(status, want);
	free(status);
	free(want);
	assert_int_equal(
	    tc_int(&r, "SELECT depth FROM captures WHERE url = '%q/policy/deep/level3.html'",
	           web.base),
	    2);
	tc_close(&r);
}

static void test_crawl_without_follow_regex_follows_nothing(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 3\n");
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures"), 1);
	tc_close(&r);
}

static void test_crawl_follow_regex_selects_links(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 1\n"
	      "follow = /policy/\n");
	assert_outcome(&r, "/policy/strategy.html", "new");
	assert_outcome(&r, "/policy/funding.pdf", "new");
	assert_outcome(&r, "/about.html", NULL);
	assert_outcome(&r, "/charset/lv.html", NULL);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures"), 3);
	tc_close(&r);
}

static void test_crawl_bad_follow_regex_fails_the_source_only(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:bad]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 1\n"
	      "follow = (unclosed\n\n"
	      "[source:good]\ncountry = LV\nkind = policy\nurl = %1$s/about.html\n");
	assert_int_equal(r.rc, MCT_OK);
	char *err = tc_str(&r, "SELECT last_error FROM sources WHERE id = 'bad'");
	assert_contains(err, "mcthermo.ini:");
	assert_contains(err,
	                "[source:bad] follow = '(unclosed': bad regular expression at offset 9");
	free(err);
	assert_outcome(&r, "/about.html", "new");
	assert_int_equal(r.stats.sources_failed, 1);
	assert_int_equal(r.stats.sources_ok, 1);
	tc_close(&r);
}

static void test_crawl_max_pages_caps_a_source(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 3\n"
	      "follow = .\nmax_pages = 3\n");
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures"), 3);
	assert_outcome(&r, "/index.html", "new");
	assert_non_null(
	    strstr(r.progress, "max_pages = 3 reached; further links are not followed"));
	tc_close(&r);
	/* [crawler] max_pages applies when the source sets none */
	crawl(&r, "max_pages = 2",
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 3\n"
	      "follow = .\n");
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures"), 2);
	tc_close(&r);
}

static void test_crawl_urls_are_fetched_once_per_source_and_run(void **state)
{
	(void)state;
	tc_run r;
	/* index links itself as "index.html#top" and "#top"; about links back as
	 * "./index.html"; strategy links "../index.html". */
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 3\n"
	      "follow = .\n");
	assert_int_equal(
	    tc_int(&r, "SELECT count(*) FROM captures WHERE url = '%q/index.html'", web.base), 1);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM (SELECT url FROM captures GROUP BY url "
	                            "HAVING count(*) > 1)"),
	                 0);
	tc_close(&r);
}

static void test_crawl_same_site_keeps_links_on_the_host(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\ndepth = 1\n"
	      "follow = .\n");
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures WHERE url LIKE "
	                            "'http://example.invalid/%%'"),
	                 0);
	tc_close(&r);
}

static void test_crawl_sitemap_urls_crawled_when_enabled(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n"
	      "follow = .\nsitemap = yes\n");
	assert_outcome(&r, "/sitemap-only.html", "new");
	assert_int_equal(
	    tc_int(&r, "SELECT depth FROM captures WHERE url = '%q/sitemap-only.html'", web.base),
	    1);
	/* the sitemap's other entries: the start page (already seen) and a
	 * page robots.txt forbids */
	assert_int_equal(
	    tc_int(&r, "SELECT count(*) FROM captures WHERE url = '%q/index.html'", web.base), 1);
	assert_outcome(&r, "/private/secret.html", "skipped");
	/* the sitemap itself is not a capture */
	assert_outcome(&r, "/sitemap.xml", NULL);
	tc_close(&r);
	crawl(&r, NULL,
	      "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\nfollow = .\n");
	assert_outcome(&r, "/sitemap-only.html", NULL);
	tc_close(&r);
}

/* ---- HTTP ------------------------------------------------------------------------ */

static void test_crawl_redirect_records_the_final_url(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL, "[source:old]\ncountry = LV\nkind = policy\nurl = %1$s/old.html\n");
	assert_outcome(&r, "/old.html", "new");
	char *want = mct_xasprintf("%s/policy/strategy.html", web.base);
	assert_field(&r, "final_url", "/old.html", want);
	free(want);
	assert_field(&r, "title", "/old.html", "National strategy");
	tc_close(&r);
}

static void test_crawl_gzip_transfer_is_decoded(void **state)
{
	(void)state;
	tc_run r;
	int before = ts_log_count(web.access_log, "enc=\"gzip\"");
	crawl(&r, NULL, one_source);
	assert_true(ts_log_count(web.access_log, "enc=\"gzip\"") > before);
	char *text = text_of(&r, "/index.html");
	assert_contains(text, "Micro-credentials in Fixtureland");
	free(text);
	tc_close(&r);
}

static void test_crawl_pdf_is_extracted_with_pages_and_title(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:pdf]\ncountry = LV\nkind = policy\nurl = %1$s/policy/funding.pdf\n");
	assert_outcome(&r, "/policy/funding.pdf", "new");
	assert_field(&r, "text_type", "/policy/funding.pdf", "pdf");
	assert_field(&r, "pages", "/policy/funding.pdf", "2");
	assert_field(&r, "title", "/policy/funding.pdf", "Funding decision 2024");
	char *text = text_of(&r, "/policy/funding.pdf");
	assert_contains(text, "5 million euro");
	assert_contains(text, "\f");
	free(text);
	tc_close(&r);
}

static void test_crawl_pdf_served_as_html_is_read_as_pdf(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:pdf]\ncountry = LV\nkind = policy\nurl = %1$s/mislabelled/funding.pdf\n");
	assert_outcome(&r, "/mislabelled/funding.pdf", "new");
	assert_field(&r, "content_type", "/mislabelled/funding.pdf", "text/html");
	assert_field(&r, "text_type", "/mislabelled/funding.pdf", "pdf");
	char *text = text_of(&r, "/mislabelled/funding.pdf");
	assert_contains(text, "Decision on funding for micro-credentials");
	free(text);
	tc_close(&r);
}

static void test_crawl_windows_1257_page_decoded_with_and_without_header_charset(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:hdr]\ncountry = LV\nkind = policy\nurl = %1$s/header-charset/lv.html\n\n"
	      "[source:meta]\ncountry = LV\nkind = policy\nurl = %1$s/charset/lv.html\n");
	assert_field(&r, "content_type", "/header-charset/lv.html",
	             "text/html; charset=windows-1257");
	assert_field(&r, "content_type", "/charset/lv.html", "text/html");
	const char *paths[] = {"/header-charset/lv.html", "/charset/lv.html"};
	for (int i = 0; i < 2; i++) {
		assert_field(&r, "charset", paths[i], "windows-1257");
		assert_field(&r, "title", paths[i], "Mikrokvalifik\xc4\x81\x63ijas");
		char *text = text_of(&r, paths[i]);
		assert_contains(text, "Mikrokvalifik\xc4\x81\x63ijas ir \xc4\xab\x73\x61s m\xc4\x81"
		                      "c\xc4\xab\x62u programmas");
		free(text);
	}
	tc_close(&r);
}

static void test_crawl_iso_8859_2_page_decoded_with_and_without_header_charset(void **state)
{
	(void)state;
	tc_run r;
	crawl(&r, NULL,
	      "[source:hdr]\ncountry = PL\nkind = policy\nurl = %1$s/header-charset/pl.html\n\n"
	      "[source:meta]\ncountry = PL\nkind = policy\nurl = %1$s/charset/pl.html\n");
	assert_field(&r, "content_type", "/header-charset/pl.html",
	             "text/html; charset=iso-8859-2");
	const char *paths[] = {"/header-charset/pl.html", "/charset/pl.html"};
	for (int i = 0; i < 2; i++) {
		assert_field(&r, "charset", paths[i], "ISO-8859-2");
		char *text = text_of(&r, paths[i]);
		assert_contains(text, "Mikropo\xc5\x9bwiadczenia s\xc4\x85 kr\xc3\xb3tkimi formami "
		                      "kszta\xc5\x82\x63\x65nia");
		assert_contains(text, "\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87");
		free(text);
	}
	tc_close(&r);
}

/* ---- incremental runs -------------------------------------------------------------- */

static void test_crawl_second_run_gets_304(void **state)
{
	(void)state;
	const char *src = "[source:site]\ncountry = LV\nkind = policy\nurl = %1$s/index.html\n"
	                  "depth = 2\nfollow = .\nsitemap = yes\n";
	tc_run r;
	crawl(&r, NULL, src);
	assert_int_equal(r.rc, MCT_OK);
	long long first_run = r.run_id;
	long long pages =
	    tc_int(&r, "SELECT count(*) FROM captures WHERE run_id = %lld", first_run);
	long long fetched = tc_int(&r,
	                           "SELECT count(*) FROM captures WHERE run_id = %lld AND outcome "
	                           "IN ('new', 'changed')",
	                           first_run);
	long long bodies = tc_int(&r, "SELECT count(*) FROM bodies");
	double first_s = r.seconds;
	int log_304 = ts_log_count(web.access_log, " 304 ");
	int log_200 = ts_log_count(web.access_log, " 200 ");

	tc_crawl_again(&r, NULL, 0, NULL);
	assert_int_equal(r.rc, MCT_OK);
	/* The same pages were reached - links of unchanged pages come from the
	 * stored bodies - and every fetched one is unchanged. */
	assert_int_equal(
	    tc_int(&r, "SELECT count(*) FROM captures WHERE run_id = %lld", (long long)r.run_id),
	    pages);
	assert_int_equal(tc_int(&r,
	                        "SELECT count(*) FROM captures WHERE run_id = %lld AND outcome = "
	                        "'unchanged'",
	                        (long long)r.run_id),
	                 fetched);
	assert_int_equal((long long)r.stats.pages_unchanged, fetched);
	assert_int_equal(r.stats.pages_new + r.stats.pages_changed, 0);
	/* nginx answered each of them with 304: no body was sent again, only
	 * robots.txt and the sitemap (not captures) came with a 200 */
	assert_int_equal(ts_log_count(web.access_log, " 304 ") - log_304, fetched);
	assert_int_equal(ts_log_count(web.access_log, " 200 ") - log_200, 2);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM bodies"), bodies);
	/* the validators were sent (nginx logs a quote as \x22) */
	assert_true(ts_log_count(web.access_log, "inm=\"W/\\x22") +
	                ts_log_count(web.access_log, "inm=\"\\x22") >=
	            fetched);
	/* unchanged captures point at the stored body */
	assert_int_equal(tc_int(&r,
	                        "SELECT count(*) FROM captures c WHERE run_id = %lld AND "
	                        "outcome = 'unchanged' AND sha256 = (SELECT sha256 FROM captures "
	                        "WHERE url = c.url AND run_id = %lld)",
	                        (long long)r.run_id, first_run),
	                 fetched);
	char *s = tc_str(&r, "SELECT last_status FROM sources WHERE id = 'site'");
	assert_string_equal(s, "unchanged");
	free(s);
	print_message("second run over the fixture site: %lld pages (%lld fetched), first run "
	              "%.2f s, second run %.2f s, %lld answers 304\n",
	              pages, fetched, first_s, r.seconds, fetched);
	tc_close(&r);
}

static void test_crawl_changed_page_is_recorded_changed(void **state)
{
	(void)state;
	char *site = mct_xasprintf("%s/changing", tmp);
	assert_int_equal(mkdir(site, 0755), 0);
	free(tu_write(site, "robots.txt", "User-agent: *\nAllow: /\n"));
	free(tu_write(site, "page.html",
	              "<html><head><title>v1</title></head><body><p>First "
	              "version.</p></body></html>\n"));
	ts_server own;
	assert_int_equal(ts_nginx_start(site, tmp, &own), 0);
	char *src = mct_xasprintf("[source:c]\ncountry = LV\nkind = policy\nurl = %s/page.html\n",
	                          own.base);
	char *dir = run_dir();
	tc_run r;
	assert_int_equal(tc_crawl(&r, dir, NULL, src), 0);
	char *url = mct_xasprintf("%s/page.html", own.base);
	char *o = tc_str(&r, "SELECT outcome FROM captures WHERE url = '%q'", url);
	assert_string_equal(o, "new");
	free(o);
	/* a new version, one second later so Last-Modified moves too */
	sleep(1);
	free(tu_write(site, "page.html",
	              "<html><head><title>v2</title></head><body><p>Second "
	              "version, longer.</p></body></html>\n"));
	tc_crawl_again(&r, NULL, 0, NULL);
	o = tc_str(&r, "SELECT outcome || '|' || title FROM captures WHERE run_id = %lld",
	           (long long)r.run_id);
	assert_string_equal(o, "changed|v2");
	free(o);
	assert_int_equal(r.stats.pages_changed, 1);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM bodies"), 2);
	tc_close(&r);
	ts_server_stop(&own);
	free(url);
	free(dir);
	free(src);
	free(site);
}

/* ---- file:// sources ------------------------------------------------------------- */

static void test_crawl_file_source_is_a_single_document(void **state)
{
	(void)state;
	char *index = tu_top_path("tests/fixtures/site/index.html");
	char *abs = realpath(index, NULL);
	char *src = mct_xasprintf("[source:disk]\ncountry = LV\nkind = policy\nurl = file://%s\n"
	                          "depth = 2\nfollow = .\n",
	                          abs);
	char *dir = run_dir();
	tc_run r;
	assert_int_equal(tc_crawl(&r, dir, NULL, src), 0);
	assert_int_equal(r.rc, MCT_OK);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures"), 1);
	char *s = tc_str(&r, "SELECT outcome || '|' || text_type || '|' || title FROM captures");
	assert_string_equal(s, "new|html|Ministry of Learning: micro-credentials");
	free(s);
	tc_crawl_again(&r, NULL, 0, NULL);
	s = tc_str(&r, "SELECT outcome FROM captures WHERE run_id = %lld", (long long)r.run_id);
	assert_string_equal(s, "unchanged");
	free(s);
	tc_close(&r);
	free(dir);
	free(src);
	/* a missing file fails its source with the path in the reason */
	src = mct_xasprintf("[source:disk]\ncountry = LV\nkind = policy\nurl = file://%s.gone\n",
	                    abs);
	dir = run_dir();
	assert_int_equal(tc_crawl(&r, dir, NULL, src), 0);
	s = tc_str(&r, "SELECT last_status || '|' || last_error FROM sources");
	assert_contains(s, "failed|");
	assert_contains(s, "index.html.gone: cannot open");
	free(s);
	tc_close(&r);
	free(dir);
	free(src);
	free(abs);
	free(index);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crawl_start_page_is_captured_with_its_text),
	    cmocka_unit_test(test_crawl_source_status_is_stored),
	    cmocka_unit_test(test_crawl_stores_every_configured_source_even_disabled),
	    cmocka_unit_test(test_crawl_only_the_sources_asked_for),
	    cmocka_unit_test(test_crawl_prints_one_progress_line_per_fetch),
	    cmocka_unit_test(test_crawl_robots_disallow_recorded),
	    cmocka_unit_test(test_crawl_robots_group_is_chosen_by_the_user_agent_product_token),
	    cmocka_unit_test(test_crawl_robots_txt_fetched_once_per_host_per_run),
	    cmocka_unit_test(test_crawl_follows_links_down_to_the_depth),
	    cmocka_unit_test(test_crawl_without_follow_regex_follows_nothing),
	    cmocka_unit_test(test_crawl_follow_regex_selects_links),
	    cmocka_unit_test(test_crawl_bad_follow_regex_fails_the_source_only),
	    cmocka_unit_test(test_crawl_max_pages_caps_a_source),
	    cmocka_unit_test(test_crawl_urls_are_fetched_once_per_source_and_run),
	    cmocka_unit_test(test_crawl_same_site_keeps_links_on_the_host),
	    cmocka_unit_test(test_crawl_sitemap_urls_crawled_when_enabled),
	    cmocka_unit_test(test_crawl_redirect_records_the_final_url),
	    cmocka_unit_test(test_crawl_gzip_transfer_is_decoded),
	    cmocka_unit_test(test_crawl_pdf_is_extracted_with_pages_and_title),
	    cmocka_unit_test(test_crawl_pdf_served_as_html_is_read_as_pdf),
	    cmocka_unit_test(test_crawl_windows_1257_page_decoded_with_and_without_header_charset),
	    cmocka_unit_test(test_crawl_iso_8859_2_page_decoded_with_and_without_header_charset),
	    cmocka_unit_test(test_crawl_second_run_gets_304),
	    cmocka_unit_test(test_crawl_changed_page_is_recorded_changed),
	    cmocka_unit_test(test_crawl_file_source_is_a_single_document),
	};
	return cmocka_run_group_tests(tests, start_site, stop_site);
}
