"""bench/scrapy_spider.py - what a Scrapy user would write instead of
mcthermo, for the end-to-end benchmark.

Started with `scrapy runspider` (Debian's python3-scrapy).  From each
country's index page it follows the links that match the same follow regex
as mcthermo's sources (depth 1), obeys robots.txt, and for every page:
takes the visible text (the body's text nodes outside script, style and
noscript; for a PDF, the strings of its Flate-compressed content streams),
finds the sentences that name micro-credentials with the MC vocabulary of
the shipped rules, runs the rules' patterns (translated to Python `re` by
bench/rules_patterns.py) on those sentences (and the context = none rules on
every sentence), marks matches in negated sentences, and writes the page and
its matches to SQLite, committing every 100 pages.

Settings match the mcthermo run: same concurrency overall and per host, no
delay, no retries, no cookies, no auto-throttle; logging at WARNING.

Arguments (-a NAME=VALUE): starts (comma-separated index URLs), follow
(regex), patterns (the JSON of rules_patterns.py), db (SQLite file),
concurrency.
"""

import json
import re
import sqlite3
import zlib

import scrapy

SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[«„“0-9A-ZÀ-ÖØ-ÞĀ-Žα-ωΑ-ΩА-Я])")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
PDF_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")


def pdf_text(body):
    """Text of the Tj strings of every Flate stream (enough for simple PDFs)."""
    out = []
    for m in PDF_STREAM.finditer(body):
        try:
            data = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for s in PDF_STRING.finditer(data):
            raw = re.sub(rb"\\(.)", rb"\1", s.group(1))
            out.append(raw.decode("cp1252", "replace"))
    return "\n".join(out)


class BenchSpider(scrapy.Spider):
    name = "mcbench"

    def __init__(self, starts="", follow="", patterns="", db="scrapy.db", concurrency="8",
                 **kw):
        super().__init__(**kw)
        self.start_urls = [u for u in starts.split(",") if u]
        self.follow_re = re.compile(follow)
        with open(patterns, encoding="utf-8") as f:
            p = json.load(f)
        flags = re.IGNORECASE
        self.mc_re = re.compile("|".join("(?:%s)" % x for x in p["mc"]), flags)
        self.neg_re = re.compile("|".join("(?:%s)" % x for x in p["negation"]), flags)
        self.rules = [(r["id"], r["context"],
                       re.compile("|".join("(?:%s)" % x for x in r["patterns"]), flags))
                      for r in p["rules"]]
        self.db = sqlite3.connect(db)
        self.db.executescript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, url TEXT UNIQUE,"
            " status INTEGER, content_type TEXT, title TEXT, text TEXT);"
            "CREATE TABLE IF NOT EXISTS matches (page_id INTEGER, rule TEXT,"
            " negative INTEGER, match TEXT, sentence TEXT);")
        self.pending = 0

    def closed(self, reason):
        self.db.commit()
        self.db.close()

    def parse(self, response, depth=0):
        self.store(response)
        if depth == 0 and hasattr(response, "css"):
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href)
                if self.follow_re.search(url):
                    yield scrapy.Request(url, callback=self.parse, cb_kwargs={"depth": 1})

    def text_of(self, response):
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if "pdf" in ctype or response.body[:5] == b"%PDF-":
            return ctype, None, pdf_text(response.body)
        nodes = response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)"
                               " and not(ancestor::noscript)]").getall()
        lines = [" ".join(n.split()) for n in nodes]
        return ctype, response.xpath("//title/text()").get(), "\n".join(x for x in lines if x)

    def store(self, response):
        ctype, title, text = self.text_of(response)
        sentences = []
        for line in text.split("\n"):
            sentences.extend(SENTENCE_END.split(line))
        mc_lines = {i for i, s in enumerate(sentences) if self.mc_re.search(s)}
        found = []
        for i, s in enumerate(sentences):
            neg = None
            for rid, ctx, rx in self.rules:
                if ctx != "none" and i not in mc_lines:
                    continue
                m = rx.search(s)
                if m:
                    if neg is None:
                        neg = 1 if self.neg_re.search(s) else 0
                    found.append((rid, neg, m.group(0), s))
        cur = self.db.execute(
            "INSERT OR REPLACE INTO pages (url, status, content_type, title, text)"
            " VALUES (?,?,?,?,?)", (response.url, response.status, ctype, title, text))
        pid = cur.lastrowid
        self.db.executemany("INSERT INTO matches VALUES (?,?,?,?,?)",
                            [(pid, r, n, m, s) for r, n, m, s in found])
        self.pending += 1
        if self.pending >= 100:
            self.db.commit()
            self.pending = 0
