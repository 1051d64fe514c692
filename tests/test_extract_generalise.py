"""News extraction rules that replace special cases by general mechanisms, each on real dev excerpts of
bench/data/news_real (several articles, several batches, per rule)."""

from __future__ import annotations

from datetime import date

from geo.news.extract import extract
from tests.conftest import km

# --- A news attack told again without its own date or place is no new attack (geo.news.retell) ---------------


def test_a_later_undated_placeless_mention_retells_the_placed_news():
    """nr-108: after the drone attack on Abu Dhabi, "the rebels responded by firing rockets and sending armed drones"
    has no date and no place of its own: it proposes no rocket attack at Abu Dhabi (the article's main place)."""
    text = ("UAE law enforcement sources said that two Indian nationals and a Pakistani national were killed in an "
            "apparent ‘drone attack’ on Abu Dhabi.\n"
            "The Saudi-led coalition intervened in the Yemeni civil war in 2015 on behalf of ousted President Abdrabbuh "
            "Mansur Hadi. The collation carried out bombing raids into the Houthi-controlled areas, while the rebels "
            "responded by firing rockets and sending armed drones into Saudi territory.")
    found = extract(text, published=date(2022, 1, 17))
    assert [(c.weapon_type, c.location) for c in found] == [("drone", "Abu Dhabi")], [c.to_dict() for c in found]
    assert any("firing rockets" in s for s in found[0].sentences)  # kept as evidence of the attack it retells


def test_an_undated_placeless_strike_sentence_borrows_no_place_abroad():
    """nr-102: "US forces said that they were carrying new airstrikes" (cut off before its target) would only borrow
    the Houthi missile attack's place in the Bab el-Mandeb: it proposes nothing of its own."""
    text = ("A missile attack by Houthi rebels on Sunday (Feb 18) severely damaged a Belize-flagged ship travelling "
            "through the Bab el-Mandeb Strait that connects the Red Sea and the Gulf of Aden.\n"
            "Meanwhile, US forces said that they were carrying new airstrikes targeting ")
    found = extract(text, published=date(2024, 2, 19))
    assert [c.weapon_type for c in found] == ["ballistic_missile"], [c.to_dict() for c in found]


def test_an_undated_placeless_mention_alone_still_proposes_the_news():
    """Without a placed attack of that day to retell, the mention is the article's news and stays (seed style)."""
    found = extract("Rockets hit the compound.", published=date(2024, 1, 9))
    assert len(found) == 1


# --- A dateline is where the reporter is: it never says which country "the capital" means (geo.news.places) -----

NR_011 = ("Israeli attack on Damascus kills seven\n\n"
          "BEIRUT: Israeli strikes on Damascus airport killed seven fighters, a war monitor said Friday, the latest in a "
          "string of attacks targeting Iran’s military presence in Syria.\n\n"
          "Syrian state media said only that its air defences intercepted missiles over the capital overnight while "
          "Israel did not immediately comment on the strikes.")
NR_074 = ("Saudi-led coalition intercepts Houthi drone – state media\n\n"
          "DUBAI: The Saudi-led military coalition battling Yemen’s Houthi movement intercepted and destroyed a drone "
          "launched towards the southern Saudi Arabian city of Khamis Mushait, state media said on Sunday.")


def _places(text: str):
    from geo.news.places import ArticlePlaces
    from geo.news.text import normalise, read_article

    text = normalise(text)
    return ArticlePlaces(text, read_article(text).dateline)


def test_the_capital_is_not_the_datelines():
    """nr-011 (BEIRUT dateline, strikes on Damascus): "missiles over the capital" are over Damascus, not Beirut."""
    places = _places(NR_011)
    assert places.dateline is not None and places.dateline.country == "LBN"
    assert places.resolve("the capital").country == "SYR"


def test_a_countrys_capital_is_that_countrys():
    """nr-074 (DUBAI dateline, a Houthi drone at Saudi Arabia): "Yemen's capital" is Sanaa, neither Abu Dhabi (the
    dateline's country) nor Riyadh (the article's main country)."""
    got = _places(NR_074).resolve("Yemen's capital")
    assert got is not None and got.country == "YEM" and "San" in got.matched


# --- A coordinated site list belongs to the phrase that names it, not to every attack word of the sentence --------


def test_a_second_attack_word_keeps_its_own_place_beside_a_site_list():
    """nr-080: "strikes on two positions in the Sinjar mountains and an adjacent area in neighboring Syria, as well as
    two raids in the Shila area near Iraq's border": the raids take no site of the strikes' list (a cause or second
    attack told beside a list of sites keeps its own place: sites.where gives sites only with their phrase)."""
    from geo.news.frames import frames
    from geo.news.places import ArticlePlaces
    from geo.news.text import read_article

    text = ("Turkish airstrikes hit Kurdish militant targets in northern Iraq late Tuesday. "
            "It also referred to strikes on two positions in the Sinjar mountains and an adjacent area in neighboring "
            "Syria, as well as two raids in the Shila area near Iraq's border with Syria.")
    places = ArticlePlaces(text, "")
    found = {f.mention.text: f for s in read_article(text).sentences for f in frames(s, date(2022, 2, 2), places)}
    raids = found["raids"]
    assert raids.place is not None and raids.place.country == "IRQ"
    assert all(site_text in ("Shila area", "Iraq") or "Shila" in site_text for _, site_text in raids.sites)


# --- "Earlier on Thursday, ..." opens another attack than the one told just before (geo.news.frames) -------------


def test_earlier_on_a_day_opens_another_attack():
    """nr-007: after Israeli aircraft struck the Yater region, "Earlier on Thursday, ... an Israeli strike in Chamaa"
    is another strike of that day (the same day, the same attacker, 13 km away), not the Yater one told again."""
    text = ("Shortly after the shooting, Israeli aircraft struck the location “from where the projectiles were fired in "
            "the Yater region” in southern Lebanon, the statement added.\n"
            "Earlier on Thursday, the Lebanese Health Ministry reported four Syrians killed and five Lebanese wounded in "
            "an Israeli strike in Chamaa in the south, where Hezbollah and Israel have been exchanging daily fire for "
            "nearly ten months.")
    found = extract(text, published=date(2024, 8, 1))
    assert sorted(c.location for c in found) == ["Chamaa", "Yater"], [c.to_dict() for c in found]
    assert all(c.date == date(2024, 8, 1) for c in found)


# --- "N days/a month after <attack>" dates the attack told after it (geo.news.frames) -----------------------------


def test_a_month_after_dates_the_attack_after_it():
    """nr-124: "The blasts on two ships come a month after four tankers were attacked with mines off the UAE": the
    month back goes to the earlier attack told after the phrase, not to the blasts told before it."""
    text = ("Two oil tankers, one Norwegian and one Japanese, are damaged and abandoned after being attacked in the Gulf "
            "of Oman, with all crew members aboard both ships safely rescued.\n"
            "The blasts on two ships come a month after four tankers were attacked with mines off the UAE.")
    found = extract(text, published=date(2019, 6, 13))
    earlier = [c for c in found if c.background]
    assert len(earlier) == 1 and earlier[0].country == "ARE", [c.to_dict() for c in found]
    c = earlier[0]
    assert c.date_precision == "month" and c.date <= date(2019, 5, 13) <= (c.date_end or c.date)  # about May 13
    assert [c.date for c in found if not c.background] == [date(2019, 6, 13)]


def test_a_week_after_a_blast_stays_with_the_blast():
    """nr-041: "The offensive ... comes a week after a blast in central Istanbul that killed six people": the same
    reading where the attack after the phrase is also the nearest one."""
    text = ("Turkish airstrikes overnight killed at least 31 people in northern Syria, a Britain-based war monitoring "
            "group said on Sunday.\n"
            "The offensive, codenamed Operation Claw-Sword, comes a week after a blast in central Istanbul that killed "
            "six people and wounded 81, which Ankara has blamed on Kurdish militants.")
    found = extract(text, published=date(2022, 11, 20))
    blast = [c for c in found if c.background]
    assert len(blast) == 1 and blast[0].weapon_type == "ied" and blast[0].date_precision == "week"
    assert blast[0].date <= date(2022, 11, 13) <= (blast[0].date_end or blast[0].date)  # the week before


# --- Disputed land without a country, and who holds a place, no part of its name (geo.news.places) ---------------


def test_a_rocket_at_the_occupied_golan_is_at_the_golan():
    """nr-057: "a rocket fired at the Israeli-occupied Northern Golan heights": the Golan (a gazetteer region with no
    country, being disputed), not the centroid of Israel 200 km away; "Israeli-occupied" says who holds it."""
    text = ("Israel carried out strikes in Syria on Sunday, which was confirmed by both sides.\n"
            "Israeli prime minister Benjamin Netanyahu confirmed the airport attack. Israel also reported intercepting a "
            "rocket fired at the Israeli-occupied Northern Golan heights, without specifying where the rocket came "
            "from.")
    found = [c for c in extract(text, published=date(2019, 1, 22)) if c.weapon_type == "rocket"]
    assert len(found) == 1 and "Golan" in found[0].location, [c.to_dict() for c in found]
    assert km(found[0], 35.75, 32.98) < 40


def test_who_holds_a_place_is_no_part_of_its_name():
    """nr-118 ("the Houthi-held Yemeni capital of Sanaa") and nr-057 ("the Israeli-occupied Northern Golan heights"):
    the holder's prefix is dropped before the place is looked up."""
    from geo.news.places import ArticlePlaces

    places = ArticlePlaces("Israeli strikes on Yemen. Israel and Syria.", "")
    assert places.resolve("the Houthi-held Yemeni capital of Sanaa").country == "YEM"
    assert "Golan" in places.resolve("the Israeli-occupied Northern Golan heights").matched
