/*
 * tests/unit/test_reliability_storage.c - what the database's surroundings
 * can do to a run: another process holding a write transaction, a full
 * disk, a read-only file or folder, a schema from a newer mcthermo, a file
 * that is not a database.  Each must end in a clear message and an exit code
 * that says what happened, with nothing half-written, and the next run
 * (once the cause is gone) must complete as if nothing had happened.
 *
 * The runs read the demo corpus from files (tests/fixtures/reliability/
 * full-run.ini), so they need no server.  The full disk is a real one: a
 * small tmpfs, filled up to a chosen number of bytes before the run (this
 * needs root; without it the test says so and is skipped).  Read-only cases
 * run mcthermo as the unprivileged user 65534 when the test runs as root,
 * since root may write anywhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/mount.h>

#include "../../store/store.h"
#include "test_reliability.h"

#define NOBODY 65534

typedef struct {
	char *dir, *config, *ref_db;
	char *mounted; /* the tmpfs of the full disk, unmounted however the test ends */
} fixture;

static int group_setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	chmod(f->dir, 0755); /* user 65534 must reach what is below */
	f->config = tu_top_path("tests/fixtures/reliability/full-run.ini");
	f->ref_db = mct_xasprintf("%s/reference.db", f->dir);
	rl_result r = rl_run(f->dir, "--config", f->config, "--db", f->ref_db, "run");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	*state = f;
	return 0;
}

static int group_teardown(void **state)
{
	fixture *f = *state;
	if (f->mounted) {
		umount2(f->mounted, MNT_DETACH);
		free(f->mounted);
	}
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->config);
	free(f->ref_db);
	free(f);
	return 0;
}

/* A fresh folder below the fixture's, open to everyone. */
static char *subdir(const fixture *f, const char *name)
{
	char *d = mct_xasprintf("%s/%s", f->dir, name);
	assert_int_equal(mkdir(d, 0777), 0);
	chmod(d, 0777);
	return d;
}

static char *file_sha(const char *path)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_err err;
	assert_int_equal(mct_read_file(path, 0, &b, &err), MCT_OK);
	char *h = mct_xcalloc(1, 65);
	mct_sha256_hex(b.data, b.len, h);
	mct_buf_free(&b);
	return h;
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("'%s' not in: %s", needle, haystack);
}

static const char evidence_sql[] =
    "SELECT url, indicator, country, polarity, sentence_key, state FROM evidence "
    "ORDER BY 1, 2, 3, 4, 5";
static const char readings_sql[] =
    "SELECT country, date, temperature, band, policy, ecosystem, infra, usage, "
    "evidence_count, evidence_negative, sources_ok, sources_total, low_confidence "
    "FROM readings ORDER BY country, date";

/* db holds what one uninterrupted run leaves. */
static void assert_like_reference(const fixture *f, const char *db)
{
	char *check = rl_db_check(db);
	assert_string_equal(check, "ok");
	free(check);
	const char *sql[] = {evidence_sql, readings_sql};
	for (size_t i = 0; i < 2; i++) {
		char *a = rl_query(db, "%s", sql[i]), *b = rl_query(f->ref_db, "%s", sql[i]);
		assert_non_null(a);
		assert_non_null(b);
		if (strcmp(a, b) != 0)
			fail_msg("%s differs from an uninterrupted run's:\n%s\n---\n%s", db, a, b);
		free(a);
		free(b);
	}
}

/* ---- another process holds a write transaction ------------------------------- */

static void test_database_locked_by_another_process_fails_clearly_and_writes_nothing(void **state)
{
	fixture *f = *state;
	char *d = subdir(f, "busy");
	char *db = mct_xasprintf("%s/m.db", d);
	rl_result r = rl_run(d, "--config", f->config, "--db", db, "score");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	long long runs = rl_count(db, "SELECT count(*) FROM runs");
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t holder = fork();
	if (holder == 0) {
		/* a person with the sqlite3 shell open in a transaction, say */
		sqlite3 *h;
		if (sqlite3_open(db, &h) != SQLITE_OK ||
		    sqlite3_exec(h, "BEGIN IMMEDIATE; UPDATE runs SET summary = summary", NULL,
		                 NULL, NULL) != SQLITE_OK)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		/* long enough for run to load its rules (slow under the
		 * sanitizers) and then wait out SQLite's 5 s busy timeout */
		rl_sleep_ms(12000);
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(h);
		_exit(0);
	}
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	r = rl_run(d, "--config", f->config, "--db", db, "run");
	if (r.code != 4 || r.ms > 11900)
		fail_msg("run while another process writes: exit %d after %.0f ms: %s", r.code,
		         r.ms, r.err);
	assert_contains(r.err, "database is locked");
	assert_contains(r.err, "another process holds the database; try again later");
	rl_result_free(&r);
	assert_int_equal(rl_wait(holder, 15000), 0);
	assert_int_equal(rl_count(db, "SELECT count(*) FROM runs"), runs);
	assert_int_equal(rl_count(db, "SELECT count(*) FROM captures"), 0);
	/* the holder is gone: the run goes through */
	r = rl_run(d, "--config", f->config, "--db", db, "run");
	assert_int_equal(r.code, 0);
	rl_result_free(&r);
	assert_like_reference(f, db);
	close(ready[0]);
	close(ready[1]);
	free(db);
	free(d);
}

/* ---- a full disk ------------------------------------------------------------------ */

/* Fill the file system of `dir` until `left` KiB are free. */
static void fill_up(const char *dir, long left)
{
	char *filler = mct_xasprintf("%s/filler", dir);
	FILE *out = fopen(filler, "wb");
	assert_non_null(out);
	static char zeros[1024];
	for (;;) {
		char *cmd = mct_xasprintf("df -k --output=avail '%s' | tail -1", dir);
		FILE *p = popen(cmd, "r");
		long avail = 0;
		assert_non_null(p);
		assert_int_equal(fscanf(p, "%ld", &avail), 1);
		pclose(p);
		free(cmd);
		if (avail <= left)
			break;
		for (long i = 0; i < avail - left; i++)
			if (fwrite(zeros, 1, sizeof zeros, out) != sizeof zeros)
				break;
		fflush(out);
	}
	fclose(out);
	free(filler);
}

static void test_full_disk_fails_clearly_at_every_stage_and_next_run_completes(void **state)
{
	fixture *f = *state;
	char *d = subdir(f, "full");
	if (mount("mcthermo-test", d, "tmpfs", 0, "size=16m") != 0) {
		fprintf(stderr, "cannot mount a tmpfs (%s): a full disk is not tested here\n",
		        strerror(errno));
		free(d);
		skip();
	}
	f->mounted = mct_xstrdup(d);
	char *db = mct_xasprintf("%s/m.db", d);
	char *filler = mct_xasprintf("%s/filler", d);
	/* Each stage: what runs with room first, then how much room is left
	 * for the command that must fail. */
	static const struct {
		const char *stage, *before[2], *command;
		long room_kib;
	} stages[] = {
	    {"creating the schema", {NULL, NULL}, "run", 48},
	    {"fetching", {NULL, NULL}, "run", 256},
	    {"extracting", {"crawl", NULL}, "extract", 64},
	    {"scoring", {"crawl", "extract"}, "score", 64},
	};
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
		char *wipe = mct_xasprintf("rm -rf '%s'/*", d);
		assert_int_equal(system(wipe), 0);
		free(wipe);
		for (size_t k = 0; k < 2 && stages[i].before[k]; k++) {
			rl_result r =
			    rl_run(f->dir, "--config", f->config, "--db", db, stages[i].before[k]);
			assert_int_equal(r.code, 0);
			rl_result_free(&r);
		}
		fill_up(d, stages[i].room_kib);
		rl_result r = rl_run(f->dir, "--config", f->config, "--db", db, stages[i].command);
		if (r.code != 3 || !strstr(r.err, "disk is full") ||
		    !strstr(r.err, "nothing was half-written"))
			fail_msg("full disk while %s: exit %d: %s", stages[i].stage, r.code, r.err);
		rl_result_free(&r);
		/* space again (a reader needs some too, for the WAL index) */
		assert_int_equal(unlink(filler), 0);
		if (tu_exists(db)) {
			char *check = rl_db_check(db);
			if (strcmp(check, "ok") != 0)
				fail_msg("full disk while %s: %s", stages[i].stage, check);
			free(check);
		}
		/* the next run completes, as if nothing had happened */
		r = rl_run(f->dir, "--config", f->config, "--db", db, "run");
		if (r.code != 0)
			fail_msg("after a full disk while %s, with space again: exit %d: %s",
			         stages[i].stage, r.code, r.err);
		rl_result_free(&r);
		assert_like_reference(f, db);
	}
	umount2(d, MNT_DETACH);
	free(f->mounted);
	f->mounted = NULL;
	free(filler);
	free(db);
	free(d);
}

/* ---- read-only file and folder ------------------------------------------------------ */

/* Run as user 65534 when root (root writes anywhere); the result. */
static rl_result run_unprivileged(const char *dir, const char *const *argv)
{
	return rl_run_as(dir, geteuid() == 0 ? NOBODY : 0, 60000, argv);
}

/* A database in d, owned by root: a copy of the reference (which its run
 * closed cleanly, so the file is all of it). */
static char *made_db(const fixture *f, const char *d)
{
	char *db = mct_xasprintf("%s/m.db", d);
	mct_buf b;
	mct_buf_init(&b);
	mct_err err;
	assert_int_equal(mct_read_file(f->ref_db, 0, &b, &err), MCT_OK);
	FILE *out = fopen(db, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(b.data, 1, b.len, out), b.len);
	assert_int_equal(fclose(out), 0);
	mct_buf_free(&b);
	return db;
}

static void assert_writers_refused(const fixture *f, const char *d, const char *db, const char *why)
{
	char *before = file_sha(db);
	const char *cmds[] = {"run", "crawl", "extract", "score"};
	for (size_t i = 0; i < 4; i++) {
		const char *argv[] = {"--config", f->config, "--db", db, cmds[i], NULL};
		rl_result r = run_unprivileged(d, argv);
		if (r.code != 3 || !strstr(r.err, why))
			fail_msg("`%s` on %s: exit %d: %s", cmds[i], why, r.code, r.err);
		rl_result_free(&r);
	}
	char *after = file_sha(db);
	assert_string_equal(before, after); /* not a byte changed */
	free(before);
	free(after);
	char *wal = mct_xasprintf("%s-wal", db);
	assert_false(tu_exists(wal));
	free(wal);
}

static void test_readonly_database_file_is_refused_for_writing_and_left_alone(void **state)
{
	fixture *f = *state;
	char *d = subdir(f, "ro-file");
	char *db = made_db(f, d);
	assert_int_equal(chmod(db, 0444), 0);
	assert_writers_refused(f, d, db, "the database file is read-only");
	/* readers are fine */
	const char *argv[] = {"--db", db, "readings", NULL};
	rl_result r = run_unprivileged(d, argv);
	assert_int_equal(r.code, 0);
	assert_contains(r.out, "ES ");
	rl_result_free(&r);
	free(db);
	free(d);
}

static void test_readonly_folder_is_refused_for_writing_and_left_alone(void **state)
{
	fixture *f = *state;
	char *d = subdir(f, "ro-folder");
	char *db = made_db(f, d);
	assert_int_equal(chmod(db, 0666), 0);
	assert_int_equal(chmod(d, 0555), 0);
	if (geteuid() == 0)
		assert_int_equal(chmod(d, 0755), 0); /* root-owned: read-only for 65534 */
	assert_writers_refused(f, d, db, "the database's folder is read-only");
	/* and a database that is not there yet cannot be made there */
	char *fresh = mct_xasprintf("%s/new.db", d);
	const char *argv[] = {"--config", f->config, "--db", fresh, "run", NULL};
	rl_result r = run_unprivileged(d, argv);
	assert_int_equal(r.code, 3);
	assert_contains(r.err, "cannot create the database: its folder is not writable");
	rl_result_free(&r);
	assert_false(tu_exists(fresh));
	free(fresh);
	chmod(d, 0777);
	free(db);
	free(d);
}

static void test_read_commands_work_on_a_database_in_a_readonly_folder(void **state)
{
	fixture *f = *state;
	char *d = subdir(f, "ro-reader");
	char *db = made_db(f, d);
	assert_int_equal(chmod(db, 0444), 0);
	assert_int_equal(chmod(d, 0555), 0);
	char *before = file_sha(db);
	const char *cmds[][3] = {{"readings", NULL},
	                         {"evidence", NULL},
	                         {"explain", "ES", NULL},
	                         {"history", "ES", NULL}};
	for (size_t i = 0; i < 4; i++) {
		const char *argv[] = {"--config", f->config,  "--db", db,
		                      cmds[i][0], cmds[i][1], NULL};
		rl_result r = run_unprivileged(d, argv);
		if (r.code != 0 || !strstr(r.out, "ES"))
			fail_msg("`%s` in a read-only folder: exit %d: %s", cmds[i][0], r.code,
			         r.err);
		rl_result_free(&r);
	}
	char *after = file_sha(db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	chmod(d, 0777);
	free(db);
	free(d);
}

/* ---- what is not this mcthermo's database --------------------------------------- */

static void test_database_of_a_newer_schema_is_refused_by_every_command_and_left_alone(void **state)
{
	fixture *f = *state;
	char *d = subdir(f, "newer");
	char *db = made_db(f, d);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	char *before = file_sha(db);
	const char *cmds[][3] = {{"run", NULL},      {"score", NULL},    {"extract", NULL},
	                         {"readings", NULL}, {"evidence", NULL}, {"explain", "ES"}};
	char want[128];
	snprintf(want, sizeof want,
	         "database schema version 99 is newer than this mcthermo understands (%d); use a "
	         "newer mcthermo",
	         MCT_SCHEMA_VERSION);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		const char *argv[] = {"--config", f->config,  "--db", db,
		                      cmds[i][0], cmds[i][1], NULL};
		rl_result r = rl_run_as(d, 0, 60000, argv);
		if (r.code != 3 || !strstr(r.err, want))
			fail_msg("`%s` on a newer schema: exit %d: %s", cmds[i][0], r.code, r.err);
		rl_result_free(&r);
	}
	char *after = file_sha(db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(db);
	free(d);
}

static void test_file_that_is_not_a_database_is_refused_and_left_alone(void **state)
{
	fixture *f = *state;
	char *d = subdir(f, "notadb");
	char *db = tu_write(d, "m.db", "date,temperature\n2026-01-15,22.1\n");
	char *before = file_sha(db);
	const char *cmds[] = {"run", "readings"};
	for (size_t i = 0; i < 2; i++) {
		const char *argv[] = {"--config", f->config, "--db", db, cmds[i], NULL};
		rl_result r = rl_run_as(d, 0, 60000, argv);
		if (r.code != 3 || !strstr(r.err, "not an mcthermo database"))
			fail_msg("`%s` on a CSV file: exit %d: %s", cmds[i], r.code, r.err);
		rl_result_free(&r);
	}
	char *after = file_sha(db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(db);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_database_locked_by_another_process_fails_clearly_and_writes_nothing),
	    cmocka_unit_test(test_full_disk_fails_clearly_at_every_stage_and_next_run_completes),
	    cmocka_unit_test(test_readonly_database_file_is_refused_for_writing_and_left_alone),
	    cmocka_unit_test(test_readonly_folder_is_refused_for_writing_and_left_alone),
	    cmocka_unit_test(test_read_commands_work_on_a_database_in_a_readonly_folder),
	    cmocka_unit_test(
	        test_database_of_a_newer_schema_is_refused_by_every_command_and_left_alone),
	    cmocka_unit_test(test_file_that_is_not_a_database_is_refused_and_left_alone),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
