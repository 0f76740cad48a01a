/*
 * score/load.c - reading a stored reading back with its explanation, for
 * `explain` and `diff`.
 *
 * A reading explains itself from what was stored with it, never by scoring
 * again: the configuration or the method may have changed since, and the
 * point is to say why the number *was* what it was.  The numbers come from
 * the readings row, its detail JSON (written by score.c) and its
 * reading_evidence rows; the sentences, URLs and sources come from the
 * evidence table, whose rows are never deleted.
 *
 * The detail JSON is read with SQLite's JSON functions (json_each) through
 * read-only queries, which spares the program a JSON parser of its own.
 * Fields a later method adds are ignored; an indicator the catalogue no
 * longer knows is skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/rules.h"
#include "score_internal.h"

typedef struct {
	mct_store *st;
	mct_score_reading *r;
	size_t cap;
} load_ctx;

static char *dup_or_null(const char *s)
{
	return s && *s ? mct_xstrdup(s) : NULL;
}

static mct_status add_part(void *ctx, const mct_store_reading_evidence *e, mct_err *err)
{
	(void)err;
	load_ctx *c = ctx;
	mct_score_reading *r = c->r;
	if (mct_indicator_find(e->indicator) < 0)
		return MCT_OK;
	mct_score_part *p = mct_score_parts_push(&r->parts, &r->nparts, &c->cap);
	mct_score_part_set(p, e->evidence_id, e->indicator, e->source_kind, e->negative, e->weight,
	                   e->sentence_key, e->first_seen, e->status);
	p->strength = e->strength;
	p->snippet = dup_or_null(e->snippet);
	p->url = dup_or_null(e->url);
	p->source_id = dup_or_null(e->source_id);
	p->rule_id = dup_or_null(e->rule_id);
	p->state = dup_or_null(e->state);
	p->page = e->page;
	return MCT_OK;
}

static int cmp_part_id(const void *a, const void *b)
{
	int64_t x = ((const mct_score_part *)a)->id, y = ((const mct_score_part *)b)->id;
	return x < y ? -1 : x > y;
}

/* Step a json_each query over the reading's detail; fn takes each row. */
typedef void (*row_fn)(mct_score_reading *r, sqlite3_stmt *s);

static mct_status each_json(mct_store *st, mct_score_reading *r, const char *sql, row_fn fn,
                            mct_err *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(mct_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return mct_store_fail(st, err, "reading a reading's explanation");
	sqlite3_bind_text(s, 1, r->row.detail, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		fn(r, s);
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return mct_fail(
		    err, MCT_ERR_DB,
		    "%s: the reading of %s on %s has a damaged explanation (readings.id "
		    "%lld); score that date again",
		    mct_store_path(st), r->row.country, r->row.date, (long long)r->row.id);
	return MCT_OK;
}

static void dimension_row(mct_score_reading *r, sqlite3_stmt *s)
{
	int d = mct_dimension_find((const char *)sqlite3_column_text(s, 0));
	if (d < 0)
		return;
	r->dimension_weight[d] = sqlite3_column_double(s, 1);
	r->dimension_share[d] = sqlite3_column_double(s, 2);
}

static void indicator_row(mct_score_reading *r, sqlite3_stmt *s)
{
	int k = mct_indicator_find((const char *)sqlite3_column_text(s, 0));
	if (k < 0)
		return;
	mct_score_indicator *si = &r->indicators[k];
	si->score = sqlite3_column_double(s, 1);
	si->sum = sqlite3_column_double(s, 2);
	si->weight = sqlite3_column_double(s, 3);
	si->degrees = sqlite3_column_double(s, 4);
	si->counted = sqlite3_column_int(s, 5);
	si->negative = sqlite3_column_int(s, 6);
}

static void evidence_row(mct_score_reading *r, sqlite3_stmt *s)
{
	mct_score_part key = {.id = sqlite3_column_int64(s, 0)};
	mct_score_part *p = bsearch(&key, r->parts, r->nparts, sizeof *r->parts, cmp_part_id);
	if (!p)
		return;
	p->contribution = sqlite3_column_double(s, 1);
	p->degrees = sqlite3_column_double(s, 2);
	p->rank = sqlite3_column_int(s, 3);
	p->duplicate_of = sqlite3_column_int64(s, 4);
	p->silenced_by = sqlite3_column_int64(s, 5);
}

static mct_status read_detail(mct_store *st, mct_score_reading *r, mct_err *err)
{
	if (!r->row.detail)
		return mct_fail(err, MCT_ERR_DB,
		                "%s: the reading of %s on %s has no explanation stored; score that "
		                "date again",
		                mct_store_path(st), r->row.country, r->row.date);
	mct_status rc =
	    each_json(st, r,
	              "SELECT json_extract(value,'$.id'), json_extract(value,'$.weight'), "
	              "json_extract(value,'$.share') FROM json_each(?1,'$.dimensions')",
	              dimension_row, err);
	if (!rc)
		rc = each_json(st, r,
		               "SELECT json_extract(value,'$.id'), json_extract(value,'$.score'), "
		               "json_extract(value,'$.sum'), json_extract(value,'$.weight'), "
		               "json_extract(value,'$.degrees'), json_extract(value,'$.counted'), "
		               "json_extract(value,'$.negative') FROM json_each(?1,'$.indicators')",
		               indicator_row, err);
	if (!rc)
		rc = each_json(
		    st, r,
		    "SELECT json_extract(value,'$.id'), "
		    "json_extract(value,'$.contribution'), json_extract(value,'$.degrees'), "
		    "json_extract(value,'$.rank'), json_extract(value,'$.duplicate_of'), "
		    "json_extract(value,'$.silenced_by') FROM json_each(?1,'$.evidence')",
		    evidence_row, err);
	return rc;
}

mct_status mct_score_load(mct_store *st, const char *country, const char *date,
                          mct_score_reading *out, int *found, mct_err *err)
{
	memset(out, 0, sizeof *out);
	mct_status rc = mct_store_reading_get(st, country, date, &out->row, found, err);
	if (rc || !*found)
		return rc;
	out->indicators = mct_xcalloc(mct_indicator_count, sizeof *out->indicators);
	load_ctx c = {st, out, 0};
	if ((rc = mct_store_reading_evidence_each(st, out->row.id, add_part, &c, err)))
		goto fail;
	if (out->nparts)
		qsort(out->parts, out->nparts, sizeof *out->parts, cmp_part_id);
	if ((rc = read_detail(st, out, err)))
		goto fail;
	mct_score_sort_parts(out->parts, out->nparts);
	mct_store_reading prev;
	int has_prev;
	if ((rc = mct_store_reading_before(st, country, out->row.date, &prev, &has_prev, err)))
		goto fail;
	if (has_prev) {
		out->has_previous = 1;
		memcpy(out->previous_date, prev.date, sizeof out->previous_date);
		out->previous_temperature = prev.temperature;
		memcpy(out->previous_band, prev.band, sizeof out->previous_band);
		mct_store_reading_clear(&prev);
	}
	if ((rc = mct_store_reading_new_evidence(st, out->row.id, has_prev ? prev.id : 0,
	                                         &out->appeared, err)))
		goto fail;
	mct_store_reading_clear(&out->row);
	return MCT_OK;
fail:
	*found = 0;
	mct_score_reading_free(out);
	return rc;
}
