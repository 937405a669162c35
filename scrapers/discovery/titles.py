"""Which titles are annual reports, and which year and agency they name (portals.md §5)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.spec import ReportFilterSpec

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_TRAILING = "：:，,。 （(【["


def clean_title(title: str) -> str:
    """Drop highlight tags and collapse whitespace (search results mark up hits)."""
    return _SPACE.sub(" ", _TAGS.sub("", title)).strip()


def is_truncated(title: str) -> bool:
    return title.endswith(("…", "...", "..")) or title.endswith("．．．")


@dataclass(frozen=True)
class ReportFilter:
    """The compiled §5 rules: inclusion regex, exclusions, body statistics period."""

    title_re: re.Pattern[str]
    exclude_re: re.Pattern[str]
    period_re: re.Pattern[str]

    @classmethod
    def from_spec(cls, spec: ReportFilterSpec) -> ReportFilter:
        return cls(re.compile(spec.title_regex), re.compile(spec.exclude_regex), re.compile(spec.body_period_regex))

    def is_report(self, title: str) -> bool:
        """True if the title names a 政府信息公开工作年度报告 and no known false positive."""
        title = clean_title(title)
        return bool(self.title_re.search(title)) and not self.exclude_re.search(title)

    def is_excluded(self, title: str) -> bool:
        return bool(self.exclude_re.search(clean_title(title)))

    def year_of(self, title: str) -> int | None:
        match = self.title_re.search(clean_title(title))
        return int(match.group("year")) if match else None

    def agency_of(self, title: str) -> str | None:
        """The organisation named in the title, before the year or else after it."""
        match = self.title_re.search(clean_title(title))
        if not match:
            return None
        groups = match.groupdict()
        for name in ("org", "org2"):
            value = (groups.get(name) or "").strip().strip(_TRAILING).strip()
            if value:
                return value
        return None

    def year_from_body(self, text: str) -> int | None:
        """The year of the statistics period ("统计数据从2023年1月1日…") in the body."""
        match = self.period_re.search(_SPACE.sub("", text))
        return int(match.group(1)) if match else None
