"""A drafted portal spec as YAML for a person to finish: what was seen on top, a comment above each field
to fill in (`# TODO:`) or to check (`# check:`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from scrapers.discovery.probe import Draft, Gap


def render(draft: Draft) -> str:
    """The draft as YAML: a header saying what was seen, and a comment above each field to fill in or check."""
    lines = [
        f"# Drafted by `nianbao portal new {_one_line(draft.url)}` on {dt.date.today().isoformat()} "
        f"in {draft.requests} requests.",
        f"# cms_family {draft.family}: markers {_one_line(', '.join(draft.markers)) or 'none'}.",
        f"# Columns found: {len(draft.columns)}, listing items on their first pages: "
        f"{sum(c.items for c in draft.columns)}. Check with `nianbao portal check {draft.portal_id}`.",
    ]
    placed: set[Gap] = set()
    for key, value in draft.data.items():
        for gap in draft.gaps:
            if gap.field.split(".")[0] == key:
                lines.append(_comment(gap))
                placed.add(gap)
        lines.append(yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120).rstrip())
    lines += [_comment(gap) for gap in draft.gaps if gap not in placed]
    return "\n".join(lines) + "\n"


class _Dumper(yaml.SafeDumper):
    """Block style, but a list of plain values on one line, as the hand-written specs have them."""


def _sequence(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(value, dict | list) for value in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _sequence)


def _comment(gap: Gap) -> str:
    return f"# {'TODO' if gap.todo else 'check'}: {gap.field}: {_one_line(gap.reason)}"


def _one_line(text: str) -> str:
    """A comment ends at the line's end: a line break in a reason would make the rest YAML."""
    return " ".join(text.split())
