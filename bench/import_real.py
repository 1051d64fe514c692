"""Importers on REAL files: bench/data/import_real/manifest.json (run on demand).

For each manifest entry the file is read with the public API, ``geo.ingest_file(path, fmt)``, and every imported
event is compared with its own source row of the file (matched by source_id), field by field as the entry's
``truth`` map says. The file's values are parsed here independently of the project: CSV/TSV with the csv module
(encoding UTF-8, else cp1252), XLSX with openpyxl, dates with the entry's ``date_format`` (strftime pattern, or
``excel-datetime`` for real date cells), numbers with float(); ``value_map`` translates a source code into our
scale before comparing (UCDP where_prec 4-7 and GDELT ActionGeo_Type -> geo_precision 1-3).

Printed per file and per split: rows in the file, events taken, rows rejected, rows out of scope, events whose
source_id is not in the file, mismatches per field, and whether the reader refused the file (an exception: its
message is printed). A refused file counts as refused, with 0 events.

    python bench/import_real.py [--data DIR] [--json] [--examples N] [--split dev|test] [--file NAME ...]

A GDELT entry with ``"header": true`` is a GDELT table saved with a header row (columns by name, delimiter
guessed from the header line), not a raw headerless export.
A ``format`` of null means detected (``geo.ingest_file(path)``). A ``source_id`` of ``"@line"`` is for files
without an id column: rows are matched by their line in the file (header on line 1, no quoted line breaks), the id
the generic CSV reader gives them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geo  # noqa: E402

DATA = ROOT / "bench" / "data" / "import_real"
FIELDS = ("date", "lat", "lon", "fatalities", "geo_precision")
TOL_DEG = 1e-6


def _text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError("unreachable")


def source_rows(path: Path, entry: dict) -> tuple[list, list[str] | None]:
    """(records, header) of the file as it is: header None for headerless files (GDELT: columns by index)."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        header = [("" if h is None else str(h)).strip() for h in rows[0]]
        return rows[1:], header
    text = _text(path)
    if entry["format"] == "gdelt" and not entry.get("header"):  # raw GDELT exports have no header row
        return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)), None
    first = text.split("\n", 1)[0]
    delim = max(",;\t|", key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    return rows[1:], [h.strip() for h in rows[0]]


def cell(row: list, header: list[str] | None, col) -> object:
    i = col if header is None else header.index(col)
    return row[i] if i < len(row) else None


def parse_date(v, fmt: str) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if fmt == "excel-datetime":  # a text cell where a date cell was expected
        return None
    return dt.datetime.strptime(str(v).strip(), fmt).date()


def parse_number(v) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def truth_value(field: str, v, entry: dict):
    vmap = entry.get("value_map", {}).get(field)
    if vmap is not None and v not in (None, ""):
        key = str(v).strip()
        key = key[:-2] if key.endswith(".0") else key
        return vmap.get(key)
    if field == "date":
        return parse_date(v, entry["date_format"])
    return parse_number(v)


def event_value(field: str, ev) -> object:
    if field == "date":
        d = ev["date"]
        return None if d is None or (isinstance(d, float) and math.isnan(d)) or str(d) == "NaT" else d.date()
    if field in ("lat", "lon"):
        g = ev["geometry"]
        if g is None or g.is_empty:
            return None
        return float(g.y if field == "lat" else g.x)
    v = ev.get(field)
    try:
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
    except (TypeError, ValueError):
        return v


def same(field: str, a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if field in ("lat", "lon"):
        return abs(float(a) - float(b)) <= TOL_DEG
    if field == "date":
        return a == b
    return float(a) == float(b)


def evaluate(entry: dict, base: Path, n_examples: int) -> dict:
    path = base / entry["file"]
    rows, header = source_rows(path, entry)
    truth = entry["truth"]
    out = {"file": entry["file"], "split": entry["split"], "layout": entry["layout"], "rows_in_file": len(rows),
           "refused": False, "message": "", "taken": 0, "rejected": 0, "out_of_scope": 0, "unmatched_events": 0,
           "compared": 0, "mismatches": {f: 0 for f in FIELDS if f in truth}, "examples": []}
    try:
        result = geo.ingest_file(str(path), entry["format"])
    except Exception as exc:  # a refusal is a result here: record the message
        out["refused"] = True
        out["message"] = f"{type(exc).__name__}: {exc}"
        return out
    out["taken"], out["rejected"], out["out_of_scope"] = result.taken, result.rejected, result.out_of_scope
    by_id: dict[str, list] = {}
    for n, r in enumerate(rows):
        # "@line": the file has no id column, so the generic reader's id (the row's line, header = line 1) is the key
        sid = str(n + 2) if truth["source_id"] == "@line" else cell(r, header, truth["source_id"])
        if sid is None:
            continue
        sid = str(sid).strip()
        sid = sid[:-2] if sid.endswith(".0") else sid
        by_id.setdefault(sid, r)
    events = result.events
    for _, ev in events.iterrows():
        sid = str(ev["source_id"]).strip()
        row = by_id.get(sid)
        if row is None:
            out["unmatched_events"] += 1
            continue
        out["compared"] += 1
        for field in out["mismatches"]:
            try:
                want = truth_value(field, cell(row, header, truth[field]), entry)
            except ValueError as exc:
                want = f"unparsable: {exc}"
            got = event_value(field, ev)
            bad = isinstance(want, str) or not same(field, got, want)  # an unparsable source value counts as a mismatch
            if bad:
                out["mismatches"][field] += 1
                if len(out["examples"]) < n_examples:
                    out["examples"].append({"source_id": sid, "field": field, "file": str(want), "imported": str(got)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA, help="folder with manifest.json (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="write the figures as JSON to stdout")
    ap.add_argument("--examples", type=int, default=3, help="mismatch examples kept per file (default 3)")
    ap.add_argument("--split", choices=("dev", "test"), help="only the files of this split")
    ap.add_argument("--file", action="append", default=[], help="only this manifest file (repeatable)")
    args = ap.parse_args(argv)
    manifest = json.loads((args.data / "manifest.json").read_text(encoding="utf-8"))
    if args.split:
        manifest = [e for e in manifest if e["split"] == args.split]
    if args.file:
        manifest = [e for e in manifest if e["file"] in args.file]
    results = [evaluate(e, args.data, args.examples) for e in manifest]
    splits = {}
    for split in ("dev", "test"):
        part = [r for r in results if r["split"] == split]
        mism: dict[str, int] = {}
        for r in part:
            for f, k in r["mismatches"].items():
                mism[f] = mism.get(f, 0) + k
        splits[split] = {"files": len(part), "refused": sum(r["refused"] for r in part),
                         "rows_in_file": sum(r["rows_in_file"] for r in part), "taken": sum(r["taken"] for r in part),
                         "rejected": sum(r["rejected"] for r in part), "out_of_scope": sum(r["out_of_scope"] for r in part),
                         "unmatched_events": sum(r["unmatched_events"] for r in part),
                         "compared": sum(r["compared"] for r in part), "mismatches": mism}
    if args.json:
        json.dump({"files": results, "splits": splits}, sys.stdout, indent=2, default=str)
        print()
        return 0
    for r in results:
        state = f"REFUSED ({r['message'][:200]})" if r["refused"] else "read"
        print(f"[{r['split']}] {r['file']}: {state}")
        print(f"    {r['layout']}")
        if not r["refused"]:
            mm = ", ".join(f"{f} {k}" for f, k in r["mismatches"].items())
            print(f"    rows {r['rows_in_file']}, taken {r['taken']}, rejected {r['rejected']}, out of scope "
                  f"{r['out_of_scope']}, unmatched events {r['unmatched_events']}; compared {r['compared']}; "
                  f"mismatches: {mm}")
            for x in r["examples"]:
                print(f"      e.g. {x['source_id']} {x['field']}: file {x['file']!r}, imported {x['imported']!r}")
        else:
            print(f"    rows {r['rows_in_file']}, taken 0")
    for split, s in splits.items():
        mm = ", ".join(f"{f} {k}" for f, k in s["mismatches"].items())
        print(f"{split}: {s['files']} files ({s['refused']} refused), rows {s['rows_in_file']}, taken {s['taken']}, "
              f"rejected {s['rejected']}, out of scope {s['out_of_scope']}, unmatched {s['unmatched_events']}, "
              f"compared {s['compared']}; mismatches: {mm}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
