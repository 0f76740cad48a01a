/*
 * crawler/text_internal.h - pieces shared by the content-to-text modules
 * (text.c, charset.c, html_text.c, pdf_text.c).  Nothing outside crawler/
 * includes this; the contract is the "Content to text" part of crawler.h.
 */
#ifndef MCT_TEXT_INTERNAL_H
#define MCT_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "crawler.h"

/* ---- UTF-8 and charsets (charset.c) ---------------------------------- */

/* *cp of an invalid or truncated UTF-8 sequence (not a code point, so that
 * a genuine U+FFFD in the input can be told apart). */
#define MCT_UTF8_INVALID 0xFFFFFFFFu

/* Decode one UTF-8 sequence from s[0..n), n > 0.  Returns the bytes used
 * (at least 1) and the code point in *cp; an invalid or truncated sequence
 * gives MCT_UTF8_INVALID and uses its maximal valid prefix (at least one
 * byte), so that each bad piece turns into one U+FFFD. */
size_t mct_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* Append the UTF-8 form of cp. */
void mct_utf8_put(mct_buf *b, uint32_t cp);

/* Canonical name ("UTF-8", "windows-1257", "ISO-8859-2") of a charset
 * label such as "latin2" or " CP1257 ", or NULL when the label is unknown. */
const char *mct_charset_lookup(const char *label, size_t n);
/* The charset a byte order mark announces, or NULL; *bom_len gets its
 * length. */
const char *mct_charset_bom(const unsigned char *p, size_t n, size_t *bom_len);
/* The charset an HTML page declares in <meta charset>, <meta http-equiv=
 * "Content-Type"> or an XML declaration near its start, or NULL. */
const char *mct_charset_meta(const unsigned char *p, size_t n);
/* Best guess for an undeclared body: "UTF-8" when it is (almost all) valid
 * UTF-8, else one of windows-1252, ISO-8859-2, windows-1250, windows-1257. */
const char *mct_charset_detect(const unsigned char *p, size_t n);
/* Choose the charset (force > HTTP > BOM > meta (html only) > detection),
 * decode the body into clean UTF-8 in *out and name the charset used in
 * charset[40].  "Clean" means valid UTF-8 without NUL or other C0 controls
 * except tab, line feed and carriage return (form feed and vertical tab
 * become spaces).  Fails only for an unknown force_charset. */
mct_status mct_charset_decode(const void *body, size_t n, int is_html, const char *http_charset,
                              const char *force_charset, mct_buf *out, char charset[40],
                              mct_err *err);

/* ---- the text writer (text.c) ---------------------------------------- */

/* Writes text in the format crawler.h describes: folds white space, drops
 * control and invisible format characters, never writes an empty line. */
typedef struct {
	mct_buf *out;
	int started;  /* the current line holds at least one character */
	int space;    /* a space is owed before the next character */
	int heading;  /* '#' count to put before the first character of a line */
	int newlines; /* '\n' and '\r' in the input end the line (pre, txt, PDF) */
} mct_tw;

void mct_tw_init(mct_tw *w, mct_buf *out);
/* Append UTF-8 text (invalid sequences become U+FFFD). */
void mct_tw_text(mct_tw *w, const char *s, size_t n);
/* White space between two pieces of text (collapses with its neighbours). */
void mct_tw_space(mct_tw *w);
/* End the current line, if it holds anything. */
void mct_tw_break(mct_tw *w);
/* End the current line and start a new PDF page. */
void mct_tw_page(mct_tw *w);

/* ---- extractors ------------------------------------------------------ */

/* Each fills the already-empty *out; on failure the caller empties it. */
mct_status mct_html_text(const void *body, size_t n, const char *http_charset,
                         const char *force_charset, mct_text *out, mct_err *err);
mct_status mct_pdf_text(const void *body, size_t n, mct_text *out, mct_err *err);

#endif
