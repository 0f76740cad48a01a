/*
 * rules/rules_internal.h - what the rules component's files share: the
 * loaded rule set, compiled pattern unions, the matcher state of one apply
 * call and the text map (blocks and sentences) that matching works on.
 *
 * Not part of the contract: other components include rules/rules.h only.
 */
#ifndef MCT_RULES_INTERNAL_H
#define MCT_RULES_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules.h"

/* Options every pattern is compiled with. */
#define MCT_RE_OPTIONS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_NEVER_BACKSLASH_C)
/* Match limits of every pcre2_match call (see docs/rules.md). */
#define MCT_RE_MATCH_LIMIT 1000000
#define MCT_RE_DEPTH_LIMIT 10000
/* Searches of one pattern cut off by a limit in one text before that
 * pattern is no longer run on the rest of the text: crafted text can make a
 * backtracking pattern hit the limit on every sentence, at a few ms each. */
#define MCT_RE_CUTOFFS_PER_TEXT 3
/* Longest sentence: longer runs without a break are cut at a blank. */
#define MCT_MAX_SENTENCE 3000
/* Longest pattern after define expansion. */
#define MCT_RE_MAX_EXPANDED (64 * 1024)

/* One alternative of a union, with where it was written. */
typedef struct {
	const char *pattern; /* expanded */
	const char *file;
	int line;
} mct_alt;

/* Alternatives compiled as "(?|(?:a)|(?:b)|...)".  PCRE2 in Debian is
 * built with 2-byte links, which caps one compiled pattern at 64 KiB; a
 * union that does not fit is split into several codes, so a search is the
 * leftmost match over all of them. */
typedef struct {
	pcre2_code **codes;
	size_t n;
	int anchored; /* an alternative uses ^ $ \A \z \G or a verb: search
	                 sentence by sentence, never across the whole text */
} mct_union;

mct_status mct_union_build(const mct_alt *alts, size_t n, mct_union *u, mct_err *err);
void mct_union_free(mct_union *u);

typedef enum { MCT_EX_MATCH, MCT_EX_MATCH_NEGATIVE, MCT_EX_NOMATCH } mct_example_kind;

typedef struct {
	mct_example_kind kind;
	int line;
	char *text;
} mct_example;

/* The unit of matching.  Each pattern of a rule or section is split into
 * its top-level alternatives (through a group spanning the whole pattern:
 * "(?:a|b)|c" gives a, b and c), each compiled on its own with its own
 * literals, so that a sentence runs only the few alternatives of a large
 * vocabulary whose literals it holds.  A rule's first match is the leftmost
 * of its branches' (the earlier branch on a tie): the same as the
 * alternation's. */
typedef enum { MCT_OWNER_RULE, MCT_OWNER_NEGATION, MCT_OWNER_COUNTRY } mct_owner_kind;

typedef struct {
	pcre2_code *code;
	char *pattern; /* the expanded alternative */
	const char *file;
	int line; /* of its pattern line */
	mct_owner_kind kind;
	size_t owner;    /* index of the rule or section */
	char **literals; /* one of them is in every match; NULL: unfiltered */
	size_t nliterals;
} mct_branch;

typedef struct {
	mct_rule_info info;
	int indicator; /* index into mct_indicators */
	size_t branch0, nbranches;
	char (*scope)[3]; /* info.countries as codes */
	size_t nscope;
	mct_example *examples;
	size_t nexamples;
} mct_rule;

/* ---- literal prefilter (literals.c) ----------------------------------- */

typedef struct {
	char *s; /* ASCII case-folded */
	size_t len;
	size_t *targets; /* branches that need it (or another of their literals) */
	size_t ntargets;
} mct_literal;

typedef struct {
	mct_literal *lits;
	size_t nlits, caplits;
	uint32_t *slots; /* hash of the literals, while loading */
	size_t nslots;
	/* Literals bucketed by their first 2, 3 or 4 bytes (all of a literal
	 * of 2 or 3 bytes): bucket k holds order[first[k] .. first[k+1]). */
	uint32_t *first[3];
	uint32_t *order[3];
} mct_literal_index;

/* Literals (ASCII case-folded, at least 2 bytes) one of which occurs in
 * every match of the expanded pattern, or NULL when none can be told. */
char **mct_required_literals(const char *pattern, size_t *n);
/* The branches of a pattern (see mct_branch): at least one string. */
char **mct_split_alternatives(const char *pattern, size_t *n);
void mct_literal_index_add(mct_literal_index *ix, size_t target, char *const *lits, size_t n);
void mct_literal_index_finish(mct_literal_index *ix);
void mct_literal_index_free(mct_literal_index *ix);
/* Calls hit() for every occurrence [start, end) of every literal, in text
 * order (KELVIN SIGN and LONG S count as k and s). */
void mct_literal_scan(const mct_literal_index *ix, const char *text, size_t len,
                      void (*hit)(void *ctx, const mct_literal *lit, size_t start, size_t end),
                      void *ctx);
/* Does text[0..len) contain one of the literals? */
int mct_literals_in(char *const *lits, size_t n, const char *text, size_t len);

/* A [negation LANG] or [country CC] section. */
typedef struct {
	char name[3];
	const char *file;
	int line;
	size_t branch0, nbranches;
	mct_example *examples;
	size_t nexamples;
} mct_cue_section;

struct mct_ruleset {
	mct_rule *rules;
	size_t nrules;
	size_t *by_context[4]; /* rule indexes per mct_rule_context, in rule order */
	size_t nby_context[4];
	mct_cue_section *negations;
	size_t nnegations;
	mct_cue_section *countries;
	size_t ncountries;
	int has_mc;
	mct_union mc;   /* the {{MC}} vocabulary */
	mct_union none; /* every unfiltered branch of every context = none rule */
	mct_branch *branches;
	size_t nbranches;
	mct_literal_index literals; /* literals of every filtered branch */
	size_t *unfiltered;         /* branches without literals, in order */
	size_t nunfiltered;
	char **files;
	size_t nfiles;
};

/* ---- matching (match.c) ------------------------------------------------ */

/* Per-call matcher state: match data, limits, JIT stack and the count of
 * searches cut off by a limit.  The rule set itself is read-only while
 * matching, so several threads may apply one rule set at once. */
typedef struct {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	size_t limits_hit;
	char *note; /* first limit note */
	/* patterns cut off in this text, and how often */
	struct mct_cutoff {
		const pcre2_code *code;
		unsigned n;
	} * cutoffs;
	size_t ncutoffs;
} mct_matcher;

void mct_matcher_init(mct_matcher *m);
void mct_matcher_free(mct_matcher *m);

/* Leftmost match of c in subj[0..len) at or after start.  Returns 1 and the
 * offsets on a match, 0 when none, -1 when a limit cut the search off
 * (counted in m, noted as "<what> <name>: ..."). */
int mct_code_find(mct_matcher *m, const pcre2_code *c, const char *subj, size_t len, size_t start,
                  size_t *ms, size_t *me, const char *what, const char *name);

/* Offset of the first byte that is not valid UTF-8 (RFC 3629, as PCRE2
 * checks it), or n when all is valid. */
size_t mct_utf8_check(const char *s, size_t n);

/* The text as blocks (lines) and sentences. */
typedef struct {
	size_t start, end;           /* without the '#' marks of a heading */
	size_t sent_first, sent_end; /* its sentences */
	int page;
	int heading;       /* heading level (number of '#'), 0 for other blocks */
	long prev_heading; /* nearest heading block before this one, or -1 */
} mct_block;

typedef struct {
	size_t start, end;
	size_t block;
} mct_sentence;

typedef struct {
	mct_block *blocks;
	size_t nblocks, capblocks;
	mct_sentence *sents;
	size_t nsents, capsents;
} mct_textmap;

void mct_textmap_build(const char *text, size_t len, mct_textmap *map);
void mct_textmap_free(mct_textmap *map);

/* mct_rules_apply, with the literal prefilter on or off (tests compare). */
mct_status mct_rules_apply_with(const mct_ruleset *rs, const char *text, size_t len,
                                const char *source_country, int prefilter, mct_matches *out,
                                mct_err *err);

/* How one rule alone fares on a text (mct_rules_check). */
typedef struct {
	int positive;       /* a hit with positive polarity */
	int negative;       /* a hit with negative polarity */
	int pattern_only;   /* a pattern matched where the context had no MC term */
	int prefilter_miss; /* a branch hit a sentence without any of its literals */
	int limit;          /* a search was cut off */
	char hit[120];      /* text of the first hit */
	char cue[120];      /* negation cue that made a hit negative */
} mct_rule_eval;

void mct_rule_eval_text(const mct_ruleset *rs, const mct_rule *r, const char *text, size_t len,
                        mct_rule_eval *out);

#endif
