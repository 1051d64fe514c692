"""The drill-down map at 100k, 1M and 5M events, beside folium's FastMarkerCluster and lonboard, in one run.

    .venv/bin/python bench/map_bench.py                    # Python side: 100k, 1M, 5M
    .venv/bin/python bench/map_bench.py --browser 1000000  # plus the real app in headless Chromium at 1M
    make bench-peers                                       # once: .venv-peers with lonboard, for its payload
    LONBOARD_PYTHON=/path/to/venv/bin/python ...           # or another venv with lonboard (PyPI)

Python side, per N: the time to turn the filtered frame into map arrays (once per filter), the time and the
bytes of one view's feature group (what a pan/zoom sends: st_folium's own serialisation) at the full extent and
zoomed into a dense city, the playback payload; beside FastMarkerCluster's HTML (all points in the page) and
lonboard's Parquet payload (deck.gl, all points), and the compact binary payload a client-side design would
need (lon/lat float32, weapon uint8, day uint16: 11 bytes/event).
Browser side (``--browser N``): a cold Streamlit server on a file opened once before: first map, bytes
received by the page, redraw after a pan and after a zoom, zoom into the dense city and open a single event's
popup, playback frames per second.

Targets (issue 12): first map <= 10 s and <= 30 MB; each pan/zoom <= 1 s; single events in a dense city; 5M
work; playback >= 5 frames/s at 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import raw_events  # noqa: E402
from geo.validate import check  # noqa: E402

CITY = (44.36, 33.31)  # Baghdad: a fifth of the events fall within a few km of it


def events_with_city(n: int):
    import shapely

    raw, geometry = raw_events(n)
    rng = np.random.default_rng(11)
    dense = rng.random(n) < 0.2
    lon, lat = shapely.get_x(geometry), shapely.get_y(geometry)
    lon[dense] = CITY[0] + rng.normal(0, 0.04, dense.sum())
    lat[dense] = CITY[1] + rng.normal(0, 0.03, dense.sum())
    raw.loc[dense, "country"] = "IRQ"  # (the validator refuses a point outside the country its record names)
    return check(raw, shapely.points(lon, lat)).events


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def group_bytes(group) -> int:
    """Bytes of a feature group as st_folium sends it (its own serialisation of ``feature_group_to_add``)."""
    import streamlit_folium

    import geo

    return len(streamlit_folium._get_feature_group_string(group, geo.base_map(asset_base_url="/app/static")))


def ours(events) -> dict:
    import geo

    t_pts, pts = timed(lambda: geo.map_points(events))
    full = geo.View.fitting(pts.bounds())
    city = geo.View.around(CITY[0], CITY[1], 12)
    out = {"points_s": t_pts}
    for name, view in (("full", full), ("city_z12", city), ("city_z15", geo.View.around(CITY[0], CITY[1], 15))):
        t, (cells, singles) = timed(lambda v=view: geo.view_features(events, pts, v))
        t2, group = timed(lambda c=cells, s=singles: geo.view_group(c, s, weapons=geo.weapons_present(events),
                                                                     asset_base_url="/app/static"))
        again, _ = timed(lambda v=view: geo.view_features(events, pts, v))  # a zoom's cell totals are kept
        out[name] = {"s": t + t2, "again_s": again + t2, "features": len(cells), "singles": len(singles),
                     "bytes": group_bytes(group)}
    t, group = timed(lambda: geo.playback_group(pts, full, step="week", mode="cumulative", window=1, fps=5,
                                                first=events["date"].min(), last=events["date"].max(),
                                                asset_base_url="/app/static"))
    out["playback"] = {"s": t, "bytes": group_bytes(group)}
    t, names = timed(lambda: geo.weapons_present(events))
    out["weapons_present_s"] = t
    return out


def fast_marker_cluster(events) -> dict:
    import folium
    from folium.plugins import FastMarkerCluster

    def build():
        m = folium.Map(tiles=None)
        FastMarkerCluster(np.column_stack([events.geometry.y, events.geometry.x]).tolist()).add_to(m)
        return m.get_root().render()

    t, html = timed(build)
    return {"s": t, "bytes": len(html)}


LONBOARD = """
import sys, time, numpy as np, geopandas as gpd
from lonboard import ScatterplotLayer
from lonboard._serialization import serialize_table
n = int(sys.argv[1]); rng = np.random.default_rng(7)
gdf = gpd.GeoDataFrame({"w": rng.integers(0, 11, n)}, geometry=gpd.points_from_xy(rng.uniform(38.8, 48.5, n),
                       rng.uniform(29.2, 37.3, n)), crs=4326)
colors = rng.integers(0, 255, (11, 3), dtype=np.uint8)[gdf["w"].to_numpy()]
t = time.perf_counter()
layer = ScatterplotLayer.from_geopandas(gdf[["geometry"]], get_fill_color=colors, radius_min_pixels=2)
parts = serialize_table(layer.table, layer)
print(time.perf_counter() - t, sum(len(p) for p in parts) + colors.nbytes)
"""


def lonboard(n: int) -> dict | None:
    peers = Path(__file__).resolve().parent.parent / ".venv-peers" / "bin" / "python"  # `make bench-peers`
    python = os.environ.get("LONBOARD_PYTHON", str(peers))
    if not Path(python).exists():
        return None
    out = subprocess.run([python, "-c", LONBOARD, str(n)], capture_output=True, text=True, timeout=600)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1]}
    seconds, size = out.stdout.split()
    return {"s": float(seconds), "bytes": int(size)}


def python_side(sizes: list[int]) -> None:
    import geo

    geo.map_points(events_with_city(100))  # imports and caches out of the timings
    mb = lambda b: round(b / 1e6, 2)  # noqa: E731
    for n in sizes:
        events = events_with_city(n)
        o = ours(events)
        row = {"events": n, "arrays_s": round(o["points_s"], 3), "weapons_present_ms": round(o["weapons_present_s"] * 1e3)}
        for k in ("full", "city_z12", "city_z15"):
            row[k] = {"s": round(o[k]["s"], 3), "again_s": round(o[k]["again_s"], 3), "MB": mb(o[k]["bytes"]),
                      "features": o[k]["features"],
                      "singles": o[k]["singles"]}
        row["playback"] = {"s": round(o["playback"]["s"], 3), "MB": mb(o["playback"]["bytes"])}
        fmc = fast_marker_cluster(events) if n <= 1_000_000 else None
        row["FastMarkerCluster"] = {"s": round(fmc["s"], 2), "MB": mb(fmc["bytes"])} if fmc else "skipped (> 1M)"
        lb = lonboard(n)
        row["lonboard"] = {"s": round(lb["s"], 2), "MB": mb(lb["bytes"])} if lb and "s" in lb else lb
        row["binary_payload_MB"] = mb(11 * n)
        print(json.dumps(row), flush=True)
        del events


def browser_side(n: int) -> None:
    from bench.map_browser import fast_marker_cluster_page, measure

    import geo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.parquet"
        geo.write(events_with_city(n), path)
        env = {**os.environ, "CEM_CACHE_DIR": str(Path(tmp) / "cache"), "CEM_DATA_DIR": str(Path(tmp) / "user")}
        subprocess.run([sys.executable, "-c", f"import geo; geo.load_events({str(path)!r})"], env=env, check=True)
        print(json.dumps({"events": n, "ours": measure(path, env, city=CITY)}, indent=1), flush=True)
        if n <= 1_000_000:  # the peer in the same browser (above 1M its page does not open in minutes)
            events = events_with_city(n)
            lat_lon = np.column_stack([events.geometry.y, events.geometry.x])
            del events
            print(json.dumps({"events": n, "FastMarkerCluster": fast_marker_cluster_page(lat_lon, Path(tmp))}),
                  flush=True)
        lb = lonboard(n)  # its payload beside ours in the same run (not drawn: it needs a Jupyter widget host)
        print(json.dumps({"events": n, "lonboard": {"MB": round(lb["bytes"] / 1e6, 2)} if lb and "s" in lb else lb}),
              flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, help="Python-side sizes (default 100k 1M 5M, none with --browser)")
    ap.add_argument("--browser", type=int, metavar="N", help="also measure the app in Chromium at N events")
    args = ap.parse_args()
    sizes = args.sizes or ([] if args.browser else [100_000, 1_000_000, 5_000_000])
    if sizes:
        python_side(sizes)
    if args.browser:
        browser_side(args.browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
