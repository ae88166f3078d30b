"""Bad input fails early, with a ValueError that names the argument (issue #14).

Each case calls a public function of ``utils`` with one bad argument and checks the exception type
and that the message names the argument (or the setting, or the file). The second half checks the
valid edge cases the checks must let through: NumPy scalars wherever a Python number is accepted,
a tiny temperature that behaves like greedy decoding, and the same results as before.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from course import notebooks, quotes, student
from course import run as course
from utils import (
    charlm,
    checks,
    datasets,
    decoding,
    environment,
    generation,
    plotting,
    profile,
    results,
    seq2seq,
    standins,
    text,
    training,
)
from utils import timeseries as ts

# ---------------------------------------------------------------------------------------------
# Shared inputs.
# ---------------------------------------------------------------------------------------------

LOGITS = np.array([[0.5, 2.0, -1.0, 0.0], [3.0, -np.inf, 1.0, 2.5]])
WORDS = "the cat sat on the mat the cat ran".split()
VOCAB = seq2seq.make_vocab([["a", "b"], ["c"]])
ARRAYS = seq2seq.encode_pairs([["a", "b"], ["c"]], [["c"], ["a", "b"]], VOCAB, VOCAB)
SPLITS = ts.two_sine_dataset(n_inputs=6, horizon=1, n_series=40, sizes=(20, 10, 10), seed=0)
AHEAD = ts.two_sine_dataset(n_inputs=6, horizon=3, target="ahead", n_series=40, sizes=(20, 10, 10), seed=0)
UNIFORM = np.log(np.full(4, 0.25))


def uniform_step(tokens, state):
    """Every token equally likely; the state is carried unchanged."""
    return np.tile(UNIFORM, (len(tokens), 1)), state


def nan_step(tokens, state):
    log_probs = np.tile(UNIFORM, (len(tokens), 1))
    log_probs[:, 1] = np.nan
    return log_probs, state


def positive_step(tokens, state):
    return np.tile([0.5, -1.0, -2.0, -3.0], (len(tokens), 1)), state


def logits_step(tokens, state):
    """All scores <= 0, but their probabilities sum to more than 1: logits, not log-probabilities."""
    return np.tile([-0.1, -0.2, -0.3, -0.4], (len(tokens), 1)), state


def shrinking_step(tokens, state):
    """Returns a state with one row fewer than the hypotheses."""
    return np.tile(UNIFORM, (len(tokens), 1)), state[:-1]


def lm_step(X, state):
    return np.zeros((*X.shape, 5)), state


def nan_lm_step(X, state):
    logits = np.zeros((*X.shape, 5))
    logits[..., 2] = np.nan
    return logits, state


LM_IDS = np.arange(200) % 5
SEARCH = {"bos_id": 0, "eos_id": 3, "max_len": 4}
STATE = np.zeros((2, 3))


@dataclass
class Setting:
    """What a case may use: a fresh folder and the environment."""

    tmp: Path
    monkeypatch: pytest.MonkeyPatch

    def setenv(self, name: str, value: str) -> None:
        self.monkeypatch.setenv(name, value)

    def file(self, name: str, content: str = "x") -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        return path


@pytest.fixture
def setting(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv(datasets.ENV_VAR, "offline")
    for name in (datasets.DATA_DIR_ENV, results.RESULTS_DIR_ENV, "COURSE_SEED", profile.ENV_VAR):
        monkeypatch.delenv(name, raising=False)
    return Setting(tmp_path, monkeypatch)


class FakeHistory:
    def __init__(self, history):
        self.history = history


class FakeModel:
    """Stands for a compiled Keras model whose fit returns the given per-epoch losses."""

    name = "fake"

    def __init__(self, losses):
        self.losses = losses

    def fit(self, X, y, epochs, **kwargs):
        return FakeHistory({"loss": list(self.losses)})


def write_notebook(s: Setting, name: str = "nb.ipynb", cells=None) -> Path:
    cells = cells if cells is not None else [{"cell_type": "markdown", "metadata": {}, "source": "# 01 · x"}]
    return s.file(name, json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))


# ---------------------------------------------------------------------------------------------
# The bad-input cases: (call, exception, pattern the message must match).
# ---------------------------------------------------------------------------------------------

C = pytest.param

CASES = [
    # --- timeseries ---
    C(lambda s: ts.generate_two_sine_series("5", 10), ValueError, r"n_series='5'", id="ts-n_series-str"),
    C(lambda s: ts.generate_two_sine_series(None, 10), ValueError, r"n_series=None", id="ts-n_series-none"),
    C(lambda s: ts.generate_two_sine_series(5, True), ValueError, r"n_steps=True", id="ts-n_steps-bool"),
    C(lambda s: ts.generate_two_sine_series(5, 10, seed=2**32), ValueError, r"seed=4294967296", id="ts-seed-big"),
    C(lambda s: ts.generate_two_sine_series(5, 10, seed=1.5), ValueError, r"seed=1\.5", id="ts-seed-float"),
    C(lambda s: ts.split_series(np.zeros((4, 5, 1)), 2, sizes=None), ValueError, r"sizes=None", id="ts-sizes-none"),
    C(lambda s: ts.split_series(np.zeros((4, 5, 1)), 2, sizes=(1, 1, 1), target=None), ValueError, r"target=None",
      id="ts-target-none"),
    C(lambda s: ts.split_series([["a"]], 2), ValueError, r"series=", id="ts-series-strings"),
    C(lambda s: ts.split_series(None, 2), ValueError, r"series=None", id="ts-series-none"),
    C(lambda s: ts.two_sine_dataset(target="later"), ValueError, r"target='later'", id="ts-dataset-target"),
    C(lambda s: ts.two_sine_dataset(horizon=0), ValueError, r"horizon=0", id="ts-horizon"),
    C(lambda s: ts.least_squares_linear_mse(SPLITS.train, AHEAD.valid), ValueError, r"valid.*train",
      id="ts-lstsq-width-mismatch"),
    C(lambda s: ts.least_squares_linear_mse(SPLITS.train, ts.Split(SPLITS.valid.X[:, 1:], SPLITS.valid.y)),
      ValueError, r"valid.*train", id="ts-lstsq-inputs-mismatch"),
    C(lambda s: ts.least_squares_linear_mse(SPLITS.train, None), ValueError, r"valid=None", id="ts-lstsq-none"),
    C(lambda s: ts.least_squares_linear_mse(ts.Split(SPLITS.train.X * np.nan, SPLITS.train.y), SPLITS.valid),
      ValueError, r"train\.X", id="ts-lstsq-nan"),
    C(lambda s: ts.least_squares_linear_mse(SPLITS.train, SPLITS.valid, window=0), ValueError, r"window=0",
      id="ts-lstsq-window"),
    C(lambda s: ts.generate_noisy_sine(noise_std="0.2"), ValueError, r"noise_std='0\.2'", id="ts-noise-str"),
    C(lambda s: ts.generate_noisy_sine(noise_std=None), ValueError, r"noise_std=None", id="ts-noise-none"),
    C(lambda s: ts.noisy_sine_noise_floor(-0.1), ValueError, r"noise_std=-0\.1", id="ts-floor-negative"),
    C(lambda s: ts.lagged_features(["a", "b", "c"], 1), ValueError, r"x=", id="ts-lagged-strings"),
    C(lambda s: ts.lagged_features(np.arange(10.0), 2.0), ValueError, r"tau=2\.0", id="ts-lagged-tau"),
    C(lambda s: ts.k_step_ahead(None, np.arange(10.0), 2, 2), ValueError, r"predict=None", id="ts-k-step-predict"),
    C(lambda s: ts.k_step_ahead(lambda f: 0.0, np.arange(10.0), 2, 2), ValueError, r"predict returned",
      id="ts-k-step-scalar-broadcast"),
    C(lambda s: ts.k_step_ahead(lambda f: f, np.arange(10.0), 2, 2), ValueError, r"predict returned",
      id="ts-k-step-wide"),
    C(lambda s: ts.long_lag_task(5, noise="3"), ValueError, r"noise='3'", id="ts-long-lag-noise"),
    C(lambda s: ts.long_lag_task(5, seed="x"), ValueError, r"seed='x'", id="ts-long-lag-seed"),
    # --- training ---
    C(lambda s: training.fit_timed(None, np.zeros(3), np.zeros(3), 1), ValueError, r"model\.fit", id="fit-model"),
    C(lambda s: training.fit_timed(FakeModel([1.0]), None, np.zeros(3), 1), ValueError, r"X=None", id="fit-X-none"),
    C(lambda s: training.fit_timed(FakeModel([1.0]), np.zeros(3), np.zeros(3), "2"), ValueError, r"epochs='2'",
      id="fit-epochs-str"),
    C(lambda s: training.fit_timed(FakeModel([1.0]), np.zeros(3), np.zeros(3), 1, batch_size=0), ValueError,
      r"batch_size=0", id="fit-batch"),
    C(lambda s: training.fit_timed(FakeModel([1.0]), np.zeros(3), np.zeros(3), 1, validation_batch_size=-1),
      ValueError, r"validation_batch_size=-1", id="fit-valid-batch"),
    C(lambda s: training.fit_timed(FakeModel([1.0]), np.zeros(3), np.zeros(3), 1, validation_data=np.zeros(3)),
      ValueError, r"validation_data=", id="fit-validation-data"),
    C(lambda s: training.fit_timed(FakeModel([1.0]), np.zeros(3), np.zeros(3), 1,
                                   validation_data=(np.zeros(3), np.zeros(2))), ValueError, r"validation_data=",
      id="fit-validation-lengths"),
    C(lambda s: training.fit_timed(FakeModel([1.0]), np.zeros(3), np.zeros(2), 1), ValueError, r"X has 3.*y has 2",
      id="fit-lengths"),
    C(lambda s: training.fit_timed(FakeModel([0.5, float("nan")]), np.zeros(3), np.zeros(3), 2), ValueError,
      r"loss=nan after epoch 2.*diverged", id="fit-nan-loss"),
    C(lambda s: training.fit_timed(FakeModel([math.inf]), np.zeros(3), np.zeros(3), 1), ValueError,
      r"loss=inf after epoch 1", id="fit-inf-loss"),
    # --- profile and environment ---
    C(lambda s: (s.setenv("COURSE_PROFILE", "fast"), profile.current_profile()), ValueError, r"COURSE_PROFILE='fast'",
      id="profile-env"),
    C(lambda s: profile.pick(full=20, quick=2.0), ValueError, r"full=20, quick=2\.0", id="profile-pick-types"),
    C(lambda s: environment.course_seed(-1), ValueError, r"seed=-1", id="env-seed-negative"),
    C(lambda s: environment.course_seed(2**32), ValueError, r"seed=4294967296", id="env-seed-big"),
    C(lambda s: environment.course_seed("7"), ValueError, r"seed='7'", id="env-seed-str"),
    C(lambda s: environment.course_seed(True), ValueError, r"seed=True", id="env-seed-bool"),
    C(lambda s: (s.setenv("COURSE_SEED", "abc"), environment.course_seed()), ValueError, r"COURSE_SEED='abc'",
      id="env-seed-setting-text"),
    C(lambda s: (s.setenv("COURSE_SEED", "99999999999"), environment.course_seed()), ValueError,
      r"COURSE_SEED=99999999999", id="env-seed-setting-range"),
    # --- generation ---
    C(lambda s: generation.softmax(LOGITS, temperature=-1.0), ValueError, r"temperature=-1\.0", id="gen-temp-negative"),
    C(lambda s: generation.softmax(LOGITS, temperature="hot"), ValueError, r"temperature='hot'", id="gen-temp-str"),
    C(lambda s: generation.softmax(LOGITS, temperature=None), ValueError, r"temperature=None", id="gen-temp-none"),
    C(lambda s: generation.softmax(LOGITS, temperature=np.nan), ValueError, r"temperature=nan", id="gen-temp-nan"),
    C(lambda s: generation.softmax(LOGITS, temperature=math.inf), ValueError, r"temperature=inf", id="gen-temp-inf"),
    C(lambda s: generation.softmax(["a", "b"]), ValueError, r"logits=", id="gen-logits-str"),
    C(lambda s: generation.softmax(None), ValueError, r"logits=None", id="gen-logits-none"),
    C(lambda s: generation.greedy([[1.0, 2.0], [3.0]]), ValueError, r"logits=", id="gen-logits-ragged"),
    C(lambda s: generation.next_token_distribution(LOGITS, top_k=-1), ValueError, r"top_k=-1", id="gen-top-k-neg"),
    C(lambda s: generation.next_token_distribution(LOGITS, top_k=True), ValueError, r"top_k=True", id="gen-top-k-bool"),
    C(lambda s: generation.sample(None, np.random.default_rng(0)), ValueError, r"probabilities=None",
      id="gen-sample-none"),
    C(lambda s: generation.sample([0.5, 0.5], 42), ValueError, r"rng=42", id="gen-sample-seed-not-generator"),
    C(lambda s: generation.sample_next(LOGITS, np.random.default_rng(0), temperature=-2), ValueError,
      r"temperature=-2", id="gen-sample-next-temp"),
    C(lambda s: generation.entropy_bits([[0.5, 0.5], [1.5, -0.5]]), ValueError, r"probabilities", id="gen-entropy"),
    C(lambda s: generation.known_word_rate("the cat", None), ValueError, r"known_words=None", id="gen-known-none"),
    C(lambda s: generation.known_word_rate("the cat", 3), ValueError, r"known_words=3", id="gen-known-int"),
    # --- charlm ---
    C(lambda s: charlm.OneHot("5"), ValueError, r"depth='5'", id="charlm-depth-str"),
    C(lambda s: charlm.OneHot(5)(np.array([[1, 5]])), ValueError, r"ids=.*from 0 to 4", id="charlm-onehot-outside"),
    C(lambda s: charlm.OneHot(5)(np.array([[-1, 2]])), ValueError, r"ids=.*from 0 to 4", id="charlm-onehot-negative"),
    C(lambda s: charlm.stream_perplexity(nan_lm_step, LM_IDS, None, 2, 5), ValueError, r"logits=.*NaN",
      id="charlm-perplexity-nan"),
    C(lambda s: charlm.stream_perplexity(lm_step, LM_IDS + 3, None, 2, 5), ValueError, r"ids=.*from 0 to 4",
      id="charlm-perplexity-ids-outside"),
    C(lambda s: charlm.stream_perplexity(None, LM_IDS, None, 2, 5), ValueError, r"step=None",
      id="charlm-perplexity-step"),
    C(lambda s: charlm.stream_perplexity(lm_step, LM_IDS.astype(float), None, 2, 5), ValueError, r"ids=",
      id="charlm-perplexity-float-ids"),
    C(lambda s: charlm.stream_perplexity(lm_step, LM_IDS, None, 2.0, 5), ValueError, r"batch_size=2\.0",
      id="charlm-perplexity-batch"),
    C(lambda s: charlm.greedy_continuation(nan_lm_step, [1, 2], 3, None), ValueError, r"logits=",
      id="charlm-greedy-nan"),
    C(lambda s: charlm.greedy_continuation(lm_step, [1, 7], 3, None), ValueError, r"prefix_ids=.*from 0 to 4",
      id="charlm-greedy-prefix-outside"),
    C(lambda s: charlm.greedy_continuation(lm_step, None, 3, None), ValueError, r"prefix_ids=None",
      id="charlm-greedy-prefix-none"),
    C(lambda s: charlm.train_epochs(lambda: 1.0, 1, verbose=False), ValueError, r"run_epoch\(\)=1\.0",
      id="charlm-train-not-pair"),
    C(lambda s: charlm.train_epochs(lambda: ("low", 10), 1, verbose=False), ValueError, r"run_epoch\(\)\[0\]='low'",
      id="charlm-train-loss-str"),
    C(lambda s: charlm.train_epochs(lambda: (1.0, 2.5), 1, verbose=False), ValueError, r"run_epoch\(\)\[1\]=2\.5",
      id="charlm-train-tokens"),
    C(lambda s: charlm.train_epochs(lambda: (1.0, 10), 1, evaluate=lambda: float("nan"), verbose=False),
      ValueError, r"evaluate\(\)=nan", id="charlm-train-nan-perplexity"),
    C(lambda s: charlm.train_epochs(lambda: (1.0, 10), 1, name=None, verbose=False), ValueError, r"name=None",
      id="charlm-train-name"),
    C(lambda s: charlm.train_epochs(lambda: (1.0, 10), 1, verbose="yes"), ValueError, r"verbose='yes'",
      id="charlm-train-verbose"),
    # --- text ---
    C(lambda s: text.Vocab(None), ValueError, r"tokens=None", id="text-vocab-none"),
    C(lambda s: text.Vocab(WORDS, min_freq="2"), ValueError, r"min_freq='2'", id="text-vocab-min-freq"),
    C(lambda s: text.Vocab(WORDS, reserved_tokens=None), ValueError, r"reserved_tokens=None", id="text-reserved-none"),
    C(lambda s: text.Vocab(WORDS).encode(None), ValueError, r"tokens=None", id="text-encode-none"),
    C(lambda s: text.Vocab(WORDS).decode([99]), ValueError, r"id 99", id="text-decode-outside"),
    C(lambda s: text.build_corpus("abc", max_tokens=2.5), ValueError, r"max_tokens=2\.5", id="text-max-tokens"),
    C(lambda s: text.build_corpus(None), ValueError, r"text must be a str", id="text-build-none"),
    C(lambda s: text.random_batches(np.arange(100), 2, 5, rng="seed"), ValueError, r"rng='seed'",
      id="text-batches-rng-str"),
    C(lambda s: text.random_batches(np.arange(100), 2, 5, rng=-1), ValueError, r"rng=-1", id="text-batches-rng-neg"),
    C(lambda s: text.sequential_batches(None, 2, 5), ValueError, r"corpus=None", id="text-batches-none"),
    C(lambda s: text.sequential_batches(np.arange(100), np.float64(2.0), 5), ValueError, r"batch_size=",
      id="text-batches-float"),
    C(lambda s: text.sequential_batches(np.arange(100), 2, 5, offset=np.True_), ValueError, r"offset=",
      id="text-batches-offset-bool"),
    C(lambda s: text.count_ngrams(None, 2), ValueError, r"tokens=None", id="text-ngrams-none"),
    C(lambda s: text.count_ngrams(WORDS, "2"), ValueError, r"n='2'", id="text-ngrams-n"),
    C(lambda s: text.NgramModel(WORDS, order="2"), ValueError, r"order='2'", id="text-ngram-order"),
    C(lambda s: text.NgramModel(WORDS, order=2, epsilons=None), ValueError, r"epsilons=None", id="text-ngram-eps"),
    C(lambda s: text.NgramModel(WORDS, order=2, vocab_size=5.0), ValueError, r"vocab_size=5\.0",
      id="text-ngram-vocab"),
    C(lambda s: text.NgramModel(None, order=2), ValueError, r"tokens=None", id="text-ngram-tokens"),
    C(lambda s: text.NgramModel(WORDS, order=2).prob("cat", None), ValueError, r"context=None",
      id="text-ngram-context"),
    C(lambda s: text.perplexity(["a", "b"]), ValueError, r"log2_probs=", id="text-perplexity-str"),
    C(lambda s: text.perplexity([-1.0, np.nan]), ValueError, r"log2_probs", id="text-perplexity-nan"),
    C(lambda s: text.merge_pair(None, ("a", "b")), ValueError, r"symbols=None", id="text-merge-none"),
    C(lambda s: text.pair_counts([("a", "b")]), ValueError, r"segmented=", id="text-pair-counts"),
    C(lambda s: text.bpe_encode("low", None), ValueError, r"merges=None", id="text-bpe-merges-none"),
    C(lambda s: text.bpe_encode("low", [("l", "o", "w")]), ValueError, r"merges\[0\]=", id="text-bpe-merge-triple"),
    C(lambda s: text.learn_bpe({"low": 2.0}, 1), ValueError, r"word_counts\['low'\]=2\.0", id="text-bpe-count"),
    # --- decoding ---
    C(lambda s: decoding.greedy_search(nan_step, STATE, **SEARCH), ValueError, r"NaN", id="dec-greedy-nan"),
    C(lambda s: decoding.beam_search(nan_step, STATE, beam_size=2, **SEARCH), ValueError, r"NaN", id="dec-beam-nan"),
    C(lambda s: decoding.exhaustive_search(nan_step, STATE[:1], **SEARCH), ValueError, r"NaN",
      id="dec-exhaustive-nan"),
    C(lambda s: decoding.greedy_search(positive_step, STATE, **SEARCH), ValueError, r"positive log-probabilities",
      id="dec-positive"),
    C(lambda s: decoding.greedy_search(logits_step, STATE, **SEARCH), ValueError, r"sum to .* > 1",
      id="dec-sum-above-one"),
    C(lambda s: decoding.beam_search(shrinking_step, STATE, beam_size=2, **SEARCH), ValueError, r"state with 3 rows",
      id="dec-state-rows"),
    C(lambda s: decoding.greedy_search(lambda t, st: 3, STATE, **SEARCH), ValueError, r"step\(last_tokens, state\)=3",
      id="dec-step-not-pair"),
    C(lambda s: decoding.greedy_search(uniform_step, STATE, bos_id="0", eos_id=3, max_len=4), ValueError,
      r"bos_id='0'", id="dec-bos-str"),
    C(lambda s: decoding.greedy_search(uniform_step, STATE, bos_id=-1, eos_id=3, max_len=4), ValueError,
      r"bos_id=-1", id="dec-bos-negative"),
    C(lambda s: decoding.greedy_search(uniform_step, STATE, bos_id=0, eos_id=3.0, max_len=4), ValueError,
      r"eos_id=3\.0", id="dec-eos-float"),
    C(lambda s: decoding.greedy_search(uniform_step, STATE, bos_id=0, eos_id=3, max_len=None), ValueError,
      r"max_len=None", id="dec-max-len-none"),
    C(lambda s: decoding.greedy_search(uniform_step, STATE, alpha="0.75", **SEARCH), ValueError, r"alpha='0\.75'",
      id="dec-alpha-str"),
    C(lambda s: decoding.beam_search(uniform_step, STATE, beam_size=2.0, **SEARCH), ValueError, r"beam_size=2\.0",
      id="dec-beam-size"),
    C(lambda s: decoding.greedy_search(uniform_step, (STATE, np.zeros((3, 1))), **SEARCH), ValueError, r"rows",
      id="dec-state-disagree"),
    C(lambda s: decoding.greedy_search(uniform_step, None, **SEARCH), ValueError, r"state", id="dec-state-none"),
    C(lambda s: decoding.take_rows(STATE, [0, 5]), ValueError, r"rows=.*from 0 to 1", id="dec-take-rows-outside"),
    C(lambda s: decoding.take_rows(STATE, [0.5]), ValueError, r"rows=", id="dec-take-rows-float"),
    C(lambda s: decoding.length_normalized_score(0.5, 3), ValueError, r"log_prob=0\.5", id="dec-score-positive"),
    C(lambda s: decoding.length_normalized_score(float("nan"), 3), ValueError, r"log_prob=nan", id="dec-score-nan"),
    C(lambda s: decoding.length_normalized_score("-1", 3), ValueError, r"log_prob='-1'", id="dec-score-str"),
    C(lambda s: decoding.length_normalized_score(-1.0, 3, alpha=math.inf), ValueError, r"alpha=inf",
      id="dec-score-alpha"),
    C(lambda s: decoding.bleu("a b", "a b", k="4"), ValueError, r"k='4'", id="dec-bleu-k"),
    C(lambda s: decoding.bleu(None, "a b"), ValueError, r"prediction=None", id="dec-bleu-none"),
    C(lambda s: decoding.mean_bleu(None, ["a"]), ValueError, r"predictions=None", id="dec-mean-bleu-none"),
    C(lambda s: decoding.mean_bleu(["a"], 3), ValueError, r"references=3", id="dec-mean-bleu-int"),
    C(lambda s: decoding.corpus_bleu([["a"]], [[["a"]]], max_n=0.5), ValueError, r"max_n=0\.5", id="dec-corpus-n"),
    C(lambda s: decoding.corpus_bleu([None], [[["a"]]]), ValueError, r"predictions\[0\]=None",
      id="dec-corpus-item-none"),
    C(lambda s: decoding.edit_distance(None, "ab"), ValueError, r"first=None", id="dec-edit-none"),
    # --- seq2seq ---
    C(lambda s: seq2seq.ids_to_tokens(np.array([[4, 5], [6, 3]]), VOCAB), ValueError, r"ids=.*1-D",
      id="s2s-ids-2d"),
    C(lambda s: seq2seq.ids_to_tokens([4.0, 5.0], VOCAB), ValueError, r"ids=", id="s2s-ids-float"),
    C(lambda s: seq2seq.ids_to_tokens(None, VOCAB), ValueError, r"ids=None", id="s2s-ids-none"),
    C(lambda s: seq2seq.ids_to_tokens([4, 5], {"a": 4}), ValueError, r"vocab=", id="s2s-ids-vocab"),
    C(lambda s: seq2seq.encode_pairs(None, [["a"]], VOCAB, VOCAB), ValueError, r"source_tokens=None",
      id="s2s-encode-none"),
    C(lambda s: seq2seq.encode_pairs(["a b"], [["a"]], VOCAB, VOCAB), ValueError, r"source_tokens\[0\]='a b'",
      id="s2s-encode-sentence"),
    C(lambda s: seq2seq.encode_pairs([["a"]], [["b"]], VOCAB, VOCAB, source_len=2.7), ValueError,
      r"source_len=2\.7", id="s2s-encode-source-len"),
    C(lambda s: seq2seq.encode_pairs([["a"]], [["b"]], VOCAB, VOCAB, target_len="3"), ValueError,
      r"target_len='3'", id="s2s-encode-target-len"),
    C(lambda s: seq2seq.encode_pairs([["a"]], [["b"]], VOCAB, VOCAB, source_padding=None), ValueError,
      r"source_padding=None", id="s2s-encode-padding"),
    C(lambda s: ARRAYS.subset([0, 2]), ValueError, r"indices=", id="s2s-subset-outside"),
    C(lambda s: ARRAYS.subset([True]), ValueError, r"indices=", id="s2s-subset-mask"),
    C(lambda s: list(seq2seq.length_batches(ARRAYS, 1, rng="x")), ValueError, r"rng='x'", id="s2s-batches-rng"),
    C(lambda s: list(seq2seq.length_batches(ARRAYS, "1")), ValueError, r"batch_size='1'", id="s2s-batches-size"),
    C(lambda s: seq2seq.split_indices(10, "0.2"), ValueError, r"test_fraction='0\.2'", id="s2s-split-fraction-str"),
    C(lambda s: seq2seq.split_indices(10, 0.0), ValueError, r"test_fraction=0\.0", id="s2s-split-fraction-zero"),
    C(lambda s: seq2seq.split_indices(10, 0.2, seed=-5), ValueError, r"seed=-5", id="s2s-split-seed"),
    C(lambda s: seq2seq.split_indices(10, 0.2, seed=0.5), ValueError, r"seed=0\.5", id="s2s-split-seed-float"),
    C(lambda s: seq2seq.split_by_group([["a"], ["b"]], 0.5), ValueError, r"keys=", id="s2s-group-unhashable"),
    C(lambda s: seq2seq.split_by_group(["a", "b"], None), ValueError, r"test_fraction=None", id="s2s-group-fraction"),
    C(lambda s: seq2seq.make_vocab(None), ValueError, r"token_lists", id="s2s-vocab-none"),
    C(lambda s: seq2seq.make_date_pairs(5, seed=-1), ValueError, r"seed=-1", id="s2s-dates-seed"),
    C(lambda s: seq2seq.make_date_pairs(5, start=date(2020, 1, 2), end=date(2020, 1, 1)), ValueError,
      r"start=.*end=", id="s2s-dates-range"),
    # --- datasets ---
    C(lambda s: (s.setenv("COURSE_DATA", "sometimes"), datasets.load_time_machine()), ValueError,
      r"COURSE_DATA='sometimes'", id="data-mode-setting"),
    C(lambda s: datasets.load_time_machine(mode=1), ValueError, r"mode=1", id="data-mode-int"),
    C(lambda s: (s.setenv("COURSE_DATA_DIR", str(s.file("f.txt"))), datasets.data_dir()), ValueError,
      r"COURSE_DATA_DIR=.*a file", id="data-dir-file"),
    C(lambda s: (s.setenv("KERAS_HOME", str(s.file("keras-home"))), datasets.cache_dir()), ValueError,
      r"KERAS_HOME=.*must be a folder.*file", id="data-keras-home-file"),
    C(lambda s: (s.setenv("KERAS_HOME", str(s.file("kh") / "inside")), datasets.standin_dir()), ValueError,
      r"KERAS_HOME=.*is a file", id="data-keras-home-inside-file"),
    C(lambda s: datasets.file_digest(s.tmp / "missing.txt", "sha1"), ValueError, r"path=.*no such file",
      id="data-digest-missing"),
    C(lambda s: datasets.file_digest(s.tmp, "sha1"), ValueError, r"path=.*folder", id="data-digest-folder"),
    C(lambda s: datasets.download_file(None, s.tmp / "x", timeout=1), ValueError, r"url=None", id="data-download-url"),
    C(lambda s: datasets.download_file("http://127.0.0.1/", None, timeout=1), ValueError, r"destination=None",
      id="data-download-destination"),
    C(lambda s: datasets.download_file("http://127.0.0.1/", s.tmp / "x", timeout="1"), ValueError, r"timeout='1'",
      id="data-download-timeout"),
    C(lambda s: datasets.load_imdb(num_words=2.5, mode="offline"), ValueError, r"num_words=2\.5", id="data-imdb-words"),
    C(lambda s: datasets.load_imdb(seed=2**40, mode="offline"), ValueError, r"seed=1099511627776",
      id="data-imdb-seed"),
    C(lambda s: datasets.load_imdb(oov_char="2", mode="offline"), ValueError, r"oov_char='2'", id="data-imdb-oov"),
    C(lambda s: datasets.prepare_imdb(None), ValueError, r"arrays=None", id="data-prepare-none"),
    C(lambda s: datasets.decode_review(None, {"a": 1}), ValueError, r"ids=None", id="data-decode-none"),
    C(lambda s: datasets.decode_review(["x"], {"a": 1}), ValueError, r"ids=", id="data-decode-strings"),
    C(lambda s: datasets.decode_review([4], {"a": 1}, oov_char=2.0), ValueError, r"oov_char=2\.0",
      id="data-decode-oov"),
    C(lambda s: datasets.load_translation_pairs(mode="offline", max_pairs="10"), ValueError, r"max_pairs='10'",
      id="data-pairs-max"),
    C(lambda s: datasets.parse_translation_pairs(None), ValueError, r"text", id="data-parse-none"),
    C(lambda s: (s.file("keras/datasets/course-standins/imdb_standin_word_index-v1.json", "{oops"),
                 datasets.load_imdb_word_index(mode="offline")), ValueError,
      r"imdb_standin_word_index-v1\.json is not valid JSON.*delete it", id="data-corrupt-word-index"),
    # --- standins ---
    C(lambda s: standins.make_english_like_process(vocab_size=10**5), ValueError, r"vocab_size=100000.*2000",
      id="standin-vocab-too-large"),
    C(lambda s: standins.make_english_like_corpus(1000, vocab_size=5000), ValueError, r"vocab_size=5000",
      id="standin-corpus-vocab-too-large"),
    C(lambda s: standins.make_english_like_process(zipf_exponent="1"), ValueError, r"zipf_exponent='1'",
      id="standin-zipf-str"),
    C(lambda s: standins.make_english_like_process(skew=None), ValueError, r"skew=None", id="standin-skew-none"),
    C(lambda s: standins.make_english_like_process(contrast=np.nan), ValueError, r"contrast=nan",
      id="standin-contrast-nan"),
    C(lambda s: standins.make_english_like_process(seed=2**32), ValueError, r"seed=4294967296",
      id="standin-seed-big"),
    C(lambda s: standins.make_english_like_corpus(n_chars="100"), ValueError, r"n_chars='100'",
      id="standin-corpus-chars"),
    C(lambda s: standins.make_english_like_process(vocab_size=20).sample_words(0), ValueError, r"n_words=0",
      id="standin-sample-words"),
    C(lambda s: standins.make_english_like_process(vocab_size=20).word_log2_probs(None), ValueError, r"words=None",
      id="standin-log2-none"),
    C(lambda s: standins.imdb_rule_label(None), ValueError, r"review=None", id="standin-rule-none"),
    C(lambda s: standins.imdb_bow_accuracy_bound(0.5), ValueError, r"label_noise=0\.5", id="standin-bound-half"),
    C(lambda s: standins.imdb_bow_accuracy_bound("0.1"), ValueError, r"label_noise='0\.1'", id="standin-bound-str"),
    C(lambda s: standins.make_imdb_standin(n_train=1), ValueError, r"n_train=1", id="standin-imdb-n"),
    C(lambda s: standins.write_imdb_standin(s.file("a-file"), 2, 2), ValueError, r"directory=.*file",
      id="standin-write-into-file"),
    C(lambda s: standins.write_imdb_standin_word_index(s.file("b-file")), ValueError, r"directory=.*file",
      id="standin-index-into-file"),
    C(lambda s: standins.read_imdb_standin_info(s.file("imdb_standin-x.npz")), ValueError,
      r"imdb_standin_info-x\.json.*missing.*generated again", id="standin-info-missing"),
    C(lambda s: (s.file("imdb_standin_info-y.json", "{"),
                 standins.read_imdb_standin_info(s.tmp / "imdb_standin-y.npz")),
      ValueError, r"imdb_standin_info-y\.json is not valid JSON.*delete it", id="standin-info-corrupt"),
    C(lambda s: standins.translate_to_standin(None), ValueError, r"english=None", id="standin-translate-none"),
    C(lambda s: standins.make_parallel_pairs(n_pairs=0.5), ValueError, r"n_pairs=0\.5", id="standin-pairs-n"),
    # --- plotting ---
    C(lambda s: plotting.plot_series(["a", "b"]), ValueError, r"series=", id="plot-series-str"),
    C(lambda s: plotting.plot_series(np.zeros(5), target=[0.1, 0.2], prediction=[0.1]), ValueError,
      r"prediction=", id="plot-series-prediction-length"),
    C(lambda s: plotting.plot_series(np.zeros(5), y_limits=(1.0, -1.0)), ValueError, r"y_limits=",
      id="plot-series-limits"),
    C(lambda s: plotting.plot_series(np.zeros(5), ax="left"), ValueError, r"ax='left'", id="plot-series-ax"),
    C(lambda s: plotting.plot_learning_curves({"loss": [0.1]}, metric="MSE", noise_floor=-1.0),
      ValueError, r"noise_floor=-1\.0",
      id="plot-curves-floor"),
    C(lambda s: plotting.plot_learning_curves({"loss": ["a"]}, metric="MSE"), ValueError, r"history\['loss'\]",
      id="plot-curves-loss-str"),
    C(lambda s: plotting.plot_learning_curves(None, metric="MSE"), ValueError, r"history", id="plot-curves-none"),
    C(lambda s: plotting.plot_k_step_predictions(np.arange(10.0), np.arange(9.0), {1: np.zeros(5)}, 2), ValueError,
      r"x=", id="plot-k-step-lengths"),
    C(lambda s: plotting.plot_k_step_predictions(np.arange(10.0), np.arange(10.0), {1: np.zeros(20)}, 2),
      ValueError, r"predictions\[1\]=", id="plot-k-step-too-long"),
    C(lambda s: plotting.plot_k_step_predictions(np.arange(10.0), np.arange(10.0), None, 2), ValueError,
      r"predictions=None", id="plot-k-step-none"),
    C(lambda s: plotting.plot_multi_step_forecasts(np.zeros(5), np.zeros(3), {"m": np.zeros(2)}), ValueError,
      r"forecasts\['m'\]=", id="plot-multi-length"),
    C(lambda s: plotting.plot_model_comparison({"m": "low"}), ValueError, r"scores\['m'\]='low'",
      id="plot-compare-str"),
    C(lambda s: plotting.plot_model_comparison([("m", 0.1)]), ValueError, r"scores=", id="plot-compare-list"),
    C(lambda s: plotting.plot_model_comparison({"m": 0.1}, noise_floor=0.0), ValueError, r"noise_floor=0\.0",
      id="plot-compare-floor"),
    # --- results ---
    C(lambda s: results.ResultsTable("01_sequence_models").add("linear_mse", 0.1, params="many"), ValueError,
      r"params='many'", id="results-params-str"),
    C(lambda s: results.ResultsTable("01_sequence_models").add("linear_mse", 0.1, seconds="fast"), ValueError,
      r"seconds='fast'", id="results-seconds-str"),
    C(lambda s: results.ResultsTable("01_sequence_models").add("linear_mse", 0.1, seconds=math.nan), ValueError,
      r"seconds=nan", id="results-seconds-nan"),
    C(lambda s: results.ResultsTable("01_sequence_models").add("linear_mse", 0.1, model=None), ValueError,
      r"model=None", id="results-model-none"),
    C(lambda s: results.ResultsTable("01_sequence_models").add("linear_mse", math.inf), ValueError,
      r"value=inf.*not finite", id="results-value-inf"),
    C(lambda s: results.ResultsTable(None), ValueError, r"notebook=None", id="results-notebook-none"),
    C(lambda s: (s.setenv("COURSE_RESULTS_DIR", str(s.file("results-file"))),
                 results.ResultsTable("01_sequence_models").add("linear_mse", 0.1)), ValueError,
      r"COURSE_RESULTS_DIR=.*file", id="results-dir-file"),
    # --- course ---
    C(lambda s: course.Target("equal", 0.1, tolerance=-0.1), ValueError, r"tolerance=-0\.1", id="course-tolerance"),
    C(lambda s: course.Target("equal", 0.1, tolerance="0.1"), ValueError, r"tolerance='0\.1'",
      id="course-tolerance-str"),
    C(lambda s: course.Target("max", None), ValueError, r"value=None", id="course-value-none"),
    C(lambda s: course.Target("within", -0.5, 0.1), ValueError, r"value=-0\.5.*'within'", id="course-within-negative"),
    C(lambda s: course.Target("max", 1.0, reference=3), ValueError, r"reference=3", id="course-reference"),
    C(lambda s: course.Target("max", 1.0).met("0.5"), ValueError, r"measured='0\.5'", id="course-met-str"),
    C(lambda s: course.Target("max", 1.0, reference="other").measure(0.5, None), ValueError, r"metrics=None",
      id="course-measure-metrics"),
    C(lambda s: course.targets_for("01_sequence_models", "naive_mse", "stand-in"), ValueError, r"data='stand-in'",
      id="course-targets-data"),
    C(lambda s: course.resolve_notebooks("01_sequence_models"), ValueError, r"names='01_sequence_models'",
      id="course-resolve-str"),
    C(lambda s: course.missing_real_files("imdb_reviews"), ValueError, r"dataset='imdb_reviews'",
      id="course-missing-dataset"),
    C(lambda s: course.notebook_datasets(s.tmp / "none.ipynb"), ValueError, r"'.*none\.ipynb' is not in course/catalog",
      id="course-datasets-path"),
    C(lambda s: course.run_notebook(write_notebook(s), course.Settings(results_dir=s.tmp), s.tmp, cell_timeout=-5),
      ValueError, r"cell_timeout=-5", id="course-run-timeout"),
    C(lambda s: course.write_report([], "slow", s.tmp), ValueError, r"profile='slow'", id="course-report-profile"),
    C(lambda s: course.write_report(None, "quick", s.tmp), ValueError, r"runs=None", id="course-report-runs"),
    C(lambda s: (s.file("offline.json", "{not json"), course.read_snapshot("offline", s.tmp)), ValueError,
      r"offline\.json is not valid JSON.*delete it", id="course-snapshot-corrupt"),
    C(lambda s: (s.file("real.json", "[1, 2]"), course.read_snapshot("real", s.tmp)), ValueError,
      r"real\.json does not hold a JSON object", id="course-snapshot-list"),
    C(lambda s: (s.setenv("COURSE_SEED", "x"), course.update_snapshot([], "offline", s.tmp)), ValueError,
      r"COURSE_SEED='x'", id="course-snapshot-seed"),
    # --- quotes ---
    C(lambda s: quotes.format_like("0.5", "0.50"), ValueError, r"value='0\.5'", id="quotes-format-value-str"),
    C(lambda s: quotes.format_like(0.5, None), ValueError, r"shown=None", id="quotes-format-shown"),
    C(lambda s: quotes.format_like(0.5, "0.5", unit=None), ValueError, r"unit=None", id="quotes-format-unit"),
    C(lambda s: quotes.parse_source(None), ValueError, r"text=None", id="quotes-parse-none"),
    C(lambda s: quotes.find_quotes(None), ValueError, r"text=None", id="quotes-find-none"),
    C(lambda s: quotes.check("lessons/01_sequence_models.md"), ValueError, r"paths='lessons", id="quotes-check-str"),
    C(lambda s: quotes.check([s.tmp / "missing.md"]), ValueError, r"missing\.md is not a file",
      id="quotes-check-missing"),
    C(lambda s: quotes.check([], snapshot_dir=s.file("snapshot-file")), ValueError, r"snapshot_dir=.*file",
      id="quotes-snapshot-file"),
    C(lambda s: quotes.update(None, snapshot_dir=s.file("snap")), ValueError, r"snapshot_dir=", id="quotes-update"),
    C(lambda s: quotes.unmarked_numbers(Path("README.md")), ValueError, r"paths=", id="quotes-unmarked-path"),
    C(lambda s: quotes.significant_digits(0.25), ValueError, r"number=0\.25", id="quotes-digits"),
    # --- notebooks ---
    C(lambda s: notebooks.colab_url(None), ValueError, r"notebook_name=None", id="nb-colab-none"),
    C(lambda s: notebooks.colab_url("01_sequence_models"), ValueError, r"notebook_name='01_sequence_models'",
      id="nb-colab-no-suffix"),
    C(lambda s: notebooks.colab_badge("notebooks/01_sequence_models.ipynb"), ValueError, r"notebook_name=",
      id="nb-badge-path"),
    C(lambda s: notebooks.cell_source(None), ValueError, r"cell=None", id="nb-cell-source"),
    C(lambda s: notebooks.find_setup_cell({"cells": None}), ValueError, r"notebook=", id="nb-setup-cells-none"),
    C(lambda s: notebooks.find_setup_cell({"cells": ["x"]}), ValueError, r"notebook\['cells'\]\[0\]='x'",
      id="nb-setup-cell-str"),
    C(lambda s: notebooks.sync_notebook(s.tmp / "missing.ipynb"), ValueError, r"path=.*no such file",
      id="nb-sync-missing"),
    C(lambda s: notebooks.strip_outputs(s.file("broken.ipynb", "{")), ValueError,
      r"broken\.ipynb is not a valid notebook \(Notebook does not appear to be JSON", id="nb-strip-corrupt"),
    C(lambda s: notebooks.warnings_in_outputs(None), ValueError, r"outputs=None", id="nb-warnings-none"),
    C(lambda s: notebooks.warnings_in_outputs(["text"]), ValueError, r"outputs\[0\]='text'", id="nb-warnings-str"),
    # --- student ---
    C(lambda s: student.cell_tags(None), ValueError, r"cell=None", id="student-tags-none"),
    C(lambda s: student.cell_tags({"cell_type": "code", "metadata": {"tags": "solution"}}), ValueError,
      r"tags'\]='solution'", id="student-tags-str"),
    C(lambda s: student.exercise_cells({"cells": 3}), ValueError, r"notebook=", id="student-exercises"),
    C(lambda s: student.student_edition([]), ValueError, r"notebook=\[\]", id="student-edition-list"),
    C(lambda s: student.write_student_edition(s.file("bad.ipynb", "{")), ValueError,
      r"bad\.ipynb is not a valid notebook", id="student-write-corrupt"),
    C(lambda s: student.write_student_edition(write_notebook(s), out_dir=s.file("out-file")), ValueError,
      r"out_dir=.*file", id="student-out-dir-file"),
    # --- checks (the shared module itself) ---
    C(lambda s: checks.check_number("temperature", -1.0, minimum=0, min_open=True), ValueError,
      r"^temperature=-1\.0 must be a finite number > 0\.$", id="checks-number-form"),
    C(lambda s: checks.check_int("n", np.True_), ValueError, r"n=np\.True_|n=True", id="checks-int-numpy-bool"),
    C(lambda s: checks.check_seed("seed", np.random.default_rng(0)), ValueError, r"seed=Generator",
      id="checks-seed-generator-not-allowed"),
    C(lambda s: checks.check_array("x", "abc", kind="number"), ValueError, r"x='abc'", id="checks-array-str"),
    C(lambda s: checks.check_same_shape("targets", np.zeros((3, 2)), "predictions", np.zeros((3, 1))), ValueError,
      r"targets=.*same shape as predictions.*broadcast", id="checks-same-shape"),
    C(lambda s: checks.check_ids("ids", [0, 10], 10), ValueError, r"ids=\[0, 10\].*from 0 to 9|ids=.*from 0 to 9",
      id="checks-ids"),
    C(lambda s: checks.check_id("bos_id", 10, 10), ValueError, r"bos_id=10", id="checks-id"),
    C(lambda s: checks.check_finite("loss", [1.0, math.inf]), ValueError, r"loss=\[1\.0, inf\] must be finite",
      id="checks-finite"),
    C(lambda s: checks.check_bool("verbose", 1), ValueError, r"verbose=1 must be True or False", id="checks-bool"),
    C(lambda s: checks.check_choice("level", "byte", ("word", "char")), ValueError, r"level='byte'.*'word', 'char'",
      id="checks-choice"),
    C(lambda s: checks.check_dir("COURSE_DATA_DIR", s.tmp / "nowhere"), ValueError,
      r"COURSE_DATA_DIR=.*no such folder", id="checks-dir-missing"),
    C(lambda s: checks.check_sequence("keys", 5), ValueError, r"keys=5", id="checks-sequence"),
    C(lambda s: checks.check_number("x", "y" * 500), ValueError, r"x='y+ \.\.\. y+'", id="checks-long-repr-shortened"),
]


@pytest.mark.parametrize(("call", "error", "pattern"), CASES)
def test_bad_input_fails_early_naming_the_argument(setting, call, error, pattern):
    with pytest.raises(error, match=pattern) as caught:
        call(setting)
    assert type(caught.value) is error or isinstance(caught.value, error)


def test_the_suite_is_large_and_covers_every_module():
    assert len(CASES) >= 150
    prefixes = {case.id.split("-")[0] for case in CASES}
    assert {"ts", "fit", "profile", "env", "gen", "charlm", "text", "dec", "s2s", "data", "standin", "plot",
            "results", "course", "quotes", "nb", "student", "checks"} <= prefixes


# ---------------------------------------------------------------------------------------------
# Settings on the command line and in files.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-5", "0", "1.5", "soon"])
def test_course_refuses_a_cell_timeout_that_is_not_a_positive_whole_number(value, capsys):
    with pytest.raises(SystemExit) as caught:
        course.main(["--cell-timeout", value, "01_sequence_models"])
    assert caught.value.code == 2
    assert "--cell-timeout" in capsys.readouterr().err


def test_course_refuses_a_bad_data_folder_setting(setting, capsys):
    setting.setenv("COURSE_DATA_DIR", str(setting.file("not-a-folder")))
    with pytest.raises(SystemExit):
        course.main(["01_sequence_models"])
    assert "COURSE_DATA_DIR" in capsys.readouterr().err


def test_a_corrupt_results_file_is_named_when_a_run_is_recorded(setting):
    raw = setting.tmp / "raw"
    raw.mkdir()
    (raw / "results.json").write_text("{oops")
    with pytest.raises(ValueError, match=r"results\.json is not valid JSON.*delete it"):
        course.write_report([course.NotebookRun("01_sequence_models", 1.0)], "quick", raw)


def test_a_corrupt_standin_npz_says_that_deleting_it_regenerates_it(setting):
    npz, _ = standins.write_imdb_standin(datasets.standin_dir(), 2, 2, datasets.IMDB_STANDIN_LABEL_NOISE,
                                         datasets.IMDB_STANDIN_SEED)
    corrupt = datasets.standin_dir() / npz.name.replace("-2x2-", f"-{datasets.IMDB_STANDIN_REVIEWS}x"
                                                        f"{datasets.IMDB_STANDIN_REVIEWS}-")
    corrupt.write_bytes(b"not a zip file")
    corrupt.with_name(corrupt.name.replace("imdb_standin-", "imdb_standin_info-")).with_suffix(".json").write_text(
        json.dumps({"label_noise": 0.05, "bayes_accuracy": 0.95, "bow_accuracy_bound": 0.8}))
    with pytest.raises(ValueError, match=r"not a readable IMDB \.npz.*delete it and it is generated again"):
        datasets.load_imdb(mode="offline")


# ---------------------------------------------------------------------------------------------
# Silent wrong results, now refused, and what still works.
# ---------------------------------------------------------------------------------------------


def test_least_squares_mse_refuses_targets_of_another_width_but_not_matching_ones():
    mse = ts.least_squares_linear_mse(AHEAD.train, AHEAD.valid)
    assert np.isfinite(mse) and mse >= 0
    wrong = ts.Split(AHEAD.valid.X, AHEAD.valid.y[:, :1])  # broadcasting (n, 3) against (n, 1)
    with pytest.raises(ValueError, match="valid"):
        ts.least_squares_linear_mse(AHEAD.train, wrong)


def test_greedy_search_stops_on_nan_instead_of_choosing_it():
    with pytest.raises(ValueError, match="NaN"):
        decoding.greedy_search(nan_step, STATE, **SEARCH)
    found = decoding.greedy_search(uniform_step, STATE, **SEARCH)
    assert [r.best.tokens for r in found] == [(0, 0, 0, 0), (0, 0, 0, 0)]


def test_a_bos_token_outside_the_output_vocabulary_stays_allowed():
    """Notebook 09's tiny decoder reads <bos> as an input token the output vocabulary lacks."""
    found = decoding.greedy_search(uniform_step, STATE, bos_id=4, eos_id=3, max_len=2)
    assert len(found) == 2 and found[0].best.tokens == (0, 0)


def test_slightly_positive_rounding_of_log_probabilities_is_accepted():
    def rounded_step(tokens, state):
        return np.tile([5e-8, -20.0, -20.0, -20.0], (len(tokens), 1)), state

    found = decoding.greedy_search(rounded_step, STATE, **SEARCH)
    assert found[0].best.log_prob > 0  # the sum of tiny rounding errors, not refused


def test_ids_to_tokens_keeps_reading_one_sequence():
    assert seq2seq.ids_to_tokens(np.array([4, 5, seq2seq.EOS_ID, 6]), VOCAB) == VOCAB.decode([4, 5])
    assert seq2seq.ids_to_tokens((), VOCAB) == []


def test_one_hot_keeps_ids_inside_the_vocabulary():
    import keras

    out = keras.ops.convert_to_numpy(charlm.OneHot(5)(np.array([[0, 4]])))
    assert out.shape == (1, 2, 5) and out[0, 1, 4] == 1 and out.sum() == 2


# ---------------------------------------------------------------------------------------------
# Valid edge cases: NumPy scalars, tiny temperatures.
# ---------------------------------------------------------------------------------------------

NUMPY_SCALAR_PAIRS = [
    pytest.param(lambda: generation.softmax(LOGITS, temperature=0.5),
                 lambda: generation.softmax(LOGITS, temperature=np.float32(0.5)), id="softmax-temperature"),
    pytest.param(lambda: generation.next_token_distribution(LOGITS, temperature=2, top_k=2),
                 lambda: generation.next_token_distribution(LOGITS, temperature=np.int64(2), top_k=np.int64(2)),
                 id="distribution-top-k"),
    pytest.param(lambda: ts.generate_two_sine_series(5, 10, seed=3),
                 lambda: ts.generate_two_sine_series(np.int64(5), np.int32(10), seed=np.uint8(3)), id="two-sine"),
    pytest.param(lambda: ts.generate_noisy_sine(20, noise_std=0.25, seed=1),
                 lambda: ts.generate_noisy_sine(np.int64(20), noise_std=np.float32(0.25), seed=np.int64(1)),
                 id="noisy-sine"),
    pytest.param(lambda: ts.long_lag_task(4, noise=2.0, seed=0),
                 lambda: ts.long_lag_task(np.int16(4), noise=np.float16(2.0), seed=np.int64(0)), id="long-lag"),
    pytest.param(lambda: seq2seq.split_indices(10, 0.25, seed=1),
                 lambda: seq2seq.split_indices(np.int64(10), np.float32(0.25), seed=np.int64(1)), id="split-indices"),
    pytest.param(lambda: standins.imdb_bow_accuracy_bound(0.25),
                 lambda: standins.imdb_bow_accuracy_bound(np.float32(0.25)), id="bow-bound"),
    pytest.param(lambda: standins.make_english_like_process(20, skew=0.5, contrast=0.25, zipf_exponent=1.0).words,
                 lambda: standins.make_english_like_process(
                     np.int64(20), skew=np.float32(0.5), contrast=np.float64(0.25), zipf_exponent=np.float32(1.0)
                 ).words, id="english-like-process"),
    pytest.param(lambda: decoding.length_normalized_score(-1.5, 3, 0.5),
                 lambda: decoding.length_normalized_score(np.float32(-1.5), np.int64(3), np.float32(0.5)),
                 id="length-normalized-score"),
    pytest.param(lambda: [r.best for r in decoding.beam_search(uniform_step, STATE, beam_size=2, **SEARCH)],
                 lambda: [r.best for r in decoding.beam_search(uniform_step, STATE, beam_size=np.int64(2),
                                                               bos_id=np.int64(0), eos_id=np.int32(3),
                                                               max_len=np.int64(4))], id="beam-search"),
    pytest.param(lambda: decoding.bleu("a b c d", "a b c e", k=2),
                 lambda: decoding.bleu("a b c d", "a b c e", k=np.int64(2)), id="bleu"),
    pytest.param(lambda: text.NgramModel(WORDS, order=2, epsilons=0.5).perplexity(WORDS),
                 lambda: text.NgramModel(WORDS, order=np.int64(2), epsilons=np.float32(0.5)).perplexity(WORDS),
                 id="ngram"),
    pytest.param(lambda: [X.tolist() for X, _ in text.sequential_batches(np.arange(50), 2, 5, offset=1)],
                 lambda: [X.tolist() for X, _ in text.sequential_batches(np.arange(50), np.int64(2), np.int8(5),
                                                                          offset=np.int64(1))], id="batches"),
    pytest.param(lambda: environment.course_seed(7), lambda: environment.course_seed(np.int64(7)), id="seed"),
    pytest.param(lambda: course.Target("within", 0.5, 0.25).describe(),
                 lambda: course.Target("within", np.float32(0.5), np.float32(0.25)).describe(), id="target"),
    pytest.param(lambda: quotes.format_like(0.5, "0.50"), lambda: quotes.format_like(np.float32(0.5), "0.50"),
                 id="format-like"),
    pytest.param(lambda: results.ResultsTable("01_sequence_models").add("linear_mse", 0.5, params=3, seconds=1.5),
                 lambda: results.ResultsTable("01_sequence_models").add(
                     "linear_mse", np.float32(0.5), params=np.int64(3), seconds=np.float32(1.5)), id="results-add"),
]


@pytest.mark.parametrize(("python", "numpy"), NUMPY_SCALAR_PAIRS)
def test_numpy_scalars_are_accepted_and_give_the_same_result(setting, python, numpy):
    expected, got = python(), numpy()
    if isinstance(expected, tuple) and expected and isinstance(expected[0], np.ndarray):
        for a, b in zip(expected, got):
            np.testing.assert_array_equal(a, b)
    elif isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(expected, got)
    else:
        assert expected == got


def test_results_table_records_numpy_params_as_plain_ints():
    table = results.ResultsTable("01_sequence_models")
    table.add("linear_mse", 0.5, params=np.int64(51), seconds=np.float32(2.0))
    table.add("naive_mse", 0.5, params=51.0)  # a whole number written as a float
    assert [type(row.params) for row in table.rows] == [int, int]
    assert type(table.rows[0].seconds) is float


@pytest.mark.parametrize("temperature", [1e-310, 5e-324, 1e-300, np.float64(1e-320)])
def test_a_tiny_temperature_behaves_like_greedy_not_nan(temperature):
    one_hot = np.eye(LOGITS.shape[-1])[generation.greedy(LOGITS)]
    for probabilities in (
        generation.softmax(LOGITS, temperature=temperature),
        generation.next_token_distribution(LOGITS, temperature=temperature),
        generation.next_token_distribution(LOGITS, temperature=temperature, top_k=2),
    ):
        assert not np.any(np.isnan(probabilities))
        np.testing.assert_array_equal(probabilities, one_hot)
    tokens, _ = generation.sample_next(LOGITS, np.random.default_rng(0), temperature=temperature)
    np.testing.assert_array_equal(tokens, generation.greedy(LOGITS))


def test_ordinary_temperatures_give_the_same_distribution_as_the_formula():
    for temperature in (0.1, 0.5, 1.0, 3.0):
        scaled = LOGITS / temperature
        weights = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
        np.testing.assert_array_equal(generation.softmax(LOGITS, temperature), weights / weights.sum(-1, keepdims=True))


def test_a_large_vocabulary_is_refused_before_any_work():
    limit = standins.MAX_ENGLISH_LIKE_VOCAB
    with pytest.raises(ValueError, match=rf"vocab_size=100000 must be an integer from 4 to {limit}"):
        standins.make_english_like_process(vocab_size=10**5)
    assert standins.make_english_like_process(vocab_size=50).vocab_size == 50


def test_seeds_follow_what_numpy_accepts():
    big = 2**70  # default_rng takes any integer >= 0
    assert text.random_batches(np.arange(100), 2, 5, rng=big) is not None
    assert len(seq2seq.split_indices(10, 0.2, seed=big)[1]) == 2
    assert checks.check_seed("seed", np.random.default_rng(1), allow_generator=True) is not None
    with pytest.raises(ValueError, match="seed=4294967296"):  # the legacy RandomState stops at 2**32 - 1
        standins.make_parallel_pairs(3, seed=2**32)
    assert len(standins.make_parallel_pairs(3, seed=2**32 - 1)) == 3


@pytest.mark.parametrize("raw", ["yes", "2", "true"])
def test_course_deterministic_setting_is_checked(monkeypatch, raw):
    monkeypatch.setenv(environment.DETERMINISTIC_ENV, raw)
    with pytest.raises(ValueError, match="COURSE_DETERMINISTIC"):
        environment.deterministic_ops()


@pytest.mark.parametrize(("raw", "expected"), [("", False), ("0", False), ("1", True)])
def test_course_deterministic_setting_values(monkeypatch, raw, expected):
    monkeypatch.setenv(environment.DETERMINISTIC_ENV, raw)
    assert environment.deterministic_ops() is expected


# ---------------------------------------------------------------------------------------------
# The examples of issue 27 ("bad input still passes silently or fails unclearly"): one test each.
# ---------------------------------------------------------------------------------------------


def test_split_series_refuses_nan_data():
    series = ts.generate_two_sine_series(20, 11, seed=0)
    series[3, 4, 0] = np.nan
    with pytest.raises(ValueError, match=r"series=<array of shape \(20, 11, 1\).*finite: no NaN"):
        ts.split_series(series, 10, sizes=(10, 5, 5))


def test_build_corpus_refuses_a_text_without_tokens():
    with pytest.raises(ValueError, match=r"text='' must be a text with at least one char token.*load_time_machine"):
        text.build_corpus("")
    with pytest.raises(ValueError, match=r"text='123 !!' must be a text with at least one word token"):
        text.build_corpus("123 !!", level="word")


@pytest.mark.parametrize("batches", [text.random_batches, text.sequential_batches])
def test_minibatches_refuse_negative_ids(batches):
    corpus = np.arange(100) % 7
    corpus[42] = -3
    with pytest.raises(ValueError, match=r"corpus holds the negative id -3 at position 42.*vocab\.encode"):
        batches(corpus, 2, 5, rng=0)


def test_load_imdb_refuses_skip_top_at_or_above_num_words(setting):
    with pytest.raises(ValueError, match=r"skip_top=10 must be below num_words=5; .*lower skip_top or raise num_words"):
        datasets.load_imdb(skip_top=10, num_words=5, mode="offline")
    with pytest.raises(ValueError, match=r"skip_top=5 must be below num_words=5"):
        datasets.prepare_imdb({"x_train": [], "y_train": [], "x_test": [], "y_test": []}, skip_top=5, num_words=5)


def test_greedy_search_refuses_a_bos_id_outside_the_vocabulary():
    with pytest.raises(ValueError, match=r"bos_id=9 must be at most 4, the step's 4 output tokens.*'<bos>'"):
        decoding.greedy_search(uniform_step, STATE, bos_id=9, eos_id=3, max_len=2)
    with pytest.raises(ValueError, match=r"bos_id=5 must be at most 4"):
        decoding.beam_search(uniform_step, STATE, bos_id=5, eos_id=3, max_len=2, beam_size=2)


def test_a_read_only_dataset_cache_is_an_os_error_saying_what_to_do(setting, monkeypatch):
    folder = datasets.cache_dir()
    folder.chmod(0o555)
    real_access = datasets.os.access  # as root, os.access says yes to any folder: answer as for a user
    monkeypatch.setattr(datasets.os, "access", lambda path, mode: real_access(path, mode) and Path(path) != folder
                        and folder not in Path(path).parents)
    try:
        with pytest.raises(PermissionError, match=r"datasets/course-standins cannot be written.*KERAS_HOME='.*keras'"
                                                  r".*make it writable, or set KERAS_HOME"):
            datasets.load_imdb(mode="offline", standin_reviews=4)
    finally:
        folder.chmod(0o755)


def test_vocab_lookup_of_a_list_is_a_value_error_pointing_to_encode():
    vocab = text.Vocab(WORDS)
    with pytest.raises(ValueError, match=r"token=\['the'\] must be one token \(a str\); for a list .*vocab\.encode"):
        vocab[["the"]]
    assert vocab["the"] == vocab.encode(["the"])[0], "one token still looks up as before"


def test_prepare_imdb_refuses_fewer_labels_than_reviews():
    reviews = np.empty(3, dtype=object)
    reviews[:] = [[1, 2], [3], [4, 5, 6]]
    arrays = {"x_train": reviews, "y_train": np.array([0, 1]), "x_test": reviews, "y_test": np.array([0, 1, 1])}
    with pytest.raises(ValueError, match=r"arrays\['y_train'\] has shape \(2,\) for 3 reviews.*one label per review"):
        datasets.prepare_imdb(arrays)


def test_fit_timed_refuses_validation_data_shaped_unlike_the_training_data():
    X, y = np.zeros((8, 50, 1)), np.zeros((8, 1))
    windows = FakeModel([1.0])
    windows.input_shape = (None, 50, 1)  # keras.Input(shape=(50, 1))
    with pytest.raises(ValueError, match=r"validation_data's X has samples of shape \(20, 1\), unlike the model's "
                                         r"input \(50, 1\).*prepare the validation data"):
        training.fit_timed(windows, X, y, 1, validation_data=(np.zeros((4, 20, 1)), np.zeros((4, 1))))
    with pytest.raises(ValueError, match=r"validation_data's X has samples of shape \(50, 2\), unlike the training X"):
        training.fit_timed(FakeModel([1.0]), X, y, 1, validation_data=(np.zeros((4, 50, 2)), np.zeros((4, 1))))
    with pytest.raises(ValueError, match=r"validation_data's y has samples of shape \(10,\), unlike the training y"):
        training.fit_timed(FakeModel([1.0]), X, y, 1, validation_data=(np.zeros((4, 50, 1)), np.zeros((4, 10))))
    language_model = FakeModel([1.0])
    language_model.input_shape = (None, None)  # keras.Input(shape=(None,)): windows of any length
    run = training.fit_timed(language_model, np.zeros((8, 100)), np.zeros((8, 100)), 1,
                             validation_data=(np.zeros((2, 1000)), np.zeros((2, 1000))))
    assert run.curves == {"loss": [1.0]}, "a language model may validate on rows longer than its training windows"
    run = training.fit_timed(FakeModel([1.0]), X, y, 1, validation_data=(np.zeros((4, 50, 1)), np.zeros(4)))
    assert run.curves == {"loss": [1.0]}, "targets of shape (n,) and (n, 1) are the same to Keras, and accepted"
