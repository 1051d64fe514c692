// The offline basemap's runtime (geo/webmap/basemap_layers.py inlines it into the map script; nothing is fetched
// from outside). cemBasemap(map, config) loads the layer files once, switches styles, and places the labels of
// the visible places, rivers and provinces greedily, biggest first, never one over another.
function cemBasemap(map, config) {
    var cache = {};
    var kinds = {};
    var labels = L.layerGroup();
    var panes = {"cem-basemap": 250, "cem-relief": 255, "cem-water": 260, "cem-admin": 270, "cem-labels": 390};
    Object.keys(panes).forEach(function (name) {
        if (!map.getPane(name)) { map.createPane(name).style.zIndex = panes[name]; }
    });
    map.getPane("cem-labels").style.pointerEvents = "none";
    labels.addTo(map);

    function load(name) {
        if (!cache[name]) {
            cache[name] = config.embedded ? Promise.resolve(config.embedded[name]) :
                fetch(config.urls[name]).then(function (r) {
                    if (!r.ok) { throw new Error(name + ": HTTP " + r.status); }
                    return r.json();
                });
        }
        return cache[name];
    }

    var api = {style: config.style, load: load, styles: config.styles, detail: config.detail};
    api.colours = function () { return config.styles[api.style] || config.styles.light; };
    api.setStyle = function (name) {
        api.style = name;
        var c = map.getContainer();
        c.style.background = api.colours().sea;
        Object.keys(config.styles).forEach(function (s) { c.classList.toggle("cem-style-" + s, s === name); });
        map.fire("cemstyle");
    };
    api.onZoom = function (layer, fn) {  // run fn while layer is on the map, at once and after each zoom or style
        layer.on("add", function () { map.on("zoomend cemstyle", fn); fn(); });
        layer.on("remove", function () { map.off("zoomend cemstyle", fn); });
    };

    // --- labels ---------------------------------------------------------------------------------
    api.labels = function (kind, layer, rows) {
        rows.forEach(function (r) { if (r.maxZoom === undefined) { r.maxZoom = 99; } });
        kinds[kind] = {rows: rows, on: false};
        layer.on("add", function () { kinds[kind].on = true; relabel(); });
        layer.on("remove", function () { kinds[kind].on = false; relabel(); });
        if (map.hasLayer(layer)) { kinds[kind].on = true; relabel(); }
    };

    function candidates(z, bounds) {
        var out = [];
        Object.keys(kinds).forEach(function (kind) {
            if (!kinds[kind].on) { return; }
            kinds[kind].rows.forEach(function (r) {
                if (z < r.minZoom || z > r.maxZoom || !bounds.contains([r.lat, r.lon])) { return; }
                out.push(r);
            });
        });
        return out.sort(function (a, b) { return a.rank - b.rank || b.weight - a.weight; });
    }

    function overlaps(box, boxes) {
        for (var i = 0; i < boxes.length; i++) {
            var o = boxes[i];
            if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return true; }
        }
        return false;
    }

    // Width of a label as drawn (the CSS of basemap_layers.py): font, case and letter spacing per kind.
    var ctx = document.createElement("canvas").getContext("2d");
    var FONTS = {c: ["600 12px", 2, true], p: ["10px", 1, true], r: ["italic 11px", 0.5, false],
                 l: ["bold 13px", 0, false], m: ["12px", 0, false], s: ["11px", 0, false]};
    function width(r) {
        var f = FONTS[r.size] || FONTS.s;
        ctx.font = f[0] + " 'Helvetica Neue', Arial, sans-serif";
        var text = f[2] ? r.text.toUpperCase() : r.text;
        return ctx.measureText(text).width + f[1] * text.length;
    }

    function relabel() {
        labels.clearLayers();
        var z = map.getZoom(), boxes = [], size = map.getSize();
        // Map controls (zoom, layers, legend, scale) are boxes too: no label under them.
        map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
            var r = el.getBoundingClientRect(), m = map.getContainer().getBoundingClientRect();
            boxes.push([r.left - m.left, r.top - m.top, r.right - m.left, r.bottom - m.top]);
        });
        candidates(z, map.getBounds()).forEach(function (r) {
            var p = map.latLngToContainerPoint([r.lat, r.lon]);
            var w = width(r) + 4, h = r.px + 4, box;
            if (r.kind === "place") {
                box = [p.x - 3, p.y - h / 2, p.x + 6 + w, p.y + h / 2];
            } else {
                var a = Math.abs(r.angle) * Math.PI / 180;
                var bw = w * Math.cos(a) + h * Math.sin(a), bh = w * Math.sin(a) + h * Math.cos(a);
                box = [p.x - bw / 2, p.y - bh / 2, p.x + bw / 2, p.y + bh / 2];
            }
            if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y || overlaps(box, boxes)) { return; }
            boxes.push(box);
            var el = document.createElement("div");
            el.className = "cem-label cem-label-" + r.kind + " cem-size-" + r.size;
            var text = document.createElement("span");
            text.textContent = r.text;  // text, never HTML
            if (r.kind === "place") {
                var dot = document.createElement("i");
                el.appendChild(dot);
            } else {
                text.style.transform = "translate(-50%, -50%) rotate(" + (-r.angle) + "deg)";
            }
            el.appendChild(text);
            labels.addLayer(L.marker([r.lat, r.lon], {
                pane: "cem-labels", interactive: false, keyboard: false,
                icon: L.divIcon({className: "cem-label-icon", html: el, iconSize: [0, 0], iconAnchor: [0, 0]})
            }));
        });
        map.fire("cemlabels", {count: labels.getLayers().length});
    }
    api.placed = function () {  // what the last pass drew: for tests and for the curious
        return labels.getLayers().map(function (m) { return m.getElement() && m.getElement().textContent; });
    };
    map.on("zoomend moveend resize", relabel);
    // Country names belong to every style: always on, from zoom 2 to 7.
    load("labels").then(function (d) {
        kinds.country = {on: true, rows: d.rows.filter(function (r) { return r[5] === "country"; }).map(function (r) {
            return {lon: r[0], lat: r[1], text: r[2], minZoom: r[3], maxZoom: 7, angle: 0, kind: "country",
                    rank: -1, weight: 0, px: 12, size: "c"};
        })};
        relabel();
    });
    api.relabel = relabel;
    return api;
}
