/*
 * store/reviews.c - the review history of evidence.
 *
 * Reviews are appended, never updated: who said what, when and why is part
 * of the provenance a national team needs.  The status of a piece of
 * evidence is its latest verdict (MCT_EVIDENCE_STATUS_SQL), "pending" when it
 * has none.  Because evidence keeps its id when it disappears and comes back,
 * its reviews come back with it.
 */
#include "store_internal.h"

#include <stdio.h>
#include <strings.h>

const char *mct_verdict_name(mct_verdict v)
{
	return v == MCT_VERDICT_REJECTED ? "rejected" : "confirmed";
}

int mct_verdict_parse(const char *s)
{
	if (!strcasecmp(s, "confirm") || !strcasecmp(s, "confirmed") || !strcasecmp(s, "c"))
		return MCT_VERDICT_CONFIRMED;
	if (!strcasecmp(s, "reject") || !strcasecmp(s, "rejected") || !strcasecmp(s, "r"))
		return MCT_VERDICT_REJECTED;
	return -1;
}

mct_status mct_store_review_add(mct_store *st, int64_t evidence_id, mct_verdict verdict,
                                const char *by, const char *note, const char *at, mct_err *err)
{
	sqlite3_stmt *s = mct_store_stmt(st, "SELECT 1 FROM evidence WHERE id = ?1", err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_int64(s, 1, evidence_id);
	int r = sqlite3_step(s);
	sqlite3_reset(s);
	if (r == SQLITE_DONE)
		return mct_fail(err, MCT_ERR_USAGE, "no evidence with id %lld",
		                (long long)evidence_id);
	if (r != SQLITE_ROW)
		return mct_store_fail(st, err, "looking up evidence");
	char now[21];
	if (!at) {
		mct_now_utc(now);
		at = now;
	}
	s = mct_store_stmt(st,
	                   "INSERT INTO reviews (evidence_id, verdict, by, at, note) "
	                   "VALUES (?1, ?2, ?3, ?4, ?5)",
	                   err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_int64(s, 1, evidence_id);
	sqlite3_bind_text(s, 2, mct_verdict_name(verdict), -1, SQLITE_STATIC);
	mct_bind_text(s, 3, by && *by ? by : "unknown");
	mct_bind_text(s, 4, at);
	mct_bind_text(s, 5, note && *note ? note : NULL);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mct_store_fail(st, err, "saving a review");
	return MCT_OK;
}
