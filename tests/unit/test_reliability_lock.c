/*
 * tests/unit/test_reliability_lock.c - one run at a time per database, and
 * readers never wait for it.
 *
 * A run is held open by a source that never answers (faultd's /timeout,
 * with timeout_s = 3).  While it holds the run lock, every writing command
 * must stop at once with exit code 4 and a message that says who holds the
 * database, and write nothing; every reading command must work.  The lock
 * must also not outlive its holder, and two first runs racing on a database
 * that does not exist yet must not trip over each other's schema creation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../support/servers.h"
#include "../../store/store.h"
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
	f->config = rl_writef(f->dir, "mcthermo.ini",
	                      "[store]\npath = lock.db\n[rules]\npath = %s\n"
	                      "[crawler]\ntimeout_s = 3\nretries = 0\nper_host_delay_ms = 0\n"
	                      "[source:good]\ncountry = LV\nkind = policy\nurl = %s/page/good\n"
	                      "[source:hung]\ncountry = ES\nkind = news\nurl = %s/timeout\n",
	                      rules, f->srv.base, f->srv.base);
	free(rules);
	f->db = mct_xasprintf("%s/lock.db", f->dir);
	/* a first night, so that there are readings to read */
	rl_result r = rl_run(f->dir, "--config", f->config, "run", "--source", "good");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
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

/* Start a run that hangs on the silent source for timeout_s, and wait until
 * it holds the run lock and has recorded its run. */
static pid_t start_long_run(const fixture *f)
{
	const char *argv[] = {"--config", f->config, "run", NULL};
	rl_spawn_opts so = {argv, NULL, NULL, -1, 0};
	pid_t pid = rl_spawn(&so);
	for (int waited = 0;; waited += 10) {
		char *n = rl_query(f->db,
		                   "SELECT count(*) FROM runs WHERE status = 'running' AND "
		                   "pid = %d",
		                   (int)pid);
		int started = n && !strcmp(n, "1\n");
		free(n);
		if (started)
			break;
		if (waited > 5000)
			fail_msg("the run did not start within 5 s");
		rl_sleep_ms(10);
	}
	return pid;
}

static void test_second_writer_exits_4_at_once_and_names_the_holder(void **state)
{
	fixture *f = *state;
	long long runs = rl_count(f->db, "SELECT count(*) FROM runs");
	pid_t pid = start_long_run(f);
	char holder[64];
	snprintf(holder, sizeof holder, "(pid %ld)", (long)pid);
	const char *writers[] = {"run", "crawl", "extract", "score"};
	for (size_t i = 0; i < 4; i++) {
		rl_result r = rl_run(f->dir, "--config", f->config, writers[i]);
		if (r.code != 4 || !strstr(r.err, "another mcthermo run is using this database") ||
		    !strstr(r.err, holder) || r.ms > 1500)
			fail_msg("`%s` while a run is going: exit %d after %.0f ms: %s", writers[i],
			         r.code, r.ms, r.err);
		rl_result_free(&r);
	}
	/* none of them recorded a run */
	assert_int_equal(rl_count(f->db, "SELECT count(*) FROM runs"), runs + 1);
	assert_int_equal(rl_wait(pid, 20000), 1); /* the silent source failed */
	assert_int_equal(rl_count(f->db, "SELECT count(*) FROM runs"), runs + 1);
	/* the lock went with its holder */
	rl_result r = rl_run(f->dir, "--config", f->config, "score");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
}

static void test_read_commands_work_while_a_run_is_going(void **state)
{
	fixture *f = *state;
	char *report = mct_xasprintf("%s/report", f->dir);
	pid_t pid = start_long_run(f);
	const char *readers[][4] = {
	    {"readings", NULL},
	    {"readings", "--json", NULL},
	    {"evidence", NULL},
	    {"sources", NULL},
	    {"history", "LV", NULL},
	    {"explain", "LV", NULL},
	    {"report", "--out", report, NULL},
	};
	for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
		const char *argv[8] = {"--config", f->config};
		for (size_t k = 0; readers[i][k]; k++)
			argv[2 + k] = readers[i][k];
		rl_result r = rl_run_as(f->dir, 0, 10000, argv);
		if (r.code != 0 || r.ms > 2500)
			fail_msg("`%s` while a run is going: exit %d after %.0f ms: %s",
			         readers[i][0], r.code, r.ms, r.err);
		if (!strcmp(readers[i][0], "readings"))
			assert_non_null(strstr(r.out, "LV"));
		rl_result_free(&r);
	}
	char *index = mct_xasprintf("%s/index.html", report);
	assert_true(tu_exists(index));
	free(index);
	free(report);
	assert_int_equal(rl_wait(pid, 20000), 1);
}

/* Reviews write without the run lock, in small transactions: they must get
 * through while a run extracts evidence, however much it has to extract. */
static void test_review_is_recorded_while_a_run_extracts_a_large_corpus(void **state)
{
	fixture *f = *state;
	char *d = mct_xasprintf("%s/review", f->dir);
	assert_int_equal(mkdir(d, 0755), 0);
	/* one small page gives something to review; twenty of 500 KB, each
	 * sentence evidence, keep the next run extracting for seconds */
	mct_buf src;
	mct_buf_init(&src);
	free(rl_writef(d, "small.html", "<p>The state funds micro-credentials.</p>\n"));
	mct_buf_printf(
	    &src, "[source:small]\ncountry = LV\nkind = policy\nurl = file://%s/small.html\n", d);
	for (int k = 0; k < 20; k++) {
		mct_buf page;
		mct_buf_init(&page);
		for (int i = 0; page.len < 500000; i++)
			mct_buf_printf(
			    &page,
			    "<p>The state funds micro-credentials at university %d-%d. Each "
			    "course %d-%d is worth 5 ECTS.</p>\n",
			    k, i, k, i);
		char name[32];
		snprintf(name, sizeof name, "big-%02d.html", k);
		free(tu_write(d, name, page.data));
		mct_buf_free(&page);
		mct_buf_printf(
		    &src, "[source:big-%02d]\ncountry = LV\nkind = policy\nurl = file://%s/%s\n", k,
		    d, name);
	}
	char *rules = tu_top_path("tests/fixtures/rules/good");
	char *cfg = rl_writef(d, "mcthermo.ini",
	                      "[store]\npath = m.db\n[rules]\npath = %s\n[crawler]\n"
	                      "max_body_bytes = 2M\n%s",
	                      rules, src.data);
	rl_result r = rl_run(d, "--config", cfg, "run", "--source", "small");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	const char *argv[] = {"--config", cfg, "-v", "run", NULL};
	rl_spawn_opts so = {argv, NULL, NULL, fds[1], 0};
	pid_t pid = rl_spawn(&so);
	close(fds[1]);
	/* wait until it extracts the big pages */
	mct_buf err;
	mct_buf_init(&err);
	char buf[4096];
	ssize_t n;
	while (!strstr(err.data ? err.data : "", "extract  file://") &&
	       (n = read(fds[0], buf, sizeof buf)) > 0)
		mct_buf_append(&err, buf, (size_t)n);
	r = rl_run(d, "--config", cfg, "review", "1", "confirm", "--note", "seen during a run");
	int still_running = waitpid(pid, NULL, WNOHANG) == 0;
	kill(pid, SIGKILL);
	rl_wait(pid, 10000);
	close(fds[0]);
	if (r.code != 0 || r.ms > 4000)
		fail_msg("review during extraction: exit %d after %.0f ms: %s", r.code, r.ms,
		         r.err);
	assert_true(still_running); /* it did happen during the extraction */
	rl_result_free(&r);
	char *db = mct_xasprintf("%s/m.db", d);
	assert_int_equal(rl_count(db, "SELECT count(*) FROM reviews"), 1);
	free(db);
	mct_buf_free(&err);
	free(cfg);
	free(rules);
	mct_buf_free(&src);
	free(d);
}

static void test_killed_run_leaves_no_lock_behind(void **state)
{
	fixture *f = *state;
	pid_t pid = start_long_run(f);
	kill(pid, SIGKILL);
	assert_int_equal(rl_wait(pid, 5000), 128 + SIGKILL);
	rl_result r = rl_run(f->dir, "--config", f->config, "score");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	/* and the killed run is on record as interrupted */
	char *st = rl_query(f->db, "SELECT status FROM runs WHERE command = 'run' ORDER BY id "
	                           "DESC LIMIT 1");
	assert_string_equal(st, "interrupted\n");
	free(st);
}

static void test_first_runs_racing_on_a_new_database_never_fail(void **state)
{
	fixture *f = *state;
	for (int round = 0; round < 6; round++) {
		char *db = mct_xasprintf("%s/race-%d.db", f->dir, round);
		pid_t pids[4];
		char *errs[4];
		for (int i = 0; i < 4; i++) {
			errs[i] = mct_xasprintf("%s/race-%d-%d.err", f->dir, round, i);
			const char *argv[] = {"--config", f->config, "--db", db, "score", NULL};
			rl_spawn_opts so = {argv, NULL, errs[i], -1, 0};
			pids[i] = rl_spawn(&so);
		}
		int ok = 0;
		for (int i = 0; i < 4; i++) {
			int code = rl_wait(pids[i], 30000);
			char *err = rl_slurp(errs[i]);
			if (code != 0 && code != 4)
				fail_msg("round %d: a racing first run exited %d: %s", round, code,
				         err);
			ok += code == 0;
			free(err);
			free(errs[i]);
		}
		assert_true(ok >= 1);
		char *check = rl_db_check(db);
		assert_string_equal(check, "ok");
		free(check);
		assert_int_equal(rl_count(db, "PRAGMA user_version"), MCT_SCHEMA_VERSION);
		free(db);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_second_writer_exits_4_at_once_and_names_the_holder),
	    cmocka_unit_test(test_read_commands_work_while_a_run_is_going),
	    cmocka_unit_test(test_review_is_recorded_while_a_run_extracts_a_large_corpus),
	    cmocka_unit_test(test_killed_run_leaves_no_lock_behind),
	    cmocka_unit_test(test_first_runs_racing_on_a_new_database_never_fail),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
