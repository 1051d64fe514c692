"""The trusted cache: validated once per file state, read back without validating, rebuilt when it cannot be trusted."""

from __future__ import annotations

import json
import os

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import geo
from geo import export
from geo.store import cache, engine, frames
from tests.conftest import collection, feature


def _write(path, *features) -> None:
    path.write_bytes(collection(*features))


def _touch_later(path) -> None:
    os.utime(path, ns=(0, os.stat(path).st_mtime_ns + 1_000_000))


def test_the_cache_records_that_it_is_ours_and_valid(tmp_path):
    path = tmp_path / "events.geojson"
    _write(path, feature(), feature(event_id="t-2", lon=45.0))
    found = cache.ensure(path)
    meta = pq.read_metadata(found.path).metadata
    record = json.loads(meta[cache.META_KEY.encode()])
    assert record["version"] == cache.CACHE_VERSION and record["rows"] == 2
    assert record["source"] == cache.identity(path)
    geo_meta = json.loads(meta[b"geo"])
    assert geo_meta["primary_column"] == "geometry" and geo_meta["columns"]["geometry"]["encoding"] == "WKB"
    assert geo_meta["columns"]["geometry"]["bbox"] == [44.4, 33.3, 45.0, 33.3]
    table = pq.read_table(found.path, columns=["lon", "lat"])
    assert table.column("lon").to_pylist() == [44.4, 45.0]  # plain coordinates for the engine


def test_the_cache_reads_back_as_validated_events(tmp_path, seed):
    found = cache.ensure(geo.DEFAULT_EVENTS)
    pd.testing.assert_frame_equal(cache.read(found), seed)
    assert cache.lookup(geo.DEFAULT_EVENTS) == found


def test_a_trusted_cache_is_read_without_validating_again(tmp_path):
    path = tmp_path / "events.geojson"
    _write(path, feature())
    found = cache.ensure(path)
    # Rewrite the cache's content but keep its record: what the next read gives must come from the cache,
    # proving the source is not read (nor validated) again.
    table = pq.read_table(found.path)
    i = table.schema.get_field_index("location")
    marked = table.set_column(i, "location", pc.binary_join_element_wise("cached: ", table.column(i), ""))
    record = {k: v for k, v in pq.read_metadata(found.path).metadata.items() if k != b"ARROW:schema"}
    pq.write_table(marked.replace_schema_metadata(record), found.path)
    assert geo.load_events(path)["location"].iloc[0].startswith("cached: ")
    assert engine.count(found.path, geo.FilterSpec(text="cached:")) == 1


def test_a_changed_file_is_read_again_and_the_old_cache_removed(tmp_path):
    path = tmp_path / "events.geojson"
    _write(path, feature())
    first = cache.ensure(path)
    assert len(geo.load_events(path)) == 1
    _write(path, feature(), feature(event_id="t-2"))
    _touch_later(path)
    assert cache.lookup(path) is None  # a new state of the file: the old cache does not stand for it
    assert len(geo.load_events(path)) == 2
    assert not first.path.exists()
    assert cache.ensure(path).rows == 2


def test_a_file_replaced_with_the_same_size_and_mtime_is_read_again(tmp_path):
    path = tmp_path / "events.geojson"
    _write(path, feature(weapon_type="rocket"))
    stat = path.stat()
    cache.ensure(path)
    replacement = tmp_path / "new.geojson"
    _write(replacement, feature(weapon_type="mortar"))  # as long as 'rocket'
    assert replacement.stat().st_size == stat.st_size
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, path)  # a new inode: an atomic rewrite by another tool
    assert geo.load_events(path)["weapon_type"].iloc[0] == "mortar"


@pytest.mark.parametrize("damage", [b"garbage", b"PAR1" + b"\0" * 64 + b"PAR1"], ids=["not parquet", "broken parquet"])
def test_a_damaged_cache_is_rebuilt(tmp_path, damage):
    path = tmp_path / "events.geojson"
    _write(path, feature())
    found = cache.ensure(path)
    found.path.write_bytes(damage)
    assert cache.lookup(path) is None and not found.path.exists()
    assert len(geo.load_events(path)) == 1
    assert cache.lookup(path) is not None


def test_a_parquet_without_our_record_is_never_taken_for_a_cache(tmp_path, seed):
    path = tmp_path / "events.geojson"
    _write(path, feature())
    found = cache.ensure(path)
    seed.to_parquet(found.path)  # a valid GeoParquet at the cache's place, but not written by the cache
    assert cache.lookup(path) is None
    assert len(geo.load_events(path)) == 1


def test_a_users_geoparquet_is_validated_once_then_cached(tmp_path, seed):
    path = tmp_path / "mine.parquet"
    export.write(seed, path)
    assert cache.lookup(path) is None
    pd.testing.assert_frame_equal(geo.load_events(path), seed)
    assert cache.lookup(path).rows == len(seed)


def test_an_invalid_file_gets_no_cache(tmp_path):
    path = tmp_path / "bad.geojson"
    _write(path, feature(weapon_type="laser"))
    with pytest.raises(geo.SchemaError, match="weapon_type"):
        cache.ensure(path)
    assert cache.lookup(path) is None
    assert not list(geo.paths.cache_dir().glob("bad-*.parquet"))


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg", ".parquet"])
def test_big_files_are_validated_in_slices_with_the_same_result(tmp_path, monkeypatch, seed, suffix):
    path = tmp_path / f"seed{suffix}"
    export.write(seed, path)
    monkeypatch.setattr(cache, "CHUNK_ROWS", 7)  # 48 events: seven slices
    found = cache.ensure(path)
    assert pq.read_metadata(found.path).num_row_groups >= 7
    pd.testing.assert_frame_equal(cache.read(found), geo.read_events(path))


def test_problems_found_in_slices_name_the_features_of_the_whole_file(tmp_path, monkeypatch):
    path = tmp_path / "events.geojson"
    feats = [feature(event_id=f"e{i}") for i in range(7)]
    feats[3] = feature(event_id="e3", weapon_type="laser")
    feats[6] = feature(event_id="e0")  # the same id as the first event, in another slice
    feats[5] = feature(event_id="e4")  # and a repeat inside one slice
    _write(path, *feats)
    whole = geo.check_file(path).problems
    monkeypatch.setattr(cache, "CHUNK_ROWS", 3)
    with pytest.raises(geo.SchemaError) as raised:
        cache.ensure(path)
    assert sorted(map(str, raised.value.problems)) == sorted(map(str, whole))
    assert any(p.feature == "features[6] (e0)" for p in raised.value.problems)
    assert cache.lookup(path) is None


def test_extra_columns_survive_slices_as_text(tmp_path, monkeypatch):
    path = tmp_path / "events.geojson"
    _write(path, *[feature(event_id=f"e{i}", note=f"n{i}" if i % 2 else None) for i in range(5)])
    monkeypatch.setattr(cache, "CHUNK_ROWS", 2)
    events = cache.read(cache.ensure(path))
    assert events["note"].isna().tolist() == [True, False, True, False, True]
    assert events["note"].iloc[3] == "n3"


def test_table_layout_round_trips(seed):
    table = frames.to_table(seed)
    assert table.column_names[-3:] == ["geometry", "lon", "lat"]
    pd.testing.assert_frame_equal(frames.to_events(table), seed)
    pd.testing.assert_frame_equal(frames.to_events(table.drop_columns(["lon", "lat"])), seed)  # from WKB


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path, monkeypatch):
    path = tmp_path / "events.geojson"
    _write(path, feature())
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")  # a file where the cache folder should be: nothing can be written under it
    monkeypatch.setenv("CEM_CACHE_DIR", str(blocked))
    found = cache.ensure(path)
    assert blocked not in found.path.parents and found.rows == 1
    assert len(geo.load_events(path)) == 1


def test_a_streamed_geoparquet_export_is_read_in_slices(tmp_path, monkeypatch, seed):
    from geo import export_slices

    found = cache.ensure(geo.DEFAULT_EVENTS)
    path = tmp_path / "streamed.parquet"
    export_slices.export_file(found.path, geo.FilterSpec(), path)
    monkeypatch.setattr(cache, "CHUNK_ROWS", 10)
    again = cache.ensure(path)
    assert pq.read_metadata(again.path).num_row_groups >= 5  # read slice by slice, not through geopandas whole
    pd.testing.assert_frame_equal(cache.read(again), seed)
