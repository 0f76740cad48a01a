/*
 * tests/support/servers.h - real HTTP servers for the crawler's tests: nginx
 * serving a folder, and faultd (tests/tools/faultd.c), each on a free port of
 * 127.0.0.1, started as children of the test and stopped by it (or by the
 * kernel when the test dies: they get SIGKILL when their parent exits).
 */
#ifndef MCT_TEST_SERVERS_H
#define MCT_TEST_SERVERS_H

#include <sys/types.h>

typedef struct {
	pid_t pid;
	int port;
	char *dir;        /* the server's own temp folder (config, logs) */
	char *access_log; /* nginx: its access log; faultd: its request log */
	char *base;       /* "http://127.0.0.1:PORT" */
} ts_server;

/* Start nginx serving `root` (made absolute) with the crawler fixture
 * site's extra locations (redirects, charset headers, a mislabelled PDF).
 * Its config, logs and temp files go under `tmp`.  Returns 0, or -1 with a
 * message on stderr (nginx missing, cannot start). */
int ts_nginx_start(const char *root, const char *tmp, ts_server *out);
/* Start faultd with `robots_mode` (NULL: "allow"); its request log goes to
 * tmp/faultd-PORT.log.  The binary is $MCT_TOOLS/faultd, else
 * $MCT_TOP/build/tools/faultd. */
int ts_faultd_start(const char *robots_mode, const char *tmp, ts_server *out);
/* Stop the server (SIGTERM, then SIGKILL) and free the struct's strings. */
void ts_server_stop(ts_server *s);

/* Lines of a log file that contain `needle`. */
int ts_log_count(const char *path, const char *needle);
/* The server's base URL followed by path; a new string. */
char *ts_url(const ts_server *s, const char *path);

#endif
