"""Time playback frames: which events are visible at frame k (shared by the web map and the GIF/MP4 export).

A playback cuts the span of the events into frames of one ``step`` ("day", "week" starting on Monday, or
"month"). Each event falls in one frame (:func:`frame_index`); frame ``k`` then shows, in ``"window"`` mode, the
events of the last ``window`` frames up to ``k``, and in ``"cumulative"`` mode every event up to ``k``
(:func:`visible`). All of it works on whole columns: a million events take a few milliseconds.

Example::

    frames = timeline.frames(events["date"].min(), events["date"].max(), step="week")
    idx = timeline.frame_index(events["date"], frames)
    shown = events[timeline.visible(idx, 10, mode="cumulative")]
    frames.label(10)   # "8 Mar 2021"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from geo.errors import GeoError

Step = Literal["day", "week", "month"]
Mode = Literal["window", "cumulative"]
STEPS: tuple[str, ...] = ("day", "week", "month")
MODES: tuple[str, ...] = ("window", "cumulative")


class PlaybackError(GeoError):
    """A playback option that does not exist (an unknown step or mode, a window below one frame)."""


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
        """What a date stamp shows for frame k: "5 Jul 2021", "week of 5 Jul 2021", "Jul 2021"."""
        day = self.first_day(k)
        if self.step == "month":
            return f"{day:%b %Y}"
        text = f"{day.day} {day:%b %Y}"
        return f"week of {text}" if self.step == "week" else text

    def labels(self) -> list[str]:
        return [self.label(k) for k in range(len(self))]


def _day(value: object) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")


def frames(first: object, last: object, *, step: str = "week") -> Frames:
    """The frames that cover ``first`` .. ``last`` (dates or timestamps, both included) by ``step``."""
    if step not in STEPS:
        raise PlaybackError(f"playback step {step!r} is not one of {', '.join(STEPS)}")
    lo, hi = _day(first), _day(last)
    if hi < lo:
        lo, hi = hi, lo
    if step == "day":
        start, end = lo, hi + 1
        starts = np.arange(start, end + 1, dtype="datetime64[D]")
    elif step == "week":
        weekday = (lo.astype("int64") - 4) % 7  # 1970-01-01 was a Thursday: Monday -> 0
        start = lo - weekday
        n = int((hi - start).astype("int64")) // 7 + 1
        starts = start + 7 * np.arange(n + 1)
    else:
        months = np.arange(lo.astype("datetime64[M]"), hi.astype("datetime64[M]") + 2, dtype="datetime64[M]")
        starts = months.astype("datetime64[D]")
    return Frames(step, starts.astype("datetime64[D]"))


def frame_index(dates: object, frames: Frames) -> np.ndarray:
    """The frame of each date (int32), or -1 for a missing date or one outside the frames."""
    days = pd.to_datetime(pd.Series(np.asarray(dates))).to_numpy().astype("datetime64[D]")
    idx = np.searchsorted(frames.starts, days, side="right").astype(np.int64) - 1
    bad = np.isnat(days) | (idx < 0) | (idx >= len(frames))
    return np.where(bad, -1, idx).astype(np.int32)


def visible(index: np.ndarray, k: int, *, mode: str = "window", window: int = 1) -> np.ndarray:
    """Boolean mask of the events shown at frame ``k`` given their :func:`frame_index`."""
    if mode not in MODES:
        raise PlaybackError(f"playback mode {mode!r} is not one of {', '.join(MODES)}")
    if window < 1:
        raise PlaybackError(f"playback window must be at least one frame, not {window}")
    lo = 0 if mode == "cumulative" else k - window + 1
    return (index >= max(lo, 0)) & (index <= k)
