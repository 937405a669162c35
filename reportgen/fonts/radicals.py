"""Derive parsers/radicals.py's table: each CJK radical and the ideograph drawn with its glyph.

A font draws a radical (U+2F00-U+2FD5 Kangxi Radicals, U+2E80-U+2EF3 CJK Radicals
Supplement) and the ideograph it looks like with one glyph. A PDF whose ToUnicode map, or
a reader that maps glyphs back to characters without one, picks the radical prints
⼈⺠政府 for 人民政府. The pairs are read off the Simplified Chinese face of Noto Sans CJK:
each radical whose glyph also draws exactly one CJK unified ideograph (the lowest code
point where it draws several). It needs fontTools, which is not a dependency:

    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python reportgen/fonts/radicals.py \
        .venv/lib/python3.11/site-packages/manimgx_fonts_cjk/NotoSansCJK-VF.otf.ttc
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

TABLE_FILE = Path(__file__).parents[2] / "parsers" / "radicals.py"
_BLOCK = re.compile(r"(# BEGIN PAIRS\n).*?(# END PAIRS\n)", re.DOTALL)
RADICALS = [*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6)]
PER_LINE = 40  # pairs per source line


def _ideograph(cp: int) -> bool:
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF


def pairs(font_path: str) -> list[tuple[str, str]]:
    collection = TTCollection(font_path)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1).endswith(" SC"))
    cmap = font.getBestCmap()
    drawn_by: dict[str, list[int]] = {}
    for cp, glyph in cmap.items():
        if _ideograph(cp):
            drawn_by.setdefault(glyph, []).append(cp)
    found = []
    for cp in RADICALS:
        ideographs = drawn_by.get(cmap.get(cp, ""), [])
        if ideographs:
            found.append((chr(cp), chr(min(ideographs))))
    return found


def main() -> None:
    found = pairs(sys.argv[1])
    text = "".join(a + b for a, b in found)
    step = 2 * PER_LINE
    lines = "".join(f'    "{text[i : i + step]}"\n' for i in range(0, len(text), step))
    source = TABLE_FILE.read_text(encoding="utf-8")
    TABLE_FILE.write_text(_BLOCK.sub(lambda m: m[1] + "_PAIRS = (\n" + lines + ")\n" + m[2], source), encoding="utf-8")
    print(f"{len(found)} radicals mapped into {TABLE_FILE}")


if __name__ == "__main__":
    main()
