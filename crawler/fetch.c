/*
 * crawler/fetch.c - transfers over libcurl's multi interface.
 *
 * One curl multi handle runs every transfer of a crawl, so connections (and
 * HTTP/2 multiplexing) are shared and reused across pages of a host, and one
 * thread keeps `concurrency` transfers going without blocking.  This file
 * knows nothing of sources, depth or robots.txt: it starts a transfer with
 * the limits of [crawler], and when curl says it is done, turns curl's
 * result into a small verdict - a 2xx body, a 304, an HTTP error or a
 * network error - with a reason a person understands ("timed out after
 * 30 s", "body over 20 MB", "redirect to a non-http(s) URL refused") and
 * whether retrying may help (timeouts, 5xx, 429).  Scheduling, retries and
 * politeness are crawl.c's and hosts.c's.
 *
 * Limits are enforced where the bytes arrive: the write callback counts
 * decoded bytes (curl decompresses before calling it), so a small gzip body
 * that expands without end is cut off at max_body_bytes, and is told apart
 * from a plain large body by comparing decoded and received sizes.  A
 * Content-Length over the limit fails before the body is read
 * (CURLOPT_MAXFILESIZE_LARGE).  With deny_private_networks the check runs in
 * the socket callback, after DNS resolution and for every address curl tries
 * (redirect targets included), which is the only place a DNS answer cannot
 * slip past it.
 *
 * Left out: cookies (policy pages do not need a session), authentication,
 * proxies beyond curl's own environment variables (with a proxy, the private
 * network check sees the proxy's address).
 */
#include "crawl_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

/* Below this many bytes per second for the low-speed time, a transfer is
 * given up as a drip. */
#define LOW_SPEED_BYTES 100
/* Decoded bytes per received byte above which an over-limit body is called
 * a compression bomb rather than merely large. */
#define BOMB_RATIO 50

struct mct_fetch_priv {
	mct_fetcher *owner;
	CURL *easy;
	struct curl_slist *headers;
	long long max_body;
	int keep_prefix;
	int over_limit; /* the body passed max_body and the transfer was cut */
	int capped;     /* keep_prefix: stopped quietly at max_body */
	int encoded;    /* the answer came with a Content-Encoding */
	int running;    /* inside the multi handle */
	char *location; /* Location of the last response, for messages */
	int answered;   /* a status line arrived */
	int too_slow;   /* cut by the low-speed check */
	long slow_s;    /* the low-speed window, in seconds */
	double win_start;
	curl_off_t win_bytes;
	char refused[64];
	char errbuf[CURL_ERROR_SIZE];
};

struct mct_fetcher {
	CURLM *multi;
	const struct mct_crawler_config *cfg;
	size_t active;
	mct_fetch **running; /* started and not finished, to abandon on free */
	size_t nrunning;
	mct_fetch **done;
	size_t ndone, done_head, done_cap;
};

double mct_mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void mct_size_words(long long n, char *out, size_t outsz)
{
	static const struct {
		long long unit;
		const char *name;
	} units[] = {{1000LL * 1000 * 1000, "GB"},
	             {1024LL * 1024 * 1024, "GiB"},
	             {1000 * 1000, "MB"},
	             {1024 * 1024, "MiB"},
	             {1000, "kB"},
	             {1024, "KiB"}};
	/* The unit that divides n exactly with the smallest quotient: 512000
	 * was written "500 KiB", 20000000 "20 MB". */
	long long best = 0;
	const char *name = NULL;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (n >= units[i].unit && n % units[i].unit == 0 &&
		    (!name || n / units[i].unit < best)) {
			best = n / units[i].unit;
			name = units[i].name;
		}
	if (name)
		snprintf(out, outsz, "%lld %s", best, name);
	else if (n >= 1000 * 1000)
		snprintf(out, outsz, "%.1f MB", n / 1e6);
	else if (n >= 1000)
		snprintf(out, outsz, "%.1f kB", n / 1e3);
	else
		snprintf(out, outsz, "%lld bytes", n);
}

/* ---- private addresses ----------------------------------------------------- */

static int v4_private(uint32_t a)
{
	static const struct {
		uint32_t net;
		int bits;
	} r[] = {{0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},
	         {0xa9fe0000, 16}, {0xac100000, 12}, {0xc0000000, 24}, {0xc0a80000, 16},
	         {0xc6120000, 15}, {0xe0000000, 4},  {0xf0000000, 4}};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		uint32_t mask = 0xffffffffu << (32 - r[i].bits);
		if ((a & mask) == r[i].net)
			return 1;
	}
	return 0;
}

int mct_addr_is_private(const struct sockaddr *sa, char *text, size_t textsz)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)textsz);
		return v4_private(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family != AF_INET6) {
		snprintf(text, textsz, "address family %d", sa->sa_family);
		return 1;
	}
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
	const unsigned char *b = in6->sin6_addr.s6_addr;
	inet_ntop(AF_INET6, &in6->sin6_addr, text, (socklen_t)textsz);
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
	static const unsigned char zero[12] = {0};
	if (!memcmp(b, mapped, 12) || !memcmp(b, nat64, 12)) {
		uint32_t a =
		    (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
		return v4_private(a);
	}
	if (!memcmp(b, zero, 12))
		return 1;                          /* ::, ::1 and IPv4-compatible */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) /* fe80::/10 link-local */
		return 1;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) /* fec0::/10 site-local */
		return 1;
	if ((b[0] & 0xfe) == 0xfc) /* fc00::/7 unique local */
		return 1;
	if (b[0] == 0xff) /* multicast */
		return 1;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) /* documentation */
		return 1;
	return 0;
}

static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	mct_fetch *x = clientp;
	char text[64];
	if (purpose == CURLSOCKTYPE_IPCXN && mct_addr_is_private(&a->addr, text, sizeof text)) {
		if (!x->priv_->refused[0])
			snprintf(x->priv_->refused, sizeof x->priv_->refused, "%s", text);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* ---- callbacks ------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	mct_fetch *x = ud;
	struct mct_fetch_priv *pv = x->priv_;
	size_t n = size * nmemb;
	if ((long long)(x->body.len + n) > pv->max_body) {
		if (pv->keep_prefix) {
			mct_buf_append(&x->body, p,
			               (size_t)(pv->max_body - (long long)x->body.len));
			pv->capped = 1;
		} else {
			pv->over_limit = 1;
		}
		return 0; /* stops the transfer (CURLE_WRITE_ERROR) */
	}
	mct_buf_append(&x->body, p, n);
	return n;
}

/* The value of header `name` in line, trimmed, or NULL. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return NULL;
	const char *v = line + k + 1, *end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return mct_xstrndup(v, (size_t)(end - v));
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ud)
{
	mct_fetch *x = ud;
	size_t n = size * nmemb;
	char *v;
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or 100 Continue): forget the
		 * previous one's validators. */
		free(x->etag);
		free(x->last_modified);
		free(x->priv_->location);
		x->etag = x->last_modified = x->priv_->location = NULL;
		x->priv_->encoded = 0;
		x->priv_->answered = 1;
	} else if ((v = header_value(line, n, "ETag"))) {
		free(x->etag);
		x->etag = v;
	} else if ((v = header_value(line, n, "Last-Modified"))) {
		free(x->last_modified);
		x->last_modified = v;
	} else if ((v = header_value(line, n, "Location"))) {
		free(x->priv_->location);
		x->priv_->location = v;
	} else if ((v = header_value(line, n, "Content-Encoding"))) {
		x->priv_->encoded = *v && strcasecmp(v, "identity") != 0;
		free(v);
	}
	return n;
}

/* ---- the fetcher ------------------------------------------------------------- */

mct_status mct_fetcher_new(const struct mct_crawler_config *cfg, mct_fetcher **out, mct_err *err)
{
	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return mct_fail(err, MCT_ERR_NET, "cannot initialise libcurl");
	mct_fetcher *f = mct_xcalloc(1, sizeof *f);
	f->cfg = cfg;
	f->multi = curl_multi_init();
	if (!f->multi) {
		free(f);
		curl_global_cleanup();
		return mct_fail(err, MCT_ERR_NET, "cannot create a libcurl multi handle");
	}
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)cfg->concurrency);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)cfg->per_host_connections);
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)cfg->concurrency * 2);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	*out = f;
	return MCT_OK;
}

void mct_fetcher_free(mct_fetcher *f)
{
	if (!f)
		return;
	while (f->nrunning)
		mct_fetch_free(f, f->running[f->nrunning - 1]);
	for (size_t i = f->done_head; i < f->ndone; i++)
		mct_fetch_free(f, f->done[i]);
	free(f->done);
	free(f->running);
	curl_multi_cleanup(f->multi);
	free(f);
	curl_global_cleanup();
}

size_t mct_fetcher_active(const mct_fetcher *f)
{
	return f->active;
}

mct_fetch *mct_fetcher_running(mct_fetcher *f)
{
	return f->nrunning ? f->running[f->nrunning - 1] : NULL;
}

/* Forget a transfer that left the multi handle. */
static void unlist(mct_fetcher *f, mct_fetch *x)
{
	for (size_t i = 0; i < f->nrunning; i++)
		if (f->running[i] == x) {
			f->running[i] = f->running[--f->nrunning];
			break;
		}
	x->priv_->running = 0;
	f->active--;
}

void mct_fetch_free(mct_fetcher *f, mct_fetch *x)
{
	if (!x)
		return;
	struct mct_fetch_priv *pv = x->priv_;
	if (pv->running) {
		curl_multi_remove_handle(f->multi, pv->easy);
		unlist(f, x);
	}
	curl_easy_cleanup(pv->easy);
	curl_slist_free_all(pv->headers);
	free(pv->location);
	free(pv);
	free(x->final_url);
	free(x->content_type);
	free(x->etag);
	free(x->last_modified);
	mct_buf_free(&x->body);
	free(x);
}

static void add_header(mct_fetch *x, const char *name, const char *value)
{
	char *h = mct_xasprintf("%s: %s", name, value);
	struct curl_slist *l = curl_slist_append(x->priv_->headers, h);
	free(h);
	if (l)
		x->priv_->headers = l;
}

/* The low-speed window: half the total timeout (at least one second), so
 * that a drip is cut, and told apart from a timeout, before the timeout. */
static long low_speed_time(const struct mct_crawler_config *cfg)
{
	return cfg->timeout_s >= 2 ? cfg->timeout_s / 2 : 1;
}

/* The low-speed check.  curl's own (CURLOPT_LOW_SPEED_*) also counts the
 * wait for the answer, so a server that never answers would be reported as
 * "too slow" at half the timeout; here the clock starts with the status
 * line, and a silent server runs into the timeout and is called that. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	(void)dltotal;
	(void)ultotal;
	(void)ulnow;
	struct mct_fetch_priv *pv = ((mct_fetch *)ud)->priv_;
	if (!pv->answered)
		return 0;
	double now = mct_mono_now();
	if (pv->win_start == 0) {
		pv->win_start = now;
		pv->win_bytes = dlnow;
		return 0;
	}
	double span = now - pv->win_start;
	if (span < (double)pv->slow_s)
		return 0;
	if ((double)(dlnow - pv->win_bytes) < LOW_SPEED_BYTES * span) {
		pv->too_slow = 1;
		return 1; /* CURLE_ABORTED_BY_CALLBACK */
	}
	pv->win_start = now;
	pv->win_bytes = dlnow;
	return 0;
}

mct_fetch *mct_fetch_start(mct_fetcher *f, const char *url, const mct_fetch_opts *o, void *user,
                           mct_err *err)
{
	const struct mct_crawler_config *cfg = f->cfg;
	mct_fetch *x = mct_xcalloc(1, sizeof *x);
	struct mct_fetch_priv *pv = mct_xcalloc(1, sizeof *pv);
	x->priv_ = pv;
	x->user = user;
	x->retry_after = -1;
	mct_buf_init(&x->body);
	pv->owner = f;
	pv->max_body = o->max_body;
	pv->keep_prefix = o->keep_prefix;
	pv->easy = curl_easy_init();
	if (!pv->easy) {
		mct_fetch_free(f, x);
		mct_fail(err, MCT_ERR_NET, "%s: cannot create a libcurl handle", url);
		return NULL;
	}
	CURL *e = pv->easy;
	if (o->if_none_match && *o->if_none_match)
		add_header(x, "If-None-Match", o->if_none_match);
	if (o->if_modified_since && *o->if_modified_since)
		add_header(x, "If-Modified-Since", o->if_modified_since);
	add_header(x, "Accept",
	           "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5");
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_USERAGENT, cfg->user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, pv->headers);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	/* The one setting that keeps a redirect from reading local files: fail
	 * rather than run without it (the _STR options need curl 7.85). */
	if (curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK) {
		mct_fetch_free(f, x);
		mct_fail(err, MCT_ERR_NET,
		         "libcurl %s cannot restrict transfers to http and https (7.85 or newer "
		         "is needed)",
		         curl_version_info(CURLVERSION_NOW)->version);
		return NULL;
	}
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)cfg->timeout_s);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)cfg->timeout_s);
	pv->slow_s = low_speed_time(cfg);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
	if (!o->keep_prefix)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, pv->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	if (cfg->deny_private_networks) {
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
	}
	CURLMcode mc = curl_multi_add_handle(f->multi, e);
	if (mc != CURLM_OK) {
		mct_fetch_free(f, x);
		mct_fail(err, MCT_ERR_NET, "%s: cannot start the transfer: %s", url,
		         curl_multi_strerror(mc));
		return NULL;
	}
	pv->running = 1;
	f->running = mct_xrealloc(f->running, (f->nrunning + 1) * sizeof *f->running);
	f->running[f->nrunning++] = x;
	f->active++;
	return x;
}

/* ---- verdicts ------------------------------------------------------------------ */

/* curl enforces timeout_s for the connection and for the whole transfer,
 * so that is the figure to give (its own clock may stop a hair early). */
static void timeout_reason(mct_fetch *x, const struct mct_crawler_config *cfg)
{
	if (strstr(x->priv_->errbuf, "onnection time"))
		snprintf(x->reason, sizeof x->reason, "timed out connecting after %d s",
		         cfg->timeout_s);
	else
		snprintf(x->reason, sizeof x->reason, "timed out after %d s", cfg->timeout_s);
}

static void net_reason(mct_fetch *x, CURLcode res, const struct mct_crawler_config *cfg)
{
	struct mct_fetch_priv *pv = x->priv_;
	CURL *e = pv->easy;
	char size[32], a[32];
	long oserr = 0;
	curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &oserr);
	mct_size_words(pv->max_body, size, sizeof size);
	char *host = x->final_url ? mct_url_host(x->final_url) : NULL;
	switch (res) {
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(x->reason, sizeof x->reason, "DNS lookup failed for %s",
		         host ? host : "the host");
		break;
	case CURLE_COULDNT_CONNECT:
		if (pv->refused[0])
			snprintf(x->reason, sizeof x->reason,
			         "refused: resolves to a private address (%s)", pv->refused);
		else if (oserr == ECONNREFUSED)
			snprintf(x->reason, sizeof x->reason, "connection refused");
		else if (oserr == ENETUNREACH || oserr == EHOSTUNREACH)
			snprintf(x->reason, sizeof x->reason, "%s unreachable",
			         oserr == ENETUNREACH ? "network" : "host");
		else
			snprintf(x->reason, sizeof x->reason, "could not connect (%s)",
			         pv->errbuf[0] ? pv->errbuf : curl_easy_strerror(res));
		break;
	case CURLE_OPERATION_TIMEDOUT:
		timeout_reason(x, cfg);
		x->retryable = 1;
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		if (pv->too_slow) {
			snprintf(x->reason, sizeof x->reason,
			         "too slow: under %d bytes/s for %ld s (got %lld bytes)",
			         LOW_SPEED_BYTES, pv->slow_s, x->downloaded);
			x->retryable = 1;
		} else {
			snprintf(x->reason, sizeof x->reason, "transfer stopped");
		}
		break;
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_WRITE_ERROR:
		if (pv->over_limit && pv->encoded && x->downloaded > 0 &&
		    (long long)x->body.len + 1 > x->downloaded * BOMB_RATIO) {
			mct_size_words(x->downloaded, a, sizeof a);
			snprintf(
			    x->reason, sizeof x->reason,
			    "gzip bomb: compressed body over limit (%s received expand past %s)", a,
			    size);
		} else if (pv->over_limit || res == CURLE_FILESIZE_EXCEEDED) {
			snprintf(x->reason, sizeof x->reason, "body over %s", size);
		} else {
			snprintf(x->reason, sizeof x->reason, "could not store the body (%s)",
			         pv->errbuf);
		}
		break;
	case CURLE_PARTIAL_FILE: {
		curl_off_t want = -1;
		curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &want);
		if (want > 0)
			snprintf(x->reason, sizeof x->reason,
			         "truncated body (got %lld of %lld bytes)", x->downloaded,
			         (long long)want);
		else
			snprintf(x->reason, sizeof x->reason, "truncated body");
		break;
	}
	case CURLE_UNSUPPORTED_PROTOCOL: {
		const char *to = NULL;
		long redirects = 0;
		curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
		curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &to);
		if (!to)
			to = pv->location;
		x->redirect_failed =
		    redirects > 0 || (x->http_status >= 300 && x->http_status < 400) || to;
		if (x->redirect_failed)
			snprintf(x->reason, sizeof x->reason,
			         "redirect to a non-http(s) URL refused%s%s%s", to ? " (" : "",
			         to ? to : "", to ? ")" : "");
		else
			snprintf(x->reason, sizeof x->reason, "not an http(s) URL");
		break;
	}
	case CURLE_TOO_MANY_REDIRECTS:
		x->redirect_failed = 1;
		snprintf(x->reason, sizeof x->reason, "too many redirects (more than 5)");
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		snprintf(x->reason, sizeof x->reason, "TLS certificate problem (%s)",
		         pv->errbuf[0] ? pv->errbuf : curl_easy_strerror(res));
		break;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(x->reason, sizeof x->reason, "TLS handshake failed (%s)",
		         pv->errbuf[0] ? pv->errbuf : curl_easy_strerror(res));
		break;
	case CURLE_GOT_NOTHING:
		snprintf(x->reason, sizeof x->reason,
		         "the server closed the connection without answering");
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (oserr == ECONNRESET || strstr(pv->errbuf, "reset by peer"))
			snprintf(x->reason, sizeof x->reason, "connection reset by the server");
		else
			snprintf(x->reason, sizeof x->reason, "connection broken (%s)",
			         pv->errbuf[0] ? pv->errbuf : curl_easy_strerror(res));
		break;
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(x->reason, sizeof x->reason, "damaged compressed body (%s)",
		         pv->errbuf[0] ? pv->errbuf : curl_easy_strerror(res));
		break;
	case CURLE_URL_MALFORMAT:
		snprintf(x->reason, sizeof x->reason, "malformed URL");
		break;
	default:
		snprintf(x->reason, sizeof x->reason, "%s%s%s", curl_easy_strerror(res),
		         pv->errbuf[0] ? ": " : "", pv->errbuf);
		break;
	}
	free(host);
}

static void judge(mct_fetcher *f, mct_fetch *x, CURLcode res)
{
	CURL *e = x->priv_->easy;
	long code = 0;
	char *url = NULL, *ctype = NULL;
	curl_off_t dl = 0, ra = -1;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &url);
	curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &dl);
	curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &x->elapsed_s);
	if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		x->retry_after = (long)ra;
	x->http_status = (int)code;
	x->final_url = url ? mct_xstrdup(url) : NULL;
	x->content_type = ctype ? mct_xstrdup(ctype) : NULL;
	x->downloaded = (long long)dl;
	if (res == CURLE_WRITE_ERROR && x->priv_->capped)
		res = CURLE_OK;
	if (res != CURLE_OK) {
		x->kind = MCT_FETCH_NET_ERROR;
		net_reason(x, res, f->cfg);
		return;
	}
	if (code == 304) {
		x->kind = MCT_FETCH_NOT_MODIFIED;
	} else if (code >= 200 && code < 300) {
		x->kind = MCT_FETCH_OK;
	} else {
		x->kind = MCT_FETCH_HTTP_ERROR;
		x->retryable = code >= 500 || code == 429;
		snprintf(x->reason, sizeof x->reason, "HTTP %ld", code);
	}
}

mct_status mct_fetcher_wait(mct_fetcher *f, int timeout_ms, mct_err *err)
{
	int running = 0;
	CURLMcode mc = curl_multi_poll(f->multi, NULL, 0, timeout_ms, NULL);
	if (mc == CURLM_OK)
		mc = curl_multi_perform(f->multi, &running);
	if (mc != CURLM_OK)
		return mct_fail(err, MCT_ERR_NET, "libcurl: %s", curl_multi_strerror(mc));
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(f->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		mct_fetch *x = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		CURLcode res = m->data.result;
		curl_multi_remove_handle(f->multi, m->easy_handle);
		unlist(f, x);
		judge(f, x, res);
		if (f->ndone == f->done_cap) {
			f->done_cap = f->done_cap ? f->done_cap * 2 : 16;
			f->done = mct_xrealloc(f->done, f->done_cap * sizeof *f->done);
		}
		f->done[f->ndone++] = x;
	}
	return MCT_OK;
}

mct_fetch *mct_fetcher_done(mct_fetcher *f)
{
	if (f->done_head == f->ndone) {
		f->done_head = f->ndone = 0;
		return NULL;
	}
	return f->done[f->done_head++];
}
