"""The course's tooling, ``python -m course <command>``, one module per job (run, quotes, student, notebooks,
catalog, site): what the maintainers run. ``utils/``, the students' library that notebooks import, never imports it.
"""

from pathlib import Path

#: The repository root, and the folder of every build product (git ignores it).
ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = ROOT / "build"


def shown_path(path: Path | str) -> str:
    """A path as messages print it: relative to the repository when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
