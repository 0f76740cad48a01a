/*
 * crawler/charset.c - which charset a body is in, and turning it into UTF-8.
 *
 * Every body is converted to clean UTF-8 here before any parser sees it, so
 * that libxml2 never guesses an encoding of its own: the HTML parser is then
 * told "UTF-8" and to ignore <meta> declarations.  The charset is chosen in
 * a fixed order: a forced charset, the HTTP header's charset parameter, a
 * byte order mark, a <meta> declaration (HTML only), and last a guess.
 * (Browsers let a BOM win over the HTTP header; here the header wins, as the
 * crawler's contract says, and a BOM that matches the chosen charset is
 * simply skipped.)
 *
 * Labels are resolved through a table modelled on the WHATWG Encoding
 * Standard's label list, so "latin1" and "us-ascii" mean windows-1252 the way
 * they do in browsers; a label outside the table counts as no declaration.
 * The <meta> prescan follows the WHATWG "prescan a byte stream" algorithm in
 * outline (comments, attribute quoting, http-equiv pragmas) over the first
 * META_SCAN_BYTES bytes, a little more than the standard's 1024 because CMS
 * pages often push the declaration down.
 *
 * The guess: a body that is valid UTF-8 (or nearly: at most one bad sequence
 * per eight good multi-byte ones, the signature of a UTF-8 page with a stray
 * legacy byte) is UTF-8.  Otherwise each candidate legacy charset decodes the
 * bytes >= 0x80 and earns a point for every resulting letter that belongs to
 * the alphabet of one language we expect (Latvian, Lithuanian, Estonian,
 * Polish, Czech, Slovak, Hungarian, Croatian/Slovene, Romanian, German,
 * French, Spanish, Portuguese, Italian, Nordic); only the best single
 * language counts, so letters of unrelated alphabets do not add up.  Bytes a
 * candidate leaves undefined or maps to C1 controls cost three points,
 * symbols glued to letters ("³ód¼" for "łódź") one point.  Ties go to the
 * earlier candidate: windows-1252, ISO-8859-2, windows-1250, windows-1257.
 * Short bodies with few non-ASCII letters are a coin toss that no byte
 * statistic can win; the declaration paths above are what real pages use.
 *
 * Left out: UTF-7, EBCDIC, ISO-2022 families, and statistical detection of
 * CJK or Cyrillic charsets (they are decoded when declared).
 */
#include "text_internal.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define META_SCAN_BYTES 4096

/* ---- UTF-8 ----------------------------------------------------------- */

size_t mct_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	unsigned lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlong forms */
		hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
	} else {
		*cp = MCT_UTF8_INVALID;
		return 1;
	}
	for (i = 1; i <= need && i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			break;
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	if (i <= need) {
		*cp = MCT_UTF8_INVALID;
		return i;
	}
	*cp = v;
	return need + 1;
}

void mct_utf8_put(mct_buf *b, uint32_t cp)
{
	char s[4];
	size_t n;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	mct_buf_append(b, s, n);
}

/* ---- labels ---------------------------------------------------------- */

struct charset {
	const char *name;    /* canonical, reported in mct_text.charset */
	const char *iconv;   /* glibc iconv name */
	unsigned unit;       /* bytes to skip past an undecodable sequence */
	const char *aliases; /* lowercase labels, space separated */
};

static const struct charset charsets[] = {
    {"UTF-8", "UTF-8", 1,
     "utf-8 utf8 unicode-1-1-utf-8 unicode11utf8 unicode20utf8 x-unicode20utf8"},
    {"windows-1252", "CP1252", 1,
     "windows-1252 cp1252 x-cp1252 iso-8859-1 iso8859-1 iso88591 iso_8859-1 "
     "iso_8859-1:1987 latin1 l1 us-ascii ascii ansi_x3.4-1968 cp819 ibm819 iso-ir-100 "
     "csisolatin1"},
    {"ISO-8859-2", "ISO-8859-2", 1,
     "iso-8859-2 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 latin2 l2 iso-ir-101 "
     "csisolatin2"},
    {"ISO-8859-4", "ISO-8859-4", 1,
     "iso-8859-4 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 latin4 l4 iso-ir-110 "
     "csisolatin4"},
    {"ISO-8859-5", "ISO-8859-5", 1,
     "iso-8859-5 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988 cyrillic iso-ir-144 "
     "csisolatincyrillic"},
    {"ISO-8859-7", "ISO-8859-7", 1,
     "iso-8859-7 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 greek greek8 elot_928 "
     "ecma-118 iso-ir-126 csisolatingreek sun_eu_greek"},
    {"ISO-8859-13", "ISO-8859-13", 1, "iso-8859-13 iso8859-13 iso885913"},
    {"ISO-8859-15", "ISO-8859-15", 1,
     "iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9 latin9 latin-9 csisolatin9"},
    {"ISO-8859-16", "ISO-8859-16", 1, "iso-8859-16 iso8859-16 latin10 l10"},
    {"windows-1250", "CP1250", 1, "windows-1250 cp1250 x-cp1250"},
    {"windows-1251", "CP1251", 1, "windows-1251 cp1251 x-cp1251"},
    {"windows-1253", "CP1253", 1, "windows-1253 cp1253 x-cp1253"},
    {"windows-1254", "CP1254", 1,
     "windows-1254 cp1254 x-cp1254 iso-8859-9 iso8859-9 iso88599 iso_8859-9 latin5 l5"},
    {"windows-1257", "CP1257", 1, "windows-1257 cp1257 x-cp1257"},
    {"windows-1258", "CP1258", 1, "windows-1258 cp1258 x-cp1258"},
    {"windows-874", "CP874", 1, "windows-874 dos-874 tis-620 iso-8859-11 iso8859-11"},
    {"KOI8-R", "KOI8-R", 1, "koi8-r koi8 koi8_r cskoi8r"},
    {"KOI8-U", "KOI8-U", 1, "koi8-u koi8-ru"},
    {"IBM866", "CP866", 1, "ibm866 866 cp866 csibm866"},
    {"macintosh", "MACINTOSH", 1, "macintosh mac x-mac-roman csmacintosh"},
    {"GBK", "GBK", 1, "gbk gb2312 x-gbk chinese csgb2312 gb_2312 gb_2312-80 iso-ir-58"},
    {"gb18030", "GB18030", 1, "gb18030"},
    {"Big5", "BIG5-HKSCS", 1, "big5 big5-hkscs cn-big5 csbig5 x-x-big5"},
    {"Shift_JIS", "CP932", 1,
     "shift_jis shift-jis sjis ms_kanji ms932 windows-31j x-sjis csshiftjis"},
    {"EUC-JP", "EUC-JP", 1, "euc-jp x-euc-jp cseucpkdfmtjapanese"},
    {"EUC-KR", "CP949", 1,
     "euc-kr ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 korean windows-949 cseuckr"},
    {"UTF-16LE", "UTF-16LE", 2, "utf-16le utf-16 ucs-2 unicode csunicode unicodefeff"},
    {"UTF-16BE", "UTF-16BE", 2, "utf-16be unicodefffe"},
};

#define NCHARSETS (sizeof charsets / sizeof charsets[0])

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static const struct charset *find_charset(const char *name)
{
	for (size_t i = 0; i < NCHARSETS; i++)
		if (strcmp(charsets[i].name, name) == 0)
			return &charsets[i];
	return NULL;
}

/* Does the space-separated list hold the word w[0..n)? */
static int has_word(const char *list, const char *w, size_t n)
{
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ");
		if (k == n && memcmp(p, w, n) == 0)
			return 1;
		p += k;
		p += *p == ' ';
	}
	return 0;
}

const char *mct_charset_lookup(const char *label, size_t n)
{
	char low[48];
	size_t k = 0;

	while (n > 0 && (is_ws((unsigned char)*label) || *label == '"' || *label == '\'')) {
		label++;
		n--;
	}
	while (n > 0 &&
	       (is_ws((unsigned char)label[n - 1]) || label[n - 1] == '"' || label[n - 1] == '\''))
		n--;
	if (n == 0 || n >= sizeof low)
		return NULL;
	for (k = 0; k < n; k++) {
		if (label[k] == ' ')
			return NULL;
		low[k] = (char)lower((unsigned char)label[k]);
	}
	for (size_t i = 0; i < NCHARSETS; i++)
		if (has_word(charsets[i].aliases, low, n))
			return charsets[i].name;
	return NULL;
}

const char *mct_charset_bom(const unsigned char *p, size_t n, size_t *bom_len)
{
	*bom_len = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		*bom_len = 3;
		return "UTF-8";
	}
	if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
		*bom_len = 2;
		return "UTF-16LE";
	}
	if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
		*bom_len = 2;
		return "UTF-16BE";
	}
	return NULL;
}

/* ---- <meta> prescan -------------------------------------------------- */

struct attr {
	const unsigned char *name, *val;
	size_t nlen, vlen;
};

static int ci_eq(const unsigned char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	if (n != k)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != (unsigned char)lit[i])
			return 0;
	return 1;
}

static int ci_prefix(const unsigned char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && ci_eq(s, k, lit);
}

/* Read the attribute at p[*i] of a tag; 0 at the tag's '>' or the end. */
static int next_attr(const unsigned char *p, size_t n, size_t *i, struct attr *a)
{
	size_t k = *i, start;

	while (k < n && (is_ws(p[k]) || p[k] == '/'))
		k++;
	if (k >= n || p[k] == '>') {
		*i = k;
		return 0;
	}
	start = k;
	while (k < n && !is_ws(p[k]) && p[k] != '/' && p[k] != '>' && p[k] != '=')
		k++;
	a->name = p + start;
	a->nlen = k - start;
	a->val = NULL;
	a->vlen = 0;
	while (k < n && is_ws(p[k]))
		k++;
	if (k < n && p[k] == '=') {
		k++;
		while (k < n && is_ws(p[k]))
			k++;
		if (k < n && (p[k] == '"' || p[k] == '\'')) {
			unsigned char q = p[k++];
			start = k;
			while (k < n && p[k] != q)
				k++;
			a->val = p + start;
			a->vlen = k - start;
			k += k < n;
		} else {
			start = k;
			while (k < n && !is_ws(p[k]) && p[k] != '>')
				k++;
			a->val = p + start;
			a->vlen = k - start;
		}
	}
	*i = k;
	return 1;
}

/* The charset named in a Content-Type value ("text/html; charset=x"). */
static const char *content_charset(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i + 7 <= n; i++) {
		if (!ci_prefix(s + i, n - i, "charset"))
			continue;
		size_t k = i + 7, start;
		while (k < n && is_ws(s[k]))
			k++;
		if (k >= n || s[k] != '=')
			continue;
		k++;
		while (k < n && is_ws(s[k]))
			k++;
		if (k < n && (s[k] == '"' || s[k] == '\'')) {
			unsigned char q = s[k++];
			start = k;
			while (k < n && s[k] != q)
				k++;
			if (k >= n)
				return NULL;
		} else {
			start = k;
			while (k < n && !is_ws(s[k]) && s[k] != ';')
				k++;
		}
		return mct_charset_lookup((const char *)s + start, k - start);
	}
	return NULL;
}

/* Attributes of one <meta> tag; *i is past "<meta". */
static const char *meta_tag(const unsigned char *p, size_t n, size_t *i)
{
	int got_pragma = 0, need_pragma = -1;
	const char *cs = NULL;
	struct attr a;

	while (next_attr(p, n, i, &a)) {
		if (ci_eq(a.name, a.nlen, "http-equiv")) {
			if (a.val && ci_eq(a.val, a.vlen, "content-type"))
				got_pragma = 1;
		} else if (ci_eq(a.name, a.nlen, "content") && need_pragma < 0 && a.val) {
			cs = content_charset(a.val, a.vlen);
			if (cs)
				need_pragma = 1;
		} else if (ci_eq(a.name, a.nlen, "charset") && need_pragma < 0 && a.val) {
			cs = mct_charset_lookup((const char *)a.val, a.vlen);
			need_pragma = 0;
		}
	}
	if (!cs || need_pragma < 0 || (need_pragma == 1 && !got_pragma))
		return NULL;
	/* A page readable as ASCII is not UTF-16 whatever it says. */
	if (strncmp(cs, "UTF-16", 6) == 0)
		return "UTF-8";
	return cs;
}

/* encoding="..." of an XML declaration at the very start. */
static const char *xml_decl(const unsigned char *p, size_t n)
{
	size_t i = 5;
	struct attr a;

	if (!ci_prefix(p, n, "<?xml") || n < 6 || !is_ws(p[5]))
		return NULL;
	while (i < n && p[i] != '?' && next_attr(p, n, &i, &a)) {
		if (ci_eq(a.name, a.nlen, "encoding") && a.val)
			return mct_charset_lookup((const char *)a.val, a.vlen);
	}
	return NULL;
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

const char *mct_charset_meta(const unsigned char *p, size_t n)
{
	size_t i = 0;
	struct attr a;

	if (n > META_SCAN_BYTES)
		n = META_SCAN_BYTES;
	while (i < n) {
		const unsigned char *s = p + i;
		size_t left = n - i;
		if (*s != '<') {
			i++;
		} else if (ci_prefix(s, left, "<!--")) {
			const unsigned char *e = memmem(s + 2, left - 2, "-->", 3);
			i = e ? (size_t)(e - p) + 3 : n;
		} else if (ci_prefix(s, left, "<meta") && left > 5 &&
		           (is_ws(s[5]) || s[5] == '/')) {
			i += 5;
			const char *cs = meta_tag(p, n, &i);
			if (cs)
				return cs;
		} else if ((left > 1 && is_alpha(s[1])) ||
		           (left > 2 && s[1] == '/' && is_alpha(s[2]))) {
			/* some other tag: skip its name and attributes, which may
			 * hold a quoted '>' */
			while (i < n && !is_ws(p[i]) && p[i] != '>')
				i++;
			while (next_attr(p, n, &i, &a))
				;
		} else if (left > 1 && (s[1] == '!' || s[1] == '/' || s[1] == '?')) {
			const unsigned char *e = memchr(s, '>', left);
			i = e ? (size_t)(e - p) + 1 : n;
		} else {
			i++;
		}
	}
	return xml_decl(p, n);
}

/* ---- detection ------------------------------------------------------- */

enum { CLS_LETTER, CLS_OTHER, CLS_BAD };

static const char *const candidates[] = {"windows-1252", "ISO-8859-2", "windows-1250",
                                         "windows-1257"};
#define NCAND (sizeof candidates / sizeof candidates[0])

/* Letters beyond ASCII of the languages the sources are written in. */
static const char *const alphabets[] = {
    "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ",             /* Latvian */
    "ąčęėįšųūžĄČĘĖĮŠŲŪŽ",                 /* Lithuanian */
    "äöüõšžÄÖÜÕŠŽ",                       /* Estonian */
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",                 /* Polish */
    "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ",     /* Czech */
    "áäčďéíĺľňóôŕšťúýžÁÄČĎÉÍĹĽŇÓÔŔŠŤÚÝŽ", /* Slovak */
    "áéíóöőúüűÁÉÍÓÖŐÚÜŰ",                 /* Hungarian */
    "čćđšžČĆĐŠŽ",                         /* Croatian, Slovene */
    "ăâîșțşţĂÂÎȘȚŞŢ",                     /* Romanian */
    "äöüßÄÖÜ",                            /* German */
    "éèêëàâçîïôûùüÿœÉÈÊËÀÂÇÎÏÔÛÙÜŒ",      /* French */
    "áéíóúñü¿¡ÁÉÍÓÚÑÜ",                   /* Spanish */
    "ãõçáéíóúâêôàÃÕÇÁÉÍÓÚÂÊÔÀ",           /* Portuguese */
    "àèéìíòóùÀÈÉÌÍÒÓÙ",                   /* Italian */
    "åäöæøéÅÄÖÆØÉ",                       /* Nordic, Dutch */
};
#define NALPHA (sizeof alphabets / sizeof alphabets[0])

/* For byte 0x80 + b decoded by candidate c: its class, and bit L set when
 * the character belongs to alphabets[L]. */
static unsigned char byte_class[NCAND][128];
static uint32_t byte_alpha[NCAND][128];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint32_t decode_byte(iconv_t cd, unsigned char b)
{
	char in[1] = {(char)b}, out[8];
	char *ip = in, *op = out;
	size_t il = 1, ol = sizeof out;
	uint32_t cp;

	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || op == out)
		return 0;
	mct_utf8_next((const unsigned char *)out, (size_t)(op - out), &cp);
	return cp == MCT_UTF8_INVALID ? 0 : cp;
}

static int is_letter(uint32_t cp)
{
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || cp == 0xAA ||
	       cp == 0xB5 || cp == 0xBA || (cp >= 0x370 && cp <= 0x52F);
}

static uint32_t alphabet_bits(uint32_t cp)
{
	uint32_t bits = 0;
	for (size_t l = 0; l < NALPHA; l++) {
		const unsigned char *s = (const unsigned char *)alphabets[l];
		size_t n = strlen(alphabets[l]);
		for (size_t i = 0; i < n;) {
			uint32_t a;
			i += mct_utf8_next(s + i, n - i, &a);
			if (a == cp)
				bits |= 1u << l;
		}
	}
	return bits;
}

static void build_tables(void)
{
	for (size_t c = 0; c < NCAND; c++) {
		const struct charset *cs = find_charset(candidates[c]);
		iconv_t cd = iconv_open("UTF-8", cs->iconv);
		for (unsigned b = 0; b < 128; b++) {
			uint32_t cp =
			    cd == (iconv_t)-1 ? 0 : decode_byte(cd, (unsigned char)(0x80 + b));
			if (cp == 0 || (cp >= 0x80 && cp <= 0x9F))
				byte_class[c][b] = CLS_BAD;
			else
				byte_class[c][b] = is_letter(cp) ? CLS_LETTER : CLS_OTHER;
			byte_alpha[c][b] = cp ? alphabet_bits(cp) : 0;
		}
		if (cd != (iconv_t)-1)
			iconv_close(cd);
	}
}

/* Valid UTF-8, give or take one bad sequence per eight good multi-byte ones;
 * a sequence cut off by the end of the body does not count against it. */
static int mostly_utf8(const unsigned char *p, size_t n)
{
	size_t good = 0, bad = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = mct_utf8_next(p + i, n - i, &cp);
		if (cp != MCT_UTF8_INVALID)
			good++;
		else if (!(i + k == n && p[i] >= 0xC2 && p[i] <= 0xF4))
			bad++;
		i += k;
	}
	return bad == 0 || good >= 8 * bad;
}

static int wordish(unsigned char c)
{
	return c >= 0x80 || is_alpha(c);
}

const char *mct_charset_detect(const unsigned char *p, size_t n)
{
	size_t count[128] = {0}, glued[128] = {0};
	size_t best = 0;
	long long best_score = 0;

	if (mostly_utf8(p, n))
		return "UTF-8";
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0x80)
			continue;
		count[p[i] - 0x80]++;
		if ((i > 0 && wordish(p[i - 1])) || (i + 1 < n && wordish(p[i + 1])))
			glued[p[i] - 0x80]++;
	}
	pthread_once(&tables_once, build_tables);
	for (size_t c = 0; c < NCAND; c++) {
		long long hits[NALPHA] = {0}, best_hits = 0, penalty = 0;
		for (size_t b = 0; b < 128; b++) {
			if (!count[b])
				continue;
			if (byte_class[c][b] == CLS_BAD)
				penalty += 3 * (long long)count[b];
			else if (byte_class[c][b] == CLS_OTHER)
				penalty += (long long)glued[b];
			for (size_t l = 0; l < NALPHA; l++)
				if (byte_alpha[c][b] & (1u << l))
					hits[l] += (long long)count[b];
		}
		for (size_t l = 0; l < NALPHA; l++)
			if (hits[l] > best_hits)
				best_hits = hits[l];
		if (c == 0 || best_hits - penalty > best_score) {
			best = c;
			best_score = best_hits - penalty;
		}
	}
	return candidates[best];
}

/* ---- decoding -------------------------------------------------------- */

/* Copy UTF-8 into out, repairing it and dropping the controls that no text
 * format downstream wants (see mct_charset_decode). */
static void clean_utf8(const unsigned char *p, size_t n, mct_buf *out)
{
	mct_buf_reserve(out, n);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7F) {
			size_t j = i + 1;
			while (j < n && p[j] >= 0x20 && p[j] < 0x7F)
				j++;
			mct_buf_append(out, p + i, j - i);
			i = j;
		} else if (c < 0x80) {
			if (c == '\t' || c == '\n' || c == '\r')
				mct_buf_putc(out, (char)c);
			else if (c == '\f' || c == '\v')
				mct_buf_putc(out, ' ');
			i++;
		} else {
			uint32_t cp;
			size_t k = mct_utf8_next(p + i, n - i, &cp);
			if (cp == MCT_UTF8_INVALID)
				mct_utf8_put(out, 0xFFFD);
			else
				mct_buf_append(out, p + i, k);
			i += k;
		}
	}
}

static mct_status iconv_to_utf8(const unsigned char *p, size_t n, const struct charset *cs,
                                mct_buf *out, mct_err *err)
{
	iconv_t cd = iconv_open("UTF-8", cs->iconv);
	char *in = (char *)p;
	size_t left = n;

	if (cd == (iconv_t)-1)
		return mct_fail(err, MCT_ERR_INTERNAL, "iconv cannot convert from %s: %s", cs->name,
		                strerror(errno));
	while (left > 0) {
		mct_buf_reserve(out, left + 64);
		char *o = out->data + out->len;
		size_t room = out->cap - out->len - 1;
		size_t r = iconv(cd, &in, &left, &o, &room);
		out->len = (size_t)(o - out->data);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		mct_utf8_put(out, 0xFFFD);
		if (errno != EILSEQ)
			break; /* EINVAL: the body ends inside a sequence */
		size_t skip = cs->unit < left ? cs->unit : left;
		in += skip;
		left -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	if (out->data)
		out->data[out->len] = 0;
	iconv_close(cd);
	return MCT_OK;
}

mct_status mct_charset_decode(const void *body, size_t n, int is_html, const char *http_charset,
                              const char *force_charset, mct_buf *out, char charset[40],
                              mct_err *err)
{
	const unsigned char *p = body;
	size_t bom_len;
	const char *bom = mct_charset_bom(p, n, &bom_len);
	const char *name = NULL;
	const struct charset *cs;

	if (force_charset) {
		name = mct_charset_lookup(force_charset, strlen(force_charset));
		if (!name)
			return mct_fail(err, MCT_ERR_USAGE,
			                "unknown charset \"%.60s\" (use a name such as UTF-8, "
			                "windows-1257 or ISO-8859-2)",
			                force_charset);
	}
	if (!name && http_charset)
		name = mct_charset_lookup(http_charset, strlen(http_charset));
	if (!name)
		name = bom;
	if (!name && is_html)
		name = mct_charset_meta(p, n);
	if (!name)
		name = mct_charset_detect(p, n);
	if (bom && strcmp(bom, name) == 0) {
		p += bom_len;
		n -= bom_len;
	}
	snprintf(charset, 40, "%s", name);
	cs = find_charset(name);
	if (strcmp(cs->name, "UTF-8") == 0) {
		clean_utf8(p, n, out);
		return MCT_OK;
	}
	mct_buf raw;
	mct_buf_init(&raw);
	mct_status st = iconv_to_utf8(p, n, cs, &raw, err);
	if (st == MCT_OK)
		clean_utf8((const unsigned char *)raw.data, raw.len, out);
	mct_buf_free(&raw);
	return st;
}
