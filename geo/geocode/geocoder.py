"""Place descriptions as reports write them -> a point with an honest precision, offline.

``geocode("near Albu Kamal")`` returns a ``Match`` (lon, lat, precision_km, geo_precision 1-3, country ISO3,
admin1, the matched name, its kind, a score and the alternatives it rejected) or a ``NoMatch`` that says why and
lists the best candidates. It never raises on bad text. Understood: names and aliases in Latin or Arabic script
(exact, folded, then fuzzy), "X, Syria" / "X in Anbar" hints, "near X", "outskirts of X", "N km north of X",
"between X and Y", "in western Iraq", "the US embassy in Baghdad", "a base hosting US troops in western Iraq",
and place names inside a sentence.

For the importers (issue 6) -- events that come with a place text but no coordinates::

    geocode_frame(frame: pd.DataFrame, *, text_column: str = "location", country_column: str | None = "country",
                  aoi: Sequence[str] = DEFAULT_AOI) -> pd.DataFrame

returns a copy where every row whose ``lon``/``lat`` are missing (NaN or absent) and whose text geocodes gets
``lon, lat, precision_km, geo_precision, country`` (if empty), ``admin1`` (if empty) and ``geocoded = True``;
other rows get ``geocoded = False``; ``geocode_note`` says what matched or why nothing did. Each distinct
(text, country) pair is geocoded once. Reverse geocoding (points -> country, admin1) is ``geo.geocode.reverse``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from geo.geocode import gazetteer as gz
from geo.geocode.rank import (COMMON_WORDS, DEFAULT_AOI, Candidate, Context, Found, candidate, candidates,
                              destination, find, sites_within)
from geo.geocode.gazetteer import Gazetteer, haversine_km

MAX_CHARS = 1000
_AREA_KINDS = ("region", "admin1", "country")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_BEARINGS = {"n": 0, "north": 0, "ne": 45, "northeast": 45, "e": 90, "east": 90, "se": 135, "southeast": 135,
             "s": 180, "south": 180, "sw": 225, "southwest": 225, "w": 270, "west": 270, "nw": 315, "northwest": 315}
_DIR = r"(north|south|east|west|north ?-?east|north ?-?west|south ?-?east|south ?-?west|ne|nw|se|sw|n|s|e|w)"
_OFFSET = re.compile(r"^(?:about |some |around |approximately |roughly |nearly |~)?(\d+(?:[.,]\d+)?)\s*-?\s*"
                     r"(km|kms|kilometers?|kilometres?|mi|miles?)\s+(?:to the )?" + _DIR + r"(?:ern)?\s+(?:of\s+)?(.+)$")
_BETWEEN = re.compile(r"^(?:somewhere |on the road |the road |the area )?between\s+(.+?)\s+and\s+(.+)$")
_NEAR = re.compile(r"^(?:near|nearby|close to|next to|around|in the vicinity of|in the area of|not far from|"
                   r"just outside|outside|on the edge of|in the surroundings of)\s+(.+)$")
_OUTSKIRTS = re.compile(r"^(?:on |in |at )?(?:the )?(outskirts|suburbs|edge|countryside|rural areas|environs) of\s+(.+)$")
_SUFFIX_NEAR = re.compile(r"^(.+?)\s+(area|vicinity|countryside|outskirts|suburbs|environs|surroundings)$")
_PREP = re.compile(r"^(?:in|at|inside|on|from|into|over|within|across|towards?|hit|struck|targeting)\s+(.+)$")
_OF = re.compile(r"^(town|city|village|district|subdistrict|province|governorate|region|area) of\s+(.+)$")
_SUFFIX_KIND = re.compile(r"^(.+?)\s+(town|city|village|district|subdistrict|province|governorate)$")
_PART = re.compile(r"^(northern|southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|"
                   r"south-?western|north|south|east|west|northeast|northwest|southeast|southwest)\s+(.+)$")
_VAGUE = re.compile(r"^(?:(?:an?|one|the|another)\s+)?(?P<what>(?:[\w-]+\s+){0,3}?(?:base|air ?base|air ?field|airport|"
                    r"facility|installation|garrison|camp|outpost|position|site))\b(?P<mid>.*?)\s"
                    r"(?:in|near|at|outside|of)\s+(?P<where>.+)$")
_US = re.compile(r"\b(us|u s|american|coalition|troops|forces|international|western)\b")
_PLACE_PREPS = frozenset({"in", "at", "near", "of", "outside", "around", "from", "to", "into", "inside"})
_STOP = _PLACE_PREPS | frozenset({"the", "a", "an", "and", "or", "with", "by", "for", "was", "were", "is", "are", "has", "had", "on", "fell", "hit",
                   "rocket", "rockets", "drone", "drones", "attack", "attacks", "attacked", "struck", "strike",
                   "killed", "military", "forces", "troops", "american", "coalition", "militia", "group"})


@dataclass(frozen=True)
class Match:
    """A place found: a point, how far off it may be (km, and ACLED's 1-3 code) and what it was matched to."""

    query: str
    lon: float
    lat: float
    precision_km: float
    geo_precision: int
    country: str
    admin1: str
    matched: str
    kind: str
    score: float
    relation: str = "at"  # at, near, outskirts, offset, between, part, inferred, mentioned
    alternatives: tuple[Candidate, ...] = ()
    ref: str = ""  # the gazetteer entry's id (curated id, "geonames:<id>", "admin1:<ISO3>|<name>"...)

    def to_dict(self) -> dict:
        """The JSON object of the command line (``alternatives`` only when asked for)."""
        return {"query": self.query, "lon": round(self.lon, 5), "lat": round(self.lat, 5),
                "precision_km": round(self.precision_km, 1), "geo_precision": self.geo_precision,
                "country": self.country, "admin1": self.admin1, "matched": self.matched, "kind": self.kind,
                "score": round(self.score, 3)}


@dataclass(frozen=True)
class NoMatch:
    """Nothing found, why, and the nearest candidates."""

    query: str
    error: str
    candidates: tuple[Candidate, ...] = ()

    def to_dict(self) -> dict:
        return {"query": self.query, "error": self.error, "candidates": [c.to_dict() for c in self.candidates]}


def geocode(text: object, *, country: str | None = None, aoi: Sequence[str] = DEFAULT_AOI,
            gazetteer: Gazetteer | None = None) -> Match | NoMatch:
    """Geocode one place description; bad text gives a ``NoMatch`` that says what is wrong, never an exception.

    ``country`` (ISO3) is a hint that outranks everything but the name; ``aoi`` lists the ISO3 codes of the area of
    interest, whose places win ties.
    """
    if not isinstance(text, str):
        return NoMatch(repr(text)[:80], "not text: give the place description as a string")
    if len(text) > MAX_CHARS:
        return NoMatch(text[:60] + "...", f"too long ({len(text):,} characters): give one place description of "
                                          f"at most {MAX_CHARS:,} characters")
    surface = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFKC", text)).replace("’", "'").split())
    if not any(c.isalpha() for c in surface):
        return NoMatch(text, "no place name: the text is empty or only punctuation, digits or control characters")
    gaz = gazetteer or gz.load()
    hint = country.strip().upper() if isinstance(country, str) and country.strip() else None
    if hint and hint not in gaz.country_names:
        return NoMatch(text, f"unknown country code {country!r}: use ISO 3166 alpha-3, such as IRQ or SYR")
    ctx = Context(country=hint, place=hint is not None, aoi=tuple(aoi))
    found = _resolve(gaz, surface.strip(" .,;:!?\"()[]"), ctx, depth=0)
    if found is None:
        found = _mentioned(gaz, surface, ctx)
    if found is None:
        key = gz.normalize(surface)
        if key in COMMON_WORDS and len(gaz.ids_for(key)):
            f = find(gaz, surface, _placed(ctx), fuzzy=False)
            return NoMatch(text, f"'{surface}' is also a common word: give a place context such as 'in {surface}', "
                                 f"'{surface}, Iraq' or a country hint", candidates(gaz, f) if f else ())
        return NoMatch(text, "no place of that name in the gazetteer", _near_misses(gaz, surface, ctx))
    return replace(found, query=text)


def geocode_many(texts: Iterable[object], **options: object) -> list[Match | NoMatch]:
    """``geocode`` over many texts, each distinct text once."""
    seen: dict[object, Match | NoMatch] = {}
    out = []
    for t in texts:
        key = t if isinstance(t, str) else repr(t)
        if key not in seen:
            seen[key] = geocode(t, **options)  # type: ignore[arg-type]
        out.append(seen[key])
    return out


def _resolve(gaz: Gazetteer, s: str, ctx: Context, depth: int) -> Match | None:
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip(" .,;:!?\"()[]"), flags=re.I)
    if not s or depth > 5:
        return None
    f = find(gaz, s, ctx, fuzzy=False)
    if f is not None:
        return _match(gaz, f)
    low = s.casefold()
    for step in (_relative, _vague, _context, _qualified):
        m = step(gaz, s, low, ctx, depth)
        if m is not None:
            return m
    if depth > 1 or len(s) > 40:
        return None  # fuzzy matching is for a misspelt name, not for every fragment of a phrase
    f = find(gaz, s, ctx, fuzzy=True)
    return _match(gaz, f) if f is not None else None


def _match(gaz: Gazetteer, f: Found) -> Match:
    i = int(f.ids[0])
    kind = str(gaz.kind[i])
    return Match("", float(gaz.lon[i]), float(gaz.lat[i]), float(gaz.precision_km[i]),
                 3 if kind in _AREA_KINDS else 1, str(gaz.country[i]), str(gaz.admin1[i]), gaz.name[i], kind,
                 f.quality, "at", candidates(gaz, f, skip_near=i), gaz.ref[i])


def _widen(m: Match, relation: str, extra_km: float) -> Match:
    return replace(m, precision_km=m.precision_km + extra_km, geo_precision=max(m.geo_precision, 2),
                   relation=relation)


def _relative(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    place = _placed(ctx)
    if r := _OFFSET.match(low):
        km = float(r[1].replace(",", ".")) * (1.609 if r[2].startswith("mi") else 1.0)
        base = _resolve(gaz, s[r.start(4):], place, depth + 1)
        if base is None:
            return None
        lon, lat = destination(base.lon, base.lat, _BEARINGS[re.sub(r"[ -]", "", r[3])], km)
        return replace(_widen(base, "offset", max(2.0, 0.25 * km)), lon=lon, lat=lat)
    if r := _BETWEEN.match(low):
        a = _resolve(gaz, s[r.start(1):r.end(1)], place, depth + 1)
        b = _resolve(gaz, s[r.start(2):], place, depth + 1)
        if a is None or b is None:
            return None
        d = float(haversine_km(a.lon, a.lat, b.lon, b.lat))
        lon, lat = gz.centroid(np.array([a.lon, b.lon]), np.array([a.lat, b.lat]))
        return replace(_widen(a, "between", d / 2 + max(a.precision_km, b.precision_km) - a.precision_km),
                       lon=lon, lat=lat, matched=f"between {a.matched} and {b.matched}",
                       country=a.country if a.country == b.country else a.country)
    for rx, group, relation, extra in ((_NEAR, 1, "near", 5.0), (_OUTSKIRTS, 2, "outskirts", 4.0),
                                       (_SUFFIX_NEAR, 1, "near", 5.0)):
        if r := rx.match(low):
            wide = "countryside" in r[0] or "rural" in r[0]
            inner = s[r.start(group):r.end(group)]
            base = _resolve(gaz, inner, place, depth + 1)
            if base is not None:
                return _widen(base, relation, 10.0 if wide else extra)
    if r := _PREP.match(low):
        return _resolve(gaz, s[r.start(1):], place, depth + 1)
    return None


def _vague(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    """ "a base hosting US troops in western Iraq": the known site when one dominates, else the area."""
    r = _VAGUE.match(low)
    if r is None:
        return None
    area = _resolve(gaz, s[r.start("where"):], _placed(ctx), depth + 1)
    if area is None:
        return None
    kinds = frozenset({"airport"} if "airport" in r["what"] else {"base", "airbase", "oilfield", "gasfield"})
    if "embassy" in low or "consulate" in low:
        kinds = frozenset({"embassy", "consulate"})
    radius = area.precision_km if area.kind in _AREA_KINDS else area.precision_km + 30
    sites = sites_within(gaz, area.lon, area.lat, radius, kinds=kinds, country=area.country or None,
                         us_only=bool(_US.search(low)), units=gaz.members.get(area.ref))
    if sites and (len(sites) == 1 or gaz.weight[sites[0]] >= 2 * gaz.weight[sites[1]]):
        i = sites[0]
        m = _match(gaz, Found(np.array([i]), np.array([1.0]), 1.0, "inferred"))
        alts = tuple(candidate(gaz, j, 0.5) for j in sites[1:5])
        return replace(m, precision_km=max(15.0, 3 * m.precision_km), geo_precision=2, score=0.6 * area.score,
                       relation="inferred", alternatives=alts)
    return replace(area, geo_precision=3, relation="part")


def _context(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    """ "X, Syria" and "X in Anbar": the tail becomes a country or admin1 hint for the head."""
    for sep in (",", " in ", " near "):
        cut = low.rfind(sep)
        if cut <= 0:
            continue
        head, tail = s[:cut], s[cut + len(sep):]
        area = find(gaz, tail, replace(ctx, place=True, kinds=frozenset(_AREA_KINDS)), fuzzy=False)
        if area is None:
            anchor = _resolve(gaz, tail, _placed(ctx), depth + 1)
            if anchor is None:
                continue
            hint = replace(ctx, place=True, country=anchor.country or ctx.country)
        else:
            i = int(area.ids[0])
            is_admin1 = gaz.kind[i] == "admin1"
            hint = replace(ctx, place=True, country=str(gaz.country[i]) or ctx.country,
                           admin1=str(gaz.admin1[i]) if is_admin1 else ctx.admin1)
        m = _resolve(gaz, head, hint, depth + 1)
        if m is not None and (hint.country is None or m.country in (hint.country, "")):
            return m
    return None


def _qualified(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    """ "the town of Hit", "Hit district", "northern Anbar"."""
    place = _placed(ctx)
    if r := _OF.match(low):
        return _resolve(gaz, s[r.start(2):], place, depth + 1)
    if r := _SUFFIX_KIND.match(low):
        return _resolve(gaz, s[:r.end(1)], place, depth + 1)
    if r := _PART.match(low):
        m = _resolve(gaz, s[r.start(2):], place, depth + 1)
        if m is not None and m.kind in _AREA_KINDS:
            return replace(m, geo_precision=3, relation="part", matched=f"{r[1]} {m.matched}")
    return None


def _mentioned(gaz: Gazetteer, surface: str, ctx: Context) -> Match | None:
    """A place named inside a sentence: the longest name found, proper nouns only for single words."""
    tokens = re.findall(r"[^\W_][\w'-]*", surface)[:80]
    for n in range(min(5, len(tokens)), 0, -1):
        for j in range(len(tokens) - n + 1):
            window = tokens[j:j + n]
            words = [w.casefold() for w in window]
            if words[0] in _STOP or words[-1] in _STOP or (n == 1 and (len(words[0]) < 4 or words[0] in COMMON_WORDS
                                                                       and not _after_prep(tokens, j))):
                continue
            if n == 1 and window[0].isascii() and not window[0][0].isupper():
                continue
            f = find(gaz, " ".join(window), _placed(ctx, _after_prep(tokens, j)), fuzzy=False)
            if f is not None:
                m = _match(gaz, f)
                return replace(m, score=0.8 * m.score, relation="mentioned")
    return None


def _placed(ctx: Context, place: bool = True) -> Context:
    """``ctx`` read as a place context or not: ``dataclasses.replace`` cost ~10 us a call on this hot path."""
    if ctx.place == place:
        return ctx
    return Context(country=ctx.country, admin1=ctx.admin1, place=place, aoi=ctx.aoi, kinds=ctx.kinds)


def _after_prep(tokens: list[str], j: int) -> bool:
    return j > 0 and tokens[j - 1].casefold() in _PLACE_PREPS


def _near_misses(gaz: Gazetteer, surface: str, ctx: Context) -> tuple[Candidate, ...]:
    from rapidfuzz import fuzz, process

    key = gz.normalize(surface)[:200]
    if len(key) < 3:
        return ()
    hits = process.extract(key, gaz.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=60, limit=20)
    best = {}
    for _, s, i in hits:
        best.setdefault(int(gaz.fuzzy_ids[i]), s / 100)
    return tuple(candidate(gaz, i, s) for i, s in list(best.items())[:5])


def geocode_frame(frame: pd.DataFrame, *, text_column: str = "location", country_column: str | None = "country",
                  aoi: Sequence[str] = DEFAULT_AOI) -> pd.DataFrame:
    """Geocode the rows that have a place text but no coordinates (see the module docstring)."""
    out = frame.copy()
    for col in ("lon", "lat", "precision_km"):
        out[col] = pd.to_numeric(out[col], errors="coerce") if col in out else np.nan
    for col in ("country", "admin1"):
        if col not in out:
            out[col] = ""
    out["geo_precision"] = out["geo_precision"] if "geo_precision" in out else pd.NA
    need = (out["lon"].isna() | out["lat"].isna()) & out[text_column].notna()
    out["geocoded"] = False
    out["geocode_note"] = ""
    if not need.any():
        return out
    hints = out.loc[need, country_column].fillna("").astype(str) if country_column in out else ""
    pairs = pd.DataFrame({"text": out.loc[need, text_column].astype(str), "country": hints})
    results = {(t, c): geocode(t, country=c or None, aoi=aoi) for t, c in pairs.drop_duplicates().itertuples(index=False)}
    got = [results[(t, c)] for t, c in pairs.itertuples(index=False)]
    ok = np.array([isinstance(m, Match) for m in got])
    rows = pairs.index[ok]
    hits = [m for m in got if isinstance(m, Match)]
    out.loc[rows, "lon"] = [m.lon for m in hits]
    out.loc[rows, "lat"] = [m.lat for m in hits]
    out.loc[rows, "precision_km"] = [m.precision_km for m in hits]
    out.loc[rows, "geo_precision"] = [m.geo_precision for m in hits]
    empty_c = out.loc[rows, "country"].fillna("").astype(str) == ""
    out.loc[rows[empty_c.to_numpy()], "country"] = [m.country for m, e in zip(hits, empty_c) if e]
    empty_a = out.loc[rows, "admin1"].fillna("").astype(str) == ""
    out.loc[rows[empty_a.to_numpy()], "admin1"] = [m.admin1 for m, e in zip(hits, empty_a) if e]
    out.loc[rows, "geocoded"] = True
    out.loc[pairs.index, "geocode_note"] = [f"{m.relation} {m.matched} ({m.kind}, score {m.score:.2f})"
                                            if isinstance(m, Match) else m.error for m in got]
    return out
