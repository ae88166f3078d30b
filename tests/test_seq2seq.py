"""Tests of utils.seq2seq: cleaning, vocabularies with special tokens, padded arrays."""

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
