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
 * read-only queries, which spares the program a JSON parser of its own,
 * except for the evidence array: a reading of a country with tens of
 * thousands of pieces of evidence has as many objects there, and six
 * json_extract calls on each (each one parsing the object again) made up half
 * of `explain`.  json_each hands over each object's text and a small scanner
 * here reads its numeric members.  Fields a later method adds are ignored;
 * an indicator the catalogue no longer knows is skipped.
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

static mct_status damaged(mct_store *st, const mct_score_reading *r, mct_err *err)
{
	return mct_fail(err, MCT_ERR_DB,
	                "%s: the reading of %s on %s has a damaged explanation (readings.id "
	                "%lld); score that date again",
	                mct_store_path(st), r->row.country, r->row.date, (long long)r->row.id);
}

/* Step a json_each query over json (a part of the reading's detail); fn
 * takes each row. */
typedef void (*row_fn)(mct_score_reading *r, sqlite3_stmt *s);

static mct_status each_json(mct_store *st, mct_score_reading *r, const char *json, const char *sql,
                            row_fn fn, mct_err *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(mct_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return mct_store_fail(st, err, "reading a reading's explanation");
	sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		fn(r, s);
	sqlite3_finalize(s);
	return step == SQLITE_DONE ? MCT_OK : damaged(st, r, err);
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

/* The members of one flat JSON object of the evidence array, as written by
 * score.c: {"id":12,"strength":1.5,...}.  Numbers are read with strtod and
 * strtoll; a member of any other type (a later method's) is skipped. */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

static const char *skip_value(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '"') {
			p = skip_string(p) - 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth-- == 0)
				return p;
		} else if (*p == ',' && depth == 0) {
			return p;
		}
	}
	return p;
}

static int key_is(const char *key, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(key, name, n) == 0;
}

/* Reads the object at p; returns where it ends. */
static const char *evidence_object(mct_score_reading *r, const char *p)
{
	if (*p != '{')
		return skip_value(p);
	mct_score_part got = {0};
	int have_id = 0;
	p++;
	while (*p == '"') {
		const char *key = p + 1, *end = skip_string(p);
		size_t klen = (size_t)(end - 1 - key);
		p = end;
		if (*p++ != ':')
			return p + strlen(p); /* not JSON: stop */
		char *next = (char *)p;
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			if (key_is(key, klen, "id")) {
				got.id = strtoll(p, &next, 10);
				have_id = 1;
			} else if (key_is(key, klen, "contribution")) {
				got.contribution = strtod(p, &next);
			} else if (key_is(key, klen, "degrees")) {
				got.degrees = strtod(p, &next);
			} else if (key_is(key, klen, "rank")) {
				got.rank = (int)strtol(p, &next, 10);
			} else if (key_is(key, klen, "duplicate_of")) {
				got.duplicate_of = strtoll(p, &next, 10);
			} else if (key_is(key, klen, "silenced_by")) {
				got.silenced_by = strtoll(p, &next, 10);
			}
		}
		p = skip_value(next);
		if (*p == ',')
			p++;
	}
	if (*p == '}')
		p++;
	mct_score_part *q =
	    have_id ? bsearch(&got, r->parts, r->nparts, sizeof *r->parts, cmp_part_id) : NULL;
	if (!q)
		return p;
	q->contribution = got.contribution;
	q->degrees = got.degrees;
	q->rank = got.rank;
	q->duplicate_of = got.duplicate_of;
	q->silenced_by = got.silenced_by;
	return p;
}

/* The evidence array's text, as json_each renders it (no blanks). */
static void evidence_array(mct_score_reading *r, const char *p)
{
	if (!p || *p++ != '[')
		return;
	while (*p == '{') {
		p = evidence_object(r, p);
		if (*p != ',')
			break;
		p++;
	}
}

static mct_status read_detail(mct_store *st, mct_score_reading *r, mct_err *err)
{
	if (!r->row.detail)
		return mct_fail(err, MCT_ERR_DB,
		                "%s: the reading of %s on %s has no explanation stored; score that "
		                "date again",
		                mct_store_path(st), r->row.country, r->row.date);
	/* One parse of the whole text splits it into its parts; the small ones
	 * go through json_each again, the evidence array through the scanner. */
	char *part[3] = {NULL, NULL, NULL};
	static const char *const names[3] = {"dimensions", "indicators", "evidence"};
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(mct_store_db(st), "SELECT key, value FROM json_each(?1)", -1, &s,
	                       NULL) != SQLITE_OK)
		return mct_store_fail(st, err, "reading a reading's explanation");
	sqlite3_bind_text(s, 1, r->row.detail, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(s, 0);
		for (int i = 0; key && i < 3; i++)
			if (!part[i] && strcmp(key, names[i]) == 0)
				part[i] = mct_xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	mct_status rc = MCT_OK;
	if (step != SQLITE_DONE)
		rc = damaged(st, r, err);
	if (!rc)
		rc = each_json(st, r, part[0] ? part[0] : "[]",
		               "SELECT json_extract(value,'$.id'), json_extract(value,'$.weight'), "
		               "json_extract(value,'$.share') FROM json_each(?1)",
		               dimension_row, err);
	if (!rc)
		rc = each_json(st, r, part[1] ? part[1] : "[]",
		               "SELECT json_extract(value,'$.id'), json_extract(value,'$.score'), "
		               "json_extract(value,'$.sum'), json_extract(value,'$.weight'), "
		               "json_extract(value,'$.degrees'), json_extract(value,'$.counted'), "
		               "json_extract(value,'$.negative') FROM json_each(?1)",
		               indicator_row, err);
	if (!rc)
		evidence_array(r, part[2]);
	for (int i = 0; i < 3; i++)
		free(part[i]);
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
