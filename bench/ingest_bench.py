"""Import speed of a synthetic ACLED export (default 1M rows) beside pandas.read_csv of the same file.

    .venv/bin/python bench/ingest_bench.py [ROWS] [--distinct-notes] [--keep PATH]

``--distinct-notes`` gives every row its own notes text (real exports do: each note names its place, date and
actors), so the keyword tests cannot be answered once per distinct text; without it the notes repeat six texts.
``--keep PATH`` writes the export there and keeps it (for profiling the same file again). Each part runs in its own process, so the peak memory (max RSS) it reports is its own; imports are done before the
clock starts in both. Wall seconds and CPU seconds (all threads) are reported: on a shared machine the CPU figure
is the steadier one. Target (issue #12): ours <= 3x pandas.read_csv of the same file, measured in the same run.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
           "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
           "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
           "tags,timestamp").split(",")
TYPES = [("Explosions/Remote violence", "Air/drone strike", "A drone struck a vehicle near the town."),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Three rockets hit the base."),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED", "A roadside bomb hit a convoy."),
         ("Battles", "Armed clash", "Clashes between the army and militants."),
         ("Strategic developments", "Disrupted weapons use", "Air defences shot down a drone."),
         ("Protests", "Peaceful protest", "People protested against power cuts.")]


def write_acled(path: Path, n: int, *, distinct_notes: bool = False) -> None:
    rng = np.random.default_rng(6)
    kind = rng.integers(0, len(TYPES), n)
    days = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2000, n), unit="D")
    frame = pd.DataFrame({c: "" for c in COLUMNS}, index=range(n))
    frame["event_id_cnty"] = "IRQ" + pd.Series(np.arange(n)).astype(str)
    frame["event_date"] = days.strftime("%d %B %Y")
    frame["year"] = days.year.astype(str)
    frame["time_precision"] = "1"
    frame["event_type"] = np.array([t[0] for t in TYPES])[kind]
    frame["sub_event_type"] = np.array([t[1] for t in TYPES])[kind]
    frame["notes"] = np.array([t[2] for t in TYPES])[kind]
    if distinct_notes:  # the same keywords, but no two texts alike (as the place, date and count make them)
        count = pd.Series(np.random.default_rng(7).integers(0, 50, n)).astype(str)  # (own generator: the
        frame["notes"] = ("On " + frame["event_date"] + ", at site " + frame["event_id_cnty"].str[3:] + ": "
                          + frame["notes"] + " " + count + " people were reported nearby.")  # rest stays the same)
    frame["actor1"] = np.where(rng.random(n) < 0.5, "Unidentified Armed Group (Iraq)", "Islamic State (Iraq)")
    frame["actor2"] = "Military Forces of Iraq (2018-)"
    frame["inter1"], frame["iso"], frame["country"], frame["admin1"] = "Political militia", "368", "Iraq", "Baghdad"
    frame["location"] = "Baghdad"
    frame["latitude"] = (33.3 + rng.normal(0, 1, n)).round(4).astype(str)
    frame["longitude"] = (44.4 + rng.normal(0, 1, n)).round(4).astype(str)
    frame["geo_precision"] = rng.integers(1, 4, n).astype(str)
    frame["source"] = np.where(rng.random(n) < 0.5, "Reuters; Shafaq News", "AFP")
    frame["fatalities"] = rng.integers(0, 5, n).astype(str)
    frame["timestamp"] = "1625731200"
    frame.to_csv(path, index=False)


def part(which: str, path: str) -> dict:
    if which == "ours":
        from geo import ingest
        from geo.ingest import acled  # noqa: F401  (the reader's own imports, before the clock)
    t, cpu = time.perf_counter(), time.process_time()
    if which == "ours":
        result = ingest.read(path, "acled")
        out = {"taken": result.taken, "rejected": result.rejected, "out_of_scope": result.out_of_scope}
    else:
        frame = pd.read_csv(path)
        out = {"rows": len(frame)}
    out["seconds"] = round(time.perf_counter() - t, 2)
    out["cpu_s"] = round(time.process_time() - cpu, 2)
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--part":
        print(json.dumps(part(sys.argv[2], sys.argv[3])))
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--distinct-notes", action="store_true", help="every row with its own notes text")
    parser.add_argument("--keep", type=Path, help="write the export to this path and keep it")
    args = parser.parse_args()
    n = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "acled.csv"
        write_acled(path, n, distinct_notes=args.distinct_notes)
        notes = "distinct notes" if args.distinct_notes else "6 repeated notes"
        print(f"ACLED export: {n:,} rows, {notes}, {path.stat().st_size / 1e6:,.0f} MB")
        got = {}
        for which in ("pandas", "ours"):
            run = subprocess.run([sys.executable, __file__, "--part", which, str(path)], capture_output=True,
                                 text=True, check=True)
            got[which] = json.loads(run.stdout.strip().splitlines()[-1])
            print(f"  {which:<7} {got[which]}")
        wall = got["ours"]["seconds"] / max(got["pandas"]["seconds"], 1e-9)
        cpu = got["ours"]["cpu_s"] / max(got["pandas"]["cpu_s"], 1e-9)
        print(f"  ours / pandas: {wall:.2f}x wall, {cpu:.2f}x CPU (target <= 3x)")


if __name__ == "__main__":
    main()
