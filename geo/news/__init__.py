"""News reports -> candidate events for review: ``extract`` finds the attacks a report mentions (with ``rules``
and ``dates``), ``events`` turns accepted candidates into events, ``candidates`` serves the Import page's table."""

from __future__ import annotations

from geo.news.extract import Candidate, ExtractError, extract

__all__ = ["Candidate", "ExtractError", "extract"]
