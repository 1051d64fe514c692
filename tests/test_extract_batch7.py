"""News extraction on excerpts of real reports (dev split of bench/data/news_real, nr-114 ... nr-127, the seventh
batch, scored once before any rule was written for it), one behaviour per test, each a general rule."""

from __future__ import annotations

from datetime import date

from geo.news.extract import extract
from tests.conftest import km


def test_a_drone_that_crashed_by_malfunction_is_no_attack():
    """nr-116: "an Israeli drone crashed due to a technical malfunction and exploded inside a home" is a drone lost."""
    text = ("In a separate incident, the NNA reported that an Israeli drone crashed due to a technical malfunction and "
            "exploded inside a home in the town of Shebaa, in the Hasbaya district. No casualties were reported, "
            "though material damage was sustained.")
    assert extract(text, published=date(2025, 5, 14)) == []


def test_a_ceasefire_date_dates_no_strike():
    """nr-116: "strikes come despite a ceasefire agreement reached on November 27, 2024": November 27 is the truce's
    day, not a strike's."""
    text = ("An Israeli drone strike killed a Hezbollah member in southern Lebanon on Wednesday, targetting a vehicle "
            "near Nabatieh. The cross-border strikes come despite a ceasefire agreement reached on November 27, 2024, "
            "intended to halt more than a year of hostilities tied to the war in Gaza.")
    found = extract(text, published=date(2025, 5, 14))
    assert [c.date for c in found] == [date(2025, 5, 14)], [c.to_dict() for c in found]


def test_strikes_called_off_are_no_attack():
    """nr-120: Trump "came within minutes of executing military strikes against Iran": strikes that did not happen."""
    text = ("Iranian officials have turned up their rhetoric after President Donald Trump acknowledged on June 21 that "
            "he came within minutes of executing military strikes against Iran.")
    assert extract(text, published=date(2019, 6, 22)) == []


def test_a_missile_that_destroyed_a_surveillance_drone_is_air_defence():
    """nr-120: "an Iranian missile destroyed a U.S. Global Hawk surveillance drone on June 20": a drone shot down,
    neither a missile attack nor a drone attack."""
    text = ("Tensions between Tehran and Washington have spiked since an Iranian missile destroyed a U.S. Global Hawk "
            "surveillance drone on June 20.")
    assert extract(text, published=date(2019, 6, 22)) == []


def test_the_shooting_down_of_a_state_drone_is_no_attack():
    """nr-120: "in retaliation for the shooting down of a U.S. Navy drone": the drone was lost, it attacked nothing
    (and the strikes Trump "came within minutes of executing" did not happen)."""
    text = ("Iranian officials have turned up their rhetoric after President Donald Trump acknowledged on June 21 that "
            "he came within minutes of executing military strikes against Iran in retaliation for the shooting down of "
            "a U.S. Navy drone.")
    assert extract(text, published=date(2019, 6, 22)) == []


def test_jets_striking_a_series_of_targets_earlier_in_the_day_are_one_more_sortie():
    """nr-117: "Earlier in the day, IDF fighter jets struck a series of Hezbollah terror targets ... in southern
    Lebanon": a series of targets is one sortie (no tally), and "earlier in the day" is the news day even when the
    attack told before has no date of its own."""
    text = ("A senior Hezbollah terrorist was reportedly killed Thursday afternoon in a drone strike that took place in "
            "the southern Lebanese city of Nabatieh. A missile fired by a drone hit on a vehicle that was carrying "
            "three people. Earlier in the day, IDF fighter jets struck a series of Hezbollah terror targets, including "
            "weapons inside a truck, terrorist infrastructure, and a military compound in the areas of Khiam and "
            "Kfarhamam in southern Lebanon, the IDF Spokesperson said.")
    found = extract(text, published=date(2024, 2, 8))
    jets = [c for c in found if c.weapon_type == "airstrike"]
    assert [(c.date, c.country) for c in jets] == [(date(2024, 2, 8), "LBN")], [c.to_dict() for c in found]
    assert km(jets[0], 35.61, 33.33) < jets[0].precision_km  # Khiam lies within the claimed area


_TASS = ("Houthis launch missile strike on Israeli-owned oil tanker in Red Sea — spokesman\n"
         "DOHA, September 1. /TASS/. Houthi rebels from the Yemen-based Ansar Allah movement have launched a missile "
         "strike on the Scarlet Ray oil tanker, which they claim belongs to Israel, in the Red Sea, the movement's "
         "military spokesman Yahya Saria said. According to the MarineTraffic ship tracking service, a signal from the "
         "Liberia-flagged tanker Scarlet Bay, carrying oil and petrochemicals, was last received about 11 and a half "
         "hours ago, at 6:46 p.m. GMT on August 31, when it was located near the Saudi port of Yanbu. The United Kingdom Maritime Trade Operations (UKMTO) received a report "
         "of an incident 40 nautical miles southwest of Yanbu late on Sunday. No one was injured.")


def test_a_ship_hit_in_a_sea_is_placed_off_the_coastal_place_the_report_gives():
    """nr-118: a tanker hit "in the Red Sea", "40 nautical miles southwest of Yanbu" in another sentence: off Yanbu
    (the offset widens the precision), not at the Red Sea's centre (+-1,191 km)."""
    found = extract(_TASS, published=date(2025, 9, 1))
    assert len(found) == 1, [c.to_dict() for c in found]
    assert km(found[0], 38.06, 24.09) < 10 and found[0].precision_km < 120, found[0].to_dict()
    assert "Red Sea" in found[0].location


def test_the_owner_of_a_ship_is_not_its_attacker():
    """nr-118: "the tanker that had come under attack near Yanbu was owned by Israel": Israel owns, it did not attack
    (and so the sentence tells the Houthi attack again, not a second one by Israel)."""
    text = _TASS + (" Reuters reported later, citing the British maritime security company Ambrey, that the tanker "
                    "that had come under attack near Yanbu was owned by Israel.")
    found = extract(text, published=date(2025, 9, 1))
    assert [c.actor for c in found] == ["Houthis"], [c.to_dict() for c in found]


def test_a_threat_that_follows_strikes_tells_the_strikes_as_fact():
    """nr-119: "The threat follows Iranian missile strikes on two US military bases in Iraq in the early hours of
    Wednesday": "threat" makes no plan of the strikes once "follows" tells them as what happened."""
    text = ("Iranian military leaders have shot down Donald Trump's bid to de-escalate tensions with Tehran by warning "
            "that \"harsher revenge\" may still be to come for the assassination of General Qasem Soleimani. "
            "The threat follows Iranian missile strikes on two US military bases in Iraq in the early hours of "
            "Wednesday.")
    found = extract(text, published=date(2020, 1, 9))
    strikes = [c for c in found if c.weapon_type == "ballistic_missile"]
    assert [(c.date, c.country) for c in strikes] == [(date(2020, 1, 8), "IRQ")], [c.to_dict() for c in found]


def test_a_missile_fired_by_a_drone_is_the_drone_strike():
    """nr-117: "A missile fired by a drone hit on a vehicle" retells the drone strike of the lead: one candidate."""
    text = ("A senior Hezbollah terrorist was reportedly killed Thursday afternoon in a drone strike that took place in "
            "the southern Lebanese city of Nabatieh. Iranian-backed Hezbollah regional commander Abbas al-Debs was "
            "allegedly killed in the targeted assassination. A missile fired by a drone hit on a vehicle that was "
            "carrying three people, according to Saudia Arabia's Al Arabiya television network and the Al-Hadath "
            "news outlet. Al-Debs was linked the Iran's elite Islamic Revolutionary Guard Corps (IRGC) and was "
            "reportedly helping Iran set up air defenses in Syria.")
    found = extract(text, published=date(2024, 2, 8))
    assert [(c.weapon_type, c.country) for c in found] == [("drone", "LBN")], [c.to_dict() for c in found]


def test_a_commander_responsible_for_firing_rockets_is_no_rocket_attack():
    """nr-117: "eliminated a Hezbollah commander responsible for firing rockets at Kiryat Shmona": his role over
    many attacks, no rocket attack of the day."""
    text = ("Israel's Galei Tzahal Army Radio reported that the IDF \"eliminated a Hezbollah commander responsible "
            "for firing rockets at Kiryat Shmona.\"")
    assert [c for c in extract(text, published=date(2024, 2, 8)) if c.weapon_type == "rocket"] == []


def test_weapons_a_factory_makes_are_no_attack():
    """nr-125: "a military industrial complex thought to be a production hub for drones and missiles" names what
    the factory makes: no second attack beside the drone attack on it."""
    text = ("Drones target Iranian weapons factory in central city of Isfahan\n"
            "A series of powerful explosions have damaged an Iranian government weapons factory in the central city of "
            "Isfahan, according to witnesses and footage from the scene, in what officials said was a coordinated drone "
            "attack. The overnight strikes left flames billowing from a military industrial complex thought to be a "
            "production hub for drones and missiles that have been used across the Middle East and by Russian forces "
            "in Ukraine. A fire erupted at a fuel refinery in the north-west of Iran at about the same time as "
            "explosions were heard in Isfahan, at 11.30pm local time.")
    found = extract(text, published=date(2023, 1, 29))
    assert [c.weapon_type for c in found] == ["drone"], [c.to_dict() for c in found]


def test_one_year_later_counts_from_the_year_told_before():
    """nr-125: "The country's top scientist was assassinated in 2020 and the Natanz nuclear facility was struck one
    year later by a blast": the blast is of 2021, a year-precise background attack, not the news day."""
    text = ("The country's top scientist was assassinated in 2020 and the Natanz nuclear facility was struck one year "
            "later by a blast that damaged its centrifuges.")
    found = extract(text, published=date(2023, 1, 29))
    got = sorted((c.date, c.date_precision, c.weapon_type) for c in found)
    assert got == [(date(2020, 1, 1), "year", "unknown"), (date(2021, 1, 1), "year", "ied")], \
        [c.to_dict() for c in found]
