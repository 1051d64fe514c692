"""Static report maps (PNG, SVG, PDF) drawn with matplotlib: ``snapshot`` lays out the page, ``basemap`` draws the
countries, ``furniture`` the legend, scale bar, labels, locator and date line."""

from __future__ import annotations

from geo.staticmap.snapshot import FORMATS, SIZES, SnapshotOptions, snapshot_bytes

__all__ = ["FORMATS", "SIZES", "SnapshotOptions", "snapshot_bytes"]
