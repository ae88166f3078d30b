"""The figures of the text lessons (05 to 09): diagrams, and plots of the committed results.

``FIGURES_TEXT`` maps each SVG's file name to the function that draws it, with the signature of the
functions in ``make_figures.py``: ``draw(path, png_dir) -> path``. ``make_figures.py`` draws them
with the others. The plots of measured results read only the committed snapshot of the full runs
(``results/offline.json`` for the stand-ins, ``results/real.json`` for the real datasets), so they
are redrawn byte for byte from the repository and change only when the snapshot does.

``python lessons/figures/figures_text.py [--png DIR] [NAME ...]`` draws them alone, for a look.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import figure_style as fs  # noqa: E402
from figure_style import ACCENT, INK, INPUT, MUTED, OUTPUT, SMALL, STATE, tint  # noqa: E402

plt = fs.plt  # pyplot, with the Agg backend that figure_style selects

RESULTS = fs.ROOT / "results"
SNAPSHOT_FILES = ("results/offline.json", "results/real.json")  # what the result figures read

FIGURES_TEXT: dict[str, Callable[[Path, Path | None], Path]] = {}


def figure(name: str):
    """Register a drawing function under the file name it writes."""

    def register(function):
        FIGURES_TEXT[name] = function
        return function

    return register


def metric(data: str, notebook: str, name: str) -> float:
    """One recorded metric of the committed full runs: ``data`` is ``"offline"`` or ``"real"``."""
    snapshot = json.loads((RESULTS / f"{data}.json").read_text(encoding="utf-8"))
    try:
        return float(snapshot[notebook]["metrics"][name])
    except KeyError as error:
        raise ValueError(
            f"results/{data}.json has no metric {notebook}/{name}; run the notebook's full profile "
            f"and update the snapshot, or draw a metric it has"
        ) from error


def _bar_labels(ax, bars, values, fmt: str, inside: bool = False, color: str = INK):
    for bar, value in zip(bars, values):
        x = bar.get_x() + bar.get_width() / 2
        y = bar.get_height()
        ax.text(x, y, fmt.format(value), ha="center", va="bottom", fontsize=SMALL, color=color)


# ---------------------------------------------------------------------------------------------
# Lesson 05: text and language models
# ---------------------------------------------------------------------------------------------

NB05 = "05_text_and_language_models"


@figure("ngram_perplexity.svg")
def ngram_perplexity(path, png_dir):
    """Held-out word perplexity against words of context (unigram, bigram, trigram), both texts (measured)."""
    from matplotlib.ticker import FixedLocator, NullLocator

    names = ("unigram", "bigram", "trigram")
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.9))
    panels = ((axes[0], "real", "The Time Machine", (50, 400)), (axes[1], "offline", "stand-in", (1.5, 200)))
    for ax, data, title, limits in panels:
        values = [metric(data, NB05, f"{name}_ppl") for name in names]
        ax.plot([0, 1, 2], values, "o-", color=STATE, markersize=7)
        for x, value in enumerate(values):
            ax.text(x + 0.08, value * 1.1, f"{value:.4g}", ha="left", va="bottom", fontsize=SMALL, color=INK)
        ax.set_yscale("log")
        ax.set_ylim(*limits)
        ticks = [50, 100, 200, 400] if data == "real" else [2, 5, 10, 20, 50, 100, 200]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_yticklabels([str(t) for t in ticks])
        ax.set_xticks([0, 1, 2], ["0\n(unigram)", "1\n(bigram)", "2\n(trigram)"])
        ax.set_xlim(-0.3, 2.6)
        ax.set_xlabel("words of context")
        ax.set_title(title)
        if data == "offline":
            floor = metric(data, NB05, "corpus_optimal_ppl")
            ax.axhline(floor, color=OUTPUT, linestyle="--", linewidth=1.3)
            ax.text(-0.25, floor * 0.88, f"true process {floor:.3f}", ha="left", va="top", fontsize=SMALL, color=OUTPUT)
    axes[0].set_ylabel("held-out perplexity per word")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("bpe_symbols.svg")
def bpe_symbols(path, png_dir):
    """Symbols per held-out word: letters alone, after 200 BPE merges, whole words (measured)."""
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    labels = ("letters alone", "letters + 200 merges", "whole words")
    width = 0.36
    xs = np.arange(len(labels))
    texts = ((-width / 2, "real", "The Time Machine", INPUT), (width / 2, "offline", "stand-in", MUTED))
    for shift, data, name, color in texts:
        values = [metric(data, NB05, "char_symbols_per_word"), metric(data, NB05, "bpe_symbols_per_word"), 1.0]
        bars = ax.bar(xs + shift, values, width, color=tint(color, 0.35), edgecolor=color, label=name)
        _bar_labels(ax, bars, values, "{:.2f}")
    ax.set_xticks(xs, labels)
    ax.set_ylabel("symbols per held-out word")
    ax.set_ylim(0, 5)
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 06: a character-level RNN language model
# ---------------------------------------------------------------------------------------------

NB06 = "06_char_rnn"
CHAR_MODELS = (  # (metric, label), the honest recurrent models of notebook 06, in the lesson's order
    ("scratch_rnn_ppl", "scratch RNN(128), sequential"),
    ("scratch_rnn_random_ppl", "scratch RNN(128), random"),
    ("keras_simple_rnn_ppl", "Keras SimpleRNN(128)"),
    ("keras_lstm_ppl", "LSTM(128)"),
    ("keras_gru_ppl", "GRU(128)"),
    ("keras_gru_2_layers_ppl", "GRU(128) × 2"),
    ("big_lstm_dropout_ppl", "LSTM(256) × 2, dropout 0.3"),
    ("big_lstm_ppl", "LSTM(256) × 2"),
)


@figure("char_lm_perplexity.svg")
def char_lm_perplexity(path, png_dir):
    """Held-out perplexity per character of notebook 06's models against its yardsticks, both texts (measured)."""
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 4.4), sharey=True)
    labels = [label for _, label in CHAR_MODELS]
    ys = np.arange(len(CHAR_MODELS))[::-1]
    for ax, data, title in ((axes[0], "real", "The Time Machine"), (axes[1], "offline", "stand-in")):
        ngram = metric(data, NB06, "ngram_char_ppl")
        values = [metric(data, NB06, name) for name, _ in CHAR_MODELS]
        colors = [STATE if value < ngram else MUTED for value in values]
        digits = "{:.3f}" if data == "real" else "{:.4f}"
        left = 3.0 if data == "real" else 1.15
        ax.hlines(ys, left, values, colors=colors, linewidth=2.2)
        ax.scatter(values, ys, s=46, color=colors, zorder=3)
        for y, value in zip(ys, values):
            ax.text(value, y + 0.12, "  " + digits.format(value), va="bottom", ha="left", fontsize=SMALL, color=INK)
        ax.axvline(ngram, color=ACCENT, linewidth=1.6)
        ax.text(ngram, len(ys) - 0.35, f" best n-gram\n {digits.format(ngram)}", ha="left", va="bottom",
                fontsize=SMALL, color=ACCENT)
        if data == "real":
            target = 0.9 * ngram
            ax.axvline(target, color=OUTPUT, linestyle="--", linewidth=1.3)
            ax.text(target, len(ys) - 0.35, "target \n0.9 × n-gram ", ha="right", va="bottom", fontsize=SMALL,
                    color=OUTPUT)
            ax.set_xlim(3.0, 5.9)
        else:
            best = metric(data, NB06, "corpus_optimal_char_ppl")
            ax.axvline(best, color=OUTPUT, linestyle="--", linewidth=1.3)
            ax.text(best, len(ys) - 0.35, f"best possible \n{best:.4f} ", ha="right", va="bottom", fontsize=SMALL,
                    color=OUTPUT)
            ax.set_xlim(1.15, 1.33)
        ax.set_title(title, pad=34)
        ax.set_xlabel("held-out perplexity per character")
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
    axes[0].set_yticks(ys, labels)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("char_lm_throughput.svg")
def char_lm_throughput(path, png_dir):
    """Training throughput of notebook 06's models in characters per second, both texts (measured)."""
    models = (
        ("scratch_tokens_per_s", "scratch RNN,\nsequential"),
        ("scratch_random_tokens_per_s", "scratch RNN,\nrandom"),
        ("keras_simple_rnn_tokens_per_s", "Keras\nSimpleRNN"),
        ("keras_gru_tokens_per_s", "GRU"),
        ("keras_lstm_tokens_per_s", "LSTM"),
        ("keras_gru_2_layers_tokens_per_s", "GRU × 2"),
    )
    fig, ax = plt.subplots(figsize=(8.4, 3.6))
    width = 0.38
    xs = np.arange(len(models))
    texts = ((-width / 2, "real", "The Time Machine", INPUT), (width / 2, "offline", "stand-in", MUTED))
    for shift, data, name, color in texts:
        values = [metric(data, NB06, key) / 1000 for key, _ in models]
        bars = ax.bar(xs + shift, values, width, color=tint(color, 0.35), edgecolor=color, label=name)
        _bar_labels(ax, bars, values, "{:.0f}")
    ax.set_xticks(xs, [label for _, label in models])
    ax.set_ylabel("thousand characters per second")
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 07: sentiment classification (the stand-in's runs; IMDB itself has not been measured)
# ---------------------------------------------------------------------------------------------

NB07 = "07_imdb_sentiment"


@figure("imdb_accuracy.svg")
def imdb_accuracy(path, png_dir):
    """Test accuracy of notebook 07's models on the stand-in against its two ceilings (measured)."""
    models = (
        ("no_mask_accuracy", "LSTM, no mask, post-padded"),
        ("bow_accuracy", "bag of words"),
        ("bilstm_accuracy", "bidirectional LSTM"),
        ("lstm_accuracy", "LSTM, masked"),
        ("gru_accuracy", "GRU, masked"),
        ("stacked_accuracy", "LSTM × 2, masked"),
        ("pre_padded_no_mask_accuracy", "LSTM, no mask, pre-padded"),
    )
    values = [metric("offline", NB07, key) for key, _ in models]
    ys = np.arange(len(models))[::-1]
    fig, ax = plt.subplots(figsize=(8.4, 4.2))
    colors = [MUTED if key.startswith("no_mask") else (INPUT if key.startswith("bow") else STATE) for key, _ in models]
    ax.hlines(ys, 0.45, values, colors=colors, linewidth=2.2)
    ax.scatter(values, ys, s=46, color=colors, zorder=3)
    for y, value in zip(ys, values):
        ax.text(value, y + 0.12, f"  {value:.3f}", va="bottom", ha="left", fontsize=SMALL, color=INK)
    bayes = metric("offline", NB07, "bayes_accuracy")
    bound = metric("offline", NB07, "bow_bound_accuracy")
    ax.axvline(bayes, color=OUTPUT, linestyle="--", linewidth=1.3)
    ax.text(bayes, len(ys) - 0.4, f" Bayes\n {bayes:.2f}", ha="left", va="bottom", fontsize=SMALL, color=OUTPUT)
    ax.axvline(bound, color=INPUT, linestyle=":", linewidth=1.5)
    ax.text(bound, len(ys) - 0.4, f"bag-of-words bound \n{bound:.3f} ", ha="right", va="bottom", fontsize=SMALL,
            color=INPUT)
    ax.set_yticks(ys, [label for _, label in models])
    ax.set_xlim(0.45, 1.0)
    ax.set_xlabel("test accuracy on the stand-in reviews")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("imdb_mixed_reviews.svg")
def imdb_mixed_reviews(path, png_dir):
    """Accuracy of the bag of words and the masked LSTM on unanimous and on mixed reviews (measured)."""
    fig, ax = plt.subplots(figsize=(6.8, 3.5))
    groups = ("unanimous reviews", "mixed reviews")
    width = 0.36
    xs = np.arange(len(groups))
    models = ((-width / 2, "bow", "bag of words", INPUT), (width / 2, "lstm", "LSTM, masked", STATE))
    for shift, prefix, name, color in models:
        values = [metric("offline", NB07, f"{prefix}_{group}_accuracy") for group in ("unanimous", "mixed")]
        bars = ax.bar(xs + shift, values, width, color=tint(color, 0.35), edgecolor=color, label=name)
        _bar_labels(ax, bars, values, "{:.3f}")
    ax.axhline(0.5, color=MUTED, linestyle=":", linewidth=1.2)
    ax.set_xticks(xs, groups)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("test accuracy (stand-in)")
    ax.legend(loc="upper center", ncol=2)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 08: text generation (Tiny Shakespeare first, the stand-in as the controlled experiment)
# ---------------------------------------------------------------------------------------------

NB08 = "08_text_generation"
TEMPERATURES = ((0.2, "t02"), (0.5, "t05"), (1.0, "t10"), (1.5, "t15"))
TEXTS08 = (("real", "Tiny Shakespeare", INPUT), ("offline", "stand-in", MUTED))


def seed_runs(data: str, notebook: str, name: str) -> list[float]:
    """A metric over the full runs: the snapshot's, then the other runs of ``results/seeds/DATA.json``."""
    runs = json.loads((RESULTS / "seeds" / f"{data}.json").read_text(encoding="utf-8"))
    if notebook not in runs:
        raise ValueError(f"results/seeds/{data}.json has no runs of {notebook}; run its full profile under other "
                         "seeds, or draw the snapshot's single run")
    others = runs[notebook]  # {seed: {"metrics": {...}, ...}}
    values = [metric(data, notebook, name)]
    for key in sorted(others, key=str):
        try:
            values.append(float(others[key]["metrics"][name]))
        except (KeyError, TypeError) as error:
            raise ValueError(f"results/seeds/{data}.json: run {key!r} has no metric {notebook}/{name}; "
                             "rerun the full profile under that seed or draw a metric it has") from error
    return values


def published_target(notebook: str, name: str) -> float:
    """A figure published elsewhere that the course takes as its target (``utils.goals``)."""
    from utils.goals import TARGETS

    return float(TARGETS[(notebook, name)][0].value)


@figure("generation_temperature.svg")
def generation_temperature(path, png_dir):
    """Mean sampling entropy and share of real words against the temperature, and top-3, both texts (measured)."""
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(1, 2, figsize=(9.2, 3.9))
    xs = [t for t, _ in TEMPERATURES]
    cuts = (("t15_top3", "^", "T = 1.5, top-3"),)  # nucleus sampling is exercise 1: its result stays out
    for data, _, color in TEXTS08:
        entropy = [metric(data, NB08, f"gen_sample_entropy_{key}") for _, key in TEMPERATURES]
        words = [100 * metric(data, NB08, f"gen_real_words_{key}") for _, key in TEMPERATURES]
        axes[0].plot(xs, entropy, "o-", color=color)
        axes[1].plot(xs, words, "o-", color=color)
        held_out = np.log2(metric(data, NB08, "gen_val_ppl"))
        axes[0].axhline(held_out, color=color, linestyle="--", linewidth=1.1)
        axes[0].text(0.12, held_out + 0.05, f"held-out {held_out:.2f}", ha="left",
                     va="bottom", fontsize=SMALL, color=color)
        for key, marker, _ in cuts:
            axes[0].scatter([1.62], [metric(data, NB08, f"gen_sample_entropy_{key}")], marker=marker, s=44,
                            color=tint(color, 0.25), edgecolor=color, zorder=3)
            axes[1].scatter([1.62], [100 * metric(data, NB08, f"gen_real_words_{key}")], marker=marker, s=44,
                            color=tint(color, 0.25), edgecolor=color, zorder=3)
        above = data == "offline"
        for x, value in zip(xs, words):
            axes[1].text(x, value + (2.5 if above else -3.5), f"{value:.0f}%", ha="center",
                         va="bottom" if above else "top", fontsize=SMALL, color=color)
    handles = [Line2D([], [], color=color, marker="o", label=name) for _, name, color in TEXTS08]
    handles += [Line2D([], [], color=INK, marker=marker, linestyle="none", markerfacecolor="white", label=label)
                for _, marker, label in cuts]
    axes[1].legend(handles=handles, loc="lower left")
    axes[0].set_ylabel("mean entropy of the sampling\ndistributions (bits per character)")
    axes[0].set_ylim(0, 3.3)
    axes[1].set_ylabel("generated words found\nin the training text (%)")
    axes[1].set_ylim(35, 108)
    for ax in axes:
        ax.set_xlabel("temperature T")
        ax.set_xticks([0.2, 0.5, 1.0, 1.5])
        ax.set_xlim(0.1, 1.75)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("homl_comparison.svg")
def homl_comparison(path, png_dir):
    """Accuracy and loss on Hands-On ML's validation windows: three runs of ours against the book (measured)."""
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 2.9), sharey=True)
    rows = ("Hands-On ML, GRU(128)", "ours, run 1", "ours, run 2", "ours, run 3")
    ys = np.arange(len(rows))[::-1]
    panels = ((axes[0], "homl_val_accuracy", "accuracy (higher is better)", "{:.4f}", (0.543, 0.561)),
              (axes[1], "homl_val_loss", "loss, nats per character (lower is better)", "{:.4f}", (1.43, 1.57)))
    for ax, name, label, digits, limits in panels:
        book = published_target(NB08, name)
        ours = seed_runs("real", NB08, name)
        for y, value in zip(ys[1:], ours):
            better = value > book if name.endswith("accuracy") else value < book
            color = STATE if better else OUTPUT
            ax.hlines(y, limits[0], value, colors=color, linewidth=2.0)
            ax.scatter([value], [y], s=46, color=color, zorder=3)
            ax.text(value, y + 0.12, " " + digits.format(value), ha="left", va="bottom", fontsize=SMALL, color=INK)
        ax.hlines(ys[0], limits[0], book, colors=ACCENT, linewidth=2.0)
        ax.scatter([book], [ys[0]], s=46, color=ACCENT, marker="D", zorder=3)
        ax.text(book, ys[0] + 0.12, " " + digits.format(book), ha="left", va="bottom", fontsize=SMALL, color=INK)
        ax.axvline(book, color=ACCENT, linestyle=":", linewidth=1.2)
        ax.set_xlim(*limits)
        ax.set_ylim(-0.6, len(rows) - 0.3)
        ax.set_xlabel(label)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
    axes[0].set_yticks(ys, rows)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("generator_work.svg")
def generator_work(path, png_dir):
    """Characters fed to the model by the two generators (formulas), and the measured work ratio and speed-up."""
    fig, axes = plt.subplots(1, 2, figsize=(9.2, 3.6), gridspec_kw={"width_ratios": (1.25, 1)})
    prompt = 80  # an illustrative prompt length, as in the lesson's first question
    n = np.arange(1, 301)
    reread = n * prompt + n * (n - 1) / 2
    carried = prompt + n
    ax = axes[0]
    ax.plot(n, reread, color=OUTPUT, label="re-read the prefix: $nm + n(n-1)/2$")
    ax.plot(n, carried, color=STATE, label="carry the state: $m + n$")
    ax.set_yscale("log")
    ax.set_ylim(50, 2e5)
    ax.set_xlim(0, 300)
    ax.set_xlabel("characters generated, $n$ (prompt $m$ = 80)")
    ax.set_ylabel("characters fed to the model")
    ax.legend(loc="upper left")
    ax = axes[1]
    width = 0.36
    xs = np.arange(2)
    for shift, (data, name, color) in zip((-width / 2, width / 2), TEXTS08):
        values = [metric(data, NB08, "one_step_work_ratio"), metric(data, NB08, "one_step_speedup")]
        bars = ax.bar(xs + shift, values, width, color=tint(color, 0.35), edgecolor=color, label=name)
        _bar_labels(ax, bars, values, "{:.0f}×")
    ax.set_xticks(xs, ["fewer characters fed", "faster (wall clock)"])
    ax.set_ylabel("prefix re-read ÷ state carried")
    ax.set_ylim(0, 215)
    ax.set_title("300 characters after the prompt", fontsize=SMALL + 1)
    ax.legend(loc="center right")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


# ---------------------------------------------------------------------------------------------
# Lesson 09: sequence to sequence (part 1: encoder-decoder, teacher forcing, search; part 2: BLEU, attention)
# ---------------------------------------------------------------------------------------------

NB09 = "09_seq2seq"
TEXTS09 = (("real", "English–French", INPUT), ("offline", "stand-in", MUTED))


def _dots(ax, xs, runs, horizontal=False):
    """The three full runs as small dots beside a bar (the snapshot's run is the bar itself)."""
    for x, values in zip(xs, runs):
        others = values[1:]
        if horizontal:
            ax.scatter(others, [x] * len(others), s=16, color=INK, zorder=4, marker="|", linewidths=1.4)
        else:
            ax.scatter([x] * len(others), others, s=16, color=INK, zorder=4, marker="_", linewidths=1.4)


@figure("exposure_bias.svg")
def exposure_bias(path, png_dir):
    """Edit accuracy of the attention model reading the true prefix and its own, both data (measured)."""
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    width = 0.34
    xs = np.arange(len(TEXTS09))
    ways = (("pairs_edit_accuracy_teacher_forced", "reading the true prefix (teacher forced)", STATE),
            ("pairs_edit_accuracy_free_running", "reading its own output (free running, greedy)", ACCENT))
    for shift, (name, label, color) in zip((-width / 2, width / 2), ways):
        values = [metric(data, NB09, name) for data, _, _ in TEXTS09]
        bars = ax.bar(xs + shift, values, width, color=tint(color, 0.35), edgecolor=color, label=label)
        _bar_labels(ax, bars, values, "{:.4f}")
        _dots(ax, xs + shift, [seed_runs(data, NB09, name) for data, _, _ in TEXTS09])
    forced, free = (metric("real", NB09, name) for name, _, _ in ways)
    gap_x = xs[0] + width + 0.06
    ax.plot([xs[0] - width / 2, gap_x], [forced, forced], color=OUTPUT, linewidth=0.9, linestyle=":")
    ax.annotate("", xy=(gap_x, free), xytext=(gap_x, forced),
                arrowprops=dict(arrowstyle="<->", color=OUTPUT, linewidth=1.3, shrinkA=0, shrinkB=0))
    ax.text(gap_x + 0.05, (forced + free) / 2, f"gap {forced - free:.3f}", ha="left", va="center",
            fontsize=SMALL, color=OUTPUT)
    ax.set_xticks(xs, [name for _, name, _ in TEXTS09])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(0.5, 1.36)
    ax.set_yticks([0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    ax.set_ylabel("edit accuracy on the test sentences\n(1 − edit distance / length)")
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], color=INK, marker="_", linestyle="none", markersize=9, markeredgewidth=1.4))
    labels.append("two more training runs")
    ax.legend(handles, labels, loc="upper left", ncols=1)
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("seq2seq_bleu.svg")
def seq2seq_bleu(path, png_dir):
    """Corpus BLEU-4 of the plain and the attention model (greedy, beam) against the human ceiling (measured)."""
    rows = (("pairs_reference_bleu", "a held-out human translation", MUTED),
            ("pairs_corpus_bleu_plain", "plain encoder–decoder, greedy", OUTPUT),
            ("pairs_corpus_bleu_attention", "with attention, greedy", STATE),
            ("pairs_corpus_bleu_beam", "with attention, beam search k = 4", STATE))
    fig, axes = plt.subplots(1, 2, figsize=(9.4, 3.3), sharey=True, gridspec_kw={"width_ratios": (1.15, 1)})
    ys = np.arange(len(rows))[::-1]
    for ax, (data, title, _) in zip(axes, TEXTS09):
        values = [metric(data, NB09, name) for name, _, _ in rows]
        colors = [color for _, _, color in rows]
        bars = ax.barh(ys, values, 0.62, color=[tint(c, 0.35 if i != 3 else 0.05) for i, c in enumerate(colors)],
                       edgecolor=colors)
        runs = [seed_runs(data, NB09, name) for name, _, _ in rows]
        _dots(ax, ys, runs, horizontal=True)
        for bar, value, spread in zip(bars, values, runs):
            gap = 0.012 if data == "real" else 0.03
            ax.text(max(spread) + gap, bar.get_y() + bar.get_height() / 2, f"{value:.4f}", ha="left",
                    va="center", fontsize=SMALL, color=INK)
        ax.set_xlim(0, 1.3 if data == "offline" else 0.6)
        if data == "offline":
            ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        ax.set_title(title)
        ax.set_xlabel("corpus BLEU-4 of the test translations")
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
    axes[0].set_yticks(ys, [label for _, label, _ in rows])
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(0.99, 0.01, "bars and numbers: one training run; black ticks: two more runs", ha="right",
             va="bottom", fontsize=SMALL - 1, color=INK)
    return fs.save(fig, path, png_dir)


@figure("seq2seq_test_loss.svg")
def seq2seq_test_loss(path, png_dir):
    """Teacher-forced test cross-entropy per token, plain against attention, all pairs and the longest third."""
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.4), gridspec_kw={"width_ratios": (1.2, 1)})
    groups = (("test_loss", "all test pairs"), ("long_loss", "longest third\nof the sources"))
    models = (("plain", "plain encoder–decoder", OUTPUT), ("attention", "with attention", STATE))
    width = 0.36
    xs = np.arange(len(groups))
    for ax, (data, title, _) in zip(axes, TEXTS09):
        for shift, (model, label, color) in zip((-width / 2, width / 2), models):
            values = [metric(data, NB09, f"pairs_{group}_{model}") for group, _ in groups]
            bars = ax.bar(xs + shift, values, width, color=tint(color, 0.35), edgecolor=color, label=label)
            _bar_labels(ax, bars, values, "{:.4f}")
        ax.set_xticks(xs, [name for _, name in groups])
        ax.set_title(title)
        ax.set_xlim(-0.6, 1.6)
    axes[0].set_ylim(0, 3.6)
    axes[1].set_ylim(0, 0.072)
    axes[0].set_ylabel("cross-entropy per target token\n(nats, teacher forced)")
    axes[0].legend(loc="upper left")
    fig.tight_layout()
    return fs.save(fig, path, png_dir)


@figure("attention_decoder.svg")
def attention_decoder(path, png_dir):
    """One decoder step with additive attention: scores, softmax weights, context vector, decoder GRU."""
    d = fs.Diagram(11.0, 6.55)
    source = ["they", "are", "watching", "."]
    weights = (0.04, 0.07, 0.85, 0.04)  # illustrative, for the output word "regardent"
    xs = [1.75 + 1.3 * i for i in range(len(source))]
    y_tok, y_h, y_score, y_soft, y_alpha, y_ctx, y_out, y_word = 0.45, 1.3, 2.35, 3.05, 3.7, 4.55, 5.3, 6.05
    box_w, box_h = 1.0, 0.4
    x_sum = xs[1] + 0.65  # the weighted sum, between the second and third column
    for i, (x, token, alpha) in enumerate(zip(xs, source, weights)):
        d.box(x, y_tok, box_w, box_h, token, color=INPUT, size=SMALL)
        d.box(x, y_h, 0.66, box_h, f"$\\mathbf{{h}}_{i + 1}$", color=STATE, size=SMALL)
        d.arrow((x, y_tok + box_h / 2), (x, y_h - box_h / 2), head=8)
        if i:
            d.arrow((xs[i - 1] + 0.33, y_h), (x - 0.33, y_h), head=8)
        d.box(x, y_score, 0.74, box_h, f"$e_{{t',{i + 1}}}$", color=ACCENT, size=SMALL)
        d.arrow((x, y_h + box_h / 2), (x, y_score - box_h / 2), head=8)
        d.arrow((x, y_score + box_h / 2), (x, y_soft - 0.16), head=8)
        d.box(x, y_alpha, 0.74, box_h, f"{alpha:.2f}", color=STATE, fill=tint(STATE, 1 - alpha), size=SMALL,
              text_color="white" if alpha > 0.5 else INK)
        d.arrow((x, y_soft + 0.16), (x, y_alpha - box_h / 2), head=8)
        d.line([(x, y_alpha + box_h / 2), (x, y_ctx - 0.25), (x_sum, y_ctx - 0.25)], arrow=False, color=INK,
               linewidth=1.1)
    d.box((xs[0] + xs[-1]) / 2, y_soft, xs[-1] - xs[0] + 0.9, 0.32, "softmax over the source positions "
          "(padding masked out)", color=ACCENT, size=SMALL - 0.5)
    d.text(xs[0] - 0.6, y_alpha, "$\\alpha_{t',t}$", size=SMALL, ha="right")
    d.text(xs[0] - 0.6, y_score, "scores", size=SMALL - 0.5, ha="right")
    d.text(xs[0] - 0.6, y_h, "encoder\nstates", size=SMALL - 0.5, ha="right")
    d.node(x_sum, y_ctx - 0.25, "Σ", radius=0.2, size=SMALL)
    d.box(x_sum, y_ctx + 0.35, 2.6, 0.42, "$\\mathbf{c}_{t'} = \\sum_t \\alpha_{t',t}\\,\\mathbf{h}_t$",
          color=STATE, size=SMALL)
    d.arrow((x_sum, y_ctx - 0.05), (x_sum, y_ctx + 0.14), head=7)
    d.text(x_sum + 0.3, y_ctx - 0.07, "weights × the $\\mathbf{h}_t$, summed", size=SMALL - 1.5, ha="left")
    # The decoder step, on the right.
    x_dec = 9.2
    d.box(x_dec, y_tok, box_w + 0.2, box_h, "ils  ($y_{t'-1}$)", color=INPUT, size=SMALL)
    d.box(x_dec, y_h, 1.1, box_h + 0.06, "GRU", color=STATE, size=SMALL, fill=tint(STATE, 0.55))
    d.arrow((x_dec, y_tok + box_h / 2), (x_dec, y_h - box_h / 2 - 0.03), head=8)
    d.arrow((7.4, y_h), (x_dec - 0.55, y_h), head=8, color=STATE)
    d.text(7.4, y_h + 0.22, "$\\mathbf{s}_{t'-1}$", size=SMALL, ha="left")
    d.arrow((x_dec + 0.55, y_h), (10.85, y_h), head=8, color=STATE)
    d.text(10.85, y_h - 0.3, "to step $t'+1$", size=SMALL - 1.5, ha="right")
    d.junction(x_dec, y_score)
    d.line([(x_dec, y_h + box_h / 2 + 0.03), (x_dec, y_score)], arrow=False)
    d.text(x_dec + 0.12, (y_h + y_score) / 2 + 0.1, "$\\mathbf{s}_{t'}$", size=SMALL, ha="left")
    d.line([(x_dec, y_score), (xs[-1] + 0.37, y_score)], color=ACCENT, linewidth=1.4)
    for left, right in zip(xs[:-1], xs[1:]):
        d.line([(right - 0.37, y_score), (left + 0.37, y_score)], color=ACCENT, linewidth=1.4, arrow=False)
    d.text((xs[-1] + x_dec) / 2 + 0.1, y_score + 0.2, "query", size=SMALL - 1, color=ACCENT)
    d.box(x_dec, y_ctx + 0.35, 1.5, 0.42, "$[\\mathbf{s}_{t'};\\ \\mathbf{c}_{t'}]$", color=INK, fill="white",
          size=SMALL)
    d.line([(x_dec, y_score), (x_dec, y_ctx + 0.14)], head=8)
    d.line([(x_sum + 1.3, y_ctx + 0.35), (x_dec - 0.75, y_ctx + 0.35)], head=8, color=STATE)
    d.box(x_dec, y_out + 0.1, 2.1, 0.4, "dropout, Dense, softmax", color=OUTPUT, size=SMALL)
    d.arrow((x_dec, y_ctx + 0.56), (x_dec, y_out - 0.1), head=8)
    d.box(x_dec, y_word + 0.05, 2.0, 0.4, "regardent  ($y_{t'}$)", color=OUTPUT, size=SMALL)
    d.arrow((x_dec, y_out + 0.3), (x_dec, y_word - 0.15), head=8)
    d.text(0.15, y_word + 0.05, "$e_{t',t} = \\mathbf{v}^\\top \\tanh(W_q\\,\\mathbf{s}_{t'} + W_k\\,\\mathbf{h}_t)$",
           size=SMALL, ha="left")
    d.text(0.15, y_word - 0.4, "encoder: runs once per sentence", size=SMALL - 1, ha="left", color=STATE)
    d.text(x_dec, 0.0 + 0.07, "decoder: step $t'$", size=SMALL - 1, color=STATE, va="bottom")
    return d.save(path, png_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="figures to draw (default: all of them)")
    parser.add_argument("--png", type=Path, help="also write PNG previews into this directory")
    args = parser.parse_args(argv)
    if args.png:
        args.png.mkdir(parents=True, exist_ok=True)
    for name in args.names or list(FIGURES_TEXT):
        if name not in FIGURES_TEXT:
            parser.error(f"unknown figure {name!r}; known: {', '.join(FIGURES_TEXT)}")
        fs.apply_style()
        FIGURES_TEXT[name](HERE / name, args.png)
        print(f"wrote lessons/figures/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
