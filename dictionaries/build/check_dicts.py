#!/usr/bin/env python3
"""Checks the shipped gazetteers and shows what they match in sample texts.

Usage (any Python 3.9+, no third-party packages):

    python3 dictionaries/build/check_dicts.py                      # validate the TSVs
    python3 dictionaries/build/check_dicts.py TEXT...              # + list matches per text
    python3 dictionaries/build/check_dicts.py --gold DIR TEXT...   # + compare with gold JSON

Validation: UTF-8, NFC, no empty names, no duplicate term inside an entity, no term claimed
by two entities within or across the files, unique ids (type:slug) per type, first_names.txt
sorted and unique.  Matching imitates the tool: case-sensitive, whole-word (word characters =
Unicode letters/digits and "_"), leftmost-longest, dashes and curly quotes folded.
Exit status 1 when validation fails.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DICT_DIR = os.path.dirname(HERE)
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
          "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'}


def fold(s: str) -> str:
    """Dash/quote folding that keeps string length (so offsets stay valid)."""
    return "".join("-" if c in DASHES else QUOTES.get(c, c) for c in s)


def key(term: str) -> str:
    return " ".join(fold(unicodedata.normalize("NFC", term)).split())


def slug(name: str) -> str:
    out, dash = [], False
    for c in name:
        if c.isalnum():
            if dash and out:
                out.append("-")
            dash = False
            out.append(c.lower())
        else:
            dash = True
    return "".join(out) or "-".join("u%x" % ord(c) for c in name)


def is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def load(dict_dir: str):
    """Returns ({term_key: (type, canonical, file:line)}, problems)."""
    problems: list[str] = []
    terms: dict[str, tuple[str, str, str]] = {}
    for path in sorted(glob.glob(os.path.join(dict_dir, "*.tsv"))):
        kind = os.path.splitext(os.path.basename(path))[0]
        ids: dict[str, int] = {}
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                where = f"{os.path.basename(path)}:{n}"
                if unicodedata.normalize("NFC", line) != line:
                    problems.append(f"{where}: not NFC")
                cols = line.split("\t")
                if any(not c.strip() or c != c.strip() for c in cols):
                    problems.append(f"{where}: empty column or surrounding blanks")
                s = slug(cols[0])
                if s in ids:
                    problems.append(f"{where}: id {kind}:{s} repeats line {ids[s]}")
                ids[s] = n
                seen = set()
                for c in cols:
                    k = key(c)
                    if k in seen:
                        problems.append(f"{where}: '{c}' twice in one entity")
                        continue
                    seen.add(k)
                    if k in terms:
                        t = terms[k]
                        problems.append(f"{where}: '{c}' also belongs to {t[0]} '{t[1]}' ({t[2]})")
                        continue
                    terms[k] = (kind, cols[0], where)
    fn = os.path.join(dict_dir, "first_names.txt")
    if os.path.exists(fn):
        with open(fn, encoding="utf-8") as f:
            names = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
        if len(set(names)) != len(names):
            problems.append("first_names.txt: duplicates")
        if names != sorted(names, key=lambda s: (s.casefold(), s)):
            problems.append("first_names.txt: not sorted")
    return terms, problems


def find(text: str, terms: dict[str, tuple[str, str, str]]):
    """Leftmost-longest, whole-word, case-sensitive matches: [(start, end, surface, entry)]."""
    t = fold(text)
    cands = []
    for k, entry in terms.items():
        i = t.find(k)
        while i >= 0:
            j = i + len(k)
            ok_l = not (is_word(k[0]) and i > 0 and is_word(t[i - 1]))
            ok_r = not (is_word(k[-1]) and j < len(t) and is_word(t[j]))
            if ok_l and ok_r:
                cands.append((i, -len(k), j, entry))
            i = t.find(k, i + 1)
    cands.sort()
    out, end = [], 0
    for i, neg, j, entry in cands:
        if i >= end:
            out.append((i, j, text[i:j], entry))
            end = j
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("texts", nargs="*")
    ap.add_argument("--dicts", default=DICT_DIR)
    ap.add_argument("--gold", help="directory of gold JSON files named like the texts")
    args = ap.parse_args()
    terms, problems = load(args.dicts)
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(terms)} terms loaded; {len(problems)} problem(s)")
    missing_total = []
    for path in args.texts:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        ms = find(text, terms)
        print(f"\n== {os.path.basename(path)}: {len(ms)} matches")
        agg = collections.OrderedDict()
        for i, j, surf, (kind, canon, where) in ms:
            agg.setdefault((kind, canon, surf), 0)
            agg[(kind, canon, surf)] += 1
        for (kind, canon, surf), n in sorted(agg.items()):
            extra = "" if surf == canon else f"  <- '{surf}'"
            print(f"  {kind:12} {canon}{extra}  x{n}")
        if args.gold:
            gp = os.path.join(args.gold, os.path.splitext(os.path.basename(path))[0] + ".json")
            if os.path.exists(gp):
                with open(gp, encoding="utf-8") as f:
                    gold = json.load(f)
                for e in gold["entities"]:
                    for surf in dict.fromkeys([e["name"]] + e.get("aliases", [])):
                        hit = terms.get(key(surf))
                        if hit is None or hit[0] != e["type"]:
                            tag = "optional" if e.get("optional") else "REQUIRED"
                            got = f"{hit[0]} '{hit[1]}'" if hit else "absent"
                            missing_total.append((os.path.basename(path), tag, e["type"], e["name"], surf, got))
    if missing_total:
        print("\n== gold surfaces not in the dictionaries with the gold type")
        for doc, tag, kind, name, surf, got in missing_total:
            print(f"  {tag:8} {doc}: {kind} '{name}' surface '{surf}' -> {got}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
