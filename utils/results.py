"""The results table of a notebook, and the records the course report compiles.

A notebook makes one :class:`ResultsTable` and adds a row per measured result::

    results = ResultsTable("01_sequence_models")
    results.add("naive_mse", naive_mse, model="naive (last value)")
    ...
    results  # the last cell shows the table

When ``COURSE_RESULTS_DIR`` is set (``make course`` sets it), every ``add`` also writes the
notebook's metrics to ``$COURSE_RESULTS_DIR/<notebook>.json``; ``course.run`` compiles those
files into ``build/results.json`` and ``build/results.md``.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import asdict, dataclass

from utils.checks import check_dir, check_int, check_number, check_str
from utils.goals import lecture_figure
from utils.profile import current_profile

RESULTS_DIR_ENV = "COURSE_RESULTS_DIR"

_METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


@dataclass
class Row:
    """One measured result; ``lecture`` is the lecture's figure of the notebook's metric (:data:`utils.goals.GOALS`)."""

    metric: str
    value: float
    model: str = ""
    params: int | None = None
    seconds: float | None = None
    lecture: float | None = None


def _results_folder():
    """The folder ``COURSE_RESULTS_DIR`` names (a ``Path``), or None when it is not set."""
    folder = os.environ.get(RESULTS_DIR_ENV)
    if not folder:
        return None
    return check_dir(RESULTS_DIR_ENV, folder, must_exist=False, hint="point it at a folder or unset it")


_DEVICE: list[str] = []  # the device, found once per process


def _device() -> str:
    """The device behind the numbers ("2 CPU cores", "1 GPU (NVIDIA T4)"), recorded with every result."""
    if not _DEVICE:
        from utils.environment import current_device

        _DEVICE.append(current_device())
    return _DEVICE[0]


class ResultsTable:
    """The results of one notebook: shown as a table, recorded for the course report."""

    def __init__(self, notebook: str):
        if not isinstance(notebook, str) or not _NOTEBOOK_NAME.match(notebook):
            raise ValueError(
                f"notebook={notebook!r} must be the notebook's file stem, like '01_sequence_models'."
            )
        self.notebook = notebook
        self.rows: list[Row] = []

    def add(
        self,
        metric: str,
        value: float,
        model: str = "",
        params: int | None = None,
        seconds: float | None = None,
    ) -> float:
        """Record ``metric = value`` (replacing an earlier value of the same metric).

        Args:
            metric: a lower-case name such as ``linear_mse``.
            value: a finite number.
            model: the model described in words, for the table.
            params: the model's parameter count.
            seconds: its training time.

        Returns:
            ``value`` as a float, so a cell can record and use it in one line.
        """
        if not isinstance(metric, str) or not _METRIC_NAME.match(metric):
            raise ValueError(f"metric={metric!r} must be lower_case_with_underscores, like 'linear_mse'.")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"value={value!r} for metric {metric!r} is not a number.") from None
        if not math.isfinite(value):
            raise ValueError(f"value={value!r} for metric {metric!r} is not finite; the run diverged?")
        if isinstance(params, float) and params.is_integer():
            params = int(params)  # a whole number written as a float
        params = check_int("params", params, minimum=0, allow_none=True, hint="the model's parameter count")
        seconds = check_number("seconds", seconds, minimum=0, allow_none=True, hint="the training time")
        model = check_str("model", model)
        row = Row(
            metric=metric,
            value=value,
            model=model,
            params=params,
            seconds=seconds,
            lecture=lecture_figure(self.notebook, metric),
        )
        _results_folder()  # a bad COURSE_RESULTS_DIR fails before the table changes
        self.rows = [r for r in self.rows if r.metric != metric] + [row]
        self._save()
        return value

    def metrics(self) -> dict[str, float]:
        """``{metric: value}`` for every row."""
        return {row.metric: row.value for row in self.rows}

    def _save(self) -> None:
        folder = _results_folder()
        if folder is None:
            return
        path = folder / f"{self.notebook}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "notebook": self.notebook,
            "profile": current_profile(),
            "device": _device(),
            "metrics": self.metrics(),
            "rows": [asdict(row) for row in self.rows],
        }
        path.write_text(json.dumps(record, indent=2) + "\n")

    def to_markdown(self) -> str:
        """The table in Markdown: model, parameters, metric, value, lecture, training time."""
        lines = [
            "| model | parameters | metric | value | lecture | training time |",
            "| --- | ---: | --- | ---: | ---: | ---: |",
        ]
        for row in self.rows:
            params = f"{row.params:,}" if row.params is not None else ""
            lecture = f"{row.lecture:.6f}" if row.lecture is not None else ""
            seconds = f"{row.seconds:.1f} s" if row.seconds is not None else ""
            lines.append(
                f"| {row.model} | {params} | `{row.metric}` | {row.value:.6f} | {lecture} | {seconds} |"
            )
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return f"**Results of {self.notebook}** (profile: {current_profile()})\n\n" + self.to_markdown()

    def __repr__(self) -> str:
        return f"Results of {self.notebook} (profile: {current_profile()})\n" + self.to_markdown()
