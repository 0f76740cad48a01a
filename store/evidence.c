/*
 * store/evidence.c - rules, evidence and extractions.
 *
 * Evidence has an identity that survives runs: the sha256 of (URL, country,
 * indicator, sign, normalised sentence).  Finding it again updates its
 * provenance (capture, offsets, rule version) and last_seen instead of adding
 * a row, so reviews made last month still apply; evidence that disappears is
 * marked 'gone' (or 'superseded' when the rule that found it changed), never
 * deleted, and comes back to 'active' with its reviews when it reappears.
 *
 * The rule version is deliberately not part of the identity: an edited rule
 * that still finds the same sentence keeps the evidence and its reviews, and
 * records the new version.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mct_status step(mct_store *st, sqlite3_stmt *s, mct_err *err, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return mct_store_fail(st, err, what);
	return MCT_OK;
}

mct_status mct_store_rules_begin(mct_store *st, mct_err *err)
{
	return mct_store_exec(st, "UPDATE rules SET current = 0 WHERE current <> 0", err);
}

mct_status mct_store_rule_put(mct_store *st, const mct_store_rule *r, mct_err *err)
{
	char now[21];
	mct_now_utc(now);
	sqlite3_stmt *s = mct_store_stmt(
	    st,
	    "INSERT INTO rules (id, version, dimension, indicator, weight, definition, file, "
	    "line, first_loaded, current) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,1) "
	    "ON CONFLICT(id, version) DO UPDATE SET current = 1, file = excluded.file, "
	    "line = excluded.line",
	    err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, r->id);
	mct_bind_text(s, 2, r->version);
	mct_bind_text(s, 3, r->dimension);
	mct_bind_text(s, 4, r->indicator);
	sqlite3_bind_double(s, 5, r->weight);
	mct_bind_text(s, 6, r->definition);
	mct_bind_text(s, 7, r->file);
	sqlite3_bind_int(s, 8, r->line);
	sqlite3_bind_text(s, 9, now, -1, SQLITE_TRANSIENT);
	return step(st, s, err, "saving a rule");
}

mct_status mct_store_pending_each(mct_store *st, const char *ruleset, int all,
                                  mct_store_pending_fn fn, void *ctx, mct_err *err)
{
	/* Not a cached statement: the callback runs other statements while this
	 * one is open, and it runs once per extract. */
	const char *sql = "SELECT c.id, c.url, c.source_id, s.country, c.sha256, c.fetched_at, "
	                  "  (x.url IS NULL OR x.sha256 <> c.sha256 OR x.ruleset <> ?1) AS needs "
	                  "FROM captures c "
	                  "JOIN (SELECT url, max(id) AS id FROM captures "
	                  "      WHERE sha256 IS NOT NULL AND sha256 IN (SELECT sha256 FROM texts) "
	                  "      GROUP BY url) latest ON latest.id = c.id "
	                  "JOIN sources s ON s.id = c.source_id "
	                  "LEFT JOIN extractions x ON x.url = c.url "
	                  "ORDER BY c.id";
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(mct_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return mct_store_fail(st, err, "listing captures to extract");
	sqlite3_bind_text(s, 1, ruleset, -1, SQLITE_TRANSIENT);
	mct_status rc = MCT_OK;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		mct_store_pending p = {
		    .capture_id = sqlite3_column_int64(s, 0),
		    .url = (const char *)sqlite3_column_text(s, 1),
		    .source_id = (const char *)sqlite3_column_text(s, 2),
		    .country = (const char *)sqlite3_column_text(s, 3),
		    .sha256 = (const char *)sqlite3_column_text(s, 4),
		    .fetched_at = (const char *)sqlite3_column_text(s, 5),
		    .needs_rules = all || sqlite3_column_int(s, 6),
		};
		if ((rc = fn(ctx, &p, err)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = mct_store_fail(st, err, "listing captures to extract");
	sqlite3_finalize(s);
	return rc;
}

static void evidence_key(const mct_store_evidence *e, char out[65])
{
	char *k = mct_xasprintf("%s\n%s\n%s\n%s\n%s", e->url, e->country, e->indicator,
	                        e->negative ? "negative" : "positive", e->sentence_key);
	mct_sha256_hex(k, strlen(k), out);
	free(k);
}

mct_status mct_store_evidence_put(mct_store *st, const mct_store_evidence *e, int64_t *id,
                                  int *is_new, mct_err *err)
{
	char key[65];
	evidence_key(e, key);
	sqlite3_stmt *s = mct_store_stmt(st, "SELECT id FROM evidence WHERE ekey = ?1", err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	int r = sqlite3_step(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return mct_store_fail(st, err, "looking up evidence");
	int64_t existing = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (existing) {
		s = mct_store_stmt(
		    st,
		    "UPDATE evidence SET capture_id = ?2, source_id = ?3, rule_id = ?4, "
		    "rule_version = ?5, dimension = ?6, weight = ?7, match = ?8, "
		    "snippet = ?9, offset_start = ?10, offset_end = ?11, page = ?12, "
		    "last_seen = ?13, last_run = ?14, state = 'active' WHERE id = ?1",
		    err);
		if (!s)
			return MCT_ERR_DB;
		sqlite3_bind_int64(s, 1, existing);
	} else {
		s = mct_store_stmt(
		    st,
		    "INSERT INTO evidence (ekey, capture_id, source_id, rule_id, rule_version, "
		    "dimension, weight, match, snippet, offset_start, offset_end, page, last_seen, "
		    "last_run, url, country, indicator, polarity, sentence_key, first_seen, "
		    "first_run, state) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
		    "?15,?16,?17,?18,?19,?13,?14,'active')",
		    err);
		if (!s)
			return MCT_ERR_DB;
		sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
		mct_bind_text(s, 15, e->url);
		mct_bind_text(s, 16, e->country);
		mct_bind_text(s, 17, e->indicator);
		sqlite3_bind_text(s, 18, e->negative ? "negative" : "positive", -1, SQLITE_STATIC);
		mct_bind_text(s, 19, e->sentence_key);
	}
	sqlite3_bind_int64(s, 2, e->capture_id);
	mct_bind_text(s, 3, e->source_id);
	mct_bind_text(s, 4, e->rule_id);
	mct_bind_text(s, 5, e->rule_version);
	mct_bind_text(s, 6, e->dimension);
	sqlite3_bind_double(s, 7, e->weight);
	mct_bind_text(s, 8, e->match);
	mct_bind_text(s, 9, e->snippet);
	sqlite3_bind_int64(s, 10, (sqlite3_int64)e->offset_start);
	sqlite3_bind_int64(s, 11, (sqlite3_int64)e->offset_end);
	if (e->page > 0)
		sqlite3_bind_int(s, 12, e->page);
	mct_bind_text(s, 13, e->seen_at);
	sqlite3_bind_int64(s, 14, e->run_id);
	mct_status rc = step(st, s, err, "saving evidence");
	if (rc)
		return rc;
	if (id)
		*id = existing ? existing : sqlite3_last_insert_rowid(mct_store_db(st));
	if (is_new)
		*is_new = !existing;
	return MCT_OK;
}

mct_status mct_store_evidence_retire(mct_store *st, const char *url, int64_t run_id, size_t *gone,
                                     size_t *superseded, mct_err *err)
{
	static const char *const sql[2] = {
	    "UPDATE evidence SET state = 'superseded' WHERE url = ?1 AND state = 'active' AND "
	    "last_run IS NOT ?2 AND NOT EXISTS (SELECT 1 FROM rules r WHERE r.id = "
	    "evidence.rule_id AND r.version = evidence.rule_version AND r.current = 1)",
	    "UPDATE evidence SET state = 'gone' WHERE url = ?1 AND state = 'active' AND "
	    "last_run IS NOT ?2"};
	size_t *counts[2] = {superseded, gone};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *s = mct_store_stmt(st, sql[i], err);
		if (!s)
			return MCT_ERR_DB;
		mct_bind_text(s, 1, url);
		sqlite3_bind_int64(s, 2, run_id);
		mct_status rc = step(st, s, err, "retiring evidence");
		if (rc)
			return rc;
		if (counts[i])
			*counts[i] += (size_t)sqlite3_changes(mct_store_db(st));
	}
	return MCT_OK;
}

mct_status mct_store_evidence_seen(mct_store *st, const char *url, int64_t capture_id,
                                   const char *seen_at, int64_t run_id, size_t *n, mct_err *err)
{
	/* The extraction now refers to the newest capture of the same body. */
	sqlite3_stmt *s =
	    mct_store_stmt(st, "UPDATE extractions SET capture_id = ?2 WHERE url = ?1", err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, url);
	sqlite3_bind_int64(s, 2, capture_id);
	mct_status rc = step(st, s, err, "updating an extraction");
	if (rc)
		return rc;
	s = mct_store_stmt(st,
	                   "UPDATE evidence SET last_seen = ?2, last_run = ?3 "
	                   "WHERE url = ?1 AND state = 'active' AND last_seen < ?2",
	                   err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, url);
	mct_bind_text(s, 2, seen_at);
	sqlite3_bind_int64(s, 3, run_id);
	rc = step(st, s, err, "updating evidence seen again");
	if (!rc && n)
		*n += (size_t)sqlite3_changes(mct_store_db(st));
	return rc;
}

mct_status mct_store_extraction_put(mct_store *st, const char *url, int64_t capture_id,
                                    const char *sha256, const char *ruleset, int64_t run_id,
                                    size_t evidence_count, size_t limits_hit, const char *note,
                                    mct_err *err)
{
	char now[21];
	mct_now_utc(now);
	sqlite3_stmt *s = mct_store_stmt(
	    st,
	    "INSERT INTO extractions (url, capture_id, sha256, ruleset, extracted_at, run_id, "
	    "evidence_count, limits_hit, note) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) "
	    "ON CONFLICT(url) DO UPDATE SET capture_id = excluded.capture_id, sha256 = "
	    "excluded.sha256, ruleset = excluded.ruleset, extracted_at = excluded.extracted_at, "
	    "run_id = excluded.run_id, evidence_count = excluded.evidence_count, limits_hit = "
	    "excluded.limits_hit, note = excluded.note",
	    err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, url);
	sqlite3_bind_int64(s, 2, capture_id);
	mct_bind_text(s, 3, sha256);
	mct_bind_text(s, 4, ruleset);
	sqlite3_bind_text(s, 5, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, run_id);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)evidence_count);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)limits_hit);
	mct_bind_text(s, 9, note);
	return step(st, s, err, "recording an extraction");
}
