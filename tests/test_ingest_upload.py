"""The Import page's helpers (geo.ingest.upload): size cap, format, columns, editable mapping, formula-safe report."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

import geo
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
TABLE = b"Ref,When,Northing,Easting,Spot,Summary\nK1,2021-07-05,33.299,44.396,Baghdad,Drone shot down\n"


@pytest.mark.parametrize(("n_bytes", "cap_mb", "fails"), [
    (200 * 2**20, 200, False), (200 * 2**20 + 1, 200, True), (0, 1, False), (3 * 2**20, 2.5, True),
], ids=["at-cap", "one-byte-over", "empty", "fractional-cap"])
def test_check_size(n_bytes, cap_mb, fails):
    if fails:
        with pytest.raises(geo.IngestError, match=r"big\.csv is .* MB, above the upload limit of .* MB"):
            geo.check_upload_size(n_bytes, cap_mb=cap_mb, name="big.csv")
    else:
        geo.check_upload_size(n_bytes, cap_mb=cap_mb, name="big.csv")


@pytest.mark.parametrize(("relative", "fmt"), [
    ("acled/export.csv", "acled"), ("ucdp/ged.csv", "ucdp"), ("gdelt/mixed.CSV", "gdelt"),
    ("table/sites.csv", "csv"), ("gis/epsg3857.geojson", "gis"),
], ids=["acled", "ucdp", "gdelt", "table", "geojson"])
def test_detect_upload(relative, fmt):
    assert geo.detect_upload((DATA / relative).read_bytes(), relative.rsplit("/", 1)[-1]) == fmt


@pytest.mark.parametrize(("data", "name", "fmt", "columns"), [
    (TABLE, "t.csv", "csv", ["Ref", "When", "Northing", "Easting", "Spot", "Summary"]),
    (TABLE.replace(b",", b";"), "t.csv", "csv", ["Ref", "When", "Northing", "Easting", "Spot", "Summary"]),
    ((DATA / "gis/epsg3857.geojson").read_bytes(), "x.geojson", "gis", ["id", "date", "weapon", "name"]),
    ((DATA / "acled/export.csv").read_bytes(), "a.csv", "acled", []),
], ids=["csv", "semicolons", "geojson", "acled-not-mappable"])
def test_upload_columns(data, name, fmt, columns):
    assert geo.upload_columns(data, name, fmt) == columns


def test_mapping_table_round_trip_and_override():
    columns = ["Ref", "When", "Northing", "Easting", "Spot", "Summary"]
    table = geo.mapping_table(columns)
    guessed = dict(zip(table["field"], table["column"]))
    assert guessed["date"] == "When" and guessed["lat"] == "" and set(table["field"]) >= {"date", "lat", "lon"}
    table.loc[table["field"] == "lat", "column"] = "Northing"
    table.loc[table["field"] == "lon", "column"] = "Easting"
    table.loc[table["field"] == "location", "column"] = "Spot"
    table.loc[table["field"] == "description", "column"] = None  # a cleared cell drops the guess
    mapping = geo.mapping_from_table(table)
    result = geo.read_upload(TABLE, "t.csv", fmt="csv", mapping=mapping)
    assert result.taken == 1 and result.events["description"].isna().all()
    assert result.events["dataset"].tolist() == ["t.csv"]  # the upload's own name, not the temporary file's


def test_read_upload_without_coordinates_is_an_error():
    with pytest.raises(geo.IngestError, match="no coordinates"):
        geo.read_upload(TABLE, "t.csv", fmt="csv")


def test_read_upload_refuses_oversize_before_reading():
    with pytest.raises(geo.IngestError, match="above the upload limit"):
        geo.read_upload(b"x" * (2**20 + 1), "t.csv", cap_mb=1)


def test_report_csv_is_formula_safe_and_round_trips():
    report = pd.DataFrame({"row": [2, 3, 4], "field": ["date", "=cmd", "lat"],
                           "reason": ["=HYPERLINK(\"http://x\")", "@SUM(1)", "line\rbreak, -5"]})
    text = geo.report_csv_bytes(report).decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["row", "field", "reason"]
    assert rows[1:] == [["2", "date", "'=HYPERLINK(\"http://x\")"], ["3", "'=cmd", "'@SUM(1)"],
                        ["4", "lat", "line\rbreak, -5"]]


def test_linked_duplicates_lists_only_the_imported_links(make_events):
    from tests.conftest import feature

    merged = make_events(feature(event_id="a"), feature(event_id="b"))
    merged["duplicate_of"] = [None, "a"]
    incoming = merged[merged["event_id"] == "b"]
    assert geo.linked_duplicates(merged, incoming)[["event_id", "duplicate_of"]].values.tolist() == [["b", "a"]]
