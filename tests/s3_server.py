"""A real S3-compatible server (moto's server mode) in a subprocess, for the object-store blob tests.

The server runs on a free loopback port; the helpers give the environment a process needs to
reach it the way production reaches any S3 endpoint (AWS_* variables and NIANBAO_BLOB_URL).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

STARTUP_SECONDS = 60


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    region: str = "us-east-1"

    def env(self) -> dict[str, str]:
        """What a client needs: moto accepts any credentials, but a client must sign with some."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
        }

    def client(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip

    def create_bucket(self, name: str) -> None:
        """A versioned bucket, so a test can tell a second PUT of a key from none."""
        client = self.client()
        client.create_bucket(Bucket=name)
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def versions(self, bucket: str) -> list[str]:
        """Every version of every key: one per PUT that reached the store."""
        pages = self.client().get_paginator("list_object_versions").paginate(Bucket=bucket)
        return sorted(v["Key"] for page in pages for v in page.get("Versions", []))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server(log: Path) -> Iterator[S3Server]:
    """Start `moto.server` on a free port, wait (bounded) until it answers, stop it after."""
    port = _free_port()
    server = S3Server(f"http://127.0.0.1:{port}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            _wait_ready(server.endpoint, proc, log)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


def _wait_ready(endpoint: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"moto server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(f"{endpoint}/moto-api/", timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"moto server not answering after {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')}")
