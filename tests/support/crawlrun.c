/*
 * tests/support/crawlrun.c - run mct_crawl from a test (see crawlrun.h).
 */
#include "crawlrun.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const struct {
	const char *key, *line;
} defaults[] = {
    {"user_agent", "user_agent = mcthermo/0.1.0 (+https://example.invalid/mcthermo)"},
    {"timeout_s", "timeout_s = 2"},
    {"retries", "retries = 0"},
    {"per_host_delay_ms", "per_host_delay_ms = 0"},
    {"concurrency", "concurrency = 4"},
};

static int has_key(const char *text, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, key, k) && (p[k] == ' ' || p[k] == '='))
			return 1;
	}
	return 0;
}

int tc_setup(tc_run *r, const char *dir, const char *crawler, const char *sources)
{
	memset(r, 0, sizeof *r);
	r->dir = mct_xstrdup(dir);
	char *ini = mct_xasprintf("%s/mcthermo.ini", dir);
	FILE *f = fopen(ini, "w");
	if (!f) {
		perror(ini);
		free(ini);
		return -1;
	}
	fprintf(f, "[store]\npath = crawl.db\n\n[crawler]\n");
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (!crawler || !has_key(crawler, defaults[i].key))
			fprintf(f, "%s\n", defaults[i].line);
	fprintf(f, "%s\n\n%s\n", crawler ? crawler : "", sources);
	fclose(f);
	mct_err err = {0};
	if (mct_config_load(ini, &r->cfg, &err) ||
	    mct_store_open(r->cfg->store_path, MCT_STORE_READWRITE, &r->st, &err)) {
		fprintf(stderr, "test setup: %s\n", err.msg);
		free(ini);
		return -1;
	}
	free(ini);
	return 0;
}

int tc_crawl(tc_run *r, const char *dir, const char *crawler, const char *sources)
{
	if (tc_setup(r, dir, crawler, sources) != 0)
		return -1;
	tc_crawl_again(r, NULL, 0, NULL);
	return 0;
}

void tc_crawl_again(tc_run *r, const char *const *only, size_t nonly, volatile sig_atomic_t *stop)
{
	memset(&r->err, 0, sizeof r->err);
	free(r->progress);
	r->progress = NULL;
	size_t plen = 0;
	FILE *progress = open_memstream(&r->progress, &plen);
	mct_err err = {0};
	if (mct_store_run_start(r->st, "crawl", &r->run_id, &err)) {
		fprintf(stderr, "test setup: %s\n", err.msg);
		abort();
	}
	double t0 = mono();
	r->rc =
	    mct_crawl(r->cfg, r->st, r->run_id, only, nonly, stop, progress, &r->stats, &r->err);
	r->seconds = mono() - t0;
	fclose(progress);
	mct_store_run_finish(r->st, r->run_id, r->rc ? MCT_RUN_FAILED : MCT_RUN_OK, NULL, &err);
}

void tc_close(tc_run *r)
{
	mct_store_close(r->st);
	mct_config_free(r->cfg);
	free(r->progress);
	free(r->dir);
	memset(r, 0, sizeof *r);
}

static sqlite3_stmt *query(tc_run *r, const char *fmt, va_list ap)
{
	char *sql = sqlite3_vmprintf(fmt, ap);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(mct_store_db(r->st), sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "bad test query %s: %s\n", sql,
		        sqlite3_errmsg(mct_store_db(r->st)));
		abort();
	}
	sqlite3_free(sql);
	return s;
}

char *tc_str(tc_run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *s = query(r, fmt, ap);
	va_end(ap);
	char *out = NULL;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		out = mct_xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

long long tc_int(tc_run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *s = query(r, fmt, ap);
	va_end(ap);
	long long out = -1;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return out;
}
