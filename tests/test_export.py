"""Exports read back through GDAL (pyogrio) into the same events; CSV is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import orjson
import pandas as pd
import pyogrio
import pytest

import geo
from geo import export
from geo.store import atomic
from tests.conftest import feature

TRICKY = [
    feature(event_id="x-1", description="=HYPERLINK(\"http://evil.example\",\"click\")", target="+cmd|' /C calc'!A0",
            actor="@SUM(1+1)", location="-5", fatalities=12, comment="\tTabbed", lon=44.123456789, lat=33.987654321),
    feature(event_id="x-2", description="line one\rline two\nline three, \"quoted\"",
            actor="Ashab al-Kahf", location="Baghdad – Green Zone (المنطقة الخضراء)", fatalities=None, date_end="2021-07-06",
            date_precision="week", weapon_type="rocket", outcome="impact", attribution="claimed", admin1=None,
            event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack", extra_note="kept"),
]


def _same(a, b):
    cols = [c for c in a.columns if c != "geometry"]
    pd.testing.assert_frame_equal(pd.DataFrame(b[cols]).reset_index(drop=True), pd.DataFrame(a[cols]).reset_index(drop=True),
                                  check_dtype=False, check_categorical=False)
    assert b.geometry.geom_equals_exact(a.geometry, 1e-6).all()


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg", ".parquet"])
def test_round_trip_through_gdal(tmp_path, make_events, suffix):
    events = make_events(*TRICKY)
    path = export.write(events, tmp_path / f"out{suffix}", caption="test")
    back = geo.read_events(path)
    _same(events, back)  # coordinates agree to 1e-6 degrees (6 decimals on export)


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg", ".parquet"])
def test_seed_round_trip(tmp_path, seed, suffix):
    back = geo.read_events(export.write(seed, tmp_path / f"seed{suffix}"))
    _same(seed, back)


def test_geojson_is_rfc7946(make_events):
    data = orjson.loads(export.geojson_bytes(make_events(*TRICKY), caption="Drone attacks: 2 events",
                                              meta={"filter": {"weapon": ["drone"]}}))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    assert data["caption"] == "Drone attacks: 2 events"
    assert data["filter"] == {"weapon": ["drone"]}
    assert data["exported"].endswith("+00:00")
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [44.123457, 33.987654]}
    assert isinstance(first["properties"]["sources"], list)  # a JSON value, not a string
    assert first["properties"]["date"] == "2021-07-05"
    assert data["features"][1]["properties"]["extra_note"] == "kept"


def test_geojson_reads_in_gdal_directly(tmp_path, seed):
    path = export.write(seed, tmp_path / "seed.geojson")
    info = pyogrio.read_info(path)
    assert info["features"] == len(seed)
    assert info["crs"] == "EPSG:4326"
    frame = pyogrio.read_dataframe(path)
    assert frame["event_id"].tolist() == seed["event_id"].tolist()


def test_empty_collection(tmp_path, make_events):
    empty = make_events(feature()).iloc[:0]
    data = orjson.loads(export.geojson_bytes(empty))
    assert data["features"] == []


def _csv_rows(events):
    return list(csv.DictReader(io.StringIO(export.csv_bytes(events).decode(), newline="")))


def test_csv_neutralises_formulas_but_keeps_numbers(make_events):
    rows = _csv_rows(make_events(*TRICKY))
    assert rows[0]["notes"].startswith("'=HYPERLINK")
    assert rows[0]["target"].startswith("'+cmd")
    assert rows[0]["actor1"] == "'@SUM(1+1)"
    assert rows[0]["location"] == "-5"  # a number stays a number
    assert rows[0]["fatalities"] == "12"
    assert rows[0]["comment"] == "'\tTabbed"  # extra properties are kept as they came, so guarded too


def test_csv_keeps_rows_whole(make_events):
    rows = _csv_rows(make_events(*TRICKY))
    assert len(rows) == 2
    # a lone CR is read as a line break, so no reader can split the row on it
    assert rows[1]["notes"] == "line one\nline two\nline three, \"quoted\""


def test_csv_has_acled_columns_first(make_events):
    header = export.csv_bytes(make_events(*TRICKY)).decode().split("\r\n")[0].split(",")
    assert header[:6] == ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type"]
    row = _csv_rows(make_events(*TRICKY))[0]
    assert (row["iso"], row["country"], row["country_iso3"]) == ("368", "Iraq", "IRQ")
    assert row["source"] == "Test Wire"
    assert row["time_precision"] == "1"


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg", "parquet"])
def test_to_bytes_reads_back(tmp_path, seed, fmt):
    suffix = {"geojson": ".geojson", "csv": ".csv", "gpkg": ".gpkg", "parquet": ".parquet"}[fmt]
    path = tmp_path / f"dl{suffix}"
    path.write_bytes(export.to_bytes(seed, fmt))
    assert len(geo.read_events(path)) == len(seed)


def test_unknown_extension_is_a_clear_error(tmp_path, seed):
    with pytest.raises(geo.ExportError, match=r"\.xlsx"):
        export.write(seed, tmp_path / "out.xlsx")


def test_unwritable_target_leaves_nothing(tmp_path, seed):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(geo.ExportError, match="cannot write"):
        export.write(seed, blocker / "out.geojson")
    assert blocker.read_text() == "not a folder"


def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "events.geojson"
    target.write_text("old")

    def broken(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic.write_with(target, broken)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["events.geojson"]


@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_large_exports_written_in_slices_stay_whole(tmp_path, seed, monkeypatch, suffix):
    monkeypatch.setattr(export, "CHUNK_ROWS", 7)  # 48 seed events -> 7 slices, the last one short
    back = geo.read_events(export.write(seed, tmp_path / f"sliced{suffix}"))
    _same(seed, back)
