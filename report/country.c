/*
 * report/country.c - one country's page, laid out like a benchmarking
 * report: the headline temperature and band, key highlights, a snapshot of
 * the four dimensions, a deep-dive per dimension and indicator, the critical
 * gaps, the history, the coverage (sources read and failed, with reasons)
 * and the method.
 *
 * The numbers are the latest reading's own explanation (mct_score_load):
 * indicator scores, and what each piece of evidence was worth, as stored
 * when the reading was made.  The review status shown is today's, read from
 * the reviews table: evidence rejected since the reading is never offered
 * as a highlight, even though the reading still counted it.
 *
 * Every snippet, match, URL and error message on this page came from a
 * crawled page or a server; all of it goes through mct_html_escape, and URLs
 * through mct_html_link.  The highlights are the strongest positive evidence
 * that is confirmed or pending (never rejected), one per sentence.
 *
 * Left out: evidence beyond the first few per indicator is counted, not
 * listed (evidence.csv has it all), so a page stays readable when a source
 * repeats itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

enum { HIGHLIGHTS = 6, PER_INDICATOR = 4 };

typedef struct {
	mct_buf *b;
	const mct_rp_model *m;
	const mct_rp_country *c;
	mct_score_reading sr;
	mct_rp_evidence *ev;
	size_t nev;
	mct_rp_source *src;
	size_t nsrc;
} page;

/* The review status of a part now, falling back to the one in the
 * reading for evidence the store no longer has. */
static const char *status_of(const page *p, const mct_score_part *part)
{
	const mct_rp_evidence *e = mct_rp_evidence_find(p->ev, p->nev, part->id);
	if (e && e->status[0])
		return e->status;
	return mct_review_name(part->review);
}

static int rejected(const page *p, const mct_score_part *part)
{
	return part->review == MCT_REVIEW_REJECTED || strcmp(status_of(p, part), "rejected") == 0;
}

/* ---- evidence items ------------------------------------------------------------- */

/* The snippet with the matched words in <mark>, everything escaped. */
static void snippet(mct_buf *b, const char *text, const char *match)
{
	const char *hit = text && match && *match ? strstr(text, match) : NULL;
	mct_buf_puts(b, "<p class=\"snippet\">");
	if (!hit) {
		mct_html_escape(b, text);
	} else {
		mct_html_escape_n(b, text, (size_t)(hit - text));
		mct_buf_puts(b, "<mark>");
		mct_html_escape(b, match);
		mct_buf_puts(b, "</mark>");
		mct_html_escape(b, hit + strlen(match));
	}
	mct_buf_puts(b, "</p>");
}

static void evidence_item(const page *p, const mct_score_part *part, int with_indicator)
{
	mct_buf *b = p->b;
	const mct_rp_evidence *e = mct_rp_evidence_find(p->ev, p->nev, part->id);
	const char *status = status_of(p, part);
	int is_rejected = rejected(p, part);
	const char *cls = is_rejected                   ? "rejected"
	                  : strcmp(status, "confirmed") ? "pending"
	                                                : "confirmed";
	mct_buf_printf(b, "<li class=\"evidence status-%s%s\" id=\"e%lld\"><div class=\"ev-head\">",
	               cls, part->negative ? " negative" : "", (long long)part->id);
	if (with_indicator) {
		const mct_indicator *ind = &mct_indicators[part->indicator];
		mct_buf_puts(b, "<span class=\"ind\">");
		mct_html_escape(b, ind->name);
		mct_buf_puts(b, "</span><span>");
		mct_html_escape(b, mct_dimension_names[ind->dimension]);
		mct_buf_puts(b, "</span>");
	}
	if (part->negative)
		mct_buf_puts(b, "<span class=\"tag tag-gap\">gap</span>");
	mct_buf_printf(b, "<span class=\"tag tag-%s\">%s</span>", cls, cls);
	if (!is_rejected && fabs(part->degrees) >= 0.05) {
		mct_buf_puts(b, "<span>");
		mct_html_delta(b, part->degrees);
		mct_buf_puts(b, "&deg; of the temperature</span>");
	}
	mct_buf_puts(b, "</div>");
	snippet(b, part->snippet, e ? e->match : NULL);
	mct_buf_puts(b, "<div class=\"ev-source\">Source: ");
	mct_html_link(b, part->url, NULL);
	if (part->page > 1)
		mct_buf_printf(b, " &middot; page %d", part->page);
	if (part->source_id) {
		mct_buf_puts(b, " &middot; ");
		mct_html_escape(b, part->source_id);
		if (part->kind < MCT_KIND_COUNT)
			mct_buf_printf(b, " (%s)", mct_kind_name(part->kind));
	}
	if (e && e->fetched_at) {
		mct_buf_puts(b, " &middot; read ");
		mct_html_escape_n(b, e->fetched_at, strnlen(e->fetched_at, 10));
	}
	mct_buf_printf(b, " &middot; evidence #%lld", (long long)part->id);
	if (part->state && strcmp(part->state, "active") != 0) {
		mct_buf_puts(b, " &middot; <em>");
		mct_buf_puts(b, strcmp(part->state, "gone") == 0 ? "no longer on the page"
		                                                 : "found by an older rule");
		mct_buf_puts(b, "</em>");
	}
	mct_buf_puts(b, "</div></li>\n");
}

/* ---- sections --------------------------------------------------------------------------- */

static void masthead(const page *p)
{
	mct_buf *b = p->b;
	const mct_store_reading *r = mct_rp_latest(p->c);
	mct_buf_puts(b, "<header class=\"masthead\"><div class=\"wrap\">\n"
	                "<p class=\"crumbs\"><a href=\"index.html\">&larr; All countries</a></p>\n"
	                "<p class=\"kicker\">Micro-credentials thermometer &middot; country "
	                "report</p>\n<h1>");
	mct_html_escape(b, p->c->name);
	mct_buf_printf(b, "<span class=\"cc\">%s</span></h1>\n<p class=\"sub\">Reading of ",
	               p->c->cc);
	mct_html_escape(b, r->date);
	mct_buf_puts(b, " &middot; method ");
	mct_html_escape(b, r->method_version);
	if (p->c->n > 1) {
		mct_buf_printf(b, " &middot; %zu readings since ", p->c->n);
		mct_html_escape(b, p->c->readings[0].date);
	}
	mct_buf_puts(b, "</p>\n</div></header>\n"
	                "<nav class=\"toc wrap\" aria-label=\"Sections\">"
	                "<a href=\"#highlights\">Highlights</a><a href=\"#snapshot\">Snapshot</a>"
	                "<a href=\"#dimensions\">Deep-dive</a><a href=\"#gaps\">Gaps</a>"
	                "<a href=\"#history\">History</a><a href=\"#coverage\">Coverage</a>"
	                "<a href=\"#method\">Method</a></nav>\n");
}

static void headline(const page *p)
{
	mct_buf *b = p->b;
	const mct_store_reading *r = mct_rp_latest(p->c), *prev = mct_rp_previous(p->c);
	mct_buf_puts(b, "<section class=\"block headline\" id=\"headline\"><div class=\"figure\">");
	mct_svg_thermometer(b, r->temperature, r->band, r->low_confidence, 1);
	mct_buf_printf(b, "</div><div><div><span class=\"big-temp%s\">",
	               strcmp(r->band, "unknown") ? "" : " temp-unknown");
	mct_html_num(b, r->temperature);
	mct_buf_puts(b, "<span class=\"deg\">&deg;</span></span>");
	mct_html_band(b, r->band);
	mct_buf_puts(b, "</div><p class=\"meaning\">");
	mct_html_escape(b, mct_html_band_meaning(r->band));
	mct_buf_puts(b, "</p><p class=\"delta\">");
	if (prev) {
		mct_html_change(b, r->temperature - prev->temperature, prev->date, "&deg;");
		mct_buf_puts(b, " (");
		mct_html_num(b, prev->temperature);
		mct_buf_puts(b, "&deg;, ");
		mct_html_escape(b, prev->band);
		mct_buf_puts(b, ")");
		if (p->sr.appeared)
			mct_buf_printf(b, "; %zu new evidence item%s", p->sr.appeared,
			               p->sr.appeared == 1 ? "" : "s");
	} else {
		mct_buf_puts(b, "The first reading of this country.");
	}
	mct_buf_puts(b, "</p><div class=\"confidence\">");
	mct_html_confidence(b, r);
	mct_buf_puts(b, "</div></div><div class=\"glance\"><p class=\"glance-title\">Dimensions "
	                "(0&ndash;100)</p>");
	mct_svg_dimension_bars(b, r->dimension);
	mct_buf_puts(b, "</div></section>\n");
}

static int cmp_highlight(const void *a, const void *b)
{
	const mct_score_part *x = *(const mct_score_part *const *)a;
	const mct_score_part *y = *(const mct_score_part *const *)b;
	if (x->degrees != y->degrees)
		return x->degrees > y->degrees ? -1 : 1;
	if (x->strength != y->strength)
		return x->strength > y->strength ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void highlights(const page *p)
{
	mct_buf *b = p->b;
	const mct_score_part **pick = mct_xcalloc(p->sr.nparts + 1, sizeof *pick);
	size_t n = 0;
	for (size_t i = 0; i < p->sr.nparts; i++) {
		const mct_score_part *part = &p->sr.parts[i];
		if (part->negative || rejected(p, part) || part->duplicate_of ||
		    part->silenced_by || (part->state && strcmp(part->state, "active") != 0))
			continue;
		pick[n++] = part;
	}
	if (n)
		qsort(pick, n, sizeof *pick, cmp_highlight);
	mct_buf_puts(b, "<section class=\"block\" id=\"highlights\"><h2>Key highlights</h2>\n"
	                "<p class=\"lead\">The strongest evidence behind the temperature, "
	                "confirmed or awaiting review, each with the sentence it rests on and its "
	                "source.</p>\n");
	if (!n)
		mct_buf_puts(b, "<p class=\"none\">No confirmed or pending evidence yet.</p>\n");
	else
		mct_buf_puts(b, "<ol class=\"evidence-list\">\n");
	for (size_t i = 0; i < n && i < HIGHLIGHTS; i++)
		evidence_item(p, pick[i], 1);
	if (n)
		mct_buf_puts(b, "</ol>\n");
	mct_buf_puts(b, "</section>\n");
	free(pick);
}

/* Indicators of dimension d with positive evidence that counted. */
static int indicators_with_evidence(const page *p, int d, int *total)
{
	int with = 0;
	*total = 0;
	for (size_t k = 0; k < mct_indicator_count; k++) {
		if (mct_indicators[k].dimension != d)
			continue;
		(*total)++;
		with += p->sr.indicators[k].counted > 0;
	}
	return with;
}

static void snapshot(const page *p)
{
	mct_buf *b = p->b;
	const mct_store_reading *r = mct_rp_latest(p->c), *prev = mct_rp_previous(p->c);
	mct_buf_puts(b, "<section class=\"block\" id=\"snapshot\"><h2>Quick snapshot</h2>\n"
	                "<div class=\"snapshot\">\n");
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		int total, with = indicators_with_evidence(p, d, &total);
		mct_buf_printf(b, "<div class=\"tile\" style=\"border-top-color:%s\"><h3>",
		               mct_html_dimension_colour(d));
		mct_html_escape(b, mct_dimension_names[d]);
		mct_buf_puts(b, "</h3><div class=\"score\">");
		mct_html_num(b, r->dimension[d]);
		mct_buf_puts(b, "</div>");
		mct_svg_score_bar(b, r->dimension[d], mct_html_dimension_colour(d));
		mct_buf_printf(b, "<div class=\"sub\">%d of %d indicators with evidence", with,
		               total);
		if (prev) {
			mct_buf_puts(b, "<br>");
			mct_html_change(b, r->dimension[d] - prev->dimension[d], prev->date, "");
		}
		mct_buf_puts(b, "</div></div>\n");
	}
	mct_buf_puts(b, "</div>\n</section>\n");
}

static void indicator_block(const page *p, size_t k)
{
	mct_buf *b = p->b;
	const mct_indicator *ind = &mct_indicators[k];
	const mct_score_indicator *si = &p->sr.indicators[k];
	size_t total = 0, shown = 0;
	for (size_t i = 0; i < p->sr.nparts; i++)
		total += (size_t)p->sr.parts[i].indicator == k;
	mct_buf_printf(b,
	               "<div class=\"indicator%s\" id=\"%s\"><div class=\"ind-row\"><div>"
	               "<div class=\"ind-name\">",
	               total ? "" : " empty", ind->id);
	mct_html_escape(b, ind->name);
	mct_buf_puts(b, "</div><div class=\"ind-desc\">");
	mct_html_escape(b, ind->description);
	if (!total)
		mct_buf_puts(b, " <em>No evidence found.</em>");
	mct_buf_puts(b, "</div></div>");
	mct_svg_score_bar(b, si->score, mct_html_dimension_colour(ind->dimension));
	mct_buf_puts(b, "<div class=\"num\"><strong>");
	mct_html_num(b, si->score);
	mct_buf_puts(b, "</strong></div></div>\n");
	if (total)
		mct_buf_puts(b, "<ul class=\"evidence-list\">\n");
	for (size_t i = 0; i < p->sr.nparts && shown < PER_INDICATOR; i++) {
		if ((size_t)p->sr.parts[i].indicator != k)
			continue;
		evidence_item(p, &p->sr.parts[i], 0);
		shown++;
	}
	if (total)
		mct_buf_puts(b, "</ul>\n");
	if (total > shown)
		mct_buf_printf(b,
		               "<p class=\"more\">and %zu more (evidence.csv lists them all)</p>\n",
		               total - shown);
	mct_buf_puts(b, "</div>\n");
}

static void deep_dive(const page *p)
{
	mct_buf *b = p->b;
	const mct_store_reading *r = mct_rp_latest(p->c);
	mct_buf_puts(b, "<section class=\"block\" id=\"dimensions\"><h2>Dimension deep-dive</h2>\n"
	                "<p class=\"lead\">Every indicator with its score (0&ndash;100) and the "
	                "evidence it stands on, strongest first.</p>\n");
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		mct_buf_printf(
		    b, "<div class=\"dim-head\" id=\"dim-%s\" style=\"border-color:%s\"><h3>",
		    mct_dimension_ids[d], mct_html_dimension_colour(d));
		mct_html_escape(b, mct_dimension_names[d]);
		mct_buf_puts(b, "</h3><span class=\"score\">");
		mct_html_num(b, r->dimension[d]);
		mct_buf_puts(b, "</span>");
		if (p->sr.dimension_share[d] > 0)
			mct_buf_printf(
			    b, "<span class=\"muted\">weighs %.0f%% of the temperature</span>",
			    p->sr.dimension_share[d] * 100);
		mct_buf_puts(b, "</div>\n");
		for (size_t k = 0; k < mct_indicator_count; k++)
			if (mct_indicators[k].dimension == d)
				indicator_block(p, k);
	}
	mct_buf_puts(b, "</section>\n");
}

/* 1 when indicator k has positive evidence that is not rejected. */
static int has_positive(const page *p, size_t k)
{
	for (size_t i = 0; i < p->sr.nparts; i++) {
		const mct_score_part *part = &p->sr.parts[i];
		if ((size_t)part->indicator == k && !part->negative && !rejected(p, part))
			return 1;
	}
	return 0;
}

static void gaps(const page *p)
{
	mct_buf *b = p->b;
	mct_buf_puts(b, "<section class=\"block\" id=\"gaps\"><h2>Critical gaps</h2>\n"
	                "<h3>What the sources say is missing</h3>\n");
	size_t n = 0;
	for (size_t i = 0; i < p->sr.nparts; i++) {
		const mct_score_part *part = &p->sr.parts[i];
		if (!part->negative || rejected(p, part) || part->duplicate_of)
			continue;
		if (n++ == 0)
			mct_buf_puts(b, "<ul class=\"evidence-list\">\n");
		evidence_item(p, part, 1);
	}
	mct_buf_puts(b, n ? "</ul>\n"
	                  : "<p class=\"none\">No source states a gap (no negative "
	                    "evidence).</p>\n");
	mct_buf_puts(b, "<h3>Indicators without evidence</h3>\n");
	size_t missing = 0;
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		size_t here = 0;
		for (size_t k = 0; k < mct_indicator_count; k++) {
			if (mct_indicators[k].dimension != d || has_positive(p, k))
				continue;
			if (here++ == 0) {
				mct_buf_puts(b, "<p><strong>");
				mct_html_escape(b, mct_dimension_names[d]);
				mct_buf_puts(b, "</strong></p><ul class=\"gap-list\">");
			}
			mct_buf_printf(b, "<li><a href=\"#%s\">", mct_indicators[k].id);
			mct_html_escape(b, mct_indicators[k].name);
			mct_buf_puts(b, "</a></li>");
		}
		if (here)
			mct_buf_puts(b, "</ul>\n");
		missing += here;
	}
	if (!missing)
		mct_buf_puts(b, "<p class=\"none\">Every indicator has some evidence.</p>\n");
	mct_buf_puts(b, "</section>\n");
}

static void history(const page *p)
{
	mct_buf *b = p->b;
	mct_buf_puts(b, "<section class=\"block\" id=\"history\"><h2>History</h2>\n");
	mct_svg_history(b, p->c->readings, p->c->n);
	mct_buf_puts(b, "<ul class=\"chart-legend\"><li><span class=\"line\" "
	                "style=\"border-color:#1c2430\"></span>Temperature</li>");
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		mct_buf_printf(b,
		               "<li><span class=\"line dashed\" style=\"border-color:%s\"></span>",
		               mct_html_dimension_colour(d));
		mct_html_escape(b, mct_dimension_names[d]);
		mct_buf_puts(b, "</li>");
	}
	mct_buf_puts(b, "</ul>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Date</th><th "
	                "class=\"num\">Temp.</th>"
	                "<th>Band</th>");
	mct_html_dimension_headers(b);
	mct_buf_puts(b, "<th class=\"num\">Sources read</th><th class=\"num\">Evidence</th>"
	                "<th>Method</th></tr></thead>\n<tbody>\n");
	for (size_t i = p->c->n; i-- > 0;) {
		const mct_store_reading *r = &p->c->readings[i];
		mct_buf_puts(b, "<tr><td class=\"date\">");
		mct_html_escape(b, r->date);
		mct_buf_puts(b, "</td><td class=\"num\">");
		mct_html_num(b, r->temperature);
		mct_buf_puts(b, "</td><td>");
		mct_html_band(b, r->band);
		mct_buf_puts(b, "</td>");
		mct_html_dimension_cells(b, r);
		mct_buf_printf(b, "<td class=\"num\">%d / %d</td><td class=\"num\">%d</td><td>",
		               r->sources_ok, r->sources_total, r->evidence_count);
		mct_html_escape(b, r->method_version);
		mct_buf_puts(b, "</td></tr>\n");
	}
	mct_buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
}

static void coverage(const page *p)
{
	mct_buf *b = p->b;
	size_t read = 0, failed = 0, never = 0;
	for (size_t i = 0; i < p->nsrc; i++) {
		const char *st = p->src[i].last_status;
		if (!p->src[i].enabled)
			continue;
		if (mct_store_source_read_ok(st))
			read++;
		else if (st)
			failed++;
		else
			never++;
	}
	mct_buf_printf(b,
	               "<section class=\"block\" id=\"coverage\"><h2>Coverage</h2>\n"
	               "<p class=\"lead\">%zu source%s read, %zu not read",
	               read, read == 1 ? "" : "s", failed);
	if (never)
		mct_buf_printf(b, ", %zu never fetched", never);
	mct_buf_puts(b, ". Evidence about this country found in EU-level sources counts too "
	                "and is listed with its source above.</p>\n");
	if (!p->nsrc) {
		mct_buf_puts(b, "<p class=\"none\">No source of this country is configured.</p>\n"
		                "</section>\n");
		return;
	}
	mct_buf_puts(
	    b,
	    "<div "
	    "class=\"table-wrap\"><table>\n<thead><tr><th>Source</th><th>Kind</th><th>Address</th>"
	    "<th>Last fetch</th><th>Status</th><th>Reason</th></tr></thead>\n"
	    "<tbody>\n");
	for (size_t i = 0; i < p->nsrc; i++) {
		const mct_rp_source *s = &p->src[i];
		const char *st = s->last_status;
		const char *tag = !s->enabled                    ? "never"
		                  : mct_store_source_read_ok(st) ? "read"
		                  : st                           ? "failed"
		                                                 : "never";
		mct_buf_puts(b, "<tr><td class=\"id\">");
		mct_html_escape(b, s->id);
		mct_buf_puts(b, "</td><td>");
		mct_html_escape(b, s->kind);
		mct_buf_puts(b, "</td><td class=\"url\">");
		mct_html_link(b, s->url, NULL);
		mct_buf_puts(b, "</td><td class=\"date\">");
		mct_html_time(b, s->last_fetch);
		mct_buf_printf(b, "</td><td><span class=\"tag tag-%s\">", tag);
		mct_html_escape(b, !s->enabled ? "disabled" : st ? st : "not fetched");
		mct_buf_puts(b, "</span></td><td>");
		mct_html_escape(b, s->last_error);
		mct_buf_puts(b, "</td></tr>\n");
	}
	mct_buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
}

static void method(const page *p)
{
	mct_buf *b = p->b;
	const mct_store_reading *r = mct_rp_latest(p->c);
	mct_buf_puts(b, "<section class=\"block method\" id=\"method\"><h2>Method</h2>\n"
	                "<p>This reading was made with method version <strong>");
	mct_html_escape(b, r->method_version);
	mct_buf_puts(
	    b,
	    "</strong>. Each piece of evidence counts by the weight of the rule that found it, the "
	    "authority of its source, its review status (pending evidence counts for less, "
	    "rejected evidence not at all) and its age; repeated mentions of one fact count "
	    "less each time. Indicator scores combine into the four dimensions, and the "
	    "dimensions into the temperature. The degrees shown beside each piece of evidence "
	    "add up to the temperature.</p>\n"
	    "<p>Review status is shown as it stands now; a review made after this reading "
	    "changes the numbers at the next reading.</p>\n");
	mct_html_disclaimer(b);
	mct_buf_puts(b, "</section>\n");
}

/* ---- the page ------------------------------------------------------------------- */

mct_status mct_rp_country_page(mct_buf *b, mct_store *st, const mct_rp_model *m,
                               const mct_rp_country *c, mct_err *err)
{
	page p = {.b = b, .m = m, .c = c};
	int found;
	const mct_store_reading *r = mct_rp_latest(c);
	mct_status rc = mct_score_load(st, c->cc, r->date, &p.sr, &found, err);
	if (rc)
		return rc;
	if (!found)
		return mct_fail(err, MCT_ERR_INTERNAL,
		                "%s: the reading of %s on %s vanished while "
		                "the report was written; write it again",
		                mct_store_path(st), c->cc, r->date);
	if ((rc = mct_rp_evidence_load(st, c->cc, &p.ev, &p.nev, err)) ||
	    (rc = mct_rp_sources_load(st, c->cc, &p.src, &p.nsrc, err)))
		goto out;
	char *title = mct_xasprintf("%s: micro-credentials thermometer", c->name);
	mct_html_begin(b, title);
	free(title);
	masthead(&p);
	mct_buf_puts(b, "<main class=\"wrap\">\n");
	headline(&p);
	mct_html_disclaimer(b);
	highlights(&p);
	snapshot(&p);
	deep_dive(&p);
	gaps(&p);
	history(&p);
	coverage(&p);
	method(&p);
	mct_buf_puts(b, "</main>\n");
	mct_html_end(b, m);
out:
	mct_score_reading_free(&p.sr);
	mct_rp_evidence_free(p.ev, p.nev);
	mct_rp_sources_free(p.src, p.nsrc);
	return rc;
}
