/*
 * cli/stubs.c - commands whose implementation is not in this build yet.
 *
 * Weak definitions: a command's own file (cli/cmd_<name>.c) overrides its
 * stub.  A stub says plainly that the command is unavailable and exits 3,
 * so a script never mistakes it for success.
 */
#include "cli.h"

static int unavailable(const char *name)
{
	fprintf(stderr, "mcthermo %s: not available in this build of mcthermo %s\n", name,
	        MCT_VERSION);
	return MCT_EXIT_INTERNAL;
}

#define STUB(name)                                                                                 \
	__attribute__((weak)) int cmd_##name(mct_cli *cli, int argc, char **argv)                  \
	{                                                                                          \
		(void)cli;                                                                         \
		(void)argc;                                                                        \
		return unavailable(argv[0]);                                                       \
	}

STUB(run)
STUB(crawl)
STUB(extract)
STUB(score)
STUB(readings)
STUB(history)
STUB(evidence)
STUB(review)
STUB(explain)
STUB(diff)
STUB(sources)
STUB(report)
