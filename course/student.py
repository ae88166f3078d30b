"""The student edition: every notebook without its worked solutions, so that *Run All* reaches the end.

An exercise (:mod:`utils.exercises`) has a ``starter`` cell ("# Exercise N: ..."), its worked ``solution``
("**Solution N.**" and the code cells after it) and a ``check`` cell (``exercise_done(N, ...)``), so tagged.
``make student`` writes ``build/student/NN_topic.ipynb``: every cell but the solutions, each "**Solution N.**"
cell replaced by an "Exercise N: your turn" cell. Solution code without a starter or check cell is an error.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from course import BUILD_DIR, shown_path
from course.notebooks import cell_source, check_notebook, notebook_paths, read_notebook, write_notebook
from utils.checks import check_dir, check_sequence, fail

SOLUTION_TAG, STARTER_TAG, CHECK_TAG = "solution", "starter", "check"
#: The tag of the Markdown cells that stand where a worked solution was.
YOUR_TURN_TAG = "your-turn"
#: Where ``make student`` writes the student edition.
STUDENT_DIR = BUILD_DIR / "student"

_SOLUTION = re.compile(r"\s*\*\*Solution\b(?: (?P<number>\d+)\.\*\*)?")
_STARTER = re.compile(r"#\s*Exercise (?P<number>\d+)\b")
_CHECK = re.compile(r"\bexercise_done\(\s*(?P<number>\d+)\b")


def cell_tags(cell: dict) -> list[str]:
    """The cell's tags (``metadata.tags``), an empty list when it has none."""
    if not isinstance(cell, dict) or "cell_type" not in cell:
        raise fail("cell", cell, "a notebook cell (a dict with 'cell_type' and 'source')")
    tags = cell.get("metadata", {}).get("tags", [])
    return check_sequence("cell['metadata']['tags']", tags, expected="a list of tag strings")


def _number(pattern: re.Pattern, cell: dict, index: int, what: str) -> str:
    match = pattern.search(cell_source(cell))
    if not match or not match["number"]:
        raise ValueError(f"cell {index} is tagged '{what}' but does not say its exercise's number "
                         f"(a starter's first comment '# Exercise 1: ...', a check's 'exercise_done(1, ...)').")
    return match["number"]


def exercise_cells(notebook: dict) -> dict[str, dict[str, list[int]]]:
    """``{exercise number: {"solution": [...], "starter": [...], "check": [...]}}``, cell indices; ValueError naming
    an exercise whose solution code lacks a starter or check cell, or a solution before any "**Solution N.**"."""
    cells = check_notebook(notebook)["cells"]
    found: dict[str, dict[str, list[int]]] = {}
    current = None
    for index, cell in enumerate(cells):
        tags = cell_tags(cell)
        opening = _SOLUTION.match(cell_source(cell)) if cell["cell_type"] == "markdown" else None
        if opening and SOLUTION_TAG not in tags:
            raise ValueError(f"cell {index} opens a worked solution but is not tagged '{SOLUTION_TAG}': tag it and "
                             "its code cells, or the student edition hands the answer out.")
        if SOLUTION_TAG in tags:
            if opening:
                current = _number(_SOLUTION, cell, index, SOLUTION_TAG)
            elif current is None:
                raise ValueError(f"solution cell {index} comes before any '**Solution N.**' Markdown cell")
            found.setdefault(current, {}).setdefault(SOLUTION_TAG, []).append(index)
        for tag, pattern in ((STARTER_TAG, _STARTER), (CHECK_TAG, _CHECK)):
            if tag in tags and cell["cell_type"] == "code":
                found.setdefault(_number(pattern, cell, index, tag), {}).setdefault(tag, []).append(index)
    problems = []
    for number, roles in found.items():
        has_code = any(cells[i]["cell_type"] == "code" for i in roles.get(SOLUTION_TAG, []))
        missing = [tag for tag in (STARTER_TAG, CHECK_TAG) if not roles.get(tag)]
        if has_code and missing:
            problems.append(f"exercise {number} has a worked solution in code but no {' and no '.join(missing)} cell")
    if problems:
        raise ValueError("; ".join(problems) + ": add the cells, tagged 'starter' and 'check' (see "
                         "utils/exercises.py), so that the student edition runs and checks each answer.")
    return found


def _your_turn(number: str, has_code: bool) -> str:
    where = ("in the starter cell above, then run the check below: it says what is still missing, and checks your "
             "answer once it is there." if has_code else "here, in words (double-click to edit).")
    return f"**Exercise {number}: your turn.** Write your answer {where}"


def student_edition(notebook: dict) -> nbformat.NotebookNode:
    """The student edition of a notebook, as a new notebook; ValueError as :func:`exercise_cells`."""
    notebook = nbformat.from_dict(check_notebook(notebook))
    exercises = exercise_cells(notebook)
    cells = []
    for index, cell in enumerate(notebook.cells):
        if SOLUTION_TAG not in cell_tags(cell):
            cells.append(cell)
        elif opening := (_SOLUTION.match(cell_source(cell)) if cell.cell_type == "markdown" else None):
            has_code = any(notebook.cells[i].cell_type == "code" for i in exercises[opening["number"]][SOLUTION_TAG])
            cells.append(nbformat.v4.new_markdown_cell(_your_turn(opening["number"], has_code),
                                                       metadata={"tags": [YOUR_TURN_TAG]},
                                                       id=f"{cell.get('id') or f'cell-{index}'}-your-turn"))
    edition = nbformat.from_dict({**notebook, "cells": cells})
    nbformat.validate(edition)
    return edition


def write_student_edition(path: str | Path, out_dir: str | Path = STUDENT_DIR) -> Path:
    """Write a notebook's student edition to ``out_dir`` under its file name; the path. ValueError naming it."""
    out_dir, notebook = check_dir("out_dir", out_dir, must_exist=False), read_notebook(path)
    try:
        edition = student_edition(notebook)
    except ValueError as error:
        raise ValueError(f"{Path(path).name}: {error}") from None
    write_notebook(edition, out_dir / Path(path).name)
    return out_dir / Path(path).name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course student", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to convert (default: every course notebook)")
    parser.add_argument("--out", type=Path, default=STUDENT_DIR, help="output folder (default: build/student)")
    args = parser.parse_args(argv)
    for stale in [] if args.notebooks else args.out.glob("[0-9][0-9]_*.ipynb"):  # a whole edition starts clean
        stale.unlink()
    failed = 0
    for path in args.notebooks or notebook_paths():
        try:
            target = write_student_edition(path, args.out)
            count = len(exercise_cells(read_notebook(target)))
            print(f"{shown_path(target)}: {count} exercise{'s' if count != 1 else ''} with starter and check cells")
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
