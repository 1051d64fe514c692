"""Frames -> one group per real attack: the headline, the lead and later sentences about one attack merge.

A frame joins the group it is compatible with (weapon family, date, place, actor) and most likely about: a frame
with its own date joins a group of that date; an undated frame ("the attack", "the drone") joins the attack told
just before it, or the article's news. A frame that joins nothing starts a group only when it may stand for an
attack of its own (``starts``): a tally, a general statement, an anaphor ("the strikes") or a cause told without a
date ("in response to a strike") never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from geo.geocode import Match
from geo.geocode.gazetteer import haversine_km
from geo.news import rules as R
from geo.news.actors import sentence_actor
from geo.news.dates import find_dates, shift
from geo.news.frames import Frame
from geo.news.mentions import RANK
from geo.news.numbers import Count, casualties
from geo.news.places import ArticlePlaces
from geo.news.text import Sentence
from geo.news.timeline import Dated, frame_date

#: Weapon words one attack may be told with ("rockets" then "the missiles"; jets firing "missiles" or Tomahawks; a
#: drone that "fired a guided missile"). A generic word ("attack", "strike", "blast") goes with any.
_SAME_ATTACK = {
    "drone": {"drone", "airstrike", "missile"},
    "airstrike": {"airstrike", "drone", "cruise_missile", "missile"},
    "cruise_missile": {"cruise_missile", "ballistic_missile", "missile", "airstrike"},
    "ballistic_missile": {"ballistic_missile", "cruise_missile", "missile", "rocket"},
    "rocket": {"rocket", "mortar", "artillery", "missile", "ballistic_missile"},
    "mortar": {"rocket", "mortar", "artillery", "missile"},
    "artillery": {"rocket", "mortar", "artillery"},
    "missile": {"missile", "drone", "airstrike", "cruise_missile", "ballistic_missile", "rocket", "mortar"},
    "ied": {"ied"}, "small_arms": {"small_arms"},
}
_GENERIC = frozenset({"attack", "blast"})
_SAME_ACTOR = {"US-led coalition": "United States", "United Kingdom": "United States"}


@dataclass
class Group:
    """Frames about one attack and what they establish together."""

    frames: list[Frame]
    kind: str
    day: date | None = None
    end: date | None = None
    precision: str = "day"
    how: str = "none"           # own (a date phrase), news (the article's news date), context (the sentence before)
    place: Match | None = None
    place_text: str = ""
    actor: str | None = None
    attribution: str = "unknown"
    sentence: int = 0           # the last sentence that spoke of it
    position: int = 0           # where in that sentence (the attack told last wins a tie)
    weekday_alt: date | None = None
    extra_killed: list[Count] = field(default_factory=list)   # tolls told in a sentence of their own
    extra_wounded: list[Count] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    retold: list[str] = field(default_factory=list)           # sentences telling it again without date or place


def starts(f: Frame, dated: Dated | None) -> bool:
    """Whether a frame that joins no group may start one (see the module docstring)."""
    m = f.mention
    own = dated is not None and dated.how == "own"
    if m.general in ("counted", "habitual") or dated is None:
        return False
    if m.general == "tally" and not (own and (not (m.plural and m.count is None) or dated.precision == "day")):
        return False  # "attacks in recent months" no; "a series of drone attacks on Saturday, April 13" yes
    if f.timeless and not own:
        return False
    if f.sentence.headline or own:
        return True
    if m.definite:
        return False
    if m.kind == "attack" and m.plural and m.count is None and f.place is None and not f.sites:
        return False  # "a response to unprovoked Israeli attacks": attacks in general, no day, no place
    if m.kind in ("attack", "blast") and not f.sentence.lead:
        return f.place is not None and f.actor is not None
    return True


def _weapon_ok(g: Group, f: Frame) -> bool:
    """Whether the frame's weapon word may tell of the group's attack.

    In one sentence, a drone and a missile joined by "and" are two attacks ("a missile attack on a ship ... and an
    attempt to attack Israel with drones"); across sentences a missile may be the drone's ("hit with a guided missile").
    """
    b = f.mention.kind
    kinds = {o.mention.kind for o in g.frames} - _GENERIC
    if b == "airstrike" and g.actor and g.actor not in R.AIR_FORCES \
            or "airstrike" in kinds and f.actor and f.actor not in R.AIR_FORCES:
        return False  # "US airstrikes" are not the Houthis' missile attack told before them: no air force of theirs
    if b in _GENERIC or not kinds:
        return True
    if any(b not in _SAME_ATTACK[k] for k in kinds):
        return False
    same_sentence = any(o.sentence.index == f.sentence.index for o in g.frames)
    together = kinds | {b}
    return not (same_sentence and "drone" in together and together & {"missile", "ballistic_missile", "rocket"})


#: Names that describe a camp rather than one group: any group of it may be meant ("the Iranian-backed group" and
#: "the Houthis" of one attack).
_CAMPS = {"Iran-backed militias": frozenset({"Houthis", "Hezbollah", "Kata'ib Hezbollah", "Kata'ib Sayyid al-Shuhada",
                                             "Harakat al-Nujaba", "Saraya Awliya al-Dam", "Asa'ib Ahl al-Haq",
                                             "Islamic Resistance in Iraq", "Hamas", "Palestinian Islamic Jihad"})}


def actor_ok(a: str | None, b: str | None) -> bool:
    """Whether two actors (either may be unknown) may be one attack's."""
    if a is None or b is None:
        return True
    if b in _CAMPS.get(a, ()) or a in _CAMPS.get(b, ()):
        return True
    return _SAME_ACTOR.get(a, a) == _SAME_ACTOR.get(b, b)


def _near(a: Match, b: Match) -> bool:
    """Whether two places may be one attack's: close, or one inside the other (a town in a country)."""
    d = float(haversine_km(a.lon, a.lat, b.lon, b.lat))
    if "sea" in (a.kind, b.kind):  # "a ship off Yemen" and "in the Gulf of Aden": a sea beside the country
        return d <= a.precision_km + b.precision_km
    if "country" in (a.kind, b.kind):
        return a.country == b.country
    return d <= max(a.precision_km, b.precision_km, 30.0)


def _date_ok(g: Group, d: Dated | None, alt: date | None, recent: bool) -> bool:
    """Whether a frame's date fits a group's; a frame dated only by the news or the sentence before fits a group
    of about that day, or (an anaphor, "the projectiles") the attack told just before."""
    if d is None or g.day is None:
        return True
    if d.how not in ("own", "report"):
        if g.how == "own" and g.precision != "day" and (g.day, g.end) != (d.day, d.end) and d.how == "context":
            return recent  # "Several ballistic missiles reached ..." is not "the strike earlier this month"
        return recent or g.day <= d.end and d.day <= (g.end or g.day) or abs((d.day - g.day).days) <= 1
    if g.how not in ("own", "report"):
        return abs((d.day - g.day).days) <= 1 or d.day <= g.day <= d.end or g.day <= d.day <= (g.end or g.day)
    if d.precision == "day" and g.precision == "day":
        return d.day == g.day or g.weekday_alt == d.day or alt == g.day
    return not (d.end < g.day or (g.end or g.day) < d.day)


def _compatible(g: Group, f: Frame, d: Dated | None, place: Match | None, news: Dated) -> bool:
    if f.prior and not any(o.prior for o in g.frames) and not (g.day is not None and g.day < news.day) \
            and not (d is not None and d.how == "own" and d.day == g.day):
        return False  # "in response to a strike that killed four": not the news the article reports
    if f.prior and d is None and not (f.actor and f.actor == g.actor or place is not None and g.place is not None):
        return False  # an undated cause joins an earlier attack only on evidence: its actor or its place
    if f.mention.other and g.how == "news" and not all(o.sentence.headline for o in g.frames):
        return False  # "the previous attack": not the news (the headline's "another attack" is it)
    rel = f.when.relative if f.when is not None else None
    if rel is not None and rel[0] == "news" and any(o.when is not None and o.when.relative is not None
                                                    and o.when.relative[0] == "news" and o.when.relative != rel
                                                    for o in g.frames):
        return False  # "hours after Hezbollah launched ..." and "days after mass explosions ...": two earlier attacks
    alt = _alt(f, d) if d is not None else None
    recent = f.mention.definite and f.sentence.index - g.sentence <= 2
    if not (_weapon_ok(g, f) and actor_ok(g.actor, f.actor) and _date_ok(g, d, alt, recent)):
        return False
    return place is None or g.place is None or _near(g.place, place)


def _score(g: Group, f: Frame, d: Dated | None) -> tuple:
    """How likely the frame tells of the group's attack: the same day, an anaphor of an attack its own sentence told
    ("in the strikes on Erbil, ... describing the attack as a crime"), the same weapon word, the attack told last."""
    exact_day = d is not None and d.how == "own" and g.day == d.day
    here = f.mention.definite and any(o.sentence.index == f.sentence.index for o in g.frames)
    generic = f.mention.kind in ("attack", "blast")
    same_kind = g.kind == f.mention.kind and not generic or generic and "strike" in f.mention.text.lower() \
        and g.kind in ("airstrike", "drone", "missile")  # "the strikes" after "US airstrikes"
    news_side = d is not None and d.how == "news" and g.how in ("news",) or (d is None) == (g.how == "own")
    return (exact_day, here, same_kind and f.mention.definite, news_side, g.sentence, same_kind, g.position)


def _join(g: Group, f: Frame, d: Dated | None, place: Match | None, place_text: str) -> None:
    g.frames.append(f)
    g.sentence, g.position = f.sentence.index, f.mention.start
    if RANK[f.mention.kind] > RANK[g.kind]:
        g.kind = f.mention.kind
    if d is not None and d.how == "own" and g.how != "own":
        g.day, g.end, g.precision, g.how = d.day, d.end, d.precision, d.how
        g.weekday_alt = _alt(f, d)
    if place is not None and (g.place is None or place.precision_km < g.place.precision_km and _inside(place, g.place)):
        g.place, g.place_text = place, place_text
    if f.actor and (g.actor is None or f.attribution == "claimed" and g.attribution != "claimed"):
        g.actor, g.attribution = f.actor, f.attribution


def _inside(fine: Match, coarse: Match) -> bool:
    """Whether a finer place lies within a coarser one (a later sentence refines the place, never moves it)."""
    if fine.precision_km >= coarse.precision_km:
        return False
    if coarse.kind == "country":
        return fine.country == coarse.country
    return float(haversine_km(fine.lon, fine.lat, coarse.lon, coarse.lat)) <= coarse.precision_km + fine.precision_km


def _alt(f: Frame, d: Dated) -> date | None:
    """A weekday phrase may mean the same weekday a week earlier ("the rockets on Sunday" of last Sunday)."""
    return shift(d.day, -7) if f.when is not None and f.when.kind == "weekday" else None


def _told_day(text: str, published: date) -> Dated | None:
    """The day a sentence without an attack word dates a killing by ("The killing of ... in Beirut last week"): the
    date of the attack the next sentence tells without a date of its own."""
    if not _KILLING.search(text):
        return None
    found = [d for d in find_dates(text, published) if not d.report and d.value is not None
             and d.precision in ("day", "week")]
    return Dated(found[0].value, found[0].end_date or found[0].value, found[0].precision, "context") if found else None


def group(sentences: list[tuple[Sentence, list[Frame]]], news: Dated, places: ArticlePlaces,
          published: date | None = None) -> list[Group]:
    """Merge frames into groups (see the module docstring); groups come in the order the report first tells them.

    A sentence without an attack word that says who claimed or is blamed, or gives a toll ("Hezbollah confirmed the
    deaths of three of its fighters"), adds to the attack told just before it.
    """
    groups: list[Group] = []
    context: date | Dated | None = None
    last: Group | None = None
    general: Frame | None = None
    causes: list[Frame] = []  # earlier attacks told without a date, kept for the dated mention told later
    for sentence, found in sentences:
        if not found:
            if last is not None and sentence.index - last.sentence <= 2:
                _follow_up(last, sentence, places)
            if published is not None:
                context = _told_day(sentence.text, published) or context
            continue
        for f in found:
            if f.mention.general in ("counted", "habitual"):
                if f.when is not None and f.when.value is not None and f.when.precision == "day" and not f.prior \
                        and f.when.kind != "since" and not _BEGAN.search(f.text[:f.when.start]):
                    context = f.when.value  # "Last Thursday, a series of attacks ...": the day of what follows
                general = f
                continue  # about many attacks: adds nothing to one
            if general is not None and f.mention.definite and f.when is None and sentence.index - \
                    general.sentence.index <= 1 and f.mention.kind in (general.mention.kind, "attack"):
                continue  # "a series of strikes on resorts in Duhok. The strikes killed nine": those same strikes
            if f.mention.general == "tally" and (f.when is None or f.when.value is None):
                continue  # "more than 30 cruise missiles ... in total": a count of the attack, told again
            if f.place is None and last is not None and last.place is not None and _SAME_PLACE.search(f.text):
                f.place, f.place_text = last.place, last.place_text  # "The same base was attacked in February"
            anchor = last.day if last is not None and last.how == "own" and last.precision == "day" else None
            avoid = last if f.mention.other or f.mention.separate else None
            placed = _place_frame(groups, f, news, context, anchor, avoid)
            if placed is None and f.prior and f.when is None:
                causes.append(f)
            last = placed or last
            if f.when is not None and f.when.value is not None and f.when.precision == "day":
                # a sentence dated far before the news ("... broke out on October 7") dates only its own attack
                context = f.when.value if (news.day - f.when.value).days <= _CONTEXT_DAYS else None
    for f in causes:  # "following an attack on the consulate in Damascus" ... "the strike earlier this month"
        later = [g for g in groups if g.day is not None and g.day < news.day and g.sentence > f.sentence.index
                 and _compatible(g, f, None, f.place, news)]
        if later:
            _join(min(later, key=lambda g: g.frames[0].sentence.index), f, None, f.place, f.place_text)
    return groups


#: How far before the news a day may be and still date the undated sentences after it.
_CONTEXT_DAYS = 31
#: A killing told without an attack word ("the killing of Hamas's deputy leader", "was assassinated").
_KILLING = re.compile(r"\b(?:killing|assassination|death)\s+of\b|\bwas\s+(?:killed|assassinated)\b", re.I)
#: A place told as the one of the attack before ("the same base", "the same airport").
_SAME_PLACE = re.compile(r"\b[Tt]he\s+same\s+(?:air\s?base|base|airport|airfield|site|town|city|village|area|camp|"
                         r"facility|compound|garrison|field|position)\b|"
                         r"^\s*The\s+(?:district|neighbou?rhood|area|town|city|village|base|air\s?base|airport|site|"
                         r"camp|compound)\s+(?:was|were|has\s+been|had\s+been)\s+(?:\w+\s+)?(?:targeted|hit|struck|attacked|"
                         r"shelled|bombed)\b")  # "The district was targeted in an Israeli attack in February 2023"
#: The start of a span: "attacks ... that began on October 17" dates no attack after it.
_BEGAN = re.compile(r"\b(?:began|begun|started|beginning|starting)\s+(?:on\s+|in\s+)?$", re.I)
_WHERE = re.compile(r"\b(?:in|at|near|outside|on)\s+(?P<p>(?:the\s+)?[A-Z][\w'-]+(?:[\s-]+(?:[A-Z][\w'-]+|of|al|el|"
                    r"border-crossing|crossing|province|airport|base|district|town|village|city))*)")


def _follow_up(g: Group, sentence: Sentence, places: ArticlePlaces) -> None:
    """What a sentence right after an attack adds to it: who claimed or is blamed, the toll, the place."""
    # "The war in Gaza has killed ...", "The killing of ... in Beirut last week ...": about something else
    aside = bool(R.SPAN.search(sentence.text) or R.GENERAL.search(sentence.text)
                 or any(kind not in ("vague",) and rx.search(sentence.text) for kind, rx in R.DATE_PATTERNS))
    if (g.place is None or g.place.kind in ("country", "admin1", "region")) and not aside \
            and sentence.index - g.sentence == 1:
        for w in _WHERE.finditer(sentence.text):  # "He was reportedly traveling near the Nusaybin crossing in ..."
            if R.ROUTE.search(sentence.text[max(0, w.start() - 60):w.start()]):
                continue  # "the vessel had been on its way to Bulgaria after leaving Khorfakkan": not where it was hit
            got = places.resolve(w["p"])
            if got is not None and (g.place is None or _inside(got, g.place)):
                g.place, g.place_text = got, w["p"]
                g.notes.append("place from the sentence after it")
                break
    who = sentence_actor(sentence.text)
    if who is not None and (g.attribution != "claimed" or who[0] == "claimed" and g.actor is None):
        g.attribution, g.actor = who
        g.notes.append(f"actor from a later sentence ({who[0]})")
    killed, wounded = casualties(sentence.text)
    if (killed or wounded) and sentence.index - g.sentence == 1 and not (R.SPAN.search(sentence.text)
                                                                        or R.GENERAL.search(sentence.text)):
        g.extra_killed += [c for c in killed if c.value < 1000]  # "At least 11,320 Palestinians have been killed": a war's
        g.extra_wounded += [c for c in wounded if c.value < 1000]


def _place_frame(groups: list[Group], f: Frame, news: Dated, context: date | Dated | None,
                 anchor: date | None, avoid: Group | None) -> Group | None:
    """Join the frame to its group or start one; the group it went to (None when it went nowhere).

    ``anchor`` is the day of the attack told just before ("shortly after", "the same day" are relative to it).
    """
    placed = None
    d = frame_date(f, news, anchor, context)
    if d is not None and d.how == "context" and not f.mention.other and any(
            g.how in ("own", "news") and g.day == news.day and g.kind == f.mention.kind
            and _compatible(g, f, news, f.place, news) for g in groups):
        d = news  # a later sentence telling the news again ("... intercepted five drones launched towards Abha")
    sites = f.sites or [(f.place, f.place_text)]
    for place, place_text in sites:
        fits = [] if f.distinct else [g for g in groups if g is not avoid and _compatible(g, f, d, place, news)]
        if fits:
            placed = max(fits, key=lambda g: _score(g, f, d))
            _join(placed, f, d, place, place_text)
        elif placed is not None and len(sites) > 1:
            # "the strikes hit three facilities in Iraq and four in Syria": one attack per far-apart site
            twin = Group([], placed.kind, placed.day, placed.end, placed.precision, placed.how, actor=placed.actor,
                         attribution=placed.attribution, sentence=f.sentence.index)
            _join(twin, f, None, place, place_text)
            groups.append(twin)
        elif starts(f, d):
            placed = Group([], f.mention.kind, sentence=f.sentence.index)
            placed.day, placed.end, placed.precision, placed.how = d.day, d.end, d.precision, d.how
            placed.weekday_alt = _alt(f, d)
            _join(placed, f, None, place, place_text)
            groups.append(placed)
    return placed


__all__ = ["Group", "actor_ok", "group", "starts"]
