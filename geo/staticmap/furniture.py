"""The parts of a static map around the points: symbols, legend, scale bar, labels, locator, date line.

Marker sizes and weapon names are the dashboard's own (:mod:`geo.webmap.popups`).

Used by :mod:`geo.staticmap.snapshot`; every function works on whole columns (labels are drawn for a handful
of places chosen with a groupby, never one artist per event).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.webmap.popups import MIN_RADIUS, marker_radius, weapon_label
from geo.schema import WEAPON_COLORS

FALLBACK_COLOR = "#7f7f7f"
#: A dashboard pixel drawn as this many points on paper (a 5 px dot -> 3 pt, ~1 mm).
PX_TO_PT = 0.6
KM_PER_DEG = 111.32


def weapon_colors(weapons: pd.Series) -> np.ndarray:
    """The dashboard colour of each event's weapon type, as an array of hex strings."""
    codes = pd.Series(weapons).astype("str").map(WEAPON_COLORS)
    return codes.fillna(FALLBACK_COLOR).to_numpy(dtype=object)


def weapons_present(events: pd.DataFrame) -> list[str]:
    """Weapon types that occur in *events*, in the schema's order (unknown values last, sorted)."""
    if "weapon_type" not in events.columns or events.empty:
        return []
    present = set(pd.unique(events["weapon_type"].dropna().astype("str")))
    return [w for w in WEAPON_COLORS if w in present] + sorted(present - set(WEAPON_COLORS))


def draw_halos(ax: Any, x: np.ndarray, y: np.ndarray, km: np.ndarray, colors: np.ndarray) -> None:
    """Precision halos: true-radius circles of ``precision_km`` (ellipses in degrees), one collection."""
    from matplotlib.collections import EllipseCollection

    km = np.nan_to_num(km, nan=0.0)
    keep = km > 0
    height = 2 * km[keep] / KM_PER_DEG
    width = height / np.cos(np.radians(np.clip(y[keep], -85, 85)))
    ax.add_collection(EllipseCollection(
        width, height, np.zeros(keep.sum()), units="xy", offsets=np.column_stack([x[keep], y[keep]]),
        offset_transform=ax.transData, facecolors=list(colors[keep]), edgecolors=list(colors[keep]),
        alpha=0.18, linewidths=0.6, zorder=3))


def corners(x: np.ndarray, y: np.ndarray, extent: tuple[float, float, float, float]) -> dict[str, str]:
    """Where the inset, the legend and the scale bar go: the corners that hide the fewest events."""
    w, s, e, n = extent
    fx, fy = (x - w) / (e - w), (y - s) / (n - s)
    left, right, top, bottom = fx < 0.3, fx > 0.7, fy > 0.6, fy < 0.4
    inset = "upper left" if np.sum(left & top) < np.sum(right & top) else "upper right"
    legend = "lower left" if np.sum(left & bottom) < np.sum(right & bottom) else "lower right"
    return {"locator": inset, "legend": legend, "scale": "lower right" if legend == "lower left" else "lower left"}


def legend(ax: Any, weapons: list[str], events: pd.DataFrame, *, loc: str = "lower right") -> None:
    """Legend of exactly the weapon types present, and a key to the circle sizes."""
    from matplotlib.lines import Line2D

    if not weapons:
        return
    size = 2 * MIN_RADIUS * PX_TO_PT
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=size, markerfacecolor=WEAPON_COLORS.get(
        w, FALLBACK_COLOR), markeredgecolor="#333333", markeredgewidth=0.5, label=weapon_label(w)) for w in weapons]
    fat = pd.to_numeric(events["fatalities"], errors="coerce")
    top = float(fat.max()) if fat.notna().any() else 0.0
    for value in [v for v in (1, 10, 50) if v <= top]:
        r = float(marker_radius(pd.Series([value]))[0])
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=2 * r * PX_TO_PT,
                              markerfacecolor="white", markeredgecolor="#333333", markeredgewidth=0.6,
                              label=f"{value} killed"))
    leg = ax.legend(handles=handles, title="Weapon", loc=loc, fontsize=8, title_fontsize=8.5,
                    framealpha=0.92, edgecolor="#999999", borderpad=0.7, labelspacing=0.55)
    leg.set_zorder(8)


def _nice(value: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above *value*."""
    k = 10 ** math.floor(math.log10(value))
    return max(m * k for m in (1, 2, 5) if m * k <= value)


def scale_bar(ax: Any, extent: tuple[float, float, float, float], *, loc: str = "lower left") -> None:
    """A scale bar in a lower corner, true at its own latitude (said on the bar when the map is tall)."""
    w, s, e, n = extent
    lat = s + 0.06 * (n - s)
    km_per_deg = KM_PER_DEG * math.cos(math.radians(lat))
    km = _nice((e - w) * km_per_deg * 0.2)
    x0, y0 = w + 0.04 * (e - w), lat
    if loc == "lower right":
        x0 = e - 0.04 * (e - w) - km / km_per_deg
    x1 = x0 + km / km_per_deg
    ax.plot([x0, x1], [y0, y0], color="#222222", linewidth=2.2, solid_capstyle="butt", zorder=7)
    ax.plot([x0, x0, x0 + (x1 - x0) / 2, x1], [y0] * 4, "|", color="#222222", markersize=6, zorder=7)
    note = f" (at {abs(lat):.0f}°{'N' if lat >= 0 else 'S'})" if n - s > 15 else ""
    ax.text((x0 + x1) / 2, y0 + 0.012 * (n - s), f"{km:g} km{note}", ha="center", va="bottom", fontsize=8,
            color="#222222", zorder=7, bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1})


def country_labels(ax: Any, names: list[str], geoms: np.ndarray, extent: tuple[float, float, float, float]) -> None:
    """Country names at a point inside each country's visible part, for the larger ones only."""
    w, s, e, n = extent
    inner = shapely.clip_by_rect(geoms, w, s, e, n)
    share = shapely.area(inner) / ((e - w) * (n - s))
    for i in np.flatnonzero(share > 0.015):  # a few dozen countries at most
        parts = shapely.get_parts(inner[i])
        part = parts[np.argmax(shapely.area(parts))]
        p = shapely.point_on_surface(part)
        if not (0.06 < (p.x - w) / (e - w) < 0.94 and 0.04 < (p.y - s) / (n - s) < 0.96):
            continue  # a name cut by the frame reads worse than none
        ax.text(p.x, p.y, names[i].upper(), ha="center", va="center", fontsize=8 if share[i] > 0.08 else 6.5,
                color="#8a8275", fontstyle="italic", alpha=0.9, zorder=2, clip_on=True, parse_math=False)


def site_labels(ax: Any, events: gpd.GeoDataFrame, extent: tuple[float, float, float, float], *,
                top: int = 8) -> None:
    """Names of the key sites: the places with the most events (then fatalities), one label per site.

    Events within ~5 km share a site; its name is the shortest place name reported there, cut at its first
    comma.
    """
    geoms = events.geometry.to_numpy()
    frame = pd.DataFrame({"x": shapely.get_x(geoms), "y": shapely.get_y(geoms),
                          "name": events["location"].astype("str").str.split(",").str[0].str.strip(),
                          "f": pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy()})
    frame["kx"], frame["ky"] = (frame["x"] / 0.05).round(), (frame["y"] / 0.05).round()
    frame["len"] = frame["name"].str.len()
    frame = frame.sort_values(["len", "name"], kind="stable")
    sites = frame.groupby(["kx", "ky"], sort=True).agg(x=("x", "first"), y=("y", "first"), name=("name", "first"),
                                                        n=("x", "size"), f=("f", "sum"))
    sites = sites.sort_values(["n", "f", "name"], ascending=[False, False, True], kind="stable").head(top)
    w, s, e, n = extent
    placed: list[tuple[float, float]] = []
    for x, y, name in sites[["x", "y", "name"]].itertuples(index=False):  # <= `top` labels
        if any(abs(x - px) < 0.12 * (e - w) and abs(y - py) < 0.04 * (n - s) for px, py in placed):
            continue  # would overlap a label already placed
        placed.append((x, y))
        text = name if len(name) <= 32 else name[:31] + "…"
        on_right = (x - w) / (e - w) > 0.6  # write towards the middle, away from the frame and inset
        ax.annotate(text, (x, y), xytext=(-7 if on_right else 7, 5), textcoords="offset points",
                    ha="right" if on_right else "left", fontsize=7.5, color="#111111",
                    zorder=9, annotation_clip=True, parse_math=False,
                    bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.2})


def locator(fig: Any, ax: Any, extent: tuple[float, float, float, float],
            draw_basemap: Callable[..., None], *, loc: str = "upper right") -> None:
    """A small inset in an upper corner: a wider view with the main map's extent outlined in red."""
    from matplotlib.patches import Rectangle

    w, s, e, n = extent
    cx, cy = (w + e) / 2, (s + n) / 2
    span = max(e - w, n - s) * 4 + 10
    k = math.cos(math.radians(min(abs(cy), 80.0)))
    box = ax.get_position()
    width = box.width * 0.2
    height = width * fig.get_figwidth() / fig.get_figheight()
    gap_x, gap_y = 0.006, 0.006 * fig.get_figwidth() / fig.get_figheight()
    x_left = box.x0 + gap_x if loc == "upper left" else box.x1 - width - gap_x
    inset = fig.add_axes([x_left, box.y1 - height - gap_y, width, height], zorder=10)
    half_w = span / 2 / max(k, 0.2)
    half_h = span / 2
    wide = (cx - half_w, max(cy - half_h, -85.0), cx + half_w, min(cy + half_h, 85.0))
    draw_basemap(inset, wide, labels=False, linewidth=0.25)
    inset.set_xlim(wide[0], wide[2])
    inset.set_ylim(wide[1], wide[3])
    inset.set_aspect(1 / max(k, 0.2), adjustable="datalim")
    inset.add_patch(Rectangle((w, s), e - w, n - s, fill=False, edgecolor="#d62728", linewidth=1.2, zorder=5))
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(0.7)


def _day(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%b %Y}"


def data_date_line(events: pd.DataFrame) -> str:
    """"Data: 48 events dated 27 Dec 2019 - 3 Oct 2021, latest revision 2021-10-04." (no clock time)."""
    if not len(events):
        return "Data: no events."
    start = pd.Timestamp(events["date"].min())
    end_col = events["date_end"].fillna(events["date"]) if "date_end" in events.columns else events["date"]
    end = pd.Timestamp(end_col.max())
    n = len(events)
    line = f"Data: {n:,} event{'s' if n != 1 else ''} dated {_day(start)}" + (
        f" - {_day(end)}" if end.normalize() != start.normalize() else "")
    if "updated" in events.columns and events["updated"].notna().any():
        line += f"; latest revision {str(events['updated'].dropna().astype('str').max())[:10]}"
    return line + "."
