"""Counts of events by weapon, actor, country and month, for the command line and the dashboard."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.schema import country_name


def summarize(events: gpd.GeoDataFrame, *, top: int | None = None) -> dict[str, dict[str, int]]:
    """Event counts: ``{"weapon": {...}, "actor": {...}, "country": {...}, "month": {...}}``.

    Categories are sorted by count (months by date); ``top`` keeps only the most frequent actors.
    Also gives the total and the lowest-reported fatalities under ``"total"``.
    """
    def counts(col: pd.Series) -> dict[str, int]:
        vc = col.astype("str").value_counts(sort=True)
        return {str(k): int(v) for k, v in vc.items() if v}

    actors = counts(events["actor"])
    if top is not None:
        actors = dict(list(actors.items())[:top])
    months = events["date"].dt.strftime("%Y-%m").value_counts().sort_index()
    countries = {f"{country_name(k)} ({k})": v for k, v in counts(events["country"]).items()}
    return {
        "total": {"events": len(events), "fatalities": int(events["fatalities"].sum(skipna=True))},
        "weapon": counts(events["weapon_type"]),
        "actor": actors,
        "country": countries,
        "month": {str(k): int(v) for k, v in months.items()},
    }
