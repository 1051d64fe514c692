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


def date_text(date: object, end: object, precision: object) -> str:
    text = pd.Timestamp(date).strftime("%Y-%m-%d") if date is not None else "date unknown"
    if end is not None and pd.Timestamp(end) != pd.Timestamp(date):
        text += " to " + pd.Timestamp(end).strftime("%Y-%m-%d")
    if precision not in (None, "day"):
        text += f" (to within a {precision})"
    return text


def _sources_html(sources: object) -> str:
    try:
        items = json.loads(sources) if isinstance(sources, str) else []
    except ValueError:
        items = []
    lines = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        label = " - ".join(str(item[k]) for k in ("publisher", "title") if item.get(k)) or "source"
        if item.get("date"):
            label += f" ({item['date']})"
        url = safe_url(item.get("url"))
        if url:
            lines.append(
                f'<li><a href="{escape_text(url)}" target="_blank" rel="noopener noreferrer">'
                f"{escape_text(label)}</a></li>"
            )
        else:
            lines.append(f"<li>{escape_text(label)}</li>")
    if not lines:
        return ""
    return '<div><b>Sources</b><ul style="margin:2px 0 0 16px;padding:0">' + "".join(lines) + "</ul></div>"


def popup_html(row: dict) -> str:
    def line(label: str, value: object) -> str:
        return f"<div><b>{label}:</b> {escape_text(value)}</div>" if value not in (None, "") else ""

    place = ", ".join(str(row[k]) for k in ("location", "admin1", "country") if row[k] not in (None, ""))
    actor = row["actor"]
    if actor is not None and row["attribution"] not in (None, ""):
        actor = f"{actor} ({row['attribution']})"
    fatalities = "unknown" if row["fatalities"] is None else int(row["fatalities"])
    parts = [
        f'<div style="font-weight:bold;margin-bottom:2px">{escape_text(row["date_text"])}</div>',
        line("Weapon", weapon_label(row["weapon_type"]) if row["weapon_type"] else None),
        line("Outcome", row["outcome"]),
        line("Actor", actor),
        line("Target", row["target"]),
        line("Location", place),
        line("Fatalities", fatalities),
    ]
    if row["description"] not in (None, ""):
        parts.append(f'<p style="margin:4px 0">{escape_text(row["description"])}</p>')
    parts.append(_sources_html(row["sources"]))
    return '<div class="cem-popup" style="font-size:12px;line-height:1.35">' + "".join(parts) + "</div>"


def tooltip_html(row: dict) -> str:
    bits = [row["date_text"], weapon_label(row["weapon_type"]) if row["weapon_type"] else None, row["location"]]
    return " &middot; ".join(escape_text(b) for b in bits if b not in (None, ""))


def marker_radius(fatalities: pd.Series) -> np.ndarray:
    """Circle radius in pixels: grows with the square root of fatalities; null or 0 -> smallest."""
    f = pd.to_numeric(fatalities, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    grown = np.clip(MIN_RADIUS + 2.5 * np.sqrt(np.where(f > 0, f, 0.0)), MIN_RADIUS, MAX_RADIUS)
    return np.where(np.isnan(f), MIN_RADIUS, grown).round(1)
