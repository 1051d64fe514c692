"""Merge imported events into a collection: revisions, deletions, cross-source duplicates. Pure: nothing is written.

``plan`` decides what an import changes; ``merge`` applies a plan to a frame. The stores (``geo.store``) apply the
same plan to a GeoParquet file or to a PostGIS table, so both follow one set of rules:

- A record is the same record when (dataset, source_id) match; the newer ``updated`` wins (ACLED ``timestamp``).
- ACLED deletions remove their records.
- Cross-source duplicates (different datasets, dates within a day, distance within the larger precision radius,
  the same weapon class) are kept, and the newcomer's ``duplicate_of`` names the record it duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.schema import CRS

#: Weapon classes for duplicate matching; ``unknown`` matches every class (it may be any weapon).
WEAPON_CLASS = {"drone": "air", "airstrike": "air", "cruise_missile": "missile", "ballistic_missile": "missile",
                "rocket": "indirect", "mortar": "indirect", "artillery": "indirect", "ied": "ied",
                "small_arms": "small_arms", "other": "other", "unknown": "*"}
EARTH_KM = 6371.0
#: Separates dataset and record id in a record key (a control character no id contains).
KEY_SEP = "\x1f"


@dataclass
class MergeResult:
    """What an import did. ``events`` is the merged collection (the embedded store, ``merge``) or only the rows this
    import wrote (a server store, which does not send the whole collection back); ``total`` counts the collection."""

    events: gpd.GeoDataFrame
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    deleted: int = 0
    linked: int = 0
    total: int | None = None
    import_id: int | None = None

    def summary(self) -> str:
        total = len(self.events) if self.total is None else self.total
        return (f"{self.added:,} added, {self.updated:,} updated, {self.unchanged:,} unchanged, "
                f"{self.older:,} older than the stored revision (kept the stored one), {self.deleted:,} deleted, "
                f"{self.linked:,} linked as possible duplicates of another source; {total:,} events in all")


@dataclass
class Plan:
    """What merging an import into stored rows changes.

    ``fresh`` are the incoming rows to write (new or newer, ``duplicate_of`` filled in, deletions of the same import
    already taken out); ``removed`` are positions of stored rows that go (replaced by a newer revision or deleted);
    ``deleted`` counts stored or fresh records that a deletion removed.
    """

    fresh: gpd.GeoDataFrame
    removed: np.ndarray
    added: int
    updated: int
    unchanged: int
    older: int
    deleted: int
    linked: int

    def result(self, events: gpd.GeoDataFrame, **extra: object) -> MergeResult:
        return MergeResult(events, added=self.added, updated=self.updated, unchanged=self.unchanged, older=self.older,
                           deleted=self.deleted, linked=self.linked, **extra)  # type: ignore[arg-type]


def record_key(frame: pd.DataFrame) -> pd.Series:
    """The identity of each record: dataset and source_id (or the event_id of records without a source id)."""
    dataset = frame["dataset"] if "dataset" in frame else pd.Series(np.nan, index=frame.index, dtype="str")
    sid = frame["source_id"].astype("str").where(frame["source_id"].notna())
    return (dataset.astype("str").where(dataset.notna(), "") + KEY_SEP
            + sid.where(sid.notna(), "id:" + frame["event_id"].astype("str")))


def deletion_keys(deletions: pd.DataFrame | None) -> pd.Series:
    """Record keys that a source's deletion list names."""
    if deletions is None or not len(deletions):
        return pd.Series([], dtype="str")
    return (deletions["dataset"].astype("str") + KEY_SEP + deletions["source_id"].astype("str")).reset_index(drop=True)


def plan(current: pd.DataFrame, incoming: gpd.GeoDataFrame, deletions: pd.DataFrame | None = None) -> Plan:
    """Decide what merging ``incoming`` into ``current`` changes (``current`` may hold only the stored rows that
    matter: those with the incoming keys or deletion keys, and those an incoming record could duplicate)."""
    cur_key, new_key = record_key(current), record_key(incoming)
    dup_in = new_key.duplicated(keep="last").to_numpy()
    incoming, new_key = incoming[~dup_in], new_key[~dup_in]
    stored = pd.Series(np.arange(len(current)), index=cur_key.to_numpy())
    stored = stored[~stored.index.duplicated(keep="last")]
    at = stored.reindex(new_key.to_numpy()).to_numpy()
    exists = ~np.isnan(at)
    new_upd = incoming["updated"].astype("str").where(incoming["updated"].notna(), "").to_numpy()
    old_upd = np.full(len(incoming), "", dtype=object)
    old_upd[exists] = current["updated"].astype("str").where(current["updated"].notna(), "").to_numpy()[
        at[exists].astype(int)]
    newer = exists & (new_upd > old_upd)
    same = exists & (new_upd == old_upd)
    replaced = np.zeros(len(current), dtype=bool)
    replaced[at[newer].astype(int)] = True
    fresh = _link(current[~replaced], incoming[~exists | newer])
    gone = deletion_keys(deletions)
    deleted = 0
    if len(gone):
        stored_gone = record_key(current.assign(event_id="")).isin(gone).to_numpy() & ~replaced
        fresh_gone = record_key(fresh.assign(event_id="")).isin(gone).to_numpy()
        deleted = int(stored_gone.sum() + fresh_gone.sum())
        replaced |= stored_gone
        fresh = fresh[~fresh_gone]
    linked = int(fresh["duplicate_of"].notna().sum())
    return Plan(fresh, np.flatnonzero(replaced), added=int((~exists).sum()), updated=int(newer.sum()),
                unchanged=int(same.sum()), older=int((exists & ~newer & ~same).sum()), deleted=deleted, linked=linked)


def merge(current: gpd.GeoDataFrame, incoming: gpd.GeoDataFrame,
          deletions: pd.DataFrame | None = None) -> MergeResult:
    """Merge ``incoming`` into ``current`` (both in our schema); pure: nothing is written."""
    p = plan(current, incoming, deletions)
    return p.result(apply(current, p))


def apply(current: gpd.GeoDataFrame, p: Plan) -> gpd.GeoDataFrame:
    """The collection after a plan: the stored rows that stay, then the fresh rows."""
    keep = np.ones(len(current), dtype=bool)
    keep[p.removed] = False
    merged = pd.concat([current[keep], p.fresh], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=CRS)


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
