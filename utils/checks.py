"""Argument checks shared by every module of ``utils``, so that every bad input fails early, in one form.

Each checker takes the argument's name and the value received, returns the value in a clean form
(a Python ``int`` or ``float``, a NumPy array, a ``Path``) and otherwise raises a ``ValueError``
that names the argument, shows the value (its ``repr``, shortened when long; an array by its shape
and dtype) and says what was expected::

    >>> check_number("temperature", -1.0, minimum=0, min_open=True)
    Traceback (most recent call last):
    ...
    ValueError: temperature=-1.0 must be a number > 0.

A value of the wrong type is a ``ValueError`` too (not a ``TypeError``), with the same message, so
that a caller has one exception to catch. NumPy scalars (``np.float32(0.5)``, ``np.int64(3)``) are
accepted wherever a Python number is; ``True`` and ``False`` are not numbers here.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np

__all__ = [
    "check_array",
    "check_bool",
    "check_callable",
    "check_choice",
    "check_dir",
    "check_file",
    "check_finite",
    "check_fraction",
    "check_id",
    "check_ids",
    "check_int",
    "check_number",
    "check_same_shape",
    "check_seed",
    "check_sequence",
    "check_str",
    "fail",
    "shown",
]

#: A shown ``repr`` longer than this is cut in the middle.
MAX_SHOWN = 80


def shown(value: object) -> str:
    """How a message shows a value: its ``repr``, shortened; an array by its shape and dtype."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return f"<array of shape {value.shape}, dtype {value.dtype}>"
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real problem
        text = f"<{type(value).__name__}>"
    if len(text) > MAX_SHOWN:
        half = (MAX_SHOWN - 5) // 2
        text = f"{text[:half]} ... {text[-half:]}"
    return text


def fail(name: str, value: object, expected: str, hint: str | None = None) -> ValueError:
    """The error for a bad value: ``name=<value> must be <expected>[; <hint>].`` (returned, not raised)."""
    message = f"{name}={shown(value)} must be {expected}"
    if hint:
        message += f"; {hint}"
    return ValueError(message.rstrip(".") + ".")


# ---------------------------------------------------------------------------------------------
# Scalars.
# ---------------------------------------------------------------------------------------------


def _is_bool(value: object) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_real(value: object, kinds: str = "iuf") -> bool:
    """A real number (an integer with ``kinds="iu"``): Python or NumPy, or a 0-d array; never a bool."""
    if _is_bool(value):
        return False
    if isinstance(value, numbers.Integral if kinds == "iu" else numbers.Real):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in kinds


def _is_integer(value: object) -> bool:
    return _is_real(value, "iu")


def _bounds_text(minimum, maximum, min_open: bool, max_open: bool) -> str:
    if minimum is not None and maximum is not None:
        return f" in {'(' if min_open else '['}{minimum:g}, {maximum:g}{')' if max_open else ']'}"
    if minimum is not None:
        return f" {'>' if min_open else '>='} {minimum:g}"
    if maximum is not None:
        return f" {'<' if max_open else '<='} {maximum:g}"
    return ""


def check_number(
    name: str,
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_open: bool = False,
    max_open: bool = False,
    finite: bool = True,
    allow_none: bool = False,
    hint: str | None = None,
) -> float | None:
    """A real number (Python or NumPy, not a bool) within the bounds, as a ``float``.

    Args:
        name: the argument's name, for the message.
        value: what was passed.
        minimum, maximum: the bounds (``None``: unbounded on that side).
        min_open, max_open: exclude the bound itself (``> minimum`` rather than ``>= minimum``).
        finite: refuse NaN and infinities (NaN is always refused).
        allow_none: accept ``None`` (returned as is).
        hint: added to the message, e.g. what the number means.
    """
    if value is None and allow_none:
        return None
    expected = "a finite number" if finite else "a number"
    expected += _bounds_text(minimum, maximum, min_open, max_open)
    if allow_none:
        expected += " or None"
    if not _is_real(value):
        raise fail(name, value, expected, hint)
    number = float(value)
    if math.isnan(number) or (finite and math.isinf(number)):
        raise fail(name, value, expected, hint)
    if minimum is not None and (number < minimum or (min_open and number == minimum)):
        raise fail(name, value, expected, hint)
    if maximum is not None and (number > maximum or (max_open and number == maximum)):
        raise fail(name, value, expected, hint)
    return number


def check_int(name: str, value: object, *, minimum: int | None = None, maximum: int | None = None,
              allow_none: bool = False, hint: str | None = None) -> int | None:
    """An integer (Python or NumPy; not a bool, not a float such as ``3.0``) within ``[minimum, maximum]``."""
    if value is None and allow_none:
        return None
    if minimum is not None and maximum is not None:
        expected = f"an integer from {minimum} to {maximum}"
    elif minimum is not None:
        expected = f"an integer >= {minimum}"
    elif maximum is not None:
        expected = f"an integer <= {maximum}"
    else:
        expected = "an integer"
    if allow_none:
        expected += " or None"
    if not _is_integer(value):
        raise fail(name, value, expected, hint)
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise fail(name, value, expected, hint)
    return number


def check_fraction(
    name: str,
    value: object,
    *,
    low_open: bool = True,
    high_open: bool = True,
    low: float = 0.0,
    high: float = 1.0,
    hint: str | None = None,
) -> float:
    """A probability or a share: a number in ``(0, 1)`` by default (``low_open`` / ``high_open`` to close it)."""
    return check_number(name, value, minimum=low, maximum=high, min_open=low_open, max_open=high_open, hint=hint)


def check_bool(name: str, value: object) -> bool:
    """``True`` or ``False`` (a NumPy bool too); not 0, 1 or a string such as ``"no"``."""
    if not _is_bool(value):
        raise fail(name, value, "True or False")
    return bool(value)


def check_choice(name: str, value: object, choices: Collection[str], *, hint: str | None = None) -> str:
    """One of ``choices`` (compared exactly)."""
    listed = ", ".join(repr(choice) for choice in choices)
    if not isinstance(value, str) or value not in choices:
        raise fail(name, value, f"one of {listed}", hint)
    return value


def check_str(name: str, value: object, *, nonempty: bool = False, allow_none: bool = False) -> str | None:
    """A string (``nonempty``: with a character other than whitespace)."""
    if value is None and allow_none:
        return None
    expected = "a non-empty string" if nonempty else "a string"
    if allow_none:
        expected += " or None"
    if not isinstance(value, str) or (nonempty and not value.strip()):
        raise fail(name, value, expected)
    return value


def check_callable(name: str, value: object, expected: str = "a function", *, allow_none: bool = False) -> object:
    """Something callable (or ``None`` with ``allow_none``)."""
    if value is None and allow_none:
        return None
    if not callable(value):
        raise fail(name, value, expected + (" or None" if allow_none else ""))
    return value


def check_sequence(
    name: str, value: object, *, nonempty: bool = False, allow_str: bool = False, expected: str | None = None
) -> list:
    """A list, tuple, array or other finite sequence, as a ``list``; a string is refused unless ``allow_str``.

    Catches ``None`` or a number where a container belongs before it becomes "'NoneType' object is
    not iterable" somewhere deeper.
    """
    expected = expected or ("a non-empty sequence" if nonempty else "a sequence") + " (a list or a tuple)"
    if isinstance(value, (str, bytes)) and not allow_str:
        raise fail(name, value, expected, "a single string is not a list of items")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            raise fail(name, value, expected)
        items = list(value)
    elif isinstance(value, (Sequence, range)) or (
        hasattr(value, "__iter__") and hasattr(value, "__len__") and not isinstance(value, (dict, set, frozenset))
    ):
        items = list(value)
    else:
        raise fail(name, value, expected)
    if nonempty and not items:
        raise fail(name, value, expected)
    return items


def check_finite(name: str, value: object, hint: str | None = None) -> object:
    """A score, a loss or an array of them with no NaN and no infinity (returned unchanged).

    A ``float`` comes back as a ``float``; anything else is checked through ``np.asarray``.
    """
    try:
        values = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise fail(name, value, "a finite number", hint) from None
    if not np.all(np.isfinite(values)):
        what = "finite" if values.ndim == 0 else "finite everywhere (no NaN, no infinity)"
        raise fail(name, value, what, hint)
    return value


# ---------------------------------------------------------------------------------------------
# Arrays and token ids.
# ---------------------------------------------------------------------------------------------

_KINDS = {
    "number": ("iuf", "numbers"),
    "integer": ("iu", "integers"),
    "float": ("f", "floating-point numbers"),
}


def check_array(
    name: str,
    value: object,
    *,
    ndim: int | tuple[int, ...] | None = None,
    shape: tuple[int | None, ...] | None = None,
    kind: str | None = None,
    finite: bool = False,
    nonempty: bool = False,
    dtype: object = None,
) -> np.ndarray:
    """``np.asarray(value)`` (with ``dtype`` if given), checked.

    Args:
        ndim: the number of axes, or a tuple of allowed numbers.
        shape: the expected shape; ``None`` in it leaves that axis free.
        kind: ``"number"`` (ints or floats, not bools), ``"integer"`` or ``"float"``.
        finite: refuse NaN and infinities.
        nonempty: refuse an array without elements.
    """
    words = ["non-empty"] if nonempty else []
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        words.append(" or ".join(f"{n}-D" for n in allowed))
    words.append("array")
    if shape is not None:
        words.append("of shape (" + ", ".join("n" if s is None else str(s) for s in shape) + ")")
    kind_code, kind_text = _KINDS[kind] if kind is not None else ("", "")
    if kind_text:
        words.append(f"of {kind_text}")
    expected = ("an " if words[0][0] in "aeio8" or words[0].startswith(("11-", "18-")) else "a ") + " ".join(words)
    if finite:
        expected += " (finite: no NaN, no infinity)"
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise fail(name, value, expected)
    try:
        array = np.asarray(value) if dtype is None else np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        reason = "its items are ragged or of mixed types" if "inhomogeneous" in str(error) else str(error)
        raise fail(name, value, expected, f"it cannot be made into one: {reason}") from None
    if array.dtype.kind == "O" and array.size and kind is not None:
        raise fail(name, value, expected, "it holds items of mixed or non-numeric types")
    if ndim is not None and array.ndim not in allowed:
        raise fail(name, array, expected, f"it has {array.ndim} axes")
    if shape is not None and (
        array.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, array.shape))
    ):
        raise fail(name, array, expected)
    if kind is not None and array.dtype.kind not in kind_code:
        if array.size:
            raise fail(name, array, expected, f"its dtype is {array.dtype}")
        array = array.astype(np.int64 if kind == "integer" else np.float64)  # an empty list has no wrong item
    if nonempty and array.size == 0:
        raise fail(name, array, expected, "it is empty")
    if finite and array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
        raise fail(name, array, expected, f"it holds {_first_bad(array)}")
    return array


def _first_bad(array: np.ndarray) -> str:
    position = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
    where = f" at index {position[0] if len(position) == 1 else position}" if position else ""
    return f"{array[position].item()!r}{where}"


def check_same_shape(name: str, array: np.ndarray, other_name: str, other: np.ndarray) -> np.ndarray:
    """Refuse arrays whose shapes differ, which NumPy would broadcast into a wrong result."""
    array, other = np.asarray(array), np.asarray(other)
    if array.shape != other.shape:
        raise fail(
            name,
            array,
            f"an array of the same shape as {other_name} {other.shape}",
            "arrays of different shapes would broadcast silently into a wrong result",
        )
    return array


def check_ids(
    name: str, value: object, vocab_size: int, *, ndim: int | tuple[int, ...] | None = None, nonempty: bool = True
) -> np.ndarray:
    """An integer array of token ids, each in ``[0, vocab_size)``."""
    array = check_array(name, value, ndim=ndim, kind="integer", nonempty=nonempty)
    if array.size and (array.min() < 0 or array.max() >= vocab_size):
        bad = array[(array < 0) | (array >= vocab_size)].reshape(-1)[0]
        raise fail(
            name,
            array if array.ndim else value,
            f"token ids from 0 to {vocab_size - 1} (the vocabulary has {vocab_size} tokens)",
            f"it holds {int(bad)}",
        )
    return array


def check_id(name: str, value: object, vocab_size: int) -> int:
    """One token id: an integer in ``[0, vocab_size)``."""
    return check_int(
        name, value, minimum=0, maximum=vocab_size - 1, hint=f"the vocabulary has {vocab_size} tokens"
    )


# ---------------------------------------------------------------------------------------------
# Seeds.
# ---------------------------------------------------------------------------------------------

#: Seeds of NumPy's legacy ``RandomState`` (and of Keras' ``set_random_seed``) lie below this.
LEGACY_SEED_LIMIT = 2**32


def check_seed(
    name: str,
    value: object,
    *,
    limit: int | None = None,
    allow_none: bool = True,
    allow_generator: bool = False,
) -> int | np.random.Generator | None:
    """A seed: ``None`` (when allowed), an integer ``>= 0`` (below ``limit`` if given) or, with
    ``allow_generator``, a ``np.random.Generator`` (returned as is).

    ``np.random.default_rng`` takes any integer ``>= 0``, however large; NumPy's legacy
    ``RandomState`` only those below :data:`LEGACY_SEED_LIMIT` (pass ``limit=LEGACY_SEED_LIMIT``).
    """
    if value is None and allow_none:
        return None
    if allow_generator and isinstance(value, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)):
        return value
    if limit is None:
        expected = "an integer >= 0"
    elif limit == LEGACY_SEED_LIMIT:
        expected = "an integer from 0 to 2**32 - 1"
    else:
        expected = f"an integer from 0 to {limit - 1}"
    alternatives = [expected] + ["None"] * allow_none + ["a np.random.Generator"] * allow_generator
    expected = alternatives[0] if len(alternatives) == 1 else ", ".join(alternatives[:-1]) + " or " + alternatives[-1]
    if not _is_integer(value) or int(value) < 0 or (limit is not None and int(value) >= limit):
        raise fail(name, value, expected, "pass e.g. 0 or 42")
    return int(value)


# ---------------------------------------------------------------------------------------------
# Files and folders.
# ---------------------------------------------------------------------------------------------


def _as_path(name: str, value: object, expected: str) -> Path:
    if isinstance(value, Path):
        return value
    if isinstance(value, (str, os.PathLike)) and str(value).strip():
        return Path(os.fspath(value)).expanduser()
    raise fail(name, value, expected)


def check_dir(name: str, value: object, *, must_exist: bool = True, hint: str | None = None) -> Path:
    """A folder, as a ``Path``. With ``must_exist=False`` a folder that does not exist yet is fine
    (it can be created), but not a path that is, or lies inside, a file.

    ``name`` is the argument's name or the setting's (an environment variable such as ``KERAS_HOME``).
    """
    path = _as_path(name, value, "a path to a folder")
    if path.is_dir():
        return path
    if path.exists():
        raise fail(name, value, "a folder", "it names a file" + (f"; {hint}" if hint else ""))
    if must_exist:
        raise fail(name, value, "an existing folder", "there is no such folder" + (f"; {hint}" if hint else ""))
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise fail(name, value, "a folder", f"{parent} is a file" + (f"; {hint}" if hint else ""))
            break
    return path


def check_file(name: str, value: object, *, hint: str | None = None) -> Path:
    """An existing file (not a folder), as a ``Path``."""
    path = _as_path(name, value, "a path to a file")
    if path.is_file():
        return path
    reason = "it names a folder" if path.is_dir() else "there is no such file"
    raise fail(name, value, "an existing file", reason + (f"; {hint}" if hint else ""))

