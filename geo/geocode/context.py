"""What a place description says about itself before any name is looked up: the countries it names (by name or
adjective: "Syria", "Syrian"), the admin1 units and regions it names anywhere ("Idlib Governorate", "Anbar"), and
its segments ("Sarjah village, Maarat al-Numaan district, Idlib Governorate, Syria" -> four parts).

The countries named, with the caller's country hint, become a hard constraint (``Context.countries``): a place in
any other country is never answered. Admin1 units rank their own places up (a soft constraint: admin names differ
between sources and GeoNames).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geo.geocode.gazetteer import Gazetteer, normalize
from geo.geocode.rank import Context

_AREA = ("country", "admin1", "region")
_SPLIT = re.compile(r"\s*[,;()\[\]]\s*|\s+-\s+")
_MAX_N = 4


@dataclass(frozen=True)
class Read:
    """The context read from a text: named countries, admin1 units ("ISO3|admin1") and regions (entry ids), and
    which segments were wholly an area name (those are context, never the place asked for)."""

    countries: frozenset[str]
    units: frozenset[str]
    adjectives: frozenset[str]  # countries only named by an adjective of an actor ("Turkish drones"): they rank
    area_segments: frozenset[int]
    areas: tuple[int, ...]


def segments(text: str) -> list[str]:
    """The comma-, semicolon- and bracket-separated parts of a text, stripped, empty ones left out."""
    return [p.strip(" .:!?\"'") for p in _SPLIT.split(text) if p.strip(" .:!?\"'")]


def read(gaz: Gazetteer, parts: Sequence[str]) -> Read:
    """Countries, admin1 units and regions named in the parts (the longest names first, no overlaps)."""
    countries: set[str] = set()
    adjectives: set[str] = set()
    units: set[str] = set()
    whole: set[int] = set()
    areas: list[int] = []
    memo = gaz.memo("read")
    for k, part in enumerate(parts):
        key = normalize(part)
        got = memo.get(key)
        if got is None:
            got = memo[key] = _read_part(gaz, key)
        countries |= got[0]
        adjectives |= got[1]
        units |= got[2]
        areas += got[3]
        if got[4]:
            whole.add(k)
    return Read(frozenset(countries), frozenset(units), frozenset(adjectives), frozenset(whole), tuple(areas))


def _read_part(gaz: Gazetteer, key: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], tuple[int, ...],
                                                    bool]:
    """What one part (a ``normalize`` key) names: countries, adjectives, admin1 units, area entries, and whether
    the part is wholly area names. Each distinct part is read once per process (see ``Gazetteer.memo``)."""
    countries: set[str] = set()
    adjectives: set[str] = set()
    units: set[str] = set()
    areas: list[int] = []
    words = key.split()
    taken = [False] * len(words)
    covered = 0
    for n in range(min(_MAX_N, len(words)), 0, -1):
        for j in range(len(words) - n + 1):
            if any(taken[j:j + n]):
                continue
            name = " ".join(words[j:j + n])
            if name in _ACTOR_WORDS or len(name) <= 3:  # "and" is Andorra's ISO code, "us" the actor
                continue
            hit = _area(gaz, name)
            code = gaz.demonyms.get(name) if hit is None else None
            if hit is None and code is None:
                continue
            taken[j:j + n] = [True] * n
            covered += n
            if code:  # "the Syrian town of X" places X; "Turkish drones" only says who
                placed = j + n < len(words) and words[j + n] in _PLACE_NOUNS
                (countries if placed else adjectives).add(code)
                continue
            areas.append(hit)
            kind, country = str(gaz.kind[hit]), str(gaz.country[hit])
            if kind == "country":
                countries.add(country)
            elif kind == "admin1":
                units.add(f"{country}|{gaz.admin1[hit]}")
    # a kind word may be part of the area's own name ("Idlib Governorate") or beside it ("Idlib province")
    whole = bool(words) and covered == len(words) - sum(w in _KIND_WORDS for w, t in zip(words, taken) if not t)
    return frozenset(countries), frozenset(adjectives), frozenset(units), tuple(areas), whole


_PLACE_NOUNS = frozenset({"town", "city", "village", "capital", "border", "province", "governorate", "region",
                          "territory", "side", "coast", "desert", "countryside", "port", "island", "frontier",
                          "district", "area", "city of", "towns", "villages", "cities", "soil", "airspace",
                          "waters", "interior", "north", "south", "east", "west", "northern", "southern", "eastern",
                          "western", "central", "part", "mountains", "highlands", "coastal", "kurdish"})
#: "US", "UK": in a report these name who acted ("the US embassy", "US troops"), not where.
_ACTOR_WORDS = frozenset({"us", "usa", "uk", "un"})
_KIND_WORDS = frozenset({"governorate", "province", "region", "state", "district", "division", "county", "wilayah",
                         "muhafazat", "of", "the"})


def _area(gaz: Gazetteer, key: str) -> int | None:
    """The country, admin1 or region entry named ``key`` (one only: an admin1 name shared by several countries,
    such as "Central" or "Eastern Province", says nothing about the country)."""
    if not gaz.has_kind_key(key, _AREA):
        return None
    ids = gaz.ids_for(key)
    hits = [int(i) for i in ids if gaz.kind[i] in _AREA]
    if not hits:
        return None
    countries = {str(gaz.country[i]) for i in hits if gaz.kind[i] == "country"}
    if countries:
        return next(i for i in hits if gaz.kind[i] == "country")
    if len({str(gaz.country[i]) for i in hits}) > 1:
        return None
    return hits[0]


def constrain(gaz: Gazetteer, read_: Read, hint: str | None, admin1: str | None, aoi: tuple[str, ...]) -> Context:
    """The ranking context: the hint and the named countries as the only allowed countries, the admin1 units
    named as bounds (a place far outside them is a homonym)."""
    countries = set(read_.countries)
    if hint:
        countries.add(hint)
    units = {u for u in read_.units if not countries or u.split("|", 1)[0] in countries}
    preferred = hint or (next(iter(countries)) if len(countries) == 1 else None)
    aoi = aoi + tuple(sorted(read_.adjectives - set(aoi)))
    bounds = tuple((str(gaz.country[i]), float(gaz.lon[i]), float(gaz.lat[i]), float(gaz.precision_km[i]))
                   for i in read_.areas if gaz.kind[i] == "admin1" and f"{gaz.country[i]}|{gaz.admin1[i]}" in units)
    return Context(country=preferred, admin1=admin1, place=hint is not None or bool(countries), aoi=aoi,
                   countries=frozenset(countries), units=frozenset(units), bounds=bounds)
