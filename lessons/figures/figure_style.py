"""The look of the lessons' figures: colours, fonts, and small drawing helpers.

Every figure is drawn by ``make_figures.py`` through this module, so that all of them share one
style: the course colours of ``utils.plotting.COLORS``, one sans-serif font at sizes that stay
readable when a lesson shows the figure about 700 pixels wide, and the same boxes and arrows in
every diagram.

Diagrams are drawn on an axes that fills the figure and whose data units are inches, so that a
box of width 1 is one inch wide whatever the figure's size, and text sizes (in points) can be
checked against box sizes directly.

The SVG output is byte-for-byte reproducible: no date in the metadata, a fixed creator string,
a fixed salt for the element ids, and glyphs stored as paths (so that the text, including the
mathematics, looks the same in every browser, whatever fonts it has).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patches, patheffects  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from utils.plotting import COLORS  # noqa: E402

# Roles, so that an input, a state or an output has the same colour in every diagram.
INPUT = COLORS["series"]  # blue: what the model reads
STATE = COLORS["prediction"]  # green: hidden states and recurrent layers
OUTPUT = COLORS["target"]  # red: what the model emits, targets, losses
ACCENT = COLORS["baseline"]  # orange: highlights (predictions fed back, the chosen path)
MUTED = COLORS["floor"]  # grey: padding, pruned branches, things out of play
INK = "#222222"  # text and neutral lines

FONT_SIZE = 12  # body text of a figure (in points)
SMALL = 10.5  # secondary labels
LARGE = 13.5  # panel titles

STYLE = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": FONT_SIZE,
    "axes.titlesize": LARGE,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "lines.linewidth": 1.6,
    "svg.fonttype": "path",
    "svg.hashsalt": "rnn-course-lessons",
    "svg.image_inline": True,
    "path.simplify": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
}
METADATA = {"Date": None, "Creator": "lessons/figures/make_figures.py (Matplotlib)"}


def apply_style() -> None:
    """Set the figures' Matplotlib defaults."""
    matplotlib.rcParams.update(STYLE)
    if "svg.id" in matplotlib.rcParams:  # the root element's id, fixed where Matplotlib allows it
        matplotlib.rcParams["svg.id"] = None


def tint(color: str, amount: float = 0.8) -> str:
    """``color`` mixed with white: ``amount`` 0 gives the colour, 1 gives white."""
    red, green, blue = to_rgb(color)
    return to_hex((red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount))


def save(fig: plt.Figure, path: Path, png_dir: Path | None = None) -> Path:
    """Write ``fig`` as a reproducible SVG (and, when asked, a PNG preview) and close it."""
    fig.savefig(path, format="svg", metadata=METADATA)
    if png_dir is not None:
        fig.savefig(png_dir / (path.stem + ".png"), format="png", dpi=100)
    plt.close(fig)
    return path


class Diagram:
    """A blank figure whose axes fill it, with data units in inches (origin at the lower left)."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.fig = plt.figure(figsize=(width, height))
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(0, height)
        self.ax.set_aspect("equal")
        self.ax.axis("off")

    def text(self, x: float, y: float, text: str, size: float = FONT_SIZE, ha: str = "center",
             va: str = "center", color: str = INK, **kwargs):
        return self.ax.text(x, y, text, fontsize=size, ha=ha, va=va, color=color, **kwargs)

    def box(self, x: float, y: float, width: float, height: float, text: str = "", color: str = STATE,
            fill: str | None = None, size: float = FONT_SIZE, text_color: str = INK, linestyle: str = "-",
            linewidth: float = 1.5, rounding: float = 0.06, zorder: float = 3, **kwargs):
        """A rounded box centred at (x, y), with ``text`` in its middle."""
        patch = patches.FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height,
            boxstyle=f"round,pad=0,rounding_size={rounding}",
            facecolor=tint(color) if fill is None else fill, edgecolor=color,
            linewidth=linewidth, linestyle=linestyle, zorder=zorder,
        )
        self.ax.add_patch(patch)
        if text:
            self.text(x, y, text, size=size, color=text_color, zorder=zorder + 1, **kwargs)
        return patch

    def node(self, x: float, y: float, text: str, radius: float = 0.17, color: str = INK,
             fill: str = "white", size: float = FONT_SIZE):
        """A small circle with an operator (⊙, +, ...) in it."""
        self.ax.add_patch(patches.Circle((x, y), radius, facecolor=fill, edgecolor=color, linewidth=1.4, zorder=3))
        self.text(x, y, text, size=size, color=color, zorder=4)

    def line(self, points, color: str = INK, linewidth: float = 1.5, linestyle: str = "-", arrow: bool = True,
             halo: bool = False, head: float = 11, zorder: float = 2, shrink_end: float = 0.0):
        """A polyline through ``points``, with an arrow head at the end unless ``arrow`` is False.

        ``halo`` draws a white outline under the line, so that where two lines cross, the one
        drawn later visibly passes over the other (use it only at crossings: it also cuts
        junctions). ``shrink_end`` stops the line that many inches before its last point (to end
        at the edge of a circle, say).
        """
        points = [tuple(map(float, p)) for p in points]
        if shrink_end:
            (x0, y0), (x1, y1) = points[-2], points[-1]
            length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
            points[-1] = (x1 - (x1 - x0) * shrink_end / length, y1 - (y1 - y0) * shrink_end / length)
        effects = [patheffects.Stroke(linewidth=linewidth + 4, foreground="white"), patheffects.Normal()]
        xs, ys = zip(*points)
        if len(points) > 2 or not arrow:
            last = len(points) - 2 if arrow else len(points) - 1
            self.ax.plot(xs[: last + 1], ys[: last + 1], color=color, linewidth=linewidth, linestyle=linestyle,
                         solid_capstyle="butt", zorder=zorder, path_effects=effects if halo else None)
        if arrow:
            start, end = points[-2], points[-1]
            patch = patches.FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=head, color=color, linewidth=linewidth,
                linestyle=linestyle, shrinkA=0, shrinkB=0, zorder=zorder,
            )
            if halo:
                patch.set_path_effects(effects)
            self.ax.add_patch(patch)

    def junction(self, x: float, y: float, color: str = INK):
        """A dot where a line branches."""
        self.ax.add_patch(patches.Circle((x, y), 0.035, facecolor=color, edgecolor=color, zorder=2.5))

    def arrow(self, start, end, **kwargs):
        """A straight arrow from ``start`` to ``end``."""
        self.line([start, end], **kwargs)

    def curved_arrow(self, start, end, rad: float = 0.3, color: str = INK, linewidth: float = 1.4,
                     linestyle: str = "-", head: float = 11, zorder: float = 2):
        """An arc from ``start`` to ``end``; positive ``rad`` bends it to the left of the direction of travel."""
        self.ax.add_patch(patches.FancyArrowPatch(
            start, end, connectionstyle=f"arc3,rad={rad}", arrowstyle="-|>", mutation_scale=head, color=color,
            linewidth=linewidth, linestyle=linestyle, shrinkA=0, shrinkB=0, zorder=zorder,
        ))

    def save(self, path: Path, png_dir: Path | None = None) -> Path:
        return save(self.fig, path, png_dir)
