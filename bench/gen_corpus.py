#!/usr/bin/python3
"""bench/gen_corpus.py - the benchmark's web site, generated.

Writes a static site for nginx: one folder per country with an index page
that links every page of the country, N HTML pages of about 40 KB each
(head with styles and JSON-LD, a navigation menu, breadcrumbs, an article
with headings, paragraphs, lists and data tables, an aside, a footer and
inline scripts, as on a ministry's site), and small multi-page PDFs.  About
a third of the pages (and of the PDFs) carry a few sentences about
micro-credentials in the country's language (funding, a legal instrument, an
offer, quality assurance, a gap), the rest only text on other subjects, so
the rules see what a real crawl gives them: much text, little evidence.

The body text is made of pseudo-words drawn from a Zipf-like distribution
over a few thousand per-language words (built from syllables with the
language's letters and diacritics): it compresses about as well as real
prose, which matters to the storage benchmark, and it never names
micro-credentials by accident.

Everything comes from one random.Random(seed): the same seed gives the same
bytes.  Also written: robots.txt (everything allowed, no sitemap), a root
index, urls.txt (every page, index and PDF path, one per line, the URLs both
crawlers and curl fetch) and manifest.json (counts and byte totals).

Usage: gen_corpus.py --out DIR [--pages 5000] [--pdfs 100] [--seed 8]
                     [--page-kb 40]
"""

import argparse
import json
import os
import random
import zlib

# ---- languages -------------------------------------------------------------

# Country, language, syllables of its pseudo-words, a few real function
# words, its universities, and sentences about micro-credentials with
# {year} {amount} {num} {n} {day} {uni} slots.
COUNTRIES = [
    ("ES", "es", "es"),
    ("LV", "lv", "lv"),
    ("PL", "pl", "pl"),
    ("DE", "de", "de"),
    ("FI", "fi", "fi"),
    ("FR", "fr", "fr"),
    ("IE", "en", "en"),
    ("IT", "it", "it"),
    ("PT", "pt", "pt"),
    ("NL", "nl", "nl"),
    ("LT", "lt", "lt"),
    ("EE", "et", "et"),
]

SYLLABLES = {
    "es": "ca ción de la re ta da mo po ri sa ne ño tu lo ma pe gi ra cio ble ar es al en "
    "os ri án ér í ú mien to za",
    "lv": "ie ma ka ta ri la ā ē ī ū ša ža ņa ļa ko ve dz ci ba ga pa sa ne ro tu ām ēj ķi",
    "pl": "ka ro wa nie cz sz ło ść ży źd ą ę ó ki sk to po ma ra ta ne wy dz rz ch ło",
    "de": "ge be ver ung en er ein ach ter ei sch ä ö ü ß lich keit heit stand un",
    "fi": "ka lo ta ne pi ri jo ki va ta ä ö yl he ssa ssä lla llä mi sti ko ut ri",
    "fr": "pre con ment tion é è ê à ç de le la que re vi ta ne on ier eau aux ou",
    "en": "con pre ment tion ing ly er ed ver sta ter re pro dis com ment ous ate",
    "it": "zio ne la to ri ca men te gli ti va co no ra pre ssi ri ta ò è à",
    "pt": "ção ões de la ra ta ne mo po ri sa lho nh ão ê á õ ci ra ti va",
    "nl": "ge ver ing heid lijk en aa oe ij ui sch cht ten de ke ver ste",
    "lt": "ai ie uo ė į š ų ū ž ka ta ri la mo so je ti vi pa ne ku",
    "et": "õ ä ö ü ka ta mi ne ja li se ga le ma tu va ku pe ri ko",
}

FUNCTION_WORDS = {
    "es": "de la que el en y a los se del las un por con no una su para es al lo como más",
    "lv": "un ir ar par kas no uz ka tā lai arī vai bet to tas kā pēc līdz",
    "pl": "i w na z do że się nie to jest o jak po ale przez dla od co",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als",
    "fi": "ja on ei se että oli hän mutta kun tai myös ovat sekä jos vain",
    "fr": "de la le et les des en du un une est que pour dans par sur au",
    "en": "the of and to in is for that on with as by are this from at be",
    "it": "di e il la che in per un del non una sono con le da al",
    "pt": "de a o que e do da em um para com não uma os no se",
    "nl": "de het een en van in is dat op te voor met zijn aan",
    "lt": "ir yra kad į su iš per bet kaip tai ar buvo",
    "et": "ja on et ei see ka kui oli aga mis või nii",
}

UNIVERSITIES = {
    "es": ["Universidad de Salamanca", "Universitat de València", "Universidad de Granada"],
    "lv": ["Latvijas Universitāte", "Rīgas Tehniskā universitāte", "Vidzemes Augstskola"],
    "pl": ["Uniwersytet Warszawski", "Politechnika Gdańska", "Uniwersytet Jagielloński"],
    "de": ["Technische Universität München", "Universität Hamburg", "Hochschule Bremen"],
    "fi": ["Helsingin yliopisto", "Tampereen yliopisto", "Oulun yliopisto"],
    "fr": ["Université de Lille", "Université de Bordeaux", "Université Grenoble Alpes"],
    "en": ["University College Cork", "Dublin City University", "University of Galway"],
    "it": ["Università di Bologna", "Politecnico di Milano", "Università di Padova"],
    "pt": ["Universidade do Porto", "Universidade de Lisboa", "Universidade de Coimbra"],
    "nl": ["Universiteit Utrecht", "Hogeschool Rotterdam", "Universiteit Leiden"],
    "lt": ["Vilniaus universitetas", "Kauno technologijos universitetas",
           "Vytauto Didžiojo universitetas"],
    "et": ["Tartu Ülikool", "Tallinna Tehnikaülikool", "Tallinna Ülikool"],
}

MC_SENTENCES = {
    "es": [
        "El Ministerio de Universidades destina {amount} millones de euros a las "
        "microcredenciales universitarias en {year}.",
        "El Real Decreto {num}/{year} permite a las universidades ofrecer microcredenciales "
        "como títulos propios.",
        "La {uni} ofrece {n} microcredenciales en competencias digitales y sostenibilidad.",
        "La agencia de calidad ANECA publicó en {year} una guía para evaluar las "
        "microcredenciales.",
        "Todavía no existe un registro nacional de microcredenciales.",
        "El Plan Microcreds financia el diseño de microcredenciales para personas adultas.",
    ],
    "lv": [
        "Izglītības un zinātnes ministrija {year}. gadā piešķīra {amount} miljonus eiro "
        "mikrokvalifikāciju programmām.",
        "Ministru kabineta noteikumi Nr. {num} nosaka mikrokvalifikāciju izsniegšanas "
        "kārtību.",
        "{uni} piedāvā {n} mikrokvalifikācijas digitālo prasmju jomā.",
        "Mikrokvalifikācijas tiek iekļautas Latvijas kvalifikāciju ietvarstruktūrā.",
        "Latvijā vēl nav vienotas mikrokvalifikāciju definīcijas.",
        "AIKA izstrādā mikrokvalifikāciju kvalitātes nodrošināšanas metodiku.",
    ],
    "pl": [
        "Ministerstwo Nauki przeznaczyło {amount} mln zł na rozwój mikropoświadczeń w "
        "{year} roku.",
        "Rozporządzenie Ministra z dnia {day} maja {year} r. określa zasady wydawania "
        "mikropoświadczeń.",
        "{uni} oferuje {n} mikropoświadczeń w obszarze kompetencji cyfrowych.",
        "Mikropoświadczenia mogą być włączone do Zintegrowanego Systemu Kwalifikacji.",
        "W Polsce wciąż brakuje krajowego rejestru mikropoświadczeń.",
        "Polska Komisja Akredytacyjna przygotowuje wytyczne dotyczące jakości "
        "mikropoświadczeń.",
    ],
    "de": [
        "Das Bundesministerium stellt {amount} Millionen Euro für Microcredentials an "
        "Hochschulen bereit.",
        "Seit {year} regelt das Landeshochschulgesetz die Vergabe von Mikrozertifikaten "
        "durch Hochschulen.",
        "Die {uni} bietet {n} Microcredentials in den Bereichen Digitalisierung und "
        "Nachhaltigkeit an.",
        "Der Akkreditierungsrat hat Empfehlungen zur Qualitätssicherung von "
        "Microcredentials veröffentlicht.",
        "Eine bundesweite Plattform für Microcredentials gibt es bisher nicht.",
        "Microcredentials sollen künftig auf ein Studium angerechnet werden können.",
    ],
    "fi": [
        "Opetus- ja kulttuuriministeriö myönsi {amount} miljoonaa euroa mikrotutkintojen "
        "kehittämiseen vuonna {year}.",
        "Yliopistolaki mahdollistaa mikrotutkintojen tarjoamisen jatkuvan oppimisen "
        "tarpeisiin.",
        "{uni} tarjoaa {n} mikrotutkintoa digitaalisista taidoista.",
        "Kansallinen mikrotutkintojen rekisteri on vasta suunnitteilla.",
        "Mikrotutkinnot voidaan sijoittaa kansalliseen tutkintojen viitekehykseen.",
        "Korkeakoulujen arviointineuvosto arvioi mikrotutkintojen laadunvarmistusta.",
    ],
    "fr": [
        "Le ministère consacre {amount} millions d'euros au développement des "
        "microcertifications en {year}.",
        "Un arrêté du {day} mars {year} fixe les conditions de délivrance des "
        "microcertifications.",
        "L'{uni} propose {n} microcertifications dans le domaine du numérique.",
        "Le Hcéres a publié un référentiel pour l'évaluation des microcertifications.",
        "Il n'existe pas encore de registre national des microcertifications.",
        "Les microcertifications peuvent être capitalisées en vue d'un diplôme.",
    ],
    "en": [
        "The Higher Education Authority allocated €{amount} million to micro-credential "
        "development in {year}.",
        "The Qualifications and Quality Assurance Act {year} provides for the award of "
        "micro-credentials.",
        "{uni} offers {n} micro-credentials in digital skills and sustainability.",
        "QQI has issued guidelines on the quality assurance of micro-credentials.",
        "There is no national register of micro-credentials in Ireland yet.",
        "Micro-credentials can be stacked towards a full degree at several universities.",
    ],
    "it": [
        "Il Ministero dell'Università ha stanziato {amount} milioni di euro per le "
        "microcredenziali nel {year}.",
        "Il decreto ministeriale n. {num} del {year} disciplina il rilascio delle "
        "microcredenziali.",
        "L'{uni} offre {n} microcredenziali nelle competenze digitali.",
        "L'ANVUR sta definendo linee guida per la qualità delle microcredenziali.",
        "In Italia manca ancora un registro nazionale delle microcredenziali.",
        "Le microcredenziali possono essere riconosciute come crediti formativi "
        "universitari.",
    ],
    "pt": [
        "O Governo destinou {amount} milhões de euros às microcredenciais do ensino "
        "superior em {year}.",
        "A Portaria n.º {num}/{year} regula a atribuição de microcredenciais pelas "
        "instituições de ensino superior.",
        "A {uni} oferece {n} microcredenciais na área das competências digitais.",
        "A A3ES publicou orientações sobre a garantia da qualidade das microcredenciais.",
        "Ainda não existe uma plataforma nacional de microcredenciais.",
        "As microcredenciais podem ser creditadas para a obtenção de um grau.",
    ],
    "nl": [
        "Het ministerie van OCW trekt {amount} miljoen euro uit voor microcredentials in "
        "het hoger onderwijs.",
        "De pilot microcredentials loopt sinds {year} bij {n} hogescholen en universiteiten.",
        "De {uni} biedt {n} microcredentials aan op het gebied van digitale vaardigheden.",
        "De NVAO ontwikkelt een kader voor de kwaliteitszorg van microcredentials.",
        "Er is nog geen landelijk register voor microcredentials.",
        "Edubadges maakt het mogelijk om microcredentials digitaal uit te geven.",
    ],
    "lt": [
        "Švietimo, mokslo ir sporto ministerija {year} m. skyrė {amount} mln. eurų "
        "mikrokredencialų plėtrai.",
        "Ministro įsakymu patvirtintas mikrokredencialų aprašas nustato jų teikimo tvarką.",
        "{uni} siūlo {n} mikrokredencialų skaitmeninių kompetencijų srityje.",
        "Mikrokredencialai gali būti susieti su Lietuvos kvalifikacijų sandara.",
        "Lietuvoje dar nėra nacionalinio mikrokredencialų registro.",
        "Studijų kokybės vertinimo centras rengia mikrokredencialų kokybės gaires.",
    ],
    "et": [
        "Haridus- ja Teadusministeerium eraldas {year}. aastal {amount} miljonit eurot "
        "mikrokraadide arendamiseks.",
        "Kõrgharidusseadus võimaldab ülikoolidel pakkuda mikrokraade alates {year}. "
        "aastast.",
        "{uni} pakub {n} mikrokraadi digioskuste valdkonnas.",
        "HAKA töötab välja mikrokraadide kvaliteedi hindamise juhendi.",
        "Eestis puudub veel riiklik mikrokraadide register.",
        "Mikrokraadid on seotud Eesti kvalifikatsiooniraamistikuga.",
    ],
}

# Sentences at EU level, in English, that national pages quote now and then.
EU_SENTENCES = [
    "The 2022 Council Recommendation on a European approach to micro-credentials is "
    "being implemented through a national action plan.",
    "Micro-credentials are expected to carry learning outcomes, workload in ECTS and the "
    "type of assessment.",
    "Europass allows learners to store micro-credentials as European Digital Credentials.",
]

MENU = {
    "es": ["Inicio", "Ministerio", "Universidades", "Becas", "Normativa", "Prensa",
           "Transparencia", "Contacto", "Sede electrónica", "Empleo"],
    "lv": ["Sākums", "Ministrija", "Augstākā izglītība", "Stipendijas", "Tiesību akti",
           "Jaunumi", "Kontakti", "Karjera", "Projekti", "Par mums"],
    "pl": ["Strona główna", "Ministerstwo", "Szkolnictwo wyższe", "Stypendia", "Prawo",
           "Aktualności", "Kontakt", "Kariera", "Projekty", "O nas"],
    "de": ["Startseite", "Ministerium", "Hochschulen", "Förderung", "Recht", "Presse",
           "Kontakt", "Karriere", "Projekte", "Über uns"],
    "fi": ["Etusivu", "Ministeriö", "Korkeakoulut", "Rahoitus", "Säädökset", "Ajankohtaista",
           "Yhteystiedot", "Ura", "Hankkeet", "Tietoa meistä"],
    "fr": ["Accueil", "Ministère", "Universités", "Bourses", "Textes officiels", "Presse",
           "Contact", "Carrières", "Projets", "À propos"],
    "en": ["Home", "Department", "Higher education", "Funding", "Legislation", "News",
           "Contact", "Careers", "Projects", "About us"],
    "it": ["Home", "Ministero", "Università", "Borse di studio", "Normativa", "Notizie",
           "Contatti", "Lavora con noi", "Progetti", "Chi siamo"],
    "pt": ["Início", "Ministério", "Ensino superior", "Bolsas", "Legislação", "Notícias",
           "Contactos", "Carreiras", "Projetos", "Sobre nós"],
    "nl": ["Home", "Ministerie", "Hoger onderwijs", "Financiering", "Wetgeving", "Nieuws",
           "Contact", "Werken bij", "Projecten", "Over ons"],
    "lt": ["Pradžia", "Ministerija", "Aukštasis mokslas", "Stipendijos", "Teisės aktai",
           "Naujienos", "Kontaktai", "Karjera", "Projektai", "Apie mus"],
    "et": ["Avaleht", "Ministeerium", "Kõrgharidus", "Toetused", "Õigusaktid", "Uudised",
           "Kontakt", "Karjäär", "Projektid", "Meist"],
}

STYLE = """
:root{--brand:#0b3d6b;--accent:#e5a100;--muted:#5f6b76;--bg:#f6f7f9}
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;background:#fff}
.skip-link{position:absolute;left:-9999px}.skip-link:focus{left:1rem;top:1rem;z-index:100}
header.site{background:var(--brand);color:#fff}header.site a{color:#fff;text-decoration:none}
nav.primary ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;margin:0;padding:.75rem 1rem}
nav.primary li.has-sub>ul{display:none;position:absolute;background:#fff;box-shadow:0 6px 18px rgba(0,0,0,.15)}
nav.primary li.has-sub:hover>ul{display:block}.breadcrumb{font-size:.875rem;color:var(--muted);padding:.5rem 1rem}
main{max-width:72rem;margin:0 auto;padding:1rem 1rem 3rem;display:grid;grid-template-columns:minmax(0,3fr) minmax(0,1fr);gap:2rem}
article h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}article h2{font-size:1.4rem;margin-top:2rem}
table.data{border-collapse:collapse;width:100%;font-size:.9rem}table.data th,table.data td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left}
table.data tbody tr:nth-child(odd){background:var(--bg)}aside.related{border-left:3px solid var(--accent);padding-left:1rem}
footer.site{background:#15202b;color:#cfd6dd;padding:2rem 1rem;font-size:.875rem}footer.site a{color:#cfd6dd}
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#222;color:#eee;padding:1rem;display:none}
@media (max-width:48rem){main{grid-template-columns:1fr}nav.primary ul{flex-direction:column}}
"""

SCRIPT = """
(function(w,d){'use strict';
  var cfg={site:'%(site)s',page:'%(page)s',lang:'%(lang)s',consentKey:'cc-consent-v%(ver)d'};
  function readConsent(){try{return JSON.parse(w.localStorage.getItem(cfg.consentKey)||'null');}catch(e){return null;}}
  function writeConsent(v){try{w.localStorage.setItem(cfg.consentKey,JSON.stringify({v:v,t:Date.now()}));}catch(e){}}
  function banner(){var b=d.querySelector('.cookie-banner');if(!b)return;var c=readConsent();
    if(!c){b.style.display='block';}
    b.addEventListener('click',function(ev){var t=ev.target;if(t&&t.dataset&&t.dataset.consent){writeConsent(t.dataset.consent);b.style.display='none';}});}
  function menus(){var items=d.querySelectorAll('nav.primary li.has-sub');for(var i=0;i<items.length;i++){(function(li){
    var a=li.querySelector('a');a.setAttribute('aria-expanded','false');
    a.addEventListener('click',function(ev){var open=a.getAttribute('aria-expanded')==='true';a.setAttribute('aria-expanded',String(!open));});})(items[i]);}}
  function track(){var q=w._paq=w._paq||[];q.push(['setCustomDimension',%(dim)d,cfg.lang]);q.push(['trackPageView']);
    q.push(['enableLinkTracking']);var u='/stats/';q.push(['setTrackerUrl',u+'matomo.php']);q.push(['setSiteId','%(siteid)d']);}
  d.addEventListener('DOMContentLoaded',function(){banner();menus();if((readConsent()||{}).v==='all'){track();}});
})(window,document);
"""


class Lang:
    """Pseudo-words of one language with Zipf-like frequencies."""

    def __init__(self, code, rnd, size=3000):
        syl = SYLLABLES[code].split()
        words = set(FUNCTION_WORDS[code].split())
        self.function = FUNCTION_WORDS[code].split()
        vocab = []
        while len(vocab) < size:
            w = "".join(rnd.choice(syl) for _ in range(rnd.randint(1, 4)))
            if len(w) >= 2 and w not in words:
                words.add(w)
                vocab.append(w)
        # Function words first: they are the most frequent, as in real text.
        self.words = self.function + vocab
        weights = [1.0 / (r + 1) ** 1.05 for r in range(len(self.words))]
        acc, total = [], 0.0
        for x in weights:
            total += x
            acc.append(total)
        self.cum = acc

    def sentence(self, rnd, lo=8, hi=26):
        ws = rnd.choices(self.words, cum_weights=self.cum, k=rnd.randint(lo, hi))
        if rnd.random() < 0.2:
            ws.insert(rnd.randrange(len(ws)), str(rnd.randint(2, 2025)))
        if rnd.random() < 0.25:
            i = rnd.randrange(len(ws) - 1)
            ws[i] += ","
        s = " ".join(ws)
        return s[0].upper() + s[1:] + rnd.choice(".....?;")

    def paragraph(self, rnd, lo=3, hi=7):
        return " ".join(self.sentence(rnd) for _ in range(rnd.randint(lo, hi)))

    def title(self, rnd, lo=3, hi=8):
        ws = rnd.choices(self.words[20:], cum_weights=None, k=rnd.randint(lo, hi))
        s = " ".join(ws)
        return s[0].upper() + s[1:]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mc_sentence(rnd, lang):
    t = rnd.choice(MC_SENTENCES[lang])
    return t.format(year=rnd.randint(2020, 2026), amount=rnd.choice(
        ["1,5", "2", "3,2", "5", "6,5", "12", "25", "50"]) if lang not in ("en", "de", "nl")
        else rnd.choice(["1.5", "2", "3.2", "5", "6.5", "12", "25", "50"]),
        num=rnd.randint(100, 999), n=rnd.randint(3, 120), day=rnd.randint(1, 28),
        uni=rnd.choice(UNIVERSITIES[lang]))


# ---- HTML --------------------------------------------------------------------

ICON = ('<svg class="icon icon-%s" aria-hidden="true" focusable="false" width="16" height="16" '
        'viewBox="0 0 24 24"><path fill="currentColor" d="%s"/></svg>')
ICON_PATHS = {
    "caret": "M7 10l5 5 5-5z",
    "search": "M15.5 14h-.79l-.28-.27A6.47 6.47 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 "
              "3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 "
              "9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z",
    "mail": "M20 4H4c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V6c0-1.1-.9-2-2-2zm0 "
            "4l-8 5-8-5V6l8 5 8-5v2z",
    "social": "M22 12a10 10 0 1 0-11.6 9.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 2.2.2 "
              "2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.3v7A10 10 0 0 0 22 12z",
}


def icon(name):
    return ICON % (name, ICON_PATHS[name])


class Site:
    """What every page of one country's site shares: head links and style,
    the header with its navigation menu, the footer and the scripts, as a
    content management system prints them on every page."""

    def __init__(self, rnd, cc, lang, L, page_names):
        self.cc, self.lang = cc, lang
        self.host = "ministry-%s.example" % cc.lower()
        self.name = L.title(rnd, 3, 5)
        lc = cc.lower()
        head = ['<meta name="viewport" content="width=device-width, initial-scale=1">',
                '<meta name="generator" content="Drupal 10 (https://www.drupal.org)">',
                '<meta name="MobileOptimized" content="width">',
                '<meta name="HandheldFriendly" content="true">',
                '<meta name="theme-color" content="#0b3d6b">']
        for k in range(6):
            head.append('<link rel="stylesheet" media="all" href="/sites/default/files/css/'
                        'css_%s.css?delta=%d&amp;language=%s&amp;theme=gov_theme&amp;'
                        'include=eJxdkEFywyAMRS%s">' % (
                            "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
                                    for _ in range(43)), k, lang,
                            "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))))
        head.append('<link rel="preload" href="/themes/gov/fonts/source-sans-pro-v21-latin-ext-'
                    'regular.woff2" as="font" type="font/woff2" crossorigin>')
        head.append("<style>%s</style>" % STYLE)
        self.head = "".join(head)

        nav = ['<header class="site" role="banner"><div class="header__top container">'
               '<a class="site-logo" href="/%s/index.html" rel="home" title="%s">'
               '<img src="/themes/gov/logo-%s.svg" alt="%s" width="220" height="64"></a>'
               '<form class="search-block-form" action="/search" method="get" role="search">'
               '<label class="visually-hidden" for="edit-keys">Search</label>'
               '<input type="search" id="edit-keys" name="keys" size="15" maxlength="128" '
               'class="form-search form-control"><button type="submit" class="btn btn-search">'
               '%s</button></form>' % (lc, esc(self.name), lc, esc(self.name), icon("search"))]
        nav.append('<ul class="lang-switcher">%s</ul></div>' % "".join(
            '<li><a href="/%s/index.html" hreflang="%s" class="lang-link">%s</a></li>' %
            (lc, code, code.upper()) for code in (lang, "en")))
        nav.append('<nav class="primary navbar navbar-expand-lg" role="navigation" '
                   'aria-label="main" id="block-gov-main-menu"><ul class="navbar-nav menu '
                   'menu--main menu-level-0">')
        for i, item in enumerate(MENU[lang]):
            nav.append('<li class="nav-item menu-item menu-item--expanded has-sub dropdown">'
                       '<a href="/%s/index.html#m%d" class="nav-link dropdown-toggle" '
                       'data-bs-toggle="dropdown" aria-expanded="false" data-drupal-link-system'
                       '-path="node/%d">%s %s</a><ul class="dropdown-menu menu-level-1">' %
                       (lc, i, rnd.randint(10, 9999), esc(item), icon("caret")))
            for _ in range(rnd.randint(5, 8)):
                nav.append('<li class="menu-item dropdown-item"><a href="%s" class="nav-link '
                           'dropdown-link" data-drupal-link-system-path="node/%d">%s</a></li>' %
                           (rnd.choice(page_names), rnd.randint(10, 9999),
                            esc(L.title(rnd, 2, 4))))
            nav.append("</ul></li>")
        nav.append("</ul></nav></header>")
        self.header = "".join(nav)

        foot = ['<footer class="site" role="contentinfo"><div class="container"><div class="row">']
        for c in range(4):
            foot.append('<section class="col-md-3 footer-block"><h2 class="f-title">%s</h2>'
                        '<ul class="menu menu--footer">' % esc(L.title(rnd, 1, 3)))
            for _ in range(rnd.randint(6, 9)):
                foot.append('<li class="menu-item"><a href="%s" class="footer-link">%s</a>'
                            '</li>' % (rnd.choice(page_names), esc(L.title(rnd, 2, 4))))
            foot.append("</ul></section>")
        foot.append('</div><div class="footer-social">%s</div>' % "".join(
            '<a href="https://social.example/%s%d" class="social-link" rel="noopener">%s'
            '<span class="visually-hidden">%s</span></a>' % (lc, k, icon("social"), net)
            for k, net in enumerate(["Facebook", "X", "LinkedIn", "YouTube", "Instagram"])))
        foot.append('<address>%s<br>%s %d<br>%s +%d %d %d</address>' % (
            esc(L.title(rnd, 2, 3)), esc(L.title(rnd, 1, 2)), rnd.randint(1, 99), icon("mail"),
            rnd.randint(30, 49), rnd.randint(100, 999), rnd.randint(10000, 99999)))
        foot.append('<p class="legal">&copy; %d %s &middot; <a href="https://example.org/'
                    'privacy">Privacy</a> &middot; <a href="https://example.org/a11y">'
                    'Accessibility</a></p></div></footer>' % (rnd.randint(2019, 2026),
                                                                esc(self.name)))
        foot.append('<div class="cookie-banner" role="dialog" aria-live="polite"><p>%s</p>'
                    '<button data-consent="all" class="btn btn-primary">OK</button>'
                    '<button data-consent="none" class="btn btn-secondary">&times;</button>'
                    '</div>' % esc(L.sentence(rnd)))
        settings = {"path": {"baseUrl": "/", "pathPrefix": lc + "/", "currentLanguage": lang,
                             "isFront": False},
                    "pluralDelimiter": "\u0003", "suppressDeprecationErrors": True,
                    "ajaxPageState": {"libraries": ",".join(
                        "gov_theme/%s" % L.title(rnd, 1, 1).lower() for _ in range(30)),
                        "theme": "gov_theme", "theme_token": None},
                    "eu_cookie_compliance": {"cookie_name": "cookie-agreed",
                                             "popup_text": L.sentence(rnd),
                                             "domain": self.host, "cookie_lifetime": 100},
                    "user": {"uid": 0, "permissionsHash": "".join(
                        rnd.choice("0123456789abcdef") for _ in range(64))}}
        foot.append('<script type="application/json" data-drupal-selector="drupal-settings-'
                    'json">%s</script>' % json.dumps(settings, ensure_ascii=False))
        foot.append("<script>%s</script>" % (SCRIPT % {
            "site": self.host, "page": "%(page)s", "lang": lang, "ver": rnd.randint(1, 9),
            "dim": rnd.randint(1, 9), "siteid": rnd.randint(1, 99)}).replace("%", "%%")
            .replace("%%(page)s", "%(page)s"))
        for k in range(8):
            foot.append('<script src="/sites/default/files/js/js_%s.js?scope=footer&amp;'
                        'delta=%d&amp;language=%s"></script>' % (
                            "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                    for _ in range(43)), k, lang))
        self.footer = "".join(foot)


def table_html(rnd, L):
    cols = rnd.randint(4, 6)
    rows = rnd.randint(8, 18)
    out = ['<div class="table-responsive"><table class="data table table-striped">'
           '<caption>%s</caption><thead><tr>' % esc(L.title(rnd))]
    for _ in range(cols):
        out.append('<th scope="col" class="text-start">%s</th>' % esc(L.title(rnd, 1, 2)))
    out.append("</tr></thead><tbody>")
    for _ in range(rows):
        out.append('<tr><th scope="row">%s</th>' % esc(L.title(rnd, 1, 3)))
        for _ in range(cols - 1):
            v = rnd.random()
            if v < 0.5:
                cell = "{:,}".format(rnd.randint(10, 2000000)).replace(",", " ")
            elif v < 0.8:
                cell = "%.1f %%" % (rnd.random() * 100)
            else:
                cell = esc(L.title(rnd, 1, 2))
            out.append('<td class="text-end">%s</td>' % cell)
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def page_html(rnd, site, L, name, page_names, target, with_mc):
    lang, lc = site.lang, site.cc.lower()
    title = L.title(rnd, 4, 9)
    head = "".join([
        '<!DOCTYPE html>\n<html lang="%s" dir="ltr" prefix="og: https://ogp.me/ns#">'
        '<head><meta charset="utf-8">' % lang,
        "<title>%s | %s</title>" % (esc(title), esc(site.name)),
        '<meta name="description" content="%s">' % esc(L.sentence(rnd, 10, 18)),
        '<link rel="canonical" href="https://%s/%s/%s">' % (site.host, lc, name),
        '<meta property="og:title" content="%s">' % esc(title),
        '<meta property="og:url" content="https://%s/%s/%s">' % (site.host, lc, name),
        site.head,
        '<script type="application/ld+json">%s</script>' % json.dumps({
            "@context": "https://schema.org", "@type": "WebPage", "name": title,
            "inLanguage": lang, "url": "https://%s/%s/%s" % (site.host, lc, name),
            "dateModified": "%d-%02d-%02d" % (rnd.randint(2020, 2026), rnd.randint(1, 12),
                                              rnd.randint(1, 28)),
            "publisher": {"@type": "GovernmentOrganization", "name": site.name}},
            ensure_ascii=False),
        '</head><body class="path-node page-node-type-article"><a class="skip-link '
        'visually-hidden-focusable" href="#content">Skip</a><div class="dialog-off-canvas-main-'
        'canvas" data-off-canvas-main-canvas>',
        site.header,
        '<nav class="breadcrumb" aria-label="breadcrumb"><ol class="breadcrumb"><li class="'
        'breadcrumb-item"><a href="/%s/index.html">%s</a></li><li class="breadcrumb-item '
        'active" aria-current="page">%s</li></ol></nav>' % (lc, esc(MENU[lang][0]), esc(title)),
        '<main id="content" role="main" class="main-container container"><article '
        'data-history-node-id="%d" class="node node--type-article node--view-mode-full">'
        '<h1 class="page-title"><span class="field field--name-title">%s</span></h1>'
        '<div class="node__meta"><time datetime="%d-%02d-%02dT09:00:00Z">%02d.%02d.%d</time>'
        '</div><div class="clearfix text-formatted field field--name-body field--type-text-'
        'with-summary field--label-hidden field__item"><p class="lead">%s</p>' % (
            rnd.randint(100, 99999), esc(title), 2020 + rnd.randint(0, 6), rnd.randint(1, 12),
            rnd.randint(1, 28), rnd.randint(1, 28), rnd.randint(1, 12), 2020 + rnd.randint(0, 6),
            esc(L.paragraph(rnd, 2, 3))),
    ])
    aside = ['</div></article><aside class="related col-md-3" role="complementary">'
             '<h2 class="block-title">%s</h2><ul class="list-unstyled">' % esc(L.title(rnd, 1, 3))]
    for _ in range(rnd.randint(5, 9)):
        aside.append('<li class="related-item"><a href="%s" class="related-link">%s</a></li>' %
                     (rnd.choice(page_names), esc(L.title(rnd, 3, 6))))
    aside.append("</ul></aside></main>")
    tail = "".join(aside) + (site.footer % {"page": name}) + "</div></body></html>\n"
    size = len(head.encode()) + len(tail.encode())

    # MC sentences go into paragraphs of the article, at random places.
    mc = []
    if with_mc:
        mc = [mc_sentence(rnd, lang) for _ in range(rnd.randint(1, 4))]
        if rnd.random() < 0.15:
            mc.append(rnd.choice(EU_SENTENCES))
    body, section = [], 0
    while size < target:
        kind = rnd.random()
        if kind < 0.12 or section == 0:
            chunk = '<h2 id="s%d" class="heading">%s</h2>' % (section, esc(L.title(rnd)))
            section += 1
        elif kind < 0.24:
            chunk = table_html(rnd, L)
        elif kind < 0.34:
            chunk = '<ul class="list">%s</ul>' % "".join(
                "<li>%s</li>" % esc(L.sentence(rnd, 5, 14)) for _ in range(rnd.randint(3, 8)))
        else:
            text = L.paragraph(rnd, 2, 5)
            if mc and rnd.random() < 0.3:
                text = text + " " + mc.pop()
            chunk = "<p>%s</p>" % esc(text)
        body.append(chunk)
        size += len(chunk.encode())
    for s in mc:  # the page ended before every sentence found a place
        body.append("<p>%s %s</p>" % (esc(L.sentence(rnd)), esc(s)))
    return head + "".join(body) + tail


def index_html(cc, lang, names):
    out = ["<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
           "<title>%s</title></head><body><h1>%s</h1><ul>" % (lang, cc, cc)]
    for n in names:
        out.append("<li><a href=\"%s\">%s</a></li>" % (n, n))
    out.append("</ul></body></html>\n")
    return "".join(out)


# ---- PDF -------------------------------------------------------------------------

def pdf_escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def wrap(text, width=90):
    lines, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = w if not cur else cur + " " + w
    if cur:
        lines.append(cur)
    return lines


def make_pdf(title, pages):
    """A valid PDF: one Helvetica (WinAnsiEncoding) text page per entry of
    `pages` (lists of lines), Flate-compressed content streams, a cross-
    reference table with exact offsets."""
    objs = []  # bodies, object number = index + 1
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs
    kids = " ".join("%d 0 R" % (5 + 2 * i) for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages)).encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                b"/Encoding /WinAnsiEncoding >>")
    objs.append(b"<< /Title (" + pdf_escape(title).encode("cp1252") + b") /Producer (gen) >>")
    for i, lines in enumerate(pages):
        ops = ["BT /F1 9 Tf 11 TL 50 800 Td"]
        for ln in lines:
            ops.append("(%s) Tj T*" % pdf_escape(ln))
        ops.append("ET")
        stream = zlib.compress("\n".join(ops).encode("cp1252"), 6)
        objs.append(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                     "/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" %
                     (6 + 2 * i)).encode())
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) +
                    stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" %
            (len(objs) + 1, xref))
    return bytes(out)


def cp1252_ok(s):
    try:
        s.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def pdf_doc(rnd, lang, L, with_mc):
    """Pages of lines: the country's language when WinAnsi can print it,
    else English (as many national reports are)."""
    if not cp1252_ok(" ".join(MC_SENTENCES[lang]) + " ".join(L.words[:400])):
        lang, L = "en", LANGS["en"]
    pages = []
    mc = [mc_sentence(rnd, lang) for _ in range(rnd.randint(1, 3))] if with_mc else []
    for _ in range(rnd.randint(3, 6)):
        lines = []
        while len(lines) < 60:
            text = L.paragraph(rnd, 2, 4)
            if mc and rnd.random() < 0.3:
                text += " " + mc.pop()
            lines.extend(wrap(text))
        pages.append(lines[:64])
    for s in mc:
        pages[-1].extend(wrap(s))
    return lang, L.title(rnd, 4, 8), pages


LANGS = {}


def main():
    ap = argparse.ArgumentParser(description="generate the benchmark web site")
    ap.add_argument("--out", required=True)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--pdfs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--page-kb", type=int, default=40)
    ap.add_argument("--mc-share", type=float, default=0.3)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    for _, lang, _ in COUNTRIES:
        LANGS[lang] = Lang(lang, rnd)
    os.makedirs(a.out, exist_ok=True)
    nc = len(COUNTRIES)
    pages_of = {cc: ["p%04d.html" % i for i in range(a.pages) if i % nc == k]
                for k, (cc, _, _) in enumerate(COUNTRIES)}
    pdfs_of = {cc: ["doc%03d.pdf" % i for i in range(a.pdfs) if i % nc == k]
               for k, (cc, _, _) in enumerate(COUNTRIES)}
    urls = []
    html_bytes = pdf_bytes = index_bytes = 0
    mc_pages = mc_pdfs = 0
    for cc, lang, _ in COUNTRIES:
        L = LANGS[lang]
        d = os.path.join(a.out, cc.lower())
        os.makedirs(d, exist_ok=True)
        names = pages_of[cc]
        site = Site(rnd, cc, lang, L, names)
        for name in names:
            target = int(a.page_kb * 1024 * rnd.uniform(0.85, 1.15))
            with_mc = rnd.random() < a.mc_share
            mc_pages += with_mc
            html = page_html(rnd, site, L, name, names, target, with_mc).encode()
            with open(os.path.join(d, name), "wb") as f:
                f.write(html)
            html_bytes += len(html)
        for name in pdfs_of[cc]:
            with_mc = rnd.random() < max(a.mc_share, 0.5)
            mc_pdfs += with_mc
            _, title, pages = pdf_doc(rnd, lang, L, with_mc)
            data = make_pdf(title, pages)
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            pdf_bytes += len(data)
        index = index_html(cc, lang, names + pdfs_of[cc]).encode()
        with open(os.path.join(d, "index.html"), "wb") as f:
            f.write(index)
        index_bytes += len(index)
        urls.append("/%s/index.html" % cc.lower())
        urls.extend("/%s/%s" % (cc.lower(), n) for n in names + pdfs_of[cc])
    with open(os.path.join(a.out, "robots.txt"), "w") as f:
        f.write("User-agent: *\nAllow: /\n")
    with open(os.path.join(a.out, "index.html"), "w") as f:
        f.write(index_html("bench", "en", ["/%s/index.html" % cc.lower()
                                           for cc, _, _ in COUNTRIES]))
    with open(os.path.join(a.out, "urls.txt"), "w") as f:
        f.write("\n".join(urls) + "\n")
    manifest = {
        "seed": a.seed, "countries": [cc for cc, _, _ in COUNTRIES],
        "langs": {cc: lang for cc, lang, _ in COUNTRIES},
        "html_pages": a.pages, "pdfs": a.pdfs, "index_pages": nc,
        "html_bytes": html_bytes, "pdf_bytes": pdf_bytes, "index_bytes": index_bytes,
        "urls": len(urls), "html_pages_with_mc": mc_pages, "pdfs_with_mc": mc_pdfs,
    }
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
