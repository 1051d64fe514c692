"""Events -> an offline ``folium.Map``: vector basemap, one circle per event, a plain legend.

The only module that imports folium, and the one place where (lon, lat) becomes Leaflet's
[lat, lon] (:func:`_leaflet_latlon`).  Nothing here fetches from the internet: the map has no
tiles (the basemap is Natural Earth countries embedded as GeoJSON) and its scripts and styles
are the vendored files of ``geo/assets/web`` (see :mod:`geo.webmap.assets`).

Every event value reaches the page through :func:`escape_text` and then a JSON string literal,
so neither HTML nor JavaScript in event text can run.
"""

from __future__ import annotations

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

from geo.webmap import basemap_layers
from geo.webmap.popups import POPUP_CSS, column, escape_text, marker_radius, popup_table, weapon_label
from geo.schema import WEAPON_COLORS
from geo.webmap.aggregate import Grid, grid
from geo.webmap.layers import LAYER_CSS
from geo.webmap.playback_layer import PLAYBACK_CSS
from geo.webmap.viewport import weapons_present
from geo.webmap.assets import (
    CLUSTER_CSS,
    CLUSTER_JS,
    HEAT_JS,
    MAP_CSS,
    MAP_JS,
    default_base_url,
    inline_assets,
    resolve,
    script_safe_json,
)

__all__ = ["MAX_MARKERS", "add_basemap", "base_map", "build_map", "escape_text", "standalone_html",
           "use_offline_assets"]

#: Above this many events a map shows a density grid: the browser never gets more single markers.
MAX_MARKERS = 5000

FALLBACK_COLOR = "#7f7f7f"
#: Iraq/Syria, (lon, lat) like everything else, and a zoom that shows both.
DEFAULT_CENTER = (41.5, 34.5)
DEFAULT_ZOOM = 5
FIT_MAX_ZOOM = 10

def _leaflet_latlon(points: gpd.GeoSeries | Iterable[tuple[float, float]]) -> np.ndarray:
    """(lon, lat) points -> an (n, 2) array of [lat, lon]: the only swap in the project."""
    if isinstance(points, gpd.GeoSeries):
        geoms = points.to_numpy()
        return np.column_stack([shapely.get_y(geoms), shapely.get_x(geoms)]).round(6)
    arr = np.asarray(list(points), dtype=float).reshape(-1, 2)
    return arr[:, ::-1].copy()


def _event_records(events: gpd.GeoDataFrame) -> list[list]:
    """One [lat, lon, radius, colour, popup html, tooltip html] per event, big circles first."""
    text = popup_table(events)
    latlon = _leaflet_latlon(events.geometry)
    radius = marker_radius(column(events, "fatalities"))
    colors = column(events, "weapon_type").map(WEAPON_COLORS).fillna(FALLBACK_COLOR).to_numpy()
    order = np.lexsort((column(events, "event_id").astype("str").to_numpy(),
                        pd.to_datetime(column(events, "date")).to_numpy(), -radius))
    popups, tips = text["popup"].to_numpy(), text["tooltip"].to_numpy()
    return [[float(latlon[i, 0]), float(latlon[i, 1]), float(radius[i]), colors[i], popups[i], tips[i]]
            for i in order]


# --- map elements -----------------------------------------------------------------------------


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
            // Report the circle's own position, not the mouse's, to whoever listens (streamlit-folium
            // returns the click's latlng): a click anywhere on a circle then names that circle's events.
            var atCentre = function (e) { e.latlng = this.getLatLng(); };
            var group = {% if this.cluster %}L.markerClusterGroup({maxClusterRadius: 20, spiderfyOnMaxZoom: true}){% else %}L.featureGroup(){% endif %};
            {{ this.data }}.forEach(function (r) {
                L.circleMarker([r[0], r[1]], {
                    radius: r[2], color: "#333333", weight: 1, opacity: 0.9,
                    fillColor: r[3], fillOpacity: 0.85, className: "cem-event"
                }).bindPopup(r[4], {maxWidth: 340}).bindTooltip(r[5], {sticky: true}).on("click", atCentre).addTo(group);
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
        return _bounds(self.records)


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

    def __init__(self, weapons: list[str], *, aggregated: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        size_note = "Circles: grid cells, sized by events, coloured by the main weapon" if aggregated \
            else "Circle size: fatalities. A numbered circle holds several events at one place: click it."
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
            f'<div style="color:#555;margin-top:3px;max-width:180px">{size_note}</div></div>'
        )
        self.html = script_safe_json(box)


class _GridLayer(Layer):
    """Aggregated cells as circles sized by their event count, coloured by their dominant weapon."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var atCentre = function (e) { e.latlng = this.getLatLng(); };  // see the event layer
            var group = L.featureGroup();
            {{ this.data }}.forEach(function (r) {
                L.circleMarker([r[0], r[1]], {
                    radius: r[2], color: "#333333", weight: 1, opacity: 0.9,
                    fillColor: r[3], fillOpacity: 0.6, className: "cem-cell"
                }).bindTooltip(r[4], {sticky: true}).bindPopup(r[4] + {{ this.hint }}).on("click", atCentre).addTo(group);
            });
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, cells: Grid) -> None:
        super().__init__(name="Events (density grid)", overlay=True, control=True)
        self._name = "GridLayer"
        latlon = _leaflet_latlon(np.column_stack([cells.lon, cells.lat]).tolist()) if len(cells) else np.zeros((0, 2))
        radius = np.clip(4 + 3 * np.sqrt(cells.count), 4, 40).round(1)
        colors = [WEAPON_COLORS.get(w, FALLBACK_COLOR) for w in cells.weapon]
        self.records = [[float(la), float(lo), float(r), c, escape_text(t)]
                        for (la, lo), r, c, t in zip(latlon, radius, colors, cells.summary)]
        self.data = script_safe_json(self.records)
        self.hint = script_safe_json("<br><i>Filter or zoom to a smaller area to see single events.</i>")

    def get_bounds(self) -> list[list[float | None]]:
        return _bounds(self.records)


class _HaloLayer(Layer):
    """A circle of ``precision_km`` around each event, so that a vague location looks vague."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var group = L.featureGroup();
            {{ this.data }}.forEach(function (r) {
                L.circle([r[0], r[1]], {radius: r[2], color: r[3], weight: 1, opacity: 0.5,
                    fillOpacity: 0.08, interactive: false, className: "cem-halo"}).addTo(group);
            });
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, events: gpd.GeoDataFrame, *, show: bool) -> None:
        super().__init__(name="Precision halos", overlay=True, control=True, show=show)
        self._name = "HaloLayer"
        latlon = _leaflet_latlon(events.geometry)
        metres = (pd.to_numeric(events["precision_km"], errors="coerce").fillna(0).to_numpy() * 1000).round()
        colors = events["weapon_type"].astype("str").map(WEAPON_COLORS).fillna(FALLBACK_COLOR).tolist()
        self.data = script_safe_json([[float(a), float(b), float(r), c]
                                      for (a, b), r, c in zip(latlon, metres, colors)])


class _HeatLayer(JSCSSMixin, Layer):
    """Leaflet.heat density of events (weights: 1 per event, or a cell's count when aggregated)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.heatLayer({{ this.data }}, {radius: 22, blur: 18, minOpacity: 0.35,
                                                                  max: {{ this.max }}});
        {% endmacro %}
        """
    )

    def __init__(self, points: np.ndarray, weights: np.ndarray, *, show: bool, base_url: str) -> None:
        super().__init__(name="Heat map", overlay=True, control=True, show=show)
        self._name = "HeatLayer"
        self.default_js = resolve(HEAT_JS, base_url)
        self.data = script_safe_json(np.column_stack([points, weights]).round(5).tolist())
        self.max = float(max(1.0, np.quantile(weights, 0.95))) if len(weights) else 1.0


class _KeepView(folium.MacroElement):
    """Remember the user's view in the browser and restore it when the map is drawn again.

    A filter change redraws the map; without this the view would jump back to the events' bounds. The view is
    kept in the tab's sessionStorage under ``key``, so nothing returns to Python and panning reruns nothing.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var key = {{ this.key|tojson }};
            try {
                var saved = JSON.parse(window.sessionStorage.getItem(key) || "null");
                var save = function () {
                    var c = map.getCenter();
                    window.sessionStorage.setItem(key, JSON.stringify({lat: c.lat, lng: c.lng, zoom: map.getZoom()}));
                };
                // After the page's own fitting (streamlit-folium sizes the map after this script runs).
                setTimeout(function () {
                    if (saved && !{{ this.refit|tojson }}) { map.setView([saved.lat, saved.lng], saved.zoom, {animate: false}); }
                    map.on("moveend", save);
                    save();
                }, 300);
            } catch (e) { /* storage disabled: the map simply fits the events */ }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, key: str, *, refit: bool) -> None:
        super().__init__()
        self._name = "KeepView"
        self.key = key
        self.refit = refit


def _around(events: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """The events' bounds (Iraq/Syria when there are none): cities are labelled around them only."""
    if len(events):
        w, s, e, n = events.total_bounds
        return float(w), float(s), float(e), float(n)
    (x, y) = DEFAULT_CENTER
    return x - 10, y - 8, x + 10, y + 8


def _bounds(records: list[list]) -> list[list[float | None]]:
    if not records:
        return [[None, None], [None, None]]
    lat = [r[0] for r in records]
    lon = [r[1] for r in records]
    return [[min(lat), min(lon)], [max(lat), max(lon)]]


def _weapons_present(events: pd.DataFrame) -> list[str]:
    return weapons_present(events)


# --- public API -------------------------------------------------------------------------------


#: Leaflet options of every map: one zoom level per mouse-wheel notch (a notch scrolls ~100 px; Leaflet's
#: default of 60 px per level rounds a notch up to two levels), whole zoom levels only.
ZOOM_OPTIONS = {"wheelPxPerZoomLevel": 120, "zoomSnap": 1, "zoomDelta": 1}


def add_basemap(m: folium.Map, *, asset_base_url: str | None, around: tuple[float, float, float, float] | None = None) -> None:
    """Draw the basemap under everything else: the offline layers of ``geo.webmap.basemap_layers`` (light, dark and
    terrain styles, rivers, provinces, places by zoom), the places limited to ``around`` (W, S, E, N) when embedded."""
    basemap_layers.add_to(m, base_url=asset_base_url, around=around)


def base_map(*, asset_base_url: str, around: tuple[float, float, float, float] | None = None) -> folium.Map:
    """The fixed part of the drill-down map: basemap, cities, scale bar and zoom, with no event in it.

    It renders the same on every rerun (nothing in it depends on the filter or the view), so streamlit-folium
    keeps the map and the user's view and only swaps the feature group of :func:`geo.webmap.drilldown.view_group`.
    """
    (lat, lon), = _leaflet_latlon([DEFAULT_CENTER])
    m = folium.Map(location=[lat, lon], zoom_start=DEFAULT_ZOOM, tiles=None, minZoom=2, maxZoom=18,
                   control_scale=True, **ZOOM_OPTIONS)  # fmt: skip
    m.default_js = resolve(MAP_JS, base) if (base := asset_base_url) else []
    m.default_css = resolve(MAP_CSS, base)
    m.get_root().header.add_child(folium.Element(f"<style>{POPUP_CSS}{LAYER_CSS}{PLAYBACK_CSS}{LAYOUT_CSS}</style>"),
                                  name="cem_popup_css")
    add_basemap(m, asset_base_url=asset_base_url, around=around)
    return m


#: Inside the map's frame: the map fills the frame (the page sizes the frame to the window), and the controls
#: stack without overlapping (scale bar above the attribution, legend above it on the right).
LAYOUT_CSS = (
    "html,body{height:100%;margin:0}#map_div{height:100vh!important;width:100%!important}"
    ".leaflet-bottom.leaflet-left .leaflet-control-scale{margin-bottom:6px}"
    ".leaflet-control-scale-line{font-size:11px}"  # the page's 16 px root font overran a short bar ("100 m")
    ".leaflet-control-attribution{font-size:10px;max-width:60vw;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}"
)


def build_map(
    events: gpd.GeoDataFrame,
    *,
    asset_base_url: str | None = None,
    fit: bool = True,
    cluster: bool = False,
    halos: bool = False,
    heat: bool = False,
    max_markers: int = MAX_MARKERS,
    keep_view: str | None = None,
    refit: bool = False,
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
        Group nearby events with Leaflet.markercluster (clusters spiderfy at the deepest zoom).
    halos, heat : bool
        Show the precision-halo and heat-map layers at first (both are in the layer control).
    keep_view : str, optional
        A browser-storage key: the map then reopens where the user left it (across filter changes) instead
        of fitting the events, unless ``refit`` is true.
    max_markers : int
        Above this many events the map shows a density grid computed here instead of single markers,
        so the browser never receives more than a few MB.

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
                   control_scale=True, **ZOOM_OPTIONS)  # fmt: skip
    m.default_js = resolve(MAP_JS, base)
    m.default_css = resolve(MAP_CSS, base)
    m.get_root().header.add_child(folium.Element(f"<style>{POPUP_CSS}</style>"), name="cem_popup_css")
    add_basemap(m, asset_base_url=asset_base_url, around=_around(events))
    aggregated = len(events) > max_markers
    if aggregated:
        cells = grid(events)
        layer: _EventLayer | _GridLayer = _GridLayer(cells).add_to(m)
        heat_points, heat_weights = np.column_stack([cells.lat, cells.lon]), cells.count.astype(float)
    else:
        layer = _EventLayer(_event_records(events), cluster=cluster, base_url=base).add_to(m)
        _HaloLayer(events, show=halos).add_to(m)
        heat_points, heat_weights = _leaflet_latlon(events.geometry), np.ones(len(events))
    _HeatLayer(heat_points, heat_weights, show=heat, base_url=base).add_to(m)
    weapons = _weapons_present(events)
    if weapons:
        _Legend(weapons, aggregated=aggregated).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)  # last: a layer added after it would break the script
    if fit and layer.records:
        (south, west), (north, east) = layer.get_bounds()
        m.location = [(south + north) / 2, (west + east) / 2]
        # Extra room on the right keeps markers clear of the legend in the bottom-right corner.
        m.fit_bounds([[south, west], [north, east]], padding_top_left=(30, 30),
                     padding_bottom_right=(160, 30), max_zoom=FIT_MAX_ZOOM)  # fmt: skip
    if keep_view:
        _KeepView(keep_view, refit=refit).add_to(m)
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
    basemap_layers.embed(m)  # a file opened anywhere cannot fetch /app/static
    return inline_assets(m.get_root().render())

