/*
 * fuzz/text_format_check.h - the text format of crawler.h as an oracle for
 * the content-to-text fuzz targets: any violation aborts, so the fuzzer
 * reports it like a crash.
 */
#ifndef MCT_TEXT_FORMAT_CHECK_H
#define MCT_TEXT_FORMAT_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "../crawler/crawler.h"

static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k = c < 0x80                 ? 1
	           : c >= 0xC2 && c <= 0xDF ? 2
	           : c >= 0xE0 && c <= 0xEF ? 3
	           : c >= 0xF0 && c <= 0xF4 ? 4
	                                    : 0;
	if (k == 0 || k > n)
		return 0;
	for (size_t j = 1; j < k; j++)
		if ((s[j] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return k;
}

/* Aborts unless t holds text in the promised format; returns the number of
 * form feeds. */
static size_t check_text_format(const mct_text *t)
{
	const unsigned char *s = (const unsigned char *)t->text.data;
	size_t n = t->text.len, feeds = 0;

	if (!s || strlen((const char *)s) != n)
		abort();
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq_len(s + i, n - i);
		if (k == 0)
			abort(); /* invalid UTF-8 */
		if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\f') || s[i] == 0x7F)
			abort(); /* a control character */
		if (s[i] == ' ' && (i == 0 || i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\n' ||
		                    s[i + 1] == '\f' || s[i - 1] == '\n' || s[i - 1] == '\f'))
			abort(); /* a space that is not between two words */
		if (s[i] == '\n' && (i == 0 || s[i - 1] == '\n' || s[i - 1] == '\f'))
			abort(); /* an empty line */
		feeds += s[i] == '\f';
		i += k;
	}
	if (n > 0 && s[n - 1] != '\n' && s[n - 1] != '\f')
		abort(); /* an unterminated last line */
	for (size_t i = 0; i < t->nlinks; i++)
		if (!t->links[i] || !t->links[i][0])
			abort();
	return feeds;
}

#endif
