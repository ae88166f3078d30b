"""The built course website, checked in headless Chromium (``make test-site``, after ``make site``).

Every page at a phone's width (390 px) and a desktop's (1280 px): no sideways scrolling of the page,
no raw TeX on screen, a sidebar listing every lesson and notebook, no console error, no request that
fails or leaves the site (it must work offline). At the desktop width: every formula drawn, every
internal link and image resolving, the notebook pages' outputs and run notes, the links between a
lesson, its notebook, Colab and the downloads, the search, the results board's targets. Screenshots
of the front page, a lesson, a notebook and the board at both widths go to ``build/site-shots/``.
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

from course.catalog import entries
from course.notebooks import colab_url
from course.site.build import student_colab_url

from .conftest import ROOT, SITE, WIDTHS

PAGES = sorted(path.relative_to(SITE).as_posix() for path in SITE.rglob("*.html")) if SITE.exists() else []
STEMS = [entry.stem for entry in entries()]
SHOTS = ROOT / "build" / "site-shots"
#: TeX on screen: a dollar sign before math, or a backslash command (outside code and formulas).
RAW_TEX = re.compile(r"\$[^\s$\d][^$]*\$|\$\$|\\[A-Za-z]{2,}|\\[(\[]")
PLOTS = re.compile(r"\bplt\.|\bplot_[a-z_]+\(|\.plot\(|\.imshow\(")


def test_site_was_built():
    assert PAGES, "build/site has no pages: run `make site` first"
    assert {"index.html", "results.html", "getting-started.html"} <= set(PAGES), "a main page is missing"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_page_fits_the_window_and_shows_no_tex(all_visits, width, page):
    report = all_visits[width].get(page)
    assert report is not None, f"{page} was not visited at {width} px"
    facts = report.facts
    assert facts["pageWidth"] <= facts["windowWidth"], (
        f"{page} is {facts['pageWidth']} px wide in a {facts['windowWidth']} px window: {facts['tooWide']}")
    raw = RAW_TEX.findall(facts["prose"])
    assert raw == [], f"raw TeX on {page}: {raw[:5]}"
    assert report.console_errors == [], f"console errors on {page}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_sidebar_lists_every_lesson_and_notebook(all_visits, base_url, width, page):
    sidebar = {urlparse(link).path.lstrip("/") for link in all_visits[width][page].facts["sidebar"]}
    missing = [f"{kind}/{stem}.html" for stem in STEMS for kind in ("lessons", "notebooks")
               if f"{kind}/{stem}.html" not in sidebar]
    assert missing == [], f"the sidebar of {page} lacks {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_every_request_succeeds_on_this_site(visits, base_url, page):
    report = visits[page]
    assert report.failed_requests == [], "a request of the page failed"
    elsewhere = [url for url in report.requests if not url.startswith((base_url, "data:"))]
    assert elsewhere == [], "the page fetches something from another host, so it would not work offline"


@pytest.mark.parametrize("page", PAGES)
def test_math_is_drawn(visits, page):
    facts = visits[page].facts
    assert facts["mathErrors"] == 0, "a formula could not be converted to MathML"
    leftovers = [text for text in facts["mathText"] if re.search(r"\\[A-Za-z]|&|\$", text)]
    assert leftovers == [], f"TeX the MathML conversion did not understand: {leftovers[:3]}"
    flat = [size for size in facts["math"] if size[0] <= 0 or size[1] <= 0]
    assert flat == [], f"{len(flat)} of {len(facts['math'])} formulas were drawn without a size"


@pytest.mark.parametrize("page", PAGES)
def test_images_load_and_have_alt_text(visits, page):
    images = visits[page].facts["images"]
    broken = [image["src"] for image in images if not image["complete"] or image["width"] <= 0]
    assert broken == [], "an image did not load"
    unnamed = [image["src"] for image in images if not image["alt"].strip()]
    assert unnamed == [], "an image has no alt text"


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
    assert broken == [], "links that do not resolve"


def test_home_page_shows_the_course_map(visits):
    home = visits["index.html"]
    for entry in entries():
        assert entry.title in home.facts["text"], f"the course map does not show {entry.title!r}"
        assert student_colab_url(entry.notebook.name) in home.facts["links"], f"no student Colab link for {entry.stem}"


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_page_shows_outputs_and_its_run(visits, stem):
    facts = visits[f"notebooks/{stem}.html"].facts
    assert facts["outputs"] > 0, "the page shows no outputs: was the notebook executed?"
    source = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    code = "\n".join("".join(cell["source"]) for cell in source["cells"] if cell["cell_type"] == "code")
    if PLOTS.search(code):
        assert facts["figures"] > 0, "the notebook plots, but its page shows no figure"
    note = re.search(r"under the (\S+) profile on (\S+) data", facts["runNote"])
    assert note and note[1] in ("quick", "full") and note[2] in ("offline", "real"), (
        f"the page does not say which profile and data it shows: {facts['runNote']!r}")
    assert facts["errors"] == [], "an output shows an error"
    alts = [image.get("alt", "") for image in facts["images"] if "/figure-" in image["src"]]
    assert not any(alt.startswith("<Figure") for alt in alts), f"a figure's alt text is its repr: {alts[:2]}"
    if "website build's quick run" in facts["runNote"]:  # its kernel names each figure by its titles
        assert not any(alt.startswith("Figure in the section") for alt in alts), f"untitled figures: {alts[:2]}"


@pytest.mark.parametrize("stem", STEMS)
def test_lesson_notebook_colab_and_downloads_link_each_other(visits, base_url, stem):
    notebook = visits[f"notebooks/{stem}.html"].facts["links"]
    lesson = visits[f"lessons/{stem}.html"].facts["links"]
    for links, other in ((notebook, f"lessons/{stem}.html"), (lesson, f"notebooks/{stem}.html")):
        assert f"{base_url}{other}" in links, f"no link to {other}"
        assert student_colab_url(f"{stem}.ipynb") in links, "no Colab link to the student edition"
        assert colab_url(f"{stem}.ipynb") in links, "no Colab link to the instructor edition"
        assert f"{base_url}student/{stem}.ipynb" in links and f"{base_url}notebooks/{stem}.ipynb" in links


def test_search_finds_teacher_forcing_in_the_seq2seq_lesson(browser, base_url):
    browser.visit(base_url + "index.html")
    found = browser.evaluate("""(() => {
      const input = document.querySelector(".search input");
      input.value = "teacher forcing";
      input.dispatchEvent(new Event("input"));
      return [...document.querySelectorAll(".search-results a")].map((a) => a.href);
    })()""")
    assert any("lessons/09_seq2seq.html" in link for link in found[:5]), f"the first results: {found[:5]}"


def test_results_board_shows_the_targets(visits):
    from course.run import read_snapshot
    from utils.goals import TARGETS

    text = visits["results.html"].facts["text"]
    recorded = {(stem, metric) for data in ("offline", "real") for stem, run in read_snapshot(data).items()
                for metric in run["metrics"]}
    shown = [target.describe() for key, targets in TARGETS.items() if key in recorded for target in targets]
    assert shown, "the snapshot records no metric that has a target"
    missing = [described for described in shown if re.sub(r"[*`]", "", described) not in text]
    assert missing == [], f"targets missing from the board: {missing[:5]}"
    assert "No full run" not in text


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots(visits, browser, base_url, width):
    """The front page, the lesson with the most math, a notebook with plots, the board."""
    lesson = max((p for p in visits if p.startswith("lessons/")), key=lambda p: len(visits[p].facts["math"]))
    notebook = sorted(p for p in visits if p.startswith("notebooks/") and visits[p].facts["figures"])[0]
    browser.set_width(width)
    try:
        for name, page in (("front", "index.html"), ("lesson", lesson), ("notebook", notebook),
                           ("board", "results.html")):
            shot_width, height = _png_size(browser.screenshot(base_url + page, SHOTS / f"{name}-{width}.png"))
            assert shot_width == width and height >= 600, f"the screenshot of {page} is {shot_width}x{height}"
    finally:
        browser.set_width(1280)
