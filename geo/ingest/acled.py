"""ACLED exports (CSV or XLSX) of every layout -> events + row report.

Layouts: today's 31 columns (2023-), the 2019-2022 one (``data_id, iso, event_id_no_cnty, iso3``, no
``disorder_type``), and the older running and version files and API v1 (upper-case headers, ``GWNO``,
``ALLY_ACTOR_1``, no ``sub_event_type``; event types "Remote violence", "Battle-No change of territory"...), whose
types are mapped to today's by ``mapping.ACLED_OLD_TYPES`` with the original kept in ``source_event_type``.
Dates in every format ACLED files have used are decided per file (``geo.ingest.dates``, helped by the ``year``
column). Also: text or numeric ``inter`` codes, "; "-separated lists, monadic exports (one row per actor) collapsed
to one event per ``event_id_cnty``, revisions (the newest ``timestamp`` wins) and ACLED's list of deleted events
(``event_id_cnty, deleted_timestamp``), returned as ``deletions`` for the merge to apply.
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
from geo.ingest.excel import read_excel
from geo.ingest.finish import finish
from geo.ingest.limits import LIMITS, Limits
from geo.ingest.sources import sources_text
from geo.ingest.text import read_delimited

DATASET = "ACLED"
REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude", "geo_precision")
#: Old and truncated (shapefile) column names -> today's.
ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2", "event_id_c": "event_id_cnty",
           "event_id_n": "event_id_no_cnty", "event_dat": "event_date", "time_preci": "time_precision",
           "event_typ": "event_type", "sub_event_": "sub_event_type", "geo_precis": "geo_precision",
           "assoc_acto": "assoc_actor_1", "fatalitie": "fatalities"}
#: ACLED geo_precision -> radius in km (town; near a town or part of a region; a larger region).
PRECISION_KM = {1: 5.0, 2: 25.0, 3: 100.0}
DATE_PRECISION = {"1": "day", "2": "week", "3": "month"}
#: Columns the reader reads (the rest of an export is noted as unused or silently ignored).
USED = frozenset({*REQUIRED, "sub_event_type", "year", "time_precision", "actor2", "inter1", "inter2",
                  "assoc_actor_1", "iso", "iso3", "country", "admin1", "location", "source", "notes", "fatalities",
                  "tags", "timestamp"})
KNOWN = USED | {"disorder_type", "assoc_actor_2", "interaction", "civilian_targeting", "region", "admin2", "admin3",
                "source_scale", "data_id", "event_id_no_cnty", "gwno"}


def read(source: Source, *, all_types: bool = False, dayfirst: bool | None = None, name: str | None = None,
         limits: Limits = LIMITS) -> Ingested:
    """Read an ACLED export.

    Parameters
    ----------
    source : path, bytes or binary file of a CSV or XLSX export (or of ACLED's deleted-events list).
    all_types : import every event type (protests, agreements...), not only attacks and disrupted attacks.
    dayfirst : how to read numeric dates (31/12/2019 or 12/31/2019) when the file itself cannot tell.
    """
    name = name or name_of(source)
    data = read_bytes(source)
    table = read_excel(data, name, limits) if data[:2] == b"PK" else read_delimited(data, name, limits=limits)
    del data  # the file's bytes are not needed once parsed (a 1M-row export is ~260 MB)
    frame = normalise_headers(table.frame, ALIASES)
    table.frame = frame.iloc[:0]  # only the columns kept below stay alive
    if "deleted_timestamp" in frame and "event_date" not in frame:
        return _deletions(frame, table)
    require(frame, REQUIRED, name, "an ACLED export", "ACLED exports have them; if this is another table, import "
                                                      "it with --format csv")
    notes = list(table.notes)
    old = "sub_event_type" not in frame
    if old:
        notes.append("ACLED layout before 2019 (no sub_event_type): event types mapped to today's, the original "
                     "kept in source_event_type")
    extra = [c for c in frame.columns if c not in KNOWN and not c.startswith("column_")]
    if extra:
        notes.append(f"columns not used: {', '.join(extra[:10])}")
    frame = frame[[c for c in frame.columns if c in USED]]  # unused columns leave before any row filtering
    frame, rows, reports = _collapse(frame, table.rows, notes)
    reports.insert(0, table.report)
    epoch = table.excel_epoch
    del table
    frame, rows = _in_scope(frame, rows, reports, all_types=all_types, old=old)
    held = [frame]
    del frame  # _events holds the only reference: the file's columns go once the event columns are built
    return _events(held, rows, reports, notes, dayfirst=dayfirst, epoch=epoch, old=old)


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
        reasons = [f"duplicate event_id_cnty {i}: row {r} (newest timestamp) was kept; remove the older copy"
                   for i, r in zip(conflict["id"], kept_at.loc[conflict["id"]].to_numpy())]
        reports.append(report_frame(conflict["row"].to_numpy(), "event_id_cnty", reasons))
    keep = np.isin(rows, order.loc[first, "row"].to_numpy())
    return frame[keep].reset_index(drop=True), rows[keep], reports


def _in_scope(frame: pd.DataFrame, rows: np.ndarray, reports: list, *, all_types: bool, old: bool
              ) -> tuple[pd.DataFrame, np.ndarray]:
    """Only attacks and disrupted attacks (unless ``all_types``); the other rows are reported as out of scope."""
    if all_types:
        return frame, rows
    et, sub = text_col(frame, "event_type"), text_col(frame, "sub_event_type")
    keep = np.array(et.isin(mapping.ACLED_DEFAULT_TYPES) | (et + "/" + sub).isin(mapping.ACLED_DEFAULT_TYPES),
                    dtype=bool)
    if old or et.isin(list(mapping.ACLED_OLD_TYPES)).any():
        keep |= et.isin(mapping.ACLED_OLD_DEFAULT_TYPES).to_numpy(dtype=bool)
        strategic = np.flatnonzero((et == mapping.OLD_STRATEGIC).to_numpy(dtype=bool) & ~keep)
        if len(strategic):
            keep[strategic] = mapping.acled_disrupted(text_col(frame, "notes").iloc[strategic])
    out = ~keep
    reasons = ("event type '" + et[out].fillna("") + (" / " + sub[out]).fillna("")
               + "' is not an attack (use all_types / --all-types to import it)").to_numpy()
    reports.append(report_frame(rows[out], SCOPE, reasons))
    # out-of-scope rows leave before any further work: a big export is often half protests
    return frame[keep].reset_index(drop=True), rows[keep]


def _events(held: list[pd.DataFrame], rows: np.ndarray, reports: list, notes: list[str], *,
            dayfirst: bool | None, epoch: str | None, old: bool) -> Ingested:
    frame = held.pop()
    n = len(frame)
    et, sub, notes_text = text_col(frame, "event_type"), text_col(frame, "sub_event_type"), text_col(frame, "notes")
    dates = parse_dates(frame["event_date"], year=frame.get("year"), dayfirst=dayfirst, excel_epoch=epoch,
                        example="05 July 2021 (or 2021-07-05)")
    notes += dates.notes
    reports.append(dates.report(rows, "event_date"))
    lon, lat = numbers(frame["longitude"], n), numbers(frame["latitude"], n)
    reports += [bad_number_report(frame["longitude"], lon, rows, "longitude"),
                bad_number_report(frame["latitude"], lat, rows, "latitude")]
    weapon, outcome = mapping.acled_weapons(et, sub, notes_text)
    # In "Disrupted weapons use" actor1 is who stopped the weapon: the attacker (if named) is actor2.
    disrupted = (sub == "Disrupted weapons use").to_numpy(dtype=bool) | (
        (et == mapping.OLD_STRATEGIC).to_numpy(dtype=bool) & np.isin(outcome, ["intercepted", "failed"]))
    actor1, actor2 = text_col(frame, "actor1"), text_col(frame, "actor2")
    actor = actor1.where(~disrupted, actor2)
    target = actor2.where(~disrupted, actor1)
    unnamed = actor.isna() | actor.str.startswith("Unidentified").fillna(False)
    claimed = notes_text.str.contains(r"\bclaimed\b", case=False, regex=True).fillna(False)
    attribution = np.where(unnamed, "unknown", np.where(claimed, "claimed", "attributed"))
    country = country_codes(text_col(frame, "iso3") if "iso3" in frame else text_col(frame, "iso"))
    country = country.where(country.notna(), country_codes(text_col(frame, "country")))
    gp = pd.Series(numbers(text_col(frame, "geo_precision"), n), index=frame.index)
    updated = _stamps(pd.Series(numbers(text_col(frame, "timestamp"), n), index=frame.index))
    ids = text_col(frame, "event_id_cnty")
    modern_et, modern_sub = mapping.acled_modern_types(et, sub)
    raw = pd.DataFrame({
        "event_id": "acled:" + ids,
        "date": dates.iso,
        "date_precision": text_col(frame, "time_precision").map(DATE_PRECISION).fillna("day"),
        "weapon_type": weapon, "outcome": outcome,
        "actor": actor.fillna("Unidentified"), "attribution": attribution,
        "target": target,
        "country": country, "admin1": text_col(frame, "admin1"),
        "location": text_col(frame, "location"),
        "geo_precision": gp, "precision_km": gp.map(PRECISION_KM),
        "fatalities": text_col(frame, "fatalities"),
        "description": notes_text,
        "sources": sources_text(to_pl(text_col(frame, "source"), n), sep=";", date=to_pl(dates.iso, n)),
        "event_type": modern_et, "sub_event_type": modern_sub,
        "source_id": ids, "updated": updated,
        "dataset": DATASET,
        "inter1": _inter(text_col(frame, "inter1")), "inter2": _inter(text_col(frame, "inter2")),
        "assoc_actor_1": text_col(frame, "assoc_actor_1"), "tags": text_col(frame, "tags"),
        **({"source_event_type": et} if old else {}),
    }, copy=False)  # (the columns above are new already: no second copy)
    del frame  # the file's text columns are not needed any more
    return finish(raw, lon, lat, rows, reports, fmt="acled", notes=notes)


def _stamps(stamp: pd.Series) -> pd.Series:
    """UNIX seconds as ISO 8601 UTC text, formatted once per distinct value (an export has few)."""
    codes, uniques = pd.factorize(stamp, use_na_sentinel=True)
    text = pd.to_datetime(pd.Series(uniques, dtype="float64"), unit="s", utc=True, errors="coerce")
    formatted = pd.array(text.dt.strftime("%Y-%m-%dT%H:%M:%SZ"), dtype="str")
    return pd.Series(formatted.take(codes, allow_fill=True), index=stamp.index)


def _inter(col: pd.Series) -> pd.Series:
    """Numeric inter codes (1-8) as ACLED's text; text codes as they are."""
    return col.replace(mapping.ACLED_INTER)
