"""Merging imports into the working collection: revisions, deletions, duplicate links, undo, and the CLI."""

from __future__ import annotations

import pandas as pd
import pytest

import geo

from geo import ingest
from geo.cli import main
from geo.ingest import merge
from geo.store.open import default_store, load_collection, merge_import, undo_import
from tests.conftest import ROOT
from tests.test_ingest import acled_csv

DATA = ROOT / "tests" / "data"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("CEM_DATA_DIR", str(tmp_path / "data"))
    return default_store()


def test_store_lives_in_the_user_data_folder(store, tmp_path):
    assert store == tmp_path / "data" / "events.parquet"


def test_reimport_of_a_revised_file_updates_without_duplicates(store):
    first = ingest.read(acled_csv([{"event_id_cnty": "IRQ1", "fatalities": "0", "timestamp": "100"},
                                   {"event_id_cnty": "IRQ2", "timestamp": "100"}]), "acled")
    assert merge_import(first).added == 2
    revised = ingest.read(acled_csv([{"event_id_cnty": "IRQ1", "fatalities": "2", "timestamp": "200"},
                                     {"event_id_cnty": "IRQ2", "timestamp": "100"}]), "acled")
    result = merge_import(revised)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    assert len(result.events) == 2
    assert result.events.set_index("source_id").loc["IRQ1", "fatalities"] == 2
    stale = ingest.read(acled_csv([{"event_id_cnty": "IRQ1", "fatalities": "0", "timestamp": "50"}]), "acled")
    result = merge_import(stale)
    assert result.older == 1 and load_collection().set_index("source_id").loc["IRQ1", "fatalities"] == 2


def test_acled_deletions_are_applied_and_undo_restores(store):
    merge_import(ingest.read(acled_csv([{"event_id_cnty": "IRQ1"}, {"event_id_cnty": "IRQ2"}]), "acled"))
    result = merge_import(ingest.read(b"event_id_cnty,deleted_timestamp\nIRQ1,1700000000\n", "acled"))
    assert result.deleted == 1 and load_collection()["source_id"].tolist() == ["IRQ2"]
    assert undo_import() == 2
    assert sorted(load_collection()["source_id"]) == ["IRQ1", "IRQ2"]
    assert undo_import() == 0  # every import stays undoable, not only the last one
    with pytest.raises(geo.StoreError, match="no import to undo"):
        undo_import()


def test_cross_source_duplicates_are_linked_not_dropped(store):
    merge_import(ingest.read(DATA / "acled" / "export.csv"))
    result = merge_import(ingest.read(DATA / "gdelt" / "mixed.CSV"))
    links = result.events.set_index("event_id")["duplicate_of"]
    assert links["gdelt:1001"] == "acled:IRQ1001"  # same day, drone, 4.6 km apart, radius 10 km
    assert links["gdelt:1004"] == "acled:SYR2001"
    assert len(result.events) == 4 + 3


@pytest.mark.parametrize(("days", "km_east", "weapon", "linked"), [
    (0, 0.0, "rocket", True), (1, 0.0, "mortar", True), (2, 0.0, "rocket", False),
    (0, 30.0, "rocket", False), (0, 0.0, "ied", False),
], ids=["same", "next-day-same-class", "two-days", "too-far", "other-class"])
def test_duplicate_rule(days, km_east, weapon, linked):
    a = ingest.read(acled_csv([{}]), "acled").events
    b = a.copy()
    b["dataset"], b["event_id"], b["weapon_type"] = "other", "x:1", pd.Categorical([weapon])
    b["date"] = b["date"] + pd.Timedelta(days=days)
    b = b.set_geometry(b.geometry.translate(xoff=km_east / 93.0))
    result = merge.merge(a, b)
    assert (result.linked == 1) is linked


def test_cli_ingest_counts_report_and_exit_codes(store, tmp_path, capsys):
    report = tmp_path / "rows.csv"
    out = tmp_path / "events.geojson"
    code = main(["ingest", str(DATA / "acled" / "pre2023_semicolon_cp1252.csv"), "--merge",
                 "--report", str(report), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    assert "3 events taken, 5 rows rejected" in captured.out
    assert "row 6: event_date" in captured.err
    assert list(pd.read_csv(report).columns) == ["row", "field", "reason"]
    assert out.is_file() and store.is_file()
    assert main(["ingest", str(tmp_path / "missing.csv")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["ingest", "--undo"]) == 0
