"""Place descriptions as reports write them -> a point with an honest precision, offline.

``geocode("near Albu Kamal")`` returns a ``Match`` (lon, lat, precision_km, geo_precision 1-3, country ISO3,
admin1, the matched name, its kind, a score, ``why`` it was chosen and the alternatives it rejected) or a
``NoMatch`` that says why and lists the best candidates. It never raises on bad text.

The text's own context is read first (``geo.geocode.context``): the countries it names by name or adjective, with
the caller's ``country``, are the only countries a place may be in; the admin1 units it names (and the caller's
``admin1``) rank their places up; a district named beside a village ranks up the places near the district's seat.
Then the description is parsed: names and aliases in Latin or Arabic script (exact, folded, consonant skeleton
within the allowed countries, then fuzzy), "X, district, province, country" records, "near X", "outskirts of X",
"N km north of X" (N up to 300 km), "between X and Y", "off the coast of X" (X's point, its radius widened to reach
ships offshore), "in western Iraq" and "southern Syria" (a point in that part, the part's size as radius:
``geo.geocode.parts``), seas and straits ("the Red Sea", "Bab el-Mandeb"), "the US embassy in Baghdad", "a base
hosting US troops in western Iraq", and place names inside a sentence. A village that is not in the gazetteer but
whose district is answers the district's seat with the district's radius (relation "district"). A weak match outside
the area of interest (``aoi``) is a ``NoMatch`` with its candidates, never a far guess; so is a name whose places in
two countries rank alike (Rafah in Gaza and in Egypt), a name that is only another name of the top place while a
place of another country bears it as its own ("Ad Dimnah"), a neighbourhood of a city the text does not name, a
place far from the municipality the text puts it in, and, when nothing names a country, a province or a nearby place,
a name only a village bears, a misspelling of a town, or only another name of a town smaller than a major city
("Human", one of Uman's spellings). A name is matched whole: no word of it alone, even across a
lower-case article ("Dur al Waqf", "Loma de Rodriguera").

For the importers -- events that come with a place text but no coordinates -- ``geo.geocode.frame.geocode_frame``. Places learnt from the user's own imported records (``geo.geocode.user``) are answered first.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from geo.geocode import context as cx
from geo.geocode import gazetteer as gz
from geo.geocode import phrases as ph
from geo.geocode import doubt, parts, precision, user
from geo.geocode.doubt import ABROAD_MIN_POPULATION, BARE_MIN_POPULATION  # noqa: F401 - their home was here
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.rank import (COMMON_WORDS, DEFAULT_AOI, Candidate, Context, Found, candidate, candidates, destination,
                              find, is_generic, km_between, sites_within)

MAX_CHARS = 1000
_D = TypeVar("_D")
AREA_KINDS = ("region", "admin1", "country", "sea")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Match:
    """A place found: a point, how far off it may be (km, and ACLED's 1-3 code), what it was matched to and why."""

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
    relation: str = "at"  # at, near, outskirts, offset, offshore, between, part, inferred, mentioned, district, learnt
    alternatives: tuple[Candidate, ...] = ()
    ref: str = ""  # the gazetteer entry's id (curated id, "geonames:<id>", "admin1:<ISO3>|<name>"...)
    why: str = ""  # how the name was matched and what context constrained it
    entry: int = field(default=-1, repr=False, compare=False)  # the gazetteer row (-1: none, e.g. a learnt place)
    rival: int = field(default=-1, repr=False, compare=False)  # a far entry of the same name ranked as high
    key: str = field(default="", repr=False, compare=False)  # the name key matched (exact and compact matches)

    def to_dict(self) -> dict:
        """The JSON object of the command line (``alternatives`` only when asked for)."""
        return {"query": self.query, "lon": round(self.lon, 5), "lat": round(self.lat, 5),
                "precision_km": round(self.precision_km, 1), "geo_precision": self.geo_precision,
                "country": self.country, "admin1": self.admin1, "matched": self.matched, "kind": self.kind,
                "score": round(self.score, 3), "relation": self.relation, "why": self.why}


class NoMatch:
    """Nothing found, why, and the nearest candidates.

    ``candidates`` may be given as a function: the near misses of a name found nowhere take a fuzzy search over the
    gazetteer (most of a miss's time), so they are searched only when someone reads them, then kept."""

    __slots__ = ("_candidates", "error", "query")

    def __init__(self, query: str, error: str,
                 candidates: tuple[Candidate, ...] | Callable[[], tuple[Candidate, ...]] = ()) -> None:
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "error", error)
        object.__setattr__(self, "_candidates", candidates)

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        found = self._candidates
        if callable(found):
            found = found()
            object.__setattr__(self, "_candidates", found)
        return found

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"NoMatch is immutable (cannot set {name!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NoMatch):
            return NotImplemented
        return (self.query, self.error, self.candidates) == (other.query, other.error, other.candidates)

    def __hash__(self) -> int:
        return hash((self.query, self.error))

    def __repr__(self) -> str:
        return f"NoMatch(query={self.query!r}, error={self.error!r}, candidates={self.candidates!r})"

    def __reduce__(self) -> tuple:
        return NoMatch, (self.query, self.error, self.candidates)

    def to_dict(self) -> dict:
        return {"query": self.query, "error": self.error, "candidates": [c.to_dict() for c in self.candidates]}


def replace(obj: _D, /, **changes: object) -> _D:
    """``dataclasses.replace`` for the frozen dataclasses here (Match, Context: no ``__post_init__``, no slots): a
    copy of the instance's dict with the changes, about 5x faster (it was a tenth of a lookup)."""
    new = object.__new__(type(obj))
    state = new.__dict__
    state.update(obj.__dict__)
    state.pop("_hash", None)  # a Context's memoised hash is the old one's
    for name in changes:
        if name not in state:
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
    state.update(changes)
    return new


def geocode(text: object, *, country: str | None = None, admin1: str | None = None,
            near: tuple[float, float, float] | None = None, aoi: Sequence[str] = DEFAULT_AOI, coarse: bool = False,
            gazetteer: Gazetteer | None = None) -> Match | NoMatch:
    """Geocode one place description; bad text gives a ``NoMatch`` that says what is wrong, never an exception.

    ``country`` (ISO3) and ``admin1`` come from the record (its country/admin1 columns) or the article: a place is
    only answered in ``country`` (or a country the text itself names). ``near`` = (lon, lat, km) is another place
    of the same record or article (its dateline, its main place): of several places of the name, those within
    about ``km`` of it rank first. ``aoi`` lists the ISO3 codes of the area of
    interest: its places win ties, and a weak match outside it is not taken. When the place itself is not found
    but the province or country named beside it is, the answer is a ``NoMatch`` listing that area, or, with
    ``coarse=True``, the area itself (geo_precision 3, its radius as precision).
    """
    if not isinstance(text, str):
        return NoMatch(repr(text)[:80], "not text: give the place description as a string")
    if len(text) > MAX_CHARS:
        return NoMatch(text[:60] + "...", f"too long ({len(text):,} characters): give one place description of "
                                          f"at most {MAX_CHARS:,} characters")
    if gazetteer is None and isinstance(country, str | None) and isinstance(admin1, str | None):
        gaz = gz.load()  # results repeat (one place, many events): the same call is answered once per index
        anchor = _anchor(near)
        learnt = user.current()
        return _cached(text, country, admin1, anchor, tuple(aoi), coarse, _Same(gaz), _Same(learnt[1]), learnt[0])
    return _geocode(text, country, admin1, _anchor(near), tuple(aoi), coarse, gazetteer)


class _Same:
    """An argument of the result cache that is equal only to itself (the loaded index, the user's places): the
    cache keys on which objects answered, and hands them to the lookup without loading them again."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


def clear_caches() -> None:
    """Forget every cached answer and memo (results, name keys, ranked names, context reads) of the loaded
    indexes: the next lookups are computed afresh (the benchmarks' cold rounds)."""
    _cached.cache_clear()
    gz.normalize.cache_clear()
    for gaz in gz.loaded():
        gaz.forget_memos()


def _anchor(near: object) -> tuple[float, float, float] | None:
    try:
        lon, lat, km = (float(v) for v in near)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    ok = abs(lon) <= 180 and abs(lat) <= 90 and 0 < km < 5000
    return (lon, lat, km) if ok else None


@functools.lru_cache(maxsize=1 << 15)
def _cached(text: str, country: str | None, admin1: str | None, near: tuple[float, float, float] | None,
            aoi: tuple[str, ...], coarse: bool, gaz: _Same, learnt: _Same, _user_version: float) -> Match | NoMatch:
    return _geocode(text, country, admin1, near, aoi, coarse, gaz.obj, learnt.obj)


def _geocode(text: str, country: str | None, admin1: str | None, near: tuple[float, float, float] | None,
             aoi: tuple[str, ...], coarse: bool, gazetteer: Gazetteer | None,
             learnt_places: dict | None = None) -> Match | NoMatch:
    surface = " ".join(_fold(_CONTROL.sub(" ", unicodedata.normalize("NFKC", text))).split())
    if not any(c.isalpha() for c in surface):
        return NoMatch(text, "no place name: the text is empty or only punctuation, digits or control characters")
    gaz = gazetteer or gz.load()
    hint = country.strip().upper() if isinstance(country, str) and country.strip() else None
    if hint and hint not in gaz.country_names:
        return NoMatch(text, f"unknown country code {country!r}: use ISO 3166 alpha-3, such as IRQ or SYR")
    a1 = admin1.strip() if isinstance(admin1, str) and admin1.strip() else None
    parts = cx.segments(surface)
    if (r := ph.OFFSET.match(parts[0].casefold() if parts else "")) and _km(r[1], r[2]) > ph.MAX_OFFSET_KM:
        return NoMatch(text, f"an offset of {r[1][:20]} {r[2]} is not a plausible place description (at most "
                             f"{ph.MAX_OFFSET_KM:g} km is taken)")
    # the two readings of a string (hinted, bare) and strings that share their parts read them once; the same
    # context object then comes back, with its hash already made
    whole = tuple(parts + ([a1] if a1 else []))
    read = gaz.remember("read_all", whole, lambda: cx.read(gaz, whole))
    ctx = gaz.remember("constrain", (read, hint, a1, aoi), lambda: cx.constrain(gaz, read, hint, a1, aoi))
    if near is not None:
        ctx = replace(ctx, anchor=near)
    learnt = user.lookup(parts[0] if parts else surface, ctx, learnt_places)
    if learnt is not None:
        return replace(_from_user(learnt, ctx), query=text)
    if len(parts) > 1:
        found = _record(gaz, parts, read, ctx)
        if isinstance(found, NoMatch):
            return NoMatch(text, found.error, found.candidates)
    else:
        found = _resolve(gaz, surface.strip(" .,;:!?\"()[]"), ctx, 0)
    if found is None and not _record_like(parts):
        found = _mentioned(gaz, surface, ctx)
    if found is None and len(parts) > 1 and read.areas:
        area = _area_named(gaz, read)
        if not coarse:
            return NoMatch(text, f"the place itself was not found, only the {gaz.kind[area]} '{gaz.name[area]}' "
                                 f"named beside it (coarse=True answers that)", (candidate(gaz, area, 1.0),))
        found = replace(_match(gaz, Found(np.array([area]), np.array([1.0]), 1.0, "context")), relation="part",
                        matched=f"{parts[0]} (not found), {gaz.name[area]}")
    if found is None:
        return _no_match(gaz, text, surface, ctx)
    if found.kind in AREA_KINDS and found.entry in read.areas and len(parts) > 1 and not coarse:
        return NoMatch(text, f"the place itself was not found, only the {found.kind} '{found.matched}' named beside "
                             f"it (coarse=True answers that)", (candidate(gaz, found.entry, found.score),))
    if found.rival >= 0 and found.relation not in ("district", "inferred"):
        other = str(gaz.country[found.rival])
        apart = (f"in {found.country} and in {other}" if other != found.country else "far apart")
        return NoMatch(text, f"'{found.matched}' is ambiguous: several places of that name, {apart}, and nothing "
                             f"in the text or the hints tells them apart (give the country, the admin1 or a nearby "
                             f"place)",
                       (candidate(gaz, found.entry, found.score), candidate(gaz, found.rival, found.score),
                        *found.alternatives[:3]))
    if len(parts) == 1 and (hood := doubt.neighbourhood(gaz, surface, found)):
        return NoMatch(text, hood, (candidate(gaz, found.entry, found.score), *found.alternatives))
    provinces = _provinces(gaz, parts, read) if read.units and not ctx.countries else frozenset()
    weak = doubt.weak(gaz, found, ctx, provinces, surface)
    if weak:
        return NoMatch(text, weak, (candidate(gaz, found.entry, found.score), *found.alternatives))
    if found.kind == "sea" and found.relation != "part" and ctx.country:
        found = _sea_toward(gaz, found, ctx.country)
    return replace(precision.calibrated(found, gaz), query=text, why=_why(found, ctx, read))


def _area_named(gaz: Gazetteer, read: cx.Read) -> int:
    """The most specific area the text names: an admin1 unit, else a region, else a country."""
    order = {"admin1": 0, "region": 1, "country": 2}
    return min(read.areas, key=lambda i: order.get(str(gaz.kind[i]), 3))


def _fold(text: str) -> str:
    """Latin diacritics and typographic apostrophes off ("Qaḑā’ al Mawşil" -> "Qada' al Mawsil"), so that the phrase
    patterns read every transliteration; other scripts keep their letters."""
    if text.isascii():
        return text
    out = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", out).translate(_QUOTES)


_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʿ": "'", "ʾ": "'", "`": "'", "´": "'", "\u00a0": " "})


def _record_like(parts: list[str]) -> bool:
    """ "Rafah, Rafah, North Sinai, Egypt": short name parts, not a sentence (no name is looked for inside them)."""
    return len(parts) > 1 and all(len(p.split()) <= 5 for p in parts)


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
    """The place ``s`` names in ``ctx``: each distinct (text, context) is read once per process, since provinces,
    districts and towns recur across the strings of a file (see ``Gazetteer.memo``)."""
    return gaz.remember("resolve", (s, ctx, depth), lambda: _resolve_new(gaz, s, ctx, depth))


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def _resolve_new(gaz: Gazetteer, s: str, ctx: Context, depth: int) -> Match | None:
    s = _ARTICLE.sub("", s.strip(" .,;:!?\"()[]"))
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
    if "/" in s:  # "al-Manlah/al-Mallah farms": either spelling
        for alt in s.split("/"):
            m = _resolve(gaz, alt, ctx, depth + 1)
            if m is not None:
                return m
    if depth > 2 or len(s) > 40:
        return None  # fuzzy matching is for a misspelt name, not for every fragment of a phrase
    f = find(gaz, s, ctx, fuzzy=True)
    return _match(gaz, f) if f is not None else None


def _match(gaz: Gazetteer, f: Found) -> Match:
    i = int(f.ids[0])
    kind = str(gaz.kind[i])
    return Match("", float(gaz.lon[i]), float(gaz.lat[i]), float(gaz.precision_km[i]),
                 3 if kind in AREA_KINDS else 1, str(gaz.country[i]), str(gaz.admin1[i]), gaz.name[i], kind,
                 f.quality, "at", candidates(gaz, f, skip_near=i), gaz.ref[i], f.how, i, doubt.rival(gaz, f), f.key)


def _widen(m: Match, relation: str, extra_km: float) -> Match:
    return replace(m, precision_km=m.precision_km + extra_km, geo_precision=max(m.geo_precision, 2),
                   relation=relation)


def _relative(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    place = _placed(ctx)
    if r := ph.OFFSET.match(low):
        km = _km(r[1], r[2])
        base = _resolve(gaz, s[r.start(4):], place, depth + 1) if km <= ph.MAX_OFFSET_KM else None
        if base is None:
            return None
        lon, lat = destination(base.lon, base.lat, ph.BEARINGS[re.sub(r"[ -]", "", r[3])], km)
        return replace(_widen(base, "offset", max(2.0, 0.25 * km)), lon=lon, lat=lat)
    if r := ph.DISTANCE.match(low):
        km = _km(r[1], r[2])
        base = _resolve(gaz, s[r.start(3):], place, depth + 1) if km <= ph.MAX_OFFSET_KM else None
        return _widen(base, "offset", km) if base is not None else None
    if r := ph.BETWEEN.match(low):
        a = _resolve(gaz, s[r.start(1):r.end(1)], place, depth + 1)
        b = _resolve(gaz, s[r.start(2):], place, depth + 1)
        if a is None or b is None:
            return None
        d = float(km_between(a.lon, a.lat, b.lon, b.lat))
        if d > 2 * ph.MAX_OFFSET_KM:
            return None
        lon, lat = gz.centroid(np.array([a.lon, b.lon]), np.array([a.lat, b.lat]))
        return replace(_widen(a, "between", d / 2 + max(a.precision_km, b.precision_km) - a.precision_km),
                       lon=lon, lat=lat, matched=f"between {a.matched} and {b.matched}")
    for rx, group, relation, extra in ((ph.NEAR, 1, "near", 5.0), (ph.OUTSKIRTS, 2, "outskirts", 4.0),
                                       (ph.SUFFIX_NEAR, 1, "near", 5.0)):
        if r := rx.match(low):
            wide = any(w in r[0] for w in ("countryside", "rural", "desert", "badia", "plains", "hills", "part"))
            base = _resolve(gaz, s[r.start(group):r.end(group)], place, depth + 1)
            if base is not None:
                side = rx is ph.OUTSKIRTS and r[1] in ("north", "south", "east", "west", "side")
                return _widen(base, relation, precision.COUNTRYSIDE_KM if wide else 25.0 if side else
                              max(extra, precision.NEAR_FACTOR * base.precision_km))
    if r := ph.OFFSHORE.match(low):
        base = _resolve(gaz, s[r.start(1):], place, depth + 1)
        if base is None:
            return None
        if base.kind == "sea":  # "off Bab el-Mandeb": the water itself
            return replace(base, relation="near")
        # the coast of a town is its point; a country's or province's coast lies within its own radius
        return _widen(base, "offshore", precision.OFFSHORE_KM)
    if r := ph.PREP.match(low):
        return _resolve(gaz, s[r.start(1):], place, depth + 1)
    return None


def _km(number: str, unit: str) -> float:
    try:
        km = float(number.replace(",", ".")) * (1.609 if unit.startswith("mi") else 1.0)
    except (ValueError, OverflowError):
        return float("inf")
    return km if np.isfinite(km) else float("inf")


def _vague(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    """ "a base hosting US troops in western Iraq": the known site when one dominates, else the area."""
    r = ph.VAGUE.match(low)
    if r is None:
        return None
    area = _resolve(gaz, s[r.start("where"):], _placed(ctx), depth + 1)
    if area is None:
        return None
    kinds = frozenset({"airport"} if "airport" in r["what"] else {"base", "airbase", "oilfield", "gasfield"})
    if "embassy" in low or "consulate" in low:
        kinds = frozenset({"embassy", "consulate"})
    radius = area.precision_km if area.kind in AREA_KINDS else area.precision_km + 30
    sites = sites_within(gaz, area.lon, area.lat, radius, kinds=kinds, country=area.country or None,
                         us_only=bool(ph.US.search(low)), units=gaz.members.get(area.ref))
    if sites and (len(sites) == 1 or gaz.weight[sites[0]] >= 2 * gaz.weight[sites[1]]):
        i = sites[0]
        m = _match(gaz, Found(np.array([i]), np.array([1.0]), 1.0, "inferred"))
        alts = tuple(candidate(gaz, j, 0.5) for j in sites[1:5])
        return replace(m, precision_km=max(15.0, 3 * m.precision_km), geo_precision=2, score=0.6 * area.score,
                       relation="inferred", alternatives=alts)
    return replace(area, geo_precision=3, relation="part")


def _context(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    """ "X in Anbar", "X near Y": the tail becomes a country or admin1 hint (or an anchor) for the head."""
    for sep in (" in ", " near "):
        cut = low.rfind(sep)
        if cut <= 0:
            continue
        head, tail = s[:cut], s[cut + len(sep):]
        area = find(gaz, tail, replace(ctx, place=True, kinds=frozenset(AREA_KINDS)), fuzzy=False)
        if area is None:
            anchor = _resolve(gaz, tail, _placed(ctx), depth + 1)
            if anchor is None:
                continue
            hint = replace(ctx, place=True, anchor=(anchor.lon, anchor.lat, max(anchor.precision_km, 20.0)))
        else:
            i = int(area.ids[0])
            units = ctx.units | {f"{gaz.country[i]}|{gaz.admin1[i]}"} if gaz.kind[i] == "admin1" else ctx.units
            hint = replace(ctx, place=True, country=str(gaz.country[i]) or ctx.country, units=units,
                           countries=ctx.countries or (frozenset({str(gaz.country[i])}) if gaz.country[i] else
                                                       frozenset()))
        m = _resolve(gaz, head, hint, depth + 1)
        if m is not None and hint.anchor is not None and float(km_between(m.lon, m.lat, hint.anchor[0],
                                                                            hint.anchor[1])) > precision.HOMONYM_KM:
            m = None  # "Bagh village in Pulwama District": a Bagh far from Pulwama is another one
        if m is not None:
            return m
        if area is None and anchor is not None and anchor.relation in ("district", "near", "outskirts", "part"):
            return replace(anchor, matched=f"{head} (not found), {anchor.matched}")
    return None


def _qualified(gaz: Gazetteer, s: str, low: str, ctx: Context, depth: int) -> Match | None:
    """ "the town of Hit", "Hit district", "Sarjah village", "northern Anbar"."""
    place = _placed(ctx)
    if r := ph.OF.match(low):
        return _resolve(gaz, s[r.start(2):], place, depth + 1)
    if r := ph.CAPITAL.match(low):
        return _resolve(gaz, s[r.start(1):], place, depth + 1)
    if r := ph.SUFFIX_KIND.match(low):
        return _resolve(gaz, s[:r.end(1)], place, depth + 1)
    if r := ph.DISTRICT.match(low):
        name = s[r.start(1):r.end(1)] if r[1] else s[:r.end(2)]
        m = _resolve(gaz, name, place, depth + 1)
        return _as_district(m) if m is not None else None
    if r := ph.AREA_TAIL.match(low):
        return _resolve(gaz, s[:r.end(1)], replace(place, kinds=frozenset({"admin1", "region"})), depth + 1)
    if r := ph.PART.match(low):
        m = _resolve(gaz, s[r.start(2):], place, depth + 1)
        if m is not None and m.kind == "place" and m.entry >= 0 and \
                int(gaz.population[m.entry]) < precision.MAJOR_CITY:
            # "eastern Deir ez-Zor", "northern Idlib": a provincial seat smaller than a major city names its
            # province's part (reports say "eastern Aleppo", "western Mosul" of the cities themselves)
            unit = _resolve(gaz, s[r.start(2):], replace(place, kinds=frozenset({"admin1"})), depth + 1)
            if unit is not None and unit.country == m.country and unit.admin1 == m.admin1:
                m = unit
        if m is not None and m.kind in AREA_KINDS:
            return _part(gaz, m, r[1])
        if m is not None:
            return _widen(m, "part", 10.0)
    return None


def _part(gaz: Gazetteer, m: Match, word: str) -> Match:
    """The named part of an area (``geo.geocode.parts``): a point in that part and the part's size as radius; an
    area whose part cannot be derived (a sea across its length) keeps its whole point and radius (honest, coarser)."""
    where = parts.direction(word)
    got = None
    if where is not None and m.kind == "country":
        got = parts.country_part(m.country, where)
    elif where is not None and m.kind in ("admin1", "region"):
        units = gaz.members.get(m.ref) or (frozenset({f"{m.country}|{m.admin1}"}) if m.admin1 else frozenset())
        got = parts.unit_part(gaz, units, where)
    elif where is not None and m.kind == "sea":
        got = parts.sea_part(gaz, m.ref, m.lon, m.lat, m.precision_km, where)
    out = replace(m, geo_precision=3, relation="part", matched=f"{word} {_ARTICLE.sub('', m.matched)}")
    if got is None:
        return out
    lon, lat, km = got
    if m.kind != "country":  # GeoNames places thin out in deserts: the part is never taken as under half the unit
        km = max(km, 0.5 * m.precision_km)
        km = min(km, m.precision_km)
    return replace(out, lon=lon, lat=lat, precision_km=km)


def _sea_toward(gaz: Gazetteer, m: Match, country: str) -> Match:
    """ "Red Sea" in a record of Yemen: the half of the sea's length toward Yemen (``parts.sea_toward``)."""
    got = parts.sea_toward(gaz, m.ref, m.lon, m.lat, m.precision_km, country)
    if got is None:
        return m
    lon, lat, km = got
    return replace(m, lon=lon, lat=lat, precision_km=km, relation="part", matched=f"{m.matched} (toward {country})")


def _as_district(m: Match) -> Match:
    """A district named after its seat: the seat's point, with the radius of a district."""
    if m.kind in AREA_KINDS:
        return m
    return replace(m, relation="district", geo_precision=3, precision_km=max(m.precision_km, precision.DISTRICT_KM))


def _record(gaz: Gazetteer, parts: list[str], read: cx.Read, ctx: Context) -> Match | NoMatch | None:
    """ "Sarjah village, Maarat al-Numaan district, Idlib Governorate, Syria": the first part is the place, the later
    ones constrain it. A place named beside it ranks its neighbours up; when that is a district ("X district",
    "Mintaqat X") or a described location ("in the south of X"), a first part that is not in the gazetteer answers
    that, with its radius, and a homonym far from it is not taken."""
    seat, firm, said = None, False, False
    for k, part in enumerate(parts[1:], start=1):
        if k in read.area_segments or is_generic(gz.normalize(part)):
            continue
        seat = _resolve(gaz, part, _placed(ctx), 3)  # no fuzzy guess for a context part
        if seat is not None and seat.kind not in AREA_KINDS:
            firm = seat.relation in ("district", "near", "outskirts", "part", "offset")
            # "in the municipality of Y", "near Y": the text says where the place lies (a bare "X, Y, Z" record's
            # Y is an admin2 name, which a town of that name far away may share)
            said = bool(_SAID.match(part))
            break
        seat = None
    here = replace(ctx, place=True, anchor=(seat.lon, seat.lat, 30.0)) if seat is not None else _placed(ctx)
    m = _resolve(gaz, parts[0], here, 1)
    if m is not None and m.kind in AREA_KINDS and m.kind != "region" and firm:
        m = None  # "X, district, ..." where X is only a province name: the district says more
    if m is not None and firm and float(km_between(m.lon, m.lat, seat.lon, seat.lat)) > max(
            precision.HOMONYM_KM, 2 * seat.precision_km):
        if m.country != seat.country and m.kind not in AREA_KINDS:
            # the parts name places of two countries ("Nawzad District (Wak area of)": Now Zad in Afghanistan,
            # El Wak in Kenya): one of them is a homonym, and nothing says which, so neither is answered
            names = gaz.country_names
            return NoMatch("", f"ambiguous: '{m.matched}' is in {names.get(m.country, m.country)} but "
                               f"'{seat.matched}' named beside it is in {names.get(seat.country, seat.country)}: "
                               f"give the country (country=...)",
                           tuple(candidate(gaz, e.entry, e.score) for e in (m, seat) if e.entry >= 0))
        m = None
    elif m is not None and seat is not None and said and m.kind not in AREA_KINDS and \
            float(km_between(m.lon, m.lat, seat.lon, seat.lat)) > ph.MAX_OFFSET_KM:
        # a town named beside the place, farther than any offset a report gives: the place of that name is a
        # homonym of the one meant (dev2: "La Laguneta, in the municipality of Tocumbo" matched a Laguneta 800 km
        # from Tocumbo)
        m = None
    if m is not None:
        return m
    if seat is not None and firm:
        return replace(_as_district(seat) if seat.relation == "district" else seat,
                       matched=f"{parts[0]} (not found), {seat.matched}")
    return None


_SAID = re.compile(r"^\s*(?:in|at|near|inside|within|of)\s|^\s*(?:the\s+)?(?:town|city|village|municipality|district|"
                   r"township|province|county)\s+of\s", re.I)


def _mentioned(gaz: Gazetteer, surface: str, ctx: Context) -> Match | None:
    """A place named inside a sentence: the longest name found; single words only as proper nouns, never a person's
    name (after "Col.", "spokesman"...) nor a generic word."""
    tokens = re.findall(r"[^\W_][\w'-]*", surface)[:80]
    people = ph.person_tokens(tokens)
    for n in range(min(5, len(tokens)), 0, -1):
        for j in range(len(tokens) - n + 1):
            window = tokens[j:j + n]
            words = [w.casefold() for w in window]
            if words[0] in ph.STOP or words[-1] in ph.STOP or people.intersection(range(j, j + n)):
                continue
            if n == 1 and (len(words[0]) < 4 or (words[0] in COMMON_WORDS and not _after_prep(tokens, j))
                           or (window[0].isascii() and not window[0][0].isupper())):
                continue
            if _inside_name(tokens, j, n):
                continue  # "Tall" of "Tall Hudhan": a name is matched whole, never on one word of it
            text = " ".join(window)
            key = gz.normalize(text)
            if not len(gaz.ids_for(key)) and not len(gaz.ids_for(gz.compact(key))):
                continue  # no entry has the name: skip the ranking machinery (most windows of a sentence)
            f = find(gaz, text, _placed(ctx, _after_prep(tokens, j) or ctx.place), fuzzy=False)
            if f is not None:
                m = _match(gaz, f)
                return replace(m, score=0.8 * m.score, relation="mentioned")
    return None


#: Articles and prepositions written in lower case inside a name, Arabic ("Dur al Waqf", "Mafraq ar Ruwayk") and
#: Spanish, Portuguese, French, Italian ("Loma de Rodriguera"): they join the capitalised words on both sides into one
#: name. "as" and "an" ("Madinat as Saleh", "Ras an Naqb") are English words too, but an English "as" or "an"
#: rarely stands between two capitalised names; "at" and "do" do ("Houthis at Marib" is two names) and are left out.
_LINKS = frozenset({"al", "el", "ar", "er", "ad", "ed", "ash", "esh", "az", "ez", "adh", "ath", "ul", "as", "an",
                    "de", "del", "la", "las", "los", "da", "das", "dos", "du", "des", "di", "della"})


def _inside_name(tokens: list[str], j: int, n: int) -> bool:
    """Whether tokens[j:j+n] is part of a longer capitalised name (a capitalised word touches it, or is joined to it
    by a lower-case article: "Waqf" of "Dur al Waqf" matched a town of Egypt, "Mafraq" of "Mafraq ar Ruwayk", a
    village of Yemen, the town in Jordan)."""
    def cap(k: int) -> bool:
        return 0 <= k < len(tokens) and tokens[k][:1].isupper() and tokens[k].casefold() not in ph.STOP

    def linked(k: int, step: int) -> bool:
        return 0 <= k < len(tokens) and tokens[k] in _LINKS and cap(k + step)
    return (j > 0 and (cap(j - 1) or linked(j - 1, -1))) or cap(j + n) or linked(j + n, 1)


def _placed(ctx: Context, place: bool = True) -> Context:
    """``ctx`` read as a place context or not."""
    if ctx.place == place:
        return ctx
    flipped = _FLIPPED.get(ctx)  # dataclasses.replace costs ~10 us, and the same contexts recur
    if flipped is None:
        if len(_FLIPPED) > 4096:
            _FLIPPED.clear()
        flipped = _FLIPPED[ctx] = replace(ctx, place=place)
    return flipped


_FLIPPED: dict[Context, Context] = {}


def _after_prep(tokens: list[str], j: int) -> bool:
    return j > 0 and tokens[j - 1].casefold() in ph.PLACE_PREPS


def _provinces(gaz: Gazetteer, parts: list[str], read: cx.Read) -> frozenset[str]:
    """The countries of the admin1 units that make up a whole part after the first ("..., Idlib Governorate"):
    a unit read from inside the place's own name ("Isabela City") says nothing against it."""
    memo = gaz.memo("read")
    out: set[str] = set()
    for k in read.area_segments:
        got = memo.get(gz.normalize(parts[k])) if k else None
        if got is not None:
            out |= {u.split("|", 1)[0] for u in got[2]}
    return frozenset(out)


def _why(m: Match, ctx: Context, read: cx.Read) -> str:
    bits = [f"{m.why or 'exact'} name match: '{m.matched}' ({m.kind})", f"relation {m.relation}"]
    if ctx.countries:
        bits.append("limited to " + "/".join(sorted(ctx.countries)))
    if ctx.units:
        bits.append("admin1 " + "/".join(sorted(u.split("|", 1)[1] for u in ctx.units)))
    if not ctx.countries and m.country in ctx.aoi:
        bits.append("in the area of interest")
    return "; ".join(bits)


def _no_match(gaz: Gazetteer, text: str, surface: str, ctx: Context) -> NoMatch:
    key = gz.normalize(surface)
    if key in COMMON_WORDS and len(gaz.ids_for(key)):
        f = find(gaz, surface, _placed(ctx), fuzzy=False)
        return NoMatch(text, f"'{surface}' is also a common word: give a place context such as 'in {surface}', "
                             f"'{surface}, Iraq' or a country hint", candidates(gaz, f) if f else ())
    if is_generic(key):
        return NoMatch(text, f"'{surface}' is a generic word, not a place name: give the place's name")
    def near() -> tuple[Candidate, ...]:
        return _near_misses(gaz, surface, ctx)

    if ctx.countries:
        where = "/".join(sorted(ctx.countries))
        return NoMatch(text, f"no place of that name in the gazetteer in {where}", near)
    return NoMatch(text, "no place of that name in the gazetteer", near)


def _near_misses(gaz: Gazetteer, surface: str, ctx: Context) -> tuple[Candidate, ...]:
    from rapidfuzz import fuzz, process

    parts = cx.segments(surface)
    key = gz.normalize(parts[0] if parts else surface)[:200]
    if len(key) < 3:
        return ()
    if ctx.countries:
        pools = [p for c in sorted(ctx.countries) if (p := gaz.pool(c)) is not None]
    else:  # the keys of about the same length only: the whole pool cost 25 ms a miss
        lo, hi = (int(x) for x in np.searchsorted(gaz.fuzzy_lens, [len(key) * 0.8, len(key) * 1.2 + 1]))
        pools = [(gaz.fuzzy_keys[lo:hi], gaz.fuzzy_ids[lo:hi])]
    best: dict[int, float] = {}
    for keys, ids in pools:
        for _, s, i in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=70, limit=10):
            best.setdefault(int(ids[i]), s / 100)
    return tuple(candidate(gaz, i, s) for i, s in sorted(best.items(), key=lambda kv: -kv[1])[:5])


def _from_user(p: user.Place, ctx: Context) -> Match:
    return Match("", p.lon, p.lat, p.precision_km, 1 if p.precision_km <= 5 else 2, p.country, p.admin1, p.name,
                 "learnt", 1.0, "learnt", (), f"user:{p.name}",
                 f"exact name in the user's own gazetteer ({p.records} imported records)")
