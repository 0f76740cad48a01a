/*
 * cli/cmd_robots.c - `mcthermo robots FILE URL [--agent NAME]`: how a user
 * finds out why a page was skipped.  Evaluates a robots.txt file exactly as
 * the crawler does and prints the deciding line.
 * Exit 0 allowed, 1 disallowed, 2 error.
 */
#include <getopt.h>
#include <string.h>

#include "../crawler/crawler.h"
#include "cli.h"

int cmd_robots(mct_cli *cli, int argc, char **argv)
{
	(void)cli;
	const char *agent = "mcthermo";
	static const struct option opts[] = {{"agent", required_argument, NULL, 'a'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
		if (c == 'a')
			agent = optarg;
		else
			return mct_cli_usage("robots", "unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 2)
		return mct_cli_usage("robots", "expected a robots.txt FILE and a URL");
	const char *file = argv[optind], *url = argv[optind + 1];
	if (!*agent)
		return mct_cli_usage("robots", "--agent must not be empty");
	mct_buf body;
	mct_buf_init(&body);
	mct_err err = {0};
	if (mct_read_file(file, 0, &body, &err)) {
		mct_buf_free(&body);
		fprintf(stderr, "mcthermo robots: %s\n", err.msg);
		return MCT_EXIT_USAGE;
	}
	size_t n = body.len > MCT_ROBOTS_MAX_BYTES ? MCT_ROBOTS_MAX_BYTES : body.len;
	mct_robots *r = mct_robots_parse(body.data ? body.data : "", n);
	mct_buf_free(&body);
	if (!r) {
		fprintf(stderr, "mcthermo robots: out of memory\n");
		return MCT_EXIT_USAGE;
	}
	mct_robots_verdict v = mct_robots_check(r, agent, url);
	mct_robots_free(r);
	printf("%s\n", v.allowed ? "allowed" : "disallowed");
	if (v.line > 0) {
		printf("%s:%d: ", file, v.line);
		mct_print_safe(stdout, v.rule);
		printf("\n");
	} else {
		printf("no rule matches %s for agent '%s'\n", url, agent);
	}
	return v.allowed ? 0 : 1;
}
