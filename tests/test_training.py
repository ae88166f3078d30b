"""utils.training.input_gradient_by_lag: the sensitivity of a model's output to each past input."""

from __future__ import annotations

import numpy as np
import pytest

from utils import training


def _linear_model(weights):
    import keras

    steps = len(weights)
    model = keras.Sequential([keras.Input(shape=(steps, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(1, use_bias=False)])
    model.layers[-1].set_weights([np.asarray(weights, dtype=np.float32)[:, None]])
    return model


def test_gradient_by_lag_of_a_linear_model_is_its_weights_read_backwards():
    model = _linear_model([1.0, -2.0, 3.0, 4.0, 5.0])
    inputs = np.random.default_rng(0).normal(size=(8, 5, 1)).astype(np.float32)
    np.testing.assert_allclose(training.input_gradient_by_lag(model, inputs), [5, 4, 3, 2, 1], rtol=1e-6)


@pytest.mark.parametrize("inputs", [np.zeros((4, 5)), np.zeros((0, 5, 1)), "abc", [[["a"]]]])
def test_gradient_by_lag_refuses_inputs_of_the_wrong_shape_or_kind(inputs):
    with pytest.raises(ValueError, match="inputs"):
        training.input_gradient_by_lag(_linear_model([1.0] * 5), inputs)


def test_gradient_by_lag_needs_a_callable_model():
    with pytest.raises(ValueError, match="model"):
        training.input_gradient_by_lag(None, np.zeros((2, 5, 1)))
