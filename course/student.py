"""The student edition: every notebook with its exercises, but without the worked solutions.

Solution cells carry the cell tag ``solution`` (``metadata.tags``): the "**Solution N.**" Markdown
cell that explains an answer and the code cells that implement it. ``python -m course student``
(``make student``) writes ``build/student/NN_topic.ipynb`` for every notebook, in which

* every cell before and outside the solutions is copied unchanged (title, setup cell, lessons,
  the exercise statements);
* each "**Solution N.**" Markdown cell becomes a "your turn" Markdown cell for exercise N;
* each solution code cell becomes a "your turn" code cell (comments only, so the notebook still
  runs top to bottom) followed, where the solution checked its result, by a *check* cell holding
  the solution's own top-level ``assert`` statements (and ``np.testing.assert_*`` calls) that
  use a name the solution defines. Those names are listed in the "your turn" cell: a student who
  defines them runs the check cell to test the answer.

The rule for tagging a notebook (``python -m course student --tag notebooks/NN_topic.ipynb``):
every cell from the first Markdown cell that starts with "**Solution" to the end of the exercise
section (the next heading of the same or a higher level, or the end of the notebook) is a
solution cell. A notebook that has an exercise section but no tagged cell yet is converted with
that rule, and the build says so.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from course.notebooks import ROOT, cell_source, check_notebook, notebook_paths
from utils.checks import check_dir, check_str, fail

#: The cell tag that marks a worked solution.
SOLUTION_TAG = "solution"
#: The tag of the cells that replace a solution in the student edition.
YOUR_TURN_TAG = "your-turn"
#: The tag of the student edition's check cells (the solution's asserts).
CHECK_TAG = "check"
#: Where ``make student`` writes the student edition.
STUDENT_DIR = ROOT / "build" / "student"

_SOLUTION_START = re.compile(r"\*\*Solution\b")
_SOLUTION_NUMBER = re.compile(r"\*\*Solution ([0-9]+|\([a-z]\))\.\*\*")
_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_EXERCISE_HEADING = re.compile(r"\bExercises?\b")
_DIRECTIVE = re.compile(r"#\s*NBVAL_\w+")


def read_notebook(path: str | Path) -> dict:
    """A notebook file as a dict; ValueError if it is not a notebook (nbformat 4)."""
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise fail("path", path, "the path of a notebook file")
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
        raise ValueError(f"{path} is not an nbformat 4 notebook")
    return notebook


def notebook_text(notebook: dict) -> str:
    """A notebook serialized the way the course stores its notebooks (indent 1, UTF-8, final newline)."""
    check_notebook(notebook)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def cell_tags(cell: dict) -> list[str]:
    """The cell's tags (``metadata.tags``), an empty list when it has none."""
    _check_cell(cell)
    tags = cell.get("metadata", {}).get("tags", [])
    if isinstance(tags, str) or not isinstance(tags, (list, tuple)):
        raise fail("cell['metadata']['tags']", tags, "a list of tag strings")
    return list(tags)


def _check_cell(cell: object) -> dict:
    if not isinstance(cell, dict) or "cell_type" not in cell:
        raise fail("cell", cell, "a notebook cell (a dict with 'cell_type' and 'source')")
    return cell


def is_solution(cell: dict) -> bool:
    """Whether the cell is tagged as a worked solution."""
    return SOLUTION_TAG in cell_tags(cell)


def _heading(cell: dict) -> tuple[int, str] | None:
    """(level, text) of a Markdown cell that starts with a heading, else None."""
    if cell["cell_type"] != "markdown":
        return None
    match = _HEADING.match(cell_source(cell).lstrip())
    return (len(match.group(1)), match.group(2).splitlines()[0]) if match else None


def exercise_heading_index(notebook: dict) -> int | None:
    """Index of the Markdown cell whose heading names the exercises ("## 10. Exercises"), or None."""
    check_notebook(notebook)
    for index, cell in enumerate(notebook["cells"]):
        heading = _heading(cell)
        if heading and _EXERCISE_HEADING.search(heading[1]):
            return index
    return None


def starts_solution(cell: dict) -> bool:
    """Whether a cell is a Markdown cell that opens a worked solution ("**Solution N.** ...")."""
    _check_cell(cell)
    return cell["cell_type"] == "markdown" and bool(_SOLUTION_START.match(cell_source(cell).lstrip()))


def solution_cells_by_rule(notebook: dict) -> list[int]:
    """The cells the tagging rule marks as solutions.

    From the first Markdown cell after the exercise heading that starts with "**Solution" up to
    the next heading of the exercise heading's level or higher (or the end of the notebook).

    Raises:
        ValueError: if the notebook has no exercise heading, or no solution after it.
    """
    cells = notebook["cells"]
    heading_index = exercise_heading_index(notebook)
    if heading_index is None:
        raise ValueError("the notebook has no exercise section (a Markdown heading with 'Exercises')")
    level = _heading(cells[heading_index])[0]
    first = next((i for i in range(heading_index, len(cells)) if starts_solution(cells[i])), None)
    if first is None:
        raise ValueError(
            f"no Markdown cell starting with '**Solution' after the exercise heading (cell {heading_index})"
        )
    end = len(cells)
    for index in range(first + 1, len(cells)):
        heading = _heading(cells[index])
        if heading and heading[0] <= level:
            end = index
            break
    return list(range(first, end))


def tag_solutions(path: str | Path) -> list[int]:
    """Tag a notebook's solution cells by the rule of :func:`solution_cells_by_rule`, in place.

    Cells that already carry the tag keep it; nothing else in the file changes. Returns the
    indices of the solution cells.

    Raises:
        ValueError: if the file is not a notebook, or the rule finds no solutions in it.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    notebook = read_notebook(path)
    try:
        indices = solution_cells_by_rule(notebook)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error
    for index in indices:
        cell = notebook["cells"][index]
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if SOLUTION_TAG not in tags:
            tags.append(SOLUTION_TAG)
    new_text = notebook_text(notebook)
    if new_text != text:
        path.write_text(new_text, encoding="utf-8")
    return indices


def solution_indices(notebook: dict) -> tuple[list[int], bool]:
    """The notebook's solution cells and whether they come from the rule (no cell is tagged yet).

    A tagged notebook must tag every cell that opens a solution ("**Solution N.**").

    Raises:
        ValueError: if some cells are tagged but a "**Solution" cell is not.
    """
    cells = check_notebook(notebook)["cells"]
    tagged = [index for index, cell in enumerate(cells) if is_solution(cell)]
    if not tagged:
        if exercise_heading_index(notebook) is None or not any(starts_solution(cell) for cell in cells):
            return [], False
        return solution_cells_by_rule(notebook), True
    for index, cell in enumerate(cells):
        if starts_solution(cell) and index not in tagged:
            raise ValueError(
                f"cell {index} opens a worked solution but is not tagged '{SOLUTION_TAG}' (other cells are): "
                "tag it, or run `python -m course student --tag` on the notebook"
            )
    return tagged, False


def _bound_names(tree: ast.AST) -> set[str]:
    """Names a cell binds at the top level (assignments, loops, defs), not inside functions; not imports."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def _used_names(node: ast.AST) -> list[str]:
    """Names a statement reads, in order of appearance, without those it binds itself (loop variables)."""
    stored = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    loads = [n for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    ordered = sorted(loads, key=lambda n: (n.lineno, n.col_offset))
    return list(dict.fromkeys(n.id for n in ordered if n.id not in stored))


def _is_check(node: ast.stmt) -> bool:
    """An ``assert`` statement, or a call of an ``assert_*`` function (``np.testing.assert_allclose``)."""
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        function = node.value.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        return name.startswith("assert_")
    return False


@dataclass
class SolutionChecks:
    """What of a solution code cell the student edition keeps: its checks and the names they need."""

    statements: list[str]  # the imports the checks need, then each kept top-level check, as written
    names: list[str]  # names the solution defines that the kept checks use


def solution_checks(source: str) -> SolutionChecks:
    """The top-level checks of a solution code cell that test a name the solution defines.

    Checks that use only names defined before the solution (or imported) test nothing the student
    writes and are left out; so are checks inside loops or functions (they depend on their
    surroundings). Top-level imports of the solution that a kept check uses come first.

    Raises:
        ValueError: if the source is not valid Python.
    """
    source = check_str("source", source)
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ValueError(f"a solution cell is not valid Python: {error}") from error
    defined = _bound_names(tree)
    lines = source.splitlines()

    def text(node: ast.stmt) -> str:
        return "\n".join(lines[node.lineno - 1 : node.end_lineno])

    checks, names, used = [], [], set()
    for node in tree.body:
        if not _is_check(node):
            continue
        needed = [name for name in _used_names(node) if name in defined]
        if needed:
            checks.append(text(node))
            names += [name for name in needed if name not in names]
            used.update(_used_names(node))
    imports = [
        text(node) for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        and any((alias.asname or alias.name).split(".")[0] in used for alias in node.names)
    ]
    return SolutionChecks(imports + checks, names)


def _source_lines(text: str) -> list[str]:
    """Cell source in nbformat's list-of-lines form."""
    return text.splitlines(keepends=True)


def _new_cell(cell_type: str, cell_id: str, text: str, tag: str, like: dict) -> dict:
    """A new cell, its keys in the order of the cell ``like`` (the solution cell it replaces)."""
    cell = {"cell_type": cell_type, "id": cell_id, "metadata": {"tags": [tag]}, "source": _source_lines(text)}
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    order = [key for key in like if key in cell] + sorted(key for key in cell if key not in like)
    return {key: cell[key] for key in order}


def _your_turn_markdown(exercise: str, has_code: bool, has_checks: bool) -> str:
    text = f"**Exercise {exercise}: your turn.** The worked solution is not in this edition."
    if has_code:
        text += " Write your code in the cell below"
        text += (", then run the check cell after it: it holds the solution's own checks, which pass once "
                 "your answer is right." if has_checks else ".")
    return text + " Answer the exercise's questions here, in words (double-click to edit)."


def _your_turn_code(exercise: str, part: str, names: list[str]) -> str:
    lines = [f"# Your turn: exercise {exercise}{part}. Write your code here."]
    if names:
        lines.append(f"# The check cell below uses: {', '.join(names)}.")
    return "\n".join(lines)


def _check_code(exercise: str, part: str, checks: SolutionChecks) -> str:
    header = f"# Check your answer to exercise {exercise}{part}: the worked solution's own checks."
    return "\n".join([header, *checks.statements])


@dataclass
class StudentEdition:
    """A notebook turned into its student edition, with what the conversion did."""

    notebook: dict
    exercises: list[str]  # the exercise numbers whose solutions were replaced
    check_cells: int
    by_rule: bool  # True if no cell was tagged and the tagging rule found the solutions


def student_edition(notebook: dict) -> StudentEdition:
    """The student edition of a notebook (a new dict; the argument is not changed).

    Raises:
        ValueError: if a solution cell comes before any "**Solution N.**" cell, or a
            solution cell cannot be read (see :func:`solution_indices`, :func:`solution_checks`).
    """
    indices, by_rule = solution_indices(notebook)
    cells = notebook["cells"]
    # First pass: which exercise each solution cell answers, and the checks of each code cell.
    exercise_of: dict[int, str] = {}
    checks_of: dict[int, SolutionChecks] = {}
    code_cells_of: dict[str, list[int]] = {}
    exercise = None
    for index in indices:
        cell = cells[index]
        if starts_solution(cell):
            match = _SOLUTION_NUMBER.match(cell_source(cell).lstrip())
            if not match:
                raise ValueError(f"cell {index} opens a solution but has no number ('**Solution 1.**')")
            exercise = match.group(1)
            code_cells_of.setdefault(exercise, [])
        elif exercise is None:
            raise ValueError(f"solution cell {index} comes before any '**Solution N.**' Markdown cell")
        elif cell["cell_type"] == "code":
            try:
                checks_of[index] = solution_checks(cell_source(cell))
            except ValueError as error:
                raise ValueError(f"cell {index}: {error}") from error
            code_cells_of[exercise].append(index)
        exercise_of[index] = exercise

    new_cells: list[dict] = []
    exercises: list[str] = []
    for index, cell in enumerate(cells):
        if index not in exercise_of:
            new_cells.append(copy.deepcopy(cell))
            continue
        cell_id = cell.get("id") or f"cell-{index}"
        exercise = exercise_of[index]
        code_cells = code_cells_of[exercise]
        if starts_solution(cell):
            exercises.append(exercise)
            has_checks = any(checks_of[i].statements for i in code_cells)
            text = _your_turn_markdown(exercise, has_code=bool(code_cells), has_checks=has_checks)
            new_cells.append(_new_cell("markdown", f"{cell_id}-your-turn", text, YOUR_TURN_TAG, cell))
        elif cell["cell_type"] == "code":
            part = f", part {code_cells.index(index) + 1} of {len(code_cells)}" if len(code_cells) > 1 else ""
            checks = checks_of[index]
            your_turn = _your_turn_code(exercise, part, checks.names)
            new_cells.append(_new_cell("code", f"{cell_id}-your-turn", your_turn, YOUR_TURN_TAG, cell))
            if checks.statements:
                check_text = _DIRECTIVE.sub("", _check_code(exercise, part, checks)).strip()
                new_cells.append(_new_cell("code", f"{cell_id}-check", check_text, CHECK_TAG, cell))
        # Other solution cells (more Markdown of the same answer, raw cells) are left out.
    edition = dict(notebook)
    edition["cells"] = new_cells
    check_cells = sum(1 for checks in checks_of.values() if checks.statements)
    return StudentEdition(edition, exercises, check_cells, by_rule)


def validate(notebook: dict) -> None:
    """Raise ValueError if the notebook is not valid nbformat (uses the ``nbformat`` package)."""
    import nbformat

    check_notebook(notebook)

    try:
        nbformat.validate(nbformat.from_dict(notebook))
    except nbformat.ValidationError as error:
        raise ValueError(f"not a valid notebook: {error.message}") from error


def write_student_edition(path: str | Path, out_dir: str | Path = STUDENT_DIR) -> tuple[Path, StudentEdition]:
    """Write the student edition of one notebook to ``out_dir`` under the same file name."""
    path = Path(path) if isinstance(path, (str, Path)) else path
    out_dir = check_dir("out_dir", out_dir, must_exist=False)
    edition = student_edition(read_notebook(path))
    try:
        validate(edition.notebook)
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from error
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / path.name
    target.write_text(notebook_text(edition.notebook), encoding="utf-8")
    return target, edition


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to convert (default: every course notebook)")
    parser.add_argument("--out", type=Path, default=STUDENT_DIR, help="output folder (default: build/student)")
    parser.add_argument("--tag", action="store_true",
                        help="instead: tag the solution cells of the given notebooks by the rule, in place")
    args = parser.parse_args(argv)
    try:
        if args.tag:
            if not args.notebooks:
                parser.error("--tag needs the notebooks to tag, e.g. notebooks/06_char_rnn.ipynb")
            for path in args.notebooks:
                indices = tag_solutions(path)
                print(f"{_shown(path)}: cells {indices[0]}-{indices[-1]} tagged '{SOLUTION_TAG}'")
            return 0
        paths = args.notebooks or notebook_paths()
        if not args.notebooks and args.out.is_dir():
            for stale in args.out.glob("[0-9][0-9]_*.ipynb"):
                stale.unlink()
        for path in paths:
            target, edition = write_student_edition(path, args.out)
            note = "; no cell tagged yet, solutions found by the tagging rule" if edition.by_rule else ""
            checks = f"{edition.check_cells} check cell{'s' if edition.check_cells != 1 else ''}"
            print(f"{_shown(target)}: {len(edition.exercises)} exercises, {checks}{note}")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
