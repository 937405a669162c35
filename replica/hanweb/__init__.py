"""The replica world served as a Hanweb (大汉) jcms site, as Jiangsu/Zhejiang/Shandong portals print it.

Same reports, departments, truths and revisions as the TRS site (replica.planner), other markup:

- Pages: home `/index.html` (nav 首页 / 政务公开 / 站内搜索, a search form to jsearchfront); 政务公开
  `/col/col<ID>/index.html` links the city's 政府信息公开年报 column and 部门信息公开; that page lists
  department homes `/col/col<ID>/index.html`, each linking its five columns (年报 fourth). Every page
  has a 相关信息 list of dated article links (decoys, never the column's own records).
- Listing `/col/col<ID>/index.html`: `<div id="<unitid>"><script type="text/xml"><datastore>
  <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&col=1&appid=1&webid=…&path=/
  &columnid=<ID>&unitid=<unitid>&webname=…&permissiontype=0"></a>]]></nextgroup><recordset><record>
  <![CDATA[<li><a href="/art/2025/1/20/art_<ID>_<id>.html" …>title</a><span>2025-01-20</span></li>]]>
  </record>…</recordset></datastore></script></div>`, then `$('#<unitid>').jpage({… proxyUrl:'…',
  ajaxParam: …, perPage:M,totalRecord:N,groupSize:G, …})`. The page holds the first group (M×G records)
  or, on every third department, only the first page (M). The ids are in a `var param_<unitid> = {…}`
  script, an `ajaxParam: {…}` literal, or only the nextgroup link. Records print as `li_span`,
  `li_titled` (text cut with …, title attribute full, `[YYYY-MM-DD]`) or `table_row` (YYYY年MM月DD日).
- Paging: POST (or GET) `/module/web/jpage/dataproxy.jsp?startrecord=S&endrecord=E&perpage=M` with
  the ajaxParam fields as form fields answers `<datastore><totalrecord>N</totalrecord><totalpage>P
  </totalpage><nextgroup>…</nextgroup><recordset>records S..E</recordset></datastore>` (text/xml).
  A missing/non-numeric columnid, startrecord or endrecord is a JSP NumberFormatException page (500);
  an unknown columnid an empty datastore (totalrecord 0). `/module/jpage/dataproxy.jsp` answers 404
  (`legacy_dataproxy=True` swaps the two). The server also renders page N of a column at
  `index.html?uid=<unitid>&pageNum=N` (that page's M records in the datastore; past the end, a bad
  number or another uid: page 1).
- Articles `/art/YYYY/M/D/art_<columnid>_<8 digits>.html` (every fourth department `art_<32 hex>.html`),
  in three dialects (replica.hanweb.articles): metas ArticleTitle/PubDate/ContentSource with
  `div.title` and `div#zoom` between jcms comment markers; a 索引号/发布机构/发布日期 table with
  `h1.xxgk-title`; a bare `<h1>` with a `发布日期：…　来源：…` line. Report bodies are reportgen's HTML.
  Files: `/module/download/downfile.jsp?classid=0&filename=<yyMMddHHmmss+7 digits>.pdf`
  (application/octet-stream, the name in Content-Disposition) on even departments and the city,
  `/picture/<webid>/<name>` (real content type) on odd ones; PDF-only reports' records link the file.
- Search: `/jsearchfront/search.do` (HTML) and `/jsearchfront/interfaces/cateSearch.do` (JSON
  `result` snippets + `total`), fields websiteid=640500000000000, q, p, pg, pos=title, begin/end
  (YYYYMMDD); `/jrobot/search.do` with webid=1. One report (manifest flag `search_only`) is in no
  listing, only in search.
- robots.txt, faults, conditional GETs, the request log and revisions work as on the TRS site.

Start it with `ReplicaServer(seed, family="hanweb")`, the `hanweb_replica`/`hanweb_site` fixtures, or
`nianbao replica serve --family hanweb`.
"""

from replica.hanweb.site import HanwebSite, build_hanweb_site

__all__ = ["HanwebSite", "build_hanweb_site"]
