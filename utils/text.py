"""Text helpers for the language notebooks: tokens, vocabularies, language-model minibatches,
n-gram models with Laplace smoothing, perplexity and byte pair encoding.

Notebook 05 builds each idea step by step and then uses these versions; notebooks 06-09 use them
directly::

    from utils import text
    ids, vocab = text.build_corpus(corpus.text, level="char")       # preprocess, tokenize, index
    for X, Y in text.sequential_batches(ids, batch_size=32, num_steps=35, rng=rng):
        ...                                                          # Y is X shifted by one step

Everything here is plain Python and NumPy (no TensorFlow), so it is quick to test.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from utils.checks import check_array, check_int, check_seed, check_sequence, fail

__all__ = [
    "UNK",
    "NgramModel",
    "Vocab",
    "bpe_encode",
    "build_corpus",
    "count_ngrams",
    "learn_bpe",
    "merge_pair",
    "pair_counts",
    "perplexity",
    "preprocess",
    "random_batches",
    "sequential_batches",
    "tokenize",
]

#: The token that stands for every word (or character) outside the vocabulary; its index is 0.
UNK = "<unk>"

_NON_LETTERS = re.compile(r"[^A-Za-z]+")

# ---------------------------------------------------------------------------------------------
# Preprocessing and tokenization.
# ---------------------------------------------------------------------------------------------


def preprocess(text: str) -> str:
    """Keep letters only, in lower case: every run of other characters becomes one space.

    This is the simple cleaning that d2l applies to *The Time Machine* (punctuation, digits and
    line breaks all become spaces), so the result is lower-case words separated by single spaces.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}.")
    return _NON_LETTERS.sub(" ", text).lower().strip()


def tokenize(text: str, level: str = "word") -> list[str]:
    """Split a text into tokens: ``level="word"`` splits on whitespace, ``"char"`` gives characters.

    Character tokens include the spaces, so ``"".join(tokenize(t, "char")) == t``.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}.")
    if level == "word":
        return text.split()
    if level == "char":
        return list(text)
    raise ValueError(f"level={level!r} must be 'word' or 'char'.")


# ---------------------------------------------------------------------------------------------
# Vocabulary.
# ---------------------------------------------------------------------------------------------


class Vocab:
    """A mapping between tokens and integer ids, most frequent tokens first.

    Index 0 is the unknown token :data:`UNK`, then come the ``reserved_tokens`` (such as
    ``"<pad>"``, ``"<bos>"``, ``"<eos>"``) in the order given, then every token that occurs at
    least ``min_freq`` times, by decreasing count (ties in alphabetical order). Tokens seen fewer
    than ``min_freq`` times, and tokens never seen, map to index 0.

    Attributes:
        idx_to_token: the tokens by id.
        token_to_idx: the ids by token.
        counts: how often each token occurred (all tokens, also those below ``min_freq``).
        min_freq: the threshold used.

    Args:
        tokens: the tokens to count, flat (``["the", "time", ...]``) or as a list of token lists.
        min_freq: minimum count for a token to get its own id (at least 1).
        reserved_tokens: tokens that get an id whatever their count.
    """

    unk = 0
    unk_token = UNK

    def __init__(
        self,
        tokens: Iterable[str] | Iterable[Sequence[str]] = (),
        min_freq: int = 1,
        reserved_tokens: Sequence[str] = (),
    ):
        min_freq = check_int("min_freq", min_freq, minimum=1)
        if isinstance(reserved_tokens, str):
            raise ValueError(f"reserved_tokens={reserved_tokens!r} must be a list of tokens, not one string.")
        reserved = check_sequence("reserved_tokens", reserved_tokens, expected="a list of tokens")
        for token in reserved:
            if not isinstance(token, str) or token == UNK:
                raise ValueError(f"reserved_tokens contains {token!r}; each must be a str other than {UNK!r}.")
        if len(set(reserved)) != len(reserved):
            raise ValueError(f"reserved_tokens={reserved!r} has duplicates.")
        self.counts: Counter[str] = Counter(_flatten_tokens(tokens))
        self.min_freq = int(min_freq)
        kept = [t for t, n in self.counts.items() if n >= self.min_freq and t != UNK and t not in reserved]
        kept.sort(key=lambda t: (-self.counts[t], t))
        self.idx_to_token: list[str] = [UNK, *reserved, *kept]
        self.token_to_idx: dict[str, int] = {t: i for i, t in enumerate(self.idx_to_token)}

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __contains__(self, token: object) -> bool:
        return token in self.token_to_idx

    def __getitem__(self, token: str) -> int:
        """The id of one token (0 for an unknown one)."""
        if not isinstance(token, str):
            raise fail("token", token, "one token (a str)", "for a list of tokens use vocab.encode(tokens)")
        return self.token_to_idx.get(token, self.unk)

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """The ids of a sequence of tokens, as an ``int64`` array (unknown tokens give 0)."""
        if isinstance(tokens, str):
            raise ValueError(f"tokens={tokens[:20]!r} is one string; pass a list of tokens (see tokenize).")
        _check_iterable("tokens", tokens)
        get = self.token_to_idx.get
        return np.fromiter((get(t, 0) for t in tokens), dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> list[str]:
        """The tokens of a sequence of ids.

        Raises:
            ValueError: for an id outside ``0 .. len(self) - 1``.
        """
        tokens = []
        for i in np.asarray(ids).reshape(-1).tolist():
            if not (isinstance(i, int) and 0 <= i < len(self.idx_to_token)):
                raise ValueError(f"id {i!r} is not in the vocabulary (ids run from 0 to {len(self) - 1}).")
            tokens.append(self.idx_to_token[i])
        return tokens

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self.idx_to_token[:8])
        more = ", ..." if len(self) > 8 else ""
        return f"Vocab({len(self)} tokens, min_freq={self.min_freq}: {shown}{more})"


def _check_iterable(name: str, value: object) -> None:
    if value is None or not hasattr(value, "__iter__") or isinstance(value, (bytes, Mapping)):
        raise fail(name, value, "a list of tokens (see tokenize)")


def _flatten_tokens(tokens: Iterable) -> Iterator[str]:
    if isinstance(tokens, str):
        raise ValueError(f"tokens={tokens[:20]!r} is one string; pass a list of tokens (see tokenize).")
    _check_iterable("tokens", tokens)
    for item in tokens:
        if isinstance(item, str):
            yield item
        elif isinstance(item, (list, tuple)):
            for token in item:
                if not isinstance(token, str):
                    raise ValueError(f"tokens must be strings, got {token!r} ({type(token).__name__}).")
                yield token
        else:
            raise ValueError(f"tokens must be strings or lists of strings, got {item!r} ({type(item).__name__}).")


def build_corpus(
    text: str, level: str = "char", min_freq: int = 1, max_tokens: int | None = None
) -> tuple[np.ndarray, Vocab]:
    """Raw text to token ids in one call: :func:`preprocess`, :func:`tokenize`, :class:`Vocab`.

    Args:
        text: the raw text (for example ``load_time_machine().text``).
        level: ``"char"`` or ``"word"``.
        min_freq: passed to :class:`Vocab`.
        max_tokens: keep only the first ``max_tokens`` tokens (all if ``None``).

    Returns:
        ``(ids, vocab)``: the ids as an ``int64`` array and the vocabulary built on them.
    """
    max_tokens = check_int("max_tokens", max_tokens, minimum=1, allow_none=True)
    tokens = tokenize(preprocess(text), level)
    if max_tokens is not None:
        tokens = tokens[:max_tokens]
    if not tokens:
        raise fail("text", text, f"a text with at least one {level} token (letters, after preprocess)",
                   "pass the dataset's text, e.g. load_time_machine().text")
    vocab = Vocab(tokens, min_freq=min_freq)
    return vocab.encode(tokens), vocab


# ---------------------------------------------------------------------------------------------
# Minibatches for language models.
# ---------------------------------------------------------------------------------------------


def _check_batch_arguments(corpus, batch_size, num_steps, offset, rng) -> tuple[np.ndarray, int, np.random.Generator]:
    batch_size = check_int("batch_size", batch_size, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    rng = check_seed("rng", rng, allow_generator=True)
    if corpus is None or isinstance(corpus, (str, bytes)):
        raise fail("corpus", corpus, "a 1-D sequence of integer ids")
    ids = np.asarray(corpus)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"corpus must be a 1-D sequence of integer ids, got shape {ids.shape} and dtype {ids.dtype}.")
    if ids.size and ids.min() < 0:
        raise ValueError(f"corpus holds the negative id {int(ids.min())} at position {int(ids.argmin())}; token ids "
                         "are 0 or more: pass the ids vocab.encode gives.")
    needed = (batch_size + 1) * num_steps
    if len(ids) < needed:
        raise ValueError(
            f"corpus has {len(ids)} ids, too few for batch_size={batch_size} and num_steps={num_steps}: "
            f"one batch at any offset needs (batch_size + 1) * num_steps = {needed}."
        )
    generator = np.random.default_rng(rng)
    if offset is None:
        offset = int(generator.integers(num_steps))
    else:
        offset = check_int("offset", offset, minimum=0, maximum=num_steps - 1, hint=f"below num_steps={num_steps}")
    return ids, int(offset), generator


def random_batches(
    corpus: Sequence[int] | np.ndarray,
    batch_size: int,
    num_steps: int,
    *,
    rng: np.random.Generator | int | None = None,
    offset: int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Minibatches of subsequences drawn in random order (random partitioning).

    The corpus is cut, after a random offset of ``0 .. num_steps - 1`` tokens, into non-overlapping
    pieces of ``num_steps`` ids; the pieces are shuffled and grouped ``batch_size`` at a time (an
    incomplete last group is dropped). Each target ``Y`` is its input ``X`` shifted one step ahead.
    Neighbouring rows of consecutive batches are unrelated, so a model must start each batch from
    a fresh state.

    Args:
        corpus: the token ids.
        batch_size, num_steps: the shape ``(batch_size, num_steps)`` of each ``X`` and ``Y``.
        rng: a NumPy ``Generator`` (pass the same one every epoch to get new offsets and orders),
            a seed, or ``None`` for fresh randomness.
        offset: fix the offset instead of drawing it.

    Returns:
        an iterator over ``(X, Y)`` pairs of ``int64`` arrays.
    """
    ids, offset, generator = _check_batch_arguments(corpus, batch_size, num_steps, offset, rng)
    n_pieces = (len(ids) - offset - 1) // num_steps
    starts = offset + num_steps * generator.permutation(n_pieces)

    def batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        window = np.arange(num_steps)
        for first in range(0, n_pieces - batch_size + 1, batch_size):
            rows = starts[first : first + batch_size, None] + window
            yield ids[rows].astype(np.int64), ids[rows + 1].astype(np.int64)

    return batches()


def sequential_batches(corpus: Sequence[int] | np.ndarray, batch_size: int, num_steps: int, *,
                       rng: np.random.Generator | int | None = None,
                       offset: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Minibatches in which row ``i`` of each batch continues row ``i`` of the batch before.

    After a random offset, the corpus is split into ``batch_size`` equal contiguous streams, one
    per row; batch ``b`` holds steps ``b * num_steps .. (b + 1) * num_steps - 1`` of every stream.
    Because each row picks up exactly where it stopped, a recurrent model can carry its hidden
    state from one batch to the next (truncated backpropagation through time).

    Args and returns: as for :func:`random_batches`.
    """
    ids, offset, _ = _check_batch_arguments(corpus, batch_size, num_steps, offset, rng)
    stream_length = (len(ids) - offset - 1) // batch_size
    used = stream_length * batch_size
    inputs = ids[offset : offset + used].reshape(batch_size, stream_length).astype(np.int64)
    targets = ids[offset + 1 : offset + 1 + used].reshape(batch_size, stream_length).astype(np.int64)

    def batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, stream_length - num_steps + 1, num_steps):
            yield inputs[:, start : start + num_steps], targets[:, start : start + num_steps]

    return batches()


# ---------------------------------------------------------------------------------------------
# n-gram language models.
# ---------------------------------------------------------------------------------------------


def count_ngrams(tokens: Sequence[Hashable], n: int) -> Counter[tuple]:
    """How often each run of ``n`` consecutive tokens occurs, keyed by tuples of tokens."""
    n = check_int("n", n, minimum=1)
    if isinstance(tokens, str):
        raise ValueError(f"tokens={tokens[:20]!r} is one string; pass a list of tokens (see tokenize).")
    _check_iterable("tokens", tokens)
    tokens = list(tokens)
    return Counter(zip(*(tokens[i:] for i in range(n))))


class NgramModel:
    """An n-gram language model with the lectures' interpolated Laplace smoothing.

    With ``n`` training tokens, ``m`` types (``vocab_size``) and counts ``n(...)``:

    * unigram: ``p(w) = (n(w) + eps_1 / m) / (n + eps_1)``;
    * bigram: ``p(w' | w) = (n(w, w') + eps_2 p(w')) / (n(w, .) + eps_2)``;
    * trigram: ``p(w'' | w, w') = (n(w, w', w'') + eps_3 p(w'' | w')) / (n(w, w', .) + eps_3)``;

    and so on for higher orders: each level is pulled towards the level below with the weight of
    ``eps_k`` pseudo-observations. ``n(w, .)`` counts ``w`` as the *start* of a pair (and
    ``n(w, w', .)`` as the start of a triple), so every conditional distribution sums to one over
    the ``m`` types. A context never seen in training falls back to the level below. At the start
    of a sequence, the first tokens use the shorter contexts available.

    Args:
        tokens: the training tokens (strings or ids; anything hashable).
        order: ``n`` of the n-gram (1 = unigram, 2 = bigram, ...).
        epsilons: ``eps_1 .. eps_order``, one number for all levels or one per level (each > 0).
        vocab_size: ``m``; by default the number of distinct training tokens. Pass ``len(vocab)``
            when the test text may hold types (such as an unknown token) unseen in training.

    Attributes:
        counts: ``counts[k]`` counts the ``(k + 1)``-grams of the training tokens.
        context_counts: ``context_counts[k]`` counts the ``k``-token contexts that start a
            ``(k + 1)``-gram (``context_counts[0]`` has the empty context: ``n``).
    """

    def __init__(
        self,
        tokens: Sequence[Hashable],
        order: int,
        epsilons: float | Sequence[float] = 1.0,
        vocab_size: int | None = None,
    ):
        self.order = check_int("order", order, minimum=1)
        if isinstance(epsilons, (int, float, np.floating, np.integer)) and not isinstance(epsilons, bool):
            epsilons = [float(epsilons)] * self.order
        if epsilons is None or isinstance(epsilons, str) or not hasattr(epsilons, "__iter__"):
            raise fail("epsilons", epsilons, f"one positive number or {self.order} of them")
        epsilons = list(epsilons)
        if len(epsilons) != self.order or not all(_is_positive_number(e) for e in epsilons):
            raise ValueError(f"epsilons={epsilons!r} must be one positive number or {self.order} of them.")
        self.epsilons = tuple(float(e) for e in epsilons)
        if isinstance(tokens, str):
            raise ValueError(f"tokens={tokens[:20]!r} is one string; pass a list of tokens (see tokenize).")
        _check_iterable("tokens", tokens)
        tokens = list(tokens)
        if len(tokens) < self.order:
            raise ValueError(f"tokens has {len(tokens)} items, fewer than order={self.order}.")
        self.counts = [count_ngrams(tokens, k + 1) for k in range(self.order)]
        self.context_counts: list[Counter[tuple]] = [Counter({(): len(tokens)})]
        for k in range(1, self.order):
            contexts: Counter[tuple] = Counter()
            for gram, count in self.counts[k].items():
                contexts[gram[:-1]] += count
            self.context_counts.append(contexts)
        n_types = len(self.counts[0])
        if vocab_size is None:
            vocab_size = n_types
        self.vocab_size = check_int(
            "vocab_size", vocab_size, minimum=n_types, hint=f"at least the {n_types} distinct training tokens"
        )
        self.n_tokens = len(tokens)

    def prob(self, token: Hashable, context: Sequence[Hashable] = ()) -> float:
        """``p(token | context)``, using at most the last ``order - 1`` tokens of ``context``."""
        if isinstance(context, str) and len(context) > 1:
            raise fail("context", context, "a sequence of tokens", "a string of several characters is ambiguous")
        _check_iterable("context", context)
        context = tuple(context)[-(self.order - 1) :] if self.order > 1 else ()
        eps = self.epsilons
        p = (self.counts[0][(token,)] + eps[0] / self.vocab_size) / (self.n_tokens + eps[0])
        for k in range(1, len(context) + 1):
            history = context[-k:]
            p = (self.counts[k][(*history, token)] + eps[k] * p) / (self.context_counts[k][history] + eps[k])
        return p

    def log2_probs(self, tokens: Sequence[Hashable]) -> np.ndarray:
        """``log2 p(token_t | the tokens before it)`` for every position of ``tokens``."""
        if isinstance(tokens, str):
            raise ValueError(f"tokens={tokens[:20]!r} is one string; pass a list of tokens (see tokenize).")
        _check_iterable("tokens", tokens)
        tokens = list(tokens)
        width = self.order - 1
        return np.array(
            [math.log2(self.prob(token, tokens[max(0, t - width) : t])) for t, token in enumerate(tokens)]
        )

    def perplexity(self, tokens: Sequence[Hashable]) -> float:
        """Perplexity of the model on ``tokens``: ``2 ** (-mean log2 p)``."""
        return perplexity(self.log2_probs(tokens))

    def __repr__(self) -> str:
        return f"NgramModel(order={self.order}, epsilons={self.epsilons}, vocab_size={self.vocab_size})"


def _is_positive_number(value: object) -> bool:
    return (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def perplexity(log2_probs: Sequence[float] | np.ndarray) -> float:
    """``2 ** (-mean(log2_probs))``: the exponentiated average surprise per token.

    Equal to ``exp(-mean(ln p))``; a model that spreads its bet evenly over ``k`` tokens at
    every step has perplexity ``k``.
    """
    values = check_array("log2_probs", log2_probs, kind="number").astype(float).reshape(-1)
    if values.size == 0:
        raise ValueError("log2_probs is empty; perplexity needs at least one token.")
    if np.any(np.isnan(values)) or np.any(values > 0):
        raise ValueError("log2_probs must be log2-probabilities: numbers <= 0 (no NaN).")
    return float(2.0 ** (-values.mean()))


# ---------------------------------------------------------------------------------------------
# Byte pair encoding.
# ---------------------------------------------------------------------------------------------


def merge_pair(symbols: Sequence[str], pair: tuple[str, str]) -> tuple[str, ...]:
    """Replace every occurrence of ``pair`` in ``symbols`` by the joined symbol, left to right.

    ``merge_pair(("l", "o", "w"), ("l", "o")) == ("lo", "w")``.
    """
    if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
        raise ValueError(f"pair={pair!r} must be a tuple of two strings.")
    symbols = check_sequence("symbols", symbols, allow_str=True, expected="a sequence of symbols (strings)")
    first, second = pair
    merged: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == first and symbols[i + 1] == second:
            merged.append(first + second)
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return tuple(merged)


def pair_counts(segmented: Mapping[tuple[str, ...], int]) -> Counter[tuple[str, str]]:
    """How often each pair of adjacent symbols occurs, each word weighted by its count.

    Args:
        segmented: ``{(symbol, symbol, ...): count}``, such as ``{("l", "o", "w"): 5, ...}``.

    Returns:
        a ``Counter`` whose keys are in order of first occurrence (words in the given order,
        left to right within a word).
    """
    if not isinstance(segmented, Mapping):
        raise fail("segmented", segmented, "a dict {(symbol, symbol, ...): count}")
    counts: Counter[tuple[str, str]] = Counter()
    for symbols, count in segmented.items():
        for pair in zip(symbols, symbols[1:]):
            counts[pair] += count
    return counts


def learn_bpe(word_counts: Mapping[str, int], num_merges: int) -> list[tuple[str, str]]:
    """Learn byte pair encoding merges (Sennrich, Haddow & Birch, 2016) from word counts.

    Every word starts as its characters. Each step counts the adjacent symbol pairs over all
    words (weighted by the word counts), merges the most frequent pair everywhere, and records
    it. Ties go to the pair that occurs first when reading the words in the order given, as in
    the reference implementation. Learning stops early when every word is a single symbol.

    Args:
        word_counts: ``{word: count}`` (e.g. a ``Counter`` of the training words).
        num_merges: the most merges to learn (0 or more).

    Returns:
        the merges in the order learned, as pairs of symbols; apply them with :func:`bpe_encode`.
    """
    if isinstance(num_merges, bool) or not isinstance(num_merges, (int, np.integer)) or num_merges < 0:
        raise ValueError(f"num_merges={num_merges!r} must be an integer >= 0.")
    if not isinstance(word_counts, Mapping):
        raise ValueError(f"word_counts must be a dict of word -> count, got {type(word_counts).__name__}.")
    words: list[tuple[str, ...]] = []
    freqs: list[int] = []
    for word, count in word_counts.items():
        if not isinstance(word, str) or not word:
            raise ValueError(f"word_counts has the key {word!r}; every word must be a non-empty str.")
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
            raise ValueError(f"word_counts[{word!r}]={count!r} must be an integer >= 1.")
        words.append(tuple(word))
        freqs.append(int(count))

    # Pair counts and, for each pair, the words that contain it; updated after each merge only for
    # the words that changed.
    counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], set[int]] = {}
    for index, symbols in enumerate(words):
        for pair in zip(symbols, symbols[1:]):
            counts[pair] += freqs[index]
            where.setdefault(pair, set()).add(index)

    def first_occurrence(pair: tuple[str, str]) -> tuple[int, int]:
        index = min(where[pair])
        symbols = words[index]
        position = next(i for i in range(len(symbols) - 1) if symbols[i : i + 2] == pair)
        return index, position

    merges: list[tuple[str, str]] = []
    while len(merges) < num_merges and counts:
        best_count = max(counts.values())
        tied = [pair for pair, count in counts.items() if count == best_count]
        best = tied[0] if len(tied) == 1 else min(tied, key=first_occurrence)
        merges.append(best)
        for index in sorted(where[best]):
            old = words[index]
            for pair in zip(old, old[1:]):
                counts[pair] -= freqs[index]
                if counts[pair] == 0:
                    del counts[pair]
                where[pair].discard(index)
            new = merge_pair(old, best)
            words[index] = new
            for pair in zip(new, new[1:]):
                counts[pair] += freqs[index]
                where.setdefault(pair, set()).add(index)
    return merges


def bpe_encode(word: str, merges: Sequence[tuple[str, str]]) -> list[str]:
    """Split one word into subword symbols by applying ``merges`` in the order they were learned.

    This repeats on a new word what :func:`learn_bpe` did to the training words, so a training
    word comes out exactly as it was segmented during learning. A word never seen is still
    encoded: in the worst case as single characters.
    """
    if not isinstance(word, str) or not word:
        raise ValueError(f"word={word!r} must be a non-empty str (encode one word at a time).")
    merges = check_sequence("merges", merges, expected="a list of merges, pairs of strings (from learn_bpe)")
    for index, pair in enumerate(merges):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
            raise fail(f"merges[{index}]", pair, "a pair of two strings (as learn_bpe returns)")
    symbols = tuple(word)
    for pair in merges:
        if len(symbols) == 1:
            break
        if pair[0] in symbols and pair[1] in symbols:
            symbols = merge_pair(symbols, pair)
    return list(symbols)
