/*
 * tests/support/servers.c - start and stop nginx and faultd for tests.
 *
 * nginx runs in the foreground as a single process (daemon off,
 * master_process off): then it is one child of the test, it never switches
 * users (so it runs the same as root in CI and as a developer), and the
 * kernel kills it with the test (PR_SET_PDEATHSIG) if the test crashes.
 * Its config is generated on a port found free a moment before; should
 * another process take the port in between, the start is retried on another.
 */
#include "servers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../common/mct.h"

static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	int port = -1;
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Wait until the port accepts connections; -1 when the process died. */
static int wait_port(int port, pid_t pid, int max_ms)
{
	for (int waited = 0; waited < max_ms; waited += 20) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return -1;
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = {0};
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons((uint16_t)port);
		int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
		close(s);
		if (ok)
			return 0;
		sleep_ms(20);
	}
	return -1;
}

static char *make_dir(const char *tmp, const char *name)
{
	char *dir = mct_xasprintf("%s/%s-XXXXXX", tmp, name);
	if (!mkdtemp(dir)) {
		perror(dir);
		free(dir);
		return NULL;
	}
	return dir;
}

static void child_setup(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL);
}

static const char nginx_conf[] =
    "daemon off;\n"
    "master_process off;\n"
    "worker_processes 1;\n"
    "pid %1$s/nginx.pid;\n"
    "error_log %1$s/error.log warn;\n"
    "events { worker_connections 128; }\n"
    "http {\n"
    "  log_format t '$request_uri $status $body_bytes_sent inm=\"$http_if_none_match\" "
    "ims=\"$http_if_modified_since\" enc=\"$sent_http_content_encoding\" "
    "ua=\"$http_user_agent\"';\n"
    "  access_log %1$s/access.log t;\n"
    "  client_body_temp_path %1$s/body;\n"
    "  proxy_temp_path %1$s/proxy;\n"
    "  fastcgi_temp_path %1$s/fastcgi;\n"
    "  uwsgi_temp_path %1$s/uwsgi;\n"
    "  scgi_temp_path %1$s/scgi;\n"
    "  types { text/html html; application/pdf pdf; text/plain txt; application/xml xml; }\n"
    "  default_type application/octet-stream;\n"
    "  sendfile on;\n"
    "  keepalive_timeout 30;\n"
    "  etag on;\n"
    "  gzip on;\n"
    "  gzip_min_length 20;\n"
    "  gzip_types text/plain application/xml;\n"
    "  server {\n"
    "    listen 127.0.0.1:%2$d;\n"
    "    server_name localhost;\n"
    "    root %3$s;\n"
    "    location = /old.html { return 301 /policy/strategy.html; }\n"
    "    location = /header-charset/lv.html {\n"
    "      alias %3$s/charset/lv.html; charset windows-1257;\n"
    "    }\n"
    "    location = /header-charset/pl.html {\n"
    "      alias %3$s/charset/pl.html; charset iso-8859-2;\n"
    "    }\n"
    "    location /mislabelled/ {\n"
    "      alias %3$s/policy/; types { } default_type text/html;\n"
    "    }\n"
    "  }\n"
    "}\n";

static int nginx_try(const char *root, const char *dir, ts_server *out)
{
	int port = free_port();
	char *conf = mct_xasprintf("%s/nginx.conf", dir);
	char *errlog = mct_xasprintf("%s/error.log", dir);
	FILE *f = fopen(conf, "w");
	if (!f) {
		perror(conf);
		free(conf);
		free(errlog);
		return -1;
	}
	/* positional arguments (POSIX), which cppcheck does not follow */
	// cppcheck-suppress invalidPrintfArgType_s
	fprintf(f, nginx_conf, dir, port, root);
	fclose(f);
	const char *bin = getenv("NGINX");
	if (!bin || !*bin)
		bin = "/usr/sbin/nginx";
	pid_t pid = fork();
	if (pid == 0) {
		child_setup();
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execl(bin, "nginx", "-q", "-p", dir, "-c", conf, "-e", errlog, (char *)NULL);
		_exit(127);
	}
	free(conf);
	if (pid < 0 || wait_port(port, pid, 5000) != 0) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		mct_buf log;
		mct_buf_init(&log);
		mct_err err;
		if (mct_read_file(errlog, 0, &log, &err) == MCT_OK)
			fprintf(stderr, "nginx did not start on port %d:\n%s\n", port, log.data);
		mct_buf_free(&log);
		free(errlog);
		return -1;
	}
	free(errlog);
	out->pid = pid;
	out->port = port;
	return 0;
}

int ts_nginx_start(const char *root, const char *tmp, ts_server *out)
{
	memset(out, 0, sizeof *out);
	if (access(getenv("NGINX") ? getenv("NGINX") : "/usr/sbin/nginx", X_OK) != 0) {
		fprintf(stderr,
		        "nginx is not installed (/usr/sbin/nginx); `make deps` installs it\n");
		return -1;
	}
	char *abs = realpath(root, NULL);
	if (!abs) {
		perror(root);
		return -1;
	}
	out->dir = make_dir(tmp, "nginx");
	int rc = -1;
	for (int attempt = 0; out->dir && attempt < 5 && rc != 0; attempt++)
		rc = nginx_try(abs, out->dir, out);
	free(abs);
	if (rc != 0) {
		free(out->dir);
		out->dir = NULL;
		return -1;
	}
	out->access_log = mct_xasprintf("%s/access.log", out->dir);
	out->base = mct_xasprintf("http://127.0.0.1:%d", out->port);
	return 0;
}

static char *faultd_path(void)
{
	const char *tools = getenv("MCT_TOOLS");
	if (tools && *tools)
		return mct_xasprintf("%s/faultd", tools);
	const char *top = getenv("MCT_TOP");
	return mct_xasprintf("%s/build/tools/faultd", top && *top ? top : ".");
}

int ts_faultd_start(const char *robots_mode, const char *tmp, ts_server *out)
{
	memset(out, 0, sizeof *out);
	char *bin = faultd_path();
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "%s is missing: build it with `make build/tools/faultd`\n", bin);
		free(bin);
		return -1;
	}
	out->dir = make_dir(tmp, "faultd");
	if (!out->dir) {
		free(bin);
		return -1;
	}
	out->access_log = mct_xasprintf("%s/requests.log", out->dir);
	int fds[2];
	if (pipe(fds) != 0) {
		perror("pipe");
		free(bin);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		child_setup();
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(bin, "faultd", "-l", out->access_log, "-r",
		      robots_mode ? robots_mode : "allow", (char *)NULL);
		_exit(127);
	}
	free(bin);
	close(fds[1]);
	char line[32] = "";
	ssize_t n = pid > 0 ? read(fds[0], line, sizeof line - 1) : -1;
	close(fds[0]);
	line[n > 0 ? n : 0] = 0;
	out->pid = pid;
	out->port = atoi(line);
	if (pid < 0 || out->port <= 0 || wait_port(out->port, pid, 5000) != 0) {
		fprintf(stderr, "faultd did not start\n");
		ts_server_stop(out);
		return -1;
	}
	out->base = mct_xasprintf("http://127.0.0.1:%d", out->port);
	return 0;
}

void ts_server_stop(ts_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		int st, waited = 0;
		while (waitpid(s->pid, &st, WNOHANG) == 0) {
			if (waited >= 2000) {
				kill(s->pid, SIGKILL);
				waitpid(s->pid, &st, 0);
				break;
			}
			sleep_ms(10);
			waited += 10;
		}
	}
	free(s->dir);
	free(s->access_log);
	free(s->base);
	memset(s, 0, sizeof *s);
}

/* nginx writes an access-log line after it sent the response, so a client
 * may read the log before the line of its last request is there: wait until
 * the file has stopped growing for 100 ms (at most 3 s). */
static void log_settle(const char *path)
{
	off_t last = -1;
	int stable = 0;
	for (int i = 0; i < 300 && stable < 10; i++) {
		struct stat st;
		off_t size = stat(path, &st) == 0 ? st.st_size : -1;
		stable = size == last ? stable + 1 : 0;
		last = size;
		usleep(10 * 1000);
	}
}

int ts_log_count(const char *path, const char *needle)
{
	log_settle(path);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[8192];
	int n = 0;
	while (fgets(line, sizeof line, f))
		if (strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

char *ts_url(const ts_server *s, const char *path)
{
	return mct_xasprintf("%s%s", s->base, path);
}
