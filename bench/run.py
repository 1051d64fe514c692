"""Benchmarks at 10k, 100k and 1M synthetic events, each beside a baseline measured in the same run.

    make bench                              # all sizes (1M takes a few minutes)
    .venv/bin/python bench/run.py 10000 100000

Every part runs in its own process, so that the peak memory (max RSS) it reports is its own:
  ours      validate, filter (date + weapon + actor), GeoJSON / CSV / GeoParquet export
  baseline  the same work done the common way: a per-row Python filter, geopandas to_file, pandas to_csv
  cache     what the dashboard does: load the trusted cache (validated once before), filter, export the result
  geojson   read + validate a GeoJSON file through GDAL (the first, uncached load)
Targets at 1M (issue #3): filter <= 0.1 s; GeoJSON export >= 3x faster than geopandas to_file;
loading from the GeoParquet cache <= 1 s; peak memory <= 1.5 GB.
Command-line, engine, GeoPackage and 10M-event figures (issue #12): bench/cli_bench.py.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEC_ARGS = dict(since=date(2021, 1, 1), until=date(2021, 6, 30), weapons=("drone", "rocket"),
                 actors=("Kata'ib Hezbollah", "Unidentified"))


def _timed(fn, repeat: int = 1):
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None  # let the previous result go first, so peak memory is one result's, not two
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return round(best, 4), result


def _events(n: int):
    from bench.synthetic import raw_events
    from geo.validate import check

    raw, geometry = raw_events(n)
    seconds, checked = _timed(lambda: check(raw, geometry))
    assert not checked.problems, checked.problems[:3]
    return seconds, checked.events


def part_ours(n: int, tmp: Path) -> dict:
    import geo
    from geo import export

    out: dict = {}
    out["validate_s"], events = _events(n)
    spec = geo.FilterSpec(**SPEC_ARGS)
    out["filter_s"], kept = _timed(lambda: geo.apply(events, spec), repeat=5)
    out["filter_kept"] = len(kept)
    out["geojson_export_s"], _ = _timed(lambda: export.write(events, tmp / "e.geojson"))
    out["geojson_mb"] = round((tmp / "e.geojson").stat().st_size / 1e6, 1)
    out["csv_export_s"], _ = _timed(lambda: export.write(events, tmp / "e.csv"))
    out["parquet_write_s"], _ = _timed(lambda: export.write(events, tmp / "e.parquet"))
    return out


def part_baseline(n: int, tmp: Path) -> dict:
    from geo import export

    _, events = _events(n)
    rows = events[["date", "date_end", "weapon_type", "actor"]].to_dict("records")
    weapons, actors = set(SPEC_ARGS["weapons"]), {a.casefold() for a in SPEC_ARGS["actors"]}
    since, until = SPEC_ARGS["since"], SPEC_ARGS["until"]

    def per_row() -> list[int]:
        kept = []
        for i, r in enumerate(rows):
            end = r["date_end"] if r["date_end"] == r["date_end"] else r["date"]  # NaT != NaT
            if (r["weapon_type"] in weapons and str(r["actor"]).casefold() in actors
                    and r["date"].date() <= until and end.date() >= since):
                kept.append(i)
        return kept

    out: dict = {}
    out["filter_baseline_s"], kept = _timed(per_row)
    out["filter_baseline_kept"] = len(kept)
    del rows
    plain = export._gdal_frame(events)
    out["geojson_baseline_s"], _ = _timed(lambda: plain.to_file(tmp / "b.geojson", driver="GeoJSON"))
    frame = export.csv_frame(events).to_pandas()
    out["csv_baseline_s"], _ = _timed(lambda: frame.to_csv(tmp / "b.csv", index=False))
    return out


def part_cache(n: int, tmp: Path) -> dict:
    import geo
    from geo import export, store

    from geo.store import cache

    os.environ["CEM_CACHE_DIR"] = str(tmp / "cache")
    cache.ensure(tmp / "e.parquet")  # validated once (not timed): what the first load_events of a file does
    out: dict = {}
    out["cache_load_s"], events = _timed(lambda: store.load_events(tmp / "e.parquet"), repeat=3)
    assert len(events) == n
    spec = geo.FilterSpec(**SPEC_ARGS)
    kept = geo.apply(events, spec)
    out["filtered_geojson_s"], _ = _timed(lambda: export.geojson_bytes(kept, caption=geo.describe(spec, len(kept))))
    return out


def part_geojson(n: int, tmp: Path) -> dict:
    from geo import store

    seconds, events = _timed(lambda: store.read_events(tmp / "e.geojson"))
    assert len(events) == n
    return {"geojson_read_validate_s": seconds}


PARTS = {"ours": part_ours, "baseline": part_baseline, "cache": part_cache, "geojson": part_geojson}


def run_part(part: str, n: int, tmp: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--part", part, str(n), str(tmp)], capture_output=True,
                          text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"bench part {part} at {n:,} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--part":
        result = PARTS[argv[1]](int(argv[2]), Path(argv[3]))
        result[f"{argv[1]}_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(json.dumps(result))
        return 0
    sizes = [int(a) for a in argv] or [10_000, 100_000, 1_000_000]
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            r = {"n": n}
            for part in PARTS:
                print(f"{n:>9,} events: {part}...", file=sys.stderr, flush=True)
                r.update(run_part(part, n, Path(tmp)))
            assert r["filter_kept"] == r["filter_baseline_kept"]
            results.append(r)
    print(f"\n{'events':>10} {'validate':>9} {'filter':>8} {'per-row':>8} {'geojson':>8} {'gpd':>7} {'ratio':>6} "
          f"{'csv':>6} {'pandas':>7} {'pq':>6} {'cache':>6} {'read':>7} {'peak:ours':>10} {'peak:cache':>11}")
    for r in results:
        ratio = r["geojson_baseline_s"] / r["geojson_export_s"]
        print(f"{r['n']:>10,} {r['validate_s']:>8.2f}s {r['filter_s']:>7.3f}s {r['filter_baseline_s']:>7.2f}s "
              f"{r['geojson_export_s']:>7.2f}s {r['geojson_baseline_s']:>6.2f}s {ratio:>5.1f}x "
              f"{r['csv_export_s']:>5.2f}s {r['csv_baseline_s']:>6.2f}s {r['parquet_write_s']:>5.2f}s "
              f"{r['cache_load_s']:>5.2f}s {r['geojson_read_validate_s']:>6.1f}s "
              f"{r['ours_peak_mb']:>7,} MB {r['cache_peak_mb']:>8,} MB")
    print("\n" + json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
