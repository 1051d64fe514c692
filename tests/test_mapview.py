"""geo.webmap.mapview: layers, markers, colours, legend, bounds, escaping and offline resources."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import pytest
from map_fixtures import (
    BACKSLASH_BACKTICK,
    IMG_ONERROR,
    JS_URL,
    SAFE_URLS,
    SCRIPT_BREAK,
    TEMPLATE_EXPR,
    sample_events,
)

from geo.webmap import assets as webassets, basemap_layers, mapview, popups
from geo.schema import WEAPON_COLORS, empty_events

# An attribute or CSS url() that would make the browser fetch from another host.
OUTSIDE_LINK = re.compile(r"""(?:\bsrc|\bhref)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                          re.IGNORECASE)  # fmt: skip


@pytest.fixture(scope="module")
def events():
    return sample_events()


@pytest.fixture(scope="module")
def fmap(events):
    return mapview.build_map(events)


@pytest.fixture(scope="module")
def page(fmap):
    return fmap.get_root().render()


def children(m: folium.Map, cls: type) -> list:
    return [c for c in m._children.values() if isinstance(c, cls)]


def test_layers_in_drawing_order(fmap):
    kinds = [type(c).__name__ for c in fmap._children.values()]
    assert kinds.index("_Runtime") < kinds.index("_StyleLayer") < kinds.index("_EventLayer") < kinds.index("_Legend")
    assert not children(fmap, folium.TileLayer), "no tile layer: tiles need the internet"


def test_zoom_limits_reach_leaflet(fmap):
    # folium drops min_zoom/max_zoom when tiles=None; MarkerCluster needs maxZoom on the map.
    assert fmap.options["minZoom"] == 2 and fmap.options["maxZoom"] == 18


def test_basemap_is_embedded_countries(fmap, page):
    (basemap,) = children(fmap, basemap_layers._Runtime)
    data = json.loads(basemap.embedded)["countries"]
    assert data["type"] == "FeatureCollection" and len(data["features"]) > 200
    assert "interactive: false" in page  # so only events count as leaflet-interactive paths
    assert webassets.BASEMAP_PATH.stat().st_size < 1_500_000


def test_one_marker_per_event_with_weapon_colour(events, fmap):
    (layer,) = children(fmap, mapview._EventLayer)
    assert len(layer.records) == len(events)
    by_position = {(r[0], r[1]): r for r in layer.records}
    for point, weapon in zip(events.geometry, events["weapon_type"]):
        record = by_position[(point.y, point.x)]  # [lat, lon]: the swap happened once, correctly
        assert record[3] == WEAPON_COLORS[weapon]


def test_radius_grows_with_fatalities_and_null_is_smallest():
    import pandas as pd

    radius = popups.marker_radius(pd.Series([None, 0, 1, 10, 100, 100000], dtype="Int64"))
    assert radius[0] == radius[1] == popups.MIN_RADIUS
    assert list(radius[1:]) == sorted(radius[1:]) and radius[-1] == popups.MAX_RADIUS


def test_popup_content(fmap):
    (layer,) = children(fmap, mapview._EventLayer)
    popups = {r[5].split(" &middot; ")[-1]: r[4] for r in layer.records}
    rocket = popups["Test town 2"]
    for text in ("2021-07-08 to 2021-07-09", "Rocket", "intercepted", "Test actor B (unknown)",
                 "Fatalities:</b> 3", "A plain test event."):  # fmt: skip
        assert text in rocket
    assert "Fatalities:</b> unknown" in next(p for p in popups.values() if "Erbil" in p)
    assert "(to within a month)" in popups["Test town 3"]
    assert f'<a href="{SAFE_URLS[1]}" target="_blank" rel="noopener noreferrer">' in rocket


def test_legend_lists_exactly_the_weapons_present(fmap, page):
    (legend,) = children(fmap, mapview._Legend)
    assert legend.weapons == ("drone", "rocket", "ied")  # vocabulary order, each once
    assert re.findall(r'data-weapon=\\"([a-z_]+)\\"', page) == ["drone", "rocket", "ied"]
    assert not re.search(r"d3(\.v\d)?(\.min)?\.js", page)  # no branca colour map: it pulls d3 from a CDN


def test_view_fits_the_events(events, fmap):
    (fit,) = children(fmap, folium.FitBounds)
    minx, miny, maxx, maxy = events.total_bounds
    assert fit.bounds == [[miny, minx], [maxy, maxx]]
    assert fmap.get_bounds() == [[miny, minx], [maxy, maxx]]


def test_empty_events_give_the_default_view():
    m = mapview.build_map(empty_events())
    assert not children(m, folium.FitBounds) and not children(m, mapview._Legend)
    assert m.location == [34.5, 41.5]
    m.get_root().render()


@pytest.mark.parametrize(
    "raw, forbidden",
    [
        (SCRIPT_BREAK, ["<", ">"]),
        (TEMPLATE_EXPR, ["$"]),
        (BACKSLASH_BACKTICK, ["\\", "`"]),
        (IMG_ONERROR, ["<", '"']),
        ("O'Brien & co", ["'", "& "]),
    ],
    ids=["script-break", "template-expr", "backslash-backtick", "img-onerror", "quote-amp"],
)
def test_escape_text(raw, forbidden):
    out = popups.escape_text(raw)
    for char in forbidden:
        assert char not in out
    import html

    assert html.unescape(out) == raw  # nothing lost: the browser shows the original text


@pytest.mark.parametrize("value", [None, float("nan")], ids=["none", "nan"])
def test_escape_text_null_is_empty(value):
    assert popups.escape_text(value) == ""


def test_payloads_appear_only_escaped(page):
    script = page[page.rindex("<script>"):]
    for payload in (SCRIPT_BREAK, TEMPLATE_EXPR, BACKSLASH_BACKTICK, IMG_ONERROR, "<b>Pub</b>"):
        assert payload not in page
    # linked scripts, folium's L_NO_TOUCH switch, the map script: nothing in event text ended a block
    linked = page.count("<script src=")
    assert page.count("</script>") == page.count("<script") == linked + 2
    assert "${window" not in script and "`" not in script and "onerror=" not in script.replace("onerror=&quot;", "")
    assert "javascript:" not in page  # the javascript: source shows as plain text, without its URL


def test_unsafe_source_urls_are_not_links():
    assert popups._sources_html(json.dumps([{"publisher": "p", "url": JS_URL}])) == "<div><b>Sources</b>" \
        '<ul class="cem-src"><li>p</li></ul></div>'
    for url in (JS_URL, "data:text/html,x", "//example.org/x", "https://exa mple.org", "ftp://example.org",
                "https:///nohost", " JAVASCRIPT:alert(1)"):  # fmt: skip
        assert popups.safe_url(url) is None, url
    assert popups.safe_url("HTTPS://example.org/x") == "HTTPS://example.org/x"


def test_no_outside_resources_in_rendered_map(page):
    assert not OUTSIDE_LINK.search(page)
    for url in SAFE_URLS:  # event source links, HTML-escaped inside a JSON string
        page = page.replace(url.replace("&", "&amp;"), "")
    assert not re.search(r"https?://", page)
    for dropped in ("jquery", "bootstrap", "awesome", "font-awesome", "glyphicons"):
        assert dropped not in page.lower()


def test_app_base_url():
    m = mapview.build_map(sample_events(), asset_base_url="/app/static/", cluster=True)
    page = m.get_root().render()
    for rel in ("leaflet/leaflet.js", "leaflet/leaflet.css", "markercluster/leaflet.markercluster.js",
                "markercluster/MarkerCluster.css", "markercluster/MarkerCluster.Default.css"):  # fmt: skip
        assert f'"/app/static/{rel}"' in page
        assert (webassets.WEB_DIR / rel).is_file()
    assert "L.markerClusterGroup" in page


@pytest.mark.parametrize("cluster", [False, True], ids=["plain", "cluster"])
def test_standalone_html_inlines_everything(events, cluster):
    out = mapview.standalone_html(mapview.build_map(events, asset_base_url="/app/static", cluster=cluster))
    # Inside scripts, Leaflet's own code names URLs (its attribution link, the SVG namespace);
    # outside them nothing may point elsewhere.
    assert not OUTSIDE_LINK.search(re.sub(r"<script>.*?</script>", "", out, flags=re.DOTALL))
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", out, re.IGNORECASE)
    assert "/app/static" not in out and "sourceMappingURL" not in out
    assert 'url("data:image/png;base64,' in out  # leaflet.css images
    assert ("markerClusterGroup = function" in out or "markerClusterGroup=function" in out) == cluster


def test_standalone_html_refuses_unvendored_resources(events):
    m = mapview.build_map(events)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(ValueError, match="not a vendored asset"):
        mapview.standalone_html(m)


def test_use_offline_assets_is_idempotent(monkeypatch):
    for cls in (folium.Map, folium.plugins.MarkerCluster):
        monkeypatch.setattr(cls, "default_js", cls.default_js)
        monkeypatch.setattr(cls, "default_css", cls.default_css)
    mapview.use_offline_assets("/app/static")
    first = (folium.Map.default_js, folium.Map.default_css, folium.plugins.MarkerCluster.default_js)
    mapview.use_offline_assets("/app/static")
    assert (folium.Map.default_js, folium.Map.default_css, folium.plugins.MarkerCluster.default_js) == first
    assert folium.Map.default_js == [("leaflet", "/app/static/leaflet/leaflet.js")]
    m = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)
    assert not OUTSIDE_LINK.search(m.get_root().render())


def test_build_map_leaves_folium_classes_alone(events):
    before = list(folium.Map.default_js)
    mapview.build_map(events, asset_base_url="/app/static")
    assert folium.Map.default_js == before
