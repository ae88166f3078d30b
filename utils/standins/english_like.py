"""The English-like corpus: text from a word-level Markov process with an exact entropy rate.

The offline stand-in of The Time Machine and of Tiny Shakespeare (:func:`utils.datasets.load_time_machine`,
:func:`utils.datasets.load_shakespeare`): lower-case English-looking words, whose exact entropy
rate per word and per character is the lowest cross-entropy any language model can reach on it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from utils.checks import check_fraction, check_int, check_number, fail
from utils.corpus import TextCorpus
from utils.standins._common import _check_int, _check_seed, _pseudo_words, _stream

__all__ = [
    "FUNCTION_WORDS",
    "MAX_ENGLISH_LIKE_VOCAB",
    "MAX_WORD_LENGTH",
    "MIN_WORD_LENGTH",
    "VOWELS",
    "EnglishLikeProcess",
    "make_english_like_corpus",
    "make_english_like_process",
]

#: A word "ends in a vowel" when its last letter is one of these (see :class:`EnglishLikeProcess`).
VOWELS = "aeiou"
#: Shortest and longest word of the English-like corpus, in letters.
MIN_WORD_LENGTH = 2
MAX_WORD_LENGTH = 8
#: The largest vocabulary :func:`make_english_like_process` builds: its cost grows with the square of
#: the vocabulary (2,000 words take a few seconds, 10,000 would take minutes).
MAX_ENGLISH_LIKE_VOCAB = 2_000

#: Short real English words used as the most frequent words of the English-like corpus.
FUNCTION_WORDS = (
    "the of and to in it was he that his as with had at for on is by we an be my so or me no her"
).split()



def _entropy_bits(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


@dataclass(frozen=True, eq=False)
class EnglishLikeProcess:
    """A word-level Markov process over English-looking words, with exact information rates.

    The words are written in lower-case letters and separated by single spaces. Each word ``b``
    has a few possible successors (``successors[b]``, between ``min_successors`` and
    ``max_successors`` of them) with skewed probabilities. Which successor is likely also depends
    on the word *before* ``b``, through one bit: whether that word ends in a vowel. So the next
    word depends on the last two words (a second-order chain: a trigram model beats a bigram model
    on it), but only through the state ``(g, b)``, where ``g`` is the vowel bit of the word before
    ``b``. The state sequence is a first-order Markov chain on ``2 x vocab_size`` states.

    **Exact entropy rate.** With ``pi(g, b)`` the stationary distribution of the state chain and
    ``p_gb`` the distribution of the next word in state ``(g, b)``, the entropy rate per word is

    ``H_word = sum over (g, b) of pi(g, b) * H(p_gb)``  (bits per word),

    the expected uncertainty of the next word given everything before it. The text writes each
    word followed by one space. No word contains a space, so the text and the word sequence
    determine each other: ``n`` words of text carry exactly the information of the ``n`` words,
    spread over about ``n * L`` characters, where ``L = sum over b of pi(b) * (len(b) + 1)`` is the
    expected number of characters per word including its space (ergodic theorem). Hence the
    entropy rate per character is exactly

    ``H_char = H_word / L``  (bits per character),

    and ``2 ** H_char`` is the lowest per-character perplexity any model can reach on long text.

    **Zipf-like frequencies.** Successors are drawn with probability proportional to a power law
    ``1 / (rank + 2.7) ** zipf_exponent`` over the words, so some words are the successor of many
    others and the stationary word frequencies fall off roughly as a power law of their rank.
    The most frequent words get the shortest spellings (a few real function words first), as in
    English. A cycle through all words keeps the chain irreducible, so every word occurs.

    Build one with :func:`make_english_like_process`; sample text with :meth:`sample_words` or
    :func:`make_english_like_corpus`.

    Attributes:
        words: the vocabulary; word ``i`` is ``words[i]``.
        successors: array ``(vocab_size, max_successors)`` of successor ids, padded with ``-1``.
        probabilities: array ``(2, vocab_size, max_successors)``: ``probabilities[g, b, j]`` is the
            probability of ``successors[b, j]`` after ``b`` when the word before ``b`` has vowel
            bit ``g``.
        ends_in_vowel: array ``(vocab_size,)`` of the vowel bits (0 or 1).
        stationary: array ``(2, vocab_size)``: the stationary distribution ``pi(g, b)``.
        entropy_per_word_bits: ``H_word`` above.
        mean_chars_per_word: ``L`` above (letters plus the separating space).
        entropy_per_char_bits: ``H_word / L``.
        bigram_entropy_bits: ``H(w_t | w_{t-1})``: the best any bigram model can do (bits/word).
        unigram_entropy_bits: ``H(w_t)``: the best any unigram model can do (bits/word).
    """

    words: tuple[str, ...]
    successors: np.ndarray = field(repr=False)
    probabilities: np.ndarray = field(repr=False)
    ends_in_vowel: np.ndarray = field(repr=False)
    stationary: np.ndarray = field(repr=False)
    entropy_per_word_bits: float
    mean_chars_per_word: float
    entropy_per_char_bits: float
    bigram_entropy_bits: float
    unigram_entropy_bits: float

    @property
    def vocab_size(self) -> int:
        """Number of distinct words."""
        return len(self.words)

    @property
    def word_frequencies(self) -> np.ndarray:
        """Stationary probability of each word, ``pi(b) = pi(0, b) + pi(1, b)``."""
        return self.stationary.sum(axis=0)

    def _tables(self) -> tuple[list[list[list[float]]], list[list[int]]]:
        cumulative = [[[] for _ in range(self.vocab_size)] for _ in range(2)]
        successor_lists = []
        for b in range(self.vocab_size):
            k = int((self.successors[b] >= 0).sum())
            successor_lists.append([int(s) for s in self.successors[b, :k]])
            for g in range(2):
                cum = np.cumsum(self.probabilities[g, b, :k])
                cum[-1] = 1.0
                cumulative[g][b] = cum.tolist()
        return cumulative, successor_lists

    def _sample_ids(
        self, rng: np.random.RandomState, n_words: int | None = None, n_chars: int | None = None
    ) -> list[int]:
        """Word ids of a stationary sample: ``n_words`` words, or as many as fit in ``n_chars``."""
        cumulative, successor_lists = self._tables()
        lengths = [len(w) + 1 for w in self.words]
        vowel = self.ends_in_vowel.tolist()
        start = rng.choice(2 * self.vocab_size, p=self.stationary.reshape(-1) / self.stationary.sum())
        g, b = divmod(int(start), self.vocab_size)
        ids = [b]
        used = lengths[b] - 1
        chunk = 1 << 16
        while True:
            uniforms = rng.random_sample(chunk).tolist()
            for u in uniforms:
                if n_words is not None and len(ids) >= n_words:
                    return ids
                cum = cumulative[g][b]
                nxt = successor_lists[b][bisect.bisect_right(cum, u) if u < cum[-1] else len(cum) - 1]
                if n_chars is not None:
                    used += lengths[nxt]
                    if used > n_chars:
                        return ids
                g, b = vowel[b], nxt
                ids.append(b)

    def sample_words(self, n_words: int, seed: int = 0) -> list[str]:
        """Draw ``n_words`` consecutive words of the (stationary) process.

        Args:
            n_words: how many words (at least 1).
            seed: the sampling seed; the same seed gives the same words.
        """
        n_words = _check_int("n_words", n_words, 1)
        rng = _stream(_check_seed(seed), 1)
        return [self.words[i] for i in self._sample_ids(rng, n_words=n_words)]

    def word_log2_probs(self, words: Sequence[str] | str) -> np.ndarray:
        """The true log2-probability of each word of ``words`` given the words before it.

        The first word gets its stationary probability and the second its probability given the
        first alone (the word before it is unknown); from the third on the process's own
        conditional probabilities apply. ``-mean(...)`` over a long text estimates
        :attr:`entropy_per_word_bits`.

        Args:
            words: a list of words, or a text of words separated by whitespace.

        Raises:
            ValueError: for a word outside the vocabulary or a transition the process never makes.
        """
        if words is None or not hasattr(words, "__iter__"):
            raise fail("words", words, "a list of words or a text of words")
        tokens = words.split() if isinstance(words, str) else list(words)
        index = {w: i for i, w in enumerate(self.words)}
        ids = []
        for position, token in enumerate(tokens):
            if token not in index:
                raise ValueError(f"word {token!r} at position {position} is not in the process's vocabulary.")
            ids.append(index[token])
        slot = {(b, int(c)): j for b, row in enumerate(self.successors) for j, c in enumerate(row) if c >= 0}
        table = self.probabilities.tolist()
        vowel = self.ends_in_vowel.tolist()
        out = np.zeros(len(ids))
        for t, c in enumerate(ids):
            if t == 0:
                out[t] = math.log2(self.word_frequencies[c])
                continue
            b = ids[t - 1]
            if (b, c) not in slot:
                raise ValueError(
                    f"the process never writes {self.words[c]!r} after {self.words[b]!r} (position {t})."
                )
            j = slot[b, c]
            if t == 1:
                weights = self.stationary[:, b]
                p = float((weights * self.probabilities[:, b, j]).sum() / weights.sum())
            else:
                p = table[vowel[ids[t - 2]]][b][j]
            out[t] = math.log2(p)
        return out


def make_english_like_process(
    vocab_size: int = 200,
    *,
    min_successors: int = 2,
    max_successors: int = 6,
    zipf_exponent: float = 1.0,
    skew: float = 0.6,
    contrast: float = 0.1,
    seed: int = 0,
) -> EnglishLikeProcess:
    """Build the Markov process behind :func:`make_english_like_corpus` (see :class:`EnglishLikeProcess`).

    Args:
        vocab_size: number of words (at least ``max_successors + 2``, at most
            :data:`MAX_ENGLISH_LIKE_VOCAB`; 100-300 keeps the process learnable by a small
            character-level RNN).
        min_successors, max_successors: each word gets a uniformly drawn number of possible
            successors in this range.
        zipf_exponent: exponent ``s`` of the power law ``1 / (rank + 2.7) ** s`` that makes some
            words far more popular successors than others (> 0).
        skew: the successors' base probabilities fall off as ``skew ** j`` (in (0, 1]; smaller is
            more skewed).
        contrast: how strongly the word two back matters, in (0, 1]: half of each word's
            successors are down-weighted by this factor after a vowel-ending word, the other half
            after a consonant-ending word. 1 makes the process first-order.
        seed: the structure seed (vocabulary, successors, probabilities).

    Returns:
        the process with its exact rates computed.
    """
    vocab_size = check_int(
        "vocab_size", vocab_size, minimum=4, maximum=MAX_ENGLISH_LIKE_VOCAB,
        hint="the build's cost grows with the square of the vocabulary",
    )
    min_successors = _check_int("min_successors", min_successors, 1)
    max_successors = _check_int("max_successors", max_successors, min_successors)
    if vocab_size < max_successors + 2:
        raise ValueError(
            f"vocab_size={vocab_size} is too small for max_successors={max_successors}; "
            f"use vocab_size >= {max_successors + 2}."
        )
    zipf_exponent = check_number("zipf_exponent", zipf_exponent, minimum=0, min_open=True)
    skew = check_fraction("skew", skew, high_open=False)
    contrast = check_fraction("contrast", contrast, high_open=False, hint="1 means no second-order effect")
    seed = _check_seed(seed)
    rng = _stream(seed, 0)

    # Spellings: real function words first, then invented words; split by their last letter.
    n_function = min(len(FUNCTION_WORDS), vocab_size // 4)
    spellings = list(FUNCTION_WORDS[:n_function])
    spellings += _pseudo_words(rng, vocab_size - n_function, set(spellings), MIN_WORD_LENGTH, MAX_WORD_LENGTH)
    rank_key = {w: (0, i) if i < n_function else (1, len(w), w) for i, w in enumerate(spellings)}
    pools = {
        bit: sorted((w for w in spellings if (w[-1] in VOWELS) == bool(bit)), key=rank_key.__getitem__)
        for bit in (0, 1)
    }
    # Word slot i gets a vowel bit now and its spelling once its frequency is known.
    vowel = np.array([int(w[-1] in VOWELS) for w in spellings])[rng.permutation(vocab_size)]

    popularity = 1.0 / (np.arange(1, vocab_size + 1) + 2.7) ** zipf_exponent
    popularity /= popularity.sum()
    cycle = rng.permutation(vocab_size)
    cycle_next = np.empty(vocab_size, dtype=int)
    cycle_next[cycle] = np.roll(cycle, -1)

    successors = np.full((vocab_size, max_successors), -1, dtype=int)
    probabilities = np.zeros((2, vocab_size, max_successors))
    for b in range(vocab_size):
        k = rng.randint(min_successors, max_successors + 1)
        weights = popularity.copy()
        weights[[b, cycle_next[b]]] = 0.0
        others = rng.choice(vocab_size, size=k - 1, replace=False, p=weights / weights.sum())
        successors[b, :k] = np.concatenate([[cycle_next[b]], others])
        base = skew ** np.arange(k)
        base = base[rng.permutation(k)]
        half = rng.permutation(np.arange(k) % 2)
        for g in range(2):
            p = base * np.where(half == g, 1.0, contrast)
            probabilities[g, b, :k] = p / p.sum()

    stationary = _stationary(successors, probabilities, vowel)

    # Spell the words: within each vowel pool, the most frequent slots get the shortest spellings.
    # (Rounded first, so that last-bit differences between linear-algebra libraries cannot
    # reorder two nearly equal frequencies.)
    frequency = np.round(stationary.sum(axis=0), 12)
    words = [""] * vocab_size
    for bit in (0, 1):
        slots = [i for i in np.argsort(-frequency, kind="stable") if vowel[i] == bit]
        for slot, spelling in zip(slots, pools[bit], strict=True):
            words[slot] = spelling

    return _with_rates(tuple(words), successors, probabilities, vowel, stationary)


def _stationary(successors: np.ndarray, probabilities: np.ndarray, vowel: np.ndarray) -> np.ndarray:
    """Stationary distribution of the state chain ``(g, b) -> (vowel[b], c)``, shape ``(2, V)``."""
    vocab_size, max_k = successors.shape
    n_states = 2 * vocab_size
    transition = np.zeros((n_states, n_states))
    for g in range(2):
        for b in range(vocab_size):
            for j in range(max_k):
                c = successors[b, j]
                if c >= 0:
                    transition[g * vocab_size + b, vowel[b] * vocab_size + c] += probabilities[g, b, j]
    # Solve pi (P - I) = 0 with sum(pi) = 1 (the last balance equation is redundant).
    system = transition.T - np.eye(n_states)
    system[-1] = 1.0
    rhs = np.zeros(n_states)
    rhs[-1] = 1.0
    pi = np.linalg.solve(system, rhs)
    pi = np.clip(pi, 0.0, None)
    pi /= pi.sum()
    if not np.allclose(pi @ transition, pi, atol=1e-12):  # pragma: no cover - a construction bug
        raise RuntimeError("the stationary distribution did not converge")
    return pi.reshape(2, vocab_size)


def _with_rates(
    words: tuple[str, ...],
    successors: np.ndarray,
    probabilities: np.ndarray,
    vowel: np.ndarray,
    stationary: np.ndarray,
) -> EnglishLikeProcess:
    vocab_size = len(words)
    entropy_word = 0.0
    bigram = 0.0
    frequency = stationary.sum(axis=0)
    for b in range(vocab_size):
        k = int((successors[b] >= 0).sum())
        for g in range(2):
            entropy_word += stationary[g, b] * _entropy_bits(probabilities[g, b, :k])
        if frequency[b] > 0:
            mixture = (stationary[:, b, None] * probabilities[:, b, :k]).sum(axis=0) / frequency[b]
            bigram += frequency[b] * _entropy_bits(mixture)
    mean_chars = float(frequency @ np.array([len(w) + 1 for w in words]))
    return EnglishLikeProcess(
        words=words,
        successors=successors,
        probabilities=probabilities,
        ends_in_vowel=vowel,
        stationary=stationary,
        entropy_per_word_bits=float(entropy_word),
        mean_chars_per_word=mean_chars,
        entropy_per_char_bits=float(entropy_word) / mean_chars,
        bigram_entropy_bits=float(bigram),
        unigram_entropy_bits=_entropy_bits(frequency),
    )


def make_english_like_corpus(
    n_chars: int | None = None,
    *,
    n_words: int | None = None,
    seed: int = 0,
    vocab_size: int = 200,
    name: str = "english_like",
) -> TextCorpus:
    """Generate English-looking text with a known entropy rate (the offline Time Machine).

    The text is a stationary sample of :func:`make_english_like_process` ``(vocab_size, seed)``:
    lower-case words separated by single spaces, no punctuation, no line breaks (so d2l-style
    preprocessing, which keeps letters and spaces and lower-cases, leaves it unchanged). A 1 MB
    text takes well under two seconds.

    Args:
        n_chars: the text has at most this many characters (whole words only; at least
            ``MAX_WORD_LENGTH`` = 8, so that one word always fits). Give this or ``n_words``.
        n_words: the text has exactly this many words.
        seed: structure and sampling seed; equal seeds give equal texts, and a longer text with
            the same seed starts with the shorter one.
        vocab_size: number of distinct words (see :func:`make_english_like_process`).
        name: the corpus name recorded in the result.

    Returns:
        a :class:`utils.corpus.TextCorpus` with ``source="offline"``, the exact entropy rates
        per word and per character, and the generating ``process``.
    """
    if (n_chars is None) == (n_words is None):
        raise ValueError(f"give exactly one of n_chars or n_words (got n_chars={n_chars!r}, n_words={n_words!r}).")
    if n_chars is not None:
        n_chars = _check_int("n_chars", n_chars, MAX_WORD_LENGTH)
    else:
        n_words = _check_int("n_words", n_words, 1)
    if not isinstance(name, str) or not name:
        raise ValueError(f"name={name!r} must be a non-empty string.")
    seed = _check_seed(seed)
    process = make_english_like_process(vocab_size, seed=seed)
    ids = process._sample_ids(_stream(seed, 1), n_words=n_words, n_chars=n_chars)
    text = " ".join(process.words[i] for i in ids)
    return TextCorpus(
        name=name,
        text=text,
        source="offline",
        entropy_per_char_bits=process.entropy_per_char_bits,
        entropy_per_word_bits=process.entropy_per_word_bits,
        process=process,
    )
