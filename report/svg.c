/*
 * report/svg.c - the dashboard's pictures as inline SVG: the thermometer,
 * dimension bars, score bars, the sparkline and the history chart.
 *
 * Inline SVG rather than images or a charting script: it needs no file
 * beside the page, no JavaScript, prints sharply, scales with the page, and
 * can carry a <title> that says in words what the picture shows.  Every
 * number drawn is also written as text somewhere on the page; the pictures
 * are for reading at a glance, not the only record.
 *
 * Time runs to scale on the history chart (readings a month apart are
 * twice as far apart as readings a fortnight apart) and the vertical axis is
 * always 0-100 with the bands shaded, so two countries' charts can be
 * compared by eye.  The sparkline uses the same time scale in miniature.
 *
 * Left out: interactivity (tooltips beyond the native <title>), and
 * smoothing; lines join the readings straight, as the data are.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static double clamp100(double v)
{
	if (!isfinite(v) || v < 0)
		return 0;
	return v > 100 ? 100 : v;
}

/* Day numbers of the readings, for a time axis; a reading whose date does
 * not parse sits one day after the previous one. */
static long *reading_days(const mct_store_reading *r, size_t n)
{
	long *days = mct_xcalloc(n ? n : 1, sizeof *days);
	for (size_t i = 0; i < n; i++)
		if (mct_parse_date(r[i].date, &days[i]) != 0)
			days[i] = i ? days[i - 1] + 1 : 0;
	return days;
}

/* x of day on [x0, x1]; a single reading (or one date) sits in the middle. */
static double time_x(long day, long d0, long d1, double x0, double x1)
{
	if (d1 <= d0)
		return (x0 + x1) / 2;
	return x0 + (double)(day - d0) / (double)(d1 - d0) * (x1 - x0);
}

/* ---- thermometer --------------------------------------------------------------- */

void mct_svg_thermometer(mct_buf *b, double t, const char *band, int low_confidence, int large)
{
	const char *colour = mct_html_band_colour(band);
	double v = clamp100(t);
	/* Scale: 0 at y=114, 100 at y=14, inside a tube from y=6 to the bulb. */
	double top = 114 - v;
	int w = large ? 62 : 44, px_w = large ? 86 : 44, px_h = large ? 208 : 150;
	mct_buf_printf(b,
	               "<svg class=\"thermometer\" xmlns=\"http://www.w3.org/2000/svg\" "
	               "viewBox=\"0 0 %d 150\" width=\"%d\" height=\"%d\" role=\"img\">"
	               "<title>Temperature ",
	               w, px_w, px_h);
	mct_html_num(b, t);
	mct_buf_puts(b, " degrees, ");
	mct_html_escape(b, band);
	if (low_confidence)
		mct_buf_puts(b, " (low confidence)");
	mct_buf_puts(b, "</title>");
	const char *dash = low_confidence ? " stroke-dasharray=\"3 2\"" : "";
	mct_buf_printf(
	    b,
	    "<rect x=\"14\" y=\"4\" width=\"16\" height=\"116\" rx=\"8\" fill=\"#eef1f5\" "
	    "stroke=\"#aeb7c2\" stroke-width=\"1.5\"%s/>"
	    "<circle cx=\"22\" cy=\"129\" r=\"15\" fill=\"#eef1f5\" stroke=\"#aeb7c2\" "
	    "stroke-width=\"1.5\"%s/>"
	    "<rect x=\"14.8\" y=\"110\" width=\"14.4\" height=\"12\" fill=\"#eef1f5\"/>",
	    dash, dash);
	const char *opacity = low_confidence ? " fill-opacity=\"0.5\"" : "";
	mct_buf_printf(b,
	               "<rect class=\"mercury\" x=\"18\" y=\"%.1f\" width=\"8\" height=\"%.1f\" "
	               "rx=\"4\" fill=\"%s\"%s/>"
	               "<circle cx=\"22\" cy=\"129\" r=\"11\" fill=\"%s\"%s/>",
	               top, 129 - top, colour, opacity, colour, opacity);
	for (int k = 0; k <= 100; k += 20) {
		double y = 114 - k;
		mct_buf_printf(
		    b,
		    "<line x1=\"32\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#8a939f\" "
		    "stroke-width=\"1\"/>",
		    k % 20 == 0 && k && k < 100 ? 38 : 36, y, y);
		if (large)
			mct_buf_printf(b,
			               "<text x=\"41\" y=\"%.1f\" font-size=\"9\" fill=\"#5a6372\">"
			               "%d</text>",
			               y + 3, k);
	}
	mct_buf_puts(b, "</svg>");
}

/* ---- bars ---------------------------------------------------------------------------- */

void mct_svg_dimension_bars(mct_buf *b, const double dim[4])
{
	mct_buf_puts(b, "<svg class=\"dimension-bars\" xmlns=\"http://www.w3.org/2000/svg\" "
	                "viewBox=\"0 0 300 88\" width=\"300\" height=\"88\" role=\"img\">"
	                "<title>Dimensions: ");
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		mct_buf_puts(b, d ? ", " : "");
		mct_html_escape(b, mct_dimension_names[d]);
		mct_buf_putc(b, ' ');
		mct_html_num(b, dim[d]);
	}
	mct_buf_puts(b, "</title>");
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		double y = d * 22;
		double v = clamp100(dim[d]);
		mct_buf_printf(b, "<text x=\"0\" y=\"%.0f\" font-size=\"12\" fill=\"#5a6372\">",
		               y + 14);
		mct_html_dimension_short(b, d);
		mct_buf_printf(
		    b,
		    "</text><rect x=\"76\" y=\"%.0f\" width=\"180\" height=\"10\" rx=\"5\" "
		    "fill=\"#e8ebef\"/>",
		    y + 5);
		if (v > 0)
			mct_buf_printf(
			    b,
			    "<rect x=\"76\" y=\"%.0f\" width=\"%.1f\" height=\"10\" rx=\"5\" "
			    "fill=\"%s\"/>",
			    y + 5, fmax(v * 1.8, 4), mct_html_dimension_colour(d));
		mct_buf_printf(b,
		               "<text x=\"300\" y=\"%.0f\" font-size=\"12\" font-weight=\"600\" "
		               "text-anchor=\"end\" fill=\"#1c2430\">",
		               y + 14);
		mct_html_num(b, dim[d]);
		mct_buf_puts(b, "</text>");
	}
	mct_buf_puts(b, "</svg>");
}

void mct_svg_score_bar(mct_buf *b, double score, const char *colour)
{
	double v = clamp100(score);
	mct_buf_puts(
	    b, "<svg class=\"score-bar\" xmlns=\"http://www.w3.org/2000/svg\" "
	       "viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
	       "<rect x=\"0\" y=\"0\" width=\"100\" height=\"10\" rx=\"3\" fill=\"#e8ebef\"/>");
	if (v > 0)
		mct_buf_printf(b,
		               "<rect x=\"0\" y=\"0\" width=\"%.1f\" height=\"10\" rx=\"3\" "
		               "fill=\"%s\"/>",
		               fmax(v, 1.5), colour);
	mct_buf_puts(b, "</svg>");
}

/* ---- sparkline ------------------------------------------------------------------------- */

void mct_svg_sparkline(mct_buf *b, const mct_store_reading *r, size_t n)
{
	mct_buf_puts(b, "<svg class=\"sparkline\" xmlns=\"http://www.w3.org/2000/svg\" "
	                "viewBox=\"0 0 120 30\" width=\"120\" height=\"30\" role=\"img\">"
	                "<title>Temperature history: ");
	for (size_t i = 0; i < n; i++) {
		mct_buf_puts(b, i ? ", " : "");
		mct_html_escape(b, r[i].date);
		mct_buf_putc(b, ' ');
		mct_html_num(b, r[i].temperature);
	}
	mct_buf_puts(b,
	             "</title><line x1=\"4\" x2=\"116\" y1=\"27\" y2=\"27\" stroke=\"#dde2e8\"/>");
	if (n == 0) {
		mct_buf_puts(b, "</svg>");
		return;
	}
	long *days = reading_days(r, n);
	double x = 0, y = 0;
	if (n > 1)
		mct_buf_puts(b, "<polyline fill=\"none\" stroke=\"#1d3557\" stroke-width=\"1.6\" "
		                "stroke-linejoin=\"round\" points=\"");
	for (size_t i = 0; i < n; i++) {
		x = time_x(days[i], days[0], days[n - 1], 5, 115);
		y = 27 - clamp100(r[i].temperature) * 0.24;
		if (n > 1)
			mct_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	if (n > 1)
		mct_buf_puts(b, "\"/>");
	mct_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/></svg>", x, y,
	               mct_html_band_colour(r[n - 1].band));
	free(days);
}

/* ---- history chart ------------------------------------------------------------------------ */

enum { CH_W = 960, CH_L = 46, CH_R = 930, CH_T = 14, CH_B = 268 };

static double chart_y(double v)
{
	return CH_B - clamp100(v) / 100.0 * (CH_B - CH_T);
}

static void chart_frame(mct_buf *b)
{
	static const char *const band_names[] = {"frozen", "cold", "warm", "hot", "boiling"};
	for (int k = 0; k < 5; k++) {
		double y1 = chart_y((k + 1) * 20), y0 = chart_y(k * 20);
		mct_buf_printf(b,
		               "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" "
		               "fill-opacity=\"0.07\"/>"
		               "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#8a919b\" "
		               "text-anchor=\"end\">%s</text>",
		               CH_L, y1, CH_R - CH_L, y0 - y1, mct_html_band_colour(band_names[k]),
		               CH_R - 4, y1 + 12, band_names[k]);
	}
	for (int v = 0; v <= 100; v += 20)
		mct_buf_printf(b,
		               "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
		               "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#5a6372\" "
		               "text-anchor=\"end\">%d</text>",
		               CH_L, CH_R, chart_y(v), chart_y(v), v ? "#dde2e8" : "#8a939f",
		               CH_L - 8, chart_y(v) + 4, v);
}

/* Date labels under the axis, left to right, skipping any that would
 * touch the one before; the newest date always shows. */
static void chart_dates(mct_buf *b, const mct_store_reading *r, const double *xs, size_t n)
{
	const double gap = 78;
	size_t *shown = mct_xcalloc(n, sizeof *shown);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && xs[i] - xs[shown[k - 1]] < gap) {
			if (i != n - 1)
				continue;
			k--; /* the newest date replaces the label it would touch */
		}
		shown[k++] = i;
	}
	for (size_t j = 0; j < k; j++) {
		size_t i = shown[j];
		mct_buf_printf(
		    b,
		    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#8a939f\"/>"
		    "<text class=\"date\" x=\"%.1f\" y=\"%d\" font-size=\"11\" "
		    "fill=\"#5a6372\" text-anchor=\"middle\">",
		    xs[i], xs[i], CH_B, CH_B + 5, xs[i], CH_B + 19);
		mct_html_escape(b, r[i].date);
		mct_buf_puts(b, "</text>");
	}
	free(shown);
}

/* One series: a line through the readings and a dot on each, with the
 * value in the dot's title.  d = -1 is the temperature. */
static void chart_series(mct_buf *b, const mct_store_reading *r, const double *xs, size_t n, int d)
{
	const char *colour = d < 0 ? "#1c2430" : mct_html_dimension_colour(d);
	const char *name = d < 0 ? "temperature" : mct_dimension_ids[d];
	mct_buf_printf(b, "<g class=\"series series-%s\">", name);
	if (n > 1) {
		mct_buf_printf(b,
		               "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" "
		               "stroke-linejoin=\"round\"%s points=\"",
		               colour, d < 0 ? "3" : "2", d < 0 ? "" : " stroke-dasharray=\"6 4\"");
		for (size_t i = 0; i < n; i++)
			mct_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", xs[i],
			               chart_y(d < 0 ? r[i].temperature : r[i].dimension[d]));
		mct_buf_puts(b, "\"/>");
	}
	for (size_t i = 0; i < n; i++) {
		double v = d < 0 ? r[i].temperature : r[i].dimension[d];
		mct_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"><title>",
		               xs[i], chart_y(v), d < 0 ? "4" : "3", colour);
		mct_html_escape(b, r[i].date);
		mct_buf_printf(b, ": %s ", d < 0 ? "temperature" : mct_dimension_names[d]);
		mct_html_num(b, v);
		mct_buf_puts(b, "</title></circle>");
	}
	mct_buf_puts(b, "</g>");
}

void mct_svg_history(mct_buf *b, const mct_store_reading *r, size_t n)
{
	mct_buf_printf(b,
	               "<svg class=\"history-chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	               "viewBox=\"0 0 %d 296\" width=\"%d\" height=\"296\" role=\"img\">"
	               "<title>Temperature and the four dimensions over time, 0 to 100, ",
	               CH_W, CH_W);
	mct_buf_printf(b, "%zu reading%s</title>", n, n == 1 ? "" : "s");
	chart_frame(b);
	if (n) {
		long *days = reading_days(r, n);
		double *xs = mct_xcalloc(n, sizeof *xs);
		for (size_t i = 0; i < n; i++)
			xs[i] = time_x(days[i], days[0], days[n - 1], CH_L + 30, CH_R - 60);
		chart_dates(b, r, xs, n);
		for (int d = MCT_DIMENSIONS - 1; d >= -1; d--)
			chart_series(b, r, xs, n, d);
		free(xs);
		free(days);
	}
	mct_buf_puts(b, "</svg>");
}
