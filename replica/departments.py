"""The publishing bodies of the replica site and their URL slugs.

Real TRS slugs are the pinyin initials of a body's short name (portals.md §2.3:
`sczj` = 市财政局). Spelling them out here keeps the site free of a pinyin
dependency; the order puts the city departments first so small sites look like
nxzw's own 市政府工作部门 list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from reportgen.agencies import CITY_AGENCIES, PREFECTURE

# Short name (after 中卫市) -> pinyin initials.
CITY_KINDS: Final[dict[str, str]] = {
    "人民政府办公室": "zfbgs",
    "财政局": "czj",
    "发展和改革委员会": "fgw",
    "教育局": "jyj",
    "民政局": "mzj",
    "商务局": "swj",
    "工业和信息化局": "gxj",
    "公安局": "gaj",
    "司法局": "sfj",
    "人力资源和社会保障局": "rsj",
    "自然资源局": "zrzyj",
    "生态环境局": "sthjj",
    "住房和城乡建设局": "zjj",
    "交通运输局": "jtysj",
    "水务局": "slj",
    "农业农村局": "nyncj",
    "文化旅游广电局": "wlgdj",
    "卫生健康委员会": "wjw",
    "退役军人事务局": "tyjrswj",
    "应急管理局": "yjglj",
    "审计局": "sjj",
    "市场监督管理局": "scjgj",
    "统计局": "tjj",
    "医疗保障局": "ybj",
    "审批服务管理局": "spfwglj",
    "林业和草原局": "lcj",
    "城市管理局": "csglj",
    "人民防空办公室": "rfb",
    "信访局": "xfj",
    "档案局": "daj",
    "机关事务管理局": "jgswglj",
    "投资促进局": "tzcjj",
    "体育局": "tyj",
    "国有资产监督管理委员会": "gzw",
    "政府研究室": "yjs",
}

COUNTY_SLUGS: Final[dict[str, str]] = {"沙坡头区": "spt", "中宁县": "zn", "海原县": "hy"}

COUNTY_KINDS: Final[dict[str, str]] = {
    "人民政府办公室": "zfbgs",
    "财政局": "czj",
    "发展和改革局": "fgj",
    "教育局": "jyj",
    "民政局": "mzj",
    "公安局": "gaj",
    "司法局": "sfj",
    "人力资源和社会保障局": "rsj",
    "自然资源局": "zrzyj",
    "住房和城乡建设局": "zjj",
    "交通运输局": "jtysj",
    "水务局": "slj",
    "农业农村局": "nyncj",
    "工业和信息化局": "gxj",
    "文化旅游广电局": "wlgdj",
    "卫生健康局": "wjj",
    "退役军人事务局": "tyjrswj",
    "应急管理局": "yjglj",
    "审计局": "sjj",
    "市场监督管理局": "scjgj",
    "统计局": "tjj",
    "医疗保障局": "ybj",
    "审批服务管理局": "spfwglj",
}

TOWNS: Final[dict[str, dict[str, str]]] = {
    "沙坡头区": {
        "滨河镇": "bhz", "文昌镇": "wcz", "东园镇": "dyz", "柔远镇": "ryz", "镇罗镇": "zlz",
        "宣和镇": "xhz", "永康镇": "ykz", "常乐镇": "clz", "迎水桥镇": "ysqz", "兴仁镇": "xrz",
        "香山乡": "xsx",
    },
    "中宁县": {
        "宁安镇": "naz", "鸣沙镇": "msz", "石空镇": "skz", "新堡镇": "xbz", "恩和镇": "ehz",
        "大战场镇": "dzcz", "舟塔乡": "ztx", "白马乡": "bmx", "余丁乡": "ydx", "喊叫水乡": "hjsx",
        "徐套乡": "xtx",
    },
    "海原县": {
        "海城镇": "hcz", "李旺镇": "lwz", "西安镇": "xaz", "七营镇": "qyz", "三河镇": "shz",
        "史店乡": "sdx", "树台乡": "stx", "关桥乡": "gqx", "贾塘乡": "jtx", "郑旗乡": "zqx",
        "甘城乡": "gcx", "曹洼乡": "cwx", "九彩乡": "jcx", "李俊乡": "ljx", "红羊乡": "hyx",
        "关庄乡": "gzx", "高崖乡": "gyx",
    },
}  # fmt: skip

# The governments whose reports sit in the city-level column, with their slugs.
GOVERNMENTS: Final[dict[str, str]] = {
    f"{PREFECTURE}人民政府": "zwsrmzf",
    "中卫市沙坡头区人民政府": "sptqrmzf",
    "中宁县人民政府": "znxrmzf",
    "海原县人民政府": "hyxrmzf",
}


@dataclass(frozen=True)
class Body:
    """A publishing body: printed name, slug stem (before any `_<id>`), catalogue group."""

    name: str
    stem: str
    group: str


def _city_bodies() -> list[Body]:
    # reportgen's own list first, so its agency names and ours agree.
    names = list(CITY_AGENCIES) + [PREFECTURE + k for k in CITY_KINDS if PREFECTURE + k not in CITY_AGENCIES]
    return [Body(n, "s" + CITY_KINDS[n.removeprefix(PREFECTURE)], "市政府工作部门") for n in names]


def _county_bodies() -> list[Body]:
    # Interleave counties so a mid-sized site has departments from all three.
    return [
        Body(county + kind, COUNTY_SLUGS[county] + slug, "县（区）政府部门")
        for kind, slug in COUNTY_KINDS.items()
        for county in COUNTY_SLUGS
    ]


def _town_bodies() -> list[Body]:
    return [
        Body(f"{county}{town}人民政府", COUNTY_SLUGS[county] + slug, "乡镇人民政府")
        for county, towns in TOWNS.items()
        for town, slug in towns.items()
    ]


ALL_BODIES: Final[tuple[Body, ...]] = tuple(_city_bodies() + _county_bodies() + _town_bodies())


def pick_bodies(count: int) -> list[Body]:
    """The first `count` bodies; raises ValueError beyond what the catalogue holds."""
    if not 1 <= count <= len(ALL_BODIES):
        raise ValueError(f"departments must be between 1 and {len(ALL_BODIES)}, not {count}")
    return list(ALL_BODIES[:count])
