"""Writes bench/data/news_eval.json: short reports summarised in our own words, their sources, and the expected events.

Coordinates come from the bundled gazetteer (``coord``: the gazetteer entry) or a cited page; run once, commit the JSON.
"""

from __future__ import annotations

import sys
from pathlib import Path as _Path

sys.path.insert(0, str(_Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import json
from pathlib import Path

EMBASSY = (44.39611, 33.29889, "gazetteer: US Embassy Baghdad")
ASAD = (42.44111, 33.78556, "gazetteer: Ain al-Asad Air Base")
ERBIL_AP = (43.96306, 36.2375, "gazetteer: Erbil International Airport")
ERBIL = (44.00943, 36.19117, "gazetteer: Erbil")
K1 = (44.28417, 35.5125, "https://en.wikipedia.org/wiki/2019_K-1_Air_Base_attack (infobox coordinates)")
TAJI = (44.2775, 33.52944, "gazetteer: Camp Taji")
JURF = (44.21389, 32.86667, "gazetteer: Jurf al-Sakhar")
QAIM = (41.13889, 34.36694, "gazetteer: al-Qa'im")
ABQAIQ = (49.6688, 25.93402, "gazetteer: Abqaiq")
OMAR = (40.57583, 35.15167, "gazetteer: al-Omar oil field")
ABUKAMAL = (40.91667, 34.45, "gazetteer: Abu Kamal")
BGW = (44.23444, 33.2625, "gazetteer: Baghdad International Airport")


def ev(day, weapon, place, outcome=None, precision="day", tolerance_km=0.0, background=False):
    lon, lat, coord = place
    return {"date": day, "date_precision": precision, "weapon_type": weapon, "lon": lon, "lat": lat,
            "coord_source": coord, "outcome": outcome, "tolerance_km": tolerance_km, "background": background}


REPORTS = [
    {"id": "baghdad-embassy-drone-2021-07", "published": "2021-07-06",
     "sources": [{"publisher": "TRT World (AFP)", "url": "https://www.trtworld.com/article/12763903", "date": "2021-07-05",
                  "title": "Armed drone shot down over US embassy in Baghdad; no casualties"},
                 {"publisher": "The Media Line", "url": "https://themedialine.org/headlines/us-shoots-down-armed-drone-over-embassy-in-baghdad/print/",
                  "date": "2021-07-06", "title": "US Shoots Down Armed Drone Over Embassy in Baghdad"}],
     "text": "American air defences in Baghdad brought down a drone packed with explosives as it approached the US "
             "embassy on Monday night, according to Iraqi security sources. Hours before, three rockets landed on the "
             "perimeter of the Ain al-Asad air base in Anbar, which hosts American soldiers; nobody was hurt. "
             "Washington has blamed Iran-backed militias for such attacks.",
     "expected": [ev("2021-07-05", "drone", EMBASSY, "intercepted"), ev("2021-07-05", "rocket", ASAD, "impact")]},
    {"id": "asad-rockets-2021-07-07", "published": "2021-07-07",
     "sources": [{"publisher": "Air & Space Forces Magazine", "url": "https://airandspaceforces.com/two-injured-in-rocket-attack-at-al-asad",
                  "date": "2021-07-07", "title": "Two Injured in Rocket Attack at al-Asad"},
                 {"publisher": "ABC News", "url": "https://abcnews.go.com/Politics/us-military-service-members-hurt-rocket-attack-al/story?id=78718153",
                  "date": "2021-07-07", "title": "2 US military service members hurt in rocket attack on al-Asad Air Base"}],
     "text": "Fourteen rockets struck al-Asad Air Base in western Iraq on Wednesday, leaving two American service "
             "members with minor injuries, the coalition spokesman said. The day before, on July 6, drones dropped "
             "explosives on Erbil International Airport, which also houses US troops, without causing casualties.",
     "expected": [ev("2021-07-07", "rocket", ASAD, "impact"), ev("2021-07-06", "drone", ERBIL_AP, "impact")]},
    {"id": "asad-rockets-omar-drone-2021-07-07", "published": "2021-07-07",
     "sources": [{"publisher": "The Business Standard (Reuters)", "url": "https://www.tbsnews.net/world/rockets-hit-iraqi-base-housing-us-forces-wounding-two-271603",
                  "date": "2021-07-07", "title": "Rockets hit Iraqi base housing US forces, wounding two"}],
     "text": "At least 14 rockets hit the Ain al-Asad air base hosting US and other foreign troops on Wednesday, "
             "lightly wounding two people. In Syria, the Kurdish-led SDF said it thwarted a drone attack on the "
             "Al Omar oil field the same day. No one immediately claimed either attack.",
     "expected": [ev("2021-07-07", "rocket", ASAD, "impact"), ev("2021-07-07", "drone", OMAR, "intercepted")]},
    {"id": "erbil-rockets-2021-02-15", "published": "2021-02-16",
     "sources": [{"publisher": "13abc (Associated Press)", "url": "https://www.13abc.com/2021/02/16/us-led-coalition-no-americans-killed-in-iraq-rocket-attack/",
                  "date": "2021-02-16", "title": "US-led coalition: Rocket attack in Iraq killed contractor"},
                 {"publisher": "KirkukNow", "url": "https://kirkuknow.com/en/news/64892", "date": "2021-02-15",
                  "title": "Erbil Rocket Attack: civilian contractor killed, eight injured"}],
     "text": "Rockets slammed into the area of Erbil International Airport late Monday, killing one civilian "
             "contractor working for the US-led coalition and wounding an American soldier. A little-known group, "
             "Saraya Awliya al-Dam, claimed responsibility for the attack.",
     "expected": [ev("2021-02-15", "rocket", ERBIL_AP, "impact")]},
    {"id": "us-strikes-syria-2021-02-25", "published": "2021-02-26",
     "sources": [{"publisher": "Navy Times", "url": "https://www.navytimes.com/news/your-military/2021/02/26/biden-orders-us-airstrike-against-iran-backed-militia-target-in-eastern-syria/",
                  "date": "2021-02-26", "title": "Biden orders US airstrike against Iran-backed militia target in eastern Syria"},
                 {"publisher": "Arrahmah (AMN)", "url": "https://arrahmah.id/as-serang-kataib-hizbullah-di-suriah-timur",
                  "date": "2021-02-26", "title": "AS serang Kataib Hizbullah di Suriah timur"}],
     "text": "The Pentagon said US airstrikes on Thursday destroyed several facilities at a border control point near "
             "Abu Kamal in eastern Syria used by Kata'ib Hezbollah and Kata'ib Sayyid al-Shuhada. The strikes "
             "answered the February 15 rocket attack in Erbil that killed a coalition contractor.",
     "expected": [ev("2021-02-25", "airstrike", ABUKAMAL, "impact", tolerance_km=15),
                  ev("2021-02-15", "rocket", ERBIL_AP, "impact", background=True)]},
    {"id": "asad-rockets-2021-03-03", "published": "2021-03-03",
     "sources": [{"publisher": "KATC (Associated Press)", "url": "https://www.katc.com/news/national/rockets-hit-airbase-hosting-us-troops-in-iraq",
                  "date": "2021-03-03", "title": "Pentagon: US contractor dies in rocket attack at Iraq base"}],
     "text": "At least ten rockets hit Ain al-Asad air base in Anbar province on Wednesday morning, the coalition "
             "said. A US civilian contractor died of a cardiac episode while sheltering. Nobody has claimed the attack.",
     "expected": [ev("2021-03-03", "rocket", ASAD, "impact")]},
    {"id": "erbil-drone-2021-04-14", "published": "2021-04-15",
     "sources": [{"publisher": "People's Daily Online (Xinhua)", "url": "http://en.people.cn/n3/2021/0415/c90000-9839274.html",
                  "date": "2021-04-15", "title": "Booby-trapped drone hit U.S.-led coalition base in Iraq's Kurdistan"}],
     "text": "A drone carrying TNT struck the coalition base at Erbil airport on Wednesday evening, damaging a "
             "building but causing no casualties, the Kurdish interior ministry said. On February 15, rockets had "
             "landed in and near the same airport, killing a foreign contractor.",
     "expected": [ev("2021-04-14", "drone", ERBIL_AP, "impact"),
                  ev("2021-02-15", "rocket", ERBIL_AP, "impact", background=True)]},
    {"id": "asad-drone-2021-05-08", "published": "2021-05-08",
     "sources": [{"publisher": "Iraq News (Associated Press)", "url": "https://english.hathalyoum.net/articles/43728-drone-attack-iraqi-base-hosting-troopscasualties-",
                  "date": "2021-05-08", "title": "Drone attack on Iraqi base hosting US troops; no casualties"}],
     "text": "An explosive drone hit the Ain al-Asad base early on Saturday, damaging a hangar, the coalition "
             "spokesman said. There were no casualties and no group claimed the strike.",
     "expected": [ev("2021-05-08", "drone", ASAD, "impact")]},
    {"id": "omar-rockets-2021-06-28", "published": "2021-06-28",
     "sources": [{"publisher": "The National", "url": "https://www.thenationalnews.com/mena/us-troops-attacked-by-rocket-fire-in-syria-1.1250755",
                  "date": "2021-06-28", "title": "US troops attacked by rocket fire in Syria"},
                 {"publisher": "Defense World", "url": "https://defenseworld.net/2021/06/29/u-s-military-launches-counter-battery-artillery-fire-in-response-to-rocket-attack-in-syria.html",
                  "date": "2021-06-29", "title": "U.S. military launches counter-battery artillery fire in response to rocket attack in Syria"}],
     "text": "Several rockets were fired at US forces at the Al Omar oil field in eastern Syria on Monday evening, "
             "causing no injuries, a US military spokesman said. The attack came a day after US airstrikes on Sunday "
             "hit militia facilities near Abu Kamal on the Syrian-Iraqi border.",
     "expected": [ev("2021-06-28", "rocket", OMAR, "impact"),
                  ev("2021-06-27", "airstrike", ABUKAMAL, "impact", tolerance_km=30)]},
    {"id": "k1-rockets-2019-12-27", "published": "2019-12-28",
     "sources": [{"publisher": "Ensonhaber (Reuters)", "url": "https://www.ensonhaber.com/us-contractor-killed-in-iraq-base-rocket-attack.html",
                  "date": "2019-12-28", "title": "US contractor killed in Iraq base rocket attack"},
                 {"publisher": "Wikipedia", "url": "https://en.wikipedia.org/wiki/2019_K-1_Air_Base_attack", "date": None,
                  "title": "2019 K-1 Air Base attack"}],
     "text": "More than 30 rockets struck the K-1 air base near Kirkuk on Friday, killing a US civilian contractor and "
             "wounding several American service members. US officials blamed Kata'ib Hezbollah, which denied it.",
     "expected": [ev("2019-12-27", "rocket", K1, "impact")]},
    {"id": "us-strikes-kh-2019-12-29", "published": "2019-12-30",
     "sources": [{"publisher": "Republic World", "url": "https://www.republicworld.com/world-news/rest-of-the-world-news/us-airstrikes-iran-backed-paramilitary-group-kataib-hezbollah-in-iraq.html",
                  "date": "2019-12-30", "title": "US airstrikes on Iran-backed paramilitary group Kataib Hezbollah in Iraq"}],
     "text": "US F-15 jets carried out airstrikes on Sunday against five Kata'ib Hezbollah sites, three in Iraq and "
             "two in Syria, killing at least 25 fighters, the Pentagon and militia sources said. One strike hit the "
             "group's headquarters near al-Qaim on the Syrian border.",
     "expected": [ev("2019-12-29", "airstrike", QAIM, "impact", tolerance_km=15)]},
    {"id": "soleimani-strike-2020-01-03", "published": "2020-01-03",
     "sources": [{"publisher": "Hozint", "url": "https://www.hozint.com/2020/01/u-s-drone-strike-killed-iranian-major-general-qassem-soleimani-at-baghdad-international-airport-bgw/",
                  "date": "2020-01-03", "title": "U.S. drone strike killed Iranian Major-General Qassem Soleimani at Baghdad International Airport"}],
     "text": "A US drone strike near Baghdad International Airport killed eight people early on Friday, among them "
             "Iranian general Qassem Soleimani and Iraqi militia leader Abu Mahdi al-Muhandis. The Pentagon said the "
             "strike was ordered by the president.",
     "expected": [ev("2020-01-03", "drone", BGW, "impact")]},
    {"id": "iran-missiles-2020-01-08", "published": "2020-01-08",
     "sources": [{"publisher": "Kurdistan 24", "url": "https://www.kurdistan24.net/en/news/d6f3be2d-88af-46c6-8929-168aab4e39a4",
                  "date": "2020-01-08", "title": "Iran launches over a dozen ballistic missiles at airbases in Iraq"}],
     "text": "Iran fired more than a dozen ballistic missiles at Ain al-Asad air base early on Wednesday, the "
             "Pentagon confirmed. Other missiles landed in Erbil, near the US consulate. Iraqi media reported "
             "casualties only among Iraqi security forces.",
     "expected": [ev("2020-01-08", "ballistic_missile", ASAD, "impact"),
                  ev("2020-01-08", "ballistic_missile", ERBIL, "impact", tolerance_km=15)]},
    {"id": "taji-rockets-2020-03-11", "published": "2020-03-11",
     "sources": [{"publisher": "Los Angeles Times", "url": "https://www.latimes.com/world-nation/story/2020-03-11/rocket-attack-in-iraq-kills-two-americans-and-a-briton",
                  "date": "2020-03-11", "title": "Rocket attack in Iraq kills two Americans and a Briton"}],
     "text": "Around 18 rockets hit Camp Taji north of Baghdad on Wednesday, killing two Americans and a British "
             "soldier and wounding 12 others, the coalition said. No group has claimed responsibility.",
     "expected": [ev("2020-03-11", "rocket", TAJI, "impact")]},
    {"id": "us-strikes-kh-2020-03-12", "published": "2020-03-13",
     "sources": [{"publisher": "The Daily Beast", "url": "https://www.thedailybeast.com/us-hits-iran-backed-group-with-airstrikes-after-camp-taji-rocket-attack-officials-say",
                  "date": "2020-03-12", "title": "U.S. Hits Iran-Backed Group With Airstrikes After Rocket Attack on Iraq Base"},
                 {"publisher": "News Parliament (Newsweek)", "url": "http://newsparliament.com/2020/03/12/u-s-airstrikes-target-iraq-militia-following-deadly-attack-on-u-s-u-okay-troops/",
                  "date": "2020-03-12", "title": "U.S. airstrikes target Iraq militia following deadly attack"}],
     "text": "The US military said it carried out airstrikes on Thursday against five Kata'ib Hezbollah weapons "
             "storage facilities in Iraq, a day after the deadly rocket attack on Camp Taji. Militia officials said "
             "aircraft struck Jurf al-Sakhar in Babil province.",
     "expected": [ev("2020-03-12", "airstrike", JURF, "impact"), ev("2020-03-11", "rocket", TAJI, "impact")]},
    {"id": "abqaiq-drones-2019-09-14", "published": "2019-09-14",
     "sources": [{"publisher": "China Plus (Xinhua)", "url": "https://chinaplus.cri.cn/news/world/10/20190914/350342.html",
                  "date": "2019-09-14", "title": "Yemen's Houthi rebels claim drone attacks on Saudi Aramco oil plants"},
                 {"publisher": "CSIS Missile Threat", "url": "https://missilethreat.csis.org/houthis-strike-saudi-oil-infrastructure/",
                  "date": "2019-09-16", "title": "Houthis Strike Saudi Oil Infrastructure"}],
     "text": "Yemen's Houthi rebels claimed responsibility for a ten-drone attack early on Saturday that set fire to "
             "the Aramco processing plant at Abqaiq in eastern Saudi Arabia. US officials later accused Iran of "
             "supporting the operation.",
     "note": "The Khurais oil field, also hit, is not in the gazetteer and no cited coordinate was found: not scored.",
     "expected": [ev("2019-09-14", "drone", ABQAIQ, "impact")]},
]

if __name__ == "__main__":
    out = Path(__file__).parent / "data" / "news_eval.json"
    out.write_text(json.dumps({"about": "Reports summarised in our own words (facts checked against the cited "
                                        "sources); expected events with gazetteer or cited coordinates.",
                               "reports": REPORTS}, indent=1, ensure_ascii=False) + "\n")
    print(f"{out}: {len(REPORTS)} reports, {sum(len(r['expected']) for r in REPORTS)} expected events")
