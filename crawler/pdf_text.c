/*
 * crawler/pdf_text.c - the text of a PDF, page by page, with poppler-glib.
 *
 * poppler gives each page's text in reading order with '\n' between lines;
 * the shared writer folds the white space, drops empty lines and puts a form
 * feed between pages, so the page of any offset in the text is one plus the
 * number of form feeds before it.  A page poppler cannot open counts as an
 * empty page rather than failing the whole document, so page numbers stay
 * right.
 *
 * poppler ends every printed line with '\n', so a sentence wrapped over
 * three lines would become three blocks and no rule could see it whole.
 * Lines are therefore joined back into paragraphs (join_lines) when the
 * line does not end a sentence and either the next line starts in lower
 * case or a digit, or the line is nearly as wide as the page's widest line
 * (a wrapped line, not a heading).  A word hyphenated at a line end is
 * joined without the hyphen when both halves are lower case ("recog-" +
 * "nised"); other hyphens are kept ("EU-" + "level").  It is a heuristic: a
 * short last line of a paragraph followed by a capitalised sentence stays a
 * line of its own, which is what we want for headings.
 *
 * The body is wrapped in a GBytes without copying; the document is released
 * before returning, so the caller's buffer outlives every use of it.  A PDF
 * that needs a user password, or that poppler cannot parse, is an error
 * ("not a readable PDF: ...").  Left out: OCR of scanned pages (they come out
 * empty), a time limit on pathological documents (poppler has none).
 */
#include "text_internal.h"

#include <poppler.h>
#include <string.h>
#include <utf8proc.h>

static mct_status open_error(GError *gerr, mct_err *err)
{
	mct_status st;

	if (gerr && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
		st = mct_fail(err, MCT_ERR_PARSE,
		              "not a readable PDF: it is encrypted and needs a password to open");
	else
		st = mct_fail(err, MCT_ERR_PARSE, "not a readable PDF: %s",
		              gerr && gerr->message ? gerr->message : "poppler could not open it");
	if (gerr)
		g_error_free(gerr);
	return st;
}

/* General category of the first code point of s (UTF8PROC_CATEGORY_CN when
 * none). */
static utf8proc_category_t first_category(const char *s, size_t n)
{
	utf8proc_int32_t cp = -1;
	if (!n || utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp) <= 0)
		return UTF8PROC_CATEGORY_CN;
	return utf8proc_category(cp);
}

/* Category of the code point that ends s[0..n). */
static utf8proc_category_t last_category(const char *s, size_t n)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	return i > 0 ? first_category(s + i - 1, n - i + 1) : UTF8PROC_CATEGORY_CN;
}

typedef struct {
	const char *p;
	size_t n;
} line;

static line trimmed(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return (line){p, n};
}

/* Join the lines of one page's text into paragraphs (see the file head). */
static void join_lines(const char *text, mct_buf *out)
{
	size_t widest = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		line l = trimmed(p, n);
		if (l.n > widest)
			widest = l.n;
		p = e ? e + 1 : p + n;
	}
	line prev = {NULL, 0};
	for (const char *p = text;;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		line l = trimmed(p, n);
		if (prev.p && l.n) {
			char last = prev.p[prev.n - 1];
			int ends = strchr(".!?:;", last) != NULL;
			utf8proc_category_t next = first_category(l.p, l.n);
			int lower_next =
			    next == UTF8PROC_CATEGORY_LL || next == UTF8PROC_CATEGORY_ND;
			int wide = prev.n * 10 >= widest * 7;
			if (last == '-' && prev.n > 1 && lower_next &&
			    last_category(prev.p, prev.n - 1) == UTF8PROC_CATEGORY_LL) {
				out->len--; /* "recog-" + "nised" */
				out->data[out->len] = 0;
			} else if (last == '-') {
				/* keep "EU-" + "level" together */
			} else if (!ends && (lower_next || wide)) {
				mct_buf_putc(out, ' ');
			} else {
				mct_buf_putc(out, '\n');
			}
		} else if (prev.p) {
			mct_buf_putc(out, '\n');
		}
		mct_buf_append(out, l.p, l.n);
		prev = l.n ? l : (line){NULL, 0};
		if (!e)
			break;
		p = e + 1;
	}
	mct_buf_putc(out, '\n');
}

static void page_text(PopplerDocument *doc, int i, mct_tw *w)
{
	PopplerPage *page = poppler_document_get_page(doc, i);
	char *text;

	if (!page)
		return;
	text = poppler_page_get_text(page);
	if (text) {
		mct_buf joined;
		mct_buf_init(&joined);
		join_lines(text, &joined);
		mct_tw_text(w, joined.data, joined.len);
		mct_buf_free(&joined);
		g_free(text);
	}
	g_object_unref(page);
}

static void document_title(PopplerDocument *doc, mct_text *out)
{
	char *title = poppler_document_get_title(doc);
	mct_buf b;
	mct_tw w;

	if (!title)
		return;
	mct_buf_init(&b);
	mct_tw_init(&w, &b);
	mct_tw_text(&w, title, strlen(title));
	if (b.len > 0)
		out->title = mct_buf_steal(&b);
	mct_buf_free(&b);
	g_free(title);
}

mct_status mct_pdf_text(const void *body, size_t n, mct_text *out, mct_err *err)
{
	GError *gerr = NULL;
	GBytes *bytes;
	PopplerDocument *doc;
	mct_tw w;

	/* poppler, like PDF readers, accepts junk before the header */
	if (!memmem(body, n < 1024 ? n : 1024, "%PDF-", 5))
		return mct_fail(err, MCT_ERR_PARSE,
		                "not a readable PDF: not a PDF file (no %%PDF- header)");
	bytes = g_bytes_new_static(body, n);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (!doc)
		return open_error(gerr, err);
	out->pages = poppler_document_get_n_pages(doc);
	mct_tw_init(&w, &out->text);
	w.newlines = 1;
	for (int i = 0; i < out->pages; i++) {
		if (i > 0)
			mct_tw_page(&w);
		page_text(doc, i, &w);
	}
	mct_tw_break(&w);
	document_title(doc, out);
	g_object_unref(doc);
	return MCT_OK;
}
