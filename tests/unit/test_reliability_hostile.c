/*
 * tests/unit/test_reliability_hostile.c - pages and servers written by
 * strangers, through the whole run and every command that shows what they
 * said.
 *
 * The text extractor's own tests (test_text) and the crawler's fault tests
 * (test_crawl_faults) pin each parser and each transfer limit; these pin
 * what reaches the evidence and the user's terminal: escape sequences and
 * control characters from page text, titles, links, status lines and
 * headers; SQL metacharacters in text, URLs, source ids and review notes;
 * a rule that backtracks catastrophically on crafted text; a huge page,
 * markup nested 100000 deep, NUL bytes and invalid UTF-8 between sentences,
 * and a gzip bomb.
 *
 * Hostile answers come from tests/tools/rawhttpd, which sends a file as the
 * whole HTTP response, byte for byte; the rules are the test rule set
 * (tests/fixtures/rules/good), whose English examples the pages reuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../support/servers.h"
#include "test_reliability.h"

typedef struct {
	char *dir, *www, *rules;
	pid_t raw_pid;
	char *raw_base; /* http://127.0.0.1:PORT of rawhttpd */
	ts_server faultd;
} fixture;

static int setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	f->www = mct_xasprintf("%s/www", f->dir);
	assert_int_equal(mkdir(f->www, 0755), 0);
	f->rules = tu_top_path("tests/fixtures/rules/good");
	f->raw_base = rl_rawhttpd_start(f->www, &f->raw_pid);
	if (!f->raw_base)
		fail_msg("rawhttpd did not start");
	if (ts_faultd_start(NULL, f->dir, &f->faultd) != 0)
		fail_msg("faultd did not start");
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

/* Write n bytes (NUL and all) to dir/name; returns the path (new). */
static char *write_bytes(const char *dir, const char *name, const char *data, size_t n)
{
	char *p = mct_xasprintf("%s/%s", dir, name);
	FILE *out = fopen(p, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(data, 1, n, out), n);
	assert_int_equal(fclose(out), 0);
	return p;
}

/* A whole HTTP response for rawhttpd: status line, extra header lines (each
 * ending in \r\n), the body. */
static void raw_response(const fixture *f, const char *name, const char *status,
                         const char *headers, const char *body, size_t body_len)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_printf(&b, "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
	               status, headers, body_len);
	mct_buf_append(&b, body, body_len);
	free(write_bytes(f->www, name, b.data, b.len));
	mct_buf_free(&b);
}

/* A config in its own folder with the given [crawler] lines and sources;
 * returns the config's path (new). */
static char *config_in(const fixture *f, const char *name, const char *rules, const char *crawler,
                       const char *sources)
{
	char *d = mct_xasprintf("%s/%s", f->dir, name);
	assert_int_equal(mkdir(d, 0755), 0);
	char *p = rl_writef(d, "mcthermo.ini",
	                    "[store]\npath = m.db\n[rules]\npath = %s\n"
	                    "[crawler]\ntimeout_s = 5\nretries = 0\nper_host_delay_ms = 0\n%s\n%s",
	                    rules ? rules : f->rules, crawler ? crawler : "", sources);
	free(d);
	return p;
}

static char *db_of(const char *config)
{
	char *d = mct_path_dirname(config);
	char *db = mct_xasprintf("%s/m.db", d);
	free(d);
	return db;
}

/* ---- what may reach a terminal ---------------------------------------------------- */

/* NULL when s (n bytes) is safe for a terminal: valid UTF-8, no ESC, no C0
 * control but \n and \t, no DEL, no C1 control, no bidirectional override.
 * Else a description of the first offence. */
static const char *terminal_offence(const char *s, size_t n, size_t *at)
{
	for (size_t i = 0; i < n;) {
		unsigned cp = 0;
		size_t k = mct_utf8_char(s + i, n - i, &cp);
		*at = i;
		if (k == 0)
			return "a byte that is not UTF-8";
		if (cp == 0x1b)
			return "ESC";
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f)
			return "a C0 control or DEL";
		if (cp >= 0x80 && cp <= 0x9f)
			return "a C1 control";
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return "a bidirectional override";
		i += k;
	}
	return NULL;
}

static void assert_terminal_safe(const char *what, const char *s)
{
	size_t at = 0;
	const char *bad = terminal_offence(s, strlen(s), &at);
	if (bad)
		fail_msg("`%s` printed %s at byte %zu: ...%.60s", what, bad, at,
		         s + (at > 20 ? at - 20 : 0));
}

/* Run a command and check both its outputs; returns stdout (new). */
static char *safe_output(const char *dir, const char *const *argv, int want_code)
{
	rl_result r = rl_run_as(dir, 0, 60000, argv);
	mct_buf what;
	mct_buf_init(&what);
	for (size_t i = 2; argv[i]; i++)
		mct_buf_printf(&what, "%s%s", i > 2 ? " " : "", argv[i]);
	if (r.code != want_code)
		fail_msg("`%s` exited %d: %s", what.data, r.code, r.err);
	assert_terminal_safe(what.data, r.out);
	assert_terminal_safe(what.data, r.err);
	mct_buf_free(&what);
	free(r.err);
	return r.out;
}

/* The hostile page: a title with an OSC title-setter and a screen clear,
 * text with colour codes, a raw CSI byte, CSI and NEL as UTF-8 C1 codes,
 * BEL, backspaces, NUL, a right-to-left override, invalid UTF-8, and links
 * with escapes in them.  Each paragraph holds a sentence the rules find. */
static const char hostile_html[] =
    "<html><head><title>Policy \x1b]0;owned\x07 page \x1b[2J\x1b[H</title></head><body>\n"
    "<p>The state funds micro-credentials \x1b[31mred\x1b[0m at universities.</p>\n"
    "<p>The law defines micro-credentials \x9b"
    "2J \xc2\x9b"
    "31m \xc2\x85 with bells\x07 and backspaces\x08\x08.</p>\n"
    "<p>The ministry allocated \xe2\x82\xac"
    "50 million to micro-credentials\x00 after a NUL.</p>\n"
    "<p>A budget line for micro-credentials exists \xe2\x80\xae"
    "desrever \xff\xfe invalid.</p>\n"
    "<a href=\"/next\x1b[2J\">next</a> <a href=\"javascript:\x1b]0;x\x07\">js</a>\n"
    "</body></html>\n";

static void test_terminal_escapes_from_pages_and_servers_never_reach_the_terminal(void **state)
{
	fixture *f = *state;
	size_t n = sizeof hostile_html - 1;
	raw_response(f, "esc-page", "200 OK",
	             "Content-Type: text/html; charset=utf-8\r\nETag: \"e\x1b[2J\"\r\n",
	             hostile_html, n);
	raw_response(f, "esc-type", "200 OK",
	             /* no ';': the whole type is quoted in the error message */
	             "Content-Type: application/x-\x1b]0\x07\x9b"
	             "2J\xc2\x9b"
	             "31m\xe2\x80\xae"
	             "evil\r\n",
	             "data", 4);
	raw_response(f, "esc-redirect", "302 Found", "Location: /esc-\x1b[2Jpage\r\n", "", 0);
	raw_response(f, "esc-status",
	             "503 \x1b[2J\x9b"
	             "Busy",
	             "", "", 0);
	char *file = write_bytes(f->dir, "hostile.html", hostile_html, n);
	char *sources =
	    mct_xasprintf("[source:page]\ncountry = LV\nkind = policy\nurl = %s/esc-page\n"
	                  "[source:type]\ncountry = LV\nkind = news\nurl = %s/esc-type\n"
	                  "[source:redirect]\ncountry = ES\nkind = policy\nurl = %s/esc-redirect\n"
	                  "[source:status]\ncountry = ES\nkind = qa\nurl = %s/esc-status\n"
	                  "[source:file]\ncountry = FI\nkind = policy\nurl = file://%s\n",
	                  f->raw_base, f->raw_base, f->raw_base, f->raw_base, file);
	char *cfg = config_in(f, "escapes", NULL, NULL, sources);
	char *d = mct_path_dirname(cfg);
	const char *run[] = {"--config", cfg, "-v", "run", NULL};
	free(safe_output(d, run, 1));
	const char *crawl[] = {"--config", cfg, "-v", "crawl", NULL};
	free(safe_output(d, crawl, 1));
	/* every reading command, over what the run stored */
	const char *cmds[][4] = {
	    {"sources"},           {"sources", "--json"},       {"evidence"},
	    {"evidence", "--all"}, {"evidence", "--json"},      {"explain", "LV"},
	    {"explain", "FI"},     {"explain", "FI", "--json"}, {"history", "FI"},
	    {"readings"},          {"readings", "--json"},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		const char *argv[8] = {"--config", cfg};
		for (size_t k = 0; k < 4 && cmds[i][k]; k++)
			argv[2 + k] = cmds[i][k];
		free(safe_output(d, argv, 0));
	}
	/* the sentences were found, so the escapes travelled with them */
	char *db = db_of(cfg);
	long long ids = rl_count(db, "SELECT max(id) FROM evidence");
	assert_true(ids >= 6);
	int shown = 0;
	for (long long id = 1; id <= ids; id++) {
		char num[32];
		snprintf(num, sizeof num, "%lld", id);
		const char *argv[] = {"--config", cfg, "evidence", "show", num, NULL};
		char *out = safe_output(d, argv, 0);
		shown += strstr(out, "micro-credentials") != NULL;
		free(out);
	}
	assert_true(shown >= 6);
	/* the dashboard is written whatever the pages held */
	char *report = mct_xasprintf("%s/report", d);
	const char *rep[] = {"--config", cfg, "report", "--out", report, NULL};
	free(safe_output(d, rep, 0));
	free(report);
	/* the text a rule author looks at */
	const char *text[] = {"text", file, NULL};
	char *out = safe_output(d, text, 0);
	assert_non_null(strstr(out, "The state funds micro-credentials"));
	free(out);
	const char *links[] = {"text", file, "--links", NULL};
	free(safe_output(d, links, 0));
	free(db);
	free(d);
	free(cfg);
	free(sources);
	free(file);
}

/* ---- SQL metacharacters ------------------------------------------------------------ */

static const char sql_sentence[] =
    "The state funds micro-credentials at O'Higgins University; see \"Annex 2\" -- or "
    "x'); drop table evidence; -- and %_ wildcards.";

static void test_sql_metacharacters_are_stored_and_shown_unchanged(void **state)
{
	fixture *f = *state;
	char *body = mct_xasprintf("<html><body><p>%s</p></body></html>\n", sql_sentence);
	raw_response(f, "it's;a--page\"x", "200 OK", "Content-Type: text/html\r\n", body,
	             strlen(body));
	char *url = mct_xasprintf("%s/it's;a--page\"x", f->raw_base);
	char *sources =
	    mct_xasprintf("[source:sql--id.x_1]\ncountry = LV\nkind = policy\nurl = %s\n", url);
	char *cfg = config_in(f, "sql", NULL, NULL, sources);
	char *d = mct_path_dirname(cfg);
	char *db = db_of(cfg);
	rl_result r = rl_run(d, "--config", cfg, "run");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	long long tables = rl_count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
	/* the source, as configured */
	char *got = rl_query(db, "SELECT id || ' ' || url FROM sources");
	char *want = mct_xasprintf("sql--id.x_1 %s\n", url);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* the URL the capture and the evidence carry */
	want = mct_xasprintf("%s\n", url);
	got = rl_query(db, "SELECT DISTINCT url FROM captures");
	assert_string_equal(got, want);
	free(got);
	got = rl_query(db, "SELECT DISTINCT url FROM evidence");
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* the sentence, whole */
	assert_int_equal(rl_count(db, "SELECT count(*) FROM evidence"), 1);
	got = rl_query(db, "SELECT snippet FROM evidence");
	if (!strstr(got, sql_sentence))
		fail_msg("snippet changed: %s", got);
	free(got);
	/* a review whose note and reviewer are made of metacharacters */
	const char *note = "it's fine'; -- '); DROP TABLE reviews; -- \"quoted\" %_";
	const char *by = "O'Brien; \"QA\" --";
	r = rl_run(d, "--config", cfg, "review", "1", "confirm", "--note", note, "--by", by);
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	got = rl_query(db, "SELECT note FROM reviews");
	want = mct_xasprintf("%s\n", note);
	assert_string_equal(got, want);
	free(got);
	free(want);
	got = rl_query(db, "SELECT by FROM reviews");
	want = mct_xasprintf("%s\n", by);
	assert_string_equal(got, want);
	free(got);
	free(want);
	r = rl_run(d, "--config", cfg, "evidence", "show", "1");
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, note));
	assert_non_null(strstr(r.out, by));
	assert_non_null(strstr(r.out, "O'Higgins University; see \"Annex 2\""));
	rl_result_free(&r);
	/* filters are values, never SQL: this one is checked and refused */
	r = rl_run(d, "--config", cfg, "evidence", "--indicator", "x' OR '1'='1");
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "unknown indicator"));
	rl_result_free(&r);
	assert_int_equal(rl_count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
	                 tables);
	char *check = rl_db_check(db);
	assert_string_equal(check, "ok");
	free(check);
	free(db);
	free(d);
	free(cfg);
	free(sources);
	free(url);
	free(body);
}

/* ---- catastrophic backtracking ---------------------------------------------------- */

static void test_catastrophic_backtracking_is_cut_off_reported_and_the_run_goes_on(void **state)
{
	fixture *f = *state;
	/* the test rules plus one whose nested repetition backtracks
	 * exponentially on "aaaa...!" */
	char *rules = mct_xasprintf("%s/backtracking-rules", f->dir);
	char *cp = mct_xasprintf("mkdir '%s' && cp '%s'/*.rules '%s'/", rules, f->rules, rules);
	assert_int_equal(system(cp), 0);
	free(cp);
	free(rl_writef(rules, "zz-backtracking.rules",
	               "[rule usage.issued.nested]\nindicator = usage.issued\nweight = 1\n"
	               "lang = *\ncontext = none\npattern = (a+)+$\nmatch = aaa\n"));
	/* 20000 crafted lines (800 KB): at a few ms per cut-off search, this
	 * page alone used to hold a run for minutes */
	mct_buf page;
	mct_buf_init(&page);
	mct_buf_puts(&page, "<html><body><p>Each course is worth 5 ECTS.</p>\n");
	for (int i = 0; i < 20000; i++)
		mct_buf_puts(&page, "<p>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!</p>\n");
	mct_buf_puts(&page, "</body></html>\n");
	char *file = write_bytes(f->dir, "crafted.html", page.data, page.len);
	char *sources =
	    mct_xasprintf("[source:crafted]\ncountry = LV\nkind = policy\nurl = file://%s\n", file);
	char *cfg = config_in(f, "backtracking", rules, NULL, sources);
	char *d = mct_path_dirname(cfg);
	char *db = db_of(cfg);
	rl_result r = rl_run(d, "--config", cfg, "run");
	if (r.code != 0 || r.ms > 20000)
		fail_msg("run exited %d after %.0f ms: %s", r.code, r.ms, r.err);
	assert_non_null(strstr(r.out, "(some matches cut off by limits)"));
	rl_result_free(&r);
	assert_true(rl_count(db, "SELECT limits_hit FROM extractions") >= 3);
	char *note = rl_query(db, "SELECT note FROM extractions");
	assert_string_equal(note, "rule usage.issued.nested: match limit reached\n");
	free(note);
	/* the other rules still ran */
	assert_int_equal(
	    rl_count(db, "SELECT count(*) FROM evidence WHERE rule_id = 'infra.ects.any'"), 1);
	free(db);
	free(d);
	free(cfg);
	free(sources);
	free(file);
	mct_buf_free(&page);
	free(rules);
}

/* ---- size, depth and bytes ------------------------------------------------------------ */

static void test_huge_page_is_read_in_bounded_time_and_memory(void **state)
{
	fixture *f = *state;
	static const char *const sentences[] = {
	    "The state funds micro-credentials at universities.", "Each course is worth 5 ECTS.",
	    "The law defines micro-credentials.", "Nothing in this sentence is evidence."};
	mct_buf page;
	mct_buf_init(&page);
	mct_buf_puts(&page, "<html><body>\n");
	for (unsigned i = 0; page.len < 5000000; i++)
		mct_buf_printf(&page, "<p>%s %s Paragraph %u.</p>\n", sentences[i % 4],
		               sentences[(i / 4) % 4], i);
	mct_buf_puts(&page, "</body></html>\n");
	char *file = write_bytes(f->dir, "huge.html", page.data, page.len);
	char *sources =
	    mct_xasprintf("[source:huge]\ncountry = LV\nkind = policy\nurl = file://%s\n", file);
	char *cfg = config_in(f, "huge", NULL, "max_body_bytes = 10M", sources);
	char *d = mct_path_dirname(cfg);
	char *db = db_of(cfg);
	rl_result r = rl_run(d, "--config", cfg, "run");
	if (r.code != 0 || r.ms > 30000 || r.rss_kb > 400 * 1024)
		fail_msg("5 MB page: exit %d after %.0f ms, %ld KiB: %s", r.code, r.ms, r.rss_kb,
		         r.err);
	rl_result_free(&r);
	assert_int_equal(rl_count(db, "SELECT count(DISTINCT rule_id) FROM evidence"), 3);
	/* over max_body_bytes: refused, named, and the run goes on */
	char *cfg2 = config_in(f, "too-big", NULL, "max_body_bytes = 2M", sources);
	char *d2 = mct_path_dirname(cfg2);
	r = rl_run(d2, "--config", cfg2, "run");
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.out, "body over 2 MB"));
	assert_true(r.rss_kb < 200 * 1024);
	rl_result_free(&r);
	free(d2);
	free(cfg2);
	free(db);
	free(d);
	free(cfg);
	free(sources);
	free(file);
	mct_buf_free(&page);
}

/* A page whose sentences stand around a hostile middle; every sentence must
 * become evidence. */
static void assert_all_three_found(const fixture *f, const char *name, const char *middle,
                                   size_t middle_len)
{
	mct_buf page;
	mct_buf_init(&page);
	mct_buf_puts(&page, "<html><body><p>The law defines micro-credentials.</p>\n");
	mct_buf_append(&page, middle, middle_len);
	mct_buf_puts(&page, "<p>The state funds micro-credentials at universities.</p>\n"
	                    "</body></html>\n");
	char *html = mct_xasprintf("%s.html", name);
	char *file = write_bytes(f->dir, html, page.data, page.len);
	free(html);
	char *sources =
	    mct_xasprintf("[source:p]\ncountry = LV\nkind = policy\nurl = file://%s\n", file);
	char *cfg = config_in(f, name, NULL, NULL, sources);
	char *d = mct_path_dirname(cfg);
	char *db = db_of(cfg);
	rl_result r = rl_run(d, "--config", cfg, "run");
	if (r.code != 0 || r.ms > 20000)
		fail_msg("%s: exit %d after %.0f ms: %s", name, r.code, r.ms, r.err);
	rl_result_free(&r);
	char *rules = rl_query(db, "SELECT group_concat(rule_id, ' ') FROM (SELECT rule_id FROM "
	                           "evidence ORDER BY rule_id)");
	assert_string_equal(rules, "infra.ects.any policy.definition.en policy.funding.en\n");
	free(rules);
	/* and what was stored is UTF-8 without controls */
	char *snippets = rl_query(db, "SELECT group_concat(snippet, ' ') FROM evidence");
	assert_terminal_safe(name, snippets);
	free(snippets);
	free(db);
	free(d);
	free(cfg);
	free(sources);
	free(file);
	mct_buf_free(&page);
}

static void test_markup_nested_100000_deep_keeps_every_sentence(void **state)
{
	mct_buf mid;
	mct_buf_init(&mid);
	for (int i = 0; i < 100000; i++)
		mct_buf_puts(&mid, "<div><span>");
	mct_buf_puts(&mid, "<p>Each course is worth 5 ECTS.</p>");
	for (int i = 0; i < 100000; i++)
		mct_buf_puts(&mid, "</span></div>");
	assert_all_three_found(*state, "nested", mid.data, mid.len);
	mct_buf_free(&mid);
}

static void test_nul_bytes_and_invalid_utf8_hide_no_sentence(void **state)
{
	static const char mid[] = "<p>\x00\x00 binary \xff\xfe\xc0\xaf\xed\xa0\x80 junk \x00</p>\n"
	                          "<p>Each course \x00is worth 5 ECTS.</p>\n\x00\xff";
	assert_all_three_found(*state, "bytes", mid, sizeof mid - 1);
}

static void test_gzip_bomb_fails_its_source_and_the_run_keeps_the_others(void **state)
{
	fixture *f = *state;
	char *sources =
	    mct_xasprintf("[source:bomb]\ncountry = ES\nkind = news\nurl = %s/gzip-bomb\n"
	                  "[source:good]\ncountry = LV\nkind = policy\nurl = %s/page/good\n",
	                  f->faultd.base, f->faultd.base);
	char *cfg = config_in(f, "bomb", NULL, "max_body_bytes = 5M", sources);
	char *d = mct_path_dirname(cfg);
	char *db = db_of(cfg);
	rl_result r = rl_run(d, "--config", cfg, "run");
	if (r.code != 1 || r.rss_kb > 200 * 1024)
		fail_msg("exit %d, %ld KiB: %s", r.code, r.rss_kb, r.err);
	rl_result_free(&r);
	r = rl_run(d, "--config", cfg, "sources");
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "gzip bomb"));
	rl_result_free(&r);
	char *st = rl_query(db, "SELECT id || ' ' || last_status FROM sources ORDER BY id");
	assert_string_equal(st, "bomb failed\ngood ok\n");
	free(st);
	assert_int_equal(rl_count(db, "SELECT count(*) FROM readings"), 2);
	free(db);
	free(d);
	free(cfg);
	free(sources);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_terminal_escapes_from_pages_and_servers_never_reach_the_terminal),
	    cmocka_unit_test(test_sql_metacharacters_are_stored_and_shown_unchanged),
	    cmocka_unit_test(
	        test_catastrophic_backtracking_is_cut_off_reported_and_the_run_goes_on),
	    cmocka_unit_test(test_huge_page_is_read_in_bounded_time_and_memory),
	    cmocka_unit_test(test_markup_nested_100000_deep_keeps_every_sentence),
	    cmocka_unit_test(test_nul_bytes_and_invalid_utf8_hide_no_sentence),
	    cmocka_unit_test(test_gzip_bomb_fails_its_source_and_the_run_keeps_the_others),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
