"""The lessons as student text (issue 23): short, free of bookkeeping, with figures, with code.

A lesson ``lessons/NN_topic.md`` is what a student reads; ``lessons/instructor/NN_topic.md`` holds
the plan for the hour, the answers, seed spreads, timings, version notes and commands. Every lesson
that has instructor notes is held to the student-text rules below. Lessons not yet split are listed
in ``NOT_YET_SPLIT``; the list must shrink as they are, and a test fails on a stale entry.

The rules, checked on the student text (fenced code, math and HTML comments set aside where a rule
is about prose):

* at most 4,000 words; no paragraph of 150 words or more; a "Key ideas" box near the top: a
  blockquote whose first line is ``> **Key ideas**``, before the first numbered section;
* no command (in backticks or a shell block), build path, environment variable, the word "seed",
  machine note (CPU cores, "shared machine") or Keras/TensorFlow version note;
* at least 3 figures and at least one per 1,200 words, one of them a measured result (a figure
  ``make_figures.py`` drew from ``results/*.json``, as its manifest records), each with alt text;
* lessons 05 and later: a fenced ``python`` listing of 10 to 25 lines whose every non-blank line
  appears in the lesson's notebook (whitespace-normalised);
* no link to the instructor notes (the website links the two).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
INSTRUCTOR = LESSONS / "instructor"
NOTEBOOKS = ROOT / "notebooks"
MANIFEST = LESSONS / "figures" / "MANIFEST.json"

#: Lessons still waiting to be split into student text and instructor notes (issue 23).
NOT_YET_SPLIT: set[str] = set()

MAX_WORDS = 4000
MAX_PARAGRAPH_WORDS = 150
MIN_FIGURES = 3
WORDS_PER_FIGURE = 1200
LISTING_LINES = (10, 25)
LISTING_FROM = 5  # lessons from this number on show a listing of their core

FENCE = re.compile(r"^(?P<fence>```|~~~)(?P<lang>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$[^$\n]+?\$")
COMMENT = re.compile(r"<!--.*?-->", re.S)
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)[^)]*\)")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)[^)]*\)")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,\-–/×%]*")
SHELL_LANGUAGES = {"bash", "sh", "shell", "console", "zsh", "powershell", "bat", "cmd"}

#: What a student text must not contain, as (what, pattern); searched outside fenced code, with math kept.
FORBIDDEN = [
    ("a command", re.compile(r"`\s*(make|python3?|pytest|pip3?|jupyter|git|conda|ruff|nbval)\b[^`]*`", re.I)),
    ("a command", re.compile(r"\b(python3? -m|pip install|make (course|seeds|test|lab|figures|student|quotes)\b)")),
    ("a build path", re.compile(r"\bbuild/")),
    ("an environment variable",
     re.compile(r"\b(COURSE_[A-Z_]+|TF_[A-Z_]{3,}|CUDA_[A-Z_]+|PYTHONPATH|KERAS_BACKEND)\b")),
    ('the word "seed"', re.compile(r"\bseed(s|ed|ing)?\b", re.I)),
    ("a machine note", re.compile(r"\bCPU cores?\b|\bshared machine\b|\bthis machine\b|\bPython 3\.\d+", re.I)),
    ("a Keras or TensorFlow version note", re.compile(r"\b(Keras|TensorFlow|tf\.keras)\s+\d+\.\d+", re.I)),
]


def student_lessons() -> list[Path]:
    return sorted(LESSONS.glob("[0-9][0-9]_*.md"))


def split_lessons() -> list[Path]:
    return [path for path in student_lessons() if (INSTRUCTOR / path.name).exists()]


def without_code(text: str) -> str:
    return FENCE.sub("", text)


def prose(text: str) -> str:
    """The text a word count sees: no fenced code, no math, no comments, images and links by their text."""
    text = COMMENT.sub("", without_code(text))
    text = DISPLAY_MATH.sub(" ", text)
    text = INLINE_MATH.sub(" ", text)
    text = IMAGE.sub(" ", text)
    text = LINK.sub(lambda m: m["text"], text)
    return text


def count_words(text: str) -> int:
    return len(WORD.findall(prose(text)))


def paragraphs(text: str) -> list[str]:
    """Blocks of prose between blank lines; each list item is a paragraph of its own; tables are not prose."""
    text = DISPLAY_MATH.sub(" ", COMMENT.sub("", without_code(text)))
    found = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("|")]
        item: list[str] = []
        for line in lines:
            if re.match(r"\s*([-*+]|\d+\.)\s", line) and item:
                found.append(" ".join(item).strip())
                item = []
            item.append(line.strip())
        if item:
            found.append(" ".join(item).strip())
    return found


def figures_shown(text: str) -> list[tuple[str, str]]:
    return [(m["alt"], m["target"]) for m in IMAGE.finditer(without_code(text))]


def listings(text: str) -> list[str]:
    return [m["body"] for m in FENCE.finditer(text) if m["lang"].strip().lower() in ("python", "py")]


def normalise(line: str) -> str:
    return re.sub(r"\s+", "", line)


def notebook_lines(path: Path) -> set[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {normalise(line) for cell in cells if cell["cell_type"] == "code"
            for line in "".join(cell["source"]).splitlines() if line.strip()}


def forbidden_in(text: str) -> list[str]:
    searched = COMMENT.sub("", text)
    found = []
    for match in FENCE.finditer(searched):
        if match["lang"].strip().lower() in SHELL_LANGUAGES:
            found.append(f"a shell block: {match['body'].strip().splitlines()[0] if match['body'].strip() else ''}")
    searched = without_code(searched)
    for what, pattern in FORBIDDEN:
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(searched)]
    return found


def result_figures() -> set[str]:
    return set(json.loads(MANIFEST.read_text(encoding="utf-8")).get("results", {}))


# ------------------------------------------------------------------------------------------
# The checks' own machinery, on small samples


SAMPLE = """# 99 · Sample

> **Key ideas**
> - one idea

Some words here, $x_t = 1$ and more.

$$a + b$$

```python
ignored = "not counted"
```

- a list item
- another item <!-- offline:x/y -->

| table | row |
| --- | --- |

![alt](figures/a.svg)
"""


def test_word_count_leaves_out_code_math_comments_and_image_targets():
    counted = "99 Sample Key ideas one idea Some words here, and more. a list item another item table row"
    assert count_words(SAMPLE) == len(counted.split()), "only prose (and table cells) is counted"


def test_paragraphs_split_list_items_and_drop_tables_and_code():
    found = paragraphs(SAMPLE)
    assert "- a list item" in found and "- another item" in found, "each list item is a paragraph"
    assert not any("ignored" in p or "| table" in p for p in found), "code and tables are not prose"


@pytest.mark.parametrize("bad", [
    "Run `make course` first.", "See build/results.md.", "Set COURSE_PROFILE=quick.", "Under another seed it",
    "on 2 CPU cores", "with Keras 3.15", "`python -m course run`", "Run python -m course quotes",
    "```bash\nls\n```",
])
def test_forbidden_finds_bookkeeping(bad):
    assert forbidden_in(bad), f"{bad!r} is bookkeeping a student text must not contain"


@pytest.mark.parametrize("fine", [
    "Keras 3 layers", "the seedling", "we make progress", "`keras.layers.LSTM(32)`", "a GPU runs cuDNN",
    "```python\nkeras.utils.set_random_seed(0)\n```",
])
def test_forbidden_leaves_ordinary_text_alone(fine):
    assert not forbidden_in(fine), f"{fine!r} is ordinary lesson text"


# ------------------------------------------------------------------------------------------
# The lessons


def test_every_split_lesson_is_checked_and_the_pending_list_is_current():
    split = {path.stem for path in split_lessons()}
    stale = sorted(split & NOT_YET_SPLIT)
    assert not stale, f"{stale} have instructor notes now: remove them from NOT_YET_SPLIT"
    unsplit = sorted({path.stem for path in student_lessons()} - split - NOT_YET_SPLIT)
    assert not unsplit, f"{unsplit} have no instructor notes lessons/instructor/<same name>.md (issue 23)"


def test_every_instructor_file_belongs_to_a_lesson():
    orphans = sorted(path.name for path in INSTRUCTOR.glob("*.md")
                     if path.name != "README.md" and not (LESSONS / path.name).exists())
    assert not orphans, f"instructor notes without a lesson of the same name: {orphans}"


SPLIT = split_lessons()


def lesson_id(path: Path) -> str:
    return path.stem


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_student_text_is_at_most_4000_words(path):
    words = count_words(path.read_text(encoding="utf-8"))
    assert words <= MAX_WORDS, f"{path.name}: {words} words of student text, more than {MAX_WORDS}: trim"


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_paragraphs_are_short(path):
    long = [(len(WORD.findall(prose(p))), p[:60]) for p in paragraphs(path.read_text(encoding="utf-8"))]
    long = [(words, start) for words, start in long if words >= MAX_PARAGRAPH_WORDS]
    assert not long, f"{path.name}: paragraphs of {MAX_PARAGRAPH_WORDS} words or more: {long}"


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_key_ideas_box_comes_first(path):
    text = without_code(path.read_text(encoding="utf-8"))
    box = re.search(r"^> \*\*Key ideas\*\*", text, re.M)
    first_section = re.search(r"^## ", text, re.M)
    assert box, f"{path.name} has no 'Key ideas' box (a blockquote starting '> **Key ideas**')"
    assert first_section is None or box.start() < first_section.start(), (
        f"{path.name}: the Key ideas box comes before the first section")


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_student_text_has_no_bookkeeping(path):
    found = forbidden_in(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.name} names what belongs in lessons/instructor/{path.name}:\n  " + "\n  ".join(found))


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_student_text_does_not_link_the_instructor_notes(path):
    targets = [m["target"] for m in LINK.finditer(without_code(path.read_text(encoding="utf-8")))]
    assert not [t for t in targets if "instructor" in t], f"{path.name} links its instructor notes"


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_enough_figures_with_alt_text(path):
    text = path.read_text(encoding="utf-8")
    shown = figures_shown(text)
    needed = max(MIN_FIGURES, math.ceil(count_words(text) / WORDS_PER_FIGURE))
    assert len(shown) >= needed, f"{path.name} shows {len(shown)} figures, needs {needed}"
    assert all(alt.strip() for alt, _ in shown), f"{path.name}: every figure has alt text saying what it shows"


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_a_figure_shows_a_measured_result(path):
    names = {Path(target).name for _, target in figures_shown(path.read_text(encoding="utf-8"))}
    assert names & result_figures(), (f"{path.name} shows no figure drawn from results/*.json "
                                      f"(measured results: {sorted(result_figures())})")


@pytest.mark.parametrize("path", [p for p in SPLIT if int(p.stem[:2]) >= LISTING_FROM], ids=lesson_id)
def test_listing_is_the_notebooks_code(path):
    blocks = listings(path.read_text(encoding="utf-8"))
    sizes = [len([line for line in block.splitlines() if line.strip()]) for block in blocks]
    low, high = LISTING_LINES
    core = [block for block, size in zip(blocks, sizes) if low <= size <= high]
    assert core, f"{path.name} has no python listing of {low} to {high} lines (found sizes {sizes})"
    notebook = NOTEBOOKS / f"{path.stem}.ipynb"
    assert notebook.exists(), f"{path.name} has no notebook {notebook.name} to take its listing from"
    lines = notebook_lines(notebook)
    for block in core:
        absent = [line for line in block.splitlines() if line.strip() and normalise(line) not in lines]
        assert not absent, f"{path.name}: listing lines not in {notebook.name}: {absent}"


@pytest.mark.parametrize("path", SPLIT, ids=lesson_id)
def test_instructor_notes_have_a_plan_and_answers(path):
    notes = (INSTRUCTOR / path.name).read_text(encoding="utf-8")
    assert re.search(r"^#+ .*plan", notes, re.M | re.I), f"instructor/{path.name} has no section with the plan"
    assert re.search(r"^#+ .*answers", notes, re.M | re.I), f"instructor/{path.name} has no section of answers"
