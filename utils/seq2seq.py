"""Data for sequence-to-sequence models: the date task, sentence cleaning, vocabularies with the
special tokens, padded id arrays for teacher forcing, splits that keep a sentence's pairs together,
training batches of similar length, and turning predicted ids back into tokens.

Notebook 09 uses it for both of its tasks (dates by characters, sentence pairs by words). The
dates come from :func:`make_date_pairs` (human-written dates and their ISO form, a deterministic
mapping, so a perfect model gets every pair right); the sentence pairs from
:func:`utils.datasets.load_translation_pairs`::

    from utils import seq2seq
    pairs = seq2seq.make_date_pairs(10_000, seed=0)   # pairs such as ("March 3, 2021", "2021-03-03")
    source_vocab = seq2seq.make_vocab(source_tokens)
    target_vocab = seq2seq.make_vocab(target_tokens)
    arrays = seq2seq.encode_pairs(source_tokens, target_tokens, source_vocab, target_vocab)
    arrays.source            # (n, S) source ids, padded with <pad>
    arrays.decoder_input     # (n, T) <bos> y_1 ... y_m, padded: what the decoder reads (teacher forcing)
    arrays.decoder_target    # (n, T) y_1 ... y_m <eos>, padded: what it must predict

    train, test = seq2seq.split_by_group(source_sentences, 0.1)  # a sentence's pairs stay on one side
    for (source, decoder_input), decoder_target in seq2seq.length_batches(arrays.subset(train), 64):
        ...  # batches of similar length, each padded only to its longest pair

The special tokens come right after ``<unk>`` (id 0) in every vocabulary made here, so their ids
are the same everywhere: ``PAD_ID = 1``, ``BOS_ID = 2``, ``EOS_ID = 3``.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from utils.checks import (
    LEGACY_SEED_LIMIT,
    check_array,
    check_choice,
    check_fraction,
    check_int,
    check_seed,
    check_sequence,
    fail,
)
from utils.text import Vocab

__all__ = [
    "BOS",
    "BOS_ID",
    "DATE_FORMATS",
    "EOS",
    "EOS_ID",
    "MONTHS",
    "PAD",
    "PAD_ID",
    "SPECIAL_TOKENS",
    "WEEKDAYS",
    "PairArrays",
    "encode_pairs",
    "ids_to_tokens",
    "length_batches",
    "make_date_pairs",
    "make_vocab",
    "preprocess_sentence",
    "split_by_group",
    "split_indices",
]

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SPECIAL_TOKENS = (PAD, BOS, EOS)
PAD_ID, BOS_ID, EOS_ID = 1, 2, 3

_SPACE_BEFORE = re.compile(r"(?<=\S)([,.!?])")


def preprocess_sentence(text: str) -> str:
    """d2l's cleaning of a translation pair's side: lower case, and punctuation as separate words.

    Non-breaking spaces (French typography puts them before ``!`` and ``?``) become plain spaces,
    and a space is put before each of ``, . ! ?`` that follows a non-space, so that
    ``"Va, cours !"`` becomes ``"va , cours !"``. Whitespace runs become single spaces.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}.")
    text = text.replace("\u202f", " ").replace("\xa0", " ").lower()
    return " ".join(_SPACE_BEFORE.sub(r" \1", text).split())


def make_vocab(token_lists: Sequence[Sequence[str]], min_freq: int = 1) -> Vocab:
    """A :class:`utils.text.Vocab` with ``<pad>``, ``<bos>``, ``<eos>`` at ids 1, 2, 3.

    Args:
        token_lists: the training sequences, each a list of tokens.
        min_freq: tokens seen fewer times map to ``<unk>`` (id 0).
    """
    if isinstance(token_lists, str) or not isinstance(token_lists, Sequence):
        raise ValueError("token_lists must be a list of token lists, e.g. [['va', '!'], ...].")
    vocab = Vocab(token_lists, min_freq=min_freq, reserved_tokens=SPECIAL_TOKENS)
    assert (vocab[PAD], vocab[BOS], vocab[EOS]) == (PAD_ID, BOS_ID, EOS_ID)
    return vocab


@dataclass(frozen=True)
class PairArrays:
    """Padded id arrays for a set of (source, target) pairs.

    Attributes:
        source: ``(n, source_len)`` source ids, padded with ``PAD_ID`` (at the end unless
            ``source_padding="start"``).
        decoder_input: ``(n, target_len)``: ``BOS_ID`` then the target ids (teacher forcing input).
        decoder_target: ``(n, target_len)``: the target ids then ``EOS_ID`` (what to predict).
        source_lengths: number of real (non-pad) source tokens of each pair.
        target_lengths: number of real target positions of each pair (target tokens + ``<eos>``).
    """

    source: np.ndarray
    decoder_input: np.ndarray
    decoder_target: np.ndarray
    source_lengths: np.ndarray
    target_lengths: np.ndarray

    def __len__(self) -> int:
        return len(self.source)

    def subset(self, indices: np.ndarray) -> PairArrays:
        """The pairs at ``indices``, same padded widths."""
        indices = check_array("indices", indices, ndim=1)
        if indices.dtype.kind == "b":
            if len(indices) != len(self):
                raise fail("indices", indices, f"a mask of {len(self)} booleans or integer positions")
        elif indices.size:
            indices = check_array("indices", indices, kind="integer")
            if indices.min() < -len(self) or indices.max() >= len(self):
                raise fail("indices", indices, f"positions from 0 to {len(self) - 1}", f"there are {len(self)} pairs")
        else:
            indices = indices.astype(np.int64)
        return PairArrays(*(getattr(self, name)[indices] for name in self.__dataclass_fields__))


def _pad(sequences: list[np.ndarray], width: int, at_start: bool = False) -> np.ndarray:
    out = np.full((len(sequences), width), PAD_ID, dtype=np.int32)
    for row, ids in enumerate(sequences):
        if at_start:
            out[row, width - len(ids) :] = ids
        else:
            out[row, : len(ids)] = ids
    return out


def encode_pairs(
    source_tokens: Sequence[Sequence[str]],
    target_tokens: Sequence[Sequence[str]],
    source_vocab: Vocab,
    target_vocab: Vocab,
    source_len: int | None = None,
    target_len: int | None = None,
    source_padding: str = "end",
) -> PairArrays:
    """Map token lists to padded id arrays (see :class:`PairArrays`).

    Args:
        source_tokens, target_tokens: the two sides, one token list per pair (same number of pairs).
        source_vocab, target_vocab: vocabularies from :func:`make_vocab`.
        source_len: width of ``source`` (default: the longest source). Longer sources raise.
        target_len: width of the decoder arrays, ``<bos>`` / ``<eos>`` included (default: the
            longest target + 1). Longer targets raise.
        source_padding: ``"end"`` (``x_1 ... x_n <pad> ...``) or ``"start"`` (``<pad> ... x_1 ... x_n``).
            Padding at the start lets an encoder RNN run without a mask and still end its pass
            right after the last real token. Targets are always padded at the end.
    """
    source_padding = check_choice("source_padding", source_padding, ("end", "start"))
    source_tokens = check_sequence("source_tokens", source_tokens, expected="a list of token lists, one per pair")
    target_tokens = check_sequence("target_tokens", target_tokens, expected="a list of token lists, one per pair")
    source_len = check_int("source_len", source_len, minimum=1, allow_none=True)
    target_len = check_int("target_len", target_len, minimum=2, allow_none=True, hint="<bos> or <eos> and a token")
    if len(source_tokens) != len(target_tokens):
        raise ValueError(f"{len(source_tokens)} sources but {len(target_tokens)} targets; they must match.")
    if len(source_tokens) == 0:
        raise ValueError("source_tokens is empty; give at least one pair.")
    for name, vocab in (("source_vocab", source_vocab), ("target_vocab", target_vocab)):
        if not isinstance(vocab, Vocab) or vocab.idx_to_token[1:4] != list(SPECIAL_TOKENS):
            raise ValueError(f"{name}={vocab!r} must come from make_vocab (ids 1-3 for {', '.join(SPECIAL_TOKENS)}).")
    for name, side in (("source_tokens", source_tokens), ("target_tokens", target_tokens)):
        for index, tokens in enumerate(side):
            if isinstance(tokens, str) or not isinstance(tokens, (Sequence, np.ndarray)):
                raise fail(f"{name}[{index}]", tokens, "a list of tokens", "split a sentence into tokens first")
    sources = [source_vocab.encode(tokens) for tokens in source_tokens]
    targets = [target_vocab.encode(tokens) for tokens in target_tokens]
    longest_source = max(len(s) for s in sources)
    longest_target = max(len(t) for t in targets) + 1
    source_len = longest_source if source_len is None else int(source_len)
    target_len = longest_target if target_len is None else int(target_len)
    if source_len < longest_source:
        raise ValueError(f"source_len={source_len} is shorter than the longest source ({longest_source} tokens).")
    if target_len < longest_target:
        raise ValueError(f"target_len={target_len} is shorter than the longest target + <eos> ({longest_target}).")
    return PairArrays(
        source=_pad(sources, source_len, at_start=source_padding == "start"),
        decoder_input=_pad([np.concatenate([[BOS_ID], t]) for t in targets], target_len),
        decoder_target=_pad([np.concatenate([t, [EOS_ID]]) for t in targets], target_len),
        source_lengths=np.array([len(s) for s in sources], dtype=np.int32),
        target_lengths=np.array([len(t) + 1 for t in targets], dtype=np.int32),
    )


def _source_padded_at_start(arrays: PairArrays) -> bool:
    """Whether ``arrays.source`` is padded at the start (True) or at the end (False)."""
    width = arrays.source.shape[1]
    columns = np.arange(width)[None, :]
    lengths = arrays.source_lengths[:, None]
    real = arrays.source != PAD_ID
    if np.array_equal(real, columns >= width - lengths):
        return True
    if np.array_equal(real, columns < lengths):
        return False
    raise ValueError("arrays.source is padded neither at the start nor at the end of every row; use encode_pairs.")


def length_batches(
    arrays: PairArrays, batch_size: int, rng: np.random.Generator | int | None = None
) -> Iterator[tuple[tuple[np.ndarray, np.ndarray], np.ndarray]]:
    """One epoch of training batches of pairs with similar target lengths, each cut to its longest pair.

    Padding every pair to the longest one of the whole set spends most of the work on ``<pad>``
    when most sentences are short. Here the pairs are sorted by target length (ties in random
    order) and cut into batches of ``batch_size``, the batches come in random order, and each
    batch keeps only the columns its longest source and longest target need (a source padded at
    the start keeps its last columns). Every pair appears exactly once.

    Args:
        arrays: the training pairs, from :func:`encode_pairs`.
        batch_size: pairs per batch (the last batch of the sorted order may be smaller).
        rng: a NumPy generator or seed for the order; pass the same generator every epoch to get
            a new order each time.

    Yields:
        ``((source, decoder_input), decoder_target)`` for each batch: the inputs and labels of a
        teacher-forced training step.
    """
    if not isinstance(arrays, PairArrays):
        raise ValueError(f"arrays must be PairArrays from encode_pairs, got {type(arrays).__name__}.")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    rng = check_seed("rng", rng, allow_generator=True)
    at_start = _source_padded_at_start(arrays)
    rng = np.random.default_rng(rng)
    order = np.argsort(arrays.target_lengths + rng.random(len(arrays)), kind="stable")
    batches = [order[first : first + batch_size] for first in range(0, len(order), batch_size)]
    for rows in (batches[i] for i in rng.permutation(len(batches))):
        source_width, target_width = arrays.source_lengths[rows].max(), arrays.target_lengths[rows].max()
        columns = slice(arrays.source.shape[1] - source_width, None) if at_start else slice(0, source_width)
        inputs = (arrays.source[rows, columns], arrays.decoder_input[rows, :target_width])
        yield inputs, arrays.decoder_target[rows, :target_width]


def ids_to_tokens(ids: Sequence[int] | np.ndarray, vocab: Vocab) -> list[str]:
    """The tokens of a predicted id sequence, up to (not including) the first ``<eos>``.

    ``<bos>`` and ``<pad>`` are dropped, so the result can go straight to BLEU.
    """
    if not isinstance(vocab, Vocab):
        raise fail("vocab", vocab, "a Vocab (from make_vocab)")
    try:
        ndim = np.ndim(ids)
    except ValueError:  # ragged rows
        ndim = None
    if isinstance(ids, (str, bytes)) or ids is None or ndim != 1:
        raise fail("ids", ids, "a 1-D sequence of token ids (one output sequence)")
    if len(ids) == 0:
        return []
    ids = check_array("ids", ids, ndim=1, kind="integer")  # a batch (2-D) would be read as one sequence
    tokens = []
    for token in vocab.decode(ids.astype(np.int64)):
        if token == EOS:
            break
        if token not in (PAD, BOS):
            tokens.append(token)
    return tokens


def split_indices(n: int, test_fraction: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A random split of ``range(n)`` into training and test indices (sorted), reproducible by seed.

    Args:
        n: number of items (at least 2).
        test_fraction: share of the items in the test part, in (0, 1); at least one item goes to each part.
        seed: the permutation's seed.
    """
    n = check_int("n", n, minimum=2)
    test_fraction = check_fraction("test_fraction", test_fraction)
    seed = check_seed("seed", seed)
    n_test = min(n - 1, max(1, round(n * test_fraction)))
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def split_by_group(keys: Sequence[Hashable], test_fraction: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A random split of ``range(len(keys))`` in which items with equal keys fall on the same side.

    For translation pairs, the key is the (preprocessed) source sentence: a sentence with several
    translations is then either wholly in training or wholly in the test part, so that no test
    source was seen in training, and the test part holds all of its translations.

    Args:
        keys: one hashable key per item (at least two distinct keys).
        test_fraction: share of the distinct keys whose items go to the test part, in (0, 1);
            at least one key goes to each part.
        seed: the seed of the permutation of the distinct keys.

    Returns:
        the training and the test indices, each sorted.
    """
    if isinstance(keys, str) or not isinstance(keys, Sequence):
        raise ValueError("keys must be a list with one key per item, e.g. the source sentences.")
    try:
        distinct = list(dict.fromkeys(keys))  # in order of first appearance, so the split is reproducible
    except TypeError as error:
        raise fail("keys", keys, "a list of hashable keys (strings, numbers, tuples)", str(error)) from None
    test_fraction = check_fraction("test_fraction", test_fraction)
    if len(distinct) < 2:
        raise ValueError(f"keys has {len(distinct)} distinct value(s); a split needs at least 2.")
    _, test_groups = split_indices(len(distinct), test_fraction, seed)
    test_keys = {distinct[i] for i in test_groups}
    in_test = np.array([key in test_keys for key in keys])
    return np.flatnonzero(~in_test), np.flatnonzero(in_test)


# ---------------------------------------------------------------------------------------------
# The date task: human-written dates -> ISO 8601.
# ---------------------------------------------------------------------------------------------

#: English month and weekday names (no locale involved).
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
    n = check_int("n", n, minimum=1)
    seed = check_seed("seed", seed, limit=LEGACY_SEED_LIMIT, allow_none=False)
    # NumPy's legacy generator (its streams are frozen across NumPy versions), seeded with (seed, 30):
    # the same pairs for the same seed on every machine, independent of any other seeded stream.
    rng = np.random.RandomState([seed, 30])
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
