/*
 * score/method.c - the method: from a country's evidence to indicator and
 * dimension scores, a temperature and a band.  docs/method.md is this file
 * in prose; change one, change the other, and bump MCT_METHOD_VERSION.
 *
 * It is a pure function of (configuration, evidence, coverage, date): no
 * store, no clock.  Determinism comes from sorting: evidence is put in one
 * canonical order (indicator, sentence, strength, id) before anything is
 * chosen or summed, and every sum runs in a fixed order, so the same inputs
 * give bit-identical numbers whatever order the store returned them in.
 *
 * Besides the scores, it splits the temperature exactly into the degrees each
 * piece of evidence accounts for (an indicator's score is shared among its
 * counted evidence in proportion to what each added to its strength sum).
 * That split is what lets `explain` and `diff` say how much a sentence
 * matters.  It is an attribution, not a counterfactual: removing a piece of
 * evidence can move the temperature by a little more than its share, since
 * the curve is concave and the next piece moves up a rank.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/rules.h"
#include "score_internal.h"

const char *mct_review_name(mct_review r)
{
	static const char *const n[] = {"pending", "confirmed", "rejected"};
	return (unsigned)r < 3 ? n[r] : "pending";
}

int mct_review_parse(const char *s)
{
	for (int r = 0; r < 3; r++)
		if (s && strcmp(s, mct_review_name((mct_review)r)) == 0)
			return r;
	return -1;
}

const char *mct_score_band(double temperature, int low_confidence)
{
	/* The band is that of the temperature as it is shown, to one decimal:
	 * 19.96 shows as 20.0 and is cold, not frozen. */
	double t = round(temperature * 10) / 10;
	if (t < 20)
		return low_confidence ? "unknown" : "frozen";
	if (t < 40)
		return "cold";
	if (t < 60)
		return "warm";
	if (t < 80)
		return "hot";
	return "boiling";
}

static double review_factor(const mct_score_config *cfg, mct_review r)
{
	switch (r) {
	case MCT_REVIEW_CONFIRMED:
		return 1.0;
	case MCT_REVIEW_REJECTED:
		return 0.0;
	default:
		return cfg->pending_share;
	}
}

static double age_decay(const mct_score_config *cfg, long first_seen, long date)
{
	if (cfg->half_life_days <= 0 || first_seen < 0 || date <= first_seen)
		return 1.0;
	return exp2(-(double)(date - first_seen) / cfg->half_life_days);
}

double mct_score_strength(const mct_score_config *cfg, const mct_score_part *e, long date)
{
	double authority = (unsigned)e->kind < MCT_KIND_COUNT ? cfg->kind_authority[e->kind] : 0;
	return e->weight * authority * review_factor(cfg, e->review) *
	       age_decay(cfg, e->first_seen, date);
}

static double indicator_weight(const mct_score_config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->n_indicator_weights; i++)
		if (strcmp(cfg->indicator_weights[i].indicator, id) == 0)
			return cfg->indicator_weights[i].weight;
	return 1.0;
}

mct_score_part *mct_score_parts_push(mct_score_part **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = mct_xrealloc(*v, *cap * sizeof **v);
	}
	mct_score_part *p = &(*v)[(*n)++];
	memset(p, 0, sizeof *p);
	return p;
}

int mct_score_part_set(mct_score_part *p, int64_t id, const char *indicator, const char *kind,
                       int negative, double weight, const char *sentence_key,
                       const char *first_seen, const char *status)
{
	int k = mct_kind_parse(kind), review = mct_review_parse(status);
	p->id = id;
	p->indicator = mct_indicator_find(indicator);
	p->kind = k < 0 ? MCT_KIND_COUNT : (mct_source_kind)k;
	p->negative = negative ? 1 : 0;
	p->weight = weight;
	free(p->sentence_key);
	p->sentence_key = mct_xstrdup(sentence_key ? sentence_key : "");
	if (mct_parse_date(first_seen, &p->first_seen) != 0)
		p->first_seen = -1;
	p->review = review < 0 ? MCT_REVIEW_PENDING : (mct_review)review;
	return p->indicator < 0 || k < 0 || review < 0 ? -1 : 0;
}

void mct_score_part_clear(mct_score_part *p)
{
	free(p->sentence_key);
	free(p->snippet);
	free(p->url);
	free(p->source_id);
	free(p->rule_id);
	free(p->state);
	p->sentence_key = p->snippet = p->url = p->source_id = p->rule_id = p->state = NULL;
}

void mct_score_reading_free(mct_score_reading *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nparts; i++)
		mct_score_part_clear(&r->parts[i]);
	free(r->parts);
	free(r->indicators);
	mct_store_reading_clear(&r->row);
	memset(r, 0, sizeof *r);
}

static int cmp_int64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_double_desc(double a, double b)
{
	return a > b ? -1 : a < b;
}

/* Grouping order: copies of one sentence of one indicator and sign are
 * adjacent, strongest first. */
static int cmp_group(const void *x, const void *y)
{
	const mct_score_part *a = x, *b = y;
	int c;
	if ((c = a->indicator - b->indicator) || (c = a->negative - b->negative))
		return c;
	if ((c = strcmp(a->sentence_key ? a->sentence_key : "",
	                b->sentence_key ? b->sentence_key : "")))
		return c;
	if ((c = cmp_double_desc(a->strength, b->strength)))
		return c;
	return cmp_int64(a->id, b->id);
}

static int part_class(const mct_score_part *p)
{
	return p->negative ? 2 : p->rank ? 0 : 1;
}

static int cmp_reading(const void *x, const void *y)
{
	const mct_score_part *a = x, *b = y;
	int c;
	if ((c = a->indicator - b->indicator) || (c = part_class(a) - part_class(b)) ||
	    (c = a->rank - b->rank))
		return c;
	return cmp_int64(a->id, b->id);
}

void mct_score_sort_parts(mct_score_part *parts, size_t n)
{
	if (n)
		qsort(parts, n, sizeof *parts, cmp_reading);
}

/* Strongest first, ties by id: the order in which counted evidence is ranked. */
static int cmp_rank(const void *x, const void *y)
{
	const mct_score_part *a = *(const mct_score_part *const *)x;
	const mct_score_part *b = *(const mct_score_part *const *)y;
	int c = cmp_double_desc(a->strength, b->strength);
	return c ? c : cmp_int64(a->id, b->id);
}

/* One sentence counts once per indicator and sign.  Among copies [from, to)
 * (strongest first) the strongest copy not rejected stands for them all;
 * but when a reviewer rejected a copy and confirmed none, the sentence is
 * rejected and its unreviewed copies are silenced.  Returns the copy that
 * stands, or NULL. */
static mct_score_part *settle_copies(mct_score_part *from, mct_score_part *to)
{
	int64_t rejected = 0;
	int confirmed = 0;
	for (mct_score_part *p = from; p < to; p++) {
		if (p->review == MCT_REVIEW_REJECTED && (!rejected || p->id < rejected))
			rejected = p->id;
		confirmed |= p->review == MCT_REVIEW_CONFIRMED;
	}
	mct_score_part *stands = NULL;
	for (mct_score_part *p = from; p < to; p++) {
		if (p->review == MCT_REVIEW_REJECTED)
			continue;
		if (rejected && !confirmed)
			p->silenced_by = rejected;
		else if (!stands)
			stands = p;
		else
			p->duplicate_of = stands->id;
	}
	return stands;
}

/* Rank the distinct positive evidence of one indicator and sum it with the
 * rank discount; fills contribution and rank, returns the sum. */
static double rank_and_sum(mct_score_part **cands, size_t n)
{
	if (n)
		qsort(cands, n, sizeof *cands, cmp_rank);
	double sum = 0, factor = 1;
	int rank = 0;
	for (size_t k = 0; k < n; k++) {
		if (cands[k]->strength <= 0)
			continue;
		cands[k]->rank = ++rank;
		cands[k]->contribution = cands[k]->strength * factor;
		sum += cands[k]->contribution;
		factor *= MCT_SCORE_RANK_DISCOUNT;
	}
	return sum;
}

/* Indicator scores from the parts (sorted by cmp_group). */
static void score_indicators(const mct_score_config *cfg, mct_score_reading *r)
{
	mct_score_part **cands = mct_xcalloc(r->nparts + 1, sizeof *cands);
	size_t i = 0;
	while (i < r->nparts) {
		int ind = r->parts[i].indicator;
		mct_score_indicator *si = &r->indicators[ind];
		size_t ncands = 0;
		for (; i < r->nparts && r->parts[i].indicator == ind;) {
			size_t j = i + 1;
			while (j < r->nparts && r->parts[j].indicator == ind &&
			       r->parts[j].negative == r->parts[i].negative &&
			       !strcmp(r->parts[j].sentence_key, r->parts[i].sentence_key))
				j++;
			mct_score_part *stands = settle_copies(&r->parts[i], &r->parts[j]);
			if (stands && stands->negative)
				si->negative++;
			else if (stands)
				cands[ncands++] = stands;
			i = j;
		}
		si->sum = rank_and_sum(cands, ncands);
		for (size_t k = 0; k < ncands; k++)
			si->counted += cands[k]->rank > 0;
		si->score = 100.0 * (1.0 - exp(-si->sum / cfg->saturation));
	}
	free(cands);
	for (size_t k = 0; k < mct_indicator_count; k++)
		r->indicators[k].weight = indicator_weight(cfg, mct_indicators[k].id);
}

/* Dimension scores, the temperature, and the degrees of every indicator and
 * piece of evidence. */
static void score_dimensions(const mct_score_config *cfg, mct_score_reading *r)
{
	double total_weight = 0;
	for (int d = 0; d < MCT_DIMENSIONS; d++)
		total_weight += cfg->dimension_weight[d];
	assert(total_weight > 0); /* the config loader refuses all-zero weights */
	double temperature = 0;
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		double wsum = 0, acc = 0;
		for (size_t k = 0; k < mct_indicator_count; k++)
			if (mct_indicators[k].dimension == d) {
				wsum += r->indicators[k].weight;
				acc += r->indicators[k].weight * r->indicators[k].score;
			}
		r->dimension_weight[d] = cfg->dimension_weight[d];
		r->dimension_share[d] = cfg->dimension_weight[d] / total_weight;
		r->row.dimension[d] = wsum > 0 ? acc / wsum : 0;
		temperature += r->dimension_share[d] * r->row.dimension[d];
		for (size_t k = 0; k < mct_indicator_count; k++)
			if (mct_indicators[k].dimension == d && wsum > 0)
				r->indicators[k].degrees = r->dimension_share[d] *
				                           r->indicators[k].weight / wsum *
				                           r->indicators[k].score;
	}
	r->row.temperature = fmin(100.0, fmax(0.0, temperature));
	for (size_t i = 0; i < r->nparts; i++) {
		mct_score_part *p = &r->parts[i];
		const mct_score_indicator *si = &r->indicators[p->indicator];
		if (p->rank && si->sum > 0)
			p->degrees = si->degrees * p->contribution / si->sum;
	}
}

static void count_evidence(mct_score_reading *r)
{
	for (size_t i = 0; i < r->nparts; i++) {
		const mct_score_part *p = &r->parts[i];
		if (p->review == MCT_REVIEW_REJECTED)
			continue;
		r->row.evidence_count++;
		r->row.evidence_confirmed += p->review == MCT_REVIEW_CONFIRMED;
		r->row.evidence_pending += p->review == MCT_REVIEW_PENDING;
		r->row.evidence_negative += p->negative;
	}
}

mct_status mct_score_compute(const mct_score_config *cfg, const char *country, const char *date,
                             const mct_score_part *items, size_t n, int sources_ok,
                             int sources_total, mct_score_reading *out, mct_err *err)
{
	memset(out, 0, sizeof *out);
	long day;
	if (!date || strlen(date) != 10 || mct_parse_date(date, &day) != 0)
		return mct_fail(err, MCT_ERR_USAGE, "'%s': not a date; use YYYY-MM-DD",
		                date ? date : "");
	snprintf(out->row.country, sizeof out->row.country, "%s", country);
	memcpy(out->row.date, date, 11);
	snprintf(out->row.method_version, sizeof out->row.method_version, "%s", MCT_METHOD_VERSION);
	out->indicators = mct_xcalloc(mct_indicator_count, sizeof *out->indicators);
	out->parts = mct_xcalloc(n + 1, sizeof *out->parts);
	for (size_t i = 0; i < n; i++) {
		const mct_score_part *in = &items[i];
		if (in->indicator < 0 || (size_t)in->indicator >= mct_indicator_count) {
			mct_score_reading_free(out);
			return mct_fail(err, MCT_ERR_INTERNAL,
			                "evidence %lld: indicator index %d out of the catalogue",
			                (long long)in->id, in->indicator);
		}
		mct_score_part *p = &out->parts[out->nparts++];
		p->id = in->id;
		p->indicator = in->indicator;
		p->kind = in->kind;
		p->negative = in->negative ? 1 : 0;
		p->weight = in->weight;
		p->sentence_key = mct_xstrdup(in->sentence_key ? in->sentence_key : "");
		p->first_seen = in->first_seen;
		p->review = in->review;
		p->strength = mct_score_strength(cfg, p, day);
	}
	qsort(out->parts, out->nparts, sizeof *out->parts, cmp_group);
	score_indicators(cfg, out);
	score_dimensions(cfg, out);
	count_evidence(out);
	mct_score_sort_parts(out->parts, out->nparts);
	out->row.sources_ok = sources_ok;
	out->row.sources_total = sources_total;
	out->row.low_confidence =
	    sources_total <= 0 || (double)sources_ok < cfg->low_confidence_ok_share * sources_total;
	snprintf(out->row.band, sizeof out->row.band, "%s",
	         mct_score_band(out->row.temperature, out->row.low_confidence));
	return MCT_OK;
}

int mct_score_noteworthy(const mct_score_config *cfg, const mct_score_reading *r)
{
	if (r->appeared > 0)
		return 1;
	if (!r->has_previous)
		return 0;
	return fabs(r->row.temperature - r->previous_temperature) > cfg->quiet_threshold;
}
