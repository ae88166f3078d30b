"""Offline stand-ins for the course's text datasets, each with a known best-possible figure.

The real datasets (The Time Machine, Tiny Shakespeare, IMDB, English-French pairs) are
downloaded by :mod:`utils.datasets`. When they cannot be had (no network, ``COURSE_DATA=offline``
in the tests and CI), the notebooks run on data that this module generates. No dataset text is
stored anywhere: everything here is produced from a seed, and the same seed always gives the same
data (the generators draw from NumPy's legacy ``RandomState``, whose streams are frozen across
NumPy versions).

Each stand-in comes in the format of the real dataset and goes through the same parser after
loading, and each has a figure that no model can beat, so a student can see how close a model
gets:

* :func:`make_english_like_corpus`: text from a word-level Markov process over English-looking
  words, with its *exact* entropy rate per word and per character (the lowest possible
  cross-entropy of any language model on it).
* :func:`make_imdb_standin`: movie reviews in the IMDB layout whose label depends on word order
  (negation, contrast, the last opinion decides), with a stated label noise ``epsilon``: the Bayes
  accuracy is ``1 - epsilon``, and :func:`imdb_bow_accuracy_bound` bounds what any bag-of-words
  classifier can reach.
* :func:`make_parallel_text` / :func:`make_parallel_pairs`: English sentences and their
  translations into a small invented language with a different word order (verb last, adjectives
  after nouns, postpositions), in the tab-separated format of ``fra.txt``. The translation is a
  deterministic function of the English sentence (:func:`translate_to_standin`), so a perfect
  score is possible.
* :func:`make_date_pairs`: human-written dates and their ISO form, the classic toy
  sequence-to-sequence task; again a deterministic mapping.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from utils.checks import LEGACY_SEED_LIMIT, check_dir, check_fraction, check_int, check_number, check_seed, fail

#: Bumped whenever a generator changes, so that cached stand-in files are regenerated.
STANDIN_VERSION = 1

#: A word "ends in a vowel" when its last letter is one of these (see :class:`EnglishLikeProcess`).
VOWELS = "aeiou"
#: Shortest and longest word of the English-like corpus, in letters.
MIN_WORD_LENGTH = 2
MAX_WORD_LENGTH = 8
#: The largest vocabulary :func:`make_english_like_process` builds: its cost grows with the square of
#: the vocabulary (2,000 words take a few seconds, 10,000 would take minutes).
MAX_ENGLISH_LIKE_VOCAB = 2_000

# ---------------------------------------------------------------------------------------------
# Small helpers: argument checks and random streams.
# ---------------------------------------------------------------------------------------------


def _check_int(name: str, value: object, minimum: int) -> int:
    return check_int(name, value, minimum=minimum)


def _check_seed(seed: object) -> int:
    return check_seed("seed", seed, limit=LEGACY_SEED_LIMIT, allow_none=False)


def _stream(seed: int, purpose: int) -> np.random.RandomState:
    """An independent legacy stream for one purpose (structure, sampling, ...) of one seed."""
    return np.random.RandomState([seed, purpose])


# ---------------------------------------------------------------------------------------------
# English-looking spellings.
# ---------------------------------------------------------------------------------------------

_ONSETS = (
    "b c d f g h j k l m n p r s t v w y z bl br ch cl cr dr fl fr gl gr pl pr sh sl sp st th tr wh"
).split()
_NUCLEI = "a e i o u a e i o u a e i o ai ea ee oo ou ow".split()
_CODAS = ["", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck", "rt", "th", "sh"]

#: Short real English words used as the most frequent words of the English-like corpus.
FUNCTION_WORDS = (
    "the of and to in it was he that his as with had at for on is by we an be my so or me no her"
).split()


def _pseudo_words(
    rng: np.random.RandomState, count: int, taken: set[str], min_length: int, max_length: int
) -> list[str]:
    """``count`` new English-looking words (syllables of onset + vowel + coda), none in ``taken``."""
    words: list[str] = []
    attempts = 0
    while len(words) < count:
        attempts += 1
        if attempts > 200 * count + 10_000:
            raise ValueError(
                f"could not invent {count} distinct words of {min_length}-{max_length} letters; "
                "ask for fewer words."
            )
        n_syllables = (1, 2, 2, 3)[rng.randint(4)]
        parts = []
        for i in range(n_syllables):
            if i > 0 or rng.rand() < 0.85:
                parts.append(_ONSETS[rng.randint(len(_ONSETS))])
            parts.append(_NUCLEI[rng.randint(len(_NUCLEI))])
            if i == n_syllables - 1 or rng.rand() < 0.3:
                parts.append(_CODAS[rng.randint(len(_CODAS))])
        word = "".join(parts)
        if min_length <= len(word) <= max_length and word not in taken:
            taken.add(word)
            words.append(word)
    return words


# ---------------------------------------------------------------------------------------------
# The English-like corpus: a word-level Markov process with an exact entropy rate.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextCorpus:
    """A text dataset and where it came from.

    Attributes:
        name: the dataset's name (``"time_machine"``, ``"shakespeare"``, ...).
        text: the raw text.
        source: ``"real"`` (the downloaded dataset) or ``"offline"`` (a generated stand-in).
        entropy_per_char_bits: for a stand-in, the exact entropy rate of the text in bits per
            character: no character-level model can have a lower expected cross-entropy.
            ``None`` for real data (nobody knows it).
        entropy_per_word_bits: the same per word (words separated by single spaces).
        process: for a stand-in, the :class:`EnglishLikeProcess` that wrote it.
    """

    name: str
    text: str = field(repr=False)
    source: str
    entropy_per_char_bits: float | None = None
    entropy_per_word_bits: float | None = None
    process: EnglishLikeProcess | None = field(default=None, repr=False, compare=False)

    @property
    def optimal_char_perplexity(self) -> float | None:
        """``2 ** entropy_per_char_bits``: the lowest per-character perplexity possible (stand-ins)."""
        return None if self.entropy_per_char_bits is None else 2.0**self.entropy_per_char_bits

    @property
    def optimal_word_perplexity(self) -> float | None:
        """``2 ** entropy_per_word_bits``: the lowest per-word perplexity possible (stand-ins)."""
        return None if self.entropy_per_word_bits is None else 2.0**self.entropy_per_word_bits

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        line = f"{self.name} ({self.source}): {len(self.text):,} characters"
        if self.entropy_per_char_bits is not None:
            line += (
                f"; entropy rate {self.entropy_per_char_bits:.4f} bits/char "
                f"(best perplexity {self.optimal_char_perplexity:.4f}), "
                f"{self.entropy_per_word_bits:.4f} bits/word "
                f"(best perplexity {self.optimal_word_perplexity:.3f})"
            )
        return line


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
        a :class:`TextCorpus` with ``source="offline"``, the exact entropy rates per word and per
        character, and the generating ``process``.
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


# ---------------------------------------------------------------------------------------------
# The IMDB stand-in: reviews whose label depends on word order.
# ---------------------------------------------------------------------------------------------

#: Adjectives that carry sentiment. ``POSITIVE_WORDS[i]`` and ``NEGATIVE_WORDS[i]`` are equally
#: likely, which makes swapping them a symmetry of the generator.
POSITIVE_WORDS = (
    "good great excellent wonderful brilliant superb enjoyable fun charming moving beautiful clever "
    "gripping delightful memorable funny touching impressive stunning fantastic solid fresh engaging "
    "powerful perfect smart lovely entertaining compelling sharp"
).split()
NEGATIVE_WORDS = (
    "bad boring awful terrible dull weak poor silly painful bland clumsy predictable tedious messy "
    "forgettable lame flat annoying pointless shallow slow stupid horrible dreadful mediocre cheap "
    "confusing dreary sloppy uneven"
).split()
#: A negator directly before a sentiment adjective flips its polarity ("not good" is negative).
NEGATORS = ("not", "never")
_INTENSIFIERS = "very really truly quite rather so incredibly absolutely pretty".split()
_ASPECTS = (
    "movie film story plot acting cast script dialogue music soundtrack ending direction pacing humor "
    "photography editing score lead villain premise screenplay finale writing sequel cinematography"
).split()
_COPULAS = "was is felt seemed".split()
_FILLER_SLOTS = {
    "VPAST": "watched saw rented bought streamed caught found recorded chose borrowed".split(),
    "VPP": "seen read watched finished".split(),
    "VPRES": "travels returns moves goes runs drives sails walks flies rides".split(),
    "DAY": "monday tuesday wednesday thursday friday saturday sunday".split(),
    "REL": (
        "sister brother wife husband friend son daughter father mother cousin roommate girlfriend "
        "boyfriend uncle aunt"
    ).split(),
    "VENUE": "cinema festival theater library airport mall".split(),
    "PERSON": (
        "farmer teacher soldier doctor detective painter sailor student singer priest lawyer nurse "
        "thief writer pilot hunter baker king queen prince"
    ).split(),
    "THING": (
        "letter map ring car horse house ship dog secret war book photograph song key train storm "
        "dream journey trial wedding"
    ).split(),
    "SEASON": "summer winter spring autumn".split(),
}
# Sentences without an opinion. Slots in capitals; NAME and PLACE are invented words.
_FILLER_TEMPLATES = (
    "i VPAST this movie on DAY with my REL",
    "i VPAST it at the VENUE last DAY",
    "the story is about a PERSON who VPRES to PLACE",
    "NAME plays a PERSON from PLACE",
    "NAME and NAME VPRES to PLACE in the second half",
    "there is a scene where NAME VPRES to the THING",
    "the THING of NAME is set in PLACE",
    "it was directed by NAME NAME",
    "my REL VPAST the book by NAME first",
    "i had not VPP the first one",
    "i VPAST it but my REL VPAST it first",
    "the film runs for two hours and it was shot in PLACE",
    "NAME VPRES with a THING and a THING",
    "we VPAST it after the THING at PLACE",
    "the movie is based on a THING by NAME",
    "most of it takes place in PLACE during the SEASON",
    "later NAME VPRES to PLACE with the THING",
    "it is the third film with NAME as the PERSON",
)
_N_NAMES = 1700
_N_PLACES = 1000
_LEXICON_SEED = 20_240_501

#: Opinion sentences per review: 1, 2, 3 or 4 with these probabilities.
IMDB_OPINIONS_PER_REVIEW = (0.45, 0.30, 0.15, 0.10)
#: Kinds of opinion sentence: one clause; two agreeing clauses joined by "and"; two opposite
#: clauses joined by "but" (the clause after "but" is the sentence's opinion).
IMDB_SENTENCE_KINDS = {"single": 0.70, "and": 0.15, "but": 0.15}
#: Probability that an opinion sentence agrees with the review's overall mood.
IMDB_MOOD_AGREEMENT = 0.9
#: Probability that an opinion clause is negated ("was not good", "was never dull").
IMDB_NEGATION_RATE = 0.1
#: Review lengths in words are drawn around this median and kept within these bounds.
IMDB_MEDIAN_LENGTH = 110
IMDB_LENGTH_RANGE = (20, 300)


def _imdb_lexicon() -> tuple[list[str], dict[str, int]]:
    """The stand-in's vocabulary (fixed, independent of the seed) and its word -> id map."""
    real: list[str] = []
    for group in (
        POSITIVE_WORDS,
        NEGATIVE_WORDS,
        NEGATORS,
        _INTENSIFIERS,
        _ASPECTS,
        _COPULAS,
        "the this it i found and but overall".split(),
        *_FILLER_SLOTS.values(),
        *(t.split() for t in _FILLER_TEMPLATES),
    ):
        for word in group:
            if word.isupper():
                continue
            if word not in real:
                real.append(word)
    rng = np.random.RandomState(_LEXICON_SEED)
    invented = _pseudo_words(rng, _N_NAMES + _N_PLACES, set(real), 3, 10)
    vocabulary = real + invented
    return vocabulary, {w: i for i, w in enumerate(vocabulary)}


def imdb_rule_label(review: str | Sequence[str]) -> int | None:
    """The stand-in's labelling rule: the polarity of the *last* sentiment adjective.

    Reading the review left to right, every adjective of :data:`POSITIVE_WORDS` or
    :data:`NEGATIVE_WORDS` states an opinion; a negator (:data:`NEGATORS`) directly before it flips
    the opinion ("not bad" is positive). The last opinion decides, so in "the plot was good but
    the acting was awful" the clause after "but" wins. Since the rule reads nothing but the
    text, equal texts always get equal rule labels.

    Args:
        review: the review as a string of words, or as a list of words.

    Returns:
        1 (positive), 0 (negative), or ``None`` when the review holds no sentiment adjective.
    """
    if review is None or not hasattr(review, "__iter__"):
        raise fail("review", review, "a string of words or a list of words")
    tokens = review.split() if isinstance(review, str) else list(review)
    for position in range(len(tokens) - 1, -1, -1):
        word = tokens[position]
        if word in _POSITIVE_SET or word in _NEGATIVE_SET:
            polarity = int(word in _POSITIVE_SET)
            if position > 0 and tokens[position - 1] in NEGATORS:
                polarity = 1 - polarity
            return polarity
    return None


_POSITIVE_SET = frozenset(POSITIVE_WORDS)
_NEGATIVE_SET = frozenset(NEGATIVE_WORDS)


def imdb_bow_accuracy_bound(label_noise: float = 0.05) -> float:
    """Upper bound on the accuracy of *any* bag-of-words classifier on the IMDB stand-in.

    The generator draws a review's opinion sentences independently of their order, and within a
    "but" sentence the two clauses are equally likely either way round. Reordering opinion
    sentences, or swapping the two clauses of a "but" sentence, keeps the bag of words and has the
    same probability, but can change the label, since the last opinion decides. So given
    everything except that order, the rule label is positive with probability

    ``P = (1/m) * sum over the m opinion sentences of (1 if positive, 0 if negative, 1/2 if "but")``,

    and no classifier that sees less than that (a bag of words sees less) is right more often
    than ``E[max(P, 1 - P)]``. With the label noise ``epsilon`` the bound becomes
    ``(1 - epsilon) * A + epsilon * (1 - A)`` for that rule-level bound ``A``. The expectation is
    computed exactly by enumerating the generator's sentence plans.

    Args:
        label_noise: the flip probability ``epsilon`` in [0, 0.5).
    """
    epsilon = _check_label_noise(label_noise)
    kinds = list(IMDB_SENTENCE_KINDS.items())
    rule_bound = 0.0
    for m, p_m in enumerate(IMDB_OPINIONS_PER_REVIEW, start=1):
        for mood in (0, 1):
            options = []
            for kind, p_kind in kinds:
                for polarity in (0, 1):
                    p_pol = IMDB_MOOD_AGREEMENT if polarity == mood else 1 - IMDB_MOOD_AGREEMENT
                    options.append((p_kind * p_pol, 0.5 if kind == "but" else float(polarity)))
            for plan in itertools.product(options, repeat=m):
                probability = 0.5 * p_m * math.prod(o[0] for o in plan)
                positive = sum(o[1] for o in plan) / m
                rule_bound += probability * max(positive, 1 - positive)
    return (1 - epsilon) * rule_bound + epsilon * (1 - rule_bound)


def _check_label_noise(label_noise: object) -> float:
    return check_fraction(
        "label_noise", label_noise, low_open=False, high=0.5,
        hint="the probability that a review's label is flipped (0.05 by default)",
    )


@dataclass(frozen=True, eq=False)
class ImdbStandin:
    """The IMDB stand-in in Keras' raw layout, plus its known figures.

    ``x_train`` / ``x_test`` are object arrays of lists of word ids where id ``i`` is the word
    with ``word_index[word] == i`` (1 = the most frequent word, see
    :func:`imdb_standin_word_index`), exactly as ``imdb.npz`` and ``imdb_word_index.json`` store
    them; the ids are shifted and filtered by
    the loader (:func:`utils.datasets.load_imdb`).

    Attributes:
        label_noise: the fraction ``epsilon`` of labels flipped away from the rule label
            (exactly, half in each class, so both classes stay equally large).
        bayes_accuracy: ``1 - epsilon``: the best accuracy any classifier can expect.
        bow_accuracy_bound: :func:`imdb_bow_accuracy_bound`: no bag-of-words model can expect more.
        rule_train, rule_test: the noise-free rule labels (:func:`imdb_rule_label`).
    """

    x_train: np.ndarray = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    x_test: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    word_index: dict[str, int] = field(repr=False)
    label_noise: float
    bayes_accuracy: float
    bow_accuracy_bound: float
    rule_train: np.ndarray = field(repr=False)
    rule_test: np.ndarray = field(repr=False)


def _fill_templates(
    rng: np.random.RandomState, n_sentences: int, lexicon: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """``n_sentences`` filler sentences as one flat id array and their lengths (vectorised)."""
    slot_words = {slot: [lexicon[w] for w in words] for slot, words in _FILLER_SLOTS.items()}
    invented = [w for w in lexicon if lexicon[w] >= len(lexicon) - _N_NAMES - _N_PLACES]
    slot_words["NAME"] = [lexicon[w] for w in invented[:_N_NAMES]]
    slot_words["PLACE"] = [lexicon[w] for w in invented[_N_NAMES:]]
    slots = list(slot_words)
    width = max(len(t.split()) for t in _FILLER_TEMPLATES)
    table = np.full((len(_FILLER_TEMPLATES), width), -1, dtype=np.int64)
    lengths = np.zeros(len(_FILLER_TEMPLATES), dtype=np.int64)
    for row, template in enumerate(_FILLER_TEMPLATES):
        tokens = template.split()
        lengths[row] = len(tokens)
        for col, token in enumerate(tokens):
            table[row, col] = -2 - slots.index(token) if token.isupper() else lexicon[token]
    choice = rng.randint(len(_FILLER_TEMPLATES), size=n_sentences)
    tokens = table[choice]
    for s, slot in enumerate(slots):
        where = tokens == -2 - s
        count = int(where.sum())
        options = np.asarray(slot_words[slot])
        # Zipf-like choice within each slot: a few names and places recur, most are rare.
        weights = 1.0 / np.arange(1, len(options) + 1) ** 1.05
        cumulative = np.cumsum(weights / weights.sum())
        picks = np.searchsorted(cumulative, rng.random_sample(count), side="right")
        tokens[where] = options[np.minimum(picks, len(options) - 1)]
    sentence_lengths = lengths[choice]
    flat = tokens[tokens >= 0]  # row-major order keeps each sentence's words together
    return flat, sentence_lengths


def _generate_reviews(
    rng: np.random.RandomState, n_reviews: int, lexicon: dict[str, int]
) -> tuple[list[np.ndarray], np.ndarray]:
    """``n_reviews`` reviews (internal word ids) and their rule labels, exactly balanced."""
    positive = np.array([lexicon[w] for w in POSITIVE_WORDS])
    negative = np.array([lexicon[w] for w in NEGATIVE_WORDS])
    # The symmetry good <-> bad, brilliant <-> boring, ...: maps every opinion to its opposite.
    swap = np.arange(len(lexicon))
    swap[positive], swap[negative] = negative, positive
    negators = [lexicon[w] for w in NEGATORS]
    intensifiers = [lexicon[w] for w in _INTENSIFIERS]
    aspects = [lexicon[w] for w in _ASPECTS]
    copulas = [lexicon[w] for w in _COPULAS]
    the, this, it, i, found, and_, but, overall, movie, film = (
        lexicon[w] for w in "the this it i found and but overall movie film".split()
    )
    adjective_weights = 1.0 / np.arange(1, len(POSITIVE_WORDS) + 1) ** 0.8
    adjective_cum = np.cumsum(adjective_weights / adjective_weights.sum()).tolist()
    kinds = list(IMDB_SENTENCE_KINDS)
    kind_cum = np.cumsum(list(IMDB_SENTENCE_KINDS.values())).tolist()
    count_cum = np.cumsum(IMDB_OPINIONS_PER_REVIEW).tolist()

    def pick(cumulative: list[float], u: float) -> int:
        return min(bisect.bisect_right(cumulative, u), len(cumulative) - 1)

    def clause(u, polarity: int) -> list[int]:
        """One opinion clause with the given polarity, e.g. "the plot was not dull"."""
        subject, modifier, adjective, aspect, verb, word = (next(u) for _ in range(6))
        aspect_id = aspects[int(aspect * len(aspects))]
        if subject < 0.4:
            words = [the, aspect_id]
        elif subject < 0.6:
            words = [this, movie if aspect < 0.5 else film]
        elif subject < 0.8:
            words = [it]
        else:
            words = [i, found, the, aspect_id]
        if subject < 0.8:
            words.append(copulas[int(verb * len(copulas))])
        negated = modifier < IMDB_NEGATION_RATE
        if negated:
            words.append(negators[int(word < 0.25)])
        elif modifier < IMDB_NEGATION_RATE + 0.25:
            words.append(intensifiers[int(word * len(intensifiers))])
        adjective_id = pick(adjective_cum, adjective)
        words.append(int(positive[adjective_id] if polarity != negated else negative[adjective_id]))
        return words

    targets = np.zeros(n_reviews, dtype=np.int64)
    targets[: n_reviews // 2] = 1
    if n_reviews % 2:
        targets[-1] = rng.randint(2)
    targets = targets[rng.permutation(n_reviews)]
    low, high = IMDB_LENGTH_RANGE
    longest_filler = max(len(t.split()) for t in _FILLER_TEMPLATES)
    target_lengths = np.clip(
        np.round(IMDB_MEDIAN_LENGTH * np.exp(0.6 * rng.randn(n_reviews))), low, high - longest_filler
    ).astype(int)
    shortest_filler = min(len(t.split()) for t in _FILLER_TEMPLATES)
    n_fillers = int(target_lengths.sum()) // shortest_filler + n_reviews + 1
    filler_flat, filler_lengths = _fill_templates(rng, n_fillers, lexicon)
    filler_starts = np.concatenate([[0], np.cumsum(filler_lengths)]).tolist()
    filler_lengths = filler_lengths.tolist()
    filler_words = filler_flat.tolist()
    next_filler = 0

    target_lengths = target_lengths.tolist()
    # At most 4 opinions of 2 clauses, and at most 52 sentences (fillers have 6+ words).
    plan_draws = rng.random_sample((n_reviews, 70))
    order_keys = rng.random_sample((n_reviews, 64))
    reviews: list[np.ndarray] = []
    for r in range(n_reviews):
        u = iter(plan_draws[r].tolist())
        n_opinions = pick(count_cum, next(u)) + 1
        mood = int(next(u) < 0.5)
        opinions = []  # (polarity, words) of each opinion sentence
        for _ in range(n_opinions):
            kind = kinds[pick(kind_cum, next(u))]
            polarity = mood if next(u) < IMDB_MOOD_AGREEMENT else 1 - mood
            words = [overall] if next(u) < 0.15 else []
            if kind == "single":
                words += clause(u, polarity)
            elif kind == "and":
                words += clause(u, polarity) + [and_] + clause(u, polarity)
            else:  # the clause after "but" carries the sentence's opinion
                words += clause(u, 1 - polarity) + [but] + clause(u, polarity)
            opinions.append((polarity, words))
        length = sum(len(words) for _, words in opinions)
        first_filler = next_filler
        while length < target_lengths[r]:
            length += filler_lengths[next_filler]
            next_filler += 1
        keys = order_keys[r, : n_opinions + next_filler - first_filler].tolist()
        order = sorted(range(len(keys)), key=keys.__getitem__)
        last_opinion = next(index for index in reversed(order) if index < n_opinions)
        words = []
        for index in order:
            if index < n_opinions:
                words += opinions[index][1]
            else:
                f = first_filler + index - n_opinions
                words += filler_words[filler_starts[f] : filler_starts[f + 1]]
        review = np.array(words, dtype=np.int64)
        if opinions[last_opinion][0] != targets[r]:
            review = swap[review]  # every opinion flips, so the last one matches the target
        reviews.append(review)
    return reviews, targets


def _flip_labels(rng: np.random.RandomState, rule: np.ndarray, label_noise: float) -> np.ndarray:
    """Flip exactly ``round(label_noise * n / 2)`` labels of each class, chosen at random."""
    labels = rule.copy()
    for cls in (0, 1):
        members = np.nonzero(rule == cls)[0]
        n_flip = int(round(label_noise * len(rule) / 2))
        n_flip = min(n_flip, len(members))
        chosen = rng.choice(members, size=n_flip, replace=False) if n_flip else members[:0]
        labels[chosen] = 1 - cls
    return labels


@functools.lru_cache(maxsize=1)
def _reference_ranks() -> tuple[tuple[str, int], ...]:
    vocabulary, lexicon = _imdb_lexicon()
    reviews, _ = _generate_reviews(np.random.RandomState(_LEXICON_SEED), 4000, lexicon)
    counts = np.bincount(np.concatenate(reviews), minlength=len(vocabulary))
    order = np.lexsort((np.arange(len(vocabulary)), -counts))
    return tuple((vocabulary[i], rank) for rank, i in enumerate(order.tolist(), start=1))


def imdb_standin_word_index() -> dict[str, int]:
    """The IMDB stand-in's word index: word -> rank by frequency (1 = most frequent), as Keras'.

    The ranks come from a fixed reference sample of reviews, so every stand-in (any size, any
    seed) shares this one index and the loader can pair any stand-in with it.
    """
    return dict(_reference_ranks())


def make_imdb_standin(
    n_train: int = 25_000, n_test: int = 25_000, label_noise: float = 0.05, seed: int = 0
) -> ImdbStandin:
    """Generate the IMDB stand-in: reviews whose sentiment depends on word order.

    Each review mixes sentences without opinion (plot, cast, where it was watched; a few
    thousand distinct words, invented names and places following a Zipf-like law) with one to
    four opinion sentences such as "the acting was not good", "it was really fun" or "the plot
    was clever but the ending was dull". The rule label (:func:`imdb_rule_label`) is the polarity
    of the last opinion, with negation; it is a function of the text. Then exactly a fraction
    ``label_noise`` of the labels is flipped (half from each class), so

    * the Bayes accuracy is ``1 - label_noise`` (0.95 by default), and
    * no bag-of-words classifier can expect more than :func:`imdb_bow_accuracy_bound` (0.848 by
      default), because reordering the opinions keeps the bag of words but changes the label.

    Reviews are 20 to 300 words long (median about 110); labels are exactly balanced in each
    split. The default sizes (25,000 + 25,000) take a few seconds.

    Args:
        n_train, n_test: number of reviews in each split (at least 2).
        label_noise: the flip probability ``epsilon`` in [0, 0.5).
        seed: equal seeds give equal data.

    Returns:
        an :class:`ImdbStandin` in Keras' raw ``imdb.npz`` layout with its word index.
    """
    n_train = _check_int("n_train", n_train, 2)
    n_test = _check_int("n_test", n_test, 2)
    label_noise = _check_label_noise(label_noise)
    seed = _check_seed(seed)
    vocabulary, lexicon = _imdb_lexicon()
    reviews_train, rule_train = _generate_reviews(_stream(seed, 10), n_train, lexicon)
    reviews_test, rule_test = _generate_reviews(_stream(seed, 11), n_test, lexicon)
    noise_rng = _stream(seed, 12)
    y_train = _flip_labels(noise_rng, rule_train, label_noise)
    y_test = _flip_labels(noise_rng, rule_test, label_noise)

    word_index = imdb_standin_word_index()
    rank = np.array([word_index[w] for w in vocabulary], dtype=np.int64)

    def as_object_array(reviews: list[np.ndarray]) -> np.ndarray:
        out = np.empty(len(reviews), dtype=object)
        for i, review in enumerate(reviews):
            out[i] = rank[review].tolist()
        return out

    return ImdbStandin(
        x_train=as_object_array(reviews_train),
        y_train=y_train,
        x_test=as_object_array(reviews_test),
        y_test=y_test,
        word_index=word_index,
        label_noise=label_noise,
        bayes_accuracy=1.0 - label_noise,
        bow_accuracy_bound=imdb_bow_accuracy_bound(label_noise),
        rule_train=rule_train,
        rule_test=rule_test,
    )


def write_imdb_standin(
    directory: str | os.PathLike,
    n_train: int = 25_000,
    n_test: int = 25_000,
    label_noise: float = 0.05,
    seed: int = 0,
) -> tuple[Path, Path]:
    """Write the IMDB stand-in to ``directory`` in Keras' layout, unless it is already there.

    Files: ``imdb_standin-<key>.npz`` with ``x_train``, ``y_train``, ``x_test``, ``y_test`` as in
    ``imdb.npz`` (the key names the generator version, sizes, noise and seed, so different
    settings never collide), ``imdb_standin_info-<key>.json`` with the label noise and the
    accuracy figures, and the shared word index ``imdb_standin_word_index-v<version>.json`` as in
    ``imdb_word_index.json``. Files are written atomically, so concurrent writers are safe.

    Returns:
        the paths of the ``.npz`` and of the word-index JSON.
    """
    n_train = _check_int("n_train", n_train, 2)
    n_test = _check_int("n_test", n_test, 2)
    label_noise = _check_label_noise(label_noise)
    seed = _check_seed(seed)
    folder = check_dir("directory", directory, must_exist=False)
    folder.mkdir(parents=True, exist_ok=True)
    index_path = write_imdb_standin_word_index(folder)
    key = f"v{STANDIN_VERSION}-{n_train}x{n_test}-eps{label_noise:g}-seed{seed}"
    npz_path = folder / f"imdb_standin-{key}.npz"
    info_path = folder / f"imdb_standin_info-{key}.json"
    if npz_path.exists() and info_path.exists():
        return npz_path, index_path
    data = make_imdb_standin(n_train, n_test, label_noise, seed)
    _atomic_write(
        npz_path,
        lambda f: np.savez(f, x_train=data.x_train, y_train=data.y_train, x_test=data.x_test, y_test=data.y_test),
    )
    info = {
        "label_noise": data.label_noise,
        "bayes_accuracy": data.bayes_accuracy,
        "bow_accuracy_bound": data.bow_accuracy_bound,
    }
    _atomic_write(info_path, lambda f: f.write(json.dumps(info).encode("utf-8")))
    return npz_path, index_path


def write_imdb_standin_word_index(directory: str | os.PathLike) -> Path:
    """Write :func:`imdb_standin_word_index` as JSON into ``directory`` (if not there) and return its path."""
    folder = check_dir("directory", directory, must_exist=False)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"imdb_standin_word_index-v{STANDIN_VERSION}.json"
    if not path.exists():
        text = json.dumps(imdb_standin_word_index())
        _atomic_write(path, lambda f: f.write(text.encode("utf-8")))
    return path


def read_imdb_standin_info(npz_path: str | os.PathLike) -> dict[str, float]:
    """The figures written next to a stand-in ``.npz`` by :func:`write_imdb_standin`."""
    path = Path(npz_path)
    info_path = path.with_name(path.name.replace("imdb_standin-", "imdb_standin_info-", 1)).with_suffix(".json")
    regenerate = f"delete it and {path.name} and they are generated again"
    if not info_path.is_file():
        raise ValueError(f"{info_path} (the figures of the stand-in {path.name}) is missing; {regenerate}.")
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{info_path} is not valid JSON ({error}); {regenerate}.") from None
    if not isinstance(info, dict) or not {"label_noise", "bayes_accuracy", "bow_accuracy_bound"} <= set(info):
        raise ValueError(f"{info_path} does not hold the stand-in's figures; {regenerate}.")
    return info


def _atomic_write(path: Path, write) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


# ---------------------------------------------------------------------------------------------
# The parallel corpus: English and an invented verb-final language.
# ---------------------------------------------------------------------------------------------

# English nouns (singular, plural); the first eleven are people or animals and can be subjects.
_NOUNS = [
    ("man", "men"), ("woman", "women"), ("child", "children"), ("dog", "dogs"), ("cat", "cats"),
    ("bird", "birds"), ("teacher", "teachers"), ("student", "students"), ("farmer", "farmers"),
    ("girl", "girls"), ("boy", "boys"),
    ("book", "books"), ("apple", "apples"), ("letter", "letters"), ("house", "houses"),
    ("car", "cars"), ("river", "rivers"), ("tree", "trees"), ("garden", "gardens"),
    ("city", "cities"), ("school", "schools"), ("table", "tables"), ("song", "songs"),
    ("ball", "balls"), ("door", "doors"), ("window", "windows"), ("box", "boxes"),
]
_N_ANIMATE = 11
_SINGULAR_NOUNS = frozenset(singular for singular, _ in _NOUNS)
_ADJECTIVES = "old young small big happy tired red green new quiet clever brave hungry strange".split()
# Transitive verbs: (base, third person singular, past).
_TRANSITIVE = [
    ("see", "sees", "saw"), ("like", "likes", "liked"), ("find", "finds", "found"),
    ("draw", "draws", "drew"), ("write", "writes", "wrote"), ("help", "helps", "helped"),
    ("want", "wants", "wanted"), ("carry", "carries", "carried"), ("open", "opens", "opened"),
    ("love", "loves", "loved"), ("watch", "watches", "watched"), ("follow", "follows", "followed"),
    ("call", "calls", "called"), ("buy", "buys", "bought"),
]
_INTRANSITIVE = [
    ("sleep", "sleeps", "slept"), ("run", "runs", "ran"), ("sing", "sings", "sang"),
    ("wait", "waits", "waited"), ("work", "works", "worked"), ("laugh", "laughs", "laughed"),
    ("swim", "swims", "swam"), ("walk", "walks", "walked"),
]
_PREPOSITIONS = "in near under behind with from".split()
# Pronouns: (subject form, object form, third person singular?).
_PRONOUNS = [("i", "me", False), ("you", "you", False), ("he", "him", True), ("she", "her", True),
             ("we", "us", False), ("they", "them", False)]
_SINGULAR_DETERMINERS = "the a this my your".split()
_PLURAL_DETERMINERS = "the two three some my".split()
_ADVERBS = {"present": ["today", "often"], "past": ["yesterday", "again"], "future": ["tomorrow", "soon"]}

#: Suffixes of the invented language: noun plural, verb past and future, object marker word.
STANDIN_PLURAL_SUFFIX = "ek"
STANDIN_PAST_SUFFIX = "ta"
STANDIN_FUTURE_SUFFIX = "ru"
STANDIN_OBJECT_MARKER = "o"
_LANGUAGE_SEED = 17


def _standin_lexicon() -> dict[str, str]:
    """The invented language's word for each English lemma (fixed, independent of any seed)."""
    lemmas = [n[0] for n in _NOUNS] + _ADJECTIVES + [v[0] for v in _TRANSITIVE + _INTRANSITIVE]
    lemmas += _PREPOSITIONS + [p[0] for p in _PRONOUNS]
    lemmas += sorted(set(_SINGULAR_DETERMINERS + _PLURAL_DETERMINERS))
    lemmas += [a for group in _ADVERBS.values() for a in group]
    rng = np.random.RandomState(_LANGUAGE_SEED)
    # Words that could be confused with a suffixed form or the object marker are excluded.
    taken = {STANDIN_OBJECT_MARKER}
    words = _pseudo_words(rng, len(lemmas), taken, 2, 7)
    return dict(zip(lemmas, words, strict=True))


_STANDIN_LEXICON = _standin_lexicon()

#: The invented language's word for each English lemma (``{"man": ..., "see": ...}``).
STANDIN_LEXICON: dict[str, str] = dict(_STANDIN_LEXICON)


def _english_noun_phrase(rng: np.random.RandomState, animate_only: bool) -> tuple[list[str], list[str]]:
    """An English noun phrase and its translation (noun, adjectives, then determiner)."""
    n_nouns = _N_ANIMATE if animate_only else len(_NOUNS)
    singular, plural = _NOUNS[rng.randint(n_nouns)]
    is_plural = rng.rand() < 0.35
    determiner = (_PLURAL_DETERMINERS if is_plural else _SINGULAR_DETERMINERS)[rng.randint(5)]
    n_adjectives = (0, 0, 1, 1, 2)[rng.randint(5)]
    adjectives = []
    if n_adjectives:
        first = rng.randint(len(_ADJECTIVES))
        adjectives.append(_ADJECTIVES[first])
        if n_adjectives == 2:
            second = rng.randint(len(_ADJECTIVES) - 1)
            adjectives.append(_ADJECTIVES[second + (second >= first)])
    english = [determiner, *adjectives, plural if is_plural else singular]
    if determiner == "a" and english[1][0] in "aeiou":
        english[0] = "an"
    noun = _STANDIN_LEXICON[singular] + (STANDIN_PLURAL_SUFFIX if is_plural else "")
    target = [noun, *(_STANDIN_LEXICON[a] for a in reversed(adjectives)), _STANDIN_LEXICON[determiner]]
    return english, target


def _parallel_sentence(rng: np.random.RandomState) -> tuple[str, str]:
    """One English sentence (3-15 words) and its translation into the invented language."""
    while True:
        tense = ("present", "past", "future")[rng.randint(3)]
        if rng.rand() < 0.35:
            subject_form, _, third_singular = _PRONOUNS[rng.randint(len(_PRONOUNS))]
            subject_en, subject_tg = [subject_form], [_STANDIN_LEXICON[subject_form]]
        else:
            subject_en, subject_tg = _english_noun_phrase(rng, animate_only=True)
            third_singular = subject_en[-1] in _SINGULAR_NOUNS
        transitive = rng.rand() < 0.65
        verbs = _TRANSITIVE if transitive else _INTRANSITIVE
        base, third, past = verbs[rng.randint(len(verbs))]
        if tense == "present":
            verb_en = [third if third_singular else base]
            verb_tg = _STANDIN_LEXICON[base]
        elif tense == "past":
            verb_en = [past]
            verb_tg = _STANDIN_LEXICON[base] + STANDIN_PAST_SUFFIX
        else:
            verb_en = ["will", base]
            verb_tg = _STANDIN_LEXICON[base] + STANDIN_FUTURE_SUFFIX
        object_en: list[str] = []
        object_tg: list[str] = []
        if transitive:
            if rng.rand() < 0.25:
                _, object_form, _ = _PRONOUNS[rng.randint(len(_PRONOUNS))]
                subject_lemma = next(p[0] for p in _PRONOUNS if p[1] == object_form)
                object_en, object_tg = [object_form], [_STANDIN_LEXICON[subject_lemma]]
            else:
                object_en, object_tg = _english_noun_phrase(rng, animate_only=False)
            object_tg = [*object_tg, STANDIN_OBJECT_MARKER]
        place_en: list[str] = []
        place_tg: list[str] = []
        if rng.rand() < 0.4:
            preposition = _PREPOSITIONS[rng.randint(len(_PREPOSITIONS))]
            phrase_en, phrase_tg = _english_noun_phrase(rng, animate_only=False)
            place_en, place_tg = [preposition, *phrase_en], [*phrase_tg, _STANDIN_LEXICON[preposition]]
        adverb_en: list[str] = []
        adverb_tg: list[str] = []
        if rng.rand() < 0.3:
            adverb = _ADVERBS[tense][rng.randint(2)]
            adverb_en, adverb_tg = [adverb], [_STANDIN_LEXICON[adverb]]
        english = subject_en + verb_en + object_en + place_en + adverb_en
        # The invented language: subject, adverb, place, object, verb (verb last).
        target = subject_tg + adverb_tg + place_tg + object_tg + [verb_tg]
        if 3 <= len(english) <= 15:
            return _sentence_case(english), _sentence_case(target)


def _sentence_case(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def translate_to_standin(english: str) -> str:
    """Translate a sentence of the parallel stand-in into the invented language.

    Works for the sentences :func:`make_parallel_pairs` writes (it re-derives the structure from
    the words), so it gives the one correct translation to compare a model's output with.

    Raises:
        ValueError: for a sentence the stand-in's grammar cannot produce.
    """
    if not isinstance(english, str) or not english.strip():
        raise ValueError(f"english={english!r} must be a non-empty sentence.")
    words = english.strip().rstrip(".").lower().split()
    plural_of = {p: s for s, p in _NOUNS}
    nouns = {s for s, _ in _NOUNS}
    verb_forms = {}
    for base, third, past in _TRANSITIVE + _INTRANSITIVE:
        verb_forms[base] = (base, "present")
        verb_forms[third] = (base, "present")
        verb_forms[past] = (base, "past")
    subject_pronouns = {p[0] for p in _PRONOUNS}
    object_pronouns = {p[1]: p[0] for p in _PRONOUNS}

    def noun_phrase(i: int) -> tuple[list[str], int]:
        determiner = "a" if words[i] == "an" else words[i]
        j = i + 1
        adjectives = []
        while j < len(words) and words[j] in _ADJECTIVES:
            adjectives.append(words[j])
            j += 1
        if j >= len(words) or (words[j] not in nouns and words[j] not in plural_of):
            raise ValueError(
                f"{english!r} is not a sentence of the parallel stand-in (no noun after {' '.join(words[i:j])!r})."
            )
        noun = words[j]
        stem = _STANDIN_LEXICON[plural_of.get(noun, noun)] + (STANDIN_PLURAL_SUFFIX if noun in plural_of else "")
        return [stem, *(_STANDIN_LEXICON[a] for a in reversed(adjectives)), _STANDIN_LEXICON[determiner]], j + 1

    try:
        if words[0] in subject_pronouns:
            subject, i = [_STANDIN_LEXICON[words[0]]], 1
        else:
            subject, i = noun_phrase(0)
        if words[i] == "will":
            lemma, tense, i = words[i + 1], "future", i + 2
        else:
            lemma, tense = verb_forms[words[i]]
            i += 1
        suffix = {"present": "", "past": STANDIN_PAST_SUFFIX, "future": STANDIN_FUTURE_SUFFIX}[tense]
        verb = _STANDIN_LEXICON[lemma] + suffix
        obj: list[str] = []
        if i < len(words) and words[i] not in _PREPOSITIONS and words[i] not in _STANDIN_ADVERBS:
            if words[i] in object_pronouns:
                obj, i = [_STANDIN_LEXICON[object_pronouns[words[i]]]], i + 1
            else:
                obj, i = noun_phrase(i)
            obj.append(STANDIN_OBJECT_MARKER)
        place: list[str] = []
        if i < len(words) and words[i] in _PREPOSITIONS:
            phrase, j = noun_phrase(i + 1)
            place, i = [*phrase, _STANDIN_LEXICON[words[i]]], j
        adverb: list[str] = []
        if i < len(words) and words[i] in _STANDIN_ADVERBS:
            adverb, i = [_STANDIN_LEXICON[words[i]]], i + 1
        if i != len(words):
            raise ValueError(
                f"{english!r} is not a sentence of the parallel stand-in (unexpected {' '.join(words[i:])!r})."
            )
    except (IndexError, KeyError) as error:
        raise ValueError(f"{english!r} is not a sentence of the parallel stand-in ({error}).") from None
    return _sentence_case(subject + adverb + place + obj + [verb])


_STANDIN_ADVERBS = {a for group in _ADVERBS.values() for a in group}


def make_parallel_pairs(n_pairs: int = 50_000, seed: int = 0) -> list[tuple[str, str]]:
    """English sentences and their translations into the invented verb-final language.

    English "The old man will see two red birds in the garden." becomes, word for word through a
    fixed lexicon (:data:`STANDIN_LEXICON`), *subject - adverb - place - object + "o" - verb*, with
    adjectives and then the determiner after each noun, the plural as the suffix "ek", the past
    as "ta" and the future as "ru" on the verb ("will see" is one word). The word order differs a
    lot (the English verb is second, the invented one last), the alignment is not monotone, and
    lengths differ, as in real translation; but every sentence has exactly one translation
    (:func:`translate_to_standin`), so a perfect model reaches BLEU 1. English sentences have 3 to
    15 words.

    Args:
        n_pairs: number of pairs (at least 1). A larger ``n_pairs`` with the same seed extends the
            smaller list.
        seed: equal seeds give equal pairs.
    """
    n_pairs = _check_int("n_pairs", n_pairs, 1)
    rng = _stream(_check_seed(seed), 20)
    return [_parallel_sentence(rng) for _ in range(n_pairs)]


def make_parallel_text(n_pairs: int = 50_000, seed: int = 0) -> str:
    """The pairs of :func:`make_parallel_pairs` as a ``fra.txt``-style file.

    One pair per line: ``English<TAB>translation<TAB>attribution``, as the Tatoeba/Anki files do
    (the loader keeps the first two fields), ending with a newline.
    """
    pairs = make_parallel_pairs(n_pairs, seed)
    return "".join(f"{en}\t{tg}\tgenerated stand-in pair #{i + 1}\n" for i, (en, tg) in enumerate(pairs))


# ---------------------------------------------------------------------------------------------
# Dates: human formats -> ISO 8601.
# ---------------------------------------------------------------------------------------------

MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


#: The human-side formats of :func:`make_date_pairs`, by name, with an example for 2021-03-03.
#: Numeric formats are unambiguous: "/" is always month/day/year, "." always day.month.year.
DATE_FORMATS = {
    "month_day_year": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",  # March 3, 2021
    "day_month_year": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",  # 3 March 2021
    "abbrev_month_day_year": lambda d: f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}",  # Mar 3, 2021
    "day_abbrev_month_year": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",  # 3 Mar 2021
    "us_numeric": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",  # 03/03/2021
    "european_numeric": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",  # 03.03.2021
    "weekday_month_day_year": lambda d: f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    "abbrev_weekday": lambda d: f"{WEEKDAYS[d.weekday()][:3]}, {MONTHS[d.month - 1][:3]} {d.day}, {d.year}",
    "ordinal": lambda d: f"the {_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",  # the 3rd of March 2021
    "lower_month_day_year": lambda d: f"{MONTHS[d.month - 1].lower()} {d.day} {d.year}",  # march 3 2021
}


def make_date_pairs(
    n: int = 10_000,
    seed: int = 0,
    *,
    start: date = date(1950, 1, 1),
    end: date = date(2049, 12, 31),
) -> list[tuple[str, str]]:
    """Pairs ``(human-written date, ISO date)`` such as ``("Wednesday, March 3, 2021", "2021-03-03")``.

    Dates are uniform over ``[start, end]``; each gets one of the :data:`DATE_FORMATS` at random.
    English month and weekday names are built in (no locale involved). The mapping from input to
    output is a function, so a perfect model gets every pair right.

    Args:
        n: number of pairs (at least 1).
        seed: equal seeds give equal pairs.
        start, end: the range of dates (inclusive, ``start <= end``).
    """
    n = _check_int("n", n, 1)
    rng = _stream(_check_seed(seed), 30)
    if not (isinstance(start, date) and isinstance(end, date)) or start > end:
        raise ValueError(f"start={start!r} and end={end!r} must be dates with start <= end.")
    span = (end - start).days + 1
    offsets = rng.randint(span, size=n)
    formats = list(DATE_FORMATS.values())
    choices = rng.randint(len(formats), size=n)
    pairs = []
    for offset, choice in zip(offsets.tolist(), choices.tolist(), strict=True):
        day = start + timedelta(days=offset)
        pairs.append((formats[choice](day), day.isoformat()))
    return pairs
