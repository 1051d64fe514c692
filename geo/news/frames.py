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
from geo.news.actors import actor_of, context_country, sentence_actor
from geo.news.dates import Found, find_dates
from geo.news.mentions import Mention, mentions, named, timeless
from geo.news.numbers import Count, casualties
from geo.news.places import ArticlePlaces
from geo.news.sites import where
from geo.news.text import Sentence

#: A mention told as the cause of what the sentence reports: an earlier attack ("in retaliation for a drone attack").
_PRIOR = re.compile(r"\b(?:(?:in\s+)?(?:retaliation|revenge|reprisal)\s+(?:for|to)|in\s+response\s+to|(?:responding|retaliating)\s+(?:to|for)|(?:came|comes|come|follows|"
                    r"followed|coming)\s+(?:just\s+|only\s+)?(?:\w+\s+){0,3}(?:after|since)|after|following|since|"
                    r"triggered\s+by|sparked\s+by|avenge|retaliat\w*\s+for|prompted\s+by|over)\s+(?:[\w'-]+\s+){0,6}$",
                    re.I)
#: A date phrase followed by ", when" dates the attack the when-clause tells.
_WHEN_NEXT = re.compile(r"^\s*,\s*when\s+(?:an?\s+|the\s+)?(?:[\w'-]+\s+){0,3}$", re.I)
#: "An earlier strike in January killed seven others in an attack on Damascus airport": the same attack, told twice.
_IN_AN = re.compile(r"^[^,;.]{0,60}\b(?:killed|killing|wounded|injured|left)\b[^,;.]{0,40}\bin\s+(?:an?|the)\s+$", re.I)


#: "a month after four tankers were attacked": the words between "N days after/before" and the attack it dates.
_AFTER_NEXT = re.compile(r"^\s+(?:(?:an?|the|another|\d+|one|two|three|four|five|six|several|dozens?\s+of)\s+)?"
                         r"(?:[\w'-]+\s+){0,4}(?:(?:was|were|had\s+been|has\s+been)\s+)?$", re.I)
#: "hours after Hezbollah launched one of its most intense bombardments", "one day after the Iraqi army said rockets
#: also hit", "since Jan. 11, when the U.S. and United Kingdom joined together to strike": a clause of its own after
#: the date phrase, whose subject and verb tell the attack the phrase dates.
_CLAUSE_AFTER = re.compile(r"^(?:\s*,\s*when)?\s+(?:the\s+)?(?:[A-Z][\w'.-]*\s+){1,3}(?:(?:and|army|military|forces|"
                           r"militants|group)\s+(?:[A-Z][\w'.-]*\s+){0,3})?(?:also\s+|reportedly\s+)?"
                           r"(?:launched|fired|struck|hit|attacked|carried\s+out|joined|said|reported|announced|claimed|"
                           r"unleashed)\b[^;:()]{0,60}$")
#: "Earlier on Thursday, ...", "Later on Monday": the date phrase after it dates another attack than the last told.
_EARLIER_ON = re.compile(r"(?:^|[.;]\s*)\s*(?:Earlier|Later)\s+$", re.I)


#: The start of a war, campaign or truce dates no attack: "strikes at will in the campaign that began March 15",
#: "strikes come despite a ceasefire agreement reached on November 27".
_STARTED = re.compile(r"\b(?:war|campaign|conflict|offensive|operation|fighting|hostilities|ceasefire|cease-fire|truce)"
                      r"(?:\s+(?:agreement|deal|accord))?\s+(?:that\s+|which\s+)?(?:was\s+)?(?:began|started|erupted|"
                      r"broke\s+out|was\s+launched|took\s+effect|reached|agreed|signed|brokered|announced|"
                      r"went\s+into\s+effect|came\s+into\s+(?:force|effect))"
                      r"\s+(?:on\s+|in\s+)?$", re.I)


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
    own = {id(m): d for m, d in _assign_dates(s, found, [d for d in dates if not d.report
                                                          and not _STARTED.search(s[max(0, d.start - 60):d.start])])}
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
        if f.when is not None and f.when.kind == "today" and report is not None and report.value < published:
            f.when = report  # "Today, ... US forces conducted strikes," the release said on Thursday: that Thursday
        if f.when is None and m.consequence:
            f.when = own.get(id(found[i - 1]))  # "in March, a drone attack ..., leading to US airstrikes": March
        if f.when is not None and f.when.relative is not None and f.when.relative[0] == "news" and f.when.end > m.start:
            f.when = None  # "the strike occurred hours before ministers voted": told after the attack, about another
        # "Earlier on Thursday, ... an Israeli strike in Chamaa": another attack than the one told just before
        f.distinct = f.when is not None and bool(re.match(r"(?:earlier|later)\b", f.when.text, re.I)
                                                 or _EARLIER_ON.search(s[:f.when.start]))
        if m.modal and not _dated_past(f.when, published):
            continue  # "would launch missiles", "if the US targets Yemen": a plan, a threat, a condition
        before = s[max(0, m.lo - 40):m.start]
        cue = _PRIOR.search(before)
        clause_cue = f.when is not None and f.when.kind in ("since", "relative_news") and f.when.end <= m.start \
            and bool(_CLAUSE_AFTER.match(s[f.when.end:m.start]))  # "hours after Hezbollah launched ...": told as before
        if cue and re.match(r"(?:after|following|since|over)\b", cue[0], re.I) and m is found[0] \
                and not sentence.headline:
            cue = None  # "a driver was wounded after an IED hit the convoy": the same attack, not an earlier one
        f.prior = bool(cue) or clause_cue or (f.when is not None and f.when.relative is not None
                                                  and f.when.relative[0] == "news" and f.when.relative[1] < 0)
        f.timeless = timeless(s, m)
        f.actor, f.attribution = actor_of(m, s, None if f.prior else claim, f.single, sentence.headline)
        w = where(m, s, places, found, context_country(s, f.actor, places), sentence.headline)
        f.place, f.place_text, f.target, f.sites = w.place, w.text, w.target, w.sites
        if named(s, m):
            _named_place(f, s, places)
        elif f.place is None and (of := _BOMBARDMENT_OF.match(s, m.end)) and re.search(
                r"(?:bombardments?|shelling|bombings?)$", m.text, re.I):
            f.place, f.place_text = places.resolve(of["p"]), of["p"]  # "bombardments of northern Israel"
        clause = s[m.lo:m.hi]
        f.outcome = next((o for o, rx in R.OUTCOMES if rx.search(clause)), "unknown")
        if f.outcome == "unknown" and m.kind == "airstrike":
            f.outcome = "impact"  # a strike carried out reached its target
        f.killed, f.wounded = tolls[id(m)]
        out.append(f)
    for a, b in zip(out, out[1:]):  # "missile and drone attacks on Israel over the weekend": one date, place, actor
        between = s[a.mention.end:b.mention.start]
        if re.fullmatch(r"[\s,-]*(?:and|or)\s+(?:(?:\d+|dozens|scores|hundreds|several|many|more)\s+(?:of\s+)?)?", between) \
                or b.mention.kind in ("attack", "blast") and _IN_AN.search(between):
            for x, y in ((a, b), (b, a)):
                x.when = x.when or y.when
                if x.place is None:
                    x.place, x.place_text = y.place, y.place_text
                if x.actor is None:
                    x.actor, x.attribution = y.actor, y.attribution
    return out


#: The place an attack named by its day names right after it: "Hamas' Oct. 7 assault on southern Israel ignited ...".
_NAMED_PLACE = re.compile(r"^(?:\s+(?:of|on)\s+[^,;]{3,30}?\d{1,2}(?:,\s*\d{4})?)?\s+(?:on|in|into|against|inside)\s+"
                          r"(?P<p>(?:(?:the|southern|northern|eastern|western|central)\s+)*[A-Z][\w'-]*"
                          r"(?:\s+[A-Z][\w'-]*){0,2})"
                          r"(?=\s*[,.;)]|\s*$|\s+(?:[a-z]+ed|that|which|and|by|when|as|in|on)\b)")  # not "the Iranian consulate"
#: "its most intense bombardments of northern Israel": the place the bombardment hit.
_BOMBARDMENT_OF = re.compile(r"\s+of\s+(?P<p>(?:(?:the|southern|northern|eastern|western|central)\s+)*[A-Z][\w'-]*"
                             r"(?:\s+[A-Z][\w'-]*){0,2})")
#: Where the named attacks of an armed group that attacks one neighbour took place when the name gives no place
#: ("the October 7 Hamas attacks": in Israel), never the place of the fighting the sentence tells of since.
_NAMED_TARGET = {"Hamas": "ISR", "Hezbollah": "ISR"}


def _named_place(f: Frame, s: str, places: ArticlePlaces) -> None:
    """An attack named by its own day is placed only by the words of its name, else the country its attacker hits."""
    after = s[f.mention.end:f.mention.end + 80]
    got = _NAMED_PLACE.match(after)
    m = places.resolve(got["p"]) if got else None
    if m is None and f.place is not None and f.place_text and f.place_text in after:
        return  # "the April 1 attack on the Iranian consulate in Damascus": its own words place it
    if m is None:
        m = places.country_point(_NAMED_TARGET.get(f.actor or ""))
        f.place_text = m.matched if m is not None else ""
    else:
        f.place_text = got["p"]
    f.place, f.sites = m, []


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
        nxt = next((m for m in found if m.start >= d.end), None)
        if d.kind in ("since", "relative_news") and nxt is not None and _CLAUSE_AFTER.match(s[d.end:nxt.start]):
            got[id(nxt)] = ((False, False, False, 0), d, nxt)  # "hours after Hezbollah launched ... bombardments"
            continue
        if d.kind == "since":  # "since Tuesday night's strike": the day of the attack right after it, else of none
            if nxt is not None and re.match(r"^(?:'s)?\s*(?:,\s*when\s+)?(?:[\w-]+\s+)?(?:[\w-]+'s\s+)?(?:the\s+|an?\s+)?"
                                            r"(?:[A-Z][\w-]*\s+)?$", s[d.end:nxt.start]):
                got[id(nxt)] = ((False, False, 0), d, nxt)
            continue
        nxt = next((m for m in found if m.start >= d.end), None)
        if d.kind == "relative_news" and nxt is not None and _AFTER_NEXT.match(s[d.end:nxt.start]):
            got[id(nxt)] = ((False, False, False, 0), d, nxt)  # "come a month after four tankers were attacked"
            continue
        if nxt is not None and _WHEN_NEXT.match(s[d.end:nxt.start]):
            got[id(nxt)] = ((False, False, False, 0), d, nxt)  # "since early last year, when a US drone attack ..."
            continue
        best = None
        for m in found:
            gap = m.start - d.end if d.end <= m.start else d.start - m.end if d.start >= m.end else 0
            if d.start <= 3 and m is found[0] and re.match(r"^[^,;]{0,40},", s[d.end:]):
                gap = 0  # "On Friday, a driver of a convoy ... was wounded after an IED hit": the sentence's date
            if gap > 100 and not (len(found) == 1 and d.kind in ("today", "weekday", "yesterday") and d.start > m.end
                                  and not re.search(r"[,;:]", s[m.end:d.start])):  # the clause's own day, told late
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


__all__ = ["Frame", "frames"]
