/*
 * tests/unit/test_rules_apply.c - applying rules to text: sentence
 * splitting, polarity and country attribution in several languages,
 * EU-level attribution by sentence and by heading, rule scope, dedup,
 * contexts, PDF pages, snippets and sentence keys, match limits, and the
 * examples check.  The rule files are the small fixture sets under
 * tests/fixtures/rules/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../rules/rules.h"
#include "../../rules/rules_internal.h"

static mct_ruleset *load(const char *rel)
{
	const char *top = getenv("MCT_TOP");
	char *dir = mct_xasprintf("%s/tests/fixtures/rules/%s", top ? top : ".", rel);
	mct_ruleset *rs = NULL;
	mct_err err = {0};
	if (mct_rules_load(dir, &rs, &err) != MCT_OK)
		fail_msg("loading %s: %s", dir, err.msg);
	free(dir);
	return rs;
}

static int setup_good(void **state)
{
	*state = load("good");
	return 0;
}

static int teardown_rules(void **state)
{
	mct_rules_free(*state);
	return 0;
}

static void apply(const mct_ruleset *rs, const char *text, const char *sc, mct_matches *m)
{
	mct_err err = {0};
	if (mct_rules_apply(rs, text, strlen(text), sc, m, &err) != MCT_OK)
		fail_msg("apply: %s", err.msg);
	assert_int_equal(m->limits_hit, 0);
	for (size_t i = 0; i < m->n; i++) {
		const mct_match *x = &m->items[i];
		/* Offsets and copies agree with the text. */
		assert_true(x->sentence_start <= x->match_start);
		assert_true(x->match_end <= x->sentence_end);
		assert_memory_equal(text + x->match_start, x->match, x->match_end - x->match_start);
		assert_int_equal(strlen(x->sentence_key), 64);
	}
}

/* The match of a rule for a country, or NULL. */
static const mct_match *find(const mct_matches *m, const char *rule, const char *cc)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->items[i].rule->id, rule) == 0 &&
		    (!cc || strcmp(m->items[i].country, cc) == 0))
			return &m->items[i];
	return NULL;
}

/* ---- sentences -------------------------------------------------------------------- */

static void expect_sentences(const char *text, const char *const *want, size_t n)
{
	mct_textmap map;
	mct_textmap_build(text, strlen(text), &map);
	for (size_t i = 0; i < map.nsents && i < n; i++) {
		const mct_sentence *s = &map.sents[i];
		size_t len = s->end - s->start;
		if (len != strlen(want[i]) || memcmp(text + s->start, want[i], len) != 0)
			fail_msg("sentence %zu: got \"%.*s\", want \"%s\"", i, (int)len,
			         text + s->start, want[i]);
	}
	assert_int_equal(map.nsents, n);
	mct_textmap_free(&map);
}

static void sentences_split_after_stops_but_not_after_abbreviations(void **state)
{
	(void)state;
	static const char text[] =
	    "See e.g. the decree. It is Real Decreto 822/2021. Las microcredenciales (art. 3) "
	    "están en vigor; Nr. 5 applies. Growth was 1.5 times! Prices rose etc. The end\n"
	    "Dz. U. poz. 123 sets it. Siehe z.B. Deutschland und Abs. 2 hier? Sr. Pérez dijo "
	    "que sí. ¿Qué es? Es una microcredencial.\n"
	    "He said \"yes.\" Then he left. Decreto-Lei n.º 12/2022. O decreto aplica-se. "
	    "J. Smith agreed. D.Lgs. 81/2008 applies. The 2021. Figures follow.";
	static const char *const want[] = {
	    "See e.g. the decree.",
	    "It is Real Decreto 822/2021.",
	    "Las microcredenciales (art. 3) están en vigor;",
	    "Nr. 5 applies.",
	    "Growth was 1.5 times!",
	    "Prices rose etc. The end",
	    "Dz. U. poz. 123 sets it.",
	    "Siehe z.B. Deutschland und Abs. 2 hier?",
	    "Sr. Pérez dijo que sí.",
	    "¿Qué es?",
	    "Es una microcredencial.",
	    "He said \"yes.\"",
	    "Then he left.",
	    "Decreto-Lei n.º 12/2022.",
	    "O decreto aplica-se.",
	    "J. Smith agreed.",
	    "D.Lgs. 81/2008 applies.",
	    "The 2021.",
	    "Figures follow.",
	};
	expect_sentences(text, want, sizeof want / sizeof want[0]);
}

static void sentences_never_span_blocks_and_headings_are_marked(void **state)
{
	(void)state;
	static const char text[] = "## Funding of micro-credentials\n"
	                           "First block without a stop\n"
	                           "1. Numbered item. Second sentence.\f"
	                           "Page two\n\n   \n# Top\n";
	static const char *const want[] = {"Funding of micro-credentials",
	                                   "First block without a stop",
	                                   "1. Numbered item.",
	                                   "Second sentence.",
	                                   "Page two",
	                                   "Top"};
	expect_sentences(text, want, sizeof want / sizeof want[0]);
	mct_textmap map;
	mct_textmap_build(text, strlen(text), &map);
	assert_int_equal(map.nblocks, 5);
	assert_int_equal(map.blocks[0].heading, 2);
	assert_int_equal(map.blocks[1].heading, 0);
	assert_int_equal(map.blocks[1].prev_heading, 0);
	assert_int_equal(map.blocks[3].page, 2);
	assert_int_equal(map.blocks[4].heading, 1);
	assert_int_equal(map.blocks[4].prev_heading, 0);
	mct_textmap_free(&map);
}

static void a_run_without_breaks_is_cut_at_blanks(void **state)
{
	(void)state;
	mct_buf b;
	mct_buf_init(&b);
	while (b.len < 10000)
		mct_buf_puts(&b, "cell ñandú 12,5 ");
	mct_textmap map;
	mct_textmap_build(b.data, b.len, &map);
	assert_true(map.nsents >= 4);
	for (size_t i = 0; i < map.nsents; i++) {
		const mct_sentence *s = &map.sents[i];
		assert_true(s->end - s->start <= MCT_MAX_SENTENCE);
		assert_true(s->end - s->start > MCT_MAX_SENTENCE / 2 || i == map.nsents - 1);
		assert_int_not_equal(b.data[s->start], ' ');
		assert_true(s->start == 0 || b.data[s->start - 1] == ' ');
		if (i > 0)
			assert_true(s->start > map.sents[i - 1].end);
	}
	assert_int_equal(map.sents[map.nsents - 1].end, b.len - 1); /* trailing blank */
	mct_textmap_free(&map);
	/* Without any blank: cut between characters. */
	mct_buf_reset(&b);
	while (b.len < 7000)
		mct_buf_puts(&b, "ñ");
	mct_textmap_build(b.data, b.len, &map);
	assert_int_equal(map.nsents, 3);
	for (size_t i = 0; i < map.nsents; i++)
		assert_int_equal(mct_utf8_check(b.data + map.sents[i].start,
		                                map.sents[i].end - map.sents[i].start),
		                 map.sents[i].end - map.sents[i].start);
	mct_textmap_free(&map);
	mct_buf_free(&b);
}

/* ---- polarity and countries in six languages --------------------------------------- */

typedef struct {
	const char *sc;
	const char *rule;
	const char *positive;
	const char *negative;
} polarity_case;

static const polarity_case polarity_cases[] = {
    {"IE", "policy.funding.en", "The state funds micro-credentials at universities.",
     "The state does not fund micro-credentials."},
    {"ES", "policy.funding.es", "El ministerio financia las microcredenciales.",
     "No hay financiación para las microcredenciales."},
    {"LV", "policy.definition.lv", "Mikrokvalifikāciju definīcija ir noteikta likumā.",
     "Mikrokvalifikācijām nav nacionālas definīcijas."},
    {"PL", "policy.definition.pl", "Ustawa zawiera definicję mikropoświadczenia.",
     "Brak definicji mikropoświadczeń w prawie."},
    {"DE", "policy.definition.de", "Das Gesetz enthält eine Definition von Mikrozertifikaten.",
     "Es gibt keine Definition von Mikrozertifikaten."},
    {"FR", "policy.definition.fr", "Le décret donne une définition des microcertifications.",
     "Il n'existe aucune définition des microcertifications."},
};

static void one_match(const mct_ruleset *rs, const char *text, const char *sc, const char *rule,
                      const char *cc, int negative)
{
	mct_matches m;
	apply(rs, text, sc, &m);
	if (m.n != 1)
		fail_msg("\"%s\" (%s): %zu matches, want 1 of %s", text, sc, m.n, rule);
	if (strcmp(m.items[0].rule->id, rule) != 0 || strcmp(m.items[0].country, cc) != 0 ||
	    m.items[0].negative != negative)
		fail_msg("\"%s\" (%s): got %s %s negative=%d, want %s %s negative=%d", text, sc,
		         m.items[0].rule->id, m.items[0].country, m.items[0].negative, rule, cc,
		         negative);
	mct_matches_free(&m);
}

static void negation_cues_make_evidence_negative_in_six_languages(void **state)
{
	for (size_t i = 0; i < sizeof polarity_cases / sizeof polarity_cases[0]; i++) {
		const polarity_case *c = &polarity_cases[i];
		one_match(*state, c->positive, c->sc, c->rule, c->sc, 0);
		one_match(*state, c->negative, c->sc, c->rule, c->sc, 1);
	}
}

static void a_negative_rule_is_negative_without_any_cue(void **state)
{
	(void)state;
	mct_ruleset *rs = load("polarity");
	assert_int_equal(rs->nnegations, 0);
	one_match(rs, "The sector awaits a national portal for micro-credentials.", "LV",
	          "infra.portal.gap.en", "LV", 1);
	one_match(rs, "A portal lists micro-credentials.", "LV", "infra.portal.en", "LV", 0);
	mct_rules_free(rs);
}

typedef struct {
	const char *sc;
	const char *text;
	const char *rule;
	const char *cc;
	int negative;
} country_case;

static const country_case country_cases[] = {
    /* A sentence about another country credits that country, not the source's. */
    {"LV", "In Spain, micro-credentials are funded by the state.", "policy.funding.en", "ES", 0},
    {"ES", "Letonia financia las microcredenciales.", "policy.funding.es", "LV", 0},
    {"ES", "Letonia no financia las microcredenciales.", "policy.funding.es", "LV", 1},
    {"LV", "Polijā mikrokvalifikāciju definīcija ir noteikta likumā.", "policy.definition.lv", "PL",
     0},
    {"PL", "W Hiszpanii ustawa zawiera definicję mikropoświadczenia.", "policy.definition.pl", "ES",
     0},
    {"PL", "W Hiszpanii brak definicji mikropoświadczeń.", "policy.definition.pl", "ES", 1},
    {"DE", "In Frankreich gibt es eine Definition von Mikrozertifikaten.", "policy.definition.de",
     "FR", 0},
    {"FR", "L'Allemagne donne une définition des microcertifications.", "policy.definition.fr",
     "DE", 0},
    /* Naming the source's own country keeps the evidence home. */
    {"LV", "Unlike Spain, Latvia funds micro-credentials.", "policy.funding.en", "LV", 0},
    {"LV", "Latvija, tāpat kā Polija: mikrokvalifikāciju definīcija ir likumā.",
     "policy.definition.lv", "LV", 0},
};

static void sentences_about_other_countries_credit_them(void **state)
{
	for (size_t i = 0; i < sizeof country_cases / sizeof country_cases[0]; i++) {
		const country_case *c = &country_cases[i];
		one_match(*state, c->text, c->sc, c->rule, c->cc, c->negative);
	}
}

static void eu_source_credits_every_country_the_sentence_names(void **state)
{
	mct_matches m;
	apply(*state, "Spain and Poland fund micro-credentials.", "EU", &m);
	assert_int_equal(m.n, 2);
	const mct_match *es = find(&m, "policy.funding.en", "ES");
	const mct_match *pl = find(&m, "policy.funding.en", "PL");
	assert_non_null(es);
	assert_non_null(pl);
	assert_string_equal(es->sentence_key, pl->sentence_key);
	assert_int_equal(es->match_start, pl->match_start);
	mct_matches_free(&m);
}

static void eu_source_falls_back_to_the_nearest_heading_naming_a_country(void **state)
{
	static const struct {
		const char *text, *cc;
	} cases[] = {
	    {"# Latvia\nThe ministry funds micro-credentials.\n", "LV"},
	    /* Up the outline: "Funding" names no country, its parent does. */
	    {"# Latvia\n## Funding\nThe ministry funds micro-credentials.\n", "LV"},
	    {"# Latvia\n## Spain\nThe ministry funds micro-credentials.\n", "ES"},
	    /* A sibling section's heading is not a parent. */
	    {"# Countries\n## Spain\nIntro.\n## Funding\nThe ministry funds micro-credentials.\n",
	     "EU"},
	    /* The sentence's own country wins over the heading's. */
	    {"# Latvia\nPoland funds micro-credentials.\n", "PL"},
	    {"# Overview\nThe ministry funds micro-credentials.\n", "EU"},
	    {"The ministry funds micro-credentials.\n# Latvia\n", "EU"},
	    /* A PDF has no headings: a line naming a country is not one. */
	    {"Latvia\fThe ministry funds micro-credentials.\n", "EU"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		one_match(*state, cases[i].text, "EU", "policy.funding.en", cases[i].cc, 0);
}

static void rule_scope_filters_countries_and_a_single_scope_is_a_fallback(void **state)
{
	const char *uni = "Las universidades ofrecen microcredenciales.";
	const char *rule = "ecosystem.hei_offer.iberia";
	mct_matches m;
	/* EU level, no country named: "EU" is outside the scope ES PT. */
	apply(*state, uni, "EU", &m);
	assert_int_equal(m.n, 0);
	mct_matches_free(&m);
	one_match(*state, uni, "ES", rule, "ES", 0);
	one_match(*state, uni, "PT", rule, "PT", 0);
	one_match(*state, "Las universidades de España ofrecen microcredenciales.", "EU", rule,
	          "ES", 0);
	apply(*state, "Las universidades de Letonia ofrecen microcredenciales.", "ES", &m);
	assert_int_equal(m.n, 0);
	mct_matches_free(&m);

	/* A rule scoped to one country claims unattributed EU-level sentences. */
	one_match(*state, "Navoica publishes micro-credential courses.", "EU",
	          "infra.portal.navoica.pl", "PL", 0);
	/* ... but not sentences that the heading gives to another country. */
	apply(*state, "# Latvia\nNavoica publishes micro-credential courses.", "EU", &m);
	assert_int_equal(m.n, 0);
	mct_matches_free(&m);
}

/* ---- dedup and contexts ------------------------------------------------------------- */

static void one_sentence_yields_one_match_per_indicator_the_strongest_rule(void **state)
{
	static const char text[] =
	    "The ministry funds micro-credentials with a budget of €50 million.";
	mct_matches m;
	apply(*state, text, "EU", &m);
	/* policy.funding.amount (5), policy.funding.en (3), policy.funding.mention.en (1). */
	assert_int_equal(m.n, 1);
	assert_string_equal(m.items[0].rule->id, "policy.funding.amount");
	assert_string_equal(m.items[0].match, "€50 million");
	assert_int_equal(m.items[0].match_start, strstr(text, "€50") - text);
	assert_string_equal(m.items[0].snippet, text);
	mct_matches_free(&m);

	/* Equal weights: the rule written first wins; its first match is kept. */
	apply(*state, "The law defines micro-credentials; the law applies.", "EU", &m);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.items[0].rule->id, "policy.definition.en");
	assert_string_equal(m.items[0].match, "defines");
	mct_matches_free(&m);

	/* Different indicators on one sentence are kept apart. */
	apply(*state, "The national register of micro-credentials is funded by the state.", "LV",
	      &m);
	assert_int_equal(m.n, 2);
	assert_non_null(find(&m, "infra.portal.en", "LV"));
	assert_non_null(find(&m, "policy.funding.en", "LV"));
	mct_matches_free(&m);

	/* The same rule in two sentences gives two matches. */
	apply(*state, "The state funds micro-credentials. Regions fund micro-credentials too.",
	      "LV", &m);
	assert_int_equal(m.n, 2);
	assert_string_not_equal(m.items[0].sentence_key, m.items[1].sentence_key);
	mct_matches_free(&m);
}

static size_t count(const mct_ruleset *rs, const char *text, const char *sc, const char *rule)
{
	mct_matches m;
	apply(rs, text, sc, &m);
	size_t n = 0;
	for (size_t i = 0; i < m.n; i++)
		n += strcmp(m.items[i].rule->id, rule) == 0;
	mct_matches_free(&m);
	return n;
}

static void context_decides_where_the_mc_term_must_be(void **state)
{
	const mct_ruleset *rs = *state;
	/* sentence */
	assert_int_equal(count(rs, "The state funds universities. Micro-credentials are new.", "LV",
	                       "policy.funding.en"),
	                 0);
	/* block: the same line, not the next one */
	assert_int_equal(count(rs, "A working group was set up. It studies micro-credentials.",
	                       "LV", "ecosystem.governance.en"),
	                 1);
	assert_int_equal(count(rs, "A working group was set up.\nIt studies micro-credentials.",
	                       "LV", "ecosystem.governance.en"),
	                 0);
	/* document: anywhere in the text */
	assert_int_equal(count(rs,
	                       "Las microcredenciales son cursos cortos.\n"
	                       "El Real Decreto 822/2021 regula las enseñanzas.",
	                       "ES", "policy.definition.decree.es"),
	                 1);
	assert_int_equal(count(rs, "El Real Decreto 822/2021 regula las enseñanzas.", "ES",
	                       "policy.definition.decree.es"),
	                 0);
	/* none: no MC term needed */
	assert_int_equal(count(rs, "Each course is worth 5 ECTS.", "LV", "infra.ects.any"), 1);
	/* none with anchors: ^ and $ are the sentence's ends */
	assert_int_equal(count(rs,
	                       "## Quality assurance of micro-credentials\n"
	                       "The quality assurance of micro-credentials is discussed.",
	                       "LV", "policy.qa.heading.en"),
	                 1);
}

/* ---- pages, snippets, keys ------------------------------------------------------------ */

static void pdf_page_is_one_plus_the_form_feeds_before_the_match(void **state)
{
	static const char text[] = "Cover page.\fContents.\fThe ministry funds micro-credentials.\n"
	                           "\f\fThe state funds micro-credentials.";
	mct_matches m;
	apply(*state, text, "LV", &m);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.items[0].page, 3);
	assert_int_equal(m.items[1].page, 5);
	mct_matches_free(&m);
	apply(*state, "The state funds micro-credentials.", "LV", &m);
	assert_int_equal(m.items[0].page, 1);
	mct_matches_free(&m);
}

static void long_sentences_are_cut_around_the_match_on_word_boundaries(void **state)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_puts(&b, "Según el plan");
	for (int i = 0; i < 20; i++)
		mct_buf_puts(&b, " añadiendo más cursos");
	mct_buf_puts(&b, " el ministerio financia las microcredenciales");
	for (int i = 0; i < 20; i++)
		mct_buf_puts(&b, " para más estudiantes");
	mct_buf_puts(&b, ".");
	assert_true(b.len > 600);
	mct_matches m;
	apply(*state, b.data, "ES", &m);
	assert_int_equal(m.n, 1);
	const char *snip = m.items[0].snippet;
	size_t n = strlen(snip);
	assert_true(n <= 300 + 2 * strlen("…"));
	assert_true(n >= 250);
	assert_int_equal(mct_utf8_check(snip, n), n);
	assert_memory_equal(snip, "…", strlen("…"));
	assert_string_equal(snip + n - strlen("…"), "…");
	assert_non_null(strstr(snip, "financia"));
	/* Cut between words: the text after the leading "…" starts a word of the sentence. */
	const char *body = snip + strlen("…");
	size_t blen = n - 2 * strlen("…");
	char *copy = mct_xstrndup(body, blen);
	const char *pos = strstr(b.data, copy);
	free(copy);
	assert_non_null(pos);
	assert_true(pos > b.data);
	assert_int_equal(pos[-1], ' ');
	assert_int_equal(pos[blen], ' ');
	mct_matches_free(&m);
	mct_buf_free(&b);
}

static void the_same_sentence_has_the_same_key_whatever_its_case_and_spacing(void **state)
{
	static const char text[] = "The state funds micro-credentials.\f"
	                           "THE STATE  FUNDS Micro-Credentials !\n"
	                           "The state funds micro-credentials at last.";
	mct_matches m;
	apply(*state, text, "LV", &m);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.items[0].sentence_key, m.items[1].sentence_key);
	assert_string_not_equal(m.items[0].sentence_key, m.items[2].sentence_key);
	char want[65];
	mct_sha256_hex("the state funds micro-credentials", 33, want);
	assert_string_equal(m.items[0].sentence_key, want);
	mct_matches_free(&m);

	/* Unicode case folding. */
	mct_matches a, c;
	apply(*state, "Das Gesetz enthält eine Definition von Mikrozertifikaten.", "DE", &a);
	apply(*state, "DAS GESETZ ENTHÄLT EINE DEFINITION VON MIKROZERTIFIKATEN", "DE", &c);
	assert_int_equal(a.n, 1);
	assert_int_equal(c.n, 1);
	assert_string_equal(a.items[0].sentence_key, c.items[0].sentence_key);
	mct_matches_free(&a);
	mct_matches_free(&c);
}

/* ---- the prefilter changes nothing ----------------------------------------------------------- */

/* Without the literal prefilter every rule runs on every sentence its
 * context allows: both ways must give the same matches. */
static void the_literal_prefilter_finds_what_running_every_rule_finds(void **state)
{
	mct_buf text;
	mct_buf_init(&text);
	mct_buf_puts(&text, "# Latvia\n## Funding\n");
	for (size_t i = 0; i < sizeof polarity_cases / sizeof polarity_cases[0]; i++)
		mct_buf_printf(&text, "%s %s\n", polarity_cases[i].positive,
		               polarity_cases[i].negative);
	for (size_t i = 0; i < sizeof country_cases / sizeof country_cases[0]; i++)
		mct_buf_printf(&text, "%s\n", country_cases[i].text);
	mct_buf_puts(&text,
	             "The ministry funds micro-credentials with a budget of €50 million.\f"
	             "Las universidades ofrecen microcredenciales. Navoica publishes courses.\n"
	             "## Quality assurance of micro-credentials\nEach course is worth 5 ECTS.\n"
	             "El Real Decreto 822/2021 regula las enseñanzas.\n");
	const char *sources[] = {"EU", "LV", "ES"};
	for (size_t k = 0; k < 3; k++) {
		mct_matches with, without;
		mct_err err = {0};
		apply(*state, text.data, sources[k], &with);
		assert_int_equal(mct_rules_apply_with(*state, text.data, text.len, sources[k], 0,
		                                      &without, &err),
		                 MCT_OK);
		assert_true(with.n > 10);
		assert_int_equal(with.n, without.n);
		for (size_t i = 0; i < with.n; i++) {
			const mct_match *a = &with.items[i], *b = &without.items[i];
			assert_ptr_equal(a->rule, b->rule);
			assert_string_equal(a->country, b->country);
			assert_int_equal(a->negative, b->negative);
			assert_int_equal(a->match_start, b->match_start);
			assert_int_equal(a->match_end, b->match_end);
		}
		mct_matches_free(&with);
		mct_matches_free(&without);
	}
	mct_buf_free(&text);
	/* LONG S matches s caselessly, so "ſpain" still names Spain although
	 * the literal is "spain". */
	one_match(*state, "\xc5\xbfpain funds micro-credentials.", "EU", "policy.funding.en", "ES",
	          0);
}

/* ---- limits and bad input ------------------------------------------------------------------ */

static void a_pathological_pattern_is_cut_off_and_counted(void **state)
{
	(void)state;
	mct_ruleset *rs = load("slow");
	mct_buf b;
	mct_buf_init(&b);
	for (int i = 0; i < 40; i++)
		mct_buf_putc(&b, 'a');
	mct_buf_puts(&b, "b\nThe course is worth 5 ECTS.\n");
	mct_matches m;
	mct_err err = {0};
	assert_int_equal(mct_rules_apply(rs, b.data, b.len, "LV", &m, &err), MCT_OK);
	assert_true(m.limits_hit >= 1);
	assert_non_null(m.limit_note);
	assert_non_null(strstr(m.limit_note, "rule usage.issued.nested: "));
	assert_non_null(strstr(m.limit_note, "limit reached"));
	/* The rest of the text is still matched. */
	assert_int_equal(m.n, 1);
	assert_string_equal(m.items[0].rule->id, "infra.ects.any");
	mct_matches_free(&m);
	mct_buf_free(&b);
	mct_rules_free(rs);
}

static void invalid_text_or_country_is_refused(void **state)
{
	mct_matches m;
	mct_err err = {0};
	static const char bad[] = "The state funds micro-credentials \xff.";
	assert_int_equal(mct_rules_apply(*state, bad, strlen(bad), "LV", &m, &err), MCT_ERR_PARSE);
	assert_non_null(strstr(err.msg, "not valid UTF-8 (byte 34)"));
	assert_int_equal(m.n, 0);
	static const char surrogate[] = "\xed\xa0\x80 micro-credentials";
	assert_int_equal(mct_rules_apply(*state, surrogate, strlen(surrogate), "LV", &m, &err),
	                 MCT_ERR_PARSE);
	assert_int_equal(mct_rules_apply(*state, "x", 1, "lv", &m, &err), MCT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "'lv'"));
	/* Empty text, blank lines, page breaks only: nothing, no error. */
	apply(*state, "", "LV", &m);
	assert_int_equal(m.n, 0);
	mct_matches_free(&m);
	apply(*state, "\n\n\f \n\f", NULL, &m);
	assert_int_equal(m.n, 0);
	mct_matches_free(&m);
}

/* ---- unions larger than one compiled pattern ----------------------------------------------- */

static void large_vocabularies_beyond_one_compiled_pattern_still_work(void **state)
{
	(void)state;
	char dir[] = "/tmp/mct-rules-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = mct_xasprintf("%s/a.rules", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	/* An MC vocabulary of 4000 words: beyond the 64 KiB of one compiled
	 * pattern, so its union is split. */
	fputs("[define MC]\npattern = micro-?credentials?\n", f);
	for (int i = 0; i < 4000; i++)
		fprintf(f, "pattern = \\bmcword%d\\b\n", i);
	fputs("[rule policy.funding.en]\nindicator = policy.funding\nweight = 3\nlang = en\n"
	      "pattern = \\bfunds?\\b\nmatch = Town7 funds micro-credentials.\n",
	      f);
	/* 3000 names per country. */
	static const char *const ccs[] = {"ES", "LV", "PL"};
	for (int c = 0; c < 3; c++) {
		fprintf(f, "[country %s]\n", ccs[c]);
		for (int i = 0; i < 3000; i++)
			fprintf(f, "pattern = \\bTown%d\\b\n", c * 3000 + i);
	}
	fclose(f);
	mct_ruleset *rs = NULL;
	mct_err err = {0};
	if (mct_rules_load(dir, &rs, &err) != MCT_OK)
		fail_msg("%s", err.msg);
	assert_true(rs->mc.n > 1);
	assert_int_equal(rs->countries[2].nbranches, 3000);
	mct_matches m;
	apply(rs, "Town8999 and Town1 fund mcword3999. Town4500 funds nothing.", "EU", &m);
	assert_int_equal(m.n, 2);
	assert_non_null(find(&m, "policy.funding.en", "ES"));
	assert_non_null(find(&m, "policy.funding.en", "PL"));
	mct_matches_free(&m);
	apply(rs, "Town4500 funds mcword0 and mcword2000.", "EU", &m);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.items[0].country, "LV");
	mct_matches_free(&m);
	mct_rules_free(rs);
	unlink(path);
	free(path);
	rmdir(dir);
}

/* ---- the examples check ---------------------------------------------------------------------- */

typedef struct {
	int lines[32];
	char *msgs[32];
	size_t n;
} reports;

static void collect(void *ctx, const char *file, int line, const char *msg)
{
	reports *r = ctx;
	assert_non_null(strstr(file, ".rules"));
	if (r->n < 32) {
		r->lines[r->n] = line;
		r->msgs[r->n++] = mct_xstrdup(msg);
	}
}

static void check_passes_on_rules_whose_examples_hold(void **state)
{
	reports r = {0};
	assert_int_equal(mct_rules_check(*state, collect, &r), 0);
	assert_int_equal(r.n, 0);
	mct_ruleset *slow = load("slow");
	assert_int_equal(mct_rules_check(slow, collect, &r), 0);
	mct_rules_free(slow);
}

static void check_reports_each_failing_example_at_its_line(void **state)
{
	(void)state;
	static const struct {
		int line;
		const char *fragment;
	} want[] = {
	    {13, "rule policy.funding.en: 'match' example is not matched by any pattern"},
	    {14, "the pattern matches but no {{MC}} term is in the same sentence"},
	    {15, "'match' example is matched (\"fund\") but negative: negation cue \"not\""},
	    {16, "'match_negative' example is matched (\"funds\") but not negative"},
	    {17, "'nomatch' example is matched (\"Funding\")"},
	    {26, "rule policy.definition.gap.en: 'match' example is matched but the rule has "
	         "polarity = negative"},
	    {31, "negation en: 'match' example contains no cue of this section"},
	    {32, "negation en: 'nomatch' example contains the cue \"not\""},
	    {37, "country LV: 'match' example contains no name of this section"},
	    {38, "country LV: 'nomatch' example contains the name \"Latvia\""},
	};
	mct_ruleset *rs = load("check-fail");
	reports r = {0};
	size_t n = sizeof want / sizeof want[0];
	assert_int_equal(mct_rules_check(rs, collect, &r), n);
	assert_int_equal(r.n, n);
	for (size_t i = 0; i < n; i++) {
		if (r.lines[i] != want[i].line || !strstr(r.msgs[i], want[i].fragment))
			fail_msg("report %zu: line %d \"%s\", want line %d \"%s\"", i, r.lines[i],
			         r.msgs[i], want[i].line, want[i].fragment);
		free(r.msgs[i]);
	}
	mct_rules_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sentences_split_after_stops_but_not_after_abbreviations),
	    cmocka_unit_test(sentences_never_span_blocks_and_headings_are_marked),
	    cmocka_unit_test(a_run_without_breaks_is_cut_at_blanks),
	    cmocka_unit_test(negation_cues_make_evidence_negative_in_six_languages),
	    cmocka_unit_test(a_negative_rule_is_negative_without_any_cue),
	    cmocka_unit_test(sentences_about_other_countries_credit_them),
	    cmocka_unit_test(eu_source_credits_every_country_the_sentence_names),
	    cmocka_unit_test(eu_source_falls_back_to_the_nearest_heading_naming_a_country),
	    cmocka_unit_test(rule_scope_filters_countries_and_a_single_scope_is_a_fallback),
	    cmocka_unit_test(one_sentence_yields_one_match_per_indicator_the_strongest_rule),
	    cmocka_unit_test(context_decides_where_the_mc_term_must_be),
	    cmocka_unit_test(pdf_page_is_one_plus_the_form_feeds_before_the_match),
	    cmocka_unit_test(long_sentences_are_cut_around_the_match_on_word_boundaries),
	    cmocka_unit_test(the_same_sentence_has_the_same_key_whatever_its_case_and_spacing),
	    cmocka_unit_test(the_literal_prefilter_finds_what_running_every_rule_finds),
	    cmocka_unit_test(a_pathological_pattern_is_cut_off_and_counted),
	    cmocka_unit_test(invalid_text_or_country_is_refused),
	    cmocka_unit_test(large_vocabularies_beyond_one_compiled_pattern_still_work),
	    cmocka_unit_test(check_passes_on_rules_whose_examples_hold),
	    cmocka_unit_test(check_reports_each_failing_example_at_its_line),
	};
	return cmocka_run_group_tests(tests, setup_good, teardown_rules);
}
