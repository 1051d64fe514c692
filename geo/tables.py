"""Events as tables for people: readable columns for the dashboard's tables and record panels.

Text stays plain text (the dashboard shows it with ``st.dataframe``, which renders no Markdown or HTML), and
only http(s) addresses are offered as links.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import polars as pl
import shapely

from geo.schema import SOURCE_KEYS, WEAPON_NAMES, country_name

MISSING_MARK = "—"  # how tables show a value a record does not give: "None" under Fatalities reads as no deaths


def _sources(events: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    """First http(s) URL of each event, and all its sources as 'publisher: title (date)' lines."""
    decoded = pl.Series(events["sources"].astype("str").to_numpy(dtype=object, na_value=None), dtype=pl.String) \
        .str.json_decode(pl.List(pl.Struct({k: pl.String for k in SOURCE_KEYS})))
    urls = decoded.list.eval(pl.element().struct.field("url").filter(
        pl.element().struct.field("url").str.contains(r"(?i)^https?://"))).list.first()
    lines = decoded.list.eval(pl.concat_str([
        pl.element().struct.field("publisher").fill_null("?"), pl.lit(": "),
        pl.element().struct.field("title").fill_null(""),
        pl.when(pl.element().struct.field("date").is_not_null())
        .then(pl.lit(" (") + pl.element().struct.field("date") + pl.lit(")")).otherwise(pl.lit("")),
    ])).list.join("\n")
    return (pd.Series(urls.to_numpy(), index=events.index, dtype="str"),
            pd.Series(lines.to_numpy(), index=events.index, dtype="str"))


def display_table(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per event with readable columns, proper dates, the first source link, and the coordinates."""
    url, sources = _sources(events)
    geoms = events.geometry.to_numpy()
    codes = events["country"].astype("str")
    return pd.DataFrame({
        "date": events["date"],
        "date_end": events["date_end"],
        "weapon": events["weapon_type"].astype("str").map(WEAPON_NAMES),
        "outcome": events["outcome"].astype("str"),
        "actor": events["actor"].astype("str"),
        "attribution": events["attribution"].astype("str"),
        "target": events["target"],
        "location": events["location"],
        "admin1": events["admin1"],
        "country": codes.map({c: country_name(c) for c in codes.unique() if isinstance(c, str)}),
        "fatalities": events["fatalities"],
        "precision_km": events["precision_km"],
        "description": events["description"],
        "source": url,
        "sources": sources,
        "lon": shapely.get_x(geoms).round(5),
        "lat": shapely.get_y(geoms).round(5),
        "event_id": events["event_id"],
    }, index=events.index)


def records(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """The same columns as ``display_table`` as text, one event per row, for a record panel."""
    table = display_table(events)
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    table["date_end"] = table["date_end"].dt.strftime("%Y-%m-%d")
    table["date_precision"] = events["date_precision"].astype("str")
    table["geo_precision"] = events["geo_precision"]
    table["fatalities"] = table["fatalities"].astype("str").replace({"<NA>": "unknown"})
    return table.astype("str").replace({"nan": "", "None": "", "<NA>": "", "NaT": ""})
