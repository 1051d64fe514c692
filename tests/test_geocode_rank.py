"""The ranking module's fuzzy blocking: the bigram filter must never drop a key that rapidfuzz would accept."""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from geo.geocode import gazetteer
from geo.geocode.rank import FUZZY_CUTOFF, _blocked


def _slice(gaz: gazetteer.Gazetteer, key: str) -> tuple[int, int, int]:
    span = max(1, int(len(key) * 0.16))
    lo, hi = np.searchsorted(gaz.fuzzy_lens, [len(key) - span, len(key) + span + 1])
    return int(lo), int(hi), span


def _edits(key: str) -> list[str]:
    """Misspellings of ``key``: each character dropped, doubled or swapped with the next."""
    out = []
    for j in range(len(key)):
        out += [key[:j] + key[j + 1:], key[:j] + key[j] + key[j:], key[:j] + key[j + 1:j + 2] + key[j] + key[j + 2:]]
    return out


@pytest.mark.parametrize("name", ["Shaddadi", "Ain al-Asad", "Abu Kamal", "Conoco gas field", "Tanf", "Mosul",
                                  "Green Village base", "Qamishli", "Deir ez-Zor"], ids=str)
def test_blocking_keeps_every_fuzzy_hit(name: str) -> None:
    gaz = gazetteer.load()
    for key in _edits(gazetteer.normalize(name)):
        lo, hi, span = _slice(gaz, key)
        brute = {lo + i for _, _, i in process.extract(key, gaz.fuzzy_keys[lo:hi], scorer=fuzz.ratio,
                                                        score_cutoff=FUZZY_CUTOFF, limit=None)}
        kept = _blocked(gaz, key, lo, hi, span)
        assert kept is None or brute <= set(kept), key


def test_blocking_prunes_long_keys() -> None:
    gaz = gazetteer.load()
    key = gazetteer.normalize("Conoko gas field")
    lo, hi, span = _slice(gaz, key)
    kept = _blocked(gaz, key, lo, hi, span)
    assert kept is not None and len(kept) < (hi - lo) / 10
