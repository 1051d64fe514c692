"""News reports -> candidate events (geo.news): sentence rules, the seed report, bad input, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date

import pyogrio
import pytest

from geo.geocode.gazetteer import haversine_km
from geo.news.extract import ExtractError, extract, split_sentences
from geo.news.events import to_events
from tests.conftest import ROOT

PUB = date(2021, 7, 6)  # a Tuesday
SEED = ROOT / "tests" / "data" / "news" / "seed_report.txt"
EVAL = ROOT / "bench" / "data" / "news_eval.json"


def one(text: str, published: date = PUB):
    found = extract(text, published=published)
    assert len(found) == 1, [c.to_dict() for c in found]
    return found[0]


WEAPONS = [
    ("three rockets", "Three rockets hit a base near Baghdad on Monday.", "rocket", 3),
    ("explosive-laden drone", "An explosive-laden drone struck Erbil airport on Monday.", "drone", 1),
    ("two drones", "Two drones attacked al-Omar oil field on Monday.", "drone", 2),
    ("airstrikes, no count", "US airstrikes hit militia sites near Abu Kamal on Monday.", "airstrike", None),
    ("digits with calibre", "18 107 mm Katyusha rockets struck Camp Taji on Monday.", "rocket", 18),
    ("a barrage of 14", "A barrage of 14 rockets landed on Ain al-Asad air base on Monday.", "rocket", 14),
    ("ballistic missiles", "Iran fired a dozen ballistic missiles at Ain al-Asad on Monday.", "ballistic_missile", 12),
    ("mortar rounds", "Two mortar rounds fell on Camp Taji on Monday.", "mortar", 2),
    ("roadside bomb", "A roadside bomb hit a convoy near Baghdad on Monday.", "ied", 1),
]


@pytest.mark.parametrize(("text", "weapon", "count"), [w[1:] for w in WEAPONS], ids=[w[0] for w in WEAPONS])
def test_weapon_and_count(text, weapon, count):
    c = one(text)
    assert (c.weapon_type, c.count) == (weapon, count)


DATES = [
    ("on Monday night", "A drone was shot down near Baghdad on Monday night.", "2021-07-05", "day"),
    ("on Tuesday = publication", "A drone was shot down near Baghdad on Tuesday.", "2021-07-06", "day"),
    ("last Tuesday", "A drone was shot down near Baghdad last Tuesday.", "2021-06-29", "day"),
    ("yesterday", "Rockets hit Camp Taji yesterday.", "2021-07-05", "day"),
    ("explicit July 3", "Rockets hit Camp Taji on July 3.", "2021-07-03", "day"),
    ("explicit 3 July 2021", "Rockets hit Camp Taji on 3 July 2021.", "2021-07-03", "day"),
    ("explicit December 5 -> last year", "Rockets hit Camp Taji on December 5.", "2020-12-05", "day"),
    ("ISO", "Rockets hit Camp Taji on 2021-07-01.", "2021-07-01", "day"),
    ("in June", "US airstrikes hit sites near Abu Kamal in June.", "2021-06-01", "month"),
    ("in late June", "US airstrikes hit sites near Abu Kamal in late June.", "2021-06-01", "month"),
    ("last week", "Rockets hit Camp Taji last week.", "2021-06-28", "week"),
    ("last month", "Rockets hit Camp Taji last month.", "2021-06-01", "month"),
    ("three days ago", "Rockets hit Camp Taji three days ago.", "2021-07-03", "day"),
    ("no date: the week to publication", "Rockets hit Camp Taji.", "2021-06-30", "week"),
]


@pytest.mark.parametrize(("text", "day", "precision"), [d[1:] for d in DATES], ids=[d[0] for d in DATES])
def test_date_resolved_against_publication(text, day, precision):
    c = one(text)
    assert (c.date.isoformat(), c.date_precision) == (day, precision)


ANCHORED = [
    ("earlier in the day", "Earlier in the day, three rockets hit Ain al-Asad air base."),
    ("the same day", "Three rockets hit Ain al-Asad air base the same day."),
    ("hours earlier", "Hours earlier, three rockets hit Ain al-Asad air base."),
]


@pytest.mark.parametrize("second", [a[1] for a in ANCHORED], ids=[a[0] for a in ANCHORED])
def test_relative_day_takes_the_anchor_event(second):
    found = extract(f"A drone was shot down near the US embassy in Baghdad on Saturday night. {second}",
                    published=PUB)
    assert [(c.weapon_type, c.date.isoformat()) for c in found] == [("drone", "2021-07-03"), ("rocket", "2021-07-03")]


ATTRIBUTION = [
    ("blamed", "Rockets hit Camp Taji on Monday. US officials blamed Kata'ib Hezbollah for the attack.",
     "Kata'ib Hezbollah", "attributed"),
    ("accused", "Rockets hit Camp Taji on Monday; Washington accused Iran-backed militias of the attack.",
     "Iran-backed militias", "attributed"),
    ("attributed to", "The rocket attack on Camp Taji on Monday was attributed to Kata'ib Hezbollah.",
     "Kata'ib Hezbollah", "attributed"),
    ("claimed responsibility", "Rockets hit Erbil airport on Monday. Saraya Awliya al-Dam claimed responsibility.",
     "Saraya Awliya al-Dam", "claimed"),
    ("doer named", "Houthi rebels launched ten drones at Abqaiq on Monday.", "Houthis", "attributed"),
    ("state strike", "US airstrikes hit militia sites near Abu Kamal on Monday.", "United States", "claimed"),
    ("nobody", "Rockets hit Camp Taji on Monday. No group claimed responsibility.", "Unidentified", "unknown"),
    ("defender is not the actor", "The US-led coalition shot down a drone near Erbil airport on Monday.",
     "Unidentified", "unknown"),
]


@pytest.mark.parametrize(("text", "actor", "attribution"), [a[1:] for a in ATTRIBUTION], ids=[a[0] for a in ATTRIBUTION])
def test_actor_and_attribution(text, actor, attribution):
    c = one(text)
    assert (c.actor, c.attribution) == (actor, attribution)


OUTCOMES = [
    ("shot down", "Air defences shot down a drone near Erbil airport on Monday.", "intercepted"),
    ("intercepted", "A drone was intercepted over Erbil airport on Monday.", "intercepted"),
    ("downed", "Coalition forces downed a drone near Erbil airport on Monday.", "intercepted"),
    ("fell short", "Two rockets fired at Camp Taji on Monday fell short.", "failed"),
    ("failed to explode", "A rocket fired at Camp Taji on Monday failed to explode.", "failed"),
    ("hit", "Three rockets hit Camp Taji on Monday.", "impact"),
    ("struck", "A drone struck Erbil airport on Monday.", "impact"),
    ("landed", "Two rockets landed inside Camp Taji on Monday.", "impact"),
    ("not said", "Two rockets were fired towards Camp Taji on Monday.", "unknown"),
]


@pytest.mark.parametrize(("text", "outcome"), [o[1:] for o in OUTCOMES], ids=[o[0] for o in OUTCOMES])
def test_outcome(text, outcome):
    assert one(text).outcome == outcome


FATALITIES = [
    ("killing two", "Rockets hit Camp Taji on Monday, killing two soldiers.", 2),
    ("N were killed", "Rockets hit Camp Taji on Monday; three people were killed.", 3),
    ("a contractor was killed", "Rockets hit Erbil airport on Monday and a contractor was killed.", 1),
    ("no casualties", "Rockets hit Camp Taji on Monday, causing no casualties.", 0),
    ("not stated", "Rockets hit Camp Taji on Monday, wounding two.", None),
]


@pytest.mark.parametrize(("text", "fatalities"), [f[1:] for f in FATALITIES], ids=[f[0] for f in FATALITIES])
def test_fatalities(text, fatalities):
    assert one(text).fatalities == fatalities


def test_seed_report():
    found = extract(SEED.read_text(), published=PUB)
    drone = [c for c in found if c.weapon_type == "drone" and c.date_precision == "day"]
    rockets = [c for c in found if c.weapon_type == "rocket"]
    june = [c for c in found if c.weapon_type == "airstrike"]
    assert len(drone) == 1 and len(rockets) == 1 and len(june) == 1
    d, r, j = drone[0], rockets[0], june[0]
    assert (d.date, d.outcome, d.location, d.country) == (date(2021, 7, 5), "intercepted", "US Embassy Baghdad", "IRQ")
    assert (r.date, r.count, r.outcome, r.fatalities) == (date(2021, 7, 5), 3, "impact", 0)
    asad = (42.44111, 33.78556)  # Ain al-Asad Air Base, bundled gazetteer
    assert float(haversine_km(r.lon, r.lat, *asad)) <= 15 and r.precision_km <= 15
    assert j.date_precision in ("month", "week") and j.date.month == 6 and j.background
    assert all(0 < c.confidence <= 1 and c.evidence for c in found)


def test_background_events_only_with_their_own_date():
    text = ("A drone hit Erbil airport on Monday. Militias have repeatedly fired rockets at the airport over the "
            "past two years. The base was struck by Iranian ballistic missiles in January 2020.")
    found = extract(text, published=PUB)
    assert [(c.weapon_type, c.date.isoformat(), c.date_precision, c.background) for c in found] == [
        ("drone", "2021-07-05", "day", False), ("ballistic_missile", "2020-01-01", "month", True)]


def test_year_only_background_is_skipped():
    assert extract("Rockets hit Camp Taji in 2019, killing a contractor.", published=PUB) == []


def test_repeated_mentions_are_one_event():
    text = "A drone struck Erbil airport on Monday. The drone damaged a hangar, killing one contractor."
    c = one(text)
    assert (c.outcome, c.fatalities) == ("impact", 1)


BAD = [
    ("empty", ""),
    ("whitespace", " \n\t "),
    ("not text", None),
    ("no attack", "The ministry said drone makers will meet in Baghdad on Monday to discuss exports."),
    ("control characters", "\x00\x01\x02 rockets \x7f"),
]


@pytest.mark.parametrize("text", [b[1] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_gives_no_candidates(text):
    assert extract(text, published=PUB) == []


def test_one_megabyte_is_fast_and_bounded():
    filler = "Officials met in Baghdad to discuss the budget. " * 21000
    text = filler + "Three rockets hit Camp Taji on Monday."
    started = time.perf_counter()
    found = extract(text[: 1 << 20], published=PUB)
    assert time.perf_counter() - started < 20
    assert len(found) <= 1


def test_bad_publication_date_raises_a_geo_error():
    with pytest.raises(ExtractError, match="YYYY-MM-DD"):
        extract("Rockets hit Camp Taji.", published="06/07/2021")


def test_abbreviations_do_not_split_sentences():
    assert len(split_sentences("U.S. forces said Col. Marotto confirmed it. A second sentence.")) == 2


def test_candidates_become_valid_events_with_the_source():
    found = extract(SEED.read_text(), published=PUB)
    source = {"publisher": "Test Wire", "url": "https://example.org/report", "title": "Drone shot down"}
    checked = to_events(found, published=PUB, source=source)
    assert checked.problems == [] and len(checked.events) == len(found)
    sources = json.loads(checked.events["sources"].iloc[0])
    assert sources == [{"publisher": "Test Wire", "url": "https://example.org/report", "date": "2021-07-06",
                        "title": "Drone shot down"}]


def test_eval_set_is_large_enough_and_cited():
    reports = json.loads(EVAL.read_text())["reports"]
    assert len(reports) >= 15
    assert all(r["sources"] and all(s["url"].startswith("http") for s in r["sources"]) for r in reports)


def run(*args: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "geo", "extract", *map(str, args)], cwd=ROOT,
                          capture_output=True, timeout=120)


def test_cli_json_and_geojson(tmp_path):
    out = tmp_path / "candidates.geojson"
    done = run(SEED, "--published", "2021-07-06", "--json", "-o", out, "--publisher", "Test Wire")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert {(c["weapon_type"], c["date"]) for c in payload} >= {("drone", "2021-07-05"), ("rocket", "2021-07-05")}
    frame = pyogrio.read_dataframe(out)
    assert len(frame) == len(payload) and set(frame["weapon_type"]) >= {"drone", "rocket"}


CLI_ERRORS = [
    ("missing file", ["nope.txt", "--published", "2021-07-06"], "cannot be read"),
    ("bad date", [SEED, "--published", "2021-13-40"], "is not a date"),
]


@pytest.mark.parametrize(("args", "message"), [e[1:] for e in CLI_ERRORS], ids=[e[0] for e in CLI_ERRORS])
def test_cli_errors_exit_1_with_one_line(args, message):
    done = run(*args)
    assert done.returncode == 1
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr.decode()
