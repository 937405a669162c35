"""What the compliance view needs from the parsers, wired once for the CLI and the flows (db does not import
the parsers: see db/compliance.py)."""

from __future__ import annotations

from db.compliance import ParserFacts


def parser_facts() -> ParserFacts:
    """Every cell of a check's equation, and the warning every OCR read carries."""
    from parsers.checks import equation_cells
    from parsers.ocr import OCR_WARNING

    return ParserFacts(check_cells=equation_cells, ocr_warning=OCR_WARNING)
