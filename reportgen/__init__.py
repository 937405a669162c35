"""Ground-truth annual reports: random but plausible truths and their renderings.

`truth.random_truth` draws a `ReportTruth` (metadata, section texts, cells by canonical
key, deliberately broken rules); `html`, `pdf`, `docx` and `image_pdf` render it;
`corpus.corpus` makes a reproducible set for the benchmark and the replica portal.
"""
