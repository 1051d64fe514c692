"""Parts of areas: "southern Syria", "northern Israel", "eastern Deir ez-Zor" -> a point inside that part, with the
part's own size as radius (not the whole area's point and radius).

* A country: its Natural Earth outline (``geo.placecheck.outlines``, the bundled basemap) clipped to the third of
  its longitude/latitude extent that the word names (a quadrant for "northeastern", the middle half for "central");
  the point is the clipped part's centroid (its representative point when the centroid falls outside it), the
  radius reaches the farthest point of the part's convex hull, so every place of the part lies within it. That can
  exceed the whole country's radius (a disc of the country's area, which does not cover an elongated country):
  "northern Syria" runs 800 km from Latakia to the Iraqi border.
* An admin1 unit or a region made of admin1 units: no outline is bundled, so the unit's own GeoNames places stand
  for its extent: the places in the named third of their extent; the point is their centroid, the radius reaches
  the farthest of them plus a town's radius.

Each (area, direction) is computed once per process (an outline clip or one pass over the places: a few ms).
Nothing is estimated by hand: every point is derived from the outlines or the gazetteer's points.
"""

from __future__ import annotations

import functools
import json
import math
import re

import numpy as np

from geo.geocode.gazetteer import ASSETS, Gazetteer, centroid, haversine_km

#: Fractions (x0, y0, x1, y1) of an area's lon/lat extent that each direction word names.
#: A cardinal word names a third of the extent (on the dev articles halves put "northern Israel" at Hadera, and the
#: Galilee outside its radius), a diagonal word a quadrant.
BOXES = {"north": (0, 2 / 3, 1, 1), "south": (0, 0, 1, 1 / 3), "east": (2 / 3, 0, 1, 1), "west": (0, 0, 1 / 3, 1),
         "northeast": (0.5, 0.5, 1, 1), "northwest": (0, 0.5, 0.5, 1), "southeast": (0.5, 0, 1, 0.5),
         "southwest": (0, 0, 0.5, 0.5), "central": (0.25, 0.25, 0.75, 0.75)}
#: Bearings (degrees) of the direction words, for the ends of a sea.
BEARINGS = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225, "west": 270,
            "northwest": 315}
#: An end of a sea's length names its part when its bearing from the sea's point is within this of the word's.
END_TOLERANCE_DEG = 45.0
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
    p = shapely.centroid(piece)
    if not shapely.contains(piece, p):  # a crescent's centroid lies outside it
        p = shapely.point_on_surface(piece)
    hull = shapely.get_coordinates(shapely.convex_hull(piece))
    radius = float(np.max(haversine_km(p.x, p.y, hull[:, 0], hull[:, 1])))
    return float(p.x), float(p.y), round(max(radius, 1.0), 1)


def unit_part(gaz: Gazetteer, units: frozenset[str], where: str) -> tuple[float, float, float] | None:
    """(lon, lat, radius km) of a direction's part of admin1 units ("ISO3|admin1"), from their GeoNames places."""
    return gaz.remember("unit_part", (units, where), lambda: _unit_part(gaz, units, where))


def _unit_part(gaz: Gazetteer, units: frozenset[str], where: str) -> tuple[float, float, float] | None:
    if where not in BOXES or not units:
        return None
    places = np.sort(np.concatenate([gaz.unit_places(u) for u in sorted(units)]))  # the order of a full scan
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


def sea_part(gaz: Gazetteer, ref: str, lon: float, lat: float, radius: float,
             where: str) -> tuple[float, float, float] | None:
    """(lon, lat, radius km) of a direction's half of a sea's length; None when it lists no end that way."""
    if where not in BEARINGS:
        return None
    best = None
    for end in _sea_ends().get(ref, ()):
        i = _entry(gaz, end)
        if i < 0:
            continue
        elon, elat = float(gaz.lon[i]), float(gaz.lat[i])
        off = abs((_bearing(lon, lat, elon, elat) - BEARINGS[where] + 180) % 360 - 180)
        if off <= END_TOLERANCE_DEG and (best is None or off < best[0]):
            best = (off, elon, elat)
    if best is None:
        return None
    return _half(lon, lat, best[1], best[2], radius)


def sea_toward(gaz: Gazetteer, ref: str, lon: float, lat: float, radius: float,
               country: str) -> tuple[float, float, float] | None:
    """(lon, lat, radius km) of the half of a sea's length toward a country; None when no end of it is nearer the
    country (its outline's representative point) than the sea's own point."""
    to = _country_point(country)
    if to is None:
        return None
    home = float(haversine_km(lon, lat, *to))
    best = None
    for end in _sea_ends().get(ref, ()):
        i = _entry(gaz, end)
        if i < 0:
            continue
        d = float(haversine_km(float(gaz.lon[i]), float(gaz.lat[i]), *to))
        if d < home and (best is None or d < best[0]):
            best = (d, float(gaz.lon[i]), float(gaz.lat[i]))
    return None if best is None else _half(lon, lat, best[1], best[2], radius)


def _half(lon: float, lat: float, elon: float, elat: float, radius: float) -> tuple[float, float, float]:
    """The half of a sea's length from its point toward one end: halfway there, reaching the end."""
    mlon, mlat = centroid(np.array([lon, elon]), np.array([lat, elat]))
    reach = float(haversine_km(mlon, mlat, elon, elat))
    return mlon, mlat, math.ceil(10 * max(reach, 0.5 * radius)) / 10  # rounded up: the end stays inside


@functools.lru_cache(maxsize=256)
def _country_point(iso3: str) -> tuple[float, float] | None:
    import shapely

    from geo.placecheck import outlines

    codes, geoms, _ = outlines()
    at = codes.get_indexer([iso3])[0]
    if at < 0:
        return None
    p = shapely.point_on_surface(geoms[at])
    return float(p.x), float(p.y)


@functools.lru_cache(maxsize=1)
def _sea_ends() -> dict[str, tuple[str, ...]]:
    seas = json.loads((ASSETS / "seas.json").read_text(encoding="utf-8"))["seas"]
    return {w["id"]: tuple(w.get("ends", ())) for w in seas}


def _entry(gaz: Gazetteer, ref: str) -> int:
    """The gazetteer row of an entry id (-1 when absent): one scan of the refs per id, kept."""
    def scan() -> int:
        try:
            return gaz.ref.index(ref)
        except ValueError:
            return -1
    return gaz.remember("entry_of_ref", ref, scan)


def _bearing(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Initial bearing (degrees clockwise from north) from one point to another."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(x, y)) % 360
