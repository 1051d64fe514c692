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
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from geo.ingest import mapping
from geo.ingest.common import (
    _STRING,
    SCOPE,
    IngestError,
    Ingested,
    Source,
    Table,
    bad_number_report,
    clean_text,
    header_names,
    name_of,
    numbers,
    read_bytes,
    report_frame,
    require,
    text_col,
)
from geo.ingest.acled_columns import actors, category, distinct, inter, recode, stamps
from geo.ingest.country import country_codes
from geo.ingest.dates import parse_dates
from geo.ingest.excel import read_excel
from geo.ingest.finish import finish
from geo.ingest.limits import LIMITS, Limits
from geo.ingest.sources import sources_text
from geo.ingest.text import read_delimited
from geo.schema import VOCAB_DTYPES

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
_ATTRIBUTION = {a: i for i, a in enumerate(VOCAB_DTYPES["attribution"].categories)}
_STOPPED = [i for i, o in enumerate(VOCAB_DTYPES["outcome"].categories) if o in ("intercepted", "failed")]
#: Columns the reader reads (the rest of an export is noted as unused or silently ignored).
USED = frozenset({*REQUIRED, "sub_event_type", "year", "time_precision", "actor2", "inter1", "inter2",
                  "assoc_actor_1", "iso", "iso3", "country", "admin1", "location", "source", "notes", "fatalities",
                  "tags", "timestamp"})
#: Columns read dictionary-encoded (see ``read_delimited``): types, codes, places, actors, dates and small numbers
#: repeat across an export, so the parse keeps one code per row and every step after it works per distinct value.
#: Ids, notes and coordinates are mostly distinct: they stay text.
CODED = USED - {"event_id_cnty", "notes", "latitude", "longitude"}
#: Event columns ``_events`` makes from cleaned text only (``text_col``, ids, our own JSON and timestamps).
NORMALISED = frozenset({"event_id", "actor", "target", "admin1", "location", "description", "sources", "source_id",
                        "updated"})
#: Categorical event columns that leave as text: decoded by ``finish`` for the valid rows only.
AS_TEXT = frozenset({"admin1", "updated", "dataset", "inter1", "inter2", "assoc_actor_1", "tags", "source_event_type",
                     "event_type", "sub_event_type", "sources", "target", "actor"})
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
    wanted = USED | {"deleted_timestamp", *ALIASES}
    table = read_excel(data, name, limits) if data[:2] == b"PK" else read_delimited(
        data, name, limits=limits, arrow=True, keep=lambda c: c.replace("\ufeff", "").strip().lower() in wanted,
        coded=lambda c: ALIASES.get(key := c.replace("\ufeff", "").strip().lower(), key) in CODED)
    del data  # the file's bytes are not needed once parsed (a 1M-row export is ~260 MB)
    arrow = table.to_arrow()
    arrow = arrow.rename_columns(header_names(arrow.column_names, ALIASES))
    table.arrow, table.frame = None, table.frame.iloc[:0]
    if "deleted_timestamp" in arrow.column_names and "event_date" not in arrow.column_names:
        return _deletions(arrow, table)
    # (a required column given twice is refused: look at the whole header, read or not)
    require(header_names(table.header, ALIASES) if table.header else arrow.column_names, REQUIRED, name,
            "an ACLED export", "ACLED exports have them; if this is another table, import it with --format csv")
    notes = list(table.notes)
    old = "sub_event_type" not in arrow.column_names
    if old:
        notes.append("ACLED layout before 2019 (no sub_event_type): event types mapped to today's, the original "
                     "kept in source_event_type")
    every = header_names(table.header or arrow.column_names, ALIASES)
    extra = [c for c in every if c not in KNOWN and not c.startswith("column_")]
    if extra:
        notes.append(f"columns not used: {', '.join(extra[:10])}")
    arrow = arrow.select([c for c in dict.fromkeys(arrow.column_names) if c in USED])  # unused columns leave first
    for i, col in enumerate(arrow.columns):  # dictionary columns are cleaned once, on their distinct values
        if pa.types.is_dictionary(col.type):
            arrow = arrow.set_column(i, arrow.field(i), clean_text(col))
    given = clean_text(arrow.column("event_type"))
    arrow = arrow.set_column(arrow.column_names.index("event_type"), "event_type", _spelled(given))
    if old:
        arrow = arrow.append_column("source_event_type", given)  # the file's own words, beside today's type
    reports, rows, epoch = [table.report], table.rows, table.excel_epoch
    del table
    if not all_types:  # out-of-scope rows leave before any further work: a big export is often half protests
        keep = _in_scope(arrow, rows, reports, old=old)
        if not keep.all():
            arrow, rows = arrow.filter(pa.array(keep)), rows[keep]
    frame = arrow.to_pandas(types_mapper={pa.string(): _STRING, pa.large_string(): _STRING}.get)
    del arrow
    frame, rows, collapsed = _collapse(frame, rows, notes)
    reports += collapsed
    held = [frame]
    del frame  # _events holds the only reference: the file's columns go once the event columns are built
    return _events(held, rows, reports, notes, dayfirst=dayfirst, epoch=epoch, old=old)


def _deletions(arrow: pa.Table, table: Table) -> Ingested:
    if "event_id_cnty" not in arrow.column_names:
        raise IngestError("an ACLED deletions file needs 'event_id_cnty' and 'deleted_timestamp' columns")
    ids = pd.Series(pd.array(clean_text(arrow.column("event_id_cnty")), dtype=_STRING))
    deletions = pd.DataFrame({"dataset": DATASET, "source_id": ids}).dropna()
    from geo.schema import empty_events

    return Ingested(empty_events(), table.report, fmt="acled", notes=table.notes, deletions=deletions)


def _collapse(frame: pd.DataFrame, rows: np.ndarray, notes: list[str]) -> tuple[pd.DataFrame, np.ndarray, list]:
    """One row per event_id_cnty: monadic copies merge silently (noted); other repeats keep the newest revision."""
    reports: list[pd.DataFrame] = []
    ids_arrow = clean_text(pa.array(frame["event_id_cnty"].array))
    # (polars counts distinct hashes of the ids at a tenth of arrow's count_distinct CPU on a million unique
    # strings; as many distinct hashes as rows proves the ids distinct, and a collision only takes the exact path)
    if pl.Series("id", ids_arrow, dtype=pl.String).hash().n_unique() == len(frame):  # the usual export
        return frame, rows, reports
    ids = pd.Series(pd.array(ids_arrow, dtype=_STRING), index=frame.index)
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


def _in_scope(arrow: pa.Table, rows: np.ndarray, reports: list, *, old: bool) -> np.ndarray:
    """Which rows are attacks or disrupted attacks; the others are reported as out of scope.

    Decided once per distinct (event_type, sub_event_type) pair, then spread to the rows by the pair's code.
    """
    names = arrow.column_names
    et_codes, et_values = _codes(clean_text(arrow.column("event_type")))
    if "sub_event_type" in names:
        sub_codes, sub_values = _codes(clean_text(arrow.column("sub_event_type")))
    else:
        sub_codes, sub_values = np.full(len(et_codes), -1, dtype=np.int64), pa.array([], pa.string())
    width = len(sub_values) + 1
    pair_codes, pairs = pd.factorize((et_codes + 1) * width + (sub_codes + 1))
    pair_et, pair_sub = pairs // width - 1, pairs % width - 1
    et = et_values.take(pa.array(pair_et, mask=pair_et < 0))  # one row per distinct pair
    sub = sub_values.take(pa.array(pair_sub, mask=pair_sub < 0))
    pair = pc.binary_join_element_wise(et, sub, "/")
    keep_pair = pc.or_kleene(pc.is_in(et, pa.array(mapping.ACLED_DEFAULT_TYPES)),
                             pc.is_in(pair, pa.array(mapping.ACLED_DEFAULT_TYPES)))
    keep_pair = np.array(pc.fill_null(keep_pair, False), dtype=bool)
    if old or pc.any(pc.is_in(et_values, pa.array(list(mapping.ACLED_OLD_TYPES)))).as_py():
        keep_pair |= np.array(pc.fill_null(pc.is_in(et, pa.array(mapping.ACLED_OLD_DEFAULT_TYPES)), False), dtype=bool)
        strategic_pair = np.array(pc.fill_null(pc.equal(et, mapping.OLD_STRATEGIC), False), dtype=bool)
        keep = keep_pair[pair_codes]
        strategic = np.flatnonzero(strategic_pair[pair_codes] & ~keep)
        if len(strategic) and "notes" in names:
            notes = pd.Series(pd.array(clean_text(arrow.column("notes").take(strategic)), dtype=_STRING))
            keep[strategic] = mapping.acled_disrupted(notes)
    else:
        keep = keep_pair[pair_codes]
    out = np.flatnonzero(~keep)
    if len(out):
        # one reason per distinct (event_type, sub_event_type) shown, spread to the rows by code
        shown = pc.binary_join_element_wise(pc.fill_null(et, ""), pc.fill_null(sub, ""), " / ")
        shown = pc.replace_substring_regex(shown, " / $", "")
        reasons = pc.binary_join_element_wise("event type '", shown, "' is not an attack (use all_types / "
                                              "--all-types to import it)", "")
        reports.append(report_frame(rows[out], SCOPE, reasons.take(pa.array(pair_codes[out]))))
    return keep


def _codes(values: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Row codes (-1 where missing) and distinct texts of a text column (a dictionary column's own)."""
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    coded = arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(arr)
    codes = pc.fill_null(coded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, coded.dictionary.cast(pa.string())


def _events(held: list[pd.DataFrame], rows: np.ndarray, reports: list, notes: list[str], *,
            dayfirst: bool | None, epoch: str | None, old: bool) -> Ingested:
    frame = held.pop()
    n = len(frame)
    et, sub = category(frame, "event_type"), category(frame, "sub_event_type")
    notes_text = text_col(frame, "notes")
    dates = parse_dates(frame["event_date"], year=frame.get("year"), dayfirst=dayfirst, excel_epoch=epoch,
                        example="05 July 2021 (or 2021-07-05)")
    notes += dates.notes
    reports.append(dates.report(rows, "event_date"))
    lon, lat = numbers(frame["longitude"], n), numbers(frame["latitude"], n)
    reports += [bad_number_report(frame["longitude"], lon, rows, "longitude"),
                bad_number_report(frame["latitude"], lat, rows, "latitude")]
    matcher = mapping.Matcher(notes_text)  # (one conversion for every keyword test of the notes)
    weapon, outcome = mapping.acled_weapons(et, sub, matcher)
    # In "Disrupted weapons use" actor1 is who stopped the weapon: the attacker (if named) is actor2.
    disrupted = np.asarray(sub == "Disrupted weapons use", dtype=bool) | (
        np.asarray(et == mapping.OLD_STRATEGIC, dtype=bool) & np.isin(outcome.codes, _STOPPED))
    actor, target, unnamed = actors(frame, disrupted)
    claimed = matcher.contains(r"\bclaimed\b")
    attribution = pd.Categorical.from_codes(np.where(unnamed, _ATTRIBUTION["unknown"], np.where(
        claimed, _ATTRIBUTION["claimed"], _ATTRIBUTION["attributed"])), dtype=VOCAB_DTYPES["attribution"])
    country = country_codes(distinct(frame, "iso3") if "iso3" in frame else distinct(frame, "iso"))
    if country.isna().any():
        country = country.where(country.notna(), country_codes(distinct(frame, "country")))
    gp = pd.Series(numbers(distinct(frame, "geo_precision"), n), index=frame.index)
    updated = stamps(pd.Series(numbers(distinct(frame, "timestamp"), n), index=frame.index))
    ids = text_col(frame, "event_id_cnty")
    modern_et, modern_sub = mapping.acled_modern_types(et, sub)
    precision = recode(category(frame, "time_precision"), DATE_PRECISION, "day", VOCAB_DTYPES["date_precision"])
    raw = pd.DataFrame({
        "event_id": "acled:" + ids,
        "date": dates.values,
        "date_precision": precision,
        "weapon_type": weapon, "outcome": outcome,
        "actor": actor, "attribution": attribution,
        "target": target,
        "country": country, "admin1": distinct(frame, "admin1"),
        "location": text_col(frame, "location"),
        "geo_precision": gp, "precision_km": gp.map(PRECISION_KM),
        "fatalities": numbers(distinct(frame, "fatalities"), n),
        "description": notes_text,
        "sources": sources_text(distinct(frame, "source"), sep=";", date=dates.iso, coded=True),
        "event_type": modern_et, "sub_event_type": modern_sub,
        "source_id": ids, "updated": updated,
        "dataset": pd.Categorical.from_codes(np.zeros(n, np.int8), categories=pd.Index([DATASET], dtype="str")),
        "inter1": inter(distinct(frame, "inter1")), "inter2": inter(distinct(frame, "inter2")),
        "assoc_actor_1": distinct(frame, "assoc_actor_1"), "tags": distinct(frame, "tags"),
        **({"source_event_type": distinct(frame, "source_event_type")} if old else {}),
    }, copy=False)  # (the columns above are new already: no second copy)
    del frame  # the file's text columns are not needed any more
    return finish(raw, lon, lat, rows, reports, fmt="acled", notes=notes, normalised=NORMALISED, as_text=AS_TEXT,
                  ids_unique=True)  # (``_collapse`` kept one row per event_id_cnty)


def _spelled(types: pa.ChunkedArray) -> pa.ChunkedArray:
    """Event types in ACLED's own spelling ("Violence Against Civilians" -> "Violence against civilians"), mapped
    once per distinct value."""
    encoded = pc.dictionary_encode(types.combine_chunks())
    values = [mapping.ACLED_TYPE_SPELLINGS.get(v.lower(), v) if v is not None else None
              for v in encoded.dictionary.to_pylist()]
    if pa.types.is_dictionary(types.type):  # (two spellings of one type share a code)
        spelled = pc.dictionary_encode(pa.array(values, pa.string()))
        return pa.chunked_array([pa.DictionaryArray.from_arrays(spelled.indices.take(encoded.indices),
                                                                spelled.dictionary)])
    return pa.chunked_array([pa.array(values, pa.string()).take(encoded.indices)])
