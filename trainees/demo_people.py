"""The demo's candidates: about 180 nominations generated from Huzhou's towns and departments.

Names, birth dates, units and ID numbers (with a valid GB 11643 check character) come from the
word lists in demo_data and a seeded random.Random, so the same seed gives the same people."""

from __future__ import annotations

import datetime

from . import demo_data as data
from .models import CadreType, Gender, Rank
from .validators import id_number_check_char


def _name(rng, used: set[str], gender: str) -> str:
    given = data.GIVEN_MALE if gender == Gender.MALE else data.GIVEN_FEMALE
    while True:
        name = rng.choice(data.SURNAMES) + "".join(rng.sample(given, rng.choice((1, 2, 2))))
        if name not in used:
            used.add(name)
            return name


def _birth(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _id_number(rng, region: str, birth: datetime.date, gender: str) -> str:
    sequence = rng.randrange(10, 99) * 10 + rng.choice(
        (1, 3, 5, 7, 9) if gender == Gender.MALE else (0, 2, 4, 6, 8)
    )
    first_17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first_17 + id_number_check_char(first_17)


def _place(rng, kind: str) -> dict:
    """Where someone works: a town, a city department or a county department."""
    if kind == "town":
        district = rng.choice(sorted(data.DISTRICTS))
        region, towns = data.DISTRICTS[district]
        town = rng.choice(towns)
        work_field, specialties = rng.choice(data.TOWN_WORK)
        return {
            "unit": f"{district}{town}",
            "region": region,
            "town": town,
            "work_field": work_field,
            "specialty": rng.choice(specialties),
        }
    if kind == "city":
        unit, work_field, specialties = rng.choice(data.CITY_DEPARTMENTS)
        return {
            "unit": f"湖州{unit}",
            "region": data.CITY_REGION,
            "town": "",
            "work_field": work_field,
            "specialty": rng.choice(specialties),
        }
    district = rng.choice(sorted(data.DISTRICTS))
    suffix, work_field, specialties = rng.choice(data.COUNTY_DEPARTMENTS)
    return {
        "unit": f"{district}{suffix}",
        "region": data.DISTRICTS[district][0],
        "town": "",
        "work_field": work_field,
        "specialty": rng.choice(specialties),
    }


def _town_kind(town: str) -> str:
    return "街道" if town.endswith("街道") else town[-1]


def candidate_profiles(rng) -> list[dict]:
    """About 180 nominations: the three eligible groups of the article, a few township
    chiefs among them, and cases that just miss a rule (born 1984, recruited 2022...)."""
    profiles = []
    used: set[str] = set()

    def person(kind, rank, born_from, born_to, **extra):
        gender = rng.choice((Gender.MALE, Gender.MALE, Gender.FEMALE))
        birth = _birth(rng, born_from, born_to)
        place = _place(rng, kind)
        profile = {
            "name": _name(rng, used, gender),
            "gender": gender,
            "birth_date": birth,
            "id_number": _id_number(rng, place["region"], birth, gender),
            "unit": place["unit"],
            "rank": rank,
            "cadre_type": CadreType.OTHER,
            "recruitment_year": None,
            "township_chief_experience": False,
            "work_field": place["work_field"],
            "specialty": place["specialty"],
            "phone": f"13{rng.randrange(10**8, 10**9)}",
            "_town": place["town"],
        }
        profile.update(extra)
        profiles.append(profile)
        return profile

    d = datetime.date
    # 85后正科级: township chiefs first, then city/county section chiefs and town deputies.
    for i in range(64):
        kind = "town" if i < 34 else rng.choice(("city", "county"))
        p = person(kind, Rank.SECTION_CHIEF, d(1985, 1, 1), d(1991, 12, 31))
        if kind == "town" and i < 26:
            p["position"] = rng.choice(data.TOWN_CHIEF[_town_kind(p["_town"])])
            p["township_chief_experience"] = True
        elif kind == "town":
            p["position"] = rng.choice(data.SECTION_CHIEF_TOWN)
        else:
            p["position"] = rng.choice(data.SECTION_CHIEF_CITY)
    # 90后副科级
    for _i in range(52):
        kind = rng.choice(("town", "town", "city", "county"))
        p = person(kind, Rank.DEPUTY_SECTION_CHIEF, d(1990, 1, 1), d(1995, 12, 31))
        if kind == "town":
            street = _town_kind(p["_town"]) == "街道"
            p["position"] = rng.choice(data.DEPUTY_STREET if street else data.DEPUTY_TOWN)
        else:
            p["position"] = rng.choice(data.DEPUTY_CITY)
    # 选调生 and 选聘生 recruited within the window (2023–2025)
    for i in range(40):
        recruited = 2023 + i % 3
        if i % 4 == 3:
            p = person(
                "town",
                Rank.STAFF_MEMBER,
                d(1997, 1, 1),
                d(2001, 12, 31),
                cadre_type=CadreType.RECRUITED_GRADUATE,
                recruitment_year=recruited,
            )
            p["unit"] = f"{p['unit']}{rng.choice(data.VILLAGES)}"
            p["position"] = rng.choice(data.RECRUITED_POSITIONS)
            p["work_field"] = rng.choice(("乡村振兴", "基层治理", "农业农村"))
        else:
            p = person(
                "town",
                Rank.STAFF_MEMBER,
                d(1997, 1, 1),
                d(2001, 12, 31),
                cadre_type=CadreType.SELECTED_GRADUATE,
                recruitment_year=recruited,
            )
            p["position"] = rng.choice(data.GRADUATE_POSITIONS)
    # Near misses: not eligible, and the explanation shows why.
    misses = [
        (Rank.SECTION_CHIEF, d(1984, 12, 31), d(1984, 12, 31), {}),  # the day before the rule
        (Rank.SECTION_CHIEF, d(1982, 3, 1), d(1984, 11, 30), {}),
        (Rank.SECTION_CHIEF, d(1982, 3, 1), d(1984, 11, 30), {}),
        (Rank.SECTION_CHIEF, d(1983, 1, 1), d(1984, 6, 30), {"township_chief_experience": True}),
        (Rank.SECTION_CHIEF, d(1983, 1, 1), d(1984, 6, 30), {"township_chief_experience": True}),
        (Rank.SECTION_CHIEF, d(1982, 1, 1), d(1984, 10, 31), {}),
        (Rank.DEPUTY_SECTION_CHIEF, d(1989, 12, 31), d(1989, 12, 31), {}),
        (Rank.DEPUTY_SECTION_CHIEF, d(1986, 1, 1), d(1989, 11, 30), {}),
        (Rank.DEPUTY_SECTION_CHIEF, d(1986, 1, 1), d(1989, 11, 30), {}),
        (Rank.DEPUTY_SECTION_CHIEF, d(1986, 1, 1), d(1989, 11, 30), {}),
        (Rank.DEPUTY_SECTION_CHIEF, d(1987, 1, 1), d(1989, 11, 30), {}),
        (Rank.DEPUTY_DIVISION_CHIEF, d(1985, 6, 1), d(1987, 12, 31), {}),
        (Rank.DEPUTY_DIVISION_CHIEF, d(1986, 1, 1), d(1988, 12, 31), {}),
        (Rank.STAFF_MEMBER, d(1993, 1, 1), d(1996, 12, 31), {}),
        (Rank.STAFF_MEMBER, d(1993, 1, 1), d(1996, 12, 31), {}),
        (Rank.STAFF_MEMBER, d(1993, 1, 1), d(1996, 12, 31), {}),
    ]
    for year in (2022, 2022, 2021, 2021, 2020, 2019, 2022, 2020):
        misses.append(
            (
                Rank.STAFF_MEMBER,
                d(1995, 1, 1),
                d(1998, 12, 31),
                {"cadre_type": CadreType.SELECTED_GRADUATE, "recruitment_year": year},
            )
        )
    for rank, born_from, born_to, extra in misses:
        kind = (
            "town"
            if extra.get("township_chief_experience") or rank == Rank.STAFF_MEMBER
            else "city"
        )
        p = person(kind, rank, born_from, born_to, **extra)
        if extra.get("township_chief_experience"):
            p["position"] = rng.choice(data.TOWN_CHIEF[_town_kind(p["_town"])])
        elif rank == Rank.SECTION_CHIEF:
            p["position"] = rng.choice(data.SECTION_CHIEF_CITY)
        elif rank == Rank.DEPUTY_DIVISION_CHIEF:
            p["position"] = "副局长"
        elif rank == Rank.DEPUTY_SECTION_CHIEF:
            p["position"] = rng.choice(data.DEPUTY_CITY)
        else:
            p["position"] = rng.choice(data.GRADUATE_POSITIONS)
    rng.shuffle(profiles)
    return profiles


def conduct_text(rng) -> str:
    return "\n".join(head + rng.choice(lines) for head, lines in data.CONDUCT_PARTS)
