"""Two HTML dialects for the report body: clean editor markup and Word-pasted markup.

Word-pasted HTML is what a CMS keeps when an editor pastes from Microsoft Word: runs
of `<span>` that split labels and numbers at arbitrary points, `<o:p></o:p>`,
`<p class=MsoNormal>` inside table cells, `&nbsp;` and inline styles. Parsers must
read both, so both are generated from the same blocks.
"""

from __future__ import annotations

import random
from html import escape

from reportgen.layout import GridCell


class PlainMarkup:
    """Clean markup as a modern rich-text editor saves it."""

    def title(self, lines: tuple[str, ...]) -> str:
        return '<h2 class="title" style="text-align:center">' + "<br/>".join(map(escape, lines)) + "</h2>"

    def heading(self, text: str) -> str:
        return f"<p><strong>{escape(text)}</strong></p>"

    def paragraph(self, text: str, align: str) -> str:
        if align == "right":
            return f'<p style="text-align:right">{escape(text)}</p>'
        return f'<p style="text-indent:2em">{escape(text)}</p>'

    def table_open(self, name: str) -> str:
        return (
            f'<table class="nb-{name}" border="1" cellspacing="0" cellpadding="4" '
            'style="border-collapse:collapse;width:100%">'
        )

    def cell(self, cell: GridCell) -> str:
        spans = _span_attrs(cell, quote='"')
        return f'<td{spans} style="text-align:center">{escape(cell.text)}</td>'


class WordMarkup:
    """Markup as pasted from Word; run boundaries come from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def runs(self, text: str, style: str = "font-size:16.0pt;font-family:仿宋_GB2312") -> str:
        """`text` split into one to three styled spans at random points."""
        if not text:
            return ""
        cuts = sorted(self.rng.sample(range(1, len(text)), k=min(len(text) - 1, self.rng.randint(0, 2))))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        return "".join(f"<span{_lang(p)} style='{style}'>{escape(p)}</span>" for p in pieces)

    def title(self, lines: tuple[str, ...]) -> str:
        style = "font-size:22.0pt;font-family:方正小标宋简体"
        return "".join(
            f"<p class=MsoNormal align=center style='text-align:center;line-height:28.0pt'>"
            f"<b>{self.runs(line, style)}</b><o:p></o:p></p>"
            for line in lines
        )

    def heading(self, text: str) -> str:
        return (
            "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>"
            f"<b>{self.runs(text, 'font-size:16.0pt;font-family:黑体')}</b><o:p></o:p></p>"
        )

    def paragraph(self, text: str, align: str) -> str:
        if align == "right":
            return f"<p class=MsoNormal align=right style='text-align:right'>{self.runs(text)}<o:p></o:p></p>"
        indent = "<span style='mso-spacerun:yes'>&nbsp;&nbsp;&nbsp; </span>"
        return (
            "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly'>"
            f"{indent}{self.runs(text)}<o:p></o:p></p>"
        )

    def table_open(self, name: str) -> str:
        return (
            "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
            "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
            "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>"
        )

    def cell(self, cell: GridCell) -> str:
        flow = "layout-flow:vertical-ideographic;" if cell.vertical else ""
        body = self.runs(cell.text, "font-size:10.5pt;font-family:宋体") or "&nbsp;"
        return (
            f"<td{_span_attrs(cell, quote='')} valign=middle style='{flow}border:solid windowtext 1.0pt;"
            "padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center style='text-align:center'>"
            f"{body}<o:p></o:p></p></td>"
        )


def _lang(piece: str) -> str:
    """Word tags Latin runs (digits) with lang=EN-US."""
    return " lang=EN-US" if piece.isascii() else ""


def _span_attrs(cell: GridCell, *, quote: str) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f" rowspan={quote}{cell.rowspan}{quote}"
    if cell.colspan > 1:
        out += f" colspan={quote}{cell.colspan}{quote}"
    return out
