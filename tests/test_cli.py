"""`python -m geo`: every command, run as a user would, including the error paths and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys

import orjson
import pytest

import geo
from tests.conftest import ROOT, collection, feature


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=120)


def test_validate_seed():
    out = run("validate", "data/events.geojson")
    assert out.returncode == 0, out.stderr
    assert b"all valid" in out.stdout


BAD_FILES = [
    ("missing", None, "no such file"),
    ("not json", b"{oops", "not valid JSON"),
    ("not a collection", b"[]", "expected a GeoJSON FeatureCollection"),
    ("no geometry", collection({**feature(), "geometry": None}), "features[0] (t-1): geometry: missing"),
    ("swapped", collection(feature(lon=33.3, lat=144.4)), "look swapped"),
    ("out of range", collection(feature(lon=200.0, lat=33.3)), "out of range"),
    ("unknown weapon", collection(feature(weapon_type="laser")), "weapon_type: unknown value 'laser'"),
    ("bad date", collection(feature(date="2021-02-30")), "date: not a date"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
@pytest.mark.parametrize("command", ["validate", "export"])
def test_bad_input_exits_1_with_a_clear_line_and_writes_nothing(tmp_path, command, data, message):
    path = tmp_path / "in.geojson"
    if data is not None:
        path.write_bytes(data)
    target = tmp_path / "out.geojson"
    args = ["validate", path] if command == "validate" else ["export", path, "-o", target]
    out = run(*args)
    assert out.returncode == 1
    assert message in out.stderr.decode()
    assert b"Traceback" not in out.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == (["in.geojson"] if data is not None else [])


def test_every_problem_gets_its_own_line(tmp_path):
    path = tmp_path / "in.geojson"
    path.write_bytes(collection(feature(event_id="a", weapon_type="laser"), feature(event_id="b", date="x")))
    lines = run("validate", path).stderr.decode().splitlines()
    assert any("features[0] (a): weapon_type" in line for line in lines)
    assert any("features[1] (b): date" in line for line in lines)


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg", ".parquet"])
def test_export_filters_and_reads_back(tmp_path, seed, suffix):
    target = tmp_path / f"drones{suffix}"
    out = run("export", "--weapon", "drone", "--since", "2021-01-01", "-o", target)
    assert out.returncode == 0, out.stderr
    expected = geo.apply(seed, geo.FilterSpec(weapons=("drone",), since=geo.from_params({"since": "2021-01-01"}).since))
    back = geo.read_events(target)
    assert back["event_id"].tolist() == expected["event_id"].tolist()
    assert len(back) > 0


def test_export_to_stdout_carries_the_caption(seed):
    out = run("export", "--weapon", "rocket", "--country", "IRQ", "-o", "-")
    assert out.returncode == 0, out.stderr
    data = orjson.loads(out.stdout)
    n = len(geo.apply(seed, geo.FilterSpec(weapons=("rocket",), countries=("IRQ",))))
    assert len(data["features"]) == n
    assert data["caption"] == f"Rocket attacks, Iraq: {n} events"
    assert data["filter"] == {"weapon": ["rocket"], "country": ["IRQ"]}


def test_stats_json_counts(seed):
    out = run("stats", "--json", "--country", "SYR")
    assert out.returncode == 0, out.stderr
    summary = orjson.loads(out.stdout)
    syria = seed[seed["country"] == "SYR"]
    assert summary["total"]["events"] == len(syria)
    assert sum(summary["weapon"].values()) == len(syria)
    assert summary["country"] == {"Syria (SYR)": len(syria)}


def test_stats_table():
    out = run("stats", "--since", "2021-01-01")
    assert out.returncode == 0
    text = out.stdout.decode()
    assert text.startswith("Attacks, since 1 Jan 2021:")
    assert "by weapon:" in text and "by month:" in text


USAGE = [
    ("no command", []),
    ("unknown weapon", ["export", "--weapon", "laser", "-o", "x.geojson"]),
    ("no output", ["export"]),
    ("unknown command", ["frobnicate"]),
]


@pytest.mark.parametrize("args", [a for _, a in USAGE], ids=[n for n, _ in USAGE])
def test_usage_errors_exit_2(args):
    assert run(*args).returncode == 2


FILTER_ERRORS = [
    (["--since", "2021-31-01"], "since: '2021-31-01' is not a date"),
    (["--bbox", "1,2"], "four numbers"),
    (["--min-fatalities", "some"], "not a whole number"),
]


@pytest.mark.parametrize(("args", "message"), FILTER_ERRORS, ids=[m for _, m in FILTER_ERRORS])
def test_bad_filter_values_exit_1(tmp_path, args, message):
    out = run("export", *args, "-o", tmp_path / "x.geojson")
    assert out.returncode == 1
    assert message in out.stderr.decode()
    assert not (tmp_path / "x.geojson").exists()


def test_unknown_output_format(tmp_path):
    out = run("export", "-o", tmp_path / "x.xlsx")
    assert out.returncode == 1
    assert "cannot tell the format" in out.stderr.decode()


@pytest.mark.parametrize("command", ["validate", "export", "stats"])
def test_help_ends_with_an_example(command):
    out = run(command, "--help")
    assert out.returncode == 0
    tail = out.stdout.decode().strip().splitlines()
    assert tail[-2] == "Example:" and tail[-1].strip().startswith("python -m geo " + command)


def test_a_second_command_answers_from_the_trusted_cache(tmp_path, seed):
    path = tmp_path / "events.geojson"
    geo.write(seed, path)
    first = run("stats", "--json", path)
    assert first.returncode == 0, first.stderr
    # Overwrite the file in place with bytes of the same length and give it back its mtime: the file's identity is
    # unchanged, so a command that still read it would fail; one that answers from the cache does not.
    stat = path.stat()
    with open(path, "r+b") as fh:
        fh.write(b"x" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = run("stats", "--json", path)
    assert second.returncode == 0, second.stderr
    assert orjson.loads(second.stdout) == orjson.loads(first.stdout)
    out = run("export", path, "--weapon", "drone", "-o", tmp_path / "drones.geojson")
    assert out.returncode == 0, out.stderr
    assert len(geo.read_events(tmp_path / "drones.geojson")) == len(geo.apply(seed, geo.FilterSpec(weapons=("drone",))))
    assert b"all valid" in run("validate", path).stdout
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # now it is another file: read again
    again = run("stats", path)
    assert again.returncode == 1 and b"not valid JSON" in again.stderr


def test_stats_on_a_geoparquet_equals_stats_on_its_geojson(tmp_path, seed):
    geo.write(seed, tmp_path / "e.parquet")
    geo.write(seed, tmp_path / "e.geojson")
    a, b = run("stats", "--json", tmp_path / "e.parquet"), run("stats", "--json", tmp_path / "e.geojson")
    assert a.returncode == b.returncode == 0
    assert orjson.loads(a.stdout) == orjson.loads(b.stdout) == geo.summarize(seed, top=20)


def test_help_starts_without_pandas():
    code = "import sys, geo.cli; geo.cli.build_parser(); print(sorted({'pandas', 'geopandas', 'pyarrow', 'polars', " \
           "'duckdb'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
