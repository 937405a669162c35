"""Content-addressed store for raw document bytes: a local directory or an S3-compatible object store.

Keys come only from the sha256 of the content (`ab/abcdef...`), never from a URL or a remote
file name, so no input can choose where bytes land. Both stores write atomically (no half blob
is ever visible under its key), treat a second write of the same bytes as a no-op, and raise
`BlobMissing` for a key they do not hold.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobMissing(FileNotFoundError):
    """The store does not hold the blob: its bytes were lost or the store is not the one that wrote them."""

    def __init__(self, sha256: str, where: str) -> None:
        super().__init__(f"blob {sha256} is not in the blob store {where}")


class BlobStoreError(OSError):
    """The store could not be reached or refused the operation; one line saying which store and why."""


class Blobs(Protocol):
    """What the stages need from a blob store."""

    def put(self, content: bytes) -> tuple[str, str]:
        """Store `content` (idempotent); return (sha256, relative key)."""
        ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def check(self) -> None:
        """Raise BlobStoreError, naming the store, if it cannot be used (before a run starts)."""
        ...


def blob_key(sha256: str) -> str:
    """The relative key of a blob; refuses anything but a sha256 hex digest."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return f"{sha256[:2]}/{sha256}"


def open_blobs(location: str | Path) -> Blobs:
    """The store at `location`: an `s3://bucket/prefix` URL, else a local directory."""
    if isinstance(location, str) and location.startswith("s3://"):
        from db.blobs_s3 import S3BlobStore  # only a deployment with an object store needs obstore loaded

        return S3BlobStore(location)
    return BlobStore(Path(location))


class BlobStore:
    """Write-once files under `root`, addressed by sha256."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def relpath(self, sha256: str) -> str:
        return blob_key(sha256)

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
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise BlobMissing(sha256, str(self.root)) from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def check(self) -> None:
        """Nothing to reach: the directory is created by the first write."""
