"""Results quoted in the lessons (student text and instructor notes) and the README, checked against the
committed snapshot of the full runs.

No result a lesson or the README states is typed by hand. Each quoted number carries a *marker*:
an HTML comment right after it that names where the number comes from. GitHub, Jupyter and the
course website do not show the comment, so the text reads as before::

    | translation, BLEU, greedy | 0.8111<!-- offline:09_seq2seq/pairs_corpus_bleu_plain --> |
    The whole notebook ran in 93 s<!-- offline:06_char_rnn/seconds -->.
    ... with TensorFlow 2.21 and Keras 3.15 on 2 CPU cores, Python 3.11<!-- offline:06_char_rnn/machine -->

``python -m course quotes --check`` compares every marked number with its source and lists each
mismatch, unknown metric and missing snapshot entry, and each result left without a marker;
``python -m course quotes --update`` (``make quotes``) rewrites the marked numbers from their
sources in place, in the same format and precision. The snapshot is ``results/offline.json``
(the full runs on the generated stand-ins, written by ``make course``) and ``results/real.json``
(the full runs on the real datasets, ``make course-real``): see :func:`course.run.update_snapshot`.

Markers
-------
A marker is ``<!-- SOURCE -->`` directly after the number it vouches for: after the number's
unit (``%``, ``×``, `` s``, `` min``) and any closing ``**``, ``*``, ``_``, ``$`` or backtick,
with no space before ``<!--``. SOURCE is one of:

``offline:NOTEBOOK/EXPR``, ``real:NOTEBOOK/EXPR``
    a figure of the full runs on the stand-ins (``results/offline.json``) or on the real
    datasets (``results/real.json``). NOTEBOOK is a notebook's file stem (``03_deep_rnn``);
    EXPR is a metric the notebook records through ``results.add("name", ...)``, ``seconds``
    (the notebook's wall time), or a small expression of these::

        EXPR    := OPERAND (OP OPERAND)*       evaluated strictly from left to right
        OP      := ÷ | × | − | +               (ASCII - and + work too)
        OPERAND := [NOTEBOOK/]NAME | log2(NAME) | NUMBER

    ``naive_mse÷ten_step_vector_mse`` is a ratio, ``best_char_ppl÷corpus_optimal_char_ppl−1``
    a relative gap (shown as "2.2%"), ``lstm_accuracy−bow_accuracy×100`` a gap in percentage
    points, ``naive_mse×12÷0.01`` a multiple of the noise floor 0.01/12, ``log2(gen_val_ppl)``
    bits per character. An operand without ``NOTEBOOK/`` belongs to the marker's notebook.
``offline:NOTEBOOK/machine``, ``real:NOTEBOOK/machine``
    the machine of that run, quoted as ``<N> CPU cores, Python <X.Y>`` (as many parts of the
    Python version as shown).
``lecture:METRIC``
    a figure the lecture reports, from the table :data:`utils.goals.GOALS` (the lecture figures'
    metric names are unique across notebooks, so the notebook is not named).
``target:NOTEBOOK/METRIC``, ``target:NOTEBOOK/METRIC#K``
    the value of the course's target for the metric, from the same table (``#K``: the K-th
    target, from 1, of a metric that has several).
``seeds:DATA:NOTEBOOK/METRIC``
    the spread of a metric over the full runs under different seeds (``COURSE_SEED``; at least
    three): (largest - smallest) / |mean| over the runs in ``results/DATA.json`` and
    ``results/seeds/DATA.json``, quoted as a percentage ("the seeds span 0.4%").
``const``
    a genuine constant that nothing checks: a property of the data by construction (the noise
    floor 0.000833), or a figure published elsewhere.

The shown digits decide the comparison: they must equal the source's value rounded to as many
decimals as shown. The forms: plain decimals (``0.020211``, ``−0.4971``, ``93``); thousands
separators (``294,472``); percentages (``4.5%``, ``33.7 %``: the value × 100); ratios
(``1.24×``, ``1.24x``: the suffix does not change the value); powers of ten (``1.8 × 10⁻⁷``:
the mantissa's decimals); durations (``93 s``; ``24 min`` or ``24 minutes``: seconds ÷ 60).

Results left without a marker
-----------------------------
:func:`unmarked_numbers` applies the rule that keeps typed results out: in a lesson's "Results"
section, and in any table of results (a table in a Results section, a table with a marked
number, or a table whose header names a value, an MSE, a perplexity, an accuracy, BLEU or
tokens/s), every number written with a decimal point and three or more significant digits must
carry a marker. Math (``$...$``), code, link targets, headings, version numbers (after Python,
TensorFlow, Keras or NumPy, or with two dots), section numbers and numbers glued to a letter or
a colon (``arXiv:1705.08209``) are not results.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from course import ROOT
from course import shown_path as _where
from course.run import DATA_KINDS, SNAPSHOT_DIR, read_snapshot, snapshot_path
from utils.checks import check_dir, check_number, check_str, fail
from utils.goals import TARGETS, find_lecture_figure

#: What writes each snapshot, for the messages.
SNAPSHOT_COMMANDS = {"offline": "make course", "real": "make course-real"}
#: The fields of a snapshot entry that a marker may name besides the notebook's metrics.
WALL_TIME, MACHINE = "seconds", "machine"
#: The seeds a ``seeds:`` marker needs before it quotes a spread.
MIN_SEEDS = 3

_MARKER = re.compile(r"<!--\s*(?P<body>.*?)\s*-->", re.DOTALL)
_OUR_MARKER = re.compile(r"^(?:offline|real|lecture|target|seeds):|^const$")
_NOTEBOOK = r"\d\d_[a-z0-9_]+"
_NAME = r"[a-z][a-z0-9_]*"
_DATA_SOURCE = re.compile(rf"^(?P<data>offline|real):(?P<notebook>{_NOTEBOOK})/(?P<expression>.+)$")
_LECTURE_SOURCE = re.compile(rf"^lecture:(?P<metric>{_NAME})$")
_SEEDS_SOURCE = re.compile(rf"^seeds:(?P<data>offline|real):(?P<notebook>{_NOTEBOOK})/(?P<metric>{_NAME})$")
_TARGET_SOURCE = re.compile(rf"^target:(?P<notebook>{_NOTEBOOK})/(?P<metric>{_NAME})(?:#(?P<index>[1-9]\d*))?$")
_TOKEN = re.compile(
    rf"\s*(?:(?P<op>[÷×−+-])|log2\((?P<log>(?:{_NOTEBOOK}/)?{_NAME})\)"
    rf"|(?P<number>\d+(?:\.\d+)?)(?![\w/])|(?P<name>(?:{_NOTEBOOK}/)?{_NAME}))\s*"
)
_OPERATORS = {"÷": "÷", "×": "×", "−": "−", "-": "−", "+": "+"}

# The shown number right before a marker: sign, digits (with or without thousands separators),
# decimals, an optional power of ten, an optional unit, optional closing emphasis / math / code.
_SHOWN = (
    r"(?P<shown>[-−]?(?P<integer>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?"
    r"(?P<sci>\s?×\s?10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)"
)
_UNIT = r"(?P<unit>\s?%|\s?[×x]|\s(?:s|min|minutes))?"
_CLOSE = r"(?P<close>[*_$`]{0,3})"
_NUMBER_BEFORE_MARKER = re.compile(r"(?<![\w.,:/])" + _SHOWN + _UNIT + _CLOSE + r"\Z")
_MACHINE_BEFORE_MARKER = re.compile(
    r"(?<![\w.])(?P<shown>(?P<machine>\d+ [A-Za-z][A-Za-z ]*?), Python (?P<python>\d+(?:\.\d+)*))" + _CLOSE + r"\Z"
)
_SUPERSCRIPTS = str.maketrans("-+0123456789", "⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹")


def default_paths(root: Path = ROOT) -> list[Path]:
    """The files whose quotes are checked: every ``lessons/NN_*.md``, ``lessons/instructor/NN_*.md``, README.md."""
    lessons = root / "lessons"
    return sorted(lessons.glob("[0-9][0-9]_*.md")) + sorted((lessons / "instructor").glob("[0-9][0-9]_*.md")) + [
        root / "README.md"]


# ---------------------------------------------------------------------------------------------
# Sources


@dataclass(frozen=True)
class Operand:
    """One term of an expression: a snapshot field (``notebook``, ``name``) or a literal number."""

    notebook: str | None = None
    name: str | None = None
    number: float | None = None
    log2: bool = False


@dataclass(frozen=True)
class Source:
    """Where a quoted number comes from: the parsed marker.

    ``kind`` is 'offline', 'real', 'lecture', 'target', 'seeds' or 'const'. A snapshot source has the
    notebook and the expression (operands and the operators between them); ``machine`` is
    True for a machine quote. A lecture source has ``metric``; a target source ``notebook``,
    ``metric`` and ``index`` (None when the marker names no index).
    """

    kind: str
    text: str
    notebook: str | None = None
    operands: tuple[Operand, ...] = ()
    operators: tuple[str, ...] = ()
    machine: bool = False
    metric: str | None = None
    index: int | None = None
    data: str | None = None  # a seeds source: 'offline' or 'real'


def parse_source(text: str) -> Source:
    """Parse a marker's text (what stands between ``<!--`` and ``-->``).

    Raises:
        ValueError: when the text is not a marker of the grammar in this module's docstring.
    """
    text = check_str("text", text).strip()
    if text == "const":
        return Source("const", text)
    if match := _LECTURE_SOURCE.match(text):
        return Source("lecture", text, metric=match["metric"])
    if match := _SEEDS_SOURCE.match(text):
        return Source("seeds", text, notebook=match["notebook"], metric=match["metric"], data=match["data"])
    if match := _TARGET_SOURCE.match(text):
        index = int(match["index"]) if match["index"] else None
        return Source("target", text, notebook=match["notebook"], metric=match["metric"], index=index)
    match = _DATA_SOURCE.match(text)
    if not match:
        raise ValueError(
            f"marker {text!r} is not one of 'offline:NOTEBOOK/EXPR', 'real:NOTEBOOK/EXPR', "
            "'lecture:METRIC', 'target:NOTEBOOK/METRIC[#K]', 'seeds:DATA:NOTEBOOK/METRIC' or 'const' "
            "(see course/quotes.py)"
        )
    notebook, expression = match["notebook"], match["expression"]
    if expression.strip() == MACHINE:
        return Source(match["data"], text, notebook=notebook, machine=True)
    operands, operators, position, expect_operand = [], [], 0, True
    while position < len(expression):
        token = _TOKEN.match(expression, position)
        if not token or token.end() == position:
            raise ValueError(f"marker {text!r}: cannot read {expression[position:]!r} in the expression")
        position = token.end()
        if token["op"]:
            if expect_operand:
                raise ValueError(f"marker {text!r}: operator {token['op']!r} where a metric or number belongs")
            operators.append(_OPERATORS[token["op"]])
        else:
            if not expect_operand:
                raise ValueError(f"marker {text!r}: two operands without an operator (÷ × − +) between them")
            if token["number"]:
                operands.append(Operand(number=float(token["number"])))
            else:
                reference = token["log"] or token["name"]
                other, _, name = reference.rpartition("/")
                if name == MACHINE:
                    raise ValueError(f"marker {text!r}: 'machine' is a quote of its own, not part of an expression")
                operands.append(Operand(notebook=other or notebook, name=name, log2=bool(token["log"])))
        expect_operand = not expect_operand
    if expect_operand:
        raise ValueError(f"marker {text!r}: the expression ends with an operator")
    return Source(match["data"], text, notebook=notebook, operands=tuple(operands), operators=tuple(operators))


class _Unresolved(Exception):
    """A source that cannot give a value: ``kind`` is 'unknown', 'missing' or 'no-snapshot'."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def _snapshot_entry(data: str, notebook: str, snapshots: dict[str, dict | None], snapshot_dir: Path) -> dict:
    snapshot = snapshots[data]
    where = _where(snapshot_path(data, snapshot_dir))
    if snapshot is None:
        raise _Unresolved("no-snapshot", f"{where} does not exist yet: `{SNAPSHOT_COMMANDS[data]}` writes it")
    if notebook not in snapshot:
        raise _Unresolved(
            "missing",
            f"{where} has no entry for {notebook}: run it in the full profile "
            f"(`python -m course run {notebook}{' --data real' if data == 'real' else ''}`)",
        )
    return snapshot[notebook]


def _field(data: str, operand: Operand, snapshots: dict, snapshot_dir: Path) -> float:
    if operand.number is not None:
        return operand.number
    entry = _snapshot_entry(data, operand.notebook, snapshots, snapshot_dir)
    if operand.name == WALL_TIME:
        value = entry.get(WALL_TIME)
    else:
        value = entry.get("metrics", {}).get(operand.name)
    if value is None:
        known = ", ".join(sorted(entry.get("metrics", {})))
        raise _Unresolved(
            "unknown",
            f"{operand.name} is not recorded by {operand.notebook} in {_where(snapshot_path(data, snapshot_dir))} "
            f"(it records: {known or 'nothing'})",
        )
    value = float(value)
    if operand.log2:
        if value <= 0:
            raise _Unresolved("unknown", f"log2({operand.name}) of {value!r} is not defined")
        value = math.log2(value)
    return value


def _resolve(source: Source, snapshots: dict[str, dict | None], snapshot_dir: Path) -> float | str:
    """The value a source stands for: a number, or for a machine quote ``(machine, python)`` text.

    ``snapshots`` maps 'offline' and 'real' to the snapshot (None when its file is missing).

    Raises:
        _Unresolved: when the value cannot be had (unknown metric, missing entry or snapshot).
    """
    if source.kind == "lecture":
        found = find_lecture_figure(source.metric)
        if found is None:
            raise _Unresolved("unknown", f"{source.metric} is not a lecture figure (utils/goals.py GOALS)")
        return found[1]
    if source.kind == "seeds":
        from course.run import read_seed_runs, seed_spread

        by_seed = read_seed_runs(source.data, snapshot_dir).get(source.notebook, {})
        values = [entry.get("metrics", {}).get(source.metric) for entry in by_seed.values()]
        values = [float(value) for value in values if value is not None]
        if len(values) < MIN_SEEDS:
            raise _Unresolved("missing", f"{source.notebook}/{source.metric} has full runs on {source.data} data "
                                         f"under {len(values)} seed(s); a spread needs {MIN_SEEDS} "
                                         f"(`COURSE_SEED=<seed> python -m course run {source.notebook}"
                                         f"{' --data real' if source.data == 'real' else ''}`)")
        return seed_spread(values)
    if source.kind == "target":
        targets = TARGETS.get((source.notebook, source.metric))
        if targets is None:
            raise _Unresolved("unknown", f"no target for {source.notebook}/{source.metric} (utils/goals.py GOALS)")
        if source.index is None and len(targets) > 1:
            raise _Unresolved("unknown", f"{source.notebook}/{source.metric} has {len(targets)} targets: "
                                         f"name one with #1 to #{len(targets)}")
        index = source.index or 1
        if index > len(targets):
            raise _Unresolved("unknown", f"{source.notebook}/{source.metric} has only {len(targets)} target(s)")
        return targets[index - 1].value
    if source.machine:
        entry = _snapshot_entry(source.kind, source.notebook, snapshots, snapshot_dir)
        if not entry.get("machine") or not entry.get("python"):
            raise _Unresolved("unknown", f"{_where(snapshot_path(source.kind, snapshot_dir))} records no machine "
                                         f"or Python version for {source.notebook}")
        return f"{entry['machine']}\n{entry['python']}"
    value = _field(source.kind, source.operands[0], snapshots, snapshot_dir)
    for operator, operand in zip(source.operators, source.operands[1:]):
        other = _field(source.kind, operand, snapshots, snapshot_dir)
        if operator == "÷":
            if other == 0:
                raise _Unresolved("unknown", f"{source.text}: division by zero")
            value /= other
        elif operator == "×":
            value *= other
        elif operator == "−":
            value -= other
        else:
            value += other
    return value


# ---------------------------------------------------------------------------------------------
# Shown numbers


def format_like(value: float, shown: str, unit: str = "") -> str:
    """``value`` written the way ``shown`` is: same decimals, separators, minus sign, power of ten.

    ``unit`` is what follows the number: with ``%`` the value is shown × 100, with ``min`` or
    ``minutes`` it is a number of seconds shown in minutes.

    >>> format_like(0.0029811, "0.002977"), format_like(0.045, "4.5", "%"), format_like(12345.6, "294,472")
    ('0.002981', '4.5', '12,346')

    Raises:
        ValueError: when ``shown`` is not a number of a supported form, or ``value`` is not finite.
    """
    shown = check_str("shown", shown)
    unit = check_str("unit", unit)
    match = re.fullmatch(_SHOWN, shown)
    if not match:
        raise ValueError(f"{shown!r} is not a number of a supported form (e.g. 0.0123, 1,234, 1.8 × 10⁻⁷)")
    value = check_number("value", value)
    unit = unit.strip()
    if unit == "%":
        value *= 100
    elif unit in ("min", "minutes"):
        value /= 60
    decimals = len(match["fraction"] or "")
    if match["sci"]:
        mantissa, exponent = f"{value:.{decimals}e}".split("e")
        prefix = match["sci"][: match["sci"].index("10") + 2]
        text = mantissa + prefix + str(int(exponent)).translate(_SUPERSCRIPTS)
        is_zero = float(mantissa) == 0
    else:
        text = f"{value:,.{decimals}f}" if "," in match["integer"] else f"{value:.{decimals}f}"
        is_zero = float(text.replace(",", "")) == 0
    if is_zero:
        text = text.lstrip("-")
    if shown.startswith("−"):
        text = text.replace("-", "−", 1)
    return text


# ---------------------------------------------------------------------------------------------
# Finding quotes


@dataclass(frozen=True)
class Quote:
    """A marked number in a file: the shown text (at ``start``:``end`` of the file) and its source."""

    path: Path
    line: int
    start: int
    end: int
    shown: str
    unit: str
    source: Source

    @property
    def data(self) -> str:
        """'offline', 'real', 'lecture', 'target', 'seeds' or 'const': what the quote is checked against."""
        return self.source.kind


# The Markdown is read as markdown-it-py tokens: code spans and blocks, link targets and HTML blocks are
# never text. What stays a regular expression reads inside one line of text: the marker's body, the
# number's written form before it, and math (``$...$``), which CommonMark does not parse.
_MARKDOWN = MarkdownIt("commonmark").enable("table")
_BREAKS = ("softbreak", "hardbreak")
_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)[^$\n]+?(?<![\\$])\$(?!\$)")


def _our_marker(child) -> str | None:
    """The body of a marker of ours (``offline:...``, ``const``, ...) that an inline token's child is, else None."""
    marker = _MARKER.fullmatch(child.content) if child.type == "html_inline" else None
    return marker["body"] if marker and _OUR_MARKER.match(marker["body"]) else None


def _markers(text: str):
    """(0-based line, column, marker body) of every marker of ours in the text, in order, outside code."""
    lines = text.split("\n")
    seen: dict[tuple[int, str], int] = {}
    for token in _MARKDOWN.parse(text):
        if token.type != "inline" or token.map is None:
            continue
        line = token.map[0]
        for child in token.children or []:
            line += child.type in _BREAKS
            body = _our_marker(child)
            if body is not None:
                count = seen[line, child.content] = seen.get((line, child.content), 0) + 1
                column = -1
                for _ in range(count):  # the count-th occurrence on its line: two cells may hold the same marker
                    column = lines[line].index(child.content, column + 1)
                yield line, column, body


def find_quotes(text: str, path: Path | str = "<text>") -> list[Quote]:
    """Every marked quote of a Markdown text, in order (markers in code are left alone).

    Raises:
        ValueError: naming the file and line, for a marker that does not parse or that does not
            follow a number of a supported form (a machine marker: ``<N> CPU cores, Python <X.Y>``).
    """
    text = check_str("text", text)
    if not isinstance(path, (str, Path)):
        raise fail("path", path, "a path or a name for the messages")
    path = Path(path)
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    quotes = []
    for line, column, body in _markers(text):
        try:
            source = parse_source(body)
        except ValueError as error:
            raise ValueError(f"{_where(path)}:{line + 1}: {error}") from None
        before = text[starts[line] : starts[line] + column]
        found = (_MACHINE_BEFORE_MARKER if source.machine else _NUMBER_BEFORE_MARKER).search(before)
        if not found:
            wanted = "'<N> CPU cores, Python <X.Y>'" if source.machine else "a number (such as 0.0123, 4.5%, 93 s)"
            raise ValueError(f"{_where(path)}:{line + 1}: the marker <!-- {body} --> must directly follow {wanted}; "
                             f"it follows {before[-40:]!r}")
        unit = "" if source.machine else found["unit"] or ""
        quotes.append(Quote(path, line + 1, starts[line] + found.start("shown"), starts[line] + found.end("shown"),
                            found["shown"], unit, source))
    return quotes


def _paths(paths: object) -> list[Path]:
    """``paths`` as a list of ``Path`` (None: the default files); one path alone is refused."""
    if paths is None:
        return default_paths()
    if isinstance(paths, (str, Path)) or not isinstance(paths, (list, tuple)):
        raise fail("paths", paths, "a list of Markdown files or None (the lessons and the README)")
    for index, item in enumerate(paths):
        if not isinstance(item, (str, Path)):
            raise fail(f"paths[{index}]", item, "a path")
    return [Path(p) for p in paths]


def _read(path: Path) -> str:
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Checking and updating


@dataclass(frozen=True)
class _Located:
    """Something found at a line of a file; printed as ``file:line: message``."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{_where(self.path)}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Problem(_Located):
    """A quote that disagrees with its source, or whose source cannot be had.

    ``kind``: 'mismatch' (``shown`` differs from ``expected``), 'unknown' (no such metric,
    lecture figure or target), 'missing' (the snapshot has no entry for the notebook) or
    'no-snapshot' (the snapshot file does not exist yet). ``data`` is the quote's source kind.
    """

    kind: str
    data: str
    source: str
    shown: str
    expected: str | None
    message: str


@dataclass(frozen=True)
class Change(_Located):
    """A quote that :func:`update` rewrote."""

    old: str
    new: str
    source: str

    @property
    def message(self) -> str:
        return f"{self.old} -> {self.new} ({self.source})"


def _expected(quote: Quote, value: float | str) -> str:
    if quote.source.machine:
        machine, python = str(value).split("\n")
        parts = len(quote.shown.rpartition("Python ")[2].split("."))
        return f"{machine}, Python {'.'.join(python.split('.')[:parts])}"
    return format_like(float(value), quote.shown, quote.unit)


def _describe_source(quote: Quote, snapshot_dir: Path) -> str:
    if quote.data in DATA_KINDS:
        return _where(snapshot_path(quote.data, snapshot_dir))
    return {"lecture": "the lecture figure in utils/goals.py GOALS",
            "target": "the target in utils/goals.py GOALS",
            "seeds": f"the spread over seeds in {_where(snapshot_dir)}/<data>.json and seeds/<data>.json"}[quote.data]


def _review(paths: object, snapshot_dir: object):
    """For each file of ``paths``: (path, text, [(quote, expected text or None, problem or None)]), no constants."""
    paths, snapshot_dir = _paths(paths), SNAPSHOT_DIR if snapshot_dir is None else check_dir(
        "snapshot_dir", snapshot_dir, must_exist=False)
    snapshots = {data: read_snapshot(data, snapshot_dir) if snapshot_path(data, snapshot_dir).exists() else None
                 for data in DATA_KINDS}
    for path in paths:
        text, reviewed = _read(path), []
        for quote in find_quotes(text, path):
            if quote.data == "const":
                continue
            expected, problem, where = None, None, (quote.path, quote.line)
            try:
                expected = _expected(quote, _resolve(quote.source, snapshots, snapshot_dir))
            except _Unresolved as unresolved:
                problem = Problem(*where, unresolved.kind, quote.data, quote.source.text, quote.shown, None,
                                  f"{quote.shown} <!-- {quote.source.text} -->: {unresolved}")
            if problem is None and expected != quote.shown:
                problem = Problem(*where, "mismatch", quote.data, quote.source.text, quote.shown, expected,
                                  f"shows {quote.shown}{quote.unit} but {_describe_source(quote, snapshot_dir)} gives "
                                  f"{expected}{quote.unit} (<!-- {quote.source.text} -->; `make quotes` rewrites it)")
            reviewed.append((quote, expected, problem))
        yield path, text, reviewed


def check(paths: list[Path] | None = None, snapshot_dir: Path | None = None) -> list[Problem]:
    """Every problem with the quotes of ``paths`` (default: the lessons, their instructor notes and the README).

    ``snapshot_dir`` holds the snapshot files (default: ``results/``). A quote passes when its shown
    text equals its source's value written the same way (:func:`format_like`). ``const`` quotes are
    not checked.

    Raises:
        ValueError: naming file and line, for a marker that does not parse or follows no number.
    """
    return [problem for _, _, reviewed in _review(paths, snapshot_dir) for _, _, problem in reviewed if problem]


def update(paths: list[Path] | None = None, snapshot_dir: Path | None = None) -> tuple[list[Change], list[Problem]]:
    """Rewrite every marked number of ``paths`` from its source, in place, in the same format.

    Quotes whose source cannot be had are left as they are and returned as problems. Only the
    shown digits change; every other byte of the file stays as it was.

    Returns:
        (the changes made, the problems of the quotes left unchanged)

    Raises:
        ValueError: naming file and line, for a marker that does not parse or follows no number.
    """
    changes, problems = [], []
    for path, text, reviewed in _review(paths, snapshot_dir):
        edits = [(quote, expected) for quote, expected, _ in reviewed if expected not in (None, quote.shown)]
        problems += [problem for _, expected, problem in reviewed if expected is None]
        for quote, expected in reversed(edits):
            text = text[: quote.start] + expected + text[quote.end :]
        if edits:
            Path(path).write_text(text, encoding="utf-8")
            changes += [Change(q.path, q.line, q.shown, new, q.source.text) for q, new in edits]
    return changes, problems


# ---------------------------------------------------------------------------------------------
# Results left without a marker

#: A table whose header matches this is a table of results.
RESULTS_TABLE_HEADER = re.compile(r"\bvalue\b|\bMSE\b|perplexity|accuracy|\bBLEU\b|tokens/s", re.IGNORECASE)
_RESULTS_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?Results\b")
_MARKED_AFTER = re.compile(_UNIT + _CLOSE + "\0")
_DECIMAL = re.compile(r"(?<![\w.,:/\\^{#])(?P<number>\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+)(?!\.?\d)")
_NOT_A_RESULT_BEFORE = re.compile(
    r"(?:\b(?:Python|TensorFlow|Keras|NumPy|nltk|version|v|[Ss]ections?|[Ll]essons?|[Cc]hapters?|ch\.|"
    r"[Ee]xercises?|[Ee]q\.|[Ff]ig\.)|§)\s*$"
)


@dataclass(frozen=True)
class Unmarked(_Located):
    """A number in a Results section or a table of results that carries no marker."""

    number: str
    context: str

    @property
    def message(self) -> str:
        return f"{self.number} has no marker ({self.context.strip()})"


def significant_digits(number: str) -> int:
    """How many significant digits a written number has: ``0.0060`` → 2, ``1.000`` → 4, ``294,472`` → 6."""
    number = check_str("number", number)
    return len(re.sub(r"\D", "", number).lstrip("0"))


def _plain(token) -> str:
    """An inline token's text as read: code and other HTML blanked, each marker of ours as ``\\0``, math masked."""
    parts = []
    for child in token.children or []:
        if child.type in _BREAKS:
            parts.append("\n")
        elif child.type == "text":
            parts.append(child.content)
        elif child.type in ("code_inline", "html_inline"):
            parts.append(" " if _our_marker(child) is None else "\0")
    text = "".join(parts)
    for pattern in (_DISPLAY_MATH, _INLINE_MATH):
        text = pattern.sub(lambda match: re.sub(r"[^\n]", " ", match[0]), text)
    return text


def _checked_text(text: str):
    """(0-based line, plain text) of every line the rule applies to: Results sections and tables of results."""
    tokens = _MARKDOWN.parse(text)
    results_level, index = None, 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            level = int(token.tag[1])
            if results_level is not None and level <= results_level:
                results_level = None
            if results_level is None and _RESULTS_HEADING.match(tokens[index + 1].content):
                results_level = level
            index += 3  # the heading's text is not a result
            continue
        block = [token]
        if token.type == "table_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            block = tokens[index:end]
            head = next(i for i, t in enumerate(block) if t.type == "thead_close")
            header = " ".join(t.content for t in block[:head] if t.type == "inline")
            marked = any(_our_marker(child) not in (None, "const") for t in block if t.type == "inline"
                         for child in t.children or [])
            checked = results_level is not None or bool(RESULTS_TABLE_HEADER.search(header)) or marked
            index = end
        else:
            checked = results_level is not None
        if checked:
            for inline in (t for t in block if t.type == "inline" and t.map):
                for offset, line in enumerate(_plain(inline).split("\n")):
                    yield inline.map[0] + offset, line
        index += 1


def unmarked_numbers(paths: list[Path] | None = None) -> list[Unmarked]:
    """Results left without a marker: the rule of this module's docstring, over ``paths``.

    Raises:
        ValueError: naming file and line, for a marker that does not parse or follows no number.
    """
    paths = _paths(paths)
    found = []
    for path in paths:
        text = _read(path)
        find_quotes(text, path)  # every marker parses and follows a number
        for line, plain in _checked_text(text):
            for match in _DECIMAL.finditer(plain):
                if significant_digits(match["number"]) < 3 or _NOT_A_RESULT_BEFORE.search(plain[: match.start()]):
                    continue
                if _MARKED_AFTER.match(plain, match.end()):
                    continue
                context = plain[max(0, match.start() - 40) : match.end() + 20].replace("\0", "")
                found.append(Unmarked(path, line + 1, match["number"], context))
    return found


# ---------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check or rewrite the results quoted in the lessons and the README from the snapshot "
                    "of the full runs (results/offline.json, results/real.json)."
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true",
                        help="list every quote that disagrees with its source, and every result without a marker")
    action.add_argument("--update", action="store_true",
                        help="rewrite every marked number from its source, in place (make quotes)")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="Markdown files (default: the lessons, their instructor notes and README.md)")
    args = parser.parse_args(argv)
    paths = args.paths or default_paths()
    try:
        if args.update:
            changes, problems = update(paths)
            for change in changes:
                print(f"updated {change}")
        else:
            problems = check(paths)
            unmarked = unmarked_numbers(paths)
            for number in unmarked:
                print(number)
        quotes = [quote for path in paths for quote in find_quotes(_read(path), path)]
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    waiting = [problem for problem in problems if problem.kind == "no-snapshot"]
    failed = [problem for problem in problems if problem.kind != "no-snapshot"]
    for problem in failed:
        print(problem)
    for data in DATA_KINDS:
        count = sum(problem.data == data for problem in waiting)
        if count:
            print(f"{count} quote(s) wait for {_where(snapshot_path(data))}, which does not exist yet: "
                  f"`{SNAPSHOT_COMMANDS[data]}` writes it")
    constants = sum(quote.data == "const" for quote in quotes)
    print(f"{len(quotes)} marked quotes in {len(paths)} files ({constants} constants): "
          f"{len(failed)} problem(s), {len(waiting)} waiting for a snapshot"
          + ("" if args.update else f", {len(unmarked)} result(s) without a marker"))
    return 1 if failed or (not args.update and unmarked) else 0


if __name__ == "__main__":
    sys.exit(main())
