"""The jpage dataproxy: `/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=57&perpage=19`.

It reads its parameters as a servlet does (query string and form fields alike), so the POST
of the jpage script and a GET of the `nextgroup` link plus a record range both work. A
missing or non-numeric `columnid`, `startrecord` or `endrecord` is a JSP exception page (HTTP
500, as real jcms servers answer); an unknown column an empty datastore with totalrecord 0.
The older `/module/jpage/dataproxy.jsp` answers 404 (or is the live one, and the new path 404s,
with `legacy_dataproxy`).
"""

from __future__ import annotations

from typing import Final

from replica.hanweb.layout import Layout
from replica.hanweb.listing import dataproxy_xml
from replica.site import EndpointAnswer, EndpointRequest

_XML: Final = "text/xml;charset=UTF-8"
_HTML: Final = "text/html;charset=UTF-8"
_EMPTY: Final = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>0</totalrecord><totalpage>0</totalpage>\n'
    b"<recordset>\n</recordset>\n</datastore>\n"
)


def _exception(name: str, raw: str | None) -> EndpointAnswer:
    body = (
        "<html><head><title>Error 500</title></head><body><h2>HTTP ERROR 500</h2>"
        f'<p>java.lang.NumberFormatException: For input string: "{raw or "null"}" ({name})</p>'
        "<pre>at com.hanweb.jcms.module.web.jpage.DataProxy.service(DataProxy.java:87)</pre></body></html>"
    )
    return 500, [("Content-Type", _HTML)], body.encode()


def _number(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    return int(raw) if raw is not None and raw.strip().isdigit() else None


def dataproxy(layout: Layout, request: EndpointRequest) -> EndpointAnswer:
    """The datastore XML of records startrecord..endrecord of the column `columnid`."""
    values = {}
    for name in ("columnid", "startrecord", "endrecord"):
        value = _number(request.params, name)
        if value is None:
            return _exception(name, request.params.get(name))
        values[name] = value
    start, end = max(values["startrecord"], 1), values["endrecord"]
    column = layout.column(values["columnid"])
    if column is None:
        return 200, [("Content-Type", _XML)], _EMPTY
    return 200, [("Content-Type", _XML)], dataproxy_xml(column, layout.dataproxy, start, end)
