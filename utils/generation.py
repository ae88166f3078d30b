"""Sampling from a language model's next-token scores: greedy, temperature and top-k, and the
entropy of what was sampled.

Notebook 08 trains a character language model whose last layer outputs *logits* (unnormalized
scores, one per vocabulary entry) and generates text one token at a time. These helpers turn a
batch of logits into the distribution a sampler draws from and draw from it reproducibly::

    from utils import generation
    rng = np.random.default_rng(0)
    probabilities = generation.next_token_distribution(logits, temperature=0.5, top_k=5)
    tokens = generation.sample(probabilities, rng)        # one token id per row
    generation.entropy_bits(probabilities)                 # the uncertainty of each draw, in bits

``temperature=0`` is greedy decoding (the limit of ``softmax(z / T)`` as ``T`` goes to 0: all the
probability on the highest score). A logit of ``-inf`` bans a token: it gets probability 0 under
every rule (a generator sets the logit of ``<unk>`` to ``-inf``, say). Everything here is NumPy,
so it is quick to test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from utils.checks import check_array, check_int, check_number, fail

__all__ = [
    "entropy_bits",
    "greedy",
    "known_word_rate",
    "next_token_distribution",
    "sample",
    "sample_next",
    "softmax",
]


def _as_logits(logits: object) -> np.ndarray:
    values = check_array("logits", logits, kind="number").astype(np.float64)
    if values.ndim not in (1, 2) or values.shape[-1] < 1:
        raise ValueError(f"logits must have shape (vocab,) or (batch, vocab), got shape {values.shape}.")
    if np.any(np.isnan(values)) or np.any(values == np.inf):
        raise ValueError("logits must be numbers or -inf (no NaN, no +inf).")
    if not np.all(np.isfinite(values).any(axis=-1)):
        raise ValueError("logits: every row needs at least one finite score (all -inf bans every token).")
    return values


def _check_temperature(temperature: object) -> float:
    return check_number("temperature", temperature, minimum=0, hint="0 means greedy")


def _check_top_k(top_k: object, vocab_size: int) -> int | None:
    return check_int("top_k", top_k, minimum=1, maximum=vocab_size, allow_none=True, hint="at most the vocabulary size")


def _scaled(values: np.ndarray, temperature: float) -> np.ndarray:
    """``values / temperature`` shifted so that each row's maximum is 0 (``-inf`` stays ``-inf``).

    A temperature so small that ``values / temperature`` overflows (1e-310, say) would give
    ``inf - inf = NaN``; there the maximum is taken off first, which leaves the best score at 0 and
    sends the others to ``-inf``: the greedy limit, as it should be.
    """
    with np.errstate(over="ignore"):
        scaled = values / temperature
    top = scaled.max(axis=-1, keepdims=True)
    if np.all(np.isfinite(top)):
        return scaled - top
    with np.errstate(over="ignore"):
        return (values - values.max(axis=-1, keepdims=True)) / temperature


def softmax(logits: Sequence[float] | np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """``softmax(logits / temperature)`` along the last axis, computed without overflow.

    Args:
        logits: scores of shape ``(vocab,)`` or ``(batch, vocab)``; ``-inf`` gives probability 0.
        temperature: a number > 0. Below 1 it sharpens the distribution, above 1 it flattens it.

    Returns:
        probabilities of the same shape, each row summing to 1.
    """
    values = _as_logits(logits)
    temperature = _check_temperature(temperature)
    if temperature == 0:
        raise ValueError("temperature=0 has no softmax; it is greedy decoding (see next_token_distribution).")
    weights = np.exp(_scaled(values, temperature))
    return weights / weights.sum(axis=-1, keepdims=True)


def greedy(logits: Sequence[float] | np.ndarray) -> np.ndarray:
    """The id of the highest score in each row (the first one on a tie), as ``int64``."""
    return np.argmax(_as_logits(logits), axis=-1).astype(np.int64)


def next_token_distribution(
    logits: Sequence[float] | np.ndarray, temperature: float = 1.0, top_k: int | None = None
) -> np.ndarray:
    """The distribution a sampler draws the next token from.

    First only the ``top_k`` highest scores of each row are kept (the others get probability 0),
    then ``softmax(logits / temperature)`` is taken over them. ``temperature=0`` puts all the
    probability on the highest score: greedy decoding, whatever ``top_k`` is.

    Args:
        logits: scores of shape ``(vocab,)`` or ``(batch, vocab)``.
        temperature: a number >= 0.
        top_k: ``None`` (keep every token) or how many of the best tokens to keep.

    Returns:
        probabilities of the same shape as ``logits``.
    """
    values = _as_logits(logits)
    temperature = _check_temperature(temperature)
    top_k = _check_top_k(top_k, values.shape[-1])
    if temperature == 0:
        choice = greedy(values)
        return np.eye(values.shape[-1])[choice]
    if top_k is not None and top_k < values.shape[-1]:
        # Ranks by a stable sort, so that ties at the boundary keep the lower ids (as greedy does).
        order = np.argsort(-values, axis=-1, kind="stable")
        keep = np.zeros(values.shape, dtype=bool)
        np.put_along_axis(keep, order[..., :top_k], True, axis=-1)
        values = np.where(keep, values, -np.inf)
        weights = np.exp(_scaled(values, temperature))  # exp(-inf) = 0 for the dropped tokens
        return weights / weights.sum(axis=-1, keepdims=True)
    return softmax(values, temperature)


def _as_probabilities(probabilities: object) -> np.ndarray:
    values = check_array("probabilities", probabilities, kind="number").astype(np.float64)
    if values.ndim not in (1, 2) or values.shape[-1] < 1:
        raise ValueError(f"probabilities must have shape (vocab,) or (batch, vocab), got shape {values.shape}.")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("probabilities must be finite and >= 0.")
    if not np.allclose(values.sum(axis=-1), 1.0, atol=1e-6):
        raise ValueError("probabilities must sum to 1 along the last axis.")
    return values


def sample(probabilities: Sequence[float] | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one token id per row by inverting the cumulative distribution with ``rng.random()``.

    Each row consumes exactly one uniform number, so two generators that compute the same
    probabilities and share a seed draw the same tokens.

    Args:
        probabilities: shape ``(vocab,)`` or ``(batch, vocab)``, each row summing to 1.
        rng: a NumPy ``Generator``.

    Returns:
        an ``int64`` array of shape ``()`` or ``(batch,)``.
    """
    values = _as_probabilities(probabilities)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng={rng!r} must be a numpy.random.Generator (np.random.default_rng(seed)).")
    rows = values.reshape(-1, values.shape[-1])
    cumulative = np.cumsum(rows, axis=-1)
    uniforms = rng.random(len(rows)) * cumulative[:, -1]
    # The first id whose cumulative probability exceeds u. Its probability is > 0, since the
    # cumulative sum rose there, so an id of probability 0 is never chosen.
    chosen = (cumulative <= uniforms[:, None]).sum(axis=-1)
    return chosen.astype(np.int64).reshape(values.shape[:-1])


def sample_next(
    logits: Sequence[float] | np.ndarray,
    rng: np.random.Generator,
    temperature: float = 1.0,
    top_k: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`next_token_distribution` then :func:`sample`: ``(token ids, the distribution used)``.

    The distribution is returned so that the caller can measure its entropy.
    """
    probabilities = next_token_distribution(logits, temperature=temperature, top_k=top_k)
    return sample(probabilities, rng), probabilities


def entropy_bits(probabilities: Sequence[float] | np.ndarray) -> np.ndarray:
    """Shannon entropy ``-sum p log2 p`` of each row, in bits (``0 log 0`` counts as 0).

    A one-hot row has entropy 0; a uniform row over ``k`` tokens has entropy ``log2 k``.
    """
    values = _as_probabilities(probabilities)
    logs = np.log2(np.where(values > 0, values, 1.0))
    return -(values * logs).sum(axis=-1)


def known_word_rate(generated: str, known_words: Iterable[str]) -> float:
    """The share of the words in ``generated`` (split on whitespace) that are in ``known_words``.

    A character model spells its words itself; this measures how often it spells a real one.
    """
    if not isinstance(generated, str):
        raise ValueError(f"generated must be a str, got {type(generated).__name__}.")
    if isinstance(known_words, str):
        raise ValueError("known_words is one string; pass a collection of words (a set, a Vocab's tokens, ...).")
    if known_words is None or not hasattr(known_words, "__iter__"):
        raise fail("known_words", known_words, "a collection of words (a set, a list, a Vocab's tokens)")
    known = set(known_words)
    words = generated.split()
    if not words:
        raise ValueError("generated contains no words.")
    return sum(word in known for word in words) / len(words)
