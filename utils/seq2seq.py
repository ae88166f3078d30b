"""Data plumbing for sequence-to-sequence models: sentence cleaning, vocabularies with the special
tokens, padded id arrays for teacher forcing, and turning predicted ids back into tokens.

Notebook 09 uses it for both of its tasks (dates by characters, sentence pairs by words)::

    from utils import seq2seq
    source_vocab = seq2seq.make_vocab(source_tokens)
    target_vocab = seq2seq.make_vocab(target_tokens)
    arrays = seq2seq.encode_pairs(source_tokens, target_tokens, source_vocab, target_vocab)
    arrays.source            # (n, S) source ids, padded with <pad>
    arrays.decoder_input     # (n, T) <bos> y_1 ... y_m, padded: what the decoder reads (teacher forcing)
    arrays.decoder_target    # (n, T) y_1 ... y_m <eos>, padded: what it must predict

The special tokens come right after ``<unk>`` (id 0) in every vocabulary made here, so their ids
are the same everywhere: ``PAD_ID = 1``, ``BOS_ID = 2``, ``EOS_ID = 3``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from utils.text import Vocab

__all__ = [
    "BOS",
    "BOS_ID",
    "EOS",
    "EOS_ID",
    "PAD",
    "PAD_ID",
    "SPECIAL_TOKENS",
    "PairArrays",
    "encode_pairs",
    "ids_to_tokens",
    "make_vocab",
    "preprocess_sentence",
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
        indices = np.asarray(indices)
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
    if source_padding not in ("end", "start"):
        raise ValueError(f"source_padding={source_padding!r} must be 'end' or 'start'.")
    if len(source_tokens) != len(target_tokens):
        raise ValueError(f"{len(source_tokens)} sources but {len(target_tokens)} targets; they must match.")
    if len(source_tokens) == 0:
        raise ValueError("source_tokens is empty; give at least one pair.")
    for name, vocab in (("source_vocab", source_vocab), ("target_vocab", target_vocab)):
        if not isinstance(vocab, Vocab) or vocab.idx_to_token[1:4] != list(SPECIAL_TOKENS):
            raise ValueError(f"{name}={vocab!r} must come from make_vocab (ids 1-3 for {', '.join(SPECIAL_TOKENS)}).")
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


def ids_to_tokens(ids: Sequence[int] | np.ndarray, vocab: Vocab) -> list[str]:
    """The tokens of a predicted id sequence, up to (not including) the first ``<eos>``.

    ``<bos>`` and ``<pad>`` are dropped, so the result can go straight to BLEU.
    """
    tokens = []
    for token in vocab.decode(np.asarray(ids, dtype=np.int64).reshape(-1)):
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
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n={n!r} must be an integer >= 2.")
    if not isinstance(test_fraction, (int, float)) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction={test_fraction!r} must be a number in (0, 1).")
    n_test = min(n - 1, max(1, round(n * test_fraction)))
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])
