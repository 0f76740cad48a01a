/*
 * tests/unit/test_reliability_signals.c - SIGINT and SIGTERM stop a run
 * cleanly: transfers are abandoned, finished work stays committed, the run
 * is recorded as interrupted, and the exit code is 5.
 *
 * While fetching, a source that never answers (faultd's /timeout, with a
 * 10 s timeout) keeps a transfer open; the signal must end the run within a
 * fraction of that.  While extracting (the demo corpus read from files with
 * the shipped rules), the signal comes when the first text is done: what was
 * extracted is kept, the rest is left for the next run, and after that next
 * run the evidence is what one uninterrupted run finds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <poll.h>

#include "../support/servers.h"
#include "test_reliability.h"

typedef struct {
	char *dir, *config, *db;
	ts_server srv;
} fixture;

static int setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	if (ts_faultd_start(NULL, f->dir, &f->srv) != 0)
		fail_msg("faultd did not start");
	char *rules = tu_top_path("tests/fixtures/rules/good");
	/* "good" comes first and answers at once; "hung" never answers. */
	f->config = rl_writef(f->dir, "mcthermo.ini",
	                      "[store]\npath = signals.db\n[rules]\npath = %s\n"
	                      "[crawler]\ntimeout_s = 10\nretries = 0\nper_host_delay_ms = 0\n"
	                      "[source:good]\ncountry = LV\nkind = policy\nurl = %s/page/good\n"
	                      "[source:hung]\ncountry = ES\nkind = news\nurl = %s/timeout\n",
	                      rules, f->srv.base, f->srv.base);
	free(rules);
	f->db = mct_xasprintf("%s/signals.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	ts_server_stop(&f->srv);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->config);
	free(f->db);
	free(f);
	return 0;
}

/* A child whose stderr the test reads line by line. */
typedef struct {
	pid_t pid;
	int fd;
	mct_buf err;
	char *out_path;
} watched;

static void watch_start(watched *w, const char *dir, const char *const *argv)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	w->out_path = mct_xasprintf("%s/out.txt", dir);
	rl_spawn_opts so = {argv, w->out_path, NULL, fds[1], 0};
	w->pid = rl_spawn(&so);
	close(fds[1]);
	w->fd = fds[0];
	mct_buf_init(&w->err);
}

/* Read stderr until it holds `needle` (or max_ms passes: fails). */
static void watch_for(watched *w, const char *needle, int max_ms)
{
	double end = rl_now_ms() + max_ms;
	while (!strstr(w->err.data ? w->err.data : "", needle)) {
		if (rl_now_ms() > end)
			fail_msg("no '%s' on stderr within %d ms; got: %s", needle, max_ms,
			         w->err.data ? w->err.data : "");
		struct pollfd p = {w->fd, POLLIN, 0};
		if (poll(&p, 1, 5) > 0) {
			char buf[4096];
			ssize_t n = read(w->fd, buf, sizeof buf);
			if (n <= 0)
				fail_msg("stderr closed before '%s': %s", needle,
				         w->err.data ? w->err.data : "");
			mct_buf_append(&w->err, buf, (size_t)n);
		}
	}
}

/* Wait for the end, reading the rest of stderr; the exit code. */
static int watch_end(watched *w, int max_ms)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(w->fd, buf, sizeof buf)) > 0)
		mct_buf_append(&w->err, buf, (size_t)n);
	close(w->fd);
	return rl_wait(w->pid, max_ms);
}

static void watch_free(watched *w)
{
	mct_buf_free(&w->err);
	free(w->out_path);
}

static void signal_while_fetching(fixture *f, int sig)
{
	const char *argv[] = {"--config", f->config, "-v", "run", NULL};
	watched w;
	watch_start(&w, f->dir, argv);
	watch_for(&w, "good  ", 5000);
	/* the silent source's transfer is open now */
	rl_sleep_ms(300);
	double t0 = rl_now_ms();
	kill(w.pid, sig);
	int code = watch_end(&w, 15000);
	double took = rl_now_ms() - t0;
	if (code != 5 || took > 2000)
		fail_msg("exit %d %.0f ms after signal %d; stderr: %s", code, took, sig,
		         w.err.data);
	assert_non_null(strstr(w.err.data, "interrupted"));
	/* the page fetched before the signal is kept, with its source status */
	assert_int_equal(rl_count(f->db, "SELECT count(*) FROM captures WHERE source_id = 'good' "
	                                 "AND run_id = (SELECT max(id) FROM runs)"),
	                 1);
	char *st = rl_query(f->db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1");
	assert_string_equal(st, "interrupted\n");
	free(st);
	/* nothing was scored in an interrupted run */
	assert_int_equal(rl_count(f->db, "SELECT count(*) FROM readings WHERE run_id = (SELECT "
	                                 "max(id) FROM runs)"),
	                 0);
	char *check = rl_db_check(f->db);
	assert_string_equal(check, "ok");
	free(check);
	watch_free(&w);
}

static void test_sigterm_while_fetching_abandons_transfers_keeps_pages_exits_5(void **state)
{
	signal_while_fetching(*state, SIGTERM);
}

static void test_sigint_while_fetching_abandons_transfers_keeps_pages_exits_5(void **state)
{
	signal_while_fetching(*state, SIGINT);
}

static const char evidence_sql[] =
    "SELECT url, indicator, country, polarity, sentence_key, state FROM evidence "
    "ORDER BY 1, 2, 3, 4, 5";

static void signal_while_extracting(fixture *f, int sig)
{
	char *config = tu_top_path("tests/fixtures/reliability/full-run.ini");
	char *db = mct_xasprintf("%s/extract-%d.db", f->dir, sig);
	/* one uninterrupted run serves both signals */
	char *ref = mct_xasprintf("%s/reference.db", f->dir);
	const char *argv[] = {"--config", config, "--db", db, "-v", "run", NULL};
	watched w;
	watch_start(&w, f->dir, argv);
	watch_for(&w, "extract  ", 60000);
	kill(w.pid, sig);
	int code = watch_end(&w, 30000);
	if (code != 5)
		fail_msg("exit %d after signal %d while extracting: %s", code, sig, w.err.data);
	/* each text reported extracted was committed, and nothing more */
	long long said = 0;
	for (const char *p = w.err.data; (p = strstr(p, "extract  ")); p++)
		said++;
	long long kept = rl_count(db, "SELECT count(*) FROM extractions WHERE run_id = "
	                              "(SELECT max(id) FROM runs)");
	assert_true(said >= 1);
	assert_int_equal(kept, said);
	assert_true(kept < rl_count(db, "SELECT count(DISTINCT url) FROM captures"));
	assert_int_equal(rl_count(db, "SELECT count(*) FROM evidence WHERE url NOT IN (SELECT "
	                              "url FROM extractions)"),
	                 0);
	char *st = rl_query(db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1");
	assert_string_equal(st, "interrupted\n");
	free(st);
	/* the next night does the rest: as if nothing had happened */
	rl_result r = rl_run(f->dir, "--config", config, "--db", db, "run");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	if (!tu_exists(ref)) {
		r = rl_run(f->dir, "--config", config, "--db", ref, "run");
		assert_int_equal(r.code, 0);
		rl_result_free(&r);
	}
	char *a = rl_query(db, evidence_sql), *b = rl_query(ref, evidence_sql);
	assert_non_null(a);
	assert_string_equal(a, b);
	free(a);
	free(b);
	watch_free(&w);
	free(config);
	free(db);
	free(ref);
}

static void test_sigint_while_extracting_keeps_finished_texts_exits_5(void **state)
{
	signal_while_extracting(*state, SIGINT);
}

static void test_sigterm_while_extracting_keeps_finished_texts_exits_5(void **state)
{
	signal_while_extracting(*state, SIGTERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sigterm_while_fetching_abandons_transfers_keeps_pages_exits_5),
	    cmocka_unit_test(test_sigint_while_fetching_abandons_transfers_keeps_pages_exits_5),
	    cmocka_unit_test(test_sigint_while_extracting_keeps_finished_texts_exits_5),
	    cmocka_unit_test(test_sigterm_while_extracting_keeps_finished_texts_exits_5),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
