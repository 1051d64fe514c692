"""Time playback exported as an animated GIF or an MP4, drawn in the report-map style.

The page (basemap, title, caption, legend, scale bar, north arrow, inset, place names) is drawn once with
matplotlib and reduced to a 256-colour palette that holds every weapon colour exactly.  Each frame then copies that
index image and stamps the visible events as discs with numpy (one vectorised write per symbol size), writes the
date stamp, and goes to Pillow (GIF) or PyAV's bundled libx264 (MP4).  Which events a frame shows comes from
:func:`geo.timeline.timeline`, the frame function the web playback uses too.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import get_data_path
from PIL import Image, ImageDraw, ImageFont

from geo.errors import ExportError
from geo.query import FilterSpec, describe
from geo.schema import WEAPON_COLORS
from geo.staticmap import furniture as mapkeys
from geo.staticmap.snapshot import SnapshotOptions, frame, place_labels
from geo.staticmap.symbols import stamp_discs
from geo.timeline import Timeline, timeline
from geo.webmap.popups import marker_radius

FORMATS = ("gif", "mp4")
EDGE, INK, WHITE = "#333333", "#1a1a1a", "#ffffff"
MAX_FRAMES = 1000


@dataclass(frozen=True)
class Playback:
    """What to play: the step of a frame, window or cumulative, and the speed."""

    step: str = "week"
    mode: str = "window"
    window: int = 1
    fps: float = 4.0
    start: object | None = None
    end: object | None = None

    def __post_init__(self) -> None:
        if not 0.5 <= self.fps <= 30:
            raise ExportError(f"fps {self.fps:g} is out of range; use 0.5 to 30 frames per second")


@dataclass
class Canvas:
    """The drawn page as palette indices, where each event lands on it, and the frames' timeline."""

    page: np.ndarray  # (H, W) uint8 palette indices
    palette: np.ndarray  # (256, 3) uint8
    rows: np.ndarray  # per event: pixel row, column, symbol radius and colour index
    cols: np.ndarray
    radius: np.ndarray
    colour: np.ndarray
    inside: np.ndarray  # (row0, row1, col0, col1) of the map frame
    stamp_at: tuple[int, int]
    timeline: Timeline
    ink: dict[str, int]  # palette index of EDGE, INK and WHITE


def prepare(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, *, options: SnapshotOptions = SnapshotOptions(),
            playback: Playback = Playback()) -> Canvas:
    """Draw the page once and place every event on it."""
    tl = timeline(events["date"], step=playback.step, mode=playback.mode, window=playback.window,
                  start=playback.start, end=playback.end)
    if len(tl) > MAX_FRAMES:
        raise ExportError(f"{len(tl):,} frames is too many (at most {MAX_FRAMES:,}); choose a longer --step or a "
                          "shorter --since/--until span")
    caption = options.caption or describe(spec or FilterSpec(), len(events))
    every = {"day": "daily", "week": "weekly", "month": "monthly"}[playback.step]
    caption = f"{caption} ({every} frames, {'all events so far' if playback.mode == 'cumulative' else 'each period'})"
    mapfig = frame(events, spec, options=options, caption=caption, stack=False)
    place_labels(mapfig, options, sites=None)
    fig, ax = mapfig.figure, mapfig.ax
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    height = rgb.shape[0]
    extra = [*dict.fromkeys(list(WEAPON_COLORS.values()) + [mapkeys.FALLBACK_COLOR, EDGE, INK, WHITE])]
    quantised = Image.fromarray(rgb).quantize(colors=256 - len(extra), method=Image.Quantize.MEDIANCUT,
                                              dither=Image.Dither.NONE)
    palette = np.zeros((256, 3), dtype=np.uint8)
    base = np.array(quantised.getpalette()[: 3 * (256 - len(extra))], dtype=np.uint8).reshape(-1, 3)
    palette[: len(base)] = base
    palette[256 - len(extra):] = [_rgb(c) for c in extra]
    index = {c: 256 - len(extra) + i for i, c in enumerate(extra)}
    page = np.asarray(quantised, dtype=np.uint8).copy()
    packed = (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
    for colour, i in index.items():  # legend swatches and other exact colours keep their own entry
        r, g, b = _rgb(colour)
        page[packed == ((r << 16) | (g << 8) | b)] = i
    geoms = events.geometry.to_numpy()
    xy = ax.transData.transform(np.column_stack([shapely.get_x(geoms), shapely.get_y(geoms)]))
    box = ax.get_window_extent()
    radius = marker_radius(events["fatalities"]) * mapkeys.PX_TO_PT * fig.dpi / 72.0
    colours = mapkeys.weapon_colors(events["weapon_type"])
    title_x = int(box.x1)
    return Canvas(page=page, palette=palette,
                  rows=np.round(height - xy[:, 1]).astype(np.int32), cols=np.round(xy[:, 0]).astype(np.int32),
                  radius=np.maximum(np.round(radius), 2).astype(np.int16),
                  colour=np.array([index[c] for c in colours], dtype=np.uint8),
                  inside=(int(height - box.y1) + 1, int(height - box.y0), int(box.x0) + 1, int(box.x1)),
                  stamp_at=(title_x, int(0.12 * fig.dpi)), timeline=tl,
                  ink={"edge": index[EDGE], "ink": index[INK], "white": index[WHITE]})


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def stamp(image: np.ndarray, canvas: Canvas, which: np.ndarray) -> None:
    """Draw the events *which* (positions) on *image*, inside the map frame only."""
    r0, r1, c0, c1 = canvas.inside
    stamp_discs(image[r0:r1, c0:c1], canvas.rows[which] - r0, canvas.cols[which] - c0, canvas.radius[which],
                canvas.colour[which], canvas.ink["edge"])


def frames(canvas: Canvas) -> Iterator[np.ndarray]:
    """Each frame as palette indices, in order."""
    tl = canvas.timeline
    font = _font(max(12, canvas.page.shape[0] // 45))
    layer = canvas.page.copy()
    drawn = 0  # cumulative mode: events already stamped on `layer`
    for k in range(len(tl)):
        lo, hi = tl.slice(k)
        if tl.mode == "cumulative":
            stamp(layer, canvas, tl.order[drawn:hi])
            drawn, image = hi, layer.copy()
        else:
            image = canvas.page.copy()
            stamp(image, canvas, tl.order[lo:hi])
        _date_stamp(image, canvas, f"{tl.label(k)}   {hi - lo:,} event{'s' if hi - lo != 1 else ''}", font,
                    (k + 1) / len(tl))
        yield image


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{get_data_path()}/fonts/ttf/DejaVuSans-Bold.ttf", size)  # matplotlib's own font


def _date_stamp(image: np.ndarray, canvas: Canvas, text: str, font: ImageFont.FreeTypeFont, done: float) -> None:
    """The frame's period and count, right-aligned above the map, and a progress bar under them."""
    x1, y0 = canvas.stamp_at
    pil = Image.fromarray(image, mode="P")
    draw = ImageDraw.Draw(pil)
    width = draw.textlength(text, font=font)
    ink, white = canvas.ink["ink"], canvas.ink["white"]
    draw.rectangle([x1 - width - 8, y0 - 2, x1, y0 + font.size + 10], fill=white)
    draw.text((x1 - width, y0), text, font=font, fill=ink)
    bar_y = y0 + font.size + 6
    draw.rectangle([x1 - width, bar_y, x1, bar_y + 2], fill=white, outline=None)
    draw.rectangle([x1 - width, bar_y, x1 - width + int(width * done), bar_y + 2], fill=ink)
    image[:] = np.asarray(pil)


def animation_bytes(events: gpd.GeoDataFrame, spec: FilterSpec | None = None, fmt: str = "gif", *,
                    options: SnapshotOptions = SnapshotOptions(), playback: Playback = Playback(),
                    progress: Callable[[int, int], None] | None = None) -> bytes:
    """The GIF or MP4 bytes of the playback of *events* (already filtered by *spec*)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown animation format '{fmt}'; expected one of: {', '.join(FORMATS)}")
    if not len(events):
        raise ExportError("no events match this filter: nothing to play back")
    canvas = prepare(events, spec, options=options, playback=playback)
    writer = _gif if fmt == "gif" else _mp4
    return writer(canvas, playback, progress)


def _gif(canvas: Canvas, playback: Playback, progress: Callable[[int, int], None] | None) -> bytes:
    flat = canvas.palette.reshape(-1).tolist()
    images = []
    total = len(canvas.timeline)
    for k, index in enumerate(frames(canvas)):
        image = Image.fromarray(index, mode="P")
        image.putpalette(flat)
        images.append(image)
        if progress:
            progress(k + 1, total)
    buf = io.BytesIO()
    step_ms = int(round(1000 / playback.fps))
    durations = [step_ms] * (len(images) - 1) + [max(step_ms, 1500)]  # rest on the last frame
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0,
                   optimize=False, disposal=1)
    return buf.getvalue()


def _mp4(canvas: Canvas, playback: Playback, progress: Callable[[int, int], None] | None) -> bytes:
    import av
    from fractions import Fraction

    height, width = canvas.page.shape
    buf = io.BytesIO()
    total = len(canvas.timeline)
    with av.open(buf, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=Fraction(playback.fps).limit_denominator(1000))
        stream.width, stream.height = width - width % 2, height - height % 2  # yuv420p needs even sides
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}
        for k, index in enumerate(frames(canvas)):
            rgb = canvas.palette[index[: stream.height, : stream.width]]
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")):
                container.mux(packet)
            if progress:
                progress(k + 1, total)
        for packet in stream.encode():
            container.mux(packet)
    return buf.getvalue()


__all__ = ["FORMATS", "Playback", "animation_bytes", "frames", "prepare", "stamp"]
