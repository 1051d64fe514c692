"""The trusted cache: each events file validated once, kept as GeoParquet, and read back without validating again.

A cache file belongs to one source identity (resolved path, size, mtime, inode): a changed file gets a new cache,
and the old one is removed. The file records that it is ours and valid in its Parquet metadata (key ``META_KEY``:
cache version, the source's identity, the row count), written last, so a half-written or foreign file is never
taken for a cache. A cache that cannot be read is removed and rebuilt. Big files are validated in slices of
``CHUNK_ROWS`` rows, each written as it passes, so memory stays bounded at ten million events; an event id
repeated across slices is still reported.

Besides the schema's columns, a cache holds the point's ``lon``/``lat``, so that the query engine
(``geo.store.engine``) filters and aggregates without decoding geometry.

Only the standard library and DuckDB load to find a cache: ``python -m geo stats`` answers without pandas.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import Problem, ReadError, SchemaError
from geo.paths import cache_dir

if TYPE_CHECKING:
    import geopandas as gpd

#: Bump when the cache layout changes: caches of another version are ignored and rebuilt.
CACHE_VERSION = "2"
#: Parquet key-value metadata key that marks a file as our validated cache.
META_KEY = "conflict_event_map.cache"
#: Rows validated (and held in memory) at a time when a cache is built.
CHUNK_ROWS = 1_000_000
#: Rows per Parquet row group: the unit DuckDB scans in parallel and skips with min/max statistics.
ROW_GROUP_ROWS = 128 * 1024
#: Snappy, not zstd: a cache is read far more often than written, and DuckDB scans it with ~40 % less CPU.
COMPRESSION = "snappy"
_LABEL = re.compile(r"^features\[(\d+)\]")


@dataclass(frozen=True)
class Cached:
    """A trusted cache: its GeoParquet file, the number of events, and the identity of the file it stands for."""

    path: Path
    rows: int
    source: dict


def identity(source: str | os.PathLike[str]) -> dict:
    """What makes a file the same file: resolved path, size, modification time (ns) and inode."""
    path = Path(source).resolve()
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ReadError(f"{source}: no such file") from None
    return {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def cache_file(source: str | os.PathLike[str]) -> Path:
    """Where the cache of ``source`` (as it is now) lives: one name per path and identity."""
    ident = identity(source)
    per_path = hashlib.sha1(ident["path"].encode()).hexdigest()[:10]
    per_state = hashlib.sha1(json.dumps([CACHE_VERSION, ident], sort_keys=True).encode()).hexdigest()[:12]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(source).stem)[:60] or "events"
    return cache_dir() / f"{stem}-{per_path}-{per_state}.parquet"


def _metadata(path: Path) -> dict | None:
    """Our cache record of ``path``, or None when the file has none or is not Parquet at all."""
    from geo.sql import literal
    from geo.store import engine

    try:
        rows = engine.connect([path]).execute(f"SELECT value FROM parquet_kv_metadata({literal(str(path))}) "
                                        f"WHERE decode(key) = {literal(META_KEY)}").fetchall()
        return json.loads(rows[0][0]) if rows else None
    except (engine.Error, ValueError, UnicodeDecodeError):
        return None


def lookup(source: str | os.PathLike[str]) -> Cached | None:
    """The trusted cache of ``source`` if one is there and records this very file; a damaged one is removed."""
    path = cache_file(source)
    if not path.is_file():
        return None
    record = _metadata(path)
    if record and record.get("version") == CACHE_VERSION and record.get("source") == identity(source):
        return Cached(path, int(record["rows"]), record["source"])
    path.unlink(missing_ok=True)  # not ours, not valid or not readable: never trusted, rebuilt by ensure()
    return None


def ensure(source: str | os.PathLike[str]) -> Cached:
    """The trusted cache of ``source``, validating the file and writing the cache first when there is none.

    Raises ``SchemaError`` listing every problem when the file is not valid (no cache is written then), and
    ``ReadError`` when it cannot be read.
    """
    found = lookup(source)
    if found is not None:
        return found
    ident, target = identity(source), cache_file(source)
    try:
        rows = _write(Path(source), target, ident)
    except OSError:  # a read-only cache folder only costs speed: a private temporary folder serves this run
        import tempfile

        target = Path(tempfile.gettempdir()) / f"cem-cache-{os.getuid()}" / target.name
        try:
            rows = _write(Path(source), target, ident)
        except OSError as exc:
            raise ReadError(f"{cache_dir()}: cannot write the events cache ({exc.strerror or exc}); set "
                            "CEM_CACHE_DIR to a writable folder") from None
    _remove_stale(target)
    return Cached(target, rows, ident)


def _write(source: Path, target: Path, ident: dict) -> int:
    from geo.store import atomic

    rows: list[int] = []
    atomic.write_with(target, lambda tmp: rows.append(_build(source, tmp, ident)))
    return rows[0]


def _remove_stale(current: Path) -> None:
    """Caches of earlier states of the same file: they can never be used again."""
    prefix = current.name.rsplit("-", 1)[0] + "-"
    for old in current.parent.glob(f"{prefix}*.parquet"):
        if old != current:
            old.unlink(missing_ok=True)


def _shifted(problems: list[Problem], offset: int) -> list[Problem]:
    """Problems of a slice, numbered as features of the whole file."""
    if not offset:
        return problems
    return [Problem(_LABEL.sub(lambda m: f"features[{int(m.group(1)) + offset}]", p.feature), p.field, p.reason)
            for p in problems]


def _peeked(chunks: Iterator) -> Iterator[tuple[object, bool]]:
    """Each item with whether more follow (so the first slice knows if it is the only one)."""
    item = next(chunks)
    for following in chunks:
        yield item, True
        item = following
    yield item, False


def _build(source: Path, tmp: Path, ident: dict) -> int:
    """Validate ``source`` slice by slice into a GeoParquet at ``tmp``; return its row count."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geo.store import files, frames
    from geo.validate import check

    problems: list[Problem] = []
    ids: list[pa.Array] = []
    writer, offset, bbox = None, 0, [np.inf, np.inf, -np.inf, -np.inf]
    try:
        for (raw, geometry), more in _peeked(files.read_chunks(source)):
            checked = check(raw, geometry)
            problems += _shifted(checked.problems, offset)
            offset += len(checked.events)
            if more or ids:
                ids.append(pa.array(checked.events["event_id"], type=pa.string(), from_pandas=True))
            if problems:  # keep checking, to report every problem, but write nothing more
                continue
            table = frames.to_table(checked.events, extras_as_text=more or writer is not None)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression=COMPRESSION)
            writer.write_table(table.cast(writer.schema), row_group_size=ROW_GROUP_ROWS)
            if len(table):
                lon, lat = table.column(frames.LON).to_numpy(), table.column(frames.LAT).to_numpy()
                bbox = [min(bbox[0], lon.min()), min(bbox[1], lat.min()), max(bbox[2], lon.max()),
                        max(bbox[3], lat.max())]
        problems += _duplicates_across(ids, problems)
        if problems:
            raise SchemaError(str(source), problems)
        writer.add_key_value_metadata({
            "geo": frames.geo_metadata(bbox if offset else None),
            META_KEY: json.dumps({"version": CACHE_VERSION, "source": ident, "rows": offset}),
        })
    finally:
        if writer is not None:
            writer.close()
    return offset


def _duplicates_across(ids: list, problems: list[Problem]) -> list[Problem]:
    """Event ids repeated in different slices (each slice already reported its own repeats)."""
    if len(ids) < 2:
        return []
    import pandas as pd
    import pyarrow as pa

    all_ids = pd.Series(pa.chunked_array(ids).to_pandas())
    dup = (all_ids.notna() & all_ids.duplicated(keep=False)).to_numpy()
    reported = {p.feature for p in problems if p.field == "event_id" and p.reason == "duplicate event_id"}
    out = []
    for i in dup.nonzero()[0]:
        label = f"features[{i}] ({all_ids.iat[i]})"
        if label not in reported:
            out.append(Problem(label, "event_id", "duplicate event_id"))
    return out


def read(cached: Cached, *, columns: list[str] | None = None) -> "gpd.GeoDataFrame":
    """The events of a trusted cache, in the dtypes validation gives, without validating them again."""
    import pyarrow.parquet as pq

    from geo.store import frames

    try:
        names = pq.read_schema(cached.path).names
        wanted = [n for n in names if n != frames.GEOMETRY and (columns is None or n in columns)]
        table = pq.read_table(cached.path, columns=[*wanted, *(c for c in (frames.LON, frames.LAT) if c not in wanted)])
    except (OSError, ValueError) as exc:
        raise ReadError(f"{cached.path}: the cache cannot be read ({exc}); it is rebuilt on the next read") from None
    return frames.to_events(table)  # the points come from lon/lat: decoding WKB would cost 10x more

