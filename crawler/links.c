/*
 * crawler/links.c - URL resolution, normalisation and de-duplication.
 *
 * Every URL the crawl meets (a configured start page, an <a href>, a
 * sitemap <loc>, a redirect target) passes through here before it is
 * compared, queued or stored, so that one page has one spelling per run:
 * that is what makes de-duplication, max_pages and "the last capture of this
 * URL" work.  Parsing and reference resolution are curl's URL API
 * (curl_url_set resolves a relative URL against the handle's URL, removes dot
 * segments and percent-encodes spaces and non-ASCII bytes), which is also
 * what the transfer uses, so what we compare is what we fetch.
 *
 * On top of curl this file does what curl 7.88 leaves out or gets wrong:
 *   - HTML's treatment of href values: leading and trailing white space is
 *     dropped, tabs and line breaks inside are removed;
 *   - an empty or fragment-only reference means the base document itself
 *     (curl resolves "" and "#x" to the base's folder);
 *   - host names are lower-cased; escapes of unreserved characters are
 *     decoded (RFC 3986 6.2.2: %7E becomes "~") except that an escaped "."
 *     is kept escaped, so normalising never creates new dot segments; other
 *     escapes keep curl's lower-case hex (%2f);
 *   - only http and https are accepted, and URLs carrying a user name or
 *     password are refused (a crawler has no business sending credentials a
 *     page put in a link).
 * Left out: IDNA mapping of non-ASCII host names (curl converts them when it
 * connects), removal of "index.html" or trailing slashes, query parameter
 * sorting - those change what a server may answer and are not safe to guess.
 */
#include "crawl_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Copy href without surrounding ASCII white space and without the tabs and
 * line breaks HTML allows inside an attribute value. */
static char *clean_href(const char *href)
{
	while (*href == ' ' || *href == '\t' || *href == '\n' || *href == '\r' || *href == '\f')
		href++;
	size_t n = strlen(href);
	while (n && (href[n - 1] == ' ' || href[n - 1] == '\t' || href[n - 1] == '\n' ||
	             href[n - 1] == '\r' || href[n - 1] == '\f'))
		n--;
	char *out = mct_xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (href[i] != '\t' && href[i] != '\n' && href[i] != '\r')
			out[k++] = href[i];
	out[k] = 0;
	return out;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Normalise percent-escapes (RFC 3986 6.2.2.1 and 6.2.2.2) into a new
 * string.  The RFC prefers upper-case hex digits, but curl stores escapes in
 * lower case whatever it is given, so lower case is the one form we can
 * hold.  A '%' that starts no escape becomes "%25": left alone, it could
 * join the characters a decoded escape puts after it ("%4%43" would become
 * "%4C", a new escape), and normalising twice would not give the same URL. */
static char *normalize_escapes(const char *s)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_append(&b, "", 0); /* "" for an empty input, not NULL */
	for (const char *r = s; *r;) {
		int hi = -1, lo = -1;
		if (r[0] == '%' && (hi = hexval((unsigned char)r[1])) >= 0 &&
		    (lo = hexval((unsigned char)r[2])) >= 0) {
			int c = hi * 16 + lo;
			if (isalnum(c) || c == '-' || c == '_' || c == '~')
				mct_buf_putc(&b, (char)c);
			else
				mct_buf_printf(&b, "%%%c%c", tolower((unsigned char)r[1]),
				               tolower((unsigned char)r[2]));
			r += 3;
		} else if (r[0] == '%') {
			mct_buf_puts(&b, "%25");
			r++;
		} else {
			mct_buf_putc(&b, *r++);
		}
	}
	return mct_buf_steal(&b);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Check and normalise what the handle holds; returns the URL string. */
static char *finish(CURLU *u, const char **why)
{
	char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL, *path = NULL, *query = NULL;
	char *url = NULL, *out = NULL;
	const char *reason = NULL;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		reason = "not an http(s) URL";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
		reason = "URL without a host";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
		reason = "URL with a user name or password";
		goto out;
	}
	lower(host);
	curl_url_set(u, CURLUPART_HOST, host, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
		char *n = normalize_escapes(path);
		curl_url_set(u, CURLUPART_PATH, n, 0);
		free(n);
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
		char *n = normalize_escapes(query);
		curl_url_set(u, CURLUPART_QUERY, n, 0);
		free(n);
	}
	if (curl_url_get(u, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT) != CURLUE_OK) {
		reason = "malformed URL";
		goto out;
	}
	if (strlen(url) > MCT_URL_MAX) {
		reason = "URL too long";
		goto out;
	}
	out = mct_xstrdup(url);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pass);
	curl_free(path);
	curl_free(query);
	curl_free(url);
	if (why)
		*why = reason;
	return out;
}

/* Map a parse failure to words. */
static const char *parse_reason(CURLUcode rc)
{
	return rc == CURLUE_UNSUPPORTED_SCHEME ? "not an http(s) URL" : "malformed URL";
}

char *mct_url_resolve(const char *base, const char *href, const char **why)
{
	char *ref = clean_href(href);
	char *hash = strchr(ref, '#');
	if (hash)
		*hash = 0; /* the fragment never reaches the server */
	char *out = NULL;
	CURLU *u = curl_url();
	if (!u) {
		if (why)
			*why = "out of memory";
		goto out;
	}
	if (strlen(ref) > MCT_URL_MAX || strlen(base) > MCT_URL_MAX) {
		if (why)
			*why = "URL too long";
		goto out;
	}
	CURLUcode rc = curl_url_set(u, CURLUPART_URL, base, 0);
	if (rc != CURLUE_OK) {
		if (why)
			*why = parse_reason(rc);
		goto out;
	}
	/* An empty reference is the base document itself (RFC 3986 5.2.2). */
	if (*ref && (rc = curl_url_set(u, CURLUPART_URL, ref, 0)) != CURLUE_OK) {
		if (why)
			*why = parse_reason(rc);
		goto out;
	}
	out = finish(u, why);
out:
	curl_url_cleanup(u);
	free(ref);
	return out;
}

char *mct_url_normalize(const char *url, const char **why)
{
	char *ref = clean_href(url);
	char *hash = strchr(ref, '#');
	if (hash)
		*hash = 0;
	char *out = NULL;
	CURLU *u = curl_url();
	CURLUcode rc;
	if (!u) {
		if (why)
			*why = "out of memory";
	} else if (strlen(ref) > MCT_URL_MAX) {
		if (why)
			*why = "URL too long";
	} else if ((rc = curl_url_set(u, CURLUPART_URL, ref, 0)) != CURLUE_OK) {
		if (why)
			*why = parse_reason(rc);
	} else {
		out = finish(u, why);
	}
	curl_url_cleanup(u);
	free(ref);
	return out;
}

char *mct_url_origin(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (!strcmp(scheme, "http") || !strcmp(scheme, "https")) &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		lower(host);
		out = mct_xasprintf("%s://%s:%s", scheme, host, port);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

char *mct_url_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host) {
		lower(host);
		out = mct_xstrdup(host);
	}
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}

/* ---- the URL set ------------------------------------------------------------ */

static size_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static size_t find_slot(char **slot, size_t cap, const char *s)
{
	size_t i = fnv1a(s) & (cap - 1);
	while (slot[i] && strcmp(slot[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void grow(mct_urlset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	char **slot = mct_xcalloc(cap, sizeof *slot);
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i])
			slot[find_slot(slot, cap, set->slot[i])] = set->slot[i];
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
}

int mct_urlset_add(mct_urlset *set, const char *s)
{
	/* Keep the load under 1/2 so probes stay short. */
	if ((set->n + 1) * 2 > set->cap)
		grow(set);
	size_t i = find_slot(set->slot, set->cap, s);
	if (set->slot[i])
		return 0;
	set->slot[i] = mct_xstrdup(s);
	set->n++;
	return 1;
}

int mct_urlset_has(const mct_urlset *set, const char *s)
{
	return set->cap && set->slot[find_slot(set->slot, set->cap, s)] != NULL;
}

void mct_urlset_free(mct_urlset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof *set);
}
