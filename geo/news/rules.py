"""The rule tables of the news extractor (``geo.news``), declared as data.

Each table maps a schema value to the regular expression of the words reports use for it. Order matters where
noted: the first table entry that matches wins, so the more specific phrases come first.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE

#: Weapon words -> weapon_type; the first alternative that matches at a position wins (longest phrases first).
#: ``attack`` holds the words of an attack whose means the report does not give ("an Israeli strike").
WEAPONS: dict[str, str] = {
    "ballistic_missile": r"(?:hypersonic\s+)?ballistic[\s-]+missiles?(?:\s+strikes?)?|hypersonic\s+missiles?|"
                         r"Fateh-\d+s?|Qiam(?:-1)?\s+missiles?|Zolfaghar\s+missiles?",
    "cruise_missile": r"cruise[\s-]+missiles?|Tomahawks?(?:\s+(?:cruise\s+)?missiles?)?",
    "drone": r"(?:drones?|UAVs?|unmanned\s+aerial\s+vehicles?|unmanned\s+aircraft|quad-?copters?|Shaheds?(?:-\d+)?|"
             r"loitering\s+munitions?)(?:\s+(?:strikes?|attacks?))?",
    "airstrike": r"air[\s-]?strikes?|air\s+raids?|aerial\s+(?:bombardments?|strikes?|attacks?|assault)|warplanes?|"
                 r"war\s+planes|(?:fighter|combat|military)\s+planes?|fighter\s+jets?|(?:fighter\s+)?bombers?|B-\d+s?(?:\s+bombers?)?|"
                 r"F-?\d\d[A-Z]?s?(?:\s+(?:fighters?|jets?|warplanes?))?|Typhoon\s+jets?|jets|"
                 r"helicopter\s+gunships?|(?:attack\s+)?helicopters?|aircraft",
    "rocket": r"(?:\d{3}\s?mm\s+)?(?:Katyusha\s+|Grad\s+)?rockets?(?:\s+(?:attacks?|fire|strikes?))?|Katyushas?",
    "mortar": r"mortars?(?:\s+(?:rounds?|shells?|bombs?|attacks?|fire))?",
    "ied": r"roadside\s+bombs?|IEDs?|improvised\s+explosive\s+devices?|car\s+bombs?|(?:homemade|home-made)\s+bombs?|"
           r"(?:an\s+)?explosive\s+devices?|suicide\s+(?:bombings?|bombers?|attacks?)|sticky\s+bombs?",
    "artillery": r"artillery(?:\s+(?:fire|shells?|rounds?|strikes?))?|shelling",
    "small_arms": r"gunmen(?=[^.;]{0,80}?\b(?:opened\s+fire|attacked|assaulted|stormed|ambushed|shot|killed|fired))|"
                  r"gunfire|"
                  r"ambush(?:ed)?|armed\s+assault|sniper\s+fire",
    "missile": r"(?:guided\s+)?missiles?(?:\s+(?:strikes?|attacks?|launch(?:es)?))?|projectiles?",
    "blast": r"blasts?|explosions?",
    "attack": r"strikes?|attack(?:s|ed)?|assaults?|bombardments?|bombings?|raids?|assassinat(?:ed|ion)|bombed|shelled|"
              r"blitz|rampage|incursions?|skirmish",  # a ground assault whose weapons the report does not give
}
WEAPON_RX = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{v})" for k, v in WEAPONS.items()) + r")\b", _F)
#: States with crewed air forces: an airstrike is theirs, never one of an armed group's attacks (the Houthis' missile
#: attack and the "US airstrikes" after it are two events). Wider than extract's list of states whose "missiles" abroad
#: are fired from aircraft.
AIR_FORCES = frozenset({"Israel", "United States", "United Kingdom", "US-led coalition", "Turkey", "Russia",
                        "Saudi-led coalition", "Iran", "Syria", "Iraq", "Jordan", "Egypt", "France"})
#: Weapon words that name aircraft: a mention only where the aircraft attack (not where they intercept).
AIRCRAFT = re.compile(r"jets?|aircraft|helicopters?|fighters?|bombers?|warplanes?|planes|B-\d+|F-?\d\d|Typhoon", _F)
#: The verbs of aircraft that attack ("jets struck", "bombers carried out strikes"), near the aircraft word.
AIRCRAFT_ATTACK = re.compile(r"\b(?:struck|strike|strikes|striking|hit|hits|hitting|bombed|bomb|bombs|bombing|pounded|"
                             r"pound|"
                             r"bombard\w*|shell(?:ed|ing)|targeting|raiding|"
                             r"targeted|target|targets|attacked|attack|attacks|raided|fired|launched|carried\s+out|"
                             r"conducted|dropped|killed|kill|kills|destroyed)\b", _F)
#: Aircraft moved, sent or seen are no attack ("dispatching an aircraft carrier and B-52 bombers").
AIRCRAFT_MOVE = re.compile(r"\b(?:dispatch\w*|deploy\w*|send\w*|sent|station\w*|flew|fly\w*|fli\w*|patrol\w*|"
                           r"arriv\w*|mov\w*|land(?:ed|ing)\s+at|scrambled|seen|spotted|hover\w*)\b", _F)

#: A weapon word followed by one of these is equipment or a programme, not an attack ("rocket launcher").
NOT_ATTACK_AFTER = re.compile(
    r"^[\s-]+(?:launch(?:ers?|ing\s+(?:sites?|positions?|pads?|platforms?))|pads?|facilit|sites?|storage|stockpiles?|"
    r"depots?|factor|programs?|programmes?|technology|footage|capabilit|makers?|industry|units?|teams?|"
    r"defen[cs]es?|warnings?|parts|components|wreckage|debris|operators?|pilots?|threats?|systems?|carriers?|"
    r"boats?|ships?|experts?|arsenals?|production|shield|interceptors?|batter(?:y|ies)|sirens?|alerts?|"
    r"personnel|crews?|bases?(?!\s+(?:in|near|at))|campaign|commander|chief|of\s+(?:the\s+)?(?:war|conflict)|"
    r"groups?\b)", _F)  # "the carrier strike group": a fleet, not an attack
#: ... or preceded by one of these ("anti-drone", "facilities used to launch drone attacks", "a commander
#: responsible for firing rockets at Kiryat Shmona": a role over many attacks, not one; "a production hub for drones
#: and missiles": products).
NOT_ATTACK_BEFORE = re.compile(
    r"(?:anti-|counter-|used\s+(?:to\s+(?:launch|make|build|store)|for|in)\s+(?:\w+\s+)?|behind\s+(?:the\s+)?|"
    r"\bthreat\s+of\s+|\bmaking\s+|\bbuilding\s+|\bstoring\s+|\bdetect\s+and\s+destroy\s+(?:incoming\s+)?|"
    r"\bsurge\s+in\s+(?:\w+\s+)?|\bhunger\s+|\bterror(?:ist)?\s+|\bcyber\s*-?|\bheart\s+|\bpanic\s+|"
    r"\banxiety\s+|\bpress\s+|\bno-fly\s+|\blabou?r\s+|\bgeneral\s+|"
    r"\b(?:production|manufacturing|assembly|weapons?)?\s*(?:hub|factory|factories|plant|workshops?|lines?)\s+"
    r"(?:for|of)\s+(?:[\w-]+\s+){0,2}|"
    r"\b(?:responsible\s+for|in\s+charge\s+of|involved\s+in|tasked\s+with)\s+(?:firing|launching|directing|"
    r"planning|coordinating|carrying\s+out|conducting|organi[sz]ing)\s+(?:[\w-]+\s+){0,2}|"
    r"\b(?:develop|developing|produce|producing|manufactur\w*|acquir\w*|supply|supplying|transfer\w*|sell\w*|"
    r"smuggl\w*|buy\w*|import\w*|export\w*)\s+(?:[\w-]+\s+){0,2})$", _F)

#: A clause that tells of an attack; a weapon word without one ("the company builds drones") is no event.
ATTACK_CUE = re.compile(
    r"\b(?:attack\w*|hit|hits|struck|strikes?|striking|fired|firing|fires|launch(?:ed|es|ing)?|target(?:ed|ing|s)?|"
    r"bombard\w*|assault\w*|stormed|ambush\w*|"
    r"land(?:ed|ing|s)|explod\w*|impact\w*|shot\s+down|intercept\w*|downed|kill\w*|wound\w*|injur\w*|crash\w*|fell|"
    r"slamm\w*|bomb(?:ed|ing|s)?|carried\s+out|conducted|blasts?|explosions?|salvo|barrage|volley|raids?|raided|"
    r"shell(?:ed|ing)|brought\s+down|took\s+out|take\s+out|thwarted|foiled|dropp(?:ed|ing)|destroy\w*|damag\w*|detonat\w*|blew\s+up|blown\s+up|went\s+off|"
    r"set\s+fire|rock(?:ed|s)|pound(?:ed|s)|martyred|assassinat\w*|died|dead|casualt\w*|claim\w*|repelled)\b", _F)

#: Words before a weapon that make the mention a plan, a threat, a condition or a capability, not an attack.
MODAL = re.compile(
    r"\b(?:would|will|could|can|might|should|shall|must|won't|wouldn't|going\s+to|plans?\s+to|planned|planning|"
    r"intend\w*|threat\w*|warn\w*|vow\w*|pledg\w*|promis\w*|ready\s+to|prepar\w*\s+to|possible|potential|"
    r"if|unless|whether|aim(?:ed|s|ing)?\s+to|seek\w*\s+to|supposed\s+to|designed\s+to|meant\s+to|capable\s+of|"
    r"able\s+to|ability\s+to|in\s+order\s+to|prevent\w*|deter\w*|avoid\w*|ahead\s+of|rehears\w*|drills?|"
    r"exercises?|simulat\w*|response\s+to\s+(?:any|a\s+possible)|came\s+(?:within\s+\w+\s+of|close\s+to)|"
    r"call(?:ed|ing|s)?\s+off|abort\w*|cancel\w*)\b", _F)
#: Words that end the reach of a modal word (the mention after them is told as a fact: "The threat follows Iranian
#: missile strikes on two US military bases").
MODAL_BREAK = re.compile(r"\b(?:after|following|follows|followed|since|(?:in\s+)?(?:response|retaliation|reprisal|revenge)\s+(?:to|for)|"
                         r"because\s+of|amid|when|as|that\s+(?:hit|struck|killed|targeted))\b|[;:()—–]", _F)

#: Words near a weapon that make it many attacks over a period ("a string of attacks", "almost-daily strikes").
#: "a series of drone and missile attacks": many attacks, unless the text dates them to one day (a wave).
SERIES = re.compile(r"\b(?:series|string|spate|campaign)\s+of\b(?!\s+(?:[\w'-]+\s+){0,3}(?:targets|sites|positions|"
                    r"buildings|facilities|structures|infrastructure|launchers|posts|depots|weapons)\b)", _F)
#: ("struck a series of targets" is one sortie on many targets, not many attacks.)
HABIT = re.compile(r"\b(?:repeated(?:ly)?|frequent(?:ly)?|regular(?:ly)?|"
                   r"routine(?:ly)?|often|daily|almost-daily|nightly|weekly|continu(?:ed|ing|ous)|ongoing|"
                   r"increas\w*|stepped\s+up|escalat\w*|numerous|countless|every|each)\b", _F)
#: A span of time: attacks "since Oct. 17", "over the past two months", "in recent weeks" are a tally.
SPAN = re.compile(r"\b(?:since|so\s+far|to\s+date|over\s+the\s+(?:past|last)|in\s+the\s+(?:past|last)\s+(?:\w+\s+)?"
                  r"(?:days?|weeks?|months?|years?|decades?)|in\s+recent\s+(?:days|weeks|months|years|times)|recent(?:ly)?|"
                  r"for\s+(?:months|weeks|years|decades)|(?:more|over)\s+than\s+\d+|over\s+\d+|times|"
                  r"(?:days|weeks|months|years)\s+of)\b", _F)
#: Counted attacks of a tally ("55 attacks", "more than 200 Houthi attacks", "the eighth time").
COUNTED = re.compile(r"\b(?:\d{2,}|(?:five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                     r"hundreds?|dozens?)|many|numerous)\s+(?:[\w'-]+\s+){0,2}(?:attacks|strikes|times|"
                     r"operations|incidents|raids)\b", _F)
#: "the eighth time", "the fourth missile launch ... in the past two days": one of a series (its own date may
#: still make it one event: "for the third time on Nov. 13").
ORDINAL = re.compile(r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+"
                     r"(?:[\w-]+\s+){0,2}(?:time|such|attack|strike|launch|round)\b", _F)
#: Habitual or general statements ("Israel routinely fires missiles", "Houthis have attacked ships").
GENERAL = re.compile(r"\b(?:routinely|regularly|frequently|often|usually|typically|constantly|repeatedly|"
                     r"continues?\s+to|(?:has|have)\s+(?:also\s+)?been\s+(?:\w+\s+)?(?:waging|launching|firing|"
                     r"attacking|targeting|involved|engaged|conducting|carrying\s+out|striking|bombing|shelling)|"
                     r"\bcarries\s+out\b|\b(?:launches|conducts|stages|mounts)\s+(?!a\b|an\b)\w+|"
                     r"\b(?:began|begun|begins|started|starts)\s+(?:\w+\s+)?(?:bombing|shelling|attacking|striking|"
                     r"raids|strikes|attacks|bombardment|war|offensive|campaign)|\bstarted\s+a\s+campaign|"
                     r"(?:has|have)\s+(?:also\s+)?(?:stepped\s+up|intensified|increased|(?:carried\s+out|launched|"
                     r"fired|conducted|mounted|claimed)\s+(?:dozens|hundreds|scores|numerous|several|many|multiple)))\b",
                     _F)
#: A reference with no time of its own ("the anniversary of the strike that killed Soleimani").
TIMELESS = re.compile(r"\b(?:anniversary|memorial\s+for|commemorat\w*|in\s+memory\s+of|lessons?\s+of|"
                      r"history|legacy|decades?)\b", _F)

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "single": 1, "lone": 1, "another": 1, "two": 2, "pair": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 12, "several": 3,
    "multiple": 2, "scores": 20, "hundreds": 100, "both": 2,
}
#: Counts that are guesses of the writer: taken only when no figure is given.
VAGUE_NUMBERS = frozenset({"several", "multiple", "dozens", "scores", "hundreds", "many", "some", "a number"})
#: Words between a count and its weapon that change nothing ("a barrage of 14 rockets").
COUNT_FILLERS = frozenset({"of", "barrage", "salvo", "volley", "wave", "series", "number", "total", "least", "more",
                           "than", "some", "about", "around", "nearly", "over", "up", "to", "approximately", "at"})
DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "same", "his", "her", "our", "such"})
#: A token that ends the look-back for a count (a verb or preposition before the noun phrase).
COUNT_STOP = frozenset({"by", "with", "and", "on", "in", "from", "fired", "launched", "hit", "struck", "after",
                        "when", "as", "down", "shot", "intercepted", "downed", "said", "that", "for", "into", "toward",
                        "towards", "targeted", "were", "was", "had", "have", "has", "been", "using", "used"})

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|" \
       r"Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:night|morning|evening|afternoon|overnight)"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)"

#: Date phrases, in order of priority: (kind, regex). Matched spans are masked so a later kind cannot reuse them.
DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("since", re.compile(rf"\bsince\s+(?:(?:\d{{1,2}}\s+{_MON}|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:,?\s+(?:19|20)\d\d)?|"
                         rf"{_MON}(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d|{_WD})\b", _F)),
    ("explicit", re.compile(rf"\b(?:(?:on|late|early)\s+)?(?:{_WD},?\s+)?(?:\(?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+"
                            rf"(?:of\s+)?(?P<m1>{_MON})|\(?(?P<m2>{_MON})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)"
                            rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?\)?", _F)),
    ("relative_news", re.compile(rf"\b(?:just\s+|only\s+|barely\s+)?(?P<n>{_NUM}|hours|days|weeks|minutes)\s+"
                                 rf"(?P<unit>minutes?|hours?|days?|weeks?|months?)?\s*(?:after|before)\b", _F)),
    ("month", re.compile(rf"(?:\b(?:in|during|since|of|until|by|throughout|from)\s+(?:(?:early|late|mid)[\s-]+)?"
                         rf"|\b(?:early|late|mid)[\s-]+|\bthe\s+|\ba\s+)?(?P<m>{_MON})(?:\s+(?P<y>(?:19|20)\d\d))\b", _F)),
    ("month", re.compile(rf"\b(?:(?:at\s+)?the\s+(?:end|beginning|start|middle)\s+of|in|during|since|throughout|until|by)\s+(?:(?:early|late|mid)[\s-]+)?(?P<m>{_MON})(?!\s+\d)"
                         rf"|\b(?:early|late|mid)[\s-]+(?P<m_>{_MON})(?!\s+\d)"
                         rf"|\ban?\s+(?P<m__>{_MON})(?=\s+(?:[\w-]+\s+)?(?:attacks?|strikes?|raids?|skirmish|bombing|"
                         rf"assault|drone|rocket|missile|air\s?strike)s?\b)", _F)),  # "an August skirmish"
    ("same_day", re.compile(r"\b(?:earlier|later)\s+(?:in\s+the|that|the\s+same)\s+day\b|\b(?:on\s+)?the\s+same\s+day\b|"
                            r"\bhours\s+(?:earlier|later)\b|\bthat\s+(?:same\s+)?(?:night|evening|morning)\b|"
                            r"\bshortly\s+(?:before|after)(?:wards)?\b|\bsimultaneously\b|\bat\s+the\s+same\s+time\b|"
                            r"\bminutes\s+(?:later|earlier|after|before)\b|\bcoincid(?:ed|ing)\s+with\b", _F)),
    ("day_before", re.compile(r"\b(?:the\s+(?:day|night)\s+before|a\s+day\s+earlier|the\s+previous\s+(?:day|night))\b", _F)),
    ("day_after", re.compile(r"\b(?:the\s+(?:next|following)\s+day|a\s+day\s+later|the\s+day\s+after)\b", _F)),
    ("weekday", re.compile(rf"\b(?:(?:on|late|early|last|this|since|overnight|past)\s+)?(?P<wd>{_WD})(?:'s)?"
                           rf"(?:\s+{_PART})?\b", _F)),
    ("yesterday", re.compile(r"\b(?:yesterday|last\s+night)\b", _F)),
    ("today", re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", _F)),
    ("days_ago", re.compile(r"\b(?P<n>\d+|two|three|four|five|six)\s+days\s+(?:ago|earlier)\b", _F)),
    ("weekend", re.compile(r"\b(?:over|during|at|on)\s+the\s+weekend\b|\b(?:this|last)\s+(?:past\s+)?weekend\b", _F)),
    ("last_week", re.compile(r"\blast\s+week(?:end)?\b|\bthe\s+previous\s+week\b|\ba\s+week\s+(?:ago|earlier)\b", _F)),
    ("this_week", re.compile(r"\b(?:earlier\s+)?this\s+week\b|\bearlier\s+in\s+the\s+week\b", _F)),
    ("last_month", re.compile(r"\b(?:(?:early|late|mid)[\s-]+)?last\s+month\b|\ba\s+month\s+(?:ago|earlier)\b", _F)),
    ("this_month", re.compile(r"\b(?:earlier\s+)?this\s+month\b|\bearlier\s+in\s+the\s+month\b", _F)),
    ("year", re.compile(r"\b(?:in|during|of)\s+(?P<y>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)", _F)),
    ("last_year", re.compile(r"\blast\s+year\b|\ba\s+year\s+ago\b|\bthe\s+previous\s+year\b", _F)),
    ("vague", re.compile(r"\b(?:this|previous|past)\s+year\b|\byears?\s+ago\b|\b(?:months|weeks)\s+ago\b|"
                         r"\bsince\s+(?:19|20)\d\d\b|\bin\s+recent\s+(?:days|weeks|months|years)\b|\brecently\b", _F)),
)
#: A date phrase right after one of these dates the report, not the attack ("a source said on Sunday").
REPORT_VERB = re.compile(r"\b(?:said|says|say|told|announced|reported|confirmed|added|stated|declared|noted|"
                         r"tweeted|posted|wrote|claimed|denied|acknowledged|warned|vowed|threatened|stressed|urged|"
                         r"insisted|explained|revealed|disclosed|briefed|testified|according\s+to\s+[\w' ]{1,40}?)"
                         r"(?:\s+(?:in\s+a\s+statement|reporters|journalists|AFP|Reuters|AP|\w+))?\s*,?\s*$|"
                         r"\b(?:during|at|in)\s+(?:a|an|the|his|her|its|their)\s+$", _F)
#: A date phrase followed by one of these dates a statement ("During a Monday press conference").
REPORT_AFTER = re.compile(r"^\s+(?:\w+\s+)?(?:press\s+conference|news\s+conference|briefing|statement|interview|"
                          r"speech|address|meeting|session|summit|call)\b|"
                          r"^\s*,\s*(?:[\w.'-]+\s+){0,5}?(?:said|told|announced|reported|confirmed|stated|added|"
                          r"wrote|tweeted)\s+(?:\w+\s+){0,2}?that\b", _F)

#: Outcome cues, in order: the first that matches near the weapon wins.
OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("intercepted", re.compile(r"\b(?:shot\s+(?:\w+\s+)?down|shoot\s+down|intercept\w*|downed|brought\s+down|thwarted|"
                               r"foiled|repelled|destroyed\s+in\s+(?:the\s+)?(?:air|flight|mid-?air)|engaged\s+and\s+"
                               r"(?:eliminated|destroyed)|took\s+out\s+(?:the|a|an|two|three)\s+(?:drone|missile|rocket)s?)\b",
                               _F)),
    ("failed", re.compile(r"\b(?:fell\s+short|failed\s+to\s+(?:explode|detonate|launch|reach)|did\s+not\s+(?:explode|"
                          r"detonate)|didn't\s+(?:explode|detonate)|malfunction\w*|misfired|unexploded|defused|"
                          r"dismantled|found\s+(?:before|primed)|crashed\s+(?:short|before)|fell\s+in\s+(?:open|"
                          r"an\s+open|empty|the\s+sea|the\s+water))\b", _F)),
    ("impact", re.compile(r"\b(?:hit|hits|struck|strikes?\s+hit|land(?:ed|ing)|slamm\w*|impact\w*|explod\w*|"
                          r"crashed\s+(?:into|on)|damag\w*|destroy\w*|kill\w*|wound\w*|injur\w*|set\s+fire|rocked|"
                          r"martyred|dead|died|assassinat\w*)\b", _F)),
)

#: Actors: canonical name -> aliases. Specific names first ("Iran-backed militias" before "Iran").
ACTORS: dict[str, str] = {
    "Kata'ib Sayyid al-Shuhada": r"Kata'?'?e?ib\s+Sayy?id\s+al-Shuhada+",
    "Kata'ib Hezbollah": r"Kata'?'?e?ib\s+Hez?[bi]?[uo]?llah|Kata'?'?e?b\s+Hez?b[uo]llah|Kataib\s+Hizb[uo]llah",
    "Harakat al-Nujaba": r"(?:Harakat\s+)?(?:Hezbollah\s+)?al-Nujaba",
    "Saraya Awliya al-Dam": r"(?:Saraya\s+)?Awliy?a'?a?\s+al-Dam|Guardians\s+of\s+(?:the\s+)?Blood(?:\s+Brigade)?",
    "Asa'ib Ahl al-Haq": r"Asa'?ib\s+Ahl\s+al-Haq",
    "Islamic Resistance in Iraq": r"Islamic\s+Resistance\s+in\s+Iraq",
    "Houthis": r"Houthis?|Huthis?|Ansar\s*Allah",
    "Hezbollah": r"Hez?[bi]z?[bu]?[ou]llah|Hizbullah",
    "Hamas": r"Hamas(?:-led)?|Qassam\s+Brigades",
    "Palestinian Islamic Jihad": r"(?:Palestinian\s+)?Islamic\s+Jihad",
    "PKK": r"PKK|Kurdistan\s+Workers'?\s+Party",
    "SDF": r"SDF|Syrian\s+Democratic\s+Forces",
    "Islamic State": r"Islamic\s+State|ISIS|ISIL|Daesh|IS(?=\s+(?:claimed|militants|fighters|group))",
    "Iran-backed militias": r"(?:Iran(?:ian)?-(?:backed|aligned|allied|linked|supported)|pro-Iran(?:ian)?)\s+"
                            r"(?:Shi(?:'|i)?(?:te|a)\s+)?(?:militias?|militia\s+groups?|(?:armed\s+)?groups?|factions?|"
                            r"militants?|fighters?|paramilitar\w*|forces)",
    "Saudi-led coalition": r"Saudi-led\s+coalition|Saudi\s+(?:warplanes|jets|air\s+force)",
    "US-led coalition": r"U\.?S\.?-led\s+coalition|the\s+coalition",
    "Iran": r"Iran(?![-\w])|Iranian(?!-)|IRGC|(?:Islamic\s+)?Revolutionary\s+Guards?(?:\s+Corps)?|Quds\s+Force",
    "United States": r"(?:the\s+)?(?:US|U\.S\.|United\s+States|American|Pentagon|Washington|CENTCOM)(?![-\w])",
    "United Kingdom": r"(?:the\s+)?(?:UK|U\.K\.|United\s+Kingdom|British|Britain|Royal\s+Air\s+Force|RAF)(?![-\w])",
    "Israel": r"Israel(?:i)?(?![-\w])|IDF|Israel\s+Defen[cs]e\s+Forces",
    "Turkey": r"Turk(?:ey|ish|iye)(?![-\w])|T[uü]rkiye|Ankara",
    "Russia": r"Russian?(?![-\w])|Moscow",
    "Syria": r"Syrian\s+(?:government|regime|army|forces|military|troops|warplanes|jets)|Assad\s+(?:regime|forces)",
    "Jordan": r"Jordan(?:ian)?\s+(?:air\s+force|army|military|jets|warplanes)",
}
ACTOR_RX = re.compile(r"\b(?:" + "|".join(f"(?P<a{i}>{v})" for i, v in enumerate(ACTORS.values())) + r")", _F)
ACTOR_NAMES: tuple[str, ...] = tuple(ACTORS)
#: Actors that announce their own strikes: when a report names them as the doer, that is their claim.
STATES = frozenset({"United States", "United Kingdom", "US-led coalition", "Israel", "Turkey", "Russia", "Iran",
                    "Saudi-led coalition", "Syria", "Jordan"})
#: The same actor under two names (a coalition and its lead state).
SAME_ACTOR = {"US-led coalition": "United States", "Iran-backed militias": "Iran-backed militias"}

CLAIM = re.compile(r"\b(?:claimed\s+(?:responsibility|the\s+(?:attack|strike)s?|credit)|claim(?:ed|s)?\s+"
                   r"responsibility|took\s+responsibility|said\s+(?:it|they)\s+(?:had\s+)?(?:carried\s+out|launched|"
                   r"conducted|fired|targeted|struck|attacked|hit)|announced\s+(?:that\s+)?(?:it|they)\s+had)\b", _F)
NO_CLAIM = re.compile(r"\b(?:no(?:\s+one|\s+group|body)?\s+(?:\w+\s+){0,2}claimed|no\s+(?:immediate\s+)?claims?|"
                      r"(?:not|yet\s+to\s+be)\s+(?:immediately\s+)?claimed|unclaimed|denied|have\s+claimed|has\s+claimed)\b", _F)
BLAME = re.compile(r"\b(?:blam\w*|accus\w*|attribut\w*|held\s+responsible|holds?\s+\w+\s+responsible|pinned\s+\w+\s+on|"
                   r"suspected|believed\s+to\s+be\s+behind|(?:was|were|is|are)\s+responsible\s+for)\b", _F)
#: Verbs whose subject is the doer ("Houthis launched", "US forces carried out").
DOER_VERB = re.compile(r"^\s*(?:'s\s+)?(?:(?:elite|army|armed|air|military|naval|special)\s+)?(?:forces?|force|troops|"
                       r"military|militaries|army|air\s+force|navy|jets?|aircraft|warplanes?|drones?|rebels?|fighters?|"
                       r"militants?|militias?|group|movement|officials?|said\s+(?:it|they)|has|have|had|also|then|"
                       r"on\s+\w+|,)?(?:\s+(?:has|have|had|also|then|reportedly|allegedly))*"
                       r"(?:\s+(?:was|were|is|are)\s+(?:also\s+)?(?:reported|said|believed|thought)\s+to\s+have)?"
                       r"\s*(?:\w+\s+)?"
                       r"(?<!was\s)(?<!were\s)(?<!been\s)(?<!is\s)(?<!are\s)"
                       r"(?:fired|launched|carried\s+out|conducted|struck|strikes?|targeted|targets|attacked|attacks?|"
                       r"retaliated\s+with|responded\s+with|hit\s+back\s+with|"
                       r"bombed|bombs|sent|hit|hits|used|pounded|shelled|raided|assassinated)\b", _F)

FATAL_ZERO = re.compile(r"\b(?:no\s+(?:immediate\s+)?(?:reported\s+)?(?:casualties|deaths|fatalities|injuries|"
                        r"one\s+was\s+(?:killed|hurt|injured|wounded))|no\s+(?:immediate\s+)?reports?\s+of\s+"
                        r"(?:casualties|injuries|deaths)|without\s+(?:causing\s+)?(?:any\s+)?(?:casualties|injuries)|"
                        r"caus(?:ed|ing)\s+no\s+(?:\w+\s+)?(?:casualties|injuries|deaths)|(?:nobody|no\s+one|no-one)\s+"
                        r"was\s+(?:killed|hurt|injured|wounded|harmed)|there\s+were\s+no\s+(?:\w+\s+)?(?:casualties|"
                        r"injuries|deaths))\b", _F)
WOUND_ZERO = re.compile(r"\b(?:no\s+(?:immediate\s+)?(?:reported\s+)?(?:casualties|injuries)|no\s+(?:one|body)\s+was\s+"
                        r"(?:hurt|injured|wounded)|without\s+(?:causing\s+)?(?:any\s+)?(?:casualties|injuries)|"
                        r"caus(?:ed|ing)\s+no\s+(?:\w+\s+)?(?:casualties|injuries)|there\s+were\s+no\s+(?:\w+\s+)?"
                        r"(?:casualties|injuries))\b", _F)

#: A ship's route or an organisation's seat, told before a place phrase or country name: no attack place there
#: ("on its way to Bulgaria after leaving Khorfakkan in the UAE", "a Liberian-flagged tanker", "a monitor based in").
ROUTE = re.compile(r"(?:\b(?:en\s+route|bound\s+for|heading\s+(?:to|for)|sailing\s+(?:from|to)|on\s+(?:its|her)\s+way|"
                   r"after\s+(?:leaving|departing)|having\s+left|departed(?:\s+from)?|destined\s+for)\b"
                   r"[^,;.]{0,45}|\b(?:based|headquartered|registered|flagged)\s+(?:in\s+(?:the\s+)?)?)$", re.I)
#: Where a place phrase starts: the preposition and the noun phrase after it, up to a clause break.
PLACE_RX = re.compile(
    r"(?=\b(?P<prep>at|near|in|on|off|outside|inside|over|targeting|targeted|against|hit|hitting|struck|striking|"
    r"toward|through|around|pounded|"
    r"towards|into|across|rocked|bombed|attacked|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+"
    r"(?!(?:the\s+)?(?:support|solidarity|response|retaliation|revenge|protest|hono(?:u)?r|memory|addition|order|part|"
    r"particular|total|fact|turn|return|exchange|charge|control|coordination|cooperation|light|view|wake|lead|"
    r"front|favou?r|spite|case|terms|line|talks|recent|tandem|parallel|least|most|first|times?|night|dawn|noon|"
    r"midnight|around|about|once|all|large|length|risk|stake|odds|war|peace|power|the\s+(?:wake|lead|face)\s+of)\b)"
    r"(?P<p>(?:(?!\b(?:on|late|early|earlier|later|last|this|yesterday|today|overnight|killing|wounding|injuring|"
    r"will|would|was|were|is|are|has|have|had|be|been|being|could|may|might|can|did|does|do|"
    r"causing|but|which|where|while|after|before|as|when|according|said|says|with|without|from|by|that|who|"
    r"for|since|during|amid|following|leaving|to|and\s+(?:the|a|an|its|their|killed|wounded|injured)|"
    r"in\s+(?:late|early|mid|recent|(?:19|20)\d\d|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"an?\s+|the\s+(?:attack|strike)|response|retaliation))\b)[^,;.()\"“”—–])+))", _F)  # a lookahead: overlapping
#: Nouns that make a place phrase a target as well ("a base hosting US troops").
TARGET_NOUNS = re.compile(r"\b(?:base|air\s?base|airfield|airport|embassy|consulate|convoy|troops|forces|facilit\w*|"
                          r"sites?|positions?|headquarters|camp|garrison|outpost|oil\s?field|gas\s?field|compound|"
                          r"depots?|warehouses?|refinery|plant|installation|vehicles?|car|patrol|checkpoint|crossing|"
                          r"ships?|vessels?|tankers?|port|school|hospital|home|house|building)\b", _F)

#: ACLED event_type and sub_event_type of a candidate: by outcome first, then by weapon.
ACLED_BY_OUTCOME = {"intercepted": ("Strategic developments", "Disrupted weapons use")}
ACLED_BY_WEAPON = {
    "drone": ("Explosions/Remote violence", "Air/drone strike"),
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "ied": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "small_arms": ("Battles", "Armed clash"),
}
ACLED_DEFAULT = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
