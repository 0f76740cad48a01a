/*
 * tests/support/testutil.c - helpers shared by the unit tests.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/mct.h"

char *tu_tempdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = mct_xasprintf("%s/mcthermo-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		abort();
	}
	return tmpl;
}

void tu_rmtree(const char *dir)
{
	if (!dir || strncmp(dir, "/tmp/", 5) != 0 || strstr(dir, ".."))
		return; /* only ever remove what tu_tempdir made */
	char *cmd = mct_xasprintf("chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
	if (system(cmd) != 0) {
		/* leaving a temp folder behind is harmless */
	}
	free(cmd);
}

char *tu_write(const char *dir, const char *name, const char *content)
{
	char *path = mct_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	fputs(content, f);
	fclose(f);
	return path;
}

char *tu_top_path(const char *rel)
{
	const char *top = getenv("MCT_TOP");
	return mct_xasprintf("%s/%s", top && *top ? top : ".", rel);
}

const char *tu_mcthermo(void)
{
	const char *m = getenv("MCTHERMO");
	return m && *m ? m : "./build/mcthermo";
}

int tu_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static char *slurp(const char *path)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_err err;
	if (mct_read_file(path, 0, &b, &err) != MCT_OK) {
		mct_buf_free(&b);
		return mct_xstrdup("");
	}
	return mct_buf_steal(&b);
}

int tu_run(const char *cmdline, char **out, char **err)
{
	char *dir = tu_tempdir();
	char *cmd = mct_xasprintf("( %s ) >'%s/out' 2>'%s/err' </dev/null", cmdline, dir, dir);
	int st = system(cmd);
	free(cmd);
	char *p = mct_xasprintf("%s/out", dir);
	if (out)
		*out = slurp(p);
	free(p);
	p = mct_xasprintf("%s/err", dir);
	if (err)
		*err = slurp(p);
	free(p);
	tu_rmtree(dir);
	free(dir);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}
