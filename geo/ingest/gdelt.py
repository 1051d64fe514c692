"""GDELT 2.0 event files (61 tab-separated columns, no header) -> events + row report.

Only CAMEO roots 18 (assault), 19 (fight) and 20 (mass violence) are taken by default; the other rows are reported as
out of scope. GDELT is machine-coded and noisy (public audits found about one pin in five is a real, correctly placed
violent event): every record carries ``machine_coded = True`` and ``attribution`` unknown, and centroid geo types
(country, US state, ADM1) get a coarse precision.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import polars as pl

from geo.ingest import mapping
from geo.ingest.common import (
    SCOPE,
    IngestError,
    Ingested,
    Source,
    bad_number_report,
    finish,
    iso_dates,
    name_of,
    numbers,
    read_bytes,
    read_delimited,
    report_frame,
    sources_json,
    to_pl,
)
from geo.ingest.fips import FIPS_TO_ISO3

DATASET = "GDELT"
#: The 61 columns of a GDELT 2.0 events file, by position (0-based); unnamed ones are not used.
COLUMNS = {0: "GLOBALEVENTID", 1: "SQLDATE", 6: "Actor1Name", 16: "Actor2Name", 25: "IsRootEvent",
           26: "EventCode", 27: "EventBaseCode", 28: "EventRootCode", 29: "QuadClass", 31: "NumMentions",
           32: "NumSources", 33: "NumArticles", 34: "AvgTone", 51: "ActionGeo_Type", 52: "ActionGeo_FullName",
           53: "ActionGeo_CountryCode", 54: "ActionGeo_ADM1Code", 56: "ActionGeo_Lat", 57: "ActionGeo_Long",
           58: "ActionGeo_FeatureID", 59: "DATEADDED", 60: "SOURCEURL"}
NAMES = [COLUMNS.get(i, f"c{i}") for i in range(61)]
#: ActionGeo_Type -> (geo_precision, radius km): 1 country, 2 US state, 3 US city, 4 world city, 5 world ADM1.
GEO_TYPES = {1: (3, 500.0), 2: (3, 250.0), 3: (1, 10.0), 4: (1, 10.0), 5: (3, 150.0)}
DEFAULT_ROOTS = ("18", "19", "20")


def read(source: Source, *, roots: tuple[str, ...] = DEFAULT_ROOTS, name: str | None = None) -> Ingested:
    """Read a GDELT 2.0 events file; ``roots`` are the CAMEO root codes to take (default 18, 19, 20)."""
    name = name or name_of(source)
    table = read_delimited(read_bytes(source), name, delimiter="\t", column_names=NAMES)
    frame, rows, n = table.frame, table.rows, len(table.frame)
    if not n and len(table.report):
        raise IngestError(f"{name}: not a GDELT 2.0 events file (no row has the 61 tab-separated columns)")
    if n and not frame["GLOBALEVENTID"].str.fullmatch(r"\d+").fillna(False).any():
        raise IngestError(f"{name}: not a GDELT 2.0 events file (column 1 should hold numeric GLOBALEVENTIDs)")
    reports = [table.report]
    root = frame["EventRootCode"].str.strip()
    keep = root.isin(roots).to_numpy(dtype=bool)
    out = ~keep
    reports.append(report_frame(rows[out], SCOPE, ("CAMEO root '" + root[out].fillna("") + "' is not one of "
                                                    + ", ".join(roots)).to_numpy()))
    dates, bad_date = iso_dates(frame["SQLDATE"], ((r"\d{8}", "%Y%m%d"),))
    reports.append(report_frame(rows[bad_date & keep], "SQLDATE", "not a date like 20210705"))
    lon, lat = numbers(frame["ActionGeo_Long"], n), numbers(frame["ActionGeo_Lat"], n)
    reports += [bad_number_report(frame["ActionGeo_Long"], lon, rows, "ActionGeo_Long"),
                bad_number_report(frame["ActionGeo_Lat"], lat, rows, "ActionGeo_Lat")]
    geo_type = pd.to_numeric(frame["ActionGeo_Type"], errors="coerce")
    fips = frame["ActionGeo_CountryCode"].str.strip()
    added, _ = iso_dates(frame["DATEADDED"].str.slice(0, 8), ((r"\d{8}", "%Y%m%d"),))
    stamp = pd.to_datetime(frame["DATEADDED"], format="%Y%m%d%H%M%S", errors="coerce")
    url = frame["SOURCEURL"].str.strip()
    url = url.where(url.str.match(r"(?i)^https?://\S+$").fillna(False).astype(bool))
    hosts = _hosts(url)
    ids = frame["GLOBALEVENTID"].str.strip()
    code = frame["EventCode"].str.strip()
    raw = pd.DataFrame({
        "event_id": "gdelt:" + ids,
        "date": dates.to_numpy(), "date_precision": "day",
        "weapon_type": mapping.cameo_weapons(code), "outcome": "unknown",
        "actor": frame["Actor1Name"].fillna("Unidentified"), "attribution": "unknown",
        "target": frame["Actor2Name"],
        "country": fips.map(FIPS_TO_ISO3),
        "location": frame["ActionGeo_FullName"],
        "geo_precision": geo_type.map({k: v[0] for k, v in GEO_TYPES.items()}),
        "precision_km": geo_type.map({k: v[1] for k, v in GEO_TYPES.items()}),
        "description": "GDELT machine-coded event, CAMEO " + code.fillna("?"),
        "sources": sources_json(pl.Series(hosts, dtype=pl.String).fill_null("GDELT"), sep="\x00",
                                date=to_pl(added, n), url=to_pl(url, n)),
        "source_id": ids, "updated": stamp.dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(),
        "dataset": DATASET, "machine_coded": True, "cameo_code": code,
        "num_articles": pd.to_numeric(frame["NumArticles"], errors="coerce"),
    })
    return finish(raw, lon, lat, rows, reports, fmt="gdelt", notes=table.notes, keep=keep)


def _hosts(url: pd.Series) -> np.ndarray:
    """The host of each URL as its publisher, computed once per distinct URL."""
    codes, uniques = pd.factorize(url, use_na_sentinel=True)
    hosts = np.array([urlsplit(u).hostname or None for u in uniques], dtype=object)
    hosts = np.array([h.removeprefix("www.") if h else None for h in hosts], dtype=object)
    out = np.where(codes >= 0, hosts[np.maximum(codes, 0)] if len(hosts) else None, None)
    return out
