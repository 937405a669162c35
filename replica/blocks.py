"""Anti-bot block pages as Chinese government sites serve them (portals.md §4, §8).

412 瑞数 (`$_ts` script + FSSBBIl1UgzbN7N80S cookie), 405 网防 G01 (with eventID),
521 加速乐 (`__jsluid_s` cookie), and a soft block: HTTP 200 with a small 访问异常 page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class BlockResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def _token(seed: int, salt: str, length: int) -> str:
    return hashlib.sha256(f"{seed}|{salt}".encode()).hexdigest()[:length]


def _ruishu(seed: int) -> BlockResponse:
    body = (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">'
        f"<script type=\"text/javascript\">$_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd=48912;"
        f'$_ts.cd="{_token(seed, "cd", 64)}";</script>'
        '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js" r=\'m\'>'
        "</script></head><body></body></html>"
    )
    cookie = f"FSSBBIl1UgzbN7N80S={_token(seed, 'rs', 60)}; Path=/; HttpOnly"
    return BlockResponse(412, (("Content-Type", "text/html"), ("Set-Cookie", cookie)), body.encode())


def _wangfang(seed: int) -> BlockResponse:
    event = _token(seed, "event", 24)
    body = (
        '<html><head><meta charset="utf-8"><title>网防G01</title></head><body>'
        "<h2>您的访问请求可能对网站造成安全威胁</h2><p>网防G01 已拦截本次访问。</p>"
        f"<p>eventID: {event}</p></body></html>"
    )
    return BlockResponse(405, (("Content-Type", "text/html; charset=utf-8"),), body.encode())


def _jiasule(seed: int) -> BlockResponse:
    body = (
        "<script>document.cookie=('__jsl_clearance_s=')+(+new Date());"
        "location.href=location.pathname+location.search</script>"
    )
    cookie = f"__jsluid_s={_token(seed, 'jsl', 32)}; max-age=31536000; path=/; HttpOnly"
    headers = (("Content-Type", "text/html"), ("Set-Cookie", cookie), ("X-Via-JSL", "a1b2c3d,-"))
    return BlockResponse(521, headers, body.encode())


def _soft(seed: int) -> BlockResponse:
    body = (
        '<html><head><meta charset="utf-8"><title>访问异常</title>'
        "<style>.box{width:600px;margin:80px auto;text-align:center;font-size:14px;color:#333}h3{color:#c00}</style>"
        '</head><body><div class="box">'
        "<h3>访问异常</h3><p>您的访问过于频繁或存在异常行为，请稍后再试。</p>"
        f"<p>如有疑问请联系网站管理员。编号：{_token(seed, 'soft', 16)}</p></div></body></html>"
    )
    return BlockResponse(200, (("Content-Type", "text/html; charset=utf-8"),), body.encode())


_KINDS = {"412": _ruishu, "405": _wangfang, "521": _jiasule, "soft200": _soft}


def block_response(kind: str, seed: int) -> BlockResponse:
    """The block answer of `kind` (one of faults.BLOCK_KINDS)."""
    return _KINDS[kind](seed)
