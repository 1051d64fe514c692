"""What the map shows for one view: the events in the viewport aggregated to at most a few thousand features.

The drill-down map sends the browser only what is in view. Zoomed out, events fall into cells of a grid aligned
on the world (so cells stay put while panning) whose size follows the zoom (about ``CELL_PX`` screen pixels);
once few enough events are in view (``SINGLE_LIMIT``) every event is its own feature with its popup. Cells are
the contract shape that store engines also return (INTERFACES.md): ``lon, lat, count, weapon_type, fatalities``
and ``event_id`` where ``count == 1``; this module adds the extent of each cell (``west, south, east, north``),
so a click can zoom exactly onto its events, and a ``summary`` line.

Pure numpy, no loop per event. The points are sorted once per filter along a Z-order curve of the grid
(:mod:`geo.webmap.spatial`), so the events in view are a few slices, not a scan of every event, and a zoomed-out
view with many events sums per-cell totals computed once per zoom level.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable

import numpy as np
import pandas as pd
import shapely

from geo.schema import WEAPON_NAMES, WEAPON_TYPES
from geo.webmap import spatial

#: Cell size in screen pixels at the current zoom (a cluster circle is about this wide).
CELL_PX = 48
#: Up to this many events in view, every event is drawn on its own (co-located ones spiderfy).
SINGLE_LIMIT = 2500
#: Never more features than this in one view (cells grow until they fit).
MAX_FEATURES = 5000
#: From this many events, the points are sorted into a spatial index (see :mod:`geo.webmap.spatial`).
INDEX_FROM = 200_000
#: Above this many events in view, a view at a whole zoom up to LEVEL_MAX sums the zoom's precomputed cells.
LEVEL_FROM = 50_000
LEVEL_MAX = 12
_WEAPONS = np.array(list(WEAPON_TYPES), dtype=object)
_UNKNOWN = list(WEAPON_TYPES).index("unknown")

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Points:
    """The columns of events that the map needs, as arrays (built once per filter), sorted by :attr:`key`."""

    lon: np.ndarray
    lat: np.ndarray
    weapon: np.ndarray  # int8 code into WEAPON_TYPES
    fatalities: np.ndarray  # float64, NaN when unknown
    day: np.ndarray  # datetime64[D]
    event_id: object  # the frame's event ids (a pandas array), by frame position: ``event_id.take(row[i])``
    row: np.ndarray  # position of each point's event in the frame it came from
    key: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))  # spatial.sort_key, ascending
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # derived arrays, built on first use

    def __len__(self) -> int:
        return len(self.lon)

    def bounds(self) -> BBox | None:
        if not len(self):
            return None
        return (float(self.lon.min()), float(self.lat.min()), float(self.lon.max()), float(self.lat.max()))

    def ids(self, positions: np.ndarray) -> np.ndarray:
        """Event ids of the points at ``positions``."""
        return np.asarray(self.event_id.take(self.row[positions]), dtype=object)

    def level(self, zoom: int) -> spatial.Level:
        """Per-cell totals at ``zoom`` (computed on first use, then kept with the points)."""
        if ("level", zoom) not in self.memo:
            self.memo["level", zoom] = spatial.level(self.key, self.lon, self.lat, self.fatalities, self.weapon,
                                                     len(_WEAPONS), zoom)
        return self.memo["level", zoom]


def points(events: pd.DataFrame) -> Points:
    """:class:`Points` of events in the project schema (rows without a point are left out)."""
    geoms = events.geometry.to_numpy()
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    ok = np.isfinite(lon) & np.isfinite(lat)
    codes = weapon_codes(events["weapon_type"])
    fat = pd.to_numeric(events["fatalities"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    day = pd.to_datetime(events["date"]).to_numpy().astype("datetime64[D]")
    row = np.flatnonzero(ok)
    if not ok.all():
        lon, lat, codes, fat, day = lon[ok], lat[ok], codes[ok], fat[ok], day[ok]
    ids = events["event_id"].array
    if len(lon) < INDEX_FROM:  # a scan of so few is as fast as the index, which costs a sort per filter
        return Points(lon, lat, codes, fat, day, ids, row)
    key = spatial.sort_key(lon, lat)
    order = np.argsort(key)  # the order within a fine cell does not matter
    return Points(lon[order], lat[order], codes[order], fat[order], day[order], ids, row[order], key[order])


def kept_rows(events: pd.DataFrame, filtered: pd.DataFrame) -> np.ndarray | None:
    """Which rows of ``events`` are in ``filtered`` (a subset of them, in order), or None when the frames'
    index cannot tell (not unique)."""
    if filtered is events or len(filtered) == len(events) and filtered.index.equals(events.index):
        return np.ones(len(events), dtype=bool)
    if not events.index.is_unique:
        return None
    at = events.index.get_indexer(filtered.index)
    if (at < 0).any():
        return None
    keep = np.zeros(len(events), dtype=bool)
    keep[at] = True
    return keep


def select(pts: Points, keep: np.ndarray, filtered: pd.DataFrame) -> Points:
    """The :class:`Points` of the rows ``keep`` (a mask over the frame ``pts`` came from), which make up
    ``filtered``: a mask of the sorted arrays, so a filter change costs no new sort."""
    ids = filtered["event_id"].array
    if keep.all():
        return replace(pts, event_id=ids, memo={})
    at = keep[pts.row]
    new_row = (np.cumsum(keep) - 1)[pts.row[at]]
    key = pts.key[at] if len(pts.key) else pts.key
    return Points(pts.lon[at], pts.lat[at], pts.weapon[at], pts.fatalities[at], pts.day[at], ids, new_row, key)


def weapons_present(events: pd.DataFrame) -> list[str]:
    """The weapon types of *events* in vocabulary order (through the categories: no loop over a million strings)."""
    if "weapon_type" not in events.columns or events.empty:
        return []
    codes = weapon_codes(events["weapon_type"])
    seen = np.bincount(codes, minlength=len(_WEAPONS)) > 0
    return [str(w) for w in _WEAPONS[seen]]


def weapon_codes(weapons: pd.Series) -> np.ndarray:
    """Code of each weapon type in WEAPON_TYPES (unknown values -> "unknown"), through the categories when the
    column is categorical (a million strings are never compared one by one)."""
    if isinstance(weapons.dtype, pd.CategoricalDtype):
        cats = pd.Categorical(weapons.cat.categories.astype("str"), categories=list(WEAPON_TYPES)).codes
        table = np.where(cats < 0, _UNKNOWN, cats).astype(np.int8)
        codes = weapons.cat.codes.to_numpy()
        return np.where(codes < 0, _UNKNOWN, table[np.maximum(codes, 0)] if len(table) else _UNKNOWN).astype(np.int8)
    cat = pd.Categorical(weapons.astype("str"), categories=list(WEAPON_TYPES)).codes
    return np.where(cat < 0, _UNKNOWN, cat).astype(np.int8)


def cell_deg(zoom: float) -> float:
    """Grid cell size in degrees of longitude at ``zoom`` (Web Mercator: 256 px span 360 degrees at zoom 0)."""
    return spatial.cell_deg(zoom, CELL_PX)


def _padded(bounds: BBox, margin: float) -> BBox:
    w, s, e, n = bounds
    dx, dy = (e - w) * margin, (n - s) * margin
    return w - dx, s - dy, e + dx, n + dy


def _inside(pts: Points, bounds: BBox) -> np.ndarray:
    """Positions (ascending) of the points inside ``bounds``: the index's few slices, then an exact test."""
    w, s, e, n = bounds
    cand = spatial.candidates(pts.key, (max(w, -270.0), max(s, -90.0), min(e, 270.0), min(n, 90.0))) \
        if len(pts.key) else None
    lon, lat = (pts.lon, pts.lat) if cand is None else (pts.lon[cand], pts.lat[cand])
    keep = np.flatnonzero((lon >= w) & (lon <= e) & (lat >= s) & (lat <= n))
    return keep if cand is None else cand[keep]


def in_view(pts: Points, bounds: BBox, *, margin: float = 0.15) -> np.ndarray:
    """Indices of the events inside ``bounds`` (W, S, E, N), widened by ``margin`` of the view each side."""
    return _inside(pts, _padded(bounds, margin))


@dataclass(frozen=True)
class Assignment:
    """The features of one view: ``cells``, the single events among them (``singles``, point positions) and,
    computed on first use, which feature each event in view belongs to (``members``, ``feature``)."""

    cells: pd.DataFrame
    singles: np.ndarray
    _membership: Callable[[], tuple[np.ndarray, np.ndarray]] = field(repr=False, compare=False)

    @cached_property
    def _pair(self) -> tuple[np.ndarray, np.ndarray]:
        return self._membership()

    @property
    def members(self) -> np.ndarray:
        return self._pair[0]

    @property
    def feature(self) -> np.ndarray:
        return self._pair[1]


def _singles(pts: Points, idx: np.ndarray) -> Assignment:
    cells = pd.DataFrame({
        "lon": pts.lon[idx], "lat": pts.lat[idx], "count": np.ones(len(idx), dtype=np.int64),
        "weapon_type": _WEAPONS[pts.weapon[idx]], "fatalities": np.nan_to_num(pts.fatalities[idx]).astype(np.int64),
        "event_id": pts.ids(idx),
        "west": pts.lon[idx], "south": pts.lat[idx], "east": pts.lon[idx], "north": pts.lat[idx],
    })
    cells["summary"] = ""
    return Assignment(cells, idx, lambda: (idx, np.arange(len(idx))))


def _keep_apart(cells: pd.DataFrame, size: float, deg_per_px: float) -> None:
    """Draw each circle inside its own grid square, shrunk by the circle's radius, as near its events' centre as
    that allows: circles of neighbouring cells then never overlap (at the centre alone two can nearly coincide).
    A cell of one event stays at that event's own place."""
    count = cells["count"].to_numpy()
    many = count > 1
    if not many.any():
        return
    # the circle's size in px, as layers.js's bubble() draws it
    px = np.minimum(44.0, 20.0 + 6.0 * np.log10(count[many]))
    margin = np.minimum(px / 2 * deg_per_px, size / 2)
    for col in ("lon", "lat"):
        value = cells[col].to_numpy(dtype="float64").copy()
        low = np.floor(value[many] / size) * size
        value[many] = np.clip(value[many], low + margin, low + size - margin)
        cells[col] = value


def _grid(pts: Points, idx: np.ndarray | slice, size: float) -> tuple[np.ndarray, np.ndarray, int, tuple]:
    """Dense cell number of each event (cells aligned on multiples of ``size``), counts, cells, grid origin."""
    gx, gy = np.floor(pts.lon[idx] / size).astype(np.int64), np.floor(pts.lat[idx] / size).astype(np.int64)
    x0, y0 = gx.min(), gy.min()
    ny = int(gy.max() - y0) + 1
    key = (gx - x0) * ny + (gy - y0)
    return key, np.bincount(key), int(key.max()) + 1, (int(x0), int(y0), ny, size)


def assign(pts: Points, bounds: BBox, zoom: float, *, single_limit: int = SINGLE_LIMIT,
           max_features: int = MAX_FEATURES) -> Assignment:
    """The features of one view and which of them each event in view belongs to."""
    idx = in_view(pts, bounds)
    if len(idx) <= single_limit:
        return _singles(pts, idx)
    if len(idx) > LEVEL_FROM and len(pts.key) and float(zoom).is_integer() and 0 <= zoom <= LEVEL_MAX:
        return _from_levels(pts, _padded(bounds, 0.15), int(zoom), max_features)
    sel: np.ndarray | slice = slice(None) if len(idx) == len(pts) else idx  # all in view: no copies
    size = cell_deg(zoom)
    while True:
        key, count, n_keys, origin = _grid(pts, sel, size)
        used = np.flatnonzero(count)
        if len(used) <= max_features or size > 90:
            break
        size *= 2
    row = np.full(n_keys, -1, dtype=np.int64)
    row[used] = np.arange(len(used))
    feature = row[key]
    cells = _cells(pts, sel, idx, feature, len(used), used, origin)
    _keep_apart(cells, size, cell_deg(zoom) / CELL_PX)
    single = cells["count"].to_numpy() == 1
    return Assignment(cells, idx[single[feature]], lambda: (idx, feature))


def _from_levels(pts: Points, bounds: BBox, zoom: int, max_features: int) -> Assignment:
    """A zoomed-out view from the per-cell totals of its zoom (coarser ones while there are too many cells):
    the cells that touch the view, whole. The same grid as :func:`assign` draws from the events."""
    for z in range(zoom, -1, -1):
        lv = pts.level(z)
        rows = lv.touching(bounds)
        if len(rows) <= max_features:
            break
    count = lv.count[rows]
    by_weapon = lv.by_weapon[rows]
    fat = lv.fatalities[rows].round().astype(np.int64)
    start = lv.start[rows]
    single = count == 1
    cells = pd.DataFrame({
        "lon": lv.lon_sum[rows] / count, "lat": lv.lat_sum[rows] / count, "count": count.astype(np.int64),
        "weapon_type": _WEAPONS[by_weapon.argmax(axis=1)], "fatalities": fat,
        "event_id": np.where(single, pts.ids(np.where(single, start, 0)), None),
        "west": lv.west[rows], "south": lv.south[rows], "east": lv.east[rows], "north": lv.north[rows],
    })
    cells["summary"] = summaries(by_weapon, count, fat)
    _keep_apart(cells, spatial.cell_deg(z, CELL_PX), cell_deg(zoom) / CELL_PX)
    return Assignment(cells, start[single], lambda: lv.members(rows))


#: A cell's extent is kept to 1/SUB of the cell (a click zooms onto it), from occupancy counts: no sort.
SUB = 16


def _extent(values: np.ndarray, feature: np.ndarray, n: int, cell0: np.ndarray, size: float) -> tuple:
    sub = np.clip(((values / size - cell0[feature]) * SUB).astype(np.int64), 0, SUB - 1)
    occupied = np.bincount(feature * SUB + sub, minlength=n * SUB).reshape(n, SUB) > 0
    lo, hi = occupied.argmax(axis=1), SUB - 1 - occupied[:, ::-1].argmax(axis=1)
    return (cell0 + lo / SUB) * size, (cell0 + (hi + 1) / SUB) * size


def _cells(pts: Points, sel: np.ndarray | slice, idx: np.ndarray, feature: np.ndarray, n: int, used: np.ndarray,
           origin: tuple) -> pd.DataFrame:
    x, y = pts.lon[sel], pts.lat[sel]
    count = np.bincount(feature, minlength=n)
    by_weapon = np.bincount(feature * len(_WEAPONS) + pts.weapon[sel], minlength=n * len(_WEAPONS))
    by_weapon = by_weapon.reshape(n, len(_WEAPONS))
    fat = pts.fatalities[sel]
    fat = np.bincount(feature, weights=np.where(np.isnan(fat), 0.0, fat), minlength=n)
    x0, y0, ny, size = origin
    west, east = _extent(x, feature, n, (used // ny + x0).astype(np.float64), size)
    south, north = _extent(y, feature, n, (used % ny + y0).astype(np.float64), size)
    extent = {"west": west, "east": east, "south": south, "north": north}
    single = count == 1
    first = np.bincount(feature, weights=idx.astype(np.float64), minlength=n).astype(np.int64)  # exact when count 1
    cells = pd.DataFrame({
        "lon": np.bincount(feature, weights=x, minlength=n) / count,
        "lat": np.bincount(feature, weights=y, minlength=n) / count,
        "count": count.astype(np.int64),
        "weapon_type": _WEAPONS[by_weapon.argmax(axis=1)],
        "fatalities": fat.round().astype(np.int64),
        "event_id": np.where(single, pts.ids(np.where(single, first, 0)), None),
        **extent,
    })
    at = first[single]
    for a, b in (("lon", "west"), ("lon", "east"), ("lat", "south"), ("lat", "north")):
        cells.loc[single, b] = (pts.lon if a == "lon" else pts.lat)[at]
    cells.loc[single, ["lon", "lat"]] = np.column_stack([pts.lon[at], pts.lat[at]])
    cells["summary"] = summaries(by_weapon, count, cells["fatalities"].to_numpy())
    return cells


def summaries(by_weapon: np.ndarray, count: np.ndarray, fatalities: np.ndarray) -> list[str]:
    """One line per cell: "1,234 events (drone 600, rocket 400, ...); 87 killed" (a loop per cell, not event)."""
    order = np.argsort(-by_weapon, axis=1, kind="stable")[:, :3]
    out = []
    for i in range(len(count)):
        if count[i] == 1:
            out.append("")
            continue
        parts = [f"{WEAPON_NAMES[_WEAPONS[j]].lower()} {by_weapon[i, j]:,}" for j in order[i] if by_weapon[i, j]]
        more = ", ..." if np.count_nonzero(by_weapon[i]) > 3 else ""
        out.append(f"{count[i]:,} events ({', '.join(parts)}{more}); {fatalities[i]:,} killed")
    return out


def viewport_cells(pts: Points, bounds: BBox, zoom: float, **options: int) -> pd.DataFrame:
    """The features of one view: cells (contract columns plus extent and summary) or single events."""
    return assign(pts, bounds, zoom, **options).cells


def members(pts: Points, west: float, south: float, east: float, north: float) -> np.ndarray:
    """Indices of the events inside one cell's extent (a click on a stack of co-located events lists these)."""
    return _inside(pts, (west, south, east, north))


def frame_counts(asg: Assignment, frame_of_event: np.ndarray) -> np.ndarray:
    """Sparse (feature, frame, count) triplets of one view, for playback (events outside every frame dropped)."""
    frame = frame_of_event[asg.members]
    ok = frame >= 0
    n_frames = int(frame.max()) + 1 if ok.any() else 1
    key = asg.feature[ok] * n_frames + frame[ok]
    keys, counts = np.unique(key, return_counts=True) if len(key) < 200_000 else _dense_counts(key)
    return np.column_stack([keys // n_frames, keys % n_frames, counts]).astype(np.int64)


def _dense_counts(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    counts = np.bincount(key)
    keys = np.flatnonzero(counts)
    return keys, counts[keys]
