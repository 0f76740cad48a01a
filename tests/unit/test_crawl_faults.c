/*
 * tests/unit/test_crawl_faults.c - the crawl against servers that misbehave.
 *
 * faultd (tests/tools/faultd.c) times out, resets, fails then recovers, asks
 * to retry later, redirects in circles or to file://, sends too much, a gzip
 * bomb, a truncated body or a slow drip; each test crawls one such path and
 * checks the reason stored in words, that the crawl went on, and from
 * faultd's request log how often the server was asked.  Timeouts are small
 * (timeout_s = 2 unless a test says otherwise) so the suite stays fast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../crawler/crawler.h"
#include "../support/crawlrun.h"
#include "../support/servers.h"
#include "../support/testutil.h"

static char *tmp;
static ts_server fd;
static int nrun;

static int start_faultd(void **state)
{
	(void)state;
	tmp = tu_tempdir();
	return ts_faultd_start(NULL, tmp, &fd);
}

static int stop_faultd(void **state)
{
	(void)state;
	ts_server_stop(&fd);
	tu_rmtree(tmp);
	free(tmp);
	return 0;
}

/* Crawl one source whose URL is `path` on server s. */
static void crawl_on(tc_run *r, const ts_server *s, const char *crawler, const char *path,
                     const char *extra)
{
	char *dir = mct_xasprintf("%s/run%d", tmp, ++nrun);
	assert_int_equal(mkdir(dir, 0700), 0);
	char *src = mct_xasprintf("[source:s]\ncountry = LV\nkind = policy\nurl = %s%s\n%s",
	                          s->base, path, extra ? extra : "");
	if (tc_crawl(r, dir, crawler, src) != 0)
		fail_msg("could not set up the crawl");
	free(src);
	free(dir);
}

static void crawl_path(tc_run *r, const char *crawler, const char *path)
{
	crawl_on(r, &fd, crawler, path, NULL);
}

static char *start_field(tc_run *r, const char *field)
{
	return tc_str(r, "SELECT %s FROM captures WHERE depth = 0 ORDER BY id DESC LIMIT 1", field);
}

static void assert_starts_with(const char *s, const char *prefix)
{
	if (!s || strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("expected '%s...', got '%s'", prefix, s ? s : "NULL");
}

/* The start page failed with a reason starting with `prefix`, and the
 * source's status says the same. */
static void assert_failed(tc_run *r, const char *outcome, const char *prefix)
{
	assert_int_equal(r->rc, MCT_OK);
	char *o = start_field(r, "outcome");
	assert_non_null(o);
	assert_string_equal(o, outcome);
	free(o);
	char *e = start_field(r, "error");
	assert_starts_with(e, prefix);
	char *status = tc_str(r, "SELECT last_error FROM sources WHERE id = 's'");
	assert_non_null(status);
	assert_string_equal(status, e);
	free(status);
	free(e);
	assert_null(start_field(r, "sha256")); /* no body stored */
	assert_int_equal(r->stats.sources_failed, 1);
}

static int requests_to(const ts_server *s, const char *path)
{
	char *needle = mct_xasprintf(" %s ", path);
	int n = ts_log_count(s->access_log, needle);
	free(needle);
	return n;
}

/* ---- network failures ------------------------------------------------------ */

static void test_crawl_timeout_is_retried_then_recorded(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "timeout_s = 1\nretries = 1", "/timeout");
	assert_failed(&r, "failed", "timed out after 1 s (2 tries)");
	assert_int_equal(requests_to(&fd, "/timeout"), 2);
	assert_true(r.seconds < 5);
	tc_close(&r);
}

static void test_crawl_connection_reset_recorded(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, NULL, "/reset");
	assert_failed(&r, "failed", "connection reset by the server");
	tc_close(&r);
}

static void test_crawl_connection_refused_recorded(void **state)
{
	(void)state;
	/* a port that was free a moment ago and nobody listens on */
	ts_server gone;
	assert_int_equal(ts_faultd_start(NULL, tmp, &gone), 0);
	ts_server dead = {0};
	dead.base = mct_xstrdup(gone.base);
	ts_server_stop(&gone);
	tc_run r;
	crawl_on(&r, &dead, NULL, "/page/x", NULL);
	/* robots.txt got no answer, so the page is not even asked for, and
	 * fails for the same reason */
	assert_failed(&r, "failed", "connection refused");
	char *e = start_field(&r, "error");
	assert_string_equal(e, "connection refused");
	free(e);
	tc_close(&r);
	free(dead.base);
}

static void test_crawl_dns_failure_recorded(void **state)
{
	(void)state;
	ts_server nowhere = {0};
	nowhere.base = "http://no-such-host.invalid";
	tc_run r;
	crawl_on(&r, &nowhere, NULL, "/", NULL);
	assert_failed(&r, "failed", "DNS lookup failed for no-such-host.invalid");
	tc_close(&r);
}

static void test_crawl_private_network_refused(void **state)
{
	(void)state;
	tc_run r;
	int before = requests_to(&fd, "/robots.txt");
	crawl_path(&r, "deny_private_networks = yes", "/page/x");
	assert_failed(&r, "failed", "refused: resolves to a private address (127.0.0.1)");
	assert_int_equal(requests_to(&fd, "/robots.txt") - before + requests_to(&fd, "/page/x"), 0);
	tc_close(&r);
}

/* ---- HTTP errors and retries ---------------------------------------------------- */

static void test_crawl_500_then_200_is_retried_and_stored(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "retries = 2", "/flaky/a");
	char *o = start_field(&r, "outcome");
	assert_string_equal(o, "new");
	free(o);
	assert_int_equal(requests_to(&fd, "/flaky/a"), 2);
	assert_int_equal(r.stats.sources_ok, 1);
	tc_close(&r);
}

static void test_crawl_503_fails_after_all_tries(void **state)
{
	(void)state;
	tc_run r;
	int before = requests_to(&fd, "/fail503");
	crawl_path(&r, "retries = 2", "/fail503");
	assert_failed(&r, "failed", "HTTP 503 after 3 tries");
	assert_int_equal(requests_to(&fd, "/fail503") - before, 3);
	/* exponential backoff: 0.5 s, then 1 s */
	assert_true(r.seconds >= 1.4);
	tc_close(&r);
	/* without retries, one try and the plain status */
	crawl_path(&r, "retries = 0", "/fail503");
	assert_failed(&r, "failed", "HTTP 503");
	char *e = start_field(&r, "error");
	assert_string_equal(e, "HTTP 503");
	free(e);
	tc_close(&r);
}

static void test_crawl_429_honours_retry_after(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "retries = 1", "/retry-after/k");
	char *o = start_field(&r, "outcome");
	assert_string_equal(o, "new");
	free(o);
	assert_int_equal(requests_to(&fd, "/retry-after/k"), 2);
	/* the log's first column is the time in ms: the retry came a second later */
	FILE *f = fopen(fd.access_log, "r");
	assert_non_null(f);
	char line[1024];
	long long t[2] = {0, 0};
	int n = 0;
	while (fgets(line, sizeof line, f))
		if (strstr(line, " /retry-after/k ") && n < 2)
			t[n++] = atoll(line);
	fclose(f);
	assert_int_equal(n, 2);
	assert_true(t[1] - t[0] >= 950);
	tc_close(&r);
}

static void test_crawl_long_retry_after_is_not_waited_for(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "retries = 3", "/retry-after-long");
	assert_failed(&r, "failed",
	              "HTTP 503 (the server asked to wait 86400 s; not retried in this run)");
	assert_int_equal(requests_to(&fd, "/retry-after-long"), 1);
	assert_true(r.seconds < 2);
	tc_close(&r);
}

static void test_crawl_http_404_is_not_retried(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "retries = 3", "/no/such/page");
	assert_failed(&r, "failed", "HTTP 404");
	assert_int_equal(requests_to(&fd, "/no/such/page"), 1);
	tc_close(&r);
}

/* ---- redirects --------------------------------------------------------------------- */

static void test_crawl_redirect_loop_stops_after_five(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, NULL, "/loop/0");
	assert_failed(&r, "failed", "too many redirects (more than 5)");
	assert_int_equal(ts_log_count(fd.access_log, " /loop/"), 6);
	tc_close(&r);
}

static void test_crawl_redirect_to_file_url_refused(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, NULL, "/to-file");
	assert_failed(&r, "failed", "redirect to a non-http(s) URL refused (file:///etc/passwd)");
	tc_close(&r);
}

static void test_crawl_redirect_target_is_recorded(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, NULL, "/moved");
	char *s = tc_str(&r, "SELECT outcome || ' ' || final_url FROM captures");
	char *want = mct_xasprintf("new %s/page/moved-here", fd.base);
	assert_string_equal(s, want);
	free(want);
	free(s);
	tc_close(&r);
}

/* ---- bodies --------------------------------------------------------------------------- */

static void test_crawl_announced_huge_body_refused(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "max_body_bytes = 1000000", "/huge");
	assert_failed(&r, "failed", "body over 1 MB");
	assert_true(r.stats.bytes_downloaded < 1000 * 1000);
	tc_close(&r);
}

static void test_crawl_huge_body_without_length_cut_at_the_limit(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "max_body_bytes = 1000000", "/huge-chunked");
	assert_failed(&r, "failed", "body over 1 MB");
	assert_true(r.stats.bytes_downloaded < 2 * 1000 * 1000);
	tc_close(&r);
}

static void test_crawl_gzip_bomb_cut_early(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "max_body_bytes = 1000000", "/gzip-bomb");
	assert_failed(&r, "failed", "gzip bomb: compressed body over limit");
	/* a few kilobytes on the wire, far from the gigabyte it expands to */
	assert_true(r.stats.bytes_downloaded < 100 * 1000);
	assert_true(r.seconds < 2);
	tc_close(&r);
}

static void test_crawl_truncated_body_recorded(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, NULL, "/truncated");
	assert_failed(&r, "failed", "truncated body (got 500 of 1000 bytes)");
	tc_close(&r);
}

static void test_crawl_slow_drip_given_up(void **state)
{
	(void)state;
	tc_run r;
	/* timeout_s = 2: a transfer under 100 bytes/s for 1 s is dropped, before
	 * the timeout and in other words than a timeout */
	crawl_path(&r, "timeout_s = 2", "/drip");
	assert_failed(&r, "failed", "too slow: under 100 bytes/s for 1 s");
	assert_true(r.seconds < 1.9);
	tc_close(&r);
}

static void test_crawl_unsupported_content_type_skipped(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, NULL, "/image.png");
	assert_failed(&r, "skipped", "unsupported content type image/png");
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM bodies"), 0);
	tc_close(&r);
}

static void test_crawl_same_body_without_validators_is_unchanged(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, NULL, "/page/same");
	tc_crawl_again(&r, NULL, 0, NULL);
	char *o = tc_str(&r, "SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM captures "
	                     "ORDER BY id)");
	assert_string_equal(o, "new,unchanged");
	free(o);
	assert_int_equal(tc_int(&r, "SELECT count(DISTINCT sha256) FROM captures"), 1);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM bodies"), 1);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM texts"), 1);
	tc_close(&r);
}

/* ---- robots.txt answers ------------------------------------------------------------------- */

static void test_crawl_robots_5xx_disallows_the_host(void **state)
{
	(void)state;
	ts_server s;
	assert_int_equal(ts_faultd_start("503", tmp, &s), 0);
	tc_run r;
	crawl_on(&r, &s, NULL, "/page/x", NULL);
	char *want = mct_xasprintf("disallowed: robots.txt unreachable (HTTP 503), so nothing is "
	                           "fetched from %s in this run",
	                           s.base);
	assert_failed(&r, "skipped", want);
	free(want);
	assert_int_equal(requests_to(&s, "/page/x"), 0);
	assert_int_equal(requests_to(&s, "/robots.txt"), 1);
	tc_close(&r);
	ts_server_stop(&s);
}

static void test_crawl_robots_4xx_allows_everything(void **state)
{
	(void)state;
	ts_server s;
	assert_int_equal(ts_faultd_start("404", tmp, &s), 0);
	tc_run r;
	crawl_on(&r, &s, NULL, "/private/x", NULL);
	char *o = start_field(&r, "outcome");
	assert_string_equal(o, "new");
	free(o);
	tc_close(&r);
	ts_server_stop(&s);
}

static void test_crawl_robots_redirect_is_followed(void **state)
{
	(void)state;
	ts_server s;
	assert_int_equal(ts_faultd_start("redirect", tmp, &s), 0);
	tc_run r;
	crawl_on(&r, &s, NULL, "/private/x", NULL);
	assert_failed(&r, "skipped", "disallowed by robots.txt line 2 (Disallow: /private)");
	assert_int_equal(requests_to(&s, "/robots-real.txt"), 1);
	tc_close(&r);
	ts_server_stop(&s);
}

static void test_crawl_robots_redirect_loop_means_unavailable(void **state)
{
	(void)state;
	ts_server s;
	assert_int_equal(ts_faultd_start("loop", tmp, &s), 0);
	tc_run r;
	crawl_on(&r, &s, NULL, "/page/x", NULL);
	char *o = start_field(&r, "outcome");
	assert_string_equal(o, "new");
	free(o);
	tc_close(&r);
	ts_server_stop(&s);
}

static void test_crawl_robots_txt_read_up_to_500_kib(void **state)
{
	(void)state;
	ts_server s;
	assert_int_equal(ts_faultd_start("huge", tmp, &s), 0);
	tc_run r;
	/* /page/ is disallowed only by a line past the first 500 KiB */
	crawl_on(&r, &s, NULL, "/page/x", NULL);
	char *o = start_field(&r, "outcome");
	assert_string_equal(o, "new");
	free(o);
	tc_close(&r);
	/* the rules before the limit hold */
	crawl_on(&r, &s, NULL, "/private/x", NULL);
	assert_failed(&r, "skipped", "disallowed by robots.txt line 2 (Disallow: /private)");
	tc_close(&r);
	ts_server_stop(&s);
}

static void test_crawl_robots_disallowed_link_recorded_and_never_requested(void **state)
{
	(void)state;
	tc_run r;
	crawl_on(&r, &fd, NULL, "/tree/0/0", "depth = 1\nfollow = /tree/|/private/\n");
	char *e = tc_str(&r, "SELECT error FROM captures WHERE url = '%q/private/0'", fd.base);
	assert_non_null(e);
	assert_string_equal(e, "disallowed by robots.txt line 3 (Disallow: /private)");
	free(e);
	assert_int_equal(requests_to(&fd, "/private/0"), 0);
	tc_close(&r);
}

/* ---- politeness ------------------------------------------------------------------------------ */

static void test_crawl_links_stay_on_the_host_unless_same_site_is_off(void **state)
{
	(void)state;
	tc_run r;
	/* /tree/0/0 links http://localhost:PORT/tree/1/9: another host name */
	crawl_on(&r, &fd, NULL, "/tree/0/0", "depth = 1\nfollow = /tree/\n");
	assert_int_equal(
	    tc_int(&r, "SELECT count(*) FROM captures WHERE url LIKE 'http://localhost:%%'"), 0);
	assert_int_equal(tc_int(&r, "SELECT count(*) FROM captures WHERE depth = 1"), 3);
	tc_close(&r);
	crawl_on(&r, &fd, NULL, "/tree/0/0", "depth = 1\nfollow = /tree/\nsame_site = no\n");
	char *o = tc_str(&r, "SELECT outcome FROM captures WHERE url LIKE 'http://localhost:%%'");
	assert_non_null(o);
	assert_string_equal(o, "new");
	free(o);
	tc_close(&r);
}

static int max_inflight(const ts_server *s)
{
	char *cmd = mct_xasprintf("curl -s %s/stats", s->base);
	char *out = NULL;
	int rc = tu_run(cmd, &out, NULL);
	free(cmd);
	assert_int_equal(rc, 0);
	char *p = out ? strstr(out, "max_inflight ") : NULL;
	int n = p ? atoi(p + 13) : -1;
	free(out);
	return n;
}

static char *slow_sources(const ts_server *s, int n)
{
	mct_buf b;
	mct_buf_init(&b);
	for (int i = 0; i < n; i++)
		mct_buf_printf(&b,
		               "[source:s%d]\ncountry = LV\nkind = policy\nurl = %s/slow/%d\n\n", i,
		               s->base, i);
	return mct_buf_steal(&b);
}

static void crawl_sources(tc_run *r, const char *crawler, const char *sources)
{
	char *dir = mct_xasprintf("%s/run%d", tmp, ++nrun);
	assert_int_equal(mkdir(dir, 0700), 0);
	if (tc_crawl(r, dir, crawler, sources) != 0)
		fail_msg("could not set up the crawl");
	free(dir);
}

static void test_crawl_one_transfer_per_host_by_default(void **state)
{
	(void)state;
	ts_server s;
	assert_int_equal(ts_faultd_start(NULL, tmp, &s), 0);
	char *src = slow_sources(&s, 6);
	tc_run r;
	crawl_sources(&r, "concurrency = 8", src);
	assert_int_equal(r.stats.pages_new, 6);
	assert_int_equal(max_inflight(&s), 1);
	assert_true(r.seconds >= 6 * 0.2);
	tc_close(&r);
	ts_server_stop(&s);
	/* with per_host_connections = 3, three at a time */
	assert_int_equal(ts_faultd_start(NULL, tmp, &s), 0);
	free(src);
	src = slow_sources(&s, 6);
	crawl_sources(&r, "concurrency = 8\nper_host_connections = 3", src);
	assert_int_equal(r.stats.pages_new, 6);
	assert_int_equal(max_inflight(&s), 3);
	assert_true(r.seconds < 6 * 0.2);
	tc_close(&r);
	ts_server_stop(&s);
	free(src);
}

static void test_crawl_per_host_delay_spaces_requests(void **state)
{
	(void)state;
	ts_server s;
	assert_int_equal(ts_faultd_start(NULL, tmp, &s), 0);
	mct_buf b;
	mct_buf_init(&b);
	for (int i = 0; i < 3; i++)
		mct_buf_printf(&b,
		               "[source:p%d]\ncountry = LV\nkind = policy\nurl = %s/page/%d\n\n", i,
		               s.base, i);
	tc_run r;
	crawl_sources(&r, "per_host_delay_ms = 300\nconcurrency = 8", b.data);
	assert_int_equal(r.stats.pages_new, 3);
	/* robots.txt and three pages: four requests, each 300 ms after the last */
	FILE *f = fopen(s.access_log, "r");
	assert_non_null(f);
	char line[1024];
	long long prev = 0;
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		long long t = atoll(line);
		if (n++ > 0 && t - prev < 290)
			fail_msg("requests %lld ms apart:\n%s", t - prev, line);
		prev = t;
	}
	fclose(f);
	assert_int_equal(n, 4);
	assert_true(r.seconds >= 0.85);
	tc_close(&r);
	ts_server_stop(&s);
	mct_buf_free(&b);
}

static void test_crawl_sends_the_configured_user_agent(void **state)
{
	(void)state;
	tc_run r;
	crawl_path(&r, "user_agent = mcthermo/9.9 (+https://example.invalid/about)", "/page/ua");
	assert_int_equal(ts_log_count(fd.access_log,
	                              "/page/ua ua=mcthermo/9.9 (+https://example.invalid/about)"),
	                 1);
	tc_close(&r);
}

/* ---- the crawl as a whole ---------------------------------------------------------------------
 */

static void test_crawl_failing_source_does_not_stop_the_others(void **state)
{
	(void)state;
	char *src =
	    mct_xasprintf("[source:bad]\ncountry = LV\nkind = policy\nurl = %s/reset\n\n"
	                  "[source:worse]\ncountry = LV\nkind = policy\nurl = %s/fail503\n\n"
	                  "[source:good]\ncountry = LV\nkind = policy\nurl = %s/page/good\n",
	                  fd.base, fd.base, fd.base);
	tc_run r;
	crawl_sources(&r, NULL, src);
	assert_int_equal(r.rc, MCT_OK);
	assert_int_equal(r.stats.sources_total, 3);
	assert_int_equal(r.stats.sources_ok, 1);
	assert_int_equal(r.stats.sources_failed, 2);
	char *s = tc_str(&r, "SELECT group_concat(id || '=' || last_status, ' ') FROM "
	                     "(SELECT * FROM sources ORDER BY id)");
	assert_string_equal(s, "bad=failed good=ok worse=failed");
	free(s);
	tc_close(&r);
	free(src);
}

static volatile sig_atomic_t stop_flag;

static void on_alarm(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void test_crawl_stop_flag_abandons_transfers(void **state)
{
	(void)state;
	char *src =
	    mct_xasprintf("[source:done]\ncountry = LV\nkind = policy\nurl = %s/page/first\n\n"
	                  "[source:hung]\ncountry = LV\nkind = policy\nurl = %s/timeout\n",
	                  fd.base, fd.base);
	char *dir = mct_xasprintf("%s/run%d", tmp, ++nrun);
	assert_int_equal(mkdir(dir, 0700), 0);
	tc_run r;
	assert_int_equal(tc_setup(&r, dir, "timeout_s = 10", src), 0);
	/* SIGALRM plays the part of the SIGINT a person would send */
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {0, 400 * 1000}};
	stop_flag = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	tc_crawl_again(&r, NULL, 0, &stop_flag);
	signal(SIGALRM, SIG_DFL);
	assert_int_equal(r.rc, MCT_ERR_INTERRUPTED);
	assert_non_null(strstr(r.err.msg, "1 transfer abandoned"));
	assert_true(r.seconds < 2);
	/* what finished before the stop is committed, with its source's status */
	char *o = tc_str(&r, "SELECT group_concat(source_id || '=' || outcome) FROM captures");
	assert_string_equal(o, "done=new");
	free(o);
	o = tc_str(&r, "SELECT group_concat(id || '=' || coalesce(last_status, 'none')) FROM "
	               "(SELECT * FROM sources ORDER BY id)");
	assert_string_equal(o, "done=ok,hung=none");
	free(o);
	tc_close(&r);
	free(dir);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crawl_timeout_is_retried_then_recorded),
	    cmocka_unit_test(test_crawl_connection_reset_recorded),
	    cmocka_unit_test(test_crawl_connection_refused_recorded),
	    cmocka_unit_test(test_crawl_dns_failure_recorded),
	    cmocka_unit_test(test_crawl_private_network_refused),
	    cmocka_unit_test(test_crawl_500_then_200_is_retried_and_stored),
	    cmocka_unit_test(test_crawl_503_fails_after_all_tries),
	    cmocka_unit_test(test_crawl_429_honours_retry_after),
	    cmocka_unit_test(test_crawl_long_retry_after_is_not_waited_for),
	    cmocka_unit_test(test_crawl_http_404_is_not_retried),
	    cmocka_unit_test(test_crawl_redirect_loop_stops_after_five),
	    cmocka_unit_test(test_crawl_redirect_to_file_url_refused),
	    cmocka_unit_test(test_crawl_redirect_target_is_recorded),
	    cmocka_unit_test(test_crawl_announced_huge_body_refused),
	    cmocka_unit_test(test_crawl_huge_body_without_length_cut_at_the_limit),
	    cmocka_unit_test(test_crawl_gzip_bomb_cut_early),
	    cmocka_unit_test(test_crawl_truncated_body_recorded),
	    cmocka_unit_test(test_crawl_slow_drip_given_up),
	    cmocka_unit_test(test_crawl_unsupported_content_type_skipped),
	    cmocka_unit_test(test_crawl_same_body_without_validators_is_unchanged),
	    cmocka_unit_test(test_crawl_robots_5xx_disallows_the_host),
	    cmocka_unit_test(test_crawl_robots_4xx_allows_everything),
	    cmocka_unit_test(test_crawl_robots_redirect_is_followed),
	    cmocka_unit_test(test_crawl_robots_redirect_loop_means_unavailable),
	    cmocka_unit_test(test_crawl_robots_txt_read_up_to_500_kib),
	    cmocka_unit_test(test_crawl_robots_disallowed_link_recorded_and_never_requested),
	    cmocka_unit_test(test_crawl_links_stay_on_the_host_unless_same_site_is_off),
	    cmocka_unit_test(test_crawl_one_transfer_per_host_by_default),
	    cmocka_unit_test(test_crawl_per_host_delay_spaces_requests),
	    cmocka_unit_test(test_crawl_sends_the_configured_user_agent),
	    cmocka_unit_test(test_crawl_failing_source_does_not_stop_the_others),
	    cmocka_unit_test(test_crawl_stop_flag_abandons_transfers),
	};
	return cmocka_run_group_tests(tests, start_faultd, stop_faultd);
}
