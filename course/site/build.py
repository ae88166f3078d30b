"""Build the course website into ``build/site/`` (``make site``, ``python -m course site``).

Static HTML, CSS and one small script (search, copy buttons, dark mode, the phone menu, figures
full size); it works from any static host or from the folder itself, offline. Pages: the front page
with the course map, a getting-started page, each lesson (and its instructor notes when there are
some), each executed notebook, the results board; downloads: each notebook's student edition and
instructor edition, and all of them in one zip. The course map comes from ``course/catalog.toml``.
"""

from __future__ import annotations

import argparse
import html
import json
import posixpath
import re
import shutil
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

import nbformat

from course import BUILD_DIR, ROOT, catalog
from course.notebooks import BRANCH, REPO_URL, colab_url
from course.site.execute import Executed, executed_notebooks
from course.site.render import MarkdownRenderer, is_remote, pygments_css, render_notebook

SITE_DIR = BUILD_DIR / "site"
STUDENT_DIR = BUILD_DIR / "student"
RESULTS_FILE = BUILD_DIR / "results.md"
HERE = Path(__file__).resolve().parent
#: The branch GitHub Pages publishes the site from: a student's Colab link opens the student edition there.
PAGES_BRANCH = "gh-pages"
MARKER = ".course-site"  # marks the output folder as the builder's own, so it may be emptied
ZIP_NAME = "downloads/course-notebooks.zip"


def student_colab_url(name: str) -> str:
    """Colab's address of the student edition ``student/<name>`` on the published site's branch."""
    return colab_url(name).replace(f"/blob/{BRANCH}/notebooks/", f"/blob/{PAGES_BRANCH}/student/")


class Site:
    """Writes every page of the site into ``out``."""

    def __init__(self, entries: list[catalog.Entry], executed: dict[str, Executed], out: Path = SITE_DIR):
        self.entries, self.executed, self.out = entries, executed, out
        self.markdown = MarkdownRenderer()
        self.warnings: list[str] = []
        self.search: list[dict] = []
        self.title = re.search(r"^# (.+)$", (ROOT / "README.md").read_text(), re.MULTILINE)[1]
        self.notes = {e.stem for e in entries if e.instructor_notes.exists()}
        # The reading order (prev/next): front page, getting started, each lesson then its notebook, results.
        self.order = [("index.html", "Home"), ("getting-started.html", "Getting started")]
        for entry in entries:
            self.order += [(f"lessons/{entry.stem}.html", f"{entry.number} · {entry.title}: lesson"),
                           (f"notebooks/{entry.stem}.html", f"{entry.number} · {entry.title}: notebook")]
        self.order.append(("results.html", "Results board"))

    # Addresses ---------------------------------------------------------------------------------

    def site_path(self, repo_path: str) -> str | None:
        """Where a repository file is on the site (an image is copied there), or None."""
        stems = {entry.stem for entry in self.entries}
        if repo_path == "README.md":
            return "index.html"
        found = re.fullmatch(r"(notebooks|lessons|lessons/instructor)/(\d\d_\w+)\.(ipynb|md)", repo_path)
        if found and found[2] in stems and (found[1] != "lessons/instructor" or found[2] in self.notes):
            return f"{found[1]}/{found[2]}.html"
        source = ROOT / repo_path
        if source.is_file() and source.suffix.lower() in {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}:
            (self.out / repo_path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, self.out / repo_path)
            return repo_path
        return None

    def rewriter(self, source: Path, page: str):
        """Rewrites the local addresses of Markdown from repository file ``source`` shown on ``page``."""
        def rewrite(address: str, kind: str) -> str:
            path, mark, fragment = address.partition("#")
            if not path or is_remote(address) or path.endswith(".html"):  # a page of the site already
                return address
            target = (source.parent / unquote(path)).resolve()
            if not target.is_relative_to(ROOT) or not target.exists():
                self.warnings.append(f"{source.name}: {address!r} does not exist in the repository")
                return address
            repo_path = target.relative_to(ROOT).as_posix()
            in_site = self.site_path(repo_path)
            if in_site is None:
                return f"{REPO_URL}/{'tree' if target.is_dir() else 'blob'}/{BRANCH}/{repo_path}{mark}{fragment}"
            return self.to(in_site, page) + mark + fragment
        return rewrite

    @staticmethod
    def to(path: str, page: str) -> str:
        return html.escape(posixpath.relpath(path, posixpath.dirname(page) or "."))

    # The frame -----------------------------------------------------------------------------------

    def sidebar(self, page: str) -> str:
        def link(path: str, text: str) -> str:
            current = ' aria-current="page"' if path == page else ""
            return f'<a href="{self.to(path, page)}"{current}>{text}</a>'

        items = [f"<li>{link(p, t)}</li>" for p, t in (self.order[:2] + self.order[-1:])]
        for entry in self.entries:
            links = [link(f"lessons/{entry.stem}.html", "lesson"), link(f"notebooks/{entry.stem}.html", "notebook")]
            if entry.stem in self.notes:
                links.append(link(f"lessons/instructor/{entry.stem}.html", "instructor notes"))
            mine = f"/{entry.stem}." in f"/{page}"
            items.append(f'<li class="step{" current" if mine else ""}"><span class="step-title">{entry.number} · '
                         f'{html.escape(entry.title)}</span><span class="step-links">{" ".join(links)}</span></li>')
        return f'<nav class="sidebar" id="sidebar" aria-label="Course"><ol>{"".join(items)}</ol></nav>'

    def toc(self) -> str:
        rows = [f'<li class="level-{level}"><a href="#{html.escape(ident)}">{text.replace(" (optional)", "")}</a>'
                f'{" <span class=badge>optional</span>" if " (optional)" in text else ""}</li>'
                for level, ident, title in self.markdown.headings if level in (2, 3)
                for text in [self.markdown.render_inline(title)]]
        return (f'<nav class="toc" aria-label="On this page"><details open><summary>On this page</summary><ol>'
                f'{"".join(rows)}</ol></details></nav>') if rows else ""

    def page(self, path: str, title: str, body: str, kind: str = "") -> None:
        """Write one page inside the common frame, and index its sections for the search."""
        root = "../" * path.count("/")
        body = re.sub(r"<table>(.*?)</table>", r'<div class="scroll"><table>\1</table></div>', body, flags=re.DOTALL)
        position = [p for p, _ in self.order].index(path) if path in dict(self.order) else None
        steps = []
        for step, rel in ((-1, "prev"), (1, "next")):
            if position is not None and 0 <= position + step < len(self.order):
                target, label = self.order[position + step]
                word = "Previous" if step < 0 else "Next"
                steps.append(f'<a rel="{rel}" href="{self.to(target, path)}"><small>{word}</small>'
                             f"{html.escape(label)}</a>")
        document = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="icon" href="{root}favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{root}style.css">
<script>document.documentElement.dataset.theme = localStorage.getItem("theme") ||
  (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");</script>
<script defer src="{root}search-index.js"></script>
<script defer src="{root}site.js"></script>
</head>
<body data-root="{root}">
<header class="site-header">
<button class="menu" aria-controls="sidebar" aria-expanded="false">☰<span> Contents</span></button>
<a class="site-title" href="{root}index.html">{html.escape(self.title)}</a>
<div class="search" role="search"><input type="search" placeholder="Search the course" aria-label="Search">
<ol class="search-results" hidden></ol></div>
<button class="theme" aria-label="Dark or light">◐</button>
</header>
<div class="layout">
{self.sidebar(path)}
<main class="{kind}">
{self.toc()}
<article>
{body}
</article>
<nav class="prev-next">{"".join(steps)}</nav>
</main>
</div>
<footer>Built from the course repository · <a href="{REPO_URL}">source</a></footer>
</body>
</html>
"""
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document)
        for ident, heading, text in _sections(body):
            self.search.append({"u": path + (f"#{ident}" if ident else ""), "p": title, "t": heading, "x": text})
        self.markdown.new_page()

    def links(self, entry: catalog.Entry, page: str) -> str:
        """A step's lesson, notebook, Colab and downloads; the student edition is what a student gets."""
        name = entry.notebook.name
        items = [f'<a class="button" href="{html.escape(student_colab_url(name))}">Open in Colab</a>',
                 f'<a href="{self.to("student/" + name, page)}" download>Download the notebook (.ipynb)</a>']
        for path, text in ((f"lessons/{entry.stem}.html", "Lesson"), (f"notebooks/{entry.stem}.html", "Notebook"),
                           (f"lessons/instructor/{entry.stem}.html", "Instructor notes")):
            if path != page and (entry.stem in self.notes or "instructor" not in path):
                items.append(f'<a href="{self.to(path, page)}">{text}</a>')
        items.append(f'<span class="instructor-edition">With the worked solutions: <a href="'
                     f'{html.escape(colab_url(name))}">Colab</a> · <a href="{self.to("notebooks/" + name, page)}" '
                     'download>.ipynb</a></span>')
        return f'<nav class="page-links">{" ".join(items)}</nav>\n'

    def for_students(self, rendered: str) -> str:
        """Rendered Markdown whose Colab links (the notebooks' badges) open the student edition."""
        for entry in self.entries:
            name = entry.notebook.name
            rendered = rendered.replace(html.escape(colab_url(name)), html.escape(student_colab_url(name)))
        return rendered

    # Pages ---------------------------------------------------------------------------------------

    def markdown_page(self, source: Path, path: str, title: str, before: str = "") -> None:
        body = self.markdown.render(source.read_text().replace("{REPO_URL}", REPO_URL), self.rewriter(source, path))
        self.page(path, title, before + self.for_students(body))

    def notebook(self, entry: catalog.Entry) -> dict:
        page, run = f"notebooks/{entry.stem}.html", self.executed[entry.stem]
        notebook = nbformat.read(run.path, as_version=4)
        folder, saved = self.out / "notebooks" / entry.stem, []

        def save(data: bytes, extension: str) -> str:
            folder.mkdir(parents=True, exist_ok=True)
            saved.append(f"figure-{len(saved) + 1:02d}.{extension}")
            (folder / saved[-1]).write_bytes(data)
            return f"{entry.stem}/{saved[-1]}"

        shown = render_notebook(notebook, self.markdown, self.rewriter(entry.notebook, page), save, entry.notebook.name)
        shutil.copyfile(entry.notebook, self.out / "notebooks" / entry.notebook.name)
        facts = dict(re.findall(r"(\w+): ([^·]+?)\s*(?:·|$)", shown["setup"]))
        profile, data = facts.get("profile", "unknown"), facts.get("data", "unknown")
        made = "the course's own run (make course)" if run.origin == "course" else "the website build's quick run"
        when = html.escape(run.executed[:10] or "date unknown") + (f", seed {facts['seed']}" if "seed" in facts else "")
        note = (f"<p><strong>These outputs come from a run under the <em>{html.escape(profile)}</em> profile on "
                f"<em>{html.escape(data)}</em> data</strong> ({made}, {when}).</p>")
        if profile != "full" or data != "real":
            note += ("<p>The quick profile trains for a few epochs on small samples, and the stand-in data is "
                     "generated by the course in place of the real datasets: generated text reads as gibberish and "
                     "the metrics here are far from the lesson's. The lesson quotes the full runs; the "
                     '<a href="../results.html">results board</a> lists them.</p>' if profile != "full" else
                     "<p>The stand-in data is generated by the course in place of the real dataset; the lesson "
                     "quotes the real data first.</p>")
        if run.error or shown["errors"]:
            self.warnings.append(f"{entry.notebook.name}: the run has an error: {run.error or shown['errors']}")
            note += f'<p class="run-error">This run stopped with an error: {html.escape(str(run.error))}</p>'
        body = self.links(entry, page) + f'<aside class="run-note">{note}</aside>\n' + self.for_students(shown["html"])
        self.page(page, f"{entry.number} · {entry.title} (notebook)", body, kind="notebook")
        return {"profile": profile, "data": data, "origin": run.origin}

    def results(self) -> None:
        if RESULTS_FILE.exists():
            written = datetime.fromtimestamp(RESULTS_FILE.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d")
            text, note = RESULTS_FILE.read_text(), f"the latest course run here (build/results.md, {written})"
        else:
            text, note = board_from_snapshot(), ("the committed snapshot of the full runs (results/offline.json, "
                                                 "results/real.json and results/seeds/), the figures the lessons quote")
        body = self.markdown.render(text, None, "results.md")
        for entry in self.entries:
            link = f'<td><a href="notebooks/{entry.stem}.html">{entry.stem}</a></td>'
            body = body.replace(f"<td>{entry.stem}</td>", link)
        self.page("results.html", f"Results · {self.title}", f'<aside class="run-note"><p>This board shows {note}.'
                  f"</p></aside>\n{body}")

    def home(self, shown: dict[str, dict]) -> None:
        front = HERE / "front_page.md"
        text = front.read_text() if front.exists() else (ROOT / "README.md").read_text().split("\n## ")[0]
        body = self.markdown.render(text, self.rewriter(front if front.exists() else ROOT / "README.md", "index.html"))
        cards = []
        for entry in self.entries:
            topics = self.markdown.render_inline(entry.topics)
            cards.append(f'<li id="step-{entry.number}"><h3>{entry.number} · {html.escape(entry.title)}</h3>'
                         f'<p class="topics">{topics}</p><p class="time">{entry.minutes} min</p>'
                         f'{self.links(entry, "index.html")}</li>')
        kinds = sorted({f"{facts['profile']} profile on {facts['data']} data" for facts in shown.values()})
        body += (f'<p><a class="button" href="getting-started.html">Getting started</a> '
                 f'<a href="{ZIP_NAME}" download>All notebooks (.zip)</a></p>'
                 f'<h2 id="course-map">Course map</h2>\n<ol class="course-map">{"".join(cards)}</ol>\n'
                 f'<p class="run-note">The notebook pages show executed notebooks ({"; ".join(kinds)}); each page says '
                 f'how it was run. The <a href="results.html">results board</a> lists the full runs.</p>')
        self.page("index.html", self.title, body)

    def downloads(self) -> None:
        """The student editions (built here), the notebooks, the zip of both, the style and the script."""
        from course.student import write_student_edition

        (self.out / "student").mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(self.out / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry in self.entries:
                student = write_student_edition(entry.notebook, STUDENT_DIR)
                shutil.copyfile(student, self.out / "student" / student.name)
                archive.write(student, f"course-notebooks/{student.name}")
                archive.write(entry.notebook, f"course-notebooks/with-solutions/{student.name}")
        css = (HERE / "assets" / "style.css").read_text() + pygments_css("default", ".highlight")
        css += pygments_css("github-dark", ":root[data-theme=dark] .highlight")
        (self.out / "style.css").write_text(css)
        for name in ("site.js", "favicon.svg"):
            shutil.copyfile(HERE / "assets" / name, self.out / name)
        (self.out / ".nojekyll").write_text("")  # GitHub Pages: serve the folder as it is

    def build(self) -> dict[str, dict]:
        prepare_output(self.out)
        for folder in ("downloads", "notebooks"):
            (self.out / folder).mkdir()
        self.downloads()
        shown = {}
        self.markdown_page(HERE / "getting_started.md", "getting-started.html", f"Getting started · {self.title}")
        for entry in self.entries:  # every lesson exists (the course's tests check); instructor notes may not
            for source, page, kind in ((entry.lesson, f"lessons/{entry.stem}.html", "lesson"), (
                    entry.instructor_notes, f"lessons/instructor/{entry.stem}.html", "instructor notes")):
                if source.exists():
                    title = f"{entry.number} · {entry.title} ({kind})"
                    self.markdown_page(source, page, title, self.links(entry, page))
            shown[entry.stem] = self.notebook(entry)
        self.results()
        self.home(shown)
        (self.out / "search-index.js").write_text(f"window.COURSE_SEARCH = {json.dumps(self.search)};\n")
        self.warnings += self.markdown.warnings
        return shown


def _sections(body: str) -> list[tuple[str, str, str]]:
    """(id, heading, text) of each section of a page body, for the search."""
    body = re.sub(r"<(math|script|style)\b.*?</\1>|<a class=\"header-anchor\".*?</a>", " ", body, flags=re.DOTALL)
    parts = re.split(r'<h[1-4] id="([^"]*)"[^>]*>(.*?)</h[1-4]>', body, flags=re.DOTALL)
    found = [("", "", parts[0])] + [tuple(parts[i:i + 3]) for i in range(1, len(parts), 3)]
    clean = lambda text: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())  # noqa: E731
    return [(ident, clean(heading), clean(text)[:20000]) for ident, heading, text in found if clean(text)]


def board_from_snapshot() -> str:
    """The results board (``course.run.write_board``) of the committed snapshot of the full runs."""
    from course.run import DATA_KINDS, read_snapshot, write_board

    with tempfile.TemporaryDirectory() as folder:
        return write_board(Path(folder), {data: read_snapshot(data) for data in DATA_KINDS}).read_text()


def prepare_output(out: Path) -> None:
    """Empty the output folder, refusing one the builder did not make."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} exists and was not made by the site build; remove it or choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by python -m course site\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the course website into build/site/.")
    parser.add_argument("--out", type=Path, default=SITE_DIR, help="output folder (default: build/site)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once when some must run (default 2)")
    parser.add_argument("--rerun", action="store_true", help="run every notebook (quick profile)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    entries = catalog.entries()
    executed = executed_notebooks([entry.notebook for entry in entries], jobs=args.jobs, rerun=args.rerun)
    site = Site(entries, executed, out=args.out.resolve())
    shown = site.build()
    for warning in site.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    size = sum(path.stat().st_size for path in site.out.rglob("*") if path.is_file())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s: {len(entries)} notebooks "
          f"({sum(f['origin'] == 'course' for f in shown.values())} from make course), "
          f"results board from {'build/results.md' if RESULTS_FILE.exists() else 'the committed snapshot'}")
    failed = [stem for stem, run in executed.items() if run.error]
    if failed:
        print(f"error: these notebooks did not run to the end: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
