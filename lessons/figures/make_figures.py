"""Draw every figure of the lessons: ``make figures`` (or ``python lessons/figures/make_figures.py``).

Writes one SVG per figure into ``lessons/figures/`` and ``MANIFEST.json`` next to them: the
SHA-256 of this script, of the style module and of the course colours it used, and of every
figure it wrote. ``tests/test_figures.py`` recomputes those hashes, so a figure that is out of
date with its source (or edited by hand) fails the tests until the figures are drawn again.

The output is byte-for-byte the same from one run to the next. Nothing here trains a model:
diagrams are drawn from their definitions, and the two plots with numbers in them compute those
numbers from formulas (a softmax at several temperatures, the two-sine generator's equation).

Three kinds of figure are drawn:

* the diagrams and formula plots registered below with ``@figure``;
* the figures of ``figures_text.py`` next to this script, if it exists: a module defining
  ``FIGURES_TEXT: dict[str, Callable[[Path, Path | None], Path]]`` (file name to drawing function,
  the same signature as the functions here); a name both define is an error;
* *measured-result* figures, which read the committed snapshot of the full runs
  (``results/*.json``). While a figure is drawn, every file it opens under ``results/`` is
  recorded (whether it reads it through :func:`snapshot` or on its own), and the manifest keeps
  the SHA-256 of each such file and which figures read it, so that the tests fail once the
  snapshot changes and a figure drawn from it is out of date.

Options: ``--png DIR`` also writes a PNG preview of each figure into DIR; ``--only NAME ...``
draws only the named figures (and leaves the manifest alone).
"""

from __future__ import annotations

import argparse
import builtins
import collections
import contextlib
import hashlib
import importlib.util
import io
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "results"
TEXT_FIGURES = HERE / "figures_text.py"
sys.path.insert(0, str(HERE))

import figure_style as fs  # noqa: E402
from figure_style import ACCENT, INK, INPUT, MUTED, OUTPUT, SMALL, STATE, Diagram  # noqa: E402

FONT = fs.FONT_SIZE

MANIFEST = HERE / "MANIFEST.json"
FIGURES: dict[str, Callable[[Path, Path | None], Path]] = {}


def figure(name: str):
    """Register a drawing function under the file name it writes."""

    def register(function):
        FIGURES[name] = function
        return function

    return register


# ---------------------------------------------------------------------------------------------
# Lesson 01: sequence models
# ---------------------------------------------------------------------------------------------


@figure("sequence_tasks.svg")
def sequence_tasks(path, png_dir):
    """One-to-one, one-to-many, many-to-one and the two many-to-many shapes."""
    d = Diagram(9.4, 3.9)
    size, gap = 0.34, 0.62  # box side, distance between steps
    y_in, y_h, y_out = 1.3, 2.1, 2.9

    def column(x, has_input, has_output, state=True):
        if has_input:
            d.box(x, y_in, size, size, color=INPUT)
            d.arrow((x, y_in + size / 2), (x, y_h - size / 2), head=8)
        if state:
            d.box(x, y_h, size, size, color=STATE)
        if has_output:
            d.box(x, y_out, size, size, color=OUTPUT)
            d.arrow((x, y_h + size / 2), (x, y_out - size / 2), head=8)

    def chain(xs):
        for a, b in zip(xs, xs[1:]):
            d.arrow((a + size / 2, y_h), (b - size / 2, y_h), head=8)

    panels = [
        ("one to one", "a feed-forward net:\nan image → a label", [(True, True)]),
        ("one to many", "image captioning", [(True, True), (False, True), (False, True)]),
        ("many to one", "sentiment (07),\nnext value (01–03)", [(True, False), (True, False), (True, True)]),
        ("many to many,\naligned", "tagging, a forecast\nat every step (03)", [(True, True)] * 3),
        ("many to many,\nencoder–decoder", "translation (09)",
         [(True, False), (True, False), (False, True), (False, True)]),
    ]
    widths = [max(1.55, size + gap * (len(steps) - 1) + 0.3) for _, _, steps in panels]
    spacing = (d.width - sum(widths)) / len(panels)
    left = spacing / 2
    for (title, example, steps), width in zip(panels, widths):
        centre = left + width / 2
        left += width + spacing
        xs = [centre + gap * (i - (len(steps) - 1) / 2) for i in range(len(steps))]
        for x, (has_input, has_output) in zip(xs, steps):
            column(x, has_input, has_output)
        chain(xs)
        d.text(centre, 3.58, title, size=fs.FONT_SIZE, weight="bold", va="center")
        d.text(centre, 0.78, example, size=SMALL, va="center")
    # The encoder-decoder: the last encoder state is the context handed to the decoder.
    d.text((xs[1] + xs[2]) / 2, y_h + 0.3, "$\\mathbf{c}$", size=SMALL)
    legend = [(INPUT, "input"), (STATE, "hidden state"), (OUTPUT, "output")]
    for i, (color, label) in enumerate(legend):
        x = d.width / 2 - 2.3 + 1.7 * i
        d.box(x, 0.22, 0.22, 0.22, color=color)
        d.text(x + 0.2, 0.22, label, size=SMALL, ha="left")
    return d.save(path, png_dir)


@figure("k_step_forecast.svg")
def k_step_forecast(path, png_dir):
    """Which inputs are observations and which are the model's own predictions, for tau = 4."""
    d = Diagram(8.4, 3.7)
    cell, tau, rows = 0.5, 4, 5
    x0 = 1.35  # left edge of column "t-3"
    columns = [f"$x_{{t{offset:+d}}}$" if offset else "$x_t$" for offset in range(-3, rows + 1)]
    for j, label in enumerate(columns):
        d.text(x0 + cell * (j + 0.5), 3.35, label, size=SMALL)
    d.ax.plot([x0 + cell * 4, x0 + cell * 4], [0.35, 3.55], color=MUTED, linestyle=":", linewidth=1.2)
    d.text(x0 + cell * 2, 0.18, "observed", size=SMALL, color=MUTED)
    d.text(x0 + cell * 6.5, 0.18, "future", size=SMALL, color=MUTED)
    for k in range(1, rows + 1):
        y = 3.35 - 0.55 * k
        d.text(x0 - 0.15, y, f"predict $\\hat x_{{t+{k}}}$", ha="right", size=SMALL)
        for j in range(len(columns)):
            offset = j - 3  # time relative to t
            x = x0 + cell * (j + 0.5)
            uses = k - tau <= offset <= k - 1
            if offset == k:
                d.box(x, y, cell * 0.86, 0.4, "?", color=OUTPUT, size=SMALL)
            elif uses and offset <= 0:
                d.box(x, y, cell * 0.86, 0.4, color=INPUT)
            elif uses:
                d.box(x, y, cell * 0.86, 0.4, "$\\hat x$", color=ACCENT, size=SMALL)
            else:
                d.box(x, y, cell * 0.86, 0.4, color=MUTED, fill="white", linewidth=0.8)
    legend_x = x0 + cell * len(columns) + 0.4
    for i, (color, label) in enumerate([(INPUT, "observation"), (ACCENT, "own prediction"),
                                        (OUTPUT, "value predicted")]):
        d.box(legend_x, 2.7 - 0.45 * i, 0.3, 0.3, color=color)
        d.text(legend_x + 0.25, 2.7 - 0.45 * i, label, size=SMALL, ha="left")
    d.text(legend_x - 0.15, 1.05, "From $k = 5$ on,\nevery input is a\nprediction.", size=SMALL, ha="left",
           va="center")
    return d.save(path, png_dir)


def two_sine_series(n_steps: int, seed: int) -> np.ndarray:
    """One series of the lab's two-sine generator (lesson 01, section 5), from its equation."""
    rng = np.random.default_rng(seed)
    freq1, freq2, offset1, offset2 = rng.random(4)
    t = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((t - offset1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((t - offset2) * (freq2 * 20 + 20))
    return series + 0.1 * (rng.random(n_steps) - 0.5)


@figure("naive_forecast.svg")
def naive_forecast(path, png_dir):
    """A two-sine series, its next ten values and the naive forecast (the last value repeated)."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    series = two_sine_series(60, seed=7)
    fig, ax = plt.subplots(figsize=(8.4, 3.5))
    steps = np.arange(1, 61)
    ax.plot(steps[:50], series[:50], ".-", color=INPUT, label="input (steps 1–50)")
    ax.plot(steps[50:], series[50:], "x-", color=OUTPUT, markersize=8, label="true future (51–60)")
    ax.plot([50, 60], [series[49]] * 2, "--", color=ACCENT, linewidth=2, label="naive: $x_{50}$ repeated")
    for step in range(51, 61):
        ax.plot([step, step], [series[49], series[step - 1]], color=OUTPUT, linewidth=1.0, linestyle=":")
    ax.text(61.5, series[49], "errors, growing\nwith the horizon", fontsize=SMALL, va="center", ha="left",
            color=OUTPUT)
    ax.axhline(0, color=INK, linewidth=0.6)
    ax.set_xlim(0, 71)
    ax.set_xticks(range(0, 61, 10))
    ax.set_ylim(-0.85, 0.85)
    ax.set_xlabel("step")
    ax.set_ylabel("value")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, handlelength=1.6, columnspacing=1.2)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


def bar_labels(ax, bars, values, fmt="{:.3g}", color=INK, horizontal=False, factor=1.06):
    """Write each bar's value past its end (above it, or right of it when ``horizontal``)."""
    for bar, value in zip(bars, values):
        if horizontal:
            ax.text(bar.get_x() + bar.get_width() * factor, bar.get_y() + bar.get_height() / 2, fmt.format(value),
                    va="center", ha="left", fontsize=SMALL, color=color)
        else:
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() * factor, fmt.format(value),
                    va="bottom", ha="center", fontsize=SMALL, color=color)


@figure("window_or_state.svg")
def window_or_state(path, png_dir):
    """Measured: a drifting level seen through noise, forecast by Markov windows and by a one-number state."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m = metrics("01_sequence_models")
    rows = [  # (label, metric, colour): windows in blue, states in green
        ("Markov, window of 1\n(2 fitted numbers)", "level_markov_1_mse", INPUT),
        ("Markov, window of 64\n(65 fitted numbers)", "level_markov_64_mse", INPUT),
        ("latent state, $a, b$ fitted\n(2 fitted numbers)", "level_latent_mse", STATE),
        ("Kalman filter\n(the known optimum's form)", "level_kalman_mse", STATE),
    ]
    optimum = m["level_optimal_mse"]
    fig, ax = plt.subplots(figsize=(8.4, 3.3))
    positions = np.arange(len(rows))[::-1]
    values = [m[metric] for _, metric, _ in rows]
    bars = ax.barh(positions, values, color=[fs.tint(c, 0.35) for _, _, c in rows],
                   edgecolor=[c for _, _, c in rows], height=0.6)
    for bar, value in zip(bars, values):
        ax.text(value + 0.004, bar.get_y() + bar.get_height() / 2, f"{value:.4f}", va="center", ha="left",
                fontsize=SMALL)
    ax.axvline(optimum, color=MUTED, linestyle="--", linewidth=1.2)
    ax.text(optimum - 0.003, positions[0] + 0.55, f"best possible, {optimum:.4f}", fontsize=SMALL, color=MUTED,
            ha="right", va="center")
    ax.set_yticks(positions, [label for label, _, _ in rows])
    ax.set_xlim(0.28, 0.42)
    ax.set_ylim(-0.6, len(rows) - 0.1)
    ax.set_xlabel("held-out one-step MSE (axis starts at 0.28)")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("noisy_sine_horizon.svg")
def noisy_sine_horizon(path, png_dir):
    """Measured: the noisy-sine MLP's error against the horizon k, fed its own forecasts."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m = metrics("01_sequence_models")
    floor = 0.2**2  # the noise variance of the d2l series: no forecast can do better on average
    fig, ax = plt.subplots(figsize=(7.4, 3.4))
    horizons = [1, 4, 16, 64]
    values = [m[f"noisy_sine_{k}_step_mse"] for k in horizons]
    ax.plot(horizons, values, "o-", color=OUTPUT, label="MLP fed its own forecasts")
    for k, value in zip(horizons, values):
        ax.annotate(f"{value:.3f}", (k, value), textcoords="offset points", xytext=(0, 8), ha="center",
                    fontsize=SMALL, color=OUTPUT)
    ax.axhline(floor, color=MUTED, linestyle="--", linewidth=1.2)
    ax.text(1, floor * 0.93, "noise floor 0.04: the ideal forecaster's error, at every horizon", fontsize=SMALL,
            color=MUTED, ha="left", va="top")
    ax.set_xscale("log", base=2)
    ax.set_xticks(horizons, [str(k) for k in horizons])
    ax.set_yscale("log")
    ax.set_ylim(0.028, 0.6)
    ax.set_yticks([0.04, 0.1, 0.2, 0.4], ["0.04", "0.1", "0.2", "0.4"])
    ax.minorticks_off()
    ax.set_xlabel("steps ahead, $k$ (window $\\tau = 4$)")
    ax.set_ylabel("held-out MSE")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 02: simple RNNs and BPTT
# ---------------------------------------------------------------------------------------------


@figure("rnn_unrolled.svg")
def rnn_unrolled(path, png_dir):
    """A recurrent layer drawn with its loop, and the same layer unrolled over T steps."""
    d = Diagram(8.6, 3.4)
    box_w, box_h = 0.62, 0.5
    y_x, y_h, y_y = 0.55, 1.7, 2.85
    # Folded.
    xf = 0.8
    d.box(xf, y_x, box_w, box_h, "$x_t$", color=INPUT)
    d.box(xf, y_h, box_w, box_h, "$h_t$", color=STATE)
    d.box(xf, y_y, box_w, box_h, "$\\hat y_t$", color=OUTPUT)
    d.arrow((xf, y_x + box_h / 2), (xf, y_h - box_h / 2))
    d.arrow((xf, y_h + box_h / 2), (xf, y_y - box_h / 2))
    d.line([(xf + box_w / 2, y_h + 0.1), (xf + 0.62, y_h + 0.1), (xf + 0.62, y_h - 0.42), (xf + 0.2, y_h - 0.42),
            (xf + 0.2, y_h - box_h / 2)], head=11)
    d.text(xf + 0.7, y_h - 0.62, "$W_{hh}$", size=SMALL, ha="left")
    d.text(xf - 0.08, (y_x + y_h) / 2, "$W_{xh}$", size=SMALL, ha="right")
    d.text(1.75, y_h, "=", size=22)
    # Unrolled.
    xs = [3.55, 4.75, 5.95, 7.8]
    labels = ["1", "2", "3", "T"]
    d.box(2.35, y_h, box_w, box_h, "$h_0$", color=MUTED)
    d.text(2.35, y_h - 0.45, "zeros", size=SMALL, color=MUTED)
    previous = 2.35
    for x, label in zip(xs, labels):
        d.box(x, y_x, box_w, box_h, f"$x_{label}$", color=INPUT)
        d.box(x, y_h, box_w, box_h, f"$h_{label}$", color=STATE)
        d.arrow((x, y_x + box_h / 2), (x, y_h - box_h / 2))
        d.text(x + 0.07, (y_x + y_h) / 2, "$W_{xh}$", size=SMALL - 1, ha="left", color=MUTED)
        if label == "T":
            d.arrow((previous + box_w / 2, y_h), (previous + 0.75, y_h), arrow=False)
            d.text((previous + x) / 2 + 0.05, y_h, "⋯", size=16)
            d.arrow((x - 0.6, y_h), (x - box_w / 2, y_h))
        else:
            d.arrow((previous + box_w / 2, y_h), (x - box_w / 2, y_h))
            d.text((previous + x) / 2, y_h + 0.16, "$W_{hh}$", size=SMALL - 1, color=MUTED)
        previous = x
    d.box(xs[-1], y_y, box_w, box_h, "$\\hat y$", color=OUTPUT)
    d.arrow((xs[-1], y_h + box_h / 2), (xs[-1], y_y - box_h / 2))
    d.text(5.0, 3.2, "the same $W_{xh}$, $W_{hh}$, $b_h$ at every step", size=SMALL, color=INK)
    return d.save(path, png_dir)


@figure("bptt_graph.svg")
def bptt_graph(path, png_dir):
    """The computational graph of three steps, with the backward pass of BPTT."""
    d = Diagram(8.6, 4.5)
    box_w, box_h = 0.62, 0.5
    y_x, y_h, y_l = 1.0, 2.35, 3.85
    xs = [2.2, 4.2, 6.2]
    d.box(0.6, y_h, box_w, box_h, "$h_0$", color=MUTED)
    previous = 0.6
    for i, x in enumerate(xs, start=1):
        d.box(x, y_x, box_w, box_h, f"$x_{i}$", color=INPUT)
        d.box(x, y_h, box_w, box_h, f"$h_{i}$", color=STATE)
        d.arrow((x, y_x + box_h / 2), (x, y_h - box_h / 2))
        d.arrow((previous + box_w / 2, y_h + 0.1), (x - box_w / 2, y_h + 0.1))
        # Backward: the Jacobian of one step (nothing flows back into the fixed h_0).
        if i > 1:
            d.arrow((x - box_w / 2, y_h - 0.12), (previous + box_w / 2, y_h - 0.12), color=OUTPUT, linestyle="--")
            d.text((previous + x) / 2, y_h - 0.42, f"$D_{i} W_{{hh}}$", size=SMALL, color=OUTPUT)
        previous = x
    d.box(7.7, y_l, 0.8, box_h, "$\\ell_3$", color=OUTPUT)
    d.arrow((xs[-1] + box_w / 2, y_h + 0.1), (7.7, y_h + 0.1), arrow=False)
    d.arrow((7.7, y_h + 0.1), (7.7, y_l - box_h / 2))
    d.line([(7.55, y_l - box_h / 2), (7.55, y_h - 0.12), (xs[-1] + box_w / 2, y_h - 0.12)], color=OUTPUT,
           linestyle="--")
    d.text(7.38, (y_h + y_l) / 2 - 0.1, "$\\delta_3$", size=SMALL, color=OUTPUT, ha="right")
    # The shared parameters.
    d.box(4.2, y_l, 2.6, 0.55, "$W_{hh}$, $W_{xh}$, $b_h$ (shared)", color=MUTED, size=SMALL)
    for x in xs:
        d.ax.plot([4.2 + (x - 4.2) * 0.45, x], [y_l - 0.28, y_h + box_h / 2], color=MUTED, linewidth=0.9,
                  linestyle=":", zorder=1)
    d.text(0.3, 3.95, "forward", size=SMALL, ha="left", color=INK)
    d.arrow((0.3, 3.7), (1.1, 3.7))
    d.text(0.3, 3.35, "backward", size=SMALL, ha="left", color=OUTPUT)
    d.arrow((1.1, 3.1), (0.3, 3.1), color=OUTPUT, linestyle="--")
    d.text(4.3, 0.3, "$\\delta_t = \\nabla_{h_t} \\ell_t + W_{hh}^{\\top} D_{t+1} \\delta_{t+1}$,   "
           "$\\partial L / \\partial W_{hh} = \\Sigma_t\\, D_t\\, \\delta_t\\, h_{t-1}^{\\top}$:"
           "  one sum over the steps", size=SMALL)
    return d.save(path, png_dir)


@figure("truncated_bptt.svg")
def truncated_bptt(path, png_dir):
    """Truncated BPTT: the state flows across segment boundaries, the gradient does not."""
    d = Diagram(8.6, 2.9)
    segments, per_segment, step = 3, 4, 0.64
    y_h = 1.55
    x = 0.45
    boundaries = []
    centres = []
    for _ in range(segments):
        for _ in range(per_segment):
            centres.append(x)
            x += step
        boundaries.append(x - step / 2 + 0.12)
        x += 0.24
    for i, cx in enumerate(centres):
        d.box(cx, y_h, 0.34, 0.34, f"$h_{{{i + 1}}}$", color=STATE, size=SMALL - 1)
        if i:
            d.arrow((centres[i - 1] + 0.17, y_h + 0.07), (cx - 0.17, y_h + 0.07), color=STATE, head=8)
            if i % per_segment:
                d.arrow((cx - 0.17, y_h - 0.09), (centres[i - 1] + 0.17, y_h - 0.09), color=OUTPUT,
                        linestyle="--", head=8)
    for b in boundaries[:-1]:
        d.ax.plot([b, b], [1.0, 2.1], color=INK, linewidth=1.2, linestyle=(0, (2, 2)))
        d.text(b, 0.82, "gradient stops", size=SMALL - 1, color=OUTPUT)
    for s in range(segments):
        first, last = centres[s * per_segment], centres[(s + 1) * per_segment - 1]
        d.text((first + last) / 2, 2.4, f"segment {s + 1}: one update", size=SMALL)
    legend = [(STATE, "-", "state carried forward, across segments"),
              (OUTPUT, "--", "gradient, only within a segment")]
    for i, (color, style, text) in enumerate(legend):
        x = 0.6 + 4.2 * i
        d.arrow((x, 0.3), (x + 0.5, 0.3), color=color, linestyle=style, head=8)
        d.text(x + 0.62, 0.3, text, size=SMALL, ha="left", color=color)
    return d.save(path, png_dir)


def log_bars(ax, labels, values, colors, fmt, floor=1e-14):
    """Vertical bars on a log scale, each labelled with its value."""
    bars = ax.bar(range(len(values)), values, color=[fs.tint(c, 0.35) for c in colors], edgecolor=colors,
                  width=0.62, bottom=floor)
    for i, value in enumerate(values):
        ax.text(i, value * 2.2, fmt(value), ha="center", va="bottom", fontsize=SMALL)
    ax.set_yscale("log")
    ax.set_xticks(range(len(values)), labels)
    ax.minorticks_off()
    return bars


def power_of_ten(value: float) -> str:
    """A positive number as 1.7 × 10⁻¹² (or plainly when it is between 0.01 and 1000)."""
    if 0.01 <= value < 1000:
        return f"{value:.3g}"
    exponent = math.floor(math.log10(value))
    superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{value / 10**exponent:.1f} × 10{superscript}"


@figure("gradient_by_gain.svg")
def gradient_by_gain(path, png_dir):
    """Measured: how much an input 40 steps back moves the last state, by the recurrent weights' gain."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m = metrics("02_simple_rnn")
    rows = [("gain 0.5", "influence_lag_40_gain_0_5", INPUT), ("gain 1", "influence_lag_40_gain_1", STATE),
            ("gain 2", "influence_lag_40_gain_2", OUTPUT),
            ("trained\nSimpleRNN(1)", "influence_lag_40_trained", MUTED)]
    values = [m[metric] for _, metric, _ in rows]
    fig, ax = plt.subplots(figsize=(7.4, 3.6))
    log_bars(ax, [label for label, _, _ in rows], values, [c for _, _, c in rows], power_of_ten)
    ax.axhline(1, color=INK, linewidth=0.8, linestyle=":")
    ax.text(3.45, 1.6, "as much as\nthe last input", fontsize=SMALL, color=INK, ha="right", va="bottom")
    ax.set_ylim(1e-14, 1e5)
    ax.set_yticks([1e-12, 1e-8, 1e-4, 1, 1e4], ["10⁻¹²", "10⁻⁸", "10⁻⁴", "1", "10⁴"])
    ax.set_ylabel("influence of $x_{t-40}$ on $h_t$\n(relative to $x_t$'s)")
    ax.set_xlabel("SimpleRNN(20) with orthogonal recurrent weights times a gain; a trained SimpleRNN(1)")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("bptt_estimators.svg")
def bptt_estimators(path, png_dir):
    """Measured: bias of each BPTT gradient estimator and the error after training with it (copy task)."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m = metrics("02_simple_rnn")
    rows = [("full", "bptt_full", STATE), ("window 4", "bptt_truncated_4", OUTPUT),
            ("window 10", "bptt_truncated_10", INPUT), ("randomized\n(window 4)", "bptt_randomized", ACCENT)]
    labels = [label for label, _, _ in rows]
    colors = [c for _, _, c in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.8, 3.5))
    bias = [m[f"{key}_bias"] for _, key, _ in rows]
    bars = left.bar(range(4), bias, color=[fs.tint(c, 0.35) for c in colors], edgecolor=colors, width=0.62)
    bar_labels(left, bars, bias, "{:.3f}", factor=1.0)
    left.set_xticks(range(4), labels)
    left.set_ylim(0, 0.7)
    left.set_ylabel("bias (share of the gradient's size)")
    left.set_title("the gradient on average", fontsize=FONT)
    trained = [m[f"{key}_trained_mse"] for _, key, _ in rows]
    bars = right.bar(range(4), trained, color=[fs.tint(c, 0.35) for c in colors], edgecolor=colors, width=0.62)
    bar_labels(right, bars, trained, "{:.3f}", factor=1.0)
    right.axhline(1.0, color=MUTED, linestyle="--", linewidth=1.2)
    right.text(3.4, 1.02, "predicting the mean", fontsize=SMALL, color=MUTED, ha="right", va="bottom")
    right.set_xticks(range(4), labels)
    right.set_ylim(0, 1.2)
    right.set_ylabel("validation MSE")
    right.set_title("after training with it", fontsize=FONT)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 03: deep RNNs
# ---------------------------------------------------------------------------------------------


@figure("stacked_rnn.svg")
def stacked_rnn(path, png_dir):
    """Two stacked recurrent layers: sequence to vector and sequence to sequence, with shapes."""
    d = Diagram(9.4, 4.4)
    box_w, box_h = 0.38, 0.38
    rows = {"x": 0.55, "h1": 1.5, "h2": 2.45, "out": 3.4}

    def panel(x_left, sequence_out, title, notes):
        xs = [x_left + 0.62 * i for i in range(3)] + [x_left + 0.62 * 3 + 0.34]
        labels = ["1", "2", "3", "T"]
        for j, (x, label) in enumerate(zip(xs, labels)):
            d.box(x, rows["x"], box_w, box_h, f"$x_{label}$", color=INPUT, size=SMALL)
            for row in ("h1", "h2"):
                d.box(x, rows[row], box_w, box_h, color=STATE)
            d.arrow((x, rows["x"] + box_h / 2), (x, rows["h1"] - box_h / 2), head=8)
            d.arrow((x, rows["h1"] + box_h / 2), (x, rows["h2"] - box_h / 2), head=8)
            if j:
                for row in ("h1", "h2"):
                    if label == "T":
                        d.text((xs[j - 1] + x) / 2, rows[row], "⋯", size=13)
                    else:
                        d.arrow((xs[j - 1] + box_w / 2, rows[row]), (x - box_w / 2, rows[row]), head=8)
            if sequence_out or label == "T":
                d.box(x, rows["out"], box_w, box_h, color=OUTPUT)
                d.arrow((x, rows["h2"] + box_h / 2), (x, rows["out"] - box_h / 2), head=8)
        d.text((xs[0] + xs[-1]) / 2 + 0.6, 4.1, title, weight="bold")
        for row, note in notes.items():
            d.text(xs[-1] + 0.35, rows[row], note, size=SMALL - 1, ha="left")

    panel(0.45, False, "sequence to vector", {
        "x": "(batch, T, 1)",
        "h1": "SimpleRNN(20,\nreturn_sequences=True)\n→ (batch, T, 20)",
        "h2": "SimpleRNN(20)\n→ (batch, 20):\nthe last state only",
        "out": "Dense(10)\n→ (batch, 10)",
    })
    panel(5.05, True, "sequence to sequence", {
        "x": "(batch, T, 1)",
        "h1": "return_sequences=True\n→ (batch, T, 20)",
        "h2": "return_sequences=True\n→ (batch, T, 20)",
        "out": "Dense(10) at every\nstep → (batch, T, 10)",
    })
    return d.save(path, png_dir)


NOISE_FLOOR = 0.01 / 12  # the two-sine noise 0.1 (U - 0.5) has this variance: no forecast beats it on average


def horizontal_mse_bars(ax, rows, floor=NOISE_FLOOR, digits=4):
    """Horizontal bars of MSEs on a log scale, top to bottom, each labelled, with the noise floor dashed."""
    positions = np.arange(len(rows))[::-1]
    values = [value for _, value, _ in rows]
    colors = [color for _, _, color in rows]
    ax.barh(positions, values, color=[fs.tint(c, 0.35) for c in colors], edgecolor=colors, height=0.62,
            left=floor / 3)
    for y, value in zip(positions, values):
        ax.text(value * 1.12, y, f"{value:.{digits}f}  ({value / floor:.1f}× floor)", va="center", ha="left",
                fontsize=SMALL)
    ax.axvline(floor, color=MUTED, linestyle="--", linewidth=1.2)
    ax.text(floor * 1.05, positions[0] + 0.62, "noise floor", fontsize=SMALL, color=MUTED, ha="left", va="center")
    ax.set_xscale("log")
    ax.set_yticks(positions, [label for label, _, _ in rows])
    ax.set_ylim(-0.6, len(rows) - 0.1)
    ax.minorticks_off()


@figure("one_step_ladder.svg")
def one_step_ladder(path, png_dir):
    """Measured: one-step validation MSE of lessons 01-03's models on the two-sine series, against the floor."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m1, m2, m3 = metrics("01_sequence_models"), metrics("02_simple_rnn"), metrics("03_deep_rnn")
    rows = [
        ("naive (last value)", m1["naive_mse"], MUTED),
        ("SimpleRNN(1)", m2["simple_rnn_1_mse"], STATE),
        ("Flatten + Dense(1)", m1["linear_mse"], INPUT),
        ("linear, least squares", m1["linear_lstsq_mse"], INPUT),
        ("SimpleRNN(20) ×2 + SimpleRNN(1)", m3["deep_rnn_mse"], STATE),
        ("SimpleRNN(20) ×2 + Dense(1)", m3["deep_rnn_dense_mse"], STATE),
    ]
    fig, ax = plt.subplots(figsize=(8.6, 3.5))
    horizontal_mse_bars(ax, rows)
    ax.set_xlim(NOISE_FLOOR / 3, 0.3)
    ax.set_xticks([0.001, 0.003, 0.01, 0.03], ["0.001", "0.003", "0.01", "0.03"])
    ax.set_xlabel("one-step validation MSE, two-sine series (log scale)")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("ten_step_forecasts.svg")
def ten_step_forecasts(path, png_dir):
    """Measured: ten-step validation MSE of lesson 03's strategies, against the naive forecast and the floor."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m = metrics("03_deep_rnn")
    rows = [
        ("naive (repeat $x_{50}$)", m["ten_step_naive_mse"], MUTED),
        ("linear, Dense(10)", m["ten_step_linear_mse"], INPUT),
        ("recursive (one step ×10)", m["ten_step_iterative_mse"], ACCENT),
        ("sequence to sequence\n(last step)", m["ten_step_seq2seq_last_mse"], STATE),
        ("sequence to vector", m["ten_step_vector_mse"], STATE),
    ]
    fig, ax = plt.subplots(figsize=(8.6, 3.4))
    horizontal_mse_bars(ax, rows)
    ax.set_xlim(NOISE_FLOOR / 3, 5)
    ax.set_xticks([0.001, 0.01, 0.1], ["0.001", "0.01", "0.1"])
    ax.set_xlabel("ten-step validation MSE, mean over the ten horizons (log scale)")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 04: LSTM, GRU, bidirectional layers
# ---------------------------------------------------------------------------------------------


def _gate(d: Diagram, x, y, label, name, color=STATE, width=0.62, side="left"):
    """A gate's box, with the gate's name beside the line that leaves its top."""
    d.box(x, y, width, 0.46, label, color=color, size=fs.FONT_SIZE)
    offset = -0.08 if side == "left" else 0.08
    d.text(x + offset, y + 0.45, name, size=fs.FONT_SIZE, ha="right" if side == "left" else "left", color=INK)


@figure("lstm_cell.svg")
def lstm_cell(path, png_dir):
    """The LSTM cell: three sigmoid gates, a tanh candidate, the memory cell and the hidden state."""
    d = Diagram(8.6, 4.6)
    y_c, y_mid, y_gate, y_bus = 3.7, 2.75, 1.85, 1.15
    d.box(4.1, 2.35, 6.0, 3.1, color=MUTED, fill="#fafafa", linewidth=1.0, rounding=0.15, zorder=0.5)
    # Cell state line.
    d.text(0.35, y_c, "$c_{t-1}$", ha="center")
    d.line([(0.65, y_c), (2.2 - 0.17, y_c)])
    d.node(2.2, y_c, "×")
    d.line([(2.2 + 0.17, y_c), (3.4 - 0.17, y_c)])
    d.node(3.4, y_c, "+")
    d.line([(3.4 + 0.17, y_c), (7.9, y_c)])
    d.text(8.25, y_c, "$c_t$")
    # Inputs: h_{t-1} from the left, x_t from below, joined on a bus.
    d.text(0.35, y_bus, "$h_{t-1}$")
    d.line([(0.65, y_bus), (5.0, y_bus)], arrow=False)
    d.text(1.6, 0.2, "$x_t$")
    d.line([(1.6, 0.38), (1.6, y_bus)], arrow=False)
    d.text(1.25, y_bus + 0.25, "$[h_{t-1}, x_t]$", size=SMALL, ha="center")
    d.junction(1.6, y_bus)
    gates = [(2.2, "σ", "$f_t$", "left"), (3.0, "σ", "$i_t$", "left"), (3.8, "tanh", "$\\tilde c_t$", "right"),
             (5.0, "σ", "$o_t$", "right")]
    for x, label, name, side in gates:
        d.line([(x, y_bus), (x, y_gate - 0.23)], head=9)
        if x < 5.0:
            d.junction(x, y_bus)
        _gate(d, x, y_gate, label, name, side=side)
    # Forget gate scales the old cell.
    d.line([(2.2, y_gate + 0.23), (2.2, y_c - 0.17)])
    # Input gate times candidate, added to the cell.
    d.node(3.4, y_mid, "×")
    d.line([(3.0, y_gate + 0.23), (3.0, y_mid), (3.4 - 0.17, y_mid)], head=9)
    d.line([(3.8, y_gate + 0.23), (3.8, y_mid), (3.4 + 0.17, y_mid)], head=9)
    d.line([(3.4, y_mid + 0.17), (3.4, y_c - 0.17)])
    # Output: o_t times tanh(c_t).
    d.junction(6.0, y_c)
    d.line([(6.0, y_c), (6.0, 3.2 + 0.2)], head=9)
    d.box(6.0, 3.2, 0.62, 0.38, "tanh", color=STATE, fill="white", size=SMALL)
    d.line([(6.0, 3.2 - 0.19), (6.0, y_gate + 0.17)], head=9)
    d.node(6.0, y_gate, "×")
    d.line([(5.0 + 0.31, y_gate), (6.0 - 0.17, y_gate)], head=9)
    d.line([(6.0, y_gate - 0.17), (6.0, y_bus), (7.9, y_bus)])
    d.text(8.25, y_bus, "$h_t$")
    d.text(7.75, y_bus - 0.4, "output and\nnext state", size=SMALL - 1)
    d.text(4.3, 0.2, "$c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t, \\qquad h_t = o_t \\odot \\tanh(c_t)$",
           size=SMALL, ha="left")
    return d.save(path, png_dir)


@figure("gru_cell.svg")
def gru_cell(path, png_dir):
    """The GRU cell: reset and update gates, the candidate state and the interpolation."""
    d = Diagram(8.6, 4.6)
    y_top, y_mid, y_gate, y_bus, y_x, y_z = 3.7, 2.85, 1.95, 1.35, 1.0, 2.42
    d.box(4.1, 2.35, 6.0, 3.1, color=MUTED, fill="#fafafa", linewidth=1.0, rounding=0.15, zorder=0.5)
    # The state line along the top.
    d.text(0.35, y_top, "$h_{t-1}$")
    d.line([(0.65, y_top), (5.4 - 0.17, y_top)])
    d.node(5.4, y_top, "×")
    d.line([(5.4 + 0.17, y_top), (6.6 - 0.17, y_top)])
    d.node(6.6, y_top, "+")
    d.line([(6.6 + 0.17, y_top), (7.9, y_top)])
    d.text(8.25, y_top, "$h_t$")
    # h_{t-1} and x_t feed both gates.
    d.junction(1.45, y_top)
    d.line([(1.45, y_top), (1.45, y_bus), (3.6, y_bus)], arrow=False)
    d.text(1.9, 0.2, "$x_t$")
    d.line([(1.9, 0.38), (1.9, y_bus)], arrow=False)
    d.junction(1.9, y_bus)
    d.junction(1.9, y_x)
    d.text(3.1, y_bus - 0.19, "$[h_{t-1}, x_t]$", size=SMALL)
    for x, label, name in [(2.6, "σ", "$r_t$"), (3.6, "σ", "$z_t$")]:
        d.line([(x, y_bus), (x, y_gate - 0.23)], head=9)
        _gate(d, x, y_gate, label, name)
    d.junction(2.6, y_bus)
    # Reset gate times the old state feeds the candidate, together with x_t.
    d.node(2.6, y_mid, "×")
    d.line([(2.6, y_gate + 0.23), (2.6, y_mid - 0.17)], head=9)
    d.junction(2.6, y_top)
    d.line([(2.6, y_top), (2.6, y_mid + 0.17)], head=9)
    d.line([(2.6 + 0.17, y_mid), (4.7 - 0.31, y_mid)], head=9)
    d.line([(1.9, y_x), (4.7, y_x), (4.7, y_mid - 0.23)], head=9)
    d.box(4.7, y_mid, 0.62, 0.46, "tanh", color=STATE, size=fs.FONT_SIZE)
    d.text(4.7, y_mid + 0.42, "$\\tilde h_t$", size=fs.FONT_SIZE)
    d.node(6.6, y_mid, "×")
    d.line([(4.7 + 0.31, y_mid), (6.6 - 0.17, y_mid)], head=9)
    d.line([(6.6, y_mid + 0.17), (6.6, y_top - 0.17)])
    # Update gate: z times the old state, (1 - z) times the candidate. Drawn last, so that it
    # visibly passes over the two lines it crosses.
    d.line([(3.6, y_gate + 0.23), (3.6, y_z), (5.4, y_z), (5.4, y_top - 0.17)], head=9, halo=True)
    d.junction(5.4, y_z)
    d.box(6.0, y_gate, 0.62, 0.4, "1 −", color=MUTED, fill="white", size=SMALL)
    d.line([(5.4, y_z), (5.4, y_gate), (6.0 - 0.31, y_gate)], head=9)
    d.line([(6.0 + 0.31, y_gate), (6.6, y_gate), (6.6, y_mid - 0.17)], head=9)
    d.text(4.3, 0.2, "$h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t$", size=SMALL, ha="left")
    return d.save(path, png_dir)


@figure("bidirectional.svg")
def bidirectional(path, png_dir):
    """A bidirectional layer: a forward and a backward RNN, their states concatenated at each step."""
    d = Diagram(9.0, 4.1)
    box_w, box_h = 0.52, 0.46
    y_x, y_b, y_f, y_o = 0.5, 1.5, 2.45, 3.55
    xs = [0.95, 2.45, 3.95, 5.45]
    for j, x in enumerate(xs):
        label = str(j + 1)
        d.box(x, y_x, 0.95, box_h, f"$x_{label}$", color=INPUT)
        d.box(x - 0.3, y_b, box_w, box_h, f"$\\overleftarrow{{h}}_{label}$", color=ACCENT)
        d.box(x + 0.3, y_f, box_w, box_h, f"$\\overrightarrow{{h}}_{label}$", color=STATE)
        d.box(x, y_o, 1.15, box_h, f"$[\\overrightarrow{{h}}_{label}, \\overleftarrow{{h}}_{label}]$",
              color=OUTPUT, size=SMALL)
        if j:
            d.arrow((xs[j - 1] + 0.3 + box_w / 2, y_f), (x + 0.3 - box_w / 2, y_f), color=STATE)
            d.arrow((x - 0.3 - box_w / 2, y_b), (xs[j - 1] - 0.3 + box_w / 2, y_b), color=ACCENT)
    for x in xs:  # vertical connections last, passing over the horizontal arrows
        d.line([(x - 0.3, y_x + box_h / 2), (x - 0.3, y_b - box_h / 2)], head=8)
        d.line([(x + 0.3, y_x + box_h / 2), (x + 0.3, y_f - box_h / 2)], head=8, halo=True)
        d.line([(x + 0.3, y_f + box_h / 2), (x + 0.3, y_o - box_h / 2)], head=8)
        d.line([(x - 0.3, y_b + box_h / 2), (x - 0.3, y_o - box_h / 2)], head=8, halo=True)
    d.text(6.45, y_o, "both states, concatenated\n(merge_mode=\"concat\")", size=SMALL, ha="left", color=OUTPUT)
    d.text(6.45, y_f, "forward: $\\overrightarrow{h}_t$ has read\n$x_1, \\dots, x_t$", size=SMALL, ha="left",
           color=STATE)
    d.text(6.45, y_b, "backward: $\\overleftarrow{h}_t$ has read\n$x_t, \\dots, x_T$: the future", size=SMALL,
           ha="left", color=ACCENT)
    return d.save(path, png_dir)


@figure("long_lag_memory.svg")
def long_lag_memory(path, png_dir):
    """Measured: the 99-step recall task, accuracy and the input gradient at lag 99, by layer."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m = metrics("04_lstm_gru")
    layers = [("SimpleRNN", "simple_rnn", MUTED), ("LSTM", "lstm", STATE), ("GRU", "gru", INPUT)]
    labels = [label for label, _, _ in layers]
    colors = [c for _, _, c in layers]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.4), gridspec_kw={"width_ratios": [1, 1.2]})
    accuracy = [m[f"long_lag_{key}_accuracy"] for _, key, _ in layers]
    bars = left.bar(range(3), accuracy, color=[fs.tint(c, 0.35) for c in colors], edgecolor=colors, width=0.6)
    bar_labels(left, bars, accuracy, "{:.3f}", factor=1.0)
    left.axhline(0.5, color=OUTPUT, linestyle="--", linewidth=1.2)
    left.text(0.5, 0.53, "chance", fontsize=SMALL, color=OUTPUT, ha="center", va="bottom")
    left.set_xticks(range(3), labels)
    left.set_ylim(0, 1.15)
    left.set_ylabel("validation accuracy")
    left.set_title("recall the first sign", fontsize=FONT)
    ratio = [m[f"long_lag_{key}_gradient_ratio"] for _, key, _ in layers]
    log_bars(right, labels, ratio, colors, power_of_ten, floor=1e-16)
    right.axhline(1, color=INK, linewidth=0.8, linestyle=":")
    right.set_ylim(1e-16, 1e4)
    right.set_yticks([1e-15, 1e-10, 1e-5, 1], ["10⁻¹⁵", "10⁻¹⁰", "10⁻⁵", "1"])
    right.set_ylabel("input gradient, lag 99\nrelative to lag 0")
    right.set_title("after training", fontsize=FONT)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("gated_forecasts.svg")
def gated_forecasts(path, png_dir):
    """Measured: lesson 04's one-step and ten-step models on the two-sine series, against the floor."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    m3, m = metrics("03_deep_rnn"), metrics("04_lstm_gru")
    one_step = [
        ("SimpleRNN ×2 + Dense\n(lesson 03)", m3["deep_rnn_dense_mse"], MUTED),
        ("GRU ×2 + Dense", m["gru_mse"], INPUT),
        ("LSTM ×2 + Dense", m["lstm_mse"], STATE),
        ("MLP, lab's 7,000 series", m["best_model_lab_data_mse"], ACCENT),
        ("MLP, 1,000,000 series", m["best_one_step_mse"], ACCENT),
    ]
    ten_step = [
        ("bidirectional GRU,\nforecast at step 50", m["bidirectional_last_mse"], OUTPUT),
        ("WaveNet-style", m["ten_step_wavenet_last_mse"], INPUT),
        ("GRU", m["ten_step_gru_last_mse"], INPUT),
        ("sequence to vector\n(lesson 03)", m3["ten_step_vector_mse"], MUTED),
        ("Conv1D + GRU", m["ten_step_conv_gru_last_mse"], INPUT),
        ("LSTM", m["ten_step_lstm_last_mse"], STATE),
    ]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8.6, 6.4), gridspec_kw={"height_ratios": [5, 6]})
    horizontal_mse_bars(top, one_step)
    estimate = m["realistic_floor_mse"]
    top.axvline(estimate, color=ACCENT, linestyle=":", linewidth=1.4)
    top.text(0.012, 4.62, "dotted: linearized estimate\nof the best achievable", fontsize=SMALL - 1,
             color=ACCENT, ha="left", va="center")
    top.set_title("one step ahead", fontsize=FONT)
    horizontal_mse_bars(bottom, ten_step)
    for ax in (top, bottom):
        ax.set_xlim(NOISE_FLOOR / 3, 0.1)
        ax.set_xticks([0.001, 0.003, 0.01], ["0.001", "0.003", "0.01"])
    bottom.set_title("ten steps ahead, the last step's forecast", fontsize=FONT)
    bottom.set_xlabel("validation MSE, two-sine series (log scale)")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 05: text and language models
# ---------------------------------------------------------------------------------------------

# The opening words of The Time Machine (H. G. Wells, 1895, in the public domain).
TOKENIZATION_TEXT = ("The Time Traveller (for so it will be convenient to speak of him) "
                     "was expounding a recondite matter to us.")
TOKENIZATION_NEW_TEXT = "The Time Machine"


def tiny_vocabulary(tokens: list[str]) -> list[str]:
    """The lesson's vocabulary rule: <unk> first, then by count (descending), ties alphabetically."""
    counts = collections.Counter(tokens)
    return ["<unk>"] + sorted(counts, key=lambda token: (-counts[token], token))


@figure("tokenization.svg")
def tokenization(path, png_dir):
    """Raw text -> cleaned words -> a vocabulary with <unk> -> ids, computed on a real sentence."""
    tokens = re.sub("[^A-Za-z]+", " ", TOKENIZATION_TEXT).lower().split()
    vocab = tiny_vocabulary(tokens)
    index = {token: i for i, token in enumerate(vocab)}
    new_tokens = re.sub("[^A-Za-z]+", " ", TOKENIZATION_NEW_TEXT).lower().split()
    d = Diagram(9.0, 5.75)

    def row_title(y, text):
        d.text(0.15, y, text, size=SMALL, ha="left", weight="bold")

    # 1. Raw text.
    row_title(5.5, "1. raw text")
    d.text(0.3, 5.17, f"“{TOKENIZATION_TEXT}”", size=SMALL, ha="left", color=INK)
    # 2. Clean and split.
    row_title(4.77, "2. clean (every run of non-letters → one space, lower case), split into words")
    x, y = 0.3, 4.38
    for token in tokens:
        width = 0.16 + 0.085 * len(token)
        if x + width > 8.9:
            x, y = 0.3, y - 0.44
        d.box(x + width / 2, y, width, 0.34, token, color=INPUT, size=SMALL - 0.5)
        x += width + 0.06
    # 3. Vocabulary.
    row_title(3.45, "3. vocabulary of this training text: <unk> = 0, then by count, ties alphabetically")
    per_row = 10
    cell_w = 0.84
    for i, token in enumerate(vocab):
        r, c = divmod(i, per_row)
        cx, cy = 0.3 + cell_w * c + cell_w / 2, 2.95 - 0.74 * r
        count = "" if token == "<unk>" else f"×{tokens.count(token)}"
        d.box(cx, cy, cell_w - 0.06, 0.62, "", color=STATE)
        d.text(cx, cy + 0.15, str(i), size=SMALL, weight="bold")
        d.text(cx, cy - 0.08, token, size=SMALL - 2 if len(token) > 8 else SMALL - 1)
        if count:
            d.text(cx, cy - 0.24, count, size=SMALL - 3, color=MUTED)
    # 4. Ids of a new text.
    row_title(1.25, f"4. look up a new text, “{TOKENIZATION_NEW_TEXT}”: a word not in the vocabulary becomes <unk>")
    x = 0.3
    for token in new_tokens:
        token_id = index.get(token, 0)
        d.box(x + 0.55, 0.7, 1.1, 0.38, token, color=INPUT, size=SMALL)
        d.arrow((x + 1.14, 0.7), (x + 1.5, 0.7), head=8)
        d.box(x + 1.85, 0.7, 0.6, 0.38, str(token_id), color=OUTPUT if token_id == 0 else STATE, size=SMALL)
        x += 2.45
    d.text(0.3, 0.2, "Characters work the same way: the tokens are letters and the space, and the vocabulary is tiny.",
           size=SMALL - 1, ha="left", color=MUTED)
    return d.save(path, png_dir)


# The lesson's toy draw: the sequence 0..34, batch size 2, 5 steps (lesson 05, section 7).
TOY_LENGTH, TOY_BATCH, TOY_STEPS = 35, 2, 5
RANDOM_OFFSET, RANDOM_PIECE_ORDER = 4, [19, 14, 29, 24, 4, 9]  # piece starts, in the order drawn
SEQUENTIAL_OFFSET = 0


@figure("minibatch_partitions.svg")
def minibatch_partitions(path, png_dir):
    """Random and sequential partitioning of 0..34 into minibatches (batch 2, 5 steps)."""
    batch_colors = [INPUT, STATE, ACCENT]
    d = Diagram(9.0, 4.1)
    cell = 0.225

    def token(x, y, value, color, used=True):
        d.box(x, y, cell - 0.025, 0.3, str(value), color=color if used else MUTED,
              fill=None if used else "white", size=8.5, linewidth=1.0 if used else 0.6, rounding=0.03)

    # Random partitioning: pieces along the text, coloured by the batch they fall in.
    d.text(0.15, 3.85, f"random partitioning (offset {RANDOM_OFFSET}): pieces in random order, "
           "two per batch; the state starts from zeros in every batch", size=SMALL, ha="left")
    where = {start: divmod(k, TOY_BATCH) for k, start in enumerate(RANDOM_PIECE_ORDER)}
    y, x = 3.35, 0.3
    for value in range(TOY_LENGTH):
        piece = next((start for start in where if start <= value < start + TOY_STEPS), None)
        if piece == value or value == RANDOM_OFFSET + TOY_STEPS * len(where):
            x += 0.1  # a gap where a piece begins or ends
        color = batch_colors[where[piece][0]] if piece is not None else MUTED
        token(x + cell / 2, y, value, color, used=piece is not None)
        if piece is not None and value == piece + TOY_STEPS // 2:
            batch, row = where[piece]
            d.text(x + cell / 2, y - 0.33, f"batch {batch + 1}, row {row + 1}", size=8.5, color=batch_colors[batch])
        if value == 1:
            d.text(x + cell, y - 0.33, "offset", size=8.5, color=MUTED)
        x += cell
    # Sequential partitioning: two long rows, read five columns at a time.
    d.text(0.15, 2.5, f"sequential partitioning (offset {SEQUENTIAL_OFFSET}): the text as {TOY_BATCH} rows, "
           "read 5 columns per batch; each row continues in the next batch", size=SMALL, ha="left")
    row_length = (TOY_LENGTH - SEQUENTIAL_OFFSET - 1) // TOY_BATCH
    n_batches = row_length // TOY_STEPS
    block_gap = 0.42
    left = 1.0
    for row in range(TOY_BATCH):
        y = 1.75 - 0.48 * row
        d.text(0.5, y, f"row {row + 1}", size=SMALL)
        for column in range(row_length):
            value = SEQUENTIAL_OFFSET + row * row_length + column
            batch = column // TOY_STEPS
            used = batch < n_batches
            x = left + cell * column + block_gap * min(batch, n_batches)
            token(x + cell / 2, y, value, batch_colors[batch] if used else MUTED, used=used)
            if used and column % TOY_STEPS == TOY_STEPS - 1 and batch + 1 < n_batches:
                d.arrow((x + cell - 0.01, y), (x + cell + block_gap + 0.01, y), color=INK, head=8)
    for batch in range(n_batches):
        first = left + cell * batch * TOY_STEPS + block_gap * batch
        d.text(first + cell * TOY_STEPS / 2, 2.12, f"batch {batch + 1}", size=SMALL - 1, color=batch_colors[batch])
    x_note = left + cell * row_length + block_gap * n_batches + 0.25
    d.text(x_note, 1.51, "→ the final state of a row is\n    the initial state of the same\n    row in the next batch",
           size=SMALL - 1, ha="left", color=INK)
    d.text(0.15, 0.45, "In both, the target $Y$ is the input $X$ shifted one step ahead (here $Y = X + 1$); "
           "tokens in white are not used in this epoch.", size=SMALL - 0.5, ha="left")
    return d.save(path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 06: a character-level language model
# ---------------------------------------------------------------------------------------------


@figure("char_rnn_lm.svg")
def char_rnn_lm(path, png_dir):
    """A character RNN language model: at every step, the next character is the target."""
    text = "time trav"
    d = Diagram(8.6, 3.4)
    box = 0.46
    y_x, y_h, y_o = 0.5, 1.5, 2.55
    xs = [0.55 + 0.68 * i for i in range(len(text) - 1)]
    for i, x in enumerate(xs):
        shown_in, shown_out = text[i].replace(" ", "␣"), text[i + 1].replace(" ", "␣")
        d.box(x, y_x, box, box, shown_in, color=INPUT)
        d.box(x, y_h, box, box, color=STATE)
        d.box(x, y_o, box, box, shown_out, color=OUTPUT)
        d.arrow((x, y_x + box / 2), (x, y_h - box / 2), head=8)
        d.arrow((x, y_h + box / 2), (x, y_o - box / 2), head=8)
        if i:
            d.arrow((xs[i - 1] + box / 2, y_h), (x - box / 2, y_h), head=8)
    right = xs[-1] + 0.45
    d.text(right, y_x, "input $X$: one-hot\ncharacters", size=SMALL, ha="left")
    d.text(right, y_h, "hidden state $H_t$", size=SMALL, ha="left")
    d.text(right, y_o, "target $Y$: the next\ncharacter (softmax\nover the vocabulary)", size=SMALL, ha="left")
    d.text((xs[0] + xs[-1]) / 2, 3.12, "loss: the cross-entropy at every step, averaged", size=SMALL)
    return d.save(path, png_dir)


@figure("reading_direction.svg")
def reading_direction(path, png_dir):
    """The chain rule for "time" read forwards and backwards: two products of conditionals, one probability."""
    word = "time"
    d = Diagram(8.6, 3.45)
    box = 0.46
    xs = [2.35 + 1.45 * i for i in range(len(word))]

    def conditional(target, given):
        shown = "\\ ".join(given)
        return f"$P(\\mathrm{{{target}}})$" if not given else f"$P(\\mathrm{{{target}}} \\mid \\mathrm{{{shown}}})$"

    def row(y, title, note, order, color):
        """One reading of the word: ``order`` lists the positions in the order they are predicted."""
        d.text(0.15, y + 0.12, title, ha="left", weight="bold", color=color)
        d.text(0.15, y - 0.3, note, size=SMALL, ha="left", va="center")
        for step, i in enumerate(order):
            d.box(xs[i], y, box, box, word[i], color=INPUT)
            d.text(xs[i], y + 0.4, f"step {step + 1}", size=SMALL - 1.5, color=MUTED)
            given = [word[j] for j in order[:step]]
            given.sort(key=word.index)  # the context as it stands in the word
            d.text(xs[i], y - 0.5, conditional(word[i], given), size=SMALL)
            if step:
                previous = order[step - 1]
                sign = 1 if i > previous else -1
                d.arrow((xs[previous] + sign * box / 2, y), (xs[i] - sign * box / 2, y), color=color)
        for a, b in zip(xs, xs[1:]):
            d.text((a + b) / 2, y - 0.5, "×", size=SMALL)
        d.text(xs[-1] + 0.62, y - 0.5, "$=\\ P(\\mathrm{time})$", size=SMALL, ha="left")

    row(2.3, "forwards", "each character given\nthe ones before it", [0, 1, 2, 3], STATE)
    row(0.95, "backwards", "each character given\nthe ones after it", [3, 2, 1, 0], ACCENT)
    d.text(d.width / 2, 3.2, "The chain rule read in either order: both products equal $P(\\mathrm{time})$", size=SMALL)
    return d.save(path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 07: IMDB sentiment
# ---------------------------------------------------------------------------------------------


@figure("many_to_one_masking.svg")
def many_to_one_masking(path, png_dir):
    """A post-padded review, its mask, and a masked LSTM that carries its state over the padding."""
    ids = [1, 14, 22, 16, 43, 0, 0, 0]
    d = Diagram(9.0, 4.3)
    box = 0.5
    y_mask, y_id, y_e, y_h, y_out = 0.3, 0.8, 1.75, 2.85, 3.9
    xs = [2.05 + 0.8 * i for i in range(len(ids))]
    d.text(0.15, y_mask, "mask: id ≠ 0", size=SMALL, ha="left")
    d.text(0.15, y_id, "word ids", size=SMALL, ha="left")
    d.text(0.15, y_e, "Embedding\n(mask_zero=True)", size=SMALL, ha="left")
    d.text(0.15, y_h, "LSTM", size=SMALL, ha="left")
    last_real = max(i for i, token in enumerate(ids) if token)
    for i, (x, token) in enumerate(zip(xs, ids)):
        real = token != 0
        d.text(x, y_mask, "1" if real else "0", size=fs.FONT_SIZE, color=INK if real else MUTED)
        d.box(x, y_id, box, 0.4, str(token), color=INPUT if real else MUTED, size=SMALL)
        d.arrow((x, y_id + 0.2), (x, y_e - 0.2), head=8, color=INK if real else MUTED)
        d.box(x, y_e, box, 0.4, f"$\\mathbf{{e}}_{{{i + 1}}}$", color=INPUT if real else MUTED, size=SMALL,
              fill=None if real else "white", linestyle="-" if real else "--")
        d.box(x, y_h, box, 0.46, f"$\\mathbf{{h}}_{{{i + 1}}}$", color=STATE if real else MUTED, size=SMALL,
              fill=None if real else "white", linestyle="-" if real else "--")
        if real:
            d.arrow((x, y_e + 0.2), (x, y_h - 0.23), head=8)
        if i:
            d.arrow((xs[i - 1] + box / 2, y_h), (x - box / 2, y_h), head=8,
                    color=STATE if real else MUTED, linestyle="-" if real else "--")
    padded_centre = (xs[last_real + 1] + xs[-1]) / 2
    d.text(padded_centre, (y_id + y_e) / 2 - 0.05, "padding (padding=\"post\")", size=SMALL - 1, color=MUTED,
           bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    d.text(padded_centre, (y_e + y_h) / 2, "masked steps:\nstate copied unchanged", size=SMALL - 1, color=MUTED)
    # The classifier reads the last output, which equals the state after the last real word.
    d.box(xs[-1] - 0.3, y_out, 1.6, 0.46, "Dense(1, sigmoid)", color=OUTPUT, size=SMALL)
    d.arrow((xs[-1], y_h + 0.23), (xs[-1], y_out - 0.23), head=8)
    d.text(xs[-1] - 1.25, y_out, "$\\hat y = \\sigma(\\mathbf{w}^\\top \\mathbf{h}_8 + c)$, "
           "and $\\mathbf{h}_8 = \\mathbf{h}_5$, the state after the last word", size=SMALL, ha="right")
    return d.save(path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 08: text generation
# ---------------------------------------------------------------------------------------------

# Example next-character logits (made up for the figure; the softmax of them is computed).
TEMPERATURE_LOGITS = {"e": 3.0, "i": 1.8, "a": 1.2, "o": 0.9, "␣": 0.4, "r": 0.1, "s": -0.4, "y": -1.0}
TEMPERATURES = (0.2, 0.5, 1.0, 1.5)


def softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max()
    weights = np.exp(scaled)
    return weights / weights.sum()


@figure("temperature.svg")
def temperature(path, png_dir):
    """The sampling distribution softmax(z / T) of one logit vector at four temperatures."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    characters = list(TEMPERATURE_LOGITS)
    logits = np.array(list(TEMPERATURE_LOGITS.values()))
    fig, axes = plt.subplots(1, len(TEMPERATURES), figsize=(8.6, 3.0), sharey=True)
    for ax, t in zip(axes, TEMPERATURES):
        q = softmax(logits, t)
        entropy = float(-(q[q > 0] * np.log2(q[q > 0])).sum())
        ax.bar(range(len(q)), q, color=[OUTPUT] + [INPUT] * (len(q) - 1), width=0.75)
        ax.set_xticks(range(len(q)), characters)
        ax.set_title(f"$T = {t}$", fontsize=fs.FONT_SIZE)
        ax.text(0.97, 0.93, f"H = {entropy:.2f} bits", transform=ax.transAxes, ha="right", va="top",
                fontsize=SMALL)
        ax.set_ylim(0, 1.05)
        ax.tick_params(axis="x", length=0)
    axes[0].set_ylabel("probability")
    fig.tight_layout(w_pad=0.6)
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 09: sequence to sequence
# ---------------------------------------------------------------------------------------------


def _seq2seq_panel(d: Diagram, y0: float, decoder_inputs, decoder_outputs, fed_back: bool, title: tuple[str, str],
                   wrong: set[int] = frozenset()):
    box_w, box_h = 0.92, 0.42
    source = ["they", "are", "watching", "."]
    x_src = [0.6 + 1.0 * i for i in range(len(source))]
    y_in, y_h, y_out = y0, y0 + 0.8, y0 + 1.6
    head, note = title
    d.text(0.15, y_out + 0.55, head, size=fs.FONT_SIZE, ha="left", weight="bold")
    d.text(2.6, y_out + 0.55, f"({note})", size=SMALL, ha="left", color=INK)
    for i, (x, token) in enumerate(zip(x_src, source)):
        d.box(x, y_in, box_w, box_h, token, color=INPUT, size=SMALL)
        d.box(x, y_h, 0.5, box_h, color=STATE)
        d.arrow((x, y_in + box_h / 2), (x, y_h - box_h / 2), head=8)
        if i:
            d.arrow((x_src[i - 1] + 0.25, y_h), (x - 0.25, y_h), head=8)
    d.text((x_src[0] + x_src[-1]) / 2, y_out, "encoder", size=SMALL, color=STATE)
    x_dec = [4.8 + 1.05 * i for i in range(len(decoder_inputs))]
    d.arrow((x_src[-1] + 0.25, y_h), (x_dec[0] - 0.25, y_h), head=9, color=STATE)
    d.text((x_src[-1] + x_dec[0]) / 2, y_h + 0.22, "$\\mathbf{c}$", size=SMALL)
    for i, (x, token_in, token_out) in enumerate(zip(x_dec, decoder_inputs, decoder_outputs)):
        is_wrong_in = (i - 1) in wrong and fed_back
        d.box(x, y_in, box_w, box_h, token_in, color=OUTPUT if is_wrong_in else (ACCENT if fed_back and i else INPUT),
              size=SMALL)
        d.box(x, y_h, 0.5, box_h, color=STATE)
        d.box(x, y_out, box_w, box_h, token_out, color=OUTPUT if i in wrong else OUTPUT, size=SMALL,
              fill=None if i not in wrong else fs.tint(OUTPUT, 0.45))
        d.arrow((x, y_in + box_h / 2), (x, y_h - box_h / 2), head=8)
        d.arrow((x, y_h + box_h / 2), (x, y_out - box_h / 2), head=8)
        if i:
            d.arrow((x_dec[i - 1] + 0.25, y_h), (x - 0.25, y_h), head=8)
            if fed_back:
                d.curved_arrow((x_dec[i - 1] + box_w / 2, y_out - 0.05), (x - box_w / 2 + 0.05, y_in + 0.05),
                               rad=-0.25, color=ACCENT, head=9)
    return x_dec


@figure("encoder_decoder.svg")
def encoder_decoder(path, png_dir):
    """The encoder-decoder trained with teacher forcing, and running free at test time."""
    d = Diagram(9.4, 5.9)
    reference = ["ils", "regardent", ".", "<eos>"]
    x_dec = _seq2seq_panel(d, 3.45, ["<bos>", "ils", "regardent", "."], reference, fed_back=False,
                           title=("training: teacher forcing", "the decoder reads the true previous token"))
    d.text(x_dec[-1] + 0.55, 3.45, "reference", size=SMALL - 1, ha="left", color=INPUT)
    x_dec = _seq2seq_panel(d, 0.55, ["<bos>", "ils", "dorment", "."], ["ils", "dorment", ".", "<eos>"], fed_back=True,
                           title=("test: running free", "the decoder reads its own previous output"), wrong={1})
    d.text(x_dec[-1] + 0.55, 0.55, "own\noutputs", size=SMALL - 1, ha="left", color=ACCENT)
    d.text(x_dec[1], 2.45, "a mistake…", size=SMALL - 1, color=OUTPUT)
    d.text(x_dec[2], 0.12, "…becomes the next input", size=SMALL - 1, color=OUTPUT)
    return d.save(path, png_dir)


# The lecture's table: next-token probabilities after each prefix (order: <eos>, A, B, C).
BEAM_TABLE = {
    (): (0.1, 0.5, 0.2, 0.2),
    ("A",): (0.2, 0.1, 0.4, 0.3),
    ("A", "B"): (0.2, 0.2, 0.2, 0.4),
    ("A", "B", "C"): (0.6, 0.0, 0.2, 0.2),
    ("A", "C"): (0.1, 0.1, 0.6, 0.2),
    ("A", "C", "B"): (0.6, 0.1, 0.2, 0.1),
}
BEAM_TOKENS = ("<eos>", "A", "B", "C")


def beam_kept(beam_size: int = 2, steps: int = 4) -> list[set[tuple[str, ...]]]:
    """The prefixes a beam of ``beam_size`` keeps after each step (unlisted prefixes: uniform)."""
    beams = [((), 1.0)]
    kept = []
    for _ in range(steps):
        extensions = []
        for prefix, p in beams:
            for token, q in zip(BEAM_TOKENS, BEAM_TABLE.get(prefix, (0.25,) * 4)):
                if token != "<eos>":
                    extensions.append((prefix + (token,), p * q))
        extensions.sort(key=lambda item: -item[1])  # stable: ties keep the vocabulary's order
        beams = extensions[:beam_size]
        kept.append({prefix for prefix, _ in beams})
    return kept


@figure("beam_search_tree.svg")
def beam_search_tree(path, png_dir):
    """The search tree of the lecture's table: greedy search (0.048) and beam search with k = 2 (0.054)."""
    kept = set().union(*beam_kept(steps=3))  # after step 4 every candidate is complete
    greedy_path = {("A",), ("A", "B"), ("A", "B", "C"), ("A", "B", "C", "<eos>")}
    best_path = {("A",), ("A", "C"), ("A", "C", "B"), ("A", "C", "B", "<eos>")}
    order = ("A", "B", "C", "<eos>")
    d = Diagram(9.0, 7.35)
    x_of = [0.5, 2.1, 3.9, 5.7, 7.45]
    row, top = 0.25, 6.8

    def children(prefix):
        if prefix in BEAM_TABLE and len(prefix) < 4 and (not prefix or prefix[-1] != "<eos>"):
            return [prefix + (token,) for token in order]
        return []

    def conditional(prefix):
        return BEAM_TABLE[prefix[:-1]][BEAM_TOKENS.index(prefix[-1])]

    def probability(prefix):
        return math.prod(conditional(prefix[: i + 1]) for i in range(len(prefix)))

    y_of: dict[tuple[str, ...], float] = {}
    leaves: list[tuple[str, ...]] = []
    cursor = [top]

    def place(prefix):
        kids = children(prefix)
        if not kids:
            if leaves and leaves[-1][:-1] != prefix[:-1]:
                cursor[0] -= row / 2  # a little space between sibling groups
            y_of[prefix] = cursor[0]
            cursor[0] -= row
            leaves.append(prefix)
        else:
            y_of[prefix] = sum(place(kid) for kid in kids) / len(kids)
        return y_of[prefix]

    place(())
    assert cursor[0] + row > 1.15, "the tree runs into the legend"
    # Edges first, then the nodes on top of them.
    for prefix, y in y_of.items():
        if not prefix:
            continue
        parent = prefix[:-1]
        start, end = (x_of[len(parent)] + 0.42, y_of[parent]), (x_of[len(prefix)] - 0.45, y)
        if prefix in best_path:
            d.line([start, end], color=STATE, linewidth=4.5 if prefix in greedy_path else 2.6, arrow=False)
        if prefix in greedy_path:
            d.line([start, end], color=ACCENT, linewidth=2.2, arrow=False)
        if prefix not in best_path and prefix not in greedy_path:
            d.line([start, end], color=MUTED, linewidth=0.9, arrow=False)
    for prefix, y in y_of.items():
        x = x_of[len(prefix)]
        if not prefix:
            d.box(x, y, 0.8, 0.27, "<bos>", color=INK, fill="white", size=SMALL - 1)
            continue
        on_path = prefix in best_path or prefix in greedy_path
        color = STATE if prefix in kept or prefix in best_path else (ACCENT if prefix in greedy_path else MUTED)
        d.box(x, y, 0.86, 0.22, f"{prefix[-1]}  {conditional(prefix):g}", color=color,
              fill=None if prefix in kept or on_path else "white", size=SMALL - 1.5,
              linewidth=1.8 if prefix[-1] == "<eos>" and on_path else 1.0)
        if prefix[-1] == "<eos>":
            p = probability(prefix)
            d.text(x + 0.5, y, f"P = {p:.3g}", size=SMALL - 1.5, ha="left",
                   color=INK if on_path else "#555555", weight="bold" if on_path else "normal")
    for depth in range(1, 5):
        d.text(x_of[depth], 7.15, f"step {depth}", size=SMALL, weight="bold")
    d.text(x_of[0], 7.15, "start", size=SMALL, weight="bold")
    legend = [(ACCENT, 2.2, "greedy search: A B C <eos>, P = 0.5 × 0.4 × 0.4 × 0.6 = 0.048"),
              (STATE, 2.6, "beam search, k = 2, returns A C B <eos>, P = 0.5 × 0.3 × 0.6 × 0.6 = 0.054"),
              (MUTED, 0.9, "other branches; each box: token and its probability given the prefix")]
    for i, (color, width, text) in enumerate(legend):
        y = 0.95 - 0.245 * i
        d.ax.plot([0.2, 0.65], [y, y], color=color, linewidth=width)
        d.text(0.78, y, text, size=SMALL - 1, ha="left")
    d.box(0.42, 0.215, 0.45, 0.16, color=STATE)
    d.text(0.78, 0.215, "green box: a prefix the beam keeps after its step "
           "(B, kept after step 1, is dropped after step 2)", size=SMALL - 1, ha="left")
    return d.save(path, png_dir)


# An attention map drawn from an assumed alignment, for "Sat, Aug 26, 1961" -> "1961-08-26".
ATTENTION_SOURCE = list("Sat, Aug 26, 1961")
ATTENTION_TARGET = list("1961-08-26") + ["<eos>"]
# For each output character: the source position it is assumed to look at, and how sharply.
ATTENTION_FOCUS = [(13, 0.6), (14, 0.6), (15, 0.6), (16, 0.6), (12, 1.6), (6, 1.0), (6, 1.0), (11, 1.6),
                   (9, 0.6), (10, 0.6), (16, 1.4)]


@figure("attention_weights.svg")
def attention_weights(path, png_dir):
    """Attention weights as a heat map: rows are output steps, columns source positions."""
    fs.apply_style()
    import matplotlib.pyplot as plt

    positions = np.arange(len(ATTENTION_SOURCE))
    scores = np.array([5.0 * np.exp(-((positions - focus) ** 2) / (2 * width**2)) for focus, width in ATTENTION_FOCUS])
    weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)  # a softmax over the source, row by row
    fig, ax = plt.subplots(figsize=(7.6, 4.6))
    image = ax.imshow(weights, cmap="Blues", vmin=0, vmax=1, aspect="equal")
    ax.set_xticks(range(len(ATTENTION_SOURCE)), [c if c != " " else "␣" for c in ATTENTION_SOURCE])
    ax.set_yticks(range(len(ATTENTION_TARGET)), ATTENTION_TARGET)
    ax.tick_params(length=0)
    ax.set_xlabel("source position (encoder state $\\mathbf{h}_t$)")
    ax.set_ylabel("output step $t'$")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(ATTENTION_SOURCE)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(ATTENTION_TARGET)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label("weight $\\alpha_{t',t}$", fontsize=SMALL)
    bar.outline.set_visible(False)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# The manifest
# ---------------------------------------------------------------------------------------------


def sha256_text_file(path: Path) -> str:
    """SHA-256 of a text file with line endings normalized to ``\\n`` (a Windows checkout hashes the same)."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def source_hashes() -> dict[str, str]:
    """What the figures are made from: this script, the style module, the lessons' own figure module
    (``figures_text.py``, when it exists) and the course colours."""
    colors = json.dumps(fs.COLORS, sort_keys=True).encode()
    hashes = {
        "lessons/figures/make_figures.py": sha256_text_file(HERE / "make_figures.py"),
        "lessons/figures/figure_style.py": sha256_text_file(HERE / "figure_style.py"),
    }
    if TEXT_FIGURES.exists():
        hashes["lessons/figures/figures_text.py"] = sha256_text_file(TEXT_FIGURES)
    hashes["utils.plotting.COLORS"] = hashlib.sha256(colors).hexdigest()
    return hashes


# ---------------------------------------------------------------------------------------------
# Where the figures come from: this script, figures_text.py, and the snapshot they read
# ---------------------------------------------------------------------------------------------


def load_text_figures(path: Path = TEXT_FIGURES) -> dict[str, Callable[[Path, Path | None], Path]]:
    """The ``FIGURES_TEXT`` dict of the module at ``path`` ({} when there is no such file)."""
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = getattr(module, "FIGURES_TEXT", None)
    if not isinstance(figures, dict):
        raise ValueError(f"{path.name} defines no dict FIGURES_TEXT (got {figures!r}): map each SVG file name "
                         "to its drawing function, FIGURES_TEXT = {'name.svg': draw, ...}")
    for name, function in figures.items():
        if not (isinstance(name, str) and name.endswith(".svg") and "/" not in name and callable(function)):
            raise ValueError(f"{path.name}: FIGURES_TEXT[{name!r}] = {function!r}: keys must be plain SVG file "
                             "names ('name.svg') and values functions draw(path, png_dir) -> path")
    return dict(figures)


def all_figures(text_figures: Path = TEXT_FIGURES) -> dict[str, Callable[[Path, Path | None], Path]]:
    """Every figure to draw: the ones registered here, then those of ``figures_text.py``."""
    extra = load_text_figures(text_figures)
    clash = sorted(set(extra) & set(FIGURES))
    if clash:
        raise ValueError(f"{text_figures.name} and make_figures.py both draw {', '.join(clash)}: "
                         "rename one of them (a figure has one source)")
    return {**FIGURES, **extra}


def snapshot(data: str = "offline") -> dict:
    """The committed snapshot ``results/DATA.json`` (``offline``, ``real``, ``seeds/offline``, ...)."""
    path = RESULTS / f"{data}.json"
    if not path.is_file():
        known = sorted(str(p.relative_to(RESULTS).with_suffix("")) for p in RESULTS.rglob("*.json"))
        raise ValueError(f"data={data!r}: there is no results/{data}.json; known: {', '.join(known)}")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def metrics(notebook: str, data: str = "offline") -> dict[str, float]:
    """The metrics one notebook recorded in the snapshot ``results/DATA.json``."""
    runs = snapshot(data)
    if notebook not in runs:
        raise ValueError(f"notebook={notebook!r} has no entry in results/{data}.json; it has {', '.join(runs)}")
    return runs[notebook]["metrics"]


@contextlib.contextmanager
def recording_reads(folder: Path = RESULTS) -> Iterator[set[Path]]:
    """Record every file under ``folder`` opened (by ``open``, ``io.open`` or ``Path.read_*``) in the block."""
    seen: set[Path] = set()
    real_open = io.open
    root = folder.resolve()

    def recording_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)):
            path = Path(file).resolve()
            if path.is_relative_to(root):
                seen.add(path)
        return real_open(file, *args, **kwargs)

    builtins.open = io.open = recording_open
    try:
        yield seen
    finally:
        builtins.open = io.open = real_open


def draw(name: str, function: Callable[[Path, Path | None], Path], folder: Path = HERE,
         png_dir: Path | None = None) -> list[str]:
    """Draw one figure into ``folder``; return the snapshot files it read (paths from the project root)."""
    fs.apply_style()
    with recording_reads() as read:
        function(folder / name, png_dir)
    return sorted(path.relative_to(ROOT).as_posix() for path in read)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", type=Path, help="also write PNG previews into this directory")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="draw only these figures (no manifest)")
    args = parser.parse_args(argv)
    if args.png:
        args.png.mkdir(parents=True, exist_ok=True)
    figures = all_figures()
    names = args.only or list(figures)
    unknown = sorted(set(names) - set(figures))
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(figures)}")
    reads = {}
    for name in names:
        reads[name] = draw(name, figures[name], HERE, args.png)
        print(f"wrote lessons/figures/{name}" + (f" (from {', '.join(reads[name])})" if reads[name] else ""))
    if args.only:
        return 0
    for stale in sorted(set(p.name for p in HERE.glob("*.svg")) - set(figures)):
        (HERE / stale).unlink()
        print(f"removed lessons/figures/{stale} (no longer drawn)")
    snapshots = sorted({path for paths in reads.values() for path in paths})
    manifest = {
        "about": "written by lessons/figures/make_figures.py; tests/test_figures.py checks it. Run `make figures`.",
        "sources": source_hashes(),
        "snapshots": {path: sha256_text_file(ROOT / path) for path in snapshots},
        "results": {name: reads[name] for name in sorted(figures) if reads[name]},
        "figures": {name: sha256_text_file(HERE / name) for name in sorted(figures)},
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote lessons/figures/{MANIFEST.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
