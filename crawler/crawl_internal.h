/*
 * crawler/crawl_internal.h - the pieces of the crawl engine (crawl.c) that
 * live in their own files: URL handling (links.c), transfers (fetch.c),
 * per-host politeness and robots.txt (hosts.c) and sitemaps (sitemap.c).
 * Nothing outside crawler/ (and its tests) includes this; the contract is
 * "The crawl" part of crawler.h.
 */
#ifndef MCT_CRAWL_INTERNAL_H
#define MCT_CRAWL_INTERNAL_H

#include <curl/curl.h>
#include <stddef.h>

#include "crawler.h"

/* ---- URLs (links.c) ---------------------------------------------------- */

/* URLs longer than this are refused: no page the crawl wants is that long,
 * and it bounds what a hostile page can make us keep. */
#define MCT_URL_MAX 4096

/* Resolve `href` (as written in a page, may be relative) against the
 * absolute URL `base` and normalise the result: fragment dropped, scheme
 * and host in lower case, default port dropped, dot segments removed,
 * percent-escapes of unreserved characters decoded and the others in lower
 * case (curl's form).  Only http and https URLs without user names come out; anything else
 * returns NULL and points *why (may be NULL) at a short English reason
 * ("not an http(s) URL").  The result is a new string. */
char *mct_url_resolve(const char *base, const char *href, const char **why);
/* Normalise an absolute URL the same way (mct_url_resolve without a base). */
char *mct_url_normalize(const char *url, const char **why);
/* "scheme://host:port" of a normalised URL (the port always written): the
 * unit robots.txt and politeness apply to.  NULL when url is not http(s). */
char *mct_url_origin(const char *url);
/* The host name of a URL in lower case, NULL when it has none. */
char *mct_url_host(const char *url);

/* A set of strings (open addressing, FNV-1a), for de-duplicating URLs. */
typedef struct {
	char **slot;
	size_t cap; /* a power of two, or 0 */
	size_t n;
} mct_urlset;

/* Add a copy of s; returns 1 when it was added, 0 when already present. */
int mct_urlset_add(mct_urlset *set, const char *s);
int mct_urlset_has(const mct_urlset *set, const char *s);
void mct_urlset_free(mct_urlset *set);

/* ---- transfers (fetch.c) ---------------------------------------------- */

typedef struct mct_fetcher mct_fetcher;

typedef enum {
	MCT_FETCH_OK = 0,       /* a 2xx answer with its body */
	MCT_FETCH_NOT_MODIFIED, /* 304 to a conditional request */
	MCT_FETCH_HTTP_ERROR,   /* any other HTTP status */
	MCT_FETCH_NET_ERROR     /* no usable answer: reason says why */
} mct_fetch_kind;

typedef struct {
	const char *if_none_match;     /* stored ETag, or NULL */
	const char *if_modified_since; /* stored Last-Modified, or NULL */
	long long max_body;            /* decoded bytes */
	/* robots.txt: keep the first max_body bytes and count the transfer as
	 * complete instead of failing it. */
	int keep_prefix;
} mct_fetch_opts;

/* One transfer.  The fields above `priv_` are the result, valid once the
 * fetcher hands the transfer back as done. */
typedef struct mct_fetch {
	void *user;
	mct_fetch_kind kind;
	int http_status;     /* 0 when no HTTP answer */
	int retryable;       /* timeout, 5xx or 429 */
	int redirect_failed; /* too many redirects, or one to a refused scheme */
	long retry_after;    /* seconds asked by Retry-After, -1 when none */
	char *final_url;     /* after redirects */
	char *content_type;  /* NULL when none */
	char *etag;
	char *last_modified;
	mct_buf body;     /* decoded body */
	char reason[512]; /* why it failed, in words; "" on success */
	double elapsed_s;
	long long downloaded; /* bytes received on the wire */
	struct mct_fetch_priv *priv_;
} mct_fetch;

/* A fetcher owns one curl multi handle: the connection cache, DNS cache and
 * the limits of [crawler] (concurrency, per_host_connections, timeouts,
 * User-Agent, deny_private_networks). */
mct_status mct_fetcher_new(const struct mct_crawler_config *cfg, mct_fetcher **out, mct_err *err);
void mct_fetcher_free(mct_fetcher *f);
/* Start a transfer; it belongs to the fetcher until handed back by
 * mct_fetcher_done.  NULL with err set when curl refuses the handle. */
mct_fetch *mct_fetch_start(mct_fetcher *f, const char *url, const mct_fetch_opts *o, void *user,
                           mct_err *err);
/* Let transfers progress for at most timeout_ms (returns early when one
 * finishes or a signal arrives). */
mct_status mct_fetcher_wait(mct_fetcher *f, int timeout_ms, mct_err *err);
/* The next finished transfer, or NULL. */
mct_fetch *mct_fetcher_done(mct_fetcher *f);
/* Transfers started and not yet handed back. */
size_t mct_fetcher_active(const mct_fetcher *f);
/* One transfer still running (to abandon it), or NULL. */
mct_fetch *mct_fetcher_running(mct_fetcher *f);
/* Free a transfer (abandoning it when still running). */
void mct_fetch_free(mct_fetcher *f, mct_fetch *x);

/* "20 MB", "500 KiB", "1500 bytes": a configured size in the units it was
 * most likely written in. */
void mct_size_words(long long n, char *out, size_t outsz);

/* Monotonic clock, in seconds. */
double mct_mono_now(void);

/* 1 when the address is loopback, private, link-local, unspecified,
 * multicast or otherwise not a public unicast address (IPv4 and IPv6,
 * including IPv4-mapped IPv6).  `text` gets its printable form. */
struct sockaddr;
int mct_addr_is_private(const struct sockaddr *sa, char *text, size_t textsz);

/* ---- jobs, hosts, robots.txt (hosts.c) ---------------------------------- */

typedef enum { MCT_JOB_PAGE = 0, MCT_JOB_ROBOTS, MCT_JOB_SITEMAP } mct_job_kind;

struct mct_host;

/* One URL to fetch.  Pages and sitemaps belong to a source; robots.txt
 * belongs to its host. */
typedef struct mct_job {
	mct_job_kind kind;
	size_t src; /* index of the crawl's source (pages, sitemaps) */
	char *url;
	int depth;         /* 0 for the start page */
	int tries;         /* attempts made so far */
	int sitemap_level; /* 0 for a sitemap named by robots.txt */
	struct mct_host *host;
	struct mct_job *next;
} mct_job;

typedef enum {
	MCT_ROBOTS_UNKNOWN = 0, /* not asked for yet */
	MCT_ROBOTS_FETCHING,
	MCT_ROBOTS_READY
} mct_robots_state;

typedef struct mct_host {
	char *origin;      /* "https://example.org:443" */
	int active;        /* transfers running */
	double next_start; /* monotonic time before which none starts */
	mct_robots_state robots_state;
	mct_robots *robots;   /* NULL: everything allowed (or deny_all) */
	char *deny_all;       /* set: nothing allowed this run, and why */
	char *no_answer;      /* set: the host could not be reached, and why */
	mct_job *head, *tail; /* waiting jobs, FIFO */
} mct_host;

typedef struct {
	mct_host **v;
	size_t n;
	size_t next; /* round-robin position for the scheduler */
} mct_hosts;

/* The host of an origin, created on first use. */
mct_host *mct_hosts_get(mct_hosts *hs, const char *origin);
/* Free every host and the jobs still queued on them. */
void mct_hosts_free(mct_hosts *hs);
void mct_job_free(mct_job *j);

void mct_host_push(mct_host *h, mct_job *j);
void mct_host_push_front(mct_host *h, mct_job *j);
mct_job *mct_host_pop(mct_host *h);
/* 1 when a transfer to h may start now: below the per-host connection
 * limit and past the host's delay. */
int mct_host_may_start(const mct_host *h, double now, int per_host_connections);
void mct_host_started(mct_host *h, double now, int delay_ms);
void mct_host_finished(mct_host *h, double now, int delay_ms);
/* Start nothing on h before `until` (backoff, Retry-After). */
void mct_host_defer(mct_host *h, double until);

/* What the robots.txt fetch gave, in RFC 9309 (2.3.1) terms. */
typedef enum {
	MCT_ROBOTS_FOUND,       /* 2xx: parse the body */
	MCT_ROBOTS_UNAVAILABLE, /* 4xx, too many redirects: everything allowed */
	MCT_ROBOTS_UNREACHABLE, /* 5xx, 429: everything disallowed */
	MCT_ROBOTS_NO_ANSWER    /* network error: everything disallowed, as the
	                         * host cannot be reached */
} mct_robots_fetch;

/* Record the robots.txt result for the run; `why` says what happened for
 * UNREACHABLE and NO_ANSWER ("HTTP 503", "connection refused"). */
void mct_host_set_robots(mct_host *h, mct_robots_fetch how, const char *body, size_t n,
                         const char *why);
/* Whether `agent` may fetch url; when not, *why gets the reason in words
 * ("disallowed by robots.txt line 4 (Disallow: /private)"), or for a host
 * that gave no answer, the network's reason ("DNS lookup failed for x"). */
int mct_host_allows(const mct_host *h, const char *agent, const char *url, char *why, size_t whysz);

/* ---- sitemaps (sitemap.c) ------------------------------------------------ */

/* At most this many <loc> entries are read from one sitemap (the protocol's
 * own limit). */
#define MCT_SITEMAP_MAX_URLS 50000

typedef struct {
	char **urls; /* <urlset><url><loc>, as written */
	size_t nurls;
	char **sitemaps; /* <sitemapindex><sitemap><loc>, as written */
	size_t nsitemaps;
} mct_sitemap;

/* Parse a sitemap or sitemap index (XML; no network, no entities).  `name`
 * is used in messages. */
mct_status mct_sitemap_parse(const void *data, size_t n, const char *name, mct_sitemap *out,
                             mct_err *err);
void mct_sitemap_free(mct_sitemap *s);

#endif
