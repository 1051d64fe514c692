"""Time playback frames: which events are visible at frame k, for the web map and the GIF/MP4 export alike.

A playback cuts the span of the events into frames of one ``step`` ("day", "week" starting on Monday, or
"month"). Each event falls in one frame (:func:`frame_index`); frame ``k`` then shows, in ``"window"`` mode, the
events of the last ``window`` frames up to ``k``, and in ``"cumulative"`` mode every event up to ``k``
(:func:`visible`). All of it works on whole columns: a million events take a few milliseconds.

Two entry points over the same frames::

    span = frames(first, last, step="week")           # the web map: frame boundaries, then
    idx = frame_index(events["date"], span)            # each event's frame and
    shown = visible(idx, 10, mode="cumulative")        # a mask per frame

    tl = timeline(events["date"], step="week")         # the GIF/MP4: the same, plus each frame as a slice
    lo, hi = tl.slice(k)                               # frame k shows events tl.order[lo:hi]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geo.errors import GeoError

STEPS: tuple[str, ...] = ("day", "week", "month")
MODES: tuple[str, ...] = ("window", "cumulative")


class TimelineError(GeoError):
    """A playback option that makes no sense (unknown step or mode, a window below one frame, an empty span)."""


PlaybackError = TimelineError  # (the name the web map's code uses)


def _check(step: str | None = None, mode: str | None = None, window: int = 1) -> None:
    if step is not None and step not in STEPS:
        raise TimelineError(f"unknown step '{step}'; expected one of: {', '.join(STEPS)}")
    if mode is not None and mode not in MODES:
        raise TimelineError(f"unknown mode '{mode}'; expected one of: {', '.join(MODES)}")
    if window < 1:
        raise TimelineError(f"window {window} must be at least 1 step")


def _stamp(day: date, step: str) -> str:
    if step == "month":
        return f"{day:%b %Y}"
    text = f"{day.day} {day:%b %Y}"
    return f"Week of {text}" if step == "week" else text


@dataclass(frozen=True)
class Frames:
    """Frame ``k`` covers the days ``starts[k] <= day < starts[k + 1]`` (``starts`` has one more item)."""

    step: str
    starts: np.ndarray  # datetime64[D], len(self) + 1 boundaries

    def __len__(self) -> int:
        return max(len(self.starts) - 1, 0)

    def first_day(self, k: int) -> date:
        return pd.Timestamp(self.starts[k]).date()

    def last_day(self, k: int) -> date:
        return (pd.Timestamp(self.starts[k + 1]) - pd.Timedelta(days=1)).date()

    def label(self, k: int) -> str:
        """What a date stamp shows for frame k: "5 Jul 2021", "Week of 5 Jul 2021", "Jul 2021"."""
        return _stamp(self.first_day(k), self.step)

    def labels(self) -> list[str]:
        return [self.label(k) for k in range(len(self))]


def _day(value: object) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")


def frames(first: object, last: object, *, step: str = "week") -> Frames:
    """The frames that cover ``first`` .. ``last`` (dates or timestamps, both included) by ``step``."""
    _check(step=step)
    lo, hi = _day(first), _day(last)
    if hi < lo:
        lo, hi = hi, lo
    if step == "day":
        starts = np.arange(lo, hi + 2, dtype="datetime64[D]")
    elif step == "week":
        weekday = (lo.astype("int64") - 4) % 7  # 1970-01-01 was a Thursday: Monday -> 0
        start = lo - weekday
        n = int((hi - start).astype("int64")) // 7 + 1
        starts = start + 7 * np.arange(n + 1)
    else:
        months = np.arange(lo.astype("datetime64[M]"), hi.astype("datetime64[M]") + 2, dtype="datetime64[M]")
        starts = months.astype("datetime64[D]")
    return Frames(step, starts.astype("datetime64[D]"))


def _days(dates: object) -> np.ndarray:
    when = pd.to_datetime(pd.Series(np.asarray(dates)), errors="coerce")
    if getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_localize(None)
    return when.to_numpy().astype("datetime64[D]")


def frame_index(dates: object, frames: Frames) -> np.ndarray:
    """The frame of each date (int32), or -1 for a missing date or one outside the frames."""
    days = _days(dates)
    idx = np.searchsorted(frames.starts, days, side="right").astype(np.int64) - 1
    bad = np.isnat(days) | (idx < 0) | (idx >= len(frames))
    return np.where(bad, -1, idx).astype(np.int32)


def visible(index: np.ndarray, k: int, *, mode: str = "window", window: int = 1) -> np.ndarray:
    """Boolean mask of the events shown at frame ``k`` given their :func:`frame_index`."""
    _check(mode=mode, window=window)
    lo = 0 if mode == "cumulative" else k - window + 1
    return (index >= max(lo, 0)) & (index <= k)


@dataclass(frozen=True)
class Timeline:
    """Frames with each event placed in one, and the events sorted by frame so that a frame is one slice."""

    frames: Frames
    mode: str
    window: int
    index: np.ndarray  # each event's frame, -1 when undated or outside the span
    order: np.ndarray  # event positions sorted by frame (stable: ties keep their input order)
    bounds: np.ndarray  # bounds[k] = first position in `order` whose frame is >= k

    @property
    def step(self) -> str:
        return self.frames.step

    @property
    def starts(self) -> np.ndarray:
        """Frame boundaries as datetime64[ns]: frame k covers starts[k] <= date < starts[k + 1]."""
        return self.frames.starts.astype("datetime64[ns]")

    def __len__(self) -> int:
        return len(self.frames)

    def slice(self, k: int) -> tuple[int, int]:
        """The range of ``order`` visible at frame *k*."""
        if not 0 <= k < len(self):
            raise IndexError(f"frame {k} is outside 0..{len(self) - 1}")
        first = 0 if self.mode == "cumulative" else max(k - self.window + 1, 0)
        return int(self.bounds[first]), int(self.bounds[k + 1])

    def visible(self, k: int) -> np.ndarray:
        """Boolean mask over the events: visible at frame *k*."""
        lo, hi = self.slice(k)
        mask = np.zeros(len(self.index), dtype=bool)
        mask[self.order[lo:hi]] = True
        return mask

    def label(self, k: int) -> str:
        """What frame *k* shows, for a date stamp: "Week of 6 Jan 2020", "Mar 2021", "Up to 12 Jan 2020"."""
        if self.mode == "cumulative":
            last = self.frames.last_day(k)
            return f"Up to {last.day} {last:%b %Y}"
        return self.frames.label(k)


def timeline(dates: pd.Series | np.ndarray, *, step: str = "week", mode: str = "window", window: int = 1,
             start: object | None = None, end: object | None = None) -> Timeline:
    """Frames for *dates* (one per event) from *start* to *end* (default: the first and last date)."""
    _check(step=step, mode=mode, window=window)
    days = _days(dates)
    known = days[~np.isnat(days)]
    if (start is None or end is None) and not len(known):
        raise TimelineError("no dated events to play back")
    first = _day(start) if start is not None else known.min()
    last = _day(end) if end is not None else known.max()
    if last < first:
        raise TimelineError(f"the span ends ({pd.Timestamp(last).date()}) before it starts "
                            f"({pd.Timestamp(first).date()})")
    span = frames(first, last, step=step)
    index = frame_index(days, span)
    order = np.argsort(index, kind="stable")
    bounds = np.searchsorted(index[order], np.arange(len(span) + 1), side="left")
    return Timeline(span, mode, window, index, order, bounds)


__all__ = ["MODES", "STEPS", "Frames", "PlaybackError", "Timeline", "TimelineError", "frame_index", "frames",
           "timeline", "visible"]
