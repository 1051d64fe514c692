"""Candidates of a news report -> events in our schema, through the one validator (``geo.validate.check``)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

from geo.ingest.common import points
from geo.news.extract import Candidate, ExtractError
from geo.news.rules import ACLED_BY_OUTCOME, ACLED_BY_WEAPON, ACLED_DEFAULT
from geo.schema import SOURCE_KEYS, WEAPON_LABELS
from geo.validate import Checked, check

#: Publisher written when the report's is not given (the schema needs one per source).
UNNAMED = "news report (publisher not given)"


def read_report(path: str | os.PathLike[str]) -> str:
    """The text of a report file (UTF-8, else cp1252); ``ExtractError`` when it cannot be read."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{p}: cannot be read ({exc.strerror or exc}): give a plain-text report file") from None
    if b"\x00" in data[:4096]:
        raise ExtractError(f"{p}: looks binary, not text: save the report as plain text (.txt)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def to_events(candidates: Sequence[Candidate], *, published: date,
              source: Mapping[str, str | None] | None = None) -> Checked:
    """Events of the candidates (``Checked``: typed events, problems, bad rows).

    ``source`` holds the report's publisher, url and title (``date`` defaults to ``published``); it becomes the one
    entry of every event's ``sources``. ``confidence``, ``evidence``, ``count``, ``wounded`` and ``background`` are
    kept as extra columns. A candidate the schema cannot hold (a year-precision date) is refused by the validator
    with its reason, never dropped silently.
    """
    src = {k: (str(v) if v not in (None, "") else None) for k, v in dict(source or {}).items() if k in SOURCE_KEYS}
    src = {"publisher": src.get("publisher") or UNNAMED, "url": src.get("url"),
           "date": src.get("date") or published.isoformat(), "title": src.get("title")}
    sources = orjson.dumps([src]).decode()
    rows = [_row(c, sources) for c in candidates]
    raw = pd.DataFrame(rows, columns=list(_row(None, sources)))
    lon = np.array([np.nan if c.lon is None else c.lon for c in candidates], dtype="float64")
    lat = np.array([np.nan if c.lat is None else c.lat for c in candidates], dtype="float64")
    raw["fatalities"] = pd.array([c.fatalities for c in candidates], dtype="Int64")
    raw["count"] = pd.array([c.count for c in candidates], dtype="Int64")
    raw["wounded"] = pd.array([c.wounded for c in candidates], dtype="Int64")
    return check(raw, points(lon, lat))


def _row(c: Candidate | None, sources: str) -> dict:
    if c is None:
        c = Candidate("unknown", date(2000, 1, 1), "day", "")
    ident = hashlib.sha1(f"{c.weapon_type}|{c.date}|{c.location}|{c.evidence}".encode()).hexdigest()[:12]
    event_type, sub = ACLED_BY_OUTCOME.get(c.outcome) or ACLED_BY_WEAPON.get(c.weapon_type, ACLED_DEFAULT)
    what = f"{c.count} x " if c.count else ""
    return {
        "event_id": f"news-{ident}", "date": c.date.isoformat() if c.date else None,
        "date_end": c.date_end.isoformat() if c.date_end else None, "date_precision": c.date_precision,
        "weapon_type": c.weapon_type, "outcome": c.outcome, "actor": c.actor, "attribution": c.attribution,
        "target": c.target or None, "country": c.country or None, "admin1": c.admin1 or None,
        "location": c.location or None, "geo_precision": c.geo_precision, "precision_km": c.precision_km,
        "fatalities": c.fatalities,
        "description": f"Candidate from a news report: {what}{WEAPON_LABELS[c.weapon_type]} attack, outcome "
                       f"{c.outcome}{', at ' + c.location if c.location else ''}. Check before use.",
        "sources": sources, "event_type": event_type, "sub_event_type": sub,
        "confidence": c.confidence, "evidence": c.evidence, "count": c.count, "wounded": c.wounded,
        "background": bool(c.background),
    }
