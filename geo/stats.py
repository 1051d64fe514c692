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


def trends(events: gpd.GeoDataFrame, *, top: int = 12) -> dict[str, pd.DataFrame]:
    """Tables behind the Trends page: weekly counts by weapon, monthly fatalities, top actors and targets,
    and counts by country and attribution (long format, ready for Vega-Lite)."""
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
