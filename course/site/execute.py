"""The executed notebooks the site shows: the latest ``make course`` (or ``course-real``) copy, else a quick run
on the stand-ins into ``build/site-src/notebooks/`` (reused while the notebook and ``utils/`` are unchanged), whose
kernels draw figures at 2x and name each figure by its titles (the page's alt text)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from course import BUILD_DIR, ROOT
from course.run import Settings

COURSE_RUN_DIRS = {"real": BUILD_DIR / "real" / "notebooks", "offline": BUILD_DIR / "notebooks"}
SITE_RUN_DIR = BUILD_DIR / "site-src" / "notebooks"
SITE_SETTINGS = Settings("quick", "offline")  # the tests' settings: no network
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
    return {**os.environ, "IPYTHONDIR": str(profile.parent)}  # the runner sets the course's settings


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
    """Execute one notebook through the course's runner (quick profile, stand-ins); write the copy."""
    import nbformat

    from course.run import execute_notebook

    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    run = execute_notebook(notebook, SITE_SETTINGS, cell_timeout, cwd=notebook.parent)
    seconds = round(run.seconds, 1)
    run.notebook.metadata[METADATA_KEY] = {"digest": inputs_digest(notebook), "executed": started, "seconds": seconds,
                                           "error": run.error, "course_profile": SITE_SETTINGS.profile,
                                           "course_data": SITE_SETTINGS.data}
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(run.notebook, out)
    print(f"  {notebook.name}: {seconds:.1f} s, {'ok' if run.error is None else f'FAILED: {run.error}'}", flush=True)
    return 0 if run.error is None else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m course.site.execute NOTEBOOK OUT``: run one notebook, write the executed copy to OUT."""
    notebook, out = sys.argv[1:] if argv is None else argv
    return run_one(Path(notebook).resolve(), Path(out))


if __name__ == "__main__":
    sys.exit(main())
