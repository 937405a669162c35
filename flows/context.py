"""What a run needs, built from settings: database, blob store, portal specs, HTTP clients.

Tasks receive only plain, serialisable parameters (portal ids, years) and build these
handles themselves, so Prefect never has to hash or pickle a live connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.blobs import Blobs, open_blobs
from db.database import Database
from db.documents import document_at, validators_for
from db.recall import last_check
from nianbao.config import Settings
from scrapers.results import LastCheck, Validators
from scrapers.spec import PortalSpec, load_portal


@dataclass(frozen=True)
class RunOptions:
    """Parameters shared by every task of one flow run."""

    refetch: bool = False
    base_urls: dict[str, str] = field(default_factory=dict)


class RunContext:
    """Handles for one task: open with `RunContext.open()`, close when done."""

    def __init__(self, settings: Settings, options: RunOptions) -> None:
        self.settings = settings
        self.options = options
        self.database = Database(settings.database_url)
        self.blobs = open_blobs(settings.blob_location)

    @classmethod
    def open(cls, options: RunOptions) -> RunContext:
        return cls(Settings.from_env(), options)

    def portal(self, portal_id: str) -> PortalSpec:
        base_url = self.options.base_urls.get(portal_id)
        return load_portal(portal_id, self.settings.portals_dir, base_url=base_url, contact=self.settings.contact)

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> RunContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StoredValidators:
    """The scrapers' StoredPages, answered from the database and blob store (unless refetching)."""

    def __init__(self, database: Database, blobs: Blobs, refetch: bool) -> None:
        self.database = database
        self.blobs = blobs
        self.refetch = refetch

    def validators_for(self, url: str) -> Validators | None:
        if self.refetch:
            return None
        with self.database.transaction() as session:
            found = validators_for(session, url)
        return Validators(etag=found[0], last_modified=found[1]) if found else None

    def body_for(self, url: str) -> bytes | None:
        with self.database.transaction() as session:
            doc = document_at(session, url)
        return self.blobs.get(doc.sha256) if doc is not None and self.blobs.exists(doc.sha256) else None

    def last_check(self, url: str) -> LastCheck | None:
        if self.refetch:
            return None
        with self.database.transaction() as session:
            checked = last_check(session, url)
        if checked is None:
            return None
        listed = checked.listed
        title, day = (listed.title, listed.published_on) if listed else (None, None)
        return LastCheck(checked.checked_at, checked.media_type, title, day)
