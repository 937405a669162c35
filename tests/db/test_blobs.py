from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from db.blobs import BlobStore


def test_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha, rel = store.put(b"abc")
    assert sha == hashlib.sha256(b"abc").hexdigest()
    assert rel == f"{sha[:2]}/{sha}"
    assert store.put(b"abc") == (sha, rel)
    assert store.get(sha) == b"abc"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [sha]


def test_paths_cannot_be_chosen_by_input(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(ValueError, match="not a sha256"):
        store.path("../../etc/passwd")
