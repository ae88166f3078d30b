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


def test_no_module_assigns_to_os_environ_but_the_setup_cells_tensorflow_switches():
    """Settings are passed (to a kernel's environment), never planted in this process's environment."""
    import ast

    offenders = []
    for path in [*(ROOT / "utils").rglob("*.py"), *(ROOT / "course").rglob("*.py"), ROOT / "conftest.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            calls = [node.func.attr] if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else []
            writes = any(isinstance(t, ast.Subscript) and ast.unparse(t.value) == "os.environ" for t in targets)
            writes |= bool(calls) and calls[0] in ("setdefault", "update", "pop", "putenv") and \
                ast.unparse(node.func.value) in ("os.environ", "os")
            if writes and path.relative_to(ROOT).as_posix() != "utils/environment.py":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"these lines write os.environ: {offenders}"


def test_the_utils_import_graph_has_no_circle():
    """Every import between utils modules, deferred ones and type-only ones too, read from the source."""
    import ast
    from graphlib import CycleError, TopologicalSorter

    graph = {}
    for path in (ROOT / "utils").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "utils":
                imported |= {f"utils.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("utils."):
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names if alias.name.startswith("utils")}
        graph[name] = imported - {name}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"utils imports in a circle: {' -> '.join(error.args[1])}") from None
