"""Events frames <-> PostgreSQL COPY streams (CSV), whole columns at a time (pyarrow, no loop per event).

Our schema's columns map to typed table columns; ``dataset`` and ``duplicate_of`` too; any other column a reader
kept (ACLED's inter1, tags, ...) travels in one ``extra`` JSON object per row and comes back as text.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely

from geo.schema import CATEGORY_COLUMNS, COLUMNS, CRS, FIELD_BY_NAME, VOCAB_DTYPES

#: Columns beyond the schema that every store keeps as columns.
LINK_COLUMNS = ("dataset", "duplicate_of")
#: Table columns holding event data, in table order (``geom`` is built from lon/lat).
DATA_COLUMNS = (*COLUMNS, *LINK_COLUMNS, "extra")
_SQL_TYPES = {"date": "date", "int": "integer", "float": "double precision"}


def sql_type(name: str) -> str:
    """The column type of one data column in the events table."""
    if name == "extra":
        return "jsonb"
    if name == "geo_precision":
        return "smallint"
    field = FIELD_BY_NAME.get(name)
    return _SQL_TYPES.get(field.kind, "text") if field else "text"


def _arrow_type(name: str) -> pa.DataType:
    return {"date": pa.date32(), "integer": pa.int64(), "smallint": pa.int64(),
            "double precision": pa.float64()}.get(sql_type(name), pa.string())


def text_array(col: pd.Series) -> pa.Array:
    """A column as Arrow text (missing values stay null, categories become their labels)."""
    return pa.array(col.astype("str"), type=pa.string(), from_pandas=True)


def _column(frame: pd.DataFrame, name: str) -> pa.Array:
    if name not in frame:
        return pa.nulls(len(frame), type=_arrow_type(name))
    col = frame[name]
    kind = _arrow_type(name)
    if kind == pa.date32():
        return pa.array(col.to_numpy(dtype="datetime64[ms]").astype("datetime64[D]"), type=pa.date32(),
                        from_pandas=True)
    if kind == pa.string():
        return text_array(col)
    return pa.array(pd.to_numeric(col, errors="coerce"), type=kind, from_pandas=True)


def extra_json(frame: pd.DataFrame) -> pa.Array:
    """One JSON object of the columns outside the schema per row (null where a row has none of them)."""
    extra = [c for c in frame.columns if c not in DATA_COLUMNS and c != frame.geometry.name]
    if not extra:
        return pa.nulls(len(frame), type=pa.string())
    text = pl.from_arrow(pa.table({c: text_array(frame[c]) for c in extra}))
    encoded = text.select(pl.struct(extra).struct.json_encode().alias("j"))["j"]
    empty = text.select(pl.all_horizontal(pl.all().is_null()).alias("e"))["e"]
    return pl.select(pl.when(empty).then(None).otherwise(encoded)).to_series().to_arrow().cast(pa.string())


def to_copy_csv(frame: gpd.GeoDataFrame, leading: dict[str, pa.Array], *, geom: bool = False) -> tuple[list[str], bytes]:
    """The table columns and the CSV bytes of ``frame`` for ``COPY ... FROM STDIN (FORMAT csv)``: the ``leading``
    columns first, then the data columns, then ``geom`` (EWKB, SRID 4326) or lon and lat."""
    geoms = frame.geometry.to_numpy()
    arrays = {**leading, **{name: _column(frame, name) for name in DATA_COLUMNS if name != "extra"},
              "extra": extra_json(frame)}
    if geom:
        arrays["geom"] = pa.array(shapely.to_wkb(shapely.set_srid(geoms, 4326), hex=True, include_srid=True),
                                  type=pa.string())
    else:
        arrays |= {"lon": pa.array(shapely.get_x(geoms)), "lat": pa.array(shapely.get_y(geoms))}
    out = io.BytesIO()
    pacsv.write_csv(pa.table(arrays), out, pacsv.WriteOptions(include_header=False))
    return list(arrays), out.getvalue()


def select_list(prefix: str = "") -> str:
    """The columns ``from_copy_csv`` reads, as a SELECT list."""
    cols = [f'{prefix}"{c}"' if c != "extra" else f"{prefix}extra::text AS extra" for c in DATA_COLUMNS]
    return ", ".join([*cols, f"ST_X({prefix}geom) AS lon", f"ST_Y({prefix}geom) AS lat"])


def from_copy_csv(data: bytes) -> gpd.GeoDataFrame:
    """Events in our schema from the CSV (with header) of ``COPY (SELECT select_list() ...) TO STDOUT``."""
    names = [*DATA_COLUMNS, "lon", "lat"]
    types = {n: _arrow_type(n) for n in DATA_COLUMNS} | {"lon": pa.float64(), "lat": pa.float64()}
    if not data:
        table = pa.table({n: pa.array([], type=types[n]) for n in names})
    else:
        table = pacsv.read_csv(io.BytesIO(data), parse_options=pacsv.ParseOptions(newlines_in_values=True),
                               convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                                                    quoted_strings_can_be_null=False))
    data_frame: dict[str, pd.Series] = {}
    for name in (*COLUMNS, *LINK_COLUMNS):
        col = table.column(name)
        kind = types[name]
        if kind == pa.date32():
            series = pd.Series(col.to_numpy(zero_copy_only=False)).astype("datetime64[ms]")
        elif kind == pa.int64():
            series = pd.Series(pd.array(col.to_pandas(), dtype="Int64"))
        elif kind == pa.float64():
            series = pd.Series(col.to_numpy(zero_copy_only=False), dtype="float64")
        else:
            series = pd.Series(col.to_pandas(), dtype="str")
        if name in VOCAB_DTYPES:
            series = series.astype(VOCAB_DTYPES[name])
        elif name in CATEGORY_COLUMNS:
            series = series.astype("category")
        data_frame[name] = series
    frame = pd.DataFrame(data_frame)
    extra = table.column("extra")
    if extra.null_count < len(extra):
        decoded = pl.from_arrow(extra).str.json_decode(infer_schema_length=None).struct.unnest()
        for name in decoded.columns:
            if name not in frame:
                frame[name] = pd.Series(decoded[name].cast(pl.String).to_numpy(), dtype="str")
    points = shapely.points(table.column("lon").to_numpy(), table.column("lat").to_numpy())
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(np.asarray(points), crs=CRS), crs=CRS)
