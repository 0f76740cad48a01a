/*
 * tests/support/testutil.h - small helpers shared by the unit tests: temp
 * folders, writing files, running the built binary.
 */
#ifndef MCT_TESTUTIL_H
#define MCT_TESTUTIL_H

#include <stddef.h>

/* A fresh temporary folder (mkdtemp under $TMPDIR or /tmp); remove with
 * tu_rmtree.  Returns a new string. */
char *tu_tempdir(void);
void tu_rmtree(const char *dir);
/* Write a file (dir/name) with the given content; returns the new path. */
char *tu_write(const char *dir, const char *name, const char *content);
/* Path below the repository root ($MCT_TOP, else "."); returns a new string. */
char *tu_top_path(const char *rel);
/* Run a shell command line, capturing stdout and stderr (each may be NULL);
 * returns the exit status (or -1).  Captured strings are new. */
int tu_run(const char *cmdline, char **out, char **err);
/* The built binary: $MCTHERMO, else ./build/mcthermo. */
const char *tu_mcthermo(void);
/* 1 when the file exists. */
int tu_exists(const char *path);

#endif
