"""Time playback frames: which events are visible at frame k, for the web playback and the GIF/MP4 export alike.

A timeline cuts the span of the events into steps (day, week from Monday, month).  In ``window`` mode frame k
shows the events of its own step (or of the last ``window`` steps); in ``cumulative`` mode everything up to the
end of step k.  Pure and vectorised: one ``searchsorted`` gives each event its step, and because events sorted by
step are contiguous per step, each frame is one slice of that order.

    tl = timeline(events["date"], step="week", mode="cumulative")
    order = tl.order            # event positions sorted by step
    lo, hi = tl.slice(k)        # frame k shows events order[lo:hi]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.errors import GeoError

STEPS = ("day", "week", "month")
MODES = ("window", "cumulative")
_FREQ = {"day": "D", "week": "W-MON", "month": "MS"}


class TimelineError(GeoError):
    """A playback option that makes no sense (unknown step or mode, empty span)."""


@dataclass(frozen=True)
class Timeline:
    """Frames over a span: ``starts[k]`` <= a date of frame k < ``starts[k + 1]``."""

    starts: np.ndarray  # datetime64[ns], one per frame, then the end of the last frame
    step: str
    mode: str
    window: int
    index: np.ndarray  # each event's frame (-1: before the span, len(self): after it)
    order: np.ndarray  # event positions sorted by frame (stable: ties keep their input order)
    bounds: np.ndarray  # bounds[k] = first position in `order` whose frame is >= k

    def __len__(self) -> int:
        return len(self.starts) - 1

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
        start = pd.Timestamp(self.starts[k])
        if self.mode == "cumulative":
            last = pd.Timestamp(self.starts[k + 1]) - pd.Timedelta(days=1)
            return f"Up to {last.day} {last:%b %Y}"
        day = f"{start.day} {start:%b %Y}"
        return {"day": day, "week": f"Week of {day}", "month": f"{start:%b %Y}"}[self.step]


def timeline(dates: pd.Series | np.ndarray, *, step: str = "week", mode: str = "window", window: int = 1,
             start: object | None = None, end: object | None = None) -> Timeline:
    """Frames for *dates* (one per event) from *start* to *end* (default: the first and last date).

    Parameters
    ----------
    step : {"day", "week", "month"}
        The time one frame covers; weeks start on Monday, months on the 1st.
    mode : {"window", "cumulative"}
        Show each frame's own events (the last ``window`` steps), or all events so far.
    """
    if step not in STEPS:
        raise TimelineError(f"unknown step '{step}'; expected one of: {', '.join(STEPS)}")
    if mode not in MODES:
        raise TimelineError(f"unknown mode '{mode}'; expected one of: {', '.join(MODES)}")
    if window < 1:
        raise TimelineError(f"window {window} must be at least 1 step")
    when = pd.to_datetime(pd.Series(dates), errors="coerce").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    known = when[~np.isnat(when)]
    if start is None and not len(known):
        raise TimelineError("no dated events to play back")
    first = pd.Timestamp(start) if start is not None else pd.Timestamp(known.min())
    last = pd.Timestamp(end) if end is not None else pd.Timestamp(known.max())
    if last < first:
        raise TimelineError(f"the span ends ({last.date()}) before it starts ({first.date()})")
    first = {"day": first.normalize(), "week": first.normalize() - pd.Timedelta(days=first.weekday()),
             "month": first.normalize().replace(day=1)}[step]
    starts = pd.date_range(first, last.normalize() + pd.Timedelta(days=1), freq=_FREQ[step], inclusive="left")
    ends = starts[-1] + pd.tseries.frequencies.to_offset(_FREQ[step])
    edges = np.append(starts.to_numpy(dtype="datetime64[ns]"), np.datetime64(ends, "ns"))
    index = np.searchsorted(edges, when, side="right") - 1  # NaT sorts last: after the span
    index = np.where(np.isnat(when), len(edges) - 1, index)
    order = np.argsort(index, kind="stable")
    bounds = np.searchsorted(index[order], np.arange(len(edges)), side="left")
    return Timeline(edges, step, mode, window, index, order, bounds)


__all__ = ["MODES", "STEPS", "Timeline", "TimelineError", "timeline"]
