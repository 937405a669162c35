"""PDF reader: `read_pdf(data, limits) -> Document`."""

from parsers.pdf.reader import read_pdf

__all__ = ["read_pdf"]
