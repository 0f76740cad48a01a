/*
 * rules/rules.h - the rules component's contract.
 *
 * Loads the human-editable rule files (format: docs/rules.md), checks them
 * against their own examples, and applies them to a capture's text to find
 * evidence candidates: which sentence, which indicator, which sign
 * (positive or negative), which country.  It is a pure function of
 * (rules, text, source country): it reads no database and writes none; the
 * extract step hands its results to the store.
 *
 * The indicator catalogue (dimension and indicator ids) lives here too,
 * because rules, the scorer and the reports must all agree on it.
 */
#ifndef MCT_RULES_H
#define MCT_RULES_H

#include <stddef.h>

#include "../common/mct.h"

/* ---- indicator catalogue --------------------------------------------- */

#define MCT_DIMENSIONS 4
extern const char
    *const mct_dimension_ids[MCT_DIMENSIONS]; /* "policy", "ecosystem", "infra", "usage" */
extern const char *const mct_dimension_names[MCT_DIMENSIONS]; /* "Policy & Recognition" ... */

typedef struct {
	const char *id;   /* "policy.definition" */
	int dimension;    /* index into mct_dimension_ids */
	const char *name; /* "National definition" */
	const char *description;
} mct_indicator;

extern const mct_indicator mct_indicators[];
extern const size_t mct_indicator_count;
/* Index of an indicator id, or -1. */
int mct_indicator_find(const char *id);
/* Index of a dimension id, or -1. */
int mct_dimension_find(const char *id);

/* ---- rule sets ---------------------------------------------------------- */

typedef enum {
	MCT_CONTEXT_SENTENCE = 0,
	MCT_CONTEXT_BLOCK,
	MCT_CONTEXT_DOCUMENT,
	MCT_CONTEXT_NONE
} mct_rule_context;

typedef struct {
	const char *id;
	char version[17]; /* first 16 hex digits of sha256(definition) */
	const char *indicator;
	int dimension; /* index into mct_dimension_ids */
	double weight;
	const char *langs;     /* "es ca" or "*" */
	const char *countries; /* scope, "" when none */
	mct_rule_context context;
	int always_negative;    /* polarity = negative */
	const char *definition; /* canonical text hashed into version */
	const char *file;
	int line; /* line of the [rule ...] header */
} mct_rule_info;

typedef struct mct_ruleset mct_ruleset;

/* Load every *.rules file of `dir` (name order).  Any syntax error, unknown
 * key, unknown indicator, bad weight, pattern that does not compile, unknown
 * define or duplicate id fails the load with "file:line: what; what is
 * allowed". */
mct_status mct_rules_load(const char *dir, mct_ruleset **out, mct_err *err);
void mct_rules_free(mct_ruleset *rs);

size_t mct_rules_count(const mct_ruleset *rs);
const mct_rule_info *mct_rules_get(const mct_ruleset *rs, size_t i);
/* Rule by id, or NULL. */
const mct_rule_info *mct_rules_find(const mct_ruleset *rs, const char *id);

/* Run every example of every rule, negation and country section.  Calls
 * report(ctx, file, line, message) once per failure; returns the number of
 * failures (0 = all good). */
typedef void (*mct_rules_report_fn)(void *ctx, const char *file, int line, const char *msg);
size_t mct_rules_check(const mct_ruleset *rs, mct_rules_report_fn report, void *ctx);

/* ---- applying rules to text ------------------------------------------- */

typedef struct {
	const mct_rule_info
	    *rule;          /* the strongest rule that hit this sentence for this indicator */
	char country[3];    /* "ES", or "EU" when attributed to EU level */
	int negative;       /* 1 when in a negated or gap context */
	size_t match_start; /* byte offsets into the text */
	size_t match_end;
	size_t sentence_start;
	size_t sentence_end;
	int page;      /* 1-based PDF page (count of '\f' before + 1); 1 for other texts */
	char *match;   /* matched text */
	char *snippet; /* the sentence, cut to about 300 bytes around the match (UTF-8 safe) */
	char sentence_key[65]; /* sha256 of the normalised sentence (case- and space-folded) */
} mct_match;

typedef struct {
	mct_match *items;
	size_t n;
	size_t cap;
	size_t limits_hit; /* matches cut off by a match/depth limit */
	char *limit_note;  /* first "rule X: match limit reached" note, or NULL */
} mct_matches;

/* Apply the rule set to `text` (the crawler's text format) of a capture from a
 * source of `source_country` ("LV", or "EU").  One sentence matched by several
 * rules of the same indicator yields one match (the highest-weight rule); a
 * sentence naming several countries in an EU-level source yields one match
 * per country. */
mct_status mct_rules_apply(const mct_ruleset *rs, const char *text, size_t len,
                           const char *source_country, mct_matches *out, mct_err *err);
void mct_matches_free(mct_matches *m);

#endif
