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


# --- the drill-down map: a fixed base map and one feature group per view ---------------------------------

import streamlit_folium  # noqa: E402

import geo  # noqa: E402


def _base_script() -> str:
    return streamlit_folium._get_map_string(geo.base_map(asset_base_url="/app/static"))


def test_base_map_is_the_same_on_every_rerun():
    # streamlit-folium remounts the map (losing the user's view) when this script changes
    assert streamlit_folium.generate_js_hash(_base_script(), "map") == \
        streamlit_folium.generate_js_hash(_base_script(), "map")
    m = geo.base_map(asset_base_url="/app/static")
    assert m.options["wheelPxPerZoomLevel"] == 120 and m.options["zoomSnap"] == 1  # one level per wheel notch
    assert not children(m, folium.TileLayer)


def _group_script(events, **kwargs) -> str:
    pts = geo.map_points(events)
    view = geo.View.fitting(pts.bounds())
    cells, singles = geo.view_features(events, pts, view)
    group = geo.view_group(cells, singles, weapons=geo.weapons_present(events), asset_base_url="/app/static",
                           **kwargs)
    return streamlit_folium._get_feature_group_string(group, geo.base_map(asset_base_url="/app/static"))


def test_view_group_holds_the_events_escaped(events):
    script = _group_script(events, selected="TEST-1")
    for payload in (SCRIPT_BREAK, TEMPLATE_EXPR, BACKSLASH_BACKTICK, IMG_ONERROR):
        assert payload not in script
    assert "</script" not in script and "${window" not in script
    for event_id in events["event_id"]:
        assert f'"{event_id}"' in script
    assert '"selected":"TEST-1"' in script
    assert 'data-weapon=\\"drone\\"' in script and 'data-weapon=\\"airstrike\\"' not in script  # legend = filter


def test_a_view_drawn_once_is_kept_for_the_next_session_and_the_memo_stays_bounded(events):
    from geo.webmap import layers

    pts = geo.map_points(events)
    cells, singles = geo.view_features(events, pts, geo.View.fitting(pts.bounds()))
    with_memo = _group_script(events, memo=pts.memo)
    assert with_memo == _group_script(events)  # the same map, whether or not the view was kept
    kept = [v for k, v in pts.memo.items() if k[0] == "view_data"]
    assert len(kept) == 1 and f'"{singles["event_id"].iloc[0]}"' in kept[0]
    again = layers.view_data(cells[cells["count"] > 1], singles, pts.memo)
    assert again is kept[0]  # another session on this view: the kept text itself, not written again
    for n in range(layers.MEMO_VIEWS + 5):  # other views (one single event each): the oldest go
        layers.view_data(cells.iloc[:0], singles.iloc[n % len(singles):][:1].assign(event_id=f"V{n}"), pts.memo)
    assert sum(k[0] == "view_data" for k in pts.memo) == layers.MEMO_VIEWS


def test_view_group_instruction_and_spider_leg_report(events):
    script = _group_script(events, instruction={"fly": (33.3, 44.4, 15)})
    assert '"fly":[33.3,44.4,15]' in script
    assert "_preSpiderfyLatlng" in script  # a spider leg reports its event's own place and id


def test_store_cells_feed_the_view_group(events):
    # the contract shape a store engine returns (INTERFACES.md), without this module's extra columns
    import pandas as pd

    cells = pd.DataFrame({"lon": [44.0, 42.0], "lat": [36.2, 33.0], "count": [1, 40],
                          "weapon_type": ["drone", "rocket"], "fatalities": [0, 12], "event_id": ["TEST-1", None]})
    singles = events[events["event_id"] == "TEST-1"]
    group = geo.view_group(cells, singles, weapons=["drone", "rocket"], asset_base_url="/app/static")
    script = streamlit_folium._get_feature_group_string(group, geo.base_map(asset_base_url="/app/static"))
    assert "40 events; 12 killed" in script and '"TEST-1"' in script


@pytest.mark.parametrize(("report", "ok"), [
    ({"bounds": {"_southWest": {"lat": 30, "lng": 40}, "_northEast": {"lat": 35, "lng": 46}}, "zoom": 7}, True),
    ({"bounds": {"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}, "zoom": 5}, False),
    (None, False),
], ids=["view", "no-bounds", "none"])
def test_view_from_what_the_browser_reports(report, ok):
    view = geo.View.from_report(report)
    assert (view is not None) == ok
    if ok:
        assert view.bounds == (40.0, 30.0, 46.0, 35.0) and view.zoom == 7


@pytest.mark.parametrize(("params", "expected"), [
    ({"view": "33.3,44.4,12", "event": "e-1"}, ((33.3, 44.4, 12), "e-1")),
    ({"weapon": "drone"}, (None, None)),
    ({"view": ["33.3,44.4,30"]}, ((33.3, 44.4, 18), None)),
], ids=["view-event", "none", "clamped"])
def test_view_link_params(params, expected):
    assert geo.read_view_params(params) == expected


@pytest.mark.parametrize("bad", ["33,44", "a,b,c", "95,44,3", "nan,1,3"])
def test_bad_view_link_is_a_filter_error(bad):
    with pytest.raises(geo.FilterError):
        geo.read_view_params({"view": bad})


def test_record_html_labels_and_links(events):
    html_text = geo.record_html(events.iloc[0])
    assert "<dt>Weapon</dt><dd>Drone</dd>" in html_text and "weapon_type" not in html_text
    assert f'<a href="{SAFE_URLS[0].replace("&", "&amp;")}" target="_blank" rel="noopener noreferrer">' in html_text
    assert "javascript:" not in html_text and "<b>Pub</b>" not in html_text and IMG_ONERROR not in html_text
    assert "Test town 1 &lt;img" in html_text  # full value, escaped


def test_feed_is_newest_first(events):
    rows = geo.feed_page(events, geo.feed_order(events), 0)
    assert rows["date"].tolist() == sorted(rows["date"], reverse=True)
    assert rows.loc[0, "event_id"] == "TEST-2" and rows.loc[0, "weapon"] == "Rocket"
