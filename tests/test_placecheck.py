"""Coordinates that do not fit their record: a point outside the country it names, a CRS the numbers cannot be in."""

from __future__ import annotations

import numpy as np
import orjson
import pandas as pd
import pytest
import shapely

import geo
from geo import placecheck
from tests.conftest import collection, feature

CASES = [  # (name, lon, lat, country, reported, words in the reason)
    ("Baghdad", 44.36, 33.31, "IRQ", False, None),
    ("swapped Baghdad", 33.31, 44.36, "IRQ", True, "swapped lat/lon"),
    ("degrees read as metres", 0.000399, 0.000299, "IRQ", True, "EPSG:3857"),
    ("Iraq labelled Syria", 44.36, 33.31, "SYR", True, "lies in Iraq (IRQ)"),
    ("Albu Kamal, on the border", 40.93, 34.45, "SYR", False, None),
    ("Al-Qaim, 10 km across it", 41.03, 34.37, "SYR", False, None),
    ("Red Sea, off Yemen", 41.6, 14.8, "YEM", False, None),
    ("mid-Atlantic for Iraq", -30.0, 20.0, "IRQ", True, "at sea"),
    ("Golan (disputed)", 35.75, 33.0, "ISR", False, None),
    ("no outline to check", 3.4, -54.4, "BVT", False, None),
]


@pytest.mark.parametrize(("lon", "lat", "country", "reported", "words"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_points_outside_their_country(lon, lat, country, reported, words):
    bad, why = placecheck.country_problems(np.array([lon]), np.array([lat]), pd.Categorical([country]))
    assert bool(bad[0]) is reported, why[0]
    if words:
        assert words in why[0]


def test_validation_reports_wrong_places_as_geometry_problems():
    checked = geo.check_file(collection(feature(33.31, 44.36, country="IRQ"), feature(44.36, 33.31, event_id="ok")))
    assert [(p.feature, p.field) for p in checked.problems] == [("features[0] (t-1)", "geometry")]


def test_many_points_are_checked_per_country_not_per_point():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(39, 48, 20_000), rng.uniform(29, 37, 20_000)
    bad, why = placecheck.country_problems(x, y, pd.Categorical(np.full(20_000, "IRQ")))
    outside_iraq = ~shapely.contains_xy(placecheck._zone("IRQ", 0.0), x, y)
    assert bad.sum() > 1000 and not (bad & ~outside_iraq).any()  # only points outside Iraq, each with a reason
    assert all(isinstance(w, str) and "Iraq (IRQ)" in w for w in why[bad])


def test_a_projected_crs_over_degrees_is_refused():
    doc = orjson.loads(collection(feature(44.36, 33.31), feature(43.1, 36.3, event_id="t-2")))
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    with pytest.raises(geo.ReadError, match="look like degrees"):
        geo.read_events(orjson.dumps(doc))


def test_real_metres_are_converted_not_refused():
    doc = orjson.loads(collection(feature(4_938_000.0, 3_936_000.0)))  # Baghdad in EPSG:3857
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    events = geo.read_events(orjson.dumps(doc))
    assert abs(events.geometry.x.iloc[0] - 44.36) < 0.05
