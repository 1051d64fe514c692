"""News reports -> candidate events (geo.news): one candidate per real attack, and nothing else.

Most cases are sentences of real reports of the development split of bench/data/news_real (never of its test split),
one failure kind per table: places kept to the article's countries, headline + lead + quotes merged, tallies and
threats dropped, roles, tolls as sums, background dates, bad input.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date

import pyogrio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.news.events import to_events
from geo.news.extract import ExtractError, extract
from geo.news.numbers import casualties, combine
from geo.news.text import read_article, split_sentences
from tests.conftest import ROOT, km

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
    ("a Houthi missile is ballistic", "Yemen's Houthis fired a missile at Eilat on Monday.", "ballistic_missile", 1),
    ("an Israeli strike, means not said", "An Israeli strike hit Tyre on Monday.", "unknown", None),
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
    ("at the end of June", "US airstrikes hit sites near Abu Kamal at the end of June.", "2021-06-01", "month"),
    ("last week", "Rockets hit Camp Taji last week.", "2021-06-28", "week"),
    ("last month", "Rockets hit Camp Taji last month.", "2021-06-01", "month"),
    ("three days ago", "Rockets hit Camp Taji three days ago.", "2021-07-03", "day"),
    ("in 2019: a year", "Rockets hit Camp Taji in 2019, killing a contractor.", "2019-01-01", "year"),
    ("no date: the publication day", "Rockets hit Camp Taji.", "2021-07-06", "day"),
]


@pytest.mark.parametrize(("text", "day", "precision"), [d[1:] for d in DATES], ids=[d[0] for d in DATES])
def test_date_resolved_against_publication(text, day, precision):
    c = one(text)
    assert (c.date.isoformat(), c.date_precision) == (day, precision)


def test_an_undated_attack_says_so_and_costs_confidence():
    undated, dated = one("Rockets hit Camp Taji."), one("Rockets hit Camp Taji on Monday.")
    assert "no date of its own" in undated.notes[0] and undated.confidence < dated.confidence


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


# Background clauses get their own date, precision and flag, never the article's day (dev articles nr-019,
# nr-003, nr-029, nr-037, nr-051, nr-017, nr-047).
BACKGROUND = [
    ("a date cut by a paragraph break", "Multiple rockets struck the Balad airbase, north of Baghdad, on Sunday.\n\n"
     "On Jan.\n\n9, two rockets landed in Iraq's fortified Green Zone early but caused no casualties.",
     date(2020, 1, 12), ("rocket", "2020-01-09", "day")),
    ("a calendar date inside a worried clause", "An IED hit a convoy in Babil province on Sunday.\n"
     "In recent days there has been increased concern about what Iranian-backed forces might do in the lead up to "
     "the anniversary of a Jan. 3 U.S. drone strike in Iraq that killed top Iranian general Qassem Soleimani.",
     date(2020, 12, 27), ("drone", "2020-01-03", "day")),
    ("last week", "An Israeli army drone on Tuesday struck a car in southern Lebanon. Last week, it also "
     "assassinated the deputy chief of the Hamas group Saleh al-Arouri in Beirut.", date(2024, 1, 9),
     ("unknown", "2024-01-01", "week")),
    ("in May", "Ten bomb-laden drones hit Abqaiq on Saturday. In May, a Houthi drone attack damaged two oil pump "
     "stations of Saudi Aramco, according to the Saudi authorities.", date(2019, 9, 14),
     ("drone", "2019-05-01", "month")),
    ("a day after", "Israeli fighter jets struck Houthi military targets in Hodeidah port on Saturday, a day after a "
     "drone launched by the group hit Tel Aviv.", date(2024, 7, 20), ("drone", "2024-07-19", "day")),
    ("since February 22, when", "A Turkish drone killed a commander in Qamishli on Friday. SOHR said this is the first "
     "drone attack since February 22, when a Turkish drone killed a civilian on the road between Al-Qamishli and "
     "Al-Qahtaniyah.", date(2023, 4, 14), ("drone", "2023-02-22", "day")),
]


@pytest.mark.parametrize(("text", "published", "want"), [b[1:] for b in BACKGROUND], ids=[b[0] for b in BACKGROUND])
def test_background_attacks_keep_their_own_date(text, published, want):
    found = extract(text, published=published)
    earlier = [c for c in found if c.background]
    assert [(c.weapon_type, c.date.isoformat(), c.date_precision) for c in earlier] == [want]
    news = [c for c in found if not c.background]
    assert len(news) == 1 and news[0].date <= published


# Sentences that tell of no single attack (dev nr-001, nr-030, nr-043, nr-011, nr-021, nr-045, nr-033, nr-051).
NOTHING = [
    ("a threat", "On Wednesday, the leader of Yemen's Houthis warned that they would launch missiles at U.S. "
     "warships if the United States became more involved."),
    ("a condition", 'If the United States gets more involved, the Houthis "will not stand idly by and will target '
     'them and their battleships and interests with missiles," Abdel-Malek al-Houthi said.'),
    ("a tally since a date", "Deputy Pentagon Press Secretary Sabrina Singh told reporters on Tuesday that since "
     "Oct. 17 there have been 55 attacks on US forces, including 27 attacks in Iraq, and 28 in Syria."),
    ("a habit", "Israel routinely fires missiles at what it says are Iranian targets in Syria."),
    ("a general statement", "Ankara regularly launches airstrikes against suspected members of the group."),
    ("a defence system", "Witnesses said they heard the embassy's C-RAM defense system, supposed to detect and "
     "destroy incoming rockets, artillery and mortar shells."),
    ("a capability", "The beauty of the American bomber is we can strike anywhere in the world at a time of our "
     "choosing, he said."),
    ("a tally over two months", "In total, the Houthis have launched 32 missiles at Israel over the past two months, "
     "with approximately 11 failing and falling within Saudi Arabia."),
    ("a count of attacks", "The Houthis attacked us over 200 times."),
    ("an anniversary with no date", "Tensions rose ahead of the second anniversary of the US strike that killed "
     "Iranian Gen. Qassim Soleimani."),
    ("aircraft sent", "The White House announced it was dispatching an aircraft carrier and B-52 bombers to the "
     "region."),
    ("the company builds drones", "The ministry said drone makers will meet in Baghdad on Monday to discuss exports."),
]


@pytest.mark.parametrize("text", [n[1] for n in NOTHING], ids=[n[0] for n in NOTHING])
def test_no_single_attack_proposes_nothing(text):
    assert extract(text, published=PUB) == []


def test_tally_beside_a_real_attack_keeps_only_the_attack():
    text = ("The latest barrage of allied attacks marks the eighth time the U.S. has conducted strikes on Houthi "
            "sites since Jan. 12. The U.S. and British militaries bombed multiple targets used by the Houthis in "
            "Yemen on Monday night.")
    c = one(text, date(2024, 1, 23))
    assert (c.date.isoformat(), c.country) == ("2024-01-22", "YEM")


# One candidate per attack: headline, lead, later sentences and quotes merge (dev nr-043, nr-019, nr-013, nr-037).
ONE_ATTACK = [
    ("headline, lead and details", "At least four rockets target US Embassy in Baghdad: Iraqi officials\n"
     "At least four rockets targeted the US Embassy in Baghdad's heavily fortified Green Zone on Thursday, two "
     "Iraqi security officials said. Three of the missiles struck within the parameters of the American Embassy, "
     "the officials said. An Iraqi military statement said a girl and a woman were injured in the attack.",
     date(2022, 1, 13), "rocket"),
    ("rockets, then mortar bombs", "Multiple rockets struck the Balad airbase, which houses American forces, north "
     "of the Iraqi capital of Baghdad on Sunday. According to the military sources, the mortar bombs fell in the "
     "airbase's runway. Eight Katyusha rockets hit the airbase, wounding four members of the Iraqi Air Force.",
     date(2020, 1, 12), "rocket"),
    ("a claim in a later sentence", "More than a dozen rockets hit late Monday near the airport in the city of "
     "Irbil. A little-known Shiite militant group calling itself Saraya Awliya al-Dam, Arabic for Guardians of "
     "Blood Brigade, claimed responsibility for the attack.", date(2021, 2, 16), "rocket"),
]


@pytest.mark.parametrize(("text", "published", "weapon"), [o[1:] for o in ONE_ATTACK], ids=[o[0] for o in ONE_ATTACK])
def test_one_candidate_keeps_every_sentence_of_its_attack(text, published, weapon):
    c = one(text, published)
    assert c.weapon_type == weapon and len(c.sentences) >= 2
    assert all(s in c.evidence for s in c.sentences)


def test_a_defence_system_sentence_adds_no_attack():
    c = one("At least four rockets targeted the US Embassy in Baghdad on Thursday. Witnesses said they heard the "
            "embassy's C-RAM defense system, supposed to detect and destroy incoming rockets, artillery and mortar "
            "shells, during the attack.", date(2022, 1, 13))
    assert c.weapon_type == "rocket"


def test_far_apart_sites_of_one_salvo_are_two_events():
    text = ("The United States has launched airstrikes against 85 targets on Friday. A spokesman said the strikes "
            "hit three military facilities in Iraq and four in Syria.")
    found = extract(text, published=date(2024, 2, 2))
    assert sorted(c.country for c in found) == ["IRQ", "SYR"]


# Places: never a homonym abroad, never the attacker's or origin country (dev nr-007, nr-005, nr-051, nr-017,
# nr-053, nr-033).
PLACES = [
    ("Hassan Nasrallah is no town in India", "Hezbollah fighters launched dozens of Katyusha rockets at the Matzuva "
     "kibbutz on Thursday. Hezbollah leader Hassan Nasrallah said his party had toned down its attacks.",
     date(2024, 8, 1), "ISR"),
    ("John Kirby is no town in Texas", "A drone attack targeted the al-Tanf garrison in Syria on Wednesday. "
     "Pentagon spokesman John Kirby said the drone strike was a complex, coordinated and deliberate attack.",
     date(2021, 10, 20), "SYR"),
    ("the Supreme Political Council is no town in Louisiana", "Israeli fighter jets struck Houthi military targets "
     "in the area of Hodeidah port in Yemen on Saturday. The Houthis' Supreme Political Council said there would be "
     "an effective response.", date(2024, 7, 20), "YEM"),
    ("South Lebanon is not Ohio", "Israeli Drone Strike Kills Four Hezbollah Members in South Lebanon\n"
     "Israel continued its attacks on southern Lebanon today, targeting a vehicle traveling in the village of "
     "Bafliyeh with a drone, killing four Hezbollah members.", date(2024, 5, 9), "LBN"),
    ("Iran's consulate is in Damascus", "Multiple people were killed, including a commander of Iran's Islamic "
     "Revolutionary Guards Corps, in an Israeli air strike on the Iranian Consulate in Damascus on April 1. Iran "
     "said that the consulate annex was hit by six missiles fired by F35 fighter jets.", date(2024, 4, 1), "SYR"),
    ("missiles from Yemen hit Israel", "A ballistic missile launched from Yemen struck near Israel's Ben Gurion "
     "International Airport on Sunday morning, injuring eight individuals.", date(2025, 5, 4), "ISR"),
]


@pytest.mark.parametrize(("text", "published", "country"), [p[1:] for p in PLACES], ids=[p[0] for p in PLACES])
def test_places_stay_in_the_article_countries(text, published, country):
    found = extract(text, published=published)
    assert found and all(c.country == country for c in found), [(c.location, c.country) for c in found]


def test_a_directional_part_lies_in_that_part():
    c = one("An Israeli army drone on Tuesday struck a car in southern Lebanon.", date(2024, 1, 9))
    assert c.country == "LBN" and c.lat < 33.6  # the south, not the country's centroid (33.9)


def test_the_capital_is_the_article_country_capital():
    found = extract("Last Thursday, rockets struck an Iraqi military base hosting US troops in western Anbar "
                    "province and the capital.", published=date(2022, 1, 13))
    assert {c.location for c in found} >= {"Baghdad"} and len(found) == 2


def test_without_a_place_in_its_countries_a_candidate_is_low_confidence():
    c = one("Rockets hit the compound on Monday.")
    assert c.lon is None and c.confidence < 0.3 and "no place" in " ".join(c.notes)


# Roles: the attacker, not the target or the defender; responses keep their own actor (dev nr-007, nr-055).
ACTORS = [
    ("blamed", "Rockets hit Camp Taji on Monday. US officials blamed Kata'ib Hezbollah for the attack.",
     "Kata'ib Hezbollah", "attributed"),
    ("accused", "Rockets hit Camp Taji on Monday; Washington accused Iran-backed militias of the attack.",
     "Iran-backed militias", "attributed"),
    ("claimed responsibility", "Rockets hit Erbil airport on Monday. Saraya Awliya al-Dam claimed responsibility.",
     "Saraya Awliya al-Dam", "claimed"),
    ("doer named", "Houthi rebels launched ten drones at Abqaiq on Monday.", "Houthis", "attributed"),
    ("US airstrikes on militia sites", "US airstrikes hit militia sites near Abu Kamal on Monday.", "United States",
     "claimed"),
    ("nobody", "Rockets hit Camp Taji on Monday. No group claimed responsibility.", "Unidentified", "unknown"),
    ("defender is not the actor", "The US-led coalition shot down a drone near Erbil airport on Monday.",
     "Unidentified", "unknown"),
    ("target is not the actor", "Israeli jets struck Houthi targets in Hodeidah port in Yemen on Saturday.", "Israel",
     "claimed"),
    ("a guess is no blame", "A rocket attack hit the Al Asad base on Wednesday. The attack will likely be blamed on "
     "Iran.", "Unidentified", "unknown"),
]


@pytest.mark.parametrize(("text", "actor", "attribution"), [a[1:] for a in ACTORS], ids=[a[0] for a in ACTORS])
def test_actor_and_attribution(text, actor, attribution):
    c = one(text)
    assert (c.actor, c.attribution) == (actor, attribution)


def test_a_response_keeps_its_own_actor_and_place():
    text = ("Hezbollah fighters launched dozens of Katyusha rockets at the Matzuva kibbutz on Thursday. Shortly "
            "after the shooting, Israeli aircraft struck the location from where the projectiles were fired in "
            "southern Lebanon.")
    found = extract(text, published=date(2024, 8, 1))
    assert [(c.weapon_type, c.actor, c.country) for c in found] == [("rocket", "Hezbollah", "ISR"),
                                                                    ("airstrike", "Israel", "LBN")]


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


# Tolls: words, digits, ranges and sums, the lowest figure (dev nr-041, nr-049, nr-007, nr-011, nr-053, nr-013).
TOLLS = [
    ("killing two", "Rockets hit Camp Taji on Monday, killing two soldiers.", 2, None),
    ("two soldiers and a contractor", "Rockets hit Camp Taji on Monday, killing two soldiers and a contractor.", 3,
     None),
    ("a sum of three groups", "Turkish airstrikes hit Raqqa on Sunday, killing 18 members of the Kurdish-led Syrian "
     "Democratic Forces, 12 members of the Syrian regime's military and one journalist.", 31, None),
    ("an official and three fighters", "A senior official from the Kurdistan Workers' Party and three fighters were "
     "killed when a Turkish army drone targeted their vehicle on Mount Sinjar on Sunday.", 4, None),
    ("killed and wounded", "Four Syrians were killed and five Lebanese wounded in an Israeli strike in Tyre on Monday.",
     4, 5),
    ("the dead were", "Israeli strikes hit Damascus airport on Thursday. The dead were three Syrian soldiers and four "
     "members of Iran's Revolutionary Guard.", 7, None),
    ("a range: the lowest", "An Israeli air strike hit the Iranian Consulate in Damascus on Monday. The ambassador "
     "said five to seven people were killed in the attack.", 5, None),
    ("no casualties", "Rockets hit Camp Taji on Monday, causing no casualties.", 0, 0),
    ("no one injured or killed", "A drone attack targeted the al-Tanf garrison on Monday. No one was injured or "
     "killed.", 0, 0),
    ("wounded only", "Rockets hit Camp Taji on Monday, wounding two.", None, 2),
    ("a girl and a woman", "Rockets hit the US Embassy in Baghdad on Monday. A girl and a woman were injured in the "
     "attack.", None, 2),
]


@pytest.mark.parametrize(("text", "killed", "wounded"), [t[1:] for t in TOLLS], ids=[t[0] for t in TOLLS])
def test_killed_and_wounded(text, killed, wounded):
    c = one(text)
    assert (c.fatalities, c.wounded) == (killed, wounded)


def test_lowest_of_conflicting_tolls_and_additional_ones_add_up():
    killed, _ = casualties("killing four Hezbollah members")
    confirmed, _ = casualties("Hezbollah confirmed the deaths of three of its fighters")
    assert combine(killed + confirmed) == 3
    first, _ = casualties("Four Syrian soldiers were killed in an Israeli missile attack")
    more, _ = casualties("it had documented two additional fighters killed in the strikes")
    assert combine(first + more) == 6


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
    assert km(r, *asad) <= 15 and r.precision_km <= 15
    assert j.date_precision in ("month", "week") and j.date.month == 6 and j.background
    assert all(0 < c.confidence <= 1 and c.evidence and c.notes for c in found)


BAD = [
    ("empty", ""),
    ("whitespace", " \n\t "),
    ("not text", None),
    ("bytes", b"Three rockets hit Camp Taji on Monday."),
    ("no attack", "The ministry said drone makers will meet in Baghdad on Monday to discuss exports."),
    ("control characters", "\x00\x01\x02 rockets \x7f"),
]


@pytest.mark.parametrize("text", [b[1] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_gives_no_candidates(text):
    assert extract(text, published=PUB) == []


@pytest.mark.fuzz
@given(st.text(max_size=400))
def test_any_text_never_raises(text):
    for c in extract(text, published=PUB):
        assert c.date <= PUB and 0 < c.confidence <= 1


def test_one_megabyte_is_fast_and_bounded():
    filler = "Officials met in Baghdad to discuss the budget. " * 21000
    text = filler + "Three rockets hit Camp Taji on Monday."
    started = time.perf_counter()
    found = extract(text[: 1 << 20], published=PUB)
    assert time.perf_counter() - started < 20
    assert len(found) <= 1


BAD_DATES = [
    ("day first", "06/07/2021", "YYYY-MM-DD"),
    ("not a date", "yesterday", "YYYY-MM-DD"),
    ("year one", "0001-01-01", "out of range"),
    ("year one as a date", date(1, 1, 1), "out of range"),
    ("far future", "9999-12-31", "out of range"),
]


@pytest.mark.parametrize(("published", "message"), [b[1:] for b in BAD_DATES], ids=[b[0] for b in BAD_DATES])
def test_bad_publication_date_raises_a_geo_error(published, message):
    with pytest.raises(ExtractError, match=message):
        extract("Rockets hit Camp Taji.", published=published)


def test_sentences_and_headline():
    assert len(split_sentences("U.S. forces said Col. Marotto confirmed it. A second sentence.")) == 2
    article = read_article("Rockets hit base\n\nBAGHDAD (Reuters) - A rocket hit the U.S. embassy on Monday. More.")
    assert article.headline == "Rockets hit base" and article.dateline == "Baghdad"
    assert [s.text for s in article.sentences][1] == "A rocket hit the U.S. embassy on Monday."


def test_candidates_become_valid_events_with_the_source():
    found = [c for c in extract(SEED.read_text(), published=PUB) if c.date_precision != "year"]
    source = {"publisher": "Test Wire", "url": "https://example.org/report", "title": "Drone shot down"}
    checked = to_events(found, published=PUB, source=source)
    assert checked.problems == [] and len(checked.events) == len(found)
    sources = json.loads(checked.events["sources"].iloc[0])
    assert sources == [{"publisher": "Test Wire", "url": "https://example.org/report", "date": "2021-07-06",
                        "title": "Drone shot down"}]


def test_a_year_precision_candidate_is_refused_with_its_reason():
    found = extract("Rockets hit Camp Taji in 2019, killing a contractor.", published=PUB)
    checked = to_events(found, published=PUB)
    assert len(checked.valid) == 0 and checked.problems[0].field == "date_precision"


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
    ("year one", [SEED, "--published", "0001-01-01"], "out of range"),
]


@pytest.mark.parametrize(("args", "message"), [e[1:] for e in CLI_ERRORS], ids=[e[0] for e in CLI_ERRORS])
def test_cli_errors_exit_1_with_one_line(args, message):
    done = run(*args)
    assert done.returncode == 1
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr.decode()
