"""The parts of a static map around the points: colours, legend, scale bar, north arrow, locator, date line.

Marker sizes and weapon names are the dashboard's own (:mod:`geo.webmap.popups`).

Used by :mod:`geo.staticmap.snapshot`; every function works on whole columns, never one artist per event.
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
    """Where the inset, the legend, the scale bar and the north arrow go: the corners that hide the fewest events."""
    w, s, e, n = extent
    fx, fy = (x - w) / (e - w), (y - s) / (n - s)
    left, right, top, bottom = fx < 0.3, fx > 0.7, fy > 0.6, fy < 0.4
    inset = "upper left" if np.sum(left & top) < np.sum(right & top) else "upper right"
    legend = "lower left" if np.sum(left & bottom) < np.sum(right & bottom) else "lower right"
    return {"locator": inset, "legend": legend, "scale": "lower right" if legend == "lower left" else "lower left",
            "north": "upper right" if inset == "upper left" else "upper left"}


def legend(ax: Any, weapons: list[str], sizes: list[int], *, stacked: bool, loc: str = "lower right") -> Any:
    """Legend of exactly the weapon types present, reference circles spanning the fatalities drawn, and, when some
    symbols stand for several events, what their number means."""
    from matplotlib.lines import Line2D

    if not weapons:
        return None
    size = 2 * MIN_RADIUS * PX_TO_PT
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=size, markerfacecolor=WEAPON_COLORS.get(
        w, FALLBACK_COLOR), markeredgecolor="#333333", markeredgewidth=0.5, label=weapon_label(w)) for w in weapons]
    for value in sizes:
        r = float(marker_radius(pd.Series([value]))[0])
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=2 * r * PX_TO_PT,
                              markerfacecolor="white", markeredgecolor="#333333", markeredgewidth=0.6,
                              label=f"{value:,} killed"))
    if stacked:
        handles.append(Line2D([], [], linestyle="none", marker="$12$", markersize=9, color="#333333",
                              label="events at one site"))
    leg = ax.legend(handles=handles, title="Weapon" + (" · circle size: killed" if sizes else ""), loc=loc,
                    fontsize=8, title_fontsize=8.5, framealpha=0.92, edgecolor="#999999", borderpad=0.7,
                    labelspacing=0.55 if not sizes else 0.8)
    leg.set_zorder(8)
    return leg


def north_arrow(ax: Any, *, loc: str = "upper left", color: str = "#222222") -> Any:
    """A small north arrow in an upper corner (the map is drawn north up)."""
    x = 0.035 if loc == "upper left" else 0.965
    arrow = ax.annotate("N", xy=(x, 0.955), xytext=(x, 0.885), xycoords="axes fraction", ha="center", va="center",
                        fontsize=9, fontweight="bold", color=color, zorder=7,
                        arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.6", "color": color,
                                    "linewidth": 1.2, "shrinkA": 5, "shrinkB": 0})
    return arrow


def _nice(value: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above *value*."""
    k = 10 ** math.floor(math.log10(value))
    return max(m * k for m in (1, 2, 5) if m * k <= value)


def scale_bar(ax: Any, extent: tuple[float, float, float, float], *, loc: str = "lower left",
              color: str = "#222222") -> list[Any]:
    """A scale bar in a lower corner, true at its own latitude (said on the bar when the map is tall)."""
    w, s, e, n = extent
    lat = s + 0.06 * (n - s)
    km_per_deg = KM_PER_DEG * math.cos(math.radians(lat))
    km = _nice((e - w) * km_per_deg * 0.2)
    x0, y0 = w + 0.04 * (e - w), lat
    if loc == "lower right":
        x0 = e - 0.04 * (e - w) - km / km_per_deg
    x1 = x0 + km / km_per_deg
    bar = ax.plot([x0, x1], [y0, y0], color=color, linewidth=2.2, solid_capstyle="butt", zorder=7)
    ticks = ax.plot([x0, x0, x0 + (x1 - x0) / 2, x1], [y0] * 4, "|", color=color, markersize=6, zorder=7)
    note = f" (at {abs(lat):.0f}°{'N' if lat >= 0 else 'S'})" if n - s > 15 else ""
    text = ax.text((x0 + x1) / 2, y0 + 0.012 * (n - s), f"{km:g} km{note}", ha="center", va="bottom", fontsize=8,
                   color="#222222", zorder=7, bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1})
    return [*bar, *ticks, text]


def locator(fig: Any, ax: Any, extent: tuple[float, float, float, float],
            draw_basemap: Callable[..., None], *, loc: str = "upper right") -> Any:
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
    draw_basemap(inset, wide, linewidth=0.25)
    inset.set_xlim(wide[0], wide[2])
    inset.set_ylim(wide[1], wide[3])
    inset.set_aspect(1 / max(k, 0.2), adjustable="datalim")
    inset.add_patch(Rectangle((w, s), e - w, n - s, fill=False, edgecolor="#d62728", linewidth=1.2, zorder=5))
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(0.7)
    return inset


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
