"""Vectorised validation: raw columns in, typed events plus every problem (feature, field, reason) out.

Each check works on a whole column at once and yields a boolean mask of bad rows; only the bad rows are then
turned into ``Problem`` records, so a clean million-row file costs a few column operations.

- ``check`` (check.py) runs them all and types the columns;
- fields.py checks single fields (geometry, dates, vocabularies, numbers, countries, ACLED types, ids);
- sources.py checks the JSON columns (sources, coord_source);
- text.py reads text columns once per distinct value; found.py holds what was found.
"""

from geo.validate.check import check
from geo.validate.found import Checked, Found
from geo.validate.text import needs_work, text_column, to_float

__all__ = ["Checked", "Found", "check", "needs_work", "text_column", "to_float"]
