"""Results quoted in the lessons, their instructor notes and the README, checked against the full runs' snapshot.

Each quoted number carries a *marker*, ``<!-- SOURCE -->``, naming its source (the grammar, the number forms and
the rule for results left without a marker: ``course/README.md``). ``python -m course quotes --check`` lists every
quote that disagrees with its source and every unmarked result; ``--update`` rewrites the marked numbers in place.
"""

from __future__ import annotations

import argparse
import math
import operator
import re
import sys
from collections import namedtuple
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from markdown_it import MarkdownIt

from course import ROOT
from course import shown_path as _where
from course.run import DATA_KINDS, SNAPSHOT_DIR, read_seed_runs, read_snapshot, seed_spread, snapshot_path
from course.run import is_timing_metric as _is_timing
from utils.checks import check_dir, check_number, check_sequence, check_str, fail
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
_TOKEN = re.compile(rf"\s*(?:(?P<op>[÷×−+-])|log2\((?P<log>(?:{_NOTEBOOK}/)?{_NAME})\)"
                    rf"|(?P<number>\d+(?:\.\d+)?)(?![\w/])|(?P<name>(?:{_NOTEBOOK}/)?{_NAME}))\s*")
_APPLY = {"÷": operator.truediv, "×": operator.mul, "−": operator.sub, "+": operator.add}

# The shown number right before a marker: sign, digits (with or without thousands separators),
# decimals, an optional power of ten, an optional unit, optional closing emphasis / math / code.
_SHOWN = (r"(?P<shown>[-−]?(?P<integer>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?"
          r"(?P<sci>\s?×\s?10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)")
_UNIT = r"(?P<unit>\s?%|\s?[×x]|\s(?:s|min|minutes))?"
_CLOSE = r"(?P<close>[*_$`]{0,3})"
_NUMBER_BEFORE_MARKER = re.compile(r"(?<![\w.,:/])" + _SHOWN + _UNIT + _CLOSE + r"\Z")
_MACHINE_BEFORE_MARKER = re.compile(r"(?<![\w.])(?P<shown>(?P<machine>\d+ (?:GPUs? \([^()<>\n]*\)|[A-Za-z][A-Za-z ]*?)"
                                    r"), Python (?P<python>\d+(?:\.\d+)*))" + _CLOSE + r"\Z")
_SUPERSCRIPTS = str.maketrans("-+0123456789", "⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹")


def default_paths(root: Path = ROOT) -> list[Path]:
    """The files whose quotes are checked: every ``lessons/NN_*.md``, ``lessons/instructor/NN_*.md``, README.md."""
    lessons, pattern = root / "lessons", "[0-9][0-9]_*.md"
    return [*sorted(lessons.glob(pattern)), *sorted((lessons / "instructor").glob(pattern)), root / "README.md"]


# --- Sources ---


#: One term of an expression: a snapshot field (``notebook``, ``name``; ``log2`` of it) or a literal ``number``.
Operand = namedtuple("Operand", "notebook name number log2", defaults=(None, None, None, False))


@dataclass(frozen=True)
class Source:
    """A parsed marker; ``kind`` is 'offline', 'real', 'lecture', 'target', 'seeds' or 'const'."""

    kind: str
    text: str
    notebook: str | None = None
    operands: tuple[Operand, ...] = ()
    operators: tuple[str, ...] = ()
    machine: bool = False  # a machine quote: '<N> CPU cores, Python <X.Y>'
    metric: str | None = None  # lecture, target and seeds sources
    index: int | None = None  # a target source's #K, None when the marker names none
    data: str | None = None  # a seeds source: 'offline' or 'real'


def parse_source(text: str) -> Source:
    """Parse a marker's text (between ``<!--`` and ``-->``); ValueError when it is not of the grammar."""
    text = check_str("text", text).strip()
    if text == "const":
        return Source("const", text)
    for kind, pattern in (("lecture", _LECTURE_SOURCE), ("seeds", _SEEDS_SOURCE), ("target", _TARGET_SOURCE)):
        if match := pattern.match(text):  # the groups are Source's fields; a target's #K is a number
            fields = match.groupdict()
            return Source(kind, text, **fields | {"index": int(fields["index"]) if fields.get("index") else None})
    if not (match := _DATA_SOURCE.match(text)):
        raise ValueError(f"marker {text!r} is not one of 'offline:NOTEBOOK/EXPR', 'real:NOTEBOOK/EXPR', "
                         "'lecture:METRIC', 'target:NOTEBOOK/METRIC[#K]', 'seeds:DATA:NOTEBOOK/METRIC' or 'const' "
                         "(see course/README.md)")
    notebook, expression = match["notebook"], match["expression"]
    if expression.strip() == MACHINE:
        return Source(match["data"], text, notebook=notebook, machine=True)
    operands, operators, position = [], [], 0
    while position < len(expression):
        token = _TOKEN.match(expression, position)
        if not token or token.end() == position:
            raise ValueError(f"marker {text!r}: cannot read {expression[position:]!r} in the expression")
        position, expect_operand = token.end(), len(operands) == len(operators)
        if token["op"] and expect_operand:
            raise ValueError(f"marker {text!r}: operator {token['op']!r} where a metric or number belongs")
        if not token["op"] and not expect_operand:
            raise ValueError(f"marker {text!r}: two operands without an operator (÷ × − +) between them")
        if token["op"]:
            operators.append(token["op"].replace("-", "−"))  # ASCII minus read as −
        elif token["number"]:
            operands.append(Operand(number=float(token["number"])))
        else:
            other, _, name = (token["log"] or token["name"]).rpartition("/")
            if name == MACHINE:
                raise ValueError(f"marker {text!r}: 'machine' is a quote of its own, not part of an expression")
            operands.append(Operand(notebook=other or notebook, name=name, log2=bool(token["log"])))
    if len(operands) == len(operators):
        raise ValueError(f"marker {text!r}: the expression ends with an operator")
    return Source(match["data"], text, notebook=notebook, operands=tuple(operands), operators=tuple(operators))


class _Unresolved(Exception):
    """A source that cannot give a value; ``args``: (kind: 'unknown', 'missing' or 'no-snapshot', message)."""


def _run_command(notebook: str, data: str) -> str:
    return f"python -m course run {notebook}{' --data real' if data == 'real' else ''}"


def _snapshot_entry(data: str, notebook: str, snapshots: dict[str, dict | None], snapshot_dir: Path) -> dict:
    snapshot, where = snapshots[data], _where(snapshot_path(data, snapshot_dir))
    if snapshot is None:
        raise _Unresolved("no-snapshot", f"{where} does not exist yet: `{SNAPSHOT_COMMANDS[data]}` writes it")
    if notebook not in snapshot:
        raise _Unresolved("missing", f"{where} has no entry for {notebook}: run it in the full profile "
                                     f"(`{_run_command(notebook, data)}`)")
    return snapshot[notebook]


def _field(data: str, operand: Operand, snapshots: dict, snapshot_dir: Path) -> float:
    if operand.number is not None:
        return operand.number
    entry = _snapshot_entry(data, operand.notebook, snapshots, snapshot_dir)
    value = entry.get(WALL_TIME) if operand.name == WALL_TIME else entry.get("metrics", {}).get(operand.name)
    if value is None:
        known = ", ".join(sorted(entry.get("metrics", {})))
        raise _Unresolved("unknown", f"{operand.name} is not recorded by {operand.notebook} in "
                                     f"{_where(snapshot_path(data, snapshot_dir))} (it records: {known or 'nothing'})")
    value = float(value)
    if operand.log2 and value <= 0:
        raise _Unresolved("unknown", f"log2({operand.name}) of {value!r} is not defined")
    return math.log2(value) if operand.log2 else value


def _resolve(source: Source, snapshots: dict[str, dict | None], snapshot_dir: Path) -> float | str:
    """The value a source stands for (a machine quote's: "machine\\npython"); _Unresolved when it cannot be had."""
    if source.kind == "lecture":
        found = find_lecture_figure(source.metric)
        if found is None:
            raise _Unresolved("unknown", f"{source.metric} is not a lecture figure (utils/goals.py GOALS)")
        return found[1]
    if source.kind == "seeds":
        by_seed = read_seed_runs(source.data, snapshot_dir).get(source.notebook, {})
        values = [entry.get("metrics", {}).get(source.metric) for entry in by_seed.values()]
        values = [float(value) for value in values if value is not None]
        if len(values) < MIN_SEEDS:
            raise _Unresolved("missing", f"{source.notebook}/{source.metric} has full runs on {source.data} data "
                                         f"under {len(values)} seed(s); a spread needs {MIN_SEEDS} "
                                         f"(`COURSE_SEED=<seed> {_run_command(source.notebook, source.data)}`)")
        return seed_spread(values)
    if source.kind == "target":
        targets, name = TARGETS.get((source.notebook, source.metric)), f"{source.notebook}/{source.metric}"
        if targets is None:
            raise _Unresolved("unknown", f"no target for {name} (utils/goals.py GOALS)")
        if source.index is None and len(targets) > 1:
            raise _Unresolved("unknown", f"{name} has {len(targets)} targets: name one with #1 to #{len(targets)}")
        if (source.index or 1) > len(targets):
            raise _Unresolved("unknown", f"{name} has only {len(targets)} target(s)")
        return targets[(source.index or 1) - 1].value
    if source.machine:
        entry = _snapshot_entry(source.kind, source.notebook, snapshots, snapshot_dir)
        if not entry.get("machine") or not entry.get("python"):
            raise _Unresolved("unknown", f"{_where(snapshot_path(source.kind, snapshot_dir))} records no machine "
                                         f"or Python version for {source.notebook}")
        return f"{entry['machine']}\n{entry['python']}"
    value = _field(source.kind, source.operands[0], snapshots, snapshot_dir)
    for sign, operand in zip(source.operators, source.operands[1:]):
        other = _field(source.kind, operand, snapshots, snapshot_dir)
        if sign == "÷" and other == 0:
            raise _Unresolved("unknown", f"{source.text}: division by zero")
        value = _APPLY[sign](value, other)
    return value


# --- Shown numbers ---


def format_like(value: float, shown: str, unit: str = "") -> str:
    """``value`` written the way ``shown`` is (decimals, separators, minus sign, power of ten), × 100 before a ``%``
    ``unit`` and seconds in minutes before ``min``: ``format_like(12345.6, "294,472")`` is ``'12,346'``."""
    shown, unit = check_str("shown", shown), check_str("unit", unit).strip()
    match = re.fullmatch(_SHOWN, shown)
    if not match:
        raise ValueError(f"{shown!r} is not a number of a supported form (e.g. 0.0123, 1,234, 1.8 × 10⁻⁷)")
    value = check_number("value", value)
    value = value * 100 if unit == "%" else value / 60 if unit in ("min", "minutes") else value
    decimals = len(match["fraction"] or "")
    if match["sci"]:
        mantissa, exponent = f"{value:.{decimals}e}".split("e")
        text = mantissa + match["sci"][: match["sci"].index("10") + 2] + str(int(exponent)).translate(_SUPERSCRIPTS)
        is_zero = float(mantissa) == 0
    else:
        text = f"{value:,.{decimals}f}" if "," in match["integer"] else f"{value:.{decimals}f}"
        is_zero = float(text.replace(",", "")) == 0
    text = text.lstrip("-") if is_zero else text
    return text.replace("-", "−", 1) if shown.startswith("−") else text


# --- Finding quotes ---


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


# Markdown is read as markdown-it-py tokens; regular expressions read only inside a line of text: a marker's
# body, the number before it, and math (``$...$``), which CommonMark does not parse.
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
    lines, last = text.split("\n"), {}  # last: where a marker was last found on its line (two cells may repeat it)
    for token in _MARKDOWN.parse(text):
        if token.type != "inline" or token.map is None:
            continue
        line = token.map[0]
        for child in token.children or []:
            line += child.type in _BREAKS
            body = _our_marker(child)
            if body is not None:
                key = (line, child.content)
                last[key] = lines[line].index(child.content, last.get(key, -1) + 1)
                yield line, last[key], body


def find_quotes(text: str, path: Path | str = "<text>") -> list[Quote]:
    """Every marked quote of a Markdown text outside code, in order; ValueError naming file and line of a bad marker."""
    text = check_str("text", text)
    if not isinstance(path, (str, Path)):
        raise fail("path", path, "a path or a name for the messages")
    path, starts, quotes = Path(path), [0, *accumulate(len(line) + 1 for line in text.split("\n"))], []
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
        quotes.append(Quote(path, line + 1, starts[line] + found.start("shown"), starts[line] + found.end("shown"),
                            found["shown"], "" if source.machine else found["unit"] or "", source))
    return quotes


def _paths(paths: object) -> list[Path]:
    """``paths`` as a list of ``Path`` (None: the default files); one path alone is refused."""
    if paths is None:
        return default_paths()
    paths = check_sequence("paths", paths, expected="a list of Markdown files or None (the lessons and the README)")
    for index, item in enumerate(paths):
        if not isinstance(item, (str, Path)):
            raise fail(f"paths[{index}]", item, "a path")
    return [Path(p) for p in paths]


def _read(path: Path) -> str:
    if not Path(path).is_file():
        raise ValueError(f"{path} is not a file")
    return Path(path).read_text(encoding="utf-8")


# --- Checking and updating ---


@dataclass(frozen=True)
class _Located:
    """Something found at a line of a file; printed as ``file:line: message``."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{_where(self.path)}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Problem(_Located):
    """A quote that disagrees with its source or whose source cannot be had (``data``: the source's kind); ``kind``
    'mismatch', 'unknown' (no such metric, figure or target), 'missing' (no snapshot entry) or 'no-snapshot'."""

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


def _gpu_timing(quote: Quote, snapshots: dict, snapshot_dir: Path) -> bool:
    """Whether a quote is a wall-clock figure of a run on a GPU (its sentence must then say so)."""
    return quote.data in DATA_KINDS and not quote.source.machine and any(
        (o.name == WALL_TIME or _is_timing(o.name)) and "GPU" in _snapshot_entry(
            quote.data, o.notebook or quote.source.notebook, snapshots, snapshot_dir).get("machine", "")
        for o in quote.source.operands if o.name)


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
                kind, message = unresolved.args
                problem = Problem(*where, kind, quote.data, quote.source.text, quote.shown, None,
                                  f"{quote.shown} <!-- {quote.source.text} -->: {message}")
            if problem is None and _gpu_timing(quote, snapshots, snapshot_dir) and "GPU" not in text.splitlines()[
                    quote.line - 1]:
                problem = Problem(*where, "device", quote.data, quote.source.text, quote.shown, expected,
                                  f"{quote.shown}{quote.unit} is a timing from a GPU run: say so in its sentence")
            elif problem is None and expected != quote.shown:
                problem = Problem(*where, "mismatch", quote.data, quote.source.text, quote.shown, expected,
                                  f"shows {quote.shown}{quote.unit} but {_describe_source(quote, snapshot_dir)} gives "
                                  f"{expected}{quote.unit} (<!-- {quote.source.text} -->; `make quotes` rewrites it)")
            reviewed.append((quote, expected, problem))
        yield path, text, reviewed


def check(paths: list[Path] | None = None, snapshot_dir: Path | None = None) -> list[Problem]:
    """Every problem with the quotes of ``paths`` (default: lessons, notes, README) against the snapshot."""
    return [problem for _, _, reviewed in _review(paths, snapshot_dir) for _, _, problem in reviewed if problem]


def update(paths: list[Path] | None = None, snapshot_dir: Path | None = None) -> tuple[list[Change], list[Problem]]:
    """Rewrite the marked numbers of ``paths`` from their sources, in place; (changes, problems of the quotes left)."""
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


# --- Results left without a marker ---

#: A table whose header matches this is a table of results.
RESULTS_TABLE_HEADER = re.compile(r"\bvalue\b|\bMSE\b|perplexity|accuracy|\bBLEU\b|tokens/s", re.IGNORECASE)
_RESULTS_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?Results\b")
_MARKED_AFTER = re.compile(_UNIT + _CLOSE + "\0")
_DECIMAL = re.compile(r"(?<![\w.,:/\\^{#])(?P<number>\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+)(?!\.?\d)")
_NOT_A_RESULT_BEFORE = re.compile(r"(?:\b(?:Python|TensorFlow|Keras|NumPy|nltk|version|v|[Ss]ections?|[Ll]essons?|"
                                  r"[Cc]hapters?|ch\.|[Ee]xercises?|[Ee]q\.|[Ff]ig\.)|§)\s*$")


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
    return len(re.sub(r"\D", "", check_str("number", number)).lstrip("0"))


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
        block, checked = [token], results_level is not None
        if token.type == "table_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            block = tokens[index:end]
            head = next(i for i, t in enumerate(block) if t.type == "thead_close")
            header = " ".join(t.content for t in block[:head] if t.type == "inline")
            marked = any(_our_marker(child) not in (None, "const") for t in block if t.type == "inline"
                         for child in t.children or [])
            checked = checked or bool(RESULTS_TABLE_HEADER.search(header)) or marked
            index = end
        if checked:
            for inline in (t for t in block if t.type == "inline" and t.map):
                for offset, line in enumerate(_plain(inline).split("\n")):
                    yield inline.map[0] + offset, line
        index += 1


def unmarked_numbers(paths: list[Path] | None = None) -> list[Unmarked]:
    """Results left without a marker in ``paths`` (the rule in ``course/README.md``); ValueError as find_quotes."""
    found = []
    for path in _paths(paths):
        text = _read(path)
        find_quotes(text, path)  # every marker parses and follows a number
        for line, plain in _checked_text(text):
            for match in _DECIMAL.finditer(plain):
                if significant_digits(match["number"]) < 3 or _NOT_A_RESULT_BEFORE.search(plain[: match.start()]):
                    continue
                if not _MARKED_AFTER.match(plain, match.end()):
                    context = plain[max(0, match.start() - 40) : match.end() + 20].replace("\0", "")
                    found.append(Unmarked(path, line + 1, match["number"], context))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course quotes", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true",
                        help="list every quote that disagrees with its source, and every result without a marker")
    action.add_argument("--update", action="store_true", help="rewrite every marked number from its source, in place")
    parser.add_argument("paths", nargs="*", type=Path, help="Markdown files (default: lessons, notes, README)")
    args = parser.parse_args(argv)
    paths, unmarked = args.paths or default_paths(), []
    try:
        if args.update:
            changes, problems = update(paths)
            print("".join(f"updated {change}\n" for change in changes), end="")
        else:
            problems, unmarked = check(paths), unmarked_numbers(paths)
            print("".join(f"{number}\n" for number in unmarked), end="")
        quotes = [quote for path in paths for quote in find_quotes(_read(path), path)]
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    waiting = [problem for problem in problems if problem.kind == "no-snapshot"]
    failed = [problem for problem in problems if problem.kind != "no-snapshot"]
    print("".join(f"{problem}\n" for problem in failed), end="")
    for data in DATA_KINDS:
        if count := sum(problem.data == data for problem in waiting):
            print(f"{count} quote(s) wait for {_where(snapshot_path(data))}, which does not exist yet: "
                  f"`{SNAPSHOT_COMMANDS[data]}` writes it")
    constants = sum(quote.data == "const" for quote in quotes)
    print(f"{len(quotes)} marked quotes in {len(paths)} files ({constants} constants): "
          f"{len(failed)} problem(s), {len(waiting)} waiting for a snapshot"
          + ("" if args.update else f", {len(unmarked)} result(s) without a marker"))
    return 1 if failed or unmarked else 0


if __name__ == "__main__":
    sys.exit(main())
