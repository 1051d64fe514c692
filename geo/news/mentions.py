"""The attacks a sentence tells of: weapon words and attack nouns, kept only where they report an attack.

``mentions(sentence)`` finds every weapon word ("three Katyusha rockets", "a Turkish army drone") and attack noun
("an Israeli strike", "the attack", "assassinated"), joins neighbours that name one attack ("drone strike",
"jets struck"), and drops the words that are no attack report:

- equipment and defence ("rocket launchers", "missile defense system", "anti-drone", "C-RAM ... supposed to destroy
  incoming rockets"), targets ("strikes on missile storage sites, drones and launchers");
- plans, threats, conditions and capabilities ("warned they would launch missiles", "we can strike anywhere");
- tallies and general statements ("55 attacks since Oct. 17", "Israel routinely fires missiles", "the eighth time
  the U.S. has conducted strikes", "have been the target of rocket attacks in recent months");
- weapon words in a sentence with no attack verb ("the five drones were Iranian").

Each ``Mention`` carries its clause window (``lo``..``hi``), count, definiteness and the gates it passed; the
extractor dates, places and merges them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.news import rules as R

#: Preference when two words name one attack ("ballistic missile strikes", "drone attack"): the finer wins.
_MONTH_ABBR = frozenset(m[:3] for m in R.MONTHS)

RANK = {"ballistic_missile": 9, "cruise_missile": 9, "drone": 8, "rocket": 8, "mortar": 8, "ied": 8,
         "artillery": 7, "small_arms": 7, "airstrike": 6, "missile": 4, "blast": 2, "attack": 1}
_BOUNDARY = re.compile(r"[;:()—–]|,\s+(?=(?:which|who|while|but|although|though|as|after|before|when|adding|"
                       r"according|in\s+(?:response|retaliation)|following|amid|since|where)\b)|(?<![A-Z])\.\s", re.I)
_GLUE = re.compile(r"[\s-]*(?:and|or|with)\s+", re.I)
_INTERCEPTOR = re.compile(r"\b(?:shot\s+down|intercept\w*|downed|engaged)\b[^.;]{0,40}$|\bby\s+(?:\w+\s+){0,5}$", re.I)
#: An aircraft that shoots down or intercepts: a defence, not an airstrike ("an F-15 jet shot down a drone").
_INTERCEPTS = re.compile(r"^\s+(?:\w+\s+){0,2}?(?:shot\s+down|downed|intercepted|intercepting|shooting\s+down)\b", re.I)
#: A drone of a state's air force shot down by the other side ("shot down a US MQ-9 Reaper drone").
_DOWNED_OWN = re.compile(r"\b(?:shot\s+down|shoot\s+down|shooting\s+down(?:\s+of)?|downing\s+of|downed|brought\s+down|"
                         r"destroyed)\s+(?:an?\s+|the\s+|another\s+|one\s+|two\s+)?(?:unmanned\s+)?"
                         r"(?:(?:US|U\.S\.|American|Israeli|British|Turkish)\s+(?:military\s+|Navy\s+|Air\s+Force\s+)?"
                         r"(?:(?:MQ|RQ)-\d+[A-Z]?\s+)?(?:Reaper\s+|Global\s+Hawk\s+|Hermes(?:\s+\d+)?\s+)?"
                         r"(?:(?:surveillance|reconnaissance|spy)\s+)?|(?:surveillance|reconnaissance|spy)\s+)"
                         r"(?:(?:MQ|RQ)-\d+[A-Z]?\s+)?(?:Reaper\s+|Global\s+Hawk\s+|Hermes(?:\s+\d+)?\s+)?$", re.I)
#: A weapon whose object is an aircraft or a missile: air defence, not an attack ("an Iranian missile destroyed a
#: U.S. Global Hawk surveillance drone", "a missile downed the drone").
_AIR_DEFENCE = re.compile(r"^\s+(?:\w+\s+){0,2}?(?:shot\s+down|downed|destroyed|intercepted|brought\s+down)\s+"
                          r"(?:an?\s+|the\s+|another\s+)?(?:[\w.'-]+\s+){0,4}?(?:drones?|UAVs?|aircraft|planes?|jets?|"
                          r"missiles?|rockets?)\b", re.I)
#: A missile fired by an aircraft: the aircraft's attack, told by its own word ("A missile fired by a drone hit a
#: vehicle" is the drone strike, not a missile attack beside it).
_FIRED_BY = re.compile(r"^\s+(?:\w+\s+)?(?:fired|launched|dropped|shot)\s+(?:by|from)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?"
                       r"(?:drones?|UAVs?|aircraft|jets?|helicopters?|warplanes?|planes?)\b", re.I)
#: A drone lost by itself ("an Israeli drone crashed due to a technical malfunction"): no attack.
_SELF_CRASH = re.compile(r"^\s+(?:\w+\s+){0,2}?(?:crashed|fell|went\s+down|came\s+down)\s+(?:\w+\s+){0,3}?"
                         r"(?:due\s+to|because\s+of|after|following|owing\s+to)\s+(?:an?\s+|the\s+)?"
                         r"(?:technical|mechanical|engine|malfunction|failure|fault)", re.I)
#: An attack told as called off ("strikes that were called off", "the raid was aborted"): no attack.
_CALLED_OFF = re.compile(r"^\s+(?:[\w-]+\s+){0,3}?(?:that\s+|which\s+)?(?:were|was|had\s+been|got)\s+(?:later\s+|then\s+|"
                         r"eventually\s+)?(?:called\s+off|cancel+ed|aborted|postponed|scrapped|halted\s+at\s+the\s+last)",
                         re.I)
_OBJECT_OF = re.compile(r"\b(?:take\s+out|took\s+out|destroy(?:ed|ing)?|target(?:ed|ing)?|hit(?:ting)?|"
                        r"struck|strikes?\s+(?:on|against)|attacks?\s+(?:on|against))\s+(?:[\w'-]+\s+){0,4}"
                        r"(?:[\w'-]+,\s+)+$", re.I)
_EQUIPMENT_LIST = re.compile(r"^(?:\s*,?\s*(?:and\s+)?(?:[\w'-]+\s+){0,2}(?:launchers?|sites?|depots?|radars?|"
                             r"stockpiles?|facilities|storage|factories|warehouses|weapons))+", re.I)


@dataclass
class Mention:
    """One attack word of a sentence and what the rules read around it."""

    start: int
    end: int
    text: str
    weapon: str          # a schema weapon type, or "unknown"
    kind: str            # the table entry that matched: a weapon type, "missile", "blast" or "attack"
    count: int | None
    definite: bool
    plural: bool
    lo: int              # the clause window: from the previous mention's end (or clause start) ...
    hi: int              # ... to the next mention's start (or clause end)
    #: "" or why the mention is no single event: "counted" ("55 attacks"), "habitual" ("routinely fires"), or
    #: "tally" ("in recent months": its own date may still make it one, "two drones ... in early January")
    general: str = ""
    other: bool = False  # "the previous attack", "another round of strikes": not the attack told before
    consequence: bool = False  # told as the result of the attack before it in the sentence
    separate: bool = False     # "Meanwhile, ...": not the attack told just before
    modal: bool = False  # inside a plan, threat or condition ("would launch missiles"): no attack, unless dated
    cued: bool = False   # an attack word is part of the mention ("drones attacked", "drone strike")


def _clause(s: str, start: int, end: int) -> tuple[int, int]:
    lo = max((m.end() for m in _BOUNDARY.finditer(s, 0, start)), default=0)
    nxt = _BOUNDARY.search(s, end)
    return lo, nxt.start() if nxt else len(s)


def _count(before: str) -> tuple[int | None, bool]:
    """Count and definiteness from the words just before a weapon word ("three Katyusha", "the", "14 107 mm")."""
    before = _ABBR_DOT.sub(r"\1 ", before.replace("U.S.", "US"))  # "Hamas' Oct. 7 assault": no sentence end
    before = re.split(r"[,;:()\"“”—–]|\.\s", before)[-1]
    if re.search(r"\bone\s+of\s+(?:its|their|the)\s+(?:most|largest|biggest|heaviest|deadliest|[\w-]+est)\b(?:\s+[\w-]+)?\s*$",
                 before, re.I):
        return None, False  # "launched one of its most intense bombardments": a new attack, not "its" attack again  # "Shortly after the shooting, Israeli aircraft": no "the"
    tokens = re.findall(r"[\w'-]+", before)[-7:]
    skipped = 0
    for i in range(len(tokens) - 1, -1, -1):
        low = tokens[i].lower()
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if low.isdigit() and 1900 <= int(low) <= 2099:
            return None, False  # "the January 2020 drone strike": a year, not a count
        if low.isdigit() and i > 0 and tokens[i - 1].lower()[:3] in _MONTH_ABBR:
            return None, False  # "a Jan. 3 U.S. drone strike": a day, not a count
        if low.isdigit() and nxt != "mm":
            return int(low), False
        if low in R.NUMBER_WORDS and not (low in ("a", "an") and nxt in ("dozen", "barrage", "salvo", "volley", "wave",
                                                                            "series", "number", "total", "string",
                                                                            "spate", "campaign", "couple")):
            return R.NUMBER_WORDS[low], False
        if low in R.DEFINITE or low.endswith("'s") and len(tokens) - i <= 2 and not tokens[i][:1].isupper():
            # "the group's drones" points back; "Turkey's warplanes" names the attacker of a new attack
            return None, True
        if low in R.COUNT_STOP:
            return None, False
        if low == "to" and (i == 0 or tokens[i - 1].lower() != "up"):
            break  # "a response to recent attacks": the "a" is the response's
        if low not in R.COUNT_FILLERS:
            skipped += 1
            if skipped > 2:
                break
    return None, False


_OTHER = re.compile(r"\b(?:previous|earlier|another|prior)\s+(?:[\w-]+\s+){0,3}(?:of\s+(?:[\w-]+\s+){0,3})?$|"
                    r"^(?:Other|Further|More)\s+(?:[\w-]+\s+){0,2}$|"  # "Other strikes targeted Amran": not the ones just told
                    r"\ba\s+(?:second|third|fourth|fifth)\s+(?:[\w-]+\s+){0,2}$|"  # "a second suspected attack"
                    r"\b(?:retaliatory|reprisal|counter|responding)\s+(?:[\w-]+\s+){0,3}$|"
                    r"^\s*(?:Separately|In\s+a\s+separate\s+(?:incident|attack|strike)(?:\s+[\w-]+){0,3}|Elsewhere|"
                    r"In\s+another\s+(?:incident|attack|strike)),", re.I)
#: "Meanwhile, ...": the attack told next is not the one told just before (but may be the headline's).
_MEANWHILE = re.compile(r"^\s*(?:Meanwhile|At\s+the\s+same\s+time|In\s+addition|Also),", re.I)
#: "a drone attack killed a contractor, leading to US airstrikes": the response, dated by the attack before it.
CONSEQUENCE = re.compile(r"\b(?:leading\s+to|prompting|prompted|sparking|triggering|which\s+prompted|"
                         r"followed\s+by)\s+(?:[\w-]+\s+){0,3}$", re.I)
#: "the US hit", "Israel struck": an attack told by its verb alone, right after the actor.
_ACTOR_VERB = re.compile(r"(?:\s+(?:forces?|military|army|troops|militants|fighters|gunmen|rebels|jihadists|insurgents|"
                         r"also|then|reportedly|again))?\s+"
                         r"(?P<v>hit|struck|bombed|pounded|shelled|raided|targeted)\b", re.I)


def _heads(s: str) -> list[tuple[int, int, str, str]]:
    """(start, end, text, kind) of every weapon word, attack noun and actor's attack verb, in order."""
    heads = [(m.start(), m.end(), m[0], m.lastgroup or "attack") for m in R.WEAPON_RX.finditer(s)]
    for a in R.ACTOR_RX.finditer(s):
        v = _ACTOR_VERB.match(s, a.end())
        if v and not any(h[0] <= v.start("v") < h[1] for h in heads):
            heads.append((v.start("v"), v.end("v"), v["v"], "verb"))
    return sorted(heads)


def _raw(s: str) -> list[Mention]:
    """Weapon words and attack nouns, neighbours joined ("drone strike", "Israeli jets strike")."""
    out: list[Mention] = []
    for start, end, text, kind in _heads(s):
        verb = kind == "verb"
        kind = "attack" if verb else kind
        effect = kind == "blast" and bool(out) and bool(_EFFECT.match(s[out[-1].end:start]))
        if out and out[-1].kind in ("drone", "airstrike") and kind in ("missile", "rocket", "blast") \
                and _CARRIER.match(s[out[-1].end:start]):
            out[-1].end, out[-1].text = end, s[out[-1].start:end]  # "a drone fired a missile": the drone's strike
            out[-1].cued = True
            continue
        if out and (effect or _glued(s, out[-1].end, start) and not _two_means(out[-1].kind, kind,
                                                                                  s[out[-1].end:start])):
            last = out[-1]
            if re.match(r"[\s-]*or\b", s[last.end:start]) and kind != last.kind:
                # "drone or rocket attacks": one attack of some projectile, the weapon not known
                last.kind, last.weapon = "missile", "unknown"
            elif RANK[kind] > RANK[last.kind]:
                last.kind, last.weapon = kind, _weapon(kind)
            last.end, last.text = end, s[last.start:end]
            last.cued = last.cued or kind in ("attack", "blast")
            continue
        count, definite = (None, False) if verb else _count(s[max(0, start - 80):start])
        if definite and kind == "airstrike" and R.AIRCRAFT.search(text) and _OWN_ARMS.search(s[max(0, start - 30):start]) \
                and _ACTS.match(s[end:end + 40]):
            definite = False  # "Israel said its warplanes attacked targets south of Damascus": a new sortie told
        plural = not verb and text.lower().endswith("s") and not text.lower().endswith(("ss", "us"))
        out.append(Mention(start, end, text, _weapon(kind), kind, count, definite, plural, 0, len(s)))
        out[-1].other = bool(_OTHER.search(s[max(0, start - 40):start]) or not out[:-1] and _OTHER.match(s)
                             or not definite and re.search(r"\balso\s+(?:[\w-]+\s+){0,4}$", s[max(0, start - 40):start])
                             and (count is not None or re.search(r"\ban?\s+(?:[\w-]+\s+)?$", s[:start])))
        out[-1].consequence = bool(out[:-1]) and bool(CONSEQUENCE.search(s[max(0, start - 40):start]))
        out[-1].separate = not out[:-1] and bool(_MEANWHILE.match(s))
        out[-1].other = out[-1].other or out[-1].consequence
    return out


#: A possessive before an aircraft names whose aircraft they are, not an attack told before, when an attack verb
#: follows: "Israel said its jets struck Hezbollah sites" tells a sortie. (An armed group's "their drones hit the
#: ship" most often retells the attack just claimed, and stays an anaphor.)
_OWN_ARMS = re.compile(r"\b(?:its|their|our)\s+(?:own\s+)?(?:[\w-]+\s+)?$", re.I)
_ACTS = re.compile(r"^\s+(?:(?:had|have|has)\s+)?(?:also\s+)?(?:struck|attacked|hit|targeted|bombed|pounded|shelled|raided|"
                   r"carried\s+out|launched|fired\s+(?:at|on))\b", re.I)
#: "An Israeli drone fired a missile at a car": what the drone or aircraft fired is its own strike.
_CARRIER = re.compile(r"^\s+(?:fired|launched|dropped|shot)\s+(?:an?\s+|one\s+|two\s+|three\s+|several\s+|\d+\s+)?"
                      r"(?:[\w-]+\s+)?$", re.I)
#: "drones caused explosions in ...": the explosions are the drones' own, one attack.
_EFFECT = re.compile(r"^\s+(?:caused|triggered|set\s+off|sparked|produced|resulting\s+in)\s+(?:[\w-]+\s+){0,2}$", re.I)
_FLYING = frozenset({"drone"})
_FIRED = frozenset({"missile", "ballistic_missile", "cruise_missile", "rocket"})


def _glued(s: str, end: int, start: int) -> bool:
    """Whether two weapon words are one phrase: adjacent ("drone strike"), or "X and/or/with" before drones, rockets
    or missiles ("rockets and missiles", "drone or rocket attacks"; ``_two_means`` then tells two attacks apart)."""
    gap = s[end:start]
    if not gap.strip(" -"):
        return True
    return bool(_GLUE.fullmatch(gap)) and bool(re.match(r"(?:drones?|rockets?|missiles?)\b", s[start:], re.I))


def _two_means(a: str, b: str, gap: str) -> bool:
    """"missile and drone attacks": two attacks (drones and missiles of one night are told apart, as their
    outcomes differ), unlike "drone strike" or "rockets and missiles"."""
    return bool(re.search(r"\band\b", gap)) and ({a, b} & _FLYING != set()) and ({a, b} & _FIRED != set())


def _weapon(kind: str) -> str:
    return kind if kind not in ("missile", "blast", "attack") else "ied" if kind == "blast" else "unknown"


def _excluded(s: str, m: Mention, headline: bool) -> bool:
    """Equipment, defence, targets, plans and threats: words that are no attack report."""
    after, before = s[m.end:m.end + 40], s[max(0, m.start - 60):m.start]
    if R.NOT_ATTACK_AFTER.match(after) or R.NOT_ATTACK_BEFORE.search(before):
        return True
    told = re.match(r"\s+(?:were|was|had|have|landed|hit|struck|exploded|fell|killed|targeted|slammed|impacted)\b",
                    after)
    if _OBJECT_OF.search(before) and not told or (_EQUIPMENT_LIST.match(after) and re.match(r"\s*,|\s+and\b", after)):
        return True  # "to take out Houthi missile storage sites, drones and launchers": a target
    if m.kind == "drone" and _DOWNED_OWN.search(before):
        return True  # "the Houthis claimed that they shot down a US drone": a surveillance drone lost, no attack
    if m.kind == "drone" and _SELF_CRASH.match(s[m.end:m.end + 90]):
        return True  # "an Israeli drone crashed due to a technical malfunction": lost, no attack
    if m.kind in ("missile", "ballistic_missile", "cruise_missile") and _AIR_DEFENCE.match(s[m.end:m.end + 90]):
        return True  # "an Iranian missile destroyed a U.S. Global Hawk drone": air defence
    if m.kind == "missile" and _FIRED_BY.match(s[m.end:m.end + 60]):
        return True  # "a missile fired by a drone": the drone's strike
    if m.kind == "airstrike" and R.AIRCRAFT.fullmatch(m.text.split()[-1]):
        if _INTERCEPTOR.search(before):
            return True  # "shot down by Israeli Air Force fighter jets": the aircraft defended
        if _INTERCEPTS.match(after):
            return True  # "a U.S. F-15 jet shot down an Iranian drone": the aircraft defended
        near = s[max(0, m.start - 50):m.end + 50]
        if R.AIRCRAFT_MOVE.search(near) or not R.AIRCRAFT_ATTACK.search(near):
            return True  # "dispatching an aircraft carrier and B-52 bombers": no attack by them
    lo, _ = _clause(s, m.start, m.end)
    reach = s[lo:m.start]
    modal = list(R.MODAL.finditer(reach))
    m.modal = bool(modal) and not R.MODAL_BREAK.search(reach, modal[-1].end())
    m.modal = m.modal or bool(_CALLED_OFF.match(s[m.end:m.end + 80]))
    if m.kind in ("attack", "missile", "blast") or headline or m.cued or re.search(r"(?:strikes?|attacks?)$", m.text):
        return False
    clause = s[lo:_clause(s, m.start, m.end)[1]]
    return not R.ATTACK_CUE.search(clause.replace(m.text, " ")) and not R.ATTACK_CUE.search(s.replace(m.text, " "))


def _owner(found: list[Mention], start: int, end: int) -> Mention | None:
    """The mention a cue at s[start:end] qualifies: the nearest one (a tie goes to the one after the cue)."""
    def gap(m: Mention) -> tuple[int, bool]:
        return (m.start - end if end <= m.start else start - m.end if start >= m.end else 0), end > m.start
    return min(found, key=gap) if found else None


def _general(s: str, m: Mention, lo: int, hi: int, headline: bool, found: list[Mention]) -> str:
    """Whether the mention is a tally or a general statement (see ``Mention.general``)."""
    near = s[max(lo, m.lo, m.start - 45):min(hi, m.hi, m.end + 45)]
    if R.COUNTED.search(near) or any(_owner(found, c.start(), c.end()) is m for c in R.COUNTED.finditer(s, lo, hi)):
        return "counted"
    ordinal = R.ORDINAL.search(s, max(lo, m.start - 45), min(len(s), m.end + 12))
    if ordinal and not re.search(r"\ban?\s+$", s[max(0, ordinal.start() - 6):ordinal.start()]):
        return "tally"  # "the eighth time"; "a second suspected attack" is one more attack, told as such
    general = R.GENERAL.search(s[lo:hi])
    if general and not (headline and re.match(r"(?:launches|conducts|stages|mounts|carries)\b", general[0], re.I)) \
            or R.HABIT.search(near):
        return "habitual"  # a headline tells its news in the present tense: "Hezbollah launches dozens of rockets"
    if R.SERIES.search(near):
        return "tally"  # "a series of attacks" (its own day may still make it one wave)
    span = [x for x in R.SPAN.finditer(s, lo, hi) if _owner(found, x.start(), x.end()) is m
            and not (x[0].lower() == "since" and x.end() <= m.start
                     and len(s[x.end():m.start].split()) <= 3)]  # "since US airstrikes in June": their start
    if span and (m.plural or m.count is not None and m.count > 1 or m.definite):
        return "tally"
    return ""


_ABBR_DOT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.\s")
_DAY_DATE = (rf"(?:{R._MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{R._MON}"
             rf"(?:\s+\d{{4}})?)")
#: "Hamas' Oct. 7 assault", "the October 7 Hamas attacks", "the Hamas-led attack of October 7, 2023": an attack named
#: by its own calendar day, one attack referred to in passing, whatever the sentence says of the fighting since.
_NAMED_BEFORE = re.compile(rf"\b{_DAY_DATE}\s+(?:[A-Z][\w'-]*\s+|(?:deadly|cross-border|surprise|terror|terrorist)\s+)"
                           rf"{{0,3}}$")
_NAMED_AFTER = re.compile(rf"^\s+of\s+{_DAY_DATE}\b")


def named(s: str, m: Mention) -> bool:
    """Whether the attack noun is named by its own calendar day ("the October 7 attacks")."""
    return m.kind == "attack" and not m.text.lower().endswith("ed") and bool(_NAMED_BEFORE.search(s[max(0, m.start - 60):m.start])
                                       or _NAMED_AFTER.match(s[m.end:m.end + 30]))


def mentions(s: str, *, headline: bool = False) -> list[Mention]:
    """The attack mentions of one sentence, with their clause windows."""
    found = _another([m for m in _raw(s) if not _excluded(s, m, headline)], s)
    for i, m in enumerate(found):
        lo, hi = _clause(s, m.start, m.end)
        m.lo = max(lo, found[i - 1].end if i else 0)
        m.hi = min(hi, found[i + 1].start if i + 1 < len(found) else len(s))
        m.general = "" if named(s, m) else _general(s, m, lo, hi, headline, found)
    for a, b in zip(found, found[1:]):  # "a series of rocket and drone attacks": one statement, one reading
        joined = re.fullmatch(r"\s*(?:,|,?\s*and|or)\s*", s[a.end:b.start])
        means = re.search(r"\b(?:using|with|by\s+means\s+of|employing)\s+(?:an?\s+)?(?:(?:mix|combination|number|"
                          r"variety)\s+of\s+)?(?:[\w-]+\s+){0,2}$", s[a.end:b.start])  # "16 times ... using drones"
        if (joined or means) and (a.general or b.general):
            a.general = b.general = max(a.general, b.general, key=("", "tally", "habitual", "counted").index)
    return found


#: "... drones were launched at Ayn al-Assad and another was launched at a base near Erbil": the weapon told again.
_ANOTHER = re.compile(r"\b(?:and\s+|while\s+)?(?:another|a\s+second|a\s+third)(?:\s+one)?\s+(?:was|were|had\s+been)\s+"
                      r"(?:also\s+)?(?:launched|fired|aimed|directed|sent|flown)\s+(?:at|toward|towards|on|against|into)\b",
                      re.I)


def _another(found: list[Mention], s: str) -> list[Mention]:
    """Mentions plus the elliptic "another was launched at ..." after a weapon word: another attack, same weapon."""
    out = list(found)
    for a in _ANOTHER.finditer(s):
        before = [m for m in found if m.end <= a.start() and m.kind not in ("attack", "blast")]
        if before and not any(a.start() <= m.start < a.end() + 40 for m in found):
            w = before[-1]
            start = a.start() + a[0].lower().find("a", 4 if a[0].lower().startswith("and") else 0)
            out.append(Mention(start, a.end(), s[start:a.end()], w.weapon, w.kind, None, False, False, 0, len(s),
                               other=True))
    return sorted(out, key=lambda m: m.start)


def timeless(s: str, m: Mention) -> bool:
    """A reference with no time of its own ("the anniversary of the strike that killed ...")."""
    return bool(R.TIMELESS.search(s[max(0, m.start - 60):m.end + 20]))


__all__ = ["CONSEQUENCE", "Mention", "RANK", "mentions", "timeless"]
