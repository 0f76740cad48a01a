/*
 * report/report.c - writing the dashboard: make the folder, load the model,
 * render each page and data file in memory, and put each file in place
 * atomically.
 *
 * Atomic means: written to a hidden temporary name in the same folder,
 * flushed, then renamed over the old file.  A reader (a browser left open,
 * a web server publishing the folder) sees either the old page or the new
 * one, and a report stopped half-way leaves the previous files whole.  The
 * site as a whole is not switched in one step: an interrupted report may mix
 * new pages with old ones, each of them complete.
 *
 * Pages of countries that no longer have readings are left where they are;
 * the index no longer links them.  Nothing else in the folder is touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_internal.h"

/* mkdir -p: create dir and its missing parents. */
static mct_status make_dir(const char *dir, mct_err *err)
{
	char *path = mct_xstrdup(dir);
	mct_status rc = MCT_OK;
	for (char *p = path + 1;; p++) {
		char c = *p;
		if (c != '/' && c != 0)
			continue;
		*p = 0;
		struct stat sb;
		if (stat(path, &sb) == 0) {
			if (!S_ISDIR(sb.st_mode)) {
				rc = mct_fail(
				    err, MCT_ERR_USAGE,
				    "%s: exists and is not a folder; choose another --out", path);
				break;
			}
		} else if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			rc = mct_fail(err, MCT_ERR_IO, "%s: cannot create the folder: %s", path,
			              strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
		while (p[1] == '/')
			p++;
	}
	free(path);
	return rc;
}

static mct_status write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return MCT_ERR_IO;
		data += w;
		len -= (size_t)w;
	}
	return MCT_OK;
}

/* Write data to dir/name through a temporary file and a rename. */
static mct_status put_file(const char *dir, const char *name, const char *data, size_t len,
                           mct_err *err)
{
	char *path = mct_xasprintf("%s/%s", dir, name);
	char *tmp = mct_xasprintf("%s/.%s.XXXXXX", dir, name);
	mct_status rc = MCT_OK;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = mct_fail(err, MCT_ERR_IO, "%s: cannot create a file in the folder: %s", tmp,
		              strerror(errno));
		goto out;
	}
	/* mkstemp makes the file private; a published page is for everyone. */
	if (fchmod(fd, 0644) != 0 || write_all(fd, data, len) != MCT_OK || fsync(fd) != 0) {
		rc = mct_fail(err, MCT_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		rc = mct_fail(err, MCT_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	free(path);
	return rc;
}

/* Write what was rendered into b, empty b for the next file, count it. */
static mct_status emit(const char *dir, const char *name, mct_buf *b, mct_report_stats *stats,
                       mct_err *err)
{
	mct_status rc = put_file(dir, name, b->data, b->len, err);
	mct_buf_reset(b);
	if (!rc)
		stats->files++;
	return rc;
}

/* A file name the caller may choose: plain, visible, inside the folder. */
static int plain_name(const char *name)
{
	return name && *name && name[0] != '.' && !strchr(name, '/');
}

mct_status mct_report_write(mct_store *st, const char *out_dir, const mct_report_file *extra,
                            size_t n, mct_report_stats *stats, mct_err *err)
{
	mct_report_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	if (!out_dir || !*out_dir)
		return mct_fail(err, MCT_ERR_USAGE, "no output folder given; use --out DIR");
	for (size_t i = 0; i < n; i++)
		if (!plain_name(extra[i].name))
			return mct_fail(err, MCT_ERR_INTERNAL, "report file '%s': not a plain name",
			                extra[i].name ? extra[i].name : "(null)");
	mct_status rc = make_dir(out_dir, err);
	if (rc)
		return rc;
	mct_rp_model m;
	if ((rc = mct_rp_model_load(st, &m, err)))
		return rc;
	stats->readings = m.nreadings;
	snprintf(stats->latest, sizeof stats->latest, "%s", m.latest);
	mct_buf b;
	mct_buf_init(&b);
	for (size_t i = 0; !rc && i < m.n; i++) {
		char file[16];
		mct_html_country_file(file, m.countries[i].cc);
		if (!(rc = mct_rp_country_page(&b, st, &m, &m.countries[i], err)) &&
		    !(rc = emit(out_dir, file, &b, stats, err)))
			stats->countries++;
	}
	for (size_t i = 0; !rc && i < n; i++)
		if (!(rc = put_file(out_dir, extra[i].name, extra[i].data, extra[i].len, err)))
			stats->files++;
	if (!rc && !(rc = mct_rp_evidence_csv(&b, st, &stats->evidence, err)))
		rc = emit(out_dir, "evidence.csv", &b, stats, err);
	/* The index last: it links everything written before it. */
	if (!rc) {
		mct_rp_index(&b, &m);
		rc = emit(out_dir, "index.html", &b, stats, err);
	}
	mct_buf_free(&b);
	mct_rp_model_free(&m);
	return rc;
}
