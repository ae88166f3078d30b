"""The students' library of the RNN course pack: what the notebooks import, and nothing else.

The course's tooling (the runner, results board, quotes, student edition, website) lives in the
``course`` package beside this one; nothing here imports it.

Modules, named by what they do:

* :mod:`utils.profile`     run profiles (``COURSE_PROFILE``: full or quick)
* :mod:`utils.environment` the notebook setup cell: seeds, versions, device
* :mod:`utils.timeseries`  the lectures' synthetic series and their noise floors
* :mod:`utils.datasets`    the text datasets: real downloads (cached, hash-checked) or stand-ins
* :mod:`utils.corpus`      ``TextCorpus``, a text dataset and where it came from (loaders and stand-ins share it)
* :mod:`utils.standins`    the offline stand-ins and their exact statistics, one module each:

  * :mod:`utils.standins.english_like`  English-like text with its exact entropy rate (Time Machine, Shakespeare)
  * :mod:`utils.standins.imdb`          reviews whose label needs word order: Bayes accuracy, bag-of-words bound
  * :mod:`utils.standins.parallel`      English and an invented verb-final language, one right translation each
  * ``utils.standins._common``          what they share: seeded streams, invented words
* :mod:`utils.text`        tokens, vocabulary, n-gram models, byte pair encoding, LM minibatches
* :mod:`utils.plotting`    series, learning curves, forecasts, model comparisons
* :mod:`utils.charlm`      character language models: one-hot input, streamed perplexity, greedy continuation,
  timed epochs
* :mod:`utils.generation`  sampling the next token: greedy, temperature, top-k, entropy
* :mod:`utils.seq2seq`     sequence-to-sequence data: the date task, vocabularies, padded pairs, splits, length batches
* :mod:`utils.decoding`    the step-function protocol; greedy, exhaustive and beam search; corpus BLEU, d2l's BLEU,
  edit distance
* :mod:`utils.training`    a timed ``fit`` and a model's validation loss
* :mod:`utils.results`     the per-notebook results table and report records
* :mod:`utils.goals`       the one table of lecture figures and targets, by (notebook, metric)
* :mod:`utils.exercises`   exercises in notebooks: starter stubs and checks that wait for an answer
* :mod:`utils.checks`      the argument checks every module uses: one form for every error message
"""

__version__ = "0.1.0"
