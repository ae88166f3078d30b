"""Unit tests of the site's rendering: TeX to MathML that browsers draw as TeX would, addresses, notebooks."""

from __future__ import annotations

import re

import nbformat
import pytest

from course.site.build import board_from_snapshot, student_colab_url
from course.site.render import MarkdownRenderer, mathml_core, plain_text, render_notebook, side_by_side


@pytest.fixture
def markdown():
    return MarkdownRenderer()


def _shown(mathml: str) -> str:
    """The characters a formula shows (its TeX annotation left out)."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<annotation\b.*?</annotation>", "", mathml, flags=re.DOTALL))


@pytest.mark.parametrize(("tex", "shown"), [
    (r"x \in \mathbb R^{d}", "ℝ"),
    (r"\Big\lVert x \Big\rVert", "‖x‖"),
    (r"\hat p(\texttt{<unk>})", "&lt;unk&gt;"),
    (r"\sum_{g \in \text{$n$-grams}(y)} 1", "-grams"),  # math inside \text (lesson 09's BLEU)
])
def test_tex_becomes_mathml(markdown, tex, shown):
    mathml = markdown.math(tex, display=False)
    assert mathml.startswith("<math") and shown in _shown(mathml), f"{tex} should show {shown}: {mathml}"
    assert "\\" not in _shown(mathml) and "$" not in _shown(mathml), f"TeX left in {mathml}"
    assert markdown.warnings == [], "a formula the renderer should handle was refused"


def test_typography_primes_thousands_bars_and_limits(markdown):
    prime = markdown.math("y_{t'}", display=False)
    assert "<msup>" not in prime and '<mo lspace="0" rspace="0">&#x02032;</mo>' in prime, "a prime is a superscript"
    assert "<mn>10,000</mn>" in markdown.math("10{,}000", display=False), "10{,}000 is not one number"
    bars = markdown.math(r"|\mathcal{Y}|", display=False)
    assert bars.count('<mo lspace="0" rspace="0">|</mo>') == 2, "|x| has space around its bars"
    argmax = markdown.math(r"\arg\max_{y} P(y)", display=True)
    assert '<munder><mo movablelimits="true">arg max</mo>' in argmax, "argmax's limits are not below it"


def test_aligned_columns_use_classes_and_side_by_side_equations_split(markdown):
    mathml = markdown.math(r"\begin{aligned} a &= b \\ e &= f \end{aligned}", display=True)
    assert 'class="right" dir="rtl"><mrow dir="ltr">' in mathml, "the left column is not right-aligned"
    assert "columnalign" not in mathml, "columnalign is left, which browsers ignore"
    pairs = side_by_side(r"\begin{aligned} a &= b, &\quad c &= d \\ e &= f, & g &= h \end{aligned}")
    assert len(pairs) == 2 and "c &= d" in pairs[1].replace("&=", " &=").replace("  ", " "), pairs
    assert side_by_side(r"c = a, \qquad h = b") == ["c = a,", "h = b"]
    assert side_by_side(r"\left( a \qquad b \right)") == [r"\left( a \qquad b \right)"]


def test_tex_that_cannot_be_shown_is_refused_and_reported(markdown):
    html = markdown.render(r"Before $\undefinedcommand{x}$ after.", where="lesson.md")
    assert '<code class="math-error">' in html and "lesson.md" in markdown.warnings[0]


def test_mathml_core_maps_variants():
    assert mathml_core('<mi mathvariant="bold">x</mi>') == "<mi>𝐱</mi>"
    assert mathml_core('<mi mathvariant="script">L</mi>') == "<mi>ℒ</mi>"
    assert mathml_core('<mi mathvariant="normal">d</mi>') == '<mi mathvariant="normal">d</mi>'


def test_dollars_in_code_and_prices_stay_text_and_headings_are_collected(markdown):
    html = markdown.render("## Costs (optional)\n\nCosts $5 and $10. `echo $HOME` and $x^2$.")
    assert html.count("<math") == 1 and "$5 and $10" in html and "<code>echo $HOME</code>" in html
    assert markdown.headings == [(2, "costs-optional", "Costs (optional)")]
    assert 'class="header-anchor" href="#costs-optional"' in html, "no visible section link"


def test_links_are_rewritten_and_remote_images_become_text(markdown):
    html = markdown.render("[a](../notebooks/01_x.ipynb) [web](https://example.org) "
                           "![Open In Colab](https://colab.research.google.com/badge.svg) <img src=\"figures/b.svg\">",
                           lambda address, kind: f"{kind}:{address}")
    assert 'href="link:../notebooks/01_x.ipynb"' in html and 'href="https://example.org"' in html
    assert '<span class="remote-image">Open In Colab</span>' in html and "badge.svg" not in html
    assert 'src="image:figures/b.svg"' in html


def test_notebook_outputs_alt_text_and_folded_solutions(markdown):
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Learning curves"),
        nbformat.v4.new_code_cell("# Setup cell\nsetup()", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="profile: quick · data: offline · seed: 42\n")]),
        nbformat.v4.new_code_cell("plt.plot()", outputs=[
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "Figure: Loss"},
                                   metadata={"image/png": {"width": 540}}),
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure size 5x3>"})]),
        nbformat.v4.new_markdown_cell("**Solution 1.** Because.", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("1 + 1", metadata={"tags": ["solution"]}, outputs=[
            nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)]),
    ])
    result = render_notebook(notebook, markdown, lambda a, k: a, lambda data, ext: f"f.{ext}", "x.ipynb")
    assert result["setup"] == "profile: quick · data: offline · seed: 42" and result["figures"] == 2
    assert 'alt="Figure: Loss" width="540"' in result["html"], "the figure's text is not its alt text"
    assert 'alt="Figure in the section “Learning curves”"' in result["html"], "a repr became alt text"
    assert '<details class="solution"><summary>Solution 1</summary>' in result["html"]
    assert result["html"].index("</details>") > result["html"].index('<pre class="output result">2</pre>')


def test_plain_text():
    assert plain_text("\x1b[1mbold\x1b[0m\nstep 1\rstep 2\n") == "bold\nstep 2\n"


def test_board_from_the_snapshot_and_student_colab():
    board = board_from_snapshot()
    assert "| notebook | metric | stand-in | real |" in board and "01_sequence_models" in board
    assert student_colab_url("01_x.ipynb").endswith("/blob/gh-pages/student/01_x.ipynb")
