"""The dashboard's own explanatory text (Markdown written by us, never event data)."""

from __future__ import annotations

ABOUT_TEXT = """
The Conflict Event Map shows records of attacks and strikes (drone, rocket, missile, airstrike, IED...) with
their date, place, weapon, actor, target, outcome, fatalities and sources. The bundled data are real events of
the confrontation between the United States and Iran-aligned militias in Iraq and Syria (December 2019 to
October 2021), each cited to public reporting, with coordinates cited too and an honest radius of uncertainty.

Who fired is often unclear: **attribution** says whether the actor *claimed* the attack, others *attributed* it
(for example a government blaming a militia), or it is *unknown*. **Fatalities** are the lowest figure
reported; a dash (—) in the tables means no figure was found. The columns line up with ACLED's (`event_type`,
`sub_event_type`, precision codes), so exports can sit beside ACLED data.
"""

CITATION_TEXT = """
#### How to cite

Cite the original reports (the *sources* of each event: publisher, title, date, URL; the Events page lists them
and every export carries them), and this tool as: *Conflict Event Map, seed data on US / Iran-aligned militia
attacks in Iraq and Syria, 2019-2021.* Coordinates cite their own source in `coord_source`. The basemap is
Natural Earth (public domain).
"""
