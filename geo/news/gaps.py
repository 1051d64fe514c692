"""Workarounds for what the geocoder does not do yet, kept apart so they can go when it does (see the report).

- ``part_of_country``: "southern Lebanon" answered as the country's centroid becomes the centroid of the southern
  third of its Natural Earth outline (the bundled ``geo.countries`` file), with the farthest point of that third as
  precision, so the true place lies within.
- ``near_miss``: a place the gazetteer lacks in that spelling ("the Al Asad base") is taken from the geocoder's own
  near misses when the best of them names every distinctive word of the phrase (Ain al-Asad Air Base).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache

from rapidfuzz import fuzz

from geo.geocode import Match, load
from geo.geocode.gazetteer import haversine_km, normalize

_AREAS = frozenset({"country", "admin1", "region"})


@lru_cache(maxsize=1)
def _outlines() -> dict[str, object]:
    """Country outlines by ISO3, matched to the gazetteer's country names."""
    from shapely.geometry import shape  # imported on first use: a report naming no "southern X" never needs it

    from geo.countries import COUNTRIES_PATH

    by_name = {name.casefold(): iso for iso, name in load().country_names.items()}
    out = {}
    for feature in json.loads(COUNTRIES_PATH.read_text(encoding="utf-8"))["features"]:
        iso = by_name.get(str(feature["properties"].get("name", "")).casefold())
        if iso:
            out[iso] = shape(feature["geometry"])
    return out


_THIRDS = {"north": (0, 2 / 3, 1, 1), "south": (0, 0, 1, 1 / 3), "east": (2 / 3, 0, 1, 1), "west": (0, 0, 1 / 3, 1),
           "northeast": (0.5, 0.5, 1, 1), "northwest": (0, 0.5, 0.5, 1), "southeast": (0.5, 0, 1, 0.5),
           "southwest": (0, 0, 0.5, 0.5), "central": (1 / 4, 1 / 4, 3 / 4, 3 / 4)}


def part_of_country(m: Match) -> Match:
    """ "southern Lebanon": the southern third of the country's outline (the geocoder answers its centroid).

    A workaround until the geocoder places directional parts itself: the point is the centroid of that third, the
    precision the farthest point of it, so the true place lies within.
    """
    word = re.sub(r"[^a-z]", "", m.matched.split()[0].lower()).removesuffix("ern").removesuffix("er")
    shape = _outlines().get(m.country) if m.kind == "country" else None
    if word not in _THIRDS or shape is None:
        return m
    from shapely.geometry import box

    x0, y0, x1, y1 = shape.bounds
    fx0, fy0, fx1, fy1 = _THIRDS[word]
    piece = shape.intersection(box(x0 + fx0 * (x1 - x0), y0 + fy0 * (y1 - y0), x0 + fx1 * (x1 - x0),
                                   y0 + fy1 * (y1 - y0)))
    if piece.is_empty:
        return m
    c = piece.representative_point() if not piece.contains(piece.centroid) else piece.centroid
    hull = piece.convex_hull.exterior.coords if hasattr(piece.convex_hull, "exterior") else [(c.x, c.y)]
    radius = max(float(haversine_km(c.x, c.y, x, y)) for x, y in hull)
    return replace(m, lon=float(c.x), lat=float(c.y), precision_km=round(radius, 1), geo_precision=3)


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


__all__ = ["near_miss", "part_of_country"]
