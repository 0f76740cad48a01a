/*
 * rules/indicators.c - the indicator catalogue: the four dimensions of the
 * temperature and the indicators each one is measured by.
 *
 * The ids are the stable vocabulary shared by rule files, evidence rows,
 * readings and reports, so they live in one table compiled into the
 * program rather than in a data file that could drift from the rules.  An
 * indicator's dimension is always the part of its id before the dot; the
 * table keeps it as an index so callers do not parse ids.  Weights of
 * indicators within a dimension belong to the scorer, not here.
 */
#include "rules.h"

#include <string.h>

const char *const mct_dimension_ids[MCT_DIMENSIONS] = {"policy", "ecosystem", "infra", "usage"};

const char *const mct_dimension_names[MCT_DIMENSIONS] = {
    "Policy & Recognition", "Ecosystem & Adoption", "Infra & Standards", "Usage & Market"};

enum { POLICY, ECOSYSTEM, INFRA, USAGE };

const mct_indicator mct_indicators[] = {
    {"policy.definition", POLICY, "National definition",
     "An official national term or definition of micro-credentials in law, decree, "
     "regulation or ministry guidance."},
    {"policy.strategy", POLICY, "National strategy",
     "A national plan, strategy or programme that names micro-credentials."},
    {"policy.funding", POLICY, "Public funding",
     "Dedicated public money (amounts, budget lines, calls) for developing "
     "micro-credentials or paying for learners."},
    {"policy.council_rec", POLICY, "Council Recommendation",
     "The country reports on or implements the 2022 Council Recommendation on "
     "micro-credentials."},
    {"policy.nqf", POLICY, "Qualifications framework",
     "Micro-credentials linked to the NQF/EQF (levels, partial qualifications)."},
    {"policy.qa", POLICY, "Quality assurance",
     "A quality-assurance framework or agency methodology that covers micro-credentials."},
    {"policy.recognition", POLICY, "Recognition and stacking",
     "Academic recognition, credit transfer, recognition of prior learning, stacking "
     "toward degrees."},
    {"ecosystem.hei_offer", ECOSYSTEM, "Higher-education offer",
     "Universities and colleges offering micro-credentials (counts, shares, named "
     "institutions)."},
    {"ecosystem.vet_offer", ECOSYSTEM, "VET and adult-learning offer",
     "VET, adult-education, NGO or employer providers of micro-credentials."},
    {"ecosystem.alliances", ECOSYSTEM, "Alliances and networks",
     "European University alliances and cross-border networks issuing micro-credentials."},
    {"ecosystem.governance", ECOSYSTEM, "Governance bodies",
     "National working or advisory groups, observatories and consultation bodies."},
    {"ecosystem.industry", ECOSYSTEM, "Industry involvement",
     "Employers and industry co-designing micro-credentials."},
    {"ecosystem.pilots", ECOSYSTEM, "Pilots and projects",
     "Pilot projects and funded projects on micro-credentials."},
    {"infra.portal", INFRA, "National portal or register",
     "A national portal, catalogue or register of micro-credentials."},
    {"infra.digital_credentials", INFRA, "Digital credentials",
     "Europass, European Digital Credentials for Learning (ELM) or digital wallets."},
    {"infra.open_badges", INFRA, "Open Badges", "Open Badges platforms and issuing."},
    {"infra.ects", INFRA, "ECTS and workload",
     "ECTS allocation and workload rules for micro-credentials."},
    {"infra.elements", INFRA, "Certificate elements",
     "Required certificate elements (learning outcomes, assessment, level ...)."},
    {"infra.skills_taxonomy", INFRA, "Skills taxonomy",
     "ESCO or national skills catalogues linked to micro-credentials."},
    {"usage.enrolment", USAGE, "Enrolment", "Learner numbers and participation."},
    {"usage.issued", USAGE, "Credentials issued",
     "Number of micro-credentials or courses developed or issued."},
    {"usage.employer_recognition", USAGE, "Employer recognition",
     "Employers' awareness, acceptance and use of micro-credentials in hiring."},
    {"usage.learner_support", USAGE, "Learner support",
     "Scholarships, vouchers, free access for unemployed or vulnerable learners."},
    {"usage.target_groups", USAGE, "Target groups",
     "Upskilling and reskilling aimed at adults, SMEs and job-seekers."},
    {"usage.mooc_platforms", USAGE, "MOOC and online platforms",
     "MOOC and online platforms issuing certificates."},
};

const size_t mct_indicator_count = sizeof mct_indicators / sizeof mct_indicators[0];

int mct_indicator_find(const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < mct_indicator_count; i++)
		if (strcmp(mct_indicators[i].id, id) == 0)
			return (int)i;
	return -1;
}

int mct_dimension_find(const char *id)
{
	if (!id)
		return -1;
	for (int i = 0; i < MCT_DIMENSIONS; i++)
		if (strcmp(mct_dimension_ids[i], id) == 0)
			return i;
	return -1;
}
