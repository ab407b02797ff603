"""Demo job postings and job seekers: deterministic for a seed and a day.

Dates are counted back from today, so the demo always has open postings (and some expired
ones, which the list leaves out). The city's old postings and seekers are deleted first: they
belong to no person, so re-seeding would otherwise add them twice.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import delete

from ...core.batch import insert_rows
from ...core.extensions import db
from ...core.i18n import label_text
from ...core.money import to_fen
from ...core.time import local_today
from ...people.demo import random_mobile, random_name
from .models import JobPosting, JobSeeker

POSTINGS = 320
SEEKERS = 240

#: The real county-level divisions (and development zones) of each city, by division code.
DISTRICTS = {
    "371600": (
        "滨城区",
        "沾化区",
        "惠民县",
        "阳信县",
        "无棣县",
        "博兴县",
        "邹平市",
        "滨州经济技术开发区",
        "滨州高新技术产业开发区",
    ),
    "371400": (
        "德城区",
        "陵城区",
        "禹城市",
        "乐陵市",
        "宁津县",
        "庆云县",
        "临邑县",
        "齐河县",
        "平原县",
        "夏津县",
        "武城县",
        "德州天衢新区",
    ),
}
AREA_CODES = {"371600": "0543", "371400": "0534"}

#: occupation → (titles, employers, monthly salary range in yuan, education requirements, duties)
CATALOGUE: dict[
    str, tuple[tuple[str, ...], tuple[str, ...], tuple[int, int], tuple[str, ...], tuple[str, ...]]
] = {
    "manufacturing": (
        (
            "普工",
            "纺织挡车工",
            "数控车床操作工",
            "电焊工",
            "化工操作工",
            "质检员",
            "设备维修工",
            "包装工",
        ),
        (
            "{city}鑫源纺织有限公司",
            "{city}宏达机械制造有限公司",
            "{city}鲁北化工股份有限公司",
            "{city}恒通铝业有限公司",
            "{city}华润纺织有限公司",
            "{city}渤海活塞配件有限公司",
        ),
        (4000, 8000),
        ("any", "junior_high", "senior_high", "vocational"),
        (
            "按工艺要求完成生产操作",
            "负责设备日常点检与保养",
            "做好产品自检和交接班记录",
            "服从车间生产安排，可适应倒班",
        ),
    ),
    "construction": (
        ("钢筋工", "木工", "瓦工", "施工员", "安全员", "造价员", "水电安装工"),
        (
            "{city}城建集团有限公司",
            "{city}市第二建筑工程有限公司",
            "{city}黄河路桥工程有限公司",
            "{city}安居建设有限公司",
        ),
        (5000, 9000),
        ("any", "junior_high", "vocational", "college"),
        (
            "负责施工现场相关作业",
            "持证上岗者优先",
            "熟悉建筑施工规范",
            "按图施工，保证工程质量和进度",
        ),
    ),
    "logistics": (
        ("货车司机（A2驾照）", "仓库管理员", "快递分拣员", "叉车司机", "公交驾驶员", "同城配送员"),
        (
            "{city}顺达物流有限公司",
            "{city}市公共交通有限公司",
            "{city}畅通快递服务有限公司",
            "{city}港通仓储有限公司",
        ),
        (4500, 9000),
        ("any", "junior_high", "senior_high"),
        (
            "负责货物装卸、运输和交接",
            "遵守交通法规，安全驾驶",
            "负责出入库登记与盘点",
            "熟悉本地道路者优先",
        ),
    ),
    "sales": (
        ("销售代表", "导购员", "收银员", "电话客服", "门店店长", "市场推广专员"),
        (
            "{city}百货大楼有限公司",
            "{city}众诚商贸有限公司",
            "{city}惠民购物中心",
            "{city}通达汽车销售服务有限公司",
        ),
        (3500, 8000),
        ("any", "senior_high", "vocational", "college"),
        (
            "负责客户接待与产品介绍",
            "完成门店销售目标",
            "维护客户关系，做好售后回访",
            "底薪加提成，多劳多得",
        ),
    ),
    "catering": (
        ("厨师", "面点师", "服务员", "前台接待", "客房服务员", "传菜员"),
        (
            "{city}国际饭店有限公司",
            "{city}渤海大酒店",
            "{city}味美餐饮管理有限公司",
            "{city}老街小吃城",
        ),
        (3200, 7000),
        ("any", "junior_high", "vocational"),
        ("负责餐厅日常服务工作", "持健康证上岗", "热情大方，服务意识强", "按标准完成菜品制作"),
    ),
    "domestic": (
        ("养老护理员", "育婴员", "家政保洁员", "月嫂", "住家保姆"),
        (
            "{city}康乐家政服务有限公司",
            "{city}颐养养老服务中心",
            "{city}爱心母婴护理有限公司",
            "{city}社区居家养老服务站",
        ),
        (3500, 9000),
        ("any", "junior_high", "senior_high"),
        (
            "照料老人日常起居",
            "负责婴幼儿生活照料",
            "有相关职业技能证书者优先",
            "耐心细致，有责任心",
        ),
    ),
    "healthcare": (
        ("护士", "药剂师", "康复治疗师", "医学检验技师", "护工"),
        ("{city}市人民医院", "{city}市中医医院", "{city}康复医院", "{city}仁和大药房连锁有限公司"),
        (4000, 10000),
        ("vocational", "college", "bachelor", "master"),
        ("持有相应执业资格证书", "负责病区护理工作", "负责药品调剂与用药咨询", "服从科室排班"),
    ),
    "education": (
        ("小学数学教师", "幼儿教师", "英语培训讲师", "职业技能培训讲师", "课程顾问"),
        ("{city}市实验学校", "{city}启航教育培训学校", "{city}阳光幼儿园", "{city}技师学院"),
        (4000, 9000),
        ("college", "bachelor", "master"),
        ("持有教师资格证", "负责课程教学与学生管理", "普通话二级甲等以上", "热爱教育事业"),
    ),
    "it": (
        (
            "Java开发工程师",
            "网络管理员",
            "运维工程师",
            "前端开发工程师",
            "软件测试工程师",
            "电商运营专员",
        ),
        (
            "{city}智联信息技术有限公司",
            "{city}云创网络科技有限公司",
            "{city}电子商务产业园运营有限公司",
        ),
        (6000, 15000),
        ("college", "bachelor", "master"),
        (
            "负责系统开发与维护",
            "熟悉常用数据库和网络设备",
            "负责网店日常运营与推广",
            "有相关项目经验者优先",
        ),
    ),
    "finance": (
        ("会计", "出纳", "财务主管", "审计助理", "税务专员"),
        (
            "{city}正信会计师事务所",
            "{city}众诚商贸有限公司",
            "{city}恒通铝业有限公司",
            "{city}市城市建设投资有限公司",
        ),
        (4000, 10000),
        ("college", "bachelor", "master"),
        ("负责日常账务处理和报表编制", "熟练使用财务软件", "持初级会计职称以上", "负责纳税申报"),
    ),
    "office": (
        ("行政文员", "人事专员", "办公室主任", "前台文员", "档案管理员"),
        (
            "{city}人力资源服务有限公司",
            "{city}市城市建设投资有限公司",
            "{city}宏达机械制造有限公司",
            "{city}云创网络科技有限公司",
        ),
        (3500, 7000),
        ("senior_high", "college", "bachelor"),
        (
            "负责文件收发与档案整理",
            "熟练使用办公软件",
            "负责员工招聘与社保办理",
            "做好会议组织和接待",
        ),
    ),
    "agriculture": (
        ("农业技术员", "养殖技术员", "冬枣种植技术员", "果园管理员", "农机手"),
        (
            "{city}绿源农业科技有限公司",
            "{city}丰收农业专业合作社",
            "{city}牧兴养殖有限公司",
            "{city}沃土农机服务有限公司",
        ),
        (3500, 7500),
        ("any", "junior_high", "vocational", "college"),
        ("负责种植技术指导", "负责畜禽日常饲养管理", "会操作常用农业机械", "能吃苦耐劳"),
    ),
    "security": (
        ("保安员", "物业管理员", "监控室值班员", "保洁员", "绿化工"),
        (
            "{city}安泰保安服务有限公司",
            "{city}宜居物业管理有限公司",
            "{city}市实验学校",
            "{city}万家广场商业管理有限公司",
        ),
        (3000, 6000),
        ("any", "junior_high", "senior_high"),
        ("负责门岗值守与巡逻", "负责小区日常物业服务", "负责公共区域清洁", "退伍军人优先"),
    ),
}
BENEFITS = (
    "缴纳五险",
    "缴纳五险一金",
    "提供食宿",
    "包工作餐",
    "双休",
    "法定节假日带薪休假",
    "有年终奖",
    "提供岗前培训",
    "交通补贴",
    "接受应届毕业生",
)
SEEKER_EDUCATION = ("junior_high", "senior_high", "vocational", "college", "bachelor", "master")


def districts_of(city) -> tuple[str, ...]:
    name = label_text(city.config.name, "zh_CN")
    return DISTRICTS.get(
        city.config.division_code, (f"{name.removesuffix('市')}城区", f"{name}开发区")
    )


def _posting(
    city, rng: random.Random, sequence: int, today: date, short_name: str, districts
) -> dict:
    occupation = rng.choice(list(CATALOGUE))
    titles, employers, (low, high), educations, duties = CATALOGUE[occupation]
    district = rng.choice(districts)
    salary_min = rng.randrange(low, high, 500)
    salary_max = salary_min + rng.choice((500, 1000, 1500, 2000, 3000))
    published = today - timedelta(days=rng.randint(0, 180))
    area = AREA_CODES.get(city.config.division_code)
    phone = (
        f"{area}-{rng.randint(2000000, 8999999)}"
        if area and rng.random() < 0.5
        else random_mobile(rng)
    )
    description = (
        "；".join(
            [f"工作地点：{district}", *rng.sample(duties, 2), "、".join(rng.sample(BENEFITS, 3))]
        )
        + "。"
    )
    return {
        "city": city.code,
        "reference": f"ZP{published:%Y%m}{sequence:05d}",
        "employer": rng.choice(employers).format(city=short_name),
        "title": rng.choice(titles),
        "occupation": occupation,
        "district": district,
        "education": rng.choice(educations),
        "salary_min": to_fen(salary_min),
        "salary_max": to_fen(salary_max),
        "headcount": rng.choice((1, 1, 2, 2, 3, 5, 10, 20)),
        "description": description,
        "contact_phone": phone,
        "published_on": published,
        # Some postings have run out: the list shows only those still valid today.
        "valid_until": published + timedelta(days=rng.choice((30, 60, 90, 120, 180))),
    }


def _seeker(city, rng: random.Random, sequence: int, today: date, districts) -> dict:
    occupation = rng.choice(list(CATALOGUE))
    low, high = CATALOGUE[occupation][2]
    registered = today - timedelta(days=rng.randint(0, 365))
    return {
        "city": city.code,
        "reference": f"QZ{registered:%Y%m}{sequence:05d}",
        "name": random_name(rng),
        "sex": rng.choice("MF"),
        "birth_year": rng.randint(today.year - 58, today.year - 18),
        "desired_occupation": occupation,
        "district": rng.choice(districts),
        "education": rng.choice(SEEKER_EDUCATION),
        "expected_salary": to_fen(rng.randrange(low, high, 500)),
        "phone": random_mobile(rng),
        "registered_on": registered,
    }


def demo_rows(city, rng: random.Random, today: date) -> tuple[list[dict], list[dict]]:
    """The city's demo postings and seekers (deterministic for the rng's seed and ``today``)."""
    short_name = label_text(city.config.name, "zh_CN").removesuffix("市")
    districts = districts_of(city)
    postings = [
        _posting(city, rng, n, today, short_name, districts) for n in range(1, POSTINGS + 1)
    ]
    seekers = [_seeker(city, rng, n, today, districts) for n in range(1, SEEKERS + 1)]
    return postings, seekers


def seed_demo(city, people: list[dict], rng: random.Random, today: date | None = None) -> None:
    """``demo_seeder``: replace the city's postings and seekers (the caller commits)."""
    postings, seekers = demo_rows(city, rng, today or local_today())
    session = db.session
    session.execute(delete(JobPosting).where(JobPosting.city == city.code))
    session.execute(delete(JobSeeker).where(JobSeeker.city == city.code))
    insert_rows(JobPosting, postings)
    insert_rows(JobSeeker, seekers)
