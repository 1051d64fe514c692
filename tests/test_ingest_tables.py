"""Tables re-saved from the field's exports: a GDELT table with a header row, a CSV cut from an ACLED export."""

from __future__ import annotations

import orjson
import pytest

from geo import ingest
from geo.ingest import SCOPE
from tests.test_ingest_layouts import run_cli

DATA = __import__("pathlib").Path(__file__).parent / "data"
GDELT_CSV = DATA / "gdelt" / "gdelt1_header_csv_1980_libya_excerpt.csv"
ACLED_CUT = DATA / "acled" / "acled_rtrimmed_no_coords_bfa_excerpt.csv"


def test_gdelt_table_with_a_header_row_is_detected_and_read_by_name():
    assert ingest.detect_format(GDELT_CSV.read_bytes(), GDELT_CSV.name) == "gdelt"
    result = ingest.read(GDELT_CSV, gate=ingest.gdelt.Gate(min_articles=1, cameo=("17", "19")))
    events = result.events.set_index("source_id")
    # the file's own values, column by column (its 'NA' cells are missing, not text)
    assert list(events.index) == ["411744", "412510", "413041", "413985", "417406"]
    first = events.loc["411744"]
    assert str(first["date"])[:10] == "1980-01-14" and first["actor"] == "OUTLAW" and first["target"] == "TERRORIST"
    assert (round(first.geometry.y, 4), round(first.geometry.x, 4)) == (32.8925, 13.18)
    assert first["cameo_code"] == "190" and bool(first["machine_coded"])
    assert any("header row" in n for n in result.notes)


def test_gdelt_table_with_a_header_row_lacking_coordinates_is_refused_clearly():
    head = b"GLOBALEVENTID,SQLDATE,EventCode\n1,20200101,190\n"
    with pytest.raises(ingest.IngestError, match="lacks ActionGeo_Lat, ActionGeo_Long"):
        ingest.read(head, "gdelt")


def test_acled_cut_keeps_to_attacks_and_takes_weapons_from_acled_types():
    result = ingest.read(ACLED_CUT, refuse_empty=False)
    assert result.fmt == "csv"
    scope = result.report[result.report["field"] == SCOPE]
    assert sorted(scope["row"]) == [2, 3, 5, 6, 7, 8]  # protests, looting and "Other" strategic developments
    assert scope["reason"].str.contains("--all-types").all()
    taken = result.events.sort_values("date")
    assert list(taken["sub_event_type"]) == ["Remote explosive/landmine/IED", "Attack"]
    assert list(taken["weapon_type"]) == ["ied", "unknown"]  # (an attack on civilians names no weapon)
    assert list(taken["outcome"]) == ["impact", "impact"]
    every = ingest.read(ACLED_CUT, all_types=True, refuse_empty=False)
    assert len(every.events) + int((every.report["field"] == "location").sum()) == 8


def test_acled_cut_is_geocoded_within_its_own_province_and_says_so():
    events = ingest.read(ACLED_CUT, refuse_empty=False).events.set_index("location")
    # Komsilga of Centre-Nord / Bam is not the Komsilga of Centre the gazetteer holds: the row's province, with
    # its size as the precision, stands for it (it was put at the other Komsilga, 100 km off, before)
    komsilga = events.loc["Komsilga"]
    assert komsilga["admin1"] == "Centre-Nord" and komsilga["geo_precision"] == 3 and komsilga["precision_km"] > 30
    assert komsilga.geometry.y > 12.6  # Centre-Nord lies north of Ouagadougou's Centre (12.2-12.6 N)
    note = komsilga["coord_source"]
    note = orjson.loads(note) if isinstance(note, str) else note
    assert note["publisher"] == "Conflict Event Map offline geocoder" and "Komsilga, Bam, Centre-Nord" in note["note"]


def test_import_is_another_name_of_the_ingest_command(tmp_path, capsys):
    out = tmp_path / "g.geojson"
    code, io_ = run_cli(["import", str(GDELT_CSV), "--gdelt-min-articles", "1", "-o", str(out)], capsys)
    assert code == 0 and out.exists() and "gdelt:" in io_.out
