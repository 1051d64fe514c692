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
            pans = [_redraw(frame, "map_div.panBy([300, 120], {animate: false});") for _ in range(3)]
            zooms = [_redraw(frame, "map_div.setZoom(map_div.getZoom() + 1, {animate: false});") for _ in range(3)]
            out["pan_s"] = [round(p, 2) for p in pans]
            out["zoom_s"] = [round(z, 2) for z in zooms]
            _redraw(frame, f"map_div.setView([{city[1]}, {city[0]}], 16, {{animate: false}});")
            page.wait_for_timeout(800)
            marker = frame.locator("path.cem-event").first
            marker.wait_for(timeout=30_000)
            out["city_z16_singles"] = frame.locator("path.cem-event").count()
            marker.click(force=True)
            frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)
            out["popup_opens"] = True
            page.get_by_text("Time playback").click()
            frame.locator(".cem-play").wait_for(timeout=60_000)
            _redraw(frame, "map_div.setZoom(7, {animate: false});")
            page.wait_for_timeout(1000)
            frame.locator(".cem-play").click()
            body = frame.locator("body")
            start = body.evaluate("() => window.cemPlayback.drawn")
            page.wait_for_timeout(4000)
            drawn = body.evaluate("() => window.cemPlayback.drawn") - start
            out["playback_fps"] = round(drawn / 4.0, 1)
            ms = body.evaluate("() => window.cemPlayback.ms / window.cemPlayback.drawn")
            out["playback_ms_per_frame_js"] = round(ms, 1)
            out["playback_set_fps"] = 5
            out["outside_requests"] = outside
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out
