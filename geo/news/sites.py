"""Where an attack happened, read in its clause: place phrases after prepositions, in brackets, the subject of a
passive ("K1 military base ... was attacked"), coordinated lists of far-apart sites ("in Abqaiq and Khurais areas",
"three facilities in Iraq and four in Syria") and "including" sites. Origins ("fired from"), those blamed ("blamed on
Iran") and the places of a war ("the war in the Gaza Strip") are no attack places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from geo.geocode import Match
from geo.geocode.gazetteer import haversine_km
from geo.news import rules as R
from geo.news.dates import is_date_phrase
from geo.news.mentions import Mention
from geo.news.places import ArticlePlaces

_WAR_IN = re.compile(r"\b(?:war|conflict|offensive|fighting|campaign|crisis|siege|blockade|operations?|presence|"
                     r"occupation|genocide|insurgency|hostilities)\s*$", re.I)
_BLAME_ON = re.compile(r"\b(?:blam\w*|attribut\w*|pinn\w*|accus\w*|responsibility)\s+(?:\w+\s+)?(?:on|to|of)\b", re.I)
#: The subject of a passive attack verb: "K1 military base, which houses US troops, was attacked by rockets".
_SUBJECT = re.compile(r"^(?:The\s+|An?\s+)?(?P<p>[A-Z][\w'-]*(?:\s+(?!said\b|says\b|told\b|that\b|which\b|who\b)[\w'-]+){0,5}?)"
                      r"(?:,[^,]{0,80},)?\s+(?:was|were|has\s+been|had\s+been)"
                      r"\s+(?:\w+\s+)?(?:attacked|hit|struck|targeted|shelled|bombed|damaged)\b")
#: An appositive naming the site after a vaguer phrase: "another facility in western Iraq, the Ain al-Asad air base".
_APPOSITIVE = re.compile(r"\s*,\s*(?:the\s+)?(?P<p>[A-Z][\w'-]*(?:\s+[\w'-]+){0,4}?\s+(?:air\s?base|base|airport|"
                         r"airfield|camp|garrison|outpost|oil\s?field|gas\s?field|consulate|embassy|port))\b", re.I)
_TRAILING_DATE = re.compile(r"\s+(?:on\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
                            r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?:\s+\d{1,2})?$")
#: The object of an attack verb told before "with <weapon>": "attacked ... and the Ras Tanura and Rabigh refineries
#: with drones", "targeted the base with rockets".
_WITH_OBJECT = re.compile(r"\b(?:and|attacked|targeted|struck|hit|bombed|shelled)\s+(?P<p>(?:the\s+)?(?:(?:[A-Z]|[ae]l-)[\w'-]*"
                          r"(?:\s+(?:and|of|al|el)\s+|\s+|'s\s+)){1,6}(?:[\w'-]+\s+){0,2}?)with\s+(?:[\w-]+\s+){0,2}$")
_FROM = re.compile(r"\b(?:from|launched\s+from|fired\s+from)\s+$", re.I)
_AND_MORE = re.compile(
    r"(?:\s*that\s+[^,;.]{1,60}?)?\s*(?:"
    r"(?:,\s*and\s+|and\s+|as\s+well\s+as\s+)(?P<p>(?:an?\s+[\w-]+\s+in\s+)?(?:the\s+)?(?:capital\b|[A-Z][\w'-]+"
    r"(?:\s+[A-Z][\w'-]+)*(?:\s+(?:province|governorate|areas?|city|town))?))"
    r"|,\s*(?P<q>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)(?=\s*(?:,|and\b)))")  # "Raqqa, Hasakah and Aleppo"
_CONJUNCT = re.compile(r"\s*(?:,\s*and\s+|\s+and\s+|,\s*|\s+as\s+well\s+as\s+)")
_INCLUDING = re.compile(r"\bincluding\s+(?:[\w'-]+\s+){0,4}?(?:in|near|at|outside)\s+(?P<p>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)")


@dataclass
class Where:
    """The place of one mention: the best place, its phrase, a target, and far-apart sites of one salvo."""

    place: Match | None = None
    text: str = ""
    target: str = ""
    sites: list[tuple[Match, str]] = field(default_factory=list)


def where(m: Mention, s: str, places: ArticlePlaces, found: list[Mention], prefer: str | None,
          headline: bool = False) -> Where:
    """The place of the mention's own clause: the nearest phrase that names one (after the mention first).

    An anaphor ("the strikes") takes only a phrase right next to it: "the missile strike occurred hours before
    ministers voted on operations in the Gaza Strip" is no strike in Gaza.
    """
    out = Where()
    if (obj := _WITH_OBJECT.search(s, max(0, m.start - 90), m.start)) is not None:
        sites = _sites(obj["p"], places)
        got = places.resolve(obj["p"], prefer)
        if got is not None:  # "attacked Aramco's facilities with missiles and the Ras Tanura and Rabigh refineries
            return Where(got, obj["p"], obj["p"], sites if len(sites) > 1 else [])  # with drones": each its own
    later = [o for o in found if o.start > m.end and not o.definite]
    right = later[0].start if later else len(s)  # past anaphors only: "struck the location from where the projectiles"
    scopes = [(m.lo, m.hi), (m.end, right)] + ([(0, len(s))] if len(found) == 1 or headline else [])
    reach = 45 if m.definite and not headline else 10_000
    first = not any(o.end <= m.start for o in found)
    for lo, hi in scopes:
        best: tuple[tuple, Match, str] | None = None
        finer: list[tuple[tuple, Match, str]] = []
        listed: dict[str, list[tuple[Match, str]]] = {}  # the sites of each coordinated phrase
        for text, at in _phrases(s, lo, hi, first=first):
            relative = at >= 10_000
            at = at - 10_000 if relative else at
            gap = 0 if at < 0 else at - m.end if at >= m.end else (m.start - at - len(text)) * 2 + 1
            gap += 120 * relative
            if gap > reach or m.definite and 0 <= at < m.start and R.REPORT_VERB.search(
                    s[at:m.start].split(" that ")[0] + " "):
                continue  # "the Directorate ... in the Iraqi Kurdistan Region said that the drone strike": the speaker's
            sites = _sites(text, places)
            if len(sites) > 1:
                out.sites = sites
                listed[text] = sites
            got = places.resolve(text, prefer)
            if got is None:
                continue
            got = _offset(text, s[max(0, at - 40):at] if at >= 0 else "", got)
            key = (max(gap, 0) // 60, at < m.start, got.kind in ("country", "admin1", "region"), got.precision_km)
            if best is None or key < best[0]:
                best = (key, got, text)
            if got.kind not in _AREAS and m.end <= at < m.hi and not _SPEAKER.match(s, at + len(text)):
                finer.append((key, got, text))
        if best is not None:
            inner = [x for x in finer if best[1].kind in _AREAS and _inside(x[1], best[1])]
            if inner:  # "operations in neighboring Syria, Israel said its warplanes attacked targets ... south of
                best = min(inner, key=lambda x: x[0])  # Damascus": the site its own clause names after it is finer
            _, out.place, out.text = best
            # "against the Ain al-Asad airbase in western Iraq and three bases in Syria": the chosen phrase's sites,
            # not those of its tail ("western Iraq and three bases in Syria")
            wider = [t for t in listed if out.text in t]  # the coordinated phrase the chosen one opens
            out.sites = listed[max(wider, key=len)] if wider else [] if listed else out.sites
            if R.TARGET_NOUNS.search(out.text):
                out.target = out.text
            if not out.sites:
                out.sites = _included(m, s, places, out.place, out.text)
            return out
    return out


_AREAS = frozenset({"country", "admin1", "region"})
#: A place followed by a report verb is the speaker's: "the Health Ministry in Beirut said".
_SPEAKER = re.compile(r"[^,;.]{0,25}?\b(?:said|says|told|reported|announced|stated|confirmed)\b")


def _inside(fine: Match, area: Match) -> bool:
    if area.kind == "country":
        return fine.country == area.country
    return fine.country == area.country and _km(fine, area) <= area.precision_km


def _phrases(s: str, lo: int, hi: int, first: bool = False) -> list[tuple[str, int]]:
    """Place phrases of s[lo:hi] with their positions: after a preposition, in brackets, and conjuncts."""
    out = []
    for p in R.PLACE_RX.finditer(s, lo, hi):
        if _FROM.search(s[max(0, p.start() - 14):p.start()]):
            continue  # "fired from over the occupied Golan Heights": where it came from, not where it hit
        if _BLAME_ON.search(s[max(0, p.start() - 20):p.start() + 3]):
            continue  # "blamed on Iran": who, not where
        if R.ROUTE.search(s[max(0, p.start() - 60):p.start()]):
            continue  # "en route from King Abdullah port in Saudi Arabia", "a monitor based in Britain": not the site
        if _WAR_IN.search(s[max(0, p.start() - 30):p.start()]):
            continue  # "meant to halt the Israel-Hamas war in the Gaza Strip": the war's place, not the attack's
        text = _TRAILING_DATE.sub("", p["p"].strip())  # "on southern Israel Oct. 7": the date is no part of it
        if cut := R.WEAPON_RX.search(text):
            text = text[:cut.start()].strip()  # "in a US drone strike in 2020": the strike is no place
        if len(text) < 3:
            continue
        out.append((text, p.start() + (10_000 if " of" in p["prep"] else 0)))  # "south of Baghdad": not at it
        if more := _AND_MORE.match(s, p.end("p"), min(len(s), p.end("p") + 120)):
            out.append((f"{text} and {more['p'] or more['q']}", p.start()))
        if same := _APPOSITIVE.match(s, p.end("p"), min(len(s), p.end("p") + 80)):
            out.append((same["p"], p.start()))
    out += [(b, s.find(b)) for b in re.findall(r"\(([^()]{3,60})\)", s[lo:hi])]
    if first and (subject := _SUBJECT.match(s)) and subject.end() <= hi + 12:
        out.append((subject["p"], -1))  # the target itself: ranked as if right next to the attack
    return [(t, i) for t, i in out if len(t) >= 3 and not is_date_phrase(t)]


_OFFSET = re.compile(r"\b(?P<n>\d+|[a-z]+)\s*(?:km|kms|kilometers|kilometres|miles)\s+(?:\(\s*[\d.]+\s*\w+\s*\)\s+)?"
                     r"(?:to\s+the\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\b", re.I)


def _offset(text: str, before: str, got: Match) -> Match:
    """"a town sixty kilometers north of ... Baghdad": not Baghdad itself; its point, with the distance as precision."""
    m = _OFFSET.search(text) or _OFFSET.search(before)
    if m is None:
        return got
    n = m["n"].lower()
    km = float(n) if n.isdigit() else float(R.NUMBER_WORDS.get(n, 0))
    if "mile" in m[0].lower():
        km *= 1.609
    return replace(got, precision_km=max(got.precision_km, 1.25 * km)) if km > 0 else got


def _included(m: Mention, s: str, places: ArticlePlaces, place: Match, text: str) -> list[tuple[Match, str]]:
    """ "strikes targeted Kobane ..., including grain silos near Al-Malikiyah": a second site far from the first."""
    for inc in _INCLUDING.finditer(s, m.lo, m.hi):
        got = places.resolve(inc["p"])
        if got is not None and got.precision_km <= 30 and _apart(got, place):
            return [(place, text), (got, inc["p"])]
    return []


def _sites(text: str, places: ArticlePlaces) -> list[tuple[Match, str]]:
    """Places of a coordinated phrase that lie far apart ("in Abqaiq and Khurais areas", "in Iraq and four in Syria")."""
    if " and " not in text:
        return []
    # "in Abqaiq and Khurais areas", "the Makhmur and Sinjar regions", "the towns of Aitaroun and Kfar Kila"
    head = re.sub(r"\s+(?:areas?|provinces|governorates|sites|regions|districts|towns|villages|cities)$", "", text)
    head = re.sub(r"^(?:the\s+)?(?:areas|provinces|governorates|regions|districts|towns|villages|cities)\s+of\s+", "",
                  head)
    parts = [p for p in _CONJUNCT.split(head) if p]
    got = []
    for p in parts:
        place = places.resolve(p)
        if place is not None and all(_apart(place, g) for g, _ in got):
            got.append((place, p))
    if len(got) > 1 and all(g.kind == "country" for g, _ in got) and not all(
            re.search(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b", p) for _, p in got):
        return []  # "attacks on US forces in Iraq and Syria": a scope; "three in Iraq and four in Syria": two targets
    return got if len(got) > 1 else []


def _apart(a: Match, b: Match) -> bool:
    """Two places of one list that are separate targets: far apart for their precisions (Baghdad and western
    Anbar, but not Kobane and its surroundings, nor "Erbil, Iraq")."""
    if "country" in (a.kind, b.kind):
        return a.country != b.country  # "in Iraq and four in Syria" are two; "Erbil, Iraq" is one
    small, large = sorted((a.precision_km, b.precision_km))
    return _km(a, b) > 50 + small + large / 2


def _km(a: Match, b: Match) -> float:
    return float(haversine_km(a.lon, a.lat, b.lon, b.lat))


__all__ = ["Where", "where"]
