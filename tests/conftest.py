"""Shared fixtures: small event collections written by hand, read through the real GeoJSON reader."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import orjson
import pytest
from hypothesis import HealthCheck, settings

import geo

ROOT = Path(__file__).resolve().parent.parent

# Property tests (hypothesis): a bounded run in `make test`, a long one in `make fuzz` (CEM_FUZZ=1). The only
# failure a reader, the validator, the filter parser, the geocoder or the extractor may raise is a GeoError.
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
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
    properties.update(props)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


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
    monkeypatch.setenv("CEM_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
