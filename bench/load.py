"""Load test of the dashboard: N concurrent browser sessions open the map and change a filter.

Starts ``streamlit run app.py`` headless on a free 127.0.0.1 port with the given events file, then for each N
drives N Playwright contexts of Debian's Chromium at once (every request not to 127.0.0.1 is blocked and counted
as an error). Each session: open the dashboard and wait for the map (its legend inside the map frame) -> time to
map; pick "Drone" in the sidebar's weapon filter and wait for the new caption and map -> time to filtered map.
Reports p50/p95/max and errors per N, and the machine's load average (the machine is shared).

Bounded: loopback only, each session has a timeout, and the server is stopped at the end.
Usage: python bench/load.py [--events FILE] [--sessions 10,30,50] [--timeout 120]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding",
        "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(events: Path, work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
           str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    env = {**os.environ, "CEM_EVENTS": str(events), "CEM_DATA_DIR": str(work / "user"),
           "CEM_CACHE_DIR": str(work / "cache")}
    log = open(work / "streamlit.log", "w")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except (urllib.error.URLError, OSError):
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start:\n" + (work / "streamlit.log").read_text()[-3000:])


def _local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


async def session(browser, url: str, timeout_s: float) -> dict:
    """One user: open the map, then filter to drone attacks. Times in seconds; ``error`` when something failed."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    async def route(r):
        if _local(r.request.url):
            await r.continue_()
        else:
            outside.append(r.request.url)
            await r.abort()

    await context.route("**/*", route)
    page = await context.new_page()
    result: dict = {}
    ms = timeout_s * 1000
    try:
        start = time.monotonic()
        await page.goto(url, timeout=ms)
        await page.frame_locator(MAP_FRAME).last.locator(".cem-legend").wait_for(timeout=ms)
        result["map_s"] = time.monotonic() - start
        start = time.monotonic()
        weapons = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first  # "Weapon types"
        await weapons.locator("input").click(timeout=ms)
        await page.keyboard.type("Drone")
        await page.get_by_role("option", name="Drone").first.click(timeout=ms)
        await page.get_by_text("Drone attacks:").filter(visible=True).first.wait_for(timeout=ms)  # (the map page
        # hides the page header's caption and shows it in its row of controls)
        await page.frame_locator(MAP_FRAME).last.locator(".cem-legend").wait_for(timeout=ms)
        result["filter_s"] = time.monotonic() - start
        if await page.locator("[data-testid='stException']").count():
            result["error"] = "exception shown"
    except Exception as exc:  # a timeout or a closed page: counted, the run goes on
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    if outside:
        result["error"] = f"outside requests: {outside[:2]}"
    await context.close()
    return result


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


async def run_level(url: str, n: int, timeout_s: float) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        results = await asyncio.gather(*(session(browser, url, timeout_s) for _ in range(n)))
        if os.environ.get("CEM_LOAD_DEBUG"):
            print(results, flush=True)
        wall = time.monotonic() - started
        await browser.close()
    maps = [r["map_s"] for r in results if "map_s" in r]
    filters = [r["filter_s"] for r in results if "filter_s" in r]
    errors = [r["error"] for r in results if "error" in r]
    return {"sessions": n, "map_p50_s": _pct(maps, 0.5), "map_p95_s": _pct(maps, 0.95), "map_max_s": max(maps, default=None),
            "filter_p50_s": _pct(filters, 0.5), "filter_p95_s": _pct(filters, 0.95), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:3], "wall_s": wall, "load_before": load_before,
            "load_after": os.getloadavg()[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=Path, default=REPO / "data" / "events.geojson")
    parser.add_argument("--sessions", default="10,30,50", help="comma-separated session counts")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds each step of a session may take")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.sessions.split(",")]
    work = Path(tempfile.mkdtemp(prefix="cem-load-"))
    proc, url = start_server(args.events.resolve(), work)
    rows = []
    try:
        warm = asyncio.run(run_level(url, 1, args.timeout))  # the first visit fills the server's caches
        print(f"warm-up (1 session, cold server): map {warm['map_p50_s']}, errors {warm['errors']}", flush=True)
        for n in levels:
            row = asyncio.run(run_level(url, n, args.timeout))
            rows.append(row)
            print(json.dumps(row, default=lambda v: round(v, 2) if isinstance(v, float) else v), flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"\nevents: {args.events} | machine: {os.cpu_count()} cores, shared (load average shown per row)")
    print(f"{'sessions':>8} {'map p50':>8} {'map p95':>8} {'map max':>8} {'filter p50':>10} {'filter p95':>10} "
          f"{'errors':>6} {'load':>5}")
    fmt = lambda v: f"{v:7.1f}s" if isinstance(v, float) else f"{'-':>8}"  # noqa: E731
    for r in rows:
        print(f"{r['sessions']:>8} {fmt(r['map_p50_s'])} {fmt(r['map_p95_s'])} {fmt(r['map_max_s'])} "
              f"{fmt(r['filter_p50_s']):>10} {fmt(r['filter_p95_s']):>10} {r['errors']:>6} {r['load_before']:5.1f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
