"""The drill-down map's data layers (folium elements rendered into streamlit-folium's dynamic feature group).

The base map (basemap, cities, controls) stays the same across reruns, so the browser keeps it and the user's
view; what changes with the view or the filter is one :class:`ViewLayer` inside a ``FeatureGroup``: cells
coloured by their main weapon and sized by their count, single events with escaped popups (co-located ones
spiderfy), the legend of the weapons in the filter, and instructions such as "fly to this event".

A click reports to Python through streamlit-folium's ``last_object_clicked``: the clicked point carries
``event_id`` (a single event, also from a spider leg: its true position, not the leg's) or ``cell``
(W, S, E, N of a stack of co-located events to list). Every event value reaches the page through
:func:`geo.webmap.popups.escape_text` and then a JSON string literal.
"""

from __future__ import annotations

import hashlib

import folium
import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geo.schema import WEAPON_COLORS
from geo.webmap.assets import CLUSTER_CSS, CLUSTER_JS, resolve, script_safe_json
from geo.webmap.popups import escape_text, marker_radius, popup_table, weapon_label

FALLBACK_COLOR = "#7f7f7f"

_VIEW_JS = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var cfg = {{ this.config }}, data = {{ this.data }};
    var group = L.featureGroup(), map = null;
    var report = function (e, lat, lng, extra) {  // what streamlit-folium sends back as last_object_clicked
        e.latlng = L.extend(L.latLng(lat, lng), extra);
    };
    var label = function (n) { return n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n); };
    var colour = function (w) { return cfg.colors[w] || cfg.fallback; };
    var bubble = function (n, c, cls) {  // at most 44 px: cells are 48 px apart, so circles never hide each other
        var px = Math.round(Math.min(44, 20 + 6 * Math.log10(Math.max(1, n))));
        return L.divIcon({className: "cem-cluster " + cls, iconSize: [px, px],
            html: '<div style="background:' + c + ';width:' + px + 'px;height:' + px + 'px;line-height:' + px + 'px">' + label(n) + "</div>"});
    };
    // Spiderfied singles: markercluster groups only (nearly) co-located events; each cluster wears its main weapon.
    var singles = L.markerClusterGroup({maxClusterRadius: 12, spiderfyOnMaxZoom: true, showCoverageOnHover: false,
        spiderfyDistanceMultiplier: 1.6, chunkedLoading: true,
        // called before the last chunk's markers reach the map: mark the layer loaded right after that
        chunkProgress: function (done, total) { if (done >= total) { setTimeout(loaded, 0); } },
        iconCreateFunction: function (cl) {
            var n = {}, best = null;
            cl.getAllChildMarkers().forEach(function (m) { n[m.cemWeapon] = (n[m.cemWeapon] || 0) + 1;
                if (best === null || n[m.cemWeapon] > n[best]) { best = m.cemWeapon; } });
            return bubble(cl.getChildCount(), colour(best), "cem-stack");
        }});
    var markers = {}, ready = false, waiting = [];
    var loaded = function () { ready = true; waiting.splice(0).forEach(function (f) { f(); }); };
    var whenLoaded = function (f) { if (ready || !data.events.length) { f(); } else { waiting.push(f); } };
    data.events.forEach(function (r) {
        var m = L.circleMarker([r[0], r[1]], {radius: r[2], color: "#222", weight: 1, opacity: 0.9,
            fillColor: colour(r[3]), fillOpacity: 0.85, className: "cem-event"});
        m.cemWeapon = r[3]; m.cemId = r[6];
        // autoPan: a popup near the top edge moves the map instead of being cut off (the move redraws the view).
        m.bindPopup(r[4], {maxWidth: 340, autoPan: true, autoPanPadding: [20, 20]}).bindTooltip(r[5], {sticky: true});
        m.on("click", function (e) { var p = this._preSpiderfyLatlng || this.getLatLng();
                                      report(e, p.lat, p.lng, {event_id: r[6]}); });
        markers[r[6]] = m;
        singles.addLayer(m);
    });
    group.addLayer(singles);
    data.cells.forEach(function (c) {  // [lat, lon, count, weapon, tooltip, south, west, north, east]
        var m = L.marker([c[0], c[1]], {icon: bubble(c[2], colour(c[3]), "cem-cell"), riseOnHover: true,
                                        zIndexOffset: c[2]});  // where circles touch, the bigger count is on top
        m.bindTooltip(c[4], {direction: "top"});
        m.on("click", function (e) {
            var b = L.latLngBounds([c[5], c[6]], [c[7], c[8]]);
            var tiny = map.project(b.getNorthEast(), map.getMaxZoom()).distanceTo(map.project(b.getSouthWest(), map.getMaxZoom())) < 2;
            if (tiny || map.getZoom() >= map.getMaxZoom()) {  // a stack at one place: list it beside the map
                report(e, c[0], c[1], {cell: [c[6], c[5], c[8], c[7]], count: c[2]});
            } else {
                e.latlng = null;
                map.flyToBounds(b.pad(0.05), {maxZoom: map.getMaxZoom(), duration: 0.6});
            }
        });
        group.addLayer(m);
    });
    {% if this.legend %}
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
        var div = L.DomUtil.create("div", "cem-legend");
        div.innerHTML = {{ this.legend }};
        L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
        var box = div.querySelector("details");
        try { if (window.sessionStorage.getItem("cem-legend") === "closed") { box.open = false; } } catch (err) {}
        box.addEventListener("toggle", function () {
            try { window.sessionStorage.setItem("cem-legend", box.open ? "open" : "closed"); } catch (err) {}
        });
        return div;
    };
    group.on("add", function () { legend.addTo(group._map); });
    group.on("remove", function () { legend.remove(); });
    {% endif %}
    // Reopen the selected event's popup in this redraw, where the event is in view; never move the map for it
    // (markercluster's zoomToShowLayer pans to circle markers every time, which would undo the user's pan).
    var select = function () {
        var m = cfg.selected && markers[cfg.selected];
        if (!m || !group._map) { return; }
        if (singles._inZoomAnimation) { singles.once("animationend", select); return; }
        var open = function () {
            if (group._map && map.hasLayer(m) && !m.isPopupOpen()) { unfaded(map, function () { m.openPopup(); }); }
        };
        if (map.hasLayer(m)) { open(); return; }
        var stack = m.__parent;  // drawn inside a numbered circle: open the circle's spider, then the popup
        while (stack && !stack._icon) { stack = stack.__parent; }
        if (stack && map.getBounds().contains(stack.getLatLng())) { singles.once("spiderfied", open); stack.spiderfy(); }
    };
    // A fit keeps the events clear of the legend in the bottom-right corner: centred as usual when they miss it
    // anyway, else out of the strip beside it or the strip above it, whichever costs less zoom.
    var fitPadding = function (bounds) {
        // (sizes, not positions: the controls may not be laid out in their corners yet)
        var tl = L.point(30, 30), plain = {paddingTopLeft: tl, paddingBottomRight: L.point(30, 30)};
        var el = map.getContainer().querySelector(".cem-legend"), size = map.getSize();
        if (!el || !el.offsetWidth) { return plain; }
        var legend = L.bounds([size.x - el.offsetWidth - 10, size.y - el.offsetHeight - 26], size);
        var z = Math.min(12, map.getBoundsZoom(bounds, false, L.point(60, 60)));
        var half = map.project(bounds.getNorthEast(), z).subtract(map.project(bounds.getSouthWest(), z)).divideBy(2);
        var mid = size.divideBy(2), box = L.bounds(mid.add([-half.x, half.y]), mid.add([half.x, -half.y]));
        if (!box.intersects(legend)) { return plain; }
        var beside = L.point(el.offsetWidth + 20, 30), above = L.point(30, el.offsetHeight + 36);  // margins, attribution
        var zoom = function (br) {
            var pad = tl.add(br);
            return pad.x > size.x / 2 || pad.y > size.y / 2 ? -1 : map.getBoundsZoom(bounds, false, pad);
        };
        var best = zoom(beside) >= zoom(above) ? beside : above;
        return zoom(best) < 0 ? plain : {paddingTopLeft: tl, paddingBottomRight: best};
    };
    var instruct = function (tries) {
        // streamlit-folium may run this before its frame has a height: a fit on a 0 px map zooms to the
        // limit somewhere. Wait until the map has its size, then move it once.
        map.invalidateSize({pan: false});
        var size = map.getSize();
        if ((size.x < 8 || size.y < 8) && tries < 100) { setTimeout(function () { instruct(tries + 1); }, 100); return; }
        if (cfg.view) {
            map.setView(cfg.view.slice(0, 2), cfg.view[2], {animate: false});
        } else if (cfg.fit) {
            map.fitBounds(cfg.fit, L.extend({maxZoom: 12, animate: false}, fitPadding(L.latLngBounds(cfg.fit))));
        } else if (cfg.fly) {
            map.flyTo(cfg.fly.slice(0, 2), cfg.fly[2], {duration: 0.8});
        }
        if (cfg.fly) { map.once("moveend", function () { whenLoaded(select); }); } else { whenLoaded(select); }
    };
    // A redraw swaps this group for the next one, which reopens the selected event's popup. Leaflet fades a closed
    // popup out over 200 ms and a new one in: the old and the new popup would both be on the map for a moment.
    // So this group's popups and tooltips leave at once, and the reopened popup is simply there.
    var unfaded = function (on, f) {
        var fade = on._fadeAnimated;
        on._fadeAnimated = false;
        try { f(); } finally { on._fadeAnimated = fade; }
    };
    var onRemove = group.onRemove;
    group.onRemove = function (on) { var self = this; unfaded(on, function () { onRemove.call(self, on); }); };
    group.on("add", function () { map = group._map; instruct(0); });
    return group;
})();
{% endmacro %}
"""


class ViewLayer(JSCSSMixin, Layer):
    """The features of one view (cells and single events) plus the view instruction and the legend."""

    _template = Template(_VIEW_JS)

    def __init__(self, cells: pd.DataFrame, singles: pd.DataFrame, *, weapons: list[str], base_url: str,
                 selected: str | None = None, view: tuple[float, float, float] | None = None,
                 fit: tuple[float, float, float, float] | None = None,
                 fly: tuple[float, float, float] | None = None, memo: dict | None = None) -> None:
        super().__init__(name="Events", overlay=True, control=False)
        self._name = "ViewLayer"
        self.default_js = resolve(CLUSTER_JS, base_url)
        self.default_css = resolve(CLUSTER_CSS, base_url)
        many = cells[cells["count"] > 1]
        self.data = view_data(many, singles, memo)
        config = {"colors": WEAPON_COLORS, "fallback": FALLBACK_COLOR, "selected": selected,
                  "view": list(view) if view else None, "fly": list(fly) if fly else None,
                  "fit": [[fit[1], fit[0]], [fit[3], fit[2]]] if fit else None}
        self.config = script_safe_json(config)
        self.legend = script_safe_json(legend_html(weapons, aggregated=bool(len(many)))) if weapons else ""


#: Views whose data a memo keeps (each at most a few MB: ~5,000 features).
MEMO_VIEWS = 64


def view_data(cells: pd.DataFrame, singles: pd.DataFrame, memo: dict | None = None) -> str:
    """The JSON of a view's cells and single events. With ``memo`` (a dict kept with the filtered events), a view
    already drawn for any session is not written again: its popups are most of the cost of a redraw."""
    if memo is None:
        return script_safe_json({"events": event_records(singles), "cells": cell_records(cells)})
    digest = hashlib.blake2b("\0".join(singles["event_id"].astype("str")).encode(), digest_size=16)
    for column in ("lon", "lat", "count"):
        digest.update(cells[column].to_numpy(dtype=float).tobytes())
    key = ("view_data", digest.hexdigest())
    data = memo.get(key)
    if data is None:
        data = memo[key] = view_data(cells, singles)
        # list(memo) copies the keys in one step: sessions on other threads add views to the same memo.
        kept = [k for k in list(memo) if isinstance(k, tuple) and k[:1] == ("view_data",)]
        for old in kept[:-MEMO_VIEWS]:  # dicts keep insertion order: the oldest views go first
            memo.pop(old, None)
    return data


def event_records(events: pd.DataFrame) -> list[list]:
    """[lat, lon, radius, weapon, popup html, tooltip html, event_id] per event, big circles first."""
    if not len(events):
        return []
    text = popup_table(events)
    geoms = events.geometry
    lat, lon = geoms.y.to_numpy().round(6), geoms.x.to_numpy().round(6)
    radius = marker_radius(events["fatalities"])
    weapons = events["weapon_type"].astype("str").to_numpy()
    ids = events["event_id"].astype("str").to_numpy()
    order = np.lexsort((ids, -radius))
    popups, tips = text["popup"].to_numpy(), text["tooltip"].to_numpy()
    return [[float(lat[i]), float(lon[i]), float(radius[i]), str(weapons[i]), popups[i], tips[i], str(ids[i])]
            for i in order]


def cell_records(cells: pd.DataFrame) -> list[list]:
    """[lat, lon, count, weapon, tooltip, south, west, north, east] per cell (extent = the cell's point if absent)."""
    if not len(cells):
        return []
    lon, lat = cells["lon"].to_numpy(dtype=float), cells["lat"].to_numpy(dtype=float)
    ext = {k: cells[k].to_numpy(dtype=float) if k in cells else (lon if k in ("west", "east") else lat)
           for k in ("west", "south", "east", "north")}
    summary = cells["summary"] if "summary" in cells else pd.Series([""] * len(cells), index=cells.index)
    fat = pd.to_numeric(cells["fatalities"], errors="coerce").fillna(0).astype(int).to_numpy()
    tips = [escape_text(s) if s else escape_text(f"{int(n):,} events; {f:,} killed")
            for s, n, f in zip(summary, cells["count"], fat)]
    tips = [t + "<br><i>Click to zoom in</i>" for t in tips]
    rows = zip(lat.round(6), lon.round(6), cells["count"].astype(int), cells["weapon_type"].astype("str"), tips,
               ext["south"], ext["west"], ext["north"], ext["east"])
    return [[float(a), float(o), int(n), w, t, float(s), float(wst), float(nn), float(e)]
            for a, o, n, w, t, s, wst, nn, e in rows]


def legend_html(weapons: list[str], *, aggregated: bool) -> str:
    """A collapsible legend of the weapons shown (our own constants and labels, escaped)."""
    rows = "".join(
        f'<div data-weapon="{escape_text(w)}" class="cem-key"><span class="cem-dot" '
        f'style="background:{escape_text(WEAPON_COLORS.get(w, FALLBACK_COLOR))}"></span>'
        f"{escape_text(weapon_label(w))}</div>" for w in weapons)
    note = ("Numbered circles: groups of events, coloured by their main weapon; click one to zoom in."
            if aggregated else "Circle size: fatalities. A numbered circle holds events at one place: click it.")
    keys = "cem-keys cem-two" if len(weapons) > 6 else "cem-keys"  # many weapons: two columns, so the legend fits
    return (f'<details open><summary>Legend</summary><div class="cem-legend-body"><div class="{keys}">{rows}</div>'
            f'<div class="cem-note">{note}</div></div></details>')


#: Styles of the drill-down layer (cells, stacks, legend), written once into the base map.
LAYER_CSS = (
    ".cem-cluster div{border-radius:50%;color:#fff;font:600 11px/1 'Helvetica Neue',Arial,sans-serif;"
    "text-align:center;border:2px solid rgba(255,255,255,.85);box-shadow:0 0 0 1px rgba(0,0,0,.45);"
    "text-shadow:0 0 2px rgba(0,0,0,.8);opacity:.9}"
    ".cem-legend{background:rgba(255,255,255,.94);padding:4px 8px;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 'Helvetica Neue',Arial,sans-serif;max-width:200px}"
    ".cem-legend summary{font-weight:bold;cursor:pointer}.cem-legend-body{max-height:40vh;overflow-y:auto}"
    ".cem-two{display:grid;grid-template-columns:auto auto;column-gap:10px}"
    ".cem-legend:has(.cem-two){max-width:290px}"
    ".cem-key{white-space:nowrap}.cem-dot{display:inline-block;width:11px;height:11px;border-radius:50%;"
    "border:1px solid #333;margin-right:6px;vertical-align:-1px}.cem-note{color:#555;margin-top:3px}"
)


def view_group(layer: ViewLayer, *extra: folium.MacroElement) -> folium.FeatureGroup:
    """The feature group that streamlit-folium swaps in on every view change."""
    group = folium.FeatureGroup(name="Events", control=False)
    layer.add_to(group)
    for element in extra:
        element.add_to(group)
    return group
