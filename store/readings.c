/*
 * store/readings.c - readings, what each piece of evidence was worth in them,
 * and the evidence the scorer reads.
 *
 * A reading is keyed by (country, date): scoring a date again replaces its
 * reading and the reading's reading_evidence rows, so a re-run of the same
 * night gives one row, not two.  The replacement is a DELETE then INSERT (a
 * new id) rather than an UPSERT because the reading_evidence rows of the old
 * reading must go with it; they are deleted explicitly as well as by the
 * foreign key's cascade, so the rule holds even on a connection opened
 * without foreign keys.
 *
 * The store only keeps numbers: how they are computed is the scorer's
 * (score/), and so is the JSON in readings.detail, which this file never
 * looks into.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_col(char *dst, size_t n, sqlite3_stmt *s, int col)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	snprintf(dst, n, "%s", v ? (const char *)v : "");
}

static const char *col_str(sqlite3_stmt *s, int col)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	return v ? (const char *)v : "";
}

/* The columns every reading query selects, in the order read_row expects. */
#define READING_COLS                                                                               \
	"id, run_id, country, date, temperature, band, policy, ecosystem, infra, usage, "          \
	"evidence_count, evidence_confirmed, evidence_pending, evidence_negative, sources_ok, "    \
	"sources_total, low_confidence, method_version, detail"

static void read_row(sqlite3_stmt *s, mct_store_reading *r, int with_detail)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->run_id = sqlite3_column_int64(s, 1);
	copy_col(r->country, sizeof r->country, s, 2);
	copy_col(r->date, sizeof r->date, s, 3);
	r->temperature = sqlite3_column_double(s, 4);
	copy_col(r->band, sizeof r->band, s, 5);
	for (int d = 0; d < 4; d++)
		r->dimension[d] = sqlite3_column_double(s, 6 + d);
	r->evidence_count = sqlite3_column_int(s, 10);
	r->evidence_confirmed = sqlite3_column_int(s, 11);
	r->evidence_pending = sqlite3_column_int(s, 12);
	r->evidence_negative = sqlite3_column_int(s, 13);
	r->sources_ok = sqlite3_column_int(s, 14);
	r->sources_total = sqlite3_column_int(s, 15);
	r->low_confidence = sqlite3_column_int(s, 16);
	copy_col(r->method_version, sizeof r->method_version, s, 17);
	if (with_detail && sqlite3_column_type(s, 18) != SQLITE_NULL)
		r->detail = mct_xstrdup(col_str(s, 18));
}

void mct_store_reading_clear(mct_store_reading *r)
{
	free(r->detail);
	r->detail = NULL;
}

mct_status mct_store_reading_replace(mct_store *st, mct_store_reading *r, mct_err *err)
{
	static const char *const del[] = {
	    "DELETE FROM reading_evidence WHERE reading_id IN "
	    "(SELECT id FROM readings WHERE country = ?1 AND date = ?2)",
	    "DELETE FROM readings WHERE country = ?1 AND date = ?2"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *s = mct_store_stmt(st, del[i], err);
		if (!s)
			return MCT_ERR_DB;
		mct_bind_text(s, 1, r->country);
		mct_bind_text(s, 2, r->date);
		if (sqlite3_step(s) != SQLITE_DONE)
			return mct_store_fail(st, err, "replacing a reading");
	}
	sqlite3_stmt *s = mct_store_stmt(
	    st,
	    "INSERT INTO readings (run_id, country, date, temperature, band, policy, ecosystem, "
	    "infra, usage, evidence_count, evidence_confirmed, evidence_pending, "
	    "evidence_negative, sources_ok, sources_total, low_confidence, method_version, "
	    "detail) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
	    err);
	if (!s)
		return MCT_ERR_DB;
	if (r->run_id)
		sqlite3_bind_int64(s, 1, r->run_id);
	mct_bind_text(s, 2, r->country);
	mct_bind_text(s, 3, r->date);
	sqlite3_bind_double(s, 4, r->temperature);
	mct_bind_text(s, 5, r->band);
	for (int d = 0; d < 4; d++)
		sqlite3_bind_double(s, 6 + d, r->dimension[d]);
	sqlite3_bind_int(s, 10, r->evidence_count);
	sqlite3_bind_int(s, 11, r->evidence_confirmed);
	sqlite3_bind_int(s, 12, r->evidence_pending);
	sqlite3_bind_int(s, 13, r->evidence_negative);
	sqlite3_bind_int(s, 14, r->sources_ok);
	sqlite3_bind_int(s, 15, r->sources_total);
	sqlite3_bind_int(s, 16, r->low_confidence ? 1 : 0);
	mct_bind_text(s, 17, r->method_version);
	mct_bind_text(s, 18, r->detail);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mct_store_fail(st, err, "storing a reading");
	r->id = sqlite3_last_insert_rowid(mct_store_db(st));
	return MCT_OK;
}

mct_status mct_store_reading_evidence_add(mct_store *st, int64_t reading_id, int64_t evidence_id,
                                          const char *indicator, double strength,
                                          const char *status, mct_err *err)
{
	sqlite3_stmt *s = mct_store_stmt(st,
	                                 "INSERT INTO reading_evidence (reading_id, evidence_id, "
	                                 "indicator, strength, status) VALUES (?1,?2,?3,?4,?5)",
	                                 err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_int64(s, 1, reading_id);
	sqlite3_bind_int64(s, 2, evidence_id);
	mct_bind_text(s, 3, indicator);
	sqlite3_bind_double(s, 4, strength);
	mct_bind_text(s, 5, status);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mct_store_fail(st, err, "storing what evidence was worth in a reading");
	return MCT_OK;
}

/* Run a reading query bound to (country, date) that yields at most one row. */
static mct_status get_one(mct_store *st, const char *sql, const char *country, const char *date,
                          mct_store_reading *out, int *found, mct_err *err)
{
	*found = 0;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = mct_store_stmt(st, sql, err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, country);
	mct_bind_text(s, 2, date);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_row(s, out, 1);
		*found = 1;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return mct_store_fail(st, err, "reading a reading");
	return MCT_OK;
}

mct_status mct_store_reading_get(mct_store *st, const char *country, const char *date,
                                 mct_store_reading *out, int *found, mct_err *err)
{
	return get_one(st,
	               "SELECT " READING_COLS " FROM readings WHERE country = ?1 "
	               "AND (?2 IS NULL OR date = ?2) ORDER BY date DESC LIMIT 1",
	               country, date, out, found, err);
}

mct_status mct_store_reading_before(mct_store *st, const char *country, const char *date,
                                    mct_store_reading *out, int *found, mct_err *err)
{
	return get_one(st,
	               "SELECT " READING_COLS " FROM readings WHERE country = ?1 AND date < ?2 "
	               "ORDER BY date DESC LIMIT 1",
	               country, date, out, found, err);
}

mct_status mct_store_readings_each(mct_store *st, const char *country, int latest_only,
                                   mct_store_reading_fn fn, void *ctx, mct_err *err)
{
	/* Not the cached statement: fn may itself query readings. */
	const char *sql =
	    latest_only
	        ? "SELECT " READING_COLS " FROM readings r WHERE (?1 IS NULL OR country = ?1) "
	          "AND date = (SELECT max(date) FROM readings x WHERE x.country = r.country) "
	          "ORDER BY country"
	        : "SELECT " READING_COLS " FROM readings WHERE (?1 IS NULL OR country = ?1) "
	          "ORDER BY country, date";
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(mct_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return mct_store_fail(st, err, "listing readings");
	mct_bind_text(s, 1, country);
	mct_status rc = MCT_OK;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		mct_store_reading r;
		read_row(s, &r, 0);
		if ((rc = fn(ctx, &r, err)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = mct_store_fail(st, err, "listing readings");
	sqlite3_finalize(s);
	return rc;
}

mct_status mct_store_reading_new_evidence(mct_store *st, int64_t reading_id, int64_t prev_id,
                                          size_t *n, mct_err *err)
{
	sqlite3_stmt *s = mct_store_stmt(
	    st,
	    "SELECT count(*) FROM reading_evidence WHERE reading_id = ?1 AND status <> 'rejected' "
	    "AND evidence_id NOT IN (SELECT evidence_id FROM reading_evidence "
	    "WHERE reading_id = ?2)",
	    err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_int64(s, 1, reading_id);
	sqlite3_bind_int64(s, 2, prev_id);
	if (sqlite3_step(s) != SQLITE_ROW)
		return mct_store_fail(st, err, "comparing readings");
	*n = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return MCT_OK;
}

/* ---- the evidence to score ------------------------------------------------
 *
 * Scoring reads every active evidence row each night, a million of them in
 * a large store, so this is the store's hottest read.  Asked of SQLite in
 * one statement (a join with sources, a correlated subquery for the latest
 * review, ORDER BY country, indicator, id) it costs a sorter that spills to
 * temporary files and one subquery per row.  Instead: the sources' kinds and
 * the latest verdicts (few rows) are read first, the evidence is scanned in
 * id order into compact records (the latest verdict found by walking the
 * verdicts alongside, also in id order), and the records are sorted here.
 * The cost is the records in memory: about 120 bytes per row. */

typedef struct {
	char *id;
	char *kind;
} kind_row;

typedef struct {
	int64_t evidence_id;
	const char *verdict; /* "confirmed" / "rejected" (static) */
} verdict_row;

/* Short strings are kept in the record, longer ones (never written by
 * mcthermo itself) interned. */
typedef struct {
	int64_t id;
	double weight;
	const char *country;   /* interned */
	const char *indicator; /* interned */
	const char *kind;      /* from kind_row */
	const char *status;    /* static */
	const char *long_key;  /* interned when the key does not fit sentence_key */
	const char *long_seen; /* the same for first_seen */
	char negative;
	char sentence_key[65];
	char first_seen[26];
} scored_row;

typedef struct {
	kind_row *kinds;
	size_t nkinds;
	verdict_row *verdicts;
	size_t nverdicts;
	char **strings; /* interned strings, in order of first use */
	size_t nstrings;
	scored_row *rows;
	size_t nrows, caprows;
} scored_set;

static int cmp_kind_row(const void *a, const void *b)
{
	return strcmp(((const kind_row *)a)->id, ((const kind_row *)b)->id);
}

static const char *intern(scored_set *set, const char *s)
{
	for (size_t i = set->nstrings; i-- > 0;)
		if (strcmp(set->strings[i], s) == 0)
			return set->strings[i];
	set->strings = mct_xrealloc(set->strings, (set->nstrings + 1) * sizeof *set->strings);
	return set->strings[set->nstrings++] = mct_xstrdup(s);
}

static void scored_set_free(scored_set *set)
{
	for (size_t i = 0; i < set->nkinds; i++) {
		free(set->kinds[i].id);
		free(set->kinds[i].kind);
	}
	for (size_t i = 0; i < set->nstrings; i++)
		free(set->strings[i]);
	free(set->kinds);
	free(set->verdicts);
	free(set->strings);
	free(set->rows);
}

/* Run a read-only query, calling row() for each row; `what` names it in
 * errors. */
static mct_status each_row(mct_store *st, const char *sql,
                           void (*row)(scored_set *, sqlite3_stmt *), scored_set *set,
                           const char *what, mct_err *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(mct_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return mct_store_fail(st, err, what);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		row(set, s);
	sqlite3_finalize(s);
	return step == SQLITE_DONE ? MCT_OK : mct_store_fail(st, err, what);
}

static void kind_of_row(scored_set *set, sqlite3_stmt *s)
{
	set->kinds = mct_xrealloc(set->kinds, (set->nkinds + 1) * sizeof *set->kinds);
	set->kinds[set->nkinds++] =
	    (kind_row){mct_xstrdup(col_str(s, 0)), mct_xstrdup(col_str(s, 1))};
}

/* Verdicts come ordered by evidence and review id: the last one of each
 * evidence is its latest. */
static void verdict_of_row(scored_set *set, sqlite3_stmt *s)
{
	int64_t id = sqlite3_column_int64(s, 0);
	const char *v = strcmp(col_str(s, 1), "rejected") == 0 ? "rejected" : "confirmed";
	if (set->nverdicts && set->verdicts[set->nverdicts - 1].evidence_id == id) {
		set->verdicts[set->nverdicts - 1].verdict = v;
		return;
	}
	if ((set->nverdicts & (set->nverdicts - 1)) == 0) /* 0, 1, 2, 4 ...: grow */
		set->verdicts =
		    mct_xrealloc(set->verdicts,
		                 (set->nverdicts ? 2 * set->nverdicts : 1) * sizeof *set->verdicts);
	set->verdicts[set->nverdicts++] = (verdict_row){id, v};
}

/* The kind of a source, NULL when the source is not in the table. */
static const char *kind_of(const scored_set *set, const char *source_id)
{
	kind_row key = {(char *)source_id, NULL};
	const kind_row *k =
	    set->nkinds ? bsearch(&key, set->kinds, set->nkinds, sizeof key, cmp_kind_row) : NULL;
	return k ? k->kind : NULL;
}

/* Copy s into buf when it fits, else intern it into *longer. */
static void keep_str(scored_set *set, const char *s, char *buf, size_t size, const char **longer)
{
	size_t n = strlen(s);
	*longer = NULL;
	if (n < size)
		memcpy(buf, s, n + 1);
	else
		*longer = intern(set, s);
}

/* Evidence whose source is not in the sources table is left out (as a join
 * with sources would). */
static void evidence_of_row(scored_set *set, sqlite3_stmt *s)
{
	const char *kind = kind_of(set, col_str(s, 3));
	if (!kind)
		return;
	if (set->nrows == set->caprows) {
		set->caprows = set->caprows ? 2 * set->caprows : 1024;
		set->rows = mct_xrealloc(set->rows, set->caprows * sizeof *set->rows);
	}
	scored_row *r = &set->rows[set->nrows++];
	r->id = sqlite3_column_int64(s, 0);
	r->country = intern(set, col_str(s, 1));
	r->indicator = intern(set, col_str(s, 2));
	r->kind = kind;
	r->negative = (char)(sqlite3_column_int(s, 4) != 0);
	r->weight = sqlite3_column_double(s, 5);
	keep_str(set, col_str(s, 6), r->sentence_key, sizeof r->sentence_key, &r->long_key);
	keep_str(set, col_str(s, 7), r->first_seen, sizeof r->first_seen, &r->long_seen);
	r->status = "pending";
}

/* Rows arrive in id order, and so do the verdicts: one walk pairs them. */
static void attach_verdicts(scored_set *set)
{
	size_t v = 0;
	for (size_t i = 0; i < set->nrows; i++) {
		while (v < set->nverdicts && set->verdicts[v].evidence_id < set->rows[i].id)
			v++;
		if (v < set->nverdicts && set->verdicts[v].evidence_id == set->rows[i].id)
			set->rows[i].status = set->verdicts[v].verdict;
	}
}

static int cmp_scored_row(const void *a, const void *b)
{
	const scored_row *x = a, *y = b;
	int c = x->country == y->country ? 0 : strcmp(x->country, y->country);
	if (!c && x->indicator != y->indicator)
		c = strcmp(x->indicator, y->indicator);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

mct_status mct_store_evidence_for_score(mct_store *st, mct_store_scored_evidence_fn fn, void *ctx,
                                        mct_err *err)
{
	scored_set set = {0};
	const char *what = "reading the evidence to score";
	mct_status rc = each_row(st, "SELECT id, kind FROM sources", kind_of_row, &set, what, err);
	if (!rc && set.nkinds)
		qsort(set.kinds, set.nkinds, sizeof *set.kinds, cmp_kind_row);
	if (!rc)
		rc = each_row(st,
		              "SELECT evidence_id, verdict FROM reviews ORDER BY evidence_id, id",
		              verdict_of_row, &set, what, err);
	if (!rc)
		rc = each_row(st,
		              "SELECT id, country, indicator, source_id, polarity = 'negative', "
		              "weight, sentence_key, first_seen FROM evidence "
		              "WHERE state = 'active' ORDER BY id",
		              evidence_of_row, &set, what, err);
	if (!rc) {
		attach_verdicts(&set);
		if (set.nrows)
			qsort(set.rows, set.nrows, sizeof *set.rows, cmp_scored_row);
	}
	for (size_t i = 0; !rc && i < set.nrows; i++) {
		const scored_row *r = &set.rows[i];
		mct_store_scored_evidence e = {
		    .id = r->id,
		    .country = r->country,
		    .indicator = r->indicator,
		    .source_kind = r->kind,
		    .negative = r->negative,
		    .weight = r->weight,
		    .sentence_key = r->long_key ? r->long_key : r->sentence_key,
		    .first_seen = r->long_seen ? r->long_seen : r->first_seen,
		    .status = r->status,
		};
		rc = fn(ctx, &e, err);
	}
	scored_set_free(&set);
	return rc;
}

/* The sources' kinds are looked up in memory (kind_of), as for scoring:
 * a join would cost an index search per row, and a reading can have tens of
 * thousands of rows. */
mct_status mct_store_reading_evidence_each(mct_store *st, int64_t reading_id,
                                           mct_store_reading_evidence_fn fn, void *ctx,
                                           mct_err *err)
{
	const char *what = "reading a reading's evidence";
	scored_set kinds = {0};
	mct_status rc =
	    each_row(st, "SELECT id, kind FROM sources", kind_of_row, &kinds, what, err);
	if (rc) {
		scored_set_free(&kinds);
		return rc;
	}
	if (kinds.nkinds)
		qsort(kinds.kinds, kinds.nkinds, sizeof *kinds.kinds, cmp_kind_row);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(mct_store_db(st),
	                       "SELECT re.evidence_id, re.indicator, re.strength, re.status, "
	                       "e.polarity = 'negative', e.weight, e.sentence_key, e.first_seen, "
	                       "e.snippet, e.url, e.source_id, e.rule_id, e.state, e.page "
	                       "FROM reading_evidence re JOIN evidence e ON e.id = re.evidence_id "
	                       "WHERE re.reading_id = ?1 ORDER BY re.evidence_id",
	                       -1, &s, NULL) != SQLITE_OK) {
		scored_set_free(&kinds);
		return mct_store_fail(st, err, what);
	}
	sqlite3_bind_int64(s, 1, reading_id);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = kind_of(&kinds, col_str(s, 10));
		if (!kind)
			continue; /* evidence of a source no longer in the table */
		mct_store_reading_evidence e = {
		    .evidence_id = sqlite3_column_int64(s, 0),
		    .indicator = col_str(s, 1),
		    .strength = sqlite3_column_double(s, 2),
		    .status = col_str(s, 3),
		    .negative = sqlite3_column_int(s, 4),
		    .weight = sqlite3_column_double(s, 5),
		    .sentence_key = col_str(s, 6),
		    .first_seen = col_str(s, 7),
		    .snippet = col_str(s, 8),
		    .url = col_str(s, 9),
		    .source_id = col_str(s, 10),
		    .source_kind = kind,
		    .rule_id = col_str(s, 11),
		    .state = col_str(s, 12),
		    .page = sqlite3_column_int(s, 13),
		};
		if ((rc = fn(ctx, &e, err)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = mct_store_fail(st, err, what);
	sqlite3_finalize(s);
	scored_set_free(&kinds);
	return rc;
}

mct_status mct_store_source_last_status(mct_store *st, const char *source_id, char out[32],
                                        mct_err *err)
{
	out[0] = 0;
	sqlite3_stmt *s =
	    mct_store_stmt(st, "SELECT COALESCE(last_status, '') FROM sources WHERE id = ?1", err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, source_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_col(out, 32, s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return mct_store_fail(st, err, "reading a source's status");
	return MCT_OK;
}

int mct_store_source_read_ok(const char *last_status)
{
	static const char *const ok[] = {"ok", "unchanged", "new", "changed"};
	for (size_t i = 0; last_status && i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(last_status, ok[i]) == 0)
			return 1;
	return 0;
}
