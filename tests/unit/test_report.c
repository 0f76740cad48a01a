/*
 * tests/unit/test_report.c - the dashboard: escaping of everything that came
 * from crawled pages (text, attributes, links), the pages and data files
 * written from a scored store, what each page shows (thermometers, bars,
 * sparklines, highlights never rejected, gaps, history, coverage with
 * reasons, the disclaimer), and the file handling (folders made, files
 * replaced atomically, paths named in errors).
 *
 * The store is filled through its own functions and plain SQL, as crawl and
 * extract would leave it, and scored by the real scorer on two dates; one
 * snippet carries a <script> element, a javascript: link, quotes and an
 * ampersand, its URL is a javascript: URL, and another snippet starts like a
 * spreadsheet formula.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../report/report.h"
#include "../../score/score.h"
#include "../support/testutil.h"

#define D1 "2026-01-10"
#define D2 "2026-02-10"

static const char ini[] =
    "[store]\n"
    "path = t.db\n"
    "[source:es-boe]\ncountry = ES\nkind = policy\nurl = https://boe.example/\n"
    "[source:es-uni]\ncountry = ES\nkind = he\nurl = https://uni.example/\n"
    "[source:es-down]\ncountry = ES\nkind = platform\n"
    "url = https://down.example/\n"
    "[source:ee-hm]\ncountry = EE\nkind = policy\nurl = https://hm.example/\n";

static const char evil_snippet[] =
    "Las universidades <script>alert(1)</script> ofrecen \"microcredenciales\" & m\xc3\xa1s "
    "<a href=\"javascript:alert(2)\">aqu\xc3\xad</a>\x01.";

typedef struct {
	char *dir;
	char *out;
	mct_config *cfg;
	mct_store *st;
} fixture;

static void sql(mct_store *st, const char *q)
{
	mct_err err = {0};
	if (mct_store_exec(st, q, &err) != MCT_OK)
		fail_msg("%s: %s", q, err.msg);
}

static void source(mct_store *st, const mct_source *s, const char *status, const char *error)
{
	mct_err err = {0};
	mct_store_source src = {s->id, s->country, mct_kind_name(s->kind), s->url, "", 1};
	assert_int_equal(mct_store_source_put(st, &src, &err), MCT_OK);
	assert_int_equal(
	    mct_store_source_status(st, s->id, 1, "2026-01-09T02:00:00Z", status, error, &err),
	    MCT_OK);
}

/* One piece of evidence with its rule and capture; strings are bound, so
 * the snippet may hold anything. */
static void evidence(mct_store *st, int id, const char *src, const char *url, const char *indicator,
                     const char *polarity, const char *match, const char *snippet,
                     const char *first_seen)
{
	char dim[16];
	snprintf(dim, sizeof dim, "%.*s", (int)strcspn(indicator, "."), indicator);
	char *q = mct_xasprintf(
	    "INSERT OR IGNORE INTO rules (id, version, dimension, indicator, weight, definition, "
	    "first_loaded) VALUES ('r.%s', 'v1', '%s', '%s', 4, 'def', '2026-01-01T00:00:00Z');"
	    "INSERT INTO captures (run_id, source_id, url, fetched_at, outcome) VALUES "
	    "(1, '%s', 'https://x.example/%d', '%s', 'new')",
	    indicator, dim, indicator, src, id, first_seen);
	sql(st, q);
	free(q);
	sqlite3_stmt *s;
	assert_int_equal(
	    sqlite3_prepare_v2(
	        mct_store_db(st),
	        "INSERT INTO evidence (id, ekey, capture_id, source_id, url, rule_id, "
	        "rule_version, "
	        "country, dimension, indicator, polarity, weight, match, snippet, sentence_key, "
	        "offset_start, offset_end, first_seen, last_seen) VALUES (?1, 'ek' || ?1, "
	        "last_insert_rowid(), ?2, ?3, 'r.' || ?4, 'v1', 'ES', ?5, ?4, ?6, 4, ?7, ?8, "
	        "'k' || ?1, 0, 10, ?9, ?9)",
	        -1, &s, NULL),
	    SQLITE_OK);
	sqlite3_bind_int(s, 1, id);
	const char *texts[] = {src, url, indicator, dim, polarity, match, snippet, first_seen};
	for (int i = 0; i < 8; i++)
		sqlite3_bind_text(s, i + 2, texts[i], -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
}

static void review(mct_store *st, int id, const char *verdict)
{
	char *q = mct_xasprintf("INSERT INTO reviews (evidence_id, verdict, by, at) VALUES "
	                        "(%d, '%s', 'tester', '2026-02-01T10:00:00Z')",
	                        id, verdict);
	sql(st, q);
	free(q);
}

static void score_on(fixture *f, const char *date)
{
	mct_err err = {0};
	if (mct_score(f->cfg, f->st, date, 0, NULL, &err) != MCT_OK)
		fail_msg("%s", err.msg);
}

/* ES: a decree (confirmed), a university page whose snippet is hostile, a
 * stated gap, and a formula-like snippet that is rejected before the second
 * reading, when a funding line appears.  EE: nothing read. */
static void fill(fixture *f)
{
	const char *status[] = {"ok", "unchanged", "failed", "failed"};
	const char *error[] = {NULL, NULL, "HTTP 503 from https://down.example/ <b>busy</b>",
	                       "timeout after 30 s"};
	for (size_t i = 0; i < f->cfg->nsources; i++)
		source(f->st, &f->cfg->sources[i], status[i], error[i]);
	evidence(f->st, 1, "es-boe", "https://boe.example/rd-822-2021", "policy.definition",
	         "positive", "define las microcredenciales",
	         "El Real Decreto 822/2021 define las microcredenciales.", "2026-01-09T02:00:00Z");
	evidence(f->st, 2, "es-uni", "javascript:alert(3)", "ecosystem.hei_offer", "positive",
	         "universidades", evil_snippet, "2026-01-09T02:00:00Z");
	evidence(f->st, 3, "es-boe", "https://boe.example/registro", "infra.portal", "negative",
	         "registro nacional", "No existe un registro nacional de microcredenciales.",
	         "2026-01-09T02:00:00Z");
	evidence(f->st, 4, "es-uni", "https://uni.example/cifras", "usage.enrolment", "positive",
	         "1200 estudiantes",
	         "=HYPERLINK(\"http://evil.example\") 1200 estudiantes cursan microcredenciales.",
	         "2026-01-09T02:00:00Z");
	review(f->st, 1, "confirmed");
	score_on(f, D1);
	evidence(f->st, 5, "es-boe", "https://boe.example/fondos", "policy.funding", "positive",
	         "50 millones de euros",
	         "El plan destina 50 millones de euros a las microcredenciales.",
	         "2026-02-09T02:00:00Z");
	review(f->st, 4, "rejected");
	score_on(f, D2);
}

static int setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	f->out = mct_xasprintf("%s/site", f->dir);
	char *path = tu_write(f->dir, "mcthermo.ini", ini);
	mct_err err = {0};
	assert_int_equal(mct_config_load(path, &f->cfg, &err), MCT_OK);
	free(path);
	assert_int_equal(mct_store_open(f->cfg->store_path, MCT_STORE_READWRITE, &f->st, &err),
	                 MCT_OK);
	int64_t run;
	assert_int_equal(mct_store_run_start(f->st, "run", &run, &err), MCT_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mct_store_close(f->st);
	mct_config_free(f->cfg);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->out);
	free(f);
	return 0;
}

static void write_report(fixture *f, mct_report_stats *stats)
{
	mct_err err = {0};
	static const char json[] = "[]\n";
	mct_report_file extra[] = {{"readings.json", json, sizeof json - 1}};
	if (mct_report_write(f->st, f->out, extra, 1, stats, &err) != MCT_OK)
		fail_msg("%s", err.msg);
}

static char *slurp(const char *dir, const char *name)
{
	char *path = mct_xasprintf("%s/%s", dir, name);
	mct_buf b;
	mct_buf_init(&b);
	mct_err err = {0};
	if (mct_read_file(path, 0, &b, &err) != MCT_OK)
		fail_msg("%s", err.msg);
	free(path);
	return mct_buf_steal(&b);
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The part of page from the element with id `from` to the one with id
 * `to` (the end when NULL); a new string. */
static char *section(const char *page, const char *from, const char *to)
{
	char *a = mct_xasprintf("id=\"%s\"", from);
	const char *start = strstr(page, a);
	free(a);
	assert_non_null(start);
	const char *end = NULL;
	if (to) {
		char *z = mct_xasprintf("id=\"%s\"", to);
		end = strstr(start, z);
		free(z);
		assert_non_null(end);
	}
	return end ? mct_xstrndup(start, (size_t)(end - start)) : mct_xstrdup(start);
}

/* ---- escaping ------------------------------------------------------------------ */

static char *escaped(const char *s)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_html_escape(&b, s);
	return mct_buf_steal(&b);
}

static void test_escape_turns_markup_quotes_and_ampersands_into_entities(void **state)
{
	(void)state;
	char *e = escaped("<script>alert('x')</script> & \"q\" <a href=\"javascript:x\">");
	assert_string_equal(e,
	                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; "
	                    "&lt;a href=&quot;javascript:x&quot;&gt;");
	free(e);
	e = escaped("&amp; stays text: &lt;");
	assert_string_equal(e, "&amp;amp; stays text: &amp;lt;");
	free(e);
}

static void test_escape_replaces_controls_and_invalid_utf8_and_keeps_real_text(void **state)
{
	(void)state;
	/* C0 controls, DEL and the C1 control U+0085 become spaces */
	char *e = escaped("a\x01"
	                  "b\x1b[31mc\x7f"
	                  "d\xc2\x85"
	                  "e\tf\ng");
	assert_string_equal(e, "a b [31mc d e f g");
	free(e);
	/* a stray byte, an overlong '/', a surrogate and a cut sequence */
	e = escaped("x\xffy\xc0\xafz\xed\xa0\x80w\xe2\x82");
	assert_string_equal(e, "x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd\xef"
	                       "\xbf\xbdw\xef\xbf\xbd\xef\xbf\xbd");
	free(e);
	e = escaped("mikrokvalifik\xc4\x81\x63ijas \xe2\x82\xac 6,5 \xf0\x9f\x8e\x93");
	assert_string_equal(e, "mikrokvalifik\xc4\x81\x63ijas \xe2\x82\xac 6,5 \xf0\x9f\x8e\x93");
	free(e);
	mct_buf b;
	mct_buf_init(&b);
	mct_html_escape(&b, NULL);
	mct_html_escape_n(&b, "<ab", 2);
	assert_string_equal(b.data ? b.data : "", "&lt;a");
	mct_buf_free(&b);
}

static void test_only_http_https_and_file_urls_are_link_targets(void **state)
{
	(void)state;
	const char *ok[] = {"http://boe.example/a?b=1&c=2", "HTTPS://Example.org/",
	                    "file:///srv/docs/plan.pdf", "https://x.example/a b.pdf"};
	const char *bad[] = {"javascript:alert(1)",
	                     "JaVaScRiPt:alert(1)",
	                     " javascript:alert(1)",
	                     "java\tscript:alert(1)",
	                     "data:text/html,<script>alert(1)</script>",
	                     "vbscript:msgbox(1)",
	                     "//evil.example/",
	                     "/relative/page.html",
	                     "mailto:a@b.example",
	                     "http://",
	                     "https://a.example/\nb",
	                     "",
	                     NULL};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_true(mct_html_url_ok(ok[i]));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(mct_html_url_ok(bad[i]));
}

static void test_links_escape_their_attribute_and_unsafe_urls_stay_text(void **state)
{
	(void)state;
	mct_buf b;
	mct_buf_init(&b);
	mct_html_link(&b, "https://x.example/?a=1&b=\"2\"&c='3' d", "<go>");
	assert_string_equal(b.data,
	                    "<a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;&amp;c=&#39;"
	                    "3&#39;%20d\" rel=\"noopener noreferrer nofollow\">&lt;go&gt;</a>");
	mct_buf_reset(&b);
	mct_html_link(&b, "javascript:alert(\"x\")", NULL);
	assert_string_equal(b.data,
	                    "<span class=\"url-text\">javascript:alert(&quot;x&quot;)</span>");
	assert_null(strstr(b.data, "href"));
	mct_buf_free(&b);
}

/* ---- the site ---------------------------------------------------------------------- */

static void test_report_writes_pages_and_data_files_without_temporaries(void **state)
{
	fixture *f = *state;
	fill(f);
	mct_report_stats stats;
	write_report(f, &stats);
	assert_int_equal(stats.countries, 2);
	assert_int_equal(stats.readings, 4);
	assert_int_equal(stats.evidence, 5);
	assert_int_equal(stats.files, 5); /* EE.html ES.html readings.json evidence.csv index */
	assert_string_equal(stats.latest, D2);
	const char *files[] = {"index.html", "ES.html", "EE.html", "evidence.csv", "readings.json"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = mct_xasprintf("%s/%s", f->out, files[i]);
		assert_true(tu_exists(p));
		free(p);
	}
	char *json = slurp(f->out, "readings.json");
	assert_string_equal(json, "[]\n"); /* the caller's bytes, as given */
	free(json);
	/* A second report replaces the files and leaves nothing half-written. */
	write_report(f, &stats);
	DIR *d = opendir(f->out);
	assert_non_null(d);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		assert_true(e->d_name[0] != '.');
		n++;
	}
	closedir(d);
	assert_int_equal(n, 5);
}

static void test_index_shows_each_country_thermometer_bars_sparkline_and_confidence(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *index = slurp(f->out, "index.html");
	assert_int_equal(occurrences(index, "<svg class=\"thermometer\""), 2);
	assert_int_equal(occurrences(index, "<svg class=\"dimension-bars\""), 2);
	assert_int_equal(occurrences(index, "<svg class=\"sparkline\""), 2);
	assert_non_null(strstr(index, "<a href=\"ES.html\">Spain</a>"));
	assert_non_null(strstr(index, "<a href=\"EE.html\">Estonia</a>"));
	/* ES: 2 of 3 read; EE: nothing read, so unknown rather than frozen */
	char *es = section(index, "ES", NULL);
	assert_non_null(strstr(es, "<strong>2</strong> of 3 sources read"));
	assert_non_null(strstr(es, "<strong>1</strong> gap"));
	assert_null(strstr(es, "class=\"flag"));
	assert_non_null(strstr(es, "2 readings"));
	free(es);
	char *ee = section(index, "EE", "ES");
	assert_non_null(strstr(ee, "band band-unknown"));
	assert_non_null(strstr(ee, "Unknown: too few sources read"));
	assert_non_null(strstr(ee, "#8a919b")); /* the grey thermometer */
	free(ee);
	assert_non_null(strstr(index, "not a ranking"));
	assert_null(strstr(index, "<script"));
	free(index);
}

static void test_countries_are_listed_alphabetically_not_by_temperature(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *index = slurp(f->out, "index.html");
	/* Spain is warmer than Estonia, but Estonia comes first. */
	const char *ee = strstr(index, "id=\"EE\""), *es = strstr(index, "id=\"ES\"");
	assert_non_null(ee);
	assert_non_null(es);
	assert_true(ee < es);
	free(index);
}

static void test_country_page_has_every_section_of_the_benchmarking_report(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *page = slurp(f->out, "ES.html");
	const char *ids[] = {"headline", "highlights", "snapshot", "dimensions",
	                     "gaps",     "history",    "coverage", "method"};
	const char *last = page;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		char *id = mct_xasprintf("id=\"%s\"", ids[i]);
		const char *at = strstr(page, id);
		assert_non_null(at);
		assert_true(at > last); /* in this order */
		last = at;
		free(id);
	}
	assert_int_equal(occurrences(page, "<svg class=\"thermometer\""), 1);
	char *hist = section(page, "history", "coverage");
	assert_non_null(strstr(hist, "<svg class=\"history-chart\""));
	assert_non_null(strstr(hist, ">" D1 "</text>"));
	assert_non_null(strstr(hist, ">" D2 "</text>"));
	assert_int_equal(occurrences(hist, "<polyline"), 5); /* temperature and 4 dimensions */
	free(hist);
	assert_non_null(strstr(page, "method version <strong>" MCT_METHOD_VERSION "</strong>"));
	assert_non_null(strstr(page, "validation with national stakeholders"));
	assert_non_null(strstr(page, "not a ranking"));
	free(page);
}

static void test_crawled_script_quotes_and_javascript_links_render_inert(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *page = slurp(f->out, "ES.html");
	assert_null(strstr(page, "<script"));
	assert_null(strstr(page, "href=\"javascript"));
	assert_null(strstr(page, "<a href=\"javascript"));
	assert_non_null(
	    strstr(page, "Las <mark>universidades</mark> &lt;script&gt;alert(1)&lt;/"
	                 "script&gt; ofrecen &quot;microcredenciales&quot; &amp; m\xc3\xa1s "
	                 "&lt;a href=&quot;javascript:alert(2)&quot;&gt;aqu\xc3\xad&lt;/a&gt; ."));
	assert_non_null(strstr(page, "<span class=\"url-text\">javascript:alert(3)</span>"));
	/* a source's error message is a stranger's text too */
	assert_non_null(
	    strstr(page, "HTTP 503 from https://down.example/ &lt;b&gt;busy&lt;/b&gt;"));
	free(page);
}

static void test_rejected_evidence_is_never_a_highlight(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *page = slurp(f->out, "ES.html");
	char *hl = section(page, "highlights", "snapshot");
	assert_non_null(strstr(hl, "id=\"e1\"")); /* confirmed */
	assert_non_null(strstr(hl, "id=\"e2\"")); /* pending */
	assert_non_null(strstr(hl, "id=\"e5\"")); /* new and pending */
	assert_null(strstr(hl, "id=\"e4\""));     /* rejected */
	assert_null(strstr(hl, "id=\"e3\""));     /* a gap is not a highlight */
	assert_non_null(strstr(hl, "https://boe.example/rd-822-2021"));
	free(hl);
	/* the deep-dive still shows it, marked */
	char *dive = section(page, "dimensions", "gaps");
	assert_non_null(strstr(dive, "<li class=\"evidence status-rejected\" id=\"e4\">"));
	free(dive);
	free(page);
}

static void test_gaps_show_negative_evidence_and_indicators_without_evidence(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *page = slurp(f->out, "ES.html");
	char *gaps = section(page, "gaps", "history");
	assert_non_null(strstr(gaps, "id=\"e3\""));
	assert_non_null(strstr(gaps, "No existe un <mark>registro nacional</mark>"));
	assert_non_null(strstr(gaps, "<a href=\"#policy.strategy\">National strategy</a>"));
	assert_null(strstr(gaps, "#policy.definition\""));
	/* the rejected enrolment figure leaves its indicator without evidence */
	assert_non_null(strstr(gaps, "#usage.enrolment\""));
	free(gaps);
	free(page);
}

static void test_coverage_lists_sources_read_and_failed_with_their_reasons(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *page = slurp(f->out, "ES.html");
	char *cov = section(page, "coverage", "method");
	assert_non_null(strstr(cov, "2 sources read, 1 not read"));
	assert_non_null(strstr(cov, "es-down"));
	assert_non_null(strstr(cov, "tag-failed\">failed"));
	assert_non_null(strstr(cov, "HTTP 503 from https://down.example/"));
	assert_non_null(strstr(cov, "2026-01-09 02:00 UTC"));
	assert_null(strstr(cov, "ee-hm")); /* another country's source */
	free(cov);
	free(page);
}

static void test_evidence_csv_quotes_fields_and_neutralises_formulas(void **state)
{
	fixture *f = *state;
	fill(f);
	write_report(f, NULL);
	char *csv = slurp(f->out, "evidence.csv");
	static const char header[] =
	    "id,country,dimension,indicator,polarity,rule,rule_version,status,match,snippet,url,"
	    "fetched_at,sha256,offset_start,offset_end,page,first_seen,last_seen,state\r\n";
	assert_memory_equal(csv, header, sizeof header - 1);
	assert_int_equal(occurrences(csv, "\r\n"), 6);
	assert_non_null(
	    strstr(csv, ",\"'=HYPERLINK(\"\"http://evil.example\"\") 1200 estudiantes"));
	assert_non_null(strstr(csv, ",rejected,"));
	assert_non_null(strstr(csv, "\"Las universidades <script>alert(1)</script> ofrecen "
	                            "\"\"microcredenciales\"\""));
	free(csv);
}

static void test_empty_store_gets_an_index_that_says_how_to_make_readings(void **state)
{
	fixture *f = *state;
	mct_report_stats stats;
	write_report(f, &stats);
	assert_int_equal(stats.readings, 0);
	assert_int_equal(stats.countries, 0);
	char *index = slurp(f->out, "index.html");
	assert_non_null(strstr(index, "No readings yet"));
	assert_non_null(strstr(index, "mcthermo run"));
	free(index);
}

/* ---- files and folders ------------------------------------------------------------- */

static void test_output_folder_is_created_with_its_parents(void **state)
{
	fixture *f = *state;
	free(f->out);
	f->out = mct_xasprintf("%s/a/b//c/", f->dir);
	write_report(f, NULL);
	char *p = mct_xasprintf("%s/a/b/c/index.html", f->dir);
	assert_true(tu_exists(p));
	free(p);
}

static void test_output_path_that_is_a_file_fails_and_names_it(void **state)
{
	fixture *f = *state;
	char *file = tu_write(f->dir, "plain", "not a folder\n");
	char *out = mct_xasprintf("%s/site", file);
	mct_err err = {0};
	assert_int_equal(mct_report_write(f->st, file, NULL, 0, NULL, &err), MCT_ERR_USAGE);
	assert_non_null(strstr(err.msg, file));
	assert_non_null(strstr(err.msg, "not a folder"));
	assert_int_equal(mct_report_write(f->st, out, NULL, 0, NULL, &err), MCT_ERR_USAGE);
	assert_non_null(strstr(err.msg, file));
	assert_int_equal(mct_report_write(f->st, "", NULL, 0, NULL, &err), MCT_ERR_USAGE);
	free(out);
	free(file);
}

static void test_extra_file_names_must_be_plain(void **state)
{
	fixture *f = *state;
	const char *bad[] = {"../escape.csv", ".hidden", "sub/x.csv", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		mct_report_file extra = {bad[i], "x", 1};
		mct_err err = {0};
		assert_int_not_equal(mct_report_write(f->st, f->out, &extra, 1, NULL, &err),
		                     MCT_OK);
	}
	assert_false(tu_exists(f->out)); /* refused before anything was made */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_turns_markup_quotes_and_ampersands_into_entities),
	    cmocka_unit_test(test_escape_replaces_controls_and_invalid_utf8_and_keeps_real_text),
	    cmocka_unit_test(test_only_http_https_and_file_urls_are_link_targets),
	    cmocka_unit_test(test_links_escape_their_attribute_and_unsafe_urls_stay_text),
	    cmocka_unit_test_setup_teardown(
	        test_report_writes_pages_and_data_files_without_temporaries, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_index_shows_each_country_thermometer_bars_sparkline_and_confidence, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(
	        test_countries_are_listed_alphabetically_not_by_temperature, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_country_page_has_every_section_of_the_benchmarking_report, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_crawled_script_quotes_and_javascript_links_render_inert, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rejected_evidence_is_never_a_highlight, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_gaps_show_negative_evidence_and_indicators_without_evidence, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_coverage_lists_sources_read_and_failed_with_their_reasons, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_evidence_csv_quotes_fields_and_neutralises_formulas, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_empty_store_gets_an_index_that_says_how_to_make_readings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_output_folder_is_created_with_its_parents, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_output_path_that_is_a_file_fails_and_names_it,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_extra_file_names_must_be_plain, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
