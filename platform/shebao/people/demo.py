"""Deterministic demo people: the same seed gives the same people, byte for byte.

Each city gets its fixed demo people (listed in the README) plus ``persons`` generated
people. Rows are written with batched Core inserts in the caller's transaction; the city is
set explicitly on every row (no request, so no automatic scoping). Modules add each person's
records with their own seeders (``shebao.seeding`` runs them).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..core.batch import batches, delete_in, insert_returning, insert_rows
from ..tenancy.city import City
from .idnumber import make_id_number, sex_of
from .insurance import EMPLOYEE_TYPES, InsuranceType, InsuredStatus
from .models import Person, PersonInsurance

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海波宁鹏飞慧婷雪梅丹琳浩宇晨欣怡佳俊凯鑫"
EMPLOYERS = (
    "{city}市供电有限公司",
    "{city}市第一人民医院",
    "{city}鲁北化工股份有限公司",
    "{city}市城市建设投资有限公司",
    "{city}市实验中学",
    "{city}华润纺织有限公司",
    "{city}市公共交通有限公司",
    "{city}顺达物流有限公司",
)
REGIONS = {
    "371600": ("371602", "371603", "371621", "371622"),
    "371400": ("371402", "371403", "371421", "371422"),
}


@dataclass(frozen=True)
class DemoPerson:
    """A fixed demo account, the same in every run; the README lists them."""

    sequence: int
    name: str
    birth: date
    sex: str
    category: str
    phone: str | None
    card_number: str | None
    #: Has an account with DEMO_PASSWORD in cities with these auth styles
    #: (``registration``, ``default_password``); elsewhere they register or use the default.
    account_in: frozenset[str] = frozenset()

    def has_account(self, city: City) -> bool:
        auth = city.config.auth
        return bool(
            ("registration" in self.account_in and auth.registration is not None)
            or ("default_password" in self.account_in and auth.default_password is not None)
        )


#: The password of the demo accounts (README: "Demo accounts").
DEMO_PASSWORD = "Demo2026a"
DEMO_PEOPLE = (
    DemoPerson(
        11,
        "张伟",
        date(1985, 3, 12),
        "M",
        "employee",
        "13800000001",
        "A00000001",
        frozenset({"registration", "default_password"}),
    ),
    DemoPerson(
        22,
        "李娜",
        date(1958, 7, 1),
        "F",
        "retiree",
        "13800000002",
        "A00000002",
        frozenset({"registration"}),
    ),
    DemoPerson(31, "王强", date(1990, 11, 23), "M", "flexible", "13800000003", "A00000003"),
    DemoPerson(42, "赵敏", date(1995, 5, 8), "F", "resident", None, None),
    # A resident (城乡居民) who can log in where accounts are registered: the pension
    # estimate's resident case.
    DemoPerson(
        54,
        "孙丽",
        date(1972, 4, 18),
        "F",
        "resident",
        "13800000005",
        "A00000005",
        frozenset({"registration"}),
    ),
)


def demo_id_number(city: City, person: DemoPerson) -> str:
    region = REGIONS.get(city.config.division_code, (city.config.division_code,))[0]
    return make_id_number(region, person.birth, person.sequence)


def _statuses(category: str) -> dict[str, str]:
    if category == "employee":
        return {kind.value: InsuredStatus.ACTIVE.value for kind in EMPLOYEE_TYPES}
    if category == "retiree":
        return {
            InsuranceType.PENSION.value: InsuredStatus.TERMINATED.value,
            InsuranceType.MEDICAL.value: InsuredStatus.ACTIVE.value,
        }
    if category == "flexible":
        return {
            InsuranceType.PENSION.value: InsuredStatus.ACTIVE.value,
            InsuranceType.MEDICAL.value: InsuredStatus.ACTIVE.value,
        }
    return {
        InsuranceType.RESIDENT_PENSION.value: InsuredStatus.ACTIVE.value,
        InsuranceType.RESIDENT_MEDICAL.value: InsuredStatus.ACTIVE.value,
    }


def random_name(rng: random.Random) -> str:
    """A Chinese name: a surname and one or two given characters."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def random_mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _generated(city: City, rng: random.Random, sequence: int) -> dict:
    regions = REGIONS.get(city.config.division_code, (city.config.division_code,))
    category = rng.choices(
        ("employee", "retiree", "flexible", "resident"), weights=(60, 20, 10, 10)
    )[0]
    year = rng.randint(1950, 1962) if category == "retiree" else rng.randint(1966, 2004)
    birth = date(year, rng.randint(1, 12), rng.randint(1, 28))
    # Sequences 100–999 keep generated numbers apart from the fixed demo accounts.
    id_number = make_id_number(rng.choice(regions), birth, 100 + sequence % 900)
    return {
        "id_number": id_number,
        "name": random_name(rng),
        "sex": sex_of(id_number),
        "birth_date": birth,
        "phone": random_mobile(rng) if rng.random() < 0.9 else None,
        "card_number": f"{rng.choice('ABCDEF')}{rng.randrange(10**8):08d}"
        if rng.random() < 0.85
        else None,
        "category": category,
        "employer": rng.choice(EMPLOYERS).format(city=city.name.removesuffix("市"))
        if category in ("employee", "retiree")
        else None,
    }


def demo_rows(city: City, persons: int, seed: int) -> list[dict]:
    """Every person row of the city's demo data, deterministic for (city, persons, seed)."""
    rng = random.Random(f"{seed}:{city.code}")
    rows = [
        {
            "id_number": demo_id_number(city, person),
            "name": person.name,
            "sex": person.sex,
            "birth_date": person.birth,
            "phone": person.phone,
            "card_number": person.card_number,
            "category": person.category,
            "employer": EMPLOYERS[0].format(city=city.name.removesuffix("市"))
            if person.category in ("employee", "retiree")
            else None,
        }
        for person in DEMO_PEOPLE
    ]
    seen = {row["id_number"] for row in rows}
    sequence = 0
    while len(rows) < len(DEMO_PEOPLE) + persons:
        row = _generated(city, rng, sequence)
        sequence += 1
        if row["id_number"] not in seen:
            seen.add(row["id_number"])
            rows.append(row)
    for row in rows:
        row["city"] = city.code
    return rows


def seed_people(
    city: City, persons: int, seed: int, progress: Callable[[int], None] = lambda n: None
) -> list[dict]:
    """Replace the city's demo people with a fresh deterministic set (the caller commits).

    Returns the person rows written, each with its new ``id``.
    """
    rows = demo_rows(city, persons, seed)
    delete_in(Person, "id_number", [row["id_number"] for row in rows], Person.city == city.code)
    seeded: list[dict] = []
    for batch in batches(rows):
        ids = insert_returning(Person, batch, key="id_number")
        seeded += [dict(row, id=ids[row["id_number"]]) for row in batch]
        insert_rows(
            PersonInsurance,
            [
                {
                    "city": city.code,
                    "person_id": ids[row["id_number"]],
                    "insurance_type": kind,
                    "status": status,
                    "first_insured": date(max(row["birth_date"].year + 20, 1995), 1, 1),
                }
                for row in batch
                for kind, status in _statuses(row["category"]).items()
            ],
        )
        progress(len(batch))
    return seeded
