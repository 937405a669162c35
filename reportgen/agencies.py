"""Realistic publishing bodies of 中卫市 (portals.md §2.3) and what follows from the name."""

from __future__ import annotations

from typing import Final

PROVINCE: Final = "宁夏回族自治区"
PREFECTURE: Final = "中卫市"
COUNTIES: Final = ("沙坡头区", "中宁县", "海原县")

CITY_AGENCIES: Final = (
    "中卫市人民政府办公室",
    "中卫市财政局",
    "中卫市发展和改革委员会",
    "中卫市教育局",
    "中卫市民政局",
    "中卫市商务局",
    "中卫市工业和信息化局",
    "中卫市公安局",
    "中卫市司法局",
    "中卫市人力资源和社会保障局",
    "中卫市自然资源局",
    "中卫市生态环境局",
    "中卫市住房和城乡建设局",
    "中卫市交通运输局",
    "中卫市水务局",
    "中卫市农业农村局",
    "中卫市文化旅游广电局",
    "中卫市卫生健康委员会",
    "中卫市退役军人事务局",
    "中卫市应急管理局",
    "中卫市审计局",
    "中卫市市场监督管理局",
    "中卫市统计局",
    "中卫市医疗保障局",
    "中卫市审批服务管理局",
)

COUNTY_AGENCIES: Final = (
    "中卫市沙坡头区人民政府",
    "沙坡头区教育局",
    "沙坡头区民政局",
    "沙坡头区卫生健康局",
    "中宁县人民政府",
    "中宁县财政局",
    "中宁县自然资源局",
    "中宁县市场监督管理局",
    "海原县人民政府",
    "海原县民政局",
    "海原县农业农村局",
)

AGENCIES: Final = CITY_AGENCIES + COUNTY_AGENCIES

# Bodies that receive many applications: land, housing, police, social security and the
# governments themselves. Their reports carry hundreds or thousands of requests.
_BUSY_MARKERS: Final = ("人民政府", "自然资源", "住房和城乡建设", "公安", "人力资源和社会保障", "市场监督")


def county_of(agency: str) -> str | None:
    """The county-level unit an agency belongs to, or None for city departments."""
    return next((c for c in COUNTIES if c in agency), None)


def region_of(agency: str) -> str:
    """Province, prefecture and (for county units) county, as one printed string."""
    county = county_of(agency)
    return f"{PROVINCE}{PREFECTURE}{county or ''}"


def is_busy(agency: str) -> bool:
    """True for bodies that plausibly handle hundreds of applications a year."""
    return any(marker in agency for marker in _BUSY_MARKERS)


def short_name(agency: str) -> str:
    """How the body calls itself in running text: 中卫市财政局 -> 市财政局."""
    county = county_of(agency)
    if agency.startswith(PREFECTURE) and county is None:
        return "市" + agency.removeprefix(PREFECTURE)
    if county is not None:
        rest = agency.split(county, 1)[1]
        return (county[-1] + rest) if rest else county + "人民政府"
    return agency
