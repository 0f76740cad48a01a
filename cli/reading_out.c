/*
 * cli/reading_out.c - how a reading is shown (see reading_out.h).
 *
 * Tables show one decimal, JSON and CSV at most two: enough to compare
 * readings without suggesting a precision the method does not have.  The
 * full-precision numbers stay in the store.  The change arrow follows the
 * delta as shown, so "→ 0.0" never hides a visible move and "↑ +0.0" never
 * appears.
 */
#include "reading_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../config/config.h"
#include "../rules/rules.h"
#include "cli.h"

double mct_out_round1(double x)
{
	double r = round(x * 10) / 10;
	return r == 0 ? 0 : r; /* no -0.0 */
}

void mct_out_num(FILE *out, double x)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.2f", x);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = 0;
		if (end == dot + 1)
			*dot = 0;
	}
	fputs(strcmp(buf, "-0") ? buf : "0", out);
}

static double delta(const mct_store_reading *r, const mct_store_reading *prev)
{
	return r->temperature - prev->temperature;
}

void mct_out_reading_json(FILE *out, const mct_store_reading *r, const mct_store_reading *prev)
{
	fputs("\"country\": ", out);
	mct_json_str(out, r->country);
	fputs(", \"name\": ", out);
	mct_json_str(out, mct_country_name(r->country));
	fputs(", \"date\": ", out);
	mct_json_str(out, r->date);
	fputs(", \"temperature\": ", out);
	mct_out_num(out, r->temperature);
	fputs(", \"band\": ", out);
	mct_json_str(out, r->band);
	fputs(", \"dimensions\": {", out);
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		fprintf(out, "%s\"%s\": ", d ? ", " : "", mct_dimension_ids[d]);
		mct_out_num(out, r->dimension[d]);
	}
	fprintf(out,
	        "}, \"evidence_count\": %d, \"sources_ok\": %d, \"sources_total\": %d, "
	        "\"method_version\": ",
	        r->evidence_count, r->sources_ok, r->sources_total);
	mct_json_str(out, r->method_version);
	fprintf(
	    out,
	    ", \"evidence_confirmed\": %d, \"evidence_pending\": %d, \"evidence_negative\": %d, "
	    "\"low_confidence\": %s, \"previous\": ",
	    r->evidence_confirmed, r->evidence_pending, r->evidence_negative,
	    r->low_confidence ? "true" : "false");
	if (!prev) {
		fputs("null, \"delta\": null", out);
		return;
	}
	fputs("{\"date\": ", out);
	mct_json_str(out, prev->date);
	fputs(", \"temperature\": ", out);
	mct_out_num(out, prev->temperature);
	fputs(", \"band\": ", out);
	mct_json_str(out, prev->band);
	fputs("}, \"delta\": ", out);
	mct_out_num(out, delta(r, prev));
}

void mct_out_reading_csv_header(FILE *out)
{
	fputs("country,date,temperature,band,policy,ecosystem,infra,usage,evidence_count,"
	      "evidence_confirmed,evidence_pending,evidence_negative,sources_ok,sources_total,"
	      "low_confidence,method_version,previous_date,previous_temperature,delta\r\n",
	      out);
}

void mct_out_reading_csv(FILE *out, const mct_store_reading *r, const mct_store_reading *prev)
{
	fprintf(out, "%s,%s,", r->country, r->date);
	mct_out_num(out, r->temperature);
	fprintf(out, ",%s", r->band);
	for (int d = 0; d < MCT_DIMENSIONS; d++) {
		fputc(',', out);
		mct_out_num(out, r->dimension[d]);
	}
	fprintf(out, ",%d,%d,%d,%d,%d,%d,%d,", r->evidence_count, r->evidence_confirmed,
	        r->evidence_pending, r->evidence_negative, r->sources_ok, r->sources_total,
	        r->low_confidence);
	mct_csv_field(out, r->method_version);
	if (prev) {
		fprintf(out, ",%s,", prev->date);
		mct_out_num(out, prev->temperature);
		fputc(',', out);
		mct_out_num(out, delta(r, prev));
	} else {
		fputs(",,,", out);
	}
	fputs("\r\n", out);
}

void mct_out_confidence(char *buf, size_t n, const mct_store_reading *r)
{
	snprintf(buf, n, "%d/%d sources, %d evidence (%d confirmed)%s", r->sources_ok,
	         r->sources_total, r->evidence_count, r->evidence_confirmed,
	         r->low_confidence ? ", low confidence" : "");
}

void mct_out_change(char *buf, size_t n, const mct_store_reading *r, const mct_store_reading *prev)
{
	if (!prev) {
		snprintf(buf, n, "new");
		return;
	}
	double d = mct_out_round1(delta(r, prev));
	snprintf(buf, n, "%s %+.1f", d > 0 ? "↑" : d < 0 ? "↓" : "→", d);
	if (d == 0) /* "+0.0" says more than there is */
		snprintf(buf, n, "→ 0.0");
}

void mct_out_country(char *buf, size_t n, const char *cc)
{
	const char *name = mct_country_name(cc);
	if (strcmp(name, cc))
		snprintf(buf, n, "%s (%s)", name, cc);
	else
		snprintf(buf, n, "%s", cc);
}

void mct_out_table_header(FILE *out, int with_country)
{
	if (with_country)
		fputs("CC  ", out);
	fputs("date         temp  band    policy ecosys  infra  usage  change   confidence\n", out);
}

/* Display width of s: UTF-8 continuation bytes take no column. */
static int columns(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

void mct_out_table_row(FILE *out, const mct_store_reading *r, const mct_store_reading *prev,
                       int with_country)
{
	char change[32], conf[128];
	mct_out_change(change, sizeof change, r, prev);
	mct_out_confidence(conf, sizeof conf, r);
	if (with_country)
		fprintf(out, "%-2s  ", r->country);
	fprintf(out, "%-10s  %5.1f  %-7s", r->date, mct_out_round1(r->temperature), r->band);
	for (int d = 0; d < MCT_DIMENSIONS; d++)
		fprintf(out, " %6.1f", mct_out_round1(r->dimension[d]));
	fprintf(out, "  %s%*s %s\n", change, 8 - columns(change), "", conf);
}

int mct_out_date_arg(const char *cmd, const char *arg, char out[11])
{
	if (!arg) {
		mct_today_utc(out);
		return 0;
	}
	if (strlen(arg) != 10 || mct_parse_date(arg, NULL) != 0)
		return mct_cli_usage(cmd, "'%s' is not a date; use YYYY-MM-DD", arg);
	memcpy(out, arg, 11);
	return 0;
}

int mct_out_country_arg(const char *cmd, const char *cc)
{
	if (mct_country_valid(cc) && strcmp(cc, "EU") != 0)
		return 0;
	return mct_cli_usage(cmd,
	                     "'%s': use a country's ISO 3166-1 alpha-2 code in upper case (ES, LV "
	                     "...); EU level has no readings of its own",
	                     cc);
}
