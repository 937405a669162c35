"""`nianbao portal`: adding and watching portals.

`test` shows what the crawler reads from a saved page, offline (like `scrapy parse`); `new`
drafts a spec from a live site (portal_new.py), `check` is a live health check of one portal
(portal_check.py), `list` the portals with their last run (portal_list.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

import typer

from nianbao.commands.parse import printable
from nianbao.errors import EXIT_ATTENTION, EXIT_OK, UsageError

if TYPE_CHECKING:
    from scrapers.discovery.inspect import ArticleReading, ListingReading
    from scrapers.spec import PortalSpec

portal_app = typer.Typer(
    help="Add a portal (new), check it is healthy (check), test its rules on a saved page (test), list portals.",
    no_args_is_help=True,
)


class PageKind(StrEnum):
    listing = "listing"
    article = "article"


def register(app: typer.Typer) -> None:
    from nianbao.commands import portal_check, portal_list, portal_new

    portal_new.register(portal_app)
    portal_check.register(portal_app)
    portal_list.register(portal_app)
    app.add_typer(portal_app, name="portal")


@portal_app.command(name="test")
def test_command(
    file: Annotated[Path, typer.Argument(help="A saved listing or article page (HTML, any charset).")],
    url: Annotated[str, typer.Option("--url", help="The URL the page was saved from: links resolve against it.")],
    portal: Annotated[
        str | None,
        typer.Option(
            "--portal", help="Read with this portal's spec (default: the rules of the CMS family the page shows)."
        ),
    ] = None,
    kind: Annotated[
        PageKind | None, typer.Option("--as", help="Read the page as this kind (default: detected).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: items/pages or article fields.")] = False,
) -> None:
    """Show what discovery extracts from FILE as if fetched from URL: a listing's items and the
    pages its pager announces, or an article's title, date, publisher, agency, year,
    attachments and continuation pages; then the problems a crawl would meet.

    No network. Exits 0 when the page reads without a problem, 1 when problems are listed,
    2 on a bad argument (missing file, a URL that is not absolute http(s), an unknown portal).
    """
    from scrapers.discovery.inspect import generic_spec, inspect_page

    content = _read(file)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise UsageError(f"--url must be an absolute http(s) URL, not {url!r}")
    spec = _spec(portal)
    limit = (spec or generic_spec(url)).discovery.max_page_bytes
    if len(content) > limit:
        raise UsageError(f"{file} is {len(content)} bytes, over the page cap discovery.max_page_bytes ({limit})")
    reading = inspect_page(content, url, spec, kind.value if kind else None)
    typer.echo(json.dumps(to_json(reading), ensure_ascii=False) if as_json else summary(reading))
    raise typer.Exit(EXIT_ATTENTION if reading.problems else EXIT_OK)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from exc


def _spec(portal: str | None) -> PortalSpec | None:
    if portal is None:
        return None
    from nianbao.config import Settings
    from scrapers.spec import load_portal

    return load_portal(portal, Settings.from_env().portals_dir)  # SpecError: one line, exit 2


def to_json(reading: ListingReading | ArticleReading) -> dict[str, Any]:
    """The reading as the JSON object `--json` prints (kind first, no page URL)."""
    data = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in dataclasses.asdict(reading).items()}
    data.pop("url")
    return {"kind": data.pop("kind"), **data}


def summary(reading: ListingReading | ArticleReading) -> str:
    """Readable lines: the fields, one list entry per line, problems last."""
    from scrapers.discovery.inspect import ListingReading

    lines = [f"{reading.kind}: {printable(reading.url)}"]
    if isinstance(reading, ListingReading):
        lines.append(f"  items ({len(reading.items)}):")
        for item in reading.items:
            lines.append(f"    {item['date'] or '----------'}  {printable(item['title'] or '')}")
            lines.append(f"                {printable(item['url'] or '')}")
        lines += _list("pages", reading.pages)
    else:
        article = reading
        lines += [
            f"  title: {printable(article.title or '-')}",
            f"  published_on: {article.published_on or '-'}  publisher: {printable(article.publisher or '-')}",
            f"  agency: {printable(article.agency or '-')}  year: {article.year or '-'}",
            *_list("attachments", article.attachments),
            *_list("parts", article.parts),
        ]
    lines += _list("problems", reading.problems) if reading.problems else ["  problems: none"]
    return "\n".join(lines)


def _list(name: str, values: list[str]) -> list[str]:
    return [f"  {name} ({len(values)}):", *(f"    {printable(v)}" for v in values)]
