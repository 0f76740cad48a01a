/*
 * tests/unit/test_reliability.h - helpers shared by the test_reliability_*
 * suites: start the built mcthermo as a child process (to kill it, signal
 * it, run it as another user, or run two at once), wait for it with a time
 * limit, and ask a database questions with SQLite directly, as an
 * independent witness of what the program wrote.
 *
 * Header-only on purpose: each test file is its own binary and the
 * Makefile links only tests/support/ besides, so these are static inline
 * functions that a suite may or may not use.
 */
#ifndef MCT_TEST_RELIABILITY_H
#define MCT_TEST_RELIABILITY_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../common/mct.h"
#include "../support/testutil.h"

/* Milliseconds on the monotonic clock. */
static inline double rl_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline void rl_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

/* How a child is started: its arguments after the binary (NULL-terminated),
 * where its stdout and stderr go (a path, or NULL for /dev/null; err_fd >= 0
 * wins over err_path), and the user to run as (0 = stay). */
typedef struct {
	const char *const *argv;
	const char *out_path;
	const char *err_path;
	int err_fd;
	uid_t uid;
} rl_spawn_opts;

/* Start mcthermo (tu_mcthermo()) with o->argv; returns the pid. */
static inline pid_t rl_spawn(const rl_spawn_opts *o)
{
	size_t n = 0;
	while (o->argv[n])
		n++;
	const char **args = mct_xcalloc(n + 2, sizeof *args);
	args[0] = tu_mcthermo();
	memcpy(args + 1, o->argv, n * sizeof *args);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int in = open("/dev/null", O_RDONLY);
		int out = o->out_path ? open(o->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666)
		                      : open("/dev/null", O_WRONLY);
		int err = o->err_fd >= 0 ? o->err_fd
		          : o->err_path  ? open(o->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0666)
		                         : open("/dev/null", O_WRONLY);
		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		if (o->uid && (setgid(o->uid) != 0 || setuid(o->uid) != 0))
			_exit(126);
		execv(args[0], (char *const *)args);
		_exit(127);
	}
	free(args);
	return pid;
}

/* Wait for pid at most max_ms; its exit code, 128 + signal when killed, or
 * -1 when it had to be killed because it ran over.  *rss_kb (may be NULL)
 * gets its peak resident memory. */
static inline int rl_wait_rss(pid_t pid, int max_ms, long *rss_kb)
{
	int st;
	double end = rl_now_ms() + max_ms;
	for (;;) {
		struct rusage ru;
		pid_t r = wait4(pid, &st, WNOHANG, &ru);
		if (r == pid && rss_kb)
			*rss_kb = ru.ru_maxrss;
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0)
			return -1;
		if (rl_now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		rl_sleep_ms(5);
	}
}

static inline int rl_wait(pid_t pid, int max_ms)
{
	return rl_wait_rss(pid, max_ms, NULL);
}

/* The output of one command run to the end. */
typedef struct {
	int code; /* exit code, -1 when it ran over max_ms */
	char *out, *err;
	double ms;   /* how long it took */
	long rss_kb; /* its peak resident memory */
} rl_result;

static inline char *rl_slurp(const char *path)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_err e;
	if (mct_read_file(path, 0, &b, &e) != MCT_OK)
		mct_buf_puts(&b, "");
	return mct_buf_steal(&b);
}

/* Run mcthermo with argv (NULL-terminated) as user uid (0 = stay), outputs
 * kept in dir/out.txt and dir/err.txt while it runs. */
static inline rl_result rl_run_as(const char *dir, uid_t uid, int max_ms, const char *const *argv)
{
	char *o = mct_xasprintf("%s/out.txt", dir), *e = mct_xasprintf("%s/err.txt", dir);
	rl_spawn_opts so = {argv, o, e, -1, uid};
	rl_result r;
	double t0 = rl_now_ms();
	r.rss_kb = 0;
	r.code = rl_wait_rss(rl_spawn(&so), max_ms, &r.rss_kb);
	r.ms = rl_now_ms() - t0;
	r.out = rl_slurp(o);
	r.err = rl_slurp(e);
	free(o);
	free(e);
	return r;
}

/* rl_run_as with the arguments given inline: rl_run(dir, "--config", c, "run"). */
#define rl_run(dir, ...) rl_run_as(dir, 0, 120000, (const char *const[]){__VA_ARGS__, NULL})

static inline void rl_result_free(rl_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* ---- servers ------------------------------------------------------------------ */

/* A helper program of tests/tools: $MCT_TOOLS/name, else build/tools/name
 * below the top (new string). */
static inline char *rl_tool_path(const char *name)
{
	const char *tools = getenv("MCT_TOOLS");
	if (tools && *tools)
		return mct_xasprintf("%s/%s", tools, name);
	char *rel = mct_xasprintf("build/tools/%s", name);
	char *p = tu_top_path(rel);
	free(rel);
	return p;
}

/* Start tests/tools/rawhttpd serving the files of www as whole responses;
 * returns its base URL "http://127.0.0.1:PORT" (new), or NULL when it did
 * not start (the reason on stderr).  Stop it with kill(*pid, SIGKILL). */
static inline char *rl_rawhttpd_start(const char *www, pid_t *pid)
{
	char *bin = rl_tool_path("rawhttpd");
	int fds[2];
	if (access(bin, X_OK) != 0 || pipe(fds) != 0) {
		fprintf(stderr, "%s is missing: build it with `make build/tools/rawhttpd`\n", bin);
		free(bin);
		return NULL;
	}
	*pid = fork();
	if (*pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], 1);
		close(fds[0]);
		execl(bin, "rawhttpd", "-d", www, (char *)NULL);
		_exit(127);
	}
	free(bin);
	close(fds[1]);
	char line[32] = "";
	ssize_t n = *pid > 0 ? read(fds[0], line, sizeof line - 1) : -1;
	close(fds[0]);
	line[n > 0 ? n : 0] = 0;
	if (atoi(line) <= 0) {
		fprintf(stderr, "rawhttpd did not start\n");
		return NULL;
	}
	return mct_xasprintf("http://127.0.0.1:%d", atoi(line));
}

/* ---- the database, read directly ------------------------------------------ */

/* Every row of a query, columns separated by '|' and rows by '\n' (NULL
 * shown as "NULL"); fmt is sqlite3_mprintf's.  NULL when the query fails
 * (its message goes to stderr). */
static inline char *rl_query(const char *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	char *res = NULL;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(h, 10000) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s: %s\n", db, sql, h ? sqlite3_errmsg(h) : "no memory");
		goto out;
	}
	mct_buf b;
	mct_buf_init(&b);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const char *v = (const char *)sqlite3_column_text(s, i);
			mct_buf_printf(&b, "%s%s", i ? "|" : "", v ? v : "NULL");
		}
		mct_buf_putc(&b, '\n');
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s: %s\n", db, sql, sqlite3_errmsg(h));
		mct_buf_free(&b);
		goto out;
	}
	res = mct_buf_steal(&b);
out:
	sqlite3_finalize(s);
	sqlite3_close(h);
	sqlite3_free(sql);
	return res;
}

/* The first column of the first row as a number; -1 when none or failed. */
static inline long long rl_count(const char *db, const char *sql)
{
	char *v = rl_query(db, "%s", sql);
	long long n = v && *v ? atoll(v) : -1;
	free(v);
	return n;
}

/* "ok" when PRAGMA integrity_check and foreign_key_check find nothing
 * wrong, else what they said (a new string). */
static inline char *rl_db_check(const char *db)
{
	char *ic = rl_query(db, "PRAGMA integrity_check");
	char *fk = rl_query(db, "PRAGMA foreign_key_check");
	char *res;
	if (ic && !strcmp(ic, "ok\n") && fk && !*fk)
		res = mct_xstrdup("ok");
	else
		res = mct_xasprintf("integrity_check: %s; foreign_key_check: %s",
		                    ic ? ic : "(failed)", fk ? fk : "(failed)");
	free(ic);
	free(fk);
	return res;
}

/* Write dir/name from printf-style content; returns the path (new). */
static inline char *rl_writef(const char *dir, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline char *rl_writef(const char *dir, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	char *p = tu_write(dir, name, s);
	free(s);
	return p;
}

#endif
