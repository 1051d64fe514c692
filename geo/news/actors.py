"""Who attacked: the actor words next to an attack ("a Turkish drone", "fired by the group", "Hezbollah launched"),
claims ("IS claimed responsibility for two explosions") and blame ("Washington accused Iran of ..."), each kept to
the attack it is about. ``context_country`` names the country a sentence is about besides the attacker's.
"""

from __future__ import annotations

import re

from geo.news import rules as R
from geo.news.mentions import Mention
from geo.news.places import ArticlePlaces

#: The country an actor attacks from: never the place of its attack abroad (Yemen for Houthi missiles at Israel).
ACTOR_COUNTRY = {"Israel": "ISR", "Iran": "IRN", "Turkey": "TUR", "United States": "USA", "United Kingdom": "GBR",
                 "Russia": "RUS", "Syria": "SYR", "Jordan": "JOR", "Houthis": "YEM", "Hezbollah": "LBN",
                 "Hamas": "PSE", "Saudi-led coalition": "SAU"}


def context_country(s: str, actor: str | None, places: ArticlePlaces) -> str | None:
    """The country a sentence is about, besides the attacker's ("an Israeli strike in Chamaa in the south")."""
    own = ACTOR_COUNTRY.get(actor or "")
    counts: dict[str, int] = {}
    for iso in places.countries_in(s):
        if iso != own and places.allowed(iso):
            counts[iso] = counts.get(iso, 0) + 1
    return max(counts, key=lambda iso: counts[iso]) if counts else None




#: "Iran Attacked With Drones", "US Base Hit by Rockets": a headline's passive without its auxiliary.
_HEADLINE_PASSIVE = re.compile(r"(?:\s+[A-Z][\w-]*){0,2}\s+(?:attacked|hit|struck|targeted|bombed|shelled|pounded)\s+"
                               r"(?:with|by|in|again)\b", re.I)
#: "<actor> said its ...", "<actor>'s military said their ...", "the IDF confirmed that they were conducting
#: retaliatory strikes": the actor tells of its own arms or strikes.
_SAYS_ITS = re.compile(r"^(?:'s?\s+(?:military|army|armed\s+forces|air\s+force|forces|navy|Defen[cs]e\s+Forces))?\s+"
                       r"(?:[\w-]+\s+){0,2}?(?:said|says|announced|confirmed|stated|added)\s+(?:that\s+)?"
                       r"(?:(?:its|their)\s+(?:own\s+)?(?:[\w-]+\s+)?|(?:it|they)\s+(?:was|were|had|has|have|is|are)\s+"
                       r"(?:conducting|carrying\s+out|launching|conducted|carried\s+out|launched)\s+(?:an?\s+)?"
                       r"(?:[\w-]+\s+){0,2})$", re.I)


def _actors(s: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Actors named in s[start:end] (matched on the whole sentence: "IS" needs the "claimed" after it)."""
    return [(m.start(), m.end(), R.ACTOR_NAMES[int(m.lastgroup[1:])]) for m in R.ACTOR_RX.finditer(s)
            if start <= m.start() and m.end() <= end]


def sentence_actor(s: str) -> tuple[str, str] | None:
    """(attribution, actor) when the sentence says who claimed or who is blamed."""
    got = claim_of(s)
    if got is not None:
        return "claimed", got[0]
    blame = R.BLAME.search(s)
    if blame and re.search(r"\b(?:will|would|could|may|might|likely|probably)\s+(?:\w+\s+)?(?:be\s+)?$",
                           s[:blame.start()]):
        blame = None  # "will likely be blamed on Iran": a guess, not an attribution
    if blame:
        after = [a for a in _actors(s, blame.end(), len(s)) if a[2] != "United States"]
        before = _actors(s, 0, blame.start())
        pick = after[0] if after else (before[-1] if before and re.search(r"\b(?:was|were|been|is|are)\s+\w*\s*$",
                                                                           s[:blame.start()] + " ") else None)
        if pick:
            return "attributed", pick[2]
    return None


def claim_of(s: str) -> tuple[str, int, int] | None:
    """(actor, start, end) of a claim of responsibility in the sentence: who claimed, and where the claim is."""
    claim = R.CLAIM.search(s)
    if claim is None or R.NO_CLAIM.search(s):
        return None
    before, after = _actors(s, 0, claim.start()), _actors(s, claim.end(), len(s))
    pick = before[-1] if before else (after[0] if after else None)
    return (pick[2], claim.start(), claim.end()) if pick else None


def _claimed(m: Mention, single: bool, s: str, how: str) -> bool:
    """Whether the sentence's claim (or blame) is about this mention: its object ("claimed responsibility for two
    explosions", "accused Iran of carrying out attacks"), the attack claimed ("the attack, which the Houthis
    claimed"), or the sentence's only attack."""
    if how == "claimed":
        got = claim_of(s)
        if got is None:
            return False
        _, start, end = got
    else:
        blame = R.BLAME.search(s)
        if blame is None:
            return False
        # "accused Iran of carrying out attacks", "the attack was blamed on": next to the blame
        return 0 <= m.start - blame.end() <= 80 or 0 <= blame.start() - m.end <= 30 or single
    return 0 <= m.start - end <= 60 or 0 <= start - m.end <= 60 or single


def actor_of(m: Mention, s: str, claim: tuple[str, str] | None, single: bool,
             headline: bool = False) -> tuple[str | None, str]:
    """(actor, attribution) of a mention: "Turkish drone", "an attack by a Turkish drone", "Hezbollah launched ...",
    then the sentence's claim or blame when it is about this mention. A headline drops the passive's auxiliary:
    "Iran Attacked With Drones" is Iran attacked, not attacking."""
    doer = None
    for a_start, a_end, name in _actors(s, max(m.lo, m.start - 120), m.start):
        if headline and _HEADLINE_PASSIVE.match(s, a_end):
            continue
        gap = s[a_end:m.start]
        target_side = re.search(r"\b(?:on|against|at|targeting|toward|towards)\s+(?:the\s+)?$",
                                s[max(0, a_start - 14):a_start])
        adjective = len(gap.split()) <= 2 and not re.search(r"[,;]|\b(?:killed|wounded|and|that|who|which|shot|down|"
                                                            r"intercept\w*|downed|destroyed|said|says|say|told|\w+ed)\b",
                                                            gap)
        if not target_side and (adjective or R.DOER_VERB.match(s[a_end:m.end])):
            doer = name
    if doer is None:
        by = re.match(r"^[\w\s-]{0,30}?\bby\s+(?:the\s+|a\s+|an\s+)?", s[m.end:m.end + 60])
        if by and re.search(r"\b(?:owned|operated|managed|chartered|flagged|registered|insured|leased|crewed)\s+by\s+"
                            r"(?:the\s+|a\s+|an\s+)?$", by[0]):
            by = None  # "the tanker that had come under attack near Yanbu was owned by Israel": its owner, no attacker
        if by:
            hits = _actors(s, m.end + by.end(), min(len(s), m.end + by.end() + 40))
            if hits and hits[0][0] == m.end + by.end():
                doer = hits[0][2]
    if doer is None:
        for a_start, a_end, name in _actors(s, max(m.lo, m.start - 120), m.start):
            if _SAYS_ITS.match(s[a_end:m.start]):
                return name, "claimed"  # "Israel said its warplanes attacked targets": Israel's own warplanes
    if claim and claim[0] == "claimed" and _claimed(m, single, s, "claimed"):
        return claim[1], claim[0]
    if doer is not None:
        return doer, "claimed" if doer in R.STATES else "attributed"
    if claim and _claimed(m, single, s, claim[0]):
        return claim[1], claim[0]
    return None, "unknown"


__all__ = ["ACTOR_COUNTRY", "actor_of", "claim_of", "context_country", "sentence_actor"]
