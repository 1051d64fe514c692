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


#: The many-event map tests: a dense spot (a fifth of the events within a few km) and a stack of events at one
#: exact site elsewhere (a base hit again and again), on a uniform background over Iraq and Syria.
DENSE_SPOT = (44.36, 33.31)
STACK_SITE = (43.2, 35.6)
STACK_SIZE = 6


def _uniform_on_land(rng, n: int, box: tuple[float, float, float, float]):
    """``n`` points uniform over the land of ``box`` (W, S, E, N), each with the ISO3 code of the country it lies in
    (the validator checks that the named country holds the point)."""
    import numpy as np
    import shapely

    from geo.placecheck import outlines

    codes, shapes, tree = outlines()
    near = tree.query(shapely.box(*box))
    lon, lat = rng.uniform(box[0], box[2], 2 * n), rng.uniform(box[1], box[3], 2 * n)
    country = np.full(len(lon), None, dtype=object)
    for i in near:  # a few countries, each tested on every point at once
        country[pd.isna(country) & shapely.contains_xy(shapes[i], lon, lat)] = codes[i]
    on_land = np.flatnonzero(pd.notna(country))[:n]
    assert len(on_land) == n
    return lon[on_land], lat[on_land], country[on_land]


def many_events(n: int, *, seed: int = 5) -> gpd.GeoDataFrame:
    """``n`` made-up events built column by column (no loop per event), validated by the real validator."""
    import numpy as np
    import shapely

    from geo.schema import ATTRIBUTIONS, OUTCOMES, WEAPON_TYPES
    from geo.validate import check

    rng = np.random.default_rng(seed)
    idx = pd.Series(np.arange(n)).astype("str")
    lon, lat, country = _uniform_on_land(rng, n, (38.8, 29.2, 48.5, 37.3))
    dense = rng.random(n) < 0.2
    lon[dense], lat[dense] = rng.normal(DENSE_SPOT[0], 0.03, dense.sum()), rng.normal(DENSE_SPOT[1], 0.02, dense.sum())
    country[dense] = "IRQ"
    lon[:STACK_SIZE], lat[:STACK_SIZE], country[:STACK_SIZE] = *STACK_SITE, "IRQ"  # the stack: first events, one point
    place = np.where(np.arange(n) < STACK_SIZE, "Stack site", "Place " + pd.Series(rng.integers(0, 900, n)).astype("str"))
    raw = pd.DataFrame({
        "event_id": "MANY-" + idx, "date": (pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 700, n), "D"))
        .strftime("%Y-%m-%d"), "date_end": None, "date_precision": "day",
        "weapon_type": np.array(list(WEAPON_TYPES))[rng.integers(0, 6, n)],
        "outcome": np.array(list(OUTCOMES))[rng.integers(0, len(OUTCOMES), n)], "actor": "Test actor",
        "attribution": np.array(list(ATTRIBUTIONS))[rng.integers(0, len(ATTRIBUTIONS), n)], "target": "Test target",
        "country": country, "admin1": None, "location": place + " #" + idx, "geo_precision": 1,
        "precision_km": 1.0,
        "fatalities": rng.poisson(0.5, n), "description": "Made-up test event " + idx + ".",
        "sources": '[{"publisher":"Test Wire","url":"https://example.org/m' + idx + '","date":"2021-01-01",'
                   '"title":"t"}]',
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "source_id": None,
        "updated": None,
    })
    checked = check(raw, shapely.points(lon, lat))
    assert not checked.problems, checked.problems[:3]  # the app refuses a file with problems: the map never shows
    return checked.events
