"""Named exceptions that carry the parser's control flow to a status."""

from __future__ import annotations


class DocumentError(Exception):
    """The bytes cannot be read as the claimed format (corrupt, encrypted, too large...).

    The message is shown to users as the report's `error`; say what was wrong.
    """


class NeedsOCR(Exception):
    """The document holds only images of text (an image-only PDF or a picture report)."""


class ReaderUnavailable(DocumentError):
    """The document needs a program this machine lacks (LibreOffice for a legacy .doc).

    No verdict on the bytes: the report is marked crashed, so a later run reads it again.
    """
