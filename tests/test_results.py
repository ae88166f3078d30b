import json
import math

import pytest

from utils.results import ResultsTable


def test_add_records_rows_and_lecture_figures(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    table = ResultsTable("01_sequence_models")
    assert table.add("naive_mse", 0.0202, model="naive", params=0) == pytest.approx(0.0202)
    table.add("linear_mse", 0.004, model="linear", params=51, seconds=3.2)
    table.add("linear_mse", 0.0035, model="linear", params=51, seconds=3.0)  # replaces the first value
    saved = json.loads((tmp_path / "01_sequence_models.json").read_text())
    assert saved["metrics"] == {"naive_mse": 0.0202, "linear_mse": 0.0035}
    assert saved["profile"] == "quick"
    from utils.environment import current_device

    assert saved["device"] == current_device(), "every recorded result says which device produced it"
    markdown = table._repr_markdown_()
    assert "| linear | 51 | `linear_mse` | 0.003500 | 0.004168 | 3.0 s |" in markdown


def test_nothing_is_written_without_a_results_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_RESULTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    ResultsTable("02_simple_rnn").add("simple_rnn_1_mse", 0.01)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": "Linear MSE", "value": 1.0}, "metric='Linear MSE'"),
        ({"metric": "linear_mse", "value": math.nan}, "not finite"),
        ({"metric": "linear_mse", "value": "high"}, "not a number"),
        ({"metric": "linear_mse", "value": 1.0, "params": -1}, "params=-1"),
        ({"metric": "linear_mse", "value": 1.0, "seconds": -2.0}, "seconds=-2.0"),
    ],
)
def test_add_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ResultsTable("01_sequence_models").add(**kwargs)


def test_notebook_name_is_checked():
    with pytest.raises(ValueError, match="file stem"):
        ResultsTable("notebook one")
