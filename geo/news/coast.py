"""A ship hit "in the Red Sea": placed off the coastal place the report names, not at the sea's centre.

A sea's own point lies hundreds of km from most of its shores (the Red Sea's is +-1,191 km); reports of attacks at
sea nearly always give the nearest port or town as well ("40 nautical miles southwest of Yanbu", "off Mokha",
"near the Saudi port of Yanbu"). That place is taken when it lies within the sea's extent; the offset the report
gives widens the precision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from geo.geocode import Match
from geo.geocode.gazetteer import haversine_km
from geo.news.places import ArticlePlaces
from geo.news.rules import NUMBER_WORDS

_N = (r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|"
      r"sixty|seventy|eighty|ninety|a\s+hundred)")
_UNIT_KM = {"nautical": 1.852, "mile": 1.609, "nm": 1.852, "km": 1.0, "kilomet": 1.0}
#: "40 nautical miles southwest of X", "off (the coast of) X", "near the Saudi port of X".
_NEAR = re.compile(
    rf"\b(?:(?P<n>{_N})\s+(?P<u>nautical\s+miles?|nm|miles?|km|kilomet(?:re|er)s?)\s+(?:\([^)]{{0,24}}\)\s+)?"
    r"(?:(?:north|south|east|west)(?:-?(?:north|south|east|west))?\s+)?(?:of|off|from)|off(?:\s+the\s+coast\s+of)?|"
    r"near)\s+(?:the\s+)?(?:(?:[A-Z][\w-]+\s+)?(?:port|coastal|harbou?r)\s+(?:city\s+|town\s+)?(?:of\s+)?)?"
    r"(?P<p>[A-Z][\w'-]+(?:\s+(?:al-|el-)?[A-Z][\w'-]+)*)")
#: Sentences that tell of a ship or an incident at sea: where the report's other coastal places are found.
_AT_SEA = re.compile(r"\b(?:ship|vessel|tanker|carrier|freighter|boat|cargo|crew|incident|UKMTO|maritime)s?\b", re.I)
_AREAS = frozenset({"country", "admin1", "region", "sea"})


def off_coast(sea: Match, own: Sequence[str], text: str, places: ArticlePlaces) -> tuple[Match, str] | None:
    """The coastal place a report gives for an attack at sea (the attack's own sentences first, then the report's
    sentences about ships at sea), as a sea match off it; None when it names none within the sea's extent."""
    if sea.kind != "sea" or "(off " in sea.matched:
        return None  # "the Gulf of Aden (off Aden)": already at the coast it is named after
    rest = [s for s in re.split(r"(?<=[.!?])\s+", text) if _AT_SEA.search(s)]
    for sentence in [*own, *rest]:
        for m in _NEAR.finditer(sentence):
            got = places.resolve(m["p"])
            if got is None or got.kind in _AREAS:
                continue
            if float(haversine_km(got.lon, got.lat, sea.lon, sea.lat)) > sea.precision_km:
                continue  # a namesake inland or by another sea
            off = _offset_km(m["n"], m["u"])
            precision = max(30.0, got.precision_km + off)
            return replace(got, precision_km=precision, geo_precision=3, kind="sea",
                           matched=f"{sea.matched} (off {got.matched})"), m[0]
    return None


#: Sea areas by name: "the Gulf of Aden", "the Red Sea", "the Bab el-Mandeb Strait", "the Strait of Hormuz".
_SEA_NAME = re.compile(r"\b(?:the\s+)?(?:(?:Gulf|Sea|Strait|Bay)\s+of\s+(?:the\s+)?[A-Z][\w-]+|"
                       r"(?:[A-Z][\w-]+\s+){1,2}(?:Sea|Gulf|Ocean|Strait))\b")
#: A ship told as the target: the attack is at sea, wherever its attacker is.
_SHIP = re.compile(r"\b(?:ships?|vessels?|tankers?|freighters?|bulk\s+carriers?|merchant|cargo|destroyers?)\b", re.I)


def sea_of(own: Sequence[str], text: str, places: ArticlePlaces) -> tuple[Match, str] | None:
    """The sea area of an attack on a ship that has only a country point: the sea its own sentences name, else the
    sea the report's sentences about ships at sea name ("while it was transiting the Gulf of Aden")."""
    if not any(_SHIP.search(s) for s in own):
        return None
    rest = [s for s in re.split(r"(?<=[.!?])\s+", text) if _AT_SEA.search(s)]
    for sentence in [*own, *rest]:
        for m in _SEA_NAME.finditer(sentence):
            got = places.resolve(m[0])
            if got is not None and got.kind == "sea":
                return got, m[0]
    return None


def _offset_km(n: str | None, unit: str | None) -> float:
    if not n or not unit:
        return 0.0
    value = float(n) if n[0].isdigit() else float(NUMBER_WORDS.get(n.lower().split()[-1], 0))  # ("a hundred")
    return value * next((k for u, k in _UNIT_KM.items() if unit.lower().startswith(u)), 1.0)


__all__ = ["off_coast", "sea_of"]
