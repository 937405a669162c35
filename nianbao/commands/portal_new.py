"""`nianbao portal new URL`: probe a site politely and write a draft spec (scrapers/discovery/probe.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from nianbao.commands.parse import printable
from nianbao.errors import EXIT_ATTENTION, EXIT_OK, SetupError, UsageError

if TYPE_CHECKING:
    from scrapers.discovery.probe import Draft

_PORTAL_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def register(app: typer.Typer) -> None:
    app.command(name="new")(new_command)


def new_command(
    url: Annotated[str, typer.Argument(help="The portal's home page, e.g. https://www.nxzw.gov.cn/.")],
    portal_id: Annotated[
        str | None, typer.Option("--id", help="Portal id, the file name (default: the host's first label).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Directory to write <id>.yaml to (default: the portals directory).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing <id>.yaml.")] = False,
    min_delay: Annotated[float, typer.Option("--min-delay", min=0, help="Seconds between two requests.")] = 2.0,
    max_requests: Annotated[
        int, typer.Option("--max-requests", min=5, max=200, help="Request budget of the probe.")
    ] = 40,
) -> None:
    """Look at the site at URL and write a draft portal spec that validates.

    Politely, through the crawler's own client: robots.txt respected, --min-delay seconds
    between requests, at most --max-requests requests. Reads the home page and the
    information-disclosure pages it links, recognises the CMS family from their markers,
    finds the 年报 columns and reads each column's first listing page. Fields it cannot
    determine get a placeholder and a `# TODO:` comment; values read from the site to
    check get a `# check:` comment.

    Exit 0 when the draft finds columns with items and leaves nothing to fill in, 1 when it
    has gaps (listed), 2 on a bad argument or an existing file without --force, 3 when the
    site cannot be read.
    """
    from nianbao.config import Settings
    from scrapers.discovery.probe import ProbeError, default_id, probe_site

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"URL must be an absolute http(s) URL, not {url!r}")
    portal_id = portal_id or default_id(url)
    if not _PORTAL_ID.match(portal_id):
        raise UsageError(f"--id must be lower-case letters, digits, - or _ (a file name), not {portal_id!r}")
    settings = Settings.from_env()
    target = (out or settings.portals_dir) / f"{portal_id}.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} exists; pass --force to overwrite it")
    _writable(target.parent)
    typer.echo(f"probing {url}: at most {max_requests} requests, {min_delay:g} s apart, robots.txt respected", err=True)
    try:
        draft = probe_site(url, portal_id, min_delay_s=min_delay, max_requests=max_requests, contact=settings.contact)
    except ProbeError as exc:
        raise SetupError(str(exc)) from exc
    _write(target, draft.yaml_text())
    typer.echo(summary(draft, target))
    raise typer.Exit(EXIT_OK if draft.complete else EXIT_ATTENTION)


def _writable(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {directory}: {exc.strerror or exc}") from exc
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a directory")


def _write(target: Path, text: str) -> None:
    partial = target.with_suffix(".yaml.part")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # a reader never sees half a spec
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc


def summary(draft: Draft, target: Path) -> str:
    """What the probe saw, the columns and their items, then what the draft leaves to a person."""
    lines = [
        f"family: {draft.family} (markers: {', '.join(draft.markers) or 'none'})",
        f"columns ({len(draft.columns)}):",
    ]
    for column in draft.columns:
        where = printable(column.department or "-")
        note = f"  ({printable(column.problem)})" if column.problem else ""
        lines.append(f"  {column.items:>4} items  {where}  {printable(column.url)}{note}")
    lines += [f"problem: {printable(problem)}" for problem in draft.problems]
    for gap in draft.gaps:
        lines.append(f"{'TODO' if gap.todo else 'check'}: {gap.field}: {printable(gap.reason)}")
    left = ", ".join(gap.field for gap in draft.todo) or "nothing"
    lines.append(f"wrote {target} ({draft.requests} requests); to fill in: {left}")
    return "\n".join(lines)
