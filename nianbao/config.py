"""Settings read from the environment, in one place.

Every setting has a default that works on a fresh clone (a SQLite database and a
blob store under ./data); production overrides them with env vars.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapers.spec import PortalSpec

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONTACT_ENV = "NIANBAO_CONTACT"
URL_EXAMPLES = "sqlite:////abs/path/nianbao.db or postgresql+psycopg://USER:PASSWORD@HOST:5432/nianbao"


class ConfigError(ValueError):
    """A setting is unusable; the message names the variable and never echoes a password."""


@dataclass(frozen=True)
class Settings:
    """Resolved configuration; build one with `Settings.from_env()`."""

    data_dir: Path
    database_url: str
    blob_dir: Path
    portals_dir: Path
    # An object store shared by several machines (`s3://bucket/prefix`); when set, blob_dir is unused.
    blob_url: str | None = None
    # A Dask scheduler (`tcp://host:8786`) the reparse flow runs its batches on.
    dask_address: str | None = None
    # How a portal's operator reaches whoever runs the crawler (an e-mail address or URL): the user agent says it.
    contact: str | None = None

    @property
    def blob_location(self) -> str | Path:
        return self.blob_url or self.blob_dir

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ) if env is None else env
        data_dir = Path(env.get("NIANBAO_DATA_DIR", "data")).resolve()
        database_url = _usable_url(env.get("NIANBAO_DATABASE_URL") or f"sqlite:///{data_dir / 'nianbao.db'}")
        blob_dir = Path(env.get("NIANBAO_BLOB_DIR", str(data_dir / "blobs"))).resolve()
        portals_dir = Path(env.get("NIANBAO_PORTALS_DIR", str(PROJECT_ROOT / "portals"))).resolve()
        blob_url = _blob_url(env.get("NIANBAO_BLOB_URL") or None)
        dask_address = env.get("NIANBAO_DASK_ADDRESS") or None
        contact = _contact(env.get(CONTACT_ENV, "").strip() or None)
        return cls(data_dir=data_dir, database_url=database_url, blob_dir=blob_dir, portals_dir=portals_dir,
                   blob_url=blob_url, dask_address=dask_address, contact=contact)  # fmt: skip


def _contact(value: str | None) -> str | None:
    """An e-mail address or URL fit for a User-Agent header, or a ConfigError saying what is expected."""
    if value is None:
        return None
    if not value.isascii() or not re.fullmatch(r"[^\s@()]+@[^\s@()]+\.[^\s@()]+|https?://[^\s()]+", value):
        raise ConfigError(f"{CONTACT_ENV}: expected an e-mail address or an http(s) URL (ASCII), not {value!r}")
    return value


def contact_warning(spec: PortalSpec) -> str | None:
    """The start-up warning for crawling a real portal while the user agent gives the placeholder contact."""
    from scrapers.spec import PLACEHOLDER_CONTACT, uses_placeholder_contact

    if not uses_placeholder_contact(spec):
        return None
    return (
        f"warning: {spec.id}: the User-Agent gives the placeholder contact {PLACEHOLDER_CONTACT}; set {CONTACT_ENV} "
        "to an e-mail address or URL where the portal's operators can reach you"
    )


def _blob_url(url: str | None) -> str | None:
    """An `s3://bucket[/prefix]` URL, or a ConfigError saying what is expected."""
    if url is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname or parts.username or parts.query:
        raise ConfigError(
            "NIANBAO_BLOB_URL: expected s3://BUCKET/PREFIX (endpoint and credentials go in AWS_ENDPOINT_URL, "
            "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); unset it to keep blobs in NIANBAO_BLOB_DIR"
        )
    return url


def _usable_url(url: str) -> str:
    """The URL if SQLAlchemy can parse it and its driver is installed; else a ConfigError saying which."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        dialect = make_url(url).get_dialect()
        dialect.import_dbapi()  # the driver: a missing one would otherwise fail at the first connection
    except ArgumentError as exc:
        raise ConfigError(f"NIANBAO_DATABASE_URL: {exc} (use {URL_EXAMPLES})") from exc
    except ImportError as exc:
        raise ConfigError(f"NIANBAO_DATABASE_URL: the database driver is not installed ({exc})") from exc
    return url
