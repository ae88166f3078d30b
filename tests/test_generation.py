"""Tests of utils.generation: temperature, top-k, greedy, reproducible sampling, entropies."""

from __future__ import annotations

import math

import numpy as np
import pytest

from utils import generation

LOGITS = np.array([[2.0, 1.0, 0.5, -1.0], [0.0, 3.0, 3.0, 1.0]])


def test_softmax_is_normalized_and_matches_the_formula():
    probabilities = generation.softmax(LOGITS[0], temperature=0.5)
    expected = np.exp(LOGITS[0] / 0.5) / np.exp(LOGITS[0] / 0.5).sum()
    assert np.allclose(probabilities, expected)
    assert np.allclose(generation.softmax(LOGITS).sum(axis=-1), 1.0)
    # No overflow for large scores: exp(1000) alone would be inf.
    assert np.allclose(generation.softmax([1000.0, 1000.0]), [0.5, 0.5])


def test_temperature_orders_the_entropy():
    entropies = [generation.entropy_bits(generation.softmax(LOGITS[0], t)) for t in (0.1, 0.5, 1.0, 2.0, 50.0)]
    assert all(low < high for low, high in zip(entropies, entropies[1:]))
    assert entropies[-1] < math.log2(4) and entropies[-1] > 0.99 * math.log2(4), "hot: close to uniform"
    assert entropies[0] < 0.01, "cold: close to greedy"


def test_temperature_zero_is_greedy():
    probabilities = generation.next_token_distribution(LOGITS, temperature=0)
    assert np.array_equal(probabilities, np.eye(4)[[0, 1]]), "ties go to the lower id"
    assert generation.greedy(LOGITS).tolist() == [0, 1]
    assert np.array_equal(generation.entropy_bits(probabilities), [0.0, 0.0])


def test_top_k_keeps_the_k_best_and_renormalizes():
    probabilities = generation.next_token_distribution(LOGITS[0], temperature=1.0, top_k=2)
    assert probabilities[2] == 0 and probabilities[3] == 0
    assert np.isclose(probabilities[0] / probabilities[1], math.e), "the kept ones keep their ratio"
    assert np.isclose(probabilities.sum(), 1.0)
    # top_k = vocabulary size changes nothing; top_k = 1 is greedy whatever the temperature.
    assert np.allclose(generation.next_token_distribution(LOGITS, 1.3, top_k=4), generation.softmax(LOGITS, 1.3))
    assert np.array_equal(generation.next_token_distribution(LOGITS, 5.0, top_k=1), np.eye(4)[[0, 1]])


def test_minus_infinity_bans_a_token():
    logits = np.array([5.0, -np.inf, 1.0])
    for temperature, top_k in ((1.0, None), (3.0, 2), (0.5, 3)):
        assert generation.next_token_distribution(logits, temperature, top_k)[1] == 0
    assert generation.greedy([-np.inf, -5.0, -7.0]) == 1
    rng = np.random.default_rng(0)
    draws = generation.sample(generation.softmax(np.tile(logits, (2000, 1)), 10.0), rng)
    assert 1 not in set(draws.tolist())


def test_sample_follows_the_distribution_and_is_reproducible():
    probabilities = np.array([0.1, 0.0, 0.6, 0.3])
    draws = generation.sample(np.tile(probabilities, (20_000, 1)), np.random.default_rng(1))
    frequencies = np.bincount(draws, minlength=4) / len(draws)
    assert np.allclose(frequencies, probabilities, atol=0.015)
    assert frequencies[1] == 0
    again = generation.sample(np.tile(probabilities, (20_000, 1)), np.random.default_rng(1))
    assert np.array_equal(draws, again), "same seed, same draws"
    assert generation.sample(probabilities, np.random.default_rng(1)).shape == ()


def test_sample_uses_one_uniform_per_row():
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    generation.sample(np.full((3, 4), 0.25), rng_a)
    rng_b.random(3)
    assert rng_a.random() == rng_b.random()


def test_sample_next_returns_the_distribution_it_used():
    tokens, probabilities = generation.sample_next(LOGITS, np.random.default_rng(0), temperature=0.7, top_k=3)
    assert tokens.shape == (2,) and probabilities.shape == (2, 4)
    assert np.allclose(probabilities, generation.next_token_distribution(LOGITS, 0.7, 3))
    assert all(probabilities[row, token] > 0 for row, token in enumerate(tokens))


def test_entropy_bits_of_known_distributions():
    assert np.isclose(generation.entropy_bits([0.25] * 4), 2.0)
    assert np.isclose(generation.entropy_bits([0.5, 0.5, 0.0]), 1.0)
    assert generation.entropy_bits([1.0, 0.0]) == 0.0


def test_known_word_rate():
    assert generation.known_word_rate("the cat the dgo", {"the", "cat"}) == 0.75
    assert generation.known_word_rate("  a  ", ["a"]) == 1.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: generation.softmax(LOGITS, temperature=-1), "temperature=-1"),
        (lambda: generation.softmax(LOGITS, temperature=0), "temperature=0"),
        (lambda: generation.softmax(LOGITS, temperature=float("nan")), "temperature=nan"),
        (lambda: generation.softmax(LOGITS, temperature=True), "temperature=True"),
        (lambda: generation.softmax([1.0, float("nan")]), "logits must be"),
        (lambda: generation.softmax([1.0, float("inf")]), "logits must be"),
        (lambda: generation.softmax([-np.inf, -np.inf]), "at least one finite"),
        (lambda: generation.softmax(np.zeros((2, 2, 2))), "shape"),
        (lambda: generation.next_token_distribution(LOGITS, top_k=0), "top_k=0"),
        (lambda: generation.next_token_distribution(LOGITS, top_k=5), "top_k=5"),
        (lambda: generation.next_token_distribution(LOGITS, top_k=2.0), "top_k=2.0"),
        (lambda: generation.sample([0.5, 0.6], np.random.default_rng(0)), "sum to 1"),
        (lambda: generation.sample([1.5, -0.5], np.random.default_rng(0)), ">= 0"),
        (lambda: generation.sample([0.5, 0.5], 0), "rng=0"),
        (lambda: generation.entropy_bits([0.2, 0.2]), "sum to 1"),
        (lambda: generation.known_word_rate("the", "the"), "known_words"),
        (lambda: generation.known_word_rate("   ", {"the"}), "no words"),
        (lambda: generation.known_word_rate(None, {"the"}), "generated must be a str"),
    ],
)
def test_bad_arguments_raise_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
