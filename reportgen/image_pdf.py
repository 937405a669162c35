"""A "图片版" (scanned) PDF: every page is one raster image and there is no text layer.

The pages are the text PDF of reportgen.pdf rasterised with pdfium, so layout, rules
and page breaks match the text rendering. The machine has no CJK font for the raster,
so each Chinese character is drawn as an ink blob in its box (what a low-resolution
scan of it looks like); digits and Latin letters keep their real shapes. A slight,
deterministic skew stands in for a sheet fed crooked into the scanner.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
from PIL import Image, ImageDraw
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from reportgen.pdf import render_pdf
from reportgen.style import variation
from reportgen.truth import ReportTruth

DPI = 100
SCALE = DPI / 72


def _ink_blob(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], char: str) -> None:
    """A few strokes inside a character box, the same strokes for the same character."""
    left, top, right, bottom = box
    rng = random.Random(ord(char))
    for _ in range(rng.randint(2, 4)):
        if rng.random() < 0.5:
            y = top + rng.random() * (bottom - top)
            draw.line((left + 1, y, right - 1, y), fill=40, width=1)
        else:
            x = left + rng.random() * (right - left)
            draw.line((x, top + 1, x, bottom - 1), fill=40, width=1)


def _page_image(page: pdfium.PdfPage) -> Image.Image:
    image: Image.Image = page.render(scale=SCALE, grayscale=True).to_pil().convert("L")  # pypdfium2 is untyped
    draw = ImageDraw.Draw(image)
    text = page.get_textpage()
    height = page.get_height()
    for index in range(text.count_chars()):
        char = text.get_text_range(index, 1)
        if char.isascii():
            continue  # pdfium drew it with its built-in Latin font
        left, bottom, right, top = text.get_charbox(index, loose=True)
        box = (left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE)
        _ink_blob(draw, box, char)
    return image


def _scan_effects(image: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.uniform(-0.6, 0.6)
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)


def _jpeg(image: Image.Image) -> ImageReader:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    buffer.seek(0)
    return ImageReader(buffer)


def render_image_pdf(truth: ReportTruth) -> bytes:
    """The report as image-only pages that need OCR; same truth, same bytes."""
    rng = variation(truth, "scan")
    source = pdfium.PdfDocument(render_pdf(truth))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setCreator("Scanner")
    try:
        with _binary_streams():
            for page in source:
                canvas.drawImage(_jpeg(_scan_effects(_page_image(page), rng)), 0, 0, width=A4[0], height=A4[1])
                canvas.showPage()
            canvas.save()
    finally:
        source.close()
    return out.getvalue()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Store JPEG streams as binary: reportlab's pure-Python ASCII85 encoder is slow."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous
