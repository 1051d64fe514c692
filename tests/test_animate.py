"""geo.timeline (the playback's frame function) and geo.staticmap.animate (GIF/MP4 export), read back as files."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import geo
from geo import cli
from geo.schema import WEAPON_COLORS
from geo.staticmap import animate, snapshot
from geo.timeline import TimelineError, timeline
from tests.conftest import feature

SMALL = snapshot.SnapshotOptions(size="square", dpi=60, locator=False)


# --- the frame function -------------------------------------------------------------------------


def test_a_year_by_week_has_a_frame_per_week():
    dates = pd.Series(pd.date_range("2021-01-04", "2021-12-31", freq="D"))
    tl = timeline(dates, step="week")
    assert len(tl) == 52 and tl.label(0) == "Week of 4 Jan 2021"
    assert all(tl.slice(k)[1] - tl.slice(k)[0] == 7 for k in range(51))


@pytest.mark.parametrize("step", ["day", "week", "month"])
@pytest.mark.parametrize("mode,window", [("window", 1), ("window", 3), ("cumulative", 1)])
def test_visible_events_match_a_plain_date_comparison(step, mode, window):
    rng = np.random.default_rng(7)
    dates = pd.Series(pd.Timestamp("2020-02-10") + pd.to_timedelta(rng.integers(0, 400, 3000), unit="D"))
    tl = timeline(dates, step=step, mode=mode, window=window)
    for k in range(0, len(tl), max(1, len(tl) // 12)):
        end = pd.Timestamp(tl.starts[k + 1])
        start = pd.Timestamp(tl.starts[0 if mode == "cumulative" else max(k - window + 1, 0)])
        expected = ((dates >= start) & (dates < end)).to_numpy()
        assert (tl.visible(k) == expected).all(), k


def test_events_outside_the_span_and_undated_events_never_show():
    dates = pd.Series(pd.to_datetime(["2021-01-01", "2021-02-15", None, "2021-06-01"]))
    tl = timeline(dates, step="month", start="2021-02-01", end="2021-03-31", mode="cumulative")
    assert len(tl) == 2
    assert tl.visible(1).tolist() == [False, True, False, False]


@pytest.mark.parametrize("kwargs,message", [({"step": "year"}, "unknown step"), ({"mode": "all"}, "unknown mode"),
                                            ({"window": 0}, "at least 1")])
def test_bad_playback_options_are_clear_errors(kwargs, message):
    with pytest.raises(TimelineError, match=message):
        timeline(pd.Series(pd.to_datetime(["2021-01-01"])), **kwargs)


# --- GIF and MP4 --------------------------------------------------------------------------------


@pytest.fixture
def three_weeks(make_events):
    """One drone event per week at three places, one each week; the middle one is the one we look for."""
    return make_events(
        feature(40.0, 35.0, event_id="w1", date="2021-07-05", weapon_type="rocket", fatalities=None),
        feature(44.0, 33.0, event_id="w2", date="2021-07-14", weapon_type="drone", fatalities=None),
        feature(46.5, 31.0, event_id="w3", date="2021-07-21", weapon_type="airstrike", fatalities=None),
    )


def gif_frames(data: bytes) -> list[np.ndarray]:
    image = Image.open(io.BytesIO(data))
    out = []
    for k in range(image.n_frames):
        image.seek(k)
        out.append(np.asarray(image.convert("RGB")).astype(int))
    return out


def test_gif_has_one_frame_per_week_at_the_page_size(three_weeks):
    data = animate.animation_bytes(three_weeks, fmt="gif", options=SMALL)
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF" and image.n_frames == 3
    assert image.size == (480, 480)  # 8 in x 60 dpi


def test_a_known_event_appears_in_its_own_frame_only(three_weeks):
    canvas = animate.prepare(three_weeks, options=SMALL)
    frames = gif_frames(animate.animation_bytes(three_weeks, fmt="gif", options=SMALL))
    drone = int(np.flatnonzero(three_weeks["event_id"].to_numpy() == "w2")[0])
    row, col = int(canvas.rows[drone]), int(canvas.cols[drone])
    want = np.array([int(WEAPON_COLORS["drone"][i:i + 2], 16) for i in (1, 3, 5)])
    colour = [np.abs(f[row, col] - want).max() for f in frames]
    assert colour[1] <= 2, colour  # week of 12 July: there, in its weapon's colour
    assert colour[0] > 40 and colour[2] > 40, colour  # the weeks before and after: not there


def test_cumulative_keeps_earlier_events(three_weeks):
    canvas = animate.prepare(three_weeks, options=SMALL, playback=animate.Playback(mode="cumulative"))
    frames = gif_frames(animate.animation_bytes(three_weeks, fmt="gif", options=SMALL,
                                                playback=animate.Playback(mode="cumulative")))
    first = 0  # the rocket of the first week stays on every later frame
    row, col = int(canvas.rows[first]), int(canvas.cols[first])
    want = np.array([int(WEAPON_COLORS["rocket"][i:i + 2], 16) for i in (1, 3, 5)])
    assert all(np.abs(f[row, col] - want).max() <= 2 for f in frames)


def test_mp4_decodes_with_one_frame_per_step(three_weeks):
    import av

    data = animate.animation_bytes(three_weeks, fmt="mp4", options=SMALL, playback=animate.Playback(fps=2))
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        decoded = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
    assert len(decoded) == 3 and decoded[0].shape == (480, 480, 3)
    assert stream.codec_context.name == "h264"


def test_no_events_is_a_clear_error(make_events, three_weeks):
    with pytest.raises(geo.ExportError, match="nothing to play back"):
        animate.animation_bytes(three_weeks.iloc[:0], fmt="gif", options=SMALL)
    with pytest.raises(geo.ExportError, match="unknown animation format"):
        animate.animation_bytes(three_weeks, fmt="avi", options=SMALL)


def test_cli_animate_writes_gif_and_refuses_other_extensions(tmp_path, capsys):
    out = tmp_path / "campaign.gif"
    code = cli.main(["animate", "--country", "IRQ", "--step", "month", "--size", "square", "--dpi", "40",
                     "-o", str(out)])
    assert code == 0 and Image.open(out).n_frames > 5
    err = capsys.readouterr().err  # not a terminal: one plain line, no carriage return shown as "\x0d"
    assert err.startswith(f"{out}: gif, ") and err.count("\n") == 1 and "\r" not in err and "\\x" not in err
    assert cli.main(["animate", "-o", str(tmp_path / "campaign.avi")]) == 1
    assert "use .gif or .mp4" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.gif"]
