"""Merge imported events into the working collection: revisions, deletions, cross-source duplicates, undo.

The working collection is a GeoParquet file in the user's data folder ($CEM_DATA_DIR, else $XDG_DATA_HOME or
~/.local/share, then ``conflict-event-map/events.parquet``); the bundled seed is never written. Each merge keeps the
previous file as ``events.prev.parquet`` so the last import can be undone, and every write is atomic.

- A record is the same record when (dataset, source_id) match; the newer ``updated`` wins (ACLED ``timestamp``).
- ACLED deletions remove their records.
- Cross-source duplicates (different datasets, dates within a day, distance within the larger precision radius,
  the same weapon class) are kept, and the newcomer's ``duplicate_of`` names the record it duplicates.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.paths import data_dir
from geo.store import atomic
from geo.ingest.common import IngestError, Ingested
from geo.schema import CRS

#: Weapon classes for duplicate matching; ``unknown`` matches every class (it may be any weapon).
WEAPON_CLASS = {"drone": "air", "airstrike": "air", "cruise_missile": "missile", "ballistic_missile": "missile",
                "rocket": "indirect", "mortar": "indirect", "artillery": "indirect", "ied": "ied",
                "small_arms": "small_arms", "other": "other", "unknown": "*"}
EARTH_KM = 6371.0


@dataclass
class MergeResult:
    """The merged events and what happened to the incoming records."""

    events: gpd.GeoDataFrame
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    deleted: int = 0
    linked: int = 0

    def summary(self) -> str:
        return (f"{self.added:,} added, {self.updated:,} updated, {self.unchanged:,} unchanged, "
                f"{self.older:,} older than the stored revision (kept the stored one), {self.deleted:,} deleted, "
                f"{self.linked:,} linked as possible duplicates of another source; {len(self.events):,} events in all")


def default_store() -> Path:
    return data_dir() / "events.parquet"


def _backup(store: Path) -> Path:
    return store.with_name(store.stem + ".prev" + store.suffix)


def load(store: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """The working collection (empty when there is none yet)."""
    path = Path(store) if store else default_store()
    if not path.is_file():
        from geo.schema import empty_events

        return empty_events()
    return gpd.read_parquet(path)


def _key(frame: pd.DataFrame) -> pd.Series:
    dataset = frame["dataset"] if "dataset" in frame else pd.Series(np.nan, index=frame.index, dtype="str")
    sid = frame["source_id"].astype("str").where(frame["source_id"].notna())
    return (dataset.astype("str").where(dataset.notna(), "") + "\x1f"
            + sid.where(sid.notna(), "id:" + frame["event_id"].astype("str")))


def merge(current: gpd.GeoDataFrame, incoming: gpd.GeoDataFrame,
          deletions: pd.DataFrame | None = None) -> MergeResult:
    """Merge ``incoming`` into ``current`` (both in our schema); pure: nothing is written."""
    result = MergeResult(current)
    cur_key, new_key = _key(current), _key(incoming)
    dup_in = new_key.duplicated(keep="last")
    incoming, new_key = incoming[~dup_in.to_numpy()], new_key[~dup_in.to_numpy()]
    stored = pd.Series(np.arange(len(current)), index=cur_key.to_numpy())
    at = stored.reindex(new_key.to_numpy()).to_numpy()
    exists = ~np.isnan(at)
    new_upd = incoming["updated"].astype("str").where(incoming["updated"].notna(), "").to_numpy()
    old_upd = np.full(len(incoming), "", dtype=object)
    old_upd[exists] = current["updated"].astype("str").where(current["updated"].notna(), "").to_numpy()[
        at[exists].astype(int)]
    newer = exists & (new_upd > old_upd)
    same = exists & (new_upd == old_upd)
    result.updated, result.unchanged = int(newer.sum()), int(same.sum())
    result.older = int((exists & ~newer & ~same).sum())
    result.added = int((~exists).sum())
    replaced = np.zeros(len(current), dtype=bool)
    replaced[at[newer].astype(int)] = True
    fresh = incoming[~exists | newer]
    fresh = _link(current[~replaced], fresh)
    result.linked = int(fresh["duplicate_of"].notna().sum()) if "duplicate_of" in fresh else 0
    merged = pd.concat([current[~replaced], fresh], ignore_index=True)
    if deletions is not None and len(deletions):
        gone = _key(merged.assign(event_id="")).isin(deletions["dataset"] + "\x1f" + deletions["source_id"])
        result.deleted = int(gone.sum())
        merged = merged[~gone.to_numpy()]
    result.events = gpd.GeoDataFrame(merged.reset_index(drop=True), geometry="geometry", crs=CRS)
    return result


def _link(current: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """Mark each fresh record that matches a stored record of another dataset (a column join, not a row loop)."""
    fresh = fresh.copy()
    if "duplicate_of" not in fresh:
        fresh["duplicate_of"] = pd.Series(np.nan, index=fresh.index, dtype="str")
    if not len(current) or not len(fresh):
        return fresh

    def table(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "i": np.arange(len(frame)), "day": frame["date"].to_numpy().astype("datetime64[D]").astype("int64"),
            "country": frame["country"].astype("str").to_numpy(),
            "x": frame.geometry.x.to_numpy(), "y": frame.geometry.y.to_numpy(),
            "km": frame["precision_km"].to_numpy(dtype="float64"),
            "cls": frame["weapon_type"].astype("str").map(WEAPON_CLASS).to_numpy(),
            "ds": (frame["dataset"] if "dataset" in frame else pd.Series("", index=frame.index)).astype("str").to_numpy(),
            "id": frame["event_id"].astype("str").to_numpy()})

    a, b = table(fresh), table(current)
    pairs = pd.concat([a.assign(day=a["day"] + d) for d in (-1, 0, 1)]).merge(b, on=["day", "country"],
                                                                              suffixes=("", "_b"))
    pairs = pairs[(pairs["ds"] != pairs["ds_b"])
                  & ((pairs["cls"] == pairs["cls_b"]) | (pairs["cls"] == "*") | (pairs["cls_b"] == "*"))]
    if not len(pairs):
        return fresh
    lat1, lat2 = np.radians(pairs["y"]), np.radians(pairs["y_b"])
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(np.radians(pairs["x_b"] - pairs["x"]) / 2) ** 2
    dist = 2 * EARTH_KM * np.arcsin(np.sqrt(h))
    pairs = pairs[dist <= np.maximum(pairs["km"], pairs["km_b"])]
    first = pairs.sort_values(["i", "id_b"]).drop_duplicates("i")
    col = fresh.columns.get_loc("duplicate_of")
    fresh.iloc[first["i"].to_numpy(), col] = first["id_b"].to_numpy()
    return fresh


def merge_into(ingested: Ingested, store: str | os.PathLike[str] | None = None) -> MergeResult:
    """Merge an import into the working collection on disk (atomically), keeping the previous one for undo."""
    path = Path(store) if store else default_store()
    current = load(path)
    result = merge(current, ingested.events, ingested.deletions)
    if path.is_file():
        atomic.write_with(_backup(path), lambda tmp: shutil.copyfile(path, tmp))
    else:  # undoing the first import restores an empty collection
        atomic.write_with(_backup(path), lambda tmp: current.to_parquet(tmp))
    atomic.write_with(path, lambda tmp: result.events.to_parquet(tmp, compression="zstd"))
    return result


def undo(store: str | os.PathLike[str] | None = None) -> int:
    """Restore the collection as it was before the last import; returns its number of events."""
    path = Path(store) if store else default_store()
    backup = _backup(path)
    if not backup.is_file():
        raise IngestError(f"{path}: there is no import to undo")
    os.replace(backup, path)
    return len(gpd.read_parquet(path))
