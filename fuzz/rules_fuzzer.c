/*
 * fuzz/rules_fuzzer.c - libFuzzer target for rule files.
 *
 * Rule files are edited by policy analysts, so the loader must refuse
 * anything malformed with a "file:line: ..." message and never crash, hang
 * or leak, whatever the patterns, defines and examples say.  Each input is
 * written as the only .rules file of a temporary folder (made once per
 * process) and loaded from there.
 *
 * A set that loads is also exercised: every rule has a 16-hex version and
 * a definition, the examples check runs (each report names the file), and
 * the rules are applied to the start of the input itself from an EU-level
 * and a national source.  Matches must lie inside their sentence, inside
 * the text, on a page >= 1, with a valid country and UTF-8 snippet; and the
 * literal prefilter must not change the result.  Large rule sets are not
 * applied, to keep one input well under the time limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../rules/rules.h"
#include "../rules/rules_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define APPLY_MAX_RULES 32
#define APPLY_MAX_TEXT  512

static char dir[64], path[96];

static void remove_files(void)
{
	unlink(path);
	rmdir(dir);
}

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "/dev/shm/mct-rules-fuzz-XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof dir, "/tmp/mct-rules-fuzz-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(path, sizeof path, "%s/fuzz.rules", dir);
	atexit(remove_files);
}

static void on_report(void *ctx, const char *file, int line, const char *msg)
{
	(void)ctx;
	if (strcmp(file, path) != 0 || line < 1 || !msg || !msg[0])
		abort();
}

static void check_matches(const mct_matches *m, const char *text, size_t len)
{
	for (size_t i = 0; i < m->n; i++) {
		const mct_match *x = &m->items[i];
		if (!x->rule || x->sentence_start > x->match_start ||
		    x->match_start > x->match_end || x->match_end > x->sentence_end ||
		    x->sentence_end > len || x->page < 1)
			abort();
		if (x->country[0] < 'A' || x->country[0] > 'Z' || x->country[1] < 'A' ||
		    x->country[1] > 'Z' || x->country[2])
			abort();
		if (strlen(x->match) != x->match_end - x->match_start &&
		    !memchr(text + x->match_start, 0, x->match_end - x->match_start))
			abort();
		if (mct_utf8_check(x->snippet, strlen(x->snippet)) != strlen(x->snippet) ||
		    strlen(x->sentence_key) != 64)
			abort();
	}
}

static void same_matches(const mct_matches *a, const mct_matches *b)
{
	if (a->n != b->n)
		abort();
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].rule != b->items[i].rule ||
		    strcmp(a->items[i].country, b->items[i].country) != 0 ||
		    a->items[i].negative != b->items[i].negative ||
		    a->items[i].match_start != b->items[i].match_start ||
		    a->items[i].match_end != b->items[i].match_end)
			abort();
}

static void apply_to_input(const mct_ruleset *rs, const uint8_t *data, size_t size)
{
	size_t len = size < APPLY_MAX_TEXT ? size : APPLY_MAX_TEXT;
	while (len > 0 && mct_utf8_check((const char *)data, len) < len)
		len--; /* keep the longest valid UTF-8 prefix */
	char *text = mct_xstrndup((const char *)data, len);
	len = strlen(text);
	static const char *const sources[] = {"EU", "ES"};
	for (int k = 0; k < 2; k++) {
		mct_matches with, without;
		mct_err err;
		if (mct_rules_apply(rs, text, len, sources[k], &with, &err) != MCT_OK)
			abort();
		if (mct_rules_apply_with(rs, text, len, sources[k], 0, &without, &err) != MCT_OK)
			abort();
		check_matches(&with, text, len);
		if (with.limits_hit == 0 && without.limits_hit == 0)
			same_matches(&with, &without);
		mct_matches_free(&with);
		mct_matches_free(&without);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		make_dir();
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	mct_ruleset *rs = NULL;
	mct_err err;
	memset(&err, 0, sizeof err);
	if (mct_rules_load(dir, &rs, &err) != MCT_OK) {
		if (rs || err.code != MCT_ERR_CONFIG || strncmp(err.msg, path, strlen(path)) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < mct_rules_count(rs); i++) {
		const mct_rule_info *r = mct_rules_get(rs, i);
		if (strlen(r->version) != 16 || !r->definition || mct_rules_find(rs, r->id) != r ||
		    r->weight <= 0 || r->weight > 10 || r->line < 1)
			abort();
	}
	mct_rules_check(rs, on_report, NULL);
	if (mct_rules_count(rs) <= APPLY_MAX_RULES)
		apply_to_input(rs, data, size);
	mct_rules_free(rs);
	return 0;
}
