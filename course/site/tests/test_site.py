"""The built course website, checked in headless Chromium (``make test-site``, after ``make site``).

Every page: no console error, no request that fails or leaves the site (it must work offline),
the math rendered (no raw TeX on screen, every formula drawn with a size), every internal link
and every image resolving. The home page lists every notebook; each notebook page shows its
outputs and plots and says which profile and data made them; lessons and notebooks link to each
other, to Colab and to the downloads. Three screenshots go to ``build/site-shots/``.
"""

from __future__ import annotations

import json
import re
import struct
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from course.notebooks import colab_url, notebook_paths

from .conftest import ROOT, SITE

PAGES = sorted(path.relative_to(SITE).as_posix() for path in SITE.rglob("*.html")) if SITE.exists() else []
NOTEBOOKS = [path.stem for path in notebook_paths()]
SHOTS = ROOT / "build" / "site-shots"
#: TeX that should have become MathML: display delimiters, \( \) and \[ \], environments, $\command.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$\s*\\[A-Za-z]+|\\frac\b|\\mathbf\b")
PLOTS = re.compile(r"\bplt\.|\bplot_[a-z_]+\(|\.plot\(|\.imshow\(")


def test_site_was_built():
    assert PAGES, "build/site has no pages: run `make site` first"
    assert "index.html" in PAGES and "results.html" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_no_console_errors(visits, page):
    assert page in visits, f"{page} is not reachable from the home page and was not visited"
    assert visits[page].console_errors == []


@pytest.mark.parametrize("page", PAGES)
def test_every_request_succeeds_on_this_site(visits, base_url, page):
    report = visits[page]
    assert report.failed_requests == []
    elsewhere = [url for url in report.requests if not url.startswith((base_url, "data:"))]
    assert elsewhere == [], "the page fetches something from another host, so it would not work offline"


@pytest.mark.parametrize("page", PAGES)
def test_math_is_rendered(visits, page):
    facts = visits[page].facts
    raw = RAW_TEX.findall(facts["prose"])
    assert raw == [], f"raw TeX on the page: {raw[:5]}"
    assert facts["mathErrors"] == 0, "a formula could not be converted to MathML"
    leftovers = [text for text in facts["mathText"] if re.search(r"\\[A-Za-z]|&", text)]
    assert leftovers == [], "TeX the MathML conversion did not understand"
    flat = [size for size in facts["math"] if size[0] <= 0 or size[1] <= 0]
    assert len(flat) == 0, f"{len(flat)} of {len(facts['math'])} formulas were drawn without a size"


@pytest.mark.parametrize("page", PAGES)
def test_images_load(visits, page):
    broken = [image["src"] for image in visits[page].facts["images"] if not image["complete"] or image["width"] <= 0]
    assert broken == []


def test_internal_links_resolve(visits, base_url):
    """Every link to this site answers 200, and a link to a part of a page finds that part."""
    ids = {urlparse(report.url).path: set(report.facts["ids"]) for report in visits.values()}
    checked: dict[str, int] = {}
    broken = []
    for page, report in visits.items():
        for link in report.facts["links"]:
            if not link.startswith(base_url):
                continue
            address, fragment = urldefrag(link)
            if address not in checked:
                try:
                    with urllib.request.urlopen(address, timeout=10) as answer:
                        checked[address] = answer.status
                except urllib.error.HTTPError as error:
                    checked[address] = error.code
            if checked[address] != 200:
                broken.append(f"{page} -> {link} ({checked[address]})")
            elif fragment and address.endswith(".html") and fragment not in ids.get(urlparse(address).path, set()):
                broken.append(f"{page} -> {link} (no element with id {fragment!r})")
    assert broken == []


def test_home_page_lists_every_notebook_and_lesson(visits):
    home = visits["index.html"]
    links = {urlparse(link).path.lstrip("/") for link in home.facts["links"]}
    assert len(NOTEBOOKS) == 9
    for stem in NOTEBOOKS:
        assert f"notebooks/{stem}.html" in links, f"the course map does not link notebook {stem}"
        if (ROOT / "lessons" / f"{stem}.md").exists():
            assert f"lessons/{stem}.html" in links, f"the course map does not link lesson {stem}"
    for path in notebook_paths():
        title = json.loads(path.read_text())["cells"][0]["source"][0].lstrip("# ").split("·", 1)[-1].strip()
        assert title in home.facts["text"], f"the course map does not show the title {title!r}"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_page_shows_outputs_and_its_run(visits, stem):
    facts = visits[f"notebooks/{stem}.html"].facts
    assert facts["outputs"] > 0, "the page shows no outputs: was the notebook executed?"
    source = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    code = "\n".join("".join(cell["source"]) for cell in source["cells"] if cell["cell_type"] == "code")
    if PLOTS.search(code):
        assert facts["figures"] > 0, "the notebook plots, but its page shows no figure"
    note = re.search(r"under the (\S+) profile with (\S+) data", facts["runNote"])
    assert note, f"the page does not say which profile and data it shows: {facts['runNote']!r}"
    assert note[1] in ("quick", "full") and note[2] != "unknown"
    assert facts["errors"] == [], "an output shows an error"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_lesson_notebook_colab_and_downloads_link_each_other(visits, base_url, stem):
    notebook = visits[f"notebooks/{stem}.html"].facts["links"]
    assert colab_url(f"{stem}.ipynb") in notebook
    assert f"{base_url}notebooks/{stem}.ipynb" in notebook
    student = ROOT / "build" / "student" / f"{stem}.ipynb"
    assert (f"{base_url}student/{stem}.ipynb" in notebook) == student.exists()
    if (ROOT / "lessons" / f"{stem}.md").exists():
        lesson = visits[f"lessons/{stem}.html"].facts["links"]
        assert f"{base_url}lessons/{stem}.html" in notebook
        assert f"{base_url}notebooks/{stem}.html" in lesson
        assert colab_url(f"{stem}.ipynb") in lesson


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_screenshots(visits, browser, base_url):
    """The home page, a lesson with math (and a figure when one has), a notebook with plots."""
    lessons = [page for page in visits if page.startswith("lessons/") and visits[page].facts["math"]]
    assert lessons, "no lesson page shows math"
    lesson = max(lessons, key=lambda page: (len(visits[page].facts["images"]) > 0, len(visits[page].facts["math"])))
    notebooks = [page for page in visits if page.startswith("notebooks/") and visits[page].facts["figures"]]
    assert notebooks, "no notebook page shows a figure"
    for name, page in (("home", "index.html"), ("lesson", lesson), ("notebook", sorted(notebooks)[0])):
        shot = browser.screenshot(base_url + page, SHOTS / f"{name}.png")
        width, height = _png_size(shot)
        assert width >= 800 and height >= 600
