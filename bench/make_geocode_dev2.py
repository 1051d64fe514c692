"""Write bench/data/geocode_real/geocode_dev2.csv: a second, unseen development set of real ACLED place strings.

Source: the ACLED export of May 2020 (all regions, 5,071 events) committed as ``acled.csv`` to RPanlilio/acled
(see bench/data/PROVENANCE.md). Rows are made exactly as geocode_real.csv's ACLED rows (forms ``acled_location``
and ``acled_composed``, truth = the file's own point and geo_precision 1-2, hints = iso3 and admin1), for the
Middle East and its neighbours. Places whose name already occurs in geocode_real.csv (either split) are left out,
so nothing seen here can be a test case. Every row has split ``dev2``. Run once; the CSV is committed.

Then UCDP GED rows (``ucdp_where``: ``where_description`` verbatim, where_prec 1-3, as geocode_real.csv's GED 23.1
rows) from the Mexico and Myanmar slices of a GED release (1989-2023) that the netify R package ships as
``data/mexico.rda`` and ``data/myanmar.rda``: reading them needs the ``rdata`` package (not a project dependency).

    python bench/make_geocode_dev2.py PATH/TO/acled.csv [PATH/TO/mexico.rda PATH/TO/myanmar.rda]
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REAL = ROOT / "data" / "geocode_real" / "geocode_real.csv"
OUT = ROOT / "data" / "geocode_real" / "geocode_dev2.csv"
SOURCE_FILE = "acled_world_2020_05"

#: distinct places taken per country (in sha1 order of event id), fixed before any run: first the Middle East and
#: its neighbours, then (a second pass, added before those rows were scored) countries outside the area of
#: interest, where a village's namesake in the Middle East is the risk
CAPS = {"Yemen": 80, "Syria": 50, "Afghanistan": 50, "Lebanon": 40, "Iraq": 40, "Somalia": 35, "Libya": 30,
        "Turkey": 30, "Iran": 25, "Palestine": 15, "Tunisia": 15, "Sudan": 15, "Israel": 10, "Algeria": 10,
        "Egypt": 5}
CAPS_ABROAD = {"India": 40, "Ukraine": 30, "Mexico": 30, "Pakistan": 30, "Brazil": 20, "Nigeria": 20,
               "Democratic Republic of Congo": 20, "Philippines": 20, "Azerbaijan": 15, "Myanmar": 15,
               "Bangladesh": 15, "Mali": 15, "Cameroon": 15, "Burkina Faso": 15, "Colombia": 15, "Venezuela": 10,
               "Mozambique": 10, "South Sudan": 10, "Serbia": 10, "Greece": 10, "Argentina": 10, "Chile": 10,
               "Peru": 10}
#: a third pass (added after the first two passes were studied, scored unseen on the code of that day): every other
#: place of these countries
CAPS_REST = dict.fromkeys(("Yemen", "Syria", "Afghanistan", "Lebanon", "Iraq", "Somalia", "Libya", "Turkey", "Iran",
                           "Palestine", "Tunisia", "Sudan", "Israel", "Algeria", "Egypt", "Pakistan", "India"), 10_000)
#: UCDP: distinct where_coordinates places per slice (in sha1 order of event id), fixed before any run
UCDP_CAPS = {"mexico": 150, "myanmar": 150}
UCDP_ISO3 = {"Mexico": "MEX", "Myanmar (Burma)": "MMR"}
FIELDS = ["id", "split", "text", "country_hint", "admin1_hint", "lon", "lat", "truth_precision", "dataset", "form",
          "source_file"]


def norm(place: str) -> str:
    return re.sub(r"\s+", " ", place.strip().lower())


def seen_places() -> set[str]:
    """Normalised place names of geocode_real.csv: a whole acled_location / ucdp_coordinates text, or the first
    comma part of a composed form."""
    out = set()
    for r in csv.DictReader(REAL.open(encoding="utf-8")):
        if r["form"] in ("acled_location", "ucdp_coordinates"):
            out.add(norm(r["text"]))
        elif r["form"] in ("acled_composed", "ucdp_composed"):
            out.add(norm(r["text"].split(",")[0]))
    return out


def _take(r: dict, caps: dict, seen: set[str], taken: dict, out: list[dict]) -> None:
    """Add the two rows of ACLED row ``r`` when its country still wants places and its place is new."""
    country = r["country"]
    if country not in caps or r["geo_precision"] not in ("1", "2") or not r["location"].strip():
        return
    place = norm(r["location"])
    if place in seen or taken.get(country, 0) >= caps[country]:
        return
    seen.add(place)
    taken[country] = taken.get(country, 0) + 1
    composed = ", ".join(p for p in (r["location"], r["admin2"], r["admin1"], country) if p.strip())
    for form, text in (("acled_location", r["location"]), ("acled_composed", composed)):
        out.append({"split": "dev2", "text": text, "country_hint": r["iso3"], "admin1_hint": r["admin1"],
                    "lon": f"{float(r['longitude']):.6f}", "lat": f"{float(r['latitude']):.6f}",
                    "truth_precision": f"acled:{r['geo_precision']}", "dataset": "ACLED", "form": form,
                    "source_file": SOURCE_FILE})


def _ucdp_rows(paths: list[str], seen: set[str]) -> list[dict]:
    """The ``ucdp_where`` rows of the GED slices (R data files), first distinct places in sha1 order of id."""
    import rdata  # only to build the set

    out = []
    for path in paths:
        name = Path(path).stem
        frame = rdata.read_rda(path)[name]
        events = [r for r in frame.to_dict("records") if r["where_prec"] is not None and 1 <= r["where_prec"] <= 3
                  and isinstance(r["where_description"], str) and r["where_description"].strip()]
        events.sort(key=lambda r: hashlib.sha1(str(int(r["id"])).encode("utf-8")).hexdigest())
        taken = 0
        for r in events:
            place = norm(str(r["where_coordinates"]))
            if place in seen or taken >= UCDP_CAPS[name]:
                continue
            seen.add(place)
            taken += 1
            out.append({"split": "dev2", "text": r["where_description"], "country_hint": UCDP_ISO3[r["country"]],
                        "admin1_hint": r["adm_1"] if isinstance(r["adm_1"], str) else "",
                        "lon": f"{float(r['longitude']):.6f}", "lat": f"{float(r['latitude']):.6f}",
                        "truth_precision": f"ucdp:{int(r['where_prec'])}", "dataset": "UCDP", "form": "ucdp_where",
                        "source_file": f"ucdp_ged_netify_{name}"})
    return out


def main(path: str, ucdp: list[str]) -> int:
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    rows.sort(key=lambda r: hashlib.sha1(r["event_id_cnty"].encode("utf-8")).hexdigest())
    seen, taken, out = seen_places(), {}, []
    for caps in (CAPS, CAPS_ABROAD):
        for r in rows:
            _take(r, caps, seen, taken, out)
    if ucdp:
        out += _ucdp_rows(ucdp, seen)
    rest: dict = {}
    for r in rows:
        _take(r, CAPS_REST, seen, rest, out)

    uniq = write_unique(out, OUT, "gd")
    print(f"{len(uniq)} rows, {sum(taken.values())} places: {taken}")
    return 0


def write_unique(out: list[dict], path: Path, prefix: str) -> list[dict]:
    """Write the rows, de-duplicated on (text, country_hint) as geocode_real.csv, with ids prefix0001...; return them."""
    uniq, keys = [], set()
    for o in out:
        if (o["text"], o["country_hint"]) not in keys:
            keys.add((o["text"], o["country_hint"]))
            uniq.append(o)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for i, o in enumerate(uniq, 1):
            w.writerow({"id": f"{prefix}{i:04d}", **o})
    return uniq


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
