"""Parsers: government annual-report documents (bytes) to structured reports.

The entry point is `parsers.dispatch.parse_document` (and `parse_path`); the package
itself imports nothing, so `parsers.model` and `parsers.keys` load without the readers'
libraries (pdfium, pdfplumber, bs4, python-docx).
"""
