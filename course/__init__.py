"""The course's tooling (``python -m course <command>``): what the maintainers run, never what a notebook imports.

One module per job: :mod:`course.run` (run notebooks, the results board), :mod:`course.quotes` (numbers quoted
in lessons and README), :mod:`course.student` (the student edition), :mod:`course.notebooks` (setup cells,
Colab badges, clean outputs), :mod:`course.catalog` (the notebooks' table) and :mod:`course.site` (the website).
``utils/`` is the students' library; this package imports it, never the other way round.
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
