"""The course report: targets, compilation of per-notebook records, notebook selection."""

import dataclasses
import json

import pytest

from course import ROOT, catalog
from course import run as course
from course.run import NotebookRun, Target, write_report
from utils.datasets import REMOTE_FILES


def test_targets():
    assert Target("within", 0.004168, 0.25).met(0.0050)
    assert not Target("within", 0.004168, 0.25).met(0.0053)
    assert Target("max", 0.0275).met(0.0275) and not Target("max", 0.0275).met(0.03)
    assert Target("equal", 0.020211, 5e-7).met(0.0202113) and not Target("equal", 0.020211, 5e-7).met(0.0203)
    assert Target("min", 0.99).met(0.995)


def test_relative_targets_compare_with_another_metric_of_the_notebook():
    ratio = Target("max", 1.05, reference="optimum")
    assert ratio.measure(1.26, {"optimum": 1.2}) == pytest.approx(1.05)
    assert ratio.measure(1.26, {}) is None  # no known optimum (real data): not checked
    gap = Target("min", 0.30, reference="baseline", relation="difference")
    assert gap.met(gap.measure(0.95, {"baseline": 0.5})) and not gap.met(gap.measure(0.7, {"baseline": 0.5}))
    assert "÷ `optimum` ≤ 1.05" == ratio.describe()


def test_bad_target_kinds_are_clear_errors():
    with pytest.raises(ValueError, match="Target kind must be"):
        Target("at most", 1.0)
    with pytest.raises(ValueError, match="Target relation must be"):
        Target("max", 1.0, reference="x", relation="quotient")
    with pytest.raises(ValueError, match="Target data must be"):
        Target("max", 1.0, data="stand-in")
    with pytest.raises(ValueError, match="tolerance=-0.1"):
        Target("within", 1.0, tolerance=-0.1)
    with pytest.raises(ValueError, match="value=nan"):
        Target("max", float("nan"))


def _row(board_dir, metric: str) -> str:
    return next(line for line in (board_dir / "results.md").read_text().splitlines() if f"`{metric}`" in line)


def test_report_checks_relative_targets(tmp_path):
    runs = [NotebookRun("06_char_rnn", 300.0, metrics={"corpus_optimal_char_ppl": 1.2, "best_char_ppl": 1.3})]
    assert write_report(runs, "full", tmp_path) is False  # 1.3 / 1.2 = 1.083 > 1.05
    assert _row(tmp_path, "best_char_ppl") == (
        "| 06_char_rnn | `best_char_ppl` | 1.300000 |  |  | ÷ `corpus_optimal_char_ppl` ≤ 1.05; "
        "real: ÷ `ngram_char_ppl` ≤ 0.9 | stand-in: **no** (1.083) |")
    real_book = [NotebookRun("06_char_rnn", 300.0, metrics={"best_char_ppl": 1.9})]
    assert write_report(real_book, "full", tmp_path / "real", data="real") is True  # no yardstick: unchecked


def test_real_data_targets_apply_to_real_runs_only(tmp_path):
    metrics = {"ngram_char_ppl": 4.0, "best_char_ppl": 3.8}  # only 5% below the n-gram model
    assert write_report([NotebookRun("06_char_rnn", 300.0, metrics=metrics)], "full", tmp_path) is True
    assert write_report([NotebookRun("06_char_rnn", 300.0, metrics=metrics)], "full", tmp_path, data="real") is False
    assert json.loads((tmp_path / "real" / "results.json").read_text())["06_char_rnn"] == metrics
    assert _row(tmp_path, "best_char_ppl").endswith("| real: **no** (0.95) |")
    metrics["best_char_ppl"] = 3.5
    assert write_report([NotebookRun("06_char_rnn", 300.0, metrics=metrics)], "full", tmp_path, data="real") is True


def test_board_shows_stand_in_and_real_values_side_by_side(tmp_path):
    write_report([NotebookRun("08_text_generation", 60.0, metrics={"gen_val_ppl": 1.3})], "full", tmp_path)
    real = {"gen_val_ppl": 4.2, "homl_val_accuracy": 0.50, "homl_val_loss": 1.50}
    assert write_report([NotebookRun("08_text_generation", 90.0, metrics=real)], "full", tmp_path, "real") is False
    assert _row(tmp_path, "gen_val_ppl") == "| 08_text_generation | `gen_val_ppl` | 1.300000 | 4.200000 |  |  |  |"
    assert _row(tmp_path, "homl_val_accuracy").endswith("| real: ≥ 0.5513 | real: **no** |")
    assert _row(tmp_path, "homl_val_loss").endswith("| real: yes |")
    board = (tmp_path / "results.md").read_text()
    assert "| 08_text_generation | stand-in | full | 2 CPU cores | 60.0 s |  | ok | 0 |" in board
    assert "| 08_text_generation | real | full | 2 CPU cores | 90.0 s |  | ok | 0 |" in board


def test_wall_time_limit_fails_a_full_real_run(tmp_path):
    slow = NotebookRun("09_seq2seq", 700.0, metrics={"toy_greedy_prob": 0.048})
    assert write_report([slow], "full", tmp_path, data="real") is False
    assert "| 09_seq2seq | real | full | 2 CPU cores | 700.0 s | 600 s | ok (**over the limit**) | 0 |" in (
        tmp_path / "results.md").read_text()
    assert write_report([slow], "full", tmp_path, data="offline") is True  # the limit is for real data


def test_a_corrupt_results_file_names_itself(tmp_path):
    (tmp_path / "results.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"results\.json is not valid JSON.*delete it"):
        write_report([NotebookRun("01_sequence_models", 3.0)], "full", tmp_path)


def test_notebooks_are_mapped_to_the_real_datasets_they_load():
    found = {path.stem: course.notebook_datasets(path) for path in course.resolve_notebooks([])}
    assert found["05_text_and_language_models"] == ["time_machine"]
    assert found["06_char_rnn"] == ["time_machine"]
    assert found["07_imdb_sentiment"] == ["imdb"]
    assert found["08_text_generation"] == ["shakespeare"]
    assert found["09_seq2seq"] == ["fra_eng"]
    assert all(found[stem] == [] for stem in ("01_sequence_models", "02_simple_rnn", "03_deep_rnn", "04_lstm_gru"))


def test_real_data_plan_says_why_it_leaves_a_notebook_out(tmp_path, monkeypatch):
    from utils import datasets

    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "timemachine.txt").write_text("tiny book\n")
    pinned = dataclasses.replace(datasets.REMOTE_FILES["time_machine"][0],
                                 file_hash=datasets.file_digest(folder / "timemachine.txt", "sha1"))
    monkeypatch.setitem(datasets.REMOTE_FILES, "time_machine", (pinned,))
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    plan = {p.stem: reason for p, reason in course.real_data_plan(course.resolve_notebooks([]))}
    assert plan["05_text_and_language_models"] is None and plan["06_char_rnn"] is None
    assert "imdb.npz" in plan["07_imdb_sentiment"] and "COURSE_DATA_DIR" in plan["07_imdb_sentiment"]
    assert "tiny_shakespeare.txt" in plan["08_text_generation"]
    assert "loads no real dataset" in plan["01_sequence_models"]


def test_bad_cell_timeout_is_refused(capsys):
    with pytest.raises(SystemExit):
        course.main(["--cell-timeout", "-5", "01_sequence_models"])
    assert "--cell-timeout=-5 must be an integer >= 1; a whole number of seconds" in capsys.readouterr().err


def test_a_metric_with_several_targets_must_meet_each(tmp_path):
    metrics = {"bow_accuracy": 0.79, "bayes_accuracy": 0.95, "lstm_accuracy": 0.90}
    assert write_report([NotebookRun("07_imdb_sentiment", 300.0, metrics=metrics)], "full", tmp_path) is False
    row = _row(tmp_path, "lstm_accuracy")
    assert "yes (0.11)" in row and "**no** (-0.05)" in row  # 11 points above the bag of words, 5 below Bayes
    metrics["lstm_accuracy"] = 0.94
    assert write_report([NotebookRun("07_imdb_sentiment", 300.0, metrics=metrics)], "full", tmp_path / "b") is True


def test_every_issue_metric_of_the_time_series_notebooks_has_a_target():
    for name in ["naive_mse", "linear_mse", "simple_rnn_1_mse", "deep_rnn_mse", "deep_rnn_dense_mse",
                 "ten_step_iterative_mse", "ten_step_linear_mse", "ten_step_vector_mse",
                 "ten_step_seq2seq_last_mse", "best_one_step_mse", "ten_step_best_last_mse",
                 "scratch_lstm_max_abs_diff", "scratch_gru_max_abs_diff", "long_lag_lstm_accuracy"]:
        assert any(key[1] == name for key in course.TARGETS)


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
    assert "| 01_sequence_models | `linear_mse` | 0.004000 |  | 0.004168 | 0.004168 ± 25% | stand-in: yes |" in report
    assert "| 03_deep_rnn | `ten_step_linear_mse` | 0.050000 |  |  | ≤ 0.0187 | stand-in: **no** |" in report
    assert "| 03_deep_rnn | stand-in | full | 2 CPU cores | 500.0 s |  | ok | 0 |" in report


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
    with pytest.raises(ValueError, match=r"notebook '99_nothing' is not in course/catalog\.toml"):
        course.resolve_notebooks(["99_nothing"])
    assert [p.stem for p in course.resolve_notebooks(["notebooks/01_sequence_models.ipynb"])] == ["01_sequence_models"]


def test_snapshot_records_passing_full_runs_and_keeps_other_entries(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_SEED", raising=False)
    course.update_snapshot([NotebookRun("05_text_and_language_models", 7.04, metrics={"zipf_exponent": 1.01})],
                           "real", tmp_path)
    failed = NotebookRun("06_char_rnn", 90.0, error="AssertionError", metrics={"best_char_ppl": 9.0})
    path = course.update_snapshot([failed, NotebookRun("08_text_generation", 60.0, metrics={"gen_val_ppl": 4})],
                                  "real", tmp_path)
    snapshot = course.read_snapshot("real", tmp_path)
    assert path == tmp_path / "real.json"
    assert set(snapshot) == {"05_text_and_language_models", "08_text_generation"}  # the failed run is not recorded
    assert snapshot["05_text_and_language_models"]["metrics"] == {"zipf_exponent": 1.01}
    assert snapshot["05_text_and_language_models"]["seconds"] == 7.0 and snapshot["08_text_generation"]["seed"] == 42
    with pytest.raises(ValueError, match="data='stand-in'"):
        course.snapshot_path("stand-in", tmp_path)


def test_runs_under_other_seeds_go_to_their_own_file_and_give_the_spread(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_SEED", raising=False)
    course.update_snapshot([NotebookRun("06_char_rnn", 300.0, metrics={"best_char_ppl": 4.0, "x": 1.0})], "real",
                           tmp_path)
    for seed, value in ((1, 4.4), (0, 4.2)):
        monkeypatch.setenv("COURSE_SEED", str(seed))
        path = course.update_snapshot([NotebookRun("06_char_rnn", 310.0, metrics={"best_char_ppl": value})], "real",
                                      tmp_path)
        assert path == tmp_path / "seeds" / "real.json"
    # the default seed's snapshot, which the lessons quote, is untouched by the other seeds
    assert course.read_snapshot("real", tmp_path)["06_char_rnn"]["metrics"] == {"best_char_ppl": 4.0, "x": 1.0}
    by_seed = course.read_seed_runs("real", tmp_path)["06_char_rnn"]
    assert sorted(by_seed) == [0, 1, 42]
    assert list(json.loads((tmp_path / "seeds" / "real.json").read_text())["06_char_rnn"]) == ["0", "1"]
    values = [by_seed[seed]["metrics"]["best_char_ppl"] for seed in sorted(by_seed)]
    assert course.seed_spread(values) == pytest.approx(0.4 / 4.2)
    assert course.seed_spread([0.0, 0.0]) == 0.0
    with pytest.raises(ValueError, match="values"):
        course.seed_spread([1.0])
    # the board lists the headline metrics only (a target or a lecture figure), with every seed
    lines = course._spread_lines(tmp_path)
    rows = [line for line in lines if line.startswith("| 06_char_rnn")]
    assert len(rows) == 1 and "`best_char_ppl`" in rows[0] and "0, 1, 42" in rows[0] and "9.5%" in rows[0]
    assert "best_char_ppl" in course.headline_metrics("06_char_rnn")


def test_a_run_under_another_seed_keeps_its_own_build_records(tmp_path, monkeypatch):
    monkeypatch.setattr(course, "BUILD_DIR", tmp_path / "build")
    monkeypatch.setattr(course, "run_notebook", lambda path, settings, out, timeout: NotebookRun(path.stem, 1.0))
    monkeypatch.setenv("COURSE_SEED", "7")
    assert course.main(["01_sequence_models", "--profile", "quick"]) == 0
    assert (tmp_path / "build" / "seeds" / "7" / "results.json").exists()
    assert not (tmp_path / "build" / "results.json").exists()


def test_differing_metrics_reports_every_change_and_nothing_else():
    first = [NotebookRun("01_a", 1.0, metrics={"x": 0.5, "y": 1.0, "only_first": 2.0}),
             NotebookRun("02_b", 1.0, metrics={"z": 3.0})]
    again = [NotebookRun("01_a", 2.0, metrics={"x": 0.5, "y": 1.0000001}),
             NotebookRun("02_b", 9.0, metrics={"z": 3.0})]
    found = course.differing_metrics(first, again)
    assert found == [("01_a", "only_first", 2.0, None), ("01_a", "y", 1.0, 1.0000001)]
    assert course.differing_metrics(first, first) == []
    report = course.repeat_report(first, [again, first])
    assert "| 01_a | `y` | 1.0 | 1.0000001 | 1.00e-07 |" in report
    assert "All 4 metrics identical (timings aside)." in report  # the third run equals the first


def test_repeats_report_timings_apart_and_do_not_count_them():
    assert [course.is_timing_metric(name) for name in ("gru_tokens_per_s", "gen_training_seconds",
            "keras_gru_speed_ratio", "one_step_speedup", "seconds_model_ppl", "speed")] == [True] * 4 + [False] * 2
    first = [NotebookRun("06_a", 1.0, metrics={"ppl": 1.5, "gru_tokens_per_s": 9000.0})]
    again = [NotebookRun("06_a", 1.0, metrics={"ppl": 1.5, "gru_tokens_per_s": 9500.0})]
    assert course.differing_metrics(first, again) == []
    assert course.differing_metrics(first, again, timings=True) == [("06_a", "gru_tokens_per_s", 9000.0, 9500.0)]
    report = course.repeat_report(first, [again])
    assert "All 1 metrics identical (timings aside)." in report and "06_a/gru_tokens_per_s" in report
    changed = [NotebookRun("06_a", 1.0, metrics={"ppl": 1.6, "gru_tokens_per_s": 9000.0})]
    assert "1 of 1 metrics differ (timings aside)." in course.repeat_report(first, [changed])
    with pytest.raises(ValueError, match="name"):
        course.is_timing_metric("")


def test_repeat_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        course.main(["--repeat", "0", "01_sequence_models"])
    assert "--repeat=0 must be an integer >= 1" in capsys.readouterr().err


def test_section_times_add_up_the_cell_timings_under_each_heading(tmp_path):
    import nbformat

    def code(start, end):
        cell = nbformat.v4.new_code_cell("x = 1")
        cell.metadata["execution"] = {"iopub.execute_input": f"2026-01-01T00:00:{start:02d}.000Z",
                                      "shell.execute_reply": f"2026-01-01T00:00:{end:02d}.500Z"}
        return cell

    notebook = nbformat.v4.new_notebook(cells=[
        code(0, 1), nbformat.v4.new_markdown_cell("## 1. First\n\ntext"), code(2, 4), code(5, 5),
        nbformat.v4.new_markdown_cell("### a subsection stays in its section"), code(10, 12),
        nbformat.v4.new_markdown_cell("## 2. Second"), nbformat.v4.new_code_cell("never run")])
    assert course.section_times(notebook) == [("setup", 1.5), ("1. First", 2.5 + 0.5 + 2.5), ("2. Second", 0.0)]
    table = course.write_section_times({"01_x": notebook}, tmp_path / "sections.md").read_text()
    assert "## 01_x" in table and "| 1. First | 5.5 | 79% |" in table
    with pytest.raises(ValueError, match="notebook="):
        course.section_times(tmp_path / "01_x.ipynb")


# --- the catalog: the one table of notebooks ----------------------------------------------------


def test_the_catalog_has_an_entry_for_every_notebook_file_and_no_other():
    on_disk = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
    listed = [entry.stem for entry in catalog.entries()]
    assert listed == on_disk, "course/catalog.toml lists each notebook of notebooks/ once, in teaching order"
    missing = [entry.stem for entry in catalog.entries() if not entry.lesson.exists()]
    assert not missing, f"every catalog entry has its lesson: {missing} lack lessons/<stem>.md"


def test_the_readme_course_map_is_what_the_catalog_generates():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert catalog.readme_with_map(text) == text, "the README's course map is stale: `python -m course catalog --write`"
    assert catalog.main([]) == 0, "`python -m course catalog` finds the map up to date"


def test_each_entry_names_real_datasets_the_loaders_know():
    for entry in catalog.entries():
        unknown = set(entry.datasets) - set(REMOTE_FILES)
        assert not unknown, f"{entry.stem}: datasets {sorted(unknown)} are not keys of utils.datasets.REMOTE_FILES"
    assert any(entry.datasets for entry in catalog.entries()), "some notebooks load a real dataset"


def test_a_malformed_catalog_is_an_error_naming_the_entry(tmp_path):
    path = tmp_path / "catalog.toml"
    path.write_text('[[notebook]]\nstem = "01_a"\ntitle = "A"\nminutes = 40\ndatasets = []\n')
    with pytest.raises(ValueError, match=r"notebook entry 0 lacks 'topics'"):
        catalog.entries(path)
    path.write_text('[[notebook]]\nstem = "first"\ntitle = "A"\nminutes = 40\ndatasets = []\ntopics = "x"\n')
    with pytest.raises(ValueError, match=r"stem='first' must be NN_topic"):
        catalog.entries(path)
    with pytest.raises(ValueError, match=r"notebook 'nothing' is not in course/catalog\.toml"):
        catalog.entry_for("nothing")
    assert catalog.entry_for("notebooks/09_seq2seq.ipynb").datasets == ("fra_eng",)


# --- settings travel to the kernel, not through this process ------------------------------------


def test_settings_reach_the_kernel_through_its_own_environment(tmp_path, monkeypatch):
    import os

    import nbformat

    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "inherited"))
    before = dict(os.environ)
    source = "import os\nprint([os.environ.get(k) for k in ('COURSE_PROFILE', 'COURSE_DATA', 'COURSE_SEED')])\n" \
             "print(os.environ.get('COURSE_RESULTS_DIR'))"
    path = tmp_path / "01_env.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)
    executed = course.execute_notebook(path, course.Settings("full", "real", seed=7), cell_timeout=60, cwd=tmp_path)
    assert executed.error is None and executed.warnings == [], "the tiny notebook runs cleanly"
    printed = executed.notebook.cells[0].outputs[0]["text"].splitlines()
    assert printed == ["['full', 'real', '7']", "None"], "the kernel sees the settings, and no inherited results dir"
    assert dict(os.environ) == before, "the runner's own environment is unchanged"
    failing = tmp_path / "01_fail.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert 1 == 2, 'one is not two'")]),
                   failing)
    assert course.execute_notebook(failing, course.Settings(), cwd=tmp_path).error == "AssertionError: one is not two"


def test_settings_are_checked():
    with pytest.raises(ValueError, match="profile='slow'"):
        course.Settings("slow")
    with pytest.raises(ValueError, match="data='auto'"):
        course.Settings("quick", "auto")
    with pytest.raises(ValueError, match="seed=-1"):
        course.Settings(seed=-1)
    with pytest.raises(ValueError, match="settings="):
        course.execute_notebook(ROOT / "notebooks" / "01_sequence_models.ipynb", {"profile": "quick"})


def test_the_snapshot_and_the_board_carry_each_runs_device_and_keep_devices_apart(tmp_path, monkeypatch):
    """A number measured on a GPU is never mixed with CPU runs: the device travels from the notebook's record
    (utils.results) to the snapshot, the board shows it, and a spread over seeds takes one device's runs only."""
    monkeypatch.delenv("COURSE_SEED", raising=False)
    course.update_snapshot([NotebookRun("06_char_rnn", 300.0, metrics={"best_char_ppl": 4.0}, device="2 CPU cores")],
                           "real", tmp_path)
    assert course.read_snapshot("real", tmp_path)["06_char_rnn"]["machine"] == "2 CPU cores"
    for seed, value, device in ((0, 4.2, "2 CPU cores"), (1, 3.0, "1 GPU (NVIDIA T4)")):
        course.update_snapshot([NotebookRun("06_char_rnn", 30.0, metrics={"best_char_ppl": value}, device=device)],
                               "real", tmp_path, seed=seed)
    assert sorted(course.read_seed_runs("real", tmp_path)["06_char_rnn"]) == [0, 42], "the GPU run is left out"
    board = course.write_board(tmp_path / "board", {"offline": {}, "real": course.read_snapshot("real", tmp_path)})
    assert "| 06_char_rnn | real | full | 2 CPU cores | 300.0 s |" in board.read_text()


def test_the_runner_reads_the_device_the_notebook_recorded(tmp_path, monkeypatch):
    import nbformat

    def fake_execute(path, settings, cell_timeout=None, cwd=None):  # what utils.results writes in the kernel
        record = {"metrics": {"naive_mse": 0.02}, "device": "1 GPU (NVIDIA T4)"}
        (settings.results_dir / f"{path.stem}.json").write_text(json.dumps(record))
        return course.Executed(nbformat.v4.new_notebook(), 1.0, None, [])

    monkeypatch.setattr(course, "execute_notebook", fake_execute)
    run = course.run_notebook(course.entry_for("01_sequence_models").notebook,
                              course.Settings(results_dir=tmp_path / "records"), tmp_path)
    assert run.device == "1 GPU (NVIDIA T4)" and run.metrics == {"naive_mse": 0.02}
