"""Hypothesis strategies shared by the property tests (tests/test_fuzz_*.py): hostile values of every kind."""

from __future__ import annotations

import json
import math
import os
from datetime import date

from hypothesis import strategies as st

#: The long run (`make fuzz`) tries the whole date range; the bounded one stays within the years reports use.
LONG = bool(os.environ.get("CEM_FUZZ"))

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\x00", "'", " "]
NASTY_TEXT = ["", " ", "NA", "null", "None", "NaN", "inf", "-inf", "1e30", "0001-01-01", "9999-12-31", "2021-02-30",
              "=HYPERLINK(\"http://evil.example\")", "@SUM(A1)", "+1", "-5", "\tlead", "a\rb", "a\r\nb", "\"quoted\"",
              "</script><script>alert(1)</script>", "![x](http://evil.example/x.png)", "${alert(1)}", "`x`\\",
              "\x1b[31m", "\u202e", "\ufeff", "\x00", "🚀", "ع", "a" * 300, "[", "{}", "[]", "{\"a\":1}"]

text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=40),
                 st.builds(lambda a, b: a + b, st.sampled_from(FORMULA_STARTS), st.text(max_size=20)))
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, 1, -1, 2**63, 1e30, -1e30]))
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                            st.dictionaries(text, inner, max_size=3)), max_leaves=6)
coordinates = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20),
                        st.floats(-180, 180), st.sampled_from([0.0, 180.0, -90.0, 90.000001, 1e308]))


def geometries():
    """GeoJSON geometry members, well-formed or not."""
    point = st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, coordinates, coordinates)
    odd = st.one_of(
        st.none(), st.just({}), json_values,
        st.builds(lambda c: {"type": "Point", "coordinates": c}, json_values),
        st.builds(lambda x, y, z: {"type": "Point", "coordinates": [x, y, z]}, coordinates, coordinates, coordinates),
        st.builds(lambda t: {"type": t, "coordinates": [[0, 0], [1, 1]]},
                  st.sampled_from(["LineString", "Polygon", "MultiPoint", "GeometryCollection", "Nope"])),
    )
    return st.one_of(point, point, odd)


def dump(doc: object) -> bytes:
    """JSON with NaN and Infinity tokens (orjson refuses those; other tools write them)."""
    return json.dumps(doc, allow_nan=True, ensure_ascii=False).encode("utf-8", "surrogatepass")


def report_dates():
    return st.dates() if LONG else st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


def finite(value: object) -> bool:
    return not isinstance(value, float) or math.isfinite(value)
