"""When a known article is asked again: a changed listing entry, or a re-check spread over the interval."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from scrapers.discovery.items import ListingItem
from scrapers.discovery.recheck import is_due, listing_changed
from scrapers.results import LastCheck

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
URLS = [f"http://www.example.gov.cn/zwgk/xxgknb/202601/t20260115_{n}.html" for n in range(1000)]


def test_every_article_comes_due_within_the_interval_spread_over_its_second_half() -> None:
    check = LastCheck(T0)
    first_due: Counter[int] = Counter()
    for url in URLS:
        day = next(d for d in range(0, 61) if is_due(url, check, 30, T0 + dt.timedelta(days=d)))
        first_due[day] += 1
    assert min(first_due) >= 15 and max(first_due) <= 30  # none before half the interval, none after it
    per_day = [first_due[d] for d in range(16, 30)]
    # Daily runs share the re-checks: no day takes more than twice the mean of the days between.
    assert max(per_day) <= 2 * len(URLS) / 15, first_due


def test_recheck_days_zero_asks_every_article_every_run() -> None:
    assert all(is_due(url, LastCheck(T0), 0, T0) for url in URLS[:50])


def test_a_listing_entry_changed_when_its_date_or_title_did() -> None:
    day = dt.date(2026, 1, 15)
    check = LastCheck(T0, listed_title="中卫市2025年政府信息公开工作年度报告", listed_on=day)
    assert not listing_changed(ListingItem(URLS[0], "中卫市2025年政府信息公开 工作年度报告", day), check)
    assert listing_changed(ListingItem(URLS[0], "中卫市2025年政府信息公开工作年度报告", dt.date(2026, 2, 14)), check)
    assert listing_changed(ListingItem(URLS[0], "中卫市2025年政府信息公开工作年度报告（更新）", day), check)
    # Never recorded from a listing (read before listing entries were kept): asked, then compared from then on.
    assert listing_changed(ListingItem(URLS[0], "中卫市2025年政府信息公开工作年度报告", day), LastCheck(T0))
