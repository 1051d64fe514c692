"""Place names on a static map without collisions: a greedy placement over candidate positions.

Labels are taken in priority order (the named event sites, then countries, cities by size, rivers, provinces);
each tries up to eight positions around its point and takes the first whose box (in display pixels) meets no
label already placed and no obstacle (legend, locator, scale bar, north arrow, event symbols).  The boxes placed
are returned, so tests can check them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.font_manager import FontProperties

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels (y up)

#: Offsets (dx, dy) in units of the gap, with the text alignment each needs: right first, as cartographers do.
POSITIONS = [((1, 0), "left", "center"), ((-1, 0), "right", "center"), ((0.8, 0.8), "left", "bottom"),
             ((0.8, -0.8), "left", "top"), ((-0.8, 0.8), "right", "bottom"), ((-0.8, -0.8), "right", "top"),
             ((0, 1), "center", "bottom"), ((0, -1), "center", "top")]


@dataclass(frozen=True)
class Label:
    """A name to place: at (x, y) in data coordinates; ``gap`` (points) keeps it off its own symbol."""

    text: str
    x: float
    y: float
    kind: str  # "site", "country", "city", "river", "province"
    size: float = 7.5
    gap: float = 3.0
    angle: float = 0.0
    dot: bool = False


@dataclass(frozen=True)
class Placed:
    text: str
    kind: str
    box: Box


STYLE = {  # kind -> (weight, style, colour key, case)
    "site": ("bold", "normal", "ink", False), "city": ("normal", "normal", "ink", False),
    "country": ("normal", "italic", "country", True), "river": ("normal", "italic", "river", False),
    "province": ("normal", "normal", "province", True),
}
INK = {"light": {"ink": "#1a1a1a", "halo": "white", "country": "#7d7466", "river": "#2a6db5", "province": "#7a6f86"},
       "dark": {"ink": "#f0f0f0", "halo": "#14181d", "country": "#b9b1a4", "river": "#8dbbe8", "province": "#a99fb8"}}
INK["terrain"] = {**INK["light"], "country": "#5e5446", "province": "#5f5468"}


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place(ax: Any, labels: list[Label], obstacles: list[Box], *, style: str = "light") -> list[Placed]:
    """Draw the labels that fit, in order; return what was placed with its box."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    px_per_pt = fig.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    inner = (frame.x0 + 2, frame.y0 + 2, frame.x1 - 2, frame.y1 - 2)
    ink = INK.get(style, INK["light"])
    placed: list[Placed] = []
    boxes = list(obstacles)
    for label in labels:
        weight, font_style, colour, upper = STYLE[label.kind]
        text = label.text.upper() if upper else label.text
        prop = FontProperties(family="DejaVu Sans", size=label.size, weight=weight, style=font_style)
        w, h, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        w, h = w + 2 * px_per_pt, h + 1.5 * px_per_pt  # the halo
        px, py = ax.transData.transform((label.x, label.y))
        for (dx, dy), ha, va in (POSITIONS if label.kind in ("site", "city") else [((0, 0), "center", "center")]):
            box = _box(px + dx * label.gap * px_per_pt, py + dy * label.gap * px_per_pt, w, h, ha, va, label.angle)
            if not (inner[0] <= box[0] and box[2] <= inner[2] and inner[1] <= box[1] and box[3] <= inner[3]):
                continue
            if any(overlaps(box, other) for other in boxes):
                continue
            boxes.append(box)
            placed.append(Placed(label.text, label.kind, box))
            common = dict(xytext=(dx * label.gap, dy * label.gap), textcoords="offset points", ha=ha, va=va,
                          fontproperties=prop, rotation=label.angle, rotation_mode="anchor", annotation_clip=False,
                          parse_math=False)
            # The halo is a stroke-only copy underneath; the label on top stays real text (searchable in PDF/SVG).
            ax.annotate(text, (label.x, label.y), color=ink["halo"], zorder=8.8,
                        path_effects=[patheffects.Stroke(linewidth=2.2, foreground=ink["halo"])], **common)
            ax.annotate(text, (label.x, label.y), color=ink[colour], zorder=9, **common)
            if label.dot:
                ax.plot([label.x], [label.y], marker="o", markersize=3.2, markerfacecolor="white",
                        markeredgecolor="#333333", markeredgewidth=0.7, zorder=8.5, linestyle="none")
            break
    return placed


def _box(x: float, y: float, w: float, h: float, ha: str, va: str, angle: float) -> Box:
    x0 = {"left": x, "right": x - w, "center": x - w / 2}[ha]
    y0 = {"bottom": y, "top": y - h, "center": y - h / 2}[va]
    if not angle:
        return (x0, y0, x0 + w, y0 + h)
    a = math.radians(angle)  # a rotated centred label: the box around the turned rectangle
    bw, bh = abs(w * math.cos(a)) + abs(h * math.sin(a)), abs(w * math.sin(a)) + abs(h * math.cos(a))
    return (x - bw / 2, y - bh / 2, x + bw / 2, y + bh / 2)


def artist_boxes(artists: list[Any], renderer: Any) -> list[Box]:
    """Display boxes of drawn artists (legend, inset axes, scale bar texts) as obstacles."""
    out = []
    for artist in artists:
        if artist is None:
            continue
        b = artist.get_window_extent(renderer)
        out.append((b.x0 - 3, b.y0 - 3, b.x1 + 3, b.y1 + 3))
    return out


def circle_boxes(ax: Any, x: np.ndarray, y: np.ndarray, radius_pt: np.ndarray) -> list[Box]:
    """Boxes around event circles (radius in points), so names do not hide symbols."""
    if not len(x):
        return []
    px = ax.transData.transform(np.column_stack([x, y]))
    r = radius_pt * ax.figure.dpi / 72.0 + 1
    return [(a - q, b - q, a + q, b + q) for (a, b), q in zip(px, r)]
