"""Exception tree of the Conflict Event Map.

Every error a user can cause is a ``GeoError`` whose message says what went wrong, where, and how to fix it.
The command line and the dashboard catch ``GeoError`` at their edge and show the message; anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


class GeoError(Exception):
    """Base class of the errors a user can cause (bad file, bad filter, bad value)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in one feature: which feature, which field, and why."""

    feature: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.feature}: {self.field}: {self.reason}"


class SchemaError(GeoError):
    """Events that do not follow the schema; ``problems`` lists every one of them."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{source}: {n} problem{'s' if n != 1 else ''} found"
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  ... and {n - 50} more" if n > 50 else ""
        super().__init__(f"{head}\n{shown}{more}" if n else head)


class ReadError(GeoError):
    """A file that cannot be read at all (missing, not JSON, wrong structure)."""


class FilterError(GeoError):
    """A filter value that makes no sense (unknown weapon type, bad date, bad bbox)."""


class ExportError(GeoError):
    """An export that cannot be written (unknown format, unwritable path)."""


class GeocodeError(GeoError):
    """A place description that cannot be geocoded at all (not text, far too long), or a gazetteer that is broken."""


class StoreError(GeoError):
    """A store that cannot be opened, read or written (bad URL, server down, no right to write, busy)."""


class StoreBusy(StoreError):
    """Another writer held the store for longer than the wait allowed; nothing was written."""
