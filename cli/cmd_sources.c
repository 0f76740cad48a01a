/*
 * cli/cmd_sources.c - `mcthermo sources [--json] [--country CC]`: the
 * configured sources with the status of their last fetch.
 *
 * Options:
 *   --country CC   only the sources of this country (ISO code or EU)
 *   --json         one JSON array of objects with the keys id, country,
 *                  kind, url, last_fetch, last_status, last_error (null when
 *                  unknown); keys are only ever added, never renamed
 * The default output is a table: id, country, kind, last status, last fetch
 * and error.
 *
 * The list comes from the configuration (the sources that matter now); the
 * status from the store, opened read-only so it works while a run writes.
 * Before the first run there is no database yet: every source is then
 * "never fetched" rather than an error.  Errors came from the network and
 * are printed through mct_print_safe.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct {
	const mct_source *src;
	char *last_fetch, *last_status, *last_error;
} row;

static char *column(sqlite3_stmt *q, int i)
{
	const unsigned char *v = sqlite3_column_text(q, i);
	return v ? mct_xstrdup((const char *)v) : NULL;
}

static int load_status(mct_store *st, row *rows, size_t n)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(
	        mct_store_db(st),
	        "SELECT last_fetch, last_status, last_error FROM sources WHERE id = ?1", -1, &q,
	        NULL) != SQLITE_OK) {
		mct_err err;
		mct_store_fail(st, &err, "reading the sources");
		return mct_cli_error(&err);
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, rows[i].src->id, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW) {
			rows[i].last_fetch = column(q, 0);
			rows[i].last_status = column(q, 1);
			rows[i].last_error = column(q, 2);
		}
	}
	sqlite3_finalize(q);
	return 0;
}

static void print_json(const row *rows, size_t n)
{
	printf("[");
	for (size_t i = 0; i < n; i++) {
		const mct_source *s = rows[i].src;
		printf("%s\n  {\"id\": ", i ? "," : "");
		mct_json_str(stdout, s->id);
		printf(", \"country\": ");
		mct_json_str(stdout, s->country);
		printf(", \"kind\": ");
		mct_json_str(stdout, mct_kind_name(s->kind));
		printf(", \"url\": ");
		mct_json_str(stdout, s->url);
		printf(", \"last_fetch\": ");
		mct_json_str(stdout, rows[i].last_fetch);
		printf(", \"last_status\": ");
		mct_json_str(stdout, rows[i].last_status);
		printf(", \"last_error\": ");
		mct_json_str(stdout, rows[i].last_error);
		printf("}");
	}
	printf("%s]\n", n ? "\n" : "");
}

/* "ok", "never fetched", "disabled", "failed (disabled)" ... */
static void status_words(const row *r, char *out, size_t outsz)
{
	if (!r->last_status)
		snprintf(out, outsz, "%s", r->src->enabled ? "never fetched" : "disabled");
	else
		snprintf(out, outsz, "%s%s", r->last_status, r->src->enabled ? "" : " (disabled)");
}

static void print_table(const row *rows, size_t n)
{
	int wid = 2, wstatus = 6;
	char status[64];
	for (size_t i = 0; i < n; i++) {
		int l = (int)strlen(rows[i].src->id);
		if (l > wid)
			wid = l;
		status_words(&rows[i], status, sizeof status);
		if ((int)strlen(status) > wstatus)
			wstatus = (int)strlen(status);
	}
	printf("%-*s  %-2s  %-8s  %-*s  %-20s  %s\n", wid, "ID", "CC", "KIND", wstatus, "STATUS",
	       "LAST FETCH", "ERROR");
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		status_words(r, status, sizeof status);
		printf("%-*s  %-2s  %-8s  %-*s  %-20s  ", wid, r->src->id, r->src->country,
		       mct_kind_name(r->src->kind), wstatus, status,
		       r->last_fetch ? r->last_fetch : "-");
		if (r->last_error)
			mct_print_safe(stdout, r->last_error);
		printf("\n");
	}
}

static int list(mct_cli *cli, const char *country, int json)
{
	const mct_config *cfg = cli->cfg;
	row *rows = mct_xcalloc(cfg->nsources ? cfg->nsources : 1, sizeof *rows);
	size_t n = 0;
	for (size_t i = 0; i < cfg->nsources; i++)
		if (!country || !strcmp(cfg->sources[i].country, country))
			rows[n++].src = &cfg->sources[i];
	int code = 0;
	struct stat sb;
	/* Before the first run there is no database: list from the config. */
	if (stat(mct_cli_db_path(cli), &sb) == 0) {
		mct_store *st;
		if (!(code = mct_cli_store(cli, MCT_STORE_READONLY, &st))) {
			code = load_status(st, rows, n);
			mct_store_close(st);
		}
	}
	if (!code) {
		if (json)
			print_json(rows, n);
		else
			print_table(rows, n);
	}
	for (size_t i = 0; i < n; i++) {
		free(rows[i].last_fetch);
		free(rows[i].last_status);
		free(rows[i].last_error);
	}
	free(rows);
	return code;
}

int cmd_sources(mct_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
	                                     {"country", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	int json = 0, c;
	char country[3] = "";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j') {
			json = 1;
		} else if (c == 'c') {
			if (strlen(optarg) != 2)
				return mct_cli_usage("sources",
				                     "--country '%s': expected a two-letter code",
				                     optarg);
			country[0] = (char)toupper((unsigned char)optarg[0]);
			country[1] = (char)toupper((unsigned char)optarg[1]);
			country[2] = 0;
			if (!mct_country_valid(country))
				return mct_cli_usage(
				    "sources", "--country '%s': unknown country code", optarg);
		} else {
			return mct_cli_usage("sources", "unknown or incomplete option '%s'",
			                     argv[optind - 1]);
		}
	}
	if (optind < argc)
		return mct_cli_usage("sources", "unexpected argument '%s'", argv[optind]);
	int code = mct_cli_config(cli);
	if (code)
		return code;
	return list(cli, country[0] ? country : NULL, json);
}
