/*
 * tests/unit/test_store.c - the store: migration of an empty file,
 * reopening, foreign keys, rollback on error, refusal of newer schemas and
 * read-only files, the run lock, and captures with de-duplicated bodies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../store/store.h"
#include "../support/testutil.h"

typedef struct {
	char *dir;
	char *db;
} fixture;

static int setup(void **state)
{
	fixture *f = mct_xcalloc(1, sizeof *f);
	f->dir = tu_tempdir();
	f->db = mct_xasprintf("%s/t.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->db);
	free(f);
	return 0;
}

static int64_t count(mct_store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(mct_store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void test_empty_file_is_migrated_to_latest_schema(void **state)
{
	fixture *f = *state;
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	assert_int_equal(mct_store_schema_version(st), MCT_SCHEMA_VERSION);
	assert_int_equal(count(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	                           "name IN ('runs','sources','captures','bodies','texts','rules',"
	                           "'evidence','reviews','readings')"),
	                 9);
	assert_int_equal(count(st, "PRAGMA foreign_keys"), 1);
	mct_store_close(st);
	/* reopening does not migrate again and keeps the data */
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	assert_int_equal(mct_store_schema_version(st), MCT_SCHEMA_VERSION);
	mct_store_close(st);
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READONLY, &st, &err), MCT_OK);
	mct_store_close(st);
}

static void test_readonly_open_of_missing_database_says_run_first(void **state)
{
	fixture *f = *state;
	mct_store *st = NULL;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READONLY, &st, &err), MCT_ERR_DB);
	assert_null(st);
	assert_non_null(strstr(err.msg, "mcthermo run"));
	assert_false(tu_exists(f->db));
}

static void test_foreign_keys_are_enforced(void **state)
{
	fixture *f = *state;
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	/* a capture of an unknown run and source must be refused */
	mct_capture c = {.run_id = 42,
	                 .source_id = "nope",
	                 .url = "https://x/",
	                 .fetched_at = "2026-01-01T00:00:00Z",
	                 .outcome = MCT_CAPTURE_FAILED};
	assert_int_equal(mct_store_capture_add(st, &c, NULL, 0, NULL, 0, &err), MCT_ERR_DB);
	assert_non_null(strstr(err.msg, "FOREIGN KEY"));
	mct_store_close(st);
}

static void test_rollback_leaves_nothing_half_written(void **state)
{
	fixture *f = *state;
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	int64_t run;
	assert_int_equal(mct_store_run_start(st, "crawl", &run, &err), MCT_OK);
	mct_store_source src = {"s1", "ES", "policy", "https://x/", "es", 1};
	assert_int_equal(mct_store_source_put(st, &src, &err), MCT_OK);
	assert_int_equal(mct_store_begin(st, &err), MCT_OK);
	mct_capture c = {.run_id = run,
	                 .source_id = "s1",
	                 .url = "https://x/",
	                 .fetched_at = "2026-01-01T00:00:00Z",
	                 .outcome = MCT_CAPTURE_NEW,
	                 .text_type = "html",
	                 .extractor = "text-1"};
	assert_int_equal(mct_store_capture_add(st, &c, "<p>a</p>", 8, "a\n", 2, &err), MCT_OK);
	/* the second insert fails (unknown source): the whole unit is rolled back */
	mct_capture bad = c;
	bad.source_id = "unknown";
	assert_int_not_equal(mct_store_capture_add(st, &bad, NULL, 0, NULL, 0, &err), MCT_OK);
	mct_store_rollback(st);
	assert_int_equal(count(st, "SELECT count(*) FROM captures"), 0);
	assert_int_equal(count(st, "SELECT count(*) FROM bodies"), 0);
	mct_store_close(st);
}

static void test_bodies_are_stored_once_per_hash_and_read_back(void **state)
{
	fixture *f = *state;
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	int64_t run;
	assert_int_equal(mct_store_run_start(st, "crawl", &run, &err), MCT_OK);
	mct_store_source src = {"s1", "LV", "qa", "https://x/", NULL, 1};
	assert_int_equal(mct_store_source_put(st, &src, &err), MCT_OK);
	char body[4096];
	for (size_t i = 0; i < sizeof body; i++)
		body[i] = "<p>mikrokvalifikācija </p>"[i % 26];
	for (int i = 0; i < 3; i++) {
		mct_capture c = {.run_id = run,
		                 .source_id = "s1",
		                 .url = "https://x/a",
		                 .fetched_at = "2026-01-01T00:00:00Z",
		                 .etag = "\"v1\"",
		                 .outcome = i ? MCT_CAPTURE_UNCHANGED : MCT_CAPTURE_NEW,
		                 .text_type = "html",
		                 .extractor = "text-1"};
		assert_int_equal(
		    mct_store_capture_add(st, &c, body, sizeof body, "text\n", 5, &err), MCT_OK);
	}
	assert_int_equal(count(st, "SELECT count(*) FROM captures"), 3);
	assert_int_equal(count(st, "SELECT count(*) FROM bodies"), 1);
	/* compressed: repetitive HTML shrinks well below its size */
	assert_true(count(st, "SELECT length(data) FROM bodies") < 1024);
	mct_capture last;
	int found;
	assert_int_equal(mct_store_capture_last(st, "https://x/a", &last, &found, &err), MCT_OK);
	assert_true(found);
	assert_string_equal(last.etag, "\"v1\"");
	mct_buf b;
	mct_buf_init(&b);
	assert_int_equal(mct_store_body(st, last.sha256, &b, &err), MCT_OK);
	assert_int_equal(b.len, sizeof body);
	assert_memory_equal(b.data, body, sizeof body);
	assert_int_equal(mct_store_text(st, last.sha256, &b, &err), MCT_OK);
	assert_string_equal(b.data, "text\n");
	mct_buf_free(&b);
	assert_int_equal(mct_store_capture_last(st, "https://x/none", &last, &found, &err), MCT_OK);
	assert_false(found);
	mct_store_close(st);
}

static void test_newer_schema_is_refused(void **state)
{
	fixture *f = *state;
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	assert_int_equal(mct_store_exec(st, "PRAGMA user_version = 999", &err), MCT_OK);
	mct_store_close(st);
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_ERR_DB);
	assert_non_null(strstr(err.msg, "newer"));
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READONLY, &st, &err), MCT_ERR_DB);
}

static void test_not_a_database_is_refused_and_left_alone(void **state)
{
	fixture *f = *state;
	char *p = tu_write(f->dir, "t.db", "this is not a database, it is a shopping list\n");
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(p, MCT_STORE_READWRITE, &st, &err), MCT_ERR_DB);
	assert_non_null(strstr(err.msg, "not an mcthermo database"));
	mct_buf b;
	mct_buf_init(&b);
	assert_int_equal(mct_read_file(p, 0, &b, &err), MCT_OK);
	assert_string_equal(b.data, "this is not a database, it is a shopping list\n");
	mct_buf_free(&b);
	free(p);
}

/* Open for writing must fail with "read-only" in the message; 0 when so. */
static int refused_readonly(const char *db)
{
	mct_store *st = NULL;
	mct_err err = {0};
	mct_status rc = mct_store_open(db, MCT_STORE_READWRITE, &st, &err);
	mct_store_close(st);
	return rc == MCT_ERR_DB && strstr(err.msg, "read-only") ? 0 : 1;
}

static void test_readonly_file_and_folder_are_refused_for_writing(void **state)
{
	fixture *f = *state;
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	mct_store_close(st);
	if (geteuid() != 0) {
		chmod(f->db, 0444);
		assert_int_equal(refused_readonly(f->db), 0);
		chmod(f->db, 0644);
		chmod(f->dir, 0555);
		assert_int_equal(refused_readonly(f->db), 0);
		chmod(f->dir, 0755);
		return;
	}
	/* root may write anything: check as an unprivileged user instead, for
	 * whom the root-owned file and folder are read-only. */
	chmod(f->dir, 0755);
	chmod(f->db, 0644);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		_exit(refused_readonly(f->db));
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* and nothing was changed: the database still opens for root */
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	mct_store_close(st);
}

static void test_second_writer_is_refused_while_first_holds_lock(void **state)
{
	fixture *f = *state;
	mct_store *a, *b;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &a, &err), MCT_OK);
	assert_int_equal(mct_store_lock(a, &err), MCT_OK);
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &b, &err), MCT_OK);
	assert_int_equal(mct_store_lock(b, &err), MCT_ERR_BUSY);
	assert_non_null(strstr(err.msg, "another mcthermo run"));
	mct_store_close(b);
	mct_store_close(a);
	/* released with the first store */
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &b, &err), MCT_OK);
	assert_int_equal(mct_store_lock(b, &err), MCT_OK);
	mct_store_close(b);
}

static void test_killed_run_is_marked_interrupted_by_next_run(void **state)
{
	fixture *f = *state;
	mct_store *st;
	mct_err err = {0};
	assert_int_equal(mct_store_open(f->db, MCT_STORE_READWRITE, &st, &err), MCT_OK);
	int64_t r1, r2;
	assert_int_equal(mct_store_run_start(st, "run", &r1, &err), MCT_OK);
	/* r1 never finishes, as if the process had been killed */
	assert_int_equal(mct_store_run_start(st, "run", &r2, &err), MCT_OK);
	assert_int_equal(mct_store_run_finish(st, r2, MCT_RUN_PARTIAL, "1 source failed", &err),
	                 MCT_OK);
	assert_int_equal(count(st, "SELECT count(*) FROM runs WHERE status = 'interrupted'"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM runs WHERE status = 'partial'"), 1);
	mct_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_empty_file_is_migrated_to_latest_schema, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_readonly_open_of_missing_database_says_run_first,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_foreign_keys_are_enforced, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing_half_written, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_bodies_are_stored_once_per_hash_and_read_back,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_database_is_refused_and_left_alone, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_readonly_file_and_folder_are_refused_for_writing,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_second_writer_is_refused_while_first_holds_lock,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_killed_run_is_marked_interrupted_by_next_run,
	                                    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
