"""Figures shared by the notebooks, in one consistent style.

Every function draws on a Matplotlib ``Axes`` (a new one when ``ax`` is None) and returns it,
so a notebook can combine them in subplots or add its own marks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

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
    return ax if ax is not None else plt.figure().gca()


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
    series = np.asarray(series).reshape(-1)
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
    noise_floor: float | None = None,
    ax: plt.Axes | None = None,
    title: str | None = None,
    log_scale: bool = True,
) -> plt.Axes:
    """Training and validation loss per epoch, with the noise floor when given.

    Args:
        history: a Keras ``History`` or its ``.history`` dict (keys ``loss``, ``val_loss``).
        noise_floor: the lowest reachable loss, drawn as a dashed line.
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or "loss" not in curves:
        raise ValueError(
            "history must be a keras History or a dict with a 'loss' list "
            f"(got {type(history).__name__})."
        )
    ax = _axes(ax)
    loss = np.asarray(curves["loss"])
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
    ax.set_ylabel("MSE")
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
    time = np.asarray(time)
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
    inputs = np.asarray(inputs).reshape(-1)
    targets = np.asarray(targets).reshape(-1)
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
    if not scores:
        raise ValueError("scores is empty: pass a dict of model name -> metric value.")
    names = list(scores)
    values = np.array([scores[name] for name in names], dtype=float)
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
