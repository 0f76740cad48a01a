/*
 * cli/cmd_rules.c - `mcthermo rules list|check`.
 *
 * `check` is what a rule author runs after every edit and what CI runs: it
 * loads every rule file (a load error is one file:line message), then runs
 * every example and prints one file:line line per failure.  `list` shows
 * the loaded rules and how many there are per dimension and per language,
 * the figure that tells where coverage is thin.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/rules.h"
#include "cli.h"

static void report(void *ctx, const char *file, int line, const char *msg)
{
	(void)ctx;
	fprintf(stdout, "%s:%d: %s\n", file, line, msg);
}

static int load(mct_cli *cli, mct_ruleset **rs)
{
	int rc = mct_cli_config(cli);
	if (rc)
		return rc;
	mct_err err = {0};
	if (mct_rules_load(cli->cfg->rules_path, rs, &err))
		return mct_cli_error(&err);
	return 0;
}

static int do_check(mct_cli *cli)
{
	mct_ruleset *rs;
	int rc = load(cli, &rs);
	if (rc)
		return rc;
	size_t failures = mct_rules_check(rs, report, NULL);
	if (!cli->quiet || failures)
		printf("%zu rules checked, %zu example failures\n", mct_rules_count(rs), failures);
	mct_rules_free(rs);
	return failures ? MCT_EXIT_USAGE : MCT_EXIT_OK;
}

/* Does the space-separated list `langs` contain `lang`? */
static int has_word(const char *langs, const char *lang)
{
	size_t n = strlen(lang);
	for (const char *p = langs; (p = strstr(p, lang)); p += n)
		if ((p == langs || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
			return 1;
	return 0;
}

static int do_list(mct_cli *cli, const char *indicator, const char *lang)
{
	mct_ruleset *rs;
	int rc = load(cli, &rs);
	if (rc)
		return rc;
	size_t per_dim[MCT_DIMENSIONS] = {0};
	size_t shown = 0;
	for (size_t i = 0; i < mct_rules_count(rs); i++) {
		const mct_rule_info *r = mct_rules_get(rs, i);
		if (indicator && strcmp(r->indicator, indicator) != 0)
			continue;
		if (lang && !has_word(r->langs, lang) && strcmp(r->langs, "*") != 0)
			continue;
		shown++;
		per_dim[r->dimension]++;
		if (!cli->quiet)
			printf("%-44s %-28s w=%-4g %-16s %s:%d\n", r->id, r->indicator, r->weight,
			       r->langs, r->file, r->line);
	}
	printf("\n%zu rules", shown);
	for (int d = 0; d < MCT_DIMENSIONS; d++)
		printf("%s %s %zu", d ? "," : ":", mct_dimension_ids[d], per_dim[d]);
	printf("\n");
	/* Per language: how many rules are written for it (multi-language rules
	 * count once for each of their languages). */
	static const char *langs[] = {"en", "es", "ca", "pt", "it", "fr", "de", "nl",
	                              "pl", "lv", "lt", "et", "fi", "sv", "*"};
	printf("per language:");
	for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
		size_t n = 0;
		for (size_t i = 0; i < mct_rules_count(rs); i++) {
			const mct_rule_info *r = mct_rules_get(rs, i);
			if (!strcmp(langs[l], "*") ? !strcmp(r->langs, "*")
			                           : has_word(r->langs, langs[l]))
				n++;
		}
		printf(" %s %zu", langs[l], n);
	}
	printf("\n");
	mct_rules_free(rs);
	return MCT_EXIT_OK;
}

int cmd_rules(mct_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return mct_cli_usage("rules", "expected 'list' or 'check'");
	const char *sub = argv[1];
	const char *indicator = NULL, *lang = NULL;
	static const struct option opts[] = {{"indicator", required_argument, NULL, 'i'},
	                                     {"lang", required_argument, NULL, 'l'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 'i')
			indicator = optarg;
		else if (c == 'l')
			lang = optarg;
		else
			return mct_cli_usage("rules", "unknown option '%s'", argv[optind]);
	}
	if (optind < argc - 1)
		return mct_cli_usage("rules", "unexpected argument '%s'", argv[optind + 1]);
	if (!strcmp(sub, "check")) {
		if (indicator || lang)
			return mct_cli_usage("rules", "check takes no options");
		return do_check(cli);
	}
	if (!strcmp(sub, "list"))
		return do_list(cli, indicator, lang);
	return mct_cli_usage("rules", "unknown subcommand '%s'; expected 'list' or 'check'", sub);
}
