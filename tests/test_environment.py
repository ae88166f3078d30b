"""The setup cell's environment handling: the oneDNN guard for TensorFlow releases older than 2.21."""

import sys

import pytest

from utils import environment


@pytest.fixture
def fresh(monkeypatch):
    """As before the first TensorFlow import, with no oneDNN setting of the user's."""
    monkeypatch.delenv(environment.ONEDNN_ENV, raising=False)
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    return monkeypatch


@pytest.mark.parametrize("version, turned_off", [((2, 16), True), ((2, 20), True), ((2, 21), False),
                                                 ((2, 22), False), ((3, 0), False), (None, False)])
def test_onednn_is_turned_off_only_for_old_tensorflow(fresh, version, turned_off):
    fresh.setattr(environment, "installed_tensorflow", lambda: version)
    assert environment.avoid_onednn_crash() is turned_off
    assert (environment.os.environ.get(environment.ONEDNN_ENV) == "0") is turned_off


def test_a_users_onednn_setting_and_an_imported_tensorflow_are_left_alone(fresh):
    fresh.setattr(environment, "installed_tensorflow", lambda: (2, 18))
    fresh.setenv(environment.ONEDNN_ENV, "1")
    assert environment.avoid_onednn_crash() is False
    assert environment.os.environ[environment.ONEDNN_ENV] == "1"
    fresh.delenv(environment.ONEDNN_ENV)
    fresh.setitem(sys.modules, "tensorflow", object())  # too late: the variable is read at import
    assert environment.avoid_onednn_crash() is False
    assert environment.ONEDNN_ENV not in environment.os.environ


def test_the_installed_tensorflow_is_read_without_importing_it():
    version = environment.installed_tensorflow()
    assert version is not None and version >= (2, 16)
