"""Grid aggregation of events, for maps that would otherwise send the browser too many markers.

Pure numpy: events are binned on a square grid of degrees, and each cell keeps its count, the centroid of its
events, its dominant weapon type and the weapons it holds. No loop per event; a loop per cell builds the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.schema import WEAPON_NAMES, WEAPON_TYPES

#: Cell sizes tried, finest first (degrees); the first that gives at most ``max_cells`` cells is used.
CELL_SIZES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


@dataclass(frozen=True)
class Grid:
    """Aggregated cells: centroid (lon, lat), count, dominant weapon, fatalities, and a summary line each."""

    cell_deg: float
    lon: np.ndarray
    lat: np.ndarray
    count: np.ndarray
    weapon: np.ndarray
    fatalities: np.ndarray
    summary: list[str]

    def __len__(self) -> int:
        return len(self.count)


#: Above this many cells in the events' bounding box, binning falls back to a sort (np.unique).
DENSE_LIMIT = 8_000_000


def _bin(x: np.ndarray, y: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray]:
    """Cell keys (sorted, unique) and the cell of each event: dense numbering and ``bincount``, no sort."""
    gx, gy = np.floor(x / size).astype(np.int64), np.floor(y / size).astype(np.int64)
    if not len(gx):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    x0, y0 = gx.min(), gy.min()
    ny = int(gy.max() - y0) + 1
    dense = (gx - x0) * ny + (gy - y0)
    if (int(gx.max() - x0) + 1) * ny > DENSE_LIMIT:  # events spread over the world at a fine size
        return np.unique(dense, return_inverse=True)
    used = np.flatnonzero(np.bincount(dense))
    row = np.empty(int(dense.max()) + 1, dtype=np.int64)
    row[used] = np.arange(len(used))
    return used, row[dense]


def _cell_size(x: np.ndarray, y: np.ndarray, max_cells: int) -> tuple[float, np.ndarray, np.ndarray]:
    size = CELL_SIZES[-1]
    for size in CELL_SIZES:
        keys, inverse = _bin(x, y, size)
        if len(keys) <= max_cells:
            break
    return size, keys, inverse


def grid(events: gpd.GeoDataFrame, *, max_cells: int = 2000) -> Grid:
    """Bin events on the finest grid with at most ``max_cells`` non-empty cells."""
    geoms = events.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    size, keys, inverse = _cell_size(x, y, max_cells)
    n = len(keys)
    count = np.bincount(inverse, minlength=n)
    lon = np.bincount(inverse, weights=x, minlength=n) / np.maximum(count, 1)
    lat = np.bincount(inverse, weights=y, minlength=n) / np.maximum(count, 1)
    weapons = pd.Categorical(events["weapon_type"].astype("str"), categories=list(WEAPON_TYPES))
    codes = np.where(weapons.codes < 0, len(WEAPON_TYPES) - 1, weapons.codes)  # unknown values -> "unknown"
    by_weapon = np.zeros((n, len(WEAPON_TYPES)), dtype=np.int64)
    np.add.at(by_weapon, (inverse, codes), 1)
    fat = pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy(dtype=float)
    fatalities = np.bincount(inverse, weights=fat, minlength=n).astype(np.int64)
    names = list(WEAPON_TYPES)
    summary = []
    for i in range(n):
        order = np.argsort(-by_weapon[i], kind="stable")
        parts = [f"{WEAPON_NAMES[names[j]].lower()} {by_weapon[i, j]:,}" for j in order if by_weapon[i, j]]
        summary.append(f"{count[i]:,} events ({', '.join(parts[:4])}{', ...' if len(parts) > 4 else ''}); "
                       f"{fatalities[i]:,} killed")
    dominant = np.array(names, dtype=object)[by_weapon.argmax(axis=1)] if n else np.array([], dtype=object)
    return Grid(size, lon, lat, count, dominant, fatalities, summary)


def cell_events(events: gpd.GeoDataFrame, lon: float, lat: float, *, max_cells: int = 2000) -> gpd.GeoDataFrame:
    """The events of the grid cell that holds (lon, lat): a clicked cell's centroid lies inside its own cell."""
    geoms = events.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    size, _, _ = _cell_size(x, y, max_cells)
    same = (np.floor(x / size) == np.floor(lon / size)) & (np.floor(y / size) == np.floor(lat / size))
    return events[same]
