"""Results quoted in the lessons and the README: the marker grammar, the check against the snapshot, the update.

The last tests run over the real lessons and README: every lecture figure and target they quote
must agree with utils, every figure of the full runs must agree with the committed snapshot
(results/offline.json, results/real.json; skipped, with the command that writes it, while a
snapshot does not exist yet), and no result in a Results section or a table of results may be
left without a marker.
"""

import json

import pytest

from course import quotes
from course.quotes import Change, check, find_quotes, format_like, parse_source, unmarked_numbers, update
from course.run import DATA_KINDS, snapshot_path
from utils.goals import LECTURE_FIGURES, TARGETS


def _snapshot(folder, data="offline", **entries):
    """Write a snapshot file like course.run.update_snapshot does: {notebook: {"metrics": ...}}."""
    folder.mkdir(parents=True, exist_ok=True)
    snapshot = {
        notebook: {"metrics": metrics, "seconds": seconds, "seed": 42, "python": "3.11.7", "machine": "2 CPU cores"}
        for notebook, (metrics, seconds) in entries.items()
    }
    snapshot_path(data, folder).write_text(json.dumps(snapshot))
    return folder


@pytest.fixture
def snapshot_dir(tmp_path):
    return _snapshot(
        tmp_path / "results",
        **{
            "03_deep_rnn": ({"deep_rnn_mse": 0.0029811, "naive_mse": 0.256974, "vector_mse": 0.0031712}, 208.4),
            "06_char_rnn": ({"best_char_ppl": 1.23789, "optimal_ppl": 1.21118, "tokens_per_s": 294471.6}, 93.2),
            "07_imdb_sentiment": ({"lstm_accuracy": 0.94152, "bow_accuracy": 0.78812}, 381.7),
        },
    )


def _lesson(tmp_path, text, name="03_lesson.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------
# (a) the parser, the formatter and the updater


def test_markers_parse_into_sources():
    source = parse_source("offline:03_deep_rnn/deep_rnn_mse")
    assert (source.kind, source.notebook, source.operands[0].name, source.operators) == (
        "offline", "03_deep_rnn", "deep_rnn_mse", ())
    ratio = parse_source("real:06_char_rnn/best_char_ppl ÷ 05_text_and_language_models/trigram_ppl - 1")
    assert [(o.notebook, o.name, o.number) for o in ratio.operands] == [
        ("06_char_rnn", "best_char_ppl", None), ("05_text_and_language_models", "trigram_ppl", None), (None, None, 1.0)]
    assert ratio.operators == ("÷", "−")
    assert parse_source("offline:08_text_generation/log2(gen_val_ppl)").operands[0].log2
    assert parse_source("offline:06_char_rnn/machine").machine
    assert parse_source("lecture:naive_mse").metric == "naive_mse"
    target = parse_source("target:06_char_rnn/best_char_ppl#2")
    assert (target.kind, target.notebook, target.metric, target.index) == ("target", "06_char_rnn", "best_char_ppl", 2)
    assert parse_source("const").kind == "const"


@pytest.mark.parametrize("marker, message", [
    ("offline:deep_rnn/deep_rnn_mse", "is not one of"),
    ("real:03_deep_rnn", "is not one of"),
    ("offline:03_deep_rnn/deep_rnn_mse ÷", "ends with an operator"),
    ("offline:03_deep_rnn/a b", "two operands"),
    ("offline:03_deep_rnn/÷ a", "operator '÷' where"),
    ("offline:03_deep_rnn/a ÷ B!", "cannot read"),
    ("offline:03_deep_rnn/a ÷ machine", "quote of its own"),
    ("target:03_deep_rnn/deep_rnn_mse#0", "is not one of"),
])
def test_malformed_markers_are_clear_errors_naming_file_and_line(tmp_path, marker, message):
    path = _lesson(tmp_path, f"# Lesson\n\nline two\nThe MSE is 0.0030<!-- {marker} -->.\n")
    with pytest.raises(ValueError, match=message) as error:
        check([path], tmp_path)
    assert f"{path}:4:" in str(error.value)


def test_a_marker_must_follow_a_number(tmp_path):
    path = _lesson(tmp_path, "The MSE is small<!-- offline:03_deep_rnn/deep_rnn_mse -->.\n")
    with pytest.raises(ValueError, match=r":1: the marker .* must directly follow a number"):
        find_quotes(path.read_text(), path)
    spaced = _lesson(tmp_path, "The MSE is 0.0030 <!-- offline:03_deep_rnn/deep_rnn_mse -->.\n", "b.md")
    with pytest.raises(ValueError, match="must directly follow"):
        find_quotes(spaced.read_text(), spaced)
    machine = _lesson(tmp_path, "on a two-core CPU<!-- offline:03_deep_rnn/machine -->\n", "c.md")
    with pytest.raises(ValueError, match="CPU cores, Python"):
        find_quotes(machine.read_text(), machine)


def test_other_comments_and_markers_in_code_are_left_alone(tmp_path):
    text = ("<!-- a note for editors -->\n`0.5<!-- offline:03_deep_rnn/x -->`\n"
            "```\n0.5<!-- offline:03_deep_rnn/y -->\n```\n2.5<!-- offline:03_deep_rnn/z -->\n")
    assert [(q.line, q.shown, q.source.text) for q in find_quotes(text)] == [(6, "2.5", "offline:03_deep_rnn/z")]


@pytest.mark.parametrize("value, shown, unit, expected", [
    (0.0029811, "0.002977", "", "0.002981"),
    (0.0029815, "0.0030", "", "0.0030"),
    (1.0, "0.9997", "", "1.0000"),
    (-0.48339, "−0.4971", "", "−0.4834"),
    (-0.48339, "-0.4971", "", "-0.4834"),
    (-0.00001, "−0.0000", "", "0.0000"),
    (294471.6, "275,853", "", "294,472"),
    (999.4, "1,036", "", "999"),
    (1036.17, "1036", "", "1036"),
    (0.04486, "4.5", "%", "4.5"),
    (0.337, "33.7", " %", "33.7"),
    (1.2432, "1.24", "×", "1.24"),
    (1.788e-07, "1.8 × 10⁻⁷", "", "1.8 × 10⁻⁷"),
    (2.04e-08, "1.8 × 10⁻⁷", "", "2.0 × 10⁻⁸"),
    (148.2, "1.5×10²", "", "1.5×10²"),
    (93.2, "93", " s", "93"),
    (1439.0, "24", " minutes", "24"),
    (1439.0, "23.98", " min", "23.98"),
])
def test_format_like_keeps_the_shown_form(value, shown, unit, expected):
    assert format_like(value, shown, unit) == expected


def test_format_like_rejects_what_it_cannot_write():
    with pytest.raises(ValueError, match="not a number of a supported form"):
        format_like(1.0, "about one")
    with pytest.raises(ValueError, match="finite"):
        format_like(float("nan"), "0.5")


def test_quotes_that_agree_pass(tmp_path, snapshot_dir):
    path = _lesson(tmp_path, (
        "## 6. Results\n\n"
        "| model | validation MSE |\n| --- | ---: |\n"
        "| deep | **0.002981**<!-- offline:03_deep_rnn/deep_rnn_mse --> |\n\n"
        "The lecture: 0.020211<!-- lecture:naive_mse -->; the goal 0.0275"
        "<!-- target:03_deep_rnn/ten_step_iterative_mse -->.\n"
        "Naive ÷ vector: 81.0×<!-- offline:03_deep_rnn/naive_mse÷vector_mse -->, vector ÷ naive "
        "1.2%<!-- offline:03_deep_rnn/vector_mse÷naive_mse -->; best 2.2%"
        "<!-- offline:06_char_rnn/best_char_ppl÷optimal_ppl−1 --> above, 294,472"
        "<!-- offline:06_char_rnn/tokens_per_s --> tokens/s, 15.3"
        "<!-- offline:07_imdb_sentiment/lstm_accuracy−bow_accuracy×100 --> points, $H = 0.2764$"
        "<!-- offline:06_char_rnn/log2(optimal_ppl) -->.\n"
        "Cross-notebook: 0.2570<!-- offline:03_deep_rnn/06_char_rnn/optimal_ppl×0+naive_mse -->.\n"
        "The notebook ran in **208 s**<!-- offline:03_deep_rnn/seconds --> (3.5 min"
        "<!-- offline:03_deep_rnn/seconds -->; 10 minutes<!-- offline:03_deep_rnn/seconds+07_imdb_sentiment/seconds"
        " -->) on 2 CPU cores, Python 3.11<!-- offline:03_deep_rnn/machine -->.\n"
    ))
    assert check([path], snapshot_dir) == []


def test_mismatches_name_file_line_and_both_numbers(tmp_path, snapshot_dir):
    path = _lesson(tmp_path, (
        "# Lesson\n\n"
        "| deep | 0.002977<!-- offline:03_deep_rnn/deep_rnn_mse --> |\n"
        "Ran in 207 s<!-- offline:03_deep_rnn/seconds --> on 4 CPU cores, Python 3.12"
        "<!-- offline:03_deep_rnn/machine -->.\n"
        "Lecture 0.0202<!-- lecture:naive_mse -->, ratio 4.5%<!-- offline:03_deep_rnn/vector_mse÷naive_mse -->.\n"
    ))
    problems = check([path], snapshot_dir)
    assert [(p.line, p.kind, p.shown, p.expected) for p in problems] == [
        (3, "mismatch", "0.002977", "0.002981"),
        (4, "mismatch", "207", "208"),
        (4, "mismatch", "4 CPU cores, Python 3.12", "2 CPU cores, Python 3.11"),
        (5, "mismatch", "4.5", "1.2"),
    ]
    text = str(problems[0])
    assert text.startswith(f"{path}:3: shows 0.002977 but ") and "gives 0.002981" in text
    assert "offline:03_deep_rnn/deep_rnn_mse" in text and "make quotes" in text
    assert "shows 4.5% but" in str(problems[3]) and "gives 1.2%" in str(problems[3])


def test_unknown_metrics_missing_entries_and_missing_snapshots_are_reported(tmp_path, snapshot_dir):
    path = _lesson(tmp_path, (
        "a 0.5<!-- offline:03_deep_rnn/no_such_metric -->\n"
        "b 0.5<!-- offline:09_seq2seq/pairs_corpus_bleu_plain -->\n"
        "c 0.5<!-- real:06_char_rnn/ngram_char_ppl -->\n"
        "d 0.5<!-- lecture:no_such_figure -->\n"
        "e 0.5<!-- target:06_char_rnn/best_char_ppl -->\n"
        "f 0.5<!-- target:03_deep_rnn/deep_rnn_mse#2 -->\n"
        "g 0.5<!-- const -->\n"
    ))
    problems = check([path], snapshot_dir)
    assert [(p.line, p.kind, p.data) for p in problems] == [
        (1, "unknown", "offline"), (2, "missing", "offline"), (3, "no-snapshot", "real"),
        (4, "unknown", "lecture"), (5, "unknown", "target"), (6, "unknown", "target")]
    assert "no_such_metric is not recorded by 03_deep_rnn" in str(problems[0]) and "deep_rnn_mse" in str(problems[0])
    assert "has no entry for 09_seq2seq" in str(problems[1])
    assert "real.json does not exist yet: `make course-real` writes it" in str(problems[2])
    assert "has 2 targets: name one with #1 to #2" in str(problems[4])
    assert "has only 1 target" in str(problems[5])


def test_lecture_figures_and_targets_come_from_utils(tmp_path):
    naive = LECTURE_FIGURES[("01_sequence_models", "naive_mse")]
    optimum = TARGETS[("06_char_rnn", "best_char_ppl")][1].value
    text = (f"{naive:.6f}<!-- lecture:naive_mse --> {optimum:.2f}<!-- target:06_char_rnn/best_char_ppl#2 -->"
            " 0.99<!-- target:09_seq2seq/date_exact_match_beam -->\n")
    path = _lesson(tmp_path, text)
    assert check([path], tmp_path / "nothing") == []


def test_update_rewrites_only_the_digits_and_keeps_the_format(tmp_path, snapshot_dir):
    original = (
        "# Lesson\n\n"
        "| deep | **0.002977**<!-- offline:03_deep_rnn/deep_rnn_mse --> "
        "| 275,853<!-- offline:06_char_rnn/tokens_per_s --> |\n"
        "Ratio 4.5%<!-- offline:03_deep_rnn/vector_mse÷naive_mse -->, lecture 0.0202<!-- lecture:naive_mse -->, "
        "const 0.000833<!-- const -->, unknown 0.5<!-- offline:03_deep_rnn/nothing -->.\n"
        "Ran in 207 s<!-- offline:03_deep_rnn/seconds --> on "
        "4 CPU cores, Python 3.12.1<!-- offline:03_deep_rnn/machine -->.\n"
    )
    path = _lesson(tmp_path, original)
    changes, problems = update([path], snapshot_dir)
    assert [(c.line, c.old, c.new) for c in changes] == [
        (3, "0.002977", "0.002981"), (3, "275,853", "294,472"), (4, "4.5", "1.2"),
        (5, "207", "208"), (5, "4 CPU cores, Python 3.12.1", "2 CPU cores, Python 3.11.7")]
    assert all(isinstance(c, Change) for c in changes)
    assert [(p.line, p.kind) for p in problems] == [(4, "unknown")]
    assert path.read_text() == (
        "# Lesson\n\n"
        "| deep | **0.002981**<!-- offline:03_deep_rnn/deep_rnn_mse --> "
        "| 294,472<!-- offline:06_char_rnn/tokens_per_s --> |\n"
        "Ratio 1.2%<!-- offline:03_deep_rnn/vector_mse÷naive_mse -->, lecture 0.0202<!-- lecture:naive_mse -->, "
        "const 0.000833<!-- const -->, unknown 0.5<!-- offline:03_deep_rnn/nothing -->.\n"
        "Ran in 208 s<!-- offline:03_deep_rnn/seconds --> on "
        "2 CPU cores, Python 3.11.7<!-- offline:03_deep_rnn/machine -->.\n"
    )
    assert [p.kind for p in check([path], snapshot_dir)] == ["unknown"]
    assert update([path], snapshot_dir)[0] == []  # nothing left to change


def test_seeds_markers_quote_the_spread_over_at_least_three_seeds(tmp_path, snapshot_dir):
    seeds = {"06_char_rnn": {"0": {"metrics": {"best_char_ppl": 1.25}}}}
    (snapshot_dir / "seeds").mkdir()
    (snapshot_dir / "seeds" / "offline.json").write_text(json.dumps(seeds))
    path = _lesson(tmp_path, "Seeds span 1.0%<!-- seeds:offline:06_char_rnn/best_char_ppl -->.\n")
    assert parse_source("seeds:offline:06_char_rnn/best_char_ppl").kind == "seeds"
    problems = check([path], snapshot_dir)
    assert [p.kind for p in problems] == ["missing"] and "2 seed(s)" in problems[0].message
    seeds["06_char_rnn"]["1"] = {"metrics": {"best_char_ppl": 1.24}}
    (snapshot_dir / "seeds" / "offline.json").write_text(json.dumps(seeds))
    problems = check([path], snapshot_dir)  # (1.25 - 1.23789) / mean of the three = 0.98%, shown as 1.0%
    assert problems == []
    wrong = _lesson(tmp_path, "Seeds span 3.0%<!-- seeds:offline:06_char_rnn/best_char_ppl -->.\n", "04_x.md")
    assert [p.kind for p in check([wrong], snapshot_dir)] == ["mismatch"]


def test_update_leaves_quotes_alone_while_their_snapshot_is_missing(tmp_path):
    original = "x 0.5<!-- offline:03_deep_rnn/deep_rnn_mse -->\n"
    path = _lesson(tmp_path, original)
    changes, problems = update([path], tmp_path / "no_results")
    assert changes == [] and [p.kind for p in problems] == ["no-snapshot"] and path.read_text() == original


def test_command_line_check_and_update(tmp_path, snapshot_dir, monkeypatch, capsys):
    monkeypatch.setattr(quotes, "SNAPSHOT_DIR", snapshot_dir)
    path = _lesson(tmp_path, "x 0.002977<!-- offline:03_deep_rnn/deep_rnn_mse -->\n")
    assert quotes.main(["--check", str(path)]) == 1
    assert "shows 0.002977 but" in capsys.readouterr().out
    assert quotes.main(["--update", str(path)]) == 0
    assert "0.002977 -> 0.002981" in capsys.readouterr().out
    assert quotes.main(["--check", str(path)]) == 0
    bad = _lesson(tmp_path, "x 0.5<!-- offline:nonsense -->\n", "bad.md")
    assert quotes.main(["--check", str(bad)]) == 2
    assert f"{bad}:1:" in capsys.readouterr().err


RULE_TEXT = """# 04 · A lesson

Section 7.1 says 0.000985 in prose outside the results, which the rule leaves alone.

| layer | parameters |
| --- | ---: |
| LSTM | 1,760.5 |

## 9. Results

Measured with TensorFlow 2.21 and Keras 3.15 on 2 CPU cores, Python 3.11<!-- offline:04_lstm_gru/machine -->, \
see arXiv:1705.08209, section 7.1 and version 3.11.7, on 2021-03-03 (Tallec & Ollivier, 2018).
The MSE is 0.001036<!-- offline:04_lstm_gru/best_one_step_mse -->, the floor 0.000833<!-- const -->, \
the lecture 0.002911<!-- lecture:deep_rnn_mse -->, in math $0.000985 \\times 1.18$, in code `0.123456`, \
short ones 0.14 and 1.0 and 0.0060, integers 5,061 and 100.
An unmarked 0.002791 and **1.24**× the floor, and −0.4971.

```python
x = 0.123456
```

### 9.1 A subsection of the results

It still counts: 0.3148.

## 10. Exercises

Outside again: 0.0505.

| model | perplexity |
| --- | ---: |
| GRU | 1.2472 |

| metric | stand-in |
| --- | ---: |
| `x` | 1.2551 |
| `y` | 1.036<!-- offline:06_char_rnn/ratio --> |
"""


def test_the_rule_finds_results_left_without_a_marker(tmp_path):
    path = _lesson(tmp_path, RULE_TEXT, "04_lesson.md")
    found = unmarked_numbers([path])
    assert [(u.line, u.number) for u in found] == [
        (13, "0.002791"), (13, "1.24"), (13, "0.4971"), (21, "0.3148"), (29, "1.2472"), (33, "1.2551")]
    assert str(found[0]).startswith(f"{path}:13: 0.002791 has no marker")


def test_the_rule_accepts_a_fully_marked_lesson(tmp_path):
    marked = (RULE_TEXT.replace("0.002791 and", "0.002791<!-- const --> and")
              .replace("**1.24**×", "**1.24**<!-- const -->×").replace("−0.4971.", "−0.4971<!-- const -->.")
              .replace("0.3148.", "0.3148<!-- const -->.").replace("| 1.2472 |", "| 1.2472<!-- const --> |")
              .replace("| 1.2551 |", "| 1.2551<!-- const --> |"))
    assert unmarked_numbers([_lesson(tmp_path, marked, "04_lesson.md")]) == []


@pytest.mark.parametrize("number, digits", [("0.0060", 2), ("1.000", 4), ("294,472", 6), ("24.3", 3), ("0.5", 1)])
def test_significant_digits(number, digits):
    assert quotes.significant_digits(number) == digits


# ------------------------------------------------------------------------------------------
# (b) the lessons and the README against utils and the committed snapshot


def _problems_by_data():
    found = {}
    for problem in check():
        found.setdefault(problem.data, []).append(problem)
    return found


def test_every_marker_in_the_lessons_and_the_readme_parses():
    assert sum(len(find_quotes(path.read_text(encoding="utf-8"), path)) for path in quotes.default_paths()) > 0


def test_lecture_figures_and_targets_quoted_agree_with_utils():
    problems = [p for data in ("lecture", "target") for p in _problems_by_data().get(data, [])]
    assert not problems, "quotes that disagree with utils:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("data", DATA_KINDS)
def test_quoted_results_agree_with_the_snapshot(data):
    needed = [quote for path in quotes.default_paths()
              for quote in find_quotes(path.read_text(encoding="utf-8"), path) if quote.data == data]
    path = snapshot_path(data)
    where = f"{path.parent.name}/{path.name}"
    if not needed:
        pytest.skip(f"no lesson and not the README quotes a result from {where}")
    if not path.exists():
        pytest.skip(f"{len(needed)} quoted results need {where}, which does not exist yet: "
                    f"`{quotes.SNAPSHOT_COMMANDS[data]}` writes it (the full runs), then `make quotes`")
    problems = _problems_by_data().get(data, [])
    missing = [problem for problem in problems if problem.kind == "missing"]
    wrong = [problem for problem in problems if problem.kind != "missing"]
    assert not wrong, f"quotes that disagree with {where}:\n" + "\n".join(map(str, wrong))
    if missing:  # a notebook not yet run in this snapshot: its quotes cannot be checked, and say so
        notebooks = sorted({problem.source.split(":", 1)[1].split("/", 1)[0] for problem in missing})
        pytest.skip(f"{len(missing)} quoted results come from notebooks that {where} has no entry for "
                    f"({', '.join(notebooks)}): `{quotes.SNAPSHOT_COMMANDS[data]} NOTEBOOK` records them")


# ------------------------------------------------------------------------------------------
# (c) no result left without a marker


def test_no_result_in_a_results_section_or_table_is_left_without_a_marker():
    found = unmarked_numbers()
    assert not found, ("mark each with its source (see course/README.md), or <!-- const --> for a genuine "
                       "constant:\n" + "\n".join(map(str, found)))


def test_the_default_files_include_the_instructor_notes(tmp_path):
    for name in ("lessons/01_a.md", "lessons/instructor/01_a.md", "lessons/figures/README.md", "README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in quotes.default_paths(tmp_path)] == [
        "lessons/01_a.md", "lessons/instructor/01_a.md", "README.md"], "student text, instructor notes, README"


def test_markers_in_lists_tables_and_quotes_are_found_but_not_in_code_spans(tmp_path):
    text = ("- item 0.5<!-- const -->\n  more 1.5<!-- const --> and `2.5<!-- const -->`\n\n"
            "| a | 3.5<!-- const --> | 3.5<!-- const --> |\n| --- | --- | --- |\n\n> quoted 4.5<!-- const -->\n")
    found = [(q.line, q.shown, text[q.start:q.end]) for q in find_quotes(text)]
    assert found == [(1, "0.5", "0.5"), (2, "1.5", "1.5"), (4, "3.5", "3.5"), (4, "3.5", "3.5"), (7, "4.5", "4.5")]
    assert len({q.start for q in find_quotes(text)}) == 5, "two equal markers on one line are two places"


def test_a_timing_from_a_gpu_run_must_say_so(tmp_path):
    entry = ({"tokens_per_s": 90000.0, "best_char_ppl": 1.25}, 40.0)
    folder = _snapshot(tmp_path / "results", **{"06_char_rnn": entry})
    snapshot = json.loads(snapshot_path("offline", folder).read_text())
    snapshot["06_char_rnn"]["machine"] = "1 GPU (NVIDIA T4)"
    snapshot_path("offline", folder).write_text(json.dumps(snapshot))
    silent = _lesson(tmp_path, "It trained 90000<!-- offline:06_char_rnn/tokens_per_s --> tokens per second, "
                               "in 40 s<!-- offline:06_char_rnn/seconds -->, "
                               "to 1.25<!-- offline:06_char_rnn/best_char_ppl -->.\n"
                               "On 1 GPU (NVIDIA T4), Python 3.11<!-- offline:06_char_rnn/machine -->.\n")
    problems = check([silent], snapshot_dir=folder)
    assert sorted(p.source for p in problems) == ["offline:06_char_rnn/seconds", "offline:06_char_rnn/tokens_per_s"]
    assert all(p.kind == "device" and "GPU run" in p.message for p in problems)
    said = _lesson(tmp_path, "On a GPU it trained 90000<!-- offline:06_char_rnn/tokens_per_s --> tokens per second.\n",
                   name="04_lesson.md")
    assert check([said], snapshot_dir=folder) == [], "a timing whose sentence names the GPU passes"
