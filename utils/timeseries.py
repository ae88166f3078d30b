"""The synthetic time series of the lectures, their splits and their noise floors.

Two generators:

* :func:`generate_two_sine_series`: the lab lecture's batch of series, each the sum
  of two sine waves with random frequencies and phases plus uniform noise
  ``0.1 * (U - 0.5)``. Drawing from NumPy's legacy global generator after
  ``np.random.seed(42)`` (or passing ``seed=42``) reproduces the lecture exactly.
* :func:`generate_noisy_sine`: the d2l lecture's single long series
  ``x_t = sin(0.01 t) + N(0, 0.2^2)`` for ``t = 1..T``.

Each has a *noise floor*: the variance of its noise term, the lowest mean squared
error any one-step predictor can reach on it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from utils.checks import (
    LEGACY_SEED_LIMIT,
    check_array,
    check_callable,
    check_choice,
    check_int,
    check_number,
    check_seed,
)

#: Amplitude of the uniform noise term in the two-sine series: ``0.1 * (U - 0.5)``.
TWO_SINE_NOISE_AMPLITUDE = 0.1
#: Standard deviation of the Gaussian noise in the d2l noisy sine.
NOISY_SINE_NOISE_STD = 0.2



def _random_state(seed: np.random.RandomState | int | None) -> np.random.RandomState:
    """Turn ``seed`` into a legacy RandomState (``None`` means NumPy's global one)."""
    if seed is None:
        # The global legacy generator, the one ``np.random.seed`` seeds (as the lecture does).
        return np.random.mtrand._rand
    if isinstance(seed, np.random.RandomState):
        return seed
    try:
        return np.random.RandomState(check_seed("seed", seed, limit=LEGACY_SEED_LIMIT, allow_none=False))
    except ValueError:
        raise ValueError(
            f"seed={seed!r} must be an integer from 0 to 2**32 - 1, a np.random.RandomState, "
            "or None to draw from NumPy's global generator (seeded with np.random.seed)."
        ) from None


def _positive_int(name: str, value: object) -> int:
    return check_int(name, value, minimum=1)


def generate_two_sine_series(
    n_series: int, n_steps: int, seed: np.random.RandomState | int | None = None
) -> np.ndarray:
    """Draw ``n_series`` two-sine series of ``n_steps`` steps, as in the lab lecture.

    Each series is ``0.5 sin((t - o1)(10 f1 + 10)) + 0.2 sin((t - o2)(20 f2 + 20))``
    on ``t = linspace(0, 1, n_steps)``, plus noise ``0.1 (U - 0.5)``, with ``f1, f2,
    o1, o2`` uniform on [0, 1) per series. The random draws are made in the lecture's
    order, so ``np.random.seed(42)`` followed by ``generate_two_sine_series(10000, 51)``
    gives the lecture's data to the last bit.

    Args:
        n_series: how many series (the lecture's ``batch_size``: 10,000).
        n_steps: length of each series (inputs plus targets: 51 for one-step forecasting).
        seed: ``None`` draws from NumPy's global generator (seed it with ``np.random.seed``),
            an int seeds a fresh generator, a ``RandomState`` is used as is.

    Returns:
        float32 array of shape ``(n_series, n_steps, 1)``.
    """
    n_series = _positive_int("n_series", n_series)
    n_steps = _positive_int("n_steps", n_steps)
    rng = _random_state(seed)
    freq1, freq2, offsets1, offsets2 = rng.rand(4, n_series, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += TWO_SINE_NOISE_AMPLITUDE * (rng.rand(n_series, n_steps) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def two_sine_noise_floor() -> float:
    """Variance of the two-sine noise term ``a (U - 0.5)``: ``a^2 / 12`` (0.000833 for a = 0.1)."""
    return TWO_SINE_NOISE_AMPLITUDE**2 / 12


class Split(NamedTuple):
    """Inputs and targets of one part (train, validation or test) of a dataset."""

    X: np.ndarray
    y: np.ndarray


class Splits(NamedTuple):
    """The three parts of a dataset, in the lecture's order."""

    train: Split
    valid: Split
    test: Split


def split_series(
    series: np.ndarray,
    n_inputs: int,
    sizes: tuple[int, int, int] = (7000, 2000, 1000),
    target: str = "next",
) -> Splits:
    """Cut series into inputs and targets, then into train / validation / test parts.

    Args:
        series: array ``(n_series, n_steps, 1)`` from :func:`generate_two_sine_series`.
        n_inputs: how many leading steps are inputs (the lecture's ``n_steps = 50``).
        sizes: series in the train, validation and test parts, taken in order
            (the lecture's 7000 / 2000 / 1000). They must add up to at most ``n_series``.
        target: what to predict from the inputs:

            * ``"next"``: the value right after the inputs, shape ``(n, 1)``;
            * ``"ahead"``: all the steps after the inputs, shape ``(n, horizon)``;
            * ``"seq2seq"``: at every input step ``t`` the ``horizon`` values after it,
              shape ``(n, n_inputs, horizon)`` (the horizon is ``n_steps - n_inputs``).

    Returns:
        :class:`Splits` with ``X`` of shape ``(n, n_inputs, 1)`` in each part.
    """
    series = check_array("series", series, kind="number", finite=True)
    if series.ndim != 3 or series.shape[-1] != 1:
        raise ValueError(
            f"series has shape {series.shape}; expected (n_series, n_steps, 1) as "
            "generate_two_sine_series returns."
        )
    n_series, n_steps, _ = series.shape
    n_inputs = _positive_int("n_inputs", n_inputs)
    if n_inputs >= n_steps:
        raise ValueError(
            f"n_inputs={n_inputs} leaves no target steps in series of {n_steps} steps; "
            f"generate at least n_inputs + 1 = {n_inputs + 1} steps."
        )
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) != 3:
        raise ValueError(f"sizes={sizes!r} must give three sizes: (train, valid, test).")
    for part, size in zip(("train", "valid", "test"), sizes):
        _positive_int(f"sizes[{part}]", size)
    if sum(sizes) > n_series:
        raise ValueError(
            f"sizes={tuple(sizes)} add up to {sum(sizes)} series but only {n_series} were given."
        )
    target = check_choice("target", target, ("next", "ahead", "seq2seq"))
    horizon = n_steps - n_inputs
    X = series[:, :n_inputs]
    if target == "next":
        y = series[:, n_inputs, :]
    elif target == "ahead":
        y = series[:, n_inputs:, 0]
    elif target == "seq2seq":
        y = np.stack([series[:, 1 + k : 1 + k + n_inputs, 0] for k in range(horizon)], axis=-1)
    else:
        raise ValueError(f"target={target!r} is not one of 'next', 'ahead', 'seq2seq'.")
    bounds = np.cumsum((0, *sizes))
    parts = [Split(X[a:b], y[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    return Splits(*parts)


def two_sine_dataset(
    n_inputs: int = 50,
    horizon: int = 1,
    target: str = "next",
    n_series: int = 10_000,
    sizes: tuple[int, int, int] = (7000, 2000, 1000),
    seed: int = 42,
) -> Splits:
    """The lab's dataset in one call: seeded two-sine series, cut and split.

    Equivalent to ``np.random.seed(seed)``, ``generate_two_sine_series(n_series, n_inputs +
    horizon)`` and ``split_series(series, n_inputs, sizes, target)``, without touching NumPy's
    global generator. Notebook 01 shows those steps; later notebooks call this.
    """
    horizon = _positive_int("horizon", horizon)
    n_inputs = _positive_int("n_inputs", n_inputs)
    target = check_choice("target", target, ("next", "ahead", "seq2seq"))
    series = generate_two_sine_series(n_series, n_inputs + horizon, seed=seed)
    return split_series(series, n_inputs, sizes=sizes, target=target)


def least_squares_linear_mse(train: Split, valid: Split, window: int | None = None) -> float:
    """Validation MSE of the best linear forecast, its weights and bias fitted exactly.

    The linear model (Flatten + Dense on the last ``window`` inputs) is linear regression, so
    least squares gives its optimum on the training part directly; notebook 01 derives it, later
    notebooks use it as a reference for what gradient descent on a linear model can reach.

    Args:
        train, valid: :class:`Split` parts with ``X`` of shape ``(n, n_inputs, 1)`` and ``y`` of
            shape ``(n, outputs)``.
        window: use only the last ``window`` inputs (default: all).
    """
    parts = {}
    for name, part in (("train", train), ("valid", valid)):
        if not (hasattr(part, "X") and hasattr(part, "y")):
            raise ValueError(f"{name}={part!r} must be a Split with X and y (as split_series returns).")
        X = check_array(f"{name}.X", part.X, kind="number", finite=True)
        y = check_array(f"{name}.y", part.y, kind="number", finite=True)
        if X.ndim != 3 or X.shape[-1] != 1 or y.ndim != 2 or len(X) != len(y) or len(X) == 0:
            raise ValueError(
                f"{name} must hold X of shape (n, n_inputs, 1) and y of shape (n, outputs) with n >= 1; "
                f"got X {np.shape(part.X)} and y {np.shape(part.y)}."
            )
        parts[name] = Split(X, y)
    train, valid = parts["train"], parts["valid"]
    if valid.X.shape[1:] != train.X.shape[1:] or valid.y.shape[1:] != train.y.shape[1:]:
        raise ValueError(
            f"valid has X {valid.X.shape} and y {valid.y.shape} but train has X {train.X.shape} and y "
            f"{train.y.shape}; they must agree on every axis but the first (else the forecast would "
            "broadcast against targets of another width and give a wrong MSE)."
        )
    n_inputs = train.X.shape[1]
    window = n_inputs if window is None else _positive_int("window", window)
    if window > n_inputs:
        raise ValueError(f"window={window} is longer than the {n_inputs} inputs.")

    def with_bias_column(X: np.ndarray) -> np.ndarray:
        return np.hstack([X[:, -window:, 0], np.ones((len(X), 1))]).astype(np.float64)

    weights, *_ = np.linalg.lstsq(with_bias_column(train.X), train.y, rcond=None)
    return float(np.mean((with_bias_column(valid.X) @ weights - valid.y) ** 2))


def generate_noisy_sine(
    n_points: int = 1000,
    noise_std: float = NOISY_SINE_NOISE_STD,
    seed: np.random.RandomState | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The d2l lecture's series: ``x_t = sin(0.01 t) + eps_t`` with ``eps_t ~ N(0, noise_std^2)``.

    Args:
        n_points: number of points ``T`` (time runs 1..T).
        noise_std: standard deviation of the Gaussian noise (0.2 in the lecture).
        seed: as in :func:`generate_two_sine_series`.

    Returns:
        ``(time, x)``, two float32 arrays of shape ``(n_points,)``.
    """
    n_points = _positive_int("n_points", n_points)
    noise_std = check_number("noise_std", noise_std, minimum=0)
    rng = _random_state(seed)
    time = np.arange(1, n_points + 1, dtype=np.float32)
    x = np.sin(0.01 * time) + rng.normal(0.0, noise_std, size=n_points)
    return time, x.astype(np.float32)


def noisy_sine_noise_floor(noise_std: float = NOISY_SINE_NOISE_STD) -> float:
    """Variance of the Gaussian noise of :func:`generate_noisy_sine`: ``noise_std^2``."""
    return check_number("noise_std", noise_std, minimum=0) ** 2


def lagged_features(x: np.ndarray, tau: int) -> tuple[np.ndarray, np.ndarray]:
    """Autoregressive training pairs from one series: ``(x_{t-tau}..x_{t-1}) -> x_t``.

    Returns:
        ``features`` of shape ``(T - tau, tau)`` (row ``i`` holds ``x[i : i + tau]``) and
        ``labels`` of shape ``(T - tau, 1)`` (``x[i + tau]``).
    """
    x = check_array("x", x, kind="number")
    if x.ndim != 1:
        raise ValueError(f"x has shape {x.shape}; pass a single series as a 1-D array.")
    tau = _positive_int("tau", tau)
    if tau >= len(x):
        raise ValueError(f"tau={tau} must be shorter than the series ({len(x)} points).")
    features = np.stack([x[i : len(x) - tau + i] for i in range(tau)], axis=1)
    labels = x[tau:].reshape(-1, 1)
    return features, labels


def k_step_ahead(predict, x: np.ndarray, tau: int, max_steps: int) -> np.ndarray:
    """Feed a one-step model its own predictions to look up to ``max_steps`` ahead.

    Column ``j < tau`` of the result holds observations; column ``tau + k - 1`` holds the
    ``k``-step-ahead predictions, made from ``tau`` observed values followed by ``k - 1``
    of the model's own predictions. Row ``i`` starts at observation ``x[i]``, so the
    ``k``-step prediction in row ``i`` is for time index ``i + tau + k - 1``.

    Args:
        predict: a function mapping an array ``(n, tau)`` to predictions ``(n,)`` or ``(n, 1)``.
        x: the observed series, 1-D.
        tau: number of lagged inputs the model takes.
        max_steps: the furthest horizon.

    Returns:
        array of shape ``(len(x) - tau - max_steps + 1, tau + max_steps)``.
    """
    predict = check_callable("predict", predict, "a function mapping an array (n, tau) to n predictions")
    x = check_array("x", x, kind="number").astype(np.float32)
    if x.ndim != 1:
        raise ValueError(f"x has shape {x.shape}; pass a single series as a 1-D array.")
    tau = _positive_int("tau", tau)
    max_steps = _positive_int("max_steps", max_steps)
    n_rows = len(x) - tau - max_steps + 1
    if n_rows <= 0:
        raise ValueError(
            f"tau + max_steps = {tau + max_steps} is longer than the series ({len(x)} points); "
            "use fewer steps or a longer series."
        )
    features = np.zeros((n_rows, tau + max_steps), dtype=np.float32)
    for i in range(tau):
        features[:, i] = x[i : i + n_rows]
    for i in range(tau, tau + max_steps):
        predictions = np.asarray(predict(features[:, i - tau : i]))
        if predictions.size != n_rows:
            raise ValueError(
                f"predict returned an array of shape {predictions.shape} for {n_rows} rows; it must return "
                f"one prediction per row, shape ({n_rows},) or ({n_rows}, 1)."
            )
        features[:, i] = predictions.reshape(-1)
    return features


def long_lag_task(
    n_sequences: int,
    length: int = 100,
    noise: float = 3.0,
    seed: np.random.RandomState | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A memory task: name the sign given at the first step after ``length - 1`` steps of noise.

    Each sequence has two input channels. At step 0, channel 0 holds the answer as ``+1`` or
    ``-1`` and channel 1 holds a marker ``1`` (the only step where it is not 0). At every later
    step channel 0 holds noise drawn uniformly from ``[-noise, noise]``, so the answer is only
    recoverable by carrying it through all the steps. The label is 1 for ``+1`` and 0 for ``-1``,
    balanced in expectation; chance accuracy is 0.5.

    Args:
        n_sequences: how many sequences.
        length: time steps per sequence (at least 2); the lag between answer and read-out is
            ``length - 1``.
        noise: half-width of the uniform noise (>= 0); larger noise makes the answer harder to
            keep in a plain RNN's state, which the noise keeps overwriting.
        seed: an int, a ``np.random.RandomState``, or ``None`` for NumPy's global generator.

    Returns:
        ``(X, y)``: float32 inputs of shape ``(n_sequences, length, 2)`` and int32 labels of
        shape ``(n_sequences,)``.
    """
    n_sequences = _positive_int("n_sequences", n_sequences)
    length = _positive_int("length", length)
    if length < 2:
        raise ValueError(f"length={length} must be at least 2: one step for the answer, then the lag.")
    noise = check_number("noise", noise, minimum=0)
    rng = _random_state(seed)
    labels = rng.randint(0, 2, size=n_sequences).astype(np.int32)
    X = np.zeros((n_sequences, length, 2), dtype=np.float32)
    X[:, 0, 0] = 2.0 * labels - 1.0
    X[:, 0, 1] = 1.0
    X[:, 1:, 0] = rng.uniform(-noise, noise, size=(n_sequences, length - 1))
    return X, labels
