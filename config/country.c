/*
 * config/country.c - ISO 3166-1 alpha-2 country codes and English names.
 *
 * The configuration refuses unknown country codes, so a typo ("UK" for
 * "GB", "EL" for "GR") is caught when the file is loaded rather than when a
 * reading appears under a country nobody configured.  "EU" is accepted as
 * the pseudo-country of EU-level and multi-country sources.  Names are kept
 * for the European countries the reports show; other codes print as codes.
 */
#include "config.h"

#include <string.h>

/* Every officially assigned ISO 3166-1 alpha-2 code, two letters each. */
static const char iso_codes[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
    "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFO"
    "FRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJE"
    "JMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMO"
    "MPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPW"
    "PYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTM"
    "TNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

int mct_country_valid(const char *cc)
{
	if (!cc || strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
		return 0;
	if (strcmp(cc, "EU") == 0)
		return 1;
	for (const char *p = iso_codes; *p; p += 2)
		if (p[0] == cc[0] && p[1] == cc[1])
			return 1;
	return 0;
}

static const struct {
	const char *code, *name;
} names[] = {
    {"EU", "European Union"}, {"AT", "Austria"},
    {"BE", "Belgium"},        {"BG", "Bulgaria"},
    {"CH", "Switzerland"},    {"CY", "Cyprus"},
    {"CZ", "Czechia"},        {"DE", "Germany"},
    {"DK", "Denmark"},        {"EE", "Estonia"},
    {"ES", "Spain"},          {"FI", "Finland"},
    {"FR", "France"},         {"GB", "United Kingdom"},
    {"GR", "Greece"},         {"HR", "Croatia"},
    {"HU", "Hungary"},        {"IE", "Ireland"},
    {"IS", "Iceland"},        {"IT", "Italy"},
    {"LI", "Liechtenstein"},  {"LT", "Lithuania"},
    {"LU", "Luxembourg"},     {"LV", "Latvia"},
    {"MT", "Malta"},          {"NL", "Netherlands"},
    {"NO", "Norway"},         {"PL", "Poland"},
    {"PT", "Portugal"},       {"RO", "Romania"},
    {"RS", "Serbia"},         {"SE", "Sweden"},
    {"SI", "Slovenia"},       {"SK", "Slovakia"},
    {"TR", "Türkiye"},        {"UA", "Ukraine"},
    {"AL", "Albania"},        {"BA", "Bosnia and Herzegovina"},
    {"ME", "Montenegro"},     {"MK", "North Macedonia"},
    {"MD", "Moldova"},
};

const char *mct_country_name(const char *cc)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].code, cc) == 0)
			return names[i].name;
	return cc;
}
