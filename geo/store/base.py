"""The store interface: where a team's or a user's collection lives, behind one small set of operations.

Two backends implement it: ``ParquetStore`` (a GeoParquet file in the user's data folder, locked and journaled) and
``PostgisStore`` (a PostgreSQL + PostGIS server shared by a team). Both read with a ``FilterSpec`` and return the
events GeoDataFrame of ``geo.schema``; both merge an import by ``geo.ingest.merge.plan`` and keep what each import
changed, so any import can be undone exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import GeoError, StoreBusy, StoreError  # noqa: F401 - re-exported
from geo.query import FilterSpec
from geo.schema import WEAPON_TYPES

if TYPE_CHECKING:
    from geo.ingest.common import Ingested
    from geo.ingest.merge import MergeResult

#: Called with a one-line message when a write has to wait for another writer.
OnWait = Callable[[str], None]
#: Columns of a viewport cell frame (see ``Store.cells``).
CELL_COLUMNS = ("lon", "lat", "count", "weapon_type", "fatalities", "event_id")


@dataclass(frozen=True)
class ImportRecord:
    """One import into a store: who, when, which file, what it changed, and whether it was undone."""

    id: int
    at: datetime
    who: str
    file: str
    datasets: str
    added: int
    updated: int
    deleted: int
    linked: int
    total: int
    undone_at: datetime | None = None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


@runtime_checkable
class Store(Protocol):
    """A collection of events that several readers and writers may share."""

    #: Where the store is, fit to show a user (never a password).
    location: str

    def read(self, spec: FilterSpec | None = None) -> gpd.GeoDataFrame:
        """The events ``spec`` keeps (all without one), in the schema of ``geo.schema``."""

    def count(self, spec: FilterSpec | None = None) -> int:
        """How many events ``spec`` keeps."""

    def revision(self) -> str:
        """A token that changes with every write (a cache key for readers)."""

    def merge(self, ingested: Ingested, *, file: str = "", who: str | None = None,
              on_wait: OnWait | None = None) -> MergeResult:
        """Merge an import (one transaction, safe beside other writers); returns what changed."""

    def undo(self, import_id: int | None = None, *, on_wait: OnWait | None = None) -> int:
        """Undo an import (the last one still in effect by default); returns the number of events after."""

    def imports(self) -> list[ImportRecord]:
        """Every import, newest first."""

    def cells(self, spec: FilterSpec, *, cell_deg: float) -> pd.DataFrame:
        """The kept events binned on a ``cell_deg`` grid: ``CELL_COLUMNS`` (``event_id`` only where count == 1)."""

    def trends(self, spec: FilterSpec, *, top: int = 12) -> dict[str, pd.DataFrame]:
        """The tables of ``geo.stats.trends`` for the kept events."""


def imports_table(records: list[ImportRecord]) -> pd.DataFrame:
    """Imports as a table to show: one row each, newest first as given."""
    return pd.DataFrame({"import": [r.id for r in records], "when": [r.at for r in records],
                         "who": [r.who for r in records], "file": [r.file for r in records],
                         "datasets": [r.datasets for r in records], "added": [r.added for r in records],
                         "updated": [r.updated for r in records], "deleted": [r.deleted for r in records],
                         "linked": [r.linked for r in records], "events after": [r.total for r in records],
                         "undone": [r.undone_at for r in records]})


def combine(frames: Mapping[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Several collections as one frame, with a ``collection`` column naming where each event comes from (the
    schema's categorical columns stay categorical)."""
    from geo.schema import CATEGORY_COLUMNS, CRS, VOCAB_DTYPES

    parts = [frame.assign(collection=label) for label, frame in frames.items()]
    if not parts:
        from geo.schema import empty_events

        return empty_events().assign(collection=pd.Series([], dtype="category"))
    merged = pd.concat(parts, ignore_index=True)
    for name in CATEGORY_COLUMNS:
        merged[name] = merged[name].astype("str").where(merged[name].notna()).astype("category")
    for name, dtype in VOCAB_DTYPES.items():
        merged[name] = merged[name].astype(dtype)
    merged["collection"] = pd.Categorical(merged["collection"], categories=list(frames))
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=CRS)


def frame_cells(events: gpd.GeoDataFrame, *, cell_deg: float) -> pd.DataFrame:
    """Viewport cells of events in memory: the centroid of each non-empty ``cell_deg`` cell, its count, its most
    common weapon (ties go to the first in ``WEAPON_TYPES``), its fatalities (sum of the lowest reported) and the
    event_id of single-event cells. Sorted by cell (column, then row), as the SQL engines return them."""
    if not cell_deg > 0:
        raise StoreError(f"cell size must be a positive number of degrees, not {cell_deg!r}")
    geoms = events.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    cx, cy = np.floor(x / cell_deg).astype(np.int64), np.floor(y / cell_deg).astype(np.int64)
    frame = pd.DataFrame({"cx": cx, "cy": cy, "x": x, "y": y,
                          "fat": pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy(dtype="int64"),
                          "w": pd.Categorical(events["weapon_type"].astype("str"), categories=list(WEAPON_TYPES)).codes,
                          "id": events["event_id"].astype("str").to_numpy()})
    groups = frame.groupby(["cx", "cy"], sort=True)
    out = groups.agg(lon=("x", "mean"), lat=("y", "mean"), count=("x", "size"), fatalities=("fat", "sum"),
                     event_id=("id", "first"))
    by_weapon = frame.groupby(["cx", "cy", "w"], sort=True).size().rename("n").reset_index()
    top = by_weapon.sort_values(["cx", "cy", "n", "w"], ascending=[True, True, False, True]).drop_duplicates(["cx", "cy"])
    names = np.array(list(WEAPON_TYPES), dtype=object)
    out["weapon_type"] = names[top.set_index(["cx", "cy"])["w"].reindex(out.index).to_numpy()]
    out["event_id"] = out["event_id"].where(out["count"] == 1)
    return out.reset_index(drop=True)[list(CELL_COLUMNS)]
