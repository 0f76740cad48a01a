/*
 * rules/check.c - runs the examples written in the rule files.
 *
 * A rule's examples are checked against the rule alone: its own patterns,
 * its context (is there an {{MC}} term where the context asks for one?) and
 * its polarity (the rule's own, or a negation cue of any language in the
 * sentence).  Country attribution, scope and the dedup between rules of one
 * indicator are left out on purpose: they depend on the source a sentence
 * comes from and on the other rules, not on whether this rule says what
 * its author meant.  Negation and country sections are checked against
 * their own patterns only.
 *
 * Each failure is reported with the file:line of the example line and
 * says what happened instead, so that a policy analyst can fix the rule
 * without reading code.
 */
#include "rules_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const example_keys[] = {"match", "match_negative", "nomatch"};

static const char *context_word(mct_rule_context c)
{
	static const char *const names[] = {"sentence", "block", "document", "none"};
	return names[c];
}

/* The failure message for one example, or NULL when it behaves. */
static char *rule_example_failure(const mct_ruleset *rs, const mct_rule *r, const mct_example *ex)
{
	mct_rule_eval ev;
	mct_rule_eval_text(rs, r, ex->text, strlen(ex->text), &ev);
	const char *key = example_keys[ex->kind];
	const char *id = r->info.id;
	if (ev.prefilter_miss)
		return mct_xasprintf(
		    "rule %s: '%s' example: the rule matches a sentence that holds "
		    "none of the literals found in its patterns; this is a bug in the "
		    "literal prefilter, please report it with the pattern",
		    id, key);
	if (ev.limit)
		return mct_xasprintf("rule %s: '%s' example: a match limit cut the search off; "
		                     "simplify the pattern (nested repetition?)",
		                     id, key);
	if (ex->kind == MCT_EX_NOMATCH) {
		if (ev.positive || ev.negative)
			return mct_xasprintf("rule %s: 'nomatch' example is matched (\"%s\")", id,
			                     ev.hit);
		return NULL;
	}
	int want_negative = ex->kind == MCT_EX_MATCH_NEGATIVE;
	if (want_negative ? ev.negative : ev.positive)
		return NULL;
	if (ev.positive || ev.negative) {
		if (want_negative)
			return mct_xasprintf(
			    "rule %s: 'match_negative' example is matched (\"%s\") "
			    "but not negative: no negation cue in the sentence",
			    id, ev.hit);
		if (r->info.always_negative)
			return mct_xasprintf("rule %s: 'match' example is matched but the rule has "
			                     "polarity = negative; write it as match_negative",
			                     id);
		return mct_xasprintf("rule %s: 'match' example is matched (\"%s\") but negative: "
		                     "negation cue \"%s\" in the sentence",
		                     id, ev.hit, ev.cue);
	}
	if (ev.pattern_only)
		return mct_xasprintf(
		    "rule %s: '%s' example: the pattern matches but no {{MC}} term "
		    "is in the same %s (context = %s)",
		    id, key,
		    r->info.context == MCT_CONTEXT_BLOCK      ? "block"
		    : r->info.context == MCT_CONTEXT_DOCUMENT ? "text"
		                                              : "sentence",
		    context_word(r->info.context));
	return mct_xasprintf("rule %s: '%s' example is not matched by any pattern", id, key);
}

static size_t check_rules(const mct_ruleset *rs, mct_rules_report_fn report, void *ctx)
{
	size_t fails = 0;
	for (size_t i = 0; i < rs->nrules; i++) {
		const mct_rule *r = &rs->rules[i];
		for (size_t j = 0; j < r->nexamples; j++) {
			char *msg = rule_example_failure(rs, r, &r->examples[j]);
			if (!msg)
				continue;
			report(ctx, r->info.file, r->examples[j].line, msg);
			free(msg);
			fails++;
		}
	}
	return fails;
}

/* Leftmost match of any pattern of a section in text. */
static int section_find(mct_matcher *m, const mct_ruleset *rs, const mct_cue_section *c,
                        const char *text, size_t len, size_t *ms, size_t *me, const char *kind)
{
	int found = 0;
	for (size_t i = 0; i < c->nbranches; i++) {
		size_t s, e;
		if (mct_code_find(m, rs->branches[c->branch0 + i].code, text, len, 0, &s, &e, kind,
		                  c->name) == 1 &&
		    (!found || s < *ms)) {
			found = 1;
			*ms = s;
			*me = e;
		}
	}
	return found;
}

static size_t check_cues(const mct_ruleset *rs, const mct_cue_section *secs, size_t n,
                         const char *kind, const char *what, mct_rules_report_fn report, void *ctx)
{
	size_t fails = 0;
	mct_matcher m;
	mct_matcher_init(&m);
	for (size_t i = 0; i < n; i++) {
		const mct_cue_section *c = &secs[i];
		for (size_t j = 0; j < c->nexamples; j++) {
			const mct_example *ex = &c->examples[j];
			size_t len = strlen(ex->text), ms = 0, me = 0;
			size_t before = m.limits_hit;
			int found = mct_utf8_check(ex->text, len) == len &&
			            section_find(&m, rs, c, ex->text, len, &ms, &me, kind);
			char *msg = NULL;
			if (m.limits_hit > before)
				msg = mct_xasprintf("%s %s: a match limit cut the search off", kind,
				                    c->name);
			else if (ex->kind == MCT_EX_NOMATCH && found)
				msg = mct_xasprintf(
				    "%s %s: 'nomatch' example contains the %s \"%.*s\"", kind,
				    c->name, what, (int)(me - ms), ex->text + ms);
			else if (ex->kind != MCT_EX_NOMATCH && !found)
				msg = mct_xasprintf("%s %s: '%s' example contains no %s of this "
				                    "section",
				                    kind, c->name, example_keys[ex->kind], what);
			if (msg) {
				report(ctx, c->file, ex->line, msg);
				free(msg);
				fails++;
			}
		}
	}
	mct_matcher_free(&m);
	return fails;
}

size_t mct_rules_check(const mct_ruleset *rs, mct_rules_report_fn report, void *ctx)
{
	if (!rs)
		return 0;
	size_t fails = check_rules(rs, report, ctx);
	fails += check_cues(rs, rs->negations, rs->nnegations, "negation", "cue", report, ctx);
	fails += check_cues(rs, rs->countries, rs->ncountries, "country", "name", report, ctx);
	return fails;
}
