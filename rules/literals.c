/*
 * rules/literals.c - the literal prefilter: which rules can possibly match
 * a sentence, found with one cheap pass over the text.
 *
 * PCRE2 runs a pattern with many alternatives by trying each alternative
 * at each position, so running hundreds of vocabulary-heavy rules on every
 * candidate sentence costs microseconds per rule and sentence.  Most rules
 * cannot match most sentences, though: a rule about "financiación" needs
 * "financ" somewhere.  At load time each pattern is analysed for a set of
 * literals such that every match contains at least one of them (the idea
 * of RE2's prefilter and of Hyperscan's literal extraction, done here on
 * the pattern text).  Applying the rules, one pass over the text finds
 * where these literals occur, and a rule only runs on the sentences where
 * one of its literals does.
 *
 * The analysis must never claim a literal that a match could lack, so it
 * is conservative: anything it does not fully understand (backreferences,
 * conditionals, verbs, extended mode) makes the pattern "unfiltered", and
 * its rule simply runs on every sentence its context allows.  Literals are
 * compared with ASCII case folded; letters outside ASCII are never part of
 * a literal (their case variants are not single bytes).  Two non-ASCII
 * characters match ASCII letters caselessly (KELVIN SIGN is k, LATIN SMALL
 * LETTER LONG S is s): a text holding them is scanned as a copy where they
 * are replaced by those letters, and offsets are mapped back.
 */
#include "rules_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MIN_LITERAL  2   /* shorter literals occur everywhere */
#define MAX_LITERAL  48  /* longer ones are cut (a prefix is still required) */
#define MAX_EXACT    32  /* strings tracked for an exact alternative set */
#define MAX_REQUIRED 512 /* literals kept for one requirement */

/* ---- string sets -------------------------------------------------------- */

typedef struct {
	char **v;
	size_t n;
} strset;

static strset *set_new(void)
{
	return mct_xcalloc(1, sizeof(strset));
}

static void set_free(strset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s);
}

static void set_add(strset *s, const char *str, size_t len)
{
	if (len > MAX_LITERAL)
		len = MAX_LITERAL;
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && memcmp(s->v[i], str, len) == 0)
			return;
	s->v = mct_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = mct_xstrndup(str, len);
}

static strset *set_one(const char *str, size_t len)
{
	strset *s = set_new();
	set_add(s, str, len);
	return s;
}

static size_t set_minlen(const strset *s)
{
	size_t m = (size_t)-1;
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) < m)
			m = strlen(s->v[i]);
	return s->n ? m : 0;
}

/* a x b, or NULL when the product would grow beyond MAX_EXACT strings or
 * MAX_LITERAL bytes (then the caller keeps the parts). */
static strset *set_cross(const strset *a, const strset *b)
{
	if (a->n * b->n > MAX_EXACT)
		return NULL;
	strset *r = set_new();
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			size_t la = strlen(a->v[i]), lb = strlen(b->v[j]);
			if (la + lb > MAX_LITERAL) {
				set_free(r);
				return NULL;
			}
			char buf[2 * MAX_LITERAL + 1];
			memcpy(buf, a->v[i], la);
			memcpy(buf + la, b->v[j], lb);
			set_add(r, buf, la + lb);
		}
	return r;
}

/* ---- pattern analysis ---------------------------------------------------- */

/* What is known about the strings a piece of pattern matches:
 *   exact: it matches exactly one of these strings (NULL: unknown);
 *   req:   every match contains one of these strings (NULL: nothing known). */
typedef struct {
	strset *exact;
	strset *req;
} info;

typedef struct {
	const char *p, *end;
	int bail; /* something not understood: no literal can be claimed */
} parser;

static void info_free(info *x)
{
	set_free(x->exact);
	set_free(x->req);
	x->exact = x->req = NULL;
}

static info unknown(void)
{
	return (info){NULL, NULL};
}

static info empty(void)
{
	return (info){set_one("", 0), NULL};
}

/* A requirement made of an exact set: only if every string is long enough. */
static strset *exact_to_req(const strset *e)
{
	if (!e || e->n == 0 || e->n > MAX_REQUIRED || set_minlen(e) < MIN_LITERAL)
		return NULL;
	strset *r = set_new();
	for (size_t i = 0; i < e->n; i++)
		set_add(r, e->v[i], strlen(e->v[i]));
	return r;
}

/* Of two requirements that both hold, keep the more selective one. */
static strset *req_best(strset *a, strset *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	size_t ma = set_minlen(a), mb = set_minlen(b);
	int keep_a = ma > mb || (ma == mb && a->n <= b->n);
	set_free(keep_a ? b : a);
	return keep_a ? a : b;
}

/* The requirement of a piece, consuming it. */
static strset *info_req(info *x)
{
	strset *r = req_best(exact_to_req(x->exact), x->req);
	x->req = NULL;
	info_free(x);
	return r;
}

static info parse_alt(parser *P);

static void lower_ascii(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

/* One character as a literal: ASCII case-folded, or a non-ASCII symbol or
 * punctuation character without case (€, °, –); anything else is unknown. */
static info char_info(int32_t cp)
{
	char buf[4];
	if (cp <= 0)
		return unknown();
	if (cp < 0x80) {
		buf[0] = (char)cp;
		lower_ascii(buf, 1);
		return (info){set_one(buf, 1), NULL};
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_ZS:
		break;
	default:
		return unknown();
	}
	if (utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp)
		return unknown();
	utf8proc_ssize_t n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf);
	return (info){set_one(buf, (size_t)n), NULL};
}

static int32_t hex_value(parser *P)
{
	int32_t v = 0;
	int digits = 0;
	int braces = P->p < P->end && *P->p == '{';
	if (braces)
		P->p++;
	while (P->p < P->end && strchr("0123456789abcdefABCDEF", *P->p) && *P->p &&
	       (braces || digits < 2)) {
		char c = *P->p++;
		v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		if (v > 0x10ffff)
			return -1;
		digits++;
	}
	if (braces) {
		if (P->p >= P->end || *P->p != '}')
			return -1;
		P->p++;
	}
	return v;
}

static info parse_escape(parser *P)
{
	if (P->p >= P->end) {
		P->bail = 1;
		return unknown();
	}
	char c = *P->p++;
	switch (c) {
	case 'b':
	case 'B':
	case 'A':
	case 'z':
	case 'Z':
	case 'G':
	case 'K':
	case 'E':
		return empty(); /* zero-width */
	case 'd':
	case 'D':
	case 'w':
	case 'W':
	case 's':
	case 'S':
	case 'h':
	case 'H':
	case 'v':
	case 'V':
	case 'R':
	case 'X':
		return unknown();
	case 'p':
	case 'P':
		if (P->p < P->end && *P->p == '{') {
			const char *close = memchr(P->p, '}', (size_t)(P->end - P->p));
			if (!close) {
				P->bail = 1;
				return unknown();
			}
			P->p = close + 1;
		} else if (P->p < P->end) {
			P->p++;
		}
		return unknown();
	case 'x': {
		int32_t cp = hex_value(P);
		if (cp < 0)
			P->bail = 1;
		return char_info(cp);
	}
	case 't':
		return char_info('\t');
	case 'n':
		return char_info('\n');
	case 'r':
		return char_info('\r');
	case 'f':
		return char_info('\f');
	case 'e':
		return char_info(27);
	case 'a':
		return char_info(7);
	case 'Q': {
		/* Quoted to \E or to the end: required as far as it is ASCII. */
		const char *q = P->p;
		while (P->p < P->end && !(P->p[0] == '\\' && P->p + 1 < P->end && P->p[1] == 'E'))
			P->p++;
		size_t n = (size_t)(P->p - q), ascii = 0;
		if (P->p < P->end)
			P->p += 2;
		while (ascii < n && (unsigned char)q[ascii] < 0x80 && q[ascii])
			ascii++;
		if (ascii == 0)
			return n ? unknown() : empty();
		strset *lit = set_one(q, ascii); /* cut to MAX_LITERAL */
		lower_ascii(lit->v[0], strlen(lit->v[0]));
		if (ascii == n && n <= MAX_LITERAL)
			return (info){lit, NULL};
		info r = {NULL, exact_to_req(lit)};
		set_free(lit);
		return r;
	}
	default:
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (unsigned char)c >= 0x80) {
			/* backreferences, octal, \g \k \c \N \o ...: not worth it */
			P->bail = 1;
			return unknown();
		}
		return char_info(c); /* an escaped punctuation character */
	}
}

/* PCRE2's test for a POSIX item ([:alpha:], [.x.], [=x=]) at p[j] inside a
 * class: the index just past it, or 0 when the '[' is an ordinary member. */
static size_t posix_end(const char *p, size_t n, size_t j)
{
	if (j + 1 >= n || p[j] != '[' || (p[j + 1] != ':' && p[j + 1] != '.' && p[j + 1] != '='))
		return 0;
	char term = p[j + 1];
	for (size_t k = j + 2; k + 1 < n; k++) {
		if (p[k] == '\\' && (p[k + 1] == ']' || p[k + 1] == '\\'))
			k++;
		else if ((p[k] == '[' && p[k + 1] == term) || p[k] == ']')
			return 0;
		else if (p[k] == term && p[k + 1] == ']')
			return k + 2;
	}
	return 0;
}

/* [...]: a small set of single characters, or unknown. */
static info parse_class(parser *P)
{
	const char *p = P->p; /* after '[' */
	int negated = 0, simple = 1;
	if (p < P->end && *p == '^') {
		negated = 1;
		p++;
	}
	strset *chars = set_new();
	int first = 1;
	while (p < P->end && (*p != ']' || first)) {
		first = 0;
		size_t posix = posix_end(P->p, (size_t)(P->end - P->p), (size_t)(p - P->p));
		if (posix) {
			if (p[1] != ':') {
				P->bail = 1; /* collating elements */
				break;
			}
			p = P->p + posix;
			simple = 0;
			continue;
		}
		if (*p == '\\') {
			if (p + 1 >= P->end)
				break;
			char e = p[1];
			if (strchr("dDwWsShHvVpPxX0123456789", e) || (e >= 'a' && e <= 'z') ||
			    (e >= 'A' && e <= 'Z'))
				simple = 0;
			if (e == 'c') {
				p += 3; /* \cX */
				continue;
			}
			if ((e == 'p' || e == 'P' || e == 'x') && p + 2 < P->end && p[2] == '{') {
				const char *close = memchr(p, '}', (size_t)(P->end - p));
				if (!close)
					break;
				p = close + 1;
				continue;
			}
			if (e == 'Q' || e == 'E') {
				P->bail = 1;
				break;
			}
			if (simple) {
				char ch = e;
				lower_ascii(&ch, 1);
				set_add(chars, &ch, 1);
			}
			p += 2;
			continue;
		}
		if ((unsigned char)*p >= 0x80)
			simple = 0;
		else if (p + 2 < P->end && p[1] == '-' && p[2] != ']')
			simple = 0; /* a range */
		else if (simple) {
			char ch = *p;
			lower_ascii(&ch, 1);
			set_add(chars, &ch, 1);
		}
		p++;
	}
	if (p >= P->end || *p != ']') {
		P->bail = 1;
		set_free(chars);
		return unknown();
	}
	P->p = p + 1;
	if (negated || !simple || chars->n == 0 || chars->n > 8) {
		set_free(chars);
		return unknown();
	}
	return (info){chars, NULL};
}

/* "(?..." constructs; P->p is after "(?". */
static info parse_special_group(parser *P)
{
	const char *p = P->p;
	if (p >= P->end) {
		P->bail = 1;
		return unknown();
	}
	int lookaround = 0;
	if (*p == ':' || *p == '|' || *p == '>') {
		P->p = p + 1;
	} else if (*p == '=' || *p == '!') {
		lookaround = 1;
		P->p = p + 1;
	} else if (*p == '<' && p + 1 < P->end && (p[1] == '=' || p[1] == '!')) {
		lookaround = 1;
		P->p = p + 2;
	} else if (*p == '#') {
		const char *close = memchr(p, ')', (size_t)(P->end - p));
		if (!close) {
			P->bail = 1;
			return unknown();
		}
		P->p = close + 1;
		return empty();
	} else {
		/* option settings: (?i) (?-i) (?i:...) (?^) ... */
		const char *q = p;
		int neg = 0;
		while (q < P->end && strchr("imnsxJU-^", *q) && *q) {
			if (*q == '-')
				neg = 1;
			else if (*q == 'x' && !neg)
				P->bail = 1; /* extended mode: white space means nothing */
			q++;
		}
		if (q >= P->end || (*q != ')' && *q != ':')) {
			P->bail = 1; /* named groups, conditionals, recursion, callouts */
			return unknown();
		}
		P->p = q + 1;
		if (*q == ')')
			return empty();
	}
	info in = parse_alt(P);
	if (P->p >= P->end || *P->p != ')') {
		P->bail = 1;
		info_free(&in);
		return unknown();
	}
	P->p++;
	if (lookaround) {
		info_free(&in);
		return empty();
	}
	return in;
}

static info parse_atom(parser *P)
{
	char c = *P->p;
	if (c == '(') {
		P->p++;
		if (P->p < P->end && *P->p == '*') {
			P->bail = 1; /* verbs and alpha assertions */
			return unknown();
		}
		if (P->p < P->end && *P->p == '?') {
			P->p++;
			return parse_special_group(P);
		}
		info in = parse_alt(P);
		if (P->p >= P->end || *P->p != ')') {
			P->bail = 1;
			info_free(&in);
			return unknown();
		}
		P->p++;
		return in;
	}
	if (c == '[') {
		P->p++;
		return parse_class(P);
	}
	if (c == '\\') {
		P->p++;
		return parse_escape(P);
	}
	if (c == '.') {
		P->p++;
		return unknown();
	}
	if (c == '^' || c == '$') {
		P->p++;
		return empty();
	}
	if (c == '*' || c == '+' || c == '?') {
		P->bail = 1;
		P->p++;
		return unknown();
	}
	if (c == '{' && P->p + 1 < P->end && strchr("0123456789, ", P->p[1])) {
		P->bail = 1; /* a quantifier with nothing before it, or {,n} */
		P->p++;
		return unknown();
	}
	utf8proc_int32_t cp = -1;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)P->p,
	                                      (utf8proc_ssize_t)(P->end - P->p), &cp);
	if (n <= 0) {
		P->bail = 1;
		P->p++;
		return unknown();
	}
	P->p += n;
	return char_info(cp);
}

/* {n}, {n,}, {n,m}: returns 1 and the bounds (max -1: unbounded). */
static int parse_braces(parser *P, long *min, long *max)
{
	const char *p = P->p + 1;
	char *e;
	if (p >= P->end || !(*p >= '0' && *p <= '9'))
		return 0;
	*min = strtol(p, &e, 10);
	*max = *min;
	if (e < P->end && *e == ',') {
		e++;
		*max = -1;
		if (e < P->end && *e >= '0' && *e <= '9')
			*max = strtol(e, &e, 10);
	}
	if (e >= P->end || *e != '}')
		return 0;
	P->p = e + 1;
	return 1;
}

static info repeat(info a, long min, long max)
{
	if (min == 0) {
		if (max == 1 && a.exact) {
			strset *e = a.exact;
			a.exact = NULL;
			info_free(&a);
			set_add(e, "", 0);
			if (e->n > MAX_EXACT) {
				set_free(e);
				return unknown();
			}
			return (info){e, NULL};
		}
		info_free(&a);
		return unknown();
	}
	if (min == 1 && max == 1)
		return a;
	return (info){NULL, info_req(&a)};
}

static info parse_repeat(parser *P)
{
	info a = parse_atom(P);
	while (P->p < P->end && !P->bail) {
		long min, max;
		char c = *P->p;
		if (c == '*' || c == '+' || c == '?') {
			min = c == '+';
			max = c == '?' ? 1 : -1;
			P->p++;
		} else if (c == '{' && parse_braces(P, &min, &max)) {
			/* bounds parsed */
		} else {
			break;
		}
		if (P->p < P->end && (*P->p == '?' || *P->p == '+'))
			P->p++; /* lazy or possessive */
		a = repeat(a, min, max);
	}
	return a;
}

/* A sequence: adjacent exact pieces multiply out ("micro" x {"-", " ", ""}
 * x "credential"); the best requirement of all pieces is kept. */
static info parse_concat(parser *P)
{
	strset *cur = set_one("", 0);
	strset *best = NULL;
	int all_exact = 1;
	while (P->p < P->end && *P->p != '|' && *P->p != ')' && !P->bail) {
		info x = parse_repeat(P);
		if (x.exact) {
			strset *prod = set_cross(cur, x.exact);
			if (!prod) {
				/* too many strings: what we have so far is still required */
				best = req_best(best, exact_to_req(cur));
				set_free(cur);
				cur = x.exact;
				x.exact = NULL;
				all_exact = 0;
			} else {
				set_free(cur);
				cur = prod;
			}
			best = req_best(best, x.req);
			x.req = NULL;
			info_free(&x);
			continue;
		}
		all_exact = 0;
		best = req_best(best, exact_to_req(cur));
		set_free(cur);
		cur = set_one("", 0);
		best = req_best(best, info_req(&x));
	}
	if (all_exact)
		return (info){cur, best};
	best = req_best(best, exact_to_req(cur));
	set_free(cur);
	return (info){NULL, best};
}

/* Either side: exact sets unite; requirements unite, and vanish when one
 * side has none. */
static info alternate(info a, info b)
{
	strset *exact = NULL;
	if (a.exact && b.exact && a.exact->n + b.exact->n <= MAX_EXACT) {
		exact = set_new();
		for (size_t i = 0; i < a.exact->n; i++)
			set_add(exact, a.exact->v[i], strlen(a.exact->v[i]));
		for (size_t i = 0; i < b.exact->n; i++)
			set_add(exact, b.exact->v[i], strlen(b.exact->v[i]));
	}
	strset *ra = info_req(&a), *rb = info_req(&b);
	strset *req = NULL;
	if (ra && rb && ra->n + rb->n <= MAX_REQUIRED) {
		req = ra;
		for (size_t i = 0; i < rb->n; i++)
			set_add(req, rb->v[i], strlen(rb->v[i]));
		ra = NULL;
	}
	set_free(ra);
	set_free(rb);
	return (info){exact, req};
}

static info parse_alt(parser *P)
{
	info acc = parse_concat(P);
	while (P->p < P->end && *P->p == '|' && !P->bail) {
		P->p++;
		acc = alternate(acc, parse_concat(P));
	}
	return acc;
}

char **mct_required_literals(const char *pattern, size_t *n)
{
	parser P = {pattern, pattern + strlen(pattern), 0};
	info x = parse_alt(&P);
	strset *req = info_req(&x);
	*n = 0;
	if (P.bail || P.p != P.end || !req) {
		set_free(req);
		return NULL;
	}
	char **v = req->v;
	*n = req->n;
	free(req);
	return v;
}

/* ---- the index ------------------------------------------------------------ */

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Buckets per table: literals of 2 bytes by those bytes, literals of 3
 * bytes by a hash of them, longer ones by a hash of their first 4. */
static const unsigned table_bits[3] = {16, 16, 18};

static size_t table_of(size_t len)
{
	return len <= 2 ? 0 : len == 3 ? 1 : 2;
}

/* Bucket of the (already folded) bytes b[0..] in table t. */
static size_t bucket(size_t t, const unsigned char *b)
{
	if (t == 0)
		return (size_t)b[0] << 8 | b[1];
	uint32_t k = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16;
	if (t == 2)
		k |= (uint32_t)b[3] << 24;
	return (k * 2654435761u) >> (32 - table_bits[t]);
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void rehash(mct_literal_index *ix)
{
	free(ix->slots);
	ix->nslots = ix->nslots ? 2 * ix->nslots : 1024;
	ix->slots = mct_xcalloc(ix->nslots, sizeof *ix->slots);
	for (size_t i = 0; i < ix->nlits; i++) {
		size_t h = hash_str(ix->lits[i].s) & (ix->nslots - 1);
		while (ix->slots[h])
			h = (h + 1) & (ix->nslots - 1);
		ix->slots[h] = (uint32_t)i + 1;
	}
}

static size_t literal_id(mct_literal_index *ix, const char *s)
{
	if (2 * (ix->nlits + 1) > ix->nslots)
		rehash(ix);
	size_t h = hash_str(s) & (ix->nslots - 1);
	for (; ix->slots[h]; h = (h + 1) & (ix->nslots - 1))
		if (strcmp(ix->lits[ix->slots[h] - 1].s, s) == 0)
			return ix->slots[h] - 1;
	if (ix->nlits == ix->caplits) {
		ix->caplits = ix->caplits ? 2 * ix->caplits : 256;
		ix->lits = mct_xrealloc(ix->lits, ix->caplits * sizeof *ix->lits);
	}
	ix->lits[ix->nlits] = (mct_literal){mct_xstrdup(s), strlen(s), NULL, 0};
	ix->slots[h] = (uint32_t)ix->nlits + 1;
	return ix->nlits++;
}

void mct_literal_index_add(mct_literal_index *ix, size_t target, char *const *lits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t id = literal_id(ix, lits[i]); /* may move ix->lits */
		mct_literal *l = &ix->lits[id];
		if (l->ntargets && l->targets[l->ntargets - 1] == target)
			continue;
		l->targets = mct_xrealloc(l->targets, (l->ntargets + 1) * sizeof *l->targets);
		l->targets[l->ntargets++] = target;
	}
}

void mct_literal_index_finish(mct_literal_index *ix)
{
	for (size_t t = 0; t < 3; t++) {
		size_t nb = (size_t)1 << table_bits[t];
		ix->first[t] = mct_xcalloc(nb + 1, sizeof *ix->first[t]);
		ix->order[t] = mct_xcalloc(ix->nlits + 1, sizeof *ix->order[t]);
		for (size_t i = 0; i < ix->nlits; i++)
			if (table_of(ix->lits[i].len) == t)
				ix->first[t][bucket(t, (const unsigned char *)ix->lits[i].s) + 1]++;
		for (size_t k = 0; k < nb; k++)
			ix->first[t][k + 1] += ix->first[t][k];
		uint32_t *fill = mct_xcalloc(nb, sizeof *fill);
		for (size_t i = 0; i < ix->nlits; i++) {
			if (table_of(ix->lits[i].len) != t)
				continue;
			size_t k = bucket(t, (const unsigned char *)ix->lits[i].s);
			ix->order[t][ix->first[t][k] + fill[k]++] = (uint32_t)i;
		}
		free(fill);
	}
	free(ix->slots);
	ix->slots = NULL;
	ix->nslots = 0;
}

void mct_literal_index_free(mct_literal_index *ix)
{
	for (size_t i = 0; i < ix->nlits; i++) {
		free(ix->lits[i].s);
		free(ix->lits[i].targets);
	}
	free(ix->lits);
	for (size_t t = 0; t < 3; t++) {
		free(ix->first[t]);
		free(ix->order[t]);
	}
	free(ix->slots);
	memset(ix, 0, sizeof *ix);
}

/* ---- KELVIN SIGN and LONG S ------------------------------------------------ */

typedef struct {
	size_t at;    /* offset in the folded copy ... */
	size_t shift; /* ... from which on the original is this much longer */
} fold_mark;

typedef struct {
	char *text; /* NULL: the original has neither character */
	size_t len;
	fold_mark *marks;
	size_t nmarks;
} folded;

static void fold_special(const char *text, size_t len, folded *f)
{
	memset(f, 0, sizeof *f);
	if (!memmem(text, len, "\xe2\x84\xaa", 3) && !memmem(text, len, "\xc5\xbf", 2))
		return;
	mct_buf b;
	mct_buf_init(&b);
	size_t shift = 0;
	for (size_t i = 0; i < len;) {
		size_t n = 0;
		char c = 0;
		if (i + 3 <= len && memcmp(text + i, "\xe2\x84\xaa", 3) == 0) {
			n = 3;
			c = 'k';
		} else if (i + 2 <= len && memcmp(text + i, "\xc5\xbf", 2) == 0) {
			n = 2;
			c = 's';
		}
		if (!n) {
			mct_buf_putc(&b, text[i++]);
			continue;
		}
		mct_buf_putc(&b, c);
		shift += n - 1;
		i += n;
		f->marks = mct_xrealloc(f->marks, (f->nmarks + 1) * sizeof *f->marks);
		f->marks[f->nmarks++] = (fold_mark){b.len, shift};
	}
	f->len = b.len;
	f->text = mct_buf_steal(&b);
}

static void folded_free(folded *f)
{
	free(f->text);
	free(f->marks);
}

/* Offset in the original of offset p of the folded copy. */
static size_t unfold(const folded *f, size_t p)
{
	size_t lo = 0, hi = f->nmarks;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->marks[mid].at <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? p + f->marks[lo - 1].shift : p;
}

static void scan_bucket(const mct_literal_index *ix, size_t t, size_t k, const unsigned char *t0,
                        size_t i, size_t len, const folded *f,
                        void (*hit)(void *ctx, const mct_literal *lit, size_t start, size_t end),
                        void *ctx)
{
	for (uint32_t b = ix->first[t][k], e = ix->first[t][k + 1]; b < e; b++) {
		const mct_literal *l = &ix->lits[ix->order[t][b]];
		if (l->len > len - i)
			continue;
		size_t j = 0;
		while (j < l->len && fold(t0[i + j]) == (unsigned char)l->s[j])
			j++;
		if (j == l->len)
			hit(ctx, l, f ? unfold(f, i) : i, f ? unfold(f, i + l->len) : i + l->len);
	}
}

static void scan_text(const mct_literal_index *ix, const char *text, size_t len, const folded *f,
                      void (*hit)(void *ctx, const mct_literal *lit, size_t start, size_t end),
                      void *ctx)
{
	if (!ix->first[0] || len < MIN_LITERAL)
		return;
	const unsigned char *t = (const unsigned char *)text;
	unsigned char b[4];
	for (size_t i = 0; i + 1 < len; i++) {
		/* table tb holds literals of tb + 2 bytes (the last: or more) */
		size_t have = len - i < 4 ? len - i : 4;
		for (size_t j = 0; j < have; j++)
			b[j] = fold(t[i + j]);
		for (size_t tb = 0; tb + 2 <= have; tb++) {
			size_t k = bucket(tb, b);
			if (ix->first[tb][k] != ix->first[tb][k + 1])
				scan_bucket(ix, tb, k, t, i, len, f, hit, ctx);
		}
	}
}

void mct_literal_scan(const mct_literal_index *ix, const char *text, size_t len,
                      void (*hit)(void *ctx, const mct_literal *lit, size_t start, size_t end),
                      void *ctx)
{
	folded f;
	fold_special(text, len, &f);
	if (f.text)
		scan_text(ix, f.text, f.len, &f, hit, ctx);
	else
		scan_text(ix, text, len, NULL, hit, ctx);
	folded_free(&f);
}

static int contains(char *const *lits, size_t n, const unsigned char *t, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(lits[i]);
		for (size_t at = 0; l <= len && at <= len - l; at++) {
			size_t j = 0;
			while (j < l && fold(t[at + j]) == (unsigned char)lits[i][j])
				j++;
			if (j == l)
				return 1;
		}
	}
	return 0;
}

int mct_literals_in(char *const *lits, size_t n, const char *text, size_t len)
{
	folded f;
	fold_special(text, len, &f);
	int r = f.text ? contains(lits, n, (const unsigned char *)f.text, f.len)
	               : contains(lits, n, (const unsigned char *)text, len);
	folded_free(&f);
	return r;
}

/* ---- branches ------------------------------------------------------------- */

#define MAX_BRANCHES 256 /* per pattern; beyond, the pattern stays whole */

/* End of the pattern item at p[i] for the purpose of finding parentheses
 * and bars: an escape (\Q...\E included), a class, a comment, or one byte. */
static size_t item_end(const char *p, size_t n, size_t i)
{
	if (p[i] == '\\') {
		if (i + 1 < n && p[i + 1] == 'Q') {
			const char *e = strstr(p + i + 2, "\\E");
			return e ? (size_t)(e - p) + 2 : n;
		}
		size_t e = i + 2 + (i + 1 < n && p[i + 1] == 'c'); /* \cX: a control character */
		return e < n ? e : n;
	}
	if (p[i] == '[') {
		size_t j = i + 1;
		if (j < n && p[j] == '^')
			j++;
		if (j < n && p[j] == ']')
			j++;
		while (j < n && p[j] != ']') {
			if (p[j] == '\\' && j + 1 < n && p[j + 1] == 'Q') {
				const char *e = strstr(p + j + 2, "\\E");
				j = e ? (size_t)(e - p) + 2 : n;
			} else if (p[j] == '\\')
				j += 2 + (j + 1 < n && p[j + 1] == 'c');
			else if (posix_end(p, n, j))
				j = posix_end(p, n, j);
			else
				j++;
		}
		return j < n ? j + 1 : n;
	}
	if (p[i] == '(' && i + 2 < n && p[i + 1] == '?' && p[i + 2] == '#') {
		const char *e = memchr(p + i, ')', n - i);
		return e ? (size_t)(e - p) + 1 : n;
	}
	return i + 1;
}

/* "(?i)", "(?-x)": an option setting that reaches over later alternatives. */
static int option_setting(const char *p, size_t n, size_t i)
{
	if (i + 2 >= n || p[i + 1] != '?')
		return 0;
	size_t j = i + 2;
	while (j < n && p[j] && strchr("imnsxJU-^", p[j]))
		j++;
	return j > i + 2 && j < n && p[j] == ')';
}

static void add_part(char ***v, size_t *n, const char *p, size_t len)
{
	*v = mct_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = mct_xstrndup(p, len);
}

static void split_rec(const char *p, size_t n, char ***v, size_t *count)
{
	size_t bars[MAX_BRANCHES], nbars = 0, close_of_first = 0;
	int depth = 0, options = 0;
	for (size_t i = 0; i < n; i = item_end(p, n, i)) {
		if (p[i] == '(') {
			if (depth == 0 && option_setting(p, n, i))
				options = 1;
			depth++;
		} else if (p[i] == ')') {
			if (--depth == 0 && close_of_first == 0 && p[0] == '(')
				close_of_first = i;
		} else if (p[i] == '|' && depth == 0) {
			if (nbars + 1 >= MAX_BRANCHES)
				options = 1; /* too many: keep whole */
			else
				bars[nbars++] = i;
		}
	}
	/* start-of-pattern items such as (*UCP) or (*CRLF) apply to all branches */
	if (n > 2 && p[0] == '(' && p[1] == '*' && p[2] >= 'A' && p[2] <= 'Z')
		options = 1;
	if (options || depth != 0 || *count + nbars + 1 > MAX_BRANCHES) {
		add_part(v, count, p, n);
		return;
	}
	if (nbars > 0) {
		size_t start = 0;
		for (size_t k = 0; k <= nbars; k++) {
			size_t end = k < nbars ? bars[k] : n;
			split_rec(p + start, end - start, v, count);
			start = end + 1;
		}
		return;
	}
	/* One group spanning the whole pattern: (...), (?:...), (?|...), (?>...). */
	if (n >= 2 && p[0] == '(' && close_of_first == n - 1) {
		size_t open = 1;
		if (p[1] == '?' && n >= 3 && (p[2] == ':' || p[2] == '|' || p[2] == '>'))
			open = 3;
		else if (p[1] == '?' || p[1] == '*')
			open = 0; /* lookaround, options, named ...: keep whole */
		if (open) {
			split_rec(p + open, n - 1 - open, v, count);
			return;
		}
	}
	add_part(v, count, p, n);
}

/* Backreferences and subroutine calls count groups, which splitting
 * renumbers: such a pattern stays whole. */
static int refers_to_groups(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i = item_end(p, n, i)) {
		if (p[i] == '\\' && i + 1 < n && strchr("123456789gk", p[i + 1]))
			return 1;
		if (p[i] != '(' || i + 3 >= n || p[i + 1] != '?')
			continue;
		char c = p[i + 2], d = p[i + 3];
		if ((c >= '0' && c <= '9') || c == 'R' || c == '&' ||
		    ((c == '+' || c == '-') && d >= '0' && d <= '9') ||
		    (c == 'P' && (d == '=' || d == '>')))
			return 1;
	}
	return 0;
}

char **mct_split_alternatives(const char *pattern, size_t *n)
{
	char **v = NULL;
	size_t len = strlen(pattern);
	*n = 0;
	if (refers_to_groups(pattern, len))
		add_part(&v, n, pattern, len);
	else
		split_rec(pattern, len, &v, n);
	return v;
}
