"""The map in a real browser (headless Chromium), with every outside request blocked and recorded.

(a) ``standalone_html`` opened from a file:// URL; (b) the Streamlit app, served on 127.0.0.1.
Skipped only when /usr/bin/chromium is missing (``apt-get install chromium``; ``make test`` does it).
Screenshots go to $CEM_SCREENSHOT_DIR when set, else to pytest's temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from map_fixtures import DENSE_SPOT, SCRIPT_BREAK, STACK_SITE, STACK_SIZE, TEMPLATE_EXPR, many_events, sample_events

from geo.webmap import mapview

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")


def _local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


#: In every frame: the most ``.leaflet-popup`` elements that were ever on the page at once (a user must never see
#: two popups, not even while a redraw swaps the map's layers).
_WATCH_POPUPS = """(() => {
    let watched = null;
    const observer = new MutationObserver(() => {
        window.__cemMaxPopups = Math.max(window.__cemMaxPopups, document.querySelectorAll(".leaflet-popup").length);
    });
    const attach = () => {  // a frame's first, blank document is replaced by its page in the same window
        if (watched !== document && document.documentElement) {
            watched = document;
            observer.observe(document.documentElement, {childList: true, subtree: true});
        }
        setTimeout(attach, 20);
    };
    window.__cemMaxPopups = 0;
    attach();
})();"""


def _max_popups(frame) -> int:
    return frame.locator("body").evaluate("() => window.__cemMaxPopups")


@pytest.fixture()
def offline_page(browser):
    """A page whose outside requests are aborted; ``page.outside`` lists them, ``page.errors`` JS errors."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    context.add_init_script(_WATCH_POPUPS)
    page = context.new_page()
    page.outside, page.errors = [], []

    def route(route):
        if _local(route.request.url):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("CEM_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_standalone_map_offline_and_inert(offline_page, tmp_path, screenshot_dir):
    events = sample_events()
    page_file = tmp_path / "map.html"
    page_file.write_text(mapview.standalone_html(mapview.build_map(events)), encoding="utf-8")

    page = offline_page
    page.goto(page_file.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    assert page.locator("path.leaflet-interactive").count() == len(events)
    assert page.locator(".cem-legend [data-weapon]").count() == 3
    assert page.locator("svg path").count() > 200  # the basemap's countries are drawn too
    page.wait_for_timeout(400)  # let the fit animation end
    page.screenshot(path=str(screenshot_dir / "standalone.png"))

    # Open every popup and tooltip: their HTML only reaches the DOM then.
    texts = page.evaluate(
        """() => {
            const name = Object.keys(window).find(k => k.startsWith("event_layer_"));
            const out = [];
            window[name].eachLayer(l => { l.openPopup(); out.push(l.getPopup().getElement().textContent);
                                          l.openTooltip(); out.push(l.getTooltip().getElement().textContent); });
            return out;
        }"""
    )
    shown = " ".join(texts)
    assert SCRIPT_BREAK in shown and TEMPLATE_EXPR in shown  # shown as text, not run
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator(".leaflet-popup-content a[href^='javascript']").count() == 0
    assert page.errors == []
    assert page.outside == [], f"outside requests attempted: {page.outside}"
    page.locator("path.leaflet-interactive").last.click(force=True)  # the smallest: drawn last, on top
    page.wait_for_timeout(600)  # popup auto-pan, then the basemap redraws
    page.screenshot(path=str(screenshot_dir / "standalone-popup.png"))


def test_standalone_clustered_map_runs(offline_page, tmp_path):
    page_file = tmp_path / "cluster.html"
    page_file.write_text(mapview.standalone_html(mapview.build_map(sample_events(), cluster=True)), encoding="utf-8")
    page = offline_page
    page.goto(page_file.as_uri())
    page.wait_for_selector("path.leaflet-interactive, .marker-cluster")
    assert page.errors == [] and page.outside == []


# --- the Streamlit app -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serve(data: Path):
    """``streamlit run app.py`` on a free 127.0.0.1 port for the events file *data*; killed afterwards."""
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false"]  # fmt: skip
    log_path = data.parent / "streamlit.log"
    log = log_path.open("w")
    env = {**os.environ, "CEM_EVENTS": str(data), "CEM_DATA_DIR": str(data.parent / "user"),  # never the real folders
           "CEM_CACHE_DIR": str(data.parent / "cache")}
    proc = subprocess.Popen(cmd, cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("streamlit did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """The app on the four test events; yields its URL and the number of events."""
    data, n = _app_data(tmp_path_factory.mktemp("app"))
    with _serve(data) as url:
        yield url, n


def _app_data(folder: Path) -> tuple[Path, int]:
    """The four test events as the app's events file in ``folder``, and their number."""
    import geo

    events = sample_events()
    events["sources"] = [  # app data must validate: one http(s) source each
        json.dumps([{"publisher": "Test Wire", "url": f"https://example.org/r{i}", "date": "2021-07-08",
                     "title": "t"}]) for i in range(len(events))  # fmt: skip
    ]
    geo.write(events, folder / "events.geojson")
    return folder / "events.geojson", len(events)


def test_the_first_session_of_a_new_server_takes_its_first_filter_change(tmp_path, offline_page):
    # The first session after a start once ran in Streamlit's old folder-based page mode, whose widget ids differ
    # from every later run's: its first filter change was dropped.
    data, _ = _app_data(tmp_path)
    with _serve(data) as url:
        page = offline_page
        _open_map(page, url)
        weapons = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
        weapons.locator("input").click()
        page.keyboard.type("Drone")
        page.get_by_role("option", name="Drone").first.click()
        page.get_by_text("Drone attacks:").filter(visible=True).first.wait_for(timeout=30_000)
        assert page.outside == [] and page.errors == []


FRAME = 'iframe[title="streamlit_folium.st_folium"]'
_MAP = "map_div"  # streamlit-folium's name for the map


def _open_map(page, url, marker: str = "path.cem-event"):
    page.goto(url)
    frame = page.frame_locator(FRAME)
    frame.locator(marker).first.wait_for(timeout=90_000)  # a cold server on a loaded 2-core machine
    page.wait_for_timeout(800)
    return frame


def _groups(frame) -> int:
    return frame.locator("body").evaluate("() => (window.feature_group || []).length")


def _wait_redraw(page, frame, before: int) -> None:
    for _ in range(400):
        if _groups(frame) > before:
            page.wait_for_timeout(300)
            return
        page.wait_for_timeout(100)
    raise AssertionError("the map was not redrawn")


def test_app_map_offline(app_server, offline_page, screenshot_dir):
    url, n_events = app_server
    page = offline_page
    frame = _open_map(page, url)
    assert frame.locator("path.cem-event").count() == n_events
    assert frame.locator(".cem-legend [data-weapon]").count() == 3
    assert frame.locator("svg path").count() > 200  # basemap
    sidebar_key = page.locator("[data-testid='stSidebar'] [data-weapon]")
    legend = frame.locator(".cem-legend [data-weapon]")
    assert [sidebar_key.nth(i).get_attribute("data-weapon") for i in range(sidebar_key.count())] == \
        [legend.nth(i).get_attribute("data-weapon") for i in range(legend.count())]  # key and legend agree
    page.screenshot(path=str(screenshot_dir / "app.png"))
    assert page.outside == [], f"outside requests attempted: {page.outside}"


def _overlaps(boxes: dict[str, dict]) -> list[tuple[str, str]]:
    names, hits = list(boxes), []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            p, q = boxes[a], boxes[b]
            if p["x"] < q["x"] + q["width"] and q["x"] < p["x"] + p["width"] and \
                    p["y"] < q["y"] + q["height"] and q["y"] < p["y"] + p["height"]:
                hits.append((a, b))
    return hits


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)], ids=["1280x720", "1440x900"])
def test_map_first_layout(app_server, browser, screenshot_dir, size):
    url, _ = app_server
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        frame = _open_map(page, url)
        box = page.locator(FRAME).bounding_box()
        assert box["height"] >= 600 and box["y"] + box["height"] <= size[1] + 1, box
        controls = {name: frame.locator(sel).bounding_box() for name, sel in {
            "zoom": ".leaflet-control-zoom", "scale": ".leaflet-control-scale", "legend": ".cem-legend",
            "attribution": ".leaflet-control-attribution"}.items()}
        assert all(controls.values()), controls
        assert _overlaps(controls) == []
        marks = frame.locator("path.cem-event, .cem-cluster")
        under = [i for i in range(marks.count())
                 if _overlaps({"legend": controls["legend"], "event": marks.nth(i).bounding_box()})]
        assert marks.count() and under == [], "the first view fits the events clear of the legend"
        page.screenshot(path=str(screenshot_dir / f"app-{size[0]}x{size[1]}.png"))
        frame.locator(".cem-legend summary").click()  # the legend folds away
        page.wait_for_timeout(300)
        assert frame.locator(".cem-legend .cem-key").first.is_hidden()
    finally:
        context.close()


def test_wheel_notch_is_one_zoom_level(app_server, offline_page):
    url, _ = app_server
    page = offline_page
    frame = _open_map(page, url)
    body = frame.locator("body")
    before = body.evaluate(f"() => {_MAP}.getZoom()")
    box = page.locator(FRAME).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -100)
    page.wait_for_timeout(900)
    assert body.evaluate(f"() => {_MAP}.getZoom()") == before + 1


def test_app_marker_click_opens_escaped_popup_and_record(app_server, offline_page, screenshot_dir):
    url, _ = app_server
    page = offline_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    frame = _open_map(page, url)
    marker = frame.locator("path.cem-event").first
    box = marker.bounding_box()  # off centre, as a person clicks
    marker.click(force=True, position={"x": box["width"] * 0.8, "y": box["height"] * 0.5})
    page.get_by_text("Selected event").wait_for(timeout=20_000)  # the record beside the map
    record = page.locator(".cem-record")
    assert "What happened" in record.inner_text() and "weapon_type" not in record.inner_text()
    assert record.locator("a[href^='javascript']").count() == 0
    frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)  # and its popup (kept across the redraw)
    assert "Weapon:" in frame.locator(".leaflet-popup-content").inner_text()
    page.wait_for_timeout(1000)  # redraws that follow the click
    assert _max_popups(frame) == 1
    page.screenshot(path=str(screenshot_dir / "app-click.png"))
    assert frame.locator("body").evaluate("() => typeof window.__xss") == "undefined" and dialogs == []
    assert page.outside == [] and page.errors == []


def test_permalink_opens_the_event(app_server, offline_page, screenshot_dir):
    url, _ = app_server
    page = offline_page
    frame = _open_map(page, url + "?event=TEST-2")
    page.get_by_text("Selected event").wait_for(timeout=20_000)
    assert "Test town 2" in page.locator(".cem-record").inner_text()
    frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)
    assert frame.locator("body").evaluate(f"() => {_MAP}.getZoom()") >= 14
    page.wait_for_timeout(1500)  # the map reports its view and is redrawn: the popup is reopened, never doubled
    assert frame.locator(".leaflet-popup-content").count() == 1 and _max_popups(frame) == 1
    page.screenshot(path=str(screenshot_dir / "app-permalink.png"))


def test_feed_click_flies_to_the_event(app_server, offline_page, screenshot_dir):
    url, _ = app_server
    page = offline_page
    frame = _open_map(page, url)
    page.get_by_role("tab", name="Feed").click()
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=10_000)
    before = _groups(frame)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row's selection cell: the newest event
    _wait_redraw(page, frame, before)
    page.wait_for_timeout(1500)  # the flight
    body = frame.locator("body")
    assert body.evaluate(f"() => {_MAP}.getZoom()") >= 14
    center = body.evaluate(f"() => {_MAP}.getCenter()")
    assert abs(center["lat"] - 34.45) < 0.05 and abs(center["lng"] - 40.4) < 0.05  # TEST-2, the newest
    page.get_by_role("tab", name="Record").click()
    assert "Test town 2" in page.locator(".cem-record").inner_text()
    page.screenshot(path=str(screenshot_dir / "app-feed.png"))


@pytest.mark.parametrize("path", ["events", "trends", "report", "import", "about"])
def test_app_pages_render_offline(app_server, offline_page, screenshot_dir, path):
    url, n_events = app_server
    page = offline_page
    page.goto(url + path)
    page.get_by_text(f"Attacks: {n_events} events").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # charts and tables draw after the text
    assert page.locator("[data-testid='stException']").count() == 0
    assert not page.get_by_role("button", name="Download as CSV").is_visible()  # unguarded CSV stays hidden
    page.screenshot(path=str(screenshot_dir / f"app-{path}.png"), full_page=True)
    assert page.outside == [], f"outside requests attempted: {page.outside}"


def test_events_csv_download_holds_the_filtered_events(app_server, offline_page):
    import csv
    import io

    url, n_events = app_server
    page = offline_page
    page.goto(url + "events?weapon=drone")
    page.get_by_text("Drone attacks:").wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "events_drone.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"), newline="")))
    assert rows and {r["weapon_type"] for r in rows} == {"drone"}
    assert 0 < len(rows) < n_events
    assert page.outside == []




# --- many events: drill down from cells to single events ---------------------------------------------------


@pytest.fixture(scope="module")
def many_server(tmp_path_factory):
    """The app on 100,000 made-up events (a dense spot, a stack at one site); yields its URL."""
    import geo

    data = tmp_path_factory.mktemp("many") / "events.parquet"
    geo.write(many_events(100_000), data)
    with _serve(data) as url:
        yield url


#: The event id of the map layer drawn by a DOM element (a circle marker's path) of the current view.
_LAYER_ID = """(el) => {
    let id = null;
    const walk = (l) => { if (l._path === el) { id = l.cemId; } if (l.eachLayer) { l.eachLayer(walk); } };
    window.feature_group.filter((g) => window.map_div.hasLayer(g)).forEach((g) => g.eachLayer(walk));
    return id;
}"""


def _count(label: str) -> float:
    """A cluster's label ("7", "1.2k", "20k") as a number."""
    return float(label[:-1]) * 1000 if label.endswith("k") else float(label)


def _wheel_to(page, frame, lon: float, lat: float, zoom: int) -> None:
    """Mouse-wheel into (lon, lat) notch by notch, as a person zooms in on a place, up to ``zoom``."""
    body = frame.locator("body")
    box = page.locator(FRAME).bounding_box()
    for _ in range(20):
        if body.evaluate(f"() => {_MAP}.getZoom()") >= zoom:
            return
        at = body.evaluate(f"() => {_MAP}.latLngToContainerPoint([{lat}, {lon}])")
        page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
        page.mouse.wheel(0, -100)
        page.wait_for_timeout(400)
    raise AssertionError("the wheel did not zoom the map in")


def test_100k_events_zoom_into_a_dense_spot_down_to_single_popups(many_server, offline_page, screenshot_dir):
    page = offline_page
    frame = _open_map(page, many_server, marker=".cem-cell")
    body = frame.locator("body")
    assert frame.locator("path.cem-event").count() == 0  # zoomed out, the events are aggregated
    cells = frame.locator(".cem-cell")
    assert 0 < cells.count() <= 5000
    labels = [_count(t) for t in cells.all_inner_texts()]
    assert sum(labels) > 90_000  # (rounded labels) every event of the view is in some cell
    page.screenshot(path=str(screenshot_dir / "many-cells.png"))

    zoom = body.evaluate(f"() => {_MAP}.getZoom()")
    before = _groups(frame)
    cells.nth(labels.index(max(labels))).click()  # the dense spot's cell: the map flies onto its events
    _wait_redraw(page, frame, before)
    assert body.evaluate(f"() => {_MAP}.getZoom()") > zoom

    _wheel_to(page, frame, *DENSE_SPOT, zoom=16)
    frame.locator("path.cem-event:visible").first.wait_for(timeout=60_000)  # single events, each its own circle
    page.wait_for_timeout(1000)
    singles = frame.locator("path.cem-event")
    assert 0 < singles.count() <= 2500
    # A circle that is on top at its own centre (dense places draw circles over one another).
    pick = frame.locator("body").evaluate("""() => [...document.querySelectorAll('path.cem-event')].findIndex((p) => {
        const r = p.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
        return x > 60 && y > 60 && x < innerWidth - 260 && y < innerHeight - 60 && document.elementFromPoint(x, y) === p;
    })""")
    assert pick >= 0
    marker = singles.nth(pick)
    event_id = marker.evaluate(_LAYER_ID)
    assert event_id and event_id.startswith("MANY-")
    marker.click(force=True)
    page.get_by_text("Selected event").wait_for(timeout=30_000)
    assert event_id in page.locator(".cem-record").inner_text()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=15_000)
    page.wait_for_timeout(1000)
    assert popup.count() == 1 and "Weapon:" in popup.inner_text() and _max_popups(frame) == 1
    page.screenshot(path=str(screenshot_dir / "many-single-popup.png"))
    assert page.outside == [] and page.errors == []


def test_100k_events_a_spider_leg_opens_its_record(many_server, offline_page, screenshot_dir):
    page = offline_page
    lon, lat = STACK_SITE
    frame = _open_map(page, f"{many_server}?view={lat},{lon},16", marker=".cem-stack")
    stack = frame.locator(".cem-stack")
    assert stack.count() == 1 and stack.inner_text() == str(STACK_SIZE)  # the events at one site: one circle
    stack.click()
    legs = frame.locator("path.cem-event")
    for _ in range(100):  # the spider opens: each event on its own leg
        if legs.count() >= STACK_SIZE:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(600)  # the legs' animation
    assert legs.count() == STACK_SIZE
    leg = legs.nth(2)
    event_id = leg.evaluate(_LAYER_ID)
    assert event_id and event_id.startswith("MANY-")
    leg.click(force=True)
    page.get_by_text("Selected event").wait_for(timeout=30_000)
    record = page.locator(".cem-record").inner_text()
    assert event_id in record and f"Stack site #{event_id.removeprefix('MANY-')}" in record
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=15_000)  # and, after the redraw, the spider is open again on its popup
    page.wait_for_timeout(1000)
    assert popup.count() == 1 and f"Stack site #{event_id.removeprefix('MANY-')}" in popup.inner_text()
    assert _max_popups(frame) == 1
    page.screenshot(path=str(screenshot_dir / "many-spider-record.png"))
    assert page.outside == [] and page.errors == []
