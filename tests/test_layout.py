"""The lists of utils modules (the package docstring, the README's Layout block) name every module."""

import re
from pathlib import Path

import utils

ROOT = Path(__file__).resolve().parents[1]


def modules_on_disk() -> set[str]:
    """Every module and subpackage of utils, dotted (``utils.standins.imdb``), the package itself left out."""
    names = set()
    for path in (ROOT / "utils").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names - {"utils"}


def readme_utils_entry() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```", 2)[1]
    return layout.split("utils/", 1)[1].split("\ntests/", 1)[0]


def test_the_package_docstring_names_every_module_and_no_other():
    named = set(re.findall(r"(?::mod:`|``)(utils(?:\.\w+)+)(?:`|``)", utils.__doc__))
    assert named == modules_on_disk()


def test_the_readme_layout_names_every_public_module():
    entry = readme_utils_entry()
    public = {name.split(".")[-1] for name in modules_on_disk() if not name.split(".")[-1].startswith("_")}
    missing = sorted(name for name in public if not re.search(rf"\b{name}\b", entry))
    assert not missing, f"README's Layout block does not name {missing}"


def test_utils_never_imports_the_course_tooling():
    """The students' library stands alone: no module under utils/ imports the ``course`` package."""
    import ast

    offenders = []
    for path in (ROOT / "utils").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)} imports {name}" for name in names
                          if name == "course" or name.startswith("course.")]
    assert not offenders, offenders
