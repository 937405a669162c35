"""One module per CMS family: the strategies `scrapers.discovery.family` dispatches to."""
