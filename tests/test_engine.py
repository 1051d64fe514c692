"""geo.store.engine: DuckDB over the trusted cache gives what pandas gives on the same events, and stays offline."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest

import geo
from geo import export_slices
from geo.store import cache, engine
from geo.webmap import aggregate
from tests.conftest import ROOT

SPECS = [
    ("everything", geo.FilterSpec()),
    ("drones and rockets", geo.FilterSpec(weapons=("drone", "rocket"))),
    ("since 2021 in Syria", geo.FilterSpec(since=date(2021, 1, 1), countries=("syr",))),
    ("text", geo.FilterSpec(text="base")),
    ("bbox", geo.FilterSpec(bbox=(40.0, 32.0, 44.0, 36.0))),
    ("killed", geo.FilterSpec(min_fatalities=1, attributions=("claimed", "attributed"))),
    ("nothing", geo.FilterSpec(text="no such words anywhere")),
]


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    import os

    os.environ["CEM_CACHE_DIR"] = str(tmp_path_factory.mktemp("engine-cache"))
    return cache.ensure(geo.DEFAULT_EVENTS).path


@pytest.mark.parametrize("spec", [s for _, s in SPECS], ids=[n for n, _ in SPECS])
def test_counts_and_summaries_equal_pandas(cached, seed, spec):
    kept = geo.apply(seed, spec)
    assert engine.count(cached, spec) == len(kept)
    assert engine.summarize(cached, spec, top=3) == geo.summarize(kept, top=3)


@pytest.mark.parametrize("spec", [s for _, s in SPECS], ids=[n for n, _ in SPECS])
def test_selected_events_equal_the_pandas_filter(cached, seed, spec):
    want = geo.apply(seed, spec).reset_index(drop=True)
    got = engine.events(cached, spec)
    pd.testing.assert_frame_equal(got, want, check_categorical=False)
    sliced = list(engine.frames(cached, spec, batch_rows=5))
    assert sum(len(f) for f in sliced) == len(want)
    assert [e for f in sliced for e in f["event_id"]] == want["event_id"].tolist()  # file order kept


@pytest.mark.parametrize("period", ["day", "week", "month", "year"])
def test_counts_by_period_equal_pandas(cached, seed, period):
    spec = geo.FilterSpec(weapons=("drone", "rocket", "ballistic_missile"))
    kept = geo.apply(seed, spec)
    starts = kept["date"].dt.to_period({"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}[period]).dt.start_time
    frame = pd.DataFrame({"p": starts.dt.strftime("%Y-%m-%d"), "f": kept["fatalities"].fillna(0).astype(int)})
    want = [(p, len(g), int(g["f"].sum())) for p, g in frame.groupby("p")]
    assert engine.counts_by_period(cached, spec, period) == want


def test_unknown_period_is_refused(cached):
    with pytest.raises(geo.GeoError, match="unknown period"):
        engine.counts_by_period(cached, geo.FilterSpec(), "fortnight")


@pytest.mark.parametrize("max_cells", [5, 20, 2000])
def test_viewport_cells_equal_the_grid(cached, seed, max_cells):
    grid = aggregate.grid(seed, max_cells=max_cells)
    assert engine.finest_cell(cached, geo.FilterSpec(), aggregate.CELL_SIZES, max_cells=max_cells) == grid.cell_deg
    cells = engine.cells(cached, geo.FilterSpec(), cell_deg=grid.cell_deg)
    assert list(cells.columns) == ["lon", "lat", "count", "weapon_type", "fatalities", "event_id"]
    np.testing.assert_allclose(cells["lon"], grid.lon)
    np.testing.assert_allclose(cells["lat"], grid.lat)
    assert cells["count"].tolist() == grid.count.tolist()
    assert cells["weapon_type"].tolist() == list(grid.weapon)
    assert cells["fatalities"].tolist() == grid.fatalities.tolist()
    singles = cells[cells["count"] == 1]
    for row in singles.itertuples():
        assert geo.events_at(seed, row.lon, row.lat)["event_id"].eq(row.event_id).any()
    assert cells.loc[cells["count"] > 1, "event_id"].isna().all()


def test_viewport_cells_follow_the_viewport(cached, seed):
    spec = geo.FilterSpec(bbox=(42.0, 32.0, 46.0, 36.0))
    cells = engine.cells(cached, spec, cell_deg=0.5)
    assert cells["count"].sum() == len(geo.apply(seed, spec))
    assert cells["lon"].between(42, 46).all() and cells["lat"].between(32, 36).all()


def _no_time(data: bytes) -> bytes:
    return re.sub(rb'"exported":"[^"]+"', b"", data)


@pytest.mark.parametrize("spec", [s for _, s in SPECS], ids=[n for n, _ in SPECS])
def test_streamed_geojson_is_byte_identical_to_the_in_memory_export(cached, seed, spec):
    out = io.BytesIO()
    export_slices.export_file(cached, spec, out, caption="c", meta={"filter": geo.to_params(spec)})
    want = geo.geojson_bytes(geo.apply(seed, spec), caption="c", meta={"filter": geo.to_params(spec)})
    assert _no_time(out.getvalue()) == _no_time(want)


@pytest.mark.parametrize("suffix", [".csv", ".gpkg", ".parquet", ".geojson"])
@pytest.mark.parametrize("spec", [SPECS[1][1], SPECS[-1][1]], ids=["drones and rockets", "nothing"])
def test_streamed_exports_read_back_as_the_in_memory_ones(tmp_path, cached, seed, suffix, spec):
    streamed = tmp_path / f"streamed{suffix}"
    export_slices.export_file(cached, spec, streamed, caption="c")
    in_memory = geo.write(geo.apply(seed, spec), tmp_path / f"memory{suffix}", caption="c")
    pd.testing.assert_frame_equal(geo.read_events(streamed), geo.read_events(in_memory))
    if suffix == ".csv":
        assert streamed.read_bytes() == in_memory.read_bytes()


def test_gpkg_writer_reads_back_as_the_feature_by_feature_writer(tmp_path, seed):
    import pyogrio

    from geo import export

    pyogrio.write_dataframe(export._gdal_frame(seed), tmp_path / "old.gpkg", layer="events", driver="GPKG")
    new = geo.write(seed, tmp_path / "new.gpkg")
    pd.testing.assert_frame_equal(geo.read_events(new), geo.read_events(tmp_path / "old.gpkg"))
    assert pyogrio.read_info(new)["geometry_type"] == "Point"
    assert pyogrio.read_info(new)["crs"] == "EPSG:4326"


def test_a_store_file_with_a_bbox_covering_works_too(tmp_path, seed):
    path = tmp_path / "store.parquet"
    seed.to_parquet(path, write_covering_bbox=True)  # a GeoParquet 1.1 file as geopandas writes it
    spec = geo.FilterSpec(bbox=(40.0, 32.0, 44.0, 36.0), weapons=("drone", "rocket"))
    assert engine.count(path, spec) == len(geo.apply(seed, spec))


def test_a_file_without_coordinates_is_a_clear_error(tmp_path, seed):
    path = tmp_path / "plain.parquet"
    seed.to_parquet(path)
    with pytest.raises(geo.GeoError, match="no lon/lat columns"):
        engine.count(path, geo.FilterSpec())


def test_values_never_become_sql(cached, seed):
    spec = geo.FilterSpec(actors=("x'); DROP TABLE t; --",), text="' OR 1=1 --")
    assert engine.count(cached, spec) == 0
    assert engine.count(cached, geo.FilterSpec(actors=("Kata'ib Hezbollah",))) == len(
        geo.apply(seed, geo.FilterSpec(actors=("Kata'ib Hezbollah",))))


def test_duckdb_is_offline_locked_and_reads_only_its_file(cached, tmp_path):
    con = engine.connect([cached])
    settings = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                                "('autoinstall_known_extensions', 'autoload_known_extensions', "
                                "'allow_community_extensions', 'enable_external_access', "
                                "'lock_configuration')").fetchall())
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
                        "allow_community_extensions": "false", "enable_external_access": "false",
                        "lock_configuration": "true"}
    with pytest.raises(engine.Error):
        con.execute("SET autoinstall_known_extensions = true")
    assert con.execute(f"SELECT count(*) FROM read_parquet('{cached}')").fetchall() == [(48,)]
    other = tmp_path / "other.csv"
    other.write_text("a\n1\n")
    with pytest.raises(engine.Error, match="disabled by configuration"):
        con.execute(f"SELECT * FROM read_csv('{other}')")


NO_DOWNLOAD = """
import os, sys
from geo.store import engine
con = engine.connect()
for sql in ("SELECT ST_Point(1, 2)", "SELECT * FROM read_parquet('https://example.invalid/e.parquet')",
            "INSTALL spatial", "LOAD spatial"):
    try:
        con.execute(sql)
    except engine.Error as exc:
        print(type(exc).__name__, str(exc).splitlines()[0])
    else:
        sys.exit("ran: " + sql)
"""


def test_no_extension_is_downloaded_or_loaded(tmp_path):
    # A fresh HOME (DuckDB's extension folder lives there) and a proxy that refuses every connection: an attempt
    # to fetch anything fails and leaves traces; none may be made.
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "http_proxy": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9", "CEM_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", NO_DOWNLOAD], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4
    assert "spatial" in lines[0] and "disabled by configuration" in lines[1]
    assert all("disabled" in line and "Failed to download" not in line for line in lines[2:]), lines
    assert not (tmp_path / ".duckdb").exists()  # nothing was installed


@pytest.mark.parametrize("spec", [SPECS[0][1], SPECS[2][1], SPECS[-1][1]], ids=["everything", "since 2021", "nothing"])
def test_trends_equal_pandas(cached, seed, spec):
    want = geo.trends(geo.apply(seed, spec), top=100)  # top above the number of actors: no tie at the cut
    got = engine.trends(cached, spec, top=100)
    assert set(got) == set(want)
    for name, table in want.items():
        keys = list(table.columns)
        left = got[name].sort_values(keys).reset_index(drop=True)
        right = table.sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)
        for col in keys:
            if pd.api.types.is_datetime64_any_dtype(right[col]):
                assert pd.api.types.is_datetime64_any_dtype(left[col])
