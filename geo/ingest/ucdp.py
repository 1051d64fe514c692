"""UCDP GED CSV (49 columns) -> events + row report.

Dates carry a time suffix ("2017-07-31 00:00:00.000"): only the day is read, explicitly. ``where_prec`` gives the
precision, ``date_prec`` the date precision. GED has no weapon field: the weapon comes from the headline when it
names one, else ``unknown``. Fatalities are ``low`` (our schema keeps the lowest reported figure). The perpetrator is
only known for one-sided violence (type 3: side_a); for state-based and non-state events side_a is kept as the actor
with ``attribution`` unknown, because GED does not say which side fired.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

from geo.ingest import mapping
from geo.ingest.common import (
    IngestError,
    Ingested,
    Source,
    bad_number_report,
    country_codes,
    finish,
    iso_dates,
    name_of,
    normalise_headers,
    numbers,
    read_bytes,
    read_delimited,
    report_frame,
    sources_json,
    to_pl,
)

DATASET = "UCDP GED"
DATE_FORMATS = ((r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?)?", "ISO8601"),)
REQUIRED = ("id", "date_start", "latitude", "longitude", "where_prec")
#: where_prec -> (our geo_precision, radius km): exact place; near a place; ADM2; ADM1; larger; country; water/air.
WHERE_PREC = {1: (1, 2.0), 2: (2, 25.0), 3: (3, 50.0), 4: (3, 150.0), 5: (3, 300.0), 6: (3, 500.0), 7: (3, 100.0)}
#: date_prec -> our date precision (1 day; 2 a 2-6 day span; 3 a week; 4 up to a month; 5 longer).
DATE_PREC = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "month"}


def read(source: Source, *, name: str | None = None) -> Ingested:
    """Read a UCDP GED CSV export (path, bytes or binary file)."""
    name = name or name_of(source)
    table = read_delimited(read_bytes(source), name)
    frame = normalise_headers(table.frame)
    missing = [c for c in REQUIRED if c not in frame]
    if missing:
        hint = " (only one column was found: is the delimiter right?)" if frame.shape[1] == 1 else ""
        raise IngestError(f"{name}: not a UCDP GED file: missing column(s) {', '.join(missing)}{hint}")
    rows, n, reports = table.rows, len(frame), [table.report]

    def col(c: str) -> pd.Series:
        return frame[c].str.strip() if c in frame else pd.Series(np.nan, index=frame.index, dtype="str")

    ids = col("id")
    dup = ids.notna() & ids.duplicated()
    keep = ~dup.to_numpy(dtype=bool)
    reports.append(report_frame(rows[~keep], "id", "duplicate id: the first row with this id was kept"))
    start, bad_start = iso_dates(col("date_start"), DATE_FORMATS)
    end, bad_end = iso_dates(col("date_end"), DATE_FORMATS)
    for c, bad in (("date_start", bad_start), ("date_end", bad_end)):
        shown = col(c)[bad].str.slice(0, 30).to_numpy()
        reports.append(report_frame(rows[bad], c, [f"'{t}' is not a date like 2017-07-31 00:00:00.000" for t in shown]))
    lon, lat = numbers(frame["longitude"], n), numbers(frame["latitude"], n)
    reports += [bad_number_report(frame["longitude"], lon, rows, "longitude"),
                bad_number_report(frame["latitude"], lat, rows, "latitude")]
    prec = pd.to_numeric(col("where_prec"), errors="coerce")
    headline = col("source_headline")
    violence = col("type_of_violence")
    publishers = col("source_office").where(col("source_office").notna(), col("source_article"))
    raw = pd.DataFrame({
        "event_id": "ucdp:" + ids,
        "date": start.to_numpy(),
        "date_end": end.where(end != start).to_numpy(),
        "date_precision": col("date_prec").map(DATE_PREC).fillna("day"),
        "weapon_type": mapping.weapon_from_text(headline.fillna("") + " " + col("source_article").fillna("")),
        "outcome": "unknown",
        "actor": col("side_a").fillna("Unidentified"),
        "attribution": np.where(violence == "3", "attributed", "unknown"),
        "target": col("side_b"),
        "country": country_codes(col("country")).to_numpy(),
        "admin1": col("adm_1"),
        "location": col("where_coordinates").where(col("where_coordinates").notna(), col("where_description")),
        "geo_precision": prec.map({k: v[0] for k, v in WHERE_PREC.items()}),
        "precision_km": prec.map({k: v[1] for k, v in WHERE_PREC.items()}),
        "fatalities": col("low"),
        "description": col("where_description"),
        "sources": sources_json(to_pl(publishers, n), sep=";", date=to_pl(start, n),
                                title=_first(headline)),
        "source_id": ids, "updated": None,
        "dataset": DATASET, "conflict_name": col("conflict_name"), "type_of_violence": violence,
        "best": col("best"), "high": col("high"),
    })
    return finish(raw, lon, lat, rows, reports, fmt="ucdp", notes=table.notes, keep=keep)


def _first(headline: pd.Series) -> pl.Series:
    """The first of ';'-separated headlines (titles cannot be paired with publishers reliably)."""
    return pl.from_pandas(headline.str.split(";").str[0].str.strip()).cast(pl.String)
