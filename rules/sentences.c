/*
 * rules/sentences.c - cuts a capture's text into blocks and sentences.
 *
 * The crawler's text has one block (paragraph, list item, cell, heading)
 * per line, headings marked with '#', and PDF pages separated by '\f'.
 * Rules look at sentences: a block is split after . ! ? ; (and closing
 * quotes or brackets) when blanks and then a capital letter, a digit, a
 * quote or a bracket follow, unless the '.' ends a known abbreviation
 * (e.g., Nr., z.B., art.), an initial (J.), a dotted abbreviation (R.D.,
 * D.Lgs.) or the number of a list item at the start of the block.  A
 * sentence never spans blocks, and a longer run than MCT_MAX_SENTENCE
 * bytes is cut at a blank.  The splitter is a heuristic on purpose: a
 * sentence split a little too early or too late only changes how much
 * context evidence carries, while a tokenizer per language would be a
 * project of its own.  The UTF-8 validator lives here because every
 * search relies on the text having passed it once.
 */
#include "rules_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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

static void push_sentence(mct_textmap *map, size_t s, size_t e, size_t block)
{
	if (map->nsents == map->capsents) {
		map->capsents = map->capsents ? 2 * map->capsents : 256;
		map->sents = mct_xrealloc(map->sents, map->capsents * sizeof *map->sents);
	}
	map->sents[map->nsents++] = (mct_sentence){s, e, block};
}

static void add_sentence(mct_textmap *map, const char *text, size_t s, size_t e, size_t block)
{
	size_t sp;
	while (s < e && is_space_at(text + s, text + e, &sp))
		s += sp;
	while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
		e--;
	/* A run without any break (a table flattened into one line) is cut at
	 * a blank, so that no search sees more than MCT_MAX_SENTENCE bytes. */
	while (e - s > MCT_MAX_SENTENCE) {
		size_t cut = s + MCT_MAX_SENTENCE;
		while (cut > s + MCT_MAX_SENTENCE / 2 && text[cut] != ' ')
			cut--;
		if (text[cut] != ' ')
			for (cut = s + MCT_MAX_SENTENCE; ((unsigned char)text[cut] & 0xc0) == 0x80;
			     cut--)
				;
		push_sentence(map, s, cut, block);
		s = cut;
		while (s < e && is_space_at(text + s, text + e, &sp))
			s += sp;
	}
	if (s < e)
		push_sentence(map, s, e, block);
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
	map->blocks[b] = (mct_block){s, e, map->nsents, 0, page, heading, *last_heading};
	if (heading)
		*last_heading = (long)b;
	split_block(map, text, s, e, b);
	map->blocks[b].sent_end = map->nsents;
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
