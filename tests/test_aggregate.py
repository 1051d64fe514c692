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
