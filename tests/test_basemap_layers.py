"""geo.webmap.basemap_layers and the built basemap assets: files, layers in the page, nothing online by default,
labels placed without overlap in a real browser."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
import shapely
from map_fixtures import SAFE_URLS, sample_events
from test_browser import CHROMIUM, browser, offline_page  # noqa: F401  (fixtures shared with the map tests)

from geo.webmap import basemap_layers, mapview

BASEMAP = basemap_layers.BASEMAP_DIR
OFFLINE_NAMES = ["Light (offline)", "Dark (offline)", "Terrain (offline)"]
OVERLAYS = ["Rivers and lakes", "Provinces", "Places"]


def control_layers(page: str) -> tuple[list[str], list[str]]:
    """(base layer names, overlay names) of the page's layer control."""
    block = page[page.index("base_layers : {"):page.index("L.control.layers(")]
    base, overlays = block.split("overlays :")
    names = lambda text: re.findall(r'"([^"]+)"\s*:', text)  # noqa: E731
    return names(base), names(overlays)


def added_layers(page: str) -> set[str]:
    """Variable names of the layers the page adds to the map when it opens."""
    return set(re.findall(r"(\w+)\.addTo\(map_\w+\)", page))


# --- the built files ------------------------------------------------------------------------------


def test_every_layer_file_is_small_and_in_the_manifest():
    manifest = basemap_layers.manifest()
    files = manifest["files"]
    assert set(files) >= {"countries.geojson", "borders.geojson", "admin1.geojson", "rivers.geojson",
                          "lakes.geojson", "places.json", "labels.json", "terrain.jpg"}
    for name, size in files.items():
        assert (BASEMAP / name).stat().st_size == size, name  # the committed file is the one built
        assert size < 5_000_000, name
    assert sum(files.values()) < 5_000_000


def test_rivers_of_the_region_are_there_and_named():
    rivers = gpd.read_file(BASEMAP / "rivers.geojson")
    iraq_middle = shapely.box(43.5, 32.5, 45.0, 34.0)  # between Baghdad and the Euphrates at Fallujah
    assert (rivers[rivers["rank"] == 1].intersects(iraq_middle)).sum() >= 2  # Tigris and Euphrates
    labels = json.loads((BASEMAP / "labels.json").read_text())["rows"]
    named = {r[2] for r in labels if r[5] == "river"}
    assert {"Tigris", "Euphrates"} <= named
    for lon, lat, name, *_ in (r for r in labels if r[5] == "river"):  # each name sits on a river line
        assert rivers.distance(shapely.Point(lon, lat)).min() < 0.01, name


def test_provinces_and_places_of_iraq():
    labels = json.loads((BASEMAP / "labels.json").read_text())["rows"]
    provinces = {r[2] for r in labels if r[5] == "province" and 38 < r[0] < 49 and 29 < r[1] < 38}
    assert {"Al-Anbar", "Ninawa", "Baghdad", "Al-Basrah"} <= provinces
    places = json.loads((BASEMAP / "places.json").read_text())
    iraq = {r[2]: r[3] for r in places["rows"] if r[4] == "IQ"}
    assert iraq["Baghdad"] > 5_000_000 and "Samarra" in iraq and len(iraq) > 60  # towns, not only cities
    assert all(not re.search(r"[\u0300-\u036f\u02bf\u2019]", name) for name in iraq)  # plain labels


def test_admin1_lines_do_not_run_along_country_borders():
    admin1 = gpd.read_file(BASEMAP / "admin1.geojson")
    borders = gpd.read_file(BASEMAP / "borders.geojson")
    iraq = borders[borders["iso3"] == "IRQ"].geometry.iloc[0]
    inside = admin1[admin1.intersects(iraq)]
    assert len(inside) > 10
    lines = inside.geometry.to_numpy()  # lengths in degrees: a ratio, so no projection needed
    near_border = shapely.length(shapely.intersection(lines, iraq.boundary.buffer(0.005))).sum()
    assert near_border < 0.02 * shapely.length(lines).sum()


# --- layers in the page ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def standalone_page():
    return mapview.build_map(sample_events()).get_root().render()


@pytest.fixture(scope="module")
def served_page():
    return mapview.build_map(sample_events(), asset_base_url="/app/static").get_root().render()


def test_layer_control_offers_styles_and_overlays(standalone_page, served_page):
    base, overlays = control_layers(standalone_page)
    assert base == OFFLINE_NAMES
    assert OVERLAYS == [o for o in overlays if o in OVERLAYS]
    base, _ = control_layers(served_page)
    assert base == OFFLINE_NAMES + ["OpenStreetMap (online)", "Satellite, Esri (online)"]


def test_only_the_light_style_and_the_overlays_open(served_page):
    names = re.findall(r"var (basemap_\w+|online_tiles_\w+) = ", served_page)
    opened = added_layers(served_page)
    assert [n for n in names if n.startswith("basemap_style_") and n in opened] == \
        [n for n in names if n.startswith("basemap_style_light")]
    assert not [n for n in names if n.startswith("online_tiles") and n in opened]  # never fetched unless picked
    assert all(n in opened for n in names if n.startswith(("basemap_water", "basemap_provinces", "basemap_places")))


def test_no_internet_address_by_default(standalone_page, served_page):
    for url in SAFE_URLS:  # event sources (escaped in popups) are links, not fetches
        standalone_page = standalone_page.replace(url.replace("&", "&amp;"), "")
        served_page = served_page.replace(url.replace("&", "&amp;"), "")
    assert not re.search(r"https?://", standalone_page)
    found = set(re.findall(r"https?://[^\"'\s]+", served_page))
    assert found == {url for _, url, _ in basemap_layers.ONLINE.values()}  # only the opt-in tile templates
    assert '"/app/static/basemap/rivers.geojson"' in served_page  # the app's own files, fetched once


def test_served_map_does_not_embed_the_data(standalone_page, served_page):
    assert len(served_page) < len(standalone_page) / 5
    assert '"Euphrates"' in standalone_page and '"Euphrates"' not in served_page


def test_unknown_style_is_refused():
    import folium

    with pytest.raises(ValueError, match="unknown basemap style"):
        basemap_layers.add_to(folium.Map(tiles=None), style="sepia")


# --- in a real browser ----------------------------------------------------------------------------


LABEL_BOXES = """() => Array.from(document.querySelectorAll('.cem-label span')).map(e => {
    const r = e.getBoundingClientRect(); return {text: e.textContent, box: [r.left, r.top, r.right, r.bottom]}; })"""


def _overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            if l1 < r2 - 1 and l2 < r1 - 1 and t1 < b2 - 1 and t2 < b1 - 1:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")
@pytest.mark.parametrize("zoom", [5, 7, 9], ids=lambda z: f"zoom{z}")
def test_labels_placed_without_overlap_and_offline(offline_page, tmp_path, zoom):  # noqa: F811
    page_file = tmp_path / "map.html"
    page_file.write_text(mapview.standalone_html(mapview.build_map(sample_events())), encoding="utf-8")
    page = offline_page
    page.goto(page_file.as_uri())
    page.wait_for_selector(".cem-label span", state="attached")
    page.evaluate(f"""() => {{ const m = window[Object.keys(window).find(k => k.startsWith('map_'))];
                              m.setView([33.34, 44.40], {zoom}, {{animate: false}}); }}""")
    page.wait_for_timeout(500)
    labels = page.evaluate(LABEL_BOXES)
    texts = {label["text"] for label in labels}
    assert "Baghdad" in texts, sorted(texts)
    if zoom >= 7:
        assert "Tigris" in texts or "Euphrates" in texts
    assert _overlapping(labels) == []
    legend = page.locator(".cem-legend").bounding_box()
    for label in labels:  # nothing written under the legend
        l, t, r, b = label["box"]
        assert r <= legend["x"] + 1 or l >= legend["x"] + legend["width"] - 1 or b <= legend["y"] + 1 \
            or t >= legend["y"] + legend["height"] - 1, label
    assert page.errors == [] and page.outside == [], (page.errors, page.outside)


def test_static_and_web_maps_share_one_colour_table():
    from geo.staticmap import basemap as static_basemap, snapshot

    table = basemap_layers.colours()
    assert tuple(table) == basemap_layers.STYLES == snapshot.STYLES
    assert static_basemap.styles() == table
    assert (snapshot.SEA, snapshot.LAND) == (table["light"]["sea"], table["light"]["land"])
