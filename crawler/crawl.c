/*
 * crawler/crawl.c - the crawl: sources in, captures out.
 *
 * mct_crawl turns every enabled source into captures, one per fetch.  The
 * frontier is a set of per-host FIFO queues (hosts.c) fed with the start
 * page of each source and, while a source's depth allows, with the links of
 * the pages fetched for it; a round-robin scheduler starts transfers
 * (fetch.c) as the concurrency limit, the per-host connection limit and the
 * per-host delay allow.  Before the first page of a host, its robots.txt is
 * fetched (once per run) and every URL of that host is checked against it;
 * a disallowed URL is recorded as a skipped capture and never requested.
 *
 * Each fetch is compared with the last capture of the same URL: requests
 * carry its ETag and Last-Modified, and a 304, or a body with the same
 * sha256, is recorded as "unchanged" without storing the body or text again.
 * A second run over a site that did not change downloads no page body.  When
 * links of an unchanged page are needed, they are taken from the stored body,
 * re-parsed.
 *
 * Links are resolved and normalised (links.c) and followed only when they
 * match the source's follow regex (none: nothing is followed), stay on the
 * source's host (unless same_site = no), and the source has not reached
 * max_pages URLs - a budget that counts every URL taken into the frontier,
 * robots-disallowed ones included.  URLs are de-duplicated per source and
 * run: two sources that reach the same page each get their own capture (the
 * second is a cheap conditional request), because evidence belongs to the
 * source it was found through.  With sitemap = yes, the sitemaps announced in
 * the robots.txt of the source's host are read as well; their URLs count as
 * links of depth 1 and obey the same rules.
 *
 * file:// sources are single documents read from disk: depth, follow and
 * sitemaps do not apply, and links found in them are never followed (a page
 * on disk must not lead the crawler anywhere, on disk or on the network).
 *
 * Progress lines ("source  outcome  URL  (reason)") are printed for every
 * capture, and with the same words for what is not a capture: a sitemap
 * that failed, a sitemap robots.txt forbids, and the first link a source's
 * max_pages left out.
 *
 * Failures stay with their source: each capture is committed in its own
 * transaction, a source's status (its start page's outcome, and a sentence on
 * failed linked pages) is written when its last page is done, and only a
 * database error or *stop ends the crawl early.
 *
 * Left out: robots.txt and politeness of redirect targets (curl follows
 * redirects within the transfer; the private network check still applies to
 * every address), Crawl-delay (not in RFC 9309; per_host_delay_ms is ours),
 * and re-reading robots.txt during a run.
 */
#include "crawl_internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest wait a server's Retry-After or our backoff may impose before a
 * retry; a server asking for more is not retried in this run. */
#define MAX_RETRY_WAIT_S 600.0
/* First backoff step; doubled on each further try. */
#define BACKOFF_BASE_S 0.5
/* Sitemaps (index entries included) read per source, and how deep a
 * sitemap index may nest. */
#define MAX_SITEMAPS      50
#define MAX_SITEMAP_LEVEL 2
/* Longest pause of the scheduler loop, so *stop is seen promptly. */
#define MAX_WAIT_MS 250

typedef struct {
	const mct_source *cfg;
	int is_file;
	pcre2_code *follow;
	pcre2_match_data *md;
	mct_urlset seen;
	int max_pages;
	int admitted;    /* URLs taken into the frontier */
	int outstanding; /* jobs queued or running */
	int sitemaps;    /* sitemap jobs made */
	int sitemaps_queued;
	char **hosts; /* host names links may stay on */
	size_t nhosts;
	int start_done;
	mct_capture_outcome start_outcome;
	char *start_error;
	char start_at[21];
	int finalized;
	int failed_links;
	char *first_failure;
	int limit_hit; /* max_pages stopped a link */
} csrc;

/* What a running transfer needs to be judged: its job and the last
 * capture of its URL. */
typedef struct {
	mct_job *job;
	int have_last;
	char last_sha[65];
	char *last_etag, *last_lm, *last_ctype, *last_ttype;
} xfer;

typedef struct {
	const mct_config *cfg;
	const struct mct_crawler_config *cc;
	mct_store *st;
	int64_t run_id;
	FILE *progress;
	mct_crawl_stats *stats;
	mct_err *err;
	mct_status fatal;
	char agent[64];
	csrc *src;
	size_t nsrc;
	mct_hosts hosts;
	mct_fetcher *fetcher;
	size_t queued;
} crawl;

static void xfer_free(xfer *t)
{
	if (!t)
		return;
	free(t->last_etag);
	free(t->last_lm);
	free(t->last_ctype);
	free(t->last_ttype);
	free(t);
}

static char *dup_or_null(const char *s)
{
	return s ? mct_xstrdup(s) : NULL;
}

/* The product token of a User-Agent ("mcthermo/0.1 (+url)" -> "mcthermo"). */
static void product_token(const char *ua, char *out, size_t outsz)
{
	size_t n = 0;
	while (ua[n] && (isalpha((unsigned char)ua[n]) || ua[n] == '_' || ua[n] == '-') &&
	       n + 1 < outsz)
		n++;
	memcpy(out, ua, n);
	out[n] = 0;
	if (!n)
		snprintf(out, outsz, "mcthermo");
}

/* The charset parameter of a Content-Type, or NULL. */
static char *charset_param(const char *ctype)
{
	if (!ctype)
		return NULL;
	for (const char *p = strchr(ctype, ';'); p; p = strchr(p + 1, ';')) {
		const char *q = p + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncasecmp(q, "charset=", 8) != 0)
			continue;
		q += 8;
		if (*q == '"' || *q == '\'')
			q++;
		size_t n = strcspn(q, "\"'; \t");
		return n ? mct_xstrndup(q, n) : NULL;
	}
	return NULL;
}

/* The media type of a Content-Type, without parameters. */
static char *media_type(const char *ctype)
{
	if (!ctype || !*ctype)
		return mct_xstrdup("(none given)");
	size_t n = strcspn(ctype, "; \t");
	return mct_xstrndup(ctype, n);
}

/* ---- recording ------------------------------------------------------------- */

static const char *status_of(mct_capture_outcome o)
{
	switch (o) {
	case MCT_CAPTURE_NEW:
	case MCT_CAPTURE_CHANGED:
		return "ok";
	case MCT_CAPTURE_UNCHANGED:
		return "unchanged";
	case MCT_CAPTURE_SKIPPED:
		return "skipped";
	default:
		return "failed";
	}
}

static void progress_line(crawl *c, const char *source, const char *what, const char *url,
                          const char *reason)
{
	if (!c->progress)
		return;
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_printf(&b, "%s  %s  %s", source, what, url);
	if (reason && *reason)
		mct_buf_printf(&b, "  (%s)", reason);
	char *clean = mct_sanitize_for_terminal(b.data, b.len);
	fprintf(c->progress, "%s\n", clean);
	fflush(c->progress);
	free(clean);
	mct_buf_free(&b);
}

/* Write the source's status, once its last page is done (or the crawl
 * stops). */
static void finalize_source(crawl *c, csrc *s)
{
	if (s->finalized || !s->start_done || c->fatal)
		return;
	s->finalized = 1;
	if (s->start_outcome == MCT_CAPTURE_FAILED || s->start_outcome == MCT_CAPTURE_SKIPPED)
		c->stats->sources_failed++;
	else
		c->stats->sources_ok++;
	char *error = NULL;
	if (s->start_error)
		error = mct_xstrdup(s->start_error);
	else if (s->failed_links)
		error = mct_xasprintf("%d linked page%s failed (first: %s)", s->failed_links,
		                      s->failed_links == 1 ? "" : "s", s->first_failure);
	mct_status rc = mct_store_begin(c->st, c->err);
	if (!rc)
		rc = mct_store_source_status(c->st, s->cfg->id, c->run_id, s->start_at,
		                             status_of(s->start_outcome), error, c->err);
	if (!rc)
		rc = mct_store_commit(c->st, c->err);
	if (rc) {
		mct_store_rollback(c->st);
		c->fatal = rc;
	}
	free(error);
}

/* A job of a source ended (captured, skipped, or a sitemap read). */
static void job_done(crawl *c, mct_job *j)
{
	if (j->kind != MCT_JOB_ROBOTS) {
		csrc *s = &c->src[j->src];
		s->outstanding--;
		if (s->outstanding == 0)
			finalize_source(c, s);
	}
	mct_job_free(j);
}

static void note_failure(csrc *s, const char *url, const char *reason)
{
	s->failed_links++;
	if (!s->first_failure)
		s->first_failure = mct_xasprintf("%s: %s", url, reason);
}

/* Store one capture in its own transaction and account for it. */
static void record(crawl *c, mct_job *j, mct_capture *cap, const void *body, size_t blen,
                   const mct_buf *text)
{
	csrc *s = &c->src[j->src];
	if (c->fatal)
		return;
	cap->run_id = c->run_id;
	cap->source_id = s->cfg->id;
	cap->url = j->url;
	cap->depth = j->depth;
	if (cap->final_url && strcmp(cap->final_url, j->url) == 0)
		cap->final_url = NULL;
	char now[21];
	mct_now_utc(now);
	cap->fetched_at = now;
	mct_status rc = mct_store_begin(c->st, c->err);
	if (!rc)
		rc = mct_store_capture_add(c->st, cap, body, blen, text ? text->data : NULL,
		                           text ? text->len : 0, c->err);
	if (!rc)
		rc = mct_store_commit(c->st, c->err);
	if (rc) {
		mct_store_rollback(c->st);
		c->fatal = rc;
		return;
	}
	mct_crawl_stats *st = c->stats;
	size_t *count[] = {&st->pages_new, &st->pages_changed, &st->pages_unchanged,
	                   &st->pages_failed, &st->pages_skipped};
	(*count[cap->outcome])++;
	progress_line(c, s->cfg->id, mct_capture_outcome_name(cap->outcome), j->url, cap->error);
	if (j->depth == 0 && j->kind == MCT_JOB_PAGE && !s->start_done) {
		s->start_done = 1;
		s->start_outcome = cap->outcome;
		s->start_error = dup_or_null(cap->error);
		memcpy(s->start_at, now, sizeof now);
	} else if (cap->outcome == MCT_CAPTURE_FAILED) {
		note_failure(s, j->url, cap->error);
	}
}

static void record_simple(crawl *c, mct_job *j, mct_capture_outcome o, const char *why)
{
	mct_capture cap = {0};
	cap.outcome = o;
	cap.error = why;
	record(c, j, &cap, NULL, 0, NULL);
}

/* ---- the frontier ------------------------------------------------------------ */

static mct_job *new_job(mct_job_kind kind, size_t src, char *url, int depth)
{
	mct_job *j = mct_xcalloc(1, sizeof *j);
	j->kind = kind;
	j->src = src;
	j->url = url;
	j->depth = depth;
	return j;
}

/* Queue a job on its host, asking for the host's robots.txt first. */
static void enqueue(crawl *c, mct_job *j)
{
	char *origin = mct_url_origin(j->url);
	assert(origin); /* every queued URL went through mct_url_normalize */
	mct_host *h = mct_hosts_get(&c->hosts, origin);
	mct_host_push(h, j);
	c->queued++;
	if (h->robots_state == MCT_ROBOTS_UNKNOWN) {
		char *robots = mct_xasprintf("%s/robots.txt", origin);
		mct_host_push_front(h, new_job(MCT_JOB_ROBOTS, 0, robots, 0));
		c->queued++;
		h->robots_state = MCT_ROBOTS_FETCHING;
	}
	free(origin);
}

static int host_allowed(const csrc *s, const char *url)
{
	char *host = mct_url_host(url);
	int ok = 0;
	for (size_t i = 0; host && i < s->nhosts && !ok; i++)
		ok = strcmp(s->hosts[i], host) == 0;
	free(host);
	return ok;
}

static void add_host(csrc *s, const char *url)
{
	char *host = mct_url_host(url);
	if (!host)
		return;
	for (size_t i = 0; i < s->nhosts; i++)
		if (!strcmp(s->hosts[i], host)) {
			free(host);
			return;
		}
	s->hosts = mct_xrealloc(s->hosts, (s->nhosts + 1) * sizeof *s->hosts);
	s->hosts[s->nhosts++] = host;
}

static int follow_matches(csrc *s, const char *url)
{
	int rc = pcre2_match(s->follow, (PCRE2_SPTR)url, strlen(url), 0, 0, s->md, NULL);
	return rc >= 0;
}

/* Take a normalised URL into the source's frontier if the rules allow. */
static void admit(crawl *c, size_t si, const char *url, int depth)
{
	csrc *s = &c->src[si];
	if (!s->follow || (s->cfg->same_site && !host_allowed(s, url)) || !follow_matches(s, url) ||
	    mct_urlset_has(&s->seen, url))
		return;
	if (s->admitted >= s->max_pages) {
		if (!s->limit_hit) { /* say it once, with the first URL left out */
			char why[96];
			snprintf(why, sizeof why,
			         "max_pages = %d reached; further links are not followed",
			         s->max_pages);
			progress_line(c, s->cfg->id, "skipped", url, why);
		}
		s->limit_hit = 1;
		return;
	}
	mct_urlset_add(&s->seen, url);
	s->admitted++;
	s->outstanding++;
	enqueue(c, new_job(MCT_JOB_PAGE, si, mct_xstrdup(url), depth));
}

static void follow_links(crawl *c, const mct_job *j, const char *page_url, const mct_text *t)
{
	const csrc *s = &c->src[j->src];
	if (s->is_file || !s->follow || j->depth >= s->cfg->depth || !t->nlinks)
		return;
	char *base = NULL;
	if (t->base_href)
		base = mct_url_resolve(page_url, t->base_href, NULL);
	for (size_t i = 0; i < t->nlinks; i++) {
		char *u = mct_url_resolve(base ? base : page_url, t->links[i], NULL);
		if (u)
			admit(c, j->src, u, j->depth + 1);
		free(u);
	}
	free(base);
}

static int wants_links(const crawl *c, const mct_job *j)
{
	const csrc *s = &c->src[j->src];
	return !s->is_file && s->follow && j->depth < s->cfg->depth;
}

/* Queue the sitemaps that the robots.txt of the start page's host names. */
static void queue_sitemaps(crawl *c, size_t si, const mct_host *h)
{
	csrc *s = &c->src[si];
	if (s->sitemaps_queued || !s->cfg->sitemap || !h->robots)
		return;
	s->sitemaps_queued = 1;
	char *robots = mct_xasprintf("%s/robots.txt", h->origin);
	size_t n = mct_robots_sitemap_count(h->robots);
	for (size_t i = 0; i < n && s->sitemaps < MAX_SITEMAPS; i++) {
		char *u = mct_url_resolve(robots, mct_robots_sitemap(h->robots, i), NULL);
		if (u && mct_urlset_add(&s->seen, u)) {
			s->sitemaps++;
			s->outstanding++;
			enqueue(c, new_job(MCT_JOB_SITEMAP, si, u, 1));
			u = NULL;
		}
		free(u);
	}
	free(robots);
}

/* ---- starting transfers ---------------------------------------------------------- */

static void load_last(crawl *c, xfer *t)
{
	mct_capture last;
	int found = 0;
	mct_status rc = mct_store_capture_last(c->st, t->job->url, &last, &found, c->err);
	if (rc) {
		c->fatal = rc;
		return;
	}
	if (!found)
		return;
	t->have_last = 1;
	memcpy(t->last_sha, last.sha256, sizeof t->last_sha);
	t->last_etag = dup_or_null(last.etag);
	t->last_lm = dup_or_null(last.last_modified);
	t->last_ctype = dup_or_null(last.content_type);
	t->last_ttype = dup_or_null(last.text_type);
}

static void start(crawl *c, mct_job *j, double now)
{
	xfer *t = mct_xcalloc(1, sizeof *t);
	t->job = j;
	mct_fetch_opts o = {0};
	o.max_body = c->cc->max_body_bytes;
	if (j->kind == MCT_JOB_ROBOTS) {
		o.max_body = MCT_ROBOTS_MAX_BYTES;
		o.keep_prefix = 1;
	} else if (j->kind == MCT_JOB_PAGE) {
		load_last(c, t);
		o.if_none_match = t->last_etag;
		o.if_modified_since = t->last_lm;
	}
	if (c->fatal) {
		xfer_free(t);
		mct_host_push_front(j->host, j);
		c->queued++;
		return;
	}
	j->tries++;
	mct_err e = {0};
	if (!mct_fetch_start(c->fetcher, j->url, &o, t, &e)) {
		xfer_free(t);
		c->fatal = e.code;
		*c->err = e;
		mct_job_free(j);
		return;
	}
	mct_host_started(j->host, now, c->cc->per_host_delay_ms);
}

/* Start what the limits allow: one job per host per round, round-robin. */
static void dispatch(crawl *c, double now)
{
	int progressed = 1;
	while (progressed && !c->fatal) {
		progressed = 0;
		for (size_t k = 0; k < c->hosts.n && !c->fatal; k++) {
			if (mct_fetcher_active(c->fetcher) >= (size_t)c->cc->concurrency)
				return;
			size_t idx = (c->hosts.next + k) % c->hosts.n;
			mct_host *h = c->hosts.v[idx];
			if (!h->head || !mct_host_may_start(h, now, c->cc->per_host_connections))
				continue;
			if (h->head->kind != MCT_JOB_ROBOTS && h->robots_state != MCT_ROBOTS_READY)
				continue;
			mct_job *j = mct_host_pop(h);
			c->queued--;
			progressed = 1;
			char why[512];
			if (j->kind != MCT_JOB_ROBOTS &&
			    !mct_host_allows(h, c->agent, j->url, why, sizeof why)) {
				/* no answer at all is a failure; a "no" is a skip */
				mct_capture_outcome o =
				    h->no_answer ? MCT_CAPTURE_FAILED : MCT_CAPTURE_SKIPPED;
				if (j->kind == MCT_JOB_PAGE)
					record_simple(c, j, o, why);
				else
					progress_line(c, c->src[j->src].cfg->id,
					              mct_capture_outcome_name(o), j->url, why);
				job_done(c, j);
				continue;
			}
			if (j->kind == MCT_JOB_PAGE && j->depth == 0)
				queue_sitemaps(c, j->src, h);
			start(c, j, now);
			c->hosts.next = (idx + 1) % c->hosts.n;
		}
	}
}

/* ---- finished transfers ---------------------------------------------------------- */

/* Requeue a failed try when the policy allows; returns 1 when it did. */
static int retry(crawl *c, mct_job *j, mct_fetch *x, double now)
{
	if (!x->retryable || j->tries > c->cc->retries)
		return 0;
	double wait;
	if (x->retry_after >= 0) {
		if (x->retry_after > MAX_RETRY_WAIT_S) {
			size_t n = strlen(x->reason);
			snprintf(x->reason + n, sizeof x->reason - n,
			         " (the server asked to wait %ld s; not retried in this run)",
			         x->retry_after);
			return 0;
		}
		wait = (double)x->retry_after;
	} else {
		wait = fmin(BACKOFF_BASE_S * pow(2, j->tries - 1), MAX_RETRY_WAIT_S);
	}
	mct_host_defer(j->host, now + wait);
	mct_host_push_front(j->host, j);
	c->queued++;
	return 1;
}

/* "HTTP 503 after 3 tries", "timed out after 2 s (3 tries)". */
static void say_tries(mct_fetch *x, int tries)
{
	if (tries < 2)
		return;
	size_t n = strlen(x->reason);
	if (x->kind == MCT_FETCH_HTTP_ERROR)
		snprintf(x->reason + n, sizeof x->reason - n, " after %d tries", tries);
	else
		snprintf(x->reason + n, sizeof x->reason - n, " (%d tries)", tries);
}

static void robots_done(mct_job *j, mct_fetch *x)
{
	mct_host *h = j->host;
	switch (x->kind) {
	case MCT_FETCH_OK:
		mct_host_set_robots(h, MCT_ROBOTS_FOUND, x->body.data, x->body.len, NULL);
		break;
	case MCT_FETCH_HTTP_ERROR:
		if (x->http_status >= 400 && x->http_status < 500 && x->http_status != 429)
			mct_host_set_robots(h, MCT_ROBOTS_UNAVAILABLE, NULL, 0, NULL);
		else
			mct_host_set_robots(h, MCT_ROBOTS_UNREACHABLE, NULL, 0, x->reason);
		break;
	case MCT_FETCH_NET_ERROR:
		/* RFC 9309 2.3.1.2: more than five redirects make it unavailable. */
		if (x->redirect_failed)
			mct_host_set_robots(h, MCT_ROBOTS_UNAVAILABLE, NULL, 0, NULL);
		else
			mct_host_set_robots(h, MCT_ROBOTS_NO_ANSWER, NULL, 0, x->reason);
		break;
	default:
		mct_host_set_robots(h, MCT_ROBOTS_UNAVAILABLE, NULL, 0, NULL);
		break;
	}
}

static void sitemap_done(crawl *c, mct_job *j, mct_fetch *x)
{
	csrc *s = &c->src[j->src];
	if (x->kind != MCT_FETCH_OK) {
		progress_line(c, s->cfg->id, "failed", j->url, x->reason);
		note_failure(s, j->url, x->reason);
		return;
	}
	mct_sitemap sm;
	mct_err e = {0};
	const char *base = x->final_url ? x->final_url : j->url;
	if (mct_sitemap_parse(x->body.data, x->body.len, j->url, &sm, &e)) {
		progress_line(c, s->cfg->id, "failed", j->url, e.msg);
		note_failure(s, j->url, e.msg);
		return;
	}
	for (size_t i = 0; i < sm.nsitemaps && j->sitemap_level + 1 < MAX_SITEMAP_LEVEL; i++) {
		char *u = mct_url_resolve(base, sm.sitemaps[i], NULL);
		if (u && s->sitemaps < MAX_SITEMAPS && mct_urlset_add(&s->seen, u)) {
			mct_job *k = new_job(MCT_JOB_SITEMAP, j->src, u, 1);
			k->sitemap_level = j->sitemap_level + 1;
			s->sitemaps++;
			s->outstanding++;
			enqueue(c, k);
			u = NULL;
		}
		free(u);
	}
	for (size_t i = 0; i < sm.nurls; i++) {
		char *u = mct_url_resolve(base, sm.urls[i], NULL);
		if (u)
			admit(c, j->src, u, 1);
		free(u);
	}
	mct_sitemap_free(&sm);
}

/* Links of an unchanged page whose body we did not download: re-parse the
 * stored body. */
static void links_from_store(crawl *c, xfer *t, const char *page_url)
{
	mct_buf body;
	mct_buf_init(&body);
	mct_err e = {0};
	if (mct_store_body(c->st, t->last_sha, &body, &e) == MCT_OK) {
		mct_text_type type = mct_text_type_parse(t->last_ttype ? t->last_ttype : "");
		if (type == MCT_TEXT_UNSUPPORTED)
			type = mct_text_type_detect(t->last_ctype, page_url, body.data, body.len);
		char *cs = charset_param(t->last_ctype);
		mct_text text = {0};
		if (type != MCT_TEXT_UNSUPPORTED &&
		    mct_text_extract(type, body.data, body.len, cs, NULL, &text, &e) == MCT_OK)
			follow_links(c, t->job, page_url, &text);
		mct_text_free(&text);
		free(cs);
	}
	mct_buf_free(&body);
}

/* A body arrived (or was read from disk): store it, or note it unchanged. */
static void handle_body(crawl *c, xfer *t, mct_capture *cap, const char *page_url, const char *body,
                        size_t len)
{
	mct_job *j = t->job;
	mct_text_type type = mct_text_type_detect(cap->content_type, page_url, body, len);
	if (type == MCT_TEXT_UNSUPPORTED) {
		char *mt = media_type(cap->content_type);
		char *why = mct_xasprintf("unsupported content type %s", mt);
		cap->outcome = MCT_CAPTURE_SKIPPED;
		cap->error = why;
		record(c, j, cap, NULL, 0, NULL);
		free(why);
		free(mt);
		return;
	}
	char sha[65];
	mct_sha256_hex(body, len, sha);
	cap->text_type = mct_text_type_name(type);
	int unchanged = t->have_last && strcmp(sha, t->last_sha) == 0;
	if (unchanged && !wants_links(c, j)) {
		cap->outcome = MCT_CAPTURE_UNCHANGED;
		memcpy(cap->sha256, sha, sizeof sha);
		record(c, j, cap, NULL, 0, NULL);
		return;
	}
	char *cs = charset_param(cap->content_type);
	mct_text text = {0};
	mct_err e = {0};
	if (mct_text_extract(type, body, len, cs, NULL, &text, &e) != MCT_OK) {
		char *why = mct_xasprintf("cannot extract text: %s", e.msg);
		cap->outcome = MCT_CAPTURE_FAILED;
		cap->error = why;
		record(c, j, cap, NULL, 0, NULL);
		free(why);
	} else if (unchanged) {
		cap->outcome = MCT_CAPTURE_UNCHANGED;
		memcpy(cap->sha256, sha, sizeof sha);
		record(c, j, cap, NULL, 0, NULL);
		follow_links(c, j, page_url, &text);
	} else {
		cap->outcome = t->have_last ? MCT_CAPTURE_CHANGED : MCT_CAPTURE_NEW;
		memcpy(cap->sha256, sha, sizeof sha); /* the store need not hash it again */
		cap->charset = text.charset[0] ? text.charset : NULL;
		cap->pages = text.pages;
		cap->title = text.title;
		cap->extractor = MCT_TEXT_EXTRACTOR_VERSION;
		record(c, j, cap, body, len, &text.text);
		follow_links(c, j, page_url, &text);
	}
	mct_text_free(&text);
	free(cs);
}

static void page_done(crawl *c, xfer *t, mct_fetch *x)
{
	mct_job *j = t->job;
	csrc *s = &c->src[j->src];
	mct_capture cap = {0};
	cap.http_status = x->http_status;
	cap.final_url = x->final_url;
	cap.content_type = x->content_type;
	cap.etag = x->etag;
	cap.last_modified = x->last_modified;
	cap.elapsed_s = x->elapsed_s;
	char *final = x->final_url ? mct_url_normalize(x->final_url, NULL) : NULL;
	const char *page_url = final ? final : j->url;
	if (final)
		mct_urlset_add(&s->seen, final); /* a redirect's target counts as seen */
	if (j->depth == 0 && final)
		add_host(s, final); /* links may stay on the host the start page moved to */
	switch (x->kind) {
	case MCT_FETCH_HTTP_ERROR:
	case MCT_FETCH_NET_ERROR:
		cap.outcome = MCT_CAPTURE_FAILED;
		cap.error = x->reason;
		record(c, j, &cap, NULL, 0, NULL);
		break;
	case MCT_FETCH_NOT_MODIFIED:
		if (!t->have_last) {
			cap.outcome = MCT_CAPTURE_FAILED;
			cap.error = "HTTP 304 to a request without validators";
			record(c, j, &cap, NULL, 0, NULL);
			break;
		}
		cap.outcome = MCT_CAPTURE_UNCHANGED;
		memcpy(cap.sha256, t->last_sha, sizeof cap.sha256);
		if (!cap.etag)
			cap.etag = t->last_etag;
		if (!cap.last_modified)
			cap.last_modified = t->last_lm;
		if (!cap.content_type)
			cap.content_type = t->last_ctype;
		cap.text_type = t->last_ttype;
		record(c, j, &cap, NULL, 0, NULL);
		if (wants_links(c, j) && !c->fatal)
			links_from_store(c, t, page_url);
		break;
	case MCT_FETCH_OK:
		handle_body(c, t, &cap, page_url, x->body.data ? x->body.data : "", x->body.len);
		break;
	}
	free(final);
}

static void finished(crawl *c, mct_fetch *x)
{
	xfer *t = x->user;
	mct_job *j = t->job;
	double now = mct_mono_now();
	mct_host_finished(j->host, now, c->cc->per_host_delay_ms);
	c->stats->bytes_downloaded += (size_t)(x->downloaded > 0 ? x->downloaded : 0);
	if (x->kind == MCT_FETCH_HTTP_ERROR || x->kind == MCT_FETCH_NET_ERROR) {
		if (retry(c, j, x, now)) {
			xfer_free(t);
			return;
		}
		say_tries(x, j->tries);
	}
	if (j->kind == MCT_JOB_ROBOTS)
		robots_done(j, x);
	else if (j->kind == MCT_JOB_SITEMAP)
		sitemap_done(c, j, x);
	else
		page_done(c, t, x);
	xfer_free(t);
	job_done(c, j);
}

/* ---- sources ----------------------------------------------------------------- */

/* A file:// source: one document read from disk. */
static void crawl_file(crawl *c, size_t si)
{
	csrc *s = &c->src[si];
	mct_job *j = new_job(MCT_JOB_PAGE, si, mct_xstrdup(s->cfg->url), 0);
	s->outstanding++;
	xfer *t = mct_xcalloc(1, sizeof *t);
	t->job = j;
	load_last(c, t);
	const char *path = s->cfg->url + strlen("file://");
	mct_buf body;
	mct_buf_init(&body);
	mct_err e = {0};
	double t0 = mct_mono_now();
	mct_status rc =
	    c->fatal ? c->fatal : mct_read_file(path, (size_t)c->cc->max_body_bytes, &body, &e);
	mct_capture cap = {0};
	cap.elapsed_s = mct_mono_now() - t0;
	if (c->fatal) {
		/* nothing: the crawl is ending */
	} else if (rc == MCT_ERR_LIMIT) {
		char size[32];
		mct_size_words(c->cc->max_body_bytes, size, sizeof size);
		char *why = mct_xasprintf("body over %s", size);
		cap.outcome = MCT_CAPTURE_SKIPPED;
		cap.error = why;
		record(c, j, &cap, NULL, 0, NULL);
		free(why);
	} else if (rc) {
		cap.outcome = MCT_CAPTURE_FAILED;
		cap.error = e.msg;
		record(c, j, &cap, NULL, 0, NULL);
	} else {
		handle_body(c, t, &cap, s->cfg->url, body.data ? body.data : "", body.len);
	}
	mct_buf_free(&body);
	xfer_free(t);
	job_done(c, j);
}

static void crawl_start_page(crawl *c, size_t si)
{
	csrc *s = &c->src[si];
	const char *why = NULL;
	char *url = mct_url_normalize(s->cfg->url, &why);
	if (!url) {
		mct_job *j = new_job(MCT_JOB_PAGE, si, mct_xstrdup(s->cfg->url), 0);
		s->outstanding++;
		char *msg = mct_xasprintf("cannot fetch this URL: %s", why ? why : "malformed URL");
		record_simple(c, j, MCT_CAPTURE_FAILED, msg);
		free(msg);
		job_done(c, j);
		return;
	}
	add_host(s, url);
	mct_urlset_add(&s->seen, url);
	s->admitted++;
	s->outstanding++;
	enqueue(c, new_job(MCT_JOB_PAGE, si, url, 0));
}

/* Compile the follow regex; a bad one fails the source (config.c does not
 * compile regexes). */
static int compile_follow(crawl *c, csrc *s)
{
	if (!s->cfg->follow || s->is_file)
		return 1;
	int code;
	PCRE2_SIZE off;
	s->follow =
	    pcre2_compile((PCRE2_SPTR)s->cfg->follow, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
	if (s->follow) {
		s->md = pcre2_match_data_create_from_pattern(s->follow, NULL);
		return 1;
	}
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(code, msg, sizeof msg);
	char *why = mct_xasprintf("%s:%d: [source:%s] follow = '%s': bad regular expression at "
	                          "offset %zu: %s",
	                          c->cfg->path, s->cfg->line, s->cfg->id, s->cfg->follow,
	                          (size_t)off, (const char *)msg);
	s->start_done = 1;
	s->start_outcome = MCT_CAPTURE_FAILED;
	s->start_error = why;
	mct_now_utc(s->start_at);
	progress_line(c, s->cfg->id, "failed", s->cfg->url, why);
	finalize_source(c, s);
	return 0;
}

static int selected(const mct_source *s, const char *const *only, size_t nonly)
{
	if (!s->enabled)
		return 0;
	if (!only)
		return 1;
	for (size_t i = 0; i < nonly; i++)
		if (strcmp(only[i], s->id) == 0)
			return 1;
	return 0;
}

static mct_status put_sources(crawl *c)
{
	mct_status rc = mct_store_begin(c->st, c->err);
	for (size_t i = 0; !rc && i < c->cfg->nsources; i++) {
		const mct_source *s = &c->cfg->sources[i];
		mct_store_source row = {s->id,  s->country, mct_kind_name(s->kind),
		                        s->url, s->lang,    s->enabled};
		rc = mct_store_source_put(c->st, &row, c->err);
	}
	if (!rc)
		rc = mct_store_commit(c->st, c->err);
	if (rc)
		mct_store_rollback(c->st);
	return rc;
}

static void free_sources(crawl *c)
{
	for (size_t i = 0; i < c->nsrc; i++) {
		csrc *s = &c->src[i];
		pcre2_match_data_free(s->md);
		pcre2_code_free(s->follow);
		mct_urlset_free(&s->seen);
		for (size_t k = 0; k < s->nhosts; k++)
			free(s->hosts[k]);
		free(s->hosts);
		free(s->start_error);
		free(s->first_failure);
	}
	free(c->src);
}

/* ---- the loop --------------------------------------------------------------------- */

static int wait_ms(const crawl *c, double now)
{
	double wait = MAX_WAIT_MS / 1000.0;
	for (size_t i = 0; i < c->hosts.n; i++) {
		const mct_host *h = c->hosts.v[i];
		if (h->head && h->next_start - now < wait)
			wait = h->next_start - now;
	}
	return wait <= 0 ? 0 : (int)ceil(wait * 1000);
}

static void run_loop(crawl *c, volatile sig_atomic_t *stop, int *interrupted)
{
	while (!c->fatal) {
		if (stop && *stop) {
			*interrupted = 1;
			return;
		}
		dispatch(c, mct_mono_now());
		if (c->fatal || (!mct_fetcher_active(c->fetcher) && c->queued == 0))
			return;
		mct_err e = {0};
		if (mct_fetcher_wait(c->fetcher, wait_ms(c, mct_mono_now()), &e)) {
			*c->err = e;
			c->fatal = e.code;
			return;
		}
		mct_fetch *x;
		while ((x = mct_fetcher_done(c->fetcher))) {
			finished(c, x);
			mct_fetch_free(c->fetcher, x);
		}
	}
}

mct_status mct_crawl(const mct_config *cfg, mct_store *st, int64_t run_id, const char *const *only,
                     size_t nonly, volatile sig_atomic_t *stop, FILE *progress,
                     mct_crawl_stats *stats, mct_err *err)
{
	mct_crawl_stats dummy;
	if (!stats)
		stats = &dummy;
	memset(stats, 0, sizeof *stats);
	for (size_t i = 0; only && i < nonly; i++)
		if (!mct_config_source(cfg, only[i]))
			return mct_fail(err, MCT_ERR_USAGE,
			                "unknown source '%s'; `mcthermo sources` lists them",
			                only[i]);
	crawl c = {0};
	c.cfg = cfg;
	c.cc = &cfg->crawler;
	c.st = st;
	c.run_id = run_id;
	c.progress = progress;
	c.stats = stats;
	c.err = err;
	product_token(cfg->crawler.user_agent, c.agent, sizeof c.agent);
	mct_status rc = put_sources(&c);
	if (rc)
		return rc;
	if ((rc = mct_fetcher_new(c.cc, &c.fetcher, err)))
		return rc;
	c.src = mct_xcalloc(cfg->nsources ? cfg->nsources : 1, sizeof *c.src);
	c.nsrc = cfg->nsources;
	for (size_t i = 0; i < c.nsrc; i++) {
		csrc *s = &c.src[i];
		s->cfg = &cfg->sources[i];
		s->is_file = strncmp(s->cfg->url, "file://", 7) == 0;
		s->max_pages = s->cfg->max_pages ? s->cfg->max_pages : c.cc->max_pages;
	}
	for (size_t i = 0; i < c.nsrc && !c.fatal; i++) {
		csrc *s = &c.src[i];
		if (!selected(s->cfg, only, nonly))
			continue;
		stats->sources_total++;
		if (!compile_follow(&c, s))
			continue;
		if (s->is_file)
			crawl_file(&c, i);
		else
			crawl_start_page(&c, i);
	}
	int interrupted = 0;
	run_loop(&c, stop, &interrupted);
	size_t abandoned = mct_fetcher_active(c.fetcher);
	mct_fetch *x;
	while ((x = mct_fetcher_running(c.fetcher))) {
		xfer *t = x->user;
		mct_job_free(t->job);
		xfer_free(t);
		mct_fetch_free(c.fetcher, x);
	}
	mct_fetcher_free(c.fetcher);
	/* Sources whose start page is done keep their status even when the
	 * crawl stopped before their linked pages. */
	for (size_t i = 0; i < c.nsrc; i++)
		finalize_source(&c, &c.src[i]);
	mct_hosts_free(&c.hosts);
	free_sources(&c);
	if (c.fatal)
		return c.fatal;
	if (interrupted)
		return mct_fail(
		    err, MCT_ERR_INTERRUPTED,
		    "crawl interrupted: %zu transfer%s abandoned; finished captures are kept",
		    abandoned, abandoned == 1 ? "" : "s");
	return MCT_OK;
}
