"""Shared helpers for the RNN course pack.

Modules, named by what they do:

* :mod:`utils.profile`     run profiles (``COURSE_PROFILE``: full or quick)
* :mod:`utils.environment` the notebook setup cell: seeds, versions, device
* :mod:`utils.timeseries`  the lectures' synthetic series and their noise floors
* :mod:`utils.datasets`    the text datasets: real downloads (cached, hash-checked) or stand-ins
* :mod:`utils.standins`    the offline stand-ins and their exact statistics (entropy rate, Bayes accuracy)
* :mod:`utils.text`        tokens, vocabulary, n-gram models, byte pair encoding, LM minibatches
* :mod:`utils.plotting`    series, learning curves, forecasts, model comparisons
* :mod:`utils.training`    a timed ``fit`` and a model's validation loss
* :mod:`utils.results`     the per-notebook results table and report records
* :mod:`utils.course`      ``python -m utils.course``: run notebooks, write the report
* :mod:`utils.notebooks`   the shared setup cell and notebook housekeeping
"""

__version__ = "0.1.0"
