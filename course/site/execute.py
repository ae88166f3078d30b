"""The executed notebooks the site shows.

A notebook's page shows the copy the latest ``make course`` (or ``make course-real``) run left in
``build/notebooks/`` (``build/real/notebooks/``). A notebook without one, or whose course run
failed, is run here under the quick profile on the stand-ins, into ``build/site-src/notebooks/``
(reused while the notebook and ``utils/`` are unchanged). These runs' kernels draw figures at twice
the resolution and give each figure a text form naming its titles, which the page uses as alt text.

``python -m course.site.execute NOTEBOOK OUT`` runs one notebook in a fresh kernel.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = ROOT / "build"
COURSE_RUN_DIRS = {"real": BUILD_DIR / "real" / "notebooks", "offline": BUILD_DIR / "notebooks"}
SITE_RUN_DIR = BUILD_DIR / "site-src" / "notebooks"
SITE_RUN_ENV = {"COURSE_PROFILE": "quick", "COURSE_DATA": "offline"}  # the tests' settings: no network
METADATA_KEY = "course_site"
# The kernels' IPython profile: 2x PNGs, and a figure's text form from its titles (the page's alt text).
KERNEL_CONFIG = 'c.InlineBackend.figure_formats = {"retina"}\n'
FIGURE_TEXT = '''def _figure_text(figure, printer, cycle):
    titles = [figure._suptitle.get_text()] if getattr(figure, "_suptitle", None) else []
    for axes in figure.axes:
        titles.append(axes.get_title() or " against ".join(filter(None, [axes.get_ylabel(), axes.get_xlabel()])))
    printer.text("Figure: " + "; ".join(t for t in titles if t) if any(titles) else "Figure")
get_ipython().run_line_magic("matplotlib", "inline")  # first: turning it on drops the formatters of figures
get_ipython().display_formatter.formatters["text/plain"].for_type_by_name("matplotlib.figure", "Figure", _figure_text)
'''


@dataclass
class Executed:
    """An executed copy of a notebook and where it came from."""

    path: Path
    origin: str  # "course" (make course / course-real) or "site" (the site's quick run)
    executed: str  # date and time of the run, ISO 8601
    seconds: float | None = None
    error: str | None = None


def inputs_digest(notebook: Path) -> str:
    """A hash of the notebook and every ``utils`` module: when it changes, a site copy is stale."""
    digest = hashlib.sha256(notebook.read_bytes() + KERNEL_CONFIG.encode() + FIGURE_TEXT.encode())
    for module in sorted((ROOT / "utils").rglob("*.py")):
        digest.update(module.relative_to(ROOT).as_posix().encode() + module.read_bytes())
    return digest.hexdigest()


def _course_copy(notebook: Path) -> Executed | None:
    for folder in COURSE_RUN_DIRS.values():
        copy = folder / notebook.name
        timings = folder.parent / "timings.json"
        entry = json.loads(timings.read_text()).get(notebook.stem, {}) if timings.exists() else {}
        if copy.exists() and not entry.get("error"):  # a failed course run: show a quick run instead
            executed = datetime.fromtimestamp(copy.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
            return Executed(copy, "course", executed, entry.get("seconds"))
    return None


def _site_copy(notebook: Path) -> Executed | None:
    copy = SITE_RUN_DIR / notebook.name
    facts = json.loads(copy.read_text())["metadata"].get(METADATA_KEY, {}) if copy.exists() else {}
    if not copy.exists() or facts.get("digest") != inputs_digest(notebook):
        return None
    return Executed(copy, "site", facts.get("executed", ""), facts.get("seconds"), facts.get("error"))


def kernel_environment() -> dict[str, str]:
    """The environment of the site's runs: the quick profile on the stand-ins and the IPython profile above."""
    profile = BUILD_DIR / "site-src" / "ipython" / "profile_default"
    (profile / "startup").mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG)
    (profile / "startup" / "00-figure-text.py").write_text(FIGURE_TEXT)
    environment = {**os.environ, **SITE_RUN_ENV, "IPYTHONDIR": str(profile.parent)}
    environment.pop("COURSE_RESULTS_DIR", None)  # the site's runs add nothing to the course's records
    return environment


def executed_notebooks(notebooks: list[Path], jobs: int = 2, rerun: bool = False) -> dict[str, Executed]:
    """An executed copy of each notebook: the course run's, a reusable one, or a fresh quick run."""
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs={jobs!r} must be a whole number of at least 1, say 2")
    chosen = {} if rerun else {n.stem: found for n in notebooks if (found := _course_copy(n) or _site_copy(n))}
    waiting = [notebook for notebook in notebooks if notebook.stem not in chosen]
    if waiting:
        print(f"running {len(waiting)} notebook(s) under the quick profile on the stand-ins, {jobs} at a time")
        environment = kernel_environment()

        def run(notebook: Path) -> Executed:
            out = SITE_RUN_DIR / notebook.name
            command = [sys.executable, "-m", "course.site.execute", str(notebook), str(out)]
            status = subprocess.run(command, cwd=ROOT, env=environment).returncode
            return _site_copy(notebook) or Executed(out, "site", "", None, f"exit status {status}")

        with ThreadPoolExecutor(jobs) as pool:
            chosen.update(zip([n.stem for n in waiting], pool.map(run, waiting)))
    return {notebook.stem: chosen[notebook.stem] for notebook in notebooks}


def run_one(notebook: Path, out: Path, cell_timeout: int = 900) -> int:
    """Execute one notebook in a fresh kernel (working directory: its folder); write the copy."""
    import nbformat
    from nbclient import NotebookClient

    node = nbformat.read(notebook, as_version=4)
    client = NotebookClient(node, timeout=cell_timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    started, start, error = datetime.now(timezone.utc).isoformat(timespec="seconds"), time.perf_counter(), None
    try:
        client.execute()
    except Exception as exc:  # a failing cell, a dead kernel, a timeout: the page shows it
        lines = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip().splitlines()
        error = lines[-1] if lines else repr(exc)
    seconds = round(time.perf_counter() - start, 1)
    node.metadata[METADATA_KEY] = {"digest": inputs_digest(notebook), "executed": started, "seconds": seconds,
                                   "error": error, **{key.lower(): os.environ.get(key, "") for key in SITE_RUN_ENV}}
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(node, out)
    print(f"  {notebook.name}: {seconds:.1f} s, {'ok' if error is None else f'FAILED: {error}'}", flush=True)
    return 0 if error is None else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m course.site.execute NOTEBOOK OUT``: run one notebook, write the executed copy to OUT."""
    notebook, out = sys.argv[1:] if argv is None else argv
    return run_one(Path(notebook).resolve(), Path(out))


if __name__ == "__main__":
    sys.exit(main())
