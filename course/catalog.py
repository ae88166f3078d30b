"""The course's notebooks, read from the one table ``course/catalog.toml`` by whatever needs to know them.

``python -m course catalog --write`` regenerates the README's course map between its markers; without
``--write`` it says whether the map is out of date.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import tomllib

from course import ROOT

CATALOG = Path(__file__).resolve().parent / "catalog.toml"
README = ROOT / "README.md"
MAP_START = "<!-- course map: generated from course/catalog.toml -->"
MAP_END = "<!-- end of course map -->"


@dataclass(frozen=True)
class Entry:
    """One notebook of the course and its lesson."""

    stem: str
    title: str
    minutes: int
    datasets: tuple[str, ...]
    topics: str

    @property
    def number(self) -> str:
        return self.stem[:2]

    @property
    def notebook(self) -> Path:
        return ROOT / "notebooks" / f"{self.stem}.ipynb"

    @property
    def lesson(self) -> Path:
        return ROOT / "lessons" / f"{self.stem}.md"

    @property
    def instructor_notes(self) -> Path:
        return ROOT / "lessons" / "instructor" / f"{self.stem}.md"


def entries(path: Path = CATALOG) -> list[Entry]:
    """Every notebook of the catalog, in teaching order; ValueError naming the entry that is malformed."""
    table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    found = []
    for index, raw in enumerate(table.get("notebook", [])):
        try:
            entry = Entry(raw["stem"], raw["title"], int(raw["minutes"]), tuple(raw["datasets"]), raw["topics"])
        except KeyError as missing:
            raise ValueError(f"{path.name}: notebook entry {index} lacks {missing}; every entry needs stem, title, "
                             "minutes, datasets and topics.") from None
        if not entry.stem[:2].isdigit() or entry.stem[2:3] != "_":
            raise ValueError(f"{path.name}: stem={entry.stem!r} must be NN_topic, e.g. '01_sequence_models'.")
        found.append(entry)
    stems = [entry.stem for entry in found]
    if stems != sorted(set(stems)):
        raise ValueError(f"{path.name}: the stems must be unique and in teaching order, not {stems}.")
    return found


def entry_for(name: str | Path) -> Entry:
    """The entry of a notebook given by stem, file name or path; ValueError naming the known ones."""
    if not isinstance(name, (str, Path)) or not str(name).strip():
        raise ValueError(f"notebook={name!r} must be a notebook's stem, file name or path, e.g. '01_sequence_models'.")
    known = {entry.stem: entry for entry in entries()}
    stem = Path(name).stem
    if stem not in known:
        raise ValueError(f"notebook {str(name)!r} is not in course/catalog.toml; choose from: {', '.join(known)} "
                         "(a new notebook needs an entry there first).")
    return known[stem]


def course_map() -> str:
    """The README's course-map table."""
    lines = ["| # | notebook | lesson | topics | time |", "| --- | --- | --- | --- | --- |"]
    for entry in entries():
        notebook, lesson = f"notebooks/{entry.stem}.ipynb", f"lessons/{entry.stem}.md"
        lines.append(f"| {entry.number} | [{notebook}]({notebook}) | [{lesson}]({lesson}) | {entry.topics} | "
                     f"{entry.minutes} min |")
    return "\n".join(lines)


def readme_with_map(text: str) -> str:
    """``text`` (the README) with the course map between its markers rewritten; ValueError without them."""
    start, end = text.find(MAP_START), text.find(MAP_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the markers {MAP_START!r} ... {MAP_END!r} around the course map.")
    return text[: start + len(MAP_START)] + "\n" + course_map() + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course catalog", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the README's course map")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    if (new := readme_with_map(text)) != text and args.write:
        README.write_text(new, encoding="utf-8")
        print("updated README.md")
    elif new != text:
        print("README.md's course map is out of date: run `python -m course catalog --write`.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
