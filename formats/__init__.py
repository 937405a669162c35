"""What government documents and pages look like, known once for every stage.

Charset decoding of pages, the magic bytes of files, the ways dates are printed, the
containers CMSs put an article's body in, and which titles name an annual report. The
scrapers and the parsers both read these; neither imports the other. This package imports
neither stage (nothing but the standard library and BeautifulSoup).
"""
