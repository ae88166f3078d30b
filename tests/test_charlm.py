"""Tests of utils.charlm: one-hot layer, held-out perplexity with carried state, greedy continuation,
the timed epoch loop and the Keras step function."""

import math

import keras
import numpy as np
import pytest

from utils import charlm, decoding

VOCAB = 7


def uniform_step(X, state):
    return np.zeros((*X.shape, VOCAB)), state


def next_id_step(confidence):
    """A model that believes the next id is (current id + 1) mod VOCAB, with the given logit margin."""

    def step(X, state):
        logits = np.zeros((*X.shape, VOCAB))
        np.put_along_axis(logits, ((X + 1) % VOCAB)[..., None], confidence, axis=-1)
        return logits, state

    return step


# ---------------------------------------------------------------------------------------------
# OneHot
# ---------------------------------------------------------------------------------------------


def test_one_hot_layer_matches_identity_rows():
    ids = np.array([[0, 3, 6], [2, 2, 1]])
    out = keras.ops.convert_to_numpy(charlm.OneHot(VOCAB)(ids))
    assert out.shape == (2, 3, VOCAB)
    np.testing.assert_array_equal(out, np.eye(VOCAB)[ids])
    assert charlm.OneHot(VOCAB).compute_output_shape((None, 5)) == (None, 5, VOCAB)


def test_one_hot_layer_config_round_trip_and_validation():
    layer = charlm.OneHot(11, name="hot")
    again = charlm.OneHot.from_config(layer.get_config())
    assert again.depth == 11 and again.name == "hot"
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="depth"):
            charlm.OneHot(bad)


# ---------------------------------------------------------------------------------------------
# stream_perplexity
# ---------------------------------------------------------------------------------------------


def test_uniform_model_has_perplexity_vocab_size():
    ids = np.arange(500) % VOCAB
    assert charlm.stream_perplexity(uniform_step, ids, None, batch_size=3, num_steps=10) == pytest.approx(VOCAB)


def test_confident_right_model_approaches_one_and_wrong_model_is_penalized():
    ids = np.arange(600) % VOCAB
    right = charlm.stream_perplexity(next_id_step(20.0), ids, None, batch_size=4, num_steps=9)
    assert 1.0 < right < 1.0 + 1e-6
    shifted = (np.arange(600) * 2) % VOCAB  # the next id is current + 2: the model is always wrong
    wrong = charlm.stream_perplexity(next_id_step(5.0), shifted, None, batch_size=4, num_steps=9)
    expected = math.exp(math.log(math.exp(5.0) + VOCAB - 1))  # exp(-log p) with p = 1 / (e^5 + 6)
    assert wrong == pytest.approx(expected)


def test_stream_perplexity_equals_a_direct_computation():
    rng = np.random.default_rng(0)
    table = rng.normal(size=(VOCAB, VOCAB))  # logits of the next id given the current id

    def bigram_step(X, state):
        return table[X], state

    ids = rng.integers(0, VOCAB, size=400)
    batch_size, num_steps = 3, 8
    stream = (len(ids) - 1) // batch_size
    usable = (stream // num_steps) * num_steps
    X = ids[: stream * batch_size].reshape(batch_size, stream)[:, :usable]
    Y = ids[1 : stream * batch_size + 1].reshape(batch_size, stream)[:, :usable]
    log_probs = table - np.log(np.exp(table).sum(axis=1, keepdims=True))
    expected = math.exp(-log_probs[X, Y].mean())
    got = charlm.stream_perplexity(bigram_step, ids, None, batch_size=batch_size, num_steps=num_steps)
    assert got == pytest.approx(expected, rel=1e-12)


def test_stream_perplexity_carries_the_state_from_window_to_window():
    seen = []

    def counting_step(X, state):
        seen.append(state)
        return np.zeros((*X.shape, VOCAB)), state + 1

    ids = np.arange(200) % VOCAB
    charlm.stream_perplexity(counting_step, ids, 0, batch_size=2, num_steps=10)
    assert seen == list(range(len(seen))) and len(seen) == 9  # (200 - 1) // 2 = 99 per stream: 9 windows


def test_stream_perplexity_validates_its_arguments():
    ids = np.arange(100) % VOCAB
    with pytest.raises(ValueError, match="batch_size"):
        charlm.stream_perplexity(uniform_step, ids, None, batch_size=0)
    with pytest.raises(ValueError, match="num_steps"):
        charlm.stream_perplexity(uniform_step, ids, None, batch_size=2, num_steps=2.0)
    with pytest.raises(ValueError, match="ids"):
        charlm.stream_perplexity(uniform_step, ids.reshape(10, 10), None)
    with pytest.raises(ValueError, match="logits of shape"):
        charlm.stream_perplexity(lambda X, s: (np.zeros((1, 1, VOCAB)), s), ids, None, batch_size=2, num_steps=5)


# ---------------------------------------------------------------------------------------------
# greedy_continuation
# ---------------------------------------------------------------------------------------------


def test_greedy_continuation_follows_the_argmax():
    generated = charlm.greedy_continuation(next_id_step(3.0), [5, 6], num_tokens=4, initial_state=None)
    assert generated.tolist() == [0, 1, 2, 3]  # after 6 comes 0, then 1, ...


def test_greedy_continuation_warms_up_the_state_on_the_prefix():
    def counter_step(X, state):
        assert X.shape == (1, 1) and X.dtype == np.int32
        logits = np.zeros((1, 1, VOCAB))
        logits[0, 0, (state + 1) % VOCAB] = 1.0  # predicts how many tokens it has read
        return logits, state + 1

    generated = charlm.greedy_continuation(counter_step, [4, 4, 4], num_tokens=3, initial_state=0)
    assert generated.tolist() == [3, 4, 5]


def plain_greedy_loop(step, prefix_ids, num_tokens, state):
    """Greedy continuation written out: warm up on the prefix, then feed back the argmax of the logits."""
    for token in prefix_ids[:-1]:
        _, state = step(np.array([[token]], dtype=np.int32), state)
    token, generated = int(prefix_ids[-1]), []
    for _ in range(num_tokens):
        logits, state = step(np.array([[token]], dtype=np.int32), state)
        token = int(np.argmax(np.asarray(logits, dtype=np.float64)[0, -1]))
        generated.append(token)
    return generated


def random_rnn_step(vocab_size: int, hidden: int, scale: float, seed: int):
    """A random float32 RNN language model in the window form; its state is an array or a list of one."""
    rng = np.random.default_rng(seed)
    W_xh, W_hh, W_hq = (rng.normal(0, scale, shape).astype(np.float32)
                        for shape in ((vocab_size, hidden), (hidden, hidden), (hidden, vocab_size)))

    def step(X, state):
        H = state[0] if isinstance(state, list) else state
        logits = []
        for t in range(X.shape[1]):
            H = np.tanh(W_xh[X[:, t]] + H @ W_hh)
            logits.append(H @ W_hq)
        return np.stack(logits, axis=1), [H] if isinstance(state, list) else H

    return step


@pytest.mark.parametrize("seed", range(12))
def test_greedy_continuation_is_the_plain_greedy_loop(seed):
    # It runs decoding.greedy_search on the log-softmax of the logits: the same tokens as the argmax of the logits.
    vocab_size, hidden, scale = (5, 28, 60)[seed % 3], (8, 32)[seed % 2], (0.01, 0.3, 1.0, 3.0)[seed % 4]
    step = random_rnn_step(vocab_size, hidden, scale, seed)
    prefix = np.random.default_rng(seed).integers(0, vocab_size, size=1 + seed % 4)
    state = np.zeros((1, hidden), dtype=np.float32)
    state = [state] if seed % 2 else state
    generated = charlm.greedy_continuation(step, prefix, 40, state)
    assert generated.dtype == np.int64 and generated.tolist() == plain_greedy_loop(step, prefix, 40, state)


def test_greedy_continuation_is_greedy_search_on_the_token_step():
    step = random_rnn_step(9, 16, 1.0, seed=3)
    state = np.zeros((1, 16), dtype=np.float32)
    for token in [4, 1]:  # the prefix 4, 1, 7 without its last token
        _, state = step(np.array([[token]], dtype=np.int32), state)
    found = decoding.greedy_search(decoding.log_prob_step(step), state, bos_id=7, eos_id=None, max_len=25)[0]
    generated = charlm.greedy_continuation(step, [4, 1, 7], 25, np.zeros((1, 16), dtype=np.float32))
    assert generated.tolist() == list(found.best.tokens)


def test_greedy_continuation_validates_its_arguments():
    with pytest.raises(ValueError, match="prefix_ids"):
        charlm.greedy_continuation(uniform_step, [], num_tokens=3, initial_state=None)
    with pytest.raises(ValueError, match="num_tokens"):
        charlm.greedy_continuation(uniform_step, [1], num_tokens=0, initial_state=None)


# ---------------------------------------------------------------------------------------------
# train_epochs and LanguageModelRun
# ---------------------------------------------------------------------------------------------


def test_train_epochs_records_every_epoch_and_evaluates_after_each():
    losses = iter([2.0, 1.0, 0.5])
    evaluations = iter([5.0, 3.0, 2.0])
    run = charlm.train_epochs(lambda: (next(losses), 100), 3, evaluate=lambda: next(evaluations), verbose=False)
    assert run.train_ppl == pytest.approx([math.exp(2.0), math.exp(1.0), math.exp(0.5)])
    assert run.valid_ppl == [5.0, 3.0, 2.0]
    assert run.epoch_tokens == [100, 100, 100] and len(run.epoch_seconds) == 3
    assert run.seconds == pytest.approx(sum(run.epoch_seconds))


def test_tokens_per_second_leaves_out_the_first_epoch():
    run = charlm.LanguageModelRun("m", epoch_seconds=[10.0, 1.0, 3.0], epoch_tokens=[100, 200, 600])
    assert run.tokens_per_s == pytest.approx(800 / 4.0)
    single = charlm.LanguageModelRun("m", epoch_seconds=[2.0], epoch_tokens=[50])
    assert single.tokens_per_s == pytest.approx(25.0)
    with pytest.raises(ValueError, match="no epochs"):
        _ = charlm.LanguageModelRun("empty").tokens_per_s


def test_train_epochs_stops_on_divergence_and_validates():
    with pytest.raises(ValueError, match="diverged"):
        charlm.train_epochs(lambda: (float("nan"), 10), 2, verbose=False)
    with pytest.raises(ValueError, match="epochs"):
        charlm.train_epochs(lambda: (1.0, 10), 0)
    with pytest.raises(ValueError, match="run_epoch"):
        charlm.train_epochs("not a function", 1)
    with pytest.raises(ValueError, match="evaluate"):
        charlm.train_epochs(lambda: (1.0, 10), 1, evaluate=3.0)


# ---------------------------------------------------------------------------------------------
# keras_step_function
# ---------------------------------------------------------------------------------------------


def small_gru_stepper(units=5):
    ids = keras.Input(shape=(None,), dtype="int32")
    state = keras.Input(shape=(units,))
    sequence, last = keras.layers.GRU(units, return_sequences=True, return_state=True)(
        charlm.OneHot(VOCAB)(ids), initial_state=[state]
    )
    return keras.Model([ids, state], [keras.layers.Dense(VOCAB)(sequence), last])


def test_keras_step_function_carries_the_state_exactly():
    keras.utils.set_random_seed(0)
    model = small_gru_stepper()
    step = charlm.keras_step_function(model)
    X = np.random.default_rng(0).integers(0, VOCAB, size=(2, 12)).astype(np.int32)
    zeros = [np.zeros((2, 5), dtype=np.float32)]
    whole, whole_state = step(X, zeros)
    first, state = step(X[:, :7], zeros)
    second, second_state = step(X[:, 7:], state)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, atol=1e-5)
    np.testing.assert_allclose(second_state[0], whole_state[0], atol=1e-5)
    assert whole.shape == (2, 12, VOCAB)


def test_keras_step_function_needs_state_inputs():
    plain = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), charlm.OneHot(VOCAB)])
    with pytest.raises(ValueError, match="states"):
        charlm.keras_step_function(plain)
    with pytest.raises(ValueError, match="keras.Model"):
        charlm.keras_step_function(lambda X, s: (X, s))
