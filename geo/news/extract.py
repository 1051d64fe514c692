"""News reports -> candidate events, offline, by rules: each real attack proposed once, and nothing else.

    candidates = extract(text, published=date(2021, 7, 6))     # one Candidate per attack the report tells of
    checked = to_events(candidates, source={"publisher": "AFP", "url": "https://...", "title": "..."})

The report is read as headline, dateline and sentences (``text``); each attack word that reports an attack becomes a
frame (``mentions``, ``frames``: date, place, actor, outcome, killed and wounded); frames about one attack merge into
one candidate that keeps every sentence it rests on (``merge``); a news mention told again with neither a date nor a
place of its own adds its sentence to the placed attack of that day it retells (``retell``). Tallies, general
statements, plans, threats and anaphors propose nothing. Dates follow each clause's own words; an earlier attack gets
its own date and precision and ``background = True``. Places come from the attack's clause, else the article's main
place or country, and never from a country the article does not place things in (``places``). Each candidate's
``confidence`` (0-1) is explained in its ``notes``. Bad input never raises: empty text or a report without an attack
gives []; only a publication date that is no date (or before 1900) raises ``ExtractError``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from geo.errors import GeoError
from geo.geocode import DEFAULT_AOI, Match
from geo.news import dates as nd
from geo.news.actors import ACTOR_COUNTRY, context_country
from geo.news.coast import off_coast, sea_of
from geo.news.frames import frames
from geo.news.merge import Group, group
from geo.news.timeline import news_date
from geo.news.numbers import Count, combine
from geo.news.places import COUNTRY_WORDS, ArticlePlaces
from geo.news.retell import fold_retellings
from geo.news.text import normalise, read_article, split_sentences

MAX_CHARS = 1 << 20
MAX_CANDIDATES = 500
_AREA_KINDS = frozenset({"country", "admin1", "region"})
_LONG_RANGE = frozenset({"Houthis", "Iran"})  # their "missiles" at Israel or Saudi Arabia are ballistic ones
#: Air forces whose "missile strikes" abroad are fired from aircraft (ACLED codes them Air/drone strike).
_AIR_FORCES = frozenset({"Israel", "United States", "United Kingdom", "US-led coalition", "Turkey", "Russia",
                         "Saudi-led coalition"})


class ExtractError(GeoError):
    """A news report that cannot be read at all (not text, unreadable file, a publication date that is no date)."""


@dataclass
class Candidate:
    """One attack a report tells of, proposed as an event for a person to accept, edit or reject."""

    weapon_type: str
    date: date
    date_precision: str
    evidence: str
    count: int | None = None
    date_end: date | None = None
    outcome: str = "unknown"
    actor: str = "Unidentified"
    attribution: str = "unknown"
    target: str = ""
    location: str = ""
    lon: float | None = None
    lat: float | None = None
    precision_km: float | None = None
    geo_precision: int | None = None
    country: str = ""
    admin1: str = ""
    fatalities: int | None = None
    wounded: int | None = None
    confidence: float = 0.5
    background: bool = False
    sentences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dict (dates as ISO text)."""
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d["date_end"] = self.date_end.isoformat() if self.date_end else None
        return d


def publication_date(published: object) -> date:
    """The publication date as a ``date``; ``ExtractError`` (one line) when it is none, or out of range."""
    pub = nd.as_date(published)
    if pub is None:
        raise ExtractError(f"publication date {str(published)[:40]!r} is not a date: give it as YYYY-MM-DD")
    if not 1900 <= pub.year <= 2100:
        raise ExtractError(f"publication date {pub.isoformat()} is out of range: give the report's real date "
                           f"(1900-2100) as YYYY-MM-DD")
    return pub


def extract(text: object, *, published: date | datetime | str, aoi: Sequence[str] = DEFAULT_AOI) -> list[Candidate]:
    """Candidate events of one news report, in the order the report first tells them.

    Parameters
    ----------
    text : the report (plain text). Not text, empty, or no attack told -> [].
    published : the publication date, against which "on Monday", "yesterday", "last week" are resolved.
    aoi : ISO3 codes that rank places when the report names no country (the report's own countries come first).
    """
    pub = publication_date(published)
    if not isinstance(text, str) or not text.strip():
        return []
    text = normalise(text[:MAX_CHARS])
    article = read_article(text)
    places = ArticlePlaces(text, article.dateline)
    if not places.named:
        places.aoi = tuple(aoi)
    by_sentence = [(sentence, frames(sentence, pub, places)) for sentence in article.sentences]
    news = news_date([f for _, found in by_sentence for f in found], pub)
    groups = group(by_sentence, news, places, pub)
    main = _main_place(groups, places, news.day)
    main_actor = next((g.actor for g in groups if g.place is main and g.actor), None)
    groups = fold_retellings([g for g in groups if not _headline_tally(g)], news.day)
    out = [_candidate(g, news.day, pub, places, main, main_actor) for g in groups]
    return [c for c in out if c is not None][:MAX_CANDIDATES]


def _headline_tally(g: Group) -> bool:
    """A group only the headline tells, with a plural attack noun ("46 troops injured in Iraq and Syria attacks"):
    the headline of a tally, not an attack the body tells."""
    return all(f.sentence.headline for f in g.frames) and all(f.mention.kind in ("attack", "blast") and f.mention.plural
                                                              for f in g.frames)


def _main_place(groups: list[Group], places: ArticlePlaces, news: date) -> Match | None:
    """Where the article's news happened: its first placed news attack, else its dateline (when the article places
    things in the dateline's country, or nowhere), else its main country. "DUBAI, United Arab Emirates" heads reports
    on Yemen and Iran: a dateline says where the reporter is, not where the news is."""
    for g in groups:
        if g.place is not None and g.day is not None and g.day >= news:
            return g.place
    if places.dateline is not None and (places.dateline.country in places.placed or not places.placed):
        return places.dateline
    return places.country_point(places.main_country)


def _candidate(g: Group, news: date, pub: date, places: ArticlePlaces, main: Match | None,
               main_actor: str | None = None) -> Candidate | None:
    if g.day is None or g.day > pub:
        return None  # a date after publication is a plan or a misreading, not an attack report
    first = g.frames[0]
    sentences = list(dict.fromkeys([f.sentence.text for f in g.frames] + g.retold))
    weapon = _weapon(g)
    c = Candidate(weapon, g.day, g.precision, " … ".join(sentences)[:2000], date_end=g.end if g.end != g.day else None)
    c.sentences = sentences
    c.background = (g.end or g.day) < news or g.precision != "day" and g.day < news and bool(
        any(f.prior for f in g.frames) or re.match(r"(?:earlier|last|previous)\b", _date_text(g).strip("'"), re.I))
    c.count = next((f.mention.count for f in g.frames if f.mention.count is not None and f.mention.kind not in
                    ("attack", "blast")), None)
    c.outcome = next((f.outcome for f in g.frames if f.outcome != "unknown"), "unknown")
    c.fatalities = combine(_once([(f.sentence.index, k) for f in g.frames for k in f.killed]) + g.extra_killed)
    c.wounded = combine(_once([(f.sentence.index, w) for f in g.frames for w in f.wounded]) + g.extra_wounded)
    if g.actor:
        c.actor, c.attribution = g.actor, g.attribution
    c.target = next((f.target for f in g.frames if f.target), "")
    how_place = _set_place(c, g, places, main, main_actor)
    how_date = {"own": f"date from {_date_text(g)}", "news": "no date of its own: the article's news date",
                "context": "no date of its own: the date of the sentence before",
                "report": "no date of its own: the day it was reported"}.get(g.how, g.how)
    c.notes = [how_date, how_place] + g.notes
    if first.mention.weapon == "unknown" and weapon == "ballistic_missile":
        c.notes.append("a Houthi or Iranian missile: ballistic")
    elif all(f.mention.kind in ("missile", "attack", "blast") for f in g.frames) and weapon == "airstrike":
        c.notes.append(f"missiles of {g.actor}'s air force: an airstrike")
    c.confidence = _confidence(c, g, how_place)
    return c


def _once(counts: list[tuple[int, Count]]) -> list[Count]:
    """Each stated figure once, though several attack words of its sentence carry it."""
    return list({(i, c.at, c.value): c for i, c in counts}.values())


def _date_text(g: Group) -> str:
    w = next((f.when for f in g.frames if f.when is not None), None)
    return f"'{w.text.strip()}'" if w else "the text"


def _weapon(g: Group) -> str:
    kinds = [f.mention.kind for f in g.frames]
    typed = [k for k in kinds if k not in ("missile", "attack", "blast")]
    named = [k for k in kinds if k not in ("attack", "blast")]
    if typed and not (named[0] == "missile" and typed[0] == "drone"):
        return typed[0]  # the first weapon named; a later different one is most often a detail ("mortar bombs")
    if "missile" in kinds:
        return "ballistic_missile" if g.actor in _LONG_RANGE else "airstrike" if g.actor in _AIR_FORCES else "unknown"
    if "blast" in kinds and "attack" not in kinds:
        return "ied"
    return "unknown"


def _set_place(c: Candidate, g: Group, places: ArticlePlaces, main: Match | None, main_actor: str | None) -> str:
    """The group's own place; else, for the news, the article's main place, for an earlier attack the country its
    sentence names; never the attacker's own country (Yemen for Houthi missiles at Israel, Iran for a strike by
    Israel on Iran's consulate in Damascus)."""
    m, how = g.place, f"place from '{g.place_text}'"
    own = ACTOR_COUNTRY.get(g.actor or "")
    if m is None and main is not None and main.country == own and main.kind == "country":
        main = None
    if m is None and c.background and main is not None and main.kind in _AREA_KINDS and g.actor \
            and g.actor == main_actor:
        m, how = main, "no place of its own: the area of the same attacker's news"  # "another round of strikes"
    if m is None and c.background:
        iso = _named_country(g, places) or next((context_country(f.text, g.actor, places) for f in g.frames
                                                 if context_country(f.text, g.actor, places)), None)
        m, how = places.country_point(iso), "no place of its own: the country its sentence names"
        if m is None:
            iso = main.country if main is not None else places.main_country
            m, how = places.country_point(iso if iso != own else None), "no place of its own: the country of the news"
    elif m is None:
        m, how = main, "no place of its own: the article's main place"
    if m is None and own is not None and own == (main.country if main is not None else places.main_country):
        # "Saturday's barrage by Iran" in a report on strikes in Iran: the other country the report is about
        iso = next((x for x in places.aoi if x in places.named and x != own), None)
        m, how = places.country_point(iso), "no place of its own: the country the report names beside the attacker's"
    if (m is None or m.kind == "country" and (g.place is None or m.country == own)) \
            and (sea := sea_of(c.sentences, places.text, places)) is not None:
        # a ship hit by the Houthis is not in Yemen; "off the UAE" is the report's own place and stays
        m, how = sea[0], f"{how}; a ship attacked at sea: in '{sea[1]}', the sea the report names"
    if m is None:
        return "no place found in the article's countries"
    if (coast := off_coast(m, c.sentences, places.text, places)) is not None:
        m, how = coast[0], f"{how}; at sea off '{coast[1]}', the coastal place the report gives"
    c.location, c.lon, c.lat = m.matched, m.lon, m.lat
    c.precision_km, c.geo_precision, c.country, c.admin1 = m.precision_km, m.geo_precision, m.country, m.admin1
    if g.place is None:
        c.geo_precision = 3 if m.kind in _AREA_KINDS else 2
    return how


_WAR_BEFORE = re.compile(r"\b(?:war|conflict|offensive|fighting|campaign|crisis|siege|blockade)\s*$", re.I)


def _named_country(g: Group, places: ArticlePlaces) -> str | None:
    text = " ".join(f.sentence.text for f in g.frames)
    for iso, words in COUNTRY_WORDS.items():
        told = (m for w in words for m in re.finditer(rf"\b(?:in|on|into|across)\s+{re.escape(w)}\b", text))
        if iso in places.named and any(not _WAR_BEFORE.search(text[:m.start()]) for m in told):
            return iso  # "the war in Gaza" places no attack in Gaza
    return None


def _confidence(c: Candidate, g: Group, how_place: str) -> float:
    score = 0.45
    score += {"own": 0.2 if c.date_precision == "day" else 0.1, "news": 0.05, "context": 0.0}.get(g.how, 0.0)
    if c.precision_km is None:
        score -= 0.3
    elif how_place.startswith("place from"):
        score += 0.2 if c.precision_km <= 10 else 0.1 if c.precision_km <= 60 else 0.0
    else:
        score -= 0.15
    score += min(0.15, 0.05 * (len(c.sentences) - 1)) + 0.05 * (c.actor != "Unidentified")
    score += 0.05 * (c.outcome != "unknown") - 0.05 * c.background
    score -= 0.1 * all(f.sentence.headline for f in g.frames)
    if c.precision_km is None:
        score = min(score, 0.25)  # no place in the article's countries: shown, but not to be taken as it is
    return round(min(0.99, max(0.05, score)), 2)


__all__ = ["Candidate", "ExtractError", "MAX_CHARS", "extract", "publication_date", "split_sentences"]
