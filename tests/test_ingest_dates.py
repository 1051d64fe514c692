"""Dates decided per file (geo.ingest.dates), and through the ACLED reader as users meet them."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from geo import ingest
from geo.ingest import acled
from geo.ingest.dates import MAX_YEAR, parse_dates
from tests.test_ingest import acled_csv


def iso(values, **options) -> list[str]:
    got = parse_dates(pd.Series(values, dtype="str"), **options)
    return got.iso.fillna("-").tolist()


@pytest.mark.parametrize(("values", "expected"), [
    (["05 July 2021", "2021-07-05", "05-Jul-21", "6-Jun-25", "01-January-2015"],
     ["2021-07-05", "2021-07-05", "2021-07-05", "2025-06-06", "2015-01-01"]),
    (["31-12-19", "01-02-19"], ["2019-12-31", "2019-02-01"]),              # DD-MM-YY: 31 cannot be a month
    (["05/07/2021", "13/07/2021"], ["2021-07-05", "2021-07-13"]),          # DD/MM/YYYY: a 13 decides
    (["07/05/2021", "07/13/2021"], ["2021-07-05", "2021-07-13"]),          # MM/DD/YYYY: a 13 decides
    (["2017-07-31 00:00:00.000", "2015-01-01 00:00:00"], ["2017-07-31", "2015-01-01"]),
    (["20210705"], ["2021-07-05"]),
    (["43831", "44000.5"], ["2020-01-01", "2020-06-18"]),                    # Excel serials (1900 system)
    (["July 5, 2021"], ["2021-07-05"]),
], ids=["acled-formats", "dd-mm-yy", "dayfirst-by-values", "monthfirst-by-values", "ged-times", "digits",
        "excel-serial", "month-name-first"])
def test_formats_decided_per_file(values, expected):
    assert iso(values) == expected


def test_one_reading_per_file_never_per_row():
    # 05/07 alone could be either; the 13/07 in the same file settles it for every row
    assert iso(["05/07/2021", "06/07/2021", "13/07/2021"]) == ["2021-07-05", "2021-07-06", "2021-07-13"]
    # a file mixing both orders keeps the reading most rows fit, and reports the others instead of flipping them
    got = parse_dates(pd.Series(["13/07/2021", "14/07/2021", "07/15/2021"], dtype="str"))
    assert got.iso.fillna("-").tolist() == ["2021-07-13", "2021-07-14", "-"]
    assert "DD/MM/YYYY" in got.reasons[0]


def test_ambiguous_file_is_reported_with_the_way_out():
    got = parse_dates(pd.Series(["05/07/2021", "06/07/2021"], dtype="str"))
    assert got.bad.all() and all("ambiguous" in r and "dayfirst" in r for r in got.reasons)
    assert any("ambiguous" in n for n in got.notes)
    assert iso(["05/07/2021", "06/07/2021"], dayfirst=True) == ["2021-07-05", "2021-07-06"]
    assert iso(["05/07/2021", "06/07/2021"], dayfirst=False) == ["2021-05-07", "2021-06-07"]


def test_year_column_disambiguates():
    # 05-07-21 with year 2021: DD-MM-YY and MM-DD-YY both fit, YY-MM-DD (2005) does not
    got = parse_dates(pd.Series(["05-07-21", "12-01-21"], dtype="str"), year=pd.Series(["2021", "2021"]))
    assert got.bad.all()  # still day-or-month ambiguous
    # 19-12-31 read as DD-MM-YY is impossible; as YY-MM-DD it fits the year column
    assert iso(["19-12-31"], year=pd.Series(["2019"])) == ["2019-12-31"]
    # a date whose reading contradicts the row's year is reported, not taken
    got = parse_dates(pd.Series(["31-12-19", "30-12-18"], dtype="str"), year=pd.Series(["2019", "2017"]))
    assert got.iso.fillna("-").tolist() == ["2019-12-31", "-"] and "year column says 2017" in got.reasons[0]


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "01/01/0001", "0000-00-00"])
def test_impossible_years_are_reported_not_raised(text):
    got = parse_dates(pd.Series([text, "2021-07-05"], dtype="str"))
    assert got.iso.tolist()[1] == "2021-07-05" and got.bad.tolist() == [True, False]
    assert got.reasons[0].startswith(f"'{text}'")


def test_excel_epoch_of_a_mac_workbook():
    assert iso(["43831"], excel_epoch="1904-01-01") == ["2024-01-02"]


def test_future_beyond_next_year_is_not_a_date():
    assert iso([f"{MAX_YEAR + 1}-01-01"]) == ["-"]


def test_acled_dd_mm_yy_export_imports():
    # issue 10: an ACLED export dated 31-12-19 was rejected row by row
    data = acled_csv([{"event_id_cnty": "IRQ1", "event_date": "31-12-19"},
                      {"event_id_cnty": "IRQ2", "event_date": "01-12-19"}])
    result = ingest.read(data, "acled")
    assert result.events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-12-31", "2019-12-01"]
    assert any("DD-MM-YY" in n for n in result.notes)


def test_acled_dd_mm_yyyy_with_year_column():
    data = acled_csv([{"event_id_cnty": "IRQ1", "event_date": "05/07/2021", "year": "2021"},
                      {"event_id_cnty": "IRQ2", "event_date": "06/07/2021", "year": "2021"}])
    with pytest.raises(ingest.IngestError, match="ambiguous.*dayfirst"):
        ingest.read(data, "acled")  # the year does not tell day from month: refused, with the way out
    assert ingest.read(data, "acled", dayfirst=True).events["date"].dt.month.tolist() == [7, 7]


def test_acled_xlsx_excel_serials_and_date_cells():
    frame = pd.read_csv(io.BytesIO(acled_csv([{}, {"event_id_cnty": "IRQ2"}])), dtype="str", keep_default_na=False)
    frame["event_date"] = [44382, pd.Timestamp("2021-07-06")]  # a General cell and a date cell
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    events = ingest.read(buf.getvalue(), name="export.xlsx").events
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-07-05", "2021-07-06"]


def test_acled_row_dated_year_one_does_not_abort():
    # issue 11: a row dated 0001-01-01 aborted the whole ingest
    result = acled.read(acled_csv([{"event_date": "0001-01-01"}, {"event_id_cnty": "IRQ2"}]))
    assert result.taken == 1
    assert result.report[["row", "field"]].values.tolist() == [[2, "event_date"]]
