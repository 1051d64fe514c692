"""News extraction on excerpts of real reports (dev split of bench/data/news_real, nr-058 ... nr-088), one behaviour
per test: the cases the first two batches of new articles showed, each a general rule, never one article's."""

from __future__ import annotations

from datetime import date

from geo.news.extract import extract
from tests.conftest import km


def test_weekend_and_two_means_of_one_barrage():
    """nr-062: "missile and drone attacks ... over the weekend" are two attacks (drones and missiles are told apart)
    sharing their date (the Saturday and Sunday before) and place (Israel)."""
    text = ("Tuesday's strike came with regional tensions high after Iran launched missile and drone attacks on Israel "
            "over the weekend in retaliation for a deadly Israeli strike on Tehran's consulate in Damascus.")
    found = extract(text, published=date(2024, 4, 17))
    weekend = [c for c in found if c.date == date(2024, 4, 13)]
    assert {c.weapon_type for c in weekend} == {"drone", "ballistic_missile"}, [c.to_dict() for c in found]
    assert all(c.date_end == date(2024, 4, 14) and c.country == "ISR" and c.background for c in weekend)


def test_ground_assault_of_7_october_is_an_attack():
    """nr-076: "a cross-border rampage on southern Israel Oct. 7" is the Hamas attack, dated and in Israel."""
    text = ("Iranian-backed Hamas, which is designated as a terrorist organization by the US and European Union, "
            "triggered the war in Gaza when it staged a cross-border rampage on southern Israel Oct. 7. It killed "
            "1,200 people and abducted 250 others, of whom more than 100 remain captive.")
    found = extract(text, published=date(2024, 4, 22))
    assert [(c.date, c.country, c.background) for c in found] == [(date(2023, 10, 7), "ISR", True)]


def test_no_event_in_deployments_and_vows():
    """nr-070, nr-069: a carrier "strike group" deployed, and a vow against "attacks" in general, propose nothing."""
    assert extract('The USS Abraham Lincoln strike group was deployed earlier this week in response to what the '
                   'Administration called a "serious threat" from Iran.', published=date(2019, 5, 10)) == []
    assert extract("TEHRAN, Iran — Iran has issued a stern warning to Israel, promising a retaliatory response to what "
                   "it describes as unprovoked Israeli attacks.", published=date(2024, 10, 26)) == []


def test_capital_of_a_named_city_is_that_city():
    """nr-058: "the Kurdistan region's capital of Erbil" is Erbil, not the country's capital Baghdad."""
    text = ("TEHRAN (Tasnim) – At least three kamikaze drones reportedly attacked the American forces based in the "
            "military wing of the airport in the northern Iraqi Kurdistan region's capital of Erbil.")
    (c,) = extract(text, published=date(2021, 9, 12))
    assert c.weapon_type == "drone" and km(c, 44.00943, 36.19117) < 30, c.to_dict()


def test_a_second_attack_off_a_port_is_its_own():
    """nr-061: "a second suspected attack off Yemen's port city of Hodeida" is one more attack, placed off Hodeidah."""
    text = ("A suspected attack Thursday by Yemen's Houthi rebels saw missiles strike a ship in the Gulf of Aden, "
            "authorities said, setting the vessel ablaze in what would be the latest such assault in their campaign "
            "over the Israel-Hamas war.\n\nLater on Thursday, the UKMTO reported a second suspected attack off Yemen's "
            "port city of Hodeida, but said the blast happened away from the vessel and did not damage it.")
    found = extract(text, published=date(2024, 6, 13))
    assert len(found) == 2 and any(km(c, 42.95452, 14.79781) < 60 for c in found), [c.to_dict() for c in found]


def test_the_same_base_is_the_place_told_before():
    """nr-059: "The same base was attacked with rockets in February" is the airport of the attack told before."""
    text = ("An unmanned aerial drone carried out an attack on US troops stationed at Iraq's Erbil airport. There were "
            "no reports of casualties in the attack late on Wednesday, Reuters reported.\n\nThe same base was attacked "
            "with rockets in February, killing a non-American contractor working for the US military.")
    found = extract(text, published=date(2021, 4, 15))
    february = [c for c in found if c.date.month == 2]
    assert len(february) == 1 and february[0].weapon_type == "rocket" and february[0].background
    assert km(february[0], 43.96306, 36.2375) < 10, february[0].to_dict()


TRT = """Israeli strike kills Hezbollah commander in southern Lebanon: official
Hezbollah and Israel have exchanged near-daily fire across the border after the Israeli war on Gaza broke out on October 7 following Hamas' cross-border blitz.

Israel killed a top commander of the Iran-backed Hezbollah group in a strike on south Lebanon, a security source has said, adding to fears the conflict in Gaza could spread.

The commander "had a leading role in managing Hezbollah's operations in the south", the security official said on Monday, requesting anonymity over security concerns.

The official added that he "was killed in an Israeli strike targeting his car in the south".
"""


def test_lead_date_weeks_old_is_background_and_the_south_is_the_country_told_last():
    """nr-065: the news of a report of 8 January is not dated by its lead's "October 7"; "the south" is Lebanon's,
    the country the sentences before place the strike in, though the report names Gaza more."""
    found = extract(TRT, published=date(2024, 1, 8))
    news = [c for c in found if c.date == date(2024, 1, 8)]
    assert len(news) == 1 and news[0].country == "LBN" and not news[0].background, [c.to_dict() for c in found]
    assert not any(c.country == "PSE" and c.date == date(2024, 1, 8) for c in found)


def test_bombarded_by_warplanes():
    """nr-079: "Turkey's warplanes reportedly bombarded sites ..." is an airstrike ("bombard" is an attack verb)."""
    text = ("Shafaq News/ Turkey's warplanes reportedly bombarded sites of the Kurdistan Workers Party (PKK) inside the "
            "territory of the Kurdistan Region earlier today, Tuesday. A security source told Shafaq News Agency that "
            "the bombardment mainly targeted the PKK sites on Mount Matin that overlooks Amedi district, north of "
            "Duhok.")
    found = extract(text, published=date(2022, 2, 22))
    assert [(c.weapon_type, c.date, c.actor) for c in found] == [("airstrike", date(2022, 2, 22), "Turkey")]
    assert found[0].country == "IRQ" and km(found[0], 43.48769, 37.09214) < found[0].precision_km, found[0].to_dict()


def test_drones_caused_explosions_is_one_drone_attack():
    """nr-081: "drones caused explosions in the Egyptian Red Sea towns of ..." is a drone attack there."""
    text = ("On October 27, drones caused explosions in the Egyptian Red Sea towns of Taba and Nuweiba, near the "
            "Israeli border.")
    found = extract(text, published=date(2023, 10, 31))
    assert {(c.weapon_type, c.date, c.country) for c in found} == {("drone", date(2023, 10, 27), "EGY")}


def test_killed_in_an_attack_on_a_site_shares_date_and_place():
    """nr-084: "An earlier strike in January killed seven others in an attack on Damascus International Airport"."""
    text = ("ERBIL (Kurdistan 24) – Israeli missile strikes hit a residential neighborhood in the central Syrian capital "
            "Damascus and resulted in the killing of 15 people, including civilians, on early Sunday, according to a "
            "war monitor.\n\nThis is the second attack allegedly carried out by Israel on suspected Iranian and "
            "Lebanese militias' positions this year. An earlier strike in January killed seven others in an attack on "
            "Damascus International Airport and its vicinity.")
    found = extract(text, published=date(2023, 2, 19))
    january = [c for c in found if c.date.month == 1]
    assert len(january) == 1 and km(january[0], 36.51556, 33.41139) < 20, [c.to_dict() for c in found]


def test_quoted_today_is_the_statement_day():
    """nr-083: "Today, ... US military forces conducted self-defense strikes," the release said on Thursday."""
    text = ("The US Department of Defense revealed late Thursday that forces had fired strikes against two facilities "
            "in Syria following earlier attacks against American and allied troops in Iraq and Syria.\n"
            "\"Today, at President [Joe] Biden's direction, US military forces conducted self-defense strikes on two "
            "facilities in eastern Syria used by Iran's Islamic Revolutionary Guard Corps (IRGC) and affiliated "
            "groups,\" the release said on Thursday.")
    found = extract(text, published=date(2023, 10, 27))
    assert found and all(c.date == date(2023, 10, 26) for c in found), [c.to_dict() for c in found]


def test_a_monitor_based_in_britain_places_nothing():
    """nr-087: "The district was targeted in ... February 2023" is the district told before; "a war monitoring group
    based in Britain" is where the monitor sits, not where the attack was."""
    text = ("Several Israeli missiles hit a residential building in the Kafr Sousa district in Syria's capital Damascus "
            "on Wednesday, Syrian state media reported, after a recent string of similar strikes.\nThe neighborhood "
            "hosts residential buildings, schools and Iranian cultural centers, and lies near a large, heavily-guarded "
            "complex used by security agencies. The district was targeted in an Israeli attack in February 2023 that "
            "killed Iranian military experts.\nThe Syrian Observatory, a war monitoring group based in Britain, "
            "reported that a building near an Iranian school in Damascus was targeted.")
    found = extract(text, published=date(2024, 2, 21))
    assert not any(c.country == "GBR" for c in found), [c.to_dict() for c in found]
    earlier = [c for c in found if c.date.year == 2023]
    assert len(earlier) == 1 and km(earlier[0], 36.29128, 33.5102) < 25, [c.to_dict() for c in found]


def test_a_month_before_the_attack_noun():
    """nr-078: "an August skirmish" in a report of February 2023 is dated August 2022."""
    text = ("The base is located in northeastern Syria, and the drone flew toward Mission Support Site Conoco, named "
            "for the huge gas field that US-backed forces have for years occupied in Deir Ezzor province.\n\nOne of the "
            "biggest recent incidents at Conoco gas field involved an August skirmish wherein the US counter-attacked "
            "against what were believed to be Iran-backed fighters. The Pentagon at the time said it took out four "
            "enemy militants and destroyed rocket launchers.")
    found = extract(text, published=date(2023, 2, 15))
    august = [c for c in found if (c.date.year, c.date.month) == (2022, 8)]
    assert len(august) == 1 and august[0].date_precision == "month" and august[0].background, \
        [c.to_dict() for c in found]


def test_a_drone_that_fired_a_missile_is_a_drone_strike():
    """nr-093: "An Israeli drone fired a missile at a car" is one drone strike by Israel, not an unknown missile."""
    text = ("DAMASCUS, Syria (AP) — An Israeli drone fired a missile at a car in southern Syria on Thursday, killing one "
            "person, Syrian state TV reported, while an opposition war monitor said the man targeted was an anti-Israel "
            "operative.")
    found = extract(text, published=date(2020, 2, 27))
    assert [(c.weapon_type, c.actor, c.date) for c in found] == [("drone", "Israel", date(2020, 2, 27))]


def test_gunmen_who_assaulted_and_a_distance_from_a_city():
    """nr-089: "gunmen believed to be members of ISIS assaulted ... a checkpoint" is an armed assault; "a town sixty
    kilometers north of ... Baghdad" is not Baghdad itself: its precision covers the sixty kilometres."""
    text = ("ERBIL (Kurdistan 24) – An Iraqi army outpost near a town sixty kilometers north of the capital city of "
            "Baghdad came under attack from a suspected ISIS cell, one security source said.\n\nThe source told "
            "Kurdistan 24 that a number of gunmen believed to be members of the ISIS terrorist organization assaulted "
            "and temporarily took control of an army checkpoint outside al-Tala'a village, Khalis district, Diyala "
            "province.")
    found = extract(text, published=date(2021, 9, 12))
    assert len(found) == 1 and found[0].weapon_type == "small_arms", [c.to_dict() for c in found]
    assert km(found[0], 44.53343, 33.80809) < found[0].precision_km, found[0].to_dict()  # Khalis, within the claim


def test_a_missile_named_first_keeps_its_weapon():
    """nr-092: the headline's "Houthi missile" at Jeddah stays a missile though drones are told later."""
    text = ("Saudi Aramco's Jeddah oil facility hit by Houthi missile\n\nSaudi Aramco's Jeddah oil facility has been hit "
            "by a Houthi missile on Friday.\n\nHe said that the group attacked Aramco's facilities with missiles and the "
            "Ras Tanura and Rabigh refineries with drones.")
    found = extract(text, published=date(2022, 3, 25))
    assert found[0].weapon_type == "ballistic_missile" and km(found[0], 39.18624, 21.49012) < 50, \
        [c.to_dict() for c in found]


def test_since_a_date_when_an_attack_dates_that_attack():
    """nr-058: "... since early last year, when a US drone attack targeted the capital Baghdad" is that year's drone
    strike (background), not an attack of the report's day."""
    text = ("Iraq's resistance groups have, however, significantly increased their attacks on the American interests in "
            "the country since early last year, when a US drone attack targeted the capital Baghdad.\nThe attack led to "
            "the martyrdom of senior Iranian and Iraqi anti-terror commanders, Lieutenant General Qassem Soleimani and "
            "Abu Mahdi al-Muhandis.")
    found = extract(text, published=date(2021, 9, 12))
    assert [(c.weapon_type, c.date.year, c.date_precision, c.background) for c in found] == \
        [("drone", 2020, "year", True)], [c.to_dict() for c in found]
    assert km(found[0], 44.40088, 33.34058) < 30


def test_a_separate_incident_on_a_day_is_its_own_attack():
    """nr-096: "In a separate incident on Saturday, a drone strike killed a person ... in Tyre" is not the Nabatieh
    airstrike told before, though both are of that Saturday and 25 km apart."""
    text = ("An Israeli airstrike in Nabatiyeh, southern Lebanon, has killed at least ten people, all of whom were "
            "Syrian nationals, according to the Lebanese Ministry of Health.\nIn a separate incident on Saturday, a "
            "drone strike killed a person on a motorcycle in the southern Lebanese city of Tyre.")
    found = extract(text, published=date(2024, 8, 17))
    assert sorted(c.weapon_type for c in found) == ["airstrike", "drone"], [c.to_dict() for c in found]
    drone = next(c for c in found if c.weapon_type == "drone")
    assert km(drone, 35.19389, 33.27333) < 15 and drone.fatalities == 1, drone.to_dict()
