"""When an import took nothing: one message that says why, and what the file needs.

A file whose rows were all rejected for one systematic reason (every date unreadable, every coordinate missing,
every row outside the types asked for) is refused as a whole: the command exits 1 and writes nothing, and the
dashboard shows the message instead of an empty preview.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.ingest.common import SCOPE, Ingested

#: What a file needs, by the field its rows were rejected on.
NEEDS: tuple[tuple[str, str], ...] = (
    (r"date|event_date|date_start|date_end|SQLDATE", "dates in one format in the date column (e.g. 2021-07-05 or "
                                                     "05 July 2021); for numeric dates such as 05/07/2021 say the "
                                                     "order with --dayfirst or --monthfirst"),
    (r"lat|lon|latitude|longitude|geometry|ActionGeo_L", "coordinates as decimal degrees in its latitude and "
                                                         "longitude columns (or place names the geocoder knows)"),
    (r"location", "a place name column, or coordinates"),
    (r"country", "a country column (name or ISO code), or coordinates inside a country"),
    (r"sources", "a source column naming the publisher of each report"),
    (r"row", "one record per line with as many fields as the header (check quotes and the delimiter)"),
    (SCOPE, "rows in scope: see the reason for the option that takes them"),
)


def _kind(reason: str) -> str:
    """A reason with the row's own values taken out, so that rows failing the same way group together."""
    return re.sub(r"'[^']*'|\b\d[\d,.]*\b", "…", reason)


def refusal(result: Ingested, name: str) -> str | None:
    """The message refusing an import that took no event (None when it took some, or lists deletions)."""
    if result.taken or result.deletions is not None and len(result.deletions):
        return None
    report = result.report
    if not len(report):
        return f"{name}: the file has no rows to import: it needs a header row and one row per event"
    rows = report["row"].nunique()
    kinds = pd.DataFrame({"field": report["field"], "kind": report["reason"].map(_kind), "row": report["row"],
                          "reason": report["reason"]})
    top = (kinds.groupby(["field", "kind"], sort=False).agg(rows=("row", "nunique"), first=("row", "min"),
                                                            example=("reason", "first")).reset_index())
    top["scope"] = top["field"] == SCOPE  # a real rejection says more about the file than rows out of scope
    top = top.sort_values(["scope", "rows"], ascending=[True, False], kind="stable").reset_index(drop=True)
    lead = top.iloc[0]
    share = "every row" if lead["rows"] == rows else f"{lead['rows']:,} of {rows:,} rows"
    needs = next((text for pattern, text in NEEDS if re.fullmatch(f"(?:{pattern})", str(lead["field"]))), None)
    parts = [f"{name}: no event could be imported ({rows:,} rows); {share} failed on {lead['field']}: "
             f"row {lead['first']}: {lead['example']}"]
    for other in top.iloc[1:3].itertuples():
        parts.append(f"{other.rows:,} rows on {other.field}: row {other.first}: {other.example}")
    if needs:
        parts.append(f"the file needs {needs}")
    return ". ".join(parts)
