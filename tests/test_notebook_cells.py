"""What a student meets in a notebook's cells: short cells, checks that say what they check, little
bookkeeping, one numeric path, and exercises that let *Run All* reach the end."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from course.notebooks import notebook_paths

NOTEBOOKS = notebook_paths()
MAX_CELL_LINES = 30
MAX_BOOKKEEPING = 0.10
#: A line that records, times, picks a profile's size or seeds, rather than teaching.
BOOKKEEPING = re.compile(r"\bresults\.|\bResultsTable\(|\bpick\(|perf_counter|\btime\.time\(|\.seconds\b"
                         r"|set_random_seed|course_seed\(|\bseed=")
#: Statements that hold other statements: each of their simple statements is judged on its own.
COMPOUND = (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)


def code_cells(path):
    """(index, source, tags) of every code cell but the setup cell."""
    notebook = nbformat.read(path, as_version=4)
    cells = [(i, c.source, c.metadata.get("tags", [])) for i, c in enumerate(notebook.cells)
             if c.cell_type == "code"]
    return cells[1:]


def parsed(source: str) -> ast.Module:
    """A cell's code as Python (IPython magics, `%...` and `!...` lines, left out)."""
    return ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line
                               for line in source.splitlines()))


def simple_statements(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, COMPOUND):
            yield from simple_statements(node)
        elif isinstance(node, ast.stmt):
            yield node
        elif isinstance(node, (ast.excepthandler, ast.match_case)):
            yield from simple_statements(node)


def bookkeeping_share(path) -> tuple[int, int]:
    """(bookkeeping lines, code lines): code lines are non-blank, non-comment lines of the code cells."""
    counted, total = set(), 0
    for index, source, _ in code_cells(path):
        lines = source.splitlines()
        total += sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))
        for statement in simple_statements(parsed(source)):
            text = "\n".join(lines[statement.lineno - 1:statement.end_lineno])
            if BOOKKEEPING.search(text):
                counted |= {(index, n) for n in range(statement.lineno, statement.end_lineno + 1)
                            if lines[n - 1].strip() and not lines[n - 1].strip().startswith("#")}
    return len(counted), total


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_is_over_30_lines(path):
    long = [(index, len(source.splitlines())) for index, source, _ in code_cells(path)
            if len(source.splitlines()) > MAX_CELL_LINES]
    assert not long, f"code cells over {MAX_CELL_LINES} lines (cell index, lines): {long}; split them at their ideas"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_assert_says_what_it_checks(path):
    bare = [(index, node.lineno) for index, source, _ in code_cells(path)
            for node in ast.walk(parsed(source)) if isinstance(node, ast.Assert) and node.msg is None]
    assert not bare, f"asserts without a message (cell index, line): {bare}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_bookkeeping_is_at_most_a_tenth_of_the_code(path):
    kept, total = bookkeeping_share(path)
    assert kept <= MAX_BOOKKEEPING * total, (
        f"{kept} of {total} code lines ({kept / total:.0%}) record, time, pick or seed; at most "
        f"{MAX_BOOKKEEPING:.0%}: record a section's results in one place, move stand-in branches into helpers")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_compile_says_jit_compile(path):
    """CPU and GPU run the same numeric path: Keras' default ("auto") compiles with XLA only on a GPU."""
    missing = [(index, node.lineno) for index, source, _ in code_cells(path) for node in ast.walk(parsed(source))
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compile"
               and not any(keyword.arg == "jit_compile" for keyword in node.keywords)]
    assert not missing, f"compile(...) without jit_compile= (cell index, line): {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_check_cell_waits_for_its_exercise(path):
    """A check cell runs its asserts only once the exercise is done, so the student edition reaches the end."""
    for index, source, tags in code_cells(path):
        if "check" in tags:
            assert "exercise_done(" in source, f"check cell {index} does not ask exercise_done(...) first"


def test_the_bookkeeping_rule_counts_what_it_says():
    tree = ("results.add('a', 1.0,\n            model='m')\nx = 1\n"
            "if x:\n    rng = np.random.default_rng(course_seed())\n")
    lines = tree.splitlines()
    counted = [s for s in simple_statements(parsed(tree))
               if BOOKKEEPING.search("\n".join(lines[s.lineno - 1:s.end_lineno]))]
    assert [s.lineno for s in counted] == [1, 5], "a multi-line record and a nested seed both count"
