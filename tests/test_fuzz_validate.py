"""Property tests of the validator: whatever the columns and geometries hold, ``check`` returns a report
(never raises), and ``read_events`` on any GeoJSON raises nothing but a GeoError."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

import geo
from geo.validate import check
from tests.conftest import BASE_PROPERTIES
from tests.fuzz_strategies import coordinates, dump, geometries, json_values, scalars, text

pytestmark = pytest.mark.fuzz

FIELD_NAMES = [f.name for f in geo.FIELDS]


def _point(xy):
    if xy is None:
        return None
    x, y = xy
    try:
        return shapely.Point(x, y)
    except (TypeError, ValueError, OverflowError):
        return None


columns = st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), text), st.just(None), max_size=12)


@given(names=columns, n=st.integers(0, 6), data=st.data())
def test_check_never_raises_on_any_columns(names, n, data):
    raw = pd.DataFrame({name: pd.Series(data.draw(st.lists(scalars, min_size=n, max_size=n)), dtype=object)
                        for name in names}, index=range(n))
    geometry = [_point(p) for p in data.draw(st.lists(st.one_of(st.none(), st.tuples(coordinates, coordinates)),
                                                      min_size=n, max_size=n))]
    checked = check(raw, np.array(geometry, dtype=object))
    assert len(checked.events) == n and checked.bad.shape == (n,)
    assert all(int(p.feature[9:].split("]")[0]) < n for p in checked.problems)
    assert checked.bad.sum() == len({p.feature for p in checked.problems})
    valid = checked.valid
    if len(valid):  # what passes is well-typed
        assert valid["fatalities"].dropna().between(0, 1_000_000).all()
        assert np.isfinite(shapely.get_x(valid.geometry.to_numpy())).all()


@given(overrides=st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=6),
       extra=st.dictionaries(text, json_values, max_size=3), geometry=geometries(), n=st.integers(1, 3))
def test_read_events_raises_only_geo_errors(overrides, extra, geometry, n):
    props = {**BASE_PROPERTIES, **extra, **overrides}
    features = [{"type": "Feature", "geometry": geometry, "properties": {**props, "event_id": f"f-{i}"}}
                for i in range(n)]
    try:
        events = geo.read_events(dump({"type": "FeatureCollection", "features": features}))
    except geo.GeoError:
        return
    assert len(events) == n


@given(doc=json_values)
def test_read_events_on_any_json_document(doc):
    try:
        geo.read_events(dump(doc))
    except geo.GeoError:
        pass
