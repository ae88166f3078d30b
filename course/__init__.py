"""The course's tooling: what the maintainers run, never what a notebook imports.

``utils/`` is the students' library; this package sits beside it and imports it, never the
other way round. One module per job, each run as ``python -m course <command>``:

* :mod:`course.run`        run notebooks (full or quick profile, stand-ins or real data), the results board
* :mod:`course.quotes`     numbers quoted in lessons and README, checked against the run snapshots
* :mod:`course.student`    the student edition (solutions replaced by starter cells)
* :mod:`course.notebooks`  the shared setup cell, Colab badges, clean outputs
* :mod:`course.site`       the course website and its browser tests
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
