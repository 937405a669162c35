"""Make Office files (ZIP containers) byte-stable: fixed member times and modified stamp.

openpyxl and python-docx stamp the wall clock into every ZIP member and into
docProps/core.xml; the server's ETags are content hashes, so an unchanged report
must render to the same bytes in every process.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Final

_FIXED: Final = (2020, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalise_zip(data: bytes, stamp: str = "2020-01-01T00:00:00Z") -> bytes:
    """`data` re-zipped with fixed member times and `stamp` as the modified time."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()
