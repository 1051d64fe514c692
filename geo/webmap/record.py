"""What the map page shows beside the map: an event's record as labelled HTML, the event feed, and the links
that reopen the map on a view or an event (``?view=lat,lon,zoom&event=<id>`` beside the filter's parameters).

Every value is escaped (:func:`geo.webmap.popups.escape_text`) and only http(s) sources become links.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd

from geo.errors import FilterError
from geo.schema import WEAPON_COLORS, WEAPON_NAMES, country_name
from geo.webmap.popups import escape_text, safe_url

#: Labels of the record panel, in reading order (field -> label).
LABELS: dict[str, str] = {
    "date": "Date", "weapon_type": "Weapon", "outcome": "Outcome", "actor": "Actor", "attribution": "Attribution",
    "target": "Target", "location": "Place", "admin1": "Province", "country": "Country", "fatalities": "Killed",
    "description": "What happened", "precision_km": "Located to within", "geo_precision": "Location precision",
    "event_type": "Event type", "sub_event_type": "Sub-event type", "event_id": "Event ID",
}
_GEO_PRECISION = {1: "exact site", 2: "near a site or in a district", 3: "a town or wider area"}


def _value(event: pd.Series, field: str) -> str:
    value = event.get(field)
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return "unknown" if field == "fatalities" else ""
    if field == "date":
        text = f"{pd.Timestamp(value):%d %b %Y}".lstrip("0")
        end, prec = event.get("date_end"), event.get("date_precision")
        if end is not None and not pd.isna(end) and pd.Timestamp(end) != pd.Timestamp(value):
            text += f" to {pd.Timestamp(end):%d %b %Y}".replace(" 0", " ")
        return text + (f" (to within a {prec})" if isinstance(prec, str) and prec != "day" else "")
    if field == "weapon_type":
        return WEAPON_NAMES.get(str(value), str(value))
    if field == "country":
        return country_name(str(value)) or str(value)
    if field == "precision_km":
        return f"{float(value):g} km"
    if field == "geo_precision":
        return _GEO_PRECISION.get(int(value), str(value))
    return str(value)


def _sources(text: object) -> list[tuple[str, str | None]]:
    try:
        items = orjson.loads(text) if isinstance(text, str) else []
    except orjson.JSONDecodeError:
        return []
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        label = " - ".join(str(item[k]) for k in ("publisher", "title") if item.get(k)) or "source"
        if item.get("date"):
            label += f" ({item['date']})"
        out.append((label, safe_url(item.get("url"))))
    return out


def record_html(event: pd.Series) -> str:
    """One event as a labelled list with its sources as links (escaped; only http(s) URLs are links)."""
    rows = []
    for field, label in LABELS.items():
        value = _value(event, field)
        if value:
            rows.append(f"<dt>{escape_text(label)}</dt><dd>{escape_text(value)}</dd>")
    items = "".join(
        f'<li><a href="{escape_text(url)}" target="_blank" rel="noopener noreferrer">{escape_text(label)}</a></li>'
        if url else f"<li>{escape_text(label)}</li>" for label, url in _sources(event.get("sources")))
    if items:
        rows.append(f'<dt>Sources</dt><dd><ul class="cem-sources">{items}</ul></dd>')
    colour = WEAPON_COLORS.get(str(event.get("weapon_type")), "#7f7f7f")
    return (f'<div class="cem-record" style="border-left:5px solid {colour}"><dl>{"".join(rows)}</dl></div>')


#: Styles of the record panel (our own constants).
RECORD_CSS = (
    ".cem-record{padding:2px 0 2px 10px;font-size:14px;line-height:1.4}.cem-record dl{margin:0}"
    ".cem-record dt{font-weight:600;color:#555;font-size:12px;margin-top:6px}.cem-record dd{margin:0;"
    "overflow-wrap:anywhere}.cem-sources{margin:0;padding-left:18px}"
)


def feed_order(events: gpd.GeoDataFrame) -> np.ndarray:
    """Positions of the events newest first (ties by event id, so pages are stable)."""
    ids = events["event_id"].astype("str").to_numpy()
    day = pd.to_datetime(events["date"]).to_numpy()
    return np.lexsort((ids, -day.astype("datetime64[s]").astype(np.int64)))


def select_order(order: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """:func:`feed_order` of the rows ``keep`` (a mask over the frame ``order`` is of), without sorting again."""
    return (np.cumsum(keep) - 1)[order[keep[order]]]


def feed_page(events: gpd.GeoDataFrame, order: np.ndarray, page: int, size: int = 50) -> pd.DataFrame:
    """One page of the feed: date, weapon (with its colour), place and a one-line summary, plus the event id."""
    picked = order[page * size:(page + 1) * size]
    # Only the columns shown, each taken alone: a take of the whole frame copies every column of every picked row.
    rows = pd.DataFrame({c: events[c].iloc[picked].reset_index(drop=True) for c in
                         ("location", "country", "actor", "target", "date", "weapon_type", "event_id")})
    place = rows["location"].astype("str").where(rows["location"].notna(), "")
    country = rows["country"].astype("str").map(lambda c: country_name(c) or c)
    line = (rows["actor"].astype("str") + " \u2192 " + rows["target"].astype("str").where(rows["target"].notna(), "?"))
    return pd.DataFrame({
        "date": pd.to_datetime(rows["date"]).dt.strftime("%Y-%m-%d"),
        "weapon": rows["weapon_type"].astype("str").map(lambda w: WEAPON_NAMES.get(w, w)),
        "place": (place + ", " + country).str.strip(", "),
        "summary": line,
        "event_id": rows["event_id"].astype("str"),
        "colour": rows["weapon_type"].astype("str").map(lambda w: WEAPON_COLORS.get(w, "#7f7f7f")),
    }).reset_index(drop=True)


def view_params(lat: float, lon: float, zoom: float, event_id: str | None = None) -> dict[str, list[str]]:
    """URL parameters that reopen the map on a view (and an event); beside ``geo.to_params(spec)``."""
    params = {"view": [f"{lat:.5f},{lon:.5f},{int(round(zoom))}"]}
    if event_id:
        params["event"] = [str(event_id)]
    return params


def read_view_params(params: Mapping[str, str | Iterable[str]]) -> tuple[tuple[float, float, int] | None, str | None]:
    """(lat, lon, zoom) and the event id of a link; raises FilterError for a view that is not three numbers."""
    def one(key: str) -> str | None:
        raw = params.get(key)
        text = raw if isinstance(raw, str) or raw is None else next(iter(raw), None)
        return text.strip() if isinstance(text, str) and text.strip() else None

    view, event = one("view"), one("event")
    if view is None:
        return None, event
    parts = view.split(",")
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(float(parts[2]))
    except (ValueError, IndexError):
        raise FilterError(f"view: '{view}' is not lat,lon,zoom") from None
    if len(parts) != 3 or not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 85 or abs(lon) > 180:
        raise FilterError(f"view: '{view}' is not lat,lon,zoom on the map")
    return (lat, lon, max(2, min(18, zoom))), event


def link(params: Mapping[str, list[str]]) -> str:
    """A relative link (``?a=1&b=2``) from URL parameters."""
    return "?" + urllib.parse.urlencode([(k, v) for k, vs in params.items() for v in vs])
