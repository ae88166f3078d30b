"""The notebooks as files: clean, with the shared setup cell, linked to their lessons."""

import json
import re

import pytest

from course.notebooks import (
    LESSON_DIR,
    ROOT,
    SETUP_CELL,
    cell_source,
    colab_url,
    find_setup_cell,
    notebook_paths,
    warnings_in_outputs,
)

NOTEBOOKS = notebook_paths()


def test_the_course_has_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text())
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {index} has outputs: run `make strip-notebooks`"
            assert cell["execution_count"] is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_setup_cell_is_the_shared_one(path):
    notebook = json.loads(path.read_text())
    index = find_setup_cell(notebook)
    assert index == 1, "the setup cell comes right after the title cell"
    assert cell_source(notebook["cells"][index]) == SETUP_CELL, "run `make sync-notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_cell_links_lesson_colab_and_time(path):
    title = cell_source(json.loads(path.read_text())["cells"][0])
    number = path.stem[:2]
    assert title.startswith(f"# {number} · "), "title cell: '# NN · Topic'"
    lesson = f"../lessons/{path.stem}.md"
    assert lesson in title and (LESSON_DIR / f"{path.stem}.md").exists()
    assert colab_url(path.name) in title, "Colab badge out of date: run `make sync-notebooks`"
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", title)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_links_back_to_its_notebook(path):
    lesson = (LESSON_DIR / f"{path.stem}.md").read_text()
    assert f"../notebooks/{path.name}" in lesson


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_records_results_and_asserts_claims(path):
    code = "\n".join(
        cell_source(c) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"
    )
    assert f'ResultsTable("{path.stem}")' in code
    assert "assert " in code
    assert "if quick" not in code and "current_profile()" not in code, "no profile branches in notebooks"


def test_readme_course_map_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme and f"lessons/{path.stem}.md" in readme


def test_warning_detection():
    outputs = [
        {"output_type": "stream", "name": "stderr", "text": "x.py:3: UserWarning: Do not pass `input_shape`\n"},
        {"output_type": "stream", "name": "stdout", "text": "fine\n"},
        {"output_type": "stream", "name": "stderr", "text": ["WARNING:absl:You are saving in HDF5\n"]},
        {"output_type": "execute_result", "data": {"text/plain": "DeprecationWarning: ignored here"}},
    ]
    found = warnings_in_outputs(outputs)
    assert len(found) == 2 and "UserWarning" in found[0] and found[1].startswith("WARNING:absl")
    assert warnings_in_outputs([{"output_type": "stream", "text": "loss 0.1\n"}]) == []


def test_gpu_start_up_lines_are_not_warnings_but_a_gpu_warning_is():
    """What TensorFlow logs while it sets up a GPU (if any reaches a cell) is information, not a warning;
    a Python warning raised on a GPU still fails the cell."""
    start_up = ("I0000 00:00:1733600000.123456 1234 gpu_device.cc:2022] Created device "
                "/job:localhost/replica:0/task:0/device:GPU:0 with 13942 MB memory: -> device: 0, name: Tesla T4\n"
                "I0000 00:00:1733600001.5 1240 cuda_dnn.cc:529] Loaded cuDNN version 90300\n")
    assert warnings_in_outputs([{"output_type": "stream", "name": "stderr", "text": start_up}]) == []
    real = "layer.py:12: UserWarning: RNN layer did not use the cuDNN kernel\n"
    assert warnings_in_outputs([{"output_type": "stream", "name": "stderr", "text": start_up + real}]) == [real.strip()]


def test_session_times_agree_between_readme_lessons_and_notebooks():
    """The time a session takes is stated three times: the README's course map, the lesson, the notebook."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d\d) \|.*\| (\d+) min \|\s*$", readme, re.M)
    in_readme = {number: int(minutes) for number, minutes in rows}
    for path in notebook_paths():
        number = path.stem[:2]
        lesson = (ROOT / "lessons" / f"{path.stem}.md").read_text(encoding="utf-8")
        in_lesson = int(re.search(r"^Time: about (\d+) minutes", lesson, re.M).group(1))
        title = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
        in_notebook = int(re.search(r"\*\*Time:\*\* about (\d+) minutes", title).group(1))
        assert in_readme.get(number) == in_lesson == in_notebook, path.stem


RESEED = re.compile(r"(set_random_seed|tf\.random\.set_seed)\((?P<argument>[^)]*)\)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_silently_overrides_the_course_seed(path):
    """A reseed of the global generators with a fixed number would make every later cell the same under
    any COURSE_SEED, so runs under other seeds would test nothing there: derive it from course_seed(), or
    say on the line why a fixed seed is wanted ("a fixed seed")."""
    notebook = json.loads(path.read_text())
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code" or index == find_setup_cell(notebook):
            continue
        for line in cell_source(cell).splitlines():
            match = RESEED.search(line)
            if match and "course_seed(" not in match["argument"]:
                assert "a fixed seed" in line, f"cell {index} reseeds with {match['argument']!r}: {line.strip()}"


def test_reseed_pattern_catches_a_fixed_seed():
    assert RESEED.search("    keras.utils.set_random_seed(42)")["argument"] == "42"
    assert "course_seed(" in RESEED.search("keras.utils.set_random_seed(course_seed() + 7)")["argument"]
