"""The Import page in the real app (AppTest): upload, detected format, mapping, counts, row report, merge and undo.

Every test works in its own user data folder ($CEM_DATA_DIR), so the real collection is never touched.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit import config

import geo
from tests.conftest import ROOT
from tests.test_app import _navigation_like_the_server, caption, open_app  # noqa: F401 - the fixture is autouse

DATA = ROOT / "tests" / "data"
#: One golden file per reader: (file, detected format). Expected counts come from the golden report beside it.
#: (table/sites.csv is left out: its place-only row builds the gazetteer, ~15-40 s; test_ingest covers it.)
GOLDEN = [
    ("acled/export.csv", "acled"),
    ("acled/pre2023_semicolon_cp1252.csv", "acled"),
    ("ucdp/ged.csv", "ucdp"),
    ("gdelt/mixed.CSV", "gdelt"),
    ("gis/epsg3857.geojson", "gis"),
]


@pytest.fixture(autouse=True)
def _own_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CEM_DATA_DIR", str(tmp_path / "user"))


def open_import():
    at = open_app()
    at.switch_page("pages/import.py").run()
    assert not at.exception, at.exception
    return at


def upload(at, relative: str, data: bytes | None = None):
    name = relative.rsplit("/", 1)[-1]
    at.file_uploader(key="import_file").set_value((name, data or (DATA / relative).read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def table_with(at, column: str) -> pd.DataFrame:
    """The first table (st.dataframe or st.data_editor) that has ``column``: AppTest does not expose their keys."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_page_runs_and_offers_the_upload():
    at = open_import()
    uploader = at.file_uploader(key="import_file")
    assert {"csv", "xlsx", "geojson", "gpkg", "kml", "zip"} <= {t.lstrip(".") for t in uploader.allowed_type}
    assert not at.get("button") or "Merge into my collection" not in [b.label for b in at.button]
    assert not (geo.default_store()).exists()


@pytest.mark.parametrize(("relative", "fmt"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_upload_shows_format_counts_and_row_report(relative, fmt):
    expected = pd.read_csv(DATA / f"{relative}.expected.csv")
    report = pd.read_csv(DATA / f"{relative}.report.csv", dtype={"reason": "str"}, keep_default_na=False)
    at = upload(open_import(), relative)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox[0].value == fmt  # the detected reader is preselected
    scope = report["field"] == "scope"
    assert metrics(at) == {"Events to take": str(len(expected)), "Rows rejected": str(report[~scope]["row"].nunique()),
                           "Rows out of scope": str(report[scope]["row"].nunique())}
    shown_report = table_with(at, "reason")
    assert shown_report[["row", "field", "reason"]].astype("str").values.tolist() == \
        report.astype("str").values.tolist()
    assert sorted(table_with(at, "event_id")["event_id"]) == sorted(expected["event_id"])
    assert at.get("download_button")[0].proto.label == "Row report (CSV)"
    assert len(at.get("component_instance")) == 1  # the preview map


TABLE = ("Ref;When;Northing;Easting;Kind;Spot;Summary\n"
         "K1;2021-07-05;33.299;44.396;UAV;Baghdad;Drone shot down near the embassy\n"
         "K2;not a day;33.7856;42.4411;rocket;Ain al-Asad;Rockets at the base\n").encode()


def test_table_upload_mapping_is_shown_and_editable():
    at = upload(open_import(), "table/attacks.csv", data=TABLE)
    assert at.selectbox[0].value == "csv"
    table = table_with(at, "column")
    assert {"date": "When", "description": "Summary", "location": "", "id": "", "weapon": ""}.items() \
        <= dict(zip(table["field"], table["column"])).items()
    assert table.set_index("field").loc["lat", "column"] == ""  # 'Northing' is not guessed: map it by hand
    assert at.error and "no coordinates" in at.error[0].value
    # the user maps the id, coordinates, weapon and place by hand (rows 0, 3, 4, 5 and 12 of the editor)
    at.session_state["import_map_csv_attacks.csv"] = {
        "edited_rows": {0: {"column": "Ref"}, 3: {"column": "Northing"}, 4: {"column": "Easting"}, 5: {"column": "Kind"},
                        12: {"column": "Spot"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.error, at.error
    assert metrics(at) == {"Events to take": "1", "Rows rejected": "1", "Rows out of scope": "0"}
    assert table_with(at, "reason")["field"].tolist() == ["When"]


def test_merge_adds_events_and_undo_restores(seed):
    at = upload(open_import(), "acled/export.csv")
    at.button(key="import_merge").click().run()
    assert not at.exception, at.exception
    assert "4 added" in at.success[0].value
    assert metrics(at)["Added"] == "4"
    assert len(geo.load_collection()) == 4
    assert at.sidebar.multiselect(key="data_source").value == ["bundled seed"]  # the seed stays the default
    at.button(key="view_own").click().run()
    assert not at.exception, at.exception
    assert caption(at) == "Attacks: 4 events"  # the dashboard now shows the user's collection
    at.sidebar.multiselect(key="data_source").set_value(["bundled seed"]).run()
    assert caption(at) == f"Attacks: {len(seed)} events"
    at.sidebar.multiselect(key="data_source").set_value(["bundled seed", "my collection"]).run()
    assert not at.exception, at.exception
    assert caption(at) == f"Attacks: {len(seed) + 4} events"  # both at once, not one instead of the other
    assert set(at.session_state["events"]["collection"]) == {"bundled seed", "my collection"}
    at.switch_page("pages/import.py").run()
    at.button(key="import_undo").click().run()
    assert not at.exception, at.exception
    assert "holds 0 events" in at.success[0].value
    assert len(geo.load_collection()) == 0
    assert not at.sidebar.get("multiselect") or "data_source" not in [m.key for m in at.sidebar.multiselect]


def test_merging_twice_adds_nothing_new():
    at = upload(open_import(), "acled/export.csv")
    at.button(key="import_merge").click().run()
    at.button(key="import_merge").click().run()
    assert not at.exception, at.exception
    assert metrics(at)["Added"] == "0" and len(geo.load_collection()) == 4


@pytest.fixture()
def one_mb_cap():
    # the page reads the server's own cap; a 1 MB cap keeps the oversize file small
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)
    yield
    config.set_option("server.maxUploadSize", before)


@pytest.mark.usefixtures("one_mb_cap")
def test_oversize_upload_shows_a_clear_error():
    at = upload(open_import(), "big.csv", data=b"date,lat,lon\n" + b"2021-07-05,33.3,44.4\n" * 80_000)
    assert len(at.error) == 1 and "above the upload limit of 1 MB" in at.error[0].value
    assert "Rows rejected" not in metrics(at)


def test_unreadable_file_shows_an_error():
    at = upload(open_import(), "broken.geojson", data=b'{"type": "FeatureCollection", "features": [')
    assert at.error and "cannot be read" in at.error[0].value
    assert "Merge into my collection" not in [b.label for b in at.button]


REPORT = ("Three rockets hit Ain al-Asad air base in western Iraq on Monday, officials said. "
          "An explosive-laden drone was shot down near the US embassy in Baghdad on Monday night.")


@pytest.fixture()
def place_index():
    # Build the geocoder's place index (once per session, ~15 s on an idle machine) outside AppTest's time limit;
    # function-scoped so that it lands in the session's cache folder, never in ~/.cache.
    from geo.geocode import gazetteer

    gazetteer.load()


@pytest.mark.usefixtures("place_index")
def test_news_report_candidates_can_be_rejected_edited_and_merged():
    at = open_import()
    at.text_area(key="news_text").input(REPORT)
    at.date_input(key="news_published").set_value(date(2021, 7, 6))
    at.text_input(key="news_publisher").input("Test Wire")
    at.button[[b.label for b in at.button].index("Find attacks")].click().run()
    assert not at.exception, at.exception
    found = table_with(at, "evidence")
    assert found[["weapon_type", "count"]].values.tolist() == [["rocket", 3], ["drone", 1]]
    # reject the rocket candidate, call the drone's outcome 'impact' instead
    at.session_state["news_editor"] = {"edited_rows": {0: {"accept": False}, 1: {"outcome": "impact"}},
                                       "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="news_merge").click().run()
    assert not at.exception, at.exception
    assert "1 added" in at.success[0].value
    stored = geo.load_collection()
    assert stored[["weapon_type", "outcome"]].values.tolist() == [["drone", "impact"]]
    assert "Test Wire" in stored["sources"].iloc[0]
