"""Name lookup and candidate ranking behind ``geo.geocode`` (exact, compact, then fuzzy keys)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from geo.gazetteer import SITE_KINDS, Gazetteer, compact, haversine_km, normalize

#: Areas of interest: candidates in these countries rank higher. A parameter everywhere, this is only the default.
DEFAULT_AOI = ("IRQ", "SYR")
#: Fuzzy matches below this rapidfuzz ratio (0-100) are not taken.
FUZZY_CUTOFF = 86.0
#: Names that are also common English words: taken only in a place context ("in Hit", "Hit, Iraq").
COMMON_WORDS = frozenset({
    "hit", "balad", "bar", "man", "best", "split", "nice", "mobile", "reading", "bath", "march", "may", "van",
    "mark", "police", "sale", "deal", "most", "base", "camp", "rocket", "drone", "attack", "city", "town", "area",
    "border", "north", "south", "east", "west", "centre", "center", "post", "gap", "dam", "valley", "field", "oil",
    "gas", "station", "airport", "embassy", "none", "unknown", "damage", "site", "iraq", "syria",
})
_KIND_PRIOR = {**dict.fromkeys(SITE_KINDS, 0.45), "region": 0.4, "place": 0.2, "country": 0.3, "admin1": 0.05}


@dataclass(frozen=True)
class Candidate:
    """One entry that could be meant, with the score it was ranked by."""

    name: str
    kind: str
    country: str
    admin1: str
    lon: float
    lat: float
    precision_km: float
    score: float

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "country": self.country, "admin1": self.admin1,
                "lon": round(self.lon, 5), "lat": round(self.lat, 5), "precision_km": self.precision_km,
                "score": round(self.score, 3)}


@dataclass(frozen=True)
class Context:
    """What the rest of the text says about a name: a country or admin1 hint, and whether it reads as a place."""

    country: str | None = None
    admin1: str | None = None
    place: bool = False
    aoi: tuple[str, ...] = DEFAULT_AOI
    kinds: frozenset[str] = field(default_factory=frozenset)  # when set, only these kinds qualify


@dataclass(frozen=True)
class Found:
    """The ranked entries for one name: ids best first, their rank scores and the name-match quality."""

    ids: np.ndarray
    ranks: np.ndarray
    quality: float
    how: str  # "exact", "compact", "fuzzy"


def find(gaz: Gazetteer, text: str, ctx: Context, *, fuzzy: bool = True) -> Found | None:
    """Entries named ``text``, ranked; None when nothing qualifies."""
    key = normalize(text)
    if not key or (key in COMMON_WORDS and not ctx.place):
        return None
    for how, quality, ids in (("exact", 1.0, gaz.ids_for(key)), ("compact", 0.95, gaz.ids_for(compact(key)))):
        found = _rank(gaz, ids, quality, how, ctx)
        if found is not None:
            return found
    if not fuzzy or len(key) < 4 or not key.isascii():
        return None
    # ratio >= 86 is impossible between strings whose lengths differ by more than ~15%: search only that slice
    span = max(1, int(len(key) * 0.16))
    lo, hi = np.searchsorted(gaz.fuzzy_lens, [len(key) - span, len(key) + span + 1])
    hits = process.extract(key, gaz.fuzzy_keys[lo:hi], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8)
    if not hits:
        return None
    best = hits[0][1]
    ids = np.array([gaz.fuzzy_ids[lo + i] for _, s, i in hits if s >= best - 3], dtype=np.int32)
    return _rank(gaz, ids, round(0.9 * best / 100, 3), "fuzzy", ctx)


def _rank(gaz: Gazetteer, ids: np.ndarray, quality: float, how: str, ctx: Context) -> Found | None:
    ids = np.unique(ids)
    if ctx.kinds:
        ids = ids[np.isin(gaz.kind[ids], list(ctx.kinds))]
    if not len(ids):
        return None
    kind = gaz.kind[ids]
    country = gaz.country[ids]
    rank = quality + np.array([_KIND_PRIOR.get(k, 0.1) for k in kind])
    rank += 0.25 * np.minimum(np.log10(gaz.population[ids] + 1) / 7, 1) + 0.01 * gaz.weight[ids]
    rank += np.where(np.isin(country, ctx.aoi), 0.3, 0.0)
    if ctx.country:
        rank += np.where(country == ctx.country, 0.8, np.where(kind == "region", 0.0, -0.8))
    if ctx.admin1:
        rank += np.where(np.char.lower(gaz.admin1[ids].astype(str)) == ctx.admin1.lower(), 0.4, 0.0)
    order = np.argsort(-rank, kind="stable")
    return Found(ids=ids[order], ranks=rank[order], quality=quality, how=how)


def candidates(gaz: Gazetteer, found: Found, *, skip_near: int | None = None, limit: int = 5) -> tuple[Candidate, ...]:
    """The ranked entries as Candidates, leaving out the chosen one and its duplicates within 5 km."""
    out = []
    for i, r in zip(found.ids, found.ranks):
        if skip_near is not None and (i == skip_near or haversine_km(
                gaz.lon[i], gaz.lat[i], gaz.lon[skip_near], gaz.lat[skip_near]) < 5):
            continue
        out.append(candidate(gaz, int(i), float(r)))
        if len(out) == limit:
            break
    return tuple(out)


def candidate(gaz: Gazetteer, i: int, score: float) -> Candidate:
    return Candidate(gaz.name[i], str(gaz.kind[i]), str(gaz.country[i]), str(gaz.admin1[i]), float(gaz.lon[i]),
                     float(gaz.lat[i]), float(gaz.precision_km[i]), score)


def sites_within(gaz: Gazetteer, lon: float, lat: float, radius_km: float, *, kinds: frozenset[str],
                 country: str | None, us_only: bool, units: frozenset[str] | None = None) -> list[int]:
    """Curated sites of the given kinds within ``radius_km`` of a point (or in admin1 ``units``), heaviest first."""
    pool = gaz.site_ids[np.isin(gaz.kind[gaz.site_ids], list(kinds))]
    if units:
        pool = pool[[f"{gaz.country[i]}|{gaz.admin1[i]}" in units for i in pool]]
    if us_only:
        pool = pool[gaz.hosts_us[pool]]
    if country:
        pool = pool[gaz.country[pool] == country]
    d = haversine_km(lon, lat, gaz.lon[pool], gaz.lat[pool])
    pool = pool[d <= radius_km]
    return [int(i) for i in pool[np.argsort(-gaz.weight[pool], kind="stable")]]


def destination(lon: float, lat: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lon, lat) along a bearing (degrees clockwise from north), on the sphere."""
    r = km / 6371.0088
    la1, lo1, b = map(math.radians, (lat, lon, bearing_deg))
    la2 = math.asin(math.sin(la1) * math.cos(r) + math.cos(la1) * math.sin(r) * math.cos(b))
    lo2 = lo1 + math.atan2(math.sin(b) * math.sin(r) * math.cos(la1), math.cos(r) - math.sin(la1) * math.sin(la2))
    return (math.degrees(lo2) + 540) % 360 - 180, math.degrees(la2)
