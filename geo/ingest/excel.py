"""XLSX workbooks in: the archive checked before it is unpacked, the first sheet read as text columns.

Date cells become ``YYYY-MM-DD HH:MM:SS`` text and numbers their shortest text, so the readers see what a CSV export
of the same sheet holds. Numbers that are dates in disguise (Excel serials such as 43831 in a General cell) are left
to ``geo.ingest.dates``, which learns the workbook's day zero (1900 or 1904 system) from ``Table.excel_epoch``.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

import numpy as np
import pandas as pd

from geo.ingest.common import IngestError, Table, report_frame
from geo.ingest.limits import LIMITS, Limits, check_archive, check_columns, check_rows, check_size


def _cell_text(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d 00:00:00")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, (int, float)):
        value = float(value) if isinstance(value, float) else value
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return str(value)
    text = str(value)
    return text if text.strip() else None


def read_excel(data: bytes, name: str, limits: Limits = LIMITS) -> Table:
    """Read the first sheet of an XLSX workbook as text columns, header in its first row."""
    import openpyxl  # lazily: only XLSX imports need it

    check_size(len(data), name, limits)
    check_archive(data, name, limits, kind="xlsx")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and data validation it does not read
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0] if book.worksheets else None
            if sheet is None:
                raise IngestError(f"{name}: the workbook has no sheet: put the events on its first sheet")
            values = sheet.iter_rows(values_only=True)
            header = next(values, None)
            records = [r for r in values]  # openpyxl yields one tuple per row: it cannot be read column-wise
            epoch = "1904-01-01" if getattr(book, "epoch", None) == dt.datetime(1904, 1, 1) else "1899-12-30"
            sheets = [ws.title for ws in book.worksheets]
            book.close()
    except IngestError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged workbook; the user needs to know it failed
        raise IngestError(f"{name}: cannot be read as an XLSX workbook ({type(exc).__name__}: {exc}): open and "
                          f"save it again in a spreadsheet, or export the sheet as CSV") from None
    if header is None or all(c is None for c in header):
        raise IngestError(f"{name}: the first sheet ({sheets[0]!r}) is empty: put a header row and one row per "
                          f"event on the first sheet")
    width = max([len(header), *(len(r) for r in records[:1000])])
    check_columns(width, name, limits)
    check_rows(len(records), name, limits)
    names = _names(header, width)
    pad = (None,) * width
    cells = list(zip(*((r + pad)[:width] for r in records))) if records else [()] * width
    # one Python call per cell, as openpyxl's own reading makes (cells keep their Python types: no numpy repr)
    out = pd.DataFrame({n: pd.array([_cell_text(v) for v in c], dtype="str") for n, c in zip(names, cells)},
                       index=pd.RangeIndex(len(records)))
    notes = [f"the workbook has {len(sheets)} sheets: the first ({sheets[0]!r}) was read"] if len(sheets) > 1 else []
    blank = out.isna().all(axis=1).to_numpy()  # Excel keeps formatted but empty rows: they are not records
    rows = np.arange(2, 2 + len(out), dtype="int64")
    if blank.any():
        out, rows = out[~blank].reset_index(drop=True), rows[~blank]
    return Table(out, rows, report_frame([], "", ""), notes, excel_epoch=epoch)


def _names(header: tuple, width: int) -> list[str]:
    names, seen = [], {}
    for i in range(width):
        cell = header[i] if i < len(header) else None
        key = " ".join(str(cell).split()) if cell is not None and str(cell).strip() else f"column_{i + 1}"
        seen[key] = seen.get(key, 0) + 1
        names.append(key if seen[key] == 1 else f"{key}.{seen[key] - 1}")
    return names


def header_row(data: bytes, name: str, limits: Limits = LIMITS) -> list[str]:
    """The names in the first row of the first sheet, read without loading the rest of the workbook."""
    import openpyxl

    check_archive(data, name, limits, kind="xlsx")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            first = next(book.worksheets[0].iter_rows(values_only=True, max_row=1), ()) if book.worksheets else ()
            book.close()
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise IngestError(f"{name}: cannot be read as an XLSX workbook ({type(exc).__name__}: {exc}): open and "
                          f"save it again in a spreadsheet, or export the sheet as CSV") from None
    return [str(c).strip() for c in first if c is not None]
