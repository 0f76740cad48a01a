/*
 * rules/match.c - applies a rule set to a capture's text.
 *
 * The text (crawler format: one block per line, '#' headings, '\f' between
 * PDF pages) is first cut into blocks and sentences.  Matching then avoids
 * running every rule over the whole text, which would cost one pass per
 * rule:
 *   1. one pass of the {{MC}} vocabulary marks the sentences, blocks and
 *      the document that name micro-credentials;
 *   2. one pass of the union of every context = none pattern marks the
 *      sentences such a rule can hit;
 *   3. each rule then runs only on the sentences its context allows
 *      (context = sentence: the marked sentences, block: the sentences of
 *      marked blocks, document: all sentences when the document is marked,
 *      none: the sentences of pass 2), one sentence being one subject, so
 *      ^ and $ anchor at sentence ends;
 *   4. negation cues and country names (one union each, countries told
 *      apart by (*MARK:CC)) run only on sentences some rule hit.
 * A pass over the whole text jumps to the next sentence after each hit and
 * confirms a hit that crosses a sentence end on that sentence alone, so it
 * finds what sentence-by-sentence searches would, in one PCRE2 call per hit.
 * Unions whose patterns depend on subject boundaries (^, $, lookbehind) are
 * searched sentence by sentence instead.
 *
 * Every search runs under a match and depth limit; a search cut off counts
 * in limits_hit and the run goes on.  Left out: language detection (rules
 * of every language run on every sentence; their patterns are specific
 * enough) and polarity finer than the sentence (a cue anywhere in the
 * sentence negates every match in it).
 */
#include "rules_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define SNIPPET_BYTES      300
#define SNIPPET_WORD_SLACK 30
#define MAX_NAMED          64 /* countries kept per sentence */

/* ---- UTF-8 ---------------------------------------------------------------- */

size_t mct_utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		uint64_t w;
		while (i + 8 <= n && (memcpy(&w, p + i, 8), (w & 0x8080808080808080ULL) == 0))
			i += 8;
		if (i >= n)
			break;
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = c >= 0xc2 && c <= 0xdf   ? 2
		             : c >= 0xe0 && c <= 0xef ? 3
		             : c >= 0xf0 && c <= 0xf4 ? 4
		                                      : 0;
		if (len == 0 || i + len > n)
			return i;
		for (size_t k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
		if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] > 0x9f) ||
		    (c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] > 0x8f))
			return i; /* overlong, surrogate, above U+10FFFF */
		i += len;
	}
	return n;
}

static int32_t decode(const char *p, size_t n)
{
	utf8proc_int32_t cp = -1;
	if (n > 0)
		utf8proc_iterate((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)(n < 4 ? n : 4),
		                 &cp);
	return cp;
}

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
	memset(m, 0, sizeof *m);
}

static void note_limit(mct_matcher *m, int rc, const char *what, const char *name)
{
	m->limits_hit++;
	if (m->note)
		return;
	PCRE2_UCHAR msg[160];
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
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

static int find_code(mct_matcher *m, const pcre2_code *c, const char *subj, size_t len,
                     size_t start, size_t *ms, size_t *me, const char **mark)
{
	int rc = pcre2_match(c, (PCRE2_SPTR)subj, len, start, PCRE2_NO_UTF_CHECK, m->md, m->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return rc;
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	*ms = ov[0];
	*me = ov[1] > ov[0] ? ov[1] : ov[0];
	if (mark)
		*mark = (const char *)pcre2_get_mark(m->md);
	return 1;
}

int mct_union_find(mct_matcher *m, const mct_union *u, const char *subj, size_t len, size_t start,
                   size_t *ms, size_t *me, const char **mark, const char *what, const char *name)
{
	int found = 0, cut = 0;
	for (size_t i = 0; i < u->n; i++) {
		size_t s, e;
		const char *mk = NULL;
		int rc = find_code(m, u->codes[i], subj, len, start, &s, &e, &mk);
		if (rc < 0) {
			note_limit(m, rc, what, name);
			cut = 1;
		} else if (rc == 1 && (!found || s < *ms)) {
			found = 1;
			*ms = s;
			*me = e;
			if (mark)
				*mark = mk;
		}
	}
	return found ? 1 : cut ? -1 : 0;
}

/* ---- blocks and sentences ------------------------------------------------- */

/* Words ending in '.' after which a capital does not start a sentence. */
static const char *const abbreviations[] = {
    "e.g.", "i.e.",  "etc.",  "nr.",  "no.",   "art.",  "vs.",   "approx.", "ca.",    "cf.",
    "z.b.", "u.a.",  "d.h.",  "bzw.", "ggf.",  "vgl.",  "abs.",  "inkl.",   "usw.",   "lpp.",
    "pag.", "pp.",   "št.",   "Št.",  "dz.",   "sr.",   "sra.",  "dr.",     "prof.",  "mr.",
    "mrs.", "ms.",   "st.",   "vol.", "fig.",  "par.",  "para.", "incl.",   "aprox.", "núm.",
    "pág.", "ej.",   "ecc.",  "poz.", "pkt.",  "ust.",  "tj.",   "np.",     "ds.",    "zm.",
    "str.", "piem.", "utt.",  "pvz.", "odst.", "písm.", "atd.",  "tzv.",    "resp.",  "al.",
    "op.",  "cit.",  "ibid.", "ltd.", "inc.",  "co.",   "mme.",  "mlle.",   "gem.",   "tel.",
};

static int lower_eq(const char *a, size_t n, const char *b)
{
	if (strlen(b) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];
		if (c != b[i])
			return 0;
	}
	return 1;
}

static int is_space_at(const char *p, const char *end, size_t *len)
{
	if (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) {
		*len = 1;
		return 1;
	}
	if (end - p >= 2 && (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0) {
		*len = 2; /* no-break space */
		return 1;
	}
	return 0;
}

static int is_opener(int32_t cp)
{
	static const int32_t openers[] = {'"',    '\'',   '(',    '[',    '{',    0xab,
	                                  0xbb,   0x201c, 0x201d, 0x201e, 0x2018, 0x2019,
	                                  0x201a, 0x2039, 0x203a, 0xbf,   0xa1};
	for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++)
		if (openers[i] == cp)
			return 1;
	return 0;
}

/* Closing quote or bracket right after a sentence end: its length, or 0. */
static size_t closer_len(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	if (*p == '"' || *p == '\'' || *p == ')' || *p == ']')
		return 1;
	int32_t cp = decode(p, (size_t)(end - p));
	if (cp == 0xbb || cp == 0xab)
		return 2;
	if (cp == 0x201d || cp == 0x2019 || cp == 0x201c)
		return 3;
	return 0;
}

static int starts_sentence(const char *p, const char *end)
{
	int32_t cp = decode(p, (size_t)(end - p));
	if (cp < 0)
		return 0;
	utf8proc_category_t cat = utf8proc_category(cp);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
	       cat == UTF8PROC_CATEGORY_ND || is_opener(cp);
}

/* Is the word ending with the '.' at dot an abbreviation, an initial, or the
 * number of a list item at the start of the block? */
static int abbreviation(const char *text, size_t block_start, size_t dot)
{
	size_t w = dot;
	while (w > block_start && text[w - 1] != ' ' && text[w - 1] != '\t')
		w--;
	while (w < dot && strchr("([\"'", text[w]))
		w++;
	size_t n = dot + 1 - w;
	const char *tok = text + w;
	for (size_t i = 0; i < sizeof abbreviations / sizeof abbreviations[0]; i++)
		if (lower_eq(tok, n, abbreviations[i]))
			return 1;
	/* An initial: one letter. */
	utf8proc_int32_t cp = -1;
	if (n > 1 && utf8proc_iterate((const utf8proc_uint8_t *)tok, (utf8proc_ssize_t)(n - 1),
	                              &cp) == (utf8proc_ssize_t)(n - 1)) {
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL)
			return 1;
	}
	/* Letters with inner dots (R.D., D.Lgs., t.sk.), or a list number "1." "2.3." at
	 * the start of the block. */
	int letters = 1, digits = 1, inner_dot = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)tok[i];
		if (c == '.') {
			inner_dot = 1;
			continue;
		}
		if (!(c >= '0' && c <= '9'))
			digits = 0;
		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c < 0x80)
			letters = 0;
	}
	if (letters && inner_dot)
		return 1;
	return digits && w == block_start;
}

static void add_sentence(mct_textmap *map, const char *text, size_t s, size_t e, size_t block)
{
	size_t sp;
	while (s < e && is_space_at(text + s, text + e, &sp))
		s += sp;
	while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
		e--;
	if (s >= e)
		return;
	if (map->nsents == map->capsents) {
		map->capsents = map->capsents ? 2 * map->capsents : 256;
		map->sents = mct_xrealloc(map->sents, map->capsents * sizeof *map->sents);
	}
	map->sents[map->nsents++] = (mct_sentence){s, e, block};
}

/* Sentences of one block: a break after . ! ? ; (and any closing quotes)
 * followed by blanks and a capital, digit, quote or bracket, unless the '.'
 * ends an abbreviation.  A sentence never spans blocks. */
static void split_block(mct_textmap *map, const char *text, size_t bs, size_t be, size_t block)
{
	const char *end = text + be;
	size_t s = bs;
	for (size_t i = bs; i < be; i++) {
		char c = text[i];
		if (c != '.' && c != '!' && c != '?' && c != ';')
			continue;
		size_t k = i + 1, n;
		while ((n = closer_len(text + k, end)) > 0)
			k += n;
		size_t m = k;
		while (is_space_at(text + m, end, &n))
			m += n;
		if (m == k || m >= be || !starts_sentence(text + m, end))
			continue;
		if (c == '.' && k == i + 1 && abbreviation(text, bs, i))
			continue;
		add_sentence(map, text, s, k, block);
		s = m;
		i = m - 1;
	}
	add_sentence(map, text, s, be, block);
}

static void add_block(mct_textmap *map, const char *text, size_t s, size_t e, int page,
                      long *last_heading)
{
	size_t sp;
	while (s < e && is_space_at(text + s, text + e, &sp))
		s += sp;
	if (s >= e)
		return;
	int heading = 0;
	if (text[s] == '#') {
		size_t h = s;
		while (h < e && text[h] == '#')
			h++;
		if (h < e && text[h] == ' ') {
			heading = (int)(h - s);
			s = h + 1;
		}
	}
	if (map->nblocks == map->capblocks) {
		map->capblocks = map->capblocks ? 2 * map->capblocks : 128;
		map->blocks = mct_xrealloc(map->blocks, map->capblocks * sizeof *map->blocks);
	}
	size_t b = map->nblocks++;
	map->blocks[b] = (mct_block){s, e, page, heading, *last_heading};
	if (heading)
		*last_heading = (long)b;
	split_block(map, text, s, e, b);
}

void mct_textmap_build(const char *text, size_t len, mct_textmap *map)
{
	memset(map, 0, sizeof *map);
	int page = 1;
	long last_heading = -1;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n' && text[i] != '\f')
			continue;
		add_block(map, text, start, i, page, &last_heading);
		if (i < len && text[i] == '\f')
			page++;
		start = i + 1;
	}
}

void mct_textmap_free(mct_textmap *map)
{
	free(map->blocks);
	free(map->sents);
	memset(map, 0, sizeof *map);
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
	mct_matcher_init(&A->m);
}

static void ctx_free(scan_ctx *A)
{
	mct_textmap_free(&A->map);
	free(A->sflags);
	free(A->bmc);
	free(A->hits);
	free(A->cands);
	mct_matcher_free(&A->m);
}

static int sentence_find(scan_ctx *A, const mct_union *u, size_t s, size_t *ms, size_t *me,
                         const char *what, const char *name)
{
	const mct_sentence *st = &A->map.sents[s];
	int rc = mct_union_find(&A->m, u, A->text + st->start, st->end - st->start, 0, ms, me, NULL,
	                        what, name);
	if (rc == 1) {
		*ms += st->start;
		*me += st->start;
	}
	return rc;
}

/* For prefilters: may u match in sentence s?  A search cut off by a limit
 * answers yes (and is not counted): the rules behind the prefilter then run
 * on the sentence, and the one at fault is the one that gets reported. */
static int may_match(scan_ctx *A, const pcre2_code *c, size_t s)
{
	const mct_sentence *st = &A->map.sents[s];
	size_t ms, me;
	return find_code(&A->m, c, A->text + st->start, st->end - st->start, 0, &ms, &me, NULL) !=
	       0;
}

/* Search one code over the run of sentences [s, last], marking hits. */
static void scan_run(scan_ctx *A, const pcre2_code *c, size_t s, size_t last, unsigned bit)
{
	const mct_sentence *sents = A->map.sents;
	size_t subj_len = sents[last].end;
	while (s <= last) {
		size_t ms, me;
		int rc = find_code(&A->m, c, A->text, subj_len, sents[s].start, &ms, &me, NULL);
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

static int eligible(const scan_ctx *A, mct_rule_context c, size_t s)
{
	switch (c) {
	case MCT_CONTEXT_SENTENCE:
		return (A->sflags[s] & F_MC) != 0;
	case MCT_CONTEXT_BLOCK:
		return A->bmc[A->map.sents[s].block];
	case MCT_CONTEXT_DOCUMENT:
		return A->doc_mc;
	default:
		return (A->sflags[s] & F_NONE) != 0;
	}
}

/* Does the sentence carry a negation or gap cue?  Its offsets in *cs, *ce. */
static int negated(scan_ctx *A, size_t s, size_t *cs, size_t *ce)
{
	if (A->rs->negation.n == 0)
		return 0;
	if ((A->sflags[s] & F_NEG_DONE) && !cs)
		return (A->sflags[s] & F_NEG) != 0;
	size_t ms = 0, me = 0;
	int neg = sentence_find(A, &A->rs->negation, s, &ms, &me, "negation", "cues") == 1;
	A->sflags[s] |= (unsigned char)(F_NEG_DONE | (neg ? F_NEG : 0));
	if (neg && cs) {
		*cs = ms;
		*ce = me;
	}
	return neg;
}

/* Countries named in text[s, e), each once, in order of first mention. */
static size_t find_countries(scan_ctx *A, size_t s, size_t e, char (*out)[3])
{
	size_t n = 0, pos = 0, ms, me;
	const char *mark = NULL;
	while (pos < e - s && n < MAX_NAMED &&
	       mct_union_find(&A->m, &A->rs->country, A->text + s, e - s, pos, &ms, &me, &mark,
	                      "country", "names") == 1) {
		pos = me > ms ? me : ms + 1;
		if (!mark || strlen(mark) != 2)
			continue;
		size_t i = 0;
		while (i < n && memcmp(out[i], mark, 2) != 0)
			i++;
		if (i == n)
			memcpy(out[n++], mark, 3);
	}
	return n;
}

static void named_in_sentence(scan_ctx *A, size_t s)
{
	if (A->named_for == (long)s)
		return;
	A->named_for = (long)s;
	A->nnamed = find_countries(A, A->map.sents[s].start, A->map.sents[s].end, A->named);
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
		A->nheading = find_countries(A, hb->start, hb->end, A->heading);
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

/* Every rule that may fire on sentence s, with its first match there. */
static void rules_on_sentence(scan_ctx *A, size_t s)
{
	const mct_ruleset *rs = A->rs;
	A->nhits = 0;
	for (int c = 0; c < 4; c++) {
		if (rs->nby_context[c] == 0 || !eligible(A, (mct_rule_context)c, s))
			continue;
		for (size_t i = 0; i < rs->nby_context[c]; i++) {
			size_t r = rs->by_context[c][i], ms, me;
			if (sentence_find(A, &rs->rules[r].re, s, &ms, &me, "rule",
			                  rs->rules[r].info.id) == 1)
				add_hit(A, r, ms, me);
		}
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

mct_status mct_rules_apply(const mct_ruleset *rs, const char *text, size_t len,
                           const char *source_country, mct_matches *out, mct_err *err)
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
	if (rs->nby_context[MCT_CONTEXT_NONE])
		scan(&A, &rs->none, 0, F_NONE);
	for (size_t s = 0; s < A.map.nsents; s++)
		sentence_matches(&A, s, sc, out);
	out->limits_hit = A.m.limits_hit;
	out->limit_note = A.m.note;
	A.m.note = NULL;
	ctx_free(&A);
	return MCT_OK;
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
	for (size_t s = 0; s < A.map.nsents; s++) {
		size_t ms, me, cs = 0, ce = 0;
		if (sentence_find(&A, &r->re, s, &ms, &me, "rule", r->info.id) != 1)
			continue;
		if (r->info.context != MCT_CONTEXT_NONE && !eligible(&A, r->info.context, s)) {
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
	out->limit = A.m.limits_hit > 0;
	ctx_free(&A);
}
