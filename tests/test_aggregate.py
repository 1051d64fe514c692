"""The density grid: counts add up, cells stay under the cap, and a clicked cell gives back its events."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import raw_events  # noqa: E402
from geo.webmap.aggregate import cell_events, grid  # noqa: E402
from geo.validate import check  # noqa: E402


@pytest.fixture(scope="module")
def events():
    return check(*raw_events(20_000, seed=3)).events


@pytest.mark.parametrize("max_cells", [50, 500, 2000])
def test_counts_add_up_under_the_cap(events, max_cells):
    cells = grid(events, max_cells=max_cells)
    assert 0 < len(cells) <= max_cells
    assert cells.count.sum() == len(events)
    assert cells.fatalities.sum() == int(events["fatalities"].fillna(0).sum())


def test_dominant_weapon_is_the_most_frequent(events):
    cells = grid(events, max_cells=50)
    biggest = int(np.argmax(cells.count))
    members = cell_events(events, cells.lon[biggest], cells.lat[biggest], max_cells=50)
    assert len(members) == cells.count[biggest]
    counts = members["weapon_type"].astype(str).value_counts()
    assert counts[cells.weapon[biggest]] == counts.max()  # ties may go either way


def test_every_cell_gives_back_exactly_its_events(events):
    cells = grid(events, max_cells=200)
    total = sum(len(cell_events(events, lo, la, max_cells=200)) for lo, la in zip(cells.lon[:40], cells.lat[:40]))
    assert total == cells.count[:40].sum()


# --- the drill-down map's viewport aggregation (geo.webmap.viewport) ---------------------------------------

from geo.webmap import viewport  # noqa: E402

CONTRACT = ["lon", "lat", "count", "weapon_type", "fatalities", "event_id"]


@pytest.fixture(scope="module")
def pts(events):
    return viewport.points(events)


@pytest.mark.parametrize("zoom", [4, 6, 8], ids=["z4", "z6", "z8"])
def test_view_cells_keep_the_contract_and_add_up(events, pts, zoom):
    bounds = (30.0, 20.0, 60.0, 45.0)  # holds every synthetic event
    cells = viewport.viewport_cells(pts, bounds, zoom)
    assert list(cells.columns[:6]) == CONTRACT
    assert 0 < len(cells) <= viewport.MAX_FEATURES
    assert cells["count"].sum() == len(events)
    assert cells["fatalities"].sum() == int(events["fatalities"].fillna(0).sum())
    one = cells[cells["count"] == 1]
    assert one["event_id"].notna().all() and cells.loc[cells["count"] > 1, "event_id"].isna().all()
    by_id = events.set_index("event_id")
    for row in one.head(20).itertuples():  # a single is that event, at its own place
        assert by_id.loc[row.event_id, "geometry"].x == row.lon and by_id.loc[row.event_id, "weapon_type"] == row.weapon_type


def test_cells_shrink_with_zoom_and_end_at_single_events(pts):
    lon, lat = float(np.median(pts.lon)), float(np.median(pts.lat))
    sizes = []
    for zoom in (5, 7, 9, 11, 13):
        w = 360 / 2 ** zoom
        cells = viewport.viewport_cells(pts, (lon - w, lat - w / 2, lon + w, lat + w / 2), zoom)
        sizes.append(cells["count"].max())
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 1 and sizes[-1] == 1


def test_cells_stay_put_while_panning(pts):
    a = viewport.viewport_cells(pts, (40.0, 30.0, 46.0, 35.0), 7)
    b = viewport.viewport_cells(pts, (40.5, 30.2, 46.5, 35.2), 7)
    inner = lambda c: c[(c.west > 41) & (c.east < 45) & (c.south > 31) & (c.north < 34)]  # noqa: E731
    key = ["count", "lon", "lat"]
    assert inner(a)[key].sort_values(key).to_numpy().tolist() == inner(b)[key].sort_values(key).to_numpy().tolist()


def test_cells_hold_their_events_and_extent(pts):
    cells = viewport.viewport_cells(pts, (30.0, 20.0, 60.0, 45.0), 6)
    big = cells.sort_values("count").iloc[-1]
    inside = viewport.members(pts, big.west, big.south, big.east, big.north)
    assert len(inside) >= big["count"]  # the extent holds the cell's events (and maybe a neighbour's on its edge)
    assert big.west <= big.lon <= big.east and big.south <= big.lat <= big.north


def test_few_events_in_view_are_all_singles(pts):
    cells = viewport.viewport_cells(pts, (44.0, 33.0, 44.6, 33.4), 10)
    assert len(cells) and (cells["count"] == 1).all()


def test_feature_cap(pts):
    cells = viewport.viewport_cells(pts, (30.0, 20.0, 60.0, 45.0), 14, single_limit=10, max_features=300)
    assert len(cells) <= 300 and cells["count"].sum() == len(pts)


def test_weapons_present_through_categories(events):
    import pandas as pd

    expected = [w for w in viewport.WEAPON_TYPES if w in set(events["weapon_type"].astype(str))]
    assert viewport.weapons_present(events) == expected
    plain = events.assign(weapon_type=events["weapon_type"].astype(str))
    assert viewport.weapons_present(plain) == expected
    assert viewport.weapons_present(events.iloc[:0]) == []
    assert viewport.weapons_present(pd.DataFrame({"weapon_type": pd.Categorical(["ied"])})) == ["ied"]


def test_playback_counts_per_feature_and_frame(events, pts):
    from geo import timeline

    span = timeline.frames(events["date"].min(), events["date"].max(), step="month")
    asg = viewport.assign(pts, (30.0, 20.0, 60.0, 45.0), 6)
    idx = timeline.frame_index(pts.day, span)
    triplets = viewport.frame_counts(asg, idx)
    assert triplets[:, 2].sum() == len(events)
    k = 5
    per_feature = np.bincount(triplets[triplets[:, 1] <= k, 0], weights=triplets[triplets[:, 1] <= k, 2])
    assert per_feature.sum() == timeline.visible(idx, k, mode="cumulative").sum()


# --- the spatial index (geo.webmap.spatial): the same answers as a scan, from a few slices ------------------

from geo.webmap import spatial  # noqa: E402


@pytest.fixture(scope="module")
def indexed(events):
    """The same points, sorted into the spatial index (which big collections get)."""
    old, viewport.INDEX_FROM = viewport.INDEX_FROM, 0
    try:
        yield viewport.points(events)
    finally:
        viewport.INDEX_FROM = old


def _views(n: int, seed: int = 4):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        w, s, span = rng.uniform(37, 49), rng.uniform(28, 37), 10 ** rng.uniform(-2.5, 1.2)
        yield (w, s, w + span, s + span * rng.uniform(0.3, 1.0))


def test_index_finds_exactly_the_events_in_view(pts, indexed):
    assert len(indexed.key) == len(indexed) and np.all(np.diff(indexed.key.astype(np.float64)) >= 0)
    for bounds in _views(200):
        found = indexed.row[viewport.in_view(indexed, bounds)]
        assert np.array_equal(np.sort(found), pts.row[viewport.in_view(pts, bounds)]), bounds


def test_a_cell_is_one_run_of_the_sorted_points(indexed):
    for zoom in (3, 8, 13):
        gx, gy = spatial.cells_at(indexed.lon, indexed.lat, zoom)
        assert np.array_equal(spatial.morton(gx, gy, zoom), indexed.key >> np.uint64(2 * (spatial.FINE - zoom)))
        cell = gx * 10**7 + gy
        runs = np.count_nonzero(np.diff(cell) != 0) + 1
        assert runs == len(np.unique(cell))  # each cell's points are contiguous


def test_runs_concatenates_ranges():
    assert spatial.runs(np.array([2, 7, 9]), np.array([4, 7, 12])).tolist() == [2, 3, 9, 10, 11]
    assert spatial.runs(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []


@pytest.mark.parametrize("zoom", [6, 8, 10])
def test_level_totals_draw_the_same_cells_as_the_events(indexed, monkeypatch, zoom):
    lon, lat = float(np.median(indexed.lon)), float(np.median(indexed.lat))
    half = 12 * viewport.cell_deg(zoom)  # a view about 24 x 16 cells wide
    bounds = (lon - half, lat - half * 2 / 3, lon + half, lat + half * 2 / 3)
    monkeypatch.setattr(viewport, "LEVEL_FROM", 10**9)
    scanned = viewport.viewport_cells(indexed, bounds, zoom, single_limit=10)
    monkeypatch.setattr(viewport, "LEVEL_FROM", 0)
    summed = viewport.assign(indexed, bounds, zoom, single_limit=10)
    assert list(summed.cells.columns[:6]) == CONTRACT
    w, s, e, n = viewport._padded(bounds, 0.15)
    size = viewport.cell_deg(zoom)

    def inner(cells):  # cells whose whole square lies in the padded view: the border ones are whole or cut
        gx, gy = np.floor(cells.lon / size), np.floor(cells.lat / size)
        keep = (gx * size > w) & ((gx + 1) * size < e) & (gy * size > s) & ((gy + 1) * size < n)
        return cells[keep].sort_values(["lon", "lat"]).reset_index(drop=True)

    a, b = inner(scanned), inner(summed.cells)
    assert len(a) > 10 and len(a) == len(b)
    for col in ("count", "weapon_type", "fatalities", "summary"):
        assert a[col].tolist() == b[col].tolist(), col
    assert np.allclose(a[["lon", "lat"]], b[["lon", "lat"]])
    assert a["event_id"].fillna("").tolist() == b["event_id"].fillna("").tolist()
    assert b["count"].sum() >= a["count"].sum()
    # playback membership: every event of the summed cells, each in its own cell
    assert len(summed.members) == summed.cells["count"].sum()
    assert np.array_equal(np.bincount(summed.feature, minlength=len(summed.cells)), summed.cells["count"])


def test_singles_name_their_own_events_when_sorted(events, indexed):
    by_id = events.set_index("event_id")
    lon, lat = float(np.median(indexed.lon)), float(np.median(indexed.lat))
    asg = viewport.assign(indexed, (lon - 0.3, lat - 0.2, lon + 0.3, lat + 0.2), 10)
    assert len(asg.singles) and (asg.cells["count"] == 1).all()
    for pos, row in zip(asg.singles, asg.cells.itertuples()):
        event = events.iloc[indexed.row[pos]]
        assert event["event_id"] == row.event_id and by_id.loc[row.event_id, "geometry"].x == row.lon


def test_a_filter_narrows_the_collection_index_without_sorting_again(events, monkeypatch):
    import geo

    monkeypatch.setattr(viewport, "INDEX_FROM", 0)
    base = geo.dataset_points(events)
    spec = geo.FilterSpec(weapons=("drone", "rocket"), min_fatalities=1)
    filtered = geo.apply(events, spec)
    pts, order = geo.filtered_points(base, events, filtered)
    fresh, fresh_order = geo.dataset_points(filtered)
    assert np.array_equal(order, fresh_order)  # the feed: newest first, ties by id, as if sorted afresh
    assert len(pts) == len(fresh) == len(filtered) and np.all(np.diff(pts.key.astype(np.float64)) >= 0)
    for bounds in _views(50, seed=9):
        a, b = viewport.in_view(pts, bounds), viewport.in_view(fresh, bounds)
        assert sorted(pts.ids(a)) == sorted(fresh.ids(b))
        assert set(filtered.iloc[pts.row[a]]["event_id"]) == set(pts.ids(a))  # rows are the filtered frame's
    same, same_order = geo.filtered_points(base, events, events)  # no filter: the collection's own arrays
    assert same.lon is base[0].lon and np.array_equal(same_order, base[1])


@pytest.mark.parametrize("zoom", [5, 7], ids=["z5", "z7"])
def test_circles_of_neighbouring_cells_never_overlap(pts, zoom):
    from scipy.spatial import cKDTree

    cells = viewport.viewport_cells(pts, (30.0, 20.0, 60.0, 45.0), zoom)
    many = cells[cells["count"] > 1]
    px = np.minimum(44.0, 20.0 + 6.0 * np.log10(many["count"].to_numpy()))  # layers.js bubble()
    per_px = viewport.cell_deg(zoom) / viewport.CELL_PX
    # degrees of latitude are at least as long on screen as degrees of longitude (Mercator): a safe lower bound
    xy = many[["lon", "lat"]].to_numpy() / per_px
    tree = cKDTree(xy)
    pairs = np.array(sorted(tree.query_pairs(r=44.0, p=np.inf)))
    assert len(many) > 10
    if len(pairs):
        gap = np.abs(xy[pairs[:, 0]] - xy[pairs[:, 1]]).max(axis=1)
        assert (gap >= (px[pairs[:, 0]] + px[pairs[:, 1]]) / 2 - 1e-6).all()
