"""Delimited text in (CSV, TSV, semicolons): encodings, the header, quoting errors and bounds, then pyarrow.

* Encodings: a UTF-8 BOM is dropped; UTF-16/UTF-32 (with a BOM, or UTF-16 told by its NUL bytes) is recoded to
  UTF-8; text that is not UTF-8 is read as cp1252, then latin-1, with a note. Binary data is refused.
* The header is the first record, quotes and line breaks inside it included (a quoted CR/LF in a header cell does
  not shift later row numbers). Empty names become ``column_N``; repeated names are numbered (``name.1``) and a
  reader refuses them where it needs the column.
* Quoting: a quote that is never closed would swallow the rest of the file into one field; it is found from the
  quote parity at each line break (numpy, no loop per row) and reported at the row where it starts. A record with
  the wrong number of fields is reported with the lines it spans.
* An HXL hashtag row under the header (``#date,#geo+lat``: HDX's files) is reported as out of scope, not taken.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo.ingest.common import SCOPE, IngestError, Table, report_frame
from geo.ingest.limits import LIMITS, Limits, check_columns, check_rows, check_size

_DELIMITERS = (",", ";", "\t", "|")
_HEAD = 1 << 20
_STRING = pd.StringDtype("pyarrow", na_value=np.nan)


def decode(data: bytes, name: str, notes: list[str]) -> bytes:
    """The file's bytes as UTF-8 or a single-byte encoding (BOMs dropped, UTF-16/32 recoded)."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _recode(data[len(bom):], codec, name, notes)
    head = data[:4096]
    if len(head) >= 4 and head.count(0) > len(head) // 4:  # UTF-16 without a BOM: every other byte is NUL
        odd_nul = head[1::2].count(0) > head[0::2].count(0)
        return _recode(data, "utf-16-le" if odd_nul else "utf-16-be", name, notes)
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data.find(b"\x00") >= 0:
        raise IngestError(f"{name}: holds binary data (NUL bytes), not text: export the table as CSV")
    return data


def _recode(data: bytes, codec: str, name: str, notes: list[str]) -> bytes:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise IngestError(f"{name}: looks like {codec.upper()} text but byte {exc.start:,} is not valid {codec}: "
                          f"save it again as UTF-8 CSV") from None
    notes.append(f"the file is {codec.upper().rsplit('-', 1)[0]}: read and recoded to UTF-8")
    return text.removeprefix("\ufeff").encode("utf-8")


def sniff_delimiter(head: bytes) -> str:
    """The delimiter giving the most fields in the header line (outside quotes): ',', ';', tab or '|'."""
    line = head.split(b"\n", 1)[0].decode("latin-1")
    line = re.sub(r'"[^"]*"', "", line)
    counts = {d: line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def record_ends(body: bytes) -> np.ndarray:
    """Offsets of the line feeds that end a record: those with an even number of quotes before them."""
    arr = np.frombuffer(body, dtype=np.uint8)
    feeds = np.flatnonzero(arr == 10)
    quotes = np.flatnonzero(arr == 34)
    return feeds[np.searchsorted(quotes, feeds) % 2 == 0]


def _text_encoding(sample: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(sample) - 3:  # a character cut at the sample's end
                return encoding
    return "latin-1"


def _header(data: bytes, delimiter: str, name: str) -> tuple[list[str], int, list[str]]:
    """The header's names, the offset where the records start, and notes about the names."""
    head = data[:_HEAD]
    ends = record_ends(head)
    end = int(ends[0]) + 1 if len(ends) else (len(data) if len(data) <= _HEAD else -1)
    if end < 0:
        raise IngestError(f"{name}: no line break in the first MB: not a delimited text file (or one huge quoted "
                          f"header cell)")
    text = head[:end].decode(_text_encoding(head[:end]), errors="replace")
    cells = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    if not any(c.strip() for c in cells):
        raise IngestError(f"{name}: the first line has no column names: the file needs its header row (Date, "
                          f"Latitude, Longitude...) on line 1")
    notes: list[str] = []
    names, seen, unnamed = [], {}, 0
    for i, cell in enumerate(cells):
        key = " ".join(cell.replace("\ufeff", "").split())  # line breaks inside a header cell become spaces
        if not key:
            key, unnamed = f"column_{i + 1}", unnamed + 1
        seen[key] = seen.get(key, 0) + 1
        names.append(key if seen[key] == 1 else f"{key}.{seen[key] - 1}")
    if unnamed:
        notes.append(f"{unnamed} column(s) without a name in the header: named column_N")
    doubled = [k for k, v in seen.items() if v > 1 and not k.startswith("column_")]
    if doubled:
        notes.append(f"column name(s) repeated in the header: {', '.join(doubled[:5])} (copies numbered name.1)")
    return names, end, notes


def _unclosed(data: bytes, pos: int) -> int | None:
    """Offset in ``data`` of the record (from ``pos`` on) holding a quote that is never closed, or None."""
    if _quotes(data, pos) % 2 == 0:
        return None
    ends = record_ends(memoryview(data)[pos:])
    return pos + int(ends[-1]) + 1 if len(ends) else pos


def _quotes(data: bytes, pos: int, step: int = 1 << 20) -> int:
    """How many quote characters ``data`` holds from ``pos`` on: numpy over slices of a MB (``bytes.count`` of one
    byte is a plain loop, ~4x slower on a big file; one comparison of the whole file would allocate its size)."""
    body = np.frombuffer(data, dtype=np.uint8)
    return sum(int(np.count_nonzero(body[i:i + step] == 34)) for i in range(pos, len(body), step))


def _line_of(body: bytes, offsets: np.ndarray) -> np.ndarray:
    """1-based line of each byte offset of ``body`` (line 1 is the body's first line)."""
    feeds = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == 10)
    return np.searchsorted(feeds, offsets) + 1


def read_delimited(data: bytes, name: str, *, delimiter: str | None = None, column_names: list[str] | None = None,
                   limits: Limits = LIMITS, arrow: bool = False, keep: Callable[[str], bool] | None = None,
                   coded: Callable[[str], bool] | None = None) -> Table:
    """Read a delimited file as text columns: "NA" stays text, bad rows reported with their row numbers.

    Parameters
    ----------
    column_names : names for a file without a header line (GDELT); the header is read from the file otherwise.
    arrow : keep the columns as an arrow table (``Table.arrow``) for readers that filter rows before pandas.
    keep : which header names to read (the others are skipped, not converted); all by default.
    coded : which header names to read dictionary-encoded (with ``arrow``): columns of few distinct values (types,
        places, codes) then hold one small integer per row, not a string, from the parse on; each column has one
        dictionary (unified across blocks).
    """
    notes: list[str] = []
    check_size(len(data), name, limits)
    data = decode(data, name, notes)
    if not data or data.isspace():  # (not data.strip(): that copies the whole file)
        raise IngestError(f"{name}: the file is empty: it needs a header row and one row per event")
    if b"\n" not in data[:_HEAD] and b"\r" in data[:_HEAD]:
        data = data.replace(b"\r", b"\n")  # old Mac line ends
        notes.append("line ends were carriage returns only (old Mac): read as line feeds")
    sniffed = delimiter is None
    delimiter = delimiter or sniff_delimiter(data[:65536])
    if sniffed and delimiter != ",":
        notes.append(f"delimiter detected: {delimiter!r}")
    if column_names is None:
        header, start, header_notes = _header(data, delimiter, name)
        notes += header_notes
        first_row = 2
    else:
        header, start, first_row = list(column_names), 0, 1
    check_columns(len(header), name, limits)
    header_lines = data.count(b"\n", 0, start)  # a quoted line break in a header cell makes it two lines
    include = [c for c in header if keep(c)] if keep is not None else None
    dictionary = {c for c in header if coded(c)} if coded is not None and arrow else set()
    # the records are read where they lie in ``data`` (memoryviews): a copy of the body costs 0.26 CPU s at 264 MB
    tables, rows, reports, encoding = _segments(data, start, header, delimiter, name, first_row, header_lines,
                                                include, dictionary)
    del data
    if encoding != "utf8":
        notes.append(f"the file is not UTF-8: read as {encoding}")
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    if dictionary:  # one dictionary per column (each parsed block has its own), the codes in one chunk
        table = _one_dictionary(table.unify_dictionaries())
    check_rows(len(rows), name, limits)
    table, rows = _hxl(table, rows, reports, notes)
    table, rows = _long_cells(table, rows, reports, limits)
    report = pd.concat(reports, ignore_index=True) if reports else report_frame([], "", "")
    if arrow:
        return Table(pd.DataFrame(columns=table.column_names), rows, report, notes, arrow=table, header=header)
    frame = table.to_pandas(types_mapper={pa.string(): _STRING, pa.large_string(): _STRING}.get)
    frame.columns = [str(c) for c in frame.columns]
    return Table(frame, rows, report, notes, header=header)


#: Bytes per block of the fast threaded read: 2 MB blocks stay in the CPU's caches and take half the CPU of 16 MB
#: ones (measured on a 1M-row ACLED export). A record longer than a block fails it, and the exact read follows.
_FAST_BLOCK = 1 << 21
#: Bytes per block of the exact read (quoted line breaks allowed): a record up to this long is read.
_EXACT_BLOCK = 1 << 24
#: After this many quotes that are never closed the rest of a file is read as it is: its quoting is broken throughout.
MAX_UNCLOSED = 100


def _segments(data: bytes, pos: int, header: list[str], delimiter: str, name: str, first_row: int, line_base: int,
              include: list[str] | None = None, dictionary: set[str] | frozenset = frozenset()
              ) -> tuple[list[pa.Table], np.ndarray, list[pd.DataFrame], str]:
    """Parse the records of ``data`` from offset ``pos``; a line holding a quote that is never closed is reported
    and reading goes on after it.

    Returns the tables read, the spreadsheet row of each of their records, the report frames and the encoding.
    """
    tables, row_parts, reports, encoding, row = [], [], [], "utf8", first_row
    for attempt in range(MAX_UNCLOSED + 1):
        cut = _unclosed(data, pos) if attempt < MAX_UNCLOSED else None
        part = memoryview(data)[pos:len(data) if cut is None else cut]
        table, bad, encoding = _parse(part, header, delimiter, name, include, dictionary)
        total = table.num_rows + len(bad)
        rows = np.arange(row, row + total, dtype="int64")
        if bad:
            skipped = np.array([b[0] for b in bad], dtype="int64") + row - 1
            rows = np.setdiff1d(rows, skipped)  # (sorts: only when there is something to remove)
            reports.append(_bad_rows(part, bad, skipped, line_base + 1))
        tables.append(table)
        row_parts.append(rows)
        row += total
        if cut is None:
            break
        line = line_base + data.count(b"\n", pos, cut) + 1
        stop = data.find(b"\n", cut)
        pos = len(data) if stop < 0 else stop + 1
        reason = (f"a quote opened in this row (line {line:,}) is never closed: the row was not read; close the quote "
                  f"(a quote inside a quoted field is written twice)")
        if attempt == MAX_UNCLOSED - 1 and _unclosed(data, pos) is not None:
            reason += f"; {MAX_UNCLOSED} rows like this: the rest of the file was read as it is"
        reports.append(report_frame([row], "row", reason))
        row, line_base = row + 1, line
    return tables, np.concatenate(row_parts), reports, encoding


def _parse(body: memoryview, header: list[str], delimiter: str, name: str, include: list[str] | None = None,
           dictionary: set[str] | frozenset = frozenset()) -> tuple[pa.Table, list[tuple[int, int, int]], str]:
    """pyarrow's reader, every column as text; (record number, fields, expected) of each malformed record; the
    encoding that read it (UTF-8, else cp1252, else latin-1)."""
    bad: list[tuple[int, int, int]] = []

    def on_bad(row: pacsv.InvalidRow) -> str:
        bad.append((row.number or 0, row.actual_columns, row.expected_columns))
        return "skip"

    coded = pa.dictionary(pa.int32(), pa.string())
    types = {c: coded if c in dictionary else pa.string() for c in header}

    def parse(threads: bool, encoding: str, newlines: bool) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(use_threads=threads, encoding=encoding, column_names=header,
                                           block_size=_EXACT_BLOCK if newlines else _FAST_BLOCK),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines,
                                              invalid_row_handler=on_bad),
            convert_options=pacsv.ConvertOptions(column_types=types, null_values=[""],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True,
                                                 include_columns=include))

    if _blank(body):
        return pa.table({c: pa.array([], types[c]) for c in include or header}), bad, "utf8"
    for encoding in ("utf8", "cp1252", "latin-1"):
        try:
            try:  # fast: blocks cut at any line feed; a quoted line break at a cut fails, and the exact read follows
                table = parse(True, encoding, False)
            except pa.ArrowInvalid as exc:
                if "UTF8" in str(exc) or "utf8" in str(exc).lower():
                    raise
                bad.append((0, 0, 0))
            if bad:  # record numbers of skipped rows are only known from a single-threaded read
                bad.clear()
                table = parse(False, encoding, True)
            return table, bad, encoding
        except pa.ArrowInvalid as exc:
            bad.clear()
            if "UTF8" in str(exc) or "utf8" in str(exc).lower():
                continue
            raise IngestError(f"{name}: cannot be read as delimited text ({str(exc).splitlines()[0]})") from None
        except UnicodeDecodeError:
            bad.clear()
            continue
    raise IngestError(f"{name}: cannot be decoded as text")  # (latin-1 decodes every byte: not reached)


def _one_dictionary(table: pa.Table) -> pa.Table:
    """Each dictionary column (dictionaries unified) as one chunk: its codes are copied, its strings are not."""
    for i, col in enumerate(table.columns):
        if pa.types.is_dictionary(col.type) and col.num_chunks != 1:
            chunk = col.combine_chunks() if col.num_chunks else pa.array([], col.type)
            table = table.set_column(i, table.field(i), pa.chunked_array([chunk], col.type))
    return table


def _blank(body: memoryview) -> bool:
    """Nothing but white space (copied to bytes only when its first 4 KB are blank)."""
    return not len(body) or (bytes(body[:4096]).isspace() and bytes(body).isspace())


def _bad_rows(body: bytes, bad: list[tuple[int, int, int]], rows: np.ndarray, first_line: int) -> pd.DataFrame:
    """One report line per malformed record, with the lines it spans when a quote made it run over several."""
    ends = record_ends(body)
    index = np.array([b[0] for b in bad], dtype="int64") - 1  # record index within the body
    bounds = np.concatenate([[-1], ends, [len(body)]])
    starts = bounds[np.clip(index, 0, len(bounds) - 2)] + 1
    stops = bounds[np.clip(index + 1, 0, len(bounds) - 1)]
    first = _line_of(body, starts) + first_line - 1
    last = _line_of(body, np.maximum(stops - 1, starts)) + first_line - 1
    reasons = []
    for (_, actual, expected), a, b in zip(bad, first, last):
        span = f" (lines {a:,}-{b:,}: a quote in it runs over line breaks)" if b > a else ""
        fix = ("check its quotes: a quote inside a quoted field is written twice" if b > a else
               "add the missing fields, or quote fields that contain the delimiter" if actual < expected else
               "quote fields that contain the delimiter, or remove the extra fields")
        reasons.append(f"has {actual} fields, the header has {expected}{span}: not read; {fix}")
    return report_frame(rows, "row", reasons)


def _hxl(table: pa.Table, rows: np.ndarray, reports: list, notes: list[str]) -> tuple[pa.Table, np.ndarray]:
    """Drop an HXL hashtag row (every filled cell starts with '#') right under the header."""
    if not table.num_rows or not table.num_columns:
        return table, rows
    first = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    filled = [v.strip() for v in first if v is not None and v.strip()]
    if not filled or not all(re.fullmatch(r"#[A-Za-z][\w+\-]*(?:\s*\+[\w\-]+)*", v) for v in filled):
        return table, rows
    reports.append(report_frame([int(rows[0])], SCOPE, "an HXL hashtag row (#date, #geo+lat...), not an event"))
    notes.append(f"row {int(rows[0])} is an HXL hashtag row: not an event, skipped")
    return table.slice(1), rows[1:]


def _long_cells(table: pa.Table, rows: np.ndarray, reports: list, limits: Limits) -> tuple[pa.Table, np.ndarray]:
    """Rows with a cell longer than ``limits.max_cell_chars`` are reported and left out."""
    too_long = np.zeros(table.num_rows, dtype=bool)
    for name in table.column_names:
        col = table.column(name)
        coded = pa.types.is_dictionary(col.type)
        if not coded and not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            continue
        longest = pc.max(pc.binary_length(col.chunk(0).dictionary if coded else col)).as_py() if (
            not coded or col.num_chunks) else None
        if longest is None or longest <= limits.max_cell_chars:  # bytes >= characters: most columns stop here
            continue
        if coded:  # (one chunk, see _one_dictionary): each distinct value measured once
            length = pc.utf8_length(col.chunk(0).dictionary).take(col.chunk(0).indices).to_numpy(zero_copy_only=False)
        else:
            length = pc.utf8_length(col).to_numpy(zero_copy_only=False)
        over = np.nan_to_num(length.astype("float64"), nan=0) > limits.max_cell_chars
        if over.any():
            lengths = length[over].astype("int64")
            reports.append(report_frame(rows[over], name, [f"{n:,} characters, more than the {limits.max_cell_chars:,} "
                                                           f"a cell may hold: not read; shorten it" for n in lengths]))
            too_long |= over
    if not too_long.any():
        return table, rows
    return table.filter(pa.array(~too_long)), rows[~too_long]
