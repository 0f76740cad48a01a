/*
 * cli/cmd_evidence.c - `mcthermo evidence`: list evidence with its
 * provenance, `evidence show ID` for everything about one item, and
 * `evidence export --csv` for reviewing in a spreadsheet.
 *
 * Listing is a read-only query on the store's handle; the JSON keys are a
 * contract other tools read (extend, never rename).  Snippets come from
 * strangers' pages: on a terminal they are stripped of control characters
 * before the match is highlighted.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../rules/rules.h"
#include "cli.h"

typedef struct {
	const char *country, *dimension, *indicator, *polarity, *status, *since;
	int all;
} filters;

enum { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_EXPORT };

static const char select_sql[] =
    "SELECT evidence.id, evidence.country, evidence.dimension, evidence.indicator, "
    "evidence.polarity, evidence.rule_id, evidence.rule_version, "
    "  " MCT_EVIDENCE_STATUS_SQL
    " AS status, evidence.match, evidence.snippet, evidence.url, c.fetched_at, c.sha256, "
    "  evidence.offset_start, evidence.offset_end, evidence.page, evidence.first_seen, "
    "evidence.last_seen, evidence.state, evidence.weight "
    "FROM evidence JOIN captures c ON c.id = evidence.capture_id ";

/* Column order of select_sql. */
enum {
	C_ID,
	C_COUNTRY,
	C_DIM,
	C_IND,
	C_POL,
	C_RULE,
	C_RVER,
	C_STATUS,
	C_MATCH,
	C_SNIPPET,
	C_URL,
	C_FETCHED,
	C_SHA,
	C_START,
	C_END,
	C_PAGE,
	C_FIRST,
	C_LAST,
	C_STATE,
	C_WEIGHT
};

static const char *col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static void print_json(sqlite3_stmt *s, int first)
{
	static const char *keys[] = {"id",         "country",      "dimension",    "indicator",
	                             "polarity",   "rule",         "rule_version", "status",
	                             "match",      "snippet",      "url",          "fetched_at",
	                             "sha256",     "offset_start", "offset_end",   "page",
	                             "first_seen", "last_seen",    "state"};
	printf("%s\n  {", first ? "" : ",");
	for (int i = 0; i <= C_STATE; i++) {
		printf("%s\"%s\": ", i ? ", " : "", keys[i]);
		if (i == C_ID || i == C_START || i == C_END || i == C_PAGE) {
			if (sqlite3_column_type(s, i) == SQLITE_NULL)
				printf("null");
			else
				printf("%lld", (long long)sqlite3_column_int64(s, i));
		} else {
			mct_json_str(stdout, col(s, i));
		}
	}
	printf("}");
}

static const char csv_header[] = "id,country,dimension,indicator,polarity,rule,rule_version,status,"
                                 "match,snippet,url,fetched_at,sha256,offset_start,offset_end,page,"
                                 "first_seen,last_seen,state";

static void print_csv(sqlite3_stmt *s, int export)
{
	for (int i = 0; i <= C_STATE; i++) {
		if (i)
			putchar(',');
		mct_csv_field(stdout, col(s, i));
	}
	/* Columns a reviewer fills in; `mcthermo review import` reads them. */
	if (export)
		printf(",,,");
	printf("\r\n");
}

/* The snippet with the match highlighted (bold on a terminal, «» otherwise). */
static void print_snippet(const char *snippet, const char *match, int tty)
{
	char *clean = mct_sanitize_for_terminal(snippet, strlen(snippet));
	const char *hit = match && *match ? strstr(clean, match) : NULL;
	if (!hit) {
		fputs(clean, stdout);
	} else {
		fwrite(clean, 1, (size_t)(hit - clean), stdout);
		char *m = mct_sanitize_for_terminal(match, strlen(match));
		printf(tty ? "\033[1;33m%s\033[0m" : "«%s»", m);
		free(m);
		fputs(hit + strlen(match), stdout);
	}
	free(clean);
}

static void print_row(sqlite3_stmt *s, int tty)
{
	printf("#%lld  %s  %-30s %s  %-9s w=%g  %s\n    ", (long long)sqlite3_column_int64(s, C_ID),
	       col(s, C_COUNTRY), col(s, C_IND), strcmp(col(s, C_POL), "negative") ? "+" : "-",
	       col(s, C_STATUS), sqlite3_column_double(s, C_WEIGHT), col(s, C_RULE));
	print_snippet(col(s, C_SNIPPET), col(s, C_MATCH), tty);
	printf("\n    ");
	mct_print_safe(stdout, col(s, C_URL));
	if (sqlite3_column_type(s, C_PAGE) != SQLITE_NULL && sqlite3_column_int(s, C_PAGE) > 1)
		printf(" (page %d)", sqlite3_column_int(s, C_PAGE));
	printf("  seen %s", col(s, C_LAST));
	if (strcmp(col(s, C_STATE), "active"))
		printf("  [%s]", col(s, C_STATE));
	printf("\n\n");
}

static int list(mct_cli *cli, const filters *f, int fmt)
{
	mct_store *st;
	int rc = mct_cli_store(cli, MCT_STORE_READONLY, &st);
	if (rc)
		return rc;
	mct_buf sql;
	mct_buf_init(&sql);
	mct_buf_puts(&sql, "SELECT * FROM (");
	mct_buf_puts(&sql, select_sql);
	mct_buf_puts(&sql, ") WHERE 1");
	if (!f->all)
		mct_buf_puts(&sql, " AND state = 'active'");
	if (f->country)
		mct_buf_puts(&sql, " AND country = ?1");
	if (f->dimension)
		mct_buf_puts(&sql, " AND dimension = ?2");
	if (f->indicator)
		mct_buf_puts(&sql, " AND indicator = ?3");
	if (f->polarity)
		mct_buf_puts(&sql, " AND polarity = ?4");
	if (f->status)
		mct_buf_puts(&sql, " AND status = ?5");
	if (f->since)
		mct_buf_puts(&sql, " AND first_seen >= ?6");
	mct_buf_puts(&sql, " ORDER BY country, dimension, indicator, polarity, id");
	sqlite3_stmt *s;
	mct_err err = {0};
	if (sqlite3_prepare_v2(mct_store_db(st), sql.data, -1, &s, NULL) != SQLITE_OK) {
		mct_store_fail(st, &err, "listing evidence");
		mct_buf_free(&sql);
		mct_store_close(st);
		return mct_cli_error(&err);
	}
	mct_buf_free(&sql);
	const char *binds[6] = {f->country,  f->dimension, f->indicator,
	                        f->polarity, f->status,    f->since};
	for (int i = 0; i < 6; i++)
		if (binds[i])
			sqlite3_bind_text(s, i + 1, binds[i], -1, SQLITE_STATIC);
	int tty = isatty(STDOUT_FILENO);
	if (fmt == FMT_JSON)
		printf("[");
	else if (fmt == FMT_CSV)
		printf("%s\r\n", csv_header);
	else if (fmt == FMT_EXPORT)
		printf("%s,verdict,note,by\r\n", csv_header);
	size_t n = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (fmt == FMT_JSON)
			print_json(s, n == 0);
		else if (fmt == FMT_CSV || fmt == FMT_EXPORT)
			print_csv(s, fmt == FMT_EXPORT);
		else
			print_row(s, tty);
		n++;
	}
	if (r != SQLITE_DONE)
		rc = mct_cli_error((mct_store_fail(st, &err, "listing evidence"), &err));
	if (fmt == FMT_JSON)
		printf("%s]\n", n ? "\n" : "");
	else if (fmt == FMT_TABLE && !cli->quiet)
		printf("%zu evidence item%s\n", n, n == 1 ? "" : "s");
	sqlite3_finalize(s);
	mct_store_close(st);
	return rc;
}

/* The block (line) of text around [start, end). */
static char *paragraph(mct_store *st, const char *sha, size_t start)
{
	mct_buf text;
	mct_buf_init(&text);
	mct_err err = {0};
	char *out = NULL;
	if (sha && mct_store_text(st, sha, &text, &err) == MCT_OK && start <= text.len) {
		size_t a = start, b = start;
		while (a > 0 && text.data[a - 1] != '\n' && text.data[a - 1] != '\f')
			a--;
		while (b < text.len && text.data[b] != '\n' && text.data[b] != '\f')
			b++;
		out = mct_xstrndup(text.data + a, b - a);
	}
	mct_buf_free(&text);
	return out;
}

static int show(mct_cli *cli, const char *id_text)
{
	char *end;
	long long id = strtoll(id_text, &end, 10);
	if (*end || id <= 0)
		return mct_cli_usage("evidence", "show: '%s' is not an evidence id", id_text);
	mct_store *st;
	int rc = mct_cli_store(cli, MCT_STORE_READONLY, &st);
	if (rc)
		return rc;
	rc = mct_cli_evidence_show(cli, st, id);
	mct_store_close(st);
	return rc;
}

int mct_cli_evidence_show(mct_cli *cli, mct_store *st, int64_t id)
{
	(void)cli;
	sqlite3 *db = mct_store_db(st);
	sqlite3_stmt *s;
	char *sql = mct_xasprintf(
	    "SELECT evidence.id, evidence.country, evidence.dimension, evidence.indicator, "
	    "evidence.polarity, evidence.rule_id, "
	    "evidence.rule_version, " MCT_EVIDENCE_STATUS_SQL
	    ", evidence.match, evidence.snippet, evidence.url, c.fetched_at, "
	    "c.sha256, evidence.offset_start, evidence.offset_end, evidence.page, "
	    "evidence.first_seen, evidence.last_seen, evidence.state, "
	    "evidence.weight, c.final_url, c.http_status, c.content_type, evidence.source_id, "
	    "r.file, r.line, "
	    "c.id FROM evidence JOIN captures c ON c.id = evidence.capture_id LEFT JOIN rules r ON "
	    "r.id = evidence.rule_id AND r.version = evidence.rule_version WHERE evidence.id = ?1");
	mct_err err = {0};
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		free(sql);
		mct_store_fail(st, &err, "reading evidence");
		return mct_cli_error(&err);
	}
	free(sql);
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		fprintf(stderr, "mcthermo evidence: no evidence with id %lld\n", (long long)id);
		return MCT_EXIT_USAGE;
	}
	int tty = isatty(STDOUT_FILENO);
	printf("evidence #%lld  (%s)\n", (long long)id, col(s, C_STATE));
	printf("  country     %s (%s)\n", col(s, C_COUNTRY), mct_country_name(col(s, C_COUNTRY)));
	printf("  indicator   %s  [%s]\n", col(s, C_IND), col(s, C_DIM));
	printf("  polarity    %s\n", col(s, C_POL));
	printf("  status      %s\n", col(s, C_STATUS));
	printf("  rule        %s  version %s  weight %g", col(s, C_RULE), col(s, C_RVER),
	       sqlite3_column_double(s, C_WEIGHT));
	if (col(s, 24))
		printf("  (%s:%d)", col(s, 24), sqlite3_column_int(s, 25));
	printf("\n  match       ");
	mct_print_safe(stdout, col(s, C_MATCH));
	printf("\n  snippet     ");
	print_snippet(col(s, C_SNIPPET), col(s, C_MATCH), tty);
	char *para = paragraph(st, col(s, C_SHA), (size_t)sqlite3_column_int64(s, C_START));
	if (para) {
		printf("\n  paragraph   ");
		mct_print_safe(stdout, para);
		free(para);
	}
	printf("\n  source      %s\n  url         ", col(s, 23));
	mct_print_safe(stdout, col(s, C_URL));
	if (col(s, 20)) {
		printf("\n  final url   ");
		mct_print_safe(stdout, col(s, 20));
	}
	printf("\n  capture     #%lld fetched %s, HTTP %d, ",
	       (long long)sqlite3_column_int64(s, 26), col(s, C_FETCHED),
	       sqlite3_column_int(s, 21));
	mct_print_safe(stdout, col(s, 22) ? col(s, 22) : "no content type");
	printf("\n  sha256      %s\n", col(s, C_SHA) ? col(s, C_SHA) : "-");
	printf("  offsets     %lld-%lld", (long long)sqlite3_column_int64(s, C_START),
	       (long long)sqlite3_column_int64(s, C_END));
	if (sqlite3_column_type(s, C_PAGE) != SQLITE_NULL)
		printf(", PDF page %d", sqlite3_column_int(s, C_PAGE));
	printf("\n  seen        first %s, last %s\n", col(s, C_FIRST), col(s, C_LAST));
	sqlite3_finalize(s);
	/* the review history */
	if (sqlite3_prepare_v2(db,
	                       "SELECT verdict, by, at, note FROM reviews WHERE evidence_id = ?1 "
	                       "ORDER BY id",
	                       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, id);
		int any = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			printf("%s %s by ", any++ ? "             " : "  reviews    ", col(s, 0));
			mct_print_safe(stdout, col(s, 1));
			printf(" at %s", col(s, 2));
			if (col(s, 3)) {
				printf(": ");
				mct_print_safe(stdout, col(s, 3));
			}
			printf("\n");
		}
		if (!any)
			printf("  reviews     none\n");
		sqlite3_finalize(s);
	}
	return MCT_EXIT_OK;
}

int cmd_evidence(mct_cli *cli, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "show")) {
		if (argc != 3)
			return mct_cli_usage("evidence", "show takes one evidence id");
		return show(cli, argv[2]);
	}
	int export = argc >= 2 && !strcmp(argv[1], "export");
	filters f = {0};
	int fmt = FMT_TABLE;
	static const struct option opts[] = {{"country", required_argument, NULL, 'c'},
	                                     {"dimension", required_argument, NULL, 'd'},
	                                     {"indicator", required_argument, NULL, 'i'},
	                                     {"polarity", required_argument, NULL, 'p'},
	                                     {"status", required_argument, NULL, 's'},
	                                     {"since", required_argument, NULL, 'S'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"csv", no_argument, NULL, 'v'},
	                                     {"all", no_argument, NULL, 'a'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	if (export) {
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			f.country = optarg;
			break;
		case 'd':
			f.dimension = optarg;
			break;
		case 'i':
			f.indicator = optarg;
			break;
		case 'p':
			f.polarity = optarg;
			break;
		case 's':
			f.status = optarg;
			break;
		case 'S':
			f.since = optarg;
			break;
		case 'j':
			fmt = FMT_JSON;
			break;
		case 'v':
			fmt = FMT_CSV;
			break;
		case 'a':
			f.all = 1;
			break;
		default:
			return mct_cli_usage("evidence", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return mct_cli_usage("evidence", "unexpected argument '%s'", argv[optind]);
	if (f.country && !mct_country_valid(f.country))
		return mct_cli_usage("evidence", "--country '%s': not a country code", f.country);
	if (f.dimension && mct_dimension_find(f.dimension) < 0)
		return mct_cli_usage("evidence",
		                     "--dimension '%s': expected policy, ecosystem, infra or usage",
		                     f.dimension);
	if (f.indicator && mct_indicator_find(f.indicator) < 0)
		return mct_cli_usage("evidence", "--indicator '%s': unknown indicator",
		                     f.indicator);
	if (f.polarity && strcmp(f.polarity, "positive") && strcmp(f.polarity, "negative"))
		return mct_cli_usage("evidence", "--polarity: expected positive or negative");
	if (f.status && strcmp(f.status, "pending") && strcmp(f.status, "confirmed") &&
	    strcmp(f.status, "rejected"))
		return mct_cli_usage("evidence",
		                     "--status: expected pending, confirmed or rejected");
	if (f.since && mct_parse_date(f.since, NULL))
		return mct_cli_usage("evidence", "--since '%s': expected YYYY-MM-DD", f.since);
	if (export) {
		if (fmt != FMT_CSV)
			return mct_cli_usage("evidence", "export needs --csv");
		fmt = FMT_EXPORT;
	}
	return list(cli, &f, fmt);
}
