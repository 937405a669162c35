"""Command groups of the CLI. Each module exposes `register(app)`.

Modules import their heavy dependencies (prefect, pdfplumber) inside the command
functions so that `nianbao --help` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
