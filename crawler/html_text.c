/*
 * crawler/html_text.c - the visible text of an HTML page, plus its title,
 * <base href> and the raw href of every link.
 *
 * The page is first decoded to UTF-8 (charset.c) and handed to libxml2's
 * HTML parser as UTF-8 with HTML_PARSE_IGNORE_ENC, so a <meta charset> can
 * never make libxml2 decode the bytes a second time.  The parser runs in SAX
 * mode: no tree is built, so a 20 MB page costs a few copies of its bytes
 * (about 100 MB at the peak) rather than a DOM, and nothing here recurses:
 * 100000 nested elements cost an array of 100000 small entries instead of
 * stack frames.  libxml2 balances the markup (implied and auto-closed
 * elements get their end events), and this module mirrors its element stack
 * to know, for each piece of text, whether it is hidden, inside a heading or
 * preformatted.
 *
 * What counts as visible is decided from the markup alone: script, style,
 * template, noscript, svg and other non-rendered or fallback content go, so
 * does everything in <head> except the title, and so do elements with the
 * hidden attribute, aria-hidden="true" or an inline style of display:none or
 * visibility:hidden (except on <html> and <body>, which pages hide only
 * until their scripts have run).  Class-based hiding in style sheets is not
 * seen (no CSS engine); navigation, tables and footers are kept on purpose
 * because the evidence is sometimes there.  A visibility:visible child of a
 * hidden element is dropped with its parent.
 *
 * Links are collected from the whole document, hidden parts included (menus
 * hidden until hovered are still the site's links), but not from inert
 * <template> content.
 *
 * Known limit: libxml2 looks an end tag up through its whole element stack,
 * so a page both nested tens of thousands deep and full of end tags that
 * match nothing costs depth x tags (10^5 x 10^5 takes about 20 s).  Real
 * pages are nowhere near; a parse budget would need libxml2's help.
 */
#include "text_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	EL_BLOCK = 1 << 0,    /* ends a line before and after */
	EL_DROP = 1 << 1,     /* its content is not rendered */
	EL_HEAD = 1 << 2,     /* <head>: only the title is kept */
	EL_TITLE = 1 << 3,    /* <title> */
	EL_PRE = 1 << 4,      /* line breaks in its text are kept */
	EL_INERT = 1 << 5,    /* <template>: not part of the document at all */
	EL_BOUNDARY = 1 << 6, /* (applied only) a line was ended on entry */
	EL_HEADING = 1 << 7   /* (applied only) it started the current heading */
};
#define EL_LEVEL(n)    ((unsigned)(n) << 8)
#define EL_LEVEL_OF(f) (((f) >> 8) & 7u)

static const struct element {
	const char *name;
	unsigned flags;
} elements[] = {
    /* sorted by name for bsearch */
    {"address", EL_BLOCK},
    {"article", EL_BLOCK},
    {"aside", EL_BLOCK},
    {"audio", EL_DROP},
    {"blockquote", EL_BLOCK},
    {"body", EL_BLOCK},
    {"br", EL_BLOCK},
    {"canvas", EL_DROP},
    {"caption", EL_BLOCK},
    {"center", EL_BLOCK},
    {"datalist", EL_DROP},
    {"dd", EL_BLOCK},
    {"details", EL_BLOCK},
    {"dialog", EL_BLOCK},
    {"dir", EL_BLOCK},
    {"div", EL_BLOCK},
    {"dl", EL_BLOCK},
    {"dt", EL_BLOCK},
    {"fieldset", EL_BLOCK},
    {"figcaption", EL_BLOCK},
    {"figure", EL_BLOCK},
    {"footer", EL_BLOCK},
    {"form", EL_BLOCK},
    {"frameset", EL_BLOCK},
    {"h1", EL_BLOCK | EL_LEVEL(1)},
    {"h2", EL_BLOCK | EL_LEVEL(2)},
    {"h3", EL_BLOCK | EL_LEVEL(3)},
    {"h4", EL_BLOCK | EL_LEVEL(4)},
    {"h5", EL_BLOCK | EL_LEVEL(5)},
    {"h6", EL_BLOCK | EL_LEVEL(6)},
    {"head", EL_HEAD},
    {"header", EL_BLOCK},
    {"hgroup", EL_BLOCK},
    {"hr", EL_BLOCK},
    {"html", EL_BLOCK},
    {"iframe", EL_DROP},
    {"legend", EL_BLOCK},
    {"li", EL_BLOCK},
    {"listing", EL_BLOCK | EL_PRE},
    {"main", EL_BLOCK},
    {"menu", EL_BLOCK},
    {"nav", EL_BLOCK},
    {"noembed", EL_DROP},
    {"noframes", EL_DROP},
    {"noscript", EL_DROP},
    {"ol", EL_BLOCK},
    {"optgroup", EL_BLOCK},
    {"option", EL_BLOCK},
    {"p", EL_BLOCK},
    {"plaintext", EL_BLOCK | EL_PRE},
    {"pre", EL_BLOCK | EL_PRE},
    {"script", EL_DROP},
    {"search", EL_BLOCK},
    {"section", EL_BLOCK},
    {"style", EL_DROP},
    {"summary", EL_BLOCK},
    {"svg", EL_DROP},
    {"table", EL_BLOCK},
    {"tbody", EL_BLOCK},
    {"td", EL_BLOCK},
    {"template", EL_DROP | EL_INERT},
    {"textarea", EL_BLOCK},
    {"tfoot", EL_BLOCK},
    {"th", EL_BLOCK},
    {"thead", EL_BLOCK},
    {"title", EL_BLOCK | EL_TITLE},
    {"tr", EL_BLOCK},
    {"ul", EL_BLOCK},
    {"video", EL_DROP},
    {"xmp", EL_BLOCK | EL_PRE},
};

struct open_elem {
	const xmlChar *name;
	unsigned flags;   /* from the table and the attributes */
	unsigned applied; /* what entering it changed, undone on leaving */
};

struct html_state {
	mct_text *out;
	mct_tw w;
	mct_buf title;
	mct_tw title_w;
	int title_done;   /* the first non-empty <title> has been read */
	unsigned drop;    /* open elements whose content is not rendered */
	unsigned head;    /* open <head> elements */
	unsigned intitle; /* open <title> elements */
	unsigned pre;     /* open preformatted elements */
	unsigned inert;   /* open <template> elements */
	int heading;      /* inside a heading */
	struct open_elem *stack;
	size_t depth, cap;
	size_t links_cap;
};

/* ---- element and attribute rules ------------------------------------- */

static int element_cmp(const void *key, const void *e)
{
	return strcasecmp(key, ((const struct element *)e)->name);
}

static unsigned element_flags(const xmlChar *name)
{
	const struct element *e = bsearch(name, elements, sizeof elements / sizeof elements[0],
	                                  sizeof elements[0], element_cmp);
	return e ? e->flags : 0;
}

static const char *attr_get(const xmlChar **atts, const char *name)
{
	if (!atts)
		return NULL;
	for (size_t i = 0; atts[i]; i += 2)
		if (strcasecmp((const char *)atts[i], name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Trim s[0..*n) in place of pointer and length. */
static const char *trim(const char *s, size_t *n)
{
	while (*n > 0 && is_blank(*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && is_blank(s[*n - 1]))
		(*n)--;
	return s;
}

static int word_is(const char *s, size_t n, const char *word)
{
	s = trim(s, &n);
	return n == strlen(word) && strncasecmp(s, word, n) == 0;
}

/* One "property: value" declaration of an inline style. */
static int declaration_hides(const char *d, size_t n)
{
	const char *colon = memchr(d, ':', n);
	if (!colon)
		return 0;
	size_t plen = (size_t)(colon - d), vlen = n - plen - 1;
	const char *v = trim(colon + 1, &vlen);
	const char *bang = memchr(v, '!', vlen);
	if (bang)
		vlen = (size_t)(bang - v); /* "none !important" */
	if (word_is(d, plen, "display"))
		return word_is(v, vlen, "none");
	if (word_is(d, plen, "visibility"))
		return word_is(v, vlen, "hidden") || word_is(v, vlen, "collapse");
	return 0;
}

static int style_hides(const char *css)
{
	while (*css) {
		size_t n = strcspn(css, ";");
		if (declaration_hides(css, n))
			return 1;
		css += n;
		css += *css == ';';
	}
	return 0;
}

static int attrs_hide(const xmlChar **atts)
{
	const char *v;

	if (attr_get(atts, "hidden"))
		return 1;
	v = attr_get(atts, "aria-hidden");
	if (v && word_is(v, strlen(v), "true"))
		return 1;
	v = attr_get(atts, "style");
	return v && style_hides(v);
}

/* ---- links ----------------------------------------------------------- */

static int is_followable(const char *h, size_t n)
{
	static const char *const skip[] = {"javascript:", "mailto:", "tel:", "data:"};

	if (n == 0 || h[0] == '#')
		return 0;
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++) {
		size_t k = strlen(skip[i]);
		if (n >= k && strncasecmp(h, skip[i], k) == 0)
			return 0;
	}
	return 1;
}

static void add_link(struct html_state *st, const char *href)
{
	size_t n = strlen(href);
	mct_text *out = st->out;

	href = trim(href, &n);
	if (!is_followable(href, n))
		return;
	if (out->nlinks == st->links_cap) {
		st->links_cap = st->links_cap ? 2 * st->links_cap : 16;
		out->links = mct_xrealloc(out->links, st->links_cap * sizeof *out->links);
	}
	out->links[out->nlinks++] = mct_xstrndup(href, n);
}

static void collect_urls(struct html_state *st, const xmlChar *name, const xmlChar **atts)
{
	const char *href;

	if (st->inert)
		return;
	if (strcasecmp((const char *)name, "a") == 0) {
		href = attr_get(atts, "href");
		if (href)
			add_link(st, href);
	} else if (strcasecmp((const char *)name, "base") == 0 && !st->out->base_href) {
		href = attr_get(atts, "href");
		size_t n = href ? strlen(href) : 0;
		if (href && (href = trim(href, &n), n > 0))
			st->out->base_href = mct_xstrndup(href, n);
	}
}

/* ---- entering and leaving elements ----------------------------------- */

/* A block edge: a new line, except inside a heading, which stays one line. */
static void boundary(struct html_state *st)
{
	if (st->heading)
		mct_tw_space(&st->w);
	else
		mct_tw_break(&st->w);
}

static unsigned enter(struct html_state *st, unsigned flags)
{
	unsigned applied = flags & (EL_INERT | EL_DROP);

	st->inert += !!(flags & EL_INERT);
	st->drop += !!(flags & EL_DROP);
	if (st->drop)
		return applied; /* nothing inside is rendered */
	applied |= flags & (EL_HEAD | EL_TITLE | EL_PRE);
	st->head += !!(flags & EL_HEAD);
	st->intitle += !!(flags & EL_TITLE);
	if (EL_LEVEL_OF(flags) && !st->heading) {
		mct_tw_break(&st->w);
		st->w.heading = (int)EL_LEVEL_OF(flags);
		st->heading = 1;
		applied |= EL_HEADING;
	} else if (flags & EL_BLOCK) {
		boundary(st);
		applied |= EL_BOUNDARY;
	}
	if (flags & EL_PRE) {
		st->pre++;
		st->w.newlines = 1;
	}
	return applied;
}

static void leave(struct html_state *st, unsigned applied)
{
	if (applied & EL_PRE && --st->pre == 0)
		st->w.newlines = 0;
	if (applied & EL_HEADING) {
		mct_tw_break(&st->w);
		st->w.heading = 0;
		st->heading = 0;
	} else if (applied & EL_BOUNDARY) {
		boundary(st);
	}
	if (applied & EL_TITLE && --st->intitle == 0 && st->title.len > 0)
		st->title_done = 1;
	st->head -= !!(applied & EL_HEAD);
	st->drop -= !!(applied & EL_DROP);
	st->inert -= !!(applied & EL_INERT);
}

/* ---- SAX callbacks --------------------------------------------------- */

static struct html_state *state_of(void *ctx)
{
	return ((htmlParserCtxtPtr)ctx)->_private;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct html_state *st = state_of(ctx);
	unsigned flags = element_flags(name);

	/* Pages that hide <html> or <body> until a script has run are shown to
	 * every reader, so only elements inside the body can be hidden. */
	if (attrs_hide(atts) && strcasecmp((const char *)name, "html") != 0 &&
	    strcasecmp((const char *)name, "body") != 0)
		flags |= EL_DROP;
	collect_urls(st, name, atts);
	if (st->depth == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		st->stack = mct_xrealloc(st->stack, st->cap * sizeof *st->stack);
	}
	struct open_elem *e = &st->stack[st->depth++];
	e->name = name;
	e->flags = flags;
	e->applied = enter(st, flags);
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct html_state *st = state_of(ctx);
	size_t i = st->depth;

	/* libxml2 balances its events, so this is the top entry; searching
	 * down only guards against a stray end that does not match. */
	while (i > 0 && st->stack[i - 1].name != name &&
	       strcmp((const char *)st->stack[i - 1].name, (const char *)name) != 0)
		i--;
	if (i == 0)
		return;
	while (st->depth >= i)
		leave(st, st->stack[--st->depth].applied);
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct html_state *st = state_of(ctx);

	if (st->drop || (st->head && !st->intitle) || len <= 0)
		return;
	mct_tw_text(&st->w, (const char *)s, (size_t)len);
	if (st->intitle && !st->title_done)
		mct_tw_text(&st->title_w, (const char *)s, (size_t)len);
}

/* ---- entry point ----------------------------------------------------- */

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void libxml_init(void)
{
	xmlInitParser();
}

static mct_status parse(struct html_state *st, const mct_buf *utf8, mct_err *err)
{
	const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                 HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC;
	htmlParserCtxtPtr ctxt;
	htmlDocPtr doc;

	if (utf8->len > (size_t)INT32_MAX)
		return mct_fail(err, MCT_ERR_LIMIT, "HTML page too large to parse (%zu bytes)",
		                utf8->len);
	pthread_once(&libxml_once, libxml_init);
	ctxt = htmlNewParserCtxt();
	if (!ctxt)
		return mct_fail(err, MCT_ERR_NOMEM, "out of memory starting the HTML parser");
	memset(ctxt->sax, 0, sizeof *ctxt->sax);
	ctxt->sax->initialized = 1;
	ctxt->sax->startElement = on_start;
	ctxt->sax->endElement = on_end;
	ctxt->sax->characters = on_text;
	ctxt->sax->ignorableWhitespace = on_text;
	ctxt->sax->cdataBlock = on_text;
	ctxt->_private = st;
	doc = htmlCtxtReadMemory(ctxt, utf8->data ? utf8->data : "", (int)utf8->len, NULL, "UTF-8",
	                         opts);
	if (doc) /* only if a future libxml2 built one despite the handler */
		xmlFreeDoc(doc);
	htmlFreeParserCtxt(ctxt);
	/* events libxml2 did not close (it always does, but be sure) */
	while (st->depth > 0)
		leave(st, st->stack[--st->depth].applied);
	return MCT_OK;
}

mct_status mct_html_text(const void *body, size_t n, const char *http_charset,
                         const char *force_charset, mct_text *out, mct_err *err)
{
	struct html_state st;
	mct_buf utf8;
	mct_status rc;

	memset(&st, 0, sizeof st);
	mct_buf_init(&utf8);
	mct_buf_init(&st.title);
	st.out = out;
	rc = mct_charset_decode(body, n, 1, http_charset, force_charset, &utf8, out->charset, err);
	if (rc != MCT_OK)
		goto done;
	mct_tw_init(&st.w, &out->text);
	mct_tw_init(&st.title_w, &st.title);
	rc = parse(&st, &utf8, err);
	mct_tw_break(&st.w);
	mct_tw_break(&st.title_w);
	if (rc == MCT_OK && st.title.len > 1)
		out->title = mct_xstrndup(st.title.data, st.title.len - 1); /* without '\n' */
done:
	free(st.stack);
	mct_buf_free(&st.title);
	mct_buf_free(&utf8);
	return rc;
}
