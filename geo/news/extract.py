"""News reports -> candidate events, offline, by rules (``geo.news.rules``) plus ``dateparser``.

    candidates = extract(text, published=date(2021, 7, 6))     # one Candidate per attack the report mentions
    checked = to_events(candidates, source={"publisher": "AFP", "url": "https://...", "title": "..."})

Each candidate carries the weapon and count, the date resolved against the publication date with its precision,
the place through ``geo.geocode``, actor and attribution, outcome, target, fatalities, the evidence sentence and a
confidence (0-1). Background events (an attack years ago) are proposed only when the text gives their own date.
Bad input never raises: empty text or a report without an attack gives an empty list; text beyond ``MAX_CHARS`` is
ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from geo.errors import GeoError
from geo.geocode.geocoder import Match, geocode
from geo.geocode.rank import DEFAULT_AOI
from geo.geocode.gazetteer import haversine_km
from geo.news import dates as nd
from geo.news import rules as R

MAX_CHARS = 1 << 20
MAX_SENTENCE = 2000
MAX_CANDIDATES = 500
_AREA_KINDS = frozenset({"country", "admin1", "region"})


class ExtractError(GeoError):
    """A news report that cannot be read at all (not text, unreadable file, a publication date that is no date)."""


@dataclass
class Candidate:
    """One attack a report mentions, proposed as an event for a person to accept, edit or reject."""

    weapon_type: str
    date: date
    date_precision: str
    evidence: str
    count: int | None = None
    date_end: date | None = None
    outcome: str = "unknown"
    actor: str = "Unidentified"
    attribution: str = "unknown"
    target: str = ""
    location: str = ""
    lon: float | None = None
    lat: float | None = None
    precision_km: float | None = None
    geo_precision: int | None = None
    country: str = ""
    admin1: str = ""
    fatalities: int | None = None
    confidence: float = 0.5
    background: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dict (dates as ISO text)."""
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d["date_end"] = self.date_end.isoformat() if self.date_end else None
        return d


@dataclass
class _State:
    published: date
    aoi: tuple[str, ...]
    anchor: date | None = None
    places: dict[str, Match | None] = field(default_factory=dict)
    last: Match | None = None


def extract(text: object, *, published: date | datetime | str, aoi: Sequence[str] = DEFAULT_AOI) -> list[Candidate]:
    """Candidate events of one news report, in the order the report mentions them.

    Parameters
    ----------
    text : the report (plain text). Not text, empty, or no attack mentioned -> [].
    published : the publication date, against which "on Monday", "yesterday", "last week" are resolved.
    aoi : ISO3 codes whose places win ties in the geocoder.
    """
    pub = nd.as_date(published)
    if pub is None:
        raise ExtractError(f"publication date {published!r} is not a date: give it as YYYY-MM-DD")
    if not isinstance(text, str) or not text.strip():
        return []
    state = _State(pub, tuple(aoi))
    found: list[Candidate] = []
    pending: list[tuple[str, str]] = []  # (attribution, actor) from sentences that name no weapon
    for sentence in split_sentences(text[:MAX_CHARS]):
        new, blame = _sentence(sentence, state, found)
        found.extend(new)
        if blame and not new and not R.BACKGROUND.search(sentence):
            pending.append(blame)
        if len(found) >= MAX_CANDIDATES:
            break
    for attribution, actor in pending:  # "US officials blamed Iran-backed militias" after the attacks it is about
        for c in found:
            if c.actor == "Unidentified" and not c.background:
                c.actor, c.attribution = actor, attribution
                c.notes.append(f"actor from a later sentence ({attribution})")
    return found


_ABBREV = re.compile(r"\b(U\.S\.|U\.K\.|U\.N\.|Col|Gen|Lt|Maj|Sgt|Capt|Cmdr|Adm|Dr|Mr|Mrs|Ms|No|St|Jan|Feb|Mar|Apr|Jun|"
                     r"Jul|Aug|Sept?|Oct|Nov|Dec)\.")
_SPLIT = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z\"“])")


_DATELINE = re.compile(r"^\s*[A-Z][A-Z .,'/-]{2,40}(?:\([^)\n]{0,40}\))?\s*[-\u2013\u2014:]+\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a report; abbreviations such as "U.S." and "Col." do not end one; a dateline is dropped."""
    text = _DATELINE.sub("", text, count=1)
    text = text.replace("\r\n", "\n").replace("’", "'").replace("\u00a0", " ")
    text = _ABBREV.sub(lambda m: m[1].replace(".", ""), text)
    parts = (" ".join(p.split()) for p in _SPLIT.split(text))
    return [p[:MAX_SENTENCE] for p in parts if p and any(c.isalpha() for c in p)]


@dataclass(frozen=True)
class _Mention:
    weapon: str
    start: int
    end: int
    count: int | None
    definite: bool


def _mentions(s: str) -> list[_Mention]:
    cue = bool(R.ATTACK_CUE.search(s))
    out: list[_Mention] = []
    for m in R.WEAPON_RX.finditer(s):
        if not cue and m.lastgroup != "airstrike":
            continue  # a weapon word with no attack verb ("the company builds drones"); an airstrike is one
        if R.NOT_ATTACK_AFTER.match(s[m.end():m.end() + 40]) or R.NOT_ATTACK_BEFORE.search(s[max(0, m.start() - 60):m.start()]):
            continue
        weapon = m.lastgroup or "unknown"
        if weapon == "unknown" and re.search(r"\bballistic\b", s, re.I):
            weapon = "ballistic_missile"
        count, definite = _count(s[max(0, m.start() - 80):m.start()])
        if out and out[-1].weapon == weapon and m.start() - out[-1].end < 3:
            continue  # "drone strike" after "drone": one mention
        out.append(_Mention(weapon, m.start(), m.end(), count, definite))
    return out


def _count(before: str) -> tuple[int | None, bool]:
    """Count and definiteness from the words just before a weapon word ("three Katyusha", "the", "14 107 mm")."""
    tokens = re.findall(r"[\w'-]+", before)[-7:]
    skipped = 0
    for i in range(len(tokens) - 1, -1, -1):
        low = tokens[i].lower()
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if low.isdigit() and 1900 <= int(low) <= 2099:
            return None, False  # "the January 2020 drone strike": a year, not a count
        if low.isdigit() and nxt != "mm":
            return int(low), False
        if low in R.NUMBER_WORDS and not (low in ("a", "an") and nxt in ("dozen", "barrage", "salvo", "volley", "wave",
                                                                            "series", "number", "total")):
            return R.NUMBER_WORDS[low], False
        if low in R.DEFINITE:
            return None, True
        if low in R.COUNT_STOP:
            return None, False
        if low not in R.COUNT_FILLERS:
            skipped += 1
            if skipped > 3:
                break
    return None, False


def _sentence(s: str, state: _State, found: list[Candidate]) -> tuple[list[Candidate], tuple[str, str] | None]:
    dates = nd.find_dates(s, state.published, state.anchor)
    background = bool(R.BACKGROUND.search(s))
    own_day = [d for d in dates if d.value is not None and d.precision == "day" and d.kind not in nd.RELATIVE_TO_ANCHOR]
    mentions = _mentions(s)
    sentence_actor = _sentence_actor(s)
    new: list[Candidate] = []
    for i, m in enumerate(mentions):
        lo = mentions[i - 1].end if i else 0
        hi = mentions[i + 1].start if i + 1 < len(mentions) else len(s)
        when = nd.nearest(dates, m.start, m.end)
        if when is not None and when.value is None:
            continue  # "last year", "in 2019": no date the schema can hold
        if when is None and background:
            continue  # a tally or an earlier series, without its own date
        if when is None and state.anchor is None:
            day, precision, end, how = state.published - timedelta(days=6), "week", state.published, "publication"
        elif when is None:
            day, precision, end, how = state.anchor, "day", None, "anchor"
        else:
            day, precision, end, how = when.value, when.precision, when.end_date, "own"
        if day > state.published:
            continue  # a date after publication is a plan or a misreading, not an attack report
        clause = s[lo:hi]
        weapon = m.weapon
        if weapon == "unknown":  # "other missiles landed": the missiles the report named before
            weapon = next((o.weapon_type for o in reversed(found + new)
                           if o.weapon_type in ("ballistic_missile", "cruise_missile")), weapon)
        c = Candidate(weapon, day, precision, s, count=m.count, date_end=end,
                      background=background or (state.published - day).days > 45)
        c.outcome = _outcome(clause, m.weapon)
        c.fatalities = _fatalities(clause)
        _place(c, s, clause, state)
        _actor(c, s, m, lo, sentence_actor)
        c.confidence = _confidence(c, how, m)
        c.notes.append(f"date from {how} ({when.text if when else 'none'})")
        target = _merge_target(c, m, found + new)
        if target is not None:
            _fill(target, c)
            continue
        new.append(c)
    if new and not new[-1].background and new[-1].date_precision == "day":
        state.anchor = new[-1].date
    elif own_day and not background:
        state.anchor = own_day[-1].value
    return new, sentence_actor


def _outcome(clause: str, weapon: str) -> str:
    for outcome, rx in R.OUTCOMES:
        if rx.search(clause):
            return outcome
    return "impact" if weapon == "airstrike" else "unknown"  # a strike that was carried out reached its target


def _fatalities(clause: str) -> int | None:
    for rx in R.FATAL_N:
        if m := rx.search(clause):
            n = m["n"].lower()
            return int(n) if n.isdigit() else R.NUMBER_WORDS.get(n)
    return 0 if R.FATAL_ZERO.search(clause) else None


def _geocode(text: str, state: _State) -> Match | None:
    if text not in state.places:
        m = geocode(text, aoi=state.aoi)
        state.places[text] = m if isinstance(m, Match) and m.score >= 0.45 else None
    return state.places[text]


_HEAD = re.compile(r"^(.{3,60}?)\s+(?:(?:\d+\s*km\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+(?:of|in)|"
                   r"near|outside|in|on\s+the\s+outskirts\s+of)\s+\S", re.I)


def _place(c: Candidate, s: str, clause: str, state: _State) -> None:
    best: tuple[tuple, Match, str] | None = None
    for scope in (clause, s):
        phrases = [(p["prep"].lower(), p["p"].strip()) for p in R.PLACE_RX.finditer(scope)]
        phrases += [("in", p) for p in re.findall(r"\(([^()]{3,60})\)", scope)]
        # "Camp Taji north of Baghdad": the head alone is often the finer place
        phrases += [(prep, h.group(1)) for prep, p in list(phrases) if (h := _HEAD.match(p))]
        for prep, phrase in phrases:
            if nd.is_date_phrase(phrase) or len(phrase) < 3:
                continue
            m = _geocode(f"{prep} {phrase}" if prep in ("near", "outside") else phrase, state)
            if m is not None:
                key = (m.kind in _AREA_KINDS, m.precision_km)
                if best is None or key < best[0]:
                    best = (key, m, phrase)
        if best is None:
            m = _geocode(nd.strip_dates(scope[:1000]), state)
            if m is not None:
                best = ((True, m.precision_km), m, m.matched)
        if best is not None:
            break
    if best is None and state.last is not None:
        m, phrase = state.last, state.last.matched
        c.notes.append("place from an earlier sentence")
    elif best is None:
        c.notes.append("no place found")
        return
    else:
        _, m, phrase = best
        state.last = m
    c.location, c.lon, c.lat = m.matched, m.lon, m.lat
    c.precision_km, c.geo_precision, c.country, c.admin1 = m.precision_km, m.geo_precision, m.country, m.admin1
    if R.TARGET_NOUNS.search(phrase):
        c.target = phrase


def _actor_at(s: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), R.ACTOR_NAMES[int(m.lastgroup[1:])]) for m in R.ACTOR_RX.finditer(s, start, end)]


def _sentence_actor(s: str) -> tuple[str, str] | None:
    """(attribution, actor) when the sentence says who claimed or who is blamed."""
    claim = R.CLAIM.search(s)
    if claim and not R.NO_CLAIM.search(s):
        before = _actor_at(s, 0, claim.start())
        after = _actor_at(s, claim.end(), len(s))
        pick = before[-1] if before else (after[0] if after else None)
        if pick:
            return "claimed", pick[2]
    blame = R.BLAME.search(s)
    if blame:
        after = [a for a in _actor_at(s, blame.end(), len(s)) if a[2] != "United States"]
        before = _actor_at(s, 0, blame.start())
        pick = after[0] if after else (before[-1] if before and re.search(r"\b(?:was|were|been)\s+\w*$",
                                                                           s[:blame.start()]) else None)
        if pick:
            return "attributed", pick[2]
    return None


def _actor(c: Candidate, s: str, m: _Mention, lo: int, sentence_actor: tuple[str, str] | None) -> None:
    doer = None
    for a_start, a_end, name in _actor_at(s, max(lo, m.start - 160), m.start):
        gap = s[a_end:m.start]
        adjective = len(gap.split()) <= 2 and not R.OUTCOMES[0][1].search(gap) and not re.search(r"[,;]", gap)
        if adjective or R.DOER_VERB.match(gap):
            doer = name
    if sentence_actor and sentence_actor[0] == "claimed":
        c.attribution, c.actor = sentence_actor
    elif doer is not None:
        c.actor = doer
        c.attribution = "claimed" if doer in R.STATES else "attributed"
    elif sentence_actor:
        c.attribution, c.actor = sentence_actor


def _confidence(c: Candidate, how: str, m: _Mention) -> float:
    score = 0.4 + {"own": 0.2 if c.date_precision == "day" else 0.1, "anchor": 0.1, "publication": -0.1}[how]
    if c.precision_km is None:
        score -= 0.3
    elif "place from an earlier sentence" in c.notes:
        score -= 0.1
    else:
        score += 0.2 if c.precision_km <= 10 else 0.1 if c.precision_km <= 50 else 0.0
    score += 0.1 * (c.outcome != "unknown") + 0.05 * (m.count is not None) - 0.1 * c.background
    return round(min(0.99, max(0.05, score)), 2)


def _merge_target(c: Candidate, m: _Mention, found: list[Candidate]) -> Candidate | None:
    """The earlier candidate this mention repeats ("the drone", or the same weapon, day and place again)."""
    for old in reversed(found):
        if old.weapon_type != c.weapon_type:
            continue
        same_day = old.date == c.date and old.date_precision == c.date_precision
        if m.definite and (same_day or "date from anchor" in " ".join(c.notes) or c.date_precision != "day"):
            return old
        if same_day and _near(old, c):
            return old
    return None


def _near(a: Candidate, b: Candidate) -> bool:
    if a.lon is None or b.lon is None:
        return True
    radius = max(a.precision_km or 0, b.precision_km or 0, 2.0)
    return float(haversine_km(a.lon, a.lat, b.lon, b.lat)) <= radius


def _fill(old: Candidate, new: Candidate) -> None:
    """Details the repeat adds: a known outcome, fatalities, an actor, a finer place, a count."""
    if old.outcome == "unknown":
        old.outcome = new.outcome
    if old.fatalities is None:
        old.fatalities = new.fatalities
    if old.count is None:
        old.count = new.count
    if old.actor == "Unidentified" and new.actor != "Unidentified":
        old.actor, old.attribution = new.actor, new.attribution
    if new.precision_km is not None and (old.precision_km is None or new.precision_km < old.precision_km):
        for f in ("location", "lon", "lat", "precision_km", "geo_precision", "country", "admin1", "target"):
            setattr(old, f, getattr(new, f))
    old.confidence = round(min(0.99, old.confidence + 0.05), 2)


__all__ = ["Candidate", "ExtractError", "MAX_CHARS", "extract", "split_sentences"]
