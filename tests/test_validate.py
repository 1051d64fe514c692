"""Validation reports every problem with its feature, field and reason, and keeps what it does not know."""

from __future__ import annotations

import numpy as np
import orjson
import pandas as pd
import pytest
import shapely

import geo
from geo.store.files import check_file
from geo.validate import check
from tests.conftest import collection, feature

BAD_CASES = [
    ("unknown weapon", feature(weapon_type="laser"), "weapon_type", "unknown value 'laser'"),
    ("bad date", feature(date="2021-13-45"), "date", "not a date"),
    ("day-first date", feature(date="05/07/2021"), "date", "not a date"),
    ("end before start", feature(date_end="2021-07-01"), "date_end", "before date"),
    ("outcome", feature(outcome="shot"), "outcome", "unknown value"),
    ("attribution", feature(attribution="blamed"), "attribution", "unknown value"),
    ("negative fatalities", feature(fatalities=-1), "fatalities", "negative"),
    ("fractional fatalities", feature(fatalities=2.5), "fatalities", "whole number"),
    ("fatalities text", feature(fatalities="several"), "fatalities", "not a number"),
    ("geo precision 4", feature(geo_precision=4), "geo_precision", "1, 2 or 3"),
    ("missing precision", feature(precision_km=None), "precision_km", "missing"),
    ("country name", feature(country="Iraq"), "country", "ISO 3166-1 alpha-3"),
    ("no sources", feature(sources=[]), "sources", "at least one source"),
    ("source js url", feature(sources=[{"publisher": "X", "url": "javascript:alert(1)"}]), "sources", "http(s)"),
    ("source no publisher", feature(sources=[{"url": "https://example.org"}]), "sources", "no publisher"),
    ("sources not objects", feature(sources=["Reuters"]), "sources", "not a JSON list"),
    ("acled sub type", feature(sub_event_type="Grenade"), "sub_event_type", "not a sub_event_type"),
    ("missing actor", feature(actor=""), "actor", "missing"),
    ("swapped", feature(lon=33.3, lat=144.4), "geometry", "swapped"),
    ("out of range", feature(lon=444.0, lat=33.3), "geometry", "out of range"),
    ("no geometry", {**feature(), "geometry": None}, "geometry", "missing"),
    ("string coordinates", {**feature(), "geometry": {"type": "Point", "coordinates": ["44", "33"]}},
     "geometry", "missing"),
    ("polygon", {**feature(), "geometry": {"type": "Polygon", "coordinates": [[[44, 33], [45, 33], [45, 34], [44, 33]]]}},
     "geometry", "not a Point"),
]


@pytest.mark.parametrize(("bad", "field", "reason"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_bad_value_is_reported_with_feature_field_and_reason(bad, field, reason):
    good = feature(event_id="ok-1")
    checked = check_file(collection(good, bad))
    assert checked.problems, "a bad value must be reported"
    hits = [p for p in checked.problems if p.field == field]
    assert hits, checked.problems
    assert reason in hits[0].reason
    assert hits[0].feature.startswith("features[1]")
    assert checked.bad.tolist() == [False, True]
    assert checked.valid["event_id"].tolist() == ["ok-1"]


def test_every_problem_is_reported_not_just_the_first():
    bad = feature(event_id="x", weapon_type="laser", date="someday", fatalities=-3, country="XX")
    checked = check_file(collection(bad))
    assert {p.field for p in checked.problems} >= {"weapon_type", "date", "fatalities", "country"}
    assert all("(x)" in p.feature for p in checked.problems)


def test_duplicate_ids_are_reported_for_both_features():
    checked = check_file(collection(feature(event_id="same"), feature(event_id="same")))
    assert [p.feature for p in checked.problems if p.field == "event_id"] == ["features[0] (same)", "features[1] (same)"]


def test_missing_required_property_is_named():
    f = feature()
    del f["properties"]["weapon_type"]
    checked = check_file(collection(f))
    assert any(p.field == "weapon_type" and "missing" in p.reason for p in checked.problems)


def test_unknown_extra_properties_are_kept(make_events):
    events = make_events(feature(my_note="kept", confidence=0.7))
    assert events["my_note"].tolist() == ["kept"]
    assert events["confidence"].tolist() == [0.7]


def test_vocabulary_spelling_is_normalised(make_events):
    events = make_events(feature(weapon_type="Ballistic missile", outcome="IMPACT"))
    assert events["weapon_type"].tolist() == ["ballistic_missile"]
    assert events["outcome"].tolist() == ["impact"]


def test_typed_columns(make_events):
    events = make_events(feature(fatalities=None), feature(event_id="t-2", fatalities=3))
    assert str(events["fatalities"].dtype) == "Int64"
    assert events["fatalities"].isna().tolist() == [True, False]
    assert events["date"].dt.year.tolist() == [2021, 2021]
    assert events.crs.to_epsg() == 4326


def test_schema_error_lists_every_problem():
    with pytest.raises(geo.SchemaError) as info:
        geo.read_events(collection(feature(weapon_type="laser"), feature(event_id="t-2", date="x")))
    text = str(info.value)
    assert "2 problems" in text and "weapon_type" in text and "date" in text


def _raw_pair() -> tuple[pd.DataFrame, np.ndarray]:
    """Two valid events as raw columns (the shape a reader hands to ``check``), sources as JSON text."""
    props = [feature(event_id=f"w-{i}")["properties"] for i in range(2)]
    raw = pd.DataFrame(props)
    raw["sources"] = [orjson.dumps(p["sources"]).decode() for p in props]
    return raw, shapely.points([44.4, 44.5], [33.3, 33.4])


WHOLE_COLUMN_CASES = [
    ("country all null", lambda r: r.assign(country=None), "country", "missing (required property)"),
    ("country all NaN text", lambda r: r.assign(country=pd.Series([None, None], dtype="str")),
     "country", "missing (required property)"),
    ("country absent", lambda r: r.drop(columns="country"), "country", "missing (required property)"),
    ("fatalities absent", lambda r: r.drop(columns="fatalities"), None, None),
    ("fatalities all NaN", lambda r: r.assign(fatalities=pd.Series([np.nan, np.nan], dtype="float64")), None, None),
    ("fatalities all NA", lambda r: r.assign(fatalities=pd.Series([pd.NA, pd.NA], dtype="Float64")), None, None),
]


@pytest.mark.parametrize(("change", "field", "reason"), [c[1:] for c in WHOLE_COLUMN_CASES],
                         ids=[c[0] for c in WHOLE_COLUMN_CASES])
def test_a_column_without_any_value_is_checked_not_crashed_on(change, field, reason):
    raw, geometry = _raw_pair()
    checked = check(change(raw), geometry)
    if field is None:  # an optional column: nothing to report, the typed column is all missing
        assert checked.problems == []
        assert str(checked.events["fatalities"].dtype) == "Int64"
        assert checked.events["fatalities"].isna().all()
    else:
        assert [(p.feature, p.field, p.reason) for p in checked.problems] == [
            ("features[0] (w-0)", field, reason), ("features[1] (w-1)", field, reason)]
        assert checked.bad.tolist() == [True, True]


def test_missing_coord_source_stays_missing(make_events):
    events = make_events(feature(), feature(event_id="t-2", coord_source={"publisher": "W", "url": "https://example.org/c"}))
    assert events["coord_source"].isna().tolist() == [True, False]
