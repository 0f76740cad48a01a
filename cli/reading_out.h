/*
 * cli/reading_out.h - how a reading is shown: one JSON object, one CSV row,
 * one table row, the confidence sentence and the change arrow, shared by
 * `score`, `readings`, `history`, `explain` and `diff` so that a reading
 * looks the same wherever it appears; and the date argument those commands
 * take.  Internal to the command line.
 *
 * The JSON object is a contract other tools read: country, date,
 * temperature, band, dimensions {policy, ecosystem, infra, usage},
 * evidence_count, sources_ok, sources_total, method_version, and more keys
 * after those.  Extend it, never rename.
 */
#ifndef MCT_READING_OUT_H
#define MCT_READING_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "../store/store.h"

/* A number for JSON or CSV: at most two decimals, no trailing zeros, never
 * "-0". */
void mct_out_num(FILE *out, double x);
/* x rounded to one decimal, for tables ("%.1f" of it never shows -0.0). */
double mct_out_round1(double x);

/* The members of a reading's JSON object, without the braces, so that a
 * command can add its own; prev (may be NULL) gives "previous" and "delta". */
void mct_out_reading_json(FILE *out, const mct_store_reading *r, const mct_store_reading *prev);
void mct_out_reading_csv_header(FILE *out);
void mct_out_reading_csv(FILE *out, const mct_store_reading *r, const mct_store_reading *prev);

/* Table of readings: with_country adds the country code in front. */
void mct_out_table_header(FILE *out, int with_country);
void mct_out_table_row(FILE *out, const mct_store_reading *r, const mct_store_reading *prev,
                       int with_country);

/* "12/15 sources, 34 evidence (5 confirmed)", plus ", low confidence". */
void mct_out_confidence(char *buf, size_t n, const mct_store_reading *r);
/* "↑ +3.2", "↓ -1.0", "→ 0.0" against prev, or "new" without one. */
void mct_out_change(char *buf, size_t n, const mct_store_reading *r, const mct_store_reading *prev);

/* A YYYY-MM-DD argument of command cmd, checked, into out; today (UTC)
 * when arg is NULL.  Returns 0, or prints a usage error and returns its
 * exit code. */
int mct_out_date_arg(const char *cmd, const char *arg, char out[11]);

/* A country argument of command cmd: 0 when cc is a country's code (EU
 * level has no readings), else a usage error printed and its exit code. */
int mct_out_country_arg(const char *cmd, const char *cc);

/* "Spain (ES)". */
void mct_out_country(char *buf, size_t n, const char *cc);

#endif
