"""Source taxonomies -> our weapon_type and outcome: tables (data), applied column-wise.

``ACLED_RULES`` is read top to bottom; the first rule whose event_type, sub_event_type and notes keyword all match a
row decides its weapon and outcome (``None`` = any; an outcome of ``None`` keeps what an earlier column gave).
ACLED merges air and drone strikes, and rockets with artillery, so the notes decide where they say more; without a
keyword the sub-event type's broadest honest reading is used. The ACLED columns are kept beside ours.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

# Keyword patterns (case-insensitive regular expressions), shared by every reader and the news extractor.
KW_DRONE = r"\bdrones?\b|\buavs?\b|unmanned aerial|\bquadcopter|\bmq-9|\breaper\b|shahed"
KW_ROCKET = r"\brockets?\b|katyusha|\b10[67]\s?mm\b|\b122\s?mm\b|\bgrad\b"
KW_MORTAR = r"\bmortars?\b"
KW_BALLISTIC = r"ballistic|\bfateh\b|\bqiam\b|\bscud\b"
KW_CRUISE = r"cruise missile"
KW_AIR = r"\bair ?strikes?\b|\bwarplanes?\b|\bjets?\b|\bfighter|\bbombers?\b|\baircraft\b|\bf-1[56]\b|helicopter"
KW_ARTILLERY = r"artillery|\bshell(?:ing|ed|s)?\b|\btanks?\b|howitzer"
KW_IED = r"\bied\b|improvised explosive|roadside bomb|landmine|\bmines?\b|car bomb|vbied|suicide|booby[- ]?trap"
KW_SMALL_ARMS = r"gunfire|\bgunmen\b|small arms|\brifles?\b|machine gun|\brpgs?\b|\bshot dead\b|\bopened fire"
KW_INTERCEPTED = r"shot down|intercept|downed|c-ram|air defen[cs]e|destroyed in the air"
KW_FAILED = r"defus|dismantl|\bfound\b|\bseized\b|discovered|fell short|failed to|misfire|did not explode"

#: Keyword -> weapon, in order of precedence (a drone that drops a mortar round is a drone attack).
WEAPON_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("drone", KW_DRONE),
    ("ballistic_missile", KW_BALLISTIC),
    ("cruise_missile", KW_CRUISE),
    ("rocket", KW_ROCKET),
    ("mortar", KW_MORTAR),
    ("ied", KW_IED),
    ("airstrike", KW_AIR),
    ("artillery", KW_ARTILLERY),
    ("small_arms", KW_SMALL_ARMS),
)

E, S = "Explosions/Remote violence", "Strategic developments"
#: Event types of ACLED's layouts before 2019 (API v1, the running and version files): no sub_event_type.
OLD_REMOTE, OLD_STRATEGIC = "Remote violence", "Strategic development"
OLD_BATTLES = ("Battle-No change of territory", "Battle-Government regains territory",
               "Battle-Non-state actor overtakes territory")
#: A bomb that no aircraft dropped: old "Remote violence" rows name crude and hand-made bombs so.
KW_BOMB = r"\bbomb(?:s|ing|ings|ed)?\b|explosive device|\bexplosives?\b"
#: Explosives that old "Strategic development" notes name when a bomb was defused or a device found.
KW_EXPLOSIVE = r"\bbombs?\b|explosive|\bied\b|\bmissiles?\b|\brockets?\b|\bmortars?\b|\bdrones?\b|\bmines?\b|grenade"

#: (event_type(s), sub_event_type, notes keyword, weapon_type, outcome); first match wins.
ACLED_RULES: tuple[tuple[str | tuple[str, ...] | None, str | None, str | None, str, str], ...] = (
    (E, "Air/drone strike", KW_DRONE, "drone", "impact"),
    (E, "Air/drone strike", None, "airstrike", "impact"),
    (E, "Shelling/artillery/missile attack", KW_DRONE, "drone", "impact"),
    (E, "Shelling/artillery/missile attack", KW_BALLISTIC, "ballistic_missile", "impact"),
    (E, "Shelling/artillery/missile attack", KW_CRUISE, "cruise_missile", "impact"),
    (E, "Shelling/artillery/missile attack", KW_ROCKET, "rocket", "impact"),
    (E, "Shelling/artillery/missile attack", KW_MORTAR, "mortar", "impact"),
    (E, "Shelling/artillery/missile attack", None, "artillery", "impact"),
    (E, "Remote explosive/landmine/IED", None, "ied", "impact"),
    (E, "Suicide bomb", None, "ied", "impact"),
    (E, "Grenade", None, "other", "impact"),
    (E, "Chemical weapon", None, "other", "impact"),
    (S, "Disrupted weapons use", KW_DRONE, "drone", "intercepted"),
    (S, "Disrupted weapons use", KW_BALLISTIC, "ballistic_missile", "intercepted"),
    (S, "Disrupted weapons use", KW_CRUISE, "cruise_missile", "intercepted"),
    (S, "Disrupted weapons use", KW_ROCKET, "rocket", "intercepted"),
    (S, "Disrupted weapons use", KW_MORTAR, "mortar", "intercepted"),
    (S, "Disrupted weapons use", KW_IED, "ied", "failed"),
    (S, "Disrupted weapons use", None, "unknown", "intercepted"),
    ("Battles", None, None, "small_arms", "impact"),
    ("Violence against civilians", None, None, "unknown", "impact"),
    # the layouts before 2019: remote violence says nothing of the weapon but what its notes say
    (OLD_REMOTE, None, KW_DRONE, "drone", "impact"),
    (OLD_REMOTE, None, KW_BALLISTIC, "ballistic_missile", "impact"),
    (OLD_REMOTE, None, KW_CRUISE, "cruise_missile", "impact"),
    (OLD_REMOTE, None, KW_ROCKET, "rocket", "impact"),
    (OLD_REMOTE, None, KW_MORTAR, "mortar", "impact"),
    (OLD_REMOTE, None, KW_IED, "ied", "impact"),
    (OLD_REMOTE, None, KW_AIR, "airstrike", "impact"),
    (OLD_REMOTE, None, KW_ARTILLERY, "artillery", "impact"),
    (OLD_REMOTE, None, KW_BOMB, "ied", "impact"),  # (after air: "jets dropped bombs" is an airstrike)
    (OLD_REMOTE, None, None, "unknown", "impact"),
    (OLD_BATTLES, None, None, "small_arms", "impact"),
    (OLD_STRATEGIC, None, KW_DRONE, "drone", "intercepted"),
    (OLD_STRATEGIC, None, KW_BALLISTIC, "ballistic_missile", "intercepted"),
    (OLD_STRATEGIC, None, KW_ROCKET, "rocket", "intercepted"),
    (OLD_STRATEGIC, None, KW_MORTAR, "mortar", "intercepted"),
    (OLD_STRATEGIC, None, KW_IED + r"|\bbombs?\b|explosive", "ied", "failed"),
    (None, None, None, "other", "unknown"),
)

#: Old event type -> (today's event_type, sub_event_type): kept beside the original in ``source_event_type``.
ACLED_OLD_TYPES: dict[str, tuple[str | None, str | None]] = {
    OLD_REMOTE: (E, None),
    "Battle-No change of territory": ("Battles", "Armed clash"),
    "Battle-Government regains territory": ("Battles", "Government regains territory"),
    "Battle-Non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "Violence against civilians": ("Violence against civilians", None),
    "Riots/Protests": (None, None),  # riots and protests were one type: today's two cannot be told apart
    OLD_STRATEGIC: (S, None),
    "Non-violent transfer of territory": (S, "Non-violent transfer of territory"),
    "Headquarters or base established": (S, "Headquarters or base established"),
}
#: Every event type ACLED has used, by its lower-case spelling (files capitalise them differently over the years).
ACLED_TYPE_SPELLINGS: dict[str, str] = {
    **{t.lower(): t for t in (E, S, "Battles", "Violence against civilians", "Protests", "Riots")},
    **{t.lower(): t for t in ACLED_OLD_TYPES}, **{t.lower(): t for t in OLD_BATTLES},
    "battle-non-state actors overtake territory": "Battle-Non-state actor overtakes territory",
}
#: Old event types imported by default; old strategic developments only where the notes say a weapon was stopped.
ACLED_OLD_DEFAULT_TYPES: tuple[str, ...] = (OLD_REMOTE, *OLD_BATTLES, "Violence against civilians")

#: Outcome overrides from the notes, applied after the rules (an air strike "intercepted" was not an impact).
OUTCOME_KEYWORDS: tuple[tuple[str, str], ...] = (("intercepted", KW_INTERCEPTED), ("failed", KW_FAILED))

#: ACLED event types imported by default (attacks and disrupted attacks); the rest are reported as out of scope.
ACLED_DEFAULT_TYPES: tuple[str, ...] = (E, "Battles", "Violence against civilians", f"{S}/Disrupted weapons use")

#: ACLED's numeric inter codes (older files and the numeric export option) -> their text.
ACLED_INTER: dict[str, str] = {
    "0": "", "1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
    "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces",
}

#: GDELT CAMEO event code prefix -> weapon (longest prefix wins).
CAMEO_WEAPONS: dict[str, str] = {
    "183": "ied", "1831": "ied", "1832": "ied", "1833": "ied", "1834": "ied",
    "193": "small_arms", "194": "artillery", "195": "airstrike", "1951": "airstrike", "1952": "drone",
    "204": "other", "2041": "other", "2042": "other",
}


def contains(text: pd.Series, pattern: str) -> np.ndarray:
    """Rows whose text matches ``pattern`` (case-insensitive), by polars' multi-threaded regex."""
    return Matcher(text, distinct=False).contains(pattern)


class Matcher:
    """Keyword tests over one text column, converted to polars once.

    When the column repeats (fewer distinct texts than half its rows, counted on a hash per row) each distinct text
    is tested once per pattern and the answer spread by code; otherwise the rows asked about are tested.
    """

    def __init__(self, text: pd.Series, *, distinct: bool = True) -> None:
        if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
            arr = pa.array(text.array)
        else:
            arr = pa.array(text.astype("str").where(text.notna()).to_numpy(dtype=object), pa.string(),
                           from_pandas=True)
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        self.series = pl.Series("t", arr, dtype=pl.String)
        self.codes: np.ndarray | None = None
        self.memo: dict[str, np.ndarray] = {}
        if distinct and len(self.series) and _repeats(self.series):
            encoded = arr.dictionary_encode()
            self.codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)
            self.series = pl.Series("t", encoded.dictionary, dtype=pl.String)

    def contains(self, pattern: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Whether each row (of ``rows``, every row by default) matches ``pattern``, case-insensitive."""
        if self.codes is None:
            part = self.series if rows is None else self.series.gather(rows)
            return part.str.contains("(?i)" + pattern).fill_null(False).to_numpy()
        if pattern not in self.memo:
            hits = self.series.str.contains("(?i)" + pattern).fill_null(False).to_numpy()
            self.memo[pattern] = np.append(hits, False)  # (the place of a missing text)
        return self.memo[pattern][self.codes if rows is None else self.codes[rows]]


def _repeats(series: pl.Series, sample: int = 4096) -> bool:
    """Whether the column holds at most half as many distinct texts as rows. An evenly spread sample answers first
    when its texts are mostly distinct (real notes are: a hash of every note would be spent for nothing); the
    answer only chooses how the same results are computed."""
    n = len(series)
    if n > 4 * sample:
        at = np.linspace(0, n - 1, sample).astype(np.int64)
        if series.gather(at).n_unique() > sample // 2:
            return False
    return series.hash().n_unique() <= n // 2  # (hashes: half the cost; a collision can only say "repeats")


def weapon_from_text(text: pd.Series, default: str = "unknown") -> np.ndarray:
    """Weapon named in free text (headline, notes, description), by ``WEAPON_KEYWORDS`` precedence."""
    out = np.full(len(text), default, dtype=object)
    todo = np.ones(len(text), dtype=bool)
    for weapon, pattern in WEAPON_KEYWORDS:
        if not todo.any():
            break
        hit = np.zeros(len(text), dtype=bool)
        hit[todo] = contains(text[todo], pattern)
        out[hit] = weapon
        todo &= ~hit
    return out


def acled_weapons(event_type: pd.Series, sub_type: pd.Series, notes: pd.Series | Matcher
                  ) -> tuple[pd.Categorical, pd.Categorical]:
    """Apply ``ACLED_RULES`` and ``OUTCOME_KEYWORDS``: a few column operations per rule, none per row.

    Returns the weapon and outcome of each row as categoricals of the schema's vocabularies.
    """
    from geo.schema import VOCAB_DTYPES

    weapons, outcomes = VOCAB_DTYPES["weapon_type"], VOCAB_DTYPES["outcome"]
    w_code = {w: i for i, w in enumerate(weapons.categories)}
    o_code = {o: i for i, o in enumerate(outcomes.categories)}
    n = len(event_type)
    weapon = np.full(n, w_code["other"], dtype=np.int8)
    outcome = np.full(n, o_code["unknown"], dtype=np.int8)
    todo = np.ones(n, dtype=bool)
    # compare small integer codes, not a million strings per rule (an export has a dozen types)
    et, et_values = pd.factorize(event_type)  # (missing: -1, which no rule names)
    st, st_values = pd.factorize(sub_type)
    et_is, st_is = _rows_of(et, et_values), _rows_of(st, st_values)
    text = notes if isinstance(notes, Matcher) else Matcher(notes)
    et_held, st_held = set(et_values), set(st_values)
    for etype, sub, keyword, w, o in ACLED_RULES:
        if (etype is not None and et_held.isdisjoint((etype,) if isinstance(etype, str) else etype)
                or sub is not None and sub not in st_held):
            continue  # no row holds its type (most rules name types of one layout): it would match none
        hit = todo.copy()
        if etype is not None:
            hit &= et_is((etype,) if isinstance(etype, str) else etype)
        if sub is not None:
            hit &= st_is((sub,))
        if keyword is not None and hit.any():
            sel = np.flatnonzero(hit)
            hit[sel] = text.contains(keyword, sel)
        weapon[hit], outcome[hit] = w_code[w], o_code[o]
        todo &= ~hit
    attack = et_is((E, S, OLD_REMOTE, OLD_STRATEGIC))
    for o, pattern in OUTCOME_KEYWORDS:
        sel = np.flatnonzero(attack & (outcome == o_code["impact"]))
        if len(sel):
            hit = text.contains(pattern, sel)
            outcome[sel[hit]] = o_code[o]
    return pd.Categorical.from_codes(weapon, dtype=weapons), pd.Categorical.from_codes(outcome, dtype=outcomes)


def acled_disrupted(notes: pd.Series) -> np.ndarray:
    """Old "Strategic development" rows whose notes say an explosive or missile was stopped (defused, shot down)."""
    stopped = contains(notes.fillna(""), KW_INTERCEPTED) | contains(notes.fillna(""), KW_FAILED)
    return stopped & contains(notes.fillna(""), KW_EXPLOSIVE)


def acled_modern_types(event_type: pd.Series, sub_type: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Today's (event_type, sub_event_type) for each row: old types mapped by ``ACLED_OLD_TYPES``, others as given.

    Works on the distinct values (categoricals): a million rows cost a few array lookups.
    """
    et, sub = event_type.astype("category").cat, sub_type.astype("category").cat
    if not any(c in ACLED_OLD_TYPES for c in et.categories):
        return event_type, sub_type
    modern = [ACLED_OLD_TYPES.get(c, (c, None)) for c in et.categories]
    types = pd.Index(dict.fromkeys(t for t, _ in modern if t is not None), dtype="object")
    subs = pd.Index(dict.fromkeys([*sub.categories, *(s for _, s in modern if s is not None)]), dtype="object")
    et_codes = np.append(types.get_indexer([t for t, _ in modern]), -1)[et.codes.to_numpy()]
    implied = np.append(subs.get_indexer([s for _, s in modern]), -1)[et.codes.to_numpy()]
    given = np.append(subs.get_indexer(sub.categories), -1)[sub.codes.to_numpy()]
    sub_codes = np.where(given >= 0, given, implied)
    return (pd.Series(pd.Categorical.from_codes(et_codes, categories=types), index=event_type.index),
            pd.Series(pd.Categorical.from_codes(sub_codes, categories=subs), index=event_type.index))


def _rows_of(codes: np.ndarray, values: pd.Index):
    """values -> which rows hold one of them: a lookup table per distinct value, indexed by each row's code."""
    position = {v: i for i, v in enumerate(values)}

    def rows(wanted: tuple[str, ...]) -> np.ndarray:
        table = np.zeros(len(values) + 1, dtype=bool)  # (the last place: a missing value, code -1)
        table[[position[v] for v in wanted if v in position]] = True
        return table[codes]
    return rows


def cameo_weapons(codes: pd.Series) -> np.ndarray:
    """Weapon of each CAMEO event code by its longest known prefix; ``unknown`` otherwise."""
    out = np.full(len(codes), "unknown", dtype=object)
    text = codes.fillna("").astype("str")
    for prefix in sorted(CAMEO_WEAPONS, key=len):
        out[text.str.startswith(prefix).to_numpy(dtype=bool)] = CAMEO_WEAPONS[prefix]
    return out


def acled_types_given(event_type: pd.Series) -> bool:
    """Whether a table's event type column holds ACLED's own types (a table cut from an ACLED export)."""
    from geo.schema import ACLED_EVENT_TYPES

    known = {*ACLED_EVENT_TYPES, *ACLED_OLD_TYPES}
    return bool(event_type.dropna().str.strip().isin(known).any())


def acled_in_scope(event_type: pd.Series, sub_type: pd.Series) -> np.ndarray:
    """Rows whose ACLED type is an attack or a disrupted attack (``ACLED_DEFAULT_TYPES``, the older layout's
    ``ACLED_OLD_DEFAULT_TYPES``): what the ACLED reader takes by default. Decided once per distinct pair."""
    pair = event_type.fillna("").str.strip() + "\x1f" + sub_type.fillna("").str.strip()  # (types hold "/")
    codes, pairs = pd.factorize(pair)
    keep = np.array([t in ACLED_DEFAULT_TYPES or f"{t}/{sub}" in ACLED_DEFAULT_TYPES or t in ACLED_OLD_DEFAULT_TYPES
                     for t, sub in (p.split("\x1f") for p in pairs)], dtype=bool)
    return keep[codes] if len(keep) else np.zeros(len(pair), dtype=bool)

