"""Map build time and HTML size at 1k, 10k, 100k and 1M events, beside naive folium (one Marker + Popup each).

    .venv/bin/python bench/map_bench.py            # naive folium only up to 10k (it takes ~10 s there)

Targets (issue #4): the map of 100k filtered events builds in <= 1 s; the browser never receives more than
about 5 MB or 5,000 single markers (above that: a density grid computed in Python).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import raw_events  # noqa: E402
from geo.webmap import mapview  # noqa: E402
from geo.validate import check  # noqa: E402


def naive(events) -> str:
    import folium

    m = folium.Map(tiles=None)
    for row in events.itertuples():
        folium.Marker([row.geometry.y, row.geometry.x], popup=folium.Popup(str(row.description))).add_to(m)
    return m.get_root().render()


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000, 1_000_000]
    raw, geometry = raw_events(max(sizes))
    events_all = check(raw, geometry).events
    del raw
    print(f"{'events':>10} {'build+render':>13} {'HTML MB':>8} {'markers':>8} {'naive folium':>13} {'naive MB':>9}")
    for n in sizes:
        events = events_all.iloc[:n]
        seconds, html = timed(lambda: mapview.build_map(events, asset_base_url="/app/static",
                                                         cluster=True).get_root().render())
        markers = min(n, mapview.MAX_MARKERS) if n <= mapview.MAX_MARKERS else 0
        line = f"{n:>10,} {seconds:>12.2f}s {len(html) / 1e6:>8.2f} {markers:>8,}"
        if n <= 10_000:
            nsec, nhtml = timed(lambda: naive(events))
            line += f" {nsec:>12.2f}s {len(nhtml) / 1e6:>9.2f}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
