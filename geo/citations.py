"""The sources cited by a set of events: one deduplicated table, a credit line and a Markdown list.

``sources`` is held as JSON text per event; polars decodes the whole column at once (no Python loop
per event), then one row per (event, source) is exploded and deduplicated by URL.
"""

from __future__ import annotations

import geopandas as gpd
import polars as pl

from geo import escape

_SOURCE = pl.List(pl.Struct({"publisher": pl.String, "url": pl.String, "date": pl.String, "title": pl.String}))


def sources_table(events: gpd.GeoDataFrame) -> pl.DataFrame:
    """Every distinct source of *events* (by URL, else publisher+title), with how many events cite it.

    Columns: publisher, title, date, url, events; sorted by publisher, date, title, url.
    Text that is not a JSON list of sources yields no row (validation reports it elsewhere).
    """
    empty = pl.DataFrame(schema={"publisher": pl.String, "title": pl.String, "date": pl.String,
                                 "url": pl.String, "events": pl.UInt32})  # fmt: skip
    if not len(events) or "sources" not in events.columns:
        return empty
    text = pl.Series("s", events["sources"].astype("str").to_numpy(), dtype=pl.String)
    text = pl.when(text.str.starts_with("[")).then(text).otherwise(None)
    decoded = pl.select(text.str.json_decode(_SOURCE).alias("s")).to_series()
    rows = (pl.DataFrame({"event": range(len(decoded)), "s": decoded})
            .explode("s").drop_nulls("s").unnest("s"))
    if rows.is_empty():
        return empty
    key = pl.coalesce(pl.col("url"), pl.col("publisher").fill_null("") + "|" + pl.col("title").fill_null(""))
    return (
        rows.with_columns(key.alias("key"))
        .group_by("key")
        .agg(pl.col("publisher").first(), pl.col("title").first(), pl.col("date").min(), pl.col("url").first(),
             pl.col("event").n_unique().cast(pl.UInt32).alias("events"))
        .drop("key")
        .sort(["publisher", "date", "title", "url"], nulls_last=True)
    )


def credit_line(events: gpd.GeoDataFrame, basemap_credit: str) -> str:
    """"Event sources: 62 reports from 14 publishers. Basemap: Natural Earth (public domain)."."""
    table = sources_table(events)
    n, pubs = len(table), table["publisher"].drop_nulls().n_unique()
    if n == 0:
        return f"{basemap_credit}."
    return (f"Event sources: {n:,} report{'s' if n != 1 else ''} from {pubs:,} publisher{'s' if pubs != 1 else ''} "
            f"(listed in the report pack). {basemap_credit}.")


def _md(text: object) -> str:
    """Text safe in a Markdown list item: one line, no link, image, HTML or emphasis syntax survives."""
    return "" if text is None else " ".join(escape.markdown(text).split())


def sources_markdown(events: gpd.GeoDataFrame) -> str:
    """The full list of sources as Markdown list items (publisher, title, date, URL)."""
    lines = []
    for row in sources_table(events).iter_rows(named=True):  # one line per distinct source, not per event
        bits = [f"**{_md(row['publisher'] or 'Unknown publisher')}**", _md(row["title"]) or "(untitled)"]
        bits.append(_md(row["date"]) if row["date"] else "undated")
        url = row["url"] or ""
        link = f"<{url}>" if _autolink_safe(url) else _md(url)
        lines.append(f"- {', '.join(bits)}. {link} ({row['events']} event{'s' if row['events'] != 1 else ''})")
    return "\n".join(lines)


def _autolink_safe(url: str) -> bool:
    """An http(s) URL that can stand in a Markdown autolink ``<...>`` as it is (no space, bracket or control)."""
    return (url.lower().startswith(("http://", "https://")) and len(url) > 8
            and not any(c in url for c in "<>\\`") and not any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url))
