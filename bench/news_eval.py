"""Evaluate the news extractor on bench/data/news_eval.json: event precision and recall, date and place accuracy.

    .venv/bin/python -m bench.news_eval [--verbose]

A predicted event matches an expected one of the same report when the weapon is the same and the dates agree
(same day +-1 for day precision; the expected day inside the predicted span otherwise). Date accuracy: matched
events whose date and precision are exactly the expected ones. Place accuracy: matched events within
max(predicted precision_km, the expected tolerance, 2 km) of the expected point. Baseline: a "weapon word only"
extractor (one event per report at the publication date, first weapon word, no place) printed beside.
"""

from __future__ import annotations

import sys
from pathlib import Path as _Path

sys.path.insert(0, str(_Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import argparse
import json
import time
from datetime import date, timedelta
from pathlib import Path

from geo.geocode.gazetteer import haversine_km
from geo.news.extract import Candidate, extract
from geo.news.rules import WEAPON_RX
from geo.schema import WEAPON_TYPES

DATA = Path(__file__).parent / "data" / "news_eval.json"


def _matches(c: Candidate, e: dict) -> bool:
    if c.weapon_type != e["weapon_type"]:
        return False
    want = date.fromisoformat(e["date"])
    if c.date_precision == "day":
        return abs((c.date - want).days) <= 1
    return c.date <= want <= (c.date_end or c.date + timedelta(days=31))


def score(report: dict, predicted: list[Candidate]) -> dict:
    expected = report["expected"]
    used: set[int] = set()
    pairs = []
    for j, e in enumerate(expected):
        for i, c in enumerate(predicted):
            if i not in used and _matches(c, e):
                used.add(i)
                pairs.append((c, e))
                break
    date_ok = sum(c.date.isoformat() == e["date"] and c.date_precision == e["date_precision"] for c, e in pairs)
    place_ok = sum(c.lon is not None and float(haversine_km(c.lon, c.lat, e["lon"], e["lat"]))
                   <= max(c.precision_km or 0, e.get("tolerance_km") or 0, 2.0) for c, e in pairs)
    outcome_ok = sum(c.outcome == e["outcome"] for c, e in pairs if e.get("outcome"))
    outcome_n = sum(1 for _, e in pairs if e.get("outcome"))
    matched_e = {id(e) for _, e in pairs}
    return {"tp": len(pairs), "fp": len(predicted) - len(pairs), "fn": len(expected) - len(pairs),
            "date_ok": date_ok, "place_ok": place_ok, "outcome_ok": outcome_ok, "outcome_n": outcome_n,
            "misses": [e for e in expected if id(e) not in matched_e],
            "extra": [c for i, c in enumerate(predicted) if i not in used]}


def baseline(text: str, published: date) -> list[Candidate]:
    m = WEAPON_RX.search(text)
    weapon = m.lastgroup if m and m.lastgroup in WEAPON_TYPES else "unknown"  # "strike", "missile": no weapon type
    return [Candidate(weapon, published, "day", "")] if m else []


def run(verbose: bool = False) -> dict:
    reports = json.loads(DATA.read_text())["reports"]
    totals: dict[str, dict] = {}
    started = time.perf_counter()
    for name, fn in (("rules", lambda r: extract(r["text"], published=date.fromisoformat(r["published"]))),
                     ("baseline", lambda r: baseline(r["text"], date.fromisoformat(r["published"])))):
        t = {"tp": 0, "fp": 0, "fn": 0, "date_ok": 0, "place_ok": 0, "outcome_ok": 0, "outcome_n": 0}
        for r in reports:
            s = score(r, fn(r))
            for k in t:
                t[k] += s[k]
            if name == "rules":
                for e in s["misses"]:
                    print(f"miss  {r['id']}: {e['date']} {e['weapon_type']} ({e['coord_source']})")
                for c in s["extra"]:
                    print(f"extra {r['id']}: {c.date} ({c.date_precision}) {c.weapon_type} at {c.location or '?'}")
                if verbose:
                    for c, e in _pairs(r):
                        print(f"  ok  {r['id']}: {c.date} {c.weapon_type} {c.outcome} {c.location} ±{c.precision_km}")
        totals[name] = t
    elapsed = time.perf_counter() - started
    print(f"\n{len(reports)} reports, {sum(len(r['expected']) for r in reports)} expected events ({elapsed:.1f} s)")
    print(f"{'':10}{'precision':>10}{'recall':>8}{'date acc':>10}{'place acc':>11}{'outcome acc':>13}")
    for name, t in totals.items():
        p = t["tp"] / max(1, t["tp"] + t["fp"])
        rc = t["tp"] / max(1, t["tp"] + t["fn"])
        print(f"{name:10}{p:>10.2f}{rc:>8.2f}{t['date_ok'] / max(1, t['tp']):>10.2f}"
              f"{t['place_ok'] / max(1, t['tp']):>11.2f}{t['outcome_ok'] / max(1, t['outcome_n']):>13.2f}")
    return totals


def _pairs(r: dict) -> list[tuple[Candidate, dict]]:
    predicted = extract(r["text"], published=date.fromisoformat(r["published"]))
    return [(c, e) for e in r["expected"] for c in predicted if _matches(c, e)][:len(r["expected"])]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="also list the matched events")
    run(parser.parse_args().verbose)
