"""What the map shows for one view: the events in the viewport aggregated to at most a few thousand features.

The drill-down map sends the browser only what is in view. Zoomed out, events fall into cells of a grid aligned
on the world (so cells stay put while panning) whose size follows the zoom (about ``CELL_PX`` screen pixels);
once few enough events are in view (``SINGLE_LIMIT``) every event is its own feature with its popup. Cells are
the contract shape that store engines also return (INTERFACES.md): ``lon, lat, count, weapon_type, fatalities``
and ``event_id`` where ``count == 1``; this module adds the extent of each cell (``west, south, east, north``),
so a click can zoom exactly onto its events, and a ``summary`` line.

Pure numpy: a mask for the view and ``bincount`` over dense cell numbers, no sort and no loop per event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geo.schema import WEAPON_NAMES, WEAPON_TYPES

#: Cell size in screen pixels at the current zoom (a cluster circle is about this wide).
CELL_PX = 48
#: Up to this many events in view, every event is drawn on its own (co-located ones spiderfy).
SINGLE_LIMIT = 2500
#: Never more features than this in one view (cells grow until they fit).
MAX_FEATURES = 5000
_WEAPONS = np.array(list(WEAPON_TYPES), dtype=object)
_UNKNOWN = list(WEAPON_TYPES).index("unknown")

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Points:
    """The columns of events that the map needs, as arrays (built once per filter)."""

    lon: np.ndarray
    lat: np.ndarray
    weapon: np.ndarray  # int8 code into WEAPON_TYPES
    fatalities: np.ndarray  # float64, NaN when unknown
    day: np.ndarray  # datetime64[D]
    event_id: object  # a pandas array (``take`` with positions)
    row: np.ndarray  # position of each point's event in the frame it came from

    def __len__(self) -> int:
        return len(self.lon)

    def bounds(self) -> BBox | None:
        if not len(self):
            return None
        return (float(self.lon.min()), float(self.lat.min()), float(self.lon.max()), float(self.lat.max()))


def points(events: pd.DataFrame) -> Points:
    """:class:`Points` of events in the project schema (rows without a point are left out)."""
    geoms = events.geometry.to_numpy()
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    ok = np.isfinite(lon) & np.isfinite(lat)
    codes = weapon_codes(events["weapon_type"])
    fat = pd.to_numeric(events["fatalities"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    day = pd.to_datetime(events["date"]).to_numpy().astype("datetime64[D]")
    ids = events["event_id"].array  # taken only for the few single events of a view
    if ok.all():
        return Points(lon, lat, codes, fat, day, ids, np.arange(len(lon)))
    return Points(lon[ok], lat[ok], codes[ok], fat[ok], day[ok], ids[ok], np.flatnonzero(ok))


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
    return CELL_PX * 360.0 / (256.0 * 2.0 ** max(0.0, float(zoom)))


def in_view(pts: Points, bounds: BBox, *, margin: float = 0.15) -> np.ndarray:
    """Indices of the events inside ``bounds`` (W, S, E, N), widened by ``margin`` of the view each side."""
    w, s, e, n = bounds
    dx, dy = (e - w) * margin, (n - s) * margin
    keep = (pts.lon >= w - dx) & (pts.lon <= e + dx) & (pts.lat >= s - dy) & (pts.lat <= n + dy)
    return np.flatnonzero(keep)


@dataclass(frozen=True)
class Assignment:
    """Which feature each event in view belongs to: ``members`` (event indices) and ``feature`` (row in cells)."""

    cells: pd.DataFrame
    members: np.ndarray
    feature: np.ndarray


def _singles(pts: Points, idx: np.ndarray) -> Assignment:
    cells = pd.DataFrame({
        "lon": pts.lon[idx], "lat": pts.lat[idx], "count": np.ones(len(idx), dtype=np.int64),
        "weapon_type": _WEAPONS[pts.weapon[idx]], "fatalities": np.nan_to_num(pts.fatalities[idx]).astype(np.int64),
        "event_id": np.asarray(pts.event_id.take(idx), dtype=object),
        "west": pts.lon[idx], "south": pts.lat[idx], "east": pts.lon[idx], "north": pts.lat[idx],
    })
    cells["summary"] = ""
    return Assignment(cells, idx, np.arange(len(idx)))


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
    return Assignment(_cells(pts, sel, idx, feature, len(used), used, origin), idx, feature)


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
        "event_id": np.where(single, np.asarray(pts.event_id.take(np.where(single, first, 0)), dtype=object), None),
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
    keep = (pts.lon >= west) & (pts.lon <= east) & (pts.lat >= south) & (pts.lat <= north)
    return np.flatnonzero(keep)


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
