/*
 * store/store.c - opening, migrating, locking and transactions; runs and
 * sources.
 *
 * SQLite runs in WAL mode so that read-only commands (readings, evidence,
 * report) work while a nightly run writes, with synchronous=NORMAL (a power
 * loss may drop the last transaction, never corrupt the file) and foreign
 * keys on.  Prepared statements are cached per store for its lifetime:
 * the crawl and extract loops run the same few statements thousands of
 * times.
 *
 * The run lock is an flock() on "<db>.lock" rather than a long-lived SQLite
 * write transaction, because a run commits many transactions (one per
 * capture) and readers must see each as it lands.
 */
#include "store_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct mct_store {
	sqlite3 *db;
	char *path;
	int lock_fd;
	struct cached {
		const char *sql;
		sqlite3_stmt *stmt;
	} * cache;
	size_t ncache;
};

sqlite3 *mct_store_db(mct_store *st)
{
	return st->db;
}

const char *mct_store_path(const mct_store *st)
{
	return st->path;
}

mct_status mct_store_fail(mct_store *st, mct_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	/* SQLite says "disk I/O error" when the disk fills while it maps or
	 * grows a file other than the database (the -shm index), and for a
	 * full quota: the system's errno tells. */
	int sys = (code & 0xff) == SQLITE_IOERR ? sqlite3_system_errno(st->db) : 0;
	const char *hint = "";
	if ((code & 0xff) == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT)
		hint =
		    " (the disk is full: free some space and run again; nothing was half-written)";
	else if ((code & 0xff) == SQLITE_READONLY)
		hint = " (the database file or its folder is read-only)";
	else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		hint = " (another process holds the database; try again later)";
	else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		hint = " (the file is damaged or not an mcthermo database)";
	return mct_fail(err, (code & 0xff) == SQLITE_BUSY ? MCT_ERR_BUSY : MCT_ERR_DB,
	                "%s: %s: %s%s", st->path, what, sqlite3_errmsg(st->db), hint);
}

mct_status mct_store_exec(mct_store *st, const char *sql, mct_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		mct_status rc = mct_store_fail(st, err, "statement failed");
		sqlite3_free(msg);
		return rc;
	}
	return MCT_OK;
}

sqlite3_stmt *mct_store_stmt(mct_store *st, const char *sql, mct_err *err)
{
	for (size_t i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql || strcmp(st->cache[i].sql, sql) == 0) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		mct_store_fail(st, err, "cannot prepare statement");
		return NULL;
	}
	st->cache = mct_xrealloc(st->cache, (st->ncache + 1) * sizeof *st->cache);
	st->cache[st->ncache++] = (struct cached){sql, s};
	return s;
}

int mct_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, i);
}

static int user_version(sqlite3 *db, int *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int mct_store_schema_version(mct_store *st)
{
	int v = -1;
	user_version(st->db, &v);
	return v;
}

static mct_status migrate(mct_store *st, int from, mct_err *err)
{
	for (int v = from + 1; v <= mct_schema_latest(); v++) {
		mct_status rc = mct_store_exec(st, "BEGIN IMMEDIATE", err);
		if (rc)
			return rc;
		/* Another process may have migrated while this one waited for
		 * the write lock (two first runs on a new file): look again. */
		int now = 0;
		if (user_version(st->db, &now) != 0) {
			rc = mct_store_fail(st, err, "cannot read the schema version");
			mct_store_rollback(st);
			return rc;
		}
		if (now >= v) {
			mct_store_rollback(st);
			continue;
		}
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v);
		if ((rc = mct_store_exec(st, mct_schema_migration(v), err)) ||
		    (rc = mct_store_exec(st, bump, err)) ||
		    (rc = mct_store_exec(st, "COMMIT", err))) {
			mct_store_rollback(st);
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
			return mct_fail(err, rc, "migrating to schema version %d: %s", v, msg);
		}
	}
	return MCT_OK;
}

/* Create the folders above a new database ("~/.local/share/mcthermo/"),
 * like mkdir -p; failures show up as "folder is not writable" next. */
static void make_parents(const char *path)
{
	char *dir = mct_path_dirname(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(dir, 0755);
		*p = '/';
	}
	mkdir(dir, 0755);
	free(dir);
}

static int dir_writable(const char *path)
{
	char *dir = mct_path_dirname(path);
	int ok = access(dir, W_OK) == 0;
	free(dir);
	return ok;
}

/* A reader who may not write in the database's folder cannot create the
 * WAL index (the -shm file) that SQLite needs to read a WAL database, and
 * the open fails although the file is readable.  When no -wal file is
 * there, no run is writing and the file alone is the whole database: read
 * it as immutable.  (A run starting meanwhile writes to its own -wal and
 * only folds it into the file when it ends, later than a reading command.)
 * With a -wal file beside it, the reader must wait for the run or be its
 * user: say so.  Returns 0 when reopened. */
static int reopen_immutable(mct_store *st)
{
	char *wal = mct_xasprintf("%s-wal", st->path);
	struct stat sb;
	int wal_there = stat(wal, &sb) == 0;
	free(wal);
	if (wal_there || dir_writable(st->path))
		return -1;
	mct_buf uri;
	mct_buf_init(&uri);
	mct_buf_puts(&uri, "file:");
	for (const unsigned char *p = (const unsigned char *)st->path; *p; p++) {
		if (isalnum(*p) || strchr("/._-~", *p))
			mct_buf_putc(&uri, (char)*p);
		else
			mct_buf_printf(&uri, "%%%02X", *p);
	}
	mct_buf_puts(&uri, "?immutable=1");
	sqlite3_close(st->db);
	st->db = NULL;
	int rc = sqlite3_open_v2(uri.data, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	mct_buf_free(&uri);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(st->db, 1);
		sqlite3_busy_timeout(st->db, 5000);
	}
	return rc == SQLITE_OK ? 0 : -1;
}

mct_status mct_store_open(const char *path, mct_store_mode mode, mct_store **out, mct_err *err)
{
	*out = NULL;
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (mode == MCT_STORE_READONLY && !exists)
		return mct_fail(err, MCT_ERR_DB,
		                "%s: no database here yet; run `mcthermo run` (or crawl) first, or "
		                "give --db FILE",
		                path);
	if (mode == MCT_STORE_READWRITE) {
		if (!exists)
			make_parents(path);
		if (!exists && !dir_writable(path))
			return mct_fail(
			    err, MCT_ERR_DB,
			    "%s: cannot create the database: its folder is not writable", path);
		if (exists && access(path, W_OK) != 0)
			return mct_fail(err, MCT_ERR_DB, "%s: the database file is read-only",
			                path);
		if (exists && !dir_writable(path))
			return mct_fail(
			    err, MCT_ERR_DB,
			    "%s: the database's folder is read-only (SQLite needs to write "
			    "its journal beside the file)",
			    path);
	}
	mct_store *st = mct_xcalloc(1, sizeof *st);
	st->path = mct_xstrdup(path);
	st->lock_fd = -1;
	int flags = mode == MCT_STORE_READONLY ? SQLITE_OPEN_READONLY
	                                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	mct_status rc;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = mct_store_fail(st, err, "cannot open the database");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	int version;
	int unread = user_version(st->db, &version);
	if (unread && mode == MCT_STORE_READONLY && reopen_immutable(st) == 0)
		unread = user_version(st->db, &version);
	if (unread) {
		rc = mct_store_fail(st, err, "cannot read the database");
		goto fail;
	}
	if (version > mct_schema_latest()) {
		rc = mct_fail(err, MCT_ERR_DB,
		              "%s: database schema version %d is newer than this mcthermo "
		              "understands (%d); use a newer mcthermo",
		              path, version, mct_schema_latest());
		goto fail;
	}
	if (mode == MCT_STORE_READONLY) {
		if (version < mct_schema_latest()) {
			rc =
			    mct_fail(err, MCT_ERR_DB,
			             "%s: database schema version %d is older than this mcthermo's "
			             "(%d); run `mcthermo run` once to upgrade it",
			             path, version, mct_schema_latest());
			goto fail;
		}
		if ((rc = mct_store_exec(st, "PRAGMA foreign_keys = ON", err)))
			goto fail;
		*out = st;
		return MCT_OK;
	}
	if ((rc = mct_store_exec(st, "PRAGMA journal_mode = WAL", err)) ||
	    (rc = mct_store_exec(st, "PRAGMA synchronous = NORMAL", err)) ||
	    (rc = mct_store_exec(st, "PRAGMA foreign_keys = ON", err)))
		goto fail;
	if ((rc = migrate(st, version, err)))
		goto fail;
	*out = st;
	return MCT_OK;
fail:
	mct_store_close(st);
	return rc;
}

void mct_store_close(mct_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	free(st->cache);
	if (st->db)
		sqlite3_close(st->db);
	if (st->lock_fd >= 0)
		close(st->lock_fd); /* releases the flock */
	free(st->path);
	free(st);
}

mct_status mct_store_lock(mct_store *st, mct_err *err)
{
	if (st->lock_fd >= 0)
		return MCT_OK;
	char *lp = mct_xasprintf("%s.lock", st->path);
	int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		mct_status rc = mct_fail(err, MCT_ERR_DB, "%s: cannot create lock file: %s", lp,
		                         strerror(errno));
		free(lp);
		return rc;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		char pid[32] = "";
		ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = 0;
		pid[strcspn(pid, "\n")] = 0;
		close(fd);
		mct_status rc = mct_fail(err, MCT_ERR_BUSY,
		                         "%s: another mcthermo run is using this database%s%s%s; "
		                         "try again when it has finished",
		                         st->path, *pid ? " (pid " : "", pid, *pid ? ")" : "");
		free(lp);
		return rc;
	}
	free(lp);
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* The pid is only for the message; the lock itself holds. */
	}
	st->lock_fd = fd;
	return MCT_OK;
}

mct_status mct_store_begin(mct_store *st, mct_err *err)
{
	return mct_store_exec(st, "BEGIN IMMEDIATE", err);
}

mct_status mct_store_commit(mct_store *st, mct_err *err)
{
	return mct_store_exec(st, "COMMIT", err);
}

void mct_store_rollback(mct_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- runs ------------------------------------------------------------------ */

const char *mct_run_status_name(mct_run_status s)
{
	static const char *n[] = {"running", "ok", "partial", "interrupted", "failed"};
	return (unsigned)s < 5 ? n[s] : "failed";
}

static mct_status step_done(mct_store *st, sqlite3_stmt *s, mct_err *err, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return mct_store_fail(st, err, what);
	return MCT_OK;
}

mct_status mct_store_run_start(mct_store *st, const char *command, int64_t *run_id, mct_err *err)
{
	char now[21];
	mct_now_utc(now);
	/* Only a lock holder starts runs, so any run still "running" belongs to
	 * a process that was killed. */
	sqlite3_stmt *s = mct_store_stmt(
	    st,
	    "UPDATE runs SET status = 'interrupted', finished_at = COALESCE(finished_at, ?1), "
	    "summary = COALESCE(summary, 'the process ended before the run finished') "
	    "WHERE status = 'running'",
	    err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_text(s, 1, now, -1, SQLITE_TRANSIENT);
	mct_status rc = step_done(st, s, err, "marking killed runs");
	if (rc)
		return rc;
	s = mct_store_stmt(st,
	                   "INSERT INTO runs (command, started_at, status, pid) VALUES (?1, ?2, "
	                   "'running', ?3)",
	                   err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_text(s, 1, command, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, getpid());
	if ((rc = step_done(st, s, err, "recording the run")))
		return rc;
	*run_id = sqlite3_last_insert_rowid(st->db);
	return MCT_OK;
}

mct_status mct_store_run_finish(mct_store *st, int64_t run_id, mct_run_status status,
                                const char *summary, mct_err *err)
{
	char now[21];
	mct_now_utc(now);
	sqlite3_stmt *s = mct_store_stmt(
	    st, "UPDATE runs SET status = ?1, finished_at = ?2, summary = ?3 WHERE id = ?4", err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_text(s, 1, mct_run_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
	mct_bind_text(s, 3, summary);
	sqlite3_bind_int64(s, 4, run_id);
	return step_done(st, s, err, "finishing the run");
}

/* ---- sources ------------------------------------------------------------------ */

mct_status mct_store_source_put(mct_store *st, const mct_store_source *src, mct_err *err)
{
	sqlite3_stmt *s = mct_store_stmt(
	    st,
	    "INSERT INTO sources (id, country, kind, url, lang, enabled) VALUES "
	    "(?1,?2,?3,?4,?5,?6) "
	    "ON CONFLICT(id) DO UPDATE SET country = excluded.country, kind = excluded.kind, "
	    "url = excluded.url, lang = excluded.lang, enabled = excluded.enabled",
	    err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, src->id);
	mct_bind_text(s, 2, src->country);
	mct_bind_text(s, 3, src->kind);
	mct_bind_text(s, 4, src->url);
	mct_bind_text(s, 5, src->lang && *src->lang ? src->lang : NULL);
	sqlite3_bind_int(s, 6, src->enabled);
	return step_done(st, s, err, "saving a source");
}

mct_status mct_store_source_status(mct_store *st, const char *source_id, int64_t run_id,
                                   const char *fetched_at, const char *status, const char *error,
                                   mct_err *err)
{
	sqlite3_stmt *s = mct_store_stmt(st,
	                                 "UPDATE sources SET last_run = ?2, last_fetch = ?3, "
	                                 "last_status = ?4, last_error = ?5 WHERE id = ?1",
	                                 err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, source_id);
	sqlite3_bind_int64(s, 2, run_id);
	mct_bind_text(s, 3, fetched_at);
	mct_bind_text(s, 4, status);
	mct_bind_text(s, 5, error);
	return step_done(st, s, err, "saving a source's status");
}
