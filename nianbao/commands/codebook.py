"""`nianbao codebook`: what every canonical cell key means (docs/codebook.md is its md output)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from nianbao.errors import UsageError


def codebook_command(
    fmt: Annotated[str, typer.Option("--format", help="csv, json or md.")] = "md",
    out: Annotated[Path | None, typer.Option(help="Output file; default stdout.")] = None,
) -> None:
    """Every canonical cell key: section, printed row and column labels, template generations, type, unit and
    the comparable key of the other template. Needs no database."""
    from db.codebook import FORMATS, render

    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}: use {', '.join(FORMATS)}")
    text = render(fmt)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write --out {out}: {exc.strerror}") from exc


def register(app: typer.Typer) -> None:
    app.command("codebook")(codebook_command)
