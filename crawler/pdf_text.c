/*
 * crawler/pdf_text.c - the text of a PDF, page by page, with poppler-glib.
 *
 * poppler gives each page's text in reading order with '\n' between lines;
 * the shared writer folds the white space, drops empty lines and puts a form
 * feed between pages, so the page of any offset in the text is one plus the
 * number of form feeds before it.  A page poppler cannot open counts as an
 * empty page rather than failing the whole document, so page numbers stay
 * right.  Words hyphenated across lines are left as poppler gives them (no
 * dehyphenation: "micro-\ncredential" cannot be told from a real hyphen).
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

static void page_text(PopplerDocument *doc, int i, mct_tw *w)
{
	PopplerPage *page = poppler_document_get_page(doc, i);
	char *text;

	if (!page)
		return;
	text = poppler_page_get_text(page);
	if (text) {
		mct_tw_text(w, text, strlen(text));
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
