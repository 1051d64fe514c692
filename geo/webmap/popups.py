"""Event text for the map: escaped popups and tooltips, weapon labels, marker sizes (no folium here).

Every event value goes through :func:`escape_text`, which also entity-encodes the characters that could
break out of a JavaScript template literal, and only http(s) source links become links.
"""

from __future__ import annotations

import html
import json
import urllib.parse

import numpy as np
import pandas as pd
import polars as pl

from geo.schema import WEAPON_NAMES

MIN_RADIUS, MAX_RADIUS = 5.0, 20.0

_JS_TEMPLATE_CHARS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape_text(value: object) -> str:
    """HTML-escape *value* and entity-encode `` ` ``, ``$`` and ``\\`` (null -> "").

    The extra three keep text inert even inside a JavaScript template literal, which is where
    folium's own ``Popup`` and ``Tooltip`` put their text.
    """
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE_CHARS)


def safe_url(url: object) -> str | None:
    """*url* if it is an absolute http(s) URL without whitespace or control characters."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def weapon_label(weapon: str) -> str:
    """Legend/popup label of a weapon type: "ballistic_missile" -> "Ballistic missile"."""
    return WEAPON_NAMES.get(weapon) or str(weapon).replace("_", " ").capitalize()


# --- event text -------------------------------------------------------------------------------


def column(events: pd.DataFrame, name: str) -> pd.Series:
    if name in events.columns:
        return events[name].astype(object).where(events[name].notna(), None)
    return pd.Series([None] * len(events), index=events.index, dtype=object)


_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"),
            ("`", "&#96;"), ("$", "&#36;"), ("\\", "&#92;"))
_SAFE_URL = r"(?i)^https?://[^/\s\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*$"


def _esc(expr: pl.Expr) -> pl.Expr:
    """``escape_text`` for a whole column (all replacements at once, so '&' is never escaped twice)."""
    return expr.cast(pl.String).str.replace_many([a for a, _ in _ESCAPES], [b for _, b in _ESCAPES])


def _line(label: str, expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.is_not_null() & (expr != "")).then(
        pl.lit(f"<div><b>{label}:</b> ") + _esc(expr) + pl.lit("</div>")).otherwise(pl.lit(""))


def _sources_expr(col: str) -> pl.Expr:
    item = pl.element()
    label = pl.concat_str([item.struct.field("publisher"), item.struct.field("title")], separator=" - ",
                          ignore_nulls=True)
    label = pl.when(label == "").then(pl.lit("source")).otherwise(label)
    label = label + pl.when(item.struct.field("date").is_not_null()).then(
        pl.lit(" (") + item.struct.field("date") + pl.lit(")")).otherwise(pl.lit(""))
    url = item.struct.field("url")
    li = pl.when(url.str.contains(_SAFE_URL).fill_null(False)).then(
        pl.lit('<li><a href="') + _esc(url) + pl.lit('" target="_blank" rel="noopener noreferrer">')
        + _esc(label) + pl.lit("</a></li>")).otherwise(pl.lit("<li>") + _esc(label) + pl.lit("</li>"))
    joined = pl.col(col).list.eval(li).list.join("")
    return pl.when(joined.is_not_null() & (joined != "")).then(
        pl.lit('<div><b>Sources</b><ul class="cem-src">') + joined + pl.lit("</ul></div>")
    ).otherwise(pl.lit(""))


def _decode_sources(texts: pd.Series) -> pl.Series:
    series = pl.Series(texts.astype("str").to_numpy(dtype=object, na_value=None), dtype=pl.String)
    dtype = pl.List(pl.Struct({k: pl.String for k in ("publisher", "url", "date", "title")}))
    try:
        return series.str.json_decode(dtype)
    except pl.exceptions.PolarsError:  # text that is not a list of objects shows no sources
        return pl.Series([_sources_or_none(t) for t in series], dtype=dtype)


def _sources_or_none(text: str | None) -> list[dict] | None:
    try:
        items = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    return [{k: (None if i.get(k) is None else str(i.get(k))) for k in ("publisher", "url", "date", "title")}
            for i in items if isinstance(i, dict)]


def _sources_html(sources: object) -> str:
    """Sources of one event as an HTML list (only http(s) links become links)."""
    return popup_table(pd.DataFrame({"sources": [sources]}))["sources_html"].iloc[0]


#: Styles of the popup classes, written once per map instead of once per event.
POPUP_CSS = (".cem-popup{font-size:12px;line-height:1.35}.cem-when{font-weight:bold;margin-bottom:2px}"
             ".cem-desc{margin:4px 0}.cem-src{margin:2px 0 0 16px;padding:0}"
             # city labels: a dot at the point, the name to its right (divIcon, zero size, anchored at the city)
             ".cem-city{pointer-events:none}.cem-city i{position:absolute;left:-3px;top:-3px;width:4px;height:4px;"
             "border:1px solid #444;border-radius:50%;background:#fff}"
             ".cem-city span{position:absolute;left:6px;top:-7px;white-space:nowrap;color:#333;"
             "font:11px/1.2 'Helvetica Neue',Arial,sans-serif;text-shadow:0 0 2px #fff,0 0 2px #fff}"
             # neutral clusters: markercluster's green/yellow would read as weapon colours (IED is green)
             ".marker-cluster-small,.marker-cluster-medium,.marker-cluster-large{background-color:rgba(60,60,60,.25)}"
             ".marker-cluster-small div,.marker-cluster-medium div,.marker-cluster-large div"
             "{background-color:rgba(255,255,255,.92);color:#222;border:1px solid #555;font-weight:600}")


def popup_table(events: pd.DataFrame) -> pd.DataFrame:
    """Popup and tooltip HTML of every event, built a column at a time (no Python loop per event).

    Every value is escaped for HTML and for JavaScript template literals; only http(s) sources become links.
    """
    cols = ["date", "date_end", "date_precision", "weapon_type", "outcome", "actor", "attribution", "target",
            "location", "admin1", "country", "fatalities", "description"]
    data = {}
    for c in cols:
        col = column(events, c)
        if c in ("date", "date_end"):
            col = pd.to_datetime(col).dt.strftime("%Y-%m-%d")
        elif c == "weapon_type":
            col = col.map(lambda w: weapon_label(w) if w else None)
        elif c == "fatalities":
            col = pd.to_numeric(col, errors="coerce").astype("Int64").astype("str").fillna("unknown")
        text = col.astype("str").where(col.notna())
        data[c] = pl.Series(c, [None if v is None or v != v else v for v in text.tolist()], dtype=pl.String) \
            if text.dtype == object else pl.from_pandas(text).cast(pl.String).alias(c)
    frame = pl.DataFrame(data).with_columns(_decode_sources(column(events, "sources")).alias("sources"))
    d, end, prec = pl.col("date"), pl.col("date_end"), pl.col("date_precision")
    when = d.fill_null("date unknown") + pl.when(end.is_not_null() & (end != d)).then(
        pl.lit(" to ") + end).otherwise(pl.lit("")) + pl.when(prec.is_not_null() & (prec != "day")).then(
        pl.lit(" (to within a ") + prec + pl.lit(")")).otherwise(pl.lit(""))
    actor = pl.when(pl.col("attribution").is_not_null()).then(
        pl.col("actor") + pl.lit(" (") + pl.col("attribution") + pl.lit(")")).otherwise(pl.col("actor"))
    place = pl.concat_str([pl.col("location"), pl.col("admin1"), pl.col("country")], separator=", ",
                          ignore_nulls=True)
    description = pl.when(pl.col("description").is_not_null()).then(
        pl.lit('<p class="cem-desc">') + _esc(pl.col("description")) + pl.lit("</p>")).otherwise(pl.lit(""))
    sources = _sources_expr("sources")
    popup = pl.concat_str([
        pl.lit('<div class="cem-popup">'),
        pl.lit('<div class="cem-when">') + _esc(when) + pl.lit("</div>"),
        _line("Weapon", pl.col("weapon_type")), _line("Outcome", pl.col("outcome")), _line("Actor", actor),
        _line("Target", pl.col("target")), _line("Location", place), _line("Fatalities", pl.col("fatalities")),
        description, sources, pl.lit("</div>"),
    ])
    tooltip = pl.concat_str([_esc(when), _esc(pl.col("weapon_type")), _esc(pl.col("location"))],
                            separator=" &middot; ", ignore_nulls=True)
    out = frame.select(popup.alias("popup"), tooltip.alias("tooltip"), sources.alias("sources_html"))
    return out.to_pandas().set_axis(events.index)


def marker_radius(fatalities: pd.Series) -> np.ndarray:
    """Circle radius in pixels: grows with the square root of fatalities; null or 0 -> smallest."""
    f = pd.to_numeric(fatalities, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    grown = np.clip(MIN_RADIUS + 2.5 * np.sqrt(np.where(f > 0, f, 0.0)), MIN_RADIUS, MAX_RADIUS)
    return np.where(np.isnan(f), MIN_RADIUS, grown).round(1)
