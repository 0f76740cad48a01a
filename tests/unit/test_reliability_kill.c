/*
 * tests/unit/test_reliability_kill.c - `mcthermo run` killed with SIGKILL at
 * twenty moments loses nothing and corrupts nothing.
 *
 * nginx serves eight pages of the demo corpus (one of them a PDF) on
 * 127.0.0.1; each page is a source.  Before every run each page gets a new
 * trailer (an HTML comment, or bytes after the PDF's %%EOF), so every run
 * sees every page changed and has the whole crawl, extraction and scoring to
 * do, while the text, and so the evidence, stays the same.  The run prints
 * its progress (-v) to a pipe, and the test kills it at a point named by that
 * progress: N ms after the start, after the k-th fetch, after the k-th
 * extracted text, or a few ms after the last one (while scoring).  After each
 * kill the database must pass PRAGMA integrity_check and foreign_key_check.
 *
 * Then one run is left to finish, and its database is compared with one that
 * a single uninterrupted run made from the same pages: the same evidence
 * (URL, indicator, country, polarity, sentence), none twice, none missing,
 * and the same readings, down to what each piece of evidence contributed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <poll.h>

#include "../support/servers.h"
#include "test_reliability.h"

#define NPAGES 8

static const struct {
	const char *file, *country, *kind;
} pages[NPAGES] = {
    {"es-boe-real-decreto-641-2025.html", "ES", "policy"},
    {"es-ministerio-microcredenciales.html", "ES", "policy"},
    {"eu-monitor-2026.pdf", "EU", "news"},
    {"eu-observatory-country-news.html", "EU", "news"},
    {"fi-okm-mikrotutkinnot.html", "FI", "policy"},
    {"lv-izm-mikrokvalifikacijas.html", "LV", "policy"},
    {"pl-ibe-raport-mikroposwiadczenia.html", "PL", "policy"},
    {"de-hrk-microcredentials.html", "DE", "he"},
};

typedef enum { AT_START, AT_FETCH, AT_EXTRACT } anchor;

/* Kill `delay_ms` after the `count`-th progress line of kind `at` (AT_START:
 * after the process started). */
typedef struct {
	anchor at;
	int count;
	int delay_ms;
} kill_point;

static const kill_point kills[20] = {
    /* starting: opening, migrating, recording the run, the first fetches */
    {AT_START, 0, 0},
    {AT_START, 0, 20},
    {AT_START, 0, 60},
    /* fetching */
    {AT_FETCH, 1, 0},
    {AT_FETCH, 3, 5},
    {AT_FETCH, 5, 0},
    {AT_FETCH, 7, 0},
    /* between: loading the rules, matching the first text */
    {AT_FETCH, NPAGES, 60},
    /* extracting */
    {AT_EXTRACT, 1, 0},
    {AT_EXTRACT, 2, 15},
    {AT_EXTRACT, 3, 0},
    {AT_EXTRACT, 4, 30},
    {AT_EXTRACT, 5, 5},
    {AT_EXTRACT, 6, 0},
    {AT_EXTRACT, 7, 20},
    /* scoring, and finishing */
    {AT_EXTRACT, NPAGES, 0},
    {AT_EXTRACT, NPAGES, 2},
    {AT_EXTRACT, NPAGES, 5},
    {AT_EXTRACT, NPAGES, 10},
    {AT_EXTRACT, NPAGES, 25},
};

typedef struct {
	char *dir, *www, *config, *db, *ref_db;
	ts_server srv;
	int version;
} fixture;

static void copy_page(const fixture *f, size_t i)
{
	char *src = tu_top_path("tests/fixtures/demo/run1");
	char *from = mct_xasprintf("%s/%s", src, pages[i].file);
	mct_buf b;
	mct_buf_init(&b);
	mct_err err;
	assert_int_equal(mct_read_file(from, 0, &b, &err), MCT_OK);
	/* Same text, new bytes: a comment, or a PDF comment after %%EOF. */
	if (strstr(pages[i].file, ".pdf"))
		mct_buf_printf(&b, "\n%% version %d\n", f->version);
	else
		mct_buf_printf(&b, "\n<!-- version %d -->\n", f->version);
	char *tmp = mct_xasprintf("%s/.%s", f->www, pages[i].file);
	char *to = mct_xasprintf("%s/%s", f->www, pages[i].file);
	FILE *out = fopen(tmp, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(b.data, 1, b.len, out), b.len);
	assert_int_equal(fclose(out), 0);
	/* A new modification time for each version: nginx's ETag is made of
	 * the time (in seconds) and the size, both of which could repeat. */
	struct timespec times[2] = {{1700000000 + 60L * f->version, 0},
	                            {1700000000 + 60L * f->version, 0}};
	assert_int_equal(utimensat(AT_FDCWD, tmp, times, 0), 0);
	assert_int_equal(rename(tmp, to), 0); /* nginx never sees half a file */
	free(tmp);
	free(to);
	free(from);
	free(src);
	mct_buf_free(&b);
}

/* Every page changes, the text stays. */
static void next_version(fixture *f)
{
	f->version++;
	for (size_t i = 0; i < NPAGES; i++)
		copy_page(f, i);
}

static int setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	f->www = mct_xasprintf("%s/www", f->dir);
	assert_int_equal(mkdir(f->www, 0755), 0);
	next_version(f);
	if (ts_nginx_start(f->www, f->dir, &f->srv) != 0)
		fail_msg("nginx did not start");
	f->db = mct_xasprintf("%s/killed.db", f->dir);
	f->ref_db = mct_xasprintf("%s/reference.db", f->dir);
	char *rules = tu_top_path("rules/defs");
	mct_buf ini;
	mct_buf_init(&ini);
	mct_buf_printf(&ini,
	               "[store]\npath = killed.db\n[rules]\npath = %s\n"
	               "[crawler]\nuser_agent = mcthermo-test/0.1\nconcurrency = 2\n"
	               "per_host_delay_ms = 10\ntimeout_s = 10\nretries = 0\n",
	               rules);
	for (size_t i = 0; i < NPAGES; i++)
		mct_buf_printf(&ini, "[source:p%zu]\ncountry = %s\nkind = %s\nurl = %s/%s\n", i,
		               pages[i].country, pages[i].kind, f->srv.base, pages[i].file);
	f->config = tu_write(f->dir, "mcthermo.ini", ini.data);
	mct_buf_free(&ini);
	free(rules);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	ts_server_stop(&f->srv);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->www);
	free(f->config);
	free(f->db);
	free(f->ref_db);
	free(f);
	return 0;
}

typedef struct {
	int killed;    /* the process was still running when killed */
	int exit_code; /* when it was not */
	int fetches, extracts;
} kill_outcome;

/* Count the progress lines in what arrived; partial lines wait. */
static void count_lines(mct_buf *pending, int *fetches, int *extracts)
{
	char *nl;
	while ((nl = memchr(pending->data, '\n', pending->len))) {
		size_t n = (size_t)(nl - pending->data) + 1;
		if (!strncmp(pending->data, "extract  ", 9))
			(*extracts)++;
		else if (strstr(pending->data, "  http://"))
			(*fetches)++;
		memmove(pending->data, pending->data + n, pending->len - n + 1);
		pending->len -= n;
	}
}

/* Run once and kill at `k`. */
static kill_outcome run_and_kill(const fixture *f, const kill_point *k)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	const char *argv[] = {"--config", f->config, "-v", "run", NULL};
	rl_spawn_opts so = {argv, NULL, NULL, fds[1], 0};
	pid_t pid = rl_spawn(&so);
	close(fds[1]);
	kill_outcome o = {0};
	mct_buf pending;
	mct_buf_init(&pending);
	double anchor_at = k->at == AT_START ? rl_now_ms() : -1;
	int open_pipe = 1;
	for (;;) {
		if (anchor_at < 0) {
			int seen = k->at == AT_FETCH ? o.fetches : o.extracts;
			if (seen >= k->count)
				anchor_at = rl_now_ms();
		}
		if (anchor_at >= 0 && rl_now_ms() >= anchor_at + k->delay_ms)
			break;
		int st;
		if (!open_pipe && waitpid(pid, &st, WNOHANG) == pid) {
			/* finished before the kill point */
			o.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			pid = -1;
			break;
		}
		struct pollfd p = {fds[0], POLLIN, 0};
		if (open_pipe && poll(&p, 1, 1) > 0) {
			char buf[4096];
			ssize_t n = read(fds[0], buf, sizeof buf);
			if (n <= 0)
				open_pipe = 0;
			else
				mct_buf_append(&pending, buf, (size_t)n);
			count_lines(&pending, &o.fetches, &o.extracts);
		} else if (!open_pipe) {
			rl_sleep_ms(1);
		}
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		o.killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		if (!o.killed)
			o.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	close(fds[0]);
	mct_buf_free(&pending);
	return o;
}

enum { STARTING, FETCHING, BEFORE_EXTRACTING, EXTRACTING, SCORING, FINISHED, NPHASES };
static const char *const phase_names[NPHASES] = {"starting",   "fetching", "before extracting",
                                                 "extracting", "scoring",  "finished"};

/* Where the run was when it was killed, by the progress it had printed. */
static int phase_of(const kill_outcome *o)
{
	return !o->killed             ? FINISHED
	       : o->fetches == 0      ? STARTING
	       : o->fetches < NPAGES  ? FETCHING
	       : o->extracts == 0     ? BEFORE_EXTRACTING
	       : o->extracts < NPAGES ? EXTRACTING
	                              : SCORING;
}

/* Run to the end on db; the exit code. */
static int run_to_end(const fixture *f, const char *db)
{
	rl_result r = rl_run(f->dir, "--config", f->config, "--db", db, "run");
	if (r.code != 0)
		fprintf(stderr, "run exited %d: %s\n", r.code, r.err);
	int code = r.code;
	rl_result_free(&r);
	return code;
}

static void assert_same(const char *what, char *killed, char *reference)
{
	assert_non_null(killed);
	assert_non_null(reference);
	if (strcmp(killed, reference) != 0)
		fail_msg("%s differ:\n--- after kills:\n%s\n--- never interrupted:\n%s", what,
		         killed, reference);
	free(killed);
	free(reference);
}

/* The database exists and its schema was committed. */
static int has_schema(const char *db)
{
	return tu_exists(db) &&
	       rl_count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'runs'") == 1;
}

static const char evidence_sql[] =
    "SELECT url, indicator, country, polarity, sentence_key, state FROM evidence "
    "ORDER BY 1, 2, 3, 4, 5";
static const char readings_sql[] =
    "SELECT country, date, temperature, band, policy, ecosystem, infra, usage, "
    "evidence_count, evidence_confirmed, evidence_pending, evidence_negative, sources_ok, "
    "sources_total, low_confidence, method_version FROM readings ORDER BY country, date";
static const char contributions_sql[] =
    "SELECT r.country, r.date, e.url, e.indicator, e.polarity, e.sentence_key, x.indicator, "
    "x.strength, x.status FROM reading_evidence x JOIN readings r ON r.id = x.reading_id "
    "JOIN evidence e ON e.id = x.evidence_id ORDER BY 1, 2, 3, 4, 5, 6";

static void test_sigkill_at_twenty_moments_loses_and_corrupts_nothing(void **state)
{
	fixture *f = *state;
	int landed[NPHASES] = {0}, kill_phase[20];
	long long run_ids[20] = {0}; /* the run each kill interrupted, 0 when none recorded */
	const char *runs_sql = "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM runs";
	for (size_t i = 0; i < 20; i++) {
		if (i > 0)
			next_version(f);
		long long runs_before = has_schema(f->db) ? rl_count(f->db, runs_sql) : 0;
		kill_outcome o = run_and_kill(f, &kills[i]);
		int phase = kill_phase[i] = phase_of(&o);
		landed[phase]++;
		if (phase >= FETCHING) {
			/* it got as far as recording its run */
			char *v = rl_query(f->db, "%s", runs_sql);
			long long n = 0, id = 0;
			assert_int_equal(sscanf(v, "%lld %lld", &n, &id), 2);
			assert_int_equal(n, runs_before + 1);
			run_ids[i] = id;
			free(v);
		}
		if (!o.killed)
			assert_int_equal(o.exit_code, 0);
		long long scored = -1;
		if (has_schema(f->db))
			scored = rl_count(f->db, "SELECT count(*) FROM readings WHERE run_id = "
			                         "(SELECT max(id) FROM runs)");
		printf("kill %2zu: %-17s after %d fetches, %d texts; %s\n", i + 1,
		       phase_names[phase], o.fetches, o.extracts,
		       scored < 0 ? "no schema yet"
		       : scored   ? "readings stored"
		                  : "no readings");
		if (!tu_exists(f->db))
			continue; /* killed before the database was created */
		char *check = rl_db_check(f->db);
		if (strcmp(check, "ok") != 0)
			fail_msg("after kill %zu (%s): %s", i + 1, phase_names[phase], check);
		free(check);
	}
	/* The kills landed in every stage of the run. */
	assert_true(landed[FETCHING] >= 3);
	assert_true(landed[EXTRACTING] >= 5);
	assert_true(landed[SCORING] >= 3);
	assert_true(landed[FINISHED] <= 2);

	/* The next night finishes, and leaves what one quiet night leaves. */
	next_version(f);
	assert_int_equal(run_to_end(f, f->db), 0);
	assert_int_equal(run_to_end(f, f->ref_db), 0);
	char *check = rl_db_check(f->db);
	assert_string_equal(check, "ok");
	free(check);
	assert_true(rl_count(f->ref_db, "SELECT count(*) FROM evidence") > 50);
	assert_same("evidence", rl_query(f->db, evidence_sql), rl_query(f->ref_db, evidence_sql));
	assert_same("readings", rl_query(f->db, readings_sql), rl_query(f->ref_db, readings_sql));
	assert_same("reading contributions", rl_query(f->db, contributions_sql),
	            rl_query(f->ref_db, contributions_sql));
	/* Every run killed in the middle of its work is on record as
	 * interrupted; one killed while scoring may have been recorded as
	 * finished just before; none is left running or failed. */
	assert_int_equal(rl_count(f->db, "SELECT count(*) FROM runs WHERE status NOT IN "
	                                 "('interrupted', 'ok')"),
	                 0);
	for (size_t i = 0; i < 20; i++) {
		if (!run_ids[i])
			continue;
		char *st = rl_query(f->db, "SELECT status FROM runs WHERE id = %lld", run_ids[i]);
		int mid = kill_phase[i] >= FETCHING && kill_phase[i] <= EXTRACTING;
		if (mid ? strcmp(st, "interrupted\n") != 0
		        : strcmp(st, "interrupted\n") != 0 && strcmp(st, "ok\n") != 0)
			fail_msg("run of kill %zu (%s) is recorded as %s", i + 1,
			         phase_names[kill_phase[i]], st);
		free(st);
	}
	assert_int_equal(rl_count(f->db,
	                          "SELECT count(*) FROM runs WHERE status = 'ok' AND id = (SELECT "
	                          "max(id) FROM runs)"),
	                 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_sigkill_at_twenty_moments_loses_and_corrupts_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
