"""Plumbing for recurrent language models over characters (or any tokens): a one-hot input layer,
held-out perplexity with the state carried through the text, greedy continuation, and a timed
epoch loop that records perplexity and tokens per second the same way for every model.

The models themselves stay in the notebooks. Everything here talks to a model through the
course's one step-function protocol (defined in :mod:`utils.decoding`), in its window form::

    logits, state = step(X, state)

``X`` is a ``(batch, steps)`` array of token ids, ``state`` whatever the model carries from one
call to the next (an array, or a list of arrays for an LSTM), and ``logits`` has shape
``(batch, steps, vocab_size)``: the unnormalized scores of the next token at every position.
A from-scratch RNN written with TensorFlow ops and a Keras model built with explicit state inputs
(see :func:`keras_step_function`) both fit it. :func:`utils.decoding.log_prob_step` turns it into
the token form the searches call, and :func:`greedy_continuation` is
:func:`utils.decoding.greedy_search` on it: one greedy decoder for the whole course.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from utils import decoding, text
from utils.checks import check_array, check_bool, check_callable, check_finite, check_ids, check_int, check_str, fail
from utils.decoding import LogitsStepFunction

__all__ = [
    "LanguageModelRun",
    "OneHot",
    "greedy_continuation",
    "keras_step_function",
    "stream_perplexity",
    "train_epochs",
]

def _check_positive_int(name: str, value: object) -> int:
    return check_int(name, value, minimum=1)


def _check_ids(name: str, ids: object) -> np.ndarray:
    return check_array(name, ids, ndim=1, kind="integer", nonempty=True)


def _check_logits(logits: object, batch_shape: tuple[int, ...], ids: np.ndarray | None, ids_name: str) -> np.ndarray:
    """The step function's logits as float64, of shape ``batch_shape + (vocab_size,)``, finite, with
    every id of ``ids`` (if given) inside the vocabulary they score."""
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != len(batch_shape) + 1 or logits.shape[: len(batch_shape)] != batch_shape:
        raise ValueError(f"step returned logits of shape {logits.shape}; expected {batch_shape} + (vocab_size,).")
    check_finite("logits", logits, "a NaN or an infinite score means the model diverged")
    if ids is not None:
        check_ids(ids_name, ids, logits.shape[-1], nonempty=False)
    return logits


@keras.saving.register_keras_serializable(package="course")
class OneHot(keras.layers.Layer):
    """Integer token ids ``(batch, steps)`` to one-hot vectors ``(batch, steps, depth)``.

    A dense layer applied to a one-hot vector picks one row of its weight matrix, so this layer
    followed by a recurrent layer computes exactly the lectures' ``x_t W_xh``.

    Args:
        depth: the vocabulary size.
    """

    def __init__(self, depth: int, **kwargs):
        super().__init__(**kwargs)
        self.depth = _check_positive_int("depth", depth)

    def call(self, ids):
        ids = keras.ops.cast(ids, "int32")
        if tf.executing_eagerly():
            # An id outside [0, depth) would silently become an all-zero vector.
            check_ids("ids", keras.ops.convert_to_numpy(ids), self.depth, nonempty=False)
        else:  # in a graph: checked when it runs (an XLA-compiled graph skips such checks)
            message = f"OneHot(depth={self.depth}): ids must lie in [0, {self.depth}) (the vocabulary)"
            with tf.control_dependencies(
                [tf.debugging.assert_non_negative(ids, message=message),
                 tf.debugging.assert_less(ids, tf.constant(self.depth, dtype=ids.dtype), message=message)]
            ):
                ids = tf.identity(ids)
        return keras.ops.one_hot(ids, self.depth)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.depth)

    def get_config(self) -> dict:
        return {**super().get_config(), "depth": self.depth}


def keras_step_function(model: keras.Model) -> Callable:
    """The step function of a Keras model built as ``[ids, *states] -> [logits, *states]``.

    The returned function is a ``tf.function`` that takes ``(X, states)`` with ``states`` a list
    of arrays (one for SimpleRNN and GRU layers, two per LSTM layer) and returns
    ``(logits, states)``. Each distinct input shape is traced once (say one for evaluation
    batches and one for generating a token at a time).
    """
    if not isinstance(model, keras.Model):
        raise ValueError(f"model must be a keras.Model, got {type(model).__name__}.")
    n_states = len(model.inputs) - 1
    if n_states < 1 or len(model.outputs) != n_states + 1:
        raise ValueError(
            f"model {model.name!r} has {len(model.inputs)} inputs and {len(model.outputs)} outputs; "
            "it must map [ids, *states] to [logits, *states] (at least one state)."
        )

    @tf.function(reduce_retracing=True)
    def step(X, states):
        outputs = model([X, *states], training=False)
        return outputs[0], list(outputs[1:])

    return step


def stream_perplexity(
    step: LogitsStepFunction,
    ids: Sequence[int] | np.ndarray,
    initial_state: object,
    batch_size: int = 16,
    num_steps: int = 35,
) -> float:
    """Perplexity of a language model on a text, each token predicted from everything before it.

    The text is laid out as ``batch_size`` contiguous streams (as in
    :func:`utils.text.sequential_batches`, from offset 0) and read ``num_steps`` tokens at a
    time; the state is carried from one window to the next, so every token is conditioned on the
    whole of its stream before it, not just on its window. The result is
    ``exp(-mean log p(x_t | x_<t))`` over every token scored (the tail that does not fill a
    whole window is left out).

    Args:
        step: the model's step function, ``logits, state = step(X, state)``.
        ids: the token ids of the held-out text.
        initial_state: the state at the start of every stream (zeros, of batch ``batch_size``).
        batch_size: the number of streams.
        num_steps: the tokens per call.

    Returns:
        the perplexity per token.
    """
    ids = _check_ids("ids", ids)
    batch_size = _check_positive_int("batch_size", batch_size)
    num_steps = _check_positive_int("num_steps", num_steps)
    total_nll, count = 0.0, 0
    state = initial_state
    step = check_callable("step", step, "a function (X, state) -> (logits, state)")
    for window, (X, Y) in enumerate(text.sequential_batches(ids, batch_size, num_steps, offset=0)):
        logits, state = step(X.astype(np.int32), state)
        logits = _check_logits(logits, X.shape, ids if window == 0 else None, "ids")
        top = logits.max(axis=-1, keepdims=True)
        log_norm = np.log(np.exp(logits - top).sum(axis=-1)) + top[..., 0]
        chosen = np.take_along_axis(logits, Y[..., None], axis=-1)[..., 0]
        total_nll += float((log_norm - chosen).sum())
        count += Y.size
    return math.exp(total_nll / count)


def greedy_continuation(
    step: LogitsStepFunction,
    prefix_ids: Sequence[int] | np.ndarray,
    num_tokens: int,
    initial_state: object,
) -> np.ndarray:
    """Continue a prefix by always taking the most likely next token.

    The prefix is fed one token at a time to warm up the state (its own predictions are
    ignored). From its last token on this is :func:`utils.decoding.greedy_search` on the model's
    token step (:func:`utils.decoding.log_prob_step`) with no end-of-sequence token: each
    predicted token becomes the next input. All calls have the shape ``(1, 1)``, so a traced step
    function is traced once.

    Args:
        step: the model's step function.
        prefix_ids: the ids of the prefix (at least one).
        num_tokens: how many tokens to generate.
        initial_state: the state before the prefix, for a batch of one.

    Returns:
        the ``num_tokens`` generated ids (without the prefix).
    """
    prefix_ids = _check_ids("prefix_ids", prefix_ids)
    num_tokens = _check_positive_int("num_tokens", num_tokens)
    step = check_callable("step", step, "a function (X, state) -> (logits, state)")
    state = initial_state
    for token in prefix_ids[:-1]:
        _, state = step(np.array([[token]], dtype=np.int32), state)
    token_step = decoding.log_prob_step(step)

    def one_row_step(last_tokens: np.ndarray, box: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        log_probs, new_state = token_step(last_tokens, box[0])
        check_ids("prefix_ids", prefix_ids, log_probs.shape[1], nonempty=False)  # inside the vocabulary scored
        return log_probs, _one_row(new_state)

    found = decoding.greedy_search(
        one_row_step, _one_row(state), bos_id=int(prefix_ids[-1]), eos_id=None, max_len=num_tokens
    )
    return np.array(found[0].best.tokens, dtype=np.int64)


def _one_row(state: object) -> np.ndarray:
    """The searches keep one row of state per hypothesis; a language model's state may be anything
    (a tensor, a list of them, ``None``), so for a batch of one it travels in a one-row box."""
    box = np.empty(1, dtype=object)
    box[0] = state
    return box


@dataclass
class LanguageModelRun:
    """What :func:`train_epochs` records.

    Attributes:
        name: the model's name.
        train_ppl: the training perplexity of each epoch (``exp`` of the mean training loss).
        valid_ppl: the held-out perplexity after each epoch (empty without ``evaluate``).
        epoch_seconds: the training time of each epoch (evaluation not included).
        epoch_tokens: the tokens trained on in each epoch.
    """

    name: str
    train_ppl: list[float] = field(default_factory=list)
    valid_ppl: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    epoch_tokens: list[int] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """The total training time (evaluation not included)."""
        return float(sum(self.epoch_seconds))

    @property
    def tokens_per_s(self) -> float:
        """Training throughput: tokens per second over every epoch but the first.

        The first epoch also pays for tracing the computation graph, a one-off cost, so it is
        left out when there is more than one epoch.
        """
        if not self.epoch_seconds:
            raise ValueError(f"run {self.name!r} has no epochs yet.")
        first = 1 if len(self.epoch_seconds) > 1 else 0
        return float(sum(self.epoch_tokens[first:]) / sum(self.epoch_seconds[first:]))


def train_epochs(
    run_epoch: Callable[[], tuple[float, int]],
    epochs: int,
    evaluate: Callable[[], float] | None = None,
    name: str = "model",
    verbose: bool = True,
) -> LanguageModelRun:
    """Train for ``epochs`` epochs, timing each and measuring held-out perplexity after each.

    Args:
        run_epoch: trains one epoch and returns ``(mean training loss in nats, tokens seen)``.
        epochs: the number of epochs.
        evaluate: returns the held-out perplexity (not timed as training).
        name: the model's name, for the printed line and the record.
        verbose: print one line at the end.

    Returns:
        a :class:`LanguageModelRun`.
    """
    epochs = _check_positive_int("epochs", epochs)
    if not callable(run_epoch):
        raise ValueError(f"run_epoch must be callable, got {type(run_epoch).__name__}.")
    if evaluate is not None and not callable(evaluate):
        raise ValueError(f"evaluate must be callable or None, got {type(evaluate).__name__}.")
    name = check_str("name", name, nonempty=True)
    verbose = check_bool("verbose", verbose)
    run = LanguageModelRun(name=name)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        outcome = run_epoch()
        run.epoch_seconds.append(time.perf_counter() - start)
        if not isinstance(outcome, (tuple, list)) or len(outcome) != 2:
            raise fail("run_epoch()", outcome, "a pair (mean training loss in nats, tokens seen)")
        loss, tokens = outcome
        try:
            loss = float(loss)
        except (TypeError, ValueError):
            raise fail("run_epoch()[0]", loss, "a number (the mean training loss)") from None
        if not math.isfinite(loss):
            raise ValueError(f"{name}: the training loss is {loss} in epoch {epoch}; the run diverged.")
        run.train_ppl.append(math.exp(loss))
        run.epoch_tokens.append(check_int("run_epoch()[1]", tokens, minimum=0))
        if evaluate is not None:
            perplexity = evaluate()
            check_finite("evaluate()", perplexity, f"{name} diverged in epoch {epoch}")
            run.valid_ppl.append(float(perplexity))
    if verbose:
        line = f"{name}: {epochs} epochs in {run.seconds:.1f} s, {run.tokens_per_s:,.0f} tokens/s; "
        line += f"training perplexity {run.train_ppl[-1]:.4f}"
        if run.valid_ppl:
            line += f", held-out {run.valid_ppl[-1]:.4f}"
        print(line)
    return run
