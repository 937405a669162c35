"""What the compliance view needs from the parsers, wired once for the CLI and the flows (db does not import
the parsers: see db/compliance.py)."""

from __future__ import annotations

from db.compliance import ParserFacts


def parser_facts() -> ParserFacts:
    """Every cell of a check's equation."""
    from parsers.checks import equation_cells

    return ParserFacts(check_cells=equation_cells)
