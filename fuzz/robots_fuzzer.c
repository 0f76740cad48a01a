/*
 * fuzz/robots_fuzzer.c - libFuzzer target for the robots.txt parser.
 *
 * The whole input is parsed as a robots.txt; its first line (up to 1 KiB) is
 * also checked as a path, so the fuzzer reaches URL splitting and
 * percent-encoding as well as the parser.  A path line such as
 * "/a/b?c" is one word without a colon, which the parser ignores, so seeds
 * can start with the path they want checked.  Besides memory errors (the
 * target is built with ASan and UBSan) it checks the verdict's invariants:
 * a disallow always names its rule, and the rule text fits its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../crawler/crawler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_verdict(const mct_robots *r, const char *agent, const char *path)
{
	mct_robots_verdict v = mct_robots_check(r, agent, path);
	size_t n = strnlen(v.rule, sizeof v.rule);
	if (n == sizeof v.rule || v.line < 0 || (v.line > 0) != (n > 0))
		abort();
	if (!v.allowed && v.line == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const agents[] = {"mcthermo", "FooBot/2.1", "*", ""};
	static const char *const paths[] = {"/", "/robots.txt", "/a/b?c=d#e",
	                                    "https://example.org/%7Euser/caf%C3%A9?q=*$"};
	char first[1024];
	size_t n = 0;
	while (n < size && n < sizeof first - 1 && data[n] != '\n' && data[n] != '\r')
		n++;
	memcpy(first, data, n);
	first[n] = '\0';

	mct_robots *r = mct_robots_parse((const char *)data, size);
	if (!r)
		return 0;
	for (size_t a = 0; a < sizeof agents / sizeof agents[0]; a++) {
		check_verdict(r, agents[a], first);
		for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++)
			check_verdict(r, agents[a], paths[p]);
	}
	for (size_t i = 0; i < mct_robots_sitemap_count(r); i++)
		if (!mct_robots_sitemap(r, i))
			abort();
	mct_robots_free(r);
	return 0;
}
