"""The embedded store: concurrent writers in real processes, kill -9 mid-merge, the undo journal, --into formats."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import geo
from bench.synthetic import raw_events
from geo.cli import main
from geo.ingest.common import Ingested
from geo.store.parquet import ParquetStore
from geo.validate import check
from tests.conftest import ROOT
from tests.test_ingest import acled_csv


def acled_file(path, prefix: str, n: int, *, timestamp: str = "1625731200"):
    path.write_bytes(acled_csv([{"event_id_cnty": f"{prefix}{i}", "timestamp": timestamp} for i in range(n)]))
    return path


def synthetic(n: int, *, seed: int = 3) -> Ingested:
    raw, geometry = raw_events(n, seed=seed)
    events = check(raw, geometry).events
    return Ingested(events, pd.DataFrame({"row": [], "field": [], "reason": []}), fmt="synthetic")


def in_effect(store) -> list[str]:
    return [r.file for r in store.imports() if not r.undone]


def cli(*args: str, env: dict, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "CEM_DATA_DIR": str(tmp_path / "data"), "CEM_CACHE_DIR": str(tmp_path / "cache"),
            "CEM_STORE": "", "CEM_STORE_WRITER": ""}


@pytest.fixture
def store(env, monkeypatch):
    for key in ("CEM_DATA_DIR", "CEM_STORE", "CEM_STORE_WRITER"):
        monkeypatch.setenv(key, env[key])
    return ParquetStore(geo.default_store())


def test_concurrent_imports_in_processes_lose_nothing(tmp_path, env, store):
    n, rows = 5, 40
    files = [acled_file(tmp_path / f"a{k}.csv", f"P{k}-", rows) for k in range(n)]
    procs = [cli("ingest", str(f), "--merge", env=env) for f in files]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * n, [o[1] for o in outs]
    assert store.count() == n * rows
    assert len(set(store.read()["source_id"])) == n * rows
    records = store.imports()
    assert sorted(r.id for r in records) == list(range(1, n + 1))
    assert sorted(r.file for r in records) == sorted(f.name for f in files)
    assert sorted(r.total for r in records) == [rows * k for k in range(1, n + 1)]  # each saw the one before it


def test_a_waiting_writer_says_so_and_a_timeout_fails_clearly(store, tmp_path, capsys, monkeypatch):
    held = ParquetStore(store.path)
    held._lock.acquire()  # another process's import, as far as this one can tell (flock is per open file)
    try:
        monkeypatch.setenv("CEM_STORE_LOCK_TIMEOUT", "0.5")
        assert main(["ingest", str(acled_file(tmp_path / "a.csv", "W", 2)), "--merge"]) == 1
        err = capsys.readouterr().err
        assert "another import is writing this collection; waiting up to 0.5 s" in err
        assert "nothing was written" in err
    finally:
        held._lock.release()
    assert store.count() == 0 and store.imports() == []


def test_kill_9_mid_merge_leaves_the_store_and_its_undo_intact(tmp_path, env, store):
    store.merge(synthetic(40_000), file="first")  # a large store: its rewrite takes a while to kill into
    before = store.read()
    pending = store.journal / "000002.json"
    proc = cli("ingest", str(acled_file(tmp_path / "b.csv", "K", 3)), "--merge", env=env)
    deadline = time.monotonic() + 120
    while not pending.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert pending.exists(), "the second import finished or failed before its journal entry appeared"
    after = store.read()
    assert len(after) in (len(before), len(before) + 3)  # never half: all of it or none of it
    if len(after) == len(before):
        pd.testing.assert_frame_equal(after, before)
    # the next writer settles the interrupted entry; the first import is still undoable
    assert [r.file for r in store.imports()] in (["first"], ["b.csv", "first"])
    while in_effect(store)[0] != "first":
        store.undo()
    assert store.undo() == 0 and store.count() == 0
    assert not list(store.journal.glob("*.parquet"))  # undone entries leave no data behind


def test_kills_at_random_moments_never_break_the_store(tmp_path, env, store):
    store.merge(synthetic(20_000), file="base")
    base = store.count()
    rng = np.random.default_rng(5)
    expected = base
    for k in range(4):
        proc = cli("ingest", str(acled_file(tmp_path / f"r{k}.csv", f"R{k}-", 2)), "--merge", env=env)
        time.sleep(float(rng.uniform(1.0, 4.0)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        got = store.count()
        assert got in (expected, expected + 2)
        expected = got
        assert store.imports()[0].total == got  # the journal agrees with the store after every kill
    while in_effect(store)[0] != "base":
        store.undo()
    assert store.count() == base


def test_undo_a_given_import_among_several(store, tmp_path):
    from geo import ingest

    store.merge(ingest.read(acled_file(tmp_path / "1.csv", "A", 3)), file="1.csv")
    store.merge(ingest.read(acled_file(tmp_path / "2.csv", "B", 2)), file="2.csv")
    store.merge(ingest.read(acled_file(tmp_path / "3.csv", "A", 1, timestamp="1725731200")), file="3.csv")
    with pytest.raises(geo.StoreError, match="import 3 .*changed 1 of the records import 1 wrote; undo import 3"):
        store.undo(1)
    assert store.undo(2) == 3
    assert sorted(store.read()["source_id"]) == ["A0", "A1", "A2"]
    assert [(r.id, r.undone) for r in store.imports()] == [(3, False), (2, True), (1, False)]
    with pytest.raises(geo.StoreError, match="import 2 is not in effect"):
        store.undo(2)
    assert store.undo() == 3 and store.read().set_index("source_id").loc["A0", "updated"] < "2024"
    assert store.undo() == 0


@pytest.mark.parametrize("name", ["mine.geojson", "mine.gpkg", "mine.csv", "mine"])
def test_into_refuses_an_extension_it_cannot_keep(tmp_path, capsys, name):
    target = tmp_path / name
    assert main(["ingest", str(acled_file(tmp_path / "a.csv", "X", 1)), "--into", str(target)]) == 1
    assert "must end in .parquet" in capsys.readouterr().err
    assert not target.exists()


def test_into_a_parquet_path_and_the_imports_command(tmp_path, capsys):
    target = tmp_path / "team" / "col.parquet"
    assert main(["ingest", str(acled_file(tmp_path / "a\x1b[31m.csv", "X", 2)), "--into", str(target)]) == 0
    assert len(geo.read_events(target)) == 2  # a plain GeoParquet file that every reader takes
    capsys.readouterr()
    assert main(["imports", str(target)]) == 0
    out = capsys.readouterr().out
    assert "1 import(s)" in out and "\x1b" not in out and "\\x1b[31m.csv" in out
    assert main(["ingest", "--undo", "1", "--into", str(target)]) == 0
    assert "import 1 undone, 0 events" in capsys.readouterr().err


def test_leftovers_of_a_dead_writer_are_cleaned_under_the_lock(store, tmp_path):
    from geo import ingest

    store.merge(ingest.read(acled_file(tmp_path / "1.csv", "A", 2)), file="1.csv")
    stale = [store.path.with_name(f".{store.path.stem}.x1y2.tmp.parquet"),
             store.journal / ".000002.abcd.tmp.json", store.journal / "000009.prev.parquet"]
    for path in stale:
        path.write_bytes(b"half")
    assert store.merge(ingest.read(acled_file(tmp_path / "2.csv", "B", 1)), file="2.csv").import_id == 2
    assert not any(p.exists() for p in stale)
    assert [r.id for r in store.imports()] == [2, 1] and store.count() == 3
