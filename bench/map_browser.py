"""The map page in headless Chromium (outside requests blocked): first map, bytes, redraws, popup, playback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
GROUPS = "() => (window.feature_group || []).length"
TOP_EVENT = """() => [...document.querySelectorAll('path.cem-event')].findIndex((p) => {
    const r = p.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
    return x > 60 && y > 60 && x < innerWidth - 260 && y < innerHeight - 60 && document.elementFromPoint(x, y) === p;
})"""


def _serve(path: Path, env: dict) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=REPO, env={**env, "CEM_EVENTS": str(path)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def _redraw(frame, move: str) -> float:
    """Seconds from a map move until the new view's feature group is drawn."""
    body = frame.locator("body")
    before = body.evaluate(GROUPS)
    t = time.perf_counter()
    body.evaluate(f"() => {{ {move} }}")
    deadline = t + 30
    while body.evaluate(GROUPS) <= before and time.perf_counter() < deadline:
        time.sleep(0.02)
    return time.perf_counter() - t


def fast_marker_cluster_page(lat_lon, folder: Path) -> dict:
    """The peer in the same browser: folium's FastMarkerCluster with every point in the page, opened offline.

    Seconds from opening the file until the first cluster is drawn, and the page's size.
    """
    import folium
    from folium.plugins import FastMarkerCluster
    from playwright.sync_api import sync_playwright

    from geo.webmap import assets, mapview

    mapview.use_offline_assets(assets.default_base_url())
    # Leaflet's spelling: with tiles=None folium drops max_zoom, and markercluster then stops the script.
    m = folium.Map(tiles=None, location=[33.5, 43.5], zoom_start=6, maxZoom=18)
    FastMarkerCluster(lat_lon.tolist()).add_to(m)
    page_file = folder / "fast_marker_cluster.html"
    page_file.write_text(m.get_root().render(), encoding="utf-8")
    out = {"MB": round(page_file.stat().st_size / 1e6, 1)}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        t = time.perf_counter()
        page.goto(page_file.as_uri(), timeout=600_000)
        try:
            page.locator(".marker-cluster").first.wait_for(timeout=600_000)
            out["first_map_s"] = round(time.perf_counter() - t, 1)
            body = page.locator("body")
            name = body.evaluate("() => Object.keys(window).find((k) => k.startsWith('map_'))")
            before = time.perf_counter()
            body.evaluate(f"() => new Promise((done) => {{ window[{name!r}].once('moveend', () => "
                          f"setTimeout(done, 0)); window[{name!r}].panBy([300, 120], {{animate: false}}); }})")
            out["pan_s"] = round(time.perf_counter() - before, 2)
        except Exception as exc:  # noqa: BLE001 - a peer that fails is a result, not a crash
            out["error"] = str(exc).splitlines()[0]
        if errors:
            out["page_errors"] = errors[:3]
        browser.close()
    return out


def measure(path: Path, env: dict, *, city: tuple[float, float]) -> dict:
    from playwright.sync_api import sync_playwright

    proc, url = _serve(path, env)
    out: dict = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            outside: list[str] = []
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("http://127.0.0.1", "data:",
                                                                                          "blob:", "about:"))
                          else (outside.append(r.request.url), r.abort()))
            page = context.new_page()
            received = {"ws": 0, "http": 0}
            page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.__setitem__(
                "ws", received["ws"] + len(p))))
            page.on("response", lambda r: received.__setitem__(
                "http", received["http"] + int(r.headers.get("content-length") or 0)))
            t = time.perf_counter()
            page.goto(url)
            frame = page.frame_locator(FRAME)
            frame.locator(".cem-cluster, .cem-event").first.wait_for(timeout=120_000)
            out["first_map_s"] = round(time.perf_counter() - t, 2)
            page.wait_for_timeout(1500)
            out["first_map_MB"] = round((received["ws"] + received["http"]) / 1e6, 2)
            # Zooms into the dense city one level at a time, then pans there (right, left, down, up), each timed
            # until the new view's features are drawn. (Pans at the opening extent, where every event stays in
            # view, draw nothing new: the app keeps the layer it has, so there is no redraw to time.)
            zooms = [_redraw(frame, f"map_div.setView([{city[1]}, {city[0]}], {z}, {{animate: false}});")
                     for z in range(7, 14)]
            _redraw(frame, f"map_div.setView([{city[1]}, {city[0]}], 9, {{animate: false}});")
            moves = ["[300, 0]", "[-300, 0]", "[0, 200]", "[0, -200]"] * 2
            pans = [_redraw(frame, f"map_div.panBy({m}, {{animate: false}});") for m in moves]
            out["pan_s"] = [round(p, 2) for p in pans]
            out["zoom_s"] = [round(z, 2) for z in zooms]
            for zoom in range(14, 19):  # into the dense city until its single events are drawn
                _redraw(frame, f"map_div.setView([{city[1]}, {city[0]}], {zoom}, {{animate: false}});")
                page.wait_for_timeout(800)
                if frame.locator("path.cem-event:visible").count():
                    break
            frame.locator("path.cem-event:visible").first.wait_for(timeout=30_000)
            out["city_singles"] = {"zoom": zoom, "drawn": frame.locator("path.cem-event").count()}
            # A circle on top at its own centre, clear of the map's controls and legend (dense places draw
            # circles over one another): what a user can click.
            pick = frame.locator("body").evaluate(TOP_EVENT)
            frame.locator("path.cem-event").nth(max(pick, 0)).click(force=True)
            try:
                frame.locator(".leaflet-popup-content").wait_for(timeout=30_000)
                out["popup_opens"] = True
            except Exception as exc:  # noqa: BLE001 - a missing popup is a result to report, not a crash
                out["popup_opens"] = f"no: {str(exc).splitlines()[0]}"
            page.get_by_text("Time playback").click()
            frame.locator(".cem-play").wait_for(timeout=60_000)
            _redraw(frame, "map_div.setZoom(7, {animate: false});")
            page.wait_for_timeout(1000)
            body = frame.locator("body")
            out["playback"] = {}
            for fps in (5, 20):  # the default speed, then the fastest offered
                if fps == 20:
                    before = body.evaluate(GROUPS)
                    page.locator("[data-testid='stSlider']").filter(has_text="Speed").get_by_role("slider").focus()
                    page.keyboard.press("End")
                    deadline = time.perf_counter() + 30  # (a speed change that redraws nothing must not hang)
                    while body.evaluate(GROUPS) <= before and time.perf_counter() < deadline:
                        time.sleep(0.05)
                    page.wait_for_timeout(1000)
                playing = body.evaluate("() => !!(window.cemPlayback && window.cemPlayback.playing)")
                if not playing:
                    frame.locator(".cem-play").click()
                start, ms0 = body.evaluate("() => [window.cemPlayback.drawn, window.cemPlayback.ms || 0]")
                page.wait_for_timeout(4000)
                drawn, ms1 = body.evaluate("() => [window.cemPlayback.drawn, window.cemPlayback.ms]")
                out["playback"][f"set_{fps}"] = {"fps": round((drawn - start) / 4.0, 1),
                                                 "js_ms_per_frame": round((ms1 - ms0) / max(drawn - start, 1), 2)}
            out["outside_requests"] = outside
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out
