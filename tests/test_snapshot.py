"""Report maps (geo.staticmap, geo.report, `python -m geo snapshot`): pixels, legend, text, files, browser."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile

import numpy as np
import pyogrio
import pypdf
import pytest
from map_fixtures import SCRIPT_BREAK, TEMPLATE_EXPR, sample_events
from PIL import Image
from test_app import _navigation_like_the_server, open_app  # noqa: F401  (the app as the app tests run it)
from test_browser import CHROMIUM, browser, offline_page  # noqa: F401  (fixtures shared with the map tests)

import geo
from geo import cli, report
from geo.staticmap import snapshot
from geo.schema import WEAPON_COLORS, WEAPON_NAMES
from tests.conftest import ROOT, feature

GOLDEN = ROOT / "tests" / "data" / "snapshot" / "golden_square.png"
SMALL = snapshot.SnapshotOptions(size="square", dpi=40)

#: Three events far apart, one weapon each: (lon, lat, weapon, the country the point lies in).
PLACED = [(40.0, 35.0, "drone", "SYR"), (44.0, 33.0, "rocket", "IRQ"), (46.5, 31.0, "airstrike", "IRQ")]


@pytest.fixture
def placed(make_events):
    return make_events(*[feature(lon, lat, event_id=f"p-{i}", weapon_type=w, fatalities=None, country=c)
                         for i, (lon, lat, w, c) in enumerate(PLACED)])


def png_array(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


@pytest.mark.parametrize("size", list(snapshot.SIZES), ids=str)
@pytest.mark.parametrize("dpi", [72, 150], ids=lambda d: f"{d}dpi")
def test_png_has_the_page_size_and_dpi(placed, size, dpi):
    data = snapshot.snapshot_bytes(placed, fmt="png", options=snapshot.SnapshotOptions(size=size, dpi=dpi,
                                                                                       locator=False))
    image = Image.open(io.BytesIO(data))
    w_in, h_in = snapshot.SIZES[size]
    assert abs(image.size[0] - w_in * dpi) <= 1 and abs(image.size[1] - h_in * dpi) <= 1
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.5)


@pytest.mark.parametrize("lon,lat,weapon", [p[:3] for p in PLACED], ids=[p[2] for p in PLACED])
def test_an_event_is_drawn_where_it_belongs_in_its_weapon_colour(placed, lon, lat, weapon):
    options = snapshot.SnapshotOptions(size="square", dpi=100, locator=False)
    drawn = snapshot.draw(placed, options=options)
    pixels = png_array(snapshot.render(drawn, "png"))
    x, y = drawn.ax.transData.transform((lon, lat))
    row, col = int(round(pixels.shape[0] - y)), int(round(x))
    patch = pixels[row - 1:row + 2, col - 1:col + 2].reshape(-1, 3)
    hex_color = WEAPON_COLORS[weapon]
    want = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
    land = np.array([int(snapshot.LAND[i:i + 2], 16) for i in (1, 3, 5)])
    blended = 0.9 * want + 0.1 * land  # markers are drawn at alpha 0.9 over the land
    assert np.abs(patch - blended).max(axis=1).min() <= 12, (patch, blended)


def test_nothing_is_drawn_where_no_event_is(placed):
    drawn = snapshot.draw(placed, options=snapshot.SnapshotOptions(size="square", dpi=100, locator=False))
    pixels = png_array(snapshot.render(drawn, "png"))
    x, y = drawn.ax.transData.transform((42.0, 34.0))  # between the events, on land
    assert tuple(pixels[int(round(pixels.shape[0] - y)), int(round(x))]) == tuple(
        int(snapshot.LAND[i:i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("weapons", [("drone",), ("ied", "drone"), ("airstrike", "rocket", "mortar", "unknown")],
                         ids=["one", "two-unordered", "four"])
def test_legend_lists_exactly_the_weapon_types_present(make_events, weapons):
    events = make_events(*[feature(40 + i, 33, event_id=f"w-{i}", weapon_type=w, fatalities=12)
                           for i, w in enumerate(weapons)])
    legend = snapshot.draw(events, options=SMALL).ax.get_legend()
    names = [t.get_text() for t in legend.get_texts() if not t.get_text().endswith("killed")]
    assert names == [WEAPON_NAMES[w] for w in WEAPON_COLORS if w in weapons]


def test_pdf_text_holds_title_caption_date_and_credits(placed):
    spec = geo.FilterSpec(weapons=("drone", "rocket", "airstrike"))
    data = snapshot.snapshot_bytes(placed, spec, "pdf", options=snapshot.SnapshotOptions(title="Test $title$ map"))
    text = " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert geo.describe(spec, 3) in text
    assert "Test $title$ map" in text  # dollars from the data stay text, not mathtext
    assert "Data: 3 events dated 5 Jul 2021" in text
    assert "Natural Earth" in text and "1 report from 1 publisher" in text


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "html", "zip"])
def test_the_same_input_gives_the_same_file(placed, fmt):
    spec = geo.FilterSpec(weapons=("drone",))
    assert report.report_bytes(placed, spec, fmt, options=SMALL) == report.report_bytes(placed, spec, fmt,
                                                                                       options=SMALL)


def test_golden_image_guards_the_style(placed):
    """Regenerate after an intended style change: CEM_UPDATE_GOLDEN=1 pytest tests/test_snapshot.py -k golden."""
    options = snapshot.SnapshotOptions(size="square", dpi=40, halos=True, labels=True, title="Golden")
    data = snapshot.snapshot_bytes(placed, geo.FilterSpec(), "png", options=options)
    if os.environ.get("CEM_UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(data)
        pytest.skip("golden image written; commit it") if not os.environ.get("CEM_UPDATE_GOLDEN") else None
    got, want = png_array(data), png_array(GOLDEN.read_bytes())
    assert got.shape == want.shape
    differing = (np.abs(got - want).max(axis=2) > 40).mean()
    assert differing < 0.01, f"{differing:.2%} of pixels changed; see the style or regenerate the golden"


def test_halos_are_true_radius_circles(make_events):
    events = make_events(feature(42.0, 33.0, precision_km=60.0, weapon_type="ied"))
    options = snapshot.SnapshotOptions(size="square", dpi=100, halos=True, locator=False, bbox=(39, 30, 45, 36))
    drawn = snapshot.draw(events, options=options)
    pixels = png_array(snapshot.render(drawn, "png"))
    land = np.array([int(snapshot.LAND[i:i + 2], 16) for i in (1, 3, 5)])

    def tinted(km_north: float) -> bool:
        x, y = drawn.ax.transData.transform((42.0, 33.0 + km_north / 111.32))
        return np.abs(pixels[int(round(pixels.shape[0] - y)), int(round(x))] - land).max() > 8

    assert tinted(45) and not tinted(75)


def test_no_events_still_makes_a_map():
    pixels = png_array(snapshot.snapshot_bytes(geo.read_events(b'{"type":"FeatureCollection","features":[]}'),
                                               fmt="png", options=SMALL))
    assert pixels.shape == (320, 320, 3)


@pytest.mark.parametrize("options,inside", [
    (snapshot.SnapshotOptions(bbox=(40.0, 30.0, 45.0, 35.0)), [(40.0, 30.0), (45.0, 35.0)]),
    (snapshot.SnapshotOptions(region="IRQ+Syria"), [(35.8, 29.1), (48.5, 37.3)]),
    (snapshot.SnapshotOptions(), [(p[0], p[1]) for p in PLACED]),
], ids=["bbox", "region", "fitted"])
def test_extent_contains_what_was_asked(placed, options, inside):
    w, s, e, n = snapshot.fit_extent(placed, options, aspect=1.5)
    assert all(w <= x <= e and s <= y <= n for x, y in inside)


def test_report_pack_holds_data_map_html_and_sources(placed, tmp_path):
    spec = geo.FilterSpec(weapons=("drone", "rocket", "airstrike"))
    with zipfile.ZipFile(io.BytesIO(report.report_pack(placed, spec, options=SMALL))) as zf:
        names = sorted(zf.namelist())
        zf.extractall(tmp_path)
    stem = geo.file_stem(spec)
    assert names == sorted(f"{stem}/{n}" for n in ("README.md", f"{stem}.geojson", f"{stem}.csv",
                                                   f"{stem}_map.png", f"{stem}_map.html"))
    assert len(pyogrio.read_dataframe(tmp_path / stem / f"{stem}.geojson")) == 3
    readme = (tmp_path / stem / "README.md").read_text()
    assert geo.describe(spec, 3) in readme and "`weapon`: drone, rocket, airstrike" in readme
    assert "<https://example.org/a>" in readme and "(3 events)" in readme  # one source, deduplicated
    assert Image.open(tmp_path / stem / f"{stem}_map.png").size == (320, 320)


def test_readme_keeps_source_text_inert(make_events):
    bad = [{"publisher": "[x](javascript:alert(1))", "url": "https://example.org/b", "date": "2021-07-06",
            "title": "<img src=x onerror=alert(1)> ![i](https://evil.example/p.png)"}]
    readme = report.report_readme(make_events(feature(sources=bad)))
    for raw in (r"\]\(javascript", r"<img", r"!\["):  # only their backslash-escaped forms are left
        assert not re.search(r"(?<!\\)" + raw, readme), raw


# --- command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF"),
                                          (".html", b"<!DOCTYPE"), (".zip", b"PK")], ids=str)
def test_cli_writes_each_format(tmp_path, suffix, magic):
    out = tmp_path / f"map{suffix}"
    code = cli.main(["snapshot", "--weapon", "rocket", "--size", "square", "--dpi", "40", "--title", "T",
                     "--halos", "--labels", "-o", str(out)])
    assert code == 0 and out.read_bytes().lstrip()[:len(magic)].upper() == magic.upper()
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


@pytest.mark.parametrize("args,message", [
    (["-o", "{tmp}/map.txt"], "cannot tell the output format"),
    (["--region", "Atlantis", "-o", "{tmp}/map.png"], "region 'Atlantis'"),
    (["--dpi", "5", "-o", "{tmp}/map.png"], "dpi 5 is out of range"),
    (["{tmp}/missing.geojson", "-o", "{tmp}/map.png"], "missing.geojson"),
    (["--since", "2021-13-01", "-o", "{tmp}/map.png"], "not a date"),
], ids=["extension", "region", "dpi", "input", "filter"])
def test_cli_bad_input_exits_1_and_writes_nothing(tmp_path, capsys, args, message):
    code = cli.main(["snapshot", *[a.format(tmp=tmp_path) for a in args]])
    err = capsys.readouterr().err
    assert code == 1 and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_python_m_geo_snapshot_makes_a_pdf(tmp_path):
    out = tmp_path / "report.pdf"
    proc = subprocess.run([sys.executable, "-m", "geo", "snapshot", "--weapon", "drone", "--country", "IRQ",
                           "--title", "Drones over Iraq", "-o", str(out)], cwd=ROOT, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    text = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert "Drones over Iraq" in text and "Drone attacks, Iraq:" in text


# --- the Report page of the dashboard -----------------------------------------------------------


def test_report_page_previews_the_filtered_map_and_offers_every_file():
    at = open_app(weapon="drone")
    at.switch_page("pages/report.py").run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Report"  # the frame heads every page with its title
    assert len(at.get("image")) == 1  # the PNG preview
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["PNG image"]  # ready at once: its bytes are the preview's
    for fmt, label in [("pdf", "PDF"), ("svg", "SVG"), ("html", "HTML map (offline)"), ("zip", "Report pack (zip)")]:
        at.get("button_group")[0].set_value(fmt).run()
        next(b for b in at.button if b.label.startswith("Prepare the")).click().run()
        assert not at.exception, at.exception
        buttons = {b.proto.label: b.proto for b in at.get("download_button")}
        assert label in buttons and buttons[label].url and not buttons[label].deferred_file_id


def test_report_page_makes_a_gif_of_the_filter():
    at = open_app(weapon="rocket")
    at.switch_page("pages/report.py").run()
    at.selectbox[2].set_value("month")  # one frame per month
    next(b for b in at.button if b.label == "Make the animation").click().run()
    assert not at.exception, at.exception
    (button,) = [b.proto for b in at.get("download_button") if b.proto.label == "Download the GIF"]
    assert button.url and not button.deferred_file_id
    assert len(at.get("image")) == 2  # the map preview and the animation


def test_events_page_downloads_hold_their_bytes():
    at = open_app(weapon="drone")
    at.switch_page("pages/events.py").run()
    buttons = [b.proto for b in at.get("download_button")]
    assert [b.label for b in buttons] == ["GeoJSON", "CSV", "GeoPackage"]
    assert all(b.url and not b.deferred_file_id for b in buttons)  # made before the button: never "not found"


# --- standalone HTML in a real browser -----------------------------------------------------------


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")
def test_report_html_offline_shows_markers_caption_and_stays_inert(offline_page, tmp_path):  # noqa: F811
    events = sample_events()
    page_file = tmp_path / "report.html"
    page_file.write_text(report.report_html(events, title="Title " + SCRIPT_BREAK, caption="Cap " + TEMPLATE_EXPR),
                         encoding="utf-8")
    page = offline_page
    page.goto(page_file.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    assert page.locator("path.leaflet-interactive").count() == len(events)
    assert page.locator(".cem-legend [data-weapon]").count() == 3
    caption = page.locator(".cem-caption").inner_text()
    assert SCRIPT_BREAK in caption and TEMPLATE_EXPR in caption  # shown as text
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.errors == [] and page.outside == [], (page.errors, page.outside)


# --- place names and stacked sites (issue 14.2) ------------------------------------------------------


@pytest.fixture(scope="module")
def iraq_map():
    events = geo.apply(geo.read_events(geo.DEFAULT_EVENTS), geo.FilterSpec(countries=("IRQ",)))
    options = snapshot.SnapshotOptions(size="a4-landscape", dpi=100)
    drawn = snapshot.draw(events, options=options)
    return events, drawn, png_array(snapshot.render(drawn, "png"))


def test_a_known_city_is_named_on_the_map(iraq_map):
    _, drawn, pixels = iraq_map
    names = {label.text: label for label in drawn.labels}
    assert {"Baghdad", "Mosul", "Kirkuk"} <= set(names), sorted(names)
    x0, y0, x1, y1 = names["Mosul"].box  # display pixels, y up
    patch = pixels[int(pixels.shape[0] - y1):int(pixels.shape[0] - y0), int(x0):int(x1)]
    assert (patch.max(axis=2) < 90).sum() > 15  # dark letters where the label's box says


def test_no_two_labels_overlap_nor_cover_the_legend(iraq_map):
    _, drawn, _ = iraq_map
    boxes = [label.box for label in drawn.labels]
    assert len(boxes) > 15
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not names_overlap(a, b), (drawn.labels[i], b)
    legend = drawn.ax.get_legend().get_window_extent(drawn.figure.canvas.get_renderer())
    assert not any(names_overlap(box, (legend.x0, legend.y0, legend.x1, legend.y1)) for box in boxes)


def names_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_site_names_are_short_gazetteer_names_not_raw_locations(iraq_map):
    events, drawn, _ = iraq_map
    sites = [label.text for label in drawn.labels if label.kind == "site"]
    assert "Ain al-Asad Air Base" in sites and "US Embassy Baghdad" in sites
    raw = set(events["location"].astype(str))
    assert not [s for s in sites if s in raw and len(s) > 30]
    assert all(len(s) <= 32 for s in sites)


def test_events_at_one_site_are_one_symbol_showing_their_count(make_events):
    stacked = [feature(42.44111, 33.78556, event_id=f"s-{i}", fatalities=None) for i in range(25)]
    events = make_events(*stacked, feature(44.0, 33.0, event_id="other", weapon_type="rocket", fatalities=None))
    drawn = snapshot.draw(events, options=snapshot.SnapshotOptions(size="square", dpi=100, locator=False))
    assert sorted(drawn.sites["n"].tolist()) == [1, 25]
    counts = [t.get_text() for t in drawn.ax.texts if t.get_text().isdigit()]
    assert counts == ["25"]
    legend = [t.get_text() for t in drawn.ax.get_legend().get_texts()]
    assert "events at one site" in legend
    assert "Ain al-Asad Air Base" in [label.text for label in drawn.labels]


@pytest.mark.parametrize("fatalities,expected", [([None, 0], []), ([1, 3], [1, 2, 5]), ([1, 12, 40], [1, 5, 50]),
                                                 ([0, 230], [1, 10, 200])], ids=["none", "few", "tens", "hundreds"])
def test_size_legend_spans_the_data(fatalities, expected):
    import pandas as pd

    from geo.staticmap import symbols

    assert symbols.reference_sizes(pd.Series(fatalities, dtype="Float64")) == expected


def test_pdf_and_svg_carry_the_same_names_as_the_png(iraq_map):
    events, drawn, _ = iraq_map
    options = snapshot.SnapshotOptions(size="a4-landscape", dpi=100)
    pdf = snapshot.snapshot_bytes(events, fmt="pdf", options=options)
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for label in drawn.labels[:12]:
        want = label.text.upper() if label.kind in ("country", "province") else label.text
        assert want in text, want
    svg = snapshot.snapshot_bytes(events, fmt="svg", options=options).decode()
    assert svg.count("<path") > 100 and "<image" not in svg  # vector symbols for a few dozen events


@pytest.mark.parametrize("style", ["dark", "terrain"])
def test_styles_change_the_look_not_the_content(iraq_map, style):
    events, light, pixels = iraq_map
    options = snapshot.SnapshotOptions(size="a4-landscape", dpi=100, style=style)
    drawn = snapshot.draw(events, options=options)
    other = png_array(snapshot.render(drawn, "png"))
    assert {label.text for label in drawn.labels} == {label.text for label in light.labels}
    assert np.abs(other - pixels).max(axis=2).mean() > 10  # another look
