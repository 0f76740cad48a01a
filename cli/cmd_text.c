/*
 * cli/cmd_text.c - `mcthermo text FILE [--type T] [--charset NAME] [--links]`:
 * prints exactly the text the rules see, the tool a rule author uses.  PDF
 * pages are shown with "--- page N ---" markers instead of the form feeds
 * that separate them in the stored text.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../crawler/crawler.h"
#include "cli.h"

int cmd_text(mct_cli *cli, int argc, char **argv)
{
	(void)cli;
	const char *type_opt = NULL, *charset = NULL;
	int links = 0;
	static const struct option opts[] = {{"type", required_argument, NULL, 't'},
	                                     {"charset", required_argument, NULL, 'c'},
	                                     {"links", no_argument, NULL, 'l'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "t:c:l", opts, NULL)) != -1) {
		if (c == 't')
			type_opt = optarg;
		else if (c == 'c')
			charset = optarg;
		else if (c == 'l')
			links = 1;
		else
			return mct_cli_usage("text", "unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 1)
		return mct_cli_usage("text", "expected one FILE");
	const char *file = argv[optind];
	mct_buf body;
	mct_buf_init(&body);
	mct_err err = {0};
	if (mct_read_file(file, 0, &body, &err)) {
		mct_buf_free(&body);
		fprintf(stderr, "mcthermo text: %s\n", err.msg);
		return MCT_EXIT_USAGE;
	}
	mct_text_type type;
	if (type_opt) {
		type = mct_text_type_parse(type_opt);
		if (type == MCT_TEXT_UNSUPPORTED) {
			mct_buf_free(&body);
			return mct_cli_usage("text", "--type '%s': expected html, pdf or txt",
			                     type_opt);
		}
	} else {
		type = mct_text_type_detect(NULL, file, body.data, body.len);
		if (type == MCT_TEXT_UNSUPPORTED) {
			mct_buf_free(&body);
			fprintf(stderr,
			        "mcthermo text: %s: not HTML, PDF or plain text; give --type if it "
			        "is\n",
			        file);
			return MCT_EXIT_USAGE;
		}
	}
	mct_text t;
	memset(&t, 0, sizeof t);
	mct_status rc = mct_text_extract(type, body.data, body.len, NULL, charset, &t, &err);
	mct_buf_free(&body);
	if (rc) {
		fprintf(stderr, "mcthermo text: %s: %s\n", file, err.msg);
		mct_text_free(&t);
		return rc == MCT_ERR_NOMEM ? MCT_EXIT_INTERNAL : MCT_EXIT_USAGE;
	}
	if (type == MCT_TEXT_PDF)
		printf("--- page 1 ---\n");
	int page = 1;
	const char *p = t.text.data ? t.text.data : "";
	for (const char *ff; (ff = strchr(p, '\f')); p = ff + 1) {
		char *part = mct_xstrndup(p, (size_t)(ff - p));
		mct_print_safe(stdout, part);
		free(part);
		printf("--- page %d ---\n", ++page);
	}
	mct_print_safe(stdout, p);
	if (links) {
		printf("--- links (%zu) ---\n", t.nlinks);
		for (size_t i = 0; i < t.nlinks; i++) {
			mct_print_safe(stdout, t.links[i]);
			putchar('\n');
		}
	}
	if (!cli->quiet)
		fprintf(stderr, "mcthermo text: %s: %s, charset %s, %zu bytes of text%s%.0d%s\n",
		        file, mct_text_type_name(type), t.charset[0] ? t.charset : "n/a",
		        t.text.len, type == MCT_TEXT_PDF ? ", " : "",
		        type == MCT_TEXT_PDF ? t.pages : 0, type == MCT_TEXT_PDF ? " pages" : "");
	mct_text_free(&t);
	return MCT_EXIT_OK;
}
