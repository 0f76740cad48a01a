/*
 * extract/extract.c - apply the rules to stored texts and keep the evidence
 * up to date.
 *
 * For each URL only its latest stored text matters.  When that text and the
 * rule set are the ones of its last extraction, nothing is matched again:
 * the evidence is only marked as seen.  Otherwise the rules run over the
 * text, every match is upserted (same evidence keeps its id and reviews),
 * and what was not found again is retired (gone, or superseded when its rule
 * changed).  Texts are written in batches of BATCH_TEXTS, one transaction
 * each: an interrupted or failed extract leaves every URL either fully old
 * or fully new, and a night of thousands of texts costs a few dozen commits
 * (each one a write of the touched pages to the WAL) instead of one per
 * text.  An interrupt commits the texts done so far.  A batch is also
 * committed once it has been open BATCH_SECONDS: it holds SQLite's write
 * lock, and a review, which writes without the run lock, waits at most
 * five seconds for it.
 *
 * The pending list is read into memory before any write: the loop writes to
 * the tables the listing query reads.
 */
#include "extract.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../crawler/crawler.h"

/* Texts per transaction, and the longest a transaction stays open. */
#define BATCH_TEXTS   200
#define BATCH_SECONDS 1.0

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

mct_status mct_extract_fingerprint(const char *rules_dir, char out[65], mct_err *err)
{
	DIR *d = opendir(rules_dir);
	if (!d)
		return mct_fail(err, MCT_ERR_CONFIG, "%s: cannot open the rules folder", rules_dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 6 && !strcmp(de->d_name + len - 6, ".rules")) {
			names = mct_xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = mct_xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, MCT_TEXT_EXTRACTOR_VERSION, strlen(MCT_TEXT_EXTRACTOR_VERSION));
	mct_buf b;
	mct_buf_init(&b);
	mct_status rc = MCT_OK;
	for (size_t i = 0; i < n; i++) {
		char *path = mct_xasprintf("%s/%s", rules_dir, names[i]);
		if (!rc)
			rc = mct_read_file(path, 0, &b, err);
		if (!rc) {
			EVP_DigestUpdate(md, names[i], strlen(names[i]) + 1);
			EVP_DigestUpdate(md, b.data, b.len);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	mct_buf_free(&b);
	unsigned char digest[32];
	unsigned int dlen = 0;
	EVP_DigestFinal_ex(md, digest, &dlen);
	EVP_MD_CTX_free(md);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	return rc;
}

typedef struct {
	mct_store_pending *items;
	size_t n;
} pending_list;

static mct_status collect(void *ctx, const mct_store_pending *p, mct_err *err)
{
	(void)err;
	pending_list *l = ctx;
	l->items = mct_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
	mct_store_pending *q = &l->items[l->n++];
	*q = *p;
	q->url = mct_xstrdup(p->url);
	q->source_id = mct_xstrdup(p->source_id);
	q->country = mct_xstrdup(p->country);
	q->sha256 = mct_xstrdup(p->sha256);
	q->fetched_at = mct_xstrdup(p->fetched_at);
	return MCT_OK;
}

static void pending_free(pending_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->items[i].url);
		free((char *)l->items[i].source_id);
		free((char *)l->items[i].country);
		free((char *)l->items[i].sha256);
		free((char *)l->items[i].fetched_at);
	}
	free(l->items);
}

static mct_status save_rules(const mct_ruleset *rs, mct_store *st, mct_err *err)
{
	mct_status rc = mct_store_begin(st, err);
	if (rc)
		return rc;
	rc = mct_store_rules_begin(st, err);
	for (size_t i = 0; !rc && i < mct_rules_count(rs); i++) {
		const mct_rule_info *r = mct_rules_get(rs, i);
		mct_store_rule sr = {r->id,        r->version, mct_dimension_ids[r->dimension],
		                     r->indicator, r->weight,  r->definition,
		                     r->file,      r->line};
		rc = mct_store_rule_put(st, &sr, err);
	}
	if (!rc)
		rc = mct_store_commit(st, err);
	if (rc)
		mct_store_rollback(st);
	return rc;
}

/* Apply the rules to one text and write its evidence (in the caller's
 * transaction). */
static mct_status extract_one(const mct_ruleset *rs, mct_store *st, int64_t run_id,
                              const char *ruleset, const mct_store_pending *p, mct_buf *text,
                              mct_extract_stats *stats, mct_err *err)
{
	mct_status rc = mct_store_text(st, p->sha256, text, err);
	if (rc)
		return rc;
	mct_matches m;
	memset(&m, 0, sizeof m);
	rc = mct_rules_apply(rs, text->data, text->len, p->country, &m, err);
	if (rc) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		mct_matches_free(&m);
		return mct_fail(err, rc, "%s: %s", p->url, msg);
	}
	stats->texts_extracted++;
	stats->bytes += text->len;
	stats->limits_hit += m.limits_hit;
	for (size_t i = 0; !rc && i < m.n; i++) {
		const mct_match *x = &m.items[i];
		mct_store_evidence e = {
		    .capture_id = p->capture_id,
		    .run_id = run_id,
		    .source_id = p->source_id,
		    .url = p->url,
		    .seen_at = p->fetched_at,
		    .rule_id = x->rule->id,
		    .rule_version = x->rule->version,
		    .country = x->country,
		    .dimension = mct_dimension_ids[x->rule->dimension],
		    .indicator = x->rule->indicator,
		    .negative = x->negative,
		    .weight = x->rule->weight,
		    .match = x->match,
		    .snippet = x->snippet,
		    .sentence_key = x->sentence_key,
		    .offset_start = x->match_start,
		    .offset_end = x->match_end,
		    .page = x->page,
		};
		int is_new = 0;
		rc = mct_store_evidence_put(st, &e, NULL, &is_new, err);
		if (is_new)
			stats->evidence_new++;
		else
			stats->evidence_seen++;
	}
	if (!rc)
		rc = mct_store_evidence_retire(st, p->url, run_id, &stats->evidence_gone,
		                               &stats->evidence_superseded, err);
	if (!rc)
		rc = mct_store_extraction_put(st, p->url, p->capture_id, p->sha256, ruleset, run_id,
		                              m.n, m.limits_hit, m.limit_note, err);
	mct_matches_free(&m);
	return rc;
}

static mct_status seen_again(mct_store *st, int64_t run_id, const mct_store_pending *p,
                             mct_extract_stats *stats, mct_err *err)
{
	stats->texts_unchanged++;
	return mct_store_evidence_seen(st, p->url, p->capture_id, p->fetched_at, run_id,
	                               &stats->evidence_seen, err);
}

mct_status mct_extract(const char *rules_dir, const mct_ruleset *rs, mct_store *st, int64_t run_id,
                       int all, volatile sig_atomic_t *stop, FILE *progress,
                       mct_extract_stats *stats, mct_err *err)
{
	memset(stats, 0, sizeof *stats);
	char ruleset[65];
	mct_status rc = mct_extract_fingerprint(rules_dir, ruleset, err);
	if (rc)
		return rc;
	if ((rc = save_rules(rs, st, err)))
		return rc;
	pending_list list = {0};
	if ((rc = mct_store_pending_each(st, ruleset, all, collect, &list, err))) {
		pending_free(&list);
		return rc;
	}
	mct_buf text;
	mct_buf_init(&text);
	size_t in_batch = 0;
	double batch_start = 0;
	for (size_t i = 0; !rc && i < list.n; i++) {
		if (stop && *stop) {
			rc = mct_fail(err, MCT_ERR_INTERRUPTED, "extraction interrupted");
			break;
		}
		if (in_batch == 0) {
			if ((rc = mct_store_begin(st, err)))
				break;
			batch_start = seconds_now();
		}
		in_batch++;
		const mct_store_pending *p = &list.items[i];
		stats->texts++;
		size_t before = stats->evidence_new;
		rc = p->needs_rules ? extract_one(rs, st, run_id, ruleset, p, &text, stats, err)
		                    : seen_again(st, run_id, p, stats, err);
		if (!rc && progress && p->needs_rules)
			fprintf(progress, "extract  %s  %zu new evidence\n", p->url,
			        stats->evidence_new - before);
		if (!rc &&
		    (in_batch == BATCH_TEXTS || seconds_now() - batch_start >= BATCH_SECONDS)) {
			rc = mct_store_commit(st, err);
			in_batch = rc ? in_batch : 0;
		}
	}
	/* The batch under way: kept when interrupted between two texts, dropped
	 * on an error. */
	if (in_batch && rc == MCT_ERR_INTERRUPTED) {
		mct_err cerr = {0};
		if (mct_store_commit(st, &cerr)) {
			mct_store_rollback(st);
			*err = cerr;
			rc = cerr.code;
		}
	} else if (in_batch && !rc) {
		rc = mct_store_commit(st, err);
		if (rc)
			mct_store_rollback(st);
	} else if (in_batch) {
		mct_store_rollback(st);
	}
	mct_buf_free(&text);
	pending_free(&list);
	return rc;
}
