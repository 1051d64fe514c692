"""Events -> an offline ``folium.Map``: vector basemap, one circle per event, a plain legend.

The only module that imports folium, and the one place where (lon, lat) becomes Leaflet's
[lat, lon] (:func:`_leaflet_latlon`).  Nothing here fetches from the internet: the map has no
tiles (the basemap is Natural Earth countries embedded as GeoJSON) and its scripts and styles
are the vendored files of ``geo/assets/web`` (see :mod:`geo.webassets`).

Every event value reaches the page through :func:`escape_text` and then a JSON string literal,
so neither HTML nor JavaScript in event text can run.
"""

from __future__ import annotations

import html
import json
import urllib.parse
from collections.abc import Iterable

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geo.schema import WEAPON_COLORS, WEAPON_NAMES
from geo.webassets import (
    CLUSTER_CSS,
    CLUSTER_JS,
    MAP_CSS,
    MAP_JS,
    basemap_json,
    default_base_url,
    inline_assets,
    resolve,
    script_safe_json,
)

__all__ = ["build_map", "escape_text", "standalone_html", "use_offline_assets"]

SEA = "#cfe3f3"
LAND_STYLE = {"fillColor": "#f4f1ea", "fillOpacity": 1.0, "color": "#9a9a9a", "weight": 0.8}
FALLBACK_COLOR = "#7f7f7f"
#: Iraq/Syria, (lon, lat) like everything else, and a zoom that shows both.
DEFAULT_CENTER = (41.5, 34.5)
DEFAULT_ZOOM = 5
FIT_MAX_ZOOM = 10
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


def _safe_url(url: object) -> str | None:
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


def _leaflet_latlon(points: gpd.GeoSeries | Iterable[tuple[float, float]]) -> np.ndarray:
    """(lon, lat) points -> an (n, 2) array of [lat, lon]: the only swap in the project."""
    if isinstance(points, gpd.GeoSeries):
        geoms = points.to_numpy()
        return np.column_stack([shapely.get_y(geoms), shapely.get_x(geoms)]).round(6)
    arr = np.asarray(list(points), dtype=float).reshape(-1, 2)
    return arr[:, ::-1].copy()


def weapon_label(weapon: str) -> str:
    """Legend/popup label of a weapon type: "ballistic_missile" -> "Ballistic missile"."""
    return WEAPON_NAMES.get(weapon) or str(weapon).replace("_", " ").capitalize()


# --- event text -------------------------------------------------------------------------------


def _column(events: pd.DataFrame, name: str) -> pd.Series:
    if name in events.columns:
        return events[name].astype(object).where(events[name].notna(), None)
    return pd.Series([None] * len(events), index=events.index, dtype=object)


def _date_text(date: object, end: object, precision: object) -> str:
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
        url = _safe_url(item.get("url"))
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


def _popup_html(row: dict) -> str:
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


def _tooltip_html(row: dict) -> str:
    bits = [row["date_text"], weapon_label(row["weapon_type"]) if row["weapon_type"] else None, row["location"]]
    return " &middot; ".join(escape_text(b) for b in bits if b not in (None, ""))


def _radius(fatalities: pd.Series) -> np.ndarray:
    """Circle radius in pixels: grows with the square root of fatalities; null or 0 -> smallest."""
    f = pd.to_numeric(fatalities, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    grown = np.clip(MIN_RADIUS + 2.5 * np.sqrt(np.where(f > 0, f, 0.0)), MIN_RADIUS, MAX_RADIUS)
    return np.where(np.isnan(f), MIN_RADIUS, grown).round(1)


def _event_records(events: gpd.GeoDataFrame) -> list[list]:
    """One [lat, lon, radius, colour, popup html, tooltip html] per event, big circles first."""
    cols = ["event_id", "date", "date_end", "date_precision", "weapon_type", "outcome", "actor",
            "attribution", "target", "country", "admin1", "location", "fatalities",
            "description", "sources"]  # fmt: skip
    table = pd.DataFrame({c: _column(events, c) for c in cols}, index=events.index)
    latlon = _leaflet_latlon(events.geometry)
    radius = _radius(events["fatalities"] if "fatalities" in events.columns else table["fatalities"])
    order = pd.DataFrame(
        {"r": -radius, "d": pd.to_datetime(table["date"]), "id": table["event_id"].astype(str)}
    ).reset_index(drop=True)
    records = []
    for i in order.sort_values(["r", "d", "id"], kind="stable").index:
        row = table.iloc[i].to_dict()
        row["date_text"] = _date_text(row["date"], row["date_end"], row["date_precision"])
        color = WEAPON_COLORS.get(row["weapon_type"], FALLBACK_COLOR)
        lat, lon = latlon[i]
        records.append([float(lat), float(lon), float(radius[i]), color, _popup_html(row), _tooltip_html(row)])
    return records


# --- map elements -----------------------------------------------------------------------------


class _Basemap(Layer):
    """Natural Earth countries as a non-interactive vector layer in its own pane, under events."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
            if (!map.getPane("cem-basemap")) { map.createPane("cem-basemap").style.zIndex = 250; }
            map.getContainer().style.background = {{ this.sea|tojson }};
            return L.geoJSON({{ this.data }}, {
                pane: "cem-basemap", interactive: false, style: {{ this.land|tojson }},
                attribution: "Natural Earth (public domain)"
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__(name="Countries", overlay=False, control=False)
        self._name = "Basemap"
        self.data = basemap_json()
        self.sea = SEA
        self.land = LAND_STYLE


class _EventLayer(JSCSSMixin, Layer):
    """All events as ``L.circleMarker`` built in the browser from one JSON array.

    One element for all events (not one folium object each): rendering stays fast for
    thousands of events and all event text is embedded as JSON.  folium's ``Layer.render``
    adds the ``addTo(map)`` call, as for the basemap.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var group = {% if this.cluster %}L.markerClusterGroup({maxClusterRadius: 40}){% else %}L.featureGroup(){% endif %};
            {{ this.data }}.forEach(function (r) {
                L.circleMarker([r[0], r[1]], {
                    radius: r[2], color: "#333333", weight: 1, opacity: 0.9,
                    fillColor: r[3], fillOpacity: 0.85, className: "cem-event"
                }).bindPopup(r[4], {maxWidth: 340}).bindTooltip(r[5], {sticky: true}).addTo(group);
            });
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, records: list[list], *, cluster: bool, base_url: str) -> None:
        super().__init__(name="Events", overlay=True, control=True)
        self._name = "EventLayer"
        self.records = records
        self.data = script_safe_json(records)
        self.cluster = cluster
        self.default_js = resolve(CLUSTER_JS, base_url) if cluster else []
        self.default_css = resolve(CLUSTER_CSS, base_url) if cluster else []

    def get_bounds(self) -> list[list[float | None]]:
        if not self.records:
            return [[None, None], [None, None]]
        lat = [r[0] for r in self.records]
        lon = [r[1] for r in self.records]
        return [[min(lat), min(lon)], [max(lat), max(lon)]]


class _Legend(folium.MacroElement):
    """A plain HTML legend of the weapon types on the map (a Leaflet control, no CDN script)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "cem-legend");
                div.innerHTML = {{ this.html }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, weapons: list[str]) -> None:
        super().__init__()
        self._name = "Legend"
        self.weapons = tuple(weapons)
        rows = "".join(
            f'<div data-weapon="{escape_text(w)}" style="white-space:nowrap">'
            f'<span style="display:inline-block;width:11px;height:11px;border-radius:50%;'
            f'border:1px solid #333;margin-right:6px;vertical-align:-1px;'
            f'background:{escape_text(WEAPON_COLORS.get(w, FALLBACK_COLOR))}"></span>'
            f"{escape_text(weapon_label(w))}</div>"
            for w in self.weapons
        )
        box = (
            '<div style="background:rgba(255,255,255,0.92);padding:6px 9px;border-radius:4px;'
            "box-shadow:0 1px 4px rgba(0,0,0,0.3);font:12px/1.5 'Helvetica Neue',Arial,sans-serif;"
            'max-height:60vh;overflow-y:auto">'
            '<div style="font-weight:bold;margin-bottom:2px">Weapon</div>'
            f"{rows}"
            '<div style="color:#555;margin-top:3px">Circle size: fatalities</div></div>'
        )
        self.html = script_safe_json(box)


def _weapons_present(events: pd.DataFrame) -> list[str]:
    if "weapon_type" not in events.columns or events.empty:
        return []
    present = set(events["weapon_type"].dropna().astype(str))
    return [w for w in WEAPON_COLORS if w in present] + sorted(present - set(WEAPON_COLORS))


# --- public API -------------------------------------------------------------------------------


def build_map(
    events: gpd.GeoDataFrame,
    *,
    asset_base_url: str | None = None,
    fit: bool = True,
    cluster: bool = False,
) -> folium.Map:
    """Draw *events* on an offline map.

    Parameters
    ----------
    events : GeoDataFrame
        Events in the project schema (EPSG:4326 points).
    asset_base_url : str, optional
        URL under which ``geo/assets/web`` is served, e.g. ``"/app/static"`` in the Streamlit app.
        Default: the ``file://`` URL of the folder (for :func:`standalone_html` or a local file).
    fit : bool
        Fit the view to the events (Iraq/Syria when there are none).
    cluster : bool
        Group nearby events with Leaflet.markercluster.

    Returns
    -------
    folium.Map
        Its resources are set on the instance, so no folium class is modified.
    """
    base = asset_base_url or default_base_url()
    if events.crs is not None and not events.crs.equals("EPSG:4326"):
        events = events.to_crs(4326)
    events = events[events.geometry.notna() & ~events.geometry.is_empty]
    (lat, lon), = _leaflet_latlon([DEFAULT_CENTER])
    # minZoom/maxZoom in Leaflet's spelling: with tiles=None folium drops min_zoom/max_zoom, and
    # without maxZoom on the map Leaflet.markercluster stops the script ("Map has no maxZoom").
    m = folium.Map(location=[lat, lon], zoom_start=DEFAULT_ZOOM, tiles=None, minZoom=2, maxZoom=18,
                   control_scale=True)  # fmt: skip
    m.default_js = resolve(MAP_JS, base)
    m.default_css = resolve(MAP_CSS, base)
    _Basemap().add_to(m)
    layer = _EventLayer(_event_records(events), cluster=cluster, base_url=base).add_to(m)
    weapons = _weapons_present(events)
    if weapons:
        _Legend(weapons).add_to(m)
    if fit and layer.records:
        (south, west), (north, east) = layer.get_bounds()
        m.location = [(south + north) / 2, (west + east) / 2]
        # Extra room on the right keeps markers clear of the legend in the bottom-right corner.
        m.fit_bounds([[south, west], [north, east]], padding_top_left=(30, 30),
                     padding_bottom_right=(160, 30), max_zoom=FIT_MAX_ZOOM)  # fmt: skip
    return m


def use_offline_assets(base_url: str) -> None:
    """Point folium's own ``Map`` and ``MarkerCluster`` classes at the vendored assets.

    :func:`build_map` does not need this (it sets resources per map); call it only for folium
    maps made elsewhere.  Idempotent: the lists are rebuilt from the tables on every call.
    """
    folium.Map.default_js = resolve(MAP_JS, base_url)
    folium.Map.default_css = resolve(MAP_CSS, base_url)
    folium.plugins.MarkerCluster.default_js = resolve(CLUSTER_JS, base_url)
    folium.plugins.MarkerCluster.default_css = resolve(CLUSTER_CSS, base_url)


def standalone_html(m: folium.Map) -> str:
    """*m* as one self-contained HTML page: every script and stylesheet inlined.

    Raises ValueError if the map links a resource that is not vendored in ``geo/assets/web``.
    """
    return inline_assets(m.get_root().render())

