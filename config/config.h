/*
 * config/config.h - the configuration component's contract.
 *
 * One INI file (parsed with inih) holds everything a run needs: where the
 * store and the rules are, how politely to crawl, how to score, and the
 * source catalogue.  Loading is all-or-nothing: any unknown key, bad value or
 * duplicate source fails with "file:line: ..." and the caller writes nothing.
 * Relative paths are resolved against the config file's folder, so a config
 * works wherever it is run from.
 */
#ifndef MCT_CONFIG_H
#define MCT_CONFIG_H

#include <stddef.h>

#include "../common/mct.h"

typedef enum {
	MCT_KIND_POLICY = 0, /* ministries, legislation, official gazettes */
	MCT_KIND_QA,         /* quality-assurance agencies */
	MCT_KIND_PLATFORM,   /* national portals, registers, recognition centres */
	MCT_KIND_HE,         /* universities, colleges, their associations */
	MCT_KIND_NEWS,       /* news, blogs, reports by others */
	MCT_KIND_COUNT
} mct_source_kind;

const char *mct_kind_name(mct_source_kind k);
/* Returns -1 for an unknown kind. */
int mct_kind_parse(const char *s);

typedef struct {
	char *id;
	char country[3]; /* ISO 3166-1 alpha-2, or "EU" */
	mct_source_kind kind;
	char *url;     /* http(s) URL, or file:// URL made absolute */
	char *lang;    /* "" when unset */
	int depth;     /* link depth to follow, default 0 */
	char *follow;  /* regex a link must match to be followed, NULL = none followed */
	int max_pages; /* 0 = [crawler] max_pages */
	int enabled;   /* default 1 */
	int sitemap;   /* read sitemaps announced in robots.txt */
	int same_site; /* follow only links on the same host (default 1) */
	int line;      /* line of the [source:ID] header, for messages */
} mct_source;

typedef struct {
	double dimension_weight[4]; /* policy, ecosystem, infra, usage */
	double kind_authority[MCT_KIND_COUNT];
	double pending_share;           /* weight of unreviewed evidence, 0..1 */
	double half_life_days;          /* age decay; 0 = no decay */
	double saturation;              /* summed strength at which an indicator reaches ~63% */
	double quiet_threshold;         /* degrees a temperature must move for `run -q` to speak */
	double low_confidence_ok_share; /* below this share of sources read, a reading is
	                                   low-confidence */
	/* Per-indicator weights ("indicator.policy.funding = 1.5"); indicators
	 * not listed weigh 1.0.  The ids are checked against the indicator
	 * catalogue by mct_config_check_indicators' caller-supplied lookup. */
	struct mct_indicator_weight {
		char *indicator;
		double weight;
		int line;
	} * indicator_weights;
	size_t n_indicator_weights;
} mct_score_config;

typedef struct {
	char *path; /* the config file as given */
	char *dir;  /* its folder */
	char *store_path;
	char *rules_path;
	struct mct_crawler_config {
		char *user_agent;
		int concurrency;
		int per_host_connections;
		int per_host_delay_ms;
		int timeout_s;
		long long max_body_bytes;
		int max_pages;
		int retries;
		int deny_private_networks;
	} crawler;
	mct_score_config score;
	mct_source *sources;
	size_t nsources;
} mct_config;

/* Load and validate a config file. */
mct_status mct_config_load(const char *path, mct_config **out, mct_err *err);
void mct_config_free(mct_config *cfg);

/* Which file to use: explicit (--config) > $MCTHERMO_CONFIG > ./mcthermo.ini
 * > $XDG_CONFIG_HOME/mcthermo/mcthermo.ini (~/.config when unset) > the
 * installed default.  Returns a new string, or NULL with err set when none
 * exists. */
char *mct_config_locate(const char *explicit_path, mct_err *err);

/* Check every "indicator.ID" key of [score] with `known` (returns nonzero
 * for a known indicator id); fails with "file:line: unknown indicator". */
mct_status mct_config_check_indicators(const mct_config *cfg, int (*known)(const char *id),
                                       mct_err *err);

/* Source by id, or NULL. */
const mct_source *mct_config_source(const mct_config *cfg, const char *id);

/* 1 when cc is an ISO 3166-1 alpha-2 code (upper case) or "EU". */
int mct_country_valid(const char *cc);
/* English name of a country code ("Spain"), or the code itself. */
const char *mct_country_name(const char *cc);

#endif
