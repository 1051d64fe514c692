"""Write bench/data/geocode_real/geocode_dev3.csv: a third, unseen development set of real UCDP GED place strings.

Source: ``shcc_ged_merged.xlsx`` of the repository Krutik-Patel/DataVis-Assignment-3 (see bench/data/PROVENANCE.md).
Its column ``grouped_rows`` holds, per (year, ISO week, country), the full UCDP GED 23.1 records of 2018-2022 (all
49 fields, written as a Python list of dicts, one cell per week) for the countries the Safeguarding Health in
Conflict data covers. An Excel cell holds at most 32,767 characters, so busy weeks are cut: only records that are
whole (they end with the merge's last key ``Week``) are read; a cut record is left out.

Rows are made as geocode_real.csv's GED 23.1 rows: ``ucdp_where`` (``where_description`` verbatim) for every event
of where_prec 1-3, and for the Middle East also ``ucdp_composed`` (``where_coordinates, adm_2, adm_1, country``).
Truth = the event's own point and ``ucdp:<where_prec>``; ``country_hint`` = ISO3 of the file's country (GED codes
Gaza and the West Bank under Israel: there the hint is PSE when the file's own ``adm_1`` is "Gaza Strip" or
"West Bank", and no composed row is made, since it would name Israel); ``admin1_hint`` = ``adm_1``.
Selection (fixed before any run): events in sha1 order of their GED ``id``; per country the first distinct
``where_coordinates`` places up to its cap; a place whose normalised name or description already occurs in
geocode_real.csv (either split) or geocode_dev2.csv is left out. Every row has split ``dev3``. Run once; the CSV is
committed.

    python bench/make_geocode_dev3.py PATH/TO/shcc_ged_merged.xlsx
"""

from __future__ import annotations

import ast
import csv
import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: its sibling dev2 script
from make_geocode_dev2 import write_unique  # noqa: E402  (the same columns, written the same way)

ROOT = Path(__file__).resolve().parent
REAL = ROOT / "data" / "geocode_real" / "geocode_real.csv"
DEV2 = ROOT / "data" / "geocode_real" / "geocode_dev2.csv"
OUT = ROOT / "data" / "geocode_real" / "geocode_dev3.csv"
SOURCE_FILE = "ucdp_ged231_shcc_merged"
ALL = 10_000

#: distinct places per country (the merge's country names), fixed before any run: the Middle East and its
#: neighbours first, then countries abroad, where a village's namesake in the Middle East is the risk
CAPS = {"Syria": 200, "Yemen": 120, "Israel": ALL, "Iraq": ALL, "Iran": ALL, "Turkey": ALL, "Egypt": ALL,
        "Libya": 50, "Sudan": 30, "Afghanistan": 60, "Pakistan": 30, "Somalia": 20}
CAPS_ABROAD = {"DRC": 30, "Myanmar (Burma)": 30, "Nigeria": 30, "Ukraine": 30, "Mexico": 20, "Ethiopia": 20,
               "Mali": 20, "Burkina Faso": 15, "Cameroon": 10, "CAR": 10, "South Sudan": 10, "Mozambique": 10,
               "Colombia": 10, "Philippines": ALL, "India": ALL, "Armenia": ALL}
#: countries whose rows also get the composed form, as geocode_real.csv's Middle East GED rows
COMPOSED = {"Syria", "Yemen", "Israel", "Iraq", "Iran", "Turkey", "Egypt", "Libya"}
ISO3 = {"Syria": "SYR", "Yemen": "YEM", "Israel": "ISR", "Iraq": "IRQ", "Iran": "IRN", "Turkey": "TUR",
        "Egypt": "EGY", "Libya": "LBY", "Sudan": "SDN", "Afghanistan": "AFG", "Pakistan": "PAK", "Somalia": "SOM",
        "DRC": "COD", "Myanmar (Burma)": "MMR", "Nigeria": "NGA", "Ukraine": "UKR", "Mexico": "MEX",
        "Ethiopia": "ETH", "Mali": "MLI", "Burkina Faso": "BFA", "Cameroon": "CMR", "CAR": "CAF",
        "South Sudan": "SSD", "Mozambique": "MOZ", "Colombia": "COL", "Philippines": "PHL", "India": "IND",
        "Armenia": "ARM"}
#: GED's "Israel" events in these adm_1 areas lie in Palestine
PALESTINE_ADM1 = {"Gaza Strip", "West Bank"}


def norm(place: str) -> str:
    return re.sub(r"\s+", " ", place.strip().lower())


def seen_places() -> set[str]:
    """Normalised texts of geocode_real.csv and geocode_dev2.csv, and the first comma part of composed forms."""
    out = set()
    for path in (REAL, DEV2):
        for r in csv.DictReader(path.open(encoding="utf-8")):
            out.add(norm(r["text"]))
            if r["form"] in ("acled_composed", "ucdp_composed"):
                out.add(norm(r["text"].split(",")[0]))
    return out


def _records(cell: str) -> list[dict]:
    """The whole GED records of one ``grouped_rows`` cell (a Python list literal, maybe cut at 32,767 chars)."""
    body = cell.strip().removeprefix("[").removesuffix("]")
    out = []
    for part in re.split(r"\}, (?=\{'id': )", body):
        part = part.strip()
        text = part if part.endswith("}") else part + "}"
        # pandas wrote Timestamp(...) and nan, which a literal cannot hold
        text = re.sub(r"Timestamp\('([^']*)'\)", r"'\1'", text)
        text = re.sub(r"(?<=[:\s])nan(?=[,}])", "None", text)
        try:
            rec = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            continue
        if isinstance(rec, dict) and "id" in rec and "Week" in rec:  # "Week" is the last key: a whole record
            out.append(rec)
    return out


def read_events(path: str) -> list[dict]:
    import openpyxl  # only to build the set

    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    events: dict[int, dict] = {}
    for i, row in enumerate(sheet.iter_rows(values_only=True)):
        if i and row[13]:
            for rec in _records(row[13]):
                events[int(rec["id"])] = rec
    return sorted(events.values(), key=lambda r: hashlib.sha1(str(int(r["id"])).encode("utf-8")).hexdigest())


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _take(r: dict, caps: dict, seen: set[str], taken: dict, out: list[dict]) -> None:
    """Add the rows of GED event ``r`` when its country still wants places and its place is new."""
    country = r["country"]
    where, place = _text(r["where_description"]), _text(r["where_coordinates"])
    if country not in caps or r["where_prec"] is None or not 1 <= int(r["where_prec"]) <= 3:
        return
    if not where.strip() or not place.strip() or taken.get(country, 0) >= caps[country]:
        return
    if norm(place) in seen or norm(where) in seen:
        return
    seen.update((norm(place), norm(where)))
    taken[country] = taken.get(country, 0) + 1
    adm1, adm2 = _text(r["adm_1"]), _text(r["adm_2"])
    iso = "PSE" if country == "Israel" and adm1 in PALESTINE_ADM1 else ISO3[country]
    forms = [("ucdp_where", where)]
    if country in COMPOSED and iso == ISO3[country]:
        forms.append(("ucdp_composed", ", ".join(p for p in (place, adm2, adm1, country) if p.strip())))
    for form, text in forms:
        out.append({"split": "dev3", "text": text, "country_hint": iso, "admin1_hint": adm1,
                    "lon": f"{float(r['longitude']):.6f}", "lat": f"{float(r['latitude']):.6f}",
                    "truth_precision": f"ucdp:{int(r['where_prec'])}", "dataset": "UCDP", "form": form,
                    "source_file": SOURCE_FILE})


def main(path: str) -> int:
    events = read_events(path)
    seen, taken, out = seen_places(), {}, []
    for caps in (CAPS, CAPS_ABROAD):
        for r in events:
            _take(r, caps, seen, taken, out)
    uniq = write_unique(out, OUT, "gt")
    print(f"{len(events)} whole GED records read; {len(uniq)} rows, {sum(taken.values())} places: {taken}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
