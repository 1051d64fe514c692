"""One attack mention read in its sentence: when, where, who, what was hit, the outcome and the toll (a ``Frame``).

The frame keeps what the mention's own words say; what the article says elsewhere (its news date, its main place,
the sentences about the same attack) is added when frames are merged into candidates (``geo.news.merge``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from geo.geocode import Match
from geo.news import rules as R
from geo.news.dates import Found, find_dates, is_date_phrase
from geo.news.mentions import Mention, mentions, timeless
from geo.news.numbers import Count, casualties
from geo.news.places import ArticlePlaces
from geo.news.text import Sentence

#: A mention told as the cause of what the sentence reports: an earlier attack ("in retaliation for a drone attack").
_PRIOR = re.compile(r"\b(?:(?:in\s+)?(?:retaliation|revenge|reprisal)\s+(?:for|to)|in\s+response\s+to|(?:responding|retaliating)\s+(?:to|for)|(?:came|comes|come|follows|"
                    r"followed|coming)\s+(?:just\s+|only\s+)?(?:\w+\s+){0,3}(?:after|since)|after|following|since|"
                    r"triggered\s+by|sparked\s+by|avenge|retaliat\w*\s+for|prompted\s+by|over)\s+(?:[\w'-]+\s+){0,6}$",
                    re.I)
_WAR_IN = re.compile(r"\b(?:war|conflict|offensive|fighting|campaign|crisis|siege|blockade|operations?|presence|"
                     r"occupation|genocide|insurgency|hostilities)\s*$", re.I)
_BLAME_ON = re.compile(r"\b(?:blam\w*|attribut\w*|pinn\w*|accus\w*|responsibility)\s+(?:\w+\s+)?(?:on|to|of)\b", re.I)
#: The subject of a passive attack verb: "K1 military base, which houses US troops, was attacked by rockets".
_SUBJECT = re.compile(r"^(?:The\s+|An?\s+)?(?P<p>[A-Z][\w'-]*(?:\s+[\w'-]+){0,5}?)(?:,[^,]{0,80},)?\s+(?:was|were|has\s+been|had\s+been)"
                      r"\s+(?:\w+\s+)?(?:attacked|hit|struck|targeted|shelled|bombed|damaged)\b")
_FROM = re.compile(r"\b(?:from|launched\s+from|fired\s+from)\s+$", re.I)
_AND_MORE = re.compile(
    r"(?:\s*that\s+[^,;.]{1,60}?)?\s*(?:"
    r"(?:,\s*and\s+|and\s+|as\s+well\s+as\s+)(?P<p>(?:an?\s+[\w-]+\s+in\s+)?(?:the\s+)?(?:capital\b|[A-Z][\w'-]+"
    r"(?:\s+[A-Z][\w'-]+)*(?:\s+(?:province|governorate|areas?|city|town))?))"
    r"|,\s*(?P<q>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)(?=\s*(?:,|and\b)))")  # "Raqqa, Hasakah and Aleppo"
_CONJUNCT = re.compile(r"\s*(?:,\s*and\s+|\s+and\s+|,\s*|\s+as\s+well\s+as\s+)")


@dataclass
class Frame:
    """A mention and what its sentence says about it."""

    sentence: Sentence
    mention: Mention
    when: Found | None = None         # its own date phrase (not the date of a statement)
    report: Found | None = None       # the date the sentence's statement was made ("said on Sunday")
    prior: bool = False               # told as the cause of the news ("after", "in retaliation for")
    place: Match | None = None
    place_text: str = ""
    sites: list[tuple[Match, str]] = field(default_factory=list)  # several far-apart places of one salvo
    actor: str | None = None
    attribution: str = "unknown"
    target: str = ""
    outcome: str = "unknown"
    killed: list[Count] = field(default_factory=list)
    wounded: list[Count] = field(default_factory=list)
    timeless: bool = False
    single: bool = False              # the sentence's only attack word
    distinct: bool = False            # "Earlier on Thursday, ...": another attack than the one told just before

    @property
    def text(self) -> str:
        return self.sentence.text


def frames(sentence: Sentence, published: date, places: ArticlePlaces) -> list[Frame]:
    """The frames of one sentence (none when it tells of no attack)."""
    s = sentence.text
    found = mentions(s, headline=sentence.headline)
    if not found:
        return []
    dates = find_dates(s, published)
    own = {id(m): d for m, d in _assign_dates(s, found, [d for d in dates if not d.report])}
    report = next((d for d in dates if d.report and d.value is not None), None)
    claim = sentence_actor(s)
    killed, wounded = casualties(s)
    tolls = {id(m): ([], []) for m in found}
    for i, counts in enumerate((killed, wounded)):
        for c in counts:
            m = _toll_owner(found, c)
            if m is not None:
                tolls[id(m)][i].append(c)
    out = []
    for i, m in enumerate(found):
        f = Frame(sentence, m, own.get(id(m)), report, single=len(found) == 1)
        if f.when is None and m.consequence:
            f.when = own.get(id(found[i - 1]))  # "in March, a drone attack ..., leading to US airstrikes": March
        if f.when is not None and f.when.relative is not None and f.when.relative[0] == "news" and f.when.end > m.start:
            f.when = None  # "the strike occurred hours before ministers voted": told after the attack, about another
        f.distinct = f.when is not None and bool(re.match(r"(?:earlier|later)\b", f.when.text, re.I))
        if m.modal and not _dated_past(f.when, published):
            continue  # "would launch missiles", "if the US targets Yemen": a plan, a threat, a condition
        before = s[max(0, m.lo - 40):m.start]
        cue = _PRIOR.search(before)
        if cue and re.match(r"(?:after|following|since|over)\b", cue[0], re.I) and m is found[0] \
                and not sentence.headline:
            cue = None  # "a driver was wounded after an IED hit the convoy": the same attack, not an earlier one
        f.prior = bool(cue) or (f.when is not None and f.when.relative is not None
                                                  and f.when.relative[0] == "news" and f.when.relative[1] < 0)
        f.timeless = timeless(s, m)
        _actor(f, s, None if f.prior else claim)
        _place(f, s, places, len(found), [o for o in found if o.start > m.end], [o for o in found if o.end <= m.start])
        clause = s[m.lo:m.hi]
        f.outcome = next((o for o, rx in R.OUTCOMES if rx.search(clause)), "unknown")
        if f.outcome == "unknown" and m.kind == "airstrike":
            f.outcome = "impact"  # a strike carried out reached its target
        f.killed, f.wounded = tolls[id(m)]
        out.append(f)
    return out


def _toll_owner(found: list[Mention], c: Count) -> Mention | None:
    """The attack a toll belongs to: "a strike that killed four" (before it), "four were killed in a strike" (after)."""
    before = [m for m in found if m.end <= c.at]
    after = [m for m in found if m.start >= c.at]
    if c.after and after and after[0].start - c.at < 120:
        return after[0]
    if before and c.at - before[-1].end < 160:
        return before[-1]
    return after[0] if after else None


def _dated_past(when: Found | None, published: date) -> bool:
    """A calendar date before publication ("a Jan. 3 U.S. drone strike"): a real attack, whatever the clause."""
    return when is not None and when.value is not None and when.kind in ("explicit", "iso", "month", "year") \
        and when.value < published


def _assign_dates(s: str, found: list[Mention], dates: list[Found]) -> list[tuple[Mention, Found]]:
    """Each date phrase goes to the mention nearest to it; each mention keeps the nearest phrase it got."""
    got: dict[int, tuple[tuple, Found, Mention]] = {}
    for d in dates:
        if d.kind == "since":  # "since Tuesday night's strike": the day of the attack right after it, else of none
            nxt = next((m for m in found if m.start >= d.end), None)
            if nxt is not None and re.match(r"^(?:'s)?\s*(?:,\s*when\s+)?(?:[\w-]+\s+)?(?:[\w-]+'s\s+)?(?:the\s+|an?\s+)?"
                                            r"(?:[A-Z][\w-]*\s+)?$", s[d.end:nxt.start]):
                got[id(nxt)] = ((False, False, 0), d, nxt)
            continue
        best = None
        for m in found:
            gap = m.start - d.end if d.end <= m.start else d.start - m.end if d.start >= m.end else 0
            if d.start <= 3 and m is found[0] and re.match(r"^[^,;]{0,40},", s[d.end:]):
                gap = 0  # "On Friday, a driver of a convoy ... was wounded after an IED hit": the sentence's date
            if gap > 100:
                continue  # too far to be this attack's ("... offensive that was triggered by Hamas' Oct. 7 ...")
            if d.end <= m.start and d.start > 3 and len(s[d.end:m.start].split()) > 3 and d.relative is None:
                gap += 30  # "The exchange Monday follows the launch of rockets ... on Sunday": Monday is the exchange's
            crossing = any(o is not m and (d.end <= o.start < m.start or m.end <= o.start < d.start) for o in found)
            other_clause = not (m.lo <= d.start and d.end <= m.hi)
            between = s[d.end:m.start] if d.end <= m.start else s[m.end:d.start]
            key = (other_clause, crossing, bool(re.search(r"[,;:]", between)), gap)
            if best is None or key < best[0]:
                best = (key, m)
        if best is None:
            continue
        m = best[1]
        if id(m) not in got or best[0] < got[id(m)][0]:
            got[id(m)] = (best[0], d, m)
    return [(m, d) for _, d, m in got.values()]


def _phrases(s: str, lo: int, hi: int, first: bool = False) -> list[tuple[str, int]]:
    """Place phrases of s[lo:hi] with their positions: after a preposition, in brackets, and conjuncts."""
    out = []
    for p in R.PLACE_RX.finditer(s, lo, hi):
        if _FROM.search(s[max(0, p.start() - 14):p.start()]):
            continue  # "fired from over the occupied Golan Heights": where it came from, not where it hit
        if _BLAME_ON.search(s[max(0, p.start() - 20):p.start() + 3]):
            continue  # "blamed on Iran": who, not where
        if _WAR_IN.search(s[max(0, p.start() - 30):p.start()]):
            continue  # "meant to halt the Israel-Hamas war in the Gaza Strip": the war's place, not the attack's
        text = p["p"].strip()
        if cut := R.WEAPON_RX.search(text):
            text = text[:cut.start()].strip()  # "in a US drone strike in 2020": the strike is no place
        if len(text) < 3:
            continue
        out.append((text, p.start() + (10_000 if " of" in p["prep"] else 0)))  # "south of Baghdad": not at it
        if more := _AND_MORE.match(s, p.end("p"), min(len(s), p.end("p") + 120)):
            out.append((f"{text} and {more['p'] or more['q']}", p.start()))
    out += [(b, s.find(b)) for b in re.findall(r"\(([^()]{3,60})\)", s[lo:hi])]
    if first and (subject := _SUBJECT.match(s)) and subject.end() <= hi + 12:
        out.append((subject["p"], -1))  # the target itself: ranked as if right next to the attack
    return [(t, i) for t, i in out if len(t) >= 3 and not is_date_phrase(t)]


def _place(f: Frame, s: str, places: ArticlePlaces, n_mentions: int, mentions_after: list[Mention],
           mentions_before: list[Mention] = ()) -> None:
    """The place of the mention's own clause: the nearest phrase that names one (after the mention first).

    An anaphor ("the strikes") takes only a phrase right next to it: "the missile strike occurred hours before
    ministers voted on operations in the Gaza Strip" is no strike in Gaza.
    """
    m = f.mention
    later = [o for o in mentions_after if not o.definite]
    right = later[0].start if later else len(s)  # past anaphors only: "struck the location from where the projectiles"
    scopes = [(m.lo, m.hi), (m.end, right)] + ([(0, len(s))] if n_mentions == 1 or f.sentence.headline else [])
    reach = 45 if m.definite and not f.sentence.headline else 10_000
    prefer = context_country(s, f.actor, places)
    for lo, hi in scopes:
        best: tuple[tuple, Match, str] | None = None
        for text, at in _phrases(s, lo, hi, first=not any(o.end <= m.start for o in mentions_before)):
            relative = at >= 10_000
            at = at - 10_000 if relative else at
            gap = 0 if at < 0 else at - m.end if at >= m.end else (m.start - at - len(text)) * 2 + 1
            gap += 120 * relative
            if gap > reach or m.definite and 0 <= at < m.start and R.REPORT_VERB.search(s[at:m.start].split(" that ")[0]
                                                                                        + " "):
                continue  # "the Directorate ... in the Iraqi Kurdistan Region said that the drone strike": the speaker's
            sites = _sites(text, places)
            if len(sites) > 1:
                f.sites = sites
            got = places.resolve(text, prefer)
            if got is None:
                continue
            key = (max(gap, 0) // 60, at < m.start, got.kind in ("country", "admin1", "region"), got.precision_km)
            if best is None or key < best[0]:
                best = (key, got, text)
        if best is not None:
            _, f.place, f.place_text = best
            if R.TARGET_NOUNS.search(f.place_text):
                f.target = f.place_text
            _included(f, s, places)
            return


def context_country(s: str, actor: str | None, places: ArticlePlaces) -> str | None:
    """The country a sentence is about, besides the attacker's ("an Israeli strike in Chamaa in the south")."""
    own = ACTOR_COUNTRY.get(actor or "")
    counts: dict[str, int] = {}
    for iso in places.countries_in(s):
        if iso != own and places.allowed(iso):
            counts[iso] = counts.get(iso, 0) + 1
    return max(counts, key=lambda iso: counts[iso]) if counts else None


ACTOR_COUNTRY = {"Israel": "ISR", "Iran": "IRN", "Turkey": "TUR", "United States": "USA", "United Kingdom": "GBR",
                  "Russia": "RUS", "Syria": "SYR", "Jordan": "JOR", "Houthis": "YEM", "Hezbollah": "LBN",
                  "Hamas": "PSE", "Saudi-led coalition": "SAU"}
_INCLUDING = re.compile(r"\bincluding\s+(?:[\w'-]+\s+){0,4}?(?:in|near|at|outside)\s+(?P<p>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)")


def _included(f: Frame, s: str, places: ArticlePlaces) -> None:
    """ "strikes targeted Kobane ..., including grain silos near Al-Malikiyah": a second site far from the first."""
    if f.place is None or f.sites:
        return
    for inc in _INCLUDING.finditer(s, f.mention.lo, f.mention.hi):
        got = places.resolve(inc["p"])
        if got is not None and got.precision_km <= 30 and _apart(got, f.place):
            f.sites = [(f.place, f.place_text), (got, inc["p"])]
            return


def _sites(text: str, places: ArticlePlaces) -> list[tuple[Match, str]]:
    """Places of a coordinated phrase that lie far apart ("in Abqaiq and Khurais areas", "in Iraq and four in Syria")."""
    if " and " not in text:
        return []
    head = re.sub(r"\s+(?:areas?|provinces|governorates|sites)$", "", text)
    parts = [p for p in _CONJUNCT.split(head) if p]
    got = []
    for p in parts:
        place = places.resolve(p)
        if place is not None and all(_apart(place, g) for g, _ in got):
            got.append((place, p))
    return got if len(got) > 1 else []


def _apart(a: Match, b: Match) -> bool:
    """Two places of one list that are separate targets: far apart for their precisions (Baghdad and western
    Anbar, but not Kobane and its surroundings, nor "Erbil, Iraq")."""
    if "country" in (a.kind, b.kind) and a.country == b.country:
        return False
    small, large = sorted((a.precision_km, b.precision_km))
    return _km(a, b) > 50 + small + large / 2


def _km(a: Match, b: Match) -> float:
    from geo.geocode.gazetteer import haversine_km

    return float(haversine_km(a.lon, a.lat, b.lon, b.lat))


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


def _claimed(f: Frame, s: str, how: str) -> bool:
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
        m = f.mention  # "accused Iran of carrying out attacks", "the attack was blamed on": next to the blame
        return 0 <= m.start - blame.end() <= 80 or 0 <= blame.start() - m.end <= 30 or f.single
    m = f.mention
    return 0 <= m.start - end <= 60 or 0 <= start - m.end <= 60 or f.single


def _actor(f: Frame, s: str, claim: tuple[str, str] | None) -> None:
    """Who attacked: "Turkish drone", "an attack by a Turkish drone", "Hezbollah launched ...", then claims."""
    m = f.mention
    doer = None
    for a_start, a_end, name in _actors(s, max(m.lo, m.start - 120), m.start):
        gap = s[a_end:m.start]
        target_side = re.search(r"\b(?:on|against|at|targeting|toward|towards)\s+(?:the\s+)?$", s[max(0, a_start - 14):a_start])
        adjective = len(gap.split()) <= 2 and not re.search(r"[,;]|\b(?:killed|wounded|and|that|who|which|shot|down|"
                                                            r"intercept\w*|downed|destroyed|said|says|say|told|\w+ed)\b",
                                                            gap)
        if not target_side and (adjective or R.DOER_VERB.match(s[a_end:m.end])):
            doer = name
    if doer is None:
        by = re.match(r"^[\w\s-]{0,30}?\bby\s+(?:the\s+|a\s+|an\s+)?", s[m.end:m.end + 60])
        if by:
            hits = _actors(s, m.end + by.end(), min(len(s), m.end + by.end() + 40))
            if hits and hits[0][0] == m.end + by.end():
                doer = hits[0][2]
    if claim and claim[0] == "claimed" and _claimed(f, s, "claimed"):
        f.attribution, f.actor = claim
    elif doer is not None:
        f.actor, f.attribution = doer, "claimed" if doer in R.STATES else "attributed"
    elif claim and _claimed(f, s, claim[0]):
        f.attribution, f.actor = claim


__all__ = ["ACTOR_COUNTRY", "Frame", "context_country", "frames", "sentence_actor"]
