"""Date phrases of news reports resolved against the publication date, with their precision.

"on Monday night" -> the most recent Monday on or before publication (day); "in June" -> month; "last week" ->
week (Monday to Sunday); "in 2020" and "last year" -> year; "Jan. 9" -> day (the year before publication when the
day would fall after it). Two kinds are resolved later, by the extractor: phrases relative to the event told just
before ("earlier in the day", "the next day": ``anchor``) and phrases relative to the article's own news ("a day
after", "a week after": ``news``). A date phrase right after "said" or "announced" dates the report, not the
attack (``report``). Explicit dates are read by the pattern itself (day, month and year are its groups), which
keeps the first extraction of a process fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from geo.news.rules import DATE_PATTERNS, MONTHS, NUMBER_WORDS, REPORT_AFTER, REPORT_VERB

#: Phrases whose day is the anchor event's, not the publication's.
RELATIVE_TO_ANCHOR = frozenset({"same_day", "day_before", "day_after"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATE_START = re.compile(r"^(?:(?:early|late|mid)[\s-]+)?(?:the\s+)?(?:" + "|".join(_WEEKDAYS) + "|" + "|".join(MONTHS) +
                         r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|\d{1,2}(?:st|nd|rd|th)?\s|"
                         r"(?:19|20)\d\d|yesterday|today|tonight|last|this|the\s+same|earlier|later|"
                         r"(?:the\s+)?(?:morning|evening|night|afternoon|hours|days|weeks|months))\b", re.I)
_DATE_WORDS = re.compile(r"\b(?:" + "|".join(_WEEKDAYS + MONTHS) + r")\b", re.I)
_UNIT_DAYS = {"hour": 0, "day": 1, "week": 7, "month": 30}


@dataclass(frozen=True)
class Found:
    """A date phrase: where it is, what kind, and the date it gives.

    ``value`` is None for a phrase with no usable date ("years ago") and for the kinds resolved later
    (``relative`` says how: ("anchor", days) or ("news", days)). ``report`` marks the date of a statement.
    """

    start: int
    end: int
    kind: str
    text: str
    value: date | None
    precision: str = "day"
    end_date: date | None = None
    relative: tuple[str, int] | None = None
    report: bool = False


def as_date(value: object) -> date | None:
    """A ``date`` from a date, datetime or 'YYYY-MM-DD' text; None when it is none of these."""
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, date):
        return value
    return None


def is_date_phrase(text: str) -> bool:
    """Whether a phrase after "on"/"in" is a date ("Monday night", "late June") rather than a place."""
    return bool(_DATE_START.match(text.strip()))


def strip_dates(text: str) -> str:
    """Text without weekday and month names, so that "Thursday" is never taken for Thursday Island."""
    return _DATE_WORDS.sub(" ", text)


def find_dates(s: str, published: date) -> list[Found]:
    """Every date phrase of a sentence, resolved; spans taken by an earlier pattern are not matched again."""
    taken = [False] * len(s)
    out: list[Found] = []
    for kind, rx in DATE_PATTERNS:
        for m in rx.finditer(s):
            if any(taken[m.start():m.end()]):
                continue
            found = _resolve(kind, m, published)
            if found is None:
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            report = bool(REPORT_VERB.search(s[max(0, m.start() - 60):m.start()])
                          or REPORT_AFTER.match(s, m.end()))
            out.append(replace(found, report=report) if report else found)
    out += _years_later(s, out, taken, published)
    return sorted(out, key=lambda f: f.start)


#: "one year later", "two years after", "the same year": a year counted from the year the sentence names before.
_YEARS_LATER = re.compile(r"\b(?:(?P<n>one|a|two|three|four|five|\d)\s+years?\s+(?:later|afterwards?)|"
                          r"(?:the|that)\s+same\s+year|later\s+that\s+year)\b", re.I)


def _years_later(s: str, found: list[Found], taken: list[bool], published: date) -> list[Found]:
    """Years told relative to a year phrase before them in the sentence ("was assassinated in 2020 and the Natanz
    nuclear facility was struck one year later"): that year plus the count, as a year."""
    out = []
    for m in _YEARS_LATER.finditer(s):
        if any(taken[m.start():m.end()]):
            continue
        base = [f for f in found if f.precision == "year" and f.value is not None and f.end <= m.start()]
        if not base:
            continue
        n = m["n"]
        year = base[-1].value.year + (int(n) if n and n.isdigit() else NUMBER_WORDS.get((n or "").lower(), 0))
        if year > published.year:
            continue
        out.append(Found(m.start(), m.end(), "year", m[0], date(year, 1, 1), "year",
                         min(date(year, 12, 31), published)))
    return out


def _found(m: re.Match[str], kind: str, value: date | None, precision: str = "day", end: date | None = None,
           relative: tuple[str, int] | None = None) -> Found:
    return Found(m.start(), m.end(), kind, m[0], value, precision, end, relative)


def _resolve(kind: str, m: re.Match[str], pub: date) -> Found | None:
    g = m.groupdict()
    if kind == "iso":
        value = _day(int(g["y"]), int(g["m"]), int(g["d"]))
        return _found(m, kind, value) if value else None
    if kind == "explicit":
        month = _month(g["m1"] or g["m2"] or "")
        day = int(g["d1"] or g["d2"])
        if month is None:
            return None
        year = int(g["y"]) if g.get("y") else pub.year
        value = _day(year, month, day)
        if value is not None and value > pub and not g.get("y"):
            value = _day(year - 1, month, day)
        return _found(m, kind, value) if value else None
    if kind == "month":
        name = g.get("m") or g.get("m_") or g.get("m__") or ""
        if name[:1].islower() and name.lower().startswith("may"):
            return None  # "may" the verb
        month = _month(name)
        if month is None:
            return None
        year = int(g["y"]) if g.get("y") else pub.year - (month > pub.month)
        start = date(year, month, 1)
        return _found(m, kind, start, "month", _month_end(start))
    if kind == "relative_news":
        n, unit = (g.get("n") or "").lower(), (g.get("unit") or "").lower().rstrip("s")
        if not unit:
            unit, n = (n.rstrip("s"), "several") if n in ("hours", "days", "weeks") else ("", n)
        if unit == "minute":
            unit = "hour"
        if unit not in _UNIT_DAYS:
            return None
        count = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 3 if n in ("few", "several") else 1)
        # "a day after <the attack>": the attack came a day before the news told around it
        days = _UNIT_DAYS[unit] * count * (1 if m[0].lower().endswith("before") else -1)
        precision = "day" if unit == "hour" or unit == "day" and count <= 2 and n not in ("few", "several") else \
            "week" if abs(days) <= 14 else "month"
        return Found(m.start(), m.end(), kind, m[0], None, precision, None, ("news", days))
    if kind in RELATIVE_TO_ANCHOR:
        return _found(m, kind, None, relative=("anchor", {"same_day": 0, "day_before": -1, "day_after": 1}[kind]))
    if kind == "weekday":
        wd = _WEEKDAYS.index(g["wd"].lower())
        back = (pub.weekday() - wd) % 7
        if m[0].lower().startswith(("last", "past")) and back == 0:
            back = 7
        return _found(m, kind, pub - timedelta(days=back))
    if kind == "yesterday":
        return _found(m, kind, pub - timedelta(days=1))
    if kind == "today":
        return _found(m, kind, pub)
    if kind == "days_ago":
        n = g["n"].lower()
        return _found(m, kind, pub - timedelta(days=int(n) if n.isdigit() else NUMBER_WORDS[n]))
    if kind == "weekend":  # "over the weekend": the last Saturday and Sunday up to the report's day
        saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
        return _found(m, kind, saturday, "week", min(saturday + timedelta(days=1), pub))
    if kind in ("last_week", "this_week"):
        monday = pub - timedelta(days=pub.weekday() + (7 if kind == "last_week" else 0))
        return _found(m, kind, monday, "week", min(monday + timedelta(days=6), pub))
    if kind in ("last_month", "this_month"):
        first = pub.replace(day=1)
        start = (first - timedelta(days=1)).replace(day=1) if kind == "last_month" else first
        return _found(m, kind, start, "month", min(_month_end(start), pub))
    if kind in ("year", "last_year"):
        year = int(g["y"]) if kind == "year" else pub.year - 1
        if year > pub.year:
            return None
        return _found(m, kind, date(year, 1, 1), "year", min(date(year, 12, 31), pub))
    if kind == "since":  # "since Jan. 12": the start of a span; its day is kept for "since Tuesday night's strike"
        inner = [f for f in find_dates(m[0][6:], pub) if f.value is not None]
        return _found(m, kind, inner[0].value if inner else None, inner[0].precision if inner else "day",
                      inner[0].end_date if inner else None)
    return _found(m, kind, None)  # "vague": found, so that no weapon near it takes its date


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(name: str) -> int | None:
    key = name.lower().rstrip(".")[:3]
    return next((i + 1 for i, m in enumerate(MONTHS) if m.startswith(key)), None) if key else None


def _month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def shift(day: date, days: int) -> date | None:
    """``day`` moved by ``days``; None outside the calendar (a report dated 0001-01-02 and "the day before")."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def week_of(day: date) -> tuple[date, date]:
    """The Monday-Sunday week around ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


__all__ = ["Found", "RELATIVE_TO_ANCHOR", "as_date", "find_dates", "is_date_phrase", "shift", "strip_dates",
           "week_of"]
