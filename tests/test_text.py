"""Tests of utils.text: tokens, vocabulary, minibatches, n-gram models, perplexity, BPE."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from utils import text

# ---------------------------------------------------------------------------------------------
# Preprocessing and tokens.
# ---------------------------------------------------------------------------------------------


def test_preprocess_keeps_lower_case_letters_and_single_spaces():
    raw = "The Time Machine, by H. G. Wells [1898]\n\n\nI\n\nThe Time Traveller (for so it will be)"
    assert text.preprocess(raw) == "the time machine by h g wells i the time traveller for so it will be"
    assert text.preprocess("  --Hello--World--  ") == "hello world"
    assert text.preprocess("") == ""


def test_tokenize_by_word_and_by_character():
    assert text.tokenize("the time  machine") == ["the", "time", "machine"]
    assert text.tokenize("to be", "char") == ["t", "o", " ", "b", "e"]
    assert "".join(text.tokenize("to be", "char")) == "to be"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: text.preprocess(None), "text must be a str"),
        (lambda: text.tokenize(["a"]), "text must be a str"),
        (lambda: text.tokenize("a b", "subword"), "level='subword'"),
    ],
)
def test_preprocess_and_tokenize_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------------------------
# Vocabulary.
# ---------------------------------------------------------------------------------------------


def test_vocab_orders_by_count_then_alphabet_with_unknown_first():
    tokens = "b a c a b a d".split()
    vocab = text.Vocab(tokens)
    assert vocab.idx_to_token == ["<unk>", "a", "b", "c", "d"]
    assert vocab["a"] == 1 and vocab["zebra"] == 0 and vocab.unk == 0
    assert len(vocab) == 5 and "c" in vocab and "zebra" not in vocab
    assert vocab.counts["a"] == 3


def test_vocab_min_freq_and_reserved_tokens():
    tokens = "b a c a b a d".split()
    vocab = text.Vocab(tokens, min_freq=2, reserved_tokens=["<pad>", "<eos>"])
    assert vocab.idx_to_token == ["<unk>", "<pad>", "<eos>", "a", "b"]
    assert vocab["c"] == 0 and vocab.counts["c"] == 1  # counted, but below min_freq
    assert "min_freq=2" in repr(vocab)


def test_vocab_accepts_a_list_of_token_lists():
    flat = text.Vocab(["a", "b", "a"])
    nested = text.Vocab([["a", "b"], ["a"]])
    assert flat.idx_to_token == nested.idx_to_token


def test_vocab_encode_decode_round_trip():
    vocab = text.Vocab("the time machine the time".split())
    ids = vocab.encode(["the", "machine", "traveller"])
    assert ids.dtype == np.int64 and ids.tolist() == [vocab["the"], vocab["machine"], 0]
    assert vocab.decode(ids) == ["the", "machine", "<unk>"]
    assert vocab.decode([]) == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: text.Vocab(["a"], min_freq=0), "min_freq=0"),
        (lambda: text.Vocab(["a"], min_freq=1.5), "min_freq=1.5"),
        (lambda: text.Vocab(["a"], reserved_tokens="<pad>"), "reserved_tokens='<pad>'"),
        (lambda: text.Vocab(["a"], reserved_tokens=["<unk>"]), "reserved_tokens contains '<unk>'"),
        (lambda: text.Vocab(["a"], reserved_tokens=["<pad>", "<pad>"]), "duplicates"),
        (lambda: text.Vocab("a string"), "one string"),
        (lambda: text.Vocab([1, 2]), "got 1"),
        (lambda: text.Vocab([["a", 2]]), "got 2"),
        (lambda: text.Vocab(["a"]).encode("a"), "one string"),
        (lambda: text.Vocab(["a"]).decode([2]), "id 2 is not in the vocabulary"),
        (lambda: text.Vocab(["a"]).decode([0.5]), "id 0.5"),
    ],
)
def test_vocab_rejects_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_build_corpus_chains_preprocess_tokenize_and_vocab():
    raw = "The Time Machine, by H. G. Wells!"
    ids, vocab = text.build_corpus(raw, level="char")
    assert "".join(vocab.decode(ids)) == "the time machine by h g wells"
    word_ids, word_vocab = text.build_corpus(raw, level="word", max_tokens=3)
    assert word_vocab.decode(word_ids) == ["the", "time", "machine"]
    with pytest.raises(ValueError, match="max_tokens=0"):
        text.build_corpus(raw, max_tokens=0)
    with pytest.raises(ValueError, match="level='byte'"):
        text.build_corpus(raw, level="byte")


# ---------------------------------------------------------------------------------------------
# Minibatches.
# ---------------------------------------------------------------------------------------------

TOY = np.arange(35)


@pytest.mark.parametrize("make", [text.random_batches, text.sequential_batches])
def test_batches_have_the_shape_and_targets_shifted_by_one(make):
    batches = list(make(TOY, batch_size=2, num_steps=5, rng=0))
    assert len(batches) == 3
    for X, Y in batches:
        assert X.shape == Y.shape == (2, 5) and X.dtype == np.int64
        np.testing.assert_array_equal(Y, X + 1)
        np.testing.assert_array_equal(np.diff(X, axis=1), 1)  # each row is a contiguous piece


def test_random_batches_cover_disjoint_pieces_after_the_offset():
    for offset in range(5):
        rows = np.concatenate([X for X, _ in text.random_batches(TOY, 2, 5, rng=1, offset=offset)])
        starts = sorted(rows[:, 0].tolist())
        assert starts == [offset + 5 * k for k in range(6)]


def test_sequential_batches_continue_each_row():
    batches = list(text.sequential_batches(TOY, 2, 5, offset=2))
    assert batches[0][0].tolist() == [[2, 3, 4, 5, 6], [18, 19, 20, 21, 22]]
    for (X, _), (X_next, _) in zip(batches, batches[1:]):
        np.testing.assert_array_equal(X_next[:, 0], X[:, -1] + 1)


def test_batches_are_reproducible_and_a_shared_generator_moves_on():
    def first(rng):
        return next(iter(text.random_batches(TOY, 2, 5, rng=rng)))[0]

    np.testing.assert_array_equal(first(7), first(7))
    generator = np.random.default_rng(7)
    epochs = [first(generator) for _ in range(5)]
    assert any(not np.array_equal(epochs[0], other) for other in epochs[1:])


@pytest.mark.parametrize("make", [text.random_batches, text.sequential_batches])
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size=0"),
        ({"num_steps": 2.5}, "num_steps=2.5"),
        ({"corpus": np.arange(14)}, "corpus has 14 ids"),
        ({"corpus": np.zeros((5, 7), dtype=int)}, "1-D sequence of integer ids"),
        ({"corpus": np.linspace(0, 1, 40)}, "integer ids"),
        ({"offset": 5}, "offset=5"),
        ({"offset": -1}, "offset=-1"),
    ],
)
def test_batches_reject_bad_arguments_at_call_time(make, kwargs, message):
    arguments = {"corpus": TOY, "batch_size": 2, "num_steps": 5, **kwargs}
    corpus = arguments.pop("corpus")
    offset = arguments.pop("offset", None)
    with pytest.raises(ValueError, match=message):
        make(corpus, **arguments, offset=offset)


# ---------------------------------------------------------------------------------------------
# n-gram models and perplexity.
# ---------------------------------------------------------------------------------------------

WORDS = "the cat sat on the mat the cat ate the rat".split()


def test_count_ngrams():
    assert text.count_ngrams(WORDS, 1)[("the",)] == 4
    bigrams = text.count_ngrams(WORDS, 2)
    assert bigrams[("the", "cat")] == 2 and sum(bigrams.values()) == len(WORDS) - 1
    assert sum(text.count_ngrams(WORDS, 3).values()) == len(WORDS) - 2
    with pytest.raises(ValueError, match="n=0"):
        text.count_ngrams(WORDS, 0)
    with pytest.raises(ValueError, match="one string"):
        text.count_ngrams("the cat", 2)


def test_ngram_probabilities_follow_the_formulas():
    eps1, eps2, eps3 = 0.5, 2.0, 3.0
    model = text.NgramModel(WORDS, order=3, epsilons=(eps1, eps2, eps3))
    n, m = len(WORDS), len(set(WORDS))
    p_cat = (2 + eps1 / m) / (n + eps1)
    assert model.prob("cat") == pytest.approx(p_cat)
    # "the" starts 3 pairs (the last "the" is followed by "rat"; the final "rat" starts none).
    p_cat_the = (2 + eps2 * p_cat) / (4 + eps2)
    assert model.prob("cat", ["the"]) == pytest.approx(p_cat_the)
    p_cat_mat_the = (1 + eps3 * p_cat_the) / (1 + eps3)  # "mat the cat" once; "mat the" starts 1 triple
    assert model.prob("cat", ["sat", "mat", "the"]) == pytest.approx(p_cat_mat_the)
    # An unseen context falls back to the level below.
    assert model.prob("cat", ["rat", "the"]) == pytest.approx(p_cat_the)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_every_conditional_distribution_sums_to_one(order):
    model = text.NgramModel(WORDS, order=order, epsilons=0.7, vocab_size=len(set(WORDS)) + 1)
    types = [*sorted(set(WORDS)), "<unk>"]
    for context in [(), ("the",), ("rat",), ("on", "the"), ("the", "rat"), ("a", "b", "c")]:
        assert sum(model.prob(w, context) for w in types) == pytest.approx(1.0)


def test_log2_probs_use_the_context_available_and_perplexity():
    model = text.NgramModel(WORDS, order=2)
    test = ["the", "cat", "ate"]
    expected = [math.log2(model.prob(w, context)) for w, context in [("the", []), ("cat", ["the"]), ("ate", ["cat"])]]
    np.testing.assert_allclose(model.log2_probs(test), expected)
    assert model.perplexity(test) == pytest.approx(2 ** (-np.mean(expected)))
    assert text.perplexity(np.log2(np.full(10, 1 / 7))) == pytest.approx(7.0)


def test_ngram_model_accepts_token_ids():
    ids = text.Vocab(WORDS).encode(WORDS)
    by_id = text.NgramModel(ids.tolist(), order=2)
    by_word = text.NgramModel(WORDS, order=2)
    assert by_id.perplexity(ids.tolist()) == pytest.approx(by_word.perplexity(WORDS))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: text.NgramModel(WORDS, order=0), "order=0"),
        (lambda: text.NgramModel(WORDS, order=2, epsilons=0), "epsilons="),
        (lambda: text.NgramModel(WORDS, order=2, epsilons=(1.0,)), "one positive number or 2"),
        (lambda: text.NgramModel(WORDS, order=2, epsilons=(1.0, math.inf)), "epsilons="),
        (lambda: text.NgramModel(WORDS, order=2, vocab_size=3), "vocab_size=3"),
        (lambda: text.NgramModel(["a"], order=2), "fewer than order=2"),
        (lambda: text.NgramModel("the cat", order=2), "one string"),
        (lambda: text.NgramModel(WORDS, order=2).log2_probs("the cat"), "one string"),
        (lambda: text.perplexity([]), "empty"),
        (lambda: text.perplexity([-1.0, 0.5]), "numbers <= 0"),
    ],
)
def test_ngram_model_and_perplexity_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------------------------
# Byte pair encoding.
# ---------------------------------------------------------------------------------------------

LECTURE_WORDS = {"low": 5, "lower": 2, "newest": 6, "widest": 3}


def test_bpe_reproduces_the_lecture_example():
    merges = text.learn_bpe(LECTURE_WORDS, 10)
    learned = ["".join(pair) for pair in merges]
    assert learned == ["es", "est", "lo", "low", "ne", "new", "newest", "wi", "wid", "widest"]
    assert text.bpe_encode("lowest", merges) == ["low", "est"]
    assert text.bpe_encode("lowing", merges) == ["low", "i", "n", "g"]
    assert text.bpe_encode("lower", merges) == ["low", "e", "r"]


def test_bpe_stops_when_every_word_is_one_symbol():
    merges = text.learn_bpe(LECTURE_WORDS, 1000)
    assert len(merges) == 12
    assert all(text.bpe_encode(word, merges) == [word] for word in LECTURE_WORDS)
    assert text.learn_bpe(LECTURE_WORDS, 0) == []


def test_merge_pair_and_pair_counts():
    assert text.merge_pair(("a", "a", "a"), ("a", "a")) == ("aa", "a")
    assert text.merge_pair(("l", "o", "w"), ("o", "x")) == ("l", "o", "w")
    counts = text.pair_counts({("l", "o", "w"): 5, ("l", "o", "w", "e", "r"): 2})
    assert counts[("l", "o")] == 7 and counts[("e", "r")] == 2
    assert list(counts)[:2] == [("l", "o"), ("o", "w")]
    with pytest.raises(ValueError, match="pair="):
        text.merge_pair(("a", "b"), ("ab",))


def _reference_bpe(word_counts, num_merges):
    """The textbook loop: recount every pair after each merge, take the first most frequent."""
    segmented = {tuple(word): count for word, count in word_counts.items()}
    merges = []
    for _ in range(num_merges):
        counts = text.pair_counts(segmented)
        if not counts:
            break
        best = max(counts, key=counts.get)
        merges.append(best)
        segmented = {text.merge_pair(symbols, best): count for symbols, count in segmented.items()}
    return merges, segmented


def test_bpe_learner_matches_the_textbook_loop_and_encodes_training_words_as_learned():
    rng = np.random.default_rng(0)
    letters = np.array(list("abcde"))
    words = Counter("".join(rng.choice(letters, size=rng.integers(1, 9))) for _ in range(400))
    merges = text.learn_bpe(words, 60)
    reference, segmented = _reference_bpe(words, 60)
    assert merges == reference
    for symbols in segmented:
        assert text.bpe_encode("".join(symbols), merges) == list(symbols)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: text.learn_bpe(LECTURE_WORDS, -1), "num_merges=-1"),
        (lambda: text.learn_bpe(["low", "lower"], 3), "word_counts must be a dict"),
        (lambda: text.learn_bpe({"": 3}, 3), "non-empty str"),
        (lambda: text.learn_bpe({"low": 0}, 3), r"word_counts\['low'\]=0"),
        (lambda: text.bpe_encode("", []), "word=''"),
    ],
)
def test_bpe_rejects_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
