"""Killed and wounded counts of a clause, as reports give them: words, digits, ranges and sums.

    casualties("killing 18 members of the SDF, 12 soldiers and one journalist")  # killed 31
    casualties("A senior official and three fighters were killed")                # killed 4
    casualties("four Syrians killed and five Lebanese wounded")                    # killed 4, wounded 5
    casualties("No one was injured or killed")                                     # killed 0, wounded 0

A ``Count`` says how firm the figure is: ``exact`` (a number), ``single`` (one person named: "a commander was
killed", often one of a larger toll), ``vague`` ("several", "dozens": ACLED's conventions) or ``zero`` ("no
casualties"). ``combine`` keeps the lowest firm figure of several statements about one attack, as ACLED does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.news.rules import FATAL_ZERO, NUMBER_WORDS, VAGUE_NUMBERS, WOUND_ZERO

_RANK = {"exact": 3, "zero": 3, "vague": 1, "single": 2, "added": 0}
_MORE = frozenset({"another", "additional", "further"})
_TOKEN = re.compile(r"\d+(?:,\d{3})*|[A-Za-z][\w'-]*|[,;:.()\"“”—–]")
_QUALIFIERS = frozenset({"at", "least", "some", "about", "nearly", "around", "approximately", "roughly", "over",
                         "more", "than", "up", "to", "almost", "estimated", "an", "a"})
_NOUN_STOP = frozenset({"and", "were", "was", "are", "is", "have", "has", "had", "been", "be", "in", "on", "at",
                        "when", "after", "as", "while", "including", "among", "by", "with", "who", "which", "that",
                        "killed", "wounded", "injured", "dead", "died", "martyred", "hurt", "said", "according",
                        "from", "during", "near", "into", "but", "the", "its", "their", "or"})
_KILL_AFTER = re.compile(r"\b(?:killing|killed|kills|kill|claim(?:ed|ing)\s+the\s+lives\s+of|the\s+dead\s+(?:were|"
                         r"included)|leaving|left|deaths?\s+of|martyrdom\s+of)\s+", re.I)
_KILL_BEFORE = re.compile(r"\s+(?:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|reportedly|confirmed|"
                          r"also|all)\s+)*(?:killed|dead|died|martyred|slain|deaths|fatalities|bodies)\b", re.I)
_WOUND_AFTER = re.compile(r"\b(?:wounding|wounded|injuring|injured|leaving)\s+", re.I)
_WOUND_BEFORE = re.compile(r"\s+(?:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|reportedly|also|"
                           r"(?:killed|dead)\s+and)\s+)*(?:wounded|injured|hurt)\b", re.I)
_LEFT_DEAD = re.compile(r"\b(?:leaving|left)\s+[^.;]{1,40}?\b(?:dead|killed)\b", re.I)


@dataclass(frozen=True)
class Count:
    """A casualty figure, how firm it is (``exact``, ``single``, ``vague`` or ``zero``) and where it was said.

    ``at`` is the position of the verb ("killing", "were killed") in the text read; ``after`` is True when the
    attack it belongs to is told after it ("three people were killed in a drone attack").
    """

    value: int
    kind: str
    at: int = -1
    after: bool = False


def _number(tokens: list[str], i: int) -> tuple[int, int, bool] | None:
    """(value, next index, vague) for a number at tokens[i] ("five to seven" -> 5, "a dozen" -> 12)."""
    low = tokens[i].lower()
    nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
    if low in ("a", "an") and nxt == "dozen":
        return 12, i + 2, False
    if nxt in ("unspecified", "unknown", "undisclosed", "undetermined", "number", "few"):
        return None  # "an unspecified number of civilians": no figure
    if re.fullmatch(r"\d+(?:,\d{3})*", low):
        value = int(low.replace(",", ""))
        if 1900 <= value <= 2100:
            return None  # a year
    elif low in NUMBER_WORDS:
        value = NUMBER_WORDS[low]
    else:
        return None
    j = i + 1
    if j + 1 < len(tokens) and tokens[j].lower() in ("to", "or") and _number(tokens, j + 1):
        j = _number(tokens, j + 1)[1]  # a range: the lowest figure
    return value, j, low in VAGUE_NUMBERS


def _noun(token: str) -> bool:
    return token not in ",;:.()\"“”—–" and token.lower() not in _NOUN_STOP and not token[0].isdigit()


def _element(tokens: list[str], i: int, end: int) -> tuple[int, int, str] | None:
    """One number-led part of a list ("at least 18 members of the SDF"): (value, next index, kind)."""
    additional = False
    while i < end and (tokens[i].lower() in _QUALIFIERS - {"a", "an"} or tokens[i].lower() in _MORE
                       and i + 1 < end and _number(tokens, i + 1)):
        additional = additional or tokens[i].lower() in _MORE
        i += 1
    if i >= end:
        return None
    got = _number(tokens, i)
    if got is None:
        return None
    value, j, vague = got
    single = tokens[i].lower() in ("a", "an", "another", "one") and value == 1
    nouns = 0
    while j < end and _noun(tokens[j]) and nouns < 9:
        j, nouns = j + 1, nouns + 1
    if tokens[i].lower() in ("a", "an") and nouns == 0:
        return None
    while j < end and tokens[j].lower() in ("of", "the", "from") and j + 1 < end:  # "members of the Kurdish-led SDF"
        j += 1
        while j < end and _noun(tokens[j]) and nouns < 12:
            j, nouns = j + 1, nouns + 1
    if any(t.lower() in ("additional", "further", "more") for t in tokens[i + 1:j]):
        additional = True  # "two additional fighters killed": on top of the toll told before
    return value, j, "added" if additional else "vague" if vague else "single" if single else "exact"


def _list(tokens: list[str], i: int, end: int) -> tuple[Count, int] | None:
    """A sum of number-led parts joined by commas and "and": (count, index after the list)."""
    total, kinds, j = 0, [], i
    while True:
        got = _element(tokens, j, end)
        if got is None:
            break
        value, j, kind = got
        total += value
        kinds.append(kind)
        k = j
        while k < end and tokens[k] in (",",) or k < end and tokens[k].lower() == "and":
            k += 1
        if k == j or k >= end:
            break
        j_before = j
        j = k
        if _element(tokens, j, end) is None:
            j = j_before
            break
    if not kinds:
        return None
    kind = "added" if "added" in kinds else "exact" if "exact" in kinds or len(kinds) > 1 else kinds[0]
    return Count(total, kind), j


def _forward(text: str, trigger: re.Pattern[str]) -> list[Count]:
    out = []
    for m in trigger.finditer(text):
        if m[0].lower().startswith(("leaving", "left")) and not _LEFT_DEAD.match(text, m.start()):
            continue
        tokens = _TOKEN.findall(text[m.end():m.end() + 200])
        got = _list(tokens, 0, len(tokens))
        if got is not None:
            out.append(Count(got[0].value, got[0].kind, m.start(), False))
    return out


def _backward(text: str, trigger: re.Pattern[str]) -> list[Count]:
    out = []
    for m in trigger.finditer(text):
        tokens = _TOKEN.findall(text[max(0, m.start() - 200):m.start()])
        end = len(tokens)
        best = None
        for p in range(end - 1, max(-1, end - 30), -1):
            if tokens[p] in ".;:()\"“”" or tokens[p].lower() in ("when", "after", "that", "including", "among"):
                break
            got = _list(tokens, p, end)
            if got is not None and got[1] == end:
                best = got[0]
        if best is not None:
            out.append(Count(best.value, best.kind, m.start(), True))
    return out


def casualties(clause: str) -> tuple[list[Count], list[Count]]:
    """Every killed and every wounded figure a clause states."""
    clause = clause.replace("U.S.", "US").replace("U.K.", "UK").replace("U.N.", "UN")
    killed = _forward(clause, _KILL_AFTER) + _backward(clause, _KILL_BEFORE)
    wounded = _forward(clause, _WOUND_AFTER) + _backward(clause, _WOUND_BEFORE)
    if z := FATAL_ZERO.search(clause):
        killed.append(Count(0, "zero", z.start(), False))
    if z := WOUND_ZERO.search(clause):
        wounded.append(Count(0, "zero", z.start(), False))
    return killed, wounded


def combine(counts: list[Count]) -> int | None:
    """The lowest of the firmest figures given for one attack (None when none is given), plus the figures told as
    additional ("four soldiers were killed ... two additional fighters killed in the strikes": 6)."""
    added = sum({c.value for c in counts if c.kind == "added"})  # "the two additional fatalities": told again
    counts = [c for c in counts if c.kind != "added"]
    if not counts:
        return added or None
    return _lowest(counts) + added


def _lowest(counts: list[Count]) -> int:
    best = max(_RANK[c.kind] for c in counts)
    firm = [c.value for c in counts if _RANK[c.kind] == best]
    if best == 3 and any(c.kind == "exact" for c in counts) and any(c.kind == "zero" for c in counts):
        firm = [c.value for c in counts if c.kind == "exact"]  # "no casualties" among soldiers, 2 civilians killed
    return min(firm)


__all__ = ["Count", "casualties", "combine"]
