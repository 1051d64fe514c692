"""Accuracy and speed of the offline geocoder on bench/data/geocode_eval.csv (run on demand).

Prints % correct country, % within max(claimed precision_km, 2 km) of the truth, median/mean error (km), the misses,
lookups per second on one core after loading (the median of ROUNDS timed rounds over the whole set, plus the
misspellings alone, which take the fuzzy path), index load time and peak memory (max RSS), beside the targets.
The geocoder keeps no per-query result cache, so every lookup of every round is computed afresh (a cold figure).
"""

from __future__ import annotations

import csv
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.geocode import gazetteer  # noqa: E402
from geo.geocode.geocoder import Match, geocode  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "geocode_eval.csv"
ROUNDS = 5
ROUND_S = 1.0
TARGETS = {"country": 97.0, "within": 90.0, "median_named": 1.0, "per_s": 5000.0, "mem_mb": 300.0}


def main() -> int:
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    t0 = time.perf_counter()
    gazetteer.load()
    load_s = time.perf_counter() - t0
    results = [geocode(r["query"]) for r in rows]
    errors, named, country_ok, within, misses = [], [], 0, 0, []
    for r, m in zip(rows, results):
        if not isinstance(m, Match):
            misses.append(f"  NO MATCH  {r['query']!r}: {m.error}")
            continue
        err = float(gazetteer.haversine_km(m.lon, m.lat, float(r["lon"]), float(r["lat"])))
        errors.append(err)
        if r["category"] in ("site", "arabic", "misspelling", "town", "town-context"):
            named.append(err)
        ok_c = m.country == r["country"]
        ok_w = err <= max(m.precision_km, 2.0)
        country_ok += ok_c
        within += ok_w
        if not (ok_c and ok_w):
            misses.append(f"  {r['query']!r}: got {m.matched} ({m.country}) {err:.1f} km off, claimed ±{m.precision_km:g} km")
    n = len(rows)
    rates = _rates([r["query"] for r in rows])
    per_s = statistics.median(rates)
    fuzzy = statistics.median(_rates([r["query"] for r in rows if r["category"] == "misspelling"]))
    mem = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"geocoder on {n} labelled descriptions ({DATA.name})")
    print(f"  correct country        {100 * country_ok / n:6.1f} %   (target >= {TARGETS['country']:g} %)")
    print(f"  within claimed radius  {100 * within / n:6.1f} %   (target >= {TARGETS['within']:g} %)")
    print(f"  median error, named    {statistics.median(named):6.2f} km  (target <= {TARGETS['median_named']:g} km)")
    print(f"  median / mean error    {statistics.median(errors):6.2f} / {statistics.mean(errors):.1f} km (all matches)")
    print(f"  lookups per second     {per_s:8,.0f}     (target >= {TARGETS['per_s']:,.0f}, one core, after loading; "
          f"median of {ROUNDS} rounds, range {min(rates):,.0f}-{max(rates):,.0f}; no result cache)")
    print(f"    misspellings only    {fuzzy:8,.0f}     (fuzzy path)")
    print(f"  index load             {load_s:6.2f} s")
    print(f"  peak memory (max RSS)  {mem:6.0f} MB   (target <= {TARGETS['mem_mb']:g} MB)")
    print(f"misses ({len(misses)}):")
    print("\n".join(misses) if misses else "  none")
    return 0


def _rates(queries: list[str]) -> list[float]:
    """Lookups per second in each of ROUNDS rounds, each repeating the queries for about ROUND_S seconds."""
    rates = []
    for _ in range(ROUNDS):
        loops, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < ROUND_S:
            for q in queries:
                geocode(q)
            loops += 1
        rates.append(loops * len(queries) / (time.perf_counter() - t0))
    return rates


if __name__ == "__main__":
    raise SystemExit(main())
