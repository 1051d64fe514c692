"""Benchmark of report maps: a PNG of 10k and 100k synthetic events, beside a per-event baseline; and the
playback export (GIF/MP4 of a year by week) beside a plain static snapshot of the same events.

    .venv/bin/python bench/snapshot_bench.py            # 10k and 100k
    .venv/bin/python bench/snapshot_bench.py 10000
    .venv/bin/python bench/snapshot_bench.py --animate 1000000

Targets (issue #7): PNG of 10k events <= 2 s, of 100k events <= 5 s (A4 landscape, 150 dpi, halos off).
The baseline draws the same points one ``ax.plot`` per event (the common way), on at most 10k events.
Target (issue #12): a 52-frame GIF of a year by week <= 30 s at 1M events (slide 16:9, 96 dpi: 1280 x 720).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {10_000: 2.0, 100_000: 5.0}


def _events(n: int, *, one_year: bool = False):
    import numpy as np
    import pandas as pd

    from bench.synthetic import raw_events
    from geo.validate import check

    raw, geometry = raw_events(n)
    if one_year:  # 2021, spread over its 52 weeks from Monday 4 January
        days = np.random.default_rng(11).integers(0, 364, n)
        raw["date"] = (pd.Timestamp("2021-01-04") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    checked = check(raw, geometry)
    assert not checked.problems, checked.problems[:3]
    return checked.events


def _timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _baseline(events) -> float:
    """One matplotlib artist per event: what a loop over rows does."""
    import io

    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geo.schema import WEAPON_COLORS

    def run() -> bytes:
        fig = Figure(figsize=(11.69, 8.27), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        geoms = events.geometry.to_numpy()
        for x, y, w in zip(shapely.get_x(geoms), shapely.get_y(geoms), events["weapon_type"].astype("str")):
            ax.plot(x, y, "o", color=WEAPON_COLORS[w], markersize=4)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()

    return _timed(run, repeat=1)[0]


def main(sizes: list[int]) -> int:
    from geo.staticmap import snapshot

    snapshot.snapshot_bytes(_events(100), fmt="png")  # warm-up: imports, fonts, basemap
    failed = 0
    print(f"{'events':>8}  {'png_s':>6}  {'target_s':>8}  {'png_kb':>6}  {'baseline_s':>10}  {'speed-up':>8}")
    for n in sizes:
        events = _events(n)
        seconds, png = _timed(lambda: snapshot.snapshot_bytes(events, fmt="png"))
        base = _baseline(events.head(min(n, 10_000)))
        base_scaled = base * n / min(n, 10_000)  # the loop is linear in events: extrapolated above 10k
        target = TARGETS.get(n)
        ok = target is None or seconds <= target
        failed += not ok
        print(f"{n:>8,}  {seconds:>6.2f}  {target or '-':>8}  {len(png) / 1000:>6.0f}  {base_scaled:>10.2f}  "
              f"{base_scaled / seconds:>7.1f}x  {'ok' if ok else 'SLOW'}")
    return 1 if failed else 0


def animate_main(n: int) -> int:
    """A year by week as GIF (window and cumulative) and MP4, beside a static PNG of the same events and page."""
    from geo.staticmap import animate, snapshot

    options = snapshot.SnapshotOptions(size="slide-16x9", dpi=96)
    events = _events(n, one_year=True)
    snapshot.snapshot_bytes(_events(100), fmt="png", options=options)  # warm-up: imports, fonts, basemap
    static_s, png = _timed(lambda: snapshot.snapshot_bytes(events, fmt="png", options=options), repeat=1)
    print(f"{n:,} events, one year, slide-16x9 at 96 dpi (the machine is shared: 2 cores)")
    print(f"{'output':<28} {'seconds':>8} {'frames':>6} {'MB':>6}")
    print(f"{'static PNG (peer)':<28} {static_s:>8.2f} {1:>6} {len(png) / 1e6:>6.2f}")
    failed = 0
    for label, fmt, mode in (("GIF, weekly window", "gif", "window"), ("GIF, weekly cumulative", "gif", "cumulative"),
                             ("MP4, weekly window", "mp4", "window")):
        playback = animate.Playback(step="week", mode=mode)
        seconds, data = _timed(lambda: animate.animation_bytes(events, fmt=fmt, options=options,
                                                               playback=playback), repeat=1)
        frames = len(animate.prepare(events.head(1000), options=options, playback=animate.Playback(
            step="week", start="2021-01-04", end="2021-12-31")).timeline)
        ok = fmt != "gif" or seconds <= 30
        failed += not ok
        print(f"{label:<28} {seconds:>8.2f} {frames:>6} {len(data) / 1e6:>6.2f}  {'ok' if ok else 'SLOW'}"
              f"  ({seconds / static_s:.1f}x the static PNG)")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--animate"]:
        sys.exit(animate_main(int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000))
    sys.exit(main([int(a) for a in sys.argv[1:]] or [10_000, 100_000]))
