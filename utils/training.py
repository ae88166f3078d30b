"""Training plumbing that is not the lesson's point: a timed, quiet ``fit``."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from utils.checks import check_callable, check_int, fail


@dataclass
class TrainingRun:
    """What :func:`fit_timed` returns: the Keras history and the wall time of ``fit``."""

    history: object
    seconds: float

    @property
    def curves(self) -> dict[str, list[float]]:
        """The per-epoch metrics, as ``history.history``."""
        return self.history.history


def fit_timed(
    model,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    batch_size: int = 32,
    verbose: int = 0,
    validation_batch_size: int = 256,
    **fit_kwargs,
) -> TrainingRun:
    """Call ``model.fit`` and time it; print one line with the final losses.

    Args:
        model: a compiled Keras model.
        X, y: training inputs and targets (same number of samples).
        epochs: number of epochs (a positive int; notebooks choose it with ``utils.profile.pick``).
        validation_data: ``(X_valid, y_valid)`` evaluated after each epoch.
        batch_size: samples per gradient step (Keras' default is 32, as in the lectures).
        verbose: passed to ``fit`` (0: silent, 2: one line per epoch).
        validation_batch_size: batch size for the validation pass (larger than ``batch_size``:
            it only evaluates, so it changes no result, only the speed).
        **fit_kwargs: anything else ``fit`` takes (callbacks, ...).
    """
    check_callable("model.fit", getattr(model, "fit", None), "a method: pass a compiled Keras model")
    epochs = check_int("epochs", epochs, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    validation_batch_size = check_int("validation_batch_size", validation_batch_size, minimum=1)
    for name, value in (("X", X), ("y", y)):
        if value is None or isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
            raise fail(name, value, "an array (or a list of arrays) with one row per sample")
    if validation_data is not None and (
        not isinstance(validation_data, (tuple, list))
        or len(validation_data) != 2
        or any(part is None or not hasattr(part, "__len__") for part in validation_data)
        or len(validation_data[0]) != len(validation_data[1])
    ):
        raise fail("validation_data", validation_data, "None or a pair (X_valid, y_valid) of equal length")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}; they must match.")
    if validation_data is not None:
        for name, train, valid in (("X", X, validation_data[0]), ("y", y, validation_data[1])):
            train_shape, valid_shape = _sample_shape(train, name == "y"), _sample_shape(valid, name == "y")
            declared = _declared_input(model) if name == "X" else None
            if declared is not None and valid_shape is not None:
                fits = len(declared) == len(valid_shape) and all(d in (None, v) for d, v in zip(declared, valid_shape))
                expected = f"the model's input {declared} (None: any size)"
            elif None not in (train_shape, valid_shape):
                # A sequence may be longer in validation (read in long rows): only the rank and the sizes
                # after the time axis must agree with the training data's.
                fits = len(train_shape) == len(valid_shape) and train_shape[1:] == valid_shape[1:]
                expected = f"the training {name} {train_shape} (any length along the first axis)"
            else:
                fits = True
            if not fits:
                raise ValueError(f"validation_data's {name} has samples of shape {valid_shape}, unlike {expected}; "
                                 "prepare the validation data as the training data (same window, same features).")
    if len(X) == 0:
        raise ValueError("X is empty: there is nothing to train on.")
    start = time.perf_counter()
    history = model.fit(
        X,
        y,
        epochs=int(epochs),
        batch_size=int(batch_size),
        validation_data=validation_data,
        validation_batch_size=validation_batch_size,
        verbose=verbose,
        **fit_kwargs,
    )
    seconds = time.perf_counter() - start
    for name, values in history.history.items():
        bad = [epoch for epoch, value in enumerate(values, start=1) if not math.isfinite(float(value))]
        if name.endswith("loss") and bad:
            raise ValueError(
                f"{model.name}: {name}={float(values[bad[0] - 1])} after epoch {bad[0]} of {len(values)}; the "
                "training diverged (a NaN or infinite loss). Lower the learning rate, clip the gradients "
                "(clipnorm=1.0) or check the inputs for NaN."
            )
    last = {name: values[-1] for name, values in history.history.items()}
    summary = ", ".join(f"{name} {value:.6f}" for name, value in last.items() if name.endswith("loss"))
    print(f"{model.name}: {len(history.history['loss'])} epochs in {seconds:.1f} s; {summary}")
    return TrainingRun(history=history, seconds=seconds)


def _declared_input(model) -> tuple[int | None, ...] | None:
    """The shape of one sample a single-input Keras model declares (``keras.Input(shape=...)``), else None."""
    shape = getattr(model, "input_shape", None)
    if not isinstance(shape, tuple) or not shape or not all(d is None or isinstance(d, int) for d in shape):
        return None
    return tuple(shape[1:])


def _sample_shape(data: object, squeeze: bool) -> tuple[int, ...] | None:
    """The shape of one sample of an array (without trailing 1s for targets: Keras squeezes them); None if no array."""
    shape = getattr(data, "shape", None)
    if shape is None:
        return None
    shape = tuple(int(size) for size in shape[1:])
    while squeeze and shape and shape[-1] == 1:
        shape = shape[:-1]
    return shape


def input_gradient_by_lag(model, inputs) -> np.ndarray:
    """How strongly a sequence model's output depends on each past input: mean |d output / d x_t| by lag.

    Notebook 02 derives it (section 5, "Vanishing and exploding gradients, measured") and notebook 04
    uses it to compare SimpleRNN, LSTM and GRU. The gradient of the summed outputs with respect to
    the first input channel at every step is averaged in absolute value over the batch and listed
    from the last step (lag 0) back to the first.

    Args:
        model: a Keras model (or any callable on a tensor) mapping ``(batch, steps, channels)`` to
            outputs that depend on the inputs.
        inputs: an array of shape ``(batch, steps, channels)``.

    Returns:
        an array of length ``steps``: entry ``k`` is the mean |gradient| for the input ``k`` steps
        before the last one.
    """
    import tensorflow as tf

    check_callable("model", model, "a Keras model mapping (batch, steps, channels) to outputs")
    values = np.asarray(inputs)
    if values.ndim != 3 or 0 in values.shape or values.dtype.kind not in "fiu":
        raise fail("inputs", inputs, "a numeric array of shape (batch, steps, channels) with no empty axis")
    tensor = tf.constant(values if values.dtype.kind == "f" else values.astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(tensor)
        outputs = model(tensor)
    gradient = tape.gradient(outputs, tensor)
    if gradient is None:
        raise ValueError("model's outputs do not depend on inputs (no gradient); pass the model that reads them.")
    return np.abs(gradient.numpy()[:, :, 0]).mean(axis=0)[::-1]
