"""Atomic writes leave nothing behind: not on a failure, and not for long after a writer is killed (kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.store import atomic
from tests.conftest import ROOT

# A writer that starts a big file, says so, and hangs until it is killed.
HANGING_WRITER = """
import sys, time
from geo.store import atomic
from geo import cli
cli._exit_on_sigterm()  # as `python -m geo` does
def writer(tmp):
    with open(tmp, "wb") as fh:
        fh.write(b"x" * 1_000_000)
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)
atomic.write_with(sys.argv[1], writer)
"""


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".tmp" in p.name)


def start_writer(target: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HANGING_WRITER, str(target)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "writing"
    return proc


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_killed_writer_leaves_a_temp_file_that_the_next_write_removes(tmp_path):
    target = tmp_path / "events.geojson"
    target.write_bytes(b"old")
    proc = start_writer(target)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    left = temp_files(tmp_path)
    assert len(left) == 1 and left[0].stat().st_size == 1_000_000  # kill -9: nobody could clean up
    assert target.read_bytes() == b"old"  # ...and the target is whole

    atomic.write_bytes(target, b"new")  # a fresh temp file may be a live writer's: it stays
    assert temp_files(tmp_path) == left
    age(left[0], atomic.STALE_SECONDS + 60)
    atomic.write_bytes(target, b"newer")
    assert temp_files(tmp_path) == [] and target.read_bytes() == b"newer"


def test_a_terminated_command_removes_its_temp_file(tmp_path):
    target = tmp_path / "events.csv"
    proc = start_writer(target)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    assert temp_files(tmp_path) == [] and not target.exists()


def test_a_failing_writer_leaves_nothing_not_even_side_files(tmp_path):
    target = tmp_path / "events.gpkg"

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        Path(str(tmp) + "-journal").write_bytes(b"j")  # as SQLite leaves beside a GeoPackage
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic.write_with(target, writer)
    assert list(tmp_path.iterdir()) == []


def test_only_the_targets_own_stale_files_are_removed(tmp_path):
    mine = tmp_path / ".a.abcd1234.tmp.csv"
    other_target = tmp_path / ".a.b.abcd1234.tmp.csv"  # the temp file of a.b.csv, not of a.csv
    other_kind = tmp_path / ".a.abcd1234.tmp.geojson"
    user_file = tmp_path / "a.csv.bak"
    for path in (mine, other_target, other_kind, user_file):
        path.write_bytes(b"x")
        age(path, atomic.STALE_SECONDS * 2)
    assert atomic.remove_stale(tmp_path / "a.csv") == [mine]
    assert sorted(tmp_path.iterdir()) == sorted([other_target, other_kind, user_file])
