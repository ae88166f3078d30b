"""The IMDB stand-in: movie reviews whose label depends on word order, with known best figures.

Reviews in Keras' raw ``imdb.npz`` layout (:func:`make_imdb_standin`, written to files by
:func:`write_imdb_standin` for :func:`utils.datasets.load_imdb`). The label is the polarity of the
last opinion, with negation (:func:`imdb_rule_label`), flipped for a stated fraction ``epsilon``
of the reviews: the Bayes accuracy is ``1 - epsilon``, and :func:`imdb_bow_accuracy_bound` bounds
what any bag-of-words classifier can reach.
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
from pathlib import Path

import numpy as np

from utils.checks import check_dir, check_fraction, fail
from utils.standins._common import STANDIN_VERSION, _check_int, _check_seed, _pseudo_words, _stream

__all__ = [
    "IMDB_LENGTH_RANGE",
    "IMDB_MEDIAN_LENGTH",
    "IMDB_MOOD_AGREEMENT",
    "IMDB_NEGATION_RATE",
    "IMDB_OPINIONS_PER_REVIEW",
    "IMDB_SENTENCE_KINDS",
    "NEGATIVE_WORDS",
    "NEGATORS",
    "POSITIVE_WORDS",
    "ImdbStandin",
    "imdb_bow_accuracy_bound",
    "imdb_rule_label",
    "imdb_standin_word_index",
    "make_imdb_standin",
    "read_imdb_standin_info",
    "write_imdb_standin",
    "write_imdb_standin_word_index",
]

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
