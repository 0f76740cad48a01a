/*
 * report/report_internal.h - shared between the report's own modules only.
 *
 * The report is built in two steps: load a model of what the store holds
 * (model.c), then render pages and data files from it into memory buffers
 * (index.c, country.c, data.c, with html.c and svg.c as the building
 * blocks), each written atomically by report.c.
 */
#ifndef MCT_REPORT_INTERNAL_H
#define MCT_REPORT_INTERNAL_H

#include "../config/config.h"
#include "../rules/rules.h"
#include "../score/score.h"
#include "report.h"

/* ---- the model (model.c) ------------------------------------------------ */

/* One country and its readings, oldest first (the last one is the latest). */
typedef struct {
	char cc[3];
	const char *name; /* English name (static) */
	mct_store_reading *readings;
	size_t n;
} mct_rp_country;

typedef struct {
	mct_rp_country *countries; /* alphabetical by name: not a ranking */
	size_t n;
	size_t nreadings;
	char latest[11];    /* newest reading date, "" when none */
	char generated[21]; /* when the report was written (UTC) */
	char method[32];    /* method version of the newest reading */
} mct_rp_model;

mct_status mct_rp_model_load(mct_store *st, mct_rp_model *m, mct_err *err);
void mct_rp_model_free(mct_rp_model *m);
/* The latest reading of a country (n > 0 always holds in a model). */
const mct_store_reading *mct_rp_latest(const mct_rp_country *c);
/* The reading before the latest, or NULL. */
const mct_store_reading *mct_rp_previous(const mct_rp_country *c);

/* A configured source as the store knows it, for the coverage section. */
typedef struct {
	char *id, *kind, *url, *last_fetch, *last_status, *last_error;
	int enabled;
} mct_rp_source;

mct_status mct_rp_sources_load(mct_store *st, const char *cc, mct_rp_source **out, size_t *n,
                               mct_err *err);
void mct_rp_sources_free(mct_rp_source *s, size_t n);

/* What the reading's explanation does not carry about a piece of evidence:
 * the text the rule matched, when its capture was fetched, and its review
 * status now (it may have been reviewed since the reading was made). */
typedef struct {
	int64_t id;
	char *match;
	char *fetched_at;
	char status[16];
} mct_rp_evidence;

mct_status mct_rp_evidence_load(mct_store *st, const char *cc, mct_rp_evidence **out, size_t *n,
                                mct_err *err);
void mct_rp_evidence_free(mct_rp_evidence *e, size_t n);
/* By id in a list from mct_rp_evidence_load (sorted by id), or NULL. */
const mct_rp_evidence *mct_rp_evidence_find(const mct_rp_evidence *e, size_t n, int64_t id);

/* ---- HTML building blocks (html.c, style.c) -------------------------- */

extern const char mct_report_css[];

/* <!doctype html> ... <body>: the page skeleton with the CSS inlined. */
void mct_html_begin(mct_buf *b, const char *title);
/* The footer (generated when, method, data files, disclaimer) and </html>. */
void mct_html_end(mct_buf *b, const mct_rp_model *m);
/* The disclaimer every page carries, as a paragraph. */
void mct_html_disclaimer(mct_buf *b);
/* A number with one decimal ("62.4"), never "-0.0". */
void mct_html_num(mct_buf *b, double x);
/* A UTC time stamp "2026-01-10T02:00:00Z" as "2026-01-10 02:00 UTC";
 * anything else escaped as it is, NULL as "never". */
void mct_html_time(mct_buf *b, const char *iso);
/* A signed change ("+4.2", "-1.0", "0.0"). */
void mct_html_delta(mct_buf *b, double x);
/* "+4.2° since 2026-01-10", or "no change since 2026-01-10"; unit is
 * HTML put after the number ("&deg;" or ""). */
void mct_html_change(mct_buf *b, double delta, const char *since, const char *unit);
/* The first word of dimension d's name ("Policy"), escaped. */
void mct_html_dimension_short(mct_buf *b, int d);
/* <td> cells with a reading's four dimension scores. */
void mct_html_dimension_cells(mct_buf *b, const mct_store_reading *r);
/* <th> cells for the four dimensions, short names with the full one as a
 * title. */
void mct_html_dimension_headers(mct_buf *b);
/* <span class="band band-warm">warm</span> */
void mct_html_band(mct_buf *b, const char *band);
/* The colour of a band (CSS hex), grey for unknown ones. */
const char *mct_html_band_colour(const char *band);
/* What a band means, from DOMAIN.md. */
const char *mct_html_band_meaning(const char *band);
/* The colour that stands for dimension d in bars and charts. */
const char *mct_html_dimension_colour(int d);
/* A confidence line: sources read, evidence confirmed and pending, and a
 * clear low-confidence mark. */
void mct_html_confidence(mct_buf *b, const mct_store_reading *r);
/* The file name of a country's page ("ES.html"); cc must be two letters. */
void mct_html_country_file(char out[16], const char *cc);

/* ---- SVG (svg.c) --------------------------------------------------------- */

/* A thermometer filled to t (0-100) in the band's colour; large adds a
 * scale.  class="thermometer". */
void mct_svg_thermometer(mct_buf *b, double t, const char *band, int low_confidence, int large);
/* The four dimensions as labelled horizontal bars.  class="dimension-bars". */
void mct_svg_dimension_bars(mct_buf *b, const double dim[4]);
/* One bar for a score 0-100 (an indicator in the deep-dive). */
void mct_svg_score_bar(mct_buf *b, double score, const char *colour);
/* The temperature of every reading, oldest first.  class="sparkline". */
void mct_svg_sparkline(mct_buf *b, const mct_store_reading *r, size_t n);
/* Temperature and the four dimensions over time, dates on the axis.
 * class="history-chart". */
void mct_svg_history(mct_buf *b, const mct_store_reading *r, size_t n);

/* ---- pages and data --------------------------------------------------------- */

void mct_rp_index(mct_buf *b, const mct_rp_model *m);
mct_status mct_rp_country_page(mct_buf *b, mct_store *st, const mct_rp_model *m,
                               const mct_rp_country *c, mct_err *err);

/* Every active evidence item with its provenance and review status, the
 * columns of `mcthermo evidence --csv`; *rows receives the count. */
mct_status mct_rp_evidence_csv(mct_buf *b, mct_store *st, size_t *rows, mct_err *err);

#endif
