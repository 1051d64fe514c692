"""Why a place found for a name is not answered: another place of the name ranks as high (a rival), or nothing in
the text or the call confirms a weak match (a misspelling, a village, a small place abroad, another name only, a
neighbourhood of a city the text does not name). ``geo.geocode.geocoder`` answers these with a ``NoMatch`` and the
candidates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from geo.geocode import gazetteer as gz
from geo.geocode import phrases as ph
from geo.geocode import precision
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.rank import AOI_BONUS, CURATED_KINDS, GENERIC_WORDS, Context, Found, km_between

if TYPE_CHECKING:
    from geo.geocode.geocoder import Match

#: Outside the area of interest, with no country named or hinted, a place is answered only when it is this big
#: (or an admin unit, a country, a curated site): a village abroad that shares a name is a far guess.
ABROAD_MIN_POPULATION = 50_000
#: Inside the area of interest, a bare name (no country, province or nearby place in the text or the call) that only
#: a place of fewer people than this (or of unknown size) bears is weak too: villages share names across the region,
#: and the gazetteer (GeoNames places of 500+ people) lacks most of them, so a small town of the name is often the
#: namesake of a village it lacks (dev split: "Nuba", "Dasht", "Hadar", "Kasab" matched a village of another
#: country; at 5,000, 2 of the 5 bare answers between 5,000 and 20,000 people were in the wrong country, "Barah
#: town" in Idlib -> Barah in Sudan, "al-Rami village" in Idlib -> Rama in Israel, against 1 in 68 above).
BARE_MIN_POPULATION = 20_000


def rival(gaz: Gazetteer, f: Found) -> int:
    """A second entry of the name, far from the first and ranked almost as high (nothing in the text or the call
    told them apart): the name is ambiguous. -1 when there is none."""
    i = int(f.ids[0])
    if f.how == "exact" and (alias := _alias_rival(gaz, f, i)) >= 0:
        return alias
    if f.home is not None and f.home[0] and gaz.kind[i] == "place" and gaz.population[i] < ABROAD_MIN_POPULATION:
        abroad = _abroad_rival(gaz, f, i)
        if abroad >= 0:
            return abroad
    widest = max(precision.RIVAL_GAP, precision.COUNTRY_RIVAL_GAP)
    fair = f.ranks if f.fair is None else f.fair  # noqa: SIM108
    for j, r, r_fair in zip(f.ids[1:4].tolist(), f.ranks[1:4].tolist(), fair[1:4].tolist()):
        gap = f.ranks[0] - r
        if gap >= widest and f.fair is None:
            break
        if gaz.kind[j] != gaz.kind[i]:
            continue
        if gaz.country[j] != gaz.country[i] and gaz.country[i] and gaz.country[j] and \
                fair[0] - r_fair < precision.COUNTRY_RIVAL_GAP and gaz.population[i] < precision.MAJOR_CITY and \
                not 0 < gaz.population[j] < precision.HAMLET:
            return int(j)
        if gap < precision.RIVAL_GAP and float(km_between(gaz.lon[i], gaz.lat[i], gaz.lon[j], gaz.lat[j])) > \
                precision.RIVAL_KM:
            return int(j)  # far apart, in one country or two: the rule before countries were told apart
    return -1


def _alias_rival(gaz: Gazetteer, f: Found, i: int) -> int:
    """A place of another country whose own name is the name matched, when the top entry ``i`` bears it only as
    another name (a former name, an alias, a variant), -1 when there is none: the top place ranks first by its size
    or the area's bonus alone, and nothing in the text says that the variant is meant rather than the other place's
    own name. Counted: a namesake in the area of interest that is more than a hamlet, unless ``i`` is a major city
    (dev2: "Ad Dimnah" in Ta'izz answered As Salimiyah in Kuwait, one of whose names it is; "Dura" of Hebron, Dora
    in Baghdad, our alias); a namesake abroad as big as a place answered bare abroad (``ABROAD_MIN_POPULATION``:
    "Salem" in India answered Jerusalem, "Shahpur" in India Salmas in Iran, its former name), or as big as a place
    answered bare in the area (``BARE_MIN_POPULATION``) when only the area's bonus and size rank the top above it,
    nothing in the text (dev2: "Daman", a town of 44,000 in India, answered Dammam, one of whose spellings it is);
    but not the small towns abroad that share a famous place's other name ("Palmyra" is Tadmur)."""
    if gaz.kind[i] not in ("place", "town"):
        return -1
    own = gz.normalize(gaz.name[i])
    major = gaz.population[i] >= precision.MAJOR_CITY
    home = f.home or (True,) * len(f.ids)
    for j, r, inside in zip(f.ids[1:8].tolist(), f.ranks[1:8].tolist(), home[1:8]):
        if gaz.kind[j] != "place" or gaz.country[j] == gaz.country[i] or not gaz.country[j]:
            continue
        pop = int(gaz.population[j])
        if inside and (major or 0 < pop < precision.HAMLET):
            continue
        if not inside and pop < ABROAD_MIN_POPULATION and (
                pop < BARE_MIN_POPULATION or f.ranks[0] - r >= AOI_BONUS + precision.COUNTRY_RIVAL_GAP):
            continue
        if gaz.kind[i] == "town":
            # our curated town shares the name with a town of another country (Houla of south Lebanon and Houla,
            # Kafr Laha's name, in Homs): our alias list is no better evidence than GeoNames' names
            return int(j)
        theirs = gz.normalize(gaz.name[j])
        if theirs != own and i in gaz.ids_for(theirs) and j not in gaz.ids_for(own):
            return int(j)
    return -1


def _abroad_rival(gaz: Gazetteer, f: Found, i: int) -> int:
    """A namesake outside the area of interest that ranks as high as the town ``i`` inside it but for the area's
    bonus (-1 when there is none): nothing in the text tells them apart, and a town smaller than
    ``ABROAD_MIN_POPULATION`` is no strong evidence that the text means the one in the area (dev split: "al-Rami
    village" in Idlib matched Rama in Israel over Rama in Nicaragua; "Foca" in Bosnia matched Foça in Turkey)."""
    assert f.home is not None
    top = f.ranks[0] - AOI_BONUS
    for j, r, home in zip(f.ids[1:6].tolist(), f.ranks[1:6].tolist(), f.home[1:6]):
        if home or gaz.kind[j] != "place" or 0 < gaz.population[j] < precision.HAMLET:
            continue
        if top - r < precision.COUNTRY_RIVAL_GAP:
            return int(j)
    return -1


def neighbourhood(gaz: Gazetteer, surface: str, m: Match) -> str:
    """Why a match of a neighbourhood's own name is not taken ('' when it is): the text calls the place a
    neighbourhood of a city it does not name, and the town or country of the name is a namesake (dev2: "Colinas del
    Sol neighbourhood", "18 de Marzo neighborhood", "in the Revolución Mexicana subdivision" matched villages of those
    names hundreds of km from the neighbourhoods of Mexican cities; "El Salvador colony", the country). Our curated
    districts (Baghdad's) are kept."""
    r = ph.NEIGHBOURHOOD.match(surface.strip(" .,;:"))
    if r is None or m.kind not in ("place", "country"):
        return ""
    name = gz.normalize(r["a"] or r["b"])
    if name not in gz.normalize(m.matched) and gz.normalize(m.matched) not in name:
        return ""  # the match is another place the text names (the city of the neighbourhood)
    return (f"'{r['a'] or r['b']}' is named as a neighbourhood, and '{m.matched}' "
            f"({gaz.country_names.get(m.country, m.country)}) is a {m.kind} of that name: give the city")


def weak(gaz: Gazetteer, m: Match, ctx: Context, provinces: frozenset[str] = frozenset(), text: str = "") -> str:
    """Why a match is too weak to answer ('' when it is not): with nothing in the text or the call that points to
    its country, an unconfirmed misspelling, a village, or a small place abroad."""
    if not ctx.countries and ctx.anchor is None and m.why == "fuzzy" and m.kind not in CURATED_KINDS:
        # a misspelling's best guess among the world's towns, with nothing to confirm it ("Sharifah" -> Sharjah):
        # with a country, such matches are taken only where a province or a nearby place confirms them; without
        # one, never. Our own curated sites (the bases and airports reports misspell) are few enough to guess.
        return (f"'{m.matched}' ({gaz.country_names.get(m.country, m.country)}) only resembles the name, and "
                f"nothing in the text or the call confirms it: give the country (country=...) or a nearby place")
    if ctx.countries or not m.country:
        return ""
    if provinces and m.country not in provinces and m.kind not in ("region", "sea"):
        # a later part of the text is a province of another country ("X village, Y district, Nord-Kivu"): a place
        # of that name here is a homonym of the one meant, which the gazetteer lacks
        where = "/".join(sorted(gaz.country_names.get(c, c) for c in provinces))
        return (f"'{m.matched}' is in {gaz.country_names.get(m.country, m.country)}, but the text names a province "
                f"of {where}: give the country (country=...) or a nearby place")
    if (other := _province_elsewhere(m, ctx, text)):
        where = "/".join(sorted(gaz.country_names.get(c, c) for c in other))
        return (f"'{m.matched}' is in {gaz.country_names.get(m.country, m.country)}, but the text names a province "
                f"of {where}, where no place of that name is known: give the country (country=...) or a nearby "
                f"place")
    if _alias_only(gaz, m, ctx):
        return (f"'{m.key}' is only another name of '{m.matched}' ({gaz.country_names.get(m.country, m.country)}), "
                f"and nothing in the text or the call confirms it: give the country (country=...), the province, or "
                f"a nearby place")
    if m.country in ctx.aoi:
        if ctx.units or ctx.anchor is not None or m.kind != "place" or m.entry < 0 or \
                int(gaz.population[m.entry]) >= BARE_MIN_POPULATION:
            return ""
        return (f"'{m.matched}' ({gaz.country_names.get(m.country, m.country)}) is a village or small town (under "
                f"{BARE_MIN_POPULATION:,} people), and nothing in the "
                f"text or the call says which country is meant: give the country (country=...), the province, or a "
                f"nearby place")
    if m.why not in ("exact", "compact"):  # a misspelling's best guess abroad ("Karkaria" -> Kalkara, Malta)
        return (f"'{m.matched}' ({gaz.country_names.get(m.country, m.country)}) only resembles the name, outside the "
                f"area of interest: give the country (country=...) or widen the area of interest (aoi=...)")
    if m.kind != "place":
        return ""
    if m.entry < 0 or int(gaz.population[m.entry]) >= ABROAD_MIN_POPULATION:
        return ""
    return (f"only '{m.matched}' ({gaz.country_names.get(m.country, m.country)}, a small place outside the area of "
            f"interest) has that name: give the country (country=...), name it in the text, or widen the area of "
            f"interest (aoi=...)")


def _province_elsewhere(m: Match, ctx: Context, text: str) -> frozenset[str]:
    """The countries of the provinces the text names beside the place, when the place found lies in none of them
    (empty otherwise): "Sahar district in Sa'ada governorate" is a district of Yemen the gazetteer lacks, not Sohar
    in Oman; "Khakriz districts of Kandahar" not Khakriz in Iran (dev3). Only a province whose name stands in the
    text outside the matched name counts ("Granada" is no evidence against Granada), and not one named by generic
    words ("North West", "Capital"): those are read as units only to rank."""
    if not ctx.units or ctx.countries or m.kind != "place" or not m.country or not text or "(not found)" in m.matched:
        return frozenset()
    own = set((m.key or gz.normalize(m.matched)).split())
    # the words outside the matched name, and outside any hyphenated name holding it ("Baghlan-e-Markazi")
    tokens = [gz.normalize(t).split() for t in text.split()]
    words = [w for t in tokens if own.isdisjoint(t) for w in t]
    named = set()
    for unit in ctx.units:
        code, name = unit.split("|", 1)
        if code == m.country:
            return frozenset()
        if code not in ctx.aoi:  # (a unit abroad is read from a resemblance more often than from a province)
            continue
        parts = gz.normalize(name).split()
        if not parts or all(p in GENERIC_WORDS or p in _NO_PROVINCE for p in parts):
            continue
        if all(any(fuzz.ratio(p, w) >= 80 for w in words) for p in parts):  # (Sa'ada is Sa'dah)
            named.add(code)
    return frozenset(named)


#: Words that name admin1 units somewhere ("Capital" in Venezuela) but stand for none in a report's sentence.
_NO_PROVINCE = frozenset({"capital", "city", "district", "province", "region", "governorate"})


def _alias_only(gaz: Gazetteer, m: Match, ctx: Context) -> bool:
    """Whether a bare name (no province or nearby place either) matched a town smaller than a major city only as
    one of its other names: GeoNames lists many spellings of a town in other languages, and a village the
    gazetteer lacks often bears one as its own name (dev2: "Human" answered Uman in Ukraine, "Marabo" Malabo,
    "Banh" Baneh in Iran, "Aziziyeh" Al Aziziyah in Iraq, for villages of Yemen, Congo, Burkina Faso and Syria)."""
    if ctx.units or ctx.anchor is not None or m.kind != "place" or m.entry < 0 or not m.key or \
            m.why not in ("exact", "compact") or int(gaz.population[m.entry]) >= precision.MAJOR_CITY:
        return False
    return not _own_name(gz.normalize(gaz.name[m.entry]), m.key)


def _own_name(own: str, key: str) -> bool:
    """Whether ``key`` is a spelling of the name ``own`` (a normalised key): the same key, compact form or
    consonant skeleton, or one holds the other's words ("Heroica Caborca", "Iloilo City")."""
    if key in (own, gz.compact(own)):
        return True
    sk = gz.skeleton(own)
    if sk and sk in (gz.skeleton(key), gz.skeleton(gz.compact(key))):
        return True
    mine, theirs = set(key.split()), set(own.split())
    return mine <= theirs or theirs <= mine
