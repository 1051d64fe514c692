"""Property tests of every reader: arbitrary bytes and mutated real excerpts in, only a GeoError may come out.

Bounded in ``make test`` (the "ci" profile of tests/conftest.py); ``CEM_FUZZ=1`` runs the long profile.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from geo import ingest
from geo.errors import GeoError
from geo.ingest.common import clean_text
from geo.ingest.dates import parse_dates
from geo.validate import text_column as _text
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
SEEDS = {
    "acled": [DATA / "acled" / f for f in ("acled_2020_mena.csv", "acled_2015_old_layout_bgd.csv", "export.csv",
                                           "pre2023_semicolon_cp1252.csv")],
    "ucdp": [DATA / "ucdp" / "ged191_mmr_bgd.csv", DATA / "ucdp" / "ged.csv"],
    "gdelt": [DATA / "gdelt" / "gdelt1_20160728_excerpt.export.tsv", DATA / "gdelt" / "mixed.CSV"],
    "csv": [DATA / "table" / "sites.csv"],
    "gis": [DATA / "gis" / "epsg3857.geojson"],
}
FORMATS = [*SEEDS, None]
#: Each example reads a whole file: a third of the profile's count per test keeps `make test` bounded.
FEW = settings(max_examples=max(10, settings().max_examples // 3))
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)


def read_only_geo_errors(data: bytes, fmt: str | None, name: str = "fuzz.csv") -> None:
    """Read ``data``; a GeoError is an answer, anything else is a crash (the test fails with it)."""
    try:
        result = ingest.read(data, fmt, name=name)
    except GeoError as exc:
        assert str(exc).strip() and "Traceback" not in str(exc)
        return
    assert result.taken + result.report["row"].nunique() >= 0
    assert list(result.report.columns) == list(ingest.REPORT_COLUMNS)


@st.composite
def mutated(draw, fmt: str) -> bytes:
    """A real excerpt with bytes replaced, inserted, deleted, duplicated or cut."""
    data = bytearray(draw(st.sampled_from(SEEDS[fmt])).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["replace", "insert", "delete", "cut", "dup", "special"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == "cut":
            data = data[:at]
        elif kind == "dup":
            end = data.find(b"\n", at)
            data[at:at] = data[at:end if end > 0 else len(data)]
        else:
            data[at:at] = draw(st.sampled_from([b'"', b"\r", b"\n", b"\t", b",", b";", b"\x00", b"\xff\xfe",
                                                b"0001-01-01", b"9999-12-31", b"NaN", b"inf", b"1e308", b"-",
                                                b"XXX652", b"\xef\xbb\xbf", "\u202e".encode()]))
    return bytes(data)


@pytest.mark.fuzz
@pytest.mark.parametrize("fmt", FORMATS, ids=[str(f) for f in FORMATS])
@FEW
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes(fmt, data):
    read_only_geo_errors(data, fmt)


@pytest.mark.fuzz
@pytest.mark.parametrize("fmt", list(SEEDS))
@FEW
@given(data=st.data())
def test_mutated_real_excerpts(fmt, data):
    blob = data.draw(mutated(fmt))
    note(repr(blob[:300]))
    read_only_geo_errors(blob, fmt, name="fuzz.geojson" if fmt == "gis" else "fuzz.csv")
    read_only_geo_errors(blob, None, name="fuzz.csv")


@pytest.mark.fuzz
@FEW
@given(cells=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=1, max_size=8),
       delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_arbitrary_tables(cells, delimiter):
    text = "\n".join(delimiter.join(row) for row in cells)
    for codec in ("utf-8", "utf-16"):
        read_only_geo_errors(text.encode(codec, errors="replace"), "csv")
        read_only_geo_errors(text.encode(codec, errors="replace"), "acled")


@st.composite
def workbooks(draw) -> bytes:
    """An XLSX written by pandas, then damaged in its zip members."""
    frame = pd.DataFrame({"Date": draw(st.lists(st.one_of(st.dates().map(str), PRINTABLE,
                                                           st.integers(0, 99999)), min_size=1, max_size=4))})
    frame["Latitude"], frame["Longitude"] = 33.3, 44.4
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:
        members = {m.filename: src.read(m) for m in src.infolist()}
    name = draw(st.sampled_from(sorted(members)))
    body = bytearray(members[name])
    if draw(st.booleans()) and body:
        at = draw(st.integers(0, len(body) - 1))
        body[at:at + draw(st.integers(1, 20))] = draw(st.binary(max_size=20))
    members[name] = bytes(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return out.getvalue()


@pytest.mark.fuzz
@FEW
@given(book=workbooks())
def test_damaged_workbooks(book):
    read_only_geo_errors(book, "csv", name="fuzz.xlsx")
    read_only_geo_errors(book, "acled", name="fuzz.xlsx")


@pytest.mark.fuzz
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=30),
                                 st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
                                 st.dates().map(lambda d: d.strftime("%d-%b-%y")),
                                 st.integers(-10, 99999).map(str)), max_size=20),
       year=st.booleans(), dayfirst=st.sampled_from([None, True, False]))
def test_dates_never_raise_and_read_only_real_days(values, year, dayfirst):
    text = pd.Series(values, dtype="str")
    years = pd.Series([str(v)[-4:] if v else None for v in values], dtype="str") if year else None
    got = parse_dates(text, year=years, dayfirst=dayfirst)
    read = got.iso.dropna()
    assert pd.to_datetime(read, format="%Y-%m-%d", errors="coerce").notna().all()
    assert len(got.reasons) == int(got.bad.sum())
    assert (got.bad | got.iso.notna() | text.isna() | (text.str.strip() == "")).all()


@pytest.mark.fuzz
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=30))
def test_clean_text_is_the_validators_normalisation(values):
    series = pd.Series(values, dtype=pd.StringDtype("pyarrow", na_value=float("nan")))
    ours = clean_text(pa.array(series.array)).to_pylist()
    theirs = _text(pd.DataFrame({"c": series}), "c")
    assert ours == [None if pd.isna(v) else v for v in theirs.tolist()]
