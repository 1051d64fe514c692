"""The web map's offline basemap: light, dark and terrain styles, rivers and lakes, provinces, places with labels.

``add_to(fmap)`` is the one call :mod:`geo.webmap.mapview` makes.  Layers are folium ``Layer`` elements, so the
map's ``LayerControl`` lists them: the styles (and, in the served app, the opt-in online tiles, labelled
"online") as base layers, rivers/provinces/places as overlays.  The data are the files of
``geo/assets/web/basemap`` (built by ``geo/assets/build_basemap.py``): fetched from the app's own static URL when
served, embedded when the page must stand alone.  No tile and no script comes from outside unless the user picks
an online layer.  Labels are placed in the browser by ``basemap.js`` (greedy, biggest first, no overlap).
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

import folium
from folium.map import Layer
from folium.template import Template

from geo.webmap.assets import WEB_DIR, script_safe_json

BASEMAP_DIR = WEB_DIR / "basemap"
FILES = ("countries", "borders", "admin1", "rivers", "lakes", "places", "labels")
_FILE_NAMES = {"countries": "countries.geojson", "borders": "borders.geojson", "admin1": "admin1.geojson",
               "rivers": "rivers.geojson", "lakes": "lakes.geojson", "places": "places.json", "labels": "labels.json"}
#: The offline styles; their colours (styles.json) are shared with the static maps (geo/staticmap/basemap.py).
STYLES = ("light", "dark", "terrain")


@lru_cache(maxsize=1)
def colours() -> dict[str, dict[str, str]]:
    """Colours of each style, read once."""
    return json.loads((BASEMAP_DIR / "styles.json").read_text(encoding="utf-8"))
CREDIT = "Natural Earth, GSHHG, GeoNames (CC BY 4.0)"
#: Opt-in online tiles, offered only where the page is served by the app: (label, URL template, attribution).
ONLINE: dict[str, tuple[str, str, str]] = {
    "osm": ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; OpenStreetMap contributors"),
    "satellite": ("Satellite, Esri (online)",
                  "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
                  "Imagery &copy; Esri, Maxar, Earthstar Geographics"),
}
CSS = (
    ".cem-label-icon{background:none;border:none}"
    ".cem-label{position:absolute;white-space:nowrap;font:11px/1.1 'Helvetica Neue',Arial,sans-serif;color:#2b2b2b;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}"
    ".cem-label span{position:absolute;left:0;top:0;transform:translate(-50%,-50%)}"
    ".cem-label-place span{left:6px;transform:translateY(-50%)}"
    ".cem-label-place i{position:absolute;left:-3px;top:-3px;width:6px;height:6px;border-radius:50%;background:#fff;"
    "border:1px solid #444;box-sizing:border-box}"
    ".cem-size-l span{font-weight:bold;font-size:13px}.cem-size-m span{font-size:12px}"
    ".cem-label-river span{font-style:italic;color:#2a6db5;letter-spacing:.5px}"
    ".cem-label-province span{color:#7a6f86;font-size:10px;text-transform:uppercase;letter-spacing:1px}"
    ".cem-label-country span{color:#857b6c;font-size:12px;text-transform:uppercase;letter-spacing:2px;font-weight:600}"
    ".cem-style-dark .cem-label{color:#e8e8e8;text-shadow:0 0 2px #000,0 0 2px #000,0 0 3px #000}"
    ".cem-style-dark .cem-label-place i{background:#333;border-color:#ddd}"
    ".cem-style-dark .cem-label-river span{color:#8dbbe8}.cem-style-dark .cem-label-province span{color:#a99fb8}"
    ".cem-style-dark .cem-label-country span{color:#b9b1a4}"
)


@lru_cache(maxsize=1)
def manifest() -> dict:
    """The build's manifest: detail area, relief bounds, file sizes."""
    return json.loads((BASEMAP_DIR / "manifest.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _layer_data() -> dict:
    return {name: json.loads((BASEMAP_DIR / _FILE_NAMES[name]).read_text(encoding="utf-8")) for name in FILES}


def _embedded(around: tuple[float, float, float, float] | None = None, margin: float = 12.0) -> str:
    """All layers as one JSON text for the page; places only within *margin* degrees of *around* when given."""
    data = dict(_layer_data())
    if around is not None:
        w, s, e, n = around
        rows = [r for r in data["places"]["rows"] if w - margin <= r[0] <= e + margin and s - margin <= r[1] <= n + margin]
        data["places"] = {**data["places"], "rows": rows}
    return script_safe_json(data)


@lru_cache(maxsize=1)
def _relief_data_uri() -> str:
    return "data:image/jpeg;base64," + base64.b64encode((BASEMAP_DIR / "terrain.jpg").read_bytes()).decode("ascii")


class _Runtime(folium.MacroElement):
    """basemap.js and its configuration: one per map, before the layers that use it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        var {{ this.get_name() }} = cemBasemap({{ this._parent.get_name() }}, {
            urls: {{ this.urls|tojson }}, embedded: {{ this.embedded }}, style: {{ this.style|tojson }},
            styles: {{ this.styles|tojson }}, detail: {{ this.detail|tojson }}
        });
        {% endmacro %}
        """
    )

    def __init__(self, base_url: str | None, style: str, around: tuple[float, float, float, float] | None) -> None:
        super().__init__()
        self._name = "BasemapRuntime"
        self.code = (BASEMAP_DIR / "basemap.js").read_text(encoding="utf-8")
        self.base_url = base_url.rstrip("/") if base_url else None
        self.urls = {n: f"{self.base_url}/basemap/{f}" for n, f in _FILE_NAMES.items()} if self.base_url else {}
        self.around = around
        self.embedded = "null" if self.base_url else _embedded(around)
        self.style = style
        self.styles = colours()
        self.detail = manifest()["detail_bbox"]

    def embed(self) -> None:
        """Carry the data inside the page (a standalone file cannot fetch the app's URLs)."""
        self.base_url, self.urls, self.embedded = None, {}, _embedded(self.around)


class _StyleLayer(Layer):
    """One offline style as a base layer: land and sea, country borders (1:10m from zoom 6 in the detail area),
    and for "terrain" the shaded relief."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (cem, map) {
            var s = cem.styles[{{ this.style|tojson }}];
            var group = L.layerGroup([], {attribution: {{ this.credit|tojson }}});
            var land = L.geoJSON(null, {pane: "cem-basemap", interactive: false,
                style: {fillColor: s.land, fillOpacity: 1, color: s.border, weight: 0.8}});
            var fine = L.geoJSON(null, {pane: "cem-admin", interactive: false,
                style: {fill: false, color: s.border, weight: 1.1, opacity: 0.95}});
            group.addLayer(land);
            {% if this.relief %}
            group.addLayer(L.imageOverlay({{ this.relief|tojson }}, {{ this.bounds|tojson }},
                                          {pane: "cem-relief", opacity: 0.85, interactive: false}));
            {% endif %}
            group.on("add", function () {
                cem.setStyle({{ this.style|tojson }});
                cem.load("countries").then(function (d) { if (!land.getLayers().length) { land.addData(d); } });
            });
            cem.onZoom(group, function () {
                var z = map.getZoom();
                if (z >= 6 && !group.hasLayer(fine)) {
                    group.addLayer(fine);
                    cem.load("borders").then(function (d) { if (!fine.getLayers().length) { fine.addData(d); } });
                } else if (z < 6 && group.hasLayer(fine)) { group.removeLayer(fine); }
                land.setStyle({opacity: z >= 7 ? 0.35 : 1});
            });
            return group;
        })({{ this.runtime.get_name() }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, runtime: _Runtime, style: str, *, show: bool) -> None:
        super().__init__(name=colours()[style]["label"], overlay=False, control=True, show=show)
        self._name = f"BasemapStyle_{style}"
        self.runtime, self.style, self.credit = runtime, style, CREDIT
        self.relief = None
        if style == "terrain":
            self.credit = CREDIT + ", relief: Natural Earth"
            self.relief = f"{runtime.base_url}/basemap/terrain.jpg" if runtime.base_url else _relief_data_uri()
            self.bounds = manifest()["terrain_bounds"]

    def embed(self) -> None:
        if self.relief:
            self.relief = _relief_data_uri()


class _OnlineTiles(Layer):
    """A tile layer from the internet: a base layer the user may pick; never added (so never fetched) before."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.tileLayer({{ this.url|tojson }}, {maxZoom: 18, attribution: {{ this.credit|tojson }}});
        {{ this.get_name() }}.on("add", function () { {{ this.runtime.get_name() }}.setStyle("light"); });
        {% endmacro %}
        """
    )

    def __init__(self, runtime: _Runtime, key: str) -> None:
        label, self.url, self.credit = ONLINE[key]
        super().__init__(name=label, overlay=False, control=True, show=False)
        self._name = f"OnlineTiles_{key}"
        self.runtime = runtime


class _Overlay(Layer):
    """Rivers and lakes, provinces, or places: an overlay drawn from the runtime's files (see ``_SCRIPTS``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (cem, map) {
            var group = L.layerGroup();  // credited by the style layers
            {{ this.body }}
            return group;
        })({{ this.runtime.get_name() }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, runtime: _Runtime, kind: str) -> None:
        name, self.credit, self.body = _SCRIPTS[kind]
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = f"Basemap_{kind}"
        self.runtime = runtime


_WATER = """
    var rivers = function (rank) {
        return L.geoJSON(null, {pane: "cem-water", interactive: false, filter: function (f) {
            return f.properties.rank === rank; }, style: function () {
            return {color: cem.colours().river, weight: rank === 1 ? 1.6 : 0.8, opacity: 0.9}; }});
    };
    var major = rivers(1), minor = rivers(2);
    var lakes = L.geoJSON(null, {pane: "cem-water", interactive: false, style: function () {
        var c = cem.colours(); return {fillColor: c.water, fillOpacity: 1, color: c.river, weight: 0.5}; }});
    group.addLayer(lakes); group.addLayer(major);
    group.on("add", function () {
        cem.load("rivers").then(function (d) { if (!major.getLayers().length) { major.addData(d); minor.addData(d); } });
        cem.load("lakes").then(function (d) { if (!lakes.getLayers().length) { lakes.addData(d); } });
    });
    cem.onZoom(group, function () {
        if (map.getZoom() >= 7) { group.addLayer(minor); } else { group.removeLayer(minor); }
        [major, minor, lakes].forEach(function (l) { l.resetStyle(); });
    });
    cem.load("labels").then(function (d) {
        cem.labels("river", group, d.rows.filter(function (r) { return r[5] === "river"; }).map(function (r) {
            return {lon: r[0], lat: r[1], text: r[2], minZoom: r[3], angle: r[4], kind: "river", rank: 1, weight: 0,
                    px: 11, size: "r"};
        }));
    });
"""
_PROVINCES = """
    var lines = L.geoJSON(null, {pane: "cem-admin", interactive: false, style: function () {
        return {color: cem.colours().admin, weight: 0.9, dashArray: "4 3", opacity: 0.9}; }});
    group.on("add", function () {
        cem.load("admin1").then(function (d) { if (!lines.getLayers().length) { lines.addData(d); } });
    });
    cem.onZoom(group, function () {
        if (map.getZoom() >= 5) { group.addLayer(lines); lines.resetStyle(); } else { group.removeLayer(lines); }
    });
    cem.load("labels").then(function (d) {
        cem.labels("province", group, d.rows.filter(function (r) { return r[5] === "province"; }).map(function (r) {
            return {lon: r[0], lat: r[1], text: r[2], minZoom: r[3], angle: 0, kind: "province", rank: 3, weight: 0,
                    px: 10, size: "p"};
        }));
    });
"""
_PLACES = """
    cem.load("places").then(function (d) {
        cem.labels("place", group, d.rows.map(function (r) {
            var pop = r[3], size = pop >= 1e6 ? "l" : pop >= 3e5 ? "m" : "s";
            return {lon: r[0], lat: r[1], text: r[2], kind: "place", weight: pop, size: size,
                    px: size === "l" ? 13 : size === "m" ? 12 : 11, angle: 0,
                    minZoom: pop >= 1e6 ? 4 : pop >= 3e5 ? 5 : pop >= 1e5 ? 7 : pop >= 5e4 ? 8 : 9,
                    rank: pop >= 1e6 ? 0 : pop >= 3e5 ? 2 : 4};
        }));
    });
"""
_SCRIPTS = {
    "water": ("Rivers and lakes", None, _WATER),
    "provinces": ("Provinces", None, _PROVINCES),
    "places": ("Places", None, _PLACES),
}


def add_to(fmap: folium.Map, *, style: str = "light", base_url: str | None = None, online: bool | None = None,
           around: tuple[float, float, float, float] | None = None) -> folium.Map:
    """Add the offline basemap to *fmap*: the three styles, rivers and lakes, provinces and places.

    Parameters
    ----------
    style : {"light", "dark", "terrain"}
        The style shown first (the layer control switches).
    base_url : str, optional
        Where ``geo/assets/web`` is served (``"/app/static"`` in the app): the browser fetches the layer files
        from there, once.  Without it the data are embedded in the page.
    online : bool, optional
        Offer the online tile layers (off until picked). Default: only when served (``base_url`` given); a file
        that must work anywhere carries no link to the internet.
    around : (W, S, E, N), optional
        The area of interest (the events' bounds): an embedded page carries only the places near it.
    """
    if style not in STYLES:
        raise ValueError(f"unknown basemap style {style!r}; expected one of: {', '.join(STYLES)}")
    runtime = _Runtime(base_url, style, around).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(f"<style>{CSS}</style>"), name="cem_basemap_css")
    for name in STYLES:
        _StyleLayer(runtime, name, show=name == style).add_to(fmap)
    if base_url is not None if online is None else online:
        for key in ONLINE:
            _OnlineTiles(runtime, key).add_to(fmap)
    for kind in _SCRIPTS:
        _Overlay(runtime, kind).add_to(fmap)
    return fmap


def embed(fmap: folium.Map) -> None:
    """Make the basemap of *fmap* carry its data (for a standalone file made from a served map)."""
    for child in fmap._children.values():
        if isinstance(child, (_Runtime, _StyleLayer)):
            child.embed()


__all__ = ["CREDIT", "ONLINE", "STYLES", "add_to", "embed", "manifest"]
