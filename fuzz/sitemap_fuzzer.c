/*
 * fuzz/sitemap_fuzzer.c - libFuzzer target for sitemap parsing
 * (crawler/sitemap.c).  Any input either parses or fails with a message;
 * what comes out is bounded by MCT_SITEMAP_MAX_URLS and every entry is a
 * non-empty string.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../crawler/crawl_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mct_sitemap sm;
	mct_err err = {0};
	if (mct_sitemap_parse(data, size, "fuzz.xml", &sm, &err) != MCT_OK) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	if (sm.nurls + sm.nsitemaps > MCT_SITEMAP_MAX_URLS)
		abort();
	for (size_t i = 0; i < sm.nurls; i++)
		if (!sm.urls[i][0])
			abort();
	for (size_t i = 0; i < sm.nsitemaps; i++)
		if (!sm.sitemaps[i][0])
			abort();
	mct_sitemap_free(&sm);
	return 0;
}
