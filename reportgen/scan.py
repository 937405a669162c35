"""Scans that look like real ones: the generator's PDFs rasterised, then degraded.

A department's scan is a printout fed through a scanner: 150-300 dpi, a little crooked,
soft, on greyish paper, saved as JPEG, with the office's red seal stamped over the
signature block. `scan_pages` makes such page images from any text PDF (the generator's
own, or a DOCX/HTML rendering printed to PDF); `scan_pdf` wraps them as an image-only PDF
and `scan_image` saves one page as a JPG/PNG/TIFF attachment. The degradations are seeded,
so the same input gives the same bytes.

pdfium cannot draw the reports' Chinese (the PDFs name the non-embedded STSong-Light and
the host has no CJK font), so every non-ASCII character is drawn again in its own box with
Noto Sans CJK (the manimgx-fonts-cjk package), at the size the PDF sets it.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_SC_INDEX = 2  # the Simplified Chinese face of the Noto Sans CJK collection
_FONT_FILE = "NotoSansCJK-VF.otf.ttc"


@dataclass(frozen=True)
class Degradation:
    """How far a scan is from a clean rendering; the defaults are a clean scan."""

    dpi: int = 150
    angle: float = 0.0  # degrees the sheet is turned (counter-clockwise)
    blur: float = 0.0  # Gaussian radius in pixels: focus and toner spread
    paper: int = 255  # grey level of the paper (ink stays near black)
    noise: float = 0.0  # standard deviation of per-pixel sensor noise
    jpeg_quality: int | None = None  # None: lossless
    stamp: bool = False  # a red seal over the last page's signature block
    seed: int = 0


CLEAN = Degradation()
# What a poor but legible office scan looks like; the OCR tests and bench use it.
DEGRADED = Degradation(angle=0.7, blur=0.7, paper=212, noise=6.0, jpeg_quality=55, stamp=True, seed=1)


def scan_pages(pdf: bytes, degradation: Degradation = CLEAN, *, pages: int | None = None) -> list[Image.Image]:
    """The PDF's first `pages` pages (all when None) as degraded RGB page images."""
    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document) if pages is None else min(pages, len(document))
        chars = _page_chars(pdf, count)
        images = [_render(document[i], chars[i], degradation.dpi) for i in range(count)]
    finally:
        document.close()
    rng = random.Random(degradation.seed)
    last = len(images) - 1
    return [_degrade(image, degradation, rng, stamp=degradation.stamp and i == last) for i, image in enumerate(images)]


def scan_pdf(pdf: bytes, degradation: Degradation = CLEAN, *, pages: int | None = None) -> bytes:
    """An image-only PDF of the scanned pages (no text layer), as a scanner would save it."""
    images = scan_pages(pdf, degradation, pages=pages)
    out = io.BytesIO()
    first, *rest = images
    quality = degradation.jpeg_quality or 95
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=degradation.dpi, quality=quality)
    return out.getvalue()


def scan_image(pdf: bytes, degradation: Degradation = CLEAN, *, page: int = 0, image_format: str = "JPEG") -> bytes:
    """One scanned page as an image attachment (JPEG, PNG or TIFF)."""
    image = scan_pages(pdf, degradation, pages=page + 1)[page]
    out = io.BytesIO()
    options: dict[str, object] = {"dpi": (degradation.dpi, degradation.dpi)}
    if image_format == "JPEG":
        options["quality"] = degradation.jpeg_quality or 95
    image.save(out, format=image_format, **options)
    return out.getvalue()


def _render(page: pdfium.PdfPage, chars: list[dict[str, Any]], dpi: int) -> Image.Image:
    scale = dpi / 72
    image: Image.Image = page.render(scale=scale).to_pil().convert("RGB")  # pypdfium2 is untyped
    draw = ImageDraw.Draw(image)
    for char in chars:
        text = char["text"]
        if text.isascii() or not text.strip():
            continue  # pdfium drew it with its built-in Latin font
        size = round(char["size"] * scale)
        draw.text((char["x0"] * scale, char["top"] * scale), text, font=cjk_font(size), fill=(0, 0, 0))
    return image


def _page_chars(pdf: bytes, count: int) -> list[list[dict[str, Any]]]:
    # pdfminer's characters, not pdfium's: pdfium drops the text objects of lone glyphs
    # in a non-embedded font (自然 + 人 on its own line would lose 人).
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [list(document.pages[i].chars) for i in range(count)]


def _degrade(image: Image.Image, d: Degradation, rng: random.Random, *, stamp: bool) -> Image.Image:
    if stamp:
        image = _stamp(image, rng)
    if d.paper < 255:
        # Multiply: white becomes the paper's grey, black stays black.
        paper = Image.new("RGB", image.size, (d.paper, d.paper, max(0, d.paper - 8)))
        image = Image.fromarray(_multiply(image, paper))
    if d.angle:
        fill = (d.paper, d.paper, max(0, d.paper - 8))
        image = image.rotate(d.angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=fill)
    if d.blur:
        image = image.filter(ImageFilter.GaussianBlur(d.blur))
    if d.noise:
        image = _noise(image, d.noise, rng)
    if d.jpeg_quality:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=d.jpeg_quality)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def _multiply(image: Image.Image, paper: Image.Image) -> npt.NDArray[np.uint8]:
    import numpy as np

    a = np.asarray(image, dtype=np.uint16)
    b = np.asarray(paper, dtype=np.uint16)
    return (a * b // 255).astype(np.uint8)


def _noise(image: Image.Image, sigma: float, rng: random.Random) -> Image.Image:
    import numpy as np

    generator = np.random.default_rng(rng.randrange(2**32))
    pixels = np.asarray(image, dtype=np.float32)
    noisy = pixels + generator.normal(0.0, sigma, pixels.shape[:2])[..., None]
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def _stamp(image: Image.Image, rng: random.Random) -> Image.Image:
    """A translucent red seal (ring, star, arc of text) over the lower right of the page,
    where the agency's name and the date are printed."""
    width, height = image.size
    radius = int(width * 0.11)
    cx = int(width * rng.uniform(0.62, 0.72))
    cy = int(height * rng.uniform(0.55, 0.8))
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    red = (214, 30, 36, 150)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=max(3, radius // 14))
    star = [
        (
            cx + (radius * (0.3 if k % 2 else 0.12)) * math.sin(k * math.pi / 5),
            cy - (radius * (0.3 if k % 2 else 0.12)) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=red)
    font = cjk_font(max(10, radius // 4))
    for k, char in enumerate("政务公开专用章"):
        angle = math.radians(-110 + k * 220 / 6)
        x = cx + radius * 0.72 * math.sin(angle) - radius // 8
        y = cy - radius * 0.72 * math.cos(angle) - radius // 8
        draw.text((x, y), char, font=font, fill=red)
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


@cache
def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC Regular at `size` pixels."""
    import manimgx_fonts_cjk  # type: ignore[import-untyped]  # a font package: no types; only its location is read

    path = Path(manimgx_fonts_cjk.__file__).with_name(_FONT_FILE)
    font = ImageFont.truetype(str(path), max(size, 4), index=_SC_INDEX)
    font.set_variation_by_name("Regular")
    return font
