#!/usr/bin/python3
"""bench/rules_patterns.py - the shipped rules' patterns, for the tools the
benchmark compares mcthermo with.

Reads every *.rules file of a folder the way rules/load.c does (sections,
`key = value` lines, {{NAME}} define references expanded to (?:a|b|...)),
and writes:

  --rg FILE      one PCRE2 pattern per line for `rg -P -i -f FILE`: every
                 alternative of the MC vocabulary and every pattern of every
                 rule, expanded.  Negation cues and country names are left
                 out: mcthermo runs them only on sentences a rule hit, so they
                 are attribution, not search.
  --rg-chunks DIR
                 the same patterns split into files pat-NN.txt that each
                 compile under `rg -P` (Debian's PCRE2 caps a compiled
                 pattern at 64 KiB, and rg -P joins a file's patterns into
                 one): halves are tried until each part compiles, as
                 mcthermo splits its own unions.
  --python FILE  JSON for the Scrapy spider: the same patterns translated to
                 Python's `re` dialect ({"mc": [...], "negation": [...],
                 "rules": [{"id", "context", "patterns"}]}).  \\x{HHHH}
                 becomes \\uHHHH and \\p{L} outside a class becomes [^\\W\\d_];
                 a pattern that still does not compile in Python is dropped
                 and counted.

A summary (counts, dropped patterns) goes to stdout as JSON.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

SECTION = re.compile(r"^\[(define|rule|negation|country)\s+([^\]\s]+)\]\s*$")


def parse(folder):
    sections = []
    for path in sorted(glob.glob(os.path.join(folder, "*.rules"))):
        cur = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                s = line.strip()
                if not s or s.startswith("#"):
                    continue
                m = SECTION.match(s)
                if m:
                    cur = {"kind": m.group(1), "name": m.group(2), "kv": []}
                    sections.append(cur)
                    continue
                if cur is None or "=" not in s:
                    continue
                k, v = s.split("=", 1)
                cur["kv"].append((k.strip(), v.strip()))
    return sections


def escaped(s, i):
    n = 0
    while i > n and s[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


class Expander:
    def __init__(self, sections):
        self.defines = {s["name"]: s for s in sections if s["kind"] == "define"}
        self.done = {}

    def define(self, name):
        if name not in self.done:
            alts = [self.expand(v) for k, v in self.defines[name]["kv"] if k == "pattern"]
            self.done[name] = "(?:" + "|".join(alts) + ")"
        return self.done[name]

    def alternatives(self, name):
        return [self.expand(v) for k, v in self.defines[name]["kv"] if k == "pattern"]

    def expand(self, pat):
        out, i = [], 0
        while i < len(pat):
            if pat.startswith("{{", i) and not escaped(pat, i):
                j = pat.find("}}", i + 2)
                name = pat[i + 2:j].strip() if j > 0 else ""
                if j > 0 and name in self.defines:
                    out.append(self.define(name))
                    i = j + 2
                    continue
            out.append(pat[i])
            i += 1
        return "".join(out)


def to_python(p):
    """PCRE2 -> Python re; None when it cannot be done faithfully."""
    out, i, in_class = [], 0, False
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            n = p[i + 1]
            if n == "x" and p.startswith("{", i + 2):
                j = p.index("}", i)
                cp = int(p[i + 3:j], 16)
                out.append("\\u%04x" % cp if cp <= 0xFFFF else "\\U%08x" % cp)
                i = j + 1
                continue
            if n in "pP" and p.startswith("{", i + 2):
                j = p.index("}", i)
                prop = p[i + 3:j]
                if in_class or prop != "L":
                    return None
                out.append("[^\\W\\d_]" if n == "p" else "[\\W\\d_]")
                i = j + 1
                continue
            if n in "hHRKXGCNvV" or n in "QE":
                return None
            out.append(p[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < len(p) and p[i] == "^":
                out.append("^")
                i += 1
            if i < len(p) and p[i] == "]":
                out.append("\\]")
                i += 1
            continue
        elif p.startswith("(*", i) or p.startswith("(?|", i):
            return None
        out.append(c)
        i += 1
    q = "".join(out)
    try:
        re.compile(q, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError):
        return None
    return q


def group_end(p, i):
    """Index just past the group opening at p[i] == '('."""
    depth, in_class = 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if p.startswith("^", i + 1):
                i += 1
            if p.startswith("]", i + 1):
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced group")


def to_rust(p):
    """PCRE2 -> ripgrep's default (Rust regex) dialect: lookaround groups
    are removed and atomic groups made plain, so the pattern matches a
    superset of what it matched (ripgrep does at least the same work)."""
    out, i, in_class = [], 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            out.append(p[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            out.append(c)
            i += 1
            for lead in ("^", "]"):
                if p.startswith(lead, i):
                    out.append("\\]" if lead == "]" else "^")
                    i += 1
            continue
        elif p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = group_end(p, i)
            continue
        elif p.startswith("(?>", i):
            out.append("(?:")
            i += 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


def rg_compiles(pats, empty):
    """Does `rg -P -i` accept these patterns as one regex?  (Exit 1: no
    match in the empty file, so it compiled; 2: it did not.)"""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as f:
        f.write("\n".join(pats) + "\n")
        f.flush()
        r = subprocess.run(["rg", "-P", "-i", "-q", "-f", f.name, empty],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode in (0, 1)


def rg_split(pats, empty):
    if rg_compiles(pats, empty) or len(pats) == 1:
        return [pats]
    half = len(pats) // 2
    return rg_split(pats[:half], empty) + rg_split(pats[half:], empty)


def main():
    ap = argparse.ArgumentParser(description="export the rules' patterns")
    ap.add_argument("rules_dir")
    ap.add_argument("--rg")
    ap.add_argument("--rg-chunks")
    ap.add_argument("--python")
    a = ap.parse_args()
    sections = parse(a.rules_dir)
    ex = Expander(sections)
    mc = ex.alternatives("MC") if "MC" in ex.defines else []
    rules = []
    for s in sections:
        if s["kind"] != "rule":
            continue
        ctx = next((v for k, v in s["kv"] if k == "context"), "sentence")
        rules.append({"id": s["name"], "context": ctx,
                      "patterns": [ex.expand(v) for k, v in s["kv"] if k == "pattern"]})
    negation = [ex.expand(v) for s in sections if s["kind"] == "negation"
                for k, v in s["kv"] if k == "pattern"]
    summary = {"rules": len(rules), "rule_patterns": sum(len(r["patterns"]) for r in rules),
               "mc_patterns": len(mc), "negation_patterns": len(negation)}
    if a.rg:
        pats = mc + [p for r in rules for p in r["patterns"]]
        with open(a.rg, "w", encoding="utf-8") as f:
            f.write("\n".join(pats) + "\n")
        summary["rg_patterns"] = len(pats)
        summary["rg_bytes"] = sum(len(p.encode()) for p in pats)
    if a.rg_chunks:
        pats = mc + [p for r in rules for p in r["patterns"]]
        os.makedirs(a.rg_chunks, exist_ok=True)
        with tempfile.NamedTemporaryFile(suffix=".txt") as empty:
            chunks = rg_split(pats, empty.name)
        for i, c in enumerate(chunks):
            with open(os.path.join(a.rg_chunks, "pat-%02d.txt" % i), "w",
                      encoding="utf-8") as f:
                f.write("\n".join(c) + "\n")
        summary["rg_chunks"] = len(chunks)
    if a.python:
        dropped = 0
        py = {"mc": [], "negation": [], "rules": []}
        for p in mc:
            q = to_python(p)
            dropped += q is None
            if q:
                py["mc"].append(q)
        for p in negation:
            q = to_python(p)
            dropped += q is None
            if q:
                py["negation"].append(q)
        for r in rules:
            qs = [to_python(p) for p in r["patterns"]]
            dropped += sum(q is None for q in qs)
            qs = [q for q in qs if q]
            if qs:
                py["rules"].append({"id": r["id"], "context": r["context"], "patterns": qs})
        with open(a.python, "w", encoding="utf-8") as f:
            json.dump(py, f, ensure_ascii=False)
        summary["python_dropped"] = dropped
        summary["python_rules"] = len(py["rules"])
    json.dump(summary, sys.stdout)
    print()


if __name__ == "__main__":
    main()
