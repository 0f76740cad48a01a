/*
 * report/index.c - the dashboard's front page: one card per country (its
 * thermometer, the four dimensions as bars, a sparkline of its history and
 * how much the reading stands on), then every latest reading in one table.
 *
 * Cards are in alphabetical order and the table is too; nothing on the page
 * sorts countries by temperature, because the point is to see where each
 * country stands and what is missing, not who wins.  A reading that stands
 * on too few sources is marked on its card in words, not only by a paler
 * thermometer.
 */
#include <string.h>

#include "report_internal.h"

static void masthead(mct_buf *b, const mct_rp_model *m)
{
	mct_buf_puts(b, "<header class=\"masthead\"><div class=\"wrap\">\n"
	                "<p class=\"kicker\">Micro-credentials thermometer</p>\n"
	                "<h1>Where each country stands on micro-credentials</h1>\n"
	                "<p class=\"sub\">");
	if (m->n) {
		mct_buf_puts(b, "Latest readings up to ");
		mct_html_escape(b, m->latest);
		mct_buf_printf(b, " &middot; %zu countr%s &middot; %zu reading%s", m->n,
		               m->n == 1 ? "y" : "ies", m->nreadings, m->nreadings == 1 ? "" : "s");
		mct_buf_puts(b, " &middot; method ");
		mct_html_escape(b, m->method);
	} else {
		mct_buf_puts(b, "No readings yet");
	}
	mct_buf_puts(b, "</p>\n</div></header>\n");
}

static void legend(mct_buf *b)
{
	static const char *const bands[][2] = {
	    {"frozen", "0&ndash;20"}, {"cold", "20&ndash;40"},     {"warm", "40&ndash;60"},
	    {"hot", "60&ndash;80"},   {"boiling", "80&ndash;100"}, {"unknown", "too few sources"}};
	mct_buf_puts(b, "<ul class=\"legend\" aria-label=\"Bands\">");
	for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++)
		mct_buf_printf(b,
		               "<li><span class=\"swatch\" style=\"background:%s\"></span>"
		               "<strong>%s</strong> %s</li>",
		               mct_html_band_colour(bands[i][0]), bands[i][0], bands[i][1]);
	mct_buf_puts(b, "</ul>\n");
}

/* "+4.2° since 2026-01-10", or that this is the first reading. */
static void change_line(mct_buf *b, const mct_rp_country *c)
{
	const mct_store_reading *r = mct_rp_latest(c), *p = mct_rp_previous(c);
	mct_buf_puts(b, "<p class=\"delta\">");
	if (p) {
		mct_html_change(b, r->temperature - p->temperature, p->date, "&deg;");
	} else {
		mct_buf_puts(b, "First reading");
	}
	mct_buf_puts(b, " &middot; reading of ");
	mct_html_escape(b, r->date);
	mct_buf_puts(b, "</p>");
}

static void card(mct_buf *b, const mct_rp_country *c)
{
	const mct_store_reading *r = mct_rp_latest(c);
	char file[16];
	mct_html_country_file(file, c->cc);
	mct_buf_printf(b,
	               "<article class=\"card\" id=\"%s\">\n<div class=\"card-head\"><h2>"
	               "<a href=\"%s\">",
	               c->cc, file);
	mct_html_escape(b, c->name);
	mct_buf_printf(b, "</a></h2><span class=\"cc\">%s</span></div>\n<div class=\"card-body\">",
	               c->cc);
	mct_svg_thermometer(b, r->temperature, r->band, r->low_confidence, 0);
	/* An unknown reading's number is shown, but greyed: it stands on too
	 * little to be read as a temperature. */
	mct_buf_printf(b,
	               "<div class=\"card-main\"><div class=\"temp\"><span class=\"temp-value%s\">",
	               strcmp(r->band, "unknown") ? "" : " temp-unknown");
	mct_html_num(b, r->temperature);
	mct_buf_puts(b, "<span class=\"deg\">&deg;</span></span>");
	mct_html_band(b, r->band);
	mct_buf_puts(b, "</div>");
	change_line(b, c);
	mct_svg_dimension_bars(b, r->dimension);
	mct_buf_puts(b, "<div class=\"spark\">");
	mct_svg_sparkline(b, c->readings, c->n);
	mct_buf_printf(b, "<span>%zu reading%s</span></div></div></div>\n", c->n,
	               c->n == 1 ? "" : "s");
	mct_buf_puts(b, "<div class=\"confidence\">");
	mct_html_confidence(b, r);
	mct_buf_printf(b, "<a href=\"%s\">Country report &rarr;</a></div>\n</article>\n", file);
}

static void table(mct_buf *b, const mct_rp_model *m)
{
	mct_buf_puts(b, "<section class=\"block\"><h2>All latest readings</h2>\n"
	                "<p class=\"lead\">Alphabetical by country. Temperatures and dimensions "
	                "are 0&ndash;100.</p>\n<div "
	                "class=\"table-wrap\"><table>\n<thead><tr><th>Country</th><th>Date</th>"
	                "<th class=\"num\">Temp.</th><th>Band</th>");
	mct_html_dimension_headers(b);
	mct_buf_puts(b, "<th class=\"num\">Sources read</th><th class=\"num\">Evidence</th>"
	                "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < m->n; i++) {
		const mct_rp_country *c = &m->countries[i];
		const mct_store_reading *r = mct_rp_latest(c);
		char file[16];
		mct_html_country_file(file, c->cc);
		mct_buf_printf(b, "<tr><td><a href=\"%s\">", file);
		mct_html_escape(b, c->name);
		mct_buf_puts(b, "</a></td><td class=\"date\">");
		mct_html_escape(b, r->date);
		mct_buf_puts(b, "</td><td class=\"num\">");
		mct_html_num(b, r->temperature);
		mct_buf_puts(b, "</td><td>");
		mct_html_band(b, r->band);
		if (r->low_confidence && strcmp(r->band, "unknown") != 0)
			mct_buf_puts(b, " <span class=\"flag flag-low\">low confidence</span>");
		mct_buf_puts(b, "</td>");
		mct_html_dimension_cells(b, r);
		mct_buf_printf(b,
		               "<td class=\"num\">%d / %d</td><td class=\"num\">%d "
		               "<span class=\"muted\">(%d confirmed)</span></td></tr>\n",
		               r->sources_ok, r->sources_total, r->evidence_count,
		               r->evidence_confirmed);
	}
	mct_buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
}

static void how_to_read(mct_buf *b)
{
	mct_buf_puts(
	    b, "<section class=\"block method\"><h2>How to read this dashboard</h2>\n"
	       "<p>Each country's <strong>temperature</strong> (0&ndash;100&deg;) combines four "
	       "dimensions: Policy &amp; Recognition, Ecosystem &amp; Adoption, Infra &amp; "
	       "Standards, and Usage &amp; Market. Each dimension is measured by indicators, and "
	       "each indicator by <strong>evidence</strong>: sentences found in public documents "
	       "(laws, ministry plans, quality-assurance guidance, national platforms), each kept "
	       "with its source and the date it was read.</p>\n"
	       "<p>Evidence is <strong>pending</strong> until a reviewer confirms or rejects it; "
	       "pending evidence counts for less, rejected evidence not at all. Negative evidence "
	       "(&ldquo;there is no national register&rdquo;) marks a <strong>gap</strong>. A "
	       "reading that stands on few sources is marked as low confidence, and one with "
	       "too few to tell is <em>unknown</em> rather than frozen.</p>\n"
	       "<p>The country pages show the evidence behind every number, the gaps, the history "
	       "and which sources could not be read.</p>\n</section>\n");
}

void mct_rp_index(mct_buf *b, const mct_rp_model *m)
{
	mct_html_begin(b, "Micro-credentials thermometer");
	masthead(b, m);
	mct_buf_puts(b, "<main class=\"wrap\">\n");
	mct_html_disclaimer(b);
	if (!m->n) {
		mct_buf_puts(b, "<section class=\"block\"><h2>No readings yet</h2>\n<p>The "
		                "database holds no readings. Run <code>mcthermo run</code> (or "
		                "<code>mcthermo score</code> after a crawl) and write the report "
		                "again.</p>\n</section>\n");
	} else {
		legend(b);
		mct_buf_puts(b, "<div class=\"cards\">\n");
		for (size_t i = 0; i < m->n; i++)
			card(b, &m->countries[i]);
		mct_buf_puts(b, "</div>\n");
		table(b, m);
	}
	how_to_read(b);
	mct_buf_puts(b, "</main>\n");
	mct_html_end(b, m);
}
