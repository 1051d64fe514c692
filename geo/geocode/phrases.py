"""The phrase patterns of place descriptions: relations ("near X", "N km north of X", "between X and Y"), kind words
("X village", "the town of X", "X district"), parts ("northern X", "western countryside of X") and the words that
mark a person rather than a place ("Col.", "spokesman")."""

from __future__ import annotations

import re

#: The farthest offset taken: "N km <dir> of X" with a larger N is no place description (a typo or an attack).
MAX_OFFSET_KM = 300.0
BEARINGS = {"n": 0, "north": 0, "ne": 45, "northeast": 45, "e": 90, "east": 90, "se": 135, "southeast": 135,
            "s": 180, "south": 180, "sw": 225, "southwest": 225, "w": 270, "west": 270, "nw": 315, "northwest": 315}
_DIR = r"(north|south|east|west|north ?-?east|north ?-?west|south ?-?east|south ?-?west|ne|nw|se|sw|n|s|e|w)"
OFFSET = re.compile(r"^(?:about |some |around |approximately |roughly |nearly |~)?(\d+(?:[.,]\d+)?(?:e[+-]?\d+)?)\s*-?\s*"
                    r"(km|kms|kilometers?|kilometres?|mi|miles?)\s+(?:to the )?" + _DIR + r"(?:ern)?\s+(?:of\s+)?(.+)$")
DISTANCE = re.compile(r"^(?:about |some |around |approximately |roughly |nearly |~)?(\d+(?:[.,]\d+)?(?:e[+-]?\d+)?)\s*-?\s*"
                      r"(km|kms|kilometers?|kilometres?|mi|miles?)\s+(?:from|away from|outside|of)\s+(.+)$")
BETWEEN = re.compile(r"^(?:somewhere |on the road |the road |the area |the highway |the route )?between\s+(.+?)"
                     r"\s+and\s+(.+)$")
NEAR = re.compile(r"^(?:near|nearby|close to|next to|around|in the vicinity of|vicinity of|in the area of|not far from|"
                  r"just outside|outside|on the edge of|in the surroundings of|surroundings of|the area of|area of|"
                  r"on the outskirts of|the vicinity of)\s+(.+)$")
OUTSKIRTS = re.compile(r"^(?:on |in |at )?(?:the )?(?:(?:north|south|east|west|northern|southern|eastern|western|"
                       r"north-?eastern|north-?western|south-?eastern|south-?western)\s+)?"
                       r"(outskirts|suburbs|edge|countryside|rural areas|environs|part|parts|side|periphery|"
                       r"desert|badia|plains|hills|north|south|east|west|centre|center) of\s+(.+)$")
SUFFIX_NEAR = re.compile(r"^(.+?)\s+(area|vicinity|countryside|outskirts|suburbs|environs|surroundings|"
                         r"area of|region|surrounding areas?)$")
#: "off the coast of Yemen", "off Hodeidah", "in the waters off Eilat": at sea beside X (a ship, a boat).
OFFSHORE = re.compile(r"^(?:just |far )?(?:off|offshore|in the waters off|in waters off|the waters off|waters off)"
                      r"\s+(?:the )?(?:(?:coast|coasts|coastline|shore|shores)\s+of\s+)?(.+)$")
PREP = re.compile(r"^(?:in|at|inside|on|from|into|over|within|across|towards?|hit|struck|targeting)\s+(.+)$")
OF = re.compile(r"^((?:(?:cities|towns|villages|areas|city|town|village)(?: and | or |, ))?(?:town|city|village|"
                r"towns|cities|villages|district|subdistrict|sub-district|province|governorate|region|area|areas|"
                r"neighbou?rhood|quarter|camp|locality|municipality|hamlet|outpost|suburb)) of\s+(.+)$")
CAPITAL = re.compile(r"^(?:the )?(?:capital|provincial capital|regional capital|capital city|city|town)\s+(?:of\s+)?"
                     r"(.+)$")
SUFFIX_KIND = re.compile(r"^(.+?)\s+(town|city|village|villages|hamlet|locality|neighbou?rhood|quarter|location|"
                         r"settlement|municipality|farms?|refugee camp|camp|market|township|hamlets|"
                         r"city center|city centre|downtown)$")
DISTRICT = re.compile(r"^(?:mintaqat|mantiqat|nahiyat|nahiya|markaz|qada|qadaa|district of|subdistrict of)\s+(.+)$"
                      r"|^(.+?)\s+(?:district|subdistrict|sub-district|nahiya|nahiyah|qada|county|tehsil|"
                      r"sub-division|subdivision|agency|upazila)$")
#: "the Colinas del Sol neighbourhood", "colonia Obrera": a part of a city, named by a name that villages elsewhere bear
NEIGHBOURHOOD = re.compile(r"^(?:in\s+)?(?:the\s+)?(?:(?:colonia|colony|barrio|fraccionamiento)\s+(?P<a>.+)|"
                           r"(?P<b>.+?)\s+(?:neighbou?rhoods?|subdivision|colonia|colony|quarter|barrio))$", re.I)
AREA_TAIL = re.compile(r"^(.+?)\s+(?:governorate|province|state|region|prefecture|wilayah|division)$")
PART = re.compile(r"^(northern|southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|"
                  r"south-?western|north|south|east|west|northeast|northwest|southeast|southwest)\s+(.+)$")
VAGUE = re.compile(r"^(?:(?:an?|one|the|another)\s+)?(?P<what>(?:[\w-]+\s+){0,3}?(?:base|air ?base|air ?field|airport|"
                   r"facility|installation|garrison|camp|outpost|position|site))\b(?P<mid>.*?)\s"
                   r"(?:in|near|at|outside|of)\s+(?P<where>.+)$")
US = re.compile(r"\b(us|u s|american|coalition|troops|forces|international|western)\b")
#: Words after which the next capitalised words are a person's name, not a place.
TITLES = frozenset({"col", "colonel", "gen", "general", "brig", "brigadier", "lt", "lieutenant", "maj", "major",
                    "capt", "captain", "sgt", "sergeant", "adm", "admiral", "cmdr", "commander", "mr", "mrs", "ms",
                    "dr", "sheikh", "spokesman", "spokeswoman", "spokesperson", "minister", "president", "governor",
                    "mayor", "named", "pvt", "cpl", "corporal", "officer"})
PLACE_PREPS = frozenset({"in", "at", "near", "of", "outside", "around", "from", "to", "into", "inside"})
STOP = PLACE_PREPS | frozenset({"the", "a", "an", "and", "or", "with", "by", "for", "was", "were", "is", "are", "has",
                                "had", "on", "fell", "hit", "rocket", "rockets", "drone", "drones", "attack",
                                "attacks", "attacked", "struck", "strike", "killed", "military", "forces", "troops",
                                "american", "coalition", "militia", "group"})


def person_tokens(tokens: list[str]) -> set[int]:
    """Indices of tokens that belong to a person's name: up to three capitalised words after a title or rank."""
    out: set[int] = set()
    for j, t in enumerate(tokens):
        if t.casefold().rstrip(".") in TITLES:
            k = j + 1
            while k < len(tokens) and k <= j + 3 and tokens[k][:1].isupper():
                out.add(k)
                k += 1
    return out
