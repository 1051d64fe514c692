"""Synthetic events for benchmarks: realistic column shapes, generated with numpy (no Python loop per event)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.schema import ATTRIBUTIONS, OUTCOMES, WEAPON_TYPES

ACTORS = np.array(["Unidentified", "United States", "Kata'ib Hezbollah", "Kata'ib Sayyid al-Shuhada",
                   "Saraya Awliya al-Dam", "Ashab al-Kahf", "Islamic Revolutionary Guard Corps"]
                  + [f"Armed group {i}" for i in range(43)])


def raw_events(n: int, *, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """``n`` synthetic events as raw columns plus point geometries (the shape a reader hands to validation)."""
    rng = np.random.default_rng(seed)
    lon, lat, country = _points_in_iraq_and_syria(rng, n)
    days = rng.integers(0, 730, n)
    date = pd.to_datetime("2019-12-01") + pd.to_timedelta(days, unit="D")
    idx = pd.Series(np.arange(n)).astype("str")
    weapons = np.array(list(WEAPON_TYPES))[rng.integers(0, len(WEAPON_TYPES), n)]
    fat = rng.poisson(0.6, n).astype("float64")
    fat[rng.random(n) < 0.1] = np.nan
    url = "https://example.org/report/" + idx
    sources = '[{"publisher":"Synthetic Wire","url":"' + url + '","date":"2021-07-06","title":"Report ' + idx + '"}]'
    raw = pd.DataFrame({
        "event_id": "syn-" + idx,
        "date": date.strftime("%Y-%m-%d"),
        "date_end": None,
        "date_precision": "day",
        "weapon_type": weapons,
        "outcome": np.array(list(OUTCOMES))[rng.integers(0, len(OUTCOMES), n)],
        "actor": ACTORS[rng.integers(0, len(ACTORS), n)],
        "attribution": np.array(list(ATTRIBUTIONS))[rng.integers(0, len(ATTRIBUTIONS), n)],
        "target": "Base " + (pd.Series(rng.integers(0, 500, n)).astype("str")),
        "country": country,
        "admin1": "Anbar",
        "location": "Place " + pd.Series(rng.integers(0, 5000, n)).astype("str"),
        "geo_precision": rng.integers(1, 4, n),
        "precision_km": np.round(rng.uniform(0.5, 25, n), 1),
        "fatalities": fat,
        "description": "Synthetic event " + idx + " with a sentence of text like a real description has.",
        "sources": sources,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "source_id": None,
        "updated": None,
    })
    geometry = shapely.points(lon, lat)
    return raw, geometry


def _points_in_iraq_and_syria(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Uniform points over Iraq and Syria, each labelled with the country it lies in (validation checks that)."""
    from geo.placecheck import outlines

    codes, geoms, _ = outlines()
    shapes = {c: geoms[codes.get_loc(c)] for c in ("IRQ", "SYR")}
    lon, lat, country = [], [], []
    while sum(map(len, lon)) < n:
        x, y = rng.uniform(35.5, 48.6, 2 * n + 16), rng.uniform(29.0, 37.4, 2 * n + 16)
        for code, shape in shapes.items():
            inside = shapely.contains_xy(shape, x, y)
            lon.append(x[inside])
            lat.append(y[inside])
            country.append(np.full(inside.sum(), code, dtype=object))
    order = rng.permutation(sum(map(len, lon)))[:n]
    return np.concatenate(lon)[order], np.concatenate(lat)[order], np.concatenate(country)[order]
