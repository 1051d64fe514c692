"""The drill-down map at any N: one view's feature group, from events in memory or from a store's cells.

The page keeps a :class:`View` (what the browser last reported: bounds and zoom), asks :func:`view_features`
for that view's cells and single events, and hands :func:`view_group` to streamlit-folium as the feature group
to swap in. A store engine (DuckDB, PostGIS) that computes the same cells in SQL feeds :func:`view_group`
directly: it needs the contract columns (``lon, lat, count, weapon_type, fatalities, event_id``) plus the
single events' records for their popups.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.timeline import frame_index, frames
from geo.webmap import layers, record, viewport
from geo.webmap.viewport import BBox, Points

#: The map's size in pixels assumed before the browser has said (it corrects the view on its first report).
ASSUMED_PX = (1000, 620)
MAX_ZOOM = 18


@dataclass(frozen=True)
class View:
    """What the map shows: bounds (W, S, E, N) and zoom."""

    bounds: BBox
    zoom: float

    @property
    def center(self) -> tuple[float, float]:
        """(lon, lat) of the middle of the view."""
        w, s, e, n = self.bounds
        return (w + e) / 2, (s + n) / 2

    @classmethod
    def around(cls, lon: float, lat: float, zoom: float, px: tuple[int, int] = ASSUMED_PX) -> View:
        """The view of a map of ``px`` pixels centred on (lon, lat) at ``zoom``."""
        deg = 360.0 / (256.0 * 2.0 ** zoom)
        half_w, half_h = px[0] * deg / 2, px[1] * deg / 2 * math.cos(math.radians(lat))
        return cls((lon - half_w, lat - half_h, lon + half_w, lat + half_h), zoom)

    @classmethod
    def fitting(cls, bounds: BBox | None, px: tuple[int, int] = ASSUMED_PX, max_zoom: int = 12) -> View:
        """The view that shows ``bounds`` whole (Iraq and Syria when there is nothing to show)."""
        if bounds is None:
            return cls.around(41.5, 34.5, 5, px)
        w, s, e, n = bounds
        span = max((e - w) / px[0], (n - s) / px[1], 1e-9)
        zoom = int(max(2, min(max_zoom, math.floor(math.log2(360.0 / (256.0 * span))))))
        return cls.around((w + e) / 2, (s + n) / 2, zoom, px)

    @classmethod
    def from_report(cls, state: dict | None) -> View | None:
        """The view in what st_folium returned (``bounds`` and ``zoom``), or None."""
        try:
            b, zoom = state["bounds"], float(state["zoom"])
            w, s = float(b["_southWest"]["lng"]), float(b["_southWest"]["lat"])
            e, n = float(b["_northEast"]["lng"]), float(b["_northEast"]["lat"])
        except (KeyError, TypeError, ValueError):
            return None
        if not all(map(math.isfinite, (w, s, e, n, zoom))) or e <= w or n <= s:
            return None
        return cls((w, s, e, n), zoom)


def dataset_points(events: gpd.GeoDataFrame) -> tuple[Points, np.ndarray]:
    """The map arrays (sorted into the spatial index) and the feed's newest-first order of a whole collection:
    the part that sorts, done once per collection and shared by every filter (:func:`filtered_points`)."""
    return viewport.points(events), record.feed_order(events)


def filtered_points(base: tuple[Points, np.ndarray], events: gpd.GeoDataFrame,
                    filtered: gpd.GeoDataFrame) -> tuple[Points, np.ndarray]:
    """``base`` (:func:`dataset_points` of ``events``) narrowed to ``filtered``, a subset of ``events``: masks of
    the sorted arrays, no sort (computed afresh when the frames' index cannot say which rows were kept)."""
    keep = viewport.kept_rows(events, filtered)
    if keep is None or len(base[1]) != len(events):
        return dataset_points(filtered)
    pts, order = base
    return viewport.select(pts, keep, filtered), record.select_order(order, keep)


def view_features(events: gpd.GeoDataFrame, pts: Points, view: View) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Cells of ``view`` (contract columns and extent) and the single events among them, rows of ``events``."""
    asg = viewport.assign(pts, view.bounds, view.zoom)
    return asg.cells, events.iloc[np.sort(pts.row[asg.singles])]


def stack_members(events: gpd.GeoDataFrame, pts: Points, cell: list[float]) -> gpd.GeoDataFrame:
    """The events of a clicked stack (its W, S, E, N as reported by the map), newest first."""
    w, s, e, n = (float(v) for v in cell)
    hit = events.iloc[pts.row[viewport.members(pts, w, s, e, n)]]
    return hit.sort_values("date", ascending=False, kind="stable")


def view_group(cells: pd.DataFrame, singles: gpd.GeoDataFrame, *, weapons: list[str], asset_base_url: str,
               selected: str | None = None, instruction: dict | None = None, memo: dict | None = None):
    """The feature group of one view for ``st_folium(feature_group_to_add=...)``.

    ``instruction`` moves the map once when the group arrives: ``{"view": (lat, lon, zoom)}``,
    ``{"fit": (W, S, E, N)}`` or ``{"fly": (lat, lon, zoom)}``; ``selected`` opens that event's popup.
    ``memo`` (the filtered events' ``Points.memo``, shared by the sessions on that filter) keeps the views drawn.
    """
    instruction = instruction or {}
    layer = layers.ViewLayer(cells, singles, weapons=weapons, base_url=asset_base_url, selected=selected,
                             view=instruction.get("view"), fit=instruction.get("fit"), fly=instruction.get("fly"),
                             memo=memo)
    return layers.view_group(layer)


def playback_group(pts: Points, view: View, *, step: str, mode: str, window: int, fps: float,
                   first: object, last: object, asset_base_url: str):
    """The feature group of a time playback over ``view``: the view's features, their counts per frame.

    The frames are :func:`geo.timeline.frames` of ``first`` .. ``last`` (the sidebar's date range), so the
    browser animates what the GIF/MP4 export draws.
    """
    from geo.webmap.playback_layer import PlaybackLayer

    span = frames(first, last, step=step)
    asg = viewport.assign(pts, view.bounds, view.zoom, single_limit=viewport.SINGLE_LIMIT)
    key = ("frames", span.step, int(span.starts[0].astype("int64")), len(span))
    if key not in pts.memo:  # each event's frame, once per filter and timeline (pans reuse it)
        pts.memo[key] = frame_index(pts.day, span)
    triplets = viewport.frame_counts(asg, pts.memo[key])
    layer = PlaybackLayer(asg.cells, triplets, span.labels(), mode=mode, window=window, fps=fps)
    return layers.view_group(layer)
