"""``python -m course <command> [arguments]``: one entry point for the course's tooling."""

from __future__ import annotations

import importlib
import sys

#: command -> module whose ``main(argv)`` runs it.
COMMANDS = {name: f"course.{name}" for name in ("run", "quotes", "student", "notebooks", "site", "catalog")}
COMMANDS["site"] = "course.site.build"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        given = repr(argv[0]) if argv else "nothing"
        print(f"usage: python -m course {{{','.join(COMMANDS)}}} [arguments]  (got {given})", file=sys.stderr)
        return 2
    return importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
