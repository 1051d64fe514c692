"""What a check found: the problems as arrays (row, field, reason) and the typed result."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import Problem


@dataclass
class Checked:
    """Result of ``check``: typed events (all rows), the problems, and which rows have any."""

    events: gpd.GeoDataFrame
    found: Found
    bad: np.ndarray

    @property
    def problems(self) -> list[Problem]:
        """Every problem as a ``Problem`` (made on first use: a reader takes ``found``'s arrays instead)."""
        return self.found.problems()

    @property
    def valid(self) -> gpd.GeoDataFrame:
        """Only the rows without problems."""
        return self.events[~self.bad]


class Found:
    """The problems of a check as arrays (row, field, reason), in the order they were found."""

    def __init__(self, ids: pd.Series | None) -> None:
        self.ids = ids
        self.parts: list[tuple[np.ndarray, str, np.ndarray]] = []
        self._made: list[Problem] | None = None

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row index, field, reason) of every problem."""
        if not self.parts:
            return np.array([], dtype=np.intp), np.array([], dtype=object), np.array([], dtype=object)
        rows = np.concatenate([r for r, _, _ in self.parts])
        fields = np.concatenate([np.full(len(r), f, dtype=object) for r, f, _ in self.parts])
        reasons = np.concatenate([w for _, _, w in self.parts])
        return rows, fields, reasons

    def problems(self) -> list[Problem]:
        if self._made is None:
            rows, fields, reasons = self.arrays()
            ids = (self.ids.iloc[rows].to_numpy(dtype=object) if self.ids is not None
                   else np.full(len(rows), None, dtype=object))
            self._made = [Problem(_label(i, ident), f, r) for i, ident, f, r in zip(rows, ids, fields, reasons)]
        return self._made


def _label(i: int, ident: object) -> str:
    """'features[3] (id-of-event)': the index as in the file, plus the id when there is one."""
    return f"features[{i}] ({ident})" if isinstance(ident, str) and ident.strip() else f"features[{i}]"


class Collector:
    """Gathers bad-row masks per field; the problems are kept as arrays of the bad rows only."""

    def __init__(self, raw: pd.DataFrame) -> None:
        self.found = Found(raw["event_id"] if "event_id" in raw else None)
        self.bad = np.zeros(len(raw), dtype=bool)
        self.by_field: dict[str, np.ndarray] = {}

    def add(self, field: str, mask: np.ndarray | pd.Series, reason: str | pd.Series) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        self.by_field[field] = self.by_field.get(field, np.zeros_like(mask)) | mask
        rows = np.flatnonzero(mask)  # reasons are kept for bad rows only: a clean file costs nothing here
        reasons = (np.full(len(rows), reason, dtype=object) if isinstance(reason, str)
                   else np.asarray(reason, dtype=object)[rows])
        self.found.parts.append((rows, field, reasons))
