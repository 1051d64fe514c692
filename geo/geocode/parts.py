"""Parts of areas: "southern Syria", "northern Israel", "eastern Deir ez-Zor" -> a point inside that part, with the
part's own size as radius (not the whole area's point and radius).

* A country: its Natural Earth outline (``geo.placecheck.outlines``, the bundled basemap) clipped to the third of
  its longitude/latitude extent that the word names (the half for "southern", a quadrant for "northeastern", the
  middle half for "central"); the point is the clipped part's representative point (always inside it), the radius
  half the diagonal of the part's bounds plus the point's distance from their centre, so that the circle around
  the bounds, and with it every place of the part, lies within it.
* An admin1 unit or a region made of admin1 units: no outline is bundled, so the unit's own GeoNames places stand
  for its extent: the places in the named third of their extent; the point is their centroid, the radius reaches
  the farthest of them plus a town's radius.

Each (area, direction) is computed once per process (an outline clip or one pass over the places: a few ms).
Nothing is estimated by hand: every point is derived from the outlines or the gazetteer's points.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from geo.geocode.gazetteer import Gazetteer, centroid, haversine_km

#: Fractions (x0, y0, x1, y1) of an area's lon/lat extent that each direction word names.
#: A cardinal word names a half: "southern Israel" in reports reaches Beersheba and the Gaza border, not only the
#: southern third (the Negev's tip).
BOXES = {"north": (0, 0.5, 1, 1), "south": (0, 0, 1, 0.5), "east": (0.5, 0, 1, 1), "west": (0, 0, 0.5, 1),
         "northeast": (0.5, 0.5, 1, 1), "northwest": (0, 0.5, 0.5, 1), "southeast": (0.5, 0, 1, 0.5),
         "southwest": (0, 0, 0.5, 0.5), "central": (0.25, 0.25, 0.75, 0.75)}
#: Places of a unit's part are GeoNames points: the event may lie this far beyond the farthest of them.
PLACE_MARGIN_KM = 10.0
#: Fewer places than this in the part say too little about its extent: the whole area is answered instead.
MIN_PLACES = 3


def direction(word: str) -> str | None:
    """ "southern", "South", "north-eastern", "NE" -> a key of ``BOXES`` (None for other words)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    w = {"ne": "northeast", "nw": "northwest", "se": "southeast", "sw": "southwest"}.get(w, w)
    for suffix in ("ern", "erly"):
        if w.endswith(suffix) and w[:-len(suffix)] in BOXES:
            return w[:-len(suffix)]
    if w in ("centre", "center", "middle"):
        return "central"
    return w if w in BOXES else None


@functools.lru_cache(maxsize=1024)
def country_part(iso3: str, where: str) -> tuple[float, float, float] | None:
    """(lon, lat, radius km) of a direction's part of a country's outline; None without an outline."""
    import shapely

    from geo.placecheck import outlines

    codes, geoms, _ = outlines()
    at = codes.get_indexer([iso3])[0]
    if at < 0 or where not in BOXES:
        return None
    shape = geoms[at]
    x0, y0, x1, y1 = shapely.bounds(shape).tolist()
    fx0, fy0, fx1, fy1 = BOXES[where]
    piece = shapely.intersection(shape, shapely.box(x0 + fx0 * (x1 - x0), y0 + fy0 * (y1 - y0),
                                                     x0 + fx1 * (x1 - x0), y0 + fy1 * (y1 - y0)))
    if piece.is_empty:
        return None
    p = shapely.point_on_surface(piece)
    bx0, by0, bx1, by1 = shapely.bounds(piece).tolist()
    cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
    radius = float(haversine_km(bx0, by0, bx1, by1)) / 2 + float(haversine_km(p.x, p.y, cx, cy))
    return float(p.x), float(p.y), round(max(radius, 1.0), 1)


def unit_part(gaz: Gazetteer, units: frozenset[str], where: str) -> tuple[float, float, float] | None:
    """(lon, lat, radius km) of a direction's part of admin1 units ("ISO3|admin1"), from their GeoNames places."""
    return gaz.remember("unit_part", (units, where), lambda: _unit_part(gaz, units, where))


def _unit_part(gaz: Gazetteer, units: frozenset[str], where: str) -> tuple[float, float, float] | None:
    if where not in BOXES or not units:
        return None
    countries = {u.split("|", 1)[0] for u in units}
    places = np.flatnonzero(np.isin(gaz.country, list(countries)) & (gaz.kind == "place"))
    keys = gaz.country[places] + "|" + gaz.admin1[places]
    places = places[np.isin(keys, list(units))]
    if len(places) < MIN_PLACES:
        return None
    lon, lat = gaz.lon[places], gaz.lat[places]
    x0, x1 = np.percentile(lon, [2, 98])  # a stray point (a mis-coded village) does not stretch the extent
    y0, y1 = np.percentile(lat, [2, 98])
    fx0, fy0, fx1, fy1 = BOXES[where]
    inside = ((lon >= x0 + fx0 * (x1 - x0)) & (lon <= x0 + fx1 * (x1 - x0))
              & (lat >= y0 + fy0 * (y1 - y0)) & (lat <= y0 + fy1 * (y1 - y0)))
    if inside.sum() < MIN_PLACES:
        return None
    clon, clat = centroid(lon[inside], lat[inside])
    radius = float(np.max(haversine_km(clon, clat, lon[inside], lat[inside]))) + PLACE_MARGIN_KM
    return clon, clat, round(radius, 1)
