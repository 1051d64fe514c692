"""geo.geojson_sql: DuckDB writes a filtered GeoJSON export with the very bytes of the in-memory (polars) writer,
and hands the numbers it would spell otherwise back to polars."""

from __future__ import annotations

import io
import re

import numpy as np
import polars as pl
import pytest

import geo
from geo import export_slices
from geo.geojson_sql import _lower_escapes
from geo.store import cache, engine
from tests.conftest import collection, feature


def _no_time(data: bytes) -> bytes:
    return re.sub(rb'"exported":"[^"]+"', b"", data)


def _both(tmp_path, features, spec=geo.FilterSpec()):
    """(the streamed export, the in-memory export, whether DuckDB wrote the streamed one) of these features."""
    path = tmp_path / "events.geojson"
    path.write_bytes(collection(*features))
    cached = cache.ensure(path).path
    out = io.BytesIO()
    export_slices.export_file(cached, spec, out, caption="c")
    want = geo.geojson_bytes(geo.apply(geo.read_events(path), spec), caption="c")
    return _no_time(out.getvalue()), _no_time(want), engine.geojson_lines(cached, spec) is not None


TEXTS = ["plain", 'quote " and backslash \\ and slash /', "escape \x1b[31m red \x1f\x0b\x0e", "literal \\u001B text",
         "line\nbreak\ttab", "Arabic \u0628\u063a\u062f\u0627\u062f and emoji \U0001F680", "sep \u2028\u2029 \ufeff",
         "</script><b>x</b>", "\\\x1b double"]


def test_text_of_every_kind_is_written_as_polars_writes_it(tmp_path):
    features = [feature(44.4 + i / 100, 33.3, event_id=f"t-{i}", description=text, target=text)
                for i, text in enumerate(TEXTS)]
    got, want, by_duckdb = _both(tmp_path, features)
    assert by_duckdb
    assert got == want


def test_a_filter_and_no_event_at_all_give_the_same_bytes(tmp_path):
    features = [feature(44.4 + i / 100, 33.3, event_id=f"t-{i}", weapon_type=w)
                for i, w in enumerate(["drone", "rocket", "drone"])]
    for spec in (geo.FilterSpec(weapons=("drone",)), geo.FilterSpec(text="no such words")):
        got, want, by_duckdb = _both(tmp_path, features, spec)
        assert by_duckdb and got == want


@pytest.mark.parametrize("lon, precision_km", [(0.00005, 2.0), (44.4, 0.00001)])
def test_numbers_duckdb_spells_otherwise_go_through_polars(tmp_path, lon, precision_km):
    lat = 33.3 if lon > 1 else 5.0
    features = [feature(lon, lat, precision_km=precision_km), feature(44.5, 33.3, event_id="t-2")]
    got, want, by_duckdb = _both(tmp_path, features)
    assert not by_duckdb
    assert got == want


def test_the_safe_range_of_floats_is_spelled_alike():
    import duckdb

    rng = np.random.default_rng(5)
    values = np.concatenate([10.0 ** rng.uniform(-4, 15, 200_000) * rng.choice([-1, 1], 200_000),
                             np.round(rng.uniform(-180, 180, 200_000), 6), [0.0, -0.0, 1e-4, 0.1, 0.3, 180.0]])
    values = values[(values == 0) | ((np.abs(values) >= 1e-4) & (np.abs(values) < 1e15))]
    frame = pl.DataFrame({"v": values})
    polars_text = frame.select(pl.struct("v").struct.json_encode()).to_series().str.slice(5).str.strip_suffix("}")
    con = duckdb.connect()
    con.register("t", frame.to_arrow())
    duck = [row[0] for row in con.execute("SELECT to_json(v)::VARCHAR FROM t").fetchall()]
    assert duck == polars_text.to_list()


def test_upper_case_escapes_are_lowered_but_escaped_backslashes_kept():
    assert _lower_escapes(r'"a\u001Bb\\u001B\\\u001F"') == r'"a\u001bb\\u001B\\\u001f"'
