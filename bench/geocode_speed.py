"""Geocoder throughput on REAL place strings, beside its peers in the same run (run on demand).

Three workloads, each timed cold (every result cache and memo of the geocoder emptied first: geocoder.clear_caches):

    distinct  every string of bench/data/geocode_real/geocode_real.csv (all distinct), geocoded twice as
              bench/geocode_real.py does (with the row's country hint, and bare): the worst case, no repeats
    stream    every event row of the real ACLED and UCDP GED files of bench/data/import_real/ (file order, their
              own repeats), the place as the file gives it (ACLED ``location``, UCDP ``where_coordinates``) with
              the row's country, through geo.geocode_frame as the importers call it (each distinct string once)
    repeated  the distinct workload again without emptying the caches (as when a collection is geocoded again)

Peers, on the same strings in the same run:

    dict      a plain dict of the gazetteer's exact folded names (normalize(name) -> entry) looked up per string:
              what an exact-match geocoder with no parsing, context or ranking costs
    reverse_geocoder  the PyPI package's offline point -> place lookup (K-d tree, single process) on the files'
              own coordinates: the standard offline geocoder in Python, in the other direction

Also the index load time (a fresh process loads the cached index: ``python -c 'geo.geocode.load()'``) and the time
of a first lookup in a fresh process (imports included). Rates are lookups per second of wall time and of this
process's CPU time, median of ``--rounds`` rounds; the machine may be shared, so compare the geocoder with its peers
of the same run.

    python bench/geocode_speed.py [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geo

REAL = ROOT / "bench" / "data" / "geocode_real" / "geocode_real.csv"
FILES = ROOT / "bench" / "data" / "import_real"
#: (file, place column, country column or None, ISO3 of the whole file or None, latitude, longitude)
STREAMS = (
    ("acled_africa_2016_old_layout_egypt.csv", "LOCATION", None, "EGY", "LATITUDE", "LONGITUDE"),
    ("acled_pse_2025_31col_excel_dates.csv", "location", None, "PSE", "latitude", "longitude"),
    ("ucdp_ged191_csv_mmr_bgd.csv", "where_coordinates", "country", None, "latitude", "longitude"),
    ("ucdp_ged191_hdx_hxl_bgd.csv", "where_coordinates", "iso3", None, "latitude", "longitude"),
)
_UCDP_COUNTRY = {"Myanmar (Burma)": "MMR", "Bangladesh": "BGD"}


def read_stream() -> list[tuple[str, str, float, float]]:
    """(place, ISO3, lat, lon) of every event row of the real files, in file order."""
    out = []
    for name, place, ccol, iso, lat, lon in STREAMS:
        raw = (FILES / name).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        for row in csv.DictReader(io.StringIO(text)):
            if row.get(place, "").startswith("#"):
                continue  # the HXL hashtag row under HDX's header
            code = iso or _UCDP_COUNTRY.get(row[ccol], row[ccol])
            out.append((row[place], code, float(row[lat]), float(row[lon])))
    return out


def timed(fn, rounds: int, before=None) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn()`` over ``rounds`` rounds (``before()`` untimed before each). On a
    shared machine the CPU time of this process is the steadier figure; wall time is what a user waits."""
    wall, cpu = [], []
    for _ in range(rounds):
        if before:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def fresh_process(code: str) -> float:
    """Wall seconds of ``code`` in a fresh interpreter (its own measurement, printed by it)."""
    out = subprocess.run([sys.executable, "-c", f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); "
                          f"t0 = time.perf_counter(); {code}; print(time.perf_counter() - t0)"],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    import pandas as pd

    from geo.geocode import gazetteer as gz
    from geo.geocode import geocoder

    gaz = gz.load()  # built (once) and cached before anything is timed
    load_s = fresh_process("from geo.geocode import gazetteer; gazetteer.load()")
    first_s = fresh_process("import geo; geo.geocode_place('Albu Kamal, Syria')")

    real = list(csv.DictReader(REAL.open(encoding="utf-8")))
    stream = read_stream()
    frame = pd.DataFrame({"location": [s[0] for s in stream], "country": [s[1] for s in stream]})

    def distinct() -> None:
        for r in real:
            geo.geocode_place(r["text"], country=r["country_hint"] or None)
            geo.geocode_place(r["text"])

    def through_frame() -> None:
        geo.geocode_frame(frame, admin1_column=None)

    names: dict[str, int] = {}
    for i, name in enumerate(gaz.name):
        names.setdefault(gz.normalize.__wrapped__(name), i)
    real_texts = [r["text"] for r in real for _ in range(2)]
    stream_texts = [s[0] for s in stream]

    def dict_peer(texts: list[str]):
        def run() -> None:
            fold, get = gz.normalize.__wrapped__, names.get
            for t in texts:
                i = get(fold(t))
                if i is not None:
                    (gaz.lon[i], gaz.lat[i])
        return run

    import reverse_geocoder

    points = [(s[2], s[3]) for s in stream]
    rg_start = time.perf_counter()
    reverse_geocoder.search(points[:1], mode=1, verbose=False)  # loads its table and tree once, untimed below
    rg_load = time.perf_counter() - rg_start

    results = {
        "distinct": (len(real_texts), timed(distinct, args.rounds, geocoder.clear_caches)),
        "stream": (len(stream), timed(through_frame, args.rounds, geocoder.clear_caches)),
        "repeated": (len(real_texts), timed(distinct, args.rounds)),
        "dict_peer_distinct": (len(real_texts), timed(dict_peer(real_texts), args.rounds)),
        "dict_peer_stream": (len(stream_texts), timed(dict_peer(stream_texts), args.rounds)),
        "reverse_geocoder_stream": (len(points), timed(lambda: reverse_geocoder.search(points, mode=1,
                                                                                      verbose=False), args.rounds)),
    }
    rates = {k: round(n / s[0]) for k, (n, s) in results.items()}
    cpu_rates = {k: round(n / s[1]) for k, (n, s) in results.items()}
    answered = geo.geocode_frame(frame, admin1_column=None)["geocoded"].mean()
    report = {"lookups_per_s": rates, "lookups_per_cpu_s": cpu_rates, "stream_rows": len(stream), "stream_distinct": len(set(stream_texts)),
              "stream_answered_pct": round(100 * float(answered), 1), "distinct_lookups": len(real_texts),
              "index_load_s": round(load_s, 2), "first_lookup_fresh_process_s": round(first_s, 2),
              "reverse_geocoder_load_s": round(rg_load, 2), "rounds": args.rounds}
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    print(f"geocoder throughput (lookups per s of wall time [per s of CPU time], median of {args.rounds} rounds; "
          f"cold = caches emptied first)")

    def both(k: str) -> str:
        return f"{rates[k]:>10,} [{cpu_rates[k]:,}]"
    print(f"  distinct strings, cold   {both('distinct')}   ({len(real_texts):,} lookups: "
          f"{len(real):,} real strings x hinted/bare)")
    print(f"  real file stream, cold   {both('stream')}   ({len(stream):,} event rows, "
          f"{report['stream_distinct']:,} distinct places, geocode_frame; {report['stream_answered_pct']}% answered)")
    print(f"  distinct, repeated       {both('repeated')}   (answered from the result cache)")
    print(f"  peer: dict of exact names {both('dict_peer_distinct')} distinct, {both('dict_peer_stream')} stream")
    print(f"  peer: reverse_geocoder   {both('reverse_geocoder_stream')}   (points -> place, the stream's "
          f"coordinates; its own load {rg_load:.2f} s)")
    print(f"index load (fresh process) {load_s:.2f} s; first lookup in a fresh process (imports + load) {first_s:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
