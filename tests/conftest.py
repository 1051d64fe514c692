"""Shared fixtures: small event collections written by hand, read through the real GeoJSON reader."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, Phase, settings

import geo
from geo.geocode.gazetteer import haversine_km
from geo.placecheck import country_at

ROOT = Path(__file__).resolve().parent.parent

# Property tests (hypothesis): a bounded run in `make test`, a long one in `make fuzz` (CEM_FUZZ=1). The only
# failure a reader, the validator, the filter parser, the geocoder or the extractor may raise is a GeoError.
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz", max_examples=int(os.environ.get("CEM_FUZZ_EXAMPLES", "20000")), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("quick", parent=settings.get_profile("ci"),  # pytest --hypothesis-profile=quick
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # (no shrinking: a fast answer)
settings.load_profile("fuzz" if os.environ.get("CEM_FUZZ") else "ci")

BASE_PROPERTIES: dict[str, Any] = {
    "event_id": "t-1",
    "date": "2021-07-05",
    "date_end": None,
    "date_precision": "day",
    "weapon_type": "drone",
    "outcome": "intercepted",
    "actor": "Unidentified",
    "attribution": "unknown",
    "target": "Test compound",
    "country": "IRQ",
    "admin1": "Baghdad",
    "location": "near a test compound",
    "geo_precision": 2,
    "precision_km": 2.0,
    "fatalities": 0,
    "description": "A test event.",
    "sources": [{"publisher": "Test Wire", "url": "https://example.org/a", "date": "2021-07-06", "title": "T"}],
    "event_type": "Strategic developments",
    "sub_event_type": "Disrupted weapons use",
    "source_id": None,
    "updated": None,
}


def feature(lon: float = 44.4, lat: float = 33.3, **props: Any) -> dict[str, Any]:
    """A valid GeoJSON Feature of one test event; keyword arguments override its properties."""
    properties = copy.deepcopy(BASE_PROPERTIES)
    if "country" not in props and abs(lon) <= 180 and abs(lat) <= 90:  # (the validator refuses a point outside
        # the country its record names; tests of that check name the country themselves)
        properties["country"] = country_at(np.array([lon]), np.array([lat]))[0]
    properties.update(props)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def km(candidate: Any, lon: float, lat: float) -> float:
    """Distance in km from a news candidate's point to (lon, lat): the extraction tests' yardstick."""
    return float(haversine_km(candidate.lon, candidate.lat, lon, lat))


def open_app(**params: str | list[str]):
    """The real app in AppTest, opened with these URL parameters, run once, with no exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def collection(*features: dict[str, Any]) -> bytes:
    return orjson.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.fixture
def make_events() -> Callable[..., gpd.GeoDataFrame]:
    """Build events from features through the real reader and validator (the one path every file takes)."""
    def make(*features: dict[str, Any]) -> gpd.GeoDataFrame:
        return geo.read_events(collection(*features))
    return make


@pytest.fixture(scope="session")
def seed() -> gpd.GeoDataFrame:
    return geo.read_events(geo.DEFAULT_EVENTS)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Caches go to a per-session folder, never to the user's ~/.cache.
    # (`make fuzz` runs many sessions: they share one throwaway folder, so the gazetteer is built once)
    monkeypatch.setenv("CEM_CACHE_DIR", os.environ.get("CEM_FUZZ_CACHE") or str(tmp_path_factory.getbasetemp() / "cache"))


# -- a real PostgreSQL + PostGIS server for the team-store tests (started once per session, on a free port) --------
@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway cluster in a temp folder; the tests fail (never skip) when it cannot start."""
    import shutil
    import tempfile

    from geo.store import localdb

    folder = Path(tempfile.mkdtemp(prefix="cem-pg-"))  # under /tmp: the postgres user must reach it
    try:
        cluster = localdb.start(folder, throwaway=True)
    except geo.GeoError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL could not be started for the store tests (`make test` installs it): {exc}",
                    pytrace=False)
    yield cluster
    localdb.stop(cluster)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_cluster):
    """A migrated database to copy per test, and login roles for the reader and the writer."""
    import psycopg

    from geo.store import pgschema

    with psycopg.connect(pg_cluster.url(), autocommit=True) as con:
        con.execute("CREATE DATABASE cem_template")
    pgschema.migrate(pg_cluster.url("cem_template"))
    pgschema.add_user(pg_cluster.url("cem_template"), "cem_test_reader", role="reader")
    pgschema.add_user(pg_cluster.url("cem_template"), "cem_test_writer", role="writer")
    return "cem_template"


class TeamStore:
    """URLs of one fresh team database: the owner's, the writer's and the reader's."""

    def __init__(self, cluster, dbname: str) -> None:
        self.dbname = dbname
        self.owner = cluster.url(dbname)
        self.writer = cluster.url(dbname, user="cem_test_writer")
        self.reader = cluster.url(dbname, user="cem_test_reader")


@pytest.fixture
def team(pg_cluster, pg_template, request):
    """A fresh, migrated team database (a copy of the template), dropped after the test."""
    import re

    import psycopg

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + f"_{os.getpid()}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}" TEMPLATE {pg_template}')
    yield TeamStore(pg_cluster, name)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
