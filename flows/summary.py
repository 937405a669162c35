"""A run's results gathered for people: counts, per-agency rows, failures, findings.

Built from the pipeline's tallies and the database's findings; rendered into Prefect
artifacts (flows/artifacts.py) and the CLI's final summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from db.queries import Finding
from flows.pipeline import BatchResult, DiscoveryOutcome, ReportTally
from flows.tally import Outcome

MAX_TERMINAL_LINES = 50


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
    unreachable: dict[str, str] = field(default_factory=dict)  # portal -> why no request reached it
    uncrawled: set[str] = field(default_factory=set)  # portals that gave nothing: unreachable, blocked, crashed
    reparse: bool = False

    def add_discovery(self, found: DiscoveryOutcome) -> None:
        self.discovered[found.portal_id] = len(found.reports)
        if found.unreachable:
            self.unreachable[found.portal_id] = found.unreachable
        crashed = any(p.startswith("discovery failed") for p in found.problems)
        if not found.reports and (found.unreachable or found.blocked_hosts or crashed):
            self.uncrawled.add(found.portal_id)
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
        return dict(Counter(str(t.outcome) for t in self.tallies))  # plain words, for JSON and the CLI

    @property
    def failed(self) -> list[ReportTally]:
        return [t for t in self.tallies if t.outcome == Outcome.FAILED]

    @property
    def writes(self) -> int:
        return sum(1 for t in self.tallies for d in t.documents if d.outcome.changed or d.outcome == Outcome.ALTERNATE)

    @property
    def run_findings(self) -> list[Finding]:
        """Findings about reports this run stored or changed: news to whoever reads the run."""
        return self._split_findings()[0]

    @property
    def standing_findings(self) -> list[Finding]:
        """Findings about reports this run left as they were or could not collect."""
        return self._split_findings()[1]

    def _split_findings(self) -> tuple[list[Finding], list[Finding]]:
        changed = {(t.portal_id, t.agency, t.year) for t in self.tallies if t.outcome.changed}
        fresh: list[Finding] = []
        standing: list[Finding] = []
        for f in self.findings:
            (fresh if (f.portal_id, f.agency, f.year) in changed else standing).append(f)
        return fresh, standing

    def issues(self) -> list[str]:
        """What kept this run from being clean, one short phrase each; empty for a clean run."""
        crawl_problems = [p for p in self.problems if p.split(": ", 1)[0] not in self.unreachable]
        # "<portal>: budget: <hosts>: ...": the rest is read first by the next run (scrapers.discovery.engine)
        out_of_budget = [p for p in crawl_problems if p.split(": ", 2)[1:2] == ["budget"]]
        counted = (
            (len(self.failed), "failed", "failed"),
            (len(self.unreachable), "portal unreachable", "portals unreachable"),
            (len(self.blocked_hosts), "host blocked", "hosts blocked"),
            (len(out_of_budget), "portal out of request budget", "portals out of request budget"),
            (len(crawl_problems) - len(out_of_budget), "discovery problem", "discovery problems"),
        )
        return [f"{n} {one if n == 1 else many}" for n, one, many in counted if n]

    def counts_line(self) -> str:
        """One line of counts for an artifact's description."""
        counts = self.outcome_counts
        revised = counts.get(Outcome.REVISED, 0) + counts.get(Outcome.PROMOTED, 0)
        reparsed = f", reparsed {counts[Outcome.REPARSED]}" if counts.get(Outcome.REPARSED) else ""
        return (
            f"new {counts.get(Outcome.NEW, 0)}, revised {revised}{reparsed}, failed {len(self.failed)}; "
            f"findings {len(self.run_findings)} from this run, {len(self.standing_findings)} standing"
        )

    def agency_rows(self) -> list[dict[str, object]]:
        """One row per (portal, agency): new / updated / unchanged / failed counts (updated: revised,
        promoted or reparsed; unchanged: anything else that did not fail)."""
        rows: dict[tuple[str, str], Counter[str]] = {}
        for t in self.tallies:
            rows.setdefault((t.portal_id, t.agency), Counter())[_bucket(t.outcome)] += 1
        return [
            {"portal": p, "agency": a, **{k: c[k] for k in ("new", "updated", "unchanged", "failed")}}
            for (p, a), c in sorted(rows.items())
        ]

    def nothing_possible(self) -> bool:
        """True when no portal could be crawled at all: each one unreachable, blocked or its discovery crashed."""
        return bool(self.portals) and not self.tallies and self.uncrawled >= set(self.portals)

    def text(self) -> str:
        """A plain-text summary for the terminal."""
        head = self._reparse_head() if self.reparse else self._crawl_head()
        lines = [
            *head,
            "stored reports by parse status: "
            + (", ".join(f"{k} {v}" for k, v in sorted(self.status_counts.items())) or "none"),
        ]
        lines += [f"unreachable: {portal} ({why})" for portal, why in sorted(self.unreachable.items())]
        lines += [f"blocked: {host} ({kind})" for host, kind in sorted(self.blocked_hosts.items())]
        lines += [f"failed: {t.agency} {t.year} {e}" for t in self.failed for e in t.errors[:1]]
        lines.append("findings from this run: " + _kinds(self.run_findings))
        lines.append("standing findings (reports this run did not change): " + _kinds(self.standing_findings))
        return "\n".join(lines)

    def _crawl_head(self) -> list[str]:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcome_counts.items())) or "none"
        return [
            f"portals {', '.join(self.portals)}; years {', '.join(map(str, self.years))}",
            f"reports discovered: {sum(self.discovered.values())} ({counts})",
            f"requests {self.requests}, document bodies downloaded {self.downloads}, writes {self.writes}",
        ]

    def _reparse_head(self) -> list[str]:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcome_counts.items())) or "nothing to reparse"
        where = ", ".join(self.portals) or "all portals"
        lines = [f"reparsed stored documents of {where}: {len(self.tallies)} ({counts})"]
        listed = sorted(self.tallies, key=lambda t: (t.portal_id, t.agency, t.year))
        lines += [f"  {t.portal_id} {t.agency} {t.year}: {t.outcome}" for t in listed[:MAX_TERMINAL_LINES]]
        if len(listed) > MAX_TERMINAL_LINES:
            lines.append(f"  … and {len(listed) - MAX_TERMINAL_LINES} more (the reparse-reports artifact lists all)")
        return lines


def _kinds(found: list[Finding]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(Counter(f.kind for f in found).items())) or "none"


def _bucket(outcome: Outcome) -> str:
    if outcome.updated:
        return "updated"
    if outcome in (Outcome.NEW, Outcome.FAILED):
        return outcome.value
    return "unchanged"
