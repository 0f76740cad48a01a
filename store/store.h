/*
 * store/store.h - the store component's contract.
 *
 * Everything mcthermo knows lives in one SQLite file: runs, sources,
 * captures (every fetch, with its compressed and de-duplicated body and
 * extracted text), rules, evidence, reviews and readings.  The store owns the
 * schema and its migrations (PRAGMA user_version), opens the file in WAL mode
 * with foreign keys on, and wraps each unit of work in a transaction so that
 * a killed process leaves a consistent database.
 *
 * Writers take the run lock (an flock on "<db>.lock") so that one run at a
 * time writes a database; readers never need it (WAL lets them read while a
 * run writes).
 *
 * Components talk to the store through the typed functions below.  The raw
 * handle (mct_store_db) is for read-only listing queries in commands and
 * reports; writes go through this header.
 */
#ifndef MCT_STORE_H
#define MCT_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/mct.h"

#define MCT_SCHEMA_VERSION 1

typedef struct mct_store mct_store;

typedef enum {
	MCT_STORE_READONLY = 0, /* the file must exist; never written */
	MCT_STORE_READWRITE     /* created and migrated when needed */
} mct_store_mode;

/* Open (and in READWRITE mode create and migrate) the database at path.
 * Fails with a clear message for a missing file (READONLY), a file that is
 * not a database, a schema newer than this program, a read-only file or
 * folder in READWRITE mode. */
mct_status mct_store_open(const char *path, mct_store_mode mode, mct_store **out, mct_err *err);
void mct_store_close(mct_store *st);
sqlite3 *mct_store_db(mct_store *st);
const char *mct_store_path(const mct_store *st);
/* The schema version found in the file (after migration). */
int mct_store_schema_version(mct_store *st);

/* Take the run lock; MCT_ERR_BUSY "another mcthermo run is using DB (pid N)"
 * when held.  Released by mct_store_close. */
mct_status mct_store_lock(mct_store *st, mct_err *err);

/* Transactions.  begin/commit return MCT_ERR_DB with the SQLite message. */
mct_status mct_store_begin(mct_store *st, mct_err *err);
mct_status mct_store_commit(mct_store *st, mct_err *err);
void mct_store_rollback(mct_store *st);

/* Run a statement with no result rows (used by the store's own modules and
 * tests); the message names the statement's purpose. */
mct_status mct_store_exec(mct_store *st, const char *sql, mct_err *err);
/* A prepared statement cached for the store's lifetime (reset before being
 * returned).  NULL with err set when it does not compile. */
sqlite3_stmt *mct_store_stmt(mct_store *st, const char *sql, mct_err *err);
/* Fill err from the connection's last error, prefixed with `what`. */
mct_status mct_store_fail(mct_store *st, mct_err *err, const char *what);

/* ---- runs ---------------------------------------------------------------- */

typedef enum {
	MCT_RUN_RUNNING = 0,
	MCT_RUN_OK,          /* finished, every source fetched */
	MCT_RUN_PARTIAL,     /* finished, some sources failed */
	MCT_RUN_INTERRUPTED, /* SIGINT/SIGTERM */
	MCT_RUN_FAILED       /* stopped by an error */
} mct_run_status;

const char *mct_run_status_name(mct_run_status s);

/* Record the start of a run of `command` ("run", "crawl", "extract", "score");
 * any run left "running" by a killed process is marked interrupted first. */
mct_status mct_store_run_start(mct_store *st, const char *command, int64_t *run_id, mct_err *err);
mct_status mct_store_run_finish(mct_store *st, int64_t run_id, mct_run_status status,
                                const char *summary, mct_err *err);

/* ---- sources -------------------------------------------------------------- */

typedef struct {
	const char *id;
	const char *country;
	const char *kind;
	const char *url;
	const char *lang;
	int enabled;
} mct_store_source;

/* Insert or update a configured source (sources are never deleted: their
 * captures and evidence refer to them). */
mct_status mct_store_source_put(mct_store *st, const mct_store_source *src, mct_err *err);
/* Record the outcome of a source's fetch in this run: status is "ok",
 * "unchanged", "failed" or "skipped"; error is a sentence or NULL. */
mct_status mct_store_source_status(mct_store *st, const char *source_id, int64_t run_id,
                                   const char *fetched_at, const char *status, const char *error,
                                   mct_err *err);

/* ---- captures --------------------------------------------------------------- */

typedef enum {
	MCT_CAPTURE_NEW = 0,   /* first body seen for this URL */
	MCT_CAPTURE_CHANGED,   /* a body different from the last one */
	MCT_CAPTURE_UNCHANGED, /* 304, or same sha256 as the last body */
	MCT_CAPTURE_FAILED,    /* transfer or HTTP error: error says why */
	MCT_CAPTURE_SKIPPED    /* robots.txt, unsupported type, too large ... */
} mct_capture_outcome;

const char *mct_capture_outcome_name(mct_capture_outcome o);

typedef struct {
	int64_t id;
	int64_t run_id;
	const char *source_id;
	const char *url;       /* the URL asked for */
	const char *final_url; /* after redirects; NULL = same */
	int depth;
	int http_status; /* 0 when no HTTP answer */
	const char *content_type;
	const char *etag;
	const char *last_modified;
	const char *fetched_at; /* UTC, "YYYY-MM-DDTHH:MM:SSZ" */
	mct_capture_outcome outcome;
	const char *error;     /* a sentence, or NULL */
	char sha256[65];       /* of the body ("" = none, or computed by capture_add) */
	const char *text_type; /* "html", "pdf", "txt", or NULL */
	const char *charset;
	int pages;
	const char *title;
	const char *extractor; /* version of the text extractor */
	double elapsed_s;
} mct_capture;

/* The latest capture with a body for url (for conditional requests); returns
 * MCT_OK with found=0 when none.  Strings in *out stay valid until the next
 * call of this function. */
mct_status mct_store_capture_last(mct_store *st, const char *url, mct_capture *out, int *found,
                                  mct_err *err);
/* Store a capture.  body/text may be NULL (failed, skipped, unchanged: an
 * unchanged capture refers to the previous body by sha256).  Bodies and texts
 * are stored once per sha256, zstd-compressed. Sets c->id. */
mct_status mct_store_capture_add(mct_store *st, mct_capture *c, const void *body, size_t body_len,
                                 const char *text, size_t text_len, mct_err *err);
/* The body / text of a stored sha256 (decompressed, NUL-terminated). */
mct_status mct_store_body(mct_store *st, const char *sha256, mct_buf *out, mct_err *err);
mct_status mct_store_text(mct_store *st, const char *sha256, mct_buf *out, mct_err *err);

/* ---- rules and evidence ---------------------------------------------------- */

/* Record a loaded rule version (kept forever: evidence refers to it). */
typedef struct {
	const char *id;
	const char *version;
	const char *dimension;
	const char *indicator;
	double weight;
	const char *definition;
	const char *file;
	int line;
} mct_store_rule;

/* Mark every stored rule version not current, then (per rule) put and mark
 * current.  Call begin_rules, then rule_put for each loaded rule, in one
 * transaction. */
mct_status mct_store_rules_begin(mct_store *st, mct_err *err);
mct_status mct_store_rule_put(mct_store *st, const mct_store_rule *r, mct_err *err);

/* A captured text waiting for extraction. */
typedef struct {
	int64_t capture_id;
	const char *url;
	const char *source_id;
	const char *country; /* the source's country */
	const char *sha256;
	const char *fetched_at;
	int needs_rules; /* 0: same body and rule set as last time, only seen again */
} mct_store_pending;

/* Call fn for the latest capture with text of every URL (the newest capture
 * with a stored text), telling whether it needs the rules applied (new body
 * or a different rule set than its last extraction; all = 1 forces it).
 * fn returns MCT_OK to go on. */
typedef mct_status (*mct_store_pending_fn)(void *ctx, const mct_store_pending *p, mct_err *err);
mct_status mct_store_pending_each(mct_store *st, const char *ruleset, int all,
                                  mct_store_pending_fn fn, void *ctx, mct_err *err);

typedef struct {
	int64_t capture_id;
	int64_t run_id;
	const char *source_id;
	const char *url;
	const char *seen_at; /* the capture's fetched_at */
	const char *rule_id;
	const char *rule_version;
	const char *country;
	const char *dimension;
	const char *indicator;
	int negative;
	double weight;
	const char *match;
	const char *snippet;
	const char *sentence_key;
	size_t offset_start, offset_end;
	int page;
} mct_store_evidence;

/* Insert evidence, or, when the same evidence (URL, country, indicator, sign,
 * sentence) is already known, update its provenance and last_seen and make it
 * active again (its reviews stay with it).  *is_new tells which. */
mct_status mct_store_evidence_put(mct_store *st, const mct_store_evidence *e, int64_t *id,
                                  int *is_new, mct_err *err);
/* After a URL's text was (re-)extracted in run_id: its active evidence not
 * found again becomes 'superseded' when its rule version is no longer current,
 * else 'gone'.  Counts in *gone / *superseded. */
mct_status mct_store_evidence_retire(mct_store *st, const char *url, int64_t run_id, size_t *gone,
                                     size_t *superseded, mct_err *err);
/* The URL was fetched again (capture_id) with the same body and rule set:
 * its active evidence is seen again, and its extraction refers to the new
 * capture. */
mct_status mct_store_evidence_seen(mct_store *st, const char *url, int64_t capture_id,
                                   const char *seen_at, int64_t run_id, size_t *n, mct_err *err);
/* Remember that url's capture was extracted with ruleset. */
mct_status mct_store_extraction_put(mct_store *st, const char *url, int64_t capture_id,
                                    const char *sha256, const char *ruleset, int64_t run_id,
                                    size_t evidence_count, size_t limits_hit, const char *note,
                                    mct_err *err);

/* ---- reviews ---------------------------------------------------------------- */

typedef enum { MCT_VERDICT_CONFIRMED = 0, MCT_VERDICT_REJECTED } mct_verdict;

const char *mct_verdict_name(mct_verdict v); /* "confirmed", "rejected" */
/* Parse confirm/confirmed/c/reject/rejected/r (any case); -1 when unknown. */
int mct_verdict_parse(const char *s);

/* Append a review to the evidence's history (never overwrites).  Fails with
 * "no evidence with id N" for an unknown id.  at = NULL means now. */
mct_status mct_store_review_add(mct_store *st, int64_t evidence_id, mct_verdict verdict,
                                const char *by, const char *note, const char *at, mct_err *err);

/* Review status of evidence: latest verdict, "pending" when none. */
#define MCT_EVIDENCE_STATUS_SQL                                                                    \
	"COALESCE((SELECT r.verdict FROM reviews r WHERE r.evidence_id = evidence.id ORDER BY "    \
	"r.id DESC LIMIT 1), 'pending')"

/* ---- readings ----------------------------------------------------------------- */

/* A dated reading of one country, as stored in the readings table.  The
 * numbers are the scorer's (score/score.h, docs/method.md); the store only
 * keeps them.  Dimensions are in the order of mct_dimension_ids (policy,
 * ecosystem, infra, usage). */
typedef struct {
	int64_t id;
	int64_t run_id; /* 0 when none */
	char country[3];
	char date[11]; /* "YYYY-MM-DD" */
	double temperature;
	char band[16];
	double dimension[4];
	int evidence_count; /* active evidence not rejected, positive and negative */
	int evidence_confirmed;
	int evidence_pending;
	int evidence_negative;
	int sources_ok;
	int sources_total;
	int low_confidence;
	char method_version[32];
	char *detail; /* the scorer's JSON; loaded only by mct_store_reading_get
	               * (free with mct_store_reading_clear), NULL in listings */
} mct_store_reading;

/* Store r as the reading of (r->country, r->date), replacing any reading of
 * that country and date together with its reading_evidence rows.  Sets r->id.
 * Call inside a transaction. */
mct_status mct_store_reading_replace(mct_store *st, mct_store_reading *r, mct_err *err);
/* What one piece of evidence was worth in a reading: its strength and the
 * review status it had then ("confirmed", "pending", "rejected"). */
mct_status mct_store_reading_evidence_add(mct_store *st, int64_t reading_id, int64_t evidence_id,
                                          const char *indicator, double strength,
                                          const char *status, mct_err *err);
/* The reading of country on date, or its latest when date is NULL; found = 0
 * when there is none.  Loads detail. */
mct_status mct_store_reading_get(mct_store *st, const char *country, const char *date,
                                 mct_store_reading *out, int *found, mct_err *err);
/* The latest reading of country dated strictly before date; found = 0 when
 * none.  Loads detail. */
mct_status mct_store_reading_before(mct_store *st, const char *country, const char *date,
                                    mct_store_reading *out, int *found, mct_err *err);
void mct_store_reading_clear(mct_store_reading *r);

/* Call fn for readings: every reading of country (NULL = every country),
 * ordered by country then date; with latest_only, only the latest reading of
 * each country.  detail is NULL.  fn returns MCT_OK to go on. */
typedef mct_status (*mct_store_reading_fn)(void *ctx, const mct_store_reading *r, mct_err *err);
mct_status mct_store_readings_each(mct_store *st, const char *country, int latest_only,
                                   mct_store_reading_fn fn, void *ctx, mct_err *err);

/* How many pieces of evidence of reading_id (not rejected) were absent from
 * reading prev_id (0: no previous reading, every one counts). */
mct_status mct_store_reading_new_evidence(mct_store *st, int64_t reading_id, int64_t prev_id,
                                          size_t *n, mct_err *err);

/* A piece of active evidence as the scorer needs it: the kind of its source,
 * its latest review verdict, when it was first seen. */
typedef struct {
	int64_t id;
	const char *country;
	const char *indicator;
	const char *source_kind;
	int negative;
	double weight; /* of the rule that found it */
	const char *sentence_key;
	const char *first_seen;
	const char *status; /* "confirmed", "rejected" or "pending" (no review) */
} mct_store_scored_evidence;

/* Call fn for every active evidence item, ordered by country, indicator and
 * id.  Strings are valid during the call only. */
typedef mct_status (*mct_store_scored_evidence_fn)(void *ctx, const mct_store_scored_evidence *e,
                                                   mct_err *err);
mct_status mct_store_evidence_for_score(mct_store *st, mct_store_scored_evidence_fn fn, void *ctx,
                                        mct_err *err);

/* The evidence rows of a reading with the provenance `explain` and `diff`
 * show.  Strings are valid during the call only; state is the evidence's
 * state now ("active", "gone", "superseded"). */
typedef struct {
	int64_t evidence_id;
	const char *indicator;
	double strength;
	const char *status; /* in the reading */
	int negative;
	double weight;
	const char *sentence_key;
	const char *first_seen;
	const char *snippet;
	const char *url;
	const char *source_id;
	const char *source_kind;
	const char *rule_id;
	const char *state;
	int page; /* 0 when unknown */
} mct_store_reading_evidence;

typedef mct_status (*mct_store_reading_evidence_fn)(void *ctx, const mct_store_reading_evidence *e,
                                                    mct_err *err);
mct_status mct_store_reading_evidence_each(mct_store *st, int64_t reading_id,
                                           mct_store_reading_evidence_fn fn, void *ctx,
                                           mct_err *err);

/* The status of a source's last fetch ("ok", "unchanged", "failed",
 * "skipped" ...) into out; "" when the source was never fetched or is not in
 * the store. */
mct_status mct_store_source_last_status(mct_store *st, const char *source_id, char out[32],
                                        mct_err *err);
/* 1 when a source's last status means it was read (its latest capture is
 * new, changed or unchanged: "ok", "unchanged", "new", "changed"); this is
 * what a reading's sources_ok counts. */
int mct_store_source_read_ok(const char *last_status);

#endif
