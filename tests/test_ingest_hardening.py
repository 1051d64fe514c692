"""Issue 11 in the readers: each defect found by fuzzing and careless use, as a regression test.

Bad input gives one line naming the file (and row/field), never a traceback; nothing is swallowed silently; archives
and workbooks are checked before they are unpacked.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

import geo
from geo import ingest
from geo.ingest.limits import Limits, check_archive
from geo.ingest.text import read_delimited
from tests.test_ingest import acled_csv

HEADER = ("event_id_cnty,event_date,event_type,sub_event_type,actor1,latitude,longitude,geo_precision,country,location,"
          "source\n")
ROW = "IRQ{n},05 July 2021,Explosions/Remote violence,Air/drone strike,X,33.3,44.4,1,Iraq,Hit,Reuters\n"


def rows(*numbers: int) -> str:
    return "".join(ROW.format(n=n) for n in numbers)


def test_duplicate_column_names_name_the_column():
    data = (HEADER.replace("country", "latitude") + rows(1)).encode()
    with pytest.raises(ingest.IngestError, match=r"x\.csv: column\(s\) latitude appear more than once"):
        ingest.read(data, "acled", name="x.csv")
    table = read_delimited(b"a,b,a,,\n1,2,3,4,5\n", "t.csv")  # elsewhere: numbered, noted
    assert list(table.frame.columns) == ["a", "b", "a.1", "column_4", "column_5"]
    assert any("repeated" in n for n in table.notes)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_csv(codec):
    text = HEADER + rows(1, 2)
    data = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(codec)  # with its BOM, as Excel writes "Unicode text"
    result = ingest.read(data, "acled")
    assert result.taken == 2 and any("UTF-" in n for n in result.notes)


def test_utf16_without_bom_is_recognised():
    assert read_delimited((HEADER + rows(1)).encode("utf-16-le"), "u.csv").frame.shape == (1, 11)


def test_latin1_geojson_is_read_with_a_note():
    doc = ('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",'
           '"coordinates":[44.4,33.3]},"properties":{"date":"2021-07-05","name":"Caf\xe9 Baghdad"}}]}')
    result = ingest.read(doc.encode("latin-1"), "gis", name="x.geojson")
    assert result.events["location"].tolist() == ["Café Baghdad"]
    assert any("not UTF-8" in n for n in result.notes)


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_zip_without_a_layer_names_what_it_holds():
    with pytest.raises(ingest.IngestError, match=r"x\.zip: holds no GIS layer.*readme\.txt"):
        ingest.read(zipped({"readme.txt": b"hello"}), "gis", name="x.zip")


def test_zip_inside_a_zip_is_refused():
    inner = zipped({"a.geojson": b"{}"})
    with pytest.raises(ingest.IngestError, match=r"holds another archive \(inner\.zip\): unzip"):
        ingest.read(zipped({"inner.zip": inner}), "gis", name="x.zip")


def test_zip_bomb_is_refused_from_its_table_of_contents():
    bomb = zipped({"sheet.xml": b"\0" * (20 << 20)})  # 20 MB of zeros pack to ~20 KB: ratio ~1000
    assert len(bomb) < 100_000
    with pytest.raises(ingest.IngestError, match="unpack .* times its packed size"):
        check_archive(bomb, "bomb.zip")
    with pytest.raises(ingest.IngestError, match="unpacks to .* MB, more than"):
        check_archive(zipped({"a.csv": b"x" * (3 << 20)}, zipfile.ZIP_STORED), "big.zip", Limits(max_bytes=2 << 20))


def test_zip_bomb_xlsx_is_refused_before_openpyxl_unpacks_it():
    book = io.BytesIO()
    pd.DataFrame({"Date": ["2021-07-05"], "Latitude": [33.3], "Longitude": [44.4]}).to_excel(book, index=False)
    with zipfile.ZipFile(book.getvalue() and io.BytesIO(book.getvalue())) as src:
        members = {m.filename: src.read(m) for m in src.infolist()}
    members["xl/worksheets/sheet1.xml"] += b"<!--" + b" " * (60 << 20) + b"-->"
    with pytest.raises(ingest.IngestError, match="zip bomb"):
        ingest.read(zipped(members), "csv", name="bomb.xlsx")


def test_empty_xlsx_says_so():
    book = openpyxl.Workbook()
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(ingest.IngestError, match=r"e\.xlsx: the first sheet .* is empty"):
        ingest.read(buf.getvalue(), "csv", name="e.xlsx")


def test_unclosed_quote_is_reported_where_it_starts_and_reading_goes_on():
    data = (HEADER + rows(1) + ROW.format(n=2).replace("X,", '"X,') + rows(3, 4)).encode()
    result = ingest.read(data, "acled")
    assert sorted(result.events["source_id"]) == ["IRQ1", "IRQ3", "IRQ4"]
    assert result.report[["row", "field"]].values.tolist() == [[3, "row"]]
    assert "never closed" in result.report["reason"].iloc[0]


def test_quote_running_over_lines_is_one_reported_row():
    data = (HEADER + rows(1) + ROW.format(n=2).replace("X,", '"X,') + ROW.format(n=3).replace(",Reuters", '",Reuters')
            + rows(4)).encode()
    result = ingest.read(data, "acled", refuse_empty=False)
    assert sorted(result.events["source_id"]) == ["IRQ1", "IRQ4"]
    reason = result.report.set_index("row").loc[3, "reason"]
    assert "lines 3-4" in reason and "quote" in reason


def test_line_break_inside_a_header_cell_keeps_row_numbers():
    header = HEADER.replace("country", '"coun\r\ntry"')
    data = (header + rows(1) + ROW.format(n=2).replace("33.3", "north")).encode()
    result = ingest.read(data, "acled", refuse_empty=False)
    assert result.report.loc[result.report["field"] == "latitude", "row"].tolist() == [3]


def test_row_with_too_many_fields_is_reported_with_its_row():
    data = (HEADER + rows(1) + ROW.format(n=2).replace("Reuters", "Reuters,extra") + rows(3)).encode()
    result = ingest.read(data, "acled")
    assert result.taken == 2 and result.report[["row", "field"]].values.tolist() == [[3, "row"]]


def test_overlong_cell_is_reported_not_taken():
    data = (HEADER + rows(1) + ROW.format(n=2).replace("Reuters", "R" * 200_001)).encode()
    result = ingest.read(data, "acled")
    assert result.taken == 1
    assert "more than the 100,000" in result.report.set_index("row").loc[3, "reason"]


def test_too_many_columns_and_rows_are_refused():
    with pytest.raises(ingest.IngestError, match="columns, more than"):
        read_delimited((",".join(f"c{i}" for i in range(3000)) + "\n").encode(), "wide.csv")
    with pytest.raises(ingest.IngestError, match="rows, more than"):
        read_delimited(b"a\n" + b"1\n" * 11, "long.csv", limits=Limits(max_rows=10))


def test_binary_garbage_is_not_text():
    with pytest.raises(ingest.IngestError, match="binary data"):
        read_delimited(b"a,b\n\x00\x01\x02", "bin.csv")


def test_upload_cap_on_bytes_and_on_parsed_size():
    data = acled_csv([{"event_id_cnty": f"IRQ{i}"} for i in range(300)])
    with pytest.raises(geo.IngestError, match="above the upload limit"):
        geo.read_upload(data, "a.csv", cap_mb=len(data) / 2**20 / 2)
    from geo.ingest.upload import check_parsed, parsed_mb

    result = geo.read_upload(data, "a.csv", cap_mb=1)
    assert 0 < parsed_mb(result) < 8
    with pytest.raises(geo.IngestError, match="once read, above the .* an upload may take"):
        check_parsed(result, cap_mb=parsed_mb(result) / 10)


def test_upload_unpacked_size_follows_the_cap():
    # a small workbook that unpacks past 4x the cap is refused before openpyxl reads it
    members = {"xl/worksheets/sheet1.xml": b"<a/>" + b" " * (3 << 20)}
    with pytest.raises(geo.IngestError, match="unpacks to"):
        geo.read_upload(zipped(members, zipfile.ZIP_DEFLATED), "w.xlsx", fmt="csv", cap_mb=0.5)


def test_every_row_reported_or_taken_in_a_broken_file():
    # one of each defect: nothing is dropped silently
    lines = [rows(1), ROW.format(n=2).replace("33.3", "NA"), ROW.format(n=3).replace("05 July 2021", "0001-01-01"),
             ROW.format(n=4).replace(",1,", ",,"), ROW.format(n=5).replace("Reuters", "Reuters,x"), rows(6)]
    result = ingest.read((HEADER + "".join(lines)).encode(), "acled")
    assert result.taken + result.report["row"].nunique() == len(lines)
    assert np.isin(result.report["row"], [3, 4, 5, 6]).all()


@pytest.mark.parametrize("data", [b"\n\x80\n", b"\n\x01\n", b"\n\nDate,Latitude\n"], ids=["latin", "control", "blank"])
def test_blank_first_line_is_refused(data):
    # found by the long fuzz run: a blank header line crashed the cell-length check
    with pytest.raises(ingest.IngestError, match="first line has no column names"):
        read_delimited(data, "blank.csv")
