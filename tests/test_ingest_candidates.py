"""News candidates as an editable table -> an import (geo.ingest.candidates), without the extractor's gazetteer."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import geo

PUBLISHED = date(2021, 7, 6)


def table(edits: dict) -> pd.DataFrame:
    """Two candidates as the editor returns them (a rocket impact, an intercepted drone)."""
    rows = pd.DataFrame({
        "accept": [True, True], "date": pd.to_datetime(["2021-07-05", "2021-07-05"]), "date_precision": ["day", "day"],
        "weapon_type": ["rocket", "drone"], "count": [3, 1], "outcome": ["impact", "intercepted"],
        "actor": ["Unidentified", None], "attribution": ["unknown", "unknown"], "target": ["a base", None],
        "location": ["Ain al-Asad Air Base", "US Embassy Baghdad"], "admin1": ["Al Anbar", "Baghdad"],
        "country": ["IRQ", "IRQ"], "lon": [42.44111, 44.39611], "lat": [33.78556, 33.29889],
        "precision_km": [15.0, 5.5], "geo_precision": [2, 2], "fatalities": [None, None], "confidence": [0.85, 0.95],
        "evidence": ["Three rockets hit the base.", "A drone was shot down near the embassy."]})
    rows.index = pd.RangeIndex(1, 3)
    for (row, col), value in edits.items():
        rows.loc[row, col] = value
    return rows.astype({c: "Float64" for c in ("count", "lon", "lat", "precision_km", "geo_precision", "fatalities")})


CASES = [
    ("all-accepted", {}, ["rocket", "drone"], []),
    ("one-rejected", {(1, "accept"): False}, ["drone"], []),
    ("edited-weapon", {(2, "weapon_type"): "rocket"}, ["rocket", "rocket"], []),
    ("missing-latitude", {(1, "lat"): None}, ["drone"], [1]),
    ("second-missing-latitude", {(2, "lat"): None}, ["rocket"], [2]),
    ("none-accepted", {(1, "accept"): False, (2, "accept"): False}, [], []),
]


@pytest.mark.parametrize(("edits", "weapons", "report_rows"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_accepted_import(edits, weapons, report_rows):
    result = geo.accepted_news_import(table(edits), published=PUBLISHED, source={"publisher": "Test Wire"})
    assert result.events["weapon_type"].astype("str").tolist() == weapons
    assert sorted(set(result.report["row"])) == report_rows  # candidates are numbered from 1, as in the editor
    assert result.fmt == "news"
    assert all('"Test Wire"' in s for s in result.events["sources"])
