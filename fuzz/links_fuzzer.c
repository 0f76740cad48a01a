/*
 * fuzz/links_fuzzer.c - libFuzzer target for link extraction and URL
 * resolution, the path every href of a crawled page takes.
 *
 * The input's first line is the page's URL, the rest its HTML.  The HTML's
 * links (and <base href>) are extracted as the crawl does and resolved
 * against the page URL; the first line is also resolved against itself.
 * Every URL that comes out must be http(s), without fragment, white space
 * or control characters, no longer than MCT_URL_MAX, have an origin, and
 * normalise to itself (normalising twice changes nothing, which is what
 * de-duplication relies on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../crawler/crawl_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *url, mct_urlset *seen)
{
	if (!url)
		return;
	size_t n = strlen(url);
	if (n > MCT_URL_MAX ||
	    (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		abort();
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '#')
			abort();
	char *again = mct_url_normalize(url, NULL);
	if (!again || strcmp(again, url) != 0)
		abort();
	free(again);
	char *origin = mct_url_origin(url);
	if (!origin)
		abort();
	free(origin);
	mct_urlset_add(seen, url);
	if (!mct_urlset_has(seen, url))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t blen = nl ? (size_t)(nl - data) : size;
	char *base = malloc(blen + 1);
	memcpy(base, data, blen);
	base[blen] = 0;
	if (strlen(base) != blen) { /* a NUL inside: not a URL anyone could write */
		free(base);
		return 0;
	}
	mct_urlset seen = {0};
	char *self = mct_url_resolve(base, base, NULL);
	check(self, &seen);
	const char *page = self ? self : "http://example.org/dir/page.html";
	const uint8_t *html = nl ? nl + 1 : data + size;
	mct_text t;
	mct_err err;
	if (mct_text_extract(MCT_TEXT_HTML, html, size - (size_t)(html - data), NULL, NULL, &t,
	                     &err) == MCT_OK) {
		char *b = t.base_href ? mct_url_resolve(page, t.base_href, NULL) : NULL;
		check(b, &seen);
		for (size_t i = 0; i < t.nlinks; i++) {
			char *u = mct_url_resolve(b ? b : page, t.links[i], NULL);
			check(u, &seen);
			free(u);
		}
		free(b);
		mct_text_free(&t);
	}
	mct_urlset_free(&seen);
	free(self);
	free(base);
	return 0;
}
