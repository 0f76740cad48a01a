/*
 * store/captures.c - captures, and their bodies and texts stored once per
 * sha256.
 *
 * A nightly crawl mostly sees pages it has seen before, so bodies are keyed
 * by their sha256 and stored once, zstd-compressed; an unchanged capture is
 * a small row that points at the body already stored.  Level 3: on 40 KB
 * HTML pages it compresses about 150 MB/s for a ratio near 3.9, where level
 * 6 managed 44 MB/s for 4.0 (bench/), and compressing every new body and
 * text was half of a first crawl's CPU time at level 6.  Decompression
 * speed does not depend on the level.  The extracted text is
 * stored per body the same way, so re-extraction after a rule change needs
 * neither the network nor the HTML parser.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define ZSTD_LEVEL 3

const char *mct_capture_outcome_name(mct_capture_outcome o)
{
	static const char *n[] = {"new", "changed", "unchanged", "failed", "skipped"};
	return (unsigned)o < 5 ? n[o] : "failed";
}

mct_status mct_store_pack(const void *data, size_t n, mct_buf *out, mct_err *err)
{
	size_t bound = ZSTD_compressBound(n);
	mct_buf_reset(out);
	mct_buf_reserve(out, bound);
	size_t z = ZSTD_compress(out->data, bound, data, n, ZSTD_LEVEL);
	if (ZSTD_isError(z))
		return mct_fail(err, MCT_ERR_INTERNAL, "compressing %zu bytes: %s", n,
		                ZSTD_getErrorName(z));
	out->len = z;
	out->data[z] = 0;
	return MCT_OK;
}

mct_status mct_store_unpack(const char *codec, const void *blob, size_t blob_len, size_t size,
                            mct_buf *out, mct_err *err)
{
	mct_buf_reset(out);
	if (strcmp(codec, "raw") == 0) {
		mct_buf_append(out, blob, blob_len);
		return MCT_OK;
	}
	mct_buf_reserve(out, size);
	size_t z = ZSTD_decompress(out->data, size, blob, blob_len);
	if (ZSTD_isError(z) || z != size)
		return mct_fail(err, MCT_ERR_DB, "stored blob is damaged: %s",
		                ZSTD_isError(z) ? ZSTD_getErrorName(z) : "wrong size");
	out->len = z;
	out->data[z] = 0;
	return MCT_OK;
}

/* Store data compressed under sha; extra1/extra2 (may be NULL) bind to ?4/?5. */
static mct_status put_blob(mct_store *st, const char *sql, const char *sha, const void *data,
                           size_t n, const char *extra1, const char *extra2, mct_err *err)
{
	mct_buf z;
	mct_buf_init(&z);
	mct_status rc = mct_store_pack(data, n, &z, err);
	if (rc)
		goto out;
	sqlite3_stmt *s = mct_store_stmt(st, sql, err);
	if (!s) {
		rc = MCT_ERR_DB;
		goto out;
	}
	sqlite3_bind_text(s, 1, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)n);
	sqlite3_bind_blob(s, 3, z.data, (int)z.len, SQLITE_STATIC);
	if (extra1)
		sqlite3_bind_text(s, 4, extra1, -1, SQLITE_TRANSIENT);
	if (extra2)
		sqlite3_bind_text(s, 5, extra2, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = mct_store_fail(st, err, "storing a body");
	sqlite3_reset(s);
out:
	mct_buf_free(&z);
	return rc;
}

mct_status mct_store_capture_add(mct_store *st, mct_capture *c, const void *body, size_t body_len,
                                 const char *text, size_t text_len, mct_err *err)
{
	mct_status rc;
	if (body) {
		if (!c->sha256[0])
			mct_sha256_hex(body, body_len, c->sha256);
		rc = put_blob(st,
		              "INSERT OR IGNORE INTO bodies (sha256, size, codec, data) "
		              "VALUES (?1, ?2, 'zstd', ?3)",
		              c->sha256, body, body_len, NULL, NULL, err);
		if (rc)
			return rc;
	}
	if (body && text) {
		/* Replace: a newer extractor may have produced a better text. */
		rc = put_blob(
		    st,
		    "INSERT INTO texts (sha256, size, codec, data, type, extractor) "
		    "VALUES (?1, ?2, 'zstd', ?3, ?4, ?5) "
		    "ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, "
		    "data = excluded.data, type = excluded.type, extractor = excluded.extractor",
		    c->sha256, text, text_len, c->text_type ? c->text_type : "txt",
		    c->extractor ? c->extractor : "unknown", err);
		if (rc)
			return rc;
	}
	sqlite3_stmt *s = mct_store_stmt(
	    st,
	    "INSERT INTO captures (run_id, source_id, url, final_url, depth, http_status, "
	    "content_type, etag, last_modified, fetched_at, outcome, error, sha256, text_type, "
	    "charset, pages, title, elapsed_s) "
	    "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
	    err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_int64(s, 1, c->run_id);
	mct_bind_text(s, 2, c->source_id);
	mct_bind_text(s, 3, c->url);
	mct_bind_text(s, 4, c->final_url);
	sqlite3_bind_int(s, 5, c->depth);
	if (c->http_status)
		sqlite3_bind_int(s, 6, c->http_status);
	mct_bind_text(s, 7, c->content_type);
	mct_bind_text(s, 8, c->etag);
	mct_bind_text(s, 9, c->last_modified);
	mct_bind_text(s, 10, c->fetched_at);
	sqlite3_bind_text(s, 11, mct_capture_outcome_name(c->outcome), -1, SQLITE_STATIC);
	mct_bind_text(s, 12, c->error);
	mct_bind_text(s, 13, c->sha256[0] ? c->sha256 : NULL);
	mct_bind_text(s, 14, c->text_type);
	mct_bind_text(s, 15, c->charset);
	if (c->pages)
		sqlite3_bind_int(s, 16, c->pages);
	mct_bind_text(s, 17, c->title);
	sqlite3_bind_double(s, 18, c->elapsed_s);
	if (sqlite3_step(s) != SQLITE_DONE)
		return mct_store_fail(st, err, "storing a capture");
	c->id = sqlite3_last_insert_rowid(mct_store_db(st));
	return MCT_OK;
}

mct_status mct_store_capture_last(mct_store *st, const char *url, mct_capture *out, int *found,
                                  mct_err *err)
{
	static char etag[512], lm[128], ctype[256], ttype[16];
	*found = 0;
	sqlite3_stmt *s = mct_store_stmt(st,
	                                 "SELECT id, etag, last_modified, sha256, content_type, "
	                                 "text_type FROM captures WHERE url = ?1 AND sha256 IS NOT "
	                                 "NULL ORDER BY id DESC LIMIT 1",
	                                 err);
	if (!s)
		return MCT_ERR_DB;
	mct_bind_text(s, 1, url);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return MCT_OK;
	if (rc != SQLITE_ROW)
		return mct_store_fail(st, err, "reading the last capture");
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	const char *v;
	snprintf(etag, sizeof etag, "%s", (v = (const char *)sqlite3_column_text(s, 1)) ? v : "");
	snprintf(lm, sizeof lm, "%s", (v = (const char *)sqlite3_column_text(s, 2)) ? v : "");
	snprintf(out->sha256, sizeof out->sha256, "%s",
	         (v = (const char *)sqlite3_column_text(s, 3)) ? v : "");
	snprintf(ctype, sizeof ctype, "%s", (v = (const char *)sqlite3_column_text(s, 4)) ? v : "");
	snprintf(ttype, sizeof ttype, "%s", (v = (const char *)sqlite3_column_text(s, 5)) ? v : "");
	out->etag = etag[0] ? etag : NULL;
	out->last_modified = lm[0] ? lm : NULL;
	out->content_type = ctype[0] ? ctype : NULL;
	out->text_type = ttype[0] ? ttype : NULL;
	out->url = url;
	*found = 1;
	sqlite3_reset(s);
	return MCT_OK;
}

static mct_status get_blob(mct_store *st, const char *sql, const char *sha, mct_buf *out,
                           mct_err *err)
{
	sqlite3_stmt *s = mct_store_stmt(st, sql, err);
	if (!s)
		return MCT_ERR_DB;
	sqlite3_bind_text(s, 1, sha, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return mct_fail(err, MCT_ERR_DB, "%s: nothing stored for sha256 %s",
		                mct_store_path(st), sha);
	if (rc != SQLITE_ROW)
		return mct_store_fail(st, err, "reading a stored blob");
	mct_status r = mct_store_unpack(
	    (const char *)sqlite3_column_text(s, 0), sqlite3_column_blob(s, 1),
	    (size_t)sqlite3_column_bytes(s, 1), (size_t)sqlite3_column_int64(s, 2), out, err);
	sqlite3_reset(s);
	return r;
}

mct_status mct_store_body(mct_store *st, const char *sha256, mct_buf *out, mct_err *err)
{
	return get_blob(st, "SELECT codec, data, size FROM bodies WHERE sha256 = ?1", sha256, out,
	                err);
}

mct_status mct_store_text(mct_store *st, const char *sha256, mct_buf *out, mct_err *err)
{
	return get_blob(st, "SELECT codec, data, size FROM texts WHERE sha256 = ?1", sha256, out,
	                err);
}
