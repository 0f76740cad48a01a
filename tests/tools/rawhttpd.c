/*
 * tests/tools/rawhttpd.c - an HTTP server that answers with bytes a test
 * wrote, whatever they are.
 *
 * Hostile-input tests need answers no real server sends: control
 * characters and terminal escape sequences in the status line, in headers
 * (Content-Type, Location, ETag) and in bodies.  nginx refuses to send
 * those and faultd's answers are fixed, so this server sends, for a request
 * of /NAME, the file DIR/NAME byte for byte as the whole response (status
 * line, headers, blank line, body) and closes the connection.  A name with
 * no file gets a plain 404.  It listens on 127.0.0.1 only, on a free port,
 * and prints the port on its first output line.
 *
 *   rawhttpd -d DIR [-l LOGFILE]
 *
 * -l logs each request path on its own line.  One thread per connection;
 * GET only, no keep-alive, no request bodies.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *root;
static FILE *reqlog;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* The path of "GET /path HTTP/1.1", or NULL. */
static char *request_path(char *req)
{
	if (strncmp(req, "GET /", 5) != 0)
		return NULL;
	char *p = req + 5, *end = strchr(p, ' ');
	if (!end)
		return NULL;
	*end = 0;
	return p;
}

/* A file name below root: no '/', no "..", not empty. */
static int safe_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static void answer(int fd, const char *name)
{
	static const char not_found[] =
	    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 10\r\nConnection: close\r\n\r\nnot found\n";
	char path[4096];
	FILE *f = NULL;
	if (safe_name(name) && snprintf(path, sizeof path, "%s/%s", root, name) < (int)sizeof path)
		f = fopen(path, "rb");
	if (!f) {
		send_all(fd, not_found, sizeof not_found - 1);
		return;
	}
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		send_all(fd, buf, n);
	fclose(f);
}

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char req[8192];
	size_t len = 0;
	while (len < sizeof req - 1) {
		ssize_t r = recv(fd, req + len, sizeof req - 1 - len, 0);
		if (r <= 0)
			break;
		len += (size_t)r;
		req[len] = 0;
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[len] = 0;
	char *path = request_path(req);
	if (path) {
		if (reqlog) {
			pthread_mutex_lock(&mu);
			fprintf(reqlog, "/%s\n", path);
			fflush(reqlog);
			pthread_mutex_unlock(&mu);
		}
		answer(fd, path);
	}
	shutdown(fd, SHUT_WR);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "d:l:")) != -1) {
		if (c == 'd')
			root = optarg;
		else if (c == 'l' && !(reqlog = fopen(optarg, "a"))) {
			perror(optarg);
			return 2;
		} else if (c != 'l') {
			fprintf(stderr, "usage: rawhttpd -d DIR [-l LOGFILE]\n");
			return 2;
		}
	}
	if (!root) {
		fprintf(stderr, "usage: rawhttpd -d DIR [-l LOGFILE]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof a;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 64) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &alen) != 0) {
		perror("rawhttpd");
		return 1;
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	for (;;) {
		int fd = accept(s, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_t t;
		if (pthread_create(&t, NULL, serve, (void *)(intptr_t)fd) != 0) {
			close(fd);
			continue;
		}
		pthread_detach(t);
	}
}
