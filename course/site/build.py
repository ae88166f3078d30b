"""Build the course website into ``build/site/`` (``make site``, ``python -m course site``).

The site is plain HTML and CSS, with no script: it can be opened from any static host or from the
folder itself, offline. It has

* ``index.html``: the front page and the course map;
* ``lessons/NN_topic.html``: each lesson, its math as MathML, its figures;
* ``notebooks/NN_topic.html``: each notebook executed, outputs and plots included, saying which
  profile and data produced them, with the notebook file to download;
* ``results.html``: the results board (``build/results.md`` of the latest ``make course``);
* ``student/NN_topic.ipynb``: the student editions, when ``build/student/`` has them.

Nothing about the course is typed here: notebook titles come from their first Markdown cell,
lesson titles from their first heading, topics and times from the README's course map, the
Colab addresses from :mod:`course.notebooks`. The front page is the README's introduction unless
an instructor supplies one: ``SITE_FRONT_PAGE=path/to/front.md`` or a file
``course/site/front_page.md``; the course map follows it either way.
"""

from __future__ import annotations

import argparse
import html
import os
import posixpath
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

from course.notebooks import BRANCH, REPO_URL, cell_source, colab_url, notebook_paths
from course.site.execute import BUILD_DIR, ROOT, Executed, executed_notebooks
from course.site.render import MarkdownRenderer, NotebookRenderer, pygments_css

SITE_DIR = BUILD_DIR / "site"
STUDENT_DIR = BUILD_DIR / "student"
RESULTS_FILE = BUILD_DIR / "results.md"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
DEFAULT_FRONT_PAGE = Path(__file__).resolve().parent / "front_page.md"
FRONT_PAGE_ENV = "SITE_FRONT_PAGE"
#: A file in the output folder that marks it as the builder's own (so it may be emptied).
MARKER = ".course-site"
_IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass
class Entry:
    """One step of the course: a notebook and its lesson, as the course map shows them."""

    stem: str
    number: str
    notebook: Path
    title: str
    summary: str = ""
    lesson: Path | None = None
    lesson_title: str = ""
    topics: str = ""
    time: str = ""

    @property
    def notebook_page(self) -> str:
        return f"notebooks/{self.stem}.html"

    @property
    def lesson_page(self) -> str | None:
        return f"lessons/{self.lesson.stem}.html" if self.lesson else None


def _strip_number(heading: str, number: str) -> str:
    """'01 · Sequence models' -> 'Sequence models'."""
    return re.sub(rf"^{number}\s*[·.:\-–—]\s*", "", heading).strip()


def readme_course_map(readme: Path) -> dict[str, tuple[str, str]]:
    """``{notebook stem: (topics, time)}`` from the README's "Course map" table."""
    rows = {}
    in_map = False
    for line in readme.read_text().splitlines():
        if line.startswith("## "):
            in_map = line.strip().lower() == "## course map"
        elif in_map and line.startswith("|"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            found = re.search(r"notebooks/(\d\d_[A-Za-z0-9_]+)\.ipynb", line)
            if found and len(cells) >= 5:
                rows[found[1]] = (cells[3], cells[-1])
    return rows


def course_map(readme: Path = ROOT / "README.md") -> list[Entry]:
    """The course's notebooks in teaching order, each with its lesson, topics and time."""
    import nbformat

    from_readme = readme_course_map(readme) if readme.exists() else {}
    entries = []
    for path in notebook_paths():
        number = path.stem[:2]
        notebook = nbformat.read(path, as_version=4)
        first = next((cell_source(c) for c in notebook.cells if c.cell_type == "markdown"), "")
        heading = _HEADING.search(first)
        title = _strip_number(heading[1], number) if heading else path.stem
        after_heading = first[heading.end():] if heading else first
        summary = next((p.strip() for p in after_heading.split("\n\n") if p.strip()), "")
        entry = Entry(path.stem, number, path, title, summary=" ".join(summary.split()))
        lesson = ROOT / "lessons" / f"{path.stem}.md"
        if lesson.exists():
            found = _HEADING.search(lesson.read_text())
            entry.lesson = lesson
            entry.lesson_title = _strip_number(found[1], number) if found else lesson.stem
        entry.topics, entry.time = from_readme.get(path.stem, ("", ""))
        entries.append(entry)
    return entries


def course_title(readme: Path = ROOT / "README.md") -> str:
    found = _HEADING.search(readme.read_text()) if readme.exists() else None
    return found[1] if found else "Course"


def readme_introduction(readme: Path = ROOT / "README.md") -> str:
    """The README from after its title to its first section."""
    text = readme.read_text()
    found = _HEADING.search(text)
    text = text[found.end():] if found else text
    return re.split(r"^## ", text, maxsplit=1, flags=re.MULTILINE)[0].strip()


@dataclass
class SiteBuilder:
    """Writes every page of the site into ``out``."""

    entries: list[Entry]
    executed: dict[str, Executed]
    out: Path = SITE_DIR
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.title = course_title()
        self.by_stem = {entry.stem: entry for entry in self.entries}
        self.lessons = {entry.lesson.stem: entry for entry in self.entries if entry.lesson}
        self.students = {
            entry.stem: f"student/{entry.notebook.name}"
            for entry in self.entries
            if (STUDENT_DIR / entry.notebook.name).exists()
        }

    # Addresses ----------------------------------------------------------------------------

    def site_path(self, repo_path: str, kind: str, fragment: str = "") -> str | None:
        """Where a repository file is in the site (copying images), or None."""
        if repo_path == "README.md" and fragment in ("", "course-map"):
            return "index.html"  # the front page has the README's introduction and course map
        parts = repo_path.split("/")
        if len(parts) == 2 and parts[0] == "notebooks" and parts[1].endswith(".ipynb"):
            stem = parts[1][: -len(".ipynb")]
            if stem in self.by_stem:
                return self.by_stem[stem].notebook_page
        if len(parts) == 2 and parts[0] == "lessons" and parts[1].endswith(".md"):
            stem = parts[1][: -len(".md")]
            if stem in self.lessons:
                return f"lessons/{stem}.html"
        source = ROOT / repo_path
        if source.is_file() and (kind == "image" or source.suffix.lower() in _IMAGE_SUFFIXES):
            target = self.out / repo_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            return repo_path
        return None

    def rewriter(self, source: Path, page: str):
        """The address rewriting for Markdown from repository file ``source`` shown on ``page``."""

        def rewrite(address: str, kind: str) -> str:
            path, hash_mark, fragment = address.partition("#")
            if not path:
                return address
            target = (source.parent / unquote(path.split("?")[0])).resolve()
            try:
                repo_path = target.relative_to(ROOT).as_posix()
            except ValueError:
                self.warnings.append(f"{source.name}: {address!r} points outside the repository")
                return address
            in_site = self.site_path(repo_path, kind, fragment)
            if in_site is None:
                if not target.exists():
                    self.warnings.append(f"{source.relative_to(ROOT)}: {address!r} does not exist")
                    return address
                view = "tree" if target.is_dir() else "blob"
                return f"{REPO_URL}/{view}/{BRANCH}/{repo_path}{hash_mark}{fragment}"
            return posixpath.relpath(in_site, posixpath.dirname(page) or ".") + hash_mark + fragment

        return rewrite

    def labeler(self, source: Path):
        """The titles of the lessons and notebooks, for links from ``source`` that show a file name."""

        def label(address: str) -> str | None:
            target = (source.parent / unquote(address.partition("#")[0])).resolve()
            entry = self.by_stem.get(target.stem)
            if entry is None or target.parent.parent != ROOT:
                return None
            if target.parent.name == "notebooks" and target.suffix == ".ipynb":
                return f"{entry.number} · {entry.title}"
            if target.parent.name == "lessons" and target.suffix == ".md" and entry.lesson:
                return f"{entry.number} · {entry.lesson_title}"
            return None

        return label

    # Pages --------------------------------------------------------------------------------

    def page(self, path: str, title: str, body: str, wide: bool = False) -> None:
        """Write one page (``path`` relative to the site) inside the common frame."""
        root = "../" * path.count("/")
        document = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="icon" href="{root}favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{root}style.css">
</head>
<body>
<header class="site-header">
<a class="site-title" href="{root}index.html">{html.escape(self.title)}</a>
<nav><a href="{root}index.html#course-map">Course map</a><a href="{root}results.html">Results</a></nav>
</header>
<main{' class="wide"' if wide else ""}>
{body}
</main>
<footer>Built with <code>make site</code> from the course repository ·
<a href="{REPO_URL}">source</a></footer>
</body>
</html>
"""
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document)

    def links(self, entry: Entry, here: str) -> str:
        """The links between a step's lesson, notebook, Colab and downloads, for page ``here``."""

        def to(path: str) -> str:
            return html.escape(posixpath.relpath(path, posixpath.dirname(here)))

        items = [f'<a href="{to("index.html")}#course-map">Course map</a>']
        if entry.lesson_page and here != entry.lesson_page:
            items.append(f'<a href="{to(entry.lesson_page)}">Lesson</a>')
        if here != entry.notebook_page:
            items.append(f'<a href="{to(entry.notebook_page)}">Notebook with outputs</a>')
        items.append(f'<a class="badge" href="{html.escape(colab_url(entry.notebook.name))}">Open in Colab</a>')
        items.append(f'<a href="{to("notebooks/" + entry.notebook.name)}" download>Notebook file (.ipynb)</a>')
        if entry.stem in self.students:
            items.append(f'<a href="{to(self.students[entry.stem])}" download>Student edition (.ipynb)</a>')
        return '<nav class="page-links">' + "\n".join(items) + "</nav>\n"

    def neighbours(self, entry: Entry, kind: str, here: str) -> str:
        index = self.entries.index(entry)
        parts = []
        for step, label in ((-1, "previous"), (1, "next")):
            if 0 <= index + step < len(self.entries):
                other = self.entries[index + step]
                path = other.lesson_page if kind == "lesson" and other.lesson_page else other.notebook_page
                name = other.lesson_title if kind == "lesson" and other.lesson else other.title
                address = html.escape(posixpath.relpath(path, posixpath.dirname(here)))
                parts.append(f'<a class="{label}" href="{address}">{other.number} · {html.escape(name)}</a>')
        return '<nav class="neighbours">' + "\n".join(parts) + "</nav>\n"

    def lesson(self, entry: Entry) -> None:
        here = entry.lesson_page
        body = self.markdown.render(
            entry.lesson.read_text(), self.rewriter(entry.lesson, here), entry.lesson.name, self.labeler(entry.lesson)
        )
        content = self.links(entry, here) + f'<article class="lesson">\n{body}</article>\n' + self.neighbours(
            entry, "lesson", here
        )
        self.page(here, f"{entry.number} · {entry.lesson_title} (lesson)", content)

    def notebook(self, entry: Entry) -> dict:
        import nbformat

        here = entry.notebook_page
        run = self.executed[entry.stem]
        node = nbformat.read(run.path, as_version=4)
        outputs = self.out / "notebooks" / entry.stem
        counter = iter(range(1, 1_000_000))

        def save_output(data: bytes, extension: str) -> str:
            outputs.mkdir(parents=True, exist_ok=True)
            name = f"output-{next(counter):03d}.{extension}"
            (outputs / name).write_bytes(data)
            return f"{entry.stem}/{name}"

        rendered = NotebookRenderer(self.markdown).render(
            node, self.rewriter(entry.notebook, here), save_output, entry.notebook.name, self.labeler(entry.notebook)
        )
        shutil.copyfile(entry.notebook, self.out / "notebooks" / entry.notebook.name)
        facts = dict(rendered.setup)
        recorded = node.metadata.get("course_site", {})
        facts.setdefault("profile", recorded.get("course_profile", "unknown"))
        facts.setdefault("data", recorded.get("course_data", "unknown"))
        content = self.links(entry, here) + self.run_note(run, facts, rendered.versions)
        content += f'<article class="notebook">\n{rendered.html}</article>\n' + self.neighbours(entry, "notebook", here)
        self.page(here, f"{entry.number} · {entry.title} (notebook)", content)
        if rendered.errors or run.error:
            error = run.error or rendered.errors[0]
            self.warnings.append(f"{entry.notebook.name}: the executed copy has an error: {error}")
        return {"profile": facts["profile"], "data": facts["data"], "origin": run.origin, "figures": rendered.figures}

    @staticmethod
    def run_note(run: Executed, facts: dict[str, str], versions: str) -> str:
        """The note saying which run, profile and data a notebook page shows."""
        if run.origin == "course":
            made_by = "the course run (<code>make course</code>)"
        else:
            made_by = "the site build's own run (<code>make site</code>; a <code>make course</code> run replaces it)"
        when = run.executed[:10] if run.executed else "an unknown date"
        seconds = f", {run.seconds:.0f} s" if isinstance(run.seconds, (int, float)) else ""
        seed = f" (seed {html.escape(facts['seed'])})" if "seed" in facts else ""
        text = (
            f'<p class="run-note">Outputs from a run under the <strong class="profile">'
            f'{html.escape(facts["profile"])}</strong> profile with <strong class="data">'
            f'{html.escape(facts["data"])}</strong> data{seed}: {made_by}, {when}{seconds}.'
        )
        if versions:
            text += f'<br><span class="versions">{html.escape(versions)}</span>'
        text += "</p>\n"
        if run.error:
            text += f'<p class="run-error">This run stopped with an error: {html.escape(run.error)}</p>\n'
        return text

    def results(self) -> None:
        if RESULTS_FILE.exists():
            text = RESULTS_FILE.read_text()
            body = self.markdown.render(text, self.rewriter(RESULTS_FILE, "results.html"), "results.md")
            for stem, entry in self.by_stem.items():
                body = body.replace(
                    f"<td>{stem}</td>", f'<td><a href="{html.escape(entry.notebook_page)}">{stem}</a></td>'
                )
            changed = datetime.fromtimestamp(RESULTS_FILE.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d")
            body += f'<p class="run-note">From <code>build/results.md</code>, written on {changed}.</p>\n'
        else:
            body = (
                "<h1>Course results</h1>\n<p class=\"run-note\">No full run has been made yet. "
                "<code>make course</code> runs every notebook under the full profile and writes the results "
                "board: each metric the notebooks record, the lecture's figure, the course's target and "
                "each notebook's wall time.</p>\n"
            )
        body = f'<article class="results">\n{body}</article>\n'
        self.page("results.html", f"Results · {self.title}", body, wide=True)

    def front_page_markdown(self) -> tuple[str, Path]:
        chosen = os.environ.get(FRONT_PAGE_ENV, "").strip()
        if chosen:
            path = Path(chosen).expanduser().resolve()
            if not path.is_file():
                raise FileNotFoundError(f"{FRONT_PAGE_ENV}={chosen!r} is not a file")
            return path.read_text(), path
        if DEFAULT_FRONT_PAGE.exists():
            return DEFAULT_FRONT_PAGE.read_text(), DEFAULT_FRONT_PAGE
        return readme_introduction(), ROOT / "README.md"

    def home(self, shown: dict[str, dict]) -> None:
        text, source = self.front_page_markdown()
        front = self.markdown.render(text, self.rewriter(source, "index.html"), source.name, self.labeler(source))
        if not front.lstrip().startswith("<h1"):
            front = f"<h1>{html.escape(self.title)}</h1>\n" + front
        front = f'<div class="front">\n{front}</div>\n'
        rows = []
        for entry in self.entries:
            rewrite = self.rewriter(ROOT / "README.md", "index.html")
            lesson = (
                f'<a href="{entry.lesson_page}">{html.escape(entry.lesson_title)}</a>' if entry.lesson_page else ""
            )
            downloads = [f'<a class="badge" href="{html.escape(colab_url(entry.notebook.name))}">Open in Colab</a>']
            downloads.append(f'<a href="notebooks/{entry.notebook.name}" download>notebook (.ipynb)</a>')
            if entry.stem in self.students:
                downloads.append(f'<a href="{self.students[entry.stem]}" download>student edition</a>')
            rows.append(
                f'<tr id="step-{entry.number}"><td class="number">{entry.number}</td>'
                f'<td><a class="notebook-link" href="{entry.notebook_page}">{html.escape(entry.title)}</a>'
                f'<div class="summary">{self.markdown.render_inline(entry.summary, rewrite, "summary")}</div></td>'
                f"<td>{lesson}</td>"
                f'<td class="topics">{self.markdown.render_inline(entry.topics, rewrite, "README")}</td>'
                f'<td class="time">{html.escape(entry.time)}</td>'
                f'<td class="open">{"<br>".join(downloads)}</td></tr>'
            )
        kinds = sorted({(facts["profile"], facts["data"]) for facts in shown.values()})
        described = "; ".join(f"{profile} profile, {data} data" for profile, data in kinds)
        body = (
            front
            + '<h2 id="course-map">Course map</h2>\n<table class="course-map">\n<thead><tr><th>#</th>'
            + "<th>notebook</th><th>lesson</th><th>topics</th><th>time</th><th>open</th></tr></thead>\n<tbody>\n"
            + "\n".join(rows)
            + "\n</tbody>\n</table>\n"
            + f'<p class="run-note">The notebook pages show executed notebooks ({html.escape(described)}); '
            + 'each page says how it was run. The <a href="results.html">results board</a> collects the '
            + "metrics of the latest full run.</p>\n"
        )
        self.page("index.html", self.title, body, wide=True)

    def assets(self) -> None:
        css = (ASSETS_DIR / "style.css").read_text() + "\n/* Code highlighting (Pygments) */\n" + pygments_css()
        (self.out / "style.css").write_text(css)
        shutil.copyfile(ASSETS_DIR / "favicon.svg", self.out / "favicon.svg")
        (self.out / ".nojekyll").write_text("")  # GitHub Pages: serve the folder as it is
        for path in self.students.values():
            target = self.out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STUDENT_DIR / Path(path).name, target)

    def build(self) -> dict[str, dict]:
        prepare_output(self.out)
        self.assets()
        shown = {}
        for entry in self.entries:
            if entry.lesson:
                self.lesson(entry)
            else:
                self.warnings.append(f"{entry.notebook.name} has no lesson lessons/{entry.stem}.md")
            shown[entry.stem] = self.notebook(entry)
        self.results()
        self.home(shown)
        self.warnings += self.markdown.warnings
        return shown


def prepare_output(out: Path) -> None:
    """Empty the output folder, refusing one that the builder did not make."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} exists and was not made by the site build; remove it or choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by python -m course site\n")


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the course website into build/site/.")
    parser.add_argument("--out", type=Path, default=SITE_DIR, help="output folder (default: build/site)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once when some must run (default 2)")
    parser.add_argument(
        "--rerun", action="store_true", help="run every notebook under the quick profile, ignoring make course's copies"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    entries = course_map()
    if not entries:
        parser.error("no notebooks found in notebooks/")
    executed = executed_notebooks([entry.notebook for entry in entries], jobs=args.jobs, rerun=args.rerun)
    builder = SiteBuilder(entries, executed, out=args.out.resolve())
    shown = builder.build()
    for warning in builder.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    origins = {origin: sum(facts["origin"] == origin for facts in shown.values()) for origin in ("course", "site")}
    print(
        f"wrote {args.out} ({folder_size(builder.out) / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s: "
        f"{len(entries)} notebooks ({origins['course']} from make course, {origins['site']} from the site's "
        f"quick runs), {sum(e.lesson is not None for e in entries)} lessons, "
        f"results board {'from build/results.md' if RESULTS_FILE.exists() else 'empty (no make course yet)'}"
    )
    failed = [stem for stem, run in executed.items() if run.error]
    if failed:
        print(f"error: these notebooks did not run to the end: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
