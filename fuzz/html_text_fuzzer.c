/*
 * fuzz/html_text_fuzzer.c - libFuzzer target for HTML and plain-text
 * extraction, charset handling and type detection.
 *
 * The input is extracted as HTML and as plain text; the first byte picks the
 * HTTP charset to claim (none, or one of a few single- and multi-byte
 * charsets), so decoding, BOM and <meta> handling are all reached.  Neither
 * extraction may fail on content, and both results must be in the text
 * format of crawler.h, without form feeds (those are for PDF pages).
 */
#include <stdint.h>
#include <stdlib.h>

#include "text_format_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = {NULL,           NULL,         "utf-8",
	                                       "windows-1257", "ISO-8859-2", "utf-16le",
	                                       "Shift_JIS",    "x-unknown"};
	const char *cs = charsets[size ? data[0] % (sizeof charsets / sizeof charsets[0]) : 0];
	const mct_text_type types[] = {MCT_TEXT_HTML, MCT_TEXT_PLAIN};
	mct_text t;
	mct_err err;

	if (mct_text_type_name(mct_text_type_detect(NULL, "https://example.lv/a", data, size)) ==
	    NULL)
		abort();
	for (size_t i = 0; i < 2; i++) {
		if (mct_text_extract(types[i], data, size, cs, NULL, &t, &err) != MCT_OK)
			abort();
		if (check_text_format(&t) != 0 || t.pages != 0 || !t.charset[0])
			abort();
		mct_text_free(&t);
	}
	return 0;
}
