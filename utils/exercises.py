"""Exercises that let *Run All* reach the end: starter names, stubs, and checks that wait for an answer.

Each exercise in a notebook has three kinds of cells:

* a **starter** cell (tag ``starter``), in both editions: it defines every name the check reads,
  set to ``None`` (with the expected type and shape in a comment), and every function the student
  writes as a stub marked with :func:`todo`;
* the worked **solution** (tag ``solution``), which the student edition leaves out;
* a **check** cell (tag ``check``), in both editions::

      if exercise_done(1, window_mse=window_mse, best_window=best_window):
          assert best_window in window_mse, "the best window is one of the windows tried"

While any answer is still ``None`` or a :func:`todo` stub, :func:`exercise_done` prints
"Exercise 1: not done yet" with what is missing and returns False, so the asserts are skipped
and the notebook runs on. Once every answer is there, it returns True and the checks run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from utils.checks import fail

__all__ = ["exercise_done", "is_todo", "todo"]

_TODO_ATTRIBUTE = "__exercise_todo__"


def todo(function: Callable) -> Callable:
    """Mark ``function`` as a stub for the student to write: calling it raises NotImplementedError."""
    if not callable(function):
        raise fail("function", function, "a function to mark as a stub (use @todo above a def)")

    @functools.wraps(function)
    def stub(*args, **kwargs):
        raise NotImplementedError(f"{function.__name__} is still a stub: write its body in the exercise.")

    setattr(stub, _TODO_ATTRIBUTE, True)
    return stub


def is_todo(value: object) -> bool:
    """Whether ``value`` is still unanswered: None, or a function still marked by :func:`todo`."""
    return value is None or bool(getattr(value, _TODO_ATTRIBUTE, False))


def exercise_done(exercise: int | str, **answers: object) -> bool:
    """True when every answer is there; else print "Exercise N: not done yet" with what is missing.

    Args:
        exercise: the exercise's number (or label) as the notebook shows it.
        **answers: each name the check reads and its current value.
    """
    if isinstance(exercise, bool) or not isinstance(exercise, (int, str)) or str(exercise).strip() == "":
        raise fail("exercise", exercise, "the exercise's number, such as 1, or its label")
    if not answers:
        raise ValueError("exercise_done() needs the answers to look for, e.g. exercise_done(1, best=best).")
    missing = [name for name, value in answers.items() if is_todo(value)]
    if missing:
        print(f"Exercise {exercise}: not done yet (still to write: {', '.join(missing)}). "
              "The check below runs once they are there.")
        return False
    return True
