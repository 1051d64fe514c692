"""Time playback on the web map: the view's features redrawn frame by frame in the browser (no rerun per frame).

Python sends the features of the view once with their event counts per frame (sparse triplets from
:func:`geo.webmap.viewport.frame_counts`, frames from :mod:`geo.timeline`); the browser sums the frames that
frame ``k`` shows (window or cumulative) and resizes circles on one canvas. A play/pause button, a slider and
the date sit in a control on the map; the current frame survives a pan (sessionStorage).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from folium.map import Layer
from folium.template import Template

from geo.schema import WEAPON_COLORS
from geo.webmap.assets import script_safe_json
from geo.webmap.layers import FALLBACK_COLOR


class PlaybackLayer(Layer):
    """Circles of the view's features, sized by the events each holds in the frames shown."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var cfg = {{ this.config }};
            var group = L.featureGroup(), renderer = L.canvas({padding: 0.3});
            var nf = cfg.features.length, F = cfg.labels.length, t = cfg.triplets;
            var offsets = new Int32Array(F + 1), i;  // triplets come sorted by frame
            for (i = 0; i < t.length; i += 3) { offsets[t[i + 1] + 1] += 1; }
            for (i = 0; i < F; i++) { offsets[i + 1] += offsets[i]; }
            var marks = cfg.features.map(function (f) {
                var m = L.circleMarker([f[0], f[1]], {renderer: renderer, radius: 0, weight: 1, color: "#222",
                    opacity: 0, fillOpacity: 0, fillColor: cfg.colors[f[2]] || cfg.fallback, interactive: false});
                group.addLayer(m);
                return m;
            });
            var shown = new Float64Array(nf), state = window.cemPlayback = window.cemPlayback || {drawn: 0};
            var key = "cem-playback-" + cfg.signature, k = 0, playing = false, timer = null, ui = null;
            try { var saved = JSON.parse(window.sessionStorage.getItem(key) || "null");
                  if (saved) { k = Math.min(saved.k, F - 1); playing = saved.playing; } } catch (e) {}
            function draw(frame) {
                var t0 = performance.now();
                k = Math.max(0, Math.min(F - 1, frame));
                var counts = new Float64Array(nf), lo = cfg.mode === "cumulative" ? 0 : Math.max(0, k - cfg.window + 1);
                var total = 0;
                for (var j = offsets[lo] * 3; j < offsets[k + 1] * 3; j += 3) { counts[t[j]] += t[j + 2]; total += t[j + 2]; }
                for (var f = 0; f < nf; f++) {
                    if (counts[f] === shown[f]) { continue; }
                    var r = counts[f] > 0 ? Math.min(28, 3.5 + 2.2 * Math.sqrt(counts[f])) : 0;
                    marks[f].setStyle({opacity: r ? 0.9 : 0, fillOpacity: r ? 0.75 : 0});
                    marks[f].setRadius(r);
                    shown[f] = counts[f];
                }
                if (ui) {
                    ui.slider.value = k;
                    ui.date.textContent = cfg.labels[k] || "";
                    ui.count.textContent = total.toLocaleString("en") + (total === 1 ? " event" : " events");
                }
                state.ms = (state.ms || 0) + performance.now() - t0;  // summing counts and resizing circles
                state.drawn += 1; state.frame = k; state.label = cfg.labels[k]; state.total = total;
                try { window.sessionStorage.setItem(key, JSON.stringify({k: k, playing: playing})); } catch (e) {}
            }
            function setPlaying(on) {
                playing = on && F > 1;
                if (ui) { ui.button.textContent = playing ? "\u23f8" : "\u25b6";
                          ui.button.title = playing ? "Pause" : "Play"; }
                if (timer) { clearInterval(timer); timer = null; }
                if (playing) { timer = setInterval(function () { draw((k + 1) % F); }, 1000 / cfg.fps); }
                state.playing = playing;
            }
            var control = L.control({position: "topright"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "cem-playback leaflet-bar");
                div.innerHTML = '<button type="button" class="cem-play"></button>' +
                    '<input type="range" class="cem-slider" min="0" step="1">' +
                    '<div class="cem-when"><b class="cem-date"></b> <span class="cem-count"></span></div>';
                L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
                ui = {button: div.querySelector(".cem-play"), slider: div.querySelector(".cem-slider"),
                      date: div.querySelector(".cem-date"), count: div.querySelector(".cem-count")};
                ui.slider.max = Math.max(F - 1, 0);
                ui.button.addEventListener("click", function () { setPlaying(!playing); });
                ui.slider.addEventListener("input", function () { setPlaying(false); draw(+ui.slider.value); });
                return div;
            };
            group.on("add", function () { control.addTo(group._map); setPlaying(playing); draw(k); });
            group.on("remove", function () { setPlaying(false); control.remove(); });
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, cells: pd.DataFrame, triplets: np.ndarray, labels: list[str], *, mode: str, window: int,
                 fps: float) -> None:
        super().__init__(name="Playback", overlay=True, control=False)
        self._name = "PlaybackLayer"
        order = np.argsort(triplets[:, 1], kind="stable") if len(triplets) else np.zeros(0, dtype=int)
        self.triplets = triplets[order]
        self.features = [[round(float(a), 6), round(float(o), 6), str(w)] for a, o, w in
                         zip(cells["lat"], cells["lon"], cells["weapon_type"].astype("str"))]
        self.labels = labels
        config = {"features": self.features, "triplets": self.triplets.ravel().tolist(), "labels": labels,
                  "mode": mode, "window": int(window), "fps": float(fps), "colors": WEAPON_COLORS,
                  "fallback": FALLBACK_COLOR, "signature": f"{len(labels)}-{labels[0] if labels else ''}-{mode}"}
        self.config = script_safe_json(config)


#: Styles of the playback control.
PLAYBACK_CSS = (
    ".cem-playback{background:rgba(255,255,255,.95);padding:6px 8px;display:flex;align-items:center;gap:8px;"
    "font:12px/1.3 'Helvetica Neue',Arial,sans-serif}.cem-play{width:30px;height:30px;font-size:15px;"
    "cursor:pointer;border:1px solid #888;border-radius:4px;background:#fff}.cem-slider{width:180px}"
    ".cem-when{min-width:150px}.cem-date{font-size:13px}.cem-count{color:#555}"
)
