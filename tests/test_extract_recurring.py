"""Failure classes that recur across batches of bench/data/news_real (each rule on real dev excerpts): an attack named
by its own day in passing, ships attacked at sea, earlier attacks dated in a subordinate clause."""

from __future__ import annotations

from datetime import date

from geo.news.extract import extract
from tests.conftest import km

ISRAEL = (34.85, 31.05)  # the centroid the annotation uses for "the October 7 attacks"


def _on(found, day: date):
    return [c for c in found if c.date == day]


# --- An attack named by its own day ("Hamas' Oct. 7 assault") is one background attack, dated and placed by its name --


def test_a_possessive_dated_assault_in_a_general_sentence_is_one_background_attack():
    """nr-136: "have traded fire regularly since Hamas' Oct. 7 assault on southern Israel ignited ... in Gaza": the
    fighting since is general, the assault is one attack of 7 October, in southern Israel (not in Gaza)."""
    text = ("Israel and Hezbollah have traded fire regularly since Hamas’ Oct. 7 assault on southern Israel ignited "
            "the Israeli military’s devastating offensive in Gaza.")
    found = _on(extract(text, published=date(2024, 9, 21)), date(2023, 10, 7))
    assert len(found) == 1 and found[0].background, [c.to_dict() for c in found]
    assert km(found[0], *ISRAEL) < 250 and "Gaza" not in found[0].location


def test_the_dated_attacks_of_a_group_are_placed_by_their_name_not_the_sentence():
    """nr-096: "the deadliest strikes in southern Lebanon since Israel launched its military campaign against Gaza
    following the October 7 Hamas attacks": 7 October in Israel, not in southern Lebanon."""
    text = ("This incident marks one of the deadliest strikes in southern Lebanon since Israel launched its military "
            "campaign against Gaza following the October 7 Hamas attacks that killed around 1,200 people.")
    found = _on(extract(text, published=date(2024, 8, 17)), date(2023, 10, 7))
    assert len(found) == 1 and found[0].background and km(found[0], *ISRAEL) < 250 and "Lebanon" not in found[0].location, [c.to_dict() for c in found]


def test_a_dated_name_keeps_the_place_its_own_words_give():
    """nr-104: "in retaliation for the April 1 attack on the Iranian consulate in Damascus": in Damascus."""
    text = ("Iran's first direct military assault on Israel, launched in retaliation for the April 1 attack on the "
            "Iranian consulate in Damascus, has been described as unprecedented.")
    found = _on(extract(text, published=date(2024, 4, 14)), date(2024, 4, 1))
    assert len(found) == 1 and found[0].country == "SYR" and km(found[0], 36.29, 33.51) < 30, \
        [c.to_dict() for c in found]


# --- A ship attacked at sea is placed at the sea the report names, not at its attacker's country point -----------

NR_152 = ("The Houthis launched missiles at two ships they said are American and British, according to a post on "
          "social media site X.\n"
          "Houthi spokesman Big. Gen. Yahya Sare’e announced via X that the Houthis targeted Star Nasia and Morning "
          "Tide.\n"
          "The Houthis fired six anti-ship ballistic missiles, Central Command announced in a news release Tuesday "
          "night. Three of the missiles were aimed at Star Nasia, with three others likely targeting Morning Tide.\n"
          "Star Nasia sails under the flag of the Marshall Islands and is owned by Greek company Star Bulk. The company "
          "reported that the ship had sustained damage from an explosion while it was transiting the Gulf of Aden, but "
          "the crew did not sustain any injuries, according to the Central Command release.")


def test_houthi_missiles_at_ships_are_at_the_sea_the_report_names_not_in_yemen():
    """nr-152: the ships' missiles had only "Yemen" (the Houthis' own country); the report says where the ship was
    hit ("while it was transiting the Gulf of Aden"): the attack is placed there."""
    found = extract(NR_152, published=date(2024, 2, 6))
    ships = [c for c in found if c.date == date(2024, 2, 6)]
    assert ships and all("Gulf of Aden" in c.location for c in ships), [c.to_dict() for c in found]
    assert all(km(c, 45.04, 12.78) < 300 for c in ships)


def test_a_country_the_report_gives_for_an_attack_at_sea_stays():
    """nr-124: "a month after four tankers were attacked with mines off the UAE": the UAE is the report's own place
    for that attack, not replaced by the Gulf of Oman the report names for the news."""
    text = ("Two oil tankers, one Norwegian and one Japanese, are damaged and abandoned after being attacked in the Gulf "
            "of Oman, with all crew members aboard both ships safely rescued.\n"
            "The blasts on two ships come a month after four tankers were attacked with mines off the UAE.")
    found = extract(text, published=date(2019, 6, 13))
    earlier = [c for c in found if c.date < date(2019, 6, 1)]
    assert len(earlier) == 1 and earlier[0].country == "ARE", [c.to_dict() for c in found]


# --- An earlier attack told in a clause of its own after a date phrase proposes its own candidate, dated by it -----


def test_hours_after_a_clause_with_its_own_subject_is_another_attack():
    """nr-136: "Friday's deadly strike came hours after Hezbollah launched one of its most intense bombardments of
    northern Israel": the bombardment is Hezbollah's own attack of that Friday in northern Israel, not the strike
    ("one of its most intense" is no anaphor), and "days after mass explosions" later is yet another attack."""
    text = ("Israel launched the rare airstrike in the densely populated southern Beirut neighborhood on Friday "
            "afternoon.\n"
            "Friday's deadly strike came hours after Hezbollah launched one of its most intense bombardments of northern "
            "Israel in nearly a year of fighting, largely targeting Israeli military sites. Israel's Iron Dome missile "
            "defense system intercepted most of the Katyusha rockets.\n"
            "However, it came days after mass explosions of Hezbollah pagers and walkie-talkies killed at least 37 "
            "people.")
    found = extract(text, published=date(2024, 9, 21))
    rockets = [c for c in found if c.weapon_type == "rocket"]
    assert len(rockets) == 1 and rockets[0].date == date(2024, 9, 20), [c.to_dict() for c in found]
    assert "northern Israel" in rockets[0].location and not any("pagers" in s for s in rockets[0].sentences)
    assert any(c.date < date(2024, 9, 20) and any("pagers" in s for s in c.sentences) for c in found)


def test_since_a_day_when_a_clause_tells_the_attack_of_that_day():
    """nr-152: "trading strikes since Jan. 11, when the U.S. and United Kingdom joined together to strike several
    Houthi targets in Yemen": the strikes of 11 January in Yemen, a background attack."""
    text = ("The Houthis and the United States have been trading strikes since Jan. 11, when the U.S. and United "
            "Kingdom joined together to strike several Houthi targets in Yemen.")
    found = extract(text, published=date(2024, 2, 6))
    assert [(c.date, c.country, c.background) for c in found] == [(date(2024, 1, 11), "YEM", True)], \
        [c.to_dict() for c in found]


def test_a_day_after_a_statement_that_rockets_hit_dates_those_rockets():
    """"The attack comes one day after the Iraqi army said rockets also hit the Basmaya base in Baghdad" (dev,
    2020-03-17 rockets): the rockets are dated a day before the news, at the base's city."""
    text = ("Two rockets struck the Green Zone in Baghdad on Tuesday, the Iraqi military said.\n"
            "The attack comes one day after the Iraqi army said rockets also hit the Basmaya base in Baghdad, hitting "
            "agricultural land and a factory.")
    found = extract(text, published=date(2020, 3, 17))
    earlier = [c for c in found if c.date < date(2020, 3, 17)]  # "The attack comes ..." retells the news itself
    assert len(earlier) == 1 and "Basmaya" in earlier[0].evidence and earlier[0].date == date(2020, 3, 16) and earlier[0].weapon_type == "rocket", \
        [c.to_dict() for c in found]
