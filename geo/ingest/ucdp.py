"""UCDP GED CSV (49 columns; also HDX's 43-column cut with its HXL row, and the headerless candidate releases).

Dates carry a time suffix ("2017-07-31 00:00:00.000"): only the day is read, per file (``geo.ingest.dates``, with
the ``year`` column). ``where_prec`` gives the precision, ``date_prec`` the date precision. GED has no weapon field:
the weapon comes from the headline when it names one, else ``unknown``. ``fatalities`` is ``best``, UCDP's own
estimate (``low`` and ``high`` are kept beside it). The perpetrator is only known for one-sided violence (type 3:
side_a); for state-based and non-state events side_a is kept as the actor with ``attribution`` unknown, because GED
does not say which side fired. Masked actor codes (``XXX652``: UCDP withholds the name) are not names: the actor is
"Unidentified" and the code is kept in ``side_a_code`` / ``side_b_code``. The event's text is its headline; the
place stays in ``location`` (``where_description``, else ``where_coordinates``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

from geo.ingest import mapping
from geo.ingest.common import (
    Ingested,
    Source,
    bad_number_report,
    name_of,
    normalise_headers,
    numbers,
    read_bytes,
    report_frame,
    require,
    text_col,
    to_pl,
)
from geo.ingest.country import country_codes
from geo.ingest.dates import parse_dates
from geo.ingest.finish import finish
from geo.ingest.limits import LIMITS, Limits
from geo.ingest.sources import sources_json
from geo.ingest.text import read_delimited

DATASET = "UCDP GED"
REQUIRED = ("id", "date_start", "latitude", "longitude", "where_prec")
#: The 49 columns of a GED release, in order (for the releases published without a header row).
GED_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,"
    "low,gwnoa,gwnob").split(",")
#: where_prec -> (our geo_precision, radius km): exact place; near a place; ADM2; ADM1; larger; country; water/air.
WHERE_PREC = {1: (1, 2.0), 2: (2, 25.0), 3: (3, 50.0), 4: (3, 150.0), 5: (3, 300.0), 6: (3, 500.0), 7: (3, 100.0)}
#: date_prec -> our date precision (1 day; 2 a 2-6 day span; 3 a week; 4 up to a month; 5 longer).
DATE_PREC = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "month"}
MASKED = r"^XXX\d+$"


def read(source: Source, *, name: str | None = None, dayfirst: bool | None = None, limits: Limits = LIMITS
         ) -> Ingested:
    """Read a UCDP GED CSV export (path, bytes or binary file)."""
    name = name or name_of(source)
    data = read_bytes(source)
    table = read_delimited(data, name, limits=limits)
    frame = normalise_headers(table.frame)
    if "id" not in frame and len(frame.columns) == len(GED_COLUMNS) and str(frame.columns[0]).strip().isdigit():
        table = read_delimited(data, name, column_names=GED_COLUMNS, limits=limits)
        frame = table.frame
        table.notes.append("no header row: the 49 columns of a GED release were assumed")
    del data
    require(frame, REQUIRED, name, "a UCDP GED file", "GED releases have them; if this is another table, import "
                                                      "it with --format csv")
    rows, n, reports = table.rows, len(frame), [table.report]
    notes = list(table.notes)

    def col(c: str) -> pd.Series:
        return text_col(frame, c)

    ids = col("id")
    dup = ids.notna() & ids.duplicated()
    keep = ~dup.to_numpy(dtype=bool)
    reports.append(report_frame(rows[~keep], "id", "duplicate id: the first row with this id was kept; remove the "
                                                   "copy"))
    start = parse_dates(col("date_start"), year=frame.get("year"), dayfirst=dayfirst, example="2017-07-31")
    end = parse_dates(col("date_end"), dayfirst=dayfirst, example="2017-07-31")
    notes += start.notes
    reports += [start.report(rows, "date_start"), end.report(rows, "date_end")]
    lon, lat = numbers(frame["longitude"], n), numbers(frame["latitude"], n)
    reports += [bad_number_report(frame["longitude"], lon, rows, "longitude"),
                bad_number_report(frame["latitude"], lat, rows, "latitude")]
    prec = pd.to_numeric(col("where_prec"), errors="coerce")
    headline = col("source_headline")
    violence = col("type_of_violence")
    side_a, side_b = col("side_a"), col("side_b")
    masked_a = side_a.str.match(MASKED).fillna(False).to_numpy(dtype=bool)
    masked_b = side_b.str.match(MASKED).fillna(False).to_numpy(dtype=bool)
    if masked_a.any() or masked_b.any():
        notes.append(f"{int(masked_a.sum() + masked_b.sum()):,} masked actor codes (XXX...) are not names: "
                     f"actor Unidentified, the code kept in side_a_code / side_b_code")
    publishers = col("source_office").where(col("source_office").notna(), col("source_article"))
    publishers = publishers.where(publishers.notna(), col("source_original")).fillna(DATASET)
    place = col("where_description").where(col("where_description").notna(), col("where_coordinates"))
    raw = pd.DataFrame({
        "event_id": "ucdp:" + ids,
        "date": start.values.to_numpy(),
        "date_end": end.values.where(end.values != start.values).to_numpy(),
        "date_precision": col("date_prec").map(DATE_PREC).fillna("day"),
        "weapon_type": mapping.weapon_from_text(headline.fillna("") + " " + col("source_article").fillna("")),
        "outcome": "unknown",
        "actor": side_a.where(~masked_a).fillna("Unidentified"),
        "attribution": np.where((violence == "3").to_numpy(dtype=bool) & ~masked_a, "attributed", "unknown"),
        "target": side_b.where(~masked_b),
        "country": country_codes(col("country")).to_numpy(),
        "admin1": col("adm_1"),
        "location": place,
        "geo_precision": prec.map({k: v[0] for k, v in WHERE_PREC.items()}),
        "precision_km": prec.map({k: v[1] for k, v in WHERE_PREC.items()}),
        "fatalities": col("best"),
        "description": headline,
        "sources": sources_json(to_pl(publishers, n), sep=";", date=to_pl(start.iso, n), title=_first(headline)),
        "source_id": ids, "updated": None,
        "dataset": DATASET, "conflict_name": col("conflict_name"), "type_of_violence": violence,
        "where_prec": col("where_prec"), "low": col("low"), "high": col("high"),
        "side_a_code": side_a.where(masked_a), "side_b_code": side_b.where(masked_b),
    })
    return finish(raw, lon, lat, rows, reports, fmt="ucdp", notes=notes, keep=keep)


def _first(headline: pd.Series) -> pl.Series:
    """The first of ';'-separated headlines (titles cannot be paired with publishers reliably)."""
    first = headline.astype("str").str.replace(r";[\s\S]*", "", regex=True).str.strip()
    return pl.from_pandas(first.where(headline.notna())).cast(pl.String)
