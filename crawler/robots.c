/*
 * crawler/robots.c - robots.txt parsing and evaluation (RFC 9309).
 *
 * A robots.txt is parsed once into groups (the user-agent lines that open a
 * group, then its allow/disallow rules) and a list of sitemaps; every URL is
 * then checked against the parsed form.  All strings live in one arena (an
 * mct_buf addressed by offsets) so that parsing a large file costs a few
 * reallocations instead of one allocation per rule, and freeing is O(1) in
 * allocations.
 *
 * Line syntax follows the RFC and, where the RFC leaves room for leniency,
 * Google's reference parser, because that is what site owners test against:
 *   - lines end in CR, LF or CRLF; a UTF-8 byte order mark (or a leading part
 *     of one) at the very start is skipped; '#' starts a comment anywhere;
 *   - keys are matched case-insensitively by prefix ("Disallow", "disallowed"),
 *     with the common misspellings "useragent", "user agent", "dissallow",
 *     "dissalow", "disalow", "diasllow", "disallaw" and "site-map";
 *   - a missing colon is accepted when the line is exactly two words
 *     ("Disallow /x"); a line of three or more words without a colon is
 *     ignored, since there is no telling which word is the key;
 *   - user-agent values are reduced to their product token, the leading
 *     [A-Za-z_-]+ ("FooBot/2.1" is "FooBot"); "*" alone or followed by white
 *     space ("* any text") names the global group;
 *   - user-agent lines that follow one another (empty lines, comments,
 *     sitemaps and unknown records in between do not matter) open one group;
 *     the group lasts until a user-agent line follows one of its rules;
 *   - rules before the first user-agent line belong to no group and are
 *     ignored; sitemap lines are collected wherever they are.
 *
 * Evaluation: the agent given to the check is reduced to its product token
 * the same way ("mcthermo/0.1" is "mcthermo"); the groups naming that token
 * (compared case-insensitively) are merged wherever they are in the file;
 * only if there are none are the "*" groups merged instead; with neither,
 * everything is allowed.  Among the merged rules that match, the longest
 * pattern (in octets after normalisation) decides and Allow wins a tie; an
 * empty pattern never decides, so "Disallow:" disallows nothing.
 * "/robots.txt" is always allowed.
 *
 * Percent-encoding (RFC 9309 section 2.2.2): patterns and paths are brought
 * to one form before they are compared.  %XX of an unreserved character
 * (ALPHA DIGIT - . _ ~) is decoded, so "/%62az" and "/baz" are the same;
 * every other %XX stays encoded with upper-case hex digits, so "%2f" and
 * "%2F" are the same but "%2F" and "/" are not; octets that may not appear
 * raw in a URI (non-ASCII, controls, space, "<>\"\\^`{|}", a '%' that starts
 * no escape) are encoded as %XX.  A URL's '*' and '$', and a pattern's '$'
 * that is not its last character, are literal and become %2A and %24, which
 * is how a pattern names them literally (section 2.2.3).  Raw reserved
 * characters are left as they are: only the author knows whether the '/' in
 * "?u=http://x" is data, and both sides are compared as written.  This
 * follows the RFC where Google's parser differs: Google neither decodes
 * "%62" nor encodes a raw non-ASCII URL.
 *
 * Matching runs in time linear in path and pattern: a pattern is anchored at
 * the start of the path, its '*'-separated pieces are placed leftmost in turn
 * (leftmost placement leaves the most room to the pieces after it, so it finds
 * a match whenever one exists), and a trailing '$' pins the last piece to the
 * end of the path.
 *
 * Left out on purpose: Google's rewriting of "Allow: /dir/index.html" into
 * "Allow: /dir/$" (not in the RFC, and it would let the crawler fetch pages
 * the file does not name); its cut of lines after 16 KiB (the 500 KiB limit
 * already bounds the work); crawl-delay and other records (the crawler's own
 * per-host delay applies).  Fetching robots.txt, HTTP errors and redirects
 * (section 2.3) and caching (section 2.4) are the fetcher's job.  As in
 * Google's parser, a colon decides over the two-word rule, so the odd
 * "Disallow /a:b" reads as key "Disallow /a" and value "b", a pattern
 * without a leading '/' that matches nothing.
 * Allocation goes through the mct_x* helpers, which abort on out-of-memory,
 * so mct_robots_parse never actually returns NULL.
 */
#include "crawler.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { KEY_UNKNOWN = 0, KEY_USER_AGENT, KEY_ALLOW, KEY_DISALLOW, KEY_SITEMAP } robots_key;

/* Accepted spellings, tried in order, each as a case-insensitive prefix of
 * the key. */
static const struct {
	const char *name;
	robots_key key;
} key_names[] = {
    {"user-agent", KEY_USER_AGENT}, {"useragent", KEY_USER_AGENT}, {"user agent", KEY_USER_AGENT},
    {"allow", KEY_ALLOW},           {"disallow", KEY_DISALLOW},    {"dissallow", KEY_DISALLOW},
    {"dissalow", KEY_DISALLOW},     {"disalow", KEY_DISALLOW},     {"diasllow", KEY_DISALLOW},
    {"disallaw", KEY_DISALLOW},     {"sitemap", KEY_SITEMAP},      {"site-map", KEY_SITEMAP},
};

typedef struct {
	int global;   /* a "*" line */
	size_t token; /* arena offset of the product token (may be empty) */
	size_t token_len;
} robots_agent;

typedef struct {
	int allow;          /* 1 Allow, 0 Disallow */
	int line;           /* 1-based line number */
	size_t pattern;     /* arena offset of the normalised pattern */
	size_t pattern_len; /* its length in octets: the rule's priority */
	size_t text;        /* arena offset of the line as written */
} robots_rule;

/* Agents and rules of group g are the contiguous runs [agent_first,
 * agent_first + agent_count) and [rule_first, rule_first + rule_count):
 * groups are built one after the other, never reopened. */
typedef struct {
	size_t agent_first, agent_count;
	size_t rule_first, rule_count;
} robots_group;

struct mct_robots {
	mct_buf arena; /* NUL-terminated strings, addressed by offset */
	robots_group *groups;
	size_t ngroups, groups_cap;
	robots_agent *agents;
	size_t nagents, agents_cap;
	robots_rule *rules;
	size_t nrules, rules_cap;
	size_t *sitemaps; /* arena offsets */
	size_t nsitemaps, sitemaps_cap;
};

/* Parser state: whether the current group (the last one) has had a rule, in
 * which case the next user-agent line opens a new group. */
typedef struct {
	int in_group;
	int group_has_rule;
} robots_state;

/* ---------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------- */

/* Make room for one more element in a growable array. */
static void *grow(void *items, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 16;
	return mct_xrealloc(items, *cap * size);
}

/* Copy s[0..n) plus a NUL into the arena; returns its offset. */
static size_t arena_add(mct_buf *arena, const char *s, size_t n)
{
	size_t off = arena->len;
	mct_buf_append(arena, s, n);
	mct_buf_putc(arena, '\0');
	return off;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_unreserved(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Strip white space from both ends of s[0..*n); returns the new start. */
static const char *trim(const char *s, size_t *n)
{
	while (*n && is_space((unsigned char)s[0])) {
		s++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)s[*n - 1]))
		(*n)--;
	return s;
}

/* Length of the product token at the start of s: the leading [A-Za-z_-]+. */
static size_t product_token_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (is_alpha((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
		i++;
	return i;
}

/* ---------------------------------------------------------------------
 * Normalisation (percent-encoding, see the file comment)
 * ------------------------------------------------------------------- */

static void put_escape(mct_buf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
	mct_buf_append(out, esc, 3);
}

/* An octet that may not stand raw in a URI. */
static int must_escape(unsigned char c)
{
	static const char unsafe[] = "\"<>\\^`{|}";
	return c >= 0x80 || c <= 0x20 || c == 0x7F || memchr(unsafe, c, sizeof unsafe - 1);
}

/* Append the normalised form of s[0..n) to out.  In a pattern, '*' stays the
 * wildcard and a final '$' stays the end anchor; anywhere else both are
 * literal and encoded. */
static void normalise(mct_buf *out, const char *s, size_t n, int pattern)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && n - i > 2 && hex_value((unsigned char)s[i + 1]) >= 0 &&
		    hex_value((unsigned char)s[i + 2]) >= 0) {
			unsigned char v = (unsigned char)(hex_value((unsigned char)s[i + 1]) * 16 +
			                                  hex_value((unsigned char)s[i + 2]));
			if (is_unreserved(v))
				mct_buf_putc(out, (char)v);
			else
				put_escape(out, v);
			i += 2;
		} else if (c == '%' || must_escape(c)) {
			put_escape(out, c);
		} else if (c == '*' && !pattern) {
			put_escape(out, c);
		} else if (c == '$' && !(pattern && i == n - 1)) {
			put_escape(out, c);
		} else {
			mct_buf_putc(out, (char)c);
		}
	}
}

/* ---------------------------------------------------------------------
 * Matching
 * ------------------------------------------------------------------- */

/* Does the normalised pattern p[0..m) match the start of the normalised
 * path s[0..n)?  Linear time; see the file comment. */
static int pattern_matches(const char *p, size_t m, const char *s, size_t n)
{
	int anchored = m > 0 && p[m - 1] == '$';
	if (anchored)
		m--;
	const char *star = memchr(p, '*', m);
	size_t first = star ? (size_t)(star - p) : m;
	if (first > n || memcmp(p, s, first) != 0)
		return 0;
	if (!star)
		return !anchored || first == n;
	size_t pos = first;
	size_t i = first + 1; /* start of the next piece */
	for (;;) {
		const char *next = memchr(p + i, '*', m - i);
		size_t piece = next ? (size_t)(next - p) - i : m - i;
		if (!next && anchored) /* the last piece must end the path */
			return n - pos >= piece && memcmp(s + n - piece, p + i, piece) == 0;
		if (piece > 0) {
			const char *at = memmem(s + pos, n - pos, p + i, piece);
			if (!at)
				return 0;
			pos = (size_t)(at - s) + piece;
		}
		if (!next)
			return 1;
		i = (size_t)(next - p) + 1;
	}
}

/* ---------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------- */

static robots_key key_type(const char *key, size_t n)
{
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		size_t len = strlen(key_names[i].name);
		if (n >= len && strncasecmp(key, key_names[i].name, len) == 0)
			return key_names[i].key;
	}
	return KEY_UNKNOWN;
}

/* Split a comment-free, trimmed line into key and value.  Returns 0 when
 * the line holds no record. */
static int split_record(const char *line, size_t n, const char **key, size_t *key_len,
                        const char **value, size_t *value_len)
{
	const char *sep = memchr(line, ':', n);
	size_t vstart;
	if (sep) {
		vstart = (size_t)(sep - line) + 1;
	} else {
		/* "Disallow /x": accepted only with exactly two words. */
		size_t i = 0;
		while (i < n && !is_blank((unsigned char)line[i]))
			i++;
		if (i == n)
			return 0;
		sep = line + i;
		vstart = i;
		while (vstart < n && is_blank((unsigned char)line[vstart]))
			vstart++;
		for (size_t j = vstart; j < n; j++)
			if (is_blank((unsigned char)line[j]))
				return 0;
	}
	*key_len = (size_t)(sep - line);
	*key = trim(line, key_len);
	if (*key_len == 0)
		return 0;
	*value_len = n - vstart;
	*value = trim(line + vstart, value_len);
	return 1;
}

static void add_agent(mct_robots *r, robots_state *st, const char *value, size_t n)
{
	if (!st->in_group || st->group_has_rule) {
		r->groups = grow(r->groups, &r->groups_cap, r->ngroups, sizeof *r->groups);
		r->groups[r->ngroups++] = (robots_group){r->nagents, 0, r->nrules, 0};
		st->in_group = 1;
		st->group_has_rule = 0;
	}
	robots_agent a = {0, 0, 0};
	if (n >= 1 && value[0] == '*' && (n == 1 || is_space((unsigned char)value[1]))) {
		a.global = 1;
	} else {
		a.token_len = product_token_len(value, n);
		a.token = arena_add(&r->arena, value, a.token_len);
	}
	r->agents = grow(r->agents, &r->agents_cap, r->nagents, sizeof *r->agents);
	r->agents[r->nagents++] = a;
	r->groups[r->ngroups - 1].agent_count++;
}

static void add_rule(mct_robots *r, robots_state *st, int allow, int line, const char *text,
                     size_t text_len, const char *value, size_t n)
{
	if (!st->in_group)
		return; /* rules outside any group are ignored (RFC 9309 2.1) */
	assert(r->ngroups > 0);
	st->group_has_rule = 1;
	robots_rule rule = {allow, line, 0, 0, 0};
	rule.pattern = r->arena.len;
	normalise(&r->arena, value, n, 1);
	rule.pattern_len = r->arena.len - rule.pattern;
	mct_buf_putc(&r->arena, '\0');
	rule.text = arena_add(&r->arena, text, text_len);
	r->rules = grow(r->rules, &r->rules_cap, r->nrules, sizeof *r->rules);
	r->rules[r->nrules++] = rule;
	r->groups[r->ngroups - 1].rule_count++;
}

static void parse_line(mct_robots *r, robots_state *st, const char *line, size_t n, int lineno)
{
	const char *hash = memchr(line, '#', n);
	if (hash)
		n = (size_t)(hash - line);
	line = trim(line, &n);
	const char *key, *value;
	size_t key_len, value_len;
	if (n == 0 || !split_record(line, n, &key, &key_len, &value, &value_len))
		return;
	switch (key_type(key, key_len)) {
	case KEY_USER_AGENT:
		add_agent(r, st, value, value_len);
		break;
	case KEY_ALLOW:
		add_rule(r, st, 1, lineno, line, n, value, value_len);
		break;
	case KEY_DISALLOW:
		add_rule(r, st, 0, lineno, line, n, value, value_len);
		break;
	case KEY_SITEMAP:
		if (value_len > 0) {
			r->sitemaps =
			    grow(r->sitemaps, &r->sitemaps_cap, r->nsitemaps, sizeof *r->sitemaps);
			r->sitemaps[r->nsitemaps++] = arena_add(&r->arena, value, value_len);
		}
		break;
	case KEY_UNKNOWN:
		break; /* other records neither open nor close a group (RFC 9309 2.2.4) */
	}
}

/* Number of leading octets that are (a prefix of) a UTF-8 byte order mark. */
static size_t bom_len(const char *data, size_t len)
{
	static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
	size_t i = 0;
	while (i < len && i < 3 && (unsigned char)data[i] == bom[i])
		i++;
	return i;
}

/* The part of data that is parsed: at most MCT_ROBOTS_MAX_BYTES, and when the
 * limit cuts a line in two, without that line: a cut "Allow: /abc" would
 * read as "Allow: /a" and allow more than the file does. */
static size_t parsed_len(const char *data, size_t len)
{
	if (len <= MCT_ROBOTS_MAX_BYTES)
		return len;
	len = MCT_ROBOTS_MAX_BYTES;
	if (data[len] == '\n' || data[len] == '\r')
		return len;
	while (len > 0 && data[len - 1] != '\n' && data[len - 1] != '\r')
		len--;
	return len;
}

mct_robots *mct_robots_parse(const char *data, size_t len)
{
	mct_robots *r = mct_xcalloc(1, sizeof *r);
	mct_buf_init(&r->arena);
	if (!data) {
		data = "";
		len = 0;
	}
	len = parsed_len(data, len);
	robots_state st = {0, 0};
	size_t i = bom_len(data, len);
	int lineno = 1;
	for (;;) {
		size_t eol = i;
		while (eol < len && data[eol] != '\n' && data[eol] != '\r')
			eol++;
		parse_line(r, &st, data + i, eol - i, lineno);
		if (eol == len)
			break;
		if (data[eol] == '\r' && eol + 1 < len && data[eol + 1] == '\n')
			eol++;
		i = eol + 1;
		lineno++;
	}
	return r;
}

void mct_robots_free(mct_robots *r)
{
	if (!r)
		return;
	mct_buf_free(&r->arena);
	free(r->groups);
	free(r->agents);
	free(r->rules);
	free(r->sitemaps);
	free(r);
}

size_t mct_robots_sitemap_count(const mct_robots *r)
{
	return r ? r->nsitemaps : 0;
}

const char *mct_robots_sitemap(const mct_robots *r, size_t i)
{
	if (!r || i >= r->nsitemaps)
		return NULL;
	return r->arena.data + r->sitemaps[i];
}

/* ---------------------------------------------------------------------
 * Evaluation
 * ------------------------------------------------------------------- */

/* Locate the path and query of a path or absolute URL: sets *off and *len
 * (*len 0 when the URL has neither, which means "/").  The scheme and
 * authority are skipped, the fragment dropped; a result that starts with '?'
 * or ';' still needs its '/'.  "//host/p" is a scheme-relative URL, and a
 * string without "://" before its first '/' is read as "host/path". */
static void url_path(const char *s, size_t *off, size_t *len)
{
	size_t n = strlen(s), start = 0;
	if (s[0] == '/' && s[1] == '/')
		start = 2;
	size_t early = start + strcspn(s + start, "/?;");
	const char *scheme_end = strstr(s + start, "://");
	size_t pos = start;
	if (scheme_end && (size_t)(scheme_end - s) < early)
		pos = (size_t)(scheme_end - s) + 3;
	size_t path_start = pos + strcspn(s + pos, "/?;");
	const char *hash = strchr(s + start, '#');
	size_t end = hash ? (size_t)(hash - s) : n;
	*off = 0;
	*len = 0;
	if (path_start >= n || end < path_start)
		return;
	*off = path_start;
	*len = end - path_start;
}

static int group_matches(const mct_robots *r, const robots_group *g, const char *token,
                         size_t token_len, int global)
{
	for (size_t i = 0; i < g->agent_count; i++) {
		const robots_agent *a = &r->agents[g->agent_first + i];
		if (global ? a->global
		           : !a->global && token_len > 0 && a->token_len == token_len &&
		                 strncasecmp(r->arena.data + a->token, token, token_len) == 0)
			return 1;
	}
	return 0;
}

/* The deciding rule among the groups that apply, NULL when none matches. */
static const robots_rule *best_rule(const mct_robots *r, const char *token, size_t token_len,
                                    const char *path, size_t path_len)
{
	int global = 1;
	for (size_t g = 0; g < r->ngroups && global; g++)
		if (group_matches(r, &r->groups[g], token, token_len, 0))
			global = 0;
	const robots_rule *best = NULL;
	for (size_t g = 0; g < r->ngroups; g++) {
		const robots_group *grp = &r->groups[g];
		if (!group_matches(r, grp, token, token_len, global))
			continue;
		for (size_t i = 0; i < grp->rule_count; i++) {
			const robots_rule *rule = &r->rules[grp->rule_first + i];
			if (rule->pattern_len == 0)
				continue;
			if (best && (rule->pattern_len < best->pattern_len ||
			             (rule->pattern_len == best->pattern_len &&
			              (best->allow || !rule->allow))))
				continue;
			if (pattern_matches(r->arena.data + rule->pattern, rule->pattern_len, path,
			                    path_len))
				best = rule;
		}
	}
	return best;
}

/* Copy the rule's text into the verdict, cut at a character boundary. */
static void set_rule_text(mct_robots_verdict *v, const char *text)
{
	size_t n = strlen(text);
	if (n >= sizeof v->rule) {
		n = sizeof v->rule - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(v->rule, text, n);
	v->rule[n] = '\0';
}

mct_robots_verdict mct_robots_check(const mct_robots *r, const char *agent, const char *path)
{
	mct_robots_verdict v = {1, 0, ""};
	if (!r)
		return v;
	if (!path)
		path = "";
	if (!agent)
		agent = "";
	size_t off, len;
	url_path(path, &off, &len);
	mct_buf norm;
	mct_buf_init(&norm);
	if (len == 0 || path[off] != '/')
		mct_buf_putc(&norm, '/');
	normalise(&norm, path + off, len, 0);
	assert(norm.len > 0 && norm.data[0] == '/');
	size_t query = strcspn(norm.data, "?");
	if (query == strlen("/robots.txt") && memcmp(norm.data, "/robots.txt", query) == 0)
		goto out; /* always allowed (RFC 9309 2.2.2) */
	const robots_rule *best =
	    best_rule(r, agent, product_token_len(agent, strlen(agent)), norm.data, norm.len);
	if (best) {
		v.allowed = best->allow;
		v.line = best->line;
		set_rule_text(&v, r->arena.data + best->text);
	}
out:
	mct_buf_free(&norm);
	return v;
}
