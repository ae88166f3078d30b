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

    from utils.plotting import use_course_style

    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    use_course_style()
    gpus = tf.config.list_physical_devices("GPU")
    device = f"GPU ({len(gpus)}: {', '.join(g.name for g in gpus)})" if gpus else "CPU only"
    facts = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "device": device,
        "profile": profile,
        "data": mode,
        "seed": str(seed),
        "deterministic": str(deterministic),
    }
    print(
        f"Python {facts['python']} · TensorFlow {facts['tensorflow']} · "
        f"Keras {facts['keras']} ({facts['backend']} backend) · {facts['device']}"
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
