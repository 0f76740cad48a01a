/*
 * score/diff.c - what changed between two readings of a country, and how
 * much each change moved the temperature.
 *
 * Each reading splits its temperature into the degrees each piece of
 * evidence accounts for (method.c), so a change is worth its degrees after
 * minus its degrees before, and the changes plus the rest add up exactly to
 * the difference of the temperatures.  "The rest" is movement of evidence
 * that itself did not change: age decay, and re-ranking when a stronger
 * sentence arrives and pushes older ones down the rank discount.
 *
 * Only evidence is compared; a change of configuration or method between
 * the readings shows up in the rest, and the caller says so when the method
 * versions differ.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score_internal.h"

static int cmp_ptr_id(const void *a, const void *b)
{
	int64_t x = (*(const mct_score_part *const *)a)->id;
	int64_t y = (*(const mct_score_part *const *)b)->id;
	return x < y ? -1 : x > y;
}

static const mct_score_part **by_id(const mct_score_reading *r)
{
	const mct_score_part **v = mct_xcalloc(r->nparts + 1, sizeof *v);
	for (size_t i = 0; i < r->nparts; i++)
		v[i] = &r->parts[i];
	if (r->nparts)
		qsort(v, r->nparts, sizeof *v, cmp_ptr_id);
	return v;
}

static int64_t change_id(const mct_score_change *c)
{
	return c->after ? c->after->id : c->before->id;
}

static int cmp_change(const void *x, const void *y)
{
	const mct_score_change *a = x, *b = y;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	double da = fabs(a->degrees), db = fabs(b->degrees);
	if (da != db)
		return da > db ? -1 : 1;
	int64_t ia = change_id(a), ib = change_id(b);
	return ia < ib ? -1 : ia > ib;
}

static void add(mct_score_diff *d, mct_change_kind kind, const mct_score_part *before,
                const mct_score_part *after)
{
	d->changes = mct_xrealloc(d->changes, (d->n + 1) * sizeof *d->changes);
	double deg = (after ? after->degrees : 0) - (before ? before->degrees : 0);
	d->changes[d->n++] = (mct_score_change){kind, before, after, deg};
}

void mct_score_diff_compute(const mct_score_reading *a, const mct_score_reading *b,
                            mct_score_diff *out)
{
	memset(out, 0, sizeof *out);
	const mct_score_part **va = by_id(a), **vb = by_id(b);
	size_t i = 0, j = 0;
	while (i < a->nparts || j < b->nparts) {
		if (j == b->nparts || (i < a->nparts && va[i]->id < vb[j]->id)) {
			add(out, MCT_CHANGE_DISAPPEARED, va[i++], NULL);
		} else if (i == a->nparts || vb[j]->id < va[i]->id) {
			add(out, MCT_CHANGE_APPEARED, NULL, vb[j++]);
		} else {
			if (va[i]->review != vb[j]->review)
				add(out, MCT_CHANGE_REVIEWED, va[i], vb[j]);
			i++;
			j++;
		}
	}
	free(va);
	free(vb);
	if (out->n)
		qsort(out->changes, out->n, sizeof *out->changes, cmp_change);
	for (size_t k = 0; k < out->n; k++)
		out->listed += out->changes[k].degrees;
	out->total = b->row.temperature - a->row.temperature;
	out->other = out->total - out->listed;
}

void mct_score_diff_free(mct_score_diff *d)
{
	free(d->changes);
	memset(d, 0, sizeof *d);
}
