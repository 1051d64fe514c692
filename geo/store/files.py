"""Load and save event collections: GeoJSON, GeoPackage, CSV and GeoParquet, read through GDAL.

Every reader returns raw columns to ``geo.validate.check`` so that all formats are validated the same way.
``load_events`` reads through the trusted cache (``geo.store.cache``): each file state is validated once.
``read_chunks`` gives a file in slices, so that a cache of ten million events is built in bounded memory.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from geo.errors import ReadError, SchemaError
from geo.paths import DEFAULT_EVENTS  # noqa: F401 - re-exported by geo.store
from geo.schema import CRS, CSV_DERIVED, CSV_RENAMES
from geo.placecheck import check_crs_fits
from geo.validate import Checked, check


_FULL_PARSE_LIMIT = 64 * 1024 * 1024
_SUFFIX_FORMAT = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".csv": "csv",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}
_FORMULA_QUOTED = re.compile(r"^'[=+\-@\t\r\n]")  # (GDAL reads a CR in a quoted cell as LF)


def format_of(path: str | os.PathLike[str]) -> str:
    """Format name from a file's extension ('geojson', 'gpkg', 'csv', 'parquet'); ReadError when unknown."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIX_FORMAT:
        known = ", ".join(sorted(_SUFFIX_FORMAT))
        raise ReadError(f"{path}: unknown file type '{suffix or '(none)'}'; use one of {known}")
    return _SUFFIX_FORMAT[suffix]


def check_file(source: str | os.PathLike[str] | bytes, *, fmt: str | None = None) -> Checked:
    """Read a file (or GeoJSON bytes) and validate every event; problems are returned, not raised."""
    name = "<data>" if isinstance(source, bytes) else str(source)
    fmt = fmt or ("geojson" if isinstance(source, bytes) else format_of(source))
    if not isinstance(source, bytes) and not Path(source).is_file():
        raise ReadError(f"{name}: no such file")
    if fmt == "geojson":
        _check_collection(source, name)
    raw, geometry = _READERS[fmt](source, name)
    return check(raw, geometry)


def read_events(source: str | os.PathLike[str] | bytes, *, fmt: str | None = None) -> gpd.GeoDataFrame:
    """Read and validate events; raise ``SchemaError`` listing every problem if there is any."""
    checked = check_file(source, fmt=fmt)
    if checked.problems:
        raise SchemaError("<data>" if isinstance(source, bytes) else str(source), checked.problems)
    return checked.events


def load_events(path: str | os.PathLike[str], *, cache: bool = True) -> gpd.GeoDataFrame:
    """Read events strictly; with ``cache`` through the trusted cache (validated once per file state).

    Any format is cached, a GeoParquet the user hands us too: it is validated once, then read as it was cached.
    """
    path = Path(path)
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    if not cache:
        return read_events(path)
    from geo.store import cache as trusted

    found = trusted.ensure(path)
    try:
        return trusted.read(found)
    except ReadError:
        found.path.unlink(missing_ok=True)  # damaged after it was checked: rebuild once, never trust it
        return trusted.read(trusted.ensure(path))


def read_chunks(path: str | os.PathLike[str], *, rows: int | None = None,
                fmt: str | None = None) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """Raw columns and geometries of a file, ``rows`` features at a time (a file of fewer gives one slice).

    The slices are what the readers give ``check`` for the whole file, so memory stays bounded on huge files.
    """
    from geo.store.cache import CHUNK_ROWS

    rows = rows or CHUNK_ROWS
    name, fmt = str(path), fmt or format_of(path)
    if not Path(path).is_file():
        raise ReadError(f"{name}: no such file")
    if fmt == "parquet":
        yield from _parquet_chunks(path, name, rows)
        return
    if fmt == "geojson":
        _check_collection(path, name)
    options = _GDAL_OPTIONS[fmt]
    for table, meta in _gdal_tables(path, name, rows, **options):
        raw, geometry = _table_to_frame(table, meta, name)
        yield _csv_columns(raw, name) if fmt == "csv" else (raw, geometry)


def _gdal_tables(source: str | os.PathLike[str], name: str, rows: int,
                 **options: str) -> Iterator[tuple[pa.Table, dict]]:
    """A GDAL layer as Arrow tables of ``rows`` rows (at least one table, empty for an empty layer)."""
    try:
        with pyogrio.raw.open_arrow(source, use_pyarrow=True, batch_size=min(rows, 65536), **options) as (meta, reader):
            batches, held, sent = [], 0, False
            for batch in reader:
                batches.append(batch)
                held += batch.num_rows
                if held >= rows:
                    yield pa.Table.from_batches(batches), meta
                    batches, held, sent = [], 0, True
            if batches or not sent:
                yield pa.Table.from_batches(batches, schema=reader.schema), meta
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError) as exc:
        raise ReadError(f"{name}: cannot be read ({str(exc).splitlines()[0]})") from None


def _parquet_chunks(source: str | os.PathLike[str], name: str,
                    rows: int) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """A GeoParquet file in slices: WKB decoded slice by slice, brought to WGS84 when it is in another CRS."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
        meta = orjson.loads((parquet.metadata.metadata or {}).get(b"geo", b"{}"))  # file metadata: any writer's
    except (OSError, ValueError, pa.ArrowException, orjson.JSONDecodeError) as exc:
        raise ReadError(f"{name}: cannot be read as GeoParquet ({exc})") from None
    column = meta.get("primary_column")
    info = meta.get("columns", {}).get(column, {})
    if not column or info.get("encoding", "WKB").upper() != "WKB":  # not plain WKB: let geopandas decode it whole
        yield _read_parquet(source, name)
        return
    crs = info.get("crs")
    try:
        sent = False
        for batch in parquet.iter_batches(batch_size=rows):
            table = pa.Table.from_batches([batch])
            yield _parquet_frame(table, column, crs, name)
            sent = True
        if not sent:
            yield _parquet_frame(parquet.schema_arrow.empty_table(), column, crs, name)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ReadError(f"{name}: cannot be read as GeoParquet ({exc})") from None


def _parquet_frame(table: pa.Table, column: str, crs: object, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    geometry = shapely.from_wkb(table.column(column).to_numpy(zero_copy_only=False))
    if crs is not None:  # GeoParquet: a missing crs means OGC:CRS84, so only an explicit one may need converting
        geometry = gpd.GeoSeries(geometry, crs=crs if not isinstance(crs, dict) else orjson.dumps(crs).decode())
        if not geometry.crs.equals(CRS) and not geometry.crs.equals("OGC:CRS84"):
            try:
                geometry = geometry.to_crs(CRS)
            except Exception as exc:  # pyproj raises several types; the user only needs to know it failed
                raise ReadError(f"{name}: cannot convert coordinates to WGS84 ({exc})") from None
        geometry = geometry.to_numpy()
    drop = [c for c in (column, "bbox") if c in table.column_names]
    frame = table.drop_columns(drop).to_pandas()
    return pd.DataFrame(frame), shapely.force_2d(geometry)


def _check_collection(source: str | os.PathLike[str] | bytes, name: str) -> None:
    """Refuse what is not a GeoJSON FeatureCollection before GDAL guesses at it."""
    if isinstance(source, bytes):
        data: bytes | None = source
        head = source[:1 << 20]
    else:
        size = os.path.getsize(source)
        with open(source, "rb") as fh:
            data = fh.read() if size <= _FULL_PARSE_LIMIT else None
            head = data[:1 << 20] if data is not None else fh.read(1 << 20)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise ReadError(f"{name}: the file is empty; expected a GeoJSON FeatureCollection")
    if data is None:  # too large to parse twice: trust a FeatureCollection head and let GDAL do the rest
        if not re.search(rb'"type"\s*:\s*"FeatureCollection"', head):
            raise ReadError(f"{name}: not a GeoJSON FeatureCollection (no \"type\": \"FeatureCollection\" at its start)")
        return
    try:
        doc = orjson.loads(data.lstrip(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise ReadError(f"{name}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        what = doc.get("type", "an object without \"type\"") if isinstance(doc, dict) else type(doc).__name__
        raise ReadError(f"{name}: expected a GeoJSON FeatureCollection, found {what}")
    features = doc.get("features")
    if not isinstance(features, list):
        raise ReadError(f"{name}: \"features\" must be a list of Feature objects")
    if not features:
        return
    bad = [i for i, f in enumerate(features) if not isinstance(f, dict) or f.get("type") != "Feature"]
    if bad:
        raise ReadError(f"{name}: features[{bad[0]}] is not a GeoJSON Feature ({len(bad)} such entries)")


def _table_to_frame(table: pa.Table, meta: dict, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    geom_col = meta.get("geometry_name") or "wkb_geometry"
    columns = {}
    for field in table.schema:
        if field.name in (geom_col, "wkb_geometry", "geometry", "OGC_FID", meta.get("fid_column")):
            continue
        col = table.column(field.name)
        if isinstance(field.type, pa.ExtensionType):
            col = col.cast(field.type.storage_type) if hasattr(col, "cast") else col
            col = pa.chunked_array([c.storage for c in col.chunks], type=field.type.storage_type)
        columns[field.name] = col
    raw = pa.table(columns).to_pandas() if columns else pd.DataFrame(index=range(table.num_rows))
    wkb = table.column(geom_col).to_numpy(zero_copy_only=False) if geom_col in table.column_names else None
    geometry = shapely.from_wkb(wkb) if wkb is not None else np.full(table.num_rows, None, dtype=object)
    geometry = shapely.force_2d(geometry)  # a 3D point must not turn the layer into EPSG:4979
    crs = meta.get("crs")
    check_crs_fits(crs, geometry, name)
    if crs and crs not in ("EPSG:4326", "OGC:CRS84"):
        try:
            geometry = gpd.GeoSeries(geometry, crs=crs).to_crs(CRS).to_numpy()
        except Exception as exc:  # pyproj raises several types; the user only needs to know it failed
            raise ReadError(f"{name}: cannot convert coordinates from {crs} to WGS84 ({exc})") from None
    return raw, geometry


def _read_gdal(source: str | os.PathLike[str] | bytes, name: str, **options: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        meta, table = pyogrio.read_arrow(source, **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ReadError(f"{name}: cannot be read ({str(exc).splitlines()[0]})") from None
    return _table_to_frame(table, meta, name)


def _read_geojson(source: str | os.PathLike[str] | bytes, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    return _read_gdal(source, name, **_GDAL_OPTIONS["geojson"])


def _read_gpkg(source: str | os.PathLike[str] | bytes, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    return _read_gdal(source, name)


_GDAL_OPTIONS: dict[str, dict[str, str]] = {
    "geojson": {"DATE_AS_STRING": "YES"},
    "gpkg": {},
    "csv": {"X_POSSIBLE_NAMES": "longitude", "Y_POSSIBLE_NAMES": "latitude", "KEEP_GEOM_COLUMNS": "YES",
            "EMPTY_STRING_AS_NULL": "YES",
            "HEADERS": "YES"},  # GDAL otherwise takes a header with a numeric name for data
}


def _read_csv(source: str | os.PathLike[str] | bytes, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    raw, _ = _read_gdal(source, name, **_GDAL_OPTIONS["csv"])
    return _csv_columns(raw, name)


def _csv_columns(raw: pd.DataFrame, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Our columns from a CSV's: points from longitude/latitude, ACLED names back to ours, formula quotes undone."""
    if not {"longitude", "latitude"} <= set(raw.columns):
        raise ReadError(f"{name}: a CSV of events needs 'longitude' and 'latitude' columns")
    lon = pd.to_numeric(raw["longitude"], errors="coerce").to_numpy(dtype="float64")
    lat = pd.to_numeric(raw["latitude"], errors="coerce").to_numpy(dtype="float64")
    geometry = shapely.points(lon, lat)
    geometry[np.isnan(lon) | np.isnan(lat)] = None
    raw = raw.drop(columns=[c for c in CSV_DERIVED if c in raw.columns])
    raw = raw.rename(columns={v: k for k, v in CSV_RENAMES.items()})
    # undo the quote that export put before header cells that a spreadsheet would run as formulas
    raw = raw.rename(columns={c: c[1:] for c in raw.columns if _FORMULA_QUOTED.match(c) and c[1:] not in raw.columns})
    for col in raw.columns:  # undo the quote that export put before spreadsheet formulas
        if raw[col].dtype == object or pd.api.types.is_string_dtype(raw[col]):
            text = raw[col].astype("str")
            quoted = text.str.match(_FORMULA_QUOTED).fillna(False).astype(bool)
            if quoted.any():
                raw[col] = text.where(~quoted, text.str.slice(1)).where(raw[col].notna())
    return raw, geometry


def _read_parquet(source: str | os.PathLike[str] | bytes, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        frame = gpd.read_parquet(source)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ReadError(f"{name}: cannot be read as GeoParquet ({exc})") from None
    if frame.crs is not None:
        check_crs_fits(frame.crs, frame.geometry.to_numpy(), name)
    if frame.crs is not None and not frame.crs.equals(CRS):
        frame = frame.to_crs(CRS)
    geometry = frame.geometry.to_numpy()
    return pd.DataFrame(frame.drop(columns=frame.geometry.name)), geometry


_READERS = {"geojson": _read_geojson, "gpkg": _read_gpkg, "csv": _read_csv, "parquet": _read_parquet}
