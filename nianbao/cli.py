"""The `nianbao` command line. Each command group lives in nianbao/commands/."""

from __future__ import annotations

import typer

from nianbao.commands import register_all
from nianbao.errors import EXIT_CODES_HELP, CliGroup

app = typer.Typer(
    cls=CliGroup,
    help="nianbao (年报): collect, parse and store government information-disclosure annual reports.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
register_all(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
