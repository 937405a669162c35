"""Page metadata from <meta> tags (national government-website spec) and <title>."""

from __future__ import annotations

from bs4 import BeautifulSoup

from parsers.cjk import normalize_space

META_NAMES = (
    "SiteName",
    "ColumnName",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Author",
    "Description",
    "Url",
)


def page_meta(soup: BeautifulSoup) -> dict[str, str]:
    """ArticleTitle, PubDate, ContentSource... as published, plus the <title> text."""
    wanted = {name.lower(): name for name in META_NAMES}
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = wanted.get(str(tag.get("name", "")).lower())
        content = normalize_space(str(tag.get("content", "")))
        if name and content and name not in meta:
            meta[name] = content
    if soup.title and soup.title.string:
        title = normalize_space(soup.title.string)
        if title:
            meta["title"] = title
    return meta
