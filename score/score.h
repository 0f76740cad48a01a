/*
 * score/score.h - the scorer's contract.
 *
 * The scorer turns the store's active evidence into one dated reading per
 * country: indicator scores, four dimension scores and a temperature (all
 * 0-100), a band, and a statement of confidence (sources read, evidence
 * counts).  The method is docs/method.md; its version is MCT_METHOD_VERSION
 * and is stored in every reading, so a reading can always be told apart
 * from one made by a different method.
 *
 * Every reading is explainable down to the sentence: it records what each
 * piece of evidence was worth (its strength, what it added to its
 * indicator, and how many degrees of the temperature it accounts for; the
 * degrees of a reading's evidence add up to its temperature).  `explain`
 * reads that back (mct_score_load) and `diff` compares two readings
 * (mct_score_diff).
 *
 * The computation itself (mct_score_compute) is a pure function of the
 * configuration, the evidence and the date, with inputs sorted before any
 * sum: the same evidence scored with the same method gives identical
 * numbers.
 */
#ifndef MCT_SCORE_H
#define MCT_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/mct.h"
#include "../config/config.h"
#include "../store/store.h"

/* Version of the method (docs/method.md); stored in every reading. */
#define MCT_METHOD_VERSION "2026.1"
/* The k-th strongest distinct piece of evidence of an indicator counts
 * MCT_SCORE_RANK_DISCOUNT^(k-1) of its strength (docs/method.md, "Many
 * mentions, one decree").  Part of the method, not of the configuration. */
#define MCT_SCORE_RANK_DISCOUNT 0.75

typedef enum {
	MCT_REVIEW_PENDING = 0, /* no verdict yet */
	MCT_REVIEW_CONFIRMED,
	MCT_REVIEW_REJECTED
} mct_review;

const char *mct_review_name(mct_review r);
/* "pending", "confirmed" or "rejected"; -1 for anything else. */
int mct_review_parse(const char *s);

/* One piece of evidence as the method sees it (the input), and what it was
 * worth in a reading (the output).  Strings are owned (NULL when unknown). */
typedef struct {
	/* input */
	int64_t id;
	int indicator; /* index into mct_indicators */
	mct_source_kind kind;
	int negative;
	double weight; /* of the rule that found it */
	char *sentence_key;
	long first_seen; /* day number (mct_parse_date); -1 = unknown, no decay */
	mct_review review;
	/* output */
	double strength;     /* weight x authority x review factor x age decay */
	double contribution; /* what it adds to its indicator's strength sum */
	double degrees;      /* what it adds to the temperature */
	int rank;            /* 1 = strongest distinct evidence of its indicator; 0 = not counted */
	int64_t duplicate_of; /* a copy of the same sentence counted instead (0 = none) */
	int64_t silenced_by;  /* a rejected copy of the same sentence (0 = none) */
	/* provenance, filled by mct_score_load only */
	char *snippet;
	char *url;
	char *source_id;
	char *rule_id;
	char *state; /* the evidence's state now: active, gone, superseded */
	int page;
} mct_score_part;

typedef struct {
	double score;   /* 0-100 */
	double sum;     /* strength sum of its distinct evidence, rank-discounted */
	double weight;  /* configured weight within its dimension */
	double degrees; /* what it adds to the temperature */
	int counted;    /* distinct positive evidence that counted */
	int negative;   /* negative evidence (gaps) not rejected */
} mct_score_indicator;

typedef struct {
	mct_store_reading row;           /* the stored figures (row.detail unused) */
	double dimension_weight[4];      /* configured */
	double dimension_share[4];       /* weight / sum of weights */
	mct_score_indicator *indicators; /* mct_indicator_count, catalogue order */
	mct_score_part *parts;           /* by indicator, counted by rank, others, gaps */
	size_t nparts;
	/* the previous reading (set by mct_score and mct_score_load) */
	int has_previous;
	char previous_date[11];
	double previous_temperature;
	char previous_band[16];
	size_t appeared; /* evidence (not rejected) absent from the previous reading */
} mct_score_reading;

void mct_score_reading_free(mct_score_reading *r);

/* The band of a temperature (DOMAIN.md): frozen, cold, warm, hot, boiling;
 * "unknown" instead of "frozen" when the reading is low-confidence. */
const char *mct_score_band(double temperature, int low_confidence);

/* Strength of one piece of evidence on day `date` (day number): rule weight x
 * source-kind authority x review factor x age decay. */
double mct_score_strength(const mct_score_config *cfg, const mct_score_part *e, long date);

/* Score one country on date ("YYYY-MM-DD") from its evidence items (input
 * fields only; their order does not matter) and its source coverage.  Fills
 * out (free with mct_score_reading_free); items are copied. */
mct_status mct_score_compute(const mct_score_config *cfg, const char *country, const char *date,
                             const mct_score_part *items, size_t n, int sources_ok,
                             int sources_total, mct_score_reading *out, mct_err *err);

/* Readings of one scoring, one per country, ordered by country. */
typedef struct {
	mct_score_reading *readings;
	size_t n;
} mct_score_results;

void mct_score_results_free(mct_score_results *res);

/* Score every country on date ("YYYY-MM-DD"): every country with a
 * configured source, EU level apart, and every other country that has active
 * evidence (with 0 sources, hence low-confidence).  Stores the readings, their
 * detail and their reading_evidence rows in one transaction, replacing
 * readings of the same date; run_id (0 = none) is recorded with them.  When
 * out is not NULL it receives the readings with their previous reading
 * (has_previous, previous_temperature ...) and `appeared`. */
mct_status mct_score(const mct_config *cfg, mct_store *st, const char *date, int64_t run_id,
                     mct_score_results *out, mct_err *err);

/* For `run -q`: 1 when a reading is worth reporting: its temperature moved
 * by more than cfg->quiet_threshold since the previous reading, or evidence
 * appeared (a first reading with evidence counts as appeared). */
int mct_score_noteworthy(const mct_score_config *cfg, const mct_score_reading *r);

/* Read a stored reading back with its explanation: the reading of country on
 * date (NULL = its latest), every indicator, and every piece of evidence with
 * its provenance; also its previous reading.  found = 0 when there is no
 * such reading. */
mct_status mct_score_load(mct_store *st, const char *country, const char *date,
                          mct_score_reading *out, int *found, mct_err *err);

/* ---- comparing two readings ------------------------------------------------ */

typedef enum {
	MCT_CHANGE_APPEARED = 0, /* in the later reading only */
	MCT_CHANGE_DISAPPEARED,  /* in the earlier reading only */
	MCT_CHANGE_REVIEWED      /* in both, with a different review status */
} mct_change_kind;

typedef struct {
	mct_change_kind kind;
	const mct_score_part *before; /* NULL when appeared */
	const mct_score_part *after;  /* NULL when disappeared */
	double degrees;               /* its degrees after minus before */
} mct_score_change;

typedef struct {
	mct_score_change *changes; /* appeared, disappeared, reviewed; each by |degrees| desc, id */
	size_t n;
	double total;  /* temperature after minus before */
	double listed; /* sum of the changes' degrees */
	double other; /* total - listed: age decay and re-ranking of evidence that did not change */
} mct_score_diff;

/* Compare reading a (earlier) with b (later); the changes point into a's and
 * b's parts. */
void mct_score_diff_compute(const mct_score_reading *a, const mct_score_reading *b,
                            mct_score_diff *out);
void mct_score_diff_free(mct_score_diff *d);

#endif
