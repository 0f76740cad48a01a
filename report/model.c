/*
 * report/model.c - what the report needs from the store, loaded before any
 * page is written: every reading grouped by country, and per country its
 * sources and what the reading's explanation does not carry about its
 * evidence.
 *
 * The report only reads: it never takes the run lock, and a run writing at
 * the same time is fine (WAL), though a page may then show a reading made a
 * moment before the one the next page shows.  The numbers come from the
 * readings as stored, never from scoring again.
 *
 * Countries are ordered by their English name, never by temperature: the
 * dashboard is a starting point for discussion, not a league table.  A
 * reading whose country is not two letters is left out, since its code
 * becomes a file name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static int code_ok(const char *cc)
{
	return cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z' && !cc[2];
}

static mct_status add_reading(void *ctx, const mct_store_reading *r, mct_err *err)
{
	(void)err;
	mct_rp_model *m = ctx;
	if (!code_ok(r->country))
		return MCT_OK;
	mct_rp_country *c = m->n ? &m->countries[m->n - 1] : NULL;
	if (!c || strcmp(c->cc, r->country) != 0) { /* readings come ordered by country */
		m->countries = mct_xrealloc(m->countries, (m->n + 1) * sizeof *m->countries);
		c = &m->countries[m->n++];
		memset(c, 0, sizeof *c);
		memcpy(c->cc, r->country, 3);
		c->name = mct_country_name(c->cc);
	}
	c->readings = mct_xrealloc(c->readings, (c->n + 1) * sizeof *c->readings);
	c->readings[c->n] = *r;
	c->readings[c->n++].detail = NULL;
	m->nreadings++;
	if (strcmp(r->date, m->latest) > 0) {
		snprintf(m->latest, sizeof m->latest, "%s", r->date);
		snprintf(m->method, sizeof m->method, "%s", r->method_version);
	}
	return MCT_OK;
}

static int cmp_name(const void *a, const void *b)
{
	const mct_rp_country *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->cc, y->cc);
}

mct_status mct_rp_model_load(mct_store *st, mct_rp_model *m, mct_err *err)
{
	memset(m, 0, sizeof *m);
	mct_now_utc(m->generated);
	mct_status rc = mct_store_readings_each(st, NULL, 0, add_reading, m, err);
	if (rc) {
		mct_rp_model_free(m);
		return rc;
	}
	if (m->n)
		qsort(m->countries, m->n, sizeof *m->countries, cmp_name);
	return MCT_OK;
}

void mct_rp_model_free(mct_rp_model *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->countries[i].readings);
	free(m->countries);
	memset(m, 0, sizeof *m);
}

const mct_store_reading *mct_rp_latest(const mct_rp_country *c)
{
	return &c->readings[c->n - 1];
}

const mct_store_reading *mct_rp_previous(const mct_rp_country *c)
{
	return c->n > 1 ? &c->readings[c->n - 2] : NULL;
}

/* ---- sources and evidence of one country ------------------------------------ */

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v && *v ? mct_xstrdup((const char *)v) : NULL;
}

/* Run a cached query bound to a country code and hand each row to fn;
 * `what` names the query in an error. */
static mct_status each_row(mct_store *st, const char *sql, const char *cc,
                           void (*fn)(sqlite3_stmt *s, void *ctx), void *ctx, const char *what,
                           mct_err *err)
{
	sqlite3_stmt *s = mct_store_stmt(st, sql, err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_text(s, 1, cc, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		fn(s, ctx);
	mct_status rc = step == SQLITE_DONE ? MCT_OK : mct_store_fail(st, err, what);
	sqlite3_reset(s);
	return rc;
}

typedef struct {
	mct_rp_source *v;
	size_t n;
} source_list;

static void source_row(sqlite3_stmt *s, void *ctx)
{
	source_list *l = ctx;
	l->v = mct_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	mct_rp_source *src = &l->v[l->n++];
	src->id = col_dup(s, 0);
	src->kind = col_dup(s, 1);
	src->url = col_dup(s, 2);
	src->enabled = sqlite3_column_int(s, 3);
	src->last_fetch = col_dup(s, 4);
	src->last_status = col_dup(s, 5);
	src->last_error = col_dup(s, 6);
}

mct_status mct_rp_sources_load(mct_store *st, const char *cc, mct_rp_source **out, size_t *n,
                               mct_err *err)
{
	source_list l = {0};
	mct_status rc = each_row(st,
	                         "SELECT id, kind, url, enabled, last_fetch, last_status, "
	                         "last_error FROM sources WHERE country = ?1 ORDER BY id",
	                         cc, source_row, &l, "reading the sources for the report", err);
	if (rc) {
		mct_rp_sources_free(l.v, l.n);
		l.v = NULL;
		l.n = 0;
	}
	*out = l.v;
	*n = l.n;
	return rc;
}

void mct_rp_sources_free(mct_rp_source *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].id);
		free(s[i].kind);
		free(s[i].url);
		free(s[i].last_fetch);
		free(s[i].last_status);
		free(s[i].last_error);
	}
	free(s);
}

typedef struct {
	mct_rp_evidence *v;
	size_t n;
} evidence_list;

static void evidence_row(sqlite3_stmt *s, void *ctx)
{
	evidence_list *l = ctx;
	l->v = mct_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	mct_rp_evidence *e = &l->v[l->n++];
	e->id = sqlite3_column_int64(s, 0);
	e->match = col_dup(s, 1);
	e->fetched_at = col_dup(s, 2);
	const unsigned char *status = sqlite3_column_text(s, 3);
	snprintf(e->status, sizeof e->status, "%s", status ? (const char *)status : "");
}

mct_status mct_rp_evidence_load(mct_store *st, const char *cc, mct_rp_evidence **out, size_t *n,
                                mct_err *err)
{
	evidence_list l = {0};
	/* MCT_EVIDENCE_STATUS_SQL names the table "evidence": no alias. */
	mct_status rc = each_row(
	    st,
	    "SELECT evidence.id, evidence.match, captures.fetched_at, " MCT_EVIDENCE_STATUS_SQL
	    " FROM evidence JOIN captures ON captures.id = evidence.capture_id "
	    "WHERE evidence.country = ?1 ORDER BY evidence.id",
	    cc, evidence_row, &l, "reading the evidence for the report", err);
	if (rc) {
		mct_rp_evidence_free(l.v, l.n);
		l.v = NULL;
		l.n = 0;
	}
	*out = l.v;
	*n = l.n;
	return rc;
}

void mct_rp_evidence_free(mct_rp_evidence *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].match);
		free(e[i].fetched_at);
	}
	free(e);
}

const mct_rp_evidence *mct_rp_evidence_find(const mct_rp_evidence *e, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].id == id)
			return &e[mid];
		if (e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
