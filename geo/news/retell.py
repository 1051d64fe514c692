"""A news attack told again without a date or a place of its own is the same attack, not another one.

"The rebels responded by firing rockets and sending armed drones", "US forces said they were carrying new
airstrikes", a headline's "Iran Attacked With Drones": such a mention dates itself only by the article's news (or the
sentence before) and places itself nowhere, so a candidate made of it could only borrow the article's main place; when
the article tells an attack of that day with a place of its own, the mention is a retelling of it (or of the news in
general) and proposes nothing new. Its sentences stay with the attack it retells, as evidence.
"""

from __future__ import annotations

from datetime import date

from geo.news.merge import Group, actor_ok

#: Date sources that are borrowed, not the mention's own: the article's news date or the sentence before.
_BORROWED = frozenset({"news", "context"})


def _borrowed_only(g: Group, news: date) -> bool:
    """A group of the news day with neither its own date nor its own place (nor several sites)."""
    return g.place is None and g.how in _BORROWED and g.day is not None and g.day >= news \
        and not any(f.prior or f.sites for f in g.frames)


def _host(g: Group, groups: list[Group]) -> Group | None:
    """The placed attack of the same day (and a compatible actor) that the group most likely retells: the one told
    last before it, else the first one after it."""
    hosts = [h for h in groups if h is not g and h.place is not None and h.day is not None and g.day is not None
             and abs((h.day - g.day).days) <= 1 and actor_ok(h.actor, g.actor)]
    before = [h for h in hosts if h.frames[0].sentence.index <= g.frames[0].sentence.index]
    return before[-1] if before else hosts[0] if hosts else None


def fold_retellings(groups: list[Group], news: date) -> list[Group]:
    """The groups without retellings: each placeless, undated news group that a placed attack of its day hosts gives
    that attack its sentences (as evidence and a note) and proposes nothing itself."""
    out: list[Group] = []
    for g in groups:
        host = _host(g, groups) if _borrowed_only(g, news) else None
        if host is None:
            out.append(g)
            continue
        host.retold += [f.sentence.text for f in g.frames if f.sentence.text not in host.retold]
        host.notes.append("told again without a date or place of its own: " + g.frames[0].mention.text)
    return out


__all__ = ["fold_retellings"]
