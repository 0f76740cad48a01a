/*
 * store/schema.c - the database schema and its migrations.
 *
 * Migration N turns a database of user_version N-1 into version N; each runs
 * in its own transaction together with the user_version bump, so a database
 * is always at exactly one version.  Never edit a released migration: add
 * the next one.
 *
 * Words follow the domain: a *capture* is one fetch of one URL; a *body* is
 * the bytes of a capture, stored once per sha256 (zstd-compressed); a *text*
 * is what the extractor made of a body; *evidence* is one sentence that a
 * rule found, with its provenance; *reviews* are the history of verdicts on
 * it; *readings* are dated temperatures.
 */
#include "store_internal.h"

static const char *const migrations[] = {
    /* 1: the initial schema */
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  command TEXT NOT NULL,"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  status TEXT NOT NULL DEFAULT 'running'"
    "    CHECK (status IN ('running','ok','partial','interrupted','failed')),"
    "  pid INTEGER,"
    "  summary TEXT"
    ");"
    "CREATE TABLE sources ("
    "  id TEXT PRIMARY KEY,"
    "  country TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('policy','qa','platform','he','news')),"
    "  url TEXT NOT NULL,"
    "  lang TEXT,"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  last_run INTEGER REFERENCES runs(id),"
    "  last_fetch TEXT,"
    "  last_status TEXT,"
    "  last_error TEXT"
    ");"
    "CREATE TABLE bodies ("
    "  sha256 TEXT PRIMARY KEY,"
    "  size INTEGER NOT NULL,"
    "  codec TEXT NOT NULL CHECK (codec IN ('zstd','raw')),"
    "  data BLOB NOT NULL"
    ");"
    "CREATE TABLE texts ("
    "  sha256 TEXT PRIMARY KEY REFERENCES bodies(sha256),"
    "  extractor TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  codec TEXT NOT NULL CHECK (codec IN ('zstd','raw')),"
    "  data BLOB NOT NULL"
    ");"
    "CREATE TABLE captures ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  source_id TEXT NOT NULL REFERENCES sources(id),"
    "  url TEXT NOT NULL,"
    "  final_url TEXT,"
    "  depth INTEGER NOT NULL DEFAULT 0,"
    "  http_status INTEGER,"
    "  content_type TEXT,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  fetched_at TEXT NOT NULL,"
    "  outcome TEXT NOT NULL"
    "    CHECK (outcome IN ('new','changed','unchanged','failed','skipped')),"
    "  error TEXT,"
    "  sha256 TEXT REFERENCES bodies(sha256),"
    "  text_type TEXT,"
    "  charset TEXT,"
    "  pages INTEGER,"
    "  title TEXT,"
    "  elapsed_s REAL"
    ");"
    "CREATE INDEX captures_url ON captures(url, id);"
    "CREATE INDEX captures_run ON captures(run_id);"
    "CREATE INDEX captures_source ON captures(source_id, id);"
    "CREATE TABLE rules ("
    "  id TEXT NOT NULL,"
    "  version TEXT NOT NULL,"
    "  dimension TEXT NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  weight REAL NOT NULL,"
    "  definition TEXT NOT NULL,"
    "  file TEXT,"
    "  line INTEGER,"
    "  first_loaded TEXT NOT NULL,"
    "  current INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (id, version)"
    ");"
    /* The last extraction of each URL: which body, with which rule set
     * (a fingerprint of every loaded rule version), so that `extract` only
     * redoes what a rule change or a new body affects. */
    "CREATE TABLE extractions ("
    "  url TEXT PRIMARY KEY,"
    "  capture_id INTEGER NOT NULL REFERENCES captures(id),"
    "  sha256 TEXT NOT NULL,"
    "  ruleset TEXT NOT NULL,"
    "  extracted_at TEXT NOT NULL,"
    "  run_id INTEGER REFERENCES runs(id),"
    "  evidence_count INTEGER NOT NULL,"
    "  limits_hit INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT"
    ");"
    /* One row per piece of evidence.  `ekey` is its identity across runs:
     * the URL, the country, the indicator, the sign and the normalised
     * sentence (see store/evidence.c); finding it again updates the
     * provenance (capture, offsets, rule version) and last_seen. */
    "CREATE TABLE evidence ("
    "  id INTEGER PRIMARY KEY,"
    "  ekey TEXT NOT NULL UNIQUE,"
    "  capture_id INTEGER NOT NULL REFERENCES captures(id),"
    "  source_id TEXT NOT NULL REFERENCES sources(id),"
    "  url TEXT NOT NULL,"
    "  rule_id TEXT NOT NULL,"
    "  rule_version TEXT NOT NULL,"
    "  country TEXT NOT NULL,"
    "  dimension TEXT NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  polarity TEXT NOT NULL CHECK (polarity IN ('positive','negative')),"
    "  weight REAL NOT NULL,"
    "  match TEXT NOT NULL,"
    "  snippet TEXT NOT NULL,"
    "  sentence_key TEXT NOT NULL,"
    "  offset_start INTEGER NOT NULL,"
    "  offset_end INTEGER NOT NULL,"
    "  page INTEGER,"
    "  first_seen TEXT NOT NULL,"
    "  last_seen TEXT NOT NULL,"
    "  first_run INTEGER REFERENCES runs(id),"
    "  last_run INTEGER REFERENCES runs(id),"
    "  state TEXT NOT NULL DEFAULT 'active'"
    "    CHECK (state IN ('active','gone','superseded')),"
    "  FOREIGN KEY (rule_id, rule_version) REFERENCES rules(id, version)"
    ");"
    "CREATE INDEX evidence_country ON evidence(country, state, dimension, indicator);"
    "CREATE INDEX evidence_url ON evidence(url, state);"
    "CREATE INDEX evidence_capture ON evidence(capture_id);"
    "CREATE TABLE reviews ("
    "  id INTEGER PRIMARY KEY,"
    "  evidence_id INTEGER NOT NULL REFERENCES evidence(id),"
    "  verdict TEXT NOT NULL CHECK (verdict IN ('confirmed','rejected')),"
    "  by TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  note TEXT"
    ");"
    "CREATE INDEX reviews_evidence ON reviews(evidence_id, id);"
    "CREATE TABLE readings ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER REFERENCES runs(id),"
    "  country TEXT NOT NULL,"
    "  date TEXT NOT NULL,"
    "  temperature REAL NOT NULL,"
    "  band TEXT NOT NULL,"
    "  policy REAL NOT NULL,"
    "  ecosystem REAL NOT NULL,"
    "  infra REAL NOT NULL,"
    "  usage REAL NOT NULL,"
    "  evidence_count INTEGER NOT NULL,"
    "  evidence_confirmed INTEGER NOT NULL,"
    "  evidence_pending INTEGER NOT NULL,"
    "  evidence_negative INTEGER NOT NULL,"
    "  sources_ok INTEGER NOT NULL,"
    "  sources_total INTEGER NOT NULL,"
    "  low_confidence INTEGER NOT NULL,"
    "  method_version TEXT NOT NULL,"
    "  detail TEXT,"
    "  UNIQUE (country, date)"
    ");"
    /* What each piece of evidence contributed to a reading: lets `diff`
     * and `explain` say how much each change moved the temperature. */
    "CREATE TABLE reading_evidence ("
    "  reading_id INTEGER NOT NULL REFERENCES readings(id) ON DELETE CASCADE,"
    "  evidence_id INTEGER NOT NULL REFERENCES evidence(id),"
    "  indicator TEXT NOT NULL,"
    "  strength REAL NOT NULL,"
    "  status TEXT NOT NULL,"
    "  PRIMARY KEY (reading_id, evidence_id)"
    ");",
};

int mct_schema_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *mct_schema_migration(int version)
{
	if (version < 1 || version > mct_schema_latest())
		return NULL;
	return migrations[version - 1];
}
