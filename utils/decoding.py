"""Decoding a sequence model, and scoring what it writes: greedy, exhaustive and beam search; BLEU.

**The step-function protocol.** A model that writes tokens (notebook 09's encoder-decoder, the
character language models of notebook 06, any conditional language model) is seen by the course's
helpers only through a *step function*. This module defines it, in two forms.

The *token form* (:data:`StepFunction`), which the searches here call::

    log_probs, new_state = step(last_tokens, state)

``last_tokens`` is an int array ``(n,)`` with the token each of ``n`` hypotheses ended with (the
beginning-of-sequence token at the first step), ``state`` whatever the decoder carries from one
step to the next, and ``log_probs`` a float array ``(n, vocab_size)`` of the natural-log
probabilities of the next token. A state is a NumPy array whose first axis has one row per
hypothesis, or a tuple / list of such arrays (a hidden state and the encoder's outputs, say): the
searches reorder those rows when hypotheses are extended, dropped or copied.

The *window form* of a language model (:data:`LogitsStepFunction`), which :mod:`utils.charlm`
reads text with (held-out perplexity, a window of many tokens per call)::

    logits, state = step(X, state)

``X`` is a ``(batch, steps)`` array of token ids, ``state`` whatever the model carries from one
call to the next (an array, or a list of arrays for an LSTM), and ``logits`` has shape
``(batch, steps, vocab_size)``: the unnormalized scores of the next token at every position.
:func:`log_prob_step` turns a window step into a token step (windows of one token, a log-softmax
of the logits), so every search here runs on a language model too;
:func:`utils.charlm.greedy_continuation` is :func:`greedy_search` on it.

All three searches take a batch of ``B`` independent inputs at once (``B`` rows in the initial
state) and return one :class:`SearchResult` per input. A hypothesis is complete when it ends with
the end-of-sequence token or reaches ``max_len`` tokens (``eos_id=None``: a language model with
no end token, whose outputs all have ``max_len`` tokens). Candidates are compared by the
length-normalized score of Dive into Deep Learning (section "Beam Search")

    ``score = log P(y_1, ..., y_L) / L ** alpha``

where ``L`` counts the tokens including the end-of-sequence token; ``alpha = 0`` compares raw
probabilities, which favour short outputs.

:func:`corpus_bleu` is BLEU as papers and libraries report it (Papineni et al., 2002): corpus-level
BLEU-4, uniform weights, several references per sentence, equal to nltk's ``corpus_bleu``.
:func:`bleu` is a named variant, "d2l's BLEU": one sentence, one reference, weights ``1 / 2 ** n``
(which give the longer n-grams *less* say), no smoothing; :func:`mean_bleu` averages it.
:func:`edit_distance` is the Levenshtein distance between two token sequences.
Everything is plain NumPy and Python, so it is quick to test.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from utils.checks import check_array, check_callable, check_finite, check_int, check_number, check_sequence, fail

__all__ = [
    "Hypothesis",
    "SearchResult",
    "beam_search",
    "bleu",
    "corpus_bleu",
    "edit_distance",
    "exhaustive_search",
    "greedy_search",
    "length_normalized_score",
    "log_prob_step",
    "mean_bleu",
    "take_rows",
]

#: A decoder state: one array, or a tuple / list of arrays, each with one row per hypothesis.
State = np.ndarray | tuple | list
#: The token form: ``step(last_tokens (n,), state) -> (log_probs (n, vocab_size), new_state)``.
StepFunction = Callable[[np.ndarray, Any], tuple[np.ndarray, Any]]
#: The window form of a language model: ``step(X (batch, steps), state) -> (logits (batch, steps, vocab_size), state)``.
LogitsStepFunction = Callable[[np.ndarray, Any], tuple[Any, Any]]

#: Exhaustive search refuses to score more candidate extensions than this by default.
MAX_EXHAUSTIVE_EXTENSIONS = 2_000_000


# ---------------------------------------------------------------------------------------------
# Hypotheses, scores and argument checks.
# ---------------------------------------------------------------------------------------------


def length_normalized_score(log_prob: float, length: int, alpha: float = 0.75) -> float:
    """``log_prob / length ** alpha``: d2l's score for comparing output sequences of different lengths.

    Args:
        log_prob: the natural log of the sequence's probability (``<= 0``).
        length: its number of tokens, the end-of-sequence token included (``>= 1``).
        alpha: the length penalty exponent (``>= 0``; 0 compares raw probabilities, d2l uses 0.75).
    """
    length = _check_int("length", length, 1)
    alpha = _check_alpha(alpha)
    log_prob = check_number("log_prob", log_prob, finite=False)
    if log_prob > 1e-6 * length:  # a little rounding above 0 is fine, a positive log-probability is not
        raise fail("log_prob", log_prob, "a natural-log probability <= 0", "-inf for an impossible sequence")
    return log_prob / length**alpha


@dataclass(frozen=True)
class Hypothesis:
    """One output sequence and how likely the model finds it.

    Attributes:
        tokens: the token ids, without the beginning-of-sequence token; they end with the
            end-of-sequence token unless the search stopped at ``max_len``.
        log_prob: natural log of the sequence's probability under the model.
        score: :func:`length_normalized_score` of it with the search's ``alpha``.
    """

    tokens: tuple[int, ...]
    log_prob: float
    score: float

    @property
    def probability(self) -> float:
        """``exp(log_prob)``."""
        return math.exp(self.log_prob)

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass
class SearchResult:
    """What a search returns for one input.

    Attributes:
        best: the complete hypothesis with the highest score.
        candidates: every complete hypothesis the search kept, best first.
        extensions_scored: how many (prefix, next token) probabilities the search looked at: the
            step function's rows times the vocabulary size, summed over the steps (for a batch, the
            rows of this input only). Greedy search scores ``|V|`` per step, beam search up to
            ``beam_size * |V|``, exhaustive search about ``|V| ** max_len`` in all.
    """

    best: Hypothesis
    candidates: list[Hypothesis] = field(repr=False)
    extensions_scored: int


def _check_int(name: str, value: object, minimum: int) -> int:
    return check_int(name, value, minimum=minimum)


def _check_alpha(alpha: object) -> float:
    return check_number("alpha", alpha, minimum=0)


def _rows(state: State) -> int:
    """Number of rows of a state (the first axis of each of its arrays, which must agree)."""
    parts = state if isinstance(state, (tuple, list)) else (state,)
    if len(parts) == 0:
        raise ValueError("state=() holds no arrays; pass an array or a tuple of arrays with one row per input.")
    counts = set()
    for part in parts:
        if not hasattr(part, "shape") or len(part.shape) == 0:
            raise ValueError(f"state contains {type(part).__name__} {part!r}; each part must be an array with an axis.")
        counts.add(int(part.shape[0]))
    if len(counts) != 1:
        raise ValueError(f"state's arrays have different numbers of rows {sorted(counts)}; they must agree.")
    return counts.pop()


def take_rows(state: State, rows: np.ndarray) -> State:
    """The state's rows ``rows`` (in that order, repeats allowed), for every array of the state."""
    n = _rows(state)
    rows = check_array("rows", rows, ndim=1, kind="integer").astype(np.int64)
    if rows.size and (rows.min() < -n or rows.max() >= n):
        bad = int(rows.max()) if rows.max() >= n else int(rows.min())
        raise fail("rows", rows, f"row numbers of the state, from 0 to {n - 1}", f"it holds {bad}")
    if isinstance(state, (tuple, list)):
        return type(state)(np.take(np.asarray(part), rows, axis=0) for part in state)
    return np.take(np.asarray(state), rows, axis=0)


def _check_search_arguments(step, state, bos_id, eos_id, max_len) -> tuple[int, int, int | None, int]:
    if not callable(step):
        raise ValueError(f"step={step!r} must be a function (last_tokens, state) -> (log_probs, new_state).")
    n = _rows(state)
    if n < 1:
        raise ValueError("state has 0 rows; give one row per input.")
    bos_id = _check_int("bos_id", bos_id, 0)
    eos_id = check_int("eos_id", eos_id, minimum=0, allow_none=True, hint="None: no end-of-sequence token")
    max_len = _check_int("max_len", max_len, 1)
    return n, bos_id, eos_id, max_len


def _call_step(step: StepFunction, tokens: np.ndarray, state: State, eos_id: int | None) -> tuple[np.ndarray, State]:
    outcome = step(tokens, state)
    if not isinstance(outcome, (tuple, list)) or len(outcome) != 2:
        raise fail("step(last_tokens, state)", outcome, "a pair (log_probs, new_state)")
    log_probs, new_state = outcome
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.ndim != 2 or log_probs.shape[0] != len(tokens):
        raise ValueError(
            f"step returned log_probs of shape {log_probs.shape}; expected ({len(tokens)}, vocab_size)."
        )
    if eos_id is not None and not eos_id < log_probs.shape[1]:
        raise ValueError(f"eos_id={eos_id} is outside the step's vocabulary of {log_probs.shape[1]} tokens.")
    # Only bos_id can be fed beyond the outputs: a decoder's inputs are its outputs, plus at most a <bos> after them.
    if tokens.size and tokens.max() > log_probs.shape[1]:
        raise fail("bos_id", int(tokens.max()), f"at most {log_probs.shape[1]}, the step's {log_probs.shape[1]} output "
                   "tokens (or the one input token after them)", "pass the id of the target vocabulary's '<bos>'")
    if not np.all(log_probs <= 1e-6):  # one pass over the scores finds NaN and positive values alike
        if np.any(np.isnan(log_probs)):
            raise ValueError("step returned NaN log-probabilities; the decoder's scores are broken (diverged?).")
        raise ValueError("step returned positive log-probabilities; return log(softmax), not logits or probabilities.")
    with np.errstate(divide="ignore"):  # logits passed off as log-probabilities show in any row: a few suffice
        totals = np.log(np.exp(log_probs[:8]).sum(axis=1))
    if np.any(totals > 1e-3):
        row = int(np.argmax(totals))
        raise ValueError(
            f"step returned log-probabilities whose probabilities sum to {math.exp(totals[row]):.4f} > 1 "
            f"(row {row}); return log(softmax(logits)), not logits."
        )
    rows = _rows(new_state)
    if rows != len(tokens):
        raise ValueError(
            f"step returned a state with {rows} rows for {len(tokens)} hypotheses; each array of the new state "
            "needs one row per row of last_tokens."
        )
    return log_probs, new_state


def _top_k(values: np.ndarray, k: int) -> np.ndarray:
    """The column indices of the ``k`` largest values of each row, largest first, ties in column order.

    The same as ``np.argsort(-values, axis=1, kind="stable")[:, :k]`` on the finite values, but
    linear in the row length (a partition instead of a sort): beam search calls it on rows of
    ``beam_size * vocab_size`` values at every step. Past a row's finite values the indices are
    arbitrary (the searches stop at the first non-finite one).
    """
    if k >= values.shape[1]:
        return np.argsort(-values, axis=1, kind="stable")[:, :k]
    kth_largest = np.partition(values, -k, axis=1)[:, -k]
    top = np.empty((len(values), k), dtype=np.int64)
    for row, (row_values, threshold) in enumerate(zip(values, kth_largest, strict=True)):
        if not np.isfinite(threshold):
            # fewer than k finite values: keep those, fill up with the others
            candidates = np.flatnonzero(np.isfinite(row_values))
        else:
            candidates = np.flatnonzero(row_values >= threshold)  # k or more (ties)
        candidates = candidates[np.argsort(-row_values[candidates], kind="stable")][:k]
        if len(candidates) < k:
            rest = np.setdiff1d(np.arange(values.shape[1]), candidates)[: k - len(candidates)]
            candidates = np.concatenate([candidates, rest])
        top[row] = candidates
    return top


def _finish(candidates: list[Hypothesis], extensions: int) -> SearchResult:
    ranked = sorted(candidates, key=lambda h: -h.score)  # stable: ties keep the order of discovery
    return SearchResult(best=ranked[0], candidates=ranked, extensions_scored=extensions)


# ---------------------------------------------------------------------------------------------
# A language model's window step as a token step.
# ---------------------------------------------------------------------------------------------


def log_prob_step(step: LogitsStepFunction) -> StepFunction:
    """The token form of a language model's window step (see the module docstring): the adapter.

    Each call feeds ``last_tokens`` to ``step`` as a window of one token per row, ``X =
    last_tokens[:, None]`` as int32 (the shape and type a compiled step function is traced for),
    and returns the log-softmax of that position's logits, in float64, with the model's new
    state unchanged. A log-softmax subtracts the same number from every score of a row, so the
    tokens keep the order of their logits (up to float64 rounding, which could only tie two
    logits less than about 1e-15 apart): greedy search picks the token with the largest logit.

    Args:
        step: ``logits, state = step(X, state)`` with ``logits`` of shape ``(batch, steps, vocab_size)``
            (a tensor or an array).

    Returns:
        ``log_probs, state = token_step(last_tokens, state)`` for the searches of this module. It
        raises ``ValueError`` for logits of another shape than ``(n, 1, vocab_size)`` or with a NaN
        or an infinite score.
    """
    step = check_callable("step", step, "a function (X, state) -> (logits, state)")

    def token_step(last_tokens: np.ndarray, state: Any) -> tuple[np.ndarray, Any]:
        X = np.asarray(last_tokens).astype(np.int32)[:, None]
        outcome = step(X, state)
        if not isinstance(outcome, (tuple, list)) or len(outcome) != 2:
            raise fail("step(X, state)", outcome, "a pair (logits, state)")
        logits, new_state = outcome
        logits = np.asarray(logits, dtype=np.float64)
        if logits.ndim != 3 or logits.shape[:2] != X.shape:
            raise ValueError(f"step returned logits of shape {logits.shape}; expected {X.shape} + (vocab_size,).")
        check_finite("logits", logits, "a NaN or an infinite score means the model diverged")
        shifted = logits[:, 0] - logits[:, 0].max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)), new_state

    return token_step


# ---------------------------------------------------------------------------------------------
# The three searches.
# ---------------------------------------------------------------------------------------------


def greedy_search(
    step: StepFunction, state: State, *, bos_id: int, eos_id: int | None, max_len: int, alpha: float = 0.0
) -> list[SearchResult]:
    """Pick the most probable token at every step, for a batch of inputs at once.

    Args:
        step: the decoder's step function (see the module docstring).
        state: the initial decoder state, one row per input.
        bos_id, eos_id: the beginning- and end-of-sequence tokens; ``eos_id=None`` means there is
            none (a language model continuing a text), so every output has ``max_len`` tokens.
        max_len: the longest output, in tokens (the end-of-sequence token included).
        alpha: only used for the reported ``score`` (greedy search never compares sequences).

    Returns:
        one :class:`SearchResult` per row of ``state`` (its only candidate is the greedy output).
    """
    n, bos_id, eos_id, max_len = _check_search_arguments(step, state, bos_id, eos_id, max_len)
    alpha = _check_alpha(alpha)
    tokens = np.full(n, bos_id, dtype=np.int64)
    outputs: list[list[int]] = [[] for _ in range(n)]
    log_prob = np.zeros(n)
    done = np.zeros(n, dtype=bool)
    extensions = np.zeros(n, dtype=np.int64)
    for _ in range(max_len):
        log_probs, state = _call_step(step, tokens, state, eos_id)
        extensions[~done] += log_probs.shape[1]
        tokens = np.argmax(log_probs, axis=1)
        for row in np.flatnonzero(~done):
            outputs[row].append(int(tokens[row]))
            log_prob[row] += log_probs[row, tokens[row]]
        if eos_id is not None:
            done |= tokens == eos_id
        if done.all():
            break
    results = []
    for row in range(n):
        hypothesis = Hypothesis(
            tuple(outputs[row]), float(log_prob[row]), length_normalized_score(log_prob[row], len(outputs[row]), alpha)
        )
        results.append(SearchResult(best=hypothesis, candidates=[hypothesis], extensions_scored=int(extensions[row])))
    return results


def beam_search(
    step: StepFunction,
    state: State,
    *,
    bos_id: int,
    eos_id: int | None,
    max_len: int,
    beam_size: int,
    alpha: float = 0.75,
) -> list[SearchResult]:
    """Beam search as d2l describes it, for a batch of inputs at once.

    At each step every live hypothesis is extended by every token, and the ``beam_size`` most
    probable extensions are kept. Those that end with ``eos_id`` (or reach ``max_len`` tokens) are
    complete and leave the beam; the others are extended at the next step. The search stops when
    no hypothesis is live. The answer is the complete hypothesis with the best
    :func:`length_normalized_score`. With ``beam_size=1`` this is exactly greedy search.

    The batch runs with a fixed ``B * beam_size`` rows (a dropped hypothesis leaves a dead row that
    is still computed but never chosen), so a compiled step function sees one shape.

    Args:
        step: the decoder's step function (see the module docstring).
        state: the initial decoder state, one row per input.
        bos_id, eos_id: the beginning- and end-of-sequence tokens (``eos_id=None``: none, as in
            :func:`greedy_search`).
        max_len: the longest output, in tokens (the end-of-sequence token included).
        beam_size: ``k``, the number of hypotheses kept per step (``>= 1``).
        alpha: the length-penalty exponent of the final choice (0.75 in d2l).

    Returns:
        one :class:`SearchResult` per row of ``state``.
    """
    n, bos_id, eos_id, max_len = _check_search_arguments(step, state, bos_id, eos_id, max_len)
    k = _check_int("beam_size", beam_size, 1)
    alpha = _check_alpha(alpha)
    state = take_rows(state, np.repeat(np.arange(n), k))  # k rows per input
    beam_log_prob = np.full((n, k), -np.inf)
    beam_log_prob[:, 0] = 0.0  # one live hypothesis (the empty one) per input at the start
    beam_tokens: list[list[list[int]]] = [[[] for _ in range(k)] for _ in range(n)]
    tokens = np.full(n * k, bos_id, dtype=np.int64)
    complete: list[list[Hypothesis]] = [[] for _ in range(n)]
    extensions = np.zeros(n, dtype=np.int64)
    for t in range(max_len):
        log_probs, state = _call_step(step, tokens, state, eos_id)
        vocab_size = log_probs.shape[1]
        extensions += np.isfinite(beam_log_prob).sum(axis=1) * vocab_size
        total = (beam_log_prob[:, :, None] + log_probs.reshape(n, k, vocab_size)).reshape(n, k * vocab_size)
        order = _top_k(total, k)
        new_log_prob = np.full((n, k), -np.inf)
        new_tokens: list[list[list[int]]] = [[[] for _ in range(k)] for _ in range(n)]
        parents = np.tile(np.arange(k), (n, 1))  # dead rows keep any parent
        for b in range(n):
            slot = 0
            for flat in order[b]:
                value = total[b, flat]
                if not np.isfinite(value):
                    break
                parent, token = divmod(int(flat), vocab_size)
                sequence = [*beam_tokens[b][parent], token]
                if token == eos_id or t == max_len - 1:
                    complete[b].append(
                        Hypothesis(tuple(sequence), float(value), length_normalized_score(value, len(sequence), alpha))
                    )
                else:
                    new_log_prob[b, slot], new_tokens[b][slot], parents[b, slot] = value, sequence, parent
                    slot += 1
        beam_log_prob, beam_tokens = new_log_prob, new_tokens
        if not np.isfinite(beam_log_prob).any():
            break
        rows = (np.arange(n)[:, None] * k + parents).reshape(-1)
        state = take_rows(state, rows)
        tokens = np.array([seq[-1] if seq else bos_id for beams in beam_tokens for seq in beams], dtype=np.int64)
    return [_finish(complete[b], int(extensions[b])) for b in range(n)]


def exhaustive_search(
    step: StepFunction,
    state: State,
    *,
    bos_id: int,
    eos_id: int | None,
    max_len: int,
    alpha: float = 0.0,
    max_extensions: int = MAX_EXHAUSTIVE_EXTENSIONS,
) -> SearchResult:
    """Score every possible output sequence of one input and return the best: exact, and exponential.

    Every prefix is extended by every token; a sequence is complete when it ends with ``eos_id``
    or has ``max_len`` tokens. With a vocabulary of ``V`` tokens there are
    ``sum_{t < max_len} (V - 1) ** t`` prefixes to extend, about ``V ** max_len`` extensions.

    Args:
        step: the decoder's step function (see the module docstring).
        state: the initial decoder state of ONE input (one row).
        bos_id, eos_id: the beginning- and end-of-sequence tokens (``eos_id=None``: none, as in
            :func:`greedy_search`).
        max_len: the longest output, in tokens.
        alpha: the length-penalty exponent used to rank the complete sequences (0: raw probability).
        max_extensions: refuse (``ValueError``) when the search would score more extensions.

    Returns:
        a :class:`SearchResult` whose ``candidates`` are all complete sequences, best first.
    """
    n, bos_id, eos_id, max_len = _check_search_arguments(step, state, bos_id, eos_id, max_len)
    if n != 1:
        raise ValueError(f"state has {n} rows; exhaustive search takes one input (one row) at a time.")
    alpha = _check_alpha(alpha)
    max_extensions = _check_int("max_extensions", max_extensions, 1)
    prefixes: list[list[int]] = [[]]
    prefix_log_prob = np.zeros(1)
    tokens = np.array([bos_id], dtype=np.int64)
    complete: list[Hypothesis] = []
    extensions = vocab_size = 0
    for t in range(max_len):
        if vocab_size and extensions + len(prefixes) * vocab_size > max_extensions:
            raise ValueError(
                f"exhaustive search would score more than max_extensions={max_extensions} extensions "
                f"(vocabulary {vocab_size}, max_len={max_len}); use a smaller max_len or vocabulary."
            )
        log_probs, state = _call_step(step, tokens, state, eos_id)
        vocab_size = log_probs.shape[1]
        extensions += len(prefixes) * vocab_size
        total = prefix_log_prob[:, None] + log_probs
        live_rows, live_tokens = [], []
        for row, prefix in enumerate(prefixes):
            for token in range(vocab_size):
                sequence = [*prefix, token]
                value = float(total[row, token])
                if token == eos_id or t == max_len - 1:
                    score = length_normalized_score(value, len(sequence), alpha)
                    complete.append(Hypothesis(tuple(sequence), value, score))
                else:
                    live_rows.append(row)
                    live_tokens.append(token)
        if not live_rows:
            break
        state = take_rows(state, np.array(live_rows))
        prefixes = [[*prefixes[r], tok] for r, tok in zip(live_rows, live_tokens, strict=True)]
        prefix_log_prob = total[live_rows, live_tokens]
        tokens = np.array(live_tokens, dtype=np.int64)
    return _finish(complete, extensions)


# ---------------------------------------------------------------------------------------------
# BLEU.
# ---------------------------------------------------------------------------------------------


def _as_tokens(name: str, value: Sequence | str) -> list:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if not isinstance(value, Sequence):
        raise ValueError(f"{name}={value!r} must be a string or a sequence of tokens.")
    return list(value)


def bleu(prediction: Sequence | str, reference: Sequence | str, k: int = 4) -> float:
    """d2l's BLEU: one prediction against one reference, as Dive into Deep Learning defines it.

    ``exp(min(0, 1 - len_ref / len_pred)) * prod_{n=1}^{k} p_n ** (1 / 2 ** n)``

    where ``p_n`` is the clipped n-gram precision: the number of the prediction's n-grams that
    match one in the reference (each reference n-gram used at most as often as it occurs there),
    divided by the prediction's number of n-grams. The first factor is the brevity penalty. In
    logs the score is ``sum_n 2 ** -n log p_n`` (plus the penalty): the weights halve with every
    order, so the longer n-grams count *less* than in the standard BLEU's uniform ``1 / k``. As
    in d2l, orders longer than the prediction are skipped (``n`` runs to ``min(k, len_pred)``),
    and there is no smoothing: a prediction without a single matching n-gram of some order scores 0.

    This is a named variant for reproducing d2l's figures; the BLEU that papers report is
    :func:`corpus_bleu`.

    Args:
        prediction: the predicted tokens (a list, or a string split on whitespace). An empty
            prediction scores 0.
        reference: the reference tokens (not empty).
        k: the longest n-gram order (``>= 1``; d2l uses 2 in its examples, the course 4).

    Returns:
        a number in [0, 1]; 1 exactly when the prediction equals the reference.
    """
    predicted = _as_tokens("prediction", prediction)
    target = _as_tokens("reference", reference)
    k = _check_int("k", k, 1)
    if not target:
        raise ValueError(f"reference={reference!r} is empty; BLEU needs at least one reference token.")
    if not predicted:
        return 0.0
    len_pred, len_ref = len(predicted), len(target)
    score = math.exp(min(0.0, 1.0 - len_ref / len_pred))
    for n in range(1, min(k, len_pred) + 1):
        available = collections.Counter(tuple(target[i : i + n]) for i in range(len_ref - n + 1))
        matches = 0
        for i in range(len_pred - n + 1):
            gram = tuple(predicted[i : i + n])
            if available[gram] > 0:
                matches += 1
                available[gram] -= 1
        score *= (matches / (len_pred - n + 1)) ** (0.5**n)
    return score


def mean_bleu(predictions: Sequence, references: Sequence, k: int = 4) -> float:
    """The average of d2l's :func:`bleu` over pairs of predictions and references (one reference each).

    Not the BLEU papers report (that is :func:`corpus_bleu`): an average of sentence scores lets
    every short sentence weigh as much as a long one.
    """
    if isinstance(predictions, str) or isinstance(references, str):
        raise ValueError("predictions and references must be lists of sentences, not one string.")
    predictions = check_sequence("predictions", predictions, expected="a list of sentences")
    references = check_sequence("references", references, expected="a list of sentences")
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions but {len(references)} references; they must match.")
    if len(predictions) == 0:
        raise ValueError("predictions is empty; there is nothing to score.")
    return float(np.mean([bleu(p, r, k) for p, r in zip(predictions, references, strict=True)]))


def _token_list(name: str, value: object) -> list:
    """A token sequence as a list; a string is refused (is it one sentence or a list of words?)."""
    if isinstance(value, str):
        raise ValueError(
            f"{name}={value!r} is a string; corpus_bleu takes token lists, e.g. {value.split()!r} (use .split())."
        )
    if isinstance(value, np.ndarray):
        return value.tolist()
    if not isinstance(value, Sequence):
        raise ValueError(f"{name}={value!r} must be a sequence of tokens.")
    return list(value)


def _ngram_counts(tokens: list, n: int) -> collections.Counter:
    return collections.Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(predictions: Sequence, references_list: Sequence, max_n: int = 4) -> float:
    """Corpus BLEU (Papineni et al., 2002): the BLEU papers report, with several references per sentence.

    ``BLEU = BP * exp(sum_{n=1}^{max_n} (1 / max_n) * log p_n)``, where

    * ``p_n`` is the corpus's clipped n-gram precision: for each prediction, each of its n-grams
      matches at most as often as it occurs in the reference that has it most often; the matches
      are summed over the corpus and divided by the corpus's number of predicted n-grams;
    * ``BP = min(1, exp(1 - r / c))`` is the brevity penalty, with ``c`` the total length of the
      predictions and ``r`` the sum, over the sentences, of the reference length closest to the
      prediction's length (on a tie, the shorter reference).

    Equal to ``nltk.translate.bleu_score.corpus_bleu(references_list, predictions)`` (default
    weights, no smoothing), including two of its conventions: a prediction shorter than ``n``
    tokens still counts one ``n``-gram slot in the denominator, a slot it cannot fill (sacreBLEU
    counts none: on corpora of very short sentences the two differ, and here a perfect
    three-token prediction alone scores 0); and without any match of some order the score is 0.

    Args:
        predictions: one token list per sentence (any hashable tokens: words or ids). A string is
            refused, so that a sentence is never mistaken for a list of words: split it first.
        references_list: for each prediction, a non-empty list of reference token lists.
        max_n: the longest n-gram order (``>= 1``; BLEU-4 is the standard).

    Returns:
        a number in [0, 1].
    """
    if isinstance(predictions, str) or not isinstance(predictions, Sequence):
        raise ValueError("predictions must be a list of token lists, one per sentence.")
    if isinstance(references_list, str) or not isinstance(references_list, Sequence):
        raise ValueError("references_list must be a list with a list of references per prediction.")
    if len(predictions) != len(references_list):
        raise ValueError(
            f"{len(predictions)} predictions but {len(references_list)} lists of references; they must match."
        )
    if len(predictions) == 0:
        raise ValueError("predictions is empty; there is nothing to score.")
    max_n = _check_int("max_n", max_n, 1)
    matches, totals = [0] * max_n, [0] * max_n
    predicted_length = reference_length = 0
    for i, (prediction, references) in enumerate(zip(predictions, references_list, strict=True)):
        predicted = _token_list(f"predictions[{i}]", prediction)
        if isinstance(references, str) or not isinstance(references, Sequence) or len(references) == 0:
            raise ValueError(f"references_list[{i}]={references!r} must be a non-empty list of reference token lists.")
        targets = [_token_list(f"references_list[{i}][{j}]", r) for j, r in enumerate(references)]
        if any(len(target) == 0 for target in targets):
            raise ValueError(f"references_list[{i}] holds an empty reference; every reference needs a token.")
        for n in range(1, max_n + 1):
            counts = _ngram_counts(predicted, n)
            most_in_a_reference = collections.Counter()
            for target in targets:
                most_in_a_reference |= _ngram_counts(target, n)  # | keeps the larger count of each n-gram
            matches[n - 1] += sum(min(count, most_in_a_reference[gram]) for gram, count in counts.items())
            totals[n - 1] += max(1, sum(counts.values()))
        predicted_length += len(predicted)
        reference_length += min((len(t) for t in targets), key=lambda length: (abs(length - len(predicted)), length))
    if predicted_length == 0 or min(matches) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals, strict=True)) / max_n
    log_brevity = min(0.0, 1.0 - reference_length / predicted_length)
    return math.exp(log_brevity + log_precision)


def edit_distance(first: Sequence, second: Sequence) -> int:
    """The Levenshtein distance: the fewest insertions, deletions and substitutions of single
    tokens that turn ``first`` into ``second`` (any token sequences; strings compare characters).
    """
    for name, value in (("first", first), ("second", second)):
        if not isinstance(value, (Sequence, np.ndarray)):
            raise ValueError(f"{name}={value!r} must be a sequence of tokens.")
    first, second = list(first), list(second)
    previous = list(range(len(second) + 1))  # distances from first[:0] to each prefix of second
    for i, token in enumerate(first, start=1):
        current = [i]
        for j, other in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (token != other)))
        previous = current
    return previous[-1]
