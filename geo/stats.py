"""Counts of events by weapon, actor, country and month, for the command line and the dashboard.

``summarize`` counts a frame in pandas; ``geo.store.engine.summarize`` counts a GeoParquet in DuckDB. Both shape
their counts with ``shape_summary``, so the two give the same dict, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from geo.schema import country_name

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


def _by_count(counts: Mapping[str, int]) -> dict[str, int]:
    """Most frequent first; ties by name, so that every engine gives one order."""
    return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0])))


def shape_summary(total: int, fatalities: int, weapon: Mapping[str, int], actor: Mapping[str, int],
                  country: Mapping[str, int], month: Mapping[str, int], *, top: int | None = None
                  ) -> dict[str, dict[str, int]]:
    """The summary dict from raw counts (keys: weapon values, actor names, ISO3 codes, YYYY-MM months)."""
    actors = _by_count(actor)
    if top is not None:
        actors = dict(list(actors.items())[:top])
    return {
        "total": {"events": int(total), "fatalities": int(fatalities)},
        "weapon": _by_count(weapon),
        "actor": actors,
        "country": {f"{country_name(k)} ({k})": v for k, v in _by_count(country).items()},
        "month": {k: int(month[k]) for k in sorted(month) if month[k]},
    }


def summarize(events: gpd.GeoDataFrame, *, top: int | None = None) -> dict[str, dict[str, int]]:
    """Event counts: ``{"weapon": {...}, "actor": {...}, "country": {...}, "month": {...}}``.

    Categories are sorted by count, then name (months by date); ``top`` keeps only the most frequent actors.
    Also gives the total and the lowest-reported fatalities under ``"total"``.
    """
    def counts(col: pd.Series) -> dict[str, int]:
        vc = col.astype("str").value_counts(sort=False)
        return {str(k): int(v) for k, v in vc.items() if v}

    months = events["date"].dt.strftime("%Y-%m").value_counts()
    return shape_summary(len(events), int(events["fatalities"].sum(skipna=True)), counts(events["weapon_type"]),
                         counts(events["actor"]), counts(events["country"]),
                         {str(k): int(v) for k, v in months.items()}, top=top)


def trends(events: gpd.GeoDataFrame, *, top: int = 12) -> dict[str, pd.DataFrame]:
    """Tables behind the Trends page: weekly counts by weapon, monthly fatalities, top actors and targets,
    and counts by country and attribution (long format, ready for Vega-Lite)."""
    import pandas as pd

    from geo.schema import WEAPON_NAMES

    week = events["date"].dt.to_period("W-SUN").dt.start_time
    weapon = events["weapon_type"].astype("str")
    weekly = (pd.DataFrame({"week": week, "weapon_type": weapon}).value_counts().rename("events").reset_index())
    weekly["weapon"] = weekly["weapon_type"].map(WEAPON_NAMES)
    month = events["date"].dt.to_period("M").dt.start_time
    monthly = (pd.DataFrame({"month": month, "fatalities": events["fatalities"].fillna(0).astype("int64")})
               .groupby("month").agg(fatalities=("fatalities", "sum"), events=("fatalities", "size")).reset_index())
    actors = events["actor"].astype("str").value_counts().head(top).rename_axis("actor").rename("events").reset_index()
    targets = (events["target"].dropna().astype("str").value_counts().head(top)
               .rename_axis("target").rename("events").reset_index())
    codes = events["country"].astype("str")
    by_country = (pd.DataFrame({"country": codes.map({c: country_name(c) for c in codes.unique()}),
                                "attribution": events["attribution"].astype("str")})
                  .value_counts().rename("events").reset_index())
    return {"weekly": weekly, "monthly": monthly, "actors": actors, "targets": targets,
            "country_attribution": by_country}
