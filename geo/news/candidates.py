"""News report -> a table of candidate events a person accepts, edits or rejects -> an import to merge.

The Import page shows ``candidate_table`` in an editor and hands the edited table back to ``accepted_import``,
which turns the accepted rows into events through the extractor's own ``to_events`` (the one validator).

    table = candidate_table(text, published=date(2021, 7, 6))
    result = accepted_import(table, published=date(2021, 7, 6), source={"publisher": "AFP", "url": "https://..."})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date

import pandas as pd

from geo.ingest.common import Ingested, report_frame
from geo.news.extract import Candidate, extract
from geo.news.events import to_events
from geo.schema import DATE_PRECISIONS

#: Editable columns, in the editor's order; ``accept`` is the person's choice, ``evidence`` the sentences it rests on,
#: ``notes`` why it has its date, place and confidence.
COLUMNS = ("accept", "date", "date_precision", "weapon_type", "count", "outcome", "actor", "attribution", "target",
           "location", "admin1", "country", "lon", "lat", "precision_km", "geo_precision", "fatalities", "wounded",
           "background", "confidence", "notes", "evidence")
_OPTIONAL_NUMBERS = ("count", "lon", "lat", "precision_km", "geo_precision", "fatalities", "wounded")
#: Columns shown for the person's judgement, not read back into the event.
_SHOWN_ONLY = frozenset({"notes"})


def candidate_table(text: str, *, published: date) -> pd.DataFrame:
    """One row per candidate event of a news report.

    Candidates are accepted until the person says otherwise, except those the schema cannot hold as they are (a
    year-precision date: "killed in a US drone strike in 2020"), which wait, unticked, for a finer date.
    """
    found = extract(text, published=published)
    rows = [{k: "; ".join(c.notes) if k == "notes" else getattr(c, k) for k in COLUMNS if k != "accept"}
            for c in found]
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "accept"])
    table.insert(0, "accept", [c.date_precision in DATE_PRECISIONS for c in found])
    table["date"] = pd.to_datetime(table["date"])
    table.index = pd.RangeIndex(1, len(table) + 1)  # candidates numbered from 1 in the editor and the row report
    return table.astype({c: "Float64" for c in _OPTIONAL_NUMBERS})


def accepted_import(table: pd.DataFrame, *, published: date,
                    source: Mapping[str, str | None] | None = None) -> Ingested:
    """The accepted (and edited) candidates as an import; rows the validator refuses go to the row report.

    Report rows are the table's index (``candidate_table`` numbers the candidates from 1, as the editor shows them).
    """
    chosen = table[table["accept"].fillna(False).astype(bool)]
    known = {f.name for f in fields(Candidate)} - _SHOWN_ONLY
    candidates = [_candidate({k: v for k, v in row.items() if k in known}) for row in chosen.to_dict("records")]
    checked = to_events(candidates, published=published, source=source)
    rows = chosen.index.to_numpy()
    index = [int(p.feature[9:].split("]", 1)[0]) for p in checked.problems]  # "features[3] (id)" -> 3
    report = report_frame(rows[index], [p.field for p in checked.problems], [p.reason for p in checked.problems])
    return Ingested(checked.valid.reset_index(drop=True), report.sort_values("row", kind="stable"), fmt="news",
                    notes=[f"{len(candidates)} of {len(table)} candidates accepted"])


def _candidate(values: dict) -> Candidate:
    """A Candidate from one edited row (blank cells -> None; the date cell may be a Timestamp or text)."""
    clean = {k: (None if pd.isna(v) else v) for k, v in values.items()}
    day = pd.Timestamp(clean["date"]).date() if clean.get("date") is not None else None
    for k in ("count", "geo_precision", "fatalities", "wounded"):
        if clean.get(k) is not None:
            clean[k] = int(clean[k])
    for k in ("lon", "lat", "precision_km", "confidence"):
        if clean.get(k) is not None:
            clean[k] = float(clean[k])
    text = {k: clean.get(k) or default for k, default in (("outcome", "unknown"), ("actor", "Unidentified"),
                                                          ("attribution", "unknown"), ("target", ""),
                                                          ("location", ""), ("country", ""), ("admin1", ""))}
    clean["background"] = bool(clean.get("background") or False)
    return Candidate(**{**clean, **text, "date": day, "evidence": clean.get("evidence") or ""})
