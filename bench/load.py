"""Load test of the dashboard: N concurrent browser sessions open the map and change a filter.

Starts ``streamlit run app.py`` headless on a free 127.0.0.1 port with the given events file, then for each N
drives N Playwright contexts of Debian's Chromium at once (every request not to 127.0.0.1 is blocked and counted
as an error). Each session: open the dashboard and wait for the map (its legend inside the map frame) -> time to
map; pick "Drone" in the sidebar's weapon filter and wait for the new caption and map -> time to filtered map.
Reports p50/p95/max and errors per N, and the machine's load average (the machine is shared). The server's and
the browsers' CPU seconds are reported beside them (the browsers' split into pages' renderers, browser, GPU and
services), and their sum over the cores, the "CPU floor": the least wall time N sessions can take on this machine
when the browsers run on it too.

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


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds of a process (and of its reaped children), from /proc; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB, from /proc; None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _kind(pid: str) -> str:
    """What a Chromium process is for, from its command line (Chromium rewrites it as one space-joined string)."""
    args = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    for flag, kind in (("--type=renderer", "pages"), ("--type=gpu-process", "gpu"), ("--type=zygote", "zygote"),
                       ("--type=", "services")):
        if flag in args:
            return kind
    return "browser"


def browser_processes() -> dict[int, tuple[str, float]]:
    """Every Chromium process alive now: its kind and its CPU seconds. A zygote's reaped children are the
    renderers of closed contexts, so they are counted as pages."""
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if not (entry / "comm").read_text().startswith("chrom"):
                    continue
                kind = _kind(entry.name)
            except OSError:
                continue
            pid = int(entry.name)
            if kind == "zygote":
                own = cpu_seconds(pid)
                found[pid] = ("services", own)
                found[-pid] = ("pages", cpu_seconds(pid, children=True) - own)
            else:
                found[pid] = (kind, cpu_seconds(pid, children=True))
    return found


def browser_cpu_by_kind(since: dict[int, tuple[str, float]] | None = None) -> dict[str, float]:
    """CPU seconds of the Chromium processes alive now, spent since ``since`` (a ``browser_processes()``), by kind:
    the pages' renderers, the browser process, the GPU process (software GL here) and the network/storage
    services. Per process, so a browser that exits meanwhile (the last level's) does not count."""
    spent = {"pages": 0.0, "browser": 0.0, "gpu": 0.0, "services": 0.0}
    for pid, (kind, cpu) in browser_processes().items():
        spent[kind] += cpu - (since or {}).get(pid, (kind, 0.0))[1]
    return spent


def browser_cpu_seconds() -> float:
    """CPU seconds of every Chromium process alive now, with the children they reaped (closed tabs' renderers)."""
    return sum(browser_cpu_by_kind().values())


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


class _Protocol:
    """A Streamlit client without a browser: the websocket messages a browser sends, and the messages back.

    It asks for the same reruns a browser tab does (open the app; pick "Drone" in the weapon filter), so the server
    does all of a session's work (the script, the map's HTML, the table) while the client costs next to nothing:
    the server's own share of a session, apart from the browsers that share this machine's cores."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.widgets: dict[str, str] = {}  # label -> widget id, as the server reports them
        self.page = ""  # the page shown, as the server names it (widget ids depend on it)

    async def rerun(self, states: list | None = None) -> list[str]:
        """Ask for a rerun; wait until it finishes. Returns the texts shown and the components drawn."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.page
        for wid, values in states or []:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = wid
            state.string_array_value.data.extend(values)
        await self.ws.send(msg.SerializeToString())
        seen: list[str] = []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.page = fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                field = element.WhichOneof("type")
                if field == "multiselect":
                    self.widgets[element.multiselect.label] = element.multiselect.id
                elif field == "text":
                    seen.append(element.text.body)
                elif field == "component_instance":
                    seen.append("component:" + element.component_instance.component_name)
                elif field == "exception":
                    seen.append("exception:" + element.exception.message)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return seen
                if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # (a page switch reruns at once)
                    raise RuntimeError(f"script finished with status {fwd.script_finished}")


async def protocol_session(url: str, timeout_s: float) -> dict:
    """One user, over Streamlit's websocket protocol: time to map, then to the map filtered to drone attacks."""
    import websockets

    result: dict = {}
    ws_url = url.replace("http://", "ws://") + "_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=url.rstrip("/"), max_size=None,
                                      open_timeout=timeout_s) as ws:
            client = _Protocol(ws)
            start = time.monotonic()
            shown = await asyncio.wait_for(client.rerun(), timeout_s)
            if not any(t.endswith("st_folium") for t in shown):
                raise RuntimeError("no map in the first page")
            result["map_s"] = time.monotonic() - start
            start = time.monotonic()
            weapons = client.widgets.get("Weapon types")
            if weapons is None:
                raise RuntimeError("no weapon filter in the sidebar")
            shown = await asyncio.wait_for(client.rerun([(weapons, ["Drone"])]), timeout_s)
            if not any(t.startswith("Drone attacks:") for t in shown) or not any(t.endswith("st_folium") for t in shown):
                raise RuntimeError(f"the filtered map did not come: {shown[:6]}")
            result["filter_s"] = time.monotonic() - start
            if any(t.startswith("exception:") for t in shown):
                result["error"] = "exception shown"
    except Exception as exc:  # a timeout or a closed socket: counted, the run goes on
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
    return result


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


async def _measured(n: int, server_pid: int, sessions, *, browsers: bool) -> tuple[list[dict], dict]:
    """Run the sessions at once; the wall time and the CPU seconds the server and the browsers spent on them."""
    load_before = os.getloadavg()[0]
    server_cpu, browser_cpu = cpu_seconds(server_pid), browser_processes() if browsers else {}
    started = time.monotonic()
    results = await asyncio.gather(*(sessions() for _ in range(n)))
    if os.environ.get("CEM_LOAD_DEBUG"):
        print(results, flush=True)
    # Where the time went: the server (Streamlit and our code) and the browsers share the machine's cores, so
    # (server + browser CPU) / cores is the least wall time these sessions could have taken on this machine.
    server_cpu = cpu_seconds(server_pid) - server_cpu
    if browsers:  # a closed context's renderer is counted once its zygote has reaped it: let that settle
        for _ in range(20):
            before = browser_cpu_seconds()
            await asyncio.sleep(0.25)
            if browser_cpu_seconds() - before < 0.02:
                break
    by_kind = browser_cpu_by_kind(browser_cpu) if browsers else {}
    browsers_cpu = sum(by_kind.values()) if browsers else None
    return results, {"wall_s": time.monotonic() - started, "server_cpu_s": server_cpu,
                     "browser_cpu_s": browsers_cpu, "browser_cpu_by_kind": by_kind,
                     "browser_cpu_per_session_s": browsers_cpu / n if browsers else None,
                     "cpu_floor_s": (server_cpu + (browsers_cpu or 0.0)) / (os.cpu_count() or 1),
                     "server_rss_mb": rss_mb(server_pid), "load_before": load_before}


async def run_level(url: str, n: int, timeout_s: float, server_pid: int, clients: str = "browser") -> dict:
    if clients == "protocol":
        results, spent = await _measured(n, server_pid, lambda: protocol_session(url, timeout_s),
                                       browsers=False)
    else:
        from playwright.async_api import async_playwright

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            results, spent = await _measured(n, server_pid, lambda: session(browser, url, timeout_s),
                                           browsers=True)
            await browser.close()
    maps = [r["map_s"] for r in results if "map_s" in r]
    filters = [r["filter_s"] for r in results if "filter_s" in r]
    errors = [r["error"] for r in results if "error" in r]
    return {"sessions": n, "clients": clients, "map_p50_s": _pct(maps, 0.5), "map_p95_s": _pct(maps, 0.95),
            "map_max_s": max(maps, default=None), "filter_p50_s": _pct(filters, 0.5),
            "filter_p95_s": _pct(filters, 0.95), "errors": len(errors), "error_kinds": sorted(set(errors))[:3],
            **spent, "load_after": os.getloadavg()[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=Path, default=REPO / "data" / "events.geojson")
    parser.add_argument("--sessions", default="10,30,50", help="comma-separated session counts")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds each step of a session may take")
    parser.add_argument("--clients", default="browser,protocol",
                        help="who opens the sessions: 'browser' (Chromium contexts, on this machine's cores) and/or "
                             "'protocol' (Streamlit's websocket messages without a browser: the server's share)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.sessions.split(",")]
    work = Path(tempfile.mkdtemp(prefix="cem-load-"))
    proc, url = start_server(args.events.resolve(), work)
    rows = []
    try:
        warm = asyncio.run(run_level(url, 1, args.timeout, proc.pid))  # the first visit fills the server's caches
        print(f"warm-up (1 session, cold server): map {warm['map_p50_s']}, errors {warm['errors']}", flush=True)
        for clients in args.clients.split(","):
            for n in levels:
                row = asyncio.run(run_level(url, n, args.timeout, proc.pid, clients))
                rows.append(row)
                print(json.dumps(row, default=lambda v: round(v, 2) if isinstance(v, float) else v), flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"\nevents: {args.events} | machine: {os.cpu_count()} cores, shared (load average shown per row)")
    print(f"{'clients':>8} {'sessions':>8} {'map p50':>8} {'map p95':>8} {'map max':>8} {'filter p50':>10} {'filter p95':>10} "
          f"{'errors':>6} {'server CPU':>10} {'browser CPU':>11} {'CPU floor':>9} {'server MB':>9} {'load':>5}")
    fmt = lambda v: f"{v:7.1f}s" if isinstance(v, float) else f"{'-':>8}"  # noqa: E731
    for r in rows:
        print(f"{r['clients']:>8} {r['sessions']:>8} {fmt(r['map_p50_s'])} {fmt(r['map_p95_s'])} {fmt(r['map_max_s'])} "
              f"{fmt(r['filter_p50_s']):>10} {fmt(r['filter_p95_s']):>10} {r['errors']:>6} "
              f"{fmt(r['server_cpu_s']):>10} {fmt(r['browser_cpu_s']):>11} {fmt(r['cpu_floor_s']):>9} "
              f"{r['server_rss_mb'] or 0:9.0f} "
              f"{r['load_before']:5.1f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
