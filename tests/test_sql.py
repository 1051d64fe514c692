"""geo.sql: a FilterSpec keeps the same events in SQL (a real DuckDB) as in pandas (geo.query.mask)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely

import geo
from geo.sql import DUCKDB, POSTGRES, where_clause
from tests.conftest import feature

ACTORS = ["Kata'ib Hezbollah", "United States", "Unidentified", "Saraya 100%_Awliya", "kata'ib hezbollah"]
TEXTS = ["drone", "EMBASSY", "100%", "_", "a\\b", "Ain al-Asad", "zz-not-there", "'", "%_"]


@pytest.fixture(scope="module")
def events() -> geo.FilterSpec:
    rng = random.Random(11)
    feats = []
    for i in range(300):
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(700))
        end = start + timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.2 else None
        # the Middle East, and Chukotka on both sides of the antimeridian (land: the place check keeps them)
        far = rng.random() < 0.3
        lon = rng.choice([rng.uniform(178, 180), rng.uniform(-180, -178)]) if far else rng.uniform(38, 49)
        lat = rng.uniform(65.5, 68.5) if far else rng.uniform(29, 38)
        feats.append(feature(
            lon=lon, lat=lat, event_id=f"e{i}", date=start.isoformat(),
            date_end=end.isoformat() if end else None,
            weapon_type=rng.choice(list(geo.WEAPON_TYPES)), outcome=rng.choice(list(geo.OUTCOMES)),
            attribution=rng.choice(list(geo.ATTRIBUTIONS)), actor=rng.choice(ACTORS),
            fatalities=rng.choice([None, 0, 1, 3, 12]), precision_km=rng.choice([1.0, 5.0, 25.0, 100.0]),
            description=rng.choice([None, "Drone shot down near the embassy", "100% of rockets hit a\\b",
                                    "A test_event", "Sheikh's compound"]),
            location=rng.choice(["Ain al-Asad", "Baghdad", "Erbil airport"]), target=rng.choice([None, "Base"])))
    from tests.conftest import collection

    checked = geo.check_file(collection(*feats))
    assert not checked.problems, checked.problems[:3]
    return checked.events


def random_spec(rng: random.Random) -> geo.FilterSpec:
    since = date(2020, 1, 1) + timedelta(days=rng.randrange(700)) if rng.random() < 0.4 else None
    until = since + timedelta(days=rng.randrange(0, 300)) if since and rng.random() < 0.5 else None
    w = rng.uniform(-180, 175)
    bbox = None
    if rng.random() < 0.3:
        bbox = rng.choice([(w, 29.0, min(180.0, w + rng.uniform(1, 60)), 35.0), (179.0, 65.0, -179.0, 69.0)])
    pick = lambda pool, p: tuple(rng.sample(pool, rng.randint(1, 2))) if rng.random() < p else ()  # noqa: E731
    return geo.FilterSpec(
        since=since, until=until, weapons=pick(list(geo.WEAPON_TYPES), 0.4), actors=pick(ACTORS, 0.3),
        attributions=pick(list(geo.ATTRIBUTIONS), 0.2), outcomes=pick(list(geo.OUTCOMES), 0.2),
        countries=pick(["IRQ", "syr", "JOR"], 0.3), min_fatalities=rng.choice([None, None, 0, 1, 4]),
        max_precision_km=rng.choice([None, None, 5.0, 30.0]), bbox=bbox,
        text=rng.choice([None, None, *TEXTS]))


def test_sql_keeps_the_same_events_as_pandas(events):
    table = pd.DataFrame(events.drop(columns="geometry"))
    table["lon"], table["lat"] = shapely.get_x(events.geometry.values), shapely.get_y(events.geometry.values)
    for col in table.columns:  # DuckDB reads categoricals as enums; plain text is what a GeoParquet holds
        if isinstance(table[col].dtype, pd.CategoricalDtype):
            table[col] = table[col].astype("str").where(table[col].notna())
    con = duckdb.connect()
    con.register("events", table)
    rng = random.Random(5)
    checked = 0
    for _ in range(400):
        spec = random_spec(rng)
        where, params = where_clause(spec, DUCKDB)
        got = {r[0] for r in con.execute(f"SELECT event_id FROM events WHERE {where}", params).fetchall()}
        want = set(events.loc[geo.mask(events, spec), "event_id"])
        assert got == want, (spec, where)
        checked += bool(want)
    assert checked > 50  # the specs are not all empty answers


def test_values_are_parameters_never_sql_text():
    spec = geo.FilterSpec(actors=("x'); DROP TABLE events; --",), text="' OR 1=1 --")
    where, params = where_clause(spec, POSTGRES)
    assert "DROP" not in where and "1=1" not in where
    assert where.count("%s") == len(params)
    assert params[0] == "x'); drop table events; --"


def test_empty_spec_keeps_everything():
    assert where_clause(geo.FilterSpec()) == ("TRUE", [])


def test_postgres_bbox_uses_the_index_envelope():
    where, params = where_clause(geo.FilterSpec(bbox=(40.0, 30.0, 45.0, 35.0)), POSTGRES)
    assert where.startswith("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
    assert params[:4] == [40.0, 30.0, 45.0, 35.0]
    assert np.isclose(params[-1], 35.0)


@pytest.fixture(scope="module")
def cached_events(events, tmp_path_factory):
    """The same events as a trusted cache (GeoParquet with lon/lat), as the engine queries them."""
    import os

    from geo.store import cache

    folder = tmp_path_factory.mktemp("sql-cache")
    os.environ["CEM_CACHE_DIR"] = str(folder / "cache")
    path = geo.write(events, folder / "events.geojson")
    return cache.ensure(path).path


def test_the_engine_keeps_the_same_events_as_pandas_on_the_real_cache(events, cached_events):
    from geo.store import engine

    rng = random.Random(23)
    checked = 0
    for _ in range(200):
        spec = random_spec(rng)
        got = engine.select(cached_events, spec, ["event_id"]).read_all().column("event_id").to_pylist()
        want = events.loc[geo.mask(events, spec), "event_id"].tolist()
        assert got == want, spec  # the same events, in file order
        assert engine.count(cached_events, spec) == len(want)
        checked += bool(want)
    assert checked > 30


LITERALS = ["plain", "Kata'ib Hezbollah", "a\\b", "100%_", "what?", "'; DROP TABLE x; --", "Ḥalab ‎حلب", "",
            date(2021, 7, 5), 0, -3, 12.5, 1e-9]


@pytest.mark.parametrize("value", LITERALS, ids=[repr(v) for v in LITERALS])
def test_literals_mean_their_value_in_duckdb(value):
    from geo.sql import literal

    assert duckdb.connect().execute(f"SELECT {literal(value)}").fetchall() == [(value,)]


def test_inline_fills_placeholders_in_order_and_refuses_a_mismatch():
    from geo.sql import inline

    spec = geo.FilterSpec(actors=("what?",), text="a?b", min_fatalities=2)
    where, params = where_clause(spec, DUCKDB)
    sql = inline(where, params)
    assert "'what?'" in sql and "'%a?b%'" in sql and ">= 2" in sql
    with pytest.raises(ValueError):
        inline("a = ? AND b = ?", [1])
    with pytest.raises(ValueError, match="NUL"):
        inline("a = ?", ["x\x00y"])
