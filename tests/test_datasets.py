"""Tests of utils.datasets: modes, cache, hashes, timeouts and the real-format parsers.

No test uses the internet. The real parsers run on tiny files in the real formats that the tests
write into a temporary Keras cache, with their hashes pinned in place of the real ones.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import os
import socket
import threading
import time
import urllib.error
import zipfile
from pathlib import Path

import numpy as np
import pytest

from utils import datasets
from utils.datasets import DataUnavailableError

# The real download function, kept before any fixture replaces it.
download_file = datasets.download_file

# ---------------------------------------------------------------------------------------------
# Fixtures: a private cache, a network that must not be used, tiny files in the real formats.
# ---------------------------------------------------------------------------------------------

TIME_MACHINE_TEXT = (
    "The Time Machine, by H. G. Wells [1898]\n\n\n\n\nI\n\n\n"
    "The Time Traveller (for so it will be convenient to speak of him)\n"
    "was expounding a recondite matter to us.\n"
)
SHAKESPEARE_TEXT = (
    "First Citizen:\nBefore we proceed any further, hear me speak.\n\n"
    "All:\nSpeak, speak.\n\nFirst Citizen:\nYou are all resolved rather to die than to famish?\n"
)
FRA_LINES = [
    "Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)",
    "Hi.\tSalut !",
    "",
    "a line without a tab",
    "Run!\tCours\u202f!\tCC-BY 2.0 (France) Attribution: tatoeba.org #906328 (papabear) & #906331 (sacredceltic)",
    "Who?\tQui ?\textra\tfields",
]
# A tiny word index as Keras ships it: word -> frequency rank, starting at 1.
WORD_INDEX = {"the": 1, "movie": 2, "was": 3, "good": 4, "bad": 5, "plot": 6, "not": 7, "fun": 8}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh Keras home, no remembered fallbacks, and COURSE_DATA unset."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    monkeypatch.delenv(datasets.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(datasets, "_fallbacks", {})
    return tmp_path / "keras" / "datasets"


@pytest.fixture
def no_network(monkeypatch):
    """Make any download attempt fail the test."""
    calls = []

    def forbidden(url, destination, timeout=None, **hashes):
        calls.append(url)
        raise AssertionError(f"the network was used: {url}")

    monkeypatch.setattr(datasets, "download_file", forbidden)
    return calls


@pytest.fixture
def blocked_network(monkeypatch):
    """Every download fails as on a machine without network."""
    calls = []

    def unreachable(url, destination, timeout=None, **hashes):
        calls.append(url)
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(datasets, "download_file", unreachable)
    return calls


def _pin(monkeypatch, dataset: str, index: int, path: Path) -> datasets.RemoteFile:
    """Pin the hash of ``path`` in place of the real file's, keeping URL and algorithm."""
    files = list(datasets.REMOTE_FILES[dataset])
    files[index] = dataclasses.replace(files[index], file_hash=datasets.file_digest(path, files[index].hash_algorithm))
    monkeypatch.setitem(datasets.REMOTE_FILES, dataset, tuple(files))
    return files[index]


def _write_text_file(cache: Path, monkeypatch, dataset: str, text: str) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / datasets.REMOTE_FILES[dataset][0].fname
    path.write_text(text, encoding="utf-8")
    _pin(monkeypatch, dataset, 0, path)
    return path


def _object_array(rows: list[list[int]]) -> np.ndarray:
    out = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        out[i] = row
    return out


def _tiny_imdb_arrays() -> dict[str, np.ndarray]:
    """Ragged reviews of raw word ids; each label is the parity of the review's first id."""
    rng = np.random.RandomState(5)
    arrays = {}
    for part, n in (("train", 9), ("test", 7)):
        rows = [rng.randint(1, 9, size=rng.randint(2, 9)).tolist() for _ in range(n)]
        arrays[f"x_{part}"] = _object_array(rows)
        arrays[f"y_{part}"] = np.array([row[0] % 2 for row in rows], dtype=np.int64)
    return arrays


def _write_imdb_files(cache: Path, monkeypatch) -> dict[str, np.ndarray]:
    cache.mkdir(parents=True, exist_ok=True)
    arrays = _tiny_imdb_arrays()
    np.savez(cache / "imdb.npz", **arrays)
    (cache / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX), encoding="utf-8")
    _pin(monkeypatch, "imdb", 0, cache / "imdb.npz")
    _pin(monkeypatch, "imdb", 1, cache / "imdb_word_index.json")
    return arrays


def _write_fra_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("fra-eng/_about.txt", "About this file.\n")
        archive.writestr("fra-eng/fra.txt", "\n".join(FRA_LINES) + "\n")


# ---------------------------------------------------------------------------------------------
# COURSE_DATA and the cache directory.
# ---------------------------------------------------------------------------------------------


def test_data_mode_reads_the_environment_and_the_argument_wins(monkeypatch):
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    assert datasets.data_mode() == "auto"
    monkeypatch.setenv(datasets.ENV_VAR, " Offline ")
    assert datasets.data_mode() == "offline"
    assert datasets.data_mode("real") == "real"


def test_bad_course_data_value_is_a_value_error_naming_variable_and_value(cache, monkeypatch, no_network):
    monkeypatch.setenv(datasets.ENV_VAR, "sometimes")
    with pytest.raises(ValueError, match=r"COURSE_DATA='sometimes'.*auto, real, offline"):
        datasets.data_mode()
    with pytest.raises(ValueError, match="COURSE_DATA"):
        datasets.load_time_machine()
    with pytest.raises(ValueError, match=r"mode='online'"):
        datasets.load_shakespeare(mode="online")


def test_cache_dir_follows_keras_home(cache):
    assert datasets.cache_dir() == cache
    assert cache.is_dir()
    assert datasets.standin_dir().parent == cache


# ---------------------------------------------------------------------------------------------
# Real formats, read from the cache with no network at all.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "loader", "text"),
    [
        ("time_machine", datasets.load_time_machine, TIME_MACHINE_TEXT),
        ("shakespeare", datasets.load_shakespeare, SHAKESPEARE_TEXT),
    ],
)
def test_real_text_is_read_from_the_cache_without_network(
    cache, monkeypatch, no_network, capsys, dataset, loader, text
):
    _write_text_file(cache, monkeypatch, dataset, text)
    monkeypatch.setenv(datasets.ENV_VAR, "real")
    corpus = loader()
    assert corpus.text == text
    assert (corpus.source, corpus.name) == ("real", dataset)
    assert corpus.entropy_per_char_bits is None and corpus.optimal_char_perplexity is None
    assert no_network == [] and capsys.readouterr().out == ""


def test_real_imdb_is_processed_as_keras_does(cache, monkeypatch, no_network):
    arrays = _write_imdb_files(cache, monkeypatch)
    (x_train, y_train), (x_test, y_test) = data = datasets.load_imdb(mode="real")
    assert data.source == "real" and data.bayes_accuracy is None
    assert x_train.dtype == object and x_train.shape == (9,) and x_test.shape == (7,)
    # The same reviews (shuffled), each with a start mark and ids shifted by index_from = 3;
    # without num_words the largest id present becomes out-of-vocabulary (2), as in Keras.
    largest = max(max(row) for part in ("x_train", "x_test") for row in arrays[part]) + 3
    expected = sorted([1] + [w + 3 if w + 3 < largest else 2 for w in row] for row in arrays["x_train"])
    assert sorted(list(review) for review in x_train) == expected
    assert [list(r) for r in x_train] != [[1] + [w + 3 for w in row] for row in arrays["x_train"]]  # shuffled
    assert any(2 in review for review in list(x_train) + list(x_test))
    for review, label in zip(x_train, y_train, strict=True):
        if review[1] != 2:
            assert label == (review[1] - 3) % 2  # labels travelled with their reviews
    # num_words / skip_top cut to oov_char; maxlen drops reviews of maxlen or more tokens.
    (x_small, _), _ = datasets.load_imdb(num_words=7, skip_top=4, mode="real")
    assert all(w == 2 or 4 <= w < 7 for review in x_small for w in review)
    (x_short, y_short), _ = datasets.load_imdb(maxlen=6, mode="real")
    assert all(len(review) < 6 for review in x_short) and len(x_short) == len(y_short) < 9
    word_index = datasets.load_imdb_word_index(mode="real")
    assert word_index == WORD_INDEX and word_index.source == "real"
    assert no_network == []


def test_prepare_imdb_matches_keras_load_data(cache, monkeypatch):
    imdb_module = pytest.importorskip("keras.src.datasets.imdb")
    arrays = _write_imdb_files(cache, monkeypatch)
    path = str(cache / "imdb.npz")
    monkeypatch.setattr(imdb_module, "get_file", lambda *args, **kwargs: path)
    settings = [
        {},
        {"num_words": 6, "skip_top": 2},
        {"maxlen": 7, "seed": 3},
        {"oov_char": None, "num_words": 6},
        {"start_char": None, "index_from": 0},
    ]
    for kwargs in settings:
        (kx_train, ky_train), (kx_test, ky_test) = imdb_module.load_data(**kwargs)
        (x_train, y_train), (x_test, y_test) = datasets.prepare_imdb(arrays, **kwargs)
        assert [list(r) for r in x_train] == [list(map(int, r)) for r in kx_train], kwargs
        assert [list(r) for r in x_test] == [list(map(int, r)) for r in kx_test], kwargs
        np.testing.assert_array_equal(y_train, ky_train)
        np.testing.assert_array_equal(y_test, ky_test)


def test_decode_review_maps_ids_back_to_words():
    ids = [0, 0, 1, 2 + 3, 4 + 3, 2, 99]
    assert datasets.decode_review(ids, WORD_INDEX) == "movie good [OOV] [?]"
    assert datasets.decode_review([4, 5], WORD_INDEX, index_from=3) == "the movie"
    with pytest.raises(ValueError, match="word_index"):
        datasets.decode_review([4], ["the"])


def test_read_imdb_npz_refuses_code_in_the_pickle(tmp_path):
    class Payload:
        def __reduce__(self):
            return (os.system, ("echo unsafe",))

    malicious = np.empty(1, dtype=object)
    malicious[0] = Payload()
    path = tmp_path / "evil.npz"
    np.savez(path, x_train=malicious, y_train=np.zeros(1), x_test=malicious, y_test=np.zeros(1))
    with pytest.raises(ValueError, match="refusing to load"):
        datasets.read_imdb_npz(path)
    (tmp_path / "missing.npz").write_bytes(b"")
    with pytest.raises(ValueError, match="not a readable"):
        datasets.read_imdb_npz(tmp_path / "missing.npz")


def test_real_translation_pairs_come_from_fra_txt_in_the_zip(cache, monkeypatch, no_network):
    cache.mkdir(parents=True)
    _write_fra_zip(cache / "fra-eng.zip")
    _pin(monkeypatch, "fra_eng", 0, cache / "fra-eng.zip")
    pairs = datasets.load_translation_pairs(mode="real")
    assert pairs.source == "real"
    assert pairs == [("Go.", "Va !"), ("Hi.", "Salut !"), ("Run!", "Cours\u202f!"), ("Who?", "Qui ?")]
    assert datasets.load_translation_pairs(mode="real", max_pairs=2) == pairs[:2]


def test_parse_translation_pairs_keeps_the_first_two_fields():
    assert datasets.parse_translation_pairs("a\tb\tc\r\nno tab\n\nd\te\n") == [("a", "b"), ("d", "e")]
    with pytest.raises(ValueError, match="text"):
        datasets.parse_translation_pairs(b"a\tb")


# ---------------------------------------------------------------------------------------------
# Corrupt cache, failed downloads, fallbacks.
# ---------------------------------------------------------------------------------------------


def test_corrupt_cached_file_is_deleted_and_fetched_again(cache, monkeypatch, capsys):
    path = _write_text_file(cache, monkeypatch, "time_machine", TIME_MACHINE_TEXT)
    path.write_text(TIME_MACHINE_TEXT[:40], encoding="utf-8")  # truncated
    fetched = []

    def good_download(url, destination, timeout=None, **hashes):
        fetched.append(url)
        Path(destination).write_text(TIME_MACHINE_TEXT, encoding="utf-8")

    monkeypatch.setattr(datasets, "download_file", good_download)
    for mode in ("auto", "real"):
        path.write_text(TIME_MACHINE_TEXT[:40], encoding="utf-8")
        corpus = datasets.load_time_machine(mode=mode)
        assert corpus.source == "real" and corpus.text == TIME_MACHINE_TEXT
    assert fetched == [datasets.REMOTE_FILES["time_machine"][0].url] * 2
    assert "corrupt" in capsys.readouterr().out


def test_corrupt_cached_file_with_failed_refetch_is_reported(cache, monkeypatch, blocked_network, capsys):
    path = _write_text_file(cache, monkeypatch, "shakespeare", SHAKESPEARE_TEXT)
    path.write_text("garbage", encoding="utf-8")
    with pytest.raises(DataUnavailableError, match=r"failed its sha256 check and was deleted") as caught:
        datasets.load_shakespeare(mode="real")
    assert caught.value.url in str(caught.value) and not path.exists()
    path.write_text("garbage", encoding="utf-8")
    corpus = datasets.load_shakespeare(mode="auto")
    assert corpus.source == "offline"
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "sha256 check" in lines[0] and lines[0].startswith("shakespeare: ")


def test_download_that_fails_its_hash_is_rejected(cache, monkeypatch):
    """keras.utils.get_file checks the pinned hash: a server's error page never lands in the cache."""
    _write_text_file(cache, monkeypatch, "time_machine", TIME_MACHINE_TEXT)
    (cache / "timemachine.txt").unlink()
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)  # serves "hello, world", not the book
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = dataclasses.replace(datasets.REMOTE_FILES["time_machine"][0],
                                 url=f"http://127.0.0.1:{server.server_port}/timemachine.txt")
    monkeypatch.setitem(datasets.REMOTE_FILES, "time_machine", (remote,))
    try:
        with pytest.raises(DataUnavailableError, match="sha1 file hash does not match"):
            datasets.load_time_machine(mode="real")
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(path.name for path in cache.iterdir()) == [], "no corrupt file and no staging folder is left"


def test_auto_with_the_network_blocked_prints_one_line_per_dataset(cache, blocked_network, capsys):
    corpora = [datasets.load_time_machine(standin_chars=5000), datasets.load_shakespeare(standin_chars=5000)]
    imdb = datasets.load_imdb(standin_reviews=40)
    word_index = datasets.load_imdb_word_index()
    pairs = datasets.load_translation_pairs(max_pairs=30)
    assert [c.source for c in corpora] + [imdb.source, word_index.source, pairs.source] == ["offline"] * 5
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["time_machine", "shakespeare", "imdb", "imdb", "fra_eng"]
    for line in lines:
        assert line.endswith("; using the offline stand-in.") and "Temporary failure" in line
    # After a fallback, a dataset keeps its stand-in without trying the network again.
    assert len(blocked_network) == 4
    assert datasets.load_time_machine(standin_chars=5000).source == "offline"
    assert len(blocked_network) == 4 and len(capsys.readouterr().out.splitlines()) == 1


def test_auto_after_a_timeout_says_so_in_its_one_line(cache, monkeypatch, capsys):
    def silent(url, destination, timeout=None, **hashes):
        raise TimeoutError(f"no answer within {datasets.DOWNLOAD_TIMEOUT:g} s")

    monkeypatch.setattr(datasets, "download_file", silent)
    assert datasets.load_translation_pairs(max_pairs=5).source == "offline"
    assert capsys.readouterr().out == (
        "fra_eng: the real dataset could not be fetched (no answer within 10 s); using the offline stand-in.\n"
    )


@pytest.mark.parametrize(
    ("dataset", "load"),
    [
        ("time_machine", lambda: datasets.load_time_machine()),
        ("shakespeare", lambda: datasets.load_shakespeare()),
        ("imdb", lambda: datasets.load_imdb()),
        ("imdb", lambda: datasets.load_imdb_word_index()),
        ("fra_eng", lambda: datasets.load_translation_pairs()),
    ],
)
def test_real_with_the_network_blocked_raises_naming_the_url(cache, monkeypatch, blocked_network, dataset, load):
    monkeypatch.setenv(datasets.ENV_VAR, "real")
    with pytest.raises(ValueError) as caught:
        load()
    assert isinstance(caught.value, DataUnavailableError)
    assert datasets.REMOTE_FILES[dataset][0].url in str(caught.value)
    assert "COURSE_DATA=offline" in str(caught.value)


def test_offline_uses_stand_ins_even_with_real_files_cached(cache, monkeypatch, no_network, capsys):
    _write_text_file(cache, monkeypatch, "time_machine", TIME_MACHINE_TEXT)
    monkeypatch.setenv(datasets.ENV_VAR, "offline")
    corpus = datasets.load_time_machine(standin_chars=3000)
    assert corpus.source == "offline" and len(corpus.text) <= 3000
    assert corpus.entropy_per_char_bits > 0 and corpus.optimal_char_perplexity > 1
    imdb = datasets.load_imdb(standin_reviews=50, num_words=1000)
    assert imdb.source == "offline" and imdb.bayes_accuracy == pytest.approx(0.95)
    assert imdb.bow_accuracy_bound < imdb.bayes_accuracy - 0.08
    assert no_network == [] and capsys.readouterr().out == ""


def test_offline_imdb_stand_in_goes_through_the_keras_layout(cache, monkeypatch, no_network):
    monkeypatch.setenv(datasets.ENV_VAR, "offline")
    (x_train, y_train), (x_test, y_test) = datasets.load_imdb(standin_reviews=60)
    word_index = datasets.load_imdb_word_index()
    stored = sorted(datasets.standin_dir().glob("imdb_standin-*.npz"))
    assert len(stored) == 1 and set(datasets.read_imdb_npz(stored[0])) == {"x_train", "y_train", "x_test", "y_test"}
    assert len(x_train) == len(y_train) == len(x_test) == len(y_test) == 60
    assert all(review[0] == 1 for review in x_train)
    words = datasets.decode_review(x_train[0], word_index).split()
    assert words and all(w.isalpha() for w in words)


# ---------------------------------------------------------------------------------------------
# The download itself, against a local server.
# ---------------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = b"hello, world\n" * 100
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_download_file_writes_the_file(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        target = tmp_path / "sub" / "file.txt"
        download_file(f"http://127.0.0.1:{server.server_port}/file.txt", target, timeout=5)
        assert target.read_bytes() == b"hello, world\n" * 100
        assert not (tmp_path / "sub" / "file.txt.part").exists()
    finally:
        server.shutdown()
        server.server_close()


def test_download_file_gives_up_on_a_silent_server(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "DOWNLOAD_TIMEOUT", 0.3)  # the module constant sets the default
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts connections but never answers
    try:
        target = tmp_path / "file.txt"
        with pytest.raises(OSError):
            download_file(f"http://127.0.0.1:{listener.getsockname()[1]}/x", target)
        assert not target.exists() and not (tmp_path / "file.txt.part").exists()
    finally:
        listener.close()


class _TrickleHandler(http.server.BaseHTTPRequestHandler):
    """Answers at once, then sends its body one byte every 0.1 s (for at most 10 s)."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:  # the client hung up: what the deadline should make it do
            pass

    def log_message(self, *args):
        pass


def test_download_file_gives_up_at_its_deadline_on_a_trickling_server(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TrickleHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    target = tmp_path / "file.txt"
    try:
        began = time.monotonic()
        with pytest.raises(TimeoutError, match="deadline of 1 s"):
            download_file(f"http://127.0.0.1:{server.server_port}/slow", target, timeout=5, deadline=1)
        # Every read is quick, so only the deadline can stop it; the server alone would take 10 s.
        assert time.monotonic() - began < 8
        assert not target.exists()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("bad", [0, -5, float("nan"), "10", True])
def test_download_deadline_must_be_a_positive_number(tmp_path, bad):
    with pytest.raises(ValueError, match="deadline="):
        download_file("http://127.0.0.1:9/x", tmp_path / "x", deadline=bad)


def test_download_file_reports_a_refused_connection(tmp_path):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with pytest.raises(urllib.error.URLError):
        download_file(f"http://127.0.0.1:{port}/x", tmp_path / "x", timeout=2)


# ---------------------------------------------------------------------------------------------
# Argument checks.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: datasets.load_imdb(num_words=-5, mode="offline"), "num_words"),
        (lambda: datasets.load_imdb(skip_top=-1, mode="offline"), "skip_top"),
        (lambda: datasets.load_imdb(maxlen=0, mode="offline"), "maxlen"),
        (lambda: datasets.load_imdb(index_from=1.5, mode="offline"), "index_from"),
        (lambda: datasets.load_imdb(standin_reviews=1, mode="offline"), "standin_reviews"),
        (lambda: datasets.load_time_machine(mode="offline", standin_chars=-10), "standin_chars"),
        (lambda: datasets.load_shakespeare(mode="offline", standin_chars=0), "standin_chars"),
        (lambda: datasets.load_translation_pairs(mode="offline", max_pairs=0), "max_pairs"),
        (lambda: download_file("http://127.0.0.1/", "x", timeout=0), "timeout"),
        (lambda: datasets.file_digest(__file__, "crc32"), "algorithm"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(cache, no_network, call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------------------------------------
# COURSE_DATA_DIR: a folder of pre-downloaded files.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """A folder of dataset files named by COURSE_DATA_DIR (files pinned as the real ones)."""
    folder = tmp_path / "provided"
    folder.mkdir()
    (folder / "timemachine.txt").write_text(TIME_MACHINE_TEXT, encoding="utf-8")
    _pin(monkeypatch, "time_machine", 0, folder / "timemachine.txt")
    _write_fra_zip(folder / "fra-eng.zip")
    _pin(monkeypatch, "fra_eng", 0, folder / "fra-eng.zip")
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(folder))
    return folder


@pytest.mark.parametrize("mode", ["real", "auto"])
def test_data_dir_files_are_used_in_place_without_network_or_cache(cache, data_folder, no_network, capsys, mode):
    before = sorted(p.name for p in data_folder.iterdir())
    data_folder.chmod(0o555)
    try:
        corpus = datasets.load_time_machine(mode=mode)
        pairs = datasets.load_translation_pairs(mode=mode)
    finally:
        data_folder.chmod(0o755)
    assert corpus.source == "real" and corpus.text == TIME_MACHINE_TEXT
    assert pairs.source == "real" and pairs[0] == ("Go.", "Va !")
    assert sorted(p.name for p in data_folder.iterdir()) == before, "the folder is only read"
    assert not (cache / "timemachine.txt").exists() and not (cache / "fra-eng.zip").exists()
    assert no_network == [] and capsys.readouterr().out == ""


def test_data_dir_relative_path_is_resolved(cache, data_folder, no_network, monkeypatch):
    monkeypatch.chdir(data_folder.parent)
    monkeypatch.setenv(datasets.DATA_DIR_ENV, data_folder.name)
    assert datasets.data_dir() == data_folder.resolve()
    assert datasets.load_time_machine(mode="real").text == TIME_MACHINE_TEXT


@pytest.mark.parametrize("mode", ["real", "auto"])
def test_data_dir_file_with_a_wrong_hash_is_an_error_naming_it(cache, data_folder, no_network, mode):
    (data_folder / "timemachine.txt").write_text("not the book\n", encoding="utf-8")
    with pytest.raises(datasets.DataFileError, match=r"timemachine\.txt.*COURSE_DATA_DIR.*sha1"):
        datasets.load_time_machine(mode=mode)
    assert no_network == []


def test_a_file_missing_from_the_data_dir_comes_from_the_cache(cache, data_folder, no_network, monkeypatch):
    _write_text_file(cache, monkeypatch, "shakespeare", SHAKESPEARE_TEXT)
    corpus = datasets.load_shakespeare(mode="real")
    assert corpus.source == "real" and corpus.text == SHAKESPEARE_TEXT and no_network == []


def test_a_file_missing_everywhere_is_still_fetched_and_reported(cache, data_folder, blocked_network):
    with pytest.raises(DataUnavailableError, match="tiny_shakespeare.txt|raw.githubusercontent"):
        datasets.load_shakespeare(mode="real")
    assert len(blocked_network) == 1


def test_offline_mode_ignores_the_data_dir(cache, data_folder, no_network):
    assert datasets.load_time_machine(mode="offline", standin_chars=500).source == "offline"


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_data_dir_that_is_not_a_folder_is_an_error_naming_the_setting(cache, tmp_path, monkeypatch, no_network, kind):
    target = tmp_path / "nothing-here"
    if kind == "file":
        target.write_text("x")
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(target))
    with pytest.raises(ValueError, match="COURSE_DATA_DIR=.*nothing-here"):
        datasets.load_time_machine(mode="real")
