"""Run profiles: one switch between the lecture's full sizes and a quick test run.

The environment variable ``COURSE_PROFILE`` selects the profile:

* ``full`` (default): the lecture's dataset sizes and epochs;
* ``quick``: the same code path with fewer epochs and samples, so that every
  notebook runs in well under a minute on two CPU cores (the tests use it).

Notebooks never branch on the profile themselves. They ask for a size through
:func:`pick`, so the code a student reads is the same in both profiles::

    epochs = pick(full=20, quick=2)
"""

from __future__ import annotations

import os
from typing import TypeVar

PROFILES = ("full", "quick")
ENV_VAR = "COURSE_PROFILE"

T = TypeVar("T")


def current_profile() -> str:
    """Return the active run profile, ``"full"`` or ``"quick"``.

    Raises:
        ValueError: if ``COURSE_PROFILE`` holds anything else.
    """
    value = os.environ.get(ENV_VAR, "full").strip().lower() or "full"
    if value not in PROFILES:
        raise ValueError(
            f"{ENV_VAR}={os.environ.get(ENV_VAR)!r} is not a run profile; "
            f"set it to one of {', '.join(PROFILES)} (or leave it unset for 'full')."
        )
    return value


def pick(full: T, quick: T) -> T:
    """Return ``full`` under the full profile and ``quick`` under the quick one.

    Both values must have the same type, so that a notebook cannot silently
    change behaviour between profiles (an int of epochs stays an int).

    Raises:
        ValueError: if the two values are of different types.
    """
    if type(full) is not type(quick):
        raise ValueError(
            f"pick(full={full!r}, quick={quick!r}): both values must have the same type "
            f"(got {type(full).__name__} and {type(quick).__name__})."
        )
    return full if current_profile() == "full" else quick
