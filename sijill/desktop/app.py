"""Entry point of the `sijill` command: subcommands for scripting, otherwise the desktop app."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from sijill.desktop.cli.main import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
