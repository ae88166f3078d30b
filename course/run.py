"""Run course notebooks top to bottom and compile their results into one report.

``python -m course run [NOTEBOOK ...]`` runs the catalog's notebooks (or those named) in fresh kernels through
:func:`execute_notebook`, the one runner (the website's too), and writes the executed copies, the metrics and the
board (both data's metrics beside the lecture's figures and targets) under ``build/``. Exit status 0 when every
notebook ran and met its targets.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import nbformat

from course import BUILD_DIR, ROOT, shown_path
from course.catalog import entries, entry_for
from course.notebooks import NOTEBOOK_DIR, warnings_in_outputs, write_notebook
from utils.checks import check_choice, check_file, check_int, check_sequence, check_str, fail
from utils.datasets import DATA_DIR_ENV, data_dir
from utils.datasets import ENV_VAR as DATA_ENV
from utils.environment import DEFAULT_SEED, SEED_ENV, course_seed
from utils.goals import DATA_KINDS, DATA_LABELS, EXTRA_HEADLINES, LECTURE_FIGURES, TARGETS, Target, lecture_figure
from utils.profile import ENV_VAR as PROFILE_ENV
from utils.profile import PROFILES
from utils.results import RESULTS_DIR_ENV

#: The committed snapshot of the full-profile runs: what the lessons and the README quote.
SNAPSHOT_DIR = ROOT / "results"
#: Wall-time limits of whole notebooks in the full profile, by (notebook, data), in seconds.
WALL_TIME_LIMITS: dict[tuple[str, str], float] = {("09_seq2seq", "real"): 600.0}


def targets_for(notebook: str, metric: str, data: str) -> tuple[Target, ...]:
    """The targets of ``metric`` in ``notebook`` that apply to runs on ``data``."""
    data = check_choice("data", data, DATA_KINDS)
    return tuple(target for target in TARGETS.get((notebook, metric), ()) if target.applies_to(data))


@dataclass(frozen=True)
class Settings:
    """What a notebook's kernel is told, through its own environment (the runner's is left alone)."""

    profile: str = "quick"
    data: str = "offline"
    seed: int | None = None  # None: utils.environment.course_seed() ($COURSE_SEED, else 42)
    results_dir: Path | None = None  # where utils.results.ResultsTable records the metrics (None: nowhere)
    data_dir: Path | None = None  # a folder of real dataset files (utils.datasets.DATA_DIR_ENV)

    def __post_init__(self):
        check_choice("profile", self.profile, PROFILES)
        check_choice("data", self.data, DATA_KINDS)
        object.__setattr__(self, "seed", course_seed(self.seed))  # frozen: the checked seed is stored this way

    def environment(self) -> dict[str, str]:
        """This process's environment with the course's settings put in (its own folders' settings replaced)."""
        env = {**os.environ, PROFILE_ENV: self.profile, DATA_ENV: self.data, SEED_ENV: str(self.seed)}
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
    """Run a notebook top to bottom in a fresh kernel (working directory ``cwd``) under ``settings``; a failing
    cell, a dead kernel or a timeout ends the run and is reported in ``error`` (its last line), not raised."""
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
    return Executed(notebook, time.perf_counter() - start, error,
                    [line for cell in notebook.cells for line in warnings_in_outputs(cell.get("outputs", []))])


@dataclass
class NotebookRun:
    """The outcome of running one notebook."""

    stem: str
    seconds: float
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    device: str = f"{os.cpu_count()} CPU cores"  # what the notebook recorded it ran on (utils.results)


#: Wall-clock metrics (per second, seconds, speed ratios) differ from run to run: repeats report them apart.
TIMING_METRIC = re.compile(r"(_per_s|_seconds|_speed_ratio|_speedup)$")


def is_timing_metric(name: str) -> bool:
    """Whether a metric's name marks it as a wall-clock measurement (see :data:`TIMING_METRIC`)."""
    return bool(TIMING_METRIC.search(check_str("name", name, nonempty=True)))


def differing_metrics(first: list[NotebookRun], again: list[NotebookRun],
                      timings: bool = False) -> list[tuple[str, str, object, object]]:
    """(notebook, metric, a, b) of every metric whose value differs exactly between two runs of the same notebooks
    (None where one run lacks it; notebooks in one list only ignored), timing metrics only with ``timings=True``."""
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
    """(heading, seconds) of each ``##`` section of an executed notebook (before the first: "setup"), from nbclient."""
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
    return _write(target, "\n".join(lines))


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
    raw_file.parent.mkdir(parents=True, exist_ok=True)
    raw_file.unlink(missing_ok=True)
    executed = execute_notebook(path, settings, cell_timeout)
    write_notebook(executed.notebook, Path(out_dir) / Path(path).name)
    record = _read_json(raw_file)
    return NotebookRun(Path(path).stem, executed.seconds, executed.error, executed.warnings,
                       record.get("metrics", {}), record.get("device", NotebookRun.device))


def _check_runs(runs: object) -> None:
    for index, run in enumerate(check_sequence("runs", runs, expected="a list of NotebookRun")):
        if not isinstance(run, NotebookRun):
            raise fail(f"runs[{index}]", run, "a NotebookRun")


def _format(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.3e}" if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5) else f"{value:.6f}"


def data_build_dir(build_dir: Path, data: str) -> Path:
    """Where a run on ``data`` keeps its records: ``build/`` for the stand-ins, ``build/real/`` for real data."""
    return build_dir if check_choice("data", data, DATA_KINDS) == "offline" else build_dir / data


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


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _write_json(path: Path, record: dict) -> Path:
    return _write(path, json.dumps(dict(sorted(record.items())), indent=2) + "\n")


def _check(notebook: str, metric: str, value: float, metrics: dict[str, float], data: str) -> list[tuple[bool, str]]:
    """(met, verdict text) for each checkable target of the metric on this data."""
    verdicts = []
    for target in targets_for(notebook, metric, data):
        checked = target.measure(value, metrics)
        if checked is not None:
            ok = math.isfinite(checked) and target.met(checked)
            verdicts.append((ok, ("yes" if ok else "**no**") + (f" ({checked:.4g})" if target.reference else "")))
    return verdicts


def write_report(runs: list[NotebookRun], profile: str, build_dir: Path, data: str = "offline") -> bool:
    """Record the runs on ``data`` in :func:`data_build_dir`, rewrite the board; True if every run and target passed."""
    profile = check_choice("profile", profile, PROFILES)
    _check_runs(runs)
    folder = data_build_dir(Path(build_dir), data)
    compiled, timings = _read_json(folder / "results.json"), _read_json(folder / "timings.json")
    for run in runs:
        compiled[run.stem] = run.metrics
        timings[run.stem] = {"seconds": round(run.seconds, 1), "profile": profile, "data": data, "device": run.device,
                             "error": run.error, "warnings": len(run.warnings)}
    _write_json(folder / "results.json", compiled)
    _write_json(folder / "timings.json", timings)
    all_ok = True
    for run in runs:
        all_ok &= run.error is None and not run.warnings
        if profile == "full":
            for metric, value in run.metrics.items():
                all_ok &= all(ok for ok, _ in _check(run.stem, metric, value, run.metrics, data))
            limit = WALL_TIME_LIMITS.get((run.stem, data))
            all_ok &= limit is None or run.seconds <= limit
    write_board(build_dir)
    return all_ok


def snapshot_path(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> Path:
    """The committed snapshot of the full runs on ``data``: ``results/offline.json`` or ``results/real.json``."""
    return snapshot_dir / f"{check_choice('data', data, DATA_KINDS)}.json"


def read_snapshot(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> dict:
    """``{notebook: {"metrics": {...}, "seconds": wall time, "seed": ..., ...}}`` of the snapshot."""
    return _read_json(snapshot_path(data, snapshot_dir))


def seeds_path(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> Path:
    """The committed full runs under seeds other than the default: ``results/seeds/<data>.json``."""
    return snapshot_dir / "seeds" / f"{check_choice('data', data, DATA_KINDS)}.json"


def read_seed_runs(data: str, snapshot_dir: Path = SNAPSHOT_DIR) -> dict:
    """``{notebook: {seed: {"metrics": {...}, ...}}}``: every seed's full run (the snapshot's and the seeds file's)."""
    runs: dict[str, dict[int, dict]] = {}
    for stem, entry in read_snapshot(data, snapshot_dir).items():
        runs.setdefault(stem, {})[int(entry.get("seed", DEFAULT_SEED))] = entry
    for stem, by_seed in _read_json(seeds_path(data, snapshot_dir)).items():  # on the snapshot's device only
        device = runs.get(stem, {}).get(DEFAULT_SEED, {}).get("machine")
        runs.setdefault(stem, {}).update({int(s): e for s, e in by_seed.items() if e.get("machine", device) == device})
    return runs


def headline_metrics(notebook: str) -> list[str]:
    """A notebook's metrics with a target or a lecture figure, then those of :data:`utils.goals.EXTRA_HEADLINES`."""
    names = [metric for (stem, metric) in [*TARGETS, *LECTURE_FIGURES] if stem == notebook]
    return list(dict.fromkeys([*names, *EXTRA_HEADLINES.get(notebook, ())]))


def seed_spread(values: list[float]) -> float:
    """How far runs under different seeds lie apart: (largest - smallest) / |mean|, or 0 when the mean is 0."""
    if not isinstance(values, (list, tuple)) or len(values) < 2:
        raise fail("values", values, "a list of at least two numbers, one per seed")
    mean = sum(values) / len(values)
    return 0.0 if mean == 0 else (max(values) - min(values)) / abs(mean)


def update_snapshot(runs: list[NotebookRun], data: str, snapshot_dir: Path = SNAPSHOT_DIR,
                    seed: int | None = None) -> Path:
    """Record the full runs that passed in ``results/<data>.json`` (the default seed) or, by notebook and seed,
    ``results/seeds/<data>.json`` (``seed``, else ``$COURSE_SEED``), keeping other notebooks' entries."""
    _check_runs(runs)
    seed = course_seed(seed)
    path = snapshot_path(data, snapshot_dir) if seed == DEFAULT_SEED else seeds_path(data, snapshot_dir)
    snapshot = _read_json(path)
    for run in runs:
        if run.error is not None or run.warnings:
            continue
        entry = {"metrics": {name: float(value) for name, value in run.metrics.items()},
                 "seconds": round(run.seconds, 1), "seed": seed, "python": platform.python_version(),
                 "machine": run.device}
        if seed == DEFAULT_SEED:
            snapshot[run.stem] = entry
        else:
            by_seed = {**snapshot.get(run.stem, {}), str(seed): entry}
            snapshot[run.stem] = dict(sorted(by_seed.items(), key=lambda item: int(item[0])))
    return _write_json(path, snapshot)


def _spread_lines(snapshot_dir: Path = SNAPSHOT_DIR) -> list[str]:
    """The board's table of the headline metrics under every seed of the committed full runs."""
    lines = ["", "## Spread over seeds", "",
             "The headline metrics (those with a target or a lecture figure) of the committed full runs",
             f"(`results/<data>.json`, seed {DEFAULT_SEED}, and `results/seeds/<data>.json`, written by",
             "`COURSE_SEED=<seed> python -m course run ...`). Spread: (largest − smallest) ÷ |mean|.", "",
             "| notebook | data | metric | seeds | values | spread |", "| --- | --- | --- | --- | --- | ---: |"]
    rows = len(lines)
    for data in DATA_KINDS:
        for stem, by_seed in sorted(read_seed_runs(data, snapshot_dir).items()):
            if len(by_seed) < 2:
                continue
            for metric in headline_metrics(stem):
                shown = [(seed, value) for seed in sorted(by_seed)
                         if (value := by_seed[seed].get("metrics", {}).get(metric)) is not None]
                if len(shown) >= 2:
                    lines.append(f"| {stem} | {DATA_LABELS[data]} | `{metric}` | {', '.join(str(s) for s, _ in shown)}"
                                 f" | {', '.join(_format(v) for _, v in shown)} | "
                                 f"{seed_spread([value for _, value in shown]):.1%} |")
    if len(lines) == rows:
        lines.append("| (no notebook has full runs under two seeds yet) | | | | | |")
    return lines


def write_board(build_dir: Path, snapshots: dict | None = None) -> Path:
    """Write ``build_dir/results.md`` from the recorded runs on the stand-ins and on the real data (or, given
    ``{data: read_snapshot(data)}``, from the committed snapshot of the full runs)."""
    if snapshots is None:
        records = {data: _read_json(data_build_dir(build_dir, data) / "results.json") for data in DATA_KINDS}
        timings = {data: _read_json(data_build_dir(build_dir, data) / "timings.json") for data in DATA_KINDS}
    else:
        records = {data: {stem: run["metrics"] for stem, run in runs.items()} for data, runs in snapshots.items()}
        timings = {data: {stem: {"seconds": run["seconds"], "profile": "full", "error": None, "warnings": 0,
                                 "device": run.get("machine", "")} for stem, run in runs.items()}
                   for data, runs in snapshots.items()}
    lines = ["# Course results", "",
             "Written by `python -m course run` (`make course` for the stand-ins, `make course-real` for the real",
             "datasets). Targets apply to the full profile; a target marked *stand-in* or *real* applies to that",
             "data only, and a relative target is checked only where its reference metric exists.", "",
             "| notebook | metric | stand-in | real | lecture | target | met |",
             "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    for stem in sorted(set(records["offline"]) | set(records["real"])):
        for metric in dict.fromkeys([*records["offline"].get(stem, {}), *records["real"].get(stem, {})]):
            values = {data: records[data].get(stem, {}).get(metric) for data in DATA_KINDS}
            verdicts = [f"{DATA_LABELS[data]}: " + ", ".join(text for _, text in found) for data in DATA_KINDS
                        if values[data] is not None and timings[data].get(stem, {}).get("profile") == "full"
                        and (found := _check(stem, metric, values[data], records[data][stem], data))]
            targets = TARGETS.get((stem, metric), ())
            lines.append(f"| {stem} | `{metric}` | {_format(values['offline'])} | {_format(values['real'])} | "
                         f"{_format(lecture_figure(stem, metric))} | {'; '.join(t.describe() for t in targets)} | "
                         f"{'; '.join(verdicts)} |")
    lines += _spread_lines()
    lines += ["", "| notebook | data | profile | device | wall time | limit | status | warnings |",
              "| --- | --- | --- | --- | ---: | ---: | --- | ---: |"]
    for data in DATA_KINDS:
        for stem, timing in timings[data].items():
            status = "ok" if timing["error"] is None else f"**failed**: {timing['error']}"
            limit = WALL_TIME_LIMITS.get((stem, data))
            if limit is not None and timing["profile"] == "full" and timing["seconds"] > limit:
                status += " (**over the limit**)"
            lines.append(f"| {stem} | {DATA_LABELS[data]} | {timing['profile']} | {timing.get('device', '')} | "
                         f"{timing['seconds']:.1f} s | "
                         f"{'' if limit is None else f'{limit:.0f} s'} | {status} | {timing['warnings']} |")
    return _write(build_dir / "results.md", "\n".join(lines) + "\n")


def notebook_datasets(name: str | Path) -> list[str]:
    """The real datasets a notebook loads, from its ``course/catalog.toml`` entry."""
    return list(entry_for(name).datasets)


def missing_real_files(dataset: str) -> list[str]:
    """The files of a real dataset found neither in ``COURSE_DATA_DIR`` nor (hash-checked) in the Keras cache;
    utils.datasets.DataFileError when ``COURSE_DATA_DIR`` holds a file with a wrong hash."""
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
        reason = f"{', '.join(missing)} is in neither {where} nor the Keras cache" if missing else None
        plan.append((path, reason if needed else "it loads no real dataset (its data is generated)"))
    return plan


def _on_real_data(paths: list[Path], named: bool, prefix: str = "") -> list[Path]:
    """The notebooks that can run on real data here, saying why each other is left out (if named or loading data)."""
    plan = real_data_plan(paths)
    for path, reason in plan:
        if reason is not None and (named or notebook_datasets(path)):
            print(f"{prefix}leaving out {path.stem}: {reason}")
    return [path for path, reason in plan if reason is None]


def test_real(names: list[str]) -> int:
    """``make test-real``: the text notebooks under nbval on real data (quick profile)."""
    chosen = _on_real_data(resolve_notebooks(names), False, "test-real: ")
    if not chosen:
        print("test-real: no notebook has its real data here; set COURSE_DATA_DIR to a folder of dataset files.")
        return 1
    print(f"test-real: running {', '.join(p.stem for p in chosen)} on real data (quick profile)", flush=True)
    env = Settings("quick", "real", data_dir=data_dir()).environment()
    command = [sys.executable, "-m", "pytest", *[str(p.relative_to(ROOT)) for p in chosen], "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def _run_all(paths: list[Path], settings: Settings, out_dir: Path, timeout: int | None, label: str) -> list:
    """Run each notebook in turn, saying how it went."""
    runs = []
    for path in paths:
        print(f"{label}{path.name} ({settings.profile} profile, {DATA_LABELS[settings.data]} data) ...", flush=True)
        run = run_notebook(path, settings, out_dir, timeout)
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
    parser.add_argument("--data", choices=DATA_KINDS, default="offline", help="offline: the generated stand-ins "
                        "(default); real: the real datasets, from COURSE_DATA_DIR or the Keras cache (build/real/)")
    parser.add_argument("--seed", type=int, default=None, help="the notebooks' seed (default: $COURSE_SEED, else 42)")
    parser.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell (default: none)")
    parser.add_argument("--no-snapshot", dest="snapshot", action="store_false", help="leave results/<data>.json alone")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="run the notebooks N >= 2 times and report "
                        "every metric that differs (build/<data>/repeat.md); the snapshot and board from run 1")
    parser.add_argument("--test-real", action="store_true", help="the real-data notebooks under nbval, quick profile")
    args = parser.parse_args(argv)
    try:
        if args.cell_timeout is not None:
            check_int("--cell-timeout", args.cell_timeout, minimum=1, hint="a whole number of seconds")
        check_int("--repeat", args.repeat, minimum=1, hint="2 or more to compare runs")
        paths = resolve_notebooks(args.notebooks)
        if args.test_real:
            return test_real(args.notebooks)
        if args.data == "real":
            paths = _on_real_data(paths, bool(args.notebooks))
        # Another seed's runs keep their own records, so that they never replace the default seed's board.
        seed = course_seed(args.seed)
        build_root = BUILD_DIR if seed == DEFAULT_SEED else BUILD_DIR / "seeds" / str(seed)
        records = data_build_dir(build_root, args.data)
        settings = Settings(args.profile, args.data, seed, records / "results-raw", data_dir())
    except ValueError as exc:
        parser.error(str(exc))
    if not paths:
        parser.error("no notebook to run")
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
        repeats = [_run_all(paths, replace(settings, results_dir=settings.results_dir / f"repeat-{n}"),
                            records / f"notebooks-repeat-{n}", args.cell_timeout, f"run {n}: ")
                   for n in range(2, args.repeat + 1)]
        report = repeat_report(runs, repeats) + "\n"
        print(f"{report}wrote {shown_path(_write(records / 'repeat.md', report))}")
        ok &= not any(differing_metrics(runs, again) for again in repeats)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
