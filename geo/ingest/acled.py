"""ACLED exports (CSV or XLSX, 31 columns since 2023 or the older layout) -> events + row report.

Handles the three date formats ("05 July 2021", "2021-07-05", "05-Jul-21"), a BOM, upper-case headers, text or
numeric ``inter`` codes, "; "-separated lists, monadic exports (one row per actor) collapsed to one event per
``event_id_cnty``, revisions (the newest ``timestamp`` wins) and ACLED's list of deleted events
(``event_id_cnty, deleted_timestamp``), which is returned as ``deletions`` for the merge to apply.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.ingest import mapping
from geo.ingest.common import (
    SCOPE,
    IngestError,
    Ingested,
    Source,
    Table,
    bad_number_report,
    country_codes,
    finish,
    iso_dates,
    name_of,
    normalise_headers,
    numbers,
    read_bytes,
    read_delimited,
    read_excel,
    report_frame,
    sources_text,
    to_pl,
)

DATASET = "ACLED"
#: The three ACLED date formats, each tried only on the values its pattern matches (never a day-first guess).
DATE_FORMATS = (
    (r"\d{4}-\d{2}-\d{2}(?: 00:00:00(?:\.0+)?)?", "ISO8601"),
    (r"\d{1,2} [A-Za-z]+ \d{4}", "%d %B %Y"),
    (r"\d{1,2}-[A-Za-z]{3}-\d{2}", "%d-%b-%y"),
)
REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude")
#: ACLED geo_precision -> radius in km (town; near a town or part of a region; a larger region).
PRECISION_KM = {1: 5.0, 2: 25.0, 3: 100.0}
DATE_PRECISION = {"1": "day", "2": "week", "3": "month"}
#: Columns the reader reads (the rest of an export is noted as unused or silently ignored).
USED = frozenset({*REQUIRED, "time_precision", "actor2", "inter1", "inter2", "assoc_actor_1", "iso", "iso3",
                  "country", "admin1", "location", "geo_precision", "source", "notes", "fatalities", "tags",
                  "timestamp"})


def read(source: Source, *, all_types: bool = False, name: str | None = None) -> Ingested:
    """Read an ACLED export.

    Parameters
    ----------
    source : path, bytes or binary file of a CSV or XLSX export (or of ACLED's deleted-events list).
    all_types : import every event type (protests, agreements...), not only attacks and disrupted attacks.
    """
    name = name or name_of(source)
    data = read_bytes(source)
    table = read_excel(data, name) if data[:2] == b"PK" else read_delimited(data, name)
    del data  # the file's bytes are not needed once parsed (a 1M-row export is ~260 MB)
    frame = normalise_headers(table.frame)
    table.frame = frame.iloc[:0]  # only the columns kept below stay alive
    if "deleted_timestamp" in frame and "event_date" not in frame:
        return _deletions(frame, table)
    missing = [c for c in REQUIRED if c not in frame]
    if missing:
        hint = " (only one column was found: is the delimiter right?)" if frame.shape[1] == 1 else ""
        raise IngestError(f"{name}: not an ACLED export: missing column(s) {', '.join(missing)}{hint}")
    notes = list(table.notes)
    known = {*REQUIRED, "year", "time_precision", "disorder_type", "assoc_actor_1", "inter1", "actor2",
             "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
             "admin2", "admin3", "location", "geo_precision", "source", "source_scale", "notes", "fatalities",
             "tags", "timestamp", "data_id", "event_id_no_cnty", "iso3"}
    extra = [c for c in frame.columns if c not in known]
    if extra:
        notes.append(f"columns not used: {', '.join(extra[:10])}")
    frame = frame[[c for c in frame.columns if c in USED]]  # unused columns leave before any row filtering
    frame, rows, reports = _collapse(frame, table.rows, notes)
    reports.insert(0, table.report)
    del table
    frame, rows = _in_scope(frame, rows, reports, all_types=all_types)
    held = [frame]
    del frame  # _events holds the only reference: the file's columns go once the event columns are built
    return _events(held, rows, reports, notes)


def _deletions(frame: pd.DataFrame, table: Table) -> Ingested:
    ids = frame.get("event_id_cnty")
    if ids is None:
        raise IngestError("an ACLED deletions file needs 'event_id_cnty' and 'deleted_timestamp' columns")
    deletions = pd.DataFrame({"dataset": DATASET, "source_id": ids.astype("str")}).dropna()
    from geo.schema import empty_events

    return Ingested(empty_events(), table.report, fmt="acled", notes=table.notes, deletions=deletions)


def _collapse(frame: pd.DataFrame, rows: np.ndarray, notes: list[str]) -> tuple[pd.DataFrame, np.ndarray, list]:
    """One row per event_id_cnty: monadic copies merge silently (noted); other repeats keep the newest revision."""
    ids = frame["event_id_cnty"].astype("str").str.strip()
    reports: list[pd.DataFrame] = []
    if not ids.duplicated().any():  # the usual export: one row per event, nothing to sort
        return frame, rows, reports
    stamp = pd.to_numeric(frame.get("timestamp"), errors="coerce") if "timestamp" in frame else pd.Series(
        np.nan, index=frame.index)
    order = pd.DataFrame({"id": ids, "ts": stamp.fillna(-1), "row": rows}).sort_values(
        ["id", "ts", "row"], ascending=[True, False, True], kind="stable")
    first = ~order["id"].duplicated()
    kept_at = order.loc[first].set_index("id")["row"]
    later = order.loc[~first & order["id"].notna()]
    key = frame["event_date"].astype("str") + "|" + frame.get("location", ids).astype("str")
    key_of_kept = pd.Series(key.to_numpy(), index=rows).loc[kept_at.to_numpy()].to_numpy()
    kept_key = pd.Series(key_of_kept, index=kept_at.index)
    same = (pd.Series(key.to_numpy(), index=rows).loc[later["row"].to_numpy()].to_numpy()
            == kept_key.loc[later["id"]].to_numpy())
    if same.any():
        notes.append(f"{int(same.sum()):,} monadic rows (one per actor) collapsed into their events")
    conflict = later[~same]
    if len(conflict):
        reasons = [f"duplicate event_id_cnty {i}: row {r} (newest timestamp) was kept"
                   for i, r in zip(conflict["id"], kept_at.loc[conflict["id"]].to_numpy())]
        reports.append(report_frame(conflict["row"].to_numpy(), "event_id_cnty", reasons))
    keep = np.isin(rows, order.loc[first, "row"].to_numpy())
    return frame[keep].reset_index(drop=True), rows[keep], reports


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name].astype("str").str.strip().where(frame[name].notna())
    return pd.Series(np.nan, index=frame.index, dtype="str")


def _in_scope(frame: pd.DataFrame, rows: np.ndarray, reports: list, *, all_types: bool
              ) -> tuple[pd.DataFrame, np.ndarray]:
    """Only attacks and disrupted attacks (unless ``all_types``); the other rows are reported as out of scope."""
    if all_types:
        return frame, rows
    et, sub = _col(frame, "event_type"), _col(frame, "sub_event_type")
    keep = (et.isin(mapping.ACLED_DEFAULT_TYPES) | (et + "/" + sub).isin(mapping.ACLED_DEFAULT_TYPES)).to_numpy(
        dtype=bool)
    out = ~keep
    reasons = ("event type '" + et[out].fillna("") + " / " + sub[out].fillna("")
               + "' is not an attack (use all_types / --all-types to import it)").to_numpy()
    reports.append(report_frame(rows[out], SCOPE, reasons))
    # out-of-scope rows leave before any further work: a big export is often half protests
    return frame[keep].reset_index(drop=True), rows[keep]


def _events(held: list[pd.DataFrame], rows: np.ndarray, reports: list, notes: list[str]) -> Ingested:
    frame = held.pop()
    n = len(frame)
    et, sub, notes_text = _col(frame, "event_type"), _col(frame, "sub_event_type"), _col(frame, "notes")
    keep = np.ones(n, dtype=bool)
    dates, bad_date = iso_dates(frame["event_date"], DATE_FORMATS)
    shown = frame["event_date"].astype("str").str.slice(0, 30)[bad_date].to_numpy()
    reports.append(report_frame(rows[bad_date], "event_date",
                                [f"'{t}' is not a date in an ACLED format (05 July 2021, 2021-07-05, 05-Jul-21)"
                                 for t in shown]))
    lon, lat = numbers(frame["longitude"], n), numbers(frame["latitude"], n)
    reports += [bad_number_report(frame["longitude"], lon, rows, "longitude"),
                bad_number_report(frame["latitude"], lat, rows, "latitude")]
    weapon, outcome = mapping.acled_weapons(et, sub, notes_text)
    # In "Disrupted weapons use" actor1 is who stopped the weapon: the attacker (if named) is actor2.
    disrupted = (sub == "Disrupted weapons use").to_numpy(dtype=bool)
    actor = _col(frame, "actor1").where(~disrupted, _col(frame, "actor2"))
    target = _col(frame, "actor2").where(~disrupted, _col(frame, "actor1"))
    unnamed = actor.isna() | actor.str.startswith("Unidentified").fillna(False)
    claimed = notes_text.str.contains(r"\bclaimed\b", case=False, regex=True).fillna(False)
    attribution = np.where(unnamed, "unknown", np.where(claimed, "claimed", "attributed"))
    country = country_codes(_col(frame, "iso3") if "iso3" in frame else _col(frame, "iso"))
    country = country.where(country.notna(), country_codes(_col(frame, "country")))
    gp = pd.Series(numbers(_col(frame, "geo_precision"), n), index=frame.index)
    updated = _stamps(pd.Series(numbers(_col(frame, "timestamp"), n), index=frame.index))
    ids = _col(frame, "event_id_cnty")
    raw = pd.DataFrame({
        "event_id": "acled:" + ids,
        "date": dates,
        "date_precision": _col(frame, "time_precision").map(DATE_PRECISION).fillna("day"),
        "weapon_type": weapon, "outcome": outcome,
        "actor": actor.fillna("Unidentified"), "attribution": attribution,
        "target": target,
        "country": country, "admin1": _col(frame, "admin1"),
        "location": _col(frame, "location"),
        "geo_precision": gp, "precision_km": gp.map(PRECISION_KM),
        "fatalities": _col(frame, "fatalities"),
        "description": notes_text,
        "sources": sources_text(to_pl(_col(frame, "source"), n), sep=";", date=to_pl(dates, n)),
        "event_type": et, "sub_event_type": sub,
        "source_id": ids, "updated": updated,
        "dataset": DATASET,
        "inter1": _inter(_col(frame, "inter1")), "inter2": _inter(_col(frame, "inter2")),
        "assoc_actor_1": _col(frame, "assoc_actor_1"), "tags": _col(frame, "tags"),
    }, copy=False)  # (the columns above are new already: no second copy)
    del frame  # the file's text columns are not needed any more
    return finish(raw, lon, lat, rows, reports, fmt="acled", notes=notes, keep=keep)


def _stamps(stamp: pd.Series) -> pd.Series:
    """UNIX seconds as ISO 8601 UTC text, formatted once per distinct value (an export has few)."""
    codes, uniques = pd.factorize(stamp, use_na_sentinel=True)
    text = pd.to_datetime(pd.Series(uniques, dtype="float64"), unit="s", utc=True, errors="coerce")
    formatted = pd.array(text.dt.strftime("%Y-%m-%dT%H:%M:%SZ"), dtype="str")
    return pd.Series(formatted.take(codes, allow_fill=True), index=stamp.index)


def _inter(col: pd.Series) -> pd.Series:
    """Numeric inter codes (1-8) as ACLED's text; text codes as they are."""
    return col.replace(mapping.ACLED_INTER)
