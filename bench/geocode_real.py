"""Geocoder accuracy and speed on REAL place strings: bench/data/geocode_real/geocode_real.csv (run on demand).

Every row is a place string as a real ACLED or UCDP GED file gives it, with that file's own coordinates and
precision code as truth (see bench/data/PROVENANCE.md). Each row is geocoded twice through the public API:

    hinted  geo.geocode_place(text, country=country_hint)
    bare    geo.geocode_place(text)

For each split in the file (dev, any further development split such as dev2, test) and mode it prints: n, answered % (a NoMatch is unanswered), right country % (of the
answers), median / 90th percentile error km (of the answers), % of answers whose truth lies within
max(claimed precision_km, 2 km), and how many answers fall in a country that contradicts a country named in the
string itself. Then the 15 worst misses of each development split (test misses only with --show-test), lookups per second
over the whole set (median of 3 rounds, both modes) and the time of the first lookup, which loads the index.

    python bench/geocode_real.py [--data PATH] [--json] [--show-test]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geo  # noqa: E402

DATA = ROOT / "bench" / "data" / "geocode_real" / "geocode_real.csv"
ROUNDS = 3
WORST = 15
MODES = ("hinted", "bare")

#: Country names and adjectives checked for in the strings (a small list for the contradiction count).
NAMED = {
    "IRQ": ("iraq", "iraqi"), "SYR": ("syria", "syrian"), "YEM": ("yemen", "yemeni"), "LBN": ("lebanon", "lebanese"),
    "JOR": ("jordan", "jordanian"), "IRN": ("iran", "iranian"), "ISR": ("israel", "israeli"),
    "PSE": ("palestine", "palestinian"), "SAU": ("saudi arabia", "saudi"), "KWT": ("kuwait", "kuwaiti"),
    "QAT": ("qatar", "qatari"), "ARE": ("united arab emirates", "emirati"), "BHR": ("bahrain", "bahraini"),
    "OMN": ("oman", "omani"), "TUR": ("turkey", "turkish", "türkiye"), "EGY": ("egypt", "egyptian"),
    "LBY": ("libya", "libyan"), "TUN": ("tunisia", "tunisian"), "DZA": ("algeria", "algerian"),
    "MAR": ("morocco", "moroccan"), "SDN": ("sudan", "sudanese"), "AFG": ("afghanistan", "afghan"),
    "PAK": ("pakistan", "pakistani"), "IND": ("india", "indian"), "BGD": ("bangladesh", "bangladeshi"),
    "MMR": ("myanmar", "burma", "burmese"), "NPL": ("nepal", "nepali", "nepalese"),
}
_NAMED_RE = {iso: re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b") for iso, words in NAMED.items()}
# "South Sudan" names South Sudan, not Sudan
_NOT_SUDAN = re.compile(r"\bsouth sudan\b")


def named_countries(text: str) -> set[str]:
    t = text.lower()
    found = {iso for iso, rx in _NAMED_RE.items() if rx.search(t)}
    if "SDN" in found and _NOT_SUDAN.search(t) and not re.search(r"(?<!south )\bsudan\b", t):
        found.discard("SDN")
    return found


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def lookup(row: dict, mode: str):
    if mode == "hinted":
        return geo.geocode_place(row["text"], country=row["country_hint"] or None)
    return geo.geocode_place(row["text"])


def evaluate(rows: list[dict], mode: str) -> tuple[dict, list[dict]]:
    """Figures of one split and mode, and every row's case."""
    answered, right_country, within, contradict, errors, cases = 0, 0, 0, 0, [], []
    for r in rows:
        m = lookup(r, mode)
        truth_lon, truth_lat = float(r["lon"]), float(r["lat"])
        if not isinstance(m, geo.Match):
            cases.append({"id": r["id"], "text": r["text"], "hint": r["country_hint"], "answer": None,
                          "why": getattr(m, "error", str(m)), "err_km": math.inf, "truth": r["truth_precision"]})
            continue
        answered += 1
        err = haversine_km(m.lon, m.lat, truth_lon, truth_lat)
        errors.append(err)
        ok_c = m.country == r["country_hint"]
        right_country += ok_c
        ok_w = err <= max(float(m.precision_km), 2.0)
        within += ok_w
        named = named_countries(r["text"])
        bad_named = bool(named) and m.country not in named
        contradict += bad_named
        cases.append({"id": r["id"], "text": r["text"], "hint": r["country_hint"],
                      "answer": f"{m.matched} ({m.country}, {m.kind}, ±{m.precision_km:g} km)", "why": "",
                      "err_km": err, "truth": r["truth_precision"], "ok": ok_c and ok_w})
    n = len(rows)
    figures = {
        "n": n,
        "answered_pct": round(100 * answered / n, 1) if n else None,
        "right_country_pct_of_answered": round(100 * right_country / answered, 1) if answered else None,
        "median_km": round(statistics.median(errors), 2) if errors else None,
        "p90_km": round(percentile(errors, 0.9), 1) if errors else None,
        "within_claimed_pct_of_answered": round(100 * within / answered, 1) if answered else None,
        "contradicts_named_country": contradict,
    }
    return figures, cases


def worst(cases: list[dict], k: int = WORST) -> list[dict]:
    """The k answered misses (wrong country, or truth outside the claimed radius) with the largest errors."""
    misses = [c for c in cases if c["answer"] is not None and not c.get("ok", False)]
    return sorted(misses, key=lambda c: -c["err_km"])[:k]


def unanswered(cases: list[dict], k: int = 10) -> list[dict]:
    return [c for c in cases if c["answer"] is None][:k]


def speed(rows: list[dict], *, cold: bool = True) -> tuple[float, float]:
    """Lookups per second of wall time and of CPU time over the whole set, both modes. ``cold``: the geocoder's
    result cache and every memo (name keys, ranked names, context reads) are emptied before each round, so every
    lookup is computed afresh (within a round, the two modes of one string and strings that share parts still share
    that work); otherwise repeated calls are answered from its result cache (as when many events share one place)."""
    from geo.geocode import geocoder

    rates, cpu_rates = [], []
    for _ in range(ROUNDS):
        if cold:
            geocoder.clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        for r in rows:
            geo.geocode_place(r["text"], country=r["country_hint"] or None)
            geo.geocode_place(r["text"])
        rates.append(2 * len(rows) / (time.perf_counter() - t0))
        cpu_rates.append(2 * len(rows) / max(time.process_time() - c0, 1e-9))
    # per second of CPU time too: on a shared machine the wall-time rate falls with the others' load
    return statistics.median(rates), statistics.median(cpu_rates)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA, help="the evaluation CSV (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="write the figures as JSON to stdout")
    ap.add_argument("--show-test", action="store_true", help="also list the worst misses of the test split")
    args = ap.parse_args(argv)

    rows = list(csv.DictReader(args.data.open(encoding="utf-8")))
    t0 = time.perf_counter()
    geo.geocode_place("Baghdad")  # the first lookup loads the index
    load_s = time.perf_counter() - t0

    result = {"data": str(args.data), "rows": len(rows), "first_lookup_s": round(load_s, 2), "splits": {}, "worst": {}}
    present = {r["split"] for r in rows}
    # dev first, then any other development split (dev2, ...), test last
    splits = sorted(present, key=lambda s: (s == "test", s != "dev", s))
    for split in splits:
        part = [r for r in rows if r["split"] == split]
        result["splits"][split] = {}
        for mode in MODES:
            figures, cases = evaluate(part, mode)
            result["splits"][split][mode] = figures
            if split != "test" or args.show_test:
                def clean(c):
                    return {k: (None if isinstance(v, float) and math.isinf(v) else (round(v, 1) if isinstance(v, float)
                            else v)) for k, v in c.items() if k != "ok"}
                result["worst"].setdefault(split, {})[mode] = [clean(c) for c in worst(cases)]
                result.setdefault("no_match_examples", {}).setdefault(split, {})[mode] = [
                    clean(c) for c in unanswered(cases)]
    wall, cpu = speed(rows)
    result["lookups_per_s"], result["lookups_per_cpu_s"] = round(wall), round(cpu)
    result["lookups_per_s_cached"] = round(speed(rows, cold=False)[0])

    if args.json:
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    print(f"geocoder on {len(rows)} real place strings ({args.data.name})")
    head = f"  {'split':5} {'mode':6} {'n':>5} {'answered':>9} {'country':>8} {'median':>8} {'p90':>8} {'within':>7} {'contra':>6}"
    print(head)
    for split, modes in result["splits"].items():
        for mode, f in modes.items():
            def pct(v):
                return "-" if v is None else f"{v:.1f}%"
            def km(v):
                return "-" if v is None else f"{v:g}"
            print(f"  {split:5} {mode:6} {f['n']:5d} {pct(f['answered_pct']):>9} {pct(f['right_country_pct_of_answered']):>8} "
                  f"{km(f['median_km']):>8} {km(f['p90_km']):>8} {pct(f['within_claimed_pct_of_answered']):>7} "
                  f"{f['contradicts_named_country']:6d}")
    print("  (country and within: % of answered; median/p90: km, of answered; contra: answers in a country other than "
          "one the string names)")
    for split, modes in result["worst"].items():
        for mode, cases in modes.items():
            print(f"worst {WORST} misses, {split}, {mode}:")
            for c in cases:
                print(f"  {c['id']} {c['text'][:60]!r} [{c['hint']}, {c['truth']}]: {c['err_km']:.1f} km; "
                      f"got {c['answer']}")
    for split, modes in result.get("no_match_examples", {}).items():
        for mode, cases in modes.items():
            print(f"first {len(cases)} unanswered (NoMatch), {split}, {mode}:")
            for c in cases:
                print(f"  {c['id']} {c['text'][:60]!r} [{c['hint']}]: {c['why'][:80]}")
    print(f"lookups per second   {result['lookups_per_s']:,} cold [{result['lookups_per_cpu_s']:,} per CPU second] "
          f"(whole set, both modes, caches emptied, median of {ROUNDS} rounds); "
          f"{result['lookups_per_s_cached']:,} repeated (answered from the result cache)")
    print(f"first lookup (index load) {result['first_lookup_s']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
