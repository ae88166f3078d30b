"""The one table of lecture figures and targets (utils.goals.GOALS) and the views everything reads it through."""

import json
import re
from pathlib import Path

import pytest

from course import quotes
from course import run as course
from utils import goals
from utils.goals import GOALS, LECTURE_FIGURES, TARGETS, FromLecture, Goal, Target, find_lecture_figure, lecture_figure
from utils.results import ResultsTable

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def _recorded_names(notebook: str) -> tuple[set[str], list[re.Pattern]]:
    """The metric names a notebook records: literal names, and f-string names as patterns.

    A name given as a string in a code cell that records through a loop (``results.add(metric, ...)``)
    counts as recorded too.
    """
    cells = json.loads((NOTEBOOK_DIR / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    names, patterns = set(), []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for is_template, name in re.findall(r'results\.add\(\s*(f?)"([^"]+)"', source):
            if is_template:
                parts = re.split(r"\{[^}]*\}", name)
                patterns.append(re.compile("[a-z0-9_]+".join(re.escape(part) for part in parts)))
            else:
                names.add(name)
        if re.search(r"results\.add\(\s*[a-z_]+\s*,", source):
            names |= set(re.findall(r'"([a-z][a-z0-9_]*)"', source))
    return names, patterns


def _is_recorded(notebook: str, metric: str) -> bool:
    names, patterns = _recorded_names(notebook)
    return metric in names or any(pattern.fullmatch(metric) for pattern in patterns)


@pytest.mark.parametrize("key", sorted(GOALS), ids="/".join)
def test_every_goal_is_a_metric_its_notebook_records(key):
    notebook, metric = key
    assert (NOTEBOOK_DIR / f"{notebook}.ipynb").exists(), f"GOALS names {notebook}, which is not in notebooks/"
    assert _is_recorded(notebook, metric), f'{notebook} records no results.add("{metric}", ...)'
    for target in GOALS[key].targets:
        if target.reference is not None:
            assert _is_recorded(notebook, target.reference), (
                f"the target of {notebook}/{metric} refers to {target.reference}, which {notebook} does not record")


@pytest.mark.parametrize("notebook", sorted(goals.EXTRA_HEADLINES))
def test_every_extra_headline_is_a_metric_its_notebook_records(notebook):
    assert (NOTEBOOK_DIR / f"{notebook}.ipynb").exists(), f"EXTRA_HEADLINES names {notebook}, not in notebooks/"
    for metric in goals.EXTRA_HEADLINES[notebook]:
        assert _is_recorded(notebook, metric), f'{notebook} records no results.add("{metric}", ...)'
        assert metric in course.headline_metrics(notebook)


def test_lecture_figures_are_the_lectures_reference_figures():
    assert dict(LECTURE_FIGURES) == {
        ("01_sequence_models", "naive_mse"): 0.020211,
        ("01_sequence_models", "linear_mse"): 0.004168,
        ("02_simple_rnn", "simple_rnn_1_mse"): 0.010882,
        ("03_deep_rnn", "deep_rnn_mse"): 0.002911,
        ("03_deep_rnn", "deep_rnn_dense_mse"): 0.002527,
    }


def test_a_lecture_derived_target_is_the_figure_it_derives_from():
    derived = 0
    for key, goal in GOALS.items():
        assert len(goal.derived) == len(goal.targets)
        for target, from_lecture in zip(goal.targets, goal.derived):
            if from_lecture:
                derived += 1
                assert goal.lecture is not None and target.value == goal.lecture, key
            elif goal.lecture is not None and target.reference is None:
                # a figure typed a second time: write FromLecture(...) instead
                assert target.value != goal.lecture, f"{key}: a target repeats the lecture figure"
    assert derived == len(LECTURE_FIGURES)
    assert GOALS[("01_sequence_models", "linear_mse")].targets == (Target("within", 0.004168, 0.25),)
    assert GOALS[("01_sequence_models", "naive_mse")].targets == (Target("equal", 0.020211, 5e-7),)


def test_the_views_are_read_only_and_derived_from_the_one_table():
    assert dict(TARGETS) == {key: goal.targets for key, goal in GOALS.items() if goal.targets}
    assert dict(LECTURE_FIGURES) == {key: goal.lecture for key, goal in GOALS.items() if goal.lecture is not None}
    assert all(isinstance(targets, tuple) and targets for targets in TARGETS.values())
    assert course.TARGETS is TARGETS and course.Target is Target
    for view in (GOALS, TARGETS, LECTURE_FIGURES):
        with pytest.raises(TypeError):
            view[("01_sequence_models", "naive_mse")] = None


def test_lecture_figures_by_notebook_and_metric():
    assert lecture_figure("01_sequence_models", "naive_mse") == 0.020211
    assert lecture_figure("02_simple_rnn", "naive_mse") is None  # another notebook's metric of the same name
    assert lecture_figure("03_deep_rnn", "ten_step_linear_mse") is None  # a target, no lecture figure
    assert find_lecture_figure("deep_rnn_mse") == ("03_deep_rnn", 0.002911)
    assert find_lecture_figure("ten_step_linear_mse") is None
    with pytest.raises(ValueError, match="notebook=None"):
        lecture_figure(None, "naive_mse")
    with pytest.raises(ValueError, match="metric=3"):
        find_lecture_figure(3)
    with pytest.raises(ValueError, match="figures="):
        goals.lecture_notebooks([("01_sequence_models", "naive_mse")])


def test_lecture_figure_metric_names_are_unique_across_notebooks():
    metrics = [metric for _, metric in LECTURE_FIGURES]
    assert len(metrics) == len(set(metrics))  # the lecture:METRIC quote marker relies on it
    with pytest.raises(ValueError, match="'naive_mse' is in GOALS for both 01_sequence_models and 02_simple_rnn"):
        goals.lecture_notebooks({("01_sequence_models", "naive_mse"): 0.02, ("02_simple_rnn", "naive_mse"): 0.02})


def test_goal_checks_its_fields():
    assert Goal(targets=Target("max", 1.0)).targets == (Target("max", 1.0),)  # one target alone
    assert Goal().targets == () and Goal().lecture is None
    assert Goal(0.5, [FromLecture(), Target("max", 0.6)]).derived == (True, False)
    with pytest.raises(ValueError, match="needs the goal's lecture figure"):
        Goal(targets=FromLecture())
    with pytest.raises(ValueError, match="lecture=nan"):
        Goal(float("nan"))
    with pytest.raises(ValueError, match=r"targets\[1\]="):
        Goal(targets=(Target("max", 1.0), 1.0))
    with pytest.raises(ValueError, match="targets="):
        Goal(targets="max 1.0")
    with pytest.raises(ValueError, match="Target kind must be"):
        Goal(1.0, FromLecture("around"))


def test_the_results_table_shows_the_lecture_figure_of_its_own_notebook(monkeypatch):
    monkeypatch.delenv("COURSE_RESULTS_DIR", raising=False)
    for (notebook, metric), figure in LECTURE_FIGURES.items():
        table = ResultsTable(notebook)
        table.add(metric, figure)
        assert table.rows[-1].lecture == figure
    other = ResultsTable("02_simple_rnn")
    other.add("naive_mse", 0.02)
    assert other.rows[-1].lecture is None


def test_the_board_shows_the_lecture_figure_of_the_notebook_and_metric(tmp_path):
    runs = [course.NotebookRun("01_sequence_models", 30.0, metrics={"naive_mse": 0.020211}),
            course.NotebookRun("02_simple_rnn", 30.0, metrics={"naive_mse": 0.0202})]
    course.write_report(runs, "full", tmp_path)
    board = (tmp_path / "results.md").read_text()
    assert "| 01_sequence_models | `naive_mse` | 0.020211 |  | 0.020211 | = 0.020211 ± 5e-07 | stand-in: yes |" in board
    assert "| 02_simple_rnn | `naive_mse` | 0.020200 |  |  |  |  |" in board


def test_every_figure_and_target_of_the_table_resolves_through_the_quote_markers(tmp_path):
    lines = [f"{quotes.format_like(figure, '0.000000')}<!-- lecture:{metric} -->"
             for (_, metric), figure in LECTURE_FIGURES.items()]
    for (notebook, metric), targets in TARGETS.items():
        for index, target in enumerate(targets, start=1):
            suffix = f"#{index}" if len(targets) > 1 else ""
            lines.append(f"{quotes.format_like(target.value, '0.000000')}<!-- target:{notebook}/{metric}{suffix} -->")
    lesson = tmp_path / "lesson.md"
    lesson.write_text("# Lesson\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert quotes.check([lesson], tmp_path / "no-snapshot") == []
    lesson.write_text("0.004100<!-- lecture:linear_mse --> 0.5<!-- lecture:ten_step_linear_mse -->\n", encoding="utf-8")
    problems = quotes.check([lesson], tmp_path / "no-snapshot")
    assert [problem.kind for problem in problems] == ["mismatch", "unknown"]
    assert "gives 0.004168" in str(problems[0]) and "utils/goals.py GOALS" in str(problems[0])
    assert "ten_step_linear_mse is not a lecture figure (utils/goals.py GOALS)" in str(problems[1])
