/*
 * cli/cli.h - the command line's contract: the dispatch table and the
 * helpers every command shares (config and store opening, option parsing,
 * error printing).
 *
 * Commands live one per file (cli/cmd_<name>.c) with one entry point
 * cmd_<name>(cli, argc, argv), git-style.  argv[0] is the command name;
 * options follow.  A command returns a process exit code (MCT_EXIT_*).
 */
#ifndef MCT_CLI_H
#define MCT_CLI_H

#include <signal.h>
#include <stdio.h>

#include "../common/mct.h"
#include "../config/config.h"
#include "../extract/extract.h"
#include "../store/store.h"

typedef struct {
	const char *config_opt; /* --config */
	const char *db_opt;     /* --db */
	int quiet;
	int verbose;
	mct_config *cfg; /* loaded by mct_cli_config() */
} mct_cli;

typedef int (*mct_cmd_fn)(mct_cli *cli, int argc, char **argv);

typedef struct {
	const char *name;
	mct_cmd_fn fn;
	const char *summary; /* one line for `mcthermo --help` */
	const char *help;    /* full text for `mcthermo help NAME` / NAME --help */
} mct_command;

extern const mct_command mct_commands[];
extern const size_t mct_command_count;

/* The whole program: global options, dispatch.  Returns the exit code. */
int mct_cli_main(int argc, char **argv);

/* Load the configuration once (locating it as config.h says); prints the
 * error and returns the exit code on failure, 0 on success. */
int mct_cli_config(mct_cli *cli);
/* The database path: --db, else [store] path of the config. */
const char *mct_cli_db_path(mct_cli *cli);
/* Open the store (loads the config first); prints errors; returns the
 * exit code, 0 on success.  READWRITE also takes the run lock. */
int mct_cli_store(mct_cli *cli, mct_store_mode mode, mct_store **out);
/* The same with the run lock optional: reviews write small transactions
 * and may be recorded while a run is going. */
int mct_cli_store_open(mct_cli *cli, mct_store_mode mode, int lock, mct_store **out);

/* Print "mcthermo: <message>" to stderr and return the exit code for it. */
int mct_cli_error(const mct_err *err);
/* Print a usage error for command `cmd` and return MCT_EXIT_USAGE. */
int mct_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 when argv holds -h or --help (before any "--"). */
int mct_cli_wants_help(int argc, char **argv);
/* Print a command's help to out. */
void mct_cli_print_help(FILE *out, const char *name);

/* Set by SIGINT/SIGTERM once mct_cli_catch_signals() was called: long
 * commands check it, stop cleanly and exit MCT_EXIT_INTERRUPTED. */
extern volatile sig_atomic_t mct_cli_stop;
void mct_cli_catch_signals(void);

/* Output helpers shared by the listing commands. */
/* Write s as a JSON string literal (quoted, escaped). NULL prints null. */
void mct_json_str(FILE *out, const char *s);
/* Write s as one CSV field (quoted when needed, RFC 4180). */
void mct_csv_field(FILE *out, const char *s);
/* One CSV record (RFC 4180) and its first physical line. */
typedef struct {
	char **fields;
	size_t n;
	int line;
} mct_csv_record;
/* Read the next record: 1 read, 0 end of file, -1 malformed (*error says
 * why; *line is where reading stopped).  *line counts physical lines. */
int mct_csv_read(FILE *in, int *line, mct_csv_record *r, const char **error);
void mct_csv_record_free(mct_csv_record *r);

/* Print text that came from crawled pages to a terminal safely. */
void mct_print_safe(FILE *out, const char *s);

/* The extract step, shared by `extract` and `run`: applies the rules (rs,
 * or those of the configuration when rs is NULL), prints a summary unless
 * quiet.  Returns an exit code. */
int mct_cli_extract(mct_cli *cli, const mct_ruleset *rs, mct_store *st, int64_t run_id, int all,
                    mct_extract_stats *stats);

/* Print everything about one piece of evidence (`evidence show`, and the
 * view of `review --next`). */
int mct_cli_evidence_show(mct_cli *cli, mct_store *st, int64_t id);

/* Command entry points (one file each). */
int cmd_run(mct_cli *cli, int argc, char **argv);
int cmd_crawl(mct_cli *cli, int argc, char **argv);
int cmd_extract(mct_cli *cli, int argc, char **argv);
int cmd_score(mct_cli *cli, int argc, char **argv);
int cmd_readings(mct_cli *cli, int argc, char **argv);
int cmd_history(mct_cli *cli, int argc, char **argv);
int cmd_evidence(mct_cli *cli, int argc, char **argv);
int cmd_review(mct_cli *cli, int argc, char **argv);
int cmd_explain(mct_cli *cli, int argc, char **argv);
int cmd_diff(mct_cli *cli, int argc, char **argv);
int cmd_sources(mct_cli *cli, int argc, char **argv);
int cmd_rules(mct_cli *cli, int argc, char **argv);
int cmd_text(mct_cli *cli, int argc, char **argv);
int cmd_robots(mct_cli *cli, int argc, char **argv);
int cmd_report(mct_cli *cli, int argc, char **argv);

#endif
