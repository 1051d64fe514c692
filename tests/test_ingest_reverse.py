"""Issue 14: a plain CSV with Date/Latitude/Longitude/Weapon/Actor/Notes and no place name imports, its locations
named by reverse geocoding (country and admin1 from ``geo.reverse_geocode``, the nearest GeoNames town)."""

from __future__ import annotations

import geo
from geo import ingest

PLAIN = (b"Date,Latitude,Longitude,Weapon,Actor,Notes\n"
         b"2021-07-05,33.3152,44.3661,drone,Unidentified,Drone shot down over Baghdad\n"  # central Baghdad
         b"2021-07-07,33.7856,42.4411,rocket,Islamic Resistance in Iraq,Rockets at the air base\n"  # Ain al-Asad
         b"2021-06-28,31.0,45.0,airstrike,United States,Strike in the desert\n")  # far from any town


def test_plain_csv_without_place_names_imports():
    result = ingest.read(PLAIN, name="plain.csv")
    events = result.events
    assert result.taken == 3 and events["location_derived"].all()
    assert events["country"].astype(str).tolist() == ["IRQ", "IRQ", "IRQ"]
    assert events["location"].iloc[0] == "Baghdad"  # a point in the city is named by it
    assert events["admin1"].notna().all()
    assert any("reverse geocoding" in n for n in result.notes)
    # a point far from every town is named by its province and country, never by a distant town
    assert events["location"].iloc[2].endswith(", Iraq")


def test_names_agree_with_the_public_reverse_geocoder():
    events = ingest.read(PLAIN, name="plain.csv").events
    where = geo.reverse_geocode(events.geometry.x.to_numpy(), events.geometry.y.to_numpy())
    assert where["country"].tolist() == events["country"].astype(str).tolist()
    assert where["admin1"].tolist() == events["admin1"].tolist()


def test_given_place_names_are_kept():
    lines = PLAIN.split(b"\n")
    data = b"\n".join([lines[0] + b",Location", lines[1] + b",Green Zone", *(line + b"," for line in lines[2:4])])
    events = ingest.read(data, name="plain.csv").events
    assert events["location"].iloc[0] == "Green Zone" and not events["location_derived"].iloc[0]
