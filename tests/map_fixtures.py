"""Small made-up events for the map tests (test fixtures, not seed data)."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

#: Payloads that must stay inert wherever event text reaches the page.  Each one that could run
#: sets ``window.__xss``, so a browser test can tell.
SCRIPT_BREAK = "</script><script>window.__xss='script'</script>"
TEMPLATE_EXPR = "${window.__xss='template'}"
BACKSLASH_BACKTICK = "\\`;window.__xss='backtick';`"
IMG_ONERROR = "<img src=x onerror=\"window.__xss='img'\">"
JS_URL = "javascript:window.__xss='url'"

SAFE_URLS = ("https://example.org/report?a=1&b=2", "http://example.com/b")


def sample_events() -> gpd.GeoDataFrame:
    """Four test events in Iraq and Syria: two drones, a rocket and an IED."""
    sources = [
        json.dumps([
            {"publisher": "Test Wire", "url": SAFE_URLS[0], "date": "2021-07-08", "title": "First"},
            {"publisher": "Bad <b>Pub</b>", "url": JS_URL, "date": None, "title": "js link"},
        ]),
        json.dumps([{"publisher": "Test Daily", "url": SAFE_URLS[1], "date": "2021-07-09", "title": "B"}]),
        "[]",
        "not json",
    ]
    frame = pd.DataFrame({
        "event_id": ["TEST-1", "TEST-2", "TEST-3", "TEST-4"],
        "date": pd.to_datetime(["2021-07-07", "2021-07-08", "2021-06-01", "2021-05-01"]),
        "date_end": pd.to_datetime([None, "2021-07-09", None, None]),
        "date_precision": ["day", "day", "month", "day"],
        "weapon_type": ["drone", "rocket", "drone", "ied"],
        "outcome": ["impact", "intercepted", "failed", "impact"],
        "actor": ["Test actor A", "Test actor B", "Test actor A", "Unidentified"],
        "attribution": ["claimed", "unknown", "attributed", "unknown"],
        "target": ["Test base " + TEMPLATE_EXPR, None, "Test depot", "Test convoy"],
        "country": ["IRQ", "SYR", "IRQ", "IRQ"],
        "admin1": ["Erbil", None, "Anbar", "Babil"],
        "location": ["Test town 1 " + IMG_ONERROR, "Test town 2", "Test town 3", "Test town 4"],
        "geo_precision": [1, 2, 1, 3],
        "precision_km": [1.0, 5.0, 1.0, 25.0],
        "fatalities": pd.array([None, 3, 0, 12], dtype="Int64"),
        "description": [SCRIPT_BREAK + " " + BACKSLASH_BACKTICK, "A plain test event.", None, "x"],
        "sources": sources,
        "event_type": ["Explosions/Remote violence"] * 4,
        "sub_event_type": ["Air/drone strike", "Shelling/artillery/missile attack", "Air/drone strike",
                           "Remote explosive/landmine/IED"],
        "source_id": [None] * 4,
        "updated": [None] * 4,
    })
    lon = [44.0, 40.4, 42.4, 44.4]
    lat = [36.2, 34.45, 33.8, 32.5]
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
