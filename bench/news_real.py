"""Score the news extractor on real articles: bench/data/news_real/articles.jsonl (see its README.md).

    .venv/bin/python bench/news_real.py [--split dev|test|all] [--json] [--show-test] [--data FILE] [--cases N]

Every article carries the real events a person wrote down before any extractor was run (its ``events``; an empty
list for articles that report no attack). ``geo.extract_news`` proposes candidates; a candidate matches a real event
of the same article when

- the weapon class agrees: drone/airstrike = "air", cruise/ballistic missile = "missile",
  rocket/mortar/artillery = "indirect", ied/small_arms/other their own class; "unknown" on either side matches any
  (an event may list ``weapon_alt`` types that are also right, e.g. an unspecified "missile");
- the date agrees within the event's precision: day +-1 day, week +-7 days, month the same month, year the same
  year (a candidate with a span, ``date_end``, also agrees when the event date lies inside the span);
- the place lies within max(50 km, the event's tolerance_km, the candidate's precision_km) of the event
  (an unplaced candidate matches nothing).

Pairs are taken greedily, best first (smallest normalised date + distance gap); each real event and each candidate
is used at most once. Reported per split:

- precision = matched real events / candidates; recall = matched real events / real events;
- far % = candidates more than 500 km from every real event of their article, or unplaced while the article has
  events (a candidate of an article without events is counted as far: it has no event within 500 km);
- among matches: date exact % (same day for day-precision events, else agreement as above: the +-1 day slack of
  the matching shows up here), weapon right % (the exact weapon type, or one of the event's ``weapon_alt``, over
  matches whose event weapon is known), and fatalities / outcome / background agreement;
- the worst cases of the dev split: real events no candidate matched and candidates that matched nothing, with
  their evidence. Test cases are printed only with --show-test: tune on dev, report test.
"""

from __future__ import annotations

import sys
from pathlib import Path as _Path

sys.path.insert(0, str(_Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import argparse
import json
import math
import time
from datetime import date
from pathlib import Path

import geo

DATA = Path(__file__).parent / "data" / "news_real" / "articles.jsonl"
CLASS = {"drone": "air", "airstrike": "air", "cruise_missile": "missile", "ballistic_missile": "missile",
         "rocket": "indirect", "mortar": "indirect", "artillery": "indirect",
         "ied": "ied", "small_arms": "small_arms", "other": "other"}
WINDOW = {"day": 1, "week": 7, "month": 31, "year": 366}
FAR_KM = 500.0


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _event_types(e: dict) -> set[str]:
    return {e["weapon_type"], *e.get("weapon_alt", [])}


def weapon_agrees(c, e: dict) -> bool:
    types = _event_types(e)
    if c.weapon_type == "unknown" or "unknown" in types:
        return True
    return CLASS.get(c.weapon_type, c.weapon_type) in {CLASS.get(t, t) for t in types}


def date_gap(c, e: dict) -> float | None:
    """Days between candidate and event when they agree within the event's precision, else None."""
    want = date.fromisoformat(e["date"])
    prec = e["date_precision"]
    start, end = c.date, getattr(c, "date_end", None) or c.date
    if start <= want <= end:
        return 0.0
    gap = min(abs((want - start).days), abs((want - end).days))
    if prec == "day":
        ok = gap <= 1
    elif prec == "week":
        ok = gap <= 7
    elif prec == "month":
        ok = any(d.year == want.year and d.month == want.month for d in (start, end))
    else:
        ok = any(d.year == want.year for d in (start, end))
    return float(gap) if ok else None


def distance(c, e: dict) -> float | None:
    if c.lon is None or c.lat is None:
        return None
    return haversine_km(float(c.lon), float(c.lat), e["lon"], e["lat"])


def allowed_km(c, e: dict) -> float:
    return max(50.0, float(e.get("tolerance_km") or 0), float(getattr(c, "precision_km", None) or 0))


def match(cands: list, events: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best pair first; returns (candidate index, event index) pairs."""
    options = []
    for i, c in enumerate(cands):
        for j, e in enumerate(events):
            if not weapon_agrees(c, e):
                continue
            gap = date_gap(c, e)
            if gap is None:
                continue
            d = distance(c, e)
            if d is None or d > allowed_km(c, e):
                continue
            exact_weapon = c.weapon_type in _event_types(e)
            options.append((gap / WINDOW[e["date_precision"]] + d / allowed_km(c, e) - 0.01 * exact_weapon, i, j))
    used_c: set[int] = set()
    used_e: set[int] = set()
    pairs = []
    for _, i, j in sorted(options):
        if i not in used_c and j not in used_e:
            used_c.add(i)
            used_e.add(j)
            pairs.append((i, j))
    return pairs


def _cand_dict(c) -> dict:
    return {"weapon_type": c.weapon_type, "date": c.date.isoformat(), "date_precision": c.date_precision,
            "location": getattr(c, "location", ""), "lon": c.lon, "lat": c.lat,
            "precision_km": getattr(c, "precision_km", None), "actor": getattr(c, "actor", None),
            "fatalities": getattr(c, "fatalities", None), "outcome": getattr(c, "outcome", None),
            "background": getattr(c, "background", None), "evidence": (c.evidence or "")[:160]}


def score_article(a: dict) -> dict:
    events = a["events"]
    error = None
    try:
        cands = list(geo.extract_news(a["text"], published=date.fromisoformat(a["published"])))
    except Exception as exc:  # a crash on a real article is a finding, not a reason to stop the benchmark
        cands, error = [], f"{type(exc).__name__}: {exc}"
    pairs = match(cands, events)
    far = 0
    for c in cands:
        if not events:
            far += 1
            continue
        ds = [distance(c, e) for e in events]
        if ds[0] is None or min(ds) > FAR_KM:
            far += 1
    matched_c = {i for i, _ in pairs}
    matched_e = {j for _, j in pairs}
    rows = []
    for i, j in pairs:
        c, e = cands[i], events[j]
        rows.append({
            "date_exact": (c.date.isoformat() == e["date"]) if e["date_precision"] == "day" else True,
            "weapon_known": e["weapon_type"] != "unknown",
            "weapon_right": c.weapon_type in _event_types(e),
            "fat_known": e.get("fatalities") is not None,
            "fat_right": getattr(c, "fatalities", None) == e.get("fatalities"),
            "outcome_known": e.get("outcome", "unknown") != "unknown",
            "outcome_right": getattr(c, "outcome", None) == e.get("outcome"),
            "background_right": bool(getattr(c, "background", False)) == bool(e.get("background")),
            "km": round(distance(c, e), 1),
        })
    return {"id": a["id"], "split": a["split"], "publisher": a["publisher"], "published": a["published"],
            "url": a["url"], "n_events": len(events), "n_cands": len(cands), "matched": len(pairs), "far": far,
            "error": error, "rows": rows,
            "misses": [e for j, e in enumerate(events) if j not in matched_e],
            "extras": [_cand_dict(c) for i, c in enumerate(cands) if i not in matched_c]}


def summarise(results: list[dict]) -> dict:
    n_e = sum(r["n_events"] for r in results)
    n_c = sum(r["n_cands"] for r in results)
    m = sum(r["matched"] for r in results)
    rows = [x for r in results for x in r["rows"]]

    def pct(num: int, den: int) -> float | None:
        return round(100.0 * num / den, 1) if den else None

    return {
        "articles": len(results), "articles_without_events": sum(1 for r in results if not r["n_events"]),
        "real_events": n_e, "candidates": n_c, "matched": m,
        "precision": round(m / n_c, 3) if n_c else None, "recall": round(m / n_e, 3) if n_e else None,
        "far_pct": pct(sum(r["far"] for r in results), n_c),
        "candidates_in_articles_without_events": sum(r["n_cands"] for r in results if not r["n_events"]),
        "date_exact_pct": pct(sum(x["date_exact"] for x in rows), len(rows)),
        "weapon_right_pct": pct(sum(x["weapon_right"] for x in rows if x["weapon_known"]),
                                sum(x["weapon_known"] for x in rows)),
        "fatalities_right_pct": pct(sum(x["fat_right"] for x in rows if x["fat_known"]),
                                    sum(x["fat_known"] for x in rows)),
        "outcome_right_pct": pct(sum(x["outcome_right"] for x in rows if x["outcome_known"]),
                                 sum(x["outcome_known"] for x in rows)),
        "background_right_pct": pct(sum(x["background_right"] for x in rows), len(rows)),
        "median_km_of_matches": sorted(x["km"] for x in rows)[len(rows) // 2] if rows else None,
        "errors": [f"{r['id']}: {r['error']}" for r in results if r["error"]],
    }


def cases(results: list[dict], limit: int) -> list[str]:
    lines = []
    for r in sorted(results, key=lambda r: -(len(r["misses"]) + len(r["extras"]))):
        for e in r["misses"]:
            lines.append(f"miss  {r['id']} {r['publisher'][:24]:24} {e['date']} ({e['date_precision']}) "
                         f"{e['weapon_type']:<17} {e['place'][:40]!r}{' [background]' if e.get('background') else ''}"
                         f"\n        evidence: {e['evidence']}")
        for c in r["extras"]:
            where = (f"{c['location'] or '?'} ({c['lat']:.2f},{c['lon']:.2f}) +-{c['precision_km']}"
                     if c["lon"] is not None else "unplaced")
            lines.append(f"extra {r['id']} {r['publisher'][:24]:24} {c['date']} ({c['date_precision']}) "
                         f"{c['weapon_type']:<17} {where}\n        evidence: {c['evidence']}")
        if r["error"]:
            lines.append(f"error {r['id']}: {r['error']}")
    return lines[:limit] if limit else lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--json", action="store_true", help="print the figures (and dev cases) as JSON")
    parser.add_argument("--show-test", action="store_true", help="also list the cases of the test split")
    parser.add_argument("--data", type=Path, default=DATA, help="articles.jsonl to score (default: the bundled one)")
    parser.add_argument("--cases", type=int, default=60, help="how many case lines to print per split (0 = all)")
    args = parser.parse_args(argv)

    articles = load(args.data)
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    started = time.perf_counter()
    by_split = {s: [score_article(a) for a in articles if a["split"] == s] for s in splits}
    elapsed = time.perf_counter() - started
    report = {"data": str(args.data), "seconds": round(elapsed, 2),
              "splits": {s: summarise(rs) for s, rs in by_split.items()}}
    if len(splits) == 2:
        report["splits"]["all"] = summarise(by_split["dev"] + by_split["test"])
    shown = [s for s in splits if s == "dev" or args.show_test]
    if args.json:
        report["cases"] = {s: [{k: r[k] for k in ("id", "misses", "extras", "error")} for r in by_split[s]]
                           for s in shown}
        print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
        return 0
    cols = ("articles", "real_events", "candidates", "matched", "precision", "recall", "far_pct",
            "date_exact_pct", "weapon_right_pct", "fatalities_right_pct", "outcome_right_pct", "background_right_pct")
    heads = ("art", "events", "cands", "match", "prec", "recall", "far%", "date=%", "weap%", "fatal%", "outc%", "bg%")
    print(f"news_real: {len(articles)} real articles from {args.data.name} ({elapsed:.1f} s)\n")
    print(f"{'split':6}" + "".join(f"{h:>8}" for h in heads))
    for s, m in report["splits"].items():
        print(f"{s:6}" + "".join(f"{'-' if m[c] is None else m[c]:>8}" for c in cols))
    for s, m in report["splits"].items():
        if m["errors"]:
            print(f"\n{s}: {len(m['errors'])} articles raised: " + "; ".join(m["errors"]))
    for s in shown:
        lines = cases(by_split[s], args.cases)
        print(f"\n{s} cases (misses = real events nothing matched, extras = candidates that matched nothing):")
        print("\n".join(lines) if lines else "  none")
    if "test" in splits and not args.show_test:
        print("\n(test cases hidden: --show-test lists them; tune on dev only)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
