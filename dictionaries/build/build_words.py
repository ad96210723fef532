#!/usr/bin/env python3
"""Generate the word lists that keep common words from becoming names.

Writes, next to the dictionaries (or into --out DIR):
  common_words.txt  lower-case English words with wordfreq Zipf >= 3.5 (about one use in 300,000
                    words or more) that are not chiefly names: the word is a lower-case entry of
                    Webster's 2nd (web2), or it is no top given name or surname of names-dataset
                    and no one-word place or organization name nor word of a person's name in
                    the shipped gazetteers ("coventry", "obama").
                    Used by partial-name resolution: a word on it that opens a sentence is not a
                    partial name, and a rule-found person whose later words are on it (and are
                    not surnames) owns no partial name.
  languages.txt     language and script names, capitalized: the one-word English names of the
                    ISO 639-1 languages, ISO 639-5 families and ISO 15924 scripts (pycountry),
                    less those that are also place names ("Tonga") or words of people's names
                    ("Karen", "Modi").
                    Pattern rules reject them: "in Latin" or "in Braille"-like words name no
                    place, "Arabic and Hebrew" lists no organizations.
  surnames.txt      surnames, capitalized: the top 1,000 of the US, UK, Canada, Australia and
                    Ireland and the top 300 of 24 other Latin-script countries (names-dataset).
                    A common word that is also a surname ("Bass", "Young", "Stone") can still be
                    a person's partial name.

Inputs are the pinned packages of requirements.txt; no network is needed after the install.
The output is byte-identical for the same pins.  Usage:
    python dictionaries/build/build_words.py [--out DIR] [--check]
"""
import argparse
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DICT_DIR = os.path.dirname(HERE)

COMMON_ZIPF = 3.5
COMMON_TOP = 60000          # wordfreq's list is read down to this rank (Zipf ~2.9 there)
NAME_TOP_EN = 1000
NAME_TOP_OTHER = 300
EN_COUNTRIES = ["US", "GB", "CA", "AU", "IE"]
OTHER_COUNTRIES = ["FR", "DE", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PT",
                   "BR", "MX", "AR", "CL", "CO", "PL", "CZ", "HR", "ZA", "JM", "NG",
                   "IN", "PK", "BD", "EG", "MA", "DZ", "TN", "TR", "IR", "GE", "AZ", "JP", "KR",
                   "ID", "MY", "GH", "CM", "ET", "SA", "AE", "IL", "HU", "RS", "BG", "HT", "UY",
                   "EC", "BO"]


def latin_name(s: str) -> bool:
    return (len(s) >= 2 and s.isalpha() and s[0].isupper()
            and all(unicodedata.name(ch, "").startswith("LATIN") for ch in s))


def surnames(nd) -> list[str]:
    out = set()
    for countries, n in ((EN_COUNTRIES, NAME_TOP_EN), (OTHER_COUNTRIES, NAME_TOP_OTHER)):
        for cc in countries:
            res = nd.get_top_names(n=n, use_first_names=False, country_alpha2=cc)
            for name in res.get(cc, []):
                name = unicodedata.normalize("NFC", name.strip())
                if latin_name(name) and len(name) >= 3 and any(ch.islower() for ch in name):
                    out.add(name)
    return sorted(out, key=lambda s: (s.casefold(), s))


def given_names(nd) -> set[str]:
    out = set()
    for countries, n in ((EN_COUNTRIES, NAME_TOP_EN), (OTHER_COUNTRIES, NAME_TOP_OTHER)):
        for cc in countries:
            res = nd.get_top_names(n=n, use_first_names=True, country_alpha2=cc)
            for gender in sorted(res.get(cc, {})):
                out.update(x.strip().lower() for x in res[cc][gender])
    return out


def gazetteer_words() -> set[str]:
    """Lower-case one-word place and organization names and words of people's names in the
    shipped gazetteers ("coventry", "obama"); film titles are made of ordinary words."""
    out = set()
    for kind in ("place", "organization", "person"):
        with open(os.path.join(DICT_DIR, f"{kind}.tsv"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                for term in line.rstrip("\n").split("\t"):
                    words = term.split()
                    if kind == "person" or len(words) == 1:
                        out.update(w.lower() for w in words)
    return out


def place_names() -> set[str]:
    """Every name and alias of the shipped place gazetteer, as written."""
    out = set()
    with open(os.path.join(DICT_DIR, "place.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                out.update(line.rstrip("\n").split("\t"))
    return out


def languages(places: set[str], names: set[str]) -> list[str]:
    """One-word English names of the ISO 639-1 languages, the ISO 639-5 language families and
    the ISO 15924 scripts, less place names and words of people's names ("Karen", "Modi")."""
    import pycountry

    found = [lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    found += [f.name.removesuffix(" languages") for f in pycountry.language_families]
    found += [s.name for s in pycountry.scripts]
    out = set()
    for name in found:
        name = name.split(";")[0].split(",")[0].split(" (")[0].strip()
        if " " in name or not name[:1].isupper() or name in places or name.lower() in names:
            continue
        out.add(name)
    return sorted(out)


def common_words(names: set[str]) -> list[str]:
    from english_words import get_english_words_set
    from wordfreq import top_n_list, zipf_frequency

    web2 = {w for w in get_english_words_set(["web2"], lower=False, alpha=False) if w.islower()}
    out = set()
    for w in top_n_list("en", COMMON_TOP):
        if not w.isalpha() or not w.islower() or len(w) < 2:
            continue
        if zipf_frequency(w, "en") < COMMON_ZIPF:
            continue
        if w in web2 or w not in names:
            out.add(unicodedata.normalize("NFC", w))
    return sorted(out)


def render(header: list[str], words: list[str]) -> str:
    return "".join(f"# {h}\n" if h else "#\n" for h in header) + "".join(w + "\n" for w in words)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DICT_DIR, help="directory to write into (default: dictionaries/)")
    ap.add_argument("--check", action="store_true", help="exit 1 when the files on disk differ")
    args = ap.parse_args()

    from importlib.metadata import version
    from names_dataset import NameDataset

    print("loading names-dataset (takes ~15 s) ...", file=sys.stderr)
    nd = NameDataset()
    sur = surnames(nd)
    first = given_names(nd)
    names = first | {s.lower() for s in sur} | gazetteer_words()
    common = common_words(names)
    src = (f"wordfreq {version('wordfreq')} (CC BY-SA 4.0 data), english-words {version('english-words')} "
           f"(web2, public domain), names-dataset {version('names-dataset')} (MIT)")
    files = {
        "common_words.txt": render([
            "Common English words -- GENERATED by dictionaries/build/build_words.py; do not edit.",
            f"Lower-case words with wordfreq Zipf >= {COMMON_ZIPF} that are a lower-case entry of",
            "Webster's 2nd or no top given name, surname or gazetteer word. Partial-name resolution",
            "reads it.",
            f"Sources: {src}.",
        ], common),
        "languages.txt": render([
            "Language names -- GENERATED by dictionaries/build/build_words.py; do not edit.",
            "One-word English names of the ISO 639-1 languages, ISO 639-5 language families and",
            "ISO 15924 scripts that are no place name of place.tsv nor a word of a person's name",
            "(a given name or surname of names-dataset, a word of person.tsv).",
            f"Source: pycountry {version('pycountry')} (Debian iso-codes, LGPL-2.1).",
        ], languages(place_names(), names)),
        "surnames.txt": render([
            "Surnames -- GENERATED by dictionaries/build/build_words.py; do not edit.",
            f"Top {NAME_TOP_EN} of {', '.join(EN_COUNTRIES)} and top {NAME_TOP_OTHER} of "
            f"{len(OTHER_COUNTRIES)} other countries, Latin script.",
            f"Source: names-dataset {version('names-dataset')} (MIT).",
        ], sur),
    }
    differ = False
    for name, text in files.items():
        path = os.path.join(args.out, name)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if args.check:
            if old != text:
                print(f"{path}: differs from a fresh build", file=sys.stderr)
                differ = True
            continue
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"wrote {path}: {text.count(chr(10)) - sum(1 for l in text.splitlines() if l.startswith('#'))} entries",
              file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
