"""The last step of every reader: points, the one validator (``geo.validate.check``), and one sorted row report."""

from __future__ import annotations

import functools
from collections.abc import Collection

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import pyarrow as pa

from geo.ingest.common import _STRING, Ingested, clean_text, points, report_frame, text_of
from geo.ingest.country import _outlines
from geo.schema import CATEGORY_COLUMNS, COLUMNS, CRS, FIELDS
from geo.validate import check

#: Optional text fields the validator only normalises (stripped, one kind of line break, empty as missing): they
#: are normalised here the same way (``clean_text``, arrow) and join the events after the check, so a million long
#: notes are not copied through it. Each stays checked where it matters: none has a vocabulary or a format.
PASS_THROUGH = tuple(f.name for f in FIELDS if f.kind == "text" and not f.required
                     and f.name not in ("event_type", "sub_event_type"))
#: Checked text columns the validator can leave categorical (``geo.validate.check``'s ``coded``).
_CODED_CHECK = ("event_type", "sub_event_type", "sources", "actor")


def finish(raw: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, rows: np.ndarray,
           reports: list[pd.DataFrame], *, fmt: str, notes: list[str],
           keep: np.ndarray | None = None, geometry: np.ndarray | None = None,
           normalised: Collection[str] = (), as_text: Collection[str] = (), ids_unique: bool = False) -> Ingested:
    """Validate the rows still in play (``keep``) and gather every report into one sorted DataFrame.

    ``normalised`` names the text columns the reader made already normalised (``geo.ingest.common.clean_text``):
    they are not scanned again (see ``geo.validate.check``). ``as_text`` names categorical columns (not checked:
    pass-through and extra ones) that leave as text: each is decoded once, for the valid rows only (a column the
    schema keeps categorical, the actor, is taken as the check would type it, and stays so). ``ids_unique``:
    the reader made every event_id distinct (the check then skips its duplicate test).
    """
    keep = np.ones(len(raw), dtype=bool) if keep is None else keep
    if not keep.all():  # (a full copy of every column otherwise, for nothing)
        raw, rows = raw[keep].reset_index(drop=True), rows[keep]
    else:
        raw = raw.reset_index(drop=True)
    for f in FIELDS:  # every schema column present, so the validator types them all the same way
        if f.name not in raw:
            raw[f.name] = pd.Series(np.nan, index=raw.index, dtype="float64" if f.kind in ("int", "float") else "str")
    made = (lon[keep], lat[keep]) if geometry is None else None
    # Points are made for the valid rows only, once the check is done: it reads ``made``, not the geometries, so it is
    # given placeholders (a shapely object per row is most of a point's cost, and the rows it rejects need none).
    geom = np.full(len(raw), None, dtype=object) if made is not None else geometry[keep]
    _fill_country(raw, geom, notes, made)
    coded = [c for c in as_text if c in raw and isinstance(raw[c].dtype, pd.CategoricalDtype)
             and (c in PASS_THROUGH or c not in COLUMNS or c in _CODED_CHECK)]
    passed = {c: raw[c] if c in coded or c in normalised and _arrow_text(raw[c]) else _clean(raw[c])
              for c in PASS_THROUGH if c in raw}
    checked = check(raw.drop(columns=list(passed)), geom, points=made, normalised=normalised, ids_unique=ids_unique,
                    coded=[c for c in coded if c in _CODED_CHECK])
    index, fields, reasons = checked.found.arrays()
    if len(index):
        already = np.concatenate([r["row"].to_numpy() for r in reports if len(r)] or [np.array([], "int64")])
        # "missing" after the reader already said why (bad date text, 'NA' latitude) would say the same thing twice
        said = np.isin(rows[index], already) & np.array([r.startswith("missing") for r in reasons], dtype=bool)
        reports.append(report_frame(rows[index[~said]], fields[~said], reasons[~said]))
    report = pd.concat([r for r in reports if len(r)] or [report_frame([], "", "")], ignore_index=True)
    report = report.sort_values(["row", "field"], kind="stable").reset_index(drop=True)
    events = checked.events
    for c, values in passed.items():
        events[c] = values.set_axis(events.index)
    events = events[[*COLUMNS, *(c for c in events.columns if c not in COLUMNS)]]
    events = _valid_rows(events, ~checked.bad) if checked.bad.any() else events  # (no copy of a clean file)
    events = events.reset_index(drop=True)
    if made is not None:
        good = ~checked.bad
        events["geometry"] = gpd.GeoSeries(points(made[0][good], made[1][good]), index=events.index, crs=CRS)
    for c in coded:
        if isinstance(events[c].dtype, pd.CategoricalDtype) and c not in CATEGORY_COLUMNS:
            events[c] = text_of(events[c])
    return Ingested(events, report, fmt=fmt, notes=notes)


def _valid_rows(events: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``events[keep]``, with arrow text columns filtered chunk by chunk: pandas takes rows by position, and arrow's
    take of a chunked text column first joins its chunks into one, a second copy of every string."""
    text = [c for c in events.columns if _arrow_text(events[c])]
    kept = events.drop(columns=text)[keep]
    mask = pa.array(keep)
    for c in text:
        kept[c] = pd.Series(pd.array(pa.array(events[c].array).filter(mask), dtype=events[c].dtype),
                            index=kept.index, copy=False)
    return kept[list(events.columns)]


def _arrow_text(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow"


def _clean(col: pd.Series) -> pd.Series:
    """A text column normalised as the validator would (see ``PASS_THROUGH``)."""
    if _arrow_text(col):
        values = pa.array(col.array)
    else:
        values = pa.array(col.astype("str").where(col.notna()).to_numpy(dtype=object), pa.string(), from_pandas=True)
    return pd.Series(pd.array(clean_text(values), dtype=_STRING), index=col.index)


def _fill_country(raw: pd.DataFrame, geom: np.ndarray, notes: list[str],
                  made: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Rows without a country take the one their point falls in (the bundled Natural Earth outlines); with
    ``made`` (lon, lat) the points of those rows are made from it (``geom`` holds placeholders)."""
    if made is not None:  # (``points`` writes every number it is given as a finite coordinate)
        need = raw["country"].isna().to_numpy() & ~(np.isnan(made[0]) | np.isnan(made[1]))
        geom = np.full(len(raw), None, dtype=object)
        if need.any():
            geom[need] = points(made[0][need], made[1][need])
    else:
        need = raw["country"].isna().to_numpy() & ~shapely.is_missing(geom)
    if need.any():
        need &= np.isfinite(shapely.get_x(np.where(need, geom, None)).astype(float))
    if need.any():
        codes, tree = _country_tree()
        where, which = tree.query(geom[need], predicate="intersects")
        found = np.full(int(need.sum()), None, dtype=object)
        found[where] = codes[which]
        raw.loc[np.flatnonzero(need), "country"] = found
        notes.append(f"{int(pd.notna(found).sum()):,} rows without a country took the one their point lies in")
    if raw["country"].isna().all():
        raw["country"] = ""  # the validator then reports each row as missing a country


@functools.lru_cache(maxsize=1)
def _country_tree() -> tuple[np.ndarray, shapely.STRtree]:
    """ISO3 codes and an STRtree of the bundled Natural Earth outlines (built once per process)."""
    outlines = _outlines()
    return np.array(list(outlines), dtype=object), shapely.STRtree(list(outlines.values()))

