"""A spatial index over the map's points: events sorted along a Z-order (Morton) curve of the map's grid.

The drill-down grid at zoom z has square cells of ``cell_deg(z)`` degrees aligned on multiples of that size, and
each cell splits exactly into four cells of the next zoom (the size halves, in floating point too). Sorting the
events once by the Morton code of their cell at the deepest zoom makes every cell, at every zoom, one contiguous
run of the sorted events. So

- the events in a viewport are a few dozen slices of the sorted arrays (:func:`candidates`), not a scan of all;
- a zoomed-out view sums per-cell totals computed once per zoom level (:class:`Level`), not every event.

All numpy: one sort per filter, then ``searchsorted`` and ``reduceat``; no loop per event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Deepest zoom of the key: the map's maximum zoom.
FINE = 18
#: Cells per axis at FINE stay within [-2**20, 2**20): 360 degrees / cell_deg(18) is about 1.4 million.
_OFFSET = 1 << 20


def cell_deg(zoom: float, cell_px: int = 48) -> float:
    """Grid cell size in degrees at ``zoom`` (Web Mercator: 256 px span 360 degrees at zoom 0)."""
    return cell_px * 360.0 / (256.0 * 2.0 ** max(0.0, float(zoom)))


def _spread(v: np.ndarray) -> np.ndarray:
    """Put a zero bit between the bits of each value (< 2**21): half of a Morton code."""
    v = v.astype(np.uint64)
    for shift, mask in ((16, 0x0000FFFF0000FFFF), (8, 0x00FF00FF00FF00FF), (4, 0x0F0F0F0F0F0F0F0F),
                        (2, 0x3333333333333333), (1, 0x5555555555555555)):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def cells_at(lon: np.ndarray, lat: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    """Grid column and row of each point at ``zoom``: ``floor(lon / cell_deg(zoom))`` and the same for lat."""
    size = cell_deg(zoom)
    return np.floor(lon / size).astype(np.int64), np.floor(lat / size).astype(np.int64)


def morton(gx: np.ndarray, gy: np.ndarray, zoom: int) -> np.ndarray:
    """Morton code of cells (column, row) at ``zoom``; a cell's code is its FINE descendants' codes >> 2 * depth."""
    off = _OFFSET >> (FINE - zoom)
    return _spread(np.asarray(gx) + off) | (_spread(np.asarray(gy) + off) << np.uint64(1))


def sort_key(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The index's key of each point: the Morton code of its cell at the deepest zoom."""
    return morton(*cells_at(lon, lat, FINE), FINE)


def _shift(zoom: int) -> np.uint64:
    return np.uint64(2 * (FINE - zoom))


def candidates(key: np.ndarray, bounds: tuple[float, float, float, float]) -> np.ndarray:
    """Positions (ascending) of the points whose cells touch ``bounds`` (W, S, E, N): a superset of those inside.

    ``key`` is the sorted :func:`sort_key` of the points. The bounds are covered by at most 6 x 6 cells of the
    zoom whose cells are a quarter of the bounds' span, each of them one slice of the sorted points.
    """
    w, s, e, n = bounds
    span = max(e - w, n - s, 1e-9)
    zl = int(min(FINE, max(0, np.floor(np.log2(4 * cell_deg(0) / span)))))
    (x0, x1), (y0, y1) = cells_at(np.array([w, e]), np.array([s, n]), zl)
    gx, gy = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
    prefix = np.sort(morton(gx.ravel(), gy.ravel(), zl))
    lo = np.searchsorted(key, prefix << _shift(zl), side="left")
    hi = np.searchsorted(key, (prefix + np.uint64(1)) << _shift(zl), side="left")
    return runs(lo, hi)


def runs(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Concatenate the ranges ``lo[i]:hi[i]`` (ascending, apart) as one index array, without a Python loop."""
    size = hi - lo
    keep = size > 0
    lo, size = lo[keep], size[keep]
    if not len(size):
        return np.zeros(0, dtype=np.int64)
    # Each output position = its range's start + its offset within the range.
    ends = np.cumsum(size)
    return np.repeat(lo - (ends - size), size) + np.arange(int(ends[-1]))


@dataclass(frozen=True)
class Level:
    """Per-cell totals of every point at one zoom: each cell is the run ``start[i]:start[i] + count[i]``."""

    zoom: int
    key: np.ndarray  # Morton code of each cell at this zoom, ascending
    start: np.ndarray
    count: np.ndarray
    lon_sum: np.ndarray
    lat_sum: np.ndarray
    fatalities: np.ndarray  # sum, unknown counted as 0
    by_weapon: np.ndarray  # (cells, weapons) counts
    west: np.ndarray
    south: np.ndarray
    east: np.ndarray
    north: np.ndarray

    def __len__(self) -> int:
        return len(self.key)

    def touching(self, bounds: tuple[float, float, float, float]) -> np.ndarray:
        """Rows of the cells whose extent touches ``bounds`` (W, S, E, N)."""
        w, s, e, n = bounds
        return np.flatnonzero((self.east >= w) & (self.west <= e) & (self.north >= s) & (self.south <= n))

    def members(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The point positions of cells ``rows`` (ascending rows give ascending positions) and each one's row."""
        return runs(self.start[rows], self.start[rows] + self.count[rows]), np.repeat(np.arange(len(rows)),
                                                                                        self.count[rows])


def level(key: np.ndarray, lon: np.ndarray, lat: np.ndarray, fatalities: np.ndarray, weapon: np.ndarray,
          n_weapons: int, zoom: int) -> Level:
    """The :class:`Level` of sorted points at ``zoom``: a few passes over the points, once per zoom and filter."""
    cell = key >> _shift(zoom)
    if not len(cell):
        empty = np.zeros(0)
        return Level(zoom, cell, empty.astype(np.int64), empty.astype(np.int64), empty, empty, empty,
                     np.zeros((0, n_weapons), dtype=np.int64), empty, empty, empty, empty)
    first = np.r_[True, cell[1:] != cell[:-1]]
    start = np.flatnonzero(first)
    count = np.diff(np.r_[start, len(cell)])
    row = np.cumsum(first) - 1
    by_weapon = np.bincount(row * n_weapons + weapon, minlength=len(start) * n_weapons).reshape(-1, n_weapons)
    return Level(zoom, cell[start], start, count, np.add.reduceat(lon, start), np.add.reduceat(lat, start),
                 np.add.reduceat(np.nan_to_num(fatalities), start), by_weapon,
                 np.minimum.reduceat(lon, start), np.minimum.reduceat(lat, start),
                 np.maximum.reduceat(lon, start), np.maximum.reduceat(lat, start))
