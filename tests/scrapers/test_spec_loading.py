"""Portal specs: every shipped YAML loads, and a wrong value names its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scrapers.errors import SpecError
from scrapers.spec import DEFAULT_PORTALS_DIR, TrsIrsSearch, host_allowed, load_all, load_portal

SHIPPED = ["hanweb-replica", "nxgy", "nxzw", "nxzw-replica", "shizuishan", "wuzhong", "yinchuan"]


def test_all_shipped_specs_load() -> None:
    specs = load_all()
    assert [spec.id for spec in specs] == SHIPPED
    for spec in specs:
        assert host_allowed(spec.base_url + "/", spec.allowed_hosts)
        assert spec.search_api is not None
        if spec.id == "hanweb-replica":
            assert spec.cms_family == "hanweb_jcms" and spec.search_api.kind == "hanweb_jsearchfront"
        else:
            assert spec.cms_family == "trs_wcm" and isinstance(spec.search_api, TrsIrsSearch)
            assert spec.search_api.config_tenant_id == "19"


def test_real_portals_are_polite_and_public_only() -> None:
    for spec in load_all():
        if spec.id.endswith("-replica"):
            continue
        assert spec.politeness.min_delay_s >= 2.0
        assert spec.politeness.respect_robots_txt
        assert not spec.allow_private_addresses
        assert spec.http.verify_tls


def test_base_url_override_rewrites_allowed_hosts() -> None:
    spec = load_portal("nxzw-replica", base_url="http://127.0.0.1:43210/")
    assert spec.base_url == "http://127.0.0.1:43210"
    assert spec.allowed_hosts == ["127.0.0.1:43210"]
    assert not host_allowed("http://127.0.0.1:8080/", spec.allowed_hosts)


def _write(tmp_path: Path, portal_id: str, change: dict) -> Path:
    data = yaml.safe_load((DEFAULT_PORTALS_DIR / "nxzw.yaml").read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, last = dotted.split(".")
        target = data
        for key in parents:
            target = target[key]
        if value is None:
            del target[last]
        else:
            target[last] = value
    (tmp_path / f"{portal_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"politeness.min_delay_s": -1}, "politeness.min_delay_s"),
        ({"politeness.concurrency_per_host": 4}, "politeness.concurrency_per_host"),
        # Fields nothing read are gone: setting one is an error, not a setting that does nothing.
        ({"listing.first_page": "list.html"}, "listing.first_page"),
        ({"detail": {"attachments": {"sniff_magic": False}}}, "detail.attachments.sniff_magic"),
        ({"search_api.code": "17ccab70a79"}, "search_api.code"),
        ({"cms_family": "kaipu_ucap"}, "cms_family"),
        ({"level": "city"}, "level"),
        ({"region_code": "64"}, "region_code"),
        ({"http.user_agent": "Mozilla/5.0"}, "http.user_agent"),
        ({"listing.detail_url_regex": "(unclosed"}, "listing.detail_url_regex"),
        ({"discovery.report_column_url_patterns": ["[bad"]}, "discovery.report_column_url_patterns"),
        ({"detail": {"attachments": {"attrs_priority": ["oldsrc", "href"]}}}, "detail.attachments"),
        ({"report_filter": {"title_regex": "年度报告"}}, "report_filter.title_regex"),
        ({"listing.strategy": "selenium"}, "listing.strategy"),
        ({"listing.container_selectors": None}, "listing.container_selectors"),
        ({"politeness.retires": 3}, "politeness.retires"),
        ({"base_url": "ftp://www.nxzw.gov.cn"}, "base_url"),
        ({"http.total_timeout_s": 0}, "http.total_timeout_s"),
        ({"http.total_timeout_s": 1, "http.connect_timeout_s": 5}, "http"),
        ({"discovery.max_page_bytes": 0}, "discovery.max_page_bytes"),
    ],
)
def test_wrong_spec_names_file_and_field(tmp_path: Path, change: dict, field: str) -> None:
    directory = _write(tmp_path, "broken", change)
    with pytest.raises(SpecError) as caught:
        load_portal("broken", directory)
    message = str(caught.value)
    assert "broken.yaml" in message
    assert f"'{field}" in message


def test_base_url_off_allowed_hosts_is_rejected(tmp_path: Path) -> None:
    directory = _write(tmp_path, "offhost", {"allowed_hosts": ["example.org"]})
    with pytest.raises(SpecError, match=r"offhost\.yaml.*allowed_hosts"):
        load_portal("offhost", directory)


def test_ambiguous_base_url_is_rejected(tmp_path: Path) -> None:
    directory = _write(tmp_path, "tricky", {"base_url": "http://evil.example\\@www.nxzw.gov.cn"})
    with pytest.raises(SpecError, match=r"tricky\.yaml.*not in allowed_hosts"):
        load_portal("tricky", directory)


def test_id_must_match_file_name(tmp_path: Path) -> None:
    directory = _write(tmp_path, "renamed", {"id": "nxzw"})
    with pytest.raises(SpecError, match=r"renamed\.yaml.*'id'"):
        load_portal("renamed", directory)


def test_missing_portal_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such portal"):
        load_portal("nowhere", tmp_path)


def test_host_allowed_rules() -> None:
    hosts = ["www.nxzw.gov.cn", "*.nx.gov.cn", "127.0.0.1:8080"]
    assert host_allowed("https://www.nxzw.gov.cn/zwgk/", hosts)
    assert host_allowed("http://hrss.nx.gov.cn/a.html", hosts)
    assert not host_allowed("https://www.nxzw.gov.cn:8443/", hosts)
    assert not host_allowed("http://evil.example/", hosts)
    assert not host_allowed("http://notnx.gov.cn/", hosts)
    assert host_allowed("http://127.0.0.1:8080/x", hosts)
    assert not host_allowed("http://127.0.0.1:8081/x", hosts)


def test_a_family_without_a_strategy_is_refused_not_crawled_as_trs(tmp_path: Path) -> None:
    directory = _write(tmp_path, "kaipu", {"cms_family": "kaipu_ucap"})
    with pytest.raises(SpecError) as caught:
        load_portal("kaipu", directory)
    assert "no crawler strategy for cms_family 'kaipu_ucap'" in str(caught.value)
    assert "trs_wcm" in str(caught.value)
