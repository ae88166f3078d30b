"""Run course notebooks top to bottom and compile their results into one report.

``python -m course run [NOTEBOOK ...]`` runs every notebook of ``course/catalog.toml`` (or those named),
each in a fresh kernel under the profile (``--profile``, default ``full``), data (``--data``: ``offline``,
the stand-ins, or ``real``) and seed given; :func:`execute_notebook` is the one runner, which the website
calls too. Executed copies go to ``build/notebooks/`` (``build/real/notebooks/``); the metrics each
notebook records (:class:`utils.results.ResultsTable`) go to ``build/results.json`` (``build/real/``)
and the results board ``build/results.md``: every metric on the stand-ins and the real data side by
side with the lecture's figure and the course's targets (:data:`utils.goals.GOALS`), and wall times.
``--test-real`` (``make test-real``) runs the notebooks that load real data under nbval instead. The
exit status is 0 when every notebook ran and every target was met, 1 otherwise.
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
from datetime import datetime
from pathlib import Path

import nbformat

from course import BUILD_DIR, ROOT, shown_path
from course.catalog import entries, entry_for
from course.notebooks import NOTEBOOK_DIR, warnings_in_outputs
from utils.checks import check_choice, check_file, check_int, check_str, fail
from utils.datasets import DATA_DIR_ENV, data_dir
from utils.datasets import ENV_VAR as DATA_ENV
from utils.environment import DEFAULT_SEED, SEED_ENV, course_seed
from utils.goals import DATA_KINDS, DATA_LABELS, TARGETS, Target, lecture_figure
from utils.profile import ENV_VAR as PROFILE_ENV
from utils.profile import PROFILES
from utils.results import RESULTS_DIR_ENV

#: The committed snapshot of the full-profile runs: what the lessons and the README quote.
SNAPSHOT_DIR = ROOT / "results"

# The lecture figures and the targets of every metric: utils.goals.GOALS (one table, by notebook and metric).

#: Wall-time limits of whole notebooks in the full profile, by (notebook, data), in seconds.
WALL_TIME_LIMITS: dict[tuple[str, str], float] = {("09_seq2seq", "real"): 600.0}


def _data_kind(data: object) -> str:
    """``data`` if it is 'offline' or 'real' (the runs' two kinds of data), else ValueError."""
    return check_choice("data", data, DATA_KINDS)


def targets_for(notebook: str, metric: str, data: str) -> tuple[Target, ...]:
    """The targets of ``metric`` in ``notebook`` that apply to runs on ``data``."""
    data = _data_kind(data)
    return tuple(target for target in TARGETS.get((notebook, metric), ()) if target.applies_to(data))


@dataclass(frozen=True)
class Settings:
    """What a notebook's kernel is told, through its own environment (the runner's is left alone).

    ``results_dir``: where :class:`utils.results.ResultsTable` records the metrics (None: nowhere);
    ``data_dir``: a folder of real dataset files (:data:`utils.datasets.DATA_DIR_ENV`).
    """

    profile: str = "quick"
    data: str = "offline"
    seed: int | None = None  # None: utils.environment.course_seed() ($COURSE_SEED, else 42)
    results_dir: Path | None = None
    data_dir: Path | None = None

    def __post_init__(self):
        check_choice("profile", self.profile, PROFILES)
        _data_kind(self.data)
        object.__setattr__(self, "seed", course_seed(self.seed))  # frozen: the checked seed is stored this way

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """``base`` (default: this process's environment) with the course's settings put in."""
        env = dict(os.environ if base is None else base)
        env.update({PROFILE_ENV: self.profile, DATA_ENV: self.data, SEED_ENV: str(self.seed)})
        for name, folder in ((RESULTS_DIR_ENV, self.results_dir), (DATA_DIR_ENV, self.data_dir)):
            env.pop(name, None)
            if folder is not None:
                env[name] = str(Path(folder).resolve())
        return env


@dataclass
class Executed:
    """A notebook executed by :func:`execute_notebook`: the executed copy and how it went."""

    notebook: nbformat.NotebookNode
    seconds: float
    error: str | None
    warnings: list[str]


def execute_notebook(path: Path, settings: Settings, cell_timeout: int | None = None,
                     cwd: Path = NOTEBOOK_DIR) -> Executed:
    """Run a notebook top to bottom in a fresh kernel (working directory ``cwd``) under ``settings``.

    The one notebook runner of the course: ``python -m course run`` and the website call it. A failing
    cell, a dead kernel or a timeout ends the run and is reported in ``error`` (its last line), not raised.
    """
    from nbclient import NotebookClient

    path = check_file("path", path)
    if not isinstance(settings, Settings):
        raise fail("settings", settings, "a course.run.Settings", "e.g. Settings(profile='quick', data='offline')")
    cell_timeout = check_int("cell_timeout", cell_timeout, minimum=1, allow_none=True, hint="seconds per cell")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=cell_timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    start, error = time.perf_counter(), None
    try:
        client.execute(env=settings.environment())
    except Exception as exc:  # a failing cell, a dead kernel, a timeout: reported, not raised
        lines = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip().splitlines()  # without terminal colours
        error = lines[-1] if lines else repr(exc)
    seconds = time.perf_counter() - start
    found = [line for cell in notebook.cells if cell.cell_type == "code"
             for line in warnings_in_outputs(cell.get("outputs", []))]
    return Executed(notebook, seconds, error, found)


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
    again_by_stem = {run.stem: run.metrics for run in again}
    return [(run.stem, metric, run.metrics.get(metric), other.get(metric))
            for run in first if (other := again_by_stem.get(run.stem)) is not None
            for metric in sorted(set(run.metrics) | set(other))
            if is_timing_metric(metric) == timings and run.metrics.get(metric) != other.get(metric)]


def repeat_report(first: list[NotebookRun], repeats: list[list[NotebookRun]]) -> str:
    """Markdown: for each repeat, the metrics that differ from the first run (or that none does)."""
    lines = ["# Repeated runs: metrics that differ from the first run", ""]
    count = sum(1 for run in first for metric in run.metrics if not is_timing_metric(metric))
    for number, again in enumerate(repeats, start=2):
        lines += [f"## Run {number} against run 1 ({', '.join(run.stem for run in first)})", ""]
        failed = [run.stem for run in again if run.error is not None]
        lines += [f"Failed in run {number}: {', '.join(failed)}.", ""] if failed else []
        differences = differing_metrics(first, again)
        if not differences:
            lines.append(f"All {count} metrics identical (timings aside).")
        else:
            lines += [f"| notebook | metric | run 1 | run {number} | relative difference |",
                      "| --- | --- | ---: | ---: | ---: |"]
            for stem, metric, a, b in differences:
                numeric = all(isinstance(x, (int, float)) for x in (a, b)) and a
                relative = f"{abs(b - a) / abs(a):.2e}" if numeric else ""
                lines.append(f"| {stem} | `{metric}` | {a!r} | {b!r} | {relative} |")
            lines += ["", f"{len(differences)} of {count} metrics differ (timings aside)."]
        clocks = differing_metrics(first, again, timings=True)
        if clocks:
            lines += ["", f"Timings, which measure the machine and are not compared: {len(clocks)} differ "
                          f"({', '.join(f'{stem}/{metric}' for stem, metric, _, _ in clocks)})."]
        lines.append("")
    return "\n".join(lines)


def section_times(notebook: nbformat.NotebookNode) -> list[tuple[str, float]]:
    """(heading, seconds) of each ``##`` section of an executed notebook, from the cell timings that
    nbclient records (``metadata.execution``); cells before the first ``##`` heading count as "setup"."""
    if not isinstance(notebook, nbformat.NotebookNode):
        raise fail("notebook", notebook, "an executed notebook (nbformat.NotebookNode)")
    sections: list[tuple[str, float]] = [("setup", 0.0)]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            sections += [(line[3:].strip(), 0.0) for line in cell.source.splitlines() if line.startswith("## ")]
            continue
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
            sections[-1] = (sections[-1][0], sections[-1][1] + max(seconds, 0.0))
    return sections


def write_section_times(executed: dict[str, nbformat.NotebookNode], target: Path) -> Path:
    """Markdown table of each notebook's section times (:func:`section_times`), written to ``target``."""
    lines = ["# Run time by section", "",
             "From the cell timings of the executed notebooks of the last run (`python -m course run`).", ""]
    for stem, notebook in executed.items():
        sections = section_times(notebook)
        total = sum(seconds for _, seconds in sections) or 1.0
        lines += [f"## {stem}", "", "| section | seconds | share |", "| --- | ---: | ---: |"]
        lines += [f"| {heading} | {seconds:.1f} | {seconds / total:.0%} |" for heading, seconds in sections]
        lines.append("")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def resolve_notebooks(names: list[str]) -> list[Path]:
    """Notebook paths for stems, file names or paths (``course/catalog.toml``); all when ``names`` is empty."""
    if isinstance(names, (str, Path)) or not isinstance(names, (list, tuple)):
        raise fail("names", names, "a list of notebook names", f"pass [{str(names)!r}] for one notebook")
    return [entry_for(name).notebook for name in names] if names else [entry.notebook for entry in entries()]


def run_notebook(path: Path, settings: Settings, out_dir: Path, cell_timeout: int | None = None) -> NotebookRun:
    """Execute one notebook (:func:`execute_notebook`), save the executed copy to ``out_dir``, read its metrics."""
    if settings.results_dir is None:
        raise fail("settings.results_dir", None, "a folder", "the runner reads each notebook's metrics from it")
    raw_file = Path(settings.results_dir) / f"{Path(path).stem}.json"
    raw_file.unlink(missing_ok=True)
    executed = execute_notebook(path, settings, cell_timeout)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    nbformat.write(executed.notebook, Path(out_dir) / Path(path).name)
    metrics = _read_json(raw_file).get("metrics", {})
    return NotebookRun(Path(path).stem, executed.seconds, executed.error, executed.warnings, metrics)


def _check_runs(runs: object) -> None:
    if isinstance(runs, NotebookRun) or not isinstance(runs, (list, tuple)):
        raise fail("runs", runs, "a list of NotebookRun")
    for index, run in enumerate(runs):
        if not isinstance(run, NotebookRun):
            raise fail(f"runs[{index}]", run, "a NotebookRun")


def _format(value: float | None) -> str:
    if value is None:
        return ""
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3e}"
    return f"{value:.6f}"


def data_build_dir(build_dir: Path, data: str) -> Path:
    """Where a run on ``data`` keeps its records: ``build/`` for the stand-ins, ``build/real/`` for real data."""
    return build_dir if _data_kind(data) == "offline" else build_dir / data


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
    profile = check_choice("profile", profile, PROFILES)
    _check_runs(runs)
    folder = data_build_dir(Path(build_dir), data)
    folder.mkdir(parents=True, exist_ok=True)
    compiled = _read_json(folder / "results.json")
    timings = _read_json(folder / "timings.json")
    for run in runs:
        compiled[run.stem] = run.metrics
        timings[run.stem] = {"seconds": round(run.seconds, 1), "profile": profile, "data": data,
                             "error": run.error, "warnings": len(run.warnings)}
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
    return snapshot_dir / f"{_data_kind(data)}.json"


def read_snapshot(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> dict:
    """``{notebook: {"metrics": {...}, "seconds": wall time, "seed": ..., "versions": ...}}`` of the snapshot."""
    return _read_json(snapshot_path(data, snapshot_dir))


def seeds_path(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> Path:
    """The committed full runs under seeds other than the default: ``results/seeds/<data>.json``."""
    return snapshot_dir / "seeds" / f"{_data_kind(data)}.json"


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


def update_snapshot(runs: list[NotebookRun], data: str, snapshot_dir: Path = SNAPSHOT_DIR,
                    seed: int | None = None) -> Path:
    """Record full-profile runs that passed in the committed snapshot (other notebooks' entries are kept).

    Runs under the default seed (42) go to ``results/<data>.json``, the figures the lessons quote;
    runs under any other seed (``seed``, else ``$COURSE_SEED``) go to ``results/seeds/<data>.json``, by
    notebook and seed, from which the board and the lessons take the spread over seeds."""
    import platform

    _check_runs(runs)
    seed = course_seed(seed)
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
    lines = ["# Course results", "",
             "Written by `python -m course run` (`make course` for the stand-ins, `make course-real` for the real",
             "datasets). Targets apply to the full profile; a target marked *stand-in* or *real* applies to that",
             "data only, and a relative target is checked only where its reference metric exists.", "",
             "| notebook | metric | stand-in | real | lecture | target | met |",
             "| --- | --- | ---: | ---: | ---: | --- | --- |"]
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


def notebook_datasets(name: str | Path) -> list[str]:
    """The real datasets a notebook loads, from its ``course/catalog.toml`` entry."""
    return list(entry_for(name).datasets)


def missing_real_files(dataset: str) -> list[str]:
    """The files of a real dataset found neither in ``COURSE_DATA_DIR`` nor (hash-checked) in the Keras cache.

    Raises:
        utils.datasets.DataFileError: when ``COURSE_DATA_DIR`` holds a file with a wrong hash.
    """
    from utils import datasets

    dataset = check_choice("dataset", dataset, tuple(datasets.REMOTE_FILES))
    return [remote.fname for remote in datasets.REMOTE_FILES[dataset] if datasets.local_file(remote) is None]


def real_data_plan(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """For each notebook: None when it can run on real data from local files, else why it is left out."""
    folder = data_dir()
    where = f"{DATA_DIR_ENV} ({folder})" if folder else f"{DATA_DIR_ENV} (not set)"
    plan = []
    for path in paths:
        needed = notebook_datasets(path)
        missing = [name for dataset in needed for name in missing_real_files(dataset)]
        reason = None
        if not needed:
            reason = "it loads no real dataset (its data is generated)"
        elif missing:
            reason = f"{', '.join(missing)} is in neither {where} nor the Keras cache"
        plan.append((path, reason))
    return plan


def test_real(names: list[str]) -> int:
    """``make test-real``: the text notebooks under nbval on real data (quick profile)."""
    import subprocess

    plan = real_data_plan(resolve_notebooks(names))
    chosen = [path for path, reason in plan if reason is None]
    for path, reason in plan:
        if reason is not None and notebook_datasets(path):
            print(f"test-real: leaving out {path.stem}: {reason}")
    if not chosen:
        print("test-real: no notebook has its real data here; set COURSE_DATA_DIR to a folder of dataset files.")
        return 1
    print(f"test-real: running {', '.join(p.stem for p in chosen)} on real data (quick profile)", flush=True)
    env = Settings("quick", "real", data_dir=data_dir()).environment()
    command = [sys.executable, "-m", "pytest", *[str(p.relative_to(ROOT)) for p in chosen], "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def _run_all(paths: list[Path], settings: Settings, out_dir: Path, cell_timeout: int | None,
             label: str) -> list[NotebookRun]:
    """Run each notebook in turn, saying how it went."""
    runs = []
    for path in paths:
        print(f"{label}{path.name} ({settings.profile} profile, {DATA_LABELS[settings.data]} data) ...", flush=True)
        run = run_notebook(path, settings, out_dir, cell_timeout)
        state = "ok" if run.error is None else f"FAILED: {run.error}"
        print(f"  {run.seconds:.1f} s, {len(run.metrics)} metrics, {len(run.warnings)} warnings: {state}", flush=True)
        for line in run.warnings[:5]:
            print(f"  warning: {line}")
        runs.append(run)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run course notebooks and compile their results.")
    parser.add_argument("notebooks", nargs="*", help="notebook stems, file names or paths (default: all)")
    parser.add_argument("--profile", choices=PROFILES, default="full")
    parser.add_argument("--data", choices=DATA_KINDS, default="offline",
                        help="offline: the generated stand-ins (default); real: the real datasets, from "
                             "COURSE_DATA_DIR or the Keras cache (results under build/real/)")
    parser.add_argument("--seed", type=int, default=None, help="the notebooks' seed (default: $COURSE_SEED, else 42)")
    parser.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell (default: none)")
    parser.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                        help="do not record full-profile results in results/<data>.json (the committed snapshot)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run the notebooks N times (N >= 2) and report every metric that differs between "
                             "runs (build/<data>/repeat.md); the snapshot and the report come from the first run")
    parser.add_argument("--test-real", action="store_true",
                        help="run the notebooks that load real data under pytest/nbval, quick profile, real data")
    args = parser.parse_args(argv)
    try:
        if args.cell_timeout is not None:
            check_int("--cell-timeout", args.cell_timeout, minimum=1, hint="a whole number of seconds")
        check_int("--repeat", args.repeat, minimum=1, hint="2 or more to compare runs")
        paths = resolve_notebooks(args.notebooks)
        if args.test_real:
            return test_real(args.notebooks)
        if args.data == "real":
            plan = real_data_plan(paths)
            for path, reason in plan:
                if reason is not None and (args.notebooks or notebook_datasets(path)):
                    print(f"leaving out {path.stem}: {reason}")
            paths = [path for path, reason in plan if reason is None]
        # Another seed's runs keep their own records, so that they never replace the default seed's board.
        seed = course_seed(args.seed)
        build_root = BUILD_DIR if seed == DEFAULT_SEED else BUILD_DIR / "seeds" / str(seed)
        records = data_build_dir(build_root, args.data)
        settings = Settings(args.profile, args.data, seed, records / "results-raw", data_dir())
    except ValueError as exc:
        parser.error(str(exc))
    if not paths:
        parser.error("no notebook to run")
    settings.results_dir.mkdir(parents=True, exist_ok=True)  # runs on both data may go on at once
    out_dir = records / "notebooks"
    runs = _run_all(paths, settings, out_dir, args.cell_timeout, "running ")
    ok = write_report(runs, args.profile, build_root, data=args.data)
    executed = {path.stem: nbformat.read(out_dir / path.name, as_version=4) for path in paths
                if (out_dir / path.name).exists()}
    print(f"wrote {shown_path(write_section_times(executed, records / 'sections.md'))}")
    if args.profile == "full" and args.snapshot:
        print(f"updated the snapshot {shown_path(update_snapshot(runs, args.data, seed=seed))}")
    print(f"wrote {shown_path(build_root / 'results.md')} and {shown_path(records / 'results.json')}")
    if args.repeat >= 2:
        repeats = []
        for number in range(2, args.repeat + 1):
            again = Settings(args.profile, args.data, seed, settings.results_dir / f"repeat-{number}", data_dir())
            again.results_dir.mkdir(parents=True, exist_ok=True)
            repeats.append(_run_all(paths, again, records / f"notebooks-repeat-{number}", args.cell_timeout,
                                    f"run {number}: "))
        report = repeat_report(runs, repeats)
        (records / "repeat.md").write_text(report + "\n", encoding="utf-8")
        print(report)
        print(f"wrote {shown_path(records / 'repeat.md')}")
        ok &= not any(differing_metrics(runs, again) for again in repeats)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
