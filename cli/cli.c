/*
 * cli/cli.c - global options, the dispatch table, and the helpers every
 * command shares.
 *
 * git-style: `mcthermo [global options] COMMAND [options]`.  Global options
 * come before the command; each command parses its own.  The config is
 * loaded only by commands that need it, so `mcthermo text FILE` and
 * `mcthermo robots FILE URL` work without one.
 */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../rules/rules.h"

const mct_command mct_commands[] = {
    {"run", cmd_run, "crawl, extract and score: the nightly job",
     "usage: mcthermo run [-q] [--date YYYY-MM-DD] [--source ID]...\n"
     "\n"
     "Runs the nightly job: crawl every enabled source, extract evidence from\n"
     "what changed, and store a dated reading per country; then print a short\n"
     "summary. With -q (global) it prints only when a temperature moved by more\n"
     "than [score] quiet_threshold degrees or new evidence appeared, so cron\n"
     "mails only what matters.\n"
     "\n"
     "  --date D       date the readings (default: today, UTC)\n"
     "  --source ID    crawl only this source (repeatable)\n"
     "\n"
     "Exit: 0 ok, 1 finished but some sources failed, 2 usage/config error,\n"
     "3 database or internal error, 4 another run holds the database,\n"
     "5 interrupted (SIGINT/SIGTERM).\n"},
    {"crawl", cmd_crawl, "fetch the sources and store every fetch as a capture",
     "usage: mcthermo crawl [--source ID]...\n"
     "\n"
     "Fetches every enabled source and stores each fetch as a capture with its\n"
     "text. Politely: robots.txt (RFC 9309) is read once per host per run; at most\n"
     "per_host_connections transfers and per_host_delay_ms between requests per\n"
     "host; pages seen before are asked for conditionally (ETag, Last-Modified), so\n"
     "an unchanged site costs a few 304s. Links are followed down to a source's\n"
     "depth when they match its follow regex and stay on its host (same_site);\n"
     "max_pages caps each source. file:// sources are single documents read from\n"
     "disk: depth, follow and sitemaps do not apply. A failing source never stops\n"
     "the crawl; its reason is shown by `mcthermo sources`.\n"
     "\n"
     "  --source ID, -s ID   crawl only this source (repeatable)\n"
     "\n"
     "With -v (or on a terminal) one line per fetch goes to stderr:\n"
     "\"SOURCE  new|changed|unchanged|failed|skipped  URL  (reason)\".\n"
     "SIGINT/SIGTERM stop the crawl; finished captures are kept.\n"
     "\n"
     "Exit: 0 all sources fetched, 1 some failed, 2 usage or configuration error,\n"
     "3 database error, 4 another run holds the database, 5 interrupted.\n"},
    {"extract", cmd_extract, "apply the rules to stored captures",
     "usage: mcthermo extract [--all]\n"
     "\n"
     "Re-applies the current rules to stored captures without fetching: only\n"
     "captures not yet extracted with the current rule versions, or with --all\n"
     "every latest capture. Evidence of a superseded rule version is marked\n"
     "superseded, never deleted.\n"},
    {"score", cmd_score, "turn the evidence into dated readings",
     "usage: mcthermo score [--date YYYY-MM-DD]\n"
     "\n"
     "Stores one reading per configured country (EU level apart) for the date\n"
     "(default: today, UTC), and for every country that only EU-level sources\n"
     "speak of (with 0 sources of its own, hence low confidence). Re-scoring a\n"
     "date replaces its readings; the same evidence with the same method gives\n"
     "identical numbers. The method: docs/method.md.\n"},
    {"readings", cmd_readings, "the latest reading per country",
     "usage: mcthermo readings [--json | --csv] [--country CC]\n"
     "\n"
     "The latest reading per country: temperature, band, the four dimensions,\n"
     "the change (arrow and delta) since the previous reading, and confidence\n"
     "(sources read, evidence confirmed and pending). The band is \"unknown\"\n"
     "instead of \"frozen\" when most of a country's sources could not be read.\n"},
    {"history", cmd_history, "the series of readings of one country",
     "usage: mcthermo history CC [--json | --csv]\n"
     "\n"
     "Every reading of country CC, oldest first, with a small chart on a\n"
     "terminal.\n"},
    {"evidence", cmd_evidence, "list evidence with its provenance",
     "usage: mcthermo evidence [--country CC] [--dimension D] [--indicator I]\n"
     "                         [--polarity positive|negative]\n"
     "                         [--status pending|confirmed|rejected]\n"
     "                         [--since YYYY-MM-DD] [--all] [--json | --csv]\n"
     "       mcthermo evidence show ID\n"
     "       mcthermo evidence export --csv [filters]\n"
     "\n"
     "Lists the active evidence (--all: also gone and superseded) with its\n"
     "provenance; `show` prints everything about one item.\n"},
    {"review", cmd_review, "confirm or reject evidence",
     "usage: mcthermo review ID... confirm|reject [--note TEXT] [--by NAME]\n"
     "       mcthermo review --next [--country CC] [--dimension D]\n"
     "       mcthermo review import FILE.csv\n"
     "\n"
     "Records a verdict on evidence. Reviews are a history; the score uses the\n"
     "latest verdict.\n"},
    {"explain", cmd_explain, "why a country has its temperature",
     "usage: mcthermo explain CC [--date YYYY-MM-DD] [--json]\n"
     "\n"
     "For each dimension and indicator: its score, the evidence behind it, and\n"
     "the gaps (negative evidence and indicators without evidence).\n"},
    {"diff", cmd_diff, "what changed between two readings",
     "usage: mcthermo diff CC D1 D2\n"
     "\n"
     "Evidence that appeared, disappeared or changed review status between the\n"
     "readings of dates D1 and D2, and how much each change moved the\n"
     "temperature.\n"},
    {"sources", cmd_sources, "the configured sources and their last status",
     "usage: mcthermo sources [--country CC] [--json]\n"
     "\n"
     "Every configured source with its country, kind, last status (ok, unchanged,\n"
     "failed, skipped; \"never fetched\" before its first crawl), last fetch and\n"
     "error. Works during a run; without a database yet, lists the configuration.\n"
     "\n"
     "  --country CC   only the sources of country CC (ISO code or EU)\n"
     "  --json         one JSON array of objects with the keys id, country, kind,\n"
     "                 url, last_fetch, last_status, last_error (null when unknown)\n"},
    {"rules", cmd_rules, "list or check the rule files",
     "usage: mcthermo rules list [--indicator I] [--lang L]\n"
     "       mcthermo rules check\n"
     "\n"
     "`check` compiles every rule and runs its examples, reporting file:line for\n"
     "each failure (exit 2 when any fails). `list` shows what is loaded, with\n"
     "counts per dimension and language.\n"},
    {"text", cmd_text, "print the text the extractor sees in a file",
     "usage: mcthermo text FILE [--type html|pdf|txt] [--charset NAME] [--links]\n"
     "\n"
     "Prints exactly the text the rules are applied to, with page markers for\n"
     "PDFs. The tool a rule author uses. --links also lists the links found.\n"},
    {"robots", cmd_robots, "evaluate a robots.txt file for a URL",
     "usage: mcthermo robots FILE URL [--agent NAME]\n"
     "\n"
     "Prints allowed or disallowed and the line that decided. Exit 0 allowed,\n"
     "1 disallowed, 2 error. The agent defaults to \"mcthermo\".\n"},
    {"report", cmd_report, "write the static dashboard",
     "usage: mcthermo report --out DIR\n"
     "\n"
     "Writes index.html, one page per country, readings.csv, readings.json,\n"
     "history.csv and evidence.csv into DIR (created when missing). The site opens\n"
     "from disk: no server, no external fonts or scripts.\n"},
};
const size_t mct_command_count = sizeof mct_commands / sizeof mct_commands[0];

static const char global_help[] =
    "usage: mcthermo [--config FILE] [--db FILE] [-q] [-v] COMMAND [options]\n"
    "       mcthermo help COMMAND | COMMAND --help\n"
    "       mcthermo --version\n"
    "\n"
    "The micro-credentials thermometer: crawls public policy sources, extracts\n"
    "evidence with provenance, and scores each country's temperature.\n"
    "\n"
    "Global options:\n"
    "  --config FILE  configuration (else $MCTHERMO_CONFIG, ./mcthermo.ini,\n"
    "                 $XDG_CONFIG_HOME/mcthermo/mcthermo.ini, the installed default)\n"
    "  --db FILE      database (overrides [store] path)\n"
    "  -q, --quiet    print only what matters (errors, `run -q` changes)\n"
    "  -v, --verbose  print progress\n"
    "  --version      print the version\n"
    "\n"
    "Commands:\n";

static const mct_command *find_command(const char *name)
{
	for (size_t i = 0; i < mct_command_count; i++)
		if (strcmp(mct_commands[i].name, name) == 0)
			return &mct_commands[i];
	return NULL;
}

void mct_cli_print_help(FILE *out, const char *name)
{
	const mct_command *c = name ? find_command(name) : NULL;
	if (c) {
		fputs(c->help, out);
		return;
	}
	fputs(global_help, out);
	for (size_t i = 0; i < mct_command_count; i++)
		fprintf(out, "  %-10s %s\n", mct_commands[i].name, mct_commands[i].summary);
	fputs("\nExit codes: 0 ok, 1 some sources failed, 2 usage or configuration error,\n"
	      "3 database or internal error, 4 database busy, 5 interrupted.\n"
	      "See mcthermo(1) and README.md.\n",
	      out);
}

int mct_cli_error(const mct_err *err)
{
	fprintf(stderr, "mcthermo: %s\n", err->msg);
	return mct_exit_code(err->code);
}

int mct_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "mcthermo %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mcthermo %s --help'.\n", cmd);
	return MCT_EXIT_USAGE;
}

int mct_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	}
	return 0;
}

static int indicator_known(const char *id)
{
	return mct_indicator_find(id) >= 0;
}

int mct_cli_config(mct_cli *cli)
{
	if (cli->cfg)
		return 0;
	mct_err err = {0};
	char *path = mct_config_locate(cli->config_opt, &err);
	if (!path)
		return mct_cli_error(&err);
	mct_status rc = mct_config_load(path, &cli->cfg, &err);
	free(path);
	if (rc == MCT_OK && (rc = mct_config_check_indicators(cli->cfg, indicator_known, &err))) {
		mct_config_free(cli->cfg);
		cli->cfg = NULL;
	}
	return rc ? mct_cli_error(&err) : 0;
}

const char *mct_cli_db_path(mct_cli *cli)
{
	if (cli->db_opt)
		return cli->db_opt;
	return cli->cfg ? cli->cfg->store_path : NULL;
}

int mct_cli_store(mct_cli *cli, mct_store_mode mode, mct_store **out)
{
	return mct_cli_store_open(cli, mode, mode == MCT_STORE_READWRITE, out);
}

int mct_cli_store_open(mct_cli *cli, mct_store_mode mode, int lock, mct_store **out)
{
	*out = NULL;
	if (!cli->db_opt || mode == MCT_STORE_READWRITE) {
		int rc = mct_cli_config(cli);
		if (rc)
			return rc;
	}
	mct_err err = {0};
	mct_store *st;
	if (mct_store_open(mct_cli_db_path(cli), mode, &st, &err))
		return mct_cli_error(&err);
	if (lock && mct_store_lock(st, &err)) {
		mct_store_close(st);
		return mct_cli_error(&err);
	}
	*out = st;
	return 0;
}

/* ---- signals --------------------------------------------------------------- */

volatile sig_atomic_t mct_cli_stop;

static void on_signal(int sig)
{
	(void)sig;
	mct_cli_stop = 1;
}

void mct_cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocking calls return and the stop is seen */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ---- output helpers ------------------------------------------------------ */

void mct_json_str(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned c = (unsigned char)s[i];
		const char *esc = c == '"'    ? "\\\""
		                  : c == '\\' ? "\\\\"
		                  : c == '\n' ? "\\n"
		                  : c == '\r' ? "\\r"
		                  : c == '\t' ? "\\t"
		                              : NULL;
		if (esc) {
			fputs(esc, out);
			i++;
			continue;
		}
		unsigned cp = 0;
		size_t k = mct_utf8_char(s + i, n - i, &cp);
		if (k == 0) {
			/* Text from a server's headers may be any bytes: JSON must be
			 * UTF-8, so a stray byte becomes U+FFFD. */
			fputs("\\ufffd", out);
			k = 1;
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
			/* Controls (C1 included), line separators and bidirectional
			 * overrides never go out raw: the same string, but nothing
			 * that acts on a terminal reading the JSON. */
			fprintf(out, "\\u%04x", cp);
		} else {
			fwrite(s + i, 1, k, out);
		}
		i += k;
	}
	fputc('"', out);
}

void mct_csv_field(FILE *out, const char *s)
{
	mct_buf b;
	mct_buf_init(&b);
	mct_buf_csv_field(&b, s);
	if (b.len)
		fwrite(b.data, 1, b.len, out);
	mct_buf_free(&b);
}

void mct_print_safe(FILE *out, const char *s)
{
	if (!s)
		return;
	char *clean = mct_sanitize_for_terminal(s, strlen(s));
	fputs(clean, out);
	free(clean);
}

/* ---- main ------------------------------------------------------------------------ */

int mct_cli_main(int argc, char **argv)
{
	mct_cli cli = {0};
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"db", required_argument, NULL, 'd'},
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {"verbose", no_argument, NULL, 'v'},
	                                     {"version", no_argument, NULL, 'V'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	optind = 1;
	opterr = 0;
	/* "+" stops at the first non-option: the command. */
	while ((c = getopt_long(argc, argv, "+qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cli.config_opt = optarg;
			break;
		case 'd':
			cli.db_opt = optarg;
			break;
		case 'q':
			cli.quiet = 1;
			break;
		case 'v':
			cli.verbose = 1;
			break;
		case 'V':
			printf("mcthermo %s\n", MCT_VERSION);
			return MCT_EXIT_OK;
		case 'h':
			mct_cli_print_help(stdout, NULL);
			return MCT_EXIT_OK;
		default:
			fprintf(stderr, "mcthermo: unknown or incomplete option '%s'\n",
			        argv[optind - 1]);
			fprintf(stderr, "Try 'mcthermo --help'.\n");
			return MCT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		mct_cli_print_help(stderr, NULL);
		return MCT_EXIT_USAGE;
	}
	const char *name = argv[optind];
	if (!strcmp(name, "help")) {
		if (optind + 1 < argc && !find_command(argv[optind + 1])) {
			fprintf(stderr, "mcthermo: no such command '%s'\n", argv[optind + 1]);
			return MCT_EXIT_USAGE;
		}
		mct_cli_print_help(stdout, optind + 1 < argc ? argv[optind + 1] : NULL);
		return MCT_EXIT_OK;
	}
	const mct_command *cmd = find_command(name);
	if (!cmd) {
		fprintf(stderr, "mcthermo: '%s' is not a command. See 'mcthermo --help'.\n", name);
		return MCT_EXIT_USAGE;
	}
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	int rc;
	if (mct_cli_wants_help(sub_argc, sub_argv)) {
		mct_cli_print_help(stdout, cmd->name);
		rc = MCT_EXIT_OK;
	} else {
		optind = 0; /* GNU getopt: full re-initialisation for the command */
		rc = cmd->fn(&cli, sub_argc, sub_argv);
	}
	mct_config_free(cli.cfg);
	return rc;
}
