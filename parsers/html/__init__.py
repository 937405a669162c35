"""HTML reader: `read_html(data, limits, charset) -> Document`."""

from parsers.html.reader import read_html

__all__ = ["read_html"]
