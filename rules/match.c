/*
 * rules/match.c - applies a rule set to a capture's text.
 *
 * The text (crawler format: one block per line, '#' headings, '\f' between
 * PDF pages) is first cut into blocks and sentences.  Matching then avoids
 * running every rule over the whole text, which would cost one pass per
 * rule, and avoids running every rule on every sentence, which costs about
 * as much with vocabulary-heavy rules:
 *   1. one pass of the {{MC}} vocabulary marks the sentences, blocks and
 *      the document that name micro-credentials;
 *   2. one pass of the literal prefilter (literals.c) pairs each sentence
 *      with the rules whose required literals it holds and whose context
 *      it satisfies (context = sentence: a marked sentence, block: a marked
 *      block, document: a marked document, none: any);
 *   3. rules whose patterns give no literal run on every sentence their
 *      context allows; for context = none, one pass of the union of their
 *      patterns picks the sentences first;
 *   4. each candidate rule runs on its sentence alone, one sentence being
 *      one subject, so ^ and $ anchor at sentence ends;
 *   5. negation cues and country names (one union each, countries told
 *      apart by (*MARK:CC)) run only on sentences some rule hit.
 * A union pass over the whole text jumps to the next sentence after each
 * hit and confirms a hit that crosses a sentence end on that sentence
 * alone, so it finds what sentence-by-sentence searches would, in one
 * PCRE2 call per hit; unions with ^, $, \A, \z or \G are searched sentence
 * by sentence instead.  (During such a pass a lookaround at a sentence's
 * edge sees the neighbouring blank, as the sentence's own search would see
 * its edge; the two differ only for lookarounds that test for blanks.)
 *
 * Every search runs under a match and depth limit; a search cut off counts
 * in limits_hit and the run goes on.  A pattern cut off a few times in one
 * text is not run again on it (each cut-off costs milliseconds, and crafted
 * text can cause one per sentence); its skipped searches count too.
 * Left out: language detection (the literal prefilter already keeps rules
 * of other languages off a sentence) and polarity finer than the sentence
 * (a cue anywhere in the sentence negates every match in it).
 */
#include "rules_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define SNIPPET_BYTES      300
#define SNIPPET_WORD_SLACK 30
#define MAX_NAMED          64 /* countries kept per sentence */

/* ---- the matcher ------------------------------------------------------------ */

void mct_matcher_init(mct_matcher *m)
{
	memset(m, 0, sizeof *m);
	m->md = pcre2_match_data_create(1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (!m->md || !m->mctx || !m->stack) {
		fputs("mcthermo: out of memory (PCRE2 match data)\n", stderr);
		abort();
	}
	pcre2_set_match_limit(m->mctx, MCT_RE_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, MCT_RE_DEPTH_LIMIT);
	pcre2_jit_stack_assign(m->mctx, NULL, m->stack);
}

void mct_matcher_free(mct_matcher *m)
{
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->stack);
	free(m->note);
	free(m->cutoffs);
	memset(m, 0, sizeof *m);
}

static int is_limit(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	       rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_HEAPLIMIT;
}

/* How often code was cut off by a limit with this matcher. */
static struct mct_cutoff *cutoff_of(mct_matcher *m, const pcre2_code *code, int add)
{
	for (size_t i = 0; i < m->ncutoffs; i++)
		if (m->cutoffs[i].code == code)
			return &m->cutoffs[i];
	if (!add)
		return NULL;
	m->cutoffs = mct_xrealloc(m->cutoffs, (m->ncutoffs + 1) * sizeof *m->cutoffs);
	m->cutoffs[m->ncutoffs] = (struct mct_cutoff){code, 0};
	return &m->cutoffs[m->ncutoffs++];
}

static void note_limit(mct_matcher *m, int rc, const char *what, const char *name)
{
	m->limits_hit++;
	if (m->note)
		return;
	PCRE2_UCHAR msg[160];
	if (is_limit(rc))
		snprintf((char *)msg, sizeof msg, "%s",
		         rc == PCRE2_ERROR_MATCHLIMIT   ? "match limit reached"
		         : rc == PCRE2_ERROR_DEPTHLIMIT ? "depth limit reached"
		         : rc == PCRE2_ERROR_HEAPLIMIT  ? "heap limit reached"
		                                        : "JIT stack limit reached");
	else
		pcre2_get_error_message(rc, msg, sizeof msg);
	m->note =
	    mct_xasprintf("%s%s%s: %s", what, name ? " " : "", name ? name : "", (const char *)msg);
}

/* A pattern cut off MCT_RE_CUTOFFS_PER_TEXT times is not run again with
 * this matcher (one text): the search counts as cut off once more, at no
 * cost, and callers handle it as they handle any limit. */
static int find_code(mct_matcher *m, const pcre2_code *c, const char *subj, size_t len,
                     size_t start, size_t *ms, size_t *me)
{
	struct mct_cutoff *cut = m->ncutoffs ? cutoff_of(m, c, 0) : NULL;
	if (cut && cut->n >= MCT_RE_CUTOFFS_PER_TEXT)
		return PCRE2_ERROR_MATCHLIMIT;
	int rc = pcre2_match(c, (PCRE2_SPTR)subj, len, start, PCRE2_NO_UTF_CHECK, m->md, m->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		if (is_limit(rc))
			cutoff_of(m, c, 1)->n++;
		return rc;
	}
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	*ms = ov[0];
	*me = ov[1] > ov[0] ? ov[1] : ov[0];
	return 1;
}

int mct_code_find(mct_matcher *m, const pcre2_code *c, const char *subj, size_t len, size_t start,
                  size_t *ms, size_t *me, const char *what, const char *name)
{
	int rc = find_code(m, c, subj, len, start, ms, me);
	if (rc < 0) {
		note_limit(m, rc, what, name);
		return -1;
	}
	return rc;
}

/* ---- one text, many searches -------------------------------------------- */

enum { F_MC = 1, F_NONE = 2, F_NEG_DONE = 4, F_NEG = 8 };

typedef struct {
	size_t rule;
	size_t ms, me; /* absolute offsets */
} hit;

typedef struct {
	size_t rule;
	char country[3];
	int negative;
	size_t ms, me;
} candidate;

typedef struct {
	size_t start, end;
	size_t country; /* index of the [country] section */
} name_hit;

typedef struct {
	const mct_ruleset *rs;
	const char *text;
	size_t len;
	mct_textmap map;
	unsigned char *sflags; /* per sentence */
	unsigned char *bmc;    /* per block: names MC */
	int doc_mc;
	mct_matcher m;
	/* countries named in the current sentence and in the current heading */
	long named_for;
	char named[MAX_NAMED][3];
	size_t nnamed;
	long heading_for;
	char heading[MAX_NAMED][3];
	size_t nheading;
	hit *hits;
	size_t nhits, caphits;
	candidate *cands;
	size_t ncands, capcands;
	name_hit *names;
	size_t nnames, capnames;
	/* (sentence, branch) pairs of the literal scan, in sentence order */
	int literal_scan;
	size_t *pair_sent, *pair_branch;
	size_t npairs, cappairs;
	size_t *pair_first; /* per sentence, its first pair (nsents + 1 entries) */
	size_t *seen;       /* per branch: 1 + the last sentence paired with it */
	size_t cursor;
	size_t *cand; /* candidate branches of one sentence */
	size_t ncand;
} scan_ctx;

static void ctx_init(scan_ctx *A, const mct_ruleset *rs, const char *text, size_t len)
{
	memset(A, 0, sizeof *A);
	A->rs = rs;
	A->text = text;
	A->len = len;
	mct_textmap_build(text, len, &A->map);
	A->sflags = mct_xcalloc(A->map.nsents + 1, 1);
	A->bmc = mct_xcalloc(A->map.nblocks + 1, 1);
	A->named_for = A->heading_for = -2;
	A->cand = mct_xcalloc(rs->nbranches + 1, sizeof *A->cand);
	mct_matcher_init(&A->m);
}

static void ctx_free(scan_ctx *A)
{
	mct_textmap_free(&A->map);
	free(A->sflags);
	free(A->bmc);
	free(A->hits);
	free(A->cands);
	free(A->names);
	free(A->pair_sent);
	free(A->pair_branch);
	free(A->pair_first);
	free(A->seen);
	free(A->cand);
	mct_matcher_free(&A->m);
}

/* For prefilters: may u match in sentence s?  A search cut off by a limit
 * answers yes (and is not counted): the rules behind the prefilter then run
 * on the sentence, and the one at fault is the one that gets reported. */
static int may_match(scan_ctx *A, const pcre2_code *c, size_t s)
{
	const mct_sentence *st = &A->map.sents[s];
	size_t ms, me;
	return find_code(&A->m, c, A->text + st->start, st->end - st->start, 0, &ms, &me) != 0;
}

/* Search one code over the run of sentences [s, last], marking hits. */
static void scan_run(scan_ctx *A, const pcre2_code *c, size_t s, size_t last, unsigned bit)
{
	const mct_sentence *sents = A->map.sents;
	size_t subj_len = sents[last].end;
	while (s <= last) {
		size_t ms, me;
		int rc = find_code(&A->m, c, A->text, subj_len, sents[s].start, &ms, &me);
		if (rc == 0)
			return;
		if (rc < 0) {
			/* Cut off somewhere in the run: go sentence by sentence. */
			for (; s <= last; s++)
				if (!(A->sflags[s] & bit) && may_match(A, c, s))
					A->sflags[s] |= (unsigned char)bit;
			return;
		}
		size_t t = s;
		while (t < last && sents[t].end <= ms)
			t++;
		if ((ms >= sents[t].start && me <= sents[t].end) || may_match(A, c, t))
			A->sflags[t] |= (unsigned char)bit;
		s = t + 1;
	}
}

/* Set `bit` on every sentence u may hit, among those with all of `need`. */
static void scan(scan_ctx *A, const mct_union *u, unsigned need, unsigned bit)
{
	size_t n = A->map.nsents;
	for (size_t i = 0; i < u->n; i++) {
		size_t s = 0;
		while (s < n) {
			while (s < n && (A->sflags[s] & need) != need)
				s++;
			if (s == n)
				break;
			size_t last = s;
			while (last + 1 < n && (A->sflags[last + 1] & need) == need)
				last++;
			if (u->anchored) {
				for (; s <= last; s++)
					if (may_match(A, u->codes[i], s))
						A->sflags[s] |= (unsigned char)bit;
			} else {
				scan_run(A, u->codes[i], s, last, bit);
			}
			s = last + 1;
		}
	}
}

static void mark_mc(scan_ctx *A)
{
	if (!A->rs->has_mc)
		return;
	scan(A, &A->rs->mc, 0, F_MC);
	for (size_t s = 0; s < A->map.nsents; s++)
		if (A->sflags[s] & F_MC) {
			A->bmc[A->map.sents[s].block] = 1;
			A->doc_mc = 1;
		}
}

/* Is there an {{MC}} term where the context asks for one? */
static int context_ok(const scan_ctx *A, mct_rule_context c, size_t s)
{
	switch (c) {
	case MCT_CONTEXT_SENTENCE:
		return (A->sflags[s] & F_MC) != 0;
	case MCT_CONTEXT_BLOCK:
		return A->bmc[A->map.sents[s].block];
	case MCT_CONTEXT_DOCUMENT:
		return A->doc_mc;
	default:
		return 1;
	}
}

/* May a branch run on sentence s?  Rule branches need their rule's
 * context; for context = none, a branch without literals needs the pass of
 * the union of such branches to have marked the sentence. */
static int eligible(const scan_ctx *A, const mct_branch *b, size_t s)
{
	if (b->kind != MCT_OWNER_RULE)
		return 1;
	mct_rule_context c = A->rs->rules[b->owner].info.context;
	if (c == MCT_CONTEXT_NONE)
		return b->literals || (A->sflags[s] & F_NONE) != 0;
	return context_ok(A, c, s);
}

static void literal_hit(void *ctx, const mct_literal *l, size_t at, size_t end)
{
	scan_ctx *A = ctx;
	const mct_sentence *sents = A->map.sents;
	while (A->cursor < A->map.nsents && sents[A->cursor].end <= at)
		A->cursor++;
	size_t s = A->cursor;
	if (s == A->map.nsents || at < sents[s].start || end > sents[s].end)
		return;
	for (size_t i = 0; i < l->ntargets; i++) {
		size_t b = l->targets[i];
		if (A->seen[b] == s + 1 || !eligible(A, &A->rs->branches[b], s))
			continue;
		A->seen[b] = s + 1;
		if (A->npairs == A->cappairs) {
			A->cappairs = A->cappairs ? 2 * A->cappairs : 256;
			A->pair_sent = mct_xrealloc(A->pair_sent, A->cappairs * sizeof(size_t));
			A->pair_branch = mct_xrealloc(A->pair_branch, A->cappairs * sizeof(size_t));
		}
		A->pair_sent[A->npairs] = s;
		A->pair_branch[A->npairs++] = b;
	}
}

/* Pair every sentence with the branches whose literals it holds. */
static void scan_literals(scan_ctx *A)
{
	const mct_ruleset *rs = A->rs;
	A->literal_scan = 1;
	A->seen = mct_xcalloc(rs->nbranches + 1, sizeof *A->seen);
	mct_literal_scan(&rs->literals, A->text, A->len, literal_hit, A);
	A->pair_first = mct_xcalloc(A->map.nsents + 1, sizeof *A->pair_first);
	size_t p = 0;
	for (size_t s = 0; s <= A->map.nsents; s++) {
		while (p < A->npairs && A->pair_sent[p] < s)
			p++;
		A->pair_first[s] = p;
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* The branches of one kind that may run on sentence s, in order, into
 * A->cand: those whose literals it holds and those without literals. */
static void candidates(scan_ctx *A, size_t s, mct_owner_kind kind)
{
	const mct_ruleset *rs = A->rs;
	A->ncand = 0;
	if (!A->literal_scan) {
		for (size_t b = 0; b < rs->nbranches; b++)
			if (rs->branches[b].kind == kind && eligible(A, &rs->branches[b], s))
				A->cand[A->ncand++] = b;
		return;
	}
	for (size_t p = A->pair_first[s]; p < A->pair_first[s + 1]; p++)
		if (rs->branches[A->pair_branch[p]].kind == kind)
			A->cand[A->ncand++] = A->pair_branch[p];
	for (size_t i = 0; i < rs->nunfiltered; i++) {
		const mct_branch *b = &rs->branches[rs->unfiltered[i]];
		if (b->kind == kind && eligible(A, b, s))
			A->cand[A->ncand++] = rs->unfiltered[i];
	}
	if (A->ncand > 1)
		qsort(A->cand, A->ncand, sizeof *A->cand, cmp_size);
}

/* Leftmost match of branch b in sentence s (absolute offsets). */
static int branch_find(scan_ctx *A, size_t b, size_t s, size_t pos, size_t *ms, size_t *me)
{
	const mct_branch *br = &A->rs->branches[b];
	const mct_sentence *st = &A->map.sents[s];
	int rc = find_code(&A->m, br->code, A->text + st->start, st->end - st->start, pos, ms, me);
	if (rc < 0) {
		const char *what = br->kind == MCT_OWNER_RULE       ? "rule"
		                   : br->kind == MCT_OWNER_NEGATION ? "negation"
		                                                    : "country";
		const char *name = br->kind == MCT_OWNER_RULE ? A->rs->rules[br->owner].info.id
		                   : br->kind == MCT_OWNER_NEGATION
		                       ? A->rs->negations[br->owner].name
		                       : A->rs->countries[br->owner].name;
		note_limit(&A->m, rc, what, name);
		return -1;
	}
	if (rc == 1) {
		*ms += st->start;
		*me += st->start;
	}
	return rc;
}

/* Does the sentence carry a negation or gap cue?  Its offsets in *cs, *ce. */
static int negated(scan_ctx *A, size_t s, size_t *cs, size_t *ce)
{
	if ((A->sflags[s] & F_NEG_DONE) && !cs)
		return (A->sflags[s] & F_NEG) != 0;
	candidates(A, s, MCT_OWNER_NEGATION);
	int neg = 0;
	for (size_t i = 0; i < A->ncand && !neg; i++) {
		size_t ms, me;
		neg = branch_find(A, A->cand[i], s, 0, &ms, &me) == 1;
		if (neg && cs) {
			*cs = ms;
			*ce = me;
		}
	}
	A->sflags[s] |= (unsigned char)(F_NEG_DONE | (neg ? F_NEG : 0));
	return neg;
}

static void add_name(scan_ctx *A, size_t start, size_t end, size_t country)
{
	if (A->nnames == A->capnames) {
		A->capnames = A->capnames ? 2 * A->capnames : 16;
		A->names = mct_xrealloc(A->names, A->capnames * sizeof *A->names);
	}
	A->names[A->nnames++] = (name_hit){start, end, country};
}

static int cmp_name(const void *a, const void *b)
{
	const name_hit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1; /* the longer name first */
	return x->country < y->country ? -1 : x->country > y->country;
}

/* Countries named in sentences [first, end), each once, in order of first
 * mention.  Every name of every candidate country is found; where names
 * overlap ("Guinea" in "Papua New Guinea") the leftmost, then longest,
 * wins. */
static size_t find_countries(scan_ctx *A, size_t first, size_t end, char (*out)[3])
{
	const mct_ruleset *rs = A->rs;
	A->nnames = 0;
	for (size_t s = first; s < end; s++) {
		const mct_sentence *st = &A->map.sents[s];
		size_t len = st->end - st->start;
		candidates(A, s, MCT_OWNER_COUNTRY);
		for (size_t i = 0; i < A->ncand; i++) {
			size_t pos = 0, ms, me;
			while (pos < len && branch_find(A, A->cand[i], s, pos, &ms, &me) == 1) {
				add_name(A, ms, me, rs->branches[A->cand[i]].owner);
				pos = me - st->start;
				if (me == ms)
					pos++;
			}
		}
	}
	if (A->nnames > 1)
		qsort(A->names, A->nnames, sizeof *A->names, cmp_name);
	size_t n = 0, taken_end = 0;
	for (size_t i = 0; i < A->nnames && n < MAX_NAMED; i++) {
		const name_hit *h = &A->names[i];
		if (i > 0 && h->start < taken_end)
			continue;
		taken_end = h->end;
		const char *cc = rs->countries[h->country].name;
		size_t j = 0;
		while (j < n && memcmp(out[j], cc, 2) != 0)
			j++;
		if (j == n)
			memcpy(out[n++], cc, 3);
	}
	return n;
}

static void named_in_sentence(scan_ctx *A, size_t s)
{
	if (A->named_for == (long)s)
		return;
	A->named_for = (long)s;
	A->nnamed = find_countries(A, s, s + 1, A->named);
}

/* Countries named by the nearest heading above block b that names any,
 * going up the outline: from the nearest heading to its parent (a heading
 * of fewer '#'), and so on. */
static void named_in_heading(scan_ctx *A, size_t b)
{
	long h = A->map.blocks[b].prev_heading;
	if (A->heading_for == h)
		return;
	A->heading_for = h;
	A->nheading = 0;
	while (h >= 0 && A->nheading == 0) {
		const mct_block *hb = &A->map.blocks[h];
		A->nheading = find_countries(A, hb->sent_first, hb->sent_end, A->heading);
		h = hb->prev_heading;
		while (h >= 0 && A->map.blocks[h].heading >= hb->heading)
			h = A->map.blocks[h].prev_heading;
	}
}

/* ---- attribution and dedup -------------------------------------------------- */

static int in_list(char (*list)[3], size_t n, const char *cc)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(list[i], cc, 2) == 0)
			return 1;
	return 0;
}

static void add_candidate(scan_ctx *A, const hit *h, const char *cc, int negative)
{
	const mct_rule *r = &A->rs->rules[h->rule];
	for (size_t i = 0; i < A->ncands; i++) {
		candidate *c = &A->cands[i];
		const mct_rule *o = &A->rs->rules[c->rule];
		if (o->indicator != r->indicator || memcmp(c->country, cc, 2) != 0)
			continue;
		if (r->info.weight > o->info.weight ||
		    (r->info.weight == o->info.weight && h->rule < c->rule))
			*c = (candidate){h->rule, {cc[0], cc[1], 0}, negative, h->ms, h->me};
		return;
	}
	if (A->ncands == A->capcands) {
		A->capcands = A->capcands ? 2 * A->capcands : 16;
		A->cands = mct_xrealloc(A->cands, A->capcands * sizeof *A->cands);
	}
	A->cands[A->ncands++] = (candidate){h->rule, {cc[0], cc[1], 0}, negative, h->ms, h->me};
}

/* Decide the countries of one hit (see docs/rules.md, "Country"). */
static void attribute(scan_ctx *A, const hit *h, size_t s, const char *sc, int negative)
{
	const mct_rule *r = &A->rs->rules[h->rule];
	named_in_sentence(A, s);
	char(*list)[3] = A->named;
	size_t n = A->nnamed;
	char one[1][3];
	int fallback = 0;
	if (strcmp(sc, "EU") == 0) {
		if (n == 0) {
			named_in_heading(A, A->map.sents[s].block);
			list = A->heading;
			n = A->nheading;
		}
		if (n == 0) {
			fallback = r->nscope == 1;
			memcpy(one[0], fallback ? r->scope[0] : "EU", 3);
			list = one;
			n = 1;
		}
	} else if (n == 0 || in_list(list, n, sc)) {
		memcpy(one[0], sc, 3);
		list = one;
		n = 1;
	}
	for (size_t i = 0; i < n; i++)
		if (fallback || r->nscope == 0 || in_list(r->scope, r->nscope, list[i]))
			add_candidate(A, h, list[i], negative);
}

static int cmp_candidate(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return memcmp(x->country, y->country, 2);
}

/* ---- output ----------------------------------------------------------------- */

static char *snippet(const char *t, size_t ss, size_t se, size_t ms, size_t me)
{
	if (se - ss <= SNIPPET_BYTES)
		return mct_xstrndup(t + ss, se - ss);
	size_t ws, we;
	if (me - ms >= SNIPPET_BYTES) {
		ws = ms;
		we = ms + SNIPPET_BYTES;
	} else {
		size_t pad = (SNIPPET_BYTES - (me - ms)) / 2;
		ws = ms - ss > pad ? ms - pad : ss;
		we = ws + SNIPPET_BYTES;
		if (we > se) {
			we = se;
			ws = se - SNIPPET_BYTES;
		}
	}
	/* Prefer word boundaries, within a little slack and never into the match. */
	for (size_t k = ws; ws > ss && k < ws + SNIPPET_WORD_SLACK && k < ms; k++)
		if (t[k] == ' ') {
			ws = k + 1;
			break;
		}
	for (size_t k = we; we < se && k > we - SNIPPET_WORD_SLACK && k > me; k--)
		if (t[k - 1] == ' ') {
			we = k - 1;
			break;
		}
	while (ws > ss && ws < se && ((unsigned char)t[ws] & 0xc0) == 0x80)
		ws++;
	while (we < se && we > ws && ((unsigned char)t[we] & 0xc0) == 0x80)
		we--;
	mct_buf b;
	mct_buf_init(&b);
	if (ws > ss)
		mct_buf_puts(&b, "…");
	mct_buf_append(&b, t + ws, we - ws);
	if (we < se)
		mct_buf_puts(&b, "…");
	return mct_buf_steal(&b);
}

static int is_white(int32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 ||
	       utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == 0x2028 || cp == 0x2029;
}

static int is_trailing_punct(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_PO || c == UTF8PROC_CATEGORY_PE || c == UTF8PROC_CATEGORY_PF;
}

/* sha256 of the sentence case-folded, blanks folded, trailing punctuation
 * dropped: the same sentence on two pages (or in two captures) has the same
 * key, whatever its capitalisation or line wrapping. */
static void sentence_key(const char *s, size_t n, char out[65])
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t fl =
	    utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &folded,
	                 UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (fl < 0) {
		mct_sha256_hex(s, n, out);
		return;
	}
	mct_buf b;
	mct_buf_init(&b);
	size_t keep = 0; /* length without trailing blanks and punctuation */
	int blank = 0;
	for (utf8proc_ssize_t i = 0; i < fl;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(folded + i, fl - i, &cp);
		if (k <= 0)
			break;
		if (is_white(cp)) {
			blank = b.len > 0;
		} else {
			if (blank)
				mct_buf_putc(&b, ' ');
			blank = 0;
			mct_buf_append(&b, folded + i, (size_t)k);
			if (!is_trailing_punct(cp))
				keep = b.len;
		}
		i += k;
	}
	mct_sha256_hex(b.data ? b.data : "", keep, out);
	mct_buf_free(&b);
	free(folded);
}

static void emit(scan_ctx *A, const candidate *c, size_t s, mct_matches *out, char key[65])
{
	const mct_sentence *st = &A->map.sents[s];
	if (!key[0])
		sentence_key(A->text + st->start, st->end - st->start, key);
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 16;
		out->items = mct_xrealloc(out->items, out->cap * sizeof *out->items);
	}
	mct_match *m = &out->items[out->n++];
	memset(m, 0, sizeof *m);
	m->rule = &A->rs->rules[c->rule].info;
	memcpy(m->country, c->country, 3);
	m->negative = c->negative;
	m->match_start = c->ms;
	m->match_end = c->me;
	m->sentence_start = st->start;
	m->sentence_end = st->end;
	m->page = A->map.blocks[st->block].page;
	m->match = mct_xstrndup(A->text + c->ms, c->me - c->ms);
	m->snippet = snippet(A->text, st->start, st->end, c->ms, c->me);
	memcpy(m->sentence_key, key, 65);
}

static void add_hit(scan_ctx *A, size_t rule, size_t ms, size_t me)
{
	if (A->nhits == A->caphits) {
		A->caphits = A->caphits ? 2 * A->caphits : 16;
		A->hits = mct_xrealloc(A->hits, A->caphits * sizeof *A->hits);
	}
	A->hits[A->nhits++] = (hit){rule, ms, me};
}

/* The first match of a rule in sentence s among the given branches of it:
 * the leftmost (the earlier branch on a tie), as the alternation of all its
 * branches would find.  With check_literals, notes a branch that matches
 * a sentence holding none of its literals. */
static int rule_find(scan_ctx *A, const size_t *branches, size_t n, size_t s, size_t *ms,
                     size_t *me, int check_literals, int *miss)
{
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		size_t bs, be;
		if (branch_find(A, branches[i], s, 0, &bs, &be) != 1)
			continue;
		const mct_branch *b = &A->rs->branches[branches[i]];
		const mct_sentence *st = &A->map.sents[s];
		if (check_literals && b->literals &&
		    !mct_literals_in(b->literals, b->nliterals, A->text + st->start,
		                     st->end - st->start))
			*miss = 1;
		if (!found || bs < *ms) {
			found = 1;
			*ms = bs;
			*me = be;
		}
	}
	return found;
}

/* Every rule that may fire on sentence s, with its first match there. */
static void rules_on_sentence(scan_ctx *A, size_t s)
{
	const mct_ruleset *rs = A->rs;
	A->nhits = 0;
	candidates(A, s, MCT_OWNER_RULE);
	for (size_t i = 0; i < A->ncand;) {
		size_t rule = rs->branches[A->cand[i]].owner, j = i, ms, me;
		while (j < A->ncand && rs->branches[A->cand[j]].owner == rule)
			j++;
		if (rule_find(A, A->cand + i, j - i, s, &ms, &me, 0, NULL))
			add_hit(A, rule, ms, me);
		i = j;
	}
}

static void sentence_matches(scan_ctx *A, size_t s, const char *sc, mct_matches *out)
{
	rules_on_sentence(A, s);
	if (A->nhits == 0)
		return;
	int neg = negated(A, s, NULL, NULL);
	A->ncands = 0;
	for (size_t i = 0; i < A->nhits; i++)
		attribute(A, &A->hits[i], s, sc,
		          neg || A->rs->rules[A->hits[i].rule].info.always_negative);
	if (A->ncands == 0)
		return; /* every hit fell outside its rule's scope */
	qsort(A->cands, A->ncands, sizeof *A->cands, cmp_candidate);
	char key[65] = "";
	for (size_t i = 0; i < A->ncands; i++)
		emit(A, &A->cands[i], s, out, key);
}

static int valid_country(const char *sc)
{
	return sc && strlen(sc) == 2 && sc[0] >= 'A' && sc[0] <= 'Z' && sc[1] >= 'A' &&
	       sc[1] <= 'Z';
}

mct_status mct_rules_apply_with(const mct_ruleset *rs, const char *text, size_t len,
                                const char *source_country, int prefilter, mct_matches *out,
                                mct_err *err)
{
	memset(out, 0, sizeof *out);
	const char *sc = source_country ? source_country : "EU";
	if (!valid_country(sc))
		return mct_fail(err, MCT_ERR_USAGE,
		                "source country '%s' is not a two-letter code in capitals (LV, EU)",
		                sc);
	size_t bad = mct_utf8_check(text, len);
	if (bad < len)
		return mct_fail(err, MCT_ERR_PARSE,
		                "text is not valid UTF-8 (byte %zu); extract the capture again",
		                bad);
	scan_ctx A;
	ctx_init(&A, rs, text, len);
	mark_mc(&A);
	if (rs->none.n)
		scan(&A, &rs->none, 0, F_NONE);
	if (prefilter)
		scan_literals(&A);
	for (size_t s = 0; s < A.map.nsents; s++)
		sentence_matches(&A, s, sc, out);
	out->limits_hit = A.m.limits_hit;
	out->limit_note = A.m.note;
	A.m.note = NULL;
	ctx_free(&A);
	return MCT_OK;
}

mct_status mct_rules_apply(const mct_ruleset *rs, const char *text, size_t len,
                           const char *source_country, mct_matches *out, mct_err *err)
{
	return mct_rules_apply_with(rs, text, len, source_country, 1, out, err);
}

void mct_matches_free(mct_matches *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->items[i].match);
		free(m->items[i].snippet);
	}
	free(m->items);
	free(m->limit_note);
	memset(m, 0, sizeof *m);
}

/* ---- one rule alone, for mct_rules_check ------------------------------------- */

static void copy_excerpt(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--; /* do not cut a character */
	memcpy(dst, s, n);
	dst[n] = 0;
}

void mct_rule_eval_text(const mct_ruleset *rs, const mct_rule *r, const char *text, size_t len,
                        mct_rule_eval *out)
{
	memset(out, 0, sizeof *out);
	if (mct_utf8_check(text, len) < len)
		return;
	scan_ctx A;
	ctx_init(&A, rs, text, len);
	mark_mc(&A);
	size_t *branches = mct_xcalloc(r->nbranches + 1, sizeof *branches);
	for (size_t i = 0; i < r->nbranches; i++)
		branches[i] = r->branch0 + i;
	for (size_t s = 0; s < A.map.nsents; s++) {
		size_t ms, me, cs = 0, ce = 0;
		if (!rule_find(&A, branches, r->nbranches, s, &ms, &me, 1, &out->prefilter_miss))
			continue;
		if (!context_ok(&A, r->info.context, s)) {
			out->pattern_only = 1;
			continue;
		}
		int cue = negated(&A, s, &cs, &ce);
		if (!out->hit[0])
			copy_excerpt(out->hit, sizeof out->hit, text + ms, me - ms);
		if (cue && !out->cue[0])
			copy_excerpt(out->cue, sizeof out->cue, text + cs, ce - cs);
		if (cue || r->info.always_negative)
			out->negative = 1;
		else
			out->positive = 1;
	}
	free(branches);
	out->limit = A.m.limits_hit > 0;
	ctx_free(&A);
}
