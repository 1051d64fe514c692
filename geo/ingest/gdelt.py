"""GDELT event files (2.0: 61 tab-separated columns; 1.0: 57, or 58 with SOURCEURL; no header, or GDELT's own
header line) -> events + row report, through a quality gate the user sets.

GDELT is machine-coded and noisy (public audits found about one pin in five is a real, correctly placed violent
event): every record carries ``machine_coded = True`` and ``attribution`` unknown, and only rows passing the gate
(``Gate``: CAMEO codes, minimum NumSources / NumArticles, allowed ActionGeo_Type) are taken; the others are
reported as out of scope with the reason. Centroid geo types get the size of what they stand for as their
precision: a country point (type 1) the distance to the country's farthest border, a US state or world ADM1 point
(types 2 and 5) the extent of that unit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from geo.ingest import mapping
from geo.ingest.common import (
    SCOPE,
    IngestError,
    Ingested,
    Source,
    bad_number_report,
    name_of,
    numbers,
    read_bytes,
    report_frame,
    to_pl,
)
from geo.ingest.country import radius_km
from geo.ingest.dates import parse_dates
from geo.ingest.fips import FIPS_TO_ISO3
from geo.ingest.finish import finish
from geo.ingest.limits import LIMITS, Limits, check_rows, check_size
from geo.ingest.sources import sources_json
from geo.ingest.text import decode

DATASET = "GDELT"
_STRING = pd.StringDtype("pyarrow", na_value=np.nan)
_USED = {0: "GLOBALEVENTID", 1: "SQLDATE", 6: "Actor1Name", 16: "Actor2Name", 25: "IsRootEvent", 26: "EventCode",
         27: "EventBaseCode", 28: "EventRootCode", 29: "QuadClass", 31: "NumMentions", 32: "NumSources",
         33: "NumArticles", 34: "AvgTone"}
_ACTION = ("ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code")
#: Field count -> the used columns by position: 2.0 has ADM2 codes (3 more columns) that 1.0 lacks.
LAYOUTS: dict[int, dict[int, str]] = {
    61: {**_USED, **dict(zip(range(51, 55), _ACTION)), 56: "ActionGeo_Lat", 57: "ActionGeo_Long",
         58: "ActionGeo_FeatureID", 59: "DATEADDED", 60: "SOURCEURL"},
    58: {**_USED, **dict(zip(range(49, 53), _ACTION)), 53: "ActionGeo_Lat", 54: "ActionGeo_Long",
         55: "ActionGeo_FeatureID", 56: "DATEADDED", 57: "SOURCEURL"},
    57: {**_USED, **dict(zip(range(49, 53), _ACTION)), 53: "ActionGeo_Lat", 54: "ActionGeo_Long",
         55: "ActionGeo_FeatureID", 56: "DATEADDED"},
}
COLUMNS = tuple(dict.fromkeys(v for layout in LAYOUTS.values() for v in layout.values()))
#: ActionGeo_Type -> (geo_precision, radius km when the unit's own size is unknown).
GEO_TYPES = {1: (3, 500.0), 2: (3, 250.0), 3: (1, 10.0), 4: (1, 10.0), 5: (3, 150.0)}


@dataclass(frozen=True)
class Gate:
    """Which GDELT rows are taken; the defaults keep violent events reported by more than one article."""

    cameo: tuple[str, ...] = ("18", "19", "20")  # EventCode prefixes: roots (18 assault...) or codes (1951)
    min_sources: int = 1
    min_articles: int = 2
    geo_types: tuple[int, ...] = (1, 2, 3, 4, 5)

    def out_reasons(self, frame: pd.DataFrame) -> pd.Series:
        """Why each row fails the gate (the first reason), missing where it passes."""
        code = frame["EventCode"].fillna("").str.strip()
        sources = pd.to_numeric(frame["NumSources"], errors="coerce").fillna(0)
        articles = pd.to_numeric(frame["NumArticles"], errors="coerce").fillna(0)
        geo = pd.to_numeric(frame["ActionGeo_Type"], errors="coerce").fillna(0).astype(int)
        checks = [
            (~code.str.startswith(self.cameo), "CAMEO code '" + code + f"' is not one of {', '.join(self.cameo)}"
                                               " (change --gdelt-cameo to take it)"),
            (sources < self.min_sources, "NumSources " + sources.astype(int).astype("str")
             + f" is below {self.min_sources} (lower --gdelt-min-sources to take it)"),
            (articles < self.min_articles, "NumArticles " + articles.astype(int).astype("str")
             + f" is below {self.min_articles} (lower --gdelt-min-articles to take it)"),
            (~geo.isin(self.geo_types), "ActionGeo_Type " + geo.astype("str")
             + f" is not one of {', '.join(map(str, self.geo_types))} (change --gdelt-geo-types to take it)"),
        ]
        out = pd.Series(np.nan, index=frame.index, dtype="str")
        for failed, reason in reversed(checks):  # the first failing check names the row
            out = out.mask(failed.to_numpy(dtype=bool), reason)
        return out


def read(source: Source, *, gate: Gate | None = None, roots: tuple[str, ...] | None = None, name: str | None = None,
         limits: Limits = LIMITS) -> Ingested:
    """Read a GDELT events file; ``gate`` chooses the rows taken (``roots`` is the older way to give its codes)."""
    name = name or name_of(source)
    gate = gate or (Gate(cameo=tuple(roots)) if roots else Gate())
    frame, rows, reports, notes = _read_table(read_bytes(source), name, limits)
    n = len(frame)
    why = gate.out_reasons(frame)
    keep = why.isna().to_numpy(dtype=bool)
    reports.append(report_frame(rows[~keep], SCOPE, why[~keep].to_numpy(dtype=object)))
    dates = parse_dates(frame["SQLDATE"], only=("YYYYMMDD",), example="20210705")
    bad_date = dates.bad & keep
    reports.append(report_frame(rows[bad_date], "SQLDATE", dates.reasons[keep[dates.bad]]))
    lon, lat = numbers(frame["ActionGeo_Long"], n), numbers(frame["ActionGeo_Lat"], n)
    fix = "GDELT writes decimal degrees; a row without ActionGeo coordinates cannot be placed"
    reports += [bad_number_report(frame["ActionGeo_Long"], lon, rows, "ActionGeo_Long", fix),
                bad_number_report(frame["ActionGeo_Lat"], lat, rows, "ActionGeo_Lat", fix)]
    geo_type = pd.to_numeric(frame["ActionGeo_Type"], errors="coerce")
    iso3 = frame["ActionGeo_CountryCode"].str.strip().map(FIPS_TO_ISO3)
    added = parse_dates(frame["DATEADDED"].str.slice(0, 8), only=("YYYYMMDD",))
    stamp = pd.to_datetime(frame["DATEADDED"].str.pad(14, "right", "0"), format="%Y%m%d%H%M%S", errors="coerce")
    url = frame["SOURCEURL"].str.strip()
    url = url.where(url.str.match(r"(?i)^https?://\S+$").fillna(False).astype(bool))
    ids = frame["GLOBALEVENTID"].str.strip()
    code = frame["EventCode"].str.strip()
    raw = pd.DataFrame({
        "event_id": "gdelt:" + ids,
        "date": dates.values.to_numpy(), "date_precision": "day",
        "weapon_type": mapping.cameo_weapons(code), "outcome": "unknown",
        "actor": frame["Actor1Name"].fillna("Unidentified"), "attribution": "unknown",
        "target": frame["Actor2Name"],
        "country": iso3,
        "location": frame["ActionGeo_FullName"],
        "geo_precision": geo_type.map({k: v[0] for k, v in GEO_TYPES.items()}),
        "precision_km": _precision(geo_type, iso3, lon, lat, keep),
        "description": "GDELT machine-coded event, CAMEO " + code.fillna("?"),
        "sources": sources_json(pl.Series("p", pa.array(_hosts(url), pa.string(), from_pandas=True)).fill_null("GDELT"),
                                sep="\x00",
                                date=to_pl(added.iso, n), url=to_pl(url, n)),
        "source_id": ids, "updated": stamp.dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(),
        "dataset": DATASET, "machine_coded": True, "cameo_code": code,
        "num_sources": pd.to_numeric(frame["NumSources"], errors="coerce"),
        "num_articles": pd.to_numeric(frame["NumArticles"], errors="coerce"),
        "action_geo_type": geo_type,
    })
    return finish(raw, lon, lat, rows, reports, fmt="gdelt", notes=notes, keep=keep)


def _precision(geo_type: pd.Series, iso3: pd.Series, lon: np.ndarray, lat: np.ndarray, keep: np.ndarray
               ) -> np.ndarray:
    """A city point's fixed radius; a centroid's, the size of the country or unit it stands for."""
    km = np.array(geo_type.map({k: v[1] for k, v in GEO_TYPES.items()}), dtype="float64")
    country = keep & (geo_type == 1).to_numpy()
    if country.any():
        sized = radius_km(iso3[country], lon[country], lat[country])
        km[country] = np.where(np.isnan(sized), km[country], sized)
    unit = keep & geo_type.isin([2, 5]).to_numpy()
    if unit.any():
        from geo.ingest.places import admin1_radius_km

        sized = admin1_radius_km(lon[unit], lat[unit])
        km[unit] = np.where(np.isnan(sized), km[unit], sized)
    return km


def _read_table(data: bytes, name: str, limits: Limits) -> tuple[pd.DataFrame, np.ndarray, list, list[str]]:
    """The used columns of every row, whichever GDELT layout each row has; rows of no layout are reported."""
    notes: list[str] = []
    check_size(len(data), name, limits)
    data = decode(data, name, notes)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:  # GDELT writes UTF-8; an edited copy may not be
        data = data.decode("cp1252", errors="replace").encode("utf-8")
        notes.append("the file is not UTF-8: read as cp1252")
    first = data[: data.find(b"\n")] if b"\n" in data else data
    start, first_row = 0, 1
    if b"GLOBALEVENTID" in first.upper() and not first.upper().startswith(b"GLOBALEVENTID\t"):
        return _read_named(data, name, limits, notes)
    if first.upper().startswith(b"GLOBALEVENTID\t"):  # GDELT's own header line (BigQuery and codebook exports)
        names = first.decode("utf-8", "replace").strip().split("\t")
        layouts = {len(names): {i: n for i, n in enumerate(names) if n in COLUMNS}}
        start, first_row = len(first) + 1, 2
    else:
        fields = first.count(b"\t") + 1
        if fields not in LAYOUTS or not first.split(b"\t", 1)[0].strip().isdigit():
            raise IngestError(f"{name}: not a GDELT events file: its first row has {fields} tab-separated fields "
                              f"starting {first[:20]!r}; GDELT 2.0 rows have 61 fields and 1.0 rows 57 or 58, each "
                              f"starting with a numeric GLOBALEVENTID")
        layouts = {fields: LAYOUTS[fields], **{k: v for k, v in LAYOUTS.items() if k != fields}}
    remaining = data[start:]
    del data
    parts, numbers, left, texts = [], [], None, []  # left: file record numbers of the rows in `remaining`
    for fields, layout in layouts.items():  # the first row's layout first, then the others on what is left
        if not remaining.strip():
            break
        table, bad = _parse(remaining, fields, layout)
        local = np.arange(1, table.num_rows + len(bad) + 1)
        ids = local if left is None else left
        bad_at = np.array([b[0] for b in bad], dtype="int64")
        parts.append(table)
        numbers.append(ids[np.setdiff1d(local, bad_at) - 1])
        left, texts = ids[bad_at - 1], [b[1] for b in bad]
        remaining = "\n".join(texts).encode("utf-8")
    frames = [t.to_pandas(types_mapper={pa.string(): _STRING}.get) for t in parts]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    frame = frame.reindex(columns=list(COLUMNS)).astype(_STRING)
    record = np.concatenate(numbers) if numbers else np.array([], dtype="int64")
    order = np.argsort(record, kind="stable")
    frame, rows = frame.iloc[order].reset_index(drop=True), record[order] + first_row - 1
    check_rows(len(rows), name, limits)
    reports = []
    if texts:
        counts = [t.count("\t") + 1 for t in texts]
        reports.append(report_frame(left + first_row - 1, "row",
                                    [f"has {c} tab-separated fields: GDELT 2.0 rows have 61, 1.0 rows 57 or 58; "
                                     f"not read (was the file cut or edited?)" for c in counts]))
    if len(parts) > 1 and all(p.num_rows for p in parts):
        notes.append("rows of several GDELT layouts (1.0 and 2.0, with and without SOURCEURL) were read")
    return frame, rows, reports, notes


#: What tables re-saved by R, pandas or a spreadsheet write for a missing value, besides an empty cell.
_MISSING = ("NA", "NAN", "NULL", "NONE", "#N/A")


def _read_named(data: bytes, name: str, limits: Limits, notes: list[str]
                ) -> tuple[pd.DataFrame, np.ndarray, list, list[str]]:
    """A GDELT table re-saved with its column names in a header row, in any delimiter (R's write.csv, pandas,
    a spreadsheet): the columns are taken by name, whatever their order or any column added (a row number)."""
    from geo.ingest.text import read_delimited

    table = read_delimited(data, name, limits=limits)
    by_key = {str(c).strip().strip('"').lower(): c for c in table.frame.columns}
    need = ("GLOBALEVENTID", "SQLDATE", "EventCode", "ActionGeo_Lat", "ActionGeo_Long")
    lacking = [c for c in need if c.lower() not in by_key]
    if lacking:
        raise IngestError(f"{name}: a GDELT table with a header row needs the columns {', '.join(need)}; "
                          f"it lacks {', '.join(lacking)}")
    frame = pd.DataFrame(index=table.frame.index)
    for c in COLUMNS:
        col = table.frame[by_key[c.lower()]] if c.lower() in by_key else pd.Series(np.nan, index=frame.index)
        text = col.astype(_STRING).str.strip()
        frame[c] = text.mask(text.str.upper().isin(_MISSING) | (text == ""))
    notes = [*notes, *table.notes, "a GDELT table with a header row: its columns were taken by name"]
    if "sourceurl" not in by_key:
        notes.append("no SOURCEURL column (GDELT 1.0 back-file layout): the events have no article address")
    return frame.reset_index(drop=True), table.rows, [table.report], notes


def _parse(body: bytes, fields: int, layout: dict[int, str]) -> tuple[pa.Table, list[tuple[int, str]]]:
    """The layout's used columns from every row with ``fields`` fields; (record number, text) of the others."""
    bad: list[tuple[int, str]] = []

    def on_bad(row: pacsv.InvalidRow) -> str:
        bad.append((row.number or 0, row.text))
        return "skip"

    names = [layout.get(i, f"c{i}") for i in range(fields)]
    read = pacsv.read_csv(
        io.BytesIO(body),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False, invalid_row_handler=on_bad),
        convert_options=pacsv.ConvertOptions(include_columns=[n for n in names if n in COLUMNS],
                                             column_types={n: pa.string() for n in names}, null_values=[""],
                                             strings_can_be_null=True))
    return read, bad


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname or None
    except ValueError:  # ("Invalid IPv6 URL"): no publisher to name
        return None


def _hosts(url: pd.Series) -> np.ndarray:
    """The host of each URL as its publisher, computed once per distinct URL."""
    codes, uniques = pd.factorize(url, use_na_sentinel=True)
    hosts = np.array([_host(u) for u in uniques], dtype=object)
    hosts = np.array([h.removeprefix("www.") if h else None for h in hosts], dtype=object)
    return np.where(codes >= 0, hosts[np.maximum(codes, 0)] if len(hosts) else None, None)
