"""The bundled Natural Earth countries for static maps: loading, clipping, named regions, drawing paths.

Only numpy/shapely/matplotlib paths here (no pyplot, no folium): :mod:`geo.staticmap.snapshot` draws with them.
Natural Earth data is in the public domain; the file is ``geo.countries.COUNTRIES_PATH``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from matplotlib.path import Path as MplPath

from geo.errors import ExportError
from geo.schema import country_name
from geo.countries import COUNTRIES_PATH as BASEMAP_PATH

BBox = tuple[float, float, float, float]

#: Basemap credit, shown on every static map and in the report README.
CREDIT = "Basemap: Natural Earth (public domain)"


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, ...], np.ndarray]:
    """(names, shapely geometries) of the bundled countries, read once per process."""
    import orjson

    data = orjson.loads(BASEMAP_PATH.read_bytes())
    names = tuple(str(f["properties"].get("name", "")) for f in data["features"])
    geoms = shapely.from_geojson([orjson.dumps(f["geometry"]).decode() for f in data["features"]])
    return names, shapely.orient_polygons(shapely.make_valid(geoms))


def clipped(bbox: BBox) -> tuple[list[str], np.ndarray]:
    """Names and geometries of the countries that reach into *bbox*, cut to it (W,S,E,N, W < E)."""
    names, geoms = countries()
    cut = shapely.clip_by_rect(geoms, *bbox)
    keep = ~shapely.is_empty(cut)
    return [n for n, k in zip(names, keep) if k], shapely.orient_polygons(cut[keep])


def polygon_path(geoms: np.ndarray) -> MplPath:
    """One compound matplotlib Path of all polygon rings (exteriors CCW, holes CW: holes stay empty)."""
    parts = shapely.get_parts(geoms)
    rings = shapely.get_rings(parts[shapely.get_type_id(parts) == 3])
    if not len(rings):
        return MplPath(np.zeros((0, 2)))
    coords, index = shapely.get_coordinates(rings, return_index=True)
    starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1]
    codes = np.full(len(coords), MplPath.LINETO, dtype=np.uint8)
    codes[starts] = MplPath.MOVETO
    codes[np.r_[starts[1:], len(coords)] - 1] = MplPath.CLOSEPOLY
    return MplPath(coords, codes)


def region_bbox(region: str) -> BBox:
    """Bounds of a named region: a country name or ISO3 code, or several joined by '+' ('IRQ+SYR').

    Raises ExportError naming the part that is not a country of the basemap.
    """
    names, geoms = countries()
    index = {n.casefold(): i for i, n in enumerate(names)}
    picked = []
    for part in (p.strip() for p in region.split("+")):
        key = country_name(part.upper()).casefold() if len(part) == 3 and part.isalpha() else part.casefold()
        if key not in index:
            raise ExportError(f"region '{part}' is not a country of the basemap; use an ISO3 code (IRQ) or a "
                              "country name (Iraq), several joined by '+'")
        picked.append(geoms[index[key]])
    w, s, e, n = shapely.total_bounds(np.array(picked, dtype=object))
    return (float(w), float(s), float(e), float(n))
