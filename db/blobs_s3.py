"""Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph, R2, moto), through obstore.

The bucket and prefix come from `NIANBAO_BLOB_URL` (`s3://bucket/prefix`); endpoint, region and
credentials from the usual AWS variables (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, ...),
which obstore reads itself. Keys under the prefix are the same content addresses as on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import obstore
from obstore.exceptions import AlreadyExistsError, BaseError, PreconditionError
from obstore.store import S3Store

from db.blobs import BlobMissing, BlobStoreError, blob_key

if TYPE_CHECKING:  # obstore's config types exist in its stubs only
    from obstore.store import ClientConfig, RetryConfig

T = TypeVar("T")

# Bounded so an unreachable store fails the document in seconds, not after obstore's default 3 minutes.
RETRIES: RetryConfig = {"max_retries": 3, "retry_timeout": dt.timedelta(seconds=30)}
TIMEOUTS: ClientConfig = {"connect_timeout": dt.timedelta(seconds=5), "timeout": dt.timedelta(seconds=120)}


class S3BlobStore:
    """Write-once objects under `s3://bucket/prefix`, addressed by sha256."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        endpoint = os.environ.get("AWS_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT") or ""
        # A plain-http endpoint (a local MinIO or moto) is an explicit choice of whoever set it.
        client: ClientConfig = {**TIMEOUTS, "allow_http": endpoint.startswith("http://")}
        try:
            self._store = S3Store.from_url(self.url, client_options=client, retry_config=RETRIES)
        except (BaseError, ValueError) as exc:
            raise BlobStoreError(f"NIANBAO_BLOB_URL {self.url}: {_first_line(exc)}") from exc

    def put(self, content: bytes) -> tuple[str, str]:
        """Store `content` (idempotent); return (sha256, relative key)."""
        sha256 = hashlib.sha256(content).hexdigest()
        key = blob_key(sha256)
        if self.exists(sha256):
            return sha256, key
        # One PUT is atomic on S3: the object appears whole or not at all. "create" refuses to
        # replace an object a concurrent writer stored meanwhile (same bytes, so nothing to do).
        try:
            self._call("put", lambda: obstore.put(self._store, key, content, mode="create", use_multipart=False))
        except BlobStoreError as exc:
            if not isinstance(exc.__cause__, AlreadyExistsError | PreconditionError):
                raise
        return sha256, key

    def get(self, sha256: str) -> bytes:
        key = blob_key(sha256)
        try:
            return self._call("get", lambda: bytes(obstore.get(self._store, key).bytes()))
        except FileNotFoundError:
            raise BlobMissing(sha256, self.url) from None

    def exists(self, sha256: str) -> bool:
        key = blob_key(sha256)
        try:
            self._call("head", lambda: obstore.head(self._store, key))
        except FileNotFoundError:
            return False
        return True

    def check(self) -> None:
        """One listing request: the endpoint answers, the credentials sign, the bucket exists."""
        self._call("list", lambda: next(iter(obstore.list(self._store, chunk_size=1)), None))

    def _call(self, operation: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except FileNotFoundError:
            raise
        except (BaseError, OSError) as exc:
            raise BlobStoreError(f"blob store {self.url}: {operation} failed: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    """obstore's messages carry a multi-line debug dump; the first line says what happened.

    An S3 error body follows on that line as XML; its <Code> (NoSuchBucket, AccessDenied) is the reason.
    """
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    head = line.partition("<?xml")[0]
    code = re.search(r"<Code>([^<]+)</Code>", str(exc))
    return (head.rstrip(": ") + (f": {code[1]}" if code else ""))[:300]
