"""The embedded store: one GeoParquet file, an exclusive lock for writers, and a journal of every import.

Layout beside ``events.parquet``: ``events.parquet.lock`` (the writers' lock: ``flock``, released by the kernel when
a writer dies) and ``events.parquet.journal/`` with, per import ``N``, ``N.json`` (who, when, file, counts, state),
``N.prev.parquet`` (the stored rows it replaced or deleted) and ``N.keys.parquet`` (the record keys it wrote or
removed). A write takes the lock, re-reads the store, merges, writes the journal entry *before* the store, renames
the new store into place (atomic) and marks the entry done. The store carries the id of the operation that wrote it
(``cem:generation`` in its Parquet metadata), so after a crash the next writer knows whether a pending entry took
effect. No entry is ever overwritten: a kill at any point leaves the store whole and every import undoable.
"""

from __future__ import annotations

import getpass
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import geopandas as gpd
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from geo import query
from geo.ingest import merge
from geo.query import FilterSpec
from geo.schema import empty_events
from geo.store import atomic
from geo.store.base import ImportRecord, OnWait, StoreBusy, StoreError, frame_cells

if TYPE_CHECKING:
    from geo.ingest.common import Ingested

SUFFIXES = (".parquet", ".geoparquet")
GENERATION = b"cem:generation"
#: Seconds a writer waits for another one before giving up ($CEM_STORE_LOCK_TIMEOUT).
DEFAULT_TIMEOUT = 120.0


class ParquetStore:
    """A collection in one GeoParquet file, safe for concurrent writers on one machine."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float | None = None) -> None:
        self.path = Path(path)
        if self.path.suffix.lower() not in SUFFIXES:
            raise StoreError(f"{self.path}: a collection is kept as GeoParquet, so its name must end in .parquet "
                             f"(write other formats with `python -m geo export {self.path.with_suffix('.parquet')} "
                             f"-o {self.path.name}`)")
        self.location = str(self.path)
        self.journal = self.path.with_name(self.path.name + ".journal")
        self._lock = FileLock(str(self.path.with_name(self.path.name + ".lock")))
        env = os.environ.get("CEM_STORE_LOCK_TIMEOUT")
        self.timeout = lock_timeout if lock_timeout is not None else float(env) if env else DEFAULT_TIMEOUT

    # -- reading ---------------------------------------------------------------------------------------------
    def read(self, spec: FilterSpec | None = None) -> gpd.GeoDataFrame:
        events = self._load()
        return events if spec is None or spec.is_empty() else query.apply(events, spec)

    def count(self, spec: FilterSpec | None = None) -> int:
        if spec is None or spec.is_empty():
            return pq.read_metadata(self.path).num_rows if self.path.is_file() else 0
        return len(self.read(spec))

    def revision(self) -> str:
        if not self.path.is_file():
            return "empty"
        st = self.path.stat()
        return f"{st.st_mtime_ns}-{st.st_size}"

    def cells(self, spec: FilterSpec, *, cell_deg: float) -> pd.DataFrame:
        return frame_cells(self.read(spec), cell_deg=cell_deg)

    def trends(self, spec: FilterSpec, *, top: int = 12) -> dict[str, pd.DataFrame]:
        from geo.stats import trends

        return trends(self.read(spec), top=top)

    def imports(self) -> list[ImportRecord]:
        # Read-only: an entry a dead writer left pending is shown as it will be settled (see _recover).
        generation = self._generation()
        entries = []
        for e in self._entries():
            if e["state"] == "pending" and generation == f"import:{e['id']}":
                e = e | {"state": "done"}
            elif e["state"] == "undoing":
                e = e | ({"state": "undone", "undone_at": e["at"]} if generation == f"undo:{e['id']}" else {"state": "done"})
            if e["state"] in ("done", "undone"):
                entries.append(e)
        return [_record(e) for e in sorted(entries, key=lambda e: -e["id"])]

    def _load(self) -> gpd.GeoDataFrame:
        if not self.path.is_file():
            return empty_events()
        try:
            return gpd.read_parquet(self.path)
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise StoreError(f"{self.path}: the collection cannot be read ({exc}); nothing was changed") from None

    # -- writing ---------------------------------------------------------------------------------------------
    def merge(self, ingested: Ingested, *, file: str = "", who: str | None = None,
              on_wait: OnWait | None = None) -> merge.MergeResult:
        with self._locked(on_wait):
            current = self._load()
            p = merge.plan(current, ingested.events, ingested.deletions)
            merged = merge.apply(current, p)
            n = self._next_id()
            datasets = sorted(set(ingested.events["dataset"].dropna().astype("str"))) \
                if "dataset" in ingested.events else []
            entry = {"id": n, "at": _now(), "who": who or _user(), "file": file, "datasets": ", ".join(datasets),
                     "added": p.added, "updated": p.updated, "unchanged": p.unchanged, "older": p.older,
                     "deleted": p.deleted, "linked": p.linked, "total": len(merged), "state": "pending"}
            removed = current.iloc[p.removed]
            changed = len(p.fresh) or len(removed)
            if changed:
                keys = pd.DataFrame({"key": pd.concat([merge.record_key(p.fresh), merge.record_key(removed)]),
                                     "role": ["written"] * len(p.fresh) + ["removed"] * len(removed)})
                atomic.write_with(self._file(n, "prev.parquet"), lambda tmp: removed.to_parquet(tmp))
                atomic.write_with(self._file(n, "keys.parquet"), lambda tmp: keys.to_parquet(tmp, index=False))
                self._put(entry)
                self._write_store(merged, f"import:{n}")
            self._put(entry | {"state": "done"})
        return p.result(merged, total=len(merged), import_id=n)

    def undo(self, import_id: int | None = None, *, on_wait: OnWait | None = None) -> int:
        with self._locked(on_wait):
            done = sorted((e for e in self._entries() if e["state"] == "done"), key=lambda e: e["id"])
            if import_id is None:
                if not done:
                    raise StoreError(f"{self.path}: there is no import to undo")
                import_id = done[-1]["id"]
            entry = next((e for e in done if e["id"] == import_id), None)
            if entry is None:
                raise StoreError(f"{self.path}: import {import_id} is not in effect (unknown, or already undone); "
                                 f"see `python -m geo imports {self.path}`")
            keys = self._keys(import_id)
            self._check_later(import_id, set(keys["key"]), done)
            current = self._load()
            prev = gpd.read_parquet(self._file(import_id, "prev.parquet")) if self._file(import_id, "prev.parquet").is_file() \
                else current.iloc[:0]
            written = keys.loc[keys["role"] == "written", "key"]
            kept = current[~merge.record_key(current).isin(written).to_numpy()]
            restored = gpd.GeoDataFrame(pd.concat([kept, prev], ignore_index=True), geometry="geometry", crs=current.crs)
            self._put(entry | {"state": "undoing"})
            self._write_store(restored, f"undo:{import_id}")
            self._put(entry | {"state": "undone", "undone_at": _now()})
            self._drop_files(import_id)
        return len(restored)

    def _check_later(self, import_id: int, touched: set[str], done: list[dict]) -> None:
        """Refuse to undo an import whose records a later import changed again (undo that one first)."""
        for later in (e for e in done if e["id"] > import_id):
            clash = touched & set(self._keys(later["id"])["key"])
            if clash:
                raise StoreError(f"{self.path}: import {later['id']} ({later['file'] or 'no file name'}) changed "
                                 f"{len(clash):,} of the records import {import_id} wrote; undo import "
                                 f"{later['id']} first")

    def _write_store(self, events: gpd.GeoDataFrame, generation: str) -> None:
        from geopandas.io.arrow import _geopandas_to_arrow  # the GeoParquet table, to which we add our tag

        table = _geopandas_to_arrow(events, index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), GENERATION: generation.encode()})
        atomic.write_with(self.path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))

    def _generation(self) -> str | None:
        if not self.path.is_file():
            return None
        meta = pq.read_schema(self.path).metadata or {}
        return meta[GENERATION].decode() if GENERATION in meta else None

    # -- the lock and the journal ----------------------------------------------------------------------------
    @contextmanager
    def _locked(self, on_wait: OnWait | None) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            if on_wait:
                on_wait(f"{self.path}: another import is writing this collection; waiting up to {self.timeout:g} s")
            try:
                self._lock.acquire(timeout=self.timeout)
            except Timeout:
                raise StoreBusy(f"{self.path}: another import has held the collection for over {self.timeout:g} s; "
                                "nothing was written, try again when it has finished") from None
        try:
            self._recover()
            yield
        finally:
            self._lock.release()

    def _recover(self) -> None:
        """Settle the entry of an operation that died: it took effect exactly when the store carries its tag."""
        generation = self._generation()
        known = set()
        for entry in self._entries():
            known.add(entry["id"])
            if entry["state"] == "pending":
                if generation == f"import:{entry['id']}":
                    self._put(entry | {"state": "done"})
                else:
                    self._drop_files(entry["id"], meta=True)
            elif entry["state"] == "undoing":
                if generation == f"undo:{entry['id']}":
                    self._put(entry | {"state": "undone", "undone_at": _now()})
                    self._drop_files(entry["id"])
                else:
                    self._put(entry | {"state": "done"})
        for path in self.journal.iterdir() if self.journal.is_dir() else ():
            number = _entry_id(path)
            if number is None and path.name.startswith("."):  # a temp file of a writer that died (we hold the lock)
                path.unlink(missing_ok=True)
            elif number is not None and number not in known:  # data of an entry that died before its meta
                path.unlink(missing_ok=True)

        for path in self.path.parent.glob(f".{self.path.stem}.*.tmp{self.path.suffix}"):
            path.unlink(missing_ok=True)  # a half-written store of a writer that died

    def _entries(self) -> list[dict]:
        if not self.journal.is_dir():
            return []
        return [orjson.loads(p.read_bytes()) for p in sorted(self.journal.glob("[0-9]*.json"))]

    def _next_id(self) -> int:
        ids = [_entry_id(p) for p in self.journal.iterdir()] if self.journal.is_dir() else []
        return max((i for i in ids if i is not None), default=0) + 1

    def _file(self, import_id: int, kind: str) -> Path:
        return self.journal / f"{import_id:06d}.{kind}"

    def _keys(self, import_id: int) -> pd.DataFrame:
        path = self._file(import_id, "keys.parquet")
        return pd.read_parquet(path) if path.is_file() else pd.DataFrame({"key": [], "role": []}, dtype="str")

    def _put(self, entry: dict) -> None:
        self.journal.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(self._file(entry["id"], "json"), orjson.dumps(entry, option=orjson.OPT_INDENT_2))

    def _drop_files(self, import_id: int, *, meta: bool = False) -> None:
        for kind in ("prev.parquet", "keys.parquet", *(("json",) if meta else ())):
            self._file(import_id, kind).unlink(missing_ok=True)


def _entry_id(path: Path) -> int | None:
    """The import id a journal file belongs to (``000007.json`` -> 7); None for other files."""
    head = path.name.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _record(e: dict) -> ImportRecord:
    return ImportRecord(id=e["id"], at=datetime.fromisoformat(e["at"]), who=e["who"], file=e["file"],
                        datasets=e["datasets"], added=e["added"], updated=e["updated"], deleted=e["deleted"],
                        linked=e["linked"], total=e["total"],
                        undone_at=datetime.fromisoformat(e["undone_at"]) if e.get("undone_at") else None)
