import numpy as np
import pytest

from utils import timeseries as ts


def test_two_sine_reproduces_the_lecture_naive_baseline():
    np.random.seed(42)  # noqa: NPY002 -- the lecture seeds the legacy global generator
    series = ts.generate_two_sine_series(10_000, 51)
    data = ts.split_series(series, 50)
    naive = np.mean((data.valid.X[:, -1] - data.valid.y) ** 2)
    assert series.shape == (10_000, 51, 1) and series.dtype == np.float32
    assert abs(naive - 0.020211) < 5e-7


def test_seed_argument_matches_the_global_generator():
    np.random.seed(42)  # noqa: NPY002 -- the lecture seeds the legacy global generator
    from_global = ts.generate_two_sine_series(50, 60)
    assert np.array_equal(from_global, ts.generate_two_sine_series(50, 60, seed=42))
    assert not np.array_equal(from_global, ts.generate_two_sine_series(50, 60, seed=43))


def test_two_sine_values_stay_in_range():
    series = ts.generate_two_sine_series(500, 51, seed=0)
    assert np.abs(series).max() <= 0.5 + 0.2 + 0.05


def test_noise_floors():
    assert ts.two_sine_noise_floor() == pytest.approx(0.01 / 12)
    assert round(ts.two_sine_noise_floor(), 6) == 0.000833
    assert ts.noisy_sine_noise_floor() == pytest.approx(0.04)


def test_split_targets_line_up_with_the_series():
    series = ts.generate_two_sine_series(30, 60, seed=1)
    nxt = ts.split_series(series, 50, sizes=(10, 10, 10), target="next")
    ahead = ts.split_series(series, 50, sizes=(10, 10, 10), target="ahead")
    s2s = ts.split_series(series, 50, sizes=(10, 10, 10), target="seq2seq")
    assert nxt.train.X.shape == (10, 50, 1) and nxt.train.y.shape == (10, 1)
    assert ahead.valid.y.shape == (10, 10) and s2s.test.y.shape == (10, 50, 10)
    np.testing.assert_array_equal(nxt.valid.y[:, 0], series[10:20, 50, 0])
    np.testing.assert_array_equal(ahead.test.y, series[20:30, 50:60, 0])
    # At time step t the seq2seq target holds the values t+1 .. t+10.
    np.testing.assert_array_equal(s2s.train.y[:, 7, :], series[:10, 8:18, 0])
    # The last step's seq2seq target is the ten-step-ahead target.
    np.testing.assert_array_equal(s2s.train.y[:, -1, :], ahead.train.y)


def test_two_sine_dataset_is_the_seeded_split():
    data = ts.two_sine_dataset(n_inputs=50, horizon=10, target="ahead")
    np.random.seed(42)  # noqa: NPY002 -- the lecture seeds the legacy global generator
    series = ts.generate_two_sine_series(10_000, 60)
    np.testing.assert_array_equal(data.valid.X, series[7000:9000, :50])
    assert data.train.y.shape == (7000, 10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_series": 0, "n_steps": 5}, "n_series=0"),
        ({"n_series": 5, "n_steps": -1}, "n_steps=-1"),
        ({"n_series": 5, "n_steps": 2.5}, "n_steps=2.5"),
        ({"n_series": 5, "n_steps": 5, "seed": -3}, "seed=-3"),
        ({"n_series": 5, "n_steps": 5, "seed": "a"}, "seed='a'"),
    ],
)
def test_generator_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ts.generate_two_sine_series(**kwargs)


def test_split_rejects_bad_arguments():
    series = ts.generate_two_sine_series(100, 51, seed=0)
    with pytest.raises(ValueError, match="n_inputs=51"):
        ts.split_series(series, 51)
    with pytest.raises(ValueError, match="add up to 120"):
        ts.split_series(series, 50, sizes=(100, 10, 10))
    with pytest.raises(ValueError, match="expected"):
        ts.split_series(series[:, :, 0], 50)
    with pytest.raises(ValueError, match="target='later'"):
        ts.split_series(series, 50, sizes=(10, 10, 10), target="later")
    with pytest.raises(ValueError, match="sizes"):
        ts.split_series(series, 50, sizes=(10, 0, 10))


def test_noisy_sine_and_lagged_features():
    time, x = ts.generate_noisy_sine(1000, seed=0)
    assert time[0] == 1 and time[-1] == 1000 and x.shape == (1000,)
    residual = x - np.sin(0.01 * time)
    assert abs(residual.std() - 0.2) < 0.02
    features, labels = ts.lagged_features(x, 4)
    assert features.shape == (996, 4) and labels.shape == (996, 1)
    np.testing.assert_array_equal(features[10], x[10:14])
    assert labels[10, 0] == x[14]


def test_noisy_sine_and_lagged_features_reject_bad_arguments():
    with pytest.raises(ValueError, match="noise_std"):
        ts.generate_noisy_sine(100, noise_std=-1)
    with pytest.raises(ValueError, match="tau=100"):
        ts.lagged_features(np.zeros(100), 100)
    with pytest.raises(ValueError, match="1-D"):
        ts.lagged_features(np.zeros((10, 2)), 2)


def test_k_step_ahead_feeds_predictions_back():
    x = np.arange(20, dtype=np.float32)

    def predict_mean_plus_one(windows):
        return windows.mean(axis=1) + 1

    ahead = ts.k_step_ahead(predict_mean_plus_one, x, tau=2, max_steps=3)
    assert ahead.shape == (20 - 2 - 3 + 1, 5)
    np.testing.assert_array_equal(ahead[:, :2], np.stack([x[:16], x[1:17]], axis=1))
    # Row 0: inputs 0, 1 -> 1.5 -> (1 + 1.5)/2 + 1 = 2.25 -> (1.5 + 2.25)/2 + 1 = 2.875
    np.testing.assert_allclose(ahead[0, 2:], [1.5, 2.25, 2.875])
    with pytest.raises(ValueError, match="longer than the series"):
        ts.k_step_ahead(predict_mean_plus_one, x, tau=10, max_steps=11)


def test_least_squares_linear_mse_recovers_a_linear_rule():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6, 1))
    y = 2 * X[:, -1] - X[:, -2] + 0.5  # an exact linear rule of the last two inputs
    train, valid = ts.Split(X[:300], y[:300]), ts.Split(X[300:], y[300:])
    assert ts.least_squares_linear_mse(train, valid) < 1e-20
    assert ts.least_squares_linear_mse(train, valid, window=2) < 1e-20
    assert ts.least_squares_linear_mse(train, valid, window=1) > 0.1  # misses x[-2]
    with pytest.raises(ValueError, match="window=7"):
        ts.least_squares_linear_mse(train, valid, window=7)
    with pytest.raises(ValueError, match="train must hold"):
        ts.least_squares_linear_mse(ts.Split(X[:, :, 0], y), valid)


def test_long_lag_task_hides_the_answer_at_the_first_step_only():
    X, y = ts.long_lag_task(500, length=30, noise=2.0, seed=3)
    assert X.shape == (500, 30, 2) and X.dtype == np.float32
    assert y.shape == (500,) and set(np.unique(y)) == {0, 1}
    assert np.array_equal(X[:, 0, 0], 2.0 * y - 1.0), "step 0 carries the answer as +1 / -1"
    assert np.all(X[:, 0, 1] == 1) and np.all(X[:, 1:, 1] == 0), "the marker is on step 0 only"
    assert np.abs(X[:, 1:, 0]).max() <= 2.0 and X[:, 1:, 0].std() > 0.5
    # After step 0 the inputs carry no information about the label.
    later_mean_by_label = [X[y == label, 1:, 0].mean() for label in (0, 1)]
    assert abs(later_mean_by_label[0] - later_mean_by_label[1]) < 0.05
    assert 0.4 < y.mean() < 0.6


def test_long_lag_task_is_reproducible_from_its_seed():
    first, second = ts.long_lag_task(10, seed=7), ts.long_lag_task(10, seed=7)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])
    assert not np.array_equal(first[0], ts.long_lag_task(10, seed=8)[0])


@pytest.mark.parametrize(
    "kwargs, name",
    [({"n_sequences": 0}, "n_sequences"), ({"length": 1}, "length"), ({"noise": -1.0}, "noise"),
     ({"noise": float("nan")}, "noise"), ({"seed": -3}, "seed")],
)
def test_long_lag_task_rejects_bad_arguments(kwargs, name):
    arguments = {"n_sequences": 5, **kwargs}
    with pytest.raises(ValueError, match=name):
        ts.long_lag_task(**arguments)
