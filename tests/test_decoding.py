"""Tests of utils.decoding: the searches on distributions where the answer is known, BLEU (corpus
BLEU-4 and d2l's variant) against the library implementation (nltk), and the edit distance."""

import itertools
import math
import warnings

import numpy as np
import pytest
from nltk.translate.bleu_score import corpus_bleu as nltk_corpus_bleu
from nltk.translate.bleu_score import sentence_bleu

from utils import decoding

D2L_WEIGHTS = (1 / 2, 1 / 4, 1 / 8, 1 / 16)


def nltk_bleu(prediction: list, reference: list, k: int = 4) -> float:
    """nltk's sentence BLEU with d2l's weights; as in d2l, orders beyond the prediction's length are dropped."""
    weights = D2L_WEIGHTS[: min(k, len(prediction))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nltk warns when some order has no match (and then scores ~0)
        return float(sentence_bleu([reference], prediction, weights=weights))


# ---------------------------------------------------------------------------------------------
# d2l's BLEU (one sentence, one reference, weights 1 / 2 ** n).
# ---------------------------------------------------------------------------------------------

BLEU_CASES = [
    ("the cat sat on the mat", "the cat sat on the mat"),  # identical
    ("the cat sat on the mat today", "the cat sat on the mat"),  # longer: no brevity penalty
    ("the cat sat on mat", "the cat sat on the mat"),  # shorter: brevity penalty
    ("the the the the the the", "the cat sat on the mat"),  # clipping: 'the' counts twice at most
    ("a b c d", "a b c d e f g h"),
    ("a b c d e f", "a b e f c d"),  # all unigrams match, few bigrams
    ("a b x d e f g", "a b c d e f g"),
    ("x y z w", "a b c d"),  # no match at all
    ("a b c d", "a x b y c z d"),  # unigrams match, no bigram: zero-match case
    ("a b c x a b c", "a b c d a b c d"),
    ("il est parti .", "il est parti ."),
]


@pytest.mark.parametrize("prediction, reference", BLEU_CASES)
def test_bleu_equals_nltk_with_d2l_weights(prediction, reference):
    ours = decoding.bleu(prediction, reference, k=4)
    assert abs(ours - nltk_bleu(prediction.split(), reference.split())) < 1e-6
    assert 0.0 <= ours <= 1.0


def test_bleu_on_random_sentences_equals_nltk():
    rng = np.random.default_rng(0)
    vocabulary = list("abcdef")
    nonzero = 0
    for _ in range(300):
        reference = list(rng.choice(vocabulary, size=rng.integers(1, 12)))
        prediction = list(rng.choice(vocabulary, size=rng.integers(1, 12)))
        if rng.random() < 0.5:  # make many predictions close to their reference
            prediction = reference[: rng.integers(1, len(reference) + 1)] + prediction[:2]
        ours = decoding.bleu(prediction, reference)
        nonzero += ours > 0
        assert abs(ours - nltk_bleu(prediction, reference)) < 1e-6, (prediction, reference)
    assert nonzero > 50, "the random cases should include many non-zero scores"


def test_bleu_short_prediction_skips_orders_like_d2l():
    # two predicted tokens: only unigrams and bigrams are scored (d2l), not a zero 3-gram precision
    score = decoding.bleu("a b", "a b c")
    assert score == pytest.approx(math.exp(1 - 3 / 2) * 1.0 * 1.0)
    assert score > 0
    assert abs(score - nltk_bleu(["a", "b"], ["a", "b", "c"])) < 1e-6


def test_bleu_by_hand():
    # d2l's formula worked by hand: p1 = 5/5, p2 = 2/4 (ab, cd), p3 = 0/3 -> 0; with k=2 it is 1 * (1/2) ** (1/4)
    prediction, reference = "a b c d x", "a b x c d"
    assert decoding.bleu(prediction, reference, k=3) == 0.0
    assert decoding.bleu(prediction, reference, k=2) == pytest.approx(1.0 * (2 / 4) ** 0.25)
    assert decoding.bleu(prediction, reference, k=1) == 1.0


def test_bleu_edge_cases_and_validation():
    assert decoding.bleu([], ["a"]) == 0.0
    assert decoding.bleu(["a", "b"], ["a", "b"]) == 1.0
    assert decoding.bleu(np.array([1, 2, 3]), [1, 2, 3]) == 1.0
    with pytest.raises(ValueError, match="reference"):
        decoding.bleu("a", "")
    with pytest.raises(ValueError, match="k=0"):
        decoding.bleu("a", "a", k=0)
    with pytest.raises(ValueError, match="prediction"):
        decoding.bleu(3, "a")


def test_d2l_weights_give_longer_ngrams_less_say():
    # p1 = 5/6, p2 = 3/5, p3 = 1/4 (k = 3, same length: no brevity penalty). The 2 ** -n weights of d2l's
    # BLEU put 1/8 on the poor trigram precision, the uniform weights 1/3: d2l's score is the higher one
    prediction, reference = "a b c x b c", "a b c d b c"
    d2l = decoding.bleu(prediction, reference, k=3)
    assert d2l == pytest.approx((5 / 6) ** 0.5 * (3 / 5) ** 0.25 * (1 / 4) ** 0.125)
    uniform = decoding.corpus_bleu([prediction.split()], [[reference.split()]], max_n=3)
    assert uniform == pytest.approx((5 / 6 * 3 / 5 * 1 / 4) ** (1 / 3))
    assert d2l > uniform


def test_mean_bleu():
    predictions = ["a b c d", "x y"]
    references = ["a b c d", "a b"]
    assert decoding.mean_bleu(predictions, references) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="match"):
        decoding.mean_bleu(predictions, references[:1])
    with pytest.raises(ValueError, match="empty"):
        decoding.mean_bleu([], [])


# ---------------------------------------------------------------------------------------------
# Corpus BLEU-4 (the standard BLEU).
# ---------------------------------------------------------------------------------------------


def nltk_corpus(predictions: list, references_list: list) -> float:
    """nltk's corpus BLEU-4 (uniform weights, no smoothing), silenced: it warns when an order has no match."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(nltk_corpus_bleu(references_list, predictions))


def split_corpus(predictions: list[str], references_list: list[list[str]]) -> tuple[list, list]:
    return [p.split() for p in predictions], [[r.split() for r in refs] for refs in references_list]


CORPUS_CASES = {
    "identical": (["the cat sat on the mat"], [["the cat sat on the mat"]]),
    "papineni_multi_reference": (  # nltk's docstring example (0.5920...): three references for the first sentence
        [
            "It is a guide to action which ensures that the military always obeys the commands of the party",
            "he read the book because he was interested in world history",
        ],
        [
            [
                "It is a guide to action that ensures that the military will forever heed Party commands",
                "It is the guiding principle which guarantees the military forces always being under the command of "
                "the Party",
                "It is the practical guide for the army always to heed the directions of the party",
            ],
            ["he was interested in world history because he read the book"],
        ],
    ),
    "clipping_against_several_references": (
        ["the the the the the the the"],
        [["the cat is on the mat", "there is a cat on the mat"]],
    ),
    "short_outputs": (  # predictions shorter than 4 tokens next to a longer one
        ["va !", "je suis content .", "qui ?", "il est parti à la gare ce matin ."],
        [
            ["va !", "marche ."],
            ["je suis heureux .", "je suis content ."],
            ["qui ?"],
            ["il est allé à la gare ce matin ."],
        ],
    ),
    "too_short_brevity_penalty": (
        ["the cat sat", "a b c d e"],
        [["the cat sat on the mat", "the cat sat on a mat today"], ["a b c d e f g"]],
    ),
    "closest_reference_length_tie_takes_the_shorter": (
        ["a b c d e f g h i j k l"],
        [["a b c d e f g h i j k l m", "a b c d e f g h i j k"]],
    ),
    "zero_matches": (["x y z w"], [["a b c d"]]),
    "unigrams_only": (["a b c d"], [["a x b y c z d"]]),
    "no_four_gram_match": (["a b c x a b c"], [["a b c d a b c d"]]),
    "empty_prediction": (["", "a b c d e"], [["a b"], ["a b c d e"]]),
}


@pytest.mark.parametrize("case", CORPUS_CASES, ids=str)
def test_corpus_bleu_equals_nltk(case):
    predictions, references_list = split_corpus(*CORPUS_CASES[case])
    ours = decoding.corpus_bleu(predictions, references_list)
    assert abs(ours - nltk_corpus(predictions, references_list)) < 1e-6
    assert 0.0 <= ours <= 1.0


def test_corpus_bleu_known_values():
    predictions, references_list = split_corpus(*CORPUS_CASES["papineni_multi_reference"])
    assert decoding.corpus_bleu(predictions, references_list) == pytest.approx(0.5920, abs=1e-4)
    assert decoding.corpus_bleu(*split_corpus(*CORPUS_CASES["identical"])) == 1.0
    assert decoding.corpus_bleu(*split_corpus(*CORPUS_CASES["zero_matches"])) == 0.0
    # one order without any match (here 4-grams) makes the unsmoothed score 0
    assert decoding.corpus_bleu(*split_corpus(*CORPUS_CASES["no_four_gram_match"])) == 0.0
    # by hand: p1 = 3/3, p2 = 2/2, p3 = 1/1, p4 = 0/1 (nltk's one slot for a short sentence) ...
    assert decoding.corpus_bleu([["a", "b", "c"]], [[["a", "b", "c"]]]) == 0.0
    # ... and with max_n = 3 it is 1; against a 6-token reference the brevity penalty is exp(1 - 6/3)
    assert decoding.corpus_bleu([["a", "b", "c"]], [[["a", "b", "c"]]], max_n=3) == 1.0
    assert decoding.corpus_bleu([["a", "b", "c"]], [[list("abcdef")]], max_n=3) == pytest.approx(math.exp(-1))


def test_corpus_bleu_is_not_the_mean_of_sentence_scores():
    # the second sentence alone has no 4-gram match; pooled with the first, the corpus still scores
    predictions, references_list = split_corpus(["a b c d e f", "x b c d"], [["a b c d e f"], ["a b c d"]])
    assert decoding.corpus_bleu(predictions[1:], references_list[1:]) == 0.0
    assert 0.0 < decoding.corpus_bleu(predictions, references_list) < 1.0


def test_corpus_bleu_more_references_never_score_lower():
    predictions, references_list = split_corpus(["je suis content ."], [["je suis heureux ."]])
    more = [[*references_list[0], "je suis content .".split()]]
    assert decoding.corpus_bleu(predictions, references_list) < decoding.corpus_bleu(predictions, more) == 1.0


def test_corpus_bleu_on_random_corpora_equals_nltk():
    rng = np.random.default_rng(0)
    vocabulary = list("abcde")
    nonzero = 0
    for _ in range(200):
        n = int(rng.integers(1, 6))
        references_list = [
            [list(rng.choice(vocabulary, size=rng.integers(1, 10))) for _ in range(rng.integers(1, 4))]
            for _ in range(n)
        ]
        predictions = []
        for references in references_list:
            prediction = list(rng.choice(vocabulary, size=rng.integers(0, 10)))
            if rng.random() < 0.6:  # many predictions close to one of their references
                reference = references[rng.integers(len(references))]
                prediction = reference[: rng.integers(1, len(reference) + 1)] + prediction[:2]
            predictions.append(prediction)
        ours = decoding.corpus_bleu(predictions, references_list)
        nonzero += ours > 0
        assert abs(ours - nltk_corpus(predictions, references_list)) < 1e-6, (predictions, references_list)
    assert nonzero > 40, "the random cases should include many non-zero scores"


def test_corpus_bleu_takes_token_ids():
    predictions = [np.array([5, 6, 7, 8, 9]), (5, 6)]
    references_list = [[np.array([5, 6, 7, 8, 9])], [[5, 6], [7]]]
    assert decoding.corpus_bleu(predictions, references_list) == pytest.approx(
        nltk_corpus([[5, 6, 7, 8, 9], [5, 6]], [[[5, 6, 7, 8, 9]], [[5, 6], [7]]])
    )


def test_corpus_bleu_validation():
    with pytest.raises(ValueError, match="split"):
        decoding.corpus_bleu(["a b c"], [[["a", "b", "c"]]])
    with pytest.raises(ValueError, match="split"):
        decoding.corpus_bleu([["a"]], [["a b c"]])
    with pytest.raises(ValueError, match="must match"):
        decoding.corpus_bleu([["a"], ["b"]], [[["a"]]])
    with pytest.raises(ValueError, match="empty"):
        decoding.corpus_bleu([], [])
    with pytest.raises(ValueError, match="non-empty list"):
        decoding.corpus_bleu([["a"]], [[]])
    with pytest.raises(ValueError, match="empty reference"):
        decoding.corpus_bleu([["a"]], [[["a"], []]])
    with pytest.raises(ValueError, match="max_n=0"):
        decoding.corpus_bleu([["a"]], [[["a"]]], max_n=0)
    with pytest.raises(ValueError, match="predictions"):
        decoding.corpus_bleu("a b", [[["a"]]])


# ---------------------------------------------------------------------------------------------
# Edit distance.
# ---------------------------------------------------------------------------------------------


def brute_force_edit_distance(first: tuple, second: tuple) -> int:
    """The textbook recursion, memoized: delete, insert or substitute the first token."""
    memo: dict = {}

    def distance(i: int, j: int) -> int:
        if (i, j) not in memo:
            if i == len(first) or j == len(second):
                memo[i, j] = len(first) - i + len(second) - j
            else:
                memo[i, j] = min(
                    distance(i + 1, j) + 1,
                    distance(i, j + 1) + 1,
                    distance(i + 1, j + 1) + (first[i] != second[j]),
                )
        return memo[i, j]

    return distance(0, 0)


def test_edit_distance_known_values():
    assert decoding.edit_distance("kitten", "sitting") == 3
    assert decoding.edit_distance([], ["a", "b"]) == 2
    assert decoding.edit_distance(["a", "b"], []) == 2
    assert decoding.edit_distance(["a", "b", "c"], ["a", "b", "c"]) == 0
    # one inserted word shifts every later position (4 of the 5 compared positions differ) but costs one edit
    inserted, reference = "le petit chat dort ici .".split(), "le chat dort ici .".split()
    assert sum(a != b for a, b in zip(inserted, reference)) == 4
    assert decoding.edit_distance(inserted, reference) == 1
    assert decoding.edit_distance(np.array([1, 2, 3]), (1, 3)) == 1


def test_edit_distance_equals_brute_force_and_is_a_metric():
    rng = np.random.default_rng(2)
    for _ in range(200):
        a, b, c = (tuple(rng.integers(0, 3, size=rng.integers(0, 7)).tolist()) for _ in range(3))
        d_ab = decoding.edit_distance(a, b)
        assert d_ab == brute_force_edit_distance(a, b)
        assert d_ab == decoding.edit_distance(b, a)
        assert abs(len(a) - len(b)) <= d_ab <= max(len(a), len(b))
        assert decoding.edit_distance(a, c) <= d_ab + decoding.edit_distance(b, c)


def test_edit_distance_validation():
    with pytest.raises(ValueError, match="first"):
        decoding.edit_distance(3, [1])
    with pytest.raises(ValueError, match="second"):
        decoding.edit_distance([1], None)


# ---------------------------------------------------------------------------------------------
# Searches on a known distribution.
# ---------------------------------------------------------------------------------------------

EOS, BOS = 0, 4  # tokens 1, 2, 3 are ordinary; 4 is only ever fed in


def table_step(table: dict, default: np.ndarray):
    """A step function whose next-token distribution depends on the whole prefix (the state)."""

    def step(last_tokens, prefixes):
        prefixes = np.concatenate([prefixes, last_tokens[:, None]], axis=1)
        rows = [table.get(tuple(p[1:].tolist()), default) for p in prefixes]
        with np.errstate(divide="ignore"):  # a probability of 0 is a log-probability of -inf
            return np.log(np.array(rows, dtype=float)), prefixes

    return step


# d2l's example: greedy follows 1, 2, 3 and ends with probability 0.048; 1, 3, 2 ends with 0.054
D2L_TABLE = {
    (): [0.1, 0.5, 0.2, 0.2],
    (1,): [0.2, 0.1, 0.4, 0.3],
    (1, 2): [0.2, 0.2, 0.2, 0.4],
    (1, 2, 3): [0.6, 0.0, 0.2, 0.2],
    (1, 3): [0.1, 0.1, 0.6, 0.2],
    (1, 3, 2): [0.6, 0.1, 0.2, 0.1],
}
FLAT = np.array([0.4, 0.2, 0.2, 0.2])


def d2l_step():
    return table_step(D2L_TABLE, FLAT)


def start():
    return np.zeros((1, 0), dtype=np.int64)


def test_greedy_and_beam_reproduce_the_d2l_example():
    greedy = decoding.greedy_search(d2l_step(), start(), bos_id=BOS, eos_id=EOS, max_len=4)[0]
    assert greedy.best.tokens == (1, 2, 3, EOS)
    assert greedy.best.probability == pytest.approx(0.048, abs=1e-12)
    assert greedy.extensions_scored == 4 * 4
    beam = decoding.beam_search(d2l_step(), start(), bos_id=BOS, eos_id=EOS, max_len=4, beam_size=2)[0]
    assert beam.best.tokens == (1, 3, 2, EOS)
    assert beam.best.probability == pytest.approx(0.054, abs=1e-12)
    assert beam.extensions_scored <= 2 * 4 * 4


def test_beam_size_one_is_greedy():
    rng = np.random.default_rng(3)
    table = {p: rng.dirichlet(np.ones(5)) for n in range(4) for p in itertools.product(range(1, 5), repeat=n)}
    step = table_step(table, np.full(5, 0.2))
    for max_len in (1, 3, 5):
        greedy = decoding.greedy_search(step, start(), bos_id=5, eos_id=EOS, max_len=max_len)[0]
        beam = decoding.beam_search(step, start(), bos_id=5, eos_id=EOS, max_len=max_len, beam_size=1)[0]
        assert greedy.best.tokens == beam.best.tokens
        assert greedy.best.log_prob == pytest.approx(beam.best.log_prob)


def brute_force_best(step_table: dict, default, vocab_size: int, max_len: int, alpha: float):
    best, best_score = None, -np.inf
    for length in range(1, max_len + 1):
        for sequence in itertools.product(range(vocab_size), repeat=length):
            if EOS in sequence[:-1] or (length < max_len and sequence[-1] != EOS):
                continue
            log_prob = sum(
                math.log(np.asarray(step_table.get(sequence[:t], default))[sequence[t]]) for t in range(length)
            )
            score = log_prob / length**alpha
            if score > best_score + 1e-12:
                best, best_score = sequence, score
    return best, best_score


@pytest.mark.parametrize("alpha", [0.0, 0.75])
def test_exhaustive_search_finds_the_brute_force_optimum(alpha):
    rng = np.random.default_rng(1)
    table = {p: rng.dirichlet(np.ones(4) * 0.7) for n in range(4) for p in itertools.product(range(1, 4), repeat=n)}
    step = table_step(table, np.full(4, 0.25))
    result = decoding.exhaustive_search(step, start(), bos_id=BOS, eos_id=EOS, max_len=4, alpha=alpha)
    expected, expected_score = brute_force_best(table, np.full(4, 0.25), 4, 4, alpha)
    assert result.best.tokens == expected
    assert result.best.score == pytest.approx(expected_score)
    # every prefix without <eos> of length 0..3 is extended by all 4 tokens: (1 + 3 + 9 + 27) * 4
    assert result.extensions_scored == 40 * 4
    assert len(result.candidates) == 1 + 3 + 9 + 27 * 4
    assert sum(h.probability for h in result.candidates) == pytest.approx(1.0)


def test_exhaustive_beats_or_ties_beam_and_beam_beats_or_ties_greedy():
    rng = np.random.default_rng(7)
    for _ in range(5):
        table = {p: rng.dirichlet(np.ones(4)) for n in range(5) for p in itertools.product(range(1, 4), repeat=n)}
        step = table_step(table, np.full(4, 0.25))
        kwargs = dict(bos_id=BOS, eos_id=EOS, max_len=5)
        exact = decoding.exhaustive_search(step, start(), alpha=0.0, **kwargs).best.log_prob
        greedy = decoding.greedy_search(step, start(), **kwargs)[0].best.log_prob
        wide = decoding.beam_search(step, start(), beam_size=50, alpha=0.0, **kwargs)[0].best.log_prob
        assert exact >= greedy - 1e-12
        assert wide == pytest.approx(exact)  # a beam wider than all prefixes is exhaustive


def test_length_normalization_changes_the_winner():
    # raw probability prefers the one-token answer <eos> (0.1) ... in the d2l example;
    # with alpha = 0.75 the four-token sequence of probability 0.054 wins
    raw = decoding.exhaustive_search(d2l_step(), start(), bos_id=BOS, eos_id=EOS, max_len=4, alpha=0.0)
    assert raw.best.probability == pytest.approx(0.1)
    assert len(raw.best) <= 2
    normalized = decoding.exhaustive_search(d2l_step(), start(), bos_id=BOS, eos_id=EOS, max_len=4, alpha=0.75)
    assert normalized.best.tokens == (1, 3, 2, EOS)
    assert decoding.length_normalized_score(math.log(0.054), 4, 0.75) == pytest.approx(math.log(0.054) / 4**0.75)


def test_batched_searches_equal_one_by_one():
    rng = np.random.default_rng(5)
    vocab_size, hidden, batch = 6, 4, 7
    weights = rng.normal(size=(vocab_size + 1, hidden))  # embedding, the last row for <bos>
    out = rng.normal(size=(hidden, vocab_size)) * 2

    def step(last_tokens, state):
        hidden_state, bias = state
        new = np.tanh(hidden_state + weights[last_tokens])
        logits = new @ out + bias
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return log_probs, (new, bias)

    state = (rng.normal(size=(batch, hidden)), rng.normal(size=(batch, vocab_size)))
    kwargs = dict(bos_id=vocab_size, eos_id=0, max_len=6)
    together_beam = decoding.beam_search(step, state, beam_size=3, **kwargs)
    together_greedy = decoding.greedy_search(step, state, **kwargs)
    for b in range(batch):
        one = decoding.take_rows(state, [b])
        alone_beam = decoding.beam_search(step, one, beam_size=3, **kwargs)[0]
        alone_greedy = decoding.greedy_search(step, one, **kwargs)[0]
        assert together_beam[b].best.tokens == alone_beam.best.tokens
        assert together_beam[b].best.log_prob == pytest.approx(alone_beam.best.log_prob)
        assert together_beam[b].extensions_scored == alone_beam.extensions_scored
        assert together_greedy[b].best.tokens == alone_greedy.best.tokens


def test_top_k_equals_a_stable_sort_on_the_finite_values():
    # beam search picks its k best extensions with a partition; it must agree with a full stable sort
    rng = np.random.default_rng(4)
    for _ in range(300):
        rows, columns, k = (int(x) for x in (rng.integers(1, 6), rng.integers(1, 30), rng.integers(1, 8)))
        values = rng.integers(-3, 3, size=(rows, columns)).astype(float)  # many ties
        values[rng.random((rows, columns)) < 0.3] = -np.inf  # impossible extensions and dead hypotheses
        expected = np.argsort(-values, axis=1, kind="stable")[:, :k]
        found = decoding._top_k(values, k)
        assert found.shape == expected.shape
        for row in range(rows):
            finite = np.isfinite(values[row, expected[row]])
            assert np.array_equal(found[row, finite], expected[row, finite])
            assert len(set(found[row].tolist())) == found.shape[1], "no index twice"


def test_no_end_token_runs_every_search_to_max_len():
    # eos_id=None: a language model continuing a text; EOS would be the most probable token at the end.
    greedy = decoding.greedy_search(d2l_step(), start(), bos_id=BOS, eos_id=None, max_len=5)[0]
    assert greedy.best.tokens[:3] == (1, 2, 3) and len(greedy.best) == 5 and greedy.extensions_scored == 5 * 4
    beam = decoding.beam_search(d2l_step(), start(), bos_id=BOS, eos_id=None, max_len=4, beam_size=2)[0]
    assert all(len(h) == 4 for h in beam.candidates)
    exhaustive = decoding.exhaustive_search(d2l_step(), start(), bos_id=BOS, eos_id=None, max_len=3)
    assert len(exhaustive.candidates) == 4**3 and all(len(h) == 3 for h in exhaustive.candidates)
    assert abs(sum(h.probability for h in exhaustive.candidates) - 1) < 1e-9
    with pytest.raises(ValueError, match=r"eos_id=-1.*or None"):
        decoding.greedy_search(d2l_step(), start(), bos_id=BOS, eos_id=-1, max_len=3)


# ---------------------------------------------------------------------------------------------
# log_prob_step: a language model's window step as a token step.
# ---------------------------------------------------------------------------------------------


def window_step(table: np.ndarray):
    """A bigram language model in the window form: logits (batch, steps, V) = table[X]; the state counts calls."""

    def step(X, state):
        assert X.dtype == np.int32 and X.ndim == 2
        return table[X].astype(np.float32), state + 1

    return step


def test_log_prob_step_is_the_log_softmax_of_the_last_logits():
    table = np.random.default_rng(0).normal(0, 3, size=(6, 6))
    token_step = decoding.log_prob_step(window_step(table))
    log_probs, state = token_step(np.array([2, 5, 2]), np.zeros((3, 1)))
    logits = table[[2, 5, 2]].astype(np.float32).astype(np.float64)
    expected = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(log_probs, expected, atol=1e-12)
    assert log_probs.dtype == np.float64 and np.allclose(np.exp(log_probs).sum(axis=1), 1)
    assert np.array_equal(log_probs.argmax(axis=1), logits.argmax(axis=1))
    assert np.array_equal(state, np.ones((3, 1))), "the model's state passes through"


def test_searches_run_on_a_language_model_through_the_adapter():
    # A bigram model that walks 0 -> 1 -> ... -> 5 -> 0 (token 5 doubles as the end token).
    table = np.full((6, 6), -4.0)
    table[np.arange(6), (np.arange(6) + 1) % 6] = 4.0
    token_step = decoding.log_prob_step(window_step(table))
    state = np.zeros((2, 1))
    greedy = decoding.greedy_search(token_step, state, bos_id=1, eos_id=5, max_len=10)
    assert [r.best.tokens for r in greedy] == [(2, 3, 4, 5)] * 2
    beam = decoding.beam_search(token_step, state, bos_id=3, eos_id=5, max_len=10, beam_size=3)
    assert [r.best.tokens for r in beam] == [(4, 5)] * 2


def test_log_prob_step_validation():
    with pytest.raises(ValueError, match="step=None"):
        decoding.log_prob_step(None)
    nan_step = decoding.log_prob_step(lambda X, s: (np.full((*X.shape, 3), np.nan), s))
    with pytest.raises(ValueError, match=r"logits=.*NaN"):
        nan_step(np.array([0]), np.zeros((1, 1)))
    flat_step = decoding.log_prob_step(lambda X, s: (np.zeros((len(X), 3)), s))
    with pytest.raises(ValueError, match=r"logits of shape \(1, 3\); expected \(1, 1\) \+ \(vocab_size,\)"):
        flat_step(np.array([0]), np.zeros((1, 1)))
    with pytest.raises(ValueError, match=r"step\(X, state\)="):
        decoding.log_prob_step(lambda X, s: 3)(np.array([0]), np.zeros((1, 1)))


def test_search_validation():
    step = d2l_step()
    with pytest.raises(ValueError, match="beam_size=0"):
        decoding.beam_search(step, start(), bos_id=BOS, eos_id=EOS, max_len=4, beam_size=0)
    with pytest.raises(ValueError, match="max_len=0"):
        decoding.greedy_search(step, start(), bos_id=BOS, eos_id=EOS, max_len=0)
    with pytest.raises(ValueError, match="alpha=-1"):
        decoding.beam_search(step, start(), bos_id=BOS, eos_id=EOS, max_len=4, beam_size=2, alpha=-1)
    with pytest.raises(ValueError, match="eos_id=9"):
        decoding.greedy_search(step, start(), bos_id=BOS, eos_id=9, max_len=4)
    with pytest.raises(ValueError, match="one input"):
        decoding.exhaustive_search(step, np.zeros((2, 0), dtype=int), bos_id=BOS, eos_id=EOS, max_len=3)
    with pytest.raises(ValueError, match="max_extensions"):
        decoding.exhaustive_search(step, start(), bos_id=BOS, eos_id=EOS, max_len=4, max_extensions=20)
    with pytest.raises(ValueError, match="rows"):
        decoding.greedy_search(step, (np.zeros((2, 1)), np.zeros((3, 1))), bos_id=BOS, eos_id=EOS, max_len=3)
    with pytest.raises(ValueError, match="log-probabilities"):
        decoding.greedy_search(lambda t, s: (np.ones((len(t), 4)), s), start(), bos_id=BOS, eos_id=EOS, max_len=2)
    with pytest.raises(ValueError, match="step="):
        decoding.greedy_search(None, start(), bos_id=BOS, eos_id=EOS, max_len=2)
    with pytest.raises(ValueError, match="length=0"):
        decoding.length_normalized_score(-1.0, 0)
