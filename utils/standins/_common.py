"""What the stand-in generators share: argument checks, seeded streams and invented words.

Private to :mod:`utils.standins`: every generator takes its argument checks, its random streams
(one independent stream per seed and purpose) and its invented spellings from here.
"""

from __future__ import annotations

import numpy as np

from utils.checks import LEGACY_SEED_LIMIT, check_int, check_seed

#: Bumped whenever a generator changes, so that cached stand-in files are regenerated.
STANDIN_VERSION = 1


def _check_int(name: str, value: object, minimum: int) -> int:
    return check_int(name, value, minimum=minimum)


def _check_seed(seed: object) -> int:
    return check_seed("seed", seed, limit=LEGACY_SEED_LIMIT, allow_none=False)


def _stream(seed: int, purpose: int) -> np.random.RandomState:
    """An independent legacy stream for one purpose (structure, sampling, ...) of one seed."""
    return np.random.RandomState([seed, purpose])


# ---------------------------------------------------------------------------------------------
# English-looking spellings.
# ---------------------------------------------------------------------------------------------

_ONSETS = (
    "b c d f g h j k l m n p r s t v w y z bl br ch cl cr dr fl fr gl gr pl pr sh sl sp st th tr wh"
).split()
_NUCLEI = "a e i o u a e i o u a e i o ai ea ee oo ou ow".split()
_CODAS = ["", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck", "rt", "th", "sh"]


def _pseudo_words(
    rng: np.random.RandomState, count: int, taken: set[str], min_length: int, max_length: int
) -> list[str]:
    """``count`` new English-looking words (syllables of onset + vowel + coda), none in ``taken``."""
    words: list[str] = []
    attempts = 0
    while len(words) < count:
        attempts += 1
        if attempts > 200 * count + 10_000:
            raise ValueError(
                f"could not invent {count} distinct words of {min_length}-{max_length} letters; "
                "ask for fewer words."
            )
        n_syllables = (1, 2, 2, 3)[rng.randint(4)]
        parts = []
        for i in range(n_syllables):
            if i > 0 or rng.rand() < 0.85:
                parts.append(_ONSETS[rng.randint(len(_ONSETS))])
            parts.append(_NUCLEI[rng.randint(len(_NUCLEI))])
            if i == n_syllables - 1 or rng.rand() < 0.3:
                parts.append(_CODAS[rng.randint(len(_CODAS))])
        word = "".join(parts)
        if min_length <= len(word) <= max_length and word not in taken:
            taken.add(word)
            words.append(word)
    return words

