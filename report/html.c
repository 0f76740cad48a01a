/*
 * report/html.c - HTML escaping, safe links, and the page skeleton every
 * report page shares.
 *
 * One escaping function serves text and attribute values: pages only ever
 * put values in double-quoted attributes, and escaping & < > " ' is right
 * for both, so there is no second function to pick wrongly.  Crawled text is
 * also cleaned on the way: control characters become spaces and invalid
 * UTF-8 becomes U+FFFD, so a snippet cannot carry bytes the browser would
 * reinterpret.  URLs become links only for http, https and file (the
 * schemes sources may have); a javascript: or data: URL in a stranger's page
 * is shown as text.  Nothing here tries to sanitise HTML into HTML: no markup
 * from a crawled page is ever kept.
 *
 * Left out: bidirectional-override characters are passed through; they can
 * reorder how a snippet reads but cannot make it active.
 */
#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "report_internal.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when the
 * bytes there are not one; *cp receives the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, min = 0x80, c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, min = 0x800, c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

void mct_html_escape_n(mct_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = utf8_seq(p + i, n - i, &cp);
		if (len == 0) {
			mct_buf_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
			i++;
			continue;
		}
		switch (cp) {
		case '&':
			mct_buf_puts(b, "&amp;");
			break;
		case '<':
			mct_buf_puts(b, "&lt;");
			break;
		case '>':
			mct_buf_puts(b, "&gt;");
			break;
		case '"':
			mct_buf_puts(b, "&quot;");
			break;
		case '\'':
			mct_buf_puts(b, "&#39;");
			break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
				mct_buf_putc(b, ' ');
			else
				mct_buf_append(b, p + i, len);
		}
		i += len;
	}
}

void mct_html_escape(mct_buf *b, const char *s)
{
	if (s)
		mct_html_escape_n(b, s, strlen(s));
}

int mct_html_url_ok(const char *url)
{
	static const char *const schemes[] = {"http://", "https://", "file://"};
	if (!url)
		return 0;
	size_t skip = 0;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0)
			skip = strlen(schemes[i]);
	if (!skip || !url[skip])
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

void mct_html_link(mct_buf *b, const char *url, const char *text)
{
	if (!text)
		text = url;
	if (!mct_html_url_ok(url)) {
		mct_buf_puts(b, "<span class=\"url-text\">");
		mct_html_escape(b, text);
		mct_buf_puts(b, "</span>");
		return;
	}
	mct_buf_puts(b, "<a href=\"");
	for (const char *p = url; *p; p++) {
		const char *space = strchr(p, ' ');
		size_t run = space ? (size_t)(space - p) : strlen(p);
		mct_html_escape_n(b, p, run);
		p += run;
		if (!*p)
			break;
		mct_buf_puts(b, "%20");
	}
	mct_buf_puts(b, "\" rel=\"noopener noreferrer nofollow\">");
	mct_html_escape(b, text);
	mct_buf_puts(b, "</a>");
}

/* ---- numbers, bands, confidence -------------------------------------------- */

void mct_html_num(mct_buf *b, double x)
{
	if (!isfinite(x))
		x = 0;
	if (fabs(x) < 0.05)
		x = 0; /* never print "-0.0" */
	mct_buf_printf(b, "%.1f", x);
}

void mct_html_delta(mct_buf *b, double x)
{
	if (x >= 0.05)
		mct_buf_putc(b, '+');
	else if (x <= -0.05)
		mct_buf_puts(b, "\xe2\x88\x92"); /* U+2212 minus sign */
	mct_html_num(b, fabs(x));
}

void mct_html_time(mct_buf *b, const char *iso)
{
	if (!iso) {
		mct_buf_puts(b, "never");
		return;
	}
	/* Only a stamp of the expected shape is rearranged. */
	if (strlen(iso) == 20 && iso[10] == 'T' && iso[19] == 'Z') {
		mct_html_escape_n(b, iso, 10);
		mct_buf_putc(b, ' ');
		mct_html_escape_n(b, iso + 11, 5);
		mct_buf_puts(b, " UTC");
		return;
	}
	mct_html_escape(b, iso);
}

void mct_html_change(mct_buf *b, double delta, const char *since, const char *unit)
{
	if (fabs(delta) < 0.05) {
		mct_buf_puts(b, "no change");
	} else {
		mct_html_delta(b, delta);
		mct_buf_puts(b, unit);
	}
	mct_buf_puts(b, " since ");
	mct_html_escape(b, since);
}

void mct_html_dimension_short(mct_buf *b, int d)
{
	const char *name = mct_dimension_names[d];
	const char *sp = strchr(name, ' ');
	mct_html_escape_n(b, name, sp ? (size_t)(sp - name) : strlen(name));
}

void mct_html_dimension_cells(mct_buf *b, const mct_store_reading *r)
{
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		mct_buf_puts(b, "<td class=\"num\">");
		mct_html_num(b, r->dimension[d]);
		mct_buf_puts(b, "</td>");
	}
}

void mct_html_dimension_headers(mct_buf *b)
{
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		mct_buf_puts(b, "<th class=\"num\" title=\"");
		mct_html_escape(b, mct_dimension_names[d]);
		mct_buf_puts(b, "\">");
		mct_html_dimension_short(b, d);
		mct_buf_puts(b, "</th>");
	}
}

static const struct band_info {
	const char *name, *colour, *meaning;
} bands[] = {
    {"frozen", "#3f6fb5", "no visible national activity"},
    {"cold", "#4f9fc4", "talk, studies, isolated pilots"},
    {"warm", "#d99a1e", "structured pilots, first funding and guidance"},
    {"hot", "#dd6527", "transitioning to scale: law or plan, money, quality assurance, platforms"},
    {"boiling", "#c0302b", "embedded in the system: recognised, stacked, widely used"},
    {"unknown", "#8a919b", "too little was read to tell: not enough sources"},
};

static const struct band_info *band_find(const char *band)
{
	for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++)
		if (band && strcmp(bands[i].name, band) == 0)
			return &bands[i];
	return &bands[sizeof bands / sizeof bands[0] - 1];
}

const char *mct_html_band_colour(const char *band)
{
	return band_find(band)->colour;
}

const char *mct_html_band_meaning(const char *band)
{
	return band_find(band)->meaning;
}

void mct_html_band(mct_buf *b, const char *band)
{
	/* The class comes from the table, never from the stored string. */
	mct_buf_printf(b, "<span class=\"band band-%s\">", band_find(band)->name);
	mct_html_escape(b, band);
	mct_buf_puts(b, "</span>");
}

const char *mct_html_dimension_colour(int d)
{
	static const char *const colours[MCT_DIMENSIONS] = {"#2b5f9e", "#2e8555", "#7a4fb0",
	                                                    "#b5651d"};
	return d >= 0 && d < MCT_DIMENSIONS ? colours[d] : "#666";
}

void mct_html_confidence(mct_buf *b, const mct_store_reading *r)
{
	if (r->sources_total)
		mct_buf_printf(b,
		               "<span class=\"conf-item\"><strong>%d</strong> of %d source%s "
		               "read</span>",
		               r->sources_ok, r->sources_total, r->sources_total == 1 ? "" : "s");
	else
		mct_buf_puts(b, "<span class=\"conf-item\">No source of its own: only what "
		                "EU-level sources say</span>");
	mct_buf_printf(b,
	               "<span class=\"conf-item\"><strong>%d</strong> evidence item%s: %d "
	               "confirmed, %d pending</span>",
	               r->evidence_count, r->evidence_count == 1 ? "" : "s", r->evidence_confirmed,
	               r->evidence_pending);
	if (r->evidence_negative)
		mct_buf_printf(b, "<span class=\"conf-item\"><strong>%d</strong> gap%s</span>",
		               r->evidence_negative, r->evidence_negative == 1 ? "" : "s");
	if (strcmp(r->band, "unknown") == 0)
		mct_buf_puts(b,
		             "<span class=\"flag flag-unknown\">Unknown: too few sources read to "
		             "give a temperature</span>");
	else if (r->low_confidence)
		mct_buf_puts(b, "<span class=\"flag flag-low\">Low confidence: few sources read; "
		                "treat the temperature with care</span>");
}

void mct_html_country_file(char out[16], const char *cc)
{
	snprintf(out, 16, "%c%c.html", toupper((unsigned char)cc[0]),
	         toupper((unsigned char)cc[1]));
}

/* ---- page skeleton -------------------------------------------------------------- */

void mct_html_begin(mct_buf *b, const char *title)
{
	mct_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                "<meta name=\"generator\" content=\"mcthermo " MCT_VERSION "\">\n<title>");
	mct_html_escape(b, title);
	mct_buf_puts(b, "</title>\n<style>\n");
	mct_buf_puts(b, mct_report_css);
	mct_buf_puts(b, "</style>\n</head>\n<body>\n");
}

void mct_html_disclaimer(mct_buf *b)
{
	mct_buf_puts(b, "<p class=\"disclaimer\"><strong>A starting point for discussion, not a "
	                "ranking.</strong> These readings are computed from public documents by "
	                "rules that can miss or misread a sentence. They are meant for discussion "
	                "and validation with national stakeholders; every figure can be traced to "
	                "the sentences it came from, and each piece of evidence can be confirmed "
	                "or rejected by a reviewer.</p>\n");
}

void mct_html_end(mct_buf *b, const mct_rp_model *m)
{
	mct_buf_printf(b,
	               "<footer class=\"page-foot wrap\">\n<p>Generated by mcthermo " MCT_VERSION
	               " on %s UTC",
	               m->generated);
	if (m->method[0]) {
		mct_buf_puts(b, " &middot; method ");
		mct_html_escape(b, m->method);
	}
	mct_buf_puts(b, " &middot; data: <a href=\"readings.csv\">readings.csv</a>, "
	                "<a href=\"readings.json\">readings.json</a>, "
	                "<a href=\"history.csv\">history.csv</a>, "
	                "<a href=\"evidence.csv\">evidence.csv</a></p>\n"
	                "<p>A starting point for discussion and validation with national "
	                "stakeholders, not a ranking.</p>\n</footer>\n</body>\n</html>\n");
}
