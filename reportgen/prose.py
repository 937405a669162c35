"""Plausible running text for the six sections, built from phrases of real reports.

Paragraphs are joined with "\\n". Numbers quoted in the text agree with the tables,
as they do in a careful report.
"""

from __future__ import annotations

import random
from typing import Final

from reportgen.agencies import short_name
from reportgen.values import Cells

_OVERVIEW_OPENINGS: Final = (
    "{year}年，{me}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "紧紧围绕中心工作，进一步拓展信息公开范围，各项工作取得了积极进展。",
    "{year}年，{me}严格落实政务公开工作要求，健全政务公开机制，规范发布政策措施，"
    "强化重点领域信息公开，切实保障人民群众的知情权、参与权和监督权。",
    "{year}年，{me}全面贯彻落实党中央、国务院和自治区关于全面推进政务公开的决策部署，"
    "完善体制机制，推进重点领域信息公开，为优化营商环境营造了良好的政务环境。",
)
_OVERVIEW_TOPICS: Final = (
    "（一）主动公开情况。全年通过政府网站发布各类信息{posts}条，其中政策文件{docs}条，"
    "工作动态{news}条，及时公开机构职能、财政预决算等基础信息。",
    "（二）依申请公开情况。{year}年共收到政府信息公开申请{applications}件，均在法定期限内予以答复。",
    "（三）政府信息管理情况。落实专人负责政府信息公开工作，严格执行“先审查、后公开”和“三审三校”制度，"
    "健全保密审查机制，确保发布信息准确规范。",
    "（四）平台建设情况。依托市人民政府网站和政务新媒体集中发布政府信息，定期自查自纠，"
    "及时更新栏目内容，全年政务新媒体推送信息{wechat}条。",
    "（五）监督保障情况。调整政务公开工作领导小组，主要领导负总责，分管领导直接抓，"
    "将政务公开工作纳入年度考核，组织开展业务培训{trainings}次。",
)
_OVERVIEW_EXTRAS: Final = (
    "（六）政策解读情况。坚持政策文件与解读材料同步组织、同步审签、同步部署，采用图文解读、"
    "新闻发布等方式解读政策{readings}次，确保群众看得懂、能理解。",
    "（七）回应关切情况。及时办理12345政务服务便民热线转办件{hotline}件、市长信箱{mailbox}件，"
    "办结率100%，群众满意度不断提升。",
    "（八）重点领域信息公开。围绕财政预决算、重大建设项目、公共资源配置等重点领域，"
    "及时公开相关信息{keyareas}条，主动接受社会监督。",
    "（九）政府开放日活动。组织开展“政府开放日”活动，邀请人大代表、政协委员和群众代表走进机关，"
    "面对面介绍工作职能和重点工作，听取意见建议。",
)
_PROACTIVE_INTROS: Final = (
    "",
    "{year}年，{me}依法主动公开政府信息，具体情况如下：",
    "{me}按照《条例》第二十条规定主动公开政府信息，统计如下。",
)
_APPLICATION_INTROS: Final = (
    "{year}年，{me}共收到政府信息公开申请{applications}件，上年结转{carried}件。",
    "{year}年，{me}新收政府信息公开申请{applications}件，对依申请提供信息不收取任何费用。",
)
_REVIEW_INTROS: Final = (
    "",
    "{year}年，{me}因政府信息公开被申请行政复议{reviews}件，被提起行政诉讼{suits}件。",
)
_PROBLEMS: Final = (
    "{year}年，{me}政府信息公开工作取得了一定成效，但仍存在一些不足：一是主动公开的时效性不够强，"
    "二是政策解读形式不够丰富，三是业务培训有待加强。",
    "今年以来，{me}虽然在政府信息公开工作中取得了一定进步，但与群众期待相比还有差距，"
    "主要表现在信息公开的广度和深度有待进一步拓展。",
)
_IMPROVEMENTS: Final = (
    "下一步，{me}将进一步健全信息公开机制，加强政策解读和舆情回应，做到信息生成与发布同步。",
    "针对存在的问题，{me}将加强业务培训，拓展公开内容的广度和深度，不断提升政务公开质量。",
)
_OTHER: Final = (
    "无。",
    "无其他需要报告的事项。",
    "{year}年，{me}未收取信息处理费。",
    "（一）政务公开工作要点落实情况。本年度政务公开工作要点涉及{me}共{points}项，已全部落实完成。\n"
    "（二）信息处理费收取情况。{year}年，{me}未收取信息处理费。",
)


def _fill(template: str, facts: dict[str, object]) -> str:
    return template.format(**facts)


def _facts(rng: random.Random, agency: str, year: int, cells: Cells) -> dict[str, object]:
    """Numbers and names the templates may quote."""
    return {
        "me": short_name(agency),
        "year": year,
        "applications": int(cells.get("applications.new.total", 0)),
        "carried": int(cells.get("applications.carried_over.total", 0)),
        "reviews": int(cells.get("review_litigation.review.total", 0)),
        "suits": int(cells.get("review_litigation.suit_direct.total", 0))
        + int(cells.get("review_litigation.suit_after_review.total", 0)),
        "posts": rng.randint(40, 400),
        "docs": rng.randint(1, 30),
        "news": rng.randint(10, 200),
        "wechat": rng.randint(20, 300),
        "trainings": rng.randint(1, 5),
        "points": rng.randint(5, 20),
        "readings": rng.randint(1, 12),
        "hotline": rng.randint(3, 160),
        "mailbox": rng.randint(0, 20),
        "keyareas": rng.randint(5, 120),
    }


def section_texts(rng: random.Random, agency: str, year: int, cells: Cells) -> dict[str, str]:
    """Text of each section key; sections 2-4 hold just their short (possibly empty) intro."""
    facts = _facts(rng, agency, year, cells)
    topics = rng.sample(_OVERVIEW_TOPICS, k=rng.randint(2, len(_OVERVIEW_TOPICS)))
    extras = rng.sample(_OVERVIEW_EXTRAS, k=rng.randint(0, len(_OVERVIEW_EXTRAS)))
    overview = [
        rng.choice(_OVERVIEW_OPENINGS),
        *sorted(topics, key=_OVERVIEW_TOPICS.index),
        *sorted(extras, key=_OVERVIEW_EXTRAS.index),
    ]
    problems = [rng.choice(_PROBLEMS), rng.choice(_IMPROVEMENTS)]
    return {
        "overview": "\n".join(_fill(p, facts) for p in overview),
        "proactive": _fill(rng.choice(_PROACTIVE_INTROS), facts),
        "applications": _fill(rng.choice(_APPLICATION_INTROS), facts),
        "review_litigation": _fill(rng.choice(_REVIEW_INTROS), facts),
        "problems": "\n".join(_fill(p, facts) for p in problems),
        "other": _fill(rng.choice(_OTHER), facts),
    }
