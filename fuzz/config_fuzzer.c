/*
 * fuzz/config_fuzzer.c - libFuzzer target for configuration files.
 *
 * A configuration is written by a person, but it is also the file most often
 * copied from elsewhere, edited by scripts and half-merged, so its parser
 * must refuse anything malformed with a "file:line: ..." message and never
 * crash.  mct_config_load reads a path, so each input is written to one
 * temporary file (made once per process) and loaded from there.
 *
 * Besides memory errors (the target is built with ASan and UBSan) it checks
 * what a loaded configuration promises: every source has an id, a valid
 * country, a known kind and an http(s) or absolute file:// URL; numbers are
 * in their documented ranges; paths are absolute (resolved against the
 * file's folder).  A refusal names the file and never leaves a config.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void remove_file(void)
{
	unlink(path);
}

static int any_indicator(const char *id)
{
	return id[0] != 'x'; /* refuse some, so both outcomes are reached */
}

static void check_loaded(const mct_config *cfg)
{
	const struct mct_crawler_config *cr = &cfg->crawler;
	if (!cfg->store_path || !cfg->rules_path || !cr->user_agent || !cr->user_agent[0])
		abort();
	if ((cfg->store_path[0] != '/' && strncmp(cfg->store_path, "~/", 2) != 0) ||
	    cfg->rules_path[0] != '/')
		abort();
	if (cr->concurrency < 1 || cr->concurrency > 256 || cr->timeout_s < 1 || cr->retries < 0 ||
	    cr->retries > 10 || cr->max_body_bytes < 1024 || cr->per_host_connections < 1 ||
	    cr->max_pages < 1)
		abort();
	for (size_t i = 0; i < cfg->nsources; i++) {
		const mct_source *s = &cfg->sources[i];
		if (!s->id || !s->id[0] || !s->url || !s->lang || !mct_country_valid(s->country))
			abort();
		if ((unsigned)s->kind >= MCT_KIND_COUNT || s->depth < 0 || s->depth > 10)
			abort();
		if (strncasecmp(s->url, "http://", 7) != 0 &&
		    strncasecmp(s->url, "https://", 8) != 0 && strncmp(s->url, "file:///", 8) != 0)
			abort();
		if (mct_config_source(cfg, s->id) != &cfg->sources[i])
			abort(); /* ids are unique */
	}
	double sum = 0;
	for (int d = 0; d < 4; d++)
		sum += cfg->score.dimension_weight[d];
	if (!(sum > 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		/* /dev/shm when there is one: a disk file costs more than the parse */
		snprintf(path, sizeof path, "/dev/shm/mct-config-fuzz-XXXXXX");
		int fd = mkstemp(path);
		if (fd < 0) {
			snprintf(path, sizeof path, "/tmp/mct-config-fuzz-XXXXXX");
			fd = mkstemp(path);
		}
		if (fd < 0)
			abort();
		close(fd);
		atexit(remove_file);
	}
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	mct_config *cfg = NULL;
	mct_err err;
	memset(&err, 0, sizeof err);
	if (mct_config_load(path, &cfg, &err) != MCT_OK) {
		if (cfg || strncmp(err.msg, path, strlen(path)) != 0 || err.code != MCT_ERR_CONFIG)
			abort();
		return 0;
	}
	check_loaded(cfg);
	if (mct_config_check_indicators(cfg, any_indicator, &err) != MCT_OK &&
	    strncmp(err.msg, path, strlen(path)) != 0)
		abort();
	mct_config_free(cfg);
	return 0;
}
