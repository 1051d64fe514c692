"""geo.timeline: playback frames by day, week and month; which events each frame shows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from geo import timeline


@pytest.mark.parametrize(("step", "n", "first", "label"), [
    ("day", 31, date(2021, 7, 1), "1 Jul 2021"),
    ("week", 5, date(2021, 6, 28), "Week of 28 Jun 2021"),  # weeks start on Monday
    ("month", 1, date(2021, 7, 1), "Jul 2021"),
], ids=["day", "week", "month"])
def test_frames_cover_the_span(step, n, first, label):
    frames = timeline.frames(date(2021, 7, 1), date(2021, 7, 31), step=step)
    assert len(frames) == n and frames.first_day(0) == first and frames.label(0) == label
    assert frames.last_day(len(frames) - 1) >= date(2021, 7, 31)


def test_a_known_event_falls_in_its_frame():
    frames = timeline.frames(date(2021, 1, 1), date(2021, 12, 31), step="week")
    dates = pd.to_datetime(["2021-07-05", "2021-01-01", "2021-12-31", None, "2022-03-01"])
    idx = timeline.frame_index(dates, frames)
    assert frames.first_day(idx[0]) == date(2021, 7, 5) and idx[1] == 0 and idx[2] == len(frames) - 1
    assert idx[3] == -1 and idx[4] == -1  # no date, after the span


def test_window_and_cumulative():
    idx = np.array([0, 1, 2, 3, 4, -1])
    assert timeline.visible(idx, 3, mode="window", window=1).tolist() == [0, 0, 0, 1, 0, 0]
    assert timeline.visible(idx, 3, mode="window", window=2).tolist() == [0, 0, 1, 1, 0, 0]
    assert timeline.visible(idx, 3, mode="cumulative").tolist() == [1, 1, 1, 1, 0, 0]


@pytest.mark.parametrize("kwargs", [{"mode": "rolling"}, {"window": 0}], ids=["mode", "window"])
def test_bad_options_raise_a_geo_error(kwargs):
    from geo.errors import GeoError

    with pytest.raises(GeoError):
        timeline.visible(np.array([0]), 0, **kwargs)
    with pytest.raises(GeoError):
        timeline.frames(date(2021, 1, 1), date(2021, 2, 1), step="year")
