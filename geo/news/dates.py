"""Date phrases of news reports resolved against the publication date, with their precision.

"on Monday night" -> the most recent Monday on or before publication (day); "earlier in the day" -> the anchor
event's day; "in June" -> month; "last week" -> week (Monday to Sunday); explicit dates through ``dateparser``
(offline: its English data ships with the package). "last year" or "in 2019" are found but give no date: the
schema holds day, week and month precision only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from geo.news.rules import DATE_PATTERNS, MONTHS, NUMBER_WORDS

#: Phrases whose day is the anchor event's, not the publication's.
RELATIVE_TO_ANCHOR = frozenset({"same_day", "day_before", "day_after"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATE_START = re.compile(r"^(?:(?:early|late|mid)[\s-]+)?(?:the\s+)?(?:" + "|".join(_WEEKDAYS) + "|" + "|".join(MONTHS) +
                         r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|\d{1,2}(?:st|nd|rd|th)?\s|"
                         r"(?:19|20)\d\d|yesterday|today|tonight|last|this|the\s+same|earlier|later)\b", re.I)


@dataclass(frozen=True)
class Found:
    """A date phrase: where it is, what kind, and the date it gives (None: a phrase with no usable date)."""

    start: int
    end: int
    kind: str
    text: str
    value: date | None
    precision: str = "day"
    end_date: date | None = None


def as_date(value: object) -> date | None:
    """A ``date`` from a date, datetime or 'YYYY-MM-DD' text; None when it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_date_phrase(text: str) -> bool:
    """Whether a phrase after "on"/"in" is a date ("Monday night", "late June") rather than a place."""
    return bool(_DATE_START.match(text.strip()))


_DATE_WORDS = re.compile(r"\b(?:" + "|".join(_WEEKDAYS + MONTHS) + r")\b", re.I)


def strip_dates(text: str) -> str:
    """Text without weekday and month names, so that "Thursday" is never taken for Thursday Island."""
    return _DATE_WORDS.sub(" ", text)


def find_dates(s: str, published: date, anchor: date | None) -> list[Found]:
    """Every date phrase of a sentence, resolved; spans taken by an earlier pattern are not matched again."""
    taken = [False] * len(s)
    out: list[Found] = []
    for kind, rx in DATE_PATTERNS:
        for m in rx.finditer(s):
            if any(taken[m.start():m.end()]):
                continue
            value = _resolve(kind, m, published, anchor, out)
            if value is _SKIP:
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            day, precision, end = value if value is not None else (None, "day", None)
            out.append(Found(m.start(), m.end(), kind, m[0], day, precision, end))
    return sorted(out, key=lambda f: f.start)


_SKIP = object()


def _resolve(kind: str, m: re.Match[str], pub: date, anchor: date | None, earlier: list[Found]):
    if kind == "iso":
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"])), "day", None
        except ValueError:
            return _SKIP
    if kind == "explicit":
        day = _parse(f"{m['d1'] or m['d2']} {m['m1'] or m['m2']} {m['y'] or ''}".strip(), pub)
        return (day, "day", None) if day else _SKIP
    if kind == "month":
        name = (m["m"] if "m" in m.re.groupindex and m["m"] else m.groupdict().get("m_")) or ""
        if name[:1].islower() and name.lower().startswith("may"):
            return _SKIP  # "may" the verb
        month = _month(name)
        if month is None:
            return _SKIP
        year = int(m["y"]) if m.groupdict().get("y") else pub.year - (month > pub.month)
        start = date(year, month, 1)
        return start, "month", _month_end(start)
    if kind in RELATIVE_TO_ANCHOR:
        base = next((f.value for f in earlier if f.value and f.precision == "day" and f.kind not in RELATIVE_TO_ANCHOR),
                    anchor)
        if base is None:
            return _SKIP
        return base + timedelta(days={"same_day": 0, "day_before": -1, "day_after": 1}[kind]), "day", None
    if kind == "weekday":
        wd = _WEEKDAYS.index(m["wd"].lower())
        back = (pub.weekday() - wd) % 7
        if m[0].lower().startswith("last") and back == 0:
            back = 7
        return pub - timedelta(days=back), "day", None
    if kind == "yesterday":
        return pub - timedelta(days=1), "day", None
    if kind == "today":
        return pub, "day", None
    if kind == "days_ago":
        n = m["n"].lower()
        return pub - timedelta(days=int(n) if n.isdigit() else NUMBER_WORDS[n]), "day", None
    if kind in ("last_week", "this_week"):
        monday = pub - timedelta(days=pub.weekday() + (7 if kind == "last_week" else 0))
        return monday, "week", min(monday + timedelta(days=6), pub)
    if kind in ("last_month", "this_month"):
        first = pub.replace(day=1)
        start = (first - timedelta(days=1)).replace(day=1) if kind == "last_month" else first
        return start, "month", min(_month_end(start), pub)
    return None  # "vague": found, so that the weapon near it is known to be background, but no date


@lru_cache(maxsize=4096)
def _parse(text: str, pub: date) -> date | None:
    import dateparser  # imported lazily: ~0.3 s, only when a report has an explicit date

    settings = {"RELATIVE_BASE": datetime(pub.year, pub.month, pub.day), "PREFER_DATES_FROM": "past",
                "REQUIRE_PARTS": ["day", "month"], "DATE_ORDER": "DMY"}
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    day = parsed.date()
    if day > pub and not re.search(r"\d{4}", text):
        day = day.replace(year=day.year - 1)
    return day


def _month(name: str) -> int | None:
    key = name.lower().rstrip(".")[:3]
    return next((i + 1 for i, m in enumerate(MONTHS) if m.startswith(key)), None) if key else None


def _month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def nearest(found: list[Found], start: int, end: int) -> Found | None:
    """The date phrase closest to a weapon mention (characters between them; a tie goes to the one after)."""
    best = None
    for f in found:
        gap = start - f.end if f.end <= start else f.start - end if f.start >= end else 0
        key = (gap, f.start < start)
        if best is None or key < best[0]:
            best = (key, f)
    return best[1] if best else None
