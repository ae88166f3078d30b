"""The course's text datasets: real downloads when possible, generated stand-ins otherwise.

Each loader returns the real dataset or its offline stand-in (:mod:`utils.standins`) in the same
format, and says which through a ``source`` attribute (``"real"`` or ``"offline"``):

* :func:`load_time_machine`: H. G. Wells' *The Time Machine* as raw text (d2l's copy);
* :func:`load_shakespeare`: Tiny Shakespeare as raw text (the char-rnn copy); both loaders return
  a :class:`TextCorpus` (the text, its source and, for a stand-in, its exact entropy rate);
* :func:`load_imdb` and :func:`load_imdb_word_index`: the IMDB reviews exactly as
  ``keras.datasets.imdb`` gives them (same shuffling, ``num_words``, ``skip_top``, ``maxlen``,
  ``start_char``, ``oov_char``, ``index_from``), and :func:`decode_review` to read one;
* :func:`load_translation_pairs`: English-French pairs from the Tatoeba/Anki ``fra.txt``.

**Which data.** The environment variable ``COURSE_DATA`` (or a loader's ``mode`` argument)
chooses:

* ``auto`` (default): the real dataset if it is in the cache or can be downloaded within
  :data:`DOWNLOAD_TIMEOUT` seconds; otherwise the stand-in, announced in one printed line such
  as ``time_machine: the real dataset could not be fetched (no connection: ...); using the
  offline stand-in.`` Once a dataset has fallen back in a session, it keeps using its stand-in
  for the rest of the session (no second wait, and no mixing of real and stand-in files).
* ``real``: the real dataset or a :class:`DataUnavailableError` (a ``ValueError``) naming the URL.
* ``offline``: the stand-ins only. The network and the real-data cache are never touched, so
  the tests and CI give the same results on every machine. Stand-ins that are worth keeping
  (the IMDB files) are generated once into ``<cache>/course-standins``.

**A folder of pre-downloaded files.** ``COURSE_DATA_DIR=/some/folder`` names a folder that
holds real dataset files under their pinned names (:data:`REMOTE_FILES`), for classrooms and
machines without a network. Every loader takes a file from that folder first, before the cache
and the network; the file is hash-checked and read in place (the folder may be read-only), and a
file whose hash is wrong is a :class:`DataFileError` naming it. A file the folder lacks is looked
for in the cache and then downloaded, as without the setting.

**Cache and integrity.** Downloads go to the Keras cache, ``$KERAS_HOME/datasets`` or
``~/.keras/datasets`` (the directory and file names ``keras.utils.get_file`` uses, so a file
fetched by ``keras.datasets.imdb`` is reused here and the other way round). Every file has a
pinned URL and a pinned hash from its publisher (:data:`REMOTE_FILES`). :func:`download_file`
fetches through ``keras.utils.get_file(..., file_hash=...)``, which checks the hash, and adds the
deadline ``get_file`` lacks: no notebook waits longer than :data:`DOWNLOAD_TIMEOUT` seconds for a
first answer or :data:`DOWNLOAD_DEADLINE` for a whole file. A file already there (in the cache, or
in the ``COURSE_DATA_DIR`` folder, read in place) is hash-checked by :func:`local_file` itself, since
``get_file`` would import Keras and TensorFlow to look at it and cannot read a file in place; a
corrupt or truncated cached file is deleted and fetched again.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import pickle
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from utils.checks import (
    LEGACY_SEED_LIMIT,
    check_array,
    check_choice,
    check_dir,
    check_file,
    check_int,
    check_number,
    check_seed,
    check_str,
    fail,
)
from utils.corpus import TextCorpus  # re-exported: notebooks import it from here
from utils.standins import (
    make_english_like_corpus,
    make_parallel_text,
    read_imdb_standin_info,
    write_imdb_standin,
    write_imdb_standin_word_index,
)

__all__ = [
    "DATA_DIR_ENV",
    "DATA_MODES",
    "DOWNLOAD_TIMEOUT",
    "ENV_VAR",
    "REMOTE_FILES",
    "DataFileError",
    "DataUnavailableError",
    "ImdbData",
    "RemoteFile",
    "TextCorpus",
    "TranslationPairs",
    "WordIndex",
    "cache_dir",
    "data_dir",
    "data_mode",
    "decode_review",
    "download_file",
    "file_digest",
    "load_imdb",
    "load_imdb_word_index",
    "load_shakespeare",
    "load_time_machine",
    "load_translation_pairs",
    "local_file",
    "parse_translation_pairs",
    "prepare_imdb",
    "read_imdb_npz",
    "standin_dir",
]

ENV_VAR = "COURSE_DATA"
#: The environment variable naming a folder of pre-downloaded dataset files.
DATA_DIR_ENV = "COURSE_DATA_DIR"
DATA_MODES = ("auto", "real", "offline")
#: Seconds a download may wait to connect (name lookup included) and for each block of data.
DOWNLOAD_TIMEOUT = 10.0
#: Seconds a whole download may take, however steadily the data trickles in.
DOWNLOAD_DEADLINE = 300.0

#: Sizes and seeds of the stand-ins the loaders return offline.
TIME_MACHINE_STANDIN_CHARS = 200_000  # the real book has about 179,000 characters
TIME_MACHINE_STANDIN_SEED = 0
SHAKESPEARE_STANDIN_CHARS = 1_115_394  # as many as Tiny Shakespeare (notebook 08 splits at 1,000,000 and 1,060,000)
SHAKESPEARE_STANDIN_SEED = 1
IMDB_STANDIN_REVIEWS = 25_000  # per split, as the real dataset
IMDB_STANDIN_LABEL_NOISE = 0.05
IMDB_STANDIN_SEED = 0
TRANSLATION_STANDIN_PAIRS = 50_000
TRANSLATION_STANDIN_SEED = 0


class DataUnavailableError(ValueError):
    """The real dataset could not be had (``COURSE_DATA=real``): no network, a bad download, ...

    Attributes:
        dataset: the dataset's name.
        url: the address it was fetched from.
        reason: a short description of what went wrong.
    """

    def __init__(self, dataset: str, url: str, reason: str, target: Path | None = None):
        self.dataset = dataset
        self.url = url
        self.reason = reason
        hint = f", or put the file at {target} by hand" if target is not None else ""
        super().__init__(
            f"{dataset}: the real dataset could not be fetched from {url} ({reason}). "
            f"Check the network{hint}, or set {ENV_VAR}=auto (fall back to the offline stand-in) "
            f"or {ENV_VAR}=offline (use the stand-in directly)."
        )


class DataFileError(ValueError):
    """A dataset file in the ``COURSE_DATA_DIR`` folder is not the pinned file (wrong hash)."""


@dataclass(frozen=True)
class RemoteFile:
    """A file of a real dataset: where it comes from and how to recognise it.

    Attributes:
        fname: its name in the cache directory (the name Keras uses, where Keras has one).
        url: the pinned download address.
        file_hash: the pinned hex digest.
        hash_algorithm: ``"sha1"``, ``"sha256"`` or ``"md5"``.
        hash_source: where the hash is published.
    """

    fname: str
    url: str
    file_hash: str
    hash_algorithm: str
    hash_source: str


#: The real datasets' files, by dataset name.
REMOTE_FILES: dict[str, tuple[RemoteFile, ...]] = {
    "time_machine": (
        RemoteFile(
            "timemachine.txt",
            "https://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt",
            "090b5e7e70c295757f55df93cb0a180b9691891a",
            "sha1",
            "d2l-ai/d2l-en: DATA_HUB['time_machine'] / the TimeMachine data module",
        ),
    ),
    "shakespeare": (
        RemoteFile(
            "tiny_shakespeare.txt",
            "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
            "sha256",
            "tensorflow/datasets: url_checksums/tiny_shakespeare.txt (1,115,394 bytes)",
        ),
    ),
    "imdb": (
        RemoteFile(
            "imdb.npz",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
            "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
            "sha256",
            "keras-team/keras: keras/src/datasets/imdb.py (load_data)",
        ),
        RemoteFile(
            "imdb_word_index.json",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
            "bfafd718b763782e994055a2d397834f",
            "md5",
            "keras-team/keras: keras/src/datasets/imdb.py (get_word_index)",
        ),
    ),
    "fra_eng": (
        RemoteFile(
            "fra-eng.zip",
            "https://d2l-data.s3-accelerate.amazonaws.com/fra-eng.zip",
            "94646ad1522d915e7b0f9296181140edcf86a4f5",
            "sha1",
            "d2l-ai/d2l-en: DATA_HUB['fra-eng']",
        ),
    ),
}

# Datasets that fell back to their stand-in in this session (auto mode), with the reason.
_fallbacks: dict[str, str] = {}


# ---------------------------------------------------------------------------------------------
# Mode, cache, download.
# ---------------------------------------------------------------------------------------------


def data_mode(mode: str | None = None) -> str:
    """The data mode in force: ``mode`` if given, else ``$COURSE_DATA``, else ``"auto"``.

    Raises:
        ValueError: if the value is not one of ``auto``, ``real``, ``offline``.
    """
    if mode is None:
        raw = os.environ.get(ENV_VAR, "auto")
        value = raw.strip().lower() or "auto"
        if value not in DATA_MODES:
            raise ValueError(
                f"{ENV_VAR}={raw!r} is not a data mode; set it to one of {', '.join(DATA_MODES)} "
                "(or leave it unset for 'auto')."
            )
        return value
    if not isinstance(mode, str) or mode.strip().lower() not in DATA_MODES:
        raise ValueError(f"mode={mode!r} is not a data mode; pass one of {', '.join(DATA_MODES)} or None.")
    return mode.strip().lower()


def data_dir() -> Path | None:
    """The folder of pre-downloaded dataset files named by ``$COURSE_DATA_DIR``, or ``None``.

    A relative path is taken relative to the current directory.

    Raises:
        ValueError: if the setting names something that is not an existing folder.
    """
    raw = os.environ.get(DATA_DIR_ENV, "")
    if not raw.strip():
        return None
    folder = Path(raw.strip()).expanduser()
    if not folder.is_dir():
        what = "a file, not a folder" if folder.exists() else "no such folder"
        raise ValueError(
            f"{DATA_DIR_ENV}={raw!r} is {what}; set it to a folder holding the dataset files "
            f"({', '.join(r.fname for files in REMOTE_FILES.values() for r in files)}) or unset it."
        )
    return folder.resolve()


def _from_data_dir(remote: RemoteFile) -> Path | None:
    """The file ``remote`` from the ``COURSE_DATA_DIR`` folder, hash-checked; None if absent."""
    folder = data_dir()
    if folder is None:
        return None
    path = folder / remote.fname
    if not path.is_file():
        return None
    digest = file_digest(path, remote.hash_algorithm)
    if digest != remote.file_hash:
        raise DataFileError(
            f"{path} (from {DATA_DIR_ENV}) is not the pinned {remote.fname}: its {remote.hash_algorithm} is "
            f"{digest}, expected {remote.file_hash}. Replace it with the file from {remote.url}, "
            f"or remove it from the folder."
        )
    return path


def cache_dir() -> Path:
    """The Keras dataset cache: ``$KERAS_HOME/datasets``, else ``~/.keras/datasets``.

    As in Keras, when that directory's parent is not writable, a ``.keras`` folder in the
    temporary directory is used instead. The directory is created if needed.
    """
    home = os.environ.get("KERAS_HOME")
    if home:
        check_dir("KERAS_HOME", home, must_exist=False, hint="point it at a folder (made if missing) or unset it")
    base = Path(home).expanduser() if home else Path.home() / ".keras"
    if not _writable(base):
        base = Path(tempfile.gettempdir()) / ".keras"
    folder = base / "datasets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _writable(folder: Path) -> bool:
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            return False
        probe = probe.parent
    return os.access(probe, os.W_OK)


def _writable_cache(folder: Path) -> Path:
    """``folder`` (in the Keras cache), made if missing; PermissionError saying what to do when it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        pass
    if not os.access(folder, os.W_OK):
        setting = f"KERAS_HOME={os.environ['KERAS_HOME']!r}" if os.environ.get("KERAS_HOME") else "~/.keras"
        raise PermissionError(f"{folder} cannot be written, so no dataset file can be stored there (the Keras "
                              f"cache, from {setting}): make it writable, or set KERAS_HOME to a folder you can "
                              "write (a file that is already there is read without writing).")
    return folder


def standin_dir() -> Path:
    """Where generated stand-in files are kept: ``<cache_dir()>/course-standins``.

    Raises:
        PermissionError: when the cache cannot be written (a read-only ``datasets/`` folder).
    """
    return _writable_cache(cache_dir() / "course-standins")


def file_digest(path: str | os.PathLike, algorithm: str) -> str:
    """Hex digest of a file with ``algorithm`` (``"sha1"``, ``"sha256"`` or ``"md5"``)."""
    algorithm = check_choice("algorithm", algorithm, ("sha1", "sha256", "md5"))
    path = check_file("path", path)
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _open_url(url: str, timeout: float):
    """``urlopen`` with a deadline that also covers the name lookup (which has no timeout)."""
    outcome: dict = {}

    def attempt() -> None:
        try:
            outcome["response"] = urllib.request.urlopen(url, timeout=timeout)
        except Exception as error:  # handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"no answer within {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def download_file(
    url: str,
    destination: str | os.PathLike,
    timeout: float | None = None,
    deadline: float | None = None,
    *,
    file_hash: str | None = None,
    hash_algorithm: str = "auto",
) -> Path:
    """Download ``url`` to ``destination`` through ``keras.utils.get_file``, which checks ``file_hash``.

    ``keras.utils.get_file`` has no time limit, so two guards surround it, neither of which changes
    anything process-wide: a first request with a deadline that also covers the name lookup, and an
    overall deadline for the transfer, which runs in a worker thread (a server sending a byte a second
    cannot keep a notebook waiting). The file is written in a private folder beside ``destination`` and
    moved into place once complete and hash-checked, so no partial or corrupt file ever bears its name.

    Args:
        url: the address.
        destination: the file to write.
        timeout: seconds allowed to connect and get a first answer (default :data:`DOWNLOAD_TIMEOUT`).
        deadline: seconds allowed for the whole download (default :data:`DOWNLOAD_DEADLINE`).
        file_hash, hash_algorithm: the expected digest, as ``keras.utils.get_file`` takes them.

    Returns:
        ``destination`` as a ``Path``.

    Raises:
        ValueError: for a timeout or deadline that is not a positive number; from ``get_file`` for a
            download whose hash differs from ``file_hash``.
        OSError: (``urllib.error.URLError``, ``TimeoutError``, ...) when the server cannot be reached
            in time or the download outlasts ``deadline``; ``Exception`` from ``get_file`` when the
            transfer fails later.
    """
    timeout = check_number("timeout", DOWNLOAD_TIMEOUT if timeout is None else timeout, minimum=0, min_open=True,
                           hint="seconds")
    deadline = check_number("deadline", DOWNLOAD_DEADLINE if deadline is None else deadline, minimum=0,
                            min_open=True, hint="seconds")
    url = check_str("url", url, nonempty=True)
    file_hash = check_str("file_hash", file_hash, nonempty=True, allow_none=True)
    if not isinstance(destination, (str, os.PathLike)) or not str(destination).strip():
        raise fail("destination", destination, "a path to the file to write")
    destination = Path(destination)
    check_dir("destination's folder", destination.parent, must_exist=False)
    destination.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with _open_url(url, min(timeout, deadline)):
        pass  # the server answers: the download may start
    import keras  # imported here: the offline stand-ins do not need Keras at all

    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=destination.parent))
    outcome: dict = {}

    def transfer() -> None:
        try:
            outcome["path"] = keras.utils.get_file(fname=destination.name, origin=url, file_hash=file_hash,
                                                   hash_algorithm=hash_algorithm, cache_dir=str(staging),
                                                   cache_subdir=".")
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=transfer, daemon=True)
    try:
        worker.start()
        worker.join(max(0.0, deadline - (time.monotonic() - started)))
        if worker.is_alive():  # left behind: it writes into the staging folder, deleted below
            raise TimeoutError(f"the download took longer than its deadline of {deadline:g} s")
        if "error" in outcome:
            raise outcome["error"]
        os.replace(outcome["path"], destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination


def _short_reason(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        text = f"HTTP {error.code} {error.reason}"
    elif isinstance(error, urllib.error.URLError):
        text = f"no connection: {error.reason}"
    elif isinstance(error, TimeoutError):
        text = str(error) or "timed out"
    else:
        text = f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:117] + "..."


def local_file(remote: RemoteFile) -> Path | None:
    """The file ``remote`` from the ``COURSE_DATA_DIR`` folder or the Keras cache, hash-checked; None if absent."""
    provided = _from_data_dir(remote)
    if provided is not None:
        return provided
    cached = cache_dir() / remote.fname
    if cached.exists() and file_digest(cached, remote.hash_algorithm) == remote.file_hash:
        return cached
    return None


def _fetch(dataset: str, remote: RemoteFile) -> Path:
    """The verified file: from ``COURSE_DATA_DIR``, else the cache, else (again) downloaded."""
    found = local_file(remote)
    if found is not None:
        return found
    path = _writable_cache(cache_dir()) / remote.fname
    note = ""
    if path.exists():
        path.unlink()
        note = f"the cached {remote.fname} failed its {remote.hash_algorithm} check and was deleted; "
    try:
        download_file(remote.url, path, file_hash=remote.file_hash, hash_algorithm=remote.hash_algorithm)
    except Exception as error:
        raise DataUnavailableError(dataset, remote.url, note + _short_reason(error), path) from error
    replaced = " (it replaces a corrupt cached copy)" if note else ""
    print(f"{dataset}: downloaded {remote.url} to {path}{replaced}.")
    return path


def _real_files(dataset: str, mode: str | None) -> list[Path] | None:
    """The real dataset's verified files, or ``None`` when the stand-in is to be used."""
    mode = data_mode(mode)
    if mode == "offline":
        return None
    if mode == "auto" and dataset in _fallbacks:
        _announce_fallback(dataset, _fallbacks[dataset])
        return None
    try:
        return [_fetch(dataset, remote) for remote in REMOTE_FILES[dataset]]
    except DataUnavailableError as error:
        if mode == "real":
            raise
        _fallbacks[dataset] = error.reason
        _announce_fallback(dataset, error.reason)
        return None


def _announce_fallback(dataset: str, reason: str) -> None:
    print(f"{dataset}: the real dataset could not be fetched ({reason}); using the offline stand-in.")


def _check_count(name: str, value: object, minimum: int = 1) -> int:
    return check_int(name, value, minimum=minimum)


def _check_optional_count(name: str, value: object, minimum: int) -> int | None:
    return check_int(name, value, minimum=minimum, allow_none=True)


def _imdb_options(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from) -> tuple:
    num_words, skip_top = _check_optional_count("num_words", num_words, 1), _check_count("skip_top", skip_top, 0)
    if num_words is not None and skip_top >= num_words:
        raise fail("skip_top", skip_top, f"below num_words={num_words}", "otherwise every word becomes the "
                   "out-of-vocabulary mark: lower skip_top or raise num_words")
    return (
        num_words,
        skip_top,
        _check_optional_count("maxlen", maxlen, 1),
        check_seed("seed", seed, limit=LEGACY_SEED_LIMIT, allow_none=False),
        _check_optional_count("start_char", start_char, 0),
        _check_optional_count("oov_char", oov_char, 0),
        _check_count("index_from", index_from, 0),
    )


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# Raw text: The Time Machine and Tiny Shakespeare.
# ---------------------------------------------------------------------------------------------


def load_time_machine(mode: str | None = None, *, standin_chars: int = TIME_MACHINE_STANDIN_CHARS) -> TextCorpus:
    """H. G. Wells' *The Time Machine* as one raw string (tokenising it is the notebook's job).

    The stand-in is :func:`utils.standins.make_english_like_corpus` text of ``standin_chars``
    characters, with its exact entropy rates per character and per word.

    Args:
        mode: ``"auto"``, ``"real"``, ``"offline"`` or ``None`` for ``$COURSE_DATA``.
        standin_chars: size of the stand-in text (ignored for the real book).

    Returns:
        a :class:`TextCorpus`; ``corpus.source`` says ``"real"`` or ``"offline"``.
    """
    standin_chars = _check_count("standin_chars", standin_chars, 8)
    files = _real_files("time_machine", mode)
    if files is None:
        return make_english_like_corpus(standin_chars, seed=TIME_MACHINE_STANDIN_SEED, name="time_machine")
    return TextCorpus(name="time_machine", text=_read_text(files[0]), source="real")


def load_shakespeare(mode: str | None = None, *, standin_chars: int = SHAKESPEARE_STANDIN_CHARS) -> TextCorpus:
    """Tiny Shakespeare (about 40,000 lines of the plays) as one raw string.

    The stand-in is English-like text as for :func:`load_time_machine`, with another seed (so
    another vocabulary) and ``standin_chars`` characters.

    Args:
        mode: ``"auto"``, ``"real"``, ``"offline"`` or ``None`` for ``$COURSE_DATA``.
        standin_chars: size of the stand-in text (ignored for the real text).
    """
    standin_chars = _check_count("standin_chars", standin_chars, 8)
    files = _real_files("shakespeare", mode)
    if files is None:
        return make_english_like_corpus(standin_chars, seed=SHAKESPEARE_STANDIN_SEED, name="shakespeare")
    return TextCorpus(name="shakespeare", text=_read_text(files[0]), source="real")


# ---------------------------------------------------------------------------------------------
# IMDB.
# ---------------------------------------------------------------------------------------------


class ImdbData(tuple):
    """``((x_train, y_train), (x_test, y_test))`` as Keras returns it, plus where it came from.

    Unpacks like the Keras result. Attributes:

    * ``source``: ``"real"`` or ``"offline"``;
    * for the stand-in, ``label_noise`` (the flipped fraction ``epsilon``), ``bayes_accuracy``
      (``1 - epsilon``, the best any classifier can expect) and ``bow_accuracy_bound`` (no
      bag-of-words classifier can expect more); ``None`` for the real data.
    """

    def __new__(
        cls,
        train: tuple[np.ndarray, np.ndarray],
        test: tuple[np.ndarray, np.ndarray],
        *,
        source: str,
        label_noise: float | None = None,
        bayes_accuracy: float | None = None,
        bow_accuracy_bound: float | None = None,
    ) -> ImdbData:
        data = super().__new__(cls, (train, test))
        data.source = source
        data.label_noise = label_noise
        data.bayes_accuracy = bayes_accuracy
        data.bow_accuracy_bound = bow_accuracy_bound
        return data


class WordIndex(dict):
    """A ``{word: index}`` dict that also records its ``source`` (``"real"`` or ``"offline"``)."""

    def __init__(self, mapping: Mapping[str, int], *, source: str):
        super().__init__(mapping)
        self.source = source


# Reconstructing a NumPy object array from its pickle needs exactly these globals; refusing all
# others means a tampered .npz cannot run code while it is read.
_ARRAY_PICKLE_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


class _ArrayOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ARRAY_PICKLE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a dataset file")


def read_imdb_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read an ``.npz`` in the layout of Keras' ``imdb.npz``, safely.

    The reviews are ragged, so they are stored as pickled object arrays. Instead of
    ``np.load(allow_pickle=True)`` (which would run any code a tampered file contains), object
    arrays are unpickled with only NumPy's array-rebuilding functions allowed.

    Returns:
        ``{"x_train", "y_train", "x_test", "y_test"}`` (and any other arrays in the file).

    Raises:
        ValueError: if the file is not such an archive.
    """
    arrays: dict[str, np.ndarray] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if not member.endswith(".npy"):
                    continue
                stream = io.BytesIO(archive.read(member))
                major, _ = np.lib.format.read_magic(stream)
                if major == 1:
                    _, _, dtype = np.lib.format.read_array_header_1_0(stream)
                elif major in (2, 3):  # version 3 differs from 2 only in the header's text encoding
                    _, _, dtype = np.lib.format.read_array_header_2_0(stream)
                else:
                    raise ValueError(f"unsupported .npy format version {major} in {member}")
                if dtype.hasobject:
                    arrays[member[:-4]] = _ArrayOnlyUnpickler(stream).load()
                else:
                    stream.seek(0)
                    arrays[member[:-4]] = np.lib.format.read_array(stream, allow_pickle=False)
    except (zipfile.BadZipFile, pickle.UnpicklingError, EOFError) as error:
        raise ValueError(f"{path} is not a readable IMDB .npz archive ({error}).") from error
    missing = [k for k in ("x_train", "y_train", "x_test", "y_test") if k not in arrays]
    if missing:
        raise ValueError(f"{path} lacks the arrays {', '.join(missing)} of the IMDB layout.")
    return arrays


def _flatten(sequences: Iterable) -> tuple[np.ndarray, np.ndarray]:
    sequences = list(sequences)
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    flat = np.fromiter(itertools.chain.from_iterable(sequences), dtype=np.int64, count=int(lengths.sum()))
    return flat, lengths


def _as_object_array(flat: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    values = flat.tolist()
    out = np.empty(len(lengths), dtype=object)
    start = 0
    for i, length in enumerate(lengths.tolist()):
        out[i] = values[start : start + length]
        start += length
    return out


def prepare_imdb(
    arrays: Mapping[str, np.ndarray],
    *,
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Turn the raw IMDB arrays into what ``keras.datasets.imdb.load_data`` returns.

    The steps, in Keras' order: shuffle the training and then the test reviews with
    ``np.random.RandomState(seed)``; add ``index_from`` to every word id and put ``start_char``
    in front; with ``maxlen``, *drop* every review whose length (start mark included) is
    ``maxlen`` or more (Keras' documentation says "truncated", but it drops them); ids outside
    ``[skip_top, num_words)`` become ``oov_char`` (or are removed if it is ``None``). Without
    ``num_words`` the largest id present is used as the bound, so, as in Keras, that one word
    becomes out-of-vocabulary too.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: 1-D object arrays of lists of ints, and labels.
    """
    if not isinstance(arrays, Mapping):
        raise fail("arrays", arrays, "a dict of arrays x_train, y_train, x_test, y_test (from read_imdb_npz)")
    missing = [k for k in ("x_train", "y_train", "x_test", "y_test") if k not in arrays]
    if missing:
        raise ValueError(f"arrays lacks {', '.join(missing)}; pass what read_imdb_npz returns.")
    num_words, skip_top, maxlen, seed, start_char, oov_char, index_from = _imdb_options(
        num_words, skip_top, maxlen, seed, start_char, oov_char, index_from
    )
    rng = np.random.RandomState(seed)
    splits = []
    for part in ("train", "test"):
        x, y = np.asarray(arrays[f"x_{part}"], dtype=object), np.asarray(arrays[f"y_{part}"])
        if x.ndim != 1 or y.shape != (len(x),):
            raise ValueError(f"arrays['y_{part}'] has shape {y.shape} for {len(x)} reviews in arrays['x_{part}']; "
                             "pass one label per review, as read_imdb_npz returns them.")
        order = np.arange(len(x))
        rng.shuffle(order)
        flat, lengths = _flatten(x[order])
        splits.append([flat + index_from, lengths, y[order]])

    for split in splits:
        flat, lengths, labels = split
        if start_char is not None:
            with_start = np.empty(len(flat) + len(lengths), dtype=np.int64)
            starts = np.cumsum(lengths + 1) - (lengths + 1)
            is_start = np.zeros(len(with_start), dtype=bool)
            is_start[starts] = True
            with_start[is_start] = start_char
            with_start[~is_start] = flat
            flat, lengths = with_start, lengths + 1
        if maxlen:
            keep = lengths < maxlen
            flat = flat[np.repeat(keep, lengths)]
            lengths, labels = lengths[keep], labels[keep]
        split[:] = [flat, lengths, labels]
    if maxlen and any(len(split[1]) == 0 for split in splits):
        raise ValueError(f"maxlen={maxlen} removes every review of a split; increase maxlen.")

    if not num_words:
        num_words = max(int(split[0].max()) for split in splits if len(split[0]))
    result = []
    for flat, lengths, labels in splits:
        inside = (flat >= skip_top) & (flat < num_words)
        if oov_char is not None:
            flat = np.where(inside, flat, oov_char)
        else:
            owner = np.repeat(np.arange(len(lengths)), lengths)
            lengths = np.bincount(owner[inside], minlength=len(lengths))
            flat = flat[inside]
        result.append((_as_object_array(flat, lengths), np.asarray(labels)))
    return result[0], result[1]


def load_imdb(
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    mode: str | None = None,
    *,
    seed: int = 113,
    standin_reviews: int = IMDB_STANDIN_REVIEWS,
) -> ImdbData:
    """The IMDB reviews, exactly as ``keras.datasets.imdb.load_data`` returns them.

    ``(x_train, y_train), (x_test, y_test) = load_imdb(num_words=10_000)``: each review is a list
    of ints (0 is reserved for padding, ``start_char`` marks the start, ``oov_char`` replaces
    words cut by ``num_words`` / ``skip_top``, word ``w`` of the word index appears as
    ``w + index_from``); labels are 1 (positive) or 0. See :func:`prepare_imdb` for the exact
    processing, which the real ``imdb.npz`` and the stand-in both go through.

    The stand-in (:func:`utils.standins.make_imdb_standin`) has ``standin_reviews`` reviews per
    split, labels that depend on word order, 5% label noise, and known figures in the result's
    ``bayes_accuracy`` and ``bow_accuracy_bound`` attributes.

    Args:
        num_words, skip_top, maxlen, start_char, oov_char, index_from, seed: as in Keras.
        mode: ``"auto"``, ``"real"``, ``"offline"`` or ``None`` for ``$COURSE_DATA``.
        standin_reviews: reviews per split of the stand-in (ignored for the real data).

    Returns:
        an :class:`ImdbData`, which unpacks as the Keras result and has a ``source`` attribute.
    """
    _imdb_options(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)  # fail before any download
    standin_reviews = _check_count("standin_reviews", standin_reviews, 2)
    files = _real_files("imdb", mode)
    figures: dict[str, float] = {}
    if files is None:
        npz_path, _ = write_imdb_standin(
            standin_dir(), standin_reviews, standin_reviews, IMDB_STANDIN_LABEL_NOISE, IMDB_STANDIN_SEED
        )
        figures = read_imdb_standin_info(npz_path)
        source = "offline"
    else:
        npz_path, source = files[0], "real"
    try:
        arrays = read_imdb_npz(npz_path)
    except ValueError as error:
        if source != "offline":
            raise
        raise ValueError(f"{error} It is a generated stand-in file: delete it and it is generated again.") from None
    train, test = prepare_imdb(
        arrays,
        num_words=num_words,
        skip_top=skip_top,
        maxlen=maxlen,
        seed=seed,
        start_char=start_char,
        oov_char=oov_char,
        index_from=index_from,
    )
    return ImdbData(train, test, source=source, **figures)


def load_imdb_word_index(mode: str | None = None) -> WordIndex:
    """The IMDB word index ``{word: rank}`` (1 = most frequent), as ``keras.datasets.imdb.get_word_index``.

    In a review from :func:`load_imdb`, word ``w`` appears as ``word_index[w] + index_from``;
    :func:`decode_review` turns ids back into words. The stand-in's index fits every stand-in
    size and seed.
    """
    files = _real_files("imdb", mode)
    if files is None:
        path, source = write_imdb_standin_word_index(standin_dir()), "offline"
    else:
        path, source = files[1], "real"
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        again = "it is generated again" if source == "offline" else "it is downloaded again"
        raise ValueError(f"{path} is not valid JSON ({error}); delete it and {again}.") from None
    if not isinstance(mapping, dict):
        raise ValueError(f"{path} does not hold a word index (a JSON object); delete it and load again.")
    return WordIndex(mapping, source=source)


def decode_review(
    ids: Iterable[int],
    word_index: Mapping[str, int],
    index_from: int = 3,
    *,
    start_char: int | None = 1,
    oov_char: int | None = 2,
) -> str:
    """The words of an encoded review, separated by spaces.

    Padding (0) and the start mark are left out, ``oov_char`` shows as ``[OOV]``, and an id that
    is no word shows as ``[?]``. Use the same ``index_from``, ``start_char`` and ``oov_char`` as
    for :func:`load_imdb`.
    """
    if not isinstance(word_index, Mapping):
        raise ValueError(f"word_index must be a dict of word -> index, got {type(word_index).__name__}.")
    index_from = _check_count("index_from", index_from, 0)
    start_char = _check_optional_count("start_char", start_char, 0)
    oov_char = _check_optional_count("oov_char", oov_char, 0)
    ids = check_array("ids", ids, ndim=1, kind="integer")
    words_by_id = {int(i) + index_from: word for word, i in word_index.items()}
    words = []
    for raw in ids.tolist():
        i = int(raw)
        if i in words_by_id and i != start_char and i != oov_char:
            words.append(words_by_id[i])
        elif i == 0 or (start_char is not None and i == start_char):
            continue
        elif oov_char is not None and i == oov_char:
            words.append("[OOV]")
        else:
            words.append("[?]")
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# English-French pairs.
# ---------------------------------------------------------------------------------------------


class TranslationPairs(list):
    """A list of ``(english, french)`` pairs that also records its ``source`` (``"real"`` / ``"offline"``)."""

    def __init__(self, pairs: Iterable[tuple[str, str]], *, source: str):
        super().__init__(pairs)
        self.source = source


def parse_translation_pairs(text: str) -> list[tuple[str, str]]:
    """Parse a Tatoeba/Anki file such as ``fra.txt``: one tab-separated pair per line.

    Lines look like ``"Go.\\tVa !\\tCC-BY 2.0 (France) Attribution: ..."`` (newer files) or
    ``"Go.\\tVa !"`` (older ones). Lines with two or more fields give their first two; other lines
    (blank or malformed) are skipped.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}.")
    pairs = []
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2:
            pairs.append((fields[0], fields[1]))
    return pairs


def _read_fra_txt(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if m.rsplit("/", 1)[-1] == "fra.txt"]
        if not members:
            raise ValueError(f"{path} holds no fra.txt (it has: {', '.join(archive.namelist())}).")
        return archive.read(members[0]).decode("utf-8-sig", errors="replace")


def load_translation_pairs(
    mode: str | None = None,
    max_pairs: int | None = None,
    *,
    standin_pairs: int = TRANSLATION_STANDIN_PAIRS,
) -> TranslationPairs:
    """English-French sentence pairs (``fra.txt`` in d2l's ``fra-eng.zip``), in file order.

    The stand-in is English paired with an invented verb-final language
    (:func:`utils.standins.make_parallel_text`), written in the same tab-separated format and
    parsed by the same :func:`parse_translation_pairs`.

    Args:
        mode: ``"auto"``, ``"real"``, ``"offline"`` or ``None`` for ``$COURSE_DATA``.
        max_pairs: keep only the first ``max_pairs`` pairs (all if ``None``).
        standin_pairs: number of stand-in pairs when ``max_pairs`` is ``None``.

    Returns:
        a :class:`TranslationPairs` list of ``(source sentence, target sentence)``.
    """
    max_pairs = _check_optional_count("max_pairs", max_pairs, 1)
    standin_pairs = _check_count("standin_pairs", standin_pairs, 1)
    files = _real_files("fra_eng", mode)
    if files is None:
        text, source = make_parallel_text(max_pairs or standin_pairs, seed=TRANSLATION_STANDIN_SEED), "offline"
    else:
        text, source = _read_fra_txt(files[0]), "real"
    pairs = parse_translation_pairs(text)
    if max_pairs is not None:
        pairs = pairs[:max_pairs]
    return TranslationPairs(pairs, source=source)
