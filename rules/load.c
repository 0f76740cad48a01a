/*
 * rules/load.c - reads the rule files of a folder into a compiled rule set.
 *
 * Loading runs in three passes.  The first reads every *.rules file (name
 * order) into sections of key = value lines and rejects what is not
 * understood at once: a stray line, an unknown section kind or key, a bad
 * name, a duplicate.  The second expands defines; defines are global, so a
 * define may be used before, after or in another file than where it is
 * written, and cycles are reported.  The third checks each rule's values,
 * compiles its patterns one by one (so a PCRE2 error names the pattern's own
 * line) and then as unions: one per rule and section, and the two that a
 * single pass over a text runs ({{MC}}, and the context = none rules that
 * the literal prefilter cannot serve).  Last, the literal prefilter
 * (literals.c) learns which literals each rule and section needs.
 *
 * Every error is "file:line: what; what is allowed" and the first error
 * stops the load: rule files are small and fixed one error at a time.
 * Left out on purpose: include directives, inline comments inside values
 * (a '#' in a pattern is a literal), and multi-line values.
 */
#include "rules_internal.h"
#include "../config/config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_RULE_FILE_BYTES (16 * 1024 * 1024)

typedef enum { SEC_DEFINE, SEC_RULE, SEC_NEGATION, SEC_COUNTRY, SEC_KINDS } sec_kind;

static const char *const sec_kind_names[SEC_KINDS] = {"define", "rule", "negation", "country"};

/* Keys allowed per section kind, as shown in error messages. */
static const char *const sec_keys[SEC_KINDS] = {
    "pattern",
    "indicator, dimension, weight, lang, country, context, polarity, pattern, match, "
    "match_negative, nomatch",
    "pattern, match, nomatch",
    "pattern, match, nomatch",
};

/* Keys that take one value; the others repeat. */
static const char *const single_keys[] = {"indicator", "dimension", "weight",  "lang",
                                          "country",   "context",   "polarity"};

static const char *const context_names[] = {"sentence", "block", "document", "none"};

typedef struct {
	char *key;
	char *value;
	int line;
} kv;

typedef struct {
	sec_kind kind;
	char *name;
	const char *file;
	int line;
	kv *kvs;
	size_t nkvs, capkvs;
	/* defines: 0 not expanded, 1 being expanded, 2 done */
	int state;
	char *expansion;
	char **alts;
	size_t nalts;
} section;

typedef struct {
	mct_ruleset *rs;
	section *secs;
	size_t nsecs, capsecs;
} loader;

/* ---- small checks ------------------------------------------------------- */

/* The country codes the configuration accepts (ISO 3166-1 alpha-2 and EU). */
static int iso_country(const char *cc)
{
	return mct_country_valid(cc);
}

static int valid_lang(const char *s)
{
	return strcmp(s, "*") == 0 ||
	       (strlen(s) == 2 && islower((unsigned char)s[0]) && islower((unsigned char)s[1]) &&
	        isascii((unsigned char)s[0]) && isascii((unsigned char)s[1]));
}

static int valid_define_name(const char *s, size_t n)
{
	if (n == 0 || !(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int valid_rule_id(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

static int key_allowed(sec_kind kind, const char *key)
{
	const char *list = sec_keys[kind];
	size_t n = strlen(key);
	for (const char *p = list; (p = strstr(p, key)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == 0))
			return 1;
	return 0;
}

static int key_single(const char *key)
{
	for (size_t i = 0; i < sizeof single_keys / sizeof single_keys[0]; i++)
		if (strcmp(single_keys[i], key) == 0)
			return 1;
	return 0;
}

/* ---- pass 1: lines into sections ---------------------------------------- */

static section *find_section(loader *L, sec_kind kind, const char *name, size_t n)
{
	for (size_t i = 0; i < L->nsecs; i++)
		if (L->secs[i].kind == kind && strlen(L->secs[i].name) == n &&
		    memcmp(L->secs[i].name, name, n) == 0)
			return &L->secs[i];
	return NULL;
}

static mct_status check_section_name(sec_kind kind, const char *name, const char *file, int line,
                                     mct_err *err)
{
	switch (kind) {
	case SEC_DEFINE:
		if (!valid_define_name(name, strlen(name)))
			return mct_fail(
			    err, MCT_ERR_CONFIG,
			    "%s:%d: define name '%s' is invalid; a define name is capitals, "
			    "digits and '_', starting with a capital (MC, FUNDING_WORDS)",
			    file, line, name);
		break;
	case SEC_RULE:
		if (!valid_rule_id(name))
			return mct_fail(
			    err, MCT_ERR_CONFIG,
			    "%s:%d: rule id '%s' is invalid; a rule id is lowercase letters, "
			    "digits, '.', '_' and '-' (policy.funding.amount.es)",
			    file, line, name);
		break;
	case SEC_NEGATION:
		if (!valid_lang(name))
			return mct_fail(
			    err, MCT_ERR_CONFIG,
			    "%s:%d: language '%s' is not an ISO 639-1 code (two lowercase "
			    "letters) or '*'",
			    file, line, name);
		break;
	default:
		if (!iso_country(name))
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: country '%s' is not an ISO 3166-1 alpha-2 code in "
			                "capitals (Greece is GR, the United Kingdom GB) or EU",
			                file, line, name);
		break;
	}
	return MCT_OK;
}

static mct_status open_section(loader *L, char *inside, const char *file, int line, mct_err *err)
{
	char *kind = trim(inside);
	char *name = kind;
	while (*name && !is_blank(*name))
		name++;
	if (*name)
		*name++ = 0;
	name = trim(name);
	if (!*kind || !*name || strpbrk(name, " \t"))
		return mct_fail(
		    err, MCT_ERR_CONFIG,
		    "%s:%d: a section header is [KIND NAME], e.g. [rule policy.funding.es]", file,
		    line);
	int k = 0;
	while (k < SEC_KINDS && strcmp(sec_kind_names[k], kind) != 0)
		k++;
	if (k == SEC_KINDS)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: unknown section kind '%s'; sections are [define NAME], "
		                "[rule ID], [negation LANG] and [country CC]",
		                file, line, kind);
	mct_status st = check_section_name((sec_kind)k, name, file, line, err);
	if (st != MCT_OK)
		return st;
	const section *dup = find_section(L, (sec_kind)k, name, strlen(name));
	if (dup)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: duplicate %s '%s'; first defined at %s:%d", file, line,
		                k == SEC_RULE ? "rule id" : sec_kind_names[k], name, dup->file,
		                dup->line);
	if (L->nsecs == L->capsecs) {
		L->capsecs = L->capsecs ? 2 * L->capsecs : 64;
		L->secs = mct_xrealloc(L->secs, L->capsecs * sizeof *L->secs);
	}
	section *s = &L->secs[L->nsecs++];
	memset(s, 0, sizeof *s);
	s->kind = (sec_kind)k;
	s->name = mct_xstrdup(name);
	s->file = file;
	s->line = line;
	return MCT_OK;
}

static const kv *first_kv(const section *s, const char *key)
{
	for (size_t i = 0; i < s->nkvs; i++)
		if (strcmp(s->kvs[i].key, key) == 0)
			return &s->kvs[i];
	return NULL;
}

static mct_status add_kv(loader *L, char *key, char *value, const char *file, int line,
                         mct_err *err)
{
	if (L->nsecs == 0)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: '%s = ...' outside of a section; start one with a header "
		                "such as [rule ID]",
		                file, line, key);
	section *s = &L->secs[L->nsecs - 1];
	if (!key_allowed(s->kind, key))
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: unknown key '%s' in a [%s] section; allowed keys: %s", file,
		                line, key, sec_kind_names[s->kind], sec_keys[s->kind]);
	if (!*value)
		return mct_fail(err, MCT_ERR_CONFIG, "%s:%d: key '%s' has no value", file, line,
		                key);
	const kv *prev = first_kv(s, key);
	if (prev && key_single(key))
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: key '%s' given twice in [%s %s] (first at line %d); only "
		                "pattern and example keys repeat",
		                file, line, key, sec_kind_names[s->kind], s->name, prev->line);
	if (s->nkvs == s->capkvs) {
		s->capkvs = s->capkvs ? 2 * s->capkvs : 8;
		s->kvs = mct_xrealloc(s->kvs, s->capkvs * sizeof *s->kvs);
	}
	s->kvs[s->nkvs++] = (kv){mct_xstrdup(key), mct_xstrdup(value), line};
	return MCT_OK;
}

static mct_status parse_line(loader *L, char *raw, const char *file, int line, mct_err *err)
{
	char *p = trim(raw);
	if (!*p || *p == '#')
		return MCT_OK;
	if (*p == '[') {
		char *close = strrchr(p, ']');
		if (!close || close[1])
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: section header without closing ']'", file, line);
		*close = 0;
		return open_section(L, p + 1, file, line, err);
	}
	char *k = p;
	while (isalnum((unsigned char)*k) || *k == '_' || *k == '-')
		k++;
	char *eq = k;
	while (is_blank(*eq))
		eq++;
	if (k == p || *eq != '=')
		return mct_fail(
		    err, MCT_ERR_CONFIG,
		    "%s:%d: line not understood; expected '[kind name]', 'key = value', "
		    "a '#' comment or a blank line",
		    file, line);
	*k = 0;
	return add_kv(L, p, trim(eq + 1), file, line, err);
}

static mct_status parse_file(loader *L, const char *path, mct_err *err)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_status st = mct_read_file(path, MAX_RULE_FILE_BYTES, &b, err);
	if (st != MCT_OK)
		goto out;
	size_t bad = mct_utf8_check(b.data, b.len);
	char *p = b.data, *end = b.data + b.len;
	for (int line = 1; p < end && st == MCT_OK; line++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		if (bad < (size_t)(eol - b.data) || memchr(p, 0, (size_t)(eol - p))) {
			st = mct_fail(err, MCT_ERR_CONFIG,
			              "%s:%d: not valid UTF-8 text; save the file as UTF-8", path,
			              line);
			break;
		}
		*eol = 0;
		st = parse_line(L, p, path, line, err);
		p = eol + 1;
	}
out:
	mct_buf_free(&b);
	return st;
}

/* ---- pass 2: defines ---------------------------------------------------- */

static mct_status resolve_define(loader *L, section *d, mct_err *err);

/* A '{' preceded by an odd number of backslashes is a literal. */
static int escaped(const char *s, size_t i)
{
	size_t n = 0;
	while (i > n && s[i - n - 1] == '\\')
		n++;
	return n % 2;
}

static mct_status expand(loader *L, const char *pat, const char *file, int line, mct_buf *out,
                         mct_err *err)
{
	mct_buf_reset(out);
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] != '{' || pat[i + 1] != '{' || escaped(pat, i)) {
			mct_buf_putc(out, pat[i]);
			continue;
		}
		size_t j = i + 2;
		while (isalnum((unsigned char)pat[j]) || pat[j] == '_' || pat[j] == ' ')
			j++;
		if (pat[j] != '}' || pat[j + 1] != '}') {
			mct_buf_putc(out, pat[i]);
			continue;
		}
		const char *name = pat + i + 2;
		size_t n = j - i - 2;
		if (!valid_define_name(name, n))
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: '{{%.*s}}' is not a define reference; define names "
			                "are capitals, digits and '_' ({{MC}})",
			                file, line, (int)n, name);
		section *d = find_section(L, SEC_DEFINE, name, n);
		if (!d)
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: unknown define {{%.*s}}; write it as [define %.*s] "
			                "with pattern lines",
			                file, line, (int)n, name, (int)n, name);
		if (d->state == 1)
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: {{%s}} makes a cycle: define %s uses itself, "
			                "directly or through other defines",
			                file, line, d->name, d->name);
		mct_status st = resolve_define(L, d, err);
		if (st != MCT_OK)
			return st;
		mct_buf_puts(out, d->expansion);
		if (out->len > MCT_RE_MAX_EXPANDED)
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: pattern is longer than %d bytes once defines are "
			                "expanded",
			                file, line, MCT_RE_MAX_EXPANDED);
		i = j + 1;
	}
	return MCT_OK;
}

/* Compile one expanded pattern on its own, so that an error names its line. */
static mct_status check_pattern(const char *file, int line, const char *written,
                                const char *expanded, mct_err *err)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)expanded, PCRE2_ZERO_TERMINATED, MCT_RE_OPTIONS,
	                              &ec, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: pattern does not compile: %s at offset %zu%s", file, line,
		                (const char *)msg, (size_t)off,
		                strcmp(written, expanded) ? " of the expanded pattern" : "");
	}
	uint32_t names = 0, empty = 0;
	pcre2_pattern_info(c, PCRE2_INFO_NAMECOUNT, &names);
	pcre2_pattern_info(c, PCRE2_INFO_MATCHEMPTY, &empty);
	pcre2_code_free(c);
	if (names)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: named groups are not supported in patterns; use (?:...)",
		                file, line);
	if (empty)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: pattern can match the empty string, so it would hit every "
		                "sentence",
		                file, line);
	return MCT_OK;
}

/* Expand and check every pattern line of a section into s->alts. */
static mct_status section_patterns(loader *L, section *s, mct_err *err)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_status st = MCT_OK;
	for (size_t i = 0; i < s->nkvs && st == MCT_OK; i++) {
		const kv *e = &s->kvs[i];
		if (strcmp(e->key, "pattern") != 0)
			continue;
		st = expand(L, e->value, s->file, e->line, &b, err);
		if (st == MCT_OK)
			st = check_pattern(s->file, e->line, e->value, b.data, err);
		if (st == MCT_OK) {
			s->alts = mct_xrealloc(s->alts, (s->nalts + 1) * sizeof *s->alts);
			s->alts[s->nalts++] = mct_buf_steal(&b);
		}
	}
	mct_buf_free(&b);
	if (st == MCT_OK && s->nalts == 0)
		st = mct_fail(err, MCT_ERR_CONFIG, "%s:%d: [%s %s] has no 'pattern' line", s->file,
		              s->line, sec_kind_names[s->kind], s->name);
	return st;
}

static mct_status resolve_define(loader *L, section *d, mct_err *err)
{
	if (d->state == 2)
		return MCT_OK;
	d->state = 1;
	mct_status st = section_patterns(L, d, err);
	if (st != MCT_OK)
		return st;
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_puts(&b, "(?:");
	for (size_t i = 0; i < d->nalts; i++)
		mct_buf_printf(&b, "%s%s", i ? "|" : "", d->alts[i]);
	mct_buf_puts(&b, ")");
	d->expansion = mct_buf_steal(&b);
	d->state = 2;
	return MCT_OK;
}

/* ---- unions ------------------------------------------------------------- */

/* Does a pattern depend on where the subject starts or ends (^ $ \A \z \Z
 * \G, verbs)?  Then it must be searched sentence by sentence.  A lexical
 * scan: it may say yes for a pattern that is not (which only costs speed),
 * not the other way round. */
static int position_sensitive(const char *p)
{
	int in_class = 0;
	for (size_t i = 0; p[i]; i++) {
		char c = p[i];
		if (c == '\\') {
			if (!p[i + 1])
				break;
			if (!in_class && strchr("AZzGK", p[i + 1]))
				return 1;
			i++;
			continue;
		}
		if (in_class) {
			if (c == ']')
				in_class = 0;
			continue;
		}
		if (c == '[') {
			in_class = 1;
			if (p[i + 1] == '^')
				i++;
			if (p[i + 1] == ']')
				i++;
		} else if (c == '^' || c == '$') {
			return 1;
		} else if (c == '(' && p[i + 1] == '*') {
			return 1;
		}
	}
	return 0;
}

static pcre2_code *compile_alts(const mct_alt *alts, size_t n, int *ec)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_puts(&b, "(?|");
	for (size_t i = 0; i < n; i++) {
		mct_buf_printf(&b, "%s(?:%s)", i ? "|" : "", alts[i].pattern);
	}
	mct_buf_puts(&b, ")");
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)b.data, b.len, MCT_RE_OPTIONS, ec, &off, NULL);
	mct_buf_free(&b);
	/* Without JIT (unsupported CPU) pcre2_match interprets: slower, same result. */
	if (c)
		pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

static mct_status union_add(mct_union *u, const mct_alt *alts, size_t n, mct_err *err)
{
	int ec = 0;
	pcre2_code *c = compile_alts(alts, n, &ec);
	if (c) {
		u->codes = mct_xrealloc(u->codes, (u->n + 1) * sizeof *u->codes);
		u->codes[u->n++] = c;
		return MCT_OK;
	}
	if (n > 1) {
		mct_status st = union_add(u, alts, n / 2, err);
		return st != MCT_OK ? st : union_add(u, alts + n / 2, n - n / 2, err);
	}
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(ec, msg, sizeof msg);
	return mct_fail(err, MCT_ERR_CONFIG,
	                "%s:%d: pattern cannot be combined with others: %s (start-of-pattern "
	                "items such as (*UTF) are not supported)",
	                alts[0].file, alts[0].line, (const char *)msg);
}

mct_status mct_union_build(const mct_alt *alts, size_t n, mct_union *u, mct_err *err)
{
	memset(u, 0, sizeof *u);
	for (size_t i = 0; i < n; i++)
		if (position_sensitive(alts[i].pattern))
			u->anchored = 1;
	if (n == 0)
		return MCT_OK;
	mct_status st = union_add(u, alts, n, err);
	if (st != MCT_OK)
		mct_union_free(u);
	return st;
}

void mct_union_free(mct_union *u)
{
	for (size_t i = 0; i < u->n; i++)
		pcre2_code_free(u->codes[i]);
	free(u->codes);
	memset(u, 0, sizeof *u);
}

/* Union of the pattern alternatives of a section, all from one file. */
static mct_status section_union(const section *s, mct_union *u, mct_err *err)
{
	mct_alt *alts = mct_xcalloc(s->nalts ? s->nalts : 1, sizeof *alts);
	size_t k = 0;
	for (size_t i = 0; i < s->nkvs; i++)
		if (strcmp(s->kvs[i].key, "pattern") == 0 && k < s->nalts) {
			alts[k] = (mct_alt){s->alts[k], s->file, s->kvs[i].line};
			k++;
		}
	mct_status st = mct_union_build(alts, k, u, err);
	free(alts);
	return st;
}

/* ---- pass 3: rules, negations, countries -------------------------------- */

static void add_examples(const section *s, mct_example **ex, size_t *n)
{
	for (size_t i = 0; i < s->nkvs; i++) {
		const kv *e = &s->kvs[i];
		mct_example_kind k;
		if (strcmp(e->key, "match") == 0)
			k = MCT_EX_MATCH;
		else if (strcmp(e->key, "match_negative") == 0)
			k = MCT_EX_MATCH_NEGATIVE;
		else if (strcmp(e->key, "nomatch") == 0)
			k = MCT_EX_NOMATCH;
		else
			continue;
		*ex = mct_xrealloc(*ex, (*n + 1) * sizeof **ex);
		(*ex)[(*n)++] = (mct_example){k, e->line, mct_xstrdup(e->value)};
	}
}

static void free_examples(mct_example *ex, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ex[i].text);
	free(ex);
}

static mct_status rule_indicator(const section *s, mct_rule *r, mct_err *err)
{
	const kv *e = first_kv(s, "indicator");
	r->indicator = mct_indicator_find(e->value);
	if (r->indicator < 0) {
		const char *dot = strchr(e->value, '.');
		int dim = dot ? -1 : mct_dimension_find(e->value);
		char dimname[32];
		if (dot && (size_t)(dot - e->value) < sizeof dimname) {
			memcpy(dimname, e->value, (size_t)(dot - e->value));
			dimname[dot - e->value] = 0;
			dim = mct_dimension_find(dimname);
		}
		mct_buf list;
		mct_buf_init(&list);
		for (size_t i = 0; i < mct_indicator_count && dim >= 0; i++)
			if (mct_indicators[i].dimension == dim)
				mct_buf_printf(&list, "%s%s", list.len ? ", " : "",
				               mct_indicators[i].id);
		mct_status st;
		if (dim >= 0)
			st = mct_fail(
			    err, MCT_ERR_CONFIG,
			    "%s:%d: unknown indicator '%s'; indicators of dimension '%s': %s",
			    s->file, e->line, e->value, mct_dimension_ids[dim], list.data);
		else
			st = mct_fail(
			    err, MCT_ERR_CONFIG,
			    "%s:%d: unknown indicator '%s'; indicator ids are "
			    "DIMENSION.NAME with dimensions policy, ecosystem, infra, usage "
			    "(the list is in docs/rules.md)",
			    s->file, e->line, e->value);
		mct_buf_free(&list);
		return st;
	}
	r->info.indicator = mct_indicators[r->indicator].id;
	r->info.dimension = mct_indicators[r->indicator].dimension;
	e = first_kv(s, "dimension");
	if (e && mct_dimension_find(e->value) != r->info.dimension)
		return mct_fail(
		    err, MCT_ERR_CONFIG,
		    "%s:%d: dimension '%s' does not match indicator '%s' (dimension '%s')", s->file,
		    e->line, e->value, r->info.indicator, mct_dimension_ids[r->info.dimension]);
	return MCT_OK;
}

static mct_status rule_weight(const section *s, mct_rule *r, mct_err *err)
{
	const kv *e = first_kv(s, "weight");
	char *end = NULL;
	double w = strtod(e->value, &end);
	if (strspn(e->value, "0123456789.") != strlen(e->value) || !end || *end || !isfinite(w) ||
	    w <= 0 || w > 10)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: weight '%s' is not a number with 0 < weight <= 10", s->file,
		                e->line, e->value);
	r->info.weight = w;
	return MCT_OK;
}

/* Split a value into blank-separated words, calling ok() on each. */
static mct_status words(const section *s, const kv *e, int (*ok)(const char *), const char *what,
                        mct_buf *norm, mct_err *err)
{
	char *copy = mct_xstrdup(e->value), *save = NULL;
	mct_status st = MCT_OK;
	for (char *w = strtok_r(copy, " \t", &save); w && st == MCT_OK;
	     w = strtok_r(NULL, " \t", &save)) {
		if (!ok(w))
			st = mct_fail(err, MCT_ERR_CONFIG, "%s:%d: '%s' is not %s", s->file,
			              e->line, w, what);
		else
			mct_buf_printf(norm, "%s%s", norm->len ? " " : "", w);
	}
	free(copy);
	return st;
}

static mct_status rule_langs(const section *s, mct_rule *r, mct_err *err)
{
	const kv *e = first_kv(s, "lang");
	mct_buf b;
	mct_buf_init(&b);
	mct_status st = words(s, e, valid_lang,
	                      "an ISO 639-1 language code (two lowercase letters) or *", &b, err);
	if (st == MCT_OK && strchr(b.data, '*') && strcmp(b.data, "*") != 0)
		st = mct_fail(err, MCT_ERR_CONFIG,
		              "%s:%d: lang '*' (any language) cannot be combined with other codes",
		              s->file, e->line);
	r->info.langs = mct_buf_steal(&b);
	return st;
}

static int cmp_cc(const void *a, const void *b)
{
	return memcmp(a, b, 2);
}

static mct_status rule_countries(const section *s, mct_rule *r, mct_err *err)
{
	const kv *e = first_kv(s, "country");
	mct_buf b;
	mct_buf_init(&b);
	mct_status st = MCT_OK;
	if (e)
		st = words(s, e, iso_country,
		           "an ISO 3166-1 alpha-2 country code in capitals (Greece is GR, the "
		           "United Kingdom GB) or EU",
		           &b, err);
	size_t n = (b.len + 1) / 3;
	r->scope = mct_xcalloc(n ? n : 1, sizeof *r->scope);
	for (size_t i = 0; i < n && st == MCT_OK; i++)
		memcpy(r->scope[i], b.data + 3 * i, 2);
	if (st == MCT_OK) {
		qsort(r->scope, n, sizeof *r->scope, cmp_cc);
		mct_buf_reset(&b);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || memcmp(r->scope[i], r->scope[r->nscope - 1], 2) != 0) {
				memmove(r->scope[r->nscope++], r->scope[i], 3);
				mct_buf_printf(&b, "%s%s", b.len ? " " : "",
				               r->scope[r->nscope - 1]);
			}
	}
	r->info.countries = mct_buf_steal(&b);
	return st;
}

static mct_status rule_enums(const section *s, mct_rule *r, mct_err *err)
{
	const kv *e = first_kv(s, "context");
	r->info.context = MCT_CONTEXT_SENTENCE;
	if (e) {
		int c = 0;
		while (c < 4 && strcmp(context_names[c], e->value) != 0)
			c++;
		if (c == 4)
			return mct_fail(
			    err, MCT_ERR_CONFIG,
			    "%s:%d: context '%s' is not one of sentence, block, document, "
			    "none",
			    s->file, e->line, e->value);
		r->info.context = (mct_rule_context)c;
	}
	e = first_kv(s, "polarity");
	if (e && strcmp(e->value, "negative") == 0)
		r->info.always_negative = 1;
	else if (e && strcmp(e->value, "auto") != 0)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s:%d: polarity '%s' is not one of auto, negative", s->file,
		                e->line, e->value);
	return MCT_OK;
}

/* The canonical definition hashed into the version. */
static void rule_version(const section *s, mct_rule *r)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_printf(
	    &b, "indicator = %s\nweight = %g\ncountries = %s\ncontext = %s\npolarity = %s\n",
	    r->info.indicator, r->info.weight, r->info.countries, context_names[r->info.context],
	    r->info.always_negative ? "negative" : "auto");
	for (size_t i = 0; i < s->nalts; i++)
		mct_buf_printf(&b, "pattern = %s\n", s->alts[i]);
	char hex[65];
	mct_sha256_hex(b.data, b.len, hex);
	memcpy(r->info.version, hex, 16);
	r->info.version[16] = 0;
	r->info.definition = mct_buf_steal(&b);
}

static mct_status require_keys(const section *s, const char *const *keys, mct_err *err)
{
	for (size_t i = 0; keys[i]; i++)
		if (!first_kv(s, keys[i]))
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: [%s %s] has no '%s' line; a rule needs indicator, "
			                "weight, lang, pattern and a match example",
			                s->file, s->line, sec_kind_names[s->kind], s->name,
			                keys[i]);
	return MCT_OK;
}

/* Compile one branch (see mct_branch) and learn its literals. */
static mct_status add_branch(mct_ruleset *rs, const char *pat, mct_owner_kind kind, size_t owner,
                             const char *file, int line, mct_err *err)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *c =
	    pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, MCT_RE_OPTIONS, &ec, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		return mct_fail(
		    err, MCT_ERR_CONFIG,
		    "%s:%d: pattern does not compile: %s (in its alternative \"%.60s\")", file,
		    line, (const char *)msg, pat);
	}
	/* Without JIT (unsupported CPU) pcre2_match interprets: slower, same result. */
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	rs->branches = mct_xrealloc(rs->branches, (rs->nbranches + 1) * sizeof *rs->branches);
	mct_branch *b = &rs->branches[rs->nbranches++];
	*b = (mct_branch){c, mct_xstrdup(pat), file, line, kind, owner, NULL, 0};
	b->literals = mct_required_literals(pat, &b->nliterals);
	return MCT_OK;
}

/* The branches of every pattern of a section, in order. */
static mct_status add_branches(loader *L, const section *s, mct_owner_kind kind, size_t owner,
                               size_t *first, size_t *count, mct_err *err)
{
	mct_ruleset *rs = L->rs;
	mct_status st = MCT_OK;
	*first = rs->nbranches;
	size_t k = 0;
	for (size_t i = 0; i < s->nkvs && st == MCT_OK; i++) {
		if (strcmp(s->kvs[i].key, "pattern") != 0 || k >= s->nalts)
			continue;
		size_t n = 0;
		char **parts = mct_split_alternatives(s->alts[k++], &n);
		for (size_t j = 0; j < n; j++) {
			if (st == MCT_OK)
				st = add_branch(rs, parts[j], kind, owner, s->file, s->kvs[i].line,
				                err);
			free(parts[j]);
		}
		free(parts);
	}
	*count = rs->nbranches - *first;
	return st;
}

/* A rule proves itself with at least one example of what it is for:
 * `match`, or `match_negative` when the rule is negative by itself. */
static mct_status rule_has_example(const section *s, const mct_rule *r, mct_err *err)
{
	const char *key = r->info.always_negative ? "match_negative" : "match";
	if (first_kv(s, key))
		return MCT_OK;
	return mct_fail(
	    err, MCT_ERR_CONFIG,
	    "%s:%d: [rule %s] has no '%s' example; add a sentence the rule must match%s", s->file,
	    s->line, s->name, key, r->info.always_negative ? " (its polarity is negative)" : "");
}

static void free_rule(mct_rule *r)
{
	free((char *)r->info.id);
	free((char *)r->info.langs);
	free((char *)r->info.countries);
	free((char *)r->info.definition);
	free(r->scope);
	free_examples(r->examples, r->nexamples);
}

static mct_status finish_rule(loader *L, section *s, mct_err *err)
{
	static const char *const required[] = {"indicator", "weight", "lang", "pattern", NULL};
	mct_rule r;
	memset(&r, 0, sizeof r);
	r.info.id = mct_xstrdup(s->name);
	r.info.file = s->file;
	r.info.line = s->line;
	mct_status st = require_keys(s, required, err);
	if (st == MCT_OK)
		st = rule_indicator(s, &r, err);
	if (st == MCT_OK)
		st = rule_weight(s, &r, err);
	if (st == MCT_OK)
		st = rule_langs(s, &r, err);
	if (st == MCT_OK)
		st = rule_countries(s, &r, err);
	if (st == MCT_OK)
		st = rule_enums(s, &r, err);
	if (st == MCT_OK)
		st = rule_has_example(s, &r, err);
	if (st == MCT_OK)
		st = section_patterns(L, s, err);
	if (st == MCT_OK)
		st = add_branches(L, s, MCT_OWNER_RULE, L->rs->nrules, &r.branch0, &r.nbranches,
		                  err);
	if (st != MCT_OK) {
		free_rule(&r);
		return st;
	}
	rule_version(s, &r);
	add_examples(s, &r.examples, &r.nexamples);
	mct_ruleset *rs = L->rs;
	rs->rules = mct_xrealloc(rs->rules, (rs->nrules + 1) * sizeof *rs->rules);
	rs->rules[rs->nrules++] = r;
	return MCT_OK;
}

static mct_status finish_cues(loader *L, section *s, mct_err *err)
{
	mct_ruleset *rs = L->rs;
	int neg = s->kind == SEC_NEGATION;
	mct_cue_section **list = neg ? &rs->negations : &rs->countries;
	size_t *n = neg ? &rs->nnegations : &rs->ncountries;
	mct_cue_section c;
	memset(&c, 0, sizeof c);
	snprintf(c.name, sizeof c.name, "%s", s->name);
	c.file = s->file;
	c.line = s->line;
	mct_status st = section_patterns(L, s, err);
	if (st == MCT_OK)
		st = add_branches(L, s, neg ? MCT_OWNER_NEGATION : MCT_OWNER_COUNTRY, *n,
		                  &c.branch0, &c.nbranches, err);
	if (st != MCT_OK)
		return st;
	add_examples(s, &c.examples, &c.nexamples);
	*list = mct_xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = c;
	return MCT_OK;
}

/* ---- shared unions ------------------------------------------------------ */

/* Union of the branches without literals of the context = none rules: one
 * pass of it picks the sentences these branches may hit. */
static mct_status none_union(mct_ruleset *rs, mct_union *u, mct_err *err)
{
	mct_alt *alts = mct_xcalloc(rs->nbranches + 1, sizeof *alts);
	size_t n = 0;
	for (size_t i = 0; i < rs->nbranches; i++) {
		const mct_branch *b = &rs->branches[i];
		if (b->kind == MCT_OWNER_RULE && !b->literals &&
		    rs->rules[b->owner].info.context == MCT_CONTEXT_NONE)
			alts[n++] = (mct_alt){b->pattern, b->file, b->line};
	}
	mct_status st = mct_union_build(alts, n, u, err);
	free(alts);
	return st;
}

/* Every branch with literals goes into the literal index. */
static void index_literals(mct_ruleset *rs)
{
	for (size_t i = 0; i < rs->nbranches; i++) {
		const mct_branch *b = &rs->branches[i];
		if (b->literals) {
			mct_literal_index_add(&rs->literals, i, b->literals, b->nliterals);
		} else {
			rs->unfiltered = mct_xrealloc(rs->unfiltered, (rs->nunfiltered + 1) *
			                                                  sizeof *rs->unfiltered);
			rs->unfiltered[rs->nunfiltered++] = i;
		}
	}
	mct_literal_index_finish(&rs->literals);
}

static mct_status build_shared(loader *L, mct_err *err)
{
	mct_ruleset *rs = L->rs;
	section *mc = find_section(L, SEC_DEFINE, "MC", 2);
	for (size_t i = 0; i < rs->nrules; i++) {
		const mct_rule *r = &rs->rules[i];
		mct_rule_context c = r->info.context;
		rs->by_context[c] =
		    mct_xrealloc(rs->by_context[c], (rs->nby_context[c] + 1) * sizeof(size_t));
		rs->by_context[c][rs->nby_context[c]++] = i;
		if (!mc && c != MCT_CONTEXT_NONE)
			return mct_fail(err, MCT_ERR_CONFIG,
			                "%s:%d: rule '%s' has context = %s, which needs the "
			                "micro-credential vocabulary [define MC]; none is defined",
			                r->info.file, r->info.line, r->info.id, context_names[c]);
	}
	index_literals(rs);
	mct_status st = MCT_OK;
	if (mc) {
		rs->has_mc = 1;
		st = section_union(mc, &rs->mc, err);
	}
	if (st == MCT_OK)
		st = none_union(rs, &rs->none, err);
	return st;
}

/* ---- the folder ----------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static mct_status list_rule_files(const char *dir, mct_ruleset *rs, mct_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return mct_fail(err, MCT_ERR_IO, "%s: cannot open the rules folder: %s", dir,
		                strerror(errno));
	const struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n <= 6 || strcmp(de->d_name + n - 6, ".rules") != 0)
			continue;
		char *path = mct_xasprintf("%s/%s", dir, de->d_name);
		struct stat sb;
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		rs->files = mct_xrealloc(rs->files, (rs->nfiles + 1) * sizeof *rs->files);
		rs->files[rs->nfiles++] = path;
	}
	closedir(d);
	if (rs->nfiles == 0)
		return mct_fail(err, MCT_ERR_CONFIG,
		                "%s: no .rules files in the rules folder; check [rules] path", dir);
	qsort(rs->files, rs->nfiles, sizeof *rs->files, cmp_str);
	return MCT_OK;
}

static void free_sections(loader *L)
{
	for (size_t i = 0; i < L->nsecs; i++) {
		section *s = &L->secs[i];
		for (size_t j = 0; j < s->nkvs; j++) {
			free(s->kvs[j].key);
			free(s->kvs[j].value);
		}
		for (size_t j = 0; j < s->nalts; j++)
			free(s->alts[j]);
		free(s->kvs);
		free(s->alts);
		free(s->name);
		free(s->expansion);
	}
	free(L->secs);
}

static mct_status finish_sections(loader *L, mct_err *err)
{
	for (size_t i = 0; i < L->nsecs; i++) {
		mct_status st = MCT_OK;
		if (L->secs[i].kind == SEC_DEFINE)
			st = resolve_define(L, &L->secs[i], err);
		if (st != MCT_OK)
			return st;
	}
	for (size_t i = 0; i < L->nsecs; i++) {
		section *s = &L->secs[i];
		mct_status st = MCT_OK;
		if (s->kind == SEC_RULE)
			st = finish_rule(L, s, err);
		else if (s->kind == SEC_NEGATION || s->kind == SEC_COUNTRY)
			st = finish_cues(L, s, err);
		if (st != MCT_OK)
			return st;
	}
	return build_shared(L, err);
}

mct_status mct_rules_load(const char *dir, mct_ruleset **out, mct_err *err)
{
	*out = NULL;
	loader L;
	memset(&L, 0, sizeof L);
	L.rs = mct_xcalloc(1, sizeof *L.rs);
	mct_status st = list_rule_files(dir, L.rs, err);
	for (size_t i = 0; st == MCT_OK && i < L.rs->nfiles; i++)
		st = parse_file(&L, L.rs->files[i], err);
	if (st == MCT_OK)
		st = finish_sections(&L, err);
	free_sections(&L);
	if (st != MCT_OK) {
		mct_rules_free(L.rs);
		return st;
	}
	*out = L.rs;
	return MCT_OK;
}

static void free_cues(mct_cue_section *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free_examples(c[i].examples, c[i].nexamples);
	}
	free(c);
}

void mct_rules_free(mct_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		free_rule(&rs->rules[i]);
	free(rs->rules);
	for (int c = 0; c < 4; c++)
		free(rs->by_context[c]);
	free_cues(rs->negations, rs->nnegations);
	free_cues(rs->countries, rs->ncountries);
	for (size_t i = 0; i < rs->nbranches; i++) {
		mct_branch *b = &rs->branches[i];
		pcre2_code_free(b->code);
		free(b->pattern);
		for (size_t j = 0; j < b->nliterals; j++)
			free(b->literals[j]);
		free(b->literals);
	}
	free(rs->branches);
	mct_union_free(&rs->mc);
	mct_union_free(&rs->none);
	mct_literal_index_free(&rs->literals);
	free(rs->unfiltered);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	free(rs);
}

size_t mct_rules_count(const mct_ruleset *rs)
{
	return rs ? rs->nrules : 0;
}

const mct_rule_info *mct_rules_get(const mct_ruleset *rs, size_t i)
{
	return rs && i < rs->nrules ? &rs->rules[i].info : NULL;
}

const mct_rule_info *mct_rules_find(const mct_ruleset *rs, const char *id)
{
	for (size_t i = 0; rs && id && i < rs->nrules; i++)
		if (strcmp(rs->rules[i].info.id, id) == 0)
			return &rs->rules[i].info;
	return NULL;
}
