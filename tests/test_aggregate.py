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
