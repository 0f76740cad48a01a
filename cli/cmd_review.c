/*
 * cli/cmd_review.c - `mcthermo review`: confirm or reject evidence.
 *
 *   review ID... confirm|reject [--note TEXT] [--by NAME]
 *   review --next [--country CC] [--dimension D] [--by NAME]
 *   review import FILE.csv [--by NAME]
 *
 * Reviews are appended to a history; the score uses the latest verdict.
 * `--next` is for a person working through a queue at a terminal and refuses
 * to run without one.  `import` reads the sheet `evidence export --csv`
 * wrote, with the verdict/note/by columns filled in: every row is checked
 * first, and a single bad row (reported as FILE:LINE) applies nothing.
 *
 * Reviews do not take the run lock: a reviewer may work while the nightly
 * run writes (SQLite's busy timeout orders the two).
 */
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../rules/rules.h"
#include "cli.h"

static const char *default_reviewer(void)
{
	const char *u = getenv("USER");
	if (u && *u)
		return u;
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* review ID... confirm|reject */
static int review_ids(mct_cli *cli, int n, char **args, const char *note, const char *by)
{
	int verdict = mct_verdict_parse(args[n - 1]);
	if (verdict < 0)
		return mct_cli_usage(
		    "review", "the last argument must be confirm or reject, not '%s'", args[n - 1]);
	if (n < 2)
		return mct_cli_usage("review", "give at least one evidence id before '%s'",
		                     args[n - 1]);
	int64_t *ids = mct_xcalloc((size_t)n, sizeof *ids);
	for (int i = 0; i < n - 1; i++)
		if (parse_id(args[i], &ids[i])) {
			free(ids);
			return mct_cli_usage("review", "'%s' is not an evidence id", args[i]);
		}
	mct_store *st;
	int rc = mct_cli_store_open(cli, MCT_STORE_READWRITE, 0, &st);
	if (rc) {
		free(ids);
		return rc;
	}
	mct_err err = {0};
	mct_status s = mct_store_begin(st, &err);
	for (int i = 0; !s && i < n - 1; i++)
		s = mct_store_review_add(st, ids[i], (mct_verdict)verdict, by, note, NULL, &err);
	if (!s)
		s = mct_store_commit(st, &err);
	if (s) {
		mct_store_rollback(st);
		rc = mct_cli_error(&err);
	} else if (!cli->quiet) {
		printf("%d evidence item%s %s by %s\n", n - 1, n == 2 ? "" : "s",
		       mct_verdict_name((mct_verdict)verdict), by);
	}
	mct_store_close(st);
	free(ids);
	return rc;
}

/* ---- import --------------------------------------------------------------- */

typedef struct {
	int64_t id;
	int verdict;
	char *note, *by;
} pending_review;

static int column(const mct_csv_record *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcasecmp(h->fields[i], name))
			return (int)i;
	return -1;
}

static int review_import(mct_cli *cli, const char *file, const char *by)
{
	FILE *in = fopen(file, "rb");
	if (!in) {
		fprintf(stderr, "mcthermo review: %s: cannot open\n", file);
		return MCT_EXIT_USAGE;
	}
	mct_store *st;
	int rc = mct_cli_store_open(cli, MCT_STORE_READWRITE, 0, &st);
	if (rc) {
		fclose(in);
		return rc;
	}
	mct_csv_record rec = {0}, header = {0};
	int line = 0, errors = 0;
	const char *why;
	pending_review *list = NULL;
	size_t n = 0;
	int col_id = -1, col_verdict = -1, col_note = -1, col_by = -1;
	if (mct_csv_read(in, &line, &header, &why) != 1) {
		fprintf(stderr, "mcthermo review: %s:%d: %s\n", file, line,
		        why ? why : "empty file; expected a header line with id and verdict");
		errors++;
	} else {
		col_id = column(&header, "id");
		col_verdict = column(&header, "verdict");
		col_note = column(&header, "note");
		col_by = column(&header, "by");
		if (col_id < 0 || col_verdict < 0) {
			fprintf(
			    stderr,
			    "mcthermo review: %s:1: the header needs 'id' and 'verdict' columns "
			    "(as written by `mcthermo evidence export --csv`)\n",
			    file);
			errors++;
		}
	}
	int r;
	while (!errors || errors < 50) {
		if (col_id < 0)
			break;
		r = mct_csv_read(in, &line, &rec, &why);
		if (r == 0)
			break;
		if (r < 0) {
			fprintf(stderr, "mcthermo review: %s:%d: %s\n", file, line, why);
			errors++;
			break;
		}
		if (rec.n == 1 && rec.fields[0][0] == 0)
			continue; /* blank line */
		if (rec.n != header.n) {
			fprintf(stderr, "mcthermo review: %s:%d: %zu fields, the header has %zu\n",
			        file, rec.line, rec.n, header.n);
			errors++;
			continue;
		}
		const char *v = rec.fields[col_verdict];
		if (!*v)
			continue; /* not reviewed in the sheet */
		pending_review p = {0};
		if (parse_id(rec.fields[col_id], &p.id)) {
			fprintf(stderr, "mcthermo review: %s:%d: id '%s' is not an evidence id\n",
			        file, rec.line, rec.fields[col_id]);
			errors++;
			continue;
		}
		p.verdict = mct_verdict_parse(v);
		if (p.verdict < 0) {
			fprintf(stderr,
			        "mcthermo review: %s:%d: verdict '%s': expected confirm or reject "
			        "(or leave it empty)\n",
			        file, rec.line, v);
			errors++;
			continue;
		}
		sqlite3_stmt *s;
		sqlite3_prepare_v2(mct_store_db(st), "SELECT 1 FROM evidence WHERE id = ?1", -1, &s,
		                   NULL);
		sqlite3_bind_int64(s, 1, p.id);
		int exists = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
		if (!exists) {
			fprintf(stderr, "mcthermo review: %s:%d: no evidence with id %lld\n", file,
			        rec.line, (long long)p.id);
			errors++;
			continue;
		}
		p.note = mct_xstrdup(col_note >= 0 ? rec.fields[col_note] : "");
		p.by = mct_xstrdup(col_by >= 0 && *rec.fields[col_by] ? rec.fields[col_by] : by);
		list = mct_xrealloc(list, (n + 1) * sizeof *list);
		list[n++] = p;
	}
	fclose(in);
	mct_csv_record_free(&rec);
	mct_csv_record_free(&header);
	mct_err err = {0};
	if (errors) {
		fprintf(stderr, "mcthermo review: %s: %d problem%s; nothing was applied\n", file,
		        errors, errors == 1 ? "" : "s");
		rc = MCT_EXIT_USAGE;
	} else {
		mct_status s = mct_store_begin(st, &err);
		for (size_t i = 0; !s && i < n; i++)
			s = mct_store_review_add(st, list[i].id, (mct_verdict)list[i].verdict,
			                         list[i].by, list[i].note, NULL, &err);
		if (!s)
			s = mct_store_commit(st, &err);
		if (s) {
			mct_store_rollback(st);
			rc = mct_cli_error(&err);
		} else if (!cli->quiet) {
			printf("%zu review%s imported from %s\n", n, n == 1 ? "" : "s", file);
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(list[i].note);
		free(list[i].by);
	}
	free(list);
	mct_store_close(st);
	return rc;
}

/* ---- the interactive queue ---------------------------------------------------- */

static int read_line(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = 0;
	return 0;
}

static int review_next(mct_cli *cli, const char *country, const char *dimension, const char *by)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr,
		        "mcthermo review: --next works at a terminal; to review in bulk use "
		        "`mcthermo evidence export --csv` and `mcthermo review import`\n");
		return MCT_EXIT_USAGE;
	}
	mct_store *st;
	int rc = mct_cli_store_open(cli, MCT_STORE_READWRITE, 0, &st);
	if (rc)
		return rc;
	int64_t *skipped = NULL;
	size_t nskipped = 0, done = 0;
	for (;;) {
		mct_buf sql;
		mct_buf_init(&sql);
		mct_buf_puts(&sql, "SELECT e.id FROM evidence e WHERE e.state = 'active' AND NOT "
		                   "EXISTS (SELECT 1 FROM reviews r WHERE r.evidence_id = e.id)");
		if (country)
			mct_buf_puts(&sql, " AND e.country = ?1");
		if (dimension)
			mct_buf_puts(&sql, " AND e.dimension = ?2");
		for (size_t i = 0; skipped && i < nskipped; i++)
			mct_buf_printf(&sql, " AND e.id <> %lld", (long long)skipped[i]);
		mct_buf_puts(&sql, " ORDER BY e.weight DESC, e.id LIMIT 1");
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(mct_store_db(st), sql.data, -1, &s, NULL) != SQLITE_OK) {
			mct_err err = {0};
			mct_buf_free(&sql);
			rc = mct_cli_error(
			    (mct_store_fail(st, &err, "finding pending evidence"), &err));
			break;
		}
		mct_buf_free(&sql);
		if (country)
			sqlite3_bind_text(s, 1, country, -1, SQLITE_STATIC);
		if (dimension)
			sqlite3_bind_text(s, 2, dimension, -1, SQLITE_STATIC);
		int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_finalize(s);
		if (!id) {
			printf("No pending evidence left%s. %zu reviewed.\n",
			       nskipped ? " (apart from the skipped)" : "", done);
			break;
		}
		/* The same view as `evidence show`. */
		mct_cli_evidence_show(cli, st, id);
		char note[1024] = "";
		char answer[64];
		for (;;) {
			printf("\n[c]onfirm  [r]eject  [s]kip  [n]ote  [q]uit > ");
			fflush(stdout);
			if (read_line(answer, sizeof answer) < 0) {
				answer[0] = 'q';
				answer[1] = 0;
			}
			if (answer[0] == 'n') {
				printf("note: ");
				fflush(stdout);
				if (read_line(note, sizeof note) < 0)
					note[0] = 0;
				continue;
			}
			if (strchr("crsq", answer[0]) && answer[0])
				break;
			printf("please answer c, r, s, n or q\n");
		}
		if (answer[0] == 'q')
			break;
		if (answer[0] == 's') {
			skipped = mct_xrealloc(skipped, (nskipped + 1) * sizeof *skipped);
			skipped[nskipped++] = id;
			continue;
		}
		mct_err err = {0};
		mct_verdict v = answer[0] == 'c' ? MCT_VERDICT_CONFIRMED : MCT_VERDICT_REJECTED;
		if (mct_store_review_add(st, id, v, by, note, NULL, &err)) {
			rc = mct_cli_error(&err);
			break;
		}
		done++;
		printf("#%lld %s\n\n", (long long)id, mct_verdict_name(v));
	}
	free(skipped);
	mct_store_close(st);
	return rc;
}

int cmd_review(mct_cli *cli, int argc, char **argv)
{
	const char *note = NULL, *by = NULL, *country = NULL, *dimension = NULL;
	int next = 0;
	static const struct option opts[] = {{"note", required_argument, NULL, 'n'},
	                                     {"by", required_argument, NULL, 'b'},
	                                     {"next", no_argument, NULL, 'x'},
	                                     {"country", required_argument, NULL, 'c'},
	                                     {"dimension", required_argument, NULL, 'd'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			note = optarg;
			break;
		case 'b':
			by = optarg;
			break;
		case 'x':
			next = 1;
			break;
		case 'c':
			country = optarg;
			break;
		case 'd':
			dimension = optarg;
			break;
		default:
			return mct_cli_usage("review", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!by)
		by = default_reviewer();
	int nargs = argc - optind;
	char **args = argv + optind;
	if (next) {
		if (nargs)
			return mct_cli_usage("review", "--next takes no evidence ids");
		if (country && !mct_country_valid(country))
			return mct_cli_usage("review", "--country '%s': not a country code",
			                     country);
		if (dimension && mct_dimension_find(dimension) < 0)
			return mct_cli_usage("review", "--dimension '%s': unknown dimension",
			                     dimension);
		return review_next(cli, country, dimension, by);
	}
	if (country || dimension)
		return mct_cli_usage("review", "--country and --dimension go with --next");
	if (nargs >= 1 && !strcmp(args[0], "import")) {
		if (nargs != 2)
			return mct_cli_usage("review", "import takes one CSV file");
		return review_import(cli, args[1], by);
	}
	if (nargs < 2)
		return mct_cli_usage("review",
		                     "expected ID... confirm|reject, --next, or import FILE");
	return review_ids(cli, nargs, args, note, by);
}
