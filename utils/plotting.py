"""Figures shared by the notebooks, in one consistent style.

Every function draws on a Matplotlib ``Axes`` (a new one when ``ax`` is None) and returns it,
so a notebook can combine them in subplots or add its own marks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from utils.checks import check_array, check_bool, check_int, check_number, check_str, fail

COLORS = {
    "series": "#1f77b4",
    "target": "#d62728",
    "prediction": "#2ca02c",
    "train": "#1f77b4",
    "valid": "#d62728",
    "floor": "#7f7f7f",
    "baseline": "#ff7f0e",
}


def use_course_style() -> None:
    """Apply the course's Matplotlib defaults (size, grid, fonts)."""
    mpl.rcParams.update(
        {
            "figure.figsize": (8, 4),
            "figure.dpi": 90,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 11,
            "legend.frameon": False,
        }
    )


def _axes(ax: plt.Axes | None) -> plt.Axes:
    if ax is not None and not isinstance(ax, mpl.axes.Axes):
        raise fail("ax", ax, "a Matplotlib Axes or None (a new figure)")
    return ax if ax is not None else plt.figure().gca()


def _values(name: str, value: object) -> np.ndarray:
    """A flat float array of finite numbers (a scalar gives one value)."""
    return check_array(name, value, kind="number", finite=True, nonempty=True).astype(float).reshape(-1)


def _check_limits(y_limits: object) -> tuple[float, float]:
    if not isinstance(y_limits, (tuple, list)) or len(y_limits) != 2:
        raise fail("y_limits", y_limits, "a pair (bottom, top) of numbers with bottom < top")
    bottom = check_number("y_limits[0]", y_limits[0])
    top = check_number("y_limits[1]", y_limits[1])
    if not bottom < top:
        raise fail("y_limits", y_limits, "a pair (bottom, top) of numbers with bottom < top")
    return bottom, top


def _check_mapping(name: str, value: object, expected: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise fail(name, value, expected)
    return value


def plot_series(
    series: np.ndarray,
    target: np.ndarray | float | None = None,
    prediction: np.ndarray | float | None = None,
    ax: plt.Axes | None = None,
    title: str | None = None,
    y_limits: tuple[float, float] = (-1.0, 1.0),
) -> plt.Axes:
    """Draw one input series, with the true future (crosses) and a forecast (circles).

    Args:
        series: the inputs, shape ``(n_steps,)`` or ``(n_steps, 1)``.
        target: the true value(s) after the series: a scalar (one step) or ``(horizon,)``.
        prediction: the forecast for the same steps as ``target``.
        ax: where to draw (a new figure when None).
        title: the axes title.
        y_limits: the vertical range (the two-sine series stays within [-1, 1]).
    """
    series = _values("series", series)
    target = None if target is None else _values("target", target)
    prediction = None if prediction is None else _values("prediction", prediction)
    if target is not None and prediction is not None and len(target) != len(prediction):
        raise fail("prediction", prediction, f"{len(target)} values, one per target step")
    y_limits = _check_limits(y_limits)
    title = check_str("title", title, allow_none=True)
    ax = _axes(ax)
    n_steps = len(series)
    ax.plot(np.arange(n_steps), series, ".-", color=COLORS["series"], label="input")
    for values, marker, color, label in (
        (target, "x", COLORS["target"], "target"),
        (prediction, "o", COLORS["prediction"], "prediction"),
    ):
        if values is None:
            continue
        values = np.asarray(values, dtype=float).reshape(-1)
        steps = np.arange(n_steps, n_steps + len(values))
        ax.plot(steps, values, marker, color=color, markersize=8, label=label, linestyle="-" if len(values) > 1 else "")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlim(0, n_steps + (len(np.atleast_1d(target)) if target is not None else 1))
    ax.set_ylim(*y_limits)
    ax.set_xlabel("$t$")
    ax.set_ylabel("$x(t)$")
    if title:
        ax.set_title(title)
    return ax


def plot_learning_curves(
    history: Mapping[str, Sequence[float]] | object,
    *,
    metric: str,
    noise_floor: float | None = None,
    ax: plt.Axes | None = None,
    title: str | None = None,
    log_scale: bool = True,
) -> plt.Axes:
    """Training and validation loss per epoch, with the noise floor when given.

    Args:
        history: a Keras ``History`` or its ``.history`` dict (keys ``loss``, ``val_loss``).
        metric: what the loss measures, for the y-axis: "MSE", "cross-entropy (nats per character)".
        noise_floor: the lowest reachable loss, drawn as a dashed line.
    """
    metric = check_str("metric", metric, nonempty=True)
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or "loss" not in curves:
        raise ValueError(
            "history must be a keras History or a dict with a 'loss' list "
            f"(got {type(history).__name__})."
        )
    log_scale = check_bool("log_scale", log_scale)
    noise_floor = check_number("noise_floor", noise_floor, minimum=0, min_open=log_scale, allow_none=True)
    title = check_str("title", title, allow_none=True)
    loss = check_array("history['loss']", curves["loss"], ndim=1, kind="number", nonempty=True)
    if "val_loss" in curves:
        check_array("history['val_loss']", curves["val_loss"], ndim=1, kind="number")
    ax = _axes(ax)
    # Training loss is averaged over an epoch, so it belongs half an epoch earlier.
    ax.plot(np.arange(len(loss)) + 0.5, loss, ".-", color=COLORS["train"], label="training loss")
    if "val_loss" in curves:
        val = np.asarray(curves["val_loss"])
        ax.plot(np.arange(len(val)) + 1, val, ".-", color=COLORS["valid"], label="validation loss")
    if noise_floor is not None:
        ax.axhline(noise_floor, linestyle="--", color=COLORS["floor"], label=f"noise floor {noise_floor:.6f}")
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_k_step_predictions(
    time: np.ndarray,
    x: np.ndarray,
    predictions: Mapping[int, np.ndarray],
    tau: int,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """The observed series and the ``k``-step-ahead predictions for several ``k``.

    ``predictions[k][i]`` is the ``k``-step-ahead prediction for time index ``i + tau + k - 1``
    (as :func:`utils.timeseries.k_step_ahead` lays them out).
    """
    time = check_array("time", time, ndim=1, kind="number", nonempty=True)
    x = check_array("x", x, ndim=1, kind="number")
    if len(x) != len(time):
        raise fail("x", x, f"one value per time step ({len(time)})")
    tau = check_int("tau", tau, minimum=1)
    predictions = _check_mapping("predictions", predictions, "a dict {k: k-step-ahead predictions}")
    for k, values in predictions.items():
        k = check_int("predictions key", k, minimum=1)
        values = check_array(f"predictions[{k}]", values, kind="number")
        if tau + k - 1 + len(values) > len(time):
            raise fail(
                f"predictions[{k}]", values, f"at most {len(time) - tau - k + 1} values",
                f"{k}-step predictions start at index tau + k - 1 = {tau + k - 1} of {len(time)} time steps",
            )
    ax = _axes(ax)
    ax.plot(time, x, color="#bbbbbb", linewidth=1, label="data")
    for k, values in sorted(predictions.items()):
        start = tau + k - 1
        ax.plot(time[start : start + len(values)], values, linewidth=1.4, label=f"{k}-step")
    ax.set_xlabel("time")
    ax.set_ylabel("x")
    ax.set_xlim(time[0], time[-1])
    ax.legend(ncol=len(predictions) + 1, loc="upper right")
    return ax


def plot_multi_step_forecasts(
    inputs: np.ndarray,
    targets: np.ndarray,
    forecasts: Mapping[str, np.ndarray],
    ax: plt.Axes | None = None,
    title: str | None = None,
) -> plt.Axes:
    """One series with its true continuation and several models' multi-step forecasts."""
    inputs = _values("inputs", inputs)
    targets = _values("targets", targets)
    forecasts = _check_mapping("forecasts", forecasts, "a dict {model name: forecast}")
    for name, forecast in forecasts.items():
        if _values(f"forecasts[{name!r}]", forecast).size != len(targets):
            raise fail(f"forecasts[{name!r}]", forecast, f"{len(targets)} values, one per target step")
    title = check_str("title", title, allow_none=True)
    ax = _axes(ax)
    n = len(inputs)
    steps = np.arange(n, n + len(targets))
    ax.plot(np.arange(n), inputs, ".-", color=COLORS["series"], label="input")
    ax.plot(steps, targets, "x-", color=COLORS["target"], markersize=8, label="actual")
    for name, forecast in forecasts.items():
        ax.plot(steps, np.asarray(forecast).reshape(-1), "o--", markersize=4, label=name)
    ax.axvline(n - 0.5, color="black", linewidth=0.6)
    ax.set_xlabel("$t$")
    ax.set_ylabel("$x(t)$")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=9)
    return ax


def plot_model_comparison(
    scores: Mapping[str, float],
    noise_floor: float | None = None,
    ax: plt.Axes | None = None,
    metric: str = "validation MSE",
    title: str | None = None,
) -> plt.Axes:
    """Horizontal bars of each model's score on a log axis, with the noise floor line."""
    scores = _check_mapping("scores", scores, "a dict of model name -> metric value")
    if not scores:
        raise ValueError("scores is empty: pass a dict of model name -> metric value.")
    noise_floor = check_number("noise_floor", noise_floor, minimum=0, min_open=True, allow_none=True)
    metric = check_str("metric", metric)
    title = check_str("title", title, allow_none=True)
    names = list(scores)
    values = np.array([check_number(f"scores[{name!r}]", scores[name]) for name in names], dtype=float)
    if np.any(~np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"scores must be finite and positive for a log axis; got {dict(scores)}.")
    ax = _axes(ax)
    positions = np.arange(len(names))[::-1]
    ax.barh(positions, values, color=COLORS["series"], alpha=0.8)
    for pos, value in zip(positions, values):
        ax.text(value, pos, f" {value:.6f}", va="center", fontsize=9)
    ax.set_yticks(positions, names)
    ax.set_xscale("log")
    if noise_floor is not None:
        ax.axvline(noise_floor, linestyle="--", color=COLORS["floor"], label=f"noise floor {noise_floor:.6f}")
        ax.legend(loc="lower right")
    ax.set_xlim(min(values.min(), noise_floor or values.min()) / 2, values.max() * 4)
    ax.set_xlabel(metric)
    if title:
        ax.set_title(title)
    return ax
