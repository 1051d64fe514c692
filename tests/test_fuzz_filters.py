"""Property test of the link parser: any query dictionary gives a FilterSpec or a FilterError, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo
from geo.query import PARAM_NAMES
from tests.fuzz_strategies import text

pytestmark = pytest.mark.fuzz

KEYS = st.one_of(st.sampled_from(sorted(PARAM_NAMES.values())), text)
VALUES = st.one_of(text, st.lists(text, max_size=4), st.sampled_from(["drone", "2021-07-05", "1,2,3,4", "44,33,45,34",
                                                                        "-181,0,0,0", "1e400", "nan", "0x10"]))


@given(params=st.dictionaries(KEYS, VALUES, max_size=8))
def test_from_params_gives_a_spec_or_a_filter_error(params):
    try:
        spec = geo.from_params(params)
    except geo.FilterError:
        return
    assert geo.from_params(geo.to_params(spec)) == spec  # a spec survives its own link


@given(params=st.dictionaries(KEYS, VALUES, max_size=8))
def test_a_parsed_spec_filters_and_describes(params, seed):
    try:
        spec = geo.from_params(params)
    except geo.FilterError:
        return
    kept = geo.apply(seed, spec)
    assert len(kept) <= len(seed)
    assert geo.describe(spec, len(kept)).endswith(f"{len(kept)} event{'s' if len(kept) != 1 else ''}")
