/*
 * tests/unit/test_text.c - content to text: what is kept from an HTML page
 * and how it is laid out, charsets and their precedence, PDF pages, plain
 * text, and type detection.
 *
 * Every extraction goes through extract(), which also checks the text
 * format crawler.h promises (valid UTF-8, no controls but '\n' and '\f', no
 * empty lines, single spaces, nothing trailing), so each test pins the
 * format as well as its own behaviour.  Fixtures are in
 * tests/fixtures/text/ (made by make_fixtures.py from the UTF-8 pages in
 * src/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../crawler/crawler.h"
#include "../support/testutil.h"

/* ---- helpers --------------------------------------------------------- */

static int utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k = c < 0x80                 ? 1
		           : c >= 0xC2 && c <= 0xDF ? 2
		           : c >= 0xE0 && c <= 0xEF ? 3
		           : c >= 0xF0 && c <= 0xF4 ? 4
		                                    : 0;
		if (k == 0 || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return 0;
		i += k;
	}
	return 1;
}

/* The format of crawler.h, checked on every text a test produces. */
static void assert_text_format(const mct_text *t)
{
	const char *s = t->text.data;
	size_t n = t->text.len;

	assert_non_null(s);
	assert_int_equal(strlen(s), n);
	assert_true(utf8_valid((const unsigned char *)s, n));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		assert_false((c < 0x20 && c != '\n' && c != '\f') || c == 0x7F);
	}
	assert_null(strstr(s, "\n\n"));
	assert_null(strstr(s, "\f\n"));
	assert_null(strstr(s, "  "));
	assert_null(strstr(s, " \n"));
	assert_null(strstr(s, "\n "));
	assert_null(strstr(s, " \f"));
	assert_null(strstr(s, "\f "));
	if (n > 0) {
		assert_true(s[0] != ' ' && s[0] != '\n');
		assert_true(s[n - 1] == '\n' || s[n - 1] == '\f');
	}
}

static void extract_as(mct_text_type type, const void *body, size_t n, const char *http,
                       mct_text *t)
{
	mct_err err = {0};
	mct_status st = mct_text_extract(type, body, n, http, NULL, t, &err);
	if (st != MCT_OK)
		fail_msg("extraction failed: %s", err.msg);
	assert_text_format(t);
}

static void extract_html(const char *html, mct_text *t)
{
	extract_as(MCT_TEXT_HTML, html, strlen(html), NULL, t);
}

/* The text of an HTML snippet, to compare whole. */
static void assert_html_text(const char *html, const char *expected)
{
	mct_text t;
	extract_html(html, &t);
	assert_string_equal(t.text.data, expected);
	mct_text_free(&t);
}

static void read_fixture(const char *name, mct_buf *b)
{
	char rel[256];
	mct_err err;
	snprintf(rel, sizeof rel, "tests/fixtures/text/%s", name);
	char *path = tu_top_path(rel);
	mct_buf_init(b);
	if (mct_read_file(path, 1 << 20, b, &err) != MCT_OK)
		fail_msg("%s", err.msg);
	free(path);
}

static void extract_fixture(const char *name, mct_text_type type, const char *http, mct_text *t)
{
	mct_buf b;
	read_fixture(name, &b);
	extract_as(type, b.data, b.len, http, t);
	mct_buf_free(&b);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" not found in:\n%s", needle, hay);
}

static size_t count_char(const char *s, char c)
{
	size_t k = 0;
	for (; *s; s++)
		k += *s == c;
	return k;
}

/* ---- what is kept ----------------------------------------------------- */

static void test_script_style_and_hidden_elements_are_dropped(void **state)
{
	(void)state;
	assert_html_text("<html><head><title>T</title><style>p{color:red}</style>"
	                 "<script>var a = '<p>no</p>';</script><meta name=x content=y></head>"
	                 "<body><p>kept</p>"
	                 "<script>document.write('no')</script><noscript>no</noscript>"
	                 "<template><p>no</p></template><svg><text>no</text></svg>"
	                 "<div hidden>no</div><p aria-hidden=\"true\">no</p>"
	                 "<p aria-hidden=\"false\">kept 2</p>"
	                 "<div style=\"color: red; display : none !important\">no <b>no</b></div>"
	                 "<span style=\"visibility:hidden\">no</span>"
	                 "<p style=\"display:block\">kept 3</p></body></html>",
	                 "T\nkept\nkept 2\nkept 3\n");
}

static void test_hidden_html_or_body_is_shown_as_after_scripts_ran(void **state)
{
	(void)state;
	assert_html_text("<html style=\"visibility:hidden\"><body style=\"display:none\" hidden>"
	                 "<p>shown</p><p hidden>not shown</p></body></html>",
	                 "shown\n");
}

static void test_navigation_tables_and_footers_are_kept(void **state)
{
	(void)state;
	assert_html_text("<nav><a href=/>Home</a></nav><main><p>Body</p></main>"
	                 "<aside>Aside</aside><footer>Contact</footer>",
	                 "Home\nBody\nAside\nContact\n");
}

static void test_block_elements_end_lines(void **state)
{
	(void)state;
	assert_html_text("<div>a<div>b</div>c</div><p>d<p>e<section>f</section>"
	                 "<ul><li>g<li>h</ul><dl><dt>i<dd>j</dl><blockquote>k</blockquote>"
	                 "<address>l</address><figure><figcaption>m</figcaption></figure>"
	                 "<form><fieldset>n</fieldset></form><select><option>o<option>p</select>"
	                 "q<hr>r",
	                 "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\nr\n");
}

static void test_headings_start_with_one_hash_per_level(void **state)
{
	(void)state;
	assert_html_text("<h1>One</h1><p>text</p><h2>Two <em>parts</em></h2><h3>Three</h3>"
	                 "<h4>Four</h4><h5>Five</h5><h6>Six</h6><h2>Split<br>heading</h2><h3></h3>",
	                 "# One\ntext\n## Two parts\n### Three\n#### Four\n##### Five\n"
	                 "###### Six\n## Split heading\n");
}

static void test_inline_elements_do_not_split_or_glue_words(void **state)
{
	(void)state;
	assert_html_text("<p>micro<b>credential</b> and <i>micro</i><span>credential</span>, "
	                 "<a href=x>link</a> <em>emphasis</em> <strong>strong</strong>"
	                 "<abbr>EQF</abbr> <code>x</code>\n<span>a</span> <span>b</span></p>",
	                 "microcredential and microcredential, link emphasis strongEQF x a b\n");
}

static void test_table_cells_are_separate_lines(void **state)
{
	(void)state;
	assert_html_text(
	    "<table><caption>Cap</caption><tr><th>h1</th><th>h2</th></tr>"
	    "<tr><td>a</td><td>b</td></tr><tr><td>c <b>d</b></td><td></td></tr></table>",
	    "Cap\nh1\nh2\na\nb\nc d\n");
}

static void test_decomposed_letters_are_composed_to_nfc(void **state)
{
	(void)state;
	/* "ā" as "a" + U+0304 and "ę" as "e" + U+0328, as some PDFs write them */
	assert_html_text("<p>Mikrokvalifika\xcc\x84"
	                 "cija, mikropo\xc5\x9b"
	                 "wiadczenie\xcc\xa8</p>",
	                 "Mikrokvalifik\xc4\x81"
	                 "cija, mikropo\xc5\x9b"
	                 "wiadczeni\xc4\x99\n");
}

static void test_pdf_lines_wrapped_in_a_paragraph_are_joined(void **state)
{
	(void)state;
	mct_text t;
	/* the demo corpus's two-page report: its sentences wrap over lines */
	extract_fixture("../demo/run1/eu-monitor-2026.pdf", MCT_TEXT_PDF, NULL, &t);
	assert_contains(
	    t.text.data,
	    "\nSpain's Royal Decree 641/2025 of 8 July 2025 is the most complete national "
	    "instrument in the sample: it defines micro-credentials, lists the elements "
	    "every certificate must carry,");
	/* a heading stays a line of its own */
	assert_contains(t.text.data, "\nHow the monitor works\n");
	assert_int_equal(t.pages, 2);
	mct_text_free(&t);
}

static void test_br_splits_lines(void **state)
{
	(void)state;
	assert_html_text("<p>first<br>second<br/>third<br><br>fourth</p>",
	                 "first\nsecond\nthird\nfourth\n");
}

static void test_entities_are_decoded(void **state)
{
	(void)state;
	assert_html_text("<p>a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x10D;&#269; "
	                 "&eacute; &euro; &copy;</p>",
	                 "a & b <c> \"d\" 'e' čč é € ©\n");
}

static void test_white_space_is_folded_and_lines_are_trimmed(void **state)
{
	(void)state;
	assert_html_text("<p>\n\t  many   \r\n spaces\t\there &nbsp; and&nbsp;nbsp  </p>"
	                 "<p>   </p><div>\n</div><p> last </p>",
	                 "many spaces here and nbsp\nlast\n");
}

static void test_pre_keeps_its_line_breaks(void **state)
{
	(void)state;
	assert_html_text("<pre>line  one\n   line two\n\n\nline three</pre>after",
	                 "line one\nline two\nline three\nafter\n");
}

static void test_invisible_format_characters_are_dropped(void **state)
{
	(void)state;
	/* soft hyphen, zero-width space, word joiner, BOM */
	assert_html_text("<p>micro&shy;cre\xE2\x80\x8B"
	                 "den\xE2\x81\xA0ti\xEF\xBB\xBF"
	                 "al</p>",
	                 "microcredential\n");
}

static void test_latin_ligatures_are_spelled_out(void **state)
{
	(void)state;
	assert_html_text("<p>\xEF\xAC\x81nancing e\xEF\xAC\x80"
	                 "ective \xEF\xAC\x82ow</p>",
	                 "financing effective flow\n");
}

/* ---- charsets --------------------------------------------------------- */

static const char *const latvian[] = {"ā",
                                      "č",
                                      "ē",
                                      "ģ",
                                      "ī",
                                      "ķ",
                                      "ļ",
                                      "ņ",
                                      "š",
                                      "ū",
                                      "ž",
                                      "Mikrokvalifikācijas Latvijā",
                                      "ķīmiju",
                                      "ģeogrāfiju",
                                      "ūdenssaimniecību",
                                      "ņem vērā",
                                      "ļoti svarīgi",
                                      "Čaklākie"};
static const char *const lithuanian[] = {"ą",
                                         "č",
                                         "ę",
                                         "ė",
                                         "į",
                                         "š",
                                         "ų",
                                         "ū",
                                         "ž",
                                         "aprašą",
                                         "Įgytos žinios",
                                         "gebėjimai",
                                         "kokybę",
                                         "programų",
                                         "Švietimo",
                                         "šių dienų būtinybė",
                                         "čia"};
static const char *const polish[] = {"ą",
                                     "ć",
                                     "ę",
                                     "ł",
                                     "ń",
                                     "ó",
                                     "ś",
                                     "ź",
                                     "ż",
                                     "Mikropoświadczenia",
                                     "umiejętności są",
                                     "źródła",
                                     "środki",
                                     "Każdy słuchacz",
                                     "łączenie",
                                     "mikropoświadczeń",
                                     "Ćwiczenia",
                                     "Łodzi",
                                     "Gdańsku",
                                     "Źle",
                                     "Żadnych",
                                     "krótkie"};

static void assert_all(const char *text, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_contains(text, words[i]);
}

#define ASSERT_ALL(text, words) assert_all(text, words, sizeof words / sizeof words[0])

static void test_windows_1257_page_is_decoded(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("lv-lt-windows-1257.html", MCT_TEXT_HTML, NULL, &t);
	assert_string_equal(t.charset, "windows-1257");
	ASSERT_ALL(t.text.data, latvian);
	ASSERT_ALL(t.text.data, lithuanian);
	assert_string_equal(t.title, "Mikrokvalifikācijas Latvijā un Lietuvoje");
	assert_contains(t.text.data, "# Mikrokvalifikācijas Latvijā\n");
	assert_contains(t.text.data, "## Mikrokredencialai Lietuvoje\n");
	assert_null(strstr(t.text.data, "\xEF\xBF\xBD"));
	mct_text_free(&t);
}

static void test_iso_8859_2_polish_page_is_decoded(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("pl-iso-8859-2.html", MCT_TEXT_HTML, NULL, &t);
	assert_string_equal(t.charset, "ISO-8859-2");
	ASSERT_ALL(t.text.data, polish);
	assert_string_equal(t.title, "Mikropoświadczenia w Polsce");
	mct_text_free(&t);
}

static void test_undeclared_windows_1257_page_is_detected(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("lv-lt-undeclared-windows-1257.html", MCT_TEXT_HTML, NULL, &t);
	assert_string_equal(t.charset, "windows-1257");
	ASSERT_ALL(t.text.data, latvian);
	ASSERT_ALL(t.text.data, lithuanian);
	mct_text_free(&t);
}

static void test_undeclared_iso_8859_2_page_is_detected(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("pl-undeclared-iso-8859-2.html", MCT_TEXT_HTML, NULL, &t);
	assert_string_equal(t.charset, "ISO-8859-2");
	ASSERT_ALL(t.text.data, polish);
	mct_text_free(&t);
}

static void test_undeclared_windows_1250_czech_page_is_detected(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("cs-undeclared-windows-1250.html", MCT_TEXT_HTML, NULL, &t);
	assert_string_equal(t.charset, "windows-1250");
	assert_contains(t.text.data, "Ministerstvo školství, mládeže a tělovýchovy připravuje");
	assert_contains(t.text.data, "Řízení kvality zajišťují samotné školy; ťukání");
	assert_contains(t.text.data, "Žádost o uznání");
	mct_text_free(&t);
}

static void test_undeclared_windows_1252_french_page_is_detected(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("fr-undeclared-windows-1252.html", MCT_TEXT_HTML, NULL, &t);
	assert_string_equal(t.charset, "windows-1252");
	assert_contains(t.text.data, "Le ministère de l'Enseignement supérieur");
	assert_contains(t.text.data, "« Être à l'écoute des besoins des employeurs »");
	assert_contains(t.text.data, "Ça commence dès cette année, où chaque étudiant reçoit");
	mct_text_free(&t);
}

static void test_utf8_pages_are_detected_whatever_the_language(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("src/de.html", MCT_TEXT_HTML, NULL, &t);
	assert_string_equal(t.charset, "UTF-8");
	assert_contains(t.text.data, "kürzere Weiterbildungen");
	assert_contains(t.text.data, "Größere Module");
	mct_text_free(&t);
	extract_fixture("src/es.html", MCT_TEXT_HTML, NULL, &t); /* no declaration */
	assert_string_equal(t.charset, "UTF-8");
	assert_contains(t.text.data, "¿Qué son las microcredenciales?");
	assert_contains(t.text.data, "créditos ECTS y garantía");
	mct_text_free(&t);
	extract_fixture("src/lv-lt.html", MCT_TEXT_HTML, NULL, &t); /* declares 1257 */
	assert_string_equal(t.charset, "windows-1257");
	mct_text_free(&t);
}

/* The byte 0xE8 is 'č' in windows-1257 and ISO-8859-2 but 'è' in
 * windows-1252; 0xB9 is 'š' in ISO-8859-2 and '¹' in windows-1257. */
static const char french_1257_meta[] = "<meta charset=\"windows-1257\"><p>cr\xE8me \xB9</p>";

static void test_http_charset_beats_meta(void **state)
{
	mct_text t;
	(void)state;
	extract_as(MCT_TEXT_HTML, french_1257_meta, strlen(french_1257_meta), "iso-8859-2", &t);
	assert_string_equal(t.charset, "ISO-8859-2");
	assert_string_equal(t.text.data, "crčme š\n");
	mct_text_free(&t);
}

static void test_meta_charset_beats_detection(void **state)
{
	mct_text t;
	(void)state;
	/* without the declaration these bytes read as French windows-1252 */
	const char *plain = "<p>caf\xE9 cr\xE8me br\xFBl\xE9"
	                    "e \xE0 la fran\xE7"
	                    "aise</p>";
	extract_html(plain, &t);
	assert_string_equal(t.charset, "windows-1252");
	assert_string_equal(t.text.data, "café crème brûlée à la française\n");
	mct_text_free(&t);

	extract_html(french_1257_meta, &t);
	assert_string_equal(t.charset, "windows-1257");
	assert_string_equal(t.text.data, "crčme ¹\n");
	mct_text_free(&t);

	extract_html("<!-- <meta charset=utf-8> --><meta http-equiv=\"content-type\" "
	             "content='text/html; charset=\"latin2\"'><p>\xB3\xF3"
	             "d\xBC</p>",
	             &t);
	assert_string_equal(t.charset, "ISO-8859-2");
	assert_string_equal(t.text.data, "łódź\n");
	mct_text_free(&t);
}

static void test_content_attribute_without_http_equiv_is_no_declaration(void **state)
{
	mct_text t;
	(void)state;
	extract_html("<meta name=x content=\"charset=windows-1257\"><p>caf\xE9 cr\xE8me</p>", &t);
	assert_string_equal(t.charset, "windows-1252");
	mct_text_free(&t);
}

static void test_bom_beats_meta(void **state)
{
	mct_text t;
	(void)state;
	const char utf8[] = "\xEF\xBB\xBF<meta charset=windows-1252><p>Grüße</p>";
	extract_as(MCT_TEXT_HTML, utf8, strlen(utf8), NULL, &t);
	assert_string_equal(t.charset, "UTF-8");
	assert_string_equal(t.text.data, "Grüße\n");
	mct_text_free(&t);

	/* "<p>āž</p>" in UTF-16LE with its BOM */
	const char utf16[] = "\xFF\xFE<\0p\0>\0\x01\x01~\x01<\0/\0p\0>\0";
	extract_as(MCT_TEXT_HTML, utf16, sizeof utf16 - 1, NULL, &t);
	assert_string_equal(t.charset, "UTF-16LE");
	assert_string_equal(t.text.data, "āž\n");
	mct_text_free(&t);
}

static void test_http_charset_beats_bom(void **state)
{
	mct_text t;
	(void)state;
	const char body[] = "\xEF\xBB\xBF<p>\xC3\xA9</p>";
	extract_as(MCT_TEXT_HTML, body, strlen(body), "windows-1252", &t);
	assert_string_equal(t.charset, "windows-1252");
	assert_string_equal(t.text.data, "ï»¿\nÃ©\n");
	mct_text_free(&t);
}

static void test_force_charset_beats_http_charset(void **state)
{
	mct_text t;
	mct_err err;
	(void)state;
	assert_int_equal(mct_text_extract(MCT_TEXT_HTML, french_1257_meta, strlen(french_1257_meta),
	                                  "iso-8859-2", "cp1252", &t, &err),
	                 MCT_OK);
	assert_string_equal(t.charset, "windows-1252");
	assert_string_equal(t.text.data, "crème ¹\n");
	mct_text_free(&t);
}

static void test_unknown_force_charset_is_an_error(void **state)
{
	mct_text t;
	mct_err err;
	(void)state;
	assert_int_equal(
	    mct_text_extract(MCT_TEXT_HTML, "<p>x</p>", 8, NULL, "klingon-8", &t, &err),
	    MCT_ERR_USAGE);
	assert_contains(err.msg, "klingon-8");
	assert_null(t.text.data);
	assert_int_equal(t.nlinks, 0);
}

static void test_unknown_http_charset_is_ignored(void **state)
{
	mct_text t;
	(void)state;
	extract_as(MCT_TEXT_HTML, french_1257_meta, strlen(french_1257_meta), "x-no-such", &t);
	assert_string_equal(t.charset, "windows-1257");
	mct_text_free(&t);
}

static void test_charset_labels_follow_the_encoding_standard(void **state)
{
	mct_text t;
	(void)state;
	/* latin1 and us-ascii mean windows-1252: 0x80 is the euro sign */
	extract_as(MCT_TEXT_HTML, "<p>5 \x80</p>", 10, " \"ISO-8859-1\" ", &t);
	assert_string_equal(t.charset, "windows-1252");
	assert_string_equal(t.text.data, "5 €\n");
	mct_text_free(&t);
	extract_as(MCT_TEXT_HTML, "<p>5 \x80</p>", 10, "US-ASCII", &t);
	assert_string_equal(t.text.data, "5 €\n");
	mct_text_free(&t);
}

static void test_invalid_utf8_becomes_replacement_character(void **state)
{
	mct_text t;
	(void)state;
	/* a lone continuation byte, a truncated sequence, an overlong '/', a
	 * surrogate, 0xFF */
	const char body[] = "<p>a\x80"
	                    "b\xE2\x82"
	                    "c\xC0\xAF"
	                    "d\xED\xA0\x80"
	                    "e\xFF"
	                    "f \xC3\xA9</p>";
	extract_as(MCT_TEXT_HTML, body, strlen(body), "utf-8", &t);
	assert_string_equal(t.charset, "UTF-8");
	assert_string_equal(t.text.data, "a\xEF\xBF\xBD"
	                                 "b\xEF\xBF\xBD"
	                                 "c\xEF\xBF\xBD\xEF\xBF\xBD"
	                                 "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	                                 "e\xEF\xBF\xBD"
	                                 "f é\n");
	mct_text_free(&t);
}

static void test_nul_bytes_and_control_characters_are_removed(void **state)
{
	mct_text t;
	(void)state;
	const char body[] = "<p>a\0b\x01"
	                    "c\x1B[31md\x7F"
	                    "e\tf\vg\fh\xC2\x85i\xC2\x9Fj</p><p>\0</p><p>k</p>";
	extract_as(MCT_TEXT_HTML, body, sizeof body - 1, "utf-8", &t);
	assert_string_equal(t.text.data, "abc[31mde f g h ij\nk\n");
	mct_text_free(&t);
}

/* ---- robustness ------------------------------------------------------- */

static void test_deep_nesting_100000_levels_does_not_crash(void **state)
{
	const size_t depth = 100000;
	mct_buf b;
	mct_text t;
	(void)state;
	mct_buf_init(&b);
	for (size_t i = 0; i < depth; i++)
		mct_buf_puts(&b, "<div>");
	mct_buf_puts(&b, "deep");
	for (size_t i = 0; i < depth; i++)
		mct_buf_puts(&b, "</div>");
	mct_buf_puts(&b, "<p>after</p>");
	for (size_t i = 0; i < depth; i++)
		mct_buf_puts(&b, i % 2 ? "<span>" : "<b hidden>");
	mct_buf_puts(&b, "never closed");
	extract_html(b.data, &t);
	assert_string_equal(t.text.data, "deep\nafter\n");
	mct_text_free(&t);
	mct_buf_free(&b);
}

static void test_5mb_page_is_extracted(void **state)
{
	const char *para = "<tr><td>Row <b>%zu</b> of micro-credentials &amp; ECTS</td>"
	                   "<td><a href=\"/r/%zu\">link</a></td></tr>\n";
	mct_buf b;
	mct_text t;
	size_t rows = 0;
	(void)state;
	mct_buf_init(&b);
	mct_buf_puts(&b, "<html><body><table>");
	while (b.len < 5 * 1024 * 1024) {
		mct_buf_printf(&b, para, rows, rows);
		rows++;
	}
	mct_buf_puts(&b, "</table></body></html>");
	clock_t start = clock();
	extract_html(b.data, &t);
	double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	assert_int_equal(count_char(t.text.data, '\n'), 2 * rows);
	assert_int_equal(t.nlinks, rows);
	char last[32];
	snprintf(last, sizeof last, "/r/%zu", rows - 1);
	assert_string_equal(t.links[rows - 1], last);
	assert_contains(t.text.data, "Row 0 of micro-credentials & ECTS\nlink\nRow 1 ");
	assert_true(seconds < 30); /* linear: well under a second without sanitizers */
	mct_text_free(&t);
	mct_buf_free(&b);
}

static void test_broken_markup_is_recovered(void **state)
{
	(void)state;
	assert_html_text("<p>one <b>two <i>three</b> four</i></p></div></span><p>five<td>six"
	                 "<p a=\"b>seven</p><!-- unterminated",
	                 "one two three four\nfive\nsix\n");
}

/* ---- links, base, title ----------------------------------------------- */

static void test_links_base_and_title_are_collected(void **state)
{
	mct_text t;
	(void)state;
	extract_html("<html><head><title>\n  Micro-credentials &amp;\n policy </title>"
	             "<base href=\" https://example.lv/dir/ \"><base href=\"/second\"></head>"
	             "<body><a href=\"/a\">A</a> <a href=\"JavaScript:void(0)\">no</a>"
	             "<a href=\"mailto:x@example.lv\">no</a><a href=\"tel:+371\">no</a>"
	             "<a href=\"#top\">no</a><a>no href</a><a href=\"\">no</a>"
	             "<a href=\" page.html?x=1&amp;y=2#frag \">B</a>"
	             "<nav hidden><a href=\"https://other.example/\">menu</a></nav>"
	             "<template><a href=\"/template\">no</a></template>"
	             "<title>second title</title></body></html>",
	             &t);
	assert_string_equal(t.title, "Micro-credentials & policy");
	assert_string_equal(t.base_href, "https://example.lv/dir/");
	assert_int_equal(t.nlinks, 3);
	assert_string_equal(t.links[0], "/a");
	assert_string_equal(t.links[1], "page.html?x=1&y=2#frag");
	assert_string_equal(t.links[2], "https://other.example/");
	assert_int_equal(t.pages, 0);
	mct_text_free(&t);
}

static void test_page_without_title_has_null_title(void **state)
{
	mct_text t;
	(void)state;
	extract_html("<title>  </title><p>x</p>", &t);
	assert_null(t.title);
	assert_null(t.base_href);
	assert_int_equal(t.nlinks, 0);
	mct_text_free(&t);
}

static void test_empty_body_gives_empty_text(void **state)
{
	mct_text t;
	(void)state;
	extract_as(MCT_TEXT_HTML, "", 0, NULL, &t);
	assert_string_equal(t.text.data, "");
	assert_string_equal(t.charset, "UTF-8");
	mct_text_free(&t);
	extract_as(MCT_TEXT_HTML, "<html><script>x</script></html>", 31, NULL, &t);
	assert_string_equal(t.text.data, "");
	mct_text_free(&t);
	extract_as(MCT_TEXT_PLAIN, " \n\t\n", 4, NULL, &t);
	assert_string_equal(t.text.data, "");
	mct_text_free(&t);
}

/* ---- PDF -------------------------------------------------------------- */

static void test_pdf_pages_are_separated_by_form_feeds(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("three-pages.pdf", MCT_TEXT_PDF, NULL, &t);
	assert_int_equal(t.pages, 3);
	assert_string_equal(t.text.data, "Micro-credentials policy\n"
	                                 "The ministry publishes a national framework.\n"
	                                 "Providers issue digital certificates.\n"
	                                 "\f"
	                                 "Funding\n"
	                                 "Short courses are funded from 2024 onwards.\n"
	                                 "\f"
	                                 /* a line going on in lower case is joined */
	                                 "Mikrokvalifikācijas āčēģīķļņšūž\n");
	assert_string_equal(t.title, "Micro-credentials: a test document");
	assert_int_equal(t.nlinks, 0);
	mct_text_free(&t);
}

static void test_pdf_empty_page_keeps_page_numbers(void **state)
{
	mct_text t;
	(void)state;
	extract_fixture("blank-middle-page.pdf", MCT_TEXT_PDF, NULL, &t);
	assert_int_equal(t.pages, 3);
	assert_int_equal(count_char(t.text.data, '\f'), 2);
	const char *funding = strstr(t.text.data, "Funding");
	assert_non_null(funding);
	size_t before = 0;
	for (const char *p = t.text.data; p < funding; p++)
		before += *p == '\f';
	assert_int_equal(1 + before, 3); /* "Funding" is on page 3 */
	mct_text_free(&t);
}

static void test_broken_pdf_gives_an_error(void **state)
{
	mct_buf b;
	mct_text t;
	mct_err err;
	(void)state;
	read_fixture("three-pages.pdf", &b);
	assert_int_equal(mct_text_extract(MCT_TEXT_PDF, b.data, b.len / 2, NULL, NULL, &t, &err),
	                 MCT_ERR_PARSE);
	assert_contains(err.msg, "not a readable PDF: ");
	assert_null(t.text.data);
	assert_int_equal(t.pages, 0);
	assert_null(t.title);
	assert_int_equal(
	    mct_text_extract(MCT_TEXT_PDF, "<html>no</html>", 15, NULL, NULL, &t, &err),
	    MCT_ERR_PARSE);
	assert_contains(err.msg, "not a readable PDF: ");
	assert_int_equal(mct_text_extract(MCT_TEXT_PDF, "", 0, NULL, NULL, &t, &err),
	                 MCT_ERR_PARSE);
	mct_buf_free(&b);
}

static void test_encrypted_pdf_gives_an_error(void **state)
{
	mct_buf b;
	mct_text t;
	mct_err err;
	(void)state;
	read_fixture("encrypted.pdf", &b);
	assert_int_equal(mct_text_extract(MCT_TEXT_PDF, b.data, b.len, NULL, NULL, &t, &err),
	                 MCT_ERR_PARSE);
	assert_contains(err.msg, "not a readable PDF: ");
	assert_contains(err.msg, "encrypted");
	assert_null(t.text.data);
	mct_buf_free(&b);
}

/* ---- plain text -------------------------------------------------------- */

static void test_plain_text_lines_are_normalised(void **state)
{
	mct_text t;
	(void)state;
	const char body[] = "  First   line \r\n\r\n\tsecond\x01 line\rthird\n\n\n\f last";
	extract_as(MCT_TEXT_PLAIN, body, sizeof body - 1, NULL, &t);
	assert_string_equal(t.text.data, "First line\nsecond line\nthird\nlast\n");
	assert_string_equal(t.charset, "UTF-8");
	assert_null(t.title);
	mct_text_free(&t);
}

static void test_plain_text_charset_is_decoded_like_html(void **state)
{
	mct_text t;
	(void)state;
	const char body[] = "<meta charset=utf-8>\nk\xE2rt\xF0" /* "kārtš" in 1257 */
	                    "\n";
	extract_as(MCT_TEXT_PLAIN, body, strlen(body), "windows-1257", &t);
	assert_string_equal(t.text.data, "<meta charset=utf-8>\nkārtš\n");
	mct_text_free(&t);
	const char lodz[] = "\xB3\xF3"
	                    "d\xBC i Pozna\xF1";
	extract_as(MCT_TEXT_PLAIN, lodz, strlen(lodz), NULL, &t);
	assert_string_equal(t.charset, "ISO-8859-2");
	assert_string_equal(t.text.data, "łódź i Poznań\n");
	mct_text_free(&t);
}

static void test_unsupported_type_is_an_error(void **state)
{
	mct_text t;
	mct_err err;
	(void)state;
	assert_int_equal(mct_text_extract(MCT_TEXT_UNSUPPORTED, "x", 1, NULL, NULL, &t, &err),
	                 MCT_ERR_USAGE);
	assert_null(t.text.data);
}

/* ---- type detection ---------------------------------------------------- */

static mct_text_type detect(const char *ct, const char *url, const char *body)
{
	return mct_text_type_detect(ct, url, body, body ? strlen(body) : 0);
}

static void test_type_pdf_magic_beats_the_content_type(void **state)
{
	(void)state;
	assert_int_equal(detect("text/html", "https://x.lv/a.html", "%PDF-1.7\n..."), MCT_TEXT_PDF);
	assert_int_equal(detect(NULL, NULL, "\xEF\xBB\xBF\r\n%PDF-1.4"), MCT_TEXT_PDF);
	/* an HTML error page served as a PDF is HTML */
	assert_int_equal(detect("application/pdf", "https://x.lv/a.pdf",
	                        "<!DOCTYPE html><html><body>Not found</body></html>"),
	                 MCT_TEXT_HTML);
}

static void test_type_follows_known_content_types(void **state)
{
	(void)state;
	assert_int_equal(detect("text/html; charset=UTF-8", NULL, "x"), MCT_TEXT_HTML);
	assert_int_equal(detect("Application/XHTML+XML", NULL, "x"), MCT_TEXT_HTML);
	assert_int_equal(detect("application/pdf", "https://x.lv/", "%PDF-"), MCT_TEXT_PDF);
	assert_int_equal(detect("application/pdf", NULL, "not yet"), MCT_TEXT_PDF);
	assert_int_equal(detect(" text/plain ;charset=iso-8859-2", NULL, "<html>"), MCT_TEXT_PLAIN);
	assert_int_equal(detect("image/png", "https://x.lv/a.html", "<html>"),
	                 MCT_TEXT_UNSUPPORTED);
	assert_int_equal(detect("application/vnd.openxmlformats-officedocument."
	                        "wordprocessingml.document",
	                        "https://x.lv/a.docx", "PK\x03\x04"),
	                 MCT_TEXT_UNSUPPORTED);
}

static void test_type_without_content_type_follows_the_url_extension(void **state)
{
	(void)state;
	assert_int_equal(detect(NULL, "https://x.lv/docs/Plan.PDF?v=2#p3", "not yet"),
	                 MCT_TEXT_PDF);
	assert_int_equal(detect("application/octet-stream", "https://x.lv/a.htm", "hi"),
	                 MCT_TEXT_HTML);
	assert_int_equal(detect("", "https://x.lv/index.html", "hi"), MCT_TEXT_HTML);
	assert_int_equal(detect(NULL, "https://x.lv/readme.txt", "hi"), MCT_TEXT_PLAIN);
	assert_int_equal(detect(NULL, "https://x.lv/a.docx", "PK\x03\x04..."),
	                 MCT_TEXT_UNSUPPORTED);
	assert_int_equal(detect(NULL, "https://x.lv/a.png", "\x89PNG\r\n"), MCT_TEXT_UNSUPPORTED);
	/* the host is not an extension */
	assert_int_equal(detect(NULL, "https://example.txt", "hi"), MCT_TEXT_UNSUPPORTED);
	assert_int_equal(detect(NULL, "https://x.lv/dir.pdf/page", "hi"), MCT_TEXT_UNSUPPORTED);
}

static void test_type_is_sniffed_from_html_markers(void **state)
{
	(void)state;
	assert_int_equal(detect(NULL, NULL, "\n  <!DOCTYPE HTML PUBLIC \"-//W3C//DTD\">"),
	                 MCT_TEXT_HTML);
	assert_int_equal(detect(NULL, "https://x.lv/", "<!-- c --><HTML lang=lv>"), MCT_TEXT_HTML);
	assert_int_equal(detect(NULL, "https://x.lv/x.php", "<head><title>x"), MCT_TEXT_HTML);
	assert_int_equal(detect("application/octet-stream", NULL, "<body>"), MCT_TEXT_HTML);
	assert_int_equal(detect(NULL, NULL, "<htmlish>"), MCT_TEXT_UNSUPPORTED);
	assert_int_equal(detect(NULL, NULL, "just some words"), MCT_TEXT_UNSUPPORTED);
	assert_int_equal(detect(NULL, NULL, NULL), MCT_TEXT_UNSUPPORTED);
	assert_int_equal(detect(NULL, NULL, "GIF89a<html>"), MCT_TEXT_UNSUPPORTED);
}

static void test_type_names_round_trip(void **state)
{
	(void)state;
	const mct_text_type types[] = {MCT_TEXT_HTML, MCT_TEXT_PDF, MCT_TEXT_PLAIN};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(mct_text_type_parse(mct_text_type_name(types[i])), types[i]);
	assert_string_equal(mct_text_type_name(MCT_TEXT_PLAIN), "txt");
	assert_string_equal(mct_text_type_name(MCT_TEXT_UNSUPPORTED), "unsupported");
	assert_int_equal(mct_text_type_parse("docx"), MCT_TEXT_UNSUPPORTED);
	assert_int_equal(mct_text_type_parse(NULL), MCT_TEXT_UNSUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_script_style_and_hidden_elements_are_dropped),
	    cmocka_unit_test(test_hidden_html_or_body_is_shown_as_after_scripts_ran),
	    cmocka_unit_test(test_navigation_tables_and_footers_are_kept),
	    cmocka_unit_test(test_block_elements_end_lines),
	    cmocka_unit_test(test_headings_start_with_one_hash_per_level),
	    cmocka_unit_test(test_inline_elements_do_not_split_or_glue_words),
	    cmocka_unit_test(test_table_cells_are_separate_lines),
	    cmocka_unit_test(test_br_splits_lines),
	    cmocka_unit_test(test_decomposed_letters_are_composed_to_nfc),
	    cmocka_unit_test(test_pdf_lines_wrapped_in_a_paragraph_are_joined),
	    cmocka_unit_test(test_entities_are_decoded),
	    cmocka_unit_test(test_white_space_is_folded_and_lines_are_trimmed),
	    cmocka_unit_test(test_pre_keeps_its_line_breaks),
	    cmocka_unit_test(test_invisible_format_characters_are_dropped),
	    cmocka_unit_test(test_latin_ligatures_are_spelled_out),
	    cmocka_unit_test(test_windows_1257_page_is_decoded),
	    cmocka_unit_test(test_iso_8859_2_polish_page_is_decoded),
	    cmocka_unit_test(test_undeclared_windows_1257_page_is_detected),
	    cmocka_unit_test(test_undeclared_iso_8859_2_page_is_detected),
	    cmocka_unit_test(test_undeclared_windows_1250_czech_page_is_detected),
	    cmocka_unit_test(test_undeclared_windows_1252_french_page_is_detected),
	    cmocka_unit_test(test_utf8_pages_are_detected_whatever_the_language),
	    cmocka_unit_test(test_http_charset_beats_meta),
	    cmocka_unit_test(test_meta_charset_beats_detection),
	    cmocka_unit_test(test_content_attribute_without_http_equiv_is_no_declaration),
	    cmocka_unit_test(test_bom_beats_meta),
	    cmocka_unit_test(test_http_charset_beats_bom),
	    cmocka_unit_test(test_force_charset_beats_http_charset),
	    cmocka_unit_test(test_unknown_force_charset_is_an_error),
	    cmocka_unit_test(test_unknown_http_charset_is_ignored),
	    cmocka_unit_test(test_charset_labels_follow_the_encoding_standard),
	    cmocka_unit_test(test_invalid_utf8_becomes_replacement_character),
	    cmocka_unit_test(test_nul_bytes_and_control_characters_are_removed),
	    cmocka_unit_test(test_deep_nesting_100000_levels_does_not_crash),
	    cmocka_unit_test(test_5mb_page_is_extracted),
	    cmocka_unit_test(test_broken_markup_is_recovered),
	    cmocka_unit_test(test_links_base_and_title_are_collected),
	    cmocka_unit_test(test_page_without_title_has_null_title),
	    cmocka_unit_test(test_empty_body_gives_empty_text),
	    cmocka_unit_test(test_pdf_pages_are_separated_by_form_feeds),
	    cmocka_unit_test(test_pdf_empty_page_keeps_page_numbers),
	    cmocka_unit_test(test_broken_pdf_gives_an_error),
	    cmocka_unit_test(test_encrypted_pdf_gives_an_error),
	    cmocka_unit_test(test_plain_text_lines_are_normalised),
	    cmocka_unit_test(test_plain_text_charset_is_decoded_like_html),
	    cmocka_unit_test(test_unsupported_type_is_an_error),
	    cmocka_unit_test(test_type_pdf_magic_beats_the_content_type),
	    cmocka_unit_test(test_type_follows_known_content_types),
	    cmocka_unit_test(test_type_without_content_type_follows_the_url_extension),
	    cmocka_unit_test(test_type_is_sniffed_from_html_markers),
	    cmocka_unit_test(test_type_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
