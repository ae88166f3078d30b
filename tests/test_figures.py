"""The lessons' figures: every image a lesson (or the README) shows exists and has alt text, and
the committed figures are up to date with the script that draws them.

``lessons/figures/make_figures.py`` (run by ``make figures``) writes ``MANIFEST.json`` with the
SHA-256 of its own source, of the style module, of ``figures_text.py`` (when it exists) and of the
course colours it used, of every SVG it wrote, and of every snapshot file (``results/*.json``) a
measured-result figure read. These tests recompute those hashes instead of drawing the figures
again, so they take milliseconds; only the tests of the machinery itself draw (one small figure).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from utils.plotting import COLORS

ROOT = Path(__file__).resolve().parents[1]
FIGURE_DIR = ROOT / "lessons" / "figures"
MANIFEST = FIGURE_DIR / "MANIFEST.json"
RUN = "run `make figures` and commit lessons/figures/"
DOCUMENTS = (sorted((ROOT / "lessons").glob("*.md")) + sorted((ROOT / "lessons" / "instructor").glob("*.md"))
             + [ROOT / "README.md"])

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


def current_sources() -> dict[str, str]:
    """The hashes make_figures.py records under "sources", computed from the files as they are now."""
    current = {
        "lessons/figures/make_figures.py": text_hash(FIGURE_DIR / "make_figures.py"),
        "lessons/figures/figure_style.py": text_hash(FIGURE_DIR / "figure_style.py"),
    }
    if (FIGURE_DIR / "figures_text.py").exists():
        current["lessons/figures/figures_text.py"] = text_hash(FIGURE_DIR / "figures_text.py")
    current["utils.plotting.COLORS"] = hashlib.sha256(json.dumps(COLORS, sort_keys=True).encode()).hexdigest()
    return current


def test_figures_are_up_to_date_with_their_source():
    sources = load_manifest()["sources"]
    current = current_sources()
    changed = sorted(name for name in set(current) | set(sources) if sources.get(name) != current.get(name))
    assert not changed, f"the figures' source changed since they were drawn ({', '.join(changed)}): {RUN}"


def test_some_figures_are_measured_results():
    """Issue 23: at least one figure is drawn from the committed snapshot of the full runs."""
    manifest = load_manifest()
    drawn_from = manifest.get("results", {})
    assert drawn_from, f"no figure in the manifest read results/*.json: the lessons show no measured result ({RUN})"
    for name, snapshots in drawn_from.items():
        assert name in manifest["figures"], f"{name} read the snapshot but is not among the figures: {RUN}"
        missing = sorted(set(snapshots) - set(manifest.get("snapshots", {})))
        assert not missing, f"{name} read {missing}, whose hash the manifest does not keep: {RUN}"


def test_result_figures_match_the_committed_snapshot():
    """A measured-result figure is out of date once a snapshot file it read changes (or goes)."""
    manifest = load_manifest()
    stale = {}
    for snapshot, digest in manifest.get("snapshots", {}).items():
        path = ROOT / snapshot
        if not path.is_file() or text_hash(path) != digest:
            readers = sorted(name for name, read in manifest.get("results", {}).items() if snapshot in read)
            stale[snapshot] = readers
    assert not stale, "".join(f"{snapshot} changed since these figures were drawn from it: {', '.join(names)}; "
                              for snapshot, names in stale.items()) + RUN


# The machinery of make_figures.py itself (loading figures_text.py, recording what a figure reads)


@pytest.fixture(scope="module")
def make_figures():
    spec = importlib.util.spec_from_file_location("make_figures_under_test", FIGURE_DIR / "make_figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_make_figures_adds_the_figures_of_figures_text(make_figures, tmp_path):
    extra = tmp_path / "figures_text.py"
    assert make_figures.all_figures(extra) == make_figures.FIGURES, "without figures_text.py, only the script's own"
    extra.write_text("def draw(path, png_dir):\n    return path\n\nFIGURES_TEXT = {'extra.svg': draw}\n")
    figures = make_figures.all_figures(extra)
    assert set(figures) == set(make_figures.FIGURES) | {"extra.svg"}, "FIGURES_TEXT's figures are drawn too"
    clash = next(iter(make_figures.FIGURES))
    extra.write_text(f"FIGURES_TEXT = {{{clash!r}: print}}\n")
    with pytest.raises(ValueError, match=clash):
        make_figures.all_figures(extra)
    extra.write_text("FIGURES_TEXT = {'no_suffix': print}\n")
    with pytest.raises(ValueError, match="no_suffix"):
        make_figures.all_figures(extra)


def test_make_figures_records_which_snapshot_files_a_figure_reads(make_figures, tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    (results / "offline.json").write_text('{"a": 1}')
    (tmp_path / "other.json").write_text("{}")
    with make_figures.recording_reads(results) as read:
        json.loads((results / "offline.json").read_text())
        with open(tmp_path / "other.json") as handle:
            handle.read()
    assert read == {(results / "offline.json").resolve()}, "reads under results/ are recorded, others are not"
    with make_figures.recording_reads(results) as read:
        pass
    assert read == set(), "a figure that opens nothing records nothing"


def test_a_result_figure_redraws_byte_for_byte(make_figures, tmp_path):
    name = sorted(load_manifest().get("results", {}))[0]
    figures = make_figures.all_figures()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    read = make_figures.draw(name, figures[name], first)
    make_figures.draw(name, figures[name], second)
    assert read, f"{name} is listed as a measured result, so drawing it reads the snapshot"
    assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} is not deterministic"


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
