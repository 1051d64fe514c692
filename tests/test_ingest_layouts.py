"""Every real layout, or a clear refusal: ACLED old layouts, UCDP semantics, the GDELT gate, exit codes."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import cli, ingest
from geo.ingest import gdelt, mapping, ucdp
from geo.ingest.country import radius_km
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
OLD = DATA / "acled" / "acled_2015_old_layout_bgd.csv"


def test_old_acled_layout_is_taken_with_its_own_mapping():
    result = ingest.read(OLD, "acled")  # --format acled is honoured on the old layout
    events = result.events.set_index("source_id")
    assert set(events["source_event_type"]) == {"Remote violence", "Battle-No change of territory",
                                                "Violence against civilians", "Battle-Government regains territory",
                                                "Battle-Non-state actors overtake territory",
                                                "Violence Against Civilians"}
    assert events.loc["4BNG", "event_type"] == "Battles" and events.loc["4BNG", "sub_event_type"] == "Armed clash"
    assert events.loc["17BNG", "event_type"] == "Explosions/Remote violence"
    assert events.loc["17BNG", "weapon_type"] == "ied"  # "Two bombs went off": a crude bomb, no aircraft
    assert events.loc["3119IND", "event_type"] == "Violence against civilians"  # capitalised differently
    assert events.loc["455MYA", "sub_event_type"] == "Non-state actor overtakes territory"
    assert events["geo_precision"].notna().all()
    assert result.out_of_scope == 6  # protests, arrests, a transfer of territory: reported, not dropped


def test_old_types_mapping_is_data():
    assert mapping.ACLED_OLD_TYPES["Remote violence"] == ("Explosions/Remote violence", None)
    assert mapping.ACLED_TYPE_SPELLINGS["violence against civilians"] == "Violence against civilians"


def test_old_strategic_development_with_a_stopped_weapon_is_in_scope():
    header = ("EVENT_ID_CNTY,EVENT_DATE,YEAR,EVENT_TYPE,ACTOR1,ACTOR2,COUNTRY,LOCATION,LATITUDE,LONGITUDE,"
              "GEO_PRECISION,SOURCE,NOTES,FATALITIES\n")
    rows = ('1EGY,28/12/2014,2014,Strategic development,Police Forces of Egypt (2014-),,Egypt,Al Jizah,30.008,31.211,1,'
            'Ahram Online,Security forces defused a bomb on a bridge.,0\n'
            '2EGY,29/12/2014,2014,Strategic development,Police Forces of Egypt (2014-),,Egypt,Al Jizah,30.008,31.211,1,'
            'Ahram Online,Police arrested ten people.,0\n')
    result = ingest.read((header + rows).encode(), "acled")
    assert result.events[["source_id", "weapon_type", "outcome"]].values.tolist() == [["1EGY", "ied", "failed"]]
    assert result.out_of_scope == 1


def test_2020_layout_keeps_geo_precision_and_disrupted_roles():
    events = ingest.read(DATA / "acled" / "acled_2020_mena.csv").events.set_index("source_id")
    assert events.loc["YEM52174", ["weapon_type", "outcome"]].tolist() == ["ballistic_missile", "intercepted"]
    # in "Disrupted weapons use" actor1 stopped the weapon: the attacker is actor2
    assert events.loc["YEM52174", "actor"] == "Military Forces of Yemen (2016-) Supreme Political Council"
    assert events["geo_precision"].isin([1, 2, 3]).all()


def test_ucdp_best_low_high_and_headline():
    events = ingest.read(DATA / "ucdp" / "ged191_mmr_bgd.csv").events.set_index("source_id")
    file = pd.read_csv(DATA / "ucdp" / "ged191_mmr_bgd.csv", dtype="str").set_index("id")
    assert (events["fatalities"].astype(int).astype(str) == file.loc[events.index, "best"]).all()
    assert (events["low"] == file.loc[events.index, "low"]).all() and (events["high"] == file.loc[events.index, "high"]).all()
    assert events.loc["209980", "description"] == "Kokang conflict intensifies north of Laogai"
    assert events.loc["209980", "location"] == "Laukkaing Town"
    assert events.loc["71686", "sources"].startswith('[{"publisher":"AGGREGATION"')  # no office, no article


def test_ucdp_masked_actor_codes_are_not_names():
    header = ("id,year,type_of_violence,side_a,side_b,source_office,source_headline,where_prec,where_coordinates,"
              "where_description,latitude,longitude,country,date_prec,date_start,date_end,low,best,high\n")
    row = ("1,2017,3,XXX652,Civilians,Reuters,Gunmen kill two,1,Raqqa town,Raqqa,35.95,39.01,Syria,1,"
           "2017-07-31 00:00:00.000,2017-07-31 00:00:00.000,1,2,3\n")
    event = ucdp.read((header + row).encode()).events.iloc[0]
    assert event["actor"] == "Unidentified" and event["attribution"] == "unknown"
    assert event["side_a_code"] == "XXX652"
    assert event["fatalities"] == 2 and event["description"] == "Gunmen kill two" and event["location"] == "Raqqa"


def test_ucdp_headerless_release():
    # some GED releases (candidate 24.0.x) were published without the header row
    given = {"id": "77", "year": "2017", "type_of_violence": "1", "side_a": "Government of Iraq", "side_b": "IS",
             "source_office": "Reuters", "source_headline": "Rockets hit Camp Taji", "where_prec": "1",
             "where_coordinates": "Camp Taji", "latitude": "33.5294", "longitude": "44.2775", "country": "Iraq",
             "date_prec": "1", "date_start": "2017-07-31 00:00:00.000", "date_end": "2017-07-31 00:00:00.000",
             "best": "2", "low": "1", "high": "3"}
    line = ",".join(given.get(c, "") for c in ucdp.GED_COLUMNS) + "\n"
    assert ingest.detect_format(line.encode(), "ged.csv") == "ucdp"
    result = ingest.read(line.encode(), "ucdp")
    assert result.events[["source_id", "fatalities", "weapon_type"]].values.tolist() == [["77", 2, "rocket"]]
    assert any("no header row" in n for n in result.notes)


def test_gdelt_gate_is_set_by_the_user():
    path = DATA / "gdelt" / "gdelt1_20160728_excerpt.export.tsv"
    default = ingest.read(path)
    loose = ingest.read(path, gate=gdelt.Gate(min_articles=1))
    assert loose.taken > default.taken
    narrow = ingest.read(path, gate=gdelt.Gate(cameo=("19",), min_articles=1, geo_types=(4,)), refuse_empty=False)
    assert set(narrow.events["cameo_code"].str[:2]) <= {"19"} and set(narrow.events["action_geo_type"]) <= {4}
    reasons = default.report.loc[default.report["field"] == ingest.SCOPE, "reason"]
    assert reasons.str.contains("--gdelt-").all()
    assert default.events["machine_coded"].all()


def test_gdelt_country_points_get_the_country_size():
    events = ingest.read(DATA / "gdelt" / "gdelt1_20160728_excerpt.export.tsv").events.set_index("source_id")
    iraq, turkey = events.loc["564138118"], events.loc["564138078"]
    assert iraq["action_geo_type"] == 1 and iraq["geo_precision"] == 3
    assert 450 < iraq["precision_km"] < 700 and 700 < turkey["precision_km"] < 1100
    small = radius_km(pd.Series(["BHR"]), [50.55], [26.05])[0]
    assert small < 60  # Bahrain is ~50 km across


def test_gdelt_1_and_2_rows_in_one_file():
    two = (DATA / "gdelt" / "mixed.CSV").read_bytes()
    one = (DATA / "gdelt" / "gdelt1_20160728_excerpt.export.tsv").read_bytes()
    result = ingest.read(two + one, "gdelt", gate=gdelt.Gate(min_articles=1))
    assert {"1001", "564138118"} <= set(result.events["source_id"])


def test_gdelt_wrong_layout_is_refused_clearly():
    with pytest.raises(ingest.IngestError, match="61 fields.*57 or 58"):
        ingest.read(b"1\t2\t3\n", "gdelt")


def run_cli(args, capsys):
    code = cli.main(args)
    return code, capsys.readouterr()


def test_cli_refuses_a_file_whose_every_date_is_unreadable(tmp_path, capsys):
    from tests.test_ingest import acled_csv

    src = tmp_path / "dates.csv"
    src.write_bytes(acled_csv([{"event_date": "sometime"}, {"event_id_cnty": "IRQ2", "event_date": "later"}]))
    out = tmp_path / "out.geojson"
    code, io_ = run_cli(["ingest", str(src), "--format", "acled", "-o", str(out)], capsys)
    assert code == 1 and not out.exists()
    assert "every row failed on event_date" in io_.err and "the file needs dates" in io_.err


def test_cli_refuses_a_missing_column_and_every_coordinate_missing(tmp_path, capsys):
    src = tmp_path / "plain.csv"
    src.write_text("Date,Latitude,Longitude,Notes\n2021-07-05,,,drone\n2021-07-06,,,rocket\n")
    code, io_ = run_cli(["ingest", str(src), "-o", str(tmp_path / "o.geojson")], capsys)
    assert code == 1 and "coordinates" in io_.err and not (tmp_path / "o.geojson").exists()
    src.write_text("When,Where\n2021-07-05,x\n")
    code, io_ = run_cli(["ingest", str(src), "--format", "acled"], capsys)
    assert code == 1 and "missing column(s)" in io_.err and "--format csv" in io_.err


def test_cli_gdelt_gate_flags(tmp_path, capsys):
    path = DATA / "gdelt" / "gdelt1_20160728_excerpt.export.tsv"
    out = tmp_path / "g.geojson"
    code, io_ = run_cli(["ingest", str(path), "--gdelt-min-articles", "1", "--gdelt-cameo", "18,19", "-o", str(out)],
                        capsys)
    assert code == 0 and out.exists() and "gdelt:" in io_.out
    code, io_ = run_cli(["ingest", str(path), "--gdelt-geo-types", "x"], capsys)
    assert code == 1 and "--gdelt-geo-types" in io_.err


def test_cli_dayfirst(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("Date,Latitude,Longitude,Location\n05/07/2021,33.3,44.4,Baghdad\n06/07/2021,33.3,44.4,Baghdad\n")
    code, io_ = run_cli(["ingest", str(src)], capsys)
    assert code == 1 and "--dayfirst" in io_.err
    out = tmp_path / "t.csv.geojson"
    code, _ = run_cli(["ingest", str(src), "--dayfirst", "-o", str(out)], capsys)
    assert code == 0 and out.exists()
