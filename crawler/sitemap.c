/*
 * crawler/sitemap.c - reading sitemaps (sitemaps.org protocol 0.9).
 *
 * A source with `sitemap = yes` also crawls the URLs that the sitemaps
 * announced in its site's robots.txt list.  This file only turns one sitemap
 * document into its <loc> values: page URLs from a <urlset>, further sitemaps
 * from a <sitemapindex>.  What is done with them (resolution, the follow
 * regex, same-site, max_pages, how deep an index may nest) is crawl.c's.
 *
 * Parsing is libxml2's, with the network off and entities left unexpanded;
 * a document with a DTD is refused outright, since no sitemap needs one and a
 * DTD is the way in for entity expansion attacks.  Element names are matched
 * by local name, so a sitemap that forgets or misspells the namespace still
 * works.  Left out: gzip-compressed sitemap files (.xml.gz served without
 * Content-Encoding), <lastmod>/<priority> (the crawl fetches conditionally
 * anyway), and the plain-text and RSS sitemap formats.
 */
#include "crawl_internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

static int named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The trimmed text of the <loc> child of n, or NULL. */
static char *loc_of(const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!named(c, "loc"))
			continue;
		xmlChar *v = xmlNodeGetContent(c);
		if (!v)
			return NULL;
		const char *s = (const char *)v;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
		               s[len - 1] == '\r'))
			len--;
		char *out = len ? mct_xstrndup(s, len) : NULL;
		xmlFree(v);
		return out;
	}
	return NULL;
}

static void push(char ***v, size_t *n, char *s)
{
	*v = mct_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

mct_status mct_sitemap_parse(const void *data, size_t n, const char *name, mct_sitemap *out,
                             mct_err *err)
{
	memset(out, 0, sizeof *out);
	if (n > (size_t)INT32_MAX)
		return mct_fail(err, MCT_ERR_LIMIT, "%s: sitemap too large", name);
	xmlDoc *doc = xmlReadMemory(data, (int)n, name, NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		return mct_fail(err, MCT_ERR_PARSE, "%s: not a sitemap: %s", name,
		                e && e->message ? e->message : "not well-formed XML");
	}
	mct_status rc = MCT_OK;
	xmlNode *root = xmlDocGetRootElement(doc);
	if (doc->intSubset) {
		rc = mct_fail(err, MCT_ERR_PARSE, "%s: sitemap with a DTD refused", name);
		goto out;
	}
	int index = root && named(root, "sitemapindex");
	if (!root || (!index && !named(root, "urlset"))) {
		rc = mct_fail(
		    err, MCT_ERR_PARSE,
		    "%s: not a sitemap (the root element is not <urlset> or <sitemapindex>)", name);
		goto out;
	}
	size_t seen = 0;
	for (xmlNode *c = root->children; c && seen < MCT_SITEMAP_MAX_URLS; c = c->next) {
		if (!named(c, index ? "sitemap" : "url"))
			continue;
		char *loc = loc_of(c);
		if (!loc)
			continue;
		seen++;
		if (index)
			push(&out->sitemaps, &out->nsitemaps, loc);
		else
			push(&out->urls, &out->nurls, loc);
	}
out:
	xmlFreeDoc(doc);
	return rc;
}

void mct_sitemap_free(mct_sitemap *s)
{
	for (size_t i = 0; i < s->nurls; i++)
		free(s->urls[i]);
	for (size_t i = 0; i < s->nsitemaps; i++)
		free(s->sitemaps[i]);
	free(s->urls);
	free(s->sitemaps);
	memset(s, 0, sizeof *s);
}
