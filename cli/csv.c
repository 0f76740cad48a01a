/*
 * cli/csv.c - reading RFC 4180 CSV records (quoted fields, doubled quotes,
 * CRLF or LF, newlines inside quotes), for `review import`.
 *
 * Small enough that a library would cost more than it saves; the writer side
 * is mct_csv_field in cli.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void mct_csv_record_free(mct_csv_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->fields[i]);
	free(r->fields);
	r->fields = NULL;
	r->n = 0;
}

static void push(mct_csv_record *r, mct_buf *field)
{
	r->fields = mct_xrealloc(r->fields, (r->n + 1) * sizeof *r->fields);
	r->fields[r->n++] = mct_buf_steal(field);
}

int mct_csv_read(FILE *in, int *line, mct_csv_record *r, const char **error)
{
	mct_csv_record_free(r);
	*error = NULL;
	int c = getc(in);
	if (c == EOF)
		return 0;
	(*line)++;
	r->line = *line;
	mct_buf field;
	mct_buf_init(&field);
	int quoted = 0, was_quoted = 0;
	for (;; c = getc(in)) {
		if (quoted) {
			if (c == EOF) {
				*error = "a quoted field is not closed";
				break;
			}
			if (c == '"') {
				int next = getc(in);
				if (next == '"') {
					mct_buf_putc(&field, '"');
					continue;
				}
				quoted = 0;
				ungetc(next, in);
				continue;
			}
			if (c == '\n')
				(*line)++;
			mct_buf_putc(&field, (char)c);
			continue;
		}
		if (c == '"' && field.len == 0 && !was_quoted) {
			quoted = was_quoted = 1;
			continue;
		}
		if (c == ',') {
			push(r, &field);
			was_quoted = 0;
			continue;
		}
		if (c == '\r') {
			int next = getc(in);
			if (next != '\n')
				ungetc(next, in);
			c = '\n';
		}
		if (c == '\n' || c == EOF) {
			push(r, &field);
			mct_buf_free(&field);
			return 1;
		}
		if (was_quoted) {
			*error = "text after a closing quote";
			break;
		}
		mct_buf_putc(&field, (char)c);
	}
	mct_buf_free(&field);
	return -1;
}
