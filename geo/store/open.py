"""Choose a store from a path or a URL, and the operations the dashboard and the command line call on it.

    store = open_store()                                  # $CEM_STORE, else the user's GeoParquet collection
    store = open_store("postgresql://cem_reader@db:5432/cem")
    store = open_store(write=True)                        # $CEM_STORE_WRITER (else $CEM_STORE) for a team store

A ``postgresql://`` (or ``postgres://``) URL names a PostGIS store; anything else is a GeoParquet file. Writer
credentials never come from a page or a shared link: only from the environment or the app's secrets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import StoreError
from geo.paths import data_dir

if TYPE_CHECKING:  # geo.store.base loads geopandas: kept out of the CLI's argument parsing (is_url)
    import geopandas as gpd

    from geo.store.base import OnWait, Store

    from geo.ingest.common import Ingested
    from geo.ingest.merge import MergeResult

URL_SCHEMES = ("postgresql://", "postgres://")
READER_VAR, WRITER_VAR = "CEM_STORE", "CEM_STORE_WRITER"


def default_store() -> Path:
    """The user's own collection: ``events.parquet`` in ``geo.paths.data_dir()``."""
    return data_dir() / "events.parquet"


def is_url(location: object) -> bool:
    """True for a ``postgresql://`` store URL."""
    return isinstance(location, str) and location.lower().startswith(URL_SCHEMES)


def store_urls(secrets: Mapping[str, object] | None = None) -> tuple[str | None, str | None]:
    """The team store's reader and writer URLs, from the app's secrets first, then the environment.

    The reader URL is ``CEM_STORE``; the writer URL is ``CEM_STORE_WRITER`` (None when there is none: the user
    may only read). A ``CEM_STORE`` that is not a URL names a GeoParquet collection, which is its own writer.
    """
    def get(name: str) -> str | None:
        value = (secrets or {}).get(name) or os.environ.get(name)
        return str(value) if value else None

    reader, writer = get(READER_VAR), get(WRITER_VAR)
    if reader and not is_url(reader):
        return reader, writer or reader
    return reader, writer


def open_store(location: str | os.PathLike[str] | None = None, *, write: bool = False) -> Store:
    """The store at ``location``: a ``postgresql://`` URL or a GeoParquet path; None means the configured one
    ($CEM_STORE_WRITER or $CEM_STORE when ``write``, $CEM_STORE otherwise), else the user's default collection."""
    if location is None or str(location) == "":
        reader, writer = store_urls()
        location = (writer or reader) if write else reader
        if location is None:
            location = default_store()
    if is_url(location):
        from geo.store.postgis import PostgisStore  # psycopg loads only for a server store

        return PostgisStore(str(location), write=write)
    from geo.store.parquet import ParquetStore

    return ParquetStore(location)


def location_of(location: str | os.PathLike[str] | None = None, *, write: bool = False) -> str:
    """Where ``open_store`` would go, fit to show (passwords hidden), without connecting."""
    if location is None or str(location) == "":
        reader, writer = store_urls()
        location = ((writer or reader) if write else reader) or default_store()
    if is_url(location):
        from geo.store.postgis import safe_url

        return safe_url(str(location))
    return str(location)


# -- the public functions of earlier versions (geo.merge_import, geo.undo_import, geo.load_collection) ------------
def merge_import(ingested: Ingested, store: str | os.PathLike[str] | None = None, *, file: str = "",
                 on_wait: OnWait | None = None) -> MergeResult:
    """Merge an import into a store (the configured or default one when ``store`` is None)."""
    return open_store(store, write=True).merge(ingested, file=file, on_wait=on_wait)


def undo_import(store: str | os.PathLike[str] | None = None, import_id: int | None = None, *,
                on_wait: OnWait | None = None) -> int:
    """Undo the last import still in effect (or ``import_id``); returns the number of events after."""
    return open_store(store, write=True).undo(import_id, on_wait=on_wait)


def load_collection(store: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Every event of a store (empty when it has none yet)."""
    return open_store(store).read()


__all__ = ["StoreError", "default_store", "is_url", "load_collection", "location_of", "merge_import", "open_store",
           "store_urls", "undo_import"]
