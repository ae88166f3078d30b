"""Tests of utils.seq2seq: the date task, cleaning, vocabularies with special tokens, padded arrays."""

import re
from datetime import date, datetime

import numpy as np
import pytest

from utils import seq2seq
from utils.text import Vocab


def test_preprocess_sentence_separates_punctuation():
    assert seq2seq.preprocess_sentence("Va, cours\u202f!") == "va , cours !"
    assert seq2seq.preprocess_sentence("The old man saw  a dog.") == "the old man saw a dog ."
    assert seq2seq.preprocess_sentence("Who?\xa0Me!") == "who ? me !"
    with pytest.raises(ValueError, match="str"):
        seq2seq.preprocess_sentence(None)


def test_make_vocab_puts_special_tokens_first():
    vocab = seq2seq.make_vocab([["b", "a", "b"], ["c"]])
    assert vocab.idx_to_token[:4] == ["<unk>", seq2seq.PAD, seq2seq.BOS, seq2seq.EOS]
    assert vocab["b"] == 4 and vocab["zzz"] == 0
    assert (seq2seq.PAD_ID, seq2seq.BOS_ID, seq2seq.EOS_ID) == (1, 2, 3)
    with pytest.raises(ValueError, match="token_lists"):
        seq2seq.make_vocab("abc")


def test_encode_pairs_shifts_targets_for_teacher_forcing():
    source = [["x", "y", "z"], ["y"]]
    target = [["a", "b"], ["b", "b", "a"]]
    sv, tv = seq2seq.make_vocab(source), seq2seq.make_vocab(target)
    arrays = seq2seq.encode_pairs(source, target, sv, tv)
    assert arrays.source.shape == (2, 3) and arrays.decoder_input.shape == (2, 4)
    assert arrays.source[1, 1:].tolist() == [seq2seq.PAD_ID] * 2
    # the decoder reads <bos> y_1 ... and must predict y_1 ... <eos>: the same tokens shifted by one
    for row, length in enumerate(arrays.target_lengths):
        assert arrays.decoder_input[row, 0] == seq2seq.BOS_ID
        assert arrays.decoder_target[row, length - 1] == seq2seq.EOS_ID
        assert np.array_equal(arrays.decoder_input[row, 1:length], arrays.decoder_target[row, : length - 1])
        assert np.all(arrays.decoder_target[row, length:] == seq2seq.PAD_ID)
    assert arrays.source_lengths.tolist() == [3, 1] and arrays.target_lengths.tolist() == [3, 4]
    assert seq2seq.ids_to_tokens(arrays.decoder_target[0], tv) == ["a", "b"]
    wide = seq2seq.encode_pairs(source, target, sv, tv, source_len=5, target_len=6)
    assert wide.source.shape == (2, 5) and wide.decoder_target.shape == (2, 6)
    front = seq2seq.encode_pairs(source, target, sv, tv, source_padding="start")
    assert front.source[1].tolist() == [seq2seq.PAD_ID, seq2seq.PAD_ID, sv["y"]]
    assert np.array_equal(front.source[0], arrays.source[0])
    assert np.array_equal(front.decoder_input, arrays.decoder_input)
    sub = arrays.subset(np.array([1]))
    assert len(sub) == 1 and sub.source_lengths.tolist() == [1]


def test_encode_pairs_validation():
    source, target = [["x"]], [["a"]]
    sv, tv = seq2seq.make_vocab(source), seq2seq.make_vocab(target)
    with pytest.raises(ValueError, match="match"):
        seq2seq.encode_pairs(source, target * 2, sv, tv)
    with pytest.raises(ValueError, match="source_len=0"):
        seq2seq.encode_pairs(source, target, sv, tv, source_len=0)
    with pytest.raises(ValueError, match="target_len=1"):
        seq2seq.encode_pairs(source, target, sv, tv, target_len=1)
    with pytest.raises(ValueError, match="source_padding='left'"):
        seq2seq.encode_pairs(source, target, sv, tv, source_padding="left")
    with pytest.raises(ValueError, match="make_vocab"):
        seq2seq.encode_pairs(source, target, Vocab(["x"]), tv)


def test_ids_to_tokens_stops_at_eos():
    vocab = seq2seq.make_vocab([["a", "b"]])
    ids = [seq2seq.BOS_ID, vocab["a"], seq2seq.PAD_ID, vocab["b"], seq2seq.EOS_ID, vocab["a"]]
    assert seq2seq.ids_to_tokens(ids, vocab) == ["a", "b"]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        seq2seq.ids_to_tokens([99], vocab)


def test_split_indices():
    train, test = seq2seq.split_indices(100, 0.2, seed=1)
    assert len(test) == 20 and len(train) == 80
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(100))
    again = seq2seq.split_indices(100, 0.2, seed=1)
    assert np.array_equal(again[1], test)
    assert not np.array_equal(seq2seq.split_indices(100, 0.2, seed=2)[1], test)
    with pytest.raises(ValueError, match="test_fraction=1.5"):
        seq2seq.split_indices(10, 1.5)
    with pytest.raises(ValueError, match="n=1"):
        seq2seq.split_indices(1, 0.5)


def test_split_by_group_keeps_equal_keys_together():
    keys = ["go .", "hi .", "go .", "run !", "run !", "run !", "who ?", "wow !", "go .", "fire !"]
    train, test = seq2seq.split_by_group(keys, 0.4, seed=0)
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(keys)))
    train_keys, test_keys = {keys[i] for i in train}, {keys[i] for i in test}
    assert not train_keys & test_keys, "no test key is seen in training"
    assert len(test_keys) == 2, "40% of the 6 distinct keys"
    for key in test_keys:  # every item of a test key is in the test part
        assert {i for i, k in enumerate(keys) if k == key} <= set(test.tolist())
    again = seq2seq.split_by_group(keys, 0.4, seed=0)
    assert np.array_equal(again[1], test)
    assert any(not np.array_equal(seq2seq.split_by_group(keys, 0.4, seed=s)[1], test) for s in range(1, 6))
    with pytest.raises(ValueError, match="distinct"):
        seq2seq.split_by_group(["a", "a"], 0.5)
    with pytest.raises(ValueError, match="keys"):
        seq2seq.split_by_group("abc", 0.5)
    with pytest.raises(ValueError, match="test_fraction"):
        seq2seq.split_by_group(keys, 0.0)


def random_pairs(n: int, seed: int = 0) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    words = list("abcdefgh")
    source = [list(rng.choice(words, size=rng.integers(1, 9))) for _ in range(n)]
    target = [list(rng.choice(words, size=rng.integers(1, 12))) for _ in range(n)]
    return source, target


@pytest.mark.parametrize("padding", ["start", "end"])
def test_length_batches_cover_every_pair_once_and_cut_the_padding(padding):
    source, target = random_pairs(103)
    sv, tv = seq2seq.make_vocab(source), seq2seq.make_vocab(target)
    arrays = seq2seq.encode_pairs(source, target, sv, tv, source_padding=padding)
    batches = list(seq2seq.length_batches(arrays, 16, rng=0))
    assert len(batches) == 7 and sum(len(labels) for _, labels in batches) == 103
    seen = []
    for (batch_source, batch_input), batch_target in batches:
        assert batch_input.shape == batch_target.shape
        # each batch is cut to its own longest pair: its last target column and its outer source column are used
        assert np.any(batch_target[:, -1] != seq2seq.PAD_ID)
        assert np.any(batch_source[:, 0 if padding == "start" else -1] != seq2seq.PAD_ID)
        for row in range(len(batch_target)):
            tokens = seq2seq.ids_to_tokens(batch_target[row], tv)
            source_tokens = [t for t in sv.decode(batch_source[row]) if t != seq2seq.PAD]
            seen.append((tuple(source_tokens), tuple(tokens)))
            assert batch_input[row, 0] == seq2seq.BOS_ID
    expected = [(tuple(s), tuple(t)) for s, t in zip(source, target)]
    assert sorted(seen) == sorted(expected), "every pair exactly once, tokens intact"
    # sorted by target length, so a batch is far narrower than the widest pair
    widths = [labels.shape[1] for _, labels in batches]
    assert min(widths) < arrays.decoder_target.shape[1] and np.mean(widths) < arrays.decoder_target.shape[1]


def test_length_batches_order_changes_with_the_generator():
    source, target = random_pairs(50, seed=1)
    arrays = seq2seq.encode_pairs(source, target, seq2seq.make_vocab(source), seq2seq.make_vocab(target))
    rng = np.random.default_rng(3)
    first = [labels.tolist() for _, labels in seq2seq.length_batches(arrays, 8, rng)]
    second = [labels.tolist() for _, labels in seq2seq.length_batches(arrays, 8, rng)]
    assert first != second, "a new order every epoch from the same generator"
    again = [labels.tolist() for _, labels in seq2seq.length_batches(arrays, 8, np.random.default_rng(3))]
    assert again == first, "reproducible from the seed"
    with pytest.raises(ValueError, match="batch_size=0"):
        next(seq2seq.length_batches(arrays, 0))
    with pytest.raises(ValueError, match="PairArrays"):
        next(seq2seq.length_batches("pairs", 8))


# ---------------------------------------------------------------------------------------------
# The date task.
# ---------------------------------------------------------------------------------------------

_PARSE = {
    "month_day_year": "%B %d, %Y",
    "day_month_year": "%d %B %Y",
    "abbrev_month_day_year": "%b %d, %Y",
    "day_abbrev_month_year": "%d %b %Y",
    "us_numeric": "%m/%d/%Y",
    "european_numeric": "%d.%m.%Y",
    "weekday_month_day_year": "%A, %B %d, %Y",
    "abbrev_weekday": "%a, %b %d, %Y",
    "lower_month_day_year": "%B %d %Y",
}


def _parse_human(text: str) -> date:
    ordinal = re.fullmatch(r"the (\d+)(st|nd|rd|th) of (\w+) (\d+)", text)
    if ordinal:
        return datetime.strptime(f"{ordinal[1]} {ordinal[3]} {ordinal[4]}", "%d %B %Y").date()
    for layout in _PARSE.values():
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise AssertionError(f"unparsable date {text!r}")


def test_date_pairs_parse_back_to_the_same_day():
    pairs = seq2seq.make_date_pairs(2000, seed=5)
    assert pairs == seq2seq.make_date_pairs(2000, seed=5) and pairs != seq2seq.make_date_pairs(2000, seed=6)
    for human, iso in pairs:
        day = datetime.strptime(iso, "%Y-%m-%d").date()
        assert _parse_human(human) == day
        assert date(1950, 1, 1) <= day <= date(2049, 12, 31)
        if human[0].isupper() and "," in human and human.split(",")[0] in seq2seq.WEEKDAYS:
            assert human.split(",")[0] == seq2seq.WEEKDAYS[day.weekday()]
    # Every format is used, and numeric ones keep their fixed day/month order.
    assert len({re.sub(r"\d", "0", h.split()[0]) for h, _ in pairs}) >= 8
    assert seq2seq.make_date_pairs(1, start=date(2021, 3, 3), end=date(2021, 3, 3))[0][1] == "2021-03-03"


def test_date_pairs_bad_arguments():
    for call, name in [
        (lambda: seq2seq.make_date_pairs(0), "n"),
        (lambda: seq2seq.make_date_pairs(5, seed=-3), "seed"),
        (lambda: seq2seq.make_date_pairs(5, start=date(2020, 1, 2), end=date(2020, 1, 1)), "start"),
    ]:
        with pytest.raises(ValueError, match=name):
            call()
