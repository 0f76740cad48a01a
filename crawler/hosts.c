/*
 * crawler/hosts.c - per-host politeness and the run's robots.txt cache.
 *
 * A host here is an origin (scheme, host, port), because that is what a
 * robots.txt governs (RFC 9309 2.3) and what a server's capacity is shared
 * by.  Each host keeps its own FIFO of waiting jobs, the number of transfers
 * running to it, and the earliest time the next may start (the configured
 * delay after the last request, pushed further by backoff and Retry-After).
 * The scheduler in crawl.c walks the hosts round-robin, so one large site
 * never starves the others, and a host that asked us to wait delays only its
 * own queue.
 *
 * robots.txt is fetched once per host per run; the parsed file (or the
 * decision "everything allowed" / "everything disallowed") lives here until
 * the run ends.  A host whose robots.txt got no answer at all (DNS, refused,
 * timed out) is disallowed too, as RFC 9309 2.3.1.4 says, but its pages are
 * then reported with the network's reason: that is what a person must fix.  Nothing is kept across
 * runs: a robots.txt is small, and a site's new rules apply from the next night on.
 *
 * Hosts are found by a linear search: a crawl touches tens of hosts, not
 * thousands; if that ever changes, put them in a hash table.
 */
#include "crawl_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

mct_host *mct_hosts_get(mct_hosts *hs, const char *origin)
{
	for (size_t i = 0; i < hs->n; i++)
		if (strcmp(hs->v[i]->origin, origin) == 0)
			return hs->v[i];
	mct_host *h = mct_xcalloc(1, sizeof *h);
	h->origin = mct_xstrdup(origin);
	hs->v = mct_xrealloc(hs->v, (hs->n + 1) * sizeof *hs->v);
	hs->v[hs->n++] = h;
	return h;
}

void mct_job_free(mct_job *j)
{
	if (!j)
		return;
	free(j->url);
	free(j);
}

void mct_hosts_free(mct_hosts *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		mct_host *h = hs->v[i];
		mct_job *j;
		while ((j = mct_host_pop(h)))
			mct_job_free(j);
		mct_robots_free(h->robots);
		free(h->deny_all);
		free(h->no_answer);
		free(h->origin);
		free(h);
	}
	free(hs->v);
	memset(hs, 0, sizeof *hs);
}

void mct_host_push(mct_host *h, mct_job *j)
{
	j->next = NULL;
	j->host = h;
	if (h->tail)
		h->tail->next = j;
	else
		h->head = j;
	h->tail = j;
}

void mct_host_push_front(mct_host *h, mct_job *j)
{
	j->host = h;
	j->next = h->head;
	h->head = j;
	if (!h->tail)
		h->tail = j;
}

mct_job *mct_host_pop(mct_host *h)
{
	mct_job *j = h->head;
	if (!j)
		return NULL;
	h->head = j->next;
	if (!h->head)
		h->tail = NULL;
	j->next = NULL;
	return j;
}

int mct_host_may_start(const mct_host *h, double now, int per_host_connections)
{
	return h->active < per_host_connections && now >= h->next_start;
}

void mct_host_started(mct_host *h, double now, int delay_ms)
{
	h->active++;
	double next = now + delay_ms / 1000.0;
	if (next > h->next_start)
		h->next_start = next;
}

/* The delay counts from the end of a request as well as from its start, so
 * a slow server gets the full pause between our requests. */
void mct_host_finished(mct_host *h, double now, int delay_ms)
{
	assert(h->active > 0);
	h->active--;
	double next = now + delay_ms / 1000.0;
	if (next > h->next_start)
		h->next_start = next;
}

void mct_host_defer(mct_host *h, double until)
{
	if (until > h->next_start)
		h->next_start = until;
}

void mct_host_set_robots(mct_host *h, mct_robots_fetch how, const char *body, size_t n,
                         const char *why)
{
	mct_robots_free(h->robots);
	h->robots = NULL;
	free(h->deny_all);
	free(h->no_answer);
	h->deny_all = h->no_answer = NULL;
	h->robots_state = MCT_ROBOTS_READY;
	switch (how) {
	case MCT_ROBOTS_FOUND:
		if (n > MCT_ROBOTS_MAX_BYTES)
			n = MCT_ROBOTS_MAX_BYTES;
		h->robots = mct_robots_parse(body ? body : "", n);
		if (!h->robots) /* out of memory: be safe rather than impolite */
			h->deny_all = mct_xstrdup("robots.txt could not be parsed (out of memory)");
		break;
	case MCT_ROBOTS_UNAVAILABLE:
		break;
	case MCT_ROBOTS_UNREACHABLE:
		h->deny_all = mct_xasprintf("robots.txt unreachable (%s), so nothing is fetched "
		                            "from %s in this run",
		                            why && *why ? why : "no answer", h->origin);
		break;
	case MCT_ROBOTS_NO_ANSWER:
		/* The pages would fail the same way: say so in the network's
		 * words rather than in robots.txt's. */
		h->no_answer = mct_xstrdup(why && *why ? why : "no answer");
		break;
	}
}

int mct_host_allows(const mct_host *h, const char *agent, const char *url, char *why, size_t whysz)
{
	if (h->no_answer) {
		snprintf(why, whysz, "%s", h->no_answer);
		return 0;
	}
	if (h->deny_all) {
		snprintf(why, whysz, "disallowed: %s", h->deny_all);
		return 0;
	}
	if (!h->robots)
		return 1;
	mct_robots_verdict v = mct_robots_check(h->robots, agent, url);
	if (v.allowed)
		return 1;
	if (v.line > 0)
		snprintf(why, whysz, "disallowed by robots.txt line %d (%s)", v.line, v.rule);
	else
		snprintf(why, whysz, "disallowed by robots.txt");
	return 0;
}
