"""Reading files: clear errors for what is not events, every format through GDAL, a GeoParquet cache."""

from __future__ import annotations

import os

import orjson
import pandas as pd
import pytest

import geo
from geo import export, store
from tests.conftest import collection, feature

NOT_EVENTS = [
    ("empty", b"", "empty"),
    ("not json", b"{not json", "not valid JSON"),
    ("list", b"[1, 2, 3]", "expected a GeoJSON FeatureCollection, found list"),
    ("single feature", orjson.dumps(feature()), "found Feature"),
    ("features not a list", b'{"type": "FeatureCollection", "features": {}}', "must be a list"),
    ("not a feature", b'{"type": "FeatureCollection", "features": [{"type": "Point"}]}', "features[0] is not"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in NOT_EVENTS], ids=[c[0] for c in NOT_EVENTS])
def test_what_is_not_a_feature_collection_is_refused(tmp_path, data, message):
    path = tmp_path / "in.geojson"
    path.write_bytes(data)
    with pytest.raises(geo.ReadError, match=message.replace("[", r"\[")):
        geo.read_events(path)


def test_missing_file(tmp_path):
    with pytest.raises(geo.ReadError, match="no such file"):
        geo.read_events(tmp_path / "nope.geojson")


def test_unknown_extension(tmp_path):
    path = tmp_path / "events.txt"
    path.write_text("x")
    with pytest.raises(geo.ReadError, match="unknown file type '.txt'"):
        geo.read_events(path)


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + collection(feature()))
    assert len(geo.read_events(path)) == 1


def test_web_mercator_file_is_brought_to_wgs84(tmp_path):
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(44.4, 33.3)
    doc = orjson.loads(collection(feature()))
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    doc["features"][0]["geometry"]["coordinates"] = [x, y]
    path = tmp_path / "merc.geojson"
    path.write_bytes(orjson.dumps(doc))
    events = geo.read_events(path)
    assert events.crs.to_epsg() == 4326
    assert events.geometry.x.iloc[0] == pytest.approx(44.4, abs=1e-3)
    assert events.geometry.y.iloc[0] == pytest.approx(33.3, abs=1e-3)


def test_3d_point_is_flattened(tmp_path):
    doc = orjson.loads(collection(feature()))
    doc["features"][0]["geometry"]["coordinates"] = [44.4, 33.3, 35.0]
    path = tmp_path / "z.geojson"
    path.write_bytes(orjson.dumps(doc))
    events = geo.read_events(path)
    assert not events.geometry.has_z.any()
    assert events.crs.to_epsg() == 4326


def test_csv_without_coordinates_is_refused(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("event_id,date\nx,2021-07-05\n")
    with pytest.raises(geo.ReadError, match="longitude"):
        geo.read_events(path)


def test_load_events_uses_and_refreshes_the_cache(tmp_path, make_events):
    path = tmp_path / "events.geojson"
    export.write(make_events(feature()), path)
    first = store.load_events(path)
    cached = list(store.cache_dir().glob("events-*.parquet"))
    assert len(cached) >= 1
    pd.testing.assert_frame_equal(store.load_events(path), first)
    export.write(make_events(feature(), feature(event_id="t-2")), path)
    os.utime(path, ns=(0, os.stat(path).st_mtime_ns + 1_000_000))
    assert len(store.load_events(path)) == 2  # a changed file is read again, not served stale


def test_load_events_refuses_invalid_files(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_bytes(collection(feature(weapon_type="laser")))
    with pytest.raises(geo.SchemaError, match="weapon_type"):
        store.load_events(path)


def test_damaged_cache_is_rebuilt(tmp_path, make_events):
    path = tmp_path / "events.geojson"
    export.write(make_events(feature()), path)
    store.load_events(path)
    for cached in store.cache_dir().glob("events-*.parquet"):
        cached.write_bytes(b"garbage")
    assert len(store.load_events(path)) == 1
