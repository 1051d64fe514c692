"""What we write for others holds no live syntax: CSV header cells neutralised like cells (export, report pack,
dashboard downloads), and the report pack's README escapes Markdown and HTML from titles, actors and sources."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

import geo
from tests.conftest import feature

HOSTILE_NAMES = ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "+1", "\tlead", "-2+3"]


def header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture
def hostile(make_events):
    props = {name: "v" for name in HOSTILE_NAMES}
    return make_events(feature(actor="![x](http://evil.example/a.png) <img src=x>", **props))


def test_csv_header_cells_are_neutralised(hostile):
    cells = header(geo.csv_bytes(hostile))
    for name in HOSTILE_NAMES:
        assert "'" + name in cells and name not in cells
    assert not [c for c in cells if c[:1] in "=+-@\t\r"]


def test_the_quote_comes_off_again_on_reading(hostile, tmp_path):
    path = tmp_path / "e.csv"
    geo.write(hostile, path)
    back = geo.read_events(path)
    assert set(HOSTILE_NAMES) <= set(back.columns)


def test_downloads_and_the_report_pack_use_the_same_csv(hostile):
    assert header(geo.to_bytes(hostile, "csv")) == header(geo.csv_bytes(hostile))
    pack = zipfile.ZipFile(io.BytesIO(geo.report_pack(hostile, geo.FilterSpec())))
    csv_name = next(n for n in pack.namelist() if n.endswith(".csv"))
    assert header(pack.read(csv_name)) == header(geo.csv_bytes(hostile))


LIVE = re.compile(r"(?<!\\)(!\[|\]\(|<(?!https?://[^\s<>]*>)[a-zA-Z/!]|\$)")


def test_readme_escapes_title_actors_sources_and_filter(make_events):
    source = [{"publisher": "Wire <b>", "url": "https://example.org/a", "date": "2021-07-06",
               "title": "![t](http://evil.example/t.png) <script>alert(1)</script>"}]
    actor = "[fake](http://evil.example) <img src=http://evil.example/a.png>"
    events = make_events(feature(actor=actor, sources=source))
    spec = geo.FilterSpec(actors=(actor,), text="`code` $x$ ![i](http://evil.example/i.png)")
    title = "# Report ![x](http://evil.example/x.png) <iframe src=x>"
    pack = zipfile.ZipFile(io.BytesIO(geo.report_pack(events, spec, options=geo.SnapshotOptions(title=title))))
    readme = pack.read(next(n for n in pack.namelist() if n.endswith("README.md"))).decode()
    body = re.sub(r"`+[^`]*`+", "", readme)  # code spans show their text verbatim
    assert LIVE.findall(body) == [], [line for line in readme.splitlines() if LIVE.search(line)]
    assert "evil.example" in body and "http://evil" not in body  # there, escaped, never a bare link (code spans aside)
    assert readme.startswith("# \\# Report")
