"""Exports for researchers: wide (one row per report) or long (one row per report and cell).

Formats: CSV, JSON lines, Parquet, XLSX. Every writer takes the reports as a stream
(db/export_rows.py) and writes as it reads, so memory stays flat however many reports
there are. Numbers are written exactly as stored: integers as integers, money as the
decimal the database holds (Parquet decimal128(20, 4), the column's own precision).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from db import codebook
from db.export_rows import ExportReport

if TYPE_CHECKING:  # openpyxl is imported when an XLSX is written, not with this module
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS: Final = ("csv", "jsonl", "parquet", "xlsx")
LAYOUTS: Final = ("wide", "long", "sections")
BINARY_FORMATS: Final = frozenset({"parquet", "xlsx"})

WHERE_FIELDS: Final = ("portal_id", "portal_name", "agency", "region_code", "province", "prefecture", "county",
                       "level")  # fmt: skip
WIDE_META: Final = (*WHERE_FIELDS, "year", "generation", "title", "published_on", "parse_status", "version",
                    "source", "source_url", "findings", "finding_kinds")  # fmt: skip
LONG_META: Final = (*WHERE_FIELDS, "year", "generation", "published_on", "parse_status", "version", "source",
                    "source_url")  # fmt: skip
LABEL_FIELDS: Final = ("section", "row_group", "row_label", "column_group", "column_label", "unit")
LONG_COLUMNS: Final = (*LONG_META, "key", "value", *LABEL_FIELDS)
OTHER_CELLS: Final = "other_cells"
SECTION_COLUMNS: Final = (*LONG_META, "section", "heading", "text")
XLSX_MAX_CHARS: Final = 32_767  # Excel's limit for the text of one cell

XLSX_MAX_ROWS: Final = 1_048_576  # Excel's sheet limit, header included
_PARQUET_VALUES: Final = 1_000_000  # values per Parquet row group: what one write holds in memory
CODEBOOK_METADATA_KEY: Final = b"nianbao.codebook"

Row = tuple[Any, ...]


class ExportLimitError(ValueError):
    """The export does not fit the format (an XLSX sheet's row limit)."""


# ---- layouts: column names and a stream of rows ------------------------------------------


def wide_keys(generations: list[str] | None = None) -> tuple[str, ...]:
    """Cell columns of the wide layout: every codebook key of the generations (all by default)."""
    templates = set(codebook.TEMPLATE_GENERATIONS)
    # legacy reports have no fixed table: whatever cells they carry may be any key
    wanted = set(generations) if generations and set(generations) <= templates else templates
    return tuple(e.key for e in codebook.entries() if wanted & set(e.generations.split(", ")))


def _meta(report: ExportReport, names: tuple[str, ...]) -> Row:
    values = {"findings": len(report.findings), "finding_kinds": ",".join(sorted(set(report.findings)))}
    return tuple(values[n] if n in values else getattr(report, n) for n in names)


def wide_rows(reports: Iterable[ExportReport], keys: tuple[str, ...]) -> Iterator[Row]:
    """Metadata, one value per key column, then `other_cells`: cells outside the columns as JSON (lose nothing)."""
    known = set(keys)
    for report in reports:
        other = {k: decimal_text(v) for k, v in report.cells.items() if k not in known}
        extra = json.dumps(other, ensure_ascii=False, sort_keys=True) if other else None
        yield (*_meta(report, WIDE_META), *(report.cells.get(k) for k in keys), extra)


def long_rows(reports: Iterable[ExportReport]) -> Iterator[Row]:
    book = codebook.by_key()
    for report in reports:
        meta = _meta(report, LONG_META)
        for key, value in report.cells.items():
            entry = book.get(key)
            labels = tuple(getattr(entry, f) for f in LABEL_FIELDS) if entry else (None,) * len(LABEL_FIELDS)
            yield (*meta, key, value, *labels)


def section_rows(reports: Iterable[ExportReport]) -> Iterator[Row]:
    """A row per report and narrative section, in template order, with the heading the template prints."""
    for report in reports:
        meta = _meta(report, LONG_META)
        for key in sorted(report.sections, key=_section_order):
            yield (*meta, key, codebook.SECTION_HEADINGS.get(key), report.sections[key])


def _section_order(key: str) -> tuple[int, str]:
    order = list(codebook.SECTION_HEADINGS)
    return (order.index(key) if key in order else len(order), key)


def layout(reports: Iterable[ExportReport], name: str, keys: tuple[str, ...]) -> tuple[tuple[str, ...], Iterator[Row]]:
    """(columns, rows) of the named layout."""
    if name == "wide":
        return (*WIDE_META, *keys, OTHER_CELLS), wide_rows(reports, keys)
    if name == "sections":
        return SECTION_COLUMNS, section_rows(reports)
    return LONG_COLUMNS, long_rows(reports)


# ---- value encodings ----------------------------------------------------------------


def decimal_text(value: Decimal) -> str:
    """The stored number without the column's padding: 7, 1.5, -3 (never 1.5000 or 1E+2)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _json_value(value: Any) -> Any:
    """A JSON number that reads back as the stored decimal; a string where a float could not hold it."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---- writers ------------------------------------------------------------------------


def write_csv_rows(columns: tuple[str, ...], rows: Iterable[Row], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([_text(v) for v in row])
        count += 1
    return count


def write_jsonl_rows(columns: tuple[str, ...], rows: Iterable[Row], out: TextIO, *, nest_cells: bool) -> int:
    """One object per row; the wide layout nests its cells under "cells" (absent cells left out)."""
    count = 0
    split = len(WIDE_META)
    for row in rows:
        if nest_cells:
            record = {c: _json_value(v) for c, v in zip(columns[:split], row[:split], strict=True)}
            record["cells"] = {
                k: _json_value(v) for k, v in zip(columns[split:-1], row[split:-1], strict=True) if v is not None
            }
            record["cells"].update({k: _json_value(Decimal(v)) for k, v in json.loads(row[-1] or "{}").items()})
        else:
            record = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_xlsx_rows(columns: tuple[str, ...], rows: Iterable[Row], path: Path) -> int:
    """A write-only workbook (rows go to disk as they come): sheet `data` and sheet `codebook`."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = book.create_sheet("data")  # a write-only book's (the stubs say Any)
    sheet.append(list(columns))
    try:
        count = _append_rows(sheet, rows)
    except BaseException:
        sheet.close()  # end its XML stream now: a half-written sheet left to the collector fails there
        raise
    codes = book.create_sheet("codebook")
    codes.append(list(codebook.COLUMNS))
    for entry in codebook.entries():
        codes.append([getattr(entry, c) for c in codebook.COLUMNS])
    book.save(path)
    return count


def _append_rows(sheet: WriteOnlyWorksheet, rows: Iterable[Row]) -> int:
    count = 0
    for row in rows:
        count += 1
        if count >= XLSX_MAX_ROWS:
            raise ExportLimitError(
                f"more than {XLSX_MAX_ROWS - 1} rows do not fit an XLSX sheet: export csv or parquet, "
                "or narrow the export (--portal, --years, --region)"
            )
        if any(isinstance(v, str) and len(v) > XLSX_MAX_CHARS for v in row):
            raise ExportLimitError(
                f"a text of more than {XLSX_MAX_CHARS} characters does not fit an XLSX cell: "
                "export csv, jsonl or parquet"
            )
        sheet.append([_xlsx_value(v) for v in row])
    return count


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_parquet_rows(columns: tuple[str, ...], rows: Iterable[Row], path: Path) -> int:
    """Row groups of about _PARQUET_VALUES values; the codebook (JSON) rides in the file's metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c, _arrow_type(c)) for c in columns])
    schema = schema.with_metadata({CODEBOOK_METADATA_KEY: codebook.render("json").encode()})
    count, size = 0, max(1_000, _PARQUET_VALUES // len(columns))
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[Row] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == size:
                writer.write_table(_arrow_table(schema, chunk))
                count, chunk = count + len(chunk), []
        if chunk or count == 0:
            writer.write_table(_arrow_table(schema, chunk))
            count += len(chunk)
    return count


_INT_COLUMNS: Final = frozenset({"year", "version", "findings"})


def _arrow_type(column: str) -> Any:
    import pyarrow as pa

    if column in _INT_COLUMNS:
        return pa.int32()
    if column == "published_on":
        return pa.date32()
    if column == "value" or column in codebook.by_key():
        return pa.decimal128(20, 4)  # the database column's own precision: every stored cell fits exactly
    return pa.string()


def _arrow_table(schema: Any, chunk: list[Row]) -> Any:
    import pyarrow as pa

    arrays = [pa.array([row[i] for row in chunk], type=f.type) for i, f in enumerate(schema)]
    return pa.Table.from_arrays(arrays, schema=schema)


# ---- one export ---------------------------------------------------------------------


def export(
    reports: Iterable[ExportReport],
    out: Path | TextIO,
    *,
    fmt: str,
    layout_name: str = "wide",
    generations: list[str] | None = None,
) -> int:
    """Write `reports` to `out` (a path, or a text stream for csv/jsonl); the number of rows written."""
    columns, rows = layout(reports, layout_name, wide_keys(generations))
    if fmt in BINARY_FORMATS:
        if not isinstance(out, Path):
            raise ValueError(f"{fmt} is written to a file, not a stream")
        writer: Callable[..., int] = write_parquet_rows if fmt == "parquet" else write_xlsx_rows
        return writer(columns, rows, out)
    if isinstance(out, Path):
        raise ValueError(f"{fmt} is written to an open text stream")
    if fmt == "csv":
        return write_csv_rows(columns, rows, out)
    return write_jsonl_rows(columns, rows, out, nest_cells=layout_name == "wide")


def codebook_path(out: Path) -> Path:
    """Where the codebook shipped with a csv or jsonl export goes: reports.csv -> reports.codebook.csv."""
    return out.with_name(f"{out.stem}.codebook.csv")
