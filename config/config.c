/*
 * config/config.c - load and validate mcthermo.ini.
 *
 * Parsing is inih's; this file adds what inih leaves to its users: line
 * numbers for every value (a counting reader feeds inih line by line), a
 * table of allowed keys per section, typed values with ranges, and the
 * checks a source needs (id, country, kind, scheme).  The first error wins
 * and is reported as "file:line: message"; a refused file yields no config,
 * so the caller never opens a database for it.
 *
 * inih calls its handler only for key=value lines, so section headers are
 * seen by the reader: that is how an empty [source:x] section and a repeated
 * source id are caught.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MCT_DATADIR
#define MCT_DATADIR "/usr/local/share/mcthermo"
#endif

static const char *kind_names[MCT_KIND_COUNT] = {"policy", "qa", "platform", "he", "news"};
static const char *dim_keys[4] = {"policy", "ecosystem", "infra", "usage"};

const char *mct_kind_name(mct_source_kind k)
{
	return (unsigned)k < MCT_KIND_COUNT ? kind_names[k] : "unknown";
}

int mct_kind_parse(const char *s)
{
	for (int i = 0; i < MCT_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

typedef struct {
	mct_config *cfg;
	FILE *f;
	int line;          /* line the reader last returned */
	int at_line_start; /* the next read starts a new line */
	char section[256]; /* section of the line being read */
	int section_line;
	mct_err *err;
	int failed;
	/* keys seen in the current section, for duplicate detection */
	char **seen;
	size_t nseen;
	size_t nsections;
	struct sect {
		char *name;
		int line;
		int keys;
	} * sections;
} parse_ctx;

static int failf(parse_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int failf(parse_ctx *c, const char *fmt, ...)
{
	if (c->failed)
		return 0;
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	mct_fail(c->err, MCT_ERR_CONFIG, "%s:%d: %s", c->cfg->path, c->line, msg);
	c->failed = 1;
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* The reader hands inih one line at a time and notes section headers. */
static char *reader(char *str, int num, void *stream)
{
	parse_ctx *c = stream;
	if (!fgets(str, num, c->f))
		return NULL;
	/* inih asks again for the rest of a line longer than its buffer; only
	 * the start of a line counts a line and may be a section header. */
	int at_start = c->at_line_start;
	size_t n = strlen(str);
	c->at_line_start = (n && str[n - 1] == '\n') || feof(c->f);
	if (!at_start)
		return str;
	c->line++;
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", str);
	char *t = trim(tmp);
	if (t[0] == '[') {
		char *end = strchr(t, ']');
		if (end) {
			*end = 0;
			char *name = trim(t + 1);
			for (size_t i = 0; i < c->nsections; i++)
				if (strcmp(c->sections[i].name, name) == 0) {
					if (strncmp(name, "source:", 7) == 0)
						failf(c,
						      "duplicate source id '%s' (first defined at "
						      "line %d)",
						      name + 7, c->sections[i].line);
					else
						failf(
						    c,
						    "section [%s] appears twice (first at line %d)",
						    name, c->sections[i].line);
				}
			c->sections =
			    mct_xrealloc(c->sections, (c->nsections + 1) * sizeof *c->sections);
			c->sections[c->nsections++] = (struct sect){mct_xstrdup(name), c->line, 0};
			snprintf(c->section, sizeof c->section, "%s", name);
			c->section_line = c->line;
			for (size_t i = 0; i < c->nseen; i++)
				free(c->seen[i]);
			c->nseen = 0;
		}
	}
	return str;
}

/* ---- typed values ------------------------------------------------------ */

static int parse_bool(parse_ctx *c, const char *key, const char *v, int *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") ||
	    !strcmp(v, "1")) {
		*out = 1;
		return 1;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off") ||
	    !strcmp(v, "0")) {
		*out = 0;
		return 1;
	}
	return failf(c, "%s = '%s': expected yes or no", key, v);
}

static int parse_int(parse_ctx *c, const char *key, const char *v, long long lo, long long hi,
                     long long *out)
{
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	long long mult = 1;
	if (end != v && *end) {
		if (!strcasecmp(end, "k") || !strcasecmp(end, "kb"))
			mult = 1000;
		else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb"))
			mult = 1000 * 1000;
		else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb"))
			mult = 1000LL * 1000 * 1000;
		else if (!strcasecmp(end, "kib"))
			mult = 1024;
		else if (!strcasecmp(end, "mib"))
			mult = 1024 * 1024;
		else
			mult = 0;
	}
	if (end == v || mult == 0 || errno || x > hi / mult || x * mult < lo || x * mult > hi)
		return failf(c, "%s = '%s': expected a whole number from %lld to %lld", key, v, lo,
		             hi);
	*out = x * mult;
	return 1;
}

static int set_int(parse_ctx *c, const char *key, const char *v, long long lo, long long hi,
                   int *out)
{
	long long x;
	if (!parse_int(c, key, v, lo, hi, &x))
		return 0;
	*out = (int)x;
	return 1;
}

static int parse_real(parse_ctx *c, const char *key, const char *v, double lo, double hi,
                      double *out)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (end == v || *end || errno || !isfinite(x) || x < lo || x > hi)
		return failf(c, "%s = '%s': expected a number from %g to %g", key, v, lo, hi);
	*out = x;
	return 1;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = mct_xstrdup(v);
}

static int valid_id(const char *s)
{
	if (!*s || !(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		      strchr("._-", *s)))
			return 0;
	return 1;
}

/* ---- sections ------------------------------------------------------------ */

static int h_store(parse_ctx *c, const char *k, const char *v)
{
	if (!strcmp(k, "path")) {
		if (!*v)
			return failf(c, "path: must not be empty");
		set_str(&c->cfg->store_path, v);
		return 1;
	}
	return failf(c, "unknown key '%s' in [store]; allowed: path", k);
}

static int h_rules(parse_ctx *c, const char *k, const char *v)
{
	if (!strcmp(k, "path")) {
		if (!*v)
			return failf(c, "path: must not be empty");
		set_str(&c->cfg->rules_path, v);
		return 1;
	}
	return failf(c, "unknown key '%s' in [rules]; allowed: path", k);
}

static int h_crawler(parse_ctx *c, const char *k, const char *v)
{
	struct mct_crawler_config *cr = &c->cfg->crawler;
	if (!strcmp(k, "user_agent")) {
		if (!*v)
			return failf(c, "user_agent: must not be empty");
		set_str(&cr->user_agent, v);
		return 1;
	}
	if (!strcmp(k, "concurrency"))
		return set_int(c, k, v, 1, 256, &cr->concurrency);
	if (!strcmp(k, "per_host_connections"))
		return set_int(c, k, v, 1, 16, &cr->per_host_connections);
	if (!strcmp(k, "per_host_delay_ms"))
		return set_int(c, k, v, 0, 600000, &cr->per_host_delay_ms);
	if (!strcmp(k, "timeout_s"))
		return set_int(c, k, v, 1, 3600, &cr->timeout_s);
	if (!strcmp(k, "max_body_bytes"))
		return parse_int(c, k, v, 1024, 1000LL * 1000 * 1000, &cr->max_body_bytes);
	if (!strcmp(k, "max_pages"))
		return set_int(c, k, v, 1, 1000000, &cr->max_pages);
	if (!strcmp(k, "retries"))
		return set_int(c, k, v, 0, 10, &cr->retries);
	if (!strcmp(k, "deny_private_networks"))
		return parse_bool(c, k, v, &cr->deny_private_networks);
	return failf(
	    c,
	    "unknown key '%s' in [crawler]; allowed: user_agent, concurrency, "
	    "per_host_connections, per_host_delay_ms, timeout_s, max_body_bytes, max_pages, "
	    "retries, deny_private_networks",
	    k);
}

static int h_score(parse_ctx *c, const char *k, const char *v)
{
	mct_score_config *s = &c->cfg->score;
	for (int i = 0; i < 4; i++) {
		char key[64];
		snprintf(key, sizeof key, "weight.%s", dim_keys[i]);
		if (!strcmp(k, key))
			return parse_real(c, k, v, 0, 100, &s->dimension_weight[i]);
	}
	for (int i = 0; i < MCT_KIND_COUNT; i++) {
		char key[64];
		snprintf(key, sizeof key, "authority.%s", kind_names[i]);
		if (!strcmp(k, key))
			return parse_real(c, k, v, 0, 10, &s->kind_authority[i]);
	}
	if (!strcmp(k, "pending_share"))
		return parse_real(c, k, v, 0, 1, &s->pending_share);
	if (!strcmp(k, "half_life_days"))
		return parse_real(c, k, v, 0, 100000, &s->half_life_days);
	if (!strcmp(k, "saturation"))
		return parse_real(c, k, v, 0.001, 1e6, &s->saturation);
	if (!strcmp(k, "quiet_threshold"))
		return parse_real(c, k, v, 0, 100, &s->quiet_threshold);
	if (!strcmp(k, "low_confidence_ok_share"))
		return parse_real(c, k, v, 0, 1, &s->low_confidence_ok_share);
	if (!strncmp(k, "indicator.", 10) && k[10]) {
		double w;
		if (!parse_real(c, k, v, 0, 100, &w))
			return 0;
		s->indicator_weights =
		    mct_xrealloc(s->indicator_weights,
		                 (s->n_indicator_weights + 1) * sizeof *s->indicator_weights);
		s->indicator_weights[s->n_indicator_weights++] =
		    (struct mct_indicator_weight){mct_xstrdup(k + 10), w, c->line};
		return 1;
	}
	return failf(
	    c,
	    "unknown key '%s' in [score]; allowed: weight.{policy,ecosystem,infra,usage}, "
	    "authority.{policy,qa,platform,he,news}, indicator.<indicator id>, pending_share, "
	    "half_life_days, saturation, quiet_threshold, low_confidence_ok_share",
	    k);
}

static mct_source *source_for(parse_ctx *c, const char *id)
{
	mct_config *cfg = c->cfg;
	if (cfg->nsources && !strcmp(cfg->sources[cfg->nsources - 1].id, id))
		return &cfg->sources[cfg->nsources - 1];
	cfg->sources = mct_xrealloc(cfg->sources, (cfg->nsources + 1) * sizeof *cfg->sources);
	mct_source *s = &cfg->sources[cfg->nsources++];
	memset(s, 0, sizeof *s);
	s->id = mct_xstrdup(id);
	s->kind = MCT_KIND_COUNT; /* unset */
	s->enabled = 1;
	s->same_site = 1;
	s->lang = mct_xstrdup("");
	s->line = c->section_line;
	return s;
}

static int h_source(parse_ctx *c, const char *id, const char *k, const char *v)
{
	if (!valid_id(id))
		return failf(c,
		             "source id '%s': use lower-case letters, digits, '.', '_' and '-', "
		             "starting with a letter or digit",
		             id);
	mct_source *s = source_for(c, id);
	if (!strcmp(k, "country")) {
		if (!mct_country_valid(v))
			return failf(c,
			             "country = '%s': unknown country code; use an ISO 3166-1 "
			             "alpha-2 code in upper case (ES, LV, GR...) or EU",
			             v);
		memcpy(s->country, v, 3);
		return 1;
	}
	if (!strcmp(k, "kind")) {
		int kind = mct_kind_parse(v);
		if (kind < 0)
			return failf(c, "kind = '%s': expected policy, qa, platform, he or news",
			             v);
		s->kind = (mct_source_kind)kind;
		return 1;
	}
	if (!strcmp(k, "url")) {
		if (!strncasecmp(v, "http://", 7) || !strncasecmp(v, "https://", 8)) {
			if (!v[strncasecmp(v, "http://", 7) ? 8 : 7])
				return failf(c, "url = '%s': no host", v);
			set_str(&s->url, v);
			return 1;
		}
		if (!strncasecmp(v, "file://", 7)) {
			const char *p = v + 7;
			if (!*p)
				return failf(c, "url = '%s': no path", v);
			/* file://relative/path resolves against the config's folder,
			 * which is itself relative when the config was given so: a
			 * URL needs the absolute path. */
			char *abs = mct_path_resolve(c->cfg->dir, p);
			char *cwd = abs[0] == '/' ? NULL : getcwd(NULL, 0);
			free(s->url);
			s->url = cwd ? mct_xasprintf("file://%s/%s", cwd, abs)
			             : mct_xasprintf("file://%s%s", abs[0] == '/' ? "" : "/", abs);
			free(cwd);
			free(abs);
			return 1;
		}
		return failf(c, "url = '%s': unsupported scheme; use http://, https:// or file://",
		             v);
	}
	if (!strcmp(k, "lang")) {
		if (strlen(v) != 2 || !islower((unsigned char)v[0]) ||
		    !islower((unsigned char)v[1]))
			return failf(c, "lang = '%s': expected an ISO 639-1 code (es, lv, de...)",
			             v);
		set_str(&s->lang, v);
		return 1;
	}
	if (!strcmp(k, "depth"))
		return set_int(c, k, v, 0, 10, &s->depth);
	if (!strcmp(k, "follow")) {
		set_str(&s->follow, v);
		return 1;
	}
	if (!strcmp(k, "max_pages"))
		return set_int(c, k, v, 1, 1000000, &s->max_pages);
	if (!strcmp(k, "enabled"))
		return parse_bool(c, k, v, &s->enabled);
	if (!strcmp(k, "sitemap"))
		return parse_bool(c, k, v, &s->sitemap);
	if (!strcmp(k, "same_site"))
		return parse_bool(c, k, v, &s->same_site);
	return failf(c,
	             "unknown key '%s' in [source:%s]; allowed: country, kind, url, lang, depth, "
	             "follow, max_pages, enabled, sitemap, same_site",
	             k, id);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	parse_ctx *c = user;
	if (c->failed)
		return 0;
	/* Duplicate keys in one section are mistakes, not overrides. */
	for (size_t i = 0; i < c->nseen; i++)
		if (!strcmp(c->seen[i], name))
			return failf(c, "key '%s' given twice in [%s]", name, section);
	c->seen = mct_xrealloc(c->seen, (c->nseen + 1) * sizeof *c->seen);
	c->seen[c->nseen++] = mct_xstrdup(name);
	if (c->nsections)
		c->sections[c->nsections - 1].keys++;

	if (!*section)
		return failf(c, "key '%s' outside any section", name);
	if (!strcmp(section, "store"))
		return h_store(c, name, value);
	if (!strcmp(section, "rules"))
		return h_rules(c, name, value);
	if (!strcmp(section, "crawler"))
		return h_crawler(c, name, value);
	if (!strcmp(section, "score"))
		return h_score(c, name, value);
	if (!strncmp(section, "source:", 7))
		return h_source(c, section + 7, name, value);
	return failf(c,
	             "unknown section [%s]; allowed: [store], [rules], [crawler], [score], "
	             "[source:ID]",
	             section);
}

static void set_defaults(mct_config *cfg)
{
	cfg->store_path = mct_xstrdup("mcthermo.db");
	cfg->rules_path = mct_xstrdup("rules");
	cfg->crawler.user_agent =
	    mct_xstrdup("mcthermo/" MCT_VERSION " (+https://github.com/mcthermo/mcthermo)");
	cfg->crawler.concurrency = 8;
	cfg->crawler.per_host_connections = 1;
	cfg->crawler.per_host_delay_ms = 1000;
	cfg->crawler.timeout_s = 30;
	cfg->crawler.max_body_bytes = 20LL * 1000 * 1000;
	cfg->crawler.max_pages = 50;
	cfg->crawler.retries = 2;
	mct_score_config *s = &cfg->score;
	const double dw[4] = {0.35, 0.25, 0.20, 0.20};
	const double ka[MCT_KIND_COUNT] = {1.0, 0.9, 0.8, 0.6, 0.3};
	memcpy(s->dimension_weight, dw, sizeof dw);
	memcpy(s->kind_authority, ka, sizeof ka);
	s->pending_share = 0.6;
	s->half_life_days = 1095;
	s->saturation = 2.5;
	s->quiet_threshold = 2;
	s->low_confidence_ok_share = 0.5;
}

/* Checks that need the whole file: required keys, empty sections. */
static int validate(parse_ctx *c)
{
	mct_config *cfg = c->cfg;
	for (size_t i = 0; i < c->nsections; i++) {
		const struct sect *s = &c->sections[i];
		if (!strncmp(s->name, "source:", 7) && s->keys == 0) {
			c->line = s->line;
			return failf(c, "[%s] has no keys; a source needs country, kind and url",
			             s->name);
		}
	}
	for (size_t i = 0; i < cfg->nsources; i++) {
		mct_source *s = &cfg->sources[i];
		c->line = s->line;
		const char *missing = !s->url                     ? "url"
		                      : !s->country[0]            ? "country"
		                      : s->kind == MCT_KIND_COUNT ? "kind"
		                                                  : NULL;
		if (missing)
			return failf(c, "[source:%s] is missing '%s'", s->id, missing);
		if (s->follow && !s->depth) {
			/* harmless, but a sign of a misunderstanding: say so */
		}
	}
	double sum = 0;
	for (int i = 0; i < 4; i++)
		sum += cfg->score.dimension_weight[i];
	if (sum <= 0) {
		c->line = 0;
		return failf(c, "[score] weight.*: at least one dimension weight must be above 0");
	}
	return 1;
}

mct_status mct_config_load(const char *path, mct_config **out, mct_err *err)
{
	*out = NULL;
	FILE *f = fopen(path, "r");
	if (!f)
		return mct_fail(err, MCT_ERR_CONFIG, "%s: cannot open configuration: %s", path,
		                strerror(errno));
	mct_config *cfg = mct_xcalloc(1, sizeof *cfg);
	cfg->path = mct_xstrdup(path);
	/* An absolute folder, so that file:// URLs and paths stay right whatever
	 * the working directory of later steps. */
	char *dir = mct_path_dirname(path);
	char *real = realpath(dir, NULL);
	cfg->dir = real ? real : dir;
	if (real)
		free(dir);
	set_defaults(cfg);

	parse_ctx c = {.cfg = cfg, .f = f, .err = err, .at_line_start = 1};
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = 8192;
	ini_allow_multiline = false;
	int rc = ini_parse_stream(reader, &c, handler, &c);
	fclose(f);
	if (rc > 0 && !c.failed) {
		c.line = rc;
		failf(&c, "not a 'key = value' line, a [section] header or a comment");
	}
	if (rc < 0 && !c.failed) {
		c.line = 0;
		failf(&c, "cannot read the file");
	}
	if (!c.failed)
		validate(&c);
	for (size_t i = 0; i < c.nseen; i++)
		free(c.seen[i]);
	free(c.seen);
	for (size_t i = 0; i < c.nsections; i++)
		free(c.sections[i].name);
	free(c.sections);
	if (c.failed) {
		mct_config_free(cfg);
		return MCT_ERR_CONFIG;
	}
	/* Resolve relative paths against the config's folder. */
	char *p = cfg->store_path;
	if (!strncmp(p, "~/", 2) && getenv("HOME"))
		cfg->store_path = mct_xasprintf("%s/%s", getenv("HOME"), p + 2);
	else
		cfg->store_path = mct_path_resolve(cfg->dir, p);
	free(p);
	p = cfg->rules_path;
	cfg->rules_path = mct_path_resolve(cfg->dir, p);
	free(p);
	*out = cfg;
	return MCT_OK;
}

void mct_config_free(mct_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nsources; i++) {
		free(cfg->sources[i].id);
		free(cfg->sources[i].url);
		free(cfg->sources[i].lang);
		free(cfg->sources[i].follow);
	}
	free(cfg->sources);
	for (size_t i = 0; i < cfg->score.n_indicator_weights; i++)
		free(cfg->score.indicator_weights[i].indicator);
	free(cfg->score.indicator_weights);
	free(cfg->crawler.user_agent);
	free(cfg->store_path);
	free(cfg->rules_path);
	free(cfg->path);
	free(cfg->dir);
	free(cfg);
}

mct_status mct_config_check_indicators(const mct_config *cfg, int (*known)(const char *id),
                                       mct_err *err)
{
	for (size_t i = 0; i < cfg->score.n_indicator_weights; i++) {
		const struct mct_indicator_weight *w = &cfg->score.indicator_weights[i];
		if (!known(w->indicator))
			return mct_fail(
			    err, MCT_ERR_CONFIG,
			    "%s:%d: indicator.%s: unknown indicator; see `mcthermo rules "
			    "list` or docs/method.md for the ids",
			    cfg->path, w->line, w->indicator);
	}
	return MCT_OK;
}

static int is_file(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *mct_config_locate(const char *explicit_path, mct_err *err)
{
	if (explicit_path) {
		if (!is_file(explicit_path)) {
			mct_fail(err, MCT_ERR_CONFIG, "%s: configuration file not found",
			         explicit_path);
			return NULL;
		}
		return mct_xstrdup(explicit_path);
	}
	const char *env = getenv("MCTHERMO_CONFIG");
	if (env && *env) {
		if (!is_file(env)) {
			mct_fail(err, MCT_ERR_CONFIG,
			         "%s: configuration file not found (from $MCTHERMO_CONFIG)", env);
			return NULL;
		}
		return mct_xstrdup(env);
	}
	if (is_file("mcthermo.ini"))
		return mct_xstrdup("mcthermo.ini");
	char *xdg;
	const char *xh = getenv("XDG_CONFIG_HOME");
	if (xh && *xh)
		xdg = mct_xasprintf("%s/mcthermo/mcthermo.ini", xh);
	else if (getenv("HOME"))
		xdg = mct_xasprintf("%s/.config/mcthermo/mcthermo.ini", getenv("HOME"));
	else
		xdg = NULL;
	if (is_file(xdg))
		return xdg;
	free(xdg);
	if (is_file(MCT_DATADIR "/mcthermo.ini"))
		return mct_xstrdup(MCT_DATADIR "/mcthermo.ini");
	mct_fail(err, MCT_ERR_CONFIG,
	         "no configuration found: give --config FILE, set $MCTHERMO_CONFIG, or create "
	         "./mcthermo.ini (see config/mcthermo.ini)");
	return NULL;
}

const mct_source *mct_config_source(const mct_config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->nsources; i++)
		if (!strcmp(cfg->sources[i].id, id))
			return &cfg->sources[i];
	return NULL;
}
