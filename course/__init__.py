"""The course's tooling (``python -m course <command>``): what the maintainers run, never what a notebook imports.

One module per job: ``run`` (notebooks, results board), ``quotes``, ``student`` (edition), ``notebooks`` (setup cells,
badges, outputs), ``catalog`` (the notebooks' table), ``site``. ``utils/``, the students' library, never imports it.
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
