"""The edge of `python -m geo`: whatever a user feeds it, one line per problem on stderr and exit 1, no traceback;
outside text (event ids, file names, place names) reaches the terminal with its control characters escaped."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, collection, feature

ANSI = "\x1b[2J\x1b[31m"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[bytes]:
    import os

    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, capture_output=True, timeout=300,
                          env={**os.environ, **(env or {})})


def assert_clean_failure(out: subprocess.CompletedProcess[bytes]) -> list[str]:
    err = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 1, err
    assert "Traceback" not in err and "File \"" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith(("error: ", "note: ")) for line in lines), err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", err), "control characters reached the terminal"
    return lines


NUMBERS = [("inf", "not a finite number"), ("Infinity", "not a finite number"), (1e30, "larger than"),
           ("-inf", "not a finite number"), (1e300, "larger than"), (-1e30, "must not be negative")]


@pytest.mark.parametrize("field", ["fatalities", "precision_km"])
def test_validate_reports_non_finite_and_huge_numbers(tmp_path, field):
    path = tmp_path / "numbers.geojson"
    path.write_bytes(collection(*[feature(event_id=f"n{i}", **{field: value}) for i, (value, _) in enumerate(NUMBERS)]))
    lines = assert_clean_failure(run("validate", path))
    for i, (value, reason) in enumerate(NUMBERS):
        assert any(f"(n{i}): {field}: {reason}" in line for line in lines), (value, lines)


def test_event_ids_and_file_names_are_escaped_on_the_terminal(tmp_path):
    path = tmp_path / f"evil{ANSI}.geojson"
    path.write_bytes(collection(feature(event_id=f"id{ANSI}\rfake", date="nope")))
    lines = assert_clean_failure(run("validate", path))
    assert any("\\x1b[2J" in line and "id\\x1b[2J\\x1b[31m\\x0dfake" in line for line in lines), lines


def test_a_missing_file_with_escapes_in_its_name(tmp_path):
    assert_clean_failure(run("export", tmp_path / f"no{ANSI}.geojson", "-o", tmp_path / "x.geojson"))


def test_wrong_places_are_reported_by_validate(tmp_path):
    path = tmp_path / "places.geojson"
    path.write_bytes(collection(feature(33.3, 44.4, country="IRQ"), feature(0.000399, 0.000299, event_id="t-2", country="IRQ"),
                                feature(44.4, 33.3, event_id="t-3")))
    lines = assert_clean_failure(run("validate", path))
    assert any("(t-1): geometry:" in line and "swapped lat/lon" in line for line in lines), lines
    assert any("(t-2): geometry:" in line and "EPSG:3857" in line for line in lines), lines
    assert not any("(t-3)" in line for line in lines)


def test_degrees_labelled_as_web_mercator_are_refused(tmp_path):
    import orjson

    doc = orjson.loads(collection(feature(44.4, 33.3), feature(43.1, 36.3, event_id="t-2")))
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path = tmp_path / "mislabelled.geojson"
    path.write_bytes(orjson.dumps(doc))
    lines = assert_clean_failure(run("validate", path))
    assert any("look like degrees" in line for line in lines), lines


def test_output_folder_problems_are_one_line(tmp_path):
    folder = tmp_path / "folder.geojson"
    folder.mkdir()
    assert_clean_failure(run("export", "-o", folder))


def test_extract_with_an_impossible_publication_date(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("Yesterday a rocket hit Baghdad, killing two people.\n")
    lines = assert_clean_failure(run("extract", report, "--published", "0001-01-01"))
    assert "--published" in lines[0]


def test_an_internal_error_is_one_line_and_its_traceback_goes_to_a_log(tmp_path):
    # A CSV whose header repeats a column: whatever the reader does with it, the user sees no traceback.
    path = tmp_path / "dup.csv"
    path.write_text("event_date,latitude,longitude,latitude\n2021-07-05,33.3,44.4,33.3\n")
    out = run("ingest", path, env={"CEM_CACHE_DIR": str(tmp_path / "cache")})
    if out.returncode == 0:
        return  # the readers handle it now
    lines = assert_clean_failure(out)
    if "internal error" in lines[-1]:
        assert (tmp_path / "cache" / "errors.log").read_text().count("Traceback") == 1
