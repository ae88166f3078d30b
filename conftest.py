"""Shared test configuration.

Notebook cells run through nbval; this hook fails a cell whose output shows a warning
(a deprecation, a Keras UserWarning, an absl WARNING), so that students see none.
"""

from __future__ import annotations

import pytest

from course.notebooks import warnings_in_outputs


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    outputs = getattr(item, "test_outputs", None)
    if outputs:
        found = warnings_in_outputs(outputs)
        if found:
            raise AssertionError("the cell printed a warning:\n" + "\n".join(found[:5]))
    return result
