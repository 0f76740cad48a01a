/*
 * score/score_internal.h - shared between the scorer's own modules only.
 */
#ifndef MCT_SCORE_INTERNAL_H
#define MCT_SCORE_INTERNAL_H

#include "score.h"

/* Put parts in their reading order: by indicator; within one, counted
 * evidence by rank, then positive evidence that did not count, then
 * negative evidence (gaps); ties by id. */
void mct_score_sort_parts(mct_score_part *parts, size_t n);
/* Append a zeroed part to a growable array and return it. */
mct_score_part *mct_score_parts_push(mct_score_part **v, size_t *n, size_t *cap);
/* Fill a part's input from the store's words (indicator id, source kind,
 * review status, first_seen stamp).  Returns 0 when the method knows them
 * all; -1 when one is unknown, which is then filled with indicator -1, kind
 * MCT_KIND_COUNT or review pending.  An unreadable first_seen means no age
 * decay (first_seen = -1). */
int mct_score_part_set(mct_score_part *p, int64_t id, const char *indicator, const char *kind,
                       int negative, double weight, const char *sentence_key,
                       const char *first_seen, const char *status);
/* Free the strings of one part. */
void mct_score_part_clear(mct_score_part *p);
/* x as printf's "%.10g" writes it (the numbers of a reading's detail JSON),
 * faster for the magnitudes readings hold; returns the length. */
int mct_score_format_g10(double x, char out[32]);

#endif
