"""Exports of events that arrive in slices (the query engine streams filtered events), and the GeoPackage writer.

``write_frames`` writes GeoJSON, CSV, GeoParquet or GeoPackage one slice at a time, so an export of ten million
events holds one slice in memory. GeoPackages go through GDAL's Arrow writer (pyogrio ``write_arrow``), several
times faster than feature-by-feature OGR writes. Text layouts are the ones of ``geo.export``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from geo.errors import ExportError
from geo.formats import FORMATS, format_for
from geo.geojson_lines import CHUNK_ROWS, collection_head
from geo.query import FilterSpec
from geo.store import atomic

if TYPE_CHECKING:  # pandas, GDAL and pyarrow load only for the formats that need them
    import geopandas as gpd
    import pyarrow as pa


def export_file(cached: str | os.PathLike[str], spec: FilterSpec, output: str | os.PathLike[str] | BinaryIO, *,
                fmt: str | None = None, caption: str | None = None, meta: Mapping[str, Any] | None = None) -> None:
    """Write the events of a trusted cache (or any engine GeoParquet) that ``spec`` keeps, streamed in slices.

    GeoJSON text is written by DuckDB (``engine.geojson_lines``; DuckDB -> polars -> text for the rare file it
    cannot write exactly as ``geo.geojson_lines``) and GeoPackage DuckDB -> Arrow -> GDAL, neither through pandas;
    CSV and GeoParquet go through event frames (their text rules live with the frames). ``output`` may be an open
    binary stream for GeoJSON (stdout).
    """
    from geo.store import engine

    fmt = fmt or ("geojson" if not isinstance(output, (str, os.PathLike)) else format_for(output))
    if fmt == "geojson":
        lines = engine.geojson_lines(cached, spec)
        if lines is not None:  # DuckDB writes the text: neither polars nor pandas loads
            from geo.geojson_sql import write_lines

            def write(out: BinaryIO) -> None:
                write_lines(lines, out, caption=caption, meta=meta)
        else:
            from geo.geojson_lines import write_engine_slices

            slices = engine.polars_frames(cached, spec)

            def write(out: BinaryIO) -> None:
                write_engine_slices(slices, out, caption=caption, meta=meta)
        if not isinstance(output, (str, os.PathLike)):
            write(output)
            return
        _write_stream(output, write)
    elif fmt == "gpkg":
        write_gpkg_stream(engine.select(cached, spec), output)
    else:
        write_frames(engine.frames(cached, spec), output, fmt=fmt, caption=caption, meta=meta)


def _write_stream(path: str | os.PathLike[str], write: Any) -> None:
    def to_file(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            write(out)
    try:
        atomic.write_with(path, to_file)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _gpkg_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Dates as ISO text (as GeoJSON and CSV carry them), dictionaries as plain text: what GDAL writes as is."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for field, column in zip(batch.schema, batch.columns):
        if pa.types.is_timestamp(field.type) or pa.types.is_date(field.type):
            column = pc.strftime(column, "%Y-%m-%d")
        elif pa.types.is_dictionary(field.type):
            column = column.cast(field.type.value_type)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def write_gpkg_stream(batches: pa.RecordBatchReader, path: str | os.PathLike[str]) -> Path:
    """Write an Arrow stream of events (WKB ``geometry``, no lon/lat) as a GeoPackage layer, atomically.

    GDAL takes the batches one by one through its Arrow writer (pyogrio ``write_arrow``): bounded memory, and
    no Python object per event.
    """
    import pyarrow as pa
    import pyogrio

    schema = batches.schema
    if schema.get_field_index("geometry") < 0:
        raise ExportError(f"{path}: the events have no geometry column")
    out_schema = _gpkg_batch(pa.RecordBatch.from_pylist([], schema=schema)).schema
    stream = pa.RecordBatchReader.from_batches(out_schema, (_gpkg_batch(b) for b in batches))
    try:
        return atomic.write_with(path, lambda tmp: pyogrio.write_arrow(
            stream, tmp, layer="events", driver="GPKG", geometry_name="geometry", geometry_type="Point",
            crs="EPSG:4326"))
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_gpkg(events: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Events as a GeoPackage through GDAL's Arrow writer (the fast path: no row-by-row OGR features)."""
    import pyarrow as pa

    from geo.store.frames import LAT, LON, to_table

    table = to_table(events, extras_as_text=True).drop_columns([LON, LAT])
    return write_gpkg_stream(pa.RecordBatchReader.from_batches(table.schema, table.to_batches(CHUNK_ROWS)), path)


def _stream_geojson(frames: Iterable[gpd.GeoDataFrame], out: BinaryIO, *, caption: str | None,
                    meta: Mapping[str, Any] | None) -> None:
    from geo.export import _feature_lines

    out.write(collection_head(caption, meta))
    first = True
    for frame in frames:
        for start in range(0, len(frame), CHUNK_ROWS):
            lines = _feature_lines(frame.iloc[start:start + CHUNK_ROWS], first=first)
            lines.write_csv(out, include_header=False, quote_style="never", line_terminator="\n")
            first = False
    out.write(b"]}\n")


def _stream_csv(frames: Iterable[gpd.GeoDataFrame], out: BinaryIO) -> None:
    from geo.export import _write_csv, csv_frame

    header = True
    for frame in frames:
        if not len(frame):
            continue
        for start in range(0, len(frame), CHUNK_ROWS):  # as geo.export's CSV: CRLF, formula-safe cells
            csv_frame(frame.iloc[start:start + CHUNK_ROWS]).write_csv(
                out, line_terminator="\r\n", quote_style="necessary", include_header=header)
            header = False
    if header:  # nothing kept: still the header line
        from geo.schema import empty_events

        _write_csv(empty_events(), out)


def _stream_parquet(frames: Iterable[gpd.GeoDataFrame], tmp: Path) -> None:
    """GeoParquet (WKB, GeoParquet 1.1 metadata) written slice by slice."""
    import numpy as np
    import pyarrow.parquet as pq

    from geo.schema import empty_events
    from geo.store.frames import LAT, LON, geo_metadata, to_table

    writer = None
    bbox = [np.inf, np.inf, -np.inf, -np.inf]
    try:
        for frame in frames:
            if writer is not None and not len(frame):
                continue
            table = to_table(frame, extras_as_text=True)
            if len(table):
                lon, lat = table.column(LON).to_numpy(), table.column(LAT).to_numpy()
                bbox = [min(bbox[0], lon.min()), min(bbox[1], lat.min()), max(bbox[2], lon.max()),
                        max(bbox[3], lat.max())]
            table = table.drop_columns([LON, LAT])
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table.cast(writer.schema))
        if writer is None:
            writer = pq.ParquetWriter(tmp, to_table(empty_events()).drop_columns([LON, LAT]).schema)
        writer.add_key_value_metadata({"geo": geo_metadata(bbox if np.isfinite(bbox[0]) else None)})
    finally:
        if writer is not None:
            writer.close()


def write_frames(frames: Iterable[gpd.GeoDataFrame], path: str | os.PathLike[str], *, fmt: str | None = None,
                 caption: str | None = None, meta: Mapping[str, Any] | None = None) -> Path:
    """Write events that arrive in slices (``geo.store.engine.frames``) to one file, atomically.

    Each slice is written as it comes, so the memory is one slice's whatever the number of events.
    """
    from geo.export import _write_file

    fmt = fmt or format_for(path)
    try:
        if fmt == "geojson":
            return atomic.write_with(path, lambda tmp: _write_file(tmp, _stream_geojson, frames,
                                                                   caption=caption, meta=meta))
        if fmt == "csv":
            return atomic.write_with(path, lambda tmp: _write_file(tmp, _stream_csv, frames))
        if fmt == "parquet":
            return atomic.write_with(path, lambda tmp: _stream_parquet(frames, tmp))
        if fmt == "gpkg":
            return write_gpkg_stream(_arrow_stream(frames), path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
    raise ExportError(f"unknown export format '{fmt}'; use one of {', '.join(sorted(set(FORMATS.values())))}")


def _arrow_stream(frames: Iterable[gpd.GeoDataFrame]) -> pa.RecordBatchReader:
    """Slices of events as one Arrow stream (the schema of the first slice, or of no events at all)."""
    import pyarrow as pa

    from geo.schema import empty_events
    from geo.store.frames import LAT, LON, to_table

    tables = (to_table(f, extras_as_text=True).drop_columns([LON, LAT]) for f in frames)
    first = next(tables, None)
    if first is None:
        first = to_table(empty_events(), extras_as_text=True).drop_columns([LON, LAT])
    schema = first.schema

    def batches() -> Iterator[pa.RecordBatch]:
        yield from first.to_batches()
        for table in tables:
            yield from table.cast(schema).to_batches()
    return pa.RecordBatchReader.from_batches(schema, batches())
