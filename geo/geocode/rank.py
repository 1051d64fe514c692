"""Name lookup and candidate ranking behind ``geo.geocode`` (exact, compact, then fuzzy keys)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from geo.geocode.gazetteer import SITE_KINDS, Gazetteer, compact, grams, haversine_km, normalize

#: Areas of interest: candidates in these countries rank higher, and a weak match outside them is not taken. A
#: parameter everywhere (the countries of the data in hand); this default is the Middle East and North Africa.
DEFAULT_AOI = ("IRQ", "SYR", "JOR", "LBN", "ISR", "PSE", "TUR", "IRN", "SAU", "KWT", "QAT", "ARE", "BHR", "OMN",
               "YEM", "EGY", "LBY", "TUN", "DZA", "MAR", "SDN")
#: The rank bonus of a candidate in the area of interest.
AOI_BONUS = 0.3
#: Fuzzy matches below this rapidfuzz ratio (0-100) are not taken.
FUZZY_CUTOFF = 86.0
#: Names that are also common English words: taken only in a place context ("in Hit", "Hit, Iraq").
COMMON_WORDS = frozenset({
    "hit", "balad", "bar", "man", "best", "split", "nice", "mobile", "reading", "bath", "march", "may", "van",
    "mark", "police", "sale", "deal", "most", "base", "camp", "rocket", "drone", "attack", "city", "town", "area",
    "border", "north", "south", "east", "west", "centre", "center", "post", "gap", "dam", "valley", "field", "oil",
    "gas", "station", "airport", "embassy", "none", "unknown", "damage", "site", "iraq", "syria",
})
#: Words that are never a place by themselves, whatever the context: directions and qualifiers ("Central",
#: "Northwest"), kinds of place ("village", "district"), abstract nouns that name towns abroad ("Union", "Victory"),
#: ranks, titles and roles ("Col.", "spokesman"). A multi-word name is matched on its distinctive words, so
#: "Central Darfur" is a name, "Central" alone is not.
GENERIC_WORDS = frozenset("""
north south east west northern southern eastern western central northeast northwest southeast southwest
northeastern northwestern southeastern southwestern upper lower middle mid greater inner outer new old great little
big high far near centre center downtown countryside outskirts suburb suburbs vicinity surroundings environs
village villages town towns city cities district districts subdistrict province provinces governorate region area
areas zone sector county state prefecture division department municipality commune neighborhood neighbourhood
quarter block locality location farm farms camp camps base bases border frontier front line coast shore road
street highway bridge square market hospital school mosque church checkpoint crossing station junction field
fields plain plains valley hill hills mountain mountains desert river lake sea island point port
union victory celebration council mission liberty independence freedom unity justice peace hope faith paradise
progress triumph harmony concord commerce industry enterprise success energy reform republic friendship
providence security defense defence command general colonel major captain lieutenant sergeant marshal brigadier
chief president minister governor mayor judge king queen prince bishop officer spokesman commander leader
army navy police guard guards forces troops soldiers soldier rebels militia militants fighters regime
government ministry parliament embassy consulate airport airbase palace headquarters air airfield oil gas
international military naval dam
col gen brig lt sgt maj capt cpt adm cmdr mr mrs dr sheikh
tall tal tell tel deir dayr kafr kfar ain ayn bir wadi jabal jebel ras umm abu khirbet khirbat qasr beit bayt
mazraat mazraa kharab khan sheikh qaryat hayy hay souq suq dar mahalla kili kot
monday tuesday wednesday thursday friday saturday sunday january february april june july august september
october november december
one two three four five six seven eight nine ten first second third
red white black green blue yellow
""".split())
#: Kinds that our own curated files define, whose names may be generic words ("the Green Zone").
CURATED_KINDS = frozenset(SITE_KINDS) | {"region", "sea"}
#: A GeoNames place of unknown population (0 in the file) ranks as if it had this many people: cities500 lists
#: places of at least 500 people (or seats of an admin unit), so 0 means "not given", not "empty". Ranked as 0, an
#: unknown Syrian town (Ariha, Al Busayrah) lost to any small populated homonym abroad.
UNKNOWN_POPULATION = 1000
_UNKNOWN_BONUS = 0.25 * math.log10(UNKNOWN_POPULATION + 1) / 7
_KIND_PRIOR = {**dict.fromkeys(SITE_KINDS, 0.45), "region": 0.4, "sea": 0.4, "place": 0.2, "country": 0.3,
               "admin1": 0.05}


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
    """What the rest of the text says about a name.

    ``countries``: the only countries a place may be in (the caller's hint, the countries the text names); empty
    when nothing constrains. ``country``: the preferred one. ``units``: "ISO3|admin1" units named (ranked up).
    ``anchor``: (lon, lat, km) of a place named beside it (a district seat, another place of the article): nearer
    candidates rank up. ``place``: whether the words read as a place (a preposition or a comma hint before them).
    """

    country: str | None = None
    admin1: str | None = None
    place: bool = False
    aoi: tuple[str, ...] = DEFAULT_AOI
    kinds: frozenset[str] = field(default_factory=frozenset)  # when set, only these kinds qualify
    countries: frozenset[str] = field(default_factory=frozenset)
    units: frozenset[str] = field(default_factory=frozenset)
    anchor: tuple[float, float, float] | None = None
    bounds: tuple[tuple[str, float, float, float], ...] = ()  # (ISO3, lon, lat, km) of each admin1 named

    def __hash__(self) -> int:
        # made once per context: contexts key every memo of a lookup, and hashing nine fields each time cost ~3 %
        h = self.__dict__.get("_hash")
        if h is None:
            h = hash((self.country, self.admin1, self.place, self.aoi, self.kinds, self.countries, self.units,
                      self.anchor, self.bounds))
            object.__setattr__(self, "_hash", h)
        return h


@dataclass(frozen=True)
class Found:
    """The ranked entries for one name: ids best first, their rank scores and the name-match quality."""

    ids: np.ndarray
    ranks: np.ndarray
    quality: float
    how: str  # "exact", "compact", "fuzzy"
    #: the ranks without the bonus of an admin1 unit read from the name itself ("Granada" names Nicaragua's
    #: department Granada, and so ranks up its town Granada): what tells places of two countries apart
    fair: np.ndarray | None = None
    #: per entry, whether it got the area-of-interest bonus (None when a country constrains the name): a place
    #: that leads a namesake abroad only by that bonus is not told apart from it by anything in the text
    home: tuple[bool, ...] | None = None
    #: the name key the entries were found under (exact and compact matches; '' otherwise)
    key: str = ""


def find(gaz: Gazetteer, text: str, ctx: Context, *, fuzzy: bool = True) -> Found | None:
    """Entries named ``text``, ranked; None when nothing qualifies. Each (name, context) is ranked once per process
    (the same names recur across the strings of a file, and in the several readings of one string)."""
    key = normalize(text)
    if not key or (key in COMMON_WORDS and not ctx.place):
        return None
    return gaz.remember("find", (key, ctx, fuzzy), lambda: _find(gaz, key, ctx, fuzzy))


def _find(gaz: Gazetteer, key: str, ctx: Context, fuzzy: bool) -> Found | None:
    generic = is_generic(key)
    if generic:  # "Central", "North West": only our own curated sites and regions are named so; and, where the text
        # names the country, its admin1 units ("Red Sea state, Sudan" is Sudan's state, a bare "Red Sea" the sea)
        kinds = CURATED_KINDS | {"admin1"} if ctx.countries else CURATED_KINDS
        ctx = Context(ctx.country, ctx.admin1, ctx.place, ctx.aoi, kinds & ctx.kinds if ctx.kinds else kinds,
                      ctx.countries, ctx.units, ctx.anchor, ctx.bounds)
    # "Granada", "As Susah village": an admin1 unit read from the name itself says nothing about which country's
    # place of that name is meant (see Found.fair)
    own = frozenset(u for u in ctx.units if normalize(u.split("|", 1)[1]) == key) if ctx.units else frozenset()
    found = _rank(gaz, gaz.ids_for(key), 1.0, "exact", ctx, own, key)
    if found is not None:
        return found
    loose = compact(key)
    if loose != key:  # a one-word key is its own compact form: the same entries, ranked out already
        found = _rank(gaz, gaz.ids_for(loose), 0.95, "compact", ctx, own, loose)
        if found is not None:
            return found
    if not fuzzy or generic or len(key) < 4 or not key.isascii():
        return None  # generic words only ("western countryside"): what resembles them is another generic phrase
    if ctx.countries and (ctx.bounds or ctx.anchor):
        # spelling variants, then typos, among that country's names only, and only where a province or a place
        # named beside it can confirm them: unconfirmed, a quarter of them were homonyms hundreds of km away
        found = _rank(gaz, gaz.skel_ids_for(key), 0.85, "skeleton", ctx)
        return found if found is not None else _fuzzy_in(gaz, key, ctx)
    if ctx.countries:
        return None
    got = gaz.remember("fuzzy", key, lambda: _fuzzy_all(gaz, key))
    return _rank(gaz, got[0], got[1], "fuzzy", ctx) if got is not None else None


def _fuzzy_all(gaz: Gazetteer, key: str) -> tuple[np.ndarray, float] | None:
    """The fuzzy hits of ``key`` in the whole pool and their quality, whatever the context: memoised per key, since
    one phrase is tried in several contexts (a place context or not, an anchor) and the search is the costly part."""
    # ratio >= 86 is impossible between strings whose lengths differ by more than ~15%: search only that slice
    span = max(1, int(len(key) * 0.16))
    lo, hi = gaz.length_span(len(key) - span, len(key) + span)
    pos = _blocked(gaz, key, lo, hi, span)
    if pos is None:
        pos = range(lo, hi)
        choices = gaz.fuzzy_keys[lo:hi]
    else:
        choices = gaz.fuzzy_array()[pos].tolist()  # one numpy take, not a Python loop over thousands of keys
    # the choices keep the pool's order, so ties among the best 8 break as they did over the whole slice
    hits = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8)
    if not hits:
        return None
    best = hits[0][1]
    ids = np.array([gaz.fuzzy_ids[pos[i]] for hit, s, i in hits
                    if s >= max(best - 3, _cutoff(key)) and _distinct_ok(key, hit)], dtype=np.int32)
    return (ids, round(0.9 * best / 100, 3)) if len(ids) else None


def is_generic(key: str) -> bool:
    """A key made only of generic words ("central", "north west", "the village"): never a name by itself."""
    return GENERIC_WORDS.issuperset(key.split())


def _fuzzy_in(gaz: Gazetteer, key: str, ctx: Context) -> Found | None:
    best: list[tuple[float, int]] = []
    for code in ctx.countries:
        best += gaz.remember("fuzzy_in", (key, code), lambda code=code: _fuzzy_country(gaz, key, code))
    if not best:
        return None
    top = max(s for s, _ in best)
    ids = np.array([i for s, i in best if s >= top - 3], dtype=np.int32)
    return _rank(gaz, ids, round(0.9 * top / 100, 3), "fuzzy", ctx) if len(ids) else None


def _fuzzy_country(gaz: Gazetteer, key: str, code: str) -> list[tuple[float, int]]:
    """(score, entry) of the fuzzy hits of ``key`` among one country's names (memoised per key and country)."""
    best: list[tuple[float, int]] = []
    cut = _cutoff(key)
    # fuzz.ratio is at most 2 min(m, n) / (m + n): keys whose length is too far from the key's cannot reach the cutoff
    shortest, longest = math.floor(len(key) * cut / (200 - cut)), math.ceil(len(key) * (200 - cut) / cut)
    pool = gaz.pool_span(code, shortest, longest)
    if pool is None:
        return best
    for hit, score, j in process.extract(key, pool[0], scorer=fuzz.ratio, score_cutoff=cut, limit=8):
        if _distinct_ok(key, hit):
            best.append((score, int(pool[1][j])))
    return best


def _cutoff(key: str) -> float:
    """Short names need a closer spelling: one letter off in "Hasna" is another town ("Esna")."""
    return 93.0 if len(key) < 8 else FUZZY_CUTOFF


def _distinct_ok(key: str, hit: str) -> bool:
    """A fuzzy hit must also be close on the distinctive words ("barawe airport" is not "berbera airport")."""
    mine = " ".join(w for w in key.split() if w not in GENERIC_WORDS)
    theirs = " ".join(w for w in hit.split() if w not in GENERIC_WORDS)
    return not mine or not theirs or mine == theirs or fuzz.ratio(mine, theirs) >= _cutoff(mine) - 8


def _blocked(gaz: Gazetteer, key: str, lo: int, hi: int, span: int) -> np.ndarray | None:
    """Pool positions in [lo, hi) that can reach ``FUZZY_CUTOFF`` with ``key``: an exact filter, not a heuristic.

    A ratio >= c allows an indel distance d <= (1 - c/100)(len1 + len2); d edits leave at least len1 - 1 - 2d of the
    key's bigrams intact (a deletion breaks two, an insertion one), so a key sharing fewer bigrams (as a multiset)
    cannot match. None when the bound does not prune (short keys): then the whole slice is scored.
    """
    d_max = int((100 - FUZZY_CUTOFF) * (2 * len(key) + span) // 100)
    need = len(key) - 1 - 2 * d_max
    if need < 1:
        return None
    parts = []
    lens = gaz.fuzzy_lens
    # [lo, hi) is a slice of key lengths (``length_span``): each bigram's postings are then cut by a table of where
    # each length starts in them, made once per bigram, instead of two binary searches per bigram and lookup
    at_lo = int(lens[lo]) if lo < len(lens) and (lo == 0 or lens[lo - 1] < lens[lo]) else -1
    at_hi = int(lens[hi]) if hi < len(lens) and lens[hi - 1] < lens[hi] else (-2 if hi == len(lens) else -1)
    bounds = np.array((lo, hi))
    for token in grams(key):
        got = gaz.gram_by_length(token)
        if got is None:
            continue
        post, starts = got
        if at_lo >= 0 and at_hi != -1:
            a = starts[min(at_lo, len(starts) - 1)]
            b = len(post) if at_hi == -2 else starts[min(at_hi, len(starts) - 1)]
        else:
            a, b = post.searchsorted(bounds).tolist()
        if b > a:
            parts.append(post[a:b])
    if not parts:
        return np.empty(0, dtype=np.intp)
    counts = np.bincount(np.concatenate(parts) - lo)
    return np.flatnonzero(counts >= need) + lo


def static_rank(population: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The ranking's query-independent terms, per entry (stored in the index): population and curated weight."""
    return 0.25 * np.minimum(np.log10(population + 1) / 7, 1) + 0.01 * weight


def _rank(gaz: Gazetteer, ids: np.ndarray, quality: float, how: str, ctx: Context,
          own: frozenset[str] = frozenset(), key: str = "") -> Found | None:
    # Plain Python over the few candidates: numpy's per-call overhead dominated on arrays of 1-10 entries. The sums
    # are made in the same order as the former array code, so the ranks are bit-identical.
    if not len(ids):
        return None
    idl = sorted(set(ids.tolist()))
    if ctx.kinds:
        idl = [i for i in idl if gaz.kind[i] in ctx.kinds]
    if ctx.countries:  # a country the text or the caller rules out is never answered
        idl = [i for i in idl if gaz.country[i] in ctx.countries or (gaz.kind[i] in ("region", "sea")
                                                                      and not gaz.country[i])]
    if ctx.bounds and how != "context":  # a homonym far outside the province the text names is another place
        idl = _inside(gaz, idl, ctx.bounds)
    if not idl:
        return None
    sel = np.array(idl, dtype=np.intp)
    kind, country = gaz.kind[sel].tolist(), gaz.country[sel].tolist()
    base = [(quality + _KIND_PRIOR.get(k, 0.1)) + r for k, r in zip(kind, gaz.static_rank[sel].tolist())]
    for j, p in enumerate(gaz.population[sel].tolist()):
        if p == 0 and kind[j] == "place":
            base[j] += _UNKNOWN_BONUS
    aoi, want = ctx.aoi, ctx.country
    admin1 = [a.lower() for a in gaz.admin1[sel].tolist()] if ctx.admin1 else None
    want_a = ctx.admin1.lower() if ctx.admin1 else ""
    rank = []
    for j, r in enumerate(base):
        r += AOI_BONUS if country[j] in aoi else 0.0
        if want:
            r += 0.8 if country[j] == want else (0.0 if kind[j] in ("region", "sea") else -0.8)
        if admin1 is not None:
            r += 0.4 if admin1[j] == want_a else 0.0
        rank.append(r)
    fair: dict[int, float] | None = None  # the own units' bonus, per candidate
    if ctx.units:
        for j, i in enumerate(idl):
            unit = f"{country[j]}|{gaz.admin1[i]}"
            if unit in ctx.units:
                rank[j] += 0.4
                if unit in own:
                    fair = fair or {}
                    fair[j] = 0.4
    if ctx.anchor is not None:
        alon, alat, akm = ctx.anchor
        for j, (lon, lat) in enumerate(zip(gaz.lon[sel].tolist(), gaz.lat[sel].tolist())):
            rank[j] += 0.5 * math.exp(-km_between(alon, alat, lon, lat) / max(akm, 10.0))
    order = sorted(range(len(rank)), key=lambda j: -rank[j])  # stable, as argsort(kind="stable") was
    ranks = np.array([rank[j] for j in order])
    fairs = None if fair is None else np.array([rank[j] - fair.get(j, 0.0) for j in order])
    home = None if ctx.countries or want else tuple(country[j] in aoi for j in order)
    return Found(ids=sel[order], ranks=ranks, quality=quality, how=how, fair=fairs, home=home, key=key)


def _inside(gaz: Gazetteer, idl: list[int], bounds: tuple[tuple[str, float, float, float], ...]) -> list[int]:
    """The entries of ``idl`` within 30 km of an admin1 unit named in their country (areas, and entries of other
    countries, pass). Scalar math: numpy's per-call overhead dominated on these few entries."""
    out = []
    for i in idl:
        code = gaz.country[i]
        mine = [b for b in bounds if b[0] == code]
        if not mine or gaz.kind[i] in ("admin1", "country", "region"):
            out.append(i)
            continue
        lon, lat = float(gaz.lon[i]), float(gaz.lat[i])
        if any(km_between(blon, blat, lon, lat) <= km + 30 for _, blon, blat, km in mine):
            out.append(i)
    return out


def km_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """``haversine_km`` of two points, in scalar math (10x faster than numpy on one pair)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(a, 1.0)))


def candidates(gaz: Gazetteer, found: Found, *, skip_near: int | None = None, limit: int = 5) -> tuple[Candidate, ...]:
    """The ranked entries as Candidates, leaving out the chosen one and its duplicates within 5 km."""
    ids, ranks = found.ids, found.ranks
    if skip_near is not None:
        keep = ids != skip_near
        ids, ranks = ids[keep], ranks[keep]
        if len(ids):  # one vectorised distance instead of a numpy call per entry
            near = haversine_km(gaz.lon[ids], gaz.lat[ids], gaz.lon[skip_near], gaz.lat[skip_near]) < 5
            ids, ranks = ids[~near], ranks[~near]
    return tuple(candidate(gaz, i, r) for i, r in zip(ids[:limit].tolist(), ranks[:limit].tolist()))


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
