/*
 * report/data.c - evidence.csv beside the pages: every active piece of
 * evidence with its provenance and review status.
 *
 * Its rows are those of `mcthermo evidence --csv`, byte for byte (same
 * columns, order, CRLF and quoting), so a script can take either; the
 * integration test compares the two.  Like the command line, a field that a
 * spreadsheet would run as a formula (leading = + - @) is neutralised with
 * a quote character: the snippets are strangers' text.
 *
 * Fields are written by mct_buf_csv_field (common/), the writer the
 * command line uses too, into the memory buffer report.c writes atomically.
 * The readings files are formatted by the command line itself (see
 * report.h).
 */
#include <string.h>

#include "report_internal.h"

/* ---- evidence ------------------------------------------------------------------- */

mct_status mct_rp_evidence_csv(mct_buf *b, mct_store *st, size_t *rows, mct_err *err)
{
	static const char *const header =
	    "id,country,dimension,indicator,polarity,rule,rule_version,status,match,snippet,url,"
	    "fetched_at,sha256,offset_start,offset_end,page,first_seen,last_seen,state\r\n";
	enum { COLS = 19 };
	*rows = 0;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(
	        mct_store_db(st),
	        "SELECT evidence.id, evidence.country, evidence.dimension, evidence.indicator, "
	        "evidence.polarity, evidence.rule_id, "
	        "evidence.rule_version, " MCT_EVIDENCE_STATUS_SQL
	        ", evidence.match, evidence.snippet, evidence.url, captures.fetched_at, "
	        "captures.sha256, evidence.offset_start, evidence.offset_end, evidence.page, "
	        "evidence.first_seen, evidence.last_seen, evidence.state "
	        "FROM evidence JOIN captures ON captures.id = evidence.capture_id "
	        "WHERE evidence.state = 'active' ORDER BY evidence.country, evidence.dimension, "
	        "evidence.indicator, evidence.polarity, evidence.id",
	        -1, &s, NULL) != SQLITE_OK)
		return mct_store_fail(st, err, "reading the evidence for evidence.csv");
	mct_buf_puts(b, header);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < COLS; i++) {
			if (i)
				mct_buf_putc(b, ',');
			mct_buf_csv_field(b, (const char *)sqlite3_column_text(s, i));
		}
		mct_buf_puts(b, "\r\n");
		(*rows)++;
	}
	mct_status rc = MCT_OK;
	if (step != SQLITE_DONE)
		rc = mct_store_fail(st, err, "reading the evidence for evidence.csv");
	sqlite3_finalize(s);
	return rc;
}
