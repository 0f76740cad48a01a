/*
 * crawler/text.c - content to text: type detection, dispatch to the HTML,
 * PDF and plain-text extractors, and the writer that all of them use to
 * produce the one text format crawler.h promises.
 *
 * The writer is the single place that knows the format: it folds every run
 * of white space (including no-break and other Unicode spaces) into one
 * space, never starts or ends a line with a space, never writes an empty
 * line, puts the '#' marks in front of heading lines, and drops control
 * characters and invisible format characters (soft hyphen, zero-width space,
 * word joiner, BOM, bidi marks) so that "micro\u00ADcredential" matches a
 * rule for "microcredential"; for the same reason the Latin ligatures
 * (U+FB00..U+FB06, common in PDFs) are spelled out as letters.  Extractors
 * only say "text", "space", "end of line" and "next page"; none of them
 * writes to the buffer directly, so the format cannot drift between HTML,
 * PDF and plain text.
 *
 * Text is not Unicode-normalised here (NFC or case): that is for whoever
 * compares it.  Lines beginning with '#' in the source are not escaped, so a
 * plain-text line "# 1" reads like a heading; in HTML such text is rare
 * enough that the format stays simple.
 */
#include "text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <strings.h>

/* ---- writer ---------------------------------------------------------- */

void mct_tw_init(mct_tw *w, mct_buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	mct_buf_reserve(out, 0); /* the text is never a NULL pointer ... */
	out->data[out->len] = 0; /* ... and always terminated, even when empty */
}

static void begin_char(mct_tw *w)
{
	if (!w->started) {
		for (int i = 0; i < w->heading; i++)
			mct_buf_putc(w->out, '#');
		if (w->heading)
			mct_buf_putc(w->out, ' ');
		w->started = 1;
	} else if (w->space) {
		mct_buf_putc(w->out, ' ');
	}
	w->space = 0;
}

void mct_tw_space(mct_tw *w)
{
	if (w->started)
		w->space = 1;
}

void mct_tw_break(mct_tw *w)
{
	if (w->started)
		mct_buf_putc(w->out, '\n');
	w->started = 0;
	w->space = 0;
}

void mct_tw_page(mct_tw *w)
{
	mct_tw_break(w);
	mct_buf_putc(w->out, '\f');
}

static int is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == 0x85 || cp == 0xA0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Controls, and format characters that are invisible in a rendered page. */
static int is_dropped(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x200B ||
	       cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF ||
	       (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* U+FB00..U+FB06, which PDFs in particular are full of ("ﬁnancing"). */
static const char *const ligatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};

void mct_tw_text(mct_tw *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		if (p[i] > 0x20 && p[i] < 0x7F) { /* the common case: a run of ASCII */
			k = 1;
			while (i + k < n && p[i + k] > 0x20 && p[i + k] < 0x7F)
				k++;
			begin_char(w);
			mct_buf_append(w->out, p + i, k);
			i += k;
			continue;
		}
		k = mct_utf8_next(p + i, n - i, &cp);
		if ((cp == '\n' || cp == '\r') && w->newlines)
			mct_tw_break(w);
		else if (cp == '\n' || cp == '\r' || is_space(cp))
			mct_tw_space(w);
		else if (cp >= 0xFB00 && cp <= 0xFB06) {
			begin_char(w);
			mct_buf_puts(w->out, ligatures[cp - 0xFB00]);
		} else if (cp == MCT_UTF8_INVALID) {
			begin_char(w);
			mct_utf8_put(w->out, 0xFFFD);
		} else if (!is_dropped(cp)) {
			begin_char(w);
			mct_buf_append(w->out, p + i, k);
		}
		i += k;
	}
}

/* ---- plain text ------------------------------------------------------ */

static mct_status plain_text(const void *body, size_t n, const char *http_charset,
                             const char *force_charset, mct_text *out, mct_err *err)
{
	mct_buf utf8;
	mct_tw w;
	mct_status st;

	mct_buf_init(&utf8);
	st = mct_charset_decode(body, n, 0, http_charset, force_charset, &utf8, out->charset, err);
	if (st == MCT_OK) {
		mct_tw_init(&w, &out->text);
		w.newlines = 1;
		mct_tw_text(&w, utf8.data, utf8.len);
		mct_tw_break(&w);
	}
	mct_buf_free(&utf8);
	return st;
}

/* ---- Unicode normalisation ------------------------------------------------ */

/* Rules are written with composed letters ("ā", "ę"); PDFs and some pages
 * carry decomposed ones ("a" + U+0304).  Compose to NFC so both match.  Only
 * texts holding a combining diacritical mark (U+0300..U+036F, UTF-8 lead
 * bytes 0xCC and 0xCD) pay for utf8proc; others are already NFC as far as
 * the rules can tell. */
static void compose(mct_buf *text)
{
	if (!text->len ||
	    (!memchr(text->data, 0xcc, text->len) && !memchr(text->data, 0xcd, text->len)))
		return;
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n =
	    utf8proc_map((const utf8proc_uint8_t *)text->data, (utf8proc_ssize_t)text->len, &nfc,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n >= 0) {
		mct_buf_reset(text);
		mct_buf_append(text, nfc, (size_t)n);
	}
	free(nfc);
}

/* ---- dispatch -------------------------------------------------------- */

mct_status mct_text_extract(mct_text_type type, const void *body, size_t n,
                            const char *http_charset, const char *force_charset, mct_text *out,
                            mct_err *err)
{
	mct_status st;

	memset(out, 0, sizeof *out);
	mct_buf_init(&out->text);
	if (!body && n)
		return mct_fail(err, MCT_ERR_INTERNAL, "text extraction given no body");
	switch (type) {
	case MCT_TEXT_HTML:
		st = mct_html_text(body, n, http_charset, force_charset, out, err);
		break;
	case MCT_TEXT_PDF:
		st = mct_pdf_text(body, n, out, err);
		break;
	case MCT_TEXT_PLAIN:
		st = plain_text(body, n, http_charset, force_charset, out, err);
		break;
	default:
		st = mct_fail(err, MCT_ERR_USAGE,
		              "no text can be extracted from this content type (only HTML, PDF and "
		              "plain text are supported)");
	}
	if (st != MCT_OK)
		mct_text_free(out);
	else
		compose(&out->text);
	return st;
}

void mct_text_free(mct_text *t)
{
	if (!t)
		return;
	mct_buf_free(&t->text);
	free(t->title);
	free(t->base_href);
	for (size_t i = 0; i < t->nlinks; i++)
		free(t->links[i]);
	free(t->links);
	memset(t, 0, sizeof *t);
	mct_buf_init(&t->text);
}

/* ---- type names ------------------------------------------------------ */

const char *mct_text_type_name(mct_text_type t)
{
	switch (t) {
	case MCT_TEXT_HTML:
		return "html";
	case MCT_TEXT_PDF:
		return "pdf";
	case MCT_TEXT_PLAIN:
		return "txt";
	default:
		return "unsupported";
	}
}

mct_text_type mct_text_type_parse(const char *name)
{
	if (!name)
		return MCT_TEXT_UNSUPPORTED;
	if (strcasecmp(name, "html") == 0)
		return MCT_TEXT_HTML;
	if (strcasecmp(name, "pdf") == 0)
		return MCT_TEXT_PDF;
	if (strcasecmp(name, "txt") == 0)
		return MCT_TEXT_PLAIN;
	return MCT_TEXT_UNSUPPORTED;
}

/* ---- type detection -------------------------------------------------- */

/* How far into the body the HTML markers are looked for. */
#define SNIFF_BYTES 1024

static const unsigned char *skip_bom_and_space(const unsigned char *p, size_t *n)
{
	if (*n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3;
		*n -= 3;
	}
	while (*n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f')) {
		p++;
		(*n)--;
	}
	return p;
}

static int starts_with(const unsigned char *p, size_t n, const void *magic, size_t k)
{
	return n >= k && memcmp(p, magic, k) == 0;
}

static int is_pdf(const unsigned char *p, size_t n)
{
	p = skip_bom_and_space(p, &n);
	return starts_with(p, n, "%PDF-", 5);
}

/* Formats that are certainly not text: images, archives, office files. */
static int is_binary(const unsigned char *p, size_t n)
{
	return starts_with(p, n, "\x89PNG", 4) || starts_with(p, n, "\xFF\xD8\xFF", 3) ||
	       starts_with(p, n, "GIF8", 4) || starts_with(p, n, "PK\x03\x04", 4) ||
	       starts_with(p, n, "\xD0\xCF\x11\xE0", 4) || starts_with(p, n, "\x1F\x8B", 2) ||
	       starts_with(p, n, "RIFF", 4) || starts_with(p, n, "{\\rtf", 5);
}

/* An HTML marker near the start, case-insensitively, as a whole tag name. */
static int looks_like_html(const unsigned char *p, size_t n)
{
	static const char *const marks[] = {"<!doctype html", "<html", "<head", "<body"};

	if (n > SNIFF_BYTES)
		n = SNIFF_BYTES;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '<')
			continue;
		for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
			size_t k = strlen(marks[m]);
			if (i + k > n || strncasecmp((const char *)p + i, marks[m], k) != 0)
				continue;
			unsigned char after = i + k < n ? p[i + k] : '>';
			if (after == '>' || after == ' ' || after == '\t' || after == '\n' ||
			    after == '\r' || after == '\f' || after == '/')
				return 1;
		}
	}
	return 0;
}

/* The media type of a Content-Type value, lowercased, without parameters. */
static void media_type(const char *ct, char out[128])
{
	size_t k = 0;

	while (*ct == ' ' || *ct == '\t')
		ct++;
	while (*ct && *ct != ';' && *ct != ' ' && *ct != '\t' && k < 127) {
		char c = *ct++;
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[k] = 0;
}

/* Types that say nothing about the body: decide by the URL and the bytes. */
static int is_generic_type(const char *mt)
{
	static const char *const generic[] = {"",
	                                      "application/octet-stream",
	                                      "binary/octet-stream",
	                                      "application/unknown",
	                                      "application/download",
	                                      "application/force-download",
	                                      "application/x-download",
	                                      "unknown/unknown"};
	for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
		if (strcmp(mt, generic[i]) == 0)
			return 1;
	return 0;
}

static mct_text_type type_of_media(const char *mt)
{
	if (strcmp(mt, "text/html") == 0 || strcmp(mt, "application/xhtml+xml") == 0)
		return MCT_TEXT_HTML;
	if (strcmp(mt, "application/pdf") == 0 || strcmp(mt, "application/x-pdf") == 0)
		return MCT_TEXT_PDF;
	if (strcmp(mt, "text/plain") == 0)
		return MCT_TEXT_PLAIN;
	return MCT_TEXT_UNSUPPORTED;
}

/* The extension of the URL's last path segment ("pdf"), or "" when none. */
static void url_extension(const char *url, char out[16])
{
	const char *path = strstr(url, "://");
	size_t len;

	out[0] = 0;
	path = path ? strchr(path + 3, '/') : url;
	if (!path)
		return;
	len = strcspn(path, "?#");
	const char *seg = path;
	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			seg = path + i + 1;
	const char *dot = NULL;
	for (const char *q = seg; q < path + len; q++)
		if (*q == '.')
			dot = q;
	if (!dot || (size_t)(path + len - dot - 1) >= 16)
		return;
	size_t k = 0;
	for (const char *q = dot + 1; q < path + len; q++)
		out[k++] = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
	out[k] = 0;
}

static mct_text_type type_of_extension(const char *ext)
{
	if (strcmp(ext, "pdf") == 0)
		return MCT_TEXT_PDF;
	if (strcmp(ext, "html") == 0 || strcmp(ext, "htm") == 0 || strcmp(ext, "xhtml") == 0 ||
	    strcmp(ext, "shtml") == 0)
		return MCT_TEXT_HTML;
	if (strcmp(ext, "txt") == 0)
		return MCT_TEXT_PLAIN;
	return MCT_TEXT_UNSUPPORTED;
}

/*
 * Order: the PDF magic wins over everything; then a Content-Type we know;
 * a PDF type or extension whose body is plainly an HTML page (a server's
 * error page) is HTML; any other specific Content-Type is unsupported; with
 * no or a generic type, binary magic rules a body out, then the extension
 * decides, and last the HTML markers.
 */
mct_text_type mct_text_type_detect(const char *content_type, const char *url, const void *body,
                                   size_t n)
{
	const unsigned char *p = body ? body : (const void *)"";
	char mt[128], ext[16];
	mct_text_type t;

	if (!body)
		n = 0;
	if (is_pdf(p, n))
		return MCT_TEXT_PDF;
	media_type(content_type ? content_type : "", mt);
	t = type_of_media(mt);
	if (t == MCT_TEXT_PDF && looks_like_html(p, n))
		return MCT_TEXT_HTML;
	if (t != MCT_TEXT_UNSUPPORTED)
		return t;
	if (!is_generic_type(mt) || is_binary(p, n))
		return MCT_TEXT_UNSUPPORTED;
	url_extension(url ? url : "", ext);
	t = type_of_extension(ext);
	if (t == MCT_TEXT_PDF && looks_like_html(p, n))
		return MCT_TEXT_HTML;
	if (t != MCT_TEXT_UNSUPPORTED)
		return t;
	return looks_like_html(p, n) ? MCT_TEXT_HTML : MCT_TEXT_UNSUPPORTED;
}
