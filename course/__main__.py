"""``python -m course <command> [arguments]``: one entry point for the course's tooling."""

import importlib
import sys

#: command -> the module under course/ whose ``main(argv)`` runs it.
COMMANDS = {name: name for name in ("run", "quotes", "student", "notebooks", "catalog")} | {"site": "site.build"}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python -m course {{{','.join(COMMANDS)}}} [arguments] (got {sys.argv[1:2] or 'nothing'})")
    sys.exit(importlib.import_module(f"course.{COMMANDS[sys.argv[1]]}").main(sys.argv[2:]))
