"""Static maps of a filtered event set for reports: PNG, SVG and PDF, the same bytes for the same input.

The map is drawn in plain longitude/latitude with the axes' aspect set to 1/cos(mid-latitude) (as
geopandas does), so an event's data coordinates are its (lon, lat).  Events are drawn in one
``scatter`` call (colour and size arrays), never one artist per event.  Only matplotlib's object API
with the Agg canvas is used: no pyplot, no global backend switch, no font or tile from the internet.
Text that comes from the data is drawn with ``parse_math=False`` so a ``$`` never turns into mathtext.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.staticmap import basemap, furniture as mapkeys
from geo.errors import ExportError
from geo.query import BBox, FilterSpec, describe
from geo.citations import credit_line

#: Page sizes in inches (width, height).
SIZES: dict[str, tuple[float, float]] = {
    "a4-landscape": (11.69, 8.27),
    "a4-portrait": (8.27, 11.69),
    "slide-16x9": (13.333, 7.5),
    "square": (8.0, 8.0),
}
FORMATS = ("png", "svg", "pdf")
SEA, LAND, BORDER, COAST = "#cfe3f3", "#f4f1ea", "#9a9a9a", "#7d8a96"
#: The extent shown when there is nothing to fit (Iraq and Syria, like the dashboard's start view).
DEFAULT_BBOX: BBox = (35.0, 28.5, 49.0, 38.5)
#: Above this many events the point layer is embedded as an image in SVG/PDF (files stay small).
RASTER_ABOVE = 5000
_FIXED_META = {
    "png": {"Software": None},
    "pdf": {"Creator": "Conflict Event Map", "Producer": None, "CreationDate": None, "ModDate": None},
    "svg": {"Creator": "Conflict Event Map", "Date": None},
}


@dataclass(frozen=True)
class SnapshotOptions:
    """How a static map looks: page size, resolution, extent and optional layers."""

    title: str | None = None
    size: str = "a4-landscape"
    dpi: int = 150
    bbox: BBox | None = None
    region: str | None = None
    padding: float = 0.12
    halos: bool = False
    labels: bool = False
    locator: bool = True
    caption: str | None = None

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ExportError(f"unknown size '{self.size}'; expected one of: {', '.join(SIZES)}")
        if not 30 <= self.dpi <= 600:
            raise ExportError(f"dpi {self.dpi} is out of range; use 30 to 600 (150 for screens, 300 for print)")
        if self.bbox is not None and self.region:
            raise ExportError("give either a bbox or a region, not both")


@dataclass
class MapFigure:
    """A drawn map: the figure, its map axes and the extent shown (W, S, E, N)."""

    figure: Figure
    ax: Any
    extent: BBox
    weapons: list[str]


def fit_extent(events: gpd.GeoDataFrame, options: SnapshotOptions, aspect: float) -> BBox:
    """The extent to show: the bbox, the region, or the events' bounds with padding, widened to *aspect*.

    *aspect* is the map frame's width/height; the result fills it exactly at the mid-latitude scale.
    """
    if options.bbox is not None:
        w, s, e, n = options.bbox
        pad = 0.0
    elif options.region:
        (w, s, e, n), pad = basemap.region_bbox(options.region), options.padding / 2
    elif len(events):
        w, s, e, n = shapely.total_bounds(events.geometry.to_numpy())
        pad = options.padding
    else:
        (w, s, e, n), pad = DEFAULT_BBOX, 0.0
    if e < w:  # an antimeridian-crossing bbox: show the western part's span eastwards
        e += 360.0
    span = max(e - w, n - s, 0.5)  # a single event still gets ~50 km of context
    cx, cy = (w + e) / 2, (s + n) / 2
    half_w, half_h = max(e - w, span * 0.3) / 2 + span * pad, max(n - s, span * 0.3) / 2 + span * pad
    k = math.cos(math.radians(min(abs(cy), 80.0)))
    if (2 * half_w * k) / (2 * half_h) < aspect:
        half_w = half_h * aspect / k
    else:
        half_h = half_w * k / aspect
    s2, n2 = max(cy - half_h, -85.0), min(cy + half_h, 85.0)
    return (cx - half_w, s2, cx + half_w, n2)


def _layout(size: tuple[float, float], caption_lines: int) -> tuple[list[float], dict[str, float]]:
    """The map axes' rectangle (figure fraction) and the y positions of title, caption and footer."""
    w, h = size
    top_in = 0.55 + 0.22 * caption_lines  # title + caption block
    bottom_in = 0.62  # footer: data date and credits
    side_in = 0.35
    rect = [side_in / w, bottom_in / h, 1 - 2 * side_in / w, 1 - (top_in + bottom_in) / h]
    ys = {"title": 1 - 0.22 / h, "caption": 1 - 0.5 / h, "footer": 0.36 / h, "credit": 0.14 / h}
    return rect, ys


def _draw_basemap(ax: Any, extent: BBox, *, labels: bool, linewidth: float = 0.5) -> None:
    from matplotlib.patches import PathPatch

    w, s, e, n = extent
    margin = 0.05 * max(e - w, n - s)
    names, geoms = basemap.clipped((w - margin, s - margin, e + margin, n + margin))
    path = basemap.polygon_path(geoms)
    ax.set_facecolor(SEA)
    ax.add_patch(PathPatch(path, facecolor=LAND, edgecolor=BORDER, linewidth=linewidth, zorder=1))
    if labels and names:
        mapkeys.country_labels(ax, names, geoms, extent)


def _draw_events(ax: Any, events: gpd.GeoDataFrame, *, halos: bool, rasterized: bool) -> None:
    geoms = events.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    radius = mapkeys.marker_radius(events["fatalities"])
    colors = mapkeys.weapon_colors(events["weapon_type"])
    # Big circles first, small on top (as on the dashboard); then date and id for a stable order.
    order = np.lexsort((events["event_id"].astype("str").to_numpy(), events["date"].to_numpy(), -radius))
    if halos:
        mapkeys.draw_halos(ax, x[order], y[order], events["precision_km"].to_numpy(dtype=float)[order],
                           colors[order])
    ax.scatter(x[order], y[order], s=(2 * radius[order] * mapkeys.PX_TO_PT) ** 2, c=colors[order],
               edgecolors="#333333", linewidths=0.5, alpha=0.9, zorder=4, rasterized=rasterized)


def draw(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, *,
         options: SnapshotOptions = SnapshotOptions()) -> MapFigure:
    """Draw *events* (already filtered by *spec*) as a report map.

    Parameters
    ----------
    events : GeoDataFrame
        Events in the project schema (EPSG:4326 points).
    spec : FilterSpec, optional
        The filter that chose them; its ``describe()`` is the caption unless ``options.caption`` is set.
    options : SnapshotOptions
        Size, resolution, extent and optional layers.
    """
    spec = spec or FilterSpec()
    if events.crs is not None and not events.crs.equals("EPSG:4326"):
        events = events.to_crs(4326)
    events = events[events.geometry.notna() & ~events.geometry.is_empty]
    size = SIZES[options.size]
    caption = options.caption or describe(spec, len(events))
    wrap = max(40, int(size[0] * 13))  # characters per caption line at 10 pt
    caption_text = "\n".join(textwrap.wrap(caption, wrap)[:3])
    rect, ys = _layout(size, caption_text.count("\n") + 1)

    fig = Figure(figsize=size, dpi=options.dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes(rect)
    aspect_frame = (rect[2] * size[0]) / (rect[3] * size[1])
    extent = fit_extent(events, options, aspect_frame)
    w, s, e, n = extent
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(1 / math.cos(math.radians(min(abs((s + n) / 2), 80.0))), adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(0.8)

    _draw_basemap(ax, extent, labels=True)
    if len(events):
        _draw_events(ax, events, halos=options.halos, rasterized=len(events) > RASTER_ABOVE)
        if options.labels:
            mapkeys.site_labels(ax, events, extent)
    else:
        ax.text(0.5, 0.5, "No events match this filter", transform=ax.transAxes, ha="center", va="center",
                fontsize=14, color="#555555", zorder=6)
    geoms = events.geometry.to_numpy()
    place = mapkeys.corners(shapely.get_x(geoms), shapely.get_y(geoms), extent)
    weapons = mapkeys.weapons_present(events)
    mapkeys.legend(ax, weapons, events, loc=place["legend"])
    mapkeys.scale_bar(ax, extent, loc=place["scale"])
    if options.locator:
        mapkeys.locator(fig, ax, extent, _draw_basemap, loc=place["locator"])

    title = options.title or "Conflict events"
    fig.text(rect[0], ys["title"], title, ha="left", va="top", fontsize=15, fontweight="bold",
             parse_math=False)
    fig.text(rect[0], ys["caption"], caption_text, ha="left", va="top", fontsize=10, color="#333333",
             parse_math=False, linespacing=1.3)
    fig.text(rect[0], ys["footer"], mapkeys.data_date_line(events), ha="left", va="center", fontsize=8,
             color="#333333", parse_math=False)
    fig.text(rect[0], ys["credit"], credit_line(events, basemap.CREDIT), ha="left", va="center", fontsize=7,
             color="#555555", parse_math=False)
    return MapFigure(fig, ax, extent, weapons)


def render(mapfig: MapFigure, fmt: str) -> bytes:
    """The bytes of a drawn map as PNG, SVG or PDF, with no date or random id in them."""
    import matplotlib

    if fmt not in FORMATS:
        raise ExportError(f"unknown image format '{fmt}'; expected one of: {', '.join(FORMATS)}")
    buf = io.BytesIO()
    rc = {"svg.hashsalt": "conflict-event-map", "pdf.fonttype": 42, "svg.fonttype": "path"}
    with matplotlib.rc_context(rc):
        mapfig.figure.savefig(buf, format=fmt, dpi=mapfig.figure.dpi, metadata=_FIXED_META[fmt],
                              facecolor="white")
    return buf.getvalue()


def snapshot_bytes(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, fmt: str = "png", *,
                   options: SnapshotOptions = SnapshotOptions()) -> bytes:
    """Draw and render in one call: the PNG/SVG/PDF bytes of a report map of *events*."""
    return render(draw(events, spec, options=options), fmt)


def with_options(options: SnapshotOptions, **changes: Any) -> SnapshotOptions:
    """A copy of *options* with some fields changed (validated again)."""
    return replace(options, **changes)


__all__ = ["FORMATS", "SIZES", "MapFigure", "SnapshotOptions", "draw", "fit_extent", "render", "snapshot_bytes",
           "with_options"]
