"""What each metric should come to: the lecture's figure and the course's targets, in one table.

:data:`GOALS`, keyed by (notebook stem, metric name as ``results.add`` records it), is the one place where a
lecture figure or a target is written (a target derived from the figure as :class:`FromLecture`, so the number
is typed once). Everything else reads the views :data:`TARGETS`, :data:`LECTURE_FIGURES`, :func:`lecture_figure`
and :func:`find_lecture_figure` (by metric name alone: lecture figures' names are unique, checked on import).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from utils.checks import check_number, check_str, fail

#: What data a run used: the generated stand-ins ("offline") or the real datasets ("real").
DATA_KINDS = ("offline", "real")
DATA_LABELS = {"offline": "stand-in", "real": "real"}


@dataclass(frozen=True)
class Target:
    """What a full-profile metric must satisfy; with a ``reference``, its ratio or difference to that metric does."""

    kind: str  # 'equal' (to within ``tolerance``), 'within' (``tolerance`` relative to ``value``), 'max' or 'min'
    value: float
    tolerance: float = 0.0
    reference: str | None = None  # another metric of the notebook; the target is unchecked where it is missing
    relation: str = "ratio"  # the metric ÷ the reference, or 'difference': the metric − the reference
    data: str = "any"  # the runs it applies to: "any", "offline" (the stand-ins) or "real"

    def __post_init__(self):
        if self.kind not in ("equal", "within", "max", "min"):
            raise ValueError(f"Target kind must be 'equal', 'within', 'max' or 'min', not {self.kind!r}")
        if self.relation not in ("ratio", "difference"):
            raise ValueError(f"Target relation must be 'ratio' or 'difference', not {self.relation!r}")
        if self.data not in ("any", *DATA_KINDS):
            raise ValueError(f"Target data must be 'any', 'offline' or 'real', not {self.data!r}")
        # frozen: the checked numbers are stored through object.__setattr__
        object.__setattr__(self, "value", check_number("value", self.value, hint="the target's value"))
        object.__setattr__(self, "tolerance", check_number("tolerance", self.tolerance, minimum=0))
        check_str("reference", self.reference, nonempty=True, allow_none=True)
        if self.kind == "within" and self.value <= 0:
            raise fail("value", self.value, "a number > 0 for kind 'within'", "the tolerance is relative to it")

    def applies_to(self, data: str) -> bool:
        """Whether the target applies to runs on ``data`` ('offline' or 'real')."""
        return self.data in ("any", data)

    def measure(self, measured: float, metrics: dict[str, float]) -> float | None:
        """The quantity the target applies to, or None when its reference metric is missing."""
        measured = check_number("measured", measured, finite=False)
        if not isinstance(metrics, dict):
            raise fail("metrics", metrics, "a dict {metric: value}")
        if self.reference is None:
            return measured
        other = metrics.get(self.reference)
        if other is None:
            return None
        if self.relation == "difference":
            return measured - other
        return measured / other if other != 0 else math.inf

    def met(self, measured: float) -> bool:
        """Whether ``measured`` (what :meth:`measure` gives) meets the target."""
        measured = check_number("measured", measured, finite=False)
        return {"equal": abs(measured - self.value) <= self.tolerance,
                "within": abs(measured - self.value) <= self.tolerance * self.value,
                "max": measured <= self.value, "min": measured >= self.value}[self.kind]

    def describe(self) -> str:
        """The target in words for the results board, such as ``≤ 0.0187`` or ``0.004168 ± 25%``."""
        text = {"equal": f"= {self.value:g} ± {self.tolerance:g}", "within": f"{self.value:g} ± {self.tolerance:.0%}",
                "max": f"≤ {self.value:g}", "min": f"≥ {self.value:g}"}[self.kind]
        if self.reference is not None:
            text = f"{'÷' if self.relation == 'ratio' else '−'} `{self.reference}` {text}"
        if self.data != "any":
            text = f"{DATA_LABELS[self.data]}: {text}"
        return text


@dataclass(frozen=True)
class FromLecture:
    """A target on the goal's lecture figure: by default "within 25% of it"; ``FromLecture("equal", 5e-7)``."""

    kind: str = "within"
    tolerance: float = 0.25
    data: str = "any"


@dataclass(frozen=True)
class Goal:
    """The lecture's figure of a metric (or None) and its targets (Target or FromLecture, one or a tuple); each
    FromLecture becomes the Target on ``lecture``, and ``derived[i]`` says whether ``targets[i]`` was one."""

    lecture: float | None = None
    targets: tuple[Target, ...] = ()
    derived: tuple[bool, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        lecture = check_number("lecture", self.lecture, allow_none=True, hint="the lecture's figure")
        given = (self.targets,) if isinstance(self.targets, (Target, FromLecture)) else self.targets
        if not isinstance(given, (tuple, list)):
            raise fail("targets", self.targets, "a Target, a FromLecture or a tuple of them")
        for index, target in enumerate(given):
            if not isinstance(target, (Target, FromLecture)):
                raise fail(f"targets[{index}]", target, "a Target or a FromLecture")
            if isinstance(target, FromLecture) and lecture is None:
                raise fail(f"targets[{index}]", target, "a Target",
                           "a FromLecture target needs the goal's lecture figure: give lecture=")
        targets = [Target(t.kind, lecture, t.tolerance, data=t.data) if isinstance(t, FromLecture) else t
                   for t in given]
        # frozen: the checked fields are stored through object.__setattr__
        object.__setattr__(self, "lecture", lecture)
        object.__setattr__(self, "targets", tuple(targets))
        object.__setattr__(self, "derived", tuple(isinstance(t, FromLecture) for t in given))


#: 07's recurrent models: 5 points above the bag of words (stand-in only), at most 3 below the Bayes accuracy.
_RECURRENT_ON_IMDB = (Target("min", 0.05, reference="bow_accuracy", relation="difference", data="offline"),
                      Target("min", -0.03, reference="bayes_accuracy", relation="difference"))

#: The one table of lecture figures and targets, keyed by (notebook, metric). The targets are the
#: course's goals for the full profile: a metric meets them when it meets each one that applies to
#: the run's data and can be checked. The lecture figures are the validation MSEs the lectures
#: report for the same experiments (two-sine series, 50 steps, 20 epochs, Adam).
GOALS: Mapping[tuple[str, str], Goal] = MappingProxyType({
    # 01-03 the lecture's time-series experiments (with np.random.seed(42) the naive baseline is its figure exactly)
    ("01_sequence_models", "naive_mse"): Goal(0.020211, FromLecture("equal", 5e-7)),
    ("01_sequence_models", "linear_mse"): Goal(0.004168, FromLecture()),
    ("02_simple_rnn", "simple_rnn_1_mse"): Goal(0.010882, FromLecture()),
    ("03_deep_rnn", "deep_rnn_mse"): Goal(0.002911, FromLecture()),
    ("03_deep_rnn", "deep_rnn_dense_mse"): Goal(0.002527, FromLecture()),
    ("03_deep_rnn", "ten_step_iterative_mse"): Goal(targets=Target("max", 0.0275)),
    ("03_deep_rnn", "ten_step_linear_mse"): Goal(targets=Target("max", 0.0187)),
    ("03_deep_rnn", "ten_step_vector_mse"): Goal(targets=Target("max", 0.0085)),
    ("03_deep_rnn", "ten_step_seq2seq_last_mse"): Goal(targets=Target("max", 0.0096)),
    # 04 LSTM and GRU
    ("04_lstm_gru", "scratch_lstm_max_abs_diff"): Goal(targets=Target("max", 1e-5)),
    ("04_lstm_gru", "scratch_gru_max_abs_diff"): Goal(targets=Target("max", 1e-5)),
    ("04_lstm_gru", "long_lag_lstm_accuracy"): Goal(targets=Target(
        "min", 0.30, reference="long_lag_simple_rnn_accuracy", relation="difference")),
    ("04_lstm_gru", "best_one_step_mse"): Goal(targets=Target("max", 0.00105)),
    ("04_lstm_gru", "ten_step_best_last_mse"): Goal(targets=Target("max", 0.0060)),
    # 06 character-level RNN language model: the stand-in's optimum is known; on the real book the
    # yardstick is the best smoothed character n-gram model on the same held-out text.
    ("06_char_rnn", "best_char_ppl"): Goal(targets=(
        Target("max", 1.05, reference="corpus_optimal_char_ppl"),
        Target("max", 0.90, reference="ngram_char_ppl", data="real"))),
    ("06_char_rnn", "scratch_rnn_ppl"): Goal(targets=Target("max", 1.15, reference="corpus_optimal_char_ppl")),
    # Keras' SimpleRNN and the scratch loop run the same graph on the same batches: parity, within
    # the few percent that throughput wobbles from run to run on a shared machine.
    ("06_char_rnn", "keras_simple_rnn_speed_ratio"): Goal(targets=Target("min", 0.95)),
    # 07 IMDB sentiment (the Bayes accuracy is known for the offline stand-in only)
    ("07_imdb_sentiment", "lstm_accuracy"): Goal(targets=_RECURRENT_ON_IMDB),
    ("07_imdb_sentiment", "gru_accuracy"): Goal(targets=_RECURRENT_ON_IMDB),
    ("07_imdb_sentiment", "best_accuracy"): Goal(targets=Target("min", 0.87, data="real")),
    ("07_imdb_sentiment", "no_mask_accuracy"): Goal(targets=Target(
        "max", -0.02, reference="lstm_accuracy", relation="difference")),
    # 08 text generation; on Tiny Shakespeare, Hands-On ML 3 (ch. 16) as measured there
    ("08_text_generation", "one_step_speedup"): Goal(targets=Target("min", 1.0)),
    ("08_text_generation", "one_step_work_ratio"): Goal(targets=Target("min", 100.0)),
    ("08_text_generation", "gen_sample_entropy_t10"): Goal(targets=Target(
        "min", 1e-9, reference="gen_sample_entropy_t05", relation="difference")),
    ("08_text_generation", "homl_val_accuracy"): Goal(targets=Target("min", 0.5513, data="real")),
    ("08_text_generation", "homl_val_loss"): Goal(targets=Target("max", 1.5477, data="real")),
    # 09 sequence to sequence
    ("09_seq2seq", "toy_greedy_prob"): Goal(targets=Target("equal", 0.048, 1e-9)),
    ("09_seq2seq", "toy_beam_prob"): Goal(targets=Target("equal", 0.054, 1e-9)),
    ("09_seq2seq", "date_exact_match_greedy"): Goal(targets=Target("min", 0.99)),
    ("09_seq2seq", "date_exact_match_beam"): Goal(targets=Target("min", 0.99)),
    ("09_seq2seq", "pairs_corpus_bleu_attention"): Goal(targets=(
        Target("min", 0.30, data="real"),
        Target("min", 1.5, reference="pairs_corpus_bleu_plain", data="real"))),
    ("09_seq2seq", "pairs_corpus_bleu_beam"): Goal(targets=Target(
        "min", -0.005, reference="pairs_corpus_bleu_attention", relation="difference")),
})


#: Headline metrics besides those with a target or a lecture figure: the comparisons a lesson states (07's
#: ranking of models, 09's plain model), whose spread over seeds the board reports too.
EXTRA_HEADLINES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "02_simple_rnn": ("bptt_full_trained_mse", "bptt_truncated_10_trained_mse", "bptt_randomized_trained_mse"),
    "03_deep_rnn": ("one_to_many_mse",),
    "05_text_and_language_models": ("bigram_ppl", "trigram_ppl", "best_bigram_ppl"),
    "06_char_rnn": ("keras_gru_ppl", "keras_lstm_ppl", "keras_gru_2_layers_ppl", "big_lstm_ppl",
                    "big_lstm_dropout_ppl", "gru_backward_over_forward_ppl"),
    "07_imdb_sentiment": ("bow_accuracy", "stacked_accuracy", "bilstm_accuracy"),
    "08_text_generation": ("gen_val_ppl",),
    "09_seq2seq": ("pairs_corpus_bleu_plain",),
})


# --- Views of the table (read-only; write a figure or a target in GOALS, nowhere else) ---

#: ``{(notebook, metric): (Target, ...)}`` for every metric that has a target.
TARGETS: Mapping[tuple[str, str], tuple[Target, ...]] = MappingProxyType({
    key: goal.targets for key, goal in GOALS.items() if goal.targets})

#: ``{(notebook, metric): figure}`` for every metric the lecture reports a figure for.
LECTURE_FIGURES: Mapping[tuple[str, str], float] = MappingProxyType({
    key: goal.lecture for key, goal in GOALS.items() if goal.lecture is not None})


def lecture_notebooks(figures: Mapping[tuple[str, str], float]) -> dict[str, str]:
    """``{metric: notebook}`` of lecture figures; ValueError if two notebooks share a name (``lecture:`` needs one)."""
    if not isinstance(figures, Mapping):
        raise fail("figures", figures, "a mapping {(notebook, metric): figure}")
    found: dict[str, str] = {}
    for notebook, metric in figures:
        if metric in found:
            raise ValueError(f"lecture figure {metric!r} is in GOALS for both {found[metric]} and {notebook}: the "
                             "'lecture:METRIC' quote marker needs each lecture figure's metric name to be unique")
        found[metric] = notebook
    return found


_LECTURE_NOTEBOOK = lecture_notebooks(LECTURE_FIGURES)


def lecture_figure(notebook: str, metric: str) -> float | None:
    """The figure the lecture reports for ``metric`` of ``notebook``, or None when it reports none."""
    return LECTURE_FIGURES.get((check_str("notebook", notebook), check_str("metric", metric)))


def find_lecture_figure(metric: str) -> tuple[str, float] | None:
    """(notebook, figure) of the lecture figure named ``metric`` in any notebook, or None."""
    notebook = _LECTURE_NOTEBOOK.get(check_str("metric", metric))
    return None if notebook is None else (notebook, LECTURE_FIGURES[(notebook, metric)])
