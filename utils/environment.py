"""What the setup cell of every notebook calls: quiet TensorFlow, fixed seeds, a versions line."""

from __future__ import annotations

import contextlib
import os
import platform
import sys

from utils.checks import LEGACY_SEED_LIMIT, check_seed

DEFAULT_SEED = 42
#: The environment variable that sets every notebook's seed (default :data:`DEFAULT_SEED`).
SEED_ENV = "COURSE_SEED"
#: Set to 1 to make TensorFlow's ops deterministic (``tf.config.experimental.enable_op_determinism``).
DETERMINISTIC_ENV = "COURSE_DETERMINISTIC"


def deterministic_ops() -> bool:
    """Whether ``$COURSE_DETERMINISTIC`` asks for deterministic TensorFlow ops ("1"/"0", unset: no)."""
    raw = os.environ.get(DETERMINISTIC_ENV, "").strip()
    if raw not in ("", "0", "1"):
        raise ValueError(f"{DETERMINISTIC_ENV}={raw!r} must be 1 (deterministic ops) or 0; unset it for the default.")
    return raw == "1"


def course_seed(seed: int | None = None) -> int:
    """The seed in force: ``seed`` if given, else ``$COURSE_SEED``, else :data:`DEFAULT_SEED` (42).

    Raises:
        ValueError: if the seed is not an integer in ``[0, 2**32 - 1]`` (NumPy's range).
    """
    name, raw = "seed", seed
    if seed is None:
        raw = os.environ.get(SEED_ENV, "").strip()
        if not raw:
            return DEFAULT_SEED
        name = SEED_ENV
        try:
            seed = int(raw)
        except ValueError:
            raise ValueError(f"{SEED_ENV}={raw!r} is not an integer; set it to a seed such as 0 or 42.") from None
    return check_seed(name, seed, limit=LEGACY_SEED_LIMIT, allow_none=False)


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ start-up noise (CUDA probing on CPU machines, CPU-feature notes).

    It must run before TensorFlow is first imported; afterwards it has no effect on the
    messages already printed. Python warnings are untouched, so a deprecation warning
    still shows.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # On a GPU, allocate memory as needed instead of mapping the whole card to the first process.
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")


#: The first TensorFlow release whose oneDNN CPU kernels ran the whole course. Before it, notebook 09's
#: attention decoder crashed the kernel (segmentation fault or "corrupted double-linked list") on an
#: AMD EPYC machine with AVX-512 under TensorFlow 2.16, 2.18, 2.19 and 2.20, and ran with the oneDNN
#: rewrites turned off (``TF_ENABLE_ONEDNN_OPTS=0``).
ONEDNN_SAFE_TENSORFLOW = (2, 21)
ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS"


def installed_tensorflow() -> tuple[int, int] | None:
    """(major, minor) of the installed TensorFlow distribution, read without importing it; None if absent."""
    from importlib import metadata

    for name in ("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tf-nightly"):
        try:
            raw = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        parts = raw.split(".")
        try:
            return int(parts[0]), int(parts[1])
        except (IndexError, ValueError):
            return None
    return None


def avoid_onednn_crash() -> bool:
    """Turn TensorFlow's oneDNN CPU rewrites off (``TF_ENABLE_ONEDNN_OPTS=0``) for releases older than
    :data:`ONEDNN_SAFE_TENSORFLOW`, before TensorFlow is imported; True when it did so.

    A value the user already set is left alone, and nothing changes once TensorFlow is imported.
    """
    if "tensorflow" in sys.modules or ONEDNN_ENV in os.environ:
        return False
    version = installed_tensorflow()
    if version is None or version >= ONEDNN_SAFE_TENSORFLOW:
        return False
    os.environ[ONEDNN_ENV] = "0"
    return True


@contextlib.contextmanager
def _native_stderr_silenced(enabled: bool = True):
    """Send file descriptor 2 to /dev/null for the duration (C++ logging writes there).

    TensorFlow 2.21 logs a few lines through absl while it is imported (no CUDA driver,
    oneDNN notes) and ``TF_CPP_MIN_LOG_LEVEL`` no longer silences all of them. Python
    exceptions are unaffected: they travel as exceptions, not through descriptor 2.
    """
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


def configure_devices(tf) -> str:
    """Set up TensorFlow's devices before their first use, and describe them.

    On a GPU: memory growth on for every GPU (TensorFlow otherwise maps nearly all of a card's
    memory to the first process, and the next one, a notebook kernel after the tests, say, then
    fails to create its cuDNN handles). Everywhere: TF32 off, so that float32 matrix products keep
    their 23-bit mantissa on Ampere and newer GPUs too, and the notebooks' "scratch code equals the
    library to 1e-5" checks mean the same on every device.

    Args:
        tf: the imported ``tensorflow`` module (a stand-in with the same ``config`` in the tests).

    Returns:
        the device the notebook computes on, as :func:`describe_devices` words it.
    """
    gpus = tf.config.list_physical_devices("GPU")
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # the devices exist already (TensorFlow ran before the setup cell): leave them
            pass
    tf.config.experimental.enable_tensor_float_32_execution(False)
    names = [tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name) for gpu in gpus]
    tf.config.list_logical_devices()  # creates the devices now, so that their start-up lines are silenced too
    return describe_devices(names)


def describe_devices(gpu_names: list[str], cpu_cores: int | None = None) -> str:
    """The device in words, as the setup cell prints it and the results record it.

    ``"2 CPU cores"`` without a GPU; ``"1 GPU (NVIDIA A100-SXM4-40GB)"`` with one (the model names,
    each once, with a count when several are alike).
    """
    if not isinstance(gpu_names, (list, tuple)) or not all(isinstance(n, str) for n in gpu_names):
        raise ValueError(f"gpu_names={gpu_names!r} must be a list of GPU model names (strings), [] for none.")
    if not gpu_names:
        cores = os.cpu_count() if cpu_cores is None else cpu_cores
        return f"{cores} CPU cores"
    models = sorted(set(gpu_names))
    shown = ", ".join(f"{gpu_names.count(m)}× {m}" if gpu_names.count(m) > 1 else m for m in models)
    return f"{len(gpu_names)} GPU{'s' if len(gpu_names) > 1 else ''} ({shown})"


def current_device() -> str:
    """The device this process computes on (TensorFlow must be importable); see :func:`describe_devices`."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return describe_devices([tf.config.experimental.get_device_details(g).get("device_name", g.name) for g in gpus])


def setup_notebook(seed: int | None = None) -> dict[str, str]:
    """Prepare a notebook: quiet TensorFlow, seed Python / NumPy / TensorFlow, print versions.

    Args:
        seed: the seed for :func:`keras.utils.set_random_seed` (Python, NumPy and the backend);
            ``None`` (the setup cell) takes ``$COURSE_SEED``, else 42.

    Returns:
        the facts printed (versions, device, profile), as a dict.
    """
    from utils.datasets import data_dir, data_mode
    from utils.profile import current_profile

    seed = course_seed(seed)  # every setting is checked before the slow TensorFlow import
    deterministic = deterministic_ops()
    profile, mode, folder = current_profile(), data_mode(), data_dir()
    already_imported = "tensorflow" in sys.modules
    quiet_tensorflow()
    onednn_off = avoid_onednn_crash()

    with _native_stderr_silenced(enabled=not already_imported):
        import keras
        import tensorflow as tf

        # Before TensorFlow creates its devices (and inside the silenced window, so that a GPU's
        # start-up lines stay out of the notebook): grow GPU memory as needed, TF32 off.
        device = configure_devices(tf)

    from utils.plotting import use_course_style

    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    use_course_style()
    facts = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "device": device,
        "tf32": "on" if tf.config.experimental.tensor_float_32_execution_enabled() else "off",
        "profile": profile,
        "data": mode,
        "seed": str(seed),
        "deterministic": str(deterministic),
    }
    print(
        f"Python {facts['python']} · TensorFlow {facts['tensorflow']} · "
        f"Keras {facts['keras']} ({facts['backend']} backend) · {facts['device']} · TF32 {facts['tf32']}"
    )
    if folder is not None:
        facts["data"] += f" (files from {folder.name}/ first)"
    print(f"profile: {facts['profile']} · data: {facts['data']} · seed: {seed}"
          + (" · deterministic ops" if deterministic else ""))
    if onednn_off:
        safe = ".".join(map(str, ONEDNN_SAFE_TENSORFLOW))
        print(f"note: TensorFlow {tf.__version__} is older than {safe}: its oneDNN CPU optimizations are off "
              f"({ONEDNN_ENV}=0), since they crash notebook 09 on some CPUs.")
    if already_imported:
        print("note: TensorFlow was imported before the setup cell; its start-up messages were not silenced.")
    return facts
