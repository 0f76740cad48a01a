/*
 * fuzz/rules_literals_fuzzer.c - libFuzzer target for the literal
 * prefilter's pattern analysis, checked against PCRE2 itself.
 *
 * The first line of an input is a pattern, the rest a text.  When the
 * pattern compiles (with the options rules use), two promises must hold
 * for every match PCRE2 finds in the text:
 *   - one of the literals mct_required_literals claims for the pattern
 *     occurs in the text before the match ends (the prefilter looks for
 *     them in the whole sentence; a literal can never lie after the match);
 *   - splitting the pattern into branches (mct_split_alternatives) finds
 *     the same first match: the leftmost of the branches' first matches,
 *     the earlier branch on a tie, with the same end.
 * A wrong promise would make rules silently miss evidence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/rules_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pcre2_code *compile(const char *pattern)
{
	int ec;
	PCRE2_SIZE off;
	return pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, MCT_RE_OPTIONS, &ec, &off,
	                     NULL);
}

static void check_literals(mct_matcher *m, const pcre2_code *c, const char *pattern,
                           const char *text, size_t len)
{
	size_t n = 0;
	char **lits = mct_required_literals(pattern, &n);
	size_t pos = 0, ms, me;
	while (lits && pos <= len && mct_code_find(m, c, text, len, pos, &ms, &me, "p", "") == 1) {
		if (!mct_literals_in(lits, n, text, me))
			abort();
		pos = me > ms ? me : ms + 1;
		while (pos < len && ((unsigned char)text[pos] & 0xc0) == 0x80)
			pos++;
	}
	for (size_t i = 0; i < n; i++)
		free(lits[i]);
	free(lits);
}

static void check_split(mct_matcher *m, const pcre2_code *c, const char *pattern, const char *text,
                        size_t len)
{
	size_t n = 0, ms = 0, me = 0;
	char **parts = mct_split_alternatives(pattern, &n);
	int whole = mct_code_find(m, c, text, len, 0, &ms, &me, "p", "");
	int found = 0, cut = whole < 0;
	size_t bs = 0, be = 0;
	for (size_t i = 0; i < n; i++) {
		pcre2_code *pc = compile(parts[i]);
		if (!pc)
			abort(); /* a part of a valid pattern must compile */
		size_t s, e;
		int rc = mct_code_find(m, pc, text, len, 0, &s, &e, "p", "");
		cut |= rc < 0;
		if (rc == 1 && (!found || s < bs)) {
			found = 1;
			bs = s;
			be = e;
		}
		pcre2_code_free(pc);
		free(parts[i]);
	}
	free(parts);
	if (!cut && (found != (whole == 1) || (found && (bs != ms || be != me))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	if (!nl || mct_utf8_check((const char *)data, size) < size || memchr(data, 0, size))
		return 0;
	char *pattern = mct_xstrndup((const char *)data, (size_t)(nl - (const char *)data));
	const char *text = nl + 1;
	size_t len = size - (size_t)(text - (const char *)data);
	pcre2_code *c = compile(pattern);
	if (c) {
		mct_matcher m;
		mct_matcher_init(&m);
		check_literals(&m, c, pattern, text, len);
		check_split(&m, c, pattern, text, len);
		mct_matcher_free(&m);
		pcre2_code_free(c);
	}
	free(pattern);
	return 0;
}
