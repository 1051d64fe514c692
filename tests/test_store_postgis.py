"""The team store on a real PostgreSQL + PostGIS server (started by tests/conftest.py): schema, transactions,
concurrency, undo, roles, and the same answers as the in-memory engine."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pandas as pd
import psycopg
import pytest

import geo
from geo import ingest
from geo.cli import main
from geo.ingest.common import Ingested
from geo.store import pgschema
from geo.store.base import frame_cells
from geo.store.parquet import ParquetStore
from geo.store.postgis import PostgisStore
from tests.conftest import ROOT
from tests.test_app import _navigation_like_the_server, caption, open_app  # noqa: F401 - the fixture is autouse
from tests.test_ingest import acled_csv
from tests.test_sql import events, random_spec  # noqa: F401 - the 300 random events of the SQL tests

EMPTY_REPORT = pd.DataFrame({"row": [], "field": [], "reason": []})


def acled(prefix: str, n: int, *, timestamp: str = "1625731200", **over) -> Ingested:
    return ingest.read(acled_csv([{"event_id_cnty": f"{prefix}{i}", "timestamp": timestamp, **over}
                                  for i in range(n)]), "acled")


def snapshot(store) -> pd.DataFrame:
    frame = store.read()
    return pd.DataFrame(frame.drop(columns="geometry")).assign(wkt=frame.geometry.to_wkt()) \
        .sort_values("event_id").reset_index(drop=True)


def test_schema_migration_from_an_empty_database(pg_cluster):
    with psycopg.connect(pg_cluster.url(), autocommit=True) as con:
        con.execute("DROP DATABASE IF EXISTS empty_db WITH (FORCE)")
        con.execute("CREATE DATABASE empty_db")
    url = pg_cluster.url("empty_db")
    with pytest.raises(geo.StoreError, match="has no event store yet .* run `python -m geo db migrate"):
        PostgisStore(url).count()
    assert main(["db", "migrate", url]) == 0
    assert pgschema.migrate(url) == []  # idempotent
    with psycopg.connect(url) as con:
        assert [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1")] == \
            [v for v, _, _ in pgschema.migrations()]
        assert con.execute("SELECT type, srid FROM geometry_columns WHERE f_table_name = 'events'").fetchone() == \
            ("POINT", 4326)
        indexes = {r[0]: r[1] for r in con.execute("SELECT indexname, indexdef FROM pg_indexes "
                                                    "WHERE tablename = 'events'")}
    assert "USING gist (geom)" in indexes["events_geom"]
    assert {"events_date", "events_weapon", "events_actor", "events_country"} <= set(indexes)
    assert PostgisStore(url).count() == 0


def test_reimport_of_a_revised_file_no_duplicates_newer_wins(team):
    store = PostgisStore(team.writer, write=True)
    assert store.merge(acled("IRQ", 3, timestamp="100"), file="v1.csv").added == 3
    revised = ingest.read(acled_csv([{"event_id_cnty": "IRQ0", "fatalities": "7", "timestamp": "200"},
                                     {"event_id_cnty": "IRQ1", "timestamp": "100"},
                                     {"event_id_cnty": "IRQ2", "fatalities": "9", "timestamp": "50"}]), "acled")
    result = store.merge(revised, file="v2.csv")
    assert (result.added, result.updated, result.unchanged, result.older, result.total) == (0, 1, 1, 1, 3)
    stored = PostgisStore(team.reader).read().set_index("source_id")
    assert len(stored) == 3 and stored.loc["IRQ0", "fatalities"] == 7 and stored.loc["IRQ2", "fatalities"] == 0
    gone = store.merge(ingest.read(b"event_id_cnty,deleted_timestamp\nIRQ1,1700000000\n", "acled"))
    assert gone.deleted == 1 and store.count() == 2


def test_same_rules_and_rows_as_the_embedded_store(team, tmp_path):
    """Both backends apply geo.ingest.merge.plan: the same imports give the same collection, links included."""
    data = ROOT / "tests" / "data"
    embedded, server = ParquetStore(tmp_path / "events.parquet"), PostgisStore(team.writer, write=True)
    for path in (data / "acled" / "export.csv", data / "gdelt" / "mixed.CSV"):
        a, b = embedded.merge(ingest.read(path)), server.merge(ingest.read(path))
        assert (a.added, a.updated, a.linked, a.total) == (b.added, b.updated, b.linked, b.total)
    assert b.linked >= 2
    left, right = snapshot(embedded), snapshot(server)
    extra = [c for c in right.columns if c not in (*geo.COLUMNS, "dataset", "duplicate_of", "wkt")]
    assert extra  # columns outside the schema (ACLED's inter1, GDELT's num_articles...) come back, as text
    left[extra] = left[extra].apply(lambda c: c.map(lambda v: None if pd.isna(v) else f"{v:g}" if isinstance(v, float)
                                                    else str(v)).astype("str"))
    pd.testing.assert_frame_equal(left[right.columns], right, check_dtype=False, check_categorical=False)


def test_undo_one_import_among_several_even_after_other_datasets(team):
    store = PostgisStore(team.writer, write=True)
    empty = snapshot(store)
    first = store.merge(acled("A", 3, timestamp="100"), file="1.csv")
    after_first = snapshot(store)
    gdelt = store.merge(ingest.read(ROOT / "tests" / "data" / "gdelt" / "mixed.CSV"), file="2.CSV")
    revision = store.merge(acled("A", 1, timestamp="900", fatalities="4"), file="3.csv")
    with pytest.raises(geo.StoreError, match=f"import {revision.import_id} .*undo import {revision.import_id} first"):
        store.undo(first.import_id)
    assert store.undo(revision.import_id) == 3 + gdelt.added
    pd.testing.assert_frame_equal(snapshot(store)[lambda f: f["dataset"] == "ACLED"].reset_index(drop=True)[
                                  after_first.columns], after_first, check_categorical=False)  # as before, row for row
    assert store.undo(first.import_id) == gdelt.added  # an older import, with a later one of another dataset in effect
    assert set(snapshot(store)["dataset"]) == {"GDELT"}
    assert [(r.id, r.undone) for r in store.imports()] == [(3, True), (2, False), (1, True)]
    assert store.undo() == 0 and snapshot(store).shape[0] == empty.shape[0] == 0
    with pytest.raises(geo.StoreError, match="no import to undo"):
        store.undo()


def _env(team) -> dict:
    return {**os.environ, "CEM_STORE": team.reader, "CEM_STORE_WRITER": team.writer, "PYTHONPATH": str(ROOT)}


def test_concurrent_imports_from_several_processes_count_exact(team, tmp_path):
    n, rows = 4, 50
    files = []
    for k in range(n):
        path = tmp_path / f"p{k}.csv"
        path.write_bytes(acled_csv([{"event_id_cnty": f"P{k}-{i}"} for i in range(rows)]))
        files.append(path)
    procs = [subprocess.Popen([sys.executable, "-m", "geo", "ingest", str(f), "--merge"], cwd=ROOT, env=_env(team),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * n, [o[1] for o in outs]
    reader = PostgisStore(team.reader)
    assert reader.count() == n * rows
    assert sorted(r.total for r in reader.imports()) == [rows * k for k in range(1, n + 1)]  # one after another
    assert {r.file for r in reader.imports()} == {f.name for f in files}


def _import_lock_holder(team) -> int | None:
    with psycopg.connect(team.owner, autocommit=True) as con:
        row = con.execute("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                          "AND database = (SELECT oid FROM pg_database WHERE datname = %s)", [team.dbname]).fetchone()
    return row[0] if row else None


def test_a_client_killed_mid_import_leaves_the_store_unchanged(team, tmp_path):
    store = PostgisStore(team.writer, write=True)
    store.merge(acled("KEEP", 5), file="before.csv")
    before, imports = snapshot(store), store.imports()
    big = tmp_path / "big.csv"
    big.write_bytes(acled_csv([{"event_id_cnty": f"BIG{i}"} for i in range(20_000)]))
    proc = subprocess.Popen([sys.executable, "-m", "geo", "ingest", str(big), "--merge"], cwd=ROOT, env=_env(team),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while _import_lock_holder(team) is None and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the import ended before it could be killed mid-transaction"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(100):  # the server notices the dead client and rolls its transaction back
        if _import_lock_holder(team) is None:
            break
        time.sleep(0.1)
    pd.testing.assert_frame_equal(snapshot(store), before)
    assert store.imports() == imports
    assert store.merge(acled("AFTER", 2)).total == 7  # the lock died with the client: the next import runs


def test_a_second_writer_waits_then_fails_clearly(team):
    holder = psycopg.connect(team.writer)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", [0x43454D5F494D5054])
    messages: list[str] = []
    try:
        with pytest.raises(geo.StoreBusy, match="nothing was written"):
            PostgisStore(team.writer, write=True, lock_timeout=0.5).merge(acled("W", 1), on_wait=messages.append)
    finally:
        holder.rollback()
        holder.close()
    assert "another import is running; waiting up to 0.5 s" in messages[0]
    assert PostgisStore(team.reader).count() == 0


def test_reader_role_is_refused_on_write_and_roles_are_least_privilege(team):
    with pytest.raises(geo.StoreError, match="role cem_test_reader may not do this .*writer role"):
        PostgisStore(team.reader, write=True).merge(acled("R", 1))
    with pytest.raises(geo.StoreError, match="open for reading only"):
        PostgisStore(team.writer).merge(acled("R", 1))  # a viewer's session is read-only even for a writer
    assert PostgisStore(team.reader).count() == 0
    for url, statement in [(team.reader, "DELETE FROM events"), (team.reader, "UPDATE imports SET who = 'x'"),
                           (team.reader, "SELECT * FROM event_history"), (team.writer, "DROP TABLE events"),
                           (team.writer, "ALTER TABLE events ADD COLUMN x int"),
                           (team.writer, "UPDATE events SET fatalities = 1"),
                           (team.writer, "DELETE FROM schema_version")]:
        with psycopg.connect(url) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(statement)


def test_sql_filters_match_the_in_memory_filter(team, events):  # noqa: F811
    store = PostgisStore(team.writer, write=True)
    store.merge(Ingested(events, EMPTY_REPORT))
    rng = random.Random(23)
    for _ in range(80):
        spec = random_spec(rng)
        expected = sorted(geo.apply(events, spec)["event_id"])
        assert sorted(store.read(spec)["event_id"]) == expected, spec
        assert store.count(spec) == len(expected), spec


def test_cells_and_trends_match_the_in_memory_versions(team, events):  # noqa: F811
    store = PostgisStore(team.writer, write=True)
    store.merge(Ingested(events, EMPTY_REPORT))
    rng = random.Random(5)
    for _ in range(20):
        spec, size = random_spec(rng), rng.choice([0.05, 0.5, 1.0, 5.0])
        kept = geo.apply(events, spec)
        pd.testing.assert_frame_equal(store.cells(spec, cell_deg=size), frame_cells(kept, cell_deg=size),
                                      check_dtype=False, rtol=1e-9)
        ours, theirs = store.trends(spec), geo.trends(kept)
        for name, table in theirs.items():
            key = [c for c in table.columns if c != "events"]
            if name in ("actors", "targets"):  # top-N: ties at the cut may be either one
                assert sorted(ours[name]["events"]) == sorted(table["events"]), name
                continue
            pd.testing.assert_frame_equal(ours[name].sort_values(key).reset_index(drop=True)[table.columns],
                                          table.sort_values(key).reset_index(drop=True), check_dtype=False)


def test_cli_reads_and_writes_the_team_store(team, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CEM_STORE", team.reader)
    monkeypatch.setenv("CEM_STORE_WRITER", team.writer)
    assert main(["ingest", str(ROOT / "tests" / "data" / "acled" / "export.csv"), "--merge"]) == 0
    assert "import 1:" in capsys.readouterr().err
    assert main(["stats", team.reader, "--json"]) == 0
    total = PostgisStore(team.reader).count()
    assert '"events": ' + str(total) in capsys.readouterr().out
    out = tmp_path / "drones.geojson"
    assert main(["export", team.reader, "--weapon", "drone", "-o", str(out)]) == 0
    exported = geo.read_events(out)
    assert len(exported) == PostgisStore(team.reader).count(geo.FilterSpec(weapons=("drone",)))
    assert main(["imports", "--json"]) == 0 and '"file": "export.csv"' in capsys.readouterr().out
    assert main(["ingest", "--undo"]) == 0
    assert PostgisStore(team.reader).count() == 0
    assert "secret" not in geo.store.open.location_of(team.reader.replace("@", ":secret@"))


def test_dashboard_reads_the_team_store_and_gates_writing_on_the_writer_role(team, monkeypatch, tmp_path, seed):
    PostgisStore(team.writer, write=True).merge(ingest.read(ROOT / "tests" / "data" / "acled" / "export.csv"))
    monkeypatch.setenv("CEM_DATA_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("CEM_STORE", team.reader)
    monkeypatch.delenv("CEM_STORE_WRITER", raising=False)
    at = open_app()
    at.sidebar.multiselect(key="data_source").set_value(["my collection", "bundled seed"]).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert caption(at) == f"Attacks: {len(seed) + 4} events"  # the team store beside the seed
    at.switch_page("pages/import.py").run()
    assert not at.exception, at.exception
    assert "read-only role" in at.info[0].value
    assert "import_undo" not in [b.key for b in at.button]
    at.file_uploader(key="import_file").set_value(
        ("ucdp.csv", (ROOT / "tests" / "data" / "ucdp" / "ged.csv").read_bytes(), "text/csv")).run()
    assert not at.exception and "import_merge" not in [b.key for b in at.button]  # checked, but not offered

    monkeypatch.setenv("CEM_STORE_WRITER", team.writer)  # the server's own environment, never the page
    at = open_app()
    at.switch_page("pages/import.py").run()
    at.file_uploader(key="import_file").set_value(
        ("ged.csv", (ROOT / "tests" / "data" / "ucdp" / "ged.csv").read_bytes(), "text/csv")).run()
    at.button(key="import_merge").click().run()
    assert not at.exception, at.exception
    assert "added" in at.success[0].value
    records = PostgisStore(team.reader).imports()
    assert records[0].file == "ged.csv" and len(records) == 2
