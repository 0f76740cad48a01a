/*
 * score/score.c - scoring every country of a store on one date: read the
 * active evidence and the sources' last status, compute (method.c), and store
 * the readings, their detail and their reading_evidence rows.
 *
 * Which countries: every country with a configured source (EU level apart:
 * EU-level sources feed the countries their sentences are about), plus every
 * country that has active evidence without having a source of its own (an
 * EU report about Hungary).  Such a country has 0 of 0 sources read, so its
 * reading is low-confidence: it is shown, but never as "frozen".
 *
 * Everything is written in one transaction: a run killed half-way leaves the
 * previous readings as they were, never half of a night.  Re-scoring a date
 * replaces that date's readings.
 *
 * The detail JSON is the reading's own explanation (parameters used,
 * dimension and indicator scores, what each piece of evidence added); it is
 * written here and read back by load.c, so a reading can be explained after
 * the configuration changed.  Numbers in it keep ten significant digits so
 * that the degrees of a reading still add up to its temperature.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/rules.h"
#include "score_internal.h"

typedef struct {
	char cc[3];
	mct_score_part *items;
	size_t n, cap;
	int sources_ok, sources_total;
} country_input;

typedef struct {
	country_input *c;
	size_t n, cap;
} inputs;

static country_input *country_get(inputs *in, const char *cc)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->c[i].cc, cc) == 0)
			return &in->c[i];
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 32;
		in->c = mct_xrealloc(in->c, in->cap * sizeof *in->c);
	}
	country_input *c = &in->c[in->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->cc, sizeof c->cc, "%s", cc);
	return c;
}

static void inputs_free(inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		for (size_t k = 0; k < in->c[i].n; k++)
			mct_score_part_clear(&in->c[i].items[k]);
		free(in->c[i].items);
	}
	free(in->c);
}

static int cmp_country(const void *a, const void *b)
{
	return strcmp(((const country_input *)a)->cc, ((const country_input *)b)->cc);
}

/* Evidence that the method cannot place (an indicator no longer in the
 * catalogue, a source kind it does not know, a country outside ISO codes) is
 * left out; `evidence` still lists it. */
static mct_status add_evidence(void *ctx, const mct_store_scored_evidence *e, mct_err *err)
{
	(void)err;
	inputs *in = ctx;
	if (strcmp(e->country, "EU") == 0 || !mct_country_valid(e->country))
		return MCT_OK;
	mct_score_part p = {0};
	if (mct_score_part_set(&p, e->id, e->indicator, e->source_kind, e->negative, e->weight,
	                       e->sentence_key, e->first_seen, e->status) != 0) {
		mct_score_part_clear(&p);
		return MCT_OK;
	}
	country_input *c = country_get(in, e->country);
	*mct_score_parts_push(&c->items, &c->n, &c->cap) = p;
	return MCT_OK;
}

static mct_status gather(const mct_config *cfg, mct_store *st, inputs *in, mct_err *err)
{
	mct_status rc = mct_store_evidence_for_score(st, add_evidence, in, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < cfg->nsources; i++) {
		const mct_source *src = &cfg->sources[i];
		if (strcmp(src->country, "EU") == 0)
			continue;
		country_input *c = country_get(in, src->country);
		if (!src->enabled)
			continue;
		char status[32];
		if ((rc = mct_store_source_last_status(st, src->id, status, err)))
			return rc;
		c->sources_total++;
		c->sources_ok += mct_store_source_read_ok(status);
	}
	if (in->n)
		qsort(in->c, in->n, sizeof *in->c, cmp_country);
	return MCT_OK;
}

/* ---- detail JSON -------------------------------------------------------- */

/* Exact powers of ten (every one up to 1e22 is a double). */
static const double pow10_exact[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6, 1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14};

/* m = a * 10^k for k >= 0: exact powers, one rounding per factor. */
static double scale10(double a, int k)
{
	while (k > 14) {
		a *= 1e14;
		k -= 14;
	}
	return a * pow10_exact[k];
}

int mct_score_format_g10(double x, char out[32])
{
	/* A reading with a million pieces of evidence writes three million
	 * numbers, and glibc's printf spends about a microsecond on each
	 * (multi-precision arithmetic).  For 1e-300 <= |x| < 1e9 the ten
	 * significant digits are round(|x| * 10^(9-e)), with e the decimal
	 * exponent: the scaling multiplies by exact powers of ten, at most 23
	 * roundings of 2^-53 each, so the product is off by less than 3e-5 and
	 * the rounding to an integer can only differ from printf's when the
	 * fraction is within that of one half.  Such numbers, and every other
	 * magnitude, go to snprintf: the output is always printf's. */
	double a = fabs(x);
	if (!(a >= 1e-300 && a < 1e9))
		return snprintf(out, 32, "%.10g", x);
	int e = (int)floor(log10(a));
	if (e > 8)
		e = 8;
	double m = scale10(a, 9 - e);
	if (m < 999999999.5) { /* log10 rounded up: one digit more */
		e--;
		m = scale10(a, 9 - e);
	}
	double f = m - floor(m);
	if (m >= 9999999999.0 || m < 999999999.5 || fabs(f - 0.5) < 1e-4)
		return snprintf(out, 32, "%.10g", x);
	uint64_t n = (uint64_t)m + (f > 0.5); /* 10 digits: m < 9999999999 */
	char digits[10];
	for (int i = 9; i >= 0; i--, n /= 10)
		digits[i] = (char)('0' + n % 10);
	/* %g: fixed notation for exponents -4 to 9, else d.ddde-XX; trailing
	 * zeros of the fraction dropped either way. */
	int fixed = e >= -4;
	int last = 9;
	while (last > 0 && (!fixed || last > e) && digits[last] == '0')
		last--;
	char *p = out;
	if (x < 0)
		*p++ = '-';
	if (!fixed) {
		*p++ = digits[0];
		if (last > 0) {
			*p++ = '.';
			for (int i = 1; i <= last; i++)
				*p++ = digits[i];
		}
		*p++ = 'e';
		*p++ = '-';
		if (-e >= 100)
			*p++ = (char)('0' + -e / 100);
		*p++ = (char)('0' + -e / 10 % 10);
		*p++ = (char)('0' + -e % 10);
	} else if (e >= 0) {
		for (int i = 0; i <= e; i++)
			*p++ = digits[i];
		if (last > e) {
			*p++ = '.';
			for (int i = e + 1; i <= last; i++)
				*p++ = digits[i];
		}
	} else {
		*p++ = '0';
		*p++ = '.';
		for (int i = e; i < -1; i++)
			*p++ = '0';
		for (int i = 0; i <= last; i++)
			*p++ = digits[i];
	}
	*p = 0;
	return (int)(p - out);
}

static void num(mct_buf *b, double x)
{
	char s[32];
	if (x == 0) { /* also turns -0 into 0 */
		mct_buf_putc(b, '0');
		return;
	}
	mct_buf_append(b, s, (size_t)mct_score_format_g10(x, s));
}

static void key_num(mct_buf *b, const char *key, double x, int comma)
{
	if (comma)
		mct_buf_putc(b, ',');
	mct_buf_putc(b, '"');
	mct_buf_puts(b, key);
	mct_buf_puts(b, "\":");
	num(b, x);
}

static void put_int(mct_buf *b, long long v)
{
	char s[24], *p = s + sizeof s;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	mct_buf_append(b, p, (size_t)(s + sizeof s - p));
}

/* ,"key":n */
static void key_int(mct_buf *b, const char *key, long long v)
{
	mct_buf_puts(b, ",\"");
	mct_buf_puts(b, key);
	mct_buf_puts(b, "\":");
	put_int(b, v);
}

static char *detail_json(const mct_score_config *cfg, const mct_score_reading *r)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_printf(&b, "{\"method_version\":\"%s\",\"params\":{", r->row.method_version);
	key_num(&b, "rank_discount", MCT_SCORE_RANK_DISCOUNT, 0);
	key_num(&b, "saturation", cfg->saturation, 1);
	key_num(&b, "pending_share", cfg->pending_share, 1);
	key_num(&b, "half_life_days", cfg->half_life_days, 1);
	key_num(&b, "low_confidence_ok_share", cfg->low_confidence_ok_share, 1);
	mct_buf_puts(&b, ",\"authority\":{");
	for (int k = 0; k < MCT_KIND_COUNT; k++)
		key_num(&b, mct_kind_name((mct_source_kind)k), cfg->kind_authority[k], k > 0);
	mct_buf_puts(&b, "}},\"dimensions\":[");
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		mct_buf_printf(&b, "%s{\"id\":\"%s\"", d ? "," : "", mct_dimension_ids[d]);
		key_num(&b, "score", r->row.dimension[d], 1);
		key_num(&b, "weight", r->dimension_weight[d], 1);
		key_num(&b, "share", r->dimension_share[d], 1);
		mct_buf_puts(&b, "}");
	}
	mct_buf_puts(&b, "],\"indicators\":[");
	for (size_t k = 0; k < mct_indicator_count; k++) {
		const mct_score_indicator *si = &r->indicators[k];
		mct_buf_printf(&b, "%s{\"id\":\"%s\"", k ? "," : "", mct_indicators[k].id);
		key_num(&b, "score", si->score, 1);
		key_num(&b, "sum", si->sum, 1);
		key_num(&b, "weight", si->weight, 1);
		key_num(&b, "degrees", si->degrees, 1);
		mct_buf_printf(&b, ",\"counted\":%d,\"negative\":%d}", si->counted, si->negative);
	}
	mct_buf_puts(&b, "],\"evidence\":[");
	for (size_t i = 0; i < r->nparts; i++) {
		const mct_score_part *p = &r->parts[i];
		mct_buf_puts(&b, i ? ",{" : "{");
		mct_buf_puts(&b, "\"id\":");
		put_int(&b, (long long)p->id);
		key_num(&b, "strength", p->strength, 1);
		key_num(&b, "contribution", p->contribution, 1);
		key_num(&b, "degrees", p->degrees, 1);
		key_int(&b, "rank", p->rank);
		key_int(&b, "duplicate_of", (long long)p->duplicate_of);
		key_int(&b, "silenced_by", (long long)p->silenced_by);
		mct_buf_putc(&b, '}');
	}
	mct_buf_puts(&b, "]}");
	return mct_buf_steal(&b);
}

/* ---- storing -------------------------------------------------------------- */

static int cmp_part_ptr_id(const void *a, const void *b)
{
	int64_t x = (*(const mct_score_part *const *)a)->id;
	int64_t y = (*(const mct_score_part *const *)b)->id;
	return (x > y) - (x < y);
}

static mct_status store_reading(const mct_score_config *cfg, mct_store *st, mct_score_reading *r,
                                mct_err *err)
{
	mct_store_reading prev;
	int found;
	mct_status rc =
	    mct_store_reading_before(st, r->row.country, r->row.date, &prev, &found, err);
	if (rc)
		return rc;
	if (found) {
		r->has_previous = 1;
		memcpy(r->previous_date, prev.date, sizeof r->previous_date);
		r->previous_temperature = prev.temperature;
		memcpy(r->previous_band, prev.band, sizeof r->previous_band);
		mct_store_reading_clear(&prev);
	}
	r->row.detail = detail_json(cfg, r);
	rc = mct_store_reading_replace(st, &r->row, err);
	mct_store_reading_clear(&r->row);
	/* In evidence id order: the rows then go to the end of the
	 * (reading_id, evidence_id) key's b-tree instead of all over it. */
	const mct_score_part **byid = mct_xcalloc(r->nparts + 1, sizeof *byid);
	for (size_t i = 0; i < r->nparts; i++)
		byid[i] = &r->parts[i];
	if (r->nparts)
		qsort(byid, r->nparts, sizeof *byid, cmp_part_ptr_id);
	for (size_t i = 0; !rc && i < r->nparts; i++) {
		const mct_score_part *p = byid[i];
		rc = mct_store_reading_evidence_add(st, r->row.id, p->id,
		                                    mct_indicators[p->indicator].id, p->strength,
		                                    mct_review_name(p->review), err);
	}
	free(byid);
	if (!rc)
		rc = mct_store_reading_new_evidence(st, r->row.id, found ? prev.id : 0,
		                                    &r->appeared, err);
	return rc;
}

void mct_score_results_free(mct_score_results *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n; i++)
		mct_score_reading_free(&res->readings[i]);
	free(res->readings);
	res->readings = NULL;
	res->n = 0;
}

mct_status mct_score(const mct_config *cfg, mct_store *st, const char *date, int64_t run_id,
                     mct_score_results *out, mct_err *err)
{
	if (out)
		memset(out, 0, sizeof *out);
	long day;
	if (!date || strlen(date) != 10 || mct_parse_date(date, &day) != 0)
		return mct_fail(err, MCT_ERR_USAGE, "'%s': not a date; use YYYY-MM-DD",
		                date ? date : "");
	inputs in = {0};
	mct_score_reading *readings = NULL;
	size_t done = 0;
	mct_status rc = mct_store_begin(st, err);
	if (rc)
		goto out;
	if ((rc = gather(cfg, st, &in, err)))
		goto rollback;
	readings = mct_xcalloc(in.n + 1, sizeof *readings);
	for (; done < in.n; done++) {
		const country_input *c = &in.c[done];
		mct_score_reading *r = &readings[done];
		if ((rc = mct_score_compute(&cfg->score, c->cc, date, c->items, c->n, c->sources_ok,
		                            c->sources_total, r, err)))
			goto rollback;
		r->row.run_id = run_id;
		if ((rc = store_reading(&cfg->score, st, r, err))) {
			done++; /* r is filled: free it with the others */
			goto rollback;
		}
	}
	if ((rc = mct_store_commit(st, err)))
		goto rollback;
	if (out) {
		out->readings = readings;
		out->n = done;
		readings = NULL;
	}
	goto out;
rollback:
	mct_store_rollback(st);
out:
	if (readings) {
		for (size_t i = 0; i < done; i++)
			mct_score_reading_free(&readings[i]);
		free(readings);
	}
	inputs_free(&in);
	return rc;
}
