"""Tests of utils.standins: formats, determinism and the stated best-possible figures."""

from __future__ import annotations

import ast
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from utils import datasets, seq2seq, standins
from utils.datasets import decode_review, parse_translation_pairs
from utils.standins import english_like, parallel
from utils.standins import imdb as imdb_module  # "imdb" is the fixture below

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------------------------------------
# The package: one module per stand-in, every public name also at the top.
# ---------------------------------------------------------------------------------------------


def _defined_public_names(module) -> set[str]:
    """The public functions, classes and constants a module defines at its top level (not imports)."""
    names = set()
    for node in ast.parse(Path(module.__file__).read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return {name for name in names if not name.startswith("_")}


@pytest.mark.parametrize("module", [english_like, imdb_module, parallel], ids=lambda m: m.__name__)
def test_every_public_name_of_a_stand_in_module_is_importable_from_the_package(module):
    assert set(module.__all__) == _defined_public_names(module)
    for name in module.__all__:
        assert getattr(standins, name) is getattr(module, name)


def test_package_names_exactly_what_its_modules_export():
    exported = set(english_like.__all__) | set(imdb_module.__all__) | set(parallel.__all__) | {"STANDIN_VERSION"}
    assert set(standins.__all__) == exported
    assert all(hasattr(standins, name) for name in standins.__all__)


def test_the_moved_names_live_with_their_users():
    # The date task is notebook 09's data; the corpus type is the loaders'.
    assert not hasattr(standins, "make_date_pairs") and not hasattr(standins, "TextCorpus")
    assert seq2seq.make_date_pairs(3, seed=0) == seq2seq.make_date_pairs(3, seed=0)
    corpus = standins.make_english_like_corpus(200, seed=0)
    assert type(corpus) is datasets.TextCorpus and datasets.TextCorpus.__module__ == "utils.corpus"
    assert isinstance(corpus.process, standins.EnglishLikeProcess)


@pytest.mark.parametrize("first", ["utils.standins", "utils.datasets", "utils.standins.english_like"])
def test_no_import_cycle_whichever_module_comes_first(first):
    # utils.datasets imports the stand-ins; both import the corpus type from utils.corpus.
    code = f"import {first}; from utils.standins import make_english_like_corpus as make; print(type(make(50)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "utils.corpus.TextCorpus" in done.stdout


def test_pyproject_installs_every_package_of_utils():
    import tomllib

    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "utils").rglob("__init__.py")}
    assert set(packages) == on_disk


# ---------------------------------------------------------------------------------------------
# The English-like corpus.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_corpus():
    """About 170,000 words of the default process (under a second to generate)."""
    return standins.make_english_like_corpus(1_000_000, seed=3)


def test_corpus_is_lower_case_words_of_two_to_eight_letters(big_corpus):
    text = big_corpus.text
    assert re.fullmatch(r"[a-z]+( [a-z]+)*", text)
    assert 1_000_000 - standins.MAX_WORD_LENGTH <= len(text) <= 1_000_000
    words = Counter(text.split())
    process = big_corpus.process
    assert set(words) <= set(process.words) and process.vocab_size == 200
    assert len(words) >= 190  # nearly every word occurs in a long sample
    assert all(2 <= len(w) <= 8 for w in process.words)
    assert len(set(process.words)) == process.vocab_size


def test_corpus_is_determined_by_its_seed_and_extends_with_length():
    short = standins.make_english_like_corpus(2_000, seed=7)
    assert short.text == standins.make_english_like_corpus(2_000, seed=7).text
    assert standins.make_english_like_corpus(20_000, seed=7).text.startswith(short.text)
    assert short.text != standins.make_english_like_corpus(2_000, seed=8).text
    assert len(standins.make_english_like_corpus(n_words=321, seed=7).text.split()) == 321


def test_successor_structure_is_sparse_and_stochastic(big_corpus):
    process = big_corpus.process
    counts = (process.successors >= 0).sum(axis=1)
    assert counts.min() >= 2 and counts.max() <= 6
    np.testing.assert_allclose(process.probabilities.sum(axis=2), 1.0)
    assert process.stationary.sum() == pytest.approx(1.0)
    words = big_corpus.text.split()
    assert len(Counter(zip(words, words[1:]))) <= counts.sum()


def test_exact_entropy_rate_agrees_with_the_sample(big_corpus):
    process = big_corpus.process
    words = big_corpus.text.split()
    rate = process.entropy_per_word_bits
    assert big_corpus.entropy_per_word_bits == rate and 0.8 < rate < 2.0
    # The true model's average surprise on the sample.
    surprise = -process.word_log2_probs(words)[2:].mean()
    assert surprise == pytest.approx(rate, rel=0.02)
    # Plug-in conditional entropies from the counts: H(w3 | w1 w2) and H(w2 | w1).
    trigram = Counter(zip(words, words[1:], words[2:]))
    bigram = Counter(zip(words, words[1:]))
    context2 = Counter(zip(words, words[1:-1]))
    context1 = Counter(words[:-1])
    n3, n2 = len(words) - 2, len(words) - 1
    h3 = -sum(c / n3 * math.log2(c / context2[key[:2]]) for key, c in trigram.items())
    h2 = -sum(c / n2 * math.log2(c / context1[key[0]]) for key, c in bigram.items())
    assert h3 == pytest.approx(rate, rel=0.03)
    assert h2 == pytest.approx(process.bigram_entropy_bits, rel=0.03)
    assert process.bigram_entropy_bits > rate + 0.1  # the word two back matters
    assert process.unigram_entropy_bits > process.bigram_entropy_bits + 3


def test_per_char_rate_is_per_word_rate_over_measured_chars_per_word(big_corpus):
    words = big_corpus.text.split()
    chars_per_word = (len(big_corpus.text) + 1) / len(words)  # letters plus one space each
    assert chars_per_word == pytest.approx(big_corpus.process.mean_chars_per_word, rel=0.01)
    assert big_corpus.entropy_per_char_bits == pytest.approx(
        big_corpus.entropy_per_word_bits / big_corpus.process.mean_chars_per_word, rel=1e-12
    )
    assert big_corpus.optimal_char_perplexity == pytest.approx(2**big_corpus.entropy_per_char_bits)
    assert big_corpus.optimal_word_perplexity == pytest.approx(2**big_corpus.entropy_per_word_bits)
    assert "bits/char" in str(big_corpus) and "characters" in str(big_corpus)


def test_word_frequencies_are_zipf_like(big_corpus):
    counts = np.array(sorted(Counter(big_corpus.text.split()).values(), reverse=True), dtype=float)
    ranks = np.arange(1, 101)
    slope = np.polyfit(np.log(ranks), np.log(counts[:100]), 1)[0]
    assert -1.5 < slope < -0.6
    frequencies = big_corpus.process.word_frequencies
    observed = Counter(big_corpus.text.split())
    empirical = np.array([observed[w] for w in big_corpus.process.words]) / sum(observed.values())
    assert 0.5 * np.abs(empirical - frequencies).sum() < 0.03


def test_process_rejects_impossible_text():
    process = standins.make_english_like_process(seed=0)
    with pytest.raises(ValueError, match="not in the process's vocabulary"):
        process.word_log2_probs(["qqqq"])
    first = process.words[0]
    never = next(w for i, w in enumerate(process.words) if i not in process.successors[0])
    with pytest.raises(ValueError, match="never writes"):
        process.word_log2_probs([first, never])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: standins.make_english_like_corpus(5), "n_chars"),
        (lambda: standins.make_english_like_corpus(n_words=0), "n_words"),
        (lambda: standins.make_english_like_corpus(100, n_words=10), "n_chars"),
        (lambda: standins.make_english_like_corpus(100, seed=-1), "seed"),
        (lambda: standins.make_english_like_process(vocab_size=5), "vocab_size"),
        (lambda: standins.make_english_like_process(contrast=0), "contrast"),
        (lambda: standins.make_english_like_process(skew=1.5), "skew"),
        (lambda: standins.make_english_like_process(min_successors=3, max_successors=2), "max_successors"),
    ],
)
def test_english_like_bad_arguments(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------------------------------------
# The IMDB stand-in.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imdb():
    return standins.make_imdb_standin(n_train=3000, n_test=3000, label_noise=0.05, seed=4)


@pytest.fixture(scope="module")
def names(imdb):
    """id -> word for the stand-in's raw ids."""
    return {i: w for w, i in imdb.word_index.items()}


def test_imdb_standin_has_the_keras_raw_layout(imdb):
    assert imdb.x_train.dtype == object and imdb.x_train.shape == (3000,)
    assert imdb.y_train.dtype == np.int64 and set(np.unique(imdb.y_test)) == {0, 1}
    assert all(isinstance(i, int) and i >= 1 for i in imdb.x_train[0])
    index = imdb.word_index
    assert 2000 <= len(index) <= 5000
    assert sorted(index.values()) == list(range(1, len(index) + 1))
    assert index["the"] <= 3  # ranked by frequency, 1 = most frequent
    lengths = [len(r) for r in np.concatenate([imdb.x_train, imdb.x_test])]
    assert min(lengths) >= 20 and max(lengths) <= 300 and 80 <= np.median(lengths) <= 150


def test_imdb_labels_are_balanced_with_exactly_epsilon_flipped(imdb):
    for y, rule in ((imdb.y_train, imdb.rule_train), (imdb.y_test, imdb.rule_test)):
        assert y.mean() == 0.5 and rule.mean() == 0.5
        assert (y != rule).mean() == pytest.approx(0.05, abs=0.001)
    assert imdb.bayes_accuracy == pytest.approx(0.95)


def test_imdb_rule_label_of_the_decoded_text_reproduces_the_labels(imdb):
    word_index = imdb.word_index
    shifted = [[1] + [i + 3 for i in review] for review in imdb.x_test[:1000]]
    rules = [standins.imdb_rule_label(decode_review(review, word_index)) for review in shifted]
    assert rules == imdb.rule_test[:1000].tolist()
    agreement = np.mean(np.array(rules) == imdb.y_test[:1000])
    assert agreement == pytest.approx(0.95, abs=0.02)


def test_imdb_rule_reads_negation_and_contrast():
    rule = standins.imdb_rule_label
    assert rule("the plot was good") == 1 and rule("the plot was not good") == 0
    assert rule("it was never boring") == 1
    assert rule("the acting was great but the plot was dull") == 0
    assert rule("the plot was dull but the acting was great") == 1
    assert rule(["i", "had", "not", "seen", "it"]) is None


def test_imdb_bag_of_words_cannot_reach_the_bayes_accuracy(imdb, names):
    bound = standins.imdb_bow_accuracy_bound(0.05)
    assert imdb.bow_accuracy_bound == bound
    assert bound <= imdb.bayes_accuracy - 0.08
    assert standins.imdb_bow_accuracy_bound(0.0) > bound  # noise only lowers it
    # Reviews with the same sentiment words (counted) but different rule labels occur often: a bag
    # of words cannot tell them apart. The best classifier on those counts stays under the bound.
    sentiment = set(standins.POSITIVE_WORDS) | set(standins.NEGATIVE_WORDS) | set(standins.NEGATORS)
    groups: dict[tuple, list[int]] = {}
    for review, rule in zip(imdb.x_train, imdb.rule_train, strict=True):
        key = tuple(sorted(Counter(names[i] for i in review if names[i] in sentiment).items()))
        groups.setdefault(key, []).append(int(rule))
    mixed = [labels for labels in groups.values() if 0 < sum(labels) < len(labels)]
    assert sum(len(labels) for labels in mixed) > 0.05 * len(imdb.rule_train)
    summary: dict[tuple, list[int]] = {}
    for review, y in zip(imdb.x_train, imdb.y_train, strict=True):
        words = [names[i] for i in review]
        key = (
            sum(w in standins.POSITIVE_WORDS for w in words),
            sum(w in standins.NEGATIVE_WORDS for w in words),
            sum(w in standins.NEGATORS for w in words),
        )
        summary.setdefault(key, []).append(int(y))
    majority = sum(max(sum(v), len(v) - sum(v)) for v in summary.values()) / len(imdb.y_train)
    assert 0.6 < majority < bound + 0.02


def test_imdb_order_decides_for_the_same_bag_of_words():
    first = "the plot was not bad but the acting was dull".split()
    reordered = "the acting was dull but the plot was not bad".split()
    assert Counter(first) == Counter(reordered)
    assert standins.imdb_rule_label(first) != standins.imdb_rule_label(reordered)


def test_imdb_standin_is_determined_by_its_seed():
    a = standins.make_imdb_standin(50, 50, seed=1)
    b = standins.make_imdb_standin(50, 50, seed=1)
    c = standins.make_imdb_standin(50, 50, seed=2)
    assert a.x_train.tolist() == b.x_train.tolist() and (a.y_test == b.y_test).all()
    assert a.x_train.tolist() != c.x_train.tolist()
    assert a.word_index == c.word_index == standins.imdb_standin_word_index()


@pytest.mark.parametrize("label_noise", [-0.1, 0.5, 0.7, "0.05", True])
def test_imdb_label_noise_must_be_in_zero_to_one_half(label_noise):
    with pytest.raises(ValueError, match="label_noise"):
        standins.make_imdb_standin(10, 10, label_noise=label_noise)


@pytest.mark.parametrize(("kwargs", "name"), [({"n_train": 1}, "n_train"), ({"n_test": -4}, "n_test")])
def test_imdb_sizes_must_be_positive(kwargs, name):
    with pytest.raises(ValueError, match=name):
        standins.make_imdb_standin(**kwargs)


# ---------------------------------------------------------------------------------------------
# The parallel corpus.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pairs():
    return standins.make_parallel_pairs(3000, seed=2)


def test_parallel_text_parses_back_to_the_pairs(pairs):
    text = standins.make_parallel_text(3000, seed=2)
    assert all(line.count("\t") == 2 for line in text.splitlines())
    assert parse_translation_pairs(text) == pairs
    assert standins.make_parallel_pairs(100, seed=2) == pairs[:100]
    assert standins.make_parallel_pairs(100, seed=3) != pairs[:100]


def test_parallel_sentences_have_varied_lengths_and_end_like_sentences(pairs):
    lengths = Counter(len(en.split()) for en, _ in pairs)
    assert min(lengths) == 3 and max(lengths) >= 13 and max(lengths) <= 15 and len(lengths) >= 10
    for en, tg in pairs:
        assert en[0].isupper() and en.endswith(".") and tg[0].isupper() and tg.endswith(".")
    target_lengths = [len(tg.split()) for _, tg in pairs]
    assert target_lengths != [len(en.split()) for en, _ in pairs]  # lengths differ between languages


def test_translation_is_a_function_of_the_english_sentence(pairs):
    seen: dict[str, str] = {}
    for en, tg in pairs:
        assert standins.translate_to_standin(en) == tg
        assert seen.setdefault(en, tg) == tg
    with pytest.raises(ValueError, match="not a sentence"):
        standins.translate_to_standin("Colorless green ideas sleep furiously.")


def _alignment(en: str, tg: str) -> list[int]:
    """English position of each target word (through the lexicon and the suffixes)."""
    lexicon = standins.STANDIN_LEXICON
    lemma_of = {}
    for noun, plural in parallel._NOUNS:
        lemma_of[noun] = lemma_of[plural] = noun
    for base, third, past in parallel._TRANSITIVE + parallel._INTRANSITIVE:
        lemma_of[base] = lemma_of[third] = lemma_of[past] = base
    for subject, obj, _ in parallel._PRONOUNS:
        lemma_of[subject] = lemma_of[obj] = subject
    lemma_of["an"] = "a"
    english = [lemma_of.get(w, w) for w in en.rstrip(".").lower().split()]
    reverse = {word: lemma for lemma, word in lexicon.items()}
    positions = []
    for word in tg.rstrip(".").lower().split():
        for candidate in (word, word[:-2]):
            if candidate in reverse and reverse[candidate] in english:
                positions.append(english.index(reverse[candidate]))
                break
    return positions


def test_translation_reorders_words(pairs):
    crossing = 0
    for en, tg in pairs:
        positions = _alignment(en, tg)
        crossing += positions != sorted(positions)
    assert crossing > 0.7 * len(pairs)


def test_parallel_bad_arguments():
    with pytest.raises(ValueError, match="n_pairs"):
        standins.make_parallel_pairs(0)
