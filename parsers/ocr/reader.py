"""Image attachments and a PDF's scanned pages through OCR, within the OCR budget."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parsers.document import Block, Document, Limits
from parsers.errors import DocumentError, NeedsOCR

if TYPE_CHECKING:
    import numpy as np

# Scans are read at this resolution: enough for 五号 table text, a page in a few seconds.
OCR_DPI = 150
OCR_WARNING = "read by OCR from page images: the text and cells come from character recognition"
Render = Callable[[int], "np.ndarray"]
# Lines (or cells) of Chinese read with confidence for a page to count as read: a smudge
# can pass for a word or two, a page of writing gives dozens.
MIN_LINES_READ = 3


@dataclass
class OcrRead:
    """Blocks of the pages OCR read (by 0-based page index), and what it could not do."""

    pages: dict[int, list[Block]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    read: bool = False  # any text at all


def read_images(indexes: Sequence[int], render: Render, limits: Limits) -> OcrRead:
    """OCR the pages `indexes` (0-based), each rendered by `render`, page cap and time
    budget first: pages past either are left unread and listed in a warning."""
    from parsers.ocr.page import read_page  # opencv and the OCR engine load only when a scan is read

    out = OcrRead(warnings=[OCR_WARNING])
    start = time.monotonic()
    for position, index in enumerate(indexes):
        now = time.monotonic()
        if position >= limits.max_ocr_pages or now - start > limits.ocr_seconds:
            out.warnings.append(_skipped(indexes[position:], limits, over_cap=position >= limits.max_ocr_pages))
            break
        deadline = min(now + limits.ocr_page_seconds, start + limits.ocr_seconds)
        page = read_page(render(index), index + 1, deadline)
        out.pages[index] = page.blocks
        out.read = out.read or page.read >= MIN_LINES_READ
        if page.illegible:
            out.warnings.append(f"page {index + 1}: {page.illegible} table cells not read for certain by OCR")
        if position == 0 and page.read < MIN_LINES_READ and len(indexes) > 1:
            # A report's first page is its title page: a scan OCR cannot read there is one
            # it cannot read (smudged, a photo); pages of it are not worth seconds each.
            out.warnings.append(_unread_rest(indexes))
            break
        if page.out_of_time:
            out.warnings.append(f"page {index + 1}: OCR stopped at its time budget; the rest of the page is unread")
    return out


def _unread_rest(indexes: Sequence[int]) -> str:
    rest = indexes[1:]
    pages = f"page {rest[0] + 1}" if len(rest) == 1 else f"pages {rest[0] + 1}-{rest[-1] + 1}"
    return f"OCR read no text on page {indexes[0] + 1}; {pages} not tried"


def _skipped(indexes: Sequence[int], limits: Limits, *, over_cap: bool) -> str:
    pages = f"page {indexes[0] + 1}" if len(indexes) == 1 else f"pages {indexes[0] + 1}-{indexes[-1] + 1}"
    why = f"past the cap of {limits.max_ocr_pages} pages" if over_cap else f"past the {limits.ocr_seconds:g} s budget"
    return f"{pages} not read by OCR ({why})"


def read_image(data: bytes, limits: Limits, charset: str | None = None) -> Document:
    """A JPG/PNG/TIFF/GIF attachment (every frame a page) read by OCR (`charset`, the
    served one, means nothing to an image)."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError as exc:  # a header claiming far more pixels than the limit
        raise DocumentError(f"image too large to read: {exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DocumentError(f"corrupt image: {exc}") from exc
    if width * height > limits.max_image_pixels:
        raise DocumentError(f"image of {width}x{height} pixels exceeds the limit of {limits.max_image_pixels}")
    frames = min(getattr(image, "n_frames", 1), limits.max_pages)
    kind = (image.format or "image").upper()

    def render(index: int) -> np.ndarray:
        try:
            image.seek(index)
            return np.asarray(image.convert("RGB"))
        except (OSError, ValueError, EOFError) as exc:
            raise DocumentError(f"corrupt {kind} image: frame {index + 1} cannot be decoded ({exc})") from exc

    ocr = read_images(range(frames), render, limits)
    if not ocr.read:
        raise NeedsOCR(f"a {kind} image: OCR read no text in it")
    blocks = [block for index in sorted(ocr.pages) for block in ocr.pages[index]]
    return Document(
        blocks,
        f"image/{kind.lower()}",
        pages=frames,
        has_text_layer=False,
        warnings=ocr.warnings,
        ocr_pages=frames,
    )


def read_embedded_images(images: Sequence[bytes], limits: Limits) -> OcrRead:
    """OCR pictures a document embeds (a DOCX's pasted screenshot of a table), in one budget;
    a picture that cannot be decoded or is too large is skipped and said so."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    problems: list[str] = []

    def render(index: int) -> np.ndarray:
        try:
            image = Image.open(io.BytesIO(images[index]))
            width, height = image.size
            if width * height > limits.max_image_pixels:
                problems.append(f"picture {index + 1}: {width}x{height} pixels, over the limit; not read")
                return np.full((8, 8, 3), 255, dtype=np.uint8)
            return np.asarray(image.convert("RGB"))
        except Image.DecompressionBombError:  # its header claims far more pixels than any limit
            problems.append(f"picture {index + 1}: too many pixels, over the limit; not read")
            return np.full((8, 8, 3), 255, dtype=np.uint8)
        except (UnidentifiedImageError, OSError, ValueError, EOFError) as exc:
            problems.append(f"picture {index + 1} cannot be decoded ({exc}); not read")
            return np.full((8, 8, 3), 255, dtype=np.uint8)

    ocr = read_images(range(len(images)), render, limits)
    ocr.warnings += problems
    return ocr


def read_pdf_pages(pdf: object, indexes: Sequence[int], limits: Limits) -> OcrRead:
    """OCR a pdfium document's pages `indexes`, each rendered at OCR_DPI in colour (the
    grey reading drops coloured seals), one page image in memory at a time."""
    import numpy as np
    import pypdfium2 as pdfium

    assert isinstance(pdf, pdfium.PdfDocument)
    scale = OCR_DPI / 72

    def render(index: int) -> np.ndarray:
        page = pdf[index]
        try:
            width, height = page.get_size()
            if width * height * scale * scale > limits.max_image_pixels:
                raise DocumentError(f"page {index + 1} of {width:.0f}x{height:.0f} pt is too large to OCR")
            bitmap = page.render(scale=scale)
            # A C-ordered copy: the bitmap's buffer goes with the page (np.array also types pdfium's untyped value).
            return np.array(bitmap.to_numpy()[..., :3], order="C")
        finally:
            page.close()

    return read_images(indexes, render, limits)
