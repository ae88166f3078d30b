"""The setup cell's environment handling: the oneDNN guard for TensorFlow releases older than 2.21."""

import re
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


class _FakeConfig:
    """Just enough of ``tf.config`` for :func:`environment.configure_devices`: a list of GPUs, no TensorFlow."""

    def __init__(self, gpus):
        self.gpus = [type("PhysicalDevice", (), {"name": f"/physical_device:GPU:{i}"})() for i in range(len(gpus))]
        self.models = dict(zip([g.name for g in self.gpus], gpus))
        self.growth, self.tf32, self.created = {}, True, False
        self.experimental = self

    def list_physical_devices(self, kind):
        assert kind == "GPU"
        return list(self.gpus)

    def set_memory_growth(self, device, enabled):
        assert not self.created, "memory growth must be set before the devices are created"
        self.growth[device.name] = enabled

    def enable_tensor_float_32_execution(self, enabled):
        self.tf32 = enabled

    def get_device_details(self, device):
        return {"device_name": self.models[device.name]}

    def list_logical_devices(self):
        self.created = True
        return []


@pytest.mark.parametrize("gpus, shown", [
    ([], "2 CPU cores"),
    (["NVIDIA T4"], "1 GPU (NVIDIA T4)"),
    (["NVIDIA A100-SXM4-40GB", "NVIDIA A100-SXM4-40GB"], "2 GPUs (2× NVIDIA A100-SXM4-40GB)"),
])
def test_the_setup_turns_memory_growth_on_and_tf32_off_and_names_the_device(monkeypatch, gpus, shown):
    monkeypatch.setattr(environment.os, "cpu_count", lambda: 2)
    config = _FakeConfig(gpus)
    fake_tf = type("FakeTF", (), {"config": config})
    assert environment.configure_devices(fake_tf) == shown
    assert config.growth == {gpu.name: True for gpu in config.gpus}, "every GPU grows its memory as needed"
    assert config.tf32 is False, "TF32 is off, so float32 products keep their precision on every device"
    assert config.created, "the devices are created inside the silenced window"


def test_the_real_setup_reports_tf32_off_and_this_machines_device():
    import tensorflow as tf

    facts = environment.setup_notebook()
    assert facts["tf32"] == "off" and not tf.config.experimental.tensor_float_32_execution_enabled(), \
        "the setup cell turns TF32 off"
    assert facts["device"] == environment.current_device(), "the setup cell names the device it computes on"


def test_describe_devices_rejects_a_name_that_is_not_a_list():
    with pytest.raises(ValueError, match="gpu_names='T4'"):
        environment.describe_devices("T4")


def test_the_makefile_grows_gpu_memory_for_every_process():
    """Tests and course runs import TensorFlow before any setup cell: the Makefile must set memory growth for them."""
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^export TF_FORCE_GPU_ALLOW_GROWTH\s*:?=\s*true\s*$", makefile, re.MULTILINE), \
        "the Makefile exports TF_FORCE_GPU_ALLOW_GROWTH=true to every recipe"
