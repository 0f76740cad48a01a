/*
 * fuzz/pdf_text_fuzzer.c - libFuzzer target for PDF extraction.
 *
 * The input goes to poppler through mct_text_extract.  A document either
 * fails with a "not a readable PDF: " message and an empty result, or gives
 * text in the format of crawler.h with exactly one form feed between
 * consecutive pages.  Slow inputs are poppler's own business; run with a
 * per-input timeout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text_format_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mct_text t;
	mct_err err;
	mct_status st = mct_text_extract(MCT_TEXT_PDF, data, size, NULL, NULL, &t, &err);

	if (st != MCT_OK) {
		if (strncmp(err.msg, "not a readable PDF: ", 20) != 0 || t.text.data || t.pages)
			abort();
		return 0;
	}
	size_t feeds = check_text_format(&t);
	if (t.pages < 0 || feeds != (t.pages > 0 ? (size_t)t.pages - 1 : 0))
		abort();
	mct_text_free(&t);
	return 0;
}
