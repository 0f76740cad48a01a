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
/* Free the strings of one part. */
void mct_score_part_clear(mct_score_part *p);

#endif
