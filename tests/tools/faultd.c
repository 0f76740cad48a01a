/*
 * tests/tools/faultd.c - a small HTTP/1.1 server that misbehaves on purpose.
 *
 * The crawler's tests need servers that time out, reset connections, fail
 * and then recover, ask to retry later, redirect in circles or to file://,
 * send too much, send a compression bomb, stop half way or drip a byte at a
 * time.  A real web server does none of these on demand, so this one does,
 * selected by the request path.  It listens on 127.0.0.1 only, on the port
 * given with -p or a free one, and prints the port on its first output line
 * so a test can start it and read where it is.
 *
 *   faultd [-p PORT] [-r allow|404|503|redirect|loop|huge] [-l LOGFILE]
 *
 * -r chooses what /robots.txt does; -l logs one line per request
 * ("<ms> <path> ua=<User-Agent> inm=<If-None-Match>") so tests can count
 * requests and check headers.
 *
 * Paths:
 *   /robots.txt           see -r; "allow" disallows /private for everyone;
 *                         "huge" does too, then after 600 KiB of comments
 *                         disallows /page/ (a rule past the 500 KiB a
 *                         crawler reads)
 *   /page/NAME            a small HTML page
 *   /tree/D/I             a page linking to /tree/D+1/{0,1,2}, /private/D, the
 *                         same page on "localhost" (another host), itself, a
 *                         mailto: and a javascript: link
 *   /slow/NAME            a page after 200 ms (for concurrency counting)
 *   /private/...          a page robots.txt forbids
 *   /timeout              reads the request and never answers
 *   /reset                reads the request and resets the connection
 *   /flaky/KEY            500 the first time for KEY, then a page
 *   /fail503              always 503
 *   /retry-after/KEY      429 with Retry-After: 1 the first time, then a page
 *   /retry-after-long     503 with Retry-After: 86400
 *   /loop/N               302 to /loop/N+1, for ever
 *   /to-file              302 to file:///etc/passwd
 *   /moved                301 to /page/moved-here
 *   /huge                 announces 50 MB and sends zeros until the client goes
 *   /huge-chunked         chunked, no length, sends HTML until the client goes
 *   /gzip-bomb            Content-Encoding: gzip of up to 1 GB of spaces
 *   /truncated            Content-Length: 1000, sends 500 bytes, closes
 *   /drip                 sends one byte every 100 ms
 *   /image.png            a PNG
 *   /stats                "requests N" and "max_inflight N" (not counted)
 * anything else is 404.
 *
 * Each connection has its own thread; keep-alive is supported because curl
 * reuses connections.  Not a general server: GET only, no request bodies.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static const char *robots_mode = "allow";
static FILE *reqlog;
static int port;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long requests, inflight, max_inflight;

/* Per-key counters for the paths that fail once. */
#define MAX_KEYS 256
static char *keys[MAX_KEYS];
static int key_hits[MAX_KEYS];

static int hit(const char *key)
{
	pthread_mutex_lock(&mu);
	int i, n = 0;
	for (i = 0; i < MAX_KEYS && keys[i]; i++)
		if (!strcmp(keys[i], key))
			break;
	if (i < MAX_KEYS) {
		if (!keys[i])
			keys[i] = strdup(key);
		n = ++key_hits[i];
	}
	pthread_mutex_unlock(&mu);
	return n;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static int send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static int sendf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sendf(int fd, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	return send_all(fd, buf, (size_t)n);
}

/* A complete response with a body. */
static int respond(int fd, int code, const char *type, const char *extra, const char *body)
{
	const char *text = code == 200 ? "OK" : code == 404 ? "Not Found" : "Status";
	return sendf(fd, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n%s",
	             code, text, type, strlen(body), extra ? extra : "", body);
}

static int page(int fd, const char *name)
{
	char body[1024];
	snprintf(body, sizeof body,
	         "<!DOCTYPE html>\n<html><head><title>%s</title></head>\n"
	         "<body><h1>%s</h1><p>Micro-credentials page %s.</p></body></html>\n",
	         name, name, name);
	return respond(fd, 200, "text/html; charset=utf-8", NULL, body);
}

static int tree(int fd, const char *rest)
{
	int d = 0, i = 0;
	if (sscanf(rest, "%d/%d", &d, &i) != 2)
		return respond(fd, 404, "text/plain", NULL, "no such tree page\n");
	char body[4096];
	snprintf(body, sizeof body,
	         "<!DOCTYPE html>\n<html><head><title>tree %d/%d</title></head><body>\n"
	         "<p>Level %d, page %d.</p>\n<ul>\n"
	         "<li><a href=\"/tree/%d/0\">first</a></li>\n"
	         "<li><a href=\"../%d/1#section\">second</a></li>\n"
	         "<li><a href=\"http://127.0.0.1:%d/tree/%d/2\">third</a></li>\n"
	         "<li><a href=\"/private/%d\">private</a></li>\n"
	         "<li><a href=\"http://localhost:%d/tree/%d/9\">elsewhere</a></li>\n"
	         "<li><a href=\"\">itself</a> <a href=\"#top\">top</a></li>\n"
	         "<li><a href=\"mailto:office@example.org\">mail</a> "
	         "<a href=\"javascript:void(0)\">script</a></li>\n"
	         "</ul></body></html>\n",
	         d, i, d, i, d + 1, d + 1, port, d + 1, d, port, d + 1);
	return respond(fd, 200, "text/html", NULL, body);
}

static int huge_robots(int fd)
{
	static const char head[] = "User-agent: *\nDisallow: /private\n";
	static const char tail[] = "Disallow: /page/\n";
	char pad[1024];
	memset(pad, 'x', sizeof pad);
	pad[0] = '#';
	pad[sizeof pad - 1] = '\n';
	size_t n = strlen(head) + 600 * sizeof pad + strlen(tail);
	if (sendf(fd,
	          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s", n,
	          head))
		return -1;
	for (int i = 0; i < 600; i++)
		if (send_all(fd, pad, sizeof pad))
			return -1;
	return send_all(fd, tail, strlen(tail));
}

static int robots(int fd)
{
	if (!strcmp(robots_mode, "404"))
		return respond(fd, 404, "text/plain", NULL, "not here\n");
	if (!strcmp(robots_mode, "503"))
		return respond(fd, 503, "text/plain", NULL, "down\n");
	if (!strcmp(robots_mode, "redirect"))
		return respond(fd, 301, "text/plain", "Location: /robots-real.txt\r\n", "moved\n");
	if (!strcmp(robots_mode, "loop"))
		return respond(fd, 301, "text/plain", "Location: /robots.txt?again\r\n", "again\n");
	if (!strcmp(robots_mode, "huge"))
		return huge_robots(fd);
	return respond(fd, 200, "text/plain", NULL,
	               "# faultd\nUser-agent: *\nDisallow: /private\n");
}

static void hold_until_closed(int fd, int max_ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	char buf[256];
	for (int waited = 0; waited < max_ms; waited += 100) {
		if (poll(&p, 1, 100) > 0 && recv(fd, buf, sizeof buf, 0) <= 0)
			return;
	}
}

static void huge(int fd)
{
	if (sendf(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n",
	          50 * 1000 * 1000))
		return;
	static char zeros[65536];
	for (long sent = 0; sent < 50L * 1000 * 1000; sent += (long)sizeof zeros)
		if (send_all(fd, zeros, sizeof zeros))
			return;
}

static void huge_chunked(int fd)
{
	if (sendf(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
	              "\r\n"))
		return;
	static char chunk[65536];
	memset(chunk, 'a', sizeof chunk);
	for (int i = 0; i < 2000; i++)
		if (sendf(fd, "%zx\r\n", sizeof chunk) || send_all(fd, chunk, sizeof chunk) ||
		    send_all(fd, "\r\n", 2))
			return;
	send_all(fd, "0\r\n\r\n", 5);
}

/* Streams gzip output of 1 GB of spaces: about 1 MB on the wire. */
static void gzip_bomb(int fd)
{
	if (sendf(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
	              "Connection: close\r\n\r\n"))
		return;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	static unsigned char in[65536], out[65536];
	memset(in, ' ', sizeof in);
	long long total = 1024LL * 1024 * 1024;
	int failed = 0;
	for (long long fed = 0; fed < total && !failed; fed += (long long)sizeof in) {
		z.next_in = in;
		z.avail_in = sizeof in;
		int flush = fed + (long long)sizeof in >= total ? Z_FINISH : Z_NO_FLUSH;
		do {
			z.next_out = out;
			z.avail_out = sizeof out;
			deflate(&z, flush);
			size_t have = sizeof out - z.avail_out;
			if (have && send_all(fd, out, have))
				failed = 1;
		} while (z.avail_out == 0 && !failed);
	}
	deflateEnd(&z);
}

static void truncated(int fd)
{
	char body[501];
	memset(body, 'x', 500);
	body[500] = 0;
	memcpy(body, "<html><body><p>", 15);
	sendf(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n%s",
	      body);
}

static void drip(int fd)
{
	if (sendf(fd,
	          "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000\r\n\r\n"))
		return;
	for (int i = 0; i < 10000; i++) {
		if (send_all(fd, "x", 1))
			return;
		sleep_ms(100);
	}
}

static void reset(int fd)
{
	struct linger l = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

static int png(int fd)
{
	static const unsigned char img[] = {
	    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I',  'H',  'D',  'R', 0,
	    0,    0,   1,   0,   0,    0,    1,    8,    6, 0, 0, 0,  0x1f, 0x15, 0xc4, 0x89};
	if (sendf(fd, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: %zu\r\n\r\n",
	          sizeof img))
		return -1;
	return send_all(fd, img, sizeof img);
}

static int stats(int fd)
{
	char body[128];
	pthread_mutex_lock(&mu);
	snprintf(body, sizeof body, "requests %ld\nmax_inflight %ld\n", requests, max_inflight);
	pthread_mutex_unlock(&mu);
	return respond(fd, 200, "text/plain", NULL, body);
}

/* Serve one request; returns 0 to keep the connection, -1 to close it. */
static int serve(int fd, const char *path)
{
	char loc[256];
	if (!strcmp(path, "/robots.txt") || !strncmp(path, "/robots.txt?", 12))
		return robots(fd);
	if (!strcmp(path, "/robots-real.txt"))
		return respond(fd, 200, "text/plain", NULL,
		               "User-agent: mcthermo\nDisallow: /private\n");
	if (!strncmp(path, "/page/", 6))
		return page(fd, path + 6);
	if (!strncmp(path, "/tree/", 6))
		return tree(fd, path + 6);
	if (!strncmp(path, "/private/", 9))
		return page(fd, "private");
	if (!strncmp(path, "/slow/", 6)) {
		sleep_ms(200);
		return page(fd, path + 6);
	}
	if (!strcmp(path, "/timeout")) {
		hold_until_closed(fd, 60000);
		return -1;
	}
	if (!strcmp(path, "/reset")) {
		reset(fd);
		return -1;
	}
	if (!strncmp(path, "/flaky/", 7))
		return hit(path) == 1 ? respond(fd, 500, "text/plain", NULL, "oops\n")
		                      : page(fd, path + 7);
	if (!strcmp(path, "/fail503"))
		return respond(fd, 503, "text/plain", NULL, "busy\n");
	if (!strncmp(path, "/retry-after/", 13))
		return hit(path) == 1
		           ? respond(fd, 429, "text/plain", "Retry-After: 1\r\n", "slow down\n")
		           : page(fd, path + 13);
	if (!strcmp(path, "/retry-after-long"))
		return respond(fd, 503, "text/plain", "Retry-After: 86400\r\n",
		               "come back tomorrow\n");
	if (!strncmp(path, "/loop/", 6)) {
		snprintf(loc, sizeof loc, "Location: /loop/%d\r\n", atoi(path + 6) + 1);
		return respond(fd, 302, "text/plain", loc, "round we go\n");
	}
	if (!strcmp(path, "/to-file"))
		return respond(fd, 302, "text/plain", "Location: file:///etc/passwd\r\n",
		               "there\n");
	if (!strcmp(path, "/moved"))
		return respond(fd, 301, "text/plain", "Location: /page/moved-here\r\n", "moved\n");
	if (!strcmp(path, "/huge")) {
		huge(fd);
		return -1;
	}
	if (!strcmp(path, "/huge-chunked")) {
		huge_chunked(fd);
		return -1;
	}
	if (!strcmp(path, "/gzip-bomb")) {
		gzip_bomb(fd);
		return -1;
	}
	if (!strcmp(path, "/truncated")) {
		truncated(fd);
		return -1;
	}
	if (!strcmp(path, "/drip")) {
		drip(fd);
		return -1;
	}
	if (!strcmp(path, "/image.png"))
		return png(fd);
	if (!strcmp(path, "/stats"))
		return stats(fd);
	return respond(fd, 404, "text/plain", NULL, "not found\n");
}

/* The value of a request header, copied into out ("" when absent). */
static void header(const char *req, const char *name, char *out, size_t outsz)
{
	out[0] = 0;
	size_t k = strlen(name);
	for (const char *l = strstr(req, "\r\n"); l && l[2]; l = strstr(l + 2, "\r\n")) {
		const char *h = l + 2;
		if (strncasecmp(h, name, k) == 0 && h[k] == ':') {
			h += k + 1;
			while (*h == ' ')
				h++;
			size_t n = strcspn(h, "\r\n");
			snprintf(out, outsz, "%.*s", (int)n, h);
			return;
		}
	}
}

static void *connection(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[16384];
	size_t have = 0;
	for (;;) {
		char *end;
		buf[have] = 0;
		while (!(end = strstr(buf, "\r\n\r\n"))) {
			if (have >= sizeof buf - 1)
				goto out;
			ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
			if (n <= 0)
				goto out;
			have += (size_t)n;
			buf[have] = 0;
		}
		*end = 0;
		char method[16], path[2048], ua[256], inm[256], conn[64];
		if (sscanf(buf, "%15s %2047s", method, path) != 2)
			goto out;
		header(buf, "User-Agent", ua, sizeof ua);
		header(buf, "If-None-Match", inm, sizeof inm);
		header(buf, "Connection", conn, sizeof conn);
		int counted = strcmp(path, "/stats") != 0;
		pthread_mutex_lock(&mu);
		if (counted) {
			requests++;
			if (++inflight > max_inflight)
				max_inflight = inflight;
		}
		if (reqlog) {
			fprintf(reqlog, "%lld %s ua=%s inm=%s\n", now_ms(), path, ua, inm);
			fflush(reqlog);
		}
		pthread_mutex_unlock(&mu);
		size_t used = (size_t)(end + 4 - buf);
		memmove(buf, buf + used, have - used);
		have -= used;
		int rc = serve(fd, path);
		pthread_mutex_lock(&mu);
		if (counted)
			inflight--;
		pthread_mutex_unlock(&mu);
		if (rc || !strcasecmp(conn, "close"))
			break;
	}
out:
	close(fd);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: faultd [-p PORT] [-r allow|404|503|redirect|loop|huge] [-l LOGFILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "p:r:l:")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'r':
			robots_mode = optarg;
			break;
		case 'l':
			reqlog = fopen(optarg, "a");
			if (!reqlog) {
				perror(optarg);
				return 1;
			}
			break;
		default:
			usage();
		}
	}
	signal(SIGPIPE, SIG_IGN);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	socklen_t alen = sizeof a;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 64) ||
	    getsockname(s, (struct sockaddr *)&a, &alen)) {
		perror("faultd");
		return 1;
	}
	port = ntohs(a.sin_port);
	printf("%d\n", port);
	fflush(stdout);
	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("faultd: accept");
			return 1;
		}
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, connection, (void *)(intptr_t)c) != 0)
			close(c);
		pthread_attr_destroy(&attr);
	}
}
