"""Prefect artifacts that tell a person in the UI what a run found, changed and failed."""

from __future__ import annotations

from uuid import UUID

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from db.compliance import ComplianceRow, portal_compliance, summary_line
from db.queries import Finding
from flows.context import RunContext, RunOptions
from flows.prefect_calls import ran_sync
from flows.summary import RunSummary
from nianbao.facts import parser_facts

MAX_LISTED = 200
MAX_COMPLIANCE_ROWS = 5_000
COMPLIANCE_COLUMNS = ("portal", "agency", "year", "status", "published_on", "days_late", "template", "checks",
                      "failed_checks", "reading", "source_url", "notes")  # fmt: skip


FINDING_TITLES = (
    ("check_failed", "Failed consistency checks"),
    ("source_disagreement", "HTML and attachment disagree"),
    ("missing_this_year", "Published last year, nothing this year"),
    ("late", "Published after 31 January"),
    ("outdated_template", "Outdated template"),
)


def publish_summary(summary: RunSummary, key_prefix: str) -> None:
    """The per-agency table and the markdown of what this run did, then the standing findings."""
    create_table_artifact(
        summary.agency_rows() or [{"portal": p, "agency": "", "new": 0} for p in summary.portals],
        key=f"{key_prefix}-reports",
        description="Reports per portal and agency: new / updated / unchanged / failed in this run",
    )
    problems = "; ".join(summary.issues()) or "clean run"
    create_markdown_artifact(
        _markdown(summary), key=f"{key_prefix}-summary", description=f"{summary.counts_line()} ({problems})"
    )
    if not summary.reparse:
        publish_compliance(summary.portals, summary.years, key_prefix)


def publish_compliance(portals: list[str], years: list[int], key_prefix: str) -> None:
    """`nianbao compliance` of the run's portals and years, as a table: each agency and year, published on time
    or late (days), template, failed checks, text or OCR, source."""
    with RunContext.open(RunOptions()) as ctx, ctx.database.transaction() as session:
        rows = [row for p in portals for row in portal_compliance(session, p, years, parser_facts())]
    table, description = compliance_table(rows, years)
    create_table_artifact(
        table or [{"portal": ", ".join(portals), "agency": "", "status": "nothing stored"}],
        key=f"{key_prefix}-compliance",
        description=description,
    )


def compliance_table(rows: list[ComplianceRow], years: list[int]) -> tuple[list[dict[str, object]], str]:
    """The artifact's rows and description. A national run has hundreds of thousands of agency-years, more than
    a table artifact can show: past MAX_COMPLIANCE_ROWS the ones needing a look come first, and it says so."""
    listed = sorted(rows, key=lambda r: not _needs_a_look(r)) if len(rows) > MAX_COMPLIANCE_ROWS else rows
    table = [{k: v for k, v in r.flat().items() if k in COMPLIANCE_COLUMNS} for r in listed[:MAX_COMPLIANCE_ROWS]]
    description = f"Compliance per agency and year ({', '.join(map(str, years))}): {summary_line(rows)}"
    if len(rows) > MAX_COMPLIANCE_ROWS:
        description += (f"; the first {MAX_COMPLIANCE_ROWS} shown, those needing a look first "
                        "(nianbao compliance lists all)")  # fmt: skip
    return table, description


def _needs_a_look(row: ComplianceRow) -> bool:
    return row.status != "on_time" or row.template == "outdated" or bool(row.failed_checks)


def _markdown(summary: RunSummary) -> str:
    out = ["# This run", "", "```", summary.text(), "```", ""]
    out += _section(
        "Failures (retried by the next run)", [f"{t.agency} {t.year}: {e}" for t in summary.failed for e in t.errors]
    )
    out += _section("Unreachable portals", [f"{p}: {why}" for p, why in sorted(summary.unreachable.items())])
    out += _section("Blocked hosts", [f"{h}: {k}" for h, k in sorted(summary.blocked_hosts.items())])
    out += _section("Discovery problems", summary.problems)
    out += _findings(summary.run_findings)
    out += ["# Standing findings", "", "Findings about reports this run did not change or did not collect.", ""]
    out += _findings(summary.standing_findings)
    return "\n".join(out)


def _findings(found: list[Finding]) -> list[str]:
    out: list[str] = []
    for kind, title in FINDING_TITLES:
        out += _section(title, [f"{f.agency} {f.year}: {f.detail}" for f in found if f.kind == kind])
    return out


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return [f"## {title}", "", "none", ""]
    shown = [f"- {_escape(i)}" for i in items[:MAX_LISTED]]
    more = [f"- … and {len(items) - MAX_LISTED} more"] if len(items) > MAX_LISTED else []
    return [f"## {title} ({len(items)})", "", *shown, *more, ""]


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class Progress:
    """A progress artifact for long backfills, updated as batches finish, with counts in its description."""

    def __init__(self, key: str, total: int) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        created = create_progress_artifact(0.0, key=key, description=self.description())
        self.artifact_id = ran_sync(created, UUID, "creating the progress artifact")

    def advance(self, n: int, failed: int = 0) -> None:
        self.done += n
        self.failed += failed
        update_progress_artifact(
            self.artifact_id, min(100.0, 100.0 * self.done / max(self.total, 1)), description=self.description()
        )

    def description(self) -> str:
        return f"{self.done} of {self.total} reports ({self.failed} failed)"
