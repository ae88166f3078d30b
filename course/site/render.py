"""Markdown and notebooks to HTML, with the math converted to MathML when the site is built.

Lessons and notebook cells write math as ``$...$`` and ``$$...$$`` (as GitHub and Jupyter read
it). :class:`MarkdownRenderer` turns each formula into MathML with ``latex2mathml``: browsers
draw MathML themselves (MathML Core), so a page needs no script, no font download and no network
to show its equations. The TeX source stays in each formula as an annotation (copy and paste,
screen readers).

Addresses are rewritten through a callback that the site builder supplies (a lesson's link to
``../notebooks/01_x.ipynb`` becomes the notebook's page). A remote image (such as the "Open in
Colab" badge) would be fetched when the page is viewed, so it becomes its alternative text instead.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import latex2mathml.converter
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from course.notebooks import SETUP_MARKER

#: Rewrites a local address found in a source file (a link or an image) for the page being built.
Rewrite = Callable[[str, str], str]
#: The title of the page a local address points to, or None.
Label = Callable[[str], "str | None"]

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_HTML_ADDRESS = re.compile(r"""\b(src|href)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_FILE_NAME = re.compile(r"^[\w./-]+\.(?:md|ipynb)$")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_MATH_ELEMENT = re.compile(r"^(<math\b[^>]*>)(.*)(</math>)$", re.DOTALL)
_FORMATTER = HtmlFormatter(nowrap=True)


# MathML that browsers draw: MathML Core (Chromium, Firefox, Safari) ignores ``mathvariant`` other
# than "normal" and the ``columnalign`` of table cells, which latex2mathml emits; the letters become
# Unicode's mathematical alphanumerics and the alignment becomes CSS.
_MATH_ALPHABETS = {  # variant: (first capital, first small letter, first digit or 0)
    "bold": (0x1D400, 0x1D41A, 0x1D7CE),
    "italic": (0x1D434, 0x1D44E, 0),
    "bold-italic": (0x1D468, 0x1D482, 0),
    "script": (0x1D49C, 0x1D4B6, 0),
    "bold-script": (0x1D4D0, 0x1D4EA, 0),
    "fraktur": (0x1D504, 0x1D51E, 0),
    "double-struck": (0x1D538, 0x1D552, 0x1D7D8),
    "bold-fraktur": (0x1D56C, 0x1D586, 0),
    "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2),
    "bold-sans-serif": (0x1D5D4, 0x1D5EE, 0x1D7EC),
    "sans-serif-italic": (0x1D608, 0x1D622, 0),
    "sans-serif-bold-italic": (0x1D63C, 0x1D656, 0),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6),
}
# Letters that Unicode placed in the Letterlike Symbols block before the mathematical alphabets.
_MATH_HOLES = {
    "italic": {"h": 0x210E},
    "script": {"B": 0x212C, "E": 0x2130, "F": 0x2131, "H": 0x210B, "I": 0x2110, "L": 0x2112, "M": 0x2133,
               "R": 0x211B, "e": 0x212F, "g": 0x210A, "o": 0x2134},
    "fraktur": {"C": 0x212D, "H": 0x210C, "I": 0x2111, "R": 0x211C, "Z": 0x2128},
    "double-struck": {"C": 0x2102, "H": 0x210D, "N": 0x2115, "P": 0x2119, "Q": 0x211A, "R": 0x211D, "Z": 0x2124},
}
#: Delimiters that latex2mathml leaves as TeX after a sizing command (``\\Big\\lVert``).
_DELIMITERS = {
    "|": "\u2016", "Vert": "\u2016", "lVert": "\u2016", "rVert": "\u2016", "vert": "|", "lvert": "|", "rvert": "|",
    "langle": "\u27e8", "rangle": "\u27e9", "lbrace": "{", "rbrace": "}", "{": "{", "}": "}",
    "lfloor": "\u230a", "rfloor": "\u230b", "lceil": "\u2308", "rceil": "\u2309", "lbrack": "[", "rbrack": "]",
}
_SIZED_DELIMITER = re.compile(r"(<mo\b[^>]*>)\\([A-Za-z]+|[|{}])(</mo>)")
_MATH_TEXT = re.compile(r"(<mtext\b[^>]*>)(.*?)(</mtext>)", re.DOTALL)
_ENTITY = re.compile(r"(&#?\w+;)")
_MATH_TEXT_STYLES = {"bold": "font-weight: bold", "italic": "font-style: italic", "monospace": "font-family: monospace"}
_VARIANT = re.compile(r'<(mi|mn|mo|mtext) mathvariant="([a-z-]+)">([^<]*)</\1>')
_CELL_ALIGN = re.compile(r'<mtd columnalign="(left|right|center)">')
#: What latex2mathml leaves when it does not understand the TeX.
_UNCONVERTED = re.compile(r"<mi>&</mi>|>\\[A-Za-z]+<|linebreak=\"newline\"")


def _math_letter(character: str, variant: str) -> str:
    capital, small, digit = _MATH_ALPHABETS[variant]
    if character in _MATH_HOLES.get(variant, {}):
        return chr(_MATH_HOLES[variant][character])
    if "A" <= character <= "Z":
        return chr(capital + ord(character) - ord("A"))
    if "a" <= character <= "z":
        return chr(small + ord(character) - ord("a"))
    if "0" <= character <= "9" and digit:
        return chr(digit + ord(character) - ord("0"))
    return character


def mathml_core(mathml: str) -> str:
    """latex2mathml's output in the MathML Core that browsers draw (see ``_MATH_ALPHABETS``)."""

    def variant(match: re.Match) -> str:
        tag, name, text = match[1], match[2], match[3]
        if name == "normal":
            return match[0]
        if tag == "mtext" or name not in _MATH_ALPHABETS:
            style = _MATH_TEXT_STYLES.get(name.split("-")[0], "")
            return f'<{tag} style="{style}">{text}</{tag}>' if style else f"<{tag}>{text}</{tag}>"
        parts = _ENTITY.split(text)  # odd parts are character references, kept as they are
        letters = "".join(
            part if index % 2 else "".join(_math_letter(c, name) for c in part) for index, part in enumerate(parts)
        )
        return f"<{tag}>{letters}</{tag}>"

    def delimiter(match: re.Match) -> str:
        name = match[2]
        return f"{match[1]}{_DELIMITERS[name]}{match[3]}" if name in _DELIMITERS else match[0]

    def escape_text(match: re.Match) -> str:  # latex2mathml copies \text{<unk>} into the markup unescaped
        return match[1] + html.escape(html.unescape(match[2]), quote=False) + match[3]

    def cell(match: re.Match) -> str:
        side = match[1]
        padding = {"right": "padding-right: 0; padding-left: 1em", "left": "padding-left: 0"}.get(side, "")
        return f'<mtd style="text-align: {side}; {padding}">'

    mathml = _MATH_TEXT.sub(escape_text, mathml)
    mathml = _SIZED_DELIMITER.sub(delimiter, mathml)
    return _CELL_ALIGN.sub(cell, _VARIANT.sub(variant, mathml))


def is_remote(address: str) -> bool:
    """True for an address with a scheme (``https:``, ``mailto:``, ``data:``) or a ``//`` host."""
    return bool(_REMOTE.match(address))


def pygments_css() -> str:
    """The style sheet of the code highlighting (Pygments' default style, under ``.highlight``)."""
    return HtmlFormatter(style="default").get_style_defs(".highlight")


def highlight_code(code: str, language: str = "python") -> str:
    """Source code as a highlighted ``<pre class="highlight">`` block."""
    try:
        lexer = get_lexer_by_name(language) if language else PythonLexer()
    except ClassNotFound:
        return f'<pre class="highlight"><code>{html.escape(code)}</code></pre>\n'
    return f'<pre class="highlight"><code>{highlight(code, lexer, _FORMATTER)}</code></pre>\n'


def plain_text(text: str) -> str:
    """Terminal output as it looks: colour codes removed, each carriage return overwriting its line."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


@dataclass
class MarkdownRenderer:
    """CommonMark with tables, heading anchors and ``$`` math; collects what it could not render."""

    warnings: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.md = (
            MarkdownIt("commonmark", {"html": True, "highlight": self._highlight_fence})
            .enable(["table", "strikethrough"])
            .use(dollarmath_plugin, allow_digits=False, allow_space=False, double_inline=True)  # as pandoc reads $
            .use(amsmath_plugin)
            .use(anchors_plugin, min_level=1, max_level=4)
        )
        for name, display in [
            ("math_inline", False),
            ("math_inline_double", True),
            ("math_block", True),
            ("math_block_label", True),
            ("amsmath", True),
        ]:
            self.md.add_render_rule(name, self._math_rule(display))

    # Math ---------------------------------------------------------------------------------

    def tex_to_mathml(self, tex: str, display: bool, where: str = "") -> str:
        """One formula as MathML (inline, or a display block); its TeX kept as an annotation."""
        tex = tex.strip()
        # latex2mathml lays out align* as a table but not amsmath's aligned: the same columns.
        source = re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{align*}", tex)
        source = re.sub(r"\\arg(?![A-Za-z])", r"\\operatorname{arg}", source)  # the one operator it lacks
        try:
            mathml = latex2mathml.converter.convert(source, display="block" if display else "inline")
        except Exception as exc:  # latex2mathml raises its own errors and plain ones
            mathml = ""
            self.warnings.append(f"{where}: cannot convert ${tex}$ to MathML ({type(exc).__name__}: {exc})")
        mathml = mathml_core(mathml)
        if not mathml or _UNCONVERTED.search(mathml):
            if mathml:
                self.warnings.append(f"{where}: MathML cannot show all of ${tex}$ ({_UNCONVERTED.search(mathml)[0]})")
            return f'<code class="math-error">${html.escape(tex)}$</code>'
        match = _MATH_ELEMENT.match(mathml)
        if match:
            annotation = f'<annotation encoding="application/x-tex">{html.escape(tex)}</annotation>'
            mathml = f"{match[1]}<semantics><mrow>{match[2]}</mrow>{annotation}</semantics>{match[3]}"
        if display:
            return f'<div class="math-display">{mathml}</div>\n'
        return mathml

    def _math_rule(self, display: bool):
        def rule(renderer, tokens: list[Token], index: int, options, env) -> str:
            token = tokens[index]
            result = self.tex_to_mathml(token.content, display, env.get("where", ""))
            if token.type == "math_block_label" and token.info:
                result = result.replace(
                    '<div class="math-display">',
                    f'<div class="math-display" id="eq-{html.escape(token.info)}">'
                    f'<span class="eq-label">({html.escape(token.info)})</span>',
                    1,
                )
            return result

        return rule

    @staticmethod
    def _highlight_fence(code: str, language: str, attrs) -> str:
        return highlight_code(code, language or "text")

    # Addresses ----------------------------------------------------------------------------

    def _rewrite_tokens(self, tokens: list[Token], rewrite: Rewrite | None, label: Label | None) -> list[Token]:
        result = []
        for index, token in enumerate(tokens):
            if token.children:
                token.children = self._rewrite_tokens(token.children, rewrite, label)
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                if rewrite and href and not is_remote(href):
                    href_in_source = href
                    token.attrSet("href", rewrite(href, "link"))
                    text = tokens[index + 1] if index + 2 < len(tokens) else None
                    if label and text and text.type == "text" and tokens[index + 2].type == "link_close":
                        if _FILE_NAME.match(text.content):
                            text.content = label(href_in_source) or text.content
            elif token.type == "image":
                src = str(token.attrGet("src") or "")
                alt = "".join(child.content for child in token.children or []) or token.content
                if is_remote(src) and not src.startswith("data:"):
                    result.append(self._remote_image(alt))
                    continue
                if rewrite and src and not src.startswith("data:"):
                    token.attrSet("src", rewrite(src, "image"))
            elif token.type in ("html_inline", "html_block") and rewrite:
                token.content = self._rewrite_html(token.content, rewrite)
            result.append(token)
        return result

    @staticmethod
    def _remote_image(alt: str) -> Token:
        token = Token("html_inline", "", 0)
        css = "badge" if "colab" in alt.lower() else "remote-image"
        token.content = f'<span class="{css}">{html.escape(alt or "image")}</span>'
        return token

    @staticmethod
    def _rewrite_html(text: str, rewrite: Rewrite) -> str:
        def replace(match: re.Match) -> str:
            attribute, quote, address = match[1], match[2], html.unescape(match[3])
            if is_remote(address) or address.startswith("#"):
                return match[0]
            kind = "image" if attribute.lower() == "src" else "link"
            return f"{attribute}={quote}{html.escape(rewrite(address, kind))}{quote}"

        return _HTML_ADDRESS.sub(replace, text)

    # Rendering ----------------------------------------------------------------------------

    def render(self, text: str, rewrite: Rewrite | None = None, where: str = "", label: Label | None = None) -> str:
        """Markdown as HTML; local addresses go through ``rewrite(address, 'link' or 'image')``.

        A link whose text is a file name (``notebooks/01_x.ipynb``) gets the text ``label(address)``
        instead, when that gives one: the title of the page it now points to.
        """
        env = {"where": where}
        tokens = self._rewrite_tokens(self.md.parse(text, env), rewrite, label)
        return self.md.renderer.render(tokens, self.md.options, env)

    def render_inline(self, text: str, rewrite: Rewrite | None = None, where: str = "") -> str:
        """A fragment of Markdown without the paragraph around it."""
        rendered = self.render(text, rewrite, where).strip()
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return rendered


# Notebooks ---------------------------------------------------------------------------------

#: Output formats in the order a notebook viewer prefers them.
_MIME_ORDER = (
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/html",
    "text/markdown",
    "text/latex",
    "text/plain",
)
_IMAGE_EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}

#: Saves an output's bytes (``data``, file extension ``ext``) next to the page; returns its address.
SaveOutput = Callable[[bytes, str], str]


@dataclass
class RenderedNotebook:
    """A notebook's HTML and what the site reports about it."""

    html: str
    setup: dict[str, str] = field(default_factory=dict)
    versions: str = ""
    figures: int = 0
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def parse_setup_line(text: str) -> dict[str, str]:
    """``{"profile": "quick", "data": "offline", "seed": "42"}`` from the setup cell's printed line."""
    for line in text.splitlines():
        if line.strip().startswith("profile:"):
            facts = {}
            for part in line.split("·"):
                key, _, value = part.partition(":")
                if value:
                    facts[key.strip()] = value.strip()
            return facts
    return {}


_SOLUTION_TITLE = re.compile(r"<strong>(Solution[^<]*?)\.?</strong>")


def _fold(cells: list[str]) -> str:
    """Solution cells folded under a summary ("Solution 2" when the first cell names it)."""
    found = _SOLUTION_TITLE.search(cells[0])
    title = found[1] if found else "Solution"
    return f'<details class="solution"><summary>{title}</summary>\n{"".join(cells)}</details>\n'


class NotebookRenderer:
    """An executed notebook as HTML: Markdown cells with math, highlighted code, every output."""

    def __init__(self, markdown: MarkdownRenderer):
        self.markdown = markdown

    def render(
        self, notebook: dict, rewrite: Rewrite, save_output: SaveOutput, where: str, label: Label | None = None
    ) -> RenderedNotebook:
        """The notebook's cells as HTML.

        Cells tagged ``solution`` (the worked solutions of the exercises) are folded away, each
        solution under its own "Solution" heading: a Markdown solution cell starts one, and the
        solution cells right after it belong to it.
        """
        result = RenderedNotebook(html="")
        parts = []
        solution: list[str] | None = None  # the cells of the solution being collected
        for index, cell in enumerate(notebook.get("cells", [])):
            source = _text(cell.get("source", ""))
            cell_id = html.escape(str(cell.get("id") or f"cell-{index}"))
            if cell["cell_type"] == "markdown":
                text = self._attachments(source, cell.get("attachments") or {}, save_output)
                body = self.markdown.render(text, rewrite, f"{where}, cell {index}", label)
                piece = f'<section class="cell markdown-cell" id="{cell_id}">\n{body}</section>\n'
            elif cell["cell_type"] == "code":
                piece = self._code_cell(cell, cell_id, source, save_output, result, where, index)
            else:
                continue
            is_solution = "solution" in cell.get("metadata", {}).get("tags", [])
            if solution is not None and (not is_solution or cell["cell_type"] == "markdown"):
                parts.append(_fold(solution))
                solution = None
            if is_solution:
                solution = (solution or []) + [piece]
            else:
                parts.append(piece)
        if solution is not None:
            parts.append(_fold(solution))
        result.html = "".join(parts)
        return result

    def _attachments(self, text: str, attachments: dict, save_output: SaveOutput) -> str:
        for name, bundle in attachments.items():
            for mime, data in bundle.items():
                if mime in _IMAGE_EXTENSIONS:
                    raw = _text(data).encode() if mime == "image/svg+xml" else base64.b64decode(_text(data))
                    text = text.replace(f"attachment:{name}", save_output(raw, _IMAGE_EXTENSIONS[mime]))
                    break
        return text

    def _code_cell(self, cell, cell_id, source, save_output, result, where, index) -> str:
        count = cell.get("execution_count")
        prompt = f"[{count}]" if count is not None else "[ ]"
        raw_outputs = cell.get("outputs", [])
        outputs = [self._output(output, save_output, result, f"{where}, cell {index}") for output in raw_outputs]
        if not result.setup and source.lstrip().startswith(SETUP_MARKER):
            printed = "".join(_text(o.get("text", "")) for o in raw_outputs if o.get("output_type") == "stream")
            result.setup = parse_setup_line(printed)
            result.versions = next((line for line in printed.splitlines() if line.startswith("Python ")), "")
        body = (
            f'<div class="input"><span class="prompt">{prompt}</span>{highlight_code(source)}</div>\n'
            + (f'<div class="outputs">\n{"".join(outputs)}</div>\n' if outputs else "")
        )
        return f'<div class="cell code-cell" id="{cell_id}">\n{body}</div>\n'

    def _output(self, output: dict, save_output: SaveOutput, result: RenderedNotebook, where: str) -> str:
        kind = output.get("output_type")
        if kind == "stream":
            name = html.escape(output.get("name", "stdout"))
            return f'<pre class="output stream {name}">{html.escape(plain_text(_text(output.get("text", ""))))}</pre>\n'
        if kind == "error":
            text = plain_text("\n".join(output.get("traceback", [])))
            text = text or f"{output.get('ename')}: {output.get('evalue')}"
            result.errors.append(f"{output.get('ename')}: {output.get('evalue')}")
            return f'<pre class="output error">{html.escape(text)}</pre>\n'
        if kind not in ("display_data", "execute_result"):
            return ""
        data = output.get("data", {})
        mime = next((m for m in _MIME_ORDER if m in data), None)
        if mime is None:
            return ""
        value = data[mime]
        if mime in _IMAGE_EXTENSIONS:
            raw = _text(value).encode() if mime == "image/svg+xml" else base64.b64decode(_text(value))
            address = save_output(raw, _IMAGE_EXTENSIONS[mime])
            size = output.get("metadata", {}).get(mime, {})
            width = f' width="{int(size["width"])}"' if isinstance(size, dict) and "width" in size else ""
            alt = html.escape(plain_text(_text(data.get("text/plain", "figure"))).strip() or "figure")
            result.figures += 1
            return f'<div class="output figure"><img src="{html.escape(address)}" alt="{alt}"{width}></div>\n'
        if mime == "text/html":
            return f'<div class="output html">{_text(value)}</div>\n'
        if mime in ("text/markdown", "text/latex"):
            return f'<div class="output markdown">{self.markdown.render(_text(value), where=where)}</div>\n'
        return f'<pre class="output result">{html.escape(plain_text(_text(value)))}</pre>\n'
