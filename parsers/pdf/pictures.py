"""Tables pasted as pictures on pages that have a text layer, read by OCR.

Some departments paste a screenshot of their Excel or Word table into the report: the page's
prose is text, the table only pixels, and the text layer alone reads as a report without
its tables. A page with text that also shows a large picture (a table's size, not a logo or
a seal) has the region of its pictures rendered and read by OCR, within the OCR budget,
like a scanned page; the blocks OCR gives follow the page's own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.document import Limits

if TYPE_CHECKING:
    import numpy as np

    from parsers.ocr import OcrRead

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF space
# A picture this share of the page's width and height or more may be a table; a logo, a seal
# or a photo of the building is smaller (a seal is 4 cm of a 21 cm page).
MIN_WIDTH_SHARE = 0.4
MIN_HEIGHT_SHARE = 0.08
# Characters of the text layer a picture may lie under and still be a pasted table (a caption
# or page number overlapping its edge).
MAX_TEXT_OVER = 10
_FORM_DEPTH = 2
OCR_DPI = 200
_MARGIN = 6.0  # points around each picture
_GAP = 40  # pixels between stacked pictures


def picture_boxes(page: pdfium.PdfPage) -> list[Box]:
    """The page's large pictures with no text over them, top to bottom, each with a margin (a
    table's outer rule at the picture's edge must stay in the picture OCR reads).

    A picture under the page's text is a background (a letterhead, a watermark): what it shows
    is read already, and OCR would read it twice."""
    width, height = page.get_size()
    boxes = []
    textpage = page.get_textpage()
    try:
        for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=_FORM_DEPTH):
            left, bottom, right, top = image.get_bounds()
            if right - left < MIN_WIDTH_SHARE * width or top - bottom < MIN_HEIGHT_SHARE * height:
                continue
            if len("".join(textpage.get_text_bounded(left, bottom, right, top).split())) > MAX_TEXT_OVER:
                continue
            m = _MARGIN
            boxes.append((max(left - m, 0.0), max(bottom - m, 0.0), min(right + m, width), min(top + m, height)))
    finally:
        textpage.close()
    return sorted(boxes, key=lambda b: -b[3])


def read_pictures(pdf: pdfium.PdfDocument, pictures: dict[int, list[Box]], limits: Limits) -> OcrRead:
    """OCR the pictures of each page in `pictures` (0-based page -> boxes), the page's
    pictures stacked into one image: the text between them is the page's own."""
    from parsers.ocr import read_images  # onnxruntime and opencv load only for pictures

    def render(index: int) -> np.ndarray:
        page = pdf[index]
        try:
            width, height = page.get_size()
            # Rendered at OCR_DPI, or coarser where that would pass the pixel limit (a poster-sized
            # picture is read less sharply rather than failing the document it illustrates).
            area = sum((r - left) * (t - b) for left, b, r, t in pictures[index])
            scale = min(OCR_DPI / 72, math.sqrt(limits.max_image_pixels / max(area, 1.0)))
            crops = [
                page.render(scale=scale, crop=(left, bottom, width - right, height - top)).to_numpy()[..., :3]
                for left, bottom, right, top in pictures[index]
            ]
        finally:
            page.close()
        return _stack(crops)

    indexes: Sequence[int] = sorted(pictures)
    return read_images(indexes, render, limits)


def _stack(crops: list[np.ndarray]) -> np.ndarray:
    # One above the other on white, a gap between, as wide as the widest.
    import numpy as np

    width = max(c.shape[1] for c in crops)
    parts = []
    for crop in crops:
        padded = np.full((crop.shape[0] + _GAP, width, 3), 255, dtype=np.uint8)
        padded[: crop.shape[0], : crop.shape[1]] = crop
        parts.append(padded)
    return np.ascontiguousarray(np.vstack(parts))
