/*
 * extract/extract.h - the extract step's contract.
 *
 * Extraction is the stage between the captures and the evidence: it reads
 * the stored texts, applies the rules (rules/rules.h, a pure function) and
 * writes evidence with its provenance.  It never fetches: after a rule
 * change `mcthermo extract` brings all evidence up to date from what is
 * stored.  Data flows store (captures) -> rules -> store (evidence).
 */
#ifndef MCT_EXTRACT_H
#define MCT_EXTRACT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/mct.h"
#include "../rules/rules.h"
#include "../store/store.h"

typedef struct {
	size_t texts;           /* latest texts considered (one per URL) */
	size_t texts_extracted; /* the rules were applied */
	size_t texts_unchanged; /* same body and rule set: evidence only seen again */
	size_t evidence_new;
	size_t evidence_seen; /* found again */
	size_t evidence_gone;
	size_t evidence_superseded;
	size_t limits_hit; /* matches cut off by a PCRE2 limit */
	size_t bytes;      /* text bytes the rules ran over */
} mct_extract_stats;

/* Fingerprint of the rule set in `rules_dir`: sha256 over every *.rules
 * file's name and bytes, plus the text extractor's version.  A change to any
 * rule file changes it, and every text is extracted again. */
mct_status mct_extract_fingerprint(const char *rules_dir, char out[65], mct_err *err);

/* Apply rs to every URL's latest stored text that needs it (all = 1: every
 * one), in run run_id; one transaction per text.  Stops early, with
 * MCT_ERR_INTERRUPTED, when *stop becomes nonzero. */
mct_status mct_extract(const char *rules_dir, const mct_ruleset *rs, mct_store *st, int64_t run_id,
                       int all, volatile sig_atomic_t *stop, FILE *progress,
                       mct_extract_stats *stats, mct_err *err);

#endif
