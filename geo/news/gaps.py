"""Workarounds for what the geocoder does not do yet, kept apart so they can go when it does (see the report).

- ``near_miss``: a place the gazetteer lacks in that spelling ("the Al Asad base") is taken from the geocoder's own
  near misses when the best of them names every distinctive word of the phrase (Ain al-Asad Air Base).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from geo.geocode import Match
from geo.geocode.gazetteer import normalize

_AREAS = frozenset({"country", "admin1", "region"})


def near_miss(m: object, text: str, ignorable: frozenset[str]) -> Match | None:
    """The geocoder's best near miss when it names every distinctive word of the phrase (a ``Match`` or None)."""
    candidates = getattr(m, "candidates", ())
    words = {w for w in normalize(text).split() if w not in ignorable and len(w) > 2}
    if not candidates or not words:
        return None
    for c in candidates[:5]:
        names = {w for w in normalize(c.name).split() if w not in ignorable}
        if c.kind not in _AREAS and all(any(fuzz.ratio(w, n) >= 85 for n in names) for w in words):
            break
    else:
        return None
    return Match(text, c.lon, c.lat, c.precision_km * 1.5, 1, c.country, c.admin1, c.name, c.kind, 0.6,
                 "mentioned", ())


__all__ = ["near_miss"]
