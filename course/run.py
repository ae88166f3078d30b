"""Run course notebooks top to bottom and compile their results into one report.

``python -m course run`` runs every notebook in ``notebooks/``; ``python -m course run
01_sequence_models 03_deep_rnn`` runs a subset (by file stem, file name or path). Each notebook
runs in a fresh kernel under the chosen profile (``--profile``, default ``full``) and data
(``--data``: ``offline``, the generated stand-ins, by default; ``real``, the real datasets from
``COURSE_DATA_DIR`` or the Keras cache, for the notebooks that load one). The executed copies go
to ``build/notebooks/`` (``build/real/notebooks/`` for real data). The metrics each notebook
records through :class:`utils.results.ResultsTable` are compiled into

* ``build/results.json`` (``build/real/results.json``): ``{notebook stem: {metric: value}}``
  (a subset run updates only its notebooks' entries), and ``timings.json`` beside it;
* ``build/results.md``, the results board: each metric's stand-in and real value side by side,
  the lecture's figure and the course's targets (:data:`utils.goals.GOALS`), and each notebook's
  wall time on each data.

``python -m course run --test-real`` (``make test-real``) runs the notebooks that load real
data under pytest / nbval in the quick profile on the real data, and says which it left out and
why. The exit status is 0 when every notebook ran and every target was met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from course.notebooks import NOTEBOOK_DIR, ROOT, notebook_paths, warnings_in_outputs
from utils.checks import check_choice, check_file, check_int, check_str, fail
from utils.environment import DEFAULT_SEED
from utils.goals import DATA_KINDS, DATA_LABELS, TARGETS, Target, lecture_figure
from utils.results import RESULTS_DIR_ENV

BUILD_DIR = ROOT / "build"
#: The committed snapshot of the full-profile runs: what the lessons and the README quote.
SNAPSHOT_DIR = ROOT / "results"

# The lecture figures and the targets of every metric: utils.goals.GOALS (one table, by notebook and metric).

#: Wall-time limits of whole notebooks in the full profile, by (notebook, data), in seconds.
WALL_TIME_LIMITS: dict[tuple[str, str], float] = {("09_seq2seq", "real"): 600.0}


def targets_for(notebook: str, metric: str, data: str) -> tuple[Target, ...]:
    """The targets of ``metric`` in ``notebook`` that apply to runs on ``data``."""
    data = check_choice("data", data, DATA_KINDS)
    return tuple(target for target in TARGETS.get((notebook, metric), ()) if target.applies_to(data))


@dataclass
class NotebookRun:
    """The outcome of running one notebook."""

    stem: str
    seconds: float
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)


#: Metrics that measure wall-clock time (tokens per second, seconds, speed ratios): they differ from
#: run to run on any machine, so repeated runs report them apart and do not count them as differences.
TIMING_METRIC = re.compile(r"(_per_s|_seconds|_speed_ratio|_speedup)$")


def is_timing_metric(name: str) -> bool:
    """Whether a metric's name marks it as a wall-clock measurement (see :data:`TIMING_METRIC`)."""
    return bool(TIMING_METRIC.search(check_str("name", name, nonempty=True)))


def differing_metrics(first: list[NotebookRun], again: list[NotebookRun],
                      timings: bool = False) -> list[tuple[str, str, object, object]]:
    """Every metric whose value differs between two runs of the same notebooks, as (notebook, metric, a, b).

    Values are compared exactly (two runs from the same seed on the same machine and versions
    should agree to the last bit); a metric recorded by only one of the runs counts as differing,
    with ``None`` for the missing value. Notebooks present in only one list are ignored. Timing
    metrics (:func:`is_timing_metric`) are left out, or with ``timings=True`` are the only ones compared.
    """
    again_by_stem = {run.stem: run for run in again}
    found = []
    for run in first:
        other = again_by_stem.get(run.stem)
        if other is None:
            continue
        for metric in sorted(set(run.metrics) | set(other.metrics)):
            if is_timing_metric(metric) != timings:
                continue
            a, b = run.metrics.get(metric), other.metrics.get(metric)
            if a != b:
                found.append((run.stem, metric, a, b))
    return found


def repeat_report(first: list[NotebookRun], repeats: list[list[NotebookRun]]) -> str:
    """Markdown: for each repeat, the metrics that differ from the first run (or that none does)."""
    lines = ["# Repeated runs: metrics that differ from the first run", ""]
    for number, again in enumerate(repeats, start=2):
        differences = differing_metrics(first, again)
        failed = [run.stem for run in again if run.error is not None]
        compared = ", ".join(run.stem for run in first)
        lines.append(f"## Run {number} against run 1 ({compared})")
        lines.append("")
        if failed:
            lines.append(f"Failed in run {number}: {', '.join(failed)}.")
            lines.append("")
        count = sum(1 for run in first for metric in run.metrics if not is_timing_metric(metric))
        if not differences:
            lines.append(f"All {count} metrics identical (timings aside).")
        else:
            lines += [f"| notebook | metric | run 1 | run {number} | relative difference |",
                      "| --- | --- | ---: | ---: | ---: |"]
            for stem, metric, a, b in differences:
                relative = ""
                if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a != 0:
                    relative = f"{abs(b - a) / abs(a):.2e}"
                lines.append(f"| {stem} | `{metric}` | {a!r} | {b!r} | {relative} |")
            lines += ["", f"{len(differences)} of {count} metrics differ (timings aside)."]
        clocks = differing_metrics(first, again, timings=True)
        if clocks:
            lines += ["", f"Timings, which measure the machine and are not compared: {len(clocks)} differ "
                          f"({', '.join(f'{stem}/{metric}' for stem, metric, _, _ in clocks)})."]
        lines.append("")
    return "\n".join(lines)


def section_times(path: Path) -> list[tuple[str, float]]:
    """(heading, seconds) of each ``##`` section of an executed notebook, from the cell timings that
    nbclient records (``metadata.execution``); cells before the first ``##`` heading count as "setup"."""
    from datetime import datetime

    import nbformat

    path = check_file("path", path)
    sections: list[tuple[str, float]] = [("setup", 0.0)]
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    sections.append((line[3:].strip(), 0.0))
            continue
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            seconds = (datetime.fromisoformat(end.replace("Z", "+00:00"))
                       - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
            heading, total = sections[-1]
            sections[-1] = (heading, total + max(seconds, 0.0))
    return sections


def write_section_times(paths: list[Path], target: Path) -> Path:
    """Markdown table of each notebook's section times (:func:`section_times`), written to ``target``."""
    lines = ["# Run time by section", "",
             "From the cell timings of the executed notebooks of the last run (`python -m course run`).", ""]
    for path in paths:
        sections = section_times(path)
        total = sum(seconds for _, seconds in sections) or 1.0
        lines += [f"## {Path(path).stem}", "", "| section | seconds | share |", "| --- | ---: | ---: |"]
        lines += [f"| {heading} | {seconds:.1f} | {seconds / total:.0%} |" for heading, seconds in sections]
        lines.append("")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def resolve_notebooks(names: list[str]) -> list[Path]:
    """Notebook paths for stems, file names or paths; all notebooks when ``names`` is empty."""
    if isinstance(names, (str, Path)):
        raise fail("names", names, "a list of notebook names", f"pass [{str(names)!r}] for one notebook")
    available = {path.stem: path for path in notebook_paths()}
    if not names:
        return list(available.values())
    chosen = []
    for name in names:
        stem = Path(name).stem
        if stem not in available:
            raise ValueError(
                f"notebook {name!r} is not in notebooks/; choose from: {', '.join(available)}"
            )
        chosen.append(available[stem])
    return chosen


def run_notebook(path: Path, raw_dir: Path, out_dir: Path, cell_timeout: int | None) -> NotebookRun:
    """Execute one notebook in a fresh kernel (cwd: notebooks/), save the executed copy."""
    path = check_file("path", path)
    cell_timeout = check_int("cell_timeout", cell_timeout, minimum=1, allow_none=True, hint="seconds per cell")
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    raw_file = raw_dir / f"{path.stem}.json"
    raw_file.unlink(missing_ok=True)
    client = NotebookClient(
        notebook,
        timeout=cell_timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
    except Exception as exc:  # a dead kernel, a timeout: report it, go on with the next notebook
        error = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, out_dir / path.name)
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            found += warnings_in_outputs(cell.get("outputs", []))
    metrics = {}
    if raw_file.exists():
        metrics = _read_json(raw_file).get("metrics", {})
    return NotebookRun(path.stem, seconds, error, found, metrics)


def _format(value: float | None) -> str:
    if value is None:
        return ""
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3e}"
    return f"{value:.6f}"


def data_build_dir(build_dir: Path, data: str) -> Path:
    """Where a run on ``data`` keeps its records: ``build/`` for the stand-ins, ``build/real/`` for real data."""
    if data not in DATA_KINDS:
        raise ValueError(f"data={data!r} must be one of {', '.join(DATA_KINDS)}.")
    return build_dir if data == "offline" else build_dir / data


def _read_json(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        record = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON ({error}); delete it and run the notebooks again.") from None
    if not isinstance(record, dict):
        raise ValueError(f"{path} does not hold a JSON object; delete it and run the notebooks again.")
    return record


def _check(notebook: str, metric: str, value: float, metrics: dict[str, float], data: str) -> list[tuple[bool, str]]:
    """(met, verdict text) for each checkable target of the metric on this data."""
    verdicts = []
    for target in targets_for(notebook, metric, data):
        checked = target.measure(value, metrics)
        if checked is None:
            continue
        ok = math.isfinite(checked) and target.met(checked)
        verdict = "yes" if ok else "**no**"
        if target.reference is not None:
            verdict += f" ({checked:.4g})"
        verdicts.append((ok, verdict))
    return verdicts


def write_report(runs: list[NotebookRun], profile: str, build_dir: Path, data: str = "offline") -> bool:
    """Record the runs on ``data`` and rewrite the results board; True when every run and target passed.

    The runs' metrics and timings go to ``results.json`` and ``timings.json`` of
    :func:`data_build_dir` (a subset run updates only its notebooks' entries). The board,
    ``build_dir/results.md``, shows every metric's stand-in and real value side by side, with
    the lecture's figure and the targets, and each notebook's wall time on each data.
    """
    profile = check_choice("profile", profile, ("full", "quick"))
    if isinstance(runs, NotebookRun) or not isinstance(runs, (list, tuple)):
        raise fail("runs", runs, "a list of NotebookRun")
    for index, run in enumerate(runs):
        if not isinstance(run, NotebookRun):
            raise fail(f"runs[{index}]", run, "a NotebookRun")
    folder = data_build_dir(Path(build_dir), data)
    folder.mkdir(parents=True, exist_ok=True)
    compiled = _read_json(folder / "results.json")
    timings = _read_json(folder / "timings.json")
    for run in runs:
        compiled[run.stem] = run.metrics
        timings[run.stem] = {
            "seconds": round(run.seconds, 1),
            "profile": profile,
            "data": data,
            "error": run.error,
            "warnings": len(run.warnings),
        }
    (folder / "results.json").write_text(json.dumps(dict(sorted(compiled.items())), indent=2) + "\n")
    (folder / "timings.json").write_text(json.dumps(dict(sorted(timings.items())), indent=2) + "\n")

    all_ok = True
    for run in runs:
        all_ok &= run.error is None and not run.warnings
        if profile != "full":
            continue
        for metric, value in run.metrics.items():
            all_ok &= all(ok for ok, _ in _check(run.stem, metric, value, run.metrics, data))
        limit = WALL_TIME_LIMITS.get((run.stem, data))
        all_ok &= limit is None or run.seconds <= limit
    write_board(build_dir)
    return all_ok


def snapshot_path(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> Path:
    """The committed snapshot of the full runs on ``data``: ``results/offline.json`` or ``results/real.json``."""
    if data not in DATA_KINDS:
        raise ValueError(f"data={data!r} must be one of {', '.join(DATA_KINDS)}.")
    return snapshot_dir / f"{data}.json"


def read_snapshot(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> dict:
    """``{notebook: {"metrics": {...}, "seconds": wall time, "seed": ..., "versions": ...}}`` of the snapshot."""
    return _read_json(snapshot_path(data, snapshot_dir))


def seeds_path(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> Path:
    """The committed full runs under seeds other than the default: ``results/seeds/<data>.json``."""
    if data not in DATA_KINDS:
        raise ValueError(f"data={data!r} must be one of {', '.join(DATA_KINDS)}.")
    return snapshot_dir / "seeds" / f"{data}.json"


def read_seed_runs(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> dict:
    """``{notebook: {seed: {"metrics": {...}, "seconds": ...}}}``: every seed's full run, the default seed's
    from the snapshot (:func:`read_snapshot`), the others' from :func:`seeds_path` (seeds as ints)."""
    runs: dict[str, dict[int, dict]] = {}
    for stem, entry in read_snapshot(data, snapshot_dir).items():
        runs.setdefault(stem, {})[int(entry.get("seed", DEFAULT_SEED))] = entry
    for stem, by_seed in _read_json(seeds_path(data, snapshot_dir)).items():
        for seed, entry in by_seed.items():
            runs.setdefault(stem, {})[int(seed)] = entry
    return runs


def headline_metrics(notebook: str) -> list[str]:
    """A notebook's headline metrics: those the course sets a target for or the lecture reports, and
    the comparisons its lesson states (:data:`utils.goals.EXTRA_HEADLINES`)."""
    from utils.goals import EXTRA_HEADLINES, LECTURE_FIGURES

    names = [metric for (stem, metric) in TARGETS if stem == notebook]
    names += [metric for (stem, metric) in LECTURE_FIGURES if stem == notebook and metric not in names]
    names += [metric for metric in EXTRA_HEADLINES.get(notebook, ()) if metric not in names]
    return names


def seed_spread(values: list[float]) -> float:
    """How far runs under different seeds lie apart: (largest - smallest) / |mean|, or 0 when the mean is 0."""
    if not isinstance(values, (list, tuple)) or len(values) < 2:
        raise fail("values", values, "a list of at least two numbers, one per seed")
    mean = sum(values) / len(values)
    return 0.0 if mean == 0 else (max(values) - min(values)) / abs(mean)


def update_snapshot(runs: list[NotebookRun], data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> Path:
    """Record full-profile runs that passed in the committed snapshot (other notebooks' entries are kept).

    Runs under the default seed (42) go to ``results/<data>.json``, the figures the lessons quote;
    runs under any other ``$COURSE_SEED`` go to ``results/seeds/<data>.json``, by notebook and seed,
    from which the board and the lessons take the spread over seeds."""
    import platform

    from utils.environment import course_seed

    if isinstance(runs, NotebookRun) or not isinstance(runs, (list, tuple)):
        raise fail("runs", runs, "a list of NotebookRun")
    seed = course_seed()  # $COURSE_SEED, checked
    path = snapshot_path(data, snapshot_dir) if seed == DEFAULT_SEED else seeds_path(data, snapshot_dir)
    snapshot = _read_json(path)
    for run in runs:
        if run.error is not None or run.warnings:
            continue
        entry = {
            "metrics": {name: float(value) for name, value in run.metrics.items()},
            "seconds": round(run.seconds, 1),
            "seed": seed,
            "python": platform.python_version(),
            "machine": f"{os.cpu_count()} CPU cores",
        }
        if seed == DEFAULT_SEED:
            snapshot[run.stem] = entry
        else:
            by_seed = snapshot.setdefault(run.stem, {})
            by_seed[str(seed)] = entry
            snapshot[run.stem] = dict(sorted(by_seed.items(), key=lambda item: int(item[0])))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(snapshot.items())), indent=2) + "\n")
    return path


def _spread_lines(snapshot_dir: Path = SNAPSHOT_DIR) -> list[str]:
    """The board's table of the headline metrics under every seed of the committed full runs."""
    lines = ["", "## Spread over seeds", "",
             "The headline metrics (those with a target or a lecture figure) of the committed full runs",
             f"(`results/<data>.json`, seed {DEFAULT_SEED}, and `results/seeds/<data>.json`, written by",
             "`COURSE_SEED=<seed> python -m course run ...`). Spread: (largest − smallest) ÷ |mean|.", "",
             "| notebook | data | metric | seeds | values | spread |", "| --- | --- | --- | --- | --- | ---: |"]
    rows = 0
    for data in DATA_KINDS:
        for stem, by_seed in sorted(read_seed_runs(data, snapshot_dir).items()):
            if len(by_seed) < 2:
                continue
            seeds = sorted(by_seed)
            for metric in headline_metrics(stem):
                values = [by_seed[seed].get("metrics", {}).get(metric) for seed in seeds]
                shown = [(seed, value) for seed, value in zip(seeds, values) if value is not None]
                if len(shown) < 2:
                    continue
                spread = seed_spread([value for _, value in shown])
                lines.append(f"| {stem} | {DATA_LABELS[data]} | `{metric}` | {', '.join(str(s) for s, _ in shown)} | "
                             f"{', '.join(_format(v) for _, v in shown)} | {spread:.1%} |")
                rows += 1
    if not rows:
        lines.append("| (no notebook has full runs under two seeds yet) | | | | | |")
    return lines


def write_board(build_dir: Path) -> Path:
    """Write ``build_dir/results.md`` from the recorded runs on the stand-ins and on the real data."""
    records = {data: _read_json(data_build_dir(build_dir, data) / "results.json") for data in DATA_KINDS}
    timings = {data: _read_json(data_build_dir(build_dir, data) / "timings.json") for data in DATA_KINDS}
    lines = [
        "# Course results",
        "",
        "Written by `python -m course run` (`make course` for the stand-ins, `make course-real` for the real",
        "datasets). Targets apply to the full profile; a target marked *stand-in* or *real* applies to that",
        "data only, and a relative target is checked only where its reference metric exists.",
        "",
        "| notebook | metric | stand-in | real | lecture | target | met |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for stem in sorted(set(records["offline"]) | set(records["real"])):
        metric_names = list(records["offline"].get(stem, {}))
        metric_names += [m for m in records["real"].get(stem, {}) if m not in metric_names]
        for metric in metric_names:
            values = {data: records[data].get(stem, {}).get(metric) for data in DATA_KINDS}
            verdicts = []
            for data in DATA_KINDS:
                full = timings[data].get(stem, {}).get("profile") == "full"
                if values[data] is None or not full:
                    continue
                found = _check(stem, metric, values[data], records[data][stem], data)
                if found:
                    verdicts.append(f"{DATA_LABELS[data]}: " + ", ".join(text for _, text in found))
            targets = TARGETS.get((stem, metric), ())
            lines.append(
                f"| {stem} | `{metric}` | {_format(values['offline'])} | {_format(values['real'])} | "
                f"{_format(lecture_figure(stem, metric))} | {'; '.join(t.describe() for t in targets)} | "
                f"{'; '.join(verdicts)} |"
            )
    lines += _spread_lines()
    lines += ["", "| notebook | data | profile | wall time | limit | status | warnings |",
              "| --- | --- | --- | ---: | ---: | --- | ---: |"]
    for data in DATA_KINDS:
        for stem, timing in timings[data].items():
            status = "ok" if timing["error"] is None else f"**failed**: {timing['error']}"
            limit = WALL_TIME_LIMITS.get((stem, data))
            if limit is not None and timing["profile"] == "full" and timing["seconds"] > limit:
                status += " (**over the limit**)"
            lines.append(
                f"| {stem} | {DATA_LABELS[data]} | {timing['profile']} | {timing['seconds']:.1f} s | "
                f"{'' if limit is None else f'{limit:.0f} s'} | {status} | {timing['warnings']} |"
            )
    board = build_dir / "results.md"
    build_dir.mkdir(parents=True, exist_ok=True)
    board.write_text("\n".join(lines) + "\n")
    return board


#: The loaders of real datasets, by the dataset they load (utils.datasets.REMOTE_FILES keys).
LOADER_DATASETS = {
    "load_time_machine": "time_machine",
    "load_shakespeare": "shakespeare",
    "load_imdb": "imdb",
    "load_imdb_word_index": "imdb",
    "load_translation_pairs": "fra_eng",
}


#: Notebooks whose checks do not all hold on their real dataset yet: ``make test-real`` and
#: ``make course-real`` leave them out and say why (each entry is work in progress, not a waiver).
REAL_DATA_PENDING: dict[str, str] = {}  # notebook -> why its checks cannot run on the real data yet


def notebook_datasets(path: Path) -> list[str]:
    """The real datasets a notebook loads, found from the loader calls in its code cells."""
    import re

    import nbformat

    path = check_file("path", path)

    source = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")
    found = {LOADER_DATASETS[name] for name in re.findall(r"\b(load_[a-z_]+)\(", source) if name in LOADER_DATASETS}
    return sorted(found)


def missing_real_files(dataset: str) -> list[str]:
    """The files of a real dataset found neither in ``COURSE_DATA_DIR`` nor (hash-checked) in the Keras cache.

    Raises:
        utils.datasets.DataFileError: when ``COURSE_DATA_DIR`` holds a file with a wrong hash.
    """
    from utils import datasets

    dataset = check_choice("dataset", dataset, tuple(datasets.REMOTE_FILES))

    missing = []
    for remote in datasets.REMOTE_FILES[dataset]:
        if datasets._from_data_dir(remote) is not None:
            continue
        cached = datasets.cache_dir() / remote.fname
        if cached.exists() and datasets.file_digest(cached, remote.hash_algorithm) == remote.file_hash:
            continue
        missing.append(remote.fname)
    return missing


def real_data_plan(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """For each notebook: None when it can run on real data from local files, else why it is left out."""
    from utils.datasets import DATA_DIR_ENV, data_dir

    folder = data_dir()
    where = f"{DATA_DIR_ENV} ({folder})" if folder else f"{DATA_DIR_ENV} (not set)"
    plan = []
    for path in paths:
        needed = notebook_datasets(path)
        if not needed:
            plan.append((path, "it loads no real dataset (its data is generated)"))
            continue
        if path.stem in REAL_DATA_PENDING:
            plan.append((path, REAL_DATA_PENDING[path.stem]))
            continue
        missing = [name for dataset in needed for name in missing_real_files(dataset)]
        reason = None
        if missing:
            reason = f"{', '.join(missing)} is in neither {where} nor the Keras cache"
        plan.append((path, reason))
    return plan


def _absolute_data_dir() -> None:
    """Make ``COURSE_DATA_DIR`` absolute: notebook kernels run in notebooks/, not here."""
    from utils.datasets import DATA_DIR_ENV, data_dir

    folder = data_dir()
    if folder is not None:
        os.environ[DATA_DIR_ENV] = str(folder)


def test_real(names: list[str]) -> int:
    """``make test-real``: the text notebooks under nbval on real data (quick profile)."""
    import subprocess

    _absolute_data_dir()
    plan = real_data_plan(resolve_notebooks(names))
    chosen = [path for path, reason in plan if reason is None]
    for path, reason in plan:
        if reason is not None and notebook_datasets(path):
            print(f"test-real: leaving out {path.stem}: {reason}")
    if not chosen:
        print("test-real: no notebook has its real data here; set COURSE_DATA_DIR to a folder of dataset files.")
        return 1
    print(f"test-real: running {', '.join(p.stem for p in chosen)} on real data (quick profile)", flush=True)
    env = dict(os.environ, COURSE_PROFILE="quick", COURSE_DATA="real")
    command = [sys.executable, "-m", "pytest", *[str(p.relative_to(ROOT)) for p in chosen], "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def _positive_seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--cell-timeout {text!r} is not a whole number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"--cell-timeout {value} must be a positive number of seconds")
    return value


def _shown(path: Path) -> Path:
    """A path as printed: relative to the repository when it lies inside it."""
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run course notebooks and compile their results.")
    parser.add_argument("notebooks", nargs="*", help="notebook stems, file names or paths (default: all)")
    parser.add_argument("--profile", choices=("full", "quick"), default="full")
    parser.add_argument("--data", choices=DATA_KINDS, default="offline",
                        help="offline: the generated stand-ins (default); real: the real datasets, from "
                             "COURSE_DATA_DIR or the Keras cache (results under build/real/)")
    parser.add_argument("--cell-timeout", type=_positive_seconds, default=None,
                        help="seconds per cell (default: none)")
    parser.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                        help="do not record full-profile results in results/<data>.json (the committed snapshot)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run the notebooks N times (N >= 2) and report every metric that differs between "
                             "runs (build/<data>/repeat.md); the snapshot and the report come from the first run")
    parser.add_argument("--test-real", action="store_true",
                        help="run the notebooks that load real data under pytest/nbval, quick profile, real data")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat} must be at least 1 (2 or more to compare runs)")
    try:
        paths = resolve_notebooks(args.notebooks)
        if args.test_real:
            return test_real(args.notebooks)
        _absolute_data_dir()
        if args.data == "real":
            plan = real_data_plan(paths)
            for path, reason in plan:
                if reason is not None and (args.notebooks or notebook_datasets(path)):
                    print(f"leaving out {path.stem}: {reason}")
            paths = [path for path, reason in plan if reason is None]
    except ValueError as exc:
        parser.error(str(exc))
    if not paths:
        parser.error("no notebook to run")
    from utils.environment import course_seed

    try:
        seed = course_seed()
    except ValueError as exc:
        parser.error(str(exc))
    # Another seed's runs keep their own records, so that they never replace the default seed's board.
    build_root = BUILD_DIR if seed == DEFAULT_SEED else BUILD_DIR / "seeds" / str(seed)
    raw_dir = data_build_dir(build_root, args.data) / "results-raw"  # runs on both data may go on at once
    raw_dir.mkdir(parents=True, exist_ok=True)
    os.environ["COURSE_PROFILE"] = args.profile
    os.environ["COURSE_DATA"] = args.data
    os.environ[RESULTS_DIR_ENV] = str(raw_dir)
    out_dir = data_build_dir(build_root, args.data) / "notebooks"
    runs = []
    for path in paths:
        print(f"running {path.name} ({args.profile} profile, {DATA_LABELS[args.data]} data) ...", flush=True)
        run = run_notebook(path, raw_dir, out_dir, args.cell_timeout)
        state = "ok" if run.error is None else f"FAILED: {run.error}"
        print(f"  {run.seconds:.1f} s, {len(run.metrics)} metrics, {len(run.warnings)} warnings: {state}", flush=True)
        for line in run.warnings[:5]:
            print(f"  warning: {line}")
        runs.append(run)
    ok = write_report(runs, args.profile, build_root, data=args.data)
    executed = [out_dir / path.name for path in paths if (out_dir / path.name).exists()]
    if executed:
        print(f"wrote {_shown(write_section_times(executed, data_build_dir(build_root, args.data) / 'sections.md'))}")
    if args.profile == "full" and args.snapshot:
        print(f"updated the snapshot {_shown(update_snapshot(runs, args.data))}")
    records = data_build_dir(build_root, args.data) / "results.json"
    print(f"wrote {_shown(build_root / 'results.md')} and {_shown(records)}")
    if args.repeat >= 2:
        repeats = []
        for number in range(2, args.repeat + 1):
            again = []
            for path in paths:
                print(f"run {number}: {path.name} ...", flush=True)
                repeat_raw = raw_dir / f"repeat-{number}"
                repeat_raw.mkdir(parents=True, exist_ok=True)
                os.environ[RESULTS_DIR_ENV] = str(repeat_raw)
                run = run_notebook(path, repeat_raw, out_dir.parent / f"notebooks-repeat-{number}", args.cell_timeout)
                print(f"  {run.seconds:.1f} s, {len(run.metrics)} metrics", flush=True)
                again.append(run)
            repeats.append(again)
        os.environ[RESULTS_DIR_ENV] = str(raw_dir)
        report = repeat_report(runs, repeats)
        target = data_build_dir(build_root, args.data) / "repeat.md"
        target.write_text(report + "\n", encoding="utf-8")
        print(report)
        print(f"wrote {_shown(target)}")
        if any(differing_metrics(runs, again) for again in repeats):
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
