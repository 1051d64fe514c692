"""Readers of the field's data: golden files per source (tests/data/<source>/<case> + .expected.csv and
.report.csv), bad input, and format detection. Regenerate goldens with CEM_REGEN=1 after checking the diff."""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pandas as pd
import pytest

from geo import ingest
from geo.ingest import acled
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
CASES = [("acled", "export.csv"), ("acled", "pre2023_semicolon_cp1252.csv"), ("ucdp", "ged.csv"),
         ("gdelt", "mixed.CSV"), ("table", "sites.csv"), ("gis", "epsg3857.geojson"),
         # real excerpts (tests/data/<source>/PROVENANCE.md)
         ("acled", "acled_2015_old_layout_bgd.csv"), ("acled", "acled_2020_mena.csv"),
         ("acled", "acled_2015_running_file_pak.xlsx"), ("ucdp", "ged191_mmr_bgd.csv"),
         ("gdelt", "gdelt1_20160728_excerpt.export.tsv")]
SHOWN = ["event_id", "date", "date_precision", "weapon_type", "outcome", "actor", "attribution", "country",
         "location", "geo_precision", "precision_km", "fatalities", "source_id", "updated", "lon", "lat", "sources"]


def summary(events) -> pd.DataFrame:
    out = pd.DataFrame({c: events[c].astype("str") for c in SHOWN if c in events})
    out["date"] = events["date"].dt.strftime("%Y-%m-%d")
    out["lon"] = events.geometry.x.round(4).astype("str")
    out["lat"] = events.geometry.y.round(4).astype("str")
    return out[SHOWN].astype(object).where(out[SHOWN].notna(), "").astype("str").reset_index(drop=True)


@pytest.mark.parametrize(("source", "case"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_golden(source, case):
    path = DATA / source / case
    result = ingest.read(path)
    got, report = summary(result.events), result.report.astype("str").fillna("")
    expected, expected_report = path.with_name(case + ".expected.csv"), path.with_name(case + ".report.csv")
    if os.environ.get("CEM_REGEN"):
        got.to_csv(expected, index=False)
        report.to_csv(expected_report, index=False)
    pd.testing.assert_frame_equal(got, pd.read_csv(expected, dtype="str", keep_default_na=False).astype("str"),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(report.reset_index(drop=True),
                                  pd.read_csv(expected_report, dtype="str", keep_default_na=False).astype("str"),
                                  check_dtype=False)


@pytest.mark.parametrize(("source", "case"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_format_is_detected(source, case):
    path = DATA / source / case
    assert ingest.read(path).fmt == {"table": "csv"}.get(source, source)


def test_nothing_is_silently_dropped():
    # every data row of each file is either an event or in the report
    for source, case, first in [("acled", "pre2023_semicolon_cp1252.csv", 2), ("ucdp", "ged.csv", 2),
                                ("gdelt", "mixed.CSV", 1), ("table", "sites.csv", 2),
                                ("gdelt", "gdelt1_20160728_excerpt.export.tsv", 1), ("ucdp", "ged191_mmr_bgd.csv", 2),
                                ("acled", "acled_2020_mena.csv", 2)]:
        result = ingest.read(DATA / source / case)
        raw = (DATA / source / case).read_bytes()
        text = raw.decode("utf-8") if case != "pre2023_semicolon_cp1252.csv" else raw.decode("cp1252")
        delimiter = "\t" if source == "gdelt" else ";" if "semicolon" in case else ","
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
        lines = len(records) - (first == 2)
        assert result.taken + result.report["row"].nunique() == lines, case


def acled_csv(rows: list[dict], *, upper: bool = False, bom: bool = False) -> bytes:
    base = dict(event_id_cnty="IRQ1", event_date="05 July 2021", time_precision="1",
                event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                actor1="Unidentified Armed Group (Iraq)", actor2="", inter1="3", iso="368", country="Iraq",
                admin1="Al Anbar", location="Ain al-Asad Airbase", latitude="33.7856", longitude="42.4411",
                geo_precision="1", source="Reuters", notes="Three rockets hit the base.", fatalities="0",
                timestamp="1625731200")
    frame = pd.DataFrame([{**base, **r} for r in rows])
    if upper:
        frame.columns = [c.upper() for c in frame.columns]
    text = frame.to_csv(index=False)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@pytest.mark.parametrize(("text", "iso"), [("05 July 2021", "2021-07-05"), ("2021-07-05", "2021-07-05"),
                                           ("05-Jul-21", "2021-07-05"), ("2021-05-07", "2021-05-07"),
                                           ("07 May 2021", "2021-05-07")], ids=["export", "api", "excel", "iso-may",
                                                                                "export-may"])
def test_acled_dates_are_parsed_per_format(text, iso):
    events = acled.read(acled_csv([{"event_date": text}])).events
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == [iso]


def test_acled_mixed_dates_bom_upper_headers():
    data = acled_csv([{"event_id_cnty": "IRQ1", "event_date": "2021-07-05"},
                      {"event_id_cnty": "IRQ2", "event_date": "06 July 2021"},
                      {"event_id_cnty": "IRQ3", "event_date": "07-Jul-21"},
                      {"event_id_cnty": "IRQ4", "event_date": "7/8/2021"}], upper=True, bom=True)
    result = acled.read(data)
    assert result.events["date"].dt.day.tolist() == [5, 6, 7]
    assert result.report[["row", "field"]].values.tolist() == [[5, "event_date"]]


def test_acled_monadic_rows_collapse_and_newest_revision_wins():
    data = acled_csv([{"actor1": "A", "actor2": "B"}, {"actor1": "B", "actor2": "A"},
                      {"event_id_cnty": "IRQ2", "location": "Old place", "timestamp": "100"},
                      {"event_id_cnty": "IRQ2", "location": "New place", "timestamp": "200"}])
    result = acled.read(data)
    assert sorted(result.events["source_id"]) == ["IRQ1", "IRQ2"]
    assert result.events.set_index("source_id").loc["IRQ2", "location"] == "New place"
    assert any("monadic" in n for n in result.notes)
    assert result.report["reason"].str.contains("row 5 .newest timestamp. was kept").tolist() == [True]


@pytest.mark.parametrize(("sub", "notes", "weapon", "outcome"), [
    ("Air/drone strike", "A US drone struck a car.", "drone", "impact"),
    ("Air/drone strike", "Jets struck positions.", "airstrike", "impact"),
    ("Shelling/artillery/missile attack", "Katyusha rockets hit the base.", "rocket", "impact"),
    ("Shelling/artillery/missile attack", "Mortar rounds fell.", "mortar", "impact"),
    ("Shelling/artillery/missile attack", "Shelling of the village.", "artillery", "impact"),
    ("Remote explosive/landmine/IED", "A roadside bomb.", "ied", "impact"),
    ("Disrupted weapons use", "C-RAM shot down a drone.", "drone", "intercepted"),
    ("Disrupted weapons use", "An IED was found and defused.", "ied", "failed"),
], ids=["drone", "air", "rocket", "mortar", "artillery", "ied", "drone-down", "ied-defused"])
def test_acled_weapon_table(sub, notes, weapon, outcome):
    et = "Strategic developments" if sub == "Disrupted weapons use" else "Explosions/Remote violence"
    events = acled.read(acled_csv([{"event_type": et, "sub_event_type": sub, "notes": notes}])).events
    assert (events["weapon_type"].iloc[0], events["outcome"].iloc[0]) == (weapon, outcome)


def test_acled_xlsx_with_numeric_inter():
    frame = pd.read_csv(io.BytesIO(acled_csv([{"inter1": "3"}, {"event_id_cnty": "IRQ2", "inter1": "8"}])),
                        dtype="str", keep_default_na=False)
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    result = ingest.read(buf.getvalue(), name="export.xlsx")
    assert result.fmt == "acled"
    assert result.events["inter1"].tolist() == ["Political militia", "External/Other forces"]


def test_acled_missing_column_is_a_read_error():
    with pytest.raises(ingest.IngestError, match="missing column.*latitude"):
        acled.read(acled_csv([{}]).replace(b"latitude", b"lat"))


def test_acled_wrong_delimiter_says_so():
    data = acled_csv([{}]).replace(b",", b"|")
    assert acled.read(data).taken == 1  # sniffed
    with pytest.raises(ingest.IngestError, match="delimiter"):
        ingest.read(b"event_id_cnty event_date\nIRQ1 x\n", "acled")


def test_out_of_scope_rows_are_reported_not_dropped():
    result = acled.read(acled_csv([{"event_type": "Protests", "sub_event_type": "Peaceful protest"}]))
    assert result.taken == 0 and result.out_of_scope == 1 and result.rejected == 0
    assert acled.read(acled_csv([{"event_type": "Protests", "sub_event_type": "Peaceful protest"}]),
                      all_types=True).taken == 1


def test_acled_deletions_file():
    result = ingest.read(b"event_id_cnty,deleted_timestamp\nIRQ1,1700000000\n", "acled")
    assert result.taken == 0 and result.deletions["source_id"].tolist() == ["IRQ1"]


def test_unreadable_file_raises():
    with pytest.raises(ingest.IngestError):
        ingest.read(b"", "csv")
    with pytest.raises(ingest.IngestError, match="GIS"):
        ingest.read(b"{not json", "gis", name="x.geojson")


def test_table_mapping_override_and_ambiguous_dates():
    data = b"When,Y,X,Where\n05/07/2021,33.299,44.396,Baghdad\n06/07/2021,33.299,44.396,Baghdad\n"
    with pytest.raises(ingest.IngestError, match="ambiguous.*dayfirst"):  # nothing taken: the file is refused
        ingest.read(data, "csv", mapping="date=When,lat=Y,lon=X,location=Where")
    result = ingest.read(data, "csv", mapping="date=When,lat=Y,lon=X,location=Where", refuse_empty=False)
    assert result.taken == 0 and any("ambiguous" in n for n in result.notes)
    result = ingest.read(data, "csv", mapping="date=When,lat=Y,lon=X,location=Where", dayfirst=True)
    assert result.events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-07-05", "2021-07-06"]
    with pytest.raises(ingest.IngestError, match="not in the file"):
        ingest.read(data, "csv", mapping="date=Nope")


def test_gdelt_marks_machine_coded_and_coarse_centroids():
    events = ingest.read(DATA / "gdelt" / "mixed.CSV").events
    assert events["machine_coded"].all()
    country_centroid = events.set_index("source_id").loc["1002"]
    # Iraq's centroid stands for all of Iraq: its farthest border lies 450-700 km away (Iraq spans ~1,000 km)
    assert 450 < country_centroid["precision_km"] < 700 and country_centroid["geo_precision"] == 3


def test_report_columns():
    assert list(ingest.read(DATA / "ucdp" / "ged.csv").report.columns) == list(ingest.REPORT_COLUMNS)
    assert np.issubdtype(ingest.read(DATA / "ucdp" / "ged.csv").report["row"].dtype, np.integer)
