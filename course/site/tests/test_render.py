"""Unit tests of the site's rendering: TeX to MathML, addresses, notebooks, the course map."""

from __future__ import annotations

import re

import pytest

from course.site.build import course_map, readme_course_map
from course.site.execute import ROOT
from course.site.render import MarkdownRenderer, NotebookRenderer, mathml_core, parse_setup_line, plain_text


@pytest.fixture
def markdown():
    return MarkdownRenderer()


def _math_text(mathml: str) -> str:
    """The characters a formula shows (its TeX annotation left out)."""
    shown = re.sub(r"<annotation\b.*?</annotation>", "", mathml, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", "", shown)


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        (r"x \in \mathbb R^{d}", "ℝ"),
        (r"\mathbf{1{,}281}", "𝟏&#x0002C;𝟐𝟖𝟏"),
        (r"\Big\lVert x \Big\rVert", "‖x‖"),
        (r"\big\langle a \big\rangle", "⟨a⟩"),
        (r"\arg\max_i z_i", "arg"),
        (r"\hat p(\texttt{<unk>})", "&lt;unk&gt;"),
    ],
)
def test_tex_becomes_mathml_that_browsers_draw(markdown, tex, shown):
    mathml = markdown.tex_to_mathml(tex, display=False)
    assert mathml.startswith("<math") and "mathvariant=\"double-struck\"" not in mathml
    assert shown in _math_text(mathml)
    assert "\\" not in _math_text(mathml)
    assert '<annotation encoding="application/x-tex">' in mathml
    assert markdown.warnings == []


def test_aligned_becomes_a_table_with_aligned_columns(markdown):
    mathml = markdown.tex_to_mathml(r"\begin{aligned} a &= b, & c &= d \\ e &= f \end{aligned}", display=True)
    assert mathml.startswith('<div class="math-display">')
    assert mathml.count("<mtr>") == 2 and "&" not in _math_text(mathml).replace("&#x", "")
    assert 'style="text-align: right' in mathml and "columnalign" not in mathml


def test_tex_that_cannot_be_shown_is_refused_and_reported(markdown):
    html = markdown.render(r"Before $\undefinedcommand{x}$ after.", where="lesson.md")
    assert '<code class="math-error">' in html
    assert markdown.warnings and "lesson.md" in markdown.warnings[0]


def test_mathml_core_maps_variants_and_keeps_character_references():
    assert mathml_core('<mi mathvariant="bold">x</mi>') == "<mi>𝐱</mi>"
    assert mathml_core('<mi mathvariant="script">L</mi>') == "<mi>ℒ</mi>"
    assert mathml_core('<mo mathvariant="bold">&#x0002C;</mo>') == "<mo>&#x0002C;</mo>"
    assert mathml_core('<mi mathvariant="normal">d</mi>') == '<mi mathvariant="normal">d</mi>'


def test_dollars_in_code_and_prose_prices_stay_text(markdown):
    html = markdown.render("Costs $5 and $10. `echo $HOME` and $x^2$.")
    assert html.count("<math") == 1 and "$5 and $10" in html and "<code>echo $HOME</code>" in html


def test_links_are_rewritten_and_remote_images_become_text(markdown):
    seen = []

    def rewrite(address: str, kind: str) -> str:
        seen.append((address, kind))
        return address.replace(".ipynb", ".html")

    html = markdown.render(
        "[notebooks/01_x.ipynb](../notebooks/01_x.ipynb) [web](https://example.org) "
        "![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg) ![plot](figures/a.svg) "
        '<img src="figures/b.svg">',
        rewrite,
        label=lambda address: "01 · Title" if address.endswith("01_x.ipynb") else None,
    )
    assert '<a href="../notebooks/01_x.html">01 · Title</a>' in html
    assert 'href="https://example.org"' in html
    assert '<span class="badge">Open In Colab</span>' in html and "colab-badge.svg" not in html
    assert ("figures/a.svg", "image") in seen and ("figures/b.svg", "image") in seen


def test_notebook_outputs_setup_line_and_folded_solutions():
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# 01 · Title"},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "source": "# Setup cell: the same in every notebook\nsetup_notebook()",
                "outputs": [
                    {"output_type": "stream", "name": "stdout",
                     "text": "Python 3.11 · TensorFlow 2.21\nprofile: quick · data: offline · seed: 42\n"}
                ],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 2,
                "source": "plt.plot([1, 2])",
                "outputs": [{"output_type": "display_data", "metadata": {},
                             "data": {"image/png": png, "text/plain": "<Figure>"}}],
            },
            {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": "**Solution 1.** Because."},
            {"cell_type": "code", "metadata": {"tags": ["solution"]}, "execution_count": 3, "source": "1 + 1",
             "outputs": [{"output_type": "execute_result", "metadata": {}, "execution_count": 3,
                          "data": {"text/plain": "2"}}]},
        ]
    }
    saved = []

    def save(data: bytes, extension: str) -> str:
        saved.append((data[:4], extension))
        return f"01/output-{len(saved)}.{extension}"

    result = NotebookRenderer(MarkdownRenderer()).render(notebook, lambda a, k: a, save, "01.ipynb")
    assert result.setup == {"profile": "quick", "data": "offline", "seed": "42"}
    assert result.versions.startswith("Python 3.11")
    assert result.figures == 1 and saved == [(b"\x89PNG", "png")]
    assert '<img src="01/output-1.png"' in result.html
    assert '<details class="solution"><summary>Solution 1</summary>' in result.html
    assert result.html.index("</details>") > result.html.index('<pre class="output result">2</pre>')


def test_plain_text_and_setup_line():
    assert plain_text("\x1b[1mbold\x1b[0m\nstep 1\rstep 2\n") == "bold\nstep 2\n"
    assert parse_setup_line("nothing here") == {}


def test_course_map_reads_titles_from_the_files():
    entries = course_map()
    assert len(entries) == 9
    assert [entry.number for entry in entries] == [f"{n:02d}" for n in range(1, 10)]
    for entry in entries:
        assert entry.title and "·" not in entry.title
        assert entry.lesson is not None and entry.lesson_title
    assert set(readme_course_map(ROOT / "README.md")) == {entry.stem for entry in entries}
