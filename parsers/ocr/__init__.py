"""OCR of image-only pages and image attachments into the same blocks a text PDF gives.

`read_image` is the format reader of JPG/PNG/TIFF attachments; `read_pdf_pages` serves the
PDF reader for its pages without a text layer. Tables are read cell by cell from their
ruled grid (the detector skips lone digits in cells), the rest of a page by the detector;
the report reader downstream is the one every format uses.
"""

from parsers.ocr.reader import OCR_WARNING, OcrRead, read_embedded_images, read_image, read_images, read_pdf_pages

__all__ = ["OCR_WARNING", "OcrRead", "read_embedded_images", "read_image", "read_images", "read_pdf_pages"]
