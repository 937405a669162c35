"""A run's results gathered for people: counts, per-agency rows, failures, findings.

Built from the pipeline's tallies and the database's findings; rendered into Prefect
artifacts (flows/artifacts.py) and the CLI's final summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from db.queries import Finding
from flows.pipeline import BatchResult, DiscoveryOutcome, ReportTally

CHANGED = ("new", "revised", "promoted", "reparsed")


@dataclass
class RunSummary:
    """Everything one flow run found, changed and failed at."""

    portals: list[str]
    years: list[int]
    discovered: dict[str, int] = field(default_factory=dict)
    tallies: list[ReportTally] = field(default_factory=list)
    blocked_hosts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    downloads: int = 0
    findings: list[Finding] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)
    unreachable: set[str] = field(default_factory=set)

    def add_discovery(self, found: DiscoveryOutcome) -> None:
        self.discovered[found.portal_id] = len(found.reports)
        if not found.reports and (found.blocked_hosts or any(p.startswith("discovery failed") for p in found.problems)):
            self.unreachable.add(found.portal_id)
        self.blocked_hosts.update(found.blocked_hosts)
        self.problems += [f"{found.portal_id}: {p}" for p in found.problems]
        self.requests += found.requests

    def add_batch(self, batch: BatchResult) -> None:
        self.tallies += batch.tallies
        self.blocked_hosts.update(batch.blocked_hosts)
        self.requests += batch.requests
        self.downloads += batch.downloads

    @property
    def outcome_counts(self) -> dict[str, int]:
        return dict(Counter(t.outcome for t in self.tallies))

    @property
    def failed(self) -> list[ReportTally]:
        return [t for t in self.tallies if t.outcome == "failed"]

    @property
    def writes(self) -> int:
        return sum(1 for t in self.tallies for d in t.documents if d.outcome in CHANGED or d.outcome == "alternate")

    def agency_rows(self) -> list[dict[str, object]]:
        """One row per (portal, agency): new / updated / unchanged / failed counts."""
        rows: dict[tuple[str, str], Counter[str]] = {}
        for t in self.tallies:
            rows.setdefault((t.portal_id, t.agency), Counter())[_bucket(t.outcome)] += 1
        return [
            {"portal": p, "agency": a, **{k: c[k] for k in ("new", "updated", "unchanged", "failed")}}
            for (p, a), c in sorted(rows.items())
        ]

    def nothing_possible(self) -> bool:
        """True when no portal could be crawled at all: each one blocked or its discovery crashed."""
        return bool(self.portals) and not self.tallies and self.unreachable >= set(self.portals)

    def text(self) -> str:
        """A plain-text summary for the terminal."""
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcome_counts.items())) or "none"
        lines = [
            f"portals {', '.join(self.portals)}; years {', '.join(map(str, self.years))}",
            f"reports discovered: {sum(self.discovered.values())} ({counts})",
            f"requests {self.requests}, document bodies downloaded {self.downloads}, writes {self.writes}",
            "stored reports by parse status: "
            + (", ".join(f"{k} {v}" for k, v in sorted(self.status_counts.items())) or "none"),
        ]
        lines += [f"blocked: {host} ({kind})" for host, kind in sorted(self.blocked_hosts.items())]
        lines += [f"failed: {t.agency} {t.year} {e}" for t in self.failed for e in t.errors[:1]]
        kinds = Counter(f.kind for f in self.findings)
        lines.append("findings: " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"))
        return "\n".join(lines)


def _bucket(outcome: str) -> str:
    if outcome == "new":
        return "new"
    if outcome in ("revised", "promoted", "reparsed"):
        return "updated"
    if outcome == "failed":
        return "failed"
    return "unchanged"
