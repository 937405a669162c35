"""The blob store's contract, on a local directory and on a real S3-compatible server (moto, in a subprocess)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from db.blobs import BlobMissing, Blobs, BlobStore, BlobStoreError, open_blobs
from db.database import Database
from db.documents import Fetched, document_bytes, ensure_portal, store_document
from nianbao.config import ConfigError, Settings
from tests.s3_server import S3Server, moto_server


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with moto_server(tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield server


@pytest.fixture
def s3_env(s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    return s3


@pytest.fixture
def bucket(s3_env: S3Server) -> str:
    name = f"nianbao-{uuid.uuid4().hex[:12]}"
    s3_env.create_bucket(name)
    return name


@pytest.fixture(params=["directory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Blobs:
    if request.param == "directory":
        return open_blobs(tmp_path / "blobs")
    bucket = request.getfixturevalue("bucket")
    return open_blobs(f"s3://{bucket}/blobs")


def test_put_is_content_addressed_and_idempotent(store: Blobs) -> None:
    sha, rel = store.put(b"abc")
    assert sha == hashlib.sha256(b"abc").hexdigest()
    assert rel == f"{sha[:2]}/{sha}"
    assert store.put(b"abc") == (sha, rel)
    assert store.get(sha) == b"abc"
    assert store.exists(sha)
    assert not store.exists(hashlib.sha256(b"other").hexdigest())


def test_a_missing_blob_is_a_clear_error(store: Blobs) -> None:
    sha = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(BlobMissing, match=f"blob {sha} is not in the blob store "):
        store.get(sha)


def test_keys_cannot_be_chosen_by_input(store: Blobs) -> None:
    for key in ("../../etc/passwd", "AB" * 32, "ab/../cd"):
        with pytest.raises(ValueError, match="not a sha256"):
            store.get(key)
        with pytest.raises(ValueError, match="not a sha256"):
            store.exists(key)


def test_local_files_are_the_content_address_only(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha, _ = store.put(b"abc")
    store.put(b"abc")
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [f"{sha[:2]}/{sha}"]


def test_s3_objects_are_the_content_address_under_the_prefix_written_once(s3_env: S3Server, bucket: str) -> None:
    store = open_blobs(f"s3://{bucket}/year/2026")
    shas = [store.put(body)[0] for body in (b"%PDF-1.7 a", b"<html>b</html>", b"%PDF-1.7 a")]
    expected = sorted({f"year/2026/{sha[:2]}/{sha}" for sha in shas})
    assert s3_env.keys(bucket) == expected
    # The bucket is versioned: a second PUT of the same key would show as a second version.
    assert s3_env.versions(bucket) == expected


def test_concurrent_writers_of_the_same_bytes_store_one_object(s3_env: S3Server, bucket: str) -> None:
    body = b"%PDF-1.7 " + b"x" * 200_000
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: open_blobs(f"s3://{bucket}/b").put(body), range(8)))
    assert len(set(results)) == 1
    sha = results[0][0]
    assert s3_env.keys(bucket) == [f"b/{sha[:2]}/{sha}"]
    assert open_blobs(f"s3://{bucket}/b").get(sha) == body


def test_an_unreachable_store_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch, s3_env: S3Server) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    store = open_blobs("s3://nianbao/blobs")
    with pytest.raises(BlobStoreError) as caught:
        store.put(b"abc")
    message = str(caught.value)
    assert message.startswith("blob store s3://nianbao/blobs: head failed: ") and "\n" not in message


def test_documents_store_and_read_back_through_s3(database: Database, s3_env: S3Server, bucket: str) -> None:
    blobs = open_blobs(f"s3://{bucket}/blobs")
    with database.transaction() as session:
        ensure_portal(session, "nxzw", "中卫市人民政府", "https://www.nxzw.gov.cn", "640500")
        stored = store_document(session, blobs, "nxzw", Fetched("https://x.gov.cn/a.pdf", "ok", 200),
                                b"%PDF-1.4 report", "application/pdf")  # fmt: skip
    with database.transaction() as session:
        doc, content = document_bytes(session, blobs, stored.document_id)
    assert content == b"%PDF-1.4 report" and doc.blob_path == f"{stored.sha256[:2]}/{stored.sha256}"
    assert s3_env.keys(bucket) == [f"blobs/{doc.blob_path}"]


def test_settings_choose_the_store_from_the_environment(tmp_path: Path) -> None:
    base = {"NIANBAO_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).blob_location == (tmp_path / "blobs").resolve()
    assert Settings.from_env(base | {"NIANBAO_BLOB_URL": "s3://bucket/a/b"}).blob_location == "s3://bucket/a/b"
    for bad in ("https://bucket.example.com/x", "s3:///nobucket", "s3://key:secret@bucket/x", "/var/blobs"):
        with pytest.raises(ConfigError, match=r"^NIANBAO_BLOB_URL: expected s3://BUCKET/PREFIX") as caught:
            Settings.from_env(base | {"NIANBAO_BLOB_URL": bad})
        assert "secret" not in str(caught.value)


@pytest.mark.parametrize("command", [["collect"], ["backfill", "--portal", "nxzw"], ["reparse"]])
def test_commands_refuse_an_unusable_store_before_starting(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_env: S3Server
) -> None:
    from typer.testing import CliRunner

    from nianbao.cli import app

    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_DATABASE_URL", raising=False)
    monkeypatch.setenv("NIANBAO_BLOB_URL", "s3://no-such-bucket/blobs")
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert lines[0].startswith("error: blob store s3://no-such-bucket/blobs: list failed: ")
    assert lines[0].endswith("404 Not Found: NoSuchBucket")  # the S3 error code, not its XML body
