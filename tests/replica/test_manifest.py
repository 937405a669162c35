"""The manifest: deterministic, JSON-safe, and true to the rules the site claims to follow."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

from typer.testing import CliRunner

from nianbao.cli import app
from replica import build_site
from replica.manifest import FLAG_NAMES

ARTICLE = re.compile(r"/(\d{6})/t(\d{8})_(\d{7})(?:_1)?\.s?html?$")


def test_same_seed_same_manifest_other_seed_other_site():
    first, again, other = build_site(7, departments=4), build_site(7, departments=4), build_site(8, departments=4)
    assert first.manifest == again.manifest
    assert first.manifest["reports"] != other.manifest["reports"]


def test_manifest_is_json_safe():
    manifest = build_site(7, departments=4).manifest
    assert json.loads(json.dumps(manifest, ensure_ascii=False)) == manifest


def test_each_special_case_occurs_exactly_once():
    flags = Counter(name for r in build_site(1).manifest["reports"] for name, on in r["flags"].items() if on is True)
    for name in ("robots_disallowed", "image_only", "gbk", "split", "title_without_agency", "year_folder_mismatch"):
        assert flags[name] == 1, name
    assert flags["late"] >= 1 and flags["outdated_template"] >= 1 and flags["onclick"] >= 1
    assert set(FLAG_NAMES) <= set(build_site(1).manifest["reports"][0]["flags"])


def test_article_urls_and_docids_rise_with_date():
    reports = build_site(1).manifest["reports"]
    stamped = []
    for report in reports:
        if report["article"] is None:
            continue
        month, day, docid = ARTICLE.search(report["article"]).groups()
        assert day == report["published_on"].replace("-", "") and month == day[:6]
        stamped.append((report["published_at"], int(docid)))
    stamped.sort()
    assert [d for _, d in stamped] == sorted(d for _, d in stamped)
    assert len({d for _, d in stamped}) == len(stamped)


def test_publication_dates_follow_the_deadlines():
    reports = build_site(1).manifest["reports"]
    for report in reports:
        published, deadline = dt.date.fromisoformat(report["published_on"]), dt.date.fromisoformat(report["deadline"])
        assert published.year == report["year"] + 1
        assert report["flags"]["late"] == (published > deadline)
    departments = [r for r in reports if r["department"] and not r["flags"]["late"]]
    assert all(15 <= int(r["published_on"][-2:]) <= 29 and r["published_on"][5:7] == "01" for r in departments)


def test_generation_follows_year_except_outdated_agencies():
    for report in build_site(1).manifest["reports"]:
        expected = "2019" if report["year"] <= 2020 or report["flags"]["outdated_template"] else "2021"
        assert report["generation"] == expected


def test_truth_fields_are_present():
    report = build_site(1).manifest["reports"][0]
    assert report["cells"] and set(report["expected_checks"]) == {
        "balance",
        "row_totals",
        "results_total",
        "review_totals",
    }
    broken = [r for r in build_site(1).manifest["reports"] if r["broken_rules"]]
    assert broken and all(not r["expected_checks"][r["broken_rules"][0]] for r in broken)


def test_sizes_follow_the_arguments():
    site = build_site(2, departments=3, years=range(2020, 2026), reports_per_department=2)
    department_reports = [r for r in site.manifest["reports"] if r["department"]]
    assert len(site.manifest["departments"]) == 3
    assert Counter(r["year"] for r in department_reports) == {2024: 3, 2025: 3}


def test_a_thousand_reports_build_without_rendering():
    site = build_site(1, departments=143)
    assert len(site.reports) > 1000
    assert len(site._cache) == 0  # nothing rendered until requested


def test_revision_changes_only_revised_reports():
    original, revised = build_site(3, departments=6).manifest, build_site(3, departments=6, revision=1).manifest
    changed = {
        r["id"] for r, o in zip(revised["reports"], original["reports"], strict=True) if r["cells"] != o["cells"]
    }
    assert changed == {r["id"] for r in revised["reports"] if r["flags"]["revised_in_revision"] == 1}
    assert changed and all(r["revisions"] == [] for r in original["reports"])


def test_cli_manifest_prints_the_site_manifest():
    result = CliRunner().invoke(app, ["replica", "manifest", "--seed", "3", "--departments", "4"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed["reports"][0]["id"] == build_site(3, departments=4).manifest["reports"][0]["id"]
    assert printed["faults"]["unrecoverable"] == []


def test_cli_rejects_a_bad_fault_knob():
    result = CliRunner().invoke(app, ["replica", "manifest", "--faults", "nope=1"])
    assert result.exit_code != 0 and "nope" in result.output
