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
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.staticmap import basemap, furniture as mapkeys, labels as names, symbols
from geo.staticmap.symbols import stamp_discs
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
SEA, LAND = "#cfe3f3", "#f4f1ea"  # the light style's (geo/assets/web/basemap/styles.json)
STYLES = ("light", "dark", "terrain")
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
    labels: bool = True
    locator: bool = True
    caption: str | None = None
    style: str = "light"
    north_arrow: bool = True

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ExportError(f"unknown size '{self.size}'; expected one of: {', '.join(SIZES)}")
        if not 30 <= self.dpi <= 600:
            raise ExportError(f"dpi {self.dpi} is out of range; use 30 to 600 (150 for screens, 300 for print)")
        if self.bbox is not None and self.region:
            raise ExportError("give either a bbox or a region, not both")
        if self.style not in STYLES:
            raise ExportError(f"unknown map style '{self.style}'; expected one of: {', '.join(STYLES)}")


@dataclass
class MapFigure:
    """A drawn map: the figure, its map axes and the extent shown (W, S, E, N)."""

    figure: Figure
    ax: Any
    extent: BBox
    weapons: list[str]
    #: The names written on the map with their boxes (display pixels), in the order they were placed.
    labels: list[names.Placed] = field(default_factory=list)
    #: One row per drawn symbol: x, y, n (events at the site), fatalities, weapon, radius.
    sites: Any = None
    #: Legend, scale bar, north arrow and inset: what no label may cover.
    obstacles: list = field(default_factory=list)


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


def _draw_basemap(ax: Any, extent: BBox, *, linewidth: float = 0.5, style: str = "light") -> None:
    basemap.draw(ax, extent, style=style, linewidth=linewidth)


def _draw_sites(ax: Any, sites: Any, *, rasterized: bool) -> Any:
    """One circle per site (sized by its fatalities, in its most common weapon's colour), its event count inside."""
    from matplotlib import patheffects

    radius_pt = site_radius_pt(sites)
    colors = mapkeys.weapon_colors(sites["weapon"])
    if rasterized:  # thousands of symbols: stamped into one image with numpy (matplotlib draws marker by marker)
        dots = _raster_sites(ax, sites, radius_pt, colors)
    else:
        dots = ax.scatter(sites["x"], sites["y"], s=(2 * radius_pt) ** 2, c=colors, edgecolors="#333333",
                          linewidths=0.5, alpha=0.9, zorder=4)
    many = sites[sites["n"] > 1].head(0 if rasterized else MAX_COUNTS)  # a density of dots has no room for numbers
    for x, y, n in many[["x", "y", "n"]].itertuples(index=False):  # <= MAX_COUNTS numbers
        ax.text(x, y, f"{n:,}", ha="center", va="center", fontsize=6.5 if n < 100 else 5.5, fontweight="bold",
                color="white", zorder=5, parse_math=False,
                path_effects=[patheffects.withStroke(linewidth=1.6, foreground="#222222")])
    return dots


def _raster_sites(ax: Any, sites: Any, radius_pt: np.ndarray, colors: np.ndarray) -> Any:
    """The symbols as one RGBA image over the map frame, at the figure's resolution."""
    import pandas as pd
    from matplotlib.colors import to_rgba_array

    box = ax.get_window_extent()
    height, width = int(round(box.height)), int(round(box.width))
    w, s, e, n = ax.get_xlim()[0], ax.get_ylim()[0], ax.get_xlim()[1], ax.get_ylim()[1]
    xy = ax.transData.transform(np.column_stack([sites["x"].to_numpy(), sites["y"].to_numpy()]))
    rows = np.round(box.y1 - xy[:, 1]).astype(np.int32)
    cols = np.round(xy[:, 0] - box.x0).astype(np.int32)
    radius = np.maximum(np.round(radius_pt * ax.figure.dpi / 72.0), 1).astype(np.int16)
    codes, unique = pd.factorize(pd.Series(colors))
    lut = np.zeros((len(unique) + 2, 4), dtype=np.uint8)  # 0: nothing drawn, 1: the rim, 2...: the weapons
    lut[1] = (51, 51, 51, 230)
    lut[2:] = (to_rgba_array(list(unique), alpha=0.9) * 255).round().astype(np.uint8)
    index = np.zeros((height, width), dtype=np.uint8)
    stamp_discs(index, rows, cols, radius, (codes + 2).astype(np.uint8), 1)
    return ax.imshow(lut[index], extent=(w, e, s, n), origin="upper", zorder=4, interpolation="nearest",
                     aspect=ax.get_aspect())


#: Counts are written in at most this many symbols (the biggest sites); beyond, the map is a density of dots.
MAX_COUNTS = 400


def site_radius_pt(sites: Any) -> np.ndarray:
    """Symbol radius in points: the dashboard's size by fatalities, grown where a count must fit inside."""
    radius = sites["radius"].to_numpy(dtype=float) * mapkeys.PX_TO_PT
    digits = np.floor(np.log10(np.maximum(sites["n"].to_numpy(dtype=float), 1))) + 1
    return np.where(sites["n"].to_numpy() > 1, np.maximum(radius, 2.6 + 2.0 * digits), radius)


def _site_labels(sites: Any, top: int = 12) -> list[names.Label]:
    """Names of the busiest sites (then the deadliest): the curated site or town there, never the raw location."""
    if sites is None or not len(sites):
        return []
    busiest = sites.sort_values(["n", "fatalities", "x"], ascending=[False, False, True], kind="stable").head(top)
    found = symbols.site_names(busiest["x"].to_numpy(), busiest["y"].to_numpy())
    radius = site_radius_pt(busiest)
    return [names.Label(str(t), x, y, "site", size=7.5, gap=r + 2.5) for t, x, y, r in
            zip(found, busiest["x"], busiest["y"], radius) if t]


def _context_labels(extent: BBox, fig_width_in: float) -> list[names.Label]:
    """Countries, cities (biggest first), rivers and provinces inside *extent*."""
    w, s, e, n = extent
    out: list[names.Label] = []
    inside = lambda r: w <= r[0] <= e and s <= r[1] <= n  # noqa: E731
    _, rows = basemap.table("labels")
    countries = [r for r in rows if r[5] == "country" and inside(r) and r[3] <= (3 if n - s > 25 else 6)]
    out += [names.Label(r[2], r[0], r[1], "country", size=8.5) for r in countries]
    _, places = basemap.table("places")
    limit = max(12, int(fig_width_in * 4))
    cities = sorted((r for r in places if inside(r)), key=lambda r: -r[3])[:limit]
    out += [names.Label(r[2], r[0], r[1], "city", size=8 if r[3] >= 1_000_000 else 7, gap=3.0, dot=True)
            for r in cities]
    if basemap.in_detail(extent):
        out += [names.Label(r[2], r[0], r[1], "river", size=7, angle=r[4]) for r in rows
                if r[5] == "river" and inside(r)]
        if n - s <= basemap.PROVINCE_SPAN:
            out += [names.Label(r[2], r[0], r[1], "province", size=6.5) for r in rows
                    if r[5] == "province" and inside(r) and r[3] <= (6 if n - s > 8 else 8)]
    return out


def _without_repeats(site_labels: list[names.Label], others: list[names.Label]) -> list[names.Label]:
    """A town already named as a site ("Diwaniyah" and GeoNames' "Al Diwaniyah") is not written twice."""
    taken = {_plain(lab.text) for lab in site_labels}
    return [o for o in others if _plain(o.text) not in taken]


def _plain(name: str) -> str:
    import re

    return re.sub(r"^(al|an|ar|as|ash|at|ad|az|el)[\s-]+", "", name.casefold().replace("'", "")).replace("-", " ")


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
        Size, resolution, extent, style and optional layers.
    """
    events = _points(events)
    mapfig = frame(events, spec, options=options)
    ax = mapfig.ax
    if len(events):
        geoms = events.geometry.to_numpy()
        if options.halos:
            mapkeys.draw_halos(ax, shapely.get_x(geoms), shapely.get_y(geoms),
                               events["precision_km"].to_numpy(dtype=float),
                               mapkeys.weapon_colors(events["weapon_type"]))
        _draw_sites(ax, mapfig.sites, rasterized=len(mapfig.sites) > RASTER_ABOVE)
    else:
        ax.text(0.5, 0.5, "No events match this filter", transform=ax.transAxes, ha="center", va="center",
                fontsize=14, color="#555555", zorder=6)
    place_labels(mapfig, options, sites=mapfig.sites if options.labels else None)
    return mapfig


def _points(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if events.crs is not None and not events.crs.equals("EPSG:4326"):
        events = events.to_crs(4326)
    return events[events.geometry.notna() & ~events.geometry.is_empty]


def frame(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, *, options: SnapshotOptions = SnapshotOptions(),
          caption: str | None = None, stack: bool = True) -> MapFigure:
    """The page without its event symbols: basemap, title, caption, legend, scale bar, north arrow, locator.

    The extent, legend and size key follow *events*; the animation draws this once and only the symbols per frame
    (``stack=False``: one symbol per event, so the size key follows the events' own fatalities).
    """
    spec = spec or FilterSpec()
    size = SIZES[options.size]
    caption = caption or options.caption or describe(spec, len(events))
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
    _draw_basemap(ax, extent, style=options.style)
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)

    sites = symbols.stacks(events) if len(events) and stack else None
    geoms = events.geometry.to_numpy()
    place = mapkeys.corners(shapely.get_x(geoms), shapely.get_y(geoms), extent)
    weapons = mapkeys.weapons_present(events)
    sizes = symbols.reference_sizes(sites["fatalities"] if sites is not None else events["fatalities"])
    stacked = sites is not None and bool((sites["n"] > 1).any())
    mapfig = MapFigure(fig, ax, extent, weapons, sites=sites)
    ink = "#e8e8e8" if options.style == "dark" else "#222222"
    mapfig.obstacles = [mapkeys.legend(ax, weapons, sizes, stacked=stacked, loc=place["legend"]),
                        *mapkeys.scale_bar(ax, extent, loc=place["scale"], color=ink)]
    if options.north_arrow:
        mapfig.obstacles.append(mapkeys.north_arrow(ax, loc=place["north"], color=ink))
    if options.locator:
        mapfig.obstacles.append(mapkeys.locator(fig, ax, extent, _draw_basemap, loc=place["locator"]))

    title = options.title or "Conflict events"
    fig.text(rect[0], ys["title"], title, ha="left", va="top", fontsize=15, fontweight="bold",
             parse_math=False)
    fig.text(rect[0], ys["caption"], caption_text, ha="left", va="top", fontsize=10, color="#333333",
             parse_math=False, linespacing=1.3)
    fig.text(rect[0], ys["footer"], mapkeys.data_date_line(events), ha="left", va="center", fontsize=8,
             color="#333333", parse_math=False)
    fig.text(rect[0], ys["credit"], credit_line(events, basemap.CREDIT), ha="left", va="center", fontsize=7,
             color="#555555", parse_math=False)
    return mapfig


def place_labels(mapfig: MapFigure, options: SnapshotOptions, *, sites: Any = None) -> list[names.Placed]:
    """Write the site and place names that fit (no label over another, the legend, the inset or a symbol)."""
    ax = mapfig.ax
    renderer = mapfig.figure.canvas.get_renderer()
    obstacles = names.artist_boxes(mapfig.obstacles, renderer)
    if sites is not None and len(sites):
        head = sites.head(300)
        obstacles += names.circle_boxes(ax, head["x"].to_numpy(), head["y"].to_numpy(), site_radius_pt(head))
    site_labels = _site_labels(sites)
    context = _without_repeats(site_labels, _context_labels(mapfig.extent, SIZES[options.size][0]))
    # Cities of a million or more first: a reader finds the sites by them; then the sites, then the rest.
    big = [c for c in context if c.kind == "city" and c.size >= 8]
    todo = big + site_labels + [c for c in context if c not in big]
    mapfig.labels = names.place(ax, todo, obstacles, style=options.style)
    return mapfig.labels


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


__all__ = ["FORMATS", "SIZES", "STYLES", "MapFigure", "SnapshotOptions", "draw", "fit_extent", "frame",
           "place_labels", "render", "snapshot_bytes", "with_options"]
