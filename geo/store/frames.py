"""Validated events <-> Arrow tables: the layout of the trusted cache and of the query engine's answers.

A table of the cache holds the schema's columns as plain Arrow types (text, ``timestamp[ms]``, ``int64``,
``float64``), the geometry as WKB in ``geometry`` and the point's ``lon``/``lat`` beside it, so that an engine
filters on coordinates without decoding WKB. ``to_events`` turns such a table (or a slice the engine streams)
back into the in-memory dtypes that ``geo.validate.check`` gives, without validating again: the cache is trusted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.schema import CATEGORY_COLUMNS, CRS, FIELD_BY_NAME, VOCAB_DTYPES

#: Name of the WKB geometry column and of the plain coordinate columns in a cache table.
GEOMETRY = "geometry"
LON, LAT = "lon", "lat"
#: Columns stored as dictionaries and read back as pandas categoricals.
CATEGORICAL = (*VOCAB_DTYPES, *CATEGORY_COLUMNS)
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())


def _arrow_type(name: str) -> pa.DataType | None:
    field = FIELD_BY_NAME.get(name)
    if field is None:
        return None
    if name in CATEGORICAL:
        return _DICTIONARY
    return {"date": pa.timestamp("ms"), "int": pa.int64(), "float": pa.float64()}.get(field.kind, pa.string())


def to_table(events: gpd.GeoDataFrame, *, extras_as_text: bool = False) -> pa.Table:
    """Events as a cache table: schema columns in schema order, extra columns after, then geometry, lon, lat.

    ``extras_as_text`` turns extra (non-schema) columns into text, so that slices written one after another share
    one Arrow schema whatever each slice held.
    """
    geoms = events.geometry.to_numpy()
    arrays: dict[str, pa.Array] = {}
    for name in events.columns:
        if name == events.geometry.name:
            continue
        col = events[name]
        kind = _arrow_type(name)
        if kind == _DICTIONARY:  # codes and categories as they are: no text per row
            array = pa.array(col.array if isinstance(col.dtype, pd.CategoricalDtype) else
                             pa.array(col, type=pa.string(), from_pandas=True).dictionary_encode(), from_pandas=True)
            arrays[name] = array.cast(_DICTIONARY)
            continue
        if kind is None and extras_as_text:
            col = col.map(_text, na_action="ignore")
            kind = pa.string()
        arrays[name] = pa.array(col, type=kind, from_pandas=True)
    arrays[GEOMETRY] = pa.array(shapely.to_wkb(geoms), type=pa.binary())
    arrays[LON] = pa.array(shapely.get_x(geoms), type=pa.float64())
    arrays[LAT] = pa.array(shapely.get_y(geoms), type=pa.float64())
    return pa.table(arrays)


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def geo_metadata(bbox: Sequence[float] | None) -> bytes:
    """GeoParquet 1.1 file metadata of a cache table (points in WGS84 lon/lat: no ``crs`` member means CRS84)."""
    column: dict[str, object] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if bbox is not None:
        column["bbox"] = [float(v) for v in bbox]
    return json.dumps({"version": "1.1.0", "primary_column": GEOMETRY, "columns": {GEOMETRY: column}}).encode()


def _categorical(array: pa.ChunkedArray, name: str) -> pd.Categorical:
    if not pa.types.is_dictionary(array.type):
        array = pc.dictionary_encode(array)
    values = pd.Series(array.to_pandas())
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    # Unordered categoricals with the same values compare equal whatever their order, so astype would keep the
    # file's order: set the order explicitly (the vocabulary's, or sorted as validate's astype("category") does).
    order = list(VOCAB_DTYPES[name].categories) if name in VOCAB_DTYPES else sorted(values.cat.categories.astype("str"))
    return values.cat.set_categories(order).array


def to_events(table: pa.Table, *, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """A cache table (or an engine's slice of one) as events with validate's dtypes; no validation.

    Points are made from ``lon``/``lat`` when the table has them (events are points), else from WKB ``geometry``.
    """
    names = [n for n in table.column_names if n not in (GEOMETRY, LON, LAT)]
    if columns is not None:
        names = [n for n in names if n in columns]
    data: dict[str, object] = {}
    for name in names:
        array = table.column(name)
        kind = FIELD_BY_NAME[name].kind if name in FIELD_BY_NAME else None
        if name in CATEGORICAL:
            data[name] = _categorical(array, name)
        elif kind == "date":
            data[name] = pd.Series(array.cast(pa.timestamp("ms")).to_pandas(), dtype="datetime64[ms]").array
        elif kind == "int":
            data[name] = pd.array(array.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get), dtype="Int64")
        elif kind == "float":
            data[name] = array.to_numpy()
        elif kind is not None:  # one chunk: arrow's take on a chunked array is ~10x slower (filters take rows)
            data[name] = pd.array(pa.chunked_array([array.cast(pa.large_string()).combine_chunks()]).to_pandas(),
                                  dtype="str")
        else:
            data[name] = array.to_pandas()
    frame = pd.DataFrame(data, index=pd.RangeIndex(table.num_rows), columns=names)
    if LON in table.column_names and LAT in table.column_names:  # points from plain doubles: 10x faster than WKB
        geometry = shapely.points(table.column(LON).to_numpy(), table.column(LAT).to_numpy())
    elif GEOMETRY in table.column_names:
        geometry = shapely.from_wkb(table.column(GEOMETRY).to_numpy(zero_copy_only=False))
    else:
        geometry = np.full(table.num_rows, None, dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)

