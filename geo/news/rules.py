"""The rule tables of the news extractor (``geo.news``), declared as data.

Each table maps a schema value to the regular expression of the words reports use for it. Order matters where
noted: the first table entry that matches wins, so the more specific phrases come first.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE

#: Weapon words -> weapon_type. The first alternative that matches at a position wins (longest phrases first).
WEAPONS: dict[str, str] = {
    "ballistic_missile": r"ballistic[\s-]+missiles?|Fateh-\d+s?|Qiam(?:-1)?\s+missiles?",
    "cruise_missile": r"cruise[\s-]+missiles?",
    "drone": r"(?:drones?|UAVs?|unmanned\s+aerial\s+vehicles?|unmanned\s+aircraft|quad-?copters?)",
    "airstrike": r"air[\s-]?strikes?|air\s+raids?|aerial\s+(?:bombardment|strikes?|attacks?)|warplanes?|fighter\s+jets?"
                 r"|(?:precision|defensive|retaliatory|military)\s+strikes",
    "rocket": r"rockets?|Katyushas?",
    "mortar": r"mortars?(?:\s+(?:rounds?|shells?|bombs?))?",
    "ied": r"roadside\s+bombs?|IEDs?|improvised\s+explosive\s+devices?|car\s+bombs?|explosive\s+devices?",
    "artillery": r"artillery(?:\s+(?:fire|shells?|rounds?))?|shelling",
    "unknown": r"missiles?|projectiles?",
}

WEAPON_RX = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{v})" for k, v in WEAPONS.items()) + r")\b", _F)

#: A weapon word followed by one of these is equipment or a programme, not an attack ("rocket launcher").
NOT_ATTACK_AFTER = re.compile(
    r"^[\s-]+(?:launch(?:ers?|ing\s+(?:sites?|positions?|pads?))|pads?|facilit|sites?|storage|depots?|factor|programs?|"
    r"programmes?|technology|footage|capabilit|makers?|industry|units?|teams?|defen[cs]es?|warnings?|parts|"
    r"components|wreckage|debris|operators?|pilots?|threats?|systems?)", _F)
#: ... or preceded by one of these ("anti-drone", "facilities used to launch drone attacks").
NOT_ATTACK_BEFORE = re.compile(
    r"(?:anti-|counter-|used\s+(?:to\s+(?:launch|make|build|store)|for|in)\s+(?:\w+\s+)?|behind\s+(?:the\s+)?|"
    r"responsible\s+for\s+(?:the\s+)?|\bthreat\s+of\s+|\bagainst\s+|\bmaking\s+|\bbuilding\s+|\bstoring\s+)$", _F)

#: The sentence must report an attack (or an interception) for a weapon word to become a candidate.
ATTACK_CUE = re.compile(
    r"\b(?:attack\w*|hit|hits|struck|strikes?|striking|fired|firing|launch(?:ed|es)?|target(?:ed|ing|s)?|land(?:ed|ing)|"
    r"explod\w*|impact\w*|shot\s+down|intercept\w*|downed|kill\w*|wound\w*|injur\w*|crash\w*|fell|slamm\w*|bomb(?:ed|ing)|"
    r"carried\s+out|conducted|blast|explosion|salvo|barrage|volley|raid\w*|shell(?:ed|ing)|brought\s+down|took\s+out|"
    r"thwarted|foiled|dropp(?:ed|ing)|destroy\w*|damag\w*|set\s+fire)\b", _F)

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "single": 1, "lone": 1, "two": 2, "pair": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12, "dozens": 12, "several": 3, "multiple": 2,
    "scores": 20, "hundreds": 100,
}
#: Words between a count and its weapon that change nothing ("a barrage of 14 rockets").
COUNT_FILLERS = frozenset({"of", "barrage", "salvo", "volley", "wave", "series", "number", "total", "least", "more",
                           "than", "some", "about", "around", "nearly", "over", "up", "to", "approximately"})
DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "same"})
#: A token that ends the look-back for a count (a verb or preposition before the noun phrase).
COUNT_STOP = frozenset({"by", "with", "and", "at", "on", "in", "from", "fired", "launched", "hit", "struck", "after",
                        "when", "as", "down", "shot", "intercepted", "downed", "said", "that", "for", "into", "toward",
                        "towards", "targeted", "were", "was", "had", "have", "has", "been"})

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|" \
       r"Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:night|morning|evening|afternoon|overnight)"

#: Date phrases, in order of priority: (kind, regex). Matched spans are masked so a later kind cannot reuse them.
DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("explicit", re.compile(rf"\b(?:(?:on|late|early)\s+)?(?:{_WD},?\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+"
                            rf"(?:of\s+)?(?P<m1>{_MON})|(?P<m2>{_MON})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)"
                            rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?", _F)),
    ("month", re.compile(rf"(?:\b(?:in|during|since|of|until|by|throughout|from)\s+(?:(?:early|late|mid)[\s-]+)?"
                         rf"|\b(?:early|late|mid)[\s-]+|\bthe\s+)?(?P<m>{_MON})(?:\s+(?P<y>(?:19|20)\d\d))\b", _F)),
    ("month", re.compile(rf"\b(?:in|during|since|throughout|until|by)\s+(?:(?:early|late|mid)[\s-]+)?(?P<m>{_MON})(?!\s+\d)"
                         rf"|\b(?:early|late|mid)[\s-]+(?P<m_>{_MON})(?!\s+\d)", _F)),
    ("same_day", re.compile(r"\b(?:earlier|later)\s+(?:in\s+the|that|the\s+same)\s+day\b|\b(?:on\s+)?the\s+same\s+day\b|"
                            r"\bhours\s+(?:earlier|later|before|after)\b|\bthat\s+(?:same\s+)?(?:night|evening|morning)\b|"
                            r"\bshortly\s+(?:before|after)(?:wards)?\b|\bsimultaneously\b|\bat\s+the\s+same\s+time\b", _F)),
    ("day_before", re.compile(r"\b(?:the\s+(?:day|night)\s+before|a\s+day\s+earlier|the\s+previous\s+(?:day|night))\b", _F)),
    ("day_after", re.compile(r"\b(?:the\s+(?:next|following)\s+day|a\s+day\s+later|the\s+day\s+after)\b", _F)),
    ("weekday", re.compile(rf"\b(?:(?:on|late|early|last|this|since)\s+)?(?P<wd>{_WD})(?:\s+{_PART})?\b", _F)),
    ("yesterday", re.compile(r"\b(?:yesterday|last\s+night|overnight)\b", _F)),
    ("today", re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", _F)),
    ("days_ago", re.compile(r"\b(?P<n>\d+|two|three|four|five|six)\s+days\s+(?:ago|earlier)\b", _F)),
    ("last_week", re.compile(r"\blast\s+week(?:end)?\b|\bthe\s+previous\s+week\b|\ba\s+week\s+(?:ago|earlier)\b", _F)),
    ("this_week", re.compile(r"\b(?:earlier\s+)?this\s+week\b", _F)),
    ("last_month", re.compile(r"\b(?:(?:early|late|mid)[\s-]+)?last\s+month\b|\ba\s+month\s+(?:ago|earlier)\b", _F)),
    ("this_month", re.compile(r"\b(?:earlier\s+)?this\s+month\b", _F)),
    ("vague", re.compile(r"\b(?:last|this|previous|past)\s+year\b|\byears?\s+ago\b|\bin\s+(?:19|20)\d\d\b|"
                         r"\b(?:months|weeks)\s+ago\b|\bsince\s+(?:19|20)\d\d\b|\bin\s+recent\s+(?:weeks|months|years)\b", _F)),
)

#: A sentence about the past in general (a tally, an earlier series): its weapons need their own dated phrase.
BACKGROUND = re.compile(
    r"\b(?:since|ago|previous(?:ly)?|earlier\s+this\s+year|so\s+far|this\s+year|last\s+year|in\s+recent|"
    r"over\s+the\s+(?:past|last)|in\s+the\s+past|has\s+been|have\s+been|had\s+been|series\s+of|string\s+of|spate\s+of|"
    r"wave\s+of|dozens\s+of\s+attacks|repeated(?:ly)?|frequent(?:ly)?|regularly|often|routinely|history|"
    r"more\s+than\s+\d+\s+attacks|\d+\s+attacks|the\s+(?:latest|last)\s+(?:in|of)|anniversary|recalled|"
    r"came\s+under\s+its)\b", _F)

#: Outcome cues, in order: the first that matches near the weapon wins.
OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("intercepted", re.compile(r"\b(?:shot\s+down|shoot\s+down|intercept\w*|downed|brought\s+down|thwarted|foiled|"
                               r"destroyed\s+in\s+(?:the\s+)?(?:air|flight|mid-?air)|engaged\s+and\s+(?:eliminated|"
                               r"destroyed)|took\s+out|taken\s+out)\b", _F)),
    ("failed", re.compile(r"\b(?:fell\s+short|failed\s+to\s+(?:explode|detonate|launch|reach)|did\s+not\s+(?:explode|"
                          r"detonate)|didn't\s+(?:explode|detonate)|malfunction\w*|misfired|unexploded|defused|"
                          r"dismantled|found\s+(?:before|primed)|crashed\s+(?:short|before))\b", _F)),
    ("impact", re.compile(r"\b(?:hit|hits|struck|strikes?\s+hit|land(?:ed|ing)|slamm\w*|impact\w*|explod\w*|"
                          r"crashed\s+(?:into|on)|damag\w*|destroy\w*|kill\w*|wound\w*|injur\w*|set\s+fire)\b", _F)),
)

#: Actors: canonical name -> aliases. Specific names first ("Iran-backed militias" before "Iran").
ACTORS: dict[str, str] = {
    "Kata'ib Sayyid al-Shuhada": r"Kata'?'?e?ib\s+Sayy?id\s+al-Shuhada",
    "Kata'ib Hezbollah": r"Kata'?'?e?ib\s+Hez?[bi]?[uo]?llah|Kata'?'?e?b\s+Hez?b[uo]llah|Kataib\s+Hizb[uo]llah",
    "Saraya Awliya al-Dam": r"(?:Saraya\s+)?Awliy?a'?a?\s+al-Dam|Guardians\s+of\s+(?:the\s+)?Blood",
    "Asa'ib Ahl al-Haq": r"Asa'?ib\s+Ahl\s+al-Haq",
    "Houthis": r"Houthis?|Huthis?|Ansar\s*Allah",
    "Islamic State": r"Islamic\s+State|ISIS|ISIL|Daesh",
    "Iran-backed militias": r"(?:Iran(?:ian)?-(?:backed|aligned|allied|linked|supported)|pro-Iran(?:ian)?)\s+"
                            r"(?:Shi(?:'|i)?(?:te|a)\s+)?(?:militias?|militia\s+groups?|groups?|factions?|militants?|"
                            r"fighters?|paramilitar\w*)",
    "Saudi-led coalition": r"Saudi-led\s+coalition|Saudi\s+(?:warplanes|jets|air\s+force)",
    "US-led coalition": r"US-led\s+coalition|U\.S\.-led\s+coalition|the\s+coalition",
    "Iran": r"Iran(?![-\w])|Iranian(?!-)|IRGC|Islamic\s+Revolutionary\s+Guard\s+Corps|Revolutionary\s+Guards?",
    "United States": r"(?:the\s+)?(?:US|U\.S\.|United\s+States|American|Pentagon)(?![-\w])",
    "Israel": r"Israel(?:i)?(?![-\w])",
    "Turkey": r"Turk(?:ey|ish)(?![-\w])",
    "Russia": r"Russian?(?![-\w])",
}
ACTOR_RX = re.compile("|".join(f"(?P<a{i}>{v})" for i, v in enumerate(ACTORS.values())), _F)
ACTOR_NAMES: tuple[str, ...] = tuple(ACTORS)
#: Actors that announce their own strikes: when a report names them as the doer, that is their claim.
STATES = frozenset({"United States", "US-led coalition", "Israel", "Turkey", "Russia", "Iran", "Saudi-led coalition"})

CLAIM = re.compile(r"\b(?:claimed\s+(?:responsibility|the\s+(?:attack|strike)s?|credit)|took\s+responsibility|"
                   r"said\s+it\s+(?:had\s+)?(?:carried\s+out|launched|conducted|fired|targeted)|announced|"
                   r"(?:carried\s+out|conducted|launched)\s+(?:the\s+)?(?:\w+\s+){0,3}(?:air\s?)?strikes?)\b", _F)
NO_CLAIM = re.compile(r"\b(?:no(?:\s+one|\s+group|body)?\s+(?:\w+\s+){0,2}claimed|no\s+(?:immediate\s+)?claims?|"
                      r"(?:not|yet\s+to\s+be)\s+(?:immediately\s+)?claimed|unclaimed|denied)\b", _F)
BLAME = re.compile(r"\b(?:blam\w*|accus\w*|attribut\w*|held\s+responsible|holds?\s+\w+\s+responsible|pinned\s+\w+\s+on|"
                   r"suspected|believed\s+to\s+be\s+behind)\b", _F)
#: The doer named as the subject of an attack verb ("Houthis launched", "US forces carried out").
DOER_VERB = re.compile(r"^\s*(?:forces?|troops|military|jets?|aircraft|warplanes?|rebels?|fighters?|militants?|"
                       r"militias?|officials?|said\s+(?:it|they)|has|have|had|on\s+\w+|,)?\s*(?:\w+\s+)?"
                       r"(?:fired|launched|carried\s+out|conducted|struck|targeted|attacked|bombed|sent|hit|used)\b", _F)

FATAL_ZERO = re.compile(r"\b(?:no\s+(?:immediate\s+)?(?:reported\s+)?(?:casualties|deaths|fatalities|injuries|one\s+was\s+"
                        r"(?:killed|hurt|injured|wounded))|without\s+(?:causing\s+)?(?:any\s+)?casualties|caused\s+no\s+"
                        r"(?:\w+\s+)?(?:casualties|injuries|deaths)|nobody\s+was\s+(?:killed|hurt|injured)|"
                        r"no\s+(?:one|body)\s+was\s+(?:killed|hurt|injured))\b", _F)
_N = r"(?:\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
FATAL_N = (
    re.compile(rf"\b(?:killing|killed|kills|left)\s+(?:at\s+least\s+|some\s+|about\s+)?(?P<n>{_N})\b(?!\s+(?:rockets?|"
               rf"drones?|missiles?))", _F),
    re.compile(rf"\b(?P<n>{_N})\s+(?:[\w'-]+\s+){{0,3}}(?:were|was)\s+killed\b", _F),
    re.compile(rf"\b(?P<n>{_N})\s+(?:[\w'-]+\s+){{0,3}}(?:died|dead|killed)\b", _F),
)

#: Where a place phrase starts: the preposition and the noun phrase after it, up to a clause break.
PLACE_RX = re.compile(
    r"\b(?P<prep>at|near|in|on|outside|inside|over|targeting|targeted|against|hit|struck|toward|towards|into)\s+"
    r"(?P<p>(?:(?!\b(?:on|late|early|earlier|later|last|this|yesterday|today|overnight|killing|wounding|injuring|"
    r"causing|but|which|where|while|after|before|as|when|according|said|says|with|without|from|by|and\s+(?:the|a|an)|"
    r"in\s+(?:late|early|mid|January|February|March|April|May|June|July|August|September|October|November|December))\b)"
    r"[^,;.()\"“”])+)", _F)
#: Nouns that make a place phrase a target as well ("a base hosting US troops").
TARGET_NOUNS = re.compile(r"\b(?:base|air\s?base|airfield|airport|embassy|consulate|convoy|troops|forces|facilit\w*|"
                          r"sites?|positions?|headquarters|camp|garrison|outpost|oil\s?field|gas\s?field|compound|"
                          r"depots?|warehouses?|refinery|plant|installation|vehicles?|patrol|checkpoint|crossing)\b", _F)

#: ACLED event_type and sub_event_type of a candidate: by outcome first, then by weapon.
ACLED_BY_OUTCOME = {"intercepted": ("Strategic developments", "Disrupted weapons use")}
ACLED_BY_WEAPON = {
    "drone": ("Explosions/Remote violence", "Air/drone strike"),
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "ied": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "small_arms": ("Battles", "Armed clash"),
}
ACLED_DEFAULT = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
