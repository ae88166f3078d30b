"""The lessons' figures: every image a lesson (or the README) shows exists and has alt text, and
the committed figures are up to date with the script that draws them.

``lessons/figures/make_figures.py`` (run by ``make figures``) writes ``MANIFEST.json`` with the
SHA-256 of its own source, of the style module and of the course colours it used, and of every
SVG it wrote. These tests recompute those hashes instead of drawing the figures again, so they
take milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from utils.plotting import COLORS

ROOT = Path(__file__).resolve().parents[1]
FIGURE_DIR = ROOT / "lessons" / "figures"
MANIFEST = FIGURE_DIR / "MANIFEST.json"
RUN = "run `make figures` and commit lessons/figures/"
DOCUMENTS = sorted((ROOT / "lessons").glob("*.md")) + [ROOT / "README.md"]

MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMAGE = re.compile(r"<img\b(?P<attributes>[^>]*)>", re.IGNORECASE)
HTML_ATTRIBUTE = re.compile(r"(?P<name>\w+)\s*=\s*(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)')")
CODE_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)


def text_hash(path: Path) -> str:
    """SHA-256 with line endings normalized, as make_figures.py computes it."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def images(document: Path) -> list[tuple[str, str]]:
    """(alt text, target) of every image in a Markdown file, outside fenced code blocks."""
    text = CODE_FENCE.sub("", document.read_text(encoding="utf-8"))
    found = [(m["alt"], m["target"]) for m in MARKDOWN_IMAGE.finditer(text)]
    for tag in HTML_IMAGE.finditer(text):
        attributes = {m["name"].lower(): m["double"] if m["double"] is not None else m["single"]
                      for m in HTML_ATTRIBUTE.finditer(tag["attributes"])}
        found.append((attributes.get("alt", ""), attributes.get("src", "")))
    return found


IMAGES = [(document, alt, target) for document in DOCUMENTS for alt, target in images(document)]


def image_id(case) -> str:
    document, _, target = case
    return f"{document.name}:{target}"


def is_remote(target: str) -> bool:
    return re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) is not None


def load_manifest() -> dict:
    assert MANIFEST.exists(), f"lessons/figures/MANIFEST.json is missing: {RUN}"
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def test_the_image_finder_sees_markdown_and_html_images(tmp_path):
    sample = tmp_path / "sample.md"
    sample.write_text(
        "Text ![an LSTM cell](figures/lstm_cell.svg) and ![](figures/none.svg \"title\").\n"
        "```markdown\n![inside a code block](figures/ignored.svg)\n```\n"
        '<img src="figures/gru_cell.svg" alt="a GRU cell" width="600">\n'
    )
    assert images(sample) == [
        ("an LSTM cell", "figures/lstm_cell.svg"),
        ("", "figures/none.svg"),
        ("a GRU cell", "figures/gru_cell.svg"),
    ]


def test_the_lessons_show_figures():
    shown = [target for document, _, target in IMAGES if document.parent.name == "lessons"]
    assert len(shown) >= 9, "every lesson has figures; the image finder found almost none"


@pytest.mark.parametrize("case", IMAGES, ids=image_id)
def test_linked_image_exists(case):
    document, _, target = case
    if is_remote(target):
        pytest.skip("a remote image: nothing to check on disk")
    path = (document.parent / target.split("#")[0]).resolve()
    assert path.is_file(), f"{document.name} shows {target}, which does not exist ({RUN} if it is a figure)"


@pytest.mark.parametrize("case", IMAGES, ids=image_id)
def test_linked_image_has_alt_text(case):
    document, alt, target = case
    assert alt.strip(), f"{document.name}: the image {target} needs alt text saying what it shows"


def test_figures_are_up_to_date_with_their_source():
    sources = load_manifest()["sources"]
    current = {
        "lessons/figures/make_figures.py": text_hash(FIGURE_DIR / "make_figures.py"),
        "lessons/figures/figure_style.py": text_hash(FIGURE_DIR / "figure_style.py"),
        "utils.plotting.COLORS": hashlib.sha256(json.dumps(COLORS, sort_keys=True).encode()).hexdigest(),
    }
    changed = sorted(name for name in current if sources.get(name) != current[name])
    assert not changed, f"the figures' source changed since they were drawn ({', '.join(changed)}): {RUN}"


def test_committed_figures_match_the_manifest():
    recorded = load_manifest()["figures"]
    on_disk = {path.name for path in FIGURE_DIR.glob("*.svg")}
    assert on_disk == set(recorded), (
        f"figures without a manifest entry: {sorted(on_disk - set(recorded))}; "
        f"manifest entries without a file: {sorted(set(recorded) - on_disk)}: {RUN}"
    )
    edited = sorted(name for name, digest in recorded.items() if text_hash(FIGURE_DIR / name) != digest)
    assert not edited, f"these figures differ from what make_figures.py wrote: {edited}: {RUN}"


def test_every_figure_is_shown_in_a_lesson():
    shown = {(document.parent / target).resolve() for document, _, target in IMAGES if not is_remote(target)}
    unused = sorted(name for name in load_manifest()["figures"] if (FIGURE_DIR / name).resolve() not in shown)
    assert not unused, f"figures no lesson shows: {unused}: link them or stop drawing them"
