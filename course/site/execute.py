"""The executed notebooks that the site shows.

A notebook's page shows the copy that the latest ``make course`` run left in
``build/notebooks/`` (``python -m course run`` writes it). For a notebook that has none, the site
runs the notebook itself under the quick profile with offline data, into
``build/site-src/notebooks/``, leaving ``build/notebooks/`` and ``build/results.*`` alone. Such a
copy is reused while the notebook and ``utils/`` are unchanged. A notebook whose course run failed
(``build/timings.json`` says so) gets a quick run too.

``python -m course.site.execute NOTEBOOK OUT`` runs one notebook (in a fresh kernel, from
``notebooks/``) and writes the executed copy; the site build calls it once per notebook, a few at a
time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = ROOT / "build"
COURSE_RUN_DIR = BUILD_DIR / "notebooks"
SITE_RUN_DIR = BUILD_DIR / "site-src" / "notebooks"
#: The settings of the site's own runs: the tests' profile and data, so they need no network.
SITE_RUN_ENV = {"COURSE_PROFILE": "quick", "COURSE_DATA": "offline"}
#: The key under which an executed copy records how it was made.
METADATA_KEY = "course_site"


@dataclass
class Executed:
    """An executed copy of a notebook and where it came from."""

    path: Path
    origin: str  # "course" (make course) or "site" (the site's quick run)
    executed: str  # date and time of the run, ISO 8601
    seconds: float | None = None
    error: str | None = None


def inputs_digest(notebook: Path) -> str:
    """A hash of the notebook and of every ``utils`` module: when it changes, the copy is stale."""
    digest = hashlib.sha256(notebook.read_bytes())
    for module in sorted((ROOT / "utils").rglob("*.py")):  # the subpackages (utils.standins) too
        digest.update(module.relative_to(ROOT).as_posix().encode() + module.read_bytes())
    return digest.hexdigest()


def _course_copy(notebook: Path) -> Executed | None:
    copy = COURSE_RUN_DIR / notebook.name
    if not copy.exists():
        return None
    executed = datetime.fromtimestamp(copy.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
    seconds = None
    timings = BUILD_DIR / "timings.json"
    if timings.exists():
        entry = json.loads(timings.read_text()).get(notebook.stem, {})
        if entry.get("error"):
            return None  # the course run failed there: show a quick run that went through instead
        seconds = entry.get("seconds")
    return Executed(copy, "course", executed, seconds)


def _site_copy(notebook: Path, digest: str) -> Executed | None:
    copy = SITE_RUN_DIR / notebook.name
    if not copy.exists():
        return None
    try:
        facts = json.loads(copy.read_text())["metadata"].get(METADATA_KEY, {})
    except (ValueError, KeyError):
        return None
    if facts.get("digest") != digest or facts.get("error"):
        return None
    return Executed(copy, "site", facts.get("executed", ""), facts.get("seconds"), None)


def executed_notebooks(notebooks: list[Path], jobs: int = 2, rerun: bool = False) -> dict[str, Executed]:
    """An executed copy of each notebook: the course run's, a reusable one, or a fresh quick run.

    Args:
        notebooks: the course notebooks (``notebooks/NN_topic.ipynb``).
        jobs: how many notebooks to run at once.
        rerun: run every notebook again under the quick profile, ignoring ``make course``'s copies.
    """
    if jobs < 1:
        raise ValueError(f"jobs={jobs!r} must be at least 1")
    chosen: dict[str, Executed] = {}
    waiting = []
    for notebook in notebooks:
        digest = inputs_digest(notebook)
        found = None if rerun else (_course_copy(notebook) or _site_copy(notebook, digest))
        if found is None:
            waiting.append(notebook)
        else:
            chosen[notebook.stem] = found
    if waiting:
        SITE_RUN_DIR.mkdir(parents=True, exist_ok=True)
        settings = " · ".join(f"{key}={value}" for key, value in SITE_RUN_ENV.items())
        print(f"running {len(waiting)} notebook(s) that make course has not run ({settings}), {jobs} at a time")
    environment = {**os.environ, **SITE_RUN_ENV}
    environment.pop("COURSE_RESULTS_DIR", None)  # the site's runs add nothing to the course report
    running: list[tuple[Path, subprocess.Popen]] = []
    while waiting or running:
        while waiting and len(running) < jobs:
            notebook = waiting.pop(0)
            command = [sys.executable, "-m", "course.site.execute", str(notebook), str(SITE_RUN_DIR / notebook.name)]
            running.append((notebook, subprocess.Popen(command, cwd=ROOT, env=environment)))
        time.sleep(0.2)
        for notebook, process in list(running):
            if process.poll() is None:
                continue
            running.remove((notebook, process))
            copy = SITE_RUN_DIR / notebook.name
            facts = json.loads(copy.read_text())["metadata"].get(METADATA_KEY, {}) if copy.exists() else {}
            error = facts.get("error") or (None if process.returncode == 0 else f"exit status {process.returncode}")
            chosen[notebook.stem] = Executed(copy, "site", facts.get("executed", ""), facts.get("seconds"), error)
    return {notebook.stem: chosen[notebook.stem] for notebook in notebooks}


def run_one(notebook: Path, out: Path, cell_timeout: int = 900) -> int:
    """Execute one notebook in a fresh kernel (working directory: its folder); write the copy."""
    import nbformat
    from nbclient import NotebookClient

    node = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        node, timeout=cell_timeout, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
    )
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except Exception as exc:  # a failing cell, a dead kernel, a timeout: the page shows it
        lines = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip().splitlines()  # without terminal colours
        error = lines[-1] if lines else repr(exc)
    seconds = round(time.perf_counter() - start, 1)
    node.metadata[METADATA_KEY] = {
        "digest": inputs_digest(notebook),
        "executed": started,
        "seconds": seconds,
        "error": error,
        **{key.lower(): os.environ.get(key, "") for key in SITE_RUN_ENV},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(node, out)
    state = "ok" if error is None else f"FAILED: {error}"
    print(f"  {notebook.name}: {seconds:.1f} s, {state}", flush=True)
    return 0 if error is None else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute one notebook for the course website.")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("out", type=Path, help="where to write the executed copy")
    parser.add_argument("--cell-timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    return run_one(args.notebook.resolve(), args.out, args.cell_timeout)


if __name__ == "__main__":
    sys.exit(main())
