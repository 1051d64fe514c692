"""When an attack happened: a frame's own date, the article's news date, or the date of the sentence before.

``news_date`` is the date of the article's own news (the first own date of its headline and lead); ``frame_date``
dates one frame: its own phrase ("on Monday", "a day after", "the same day" after the attack told just before),
else the statement's day when that lies before the news, else the news date (headline and lead) or the date of the
sentence before (later sentences).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from geo.news.dates import shift
from geo.news.frames import Frame


#: A report's news is at most this many days old: a lead's "on October 7" of a piece from January is background.
_NEWS_DAYS = 10


@dataclass(frozen=True)
class Dated:
    """A frame's date: day, last day of its span, precision, and how it was found."""

    day: date
    end: date
    precision: str
    how: str


def frame_date(f: Frame, news: Dated, anchor: date | None, context: date | Dated | None) -> Dated | None:
    """The frame's own date; else the news date for the headline and lead, the sentence before's for the rest.

    A later sentence dated only by its statement ("The CTD announced on Sept. 5 that a drone strike ...") takes the
    statement's day when it lies before the news: the attack cannot be later than its report.
    """
    w = f.when
    if w is not None and w.value is not None:
        return Dated(w.value, w.end_date or w.value, w.precision, "own")
    if w is not None and w.relative is not None:
        # "earlier in the day" after an attack dated only by its context: the day of the news it is told beside
        base = (anchor or news.day) if w.relative[0] == "anchor" else news.day
        if base is None:
            return None
        day = shift(base, w.relative[1])
        if day is None:
            return None
        if w.precision == "day":
            return Dated(day, day, "day", "own")
        half = 3 if w.precision == "week" else 15
        lo, hi = shift(day, -half), shift(day, half)
        return Dated(lo or day, min(hi or day, news.end), w.precision, "own") if lo else None
    if w is not None or f.prior:
        return None  # "years ago", "since Jan. 12", or a cause told without a date of its own
    report = f.report.value if f.report is not None else None
    if report is not None and report < news.day:
        return Dated(report, report, "day", "report")
    if f.sentence.headline or f.sentence.top or f.sentence.lead and context is None:
        return news
    if context is None:
        return news
    if isinstance(context, Dated):  # a sentence without an attack word dated it ("... in Beirut last week")
        return context
    return Dated(context, context, "day", "context")


def news_date(frames: list[Frame], published: date) -> Dated:
    """The date of the article's own news: the first own date of the headline and lead (a day, or "last week"),
    else the day of their statements ("a security source said on Sunday"), else the publication day."""
    lead = [f for f in frames if f.sentence.headline or f.sentence.lead]
    for f in lead:
        w = f.when
        if w is not None and w.value is not None and not f.prior and f.mention.general in ("", "tally") \
                and w.precision in ("day", "week") and (not f.mention.general or w.precision == "day") \
                and (published - w.value).days <= _NEWS_DAYS:
            return Dated(w.value, w.end_date or w.value, w.precision, "news")
    for f in lead:
        if f.report is not None and f.report.value is not None:
            return Dated(f.report.value, f.report.value, "day", "news")
    return Dated(published, published, "day", "news")


__all__ = ["Dated", "frame_date", "news_date"]
