/*
 * tests/unit/test_reliability_network.c - where a run may go: only http and
 * https (and the file:// sources a configuration names), no redirect or
 * link to another scheme, and with deny_private_networks = yes no loopback,
 * private, link-local or otherwise internal address, however it is
 * written, decided on the address a name resolves to.
 *
 * The crawler's own tests check the address classes one by one
 * (test_crawl_links) and one refused source (test_crawl_faults); these run
 * whole crawls over every spelling of an internal address a page author or
 * a redirect could use, and check that nothing reached the server behind
 * it.  Only a redirect from a public host to a private one cannot be shown
 * offline: every host here is on 127.0.0.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../support/servers.h"
#include "test_reliability.h"

typedef struct {
	char *dir, *www, *rules;
	ts_server faultd;
	pid_t raw_pid;
	char *raw_base;
} fixture;

static int setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	f->www = mct_xasprintf("%s/www", f->dir);
	assert_int_equal(mkdir(f->www, 0755), 0);
	f->rules = tu_top_path("tests/fixtures/rules/good");
	if (ts_faultd_start(NULL, f->dir, &f->faultd) != 0)
		fail_msg("faultd did not start");
	f->raw_base = rl_rawhttpd_start(f->www, &f->raw_pid);
	if (!f->raw_base)
		fail_msg("rawhttpd did not start");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	kill(f->raw_pid, SIGKILL);
	waitpid(f->raw_pid, NULL, 0);
	ts_server_stop(&f->faultd);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->www);
	free(f->rules);
	free(f->raw_base);
	free(f);
	return 0;
}

/* dir/name/mcthermo.ini with the test rules, quick crawler settings plus
 * `crawler`, and `sources`; returns the config's path (new). */
static char *config_in(const fixture *f, const char *name, const char *crawler, const char *sources)
{
	char *d = mct_xasprintf("%s/%s", f->dir, name);
	assert_int_equal(mkdir(d, 0755), 0);
	char *p = rl_writef(d, "mcthermo.ini",
	                    "[store]\npath = m.db\n[rules]\npath = %s\n[crawler]\ntimeout_s = 3\n"
	                    "retries = 0\nper_host_delay_ms = 0\n%s\n%s",
	                    f->rules, crawler, sources);
	free(d);
	return p;
}

/* Every spelling of an internal address.  "port" marks the ones that are
 * faultd itself on 127.0.0.1, reachable when the check is off. */
static const struct {
	const char *host;
	int port;
} internal[] = {
    {"localhost", 1},
    {"127.0.0.2", 0},
    {"2130706433", 1}, /* 127.0.0.1 as one decimal number */
    {"0x7f000001", 1}, /* in hex */
    {"0177.0.0.1", 1}, /* in octal */
    {"127.1", 1},      /* with parts left out */
    {"0.0.0.0", 1},    /* "this host": Linux connects it to loopback */
    {"[::1]", 0},
    {"[::ffff:127.0.0.1]", 1}, /* IPv4-mapped */
    {"[::]", 0},
    {"10.1.2.3", 0},
    {"172.16.0.1", 0},
    {"192.168.1.1", 0},
    {"169.254.169.254", 0}, /* cloud metadata services live here */
    {"100.64.0.1", 0},      /* carrier-grade NAT */
    {"[fe80::1]", 0},
    {"[fc00::1]", 0},
};
#define NINTERNAL (sizeof internal / sizeof internal[0])

static char *internal_sources(const fixture *f)
{
	mct_buf b;
	mct_buf_init(&b);
	for (size_t i = 0; i < NINTERNAL; i++) {
		mct_buf_printf(&b, "[source:s%02zu]\ncountry = LV\nkind = policy\nurl = http://%s",
		               i, internal[i].host);
		if (internal[i].port)
			mct_buf_printf(&b, ":%d", f->faultd.port);
		mct_buf_printf(&b, "/page/s%02zu\n", i);
	}
	return mct_buf_steal(&b);
}

static void test_deny_private_networks_refuses_every_spelling_of_an_internal_address(void **state)
{
	fixture *f = *state;
	char *sources = internal_sources(f);
	char *cfg = config_in(f, "deny", "deny_private_networks = yes", sources);
	char *d = mct_path_dirname(cfg);
	char *db = mct_xasprintf("%s/m.db", d);
	int before = ts_log_count(f->faultd.access_log, "/");
	rl_result r = rl_run(d, "--config", cfg, "crawl");
	assert_int_equal(r.code, 1);
	/* refused before connecting: no waiting for timeouts */
	assert_true(r.ms < 5000);
	rl_result_free(&r);
	for (size_t i = 0; i < NINTERNAL; i++) {
		char *e = rl_query(db, "SELECT last_error FROM sources WHERE id = 's%02d'", (int)i);
		if (!e || !strstr(e, "refused: resolves to a private address"))
			fail_msg("http://%s: %s", internal[i].host, e ? e : "(no status)");
		free(e);
	}
	assert_int_equal(rl_count(db, "SELECT count(*) FROM captures WHERE sha256 IS NOT NULL"), 0);
	/* nothing reached the server, not even for robots.txt */
	assert_int_equal(ts_log_count(f->faultd.access_log, "/"), before);
	free(db);
	free(d);
	free(cfg);
	free(sources);
}

static void test_private_networks_are_reached_when_not_denied(void **state)
{
	fixture *f = *state;
	char *sources = internal_sources(f);
	char *cfg = config_in(f, "allow", "", sources);
	char *d = mct_path_dirname(cfg);
	char *db = mct_xasprintf("%s/m.db", d);
	rl_result r = rl_run(d, "--config", cfg, "crawl");
	rl_result_free(&r);
	/* the default: every spelling of faultd's address reaches it */
	for (size_t i = 0; i < NINTERNAL; i++) {
		if (!internal[i].port)
			continue;
		char path[32];
		snprintf(path, sizeof path, "/page/s%02zu", i);
		if (ts_log_count(f->faultd.access_log, path) != 1)
			fail_msg("http://%s was not fetched with the check off", internal[i].host);
	}
	free(db);
	free(d);
	free(cfg);
	free(sources);
}

static void test_redirects_to_other_schemes_are_refused(void **state)
{
	fixture *f = *state;
	static const char *const targets[] = {"file:///etc/passwd",
	                                      "ftp://127.0.0.1/pub/x",
	                                      "gopher://127.0.0.1:70/_GET%20/",
	                                      "dict://127.0.0.1:2628/show:db",
	                                      "ldap://127.0.0.1/o=x",
	                                      "data:text/html,<p>x</p>",
	                                      "scp://127.0.0.1/etc/passwd",
	                                      "telnet://127.0.0.1:23"};
	size_t n = sizeof targets / sizeof targets[0];
	mct_buf sources;
	mct_buf_init(&sources);
	for (size_t i = 0; i < n; i++) {
		char *name = mct_xasprintf("to-%zu", i);
		char *resp = mct_xasprintf("HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: "
		                           "0\r\nConnection: close\r\n\r\n",
		                           targets[i]);
		free(tu_write(f->www, name, resp));
		mct_buf_printf(&sources,
		               "[source:r%zu]\ncountry = LV\nkind = policy\nurl = %s/%s\n", i,
		               f->raw_base, name);
		free(resp);
		free(name);
	}
	char *cfg = config_in(f, "redirects", "", sources.data);
	char *d = mct_path_dirname(cfg);
	char *db = mct_xasprintf("%s/m.db", d);
	rl_result r = rl_run(d, "--config", cfg, "crawl");
	assert_int_equal(r.code, 1);
	rl_result_free(&r);
	for (size_t i = 0; i < n; i++) {
		char *st = rl_query(db,
		                    "SELECT last_status || ': ' || last_error FROM sources "
		                    "WHERE id = 'r%d'",
		                    (int)i);
		if (!st || strncmp(st, "failed: ", 8) != 0 || !strstr(st, "refused"))
			fail_msg("redirect to %s: %s", targets[i], st ? st : "(no status)");
		free(st);
	}
	/* and no body came from anywhere */
	assert_int_equal(rl_count(db, "SELECT count(*) FROM captures WHERE sha256 IS NOT NULL"), 0);
	free(db);
	free(d);
	free(cfg);
	mct_buf_free(&sources);
}

static void test_links_to_other_schemes_are_never_followed(void **state)
{
	fixture *f = *state;
	char *page = mct_xasprintf(
	    "<html><body><p>Links.</p>\n"
	    "<a href=\"file:///etc/passwd\">a</a> <a href=\"FILE:///etc/shadow\">b</a>\n"
	    "<a href=\"ftp://127.0.0.1/x\">c</a> <a href=\"gopher://127.0.0.1/_x\">d</a>\n"
	    "<a href=\"javascript:alert(1)\">e</a> <a href=\"data:text/html,x\">f</a>\n"
	    "<a href=\"mailto:a@example.org\">g</a> <a href=\"dict://127.0.0.1/x\">h</a>\n"
	    "<a href=\"%s/ok\">the one to follow</a>\n</body></html>\n",
	    f->raw_base);
	char *resp = mct_xasprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
	                           "%zu\r\nConnection: close\r\n\r\n%s",
	                           strlen(page), page);
	free(tu_write(f->www, "links", resp));
	free(tu_write(f->www, "ok",
	              "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n"
	              "Connection: close\r\n\r\n<p>fine</p>\n"));
	char *sources =
	    mct_xasprintf("[source:links]\ncountry = LV\nkind = policy\nurl = %s/links\n"
	                  "depth = 1\nfollow = .\nsame_site = no\n",
	                  f->raw_base);
	char *cfg = config_in(f, "links", "", sources);
	char *d = mct_path_dirname(cfg);
	char *db = mct_xasprintf("%s/m.db", d);
	rl_result r = rl_run(d, "--config", cfg, "crawl");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	char *urls = rl_query(db, "SELECT url FROM captures ORDER BY url");
	char *want = mct_xasprintf("%s/links\n%s/ok\n", f->raw_base, f->raw_base);
	assert_string_equal(urls, want);
	free(urls);
	free(want);
	free(db);
	free(d);
	free(cfg);
	free(sources);
	free(resp);
	free(page);
}

static void test_sources_of_other_schemes_are_a_configuration_error(void **state)
{
	fixture *f = *state;
	static const char *const urls[] = {"ftp://example.org/x", "gopher://example.org/",
	                                   "javascript:alert(1)", "/etc/passwd",
	                                   "file:/etc/passwd",    "data:text/html,x"};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		char *name = mct_xasprintf("scheme-%zu", i);
		char *sources =
		    mct_xasprintf("[source:x]\ncountry = LV\nkind = policy\nurl = %s\n", urls[i]);
		char *cfg = config_in(f, name, "", sources);
		char *d = mct_path_dirname(cfg);
		rl_result r = rl_run(d, "--config", cfg, "run");
		if (r.code != 2 || !strstr(r.err, "unsupported scheme"))
			fail_msg("url = %s: exit %d: %s", urls[i], r.code, r.err);
		rl_result_free(&r);
		char *db = mct_xasprintf("%s/m.db", d);
		assert_false(tu_exists(db)); /* refused before anything was written */
		free(db);
		free(d);
		free(cfg);
		free(sources);
		free(name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_deny_private_networks_refuses_every_spelling_of_an_internal_address),
	    cmocka_unit_test(test_private_networks_are_reached_when_not_denied),
	    cmocka_unit_test(test_redirects_to_other_schemes_are_refused),
	    cmocka_unit_test(test_links_to_other_schemes_are_never_followed),
	    cmocka_unit_test(test_sources_of_other_schemes_are_a_configuration_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
