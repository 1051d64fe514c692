"""Reverse geocoding, offline and vectorised: points -> country (ISO3) and admin1.

The country is the polygon of the bundled Natural Earth basemap that holds the point (a shapely STRtree query over
all points at once); points that fall in no polygon (coasts simplified away, the sea) take the country of the
nearest GeoNames place within 25 km. The admin1 is that of the nearest GeoNames place of the same country
(a scipy cKDTree on unit vectors).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.geocode import gazetteer as gz

_COAST_KM = 25.0
_K = 8


@dataclass(frozen=True)
class _Index:
    tree: shapely.STRtree
    iso3: np.ndarray
    places: cKDTree
    place_country: np.ndarray
    place_admin1: np.ndarray


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    from geo.geocode.build import _BASEMAP, _NE_NAMES

    gaz = gz.load()
    by_name = {gz.normalize(v): k for k, v in gaz.country_names.items()}
    geoms, codes = [], []
    for f in json.loads(_BASEMAP.read_text(encoding="utf-8"))["features"]:
        name = f["properties"]["name"]
        code = _NE_NAMES.get(name) or by_name.get(gz.normalize(name))
        if code:
            geoms.append(shapely.geometry.shape(f["geometry"]))
            codes.append(code)
    places = np.flatnonzero(gaz.kind == "place")
    return _Index(shapely.STRtree(geoms), np.array(codes, dtype=object), cKDTree(_unit(gaz.lon[places], gaz.lat[places])),
                  gaz.country[places], gaz.admin1[places])


def reverse(lon: object, lat: object) -> pd.DataFrame:
    """Country (ISO3, '' when none) and admin1 ('' when none) of each point; ``lon``/``lat`` are array-likes.

    Invalid points (NaN, out of range) get ''. About a million points a few seconds on one core.
    """
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    if lon.shape != lat.shape:
        raise ValueError(f"reverse: {lon.size} longitudes but {lat.size} latitudes; give one of each per point")
    idx = _index()
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    country = np.full(lon.size, "", dtype=object)
    admin1 = np.full(lon.size, "", dtype=object)
    if not ok.any():
        return pd.DataFrame({"country": country, "admin1": admin1})
    sel = np.flatnonzero(ok)
    pts = shapely.points(lon[sel], lat[sel])
    hit_pt, hit_poly = idx.tree.query(pts, predicate="intersects")
    country[sel[hit_pt]] = idx.iso3[hit_poly]
    dist, near = idx.places.query(_unit(lon[sel], lat[sel]), k=_K)
    near_country = idx.place_country[near]
    km = 2 * 6371.0088 * np.arcsin(np.minimum(dist / 2, 1.0))
    missing = country[sel] == ""
    coastal = missing & (km[:, 0] <= _COAST_KM)
    country[sel[coastal]] = near_country[coastal, 0]
    same = near_country == country[sel][:, None]
    first = np.where(same.any(axis=1), same.argmax(axis=1), -1)
    has = first >= 0
    admin1[sel[has]] = idx.place_admin1[near[has, first[has]]]
    return pd.DataFrame({"country": country, "admin1": admin1})
