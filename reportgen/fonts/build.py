"""Build `noto-sans-sc-subset.ttf`: the embedded font of reportgen's Word-like PDFs.

Real reports are mostly exported from Word or WPS, which embed a TrueType subset of
the font with a ToUnicode map; reportgen's default PDFs use the non-embedded CID font
STSong-Light instead, the rarer and harder case. reportlab embeds only TrueType
outlines, and the one CJK font at hand (Noto Sans CJK, in the test extra's
manimgx-fonts-cjk) is a variable CFF2 collection, so this script takes its SC face at
weight 400, keeps the characters reportgen can print, and redraws the cubic outlines
as quadratic ones. Noto Sans CJK is under the SIL Open Font License 1.1 (OFL.txt).

Run it again only when reportgen prints new characters (it needs fontTools, which is
not a dependency):

    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python reportgen/fonts/build.py \
        .venv/lib/python3.11/site-packages/manimgx_fonts_cjk/NotoSansCJK-VF.otf.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection
from fontTools.varLib.instancer import instantiateVariableFont

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
OUT = HERE / "noto-sans-sc-subset.ttf"
SC_FACE = 2  # JP, KR, SC, TC, HK
FAMILY = "NianbaoSansSC"
# The original's copyright and licence names travel with the subset (the OFL asks it).
LEGAL_NAME_IDS = {"copyright": 0, "licenseDescription": 13, "licenseInfoURL": 14}


def characters() -> set[str]:
    """Every character reportgen's sources (and the labels it borrows) can print, plus printable ASCII."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for folder in ("reportgen", "parsers", "formats"):
        for path in (ROOT / folder).rglob("*.py"):
            chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable() and c != "\x7f"}


def build(collection: str) -> None:
    font = TTCollection(collection).fonts[SC_FACE]
    legal = {key: font["name"].getDebugName(i) for key, i in LEGAL_NAME_IDS.items()}
    options = Options()
    options.layout_features = []
    options.name_IDs = []
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters()])
    subsetter.subset(font)
    font = instantiateVariableFont(font, {"wght": 400})
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    metrics = {name: font["hmtx"][name] for name in order}
    builder = FontBuilder(font["head"].unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(font.getBestCmap())
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=font["hhea"].ascent, descent=font["hhea"].descent)
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular", **legal})
    builder.setupOS2(
        sTypoAscender=font["OS/2"].sTypoAscender,
        sTypoDescender=font["OS/2"].sTypoDescender,
        usWinAscent=font["OS/2"].usWinAscent,
        usWinDescent=font["OS/2"].usWinDescent,
        fsType=0,
    )
    builder.setupPost()
    builder.save(OUT)
    print(f"{OUT.name}: {len(order)} glyphs, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    build(sys.argv[1])
