"""Which titles name a 政府信息公开工作年度报告, and where a report says which year it covers.

The crawler reads these in listing titles, the parser in a document's first lines; a
title that names a notice about reports, a guide or a statistical bulletin is no report
in either place.
"""

from __future__ import annotations

# Titles that mention 政府信息公开…报告 without being one: a notice of who published (公布情况, 通知),
# the template (格式), the year's work plan (要点), other annual reports (法治政府, 工作总结, 统计公报),
# and the disclosure guide (政府信息公开指南).
NOT_A_REPORT = r"公布情况|通知|格式|要点|法治政府|工作总结|统计公报|指南"
# The statistics period in the body ("本报告中所列数据的统计期限自2023年1月1日起…"); group 1 is the year.
STATISTICS_PERIOD = r"统计[^。]{0,12}?(?P<year>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
