"""Dates decided per file: each shape of date text gets one reading for the whole file, never a guess per row.

Shapes: ISO (``2021-07-05``, with or without a time), day-month-name-year (``05 July 2021``, ``05-Jul-21``,
``01-January-2015``), month-name-day-year (``July 5, 2021``), numeric day/month/year (``31/12/2019``, ``31-12-19``,
``12/31/2019``), eight digits (``20210705``) and Excel serial numbers (``43831``). A numeric shape can be read
several ways (DD/MM or MM/DD; DD-MM-YY or YY-MM-DD): the reading that makes the most rows real dates, inside the
years events can have and, where the file has one, matching its ``year`` column, is taken for the whole file. When two
readings do equally well and disagree, the file is ambiguous: its rows are reported with how to settle it
(``dayfirst``), not guessed. Only distinct values are parsed (a million rows hold a few thousand dates).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.ingest.common import report_frame
from geo.validate import to_float

MIN_YEAR = 1800
#: Events are not dated in the future: the latest year taken is next year.
MAX_YEAR = dt.date.today().year + 1
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}

#: shape -> (pattern with groups a, b, c; the readings: label -> (year, month, day) group names).
SHAPES: dict[str, tuple[str, dict[str, tuple[str, str, str]]]] = {
    "iso": (r"(?P<a>\d{4})([-/.])(?P<b>\d{1,2})\2(?P<c>\d{1,2})" + _TIME, {"YYYY-MM-DD": ("a", "b", "c")}),
    "day-name": (r"(?P<c>\d{1,2})(?:st|nd|rd|th)?[ \-./]?(?P<b>[A-Za-z]{3,9})\.?[ \-./,]*(?P<a>\d{4}|\d{2})" + _TIME,
                 {"DD Month YYYY": ("a", "b", "c")}),
    "name-day": (r"(?P<b>[A-Za-z]{3,9})\.? (?P<c>\d{1,2})(?:st|nd|rd|th)?,? (?P<a>\d{4})" + _TIME,
                 {"Month DD, YYYY": ("a", "b", "c")}),
    "numeric": (r"(?P<a>\d{1,2})([-/.])(?P<b>\d{1,2})\2(?P<c>\d{4}|\d{2})" + _TIME,
                {"DD/MM/YYYY": ("c", "b", "a"), "MM/DD/YYYY": ("c", "a", "b"), "YY/MM/DD": ("a", "b", "c")}),
    "digits": (r"(?P<a>\d{8})", {"YYYYMMDD": ("a", "a", "a"), "DDMMYYYY": ("a", "a", "a")}),
    "serial": (r"(?P<a>\d{5})(?:\.\d+)?", {"Excel serial": ("a", "a", "a")}),
}
_COMPILED = {k: re.compile(p) for k, (p, _) in SHAPES.items()}
_FIXED = {"DD/MM/YYYY": True, "MM/DD/YYYY": False}
#: 5 July 2021 as each reading writes it.
_EXAMPLES = {"YYYY-MM-DD": "2021-07-05", "DD Month YYYY": "05 July 2021", "Month DD, YYYY": "July 5, 2021",
             "DD/MM/YYYY": "05/07/2021", "MM/DD/YYYY": "07/05/2021", "YY/MM/DD": "21/07/05", "YYYYMMDD": "20210705",
             "DDMMYYYY": "05072021", "Excel serial": "44382"}


@dataclass
class Dates:
    """ISO text per row (missing where not read), the rows whose text was not read, why, and file-level notes."""

    iso: pd.Series
    bad: np.ndarray
    reasons: np.ndarray  # one per bad row, in row order
    notes: list[str] = field(default_factory=list)
    #: The same dates as datetime64[ms] (NaT where not read): what the validator takes without parsing again.
    values: pd.Series | None = None

    def report(self, rows: np.ndarray, field_: str) -> pd.DataFrame:
        return report_frame(rows[self.bad], field_, self.reasons)


def _years(text: pd.Series, two_digit: np.ndarray) -> np.ndarray:
    """Four-digit years; two digits as Python's %y reads them (69-99 -> 19xx, 00-68 -> 20xx)."""
    y = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return np.where(two_digit, np.where(y >= 69, 1900 + y, 2000 + y), y)


def _ymd(parts: pd.DataFrame, shape: str, label: str, epoch: str | None) -> np.ndarray:
    """(year, month, day) floats for each value of a shape under one reading (NaN where it cannot apply)."""
    n = len(parts)
    if shape == "serial":
        days = pd.to_numeric(parts["a"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        stamp = pd.Timestamp(epoch or "1899-12-30") + pd.to_timedelta(np.nan_to_num(days), unit="D")
        out = np.column_stack([stamp.year, stamp.month, stamp.day]).astype("float64")
        out[np.isnan(days) | (days < 1)] = np.nan
        return out
    if shape == "digits":
        s = parts["a"].astype("str")
        cut = (s.str[0:4], s.str[4:6], s.str[6:8]) if label == "YYYYMMDD" else (s.str[4:8], s.str[2:4], s.str[0:2])
        return np.column_stack([pd.to_numeric(c, errors="coerce").to_numpy("float64", na_value=np.nan) for c in cut])
    ya, mo, da = SHAPES[shape][1][label]
    year = _years(parts[ya], parts[ya].str.len().to_numpy() == 2)
    month_text = parts[mo]
    if shape in ("day-name", "name-day"):
        month = month_text.str.lower().map(_MONTHS).to_numpy(dtype="float64", na_value=np.nan)
    else:
        month = pd.to_numeric(month_text, errors="coerce").to_numpy("float64", na_value=np.nan)
    day = pd.to_numeric(parts[da], errors="coerce").to_numpy("float64", na_value=np.nan)
    if label == "YY/MM/DD":  # only a two-digit first part can be a year
        year = np.where((parts["a"].str.len() == 2).to_numpy() & (parts["c"].str.len() == 2).to_numpy(), year, np.nan)
    return np.column_stack([year, month, day]) if n else np.empty((0, 3))


def _calendar(ymd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(a real calendar day, inside MIN_YEAR..MAX_YEAR) for each (year, month, day)."""
    y, m, d = ymd[:, 0], ymd[:, 1], ymd[:, 2]
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    dim = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype="float64")[
        np.clip(np.nan_to_num(m, nan=1), 1, 12).astype(int) - 1] + ((m == 2) & leap)
    real = ~np.isnan(y) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= dim)
    return real, real & (y >= MIN_YEAR) & (y <= MAX_YEAR)


def _iso(ymd: np.ndarray) -> np.ndarray:
    y, m, d = (pd.Series(np.nan_to_num(ymd[:, i]).astype("int64")).astype("str") for i in range(3))
    return (y.str.zfill(4) + "-" + m.str.zfill(2) + "-" + d.str.zfill(2)).to_numpy(dtype=object)


def parse_dates(text: pd.Series, *, year: pd.Series | None = None, dayfirst: bool | None = None,
                excel_epoch: str | None = None, only: tuple[str, ...] | None = None,
                example: str = "2021-07-05 (or 05 July 2021)") -> Dates:
    """Read a column of dates, one reading per shape for the whole file.

    Parameters
    ----------
    year : the file's ``year`` column (ACLED, UCDP): a reading whose year differs is not taken for that row.
    dayfirst : settles numeric dates (True: DD/MM, False: MM/DD) when the file itself cannot.
    excel_epoch : day zero of serial numbers ('1899-12-30', or '1904-01-01' for a Mac workbook).
    only : the readings allowed (e.g. ``("YYYYMMDD",)`` for GDELT); every known reading by default.
    """
    codes, uniques = _distinct(text)
    values = pd.Series(np.asarray(uniques, dtype=object), dtype=object)  # Python regexes: few distinct values
    n_rows, notes = len(text), []
    iso = np.full(len(values), None, dtype=object)
    why = np.full(len(values), None, dtype=object)  # reason per distinct value not read
    row_why: list[tuple[np.ndarray, np.ndarray]] = []  # (rows, reasons) whose date contradicts their year column
    year_row = to_float(year) if year is not None else np.full(n_rows, np.nan)
    taken = np.zeros(len(values), dtype=bool)
    for shape, (_, readings) in SHAPES.items():
        labels = [r for r in readings if only is None or r in only]
        if dayfirst is not None and shape == "numeric":
            labels = [r for r in labels if _FIXED.get(r, dayfirst) == dayfirst and r != "YY/MM/DD"]
        if not labels:
            continue
        match = values.str.fullmatch(_COMPILED[shape].pattern).fillna(False).to_numpy(dtype=bool) & ~taken
        if not match.any():
            continue
        taken |= match
        index = np.flatnonzero(match)
        parts = values[match].str.extract(_COMPILED[shape].pattern).rename(columns=str).reset_index(drop=True)
        rows_of = np.isin(codes, index)
        chosen, note = _choose(shape, labels, parts, index, codes, rows_of, year_row, excel_epoch, dayfirst,
                               str(values[index[0]]))
        if note:
            notes.append(note)
        if chosen is None:
            why[index] = [f"'{v}' is ambiguous: this file's dates can be read as {note.split('(')[1].split(')')[0]} "
                          f"equally well: say which with dayfirst=True/False (--dayfirst / --monthfirst)"
                          for v in values[index]]
            continue
        ymd = _ymd(parts, shape, chosen, excel_epoch)
        real, ok = _calendar(ymd)
        iso[index[ok]] = _iso(ymd[ok])
        shown = _display(chosen, str(values[index[0]]))
        sample = _display(chosen, _EXAMPLES[chosen]) if shape == "numeric" else _EXAMPLES[chosen]
        why[index[~real]] = [f"'{v}' is not a date in this file's format {shown} (e.g. {sample}): correct it"
                             for v in values[index[~real]]]
        out = real & ~ok
        why[index[out]] = [f"'{v}' is year {int(y)}, outside {MIN_YEAR}-{MAX_YEAR}: correct the date"
                           for v, y in zip(values[index[out]], ymd[out, 0])]
        if year is not None:
            _year_mismatch(ymd, index, codes, year_row, values, chosen, row_why)
    rest = (~taken) & values.notna().to_numpy()
    why[rest] = [f"'{str(v)[:40]}' is not a date in a known format: write it as {example}"
                 for v in values[rest]]
    return _assemble(codes, iso, why, row_why, notes)


def _distinct(text: pd.Series) -> tuple[np.ndarray, np.ndarray | pd.Index]:
    """Row codes (-1 where blank) and the distinct stripped texts, in the order the rows first hold them."""
    if not isinstance(text.dtype, pd.CategoricalDtype):
        stripped = text.astype("str").str.strip().where(text.notna())
        return pd.factorize(stripped.where(stripped != ""), use_na_sentinel=True)
    # a categorical: its categories are stripped (a few thousand dates), then the rows' codes renumbered
    stripped = pd.Series(text.cat.categories).astype("str").str.strip()
    per_category, distinct = pd.factorize(stripped.where(stripped != ""), use_na_sentinel=True)
    by_row = np.append(per_category, -1)[text.cat.codes.to_numpy()]
    codes = np.full(len(text), -1, dtype=np.intp)
    given = by_row >= 0
    codes[given], first = pd.factorize(by_row[given])
    return codes, distinct[first]


def _choose(shape: str, labels: list[str], parts: pd.DataFrame, index: np.ndarray, codes: np.ndarray,
            rows_of: np.ndarray, year_row: np.ndarray, epoch: str | None, dayfirst: bool | None, first: str
            ) -> tuple[str | None, str]:
    """The reading of one shape for the whole file (None when ambiguous), and a note saying how it was decided."""
    if len(labels) == 1:
        system = "the workbook's date system" if epoch else "Excel's usual 1900 date system"
        note = f"Excel serial dates read with day zero {epoch or '1899-12-30'} ({system})" if shape == "serial" else ""
        return labels[0], note
    position = np.full(codes.max(initial=-1) + 2, -1, dtype=np.int64)
    position[index] = np.arange(len(index))
    at = position[codes[rows_of]]
    has_year = ~np.isnan(year_row[rows_of])
    scores, parsed = {}, {}
    for label in labels:
        ymd = _ymd(parts, shape, label, epoch)
        _, ok = _calendar(ymd)
        fits = ok[at] & (~has_year | (ymd[at, 0] == year_row[rows_of]))
        scores[label], parsed[label] = int(fits.sum()), np.where(ok[:, None], ymd, np.nan)
    best = max(scores.values())
    ties = [label for label in labels if scores[label] == best]
    if best == 0:
        return ties[0], ""
    agree = all(np.array_equal(parsed[ties[0]], parsed[t], equal_nan=True) for t in ties[1:])
    if len(ties) > 1 and not agree:
        shown = " or ".join(_display(t, first) for t in ties)
        return None, f"dates like '{first}' are ambiguous in this file ({shown}): not read; pass dayfirst=True/False"
    how = "as asked" if dayfirst is not None else (
        "from the year column and the values" if has_year.any() else "from the file's values")
    return ties[0], f"dates like '{first}' read as {_display(ties[0], first)} (decided {how})"


def _display(label: str, value: str) -> str:
    """A reading as the file writes it: 'DD/MM/YYYY' for 31-12-19 is shown as 'DD-MM-YY'."""
    sep = re.search(r"[-/.]", value)
    out = label.replace("/", sep.group(0)) if sep else label
    two = re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}(?:\D.*)?", value)
    return out.replace("YYYY", "YY") if two else out


def _year_mismatch(ymd: np.ndarray, index: np.ndarray, codes: np.ndarray, year_row: np.ndarray,
                   values: pd.Series, label: str, row_why: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Rows whose date, read as ``label``, falls in another year than their year column says."""
    position = np.full(codes.max(initial=-1) + 2, -1, dtype=np.int64)
    position[index] = np.arange(len(index))
    at = position[codes]
    inside = at >= 0
    got = np.where(inside, ymd[np.maximum(at, 0), 0], np.nan)
    wrong = np.flatnonzero(inside & ~np.isnan(year_row) & ~np.isnan(got) & (got != year_row))
    if len(wrong):
        text = pd.Series(values.to_numpy()[codes[wrong]], dtype="str")
        reasons = ("'" + text + f"' read as {label} gives year " + pd.Series(got[wrong].astype(int)).astype("str")
                   + ", but the year column says " + pd.Series(year_row[wrong].astype(int)).astype("str")
                   + ": correct the date or the year")
        row_why.append((wrong, reasons.to_numpy(dtype=object)))


def _assemble(codes: np.ndarray, iso: np.ndarray, why: np.ndarray, row_why: list[tuple[np.ndarray, np.ndarray]],
              notes: list[str]) -> Dates:
    safe = np.maximum(codes, 0)
    read = pd.notna(iso)
    row_read = (codes >= 0) & (read[safe] if len(read) else False)
    row_reason = None
    for rows, reasons in row_why:
        if row_reason is None:
            row_reason = np.full(len(codes), None, dtype=object)
        row_read[rows], row_reason[rows] = False, reasons
    bad = (codes >= 0) & ~row_read
    reasons = why[safe[bad]] if len(why) else np.array([], dtype=object)
    if row_reason is not None:
        own = row_reason[bad]
        reasons = np.where(pd.isna(own), reasons, own)
    # each distinct date is written and parsed once, then spread to its rows by code (no Python string per row)
    at = pa.array(np.where(row_read, codes, 0), mask=~row_read)
    text = pa.array(iso, pa.large_string(), from_pandas=True)
    stamps = pd.to_datetime(pd.Series(iso, dtype="str"), format="%Y-%m-%d").to_numpy(dtype="datetime64[ms]")
    row_stamp = np.where(row_read, stamps[safe] if len(stamps) else np.datetime64("NaT"),
                         np.datetime64("NaT")).astype("datetime64[ms]")
    return Dates(pd.Series(pd.array(text.take(at), dtype="str")), bad, np.asarray(reasons, dtype=object), notes,
                 pd.Series(row_stamp))
