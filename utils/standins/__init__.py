"""Offline stand-ins for the course's text datasets, each with a known best-possible figure.

The real datasets (The Time Machine, Tiny Shakespeare, IMDB, English-French pairs) are
downloaded by :mod:`utils.datasets`. When they cannot be had (no network, ``COURSE_DATA=offline``
in the tests and CI), the notebooks run on data that this package generates. No dataset text is
stored anywhere: everything here is produced from a seed, and the same seed always gives the same
data (the generators draw from NumPy's legacy ``RandomState``, whose streams are frozen across
NumPy versions).

Each stand-in comes in the format of the real dataset and goes through the same parser after
loading, and each has a figure that no model can beat, so a student can see how close a model
gets. One module per stand-in; every public name is also importable from ``utils.standins``:

* :mod:`utils.standins.english_like`: :func:`make_english_like_corpus`, text from a word-level
  Markov process over English-looking words, with its *exact* entropy rate per word and per
  character (the lowest possible cross-entropy of any language model on it).
* :mod:`utils.standins.imdb`: :func:`make_imdb_standin`, movie reviews in the IMDB layout whose
  label depends on word order (negation, contrast, the last opinion decides), with a stated label
  noise ``epsilon``: the Bayes accuracy is ``1 - epsilon``, and :func:`imdb_bow_accuracy_bound`
  bounds what any bag-of-words classifier can reach.
* :mod:`utils.standins.parallel`: :func:`make_parallel_text` / :func:`make_parallel_pairs`,
  English sentences and their translations into a small invented language with a different word
  order (verb last, adjectives after nouns, postpositions), in the tab-separated format of
  ``fra.txt``. The translation is a deterministic function of the English sentence
  (:func:`translate_to_standin`), so a perfect score is possible.

The corpus type the English-like generator returns, :class:`utils.corpus.TextCorpus`, is shared
with the loaders; notebook 09's date task (:func:`utils.seq2seq.make_date_pairs`) is not a stand-in
for a real dataset and lives with the rest of that notebook's data.
"""

from utils.standins import english_like, imdb, parallel
from utils.standins._common import STANDIN_VERSION
from utils.standins.english_like import *  # noqa: F403 (each module's __all__ is its public API)
from utils.standins.imdb import *  # noqa: F403
from utils.standins.parallel import *  # noqa: F403

__all__ = ["STANDIN_VERSION", *english_like.__all__, *imdb.__all__, *parallel.__all__]
