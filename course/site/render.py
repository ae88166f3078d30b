"""Markdown and notebooks to HTML: math becomes MathML at build time (latex2mathml, then :func:`mathml_core`
fixes what browsers draw badly), links go through the builder's callback, a remote image becomes its alt text."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable

import latex2mathml.converter
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

Rewrite = Callable[[str, str], str]  # (address in the source, "link" or "image") -> address on the page
SaveOutput = Callable[[bytes, str], str]  # (bytes, file extension) -> address of the saved file

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_HTML_ADDRESS = re.compile(r"""\b(src|href)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# MathML Core ignores mathvariant other than "normal": the letters become Unicode's mathematical
# alphanumerics (variant: first capital, first small letter, first digit or 0; then the older code points).
_ALPHABETS = {"bold": (0x1D400, 0x1D41A, 0x1D7CE), "italic": (0x1D434, 0x1D44E, 0),
              "bold-italic": (0x1D468, 0x1D482, 0), "script": (0x1D49C, 0x1D4B6, 0),
              "fraktur": (0x1D504, 0x1D51E, 0), "double-struck": (0x1D538, 0x1D552, 0x1D7D8),
              "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2), "monospace": (0x1D670, 0x1D68A, 0x1D7F6)}
_HOLES = {"italic": dict(h=0x210E), "script": dict(B=0x212C, E=0x2130, F=0x2131, H=0x210B, I=0x2110, L=0x2112,
                                                   M=0x2133, R=0x211B, e=0x212F, g=0x210A, o=0x2134),
          "fraktur": dict(C=0x212D, H=0x210C, I=0x2111, R=0x211C, Z=0x2128),
          "double-struck": dict(C=0x2102, H=0x210D, N=0x2115, P=0x2119, Q=0x211A, R=0x211D, Z=0x2124)}
_DELIMITERS = {"|": "‖", "Vert": "‖", "lVert": "‖", "rVert": "‖", "vert": "|", "lvert": "|", "rvert": "|",
               "langle": "⟨", "rangle": "⟩", "lbrace": "{", "rbrace": "}", "{": "{", "}": "}"}
_UNCONVERTED = re.compile(r"<mi>&</mi>|>\\[A-Za-z]+<|linebreak=\"newline\"")
_LIMITS = "max|min|lim|sup|inf|arg max|arg min"


def _letters(text: str, variant: str) -> str:
    capital, small, digit = _ALPHABETS[variant]
    parts = re.split(r"(&#?\w+;)", text)  # character references stay as they are
    for index in range(0, len(parts), 2):
        parts[index] = "".join(chr(_HOLES.get(variant, {}).get(c) or (capital + ord(c) - 65 if "A" <= c <= "Z" else
                                   small + ord(c) - 97 if "a" <= c <= "z" else
                                   digit + ord(c) - 48 if "0" <= c <= "9" and digit else ord(c)))
                               for c in parts[index])
    return "".join(parts)


def _retag(mathml: str, start: int, old: str, new: str, attributes: str = "", wrap: tuple[str, str] = ("", "")) -> str:
    """Rename the element ``<old>`` opening at ``start`` (and its end tag) to ``new``; wrap its content in ``wrap``."""
    depth = 0
    for tag in re.compile(rf"<(/?){old}\b[^>]*?(/?)>").finditer(mathml, start):
        depth += 0 if tag[2] else (-1 if tag[1] else 1)
        if depth == 0:
            inner = mathml[mathml.index(">", start) + 1: tag.start()]
            return f"{mathml[:start]}<{new}{attributes}>{wrap[0]}{inner}{wrap[1]}</{new}>{mathml[tag.end():]}"
    return mathml


def mathml_core(mathml: str) -> str:
    """latex2mathml's output made into MathML that browsers draw as TeX would."""
    def variant(m: re.Match) -> str:
        if m[2] == "normal":
            return m[0]
        if m[1] == "mtext" or m[2] not in _ALPHABETS:
            style = {"bold": "font-weight:bold", "italic": "font-style:italic"}.get(m[2].split("-")[0], "")
            return f'<{m[1]}{f" style={chr(34)}{style}{chr(34)}" if style else ""}>{m[3]}</{m[1]}>'
        return f"<{m[1]}>{_letters(m[3], m[2])}</{m[1]}>"

    mathml = re.sub(r"(<mtext\b[^>]*>)(.*?)(</mtext>)",  # \text{<unk>} is copied unescaped
                    lambda m: m[1] + html.escape(html.unescape(m[2]), quote=False) + m[3], mathml, flags=re.DOTALL)
    mathml = re.sub(r"(<mo\b[^>]*>)\\([A-Za-z]+|[|{}])(</mo>)",  # \Big\lVert and kin stay TeX
                    lambda m: m[1] + _DELIMITERS.get(m[2], "\\" + m[2]) + m[3], mathml)
    mathml = re.sub(r'<(mi|mn|mo|mtext) mathvariant="([a-z-]+)">([^<]*)</\1>', variant, mathml)
    # A prime is already a raised glyph: as a superscript it is drawn tiny and far too high.
    mathml = re.sub(r"<msup>(<(mi|mn)>[^<]*</\2>)<mi>((?:&#x02032;)+)</mi></msup>",
                    r'<mrow>\1<mo lspace="0" rspace="0">\3</mo></mrow>', mathml)
    # 10{,}000: one number, not "10, 000" with the space of a punctuation mark.
    mathml = re.sub(r"<mn>(\d+)</mn><mrow><mo>&#x0002C;</mo></mrow><mn>(\d+)</mn>", r"<mn>\1,\2</mn>", mathml)
    mathml = re.sub(r"<mn>(\d+(?:,\d+)+)</mn><mrow><mo>&#x0002C;</mo></mrow><mn>(\d+)</mn>", r"<mn>\1,\2</mn>", mathml)
    # |x| is an ordinary symbol in TeX (\mid is the relation): no space around it.
    mathml = mathml.replace('<mo stretchy="false">&#x0007C;</mo>', '<mo lspace="0" rspace="0">|</mo>')
    # arg max and kin take their limits below in a display, at the side in running text, as in TeX.
    mathml = re.sub(r"<mo>arg</mo>(<msub>)?<mo>(max|min)</mo>", r"\1<mo>arg \2</mo>", mathml)
    while found := re.search(rf"<msub><mo>(?:{_LIMITS})</mo>", mathml):
        mathml = _retag(mathml, found.start(), "msub", "munder")
        mathml = mathml.replace("<munder><mo>", '<munder><mo movablelimits="true">', 1)
    # Aligned columns: MathML Core drops columnalign and lays a cell out from its start: a right-aligned
    # cell becomes right-to-left around a left-to-right row, so that its content ends at the "=".
    while found := re.search(r'<mtd columnalign="right">', mathml):
        wrap = ('<mrow dir="ltr">', "</mrow>")
        mathml = _retag(mathml, found.start(), "mtd", "mtd", ' class="right" dir="rtl"', wrap)
    return re.sub(r'<mtd columnalign="(left|center)">', r'<mtd class="\1">', mathml)


def _prepare_tex(tex: str) -> str:
    """TeX that latex2mathml reads: amsmath's aligned as align*, \\arg, and math inside \\text."""
    tex = re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{align*}", tex)
    tex = re.sub(r"\\arg(?![A-Za-z])", r"\\operatorname{arg}", tex)
    while found := re.search(r"\\text\{([^{}$]*)\$([^$]*)\$([^{}]*)\}", tex):  # \text{$n$-grams}
        tex = tex[: found.start()] + rf"\text{{{found[1]}}}{found[2]}\text{{{found[3]}}}" + tex[found.end():]
    return tex.replace(r"\text{}", "")


def side_by_side(tex: str) -> list[str]:
    """A display's equations that stand side by side (``a, \\qquad b``; an aligned of column pairs) apart,
    so that a narrow screen can stack them."""
    aligned = re.fullmatch(r"\s*\\begin\{aligned\}(.*)\\end\{aligned\}\s*", tex, re.DOTALL)
    if aligned:
        rows = [re.split(r"(?<!\\)&", row) for row in re.split(r"\\\\", aligned[1]) if row.strip()]
        pairs = max(len(row) for row in rows) // 2
        if pairs > 1:
            return [r"\begin{aligned}" + r"\\".join("&".join(row[2 * k: 2 * k + 2]).replace(r"\quad", "")
                                                   for row in rows) + r"\end{aligned}" for k in range(pairs)]
        return [tex]
    parts = re.split(r"\\qquad(?![A-Za-z])", tex)
    balanced = all(part.count("{") == part.count("}") and "\\left" not in part for part in parts)
    return [part.strip() for part in parts] if balanced and len(parts) > 1 else [tex]


def _html_address(match: re.Match, rewrite: Rewrite) -> str:
    """An address in raw HTML (``<img src=...>``) rewritten like a Markdown one."""
    attribute, quote, address = match[1], match[2], html.unescape(match[3])
    if is_remote(address) or address.startswith("#"):
        return match[0]
    return f"{attribute}={quote}{html.escape(rewrite(address, 'image' if attribute == 'src' else 'link'))}{quote}"


_TEX_TOKEN = re.compile(r"\\left(?![A-Za-z])|\\right(?![A-Za-z])|\\[A-Za-z]+|\\.|[{}]|[=,+<>]|[^\\{}=,+<>]+")
_BREAK_AFTER = {"=", ",", "+", "<", ">", r"\le", r"\leq", r"\ge", r"\geq", r"\approx", r"\to", r"\ne", r"\in"}


def line_breaks(tex: str, shortest: int = 24) -> list[str]:
    """A long inline formula cut after its top-level relations, commas and plus signs, where TeX may
    break a line too; a narrow screen wraps it there instead of scrolling the page."""
    if len(tex) < shortest:
        return [tex]
    pieces, depth, start = [], 0, 0
    for token in _TEX_TOKEN.finditer(tex):
        depth += {"{": 1, "}": -1, r"\left": 1, r"\right": -1}.get(token[0], 0)
        if depth == 0 and token[0] in _BREAK_AFTER and tex[token.end():].strip():
            pieces.append(tex[start: token.end()])
            start = token.end()
    return pieces + [tex[start:]]


def is_remote(address: str) -> bool:
    return bool(_REMOTE.match(address))


def pygments_css(style: str, scope: str) -> str:
    return HtmlFormatter(style=style).get_style_defs(scope)


def highlight_code(code: str, language: str = "python") -> str:
    try:
        body = highlight(code, get_lexer_by_name(language or "python"), HtmlFormatter(nowrap=True))
    except ClassNotFound:
        body = html.escape(code)
    return f'<pre class="highlight"><code>{body}</code></pre>\n'


def plain_text(text: str) -> str:
    """Terminal output as it looks: colour codes removed, each carriage return overwriting its line."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


class MarkdownRenderer:
    """CommonMark with tables, heading anchors and ``$`` math; collects warnings and each page's headings."""

    def __init__(self):
        self.warnings: list[str] = []
        self.new_page()
        fence = {"html": True, "highlight": lambda code, language, _: highlight_code(code, language)}
        self.md = (MarkdownIt("commonmark", fence)
                   .enable(["table", "strikethrough"])
                   .use(dollarmath_plugin, allow_digits=False, allow_space=False, double_inline=True)
                   .use(amsmath_plugin)
                   .use(anchors_plugin, min_level=1, max_level=4, slug_func=self._slug, permalink=True,
                        permalinkSymbol="#", permalinkBefore=False))
        # mdit-py-plugins looks at src[pos - 1] for a digit before a "$" at position 0, which is the last
        # character: a table cell "$T = 1.5$ ... top-3" stays text. A word joiner in front avoids that.
        self.md.core.ruler.before("inline", "dollar_at_start", lambda state: [
            setattr(t, "content", "\u2060" + t.content) for t in state.tokens
            if t.type == "inline" and t.content.startswith("$") and t.content[-1:].isdigit()])
        for name, display in [("math_inline", False), ("math_inline_double", True), ("math_block", True),
                              ("math_block_label", True), ("amsmath", True)]:
            self.md.add_render_rule(name, lambda r, tokens, i, o, env, d=display: self.math(
                tokens[i].content, d, env.get("where", "")))

    def new_page(self) -> None:
        """Start a page: its headings (level, id, Markdown title) and their unique ids."""
        self.headings: list[tuple[int, str, str]] = []
        self._slugs: set[str] = set()

    def _slug(self, title: str) -> str:
        base = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-") or "section"
        slug, number = base, 1
        while slug in self._slugs:
            slug, number = f"{base}-{number}", number + 1
        self._slugs.add(slug)
        return slug

    def math(self, tex: str, display: bool, where: str = "") -> str:
        """One formula as MathML (inline, or a display block of one or more equations side by side)."""
        parts = [self._one_formula(part, display, where) for part in (side_by_side if display else line_breaks)(tex)]
        if not display:
            return "<wbr>".join(parts)
        return f'<div class="math-display{" side-by-side" if len(parts) > 1 else ""}">{"".join(parts)}</div>\n'

    def _one_formula(self, tex: str, display: bool, where: str) -> str:
        tex = tex.strip()
        try:
            mathml = mathml_core(latex2mathml.converter.convert(_prepare_tex(tex), display="block" if display else
                                                                "inline"))
        except Exception as exc:  # latex2mathml raises its own errors and plain ones
            mathml = f"<!-- {type(exc).__name__}: {exc} -->"
        found = _UNCONVERTED.search(mathml) or re.match("<!--.*", mathml)
        if found:
            self.warnings.append(f"{where}: MathML cannot show ${tex}$ ({found[0]})")
            return f'<code class="math-error">{html.escape(tex)}</code>'
        annotation = f'<annotation encoding="application/x-tex">{html.escape(tex)}</annotation>'
        return re.sub(r"^(<math\b[^>]*>)(.*)(</math>)$", lambda m: f"{m[1]}<semantics><mrow>{m[2]}</mrow>"
                      f"{annotation}</semantics>{m[3]}", mathml, flags=re.DOTALL)

    def _rewrite(self, tokens: list[Token], rewrite: Rewrite | None) -> list[Token]:
        result = []
        for index, token in enumerate(tokens):
            if token.children:
                token.children = self._rewrite(token.children, rewrite)
            if token.type == "heading_open":
                self.headings.append((int(token.tag[1]), str(token.attrGet("id")), tokens[index + 1].content))
            address = str(token.attrGet("href" if token.type == "link_open" else "src") or "")
            if token.type == "image" and is_remote(address) and not address.startswith("data:"):
                alt, token = token.content or "image", Token("html_inline", "", 0)  # fetched at view time: text
                token.content = f'<span class="remote-image">{html.escape(alt)}</span>'
            elif token.type in ("link_open", "image") and rewrite and address and not is_remote(address):
                kind = "link" if token.type == "link_open" else "image"
                token.attrSet("href" if kind == "link" else "src", rewrite(address, kind))
            elif token.type in ("html_inline", "html_block") and rewrite:
                token.content = _HTML_ADDRESS.sub(lambda m: _html_address(m, rewrite), token.content)
            result.append(token)
        return result

    def render(self, text: str, rewrite: Rewrite | None = None, where: str = "") -> str:
        """Markdown as HTML; local addresses go through ``rewrite(address, "link" or "image")``."""
        env = {"where": where}
        return self.md.renderer.render(self._rewrite(self.md.parse(text, env), rewrite), self.md.options, env)

    def render_inline(self, text: str, rewrite: Rewrite | None = None) -> str:
        return self.md.renderer.render(self._rewrite(self.md.parseInline(text, {}), rewrite), self.md.options, {})


_MIME_ORDER = ("image/svg+xml", "image/png", "image/jpeg", "text/html", "text/markdown", "text/latex", "text/plain")
_EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def render_notebook(notebook, markdown: MarkdownRenderer, rewrite: Rewrite, save: SaveOutput, where: str) -> dict:
    """An executed notebook as HTML: ``{"html", "setup" (its printed settings), "figures", "errors"}``.

    Cells tagged ``solution`` fold under a "Solution" summary (a Markdown solution cell starts one)."""
    result: dict = {"setup": "", "figures": 0, "errors": []}
    parts, solution, section = [], None, ""
    for index, cell in enumerate(notebook.cells):
        source = _text(cell.source)
        if cell.cell_type == "markdown":
            for name, bundle in (cell.get("attachments") or {}).items():
                mime = next((m for m in _EXTENSIONS if m in bundle), None)
                if mime:
                    data = _text(bundle[mime])
                    raw = data.encode() if mime == "image/svg+xml" else base64.b64decode(data)
                    source = source.replace(f"attachment:{name}", save(raw, _EXTENSIONS[mime]))
            body = markdown.render(source, rewrite, f"{where}, cell {index}")
            piece = f'<section class="cell markdown-cell">\n{body}</section>\n'
            section = markdown.headings[-1][2] if markdown.headings else section
        elif cell.cell_type == "code":
            outputs = "".join(_output(o, markdown, save, result, section) for o in cell.get("outputs", []))
            if not result["setup"] and "profile:" in outputs and source.lstrip().startswith("# Setup"):
                result["setup"] = re.search(r"profile:[^\n<]*", outputs)[0]
            piece = f'<div class="cell code-cell">{highlight_code(source)}'
            piece += f'<div class="outputs">\n{outputs}</div></div>\n' if outputs else "</div>\n"
        else:
            continue
        tagged = "solution" in cell.get("metadata", {}).get("tags", [])
        if solution is not None and (not tagged or cell.cell_type == "markdown"):
            parts.append(_fold(solution))
            solution = None
        if tagged:
            solution = (solution or []) + [piece]
        else:
            parts.append(piece)
    result["html"] = "".join(parts + ([_fold(solution)] if solution else []))
    return result


def _fold(cells: list[str]) -> str:
    found = re.search(r"<strong>(Solution[^<]*?)\.?</strong>", cells[0])
    summary = found[1] if found else "Solution"
    return f'<details class="solution"><summary>{summary}</summary>\n{"".join(cells)}</details>\n'


def _output(output, markdown: MarkdownRenderer, save: SaveOutput, result: dict, section: str) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        text = html.escape(plain_text(_text(output.text)))
        return f'<pre class="output stream {output.get("name", "")}">{text}</pre>\n'
    if kind == "error":
        result["errors"].append(f"{output.get('ename')}: {output.get('evalue')}")
        return f'<pre class="output error">{html.escape(plain_text(chr(10).join(output.get("traceback", []))))}</pre>\n'
    data = output.get("data", {})
    mime = next((m for m in _MIME_ORDER if m in data), None)
    if mime in _EXTENSIONS:
        raw = _text(data[mime]).encode() if mime == "image/svg+xml" else base64.b64decode(_text(data[mime]))
        address = html.escape(save(raw, _EXTENSIONS[mime]))
        size = output.get("metadata", {}).get(mime, {})
        width = f' width="{int(size["width"])}"' if isinstance(size, dict) and "width" in size else ""
        alt = plain_text(_text(data.get("text/plain", ""))).strip()
        if not alt or alt.startswith("<Figure size"):  # a run whose kernel gave no text: name the section
            alt = f"Figure in the section “{section}”" if section else "Figure"
        result["figures"] += 1
        return f'<figure class="output"><img src="{address}" alt="{html.escape(alt)}"{width}></figure>\n'
    if mime == "text/html":
        return f'<div class="output html">{_text(data[mime])}</div>\n'
    if mime in ("text/markdown", "text/latex"):
        return f'<div class="output markdown">{markdown.render(_text(data[mime]))}</div>\n'
    return f'<pre class="output result">{html.escape(plain_text(_text(data[mime])))}</pre>\n' if mime else ""
