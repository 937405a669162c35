"""Content-addressed store for raw document bytes.

Paths come only from the sha256 of the content (`ab/abcdef...`), never from a URL or a
remote file name, so no input can choose where bytes land.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    """Write-once files under `root`, addressed by sha256."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def relpath(self, sha256: str) -> str:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return f"{sha256[:2]}/{sha256}"

    def path(self, sha256: str) -> Path:
        return self.root / self.relpath(sha256)

    def put(self, content: bytes) -> tuple[str, str]:
        """Store `content` (idempotent); return (sha256, relative path)."""
        sha256 = hashlib.sha256(content).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write to a temp file then rename, so a crash never leaves a partial blob
            # under its final name and concurrent writers of the same bytes are safe.
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(content)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return sha256, self.relpath(sha256)

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()
