"""The CMS-family seam: the one place discovery asks how a family of sites is read.

A portal spec names its `cms_family`; `family_of(spec)` gives the strategy, and the engine,
`nianbao portal test/new/check` and spec loading ask it, never the family's modules:

- which spec values a family's sites share (`spec_defaults`, merged under the YAML);
- how the 年报 columns are found from the seeds (`find_columns`);
- how a column's listing pages yield items and the next pages (`crawl_column`, `read_listing`);
- what an article page says about itself, its attachments and continuation pages (`read_article`),
  and which URLs are one article's pages (`article_key`);
- which site-search APIs the family has (`search_kinds`, `search_hits`);
- what marks a page as the family's (`markers`), to recognise an unknown site.

Adding a family is one module in `scrapers/discovery/families/` and one line in `_families`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from scrapers.discovery.article import ArticleInfo
    from scrapers.discovery.catalog import Catalog
    from scrapers.discovery.items import ListingRead
    from scrapers.discovery.models import ColumnCrawl
    from scrapers.discovery.pages import Page
    from scrapers.discovery.search import SearchHit
    from scrapers.http import PoliteClient
    from scrapers.spec import PortalSpec


class CmsFamily(Protocol):
    """How discovery reads the sites of one CMS family."""

    name: str
    # Site-search kinds (`search_api.kind`) the family's sites offer; a spec's search_api without a kind is the first.
    search_kinds: tuple[str, ...]

    def spec_defaults(self) -> dict[str, Any]:
        """Spec values shared by the family's sites, merged under what a spec file says."""
        ...

    def find_columns(self, client: PoliteClient, spec: PortalSpec) -> Catalog: ...

    def crawl_column(self, client: PoliteClient, url: str, spec: PortalSpec) -> ColumnCrawl: ...

    def read_listing(self, page: Page, spec: PortalSpec) -> ListingRead:
        """The items of one fetched listing page, offline (what `portal test` shows)."""
        ...

    def read_article(self, page: Page, spec: PortalSpec) -> ArticleInfo: ...

    def article_key(self, url: str) -> str:
        """One key for all pages of one article (its first page's URL otherwise)."""
        ...

    def is_article_url(self, url: str) -> bool: ...

    def search_hits(self, client: PoliteClient, spec: PortalSpec, years: range | None) -> list[SearchHit]: ...

    def markers(self, html: str) -> list[str]:
        """The family's markers the page shows (meta tags, script names, URL shapes)."""
        ...


@cache
def _families() -> dict[str, CmsFamily]:
    # Imported here: the families read specs, so scrapers.spec cannot import them at load time.
    from scrapers.discovery.families.hanweb import HANWEB
    from scrapers.discovery.families.trs import TRS_WCM

    return {family.name: family for family in (TRS_WCM, HANWEB)}


def family_names() -> list[str]:
    return sorted(_families())


def family_named(name: str) -> CmsFamily:
    """The strategy for `name`; KeyError names the families there are."""
    try:
        return _families()[name]
    except KeyError:
        known = ", ".join(family_names())
        raise KeyError(f"no crawler strategy for cms_family {name!r} (supported: {known})") from None


def family_of(spec: PortalSpec) -> CmsFamily:
    return family_named(spec.cms_family)


def recognise(html: str) -> tuple[CmsFamily | None, list[str]]:
    """The family whose markers the page shows most, with those markers (None when no family's show)."""
    scored = [(len(found), family, found) for family in _families().values() if (found := family.markers(html))]
    if not scored:
        return None, []
    _count, family, found = max(scored, key=lambda entry: entry[0])
    return family, found
