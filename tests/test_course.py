"""The course report: targets, compilation of per-notebook records, notebook selection."""

import json

import pytest

from utils import course
from utils.course import NotebookRun, Target, write_report


def test_targets():
    assert Target("within", 0.004168, 0.25).met(0.0050)
    assert not Target("within", 0.004168, 0.25).met(0.0053)
    assert Target("max", 0.0275).met(0.0275) and not Target("max", 0.0275).met(0.03)
    assert Target("equal", 0.020211, 5e-7).met(0.0202113) and not Target("equal", 0.020211, 5e-7).met(0.0203)
    assert Target("min", 0.99).met(0.995)


def test_every_issue_metric_of_the_time_series_notebooks_has_a_target():
    for name in ["naive_mse", "linear_mse", "simple_rnn_1_mse", "deep_rnn_mse", "deep_rnn_dense_mse",
                 "ten_step_iterative_mse", "ten_step_linear_mse", "ten_step_vector_mse",
                 "ten_step_seq2seq_last_mse"]:
        assert name in course.TARGETS


def test_report_compiles_results_and_flags_missed_targets(tmp_path):
    runs = [
        NotebookRun("01_sequence_models", 30.0, metrics={"naive_mse": 0.020211, "linear_mse": 0.0040}),
        NotebookRun("03_deep_rnn", 500.0, metrics={"ten_step_linear_mse": 0.05}),
    ]
    assert write_report(runs, "full", tmp_path) is False  # 0.05 misses the 0.0187 target
    results = json.loads((tmp_path / "results.json").read_text())
    assert results == {"01_sequence_models": {"naive_mse": 0.020211, "linear_mse": 0.004},
                       "03_deep_rnn": {"ten_step_linear_mse": 0.05}}
    report = (tmp_path / "results.md").read_text()
    assert "| 01_sequence_models | `linear_mse` | 0.004000 | 0.004168 | 0.004168 ± 25% | yes |" in report
    assert "| 03_deep_rnn | `ten_step_linear_mse` | 0.050000 |  | ≤ 0.0187 | **no** |" in report
    assert "| 03_deep_rnn | full | 500.0 s | ok | 0 |" in report


def test_subset_runs_update_only_their_entries(tmp_path):
    write_report([NotebookRun("01_sequence_models", 30.0, metrics={"naive_mse": 0.020211})], "full", tmp_path)
    ok = write_report([NotebookRun("02_simple_rnn", 60.0, metrics={"simple_rnn_1_mse": 0.011})], "full", tmp_path)
    assert ok is True
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results) == {"01_sequence_models", "02_simple_rnn"}


def test_failed_notebook_or_warning_fails_the_report(tmp_path):
    assert write_report([NotebookRun("01_sequence_models", 3.0, error="AssertionError")], "full", tmp_path) is False
    warned = NotebookRun("01_sequence_models", 3.0, warnings=["UserWarning: x"])
    assert write_report([warned], "full", tmp_path / "x") is False


def test_quick_runs_do_not_fail_on_full_profile_targets(tmp_path):
    runs = [NotebookRun("03_deep_rnn", 20.0, metrics={"ten_step_linear_mse": 0.05})]
    assert write_report(runs, "quick", tmp_path) is True


def test_unknown_notebook_is_a_clear_error():
    with pytest.raises(ValueError, match="notebook '99_nothing' is not in notebooks/"):
        course.resolve_notebooks(["99_nothing"])
    assert [p.stem for p in course.resolve_notebooks(["notebooks/01_sequence_models.ipynb"])] == ["01_sequence_models"]
