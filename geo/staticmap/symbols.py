"""Event symbols of a static map: events at one site stacked into one circle with a count, their short names, and
the reference sizes of the size legend.  Whole columns only (groupby), never a loop per event."""

from __future__ import annotations

import json
import math
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.staticmap.basemap import table
from geo.webmap.popups import marker_radius

#: Events closer than this (degrees, ~500 m) are drawn as one site.
SITE_GRID = 0.005
SITES_PATH = __import__("pathlib").Path(__file__).resolve().parent.parent / "assets" / "gazetteer" / "sites.json"


def stacks(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per site: x, y, n (events), fatalities (sum of the lowest reported), weapon (the most common),
    radius (dashboard pixels, by fatalities), biggest first."""
    geoms = events.geometry.to_numpy()
    frame = pd.DataFrame({"x": shapely.get_x(geoms), "y": shapely.get_y(geoms),
                          "weapon": events["weapon_type"].astype("str").to_numpy(),
                          "f": pd.to_numeric(events["fatalities"], errors="coerce").to_numpy()})
    frame["kx"] = np.round(frame["x"] / SITE_GRID).astype("int64")
    frame["ky"] = np.round(frame["y"] / SITE_GRID).astype("int64")
    keys = ["kx", "ky"]
    sites = frame.groupby(keys, sort=True).agg(x=("x", "mean"), y=("y", "mean"), n=("x", "size"),
                                                fatalities=("f", "sum"), known=("f", "count"))
    top = (frame.groupby(keys + ["weapon"], sort=True).size().rename("k").reset_index()
           .sort_values(keys + ["k", "weapon"], ascending=[True, True, False, True], kind="stable")
           .drop_duplicates(keys).set_index(keys)["weapon"])
    sites["weapon"] = top
    sites["fatalities"] = sites["fatalities"].where(sites["known"] > 0)
    sites["radius"] = marker_radius(sites["fatalities"].astype("Float64"))
    sites = sites.reset_index(drop=True)
    return sites.sort_values(["radius", "n", "x", "y"], ascending=[False, False, True, True],
                             kind="stable").reset_index(drop=True)


@lru_cache(maxsize=1)
def _named_points() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lon, lat, name, reach km) of the curated sites, then the GeoNames places."""
    sites = json.loads(SITES_PATH.read_text(encoding="utf-8"))["sites"]
    cols, rows = table("places")
    i = {c: k for k, c in enumerate(cols)}
    lon = np.array([s["lon"] for s in sites] + [r[i["lon"]] for r in rows], dtype=float)
    lat = np.array([s["lat"] for s in sites] + [r[i["lat"]] for r in rows], dtype=float)
    names = np.array([_short(s["name"]) for s in sites] + [r[i["name"]] for r in rows], dtype=object)
    # A curated site names the events within its own size; a town those within 8 km (a city within 15 km).
    reach = np.array([max(2.0, float(s.get("precision_km") or 2.0)) for s in sites]
                     + [15.0 if r[i["population"]] >= 300_000 else 8.0 for r in rows])
    return lon, lat, names, reach


def _short(name: str) -> str:
    """"Camp Victory (Victory Base Complex)" -> "Camp Victory"."""
    return name.split(" (")[0].strip()


def site_names(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The short name of the curated site or GeoNames place at each point (None where nothing is near)."""
    from scipy.spatial import cKDTree

    lon, lat, names, reach = _named_points()
    k = np.cos(np.radians(np.clip(y.mean() if len(y) else 0.0, -80, 80)))
    tree = cKDTree(np.column_stack([lon * k, lat]))
    dist, idx = tree.query(np.column_stack([x * k, y]), k=min(8, len(lon)))
    dist, idx = np.atleast_2d(dist), np.atleast_2d(idx)
    km = dist * 111.32
    ok = km <= reach[idx]
    # The first candidate in reach: curated sites come first in the table, so at equal reach a site beats a town.
    score = np.where(ok, km / reach[idx] + (idx >= _n_sites()) * 0.5, np.inf)
    best = np.argmin(score, axis=1)
    chosen = idx[np.arange(len(x)), best]
    found = np.isfinite(score[np.arange(len(x)), best])
    return np.where(found, names[chosen], None)


@lru_cache(maxsize=1)
def _n_sites() -> int:
    return len(json.loads(SITES_PATH.read_text(encoding="utf-8"))["sites"])


def reference_sizes(fatalities: pd.Series) -> list[int]:
    """Two or three round fatality counts spanning the drawn symbols (``[1, 10, 50]``); [] when none died."""
    values = pd.to_numeric(fatalities, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    if top < 1:
        return []
    nice = [m * 10**k for k in range(0, 7) for m in (1, 2, 5)]
    high = max(v for v in nice if v <= top)
    if top >= 1.5 * high:  # the biggest circle would dwarf the top reference: round up instead
        high = min(v for v in nice if v >= top)
    if high <= 2:
        return sorted({1, int(high)})
    mid = min(nice, key=lambda v: abs(math.log(v) - math.log(high) / 2))
    return sorted({1, mid, high})


@lru_cache(maxsize=64)
def disc(radius: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column offsets of the pixels of a disc of *radius* pixels."""
    y, x = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    keep = x * x + y * y <= radius * radius + radius * 0.6
    return y[keep].astype(np.int32), x[keep].astype(np.int32)


def stamp_discs(image: np.ndarray, rows: np.ndarray, cols: np.ndarray, radius: np.ndarray, fill: np.ndarray,
                edge: int) -> None:
    """Draw discs on the palette-index *image* (H x W, uint8) in place: an *edge* rim, then the *fill* index of
    each disc; biggest first, so small symbols stay on top.  One flat vectorised write per distinct radius, on a
    padded copy so that discs cut by the border need no per-pixel test."""
    if not len(rows):
        return
    height, width = image.shape
    pad = int(radius.max()) + 2
    keep = (rows > -pad) & (rows < height + pad) & (cols > -pad) & (cols < width + pad)
    rows, cols, radius, fill = rows[keep], cols[keep], radius[keep], fill[keep]
    wide = width + 2 * pad
    canvas = np.zeros((height + 2 * pad, wide), dtype=image.dtype)
    canvas[pad:-pad, pad:-pad] = image
    flat = canvas.reshape(-1)
    centre = (rows.astype(np.int64) + pad) * wide + cols + pad
    for r in np.unique(radius)[::-1]:
        chosen = radius == r
        at = centre[chosen]
        for size, values in ((int(r) + 1, None), (int(r), fill[chosen])):
            dy, dx = disc(size)
            index = (at[:, None] + (dy * wide + dx)[None, :]).reshape(-1)
            flat[index] = edge if values is None else np.repeat(values, len(dy))
    image[:] = canvas[pad:-pad, pad:-pad]
