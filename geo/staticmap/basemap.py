"""The bundled basemap for static maps: countries, 1:10m borders, provinces, rivers, lakes, relief, places.

The files are those of the web map (``geo/assets/web/basemap``, built by ``geo/assets/build_basemap.py``), read
once per process with numpy/shapely and drawn as a few matplotlib paths (no pyplot, no folium). Natural Earth data
is in the public domain; GSHHG is LGPL; GeoNames is CC BY 4.0 (credited on every map).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from matplotlib.path import Path as MplPath

from geo.countries import COUNTRIES_PATH as BASEMAP_PATH
from geo.errors import ExportError
from geo.schema import country_name

BBox = tuple[float, float, float, float]
BASEMAP_DIR = BASEMAP_PATH.parent

#: Basemap credit, shown on every static map and in the report README.
CREDIT = "Basemap: Natural Earth (public domain), GSHHG (LGPL); places: GeoNames (CC BY 4.0)"
#: Below these spans (degrees of latitude shown) the finer layers are drawn.
DETAIL_SPAN, PROVINCE_SPAN, MINOR_RIVER_SPAN = 20.0, 16.0, 7.0


@lru_cache(maxsize=1)
def styles() -> dict[str, dict[str, str]]:
    """Colours of the light, dark and terrain styles (the web map's own table)."""
    return json.loads((BASEMAP_DIR / "styles.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, ...], np.ndarray]:
    """(names, shapely geometries) of the bundled world countries (1:50m), read once per process."""
    return _polygons(BASEMAP_PATH)


@lru_cache(maxsize=8)
def _polygons(path) -> tuple[tuple[str, ...], np.ndarray]:
    import orjson

    data = orjson.loads(path.read_bytes())
    names = tuple(str(f["properties"].get("name", "")) for f in data["features"])
    geoms = shapely.from_geojson([orjson.dumps(f["geometry"]).decode() for f in data["features"]])
    return names, shapely.orient_polygons(shapely.make_valid(geoms))


@lru_cache(maxsize=8)
def lines(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(geometries, rank) of a line layer: ``rivers`` (rank 1 big, 2 minor) or ``admin1`` (rank 0)."""
    import orjson

    data = orjson.loads((BASEMAP_DIR / f"{name}.geojson").read_bytes())
    geoms = shapely.from_geojson([orjson.dumps(f["geometry"]).decode() for f in data["features"]])
    rank = np.array([int(f["properties"].get("rank", 0)) for f in data["features"]])
    return geoms, rank


@lru_cache(maxsize=4)
def table(name: str) -> tuple[list[str], list[list]]:
    """(columns, rows) of ``places`` or ``labels``."""
    data = json.loads((BASEMAP_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data["columns"], data["rows"]


def detail_bbox() -> BBox:
    return tuple(json.loads((BASEMAP_DIR / "manifest.json").read_text())["detail_bbox"])  # type: ignore[return-value]


def in_detail(extent: BBox) -> bool:
    """Whether *extent* lies in the area the finer layers cover, and is small enough to want them."""
    w, s, e, n = extent
    dw, ds, de, dn = detail_bbox()
    return n - s <= DETAIL_SPAN and w < de and e > dw and s < dn and n > ds


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
    return _path(rings, closed=True)


def line_path(geoms: np.ndarray) -> MplPath:
    """One matplotlib Path of all lines."""
    parts = shapely.get_parts(geoms)
    return _path(parts[shapely.get_type_id(parts) == 1], closed=False)


def _path(rings: np.ndarray, *, closed: bool) -> MplPath:
    if not len(rings):
        return MplPath(np.zeros((0, 2)))
    coords, index = shapely.get_coordinates(rings, return_index=True)
    starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1]
    codes = np.full(len(coords), MplPath.LINETO, dtype=np.uint8)
    codes[starts] = MplPath.MOVETO
    if closed:
        codes[np.r_[starts[1:], len(coords)] - 1] = MplPath.CLOSEPOLY
    return MplPath(coords, codes)


def draw(ax: Any, extent: BBox, *, style: str = "light", linewidth: float = 0.5, detail: bool = True) -> None:
    """Sea, land, relief (terrain), lakes, rivers, provinces and borders of *extent* on *ax*."""
    from matplotlib.patches import PathPatch

    c = styles()[style]
    w, s, e, n = extent
    margin = 0.05 * max(e - w, n - s)
    box = (w - margin, s - margin, e + margin, n + margin)
    fine = detail and in_detail(extent)
    _, land = clipped(box)
    ax.set_facecolor(c["sea"])
    _add(ax, PathPatch(polygon_path(land), facecolor=c["land"], edgecolor="none", zorder=1))
    if style == "terrain" and fine:
        relief, bounds = terrain()
        ax.imshow(relief, extent=bounds, origin="upper", zorder=1.2, alpha=0.8, interpolation="bilinear",
                  aspect=ax.get_aspect())
        ax.set_xlim(w, e)
        ax.set_ylim(s, n)
    if fine:
        _, lakes = _polygons(BASEMAP_DIR / "lakes.geojson")
        _add(ax, PathPatch(polygon_path(shapely.clip_by_rect(lakes, *box)), facecolor=c["water"],
                               edgecolor=c["river"], linewidth=0.3 * linewidth / 0.5, zorder=1.5))
        rivers, rank = lines("rivers")
        for r, width in ((1, 1.1), (2, 0.5)):
            if r == 2 and n - s > MINOR_RIVER_SPAN:
                continue
            path = line_path(shapely.clip_by_rect(rivers[rank == r], *box))
            _add(ax, PathPatch(path, facecolor="none", edgecolor=c["river"], linewidth=width * linewidth / 0.5,
                                   zorder=1.6, capstyle="round"))
        if n - s <= PROVINCE_SPAN:
            admin, _ = lines("admin1")
            _add(ax, PathPatch(line_path(shapely.clip_by_rect(admin, *box)), facecolor="none",
                                   edgecolor=c["admin"], linewidth=0.6 * linewidth / 0.5, linestyle=(0, (4, 2.5)),
                                   zorder=1.7))
        _, borders = _polygons(BASEMAP_DIR / "borders.geojson")
        _add(ax, PathPatch(polygon_path(shapely.clip_by_rect(borders, *box)), facecolor="none",
                               edgecolor=c["border"], linewidth=linewidth * 1.6, zorder=1.8))
    else:
        _add(ax, PathPatch(polygon_path(land), facecolor="none", edgecolor=c["border"], linewidth=linewidth,
                               zorder=1.8))


def _add(ax: Any, patch: Any) -> None:
    """Add a patch without matplotlib's per-vertex data-limit update (seconds for a coastline; limits are set)."""
    ax.add_artist(patch)


@lru_cache(maxsize=1)
def terrain() -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The shaded relief resampled back from Web Mercator to plate carree rows, and its (W, E, S, N) extent."""
    from PIL import Image

    manifest = json.loads((BASEMAP_DIR / "manifest.json").read_text())
    (s, w), (n, e) = manifest["terrain_bounds"]
    image = np.asarray(Image.open(BASEMAP_DIR / "terrain.jpg").convert("RGB"))
    merc = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731
    rows = image.shape[0]
    lat = np.linspace(n, s, int(round(image.shape[1] * (n - s) / (e - w))))
    src = np.clip(np.round((merc(n) - merc(lat)) / (merc(n) - merc(s)) * (rows - 1)).astype(int), 0, rows - 1)
    return image[src], (w, e, s, n)


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
